"""Conversation context: what the user has said about medicines and about themselves so far.

Rebuilt at every turn from the user's turns only (an answer of the service may name drugs nobody takes):
each medicine mentioned, whose it is (the user, a relative, someone else), its status (new, taken for
long, stopped, being considered, only asked about) and the turn; the conditions and populations the user
states (pregnant, breastfeeding, asthma, kidney or liver disease, a child's age, an allergy). A turn about
something else names nothing and so erases nothing.

Used by distillation to resolve "it", "the new one", "my own medicine" by ownership, novelty, dose form
and recency, and by the medication-partners stage: the medicines the user says they take are interaction
partners of a medicine newly asked about, as a patient's recorded medication list is.

With a patient, the context is merged with the patient's records (`merge_records`): the current medication
list as the user's own medicines, taken for long; the active problems and the allergies as conditions the
user stated. They sit before the first turn, so whatever the user's turns say of the same medicine wins ("I
stopped the warfarin last month"), and focus resolution turns to them only when the conversation offers no
medicine the question can mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from app.pipeline.allergy_spelling import ALLERGEN_WORDS, respell_allergen, spell_allergy_words
from app.pipeline.denied_conditions import without_denials
from app.pipeline.replaced import NOT_GIVEN, instead_status
from app.pipeline.spoken_numbers import spoken_numbers
from app.pipeline.zh_conditions import zh_allergens, zh_conditions_in, zh_owner
from app.pipeline.zh_switch import zh_switch_side
from app.text_input import for_matching
from indexing.vocabulary import CJK_RANGES, has_cjk

if TYPE_CHECKING:
    from app.pipeline.lexicon import MedicineLexicon, NameMatch
    from app.pipeline.state import Turn
    from app.records.model import PatientContext


class Owner(StrEnum):
    USER = "user"
    RELATIVE = "relative"  # a family member the user speaks for
    OTHER = "other"  # someone else (a friend, a colleague)


class MedStatus(StrEnum):
    NEW = "new"  # just started, prescribed, added
    CURRENT = "current"  # taken, no word on how long
    LONG_TERM = "long_term"  # taken for years
    STOPPED = "stopped"
    CONSIDERED = "considered"  # being thought about, not started
    ASKED = "asked"  # only asked about


TAKEN = frozenset({MedStatus.NEW, MedStatus.CURRENT, MedStatus.LONG_TERM})
# A question that points back at a medicine said before ("can I take it with ...", "my medicine", 它)
REFERS_BACK = re.compile(
    r"\b(it|its|it's|this|that|these|those|them|they|both|same|the (medicine|medication|drug|pill|tablet)s?|"
    r"my (medicine|medication|meds|drug|pill|prescription)s?|(?<!\bof )(?:mine|hers|theirs)|his(?=\s*(?:[?.!,]|$))|"
    r"my (current|usual|regular|existing) one)\b|"
    r"它|这个药|这药|该药|此药|这种药|两种药|它们",
    re.IGNORECASE,
)
SAID = "said"  # a mention's source: the user's turns
RECORD = "record"  # the patient's records (merge_records)
RECORD_TURN = -1  # records come before the conversation's first turn

_RELATIVES = (
    r"husband|wife|partner|spouse|son|daughter|child|children|kid|kids|baby(?! aspirin)|toddler|boy|girl|"
    r"mom|mum|mother|dad|father|grandma|grandmother|granny|nana|grandpa|grandfather|brother|sister|aunt|uncle|niece|nephew|"
    r"grandson|granddaughter|parents?|family member"
)
_OTHERS = r"friend|colleague|coworker|co-worker|neighbou?r|roommate|boss|patient of mine"
# Parents and grandparents are often named without "my": "Dad started atorvastatin", "is it ok for mom?"
BARE_RELATIVES = (r"mom|mum|mommy|mama|dad|daddy|papa|grandma|granny|nana|grandpa|hubby|"
                  r"husband|wife")  # "hubby on finasteride", "Husband is on warfarin, 4mg."
# Chinese: 我妈, 我爸的药, 她/他 (not inside a name: 阿托伐他汀, 他克莫司), 朋友. A pronoun counts where a word
# follows that a sentence about a person has next (她的药, 他能吃, 她在吃), not where a name goes on.
_ZH_PRONOUN = (r"(?<!其)[他她](?=们|的|能|可|在|正|吃|用|服|有|是|也|一直|每|最近|刚|要|想|会|还|需|得|已|说|对|不|"
               # the one it is bought or fetched for: 我想帮他买万艾可, 给她拿点药
               r"买|拿|配|取|"
               # how the person is: 他感冒了, 她发烧, 他头疼, 他血压高, 她这两天咳嗽 (no drug name has these after 他)
               r"感冒|发烧|发热|头|胃|肚子|腰|腿|牙|血压|血糖|肝|肾|心脏|咳|这|那|平时|老是|总是|"
               r"\s|[，。？！,.?!]|$)")
_ZH_RELATIVES = (r"妈妈|妈|母亲|爸爸|爸|父亲|老公|老婆|丈夫|妻子|爱人|孩子|儿子|女儿|宝宝|小孩|奶奶|爷爷|外婆|外公|"
                 r"姥姥|姥爷|婆婆|公公|岳母|岳父|哥哥|姐姐|弟弟|妹妹")
# A person a carer names by title: "Mrs A is on apixaban", "Mr Patel's warfarin" (case kept: "miss a dose" is none)
_TITLED = r"(?-i:\b(?:Mrs|Mr|Ms|Miss)\.?\s+[A-Z][\w'-]*)"
# ("my wifes on xarelto", "my 80 year old father")
_RELATIVE = re.compile(rf"\b(?:my|our)\s+(?:[\w-]+\s+){{0,3}}?(?:{_RELATIVES})s?\b|"
                       rf"\b(?:he|she|his|her|hers|him|{BARE_RELATIVES})\b|{_ZH_RELATIVES}|{_ZH_PRONOUN}|{_TITLED}",
                       re.IGNORECASE)
_OTHER = re.compile(rf"\b(?:my|a|our)\s+(?:\w+\s+)?(?:{_OTHERS})\b|朋友|同事|邻居|同学|领导", re.IGNORECASE)
# The user as the one who would take it: "could I (safely) take", "can I also use", "is it ok for me to take".
_I_WOULD_TAKE = re.compile(r"\b(?:can|could|may|should|shall|would|will)\s+i\s+"
                           r"(?:\w+ly\s+|also\s+|still\s+|too\s+)?(?:take|use|have|try|start)\b|"
                           r"\b(?:ok|okay|safe|alright|fine) for me to (?:take|use|have)\b", re.IGNORECASE)
_ZH_I_WOULD_TAKE = re.compile(r"我(?:自己)?(?:能|可以|可不可以|能不能)(?:吃|喝|用|服)")
_SELF = re.compile(r"\b(?:i|i'm|im|i've|ive|i'd|me|my|mine|myself)\b|我", re.IGNORECASE)

# Whose medicine "her medicine" is: the relatives' gender. A relation word as said -> the person it names.
_FEMALE_RELATIVES = {
    "wife": "wife", "daughter": "daughter", "mom": "mother", "mum": "mother", "mother": "mother", "mommy": "mother",
    "mama": "mother", "grandma": "grandmother", "grandmother": "grandmother", "granny": "grandmother",
    "nana": "grandmother", "sister": "sister", "aunt": "aunt", "niece": "niece", "granddaughter": "granddaughter",
    "girlfriend": "girlfriend", "girl": "daughter", "stepmother": "mother", "stepmom": "mother",
}
_MALE_RELATIVES = {
    "husband": "husband", "hubby": "husband", "son": "son", "dad": "father", "father": "father", "daddy": "father",
    "papa": "father",
    "grandpa": "grandfather", "grandfather": "grandfather", "brother": "brother", "uncle": "uncle",
    "nephew": "nephew", "grandson": "grandson", "boyfriend": "boyfriend", "boy": "son", "stepfather": "father",
    "stepdad": "father",
}
FEMALE, MALE = "female", "male"
_RELATION_WORDS = "|".join(sorted({*_FEMALE_RELATIVES, *_MALE_RELATIVES}, key=len, reverse=True))
_PERSON_WORD = re.compile(
    rf"\b(?:my|our)\s+(?:[\w-]+\s+){{0,3}}?({_RELATION_WORDS})(?:'s)?\b|\b({BARE_RELATIVES})(?:'s)?\b",
    re.IGNORECASE)
_TITLED_PERSON = re.compile(r"\b(Mrs|Mr|Ms|Miss)\.?\s+([A-Z][\w'-]*)")
_PRONOUN_GENDER = {"she": FEMALE, "her": FEMALE, "hers": FEMALE, "herself": FEMALE,
                   "he": MALE, "him": MALE, "his": MALE, "himself": MALE}
_GENDER_PRONOUN = re.compile(r"\b(she|her|hers|herself|he|him|his|himself)\b", re.IGNORECASE)


# A relative named in Chinese -> (person, gender) as the English relation words give them.
_ZH_PERSONS: dict[str, tuple[str, str]] = {
    "妈妈": ("mother", FEMALE), "妈": ("mother", FEMALE), "母亲": ("mother", FEMALE), "爸爸": ("father", MALE),
    "爸": ("father", MALE), "父亲": ("father", MALE), "老公": ("husband", MALE), "丈夫": ("husband", MALE),
    "老婆": ("wife", FEMALE), "妻子": ("wife", FEMALE), "儿子": ("son", MALE), "女儿": ("daughter", FEMALE),
    "奶奶": ("grandmother", FEMALE), "外婆": ("grandmother", FEMALE), "姥姥": ("grandmother", FEMALE),
    "爷爷": ("grandfather", MALE), "外公": ("grandfather", MALE), "姥爷": ("grandfather", MALE),
    "婆婆": ("mother-in-law", FEMALE), "岳母": ("mother-in-law", FEMALE), "公公": ("father-in-law", MALE),
    "岳父": ("father-in-law", MALE), "哥哥": ("brother", MALE), "弟弟": ("brother", MALE),
    "姐姐": ("sister", FEMALE), "妹妹": ("sister", FEMALE),
}
_ZH_PERSON_WORD = re.compile("|".join(sorted(_ZH_PERSONS, key=len, reverse=True)))
_ZH_GENDER_PRONOUN = re.compile(_ZH_PRONOUN)


def person_named(text: str) -> tuple[str, str] | None:
    """The last relative a text names ("my daughter", "our mom's", 我妈妈, "Mrs A") as (person, gender), or None."""
    found = list(_PERSON_WORD.finditer(text))
    titled = list(_TITLED_PERSON.finditer(text))
    if titled and (not found or titled[-1].start() > found[-1].start()):
        title, name = titled[-1].group(1), titled[-1].group(2)
        return f"{title.casefold()} {name.casefold()}", MALE if title == "Mr" else FEMALE
    if not found:
        zh = list(_ZH_PERSON_WORD.finditer(text))
        return _ZH_PERSONS[zh[-1].group(0)] if zh else None
    word = (found[-1].group(1) or found[-1].group(2)).casefold()
    if word in _FEMALE_RELATIVES:
        return _FEMALE_RELATIVES[word], FEMALE
    return _MALE_RELATIVES[word], MALE


def pronoun_gender(text: str) -> str | None:
    """The gender of the first he/she/his/her in a text."""
    found = _GENDER_PRONOUN.search(text)
    if found is None:
        zh = _ZH_GENDER_PRONOUN.search(text)
        return (FEMALE if zh.group(0) == "她" else MALE) if zh else None
    return _PRONOUN_GENDER[found.group(1).casefold()]

_STATUS_CUES: list[tuple[MedStatus, re.Pattern[str]]] = [
    (MedStatus.STOPPED, re.compile(
        r"\b(?:stopped|stop taking|quit|no longer|came off|come off|discontinued|used to (?:take|be on)|"
        r"was on|went off|finished)\b|停了|停药|停掉|不吃了|不用了|已经不吃|以前吃|之前吃|换掉了|"

        # not taken at all: "I don't take any GTN or nitrate spray", "I'm not on any blood thinners"
        r"\b(?:i|he|she|we|they) (?:don'?t|do not|doesn'?t|does not|never) (?:take|use|have|carry)\b|"
        r"\b(?:i'?m|i am|he'?s|she'?s|he is|she is) not (?:on|taking|using)\b", re.IGNORECASE)),
    # "took me off glipizide", "the doctor didn't give me amoxicillin": not taken (app.pipeline.replaced)
    (MedStatus.STOPPED, NOT_GIVEN),
    (MedStatus.CONSIDERED, re.compile(
        r"\b(?:thinking (?:about|of)|considering|consider|"
        r"wants? (?:me |him |her )?to (?:start|add|put|try|switch|take|use)|"
        r"might (?:start|take|try|switch)|planning|suggested|recommended|may (?:start|put)|talked about|"
        r"mentioned|offered|(?:was|am|i'm|were|are) (?:going|about) to (?:take|use|try|give|have))\b|"
        r"想吃|想用|想试|打算|考虑|准备[吃用]|建议我?[吃用]|让我[吃用试]", re.IGNORECASE)),
    (MedStatus.LONG_TERM, re.compile(
        r"\b(?:for (?:many |several |a few |about |almost |over |the past |the last )*"
        r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|a couple of|couple of)?\s*(?:years?|decades?)|"
        r"for (?:a long time|ages|a decade|a while|years)|(?:have|has|'ve|'s) been (?:on|taking|using)|"
        r"long[- ]term|always (?:taken|take|been on)|for a decade|since \d{4}|since i was|"
        r"my (?:regular|usual|daily|normal) (?:medicine|medication|meds|pills?|prescription)s?)\b|"
        r"长期|一直[在]?[吃用服]|多年|[吃用服]了?(?:好)?[几好两三四五六七八九十0-9]+年", re.IGNORECASE)),
    (MedStatus.NEW, re.compile(
        r"\b(?:just|new|newly|started|starting|start|prescribed|gave me|given|put me on|added|add|adding|"
        r"switched|now on|onto|today|yesterday|last (?:week|night)|this (?:week|morning)|picked up|begin|began)\b|"
        r"刚[开吃用]|刚开始|新开|开了|开始[吃用服]|给我开|最近开始|今天开始|"
        r"(?<![增量])加了|又加|新加|加用|加上了", re.IGNORECASE)),  # 医生又加了X: X is new
    (MedStatus.CURRENT, re.compile(
        # "I carry nitroglycerin spray for angina": a rescue medicine kept at hand is one the user takes
        r"\b(?:take|takes|taking|took|on|use|uses|using|have|has|carry|carries|carrying)\b|在吃|在用|在服|正在|吃着|"
        r"经常[吃用服]|平时[吃用服]|常常[吃用服]|"  # "我膝盖疼，经常吃芬必得": taken as a habit
        # "Plavix after my stent.", "warfarin since his valve": taken since an event, told without a verb
        r"\b(?:since|after) (?:my|his|her|the) (?:stents?|heart attack|bypass|operation|op|surgery|stroke|"
        r"transplant|valve(?: replacement)?|hip|knee|diagnosis|mi|clot|dvt|pe)\b|"
        # "My list: methotrexate 15 mg Saturdays, folic acid Mondays, lansoprazole.": a list of one's medicines, or a
        # dose told in a statement
        r"\b(?:my (?:current |regular |usual |daily |repeat |other )?|(?:current|regular|usual|daily|repeat) )"
        r"(?:list|meds|medications?|medicines|tablets|pills|"
        r"prescriptions?|drugs)\b\s*(?::|-|are\b|include\b)|\b\d+(?:\.\d+)?\s?(?:mg|mcg|micrograms?|units?)\b|"
        r"每天[吃用服]|服用|随身带|舌下含|含服|含化|"
        # a statement of what is taken: "我52岁，痛风，还有高血压，吃氨氯地平。", "每周一次甲氨蝶呤" (a question's
        # "能吃布洛芬吗" is asked: clause_status)
        r"(?<![能可想要别不该敢])(?:吃|用)(?![了完过]|多少|几|什么|啥)|每(?:周|天|日|晚|早)[^，。,.]{0,2}(?:一次|[0-9一两三四]次)",
        re.IGNORECASE)),
]

_CONDITIONS: list[tuple[str, re.Pattern[str]]] = [
    # (a midwife's "lady at 33/40", "28+3 weeks": weeks of gestation; "preg")
    ("pregnant", re.compile(r"(?<!before i got )(?<!before i was )(?<!before she got )(?<!before she was )"
                            r"(?<!before i became )(?<!before getting )(?<!before being )"
                            r"\b(?:pregnan\w*|preg|expecting a baby|weeks along|trying to conceive|"
                            # the word of the writer's own language: embarazada, grávida, incinta, enceinte
                            r"embarazada|gr[aá]vida|incinta|enceinte|schwanger|"
                            # "embarrassed of eight weeks": Spanish "embarazada" as a translator app leaves it
                            r"embarrass?ed (?:of |with |since |for )?(?:\d+|one|two|three|four|five|six|seven|eight|"
                            r"nine|ten)\w* (?:weeks?|months?))\b|"
                            r"\b(?:[4-9]|[1-3]\d|4[0-2])(?:\+[0-6])?/40\b|\b(?:[4-9]|[1-3]\d|4[0-2])\+[0-6] ?weeks\b",
                            re.IGNORECASE)),
    ("breastfeeding", re.compile(r"\b(?:breast[- ]?feed\w*|breast[- ]?fed|nursing|lactating|pumping)\b",
                                 re.IGNORECASE)),
    ("asthma", re.compile(r"\basthma\w*\b", re.IGNORECASE)),
    ("kidney_disease", re.compile(
        r"\b(?:kidney (?:disease|failure|problems?|issues?|function)|renal|dialysis|ckd)\b", re.IGNORECASE)),
    ("liver_disease", re.compile(
        r"\b(?:liver (?:disease|failure|problems?|damage)|cirrhosis|hepatitis|fatty liver)\b", re.IGNORECASE)),
    ("diabetes", re.compile(r"\b(?:diabet\w*)\b", re.IGNORECASE)),
    ("heart_disease", re.compile(r"\b(?:heart (?:failure|disease|attack)|arrhythmia|afib|a-fib)\b", re.IGNORECASE)),
    ("gout", re.compile(r"\bgout\b", re.IGNORECASE)),
    # "I already have high BP": labels warn of blood pressure rises and hypertension in their warnings
    ("hypertension", re.compile(r"\b(?:have|had|got|with|my|diagnosed with) (?:high blood pressure|high bp|"
                                r"hypertension)\b|\bhypertensive\b", re.IGNORECASE)),
    # conditions labels warn about by name (anticholinergics and glaucoma, fluoroquinolones and myasthenia
    # gravis, NSAIDs and a bled ulcer, stimulants and seizures)
    ("glaucoma", re.compile(r"\bglaucoma\b", re.IGNORECASE)),
    ("myasthenia_gravis", re.compile(r"\bmyasthenia(?: gravis)?\b", re.IGNORECASE)),
    ("epilepsy", re.compile(r"\b(?:epilep\w*|seizure disorder|(?:have|had|get) seizures)\b", re.IGNORECASE)),
    ("ulcer", re.compile(r"\b(?:(?:a|an|my|had|have) (?:stomach |peptic |duodenal |bleeding )?ulcers?|bled ulcer|"
                         r"(?:stomach|peptic|bleeding) ulcers?|gi bleed\w*)\b", re.IGNORECASE)),
    ("prostate", re.compile(r"\b(?:enlarged prostate|bph|prostate (?:problems?|enlargement))\b", re.IGNORECASE)),
    ("smoker", re.compile(r"\bi (?:still )?smoke\b|\b(?:a |heavy |current )?smoker\b|\b(?:he|she) smokes\b|"
                          r"\bcigarettes? a day\b|吸烟|抽烟", re.IGNORECASE)),
]
# "allergic (to) X", "an allergy to X", "allergies: X"; not "my allergies are playing up"
_ALLERGY = re.compile(r"\b(?:allergic (?:to )?(?!(?:pt|pts|patients?|persons?|people|lady|man|woman|child|kid|boy|"
                      r"girl)\b)|allerg(?:y|ies)(?: to |: ?))([a-z][a-z\- ]{2,30}?)"
                      r"(?=[.,;!?(]|\s+(?:and|but|so|can|is)\b|$)", re.IGNORECASE)
# "a penicillin allergy", "Sulpha allergy here": the allergen said before the word; not a kind of allergy
# ("food allergies", "seasonal allergies") nor whose ("my allergy").
_ALLERGEN_BEFORE = re.compile(
    r"\b(?!(?:a|an|the|my|his|her|our|their|your|no|any|some|food|seasonal|skin|bad|severe|mild|known|drug|"
    r"medication|medicine|spring|pollen|dust|pet|nut|environmental|multiple|several|other|for|with|of|to|from|and|"
    r"or|this|that|these|those|had|have|has|get|got)\b)"
    r"([a-z][a-z\-]{2,30}) allerg(?:y|ies)\b", re.IGNORECASE)
# "penicillin-allergic pt", "pen allergic": an allergen people name (app.pipeline.allergy_spelling) said before
# "allergic" (not "she is allergic", "how long for allergic reaction")
_ALLERGIC_AFTER = re.compile(
    r"\b(" + "|".join(sorted({*ALLERGEN_WORDS, "pen", "pcn", "sulpha", "penicilin"}, key=len, reverse=True))
    + r")[- ]allergic\b", re.IGNORECASE)
# Words after "allergy" that say nothing of what to ("Sulpha allergy here", "allergies too").
_NOT_ALLERGENS = frozenset({"here", "there", "too", "also", "now", "as well", "though", "anyway", "btw",
                            # "the tablets from my own allergy", "my seasonal allergy": hay fever, no allergen
                            "own", "seasonal", "spring", "summer", "bad", "terrible", "mild", "severe", "usual",
                            "same", "old"})
# 我对青霉素过敏 / 对阿莫西林过敏的人: the allergen sits between 对 and 过敏.
_ALLERGY_ZH = re.compile(r"对([^，。、,.;；!！?？\s]{1,12}?)(?:药物|类药物|类)?过敏")


# "I had an allergic reaction to Bactrim": a reaction someone had is an allergy said; "how long for allergic
# reaction after using nivolumab" asks about the reaction (nivolumab was taken for an allergen: nothing searched)
_HAD_A_REACTION = re.compile(r"\b(?:had|got|get|gets|getting|have had|developed|experienced|suffered|went into)\s+"
                             r"(?:an?\s+)?(?:\w+\s+)?allergic (?:reaction|response)", re.IGNORECASE)
_A_REACTION = re.compile(r"^(?:reactions?|responses?)\b", re.IGNORECASE)


def allergens_in(clause: str) -> list[str]:
    """What a clause says the speaker is allergic to, in English or Chinese wording ("alergic" too)."""
    clause = spell_allergy_words(clause)
    had_a_reaction = _HAD_A_REACTION.search(clause) is not None
    found = [a.group(1).strip().casefold() for pattern in (_ALLERGY, _ALLERGEN_BEFORE, _ALLERGIC_AFTER, _ALLERGY_ZH)
             for a in pattern.finditer(clause)
             if had_a_reaction or pattern is not _ALLERGY or not _A_REACTION.match(a.group(1))]
    found += [a for a in zh_allergens(clause) if a not in found]  # 我青霉素过敏, 青霉素皮试阳性 (no 对)
    # "Years ago I had a really bad asthma attack after taking aspirin": a sensitivity said, as an allergy is
    found += [a.group(1).casefold() for a in _ATTACK_AFTER.finditer(clause) if a.group(1).casefold() not in found]
    if found:
        # "allergic to sulfa drugs (I got hives from Bactrim)": the product that gave the reaction is one too
        found += [(a.group(1) or a.group(2) or a.group(3)).strip().casefold() for a in _REACTION_FROM.finditer(clause)]
    return [a for a in found if a not in _NOT_ALLERGENS]


# 阿莫西林胶囊青霉素过敏能吃吗: the words before 过敏 run on from the name asked about (its form word, the speaker)
# to the allergen. What follows a leading name there is the allergen; not a list (布洛芬和阿司匹林过敏).
_ZH_RUN_ON = re.compile(r"^(?:缓释|控释|肠溶|分散|咀嚼|泡腾)?(?:胶囊|片剂|片|颗粒|混悬液|干混悬剂|口服液|注射液)?"
                        r"(?:我|他|她|本人|孩子|宝宝|(?:我|他|她)?(?:爸爸|妈妈|爸|妈|老公|老婆|儿子|女儿))?(?:对)?")
_ZH_LIST_WORD = re.compile(r"^(?:和|跟|与|及|以及|或|或者|等|类|、)")


def allergens_beside(clause: str, surfaces: list[str]) -> list[str]:
    """`allergens_in`, where a name found in the clause leads an allergen said without a pause in Chinese
    (阿莫西林胶囊青霉素过敏 -> 青霉素; 头孢氨苄我头孢过敏 -> 头孢): the leading name is asked about."""
    names = sorted({s.casefold() for s in surfaces if CJK.search(s)}, key=len, reverse=True)
    out: list[str] = []
    for allergen in allergens_in(clause):
        lead = next((n for n in names if allergen.startswith(n) and len(allergen) > len(n)), None)
        if lead is not None:
            rest = _ZH_RUN_ON.sub("", allergen[len(lead):], count=1)
            if len(rest) >= 2 and not _ZH_LIST_WORD.match(allergen[len(lead):]):
                allergen = rest
        out.append(allergen)
    return out


_ATTACK_AFTER = re.compile(r"\b(?:asthma|wheez\w*|breathing) (?:attack|attacks|flare|problems?|reaction)\s+"
                           r"(?:after|from|when i took|when taking|on)\s+(?:taking\s+|having\s+|some\s+)?"
                           r"([a-z][a-z\-]{2,30})\b", re.IGNORECASE)
# A reaction laid at a product's door, counted as an allergen only beside an allergy said in the same clause ("I
# got a rash from amoxicillin, is that an allergy?" asks about amoxicillin).
_REACTION_FROM = re.compile(
    r"\b(?:hives|rash|rashes|swelling|welts|anaphylaxis|(?:allergic )?reaction)\s+(?:from|to|with|after|on)\s+"
    r"([a-z][a-z\-]{2,30})\b|"
    r"\b([a-z][a-z\-]{2,30}) (?:gave|gives) me (?:a |an )?(?:hives|rash|rashes|swelling|(?:allergic )?reaction)\b|"
    # "对磺胺类的药过敏，吃过复方新诺明起过疹子": the product that gave the rash is an allergen too
    r"(?:吃过|用过|服过|打过)([\u4e00-\u9fff]{2,8}?)(?:以后|之后|后)?(?:起过|起了|出过|出了|长过|长了)?(?:疹子|皮疹|红疹|荨麻疹)",
    re.IGNORECASE)


# A child's age in years is under 18 ("my 80 year old dad" is no child); in months, any number ("18 months old").
_CHILD_AGE = re.compile(
    r"\b((?:1[0-7]|[1-9])(?=[- ]?(?:years?|yrs?)[- ]old)|\d{1,2}(?=[- ]?months?[- ]old)|one|two|three|four|five|"
    r"six|seven|eight|nine|ten|eleven|twelve)[- ]?(?:years?|yrs?|months?)"
    r"[- ]old\b|\b(?:son|daughter|child|kid|baby|boy|girl|toddler) is (?:only |just )?(\d{1,2})\b|"
    r"\b(1[0-7]|[1-9]) ?(?:yo|y/o|yrs?(?: old)?)\b|"  # "my 5yo", "a 7 y/o"
    # "my daughter have 4 years", "my son 6 years": a child's age said as in Spanish, Portuguese or Italian
    r"\b(?:son|daughter|child|kid|baby|boy|girl|toddler|grandson|granddaughter)(?: has| have| is)? "
    r"(1[0-7]|[1-9]) (?:years?|anos|años|anni)\b",
    re.IGNORECASE)
_CHILD_WORD = re.compile(r"\b(?:son|daughter|child|kid|baby|boy|girl|toddler|grandson|granddaughter|lad|lass|"
                         r"boys|girls|kids|children)\b", re.IGNORECASE)
_PRONOUN_AGE = re.compile(r"\b(?:he|she)(?:'s| is)(?: actually| really)?(?: only| just| now)? (1[0-7]|[1-9])"
                          r"(?: and a half)?\b"
                          r"(?! ?(?:kg|kilo|"
                          r"lb|pound|st\b|stone|mg|ml|%|percent|weeks|days|hours|o'clock|am\b|pm\b|feet|ft|foot|cm))",
                          re.IGNORECASE)
# "I was started on X", "my regular medicine is X": a statement that something is taken, whether or not the
# database knows its name. An unrecognised X is kept (as a name the database lacks), so a later "it" is not
# taken for another medicine named earlier.
_TAKES_SOMETHING = re.compile(
    r"\b(?:started (?:me )?on|put (?:me )?on|prescribed(?: me)?|gave me|given|picked up (?:a prescription for|my)|"
    r"(?:got|have|had|with) a (?:new )?prescription for|added|wants? me to (?:take|use|start|try)|"
    r"(?:told|asked|advised) me to (?:take|use|start|try)|recommended|suggested|"
    r"(?:i'm|i am|i've been|been) (?:taking|using|on)|i (?:take|use)|switched (?:me )?to|"
    r"my (?:regular|usual|daily|new) (?:medicine|medication|prescription|pill) is)\s+"
    r"(?:some |a |an |the |my |new |these |those )*([a-z][a-z0-9\- ]{2,40}?)"
    r"(?=\s*(?:[.,;!?]|$)|\s+(?:for|yesterday|today|last|this|every|daily|and|but|since|because|now|twice|once|"
    r"at|in|on|from|by)\b)",
    re.IGNORECASE,
)
_NOT_A_PRODUCT = frozenset(
    """it this that them these those one ones something anything nothing medicine medication medications meds
    drug drugs pill pills tablet tablets prescription prescriptions dose doses treatment therapy diet break
    trip holiday vacation job course for with when while after before if because""".split()
)  # ("what can i take for a headache": what it is for, no product)
# Chinese clauses end at 。；！？， (",;!?" once the text is in matching form, NFKC)
# (and a space between Chinese characters, as a phone's voice typing leaves for a pause: "我吃的是舍曲林 她吃的是...")
# (and a line break: each line of a pasted medication list says its own medicine's status, "- NEW", "- continue")
_CLAUSE = re.compile(rf"\s*\n\s*|(?<=[.;!?])\s+|(?<=[。；！？，])\s*|(?<=[{CJK_RANGES}][,;!?])\s*|"
                     rf"(?<=[{CJK_RANGES}])\s+(?=[{CJK_RANGES}])|"
                     r"\s*,?\s+(?:and|but|while|whereas)\s+(?=(?:i|i'm|i've|my|he|she|his|her|our|their)\b)|"
                     # "My wife is on levothyroxine, I'm on atorvastatin": a comma before the user's own
                     r"(?<=,)\s+(?=(?:i|i'm|im|i've|ive)\s)|"
                     # "I take metformin, can I take ibuprofen": a comma (or "so") before a question
                     r"(?:(?<=,)\s+|\s+(?=so\b))(?=(?:so\b,?\s+)?(?:can|could|should|may|is it|is that|do|does|will|"
                     r"would)\s+(?:i|u|you|we|he|she|they|it|my|his|her)\b)|"
                     # "Mum takes warfarin, dad's on clopidogrel": a comma before another person's medicine
                     rf"(?:(?<=,)\s+|\s+and\s+)(?=(?:my\s+)?(?:{_RELATIVES}|{BARE_RELATIVES})(?:'s)?\s+(?:is|are|on|takes|uses|has)\b)|"
                     # "Mrs A is on the apixaban, Mrs B has the warfarin"
                     rf"(?:,\s+|\s+and\s+)(?={_TITLED}(?:'s)?\s+(?:is|are|on|takes|uses|has|gets)\b)",
                     re.IGNORECASE)

# Dose forms a reference may name ("the gel", "the pills", "the inhaler").
FORM_WORDS: dict[str, frozenset[str]] = {
    "topical": frozenset({"gel", "cream", "ointment", "lotion", "patch", "topical", "gels", "creams", "ointments",
                          "lotions", "patches"}),
    "inhaled": frozenset({"inhaler", "puffer", "inhalation", "nebulizer", "spray", "inhalers", "puffers", "sprays"}),
    "injected": frozenset({"injection", "shot", "pen", "injectable", "jab", "injections", "shots", "pens", "jabs"}),
    "oral": frozenset({"pill", "pills", "tablet", "tablets", "capsule", "capsules", "tab", "tabs"}),
    "drops": frozenset({"drops", "eye", "ear"}),
}


@dataclass(frozen=True, slots=True)
class MedicineMention:
    medicine_id: str | None  # None: a drug name the database lacks
    surface: str
    owner: Owner
    status: MedStatus
    turn: int  # index of the user turn in the dialogue (RECORD_TURN for the records)
    form: str | None = None
    source: str = SAID  # SAID | RECORD
    person: str | None = None  # a relative's medicine: who ("daughter", "mother"), when said
    gender: str | None = None  # FEMALE | MALE: of the relative, by the relation word or the pronoun

    def to_dict(self) -> dict[str, Any]:
        return {"medicine_id": self.medicine_id, "surface": self.surface, "owner": self.owner.value,
                "status": self.status.value, "turn": self.turn, "form": self.form, "source": self.source,
                "person": self.person, "gender": self.gender}


@dataclass(frozen=True, slots=True)
class Condition:
    kind: str  # pregnant | breastfeeding | asthma | kidney_disease | ... | allergy | child_age
    text: str  # what was said ("penicillin", "6"), or the record's entry
    owner: Owner
    turn: int
    source: str = SAID  # SAID | RECORD

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "owner": self.owner.value, "turn": self.turn,
                "source": self.source}


@dataclass(frozen=True)
class ConversationContext:
    medicines: list[MedicineMention] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    question_turn: int = -1  # the last user turn: the question being answered
    # the relative the question speaks of: (person, gender), either may be None (asked_person)
    asked: tuple[str | None, str | None] = (None, None)
    # whose the question is (question_owner), an elliptical one's the previous question's ("can he take tylenol?"
    # ... "what about ibuprofen instead?"); None: not said
    asker: Owner | None = None

    def latest(self, before_turn: int | None = None) -> list[MedicineMention]:
        """Each medicine once, as last mentioned (before `before_turn` when given), most recent first."""
        seen: dict[str, MedicineMention] = {}
        for m in self.medicines:
            if before_turn is not None and m.turn >= before_turn:
                continue
            key = m.medicine_id or f"?{m.surface}"
            previous = seen.get(key)
            # "I've been on X for years" then "X again?" keeps what was said of X, not the bare question.
            if previous is not None and m.status is MedStatus.ASKED:
                m = MedicineMention(m.medicine_id, m.surface, previous.owner, previous.status, m.turn, m.form,
                                    person=previous.person, gender=previous.gender)
            seen[key] = m
        return sorted(seen.values(), key=lambda m: -m.turn)

    def taken_by_user(self, before_turn: int | None = None) -> list[MedicineMention]:
        """Medicines in the database the user said before the question (or before `before_turn`) that
        they take (new, current or for long), most recent first."""
        return self.taken_by(Owner.USER, before_turn)

    def taken_by(self, owner: Owner, before_turn: int | None = None) -> list[MedicineMention]:
        """As `taken_by_user`, for the medicines of a relative ("my mom is on Eliquis") or someone else. A
        relative's are those of the relative the question speaks of ("is it ok for HER to take Advil?": the
        mother's Eliquis, not the husband's metformin), when it says which."""
        person, gender = self.asked if owner is Owner.RELATIVE else (None, None)
        return [m for m in self.latest(self.question_turn if before_turn is None else before_turn)
                if m.medicine_id and m.owner is owner and m.status in TAKEN and _person_fit(m, person, gender) >= 0]

    def stopped_by_user(self) -> set[str]:
        """Medicines the user's own turns last spoke of as theirs and stopped ("I stopped the warfarin")."""
        return {m.medicine_id for m in self.latest() if m.medicine_id and m.owner is Owner.USER
                and m.status is MedStatus.STOPPED and m.source == SAID}

    def stated_conditions(self) -> list[Condition]:
        """The conditions the user's turns state (not those read from the records)."""
        return [c for c in self.conditions if c.source == SAID]

    def allergies(self) -> list[Condition]:
        """The user's own allergies: said in the conversation or read from the records."""
        return [c for c in self.conditions if c.kind == "allergy" and c.owner is Owner.USER]

    def to_dict(self) -> dict[str, Any]:
        return {"medicines": [m.to_dict() for m in self.medicines],
                "conditions": [c.to_dict() for c in self.conditions], "question_turn": self.question_turn,
                "asked": {"person": self.asked[0], "gender": self.asked[1]}}


