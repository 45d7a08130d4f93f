"""Withdrawn medicines (corpora/names/withdrawn_products.tsv): kept in the database, left out of the
which-medicine list with one line saying why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.enums import Status
from app.pipeline.indication_search import IndicationSearch
from app.pipeline.withdrawn import WithdrawnTableError, load_withdrawn, shipped_withdrawn, withdrawal_of
from indexing.store import SearchIndex

_HEARTBURN = {
    "ranitidine": ("Ranitidine", "Use(s) relieves heartburn associated with acid indigestion and sour stomach."),
    "famotidine": ("Famotidine", "Use(s) relieves heartburn associated with acid indigestion and sour stomach."),
    "omeprazole": ("Omeprazole", "Omeprazole delayed-release tablets are indicated for the treatment of "
                                 "frequent heartburn."),
    # other labels, so that the heartburn words are rare enough for BM25 to rank by them
    **{f"other-{n}": (f"Other {n}", f"Indicated for the treatment of {cond}.")
       for n, cond in enumerate(["hypertension", "migraine", "acne", "gout", "asthma", "insomnia", "nausea"])},
}


@pytest.fixture(scope="module")
def heartburn_index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    from indexing.build import BuildOptions, build_index
    from indexing.store import load_current

    root = tmp_path_factory.mktemp("withdrawn")
    corpus = root / "medicines.jsonl"
    corpus.write_text("".join(
        json.dumps({"id": mid, "name": name, "aliases": [], "lang": "en", "source": f"test:{mid}",
                    "sections": {"indications": text, "dosage": f"Take one {name} tablet with water."}}) + "\n"
        for mid, (name, text) in sorted(_HEARTBURN.items())), encoding="utf-8")
    build_index(corpus, BuildOptions(index_dir=root / "index", progress=False, with_dense=False))
    return load_current(root / "index", "medicines")


def test_the_shipped_table_lists_ranitidine_with_its_year() -> None:
    found = withdrawal_of("ranitidine-hydrochloride", "Ranitidine Hydrochloride")
    assert found is not None and found.year == 2020 and found.where == "US"
    assert withdrawal_of("famotidine", "Famotidine") is None
    assert "ranitidine" in shipped_withdrawn()


def test_a_withdrawn_medicine_is_left_out_of_the_list_and_named_after_it(heartburn_index: SearchIndex) -> None:
    stage = IndicationSearch()
    found, left_out = stage.search_listed(heartburn_index, "heartburn")
    assert {c.medicine_id for c in found} == {"famotidine", "omeprazole"}
    assert [w.name for w in left_out] == ["Ranitidine"]
    result = stage.answer("heartburn", found, left_out)
    assert result.status is Status.ANSWERED
    listed = result.text.splitlines()[0]
    assert listed.startswith("Medicines in the database indicated for heartburn: ")
    assert "Ranitidine" not in listed
    assert "Ranitidine (withdrawn from the US market in 2020)" in result.text
    assert all(c.medicine_id != "ranitidine" for c in result.citations)
    assert result.audit["withdrawn_left_out"] == ["Ranitidine"]


def test_only_withdrawn_matches_give_no_evidence_with_the_reason() -> None:
    from app.pipeline.indication_search import LeftOut

    ranitidine = withdrawal_of("ranitidine", "Ranitidine")
    assert ranitidine is not None
    result = IndicationSearch.answer("烧心", [], [LeftOut("Ranitidine", ranitidine)])
    assert result.status is Status.NO_EVIDENCE
    assert "Ranitidine（2020年已在美国撤市）" in result.text


@pytest.mark.parametrize(
    ("line", "message"),
    [("ranitidine\t2020\tUS", "expected"), ("ranitidine\tlately\tUS\tFDA", "expected"),
     ("ranitidine\t2020\tUS\tFDA\nRanitidine\t2020\tUS\tFDA again", "listed twice")],
)
def test_a_malformed_table_line_is_an_error_with_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "withdrawn.tsv"
    path.write_text(f"# comment\n{line}\n", encoding="utf-8")
    with pytest.raises(WithdrawnTableError, match=message) as error:
        load_withdrawn(path)
    assert f"{path}:" in str(error.value)


def test_an_answer_quoting_a_withdrawn_medicine_says_so_first_in_either_language() -> None:
    from app.pipeline.state import NoticeKind
    from app.pipeline.withdrawn import withdrawn_notices

    notices = withdrawn_notices([("ranitidine-hydrochloride", "Ranitidine Hydrochloride"),
                                 ("ranitidine", "Ranitidine"), ("famotidine", "Famotidine")])
    assert len(notices) == 1  # one medicine, once; famotidine is marketed
    assert notices[0].startswith("Ranitidine Hydrochloride was withdrawn from the US market in 2020")
    assert "pharmacist or doctor" in notices[0]
    zh = withdrawn_notices([("ranitidine", "雷尼替丁")], zh=True)
    assert zh and zh[0].startswith("雷尼替丁已于2020年在美国撤市")
    # Shown right after allergy alerts, before the other notices.
    order = list(NoticeKind)
    assert order.index(NoticeKind.WITHDRAWN) < order.index(NoticeKind.READER)
