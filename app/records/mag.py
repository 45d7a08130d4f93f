"""MedRecord-augmented generation inside the turn: what the patient's records change about it.

- Partners (stage `medication_partners`, after distill, whatever the distiller): a question about taking a
  drug ("can I take ibuprofen?") for a patient whose records list current medications gets interaction
  queries for the asked drug and for those medications.
  A recorded medication is the database medicine its RxNorm code maps to (app.records.medications), else
  the one its words name. A partner whose label names the asked drug's class ("NSAIDs" in lisinopril's
  label, ibuprofen a "Nonsteroidal Anti-inflammatory Drug [EPC]") gets that class term in its query.
- Outcome (stage `patient_outcome`, after read): an asked drug the patient's records (or the user, in this
  conversation) list an allergy to is flagged, by name, by class (a penicillin allergy and amoxicillin, a
  penicillin-class drug) or by the drug's label contraindications; records are cited as records (R1, R2,
  ... in the order the reader's history block lists them), never as label evidence.

The patient's context itself comes from the `patient_context` stage (app/records/provider.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from app.pipeline.class_reference import is_of_kind, kinds_as_partner
from app.pipeline.context import (
    BARE_RELATIVES,
    REFERS_BACK,
    SAID,
    ConversationContext,
    MedStatus,
    Owner,
    question_owner,
)
from app.pipeline.generic_names import shipped_name_table
from app.pipeline.lexicon import MedicineLexicon, ingredient_names
from app.pipeline.state import Distillation, Notice, NoticeKind, SearchQuery, TurnState
from app.records.interactions import InteractionLinks, classes_in, links_for
from app.records.model import AllergyConflict, Partner, PatientContext, RecordCitation
from indexing.store import SearchIndex
from indexing.text import tokenize
from indexing.vocabulary import CJK_RANGES, DOSE_FORM_WORDS

# "can I take X", "is it safe to use X", "should I start X": asking whether to take a drug, which for a
# patient on other medicines is an interaction question.
TAKING_CUE = re.compile(
    r"\b(?:can|could|may|might|should|shall)\s+(?:i|we|he|she|they|my \w+|(?:your |the )?(?:"
    + BARE_RELATIVES + r"|baby|kids?|child))\s+(?:also\s+|still\s+|\w+ly\s+)?"
    # ("Should they have?", "should they have told me?": the past of someone else's doing, not taking a medicine)
    r"(?:take|use|start|try|give|add|(?:have|get)(?!\s*(?:[?.!]|$)|\s+(?:been|told|given|done|sent|known|seen|"
    r"checked|tested|warned|said)\b))\b|"
    r"\b(?:safe|ok|okay|alright|all right|fine|good idea|careful|worr(?:y|ied)|concerned)\b.{0,40}"
    r"\b(?:to take|to use|to start|taking|using)\b|"
    r"\b(?:take|taking|use|using)\b.{0,40}\b(?:safe|ok|okay)\b|\binteract|"
    # "Would Viagra be safe for me?" after "I use a nitroglycerin spray": the new medicine beside the own one
    r"\b(?:would|will)\s+(?:it|this|that|[\w-]+)\s+be\s+(?:safe|ok|okay|alright|all right|fine)\b|"
    # "My dentist prescribed metronidazole. Is that a problem?": a concern about a medicine newly given.
    r"\b(?:a problem|an issue|any issues?|a concern|anything i should know|anything to know|risky|a risk|"
    r"combination|combine|combined|together|mix(?! (?:them|it|those|these|the \w+) up\b)|mixing|any issue)\b|"
    # "Is that ok?", "Does the transplant team need to change anything?" after a medicine newly started
    r"\b(?:is|would) (?:that|this|it) (?:be )?(?:ok|okay|alright|all right|fine|safe)\b|"
    # (not "Do I need to stop the new one beforehand?" of an operation: the label's procedure lines, alone)
    r"\b(?:need|have) to (?:change|adjust|stop|hold|worry)\b"
    r"(?![^.?!]{0,40}\b(?:before|beforehand|ahead of|prior to)\b)|"
    r"\bchange anything\b|"
    # "What should I watch for taking it with my current one?"
    r"\b(?:taking|take|using|use) (?:it|this|them|that|both) (?:with|alongside)\b|"
    # "He wants to take Aleve for his arthritis" (said, not asked, beside his warfarin)
    r"\b(?:wants?|wanted|wanting|would like|'d like|planning|plans?|thinking of|considering|going|about) to "
    r"(?:take|use|start|try|give|have)\b|"
    # "Anything I should avoid? Was going to take Nurofen." ("thinking of taking", "thought about giving")
    r"\b(?:thinking|thought) (?:of|about) (?:taking|using|starting|trying|giving)\b|"
    # 能吃吗, 可以吃吗, 能用吗, 他能吃萘普生吗, 想吃奥美拉唑，可以吗, 能和布洛芬一起吃吗 (not 一天能吃几次: a dose)
    r"(?:能|可以|可不可以|能不能|能否|可否)(?:[和跟与同].{1,16}?)?(?:一起|同时|再|也|继续)?(?:吃|用|服用?|喝|打)"
    # a short reason after it, not a second ask: "她能吃点阿莫西林吗，牙疼"
    r"(?!几|多)[^,，。?？]{0,16}?(?:吗|么|嘛)?\s*[?？。.!！]*"
    r"(?:[,，](?![^,，。]*?(?:几|多少|多久|怎么|什么|啥|哪|吗|么|呢|还是|能不能|可不可以|会不会))[^,，。?？]{1,10}[?？。.!！]*)?"
    r"\s*$|(?:能|可以)(?:吗|么|嘛)\s*[?？。.!！]*\s*$|"
    r"一起[吃用服]|同时[吃用服]|合用|同服",
    re.IGNORECASE,
)
# "and with tramadol?" after "I take sertraline 100 mg every day.": only "with X" is said, which asks about
# taking X with what is taken, whatever section the earlier turn's words (a dose) suggested.
WITH_FOLLOW_UP = re.compile(
    r"^\s*(?:and|but|so|also|what about|how about|and what about|and how about)?\s*(?:taking it\s+|if i take it\s+)?"
    r"(?:together\s+)?with\s+(?:a\s+|an\s+|some\s+)?[\w-]+(?:\s+[\w-]+){0,2}?\s*[?.!]*\s*$",
    re.IGNORECASE,
)
CONTEXT_SOURCE = "said in this conversation"
_MY_MEDICINES = re.compile(r"\bmy (?:other |current |usual |regular )?(?:medicines?|medications?|meds|pills|"
                           r"prescriptions?|drugs|tablets)\b", re.IGNORECASE)
_PARTNER_ATTRIBUTES = {None, "interactions", "warnings", "contraindications", "indications"}
_ALLERGY_WORDS = frozenset(
    """allergy allergies allergic to intolerance intolerant hypersensitivity reaction reactions
    product products substance finding disorder animal the of and history""".split()
)
MAX_PARTNERS = 3
CJK = re.compile(f"[{CJK_RANGES}]")



# "Is it ok for her to take ...", "it's safe to ...": an "it" that stands for no medicine
_EXPLETIVE_IT = re.compile(
    r"\b(?:is|was|would|will|could|isn'?t)\s+it\s+(?:be\s+)?(?:ok|okay|safe|alright|all right|fine|possible|bad|"
    r"dangerous|wise|advisable|a problem|an issue|too late|too soon)\s+(?:to|for|if)\b|"
    r"\bit'?s\s+(?:ok|okay|safe|alright|fine|bad|dangerous)\s+(?:to|for|if)\b",
    re.IGNORECASE)

def medication_ids(text: str, lexicon: MedicineLexicon) -> list[str]:
    """Medicines a record's medication entry names ("Warfarin Sodium 5 MG Oral Tablet" -> warfarin-sodium):
    exact name matches only, and not ones made of dose or dosage-form words."""
    out: list[str] = []
    for m in lexicon.find(text):
        if m.how != "exact" or m.medicine_id is None or m.medicine_id in out:
            continue
        words = [w for w in re.findall(r"[a-z]+", m.surface.casefold()) if len(w) >= 3]
        if any(w not in DOSE_FORM_WORDS for w in words):
            out.append(m.medicine_id)
    return out


def entry_medicines(patient: PatientContext, entry: str, lexicon: MedicineLexicon) -> list[str]:
    """The medicines a current-medication entry is: as the provider resolved it (RxNorm code first), else
    by exact name."""
    resolved = patient.medicine_ids.get(entry)
    return list(resolved) if resolved is not None else medication_ids(entry, lexicon)


def unchecked_medications(patient: PatientContext | None, lexicon: MedicineLexicon) -> list[str]:
    """Current-medication entries that name no medicine of the database ("Lithium Carbonate 300 MG Oral
    Capsule" where lithium has no label): an interaction check cannot cover them, and the answer says so."""
    if patient is None:
        return []
    return [e for e in patient.current_medications if not entry_medicines(patient, e, lexicon)][:MAX_PARTNERS]


def said_taken(conversation: ConversationContext | None, question: str = "", question_turn: bool = True) -> list[str]:
    """Medicines the user's turns say are taken (not those merged in from the records) by the person the
    question is about: the user's own, or a relative's when the question speaks of them ("My mom is on
    Eliquis." ... "Is it ok for her to take Advil?")."""
    if conversation is None:
        return []
    owner = question_owner(question) or conversation.asker or Owner.USER
    before = [m.medicine_id for m in conversation.taken_by(owner) if m.medicine_id and m.source == SAID]
    # The question's own turn counts for what is taken already ("I take lisinopril every morning. Can I take
    # naproxen?"), not for what was just given ("The ER gave me tramadol. Can I take it?" asks about it).
    now = [m.medicine_id for m in conversation.taken_by(owner, before_turn=conversation.question_turn + 1)
           if m.medicine_id and m.source == SAID and m.turn == conversation.question_turn
           and m.status in (MedStatus.CURRENT, MedStatus.LONG_TERM) and m.medicine_id not in before]
    return now + before if question_turn else before


def medication_partners(
    patient: PatientContext | None,
    lexicon: MedicineLexicon,
    exclude: set[str],
    limit: int = MAX_PARTNERS,
    conversation: ConversationContext | None = None,
    question: str = "",
) -> list[Partner]:
    """The patient's current medications that are in the database, in the provider's order (most
    relevant to the question first), then the medicines the user said in this conversation they take
    (most recent first), without the drugs already asked about nor those the user says they stopped."""
    stopped = conversation.stopped_by_user() if conversation is not None else set()
    out: list[Partner] = []
    for entry in patient.current_medications if patient is not None else []:
        for mid in entry_medicines(patient, entry, lexicon) if patient is not None else []:
            if mid not in exclude and mid not in stopped and all(p.medicine_id != mid for p in out):
                out.append(Partner(mid, lexicon.names.get(mid, mid), entry))
    for said in said_taken(conversation, question):
        if said not in exclude and all(p.medicine_id != said for p in out):
            out.append(Partner(said, lexicon.names.get(said, said), CONTEXT_SOURCE))
    return out[:limit]


def class_terms(links: InteractionLinks | None, asked: list[str], partners: list[Partner]) -> dict[str, list[str]]:
    """Medicine id -> the words its label uses for a class of the other drug of a label-linked pair (asked
    drug, partner): lisinopril's "NSAIDs" when ibuprofen is asked. Added to that medicine's query."""
    terms: dict[str, list[str]] = {}
    if links is None:
        return terms
    for a in asked:
        for p in partners:
            for link in links.linked(a, p.medicine_id):
                if link.via.startswith("class:"):
                    have = terms.setdefault(link.source, [])
                    if link.term.casefold() not in {t.casefold() for t in have}:
                        have.append(link.term)
    return terms


def _join(*parts: str) -> str:
    words: list[str] = []
    for part in parts:
        words.extend(w for w in part.split() if w.casefold() not in {x.casefold() for x in words})
    return " ".join(words)


def _asked_in_database(distilled: Distillation, lexicon: MedicineLexicon) -> list[SearchQuery]:
    # a product the database lacks, as the user's medicine's label names it (app.pipeline.distill), is no
    # medicine to pair: only what is in the database is asked
    return [q for q in distilled.queries if q.medicine and q.medicine in lexicon.names]


def _about_taking(
    distilled: Distillation, question: str, asked: list[SearchQuery], said: list[str]
) -> tuple[bool, bool]:
    """(the question is about taking the asked drug, so its partners are checked; it is only "and with
    ...?", a follow-up naming no new medicine whose section stands)."""
    attributes = {q.attribute for q in distilled.queries}
    only_with = WITH_FOLLOW_UP.search(question) is not None and bool({q.medicine for q in asked} - set(said))
    # (a dose question asks whether to take it too when it asks no amount: "I've got a big bottle of 325 mg aspirin
    # at home, can I use those up instead of buying the small ones?" on ticagrelor)
    partner_attributes = _PARTNER_ATTRIBUTES | ({"dosage"} if not _ASKS_AN_AMOUNT.search(question) else set())
    about_taking = "interactions" in attributes or only_with or (
        TAKING_CUE.search(question) is not None and attributes <= partner_attributes
    )
    return about_taking, only_with


_ASKS_AN_AMOUNT = re.compile(r"\bhow (?:much|many|often|long|soon)\b|\bwhat (?:dose|strength|time)\b|"
                             r"\bmax(?:imum)?\b|\bdos(?:e|es|age|ing)\b|\bwhen\b|\bevery \d|"
                             r"多少|几(?:次|片|粒|颗)|剂量|用量|多久|什么时候", re.IGNORECASE)


def unchecked_in_question(
    distilled: Distillation, question: str, patient: PatientContext | None, lexicon: MedicineLexicon,
    conversation: ConversationContext | None = None,
) -> list[str]:
    """The recorded medications an interaction check of this question could not cover (not in the
    database), when the question asks about taking a medicine of the database."""
    unchecked = unchecked_medications(patient, lexicon)
    asked = _asked_in_database(distilled, lexicon)
    if not unchecked or not asked:
        return []
    return unchecked if _about_taking(distilled, question, asked, said_taken(conversation, question))[0] else []


def add_medication_partners(
    distilled: Distillation,
    question: str,
    patient: PatientContext | None,
    lexicon: MedicineLexicon,
    conversation: ConversationContext | None = None,
    links: Callable[[], InteractionLinks | None] | None = None,
) -> tuple[Distillation, list[Partner]]:
    """Interaction queries for the patient's current medications, and for those the user said in this
    conversation they take, when the question is about taking a drug (or about interactions); the asked
    drug's own query becomes an interaction query naming them.

    "Can I drink alcohol with my medicines?" names no drug: each current medication gets a query."""
    said = said_taken(conversation, question)
    if (patient is None or not patient.current_medications) and not said:
        return distilled, []
    asked = _asked_in_database(distilled, lexicon)
    about_taking, only_with = _about_taking(distilled, question, asked, said)
    if not asked:
        if not (_MY_MEDICINES.search(question) and distilled.queries and not distilled.unknown_drugs):
            return distilled, []
        attribute = distilled.queries[0].attribute
        partners = medication_partners(patient, lexicon, set(), conversation=conversation)
        own = [SearchQuery(p.medicine_id, attribute, _join(p.name, distilled.queries[0].keywords)) for p in partners]
        return replace(distilled, queries=own or distilled.queries), partners
    if not about_taking:
        return distilled, []
    asked_ids = {q.medicine for q in asked if q.medicine}
    # From the conversation alone, only a medicine newly asked about gets partners: "I take warfarin. Can I
    # take more warfarin?" asks about warfarin, not about warfarin with itself.
    if (patient is None or not patient.current_medications) and asked_ids <= set(said):
        return distilled, []
    # "I take lisinopril every morning. Can I take naproxen?" names both in the question's turn: the one
    # said to be taken is a partner of the new one, not a second medicine asked about.
    # (A medicine said earlier and asked about again, "Can I take it with ibuprofen?", stays asked.)
    earlier = set(said_taken(conversation, question, question_turn=False))
    taken_now = set(said) - earlier
    # "I'm on digoxin." ... "My cardiologist wants to add amiodarone. Any problem?": the distiller searched the
    # digoxin said before beside the new medicine; it is a partner (with the notice), not a second medicine
    # asked about, when the question neither names it nor points back at it ("can I take it with ...?")
    # ("is it ok for her to take naproxen?": that "it" is no medicine, the one in "is it ok with it?" is)
    from_context = set() if REFERS_BACK.search(_EXPLETIVE_IT.sub(" ", question)) else {
        mid for mid in asked_ids & earlier if mid not in medication_ids(question, lexicon)}
    new_ids = asked_ids - taken_now - from_context or asked_ids - taken_now or asked_ids
    partners = medication_partners(patient, lexicon, new_ids, conversation=conversation, question=question)
    # ("I take lisinopril ... can I have ibuprofen": the asked ibuprofen's other product is no partner of it)
    asked_cores = {_ingredients(lexicon.names.get(m, m)) for m in asked_ids - {p.medicine_id for p in partners}}
    partners = [p for p in partners if _ingredients(lexicon.names.get(p.medicine_id, p.name)) not in asked_cores]
    if not partners:
        return distilled, []
    # "Can I take ibuprofen with the blood thinner?": the one taken of that kind, not all the list
    if kinds := kinds_as_partner(question):
        def of_a_kind(mid: str) -> bool:
            return any(is_of_kind(k, f"{lexicon.names.get(mid, mid)} {mid}", lexicon.classes.get(mid, ()))
                       for k in kinds)

        of_kind = [p for p in partners if of_a_kind(p.medicine_id)]
        if not of_kind and any(of_a_kind(mid) for mid in asked_ids):
            return distilled, []  # the one of that kind is asked about already (the distiller found it)
        if of_kind and len(of_kind) < len(partners):
            left = {p.medicine_id for p in partners} - {p.medicine_id for p in of_kind}
            partners = of_kind
            # (the distiller's queries for the others taken, from the conversation, go with them)
            named = medication_ids(question, lexicon)
            distilled = replace(distilled, queries=[q for q in distilled.queries
                                                    if q.medicine not in left or q.medicine in named])
            asked = [q for q in asked if q.medicine not in left or q.medicine in named]
    partner_ids = {p.medicine_id for p in partners}
    asked = [q for q in asked if q.medicine not in partner_ids]
    asked_ids -= partner_ids
    partner_names = " ".join(p.name for p in partners)
    asked_names = " ".join(lexicon.names.get(q.medicine or "", q.medicine or "") for q in asked)
    # How labels name the other drug's class ("NSAIDs"): the provider's links for recorded medications, and
    # the links of every partner (said ones too) with the asked drugs.
    terms = {k: list(v) for k, v in (patient.interaction_terms if patient is not None else {}).items()}
    for mid, found in class_terms(links() if links is not None else None, sorted(asked_ids), partners).items():
        have = terms.setdefault(mid, [])
        have.extend(t for t in found if t.casefold() not in {h.casefold() for h in have})
    queries: list[SearchQuery] = []
    for q in distilled.queries:
        if q.medicine in partner_ids:
            continue  # its interaction query follows, with the partners'
        if q.medicine is not None and q.medicine not in lexicon.names:
            queries.append(q)  # a product's label word: kept for the reader, nothing to search
            continue
        if q.medicine is None or (q.attribute not in (None, "interactions", "indications") and not only_with):
            queries.append(q)  # a specific question (warnings, dose) keeps its query ...
        if q.medicine is not None:  # ... and every asked drug gets an interaction query naming the partners
            label_terms = " ".join(terms.get(q.medicine, []))
            queries.append(SearchQuery(q.medicine, "interactions",
                                       _join(q.keywords, partner_names, label_terms, "drug interactions")))
    for p in partners:
        label_terms = " ".join(terms.get(p.medicine_id, []))
        queries.append(SearchQuery(p.medicine_id, "interactions",
                                   _join(p.name, asked_names, label_terms, "drug interactions")))
    return replace(distilled, queries=_unique(queries)), partners


def _unique(queries: list[SearchQuery]) -> list[SearchQuery]:
    seen: set[tuple[str | None, str | None]] = set()
    out = []
    for q in queries:
        if (q.medicine, q.attribute) not in seen:
            seen.add((q.medicine, q.attribute))
            out.append(q)
    return out


# -- allergies ---------------------------------------------------------------------------------------------


def allergen_terms(allergy: str) -> set[str]:
    """Index tokens of what the patient is allergic to ("Allergy to penicillin" -> {"penicillin"})."""
    bare = re.sub(r"\([^)]*\)", " ", allergy)  # "(recorded 2010-06-01)", "(animal)"
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z\-]+", bare) if w.casefold() not in _ALLERGY_WORDS]
    return {t for t in tokenize(" ".join(words)) if len(t) >= 3}