# A clinician named in the clause: its he/she is the prescriber, no relative ("The doctor didn't give me
# amoxicillin, she prescribed doxycycline instead", "my GP changed her mind").
_CLINICIAN = re.compile(r"\b(?:doctor|doc|dr|gp|physician|nurse|pharmacist|chemist|dentist|consultant|specialist|"
                        r"surgeon|midwife|prescriber|psychiatrist|\w+ologist|\w+iatrician)s?\b", re.IGNORECASE)
# (not the patient the clinician gave it to: "the dentist gave him metronidazole", "the GP put her on it")
_PRONOUN = re.compile(r"(?<!\bgave )(?<!\bgive )(?<!\bgives )(?<!\bgiven )(?<!\bprescribed )(?<!\bstarted )"
                      r"(?<!\bput )(?<!\bsent )(?<!\bhanded )(?<!\bwrote )\b(?:he|she|his|her|hers|him)\b",
                      re.IGNORECASE)


def _without_prescriber(clause: str, prescriber: bool = False) -> str:
    """The clause less he/she where they are the clinician it names (or, `prescriber`, the one a clause before
    it named: "My doctor put me on warfarin and she said to avoid aspirin")."""
    return _PRONOUN.sub(" ", clause) if prescriber or _CLINICIAN.search(clause) else clause


