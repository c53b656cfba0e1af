"""Collaborative customer engagements (deal registration) as use cases (CCE-1…CCE-6).

* :mod:`.users` — the tool's users, at most 10 active per partner (CCE-1, CCE-2);
* :mod:`.submissions` — submitting with CCE-3's field rules and CCE-4's duplicate check;
* :mod:`.changes` and :mod:`.attachments` — edits under CCE-5, notes and documents;
* :mod:`.lifecycle` — the vendor's moves of CCE-6, with the acknowledgement e-mail;
* :mod:`.queries` — reading within tenancy (X-6).
"""
