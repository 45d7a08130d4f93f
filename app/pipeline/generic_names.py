"""The Chinese <-> English generic-name table (corpora/names/zh_en_generic.tsv): how a Chinese question
reaches an English label ("华法林" -> warfarin) and an English question a Chinese one ("amoxicillin" ->
阿莫西林胶囊). The file says how it was made and its limits; this module reads and checks it.

Format: tab-separated `zh, en[, aliases]` after a header row, `#` comments; aliases are `|`-separated names
in either script. A malformed line, a Chinese name given to two English generics or an English generic on two
lines is an error naming the file and line.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.text_input import for_matching
from indexing.vocabulary import has_cjk

log = logging.getLogger(__name__)

SHIPPED_TABLE = Path(__file__).resolve().parents[2] / "corpora" / "names" / "zh_en_generic.tsv"
_HEADER = ("zh", "en", "aliases")


class NameTableError(ValueError):
    """A malformed line of the name table, reported as `file:line: message`."""

    def __init__(self, path: str | Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = str(path)
        self.line = line


@dataclass(frozen=True, slots=True)
class GenericName:
    """One medicine's names: its Chinese and English generic names and the other names of each script."""

    zh: str
    en: str
    zh_aliases: tuple[str, ...] = ()
    en_aliases: tuple[str, ...] = ()
    line: int = 0

    @property
    def zh_names(self) -> tuple[str, ...]:
        return (self.zh, *self.zh_aliases)

    @property
    def en_names(self) -> tuple[str, ...]:
        return (self.en, *self.en_aliases)


def _key(name: str) -> str:
    return " ".join(for_matching(name).casefold().split())


def parse_name_table(text: str, path: str | Path = "<table>") -> tuple[GenericName, ...]:
    entries: list[GenericName] = []
    zh_owner: dict[str, tuple[str, int]] = {}  # Chinese name -> (English generic, line)
    en_owner: dict[str, tuple[str, int]] = {}  # English name -> (English generic, line)
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if not header_seen:
            if tuple(f.strip() for f in fields) not in (_HEADER, _HEADER[:2]):
                raise NameTableError(path, number, f"expected the header row 'zh<TAB>en<TAB>aliases', got {line!r}")
            header_seen = True
            continue
        entry = _parse_row(fields, path, number)
        for name in entry.zh_names:
            _claim(zh_owner, _key(name), entry, name, path, number, "Chinese")
        for name in entry.en_names:
            _claim(en_owner, _key(name), entry, name, path, number, "English")
        entries.append(entry)
    if not header_seen:
        raise NameTableError(path, 1, "no header row 'zh<TAB>en<TAB>aliases'")
    return tuple(entries)


def _parse_row(fields: list[str], path: str | Path, number: int) -> GenericName:
    if len(fields) not in (2, 3):
        raise NameTableError(path, number, f"expected 2 or 3 tab-separated fields (zh, en, aliases), got {len(fields)}")
    zh, en = fields[0].strip(), fields[1].strip()
    if not zh or not has_cjk(zh):
        raise NameTableError(path, number, f"the zh field must be a Chinese name, got {zh!r}")
    if not en or has_cjk(en) or not any(ch.isalpha() for ch in en):
        raise NameTableError(path, number, f"the en field must be an English generic name, got {en!r}")
    aliases: list[str] = []
    if len(fields) == 3:
        aliases = [a.strip() for a in fields[2].split("|")]
        if not fields[2].strip() or any(not a for a in aliases):
            raise NameTableError(path, number, "empty alias (aliases are '|'-separated names; leave the field out "
                                               "when there are none)")
    zh_aliases = tuple(a for a in aliases if has_cjk(a))
    en_aliases = tuple(a for a in aliases if not has_cjk(a))
    return GenericName(zh, en, zh_aliases, en_aliases, number)


def _claim(owner: dict[str, tuple[str, int]], key: str, entry: GenericName, name: str, path: str | Path,
           number: int, script: str) -> None:
    seen = owner.get(key)
    if seen is None:
        owner[key] = (entry.en, number)
        return
    if seen[1] == number:
        raise NameTableError(path, number, f"{script} name {name!r} is given twice on this line")
    raise NameTableError(path, number, f"{script} name {name!r} is already on line {seen[1]} (for {seen[0]!r})")


def load_name_table(path: Path) -> tuple[GenericName, ...]:
    return parse_name_table(path.read_text(encoding="utf-8"), path)


@lru_cache(maxsize=1)
def shipped_name_table() -> tuple[GenericName, ...]:
    """The table shipped with clinqa; empty (with a warning) when the file is missing."""
    if not SHIPPED_TABLE.is_file():
        log.warning("%s is missing: Chinese and English names will not reach each other's labels", SHIPPED_TABLE)
        return ()
    return load_name_table(SHIPPED_TABLE)


def main(argv: list[str] | None = None) -> int:
    """`python -m app.pipeline.generic_names [CORPUS.jsonl ...]`: checks the shipped table and says how many of
    its medicines each database holds (a Chinese name that reaches one of its labels)."""
    import sys

    from app.pipeline.lexicon import MedicineLexicon
    from indexing.sources.clinqa_jsonl import load_medicines
    from indexing.store import MedicineEntry

    table = shipped_name_table()
    print(f"{SHIPPED_TABLE}: {len(table)} medicines")
    for corpus in argv if argv is not None else sys.argv[1:]:
        medicines = [MedicineEntry(m.id, m.name, m.aliases, m.lang, m.source, tuple(m.sections))
                     for m in load_medicines(Path(corpus))]
        lexicon = MedicineLexicon(medicines, name_table=table)
        held = sum(1 for e in table if lexicon.resolve(e.zh) is not None)
        print(f"{corpus}: {held} of {len(table)} in the database ({len(medicines)} medicines)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
