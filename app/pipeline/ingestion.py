"""An accidental ingestion or too much taken ("my toddler may have swallowed a few of my iron tablets", "I think
I took too many", "took my levothyroxine twice this morning", 孩子误服了) asks what to do now: before any label
line the answer says to contact poison control or emergency services (a notice shown first), and where the
medicine is in the database its overdosage section is what the turn reads.

The stage runs after the distill and statement stages; it adds the notice and, for a medicine swallowed by
someone it was not meant for, asks the overdosage section. A double dose keeps the section the question asked
(the reader reads the overdosage and doubled-dose lines for it). A question about overdose in general ("what
are the symptoms of an overdose?") is no event and gets no notice.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from app.pipeline import phrases
from app.pipeline.attributes import classify_attribute
from app.pipeline.state import Notice, NoticeKind, SearchQuery, TurnState
from indexing.schema import Attribute

NOTICE_EN = ("If someone may have swallowed a medicine not meant for them or too much of one, contact your local "
             "poison control centre or emergency services now.")
NOTICE_ZH = "如果有人可能误服了不该服用的药物或服药过量，请立即联系当地的中毒急救中心或急救服务。"

_PERSON = (r"(?:toddler|child|kid|baby|infant|son|daughter|grandson|granddaughter|grandchild|boy|girl|dog|cat|"
           r"brother|sister|sibling|twin|nephew|niece|cousin|"
           r"puppy|he|she|they|someone|somebody|husband|wife|mum|mom|dad|father|mother|grandma|grandpa|partner|"
           r"\d{1,2}[- ]?(?:year|yr|month)s?[- ]old|\d{1,2} ?(?:yo|y/o))")
_SWALLOW = r"(?:swallowed|ate|eaten|got into|gotten into|got hold of|chewed|chewed on|drank|drunk|licked|sucked on)"
_PILLS = (r"(?:pills?|tablets?|capsules?|gummies|gummy|meds|medicines?|medications?|bottle|blister|pack(?:et)?|"
          r"dose|doses|patch|liquid|syrup|some|one|a few|several|a handful|handful|all)")
# A child (or someone else) who got at a medicine: "my toddler may have swallowed a few of my iron tablets",
# "my son got into my pills", "the baby ate one of grandma's tablets"
_SOMEONE_SWALLOWED = re.compile(
    # ("my 3 year old climbed up on the worktop and got into the medicine cupboard")
    rf"\b{_PERSON}\b(?:\s+\w+){{0,7}}?\s+{_SWALLOW}\b(?:\s+[\w'-]+){{0,6}}?\s+{_PILLS}\b|"
    # ("his little brother (4) just chewed 2 of them")
    rf"\b{_PERSON}\b(?:\s+(?:\w+|\(\d{{1,2}}\))){{0,3}}?\s+(?:swallowed|got into|chewed)\b|"
    # "Is one tablet dangerous for a toddler?": what a tablet does to a child it was not meant for
    rf"\b(?:is|are|would|could|will|can) (?:one|a|two|three|a few|\d+) (?:of (?:his|her|their|my|these) )?"
    rf"(?:tablets?|pills?|capsules?) (?:be )?(?:dangerous|harmful|toxic|poisonous|fatal|deadly|serious) "
    rf"(?:for|to) (?:a |an |my |our |the )?{_PERSON}\b|"
    r"误服|误吃|误食|偷吃|趁[^，,。]{0,6}不注意|"
    # "我孙子三岁，刚才...把我的降糖药吃了一片": a child who took someone's medicine
    r"(?:孩子|小孩|孙子|孙女|外孙女?|儿子|女儿|宝宝|宝贝|娃|狗|猫)[^。？！?!]{0,10}把[^。？！?!，,]{0,12}(?:吃|吞|食)(?:了|掉|咗)",
    re.IGNORECASE)
# Too much taken: "I took too many", "I've taken double my dose", "accidentally took two", "I overdosed",
# "took my levothyroxine twice this morning", "gave him a double dose"
_TOO_MUCH = re.compile(
    r"\b(?:took|taken|take|had|swallowed|gave|given|give|used|injected)\b(?:\s+[\w'-]+){0,5}?\s+"
    # (not a regimen: "I take metformin twice a day")
    r"(?:too (?:many|much)|double|twice(?!\s+(?:a|per|each|every)\s+(?:day|week|night)|\s+(?:daily|weekly))|"
    r"two doses|an extra|(?:a |an )?(?:second|extra) (?:dose|pill|tablet|one)|"
    r"more than (?:i|he|she|they) should|the whole|a whole|all of)\b|"
    # "Took my levothyroxine 100 this morning, then my husband ... handed me another one and I swallowed it"
    # "He's just taken another one at 11pm because he forgot he'd already had it at breakfast"
    r"\b(?:took|taken|had)\s+(?:another|a second|a 2nd|one more)(?:\s+(?:one|dose|pill|tablet|capsule))?\b"
    # ("... took another 2 because she couldn't remember if she'd had them")
    r"(?=[^?!]{0,120}\b(?:forgot|already|twice|double|by mistake|(?:couldn'?t|could not|didn'?t|did not) remember|"
    r"(?:wasn'?t|was not|not) sure (?:if|whether))\b)|"
    # (not asked: "I took the ellaOne ... and I've just been sick ... do I need another one??")
    r"\b(?:took|taken|had)\b[^.?!]{0,80}\b(?:then|and|later)\b[^?!]{0,80}(?<!need )(?<!take )(?<!have )(?<!get )"
    r"\banother"
    r"(?: (?:one|dose|pill|tablet|capsule)\b| (?:at|with|later|after|before|by)\b|[.,;]|$)|"
    r"\b(?:accidentally|mistakenly|by mistake|by accident)\b(?:\s+[\w'-]+){0,3}?\s*(?:took|taken|swallowed|gave|"
    r"given|had|double)\b|\b(?:took|taken|swallowed|gave|given)\b(?:\s+[\w'-]+){0,6}?\s+(?:by mistake|by accident|"
    r"accidentally)\b|"
    r"\b(?:i|i've|ive|he|she|they|someone|may have|might have|has|have)\s+(?:just\s+)?(?:overdosed|od'?d|"
    r"taken an overdose|took an overdose)\b|"
    # "took a load of Tylenol", "swallowed half a bottle of paracetamol", "took 15-20 of her tablets"
    r"\b(?:took|taken|swallowed)\b(?:\s+[\w'-]+){0,2}?\s+(?:a load|loads|a lot|lots|a bunch|a handful|a heap|"
    r"a bottle|half a bottle|a (?:whole|full) (?:bottle|packet|box|pack)|the (?:whole|entire|rest of the) "
    r"(?:bottle|packet|box|pack))\s+of\b|"
    r"\b(?:took|taken|swallowed)\b(?:\s+[\w'-]+){0,2}?\s+(?:\d{2,}|\d{1,2}\s*(?:-|to)\s*\d{2,})\s+"
    r"(?:of\b|pills?|tablets?|capsules?)|"
    # "she's had about 16 in the last 24 hours" (a count of tablets in a day, as counted from the packet)
    r"\b(?:had|taken|took|swallowed)\s+(?:about|around|roughly|nearly|almost|over|at least|like)?\s*"
    r"(?:1[2-9]|[2-9]\d)\b(?:\s+[\w'-]+){0,2}?\s+(?:in|over|within) (?:the )?(?:last|past) (?:24|twenty-four) ?h|"
    # "吃了两片", not "吃了二甲双胍" (二 starts the name): a count of doses is said with its measure word
    r"误服|误吃|吃多了(?!(?:会)?(?:伤|对(?:身体|肝|肾|胃|心)|不好|有害|有副作用))|服多了|吃了(?:两|二|三|好几|十几|几十)(?:片|粒|颗|次|倍|包|袋|支|瓶|份)|吃了(?:一把|一整)|(?:一|半|整)(?:板|瓶|盒).{0,12}(?:吃|服)了(?:大半|一半|半|好多|很多|不少|全部)|多吃了|过量服|"
    # "他晚上十点多又吃了一片，说忘了早上吃过没有", Cantonese "又食多一次，即係食咗兩次"
    r"又(?:吃|服|食)了?(?:一|1)(?:片|粒|颗|顆|次|包|支)(?=[，,。！!？?\s]|$)|(?:吃|服|食)(?:了|咗)(?:两|兩|2)次|(?:又)?食多(?:咗)?一(?:次|粒|片)|"
    r"重复(?:吃|服)|吃重了",
    re.IGNORECASE)
# A weekly medicine taken every day (methotrexate): "本来是一个礼拜吃一次的 他这四天每天都吃了", "been taking it every
# day instead of once a week". The doses it tells ask nothing of the dose.
_WEEKLY_TAKEN_DAILY = re.compile(
    r"(?:本来|应该|原来|明明)(?:是)?(?:一周|一个礼拜|一个星期|一星期|一礼拜|每周|每星期|每礼拜)(?:吃|服|用)?一次[^？?]{0,30}"
    r"(?:每天|天天)(?:都)?(?:在)?(?:吃|服|用)|"
    r"\b(?:taken|taking|took|had|given)\b[^?.]{0,30}\b(?:every day|daily|each day)\b[^?.]{0,20}"
    r"\b(?:instead of|rather than|not) (?:weekly|once a week|once weekly)\b", re.IGNORECASE)
# Asked about, not happened: "what if I take too much?", "how many is too many?", "can I take two?". A bare
# "what happens?" after an event ("my toddler may have swallowed 5 of my tablets, what happens?") asks about it.
_HYPOTHETICAL = re.compile(r"\bwhat (?:happens|would happen|will happen|could happen) (?:if|when)\b|"
                           r"\bwhat if\b|\bwhat would happen\b|\bhow (?:many|much) (?:is|would be) too\b|"
                           r"\bif (?:i|you|someone|a child) (?:take|takes|swallow|swallows|overdose)|"
                           r"\bcan i take (?:two|double|an extra)\b|\bmissed\b|"
                           # "should I take an extra couple of puffs of it?": asked, not done
                           r"\b(?:can|could|should|shall|may|do|would) (?:i|we|he|she|they|you) (?:just )?(?:take|have|"
                           r"use|give) (?:an? )?(?:two|double|extra|an extra|more)\b|"
                           # "can I take the morning after pill twice in a month?": how often it may be taken
                           r"\b(?:can|could|should|shall|may) (?:i|we|he|she|they|you) (?:just )?"
                           r"(?:take|have|use|give)\b[^.?!]{0,40}\btwice (?:in|a|per|within)\b|"
                           # ("Had one at 6, forgot, then took another at 8": forgot it was taken)
                           r"\bforgot\b(?! (?:that )?(?:i|he|she|they|we)(?:'d|'ve| had| have| already)\b)"
                           r"(?!,?\s+(?:and\s+|then\s+|so\s+)*(?:took|taken|had|gave|given)\s+"
    r"(?:another|a second|a 2nd|it again|one more|more)\b)",
                           re.IGNORECASE)


# What a turn after an ingestion asks of it: what happens, what to do, whether to go to hospital.
_ASKS_ABOUT_IT = re.compile(
    r"\bwhat (?:will|would|could|might|should|can) (?:happen|i do|we do)\b|\bwhat (?:do|should|can) (?:i|we) do\b|"
    r"\b(?:go|take (?:him|her|them)|get (?:him|her|them)) to (?:the )?(?:hospital|a&e|er|emergency)\b|"
    # "Do we still need to take him in?"
    r"\b(?:take|bring) (?:him|her|them) in\b|\b(?:call|ring) (?:an ambulance|999|911|111|000)\b|"
    r"\b(?:is|will) (?:he|she|they|it|that) (?:be )?(?:ok|okay|alright|all right|dangerous|in danger)\b|"
    r"会有什么(?:反应|影响|后果|危险)|要不要(?:马上)?(?:去|送)(?:医院|急诊)|怎么办|有危险吗|要紧吗|严重吗|"
    r"使唔使去(?:急症室|医院|醫院)|要留意(?:啲|些)(?:咩|什么)",
    re.IGNORECASE)


# Someone who swallowed something: what a question must say before the medicines' names are looked for after it.
_PERSON_SWALLOWED = re.compile(rf"\b{_PERSON}\b(?:\s+\w+){{0,4}}?\s+{_SWALLOW}\b", re.IGNORECASE)


def someone_swallowed(question: str, names: tuple[str, ...] = ()) -> bool:
    """A medicine swallowed by someone it was not meant for (a child, a pet, another person); `names`: the
    medicines' names as the question says them ("the dog ate my ibuprofen")."""
    if _HYPOTHETICAL.search(question) is not None:
        return False
    if _SOMEONE_SWALLOWED.search(question) is not None:
        return True
    if not names or _PERSON_SWALLOWED.search(question) is None:
        return False  # (checked first: the pattern with the names is compiled for each question)
    said = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True) if n)
    return bool(said) and re.search(rf"\b{_PERSON}\b(?:\s+\w+){{0,4}}?\s+{_SWALLOW}\b(?:\s+[\w'-]+){{0,4}}?\s+"
                                    rf"(?:{said})\b", question, re.IGNORECASE) is not None


