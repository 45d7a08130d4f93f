"""Conditions and populations a Chinese turn states (我怀孕了, 我有哮喘, 肾不好, 孩子5岁), as the conversation
context's English patterns find them in English turns (`app.pipeline.context`): the same kinds, so a
Chinese conversation's stated conditions fill a section the question leaves open, as an English one's do.
A condition said not to be there (我没有哮喘, 不是孕妇) is not stated.
"""

from __future__ import annotations

import re

from app.pipeline.zh_script import to_simplified

# kind (the context's condition kinds) -> what a Chinese turn says for it.
ZH_CONDITIONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((kind, re.compile(p)) for kind, p in (
    ("pregnant", r"怀孕|孕妇|妊娠|孕期|备孕|怀上|懷孕|孕婦|怀了?(宝宝|孩子|二胎)|"
                 r"(?:打算|准备|计划|想)[^，。,.？?]{0,4}要(?:二胎|孩子|宝宝)|孕[0-9一二三四五六七八九十两]+(周|个月)|有了身孕"),
    ("breastfeeding", r"哺乳|喂奶|母乳|喂着奶"),
    ("asthma", r"哮喘|慢阻肺"),
    ("kidney_disease", r"肾(不好|功能|衰|病|炎|脏病|脏不好)|透析|尿毒症"),
    ("liver_disease", r"肝(不好|功能|病|硬化|炎|脏病|脏不好)|乙肝|脂肪肝|转氨酶(高|偏高)"),
    ("diabetes", r"糖尿病|血糖高|血糖偏高"),
    ("heart_disease", r"心衰|心力衰竭|心脏衰竭|心功能不全|心脏病|心梗|心肌梗|房颤|心律不齐|冠心病"),
    ("hypertension", r"高血压|血压高|血压偏高|血压有点高"),
    ("gout", r"痛风"),
    ("glaucoma", r"青光眼"),
    ("myasthenia_gravis", r"重症肌无力"),
    ("epilepsy", r"癫痫|羊癫疯|羊角风"),
    ("ulcer", r"(胃|十二指肠|消化性)?溃疡|胃出血"),
    ("prostate", r"前列腺(增生|肥大)"),
))
# 没有哮喘, 不是孕妇, 没怀孕, 无糖尿病: said not to be there.
_NEGATED = re.compile(r"(没有|没|不是|并非|无|不)$")
_NEGATION_REACH = 3

_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# 孩子5岁, 三岁的孩子, 宝宝8个月, 十一岁: an age, said of a child (under 18).
_AGE = re.compile(r"([0-9]{1,2}|[一二两三四五六七八九十]{1,3})(?:周)?(岁|个月)")
_BABY = re.compile(r"宝宝|婴儿|孩子|小孩|娃|儿子|女儿")
_DURATION = re.compile(r"(孕|怀|吃了?|用了?|服了?|打了?|已经|快|有|了)$")

# Whose condition: a relative (我爸, 孩子, 老婆, 他/她), someone else (朋友, 同事), else the speaker.
_RELATIVE = re.compile(r"爸|妈|父亲|母亲|老公|老婆|丈夫|妻子|爱人|孩子|儿子|女儿|宝宝|小孩|奶奶|爷爷|外婆|外公|姥姥|"
                       r"姥爷|婆婆|公公|岳母|岳父|哥|姐|弟|妹|(?<!其)[他她]")
_OTHER = re.compile(r"朋友|同事|邻居|同学|领导")


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _NUMERALS.get(text[1:], 0)
    if text.endswith("十"):
        return _NUMERALS.get(text[0], 0) * 10
    if "十" in text:
        tens, ones = text.split("十", 1)
        return _NUMERALS.get(tens, 0) * 10 + _NUMERALS.get(ones, 0)
    return _NUMERALS.get(text)


def zh_conditions_in(clause: str) -> list[tuple[str, str]]:
    """(kind, what was said) for each condition the clause states, in the context's kinds; a child's age as
    ("child_age", "5")."""
    out: list[tuple[str, str]] = []
    clause = to_simplified(clause)
    for kind, pattern in ZH_CONDITIONS:
        for found in pattern.finditer(clause):
            before = clause[max(0, found.start() - _NEGATION_REACH):found.start()]
            if not _NEGATED.search(before):
                out.append((kind, found.group(0)))
                break
    for found in _AGE.finditer(clause):
        years = _number(found.group(1))
        if years is None:
            continue
        if found.group(2) == "岁":
            if years < 18:
                out.append(("child_age", str(years)))
            continue
        # months: a baby's age (宝宝8个月, 8个月大), not how long (怀孕三个月, 吃了一个月)
        after = clause[found.end():found.end() + 1]
        if _DURATION.search(clause[:found.start()]) or not (after == "大" or _BABY.search(clause)):
            continue
        out.append(("child_age", f"{years} months"))
    return out


def zh_owner(clause: str) -> str | None:
    """Whose condition a Chinese clause states: "relative", "other", or None (the speaker, or nobody named)."""
    clause = to_simplified(clause)
    if _OTHER.search(clause):
        return "other"
    if _RELATIVE.search(clause):
        return "relative"
    return None


