"""The portal's journey forms read into the use cases' JSON (issue 6): the enrolment
wizard's inputs (OPN-9) and the engagement form (CCE-3) — blank inputs left out so the
rules name them, refusals placed on the inputs they name — and the audit search (X-4)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fake_uow import FakeUnitOfWork, member, seed_organization, seed_person, staff

from alliance.domain.audit import AuditRecord
from alliance.domain.engagements import validate_engagement
from alliance.domain.errors import Forbidden, InvalidInput, Problem
from alliance.domain.membership import Step
from alliance.domain.membership.terms import PaymentPlan
from alliance.domain.people import PartnerRole, VendorRole
from alliance.programs.registry import ProgramRegistry
from alliance.services.audit_log import AuditQuery, search_audit
from alliance.services.engagements.forms import read_form
from alliance.services.membership_terms import membership_program
from alliance.web import engagement_form, enrolment_form


def test_dotted_inputs_nest_into_objects_and_lists_and_flatten_back() -> None:
    flat = {
        "legal_name": "Acme",
        "address.city": "Paris",
        "contacts.0.name": "Kim",
        "contacts.0.role": "key_executive",
        "contacts.1.name": "Kai",
        "tracks": ["cloud"],
    }
    nested = enrolment_form.nest(flat)
    assert nested == {
        "legal_name": "Acme",
        "address": {"city": "Paris"},
        "contacts": [{"name": "Kim", "role": "key_executive"}, {"name": "Kai"}],
        "tracks": ["cloud"],
    }
    assert enrolment_form.flatten(nested) == flat


def test_the_wizard_reads_boxes_as_booleans_and_leaves_blank_texts_out() -> None:
    shown = [
        enrolment_form.Input("accepts_administrator_role", "x", "checkbox"),
        enrolment_form.Input("level", "x", "select"),
        enrolment_form.Input("principal_subscription", "x"),
        enrolment_form.Input("tracks", "x", "checkboxes"),
    ]
    data = enrolment_form.read(
        shown, {"level": "l2", "principal_subscription": "  "}, {"tracks": ["a", "b"]}
    )
    assert data == {"accepts_administrator_role": False, "level": "l2", "tracks": ["a", "b"]}


def test_a_refusal_of_a_listed_field_is_placed_on_its_input() -> None:
    assert enrolment_form.input_name("contacts[3].email") == "contacts.3.email"
    assert engagement_form.input_name("products[0].quantity") == "products.0.quantity"
    assert engagement_form.input_name("customer.legal_name") == "customer"


def test_the_payment_step_offers_every_plan_so_the_level_can_refuse_one() -> None:
    """OPN-5/OPN-6 are the use case's refusals: the form hides no plan."""
    terms = membership_program(ProgramRegistry.load()).terms
    plan = next(i for i in enrolment_form.inputs(Step.PAYMENT, terms) if i.name == "plan")
    assert {value for value, _label in plan.choices} == {p.value for p in PaymentPlan}
    company = [i.name for i in enrolment_form.inputs(Step.COMPANY_AND_CONTACTS, terms)]
    rows = enrolment_form.contact_rows(terms)
    assert rows.count(PartnerRole.KEY_EXECUTIVE) == 2  # OPN-18: two key executives
    assert f"contacts.{len(rows) - 1}.email" in company


def test_a_blank_engagement_form_leaves_groups_out_so_cce3_names_each_one() -> None:
    data = engagement_form.read({"category": "opportunity", "name": "Data", "notes": " "})
    assert data == {"category": "opportunity", "name": "Data"}
    form = read_form(data)
    named = {p.field for p in validate_engagement(form.draft, form.category)}
    assert named == {
        "customer",
        "customer_address",
        "partner_contact",
        "customer_contact",
        "products",
        "estimated_close_date",
    }


def test_a_filled_engagement_form_reads_into_the_apis_json() -> None:
    data = engagement_form.read(
        {
            "category": "opportunity",
            "customer": "Globex",
            "customer_address.city": "Nantes",
            "products.0.quantity": "4",
            "products.0.service_period.start": "2027-01-01",
            "pillars.0.name": "",
        }
    )
    assert data == {
        "category": "opportunity",
        "customer": {"legal_name": "Globex", "address": {"city": "Nantes"}},
        "products": [{"quantity": "4", "service_period": {"start": "2027-01-01"}}],
    }


def test_every_problem_is_kept_with_its_rule_by_the_input_it_names() -> None:
    error = InvalidInput(
        "2 problems",
        problems=[
            Problem("a", "products[0].amount", "CCE-3"),
            Problem("b", "products[0].amount", "X-1"),
            Problem("c", "name", "CCE-3"),
        ],
    )
    assert engagement_form.problems_by_input(error) == {
        "products.0.amount": ["a (CCE-3)", "b (X-1)"],
        "name": ["c (CCE-3)"],
    }


def _record(entity_id: str, organization: str) -> AuditRecord:
    return AuditRecord(
        actor="x",
        action="engagement.moved",
        entity_type="engagement",
        entity_id=entity_id,
        at=datetime(2026, 12, 1, tzinfo=UTC),
        organization_id=organization,
    )


def test_staff_who_view_the_audit_search_it_and_a_partner_is_refused() -> None:
    uow = FakeUnitOfWork()
    for i in range(3):
        uow.audit.append(_record(f"eng_{i}", "org_a" if i else "org_b"))
    found = search_audit(uow, staff(VendorRole.VIEWER), AuditQuery(organization_id="org_a"))
    assert [r.entity_id for r in found] == ["eng_1", "eng_2"]
    assert len(search_audit(uow, staff(VendorRole.VIEWER), AuditQuery(entity_id="eng_0"))) == 1
    company = seed_organization(uow, "Acme")
    admin = member(seed_person(uow, "Ada", company, PartnerRole.PARTNER_ADMINISTRATOR))
    with pytest.raises(Forbidden):
        search_audit(uow, admin, AuditQuery())  # the journal spans every company
    with pytest.raises(InvalidInput) as refused:
        search_audit(uow, staff(VendorRole.VIEWER), AuditQuery(limit=0))
    assert refused.value.field == "limit"