def too_much_taken(question: str) -> bool:
    """Too much taken, a double dose or an overdose that happened."""
    return (_TOO_MUCH.search(question) is not None or _WEEKLY_TAKEN_DAILY.search(question) is not None
            or _methotrexate_daily(question)) and _HYPOTHETICAL.search(question) is None


# Methotrexate given every day: a dosing error labels warn has killed ("her new carer gives it 'every morning'"); not
# "methotrexate weekly and folic acid daily"
_METHOTREXATE = re.compile(r"\b(?:methotrexate|mtx)\b|甲氨蝶呤", re.IGNORECASE)
_GIVEN_DAILY = re.compile(r"(?<!\bto )(?<!can i )(?<!can he )(?<!can she )(?<!could i )(?<!should i )(?<!should he )"
                          r"(?<!should she )(?<!can we )"
                          r"\b(?:gives?|giving|given|takes?|taking|taken|had|has|been having)\s+(?:it|them|her|him)?\s*"
                          r"(?:(?:her|his|the)\s+)?(?:methotrexate|mtx)?\s*"
                          r"['\"‘“]?(?:every (?:morning|day|night|evening)|daily|each (?:day|morning))\b",
                          re.IGNORECASE)
_WEEKLY = re.compile(r"\bweekly\b|\bonce a week\b|\bper week\b|\ba week\b|每周|一周", re.IGNORECASE)


