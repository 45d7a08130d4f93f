"""The OpenAPI document says what the API really answers: errors are application/problem+json (RFC 9457)
everywhere, except on the OpenAI-compatible routes, which also answer OpenAI's `{"error": {...}}` JSON.

FastAPI documents validation errors as application/json `HTTPValidationError`; our handler sends
problem+json, so the document is rewritten once, when first asked for (schemathesis checks responses
against it: tests/app/api/test_schemathesis.py).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details; `errors` lists the invalid fields of a 422",
    "required": ["title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}},
        "conversation_id": {"type": "string"},
    },
}
OPENAI_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "OpenAIError",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["message", "type"],
                             "properties": {"message": {"type": "string"}, "type": {"type": "string"}}}},
}
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_OPENAI_REF = {"$ref": "#/components/schemas/OpenAIError"}


def _error_content(openai: bool) -> dict[str, Any]:
    content: dict[str, Any] = {"application/problem+json": {"schema": _PROBLEM_REF}}
    if openai:
        content["application/json"] = {"schema": _OPENAI_REF}
    return content


def rewrite(doc: dict[str, Any]) -> dict[str, Any]:
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    schemas["OpenAIError"] = OPENAI_ERROR_SCHEMA
    for methods in doc.get("paths", {}).values():
        for op in methods.values():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            openai = "openai" in op.get("tags", [])
            responses = op["responses"]
            for code, resp in list(responses.items()):
                if code.isdigit() and int(code) >= 400:
                    if not openai or code == "422":
                        resp["content"] = _error_content(openai)
                    resp.setdefault("description", "error")
            responses.setdefault("default", {"description": "an error (problem+json)",
                                             "content": _error_content(openai)})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    return doc


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            app.openapi_schema = rewrite(doc)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
