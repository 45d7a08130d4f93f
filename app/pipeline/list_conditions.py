"""What a which-medicine list must respect of the person asking (app.pipeline.indication_search).

"What can I take for hay fever? I drive a lorry, so nothing that makes me drowsy" listed chlorpheniramine, whose
label warns of marked drowsiness; "I'm 20 weeks pregnant, what can I take for a headache?" listed the same
medicines as for anyone (helpers 106 and 107, session 12). A list for someone who must stay awake leaves out
the medicines whose labels warn of drowsiness, and says so; a list for someone pregnant or breastfeeding
quotes, under each medicine, what its own label says of that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.pipeline.compose import MAX_SENTENCE, label_sentences
from app.pipeline.read_partner import decisiveness
from indexing.schema import Chunk

# The asker must not be made drowsy: said so, or driving and machines are what they do.
_STAY_AWAKE = re.compile(
    r"\bnon[- ]?drows\w*|\bnon[- ]?sedat\w*|"
    r"\b(?:won'?t|will not|doesn'?t|does not|don'?t|not|nothing that|without|no)\s+"
    r"(?:\w+\s+){0,2}?(?:drows\w*|sleepy|tired|sedat\w*)|\b(?:i|he|she) (?:drive|drives)\b|\b(?:lorry|truck|bus|"
    r"taxi|forklift) driver\b|\bdrive (?:a|for) (?:a )?(?:lorry|truck|bus|living|work)\b|\boperate machinery\b|"
    # "I need to stay awake", "must stay alert at work", "can't be drowsy", "won't knock me out"
    r"\b(?:stay|keep|be|remain)(?:ing)? (?:awake|alert|sharp|focused)\b|\b(?:can'?t|cannot|mustn'?t|must not) "
    r"(?:be|get|feel) (?:drowsy|sleepy|tired|groggy)\b|\b(?:won'?t|doesn'?t|will not|does not) knock (?:me|him|her) "
    r"out\b|"
    r"不(?:会)?(?:犯困|嗜睡|困)|不要(?:犯困|嗜睡)|要开车|开车", re.IGNORECASE)
# A label warning of drowsiness in those who take it (not "drowsiness was not observed").
_DROWSY = re.compile(r"\bdrows(?:iness|y)\b|\bsedation\b|\bsleepiness\b|\bsomnolence\b", re.IGNORECASE)
# Drowsiness only from too much ("Taking more than directed may cause drowsiness": loratadine at its dose does not)
# (not "do not use more than directed drowsiness may occur": an instruction, then the warning)
_ONLY_TOO_MUCH = re.compile(r"\bmore than (?:directed|recommended) (?:may|can|could|will) (?:cause|lead)\b|"
                            r"\boverdos\w*|\bhigher than recommended\b|\bat higher doses\b", re.IGNORECASE)
_AROUND = 60  # characters quoted either side of the warning in a run-on Drug Facts sentence
_NOT = re.compile(r"\b(?:no|not|non|without|less)\b", re.IGNORECASE)
_WARNING_SECTIONS = frozenset({"boxed_warning", "warnings", "patient_counseling"})

# The populations a list is checked against: name -> (words said, label words, sections that speak of it).
POPULATIONS: dict[str, tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]] = {
    "pregnancy": (
        re.compile(r"\bpregnan\w*|\bweeks along\b|\bexpecting a baby\b|\btrying to conceive\b|怀孕|孕妇|孕期|懷孕",
                   re.IGNORECASE),
        re.compile(r"\bpregnan\w*|\bfetal\b|\bfetus\b|\btrimester\b", re.IGNORECASE),
        frozenset({"boxed_warning", "contraindications", "warnings", "pregnancy", "specific_populations"})),
    "breastfeeding": (
        re.compile(r"\bbreast[- ]?feed\w*|\bnursing (?:my|a|the) baby\b|\bi'?m nursing\b|哺乳|喂奶|母乳",
                   re.IGNORECASE),
        re.compile(r"\bbreast[- ]?fe\w*|\blactat\w*|\bhuman milk\b|\bnursing\b", re.IGNORECASE),
        frozenset({"contraindications", "warnings", "lactation", "specific_populations"})),
    # "what is good for the cough of my son, he is 4": what each label says of children (promethazine's box on
    # children under 2, a Drug Facts "children under 4 years: do not use")
    "children": (
        re.compile(r"\b(?:my|our|his|her) (?:little |baby |young )?(?:son|daughter|child|kid|boy|girl|baby|toddler|"
                   r"grandson|granddaughter)\b|\b(?:toddler|infant)\b|\b\d{1,2}[- ]?(?:months?|years?|yrs?)[- ]old\b|"
                   r"孩子|儿子|女儿|宝宝|小孩|儿童", re.IGNORECASE),
        re.compile(r"\bchild(?:ren)?\b|\bpediatric\b|\bpaediatric\b|\binfants?\b|\byears? of age\b",
                   re.IGNORECASE),
        frozenset({"boxed_warning", "contraindications", "pediatric", "warnings", "dosage"})),
    # "My mum is 88 ... two falls this year ... what can she take that won't make her more likely to fall?": what
    # each label says of older people and falls (a hypnotic's "complex sleep behaviors", the Beers-style lines)
    "older": (
        re.compile(r"\b(?:[6-9]\d|10\d)[- ]?(?:years?[- ]old|yo|y/o)\b|"
                   r"\b(?:is|she'?s|he'?s|aged|turned|now) (?:[6-9]\d|10\d)\b(?! ?(?:mg|mcg|kg|lbs?|%|minutes))|"
                   r"\b(?:is|she'?s|he'?s|aged|turned|now) (?:sixty|seventy|eighty|ninety)|\belderly\b|"
                   r"\bolder (?:man|woman|person|people|adult|lady|gentleman)\b|\bold (?:man|woman|lady|gentleman)\b|"
                   r"\b(?:my|our|his|her) (?:grandma|grandmother|grandad|granddad|grandpa|grandfather|nan|nana|gran|"
                   r"granny)\b|\b(?:likely|risk) (?:of|to) fall\b|\b(?:two|three|several|a few|had a|had)\s+falls?\b|"
                   r"\bkeeps? falling\b|老人|老年|[6-9]\d岁|(?:六|七|八|九)十(?:多)?岁|摔倒|跌倒", re.IGNORECASE),
        re.compile(r"\belderly\b|\bgeriatric\b|\bolder (?:adults?|patients?|people|persons?|subjects)\b|"
                   r"\bfalls?\b|\b(?:65|sixty-five) years\b", re.IGNORECASE),
        frozenset({"boxed_warning", "contraindications", "geriatric", "warnings", "specific_populations"})),
}
# "It is especially important not to use ibuprofen at 20 weeks or later in pregnancy" before "ask a health
# professional before use"
_AVOID = re.compile(r"\bnot (?:to )?(?:use|take|be (?:used|taken|given))\b|\bavoid\b|\bcontraindicated\b|"
                    r"\bshould not\b|\bdo not\b|\bnot recommended\b", re.IGNORECASE)
# How many of a trial's patients were of the population: says nothing of what to do ("1,214 (36.2%) hypertensive
# patients treated with valsartan were >= 65 years")
_TRIAL_COUNT = re.compile(r"\(\d+(?:\.\d+)?\s?%\)|"
                          r"\b(?:clinical|controlled) (?:trials?|studies)\b.{0,80}\b\d+(?:\.\d+)?\s?%|"
                          r"\ba total of [\d,]+ (?:subjects|patients)\b|"
                          r"\b(?:subjects|patients) in [^.]{0,60}\btrials\b",
                          re.IGNORECASE)
_SECTION_ORDER = ("boxed_warning", "contraindications", "pregnancy", "lactation", "geriatric", "warnings",
                  "specific_populations")


# Older (first-generation) antihistamines make people drowsy as a kind; some label copies in a database lack the
# Drug Facts line that says so ("When using this product marked drowsiness may occur": the shipped chlorpheniramine
# and diphenhydramine labels were cut before it, helper 111), so for them a missing line proves nothing.
_SEDATING_ANTIHISTAMINE = re.compile(
    r"\b(?:chlorphenamine|chlorpheniramine|dexchlorpheniramine|brompheniramine|pheniramine|diphenhydramine|"
    r"doxylamine|dimenhydrinate|promethazine|hydroxyzine|clemastine|carbinoxamine|cyproheptadine|triprolidine|"
    r"meclizine|cyclizine)\b", re.IGNORECASE)


def sedating_antihistamine(name: str) -> bool:
    return _SEDATING_ANTIHISTAMINE.search(name) is not None


def must_stay_awake(said: str) -> bool:
    return _STAY_AWAKE.search(said) is not None


def warns_of_drowsiness(chunks: Iterable[Chunk]) -> str | None:
    """The first sentence of a label's warnings or counselling that warns of drowsiness, or None."""
    for chunk in chunks:
        if chunk.attribute not in _WARNING_SECTIONS:
            continue
        for _, sentence in label_sentences(chunk.text):
            found = _DROWSY.search(sentence)
            if found and not _NOT.search(sentence[max(0, found.start() - 25):found.end() + 20]) \
                    and not _ONLY_TOO_MUCH.search(sentence[max(0, found.start() - 60):found.start()]):
                return _around(sentence, found.start(), found.end())
    return None


