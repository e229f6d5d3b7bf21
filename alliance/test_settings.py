"""The test suite's settings: the portal's own, with DEBUG on (and so its development key) unless the
environment says otherwise. Production never loads this module."""

import os

os.environ.setdefault("DEBUG", "1")

from .settings import *  # noqa: E402, F403
