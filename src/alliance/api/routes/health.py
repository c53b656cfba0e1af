"""``GET /api/v1/health``: is the service up, which version, does the database answer."""

from __future__ import annotations

from fastapi import APIRouter, Response

from alliance import __version__
from alliance.api.dependencies import AppDep
from alliance.api.schemas.health import HealthPublic

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthPublic)
def health(application: AppDep, response: Response) -> HealthPublic:
    """200 when the database answers, 503 (same shape) when it does not."""
    database_ok = application.database_ok()
    if not database_ok:
        response.status_code = 503
    return HealthPublic(
        status="ok" if database_ok else "degraded",
        version=__version__,
        database="ok" if database_ok else "unavailable",
    )
