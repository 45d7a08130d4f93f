""""Which medicine treats X?" with no medicine named: several cited candidates from indications sections,
no_evidence when none names X, and never a quote from an unrelated label."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.enums import Status
from app.pipeline.distill import RuleDistiller
from app.pipeline.indication_search import (
    DIRECT,
    INJECTED_TIER,
    LISTED,
    OTC_TIER,
    SELF_TAKEN_TIER,
    IndicationSearch,
    _phrases,
    asks_self_care,
    asks_which_medicine,
    condition_asked,
    is_homeopathic,
    self_care_tier,
    treated_in,
)
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.orchestrator import Orchestrator
from app.pipeline.read import ExtractiveReader
from app.pipeline.retrieve import HybridRetriever
from app.pipeline.select import FixedKSelector
from app.pipeline.state import Answer, Serving, TurnRequest
from indexing.store import SearchIndex
from tests.conftest import FIXTURES, MINI_CORPUS


@pytest.fixture(scope="module")
def mini_index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    """The mini corpus, BM25 only (the indication search's lexical check decides what is listed)."""
    from indexing.build import BuildOptions, build_index
    from indexing.store import load_current

    root = tmp_path_factory.mktemp("bm25_index")
    build_index(MINI_CORPUS, BuildOptions(index_dir=root, progress=False, with_dense=False))
    return load_current(root, "medicines")


@pytest.mark.parametrize(
    ("question", "condition"),
    [
        ("what can I take for heartburn?", "heartburn"),
        ("Which medicine treats high blood pressure?", "high blood pressure"),
        ("is there anything for a bad headache", "headache"),
        ("what's good for acid reflux?", "acid reflux"),
        ("any OTC meds for my back pain please?", "back pain"),
        ("什么药治胃酸过多？", "胃酸过多"),
        ("我头痛，吃什么药好？", "头痛"),
        ("高血压用哪种药", "高血压"),
        ("what can I take for heartburn that won't make me sleepy?", "heartburn"),
        ("I keep getting leg cramps at night. What should I take?", "leg cramps"),
        ("what helps a sore throat?", "sore throat"),
        ("what can I take for a cold for my 5 year old", "cold"),
        # trailing context is not the condition; a condition the labels know wins over another "with X"
        ("what helps with motion sickness on a ferry? travelling with kids next week", "motion sickness"),
        ("Is there anything for nausea on a long flight with my toddler?", "nausea"),
        ("what should I give my son for a fever? he's 6, we're away with friends", "fever"),
        ("what's good for hay fever this week", "hay fever"),
        ("Any meds for diarrhea? we fly out tomorrow with the grandparents", "diarrhea"),
        ("what can I use for a rash on my arm", "rash"),
    ],
)
def test_the_condition_of_a_which_medicine_question(question: str, condition: str) -> None:
    assert condition_asked(question) == condition


@pytest.mark.parametrize(
    "question",
    ["headache for three days", "what is it used for?", "how much should I take for my back pain",
     "I have heartburn", "头痛三天了", "阿莫西林怎么吃？"],
)
def test_other_questions_are_not_which_medicine_questions(question: str) -> None:
    assert condition_asked(question) is None


def _pipeline(index: SearchIndex) -> Orchestrator:
    serving = Serving(index, MedicineLexicon(index.medicines.values()))
    return Orchestrator(lambda: serving, {"drr": [  # type: ignore[dict-item]
        RuleDistiller(), HybridRetriever(None), FixedKSelector(5), IndicationSearch(), ExtractiveReader()]})


def _indications_of(index: SearchIndex, medicine_id: str) -> str:
    return " ".join(index.chunks[int(r)].text for r in index.rows_by_medicine[medicine_id]
                    if index.chunks[int(r)].attribute == "indications").casefold()


def _ask(index: SearchIndex, question: str) -> Answer:
    from app.enums import Mode

    return _pipeline(index).answer(TurnRequest(question, mode=Mode.DRR))


def test_several_medicines_each_cited_from_its_indications(mini_index: SearchIndex) -> None:
    answer = _ask(mini_index, "what can I take for a headache?")
    assert answer.status is Status.ANSWERED
    cited = [c.medicine_id for c in answer.citations]
    assert {"acetaminophen", "ibuprofen"} <= set(cited)
    assert len(cited) == len(set(cited))
    assert [c.n for c in answer.citations] == list(range(1, len(cited) + 1))
    assert answer.text.startswith("Medicines in the database indicated for headache: ")
    for c in answer.citations:
        assert c.attribute == "indications"
        assert "headache" in c.quote.casefold()
        assert c.quote.casefold().strip(". ") in _indications_of(mini_index, c.medicine_id)
        assert f"[{c.n}]" in answer.text
    assert answer.audit["distill"]["attribute"] is None or answer.queries[0].attribute == "indications"


def test_only_labels_whose_indications_name_the_condition(mini_index: SearchIndex) -> None:
    answer = _ask(mini_index, "what can I take for heartburn?")
    assert answer.status is Status.ANSWERED
    assert [c.medicine_id for c in answer.citations] == ["omeprazole"]


def test_nothing_matches_gives_no_evidence_and_no_quote(mini_index: SearchIndex) -> None:
    answer = _ask(mini_index, "what medicine can I take for zorblax syndrome?")
    assert answer.status is Status.NO_EVIDENCE
    assert answer.citations == []
    assert "zorblax syndrome" in answer.text


@pytest.mark.parametrize("question", ["headache for three days", "what pills work best?"])
def test_no_medicine_and_no_condition_read_quotes_no_label(mini_index: SearchIndex, question: str) -> None:
    answer = _ask(mini_index, question)
    assert answer.citations == []
    assert answer.status is Status.NO_EVIDENCE


def test_a_back_killing_me_is_back_pain_searched_in_the_labels_words(mini_index: SearchIndex) -> None:
    # (session 21: "my back is killing me" states a condition, which labels call backache)
    answer = _ask(mini_index, "my back has been killing me, any meds for it?")
    assert answer.status is Status.ANSWERED and answer.text.startswith("Medicines in the database indicated for")
    assert all("backache" in c.quote.casefold() or "back pain" in c.quote.casefold() for c in answer.citations)


def test_a_named_medicine_is_not_a_which_medicine_question(mini_index: SearchIndex) -> None:
    answer = _ask(mini_index, "what is ibuprofen good for?")
    assert [q.medicine for q in answer.queries] == ["ibuprofen"]
    assert {c.medicine_id for c in answer.citations} <= {"ibuprofen"}  # what is quoted is the reader's business
    assert answer.audit["distill"]["attribute"] == "indications"
    assert "Medicines in the database" not in answer.text


def test_chinese_question_over_a_chinese_database(tmp_path: Path) -> None:
    from indexing.build import BuildOptions, build_index
    from indexing.store import load_current

    build_index(FIXTURES / "medicines_zh.jsonl", BuildOptions(index_dir=tmp_path, progress=False, with_dense=False))
    index = load_current(tmp_path, "medicines")
    answer = _ask(index, "头痛吃什么药？")
    assert answer.status is Status.ANSWERED
    assert {c.medicine_id for c in answer.citations} == {"ibuprofen-sr-zh", "acetaminophen-zh"}
    assert answer.text.startswith("数据库中适应症提到“头痛”的药品：")
    assert all("头痛" in c.quote for c in answer.citations)
    none = _ask(index, "什么药治脱发？")
    assert none.status is Status.NO_EVIDENCE and none.citations == []


# -- the condition as what the medicine treats, not words sharing a sentence (issue 17) ------------------

UPSET_STOMACH = [
    {"id": "calmazine", "name": "Calmazine", "sections": {"indications": (
        "Calmazine tablets are indicated for the management of anxiety disorders. The efficacy of calmazine "
        "was shown in outpatients whose symptoms included tension, irritability, sweating, upset stomach, "
        "dizziness and insomnia.")}},
    {"id": "bismuthol", "name": "Bismuthol", "sections": {"indications": (
        "Uses relieves: upset stomach due to overindulgence in food and drink; diarrhea; nausea.")}},
    {"id": "gastrohomeo", "name": "Gastrohomeo", "sections": {"indications": (
        "USES Temporary relief of upset stomach and bloating."), "description": (
        "Active ingredients: Nux vomica 6C HPUS, Carbo vegetabilis 12C HPUS, Lycopodium clavatum 30C HPUS.")}},
    {"id": "refluxol", "name": "Refluxol", "sections": {"indications": (
        "Refluxol is indicated for the treatment of erosive esophagitis. Limitations of Use: Refluxol is not "
        "indicated for the relief of an upset stomach.")}},
    {"id": "listacid", "name": "Listacid", "sections": {"indications": (
        "Listacid chewable tablets are used for the relief of heartburn, acid indigestion, sour stomach, gas, "
        "bloating and upset stomach associated with these symptoms.")}},
]


@pytest.fixture(scope="module")
def stomach_index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    import json

    from indexing.build import BuildOptions, build_index
    from indexing.store import load_current

    root = tmp_path_factory.mktemp("stomach")
    corpus = root / "medicines.jsonl"
    corpus.write_text("".join(json.dumps({"aliases": [], "lang": "en", "source": "test", **m}) + "\n"
                              for m in UPSET_STOMACH), encoding="utf-8")
    build_index(corpus, BuildOptions(index_dir=root / "index", progress=False, with_dense=False))
    return load_current(root / "index", "medicines")


def test_only_medicines_indicated_for_the_condition_directly_first(stomach_index: SearchIndex) -> None:
    answer = _ask(stomach_index, "is there a medicine for an upset stomach?")
    cited = [c.medicine_id for c in answer.citations]
    # not the anxiolytic (a symptom of its patients), the homeopathic product, or the one whose label says
    # it is not for it; the one saying so directly before the one listing it after five other conditions
    assert cited == ["bismuthol", "listacid"], answer.text
    assert answer.text.startswith("Medicines in the database indicated for upset stomach: Bismuthol [1], Listacid [2]")


@pytest.mark.parametrize(
    ("sentence", "how"),
    [
        ("Atenolol is indicated for the treatment of hypertension.", DIRECT),
        ("Uses temporarily relieves minor aches and pains due to: the common cold, backache, toothache, "
         "muscular aches, menstrual cramps and hypertension headache", LISTED),
        ("Patients enrolled in the hypertension trials had a mean age of 54.", 0),
        ("Hypertension was reported in 3% of patients; this drug is indicated for gout.", 0),
        ("Limitations of Use: not indicated for the treatment of hypertension.", 0),
        ("This product has not been established as safe for hypertension.", 0),
    ],
)
def test_how_directly_a_sentence_says_the_condition_is_treated(sentence: str, how: int) -> None:
    assert treated_in(sentence, ["hypertension"])[0] == how


def test_a_narrower_condition_is_less_direct() -> None:
    plain = treated_in("For the relief of headache and fever.", ["headache"])
    narrower = treated_in("For the acute treatment of cluster headache.", ["headache"])
    assert plain[0] == narrower[0] == DIRECT and plain > narrower


def test_homeopathic_labels_are_recognised() -> None:
    assert is_homeopathic(["Arnica montana 6C HPUS ... relieves muscle pain"])
    assert is_homeopathic(["ADRENALINUM 6X, BRONCHUS 200X, HISTAMINUM 12X"])
    assert not is_homeopathic(["Carbon-11 choline: insufficient 11 C activity; 5-HT 2C receptor binding"])


@pytest.mark.parametrize(
    ("question", "condition", "which"),
    [
        ("what drugs can cause hair growth?", None, True),  # not what treats it: no label chosen
        ("what medications could cause excessive sweating", None, True),
        ("could any of my medicines cause dizziness?", None, False),  # the user's own medicines answer that
        ("what can I take for a headache caused by stress", "headache", True),
        ("what treats a urinary tract infection", "urinary tract infection", True),
    ],
)
def test_what_causes_is_not_what_treats(question: str, condition: str | None, which: bool) -> None:
    assert condition_asked(question) == condition
    assert asks_which_medicine(question) is which


def test_words_labels_use_for_what_the_condition_ends_with() -> None:
    assert "allergic rhinitis" in _phrases("bad seasonal allergies")
    assert _phrases("zorblax syndrome") == ["zorblax syndrome"]


def test_a_label_saying_it_will_not_relieve_the_condition_does_not_treat_it() -> None:
    coated = ("Because of its delayed action, this product will not provide fast relief of headaches or other "
              "symptoms needing immediate relief.")
    assert treated_in(coated, ["headache", "headaches"])[0] == 0
    assert treated_in("For the temporary relief of headaches.", ["headaches"])[0] == DIRECT


HEADACHE = [
    {"id": "injectatrip", "name": "Injectatrip", "routes": ["SUBCUTANEOUS"], "product_type": "HUMAN PRESCRIPTION DRUG",
     "sections": {"indications": "Injectatrip is indicated for the acute treatment of cluster headache in adults."}},
    {"id": "oratrip", "name": "Oratrip", "routes": ["ORAL"], "product_type": "HUMAN PRESCRIPTION DRUG",
     "sections": {"indications": "Oratrip tablets are indicated for the acute treatment of migraine headache."}},
    {"id": "painaway", "name": "Painaway", "routes": ["ORAL"], "product_type": "HUMAN OTC DRUG",
     "sections": {"indications": "Uses temporarily relieves minor aches and pains due to: headache, toothache, "
                                 "backache and menstrual cramps."}},
    {"id": "coatedasa", "name": "Coatedasa", "routes": ["ORAL"], "product_type": "HUMAN OTC DRUG",
     "sections": {"indications": "Because of its delayed action, this product will not provide fast relief of "
                                 "headaches or other symptoms needing immediate relief."}},
]


@pytest.fixture(scope="module")
def headache_index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    import json

    from indexing.build import BuildOptions, build_index
    from indexing.store import load_current

    root = tmp_path_factory.mktemp("headache")
    corpus = root / "medicines.jsonl"
    corpus.write_text("".join(json.dumps({"aliases": [], "lang": "en", "source": "test", **m}) + "\n"
                              for m in HEADACHE), encoding="utf-8")
    build_index(corpus, BuildOptions(index_dir=root / "index", progress=False, with_dense=False))
    return load_current(root / "index", "medicines")


def test_what_the_asker_can_take_themselves_comes_first(headache_index: SearchIndex) -> None:
    answer = _ask(headache_index, "what can I take for a headache?")
    # the OTC label first, the prescription tablet next, the injection last; never the coated aspirin that
    # says it will not relieve a headache
    assert [c.medicine_id for c in answer.citations] == ["painaway", "oratrip", "injectatrip"], answer.text


def test_what_the_labels_say_keeps_the_order_of_how_directly(headache_index: SearchIndex) -> None:
    answer = _ask(headache_index, "which medicines are indicated for headache?")
    cited = [c.medicine_id for c in answer.citations]
    assert "coatedasa" not in cited and cited[-1] == "painaway", answer.text


@pytest.mark.parametrize(
    ("question", "self_care"),
    [("what can I take for a headache?", True), ("anything for heartburn?", True), ("我头痛，吃什么药好？", True),
     ("what should I give my son for a fever?", True), ("which medicines are indicated for gout?", False),
     ("what is used to treat gout?", False)],
)
def test_self_care_questions(question: str, self_care: bool) -> None:
    assert asks_self_care(question) is self_care


def test_self_care_tiers() -> None:
    assert self_care_tier(("ORAL",), "HUMAN OTC DRUG") == OTC_TIER
    assert self_care_tier(("NASAL",), "HUMAN PRESCRIPTION DRUG") == SELF_TAKEN_TIER
    assert self_care_tier((), "") == SELF_TAKEN_TIER
    assert self_care_tier(("INTRAMUSCULAR", "INTRADERMAL"), "HUMAN PRESCRIPTION DRUG") == INJECTED_TIER
