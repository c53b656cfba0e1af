"""The ledger's use cases: who may move value and read statements (X-6), and the audit
trail they leave (X-4), over the SQL store."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from ledger_store_helpers import Factory, open_lot, usd

from alliance.domain.access import Actor, ActorKind
from alliance.domain.clock import FixedClock
from alliance.domain.errors import Forbidden, NotAuthenticated
from alliance.domain.ids import OrganizationId, UserId
from alliance.domain.ledger import Book, Capture, HoldNotPending, PlaceHold, Redeem, Release
from alliance.domain.organizations import Organization
from alliance.domain.people import PartnerRole, VendorRole
from alliance.services import ledger as use_cases

SYSTEM = Actor.system("batch")
ACME, ACME_FR, GLOBEX = (OrganizationId(f"org_{n}") for n in ("acme", "acme_fr", "globex"))
BOOK = Book(ACME, "credits", "USD")


def staff(*roles: VendorRole) -> Actor:
    return Actor(ActorKind.VENDOR_STAFF, UserId("usr_staff"), vendor_roles=frozenset(roles))


def member(organization: OrganizationId, *roles: PartnerRole) -> Actor:
    return Actor(
        ActorKind.MEMBER,
        UserId(f"usr_{organization}"),
        organization_id=organization,
        partner_roles=frozenset(roles),
        label=f"admin@{organization}",
    )


@pytest.fixture
def funded(uow_factory: Factory, clock: FixedClock) -> None:
    """Acme (principal of Acme France) holds 800 USD of credits; Globex is another partner."""
    clock.set(date(2024, 3, 1))
    with uow_factory() as uow:
        uow.organizations.add(Organization(ACME, "Acme", "US"))
        uow.organizations.add(
            Organization(ACME_FR, "Acme FR", "FR", parent_id=ACME, ownership_percent=Decimal(100))
        )
        uow.organizations.add(Organization(GLOBEX, "Globex", "US"))
        uow.commit()
    outcome = use_cases.post_accruals(
        uow_factory,
        [open_lot("enrol-acme-1", 500, book=BOOK), open_lot("enrol-acme-2", 300, book=BOOK)],
        SYSTEM,
        clock=clock,
    )
    assert outcome.posted == 2


def redeem(amount: str, key: str) -> Redeem:
    return Redeem(key, BOOK.owner, BOOK.wallet, BOOK.unit, usd(amount))


@pytest.mark.parametrize(
    ("actor", "refusal"),
    [
        (member(ACME, PartnerRole.PARTNER_ADMINISTRATOR), Forbidden),
        (staff(VendorRole.CHANNEL_MANAGER), Forbidden),
        (staff(VendorRole.VIEWER), Forbidden),
        (Actor.anonymous(), NotAuthenticated),
    ],
    ids=["partner-admin", "channel-manager", "viewer", "anonymous"],
)
def test_only_finance_staff_and_the_system_move_value(
    uow_factory: Factory, funded: None, actor: Actor, refusal: type[Exception]
) -> None:
    """X-6: a member cannot credit or spend its own wallet through these use cases."""
    with pytest.raises(refusal):
        use_cases.redeem(uow_factory, redeem("10", "sneaky"), actor)
    with uow_factory() as uow:
        assert uow.ledger.posting_for_key("sneaky") is None


def test_a_redemption_is_audited_once_and_a_replay_not_at_all(
    uow_factory: Factory, funded: None
) -> None:
    """X-4: who moved what, when; X-5: a replay moved nothing, so it leaves no record."""
    finance = staff(VendorRole.FINANCE)
    posting = use_cases.redeem(uow_factory, redeem("120", "invoice-1"), finance)
    again = use_cases.redeem(uow_factory, redeem("120", "invoice-1"), finance)
    assert again == posting
    with uow_factory() as uow:
        (record,) = uow.audit.search(entity_type="ledger_posting")
    assert (record.actor, record.action, record.entity_id) == (
        finance.name,
        "ledger_posting.created",
        posting.id,
    )
    assert record.organization_id == ACME
    assert record.new is not None and record.new["kind"] == "redeem"
    assert [leg["amount"] for leg in record.new["legs"]] == ["-120", "120"]


def test_a_capture_audits_the_posting_and_the_hold(uow_factory: Factory, funded: None) -> None:
    """CRD-3: the hold's change of status is recorded with the movement."""
    placed = use_cases.hold(
        uow_factory, PlaceHold("order-1", BOOK.owner, BOOK.wallet, BOOK.unit, usd(200)), SYSTEM
    )
    assert placed.hold_id is not None
    use_cases.capture(uow_factory, Capture("order-1-done", placed.hold_id, usd(150)), SYSTEM)
    with pytest.raises(HoldNotPending):
        use_cases.release(uow_factory, Release("order-1-cancel", placed.hold_id), SYSTEM)
    with uow_factory() as uow:
        (hold_change,) = uow.audit.search(entity_type="ledger_hold")
        postings = uow.audit.search(entity_type="ledger_posting")
    assert hold_change.action == "ledger_hold.captured"
    assert hold_change.old is not None and hold_change.old["status"] == "pending"
    assert hold_change.new is not None and hold_change.new["status"] == "captured"
    assert [record.new["kind"] for record in postings if record.new] == ["capture", "hold"]


