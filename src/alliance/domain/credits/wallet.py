"""The partner-credit wallet as data: its ledger names, what its lots remember, and when
they expire (CRD-1, CRD-4, CRD-6; the program definition's ``wallets.partner_credits``).

Every lot opened by these rules carries a tag saying where it came from, so a policy or
an option can choose among lots with the ledger's ``excluded_tags``:

* ``allocation`` — granted with the level (CRD-1);
* ``reward`` and ``earned_by:{organisation}`` — earned on an engagement by that
  organisation, principal or associate (CRD-4; CRD-2's "own earnings");
* ``public_sector`` — earned on a public-sector deal, refused by some options (CRD-6).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from alliance.domain.calendar import expiry_end_of_month_after
from alliance.domain.errors import InvalidInput
from alliance.domain.ledger.lots import PUBLIC_SECTOR

PARTNER_CREDITS = "partner_credits"
"""The wallet id of partner credits."""

CREDITS = "CREDITS"
"""The ledger unit of partner credits (hundredths)."""

PROGRAM = "opn"

ALLOCATION_TAG = "allocation"
REWARD_TAG = "reward"
PUBLIC_SECTOR_TAG = PUBLIC_SECTOR
EARNED_BY_PREFIX = "earned_by:"


def earned_by_tag(organization_id: str) -> str:
    """The tag of credits earned through rewards by ``organization_id`` (CRD-2, CRD-4)."""
    return f"{EARNED_BY_PREFIX}{organization_id}"


class ExpiryRule(StrEnum):
    """When a credit lot expires (the wallet definition's ``expiry.kind``)."""

    END_OF_MEMBERSHIP_TERM = "end_of_membership_term"
    END_OF_MONTH_AFTER = "end_of_month_after"
    NEVER = "never"


@dataclass(frozen=True)
class CreditWallet:
    """The wallet's configuration: ids, the per-level allocation table (CRD-1) and the
    expiry rule. Defaults are the built-in program's."""

    id: str = PARTNER_CREDITS
    unit: str = CREDITS
    program: str = PROGRAM
    allocations: Mapping[str, Decimal] = field(
        default_factory=lambda: MappingProxyType(
            {
                "l0": Decimal("500"),
                "l1": Decimal("5000"),
                "l2": Decimal("100000"),
                "l3": Decimal("500000"),
            }
        )
    )
    expiry: ExpiryRule = ExpiryRule.END_OF_MEMBERSHIP_TERM
    expiry_months: int | None = None

    def __post_init__(self) -> None:
        if self.expiry is ExpiryRule.END_OF_MONTH_AFTER and not self.expiry_months:
            raise InvalidInput(
                "an end-of-month expiry needs a number of months", field="expiry_months"
            )

    def expires_on(self, accrued_on: date, membership_ends_on: date | None) -> date | None:
        """The last day a lot opened on ``accrued_on`` can be spent (X-2)."""
        match self.expiry:
            case ExpiryRule.END_OF_MEMBERSHIP_TERM:
                if membership_ends_on is None:
                    raise InvalidInput(
                        "credits expire with the membership: its end date is needed",
                        field="membership_ends_on",
                        rule="CRD-1",
                    )
                return membership_ends_on
            case ExpiryRule.END_OF_MONTH_AFTER:
                return expiry_end_of_month_after(accrued_on, self.expiry_months or 0)
            case _:
                return None


DEFAULT_WALLET = CreditWallet()
