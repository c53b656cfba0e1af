"""The SQL unit of work: one session, one transaction, rolled back unless committed.

``with uow: …; uow.commit()`` — entering opens the transaction (on SQLite this takes
the write lock: ``BEGIN IMMEDIATE``), leaving rolls back whatever was not committed and
returns the connection to the pool. A unit of work may be entered again afterwards;
each entry is a new transaction.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session, sessionmaker

from alliance.domain.clock import Clock, SystemClock
from alliance.services.credits.ports import CreditStore
from alliance.services.engagements.ports import EngagementStore
from alliance.services.evaluation.ports import OutcomeStore
from alliance.services.memberships.ports import MembershipStore
from alliance.services.modular_tiers.ports import PexStore
from alliance.services.ports import (
    AuditJournal,
    LedgerRepository,
    OrganizationRepository,
    OutboxRepository,
    PasswordResetRepository,
    PersonRepository,
    UserRepository,
    WebhookRepository,
)
from alliance.services.rewards.ports import RewardsStore
from alliance.services.status_incentives.ports import DutyStore
from alliance.services.tier_facts.ports import TierFactsStore
from alliance.store.audit import SqlAuditJournal
from alliance.store.credits import SqlCreditStore
from alliance.store.engagements import SqlEngagementStore
from alliance.store.ledger import SqlLedger
from alliance.store.memberships import SqlMembershipStore
from alliance.store.notifications import SqlOutbox, SqlWebhookRepository
from alliance.store.oip_duties import SqlDutyStore
from alliance.store.organizations import SqlOrganizationRepository
from alliance.store.password_resets import SqlPasswordResetRepository
from alliance.store.people import SqlPersonRepository
from alliance.store.pex import SqlPexStore
from alliance.store.rewards import SqlRewardsStore
from alliance.store.tier_facts import SqlTierFactsStore
from alliance.store.tier_outcomes import SqlOutcomeStore
from alliance.store.users import SqlUserRepository


class SqlUnitOfWork:
    """Implements :class:`alliance.services.ports.UnitOfWork` over SQLAlchemy sessions.

    ``clock`` stamps ``created_at``/``updated_at`` columns and the ledger's postings
    (their ``recorded_at``, and "today" for a posting without an effective day); it
    defaults to the system clock.
    """

    organizations: OrganizationRepository
    people: PersonRepository
    users: UserRepository
    audit: AuditJournal
    ledger: LedgerRepository
    rewards: RewardsStore
    outbox: OutboxRepository
    webhooks: WebhookRepository
    memberships: MembershipStore
    credits: CreditStore
    engagements: EngagementStore
    tier_facts: TierFactsStore
    password_resets: PasswordResetRepository
    tier_outcomes: OutcomeStore
    pex: PexStore
    oip_duties: DutyStore

    def __init__(self, sessions: sessionmaker[Session], *, clock: Clock | None = None) -> None:
        self._sessions = sessions
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._session: Session | None = None

    def __enter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("this unit of work is already open; units of work do not nest")
        session = self._sessions()
        try:
            session.connection()  # begin now, so that the transaction spans the whole block
        except BaseException:
            session.close()
            raise
        self._session = session
        self.organizations = SqlOrganizationRepository(session, self._clock)
        self.people = SqlPersonRepository(session)
        self.users = SqlUserRepository(session, self._clock)
        self.audit = SqlAuditJournal(session)
        self.ledger = SqlLedger(session, self._clock)
        self.rewards = SqlRewardsStore(session, self._clock)
        self.outbox = SqlOutbox(session)
        self.webhooks = SqlWebhookRepository(session)
        self.engagements = SqlEngagementStore(session, self._clock)
        self.memberships = SqlMembershipStore(session, self._clock)
        self.credits = SqlCreditStore(session, self._clock)
        self.tier_facts = SqlTierFactsStore(session, self._clock)
        self.password_resets = SqlPasswordResetRepository(session)
        self.tier_outcomes = SqlOutcomeStore(session, self._clock)
        self.pex = SqlPexStore(session)
        self.oip_duties = SqlDutyStore(session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self._active()
        self._session = None
        try:
            session.rollback()
        finally:
            session.close()

    def commit(self) -> None:
        self._active().commit()

    def rollback(self) -> None:
        self._active().rollback()

    @property
    def session(self) -> Session:
        """The open session, for repositories added by later features (ledger, outbox)."""
        return self._active()

    def _active(self) -> Session:
        if self._session is None:
            raise RuntimeError("use the unit of work inside a `with` block")
        return self._session
