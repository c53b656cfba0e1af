"""Paid memberships (OPN-1 … OPN-18, CRD-1): enrolment applications, memberships, fee
invoices and payments, activation, tracks, expertise, roles, renewal and the daily job.

One module per concept; each use case opens its own unit of work, checks who may act
(:mod:`.access`), applies the pure rules of :mod:`alliance.domain.membership`, and audits
every change of state (X-4). :mod:`.ports` is what they need from storage.
"""
