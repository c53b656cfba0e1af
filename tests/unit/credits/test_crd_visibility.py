"""CRD-5: the principal's statement, or an associate's usable share — and for whom."""

from __future__ import annotations

from decimal import Decimal

import pytest
from crd_builders import (
    ASSOC_A,
    ASSOC_ADMIN,
    HIERARCHY,
    PRINCIPAL,
    PRINCIPAL_ADMIN,
    PRINCIPAL_CREDITS,
    PRINCIPAL_MARKETING,
    STRANGER,
    STRANGER_ADMIN,
    TODAY,
    fund,
    ledger,
    lots,
    person,
)

from alliance.domain.credits import (
    CREDITS,
    PARTNER_CREDITS,
    AssociatePolicy,
    AssociateSettings,
    CreditStatementNotVisible,
    CreditView,
    credit_view,
    require_statement,
    usable_share,
)
from alliance.domain.people import PartnerRole, Person

QUARTER = AssociateSettings(AssociatePolicy.PREAPPROVED_PERCENTAGE, Decimal("0.25"))


@pytest.mark.parametrize("viewer", [PRINCIPAL_ADMIN, PRINCIPAL_CREDITS])
def test_the_principals_admins_and_credit_managers_get_the_full_statement(viewer: Person) -> None:
    book = ledger()
    fund(book, "10000", key="alloc")

    require_statement(viewer, PRINCIPAL, HIERARCHY)
    statement = book.statement(PRINCIPAL, PARTNER_CREDITS, CREDITS, as_of=TODAY)

    assert credit_view(viewer, PRINCIPAL, HIERARCHY, QUARTER) is CreditView.FULL_STATEMENT
    assert statement.book.owner == PRINCIPAL


@pytest.mark.parametrize(
    "viewer",
    [PRINCIPAL_MARKETING, ASSOC_ADMIN, STRANGER_ADMIN],
)
def test_nobody_else_gets_the_principals_statement(viewer: Person) -> None:
    with pytest.raises(CreditStatementNotVisible) as refused:
        require_statement(viewer, PRINCIPAL, HIERARCHY)

    assert (refused.value.rule, refused.value.status) == ("CRD-5", 403)


def test_an_associate_admin_sees_how_much_it_may_use_under_a_preapproved_policy() -> None:
    book = ledger()
    fund(book, "10000", key="alloc")

    share = usable_share(ASSOC_ADMIN, HIERARCHY, QUARTER, lots(book), TODAY)

    assert credit_view(ASSOC_ADMIN, PRINCIPAL, HIERARCHY, QUARTER) is CreditView.USABLE_SHARE
    assert (share.organization_id, share.principal_id, share.amount) == (
        ASSOC_A,
        PRINCIPAL,
        Decimal("2500.00"),
    )
    assert share.explanation.startswith("2,500.00 CREDITS of org_principal's credits usable")


@pytest.mark.parametrize(
    "policy", [AssociatePolicy.APPROVAL_REQUIRED, AssociatePolicy.PRINCIPAL_ONLY]
)
def test_without_a_preapproved_policy_the_associate_sees_nothing(policy: AssociatePolicy) -> None:
    settings = AssociateSettings(policy)

    assert credit_view(ASSOC_ADMIN, PRINCIPAL, HIERARCHY, settings) is CreditView.NONE
    with pytest.raises(CreditStatementNotVisible):
        usable_share(ASSOC_ADMIN, HIERARCHY, settings, [], TODAY)


def test_an_associates_other_roles_see_nothing() -> None:
    marketer = person("Max Marketing", ASSOC_A, PartnerRole.MARKETING_CONTACT)

    assert credit_view(marketer, PRINCIPAL, HIERARCHY, QUARTER) is CreditView.NONE


def test_another_companys_administrator_sees_nothing_of_this_principal() -> None:
    assert credit_view(STRANGER_ADMIN, PRINCIPAL, HIERARCHY, QUARTER) is CreditView.NONE
    assert credit_view(STRANGER_ADMIN, STRANGER, HIERARCHY, QUARTER) is CreditView.FULL_STATEMENT
    with pytest.raises(CreditStatementNotVisible):
        usable_share(STRANGER_ADMIN, HIERARCHY, QUARTER, [], TODAY)
