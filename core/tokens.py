"""API tokens as pure functions: making a token, the digest that is stored, how long it lives."""

import hashlib
import secrets

from core.roles import Role


def new_key() -> str:
    """A fresh token: 40 hex characters (160 random bits), the shape DRF's tokens had."""
    return secrets.token_hex(20)


def digest(key: str) -> str:
    """What is stored of a token: its SHA-256, so a copy of the table lets no one in."""
    return hashlib.sha256(key.encode()).hexdigest()


def lifetime_days(*, roles: set[str], unrestricted: bool, people_days: int, client_days: int) -> int:
    """Days a new token lives: machine clients (every role api_client) long, people short.

    A superuser or a user without roles is a person; one grant of any other role makes a person too.
    """
    if roles and not unrestricted and roles <= {Role.API_CLIENT}:
        return client_days
    return people_days
