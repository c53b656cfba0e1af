"""Who a command acts as: the system operator by default, or a partner's person named by
``--as EMAIL`` (so that tenancy, X-6, holds on the command line as in the API)."""

from __future__ import annotations

from typing import Annotated

import typer

from alliance.bootstrap import Application
from alliance.domain.access import Actor, ActorKind
from alliance.domain.errors import NotFound

CLI_ACTOR = Actor.system("cli")

As = Annotated[
    str | None,
    typer.Option("--as", help="Act as this partner person (e-mail); the operator by default."),
]


def actor_for(app_: Application, email: str | None) -> Actor:
    """The system operator, or the partner person with ``email``."""
    if email is None:
        return CLI_ACTOR
    with app_.uow_factory() as uow:
        person = uow.people.by_email(email.strip().lower())
    if person is None or person.organization_id is None:
        raise NotFound(f"no partner person with e-mail {email}", field="as")
    return Actor(
        ActorKind.MEMBER,
        organization_id=person.organization_id,
        partner_roles=person.partner_roles,
        label=person.email,
    )
