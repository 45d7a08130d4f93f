from __future__ import annotations

import re

from app.config import ReadSettings
from app.pipeline.read import NO_EVIDENCE, ExtractiveReader, pieces, unknown_drug_answer
from app.pipeline.state import Evidence, SearchQuery
from indexing.schema import Chunk


def _ev(mid: str, attribute: str, text: str, i: int = 0) -> Evidence:
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid), 0.03, 0, i)


WARFARIN_INTERACTIONS = (
    "Drugs may interact with warfarin through pharmacodynamic or pharmacokinetic mechanisms. "
    "Nonsteroidal anti-inflammatory agents such as ibuprofen and naproxen increase the risk of bleeding. "
    "Closely monitor INR when starting or stopping any antibiotic."
)


def test_no_evidence_means_no_invented_answer() -> None:
    result = ExtractiveReader().read_evidence("Can I take warfarin with ibuprofen?", [], [])
    assert result.text == NO_EVIDENCE
    assert result.citations == [] and result.status == "no_evidence"


def test_off_topic_evidence_for_open_question_is_rejected() -> None:
    ev = [_ev("metformin", "dosage", "Take metformin with meals to reduce gastrointestinal upset. " * 2)]
    q = [SearchQuery(None, None, "volcano eruption lava")]
    result = ExtractiveReader().read_evidence("What happens in a volcano eruption?", q, ev)
    assert result.status == "no_evidence" and result.citations == []


def test_every_sentence_is_quoted_and_cited() -> None:
    ev = [_ev("warfarin", "interactions", WARFARIN_INTERACTIONS)]
    q = [SearchQuery("warfarin", "interactions", "warfarin ibuprofen drug interactions")]
    result = ExtractiveReader().read_evidence("Can I take warfarin with ibuprofen?", q, ev)
    assert result.status == "answered"
    # Issue 18: a lead line names the medicine and the section, then the quoted passages, each cited once.
    assert result.text.startswith("warfarin (label), drug interactions:")
    cited = re.findall(r"(?:: |\] )(?:Important: )?(.+?) \[(\d+)\]", result.text)
    assert cited and len(cited) == len(result.citations)
    for (passage, n), cite in zip(cited, result.citations, strict=True):
        assert passage.strip() == cite.quote and int(n) == cite.n
        assert all(sentence in WARFARIN_INTERACTIONS for sentence in re.split(r"(?<=\.) ", cite.quote))
    assert [c.n for c in result.citations] == list(range(1, len(result.citations) + 1))
    best = ExtractiveReader(ReadSettings(max_sentences=1)).read_evidence(
        "Can I take warfarin with ibuprofen?", q, ev)
    assert "ibuprofen" in best.citations[0].quote


def test_missing_section_is_said_not_papered_over() -> None:
    ev = [_ev("omeprazole", "interactions", "Omeprazole reduces the absorption of drugs that need gastric acid.")]
    q = [SearchQuery("omeprazole", "storage", "omeprazole store storage")]
    result = ExtractiveReader().read_evidence("How should I store omeprazole?", q, ev)
    assert result.status == "no_evidence" and result.citations == []
    assert "no storage section" in result.notice


def test_two_medicines_each_get_a_sentence() -> None:
    ev = [
        _ev("warfarin", "interactions", WARFARIN_INTERACTIONS),
        Evidence(
            Chunk("ibuprofen:interactions:0", "ibuprofen", "interactions", 0,
                  "Ibuprofen may increase the anticoagulant effect of warfarin and the risk of bleeding."),
            0.03, 1, 0,
        ),
    ]
    q = [
        SearchQuery("warfarin", "interactions", "warfarin ibuprofen"),
        SearchQuery("ibuprofen", "interactions", "ibuprofen warfarin"),
    ]
    result = ExtractiveReader(ReadSettings(max_sentences=2)).read_evidence(
        "Can I take warfarin with ibuprofen?", q, ev)
    assert {c.medicine_id for c in result.citations} == {"warfarin", "ibuprofen"}


def test_unknown_drug_answer_has_no_citations() -> None:
    result = unknown_drug_answer(["Xarelto"])
    assert result.citations == [] and result.status == "unknown_drug"
    assert result.text.startswith("Xarelto is not in the medicine database")


def test_long_run_on_sentences_are_split_into_pieces() -> None:
    table = ", ".join(f"drug{i}" for i in range(200))
    parts = pieces(table, 100)
    assert all(len(p) <= 100 for p in parts)
    assert parts[0].startswith("drug0,") and parts[-1].endswith("drug199")
    for i in range(200):  # every item sits inside some window, away from its edges when possible
        assert any(f"drug{i}," in p or p.endswith(f"drug{i}") for p in parts)
    assert len(parts) >= 2 * len(table) // 100 - 2  # windows overlap by about half
