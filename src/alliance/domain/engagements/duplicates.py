"""CCE-4: does a submitted opportunity already exist?

* When the notes carry the vendor's existing opportunity id (a configurable pattern,
  ``OPP-\\d+`` by default), the check uses **that id only** — not the customer, not the
  products (the seed: « Oracle utilise uniquement l'ID d'opportunité pour les
  validations et non les produits sélectionnés »). Another engagement quoting the same
  id is a duplicate, whatever its state.
* Otherwise engagements of the same category are compared on the customer's normalised
  legal name and address and on their products: an **open** engagement (its deal not
  closed) for the same customer at the same address with a product in common over
  overlapping service periods is a *duplicate*; the same customer with only one of the
  two (address, products) is a *possible duplicate*, for the vendor to look at.

Every verdict lists its matches and explains itself line by line (X-3).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from alliance.domain.engagements.engagement import (
    Address,
    Customer,
    Engagement,
    ProductLine,
    Status,
)

RULE = "CCE-4"

LEGAL_FORMS: frozenset[str] = frozenset(
    {
        "sa", "sas", "sasu", "sarl", "eurl", "sci", "sca", "snc", "scop",
        "gmbh", "ag", "kg", "ohg", "ug", "ev", "co", "cie",
        "ltd", "limited", "plc", "llp", "lp", "llc", "inc", "incorporated", "corp",
        "corporation", "company", "pllc",
        "bv", "nv", "vof", "spa", "srl", "sl", "sau", "slu", "oy", "oyj", "ab", "as",
        "asa", "aps", "kk", "pte", "pty", "bhd", "sdn",
    }
)  # fmt: skip
"""Legal-form words dropped from the end of a customer's name before comparing."""

ADDRESS_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "street": "st", "str": "st", "strasse": "st", "avenue": "av", "ave": "av",
        "boulevard": "bd", "blvd": "bd", "bld": "bd", "road": "rd", "suite": "ste",
        "floor": "fl", "building": "bldg", "saint": "st", "sainte": "ste",
    }
)  # fmt: skip
"""Spellings of the same address word, folded to one."""

_DROPPED = "'’.`´"  # dropped without a gap: "S.A.S." → "sas", "L'Oréal" → "loreal"


class Verdict(StrEnum):
    NEW = "new"
    DUPLICATE = "duplicate"
    POSSIBLE_DUPLICATE = "possible_duplicate"


@dataclass(frozen=True)
class DuplicatePolicy:
    """Configurable parts of CCE-4: the vendor's opportunity-id pattern, and which states
    of an existing engagement count as closed (no longer a duplicate by customer)."""

    opportunity_id_pattern: str = r"\bOPP-\d+\b"
    closed_states: frozenset[Status] = frozenset(
        {Status.ELIGIBLE, Status.INELIGIBLE, Status.INCENTIVE_RELEASED}
    )


DEFAULT_DUPLICATE_POLICY = DuplicatePolicy()


@dataclass(frozen=True)
class DuplicateMatch:
    """An existing engagement that may be the same, and why."""

    engagement_id: str
    verdict: Verdict
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class DuplicateCheck:
    """The verdict on a candidate, its matches (strongest first) and an explanation."""

    verdict: Verdict
    matches: tuple[DuplicateMatch, ...]
    explanation: tuple[str, ...]
    rule: str = RULE


def _fold(text: str) -> list[str]:
    """Case, accents and punctuation removed; the words that are left."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join("" if c in _DROPPED else c if c.isalnum() else " " for c in text)
    return _join_initials(text.split())


def _join_initials(words: list[str]) -> list[str]:
    """``s a s`` → ``sas``: a run of single letters is one abbreviation."""
    out: list[str] = []
    run = ""
    for word in words:
        if len(word) == 1 and word.isalpha():
            run += word
            continue
        if run:
            out.append(run)
            run = ""
        out.append(word)
    if run:
        out.append(run)
    return out


def normalise_name(legal_name: str, legal_forms: frozenset[str] = LEGAL_FORMS) -> str:
    """A customer's legal name for comparison: ``"ACME S.A.S."`` and ``"Acme SAS"`` are
    both ``"acme"``. Trailing legal forms are dropped, but never the last word."""
    words = _fold(legal_name)
    while len(words) > 1 and words[-1] in legal_forms:
        words.pop()
    return " ".join(words)


def normalise_address(address: Address) -> str:
    """An address for comparison: street, postal code, city, country, folded."""
    parts = (address.street, address.postal_code, address.city, address.region, address.country)
    words = _fold(" ".join(parts))
    return " ".join(ADDRESS_WORDS.get(w, w) for w in words)


def customer_key(customer: Customer) -> tuple[str, str]:
    """What makes two customers the same: normalised legal name and address."""
    return normalise_name(customer.legal_name), normalise_address(customer.address)


def find_saved_customer(saved: Iterable[Customer], candidate: Customer) -> Customer | None:
    """The saved customer ``candidate`` is (CCE-3: new customers are saved for reuse)."""
    key = customer_key(candidate)
    return next((c for c in saved if customer_key(c) == key), None)


def vendor_opportunity_ids(
    notes: str, policy: DuplicatePolicy = DEFAULT_DUPLICATE_POLICY
) -> frozenset[str]:
    """The vendor's opportunity ids quoted in ``notes``, upper-cased (CCE-4)."""
    pattern = re.compile(policy.opportunity_id_pattern, re.IGNORECASE)
    return frozenset(m.group(0).upper() for m in pattern.finditer(notes))


