""""Which medicine treats X?" with no medicine named: the indications of every medicine searched for X.

The answer lists several medicines whose indications name X, each with its quoted sentence and citation
("Medicines in the database indicated for heartburn: Ranitidine [1], Omeprazole [2], ..."), or says the
database has none. It never quotes a label whose indications do not name the condition, and never picks
one medicine as if it were a recommendation.

The distiller marks such a turn (`Distillation.indication_search`, from `condition_asked`); the stage runs
after selection and answers the turn itself (the orchestrator then skips the reader).

Medicines withdrawn from the market (`app.pipeline.withdrawn`, corpora/names/withdrawn_products.tsv) are not
listed, however directly their labels name the condition; one line after the list says which were left out
and why (ranitidine's OTC label names heartburn first of all).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from app.enums import Status
from app.pipeline.compose import label_sentences, strip_references
from app.pipeline.list_conditions import (
    POPULATIONS,
    must_stay_awake,
    named_in_label,
    population_sentence,
    populations_said,
    sedating_antihistamine,
    warns_of_drowsiness,
)
from app.pipeline.state import Citation, Evidence, Notice, NoticeKind, ReadResult, Selection, TurnState
from app.pipeline.synonyms import drug_synonyms
from app.pipeline.treatment_aim import Aim, aim_asked, aim_fit, aims_said
from app.pipeline.withdrawn import Withdrawal, withdrawal_of
from app.pipeline.zh_glossary import shipped_glossary
from indexing.hybrid import rrf_fuse
from indexing.schema import Chunk
from indexing.store import SearchIndex
from indexing.text import sentences, tokenize
from indexing.vocabulary import CJK_RANGES, has_cjk, text_lang

_EN_ASKS_WHICH = re.compile(
    r"\b(?:what|which|any|some)\s+(?:\w+\s+){0,2}?(?:medicines?|medications?|meds|drugs?|pills?|tablets?|"
    r"remed(?:y|ies)|products?|treatments?|antibiotics?|painkillers?)\b"
    r"|\bwhat(?:'?s| is| are)?\s+(?:can|could|should|do|would)\s+(?:i|we|you|he|she|they)\s+(?:\w+ly\s+)?"
    r"(?:take|use|give|try)\b"
    r"|\bwhat(?:'?s| is| are| works?| helps?)\s+(?:good|best|effective)?\s*(?:for|against|with)\b"
    # "Best thing for a headache that won't go away?", "any good stuff for hay fever?"
    r"|\b(?:best|good|better|strongest)\s+(?:thing|stuff|option|remedy|treatment|cure)s?\s+(?:for|against|to)\b"
    r"|\b(?:is there|are there)\s+(?:anything|something|an?\s+(?:\w+\s+)?(?:medicine|drug|pill|tablet|treatment|cure|"
    r"remedy)|"
    r"any\s+(?:medicines?|drugs?|pills?|tablets?|treatments?|cures?|remed(?:y|ies)))\b"
    r"|\b(?:anything|something)\s+(?:i can take\s+)?(?:for|against)\b"
    r"|\bwhat\s+(?:helps|works|would help|will help|treats|cures|relieves|kills|gets rid of|clears up|stops)\b"
    r"|\bwhat(?:'?s| is| are)\s+(?:usually\s+|normally\s+|typically\s+)?(?:used|given|prescribed)\s+(?:to|for)\b"
    # a clinician's "what's first line for uncomplicated UTI?", "drug of choice for gout flare?"
    r"|\b(?:first|second)[- ]line\s+(?:\w+\s+)?(?:for|in)\b|\b(?:drug|treatment|agent)\s+of\s+choice\s+(?:for|in)\b",
    re.IGNORECASE,
)
# Which medicines cause something: not a question the indications answer ("what drugs cause hair growth" is
# not "what treats hair growth"); no label is chosen for it. The user's own medicines ("could any of my
# medicines cause this?") are another question: their labels answer it (app/records/mag.py).
_EN_CAUSES = re.compile(r"\b(?:caus(?:e|es|ed|ing)|induc(?:e|es|ed|ing)|trigger(?:s|ed)?|leads? to)\b", re.IGNORECASE)
_OWN_MEDICINES = re.compile(r"\b(?:my|our|his|her|their)\s+(?:\w+\s+)?(?:medicines?|medications?|meds|pills|drugs|"
                            r"prescriptions?|tablets)\b", re.IGNORECASE)
# ... to take for something (not "which medicines should be stored in the fridge?")
_EN_TREATMENT = re.compile(
    r"\b(?:take|use|try|give|help\w*|work\w*|good|best|treat\w*|reliev\w*|recommend\w*|for|against|cure\w*|kills?|"
    r"gets? rid of|clears? up|stops?|prevent\w*|used (?:to|for)|prescribed for)\b",
    re.IGNORECASE)
# Where the condition ends: "heartburn that won't make me sleepy", "leg cramps at night".
_CONDITION_END = re.compile(
    r"\s+(?:that|which|who|but|and|so|because|without|while|when|if|since|as|though|although|after|before|"
    r"caused by|due to|from (?:coming back|returning|recurring|happening)|"
    r"at night|in the (?:morning|evening)|every (?:day|night)|all (?:day|night)|for (?:\w+ )?(?:days?|weeks?|"
    r"months?|years?)|for (?:my|his|her|our|their|a|an|the) |"
    # trailing context, not the condition: "on a ferry", "next week", "while travelling"
    r"on (?:a|an|the|my|our|his|her|their|this|that|holiday|vacation) |(?:next|this|last) (?:week|month|weekend|"
    r"night|morning|evening|year)|today|tonight|tomorrow|yesterday|lately|recently|travel+ing|during (?:a|an|the|"
    r"my|our) |"
    # who has it, not the condition: "in an older man", "in my 3 year old"; a reading: "a temperature of 39"
    r"in (?:(?:a|an|the|my|our|his|her|older|elderly|young|little|\d+[ -]years?[ -]old|\w+)\s+){0,3}?(?:man|men|"
    r"woman|women|person|people|child|children|kids?|adults?|bab(?:y|ies)|toddlers?|teens?|teenagers?|patients?|"
    r"elderly|son|daughter|husband|wife|mum|mom|dad)\b|of \d+)\b.*$", re.IGNORECASE)
# Who the help is for, before the condition: "helps me quit smoking" -> "quit smoking".
_OBJECT_PERSON = re.compile(r"^(?:me|us|him|her|them|you|people|someone|somebody|my\s+\w+|our\s+\w+|his\s+\w+|"
                            # "what helps an old man sleep", "a child"
                            r"her\s+\w+|(?:an?|the)\s+(?:(?:old|older|elderly|young|little)\s+)?(?:man|woman|lady|"
                            r"person|child|kid|baby|toddler|teenager|gentleman))\s+"
                            r"(?=(?:to\s+)?(?:quit|stop|give up|cut down|get off|get rid of|kick|sleep|lose|relax|"
                            r"calm)\b)", re.IGNORECASE)
# What a question may name after "for" that is an aim, not a condition (app.pipeline.treatment_aim).
_AIM_ONLY = frozenset({"prophylaxis", "prevention", "preventive treatment", "acute treatment", "treatment",
                       "prevention and treatment", "acute attacks", "an acute attack", "attacks"})
# Who would get it, before the condition: "stop me getting migraines" -> "migraines".
_PERSON_GETTING = re.compile(r"^(?:me|us|him|her|them|you|people|someone|somebody|my\s+\w+|our\s+\w+)\s+"
                             r"(?:from\s+)?(?:getting|having)\s+", re.IGNORECASE)
# What to take when something starts: "what can I take when a migraine starts?" -> "migraine".
_WHEN_IT_STARTS = re.compile(r"\bwhen\s+(?:(?:a|an|my|the|his|her|their|our)\s+)?(?P<cond>[a-z][a-z' -]{2,40}?)\s+"
                             r"(?:starts|comes on|hits|begins|kicks in|strikes|flares up)\b", re.IGNORECASE)
# A complaint said of a person: "my toddler has a temperature of 39", "my husband keeps getting gout".
_PERSON_HAS = re.compile(r"^(?:\w+\s+){0,2}?(?:has|have|had|has got|keeps? getting|gets|is having)\s+",
                         re.IGNORECASE)
# A terse request naming the condition and the kind of product, with no question word: "malaria tablets for
# travel", "hay fever pills?"; the condition must be one the labels know.
_EN_PRODUCT_FOR = re.compile(
    r"^\s*(?:any\s+|good\s+|best\s+|the\s+best\s+)?(?P<cond>[a-z][a-z' -]{2,40}?)\s+(?:tablets?|pills?|medicines?|"
    r"medications?|meds|drugs?|treatments?|remed(?:y|ies)|creams?|cures?)(?:\s+(?:for|when|while|to)\s+[^?.!]*)?"
    r"\s*[?.!]*\s*$", re.IGNORECASE)
_POSSESSIVE_START = re.compile(r"^\s*(?:my|our|his|her|their|your)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"^(?:it|this|that|them|these|those|one)$", re.IGNORECASE)
# The person in a complaint: "I've been having ...", "my ... has been ..."
_COMPLAINT_SUBJECT = re.compile(
    r"^(?:i(?:'ve| have)?(?:\s+been)?(?:\s+keep)?(?:\s+(?:getting|having|had|got|suffering from|feel|feeling))?|"
    r"i'?m(?:\s+(?:having|getting|suffering from|feeling))?|i am|my|our|his|her)\s+", re.IGNORECASE)
_EN_CONDITION = re.compile(
    r"\b(?:for|against|treats?|treating|to treat|helps? with|help with|relieves?|to relieve|with|helps?|kills?|"
    r"gets? rid of|clears? up|stops?|prevents?|preventing|to prevent|(?:get|have|getting|having) fewer)\s+"
    r"(?P<cond>[^?.!;]+?)\s*(?:[?.!;]|$)",
    re.IGNORECASE,
)
_CN = f"[{CJK_RANGES}]"
_ZH_PATTERNS = (
    # 什么药治胃酸过多？ / 哪些药可以治疗高血压 / 有什么药能缓解头痛
    re.compile(rf"(?:什么|哪些|哪种|哪个|啥)药(?:物)?(?:可以|能|能够)?(?:治疗?|医治|缓解|对付|用于|管|帮助|帮|改善)"
               rf"(?P<cond>{_CN}+)"),
    # 胃酸过多吃什么药？ / 高血压用哪种药
    re.compile(rf"(?P<cond>{_CN}+?)[，,、\s]*(?:应该|可以|能|要)?(?:吃|用|服|服用)(?:什么|哪些|哪种|哪个|啥)药"),
)
_LEADING_FILLER = re.compile(
    r"^(?:(?:a|an|the|my|his|her|our|their|bad|severe|mild|some|really|terrible|chronic|acute)\s+)+", re.IGNORECASE)
_TRAILING_FILLER = re.compile(
    r"\s+(?:please|at home|quickly|fast|right now|over the counter|otc|without (?:a )?prescription|"
    r"in (?:kids|children|adults)|for (?:kids|children|adults)|"
    # "the cough of my son", as said in a second language: whose it is, not the condition
    r"(?:of|for|in) (?:my|his|her|our|the) (?:little )?(?:son|daughter|child|kid|baby|boy|girl|husband|wife|mother|"
    r"father|mum|mom|dad|grandmother|grandfather|granny|grandma|grandpa))$", re.IGNORECASE)
_ZH_FILLER = re.compile(r"(?:的|呢|吗|啊|呀|了|嘛)+$")
# 有没有帮助戒酒的药？ / 有治疥疮的药吗: is there a medicine (for ...), with no question word
_ZH_IS_THERE_A_MEDICINE = r"有没有[^，。？！?!,;；]{0,12}?药|有[^，。？！?!,;；没]{1,12}?的药(?:物)?吗"
# The kind of medicine a which-medicine question names ("吃什么退烧药": which fever reducer) and the
# condition it is for, when the question says no other.
_ZH_KIND_CONDITIONS: dict[str, str] = {
    "退烧": "发烧", "退热": "发烧", "止痛": "疼痛", "止疼": "疼痛", "镇痛": "疼痛", "止咳": "咳嗽",
    "降压": "高血压", "抗过敏": "过敏症状", "止泻": "腹泻", "通便": "便秘", "安眠": "失眠", "助眠": "失眠",
    "感冒": "感冒",
}
_ZH_KIND = "(?:" + "|".join(_ZH_KIND_CONDITIONS) + ")"
# Asking what to take (有什么药, 吃什么药, 什么药可以帮助/治/缓解 ...), not "和什么药一起吃" (an interaction).
_ZH_ASKS_WHAT_TO_TAKE = re.compile(
    rf"{_ZH_IS_THERE_A_MEDICINE}|(?:有|吃|用|服|买)(?:什么|哪些|哪种|哪个|啥){_ZH_KIND}?药|(?:什么|哪些|哪种|哪个|啥)药(?:物)?(?:可以|能|能够|比较)?"
    r"(?:治|医|帮|缓解|对付|管用|有效|好|改善|降)")

# Lay words for a condition and the words labels use for it (a label says "hypertension", people say
# "high blood pressure"). Each alternative must be found whole in one sentence of an indications section.
LAY_TERMS: dict[str, tuple[str, ...]] = {
    "high blood pressure": ("hypertension",),
    "blood pressure": ("hypertension",),
    "heartburn": ("acid indigestion", "gastroesophageal reflux"),
    "upset stomach": ("upset stomach", "sour stomach", "acid indigestion"),
    "indigestion": ("acid indigestion", "indigestion", "dyspepsia"),
    "runny nose": ("runny nose", "rhinorrhea"),
    "stuffy nose": ("nasal congestion",),
    "blocked nose": ("nasal congestion",),
    "stuffed up nose": ("nasal congestion",),
    "bunged up nose": ("nasal congestion",),
    "congested nose": ("nasal congestion",),
    "nose": ("nasal congestion",),
    "cough": ("cough",),
    "itching": ("itching", "pruritus"),
    "itchy skin": ("itching", "pruritus"),
    "motion sickness": ("motion sickness",),
    "travel sickness": ("motion sickness",),
    "car sickness": ("motion sickness",),
    "sea sickness": ("motion sickness",),
    "seasickness": ("motion sickness",),
    "nausea": ("nausea",),
    "acne": ("acne",),
    "diarrhea": ("diarrhea",),
    "constipation": ("constipation",),
    "acid reflux": ("gastroesophageal reflux", "heartburn"),
    "reflux": ("gastroesophageal reflux", "heartburn"),
    "high cholesterol": ("hyperlipidemia", "hypercholesterolemia", "ldl-c"),
    "cholesterol": ("hyperlipidemia", "hypercholesterolemia", "ldl-c"),
    "stomach acid": ("gastric acid", "heartburn"),
    "too much stomach acid": ("gastric acid", "heartburn", "hypersecretory"),
    "sugar": ("diabetes mellitus", "glycemic control"),
    "high blood sugar": ("diabetes mellitus", "glycemic control"),
    "diabetes": ("diabetes mellitus", "glycemic control"),
    "pain": ("pain",),
    # (not any pain: a lotion for the pain of poison ivy is no answer to back pain)
    "back pain": ("back pain", "backache", "backaches", "low back pain"),
    "back": ("back pain", "backache", "backaches", "low back pain"),  # "my back is killing me"
    "period pain": ("dysmenorrhea", "menstrual cramps", "menstrual pain"),
    "period pains": ("dysmenorrhea", "menstrual cramps", "menstrual pain"),
    "period cramps": ("dysmenorrhea", "menstrual cramps", "menstrual pain"),
    "menstrual pain": ("dysmenorrhea", "menstrual cramps", "menstrual pain"),
    "fever": ("fever", "reduce fever"),
    "allergies": ("allergic rhinitis", "allergy", "hay fever"),
    "hay fever": ("allergic rhinitis",),
    "depression": ("major depressive disorder", "depression"),
    "anxiety": ("anxiety disorder", "anxiety"),
    "trouble sleeping": ("insomnia",),
    "can't sleep": ("insomnia",),
    "cannot sleep": ("insomnia",),
    "sleep": ("insomnia",),
    "blood clots": ("thrombosis", "embolism", "thromboembolic"),
    "seizures": ("seizures", "epilepsy"),
    "gout": ("gout", "hyperuricemia"),
    "migraine": ("migraine",),
    "asthma": ("asthma",),
    "underactive thyroid": ("hypothyroidism",),
    "thyroid": ("hypothyroidism", "thyroid"),
    # What people want to stop, in the words of the labels indicated for it ("an aid to smoking cessation",
    # "associated with quitting smoking"; "treatment of alcohol dependence", "chronic alcohol patients").
    **dict.fromkeys(("smoking", "quit smoking", "quitting smoking", "stop smoking", "stopping smoking",
                     "give up smoking", "giving up smoking", "smoking cessation", "nicotine addiction",
                     "cigarettes", "vaping"),
                    ("smoking cessation", "quitting smoking", "stop smoking")),
    **dict.fromkeys(("alcoholism", "alcohol dependence", "alcohol addiction", "alcohol use disorder", "drinking",
                     "stop drinking", "quit drinking", "give up drinking", "drinking problem", "drink problem"),
                    ("alcohol dependence", "alcoholism", "alcohol use disorder", "abstinence from alcohol",
                     "chronic alcohol")),
    **dict.fromkeys(("altitude sickness", "mountain sickness", "acute mountain sickness", "altitude"),
                    ("acute mountain sickness", "mountain sickness")),
    "temperature": ("fever",),
    "high temperature": ("fever",),
    "diarrhoea": ("diarrhea",),
    "hot flashes": ("vasomotor symptoms", "hot flashes", "hot flushes"),
    "hot flushes": ("vasomotor symptoms", "hot flashes", "hot flushes"),
    "night sweats": ("vasomotor symptoms",),
    "impotence": ("erectile dysfunction",),
    "shingles": ("herpes zoster", "shingles"),
    "lice": ("head lice", "lice"),
    "nits": ("head lice",),
    "nail fungus": ("onychomycosis",),
    "toenail fungus": ("onychomycosis",),
    "fungal nail infection": ("onychomycosis",),
    "cold sores": ("herpes labialis", "cold sores"),
    "cold sore": ("herpes labialis", "cold sores"),
    "ringing in the ears": ("tinnitus",),
    "malaria prevention": ("malaria",),
    **dict.fromkeys(("gout attacks", "gout attack", "gout flares", "gout flare-ups", "gout flareups"),
                    ("gout flares", "gout")),
    # clinicians' abbreviations of conditions ("first line for uncomplicated UTI?", "anything for GORD?")
    **dict.fromkeys(("uti", "utis"), ("urinary tract infections", "urinary tract infection")),
    **dict.fromkeys(("uncomplicated uti", "uncomplicated utis", "uuti"),
                    ("uncomplicated urinary tract infections", "uncomplicated urinary tract infection",
                     "uncomplicated uti", "urinary tract infections", "urinary tract infection")),
    **dict.fromkeys(("gerd", "gord"), ("gastroesophageal reflux", "heartburn")),
    "copd": ("chronic obstructive pulmonary disease", "copd"),
    **dict.fromkeys(("af", "afib", "a fib"), ("atrial fibrillation",)),
    **dict.fromkeys(("t2dm", "t2d", "type 2 diabetes"), ("type 2 diabetes mellitus", "diabetes mellitus")),
    "htn": ("hypertension",),
    "dvt": ("deep vein thrombosis",),
    "bph": ("benign prostatic hyperplasia",),
    "ra": ("rheumatoid arthritis",),
    "oa": ("osteoarthritis",),
    # Chinese conditions with the English words English labels use, so a Chinese question reaches an English
    # database (the answer is framed in Chinese; quotes stay in the label's language).
    "胃酸过多": ("胃酸过多", "胃酸", "反流性食管炎", "heartburn", "acid indigestion"),
    "烧心": ("烧心", "胃灼热", "heartburn"),
    "反酸": ("反酸", "反流", "heartburn", "gastroesophageal reflux"),
    "高血压": ("高血压", "hypertension"),
    "头痛": ("头痛", "headache"),
    "发烧": ("发热", "fever"),
    "发热": ("发热", "fever"),
    "糖尿病": ("糖尿病", "diabetes mellitus"),
    "失眠": ("失眠", "insomnia"),
    "抑郁": ("抑郁", "depressive disorder"),
    "抑郁症": ("抑郁症", "depressive disorder"),
    "焦虑": ("焦虑", "anxiety"),
    "哮喘": ("哮喘", "asthma"),
    "痛风": ("痛风", "gout"),
    "便秘": ("便秘", "constipation"),
    "腹泻": ("腹泻", "diarrhea"),
    "高血脂": ("高血脂", "高脂血症", "hyperlipidemia"),
    "高胆固醇": ("高胆固醇", "hypercholesterolemia"),
    "癫痫": ("癫痫", "epilepsy", "seizures"),
    "偏头痛": ("偏头痛", "migraine"),
}

# What says a medicine treats something; the condition must come after it in the same sentence ("indicated
# for the treatment of heartburn", "temporarily relieves ... sore throat"), not merely share the sentence
# ("patients had symptoms such as upset stomach").
_TREATS = re.compile(
    r"\bindicated\b|\bused\s+(?:to|for|in)\b|\btreatment\s+of\b|\bto\s+treat\b|\btreats?\b|\btreating\b|"
    r"\brelie(?:f|ves?)\b|\brelieving\b|\bmanagement\s+of\b|\bprevention\s+of\b|\bprevents?\b|\bto\s+prevent\b|"
    r"\bcontrol\s+of\b|\bto\s+control\b|\bcontrols\b|\bcontrolling\b|"
    r"\breduc(?:e|es|ing)\b|\beradicat(?:e|es|ion|ing)\b|"
    r"\ban?\s+aid\s+(?:to|in|for)\b|\bprophylaxis\b|\bcure\s+of\b|\bkills?\b|\bhelps?\s+(?:to\s+)?(?:relieve|"
    r"prevent|reduce|treat|control)\b|用于|适用|治疗|缓解|预防",
    re.IGNORECASE)
# Advice beside the indication, not what the medicine treats: "Control of high blood pressure should be part
# of comprehensive cardiovascular risk management, including, as appropriate, lipid control, ... smoking
# cessation, exercise" (every antihypertensive's label), "as an adjunct to diet and exercise". The advice runs
# from its marker to the next word that says what the medicine is for ("... exercise to improve glycemic
# control", "... for chronic weight management") or to the sentence's end.
_ADVICE = re.compile(r"\bshould\s+be\s+(?:a\s+)?part\s+of\b|\bas\s+(?:a\s+)?part\s+of\b|\bas\s+a\s+component\s+of\b|"
                     r"\bincluding,?\s+as\s+appropriate\b|\blifestyle\b|\badjunct\s+to\b|\bin\s+conjunction\s+with\b|"
                     r"\bin\s+addition\s+to\b|\balong\s+with\b|\btogether\s+with\b", re.IGNORECASE)
_ADVICE_END = re.compile(r"\bto\s+(?!diet\b|exercise\b|a\b|an\b|the\b)\w+|\bfor\b|\bindicated\b|"
                         r"\bin\s+(?:adult|pediatric|patients|adults|children|women|men)\b|[;:]", re.IGNORECASE)


# Named diseases whose name ends in a common complaint and that are not that complaint: a label treating hay
# fever or Q fever is not indicated for a fever, one treating cold sores not for a cold.
OTHER_CONDITIONS: dict[str, tuple[str, ...]] = {
    "fever": ("hay fever", "mediterranean fever", "spotted fever", "typhus fever", "q fever", "rheumatic fever",
              "scarlet fever", "yellow fever", "typhoid fever", "glandular fever", "dengue fever", "relapsing fever",
              "rat-bite fever", "valley fever", "cat scratch fever", "paratyphoid fever", "tick fever",
              "enteric fever"),
    "cold": ("cold sore", "cold agglutinin"),
    "sore": ("cold sore", "canker sore", "pressure sore"),
    # a complicated one (pyelonephritis, a hospital's intravenous antibiotic) is not what "a UTI" asks
    **dict.fromkeys(("urinary tract infection", "urinary tract infections"),
                    ("complicated urinary tract infection", "complicated urinary tract infections",
                     "complicated uti", "cuti")),
}


@lru_cache(maxsize=1024)
def _other_conditions(phrase: str) -> re.Pattern[str] | None:
    """The named diseases ending in the one-word phrase that are another condition (`OTHER_CONDITIONS`)."""
    others = OTHER_CONDITIONS.get(phrase.casefold())
    if not others:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(o) for o in sorted(others, key=len, reverse=True)) + r")s?\b",
                      re.IGNORECASE)


def without_other_conditions(sentence: str, phrases: list[str]) -> str:
    """The sentence without the named diseases that merely end in one of the phrases ("hay fever" for fever),
    unless that disease is itself asked."""
    asked = {p.casefold() for p in phrases}
    for phrase in phrases:
        others = _other_conditions(phrase)
        if others is not None:
            sentence = others.sub(lambda m: m.group(0) if m.group(0).casefold() in asked else " ", sentence)
    return sentence


def without_advice(sentence: str) -> str:
    """The sentence without the advice beside its indication (`_ADVICE`): a condition named only there is
    not one the medicine is said to treat."""
    out, at = [], 0
    for marker in _ADVICE.finditer(sentence):
        if marker.start() < at:
            continue
        end = _ADVICE_END.search(sentence, marker.end())
        out.append(sentence[at: marker.start()])
        at = end.start() if end else len(sentence)
    return "".join(out) + sentence[at:]


# Where what a sentence says the medicine is for ends: a limitation or a negation ("Limitations of Use: not
# for ...", "has not been established in ...").
_NOT_FOR = re.compile(r"\blimitations?\s+of\s+use\b|\bnot\s+(?:been\s+)?(?:indicated|established|recommended|"
                      r"approved|intended|studied|for\s+use)\b|\bshould\s+not\s+be\s+used\b|不(?:适用|用于|宜)|"
                      # "this product will not provide fast relief of headaches" (a coated low-dose aspirin)
                      r"\b(?:will|does|do|can|may)\s+not\s+(?:provide|give|bring|relieve|treat|cure|work)\b",
                      re.IGNORECASE)
# A sentence whose negation comes after the use it negates: "The efficacy of propranolol in the treatment of
# a migraine attack that has started has not been established, and propranolol is not indicated for such use."
_NEGATED_WHOLE = re.compile(r"^\W*(?:the\s+)?(?:safety\s+and\s+)?(?:efficacy|effectiveness)\b.*\bnot\s+been\s+"
                            r"(?:established|demonstrated|shown)\b|\bnot\s+indicated\s+for\s+such\s+use\b",
                            re.IGNORECASE | re.DOTALL)
# How near the condition follows the word saying it is treated for it to count as named directly
# ("indicated for the treatment of hypertension") rather than as one item of a long list.
_DIRECT_TOKENS = 6
DIRECT, LISTED = 2, 1
# Homeopathic products: their "uses" are not indications a label was approved on (FDA: not evaluated).
_HOMEOPATHIC = re.compile(r"\bHPUS\b|\bhom(?:o|oe)opath", re.IGNORECASE)
_POTENCY = re.compile(r"\b[A-Za-z]{3,}\s+\d{1,4}(?:X|C|CH|LM)\b")
_MIN_POTENCIES = 3


def treated_in(sentence: str, phrases: list[str], aim: Aim = Aim.ANY) -> tuple[int, int]:
    """How directly the sentence says the medicine treats one of the phrases: (DIRECT or LISTED, minus the
    number of words between the word saying so and the condition: "treatment of cluster headache" is less
    direct for "headache" than "relief of headache"); (0, 0) when no phrase comes after a word saying it is
    treated (or only after a limitation or a negation, or only for the other aim than `aim`)."""
    found = treatment_match(sentence, phrases, aim)
    return (found[1], found[2]) if found is not None else (0, 0)


def treatment_match(sentence: str, phrases: list[str], aim: Aim = Aim.ANY) -> tuple[int, int, int] | None:
    """`treated_in` with how the indication fits the asked aim first (app.pipeline.treatment_aim: 1 it says
    the aim, 0 it says neither): (fit, DIRECT or LISTED, -gap); None when it names no phrase as treated, or
    names it only for the other aim ("acute treatment of migraine" for a prevention question)."""
    if _NEGATED_WHOLE.search(sentence):
        return None
    limit = _NOT_FOR.search(sentence)
    said = without_other_conditions(without_advice(sentence[: limit.start()] if limit else sentence), phrases)
    lowered, words_said = said.casefold(), set(tokenize(said))
    # most sentences name none of the phrases: only those that do are read cue by cue
    named = [p for p in phrases if (p in lowered if has_cjk(p) else set(_words(p)) <= words_said
                                    and _said_as_written(p, lowered))]
    best: tuple[int, int, int] | None = None
    top = (0 if aim is Aim.ANY else 1, DIRECT, 0)
    for cue in _TREATS.finditer(said) if named else ():
        after = said[cue.end():]
        words = tokenize(after)
        for phrase in named:
            before = ""
            if has_cjk(phrase):
                at = after.casefold().find(phrase)
                gap = len(tokenize(after[:at])) if at >= 0 else None
            else:
                gap = _run_start(words, list(_words(phrase)))
                # the two words before the cue too: "Acute treatment of", "the preventive treatment of"
                lead = said[: cue.start()].split()[-2:]
                before = " ".join([*lead, cue.group(0), *words[:gap]]) if gap is not None else ""
            fit = aim_fit(aim, aims_said(before)) if gap is not None else None
            if gap is not None and fit is not None:
                found = (fit, DIRECT if gap <= _DIRECT_TOKENS else LISTED, -gap)
                best = found if best is None else max(best, found)
        if best == top:
            break
    return best


@lru_cache(maxsize=4096)
def _written_forms(phrase: str) -> re.Pattern[str]:
    """Each word of the phrase as the start of a word (a plural's 's' optional): 'seizures' finds 'seizure', but
    'alcoholism' does not find 'alcohol' (one stem, another condition: "toxic damage from alcohol")."""
    words = [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in phrase.casefold().split()]
    return re.compile("".join(rf"(?=.*\b{re.escape(w)})" for w in words), re.DOTALL)


def _said_as_written(phrase: str, lowered: str) -> bool:
    return _written_forms(phrase).match(lowered) is not None


@lru_cache(maxsize=4096)
def _words(phrase: str) -> tuple[str, ...]:
    return tuple(tokenize(phrase))


def _run_start(words: list[str], phrase: list[str]) -> int | None:
    """Where the phrase's words begin as a run (a word or two between allowed: "acid [gastric] indigestion"),
    or None."""
    if not phrase:
        return None
    slack = 2 if len(phrase) > 1 else 0
    for i, word in enumerate(words):
        if word != phrase[0]:
            continue
        j, k = i + 1, 1
        while k < len(phrase) and j < len(words) and j - i < len(phrase) + slack:
            if words[j] == phrase[k]:
                k += 1
            j += 1
        if k == len(phrase):
            return i
    return None


def is_homeopathic(texts: list[str]) -> bool:
    """Whether a product's label text is a homeopathic one (HPUS, 'homeopathic', ingredient potencies: 6C, 12X)."""
    joined = " ".join(texts)
    return bool(_HOMEOPATHIC.search(joined)) or len(set(_POTENCY.findall(joined))) >= _MIN_POTENCIES


MAX_MEDICINES = 5
# Someone asking what they can take or use themselves ("what can I take for a headache?", "anything for
# heartburn?", 吃什么药): an over-the-counter label is what they can act on, a prescription medicine taken by
# mouth or applied next, one only given by injection last. "What is used to treat gout?" asks what the labels
# say and keeps the order of how directly they name it.
_SELF_CARE = re.compile(
    r"\b(?:can|could|should|do|may|might|shall)\s+(?:i|we|he|she|they|you|my\s+\w+)\s+(?:\w+\s+)?(?:take|use|give|"
    r"try|buy|get|have)\b|\b(?:anything|something)\b|\bover[- ]the[- ]counter\b|\botc\b|\bwhat(?:'?s| is| are)?\s+"
    r"(?:good|best)\b|\bwhat\s+(?:helps|works|would help|will help)\b|\bhelps?\s+with\b|"
    r"\b(?:best|good|better)\s+(?:thing|stuff|option|remedy)s?\s+(?:for|against|to)\b|"
    r"\b(?:what|which|any)\s+(?:[\w'-]+\s+){0,3}(?:tablets?|pills?|meds|remed(?:y|ies)|painkillers?)\b|"
    rf"(?:吃|用|买|服)(?:什么|哪些|哪种|哪个|啥){_ZH_KIND}?药|有(?:什么|哪些|没有)[^，。？！?!]{{0,6}}药",
    re.IGNORECASE)
_INJECTED_ROUTES = frozenset({"SUBCUTANEOUS", "EPIDURAL", "INFILTRATION", "PERINEURAL", "PARENTERAL",
                              "INTRAMUSCULAR", "INTRAVENOUS"})
OTC_TIER, SELF_TAKEN_TIER, INJECTED_TIER = 2, 1, 0
_ENOUGH_TO_TAKE = 3  # a self-care list drops injected-only medicines when it has this many others


def asks_self_care(question: str) -> bool:
    """Whether a which-medicine question asks what the asker can take or use themselves (_SELF_CARE)."""
    return _SELF_CARE.search(question) is not None


def self_care_tier(routes: tuple[str, ...], product_type: str) -> int:
    """OTC_TIER for an over-the-counter label, INJECTED_TIER for one given only by injection or infusion
    (every route intravenous, subcutaneous, intra-anything ...), SELF_TAKEN_TIER otherwise (also when the
    label says neither)."""
    if routes and all(r.upper() in _INJECTED_ROUTES or r.upper().startswith("INTRA") for r in routes):
        return INJECTED_TIER
    return OTC_TIER if "OTC" in product_type.upper() else SELF_TAKEN_TIER

_QUOTE_CHARS = 240
_POOL = 200
_MAX_EXAMINED = 40  # medicines whose indications are read for one question
_MEMO_LIMIT = 20_000


def condition_asked(question: str) -> str | None:
    """The condition a "which medicine treats X" question names ("heartburn"), or None when the question
    is not of that kind."""
    text = question.strip()
    if has_cjk(text):
        return _zh_condition(text)
    if not asks_which_medicine(text) or _asks_what_causes(text):
        return _product_for(text)
    matches = [m for m in _EN_CONDITION.finditer(text) if not _PRONOUN.match(m.group("cond").strip())
               # "I'm on Priadel for bipolar. Period pains are awful, what can I take?": what a medicine taken is
               # for, told before the asking sentence, is not the condition asked
               and not (_TAKEN_FOR.search(re.split(r"[.!?;]", text[: m.start()])[-1])
                        and _EN_ASKS_WHICH.search(_sentence_at(text, m.start())) is None)]
    if matches:
        said = [(cond, _EN_ASKS_WHICH.search(_sentence_at(text, m.start())) is not None)
                for m in matches if (cond := _clean_condition(m.group("cond")))]
        if said and all(cond in _AIM_ONLY for cond, _ in said):
            # "migraine: what is used for prophylaxis?": the aim, not the condition, follows "for"
            named = _known_condition_words().search(text)
            return named.group(0).casefold() if named else None
        said = [(cond, asks) for cond, asks in said if cond not in _AIM_ONLY]
        if not said:
            return None
        # a condition the labels know first ("motion sickness", not "kids" of "travelling with kids next
        # week"); else the last "for X" of the sentence that asks ("what can I take for my back pain?")
        known = [cond for cond, _ in said if _condition_like(cond)]
        asking = [cond for cond, asks in said if asks]
        return (known or asking or [c for c, _ in said])[-1]
    starts = _WHEN_IT_STARTS.search(text)
    if starts is not None and (cond := _clean_condition(starts.group("cond"))) and _condition_like(cond):
        return cond
    kind = _CONDITION_BEFORE_KIND.search(text)
    if kind is not None and (cond := _clean_condition(kind.group("cond"))) and _condition_like(cond):
        return cond  # "what hay fever tablet won't make me drowsy?"
    # "I keep getting leg cramps. What should I take?": the other clause states it (not one telling what a
    # medicine taken is for)
    complaints = [c for c in re.split(r"[,.;!?]+", text) if c.strip() and not _EN_ASKS_WHICH.search(c)
                  and not _TAKEN_FOR_CLAUSE.search(c)]
    if not complaints:
        return None
    cleaned = [_clean_condition(_PERSON_HAS.sub("", _COMPLAINT_SUBJECT.sub("", c.strip()), count=1))
               for c in complaints]
    # the first clause that states a condition the labels know ("level was fine last month. Period pains are
    # awful tonight": the period pains); else the first clause
    cond = next((c for c in cleaned if c is not None and _condition_like(c)), cleaned[0])
    if cond is not None and not _condition_like(cond):
        # "I'm 20 weeks pregnant and have a pounding headache, what can I safely take for it?": the condition
        # the labels know in what the user states
        named = _known_condition_words().search(" ".join(complaints))
        if named is not None:
            return named.group(0).casefold()
    return cond


# The condition said before the kind of product: "what hay fever tablet ...", "any good headache pills?"
_CONDITION_BEFORE_KIND = re.compile(
    r"\b(?:what|which|any|a good|the best|good)\s+(?:good\s+)?(?P<cond>[a-z][a-z' -]{2,30}?)\s+"
    r"(?:tablets?|pills?|medicines?|medications?|meds|remed(?:y|ies)|treatments?|drops|sprays?|tabs)\b", re.IGNORECASE)


# A medicine taken, said before what it is for: "I'm on Priadel for", "she takes sertraline for".
_TAKEN_FOR = re.compile(r"\b(?:on|taking|take|takes|took|prescribed|given|using|uses?)\s+(?:[\w-]+\s+){1,3}$",
                        re.IGNORECASE)
_TAKEN_FOR_CLAUSE = re.compile(r"\b(?:i'?m|i am|he'?s|she'?s|they'?re|been) on\s+(?:[\w-]+\s+){1,3}for\b|"
                               r"\b(?:i|he|she|they|we) (?:take|takes|use|uses)\s+(?:[\w-]+\s+){1,3}for\b",
                               re.IGNORECASE)


def _product_for(text: str) -> str | None:
    """The condition of a terse request with no question word ("malaria tablets for travel" -> malaria)."""
    found = _EN_PRODUCT_FOR.match(text)
    if found is None or _OWN_MEDICINES.search(text) or _asks_what_causes(text) or _POSSESSIVE_START.match(text):
        return None
    said = found.group("cond").strip().casefold()
    cond = _clean_condition(said)
    # the words before the product must be the condition alone ("blood pressure when on this medicine" is not)
    return cond if cond is not None and cond == said and _condition_like(cond) else None


def _clean_condition(said: str) -> str | None:
    """The condition of a phrase, without what follows it ("heartburn at night") or fills it ("really bad")."""
    said = re.split(r"\s+[-\u2013\u2014:]\s+|\s*,\s+", said.strip())[0]  # "back pain - it is killing me"
    cond = _CONDITION_END.sub("", _HOW_BAD.sub("", said))
    cond = _PERSON_GETTING.sub("", _OBJECT_PERSON.sub("", _SUBJECT_WHO_CANNOT.sub("", cond.strip())))
    cond = _TRAILING_FILLER.sub("", _LEADING_FILLER.sub("", cond))
    cond = re.sub(r"\s+", " ", cond).strip(" ,'\"")
    return cond.casefold() if len(cond) >= 3 else None


# Who cannot do something, before it: "my husband can't sleep" -> "can't sleep".
_SUBJECT_WHO_CANNOT = re.compile(r"^(?:(?:my|our|his|her|the)\s+)?[\w']+\s+"
                                 r"(?=(?:can't|cannot|can not|couldn't|could not)\b)", re.IGNORECASE)
# A complaint said as what someone cannot do ("can't sleep"): framed by the word labels use for it.
_SAID_AS_CLAUSE = re.compile(r"\b(?:can't|cannot|can not|couldn't|could not|trouble)\b|^sleep$", re.IGNORECASE)


def framed_condition(condition: str) -> str:
    """How an answer names the condition: "can't sleep" as "insomnia (can't sleep)"; a noun as said."""
    terms = LAY_TERMS.get(condition.casefold(), ())
    if not terms or has_cjk(condition) or not _SAID_AS_CLAUSE.search(condition):
        return condition
    return f"{terms[0]} ({condition})"


# How bad it is, said after it: "period pains are awful tonight", "my back is killing me".
_HOW_BAD = re.compile(r"\s+(?:is|are|was|were|has been|have been|'s|keeps?)\s+(?:so |really |very |just |absolutely )?"
                      r"(?:awful|bad|terrible|horrible|killing me|unbearable|agony|worse|painful|playing up|flaring|"
                      r"acting up|getting worse|driving me mad)\b.*$", re.IGNORECASE)


def _sentence_at(text: str, at: int) -> str:
    """The sentence of `text` holding position `at`."""
    start = max(text.rfind(stop, 0, at) for stop in "?.!;") + 1
    ends = [e for stop in "?.!;" if (e := text.find(stop, at)) >= 0]
    return text[start: min(ends) + 1 if ends else len(text)]


@lru_cache(maxsize=1)
def _known_condition_words() -> re.Pattern[str]:
    """The English conditions the lay-term table and the glossary know, as one whole-word pattern."""
    known = {w for lay, label in LAY_TERMS.items() for w in (lay, *label) if not has_cjk(w)}
    known |= {p for e in shipped_glossary().entries.values() if e.kind == "condition" for p in e.en if not has_cjk(p)}
    alternatives = "|".join(re.escape(w) for w in sorted(known, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


def _condition_like(phrase: str) -> bool:
    # ("period pains": the labels' "period pain")
    return _known_condition_words().search(re.sub(r"(?<=[a-z]{3})s\b", "", phrase)) is not None or (
        _known_condition_words().search(phrase) is not None)


def _zh_condition(text: str) -> str | None:
    """The condition of a Chinese which-medicine question: the words after 治/缓解 or before 吃什么药, else a
    condition the glossary knows said in the other clause ("老是失眠，有什么药可以帮助睡觉" -> 失眠)."""
    said: str | None = None
    for pattern in _ZH_PATTERNS:
        found = pattern.search(text)
        if found:
            cond = _ZH_FILLER.sub("", found.group("cond"))
            cond = re.sub(r"^(?:我|我们|孩子|小孩|老人)?(?:有|得了|患有)?", "", cond)
            said = cond if len(cond) >= 2 else None
            break
    glossary = shipped_glossary()
    if said is not None and (said in LAY_TERMS or glossary.found_in(said, "condition")):
        return said
    asks = _ZH_ASKS_WHAT_TO_TAKE.search(text)
    named = glossary.found_in(text, "condition") if asks else []
    if named:
        # the complaint told before the ask, the last one ("晚上睡觉小腿老抽筋……有什么药可以吃吗": the cramps, not the
        # sleep they come in); none before it: the first after ("老是失眠，有什么药可以帮助睡觉" keeps 失眠)
        # (a word of two characters or more before a bare 疼 or 痛: "小腿老抽筋，疼得直叫" is the cramps)
        before = glossary.found_in(text[: asks.start()], "condition") if asks else []
        worded = [e for e in before if len(e.zh) >= 2] or before
        return (worded[-1] if worded else named[0]).zh
    kind = re.search(_ZH_KIND, asks.group(0)) if asks else None
    return _ZH_KIND_CONDITIONS[kind.group(0)] if said is None and kind else said


def _asks_what_causes(text: str) -> bool:
    """"What drugs cause X?" (the cause word before any treatment word; "what can I take for a headache
    caused by stress" asks what treats it)."""
    cause = _EN_CAUSES.search(text)
    treatment = _EN_TREATMENT.search(text)
    return cause is not None and (treatment is None or cause.start() < treatment.start())


def asks_which_medicine(question: str) -> bool:
    """Whether the question asks which medicine to take (with or without a condition we can read)."""
    text = question.strip()
    if has_cjk(text):
        return re.search(rf"(?:什么|哪些|哪种|哪个|啥){_ZH_KIND}?药|{_ZH_IS_THERE_A_MEDICINE}", text) is not None
    if _EN_ASKS_WHICH.search(text) is None or _ASKS_SCHEDULE.search(text):
        return False
    causes = _asks_what_causes(text) and _OWN_MEDICINES.search(text) is None
    return _EN_TREATMENT.search(text) is not None or causes


# What to take when: a dose schedule of a medicine taken, not which medicine ("so what do I take on the first day and
# after that?")
_ASKS_SCHEDULE = re.compile(
    r"\bwhat\s+(?:do|should|shall|must)\s+(?:i|we|he|she|they)\s+(?:take|give)\s+(?:on|in|at|for|during|each|every)"
    r"\s+(?:the\s+)?(?:first|1st|second|2nd|third|next|following|day|days|week|weeks|morning|night|evening|start)\b",
    re.IGNORECASE)


_ASKS_WHAT_TO_TAKE_FOR = re.compile(
    r"\bwhat\s+(?:can|could|should|do)\s+(?:i|we|he|she|they|you)\s+(?:\w+ly\s+)?(?:take|use|give|try|buy)\b|"
    r"\b(?:what|which|any)\s+(?:\w+\s+){0,2}?(?:medicines?|medications?|meds|drugs?|remed(?:y|ies)|painkillers?|"
    r"tablets?|pills?)\s+(?:for|to|against)\b", re.IGNORECASE)


# The asking sentence speaks of a medicine said before ("... anything I should know about it?")
_ABOUT_IT = re.compile(r"\b(?:about|on|with|from|of|take|taking|using) (?:it|this|that|them|these|those)\b|"
                       r"\b(?:is|does|did|will|would|can|could) (?:it|this|that)\b", re.IGNORECASE)


# What to tell the one treating them, or to know: asked of the medicines taken, not which one to take
_WHAT_TO_TELL = re.compile(r"\b(?:tell|mention|say to|let|warn|inform)\b.{0,30}\b(?:surgeons?|doctors?|dentists?|"
                           r"an(?:a)?esthetists?|anesthesiologists?|nurses?|team|opticians?|consultants?|hospital|"
                           r"specialists?)\b|\bshould (?:i|we|he|she|they) (?:know|be aware)\b", re.IGNORECASE)


def asks_medicine_for_condition(question: str) -> bool:
    """A question plainly asking which medicine to take for a condition ("what can I take for hay fever?",
    "可以吃什么退烧药？"), not any "is there anything he should watch out for?" of a medicine said before."""
    if has_cjk(question):
        return asks_which_medicine(question)
    if not asks_which_medicine(question):
        return False
    asking = [s for s in re.split(r"(?<=[.!?])\s+", question.strip()) if s.strip()]
    if asking and _ABOUT_IT.search(asking[-1]) and _ASKS_WHAT_TO_TAKE_FOR.search(asking[-1]) is None:
        return False  # "GP prescribed levofloxacin for sinusitis. Anything serious I should know about it?"
    if asking and _WHAT_TO_TELL.search(asking[-1]) and _ASKS_WHAT_TO_TAKE_FOR.search(asking[-1]) is None:
        return False  # "Cataract surgery soon. I've been on tamsulosin for years. Anything to tell the surgeon?"
    cond = condition_asked(question)
    return _ASKS_WHAT_TO_TAKE_FOR.search(question) is not None or (cond is not None and _condition_like(cond))


class NamedIn(Protocol):
    """The sentence of one label's safety sections speaking of another medicine (ExtractiveReader.sentence_naming)."""

    def __call__(self, index: SearchIndex, label_id: str, other_id: str) -> tuple[Chunk, str] | None: ...


@dataclass(frozen=True, slots=True)
class Caution:
    """What a listed medicine's label, or the label of one the user takes, says of taking the two."""

    listed: str  # the listed medicine's id
    taken: str  # the taken medicine's id
    chunk: Chunk  # the label chunk it is quoted from
    quote: str


class QueryVectors(Protocol):
    def get(self, text: str) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class Candidate:
    medicine_id: str
    name: str
    chunk: Chunk
    quote: str


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A medicine whose indications name the condition but that is not listed: withdrawn from the market."""

    name: str
    withdrawal: Withdrawal


def _phrases(condition: str) -> list[str]:
    """The condition and the words labels use for it; a Chinese condition also carries the English words of
    the conditions the glossary finds in it ('胃酸多、烧心' -> heartburn, acid indigestion ...)."""
    key = condition.casefold()
    english = shipped_glossary().condition_phrases(condition) if has_cjk(condition) else []
    words = key.split()
    # "seasonal allergies", "really bad heartburn": the words labels use for what the phrase ends with
    lay = next((LAY_TERMS[tail] for n in range(len(words)) if (tail := " ".join(words[n:])) in LAY_TERMS), ())
    # the glossary's English words for a Chinese condition with their label synonyms (戒烟 -> smoking cessation
    # -> quitting smoking, the nicotine gum's words)
    synonyms = [w for phrase in english for w in LAY_TERMS.get(phrase, ())]
    # "can't stop coughing": labels say "cough"
    stem = [key[:-3]] if len(words) == 1 and key.endswith("ing") and len(key) >= 7 else []
    return list(dict.fromkeys([key, *lay, *english, *synonyms, *stem]))


def _matching_sentence(text: str, phrases: list[str], names: frozenset[str] = frozenset(),
                       aim: Aim = Aim.ANY) -> tuple[tuple[int, int, int], str] | None:
    """The sentence of `text` that most directly says the medicine treats one of the phrases, with how
    directly (treated_in): the reader's cleaned whole sentences first (no cross-references or headings),
    else the raw ones."""
    cleaned = [sentence for _, sentence in label_sentences(text, names)]
    best: tuple[tuple[int, int, int], str] | None = None
    for sentence in [*cleaned, *(strip_references(s) for s in sentences(text))]:
        how = treatment_match(sentence, phrases, aim)
        if how is not None and (best is None or how > best[0]):
            best = (how, sentence.strip())
            if how == (0 if aim is Aim.ANY else 1, DIRECT, 0):
                break
    return best


def _trim(sentence: str, phrases: list[str]) -> str:
    """A long sentence (a flattened list of indications) quoted around the condition it names."""
    if len(sentence) <= _QUOTE_CHARS:
        return sentence
    lowered = sentence.casefold()
    at = min((i for p in phrases if (i := lowered.find(p.split()[0])) >= 0), default=0)
    start = max(0, at - _QUOTE_CHARS // 3)
    start = sentence.rfind(" ", 0, start) + 1 if start > 0 else 0
    end = sentence.find(" ", start + _QUOTE_CHARS)
    piece = sentence[start:] if end < 0 else sentence[start:end]
    return ("... " if start > 0 else "") + piece.strip() + (" ..." if end >= 0 else "")


class IndicationSearch:
    """The stage: for a turn the distiller marked as "which medicine treats X", the answer listing the
    medicines whose indications name X (BM25 + dense over indications sections only, fused by RRF)."""

    name = "indication_search"

    def __init__(self, embeddings: QueryVectors | None = None, max_medicines: int = MAX_MEDICINES,
                 named_in: NamedIn | None = None) -> None:
        self.embeddings = embeddings
        self.max_medicines = max_medicines
        self.named_in = named_in
        self._rows: dict[str, np.ndarray] = {}
        self._homeopathy: dict[tuple[str, str], bool] = {}
        self._lock = threading.Lock()

    def to_dict(self) -> dict[str, Any]:
        return {"max_medicines": self.max_medicines, "dense": self.embeddings is not None}

    def run(self, state: TurnState) -> None:
        condition = state.distilled.indication_search
        if not condition:
            return
        aim = aim_asked(state.question)
        said = " ".join([*(t.content for t in state.dialogue if t.role == "user"), state.question])
        drowsy: list[tuple[str, str]] | None = [] if must_stay_awake(said) else None
        found, left_out = self.search_listed(state.index, condition, aim, asks_self_care(state.question), drowsy)
        taking = [m for m in state.distilled.taking if m not in {c.medicine_id for c in found}]
        cautions = self.cautions(state.index, found, taking)
        absent = list(state.distilled.taking_absent)
        cautions += self.absent_cautions(state.index, found, absent)
        cautions += self.population_cautions(state.index, found, populations_said(said))
        names = {m: state.lexicon.names.get(m, m) for m in taking}
        names.update({a: a for a in absent})
        # the labels quoted: a listed OTC medicine's prescription label too
        labels = {c.chunk.medicine_id: entry.name for c in cautions
                  if (entry := state.index.medicines.get(c.chunk.medicine_id)) is not None}
        state.reading = self.answer(condition, found, left_out, aim, cautions, {**labels, **names}, drowsy or [])
        state.reading.reader = "indication_search"
        if state.distilled.unknown_drugs:
            state.notices.append(Notice(NoticeKind.UNKNOWN_DRUG,
                                        f"Not in the database: {', '.join(state.distilled.unknown_drugs)}."))
        if taking or absent:
            zh = has_cjk(state.question)
            listed = ("、" if zh else ", ").join(names.values())
            state.notices.append(Notice(NoticeKind.READER, f"已对照您说正在服用的药物检查：{listed}。" if zh else
                                        f"Checked against the medicines you said you take: {listed}."))
        rows = {c.chunk.chunk_id for c in found}
        cited = [Evidence(c.chunk, 1.0 / (1 + i), 0, i) for i, c in enumerate(found)]
        kept = [e for e in state.selected if e.chunk.chunk_id not in rows]
        # the ranking the answer was built from: the listed medicines' indications first, then what the
        # retriever found (the audit's ranked chunks)
        state.evidence = cited + [e for e in state.evidence if e.chunk.chunk_id not in rows]
        state.selection = Selection(cited + kept[: max(0, len(state.selected) - len(cited))], len(cited),
                                    {"mode": "indication_search", "condition": condition})

    def _indication_rows(self, index: SearchIndex) -> np.ndarray:
        with self._lock:
            rows = self._rows.get(index.version)
            if rows is None:
                rows = np.array([i for i, c in enumerate(index.chunks) if c.attribute == "indications"],
                                dtype=np.int64)
                self._rows = {index.version: rows}  # one index version at a time
            return rows

    def search(self, index: SearchIndex, condition: str, aim: Aim = Aim.ANY,
               self_care: bool = False) -> list[Candidate]:
        """Medicines whose indications name the condition, best first, one sentence each; for a prevention
        (or acute) question, those saying that aim first and none saying only the other; for a self-care
        question (asks_self_care), over-the-counter labels first and injected-only ones last."""
        return self.search_listed(index, condition, aim, self_care)[0]

    def search_listed(self, index: SearchIndex, condition: str, aim: Aim = Aim.ANY,
                      self_care: bool = False, drowsy: list[tuple[str, str]] | None = None,
                      ) -> tuple[list[Candidate], list[LeftOut]]:
        """`search`, and the withdrawn medicines it left out whose indications name the condition. With
        `drowsy` (the asker must stay awake: app.pipeline.list_conditions), the medicines whose labels warn of
        drowsiness are left out too, each with its label's sentence appended to it."""
        candidates = self._indication_rows(index)
        if len(candidates) == 0:
            return [], []
        phrases = _phrases(condition)
        top_fit = 0 if aim is Aim.ANY else 1
        text = " ".join([*phrases, *_AIM_SEARCH_WORDS[aim]])
        bm25_rows, _ = index.bm25.search(tokenize(text, text_lang(text)), _POOL, candidates)
        rankings = [list(map(int, bm25_rows))]
        if index.dense is not None and self.embeddings is not None and not has_cjk(condition):
            asked = f"indicated for {_AIM_WORDS[aim].format(condition)}"
            dense_rows, _ = index.dense.search(self.embeddings.get(asked), _POOL, candidates)
            rankings.append(list(map(int, dense_rows)))
        # ((aim fit, self-care tier, how directly, -gap), RRF order, the candidate)
        found: list[tuple[tuple[int, int, int, int], int, Candidate]] = []
        top = (top_fit, OTC_TIER if self_care else 0, DIRECT)
        seen: set[str] = set()
        quoted: set[str] = set()
        left_out: list[LeftOut] = []
        examined = 0
        for order, (row, _score) in enumerate(rrf_fuse(rankings, [1.0] * len(rankings), 60)):
            chunk = index.chunks[row]
            entry = index.medicines.get(chunk.medicine_id)
            name = entry.name if entry is not None else (chunk.title or chunk.medicine_id)
            if chunk.medicine_id in seen or name.casefold() in seen:
                continue
            seen.update({chunk.medicine_id, name.casefold()})
            examined += 1
            enough = sum(how[:3] == top for how, _, _ in found) >= self.max_medicines + 2
            if examined > _MAX_EXAMINED or enough:
                break
            best = self._best_sentence(index, chunk, phrases, frozenset(tokenize(name)), aim)
            if best is None or self._homeopathic(index, chunk.medicine_id):
                continue  # its indications do not say it treats the condition; or a homeopathic product's "uses"
            if drowsy is not None and ((warned := warns_of_drowsiness(
                    index.chunks[int(r)] for r in index.rows_by_medicine.get(chunk.medicine_id, ())))
                    or sedating_antihistamine(f"{name} {chunk.medicine_id}")):
                drowsy.append((name, warned or ""))  # "": an older antihistamine whose label copy lacks the line
                continue
            withdrawal = withdrawal_of(chunk.medicine_id, name)
            if withdrawal is not None:
                left_out.append(LeftOut(name, withdrawal))
                continue
            how, chunk, sentence = best
            quote = _trim(sentence, phrases)
            if quote in quoted:
                continue  # a combination's sentence merged into its ingredient's label says nothing new
            quoted.add(quote)
            tier = self_care_tier(entry.routes, entry.product_type) if self_care and entry is not None else 0
            found.append(((how[0], tier, how[1], how[2]), order, Candidate(chunk.medicine_id, name, chunk, quote)))
        # the asked aim said before neither said; what the asker can take themselves first (a self-care
        # question); named directly before named in a list
        found.sort(key=lambda f: (-f[0][0], -f[0][1], -f[0][2], -f[0][3], f[1]))
        if self_care and sum(f[0][1] > INJECTED_TIER for f in found) >= _ENOUGH_TO_TAKE:
            # "what can I give my child for a fever?": filgrastim's "duration of fever" after chemotherapy is no
            # answer beside medicines they can take
            found = [f for f in found if f[0][1] > INJECTED_TIER]
        return [c for _, _, c in found[: self.max_medicines]], left_out

    def _homeopathic(self, index: SearchIndex, medicine_id: str) -> bool:
        with self._lock:
            known = self._homeopathy.get((index.version, medicine_id))
        if known is None:
            rows = index.rows_by_medicine.get(medicine_id, np.array([], dtype=np.int64))
            known = is_homeopathic([index.chunks[int(r)].text for r in rows])
            with self._lock:
                if len(self._homeopathy) > _MEMO_LIMIT:
                    self._homeopathy.clear()
                self._homeopathy[(index.version, medicine_id)] = known
        return known

    @staticmethod
    def _best_sentence(index: SearchIndex, first: Chunk, phrases: list[str], names: frozenset[str],
                       aim: Aim = Aim.ANY) -> tuple[tuple[int, int, int], Chunk, str] | None:
        """The sentence of the medicine's indications that most directly says it treats the condition, with
        how directly: the retrieved chunk first, then the section's other chunks."""
        rows = index.rows_by_medicine.get(first.medicine_id, np.array([], dtype=np.int64))
        chunks = [first, *(c for r in rows if (c := index.chunks[int(r)]).attribute == "indications"
                           and c.chunk_id != first.chunk_id)]
        best: tuple[tuple[int, int, int], Chunk, str] | None = None
        for chunk in chunks:
            found = _matching_sentence(chunk.text, phrases, names, aim)
            if found is not None and (best is None or found[0] > best[0]):
                best = (found[0], chunk, found[1])
                if found[0] == (0 if aim is Aim.ANY else 1, DIRECT, 0):
                    break
        return best

    def cautions(self, index: SearchIndex, found: list[Candidate], taking: list[str]) -> list[Caution]:
        """For each listed medicine and each one taken, what the taken one's label says of the listed one, else
        what the listed one's label says of the taken one (its class counts: warfarin's "NSAIDs" for ibuprofen)."""
        if self.named_in is None:
            return []
        out: list[Caution] = []
        for c in found:
            for taken in taking:
                said: tuple[Chunk, str] | None = None
                for label in _labels_of(index, c.medicine_id):
                    found_here = self.named_in(index, taken, label) or self.named_in(index, label, taken)
                    if found_here is not None and (said is None or _LIST_ITEM.match(said[1])):
                        said = found_here  # a Drug Facts list item cut from its lead gives way to a whole sentence
                if said is not None:
                    out.append(Caution(c.medicine_id, taken, said[0], said[1]))
        return out

    @staticmethod
    def absent_cautions(index: SearchIndex, found: list[Candidate], absent: list[str]) -> list[Caution]:
        """For a product the user takes that the database lacks ("lithium"): what each listed medicine's label
        says of it by name."""
        out: list[Caution] = []
        for name in absent:
            # a brand the database lacks ("Priadel", named "Priadel (lithium)"): the labels name its generic
            bare = name.split(" (")[0]
            generic = drug_synonyms().get(bare.casefold(), "")
            said = _name_said(f"{bare}|{generic}" if generic and "," not in generic and " and " not in generic
                              else bare)
            if said is None:
                continue
            for c in found:
                for label in _labels_of(index, c.medicine_id):
                    found_in = named_in_label(said, (index.chunks[int(r)]
                                                     for r in index.rows_by_medicine.get(label, ())))
                    if found_in is not None:
                        out.append(Caution(c.medicine_id, name, found_in[0], found_in[1]))
                        break
        return out

    @staticmethod
    def population_cautions(index: SearchIndex, found: list[Candidate], populations: list[str]) -> list[Caution]:
        """For a list asked by someone pregnant or breastfeeding: what each listed medicine's label says of it."""
        out: list[Caution] = []
        for c in found:
            for population in populations:
                said = population_sentence(population, (index.chunks[int(r)]
                                                        for r in index.rows_by_medicine.get(c.medicine_id, ())))
                if said is not None:
                    out.append(Caution(c.medicine_id, population, said[0], said[1]))
        return out

    @staticmethod
    def answer(condition: str, found: list[Candidate], left_out: list[LeftOut] | None = None,
               aim: Aim = Aim.ANY, cautions: list[Caution] | None = None,
               names: dict[str, str] | None = None, drowsy: list[tuple[str, str]] | None = None) -> ReadResult:
        zh = has_cjk(condition)
        for_what = condition if zh else _AIM_WORDS[aim].format(framed_condition(condition))
        withdrawn = _withdrawn_line(left_out or [], zh)
        audit: dict[str, Any] = {"indication_search": condition, "candidates": len(found)}
        if left_out:
            audit["withdrawn_left_out"] = [w.name for w in left_out]
        if not found:
            text = (f"数据库中没有适应症提到“{condition}”的药品。" if zh else
                    f"No medicine in the database has indications that mention {for_what}.")
            return ReadResult("\n".join([text, *withdrawn]), [], Status.NO_EVIDENCE, audit=audit)
        listed = ("、" if zh else ", ").join(f"{c.name} [{n}]" for n, c in enumerate(found, 1))
        head = (f"数据库中适应症提到“{condition}”的药品：{listed}。" if zh else
                f"Medicines in the database indicated for {for_what}: {listed}.")
        lines = [head, *(f"[{n}] {c.name}: \"{c.quote}\"" for n, c in enumerate(found, 1))]
        listed_names = {c.medicine_id: c.name for c in found}
        label_names = {**listed_names, **(names or {})}
        cited_cautions: list[Citation] = []
        for group in _same_sentence(cautions or []):
            caution = group[0]
            n = len(found) + len(cited_cautions) + 1
            listed = _joined([listed_names[c.listed] for c in group], zh)
            taken = label_names.get(caution.taken, caution.taken)
            source = label_names.get(caution.chunk.medicine_id) or caution.chunk.title or caution.chunk.medicine_id
            if caution.taken in POPULATIONS:
                lines.append(f"[{n}] {listed}，{_ZH_POPULATIONS[caution.taken]}：说明书写道：\"{caution.quote}\"" if zh
                             else f"[{n}] {listed} in {_EN_POPULATIONS.get(caution.taken, caution.taken)}: "
                                  f"its label says: \"{caution.quote}\"")
            else:
                lines.append(f"[{n}] {listed}，与{taken}同用：{source}的说明书写道：\"{caution.quote}\"" if zh else
                             f"[{n}] {listed} with {taken}: {source}'s label says: \"{caution.quote}\"")
            cited_cautions.append(Citation(caution.chunk.medicine_id, caution.chunk.attribute, caution.chunk.chunk_id,
                                           caution.quote, n))
        if drowsy:
            lines.append(("未列出可能引起嗜睡的药品：" if zh else
                          "Left out because they may cause drowsiness: ")
                         + ("；" if zh else "; ").join(_drowsy_reason(name, sentence, zh) for name, sentence in drowsy))
        lines += withdrawn
        lines.append("这只是说明书中的适应症，不是用药建议；请咨询医生或药师哪一种适合您。" if zh else
                     "This lists what the labels say they treat; it is not a recommendation. Ask a pharmacist "
                     "or doctor which one suits you.")
        citations = [Citation(c.medicine_id, "indications", c.chunk.chunk_id, c.quote, n)
                     for n, c in enumerate(found, 1)] + cited_cautions
        if cautions:
            audit["cautions"] = [{"listed": c.listed, "taken": c.taken, "label": c.chunk.medicine_id}
                                 for c in cautions]
        return ReadResult("\n".join(lines), citations, Status.ANSWERED, audit=audit)


_LIST_ITEM = re.compile(r"(?:take|have|are|use|had|get)\b", re.IGNORECASE)


def _same_sentence(cautions: list[Caution]) -> list[list[Caution]]:
    """Cautions quoting one sentence of one label for the same taken medicine, as one group each, in order:
    fluoxetine's serotonin-syndrome sentence is said once for the four triptans listed, not four times."""
    groups: dict[tuple[str, str, str], list[Caution]] = {}
    for caution in cautions:
        groups.setdefault((caution.taken, caution.chunk.chunk_id, caution.quote), []).append(caution)
    return list(groups.values())


def _joined(names: list[str], zh: bool) -> str:
    if zh:
        return "、".join(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _labels_of(index: SearchIndex, medicine_id: str) -> list[str]:
    """The medicine's label, then its prescription label when it is the OTC one of the same ingredients (the
    corpus names it "<id>-otc"): ibuprofen's prescription label speaks of lithium, its Drug Facts do not."""
    prescription = medicine_id.removesuffix("-otc")
    return [medicine_id, prescription] if prescription != medicine_id and prescription in index.medicines \
        else [medicine_id]


def _name_said(name: str) -> re.Pattern[str] | None:
    """A product's name as the user said it, as a whole-word pattern (its first two words for a long name);
    "Priadel|lithium": either name."""
    said = []
    for alternative in name.split("|"):
        words = re.findall(r"[a-z0-9]+", alternative.casefold())
        if words and len(words[0]) >= 4:
            said.append(r"\W+".join(map(re.escape, words[:2])))
    return re.compile(r"\b(?:" + "|".join(said) + r")\b", re.IGNORECASE) if said else None


_ZH_POPULATIONS = {"pregnancy": "孕期用药", "breastfeeding": "哺乳期用药", "children": "儿童用药",
                   "older": "老年人用药"}
_EN_POPULATIONS = {"older": "older people"}
_AIM_WORDS = {Aim.ANY: "{}", Aim.PREVENTION: "the prevention of {}", Aim.ACUTE: "the acute treatment of {}"}
# The words labels write an aim with, searched beside the condition so their indications are in the pool.
_AIM_SEARCH_WORDS: dict[Aim, tuple[str, ...]] = {Aim.ANY: (), Aim.PREVENTION: ("prophylaxis", "preventive",
                                                                             "prevention"),
                                                 Aim.ACUTE: ("acute",)}
_ZH_PLACES = {"US": "美国"}


def _zh_place(where: str) -> str:
    return _ZH_PLACES.get(where, where)


def _withdrawn_line(left_out: list[LeftOut], zh: bool) -> list[str]:
    """One line naming the withdrawn medicines left out of the list, with where and when."""
    if not left_out:
        return []
    if zh:
        said = "、".join(f"{w.name}（{w.withdrawal.year}年已在{_zh_place(w.withdrawal.where)}撤市）" for w in left_out)
        return [f"未列出已撤市的药品：{said}。"]
    said = ", ".join(f"{w.name} (withdrawn from the {w.withdrawal.where} market in {w.withdrawal.year})"
                     for w in left_out)
    return [f"Not listed, though its label names it: {said}."]


def _drowsy_reason(name: str, sentence: str, zh: bool) -> str:
    """Why a medicine was left out of a list for someone who must stay awake: its label's sentence, or that it is
    an older antihistamine whose label copy here lacks the drowsiness line."""
    if sentence:
        return f"{name} (\"{sentence}\")"
    return (f"{name}（第一代抗组胺药，会引起嗜睡；本数据库中的说明书缺少这一警告）" if zh else
            f"{name} (an older antihistamine, which causes drowsiness; the database's copy of its label lacks "
            "that warning)")
