from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.api.deps import ComponentsDep
from app.api.schemas import Health, Readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """The process is up (no database access: a sick database must not get the process restarted)."""
    return Health(status="ok")


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
def readyz(c: ComponentsDep) -> JSONResponse:
    """Ready to serve chats: the index is loaded and the database answers and takes writes (a chat stores
    every question). `database` says "ok", "unreachable", "busy: ...", "unavailable: ..." or
    "read-only: ..." (app.db.Database.health)."""
    database = c.db.health()
    body = Readiness(ready=c.indexes.ready and database == "ok", index=c.indexes.describe(), database=database)
    return JSONResponse(body.model_dump(), status_code=200 if body.ready else 503)