# ... unless the clause says the other person takes it: "my friend takes it and recommends it"
_RELATIVE_TAKES = re.compile(r"\b(?:takes|is on|uses|has been on|been taking)\b|在吃|一直吃", re.IGNORECASE)
_GIVEN_TO_ME = re.compile(r"\b(?:gave|given|offered|handed|passed|lent|sold)\s+me\b|给了我|给我|送了我|塞给我|拿给我",
                          re.IGNORECASE)


# Someone else recommending a medicine to the user, who is weighing it: "A friend swears by meloxicam", "my
# sister recommended melatonin", 同事推荐我吃
_RECOMMENDED = re.compile(r"\b(?:swears? by|swore by|recommend(?:s|ed)?|suggest(?:s|ed)?|rates?|raves? about|"
                          r"told me to (?:try|take|get|use)|says? (?:i|you) should (?:try|take|get|use))\b|"
                          r"\bsays? (?:it|that|they) (?:works?|helps?|is (?:good|great|brilliant))\b|"
                          r"推荐|建议我|让我试试|叫我试试|说.{0,15}(?:管用|好使|有效|就好|挺好|不错|效果好)",
                          re.IGNORECASE)


def clause_owner(clause: str, turn_owner: Owner | None = None, prescriber: bool = False) -> Owner:
    """Whose medicine a clause speaks of: a relative or someone else when named, else the user."""
    clause = _without_prescriber(clause, prescriber)
    if _GIVEN_TO_ME.search(clause):
        return Owner.USER  # "朋友给了我几片曲马多", "a mate gave me some of his tramadol": now the user's to take
    if (_OTHER.search(clause) or _RELATIVE.search(clause)) and _RECOMMENDED.search(clause) \
            and not _RELATIVE_TAKES.search(clause):
        return Owner.USER  # "A friend swears by meloxicam", "我女儿说还是吃布洛芬片管用": the user's to weigh
    if _OTHER.search(clause):
        return Owner.OTHER
    if _RELATIVE.search(clause):
        return Owner.RELATIVE
    if _SELF.search(clause):
        return Owner.USER
    return turn_owner or Owner.USER


