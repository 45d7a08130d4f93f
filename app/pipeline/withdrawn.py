"""Medicines withdrawn from the market whose labels the database still holds (corpora/names/withdrawn_products.tsv).

Labels stay published after a withdrawal, so the database keeps them (a question about ranitidine is still
answered from its label); lists of what one could take leave them out (`app.pipeline.indication_search`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from indexing.vocabulary import base_name

WITHDRAWN_FILE = Path(__file__).resolve().parents[2] / "corpora" / "names" / "withdrawn_products.tsv"


class WithdrawnTableError(ValueError):
    """A malformed line of the withdrawn-products table (file and line in the message)."""


@dataclass(frozen=True, slots=True)
class Withdrawal:
    generic: str  # case-folded
    year: int
    where: str
    why: str


def load_withdrawn(path: Path = WITHDRAWN_FILE) -> dict[str, Withdrawal]:
    """Case-folded generic name -> its withdrawal; an absent file is an empty table."""
    if not path.is_file():
        return {}
    table: dict[str, Withdrawal] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in raw.split("\t")]
        if len(fields) != 4 or not all(fields) or not re.fullmatch(r"(19|20)\d\d", fields[1]):
            raise WithdrawnTableError(f"{path}:{number}: expected 'generic<TAB>year<TAB>where<TAB>why', got {raw!r}")
        generic = fields[0].casefold()
        if generic in table:
            raise WithdrawnTableError(f"{path}:{number}: {fields[0]!r} is listed twice")
        table[generic] = Withdrawal(generic, int(fields[1]), fields[2], fields[3])
    return table


@lru_cache(maxsize=1)
def shipped_withdrawn() -> dict[str, Withdrawal]:
    return load_withdrawn()


def withdrawal_of(medicine_id: str, name: str, table: dict[str, Withdrawal] | None = None) -> Withdrawal | None:
    """The withdrawal of a medicine, by its name without salt words or its id ("ranitidine-hydrochloride")."""
    table = shipped_withdrawn() if table is None else table
    if not table:
        return None
    for key in (base_name(name).casefold(), name.casefold(), medicine_id.replace("-", " ")):
        if key in table:
            return table[key]
    return None


_WHERE_ZH = {"US": "美国", "EU": "欧盟", "UK": "英国", "worldwide": "全球"}


def withdrawn_notice(name: str, withdrawal: Withdrawal, zh: bool = False) -> str:
    """What an answer quoting a withdrawn medicine's label says first."""
    if zh:
        where = _WHERE_ZH.get(withdrawal.where, withdrawal.where)
        return (f"{name}已于{withdrawal.year}年在{where}撤市（{withdrawal.why}）。以下引自其原说明书；"
                "替代用药请咨询药师或医生。")
    return (f"{name} was withdrawn from the {withdrawal.where} market in {withdrawal.year} ({withdrawal.why}). "
            "Its label is quoted as it was published; ask a pharmacist or doctor about an alternative.")


def withdrawn_notices(medicines: list[tuple[str, str]], zh: bool = False) -> list[str]:
    """One notice per withdrawn medicine of (id, name) pairs, in their order, each once."""
    out: list[str] = []
    seen: set[str] = set()
    for medicine_id, name in medicines:
        found = withdrawal_of(medicine_id, name)
        if found is not None and found.generic not in seen:
            seen.add(found.generic)
            out.append(withdrawn_notice(name, found, zh))
    return out
