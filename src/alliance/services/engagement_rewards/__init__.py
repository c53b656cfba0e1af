"""Rewards on engagements as use cases (RWD-1…RWD-5, CRD-4, CRD-6).

* :mod:`.assessments` — the offers' verdict on acceptance and the public-sector pool;
* :mod:`.bookings` — the re-check at order booking (RWD-2);
* :mod:`.payouts` — money (blocked until invoice and supplier account) or credits.
"""