_SENTENCE_END = re.compile(r"[.!?。！？]+")
_ASKING_SENTENCE = re.compile(r"([^.!?。！？]*)[?？]")
_ZH_CLAUSE_END = re.compile(r"[，,；;]+")
_ZH_CHAR = re.compile(r"[\u4e00-\u9fff]")


_EN_PART = re.compile(r"\s+[-\u2013\u2014]+\s+|[,;:]\s+|\s+(?:and|but|so)\s+", re.IGNORECASE)


def question_owner(question: str) -> Owner | None:
    """Whose medicine the asking sentence names explicitly ("can MY medicine ...", "is it ok for HER ..."), or
    None when it names nobody ("Can it be taken with grapefruit?")."""
    sentences = [s for s in _SENTENCE_END.split(question) if s.strip()]
    if not sentences:
        return None
    # the sentence that asks: "Does febuxostat have a black box? They want to switch him from allopurinol"
    # asks of febuxostat, whoever the statement after it names
    asking = [found.group(1) for found in _ASKING_SENTENCE.finditer(question) if found.group(1).strip()]
    last = asking[-1] if asking else sentences[-1]
    # Chinese runs its clauses on with commas: "我老公在吃氯吡格雷，我自己能吃布洛芬吗" asks for the speaker, so the
    # last clause that names a person says whose it is
    clauses = [c for c in _ZH_CLAUSE_END.split(last) if c.strip()]
    if len(clauses) > 1 and _ZH_CHAR.search(last):
        last = next((c for c in reversed(clauses) if _OTHER.search(c) or _RELATIVE.search(c) or _SELF.search(c)),
                    last)
    elif not _ZH_CHAR.search(last):
        # so does an English one: "my mum's on amlodipine and I take simvastatin - what's the max dose of my own
        # pill?" asks of the user's; "I take metformin, can my son have ibuprofen?" of the son's
        parts = [p for p in _EN_PART.split(last) if p.strip()]
        last = next((p for p in reversed(parts) if _OTHER.search(p) or _RELATIVE.search(p) or _SELF.search(p)), last)
    if _I_WOULD_TAKE.search(last):
        return Owner.USER  # "could I take her antibiotic too?": the user would take it, whoever it is of
    if _OTHER.search(last):
        return Owner.OTHER
    if _RELATIVE.search(last):
        return Owner.RELATIVE
    if _SELF.search(last):
        return Owner.USER
    if len(sentences) > 1 and _GIVEN_TO_THEM.search(sentences[-2]):
        # "The doctor wants to give him clarithromycin. Any problem with that?": the one it is given to
        return Owner.RELATIVE
    if _ZH_CHAR.search(last) and len(sentences) > 1:
        # "她想买Aleve吃几天，两个一起吃OK吗？会不会伤kidney？": a Chinese question left without its subject is of
        # the one the sentence before it speaks of
        return question_owner("".join(sentences[:-1]))
    return None


