"""CCE-4: new, duplicate, or possible duplicate — and why."""

from __future__ import annotations

import string
from dataclasses import replace
from datetime import date

from cce_builders import ACME_ADDRESS, account_plan, oci, opportunity, saas
from hypothesis import given
from hypothesis import strategies as st

from alliance.domain.calendar import DateRange
from alliance.domain.engagements import (
    LEGAL_FORMS,
    Address,
    Customer,
    DuplicatePolicy,
    Status,
    Verdict,
    check_duplicates,
    normalise_address,
    normalise_name,
    vendor_opportunity_ids,
)


def with_customer(name: str, address: Address = ACME_ADDRESS) -> Customer:
    return Customer(name, address)


def test_acme_sas_with_dots_and_acme_sas_are_the_same_customer() -> None:
    assert normalise_name("ACME S.A.S.") == normalise_name("Acme SAS") == "acme"
    assert (
        normalise_name("Société Générale, S. A.")
        == normalise_name("SOCIETE GENERALE")
        == ("societe generale")
    )
    assert normalise_name("Müller GmbH & Co. KG") == "muller"
    assert normalise_name("Acme, Inc.") == normalise_name("ACME Ltd") == "acme"


def test_a_name_that_is_only_a_legal_form_keeps_its_word() -> None:
    assert normalise_name("S.A.") == "sa"


def test_addresses_compare_without_case_accents_punctuation_or_street_words() -> None:
    a = Address("12, Rue de la Paix", "PARIS", "FR", "75002")
    b = Address("12 rue de la paix", "Paris", "FR", "75002")
    assert normalise_address(a) == normalise_address(b)
    assert normalise_address(Address("1 Main Street", "Springfield", "US")) == normalise_address(
        Address("1 main st.", "Springfield", "US")
    )


def test_acme_sas_and_acme_sas_with_the_same_product_are_duplicates() -> None:
    existing = opportunity("eng_old", status=Status.IN_REVIEW)
    candidate = replace(opportunity("eng_new"), customer=with_customer("Acme SAS"))

    check = check_duplicates(candidate, [existing])

    assert check.verdict is Verdict.DUPLICATE
    assert [m.engagement_id for m in check.matches] == ["eng_old"]
    assert check.rule == "CCE-4"
    assert "compared on customer 'acme' and products" in check.explanation[0]
    assert "oci-compute over overlapping periods" in check.explanation[1]


def test_the_opportunity_id_in_the_notes_decides_alone() -> None:
    # Same customer, same product: it would be a duplicate by customer — but the notes
    # quote a vendor opportunity id nobody else quotes, so it is new.
    existing = opportunity("eng_old", status=Status.IN_REVIEW, notes="vendor ref OPP-1001")
    candidate = opportunity("eng_new", notes="see opp-2002 with the vendor's rep")

    check = check_duplicates(candidate, [existing])

    assert check.verdict is Verdict.NEW
    assert check.explanation[0].startswith("the notes quote the vendor's opportunity id OPP-2002")


def test_the_same_opportunity_id_is_a_duplicate_whatever_the_customer_or_products() -> None:
    existing = opportunity(
        "eng_old", status=Status.INELIGIBLE, notes="OPP-1001", products=(saas(),)
    )
    other_customer = with_customer("Globex Corporation", Address("1 Main St", "Springfield", "US"))
    candidate = replace(opportunity("eng_new", notes="OPP-1001"), customer=other_customer)

    check = check_duplicates(candidate, [existing])

    assert check.verdict is Verdict.DUPLICATE
    assert check.matches[0].reasons == ("eng_old quotes the same opportunity id OPP-1001",)


def test_the_opportunity_id_pattern_is_configurable() -> None:
    policy = DuplicatePolicy(opportunity_id_pattern=r"\b\d{8}\b")

    assert vendor_opportunity_ids("deal 12345678, not OPP-1", policy) == {"12345678"}


def test_the_same_customer_at_another_address_with_the_same_product_is_possible() -> None:
    existing = opportunity("eng_old", status=Status.ACCEPTED)
    lyon = Address("3 quai Perrache", "Lyon", "FR", "69002")
    candidate = replace(opportunity("eng_new"), customer=with_customer("ACME", lyon))

    check = check_duplicates(candidate, [existing])

    assert check.verdict is Verdict.POSSIBLE_DUPLICATE


def test_the_same_customer_with_other_products_is_possible() -> None:
    existing = opportunity("eng_old", status=Status.ACCEPTED, products=(saas(),))

    check = check_duplicates(opportunity("eng_new"), [existing])

    assert check.verdict is Verdict.POSSIBLE_DUPLICATE
    assert "no product in common" in check.explanation[1]


def test_products_in_periods_that_do_not_overlap_are_not_a_duplicate() -> None:
    next_year = oci(period=DateRange(date(2026, 1, 1), date(2026, 12, 31)))
    existing = opportunity("eng_old", status=Status.ACCEPTED, products=(next_year,))

    check = check_duplicates(opportunity("eng_new"), [existing])

    assert check.verdict is Verdict.POSSIBLE_DUPLICATE


def test_a_closed_deal_for_the_same_customer_does_not_make_a_new_one_a_duplicate() -> None:
    lost = opportunity("eng_lost", status=Status.INELIGIBLE)

    check = check_duplicates(opportunity("eng_new"), [lost])

    assert check.verdict is Verdict.NEW
    assert check.explanation[-1] == "no open engagement for this customer: new [CCE-4]"


def test_the_strongest_match_decides_and_comes_first() -> None:
    possible = opportunity("eng_a", status=Status.ACCEPTED, products=(saas(),))
    duplicate = opportunity("eng_b", status=Status.SUBMITTED)

    check = check_duplicates(opportunity("eng_new"), [possible, duplicate, account_plan()])

    assert check.verdict is Verdict.DUPLICATE
    assert [m.engagement_id for m in check.matches] == ["eng_b", "eng_a"]


def test_an_engagement_is_not_its_own_duplicate() -> None:
    me = opportunity("eng_1")

    assert check_duplicates(me, [me]).verdict is Verdict.NEW


@given(st.text(max_size=40))
def test_name_normalisation_is_idempotent(name: str) -> None:
    once = normalise_name(name)
    assert normalise_name(once) == once


WORDS = st.text(alphabet=string.ascii_letters, min_size=2, max_size=10).filter(
    lambda w: w.casefold() not in LEGAL_FORMS
)


@given(st.lists(WORDS, min_size=1, max_size=4), st.sampled_from(["SA", "S.A.S.", "GmbH", "Ltd."]))
def test_a_legal_form_suffix_never_changes_a_name(words: list[str], suffix: str) -> None:
    name = " ".join(words)
    assert normalise_name(f"{name} {suffix}") == normalise_name(name)


@given(st.text(max_size=40))
def test_address_normalisation_is_idempotent(street: str) -> None:
    once = normalise_address(Address(street, "", ""))
    assert normalise_address(Address(once, "", "")) == once
