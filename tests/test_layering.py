"""The packages depend on each other in one direction only:
indexing <- app.pipeline <- app.services <- app.api, and eval -> app; indexing imports neither app nor eval.

app.records is the patients package: its plain values (app.records.model) sit below the pipeline, whose turn
state carries a patient's context; its stages and stores sit beside the pipeline and below the services."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imports_of(path: Path) -> set[str]:
    """Modules a file imports at run time (imports under `if TYPE_CHECKING:` are for annotations only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for b in node.body for n in ast.walk(b))
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package.replace(".", "/")).rglob("*.py"))


def _under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


# (package, packages it must not import)
RULES: list[tuple[str, tuple[str, ...]]] = [
    ("indexing", ("app", "eval")),
    ("app.pipeline", ("app.services", "app.api", "app.main", "app.cli", "app.factory", "eval")),
    ("app.records", ("app.services", "app.api", "app.main", "app.cli", "app.factory", "eval")),
    ("app.services", ("app.api", "app.main", "app.cli", "eval")),
    ("app.llm", ("app.pipeline", "app.records", "app.services", "app.api", "eval")),
    ("app.records.model", ("app.pipeline", "app.records.mag", "app.records.provider", "app.records.store")),
]
LEAVES = ["app.enums", "app.errors", "app.config", "app.text_input"]  # import nothing else from app


@pytest.mark.parametrize(("package", "forbidden"), RULES, ids=[r[0] for r in RULES])
def test_imports_point_one_way(package: str, forbidden: tuple[str, ...]) -> None:
    paths = modules(package) if (ROOT / package.replace(".", "/")).is_dir() else [
        ROOT / (package.replace(".", "/") + ".py")]
    bad = [f"{module_name(p)} imports {m}" for p in paths for m in sorted(imports_of(p))
           if any(_under(m, f) for f in forbidden)]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("leaf", LEAVES)
def test_leaf_modules_import_nothing_else_from_app(leaf: str) -> None:
    path = ROOT / (leaf.replace(".", "/") + ".py")
    allowed = {"app.enums"}
    bad = [m for m in imports_of(path) if _under(m, "app") and m not in allowed]
    assert not bad, f"{leaf} imports {bad}"


def test_nothing_below_the_api_imports_it() -> None:
    below = [p for p in modules("app") if not _under(module_name(p), "app.api")
             and module_name(p) not in ("app.main", "app.cli")]
    bad = [f"{module_name(p)} imports {m}" for p in below for m in imports_of(p) if _under(m, "app.api")]
    assert not bad, "\n".join(bad)


def test_only_the_command_line_reaches_into_eval() -> None:
    """eval uses app; app reaches eval only where `clinqa eval ...` mounts its commands."""
    bad = [f"{module_name(p)} imports {m}" for p in modules("app") if module_name(p) != "app.cli"
           for m in imports_of(p) if _under(m, "eval")]
    assert not bad, "\n".join(bad)


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from typing import TYPE_CHECKING\nimport app.api.errors\nif TYPE_CHECKING:\n"
                      "    from app.services.chat import ChatService\n", encoding="utf-8")
    assert imports_of(sample) == {"typing", "app.api.errors"}
