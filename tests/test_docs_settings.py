"""docs/configuration.md lists every setting of app/config.py, with its real default, and no setting that is gone."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from app.config import Settings

DOC = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"
# Variables read by tests and tools, not by Settings, are listed after this heading.
NOT_SETTINGS_HEADING = "## Read by tests and tools"
_ROW = re.compile(r"^\|([^|]*)\|([^|]*)\|")
_VAR = re.compile(r"`(CLINQA_[A-Z0-9_]+)`")


def settings_variables(model: type[BaseModel] = Settings, prefix: str = "CLINQA_") -> Iterator[tuple[str, Any]]:
    """(environment variable, default) of every leaf field, nested sections joined with `__`."""
    for name, field in model.model_fields.items():
        variable = prefix + name.upper()
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            yield from settings_variables(field.annotation, variable + "__")
        else:
            yield variable, field.get_default(call_default_factory=True)


SETTINGS = dict(settings_variables())


def settings_part() -> str:
    text = DOC.read_text(encoding="utf-8")
    return text.split(NOT_SETTINGS_HEADING)[0]


def documented_defaults() -> dict[str, str]:
    """Variable -> its default cell, from table rows; "A / B" rows with "a / b" defaults give both."""
    out: dict[str, str] = {}
    for line in settings_part().splitlines():
        row = _ROW.match(line)
        if not row:
            continue
        names = _VAR.findall(row[1])
        cells = [c.strip() for c in row[2].split(" / ")] if len(names) > 1 else [row[2].strip()]
        if len(cells) == len(names):
            out.update(zip(names, cells, strict=True))
    return out


def rendered(default: Any) -> str | None:
    """How the doc writes a scalar default (`true`, `60`, `data/index`), or None where it is not compared."""
    if isinstance(default, bool):
        return "true" if default else "false"
    if isinstance(default, enum.Enum):
        return str(default.value)
    if isinstance(default, (int, float, str, Path)) and default != "":
        return str(default)
    return None


def test_settings_are_found_recursively() -> None:
    assert {"CLINQA_DATABASE_URL", "CLINQA_EMBED__BACKEND", "CLINQA_OIDC__JWKS_URL",
            "CLINQA_RECORDS__RXNORM_DIR"} <= set(SETTINGS)
    assert "CLINQA_EMBED" not in SETTINGS  # a section is not a variable


@pytest.mark.parametrize("variable", sorted(SETTINGS))
def test_every_setting_is_documented_with_its_default(variable: str) -> None:
    cells = documented_defaults()
    assert variable in cells, f"{variable} is missing from a settings table in {DOC}"
    cell, default = cells[variable], SETTINGS[variable]
    if default is None or default == "":
        assert "`" not in cell, f"{variable}: the default is unset, {DOC} says {cell}"
        return
    want = rendered(default)
    if want is None or not (cell.startswith("`") and cell.endswith("`")):
        return  # lists, maps and defaults described in words
    got = cell.strip("`")
    same = number(got) == default if isinstance(default, float) else got == want
    assert same, f"{variable}: default {want}, {DOC} says {got}"


def number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def test_no_documented_setting_is_gone() -> None:
    stale = set(_VAR.findall(settings_part())) - set(SETTINGS)
    assert not stale, f"{DOC} lists settings app/config.py does not have: {sorted(stale)}"
