"""Governance models, one module per subject: bodies and seats, meetings and votes, briefings."""

from .bodies import Body, Seat, SeatQuerySet  # noqa: F401
