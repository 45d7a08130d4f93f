"""Distill: turn a dialogue into search-engine queries, one per medicine asked about.

The rule distiller needs no model: medicine names come from the database's names and aliases (latest
user turn first, earlier turns for "it"/"this medicine"), the attribute from the question's wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from app.enums import Status
from app.pipeline.abbreviations import shorthand_of_several
from app.pipeline.alongside import taken_alongside
from app.pipeline.asks_cause import asks_cause, told_as_also_taken
from app.pipeline.attributes import classify_attribute
from app.pipeline.clarify_options import tied_options
from app.pipeline.class_question import (
    ASKED_BACK,
    ClassAsked,
    class_asked,
    is_member,
    member_options,
    members,
    question_back,
)
from app.pipeline.class_reference import focus_by_kind, is_of_kind, kinds_as_partner, kinds_said
from app.pipeline.context import (
    _EN_PART,
    _WANT_FIRST,
    _WANT_NEW,
    _WANT_OLD,
    _WANT_SECOND,
    ELLIPTICAL,
    REFERS_BACK,
    TAKEN,
    Condition,
    ConversationContext,
    Focus,
    MedicineMention,
    MedStatus,
    Owner,
    allergens_beside,
    allergens_in,
    asked_person,
    build_context,
    condition_kinds,
    corrects_a_name,
    merge_records,
    named_as_companion,
    question_owner,
    resolve_focus,
    switched_from,
)
from app.pipeline.drink_words import alcohol_section, asks_alcohol, habit_referred, with_alcohol
from app.pipeline.generic_names import shipped_name_table
from app.pipeline.indication_search import asks_medicine_for_condition, asks_which_medicine, condition_asked
from app.pipeline.ingestion import too_much_taken
from app.pipeline.ingredient_of import without_held_ingredients, without_ingredients_of_named
from app.pipeline.intent import NO_INTENT, STRONG_CUE, IntentClassifier, IntentPrior
from app.pipeline.kind_reference import kinds_meaning_earlier
from app.pipeline.label_prefetch import prefetch_labels
from app.pipeline.lay_products import birth_control_pills, birth_control_said, pill_options, which_pill
from app.pipeline.lexicon import MedicineLexicon, NameMatch
from app.pipeline.listed import listed_meant
from app.pipeline.named_form import form_word, said_with_form
from app.pipeline.not_asked import without_not_asked
from app.pipeline.otc_choice import self_care_label
from app.pipeline.pair_order import speaking_first
from app.pipeline.pasted import asked_part
from app.pipeline.product_words import (
    is_listed_product,
    is_supplement_substance,
    label_words,
    names_a_kind,
    product_key,
)
from app.pipeline.read_cues import asks_of_what_was_told, conditions_in, own_medicines
from app.pipeline.read_gravity import asks_cautions, asks_gravity
from app.pipeline.read_missed import GOING_WITHOUT, MISSED_DOSE
from app.pipeline.read_partner import described_ingredients, split_described
from app.pipeline.set_aside import is_set_aside, set_aside_phrases
from app.pipeline.small_talk import small_talk
from app.pipeline.state import Distillation, ReadResult, SearchQuery, Turn, TurnState
from app.pipeline.statement import bare_statement
from app.pipeline.unnamed_medicine import ASK_EN, ASK_ZH, own_medicine_unnamed
from app.pipeline.warned_symptom import boxed_symptom, symptom_words, warned_symptom
from app.pipeline.what_is import substance_asked
from app.pipeline.zh_glossary import condition_search_text
from app.pipeline.zh_script import to_simplified
from app.pipeline.zh_switch import zh_switched_from
from app.records.interactions import name_pattern
from app.records.mag import TAKING_CUE, section_text
from app.text_input import for_matching
from indexing.schema import ATTRIBUTE_LABELS, Attribute
from indexing.store import SearchIndex
from indexing.text import tokenize
from indexing.vocabulary import CJK_RANGES, has_cjk

_ELLIPTICAL = ELLIPTICAL
# The previous question asked again after a correction of what it said
_CHANGES_THE_ANSWER = re.compile(
    r"\b(?:does|would|will|could) (?:that|this|it) (?:change|alter|affect) (?:things|anything|the answer|what you said|"
    r"it|much)\b|\b(?:does|would|will) (?:that|this|it) make (?:a|any) difference\b|\bis (?:that|it) any different\b|"
    r"(?:那|这样)(?:还一样吗|有区别吗|有影响吗|答案变吗|会不一样吗)", re.IGNORECASE)
# The medicine said before as what the question is about ("what's good for the diarrhoea it gives me?"), not as
# what is taken alongside ("... safe with it?")
_IT_AS_SUBJECT = re.compile(r"(?<!\bwith )(?<!\balongside )(?<!\band )\b(?:it|they|this|that one)\s+"
                            r"(?:gives?|causes?|makes?|made|gave|caused|does|did|is giving|is causing)\b",
                            re.IGNORECASE)


# "can I give him half of one of those?", "is it ok to let her have some?": given to the person, whoever owns it
_GIVEN_TO_SOMEONE = re.compile(r"\b(?:give|giving|let) (?:him|her|them|my (?:son|daughter|child|kid|baby))\b",
                               re.IGNORECASE)


@lru_cache(maxsize=1)
def _english_of_chinese() -> dict[str, str]:
    return {for_matching(n).casefold(): e.en for e in shipped_name_table() for n in e.zh_names}


def _english_generic(surface: str) -> str | None:
    """The English generic of a Chinese name of the generic-name table (钙尔奇 -> calcium carbonate)."""
    return _english_of_chinese().get(for_matching(surface).casefold()) if has_cjk(surface) else None


def _possessive_optional(word: str) -> str:
    """A word as a pattern where a closing 's' may follow an apostrophe: "johns" is "John's"."""
    if len(word) > 3 and word.endswith("s") and "'" not in word:
        return re.escape(word[:-1]) + "['\u2019]?s"
    return re.escape(word)
# A which-medicine question that takes the medicines said before along ("what can I take for a cold with
# them?", "...that is ok with my thyroid pill?"); "nothing that makes me drowsy" does not.
_LINKS_TO_EARLIER = re.compile(
    r"\b(it|them|these|those|both|this one|that one|the same|the (medicine|medication|drug|pill|tablet)s?|"
    r"my (other )?(medicine|medication|meds|drug|pill|tablet|prescription)s?|"
    r"with (my|the|this|that|these|those|his|her|their)|alongside|together)\b|它|这个药|这药|它们|一起|同时|合用",
    re.IGNORECASE,
)
# A question asking which medicines (not about one): searched across the database.
_ASKS_FOR_SOME_MEDICINE = (
    r"\b(?:which|what|any) (?:medicines?|medications?|meds|drugs?|pills?|tablets?|products?|remed(?:y|ies)|"
    r"antibiotics?|painkillers?)\b|\bwhat (?:can|should|could|do) (?:i|we|you|he|she|they) (?:take|use|give|try)\b|"
    r"\b(?:good|best|something|anything|medicine|medication) for\b|\bwhat (?:helps|works)\b|\bhelps? with\b|"
    r"\bover[- ]the[- ]counter\b|\botc\b|\bstored?\b|\bfridge\b")
# "with my medicines": the patient's list (or what the user said they take) names them; see app/records/mag.py
_MY_MEDICINES = (r"\bmy (?:other |current |usual |regular )?"
                 r"(?:medicines?|medications?|meds|pills|prescriptions?|drugs|tablets)\b")
_ASKS_FOR_MEDICINES = re.compile(f"{_ASKS_FOR_SOME_MEDICINE}|{_MY_MEDICINES}", re.IGNORECASE)
_ASKS_FOR_ANY_MEDICINE = re.compile(_ASKS_FOR_SOME_MEDICINE, re.IGNORECASE)
# A condition the user stated fills in the section a question without a cue asks about: "I'm pregnant."
# then "Is it ok to use ibuprofen?" asks about pregnancy.
# A stated condition's words in a label's indications where app.pipeline.read_cues has none for it, and the
# conditions no medicine is asked about as their treatment
_TREATED_WORDS = {"hypertension": "hypertension", "gout": "gout hyperuricemia", "ulcer": "ulcer ulcers",
                  "prostate": "prostatic hyperplasia", "myasthenia_gravis": "myasthenia"}
_NEVER_TREATED = frozenset({"kidney_disease", "liver_disease", "pregnant", "breastfeeding", "smoker", "allergy",
                            "child_age"})
_CONDITION_ATTRIBUTES: dict[str, Attribute] = {
    "pregnant": Attribute.PREGNANCY,
    "breastfeeding": Attribute.LACTATION,
    "kidney_disease": Attribute.WARNINGS,
    "liver_disease": Attribute.WARNINGS,
    "asthma": Attribute.WARNINGS,
    "heart_disease": Attribute.WARNINGS,
    "gout": Attribute.WARNINGS,
    "hypertension": Attribute.WARNINGS,
    "diabetes": Attribute.WARNINGS,
    "glaucoma": Attribute.WARNINGS,
    "myasthenia_gravis": Attribute.WARNINGS,
    "epilepsy": Attribute.WARNINGS,
    "ulcer": Attribute.WARNINGS,
    "prostate": Attribute.WARNINGS,
    "allergy": Attribute.CONTRAINDICATIONS,
    "child_age": Attribute.PEDIATRIC,
    "smoker": Attribute.WARNINGS,  # "I smoke ten a day." ... "Can I go on Yaz?": the boxed warning names smokers
}
# "I've got a CT scan with contrast dye on Thursday." ... "I take metformin twice a day - does that matter?": "that"
# is the situation said (a procedure ahead, what they eat or drink), not the dose the sentence states.
_DOES_THAT_MATTER = re.compile(
    r"\b(?:does|would|will|could|can|might|is) (?:that|this) (?:matter|be a problem|a problem|an issue|be an issue|"
    r"affect (?:it|anything|things)|change anything|make a difference)\b|"
    r"\b(?:do|should|would|will) (?:i|we|he|she|they) (?:have|need) to (?:give|cut) (?:it|that|them) (?:up|out|down)\b|"
    r"\bgive (?:it|that) up\b|"
    # "She's having a knee replacement in two weeks. Does she need to do anything about it?"
    r"\b(?:need|have|ought) to do anything\b|\banything (?:i|she|he|we|they) (?:should|need to|must) do\b",
    re.IGNORECASE)
# "Is the new one ok with what I'm already on?", "alongside everything else I take": with the medicines taken
_WITH_WHAT_IS_TAKEN = re.compile(
    r"\b(?:with|alongside|and) (?:what|everything(?: else)?|all the (?:other )?(?:stuff|things|meds|medicines|pills)|"
    r"the (?:other )?(?:stuff|things|meds|medicines|pills)) (?:that )?(?:i'm|i am|im|i|he's|he is|he|she's|she is|she|"
    r"they're|they are|they) (?:already |currently |also )?(?:on|take|takes|taking|have|has)\b|"
    r"\bwith (?:my|his|her|their) (?:other |current |usual |regular |existing )?(?:stuff|meds|medicines?|"
    r"medications?|pills|tablets|prescriptions?)\b",
    re.IGNORECASE)
_FEEDING = re.compile(r"\b(?:feed|feeding|feeds|breast ?feed\w*|nurse|nursing|pump|pumping|breast ?milk|milk)\b",
                      re.IGNORECASE)
# ("Do I keep taking the Jardiance up to the op?": whether to stop it, asked the other way round)
_STOP_FOR = re.compile(r"\b(?:stop|hold|skip|pause|withhold|come off|miss)\b|"
                       r"\b(?:keep|carry on|continue|still be|go on) (?:taking|on|with|giving|using)\b", re.IGNORECASE)
# "anything on that list", "any of them", "which of my meds": the medicines taken, one of which a situation concerns
_ANY_OF_THEM = re.compile(r"\b(?:anything|any(?: one)?|which(?: one)?|something) (?:on|in|of|from) (?:that|the|this|my|"
                          r"his|her|those|these|them|all)\b(?: (?:list|meds|medications|medicines|tablets|pills))?",
                          re.IGNORECASE)
_SITUATION_NOISE = frozenset(
    "anything list matter does they only asked about know should would could them these those what which with from "
    "have been will this that there their your mine".split())
_ALCOHOL_IN_LABEL = re.compile(r"\balcohol", re.IGNORECASE)
_QUALIFIER = re.compile(r"\s*\((?:otc|rx)\)", re.IGNORECASE)  # "Ibuprofen (OTC)": the same medicine's other product
# A food or a drink as what a medicine is taken with ("ok with grapefruit juice?", "with my morning coffee")
_WITH_FOOD_OR_DRINK = re.compile(
    r"\b(?:with|and|alongside|on|has|have|had|drinks?|drinking)\s+(?:a |my |the |some |any |his |her )?"
    r"(?:(?:big |small |morning |daily )?(?:glass|cup|bottle|pint|can) of )?(?:grapefruit|grapefruit juice|"
    r"orange juice|cranberry juice|juice|milk|dairy|coffee|tea|green tea|energy drinks?|cola|alcohol|beer|wine|booze|"
    r"spirits|liquorice|licorice|cheese|salt|lo-salt|salt substitute|bananas?|leafy greens|spinach|kale|food|meals?)\b",
    re.IGNORECASE)
# "... with it?", "alongside it": taking the medicine asked about with one said before
_WITH_IT = re.compile(r"\b(?:with|alongside|on top of|together with) (?:it|that one|this one)\b", re.IGNORECASE)
_HOLDS_ONE = re.compile(r"\b(?:hold|withhold|pause|suspend|omit)\b|\bstop (?:the|his|her|my|their)\b|"
                        r"\b(?:keep|carry on|continue|still) (?:taking|on|with) (?:the|his|her|my|their)\b",
                        re.IGNORECASE)
# The situations in that order of precedence ("I drink a carton of grapefruit juice" is no alcohol).
_SITUATION_ATTRIBUTES: dict[str, Attribute] = {
    "procedure": Attribute.WARNINGS, "diet": Attribute.INTERACTIONS, "alcohol": Attribute.WARNINGS}
# Below this probability the intent model's first section gives way to the section the cue words name.
UNSURE_MODEL = 0.5
# ... when they add up to this: one weak cue ("when taking", "safe") is often wrong (MedicationQA: "how will I
# feel when taking memantine" is not an interaction question).
CUE_OVER_UNSURE_MODEL = 2.0
CJK = re.compile(f"[{CJK_RANGES}]")
_WORD = re.compile(f"[A-Za-z0-9][A-Za-z0-9'\\-]*|[{CJK_RANGES}]+")
_QUESTION_STOPWORDS = frozenset(
    [
        "a", "an", "the", "i", "i'm", "im", "me", "my", "mine", "we", "our", "you", "your", "he", "she", "him",
        "her", "they", "them", "their", "it", "its", "it's", "this", "that", "these", "those", "is", "are",
        "was", "were", "be", "been", "being", "am", "do", "does", "did", "doing", "have", "has", "had",
        "having", "can", "could", "should", "would", "will", "shall", "may", "might", "must", "and", "or",
        "but", "if", "then", "so", "of", "to", "in", "on", "at", "by", "for", "from", "with", "without",
        "about", "into", "over", "under", "again", "further", "once", "here", "there", "when", "where", "why",
        "how", "what", "which", "who", "whom", "whose", "all", "any", "both", "each", "few", "more", "most",
        "other", "some", "such", "no", "nor", "not", "only", "own", "same", "than", "too", "very", "just",
        "also", "still", "yet", "please", "tell", "know", "want", "wondering", "wonder", "question", "ask",
        "asking", "okay", "ok", "thanks", "thank", "hi", "hello", "dear", "doctor", "doc", "mr", "mrs", "ms",
        "take", "taking", "took", "taken", "use", "using", "used", "get", "got", "getting", "one", "ones",
        "medicine", "medication", "medications", "meds", "drug", "drugs", "pill", "pills", "tablet", "tablets"
    ]
)


def original_case(surface: str, text: str) -> str:
    """The name as the user wrote it ('Xarelto'), not its normalised form."""
    edge = "" if has_cjk(surface) else r"\b"  # Chinese runs on without spaces: 钙尔奇D和环丙沙星
    found = re.search(edge + r"\W+".join(map(re.escape, surface.split())) + edge, text, re.IGNORECASE)
    return found.group(0) if found else surface


def content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if w.casefold() not in _QUESTION_STOPWORDS]


@dataclass(frozen=True, slots=True)
class _TurnMentions:
    turn: int
    role: str
    matches: list[NameMatch]


# "take X with Y", "X and Y together", "mix X and Y": one medicine taken with another
_TAKING_ONE_WITH = re.compile(r"\b(?:take|taking|use|using|have|having|on)\b.{1,60}\b(?:with|alongside|and)\b|"
                              # (not "sorry, I mix them up": confused)
                              r"\btogether\b|\bmix(?:ing)?\b(?! (?:them|it|those|these|the \w+) up\b)|\bcombin\w+",
                              re.IGNORECASE)


_STORY_SENTENCE = re.compile(r"(?<=[.!?。！？])\s*")
_ASKED = re.compile(r"[?？]\s*$")


def story_tail(question: str) -> str | None:
    """The asking sentences that end a long story ("说来话长。我奶奶八十一了……她吃这个药会这样吗？还能继续吃吗？"), or
    None when the message is no long story ending in a question (five sentences or more, over 300 characters, or
    100 in Chinese)."""
    sentences = [s for s in _STORY_SENTENCE.split(question.strip()) if s.strip()]
    long_enough = len(question) >= (100 if has_cjk(question) else 300)
    if len(sentences) < 5 or not long_enough or not _ASKED.search(sentences[-1]):
        return None
    tail: list[str] = []
    for sentence in reversed(sentences):
        if not _ASKED.search(sentence) or len(tail) == 2:
            break
        tail.insert(0, sentence)
    return " ".join(tail) if tail else None


_HOW_LONG_BEFORE = re.compile(
    r"\bhow (?:many|much|long|far)\b(?: (?:days?|hours?|time|weeks?))?.{0,50}\b(?:before|prior)\b", re.IGNORECASE)


def _unsure(question: str, prior: IntentPrior) -> bool:
    """No strong cue and the model (when it ranked) below UNSURE_MODEL: a section the context may fill."""
    guess = classify_attribute(question)
    if guess.attribute is not None and guess.scores[guess.attribute.value] >= STRONG_CUE:
        return False
    top = dict(prior.ranked).get(prior.top or "", 0.0)
    return prior.top is None or (prior.source.startswith("model") and top < UNSURE_MODEL)


_CONCERN = re.compile(r"\b(?:problem|issue|ok|okay|safe|fine|alright|all right|concern\w*|worr\w*|risky|"
                      r"dangerous)\b(?:\s+(?:with|on|for) (?:it|that|this|them|him|her))?\W*$", re.IGNORECASE)


# Sections a question stating an allergy beside a medicine is taken to ask only by an incidental word ("as a
# kid"): whether the medicine may be taken is the contraindications'.
_BESIDE_AN_ALLERGY = frozenset({Attribute.PEDIATRIC, Attribute.GERIATRIC, Attribute.WARNINGS,
                                Attribute.ADVERSE_REACTIONS})


def _asks_taking(question: str) -> bool:
    """Whether to take a medicine ("can I take naproxen?") or a concern about one ("problem?")."""
    return TAKING_CUE.search(question) is not None or _CONCERN.search(question) is not None


# "and ginkgo?", "what about kava", "how about with ibuprofen?": names and nothing else asked
_FOLLOW_UP_WORDS = re.compile(r"^(?:(?:and|also|what about|how about|plus|or|with|taking|some|the|a|an|my|then|"
                              r"too|as well)\b\W*)*$", re.IGNORECASE)


# "this cold and flu stuff with my blood pressure tablets": the product in hand, asked beside a kind one takes
_THIS_WITH_MY = re.compile(r"\b(?:this|these|that|those|it)\b.{0,40}\b(?:with|alongside|and|on top of) "
                           r"(?:my|his|her|their|our)\b", re.IGNORECASE)
# When to take a medicine, which the timing of another one taken may decide ("4 hours apart").
_WHEN_TO_TAKE = re.compile(r"\bwhen (?:should|do|can|shall|would|must) (?:i|we|he|she|they) (?:take|give|have|use)\b|"
                           r"\bwhat time\b|\bhow (?:far|long) apart\b|\bspace (?:them|it|these|those) out\b|"
                           r"\b(?:same time|separate(?:ly)?|apart) (?:as|from)\b", re.IGNORECASE)
# The medicines taken as one ("can I keep taking both?", "is that combo ok?", "fine to have them at the same time?",
# "is that fine alongside?"),
# in a yes/no question or a concern; "do both cause weight gain?" asks something else, by a cue of its own.
_TAKEN_AS_ONE = re.compile(r"\b(?:both|the two(?: of them)?|combo|(?:this|that|the) combination|together|"
                           r"at the same time|mix(?:ing)? (?:them|the two|these|those))\b|"
                           r"\b(?:alongside|as well)(?: (?:it|them|that|this))?\W*$", re.IGNORECASE)
# An asking sentence about how much or when ("Any issue with 50 mg?", "what time?")
_ASKS_A_DOSE = re.compile(r"\b(?:how (?:much|many|often|long|soon)|dose|dosage|dosing|when|what time|how do i take)\b|"
                          r"多久|几次|几片|几粒|多少|什么时候|怎么吃|怎么服", re.IGNORECASE)
_ASKS_AMOUNT_OR_TIME = re.compile(r"\b(?:how (?:much|many|often|long)|dose|dosage|mg|when|what time)\b", re.IGNORECASE)
_YES_NO_OR_CONCERN = re.compile(r"^\W*(?:can|could|may|should|is|are|would|will|do|does|any|anything|ok|okay|safe|"
                                r"fine|alright)\b|\b(?:ok|okay|safe|fine|alright|problem|issue|concern\w*|worr\w*|"
                                r"risky|dangerous)\b", re.IGNORECASE)


def _asks_of_them_together(question: str) -> bool:
    """Whether the asking sentence asks of the medicines taken as one, with no cue of another section."""
    asking = _asking_sentence(question)
    if not _TAKEN_AS_ONE.search(asking) or not _YES_NO_OR_CONCERN.search(asking):
        return False
    return classify_attribute(asking).attribute in (None, Attribute.INTERACTIONS)


def _named_after_affects(question: str, latest: list[NameMatch]) -> bool:
    """Whether a medicine of the question is named after what "it" does to it ("does it affect his warfarin?")."""
    found = _IT_AFFECTS.search(question)
    return found is not None and any(m.surface.casefold() in question[found.end():].casefold() for m in latest)


def _named_after_with(question: str, latest: list[NameMatch]) -> bool:
    """Whether a medicine of the question is named after its "with" ("is it ok with aspirin?")."""
    lowered = question.casefold()
    at = lowered.rfind(" with ")
    return at >= 0 and any(m.surface.casefold() in lowered[at:] for m in latest)


def _bare_follow_up(question: str, latest: list[NameMatch]) -> bool:
    """Whether the question is no more than a follow-up's lead and the names it says ("and ginkgo?")."""
    if not latest or CJK.search(question):
        return False
    rest = question.casefold()
    for m in latest:
        rest = rest.replace(m.surface.casefold(), " ")
    return _FOLLOW_UP_WORDS.match(rest.strip(" ?.!,")) is not None