def _methotrexate_daily(question: str) -> bool:
    return bool(_METHOTREXATE.search(question)) and bool(_GIVEN_DAILY.search(question)) and not _WEEKLY.search(
        question)


def ingestion_event(question: str, names: tuple[str, ...] = ()) -> bool:
    return someone_swallowed(question, names) or too_much_taken(question)


class AccidentalIngestion:
    """After the distill and statement stages: an accidental ingestion or too much taken gets the
    emergency notice first; a medicine someone swallowed that was not theirs is read for its overdosage
    section."""

    name = "ingestion"

    def to_dict(self) -> dict[str, Any]:
        return {"type": "accidental_ingestion"}

    def run(self, state: TurnState) -> None:
        question = state.question
        names = tuple(m.surface for m in state.lexicon.find(question))
        if state.reading is not None:
            return
        if not ingestion_event(question, names):
            # "My 2-year-old swallowed two of grandma's amlodipine!" then "what will happen? hospital?": the event
            # was said in the turn before, the question asks about it
            before = [t.content for t in state.dialogue[:-1] if t.role == "user"][-1:]
            if not (before and _ASKS_ABOUT_IT.search(question) and ingestion_event(
                    before[0], tuple(m.surface for m in state.lexicon.find(before[0])))):
                return
            question = f"{before[0]} {question}"
        chinese = phrases.language_of(question) == "zh"
        state.notices.append(Notice(NoticeKind.EMERGENCY, NOTICE_ZH if chinese else NOTICE_EN))
        distilled = state.distilled
        if distilled.clarify and not distilled.queries:
            return
        held = state.index.medicines if state.index is not None else {}
        if someone_swallowed(question, names) and any(q.medicine in held for q in distilled.queries):
            # the overdosage section first, whatever the question's other words cued ("what should I do?")
            first = [SearchQuery(q.medicine, "overdosage", q.keywords) if q.medicine in held and q is _first_of(
                distilled.queries, q.medicine) else q for q in distilled.queries]
            state.distilled = replace(distilled, queries=first,
                                      audit={**distilled.audit, "ingestion": "swallowed"})
        else:
            # too much of one's own: its overdosage or dose section as asked, else the overdosage section (the
            # doses told are no dose question: "took the whole week of his amlodipine 10 mg at once. What could
            # that do?")
            asking = _asking_sentence(state.question)
            # (a turn that only tells what happened asks nothing of the dose: "took a load of Tylenol, maybe 15-20.
            # She says she feels fine.")
            # (a double dose of one's own is what the dosing section answers: "I took my levothyroxine twice")
            reported = not re.search(r"[?？]", state.question) and _DOUBLE_DOSE.search(state.question) is None
            # (a weekly medicine taken every day tells its doses: "本来是一个礼拜吃一次的 ... 每天都吃了")
            told = reported or (asking.rstrip().endswith(("?", "？")) and asking.strip() != state.question.strip())
            not_dose = _WEEKLY_TAKEN_DAILY.search(state.question) is not None or (
                told and classify_attribute(asking).attribute is not Attribute.DOSAGE)
            asked = [q for q in distilled.queries
                     if q.medicine in held and q is _first_of(distilled.queries, q.medicine)
                     and q.attribute != "overdosage" and (q.attribute != "dosage" or not_dose)]
            queries = [SearchQuery(q.medicine, "overdosage", q.keywords) if q in asked else q
                       for q in distilled.queries]
            state.distilled = replace(distilled, queries=queries, audit={**distilled.audit, "ingestion": "too_much"},
                                      intent=_overdosage_first(distilled.intent) if asked else distilled.intent)


_DOUBLE_DOSE = re.compile(r"\btwice\b|\bdouble\b|\btwo doses\b|\ban? (?:extra|second|2nd) (?:dose|one|tablet|pill)\b|"
                          r"\bone too many\b|两次|双倍|多吃了一", re.IGNORECASE)


def _overdosage_first(intent: tuple[tuple[str, float], ...]) -> tuple[tuple[str, float], ...]:
    """The question's section prior with the overdosage section first (the reader ranks by it too)."""
    top = max((p for _, p in intent), default=1.0)
    return (("overdosage", top), *((a, p) for a, p in intent if a != "overdosage"))


def _asking_sentence(question: str) -> str:
    sentences = [s for s in re.split(r"(?<=[.!?;。！？])\s*", question) if s.strip()]
    asking = [s for s in sentences if s.rstrip().endswith(("?", "？"))]
    return asking[-1] if asking else (sentences[-1] if sentences else "")


def _first_of(queries: list[SearchQuery], medicine: str) -> SearchQuery:
    return next(q for q in queries if q.medicine == medicine)
