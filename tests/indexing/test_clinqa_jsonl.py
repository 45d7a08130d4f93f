from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexing.schema import Medicine
from indexing.sources.clinqa_jsonl import iter_medicines, load_medicines, write_medicines
from indexing.sources.errors import CorpusError


def _line(**fields: object) -> str:
    base: dict[str, object] = {"id": "ibuprofen", "name": "Ibuprofen", "sections": {"indications": "Pain."}}
    base.update(fields)
    return json.dumps(base, ensure_ascii=False)


def _write(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_round_trip(tmp_path: Path) -> None:
    medicines = [
        Medicine(
            id="ibuprofen",
            name="Ibuprofen",
            aliases=("Advil", "Motrin"),
            source="dailymed:abc",
            sections={"indications": "Pain and fever.", "dosage": "200 mg every 4 to 6 hours."},
        ),
        Medicine(id="bu-luo-fen", name="布洛芬", lang="zh", sections={"warnings": "餐后服用。"}),
    ]
    path = tmp_path / "out" / "medicines.jsonl"
    write_medicines(medicines, path)
    assert load_medicines(path) == medicines
    assert not path.with_suffix(".jsonl.tmp").exists()


def test_malformed_json_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "m.jsonl", _line(), '{"id": "x", ')
    with pytest.raises(CorpusError) as err:
        load_medicines(path)
    assert err.value.line == 2
    assert str(err.value).startswith(f"{path}:2: invalid JSON")


def test_blank_lines_are_allowed_and_counted_in_line_numbers(tmp_path: Path) -> None:
    path = _write(tmp_path / "m.jsonl", _line(), "", _line(id="x", sections={"foo": "bar"}))
    with pytest.raises(CorpusError) as err:
        load_medicines(path)
    assert err.value.line == 3


def test_unknown_section_key(tmp_path: Path) -> None:
    path = _write(tmp_path / "m.jsonl", _line(sections={"side_effects": "Nausea."}))
    with pytest.raises(CorpusError, match=r":1: unknown section 'side_effects'"):
        load_medicines(path)


def test_duplicate_id_names_both_lines(tmp_path: Path) -> None:
    path = _write(tmp_path / "m.jsonl", _line(), _line(name="Other"))
    with pytest.raises(CorpusError, match=r":2: duplicate medicine id 'ibuprofen' \(first on line 1\)"):
        load_medicines(path)


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "m.jsonl")
    assert list(iter_medicines(path)) == []
    with pytest.raises(CorpusError, match="holds no medicines"):
        load_medicines(path)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("[1, 2]", "expected a JSON object"),
        (json.dumps({"name": "X", "sections": {"indications": "a"}}), "missing required field 'id'"),
        (_line(aliases="Advil"), "'aliases' must be a list of strings"),
        (_line(lang="fr"), "'lang' must be one of"),
        (_line(sections={}), "'sections' must be a non-empty object"),
        (_line(sections={"indications": "  "}), "all sections are empty"),
    ],
)
def test_invalid_lines(tmp_path: Path, line: str, message: str) -> None:
    path = _write(tmp_path / "m.jsonl", line)
    with pytest.raises(CorpusError, match=message) as err:
        load_medicines(path)
    assert err.value.line == 1


def test_chinese_headings_are_mapped(tmp_path: Path) -> None:
    sections = {
        "适应症": "用于缓解轻至中度疼痛。",
        "用法用量": "口服。",
        "禁忌": "对本品过敏者禁用。",
        "贮藏": "密封保存。",
    }
    path = _write(tmp_path / "m.jsonl", _line(id="bu-luo-fen", name="布洛芬", lang="zh", sections=sections))
    (med,) = load_medicines(path)
    assert med.sections == {
        "indications": "用于缓解轻至中度疼痛。",
        "dosage": "口服。",
        "contraindications": "对本品过敏者禁用。",
        "storage": "密封保存。",
    }
