"""Read (extractive): answer only with sentences quoted from the selected evidence, each one cited.

No model is involved, so nothing can be invented: when the evidence does not bear on the question the
reader says the database has no evidence; when the drug is not in the database it says so.

Sentences are scored by the question's terms weighted by their rarity among the candidate sentences
(a drug's own name is everywhere in its label and counts for little; the partner drug of an interaction
question is rare and counts for much), plus a prior for the asked section and for earlier evidence.
"""

from __future__ import annotations

import math
import re
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from app.config import ReadSettings
from app.enums import Status
from app.pipeline import phrases
from app.pipeline.compose import (
    MAX_SENTENCE,
    Quote,
    compose,
    drug_facts_sentences,
    label_sentences,
    lead_line,
    nothing_listed,
    strip_references,
)
from app.pipeline.context import REFERS_BACK, TAKEN, ConversationContext
from app.pipeline.drink_words import ALCOHOL
from app.pipeline.held_in_combinations import combinations_holding, held_notice
from app.pipeline.ingestion import too_much_taken
from app.pipeline.label_cache import combined_with
from app.pipeline.label_prefetch import chunk_sentences
from app.pipeline.pair_order import speaks_of
from app.pipeline.read_brand import asked_brand, brand_notice, label_brand
from app.pipeline.read_cues import (
    ANIMAL_TOXICITY,
    DELAYED_EFFECT_WORDS,
    LIMITATION_PENALTY,
    NOT_HEALTH,
    OVERDOSE_SIGN_WORDS,
    QUESTION_NOISE,
    SAFETY_CONDITIONS,
    Condition,
    age_ranges,
    animal_penalty,
    asks_about_animals,
    asks_effect,
    asks_if_what_was_told_is_right,
    asks_of_what_was_told,
    asks_signs,
    asks_switching,
    conditions_in,
    for_other_ages,
    fragment,
    headline_fit,
    key_sentence,
    limitation_of_use,
    noise_penalty,
    on_unnamed_event,
    overdose_condition,
    overdose_fit,
    own_medicines,
    points_back,
    population_fit,
    question_expansions,
    refers_elsewhere,
    said_ages,
    said_expansions,
    said_temperatures,
    seems_fine,
    specialty_expansions,
    stops_for_an_event,
    switching_line,
    trial_design,
    untreated,
    warns_against,
)
from app.pipeline.read_dose import (
    HANDLING,
    DosePlan,
    asks_dose,
    asks_handling,
    dose_line,
    dose_plan,
    handling_line,
    indication_rows,
    missed_dose,
    recovered_rows,
    without_denied,
)
from app.pipeline.read_fallback import LabelSentence, fallback_notice, rank_fallback
from app.pipeline.read_form import form_notice
from app.pipeline.read_gravity import (
    GRAVE_SECTIONS,
    asks_cautions,
    asks_gravity,
    cautions_section,
    driving_section,
    gravest_section,
    named_section,
)
from app.pipeline.read_missed import (
    MISSED_DOSE,
    STOPPING,
    SURGERY,
    SilentTopic,
    lead_shift,
    silent_topic,
    speaks_to_asked,
    topics_asked,
)
from app.pipeline.read_partner import (
    ASKS_ALLERGY,
    CONSEQUENCE,
    EXTRA_CLASSES,
    NAMED_BONUS,
    PARTNER_LEAD_CHARS,
    classes_asked,
    decisiveness,
    described_ingredients,
    enzyme_inhibitor_patterns,
    extra_classes,
    list_excerpt,
    own_classes,
    partner_weight,
    reaction_to_partner,
    risk_list_excerpt,
    silent_partner_notice,
    unknown_partner,
)
from app.pipeline.read_population import PopulationPlan, child_asked, population_plan
from app.pipeline.read_renal import clearance_fit, said_clearance
from app.pipeline.read_runon import section_groups
from app.pipeline.read_strength import counts_tablets, mg_ceiling, strength_fit, strength_mismatch, strength_notice
from app.pipeline.read_table import HeadedRows, headed_rows, section_texts, with_labels
from app.pipeline.read_table_pointer import missing_table_notice, table_missing, table_pointed_to
from app.pipeline.read_topic import (
    LABEL_WORD,
    NO_TOPIC,
    TOPIC_BONUS,
    carries,
    changes_topic,
    situation_asked,
    topic_elsewhere,
    topic_of,
)
from app.pipeline.retrieve import query_text
from app.pipeline.sentence_similarity import SentenceSimilarity
from app.pipeline.state import (
    Citation,
    Evidence,
    Notice,
    NoticeKind,
    ReadRequest,
    ReadResult,
    SearchQuery,
    Turn,
    TurnState,
)
from app.pipeline.synonyms import drug_synonyms
from app.pipeline.withdrawn import withdrawn_notices
from app.records.interactions import (
    DRUG_CLASSES,
    NOT_BY_MENTIONS,
    declared_class_keys,
    links_for,
    name_class_keys,
    name_forms,
    name_pattern,
    with_parents,
)
from app.text_input import for_matching
from indexing.schema import ATTRIBUTES, Attribute, Chunk
from indexing.store import SearchIndex
from indexing.text import sentences, tokenize
from indexing.vocabulary import CJK_CHAR, CLASS_EFFECT_WORDS, DOSE_FORM_WORDS, SALT_WORDS, base_name

NO_EVIDENCE = "The medicine database has no evidence that answers this question."
_LEADING_REF = re.compile(r"^(\(\s*[\d.,\s]+\)\s*)+")
_MIN_SENTENCE = 25
# A Chinese character carries about a word: "遮光，密封保存。" is a whole sentence.
_MIN_SENTENCE_CJK = 6
_MAX_PIECE = 320
# Salt and form words in medicine names say nothing about which sentence answers a question.
_NAME_NOISE = SALT_WORDS | DOSE_FORM_WORDS


def pieces(sentence: str, limit: int = _MAX_PIECE) -> list[str]:
    """Long 'sentences' (flattened tables, run-on lists) are quoted as word-aligned windows that overlap
    by half, so whatever a question asks about sits well inside at least one of them."""
    if len(sentence) <= limit:
        return [sentence]
    words = sentence.split(" ")
    starts = [0]
    pos = 0
    for w in words:
        pos += len(w) + 1
        starts.append(pos)
    out: list[str] = []
    first = 0
    while first < len(words):
        last = first
        while last < len(words) and starts[last + 1] - starts[first] - 1 <= limit:
            last += 1
        last = max(last, first + 1)
        out.append(" ".join(words[first:last]))
        if last >= len(words):
            break
        half = starts[first] + (starts[last] - starts[first]) // 2
        first = max(first + 1, next(i for i in range(first, last + 1) if starts[i] >= half))
    return out


def _safety_group_first(groups: list[tuple[str, list[Quote]]], own: set[str]) -> list[tuple[str, list[Quote]]]:
    """The asked medicine's lines lead, unless none of them is a safety item and the label of a medicine the
    user takes warns about it: "I take lisinopril, can I take naproxen?" reads lisinopril's NSAID paragraph
    before naproxen's general side-effect lines."""
    if len(groups) < 2 or any(q.safety for q in groups[0][1]):
        return groups
    warned = next((g for g in groups[1:] if g[1] and g[1][0].medicine_id in own and any(q.safety for q in g[1])), None)
    if warned is None:
        return groups
    return [warned] + [g for g in groups if g is not warned]


_PAIR_SECTIONS = frozenset({"interactions", "contraindications", "warnings", "boxed_warning"})


def _speaking_group_first(groups: list[tuple[str, list[Quote]]],
                          index: SearchIndex | None) -> list[tuple[str, list[Quote]]]:
    """Of two medicines' lines, those of the label that speaks more strongly of the other lead when they carry a
    safety item: "I take Xanax ... itraconazole, any issue?" reads alprazolam's contraindication of itraconazole
    before itraconazole's general lines (app.pipeline.pair_order)."""
    if index is None or len(groups) != 2 or not groups[0][1] or not groups[1][1]:
        return groups
    first, second = groups[0][1][0].medicine_id, groups[1][1][0].medicine_id
    if first == second or not any(q.safety for q in groups[1][1]):
        return groups
    if speaks_of(index, second, first) > speaks_of(index, first, second):
        return [groups[1], groups[0]]
    return groups


# How long before a procedure to stop: "how long before?", "how many days before the op", 提前几天停
_WHEN_TO_STOP = re.compile(r"\bhow (?:long|many days|many hours|far ahead|soon) (?:before|beforehand|ahead|prior)\b|"
                           r"\bhow (?:long|many days)\b[^?]{0,40}\b(?:before|beforehand|prior)\b|"
                           r"\bwhen (?:should|do|must) (?:i|he|she|we) stop\b|提前几天|提前多久|提前多长时间|术前几天",
                           re.I)
_BOTH = re.compile(r"\b(?:both|the two|them together|together)\b|两个|一起|同时", re.IGNORECASE)


# A double dose asked ("took it twice", "an extra one"): a label's "do not double the next dose" answers it.
_DOUBLED_ASKED = re.compile(r"\btwice\b|\bdoubl|\bextra (?:dose|one|pill|tablet|capsule)|\btwo doses\b|"
                            r"\banother (?:dose|one|pill|tablet)\b|\b(?:took|taken|had) (?:it|one|them) again\b|"
                            r"吃了两次|服了两次|多吃|多服|两倍|双倍|重复", re.I)
_DOUBLING = re.compile(r"\bdoubl|\bmissed\b|\bmiss a dose\b|\btwo doses\b|\bextra dose", re.I)


# Situations a question states that a label's lines may speak of, which then answer "what should I know?"
_SITUATIONS = frozenset({"procedure", "driving"})  # (not "diet": "can barely eat" states no food question)
# What to do now about the dose said missed in the turn before ("do it now or wait?", "skip it?", "still take it?")
_NOW_OR_WAIT = re.compile(r"\b(?:now|wait|still|skip|tonight|tomorrow|later|late|catch up|double|next one|next dose)\b|"
                          r"现在|等到|补|跳过|下次", re.I)
_WHEN_IT_HAPPENED = frozenset(tokenize("hour hours minutes ago morning evening night today yesterday week last earlier "
                                       "tonight"))


def _on_too_much(chosen: list[_Scored], attribute: str | None, question: str) -> list[_Scored]:
    """An overdose or ingestion read (the overdosage section asked, app.pipeline.ingestion): a line about a missed
    or doubled dose only where the question says a dose was doubled ("my 3 year old swallowed two of my metoprolol"
    quoted "If a dose is missed, the patient should take only the next scheduled dose")."""
    if attribute != "overdosage" or _DOUBLED_ASKED.search(question):
        return chosen
    kept = [s for s in chosen if s.safety or not _DOUBLING.search(s.sentence.text)]
    return kept or chosen


# (not the minerals and ions a question may ask about: "with my calcium", "potassium", "a low sodium diet")
_SALT_TOKENS = frozenset(t for w in SALT_WORDS for t in tokenize(w)) - frozenset(tokenize(
    "calcium magnesium potassium sodium chloride phosphate nitrate mononitrate lactate citrate sulfate sulphate "
    "bromide"))
def _too_much_first(chosen: list[_Scored], attribute: str | None) -> list[_Scored]:
    """What too much does ahead of the other sections' lines (after the safety items), which otherwise follow the
    label's order, when the best line says it: "my toddler swallowed 5 of my amlodipine" reads the overdosage
    before the dosing. (Other questions keep the label's order: a warning before the side-effect lists.)"""
    best = max((s for s in chosen if not s.safety), key=lambda s: s.score, default=None)
    if attribute != "overdosage" or best is None or best.sentence.attribute != attribute:
        return chosen
    return sorted(chosen, key=lambda s: (not s.safety, s.safety or s.sentence.attribute != attribute))


def taken_unlisted(conversation: ConversationContext | None, queries: list[SearchQuery]) -> list[str]:
    """Medicines the user said in earlier turns they take that the database lacks, which an interaction query
    of this turn names as the other medicine (the distiller's background words)."""
    if conversation is None:
        return []
    searched = " ".join(q.keywords.casefold() for q in queries if q.attribute == "interactions")
    return list(dict.fromkeys(m.surface for m in conversation.medicines
                              if m.medicine_id is None and m.status in TAKEN and m.turn < conversation.question_turn
                              and m.surface.casefold() in searched))


def unknown_drug_answer(names: list[str]) -> ReadResult:
    listed = ", ".join(dict.fromkeys(names))
    text = (
        f"{listed} is not in the medicine database, so I cannot answer from its label. "
        "Please ask a pharmacist or doctor."
    )
    return ReadResult(text, [], Status.UNKNOWN_DRUG, audit={"unknown_drugs": names})


# Popular chunks come back request after request; splitting and stemming them again was ~8% of the
# samples py-spy took of a serving process answering chats.
@lru_cache(maxsize=8192)
def quotable_sentences(text: str, lang: str) -> tuple[tuple[int, str, frozenset[str]], ...]:
    """(source sentence number, quotable piece, its tokens) for every piece of a chunk worth quoting."""
    out = []
    for source, raw in enumerate(sentences(text)):
        for piece in pieces(clean_sentence(raw)):
            minimum = _MIN_SENTENCE_CJK if CJK_CHAR.search(piece) else _MIN_SENTENCE
            if len(piece) >= minimum and any(ch.isalpha() for ch in piece):
                out.append((source, piece, frozenset(tokenize(piece, lang))))
    return tuple(out)


@lru_cache(maxsize=65536)
def sentence_tokens(text: str, lang: str) -> frozenset[str]:
    """A label sentence's tokens: the same sentences come back turn after turn (half the pool's time)."""
    return frozenset(tokenize(text, lang))


def clean_sentence(sentence: str) -> str:
    return _LEADING_REF.sub("", sentence).strip()


def partner_ids(request: ReadRequest) -> tuple[str, ...]:
    """Medicines in focus because the user takes them, not because they asked about them."""
    return tuple(p.medicine_id for p in request.partners)


def own_in_question(state: TurnState) -> tuple[str, ...]:
    """The medicines the question names as already taken, beside one it asks about (read_cues.own_medicines)."""
    question = for_matching(state.question)
    mentions = [(m.medicine_id, m.surface) for m in state.lexicon.find(question) if m.medicine_id]
    # a medicine the turn means by "it", "the new one", 这个药 (resolved by the distiller), not a partner taken
    named = {mid for mid, _ in mentions} | {p.medicine_id for p in state.partners}
    # (a medicine of the database: not the drink asked beside it, "is it true I can't have wine?")
    held = state.index.medicines if state.index is not None else {}
    referred = frozenset(q.medicine for q in state.queries if q.medicine and q.medicine not in named
                         and q.medicine in held) if REFERS_BACK.search(question) else frozenset()
    return tuple(sorted(own_medicines(question, mentions, referred)))