def allergy_conflicts(
    medicine_ids: list[str],
    patient: PatientContext | None,
    lexicon: MedicineLexicon,
    contraindications: Callable[[str], str] = lambda _mid: "",
    classes_of: Callable[[str], set[str]] = lambda _mid: set(),
    said: list[str] | None = None,
) -> list[AllergyConflict]:
    """Asked drugs the patient's allergies bear on (recorded ones, then `said`: allergens the user named in
    this conversation): the allergy names the drug (or one of its ingredients), names a class the drug is
    in (a penicillin allergy and amoxicillin), or the drug's label contraindications name the allergen
    (amoxicillin's "hypersensitivity to ... penicillins")."""
    allergies = [(a, False) for a in (patient.allergies if patient is not None else [])]
    allergies += [(a, True) for a in said or [] if a not in {x for x, _ in allergies}]
    out: list[AllergyConflict] = []
    for mid in dict.fromkeys(medicine_ids):
        for allergy, was_said in allergies:
            how = _allergy_bears_on(mid, allergy, lexicon, contraindications, classes_of)
            if how is not None:
                out.append(AllergyConflict(mid, allergy, how, said=was_said))
                break
    return out


def _allergy_bears_on(
    mid: str, allergy: str, lexicon: MedicineLexicon, contraindications: Callable[[str], str],
    classes_of: Callable[[str], set[str]],
) -> str | None:
    if mid in medication_ids(allergy, lexicon):
        return "name"
    # 青霉素: the class words and labels are English; the allergen's English generic name carries them
    allergy = english_allergen(allergy)
    named_classes = classes_in(re.sub(r"\([^)]*\)", " ", allergy))
    if named_classes & classes_of(mid):
        return "class"
    terms = allergen_terms(allergy)
    if terms and terms <= set(tokenize(contraindications(mid))):
        return "label"
    return None