_GIVEN_TO_THEM = re.compile(r"\b(?:give|giving|gave|given|prescribe|prescribing|start|starting|put|putting) "
                            r"(?:him|her|them)\b", re.IGNORECASE)


# "We have Panadol and Nurofen at home": kept in the house, not said to be taken
_KEPT_AT_HOME = re.compile(r"\b(?:have|has|got|keep|there'?s|there is|there are)\b[^.?!]{0,40}\b(?:at home|"
                           r"in the house|in the cupboard|in the (?:medicine )?cabinet|in the drawer)\b", re.IGNORECASE)
_TAKING_VERB = re.compile(r"\b(?:take|takes|taking|took|on|use|uses|using)\b", re.IGNORECASE)


def clause_status(clause: str, is_question: bool) -> MedStatus:
    if _KEPT_AT_HOME.search(clause) and not _TAKING_VERB.search(clause):
        return MedStatus.ASKED
    for status, cue in _STATUS_CUES:
        if cue.search(clause):
            if status is MedStatus.CURRENT and is_question:
                break  # "can I take X?" asks; it does not say X is taken
            return status
    return MedStatus.ASKED


# "switched me from simvastatin to rosuvastatin", "swapped my lisinopril for losartan": the first medicine is
# stopped, the second new (the clause's status word, "switched", would make both new).
_SWITCH = re.compile(
    # "switch him from allopurinol" (to the one asked about): the clause's end closes what is left
    r"\b(?:switch\w*|chang\w*|mov\w*|swapp?\w*|went|gone|go|put)\b(?:\s+\w+){0,2}?\s+from\s+(?P<old>[^,;]+?)"
    r"(?:\s+(?:to|onto)\s+(?P<new>.+)|\s*(?:[,;.!?]|$))|"
    r"\b(?:swapp?\w*|replac\w*|substitut\w*)\s+(?:my\s+|the\s+|his\s+|her\s+)?(?P<old2>.+?)\s+"
    r"(?:for|with)\s+(?P<new2>.+)|"
    # "wants me to come off methimazole and go onto propylthiouracil"
    r"\b(?:come|comes|coming|came|get|getting|got)\s+off\s+(?P<old3>[^,;]+?)\s+and\s+(?:go|goes|going|went|get|"
    r"getting|start\w*)\s+(?:on|onto|on to)\s+(?P<new3>.+)|"
    # "the old PPI was lansoprazole", "switched him to omeprazole 20 on discharge"
    r"\bthe (?:old|previous|original|former) (?:[\w-]+ )?(?:was|were)\s+(?P<old4>[^,;.]+)|"
    r"\bswitch\w*\s+(?:him|her|me|them|us|pt|the patient)?\s*(?:over\s+)?(?:to|onto)\s+(?P<new4>[^,;.]+)|"
    # "the diabetes nurse changed me to Jardiance", "Cardiology are moving me off warfarin onto Eliquis"
    r"\b(?:chang\w*|mov\w*|swapp?\w*)\s+(?:him|her|me|them|us|pt|the patient)\s+(?:off\s+(?P<old5>.+?)\s+)?"
    r"(?:over\s+)?(?:to|onto|on to)\s+(?P<new5>[^,;.]+)",
    re.IGNORECASE)
# What a switch left, told before it in the past: "Ibuprofen was wrecking my stomach so the rheumatologist has
# switched me to celecoxib"
_LEFT_BEFORE_SWITCH = re.compile(r"\b(?:was|were|used to|had been|gave|didn't|did not|wasn't|stopped|not working|"
                                 r"couldn't|could not|can't|cannot|wouldn't)\b",
                                 re.IGNORECASE)


def switched_from(text: str) -> str:
    """What the text's switches leave, in its clauses ("... want to switch him from allopurinol" ->
    "allopurinol"); "" when it says no switch."""
    return " ".join(old for clause in _clauses(text)
                    if (found := _SWITCH.search(clause)) and (old := _old_side(found)))


def _old_side(found: re.Match[str]) -> str:
    return (found.group("old") or found.group("old2") or found.group("old3") or found.group("old4")
            or found.group("old5") or "")


def switch_status(clause: str, surface: str) -> MedStatus | None:
    """STOPPED for the medicine a switch leaves, NEW for the one it goes to, None when the clause is no switch
    or the name is in neither part."""
    side = zh_switch_side(clause, surface)  # 把辛伐他汀换成阿托伐他汀 (app.pipeline.zh_switch)
    if side is not None:
        return MedStatus.STOPPED if side == "old" else MedStatus.NEW
    found = _SWITCH.search(clause)
    if found is None:
        return None
    old = _old_side(found)
    new = (found.group("new") or found.group("new2") or found.group("new3") or found.group("new4")
           or found.group("new5") or "")
    folded = surface.casefold()
    if folded in " ".join(re.findall(r"[a-z0-9]+", old.casefold())):
        return MedStatus.STOPPED
    if folded in " ".join(re.findall(r"[a-z0-9]+", new.casefold())):
        return MedStatus.NEW
    said_at = clause.casefold().find(folded)
    if not old and new and 0 <= said_at < found.start() and _LEFT_BEFORE_SWITCH.search(
            clause[max(0, said_at - 25):found.start()]):
        return MedStatus.STOPPED
    return None


def _instead(text: str, lexicon: MedicineLexicon) -> list[tuple[str, dict[str, MedStatus]]]:
    """Of each statement sentence: STOPPED for each medicine (by surface) it says another was given instead of,
    NEW for that other one (app.pipeline.replaced). The sentence, not the clause: "I was prescribed amoxicillin
    but my GP changed her mind and gave me azithromycin instead." is two clauses."""
    out: list[tuple[str, dict[str, MedStatus]]] = []
    for found in _STATEMENT.finditer(text):
        sentence = found.group(0)
        surfaces = [m.surface for m in lexicon.find(sentence)]
        said = {s: (MedStatus.STOPPED if status == "left" else MedStatus.NEW) for s in surfaces
                if len(surfaces) > 1 and (status := instead_status(sentence, s, surfaces)) is not None}
        if said:
            out.append((sentence, said))
    return out


_STATEMENT = re.compile(r"[^.!?]+(?:[.!]+|$)")  # a sentence not ending in a question mark


# "allergic to pen", "pen-allergic pt": penicillin, as clinicians shorten it; no pen (app.pipeline.allergy_spelling)
_PEN_ALLERGY = re.compile(r"\ballerg\w*\s+(?:to\s+)?pen\b|\bpen[- ]?allerg\w*", re.IGNORECASE)


def dose_form(text: str) -> str | None:
    words = set(re.findall(r"[a-z]+", _PEN_ALLERGY.sub(" ", text).casefold()))
    for form, names in FORM_WORDS.items():
        if words & names:
            return form
    return None


# A clause worded as a question, typed without its question mark ("can I take ibuprofen", texted): it asks.
# ("Is on warfarin", "Am taking metformin" are statements with the subject left out: not these.)
_ASKS_WITHOUT_MARK = re.compile(
    r"\s*(?:(?:so|and|but|also|ok|okay|then|hi|hey|hello|please|pls)\b[\s,]*)*(?:(?:can|could|should|may|might|"
    r"would|will|shall|do|does|did)\s+(?:i|u|you|we|he|she|they|it|my|his|her|mum|mom|dad)\b|"
    r"(?:is (?:it|that|this|there)|are (?:they|these|those|there)|what|how|when|which|why|where)\b)", re.IGNORECASE)