def _bare_taking_en(question: str) -> bool:
    """"Can I still start lovastatin?", "is it ok for me?": whether to take it, with no cue word of a section; a
    condition the user stated (fatty liver) says which section it asks."""
    if CJK.search(question):
        return False
    if _CARRY_ON_OR_STOP.search(question) and not set(
            a for a, v in classify_attribute(question).scores.items() if v) - {Attribute.WARNINGS, Attribute.DOSAGE}:
        return True  # "I'm 10 weeks pregnant." ... "Can I carry on with Claritin or do I need to stop?"
    if not _asks_taking(question):
        return False
    return not any(classify_attribute(question).scores.values())


# Whether to go on with a medicine or stop it, asked and nothing else ("should I stop my Claritin?")
_CARRY_ON_OR_STOP = re.compile(r"\b(?:carry on|keep (?:on )?(?:taking|using|with)|continue|go on with|"
                               r"still (?:take|use)|(?:need|have|got|ought) to (?:stop|come off)|"
                               r"should (?:i|she|he|we) (?:stop|come off)|stop (?:it|them|taking|using))\b",
                               re.IGNORECASE)


# "for the baby", "will it hurt my baby": with a pregnancy or breastfeeding stated, the baby carried or fed
_WATCH_IN_BABY = re.compile(r"\b(?:watch|look|notice|check|keep an eye)\w*\b.{0,25}\b(?:in|on) (?:her|him|the baby|"
                            r"my baby|baby|them)\b", re.IGNORECASE)
_THE_BABY = re.compile(r"\b(?:the|my|our) (?:baby|unborn|foetus|fetus)\b", re.IGNORECASE)
# The child is the one to take it: "can my baby have it?", "给宝宝吃", "孩子能吃吗"
_CHILD_TAKES = re.compile(r"\bgive (?:it to )?(?:my|the|our|her|his) (?:baby|child|son|daughter|kid|infant|"
                          r"little one)\b|\b(?:my|the|our) (?:baby|child|son|daughter|kid|infant|little one) "
                          r"(?:take|have|use|be given)\b|\b(?:can|could|should) (?:my|the|our) (?:baby|child|son|"
                          r"daughter|kid|infant)\b|给(?:宝宝|孩子|婴儿|小孩)|(?:宝宝|孩子|婴儿|小孩)(?:能|可以|要|该)?"
                          r"(?:吃|用|喝|服)", re.IGNORECASE)
# "a problem with my asthma", "ok with my kidney disease": a condition the question is asked with
_WITH_MY = re.compile(r"\b(?:with|for|given|because of) my ([a-z][a-z\- ]{2,40}?)\s*(?:[?.!,]|$)", re.IGNORECASE)


def _bare_taking_zh(question: str, prior: IntentPrior) -> bool:
    """能吃吗 / 可以吃吗 / 能用吗: the Chinese "can I take it?", which the cue words read as contraindications; as
    for the English one, a condition the user stated (我怀孕了) says which section it asks."""
    if prior.source != "cues" or prior.top != Attribute.CONTRAINDICATIONS.value or not CJK.search(question):
        return False
    cued = [k for k, v in classify_attribute(question).scores.items() if v]
    return cued == [Attribute.CONTRAINDICATIONS.value] and _asks_taking(question)


_BACKGROUND_BEFORE = re.compile(r"\b(?:on|taking|takes|receiving|using)\s+$|(?:吃|服用|服|在用|用着)\s*$",
                                re.IGNORECASE)
# ("Mum's been on warfarin for years, the GP has now given her cipro", "长期吃华法林，医生又开了环丙沙星")
_ADDING = re.compile(r"\b(?:add|adding|added|start|starting|started|continue|continuing|give|giving|given|gave|"
                     r"prescrib\w*|switch\w*|plus|with|safe|ok|okay)\b|开了|加了|加用|换成|联用", re.IGNORECASE)
# What a question asking about a product beside a medicine asks (not its dose, effects or contents)
# "my GP wants me to keep taking my potassium tablets too": both taken, whatever section the words lean to
_ALSO_TAKING = re.compile(r"\b(?:tak(?:e|es|ing)|us(?:e|es|ing)|on)\b.{0,40}\b(?:too|as well|also|alongside|"
                          r"on top)\b|\b(?:also|still) (?:tak|us)(?:e|es|ing)\b", re.IGNORECASE)
_ALONGSIDE_SECTIONS = {None, Attribute.INTERACTIONS, Attribute.WARNINGS, Attribute.CONTRAINDICATIONS}
# Where a label speaks of another product taken with it
_PRODUCT_SECTIONS = ("interactions", "warnings", "boxed_warning", "contraindications", "patient_counseling", "dosage")
# Sections a clinician's "on X, add Y: dose?" question asks through the pair
# (an age said beside them reads as the older adults' section: "my mum is 82 and on digoxin, the doctor added
# clarithromycin for her chest. anything to worry about?" asks the pair)
_PAIR_SECTIONS = {Attribute.DOSAGE, Attribute.WARNINGS, Attribute.CONTRAINDICATIONS, Attribute.BOXED_WARNING,
                  Attribute.GERIATRIC, None}


# One of two medicines named has its dose changed because of the other ("amio + warfarin, how much should the
# warfarin be reduced?"): what the labels say under interactions.
# A dose asked whether it must change: "does the warfarin dose need to change?", "should the digoxin be reduced?"
_DOSE_TO_CHANGE = re.compile(r"\b(?:dose|dosage|amount)\b[^.?!]{0,30}\b(?:need|needs|have|has|should|must)\b"
                             r"[^.?!]{0,20}\b(?:chang\w*|adjust\w*|reduc\w*|lower\w*|cut|increas\w*)|"
                             r"\b(?:need|needs|should|must)\b[^.?!]{0,40}\b(?:reduc\w*|lower\w*|adjust\w*|halv\w*)\b",
                             re.IGNORECASE)
_DOSE_CHANGED = re.compile(r"\b(?:reduc\w*|lower\w*|adjust\w*|decreas\w*|cut|cutting|halv\w*|increas\w*)\b",
                           re.IGNORECASE)


def _on_one_adding_another(question: str, latest: list[NameMatch]) -> bool:
    """"Patient on amiodarone; planning to add digoxin", "Pt on X - safe to continue Y": one medicine is
    what the patient is on, the question is about another alongside it."""
    # (in simplified script: a traditional-script question's names are found in their simplified form)
    lowered = to_simplified(question).casefold()
    # by place only: matches do not compare
    spans = sorted(((lowered.find(to_simplified(m.surface).casefold()), m) for m in latest if m.medicine_id),
                   key=lambda p: p[0])
    spans = [(i, m) for i, m in spans if i >= 0]
    if len(spans) < 2:
        return False
    first_at, first = spans[0]
    second_at = spans[1][0]
    return bool(_BACKGROUND_BEFORE.search(lowered[max(0, first_at - 12):first_at])) and bool(
        _ADDING.search(lowered[first_at + len(first.surface):second_at]))


def _without_names(asked_before: str, reply: str, named: list[NameMatch]) -> str:
    """The question asked back with its reply, the reply's medicine names left out: a name's words are no cue
    ("Losartan Potassium" picked for "Side effects of the new one?" is no potassium question)."""
    for m in named:
        words = re.findall(r"\w+", m.surface)
        if words:
            reply = re.sub(r"\b" + r"[\W_]*".join(map(re.escape, words)) + r"\b", " ", reply, flags=re.IGNORECASE)
    return f"{asked_before} {reply}"


def _find_surface(question: str, surface: str) -> int:
    """Where a name as the lexicon gives it ("co codamol") stands in the question as written ("co-codamol",
    "cocodamol"): its words with any punctuation or none between; -1 when absent."""
    words = re.findall(r"\w+", surface)
    if not words:
        return -1
    found = re.search(r"\b" + r"[\W_]*".join(map(re.escape, words)), question, re.IGNORECASE)
    return found.start() if found else -1


# An asking part that asks of several medicines even when it names one: "with", "or", "which", "instead".
_ASKS_OF_SEVERAL = re.compile(r"\b(?:with|together|and|or|both|either|which|vs|versus|instead|than|better|alongside|"
                              r"plus|interact\w*|mix\w*|combin\w*)\b|一起|同时|同埋|还是|定系|哪(?:个|一个|种)|和|跟|与|或",
                              re.IGNORECASE)
_ZH_PART = re.compile(r"[，,。！？!?；;]")
# Asked of the two together or against each other ("was that the same with the old one?", "instead of")
# or of both, or of what stopping the one stopped does ("Do they interact?", "Is withdrawal likely?")
_OF_BOTH_OR_STOPPING = re.compile(
    r"\b(?:with|together|both|either|which|vs|versus|instead|than|compared?|same|different|switch\w*|swap\w*|"
    r"change\w*|interact\w*|they|them|withdraw\w*|wash-?out|discontinu\w*)\b|一起|同时|还是|哪(?:个|一个|种)|一样|换|"
    r"停药反应|戒断", re.IGNORECASE)
_TAKEN_TOGETHER = re.compile(r"\+|\bw/|\bwith\b|\bon top of\b|\bplus\b|\balong ?side\b|加上|合用|并用", re.IGNORECASE)


_MAY_IT_BE_TAKEN = re.compile(r"\b(?:ok|okay|safe|fine|alright|problem|issue|allowed|can (?:i|he|she|we|they) "
                              r"(?:still |just |now |also |even )?(?:take|have|use|keep)|"
                              r"should (?:i|he|she) (?:take|stop|keep))\b|能吃|可以吃|能不能|"
                              r"可不可以|可以吗|要紧|有没有问题|有问题|行不行|安全", re.IGNORECASE)


# "skip her next dose", "does she need to go to A&E?", "is she ok since no symptoms?": what to do after too much
_AFTER_TOO_MUCH = re.compile(r"\b(?:skip|miss|leave out|hold|delay|wait)\b[^?!.]{0,20}\bnext\b|"
                             r"\bnext (?:dose|one|pill|tablet)s?\b|\ba ?(?:&|and) ?e\b|\b(?:the )?(?:er|emergency|"
                             r"hospital|poison)\b|\bneed to (?:do anything|go|worry)\b|"
                             r"\b(?:is|will) (?:she|he|it|they) (?:be )?(?:ok|okay|alright|all right|fine)\b",
                             re.IGNORECASE)
# Sections asked of two medicines together where the label speaking of the other is read first
_PAIR_ORDER_SECTIONS = frozenset({Attribute.INTERACTIONS, Attribute.CONTRAINDICATIONS, Attribute.WARNINGS,
                                  Attribute.BOXED_WARNING})
_FIRST_BY_STATUS = {MedStatus.CONSIDERED: 0, MedStatus.NEW: 1}


def _health_told(context: ConversationContext) -> bool:
    """Whether the user told a health condition (asthma, heart failure, kidney disease), not only who they are."""
    return any(c.kind not in _NOT_A_HEALTH_CONDITION for c in context.conditions)


# Conditions of the context that say who someone is, not what they have
_NOT_A_HEALTH_CONDITION = frozenset({"child_age", "pregnant", "breastfeeding", "smoker", "allergy"})


def _considered_first(latest: list[NameMatch], context: ConversationContext) -> list[NameMatch]:
    """Of two medicines asked together, the one being considered or just started is asked about (its label is read
    first), not the one taken all along: "平时备着硝酸甘油。那天想吃一片万艾可，我爸说不能一起吃，真的吗？",
    "I take morphine ... They want to add gabapentin now. Is it safe with the morphine?". Said alike, the order
    stands."""
    if len([m for m in latest if m.medicine_id]) < 2:
        return latest
    status: dict[str, MedStatus] = {m.medicine_id: m.status for m in context.latest() if m.medicine_id}

    def rank(m: NameMatch) -> int:
        said = status.get(m.medicine_id) if m.medicine_id else None
        return 3 if not m.medicine_id else _FIRST_BY_STATUS.get(said, 2) if said is not None else 2

    return sorted(latest, key=rank)


