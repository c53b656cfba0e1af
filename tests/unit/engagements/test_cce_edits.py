"""CCE-5: what a partner may change after submission, and what the vendor reviews."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from cce_builders import ACME_ADDRESS, account_plan, invoice, oci, opportunity, saas

from alliance.domain.engagements import (
    Attachment,
    Contact,
    CustomerNotEditable,
    EngagementChanges,
    EngagementClosed,
    EngagementField,
    FieldNotEditable,
    IncompleteEngagement,
    Status,
    UnknownAttachmentCategory,
    plan_edit,
)

F = EngagementField


def test_an_opportunity_product_change_is_applied_and_routed_to_sales_review() -> None:
    outcome = plan_edit(opportunity(), EngagementChanges(products=(oci("150000"), saas())))

    assert outcome.applied == (F.PRODUCTS,)
    assert outcome.needs_sales_review
    assert outcome.sales_review == (F.PRODUCTS,)
    assert outcome.engagement.products == (oci("150000"), saas())
    assert "routed to the vendor's sales team for review [CCE-5]" in outcome.explanation[1]


def test_a_close_date_change_also_goes_to_sales_review_as_the_seed_says() -> None:
    outcome = plan_edit(opportunity(), EngagementChanges(estimated_close_date=date(2025, 9, 30)))

    assert outcome.sales_review == (F.ESTIMATED_CLOSE_DATE,)


def test_a_name_or_contact_change_needs_no_review() -> None:
    outcome = plan_edit(
        opportunity(),
        EngagementChanges(name="ACME ERP", customer_contact=Contact("Cleo Customer")),
    )

    assert set(outcome.applied) == {F.NAME, F.CUSTOMER_CONTACT}
    assert not outcome.needs_sales_review
    assert not outcome.needs_document_review


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.ACCEPTED, Status.INCENTIVE_RELEASED])
def test_the_customer_name_is_never_editable(status: Status) -> None:
    with pytest.raises(CustomerNotEditable) as refused:
        plan_edit(opportunity(status=status), EngagementChanges(customer="ACME Holding"))

    assert (refused.value.field, refused.value.rule) == ("customer", "CCE-5")


def test_the_customer_address_is_never_editable_even_on_account_planning() -> None:
    moved = replace(ACME_ADDRESS, street="1 avenue Foch")

    with pytest.raises(CustomerNotEditable) as refused:
        plan_edit(account_plan(), EngagementChanges(customer_address=moved))

    assert refused.value.field == "customer_address"


def test_sending_the_customer_back_unchanged_is_not_an_edit() -> None:
    outcome = plan_edit(
        opportunity(),
        EngagementChanges(customer="ACME S.A.S.", customer_address=ACME_ADDRESS, name="New"),
    )

    assert outcome.applied == (F.NAME,)


@pytest.mark.parametrize("status", [Status.ELIGIBLE, Status.INELIGIBLE, Status.INCENTIVE_RELEASED])
def test_a_closed_deal_refuses_a_product_edit(status: Status) -> None:
    with pytest.raises(EngagementClosed) as refused:
        plan_edit(opportunity(status=status), EngagementChanges(products=(saas(),)))

    assert (refused.value.field, refused.value.rule) == ("products", "CCE-5")
    assert "notes and attachments can still be added" in refused.value.message


def test_a_closed_deal_accepts_a_note_and_an_attachment() -> None:
    won = opportunity(status=Status.ELIGIBLE)

    outcome = plan_edit(
        won,
        EngagementChanges(add_notes=("PO received",), add_attachments=(invoice(),)),
    )

    assert outcome.applied == (F.NOTES, F.ATTACHMENTS)
    assert outcome.engagement.notes == (*won.notes, "PO received")
    assert outcome.engagement.attachments == (invoice(),)


def test_a_deal_judged_not_eligible_is_not_closed_and_can_still_change() -> None:
    outcome = plan_edit(
        opportunity(status=Status.NOT_ELIGIBLE), EngagementChanges(products=(saas(),))
    )

    assert outcome.needs_sales_review


def test_a_non_miscellaneous_attachment_triggers_a_document_review() -> None:
    sow = Attachment("sow.pdf", "statement_of_work")
    misc = Attachment("photo.png", "miscellaneous")

    outcome = plan_edit(opportunity(), EngagementChanges(add_attachments=(sow, misc, invoice())))

    assert outcome.needs_document_review
    assert outcome.documents_for_review == (sow, invoice())


def test_a_miscellaneous_attachment_alone_triggers_no_review() -> None:
    outcome = plan_edit(
        opportunity(), EngagementChanges(add_attachments=(Attachment("x.png", "miscellaneous"),))
    )

    assert not outcome.needs_document_review


def test_an_attachment_of_an_unknown_category_is_refused() -> None:
    with pytest.raises(UnknownAttachmentCategory) as refused:
        plan_edit(opportunity(), EngagementChanges(add_attachments=(Attachment("a", "memo"),)))

    assert refused.value.field == "attachments[0].category"


def test_account_planning_may_change_its_partner_contact_notes_and_engagement_id() -> None:
    outcome = plan_edit(
        account_plan(),
        EngagementChanges(
            partner_contact=Contact("Pia Partner"), notes=("rewritten",), reference="AP-2025-7"
        ),
    )

    edited = outcome.engagement
    assert set(outcome.applied) == {F.PARTNER_CONTACT, F.NOTES, F.ENGAGEMENT_ID}
    assert (edited.id, edited.reference, edited.notes) == ("eng_ap", "AP-2025-7", ("rewritten",))


def test_account_planning_may_not_change_its_name_after_submission() -> None:
    with pytest.raises(FieldNotEditable) as refused:
        plan_edit(account_plan(), EngagementChanges(name="Renamed"))

    assert (refused.value.field, refused.value.rule) == ("name", "CCE-5")


def test_every_refused_field_is_named_in_one_error() -> None:
    with pytest.raises(CustomerNotEditable) as refused:
        plan_edit(
            account_plan(),
            EngagementChanges(customer="Other", name="Renamed", solution_description="x"),
        )

    assert [p.field for p in refused.value.problems] == [
        "customer",
        "name",
        "solution_description",
    ]


def test_an_edited_product_must_still_be_complete() -> None:
    with pytest.raises(IncompleteEngagement) as refused:
        plan_edit(opportunity(), EngagementChanges(products=(replace(oci(), amount=None),)))

    assert refused.value.field == "products[0].amount"


def test_a_refused_edit_leaves_the_engagement_unchanged() -> None:
    before = opportunity(status=Status.INELIGIBLE)

    with pytest.raises(EngagementClosed):
        plan_edit(before, EngagementChanges(name="x", add_notes=("lost to a competitor",)))

    assert before.notes == ("Migration of the ERP estate",)
