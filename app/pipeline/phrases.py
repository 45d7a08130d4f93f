"""The service's own words in an answer, per language: lead lines, status messages and notices. A question in
Chinese gets them in Chinese; quotes stay in the language of the label they come from.

English phrases live where they are composed (app.pipeline.compose, read, app.records.mag); this table holds
the Chinese ones and the section names in Chinese.
"""

from __future__ import annotations

from typing import Literal

from indexing.vocabulary import text_lang

Language = Literal["en", "zh"]

SECTION_ZH: dict[str, str] = {
    "indications": "适应症",
    "dosage": "用法用量",
    "dosage_forms": "规格与剂型",
    "contraindications": "禁忌",
    "warnings": "注意事项",
    "boxed_warning": "黑框警告",
    "adverse_reactions": "不良反应",
    "interactions": "药物相互作用",
    "pregnancy": "孕妇用药",
    "lactation": "哺乳期用药",
    "pediatric": "儿童用药",
    "geriatric": "老年用药",
    "specific_populations": "特殊人群用药",
    "overdosage": "药物过量",
    "description": "成份与性状",
    "pharmacology": "药理作用",
    "storage": "贮藏",
    "patient_counseling": "患者须知",
    "other": "其他",
}

_SOURCE_ZH = {"dailymed": "DailyMed ", "openfda": "openFDA ", "nmpa": "国家药监局"}

NO_EVIDENCE_ZH = "药品数据库中没有能回答这个问题的内容。"
IMPORTANT_ZH = "重要："
OPEN_SEARCH_LEAD_ZH = "药品数据库中的相关内容："


def language_of(question: str) -> Language:
    """The language an answer is framed in: Chinese when the question has Chinese characters."""
    return text_lang(question)


def section_zh(attribute: str) -> str:
    return SECTION_ZH.get(attribute, attribute.replace("_", " "))


def _listed(items: list[str]) -> str:
    items = list(dict.fromkeys(items))
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + "和" + items[-1]


def lead_line_zh(name: str, source: str, attributes: list[str], missing: str | None) -> str:
    """'华法林钠片（国家药监局说明书），药物相互作用：' — the label's name as the label writes it."""
    where = _SOURCE_ZH.get(source.split(":", 1)[0].casefold(), "")
    label = f"{name}（{where}说明书）"
    listed = _listed([section_zh(a) for a in attributes])
    if missing:
        return f"{label}：说明书中没有{section_zh(missing)}部分；其{listed}部分写道："
    return f"{label}，{listed}："


def unknown_drug_zh(names: list[str]) -> str:
    said = list(dict.fromkeys(names))
    # (叶黄素 said again after 叶黄素软胶囊: one product)
    listed = "、".join(n for n in said if not any(n != other and n in other for other in said))
    return f"药品数据库中没有{listed}，无法根据其说明书回答。请咨询药师或医生。"


def not_in_database_zh(names: list[str]) -> str:
    return f"数据库中没有：{'、'.join(dict.fromkeys(names))}。"


# The relatives whose medicines a clarify question names ("your mother's Apixaban": 您母亲的Apixaban).
PERSON_ZH = {
    "wife": "妻子", "husband": "丈夫", "daughter": "女儿", "son": "儿子", "mother": "母亲", "father": "父亲",
    "grandmother": "祖母", "grandfather": "祖父", "sister": "姐妹", "brother": "兄弟", "aunt": "阿姨",
    "uncle": "叔叔", "niece": "侄女", "nephew": "侄子", "granddaughter": "孙女", "grandson": "孙子",
    "girlfriend": "女朋友", "boyfriend": "男朋友",
}


def whose_zh(person: str, name: str) -> str:
    return f"您{PERSON_ZH.get(person, person)}的{name}"


def clarify_zh(names: list[str]) -> str:
    if len(names) < 2:
        return f"您说的是{''.join(names)}吗？"
    return f"您说的是哪一种药：{'、'.join(names[:-1])}还是{names[-1]}？"


def missing_sections_zh(missing: list[tuple[str, str]]) -> str:
    listed = "；".join(f"{name}的说明书没有{section_zh(a)}部分" for name, a in missing)
    return f"药品数据库中，{listed}。"


# A relative as the conversation context names them (app.pipeline.context) -> Chinese.
_PERSON_ZH = {
    "mother": "您母亲", "father": "您父亲", "wife": "您妻子", "husband": "您丈夫",
    "son": "您儿子", "daughter": "您女儿", "grandmother": "您祖母", "grandfather": "您祖父",
    "sister": "您姐妹", "brother": "您兄弟", "aunt": "您阿姨", "uncle": "您叔叔",
    "child": "您孩子", "niece": "您侄女", "nephew": "您侄子", "granddaughter": "您孙女",
    "grandson": "您孙子", "girlfriend": "您女朋友", "boyfriend": "您男朋友",
}


