"""Keys posted by the pages' own forms (a candidate, an application), read so that no input becomes a 500.

``int()`` takes "²" as a digit by ``str.isdigit`` and then fails, and a key past PostgreSQL's bigint fails in the
query; both are simply "not a key" here.
"""

MAX_KEY = 2**63 - 1


def posted_key(value):
    """value as a primary key, or None."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    key = int(value)
    return key if 0 < key <= MAX_KEY else None


def posted_keys(values):
    """The values that are primary keys, as ints (the others left out)."""
    return [key for key in map(posted_key, values) if key is not None]
