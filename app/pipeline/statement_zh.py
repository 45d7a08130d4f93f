"""A Chinese message that only states what someone takes ("我爸爸有糖尿病，一直在吃二甲双胍。", "我在吃华法林"): noted
like the English one (app.pipeline.statement), with the acknowledgement in Chinese.

Chinese has no spaces to split words on, so the check strips what a statement is made of (the medicines' names
as said, people, conditions, allergies, taking and time words) and calls it a statement only when nothing but
punctuation and numbers is left; a question mark or a question word anywhere makes it a question.
"""

from __future__ import annotations

import re

_ASKS_ZH = re.compile(r"[?？]|吗|呢|么|什么|怎么|怎样|如何|能否|能不能|可不可以|可以|会不会|是否|多少|几[次片粒天岁个]|"
                      r"哪|为什么|为啥|要不要|行不行|好不好|有没有|是不是|请问|想问|问一下|咨询|注意|副作用|影响|"
                      r"危险|安全|该|应该|需要|必须")
# A dose event ("今天早上吃了两次", "多吃了一片", "吃错了") asks what to do now.
_DOSE_EVENT_ZH = re.compile(r"吃了两次|服了两次|多吃|多服|吃多了|吃错|误服|吃重|重复吃|两倍|双倍|吞了")
_TAKING_ZH = re.compile(r"吃|服|用|打|注射|喷|涂|开了")
_PEOPLE = ("我们|我|他们|他|她|咱们|您|你|家里|家人|妈妈|妈|母亲|爸爸|爸|父亲|老公|丈夫|老婆|妻子|爱人|儿子|女儿|孩子|"
           "宝宝|奶奶|外婆|姥姥|爷爷|外公|姥爷|婆婆|岳母|公公|岳父|哥哥|弟弟|姐姐|妹妹|老人")
_CONDITIONS = ("糖尿病|高血压|高血脂|高血糖|哮喘|慢性肾病|肾病|肾功能不全|肾衰|肝病|肝硬化|脂肪肝|乙肝|痛风|"
               "心脏病|冠心病|心衰|房颤|心律不齐|癫痫|青光眼|胃溃疡|溃疡|甲减|甲亢|抑郁症|焦虑症|失眠|关节炎|骨质疏松|前列腺增生|"
               "怀孕了?|孕妇|哺乳期|在哺乳|在喂奶|型")
_NOTING = ("正在|一直在|一直|长期|每天|每日|天天|每晚|每早|早上|早晨|晚上|睡前|饭后|饭前|空腹|都|也|还|已经|刚刚|刚|"
           "开始|最近|近来|目前|现在|平时|上周|上个月|这周|这个月|今天|昨天|前天|去年|今年|几天|几周|几个月|多年|年|"
           "个月|周|天|前|后|以来|了|的|在|吃|服|服用|用|使用|打|注射|喷|涂|医生|大夫|给|开|开了|让|叫|换成|换|改成|改|"
           "片|粒|颗|支|次|一|两|二|三|毫克|克|有|患有|患|得了|和|跟|与|及|还有|对|过敏|药|这个|一种|一粒|一片|高|"
           "说|被|诊断|确诊|为")
_STATEMENT_PARTS = re.compile(f"(?:{_PEOPLE}|{_CONDITIONS}|{_NOTING})")
_RESIDUE_OK = re.compile(r"[\s\d.,，。、；;！!：:（）()~～\-mgMG]*")


def bare_statement_zh(message: str, names: list[str]) -> bool:
    """Whether a Chinese message only states what is taken (the medicines `names`, as said) and asks nothing."""
    # a name alone ("二甲双胍") asks about the medicine; a statement says someone takes it
    if not names or _ASKS_ZH.search(message) or _DOSE_EVENT_ZH.search(message) or not _TAKING_ZH.search(message):
        return False
    text = message
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    text = _STATEMENT_PARTS.sub(" ", text)
    return _RESIDUE_OK.fullmatch(text) is not None


# The Chinese word for a relative as app.pipeline.context.person_named gives it in English.
_PERSON_ZH = {"mother": "妈妈", "father": "爸爸", "husband": "老公", "wife": "妻子", "son": "儿子", "daughter": "女儿",
              "grandmother": "奶奶", "grandfather": "爷爷", "mother-in-law": "婆婆", "father-in-law": "公公",
              "brother": "兄弟", "sister": "姐妹", "relative": "家人"}


def noted_reply_zh(groups: list[tuple[str | None, list[str]]]) -> str:
    """"已记下：您爸爸在用二甲双胍。…": the medicines per person (None: the user), names as the database gives them."""
    said = "，".join(f"{'您' + _PERSON_ZH.get(who, '家人') if who else '您'}在用{'和'.join(names)}"
                    for who, names in groups)
    return f"已记下：{said}。您想了解什么？例如怎么服用、有哪些副作用，或能否与其他药物同用。"
