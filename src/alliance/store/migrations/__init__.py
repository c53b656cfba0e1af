"""Alembic scripts for the operational store (a package so that wheels ship env.py)."""