def _named_in_asking_part(question: str, latest: list[NameMatch], context: ConversationContext) -> list[NameMatch]:
    """Of the medicines a turn names, those its asking part names, when it names some but not all and asks of them
    alone, and the others are not said to be taken (those are asked with it: "I take warfarin, can I take
    ibuprofen?"); all of them otherwise."""
    known = [m for m in latest if m.medicine_id]
    zh = has_cjk(question)
    # (split at punctuation only: "metformin and lisinopril?" asks of both)
    asking = _zh_asking_sentence(question) if zh else _asking_sentence(question)
    parts = [p for p in (_ZH_PART if zh else _PUNCTUATED_PART).split(asking) if p.strip()]
    part = last_part = parts[-1] if parts else ""
    told = question[: question.rfind(asking)] if asking and asking != question else ""
    if zh and len([m for m in known if m.surface.casefold() in told.casefold()]) >= 2 and not any(
            m.surface.casefold() in part.casefold() for m in known):
        # "我爸每天吃二甲双胍、阿司匹林……。医生说二甲双胍吃久了可能缺维生素，真的有这个说法吗？": after a list told,
        # the asking sentence's part that names one of it
        part = next((p for p in reversed(parts) if any(m.surface.casefold() in p.casefold() for m in known)), part)
    if not part or _ASKS_OF_SEVERAL.search(part) or _TAKEN_TOGETHER.search(asking):
        return latest
    if not zh and switched_from(asking):
        # "Switching from ramipril to Entresto - how long do I have to wait after the last ramipril?": the switch
        # is asked about, whichever of its medicines the last part names
        return latest
    named = [m for m in known if (m.surface.casefold() in part.casefold() if zh or has_cjk(m.surface)
                                  else _find_surface(part, m.surface) >= 0)]
    named_ids = {m.medicine_id for m in named}
    if not named or len(named_ids) == len({m.medicine_id for m in known}):
        return latest
    taken = {m.medicine_id for m in context.medicines if m.turn == context.question_turn and m.status in TAKEN}
    others = [m for m in known if m.medicine_id not in named_ids]
    # (a list of what is taken, then a sentence asking something of one of them alone: the list is background; but
    # whether the one may be taken, "I take warfarin and ibuprofen sometimes. Is ibuprofen OK?", asks of the list)
    # (in Chinese the list and the ask may be one sentence: "每天吃阿司匹林、氨氯地平、二甲双胍，最近老是头晕，是不是
    # 氨氯地平引起的？")
    zh_list_before = zh and asking == question and all(
        m.surface.casefold() in question[: question.rfind(part)].casefold() for m in others)
    named_of_list = (asking != question or zh_list_before) and not _MAY_IT_BE_TAKEN.search(last_part) and all(
        m.medicine_id in taken for m in named) and (zh_list_before or not any(
            _find_surface(asking, m.surface) >= 0 or m.surface.casefold() in asking.casefold() for m in others))
    if not named_of_list and not _ONLY_THIS.search(question) and any(
            m.medicine_id in taken or _said_taken(question, m.surface) for m in others):
        return latest
    return [m for m in latest if m.medicine_id in named_ids]


# "别的我不担心，就是地高辛", "I'm not worried about the others, it's just the digoxin": the one named alone is asked,
# however many are listed as taken
_ONLY_THIS = re.compile(r"别的(?:我|药)?(?:都)?不(?:担心|问|管|用管)|其他(?:的|药)?(?:我)?(?:都)?不(?:担心|问)|"
                        r"只(?:是)?(?:担心|想问|问)|"
                        r"\bnot (?:worried|bothered|asking) about (?:the |any of the )?(?:others?|rest)\b|"
                        r"\b(?:it'?s|it is) (?:just|only|mainly) (?:the|his|her|my) \w+ (?:i'?m|i am) "
                        r"(?:worried|asking)\b|"
                        r"\bmy (?:only )?(?:question|worry|concern) is (?:just )?(?:about )?(?:the|his|her|my) \w+\b",
                        re.IGNORECASE)


def _not_the_stopped(question: str, latest: list[NameMatch], context: ConversationContext) -> list[NameMatch]:
    """Of the medicines a turn names, those not said to be stopped, when the asking sentence names none of them and
    asks of no comparison; all of them otherwise."""
    asking = _asking_sentence(question)
    known = [m for m in latest if m.medicine_id]
    if _OF_BOTH_OR_STOPPING.search(asking) or any(
            (m.surface.casefold() in asking.casefold()) if has_cjk(m.surface)
            else _find_surface(asking, m.surface) >= 0 for m in known):
        return latest
    status = {m.medicine_id: m.status for m in context.medicines if m.turn == context.question_turn}
    stopped = {m.medicine_id for m in known if status.get(m.medicine_id) is MedStatus.STOPPED}
    if not stopped or len(stopped) == len({m.medicine_id for m in known}):
        return latest
    return [m for m in latest if m.medicine_id not in stopped]


def _said_taken(question: str, surface: str) -> bool:
    """Whether the turn says the medicine is taken ("I take warfarin and my wife takes ibuprofen")."""
    if has_cjk(question) or has_cjk(surface):
        # (and taken already: "今天早上买了毓婷吃了", "吃了一片布洛芬")
        return re.search(r"(?:在|一直|每天|长期)(?:吃|服|用)[^，。,.]{0,6}" + re.escape(surface) + "|"
                         + re.escape(surface) + r"(?:也)?(?:吃了|服了|用了)|(?:吃了|服了)(?:一|两|半)?(?:片|粒|颗)?"
                         + re.escape(surface), question) is not None
    return re.search(r"\b(?:take|takes|taking|took|on|using|use|prescribed|started|starting|keep|keeps|carry|carries)"
                     r"\s+(?:[\w-]+\s+){0,3}?"
                     + r"[\W_]*".join(map(re.escape, re.findall(r"\w+", surface))), question, re.IGNORECASE) is not None


# "safe with", "ok with", "a problem with" another medicine or product named right after it
_SAFE_WITH = (r"\b(?:safe|ok|okay|alright|all right|fine|risky|dangerous|harmful|a problem|an issue|bad)\b"
              r"[^.?!]{0,25}?\b(?:with|alongside|and)\s+(?:(?:the|my|his|her|their|some|any|a|an)\s+)?")
# what the cue words alone make of "is X safe with Y?": its warnings or effects, not taking the two together
_SAFETY_SECTIONS = {None, Attribute.WARNINGS, Attribute.ADVERSE_REACTIONS, Attribute.CONTRAINDICATIONS}


def _safe_with_another(question: str, mentions: list[NameMatch]) -> bool:
    """Whether the question asks if something is safe with one of the other named medicines or products."""
    return any(re.search(_SAFE_WITH + r"[\W_]*".join(map(re.escape, re.findall(r"\w+", m.surface))) + r"\b",
                         question, re.IGNORECASE) for m in mentions if re.search(r"\w", m.surface))


def _surface_in(question: str, described: str) -> bool:
    return _find_surface(question, split_described(described)[0]) >= 0


_MISSED_ONE = re.compile(r"\b(?:missed|forgot(?: to take)?|skipped|didn'?t take)\s+(?:(?:my|his|her|their|the|"
                         r"this|last|morning|evening|night|today'?s|yesterday'?s|this morning'?s|last night'?s|"
                         r"dose of|a dose of)\s+){0,3}([a-z][a-z-]+)", re.IGNORECASE)


def _the_missed(question: str, latest: list[NameMatch]) -> list[NameMatch]:
    """The medicine whose dose the question says was missed, when the missing names one; else all."""
    found = _MISSED_ONE.search(question)
    if found is None:
        return latest
    word = found.group(1).casefold()
    missed = [m for m in latest if m.surface.casefold().split()[0] == word]
    return missed or latest


def _taken_besides(latest: list[NameMatch], context: ConversationContext, question_turn: int) -> bool:
    """Whether the user said before that they take a medicine other than those the question names."""
    named = {m.medicine_id for m in latest if m.medicine_id}
    return any(m.medicine_id and m.medicine_id not in named and m.owner is Owner.USER and m.status in TAKEN
               for m in context.latest(question_turn))


def _situation_attribute(user_turns: list[str], stated: list[Condition]) -> Attribute | None:
    """The section "does that matter?" asks about: that of a situation the user said (a scan with contrast ahead,
    grapefruit juice every day), else that of the condition they stated last."""
    said = {c.name for c in conditions_in(" ".join(user_turns))}
    situation = next((a for name, a in _SITUATION_ATTRIBUTES.items() if name in said), None)
    if situation is not None:
        return situation
    return _CONDITION_ATTRIBUTES.get(stated[-1].kind) if stated else None


# A medicine named by how often it is taken ("the monthly one"), and the schedules said beside a name.
_SCHEDULE_ONE = re.compile(r"\bthe (monthly|weekly|daily|nightly|morning|evening|bedtime|"
                           r"once[- ]a[- ](?:month|week|day)) (?:one|pill|tablet|tab|med|medicine)\b", re.IGNORECASE)
_SCHEDULE_WORDS = {"monthly": "month", "weekly": "week", "daily": "day", "nightly": "night", "morning": "morning",
                   "evening": "evening", "bedtime": "bedtime"}


def _other_than_schedule(question: str, said: list[MedicineMention], user_text: str) -> list[MedicineMention]:
    """Of exactly two medicines said, the one other than the one the question names by its schedule; none when
    the schedule is not said beside exactly one of them."""
    found = _SCHEDULE_ONE.search(question)
    ids = list(dict.fromkeys(m.medicine_id for m in said))
    if found is None or len(ids) != 2:
        return []
    word = found.group(1).casefold()
    unit = _SCHEDULE_WORDS.get(word, word.split("a")[-1].strip(" -"))
    schedule = re.compile(rf"\b(?:{re.escape(word)}|once (?:a|per|every) {unit}|every {unit}|a {unit}|at {unit}|"
                          rf"{unit}ly)\b", re.IGNORECASE)
    with_it = [m for m in said if any(schedule.search(user_text[pos:pos + len(m.surface) + 40])
                                      for pos in _positions(user_text, m.surface))]
    kept = {m.medicine_id for m in with_it}
    if len(kept) != 1:
        return []
    return [next(m for m in said if m.medicine_id not in kept)]


def _positions(text: str, surface: str) -> list[int]:
    return [f.start() for f in re.finditer(re.escape(surface), text, re.IGNORECASE)]


def _asking_sentence(question: str) -> str:
    """The turn's last sentence that asks (ends with a question mark), else its last sentence."""
    sentences = [s for s in re.split(r"(?<=[.!?;])\s+", question) if s.strip()]
    return next((s for s in reversed(sentences) if s.rstrip().endswith("?")), sentences[-1] if sentences else "")


def _zh_asking_sentence(question: str) -> str:
    """The Chinese turn's last sentence that asks: its sentences end at 。！？ with no space after."""
    sentences = [s for s in re.split(r"(?<=[.!?;。！？；])\s*", question) if s.strip()]
    return next((s for s in reversed(sentences) if s.rstrip().endswith(("?", "？"))),
                sentences[-1] if sentences else "")


# parts set off by punctuation only: "lisinopril and tummy trouble, common?" asks of lisinopril in one part
_PUNCTUATED_PART = re.compile(r"\s+[-\u2013\u2014]+\s+|[,;:]\s+")


def _asking_part(sentence: str, surfaces: list[str]) -> str:
    """The asking sentence's last part that names a product ("pt on metoprolol + lisinopril, wants to start
    Kelvora for sleep - usual dose?" -> "wants to start Kelvora for sleep"), else the sentence: what it asks of."""
    parts = [p for p in _PUNCTUATED_PART.split(sentence) if p.strip()]
    return next((p for p in reversed(parts) if any(_find_surface(p, s) >= 0 for s in surfaces)), sentence)


_IT = re.compile(r"\b(?:it|its|it's)\b", re.IGNORECASE)
_MANY = re.compile(r"\b(?:they|them|both|together|each other|two)\b", re.IGNORECASE)


def _named_before_it(question: str, latest: list[NameMatch]) -> bool:
    """Whether the asking sentence names one of the turn's products before its "it": "Is echinacea ok to take for
    a cold, what are the side effects of it?" asks of echinacea, not of a medicine said in an earlier turn."""
    asking = _asking_sentence(question)
    it = _IT.search(asking)
    return it is not None and any(0 <= _find_surface(asking, m.surface) < it.start() for m in latest)


def _said_as_taken(question: str, surface: str) -> bool:
    """'I'm on warfarin, ...', 'I take metformin and ...': named as taken by the user, in the question itself."""
    at = _find_surface(question, surface)
    return at >= 0 and re.search(r"\b(?:i'?m on|i am on|i take|i'?m taking|i am taking|i use|i'?ve been on|"
                                 r"i have been on|on)\s+(?:\w+\s+)?$", question[max(0, at - 25):at],
                                 re.IGNORECASE) is not None


def _told_as_taken(sentence: str, surface: str) -> bool:
    """"When's the best time of day, and I take calcium and iron too?": a product said as taken beside the asked
    medicine, not asked about."""
    return re.search(rf"\b(?:i|we|he|she|they)\s+(?:also\s+|already\s+)?(?:take|takes|am on|'m on|use|uses|"
                     rf"have)\b[^.?!]{{0,40}}\b{re.escape(surface)}", sentence, re.IGNORECASE) is not None


def _possessed(question: str, match: NameMatch) -> bool:
    """'my aspirin', 'his metformin': named as someone's own medicine, not as the thing asked about."""
    at = _find_surface(question, match.surface)
    return at >= 0 and re.search(r"\b(?:my|his|her|our|their)\s+(?:\w+\s+)?$", question[max(0, at - 20):at],
                                 re.IGNORECASE) is not None


# "Is there aspirin in it?", "what does this medicine contain", "does it have caffeine": what the medicine
# said before contains ("have to" is not "have").
_CONTENTS_OF_REFERENT = re.compile(
    # (not "could that have pushed it up?": what it may have done)
    r"(?<!could )(?<!would )(?<!might )(?<!may )(?<!must )(?<!should )"
    r"\b(?:it|this|that|this (?:medicine|medication|drug|pill|tablet|one))\s+(?:\w+\s+)?(?:contains?|have|has)"
    r"\b(?! to\b)(?!\s+(?:\w+ed|been|done|made|given|got|gotten|led|brought)\b)|"
    r"\b(?:does|do) (?:it|this|that|this (?:medicine|medication|drug|pill|one)) contain\b|"
    r"\b(?:in|inside) (?:it|this|that|them)\s*(?:[?.!,]|$)|\bingredients? (?:of|in) (?:it|this|that)\b",
    re.IGNORECASE,
)


# The rule distiller's question back (below) and its Chinese framing (app.pipeline.phrases.clarify_zh).
_CLARIFY_ASKED = re.compile(r"^(?:Which medicine do you mean: |您说的是)")


def _question_clarified(dialogue: list[Turn]) -> str:
    """The user's question the service asked back about, when the last turn replies to that question."""
    if len(dialogue) < 3 or dialogue[-2].role != "assistant" or not (
            _CLARIFY_ASKED.match(dialogue[-2].content) or ASKED_BACK.match(dialogue[-2].content)):
        return ""
    return next((t.content for t in reversed(dialogue[:-2]) if t.role == "user"), "")


def _question_corrected(dialogue: list[Turn]) -> str:
    """The user's previous question, when the last turn only corrects which medicine it meant ("ugh ignore that,
    misread the numbers. I meant the one above it"): what that question asked is still asked."""
    question = dialogue[-1].content
    if "?" in question or "？" in question or not corrects_a_name(question):
        return ""
    before = next((t.content for t in reversed(dialogue[:-1]) if t.role == "user"), "")
    return before if "?" in before or "？" in before else ""


# "one of those supermarket cough syrups with dextromethorphan in it": a product described by what it contains
# (the "it" is that product), not a question whether the medicine said before contains it
_PRODUCT_WITH_IT_IN = re.compile(r"\b(?:syrups?|mixtures?|creams?|gels?|tablets?|pills?|capsules?|drinks?|products?|"
                                 r"remed(?:y|ies)|sprays?|lozenges?|drops?|powders?|sachets?|ones?|stuff|brands?)\s+"
                                 r"with\s+[\w -]{1,40}?\s+in (?:it|them)\b", re.IGNORECASE)


def _asks_contents(question: str, latest: list[NameMatch], context: ConversationContext, question_turn: int) -> bool:
    """Whether a question naming a medicine asks if the medicine said before contains it, and there is one."""
    if not _CONTENTS_OF_REFERENT.search(question) or _PRODUCT_WITH_IT_IN.search(question):
        return False
    named = {m.medicine_id or m.surface.casefold() for m in latest}
    # the medicine said before may be one the database lacks ("I was given Fioricet"): then that is the answer
    return any((m.medicine_id or m.surface.casefold()) not in named
               for m in resolve_focus(question, context, question_turn).chosen)


def cue_over_unsure_model(question: str, prior: IntentPrior) -> IntentPrior:
    """The cue words' section first when the model is unsure of its own first section: "Is metformin still
    safe for me?" has a warnings cue the model ranks below adverse reactions at 0.21; a model this unsure
    is a guess, the cue is what the user wrote."""
    if prior.source != "model" or not prior.ranked:
        return prior
    cued = classify_attribute(question, min_score=CUE_OVER_UNSURE_MODEL).attribute
    probability = dict(prior.ranked)
    top = prior.top
    if cued is None or top is None or cued.value == top or probability.get(top, 0.0) >= UNSURE_MODEL:
        return prior
    asks = (cued.value, *(a for a in prior.asks if a != cued.value))[:2]
    ranked = ((cued.value, probability.get(cued.value, 0.0)), *(kv for kv in prior.ranked if kv[0] != cued.value))
    return IntentPrior(ranked, asks, "model+cues")


def asking_cue_first(question: str, prior: IntentPrior) -> IntentPrior:
    """In a turn that tells a story before it asks, the asking sentence's own cue first: "She takes ... donepezil
    10 mg at night ... could the memory tablet be what's slowing her heart down?" asks of an effect, whatever the
    doses told before make of the whole turn."""
    asking = _asking_sentence(question)
    if not prior.asks or asking.strip() == question.strip() or not asking.rstrip().endswith("?"):
        return prior
    cued = classify_attribute(asking, min_score=ASKING_CUE).attribute
    these = _THESE.search(asking)
    if cued is Attribute.INDICATIONS and these is not None and _TESTS_TOLD.search(
            question[:max(question.rfind(asking), 0) + these.start()]):
        # "... wants me to have special eye tests every year now. Why do I need these?", "blood tests every 3
        # months - what are they checking for?": why the tests
        cued = Attribute.WARNINGS
    if cued is None or cued.value == prior.asks[0]:
        return prior
    # "malarone for kenya - with food or without? it made me a bit sick last trip": a story told after the ask
    # (its effect words) does not displace the ask
    told_after = not question.rstrip().endswith(asking.rstrip()) and "?" not in question[
        question.rfind(asking) + len(asking):]
    if cued.value not in _ASKED_OVER_TOLD | {"dosage"} or (not told_after and (
            prior.asks[0] not in _TOLD_SECTIONS or cued.value not in _ASKED_OVER_TOLD)):
        return prior  # (a population stated before the ask is the question: "I'm breastfeeding ... what to watch?")
    probability = dict(prior.ranked)
    ranked = ((cued.value, probability.get(cued.value, 0.0)), *(kv for kv in prior.ranked if kv[0] != cued.value))
    return IntentPrior(ranked, (cued.value, prior.asks[0]), f"{prior.source}+asking")


