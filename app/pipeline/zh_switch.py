"""What a Chinese question says the user no longer takes: a switch ("以前吃氨氯地平，现在换成了缬沙坦",
"医生让我把阿司匹林停了，改吃氯吡格雷") leaves one medicine for another, and a question about the new one is not
about the old (the English switches: `app.pipeline.context.switched_from`). `zh_switched_from` gives the text
that names what is left; the distiller drops a name found there while another known name remains.

A question setting the two against each other (有什么区别, 哪个好, 比…好) asks about both: nothing is left.
"""

from __future__ import annotations

import re

from app.pipeline.zh_script import to_simplified
from indexing.vocabulary import has_cjk

_CLAUSE = re.compile(r"[，,。；;！!？?\n]+")
# A clause that asks (its stop words ask whether to stop: "能停吗", "要不要停"), not one that tells.
_ASKS = re.compile(r"[吗么呢？?]|能不能|可不可以|要不要|用不用|是否|怎么|多少|几")
# The switch word: what is before it in its clause is left ("氨氯地平换成了缬沙坦"), what follows is new.
_SWITCH = re.compile(r"换成|换为|改成|改为|改吃|改用|改服|换吃|换用|换了")
# A clause that tells a medicine was stopped or belongs to the past: all of it is left.
_STOPPED = re.compile(r"停了|停掉|停药|不吃了|不用了|已经不吃|以前(吃|用|服)|之前(吃|用|服)|原来(吃|用|服)|"
                      r"(本来|原本)(在|是)?(吃|用|服)|"
                      r"原先(吃|用|服)|过去(吃|用|服)|把.{1,12}(停|换)")
# The two set against each other: both are asked about.
_COMPARES = re.compile(r"区别|不同|哪(个|种|一个)|比.{0,8}(好|强|安全|副作用)|一样|相比|对比")


def zh_switched_from(question: str) -> str:
    """The text of the question's telling clauses that names what a switch or a stop leaves (joined by
    spaces); "" for a question without Chinese, without a switch, or one comparing the two."""
    if not has_cjk(question):
        return ""
    text = to_simplified(question)
    if _COMPARES.search(text):
        return ""
    spans: list[tuple[int, int]] = []
    start = 0
    for clause in _CLAUSE.split(text):
        begin = text.find(clause, start)
        start = begin + len(clause)
        if not clause.strip():
            continue
        switch = _SWITCH.search(clause)
        if switch is not None:
            if clause[:switch.start()].strip():
                spans.append((begin, begin + switch.start()))
            continue
        if _STOPPED.search(clause) and not _ASKS.search(clause):
            spans.append((begin, start))
    # the question's own script too ("以前吃氨氯地平" as 以前吃氨氯地平 or 以前吃氨氯地平 in traditional), whose
    # names the lexicon gives as written; the folding is character for character
    same_length = len(text) == len(question)
    parts = [text[b:e] for b, e in spans] + ([question[b:e] for b, e in spans] if same_length and text != question
                                            else [])
    return " ".join(parts)


def zh_switch_side(clause: str, surface: str) -> str | None:
    """In a Chinese clause telling a switch ("医生让我把辛伐他汀换成阿托伐他汀"), "old" for a name before the switch
    word, "new" for one after it; None when the clause tells no switch or does not hold the name."""
    if not has_cjk(clause):
        return None
    text, name = to_simplified(clause), to_simplified(surface)
    switch = _SWITCH.search(text)
    at = text.find(name) if name else -1
    if switch is None or at < 0:
        return None
    return "old" if at < switch.start() else "new"
