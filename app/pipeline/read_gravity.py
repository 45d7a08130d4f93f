"""Questions about how grave a medicine's risks are ("is warfarin dangerous?", "any serious risks with Plavix?",
"what's the worst that can happen on isotretinoin?", "levaquin black box?").

Such a question is answered by the label's boxed warning, whatever section its words suggested to the intent
prior (side effects for "dangerous", the indications for "anything serious I need to know?"): the box is
where a label puts the risks it judges gravest. A label without one answers from its warnings, where serious
reactions are described, rather than from the incidence lists of its side effects.
"""

from __future__ import annotations

import re

_GRAVE = re.compile(
    r"\bdanger(?:s|ous)?\b|\brisky\b|\bhow (?:safe|risky)\b|"
    r"\b(?:serious|big|biggest|major|main|real|worst|scary|important) (?:\w+ )?"
    r"(?:risks?|dangers?|concerns?|warnings?)\b|"
    r"\bworst (?:thing|case|side|that)\b|\blife[- ]threatening\b|\bdeadly\b|\bfatal\b|\bkill (?:me|you|him|her)\b|"
    r"\bblack[- ]?box(?:ed)?\b|\bboxed warnings?\b|\banything (?:really |very |too )?serious\b|"
    # "Pharmacist said it's not a daily pill. Why is that such a big deal?"
    r"\b(?:such a |so much of a |a )?big deal\b|"
    r"\bserious(?:ly)? (?:harm|hurt|damage)\b|\bharmful\b|"
    r"\b(?:bad for|hurt|damage|harm) (?:my|your|his|her|the|our) (?:heart|liver|kidneys?|health|body|lungs?|brain)\b|"
    # an organ the user fears for: "is that safe for his heart?" (the label's gravest risks to it, not a child's dose)
    r"\b(?:un)?safe for (?:my|your|his|her|their|our) (?:heart|liver|kidneys?|lungs?|brain)\b",
    re.IGNORECASE,
)
# The same asked in Chinese: "布洛芬危险吗？", "有什么风险？", "严重的副作用". "安全吗" alone ("布洛芬安全吗？") asks it
# too, but said of a person, a time, a dose or another medicine ("孕妇吃安全吗", "和酒一起安全吗") it asks that topic.
_GRAVE_ZH = re.compile(r"危险|有(?:什么|哪些|没有)(?:严重的?|大的?)?风险|风险(?:大|高)|"
                       r"严重(?:的)?(?:副作用|不良反应|后果)|黑框|致命|会死")
_SAFE_ZH = re.compile(r"安全吗|安不安全|安全不|安全么|安全嘛")
_OTHER_TOPIC_ZH = re.compile(r"孕|怀|哺乳|喂奶|母乳|孩子|儿童|小孩|宝宝|婴|岁|老人|老年|一起|同时|合用|一块|酒|"
                             r"剂量|多少|多久|长期|开车|驾驶|肝|肾|心脏|血压|糖尿病|哮喘|过敏|和|跟|与")
# A general question about what to be careful of ("anything I should watch out for with allopurinol?", "what
# should I know before starting methotrexate?"): its answer starts with the label's gravest statement.
_CAUTIONS = re.compile(
    r"\bwatch (?:out )?for\b|\blook out for\b|\bbe (?:aware|careful|worried)\b|\bprecautions?\b|"
    # a clinician's "anything to counsel re: training?"
    r"\banything to (?:counsel|know|mention|flag)\b|\bcounsel(?:ling|ing)? (?:re|about|on)\b|"
    r"\b(?:should|need to|must|ought to) (?:i |we |he |she |they )?(?:know|be aware)\b|\bwhat to watch\b|"
    # its warnings in general, none named: "what warnings are on it?", "what are the warnings?", "any warnings?"
    r"\b(?:what|which|any) (?:are )?(?:the |its )?warnings\b(?! (?:about|for|on|with) (?!(?:it|this|that|them)\b))|"
    # its risks in general, not one named: "what are the risks of taking metformin?", not "... risk of bleeding?"
    r"\b(?:what are|are there|any|what's|whats) (?:the |any )?(?:main |big |major )?risks?\b"
    r"(?!\s+(?:of|for)\s+(?!(?:taking|using|being on|starting|it|this|that)\b))",
    re.IGNORECASE,
)
# The sections an intent prior gives such a question that a boxed warning answers better; an asked
# interaction, dose, pregnancy or storage keeps its own section; "dangerous for teenagers?" reads the box too.
GRAVE_ASKS = (None, "indications", "adverse_reactions", "warnings", "boxed_warning", "description", "pediatric",
              "geriatric", "specific_populations")

