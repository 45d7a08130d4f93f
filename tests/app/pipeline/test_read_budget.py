"""The extractive reader's choice between medicines and within the character budget (issue 18)."""

from __future__ import annotations

from app.config import ReadSettings
from app.pipeline.read import CLASS_PATTERNS, ExtractiveReader
from app.pipeline.read_partner import PARTNER_LEAD_CHARS
from app.pipeline.state import Evidence, SearchQuery
from indexing.schema import Chunk


def _ev(mid: str, attribute: str, text: str, i: int = 0) -> Evidence:
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid), 0.03, 0, i)


LISINOPRIL = (
    "In patients who are elderly or volume-depleted, coadministration of ibuprofen and other anti-inflammatory "
    "agents with lisinopril may result in deterioration of renal function, including possible acute renal failure. "
    "The antihypertensive effect of lisinopril may be attenuated by ibuprofen and other anti-inflammatory agents "
    "taken regularly for more than a few days."
)
IBUPROFEN = (
    "Reports suggest that ibuprofen may diminish the effect of lisinopril. "
    "Concomitant administration of ibuprofen and aspirin is not generally recommended because of the potential "
    "for increased adverse effects."
)
QUESTION = "I take lisinopril, can I take ibuprofen?"
QUERIES = [SearchQuery("lisinopril", "interactions", "lisinopril ibuprofen"),
           SearchQuery("ibuprofen", "interactions", "ibuprofen lisinopril")]


def _read(settings: ReadSettings) -> list[tuple[str, str]]:
    ev = [_ev("lisinopril", "interactions", LISINOPRIL), _ev("ibuprofen", "interactions", IBUPROFEN)]
    result = ExtractiveReader(settings).read_evidence(QUESTION, QUERIES, ev)
    assert result.status == "answered"
    return [(c.medicine_id, c.quote) for c in result.citations]


def test_budget_a_medicine_leaves_unused_goes_to_the_other() -> None:
    # An equal share (250 each) holds one of lisinopril's two sentences about ibuprofen; ibuprofen's label says
    # one short sentence about lisinopril, and what it leaves is spent on lisinopril's second.
    # (the two lead lines of an interaction answer are taken off first: read_partner.PARTNER_LEAD_CHARS)
    quoted = " ".join(q for m, q in _read(ReadSettings(answer_chars=500 + 2 * PARTNER_LEAD_CHARS)) if m == "lisinopril")
    assert "renal function" in quoted and "attenuated" in quoted


def test_two_safety_items_of_one_section_are_both_shown() -> None:
    ev = [_ev("lisinopril", "interactions", LISINOPRIL)]
    ranked = ExtractiveReader(ReadSettings(answer_chars=1000)).rank(QUESTION, QUERIES, ev)
    safety = [q.text for _, quotes in ranked.groups for q in quotes if q.safety]
    assert len(safety) == 2 and any("renal function" in q for q in safety) and any("attenuated" in q for q in safety)


def test_an_interaction_question_quotes_what_each_label_says_of_the_other_medicine() -> None:
    quoted = _read(ReadSettings(answer_chars=1000))
    ibuprofen = " ".join(q for m, q in quoted if m == "ibuprofen")
    assert "lisinopril" in ibuprofen
    assert "aspirin" not in ibuprofen  # the rest of its interactions section is not about lisinopril


def test_class_names_match_with_a_hyphen_or_a_space() -> None:
    assert CLASS_PATTERNS["ace_inhibitor"].search("NSAIDs may diminish the effect of ACE-inhibitors.")
    assert CLASS_PATTERNS["ace_inhibitor"].search("NSAIDs may diminish the effect of ACE inhibitors.")
    assert not CLASS_PATTERNS["ace_inhibitor"].search("Race inhibitors of nothing.")


def test_the_budget_counts_citation_marks() -> None:
    # Two 100-character sentences fit 205 characters of quotes but not with their marks (' [1]', ' [2]').
    a = "Take one tablet by mouth once daily with a full glass of water, at about the same time every day."
    b = "Swallow the tablet whole and do not crush or chew it, because that releases the dose too quickly."
    ev = [_ev("metformin", "dosage", f"{a} {b}")]
    q = [SearchQuery("metformin", "dosage", "metformin dose tablet")]
    ranked = ExtractiveReader(ReadSettings(answer_chars=len(a) + len(b) + 5)).rank("How do I take metformin tablets?",
                                                                                 q, ev)
    assert len([x for _, quotes in ranked.groups for x in quotes]) == 1
    ranked = ExtractiveReader(ReadSettings(answer_chars=len(a) + len(b) + 10)).rank("How do I take metformin tablets?",
                                                                                  q, ev)
    assert len([x for _, quotes in ranked.groups for x in quotes]) == 2


def test_no_section_asked_and_the_question_words_point_elsewhere() -> None:
    # "Is adding another QT-prolonging drug a problem?" names no section; the indications are not its answer.
    ev = [_ev("citalopram", "indications", "Citalopram tablets are indicated for the treatment of major depressive "
                                           "disorder in adults."),
          _ev("citalopram", "interactions", "Avoid concomitant use of citalopram with drugs that prolong the QT "
                                            "interval, such as pimozide.")]
    q = [SearchQuery("citalopram", None, "citalopram adding QT prolonging problem")]
    result = ExtractiveReader(ReadSettings(answer_chars=120)).read_evidence(
        "Patient on citalopram; is adding another QT prolonging drug a problem?", q, ev)
    assert "prolong the QT" in result.text and "major depressive" not in result.text
    # Without such words the question is about what the medicine is for.
    result = ExtractiveReader(ReadSettings(answer_chars=120)).read_evidence(
        "citalopram?", [SearchQuery("citalopram", None, "citalopram")], ev)
    assert "major depressive" in result.text


def test_a_chunks_third_good_sentence_is_quoted_when_room_is_left() -> None:
    ev = [_ev("amoxicillin", "lactation",
              "Penicillins have been shown to be excreted in human milk. Caution should be exercised when amoxicillin "
              "is administered to a nursing woman. Amoxicillin use by nursing mothers may lead to sensitization of "
              "infants.")]
    q = [SearchQuery("amoxicillin", "lactation", "amoxicillin nursing lactation")]
    result = ExtractiveReader().read_evidence("is amoxicillin ok when nursing a newborn", q, ev)
    assert "sensitization of infants" in result.text and "excreted in human milk" in result.text


def test_a_safety_item_saying_what_not_to_do_comes_before_one_describing_harm() -> None:
    ev = [_ev("warfarin", "contraindications",
              "Warfarin can cause fetal harm when administered to a pregnant woman during pregnancy. "
              "Warfarin is contraindicated in women who are pregnant except those with mechanical heart valves.")]
    q = [SearchQuery("warfarin", "pregnancy", "warfarin pregnancy")]
    ranked = ExtractiveReader(ReadSettings(answer_chars=120)).rank(
        "I'm on warfarin and just had a positive pregnancy test.", q, ev)
    quotes = [x for _, group in ranked.groups for x in group]
    assert quotes[0].safety and "contraindicated in women who are pregnant" in quotes[0].text
