from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.api.deps import ComponentsDep
from app.api.schemas import Health, Readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    return Health(status="ok")


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
def readyz(c: ComponentsDep) -> JSONResponse:
    db_ok = c.db.ping()
    body = Readiness(ready=c.indexes.ready and db_ok, index=c.indexes.describe(),
                     database="ok" if db_ok else "unreachable")
    return JSONResponse(body.model_dump(), status_code=200 if body.ready else 503)
