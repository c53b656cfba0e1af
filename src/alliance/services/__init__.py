"""Use cases: one module per capability. Each reads ``with uow: …; uow.commit()``.

A use case authorises the actor (``alliance.domain.access``), loads through the unit of
work's repositories, calls pure rules, saves, and appends audit records. The CLI, the API
and the portal call the same use cases.
"""