# "these" of tests told before the ask: what the tests are for is the warning they watch for, not the medicine's use
_THESE = re.compile(r"\b(?:these|those|them|they)\b", re.IGNORECASE)
_TESTS_TOLD = re.compile(r"\b(?:tests?|checks?|scans?|exams?|examinations?|bloods|blood counts?|monitoring)\b",
                         re.IGNORECASE)
ASKING_CUE = 3.0  # a strong cue word of the asking sentence ("side effects", "be causing", "how much")
# Sections a story's told doses, uses and forms cue ("10 mg at night", "for her blood pressure")
_TOLD_SECTIONS = frozenset({"dosage", "indications", "dosage_forms", "description", "pharmacology", "storage"})
# ... and the asks that override them (not "how long before we sail should she take it": pharmacology's onset cue)
_ASKED_OVER_TOLD = frozenset({"adverse_reactions", "indications", "interactions", "contraindications", "warnings",
                              "overdosage", "dosage_forms"})


# A question no cue word names a section of, where the intent model's first section, though under its floor,
# is a better guess than the indications an empty section reads (retrieve): MedicationQA and the consultation
# sets, the model's first at 0.3-0.5 was the asked section in 5 of 6 such questions.
GUESS_FLOOR = 0.3
_QUESTION_SHAPED = re.compile(r"\?|^\W*(?:what|how|why|when|where|which|who|can|could|should|would|will|is|are|do|does|"
                              r"did|may|might|any)\b|\bwhat happens\b", re.IGNORECASE)
_WHAT_IS_IT = re.compile(r"^\W*(?:what(?:'s| is| are)|whats)\s+(?:a |an |the )?[\w\- ]{1,40}?[?.!]*\s*$", re.IGNORECASE)


def model_guess(question: str, prior: IntentPrior) -> Attribute | None:
    """The model's first section for a question that names none ("will it exacerbate arrhythmias?") when the model
    gives it at least GUESS_FLOOR; None for a statement, a Chinese question (its topics decide) or "what is X?"
    (what it is for)."""
    if not prior.ranked or not prior.source.startswith("model") or CJK.search(question):
        return None
    if not _QUESTION_SHAPED.search(question) or _WHAT_IS_IT.match(question):
        return None
    section, probability = prior.ranked[0]
    if probability < GUESS_FLOOR or section not in {a.value for a in Attribute}:
        return None
    return Attribute(section)


# What may stand around a kind word in a name that is only the kind: "my blood thinner pills", 降压药.
_AROUND_KIND = re.compile(r"^(?:(?:my|the|his|her|their|some|a|an)(?:\s+|$))*$", re.I)
_AFTER_KIND = re.compile(r"^(?:e?s)?\s*(?:pills?|tablets?|capsules?|meds?|medicines?|medications?|drugs?|shots?|"
                         r"injections?|pens?)?$|^(?:类)?(?:药物?|片)?$", re.I)


def _kind_only(surfaces: list[str]) -> ClassAsked | None:
    """The kind of medicine the question's only unresolved names all are, wholly ("insulin", "blood thinner
    pills"), or None: 头孢克肟 (cefixime, a product the database lacks) names a product, not the kind 头孢."""
    kinds: list[ClassAsked] = []
    for surface in surfaces:
        kind = class_asked(surface)
        at = surface.casefold().find(kind.said.casefold()) if kind is not None else -1
        if kind is None or at < 0 or not _AROUND_KIND.match(surface[:at].strip()) or not _AFTER_KIND.match(
                surface[at + len(kind.said):].strip()):
            return None
        kinds.append(kind)
    if not kinds or len({k.key for k in kinds}) != 1:
        return None
    return kinds[0]


def _dedupe(matches: list[NameMatch]) -> list[NameMatch]:
    seen: set[str] = set()
    out = []
    for m in matches:
        key = m.medicine_id or f"?{m.surface}"
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def _not_allergens(question: str, matches: list[NameMatch]) -> list[NameMatch]:
    """The names a question asks about, without an allergen named only as one: in 我对青霉素过敏，能吃阿莫西林吗
    penicillin is what the user is allergic to (the allergy alert names it), amoxicillin what is asked. A name
    said again outside the allergy ("allergic to penicillin. Is penicillin ...") stays asked."""
    allergens = allergens_beside(question, [m.surface for m in matches])
    if not allergens:
        return matches
    lowered = question.casefold()
    kept = []
    for m in matches:
        surface = m.surface.casefold()
        in_allergy = sum(a.count(surface) for a in allergens)
        # said again only inside a longer name found (对阿莫西林过敏 ... 阿莫西林克拉维酸钾): not said again
        in_longer = sum(o.surface.casefold().count(surface) for o in matches
                        if o is not m and surface in o.surface.casefold() and len(o.surface) > len(m.surface))
        # ("... because it's not aspirin": said again only to set it apart)
        denied = len(re.findall(rf"\b(?:not|isn't|isnt|aren't|no) (?:an? |the )?{re.escape(surface)}\b", lowered))
        if in_allergy == 0 or lowered.count(surface) - in_longer - denied > in_allergy:
            kept.append(m)
    return kept


# what stopping a medicine does: the stopped one is asked about
_ASKS_STOPPED = re.compile(r"\b(?:withdraw\w*|discontinu\w*|stopp\w*|stop|quit\w*|coming off|come off|came off|"
                           r"switch\w*|swap\w*|change\w* over|cross[- ]?taper\w*|wash[- ]?out|gap|overlap)\b",
                           re.IGNORECASE)
# taking them together: both are asked about
# (and in Chinese: "这两个一起吃有问题吗", 同时吃, 合用)
# An effect asked of a medicine: "Can mirabegron put my blood pressure up?", "will it make me sleepy?", "does it
# cause weight gain?"
_ASKS_ITS_EFFECT = re.compile(
    r"\b(?:can|could|will|would|does|do|might|may|is|does) [\w' -]{1,30}? (?:put|push|send|bump|drive|raise|increase|"
    r"lower|drop|bring) (?:my|his|her|the|your|their) [\w ]{0,20}?(?:pressure|sugars?|levels?|heart rate|pulse|"
    r"potassium|sodium|cholesterol|weight)(?: up| down)?\b|"
    r"\b(?:can|could|will|would|does|do|might|may) [\w' -]{1,30}? (?:cause|make (?:me|him|her|you|them)|"
    r"give (?:me|him|her|you|them)) (?!(?:a |any )?(?:problems?|issues?|trouble|interactions?)\b)",
    re.IGNORECASE)
# ("with my amlodipine", "on top of", "alongside": asked beside another)
_WITH_ANOTHER = re.compile(r"\b(?:with|alongside|on top of|as well as|plus|and)\b", re.IGNORECASE)
_TOGETHER = re.compile(r"\b(?:together|with each other|interact\w*|combin\w*|mix\w*)\b|一起|一块|同时|合用|同服|联用",
                       re.IGNORECASE)
# "my mom takes Eliquis" ... "is it ok with aspirin?": "it" is the medicine said before, whoever takes it, and the
# medicine named after "with" is asked beside it
_IT_WITH = re.compile(r"\b(?:is|are|was) (?:it|this|that|they|these|those)\b[^.?!;]{0,25}\bwith\b|"
                      r"\b(?:it|this|that|they)\b (?:ok|okay|safe|fine|alright)\b[^.?!;]{0,20}\bwith\b|"
                      r"\b(?:take|mix|combine|use) (?:it|this|that|them|those|these)\b[^.?!;]{0,15}\bwith\b|"
                      r"\bdoes (?:it|this|that) (?:interact|mix|go)\b[^.?!;]{0,15}\bwith\b", re.IGNORECASE)
# "Does the one the dentist gave him affect his warfarin?", "will it stop my pill working?": what was said before
# acting on the medicine the turn names (named after the verb: _named_after_affects)
_IT_AFFECTS = re.compile(r"\b(?:does|do|will|would|could|can|might|has|may) (?:it|this|that|they|these|those|"
                         r"the (?:new|other|\w+) one|the one\b[^.?!;]{0,40}?) (?:affect|interfere with|react with|"
                         r"mess with|clash with|mess up|upset|weaken|cancel out|stop|change|raise|lower|boost|"
                         r"increase|reduce)\b", re.IGNORECASE)
# The medicine taken before, said beside a new one the turn names: "the new one with the old one", "my usual one"
_THE_OLD_ONE = re.compile(r"\b(?:the|my|his|her|their) (?:old|usual|regular|existing|original|current|other) "
                          r"(?:one|medicine|medication|meds|pills?|tablets?)\b(?<!other one)(?<!other medicine)|"
                          r"\bthe one (?:i'?m|i am|i'?ve been|i was|he'?s|she'?s|he has been|she has been) "
                          r"(?:already )?(?:on|taking)\b", re.IGNORECASE)
# "the other one" as what is taken beside the one the turn names: "given I'm on the other one", "with the other one"
_BESIDE_THE_OTHER = re.compile(r"\b(?:on|with|taking|take|takes|beside|alongside|plus|and|still on)\s+the other "
                               r"(?:one|medicine|medication|drug|pill|tablet)s?\b", re.IGNORECASE)
# "the other one" of the medicines said before
_THE_OTHER = re.compile(r"\bthe other (?:one|medicine|medication|drug|pill|tablet|prescription)\b", re.IGNORECASE)


# Two medicines set against each other: both are asked about, the one left by a switch too.
_SAFER = re.compile(r"\b(?:safer|safest|gentler|kinder|less risky|riskier|more dangerous)\b", re.IGNORECASE)
_FOR_A_CONDITION = re.compile(r"\b(?:better|best|stronger|more effective|work(?:s)? better)\b[^.?!]{0,20}\bfor\b",
                              re.IGNORECASE)
_COMPARES = re.compile(r"\b(?:than|versus|vs|compared?|comparison|differen\w*|better|worse|safer|stronger|"
                       r"instead|same as|either|both|each)\b", re.IGNORECASE)


_THE_NEW_ONE = re.compile(r"\bthe new (?:one|med|meds|medicine|medication|tablet|tablets|pill|pills|drug)\b",
                          re.IGNORECASE)


_LAST_OF = re.compile(r"\b(?:last|final) (?:dose of |tablet of |one of )?(?:my |his |her |the )?$", re.IGNORECASE)
_STARTING_ANOTHER = re.compile(r"\b(?:first|start|starting|new one|onto|switch\w*|"
                               r"chang\w+ (?:him |her |me )?(?:over|to))\b", re.IGNORECASE)


def _not_switched_from(question: str, latest: list[NameMatch]) -> list[NameMatch]:
    """The medicines of the question less those a switch it states leaves, when another known one is named."""
    left = " ".join(re.findall(r"[a-z0-9]+", switched_from(question).casefold()))
    left_zh = zh_switched_from(question)  # "以前吃氨氯地平，现在换成了缬沙坦": Chinese names, found as substrings
    if not left and not left_zh:
        # "They're moving me onto Eliquis ... do I take my last warfarin tonight and start the new one tomorrow?":
        # the medicine whose last dose is told is the one left, even where the asking sentence names it
        ending = [m for m in latest if m.medicine_id and _LAST_OF.search(question[:max(_find_surface(question,
                                                                                                m.surface), 0)])]
        if ending and _STARTING_ANOTHER.search(question) and any(m.medicine_id and m not in ending for m in latest):
            return [m for m in latest if m not in ending]
        return latest
    asking = _asking_sentence(question)
    # (unless the asking sentence names it: "moving me from metoprolol to bisoprolol. Can I stop the metoprolol
    # dead tonight?")
    kept = [m for m in latest if not m.medicine_id or (f" {m.surface.casefold()} " not in f" {left} "
                                                        and not (left_zh and m.surface in left_zh))
            or (asking != question and not has_cjk(question) and _find_surface(asking, m.surface) >= 0)]
    return kept if any(m.medicine_id for m in kept) else latest


def _old_one_before(question: str, latest: list[NameMatch], context: ConversationContext,
                    question_turn: int) -> list[MedicineMention]:
    """The medicine taken before that "the old one" of the asking part means when the turn names another medicine
    (the newest said of the user's, one only); none when the part names a medicine or means no old one."""
    parts = [p for p in (_ZH_PART if has_cjk(question) else _EN_PART).split(_asking_sentence(question)) if p.strip()]
    part = parts[-1] if parts else ""
    named = {m.medicine_id for m in latest if m.medicine_id}
    if not part or not _WANT_OLD.search(part) or any(
            (m.surface.casefold() in part.casefold()) if has_cjk(m.surface) else _find_surface(part, m.surface) >= 0
            for m in latest):
        return []
    before = [m for m in context.latest(before_turn=question_turn) if m.medicine_id and m.medicine_id not in named
              and m.owner is Owner.USER and m.status is not MedStatus.STOPPED]
    return before[:1]


def _new_one_for_the_left(question: str, latest: list[NameMatch], context: ConversationContext,
                          question_turn: int) -> list[MedicineMention]:
    """The medicine switched to that "the new one" of the asking part means when the turn names only the one the
    switch left ("changed from simvastatin to rosuvastatin" ... "I always took the simva at bedtime. does the new
    one have to be night time too?"); none otherwise."""
    parts = [p for p in (_ZH_PART if has_cjk(question) else _EN_PART).split(_asking_sentence(question)) if p.strip()]
    part = parts[-1] if parts else ""
    named = {m.medicine_id for m in latest if m.medicine_id}
    if not part or not named or not _WANT_NEW.search(part) or any(
            (m.surface.casefold() in part.casefold()) if has_cjk(m.surface) else _find_surface(part, m.surface) >= 0
            for m in latest):
        return []
    left = {m.medicine_id for m in context.medicines if m.turn < question_turn and m.status is MedStatus.STOPPED}
    if not named <= left:
        return []
    new = [m for m in context.latest(before_turn=question_turn) if m.medicine_id and m.medicine_id not in named
           and m.owner is Owner.USER and m.status is MedStatus.NEW]
    return new[:1]


def _as_matches(mentions: list[MedicineMention]) -> list[NameMatch]:
    return [NameMatch(m.surface, m.medicine_id, 0, "context") for m in mentions]


class RuleDistiller:
    """Rule-based distillation (the distill stage without a model); also the model distiller's fallback."""

    name = "distill"

    def __init__(self, max_medicines: int = 4, intent: IntentClassifier | None = None) -> None:
        self.max_medicines = max_medicines
        # question intent: the trained model when the factory gives one, the cue words otherwise
        self.intent = intent or IntentClassifier()

    def to_dict(self) -> dict[str, Any]:
        return {"backend": "rules", "max_medicines": self.max_medicines, "intent": self.intent.to_dict()}

    def run(self, state: TurnState) -> None:
        # The patient's records (medication list, problems, allergies) join what the user's turns say.
        state.conversation = merge_records(build_context(state.dialogue, state.lexicon), state.patient, state.lexicon)
        if answer_small_talk(state):
            return
        # The medicines' labels are split and tokenised on another thread while the question is encoded (issue 18).
        prefetch_labels(state.index, [m.medicine_id for m in state.conversation.latest()])
        state.distilled = self.distill(state.dialogue, state.lexicon, state.conversation, state.index)

    def distill(
        self, dialogue: list[Turn], lexicon: MedicineLexicon, context: ConversationContext | None = None,
        index: SearchIndex | None = None,
    ) -> Distillation:
        """`index`: the labels read for a product the database lacks asked beside the user's own medicine."""
        return _RuleDistillation(lexicon, self.max_medicines, self.intent, index).run(dialogue, context)


def answer_small_talk(state: TurnState) -> bool:
    """A turn that asks nothing of the medicine database ("thanks!", "any good pizza place?") is answered
    here, with what clinqa can answer: nothing is searched and the read stage is skipped. The context built
    before is kept, so the next "it" still finds the conversation's medicine."""
    if state.request.images:
        return False  # "hi" with a picture of a pill box asks about the picture
    talk = small_talk(state.question, state.lexicon, state.conversation)
    if talk is None:
        return False
    context = state.conversation.to_dict() if state.conversation is not None else None
    state.distilled = Distillation(backend="rules", audit={"small_talk": talk.kind.value, "context": context})
    state.reading = ReadResult(talk.reply, [], Status.NOT_MEDICAL, audit={"small_talk": talk.kind.value})
    return True


class RawQuery:
    """Retrieve-then-Read: the last user turn, as written, is the one query (the baseline DRR is measured
    against)."""

    name = "distill"

    def to_dict(self) -> dict[str, Any]:
        return {"backend": "raw"}

    def run(self, state: TurnState) -> None:
        query = for_matching(state.question).strip()  # invisible characters would split words
        state.distilled = Distillation([SearchQuery(None, None, query)], backend="raw")


# "有人说跟维生素B12有关，是真的吗？" after "吃二甲双胍十年了，最近手脚发麻": the product is what the effect is said
# to be linked to, not what is asked about; the medicine taken is.
_LINKED_TO = re.compile(r"(?:跟|和|与|同)[^，,。？?]{0,15}(?:有关|有关系|相关)|\b(?:related|linked) to\b|"
                        r"\bto do with\b|\b(?:caused by|because of|due to|down to)\b", re.IGNORECASE)


# "Is that the right strength for me?": a dose asked, whatever was told before it
# (or whether the dose must change: "does the dose have to change because of her kidneys", "stop at a lower dose")
_RIGHT_AMOUNT = re.compile(r"\b(?:right|correct|usual|normal|max\w*|recommended|safe|lower|smaller|reduced) "
                           r"(?:dose|dosage|strength|amount)\b|\bhow (?:much|many)\b|"
                           r"\b(?:dose|dosage)\b.{0,25}\b(?:change|changed|adjust\w*|lower\w*|reduc\w*|cut)\b|"
                           r"\b(?:change|adjust|lower|reduce|cut)\w* (?:the|her|his|my|its) (?:dose|dosage)\b|"
                           r"剂量对|吃多少|用多少|调(整)?剂量|减量|剂量要不要",
                           re.IGNORECASE)