def english_allergen(allergy: str) -> str:
    """An allergen said in Chinese (青霉素) as its English generic name (penicillin g) from the shipped name
    table; any other allergen as it is."""
    if not CJK.search(allergy):
        return allergy
    said = allergy.strip()
    for name in shipped_name_table():
        if said in name.zh_names:
            return name.en
    return allergy


def allergy_notice(
    conflicts: list[AllergyConflict], lexicon: MedicineLexicon, classes_of: Callable[[str], set[str]] = lambda _m: set()
) -> str:
    parts = []
    for c in conflicts:
        name = lexicon.names.get(c.medicine_id, c.medicine_id)
        if c.how == "class":
            named = sorted(classes_in(c.allergy) & classes_of(c.medicine_id))
            why = f" ({name} is {_a(named[0].replace('_', ' '))} class drug)" if named else ""
        elif c.how == "label":
            why = f" ({name}'s label lists it under contraindications)"
        else:
            why = ""
        whose = f"you said you are allergic to {c.allergy}" if c.said else f"the patient's records list \"{c.allergy}\""
        parts.append(f"{whose}{why}, which bears on {name}")
    if not parts:
        return ""
    return "Allergy alert: " + "; ".join(parts) + ". Do not take it without asking your doctor or pharmacist."


def partners_person(conversation: ConversationContext | None, question: str) -> tuple[str | None, str | None] | None:
    """Whose said medicines the partners are when not the user's: (person, gender) of the relative the
    question speaks of ("mother", "female"; either may be None), or None for the user's own."""
    # (an elliptical "Paracetamol instead?" is asked for whoever the previous question was: the context's asker)
    owner = question_owner(question) or (conversation.asker if conversation is not None else None)
    if owner is Owner.RELATIVE:
        if conversation is None:
            return (None, None)
        person, gender = conversation.asked
        # "他能吃萘普生吗" after "我爸在吃华法林": he is the father whose medicines were checked
        people = {(m.person, m.gender) for m in conversation.taken_by(Owner.RELATIVE) if m.person}
        return people.pop() if person is None and len(people) == 1 else (person, gender)
    if owner is Owner.OTHER:
        return (None, None)
    return None