def _around(sentence: str, start: int, end: int) -> str:
    """The sentence, or the words around [start, end) of a long one, marked as cut with "..."."""
    if len(sentence) <= 2 * _AROUND:
        return sentence
    left = sentence.rfind(" ", 0, max(0, start - _AROUND)) + 1
    right = sentence.find(" ", min(len(sentence), end + _AROUND))
    right = len(sentence) if right < 0 else right
    return f"{'... ' if left > 0 else ''}{sentence[left:right].strip()}{' ...' if right < len(sentence) else ''}"


def populations_said(said: str) -> list[str]:
    return [name for name, (asked, _, _) in POPULATIONS.items() if asked.search(said)]


def population_sentence(population: str, chunks: Iterable[Chunk]) -> tuple[Chunk, str] | None:
    """The label's most decisive sentence about the population, from its contraindications and boxed warning
    first, then its own section, then warnings."""
    _, words, sections = POPULATIONS[population]
    best: tuple[tuple[int, int, int], Chunk, str] | None = None
    for chunk in chunks:
        if chunk.attribute not in sections:
            continue
        order = _SECTION_ORDER.index(chunk.attribute) if chunk.attribute in _SECTION_ORDER else len(_SECTION_ORDER)
        for _, sentence in label_sentences(chunk.text):
            if not words.search(sentence) or len(sentence) > MAX_SENTENCE or _TRIAL_COUNT.search(sentence):
                continue
            key = (int(_AVOID.search(sentence) is not None), -decisiveness(sentence), -order)
            if best is None or key > best[0]:
                best = (key, chunk, sentence)
    return (best[1], best[2]) if best is not None else None


_SAFETY_SECTIONS = frozenset({"boxed_warning", "contraindications", "warnings", "interactions"})


def named_in_label(name: re.Pattern[str], chunks: Iterable[Chunk]) -> tuple[Chunk, str] | None:
    """The most decisive sentence of a label's safety sections naming a product (one the user takes that the
    database lacks), or None."""
    best: tuple[tuple[int, int], Chunk, str] | None = None
    for chunk in chunks:
        if chunk.attribute not in _SAFETY_SECTIONS:
            continue
        for _, sentence in label_sentences(chunk.text):
            if name.search(sentence) and len(sentence) <= MAX_SENTENCE:
                key = (int(_AVOID.search(sentence) is not None), -decisiveness(sentence))
                if best is None or key > best[0]:
                    best = (key, chunk, sentence)
    return (best[1], best[2]) if best is not None else None
