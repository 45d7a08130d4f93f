"""A medicine of the conversation referred to by its kind: "the blood thinner one", "the blood pressure
pill", "the water pill", "my statin", "the antibiotic", "the diabetes medicine".

A kind is a set of class words (indexing.vocabulary.pharm_class_keys over the label's pharmacologic classes)
and, for labels without declared classes, the INN stems and generic names of the kind (warfarin, -pril,
-sartan, -olol, -statin, -cillin). Among the medicines the user mentioned before, those of the kind named
are the focus; none of the kind: the reference says nothing and focus resolution stands.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.pipeline.context import ConversationContext, Focus, MedicineMention
from indexing.vocabulary import pharm_class_keys


@dataclass(frozen=True, slots=True)
class Kind:
    said: re.Pattern[str]  # how people name the kind
    classes: frozenset[str]  # class words (pharm_class_keys) of its members
    names: re.Pattern[str]  # generic names and INN stems of its members


def _kind(said: str, classes: str, names: str) -> Kind:
    return Kind(re.compile(rf"\b(?:{said})\b", re.IGNORECASE), frozenset(classes.split()),
                re.compile(rf"(?:{names})", re.IGNORECASE))


KINDS: dict[str, Kind] = {
    "anticoagulant": _kind(r"blood[- ]thinn(?:er|ing)s?(?: one| pills?| medicines?| meds?)?|anticoagulants?",
                           "anticoagulant heparin",
                           r"warfarin|coumadin|\w*xaban\b|dabigatran|heparin|enoxaparin|dalteparin"),
    "blood_pressure": _kind(r"(?:high )?blood[- ]pressure (?:one|pills?|tablets?|medicines?|medications?|meds?|drugs?)|"
                            r"bp (?:pills?|meds?|medicines?)|antihypertensives?",
                            "ace_inhibitor arb beta_blocker calcium_channel_blocker thiazide diuretic loop_diuretic",
                            r"\w+pril\b|\w+sartan\b|\w+olol\b|\w+dipine\b|diltiazem|verapamil|hydrochlorothiazide|"
                            r"chlorthalidone|clonidine|hydralazine|spironolactone|doxazosin|terazosin|prazosin"),
    "diuretic": _kind(r"water (?:pills?|tablets?|one)|diuretics?",
                      "diuretic thiazide loop_diuretic",
                      r"furosemide|bumetanide|torsemide|\w*thiazide\b|chlorthalidone|spironolactone|eplerenone|"
                      r"triamterene|amiloride|indapamide|metolazone"),
    "statin": _kind(r"statins?|cholesterol (?:one|pills?|tablets?|medicines?|medications?|meds?|drugs?)",
                    "statin", r"\w+statin\b"),
    "antibiotic": _kind(r"antibiotics?|anti-biotics?",
                        "penicillin cephalosporin macrolide fluoroquinolone",
                        r"\w+cillin\b|cef\w+|ceph\w+|\w+mycin\b|\w+micin\b|\w+floxacin\b|\w*cycline\b|"
                        r"sulfamethoxazole|trimethoprim|metronidazole|nitrofurantoin|linezolid|vancomycin"),
    "antidiabetic": _kind(r"diabetes (?:one|pills?|tablets?|medicines?|medications?|meds?|drugs?)|"
                          r"(?:blood )?sugar (?:pills?|tablets?|medicines?|meds?)|diabetic (?:medicines?|meds?|pills?)",
                          "antidiabetic insulin",
                          r"metformin|\w+gliptin\b|\w+gliflozin\b|\w+glutide\b|\w+glitazone\b|glipizide|"
                          r"glimepiride|glyburide|insulin|tirzepatide|pramlintide|acarbose|repaglinide|nateglinide"),
    "antidepressant": _kind(r"antidepressants?|depression (?:one|pills?|medicines?|meds?)",
                            "ssri snri tricyclic maoi",
                            r"sertraline|fluoxetine|paroxetine|citalopram|escitalopram|venlafaxine|duloxetine|"
                            r"bupropion|mirtazapine|trazodone|amitriptyline|nortriptyline"),
    "painkiller": _kind(r"pain ?killers?|pain (?:one|pills?|medicines?|meds?)",
                        "nsaid opioid salicylate",
                        r"ibuprofen|naproxen|diclofenac|celecoxib|meloxicam|aspirin|acetaminophen|tramadol|"
                        r"oxycodone|hydrocodone|morphine|codeine"),
    "steroid": _kind(r"steroids?|corticosteroids?", "corticosteroid",
                     r"prednisone|prednisolone|methylprednisolone|dexamethasone|hydrocortisone|budesonide"),
    "acid": _kind(r"(?:acid|reflux|heartburn|stomach) (?:one|pills?|medicines?|meds?)|antacids?",
                  "ppi", r"\w+prazole\b|famotidine|ranitidine|cimetidine"),
}


def kinds_said(question: str) -> list[str]:
    """The kinds of medicine a question refers to by kind ("the blood thinner one" -> anticoagulant)."""
    return [name for name, kind in KINDS.items() if kind.said.search(question)]


def is_of_kind(kind: str, name: str, class_names: Iterable[str]) -> bool:
    """Whether a medicine (its name, its label's pharmacologic class names) is of the kind."""
    k = KINDS[kind]
    return bool(pharm_class_keys(class_names) & k.classes) or k.names.search(name) is not None


def focus_by_kind(question: str, focus: Focus | None, context: ConversationContext, question_turn: int,
                  names: dict[str, str], classes: dict[str, tuple[str, ...]]) -> Focus | None:
    """The focus a reference by kind gives: the medicines mentioned before the question that are of the kind
    it names, most recently mentioned first (two of a kind in one turn: both); None or the focus as it
    was when the question names no kind or no medicine of it was mentioned."""
    said = kinds_said(question)
    if focus is None or not said:
        return focus
    earlier = context.latest(before_turn=question_turn)

    def fits(m: MedicineMention) -> bool:
        if m.medicine_id is None:
            return False
        name = names.get(m.medicine_id, m.surface)
        return any(is_of_kind(k, f"{name} {m.surface}", classes.get(m.medicine_id, ())) for k in said)

    of_kind = [m for m in earlier if fits(m)]
    if not of_kind:
        return focus
    latest_turn = of_kind[0].turn
    chosen = [m for m in of_kind if m.turn == latest_turn]
    return Focus(chosen, [], {**focus.scores, **{m.medicine_id or m.surface: 9.0 for m in chosen}})
