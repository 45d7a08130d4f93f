"""Whether a wrong first citation is of a medicine the user named, to split the wrong-medicine rate in two.

An interaction question names two medicines ("I'm on clopidogrel, can I take omeprazole?"); a writer who gold
it to the label that carries the warning (clopidogrel's) scores an answer that quotes omeprazole's label first as
"wrong medicine", although the user asked about omeprazole too. An answer about a medicine the user never named
is the worse failure. The split is a report: the wrong-medicine rate itself is unchanged.

"Named" is judged on the user's turns only, by words: a medicine's own words (its id, name and aliases, less salt,
form and route words) against the user's words and the generic names of the brands and Chinese names the user
wrote (the brand dictionary and the Chinese name table the service ships). A misspelt or described medicine
("the water tablet") is not named, so the split errs towards counting a wrong citation as unnamed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from app.pipeline.generic_names import GenericName, shipped_name_table
from app.pipeline.state import Turn
from app.pipeline.synonyms import drug_synonyms
from eval.metrics import same_medicine

# Words of a medicine's names that do not tell it from another: salts, forms, routes, and the words many
# products share ("insulin lispro" is not named by "insulin glargine").
_SHARED_WORDS = frozenset(
    """and with hydrochloride hydrobromide sodium potassium calcium magnesium phosphate sulfate bisulfate acetate
    tartrate succinate maleate fumarate citrate besylate mesylate bromide chloride nitrate dihydrate monohydrate
    anhydrous oral otc tablet tablets capsule capsules extended delayed release injection injectable cream gel
    ointment lotion solution suspension topical ophthalmic nasal spray patch chewable film coated dye free
    insulin human recombinant vitamin multiple vitamins pediatric adult children childrens junior strength
    extra maximum regular pharmacy bulk package kit system""".split()
)
_WORD = re.compile(r"[a-z][a-z0-9]+")
_MAX_PHRASE_WORDS = 4


def medicine_words(medicine_id: str, names: Iterable[str]) -> frozenset[str]:
    """The words that name one medicine: of its id and names, four letters or more, less shared words."""
    words: set[str] = set()
    for name in (medicine_id.replace("-", " "), *names):
        words.update(w for w in _WORD.findall(name.casefold()) if len(w) >= 4 and w not in _SHARED_WORDS)
    return frozenset(words)


def user_words(text: str, synonyms: Mapping[str, str], zh_names: Iterable[GenericName]) -> frozenset[str]:
    """The user's words and the words of the generic names their brands and Chinese names stand for."""
    lowered = text.casefold()
    words = _WORD.findall(lowered)
    out = set(words)
    for size in range(1, _MAX_PHRASE_WORDS + 1):
        for start in range(len(words) - size + 1):
            generic = synonyms.get(" ".join(words[start:start + size]))
            if generic:
                out.update(_WORD.findall(generic.casefold()))
    for entry in zh_names:
        if any(name and name in text for name in entry.zh_names):
            for english in entry.en_names:
                out.update(_WORD.findall(english.casefold()))
    return frozenset(out)


def user_text(dialogue: Iterable[Turn]) -> str:
    """What the user wrote in a consultation: its user turns, never the service's answers."""
    return "\n".join(t.content for t in dialogue if t.role == "user")


@lru_cache(maxsize=1)
def _shipped_zh_names() -> tuple[GenericName, ...]:
    return shipped_name_table()


class NamedByUser:
    """Answers "did the user name this medicine?" for the medicines of one index."""

    def __init__(self, names_of: Mapping[str, Iterable[str]], synonyms: Mapping[str, str] | None = None,
                 zh_names: Iterable[GenericName] | None = None) -> None:
        self._words = {mid: medicine_words(mid, names) for mid, names in names_of.items()}
        self._synonyms = drug_synonyms() if synonyms is None else synonyms
        self._zh = tuple(_shipped_zh_names() if zh_names is None else zh_names)

    def named(self, medicine_id: str, user_text: str) -> bool:
        own = self._words.get(medicine_id) or medicine_words(same_medicine(medicine_id), ())
        return bool(own & user_words(user_text, self._synonyms, self._zh))

    def wrong_and_unnamed(self, wrong: bool | None, cited: list[str], user_text: str) -> bool | None:
        """For a scored item: its first citation is wrong and of a medicine the user never named."""
        if wrong is None:
            return None
        return bool(wrong) and not self.named(cited[0], user_text)
