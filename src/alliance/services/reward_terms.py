"""A customer reward program's definition as the domain's :class:`RewardTerms` (OSR).

The YAML definition (``programs/builtin/osr.yaml``) is data validated at load time; this
module reads the parts the OSR rules take their numbers from, and refuses — naming the
field — what those rules cannot honour, rather than ignoring it:

* the ``accrual`` incentive: its fallback rate is the standard rate and the rate ``when
  has_ula is_true`` the ULA rate (OSR-11); ``rate_across_hierarchy`` (OSR-11);
  ``overage`` (OSR-15); its eligibility — ``order_kind in`` the eligible order types
  (OSR-2), ``region in`` the excluded countries and ``sector`` the excluded sectors
  (OSR-3); the rules that are always on (on-premises support, OSR-2; the PaaS
  conversion right, OSR-6; the order kinds excluded) may be written and are checked;
* its payout wallet: ``end_of_month_after`` expiry months (OSR-14), redemption order
  (OSR-21) and excluded support programs (OSR-20).

The metric's line filters (third-party, marketplace, SaaS, rack base, BYOL) are the usage
lines' flags in the domain (OSR-5, OSR-7).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from alliance.domain.errors import InvalidInput, Problem
from alliance.domain.ledger import RedemptionOrder
from alliance.domain.rewards import OrderType, OveragePolicy, RewardTerms, Sector
from alliance.programs.registry import ProgramRegistry
from alliance.programs.schema import ProgramDefinition
from alliance.programs.schema.criteria import Criterion, Operator
from alliance.programs.schema.incentives import AccrualIncentive, OverageTreatment
from alliance.programs.schema.wallets import ExpiryKind, Wallet
from alliance.programs.schema.wallets import RedemptionOrder as WalletOrder

DEFAULT_PROGRAM = "osr"
T = TypeVar("T")

_ORDERS = {
    WalletOrder.EARLIEST_EXPIRY_FIRST: RedemptionOrder.EARLIEST_EXPIRY_FIRST,
    WalletOrder.OLDEST_FIRST: RedemptionOrder.FIFO,
    WalletOrder.NEWEST_FIRST: RedemptionOrder.LIFO,
}
_OVERAGE = {
    OverageTreatment.SAME_RATE_ON_OVERAGE_PRICE: OveragePolicy.SAME_RATE_ON_OVERAGE_PRICE,
    OverageTreatment.EXCLUDED: OveragePolicy.EXCLUDED,
}


@dataclass(frozen=True)
class RewardProgram:
    """A reward program as the use cases need it: its terms and its currency."""

    code: str
    name: str
    currency: str
    terms: RewardTerms


def reward_program(programs: ProgramRegistry, code: str = DEFAULT_PROGRAM) -> RewardProgram:
    """The reward program ``code`` of the registry (NotFound lists the known codes)."""
    definition = programs.get(code)
    return RewardProgram(code, definition.name, definition.currency, terms_from_program(definition))


def terms_from_program(definition: ProgramDefinition) -> RewardTerms:
    """The :class:`RewardTerms` of ``definition``; InvalidInput lists every misfit."""
    accruals = [i for i in definition.incentives if isinstance(i, AccrualIncentive)]
    if len(accruals) != 1:
        raise InvalidInput(
            f"program {definition.code} needs exactly one accrual incentive, has {len(accruals)}",
            field="incentives",
            rule="OSR-12",
        )
    incentive = accruals[0]
    wallet = _wallet(definition, incentive)
    reader = _Reader(incentive)
    standard, ula = reader.rates()
    terms = RewardTerms(
        standard_rate=standard,
        ula_rate=ula,
        ula_rate_across_hierarchy=incentive.rate_across_hierarchy,
        eligible_order_types=reader.values("include", "order_kind", OrderType),
        excluded_countries=reader.values("exclude", "region", str),
        excluded_sectors=reader.values("exclude", "sector", Sector),
        overage=_OVERAGE[incentive.overage],
        excluded_support_programs=frozenset(wallet.redemption.excluded),
        validity_months=_validity(wallet),
        redemption_order=_ORDERS[wallet.redemption.order],
        program=definition.code,
        wallet=wallet.id,
    )
    reader.check_fixed_rules(terms)
    if reader.problems:
        raise InvalidInput(
            f"program {definition.code} does not fit the OSR rules", problems=reader.problems
        )
    return terms


def _wallet(definition: ProgramDefinition, incentive: AccrualIncentive) -> Wallet:
    wanted = incentive.payout.wallet if incentive.payout is not None else None
    wallet = next((w for w in definition.wallets if w.id == wanted), None)
    if wallet is None:
        raise InvalidInput(
            f"the accrual incentive {incentive.id} pays into no wallet of {definition.code}",
            field=f"incentives.{incentive.id}.payout.wallet",
            rule="OSR-12",
        )
    return wallet


def _validity(wallet: Wallet) -> int:
    expiry = wallet.expiry
    if expiry.kind is not ExpiryKind.END_OF_MONTH_AFTER or expiry.months is None:
        raise InvalidInput(
            f"rewards expire at the end of the month N months after accrual; wallet "
            f"{wallet.id} expires {expiry.kind}",
            field=f"wallets.{wallet.id}.expiry",
            rule="OSR-14",
        )
    return expiry.months


#: Criteria the domain always applies: writing them is allowed, and checked.
_ALWAYS = {
    ("include", "has_on_premises_support"): "OSR-2",
    ("exclude", "has_license_to_paas_conversion"): "OSR-6",
}


class _Reader:
    """Reads the incentive's criteria and rates, collecting a problem per misfit."""

    def __init__(self, incentive: AccrualIncentive) -> None:
        self.incentive = incentive
        self.problems: list[Problem] = []
        self._used: set[tuple[str, int]] = set()

    def rates(self) -> tuple[Decimal, Decimal]:
        fallback = self.incentive.rates[-1].rate
        ula = fallback
        for index, rule in enumerate(self.incentive.rates[:-1]):
            if [(c.attribute, c.op) for c in rule.when] == [("has_ula", Operator.IS_TRUE)]:
                ula = rule.rate
            else:
                self._problem(f"rates[{index}].when", "only 'has_ula is_true' selects a rate")
        return fallback, ula

    def values(self, part: str, attribute: str, kind: Callable[[str], T]) -> frozenset[T]:
        found: set[T] = set()
        for index, criterion in enumerate(getattr(self.incentive.eligibility, part)):
            if criterion.attribute != attribute:
                continue
            self._used.add((part, index))
            if criterion.op not in {Operator.IN, Operator.EQUALS}:
                self._problem(f"eligibility.{part}[{index}].op", "expected 'in' or 'equals'")
                continue
            for value in criterion.values:
                try:
                    found.add(kind(value))
                except ValueError:
                    self._problem(f"eligibility.{part}[{index}].values", f"unknown {value!r}")
        return frozenset(found)

    def check_fixed_rules(self, terms: RewardTerms) -> None:
        for part in ("include", "exclude"):
            criteria: tuple[Criterion, ...] = getattr(self.incentive.eligibility, part)
            for index, criterion in enumerate(criteria):
                if (part, index) in self._used or (part, criterion.attribute) in _ALWAYS:
                    continue
                if part == "exclude" and criterion.attribute == "order_kind":
                    overlap = {OrderType(v) for v in criterion.values if v in set(OrderType)}
                    if not overlap & terms.eligible_order_types:
                        continue
                self._problem(
                    f"eligibility.{part}[{index}]",
                    f"the OSR rules cannot apply {criterion.attribute} {criterion.op.value}",
                )

    def _problem(self, where: str, message: str) -> None:
        self.problems.append(
            Problem(message, field=f"incentives.{self.incentive.id}.{where}", rule="X-7")
        )