def partners_notice(partners: list[Partner], person: tuple[str | None, str | None] | None = None,
                    unchecked: list[str] | None = None) -> str:
    """`person`: whose the said medicines are when not the user's (partners_person); `unchecked`: recorded
    medications the database lacks (unchecked_in_question)."""
    recorded = ", ".join(dict.fromkeys(p.name for p in partners if p.source != CONTEXT_SOURCE))
    said = ", ".join(dict.fromkeys(p.name for p in partners if p.source == CONTEXT_SOURCE))
    parts = []
    if recorded:
        parts.append(f"Checked against current medications in the patient's records: {recorded}.")
    if said:
        parts.append(f"Checked against the medicines you said {_takes(person)}: {said}.")
    if unchecked:
        parts.append(f"Not checked, because the medicine database has no label for: {'; '.join(unchecked)}. "
                     "Ask your pharmacist about taking it together with these.")
    return " ".join(parts)


def _takes(person: tuple[str | None, str | None] | None) -> str:
    if person is None:
        return "you take"
    who, gender = person
    if who:
        return f"your {who} takes"
    return {"female": "she takes", "male": "he takes"}.get(gender or "", "they take")


# -- citations ---------------------------------------------------------------------------------------------

_RECORD_MARK = re.compile(r"\[R(\d+)\]")


