"""Administration (admin scope): rebuild the medicine index in the background and follow the job."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from app.api.auth import AdminPrincipal
from app.api.deps import ComponentsDep
from app.errors import NotFoundError

router = APIRouter(prefix="/v1/admin", tags=["admin"])


class RebuildJobOut(BaseModel):
    id: str
    corpus: str
    state: str  # queued | running | succeeded | failed
    created_at: float
    started_at: float | None = None
    finished_at: float | None = None
    previous_version: str | None = None
    version: str | None = None
    retrieval: str | None = None
    error: str | None = None


def _out(job: Any) -> dict[str, Any]:
    return RebuildJobOut(**job.to_dict()).model_dump()


@router.post("/index/rebuild", status_code=202, response_model=RebuildJobOut,
             responses={409: {"description": "a rebuild is already running"}})
def rebuild_index(c: ComponentsDep, principal: AdminPrincipal) -> JSONResponse:
    """Build a new index version from the configured corpus aside, in a background thread, while the
    current one keeps serving; it is swapped in atomically when complete. Follow it with the job URL."""
    job = c.indexes.start_rebuild()
    return JSONResponse(_out(job), status_code=202, headers={"Location": f"/v1/admin/index/rebuild/{job.id}"})


@router.get("/index/rebuild/{job_id}", response_model=RebuildJobOut)
def rebuild_status(job_id: str, c: ComponentsDep, principal: AdminPrincipal) -> dict[str, Any]:
    job = c.indexes.job(job_id)
    if job is None:
        raise NotFoundError(f"no index rebuild job {job_id!r}")
    return _out(job)
