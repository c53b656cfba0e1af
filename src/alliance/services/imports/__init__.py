"""Imports of facts from files: validate every row first, then apply all or nothing (X-7).

* :mod:`.usage` — usage lines from CSV or Parquet, validated in bounded memory with
  vectorised checks and stored as canonical Parquet (OSR-12); the same content is
  imported once (X-5).
* :mod:`.customers`, :mod:`.subscriptions`, :mod:`.invoices` — the small files of an OSR
  scenario (reward profiles, orders, support invoices), from CSV.
* :mod:`.columns` (vectorised column parsing), :mod:`.csv_rows` (per-row parsing),
  :mod:`.files` (hashing, staging a file next to its final place).

Every bad row is reported as a :class:`~alliance.domain.errors.Problem` located
``file:line`` (CSV, the header is line 1) or ``file:row N`` (Parquet), naming the field
and the rule it breaks.
"""