def record_citations(patient: PatientContext | None, answer_text: str, max_quote: int = 300) -> list[RecordCitation]:
    """The records the answer rests on. A reader that cites records marks them [R1], [R2], ... (numbered as
    in its history block): then only those; otherwise every record put before the reader."""
    if patient is None or not patient.snippets:
        return []
    marked = {int(n) for n in _RECORD_MARK.findall(answer_text)}
    out = []
    for n, snippet in enumerate(patient.snippets, start=1):
        if marked and n not in marked:
            continue
        quote = snippet.text if len(snippet.text) <= max_quote else snippet.text[: max_quote - 1].rstrip() + "…"
        out.append(RecordCitation(n, snippet.record_id, snippet.kind, snippet.date, quote, snippet.scope))
    return out


# -- the turn's outcome -------------------------------------------------------------------------------------


def section_text(index: SearchIndex, medicine_id: str, attribute: str) -> str:
    """One section of a label, re-joined from its chunks."""
    rows = index.rows_by_medicine.get(medicine_id)
    if rows is None:
        return ""
    return " ".join(index.chunks[int(r)].text for r in rows if index.chunks[int(r)].attribute == attribute)


def _ingredients(name: str) -> frozenset[str]:
    """What a product is made of, without the note its name carries ("Ibuprofen (OTC)" is ibuprofen)."""
    return ingredient_names(re.sub(r"\s*\([^)]*\)", "", name))


