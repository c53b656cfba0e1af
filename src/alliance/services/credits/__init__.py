"""Partner credits (CRD-1 … CRD-6) as use cases, over the pure rules of
:mod:`alliance.domain.credits` and the ledger (``uow.ledger``).

* :mod:`.catalog` — the credit option catalogue, with CRD-6's flag per option;
* :mod:`.policies` — CRD-2: how associates may order with the principal's credits;
* :mod:`.orders` — CRD-3: orders that hold credits until delivery, then capture them,
  or release them on cancellation; approvals (CRD-2);
* :mod:`.statements` — CRD-5: the principal's statement, an associate's usable share;
* :mod:`.access` — who acts, for which company (OPN-18, X-6).
"""