def _fewest_asked_first(mentions: list[NameMatch], context: ConversationContext, limit: int) -> list[NameMatch]:
    """At most `limit` mentions, in their order; past the limit the medicines the turn asks about stay before those
    it says are taken, and those before ones stopped or not taken ("On ramipril 10, amlo 5 and metformin ... I
    don't take any GTN. Is Viagra actually a problem with BP tabs like these?": Viagra, the fifth name, is asked)."""
    if len(mentions) <= limit:
        return mentions
    status = {m.medicine_id: m.status for m in context.medicines if m.turn == context.question_turn}

    def rank(m: NameMatch) -> int:
        said = status.get(m.medicine_id)
        return 2 if said is MedStatus.STOPPED else 1 if said in TAKEN else 0

    kept = {id(m) for m in sorted(mentions, key=rank)[:limit]}
    return [m for m in mentions if id(m) in kept]


def _taken_last(question: str, mentions: list[NameMatch]) -> list[NameMatch]:
    """The turn's medicines with those it says are taken after the one it asks about ("65M on ISMN 60mg XL ...
    asking me for sildenafil"): the first searched is the one asked, as the reader quotes it first."""
    named = [(m.medicine_id, m.surface) for m in mentions if m.medicine_id]
    if len(named) < 2:
        return mentions
    own = own_medicines(question, named)
    return sorted(mentions, key=lambda m: m.medicine_id in own) if own else mentions


