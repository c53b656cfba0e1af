"""Engagement use cases on SQLite and PostgreSQL: users (CCE-1, CCE-2), submission and
field rules (CCE-3), duplicates (CCE-4), edits (CCE-5), lifecycles (CCE-6), tenancy (X-6).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from engagements_world import STAFF, World, account_plan, member, opportunity, seed

from alliance.domain.access import Actor
from alliance.domain.clock import FixedClock
from alliance.domain.engagements import Status, Verdict
from alliance.domain.errors import AllianceError, Forbidden
from alliance.domain.notifications import DeliveryKind, WebhookEndpoint
from alliance.domain.people import PartnerRole, Person
from alliance.services.engagements.attachments import Upload, attach
from alliance.services.engagements.changes import add_note, edit_engagement
from alliance.services.engagements.forms import read_edit, read_form
from alliance.services.engagements.lifecycle import move_engagement
from alliance.services.engagements.queries import HIDDEN, get_engagement, list_engagements
from alliance.services.engagements.submissions import EngagementDetail, submit
from alliance.services.engagements.users import add_user, deactivate_user, list_users
from alliance.services.organizations import CreateOrganization, create_organization
from alliance.store.unit_of_work import SqlUnitOfWork
from engagements_members import enrol, expire


@pytest.fixture
def world(uow_factory: Callable[[], SqlUnitOfWork], clock: FixedClock, tmp_path: Path) -> World:
    return seed(uow_factory, clock, tmp_path / "attachments")


def _submit(world: World, form: dict[str, object], who: str = "ada") -> EngagementDetail:
    person = getattr(world, who)
    return submit(
        world.uow(), member(person), read_form(form), program=world.program, clock=world.clock
    )


def _move(world: World, engagement_id: str, *targets: str) -> None:
    for target in targets:
        move_engagement(
            world.uow(), STAFF, engagement_id, target, program=world.program, clock=world.clock
        )


def _refusal(call: Callable[[], object]) -> AllianceError:
    with pytest.raises(AllianceError) as caught:
        call()
    return caught.value


# -- CCE-1 / CCE-2: users --------------------------------------------------------------


def test_the_eleventh_active_user_is_refused_until_one_is_deactivated(world: World) -> None:
    """CCE-1: at most 10 active users; the administrator counts (automatic access)."""
    people = [world.person(f"user{i}", world.acme) for i in range(10)]
    uow, ada = world.uow, member(world.ada)
    add_user(uow(), ada, world.ada.id, program=world.program, clock=world.clock)
    for person in people[:9]:
        add_user(uow(), ada, person.id, program=world.program, clock=world.clock)
    assert list_users(uow(), ada, world.acme.id, program=world.program).active == 10
    error = _refusal(
        lambda: add_user(uow(), ada, people[9].id, program=world.program, clock=world.clock)
    )
    assert error.rule == "CCE-1"
    assert "10 active users" in error.message
    deactivate_user(uow(), ada, people[0].id, clock=world.clock)
    added = add_user(uow(), ada, people[9].id, program=world.program, clock=world.clock)
    assert added.active
    users = list_users(uow(), ada, world.acme.id, program=world.program)
    assert (users.active, users.places_left) == (10, 0)


def test_only_an_administrator_adds_users_and_only_people_with_a_partner_role(
    world: World,
) -> None:
    """CCE-1: administrators manage users; CCE-2: a user holds a partner role."""
    error = _refusal(
        lambda: add_user(
            world.uow(), member(world.ben), world.ben.id, program=world.program, clock=world.clock
        )
    )
    assert error.rule == "CCE-1"
    other = world.person("gil", world.globex)
    error = _refusal(
        lambda: add_user(
            world.uow(), member(world.ada), other.id, program=world.program, clock=world.clock
        )
    )
    assert isinstance(error, Forbidden)


def test_an_expired_membership_stops_engagement_access(world: World) -> None:
    """OPN-15: expiry stops engagement access; CCE-2 checks it at every use."""
    _submit(world, account_plan())
    expire(world.uow, world.memberships["acme"])
    error = _refusal(lambda: _submit(world, account_plan(name="Another")))
    assert error.rule == "OPN-15"


def test_a_level_0_partner_has_no_engagement_tool(world: World) -> None:
    """CCE-1: the tool is for levels 1–3."""
    small = _organization_with_admin(world, "Tiny", "l0")
    error = _refusal(
        lambda: submit(
            world.uow(),
            member(small),
            read_form(account_plan()),
            program=world.program,
            clock=world.clock,
        )
    )
    assert (error.rule, error.field) == ("CCE-1", "level")


def _organization_with_admin(world: World, name: str, level: str) -> Person:
    organization = create_organization(
        world.uow(), Actor.system("test"), CreateOrganization(name=name, country="FR"), world.clock
    )
    admin = world.person(name.lower(), organization, PartnerRole.PARTNER_ADMINISTRATOR)
    enrol(world.uow, organization.id, admin.id, level=level)
    return admin


# -- CCE-3: fields, customers ------------------------------------------------------------


def test_every_missing_required_field_is_named_in_one_error(world: World) -> None:
    """CCE-3: name, customer, address, products, close date, both contacts — at once."""
    error = _refusal(lambda: _submit(world, {"category": "opportunity"}))
    assert error.rule == "CCE-3"
    fields = {p.field for p in error.problems}
    assert fields >= {
        "name",
        "customer",
        "customer_address",
        "products",
        "estimated_close_date",
        "customer_contact",
        "partner_contact",
    }
    account = _refusal(lambda: _submit(world, {"category": "account_planning"}))
    assert {p.field for p in account.problems} == {
        "name",
        "customer",
        "customer_address",
        "partner_contact",
    }


def test_a_new_customer_is_saved_and_reused(world: World) -> None:
    """CCE-3: « Les informations saisies seront enregistrées et disponibles »."""
    first = _submit(world, account_plan())
    second = _submit(world, opportunity())  # "Banque de Lyon S.A." is "Banque de Lyon"
    assert first.record.engagement.customer.id == second.record.engagement.customer.id
    again = _submit(
        world, account_plan(customer=None, customer_id=first.record.engagement.customer.id)
    )
    assert again.record.engagement.customer.legal_name == "Banque de Lyon"


# -- CCE-4: duplicates ---------------------------------------------------------------------


def test_an_opportunity_for_the_same_customer_and_product_is_a_duplicate(world: World) -> None:
    first = _submit(world, opportunity())
    assert first.duplicate is not None and first.duplicate.verdict is Verdict.NEW
    second = _submit(
        world,
        opportunity(
            customer={
                "legal_name": "BANQUE DE LYON SA",
                "address": {
                    "street": "1, Rue de la République",
                    "city": "LYON",
                    "postal_code": "69001",
                    "country": "FR",
                },
            }
        ),
        who="ada",
    )
    assert second.duplicate is not None
    assert second.duplicate.verdict is Verdict.DUPLICATE
    assert second.duplicate.matches == (first.record.id,)
    assert any("OCI-COMPUTE" in line and "CCE-4" in line for line in second.duplicate.explanation)


def test_the_vendor_opportunity_id_alone_decides_and_another_partner_sees_no_ids(
    world: World,
) -> None:
    """CCE-4: with an opportunity id in the notes, only that id is compared."""
    first = _submit(world, opportunity(notes="Vendor opportunity OPP-4711"))
    other = _submit(
        world,
        opportunity(
            name="Other deal",
            customer={
                "legal_name": "Another customer",
                "address": {"street": "9 Hauptstr.", "city": "Berlin", "country": "DE"},
            },
            notes="our ref: opp-4711",
        ),
        who="gus",
    )
    assert other.duplicate is not None and other.duplicate.verdict is Verdict.DUPLICATE
    assert first.record.id not in " ".join(other.duplicate.explanation)
    assert other.duplicate.matches == (HIDDEN,)
    staff_view = get_engagement(world.uow(), STAFF, other.record.id)
    assert staff_view.duplicate is not None and staff_view.duplicate.matches == (first.record.id,)
    fresh = _submit(world, opportunity(notes="OPP-9999"), who="ada")
    assert fresh.duplicate is not None and fresh.duplicate.verdict is Verdict.NEW


# -- CCE-5: edits --------------------------------------------------------------------------


def test_the_customer_is_never_editable_and_product_edits_go_to_sales(world: World) -> None:
    found = _submit(world, opportunity())
    error = _refusal(
        lambda: edit_engagement(
            world.uow(),
            member(world.ada),
            found.record.id,
            read_edit({"customer": {"legal_name": "Someone else"}}),
            program=world.program,
            clock=world.clock,
        )
    )
    assert (error.rule, error.field) == ("CCE-5", "customer")
    products = opportunity()["products"]
    products[0]["quantity"] = "12"
    edited = edit_engagement(
        world.uow(),
        member(world.ada),
        found.record.id,
        read_edit({"products": products, "expected_version": 1}),
        program=world.program,
        clock=world.clock,
    )
    assert edited.outcome.needs_sales_review
    assert edited.engagement.record.version == 2
    assert edited.engagement.record.sales_review
    stale = _refusal(
        lambda: edit_engagement(
            world.uow(),
            member(world.ada),
            found.record.id,
            read_edit({"name": "New name", "expected_version": 1}),
            program=world.program,
            clock=world.clock,
        )
    )
    assert stale.status == 409


def test_a_closed_deal_refuses_edits_but_takes_notes_and_attachments(world: World) -> None:
    """CCE-5: won or lost, nothing changes except notes and attachments added."""
    found = _submit(world, opportunity())
    _move(world, found.record.id, "acknowledged", "in_review", "accepted", "ineligible")
    error = _refusal(
        lambda: edit_engagement(
            world.uow(),
            member(world.ada),
            found.record.id,
            read_edit({"name": "Renamed"}),
            program=world.program,
            clock=world.clock,
        )
    )
    assert (error.rule, error.code) == ("CCE-5", "engagement_closed")
    noted = add_note(
        world.uow(),
        member(world.ada),
        found.record.id,
        "Lost on price",
        program=world.program,
        clock=world.clock,
    )
    assert noted.engagement.record.engagement.notes[-1] == "Lost on price"
    result, stored = attach(
        world.uow(),
        member(world.ada),
        found.record.id,
        Upload(
            "../../etc/sow.pdf", "application/pdf", io.BytesIO(b"%PDF-1.4 sow"), "statement_of_work"
        ),
        program=world.program,
        clock=world.clock,
    )
    assert stored.name == "sow.pdf" and stored.needs_review and stored.size == 12
    assert (world.program.attachments_dir / stored.path).read_bytes() == b"%PDF-1.4 sow"
    assert result.outcome.needs_document_review


def test_attachments_are_limited_in_type_size_and_category(world: World) -> None:
    found = _submit(world, account_plan())

    def upload(name: str, data: bytes, category: str = "miscellaneous") -> AllianceError:
        return _refusal(
            lambda: attach(
                world.uow(),
                member(world.ada),
                found.record.id,
                Upload(name, "", io.BytesIO(data), category),
                program=world.program,
                clock=world.clock,
            )
        )

    assert upload("virus.exe", b"MZ").field == "file"
    assert upload("big.pdf", b"x" * (world.program.limits.max_bytes + 1)).rule == "CCE-5"
    assert upload("x.pdf", b"x", "receipt").rule == "CCE-5"
    assert list((world.program.attachments_dir).rglob("*")) == [] or all(
        p.is_dir() for p in world.program.attachments_dir.rglob("*")
    )


# -- CCE-6: lifecycle --------------------------------------------------------------------


def test_illegal_moves_are_refused_and_acknowledgement_sends_an_email(world: World) -> None:
    with world.uow() as uow:
        uow.webhooks.add(
            WebhookEndpoint(
                "whk_test",
                "https://hooks.example/cce",
                ("engagement.moved",),
                "s",
                world.clock.now(),
            )
        )
        uow.commit()
    found = _submit(world, opportunity())
    error = _refusal(lambda: _move(world, found.record.id, "accepted"))
    assert error.rule == "CCE-6"
    assert "can go to acknowledged" in error.message
    _move(world, found.record.id, "acknowledge")
    with world.uow() as uow:
        mails = [
            d
            for d in uow.outbox.list(limit=10_000)
            if d.kind is DeliveryKind.EMAIL and d.event_type == "engagement.acknowledged"
        ]
        hooks = [d for d in uow.outbox.list(limit=10_000) if d.kind is DeliveryKind.WEBHOOK]
    assert sorted(d.target for d in mails) == ["ada@acme.example"]
    assert "acknowledged" in mails[0].message().subject
    assert [(h.target, h.event_type) for h in hooks] == [("whk_test", "engagement.moved")]
    again = _refusal(lambda: _move(world, found.record.id, "acknowledged"))
    assert again.rule == "CCE-6"
    detail = get_engagement(world.uow(), STAFF, found.record.id)
    assert [(t.source, t.target, t.actor) for t in detail.transitions] == [
        (Status.SUBMITTED, Status.ACKNOWLEDGED, "pat@vendor.example")
    ]
    with world.uow() as uow:
        actions = [r.action for r in uow.audit.search(entity_id=found.record.id)]
    assert "engagement.acknowledge" in actions and "engagement.created" in actions


def test_partners_never_see_each_others_engagements(world: World) -> None:
    """X-6: Globex gets 403 on Acme's engagement and does not see it listed."""
    acme = _submit(world, account_plan())
    _submit(world, opportunity(), who="gus")
    error = _refusal(lambda: get_engagement(world.uow(), member(world.gus), acme.record.id))
    assert isinstance(error, Forbidden)
    seen = list_engagements(world.uow(), member(world.gus))
    assert [r.partner_id for r in seen] == [world.globex.id]
    assert len(list_engagements(world.uow(), STAFF)) == 2
    partner_move = _refusal(
        lambda: move_engagement(
            world.uow(),
            member(world.ada),
            acme.record.id,
            "acknowledged",
            program=world.program,
            clock=world.clock,
        )
    )
    assert isinstance(partner_move, Forbidden)