_ZH_QUESTION = re.compile(r"[？?]|[吗么呢吧嘛]\s*[。，,.]?\s*$|能不能|可不可以|是否|能否|可否")
CJK = re.compile(f"[{CJK_RANGES}]")


def form_after(clause: str, surface: str) -> str | None:
    """The dose form the words right after a name give it ("Ozempic injections", "albuterol inhaler",
    "latanoprost eye drops"); None when they name none."""
    found = re.search(r"\b" + r"\W+".join(map(re.escape, surface.split())) + r"\b", clause, re.IGNORECASE)
    if found is None:
        return None
    return dose_form(" ".join(re.findall(r"[a-z]+", clause[found.end():].casefold())[:2]))


def _clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE.split(text) if c and c.strip()]


def _turn_conditions(text: str, turn: int) -> list[Condition]:
    out: list[Condition] = []
    text = spoken_numbers(text)  # "my son is six and weighs twenty kilos", dictated
    for clause in _clauses(text):
        owner = clause_owner(clause)
        affirmed = without_denials(clause)  # "I have bipolar, not epilepsy"
        for kind, pattern in _CONDITIONS:
            found = pattern.search(affirmed)
            if found:
                # "My baby is 6 weeks and exclusively breastfed": the baby is fed; the one feeding is the user
                fed = kind == "breastfeeding" and re.fullmatch(r"breast[- ]?fed", found.group(0), re.IGNORECASE)
                out.append(Condition(kind, found.group(0).casefold(), Owner.USER if fed else owner, turn))
        for allergen in allergens_in(clause):
            out.append(Condition("allergy", allergen, owner, turn))
        for age in _CHILD_AGE.finditer(clause):
            said = age.group(1) or age.group(2) or age.group(3) or age.group(4) or ""
            out.append(Condition("child_age", said.casefold(), Owner.RELATIVE, turn))
        if _CHILD_WORD.search(text) and not _CHILD_AGE.search(clause):
            # "my lad ... he's only 4 and a half": a child spoken of by a pronoun, the age bare
            for age in _PRONOUN_AGE.finditer(clause):
                out.append(Condition("child_age", age.group(1), Owner.RELATIVE, turn))
        # The same kinds said in Chinese (我怀孕了, 我爸有哮喘, 孩子5岁): app.pipeline.zh_conditions
        zh_whose = zh_owner(clause)
        for kind, said in zh_conditions_in(clause):
            whose = Owner.RELATIVE if kind == "child_age" else Owner(zh_whose) if zh_whose else owner
            out.append(Condition(kind, said, whose, turn))
    return out


class _People:
    """The relatives a dialogue has named so far, the last of each gender: "My son has asthma. He uses
    montelukast." -- he is the son."""

    def __init__(self) -> None:
        self.last: dict[str, str] = {}

    def of_clause(self, clause: str, owner: Owner) -> tuple[str | None, str | None]:
        if owner is not Owner.RELATIVE:
            return None, None
        named = person_named(clause)
        if named is not None:
            self.last[named[1]] = named[0]
            return named
        gender = pronoun_gender(clause)
        return (self.last.get(gender), gender) if gender else (None, None)


def _blank_names(clause: str, matches: list[NameMatch]) -> str:
    """The clause with the Chinese names it says blanked out (English names hold no pronoun)."""
    for m in matches:
        if CJK.search(m.surface):
            clause = clause.replace(m.surface, " ")
    return clause


def _mentions_in(text: str, turn: int, lexicon: MedicineLexicon, people: _People | None = None
                 ) -> list[MedicineMention]:
    out: list[MedicineMention] = []
    people = people or _People()
    turn_owner: Owner | None = None
    is_question_turn = "?" in text or _ZH_QUESTION.search(text) is not None
    replaced = _instead(text, lexicon) if not CJK.search(text) else []
    prescriber = False  # the last person the turn named is a clinician: a bare he/she is the clinician
    for clause in _clauses(text):
        matches: list[NameMatch] = lexicon.find(clause)
        # (whose, read without the names said: 非布司他 ends in the pronoun 他 before "。")
        unnamed = _blank_names(clause, matches)
        owner = clause_owner(unnamed, turn_owner, prescriber)
        if _RELATIVE.search(_without_prescriber(unnamed, prescriber)) or _OTHER.search(unnamed):
            turn_owner = owner  # "My son has asthma. He uses montelukast.": he is the son
        elif turn_owner is not None and owner is Owner.USER and _SELF.search(clause):
            # "我老公痛风吃别嘌醇，我也痛风，吃的是非布司他": after the husband's clause, "我也痛风" turns the
            # subject back to the user, whose the subjectless "吃的是非布司他" is
            turn_owner = Owner.USER
        if _CLINICIAN.search(clause) or person_named(clause) is not None:
            prescriber = person_named(clause) is None
        person, gender = people.of_clause(clause, owner)
        if CJK.search(clause):  # 我在吃华法林，能吃布洛芬吗: only the clause that asks is a question
            is_question = _ZH_QUESTION.search(clause) is not None
        else:
            # (a clause cut at a comma before the next one asks only if it is worded as a question: "I take
            # metformin, can I take ibuprofen?" says metformin is taken)
            is_question = clause.rstrip().endswith("?") or _ASKS_WITHOUT_MARK.match(clause) is not None or (
                is_question_turn and not clause.rstrip().endswith((".", ",")))
        status = clause_status(clause, is_question)
        parts = _status_parts(clause, matches) if len(matches) > 1 and not is_question else {}
        # Allergies are not medicines taken: "allergic to penicillin" says penicillin is not taken.
        allergens = set(allergens_beside(clause, [m.surface for m in matches]))
        # "metformin tablets and Ozempic injections": each name's own form word, where one follows it; the
        # clause's form only where no name of it has its own
        own_forms = {id(m): form_after(clause, m.surface) for m in matches}
        clause_form = None if any(own_forms.values()) else dose_form(clause)
        for m in matches:
            # The allergen itself, not a longer name containing it (对阿莫西林过敏 ... 阿莫西林克拉维酸钾).
            if any(m.surface.casefold() in a for a in allergens):
                continue
            said_status = status if is_question else (
                switch_status(clause, m.surface) or parts.get(id(m)) or status)
            # "... gave me azithromycin instead": said in a statement sentence, whatever its clause
            said_status = next((said[m.surface] for sentence, said in replaced
                                if m.surface in said and clause.strip() in sentence), said_status)
            if _treats_condition_said(clause, m.surface):
                # "I'm asthmatic (blue inhaler, occasional brown one)": what they use for the condition they state
                said_status = MedStatus.CURRENT
            elif not is_question and _only_now(clause, m.surface):
                # "scratch what I said about the aspirin they stopped that, it's only the clopidogrel now"
                said_status = MedStatus.CURRENT
            out.append(MedicineMention(m.medicine_id, m.surface, owner, said_status, turn,
                                       own_forms[id(m)] or clause_form,
                                       person=person, gender=gender))
        if not matches:
            product = _unrecognised_product(clause)
            if product is not None:
                out.append(MedicineMention(None, product, owner, status, turn, dose_form(clause),
                                           person=person, gender=gender))
    return out


def _treats_condition_said(clause: str, surface: str) -> bool:
    """Whether the name is bracketed right after a condition the clause states ("asthmatic (blue inhaler)",
    "diabetic (metformin 500)")."""
    said = surface.casefold()
    for _, pattern in _CONDITIONS:
        for found in pattern.finditer(clause):
            after = clause[found.end():].lstrip()
            if after.startswith("(") and said in after[:after.find(")") if ")" in after else len(after)].casefold():
                return True
    return False


# Where one clause says two things of two medicines: "Metformin for 10 years now, and this month I started
# dulaglutide", "Atenolol since 2015, and the cardiologist has just added hydralazine".
# "I came off citalopram last month and now I'm on venlafaxine": "and" parts a clause too, where each part says
# its own status
_STATUS_PART = re.compile(r"[,;]|\s+[-\u2013\u2014]+\s+|\s+(?:but|while|whereas|and)\s+", re.IGNORECASE)


def _only_now(clause: str, surface: str) -> bool:
    """Whether the clause says the medicine is the only one taken now ("it's only the clopidogrel now", "just the
    metformin these days")."""
    name = r"\W+".join(map(re.escape, surface.split()))
    return re.search(rf"\b(?:only|just)\s+(?:the\s+|his\s+|her\s+|my\s+)?{name}\b(?:\s+\w+){{0,2}}?\s+"
                     rf"(?:now|these days|nowadays)\b|\b(?:now|these days|nowadays)\W+(?:\w+\W+){{0,2}}?(?:only|just)"
                     rf"\s+(?:the\s+|his\s+|her\s+|my\s+)?{name}\b", clause, re.IGNORECASE) is not None


def _status_parts(clause: str, matches: list[NameMatch]) -> dict[int, MedStatus]:
    """The status of each medicine (by id(match)) said in its own part of the clause, where the parts say
    different ones; empty when the clause has one part per medicine nowhere."""
    parts = [p for p in _STATUS_PART.split(clause) if p.strip()]
    if len(parts) < 2:
        return {}
    out: dict[int, MedStatus] = {}
    for m in matches:
        words = r"\W+".join(map(re.escape, m.surface.split()))
        at = next((k for k, p in enumerate(parts) if re.search(rf"\b{words}\b", p, re.IGNORECASE)), None)
        status = clause_status(parts[at], False) if at is not None else MedStatus.ASKED
        if status is MedStatus.ASKED and at and len(parts[at].split()) <= len(m.surface.split()) + 1:
            # "... the neurologist add a new one, lamotrigine": a name set off by a comma is the one the part
            # before it speaks of
            status = clause_status(parts[at - 1], False)
        if status is not MedStatus.ASKED:
            out[id(m)] = status
    return out if len(set(out.values())) > 1 else {}


def _unrecognised_product(clause: str) -> str | None:
    """What a clause says is taken ("I was started on blood thinner pills") when no name in it is known."""
    found = _TAKES_SOMETHING.search(clause)
    if found is None:
        return None
    words = found.group(1).strip().split()
    if not words or words[0].casefold() in _NOT_A_PRODUCT:
        return None  # "I take it every day", "I'm taking a trip"
    return " ".join(words)


