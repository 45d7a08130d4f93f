"""A message that only tells the service something ("My doctor put me on warfarin last week.", "I take lisinopril
and I'm allergic to penicillin.") asks nothing: quoting label sentences at it answers a question nobody asked.
The turn is answered with a short acknowledgement that asks what the user wants to know (Status.CLARIFY, nothing
searched); the conversation context keeps the medicine for the next turn (it is rebuilt from the user's turns).

Only a message made of nothing but noting words is such a statement: a symptom ("... and my ankles swell"), a
topic ("... and alcohol"), a question mark or a question word makes it a question.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from app.pipeline.context import Condition, MedStatus, Owner, person_named, without_conditions
from app.pipeline.state import TurnState
from app.pipeline.statement_zh import bare_statement_zh, noted_reply_zh
from indexing.vocabulary import has_cjk

# The words a statement of what someone takes, since when, and what they are allergic to is made of.
_NOTING = frozenset("""
i i'm im i've ive me my mine am is was were been be being have has had do did
doctor doctors dr gp nurse specialist cardiologist consultant pharmacist
put putting started start starting prescribed prescribe gave given give switched changed moved added adding add
but off from instead swapped switch swap moving changing
about around almost nearly over roughly
take takes taking took on onto use using used also too and just now currently recently still already new
last this past a an the one two three four five six seven eight nine ten twelve fifteen twenty thirty few couple some
for since ago every each per as well
day days daily week weeks weekly month months monthly year years yearly morning mornings night nights evening
evenings today yesterday once twice times
mg mcg milligrams tablet tablets pill pills capsule capsules dose of to at in with
allergic allergy allergies diagnosed type
he she his her him they their them he's she's they're look looks looking after care cares caring old aged
meds medication medications medicines list current regular usual bedtime od bd bid tds tid qds qid nocte mane prn
hello hi hey dear good afternoon evening sir madam salam greetings
""".split())
_ASKS = re.compile(r"[?？]|^\s*(?:what|how|why|when|where|which|who|can|could|should|would|is|are|do|does|will|"
                   r"may|might|tell|explain|list|give|show|please|any)\b", re.IGNORECASE)
_ALLERGEN = re.compile(r"\ballergic to ([a-z][a-z\-]+)|\b([a-z][a-z\-]+) allergy\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9']+")
# What a medicine is taken for, closing a clause ("on donepezil for her memory", "metoprolol for his heart"): a
# statement still; "for" before a question word or a dose is left to the rest of the check.
# So does the event it is taken since or after ("clopidogrel after his heart stent", "for my AF since last year").
_PURPOSE = re.compile(r"\b(?:for|after|since) (?:her|his|my|their|our|the|a|an)? ?[a-z]+(?: [a-z]+)?\s*"
                      r"(?=[.,;!]|$|since\b|for\b)")
# Something that happened with a dose ("I took my levothyroxine twice this morning", "just took two by mistake")
# asks what to do now: not a statement of what is taken.
_DOSE_EVENT = re.compile(r"\b(?:took|taken|had|gave|given|swallowed)\b.*\b(?:twice|two|three|double|extra|again|"
                         r"another|more|too many|by mistake|accidentally|this morning|today|tonight|an? hour|"
                         r"minutes? ago|just now)\b|\b(?:twice|double|extra|accidentally)\b.*\b(?:took|taken)\b",
                         re.IGNORECASE)


def allergens(message: str) -> list[str]:
    """What the message says the user is allergic to ("allergic to penicillin", "a sulfa allergy")."""
    return [a or b for a, b in _ALLERGEN.findall(message)]


def bare_statement(message: str, names: list[str]) -> bool:
    """Whether the message only states what is taken (the medicines `names`, as said) or what the user is
    allergic to, and asks nothing."""
    if not names or has_cjk(message) or _ASKS.search(message) or _DOSE_EVENT.search(message):
        return False
    text = message.casefold().replace("\u2019", "'")
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name.casefold(), " ")
    unconditioned = _PURPOSE.sub(" ", text)
    text = without_conditions(unconditioned)  # "my dad has diabetes and takes metformin"
    if text != unconditioned and not any(_telling(w) for w in _WORD.findall(text)):
        return False  # "sodium valproate in pregnancy": a search for what the label says, told by nobody
    for allergen in allergens(text):
        text = re.sub(rf"\b{re.escape(allergen.casefold())}\b", " ", text)
    words = [w for w in _WORD.findall(text) if not w.isdigit() and not re.fullmatch(r"\d+(?:mg|mcg|g|ml)", w)]
    # Someone tells it ("I", "my", "takes", "on"), or a list is pasted line by line; "clarithromycin with
    # simvastatin" typed as into a search box is what to look up
    lines = sum(1 for line in message.splitlines() if line.strip())
    told = any(_telling(w) or w in _LIST_HEADING for w in words) or lines >= 3
    return bool(words) and told and all(_noting(w) for w in words)


# Who tells it, or that something is taken: a statement has one ("I'm pregnant and on sertraline"); a medicine and
# a condition alone ("sodium valproate in pregnancy") are what to look up.
_TELLING = frozenset("""
i i'm im i've ive me my mine am he she his her him they their them he's she's they're we we're our us
take takes taking took on put started prescribed gave given switched use using used have has had
""".split())


_LIST_HEADING = frozenset("meds medication medications medicines list".split())  # "Current medications: ..."


def _telling(word: str) -> bool:
    bare = word.strip("'").removesuffix("'s")
    return word in _TELLING or bare in _TELLING or person_named(f"my {bare}") is not None


def _noting(word: str) -> bool:
    """A word a statement is made of: a noting word, or a relative ("mother", "grandma's")."""
    bare = word.strip("'").removesuffix("'s")
    return word in _NOTING or bare in _NOTING or person_named(f"my {bare}") is not None


def noted_reply(medicines: list[str], allergies: list[str], person: str | None = None,
                owners: list[tuple[str | None, list[str]]] | None = None, conditions: list[str] | None = None) -> str:
    """The acknowledgement: what was noted (whose medicine), and what the user may want to know. `owners`:
    the medicines per person when they are several people's ("your mother takes Apixaban and your father
    takes Atorvastatin"); a person None is the user. `conditions`: what the one person the medicines are of was
    said to have ("you are pregnant", "has diabetes")."""
    groups = owners if owners and len(owners) > 1 else [(person, medicines)]
    said = " and ".join(f"{'your ' + who + ' takes' if who else 'you take'} {' and '.join(names)}"
                        for who, names in groups)
    anyone_else = any(who for who, _ in groups)
    if conditions and len(groups) == 1:
        said += (" and " + " and ".join(conditions)) if anyone_else else ", and that " + " and ".join(conditions)
    allergy = f", and that you are allergic to {' and '.join(allergies)}" if allergies and not anyone_else else ""
    return (f"Noted: {said}{allergy}. What would you like to know? For example how to take it, its "
            "side effects, or whether it is safe with another medicine.")


# How the acknowledgement says a condition the user stated about themselves.
_CONDITION_WORDS = {"pregnant": "you are pregnant", "breastfeeding": "you are breastfeeding",
                    "asthma": "you have asthma", "kidney_disease": "you have kidney disease",
                    "liver_disease": "you have liver disease", "diabetes": "you have diabetes",
                    "heart_disease": "you have heart disease", "gout": "you have gout",
                    "hypertension": "you have high blood pressure", "glaucoma": "you have glaucoma",
                    "epilepsy": "you have epilepsy", "ulcer": "you have had a stomach ulcer"}


def condition_statement(message: str) -> bool:
    """Whether a message naming no medicine only tells something ("I'm breastfeeding my 2 month old") and asks
    nothing: no question mark, no question word, no dose event, and short."""
    return (not has_cjk(message) and not _ASKS.search(message) and not _DOSE_EVENT.search(message)
            and len(_WORD.findall(message.casefold())) <= 16)


def noted_condition_reply(conditions: list[str], allergies: list[str] | None = None) -> str:
    """"Noted: you have asthma and you are allergic to penicillin. ..." for a message that only tells them."""
    said = " and ".join([*(_CONDITION_WORDS[c] for c in dict.fromkeys(conditions)),
                         *(f"you are allergic to {a}" for a in dict.fromkeys(allergies or []))])
    return f"Noted: {said}. Which medicine would you like to ask about?"


def _said_of_relative(condition: Condition) -> str:
    """How the acknowledgement says a relative's condition or a child's age, after the person ("has kidney
    disease", "is 8")."""
    if condition.kind == "child_age":
        return f"is {condition.text}"
    own = _CONDITION_WORDS[condition.kind]
    return own.replace("you are", "is", 1).replace("you have had", "has had", 1).replace("you have", "has", 1)


def noted_relative_reply(conditions: list[Condition], person: str) -> str:
    """"Noted: your son is 8 and has asthma. ..." (a child's age first)."""
    ordered = sorted(conditions, key=lambda c: c.kind != "child_age")
    said = " and ".join(dict.fromkeys(_said_of_relative(c) for c in ordered))
    return f"Noted: your {person} {said}. Which medicine would you like to ask about?"


def _stated_now(conditions: list[Condition], question_turn: int) -> tuple[list[Condition], list[Condition]]:
    """The conditions the asking turn states, the user's own and a relative's (a child's age is the child's)."""
    now = [c for c in conditions if c.turn == question_turn]
    own = [c for c in now if c.owner is Owner.USER and c.kind in _CONDITION_WORDS]
    relative = [c for c in now if c.owner is Owner.RELATIVE and (c.kind in _CONDITION_WORDS or c.kind == "child_age")]
    return own, relative


class StatementOnly:
    """After the distill stage: a message that only states what the user takes gets a question back instead of
    quotes (nothing is searched). Queries naming no medicine, a question back already chosen and an
    indication search are left as they are."""

    name = "statement"

    def to_dict(self) -> dict[str, Any]:
        return {"type": "statement_only"}

    def run(self, state: TurnState) -> None:
        distilled = state.distilled
        if distilled.clarify or distilled.indication_search or state.request.images:
            return
        if not distilled.queries:
            if distilled.unknown_drugs or state.conversation is None:
                return
            # "I'm breastfeeding my 2 month old": the context keeps it for the medicine asked next
            conversation = state.conversation
            own, relative = _stated_now(conversation.stated_conditions(), conversation.question_turn)
            # "I'm allergic to sulfa drugs.": kept for the medicine asked next (the allergy alert), noted
            allergies = [c.text for c in conversation.stated_conditions() if c.kind == "allergy"
                         and c.owner is Owner.USER and c.turn == conversation.question_turn]
            if not (own or relative or allergies) or not condition_statement(state.question):
                return
            # "my dad has stage 4 kidney disease", "my son is 8": noted like the user's own, for the next turn
            named = person_named(state.question)
            if own or allergies:
                reply = noted_condition_reply([c.kind for c in own], allergies)
            elif named is not None:
                reply = noted_relative_reply(relative, named[0])
            else:
                return
            state.distilled = replace(distilled, clarify=reply, audit={**distilled.audit, "statement_only": True})
            return
        asked = [q.medicine for q in distilled.queries if q.medicine]
        if not asked or len(asked) < len(distilled.queries):
            return
        question = state.question
        # every medicine the statement names, also one the distiller withheld as the user's own ("I take
        # lisinopril and my wife takes metformin" asks nothing of metformin with lisinopril)
        found = [m for m in state.lexicon.find(question) if m.medicine_id]
        surfaces = [m.surface for m in found]
        chinese = has_cjk(question)
        if not (bare_statement_zh(question, surfaces) if chinese else bare_statement(question, surfaces)):
            return
        asked = list(dict.fromkeys([*asked, *(m.medicine_id for m in found if m.medicine_id)]))
        names = state.lexicon.names
        allergic = {a.casefold() for a in allergens(question)}
        # (not the one a switch left: "I was on omeprazole for years but they moved me onto lansoprazole")
        left = _left_now(state)
        medicines = [names.get(m, m) for m in dict.fromkeys(
            m.medicine_id for m in found if m.medicine_id in asked and m.surface.casefold() not in allergic
            and m.medicine_id not in left)]
        if not medicines:
            return
        named = person_named(question)
        person = named[0] if named is not None and _relative_takes(state, asked) else None
        owners = _owners(state, asked, medicines)
        if chinese:
            zh = {names.get(m, m): state.lexicon.zh_names.get(m) or names.get(m, m) for m in asked}
            groups = owners if len(owners) > 1 else [(person, medicines)]
            reply = noted_reply_zh([(who, [zh.get(n, n) for n in said]) for who, said in groups])
        else:
            reply = noted_reply(medicines, allergens(question), person, owners, _conditions_said(state, person))
        state.distilled = replace(distilled, queries=[], clarify=reply,
                                  audit={**distilled.audit, "statement_only": True})


def _owners(state: TurnState, asked: list[str], medicines: list[str]) -> list[tuple[str | None, list[str]]]:
    """The stated medicines per person, in the order said, as the conversation context assigns them ("my mum
    takes apixaban and my sister takes warfarin"); the user's own under None."""
    conversation = state.conversation
    if conversation is None:
        return []
    names = state.lexicon.names
    groups: dict[str | None, list[str]] = {}
    for m in conversation.medicines:
        if m.turn != conversation.question_turn or m.medicine_id not in asked:
            continue
        name = names.get(m.medicine_id, m.medicine_id)
        if name not in medicines:
            continue
        who = (m.person or "relative") if m.owner is Owner.RELATIVE else None
        if name not in groups.setdefault(who, []):
            groups[who].append(name)
    return list(groups.items())


def _left_now(state: TurnState) -> set[str]:
    """The medicines this turn says were stopped or switched from, when it names another it takes."""
    conversation = state.conversation
    if conversation is None:
        return set()
    now = [m for m in conversation.medicines if m.turn == conversation.question_turn and m.medicine_id]
    left = {m.medicine_id for m in now if m.medicine_id and m.status is MedStatus.STOPPED}
    return left if any(m.medicine_id not in left for m in now) else set()


def _conditions_said(state: TurnState, person: str | None) -> list[str]:
    """How the acknowledgement says the conditions this turn states of the person whose medicines it notes."""
    conversation = state.conversation
    if conversation is None:
        return []
    own, relative = _stated_now(conversation.stated_conditions(), conversation.question_turn)
    if person is None:
        return list(dict.fromkeys(_CONDITION_WORDS[c.kind] for c in own))
    return list(dict.fromkeys(_said_of_relative(c) for c in relative if c.kind != "child_age"))


def _relative_takes(state: TurnState, asked: list[str]) -> bool:
    """Whether the conversation context says the medicines stated belong to a relative ("my mother is on ...")."""
    conversation = state.conversation
    if conversation is None:
        return False
    mine = [m for m in conversation.medicines if m.medicine_id in asked and m.turn == conversation.question_turn]
    return bool(mine) and all(m.owner is Owner.RELATIVE for m in mine)