def _a(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


class MedicationPartners:
    """Stage after distill (rules or model alike): the patient's current medications become interaction
    partners of a "can I take X?" question."""

    name = "medication_partners"

    def to_dict(self) -> dict[str, Any]:
        return {"max_partners": MAX_PARTNERS}

    def run(self, state: TurnState) -> None:
        state.distilled, state.partners = add_medication_partners(
            state.distilled, state.question, state.patient, state.lexicon, state.conversation,
            lambda: links_for(state.index),
        )
        state.unchecked_medications = unchecked_in_question(
            state.distilled, state.question, state.patient, state.lexicon, state.conversation)
        if state.partners or state.unchecked_medications:
            person = partners_person(state.conversation, state.question)
            state.notices.append(Notice(NoticeKind.MEDICATION_PARTNERS,
                                        partners_notice(state.partners, person, state.unchecked_medications)))


class PatientOutcome:
    """Stage after read: allergy alerts for the asked drugs and the records the answer cites."""

    name = "patient_outcome"

    def to_dict(self) -> dict[str, Any]:
        return {}

    def run(self, state: TurnState) -> None:
        patient = state.patient
        conversation = state.conversation
        said = [c.text for c in conversation.allergies() if c.source == SAID] if conversation is not None else []
        if patient is None and not said:
            return
        partners = {p.medicine_id for p in state.partners}
        asked = [q.medicine for q in state.queries if q.medicine and q.medicine not in partners]
        classes_of = links_for(state.index).classes_of if asked else (lambda _mid: set())
        state.allergy_conflicts = allergy_conflicts(
            asked, patient, state.lexicon, lambda mid: section_text(state.index, mid, "contraindications"),
            classes_of, said,
        )
        if state.allergy_conflicts:
            state.notices.append(Notice(NoticeKind.ALLERGY,
                                        allergy_notice(state.allergy_conflicts, state.lexicon, classes_of)))
        if patient is not None:
            state.record_citations = record_citations(patient, state.reading.text if state.reading else "")
