from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *aliases: str, lang: str = "en") -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), lang, "", ("dosage", "interactions"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon(
        [
            _entry("warfarin", "Warfarin Sodium", "Coumadin", "Jantoven", "warfarin"),
            _entry("ibuprofen", "Ibuprofen", "Advil", "Motrin"),
            _entry("acetaminophen", "Acetaminophen", "Tylenol", "paracetamol"),
            _entry("lisinopril", "Lisinopril", "Zestril"),
            _entry("lisinopril-and-hydrochlorothiazide", "Lisinopril and Hydrochlorothiazide", "Zestoretic"),
            _entry("metformin", "Metformin Hydrochloride", "Glucophage", "metformin"),
            _entry("asp-zh", "阿司匹林", "阿司匹林肠溶片", lang="zh"),
        ],
        extra_drug_names=["rivaroxaban", "xarelto"],
    )


def _run(lexicon: MedicineLexicon, *turns: str) -> tuple[list[tuple[str | None, str | None]], list[str]]:
    dialogue = [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]
    d = RuleDistiller().distill(dialogue, lexicon)
    return [(q.medicine, q.attribute) for q in d.queries], d.unknown_drugs


def test_single_drug_and_attribute(lexicon: MedicineLexicon) -> None:
    queries, unknown = _run(lexicon, "What are the side effects of Advil?")
    assert queries == [("ibuprofen", "adverse_reactions")]
    assert unknown == []


def test_coreference_across_turns(lexicon: MedicineLexicon) -> None:
    queries, _ = _run(
        lexicon,
        "My doctor put me on metformin last month.",
        "Metformin is used for type 2 diabetes.",
        "Is it safe to take while pregnant?",
    )
    assert queries == [("metformin", "pregnancy")]


def test_two_drug_interaction_in_one_turn(lexicon: MedicineLexicon) -> None:
    queries, _ = _run(lexicon, "Can I take Tylenol together with Coumadin?")
    assert sorted(queries, key=str) == [("acetaminophen", "interactions"), ("warfarin", "interactions")]


def test_interaction_partner_from_earlier_turn(lexicon: MedicineLexicon) -> None:
    queries, _ = _run(
        lexicon,
        "I was put on warfarin last week.",
        "Warfarin is an anticoagulant.",
        "Can I take it with ibuprofen?",
    )
    assert sorted(queries, key=str) == [("ibuprofen", "interactions"), ("warfarin", "interactions")]


def test_partner_keywords_name_the_other_drug(lexicon: MedicineLexicon) -> None:
    d = RuleDistiller().distill([Turn("user", "Is it ok to take Advil with warfarin?")], lexicon)
    by_med = {q.medicine: q.keywords.lower() for q in d.queries}
    assert "warfarin" in by_med["ibuprofen"]
    assert "ibuprofen" in by_med["warfarin"]


def test_unknown_drug_gives_no_medicine(lexicon: MedicineLexicon) -> None:
    queries, unknown = _run(lexicon, "What is the usual dose of Xarelto?")
    assert queries == []
    assert unknown == ["Xarelto"]


def test_unknown_drug_by_name_stem(lexicon: MedicineLexicon) -> None:
    queries, unknown = _run(lexicon, "how much losartan can i take a day")
    assert queries == []
    assert unknown == ["losartan"]


def test_no_drug_at_all_searches_everything(lexicon: MedicineLexicon) -> None:
    queries, unknown = _run(lexicon, "Which medicines should be stored in the fridge?")
    assert queries == [(None, "storage")]
    assert unknown == []


def test_misspelled_drug_resolves(lexicon: MedicineLexicon) -> None:
    queries, _ = _run(lexicon, "what is the dose of lisinipril for blood pressure")
    assert queries == [("lisinopril", "dosage")]


def test_single_ingredient_prefers_its_own_label(lexicon: MedicineLexicon) -> None:
    assert lexicon.resolve("lisinopril") == "lisinopril"
    assert lexicon.resolve("hydrochlorothiazide") == "lisinopril-and-hydrochlorothiazide"
    assert lexicon.resolve("ZESTRIL") == "lisinopril"
    assert lexicon.resolve("no such thing") is None


def test_elliptical_follow_up_keeps_attribute(lexicon: MedicineLexicon) -> None:
    queries, _ = _run(
        lexicon,
        "What are the side effects of metformin?",
        "Metformin can cause diarrhea.",
        "And for lisinopril?",
    )
    assert queries == [("lisinopril", "adverse_reactions")]


def test_latest_turn_beats_earlier_mentions(lexicon: MedicineLexicon) -> None:
    queries, _ = _run(lexicon, "I take metformin.", "Noted.", "How should I store Tylenol?")
    assert queries == [("acetaminophen", "storage")]


def test_chinese_question(lexicon: MedicineLexicon) -> None:
    queries, _ = _run(lexicon, "阿司匹林有什么不良反应？")
    assert queries == [("asp-zh", "adverse_reactions")]
    queries, _ = _run(lexicon, "我在吃阿司匹林。", "好的。", "孕妇可以吃这个药吗？")
    # pregnancy first; a Chinese pregnancy question also searches warnings, where many labels say it
    assert queries[0] == ("asp-zh", "pregnancy")
    assert {m for m, _ in queries} == {"asp-zh"}


def test_dialogue_must_end_with_user(lexicon: MedicineLexicon) -> None:
    with pytest.raises(ValueError):
        RuleDistiller().distill([Turn("assistant", "hello")], lexicon)


@pytest.mark.parametrize(
    ("question", "attribute"),
    [
        ("how much ibuprofen can I take in a day", "dosage"),
        ("What happens if I miss a dose?", "dosage"),
        ("can I drink alcohol while on this", "interactions"),
        ("is it safe while breastfeeding", "lactation"),
        ("can my 5 year old child take this", "pediatric"),
        ("what is this medicine used for", "indications"),
        ("does it need to be refrigerated", "storage"),
        ("what should I do if I took too much", "overdosage"),
        ("does it contain gluten", "description"),
        ("how long does it take to work", "pharmacology"),
        ("who should not take it", "contraindications"),
        ("what does the pill look like", "dosage_forms"),
        ("what does a 5 mg amlodipine tablet look like?", "dosage_forms"),  # the strength does not make it a dose
        ("what colour is the 10 mg one", "dosage_forms"),
        ("tell me about it", None),
        ("how to safely stop taking it", "dosage"),
        ("how long does it stay in your system", "pharmacology"),
        ("what foods should I avoid while taking it", "interactions"),
        ("why was I prescribed this", "indications"),
        ("how is it administered", "dosage"),
        ("what is the best time to take it", "dosage"),
    ],
)
def test_attribute_cues(question: str, attribute: str | None) -> None:
    guess = classify_attribute(question)
    assert (guess.attribute.value if guess.attribute else None) == attribute


def test_brand_names_from_synonyms_and_salt_free_names() -> None:
    lex = MedicineLexicon(
        [_entry("warfarin-sodium", "Warfarin Sodium"), _entry("ciprofloxacin", "Ciprofloxacin")],
        synonyms={"coumadin": "warfarin", "cipro": "ciprofloxacin", "xarelto": "rivaroxaban"},
    )
    assert lex.resolve("Coumadin") == "warfarin-sodium"
    assert lex.resolve("warfarin") == "warfarin-sodium"  # the salt is not part of what people type
    assert lex.resolve("cipro") == "ciprofloxacin"
    d = RuleDistiller().distill([Turn("user", "Is Xarelto safe with Coumadin?")], lex)
    assert [q.medicine for q in d.queries] == ["warfarin-sodium"]
    assert d.unknown_drugs == ["Xarelto (rivaroxaban)"]


def test_known_name_beats_longer_unknown_name() -> None:
    lex = MedicineLexicon([_entry("albuterol", "Albuterol")], extra_drug_names=["Albuterol Oral Inhalation"])
    assert [m.medicine_id for m in lex.find("how to use albuterol oral inhalation")] == ["albuterol"]


def test_two_drugs_without_cue_is_an_interaction_question(lexicon: MedicineLexicon) -> None:
    queries, _ = _run(lexicon, "metformin and lisinopril?")
    assert {q for q in queries} == {("metformin", "interactions"), ("lisinopril", "interactions")}
