"""Certificate serials: 80 random bits in Crockford's base32 plus one Luhn mod 32 check character.

`7K3Q-9XWD-M2PA-H4ZT-R`: sixteen characters carry the random part (2^80 values, so guessing one is hopeless even
before the verification page throttles), the seventeenth catches any single mistyped character and most swapped
neighbours before the database is asked. Crockford's alphabet has no I, L, O or U; when reading a typed serial,
O counts as 0 and I or L as 1, case and dashes or spaces do not matter.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_BYTES = 10
BODY_LENGTH = 16
LENGTH = BODY_LENGTH + 1
GROUP = 4
_VALUE = {char: value for value, char in enumerate(ALPHABET)}
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _check_character(body: str) -> str:
    """The Luhn mod N check character of `body` (N = 32)."""
    factor, total, base = 2, 0, len(ALPHABET)
    for char in reversed(body):
        addend = factor * _VALUE[char]
        factor = 1 if factor == 2 else 2
        total += addend // base + addend % base
    return ALPHABET[(base - total % base) % base]


def new_serial() -> str:
    """A fresh serial in its stored form (17 characters, no dashes)."""
    number = int.from_bytes(secrets.token_bytes(RANDOM_BYTES), "big")
    body = "".join(ALPHABET[(number >> shift) & 31] for shift in range(75, -1, -5))
    return body + _check_character(body)


def normalise(typed: str) -> str | None:
    """The stored form of a serial as someone typed or scanned it, or None when it cannot be one."""
    text = "".join(typed.split()).replace("-", "").upper().translate(_READ_AS)
    if len(text) != LENGTH or any(char not in _VALUE for char in text):
        return None
    body, check = text[:BODY_LENGTH], text[BODY_LENGTH:]
    return text if _check_character(body) == check else None


def display(serial: str) -> str:
    """The serial as printed: groups of four, the check character last (`7K3Q-9XWD-M2PA-H4ZT-R`)."""
    return "-".join(serial[start : start + GROUP] for start in range(0, len(serial), GROUP))
