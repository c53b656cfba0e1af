"""A booked deal: who transacted it and who influenced it (PEX-3, PEX-5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from alliance.domain.errors import InvalidInput
from alliance.domain.money import Money


@dataclass(frozen=True, slots=True)
class Deal:
    """A deal of ``amount`` booked on ``booked_on`` through ``transacting_partner_id``.

    ``influencing_partner_ids`` are the partners whose influence the vendor recognised
    (PEX-3: the transaction may go through another partner). ``product_kind`` is what was
    sold — licence bookings feed the Resell tranche margin (PEX-5).
    """

    deal_id: str
    transacting_partner_id: str
    amount: Money
    booked_on: date
    influencing_partner_ids: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    product_kind: str = "license"

    def __post_init__(self) -> None:
        object.__setattr__(self, "influencing_partner_ids", tuple(self.influencing_partner_ids))
        object.__setattr__(self, "products", tuple(self.products))
        if self.amount.is_negative():
            raise InvalidInput(
                f"deal {self.deal_id} has a negative amount {self.amount}",
                field="amount",
                rule="PEX-5",
            )
        if len(set(self.influencing_partner_ids)) != len(self.influencing_partner_ids):
            raise InvalidInput(
                f"deal {self.deal_id} names an influencer twice",
                field="influencing_partner_ids",
                rule="PEX-3",
            )