# A turn correcting the name said before: "sorry, I meant citalopram", "I typed it wrong, it's lamotrigine",
# "no wait, it's the 20", 我说错了，是辛伐他汀
_CORRECTION = re.compile(
    r"\bi mean[t]?\b|\b(?:typed|wrote|said|spelt|spelled|put|got) (?:it|that|the name|the wrong \w+)(?: down)? "
    r"wrong\b|\bwrong (?:one|medicine|medication|name|drug|tablet)\b|\bcorrection\b|\bno,? wait\b|\bwait,? no\b|"
    r"\b(?:it'?s|it is|that'?s|that is|they'?re) actually\b|\bactually(?:,)? (?:it'?s|it is|it was)\b|"
    r"\bmy (?:bad|mistake)\b|^\W*(?:sorry|oops|whoops)\b\W*(?:\S+\W*){0,6}$|"
    r"说错了|打错了|写错了|记错了|搞错了|看错了?|我是说|更正|不对[，,]?[^。？?！!]{0,12}?是", re.IGNORECASE)
# A medicine named as what the one spoken of is taken with ("it's 2.5 mg twice a day, together with aspirin",
# "跟阿司匹林一起吃"): a companion, not a name the correcting turn puts in place of the one before.
_TAKEN_WITH_BEFORE = re.compile(
    r"(?:\b(?:it|them|that|this one)\b(?:(?!\.\s)[^?!;]){0,30}\b(?:together with|along with|alongside|with)|"
    # "I take 60 mg every morning (plus my metformin, been on that for years)": an aside
    r"\(\s*(?:plus|and|also|as well as|with|besides)\s+(?:my|his|her|the)?|"
    r"(?:^|[\s，,。])(?:跟|和|与|同))\s*$", re.IGNORECASE)
_TAKEN_WITH_AFTER = re.compile(r"^\s*(?:一起|一块|同时)")


def named_as_companion(text: str, surface: str) -> bool:
    """Whether a name is said only as what another medicine is taken with: "it's twice a day, together with
    aspirin", "跟阿司匹林一起吃" (the subject left out is the medicine spoken of)."""
    at = text.casefold().find(surface.casefold())
    if at < 0:
        return False
    before, after = text[max(0, at - 40):at], text[at + len(surface):]
    if _TAKEN_WITH_BEFORE.search(before) is None:
        return False
    return not has_cjk(surface) or _TAKEN_WITH_AFTER.search(after) is not None


def corrects_a_name(text: str) -> bool:
    """Whether a user turn corrects the medicine named before ("sorry, I meant citalopram")."""
    return _CORRECTION.search(text) is not None


def _retracted(medicines: list[MedicineMention], found: list[MedicineMention]) -> list[MedicineMention]:
    """The mentions so far with the medicine a correction replaces marked as not taken: the one named last
    before it that the correcting turn does not name (the correction names its replacement)."""
    now = {m.medicine_id or m.surface.casefold() for m in found}
    before = [m for m in medicines if (m.medicine_id or m.surface.casefold()) not in now
              and m.status is not MedStatus.STOPPED and m.turn >= 0]
    if not before:
        return medicines
    last_turn = max(m.turn for m in before)
    gone = {m.medicine_id or m.surface.casefold() for m in before if m.turn == last_turn}
    if len(gone) != 1:
        return medicines  # two medicines named last: which one the correction replaces is not said
    return [replace(m, status=MedStatus.STOPPED) if (m.medicine_id or m.surface.casefold()) in gone else m
            for m in medicines]


def build_context(dialogue: list[Turn], lexicon: MedicineLexicon) -> ConversationContext:
    """The context of a dialogue, from its user turns only (the last turn, the question, included)."""
    medicines: list[MedicineMention] = []
    conditions: list[Condition] = []
    people = _People()
    for i, turn in enumerate(dialogue):
        if turn.role != "user":
            continue
        text = for_matching(turn.content)
        found = _mentions_in(text, i, lexicon, people)
        if found and corrects_a_name(text) and not all(named_as_companion(text, m.surface) for m in found):
            medicines = _retracted(medicines, found)
        medicines.extend(found)
        conditions.extend(_turn_conditions(text, i))
    # an allergen as the allergy alert matches it ("penicilin" -> penicillin): app.pipeline.allergy_spelling
    conditions = [replace(c, text=respell_allergen(c.text, lexicon)) if c.kind == "allergy" else c
                  for c in conditions]
    asked = asked_person(for_matching(dialogue[-1].content)) if dialogue and dialogue[-1].role == "user" else (
        None, None)
    return ConversationContext(medicines, conditions, len(dialogue) - 1, asked, dialogue_asker(dialogue))


# "and ...", "what about ...", 那/还有: a follow-up that leans on the previous question
ELLIPTICAL = re.compile(
    r"^\s*(and|also|what about|how about|same for|and for|what if|plus|or)\b|\binstead\W*$|^\s*(那|还有|那么)",
    re.IGNORECASE
)


def dialogue_asker(dialogue: list[Turn]) -> Owner | None:
    """Whose the last user turn's question is: its own words say (question_owner), else an elliptical one
    ("what about ibuprofen instead?") is asked for whoever the previous question was about."""
    users = [t.content for t in dialogue if t.role == "user"]
    if not users or dialogue[-1].role != "user":
        return None
    own = question_owner(for_matching(users[-1]))
    if own is not None or len(users) < 2 or not ELLIPTICAL.search(users[-1]):
        return own
    return question_owner(for_matching(users[-2]))


# -- the patient's records ----------------------------------------------------------------------------------


def without_conditions(text: str) -> str:
    """The text with the conditions it states taken out ("my dad has diabetes and takes metformin" -> "my dad has
    and takes metformin")."""
    for _, pattern in _CONDITIONS:
        text = pattern.sub(" ", text)
    return text


def condition_kinds(text: str) -> list[str]:
    """The condition kinds a text names ("Chronic kidney disease stage 3 (disorder)" -> ["kidney_disease"])."""
    return [kind for kind, pattern in _CONDITIONS if pattern.search(text)]


def merge_records(
    context: ConversationContext, patient: PatientContext | None, lexicon: MedicineLexicon
) -> ConversationContext:
    """The conversation context with the patient's records in it: each current medication the database
    holds as the user's own, taken for long; each active problem as a stated condition (of its kind, or
    "condition"); each allergy as an allergy. Placed before the first turn: a turn's word on the same
    medicine wins. Medicines come from the resolved list (RxNorm code, then name), else by exact name."""
    if patient is None:
        return context
    medicines: list[MedicineMention] = []
    for entry in patient.current_medications:
        ids = patient.medicine_ids.get(entry)
        if ids is None:
            ids = tuple(m.medicine_id for m in lexicon.find(entry) if m.how == "exact" and m.medicine_id)
        for mid in dict.fromkeys(ids):
            medicines.append(MedicineMention(mid, entry, Owner.USER, MedStatus.LONG_TERM, RECORD_TURN,
                                             dose_form(entry), RECORD))
    conditions: list[Condition] = []
    for entry in patient.conditions:
        for kind in condition_kinds(entry) or ["condition"]:
            conditions.append(Condition(kind, entry, Owner.USER, RECORD_TURN, RECORD))
    conditions += [Condition("allergy", a, Owner.USER, RECORD_TURN, RECORD) for a in patient.allergies]
    if not medicines and not conditions:
        return context
    return ConversationContext([*medicines, *context.medicines], [*conditions, *context.conditions],
                               context.question_turn, context.asked, context.asker)


# -- which medicine "it" is ----------------------------------------------------------------------------------

# 我的那个 / 我那个药 / 我吃的那种: the user's one of those said (the demonstrative stands for the medicine)
_WANT_SELF = re.compile(r"我自己的|我的药|我吃的药|我的(?:那|这)(?:个|种|款)|我(?:那|这)(?:个|种)药|"
                        r"我(?:现在|目前|一直|平时)?(?:在)?(?:吃|用)的(?:那|这)(?:个|种)|"
                        r"\bmy own\b|\bmy (?:medicine|medication|meds|drug|pill|pills|prescription|tablets?)\b|"
                        r"\bmy (?:current|usual|regular|existing) (?:one|medicine|medication|meds|pills?|tablets?)\b|"
                        r"\bmine\b|"
                        r"\bthe one i (?:take|am taking|'m taking|use)\b", re.IGNORECASE)
_NOT_SELF = re.compile(r"(?:不是|并不是|不是问|不是说|不是在问)(?:问)?(?:我的药|我自己的(?:药)?|我吃的药|我的)|"
                       r"\bnot (?:asking )?(?:about )?(?:my (?:medicine|medication|meds|pills?|tablets?|own)|mine)\b",
                       re.IGNORECASE)
_WANT_RELATIVE = re.compile(
    rf"{_ZH_RELATIVES}|{_ZH_PRONOUN}|"
    rf"\b(?:his|her|hers|their|he|she|him|{BARE_RELATIVES})\b|\bmy (?:\w+ )?(?:{_RELATIVES})(?:'s)?\b", re.IGNORECASE)
_WANT_NEW = re.compile(r"新的药|新药|新开的|刚开的|刚开始吃的|新的(?:这|那)?(?:个|种)|新换的|新加的|"
                       r"\b(?:the new|new one|new (?:medicine|medication|pill|pills|drug|tablet|prescription)|"
                       r"newer|latest|just (?:started|prescribed))\b", re.IGNORECASE)
# "my usual pills", not "the usual dose" or "on a regular basis"
_WANT_OLD = re.compile(r"以前的药|一直吃的|原来的药|老药|原来(?:那|这)(?:个|种)|之前(?:那|吃的那)(?:个|种)|"
                       r"平时吃的(?:那个)?|"
                       r"\b(?:the old|old one|the older|older one|"
                       r"older (?:medicine|medication|pill|pills|drug|tablet)s?|"
                       r"(?:usual|regular|long[- ]standing) (?:one|medicines?|medications?|"
                       r"meds|pills?|tablets?|prescriptions?|drugs?)|the one i(?:'ve| have) been)\b", re.IGNORECASE)
