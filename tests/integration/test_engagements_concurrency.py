"""CCE-1 under concurrency, on SQLite and PostgreSQL: two administrators adding the 10th
and the 11th user at the same moment never leave the partner with 11 active users — the
count is taken under a lock on the partner."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from engagements_world import World, member, seed

from alliance.domain.clock import FixedClock
from alliance.domain.errors import AllianceError
from alliance.domain.people import PartnerRole
from alliance.services.engagements.users import add_user, list_users
from alliance.store.unit_of_work import SqlUnitOfWork


@pytest.fixture
def world(uow_factory: Callable[[], SqlUnitOfWork], clock: FixedClock, tmp_path: Path) -> World:
    return seed(uow_factory, clock, tmp_path / "attachments")


def test_two_administrators_adding_at_once_never_pass_ten(world: World) -> None:
    second_admin = world.person("abe", world.acme, PartnerRole.PARTNER_ADMINISTRATOR)
    admins = [member(world.ada), member(second_admin)]
    add_user(world.uow(), admins[0], world.ada.id, program=world.program, clock=world.clock)
    add_user(world.uow(), admins[1], second_admin.id, program=world.program, clock=world.clock)
    for i in range(7):
        person = world.person(f"early{i}", world.acme)
        add_user(world.uow(), admins[0], person.id, program=world.program, clock=world.clock)
    late = [world.person(f"late{i}", world.acme) for i in range(2)]
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def add(index: int) -> None:
        barrier.wait()
        try:
            add_user(
                world.uow(), admins[index], late[index].id, program=world.program, clock=world.clock
            )
            outcomes.append("added")
        except AllianceError as error:
            outcomes.append(error.rule or "")

    threads = [threading.Thread(target=add, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["CCE-1", "added"]
    found = list_users(world.uow(), admins[0], world.acme.id, program=world.program)
    assert found.active == 10
