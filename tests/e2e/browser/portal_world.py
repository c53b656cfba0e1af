"""The portal served on loopback against a fresh SQLite database with a small demo data
set, for the browser tests and ``scripts/screenshots.py``.

:func:`start_portal` bootstraps the application (migrations, cheap argon2, e-mail to an
SMTP server on loopback), loads the demo (organisations, memberships, engagements,
partner credits — as ``alliance demo`` does, with fewer partners), registers the
portal users the journeys log in as, and serves the app with uvicorn in a thread on a
free port.
"""

from __future__ import annotations

import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from argon2 import PasswordHasher

from alliance.api.app import create_app
from alliance.bootstrap import Application, bootstrap
from alliance.demo.dataset import DemoSpec, generate
from alliance.demo.loader import (
    create_logins,
    load_credits,
    load_directory,
    load_engagements,
    load_memberships,
)
from alliance.domain.access import Actor
from alliance.domain.ids import OrganizationId
from alliance.domain.membership import MembershipStatus, RenewalRoute
from alliance.domain.people import PartnerRole
from alliance.notify.smtp import SmtpMailer
from alliance.services.auth import RegisterUser, register_user
from alliance.services.membership_terms import membership_program
from alliance.services.memberships.views import MembershipView, list_memberships
from alliance.services.passwords import Passwords
from alliance.settings import Settings

PASSWORD = "portal-demo-password"
PARTNERS = 60


@dataclass(frozen=True)
class PortalUser:
    email: str
    password: str
    organization_id: str
    organization_name: str


@dataclass
class PortalWorld:
    application: Application
    base_url: str
    ada: PortalUser  # administrator of a principal with credits and engagements
    bob: PortalUser  # administrator of another principal
    cyd: PortalUser  # Ada's colleague, who forgets her password
    dan: PortalUser  # administrator of a level-0 principal: no engagement tool (CCE-1)
    eve: PortalUser  # administrator of an associate: sees only its usable share (CRD-5)
    fay: PortalUser  # administrator of a principal whose renewal window is open (OPN-14)
    memberships: dict[str, MembershipView]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _cheap_passwords() -> Passwords:
    return Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def _load_demo(application: Application) -> None:
    dataset = generate(DemoSpec(partners=PARTNERS, seed=7))
    load_directory(application.uow_factory, dataset, lambda _n: None)
    create_logins(application.uow_factory, dataset, application.clock, application.passwords)
    load_memberships(application)
    load_engagements(application)
    load_credits(application)


def _active(application: Application) -> list[MembershipView]:
    program = membership_program(application.programs)
    views = list_memberships(
        application.uow_factory(),
        Actor.system("test"),
        program,
        application.clock,
        status=MembershipStatus.ACTIVE,
        limit=200,
    )
    return sorted(views, key=lambda v: v.membership.organization_id)


def _principals(application: Application) -> list[MembershipView]:
    return [v for v in _active(application) if not v.membership.is_associate]


def _register(application: Application, email: str, organization_id: str) -> PortalUser:
    register_user(
        application.uow_factory(),
        Actor.system("test"),
        RegisterUser(
            name=email.split("@")[0].title(),
            email=email,
            password=PASSWORD,
            organization_id=OrganizationId(organization_id),
            partner_roles=frozenset({PartnerRole.PARTNER_ADMINISTRATOR}),
        ),
        application.clock,
        application.passwords,
    )
    with application.uow_factory() as uow:
        organization = uow.organizations.get(OrganizationId(organization_id))
    assert organization is not None
    return PortalUser(email, PASSWORD, organization_id, organization.name)


def build_world(tmp: Path, smtp_url: str) -> PortalWorld:
    """A migrated SQLite database with the demo loaded and two portal users."""
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'portal.db'}",
        programs=None,
        data_dir=tmp / "var",
        attachments_dir=tmp / "attachments",
        secret_key=secrets.token_urlsafe(32),
        environment="test",
    )
    application = bootstrap(
        settings, migrate=True, passwords=_cheap_passwords(), mailer=SmtpMailer(smtp_url)
    )
    _load_demo(application)
    principals = _principals(application)
    # Ada's company: the first active principal whose credits were ordered from (the
    # credits demo takes the first principals by id), with engagements (level ≥ 1).
    program = membership_program(application.programs)
    ranks = {level.id: level.rank for level in program.terms.levels}
    with_tool = [v for v in principals if ranks[v.membership.level] >= 1]
    level_0 = next(v for v in principals if ranks[v.membership.level] == 0)
    renewing = next(v for v in principals if v.renewal.route is RenewalRoute.OPEN)
    associate = next(v for v in _active(application) if v.membership.is_associate)
    ada_org = with_tool[0].membership.organization_id
    return PortalWorld(
        application=application,
        base_url="",
        ada=_register(application, "ada@portal.example", ada_org),
        bob=_register(application, "bob@portal.example", with_tool[1].membership.organization_id),
        cyd=_register(application, "cyd@portal.example", ada_org),
        dan=_register(application, "dan@portal.example", level_0.membership.organization_id),
        eve=_register(application, "eve@portal.example", associate.membership.organization_id),
        fay=_register(application, "fay@portal.example", renewing.membership.organization_id),
        memberships={v.membership.organization_id: v for v in principals},
    )


@contextmanager
def serving(world: PortalWorld) -> Iterator[PortalWorld]:
    """Serve the portal on a free loopback port for the duration of the block."""
    port = free_port()
    config = uvicorn.Config(
        create_app(world.application), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="portal-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the portal did not start")
        time.sleep(0.05)
    world.base_url = f"http://127.0.0.1:{port}"
    try:
        yield world
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        world.application.close()