def partners_zh(recorded: list[str], said: list[str], person: tuple[str | None, str | None] | None = None,
                unchecked: list[str] | None = None) -> str:
    """`person`: whose the said medicines are when not the user's ((person, gender), as app.records.mag has it);
    `unchecked`: recorded medications the database has no label for."""
    parts = []
    if recorded:
        parts.append(f"已与患者记录中的当前用药核对：{'、'.join(dict.fromkeys(recorded))}。")
    if said:
        whose = ""
        if person is not None:
            who, gender = person
            whose = _PERSON_ZH.get(who or "") or {"female": "她", "male": "他"}.get(gender or "", "对方")
        parts.append(f"已与您提到{whose}正在服用的药物核对：{'、'.join(dict.fromkeys(said))}。")
    if unchecked:
        parts.append(f"药品数据库中没有以下用药的说明书，未能核对：{'；'.join(unchecked)}。同时服用前请咨询药师。")
    return "".join(parts)


def allergy_zh(items: list[tuple[str, str, bool]]) -> str:
    """items: (allergy as written, medicine name, said in the conversation)."""
    parts = [
        f"{'您提到对' + allergy + '过敏' if said else '患者记录中有过敏史“' + allergy + '”'}，与{name}有关"
        for allergy, name, said in items
    ]
    if not parts:
        return ""
    return "过敏提醒：" + "；".join(parts) + "。未经医生或药师同意，请不要服用。"


# -- a turn that asks nothing of the medicine database (app.pipeline.small_talk) -----------------------------

_SCOPE_EN = ("I answer questions about medicines from their labels: what a medicine is for, how to take it, side "
             "effects, interactions, and use in pregnancy, breastfeeding or children.")
_SMALL_TALK_EN = {
    "greeting": "Hello! " + _SCOPE_EN + " Which medicine would you like to ask about?",
    "thanks": "You're welcome. If you have another question about a medicine, just ask.",
    "farewell": "Take care. Come back any time you have a question about a medicine.",
    "acknowledgement": "Okay. What would you like to know about a medicine?",
    "about_service": "I'm clinqa. " + _SCOPE_EN + " I quote the label I answer from; I don't diagnose.",
    "unrelated": "That is outside what I can help with. " + _SCOPE_EN,
}
_SCOPE_ZH = ("我可以根据药品说明书回答关于药物的问题：适应症、用法用量、不良反应、药物相互作用，"
             "以及孕妇、哺乳期和儿童用药。")
_SMALL_TALK_ZH = {
    "greeting": "您好！" + _SCOPE_ZH + "请问您想了解哪种药？",
    "thanks": "不客气。如果还有关于药物的问题，请随时提问。",
    "farewell": "祝您健康。有关于药物的问题随时再来问。",
    "acknowledgement": "好的。您想了解药物的哪方面？",
    "about_service": "我是 clinqa。" + _SCOPE_ZH + "回答会引用说明书原文；我不做诊断。",
    "unrelated": "这个问题我帮不上忙。" + _SCOPE_ZH,
}


def small_talk_reply(kind: str, names: list[str], language: Language) -> str:
    """The reply to small talk of `kind` (app.pipeline.small_talk.TalkKind); `names`: the medicines the
    conversation is about, which the user can go on asking about."""
    if language == "zh":
        text = _SMALL_TALK_ZH[kind]
        return text + (f"您也可以继续询问{_listed(names)}。" if names else "")
    text = _SMALL_TALK_EN[kind]
    if not names:
        return text
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return f"{text} You can go on asking about {listed}."


def no_child_dose_zh(name: str, age: int | None, pediatric_text: str) -> str:
    """The reader's notice for a child's dose the label does not give (app.pipeline.read_population); the
    use-in-children sentence stays in its label's language."""
    who = _child_zh(age)
    says = f"；其儿童用药部分写道：“{pediatric_text}”" if pediatric_text else ""
    return f"药品数据库中{name}的说明书没有给出{who}的剂量{says}。请向药师或医生咨询给孩子用多少。"


def child_dose_in_table_zh(name: str, age: int | None) -> str:
    """The reader's notice for a child's dose the label gives only in a table the answer cannot quote."""
    who = _child_zh(age)
    return f"药品数据库中{name}的说明书在表格中给出{who}的剂量，本回答无法引用。请向药师或医生咨询给孩子用多少。"


def _child_zh(age: int | None) -> str:
    return "儿童" if age is None else "1岁以下婴儿" if age == 0 else f"{age}岁儿童"
