"""Evaluation of earned tiers, persisted outcomes, and what-if simulations (issue 5)."""
