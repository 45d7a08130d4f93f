"""A symptom asked of a medicine whose label's warnings give it a heading of its own.

"Since starting Jardiance I keep getting thrush down below, is that the medicine?", "我妈吃可定，大腿酸痛没力气，是不是
药引起的？": the intent model reads "is it a side effect?" and ranks the adverse reactions first. But empagliflozin's
warnings head a paragraph "Genital Mycotic Infections", rosuvastatin's "Myopathy and Rhabdomyolysis": what to do
about it (stop, check CK, see a doctor) is in the warnings, and that is the section a pharmacist answers from. A
symptom said in the user's words, in the label's words (read_cues expansions, the Chinese glossary), that one of
the medicine's warnings headings names puts the warnings first and the adverse reactions after.

A boxed warning's opening names its subject the same way ("WARNING: SERIOUS SKIN RASHES", "Suicidality and
Antidepressant Drugs ..."): "he's been saying he doesn't want to be here since starting sertraline" is what the
box is about, and it comes first, the warnings after.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.pipeline.read_cues import question_expansions, said_expansions, shorthand_expansions
from indexing.text import tokenize

# A highlights-style heading: "Myopathy and Rhabdomyolysis :", "• Pancreatitis :", "( 5.1 ) Volume Depletion:".
_HEADING = re.compile(r"(?:^|•|\)\s|[.;]\s)\s*([A-Z][A-Za-z0-9 ,/'()-]{3,90}?)\s?:")
# Words of any heading or any question about effects: they say an effect is asked, not which.
_GENERIC = frozenset(tokenize(
    "effect effects reaction reactions adverse side risk risks increase increased use patients patient serious "
    "other others all general warning warnings precaution precautions including include drug drugs medicine "
    "high low severe disease condition conditions pain decrease decreased reduced "
    # (and what a highlights sentence says beside the warning: "after starting or increasing the dose")
    "dose doses dosage titrate titration start starting initiate initiation develop developed tablet tablets "
    "capsule capsules possible particularly however unlikely"))


# A highlights bullet: a warning told in one sentence and its section number ("Cholinesterase inhibitors may have
# vagotonic effects ... manifesting as bradycardia or heart block ( 5.2 )"), where the highlights have no headings.
_HIGHLIGHT = re.compile(r"([^()]{10,300}?)\(\s*5\.\d+(?:,\s*5\.\d+)*\s*\)")


@lru_cache(maxsize=256)  # a label's warnings are read again at every symptom question about it
def heading_words(warnings_text: str) -> frozenset[str]:
    """The tokens of the headings of a label's warnings section; of a highlights section without headings, of its
    one-sentence warnings."""
    said = [m.group(1) for m in _HEADING.finditer(warnings_text)] or [
        m.group(1) for m in _HIGHLIGHT.finditer(warnings_text)]
    return frozenset(tokenize(" ".join(said))) - _GENERIC


def symptom_words(said: str) -> frozenset[str]:
    """The label's words for the effects, symptoms and infections the user's words name."""
    return frozenset((question_expansions(said) - shorthand_expansions(said)) | said_expansions(said)) - _GENERIC


def warned_symptom(said: str, warnings_text: str, medicine_words: frozenset[str] = frozenset()) -> frozenset[str]:
    """The words of a symptom the user said that a warnings heading of the label names (empty when none)."""
    if not warnings_text:
        return frozenset()
    return (symptom_words(said) & heading_words(warnings_text)) - medicine_words


# The opening of a boxed warning that says what it is about: its title ("WARNING: SERIOUS SKIN RASHES",
# "Suicidality and Antidepressant Drugs"), not the risks its first sentences go on to list.
_BOXED_OPENING_CHARS = 80


def boxed_symptom(said: str, boxed_text: str, medicine_words: frozenset[str] = frozenset()) -> frozenset[str]:
    """The words of a symptom the user said that the opening of the label's boxed warning names (empty when none)."""
    if not boxed_text:
        return frozenset()
    opening = frozenset(tokenize(boxed_text[:_BOXED_OPENING_CHARS])) - _GENERIC
    return (symptom_words(said) & opening) - medicine_words