def named_in_question(state: TurnState) -> tuple[str, ...]:
    """The medicines the question's own words name by the lexicon (a brand of its table, a misspelling), which
    a label's name and aliases may not: "can I take nurofen with it?" names ibuprofen."""
    found = state.lexicon.find(for_matching(state.question))
    return tuple(dict.fromkeys(m.medicine_id for m in found if m.medicine_id))


def recorded_conditions(request: ReadRequest) -> tuple[str, ...]:
    return tuple(request.patient.conditions) if request.patient is not None else ()


class Reader(ABC):
    """The read stage: an answer from the selected evidence (and the patient's records, for a reader that
    uses them). Subclasses implement `read`; the stage's bookkeeping is shared."""

    name = "read"
    kind: str  # "extractive" | "llm" | ...: recorded as the answer's reader

    @abstractmethod
    def read(self, request: ReadRequest) -> ReadResult: ...

    @abstractmethod
    def to_dict(self) -> dict[str, Any]: ...

    def run(self, state: TurnState) -> None:
        distilled = state.distilled
        if distilled.clarify and not distilled.queries:
            result = ReadResult(distilled.clarify, [], Status.CLARIFY)
        elif distilled.unknown_drugs and not distilled.queries and not state.request.images:
            result = unknown_drug_answer(distilled.unknown_drugs)
        else:
            queries = distilled.queries
            if any(q.attribute == "interactions" for q in queries):
                # A medicine the database lacks is still the other medicine of an interaction question ("I take
                # lithium. Is naproxen ok?"): the known label is read for what it says of it, by name.
                have = {q.medicine for q in queries}
                # (its keywords keep how the distiller described it: what a combination is made of is read too)
                # (and one said in an earlier turn, which the distiller searched beside the asked medicine: "I take
                # lithium." ... "Can I take naproxen for my back?")
                unlisted = [*distilled.unknown_drugs, *taken_unlisted(state.conversation, queries)]
                queries = queries + [SearchQuery(name, None, said) for name, said in {
                    unknown_partner(u): u for u in reversed(unlisted)}.items()
                    if name and name not in have]
            on_token = None
            if state.observer is not None:
                def on_token(text: str) -> None:
                    state.emit("token", {"text": text})
            result = self.read(ReadRequest(state.question, state.dialogue, queries, state.selected,
                                           state.patient, list(state.request.images), on_token=on_token,
                                           index=state.index, intent=distilled.intent,
                                           partners=list(state.partners),
                                           own=own_in_question(state), named=named_in_question(state)))
        unlisted_only = (distilled.unknown_drugs and not result.citations
                         and bool(result.audit.get("read", result.audit).get("silent_on_unlisted")))
        if unlisted_only:
            # only a product the database lacks, which the other label does not name: "not in the database",
            # with the notice that the label is silent on it (not "no evidence" about a question it can't answer)
            result = replace(unknown_drug_answer(distilled.unknown_drugs), notice=result.notice)
        result.reader = self.kind
        state.reading = result
        cited = list(dict.fromkeys(c.medicine_id for c in result.citations))
        names = state.lexicon.names
        for text in withdrawn_notices([(m, names.get(m, m)) for m in cited],
                                      phrases.language_of(state.question) == "zh"):
            state.notices.append(Notice(NoticeKind.WITHDRAWN, text))
        if result.notice:
            state.notices.append(Notice(NoticeKind.READER, result.notice))
        if result.status is Status.UNKNOWN_DRUG and (held := combinations_holding(distilled.unknown_drugs,
                                                                                  state.index)):
            # "dextromethorphan": no label of its own, but inside cold remedies the user may be holding
            state.notices.append(Notice(NoticeKind.READER, held_notice(
                held, phrases.language_of(state.question) == "zh")))
        counted = [(names.get(c.medicine_id, c.medicine_id), c.quote,
                    " ".join(ch.text for ch in _label_chunks(c.medicine_id, state.index)))
                   for c in result.citations if counts_tablets(c.quote)]
        if counted and (strength := strength_notice(state.question, counted, phrases.language_of(state.question))):
            state.notices.append(Notice(NoticeKind.READER, strength))  # "Dolo 650" read from a 325 mg label
        user_text = " ".join(t.content for t in state.dialogue if t.role == "user")
        if form := form_notice(state.conversation, cited, user_text,
                                lambda mid: state.lexicon.routes_of(mid), lambda mid: names.get(mid, mid)):
            state.notices.append(Notice(NoticeKind.READER, form))  # "fentanyl patch" read from an injection's label
        if distilled.unknown_drugs and distilled.queries and not unlisted_only:
            state.notices.append(Notice(NoticeKind.UNKNOWN_DRUG,
                                        f"Not in the database: {', '.join(distilled.unknown_drugs)}."))


def _written_in_label(name: str, mid: str, index: SearchIndex | None) -> bool:
    """Whether the label of `mid` writes the name (of a medicine or a product the database lacks) anywhere."""
    pattern = name_pattern([name.replace("-", " ")])
    return pattern is not None and any(pattern.search(c.text) for c in _label_chunks(mid, index))


def _label_sections(mid: str, pool: list[_Sentence], index: SearchIndex | None) -> frozenset[str]:
    """The sections the medicine's label has (the index's entry, else what the pool holds of it)."""
    if index is not None and mid in index.medicines:
        return frozenset(index.medicines[mid].attributes)
    return frozenset(s.attribute for s in pool if s.medicine_id == mid)


# The least best lexical score scaled to 3: about one question word of middling rarity, once.
_LEXICAL_FLOOR = 1.0
# What a boxed warning's first sentence gains (its second half that, ...): retrieval rank and chunk similarity
# among a short box's chunks are chance when the question names only the box.
_BOXED_LEAD = 1.0
# A boxed warning's first sentences (a label without one: its warnings') that lead an answer about how grave its
# risks are or what to watch out for (read_gravity).
# Sections whose sentences what the medicine treats does not pick (the purpose told is background there).
_NOT_BY_WHAT_IT_TREATS = frozenset({"overdosage", "warnings", "boxed_warning", "adverse_reactions"})
_GRAVE_LEAD = 2
# Sections a safety item may come from.
_CEILING_SECTIONS = frozenset({"warnings", "boxed_warning", "dosage"})
_NOT_FOR_RANGE = re.compile(r"\bnot recommended\b|\bdo not (?:use|start|initiate)\b|\bcontraindicated\b", re.I)
# What stopping does: "Discontinuation of clopidogrel increases the risk of cardiovascular events."
_STOPPING_RISK = re.compile(r"\b(?:discontinu\w+|stopping|cessation|interrupt\w*)\b[^.]{0,80}?\bincreas\w* (?:the )?"
                            r"risk\b", re.I)
_STOPPING_RISK_BONUS = 5.0
_DIET_WORDS = re.compile(r"\bdiet\w*|\bfoods?\b|\bvitamin k\b|\bgrapefruit|\bleafy\b|\bvegetables?\b|\btyramine\b|"
                         r"\bcheeses?\b", re.I)
_DIET_BONUS = 2.0
# Conditions a label doses by: for a dose question they choose the row, they put no warning first.
_DOSED_BY = frozenset({"kidney", "liver"})
_SAFETY_SECTIONS = ("boxed_warning", "contraindications", "interactions", "warnings")
# The asked section's prior when the question says nothing of it and its own topic is in another section.
_TOPIC_ELSEWHERE_PRIOR = 0.3
# The prior of the indications when no section was asked and the question's words point elsewhere.
_GUESSED_PRIOR = 0.8
# What the answer spends besides the quotes: a citation mark per quote (" [3]"), and a lead line per medicine
# ("Metoprolol (DailyMed label), contraindications:"), which is not counted: on answers_tune counting 20-60
# characters for it cut a key fact from 3-4 answers more than it shortened the median answer.
_LEAD_CHARS = 0
_MARK_CHARS = 5
# A safety item that says what not to do.
_DIRECTIVE = re.compile(r"\bcontraindicated\b|\bdo not (?:use|take|give)\b|\bavoid\b|"
                        r"\bshould not be (?:used|given|taken)\b|"
                        # "Warn patients against excessive alcohol intake"
                        r"\b(?:warn|caution|counsel|advise)\w* (?:\w+ ){0,2}?against\b", re.IGNORECASE)
_DIRECTIVE_BONUS = 2.0
# How much better than the first sentence in reading order the best one must answer to be quoted first.
_LEADS_BY = 1.3
# A contraindication naming the condition the user stated ("I had a heart attack" -> "contraindicated in patients
# with: ischemic coronary artery disease ... history of myocardial infarction") before a warning that says it again.
_CONTRAINDICATES_BONUS = 1.5
# What a sentence of the asked or a related section gains by the label's word for the patient's ("long term" ->
# long-term, "beach" -> photosensitivity): the warning that answers beats the asked section's generic key sentence.
_LABEL_WORD_BONUS = 1.0
# A line of amounts, for a question about handling a dose (crushing it, staying upright after it): what it loses,
# and what a line on handling it gains.
_AMOUNT_WHEN_HANDLING = 1.0
# Safety items shown first at most (each within the character budget).
_MAX_SAFETY = 3
# What a line speaking of the missed dose or the drink a question is wholly about gains (read_missed): more than a
# dose line's maximum and frequency gains (read_dose), so "take the next dose at the usual time" leads.
_TOPIC_LEAD = 3.0
# Sections asked for what a medicine does: their headline sentences lead (read_cues.headline_fit).
_EFFECT_ASKS = ("warnings", "adverse_reactions", "boxed_warning")
_IS_IT_SAFE = re.compile(r"\b(?:is|are) (?:it|they|this|that|these)(?: \w+)? (?:safe|ok|okay|alright|all right)\b|"
                         r"\bsafe for (?:him|her|them|me|someone|a person|an? (?:older|elderly))\b", re.IGNORECASE)
# Sections close to an asked one: read when the asked one says little or is missing.
_RELATED: dict[str, tuple[str, ...]] = {
    "pregnancy": ("boxed_warning", "specific_populations", "warnings", "contraindications"),
    "lactation": ("specific_populations", "warnings", "pregnancy", "contraindications"),
    "pediatric": ("dosage", "specific_populations", "warnings"),
    "geriatric": ("specific_populations", "dosage", "warnings"),
    "specific_populations": ("pregnancy", "lactation", "pediatric", "geriatric", "warnings"),
    "dosage": ("pediatric", "dosage_forms", "patient_counseling"),
    "interactions": ("warnings", "contraindications", "patient_counseling"),
    "contraindications": ("warnings", "boxed_warning"),
    "warnings": ("boxed_warning", "contraindications", "patient_counseling", "adverse_reactions"),
    "adverse_reactions": ("warnings", "patient_counseling", "boxed_warning"),
    "storage": ("dosage_forms", "patient_counseling"),
    "indications": ("description", "pharmacology"),
    # too much taken, of a label without an overdosage section: what its warnings say it does (hypoglycaemia)
    "overdosage": ("warnings", "patient_counseling", "adverse_reactions", "boxed_warning"),
}


@dataclass
class Ranked:
    """What the reader chose: (lead line, quotes) per medicine, the missing-section notice, the audit."""

    groups: list[tuple[str, list[Quote]]]
    notice: str
    audit: dict[str, Any]


class QueryVectors(Protocol):
    """The retriever's query-embedding cache (app.pipeline.retrieve.QueryEmbeddingCache)."""

    def get(self, text: str) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class _PartnerPatterns:
    """How a label may speak of the other medicine of an interaction question."""

    names: tuple[re.Pattern[str], ...]  # its names and its classes ("NSAIDs")
    effect: re.Pattern[str] | None  # what its classes add ("bleeding")
    named: re.Pattern[str] | None = None  # its own names only

    def names_in(self, text: str) -> bool:
        return any(p.search(text) for p in self.names)

    def named_in(self, text: str) -> bool:
        return self.named is not None and self.named.search(text) is not None

    def effect_in(self, text: str) -> bool:
        return self.effect is not None and self.effect.search(text) is not None


# "... at least 4 hours apart from these agents": the agents of the sentence before
# (an instruction: how far apart, before or after; not "serotonin syndrome can also occur when these drugs are
# used alone", which says nothing without the sentence before)
_THESE_AGENTS = re.compile(r"\b(?:apart|before|after|within|separate\w*)\b[^.]{0,40}\b(?:these|those|such) "
                           r"(?:agents|drugs|medications|medicines|products|binders)\b", re.IGNORECASE)
_LIST_ITEM = re.compile(r"(?:take|have|are|use|had|get)\b", re.IGNORECASE)
_NOT_FOR_A_CHILD = re.compile(r"\bdo not (?:use|give)\b|\bnot (?:be )?(?:used|given|recommended)\b|"
                              r"\bcontraindicated\b", re.IGNORECASE)
_CHECKED_SECTIONS = frozenset({"boxed_warning", "contraindications", "warnings", "interactions"})


def _only_others_of_shared(partner: _PartnerPatterns, mine: set[re.Pattern[str]]) -> _PartnerPatterns:
    """The partner's patterns with each class the label's medicine is in too read as "other <class>" only."""
    shared = [p for p in partner.names if p in mine and p is not partner.named]
    if not shared:
        return partner
    names = tuple(_other_of(p) if p in shared else p for p in partner.names)
    return _PartnerPatterns(names, partner.effect, partner.named)


@lru_cache(maxsize=256)
def _other_of(pattern: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:other|another)\s+(?:" + pattern.pattern + ")", pattern.flags)


@dataclass(frozen=True, slots=True)
class _Sentence:
    medicine_id: str
    attribute: str
    chunk_id: str
    chunk_order: int  # the chunk's position in its section
    source: int  # the sentence's position in its chunk
    text: str
    tokens: frozenset[str]
    rank: int | None  # retrieval rank of its chunk among the selected evidence; None: not selected


@dataclass(frozen=True, slots=True)
class _Scored:
    sentence: _Sentence
    score: float
    specific: float  # how much it shares of the question's specific words (and stated conditions)
    safety: bool = False
    about_partner: bool = False  # names the other medicine, its class, or what its class adds
    names_partner: bool = False  # names the other medicine or its class (not only what its class adds)
    names_other: bool = False  # a safety item naming a medicine nobody asked about ("... using disulfiram")
    aside: bool = False  # for another population than the asker's (a child's dose line, no child stated)
    topic: float = 0.0  # how much of the question's own topic it carries (read_topic), 0..1
    contraindicates: bool = False  # a contraindication naming a health condition the user stated
    partner_by_name: bool = False  # names the other medicine by its own name, not only a class it is in
    # shares a specific word of the question beyond the asking of an interaction ("concomitant", "hours apart":
    # a Chinese 一起吃 expands to them) - what a label silent on a product the database lacks may still speak of
    shares_question: bool = False


