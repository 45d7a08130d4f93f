"""The question's own topic: its content words steer which sentences of the medicine in focus are quoted.

"Is it ok with grapefruit juice?" after "I take simvastatin and amlodipine" asks about grapefruit, not about
the two medicines together; "what if I need a tooth pulled" after a dose question asks what the label says of
dental procedures, wherever it says it. A question's words that name no section ("side effects"), no medicine
and no asking ("can I", "ok") are its topic: a sentence of any section of the label that shares them gains by
how much of the topic it carries. Lay words get the label's words for them (fridge -> refrigerator, a pen in
use -> in-use, opened, room temperature; a tooth pulled -> dental, dentist).

A follow-up that names no medicine and asks a section of its own ("what about in pregnancy?") is no longer an
interaction question: the earlier turn's partner reading does not carry over (`changes_topic`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from indexing.text import tokenize
from indexing.vocabulary import DOSE_FORM_WORDS, SALT_WORDS

# Words that ask rather than say what about: "is it ok", "what if", "does the one I'm using need to".
_ASKING = frozenset(tokenize(
    "ok okay fine safe safely alright right problem problems issue issues worry worried concern concerned "
    "what if about how when why where which who whom whose would could should will shall must might may can "
    "does did doing done need needs needed get got going go also still just really ever any anything some "
    "something thing things one ones mine my your his her their our the this that these those them it its "
    "while with without for from into onto of on in at by to and or but not no yes i me we you he she they "
    "take taking took use using used doctor medicine medication drug drugs pill pills tablet tablets mg "
    "please help thanks tell know want question like kind sort bit lot much many more most less"))

# Lay words -> the label's words for them: the words that say it (dental), then broader ones that may (surgery).
_LABEL_WORDS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"\b(?:tooth|teeth|dentist|dental|wisdom|filling|root canal|extraction)\b", re.I),
     "dental dentist dentists", "procedure procedures surgery surgical"),
    (re.compile(r"\b(?:surgery|surgeon|operation|operated|procedure|colonoscopy|endoscopy|biopsy)\b|"
                r"\b(?:having|getting) (?:my|his|her|a|the) \w+ (?:out|removed)\b", re.I),
     "surgery surgical", "procedure"),
    (re.compile(r"\bfridge\b|\brefrigerat", re.I), "refrigerator refrigerated", ""),
    (re.compile(r"\b(?:one|pen|vial|bottle|cartridge|inhaler)s? (?:i'?m|i am|you'?re|he'?s|she'?s) using\b|"
                r"\bin use\b|\bopened\b|\bstarted (?:using|a new)\b|\bcurrently using\b", re.I),
     "in-use opened", "room temperature days"),
    (re.compile(r"\bdriv(?:e|ing)\b|\bcar\b|\bmachinery\b", re.I), "driving drive machinery", "operating"),
    (re.compile(r"\balcohol\b|\bdrink(?:ing)?\b|\bbeer\b|\bwine\b|\bbooze\b", re.I), "alcohol ethanol", ""),
    (re.compile(r"\bsun\b|\bsunburn|\bsunbath|\btanning\b|\bbeach\b|\bby the pool\b|\bpoolside\b|\bsunny\b|"
                r"\bsunshine\b|\bsunbeds?\b|\bsunlight\b|晒太阳|曬太陽|日晒|日曬|暴晒|海边|海邊|防晒|防曬", re.I),
     "sun sunlight sunburn photosensitivity ultraviolet", ""),
    (re.compile(r"\b(?:legs?|muscles?|calf|calves|thighs?)\b.{0,20}\b(?:ache|aches|aching|pain|hurt|hurts|sore|cramp)"
                r"|\b(?:aching|sore|painful) (?:legs?|muscles?)\b|\bmuscle (?:ache|pain|cramp)", re.I),
     "muscle myopathy myalgia rhabdomyolysis", "pain weakness"),
)
_BROAD = 0.3
# A procedure ahead (a tooth pulled, an operation) or a pen in use: the label's words for it steer any question,
# not only a follow-up's ("is eliquis a problem before a dental extraction?" -> tell the dentist before any
# procedure; "does it need the fridge once opened?" -> the in-use days at room temperature).
_SITUATIONS = (*_LABEL_WORDS[:2], _LABEL_WORDS[3])


def situation_asked(question: str) -> bool:
    return any(p.search(question) for p, _, _ in _SITUATIONS)

# What a sentence carrying the whole topic gains: above the asked section's prior (2.0), its key-sentence bonus
# (1.0) and a broad word's lexical score, so that the sentence about the topic leads whatever section it sits in;
# by the square of its share, so a sentence with only a broad word of it ("surgery" for a tooth pulled) gains little.
TOPIC_BONUS = 6.0


@dataclass(frozen=True, slots=True)
class Topic:
    """The question's topic words (tokenize's stems) with their weights; the label words count a little less.
    `alike`: the label's words for one lay word ("surgery", "surgical"), which count once, as the rarest present."""

    terms: Mapping[str, float]
    alike: tuple[frozenset[str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms)

    def _weight(self, idf: Mapping[str, float], present: frozenset[str] | None = None) -> float:
        grouped = frozenset().union(*self.alike)
        total = sum(w * idf.get(t, 0.0) for t, w in self.terms.items()
                    if t not in grouped and (present is None or t in present))
        for group in self.alike:
            total += max((self.terms[t] * idf.get(t, 0.0) for t in group
                          if t in self.terms and (present is None or t in present)), default=0.0)
        return total

    def share(self, tokens: frozenset[str], idf: Mapping[str, float]) -> float:
        """How much of the topic a sentence carries (0..1), each word by its rarity among the candidates; the
        label words stand in for the lay words they translate, so the question's own words are the whole."""
        own = sum(idf.get(t, 0.0) for t, w in self.terms.items() if w >= 1.0)
        if own > 0:
            return min(1.0, sum(w * idf.get(t, 0.0) for t, w in self.terms.items() if t in tokens) / own)
        # none of the question's own words is in the label: its words for them are the whole, each lay word once
        total = self._weight(idf)
        if total <= 0:
            return 0.0
        return min(1.0, self._weight(idf, tokens) / total)


NO_TOPIC = Topic({})
LABEL_WORD = 0.8  # the weight of the label's own word for a lay word of the question ("sun": photosensitivity)
# Words of a question that say no topic: the medicine's form and salt, how common or usual, when it started.
_NOT_TOPIC = frozenset(tokenize(" ".join(sorted(DOSE_FORM_WORDS | SALT_WORDS)) + " common usual normal sign signs "
                                "symptom symptoms start started starting long time day days week weeks next "
                                "coming upcoming tomorrow month monday tuesday wednesday thursday friday saturday "
                                "sunday stop stopping keep keeping carry continue continuing"))


# What it is taken for, said in passing ("can I take ibuprofen with it for my back pain?"): why, not what about.
_PURPOSE = re.compile(r"\bfor (?:my|his|her|their|our|the|a|an|this|that) (?:[a-z'-]+ ){0,2}"
                      r"(?:pain|aches?|headaches?|migraines?|cramps?|cold|flu|fever|cough|allergies|hay fever)\b", re.I)


def topic_of(question: str, names: Iterable[str], asked_words: Iterable[str],
             expansions: Iterable[str] = ()) -> Topic:
    """The question's topic words: its tokens less asking words, what it is taken for, the asked section's words
    and the names of the medicines in focus, plus the label's words for its lay words (`expansions`: read_cues' too)."""
    skip = _ASKING | _NOT_TOPIC | frozenset(asked_words) | {t for n in names for t in tokenize(n.replace("-", " "))}
    terms: dict[str, float] = {t: 1.0 for t in tokenize(_PURPOSE.sub(" ", question)) if t not in skip and len(t) >= 3
                               and not t.isdigit()}
    found = [(exact, broad) for p, exact, broad in _LABEL_WORDS if p.search(question)]
    for words, weight in [(exact, LABEL_WORD) for exact, _ in found] + [(broad, _BROAD) for _, broad in found] + [
            (" ".join(expansions), _BROAD)]:
        for t in tokenize(words):
            if t not in skip:
                terms[t] = max(terms.get(t, 0.0), weight)
    alike = tuple(group for exact, broad in found for words in (exact, broad)
                  if len(group := frozenset(t for t in tokenize(words) if t not in skip and terms.get(t, 0) < 1.0)) > 1)
    return Topic(terms, alike)


def names_any(question: str, patterns: Iterable[re.Pattern[str] | None]) -> bool:
    return any(p is not None and p.search(question) is not None for p in patterns)


def changes_topic(attributes: Iterable[str | None], names_a_medicine: bool) -> bool:
    """A follow-up that names no medicine and asks a section other than interactions ("what about in pregnancy?"
    after "can I take naproxen with lisinopril?"): each medicine is asked about, none is read only as the other's
    partner."""
    asked = list(attributes)
    return not names_a_medicine and bool(asked) and all(a is not None and a != "interactions" for a in asked)


# A sentence carries the topic when it has this share of it; the asked section answers it with half that.
_CARRIES = 0.6


def topic_elsewhere(attribute: str | None, sections: Sequence[str], shares: Sequence[float],
                    section_said: bool) -> bool:
    """Whether the asked section is only inherited: the question says none of its words, another section's
    sentence carries the question's topic and none of the asked section's does ("what if I need a tooth
    pulled" after a dose question: the counselling's dentist sentence, not the dose lines)."""
    if section_said or attribute is None:
        return False
    on = max((sh for a, sh in zip(sections, shares, strict=True) if a == attribute), default=0.0)
    off = max((sh for a, sh in zip(sections, shares, strict=True) if a != attribute), default=0.0)
    return off >= _CARRIES and on < _CARRIES / 2


def carries(shares: Sequence[float]) -> bool:
    """Whether some sentence of the label carries the question's topic."""
    return max(shares, default=0.0) >= _CARRIES