# What the reader's condition patterns (app.pipeline.read_cues) recognise, for each kind said in Chinese.
_ENGLISH_KIND = {
    "asthma": "asthma", "breastfeeding": "breastfeeding", "pregnant": "pregnant", "kidney_disease": "kidney disease",
    "liver_disease": "liver disease", "heart_disease": "heart disease", "diabetes": "diabetes",
    "epilepsy": "epilepsy", "glaucoma": "glaucoma", "gout": "gout", "ulcer": "ulcer", "prostate": "prostate",
    "myasthenia_gravis": "myasthenia gravis", "hypertension": "high blood pressure",
}
# Situations and populations that are not a health condition of the speaker, so no negation to honour.
_ZH_SITUATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    # (not a child wanted: 要孩子, 生孩子, 怀了宝宝 are a pregnancy planned)
    (re.compile(r"儿童|小孩|(?<![要生怀个])孩子|婴儿|婴幼儿|幼儿|(?<![要生怀个])宝宝|小儿|未成年|青少年|新生儿"),
     "child"),
    (re.compile(r"老人|老年|上了年纪|年纪大"), "elderly"),
    (re.compile(r"开车|驾驶|驾车|操作机器"), "driving"),
    (re.compile(r"喝酒|饮酒|喝了酒|酒精|啤酒|白酒|红酒"), "alcohol"),
    (re.compile(r"多(吃|服|用)了(一|1|两|2)?(次|顿|片|粒)|(吃|服)了双倍|吃了两(次|遍)"), "took too much"),
    (re.compile(r"突然停|停药|停掉"), "stopping"),
)
_CLAUSE_END = re.compile(r"[。！？；，,.!?;\n]")
_HEART_FAILURE = re.compile(r"心衰|心力衰竭|心脏衰竭|心功能不全")


def english_condition_words(text: str) -> str:
    """The conditions, populations and situations a Chinese text states, in the English words the reader's
    condition patterns know ("我怀孕了" -> "pregnant", "孩子5岁" -> "5 year old"); negated ones left out."""
    text = to_simplified(text)
    words: list[str] = []
    for clause in _CLAUSE_END.split(text):
        for kind, said in zh_conditions_in(clause):
            if kind == "child_age":
                words.append(f"{said.split()[0]} month old" if "month" in said else f"{said} year old")
            elif kind == "heart_disease" and _HEART_FAILURE.search(said):
                words.append("heart failure")  # 心衰: cilostazol's "contraindicated in heart failure"
            elif kind in _ENGLISH_KIND:
                words.append(_ENGLISH_KIND[kind])
    words.extend(english for pattern, english in _ZH_SITUATIONS if pattern.search(text))
    words.extend(f"allergic to {_ALLERGEN_WORDS[found.group(1) or found.group(2)]}"
                 for found in _ZH_ALLERGY_TO.finditer(text))
    return ". ".join(dict.fromkeys(words))


# An allergy to a class labels name in their contraindications ("我对磺胺类药过敏": celecoxib's "allergic-type
# reactions to sulfonamides"), in the English the reader's condition patterns know.
_ALLERGEN_WORDS = {"磺胺": "sulfa", "青霉素": "penicillin", "头孢": "cephalosporins", "阿司匹林": "aspirin"}
_ZH_ALLERGY_TO = re.compile(r"对(磺胺|青霉素|头孢|阿司匹林)|"
                            r"(磺胺|青霉素|头孢|阿司匹林)[^，。！？,.!?]{0,6}(?:过敏|皮试阳性)")


# "我青霉素过敏", "阿莫西林过敏的人", "有磺胺类过敏史", "青霉素皮试阳性": an allergen said before 过敏 without 对
# (app.pipeline.context reads 对X过敏). Not an allergic reaction to something taken ("吃了阿莫西林过敏了怎么办"),
# nor a question whether something causes one ("阿莫西林会过敏吗"): those ask about the medicine.
_ALLERGY_BEFORE = re.compile(
    r"(?:^|(?<=[，。、,.;；!！?？\s]))([^，。、,.;；!！?？\s]{2,16}?)(?:类药物|药物|类药|类|药)?"
    r"(?:过敏(?!了|怎么办|反应|症状|的症状|的表现|吗)|皮试(?:是)?阳性)")
_ALLERGY_SPEAKER = re.compile(r"^(?:(?:我|他|她)?(?:爸爸|妈妈|爸|妈|父亲|母亲|老公|老婆|儿子|女儿|孩子|宝宝)|"
                              r"我|他|她|本人|是|有|对|以前|之前)+")
_NOT_AN_ALLERGEN = re.compile(r"吃|用|服|打|喝|涂|抹|会|容易|引起|导致|造成|让|怎么|是否|抗|不|"
                              # "鼻子过敏一直打喷嚏", "季节性过敏", "花粉过敏": hay fever, the body part or season it
                              # strikes, no allergen a label contraindicates
                              r"鼻|皮肤|眼|季节|花粉|尘螨|换季|春天|秋天")


def zh_allergens(clause: str) -> list[str]:
    """What a Chinese clause says someone is allergic to, when said before 过敏 or a positive skin test (the
    speaker and 对/有 left off): "我青霉素过敏" -> 青霉素; "有磺胺类过敏史" -> 磺胺."""
    out: list[str] = []
    for found in _ALLERGY_BEFORE.finditer(to_simplified(clause)):
        # "阿莫仙对青霉素过敏的人能吃吗": what follows 对 is the allergen, what comes before it is asked about
        allergen = _ALLERGY_SPEAKER.sub("", found.group(1).rpartition("对")[2])
        if len(allergen) >= 2 and not _NOT_AN_ALLERGEN.search(allergen):
            out.append(allergen.casefold())
    return out
