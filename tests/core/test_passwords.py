"""Password hashes: Argon2id by default, older werkzeug hashes still accepted and flagged for upgrade."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from werkzeug.security import generate_password_hash

from elearn.passwords import (
    ARGON2_ITERATIONS,
    ARGON2_LANES,
    ARGON2_MEMORY_KIB,
    hash_password,
    needs_rehash,
    verify_password,
)

PASSWORD = "Kata-sandi-yang-panjang"


def test_new_hashes_are_salted_argon2id_at_owasp_cost():
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first != second, "each hash has its own salt"
    assert first.startswith(f"$argon2id$v=19$m={ARGON2_MEMORY_KIB},t={ARGON2_ITERATIONS},p={ARGON2_LANES}$")
    assert ARGON2_MEMORY_KIB >= 19 * 1024 and ARGON2_ITERATIONS >= 2
    assert PASSWORD not in first
    assert verify_password(first, PASSWORD) and not needs_rehash(first)


def test_a_wrong_password_does_not_verify():
    assert not verify_password(hash_password(PASSWORD), PASSWORD + "x")


@pytest.mark.parametrize("method", ["scrypt", "pbkdf2:sha256"])
def test_older_werkzeug_hashes_verify_and_ask_for_an_upgrade(method):
    older = generate_password_hash(PASSWORD, method=method)
    assert verify_password(older, PASSWORD)
    assert not verify_password(older, "lain-sama-sekali")
    assert needs_rehash(older)


def test_argon2id_at_a_lower_cost_asks_for_an_upgrade():
    cheaper = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    assert verify_password(cheaper, PASSWORD)
    assert needs_rehash(cheaper)


@pytest.mark.parametrize(
    "stored",
    ["", "plain-text-password", "$argon2id$v=19$rusak", "scrypt:32768:8:1$garam$bukanhex", "$2b$12$abc"],
)
def test_malformed_or_unknown_hashes_never_match(stored):
    assert not verify_password(stored, PASSWORD)
    assert not verify_password(stored, stored)
