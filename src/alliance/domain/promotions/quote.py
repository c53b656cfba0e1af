"""A quote: every price of a basket with the promotions applied, and why or why not
(OIP-7, OIP-8, X-3).

For each promotion of the program, in order:

1. it must be for the partner's **status** and **member type** (OIP-7);
2. the status's **quarterly minimum** must be met, quarter to date (OIP-8) — "Number
   porting grid needs 600.00 EUR of order intake in 2026-Q2; you have 420.00 EUR";
3. its **condition** must hold on the basket ("needs more than 10 Number porting…").

The eligible promotions then price the lines. On one line, **cumulative** promotions
stack; a promotion that is not cumulative applies alone; the cheaper way wins (ties:
the stack, then the promotions in program order). An **exclusive** promotion never
combines with any other promotion in the basket: the quote is priced with the others,
then with each exclusive one alone, and the cheaper basket wins.

Within a stack, replacement prices come first (the lower of the line's price and the
promotion's: a promotion never raises a price; a tiered price takes the highest tier the
quantity exceeds), then each percentage off the running price, in program order
(10 % then 5 % is 14.5 % off). Fee waivers remove the line's service-access fee; price
grids and incentives are named, not priced (their values are kept by the vendor).

Amounts stay exact per unit; each line total is rounded half-up to the cent once, and the
basket total is the sum of the rounded lines and fees (X-1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from alliance.domain.errors import InvalidInput
from alliance.domain.explanations import Explanation, Reason, plain
from alliance.domain.money import Money, sum_money
from alliance.domain.promotions.basket import Basket, BasketLine, QuoteParty
from alliance.domain.promotions.conditions import condition_holds
from alliance.domain.promotions.minimums import quarter_to_date
from alliance.domain.promotions.terms import (
    PRICING,
    BenefitKind,
    PriceBenefit,
    PromotionsTerms,
    PromotionTerms,
)


@dataclass(frozen=True)
class PromotionCheck:
    """Whether a promotion was open to the partner, applied, and why (or why not)."""

    promotion: str
    name: str
    eligible: bool
    applied: bool
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class QuoteLine:
    product: str
    name: str
    quantity: int
    list_unit_price: Money
    unit_price: Money  # exact
    list_total: Money
    total: Money  # rounded half-up to the cent
    fee: Money | None
    fee_charged: Money | None
    promotions: tuple[str, ...]
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Quote:
    partner_id: str
    member_type: str
    status: str
    as_of: date
    lines: tuple[QuoteLine, ...]
    promotions: tuple[PromotionCheck, ...]
    list_total: Money
    total: Money
    explanation: Explanation

    @property
    def savings(self) -> Money:
        return self.list_total - self.total

    def check(self, promotion_id: str) -> PromotionCheck:
        for check in self.promotions:
            if check.promotion == promotion_id:
                return check
        raise KeyError(promotion_id)


Candidate = tuple[PromotionTerms, PriceBenefit]


def quote(party: QuoteParty, basket: Basket, terms: PromotionsTerms, as_of: date) -> Quote:
    """Price ``basket`` for ``party`` on ``as_of`` with every promotion it may use."""
    eligible: list[PromotionTerms] = []
    reasons: dict[str, list[Reason]] = {}
    for promotion in terms.promotions:
        ok, why = _eligibility(promotion, party, basket, terms, as_of)
        reasons[promotion.id] = why
        if ok:
            eligible.append(promotion)
    plain_set = [p for p in eligible if not p.exclusive]
    kind = party.member_type
    options = [_price(basket, plain_set, terms, kind)]
    options += [_price(basket, [p], terms, kind) for p in eligible if p.exclusive]
    lines, applied = min(options, key=lambda option: _total(option[0], terms.currency))
    checks = []
    for promotion in terms.promotions:
        why = reasons[promotion.id]
        is_eligible = promotion in eligible
        used = promotion.id in applied
        if is_eligible and not used:
            why.append(Reason("OIP-7", _unused(promotion, lines, basket)))
        checks.append(PromotionCheck(promotion.id, promotion.name, is_eligible, used, tuple(why)))
    list_total = sum_money(
        (line.list_total.rounded() for line in lines), terms.currency
    ) + sum_money((line.fee for line in lines if line.fee is not None), terms.currency)
    total = _total(lines, terms.currency)
    summary = f"{total} instead of {list_total}" if total != list_total else f"{total}"
    explanation = Explanation(
        summary,
        (
            *(reason for line in lines for reason in line.reasons),
            Reason("X-1", "each line rounded half-up to the cent; total = sum of lines and fees"),
        ),
    )
    return Quote(
        party.partner_id,
        party.member_type,
        party.status,
        as_of,
        tuple(lines),
        tuple(checks),
        list_total,
        total,
        explanation,
    )


def _eligibility(
    promotion: PromotionTerms,
    party: QuoteParty,
    basket: Basket,
    terms: PromotionsTerms,
    as_of: date,
) -> tuple[bool, list[Reason]]:
    why: list[Reason] = []
    if party.status not in promotion.statuses:
        statuses = ", ".join(promotion.statuses)
        why.append(Reason("OIP-7", f"for {statuses} partners; you are {party.status}"))
        return False, why
    if party.member_type not in promotion.member_types:
        kinds = ", ".join(promotion.member_types)
        why.append(Reason("OIP-7", f"for {kinds}s; you are an {party.member_type}"))
        return False, why
    minimum = terms.minimum(party.status, party.member_type)
    if minimum is not None:
        check = quarter_to_date(minimum, party, as_of)
        if not check.met:
            why.append(
                Reason(
                    "OIP-8",
                    f"{promotion.name} needs {minimum.at_least} of {minimum.what} in "
                    f"{check.quarter}; you have {check.value} ({check.missing} to go)",
                )
            )
            return False, why
        why.append(
            Reason(
                "OIP-8",
                f"{minimum.what} in {check.quarter}: {check.value} of {minimum.at_least} — met",
            )
        )
    holds, because = condition_holds(promotion.condition, basket, terms)
    why.append(Reason("OIP-7", f"{promotion.name}: {because}"))
    return holds, why


def _price(
    basket: Basket, promotions: list[PromotionTerms], terms: PromotionsTerms, member_type: str
) -> tuple[list[QuoteLine], set[str]]:
    applied: set[str] = set()
    lines = []
    for line in basket.lines:
        quoted, used = _price_line(line, basket, promotions, terms, member_type)
        lines.append(quoted)
        applied |= used
    for promotion in promotions:
        for benefit in promotion.benefits:
            informative = benefit.kind in (BenefitKind.PRICE_GRID, BenefitKind.INCENTIVE)
            if informative and (benefit.product is None or basket.has(benefit.product)):
                applied.add(promotion.id)
    return lines, applied


def _price_line(
    line: BasketLine,
    basket: Basket,
    promotions: list[PromotionTerms],
    terms: PromotionsTerms,
    member_type: str,
) -> tuple[QuoteLine, set[str]]:
    candidates: list[Candidate] = [
        (p, b)
        for p in promotions
        for b in p.benefits
        if b.kind in PRICING and b.applies_to(line.product)
    ]
    base = _list_price(line, member_type, terms)
    stack = [c for c in candidates if c[0].cumulative]
    singles: dict[str, list[Candidate]] = {}
    for c in candidates:
        if not c[0].cumulative:
            singles.setdefault(c[0].id, []).append(c)
    ways = ([stack] if stack else []) + list(singles.values()) + [[]]
    priced = [_apply(way, base, line, basket) for way in ways]
    best = min(range(len(priced)), key=lambda i: (priced[i][0], i))
    unit, notes = priced[best]
    used = {p.id for p, _ in ways[best]}
    waived = any(b.kind is BenefitKind.FEE_WAIVER for p in promotions for b in p.benefits)
    fee_charged = None
    if line.fee is not None:
        fee_charged = Money.zero(line.fee.currency) if waived else line.fee
        if waived:
            used |= {
                p.id for p in promotions for b in p.benefits if b.kind is BenefitKind.FEE_WAIVER
            }
            notes.append(Reason("OIP-7", f"service-access fee {line.fee} waived"))
    name = _name(line.product, terms)
    exact_total = unit * line.quantity
    total = exact_total.rounded()
    head = Reason(
        "OIP-7",
        f"{line.quantity} × {name} at {unit} (list {base}) = {total}"
        + (f" — {', '.join(sorted(used))}" if used else " — no promotion"),
    )
    return (
        QuoteLine(
            line.product,
            name,
            line.quantity,
            base,
            unit,
            base * line.quantity,
            total,
            line.fee,
            fee_charged,
            tuple(p.id for p in promotions if p.id in used),
            (head, *notes),
        ),
        used,
    )


def _list_price(line: BasketLine, member_type: str, terms: PromotionsTerms) -> Money:
    """The line's own price, else the catalogue's, else the list price the program's
    promotions for this member type state (porting: 9 EUR for Ambassadors, 5 for
    Operators)."""
    if line.unit_price is not None:
        return line.unit_price
    product = terms.product(line.product)
    if product is not None and product.price is not None:
        return product.price
    for promotion in terms.promotions:
        if member_type not in promotion.member_types:
            continue
        for benefit in promotion.benefits:
            if benefit.applies_to(line.product) and benefit.list_price is not None:
                return benefit.list_price
    raise InvalidInput(
        f"no price for {line.product}: give the line a unit price",
        field="lines.unit_price",
        rule="OIP-7",
    )


def _apply(
    way: list[Candidate], base: Money, line: BasketLine, basket: Basket
) -> tuple[Money, list[Reason]]:
    unit = base
    notes: list[Reason] = []
    quantity = basket.quantity_of(line.product)
    for promotion, benefit in way:
        price = None
        if benefit.kind is BenefitKind.UNIT_PRICE:
            price = benefit.unit_price
        elif benefit.kind is BenefitKind.TIERED_UNIT_PRICE:
            reached = [p for above, p in benefit.tiers if quantity > above]
            price = reached[-1] if reached else None
        if price is not None and price < unit:
            unit = price
            notes.append(Reason("OIP-7", f"{promotion.name}: {price} instead of {base}"))
    for promotion, benefit in way:
        if benefit.kind is BenefitKind.PERCENT_OFF and benefit.percent is not None:
            unit = unit * (1 - benefit.percent)
            notes.append(
                Reason("OIP-7", f"{promotion.name}: {plain(benefit.percent * 100)} % off → {unit}")
            )
    return unit, notes


def _unused(promotion: PromotionTerms, lines: list[QuoteLine], basket: Basket) -> str:
    products = {b.product for b in promotion.benefits if b.product}
    present = [line for line in lines if line.product in products]
    if not present and products:
        return f"{promotion.name}: nothing in the basket it discounts"
    if promotion.exclusive:
        return f"{promotion.name}: exclusive, and the other promotions give a lower total"
    winners = sorted({p for line in present for p in line.promotions})
    if winners:
        return f"{promotion.name}: not cumulative; {', '.join(winners)} gives a lower price"
    return f"{promotion.name}: gives no lower price on this basket"


def _total(lines: list[QuoteLine], currency: str) -> Money:
    goods = sum_money((line.total for line in lines), currency)
    fees = sum_money((line.fee_charged for line in lines if line.fee_charged is not None), currency)
    return goods + fees


def _name(product: str, terms: PromotionsTerms) -> str:
    known = terms.product(product)
    return known.name if known is not None else product