class _RuleDistillation:
    """One dialogue's rule distillation over one lexicon."""

    def __init__(self, lexicon: MedicineLexicon, max_medicines: int, intent: IntentClassifier | None = None,
                 index: SearchIndex | None = None) -> None:
        self.lexicon = lexicon
        self.index = index  # the labels a product not in the database is looked for in
        self.max_medicines = max_medicines
        self.intent = intent or IntentClassifier()

    def run(self, dialogue: list[Turn], context: ConversationContext | None = None) -> Distillation:
        if not dialogue or dialogue[-1].role != "user":
            raise ValueError("the dialogue must end with a user turn")
        # the stage passes the context with the patient's records merged; a caller without it may pair the
        # records itself (app.records.mag.add_medication_partners)
        records_known = context is not None
        if context is None:
            context = build_context(dialogue, self.lexicon)
        # Names, cue words and keywords are read from the text without invisible characters ("war\u200dfarin"
        # is warfarin); the stored dialogue keeps what the user wrote.
        dialogue = [Turn(t.role, for_matching(t.content)) for t in dialogue]
        question = dialogue[-1].content
        # A reply to the service's question back ("Which medicine do you mean: ...?" -> "my mom's") names the
        # medicine; what is asked of it (the section, the words) is the question before.
        asked_before = _question_clarified(dialogue)
        worded = f"{asked_before} {question}" if asked_before else question
        if not asked_before and (corrected := _question_corrected(dialogue)):
            worded = f"{corrected} {question}"
        if habit := habit_referred([t.content for t in dialogue[:-1] if t.role == "user"], question):
            worded = f"{worded} ({habit})"  # "Do I need to give up the juice?" after "I have grapefruit juice daily"
        earlier = [
            _TurnMentions(i, t.role, _dedupe(self.lexicon.find(t.content)))
            for i, t in enumerate(dialogue[:-1])
        ]
        latest = _not_allergens(question, _dedupe(self.lexicon.find(question)))
        # "how much codeine is in Tylenol #3?": the product is asked about, not the ingredient it holds
        latest = without_held_ingredients(question, latest)
        # "wants co-codamol 30/500. is codeine ok for baby?": the codeine of the co-codamol
        latest = without_ingredients_of_named(question, latest, self.lexicon.in_a_named_combination)
        # "Lantus" ... "how do I use my insulin pen?": the kind word means the medicine said before
        latest = kinds_meaning_earlier(question, latest, context, self.lexicon.names, len(dialogue) - 1)
        if not asked_before and (on_list := listed_meant(
                question, [t.content for t in dialogue[:-1] if t.role == "user"], self.lexicon.find)):
            # "the third one on the list", "the one he takes at bedtime, not the senna": a line of the list pasted
            # before (app.pipeline.listed), beside what else the question names
            latest = _dedupe([*on_list, *(m for m in latest if not is_set_aside(question, m.surface))])
        if latest and not asked_before and _THE_OTHER.search(question):
            # "I was given oxycodone and ondansetron." ... "The oxycodone is for pain. What is the other one for?"
            latest = self._the_other(question, latest, context, len(dialogue) - 1)
        elif latest and not asked_before and _THE_OLD_ONE.search(question):
            # "Now the doctor's added calcium carbonate. Can I take the new one with the old one?": the old one is the
            # medicine the user said they take, beside the one the turn names
            taken = [m for m in context.latest(len(dialogue) - 1) if m.medicine_id and m.status in TAKEN
                     and m.medicine_id not in {n.medicine_id for n in latest}]
            if len({m.medicine_id for m in taken}) == 1:
                latest = _dedupe([*latest, *_as_matches(taken[:1])])
        elif not latest and not asked_before and _THE_OTHER.search(question):
            # "Not asking about the beta blocker. The other one - how long do I stay on it?"
            latest = self._the_other_than_kind(question, context, len(dialogue) - 1,
                                               " ".join(t.content for t in dialogue[:-1] if t.role == "user"))
        missed_beside_companion = False
        if len([m for m in latest if m.medicine_id]) >= 2 and not asked_before and MISSED_DOSE.asked(question):
            # "Missed my morning rivaroxaban 2.5 (I take it twice a day with aspirin). What do I do?": the dose
            # missed is of the medicine the missing names; the other is what it is taken with
            latest = _the_missed(question, latest)
        elif latest and not asked_before and MISSED_DOSE.asked(question) and all(
                named_as_companion(question, m.surface) for m in latest):
            # "(Xarelto) it's 2.5 mg twice a day, together with aspirin. Forgot this morning's, take it now?": the
            # dose missed is of the medicine said before; the one named is what it is taken with
            before = [m for m in context.latest(len(dialogue) - 1) if m.medicine_id
                      and m.medicine_id not in {n.medicine_id for n in latest}]
            # ("Cymbalta question" ... "I take 60 mg every morning (plus my metformin) ... never took today's
            # capsule": the one the conversation opened with, though only named)
            taken = [m for m in before if m.status in TAKEN] or [m for m in before if m.status is not MedStatus.STOPPED]
            if len({m.medicine_id for m in taken}) == 1:
                latest, missed_beside_companion = _as_matches(taken[-1:]), True
        if len([m for m in latest if m.medicine_id]) >= 2 and not asked_before:
            # "I'm not asking about my metformin. what are the side effects of dapagliflozin": a name the turn sets
            # aside is not asked about, while another is (app.pipeline.set_aside)
            kept = [m for m in latest if not is_set_aside(question, m.surface)]
            latest = kept if len(kept) < len(latest) and any(m.medicine_id for m in kept) else latest
        # "clarithromycin 500 bd x7d for pt on simvastatin 40 nocte - ok or hold statin?": whether to hold one
        # because of the other asks about the two together, whichever the kind word names
        holds_one = bool(latest) and _HOLDS_ONE.search(_asking_sentence(question)) is not None and (
            len([m for m in latest if m.medicine_id]) >= 2 or _taken_besides(latest, context, len(dialogue) - 1)) \
            and not self._stops_for_a_procedure(dialogue) and not switched_from(question)
        # (a switch stops the one it leaves: "moving me from metoprolol to bisoprolol. Can I stop the metoprolol
        # dead tonight?" asks of stopping it, not of holding one because of the other)
        if len([m for m in latest if m.medicine_id]) >= 2 and not asked_before and not holds_one:
            # "We have Panadol and Nurofen at home, can I take Nurofen?": the one the asking part names
            latest = _named_in_asking_part(question, latest, context)
            # "Last year metronidazole made me sick so I stopped it. This time the GP has given me tinidazole. Do I
            # have to stop feeding her?": not the one stopped
            latest = _not_the_stopped(question, latest, context)
        if len([m for m in latest if m.medicine_id]) >= 2 and not asked_before and not has_cjk(question) \
                and not holds_one:
            # "I've been on Lipitor for years. Now they've added Jardiance. Does the new one make you pee more?",
            # "pt on levetiracetam, rx'd cipro - seizure risk w/ the abx?"
            latest = self._meant_of_named(question, latest, context)
        elif any(m.medicine_id for m in latest) and any(m.medicine_id is None and not m.suggestion for m in latest) \
                and not asked_before and not has_cjk(question):
            # "Been on warfarin 10 years. Just started on Trevantix from the cardiologist. Side effects of the new
            # one?": the new one is the product the database lacks, not the medicine the database holds
            latest = self._new_or_old_of_named(question, latest, context)
        if len([m for m in latest if m.medicine_id]) == 1 and not asked_before:
            # "I keep colchicine for gout." ... "Got clarithromycin this week. If gout flares, can I still take the
            # old one?": the old one is the medicine said before, asked with the one this turn names
            new_one = _new_one_for_the_left(question, latest, context, len(dialogue) - 1)
            latest = _as_matches(new_one) if new_one else [
                *latest, *_as_matches(_old_one_before(question, latest, context, len(dialogue) - 1))]
        if asked_before and not latest:
            # "Which medicine do you mean: Levothyroxine, Levofloxacin or Levetiracetam?" -> "the antibiotic one"
            latest = self._offered_of_kind(question, dialogue[-2].content)
        if asked_before and latest:
            # "pt on levo, ok to add warfarin?" -> "Levofloxacin": what the asked-back question named is asked too
            latest = _dedupe([*latest, *(m for m in self.lexicon.find(asked_before) if m.medicine_id)])
        attribute, prior = self._attribute([*dialogue[:-1], Turn("user", _without_names(asked_before, question, latest)
                                                                if asked_before
                                                                else asked_part(without_not_asked(worded)))])
        if missed_beside_companion:
            attribute = Attribute.DOSAGE  # (跟阿司匹林一起吃 reads as taking them together)
        if latest and _asks_contents(question, latest, context, len(dialogue) - 1):
            # "Is there aspirin in it?": aspirin is what is looked for in the medicine said before, which is
            # the one asked about (its description: what it contains).
            latest, attribute = [], Attribute.DESCRIPTION
        if attribute not in (None, Attribute.INTERACTIONS) and not _COMPARES.search(question):
            # "Does febuxostat have a black box? They want to switch him from allopurinol": what is left is not
            # what is asked about
            latest = _not_switched_from(question, latest)
        elif attribute in (None, Attribute.INTERACTIONS) and _THE_NEW_ONE.search(_asking_sentence(question)):
            # "the old PPI was lansoprazole, switched him to omeprazole - is the new one a problem with the clopi?":
            # the one left is no partner of the new one
            latest = _not_switched_from(question, latest)
        # (the comparing word in the asking sentence: "..., she prescribed doxycycline instead. Do I take it with
        # food?" compares nothing)
        if attribute is not Attribute.INTERACTIONS and not _COMPARES.search(_asking_sentence(question)) \
                and not _TOGETHER.search(question) and not has_cjk(question):  # (Chinese: app.pipeline.zh_switch)
            # "I came off citalopram last month and now I'm on venlafaxine. What are the side effects of it?": a
            # medicine the turn says was stopped, and the asking sentence does not name, is not what is asked
            latest = self._not_stopped_now(question, latest, context)
        elif attribute is Attribute.INTERACTIONS and not _COMPARES.search(_asking_sentence(question)) \
                and not has_cjk(question):
            # "GP said no to tramadol, so I'm on naproxen only. Can I take it with my lisinopril?": the pair asked
            # about is of the medicines taken; one not given or stopped is no partner, where the asking sentence
            # names another one itself (not "do they interact?", which may ask about a wash-out)
            kept = [m for m in self._not_stopped_now(question, latest, context) if m.medicine_id]
            asking = _asking_sentence(question)
            if (len(kept) >= 2 and any(_find_surface(asking, m.surface) >= 0 for m in kept)) or (
                    # "I was prescribed amoxicillin but my GP ... gave me azithromycin instead. Can I drink alcohol
                    # on it?": "it" is the one taken
                    len(kept) == 1 and _IT.search(asking) and not _MANY.search(asking)):
                latest = [m for m in latest if m in kept or not m.medicine_id]
        if len(latest) >= 2 and attribute is None and _COMPARES.search(question) and _FOR_A_CONDITION.search(question):
            # "Is naproxen or ibuprofen better for period pain?": what each is for, not the two together
            attribute = Attribute.INDICATIONS
        elif len(latest) >= 2 and attribute is None and _SAFER.search(question):
            # "Which is safer for my stomach, naproxen or celecoxib?": each one's warnings
            attribute = Attribute.WARNINGS
        if len(latest) >= 2 and asks_cause(asking := _asking_sentence(question)) and not _TOGETHER.search(asking):
            # "... lost four thousand pounds betting. Is there any link with the tablets? He also takes a statin and
            # vitamin D.": the cause of an effect asked; the medicines told as also taken are background
            latest = [m for m in latest if not (m.medicine_id and told_as_also_taken(question, m.surface, asking))
                      ] or latest
        if len(latest) >= 2 and _ASKS_ITS_EFFECT.search(asking := _asking_sentence(question)) and not (
                _TOGETHER.search(asking) or _WITH_ANOTHER.search(asking)):
            # "I have high blood pressure (on amlodipine) and my urologist wants to start me on mirabegron. Can
            # mirabegron put my blood pressure up?": an effect asked of the one the asking sentence names; the
            # medicine told as taken is background, not a second one asked beside it
            named = [m for m in latest if m.medicine_id and _find_surface(asking, m.surface) >= 0]
            if len(named) == 1:
                latest = named + [m for m in latest if not m.medicine_id]
        if len(latest) >= 2 and (attribute is None or (
                _unsure(question, prior) and not _COMPARES.search(question) and _TAKING_ONE_WITH.search(question))) \
                and not asks_cause(_asking_sentence(question)):
            # Two drugs named in one question with no other cue, or "Can I take amoxicillin with metformin?" that
            # the intent model is unsure of (warnings at 0.26): asked about taking them together.
            attribute = Attribute.INTERACTIONS
        stated = context.stated_conditions()  # a problem on the record is background, not what is asked
        unsure = attribute is None or _unsure(question, prior) or _bare_taking_zh(question, prior) or (
            _bare_taking_en(question) and bool(stated))
        if unsure and stated and _CONDITION_ATTRIBUTES.get(stated[-1].kind) and not _effect_in_a_child(
                question, stated[-1].kind, prior):
            attribute = _CONDITION_ATTRIBUTES[stated[-1].kind]
            if attribute is Attribute.WARNINGS and not symptom_words(question) and not _CARRY_ON_OR_STOP.search(
                    question) and not asks_cause(_asking_sentence(question)) and all(
                    self._treats(latest, c) for c in stated if _CONDITION_ATTRIBUTES.get(c.kind) is Attribute.WARNINGS):
                # "My daughter has asthma." ... "Can she use my albuterol inhaler?": whether it is for her
                # condition (and at her age), which its indications say; not its cautions for asthma patients (a
                # condition it does not treat, said too, keeps them: pioglitazone for the diabetes of a man with
                # heart failure)
                attribute = Attribute.INDICATIONS
        asking = _asking_sentence(question)
        if attribute in (None, Attribute.DOSAGE) and (asks_gravity(asking) or asks_cautions(asking)) and (
                unsure or not any(ch.isdigit() for ch in asking)):
            # "GP prescribed levofloxacin. I play five-a-side twice a week. Anything serious I should know about
            # it?": its gravest risks (the reader goes to the boxed warning), not the dose "twice a week" suggested
            attribute = Attribute.WARNINGS
        procedure_second: str | None = None
        if any(c.kind == "breastfeeding" for c in stated) and _FEEDING.search(asking):
            # "I'm breastfeeding my 8 week old." ... "Do I have to stop feeding her while I'm on it?"
            attribute = Attribute.LACTATION
        elif self._stops_for_a_procedure(dialogue):
            # "CT scan with contrast dye on friday. do i need to stop my metformin?": what the label says of it;
            # "how many days before must I stop it?" asks how long before: the dosing section's interruption for
            # a procedure ("discontinue at least 48 hours prior to elective surgery"), which some labels put under
            # the warnings instead (clopidogrel's "discontinue 5 days prior to elective surgery"): both are asked
            attribute = Attribute.DOSAGE if _HOW_LONG_BEFORE.search(asking) else Attribute.WARNINGS
            procedure_second = Attribute.WARNINGS.value if attribute is Attribute.DOSAGE else None
        if _WITH_WHAT_IS_TAKEN.search(question) or holds_one or (latest and _WITH_IT.search(
                _asking_sentence(question)) and _taken_besides(latest, context, len(dialogue) - 1)):
            # "I'm on Brilinta." ... "My old aspirin tablets are 300 mg. Can I take one of those a day with it?"
            attribute = Attribute.INTERACTIONS  # the medication-partners stage adds what they said they take
        elif _DOES_THAT_MATTER.search(_asking_sentence(question)):
            attribute = _situation_attribute([t.content for t in dialogue if t.role == "user"], stated) or attribute
        if latest and allergens_in(question) and (unsure or attribute in _BESIDE_AN_ALLERGY):
            # "Allergic to penicillins (rash as a kid). Dentist wants me on Augmentin, fine?": an allergy said
            # in the asking turn makes it whether the medicine may be taken (not the children's section)
            attribute = Attribute.CONTRAINDICATIONS
        known_latest = {m.medicine_id for m in latest if m.medicine_id}
        # "I take lithium." ... "can I take naproxen?": a medicine newly asked about while the user takes
        # another (in the database or not) is an interaction question, as with a patient's medication list.
        # "我爸在吃华法林" ... "他能吃布洛芬吗": his medicines; "can he take tylenol?" ... "what about ibuprofen
        # instead?": an elliptical question names no person and is asked for the previous question's
        asker = context.asker or Owner.USER
        taken_other = [m for m in context.latest(len(dialogue) - 1) if m.owner is asker
                       and m.status in TAKEN and m.medicine_id not in known_latest]
        partners_from_context = False
        inherited = self._inherited_section(dialogue, latest, question)
        # (a product the database lacks counts: "on xanax ... sent home with percocet ... is that combo ok?")
        owned = {m.medicine_id or m.surface.casefold() for m in latest} | {m.medicine_id or m.surface.casefold()
                                                                           for m in taken_other}
        if inherited is None and attribute is not Attribute.INTERACTIONS and len(owned) >= 2 \
                and _asks_of_them_together(question):
            # "I take tizanidine at night." ... "The clinic gave me cipro. Can I keep taking both?": the two taken
            # as one is what is asked, whatever section the rest of the wording leans to
            attribute = Attribute.INTERACTIONS
            partners_from_context = bool(known_latest) and bool(taken_other)
        elif inherited is not None:
            # "Can I take ibuprofen for my back pain?" -> "and what about naproxen instead?": the new medicine
            # is asked what the previous question asked, beside what the user takes.
            attribute = inherited
            partners_from_context = attribute is Attribute.INTERACTIONS and bool(taken_other)
        elif known_latest and taken_other and (unsure or attribute is Attribute.WARNINGS) and (
                _asks_taking(question) or (attribute is None and _bare_follow_up(question, latest))):
            attribute = Attribute.INTERACTIONS
            partners_from_context = True  # the medication-partners stage pairs them, with its notice
        elif not known_latest and latest and any(m.medicine_id for m in taken_other) and (
                (attribute is None and _bare_follow_up(question, latest))
                or _WHEN_TO_TAKE.search(_asking_sentence(question))
                # "I've just started spironolactone." ... "I use LoSalt instead of regular salt. Any problem?": a
                # supplement or salt substitute the user takes, asked whether it is safe, beside their medicine
                # (the model's dosing for "Any problem?" is no dose asked of a product the database lacks)
                or (attribute in (Attribute.WARNINGS, Attribute.DOSAGE)
                    and _YES_NO_OR_CONCERN.search(asked_now := _asking_sentence(question))
                    and not _ASKS_AMOUNT_OR_TIME.search(asked_now)
                    and all(m.medicine_id is None and is_listed_product(m.surface) for m in latest))):
            # "I take warfarin." ... "and ginkgo?": a product the database lacks, asked beside what the user takes
            # (read in that medicine's label for it); so is when to take it ("I take levothyroxine every morning."
            # ... "My GP has just added calcium carbonate tablets. When should I take the new one?")
            attribute = Attribute.INTERACTIONS
        elif known_latest and attribute in (None, Attribute.DOSAGE, Attribute.WARNINGS) \
                and _YES_NO_OR_CONCERN.search(asking := _asking_sentence(question)) and asking != question \
                and not _ASKS_AMOUNT_OR_TIME.search(asking) and any(
                    m.medicine_id is None and is_listed_product(m.surface) for m in latest) and any(
                    _find_surface(question, m.surface) < _find_surface(question, p.surface)
                    for m in latest if m.medicine_id for p in latest if p.medicine_id is None):
            # "Mum was discharged on spironolactone 25 mg. She's been using a salt substitute on her chips. Any
            # issue?": a supplement or salt substitute told after the medicine taken, then a bare concern (the
            # dose told before is no dose question)
            attribute = Attribute.INTERACTIONS
        elif len(known_latest) >= 2 and (_on_one_adding_another(question, latest) or _DOSE_CHANGED.search(question)) \
                and (attribute in _PAIR_SECTIONS or unsure):
            attribute = Attribute.INTERACTIONS  # "Pt on clarithromycin - continue colchicine at full dose?"
        elif len(known_latest) == 1 and attribute in (None, Attribute.DOSAGE) and _DOSE_TO_CHANGE.search(
                _asking_sentence(question)) and any(
                    m.medicine_id and m.medicine_id not in known_latest and m.status is MedStatus.NEW
                    and m.owner is asker for m in context.latest(len(dialogue) - 1)):
            # "I'm on warfarin and my GP just started me on amiodarone." ... "does the warfarin dose need to
            # change?": the dose changed by the one just started, which its interactions say
            attribute = Attribute.INTERACTIONS
            partners_from_context = True
        elif len(known_latest) == 1 and (unsure or attribute is Attribute.WARNINGS) and _IT_WITH.search(question) \
                and _named_after_with(question, latest) and any(
                    m.medicine_id and m.medicine_id not in known_latest and m.status is not MedStatus.STOPPED
                    for m in context.latest(len(dialogue) - 1)):
            attribute = Attribute.INTERACTIONS  # the medicine "it" stands for is found as the partner (_mentions)
        elif len(known_latest) == 1 and _named_after_affects(question, latest) and any(
                m.medicine_id and m.medicine_id not in known_latest and m.status is not MedStatus.STOPPED
                for m in context.latest(len(dialogue) - 1)):
            attribute = Attribute.INTERACTIONS  # "Does the one the dentist gave him affect his warfarin?"
        elif alongside := taken_alongside(question, latest, context, attribute):
            # "I'm on warfarin. Can I take ibuprofen for back pain?": app.pipeline.alongside
            attribute = Attribute.INTERACTIONS
            # taken beside it as said in earlier turns: the medication-partners stage pairs them
            partners_from_context = bool(known_latest) and not alongside & known_latest
        # "I'm 20 weeks pregnant ... Is sumatriptan safe for the baby?": the baby she carries (or feeds)
        # (not when the child is the one to take it: "can my baby have ibuprofen drops?")
        # ("is it safe for the baby?" asks whether it is safe, and of the baby: the baby is the ask, not a second one)
        baby_second = attribute in (Attribute.WARNINGS, None) and prior.asks[1:2] == (Attribute.PEDIATRIC.value,)
        if (attribute is Attribute.PEDIATRIC or baby_second) and _THE_BABY.search(question) \
                and not _CHILD_TAKES.search(question):
            carried = [c.kind for c in stated if c.owner is Owner.USER and c.kind in ("pregnant", "breastfeeding")]
            if carried and (carried[-1] == "breastfeeding" or not any(c.kind == "child_age" for c in stated)):
                attribute = _CONDITION_ATTRIBUTES[carried[-1]]
        elif attribute in (Attribute.WARNINGS, Attribute.ADVERSE_REACTIONS, None) and _WATCH_IN_BABY.search(
                question) and any(c.owner is Owner.USER and c.kind == "breastfeeding" for c in stated):
            # "My baby is 6 weeks and exclusively breastfed." ... "What should I watch for in her?": what the milk
            # may do to the baby, which the lactation section says
            attribute = Attribute.LACTATION
        elif attribute is Attribute.PEDIATRIC and not _CHILD_TAKES.search(question) and any(
                c.owner is Owner.USER and c.kind == "breastfeeding" for c in stated):
            # "我在哺乳期，宝宝两个月。" -> "牙疼得厉害，能吃布洛芬吗？": the baby's age was said of the one she feeds;
            # the mother asks for herself
            attribute = Attribute.LACTATION
        # "Is that a problem with my asthma?": the condition named, not a medicine taken, is what it is asked with
        said_condition = _WITH_MY.search(question)
        if said_condition and said_condition.group(0).casefold().startswith("for") \
                and said_condition.group(0) not in _asking_sentence(question):
            said_condition = None  # "Tegretol 400mg twice a day for my epilepsy.": what it is taken for, told
        if said_condition and attribute in (Attribute.INTERACTIONS, Attribute.WARNINGS, None):
            kinds = condition_kinds(said_condition.group(1))
            if kinds and not self.lexicon.find(said_condition.group(1)) and _CONDITION_ATTRIBUTES.get(kinds[0]):
                attribute, partners_from_context = _CONDITION_ATTRIBUTES[kinds[0]], False
        # "a couple of beers while on metronidazole" (app.pipeline.drink_words); after a question back, the pending
        # question says it ("can I have a few beers on it?" -> "Metronidazole")
        drinking = asks_alcohol(worded)
        drink_second: Attribute | None = None
        # (a strength named with the medicine asks no dose: "sertralina 50 mg and the alcohol, is dangerous?")
        if drinking and len(prior.asks) > 1 and attribute is not None and prior.top == attribute and \
                alcohol_section(attribute) is not attribute and (
                    attribute is not Attribute.DOSAGE or _ASKS_A_DOSE.search(worded) is not None):
            # two asks, one of them the drink ("舍曲林多久见效？能喝酒吗？"): the other is kept, alcohol asked after it
            drink_second = Attribute.INTERACTIONS
        elif drinking:
            attribute = alcohol_section(attribute)
        if drinking:
            # "had loads of beer last night ... can I take ibuprofen?": the product of the name whose label speaks of
            # alcohol (the OTC ibuprofen's "3 or more alcoholic drinks"), where the one read first is silent on it
            latest = [replace(m, medicine_id=other) if m.medicine_id and (
                other := self._sibling_speaking_of(m.medicine_id, _ALCOHOL_IN_LABEL)) else m for m in latest]
        if attribute is Attribute.INTERACTIONS and len(latest) >= 2:
            latest = _considered_first(latest, context)
        background = ([m.surface for m in taken_other if m.medicine_id is None]
                      if attribute is Attribute.INTERACTIONS else [])
        if latest:
            focus = None
        elif asks_medicine_for_condition(question) and not _LINKS_TO_EARLIER.search(question):
            # "I take levothyroxine." ... "what can I take for hay fever?": a new question about which medicine,
            # not about the ones said before (nor a product the database lacks: "calcium" is not the answer)
            focus = Focus([])
        else:
            focus = resolve_focus(question, context, len(dialogue) - 1, attribute.value if attribute else None)
        # "the blood thinner one", "my statin": app.pipeline.class_reference
        focus = focus_by_kind(question, focus, context, len(dialogue) - 1, self.lexicon.names, self.lexicon.classes)
        if focus is not None and focus.across_people and (attribute in _PAIR_SECTIONS or unsure):
            attribute = Attribute.INTERACTIONS  # "Is mine safe with dad's?"
        if focus is not None and focus.tied:
            in_order = sorted(focus.tied, key=lambda m: m.turn)  # as the user named them
            whose = len({m.person for m in in_order}) > 1  # two relatives' medicines: say whose each is
            names = list(dict.fromkeys(
                (f"your {m.person}'s " if whose and m.person else "") + self.lexicon.names.get(m.medicine_id or "",
                                                                                              m.surface)
                for m in in_order))
            return Distillation(
                clarify=f"Which medicine do you mean: {', '.join(names[:-1])} or {names[-1]}?",
                options=tied_options(in_order, self.lexicon.names, has_cjk(question)),
                backend="rules",
                audit={"focus": {"scores": focus.scores, "tied": [m.surface for m in focus.tied]},
                       "context": context.to_dict(), "attribute": attribute.value if attribute else None},
            )
        mentions = self._resolve(question, latest, earlier, attribute, focus, context, partners_from_context,
                                 with_food=_WITH_FOOD_OR_DRINK.search(worded) is not None)
        if not asked_before and (several := self._shorthand_of_several(question, mentions)) is not None:
            return several  # "pt on levo, ok with warfarin?": which levo (app.pipeline.abbreviations)
        known = [m for m in mentions if m.medicine_id]
        if attribute in _SAFETY_SECTIONS and len(mentions) >= 2 and _safe_with_another(question, mentions):
            attribute = Attribute.INTERACTIONS  # "Is aspirin safe with warfarin?": whether to take them together
        text = " ".join(t.content for t in dialogue)
        unknown = [self._describe_unknown(m, text) for m in mentions if m.medicine_id is None]
        if not mentions and not asks_medicine_for_condition(question) and (
                substance := substance_asked(question, self.index)) is not None:
            unknown = [substance]  # "what is pepsin?": app.pipeline.what_is
        if not known and (unknown or not mentions) and birth_control_said(question):
            # "St John's wort with my birth control pill": the pill the user said they take, else which one
            # (app.pipeline.lay_products)
            pills = birth_control_pills(self.lexicon.names, self.lexicon.routes_of)
            taken_pill = [m for m in context.latest(len(dialogue) - 1) if m.medicine_id in pills and m.status in TAKEN]
            if taken_pill:
                known = _as_matches(taken_pill[-1:])
                mentions = [*mentions, *known]
            elif pills and not asked_before:
                return Distillation(clarify=which_pill(pills, self.lexicon.names, unknown),
                                    options=pill_options(pills, self.lexicon.names), backend="rules",
                                    intent=prior.ranked, audit={"class_asked": "birth_control_pill", "members": pills,
                                                                "context": context.to_dict()})
        # a supplement, herbal or OTC product asked about (not a misspelt drug name) alongside, not what the
        # medicine does, how much or what is in it
        # (or a made-up or foreign brand no dictionary knows: "I take warfarin. is zentravix safe for me?" -- no
        # label names it, so the medicine taken answers nothing for it)
        products = [m.surface for m in mentions if m.medicine_id is None and not m.suggestion
                    and product_key(m.surface) in product_key(question)
                    and (is_listed_product(m.surface) or self.lexicon.unheard_of(m.surface, question)
                         # "the doctor's added calcium carbonate - with the old one?", read where labels can be
                         or (self.index is not None and is_supplement_substance(m.surface)))
                    ] if attribute in _ALONGSIDE_SECTIONS else []
        if attribute in _ALONGSIDE_SECTIONS:
            # a brand the database lacks made of such products: "Can I take Rennie with my levothyroxine?" asks of
            # calcium carbonate and magnesium carbonate, which the levothyroxine label names
            products += [part for m in mentions if m.medicine_id is None and not m.suggestion
                         and m.surface not in products
                         for part in described_ingredients(self._describe_unknown(m, text))
                         if is_listed_product(part) or not any(x.medicine_id for x in self.lexicon.find(part))]
        label_word: dict[str, str] = {}
        silent_note = ""
        own_withheld = False  # the user's own medicine left out on purpose: its label would answer another thing
        asking_sentence = _asking_sentence(question)
        # "I also use a bit of CBD oil at night. Am I ok to drive on the gabapentin?": the asking sentence asks of the
        # medicine alone; the product said beside it is no question of its own
        of_medicine_alone = bool(products) and any(
            _find_surface(asking_sentence, m.surface) >= 0 for m in known) and not any(
            _surface_in(asking_sentence, p) for p in products) and not _TOGETHER.search(asking_sentence) \
            and not _WITH_ANOTHER.search(asking_sentence)
        if of_medicine_alone and attribute is Attribute.INTERACTIONS and prior.top not in (None, "interactions"):
            attribute = Attribute(prior.top)  # (the product said beside it made it look like a pair)
        if products and known and not of_medicine_alone and (all(
                self._own(question, m, known_latest, context) for m in known) or all(
                self.lexicon.unheard_of(p, question) for p in products) or (
                (attribute == Attribute.INTERACTIONS or (attribute == Attribute.WARNINGS and (
                    _asks_taking(question) or _ALSO_TAKING.search(question) is not None)))
                and self.index is not None
                # (a combination holding a medicine the database has is read by what it holds: "Lemsip Max if I'm
                # already taking paracetamol" -> acetaminophen's "any other drug containing acetaminophen")
                and not self._holds_a_known_medicine(mentions, text))):
            # (a made-up or foreign brand: no label names it, whoever takes the medicine beside it: "Is Kardolan
            # safe with warfarin?"; nor does whose it is matter when the two are asked together: "ginkgo with
            # warfarin?")
            # "Is ginkgo biloba safe with my aspirin?", "I'm on lisinopril. What about potassium supplements?":
            # what is asked about is not in the database; the user's own medicine's label answers only where
            # it names the product (by name or a class of products), else nothing does (unknown_drug).
            label_word = {m.medicine_id or "": word for m in known
                          if (word := self._label_names(m.medicine_id or "", products)) is not None}
            if all(names_a_kind(p) for p in products) and not label_word:
                # "I take brimonidine. Can I use it with herbal supplements?": a kind of products, not one; the
                # label's interactions and warnings are what it says of taking it with others, and the notice
                # says the label names no such product.
                silent_note = self._silent_note(question, known)
            else:
                read = [m for m in known if m.medicine_id in label_word]
                own_withheld = not read
                if own_withheld:
                    # "is kava ok with my lisinopril?": nothing to quote, but the label was read for it
                    silent_note = self._silent_note(question, known, of_one=len(products) == 1)
                known = read
            attribute = Attribute.INTERACTIONS if known else attribute
        elif products and known and all(names_a_kind(p) for p in products) and not any(
                self._label_names(m.medicine_id or "", products) for m in known):
            silent_note = self._silent_note(question, known)  # "Can I take brimonidine with herbal supplements?"
        elif unknown and known_latest and all(_possessed(question, m) for m in known
                                              if m.medicine_id in known_latest) \
                and any(_surface_in(question, u) for u in unknown):
            # "Is zorvalex safe with my aspirin?": what is asked about is not in the database; the user's own
            # medicine is context, and its label would answer about something else.
            known, own_withheld = [], True
        elif unknown and known_latest and attribute not in _ALONGSIDE_SECTIONS and not REFERS_BACK.search(
                asking := _asking_part(_asking_sentence(question), [m.surface for m in mentions])) and any(
                _surface_in(asking, u) and not _told_as_taken(asking, u) for u in unknown) and not any(
                _find_surface(asking, m.surface) >= 0 for m in known if m.medicine_id in known_latest) \
                and not _LINKED_TO.search(asking):
            # "I take lisinopril and my doctor says I need the shingles vaccine. Any side effects from the shingles
            # shot?": the asking sentence asks of a product the database lacks, its own dose or effects; the
            # medicine said in the statement before it is context, its label about something else.
            known, own_withheld = [], True
        if known and attribute in (None, Attribute.DOSAGE) and GOING_WITHOUT.asked(question):
            # "will miss 3 days of baclofen, pharmacy out of stock": what going without it does (abrupt withdrawal)
            attribute = Attribute.WARNINGS
        elif known and attribute is Attribute.OVERDOSAGE and MISSED_DOSE.asked(question) and not too_much_taken(
                question):
            # "found her morning one still in the pill box - take it now, double up tonight, or skip?": a dose not
            # taken, whose doubling is asked, not too much taken
            attribute = Attribute.DOSAGE
        elif known and attribute is Attribute.DOSAGE and too_much_taken(question) and _AFTER_TOO_MUCH.search(question):
            # "she took another 2 because she couldn't remember ... do we need to do anything or just skip her next
            # dose?": too much was taken; what it does comes before when to take the next
            attribute = Attribute.OVERDOSAGE
        if attribute is None and known:
            attribute = model_guess(question, prior)  # "will this drug exacerbate heart arrhythmias?"
        if attribute is Attribute.DOSAGE and known and asks_of_what_was_told(question) and symptom_words(question) \
                and not _RIGHT_AMOUNT.search(_asking_sentence(question)):
            # "they bumped it to 80mg and since then both my thighs ache ... Is that the higher dose?": the effect of
            # the dose told, not how to dose it (是加量引起的吗)
            attribute = Attribute.ADVERSE_REACTIONS
        # "keep getting thrush down below since Jardiance - is it the medicine?": a symptom one of the label's
        # warnings headings names is answered from the warnings first (app.pipeline.warned_symptom)
        recent_turns = [t.content for t in dialogue if t.role == "user"][-2:]
        # ("a red blotchy rash came up ... Do I keep taking it tonight?": whether to go on asks of the symptom too)
        # (not how long before a procedure to stop: "How many days before I must stop it? or I don't stop?")
        of_symptom = attribute == Attribute.ADVERSE_REACTIONS or (
            attribute in (None, Attribute.DOSAGE) and _CARRY_ON_OR_STOP.search(question) is not None
            and not _HOW_LONG_BEFORE.search(question))
        boxed_first = of_symptom and len(known) == 1 and bool(
            self._warned_symptom(recent_turns, known[0].medicine_id or "", Attribute.BOXED_WARNING))
        warned_first = not boxed_first and of_symptom and len(known) == 1 and bool(
            self._warned_symptom(recent_turns, known[0].medicine_id or ""))
        attribute = Attribute.BOXED_WARNING if boxed_first else Attribute.WARNINGS if warned_first else attribute
        if attribute in _PAIR_ORDER_SECTIONS and len(known) >= 2:
            # the one being considered before the one taken all along ("asthmatic (blue inhaler) ... is ibuprofen
            # ok?"), then the label naming the other (app.pipeline.pair_order) where the pair is what is asked: not
            # an effect asked of one ("can mirabegron put my blood pressure up?"), nor a product beside them, nor a
            # safety question about a condition told ("added pioglitazone to her metformin ... a problem for her
            # heart?")
            if attribute is not Attribute.INTERACTIONS and not any(
                    m.status is MedStatus.STOPPED for m in context.latest() if m.medicine_id in
                    {k.medicine_id for k in known}):
                known = _considered_first(known, context)  # (a switch keeps the order said: "safer than the old one?")
            if not unknown and not _ASKS_ITS_EFFECT.search(_asking_sentence(question)) and (
                    attribute is Attribute.INTERACTIONS or not _health_told(context)):
                known = speaking_first(known, self.index)
        if drinking and len(known) >= 2 and self.index is not None:
            # "吃着头孢克肟和甲硝唑能喝点酒吗": the label that speaks of alcohol first (cefixime's is silent on it)
            known = sorted(known, key=lambda m: not _ALCOHOL_IN_LABEL.search(self._label_text(m.medicine_id or "")))
        queries = self._queries(worded, known, unknown, attribute, background)
        if (records_known and not known and not unknown and not _ASKS_FOR_ANY_MEDICINE.search(question)
                and not context.taken_by_user()):
            queries = []  # "I keep forgetting my tablets": none of theirs is known; no label is chosen by its words
        if silent_note:
            unknown = [f"{u}{silent_note}" if any(product_key(u) == product_key(p) for p in products) else u
                       for u in unknown]
        # A second ask ("... and how much?") queries its own section for each medicine, after the first.
        second = drink_second or procedure_second or (
            Attribute.WARNINGS.value if boxed_first else Attribute.ADVERSE_REACTIONS.value
                                  if warned_first else prior.asks[1] if len(
            prior.asks) > 1 and attribute is not None and prior.top == attribute else None)
        if second == Attribute.OVERDOSAGE.value and MISSED_DOSE.asked(question) and not too_much_taken(question):
            second = None  # "Missed my morning rivaroxaban ... What do I do?": a dose not taken, not too much
        queries += [SearchQuery(q.medicine, second, q.keywords) for q in queries if q.medicine and second]
        # The product as the label names it, asked beside the medicine: the reader quotes the medicine's label
        # only where it speaks of it (its partner mechanism); the word is no medicine of the index, so no
        # label of it is searched.
        queries += [SearchQuery(word, None, word) for word in dict.fromkeys(label_word.values())]
        if known and drinking:
            queries = with_alcohol(queries)
        # "max ibuprofen a day?": the Drug Facts label answers self-care dosing (app.pipeline.otc_choice)
        said = " ".join(t.content for t in dialogue if t.role == "user")
        queries = [self_care_label(q, said, self.lexicon.names.__contains__, self._label_text) for q in queries]
        # "I'm on warfarin, what can I take for a headache?": the medicine named is one taken, the question which
        # medicine to add; the listed ones are checked against it (app.pipeline.indication_search)
        taking = tuple(dict.fromkeys(m.medicine_id for m in context.latest() if m.medicine_id
                                     and m.owner is Owner.USER and m.status in TAKEN))
        # ... also when what they take is not in the database ("I'm on lithium, what can I take for a headache?"):
        # the listed labels are read for its name
        taking_absent = tuple(dict.fromkeys(m.surface for m in context.latest() if not m.medicine_id
                                            and m.owner is Owner.USER and m.status in TAKEN))
        only_taken = bool(known or unknown) \
            and all(m.medicine_id in taking or _said_as_taken(question, m.surface) for m in known) \
            and all(_bare_name(u) in {t.casefold() for t in taking_absent}
                    or _said_as_taken(question, _bare_name(u)) for u in unknown) \
            and asks_medicine_for_condition(question) and not any(
                _find_surface(_asking_sentence(question).split(",")[-1], s) >= 0
                for s in [*(m.surface for m in known), *unknown]) \
            and not (not latest and _IT_AS_SUBJECT.search(question))
        which = condition_asked(question) if (not known and not unknown) or only_taken else None
        if which:
            queries = [SearchQuery(None, Attribute.INDICATIONS.value, condition_search_text(which))]  # 痛风 -> gout
        elif not known and not unknown and asks_which_medicine(question):
            queries = []  # which medicine, for a condition we cannot read: no label chosen at random
        elif not known and (not asked_before or unknown) and (
                kind := _kind_only([m.surface for m in mentions if m.medicine_id is None]) if unknown
                else class_asked(question)) is not None:
            # "I take insulin." ... "how should I store it?": "it" is the kind said before, asked back as for the
            # question naming it, never a medicine the database lacks
            # "can I drink on cephalosporins?": labels differ within a class, ask which (app.pipeline.class_question)
            examples = members(kind, self.lexicon, self.index)
            return Distillation(
                clarify=question_back(kind, examples, self.lexicon.names, self.lexicon.zh_names, has_cjk(question)),
                options=member_options(examples, self.lexicon.names, self.lexicon.zh_names, has_cjk(question)),
                backend="rules", intent=prior.ranked,
                audit={"class_asked": kind.key, "members": examples, "context": context.to_dict(),
                       "attribute": attribute.value if attribute else None})
        elif (records_known and not known and not unknown and not which and not context.latest(len(dialogue))
              and own_medicine_unnamed(question)):
            # "dizzy since I started my new pills", and neither the conversation nor the patient's records
            # name a medicine: which one (app.pipeline.unnamed_medicine)
            return Distillation(clarify=ASK_ZH if has_cjk(question) else ASK_EN, backend="rules", intent=prior.ranked,
                                audit={"unnamed_medicine": True, "context": context.to_dict()})
        return Distillation(
            queries=queries,
            unknown_drugs=unknown,
            backend="rules",
            intent=prior.ranked,
            indication_search=which or "",
            taking=tuple(dict.fromkeys([*taking, *(m.medicine_id for m in known if m.medicine_id)])) if which else (),
            # (each once, as the answer names it: "Priadel (lithium)", not also "priadel")
            taking_absent=tuple(dict.fromkeys([*unknown, *(t for t in taking_absent if t.casefold() not in {
                _bare_name(u) for u in unknown})])) if which else (),
            answering=worded if asked_before else "",
            audit={
                "mentions": [
                    {"surface": m.surface, "medicine_id": m.medicine_id, "how": m.how} for m in mentions
                ],
                "attribute": attribute.value if attribute else None,
                "intent": prior.to_dict(),
                "referred_back": not latest and bool(mentions),
                "own_withheld": own_withheld,
                "context": context.to_dict(),
                "focus": {"scores": focus.scores, "tied": [m.surface for m in focus.tied]} if focus else None,
            },
        )

    @staticmethod
    def _stops_for_a_procedure(dialogue: list[Turn]) -> bool:
        """Whether the asking sentence asks about stopping a medicine and the user said a procedure is coming
        ("CT scan with contrast dye on friday. do i need to stop my metformin?"): what the label says of it,
        not a medicine held because of another one."""
        return _STOP_FOR.search(_asking_sentence(dialogue[-1].content)) is not None and "procedure" in {
            c.name for c in conditions_in(" ".join(t.content for t in dialogue if t.role == "user"))}

    def _not_stopped_now(self, question: str, latest: list[NameMatch], context: ConversationContext) -> list[NameMatch]:
        """The turn's names less those it says were stopped and its asking sentence does not name, when a known
        one that was not stopped is left."""
        stopped = {m.medicine_id for m in context.medicines
                   if m.turn == context.question_turn and m.status is MedStatus.STOPPED}
        asking = _asking_sentence(question)
        if not stopped or _ASKS_STOPPED.search(asking):
            return latest  # "I stopped sertraline and started venlafaxine. How long a gap between them?"
        kept = [m for m in latest if m.medicine_id not in stopped or _find_surface(asking, m.surface) >= 0]
        return kept if len(kept) < len(latest) and any(m.medicine_id for m in kept) else latest

    def _meant_of_named(self, question: str, latest: list[NameMatch], context: ConversationContext
                        ) -> list[NameMatch]:
        """Of the medicines a turn names, those its asking part (the asking sentence's last part, when it names
        none of them) means by kind ("the abx", "the blood thinner") or by what the turn says of them ("the new
        one", "the old one"); all of them when it means none or every one."""
        known = [m for m in latest if m.medicine_id]
        parts = [p for p in _EN_PART.split(_asking_sentence(question)) if p.strip()]
        part = parts[-1] if parts else ""
        if not part or any(_find_surface(part, m.surface) >= 0 for m in known):
            return latest
        kinds = kinds_said(part)
        if kinds and _THIS_WITH_MY.search(_asking_sentence(question)):
            # "Can I take this cold and flu stuff with my blood pressure tablets?": the kind names the one taken
            # beside the product in hand; both are asked
            return latest
        if kinds:
            fit = [m for m in known if any(
                is_of_kind(k, f"{self.lexicon.names.get(m.medicine_id or '', '')} {m.surface}",
                           self.lexicon.classes.get(m.medicine_id or "", ())) for k in kinds)]
            if fit and kinds_as_partner(part):
                # "mum takes warfarin, bisoprolol ... the GP gave her clarithromycin, is that alright with the blood
                # thinner?": the kind is the partner of the one just given, which is asked with it
                given = {m.medicine_id for m in context.medicines if m.turn == context.question_turn
                         and m.status in (MedStatus.NEW, MedStatus.CONSIDERED, MedStatus.ASKED)}
                fit += [m for m in known if m not in fit and m.medicine_id in given]
        elif (word := form_word(part)) is not None and any(said_with_form(question, m.surface, word) for m in known):
            # "I'm on estradiol tablets and progesterone capsules. Should the capsules be taken at bedtime?"
            fit = [m for m in known if said_with_form(question, m.surface, word)]
        elif (first := _WANT_FIRST.search(part)) or _WANT_SECOND.search(part):
            # "ER gave me two scripts: cephalexin and ibuprofen. how many times a day is the second one?": in the
            # order the turn names them ("the latter" of two is the second)
            ordered = sorted(known, key=lambda m: m.start)
            fit = ordered[:1] if first else ordered[1:2]
        elif _WANT_NEW.search(part) or _WANT_OLD.search(part):
            want = {MedStatus.NEW, MedStatus.CONSIDERED} if _WANT_NEW.search(part) else {
                MedStatus.LONG_TERM, MedStatus.CURRENT}
            said = {m.medicine_id: m.status for m in context.medicines
                    if m.turn == context.question_turn and m.status is not MedStatus.ASKED}
            fit = [m for m in known if said.get(m.medicine_id) in want]
        else:
            return latest
        return fit if 0 < len(fit) < len(known) else latest

    def _new_or_old_of_named(self, question: str, latest: list[NameMatch], context: ConversationContext
                             ) -> list[NameMatch]:
        """Of the names a turn says (in the database or not), those "the new one" / "the old one" of its asking
        part means by what the turn says of each; all of them when the part names one or means none or all."""
        part = next(iter(reversed([p for p in _EN_PART.split(_asking_sentence(question)) if p.strip()])), "")
        if not part or any(_find_surface(part, m.surface) >= 0 for m in latest) or not (
                _WANT_NEW.search(part) or _WANT_OLD.search(part)):
            return latest
        if _WANT_NEW.search(part) and _WANT_OLD.search(part):
            return latest  # "can I take the new one with the old one?": both
        want = {MedStatus.NEW, MedStatus.CONSIDERED} if _WANT_NEW.search(part) else {
            MedStatus.LONG_TERM, MedStatus.CURRENT}
        said = {m.surface.casefold(): m.status for m in context.medicines
                if m.turn == context.question_turn and m.status is not MedStatus.ASKED}
        fit = [m for m in latest if said.get(m.surface.casefold()) in want]
        return fit if 0 < len(fit) < len(latest) else latest

    def _the_other(self, question: str, latest: list[NameMatch], context: ConversationContext,
                   question_turn: int) -> list[NameMatch]:
        """"The other one" in a turn that names one of the medicines the user said before: the one it does not
        name, with whatever the sentence asking of the other names beside it; the turn's names when the user
        said no other one, or several."""
        named = {m.medicine_id for m in latest}
        others = [m for m in context.latest(question_turn) if m.medicine_id and m.medicine_id not in named]
        if len({m.medicine_id for m in others}) != 1:
            return latest
        asking = next((s for s in re.split(r"(?<=[.!?;])\s+", question) if _THE_OTHER.search(s)), question)
        if _BESIDE_THE_OTHER.search(asking):
            # "Neurologist added Maxalt. Is the 10 right for me given I'm on the other one?": the other one is taken
            # beside the one named, which is still what is asked about
            return _dedupe([*latest, *_as_matches(others[:1])])
        # "not the ibuprofen, the other one": a name set aside is not asked of (app.pipeline.set_aside)
        kept = [m for m in latest if _find_surface(asking, m.surface) >= 0 and not is_set_aside(asking, m.surface)]
        return _dedupe([*kept, *_as_matches(others[:1])])

    def _the_other_than_kind(self, question: str, context: ConversationContext, question_turn: int,
                             earlier: str = "") -> list[NameMatch]:
        """"The other one" of two medicines said before, the turn setting one aside by its kind ("not asking
        about the beta blocker"): the one not of that kind; none when the kind fits both or neither."""
        asked = class_asked(set_aside_phrases(question))
        said = [m for m in context.latest(question_turn) if m.medicine_id]
        if asked is None:
            # "ibandronate once a month and trospium twice a day." ... "She knows the rules for the monthly one.
            # What about the other one?": the one not said with that schedule
            return _as_matches(_other_than_schedule(question, said, earlier))
        others = [m for m in said if not is_member(asked, m.medicine_id or "", self.lexicon)]
        if len({m.medicine_id for m in others}) != 1 or len(others) == len(said):
            return []
        return _as_matches(others[:1])

    def _offered_of_kind(self, reply: str, asked_back: str) -> list[NameMatch]:
        """The one medicine the question back offered that is of the kind the reply names ("the antibiotic one",
        "the blood thinner"); none when the reply names no kind, or several or none of the offered fit it."""
        kinds = kinds_said(reply)
        if not kinds:
            return []
        offered = [m for m in _dedupe(self.lexicon.find(asked_back)) if m.medicine_id]
        fit = [m for m in offered if any(
            is_of_kind(k, f"{self.lexicon.names.get(m.medicine_id or '', m.surface)} {m.surface}",
                       self.lexicon.classes.get(m.medicine_id or "", ())) for k in kinds)]
        return fit if len(fit) == 1 else []

    def _holds_a_known_medicine(self, mentions: list[NameMatch], text: str) -> bool:
        """Whether a product the database lacks is described as made of a medicine it holds."""
        return any(any(x.medicine_id for x in self.lexicon.find(part))
                   for m in mentions if m.medicine_id is None
                   for part in described_ingredients(self._describe_unknown(m, text)))

    def _own(self, question: str, m: NameMatch, named_now: set[str], context: ConversationContext) -> bool:
        """Whether a medicine of the question is one the user (or the person asked about) takes: "my aspirin",
        or said to be taken in the conversation, this turn included."""
        if m.medicine_id in named_now and _possessed(question, m):
            return True
        return any(c.medicine_id == m.medicine_id and c.status in TAKEN for c in context.latest())

    def _silent_note(self, question: str, known: list[NameMatch], of_one: bool = False) -> str:
        """What the not-in-database notice adds of products (a kind of products; `of_one`: one product) the
        medicines' labels do not name."""
        if CJK.search(question) or self.index is None:
            return ""
        silent = " and ".join(dict.fromkeys(self.lexicon.names.get(m.medicine_id or "", m.surface) for m in known))
        return (f" (the {silent} label{'s do' if len(known) > 1 else ' does'} not mention "
                f"{'it' if of_one else 'them'})")

    def _speaking_of_situation(self, question: str, mentions: list[NameMatch]) -> list[NameMatch]:
        """The medicines whose labels use the question's rarer words (a situation: "cataract", "operation"), most
        first, without those that use them much less (all of them when no label uses any)."""
        if self.index is None:
            return mentions
        names = {t for m in mentions for t in tokenize(m.surface)}
        words = {t for t in tokenize(question) if len(t) > 3 and t not in names and t not in _SITUATION_NOISE}
        labels = {m.medicine_id: frozenset(tokenize(self._label_text(m.medicine_id))) for m in mentions
                  if m.medicine_id}
        used = {w: sum(1 for tokens in labels.values() if w in tokens) for w in words}
        # a word every label uses says nothing of which one the situation concerns
        rare = {w: 1.0 / n for w, n in used.items() if 0 < n < len(labels)}
        score = {mid: sum(weight for w, weight in rare.items() if w in tokens) for mid, tokens in labels.items()}
        if not any(score.values()):
            return mentions
        best = max(score.values())
        kept = [m for m in mentions if m.medicine_id and score.get(m.medicine_id, 0.0) >= best / 2]
        return sorted(kept, key=lambda m: -score.get(m.medicine_id or "", 0.0))

    def _sibling_speaking_of(self, medicine_id: str, topic: re.Pattern[str]) -> str | None:
        """Another product of the same name ("Ibuprofen (OTC)" beside "Ibuprofen") whose label speaks of the topic,
        when this one's does not; None otherwise."""
        if self.index is None or topic.search(self._label_text(medicine_id)):
            return None
        name = _QUALIFIER.sub("", self.lexicon.names.get(medicine_id, "")).strip().casefold()
        siblings = [other for other, said in self.lexicon.names.items() if other != medicine_id and name
                    and _QUALIFIER.sub("", said).strip().casefold() == name]
        return next((other for other in siblings if topic.search(self._label_text(other))), None)

    def _label_text(self, medicine_id: str) -> str:
        if self.index is None:
            return ""
        return " ".join(self.index.chunks[int(r)].text for r in self.index.rows_by_medicine.get(medicine_id, ()))

    def _warned_symptom(self, user_turns: list[str], medicine_id: str,
                        section: Attribute = Attribute.WARNINGS) -> frozenset[str]:
        """The words of a symptom the user's latest turns say that a heading of the label's warnings (or the
        opening of its boxed warning) names."""
        if self.index is None or not medicine_id:
            return frozenset()
        text = " ".join(self.index.chunks[int(r)].text for r in self.index.rows_by_medicine.get(medicine_id, ())
                        if self.index.chunks[int(r)].attribute == section.value)
        name = frozenset(tokenize(f"{medicine_id.replace('-', ' ')} {self.lexicon.names.get(medicine_id, '')}"))
        if section is Attribute.BOXED_WARNING:
            return boxed_symptom(" ".join(user_turns), text, name)
        return warned_symptom(" ".join(user_turns), text, name)

    def _label_names(self, medicine_id: str, products: list[str]) -> str | None:
        """The first word for one of the products that the medicine's label uses where it warns or speaks of
        interactions; None when the label says nothing of them (or there is no label to read)."""
        if self.index is None:
            return None
        text = " ".join(section_text(self.index, medicine_id, a) for a in _PRODUCT_SECTIONS)
        for product in products:
            for word in label_words(product):
                # as said (any spacing or punctuation) ...
                said = re.compile(r"\b" + r"\W+".join(map(_possessive_optional, word.split())) + r"\b", re.IGNORECASE)
                if word in self.index.medicines or not said.search(text):
                    continue
                # ... and as the reader names a partner by its id: the word, else its longest word where the
                # reader's name forms cannot spell it ("St. John's Wort" -> "wort")
                longest: list[str] = sorted((w for w in re.findall(r"[a-z0-9]+", word) if len(w) >= 4), key=len,
                                            reverse=True)
                for reader_id in [word, *longest]:
                    pattern = name_pattern([reader_id.replace("-", " ")])
                    if reader_id not in self.index.medicines and pattern is not None and pattern.search(text):
                        return reader_id
        return None

    def _shorthand_of_several(self, question: str, mentions: list[NameMatch]) -> Distillation | None:
        """A short form of several medicines none of which the question names otherwise, asked back."""
        found = shorthand_of_several(question, lambda name: next(
            (m.medicine_id for m in self.lexicon.find(name) if m.medicine_id), None))
        if found is None or {m.medicine_id for m in mentions} & set(found[1]):
            return None
        names = [self.lexicon.names[mid] for mid in found[1]]
        return Distillation(clarify=f"Which medicine do you mean: {', '.join(names[:-1])} or {names[-1]}?",
                            options=tuple(names), backend="rules",
                            audit={"shorthand_of_several": found[0], "candidates": found[1]})

    def _describe_unknown(self, match: NameMatch, text: str) -> str:
        written = original_case(match.surface, text)
        if match.suggestion:
            return f"{written} (did you mean {match.suggestion}?)"
        generic = self.lexicon.display.get(match.surface)
        if generic and " (" in generic:
            return f"{written} ({generic.split(' (', 1)[1]}"
        english = _english_generic(match.surface)
        # a Chinese name of a medicine the database lacks, as labels name it (钙尔奇 -> calcium carbonate)
        return f"{written}（{english}）" if english else written

    def _inherited_section(self, dialogue: list[Turn], latest: list[NameMatch], question: str) -> Attribute | None:
        """The section the previous question was answered from, for an elliptical one that names another
        medicine and has no cue of its own ("and what about naproxen instead?", "how about Tylenol?"); None
        otherwise."""
        if not latest or not _ELLIPTICAL.search(question) or classify_attribute(question).attribute is not None:
            return None
        before = max((i for i, t in enumerate(dialogue[:-1]) if t.role == "user"), default=None)
        if before is None:
            return None
        said = dialogue[before].content
        if bare_statement(said, [m.surface for m in self.lexicon.find(said) if m.medicine_id]):
            return None  # "I'm on warfarin." was answered "Noted" (app.pipeline.statement): no section to follow
        previous = self.run(dialogue[: before + 1])
        section = previous.audit.get("attribute") if not previous.clarify else None
        return Attribute(section) if isinstance(section, str) else None

    def _attribute(self, dialogue: list[Turn]) -> tuple[Attribute | None, IntentPrior]:
        """The asked section (the intent's first) and the intent prior; an elliptical question ("and for
        children?") without a section of its own asks what the user's previous question asked."""
        question = dialogue[-1].content
        prior = asking_cue_first(question, cue_over_unsure_model(question, self.intent.rank(question)))
        tail = story_tail(question)
        if tail is not None:
            # a long story with the question in its last lines: what those lines ask, where the story's own words
            # ("the fridge door was left open") pulled the section elsewhere
            asked = asking_cue_first(tail, cue_over_unsure_model(tail, self.intent.rank(tail)))
            ranked = dict(asked.ranked)
            best = ranked.get(asked.top or "", 0.0)
            if asked.top is not None and asked.top != prior.top and best >= 0.25 and \
                    ranked.get(prior.top or "", 0.0) <= best / 2:
                prior = asked
        if _CHANGES_THE_ANSWER.search(_asking_sentence(question)):
            # "oh wait I've muddled my boys up, he's only four and a half. does that change things?": a correction
            # asks the previous question again (whatever the correction's own words cue)
            said = next((t.content for t in reversed(dialogue[:-1]) if t.role == "user"), None)
            again = asking_cue_first(said, cue_over_unsure_model(said, self.intent.rank(said))) if said else None
            if again is not None and again.top is not None:
                return Attribute(again.top), again
        if prior.top is not None or not _ELLIPTICAL.search(question):
            return (Attribute(prior.top) if prior.top else None), prior
        for turn in reversed(dialogue[:-1]):
            if turn.role == "user":
                asker, asked_before = question_owner(question), question_owner(turn.content)
                if asker is not None and asked_before is not None and asker is not asked_before:
                    # "can she take her antibiotic with food?" -> "and could I safely take that antibiotic too?":
                    # another person's question asks afresh (whether the user may take it)
                    return None, prior if prior.ranked else NO_INTENT
                previous = classify_attribute(turn.content).attribute
                if previous is not None:
                    return previous, prior
        return None, prior if prior.ranked else NO_INTENT

    def _treats(self, latest: list[NameMatch], condition: Condition) -> bool:
        """Whether the indications of every medicine named in the question name the stated condition."""
        named = [m.medicine_id for m in latest if m.medicine_id]
        said = conditions_in(condition.text) or conditions_in(condition.kind.replace("_", " "))
        words = frozenset(tokenize(_TREATED_WORDS.get(condition.kind, "")))
        if self.index is None or not named or not (said or words) or condition.kind in _NEVER_TREATED:
            return False
        for mid in named:
            tokens = frozenset(tokenize(section_text(self.index, mid, "indications")))
            # a condition with its treated words is named by them ("hypertension"): one word of what was said
            # ("sinus congestion and pressure" for high blood pressure) is no indication of it
            if not (words & tokens if words else any(c.named_in(tokens) for c in said)):
                return False
        return True

    def _resolve(
        self,
        question: str,
        latest: list[NameMatch],
        earlier: list[_TurnMentions],
        attribute: Attribute | None,
        focus: Focus | None,
        context: ConversationContext,
        partners_from_context: bool = False,
        with_food: bool = False,
    ) -> list[NameMatch]:
        """`with_food`: the question (or the one it corrects) names a food or drink the medicine is taken with."""
        # Only the user's turns: an answer of the service may name drugs the user never took or asked about.
        history = [t for t in reversed(earlier) if t.role == "user" and t.matches]
        refers_back = bool(REFERS_BACK.search(question))
        owner = question_owner(question)
        if latest:
            mentions = list(latest)
            # "My husband takes Coumadin and I take metformin. Can my medicine be taken with grapefruit?": the
            # asking sentence says whose medicine; another person's named in the same turn is not asked about.
            owners = {m.medicine_id: m.owner for m in context.medicines if m.turn == context.question_turn}
            theirs = [m for m in mentions if owners.get(m.medicine_id) in (None, owner)]
            if owner is not None and theirs and len(theirs) < len(mentions):
                mentions = theirs
            # "My husband takes metoprolol and our daughter just started Concerta. Could her tablet push up her
            # blood pressure?": the relative the asking sentence speaks of, by the pronoun's gender
            asking_sentence = _asking_sentence(question)
            given = [m for m in mentions if m.medicine_id and _GIVEN_TO_SOMEONE.search(asking_sentence)
                     and m.surface.casefold() in asking_sentence.casefold()]
            if owner is Owner.RELATIVE and given and len(given) < len([m for m in mentions if m.medicine_id]):
                # "My mum has some Tylenol with codeine, can I give him half of one of those?": what is given to
                # him, whoever it belongs to, not his own paracetamol named before
                mentions = [m for m in mentions if m in given or not m.medicine_id]
            elif owner is Owner.RELATIVE and len(mentions) > 1 and not _TOGETHER.search(question):
                person, gender = asked_person(asking_sentence)
                said = {m.medicine_id: (m.person, m.gender) for m in context.medicines
                        if m.turn == context.question_turn}
                # (a medicine said with no person of its own is the one spoken of: "我爸吃华法林好几年了，
                # 最近牙疼想吃布洛芬")
                fits = [m for m in mentions
                        if (said_of := said.get(m.medicine_id, (None, None)))
                        and ((person is not None and said_of[0] == person)
                             or (person is None and gender is not None and said_of[1] == gender)
                             or (m.medicine_id in said and said_of == (None, None)))]
                known_here = [m for m in mentions if m.medicine_id]
                if fits and len(fits) < len(known_here):
                    # (a product the database lacks stays: "Can my husband take St. John's wort with his ...?")
                    mentions = [m for m in mentions if m in fits or not m.medicine_id]
            # "... what about with potassium supplements?": a product the database lacks needs the medicine taken
            # (nor a food or drink the question names beside a medicine the user takes: "is the simvastatin ok
            # with grapefruit juice?" asks of the juice, not of the amlodipine on the same list)
            # (products the database lacks only, however many: "tea of manzanilla (chamomile)" names one twice)
            wants_partner = attribute is Attribute.INTERACTIONS and (
                len(latest) == 1 or refers_back or not any(m.medicine_id for m in latest)) \
                and (not partners_from_context or not any(m.medicine_id for m in latest)) \
                and not (any(m.medicine_id for m in latest) and with_food) \
                and not (any(m.medicine_id for m in latest) and asks_alcohol(question))  # the drink is the other
            # "If I'm allergic to penicillin, can I take it?": the only name here is not in the database,
            # and "it" is the drug named before.
            only_unknown = refers_back and not any(m.medicine_id for m in latest) and not (
                attribute not in (None, Attribute.INTERACTIONS) and _named_before_it(question, latest))
            if only_unknown and focus is None and history:
                mentions += _as_matches(resolve_focus(question, context, len(earlier)).chosen)
            elif wants_partner and history:
                # "Does her medicine interact with fish oil?": the partner is the medicine the question means,
                # scored as "it" would be (whose, how new), not every medicine of the last turn naming one.
                meant = resolve_focus(question, context, len(earlier)).chosen
                # "Can I take ibuprofen with the blood thinner?" after three taken: the one of that kind
                by_kind = focus_by_kind(question, Focus(meant), context, len(earlier), self.lexicon.names,
                                        self.lexicon.classes)
                meant = by_kind.chosen if by_kind is not None and by_kind.chosen else meant
                # "I used to take atorvastatin." ... "Now I'm on rosuvastatin instead. Does it interact with
                # anything?": a medicine the user stopped is no partner, unless the question takes it with "it"
                with_it = re.search(r"\bwith (?:it|that|this|them)\b", question, re.IGNORECASE) is not None
                # the same person's: not the user's warfarin beside the husband's tramadol
                askers: set[tuple[Owner, str | None]] = {
                    (m.owner, m.person) for m in context.medicines
                    if m.turn == context.question_turn and m.medicine_id in {n.medicine_id for n in latest}
                    and m.medicine_id and m.owner is not Owner.USER}  # (the user's is the default: unsaid)
                if not askers and owner is Owner.USER:
                    # "My son takes Adderall." ... "I was just prescribed sertraline. Any interactions?": the
                    # user's own medicines, not the son's
                    askers = {(Owner.USER, None)}
                meant = [m for m in meant if not askers or (m.owner, m.person) in askers]
                mentions += _as_matches([m for m in meant if with_it or m.status is not MedStatus.STOPPED]) \
                    if meant else ([] if askers else history[0].matches)
        elif focus is not None and focus.chosen:
            # "it", "the new one", "my own medicine": scored against what the user said of each medicine.
            mentions = _as_matches(focus.chosen)
            if attribute is Attribute.INTERACTIONS and len(mentions) == 1 and not with_food:
                chosen = {m.medicine_id for m in mentions}
                whose = {(m.owner, m.person) for m in focus.chosen}
                # The other medicine of the pair is the same person's: not the husband's warfarin for "my medicine",
                # nor the daughter's for the mother's.
                # (nor one they stopped: "I stopped simvastatin and started rosuvastatin." ... "Can I drink
                # grapefruit juice now?" asks of the rosuvastatin alone)
                others = [m for m in context.latest(len(earlier)) if m.medicine_id and m.medicine_id not in chosen
                          and (m.owner, m.person) in whose and m.status is not MedStatus.STOPPED]
                mentions += _as_matches(others[:1])
        else:
            mentions = []
        # "Not the warfarin, the other one - can I eat grapefruit?": a medicine the turn sets aside is no partner
        # either (app.pipeline.set_aside)
        kept = [m for m in mentions if not is_set_aside(question, m.surface)]
        if len(kept) < len(mentions) and any(m.medicine_id for m in kept):
            mentions = kept
        if _ANY_OF_THEM.search(question) and len([m for m in mentions if m.medicine_id]) > 1:
            # "Does anything on that list matter for the cataract operation?": the labels that speak of it first
            mentions = self._speaking_of_situation(question, mentions)
        return _taken_last(question, _fewest_asked_first(_dedupe(mentions), context, self.max_medicines))

    def _queries(
        self,
        question: str,
        known: list[NameMatch],
        unknown: list[str],
        attribute: Attribute | None,
        background: list[str] | None = None,
    ) -> list[SearchQuery]:
        drug_surfaces = {m.surface.casefold() for m in known} | {u.casefold() for u in unknown}
        words = [w for w in content_words(question) if w.casefold() not in drug_surfaces]
        attr_words = ATTRIBUTE_LABELS[attribute] if attribute else ""
        if not known:
            if unknown or not _ASKS_FOR_MEDICINES.search(question):
                # No medicine named or referred to, and not asking which medicines: a label chosen by
                # the question's other words would be about a medicine nobody asked about.
                return []
            keywords = " ".join(dict.fromkeys([*words, attr_words])).strip()
            return [SearchQuery(None, attribute.value if attribute else None, keywords or question.strip())]
        queries = []
        for m in known:
            assert m.medicine_id is not None
            partners = [self.lexicon.names.get(o.medicine_id or "", o.surface) for o in known if o is not m]
            partners += unknown if attribute is Attribute.INTERACTIONS else []
            name = self.lexicon.names.get(m.medicine_id, m.surface)
            parts = [name, *partners, *words, *(background or []), attr_words]
            keywords = " ".join(dict.fromkeys(p for p in parts if p)).strip()
            queries.append(SearchQuery(m.medicine_id, attribute.value if attribute else None, keywords))
        return queries


def _bare_name(unknown: str) -> str:
    """An unknown product's name as said: "Priadel (lithium)" -> "priadel"."""
    return unknown.split(" (")[0].casefold()


def _effect_in_a_child(question: str, kind: str, prior: IntentPrior) -> bool:
    """Whether a question about a child asks of an effect the model and the cue words agree on ("runny poos 5
    times today. keep going with her syrup or stop?": the warnings), not the use in children."""
    if kind != "child_age" or prior.top not in (Attribute.WARNINGS.value, Attribute.ADVERSE_REACTIONS.value):
        return False
    cued = classify_attribute(question, min_score=CUE_OVER_UNSURE_MODEL).attribute
    return cued is not None and cued.value == prior.top
