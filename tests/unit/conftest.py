"""Fixtures shared by the service tests that run on the in-memory unit of work."""

from __future__ import annotations

import pytest
from fake_uow import NOW, FakeUnitOfWork, member, seed_organization, seed_person

from alliance.domain.access import Actor
from alliance.domain.clock import FixedClock
from alliance.domain.organizations import Organization
from alliance.domain.people import PartnerRole


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def acme(uow: FakeUnitOfWork) -> Organization:
    return seed_organization(uow, "Acme")


@pytest.fixture
def acme_admin(uow: FakeUnitOfWork, acme: Organization) -> Actor:
    return member(seed_person(uow, "Ada Admin", acme, PartnerRole.PARTNER_ADMINISTRATOR))
