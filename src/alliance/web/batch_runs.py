"""Batch runs started from the portal, followed while they run (issue 6).

A run (the monthly accrual, OSR-12) is started on a thread and its progress — lots
posted out of the month's total, from the use case's ``progress`` callback — is kept
here, in memory, under a random id; the run's page polls it (htmx, every second) until
the summary is there. What a run posts is the use case's business and idempotent (X-5):
a restart loses only this display, never a posting, and rerunning posts nothing twice.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from alliance.domain.errors import AllianceError

KEEP = 50  # the newest runs kept for display


@dataclass(frozen=True)
class RunState:
    """Where one run stands: ``done`` of ``total`` lots; ``summary`` once finished."""

    id: str
    kind: str
    label: str
    started_at: datetime
    done: int = 0
    total: int = 0
    summary: str | None = None
    error: str | None = None

    @property
    def finished(self) -> bool:
        return self.summary is not None or self.error is not None

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


@dataclass
class RunBoard:
    """The runs of this process, newest last; safe to update from the run's thread."""

    _runs: dict[str, RunState] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, run_id: str) -> RunState | None:
        with self._lock:
            return self._runs.get(run_id)

    def _put(self, state: RunState) -> None:
        with self._lock:
            self._runs[state.id] = state
            while len(self._runs) > KEEP:
                self._runs.pop(next(iter(self._runs)))

    def _update(self, run_id: str, **changes: object) -> None:
        with self._lock:
            found = self._runs.get(run_id)
            if found is not None:
                self._runs[run_id] = replace(found, **changes)  # type: ignore[arg-type]

    def start(
        self,
        kind: str,
        label: str,
        now: datetime,
        work: Callable[[Callable[[int, int], None]], str],
    ) -> RunState:
        """Run ``work(progress)`` on a thread; it returns the run's summary."""
        state = RunState(secrets.token_urlsafe(12), kind, label, now)
        self._put(state)

        def progress(done: int, total: int) -> None:
            self._update(state.id, done=done, total=total)

        def run() -> None:
            try:
                self._update(state.id, summary=work(progress))
            except AllianceError as refused:
                self._update(state.id, error=f"{refused.message} ({refused.rule})")
            except Exception as failed:
                self._update(state.id, error=f"the run failed: {failed}")
                raise

        threading.Thread(target=run, name=f"portal-{kind}-{state.id}", daemon=True).start()
        return state


BOARD = RunBoard()
