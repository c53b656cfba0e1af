"""Customer rewards on cloud consumption (OSR), as use cases over the store and the ledger.

* :mod:`.ports` — what the use cases need from storage (``uow.rewards``).
* :mod:`.accrual` — ``accrue(month)``: the batch engine over the imported usage, lots
  posted once (OSR-12, X-5); :mod:`.expiry` — ``expire(as_of)`` (OSR-14).
* :mod:`.statements` — what a customer has: accrued, available, expiring, used (OSR-17).
* :mod:`.redemptions` — paying a support invoice with rewards (OSR-10, OSR-18…OSR-23).
* :mod:`.access` — who may do which of these (X-6).

The modules are imported by name (``from alliance.services.rewards import accrual``);
this package imports nothing, so that :mod:`alliance.services.ports` may use its ports.
"""