class ExtractiveReader(Reader):
    """Sentences of the whole label of each medicine in focus, ranked against the question (IDF-weighted
    terms with BM25 length normalisation, a prior for the asked section and for retrieved chunks, the
    other medicine of an interaction question by name or class, the conditions the user stated); safety
    items first; composed into a short answer with a lead line per medicine (app.pipeline.compose)."""

    kind = "extractive"

    def __init__(self, config: ReadSettings | None = None, max_per_chunk: int = 2,
                 embeddings: QueryVectors | None = None) -> None:
        """`embeddings`: the retriever's query vectors, for the encoder's similarity (None: lexical only)."""
        config = config or ReadSettings()
        self.embeddings = embeddings
        # strict: an off-section sentence must share a question word to be quoted. A model reader's ranker
        # is not strict: the model is given the label's best sentences and judges them itself.
        self.strict = True
        self.dense_weight = config.dense_weight
        self.sentence_similarity = SentenceSimilarity(config.sentence_weight, embeddings)
        self.floor = config.relevance_floor
        self.max_sentences = config.max_sentences
        self.max_chars = config.max_chars
        self.answer_chars = config.answer_chars
        self.max_per_chunk = max_per_chunk
        self._classes: dict[tuple[str, str, str], _PartnerPatterns] = {}
        self._products: dict[tuple[str, str], re.Pattern[str] | None] = {}
        self._brands: dict[tuple[str, str], tuple[str, ...]] = {}
        # (version, medicine, the brands not asked) -> their pattern, and whether most of the label names them
        self._brand_patterns: dict[tuple[str, ...], tuple[re.Pattern[str], bool]] = {}
        self._names: tuple[str, dict[str, list[tuple[str, ...]]]] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.kind, "max_sentences": self.max_sentences, "max_chars": self.max_chars,
                "answer_chars": self.answer_chars, "dense_weight": self.dense_weight if self.embeddings else 0.0,
                "relevance_floor": self.floor, "sentence_weight": self.sentence_similarity.weight}

    def read(self, request: ReadRequest) -> ReadResult:
        return self.read_evidence(request.question, request.queries, request.evidence,
                                  dialogue=request.dialogue, index=request.index, intent=request.intent,
                                  partners=partner_ids(request), recorded=recorded_conditions(request),
                                  own=request.own, lexicon_named=request.named)

    def read_evidence(
        self,
        question: str,
        queries: list[SearchQuery],
        evidence: list[Evidence],
        dialogue: list[Turn] | None = None,
        index: SearchIndex | None = None,
        intent: tuple[tuple[str, float], ...] = (),
        partners: tuple[str, ...] = (),
        recorded: tuple[str, ...] = (),
        own: tuple[str, ...] = (),
        lexicon_named: tuple[str, ...] = (),
    ) -> ReadResult:
        ranked = self.rank(question, queries, evidence, dialogue, index, intent, partners, recorded, own,
                           lexicon_named)
        if not ranked.groups:
            return ReadResult(NO_EVIDENCE, [], Status.NO_EVIDENCE, notice=ranked.notice, audit=ranked.audit)
        composed = compose(ranked.groups, phrases.language_of(question))
        citations = [Citation(p.medicine_id, p.attribute, p.chunk_id, p.quote, p.n) for p in composed.passages]
        return ReadResult(composed.text, citations, Status.ANSWERED, notice=ranked.notice, audit=ranked.audit)

    def rank(
        self,
        question: str,
        queries: list[SearchQuery],
        evidence: list[Evidence],
        dialogue: list[Turn] | None = None,
        index: SearchIndex | None = None,
        intent: tuple[tuple[str, float], ...] = (),
        partners: tuple[str, ...] = (),
        recorded: tuple[str, ...] = (),
        own: tuple[str, ...] = (),
        lexicon_named: tuple[str, ...] = (),
    ) -> Ranked:
        """The chosen sentences per medicine in reading order (safety items first), with their lead lines,
        and the notice for missing sections: what `compose` lays out, and what a model reader is given.

        `partners`: medicines in focus only because the user takes them (the medication-partners stage); from
        their labels only what concerns the asked medicine is quoted, and nothing when they say nothing of
        it (the notice names them as checked). `recorded`: the patient's recorded conditions. `own`: medicines
        the question names as taken ("I take lisinopril, can I take ibuprofen?"): read as partners are, and the
        medicine asked about is answered first. `lexicon_named`: the medicines the question's own words name (the
        lexicon's: a brand such as "nurofen" names ibuprofen though its label does not list it)."""
        if not evidence:
            return Ranked([], "", {"reason": "no evidence retrieved"})
        said = " ".join(t.content for t in (dialogue or []) if t.role == "user")
        conditions = without_denied(conditions_in(" ".join((said, question, *recorded))), f"{said} {question}")
        language = phrases.language_of(question)
        focus = list(dict.fromkeys(q.medicine for q in queries if q.medicine))
        pool = self._pool(focus, evidence, index)
        pool += _dose_rows(question, queries, pool, index)  # a dosing block no sentence quotes (read_dose)
        pool += _system_lists(question, focus, index)  # reactions listed by body system (read_runon)
        if not pool:
            return Ranked([], "", {"reason": "evidence has no sentences"})
        idf, avg_len = self._idf(pool)
        ages = said_ages(question) | said_temperatures(question)  # (neither is a word to match)
        # a salt said with the name ("metoprolol succinate") is no word to match: every line naming the product has it
        question_terms = {t for t in tokenize(question) if t not in QUESTION_NOISE and t not in ages
                          and t not in _SALT_TOKENS}
        expansions = frozenset(question_expansions(question) | said_expansions(f"{said} {question}")
                               # "Is that the pill?" after the story told: the story's words for what happened
                               | (question_expansions(said) if said and (asks_of_what_was_told(question) or
                                                                         asks_if_what_was_told_is_right(question))
                                  else set())
                               | (specialty_expansions(f"{said} {question}") if any(
                                   q.attribute == "indications" for q in queries) else set()))
        groups: list[tuple[str, list[Quote]]] = []
        missing: list[tuple[str, str]] = []
        # an overdose asked, or an ingestion read for its overdosage (app.pipeline.ingestion): no child's dose,
        # and the child who swallowed it is no population whose sentences to seek
        if missed_dose(question) and not too_much_taken(question):
            # "found her morning one still in the pill box: take it now, double up tonight, or skip?": a doubling
            # asked of a dose not taken is no overdose
            conditions = [c for c in conditions if c.name != "overdose"]
        if queries and queries[0].attribute == "storage":
            # how to keep it is the same for everyone: an older mother's "is it still OK to use?" after it was left
            # out asks no older adults' line (a child in the house still asks "keep out of reach")
            conditions = [c for c in conditions if c.name == "child"]
        too_much = any(c.name == "overdose" for c in conditions) or any(q.attribute == "overdosage" for q in queries)
        child_swallowed = too_much and any(c.name == "child" for c in conditions)
        if too_much:
            if seems_fine(question):
                expansions |= frozenset(tokenize(DELAYED_EFFECT_WORDS))
            if asks_signs(question):
                expansions |= frozenset(tokenize(OVERDOSE_SIGN_WORDS))
            # (nor an older person's dosing: "Dad, 80, took the whole week's amlodipine at once")
            conditions = [c for c in conditions if c.name not in ("child", "elderly")]
            if not any(c.name == "overdose" for c in conditions):
                conditions.append(overdose_condition())  # what too much does, not the dosing (overdose_fit)
            # "swallowed 5 of my tablets": how many were taken is no dose to match a dosing line's "5 mg", nor is
            # when ("about an hour ago") a dosing interval's "every 4 to 6 hours"
            question_terms = {t for t in question_terms if not t.isdigit() and t not in _WHEN_IT_HAPPENED}
        audit: dict[str, Any] = {"conditions": [c.name for c in conditions], "candidates": len(pool)}
        if not focus:
            chosen = self._rank_open(queries, pool, idf, avg_len, question_terms)
            if chosen:
                lead = phrases.OPEN_SEARCH_LEAD_ZH if language == "zh" else "From the medicine database:"
                groups.append((lead, [self._quote(s) for s in chosen]))
        taken = (set(partners) | set(own)) & set(focus)
        named = {m for m in focus if m in lexicon_named or self._named_in(m, index, question)}
        # earlier user turns (the dialogue ends with the question): a follow-up may ask a topic of its own (read_topic)
        follow_up = sum(1 for t in (dialogue or []) if t.role == "user") > 1
        # "what about in pregnancy?" after "can I take naproxen with lisinopril?": each is asked (read_topic)
        shifted = follow_up and changes_topic([q.attribute for q in queries if q.medicine in focus], bool(named))
        if shifted:
            taken = set()
        asked = [m for m in focus if m not in taken] or focus
        # The medicine asked about first, then what the user's own medicines' labels say of it: the first
        # citation answers the question asked ("can I take ibuprofen?"), not the label of what is taken.
        focus = asked + [m for m in focus if m not in asked]
        candidates: dict[str, tuple[SearchQuery, bool, list[_Scored]]] = {}
        # products the database lacks, as described ("percocet (oxycodone and acetaminophen)"): read by what they hold
        described = {q.medicine: q.keywords for q in queries if q.medicine and q.attribute is None
                     and described_ingredients(q.keywords) and (index is None or q.medicine not in index.medicines)}
        # a drink asked in everyday words ("can I drink on it?") rides as the "alcohol" partner (drink_words)
        topics = topics_asked(f"{question} {ALCOHOL}" if any(q.medicine == ALCOHOL for q in queries) else question)
        if asks_handling(question):
            topics = [*topics, HANDLING]  # "can I crush it?" of a label that never says (read_dose.HANDLING)
        if STOPPING in topics and any(c.name in ("pregnancy", "breastfeeding") for c in conditions):
            # "I'm expecting" then "Do I need to stop it now?": stopping for the pregnancy, which the label's pregnancy
            # lines answer, not a wish to come off it (read_missed.STOPPING)
            topics = [t for t in topics if t is not STOPPING]
        before = [t.content for t in (dialogue or []) if t.role == "user"][-2:-1]
        if MISSED_DOSE not in topics and before and MISSED_DOSE.asked(before[0]) and _NOW_OR_WAIT.search(question):
            # "I completely forgot my weekly Trulicity." -> "Can I still do it now or do I wait for Sunday?"
            topics = [MISSED_DOSE, *topics]
        silent_on: dict[str, SilentTopic] = {}
        # the other medicine of an interaction question that a label does not name (nor its class)
        silent_of: dict[str, list[str]] = {}
        unlisted = {q.medicine for q in queries if q.medicine and q.attribute is None}
        plans: dict[str, PopulationPlan] = {}
        doses: dict[str, DosePlan] = {}
        # how grave its risks are, what to watch out for (read_gravity): not when another medicine is asked too
        alone = len(focus) == 1 and not classes_asked(question, True, _ASKABLE_CLASSES)
        grave = alone and asks_gravity(question)
        graver: set[str] = set()
        cautions = alone and asks_cautions(question)
        for mid in focus:
            query = next(q for q in queries if q.medicine == mid)
            if grave and mid in asked and (gravest := gravest_section(
                    query.attribute, _label_sections(mid, pool, index))) is not None:
                # "is warfarin dangerous?", "any serious risks with Plavix?": the boxed warning (read_gravity).
                query = replace(query, attribute=gravest)
                graver.add(mid)
            elif grave and mid in asked and query.attribute in GRAVE_SECTIONS:
                graver.add(mid)  # "any serious warnings?" sent to the box already: not its dosing lines either
            elif mid in asked and (section := driving_section(
                    question, query.attribute, _label_sections(mid, pool, index))) is not None:
                # "ok to drive after my morning dose?", "I drive a bus for a living - is it ok for work?" (read_gravity)
                query = replace(query, attribute=section)
            elif cautions and mid in asked and (section := cautions_section(
                    query.attribute, _label_sections(mid, pool, index))) is not None:
                # "I just started lamotrigine. Anything I should watch out for?" (read_gravity)
                query = replace(query, attribute=section)
            if too_much and query.attribute in _TOO_MUCH_ASKS and any(
                    s.medicine_id == mid and s.attribute == "overdosage" for s in pool):
                # "I took two by mistake" asks what too much does, whatever section its words suggested.
                query = replace(query, attribute="overdosage")
            elif query.attribute is None and asks_dose(question, None) and not missed_dose(question) and any(
                    s.medicine_id == mid and s.attribute == "dosage" for s in pool):
                # "Is simvastatin better taken at night?" names no section but asks how to take it (read_dose).
                query = replace(query, attribute="dosage")
            elif query.attribute is None and mid in asked and not asks_effect(question) and child_asked(
                    f"{said} {question}", conditions) is not None and any(
                    s.medicine_id == mid and s.attribute == "dosage" for s in pool):
                # "can I give loperamide to my little girl? she is 4": whether and how much for a child of that age
                # is in the dosing (read_population), not in what it treats
                query = replace(query, attribute="dosage")
            elif (section := named_section(question, query.attribute, _label_sections(mid, pool, index))) is not None:
                query = replace(query, attribute=section)  # "my son takes it, what warnings?" (read_gravity)
            elif query.attribute == "pediatric" and asks_effect(question) and (
                    effect_section := _effect_section(mid, pool)) is not None:
                # "Since my son started it he has nightmares": what it does, not a child's dose.
                query = replace(query, attribute=effect_section)
            # A section the label has but whose text cannot be quoted (a flattened table) counts as missing.
            has_section = self._has_section(mid, query.attribute, pool, index) and any(
                s.medicine_id == mid and s.attribute == query.attribute for s in pool)
            # (which of them a side effect or a surgeon's warning belongs to asks of each alone, not of both together)
            each_alone = shifted or (query.attribute != "interactions" and _WHICH_OF_THEM.search(question) is not None)
            others = [] if each_alone else [m for m in (asked if mid in taken else focus) if m != mid]
            evidence_text = {m: " ".join(e.chunk.text for e in evidence if e.chunk.medicine_id == m) for m in others}
            treats = frozenset(t for s in pool if s.medicine_id == mid and s.attribute == "indications"
                               for t in s.tokens)
            scored = self._rank(mid, query, others, pool, idf, avg_len, question_terms, untreated(conditions, treats),
                                has_section, index, expansions, dict(intent), question, evidence_text,
                                # (too much taken: the story's words, "he feels fine", are what happened, no topic)
                                topic_on=not (too_much and query.attribute == "overdosage") and (
                                    (follow_up and not named) or (len(focus) == 1 and situation_asked(question))),
                                described=described, clearance=said_clearance(f"{said} {question}"),
                                taken_label=mid in taken or mid not in named, child_swallowed=child_swallowed,
                                strength_off=strength_mismatch(
                                    question, " ".join(c.text for c in _label_chunks(mid, index))
                                    # (no index: the evidence is all of the label there is)
                                    or " ".join(s.text for s in pool if s.medicine_id == mid)))
            if mid in graver:  # its gravest risks, not what it treats or how it is dosed (read_gravity)
                scored = [s for s in scored if s.sentence.attribute in GRAVE_SECTIONS] or scored
            if query.attribute == "dosage" and asks_handling(question) and scored:
                # how to handle a dose, answered by a line that is no regimen: the regimen's amounts go
                best = max(scored, key=lambda s: s.score)
                # (a child's words may put the child's regimen first: "Can my son open his capsule?")
                if not dose_line(best.sentence.attribute, best.sentence.text) or any(
                        handling_line(s.sentence.text) and not dose_line(s.sentence.attribute, s.sentence.text)
                        for s in scored):
                    # (a handling line naming the strengths it is for stays: "... 5 mg and 2.5 mg ELIQUIS tablets
                    # may be crushed and suspended in water")
                    scored = [s for s in scored if handling_line(s.sentence.text)
                              or not dose_line(s.sentence.attribute, s.sentence.text)]
            # (only where the whole label was read: the evidence alone is a few passages of it)
            speaks_of = [m for m in others if m != ALCOHOL and (m in unlisted or (
                index is not None and m in index.medicines))] if index is not None and mid in index.rows_by_medicine \
                else []
            if speaks_of and query.attribute == "interactions" and not any(s.about_partner for s in scored):
                # (a name the label does write is no silence, whatever the ranking chose: ondansetron's
                # "receiving concomitant apomorphine")
                speaks_of = [m for m in speaks_of if not _written_in_label(m, mid, index)]
            if speaks_of and query.attribute == "interactions" and not any(s.about_partner for s in scored):
                silent_of[mid] = speaks_of  # "Amoxicillin's label ... does not mention metformin." (read_partner)
                if all(m in unlisted for m in others) and not any(s.shares_question for s in scored):
                    # "Can I take echinacea with ibuprofen?": the other is a product the database lacks and this
                    # label does not name it; its other interactions (aspirin) are no evidence about the product
                    audit.setdefault("silent_on_unlisted", []).append(mid)
                    continue
            if mid in taken and mid not in asked:
                scored = [s for s in scored if s.about_partner]
                if not scored:
                    audit.setdefault("partners_silent", []).append(mid)
                    continue
            elif others and query.attribute == "interactions" and any(s.about_partner for s in scored) and not (
                    not (named & set(others)) and any(s.topic >= 0.5 and not s.about_partner for s in scored)):
                # An interaction of two asked medicines: each label's sentences about the other one answer
                # it; the rest of its interactions section (aspirin, for a lisinopril-ibuprofen question) does
                # not. A follow-up naming neither but a topic of its own ("is it ok with grapefruit juice?")
                # is about that topic (read_topic). A contraindication naming the condition the user stated stays
                # (carvedilol's "Bronchial asthma" beside the albuterol inhaler of someone with asthma).
                scored = [s for s in scored if s.about_partner or (s.safety and s.contraindicates)]
            dose = dose_plan(question, f"{said} {question}", query.attribute, conditions,
                             [(s.attribute, s.text, s.tokens) for s in pool if s.medicine_id == mid],
                             _name_tokens(mid, index), language, too_much)
            if dose is not None and mid in asked:  # how much, how often: read_dose
                doses[mid] = dose
                scored = dose.apply(scored, _dose_key, _shifted, lambda s: s.score)
            label_chunks = _label_chunks(mid, index)
            plan = population_plan(f"{said} {question}", question, query.attribute, conditions,
                                   [(s.attribute, s.text) for s in pool if s.medicine_id == mid], language, too_much,
                                   [(c.attribute, c.text) for c in label_chunks])
            if plan is not None and mid in asked:  # a child's dose, a stated population's sentence: read_population
                plans[mid] = plan
                rows = [_table_row(label_chunks[i], row) for i, row in plan.table_rows]
                scored = plan.apply(rows + scored, _section_text, _raised)
            # (a drink asked beside the medicine taken: "I'm on citalopram. Can I drink alcohol?" reads its label)
            # (the label's own text too: a long list's tail that its quotable sentence shortens to "and others"
            # may name it, as carbamazepine's CYP3A4 list names grapefruit juice)
            if topics and (mid in asked or ALCOHOL in asked) and mid != ALCOHOL and (silent := silent_topic(
                    topics, query.attribute, [s.text for s in pool if s.medicine_id == mid]
                    + [c.text for c in label_chunks], _label_sections(mid, pool, index))) is not None:
                # The label says nothing of a missed dose or of alcohol: its other lines would read as advice
                # they are not (read_missed).
                silent_on[mid] = silent
                scored = [s for s in scored
                          if (s.safety and not (silent.astray_safety and silent.strays(s.sentence.text)))
                          or (silent.quote_rest and not silent.strays(s.sentence.text))
                          or silent.answers_instead(s.sentence.text)]
            elif topics and mid in asked:
                # the label speaks of the missed dose or the drink asked about: those lines answer first (read_missed)
                # (a topic that is the whole question leads past every other line: a liver transplant patient's
                # "I never took the morning one" is answered by the missed-dose line, not the liver dose)
                # (one shift for all its lines: their own order stays)
                # (not an overdose's line on co-ingestants, "... with co-ingestants including alcohol", unless an
                # overdose is asked)
                # ("how long before the op do I stop it?": the procedure's line is the answer, not its context)
                topic_lead = _TOPIC_LEAD * (2 if SURGERY in topics and _WHEN_TO_STOP.search(question) else 1)

                def topic_shift(s: _Scored, topic_lead: float = topic_lead) -> float:
                    unasked = s.sentence.attribute == "overdosage" and not too_much
                    return 0.0 if unasked else lead_shift(topics, s.sentence.text, topic_lead)

                speaking = [s.score for s in scored if topic_shift(s)]
                past = max(0.0, max(s.score for s in scored) - max(speaking)) if speaking and any(
                    t.leads_past for t in topics) else 0.0
                scored = sorted((_shifted(s, (shift := topic_shift(s)) + (past if shift else 0.0)) for s in scored),
                                key=lambda s: -s.score)
            candidates[mid] = (query, has_section, scored)
        if index is not None and not any(s.about_partner for _, _, scored in candidates.values() for s in scored):
            # a medicine the database lacks, named as the other one, that no label speaks of takes no share
            candidates = {m: c for m, c in candidates.items() if c[2] or m in index.medicines}
        if len(candidates) > 1 and _WHICH_OF_THEM.search(question):
            # "... a side effect of one of them - which one?": the label that answers best first
            candidates = dict(sorted(candidates.items(), key=lambda kv: (
                not kv[1][1], -(kv[1][2][0].score if kv[1][2] else -1e9))))
        choices = self._share_budget([scored for _, _, scored in candidates.values()])
        fallback_notes: list[str] = []
        for (mid, (query, has_section, _)), chosen in zip(candidates.items(), choices, strict=True):
            attribute = query.attribute
            fell_back = False
            # Nothing of the asked section answers, nor any other medicine's label: read_fallback. A label that
            # answers leaves a silent one silent ("how much ethanol is in ProAir?" is about ProAir's).
            silent = silent_on.get(mid)
            if silent is not None:
                fallback_notes.append(silent.notice(self._name(mid, index, evidence)[0], language, instead=any(
                    silent.answers_instead(s.sentence.text) for s in chosen)))
            if (silent is None or silent.quote_rest) and not chosen and mid in asked and not any(choices):
                chosen = self._fallback(mid, question, attribute, pool, idf, index, len(candidates))
                chosen = [s for s in chosen if silent is None or not silent.strays(s.sentence.text)]
                fell_back = bool(chosen)
                if fell_back:
                    audit.setdefault("fallback", {})[mid] = sorted({s.sentence.attribute for s in chosen})
            if (dose := doses.get(mid)) is not None:
                fallback_notes.append(dose.notice(self._name(mid, index, evidence)[0]))
            if mid in asked:  # "my Ozempic pens" read in WEGOVY's label (read_brand)
                fallback_notes.append(_other_brand(question, mid, self._name(mid, index, evidence)[0], index, language))
            if (plan := plans.get(mid)) is not None:
                chosen = plan.lead_first([s for s in chosen if not plan.verdict(*_section_text(s)).drop],
                                         _section_text, lambda s: s.safety)
                # (not "ask how much to give" beside the label's own "children under 4 years: do not use")
                age = plan.child.age if plan.child is not None else None
                if age is None or not any(
                        _NOT_FOR_A_CHILD.search(s.sentence.text) and any(
                            low <= age < high for low, high in age_ranges(s.sentence.text)) for s in chosen):
                    fallback_notes.append(plan.notice(self._name(mid, index, evidence)[0]))
            if not chosen:
                if attribute and not has_section:
                    missing.append((mid, attribute))
                continue
            if fell_back and has_section:
                fallback_notes.append(fallback_notice(self._name(mid, index, evidence)[0], attribute,
                                                      [s.sentence.attribute for s in chosen]))
            ordered = _too_much_first(_on_too_much(chosen, attribute, question), attribute)
            if SURGERY in topics and mid in asked and _WHEN_TO_STOP.search(question):
                # "do I stop it, and how long before?": the label's line on the procedure ahead is the answer, its
                # safety items (the risk of stopping early) next (whatever else of the question the label is silent on)
                ordered = sorted(ordered, key=lambda s: (not speaks_to_asked([SURGERY], s.sentence.text),
                                                         not s.safety))
            elif topics and mid in asked and silent is None:
                # what the label says of the missed dose, the drink or the procedure asked about comes first after
                # the safety items, whatever its section (read_missed)
                ordered = sorted(ordered, key=lambda s: (not s.safety, not speaks_to_asked(topics, s.sentence.text)))
            quotes = [self._quote(s) for s in ordered]
            pointed = next((t for q in quotes if (t := table_pointed_to(q.text)) is not None), None)
            quoted_pointer = pointed is not None
            if pointed is None and attribute and conditions:
                # the section's sentence pointing to the table for the stated population ("Dosage adjustment in
                # patients ... with renal impairment ... is recommended, as follows: TABLE 1."), left unquoted
                pointed = next((t for s in pool if s.medicine_id == mid and s.attribute == attribute
                                and condition_terms_in(s.tokens, conditions)
                                and (t := table_pointed_to(s.text)) is not None), None)
            if pointed is not None and table_missing([c.text for c in _label_chunks(mid, index)]):
                fallback_notes.append(missing_table_notice(self._name(mid, index, evidence)[0], pointed, language,
                                                           quoted_pointer))
            on_topic = [q.attribute for q in quotes if not q.safety]
            missing_here = attribute if attribute and not has_section else None
            if missing_here:
                missing.append((mid, attribute or ""))
            attributes = [q.attribute for q in quotes if q.safety] + on_topic
            name, source = self._name(mid, index, evidence)
            groups.append((lead_line(name, source, attributes, missing_here, language), quotes))
        # (two asked with "both", "is it ok to take both?": the label that warns of the other leads as well)
        groups = _safety_group_first(groups, (taken - set(asked)) | (set(focus) if _BOTH.search(question) else set()))
        if len(focus) == 2 and not shifted and any(q.attribute in _PAIR_SECTIONS for q in queries) and (
                any(q.attribute == "interactions" for q in queries)
                or not any(c.name not in NOT_HEALTH for c in conditions)):
            # (not a safety question about a condition told: propranolol for someone with asthma, whatever
            # albuterol's label says of beta-blockers)
            groups = _speaking_group_first(groups, index)  # app.pipeline.pair_order
        if silent_of:
            fallback_notes.append(silent_partner_notice(
                [(self._name(m, index, evidence)[0], [self._name(o, index, evidence)[0] for o in of])
                 for m, of in silent_of.items()], language))
        if not groups:
            audit["reason"] = "no sentence matches"
        audit["safety_first"] = sum(1 for _, qs in groups for q in qs if q.safety)
        notice = " ".join(filter(None, [self._notice([(self._name(m, index, evidence)[0], a) for m, a in missing]),
                                        *fallback_notes]))
        return Ranked(groups, notice, audit)

    def _fallback(self, mid: str, question: str, attribute: str | None, pool: list[_Sentence],
                  idf: dict[str, float], index: SearchIndex | None, medicines: int) -> list[_Scored]:
        """The medicine's own sentences that answer the question's kind or share its words (read_fallback),
        within its share of the answer; a combination product's sentences left out unless it was asked."""
        products = self._other_products(mid, index)
        asked_product = products is not None and products.search(question) is not None
        mine = [s for s in pool if s.medicine_id == mid
                and (products is None or asked_product or not products.search(s.text))]
        label = [LabelSentence(s.attribute, s.text, s.tokens, s.chunk_order, s.source) for s in mine]
        names = frozenset(tokenize(mid.replace("-", " "))) | frozenset(
            t for n in self._name(mid, index, [])[:1] for t in tokenize(n))
        ranked = rank_fallback(question, attribute, label, idf, names)
        return self._choose([_Scored(mine[i], score, score) for i, score in ranked], medicines)

    # -- candidates ------------------------------------------------------------------------------------

    @staticmethod
    def _pool(focus: list[str], evidence: list[Evidence], index: SearchIndex | None) -> list[_Sentence]:
        ranks: dict[str, int] = {}
        for i, ev in enumerate(evidence):
            ranks.setdefault(ev.chunk.chunk_id, i)
        chunks: dict[str, Chunk] = {}
        for mid in focus:
            if index is not None and mid in index.rows_by_medicine:
                for row in index.rows_by_medicine[mid]:
                    c = index.chunks[int(row)]
                    chunks.setdefault(c.chunk_id, c)
        for ev in evidence:
            if not focus or ev.chunk.medicine_id in focus:
                chunks.setdefault(ev.chunk.chunk_id, ev.chunk)
        pool = []
        rows = _table_rows(chunks.values())
        for c in chunks.values():
            for source, text, tokens in chunk_sentences(c, index):  # label_prefetch: often read ahead
                if c.attribute == "dosage" and c.medicine_id in rows and \
                        (headed := with_labels(text, rows[c.medicine_id])) is not None:
                    text, tokens = headed, sentence_tokens(headed, c.lang)  # read_table: a row with its headers
                pool.append(_Sentence(c.medicine_id, c.attribute, c.chunk_id, c.position, source, text, tokens,
                                      ranks.get(c.chunk_id)))
        return pool

    @staticmethod
    def _idf(pool: list[_Sentence]) -> tuple[dict[str, float], float]:
        df: Counter[str] = Counter()
        for s in pool:
            df.update(s.tokens)
        n = len(pool)
        avg = sum(len(s.tokens) for s in pool) / max(1, n)
        return {t: math.log(1 + n / c) for t, c in df.items()}, avg

    @staticmethod
    def _lexical(s: _Sentence, terms: dict[str, float], idf: dict[str, float], avg_len: float) -> float:
        if s.tokens.isdisjoint(terms):  # most of a label's sentences: one C-level pass instead of a loop
            return 0.0
        raw = sum(w * idf.get(t, 0.0) for t, w in terms.items() if t in s.tokens)
        return raw / (0.5 + 0.5 * len(s.tokens) / max(1.0, avg_len))  # BM25's length normalisation, b=0.5

    @staticmethod
    def _has_section(mid: str, attribute: str | None, pool: list[_Sentence], index: SearchIndex | None) -> bool:
        if attribute is None:
            return True
        if index is not None and mid in index.medicines:
            return attribute in index.medicines[mid].attributes
        return any(s.medicine_id == mid and s.attribute == attribute for s in pool)

    def _other_products(self, mid: str, index: SearchIndex | None) -> re.Pattern[str] | None:
        """The combination products a merged label also speaks of ("Amoxicillin and Clavulanate Potassium" in
        amoxicillin's, "lisinopril and hydrochlorothiazide tablets" in lisinopril's): the database's medicines
        whose name joins this one's with another ingredient."""
        if index is None or mid not in index.medicines:
            return None
        key = (index.version, mid)
        if key not in self._products:
            combined = combined_with(index, mid)  # label_cache: the index's combination names, listed once
            forms = sorted(name_forms(combined), key=len, reverse=True)  # "amoxicillin clavulanate"
            joined = [_JOINER.join(map(re.escape, f.split())) for f in forms if " " in f]
            self._products[key] = re.compile(rf"\b(?:{'|'.join(joined)})\b", re.I) if joined else None
        return self._products[key]

    def _other_brands(self, mid: str, index: SearchIndex | None, question: str,
                      mine: list[_Sentence]) -> re.Pattern[str] | None:
        """In a label merged from several brands' (insulin glargine's: BASAGLAR, REZVOGLAR, LANGLARA), the brands
        the question does not name: their sentences give way to the label's others (a Lantus question quoted
        "Store unused REZVOGLAR ..."). None when the label has one brand, or speaks through its brands in most
        sentences (then they are its own voice)."""
        if index is None or mid not in index.medicines:
            return None
        key = (index.version, mid)
        if key not in self._brands:
            entry = index.medicines[mid]
            own = {w for w in _WORD.findall(entry.name.casefold())}
            brands = set()
            for alias in entry.aliases:
                words = [w for w in _WORD.findall(alias.casefold()) if w not in own and w not in _NAME_NOISE]
                if words and len(words[0]) >= 4 and words[0].isalpha() and not any(
                        words[0].startswith(f"{o}-") for o in own):
                    brands.add(words[0])
            self._brands[key] = tuple(sorted(brands)) if len(brands) >= 2 else ()
        if not self._brands[key]:
            return None
        asked = set(_WORD.findall(question.casefold()))
        others = tuple(b for b in self._brands[key] if b not in asked)
        if not others:
            return None
        found = self._brand_patterns.get((*key, *others))
        if found is None:
            pattern = re.compile(rf"\b(?:{'|'.join(others)})\b", re.I)
            found = (pattern, sum(1 for s in mine if pattern.search(s.text)) * 2 > len(mine))
            self._brand_patterns[(*key, *others)] = found
        return None if found[1] else found[0]

    def _names_of(self, mid: str, index: SearchIndex | None) -> list[str]:
        """The medicine's id, name and aliases (brands): what names it in a question."""
        entry = index.medicines.get(mid) if index is not None else None
        return [mid, *((entry.name, *entry.aliases) if entry is not None else ())]

    def _named_in(self, mid: str, index: SearchIndex | None, question: str) -> bool:
        """Whether the question names the medicine (by its id, name or a brand)."""
        pattern = name_pattern(self._names_of(mid, index))
        return pattern is not None and pattern.search(question) is not None

    def _names_other(self, text: str, known: tuple[str, ...], question: str, index: SearchIndex | None) -> bool:
        """Whether a sentence names a medicine of the database other than those in focus and those the
        question names: "psychotic reactions in patients using disulfiram" is about disulfiram's users."""
        if index is None:
            return False
        if self._names is None or self._names[0] != index.version:
            by_first: dict[str, list[tuple[str, ...]]] = {}
            for entry in index.medicines.values():
                for form in name_forms((entry.name, *entry.aliases)):
                    if not form.split():
                        continue
                    first, *more = form.split()
                    if len(first) >= 5:
                        by_first.setdefault(first, []).append((entry.id, *more))
            self._names = (index.version, by_first)
        by_first = self._names[1]
        asked = set(_WORD.findall(question.casefold()))
        # the medicine in focus by its own name ("Metformin hydrochloride tablets are contraindicated ..." asked of
        # Glucophage) names no other medicine, though other products start with that name
        for mid in known:
            if (focus_entry := index.medicines.get(mid)) is not None:
                asked.update(form.split()[0] for form in name_forms((focus_entry.name, *focus_entry.aliases))
                             if form.split())
        words = _WORD.findall(text.casefold())
        for i, word in enumerate(words):
            for entry_id, *rest in by_first.get(word, ()):
                if entry_id not in known and word not in asked and words[i + 1:i + 1 + len(rest)] == rest:
                    return True
        return False

    def sentence_naming(self, index: SearchIndex, label_id: str, other_id: str) -> tuple[Chunk, str] | None:
        """The sentence of `label_id`'s safety sections (boxed warning, contraindications, warnings,
        interactions) that speaks of `other_id` by name or by a class of it that the label's own medicine is not
        in, the most decisive first; None when the label says nothing of it. For a list of medicines to take
        checked against one the user takes (app.pipeline.indication_search)."""
        own = self._partner_patterns(label_id, index)
        other = _only_others_of_shared(self._partner_patterns(other_id, index), set(own.names) - {own.named})
        best: tuple[tuple[int, int, int, float], Chunk, str] | None = None
        for chunk in _label_chunks(label_id, index):
            if chunk.attribute not in _CHECKED_SECTIONS:
                continue
            for _, sentence in label_sentences(chunk.text):
                if not other.names_in(sentence) or reaction_to_partner(sentence) or len(sentence) > MAX_SENTENCE:
                    continue
                # (a Drug Facts list item cut from its lead, "Take a blood thinning (anticoagulant) or steroid
                # drug ...", reads as an instruction: last)
                key = (int(other.named_in(sentence)), int(_LIST_ITEM.match(sentence) is None),
                       -decisiveness(sentence), partner_weight(sentence))
                if best is None or key > best[0]:
                    best = (key, chunk, sentence)
        return (best[1], best[2]) if best is not None else None

    def _partner_patterns(self, partner: str, index: SearchIndex | None, selected: str = "",
                          described: str = "") -> _PartnerPatterns:
        """How labels name the other medicine: its names, and its drug classes, from its pharmacologic
        classes (MedicineEntry.classes) and from the classes its own label puts it in (lisinopril's label
        says "NSAIDs", which ibuprofen's label calls itself throughout; without the index, its selected
        sentences say it); and what its classes add in label words ("drugs that increase bleeding risk" in
        warfarin's label speaks of ibuprofen)."""
        key = (index.version if index is not None else "", partner, described)
        if key in self._classes:
            return self._classes[key]
        names = [partner.replace("-", " ")]
        ingredients = described_ingredients(described)
        if ingredients:
            # a product the database lacks, read by what it holds: "Percocet (oxycodone and acetaminophen)" is an
            # opioid to alprazolam's boxed warning, as the oxycodone label makes it
            held = [self._partner_patterns(mid, index) for mid in _ids_named(ingredients, index)]
            own = self._partner_patterns(partner, index, selected, "")
            by_name_alone = with_parents(name_class_keys(ingredients))  # calcium carbonate: an antacid
            merged = [*own.names, *(p for h in held for p in h.names),
                      *(CLASS_PATTERNS[c] for c in sorted(by_name_alone) if c in CLASS_PATTERNS)]
            named = name_pattern([*names, *ingredients])
            effects = [p.effect.pattern for p in [own, *held] if p.effect is not None]
            found = _PartnerPatterns(tuple(dict.fromkeys([*([named] if named else []), *merged])),
                                     re.compile("|".join(effects), re.IGNORECASE) if effects else None, named)
            self._classes[key] = found
            return found
        if partner == ALCOHOL:
            names.append("ethanol")  # the labels' other word for it ("ethanol must not be ingested", acitretin)
        own_text = selected if index is None else ""
        label = own_text
        declared: set[str] = set()
        class_names: tuple[str, ...] = ()
        if index is not None:
            entry = index.medicines.get(partner)
            if entry is not None:
                names += [entry.name, *entry.aliases]
                class_names = entry.classes
                declared = declared_class_keys(entry.classes)
            # the classes the labels put it in (self-descriptions, "<class> such as X"): sertraline's own
            # label calls it an SSRI, which tramadol's "serotonergic drug" warning speaks of
            declared |= links_for(index).classes_of(partner)
            rows = index.rows_by_medicine.get(partner)
            if rows is not None:
                own_text = " ".join(index.chunks[int(r)].text for r in rows
                                    if index.chunks[int(r)].attribute in ("boxed_warning", "indications",
                                                                           "description", "pharmacology", "warnings"))
                label = " ".join(index.chunks[int(r)].text for r in rows)
        declared |= name_class_keys(names)  # potassium chloride: a potassium supplement
        # "venlafaxine tablets, other SNRIs" (read_partner.own_classes)
        declared |= own_classes(names, label, {c: p for c, p in CLASS_PATTERNS.items() if c not in NOT_BY_MENTIONS})
        patterns: list[re.Pattern[str]] = []
        by_name = name_pattern(names)
        if by_name is not None:
            patterns.append(by_name)
        counts = Counter({c: len(p.findall(own_text)) for c, p in CLASS_PATTERNS.items() if c not in NOT_BY_MENTIONS})
        ranked = [(c, n) for c, n in counts.most_common(2) if n]
        if ranked and ranked[0][1] >= 3 and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
            declared.add(ranked[0][0])
        classes = sorted(with_parents(declared))
        patterns += [CLASS_PATTERNS[c] for c in classes if c in CLASS_PATTERNS]
        # classes the shared table lacks: triptans, sulfonamides, QT-prolonging drugs (read_partner)
        extra = extra_classes(names, class_names, label)
        if _ANTIBACTERIAL_KINDS & set(classes):
            extra.add("antibiotic")  # a penicillin is an antibiotic: "antibiotics" in warfarin's label, or asked of it
        patterns += [EXTRA_CLASSES[c] for c in sorted(extra)]
        patterns += enzyme_inhibitor_patterns(class_names)  # fluconazole: "Inhibitors of CYP2C9, 1A2, and/or 3A4"
        effects = sorted({w for c in classes for w in CLASS_EFFECT_WORDS.get(c, ())})
        effect = re.compile(rf"\b(?:{'|'.join(map(re.escape, effects))})", re.IGNORECASE) if effects else None
        found = _PartnerPatterns(tuple(patterns), effect, by_name)
        if index is not None:  # without an index it depends on the evidence of the turn
            self._classes[key] = found
        return found

    def _similarity(self, mid: str, query: SearchQuery, index: SearchIndex | None) -> dict[str, float]:
        """The serving encoder's similarity of the question (its retrieval query, whose vector the
        retriever has cached) to each chunk of the label, scaled to 0..1 over the label (median -> 0, best
        -> 1). A sentence takes its chunk's: the chunk vectors are in the index already, while encoding
        the sentences of a label takes longer than the rest of the turn (see the module docstring)."""
        if self.embeddings is None or index is None or index.dense is None or self.dense_weight <= 0:
            return {}
        rows = index.rows_by_medicine.get(mid)
        if rows is None or len(rows) < 2:
            return {}
        vector = self.embeddings.get(query_text(index, query))
        sims = index.dense.vectors[rows] @ vector
        mid_sim, top = float(np.median(sims)), float(sims.max())
        if top - mid_sim < 1e-6:
            return {}
        scaled = np.clip((sims - mid_sim) / (top - mid_sim), 0.0, 1.0)
        return {index.chunks[int(r)].chunk_id: float(v) for r, v in zip(rows, scaled, strict=True)}

    # -- ranking ---------------------------------------------------------------------------------------

    def _rank(
        self,
        mid: str,
        query: SearchQuery,
        partners: list[str],
        pool: list[_Sentence],
        idf: dict[str, float],
        avg_len: float,
        question_terms: set[str],
        conditions: list[Condition],
        has_section: bool,
        index: SearchIndex | None,
        expansions: frozenset[str] = frozenset(),
        intent: dict[str, float] | None = None,
        question_text: str = "",
        evidence_text: dict[str, str] | None = None,
        topic_on: bool = False,
        described: dict[str, str] | None = None,
        clearance: float | None = None,
        strength_off: bool = False,
        taken_label: bool = False,
        child_swallowed: bool = False,
    ) -> list[_Scored]:
        """`topic_on`: the question names none of the medicines in focus (a follow-up): its own topic words
        steer the ranking across the label's sections (read_topic). `clearance`: the CrCl the user stated."""
        # A question naming a medicine but no section ("what is X?", "X uses?") is about what it is for, as
        # in retrieval.
        attribute = query.attribute or "indications"
        # how to handle a dose ("stay upright after it?"): the dose regimen's lines are not the answer's shape
        handling = attribute == "dosage" and asks_handling(question_text)
        # switching from another medicine: the dosing's lines on switching, not the regimen's ("wait after the last
        # ramipril?" -> "allow a washout period of 36 hours")
        switching = attribute == "dosage" and not handling and asks_switching(question_text)
        own = set(tokenize(mid.replace("-", " ")))
        heading = set(tokenize(Attribute(attribute).label)) if attribute in ATTRIBUTES else set()
        terms: dict[str, float] = {t: 0.3 for t in tokenize(query.keywords) if t not in heading}
        asked_words = set(tokenize(_ATTRIBUTE_WORDS.get(attribute or "", ""))) | heading
        section_words = frozenset(asked_words)
        terms.update({t: 1.0 if t not in asked_words else 0.2 for t in question_terms})
        for t in expansions:
            terms[t] = max(terms.get(t, 0.0), 0.8)
        # A child's words pick a child's dose; what a medicine does to a child is said in the label's words for it.
        # (no section asked: "My son's 14 ..." then "can he have a couple of those?" asks of him, a child)
        weak = {"adult"} | ({"child"} if attribute not in ("dosage", "pediatric") and query.attribute is not None
                            else set())
        condition_names = {c.name for c in conditions}
        for c in conditions:
            if c.name == "women" and attribute != "dosage" and not {"pregnancy", "breastfeeding"} & condition_names:
                continue  # "my wife" says whose dose, not that "pregnant women" lines answer "can she take it?"
            for t in c.terms:
                terms[t] = max(terms.get(t, 0.0), 1.5 if c.name not in weak else 0.3)
            for t in (t for p in c.phrases for t in p):
                terms[t] = max(terms.get(t, 0.0), 1.0)
        # how grave its risks are: the box's first sentences lead; a general "anything I should watch out for?"
        # asked of its warnings or side effects: the box's first one (read_gravity)
        grave = attribute in ("boxed_warning", "warnings") and asks_gravity(question_text)
        # "my dad is 85, on warfarin. is it safe for him?" of a label with no older adults' section: its gravest risk
        elderly_unanswered = attribute in ("geriatric", "warnings") and any(
            c.name == "elderly" for c in conditions) and _IS_IT_SAFE.search(question_text) is not None and not any(
            s.attribute == "geriatric" for s in pool if s.medicine_id == mid)
        box_lead = _GRAVE_LEAD if grave or elderly_unanswered or (
            attribute in _EFFECT_ASKS and asks_cautions(question_text)) else 0
        if box_lead and not grave and "driving" in {c.name for c in conditions}:
            box_lead = 0  # "I drive a bus for a living - is it ok for work?": its lines on driving, not the box
        if box_lead or attribute in _NOT_BY_WHAT_IT_TREATS:
            # "worst that can happen on isotretinoin for acne?": what it treats does not say which risk (read_gravity);
            # nor does "the diabetes tablet" a grandchild swallowed say what too much of it does, nor "on tegretol for
            # trigeminal neuralgia ... a full blood count every few months, what are they looking for?" which warning
            treated = {t for s in pool if s.medicine_id == mid and s.attribute == "indications" for t in s.tokens}
            for t in treated.intersection(terms):
                terms[t] = min(terms[t], 0.3)
        for t in own:
            terms[t] = 0.05
        if not has_section:  # other sections answer: the words for the asked one are what they must share
            asked_words = set()
        specific = {t: w for t, w in terms.items()
                    if t not in own and ((t in question_terms and t not in asked_words) or w >= 0.8)}
        beyond_asking = {t for t in specific if t not in _ASKING_TOGETHER}
        partner_patterns = [self._partner_patterns(other, index, (evidence_text or {}).get(other, ""),
                                                   (described or {}).get(other, "")) for other in partners]
        if partner_patterns:
            # A class both are in names the label's own medicine: "NSAID use increased the risk of MI" in
            # ibuprofen's label is about ibuprofen, not the aspirin taken beside it; "other NSAIDs" is not.
            mine_classes = set(self._partner_patterns(mid, index).names) - {self._partner_patterns(mid, index).named}
            partner_patterns = [_only_others_of_shared(p, mine_classes) for p in partner_patterns]
        if asked_classes := classes_asked(question_text, query.attribute == "interactions", _ASKABLE_CLASSES,
                                          lambda: self._partner_patterns(mid, index).names):
            # the other medicine named only by its class: "is adding another QT-prolonging drug a problem?"
            partner_patterns.append(_PartnerPatterns(tuple(asked_classes), None))
        related = _RELATED.get(attribute or "", ())
        condition_sections = {s for c in conditions for s in c.sections}
        # A condition's words outside the sections that speak of it are chance ("Campylobacter fetus" for a
        # pregnancy question): there a sentence must share a word of the question itself.
        condition_words = {t for c in conditions for t in c.terms}
        condition_words |= {t for c in conditions for p in c.phrases for t in p}
        condition_words -= question_terms
        asked_specific = {t: w for t, w in specific.items() if t not in condition_words}
        health = [c for c in conditions if c.name not in NOT_HEALTH]
        if attribute == "dosage":
            # "CrCl 20, how should cephalexin be dosed?": the row for that function, not every warning naming it
            health = [c for c in health if c.name not in _DOSED_BY]
        health_names = {c.name for c in health}
        # the effect asked about in the question's words and the label's, not what the medicine treats ("Proscar
        # for my prostate": "may increase the risk of prostate cancer" is no headline of its side effects)
        treats = frozenset(t for s in pool if s.medicine_id == mid and s.attribute == "indications" for t in s.tokens)
        effect_words = (frozenset(t for t in question_terms if t not in asked_words) | expansions) - own - treats
        topic = topic_of(question_text, [*self._names_of(mid, index), *partners], asked_words | heading,
                         expansions) if topic_on else NO_TOPIC
        if box_lead and not grave and not partners and any(w == LABEL_WORD for w in (topic if topic_on else topic_of(
                question_text, [*self._names_of(mid, index), *partners], asked_words | heading,
                expansions)).terms.values()):
            box_lead = 0  # "anything about the sun I should know?": its photosensitivity, not the first warning
        similarity = self._similarity(mid, query, index)
        asked_topics = topics_asked(question_text)
        animals = asks_about_animals(question_text)
        products = self._other_products(mid, index)
        asked_product = products is not None and products.search(question_text) is not None
        out = []
        mine = [s for s in pool if s.medicine_id == mid]
        listed = _partner_lists(mid, partner_patterns, mine, index)  # too long to quote whole (read_partner)
        if risk_lists := {s.chunk_id for s in listed if s.source >= _RISK_LIST_SOURCE}:
            # an item of a "The chance is higher if you: ..." list cut from its lead ("Take a blood thinning
            # (anticoagulant) or steroid drug have had ...") says less than the excerpt with the warning
            mine = [s for s in mine if not (s.chunk_id in risk_lists and s.source < 100 and _LIST_ITEM.match(s.text)
                                            and any(p.names_in(s.text) for p in partner_patterns))]
        mine += listed
        other_brands = self._other_brands(mid, index, question_text, mine)
        by_sentence = self.sentence_similarity.scores(index, query, [s.text for s in mine])
        # the label's gravest statement: its boxed warning's, else its warnings' first (read_gravity), unless the
        # question asks about another medicine too ("on warfarin, just started an antibiotic: anything to watch?")
        lead_section = "boxed_warning" if any(s.attribute == "boxed_warning" for s in mine) else "warnings"
        # "what should the eye surgeon know?" before a cataract operation: the label's lines on the procedure said
        # answer it, not its first warnings
        if box_lead and not grave and any(h in _SITUATIONS for s in mine for h in condition_terms_in(s.tokens,
                                                                                                   conditions)):
            box_lead = 0
        other_asked = bool(partner_patterns) or (box_lead > 0 and bool(classes_asked(
            question_text, True, _ASKABLE_CLASSES, lambda: self._partner_patterns(mid, index).names)))
        # Lexical scores scaled to 0..3 over this label, so that the section and retrieval priors weigh alike
        # whatever the question's length.
        # The scale has a floor: when no sentence shares a word of the question ("cipro black box?"), the best
        # match is the medicine's own name (weight 0.05), and scaling that to 3 ranked the shortest sentences
        # naming it above the section's first, decisive ones.
        on_terms = [self._lexical(s, terms, idf, avg_len) for s in mine]
        top = max(_LEXICAL_FLOOR, max(on_terms, default=0.0))
        # No section asked, but words of the question the label uses outside what the medicine is for ("is
        # adding another QT-prolonging drug a problem?"): those sentences answer it, not the indications.
        guessed = query.attribute is None and any(
            s.attribute != attribute and self._lexical(s, specific, idf, avg_len) > 0 for s in mine)
        on_prior = _GUESSED_PRIOR if guessed else 2.0
        shares = [topic.share(s.tokens, idf) for s in mine]
        if topic_elsewhere(attribute, [s.attribute for s in mine], shares, bool(question_terms & section_words)):
            on_prior = _TOPIC_ELSEWHERE_PRIOR  # a follow-up's own topic, not the section it inherited (read_topic)
        # "Is it ok with grapefruit juice?" after naming two medicines: the label's sentences about the other one
        # are no safety item of this question, which names neither and has a topic the label speaks of.
        topic_led = bool(partners) and carries(shares) and not any(
            self._named_in(p, index, question_text) for p in partners)
        allergy_unasked = not ASKS_ALLERGY.search(question_text)
        # "Administer levothyroxine at least 4 hours apart from these agents" after the row naming ferrous
        # sulfate: a sentence pointing back to one about the other medicine is about it too
        # a salt asked about as the other medicine ("potassium supplements") is not the label's own salt ("losartan
        # potassium"): that is cut from what is matched
        own_salt = _own_salt(self._partner_patterns(mid, index).named, partners) if any(
            p in SALT_WORDS for p in partners) else None

        def names_partner(text: str) -> bool:
            return any(p.names_in(own_salt.sub(" ", text) if own_salt else text) for p in partner_patterns)

        naming = {(s.chunk_id, s.source) for s in mine if partner_patterns and names_partner(s.text)}
        for s, topical, on_term in zip(mine, shares, on_terms, strict=True):
            lexical = 3.0 * on_term / top
            spec = self._lexical(s, specific, idf, avg_len)
            partner_hit = (names_partner(s.text)
                           or (_THESE_AGENTS.search(s.text) is not None and (s.chunk_id, s.source - 1) in naming)
                           ) and not (
                # "... allergic-type reactions after taking aspirin": not of someone who takes aspirin daily
                allergy_unasked and reaction_to_partner(s.text))
            effect_hit = not partner_hit and any(p.effect_in(s.text) for p in partner_patterns)
            hits = condition_terms_in(s.tokens, conditions)
            if "stopping" in hits and stops_for_an_event(s.text):
                hits = [h for h in hits if h != "stopping"]  # "if lactic acidosis is suspected, discontinue"
            condition_hit = bool(hits)
            if attribute is None:
                prior = 0.0
            elif s.attribute == attribute:
                prior = on_prior
            elif s.attribute in related:
                prior = 0.8 if not has_section else 0.3
            else:
                prior = 0.0
            if s.attribute in condition_sections:
                prior += 0.5
            if intent and s.attribute != attribute:  # the other sections the question may be asking
                prior += 1.5 * intent.get(s.attribute, 0.0)
            if s.rank is not None:
                prior += 0.8 / (1 + s.rank)
            prior += 0.2 / (1 + s.chunk_order) + 0.1 / (1 + s.source)
            prior += self.dense_weight * similarity.get(s.chunk_id, 0.0) + by_sentence.get(s.text, 0.0)
            key = key_sentence(attribute, s.text) and s.attribute in (attribute, *related) and not handling \
                and not switching
            if key:
                prior += 1.0
            elif switching and s.attribute == attribute and switching_line(s.text):
                prior += _AMOUNT_WHEN_HANDLING
            elif handling and handling_line(s.text):
                prior += _AMOUNT_WHEN_HANDLING  # "5 mg and 2.5 mg tablets may be crushed": the line asked for
            elif handling and dose_line(s.attribute, s.text):
                prior -= _AMOUNT_WHEN_HANDLING  # "how long must I stay upright?" after "I take 70mg weekly"
            elif attribute == "indications" and s.attribute == attribute and limitation_of_use(s.text):
                prior -= LIMITATION_PENALTY
            if expansions & s.tokens and s.attribute in (attribute, *related):
                prior += _LABEL_WORD_BONUS  # the label's word for the patient's ("muscle pain" -> myopathy)
            if attribute in _EFFECT_ASKS and s.attribute in (attribute, *related):
                prior += headline_fit(s.text, s.tokens, effect_words)  # "may cause dehydration" (read_cues)
            if s.attribute == "boxed_warning" and s.chunk_order == 0:
                prior += _BOXED_LEAD / (1 + s.source)  # a boxed warning's first sentences are its gist
            fit = population_fit(s.text, conditions, attribute, s.attribute)
            renal = clearance_fit(s.text, clearance)  # the renal row for the stated CrCl (read_renal)
            if "diet" in hits and _DIET_WORDS.search(s.text):
                prior += _DIET_BONUS  # "What foods should I avoid?": what food does, before what botanicals do
            if "stopping" in hits and _STOPPING_RISK.search(s.text):
                prior += _STOPPING_RISK_BONUS  # "Discontinuation of clopidogrel increases the risk of ..." first
            prior += fit + renal + strength_fit(s.text, strength_off) - noise_penalty(s.text, key)
            if for_other_ages(s.text, conditions) or (fragment(s.text) and not (
                    s.text == nothing_listed(s.attribute) and s.attribute == attribute)):
                continue  # another age's line; names or a heading that say nothing alone (the asked section's
                # "None." says the label lists none)
            # A boxed warning's title names the risk in people, whatever the sentence glued to it found in rats.
            boxed_title = s.attribute == "boxed_warning" and s.text.startswith("WARNING")
            animal = 0.0 if animals or boxed_title else animal_penalty(s.text)
            if animal >= ANIMAL_TOXICITY:
                continue  # lethal doses in mice: never what a patient asked
            prior += overdose_fit(s.text, conditions, s.attribute, child_swallowed) - animal
            if s.attribute == "overdosage" and attribute != "overdosage" and "overdose" not in condition_names:
                # what to do for an overdose ("... calcium containing antacids which can reduce the absorption",
                # "... with co-ingestants including alcohol") is no answer to "cipro and calcium at the same time?"
                # nor to "sertraline and alcohol, is it dangerous?"
                continue
            if products is not None and not asked_product and products.search(s.text):
                prior -= _OTHER_PRODUCT_PENALTY
            if other_brands is not None and other_brands.search(s.text):
                prior -= _OTHER_BRAND_PENALTY
            bonus = (3.0 if partner_hit else 1.5 if effect_hit else 0.0) + (2.0 if condition_hit else 0.0)
            by_name = False
            if partner_hit or effect_hit:  # what happens or what to do before how (read_partner)
                bonus += partner_weight(s.text)
                by_name = any(p.named_in(s.text) for p in partner_patterns)
                if by_name:
                    bonus += NAMED_BONUS  # by its own name, not only a class it is in (read_partner)
            bonus += TOPIC_BONUS * topical**2  # the question's own topic, in whatever section (read_topic)
            on_topic = attribute is not None and s.attribute == attribute and not guessed
            # (not when another medicine is asked about: what the two do together answers; nor a sentence that
            # leans on one before it)
            box_first = (s.attribute == lead_section and s.chunk_order == 0 and s.source < box_lead
                         and not other_asked and not points_back(s.text))
            # (a line on the topic asked, a dose vomited, speaks whatever words it shares: 吐了 shares none)
            if self.strict and not on_topic and not partner_hit and not effect_hit and not box_first and not (
                    asked_topics and speaks_to_asked(asked_topics, s.text)):
                if spec <= 0 and (has_section or s.attribute not in related):
                    continue  # off-section sentences must share a question word, or they quote the label at random
                if (s.attribute not in condition_sections and s.attribute not in related
                        and self._lexical(s, asked_specific, idf, avg_len) <= 0):
                    continue
            if on_unnamed_event(s.text) and not partner_hit:
                continue  # "If it occurs, discontinue sertraline ..." alone reads as "stop it" (read_cues)
            # What was seen in animals is not what the patient must know first.
            safety = (self._is_safety(s, attribute, partner_hit and not topic_led, effect_hit and not topic_led,
                                      hits, health)
                      or warns_against(s.attribute, s.text, s.tokens, expansions)
                      # the taken medicine's label telling what to avoid of the asked one by name, in any section:
                      # Brilinta's "Avoid aspirin at doses higher than recommended" for "300 mg aspirin with it?"
                      or (taken_label and by_name and not topic_led and _DIRECTIVE.search(s.text) is not None)
                      # "Dolo 650" read from a 325 mg label: the daily ceiling in mg before its tablet counts
                      or (strength_off and s.attribute in _CEILING_SECTIONS and mg_ceiling(s.text))
                      # the row for the CrCl or eGFR said that says not to start or use it ("Initiation is not
                      # recommended in patients with eGFR between 30-45")
                      or (renal > 0 and _NOT_FOR_RANGE.search(s.text) is not None)
                      or box_first) and renal >= 0 and (
                animal == 0.0) and not refers_elsewhere(s.text) and not fragment(s.text) and not (
                # "If it occurs, discontinue sertraline ...", marked first alone, read as "yes, stop" (the "it" is the
                # serotonin syndrome of the sentence before): no safety item unless it names the other medicine
                points_back(s.text) and not partner_hit)
            other = safety and not partner_hit and self._names_other(s.text, (mid, *partners), question_text, index)
            stated = s.attribute == "contraindications" and any(h in health_names for h in hits)
            out.append(_Scored(s, lexical + prior + bonus, spec + (1.0 if partner_hit or effect_hit else 0.0),
                               safety, partner_hit or effect_hit, partner_hit, other, fit < 0, topical, stated,
                               partner_by_name=by_name, shares_question=bool(beyond_asking & s.tokens)))
        out.sort(key=lambda x: (-x.score, x.sentence.chunk_order, x.sentence.source))
        return out

    @staticmethod
    def _is_safety(s: _Sentence, attribute: str | None, partner_hit: bool, effect_hit: bool, hits: list[str],
                   health: list[Condition]) -> bool:
        """Shown first whatever was asked: a boxed warning, contraindication or interaction about the other
        medicine (by name, class or what it adds), or one naming the user's stated condition; a warning
        only when it names both, or names asthma, pregnancy or the stopping asked about."""
        if s.attribute not in _SAFETY_SECTIONS or _trial_design(s.text):
            return False  # (how many stopped in a trial for vomiting is no warning about stopping)
        if s.attribute == "warnings" and attribute != "warnings":
            # a warning naming the other medicine (or its class) and what taking both does: serotonin syndrome
            return (partner_hit and (bool(hits) or CONSEQUENCE.search(s.text) is not None)) or any(
                h in SAFETY_CONDITIONS for h in hits)
        if partner_hit or (effect_hit and s.attribute in ("boxed_warning", "interactions", "contraindications")):
            return True
        about_health = [h for h in hits if h in {c.name for c in health} or h in SAFETY_CONDITIONS]
        return bool(about_health) and s.attribute in ("contraindications", "boxed_warning", "warnings")

    def _rank_open(
        self,
        queries: list[SearchQuery],
        pool: list[_Sentence],
        idf: dict[str, float],
        avg_len: float,
        question_terms: set[str],
    ) -> list[_Scored]:
        """No medicine was asked about: only sentences that share rare question words qualify."""
        terms = {t: 1.0 for t in question_terms}
        for q in queries:
            for t in tokenize(q.keywords):
                terms.setdefault(t, 0.5)
        threshold = math.log(1 + 3.0)
        out = []
        for s in pool:
            raw = sum(w * idf.get(t, 0.0) for t, w in terms.items() if t in s.tokens)
            if raw < threshold:
                continue
            prior = (0.5 / (1 + s.rank) if s.rank is not None else 0.0) + 0.1 / (1 + s.source)
            out.append(_Scored(s, self._lexical(s, terms, idf, avg_len) + prior, raw))
        out.sort(key=lambda x: (-x.score, x.sentence.chunk_order, x.sentence.source))
        return self._choose(out, 1)

    # -- choosing --------------------------------------------------------------------------------------

    def _share_budget(self, ranked: list[list[_Scored]]) -> list[list[_Scored]]:
        """Each medicine's choice within an equal share of the answer's characters; what a medicine leaves
        unused goes to the others (a label with one short sentence about the other medicine should not
        cut the second fact of the label that says much)."""
        if len(ranked) < 2:
            return [self._choose(r, 1) for r in ranked]
        total = self._quote_chars(len(ranked))
        if any(s.about_partner for r in ranked for s in r):
            # two labels on each other: each lead line and "Important:" mark is text too (read_partner)
            total -= PARTNER_LEAD_CHARS * len(ranked)
        share = max(160, total // len(ranked))
        chosen = [self._choose(r, len(ranked), share) for r in ranked]
        spare = total - sum(_chars(c) for c in chosen)
        if spare <= 0:
            return chosen
        for i, r in enumerate(ranked):
            wider = self._choose(r, len(ranked), _chars(chosen[i]) + spare)
            spare -= _chars(wider) - _chars(chosen[i])
            chosen[i] = wider
            if spare <= 0:
                break
        return chosen

    def _choose(self, ranked: list[_Scored], medicines: int, budget: int | None = None) -> list[_Scored]:
        """Safety items first (at most three, two of a section), then the best sentences, within the
        sentence, per-chunk and character budgets (shared between the medicines in focus); the best sentence
        is always kept."""
        if budget is None:
            budget = max(160, self._quote_chars(medicines) // max(1, medicines))
        limit = max(1, self.max_sentences // max(1, medicines)) + (1 if medicines > 1 else 0)
        # All safety candidates, the best first: one naming the other medicine or its class before one that
        # only names what its class adds ("bleeding", for warfarin's partner), and what the patient must not
        # do ("contraindicated in women who are pregnant") before what happens. One too long for the budget
        # gives way to the next.
        # the best contraindication naming the stated condition leads; others restating it do not crowd the rest
        lead_contra = next((s for s in ranked if s.safety and s.contraindicates), None)
        # Of two that say as much, the one naming the other medicine itself ("Potassium-sparing diuretics
        # (spironolactone, ...) can increase the risk of hyperkalemia") before one naming a class it is in ("high
        # dose diuretic therapy", for spironolactone).
        safety = sorted((s for s in ranked if s.safety),
                        key=lambda s: (not s.names_partner, decisiveness(s.sentence.text) if s.about_partner else 2,
                                       not s.partner_by_name, s.names_other,
                                       -s.score - (_DIRECTIVE_BONUS if _DIRECTIVE.search(s.sentence.text) else 0.0)
                                       - (_CONTRAINDICATES_BONUS if s is lead_contra else 0.0),
                                       _safety_rank(s.sentence.attribute)))
        safety = _advice_second(safety)
        rest = [s for s in ranked if not s.safety]
        kept: list[_Scored] = []
        per_chunk: Counter[str] = Counter()
        chars = 0
        crowded: list[_Scored] = []
        best = rest[0].score if rest else 0.0
        ordered = safety + rest
        for at, s in enumerate(ordered):
            if len(kept) >= limit:
                break
            if s.safety and _safety_full(kept, s):
                continue  # a section's two best safety items leave room for another section's
            if not s.safety and kept and s is not rest[0] and s.score < self.floor * best:
                break  # what is left answers the question much less well than the best: not quoted
            if (same := next((k for k in kept if _same(k, s)), None)) is not None:
                if _says_more(s, same) and chars - _cost(same) + _cost(s) <= budget and not any(
                        _same(k, s) for k in kept if k is not same):
                    # the kept one is the other's heading ("Dose adjustment in mild to moderate hepatic impairment
                    # (Child-Pugh Class A, B).") and this one gives the amount: this one, in its place
                    kept[kept.index(same)] = replace(s, safety=s.safety or same.safety)
                    chars += _cost(s) - _cost(same)
                continue
            if per_chunk[s.sentence.chunk_id] >= self.max_per_chunk and not _clearly_better(s, ordered[at + 1:]):
                crowded.append(s)
                continue
            if kept and chars + _cost(s) > budget and not (medicines == 1 and rest and s is rest[0] and all(
                    k.safety and k.sentence.attribute != s.sentence.attribute for k in kept)):
                # (the best answer from another section is quoted even when safety items took the budget: "found
                # out I'm 6 weeks pregnant ... should I stop it?" reads the pregnancy line, not only the warning
                # against stopping abruptly)
                continue
            kept.append(s)
            per_chunk[s.sentence.chunk_id] += 1
            chars += _cost(s)
        # A chunk's further good sentences wait for the other chunks' (the cap spreads an answer over the
        # label) and are quoted if room is left: a lactation section of three sentences is one chunk.
        for s in crowded:
            if len(kept) >= limit:
                break
            if ((kept and chars + _cost(s) > budget) or any(_same(k, s) for k in kept)
                    or (s.safety and _safety_full(kept, s))):
                continue
            kept.append(s)
            chars += _cost(s)
        kept = _with_continuations(_best_kept(kept, rest, limit, budget), ranked, budget)
        head = [k for k in kept if k.safety]
        body = sorted((k for k in kept if not k.safety),
                      key=lambda k: (_SECTION_ORDER.get(k.sentence.attribute, 99), k.aside, k.sentence.chunk_order,
                                     k.sentence.source))
        # The passage of a sentence answering much better than the first in reading order leads ("I'm on
        # doxycycline" -> "should I avoid the sun while on it?": photosensitivity, 14.0, before the isotretinoin
        # line that says "avoided", 10.5); of two about as good, the label's order stands (sumatriptan at 20 weeks:
        # the registry's risk summary, 11.6, before the preeclampsia line, 13.6).
        best_body = max(body, key=lambda k: k.score, default=None)
        if best_body is not None and best_body.score >= _LEADS_BY * body[0].score > 0:
            body = sorted(body, key=lambda k: k.sentence.chunk_id != best_body.sentence.chunk_id)
        return head + body

    def _quote_chars(self, medicines: int) -> int:
        """The answer's budget less its lead lines: what the quotes and their citation marks may take."""
        return self.answer_chars - _LEAD_CHARS * max(1, medicines)

    @staticmethod
    def _quote(s: _Scored) -> Quote:
        return Quote(s.sentence.medicine_id, s.sentence.attribute, s.sentence.chunk_id, s.sentence.text, s.safety)

    def display_name(self, mid: str, index: SearchIndex | None, evidence: list[Evidence]) -> str:
        return self._name(mid, index, evidence)[0]

    @staticmethod
    def _name(mid: str, index: SearchIndex | None, evidence: list[Evidence]) -> tuple[str, str]:
        if index is not None and mid in index.medicines:
            entry = index.medicines[mid]
            return entry.name, entry.source
        title = next((e.chunk.title for e in evidence if e.chunk.medicine_id == mid and e.chunk.title), "")
        # A chunk's title is "<medicine> - <section>": the medicine's part names it.
        return (title.split(" - ")[0].strip() or mid.replace("-", " ").title()), ""

    @staticmethod
    def _notice(missing: list[tuple[str, str]]) -> str:
        """`missing`: (the medicine's display name, the section) pairs."""
        if not missing:
            return ""
        listed = "; ".join(f"{m} has no {a.replace('_', ' ')} section" for m, a in missing)
        return f"In the medicine database, {listed}."


# The words a question uses for a section: they say which section is asked (the prior does that), not
# which sentence of it answers.
# The asking of an interaction, in English and in the label words a Chinese 一起吃 / 间隔 expands to.
_ASKING_TOGETHER = frozenset(tokenize(
    "concomitant concomitantly coadministration coadministered interaction interactions interact together "
    "combine combined with hours apart interval separate separately"))

_ATTRIBUTE_WORDS = {
    "adverse_reactions": "side effect effects adverse reaction reactions",
    "dosage": "dose doses dosage dosing how much often",
    "storage": "store storage keep",
    "interactions": "interact interaction interactions together combine with",
    "indications": "used use for treat",
    "contraindications": "who should not contraindicated contraindication",
    "warnings": "warning warnings precaution precautions",
    "pregnancy": "pregnant pregnancy",
    "lactation": "breastfeeding breastfeed nursing",
    "overdosage": "too much overdose",
    # how grave the risks are (read_gravity): no sentence's own word for them
    "boxed_warning": "black box boxed warning serious risk risks danger dangers dangerous worst risky",
}
_SECTION_ORDER = {a: i for i, a in enumerate(ATTRIBUTES)}
# Sections a question about too much taken may have been sent to by its words ("two", "dose", "happens").
_TOO_MUCH_ASKS = (None, "dosage", "indications", "adverse_reactions", "warnings")
# Between the ingredients of a combination product's name: "Amoxicillin and Clavulanate", "amoxicillin/clavulanate".
_JOINER = r"(?:\s*(?:,|/|&|\band\b)\s*|\s+)"
_WORD = re.compile(r"[a-z0-9][a-z0-9-]*")
# What a sentence about a combination product loses against one about the medicine asked.
_OTHER_PRODUCT_PENALTY = 2.5
# What a sentence naming another brand of a merged label loses against one naming none (or the asked one).
_OTHER_BRAND_PENALTY = 1.5
# Labels write a class with a hyphen or a space alike ("ACE-inhibitors", "ACE inhibitors").
_SPACE_OR_HYPHEN = r"[\s-]+"
CLASS_PATTERNS = {c: re.compile(r"\b(?:" + p.replace(" ", _SPACE_OR_HYPHEN) + r")\b", re.IGNORECASE)
                  for c, p in DRUG_CLASSES.items()}
# Classes of the shared table that are kinds of antibiotic (the "antibiotic" class of read_partner.EXTRA_CLASSES).
_ANTIBACTERIAL_KINDS = frozenset({"penicillin", "cephalosporin", "macrolide", "fluoroquinolone"})
# The classes a question may name as the other medicine (read_partner.classes_asked).
_ASKABLE_CLASSES = {**CLASS_PATTERNS, **EXTRA_CLASSES}


def condition_terms_in(tokens: frozenset[str], conditions: list[Condition]) -> list[str]:
    return [c.name for c in conditions if c.named_in(tokens)]


def _ids_named(names: Iterable[str], index: SearchIndex | None) -> list[str]:
    """The database's medicines a name is of, as a combination's ingredient is named ("oxycodone" -> Oxycodone
    Hydrochloride): the whole name, or the name without its salt."""
    if index is None:
        return []
    wanted = {n.casefold() for n in names}
    return [mid for mid, entry in index.medicines.items()
            if entry.name.casefold() in wanted or base_name(entry.name).casefold() in wanted]


def _effect_section(mid: str, pool: list[_Sentence]) -> str | None:
    """Where a label says what a medicine does to the one taking it: its warnings, else its side effects."""
    sections = {s.attribute for s in pool if s.medicine_id == mid}
    return next((a for a in ("warnings", "adverse_reactions") if a in sections), None)


def _safety_rank(section: str) -> int:
    """A safety item's section order; a stated population's own section (read_population) after them."""
    return _SAFETY_SECTIONS.index(section) if section in _SAFETY_SECTIONS else len(_SAFETY_SECTIONS)


def _label_chunks(mid: str, index: SearchIndex | None) -> list[Chunk]:
    """A label's chunks, tables the sentence pool leaves out included."""
    if index is None:
        return []
    return [index.chunks[int(r)] for r in index.rows_by_medicine.get(mid, ())]


def _table_rows(chunks: Iterable[Chunk]) -> dict[str, HeadedRows]:
    """Each medicine's dosing table rows with their headers (read_table), for the labels that have one."""
    by_medicine: dict[str, list[tuple[int, str]]] = {}
    for c in chunks:
        if c.attribute == "dosage":
            by_medicine.setdefault(c.medicine_id, []).append((c.position, c.text))
    found = {mid: headed_rows(section_texts(texts)) for mid, texts in by_medicine.items()}
    return {mid: rows for mid, rows in found.items() if rows}


def _table_row(c: Chunk, row: str) -> _Scored:
    """A flattened dosing table's row for the child asked about (read_population), as a quotable sentence."""
    return _Scored(_Sentence(c.medicine_id, c.attribute, c.chunk_id, c.position, 0, row, sentence_tokens(row, c.lang),
                             None), score=0.0, specific=1.0)


def _dose_rows(question: str, queries: list[SearchQuery], pool: list[_Sentence],
               index: SearchIndex | None) -> list[_Sentence]:
    """For a dose question, the rows of a dosing section held whole in one chunk that no pool sentence quotes
    (an OTC directions block with no full stop; read_dose.recovered_rows)."""
    out: list[_Sentence] = []
    seen: set[str] = set()
    for query in queries:
        if query.medicine is None or query.medicine in seen or not (
                asks_dose(question, query.attribute) or query.attribute == "pediatric") or missed_dose(question):
            continue
        seen.add(query.medicine)
        chunks = [c for c in _label_chunks(query.medicine, index) if c.attribute == "dosage"]
        skip = _name_tokens(query.medicine, index)
        for c in chunks:
            quoted = [s.tokens for s in pool if s.chunk_id == c.chunk_id]
            rows = recovered_rows(c.text, quoted) if len(chunks) == 1 else []
            for n, row in enumerate(rows + indication_rows(c.text, question, skip)):
                out.append(_Sentence(c.medicine_id, c.attribute, c.chunk_id, c.position, 100 + n, row,
                                     sentence_tokens(row, c.lang), None))
    return out


def _other_brand(question: str, mid: str, name: str, index: SearchIndex | None, language: phrases.Language) -> str:
    """The notice for a brand asked whose own label the database lacks, answered from another brand's (read_brand)."""
    if index is None or mid not in index.medicines:
        return ""
    # (not its aliases: a medicine's labels merged, its aliases name brands whose text it may not hold)
    names = frozenset(w.casefold() for w in re.findall(r"[A-Za-z]+", f"{mid} {name}"))
    text = " ".join(c.text for c in _label_chunks(mid, index))
    asked = asked_brand(question, drug_synonyms().get, names, text)
    brand = label_brand(index.medicines[mid].aliases, text) if asked else None
    return brand_notice(name, asked, brand, language) if asked and brand else ""


_LISTED_SECTIONS = frozenset({"adverse_reactions", "warnings"})


def _system_lists(question: str, focus: list[str], index: SearchIndex | None) -> list[_Sentence]:
    """The groups of a flattened list of reactions by body system that name a word of the question (read_runon)."""
    asked = frozenset(t for t in tokenize(question) if t not in QUESTION_NOISE and len(t) >= 4)
    out: list[_Sentence] = []
    for mid in focus:
        for section in _LISTED_SECTIONS:
            chunks = [c for c in _label_chunks(mid, index) if c.attribute == section]
            groups = section_groups(chunks, asked - _name_tokens(mid, index), lambda t: sentence_tokens(t, "en"))
            for n, (c, line) in enumerate(groups):
                out.append(_Sentence(mid, c.attribute, c.chunk_id, c.position, 300 + n, line,
                                     sentence_tokens(line, c.lang), None))
    return out


def _advice_second(safety: list[_Scored]) -> list[_Scored]:
    """After what happens with the other medicine ("can potentiate the hypotensive effects"), what to do about it
    ("initiate at 25 mg"), before a second line saying what happens again."""
    if len(safety) < 3 or not safety[0].about_partner or decisiveness(safety[0].sentence.text) != 0:
        return safety
    advice = next((s for s in safety[1:] if s.about_partner and s.names_partner
                   and decisiveness(s.sentence.text) == 1), None)
    if advice is None or advice is safety[1]:
        return safety
    return [safety[0], advice, *(s for s in safety[1:] if s is not advice)]


def _own_salt(own: re.Pattern[str] | None, partners: list[str]) -> re.Pattern[str] | None:
    """The label's own name with a salt the question asks about as another medicine ("losartan potassium" when
    potassium is asked about), or None when no partner is a salt."""
    salts = [p for p in partners if p in SALT_WORDS]
    if own is None or not salts:
        return None
    return re.compile(rf"(?:{own.pattern})\s+(?:{'|'.join(map(re.escape, salts))})\b", re.IGNORECASE)


_RISK_LIST_SOURCE = 300  # the source number of a risk list's excerpt (a long list's excerpts are 200 on)


def _partner_lists(mid: str, partners: list[_PartnerPatterns], mine: list[_Sentence],
                   index: SearchIndex | None) -> list[_Sentence]:
    """A safety section's list too long to quote that names the other medicine where no quotable sentence of
    its chunk does: its items naming it under the list's head (read_partner.list_excerpt)."""
    if not partners:
        return []

    def names_partner(text: str) -> bool:
        return any(p.names_in(text) for p in partners)

    out: list[_Sentence] = []
    for c in _label_chunks(mid, index):
        if c.attribute not in _SAFETY_SECTIONS or not names_partner(c.text):
            continue
        quotable = any(s.chunk_id == c.chunk_id and names_partner(s.text) for s in mine)
        raws = drug_facts_sentences(c.text)
        for n, raw in enumerate(raws):
            if not quotable and len(raw) > MAX_SENTENCE and (
                    excerpt := list_excerpt(strip_references(raw), names_partner)):
                out.append(_Sentence(mid, c.attribute, c.chunk_id, c.position, 200 + n, excerpt,
                                     sentence_tokens(excerpt, c.lang), None))
            elif names_partner(raw) and (excerpt := risk_list_excerpt(
                    raws[n - 1] if n else _last_sentence(mid, c, index), raw, names_partner)) is not None:
                # "The chance is higher if you: ..." leans on the warning before it, perhaps in the chunk before;
                # its items lost their bullets, so no quotable piece of it says what they are a risk of
                out.append(_Sentence(mid, c.attribute, c.chunk_id, c.position, _RISK_LIST_SOURCE + n, excerpt,
                                     sentence_tokens(excerpt, c.lang), None))
    return out


def _last_sentence(mid: str, chunk: Chunk, index: SearchIndex | None) -> str:
    """The last sentence of the chunk before `chunk` in its section ('' when it is the section's first)."""
    before = [c for c in _label_chunks(mid, index)
              if c.attribute == chunk.attribute and c.position == chunk.position - 1]
    return drug_facts_sentences(before[0].text)[-1] if before and before[0].text.strip() else ""


def _name_tokens(mid: str, index: SearchIndex | None) -> frozenset[str]:
    """A medicine's id, name and aliases as tokens: words of a question that name it, not its indication."""
    names = [mid.replace("-", " ")]
    if index is not None and mid in index.medicines:
        names += [index.medicines[mid].name, *index.medicines[mid].aliases]
    return frozenset(t for n in names for t in tokenize(n))


def _dose_key(s: _Scored) -> tuple[str, str, frozenset[str]]:
    return s.sentence.attribute, s.sentence.text, s.sentence.tokens


def _shifted(s: _Scored, delta: float) -> _Scored:
    return replace(s, score=s.score + delta)


def _section_text(s: _Scored) -> tuple[str, str]:
    return s.sentence.attribute, s.sentence.text


def _raised(s: _Scored, boost: float, safety: bool) -> _Scored:
    return replace(s, score=s.score + boost, safety=s.safety or safety)


def _safety_full(kept: list[_Scored], s: _Scored) -> bool:
    """No room for another safety item: three shown, or two of its section."""
    safety = [k.sentence.attribute for k in kept if k.safety]
    return len(safety) >= _MAX_SAFETY or safety.count(s.sentence.attribute) >= 2


# Which of the medicines said is the one: "which one?", "one of them", "either of those", "是哪个", "边只".
_WHICH_OF_THEM = re.compile(r"\bwhich (?:one|of (?:them|the two|these|those|my \w+))\b|"
                            r"\b(?:one|either|any) of (?:them|the two|these|those|my \w+)\b|"
                            r"\bwhich (?:is|would be|could be) (?:it|causing|to blame)\b|"
                            # "Is naproxen or ibuprofen better for period pain?": each for itself, not the pair
                            r"\b(?:better|best|safer|stronger|more effective|gentler|kinder)\b|\bversus\b|\bvs\.?\s|"
                            r"是哪(?:个|一个|种)|哪(?:个|一个|种)(?:药)?(?:引起|导致|的问题)|边(?:只|个|种)",
                            re.IGNORECASE)


def _same(a: _Scored, b: _Scored) -> bool:
    """The same sentence, one within the other, or one restating the other. Parts of one source sentence (a
    population's list, a boxed warning's title) are not the same: each says its own thing."""
    return a.sentence.text == b.sentence.text or _overlaps(a.sentence.text, b.sentence.text) or (_restates(
        a.sentence.tokens, b.sentence.tokens) and not _own_amount(a.sentence.text, b.sentence.text))


def _best_kept(kept: list[_Scored], rest: list[_Scored], limit: int, budget: int) -> list[_Scored]:
    """The best answer to the question asked, scoring above every sentence kept, is quoted: when the safety items
    left it no room, a warning standing alone among them and scoring under it (never the first item, never a boxed
    warning or contraindication) gives way ("can I just stop my nadolol?": "reduce the dosage gradually over a
    period of one to two weeks" before a warning on abrupt withdrawal in thyrotoxicosis)."""
    if not rest or not kept or rest[0].score <= kept[0].score or any(k is rest[0] or _same(k, rest[0]) for k in kept):
        return kept  # only the sentence scoring above every one kept: the question's own answer
    best = rest[0]
    out = list(kept)
    # a warning standing alone (not the instruction beside the leading warning, "Discontinue at the first
    # appearance of skin rash", from the same chunk)
    weaker = sorted((k for k in out[1:] if k.safety and k.sentence.attribute == "warnings" and k.score < best.score
                     and not any(o is not k and o.sentence.chunk_id == k.sentence.chunk_id for o in out)),
                    key=lambda k: k.score)
    while weaker and (len(out) >= limit or _chars(out) + _cost(best) > budget):
        out.remove(weaker.pop(0))
    if len(out) >= limit or _chars(out) + _cost(best) > budget:
        return kept
    return [*out, best]


# The longest sentence read on after a quoted one because it opens on what that one said.
_CONTINUATION_CHARS = 200


def _with_continuations(kept: list[_Scored], ranked: list[_Scored], budget: int) -> list[_Scored]:
    """A kept sentence's next one in its chunk, where that one opens on what it said ("Ask a doctor ... if you are
    taking ... medication for seizures (epilepsy)." then "These medications may reduce the effectiveness of
    levonorgestrel."): read on after it, in its place, as one passage. A quoted sentence whose consequence is
    left out tells half the answer; the continuation takes the room of other sentences kept that score under it,
    never of a safety item."""
    following = {(s.sentence.chunk_id, s.sentence.source): s for s in ranked
                 if len(s.sentence.text) <= _CONTINUATION_CHARS and points_back(s.sentence.text)}
    out = list(kept)
    for k in kept:
        after = following.get((k.sentence.chunk_id, k.sentence.source + 1))
        if after is None or k not in out or any(o is after or _same(o, after) for o in out):
            continue
        # (only what answers less well than the continuation itself gives way to it)
        weaker = sorted((o for o in out if o is not k and not o.safety and o.score < after.score),
                        key=lambda o: o.score)
        trimmed = list(out)
        while weaker and _chars(trimmed) + _cost(after) > budget:
            trimmed.remove(weaker.pop(0))
        if _chars(trimmed) + _cost(after) > budget:
            continue
        out = trimmed
        out.insert(out.index(k) + 1, replace(after, safety=k.safety, score=min(after.score, k.score)))
    return out


def _says_more(s: _Scored, kept: _Scored) -> bool:
    """`s` holds nearly every word of the shorter `kept` and gives an amount `kept` lacks (a dose, a clearance
    band): of two that say the same, the one with the amount."""
    mine, theirs = s.sentence.tokens, kept.sentence.tokens
    return (len(theirs) < len(mine) and len(mine & theirs) >= 0.85 * len(theirs)
            and bool(_amounts(s.sentence.text) - _amounts(kept.sentence.text)))


def _cost(s: _Scored) -> int:
    """What a quoted sentence adds to the answer: its text and its citation mark (' [3]')."""
    return len(s.sentence.text) + _MARK_CHARS


def _chars(chosen: list[_Scored]) -> int:
    return sum(_cost(s) for s in chosen)


def _overlaps(a: str, b: str) -> bool:
    """One within the other, whatever the case and spacing ("Lithium Generally should not be given with diuretics."
    under a heading and the same sentence in another section)."""
    a, b = _plain(a), _plain(b)
    return a in b or b in a


@lru_cache(maxsize=65536)  # every pair of a turn's kept and candidate sentences is compared
def _plain(text: str) -> str:
    return " ".join(text.lower().split())


# A chunk's third sentence scoring this much above the next other chunk's is quoted before it: "Exposure to
# temperatures above 120°F may cause bursting." (5.6) over an indications line (3.9) for "ok in a hot car?".
_CLEARLY_BETTER = 1.3


def _clearly_better(s: _Scored, after: list[_Scored]) -> bool:
    nxt = next((o for o in after if not o.safety and o.sentence.chunk_id != s.sentence.chunk_id), None)
    return not s.safety and nxt is not None and s.score >= _CLEARLY_BETTER * nxt.score > 0


@lru_cache(maxsize=65536)
def _trial_design(text: str) -> bool:
    return trial_design(text)


def _restates(a: frozenset[str], b: frozenset[str]) -> bool:
    """Nearly every word of the shorter sentence is in the other: labels repeat a warning in two sections with
    other spacing, punctuation or a heading ("Overdose warning: In case of overdose, get medical help ...")."""
    shorter = min(len(a), len(b))
    return shorter >= 6 and len(a & b) >= 0.85 * shorter


# An amount a sentence gives: a dose, a volume, a clearance, a share, a duration ("2 mg", "10-30 mL/min", "4 months").
_AMOUNT = re.compile(r"\b\d+(?:[.,]\d+)?(?:\s*(?:-|–|—|to)\s*\d+(?:[.,]\d+)?)?\s*(?:mg|mcg|µg|g|mL|L|units?|IU|%|"
                     r"tablets?|capsules?|days?|hours?|weeks?|months?)(?![\w])", re.IGNORECASE)


def _amounts(text: str) -> frozenset[str]:
    return frozenset(re.sub(r"\s+", "", m.group(0)).lower().replace("–", "-").replace("—", "-")
                     for m in _AMOUNT.finditer(text))


def _own_amount(a: str, b: str) -> bool:
    """The shorter sentence gives an amount the other does not: it says something of its own ("the recommended
    dose ... is 2 mg once daily" for Child-Pugh A or B beside "not recommended ... (Child-Pugh Class C)")."""
    short, other = (a, b) if len(a) <= len(b) else (b, a)
    return bool(_amounts(short) - _amounts(other))

