"""Demo engagements (CCE-3…CCE-6): a few per demo partner, in various states, through the
use cases. Run after memberships exist: a partner without an active membership at level 1
or above, or without a partner administrator, is skipped (and said so).

For each of the first :data:`PARTNERS` active principals (the login's company first, then
by id), its administrator
submits, and the vendor moves:

* an account plan — acknowledged, then in account planning;
* an OCI opportunity — acknowledged, reviewed, accepted and won (``eligible``: its
  reward can be previewed and released, ``alliance engagements payout …``);
* a SaaS opportunity quoting a vendor opportunity id — just submitted;

and the first partner submits the SaaS opportunity a second time, quoting the same
vendor opportunity id, which the duplicate check flags (CCE-4). A partner that already
has engagements is left alone, so loading twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from alliance.bootstrap import Application
from alliance.demo.partner import login_company, login_first
from alliance.domain.access import Actor, ActorKind
from alliance.domain.errors import AllianceError
from alliance.domain.ids import OrganizationId
from alliance.domain.membership import MembershipStatus
from alliance.domain.people import PartnerRole, Person
from alliance.services.engagements.forms import read_form
from alliance.services.engagements.lifecycle import move_engagement
from alliance.services.engagements.ports import EngagementFilter
from alliance.services.engagements.program import EngagementProgram, engagement_program
from alliance.services.engagements.submissions import submit

PARTNERS = 3
REVIEWER = Actor.system("demo")
CUSTOMERS = (
    ("Lumen Logistics SA", "12 quai Perrache", "Lyon", "69002", "FR"),
    ("Nordwind Energie GmbH", "Hafenstraße 8", "Hamburg", "20457", "DE"),
    ("Costa Seguros SA", "Avenida da Liberdade 100", "Lisboa", "1250-145", "PT"),
)


@dataclass
class EngagementsLoaded:
    """What :func:`load_engagements` did: engagements by status, what it skipped and why."""

    engagements: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def count(self, status: str) -> None:
        self.engagements[status] = self.engagements.get(status, 0) + 1

    @property
    def summary(self) -> str:
        done = ", ".join(f"{n} {s}" for s, n in sorted(self.engagements.items()))
        return f"Engagements: {done or 'none'} (alliance engagements list)"


def _customer(index: int) -> dict[str, Any]:
    name, street, city, postal_code, country = CUSTOMERS[index % len(CUSTOMERS)]
    address = {"street": street, "city": city, "postal_code": postal_code, "country": country}
    return {"legal_name": name, "address": address}


def _product(product: str, family: str, amount: str) -> dict[str, Any]:
    return {
        "product": product,
        "family": family,
        "quantity": "1",
        "amount": {"amount": amount, "currency": "USD"},
        "service_period": {"start": "2026-01-01", "end": "2026-12-31"},
    }


def _forms(index: int, admin: Person) -> list[tuple[dict[str, Any], tuple[str, ...]]]:
    contact = {"name": admin.name, "email": admin.email}
    customer = _customer(index)
    opportunity = {
        "category": "opportunity",
        "customer": customer,
        "partner_contact": contact,
        "customer_contact": {"name": "Procurement desk"},
        "estimated_close_date": "2025-12-15",
    }
    return [
        (
            {
                "category": "account_planning",
                "name": f"Account plan {customer['legal_name']}",
                "customer": customer,
                "partner_contact": contact,
                "pillars": [{"name": "OCI"}, {"name": "Fusion ERP"}],
            },
            ("acknowledge", "plan"),
        ),
        (
            {
                **opportunity,
                "name": "Data platform",
                "products": [_product("OCI-COMPUTE", "oci", "120000.00")],
            },
            ("acknowledge", "review", "accept", "win"),
        ),
        (
            {
                **opportunity,
                "name": "HR cloud",
                "products": [_product("SAAS-HCM", "saas", "40000.00")],
                "notes": f"Vendor opportunity OPP-{7100 + index}",
            },
            (),
        ),
    ]


def _candidates(application: Application, program: EngagementProgram) -> list[OrganizationId]:
    with application.uow_factory() as uow:
        active = uow.memberships.every([MembershipStatus.ACTIVE])
        mine = login_company(uow)
        eligible = sorted(
            (
                m.organization_id
                for m in active
                if not m.is_associate
                and program.membership.rank_of(m.level) >= program.users.min_level
            ),
            key=lambda org: login_first(mine, org),
        )
    return eligible[:PARTNERS]


def _administrator(application: Application, partner: OrganizationId) -> Person | None:
    with application.uow_factory() as uow:
        if uow.engagements.search(EngagementFilter([partner], limit=1)):
            return None
        people = uow.people.of_organization(partner)
    return next(
        (
            p
            for p in sorted(people, key=lambda p: p.id)
            if PartnerRole.PARTNER_ADMINISTRATOR in p.partner_roles
        ),
        None,
    )


def load_engagements(application: Application) -> EngagementsLoaded:
    """Load the demo engagements (see the module doc)."""
    program = engagement_program(
        application.programs, attachments_dir=application.settings.attachments_dir
    )
    loaded = EngagementsLoaded()
    clock = application.clock
    for index, partner in enumerate(_candidates(application, program)):
        admin = _administrator(application, partner)
        if admin is None:
            loaded.skipped.append(f"{partner}: engagements already there, or no administrator")
            continue
        actor = Actor(
            ActorKind.MEMBER,
            organization_id=partner,
            partner_roles=admin.partner_roles,
            label=admin.email,
        )
        forms = _forms(index, admin)
        if index == 0:
            forms.append(({**forms[2][0], "name": "HR cloud (again)"}, ()))
        try:
            for form, moves in forms:
                found = submit(
                    application.uow_factory(), actor, read_form(form), program=program, clock=clock
                )
                status = found.record.engagement.status.value
                for move in moves:
                    result = move_engagement(
                        application.uow_factory(),
                        REVIEWER,
                        found.record.id,
                        move,
                        program=program,
                        clock=clock,
                    )
                    status = result.engagement.record.engagement.status.value
                loaded.count(status)
                if found.duplicate is not None and found.duplicate.verdict.value != "new":
                    loaded.count(f"flagged {found.duplicate.verdict.value}")
        except AllianceError as error:
            loaded.skipped.append(f"{partner}: {error.message} [{error.rule}]")
    return loaded
