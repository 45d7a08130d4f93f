"""Issue 18 (reading): a condition the user states in lay words is matched to the contraindication that names it
in the label's words, and that contraindication leads before a warning repeating it. Hand-written label-like text
and wordings; no test set's phrase."""

from __future__ import annotations

from app.pipeline.compose import label_sentences
from app.pipeline.read import ExtractiveReader
from app.pipeline.read_cues import conditions_in
from app.pipeline.state import Evidence, SearchQuery
from indexing.schema import Chunk
from indexing.text import tokenize


def _ev(mid: str, attribute: str, text: str, i: int = 0) -> Evidence:
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid), 0.03, 0, i)


def _names(said: str) -> set[str]:
    return {c.name for c in conditions_in(said)}


def test_more_lay_conditions_take_the_labels_words() -> None:
    assert "cerebrovascular" in _names("I had a stroke two years ago")
    assert "cerebrovascular" in _names("dad had a mini-stroke in May")
    assert "cerebrovascular" not in _names("he strokes the dog when anxious")
    assert "hypotension" in _names("my blood pressure runs low")
    assert "arrhythmia" in _names("I have an irregular heartbeat")
    assert "arrhythmia" in _names("she was told she has long QT")
    assert "bleeding_disorder" in _names("I have a bleeding disorder (von Willebrand)")
    assert "hyperthyroidism" in _names("I have an overactive thyroid")
    stroke = next(c for c in conditions_in("I had a stroke") if c.name == "cerebrovascular")
    assert stroke.terms & frozenset(tokenize("history of stroke or cerebrovascular disease"))
    assert not stroke.terms & frozenset(tokenize("transient elevations of liver enzymes"))


TRIPTAN = [
    _ev("migrastat", "contraindications", "Migrastat injection is contraindicated in patients with: • Ischemic "
        "coronary artery disease (CAD) (angina pectoris, history of myocardial infarction, or documented silent "
        "ischemia) or coronary artery vasospasm, including Prinzmetal's angina • Wolff-Parkinson-White syndrome or "
        "arrhythmias associated with other cardiac accessory conduction pathway disorders • History of stroke or "
        "transient ischemic attack • Peripheral vascular disease • Ischemic bowel disease • Uncontrolled "
        "hypertension • Severe hepatic impairment"),
    _ev("migrastat", "warnings", "The use of migrastat injection is contraindicated in patients with CAD and those "
        "with Prinzmetal's variant angina. Perform a cardiovascular evaluation in triptan-naive patients who have "
        "multiple cardiovascular risk factors before receiving migrastat."),
    _ev("migrastat", "indications", "Migrastat injection is indicated for the acute treatment of migraine with or "
        "without aura in adults."),
]


def test_a_stated_heart_attack_leads_with_the_contraindication_naming_it() -> None:
    question = "I had a heart attack 4 years ago. Can I use migrastat shots for my migraines?"
    result = ExtractiveReader().read_evidence(question, [SearchQuery("migrastat", "warnings", question)], TRIPTAN)
    first = result.citations[0]
    assert first.attribute == "contraindications" and "history of myocardial infarction" in first.quote


def test_a_list_bulleted_with_white_circles_is_quotable() -> None:
    text = ("Examples include women who are known to: ○ Smoke, if over age 35 ○ Have deep vein thrombosis or "
            "pulmonary embolism, now or in the past ○ Have cerebrovascular disease ○ Have coronary artery disease")
    quoted = [s for _, s in label_sentences(text)]
    assert any("deep vein thrombosis or pulmonary embolism, now or in the past" in s for s in quoted), quoted
    assert all("○" not in s for s in quoted)


def test_a_contraindication_naming_the_stated_condition_outranks_a_higher_scored_warning() -> None:
    from app.pipeline.read import _Scored, _Sentence

    def scored(section: str, text: str, score: float, contraindicates: bool) -> _Scored:
        sentence = _Sentence("migrastat", section, f"migrastat:{section}:0", 0, 0, text,
                             frozenset(tokenize(text)), 0)
        return _Scored(sentence, score, 1.0, safety=True, contraindicates=contraindicates)

    warning = scored("warnings", "Migrastat is contraindicated in patients with CAD.", 9.0, False)
    contra = scored("contraindications", "Migrastat is contraindicated in patients with a history of myocardial "
                    "infarction.", 8.0, True)
    chosen = ExtractiveReader()._choose([warning, contra], 1)
    assert chosen[0] is contra
    unmarked = scored("contraindications", contra.sentence.text, 8.0, False)
    assert ExtractiveReader()._choose([warning, unmarked], 1)[0] is warning