# What answers such a question besides the box: the label's other statements of serious risk.
GRAVE_SECTIONS = frozenset({"boxed_warning", "warnings", "contraindications"})


def asks_gravity(question: str) -> bool:
    """Whether the question asks how dangerous the medicine is, or its boxed warning by name."""
    if _GRAVE.search(question) is not None or _GRAVE_ZH.search(question) is not None:
        return True
    return _SAFE_ZH.search(question) is not None and _OTHER_TOPIC_ZH.search(question) is None


def asks_cautions(question: str) -> bool:
    """Whether the question asks in general what to be careful of with the medicine."""
    return _CAUTIONS.search(question) is not None


def gravest_section(asked: str | None, sections: frozenset[str]) -> str | None:
    """The section that answers a question about a medicine's gravest risks, given the section it was sent to and
    the sections its label has: the boxed warning, else the warnings; None keeps the asked one."""
    if asked not in GRAVE_ASKS or asked == "boxed_warning":
        return None  # an asked box the label lacks is said to be missing
    for section in ("boxed_warning", "warnings"):
        if section in sections:
            return section if section != asked else None
    return None


def cautions_section(asked: str | None, sections: frozenset[str]) -> str | None:
    """The section that answers a general question about what to watch out for, when the question was sent to
    no section or to what the medicine is for: its warnings (None keeps the asked one)."""
    if asked in (None, "indications", "description") and "warnings" in sections:
        return "warnings"
    return None


# Whether it is safe to drive or work machines on it ("Is it ok to drive to work after my morning dose?"): the
# warnings say, not the dose lines the words "morning dose" sent the question to.
_DRIVING = re.compile(r"(?<!sex )\bdriv(?:e|ing)\b|\b(?:behind|at) the wheel\b|\boperat\w* (?:heavy )?machinery\b|"
                      r"\b(?:lathe|fork-?lift|crane|digger|excavator|chainsaw|power tools?)\b|"
                      r"\b(?:delivery|lorry|truck|van|taxi|cab|bus|hgv|uber) drivers?\b|"
                      r"\bdo my (?:delivery )?(?:route|round)",
                      re.IGNORECASE)
DRIVING_ASKS = (None, "dosage", "indications", "description", "adverse_reactions")


def driving_section(question: str, asked: str | None, sections: frozenset[str]) -> str | None:
    """The section that answers whether one may drive on the medicine, when the question was sent to its dosing,
    its side effects ("does it make you drowsy, can I drive?"), what it is for, or no section: its warnings (None
    keeps the asked one)."""
    if asked in DRIVING_ASKS and _DRIVING.search(question) is not None and "warnings" in sections:
        return "warnings"
    return None


# A safety section the question names in so many words. Said beside a child or an old person ("my son takes
# aripiprazole, what warnings are on it?") the population's words sent it to the children's section; the named
# section answers (the child's words still steer the ranking within it).
_NAMED_SECTIONS = (
    ("boxed_warning", re.compile(r"\bblack[- ]?box|\bboxed warnings?\b", re.IGNORECASE)),
    ("contraindications", re.compile(r"\bcontra-?indicat", re.IGNORECASE)),
    ("interactions", re.compile(r"\b(?:drug )?interact(?:ions?|s)?\b", re.IGNORECASE)),
    # plural: "why does it have a warning about dementia?" asks about its boxed warning
    ("warnings", re.compile(r"\bwarnings\b|\bprecautions\b", re.IGNORECASE)),
    ("adverse_reactions", re.compile(r"\bside[- ]?effects?\b|\badverse (?:reactions?|effects?)\b", re.IGNORECASE)),
)
POPULATION_ASKS = ("pediatric", "geriatric")


def named_section(question: str, asked: str | None, sections: frozenset[str]) -> str | None:
    """The safety section the question names, when its population sent it to the children's or the elderly's
    section and the label has the named one (None keeps the asked one)."""
    if asked not in POPULATION_ASKS:
        return None
    return next((section for section, pattern in _NAMED_SECTIONS
                 if section in sections and pattern.search(question) is not None), None)
