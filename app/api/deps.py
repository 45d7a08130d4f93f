"""FastAPI dependencies: the components built at start-up."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.factory import Components


def get_components(request: Request) -> Components:
    components: Components = request.app.state.components
    return components


ComponentsDep = Annotated[Components, Depends(get_components)]
