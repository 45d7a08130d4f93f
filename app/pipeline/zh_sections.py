"""Which label sections a Chinese question asks about, by topic: the populations (孕妇, 哺乳, 孩子, 老人, 肾不好)
and the situations (喝酒, 开车, 漏服, 多吃了一次, 饭前饭后, 突然停药, a symptom after taking it, 功效) that
labels answer in known places, often two: alcohol in the warnings and the interactions, a child in the
paediatric-use section and the paediatric line of the dosage.

The cue words (`app.pipeline.attributes`) score each section on its own; a topic says which sections answer
it and in which order, given what else the question asks (a dose for a child is the dosage first, "can a
child take it" the paediatric use first). `app.pipeline.intent` puts a topic's sections first for a
question with Chinese characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.pipeline.zh_script import to_simplified
from indexing.vocabulary import has_cjk

# How much: the dose words of a question ("怎么吃", "吃多少", "一次几片", "喂多少毫升").
_DOSE_ASK = re.compile(
    r"怎么(吃|服|用|喂|喝|打|涂|滴|喷)|如何(服|使)?用|吃多少|用多少|喝多少|喂多少|给多少|打多少|多少(毫升|毫克|片|粒|ml|mg)|"
    r"几(片|粒|袋|包|毫升|次|滴|喷|下)|一次(吃|服|用|给|喂)?多少|剂量|用量|减量|加量|一天(吃)?几", re.IGNORECASE)
# What it does: an effect asked about ("会影响…吗", "副作用", "会不会").
_EFFECT_ASK = re.compile(r"副作用|不良反应|(?<![副互])影响|会不会|会(引起|导致|让|造成)|情绪|噩梦|坏处|危害")

_SYMPTOMS = (r"拉肚子|腹泻|肚子疼|肚子痛|胃疼|胃痛|便秘|脚肿|腿肿|水肿|浮肿|肿了|发烧|发热|头晕|头疼|头痛|恶心|"
             r"想吐|呕吐|皮疹|起疹|疹子|起包|发痒|痒|咳嗽|干咳|失眠|睡不着|心慌|心跳快|犯困|嗜睡|没力气|乏力|"
             r"掉头发|脱发|出血|流鼻血|牙龈出血|肌肉(疼|痛|酸)|耳鸣|口干|嘴干|尿黄|黑便|大便发黑|视力模糊|眼花|手抖|抽筋|"
             # words between the body part and the swelling, or a mild one: "脚有点肿", "脚踝都肿起来了", "有点晕"
             r"(脚|腿|脚踝|脚脖子|踝|脸|眼皮|手|腿脚)[^，。？！,.?!]{0,4}肿|有点(晕|肿|痒|疼|痛|咳)")


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic of Chinese questions and the sections that answer it, in order."""

    name: str
    pattern: re.Pattern[str]
    sections: tuple[str, ...]
    population: bool = False  # a kind of person: a dose asked for them is the dosage first


def _topic(name: str, pattern: str, sections: tuple[str, ...], population: bool = False) -> Topic:
    return Topic(name, re.compile(pattern, re.IGNORECASE), sections, population)


# In order of precedence: the first topic found decides; a more specific one comes first (哺乳 before 宝宝:
# "哺乳期能吃吗？会影响宝宝吗" asks about breastfeeding).
TOPICS: tuple[Topic, ...] = (
    _topic("double_dose", r"多(吃|服|用|打)了(一|1|两|2)?(次|顿|片|粒|回)|(吃|服)重(了|复)|重复(吃|服)了?|"
                          r"吃了两(次|遍)|(吃|服)了双倍", ("overdosage", "dosage")),
    _topic("missed_dose", r"漏(服|吃|打|用)|忘(了|记)?(吃|服|打|用)|少吃了(一)?(次|顿)|补(吃|服)|没(吃|服)上",
           ("dosage",)),
    # "和别的药要隔开吃吗": how far apart from other medicines is what the interactions say
    _topic("spacing", r"(隔开|分开|错开|间隔)(吃|服|用)|(隔|间隔|错开)(多久|多长时间|几个?小时)",
           ("interactions", "dosage")),
    _topic("lactation", r"哺乳|喂奶|母乳|奶水", ("lactation", "pregnancy"), population=True),
    _topic("pregnancy", r"孕妇|怀孕|妊娠|备孕|孕期|怀了?宝宝|怀着|孕早期|孕晚期|有了身孕", ("pregnancy", "warnings"),
           population=True),
    _topic("alcohol", r"喝酒|饮酒|喝了酒|喝了?点儿?酒|啤酒|白酒|红酒|黄酒|酒精|应酬",
           ("warnings", "interactions")),
    _topic("driving", r"开车|驾驶|驾车|操作机器|开机器|高空作业", ("warnings", "adverse_reactions")),
    _topic("child", r"儿童|小孩|孩子|婴儿|婴幼儿|幼儿|宝宝|小儿|未成年|青少年|新生儿|娃", ("pediatric", "dosage"),
           population=True),
    _topic("elderly", r"老人|老年|上了年纪|年纪大|[6-9][0-9]岁|(六|七|八|九)十(多)?岁", ("geriatric", "dosage"),
           population=True),
    _topic("organ", r"肾(不好|功能|衰|病|炎)|透析|肝(不好|功能|病|硬化)|肝炎|转氨酶高", ("warnings", "dosage"),
           population=True),
    _topic("stopping", r"突然停|(能|可以|敢)(不能)?(自己)?停(药|掉|吗)|停(药|掉)(会|有)", ("warnings", "dosage")),
    _topic("symptom_after", rf"(吃|服|用|打|涂|喷)(了|完|上)(药|以后|之后|后)?.{{0,8}}({_SYMPTOMS})|"
                            rf"({_SYMPTOMS}).{{0,6}}(正常吗|怎么回事|怎么办|是不是|是药|跟药|和药)|"
                            rf"({_SYMPTOMS}).{{0,12}}(药|它).{{0,3}}(引起|导致|造成|的原因|的问题|的关系)",
           ("adverse_reactions", "warnings")),
    _topic("food", r"饭前|饭后|餐前|餐后|空腹|随餐|吃饭前|吃完饭|(跟|和)饭一起|饭中|进餐|吃饭(的)?时候", ("dosage",)),
    _topic("efficacy", r"功效|(?<![副互])作用是|有什么作用|管什么|治什么|干(什么|嘛)用|是干(什么|嘛)的|有什么用|什么病",
           ("indications",)),
)


def topic_of(question: str) -> Topic | None:
    """The first topic the question speaks of, or None (also for a question without Chinese characters)."""
    if not has_cjk(question):
        return None
    question = to_simplified(question)
    for topic in TOPICS:
        if topic.pattern.search(question):
            return topic
    return None


def topic_sections(question: str, prior_top: str | None = None) -> tuple[str, ...]:
    """The sections, in order, that answer the question's topic; () without one. A dose asked for a kind of
    person is the dosage first and the population's section next; an effect asked for one ("会影响孩子情绪吗")
    is the section the cues chose (`prior_top`), else the adverse reactions, and the population's next."""
    topic = topic_of(question)
    if topic is None:
        return ()
    question = to_simplified(question)
    if topic.population:
        own = topic.sections[0]
        if _DOSE_ASK.search(question):
            return ("dosage", own) if own != "dosage" else topic.sections
        if topic.name != "pregnancy" and topic.name != "lactation" and _EFFECT_ASK.search(question):
            first = prior_top if prior_top not in (None, own, "dosage") else "adverse_reactions"
            return (str(first), own)
    return topic.sections
