"""Password hashes: Argon2id at OWASP's recommended cost, with older werkzeug hashes still accepted and upgraded.

OWASP's Password Storage Cheat Sheet recommends Argon2id with at least 19 MiB of memory, 2 iterations and 1 lane.
That costs about 25 ms per check on one core here, against about 115 ms for werkzeug's scrypt default (N=2^15,
r=8, p=1), which is itself below OWASP's scrypt minimum (N=2^17): cheaper for the server at a morning's exam
logins, and harder for anyone holding a stolen hash. Hashes made before (werkzeug's `scrypt:` and `pbkdf2:`)
still verify, and `needs_rehash` tells the login to replace them with the current kind.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash

ARGON2_MEMORY_KIB = 19 * 1024
ARGON2_ITERATIONS = 2
ARGON2_LANES = 1

_HASHER = PasswordHasher(time_cost=ARGON2_ITERATIONS, memory_cost=ARGON2_MEMORY_KIB, parallelism=ARGON2_LANES)
_ARGON2_PREFIX = "$argon2"
_WERKZEUG_PREFIXES = ("scrypt:", "pbkdf2:")


def hash_password(password: str) -> str:
    """A salted Argon2id hash in the PHC string format (parameters and salt inside it)."""
    return _HASHER.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """Whether `password` matches `stored`, of any kind elearn has made; a malformed or unknown hash never matches."""
    if stored.startswith(_ARGON2_PREFIX):
        try:
            return _HASHER.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
    if stored.startswith(_WERKZEUG_PREFIXES):
        try:
            return check_password_hash(stored, password)
        except ValueError:
            return False
    return False


def needs_rehash(stored: str) -> bool:
    """Whether a hash that just verified should be replaced: an older kind, or Argon2id at other parameters."""
    if not stored.startswith(_ARGON2_PREFIX):
        return True
    try:
        return _HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return True
