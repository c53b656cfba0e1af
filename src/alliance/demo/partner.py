"""The demo's own partner: the company whose administrator is the demo's partner login
(``partner@alliance.example``). It is the first principal (by id) with an associate, so
that its portal shows everything at once: the first membership plan (level 1, active,
with credits — CRD-1), its associate approved (OPN-2), credit orders held, delivered,
cancelled and awaiting approval (CRD-2, CRD-3), engagements in several states, and the
MCPP profile that qualifies in Data & AI and Security (MCPP-2). Every demo loader puts
this company first, so the choice is made once, here.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from alliance.domain.ids import OrganizationId
from alliance.services.ports import UnitOfWork

#: The demo's partner login (see :data:`alliance.demo.loader.DEMO_LOGINS`).
PARTNER_LOGIN = "partner@alliance.example"


def demo_partner_id(organizations: pa.Table) -> str:
    """The first principal partner (by id) that has a subsidiary; else the first principal."""
    partners = organizations.filter(pc.equal(organizations.column("kind"), "partner"))
    parents = set(partners.column("parent_id").drop_null().to_pylist())
    principals = sorted(
        partners.filter(pc.is_null(partners.column("parent_id"))).column("id").to_pylist()
    )
    return str(next((p for p in principals if p in parents), principals[0]))


def login_company(uow: UnitOfWork) -> OrganizationId | None:
    """The organisation of the demo's partner login, once the logins exist."""
    person = uow.people.by_email(PARTNER_LOGIN)
    return person.organization_id if person is not None else None


def login_first(organization: OrganizationId | None, other: str) -> tuple[bool, str]:
    """Sort key: the login's company before every other id, then by id."""
    return (other != organization, other)
