"""Identifiers: opaque, prefixed strings (``org_…``, ``per_…``) so a log line says what it names."""

from __future__ import annotations

import secrets
from typing import NewType

OrganizationId = NewType("OrganizationId", str)
PersonId = NewType("PersonId", str)
UserId = NewType("UserId", str)


def new_id(prefix: str) -> str:
    """A new random id such as ``org_5f0c2b9a41d3e8a7c6b1``: 80 bits of randomness."""
    return f"{prefix}_{secrets.token_hex(10)}"


def new_organization_id() -> OrganizationId:
    return OrganizationId(new_id("org"))


def new_person_id() -> PersonId:
    return PersonId(new_id("per"))


def new_user_id() -> UserId:
    return UserId(new_id("usr"))
