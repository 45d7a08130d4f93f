"""Which of the products sharing a name an English dose-form word points at: "my Ozempic pens" are the
injectable semaglutide, not the oral tablets that list OZEMPIC among their aliases; "hydrocortisone cream" the
topical product. As the Chinese path does with 片/胶囊/注射液 (app.pipeline.zh_names.form_cue_fit).

A product fits a form by its routes (the label's route of administration) and by the form words of its name;
the name's first product is kept unless another sharing the name fits the words around it better.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Form word said -> (the routes of a product of that form, the words its name may carry)
_INJECTED = frozenset({"SUBCUTANEOUS", "INTRAVENOUS", "INTRAMUSCULAR", "INTRADERMAL"})
_ORAL = frozenset({"ORAL", "SUBLINGUAL", "BUCCAL"})
_TOPICAL = frozenset({"TOPICAL", "TRANSDERMAL", "CUTANEOUS"})


@dataclass(frozen=True, slots=True)
class Form:
    routes: frozenset[str]
    name_words: frozenset[str]


_FORMS: dict[str, Form] = {
    "injected": Form(_INJECTED, frozenset({"injection", "injectable", "pen", "autoinjector", "syringe"})),
    "tablet": Form(_ORAL, frozenset({"tablet", "tablets", "oral", "capsule", "capsules", "chewable"})),
    "liquid": Form(_ORAL, frozenset({"solution", "suspension", "syrup", "liquid", "elixir", "oral"})),
    "topical": Form(_TOPICAL, frozenset({"cream", "gel", "ointment", "lotion", "topical", "patch", "transdermal"})),
    "inhaled": Form(frozenset({"RESPIRATORY (INHALATION)"}), frozenset({"inhalation", "inhaler", "aerosol"})),
    "eye": Form(frozenset({"OPHTHALMIC"}), frozenset({"ophthalmic", "eye"})),
    "nasal": Form(frozenset({"NASAL"}), frozenset({"nasal"})),
}
FORM_OF_WORD: dict[str, str] = {
    **dict.fromkeys("pen pens injection injections shot shots jab jabs injectable injectables syringe "
                    "syringes autoinjector vial vials".split(), "injected"),
    **dict.fromkeys("tablet tablets pill pills capsule capsules tab tabs caplet caplets".split(), "tablet"),
    **dict.fromkeys("syrup liquid suspension elixir".split(), "liquid"),
    **dict.fromkeys("cream creams gel gels ointment lotion patch patches".split(), "topical"),
    **dict.fromkeys("inhaler inhalers puffer puffers nebulizer".split(), "inhaled"),
    **dict.fromkeys("drops eyedrops".split(), "eye"),
    "nasal": "nasal",  # "my budesonide nasal spray"
    "nose": "nasal",  # "the Rhinocort nose spray"
}
_ALL_NAME_WORDS = frozenset(w for f in _FORMS.values() for w in f.name_words)


def form_said(words: Iterable[str]) -> str | None:
    """The dose form the first form word among `words` names ("pens" -> injected), or None."""
    return next((FORM_OF_WORD[w] for w in words if w in FORM_OF_WORD), None)


def form_fit(form: str, routes: Iterable[str], name: str) -> int:
    """How well a product (its routes, its name) fits a form said: the route counts most; a name that
    carries another form's words ("Oral Semaglutide" for a pen) counts against it."""
    wanted = _FORMS[form]
    routes = set(routes)
    score = 0
    if routes:
        score += 2 if routes & wanted.routes else -2
    name_words = set(name.casefold().replace("-", " ").split())
    if name_words & wanted.name_words:
        score += 1
    elif name_words & (_ALL_NAME_WORDS - wanted.name_words):
        score -= 1
    return score


# The same forms said in Chinese: 喷鼻子 / 鼻喷 / 滴鼻 a nasal product, 吸入 / 气雾剂 an inhaler, 滴眼 eye drops,
# 打针 / 注射 an injection, 涂 / 抹 / 药膏 a cream or gel (the Chinese path's own cues: app.pipeline.zh_names).
_ZH_FORMS: tuple[tuple[str, str], ...] = (
    ("喷鼻", "nasal"), ("鼻喷", "nasal"), ("滴鼻", "nasal"), ("鼻用", "nasal"), ("鼻腔", "nasal"),
    ("吸入", "inhaled"), ("气雾", "inhaled"), ("滴眼", "eye"), ("眼药水", "eye"), ("眼液", "eye"),
    ("打针", "injected"), ("注射", "injected"), ("药膏", "topical"), ("乳膏", "topical"), ("软膏", "topical"),
    ("涂抹", "topical"),
)


def zh_form_said(text: str) -> str | None:
    """The dose form a Chinese question's words point at, or None."""
    return next((form for cue, form in _ZH_FORMS if cue in text), None)