def check_duplicates(
    candidate: Engagement,
    existing: Iterable[Engagement],
    policy: DuplicatePolicy = DEFAULT_DUPLICATE_POLICY,
) -> DuplicateCheck:
    """CCE-4: is ``candidate`` new, a duplicate, or possibly one?"""
    others = [e for e in existing if e.id != candidate.id and e.category is candidate.category]
    ids = vendor_opportunity_ids(candidate.notes_text, policy)
    if ids:
        return _by_vendor_id(ids, others, policy)
    return _by_customer(candidate, others, policy)


def _by_vendor_id(
    ids: frozenset[str], others: list[Engagement], policy: DuplicatePolicy
) -> DuplicateCheck:
    quoted = ", ".join(sorted(ids))
    head = f"the notes quote the vendor's opportunity id {quoted}: only that id is compared"
    matches = []
    for other in others:
        shared = ids & vendor_opportunity_ids(other.notes_text, policy)
        if shared:
            reason = f"{other.id} quotes the same opportunity id {', '.join(sorted(shared))}"
            matches.append(DuplicateMatch(other.id, Verdict.DUPLICATE, (reason,)))
    if not matches:
        line = f"no other engagement quotes {quoted}: new [{RULE}]"
        return DuplicateCheck(Verdict.NEW, (), (head, line))
    lines = [head, *(f"{m.reasons[0]} [{RULE}]" for m in matches)]
    return DuplicateCheck(Verdict.DUPLICATE, tuple(matches), tuple(lines))


def _by_customer(
    candidate: Engagement, others: list[Engagement], policy: DuplicatePolicy
) -> DuplicateCheck:
    name, address = customer_key(candidate.customer)
    lines = [f"no opportunity id in the notes: compared on customer {name!r} and products"]
    matches: list[DuplicateMatch] = []
    for other in others:
        if other.status in policy.closed_states:
            continue
        other_name, other_address = customer_key(other.customer)
        if other_name != name:
            continue
        reasons = [f"{other.id} is open for the same customer {name!r}"]
        same_address = other_address == address
        reasons.append("at the same address" if same_address else "at another address")
        common = _overlapping_products(candidate.products, other.products)
        if common:
            reasons.append(f"with {', '.join(common)} over overlapping periods")
        elif candidate.products or other.products:
            reasons.append("with no product in common over overlapping periods")
        products_match = bool(common) or not (candidate.products or other.products)
        if same_address and products_match:
            verdict = Verdict.DUPLICATE
        elif same_address or common:
            verdict = Verdict.POSSIBLE_DUPLICATE
        else:
            continue
        matches.append(DuplicateMatch(other.id, verdict, tuple(reasons)))
    matches.sort(key=lambda m: (m.verdict is not Verdict.DUPLICATE, m.engagement_id))
    for match in matches:
        lines.append(f"{', '.join(match.reasons)}: {match.verdict} [{RULE}]")
    if not matches:
        lines.append(f"no open engagement for this customer: new [{RULE}]")
        return DuplicateCheck(Verdict.NEW, (), tuple(lines))
    return DuplicateCheck(matches[0].verdict, tuple(matches), tuple(lines))


def _overlapping_products(
    mine: tuple[ProductLine, ...], theirs: tuple[ProductLine, ...]
) -> list[str]:
    """Products in both, whose service periods overlap (an unknown period overlaps)."""
    common: list[str] = []
    for line in mine:
        for other in theirs:
            if line.product.strip().casefold() != other.product.strip().casefold():
                continue
            a, b = line.service_period, other.service_period
            if (a is None or b is None or a.overlaps(b)) and line.product not in common:
                common.append(line.product)
    return common