_WANT_FIRST = re.compile(r"第一个|第一种|"
                         r"\b(?:the first one|the first (?:medicine|medication|drug|pill|tablet|capsule)s?|"
                         r"the former|"
                         r"the (?:top|first) (?:one|medicine|drug|pill|tablet) on (?:the|my|his|her) list)\b",
                         re.IGNORECASE)
_WANT_SECOND = re.compile(r"第二个|第二种|"
                          r"\b(?:the second one|the second (?:medicine|medication|drug|pill|tablet|capsule)s?|"
                          r"the latter)\b", re.IGNORECASE)
_WANT_OTHER = re.compile(r"另一个|另一种|\b(?:the other one|the other (?:medicine|drug|pill))\b", re.IGNORECASE)
_ASKS_STOPPING = re.compile(r"\b(?:stopp\w*|quit\w*|came off|come off|withdraw\w*)\b", re.IGNORECASE)
# "Can it make me bruise?" speaks of one medicine; "them", "both", "together" of all those said.
_ONE_REFERENCE = re.compile(r"\b(?:it|its|it's|this|that|the (?:medicine|medication|drug|pill|tablet))\b|"
                            r"(?<!其)它(?!们)|(?:这|那|该)(?:个|种)?药", re.IGNORECASE)  # 它, 这个药 (not 其它, 它们)
# "Is it the one that makes my ankles swell?", "which one gives me headaches": which of them, asked of all
_MANY_REFERENCE = re.compile(r"\b(?:them|they|both|these|those|together|each other|combin\w*|all of|either|"
                             r"the one (?:that|which|who)|which (?:one|of|medicine|pill|drug)s?)\b|"
                             r"它们|这两|两(?:个|种|样)药|这些药|一起|同时|一块|都|哪(?:个|种|一)",  # 两个药, 都, 哪个
                             re.IGNORECASE)
_TOGETHER = re.compile(r"\b(?:with|together|alongside|interact\w*|mix\w*|combin\w*|affect\w*|interfer\w*|clash\w*)\b",
                       re.IGNORECASE)
# Sections a question about one of two medicines taken together may still mean of both ("Is it safe?").
_ASKED_OF_BOTH = frozenset({"interactions", "warnings"})


@dataclass(frozen=True, slots=True)
class Focus:
    """The medicines a question without a name is about, and how sure: `tied` names candidates the
    question does not tell apart (a person would ask back)."""

    chosen: list[MedicineMention]
    tied: list[MedicineMention] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    # "Is mine safe with dad's?": the user's medicine and a relative's, asked of together
    across_people: bool = False


def _key(m: MedicineMention) -> str:
    return m.medicine_id or f"?{m.surface}"


def asked_person(question: str) -> tuple[str | None, str | None]:
    """Which relative a question speaks of: (person, gender) when it names one ("my daughter's medicine"),
    (None, gender) for a pronoun alone ("her medicine", "can he take it"), (None, None) otherwise."""
    named = person_named(question)
    gender = pronoun_gender(question)
    if named is not None and (gender is None or named[1] == gender):
        return named
    return None, gender


def _person_fit(m: MedicineMention, person: str | None, gender: str | None) -> float:
    """How well a relative's medicine fits the relative the question speaks of."""
    if person is not None:
        return 2.0 if m.person == person else (-2.0 if m.person is not None else 0.0)
    if gender is not None and m.gender is not None:
        return 1.0 if m.gender == gender else -3.0
    return 0.0


# "it" as what is taken: "pregnant on it", "while I'm on it", "taking it"
_ON_IT = re.compile(r"\b(?:on|taking|using) (?:it|this|that|them)\b|\bwhile (?:i'?m|i am|he'?s|she'?s|they'?re) on\b",
                    re.IGNORECASE)


def resolve_focus(question: str, context: ConversationContext, question_turn: int,
                  section: str | None = None) -> Focus:
    """Score each medicine the user mentioned before the question by recency, ownership, novelty and dose
    form against what the question says ("my own medicine", "the new one", "the gel"). The best is
    chosen, with the others of its own turn that score the same ("I take X and Y. Is it safe?" asks about
    both). "It" asking a section of one medicine (`section`: "can it make me bruise?") that two taken
    medicines of one turn fit equally is asked back (`tied`)."""
    if _WANT_SELF.search(question) and _WANT_RELATIVE.search(question) and _TOGETHER.search(question):
        # "Is mine safe with dad's?", "can my pills be taken with her medicine?": one of each, asked together
        mine = resolve_focus(_WANT_RELATIVE.sub(" ", question), context, question_turn).chosen
        theirs = resolve_focus(_WANT_SELF.sub(" ", question), context, question_turn).chosen
        if mine and theirs and mine[0].owner is Owner.USER and theirs[0].owner is Owner.RELATIVE:
            return Focus([mine[0], theirs[0]], across_people=True)
    every = context.latest(before_turn=question_turn)
    # (a denied self names no owner: "不是问我的药，是她", "not about my meds, it's hers")
    owned = _NOT_SELF.sub(" ", question)
    want_owner = Owner.USER if _WANT_SELF.search(owned) else (
        Owner.RELATIVE if _WANT_RELATIVE.search(owned) else None)
    # The records' medicines are candidates only when the user's turns offer none the question can mean
    # ("my own medicine" after a relative's medicine; "is my medicine safe?" with nothing said).
    said = [m for m in every if m.source == SAID]
    fits = [m for m in said if want_owner is None or m.owner is want_owner]
    candidates = said if fits else every
    if not candidates:
        return Focus([])
    want_status: frozenset[MedStatus] | None = None
    if _WANT_NEW.search(question):
        want_status = frozenset({MedStatus.NEW, MedStatus.CONSIDERED})
    elif _WANT_OLD.search(question):
        want_status = frozenset({MedStatus.LONG_TERM, MedStatus.CURRENT})
    # "My dad takes metformin and I take atorvastatin." ... "Can I have grapefruit juice?": the user would take it,
    # so the user's own medicine is meant more than a relative's (weaker than "my own", and no cue to ask back)
    user_takes = want_owner is None and bool(_I_WOULD_TAKE.search(question) or _ZH_I_WOULD_TAKE.search(question))
    form = dose_form(question)
    # "I've used the spray before, no problem. The other one - ...": the form named is the one not meant
    # ("The other one, the tablet, ..." names the one meant by its form: the form is the one meant then)
    other_than_form = form is not None and any(
        _WANT_OTHER.search(part) and dose_form(part) is None for part in _SENTENCE_END.split(question))
    asks_stopping = bool(_ASKS_STOPPING.search(question))
    on_it = _ON_IT.search(question) is not None
    # "her medicine" after a daughter's and a husband's: the daughter's, by the relatives' gender
    person, gender = asked_person(question) if want_owner is Owner.RELATIVE else (None, None)
    turns = sorted({m.turn for m in candidates}, reverse=True)
    # the candidates in the order the user first named them
    named_order = list(dict.fromkeys(_key(m) for m in context.medicines if _key(m) in {_key(c) for c in candidates}))
    scores: dict[str, float] = {}
    fit: dict[str, float] = {}  # how well each fits what the question says, recency aside
    for m in candidates:
        score = 0.0
        if want_owner is not None:
            score += 2.0 if m.owner is want_owner else -2.0
        if want_owner is Owner.RELATIVE and m.owner is Owner.RELATIVE:
            score += _person_fit(m, person, gender)
        if user_takes:
            score += 1.0 if m.owner is Owner.USER else -1.0
        if want_status is not None:
            score += 2.0 if m.status in want_status else -1.0
        if other_than_form and m.form is not None:
            score += -2.0 if m.form == form else 2.0
        elif form is not None and m.form is not None:
            score += 1.5 if m.form == form else -1.5
        if m.status is MedStatus.STOPPED and not asks_stopping:
            score -= 1.0
        if on_it and m.status in TAKEN:
            score += 1.0  # "what if I get pregnant on it?": what is taken, not the product asked about since
        elif on_it and m.status is MedStatus.ASKED:
            score -= 1.0
        if _WANT_FIRST.search(question) and _key(m) == named_order[0]:
            score += 2.0  # the first named, in the earliest turn or first in one turn ("X and Y")
        if _WANT_SECOND.search(question) and len(named_order) > 1 and _key(m) == named_order[1]:
            score += 2.0
        if not other_than_form and _WANT_OTHER.search(question) and len(turns) > 1 and m.turn != turns[0]:
            score += 2.0
        fit[_key(m)] = score
        scores[_key(m)] = round(score + 1.0 / (1 + turns.index(m.turn)), 3)  # recency breaks what the cue leaves
    best = max(candidates, key=lambda m: (scores[_key(m)], m.turn))
    top = scores[_key(best)]
    chosen = [m for m in candidates if m.turn == best.turn and scores[_key(m)] == top]
    # A cue ("the new one") that two medicines of different turns fit equally: a person would ask which.
    cue = want_owner is not None or want_status is not None or form is not None
    tied = [m for m in candidates if m.turn != best.turn and fit[_key(m)] == fit[_key(best)] > 0] if cue else []
    # "her medicine" when a mother's and a daughter's both fit: whose, a person would ask.
    if want_owner is Owner.RELATIVE and person is None:
        best_fit = [m for m in candidates if fit[_key(m)] == fit[_key(best)] and m.owner is Owner.RELATIVE]
        if len({m.person for m in best_fit if m.person}) >= 2:
            return Focus(chosen, sorted(best_fit, key=lambda m: m.turn), scores)
    if not cue and _one_of_several_taken(question, chosen, section):
        return Focus(chosen, list(chosen), scores)
    return Focus(chosen, [*chosen, *tied] if tied else [], scores)


def _one_of_several_taken(question: str, chosen: list[MedicineMention], section: str | None) -> bool:
    """Whether "it" asks one section of one medicine while two or more the same person takes, said in one
    turn, fit it equally ("I take warfarin and metoprolol." -> "Can it make me bruise easily?"). Taking them
    together ("is it safe?", "together") and "them" / "both" ask of all of them."""
    if len(chosen) < 2 or section is None or section in _ASKED_OF_BOTH:
        return False
    if not _ONE_REFERENCE.search(question) or _MANY_REFERENCE.search(question):
        return False
    return (len({(m.owner, m.person) for m in chosen}) == 1 and all(m.status in TAKEN for m in chosen)
            and all(m.source == SAID for m in chosen))
