"""The operational store: SQLAlchemy 2 Core tables, repositories, a unit of work, Alembic.

Entry points: :func:`alliance.store.database.create_engine_for`,
:func:`alliance.store.database.session_factory`,
:class:`alliance.store.unit_of_work.SqlUnitOfWork` and :mod:`alliance.store.migrate`.
Nothing here connects to a database at import time.
"""
