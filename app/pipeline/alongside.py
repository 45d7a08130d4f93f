"""Asking to take a medicine alongside another one the person takes: the interaction is the question.

"My doctor just put me on warfarin. Can I take ibuprofen for back pain?", "I started sertraline two weeks
ago. Is it ok to also take St John's wort for my mood?", "I'm on lisinopril, should I use naproxen for my
knee?": whatever the new medicine is for ("for back pain" reads as an indications cue, "also take" as a
dose), the person asks whether it goes with what they take. Not when the question names a section outright
(a dose, side effects, pregnancy: a strong cue) or asks about the medicine they take itself.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from app.pipeline.asks_cause import asks_cause
from app.pipeline.attributes import classify_attribute
from app.pipeline.context import TAKEN, ConversationContext, Owner, question_owner
from app.pipeline.intent import STRONG_CUE
from indexing.schema import Attribute

if TYPE_CHECKING:
    from app.pipeline.lexicon import NameMatch

# Whether to take, use or add a medicine: "can I take", "is it ok to also take", "should I use", "can I add".
_ASKS_TO_TAKE = re.compile(
    r"\b(?:can|could|may|might|should|shall|do|would)\s+(?:i|we|he|she|they|my \w+)\s+"
    r"(?:also\s+|still\s+|safely\s+|just\s+)?"  # ("Can he just take some of mum's omeprazole?")
    r"(?:take|use|have|start|try|give|get|add|pop|buy|purchase)\b|"
    r"\b(?:safe|ok|okay|alright|all right|fine|good idea|bad idea|a problem|an issue)\b.{0,25}"
    r"\b(?:to (?:also )?(?:take|use|start|add|try|have)|taking|using|adding|starting)\b|"
    r"\b(?:is|are) (?:\w+ ){0,3}(?:safe|ok|okay|fine|alright)\b|"
    # "am I allowed to take", "is it alright if I use", "would it hurt to add"
    r"\b(?:am|are|is) (?:i|we|he|she|they|my \w+) (?:allowed|able|permitted|cleared) to (?:also )?"
    r"(?:take|use|have|start|add|try)\b|"
    # "Is she allowed naproxen with hers?"
    r"\b(?:am|are|is) (?:i|we|he|she|they|my \w+) (?:allowed|permitted)\b|"
    r"\bif (?:i|he|she|we|they|the patient|pt) (?:also )?"
    r"(?:takes?|uses?|have|has|starts?|adds?|gets?)\b|"
    r"\b(?:hurt|harm) to (?:also )?(?:take|use|add)\b|"
    # "He wants to take Aleve for his arthritis" (a wish told, beside what he is on)
    r"\b(?:wants?|wanted|would like|'d like) to (?:also )?(?:take|use|try|start)\b|"
    # "I'm on warfarin." ... "and what about aspirin for a headache?"
    r"^\W*(?:and |so |ok,? )?(?:what|how) about\b|"
    # "我爸...能不能直接吃我妈的奥美拉唑？", "可以同时吃布洛芬吗"
    r"(?:能不能|可不可以|可以|能)(?:直接|同时|一起|也|再)?(?:吃|服|用|喝)",
    re.IGNORECASE,
)
# A medicine said to be taken inside the asking sentence: "while on X", "with my X", "since I'm on X".
_TAKEN_IN_QUESTION = re.compile(
    r"\b(?:while|when|since|as|because|if)\s+(?:i'?m\s+|i am\s+|i'm\s+|he'?s\s+|she'?s\s+)?(?:already\s+|still\s+)?"
    r"(?:on|taking|using)\s+"
    r"(?:my\s+|the\s+)?$|\b(?:with|alongside|plus)\s+(?:my|his|her|the)\s+$|"
    r"(?:^|[,;]\s*|\band\s+)(?:i'?m|i am|i've been|i have been|i)\s+(?:on|taking|take|using|use)\s+$|"
    # "my husband is on clopidogrel, can he take omeprazole?"
    r"(?:^|[,;]\s*|\band\s+)(?:my \w+|he|she|they)(?:'s| is| are| has been| have been)\s+(?:on|taking|using)\s+"
    r"(?:his\s+|her\s+|their\s+)?$",
    re.IGNORECASE,
)
# A name with its dose and schedule in the question ("HCTZ 25 daily - ok if he also starts lithium?", "MTX 15 mg
# weekly"): how a clinician says what the patient is on.
_DOSED_AFTER = re.compile(
    r"^\s*\d+(?:\.\d+)?\s*(?:mg|mcg|g|units?)?\s*(?:daily|bid|b\.i\.d|tid|qid|qd|od|qhs|nocte|once|twice|weekly|"
    r"a day|a week|per day|every)\b", re.IGNORECASE)
# Sections a purpose or a general concern is mistaken for; a strong cue for any other keeps its section.
_OVERRIDABLE = {None, Attribute.INDICATIONS, Attribute.WARNINGS, Attribute.CONTRAINDICATIONS, Attribute.DOSAGE,
                Attribute.ADVERSE_REACTIONS, Attribute.PHARMACOLOGY, Attribute.DESCRIPTION,
                # ("Can I buy him Viagra Connect?": buying reads as the product's forms)
                Attribute.DOSAGE_FORMS,
                # ("my 80 year old father ... wants to take Aleve": his age is read as a condition)
                Attribute.GERIATRIC}
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _asking_sentence(question: str) -> str:
    sentences = [s for s in _SENTENCE.split(question.strip()) if s.strip()]
    asking = [s for s in sentences if _ASKS_TO_TAKE.search(s)]
    if not asking and len(sentences) > 1 and _CONCERN_ABOUT_IT.search(sentences[-1]) \
            and _PROPOSED.search(sentences[-2]):
        # "The doctor wants to give him clarithromycin for a chest infection. Any problem with that?"
        return f"{sentences[-2]} {sentences[-1]}"
    return asking[-1] if asking else ""


# Given to someone else: "The doctor wants to give him clarithromycin"
_TO_THEM = re.compile(r"\b(?:give|giving|gave|given|prescribe|prescribing|start|starting|put|putting) "
                      r"(?:him|her|them)\b", re.IGNORECASE)
# A medicine proposed in one sentence, the concern asked in the next
_PROPOSED = re.compile(r"\b(?:wants?|wanted|going|plans?|planning|would like|has decided|decided|suggested|"
                       r"suggests?) to (?:give|start|put|prescribe|add|try)\b|\b(?:prescribed|given|started)\b",
                       re.IGNORECASE)
_CONCERN_ABOUT_IT = re.compile(r"\b(?:any|a) (?:problem|issue|concern|risk|clash)s?\b|\b(?:is|would|will) (?:that|it|"
                               r"this) (?:be )?(?:ok|okay|safe|fine|alright|all right|a problem|an issue)\b|"
                               r"\bshould (?:i|we) (?:be )?worr", re.IGNORECASE)


def _position(surface: str, text: str) -> int:
    """Where a name (in matching form: "st john s wort") is in the text as written ("St John's wort"); -1."""
    found = re.search(r"\b" + r"\W+".join(map(re.escape, surface.casefold().split())) + r"\b", text)
    return found.start() if found else -1


def _strongly_cued(question: str, attribute: Attribute | None) -> bool:
    if attribute is None or attribute in (Attribute.INDICATIONS, Attribute.WARNINGS, Attribute.CONTRAINDICATIONS):
        return False
    scores = classify_attribute(question).scores
    return scores.get(attribute.value, 0.0) >= STRONG_CUE


def taken_alongside(question: str, latest: list[NameMatch], context: ConversationContext,
                    attribute: Attribute | None) -> set[str]:
    """The medicines (ids; "?name" for one the database lacks) the person takes beside the one the question
    asks to take (named in the asking sentence, in the database or not): those the conversation (or the
    records) says they take, and those the asking sentence says they are on ("while on warfarin"). Empty:
    the question does not ask to take one medicine alongside another."""
    if attribute is Attribute.INTERACTIONS or attribute not in _OVERRIDABLE:
        return set()
    sentence = _asking_sentence(question)
    # the asking sentence's cue ("I take Gaviscon after meals. Is that fine with omeprazole?": "after meals"
    # tells when the other is taken, it does not ask a dose)
    # ("Is the high potassium from the spironolactone?": the cause of an effect asked, not a second medicine taken)
    if not sentence or _strongly_cued(sentence, attribute) or asks_cause(sentence):
        return set()
    lowered = sentence.casefold()
    asked: set[str] = set()
    taken: set[str] = set()
    for m in latest:
        at = _position(m.surface, lowered)
        if at < 0:
            continue  # named in another sentence of the turn ("My doctor put me on warfarin.")
        key = m.medicine_id or f"?{m.surface.casefold()}"
        dosed = _DOSED_AFTER.search(lowered[at + len(m.surface):]) is not None
        (taken if dosed or _TAKEN_IN_QUESTION.search(lowered[max(0, at - 40):at]) else asked).add(key)
    if not asked:
        return set()
    owner = question_owner(sentence) or (Owner.RELATIVE if _TO_THEM.search(sentence) else Owner.USER)
    said_taken = {m.medicine_id or f"?{m.surface.casefold()}" for m in context.medicines
                  if m.owner is owner and m.status in TAKEN and m.turn <= context.question_turn
                  and _position(m.surface, lowered) < 0}
    stopped = {m.medicine_id for m in context.latest() if m.owner is owner and m.status not in TAKEN}
    return (taken | (said_taken - stopped)) - asked
