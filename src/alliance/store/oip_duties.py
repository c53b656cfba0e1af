"""OIP duty profiles and progress in SQL: ``uow.oip_duties``
(:class:`~alliance.services.status_incentives.ports.DutyStore`)."""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from alliance.services.status_incentives.ports import DutyProfile, DutyProgress
from alliance.store.integrity import guarded
from alliance.store.oip_duty_tables import oip_duty_profiles as PRO
from alliance.store.oip_duty_tables import oip_duty_progress as PRG


class SqlDutyStore:
    def __init__(self, session: Session) -> None:
        self._session = session

    def profile(self, partner_id: str) -> DutyProfile | None:
        row = (
            self._session.execute(select(PRO).where(PRO.c.partner_id == partner_id))
            .mappings()
            .first()
        )
        if row is None:
            return None
        return DutyProfile(
            row["partner_id"],
            frozenset(row["product_lines"]),
            frozenset(row["flags"]),
            row["updated_at"],
            row["updated_by"],
        )

    def save_profile(self, profile: DutyProfile) -> None:
        with guarded(self._session, PRO, "duty profile"):
            self._session.execute(delete(PRO).where(PRO.c.partner_id == profile.partner_id))
            self._session.execute(
                insert(PRO).values(
                    partner_id=profile.partner_id,
                    product_lines=sorted(profile.product_lines),
                    flags=sorted(profile.flags),
                    updated_at=profile.updated_at,
                    updated_by=profile.updated_by,
                )
            )

    def progress(self, partner_id: str) -> dict[str, DutyProgress]:
        rows = self._session.execute(
            select(PRG).where(PRG.c.partner_id == partner_id).order_by(PRG.c.item_key)
        ).mappings()
        return {
            row["item_key"]: DutyProgress(
                row["partner_id"],
                row["item_key"],
                row["done"],
                row["updated_at"],
                row["updated_by"],
            )
            for row in rows
        }

    def record(self, progress: DutyProgress) -> None:
        with guarded(self._session, PRG, "duty progress"):
            self._session.execute(
                delete(PRG).where(
                    PRG.c.partner_id == progress.partner_id, PRG.c.item_key == progress.item_key
                )
            )
            self._session.execute(
                insert(PRG).values(
                    partner_id=progress.partner_id,
                    item_key=progress.item_key,
                    done=progress.done,
                    updated_at=progress.updated_at,
                    updated_by=progress.updated_by,
                )
            )
