"""A turn that asks nothing of the medicine database: a greeting, thanks, an acknowledgement, a goodbye, a
question about the service itself, or a question about something unrelated ("Any good pizza place around
here?"). It gets a short reply saying what clinqa can answer (Status.NOT_MEDICAL), never label quotes; the
conversation context is rebuilt from the user's turns at every turn, so such a turn erases nothing.

Conservative by construction: a turn is small talk only when nothing in it can belong to a medicine question.
A medicine name (known, unknown or misspelt), a section cue ("dose?", "and for kids?", "what about alcohol"),
a stated condition, a health word, a reference back ("is it ...", "that one") or an elliptical start ("and
...", "what about ...") keeps it a medicine question. An unrelated question must also carry positive evidence:
a word the label corpus (almost) never uses that is not a misspelt health word ("pizza", "football").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extractOne

from app.pipeline import phrases
from app.pipeline.attributes import classify_attribute
from app.pipeline.context import SAID, ConversationContext, allergens_in, condition_kinds
from app.pipeline.indication_search import asks_which_medicine, condition_asked
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.read_missed import asks_missed_dose
from app.text_input import for_matching


class TalkKind(StrEnum):
    GREETING = "greeting"
    THANKS = "thanks"
    FAREWELL = "farewell"
    ACKNOWLEDGEMENT = "acknowledgement"  # "ok", "got it", "one sec", "I'm back"
    ABOUT_SERVICE = "about_service"  # "who are you?", "what can you do?"
    UNRELATED = "unrelated"  # a question or request about something else


@dataclass(frozen=True, slots=True)
class SmallTalk:
    kind: TalkKind
    reply: str


# -- social turns: the whole turn is made of these ------------------------------------------------------------

_SOCIAL_EN: dict[TalkKind, str] = {
    TalkKind.GREETING: (
        r"hi+|hello+|hey+|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening|day)|morning|"
        r"how are you(?: doing)?(?: today)?|how(?:'s| is) it going|what'?s up|sup|nice to meet you"),
    TalkKind.THANKS: (
        r"(?:(?:ok(?:ay)?|great|perfect|awesome|brilliant|excellent|wonderful|cool|good|nice) )?"
        r"(?:thanks?(?: you)?|thank u|thx|ty|tysm|cheers|many thanks|much appreciated|appreciate it|"
        r"i appreciate (?:it|that|your help)|god bless(?: you)?|"
        # in the writer's own language: "gracias", "obrigada", "grazie", "merci", "danke", "shukran", "salamat"
        r"gracias|muchas gracias|obrigad[oa]|grazie(?: mille)?|merci(?: beaucoup)?|danke(?: sch[oö]n)?|shukran|"
        r"salamat(?: po)?|dzi[eę]kuj[eę])"
        r"(?: (?:so|very) much| a lot| a bunch| a million| again| anyway| for (?:your|the|all (?:your|the)) "
        r"(?:help|answer|info|information)| for that| for everything)*|"
        r"(?:that|this|it)(?: was| is|'s) (?:very |really |so |super |incredibly )?(?:helpful|useful|great)|"
        r"that helps(?: (?:a lot|so much|loads|a bunch|heaps))?|that (?:really |definitely )?helped(?: a lot)?|"
        r"you'?ve been (?:very |really |so )?helpful|"
        # a compliment, a doctor named in it as the one outdone ("you're better than my GP lol")
        r"you(?:'re| are| re) (?:(?:so|very|really|super|too) )?(?:the best|helpful|great|amazing|awesome|brilliant|"
        r"kind|lovely|nice|very kind|"
        r"a star|a lifesaver|a life saver|better than (?:my|the|a|any|our) (?:gp|doctor|doc|pharmacist|physician|"
        r"nurse|dr|google))"),
    TalkKind.FAREWELL: (
        r"bye+|goodbye|good bye|bye bye|see you(?: later| soon)?|see ya|cya|later|take care|good night|"
        r"gotta go|have a (?:good|nice|great) (?:day|one|night|evening|weekend)|that'?s all(?: for now)?|"
        r"that'?s everything(?: for now)?|"
        r"nothing else|no more questions|i'?m done"),
    TalkKind.ACKNOWLEDGEMENT: (
        r"ok(?:ay)?|k|kk|alright|all right|great|cool|nice|perfect|awesome|got it|gotcha|i see|understood|"
        r"noted|sounds good|makes sense|that makes sense|fair enough|no worries|no problem|fine|good|"
        r"good to know|i'?ll do that|will do|hmm+|oh|ah|wow|lol|haha+|sorry|my bad|one sec(?:ond)?|"
        r"hold on|wait|brb|be right back|back|i'?m back|interesting|i know|"
        r"oh well|oh ok(?:ay)?|oops"),
    TalkKind.ABOUT_SERVICE: (
        r"who are you|what are you|who is this|what can you do|what do you do|"
        r"what can i ask(?: you)?|what (?:can|do) you (?:help|answer)(?: with)?|how does this work|help|"
        r"are you (?:a |an )?(?:bot|robot|ai|human|real person|person|doctor|pharmacist)"),
}
_VOCATIVE = r"(?: (?:there|doc|doctor|clinqa|everyone|all|again|friend|buddy|mate|man|guys|so much))*"
_ANY_SOCIAL = "|".join(f"(?:{words})" for words in _SOCIAL_EN.values())
# One clause of social phrases, several run together ("lol ok", "ok bye", "great thank you").
_SOCIAL_RUN = re.compile(rf"(?:{_ANY_SOCIAL})(?: (?:{_ANY_SOCIAL}))*{_VOCATIVE}")
_SOCIAL_KIND = {kind: re.compile(rf"\b(?:{words})\b") for kind, words in _SOCIAL_EN.items()}
_SOCIAL_ZH: dict[TalkKind, re.Pattern[str]] = {
    TalkKind.GREETING: re.compile(r"(?:你好|您好|嗨|哈喽|哈啰|早上好|上午好|下午好|晚上好|早安|晚安|在吗|在不在"
                                  r"|你好吗)+"),
    TalkKind.THANKS: re.compile(r"(?:好的)?(?:谢谢|多谢|感谢|非常感谢|太感谢|谢了|谢啦)(?:你|您|医生|大夫)?(?:了|啦)?"
                                r"(?:帮助|的帮助)?"),
    TalkKind.FAREWELL: re.compile(r"(?:再见|拜拜|回头见|下次见|没有了|没别的了|就这些)"),
    TalkKind.ACKNOWLEDGEMENT: re.compile(r"(?:好的?|好吧|嗯+|哦+|噢|行|可以|明白了?|知道了|了解了?|收到|懂了|没问题)+"),
    TalkKind.ABOUT_SERVICE: re.compile(r"(?:你是谁|你是什么|你能做什么|你会什么|你能回答什么|怎么用)"),
}
_CLAUSE_SPLIT = re.compile(r"[.!?,;:~…。！？，；：、]+|\s+-+\s+")
_DECORATION = re.compile(r"[^\w\s'’\u3400-\u9fff]+")  # emoji, smileys, stray symbols
_LETTER_SMILEY = re.compile(r"(?<!\w)(?:[:;=]-?[dpo3]|x-?d)(?!\w)", re.IGNORECASE)  # ":D", ";p", "xD"
_ZH_FILLER = re.compile(r"[啊呀啦哈嘛呢哦~\s]+$")


# The most telling kind when a turn has several ("Great, thanks! Bye."): thanks and farewells say more than
# the acknowledgement before them.
_PRECEDENCE = (TalkKind.FAREWELL, TalkKind.THANKS, TalkKind.ABOUT_SERVICE, TalkKind.GREETING,
               TalkKind.ACKNOWLEDGEMENT)


def _social_kind(clause: str) -> TalkKind | None:
    if re.search(r"[\u3400-\u9fff]", clause):
        compact = _ZH_FILLER.sub("", re.sub(r"\s+", "", clause))
        return next((k for k, p in _SOCIAL_ZH.items() if compact and p.fullmatch(compact)), None)
    text = re.sub(r"\s+", " ", clause.replace("’", "'")).strip().casefold()
    if not text or not _SOCIAL_RUN.fullmatch(text):
        return None
    return next(k for k in _PRECEDENCE if _SOCIAL_KIND[k].search(text))


def social_kind(text: str) -> TalkKind | None:
    """The kind of a turn made only of greetings, thanks, goodbyes and acknowledgements; None otherwise."""
    pieces = (_DECORATION.sub(" ", c).strip() for c in _CLAUSE_SPLIT.split(_LETTER_SMILEY.sub(" ", for_matching(text))))
    clauses = [c for c in pieces if c]
    if not clauses:
        return None
    kinds = [_social_kind(c) for c in clauses]
    if any(k is None for k in kinds):
        return None
    return next(k for k in _PRECEDENCE if k in kinds)


# -- what keeps a turn a medicine question ---------------------------------------------------------------------

# Health words: symptoms, body, care, food and drink that labels speak of. Stems, matched at a word start.
_HEALTH = re.compile(
    r"\b(?:pain|ache|aching|hurt|sore|fever|temperature|cough|cold|flu|sick|ill|nause|vomit|throw(?:ing)? up|"
    r"diarrh|constipat|rash|itch|hive|swell|swollen|dizz|faint|tired|fatigue|sleep|insomnia|drows|headache|"
    r"migraine|bleed|blood|bruis|pressure|sugar|glucose|heart|chest|breath|stomach|belly|tummy|gut|bowel|"
    r"head|back|neck|joint|knee|hip|muscle|bone|skin|eye|ear|throat|nose|mouth|tooth|teeth|gum|liver|kidney|"
    r"lung|urin|pee|bladder|prostat|period|menstru|pregnan|preg|breast|nurs|baby|infant|child|kid|toddler|"
    r"elderly|weight|diet|allerg|asthma|infect|virus|bacteri|wound|burn|cut|injur|sprain|anxi|depress|"
    r"panic|mood|stress|mental|seizure|stroke|cancer|tumou?r|diabet|cholesterol|thyroid|hormone|"
    r"doctor|dr|gp|nurse|pharmac|physician|clinic|hospital|er|urgent care|dentist|dental|surgeon|surgery|"
    r"vet|prescri|refill|medic|meds?|drug|pill|tablet|capsule|dose|dosage|dosing|mg|ml|mcg|inject|shot|"
    r"vaccin|jab|cream|ointment|gel|drops?|inhaler|patch|syrup|spray|supplement|vitamin|herb|remed|"
    r"treat|therap|cure|symptom|side|effect|safe|overdose|alcohol|beer|wine|liquor|drink|coffee|caffeine|"
    r"tea|grapefruit|juice|milk|dairy|food|eat|meal|smok|vape|cannabis|marijuana|weed|health|healthy|"
    r"condition|disease|disorder|diagnos|test|lab|scan|x-?ray|sex|erect|contracepti|birth control|"
    r"addict|withdraw|habit|dependen|exercise|workout|sun|tan|travel|fly|flight|driv|operate|"
    # a concern about what was said before ("Should I worry?", "Is that bad?")
    r"worr|concern|scar|afraid|nervous|risk|danger|harm|problem|issue|normal|weird|strange|bad|wrong|matter|"
    r"serious|symptom|feel|felt|sensation)",
    re.IGNORECASE,
)
_HEALTH_WORDS = tuple(sorted(set(
    """pain ache hurt sore fever cough nausea vomit diarrhea constipation rash itch swelling dizzy faint tired
    fatigue sleep insomnia drowsy headache migraine bleeding blood bruise pressure sugar glucose heart chest
    breathing stomach tummy bowel muscle joint skin throat liver kidney lungs urine bladder prostate period
    pregnant pregnancy breastfeeding nursing baby infant child children weight allergy allergic asthma
    infection virus bacteria wound injury sprain anxiety depression panic seizure stroke cancer diabetes
    cholesterol thyroid hormone doctor nurse pharmacy pharmacist physician clinic hospital dentist surgery
    prescription refill medicine medication drug pill tablet capsule dose dosage injection vaccine cream
    ointment drops inhaler patch syrup spray supplement vitamin remedy treatment therapy symptom side effects
    safe overdose alcohol drinking coffee caffeine grapefruit juice food smoking health condition disease
    interaction interactions contraindications warnings pediatric geriatric lactation storage dosing
    pregnancy indications adverse reactions""".split())))
# "is it ...", "that one", "them", "both": a turn that refers back asks about what was said before.
_REFERS_BACK = re.compile(
    r"\b(?:it|its|it's|this|that|these|those|them|they|both|same|one|ones|either|neither|other|another|"
    r"mine|hers|theirs|yours)\b|\bhis(?=\s*[?.!,]|\s*$)",  # "will mine affect hers?", "with his?": a person's medicine
    re.IGNORECASE,
)
_ELLIPTICAL = re.compile(r"^\s*(?:and|also|what about|how about|same for|what if|plus|or|but|so|then)\b",
                         re.IGNORECASE)
# "Can I go to the gym?", "Can he play football?": whether someone may do something, asked in a conversation
# about a medicine, is asked because of the medicine (contact sports and a blood thinner).
_MAY_THEY = re.compile(r"\b(?:can|could|may|should|must|shall)\s+(?:i|we|he|she|they|my\s+\w+)\b|"
                       r"\b(?:am i|are we|is (?:he|she)) (?:allowed|ok|okay|safe|fine)\b|\bsafe for\b", re.IGNORECASE)
# "what is pepsin?", "what is nano silver", "what does hydro coding acet ...": what a product is, asked of
# a name the database may lack or the user misspelt
_WHAT_IS = re.compile(r"^\s*(?:what|wat|wht)(?:'s|s| is| are)\s+(?:a |an |the )?\S+(?:\s+\S+){0,2}\s*\??\s*$|"
                      r"^\s*(?:what|wat|wht) does\b|\bwhat (?:is|are) (?:it|they) (?:used )?for\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
# Conversation words that say nothing of a topic, rare in labels though they are ("really", "yeah").
_CHATTER = frozenset(
    """really yeah yes yep yup nope okay ok hey hi hello thanks thank please anyway actually basically
    honestly maybe gonna wanna gotta lol haha hmm um uh oh wow cool guys folks tomorrow tonight today
    yesterday weekend sure stuff thing things kinda sorta whats wats hows whens wheres whos thats""".split()
)
# Everyday questions about something else that label words can hide ("weather" is in heat warnings, "time"
# is a dosing cue, "is it going to rain" refers back): recognised by their own wording, when the turn names no
# medicine, condition or health word.
_EVERYDAY_ELSEWHERE = re.compile(
    r"\b(?:what(?:'s| is) the weather|weather (?:like|today|tomorrow|forecast|this week)|weather forecast|"
    r"(?:is it|will it|going to|gonna) (?:rain|snow)|"
    r"what(?:'s| is) the time|what (?:day|date) is (?:it|today)|tell me a joke|who won the (?:game|match)|"
    r"what(?:'s| is) on tv)\b|"
    # said to be off the subject, or plainly another one ("totally unrelated, ... banana bread recipe?",
    # "what's the capital of France?")
    r"\b(?:totally |completely |slightly |a bit )?(?:unrelated|off[- ]topic|random question|change of subject)\b|"
    r"\b(?:recipes?|bake|baking|capital (?:city )?of|homework|poem|lyrics)\b|"
    r"\bwhat time is it(?: now| there| right now)?\s*[?.!]*\s*$|"
    r"天气|下雨|下雪|几点了|现在几点|星期几|讲个笑话|说个笑话",
    re.IGNORECASE)
# When a shop, pharmacy or surgery opens ("do you know when pharmacies close on a Sunday?"): a question about the
# world, whatever health place it names; only a medicine named keeps it a medicine question.
_OPENING_HOURS = re.compile(
    r"\b(?:when|what time) (?:do|does|will|is|are) (?:the |my |a |any |most )?(?:\w+ ){0,2}(?:close|open|shut)s?\b|"
    r"\bopening (?:hours|times)\b|\b(?:open|closed?) (?:on )?(?:a )?(?:sundays?|saturdays?|weekends?|bank holidays?|"
    r"christmas|new year'?s? day)\b|几点(?:关门|开门)|营业时间", re.IGNORECASE)
# Remarks on the weather ("ugh the weather is terrible today isn't it"): a tag question's "it" refers to nothing,
# so only a turn that names no medicine, condition, health word, section cue or taking word is small talk.
_WEATHER_REMARK = re.compile(
    r"\b(?:the|this|today's|such|lovely|nice|terrible|awful|horrible|miserable|crazy|weird) weather\b(?! warning)|"
    r"\b(?:rain(?:ing|ed|y)?|snow(?:ing|ed|y)?|sunny|freezing|pouring|windy|stormy) (?:all|today|outside|again|"
    r"here|this)\b", re.IGNORECASE)
_TAKING = re.compile(r"\b(?:take|takes|taking|took|use|using|used|dose|doses|dosing|pills?|tablets?|capsules?|"
                     r"medicines?|medications?|meds|drugs?|store|storing|fridge|keep|kept)\b", re.IGNORECASE)
_HEALTH_ZH = re.compile(r"痛|疼|药|病|烧|咳|孕|哺乳|血|晕|吐|泻|痒|疹|过敏|医|肿|睡|累|喘")


def _near_health_word(word: str) -> bool:
    """A misspelt health or section word ("efects", "dosge", "pregnent") is not evidence of another topic."""
    if len(word) < 5:
        return False  # "good" is one edit from "food": too short to tell a misspelling from another word
    edits = 1 if len(word) <= 6 else 2
    return extractOne(word, _HEALTH_WORDS, scorer=Levenshtein.distance, score_cutoff=edits) is not None


def medical_signal(text: str, lexicon: MedicineLexicon) -> str | None:
    """What in a turn may belong to a medicine question, or None when nothing does."""
    if lexicon.find(text):
        return "name"
    if classify_attribute(text).scores:
        return "section_cue"
    if asks_missed_dose(text):
        return "missed_dose"  # "Just realised I didn't take yesterday's."
    if condition_kinds(text) or allergens_in(text):
        return "condition"
    if condition_asked(text) or asks_which_medicine(text):
        return "which_medicine"
    if _HEALTH.search(text):
        return "health_word"
    if _MAY_THEY.search(text):
        return "may_they"
    if _WHAT_IS.search(text):
        return "what_is"
    if re.search(r"\d", text):
        return "number"  # a strength, a dose, an age ("hydro coding acet 5-325")
    if _REFERS_BACK.search(text) or _ELLIPTICAL.search(text):
        return "refers_back"
    known = lexicon.is_known_word
    if known is not None and any(not known(w) and _near_health_word(w) for w in _WORD.findall(text.casefold())):
        return "misspelt_health_word"  # a word the labels never use, a few edits from one they do
    return None


def _off_topic_word(text: str, is_known_word: Callable[[str], bool]) -> str | None:
    word: str
    for word in _WORD.findall(text.casefold()):
        if len(word) < 3 or word in _CHATTER or "'" in word:
            continue
        if not is_known_word(word):
            return word
    return None


def classify(text: str, lexicon: MedicineLexicon) -> TalkKind | None:
    """The kind of small talk a turn is, or None when it may ask about a medicine."""
    text = for_matching(text).strip()
    if not text:
        return None
    kind = social_kind(text)
    if kind is not None:
        # "Have a good night" has a dosage cue ("night") and "thanks for that" a reference back: in a turn
        # made only of social phrases those are incidental; a medicine name or a condition is not.
        if lexicon.find(text) or condition_kinds(text) or allergens_in(text):
            return None
        return kind
    if _EVERYDAY_ELSEWHERE.search(text) and not (
            lexicon.find(text) or condition_kinds(text) or allergens_in(text) or _HEALTH.search(text)
            or _HEALTH_ZH.search(text)):
        return TalkKind.UNRELATED
    if _OPENING_HOURS.search(text) and not lexicon.find(text):
        return TalkKind.UNRELATED
    if _WEATHER_REMARK.search(text) and not (
            lexicon.find(text) or condition_kinds(text) or allergens_in(text) or _HEALTH.search(text)
            or classify_attribute(text).scores or _TAKING.search(text)):
        return TalkKind.UNRELATED
    if re.search(r"[\u3400-\u9fff]", text) or lexicon.is_known_word is None:
        return None  # other unrelated questions are recognised by the English label vocabulary only
    if medical_signal(text, lexicon) is not None:
        return None
    return TalkKind.UNRELATED if _off_topic_word(text, lexicon.is_known_word) else None


def small_talk(question: str, lexicon: MedicineLexicon, context: ConversationContext | None = None) -> SmallTalk | None:
    """The reply to a turn that asks nothing of the medicine database, or None. The reply names the
    medicines the conversation is about, so the user knows they can go on asking about them."""
    kind = classify(question, lexicon)
    if kind is None:
        return None
    names: list[str] = []
    if context is not None:
        for m in context.latest(context.question_turn):
            if m.medicine_id and m.source == SAID:  # not a patient's recorded list nobody has spoken of
                names.append(lexicon.names.get(m.medicine_id, m.surface))
    names = list(dict.fromkeys(names))[:3]
    language = phrases.language_of(question)
    return SmallTalk(kind, phrases.small_talk_reply(kind.value, names, language))
