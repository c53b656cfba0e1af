"""The parameters of a customer reward program, as one value: :class:`RewardTerms`.

The rules in this package take their numbers from the terms, never from constants, so a
program definition file can be mapped onto them by the service layer. The defaults are
SPEC §5's (OSR): 25 % standard, 33 % with a ULA, five excluded regions, committed-credit
orders only, overage earning on its own price, Java / some MySQL offers / Linux support
not payable, 12 months of validity, earliest expiry first.

Rates are fractions, as in program definitions (``25%`` is ``Decimal("0.25")``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from alliance.domain.errors import InvalidInput
from alliance.domain.ledger import RedemptionOrder
from alliance.domain.rewards.subscriptions import OrderType, Sector
from alliance.domain.rewards.validation import country_code, enum_member, enum_members


class OveragePolicy(StrEnum):
    """How consumption above the commitment earns (OSR-15)."""

    SAME_RATE_ON_OVERAGE_PRICE = "same_rate_on_overage_price"
    EXCLUDED = "excluded"


STANDARD_RATE = Decimal("0.25")  # OSR-11
ULA_RATE = Decimal("0.33")  # OSR-11
EXCLUDED_COUNTRIES = frozenset({"CN", "CO", "MX", "TW"})  # OSR-3: China, Colombia, Mexico, Taiwan
EXCLUDED_SECTORS = frozenset({Sector.US_FEDERAL_PUBLIC})  # OSR-3: US federal public sector
ELIGIBLE_ORDER_TYPES = frozenset({OrderType.COMMITTED_CREDITS})  # OSR-2
EXCLUDED_SUPPORT_PROGRAMS = frozenset(  # OSR-20, ids as in programs/builtin/osr.yaml
    {"java_support", "mysql_support_some_offers", "linux_support"}
)
VALIDITY_MONTHS = 12  # OSR-14


@dataclass(frozen=True)
class RewardTerms:
    """What a reward program earns on, at which rate, and what its rewards can pay.

    * ``standard_rate`` / ``ula_rate`` — fractions of eligible consumption (OSR-11);
      ``ula_rate_across_hierarchy`` — a ULA anywhere in a corporate hierarchy gives the
      ULA rate to every entity of it (OSR-11's "mix of ULA and non-ULA").
    * ``eligible_order_types`` (OSR-2), ``excluded_countries`` (ISO alpha-2) and
      ``excluded_sectors`` (OSR-3), ``overage`` (OSR-15).
    * ``excluded_support_programs`` — support programs whose invoice lines rewards never
      pay (OSR-20); ``validity_months`` (OSR-14); ``redemption_order`` (OSR-21).
    * ``program`` and ``wallet`` — where the lots live in the ledger.
    """

    standard_rate: Decimal = STANDARD_RATE
    ula_rate: Decimal = ULA_RATE
    ula_rate_across_hierarchy: bool = True
    eligible_order_types: frozenset[OrderType] = ELIGIBLE_ORDER_TYPES
    excluded_countries: frozenset[str] = EXCLUDED_COUNTRIES
    excluded_sectors: frozenset[Sector] = EXCLUDED_SECTORS
    overage: OveragePolicy = OveragePolicy.SAME_RATE_ON_OVERAGE_PRICE
    excluded_support_programs: frozenset[str] = EXCLUDED_SUPPORT_PROGRAMS
    validity_months: int = VALIDITY_MONTHS
    redemption_order: RedemptionOrder = RedemptionOrder.EARLIEST_EXPIRY_FIRST
    program: str = "osr"
    wallet: str = "support_rewards"

    @classmethod
    def default(cls) -> RewardTerms:
        """The OSR terms of SPEC §5."""
        return cls()

    def __post_init__(self) -> None:
        for name in ("standard_rate", "ula_rate"):
            _check_rate(getattr(self, name), name)
        _set(self, "eligible_order_types", enum_members(OrderType, self.eligible_order_types))
        _set(self, "excluded_sectors", enum_members(Sector, self.excluded_sectors))
        _set(self, "overage", enum_member(OveragePolicy, self.overage, "overage"))
        _set(
            self,
            "redemption_order",
            enum_member(RedemptionOrder, self.redemption_order, "redemption_order"),
        )
        _set(
            self,
            "excluded_countries",
            frozenset(country_code(c, "excluded_countries") for c in self.excluded_countries),
        )
        _set(self, "excluded_support_programs", frozenset(self.excluded_support_programs))
        months = self.validity_months
        if isinstance(months, bool) or not isinstance(months, int) or months < 1:
            raise InvalidInput(
                f"rewards are valid at least 1 month, got {months!r}",
                field="validity_months",
                rule="OSR-14",
            )
        if not self.program.strip() or not self.wallet.strip():
            raise InvalidInput("terms name their program and wallet", field="wallet")

    def rate(self, ula: bool) -> Decimal:
        """The accrual rate: ``ula_rate`` for a ULA customer, else ``standard_rate``."""
        return self.ula_rate if ula else self.standard_rate


def _check_rate(rate: object, field: str) -> None:
    if isinstance(rate, float) or not isinstance(rate, Decimal):
        raise InvalidInput(f"{field} is a Decimal fraction such as 0.25", field=field, rule="X-1")
    if not (rate.is_finite() and 0 <= rate <= 1):
        raise InvalidInput(
            f"{field} is a fraction between 0 and 1 (0.25 is 25 %), got {rate}",
            field=field,
            rule="OSR-11",
        )


def _set(terms: RewardTerms, name: str, value: object) -> None:
    object.__setattr__(terms, name, value)