def test_members_read_their_own_companys_statements_only(
    uow_factory: Factory, funded: None
) -> None:
    """X-6, OPN-3, CRD-5: the principal's and its associates' people see the principal's
    statement; another partner's people are refused, as for an owner that does not exist."""
    for reader in (member(ACME), member(ACME_FR), staff(VendorRole.VIEWER), SYSTEM):
        statement = use_cases.statement(uow_factory, reader, ACME, "credits", "USD")
        assert statement.available == usd(800)
    for outsider, owner in ((member(GLOBEX), ACME), (member(ACME), "org_nobody")):
        with pytest.raises(Forbidden):
            use_cases.statement(uow_factory, outsider, owner, "credits", "USD")
    with pytest.raises(NotAuthenticated):
        use_cases.statement(uow_factory, Actor.anonymous(), ACME, "credits", "USD")


def test_a_bulk_run_leaves_one_audit_record_and_a_rerun_none(
    uow_factory: Factory, funded: None, clock: FixedClock
) -> None:
    with uow_factory() as uow:
        (run,) = uow.audit.search(entity_type="ledger_run")
    assert run.new == {"kind": "accruals", "posted": 2, "replayed": 0}
    rerun = use_cases.post_accruals(
        uow_factory, [open_lot("enrol-acme-1", 500, book=BOOK)], SYSTEM, clock=clock
    )
    assert (rerun.posted, rerun.replayed) == (0, 1)
    with uow_factory() as uow:
        assert len(uow.audit.search(entity_type="ledger_run")) == 1


def test_expire_all_runs_in_batches_and_is_idempotent_for_a_day(
    uow_factory: Factory, clock: FixedClock
) -> None:
    """OSR-14, X-5: seven lots expire in batches of three; a rerun expires nothing."""
    clock.set(date(2024, 1, 1))
    use_cases.post_accruals(
        uow_factory,
        [
            open_lot(
                f"lot-{n}", 10, expires_on=date(2024, 1, 31), book=Book(f"org_{n}", "c", "USD")
            )
            for n in range(7)
        ],
        SYSTEM,
        clock=clock,
    )
    clock.set(date(2024, 2, 1))
    heard: list[int] = []
    assert (
        use_cases.expire_all(
            uow_factory, date(2024, 2, 1), SYSTEM, clock=clock, batch_size=3, progress=heard.append
        )
        == 7
    )
    assert heard == [3, 3, 1]
    assert use_cases.expire_all(uow_factory, date(2024, 2, 1), SYSTEM, clock=clock) == 0
    with uow_factory() as uow:
        runs = uow.audit.search(entity_type="ledger_run")
    assert sorted(r.new["expired"] for r in runs if r.new and r.new["kind"] == "expiry") == [
        1,
        3,
        3,
    ]
    assert use_cases.verify(uow_factory, SYSTEM) == []
    with pytest.raises(Forbidden):
        use_cases.expire_all(uow_factory, date(2024, 2, 1), staff(VendorRole.VIEWER), clock=clock)
