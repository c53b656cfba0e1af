"""CCE-3: the engagement form, field by field and category by category."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from cce_builders import ACME_ADDRESS, PARTNER, account_plan_draft, oci, opportunity_draft

from alliance.domain.engagements import (
    FIELD_TABLE,
    Address,
    Attachment,
    Category,
    Customer,
    EngagementDraft,
    EngagementField,
    IncompleteEngagement,
    Requirement,
    find_saved_customer,
    requirement,
    submit_engagement,
    validate_engagement,
)
from alliance.domain.money import Money, usd

OPP, AP = Category.OPPORTUNITY, Category.ACCOUNT_PLANNING


def fields_of(draft: EngagementDraft, category: Category | None) -> set[str | None]:
    return {p.field for p in validate_engagement(draft, category)}


def test_a_complete_opportunity_has_no_problems() -> None:
    assert validate_engagement(opportunity_draft(), OPP) == []


def test_a_complete_account_plan_has_no_problems() -> None:
    assert validate_engagement(account_plan_draft(), AP) == []


def test_every_missing_required_field_of_an_opportunity_is_named_in_one_error() -> None:
    with pytest.raises(IncompleteEngagement) as refused:
        submit_engagement(EngagementDraft(), OPP, engagement_id="eng_1", partner_id=PARTNER)

    error = refused.value
    assert error.rule == "CCE-3"
    assert error.code == "engagement_incomplete"
    assert {p.field for p in error.problems} == {
        "name",
        "customer",
        "customer_address",
        "products",
        "estimated_close_date",
        "customer_contact",
        "partner_contact",
    }
    assert all(p.rule == "CCE-3" for p in error.problems)
    assert "7 problem(s)" in error.message


def test_account_planning_asks_for_no_products_close_date_or_customer_contact() -> None:
    assert fields_of(EngagementDraft(), AP) == {
        "name",
        "customer",
        "customer_address",
        "partner_contact",
    }


def test_without_a_category_the_category_and_the_common_required_fields_are_named() -> None:
    assert fields_of(EngagementDraft(), None) == {
        "category",
        "name",
        "customer",
        "customer_address",
        "partner_contact",
    }


def test_each_product_of_an_opportunity_needs_quantity_amount_and_service_period() -> None:
    bare = replace(oci(), quantity=None, amount=None, service_period=None)

    problems = validate_engagement(opportunity_draft(products=(oci(), bare)), OPP)

    assert [p.field for p in problems] == [
        "products[1].quantity",
        "products[1].amount",
        "products[1].service_period",
    ]


def test_products_in_two_currencies_are_refused() -> None:
    in_euros = replace(oci(), amount=Money.of("10", "EUR"))

    problems = validate_engagement(opportunity_draft(products=(oci(), in_euros)), OPP)

    assert {p.rule for p in problems} == {"X-1"}


def test_a_field_that_does_not_apply_to_the_category_is_refused_not_dropped() -> None:
    problems = validate_engagement(account_plan_draft(products=(oci(),)), AP)

    assert [(p.field, p.message) for p in problems] == [
        ("products", "products does not apply to account planning")
    ]


def test_account_plan_pillars_may_carry_amounts_but_not_negative_ones() -> None:
    draft = account_plan_draft(
        pillars=(replace(account_plan_draft().pillars[0], amount=usd("-1")),)
    )

    assert fields_of(draft, AP) == {"pillars[0].amount"}


def test_the_customer_address_needs_street_city_and_an_iso_country() -> None:
    draft = opportunity_draft(customer_address=Address(" ", "", "France"))

    assert fields_of(draft, OPP) == {
        "customer_address.street",
        "customer_address.city",
        "customer_address.country",
    }


def test_an_attachment_needs_a_category_the_program_declares() -> None:
    draft = opportunity_draft(attachments=(Attachment("po.pdf", "purchase_order"),))

    problems = validate_engagement(draft, OPP)

    assert [(p.field, p.rule) for p in problems] == [("attachments[0].category", "CCE-5")]


def test_a_saved_customer_is_reused_with_its_id() -> None:
    saved = Customer("Acme SAS", replace(ACME_ADDRESS, street="12, Rue de la Paix"), id="cus_9")
    found = find_saved_customer([saved], Customer("ACME S.A.S.", ACME_ADDRESS))
    assert found == saved

    engagement = submit_engagement(
        opportunity_draft().with_customer(saved),
        OPP,
        engagement_id="eng_2",
        partner_id=PARTNER,
    )

    assert engagement.customer.id == "cus_9"
    assert engagement.reference == "eng_2"


def test_submission_keeps_the_notes_as_the_first_entry() -> None:
    engagement = submit_engagement(
        opportunity_draft(notes="  OPP-123456 "), OPP, engagement_id="e", partner_id=PARTNER
    )

    assert engagement.notes == ("OPP-123456",)
    assert engagement.products[0].quantity == Decimal(10)


@pytest.mark.parametrize(
    ("field", "account_planning", "opportunity"),
    [
        (EngagementField.ENGAGEMENT_ID, Requirement.GENERATED, Requirement.GENERATED),
        (EngagementField.CUSTOMER, Requirement.REQUIRED, Requirement.REQUIRED),
        (EngagementField.PILLARS, Requirement.OPTIONAL, Requirement.NOT_APPLICABLE),
        (EngagementField.PRODUCTS, Requirement.NOT_APPLICABLE, Requirement.REQUIRED),
        (EngagementField.CUSTOMER_CONTACT, Requirement.NOT_APPLICABLE, Requirement.REQUIRED),
        (EngagementField.PARTNER_CONTACT, Requirement.REQUIRED, Requirement.REQUIRED),
        (EngagementField.ATTACHMENTS, Requirement.OPTIONAL, Requirement.OPTIONAL),
    ],
)
def test_the_field_table_follows_cce_3(
    field: EngagementField, account_planning: Requirement, opportunity: Requirement
) -> None:
    assert requirement(field, AP) is account_planning
    assert requirement(field, OPP) is opportunity


def test_the_field_table_covers_every_field_and_both_categories() -> None:
    assert set(FIELD_TABLE) == set(EngagementField)
    assert all(set(row) == set(Category) for row in FIELD_TABLE.values())
