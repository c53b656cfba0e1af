"""PEX use cases (SPEC §2): enrolment by partner type and modules (PEX-2, PEX-7), points
posted to the ledger from influence and certifications (PEX-3, PEX-4, PEX-6),
proof-of-concept budgets paid with points (PEX-4), Resell tranche margins (PEX-5)."""
