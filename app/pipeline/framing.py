"""The frame stage: the service's own words in the question's language. It runs last: a Chinese question's
status message (no evidence, not in the database, which medicine?) and notices (missing section, medicines
checked against, allergy alert, not in the database) are said in Chinese, rebuilt from what the turn found,
not translated from the English text. Lead lines are framed where they are composed (app.pipeline.compose);
here, a lead line naming an English label is given the medicine's Chinese generic name first (华法林（Warfarin，
DailyMed 说明书），药物相互作用：), from the generic-name table. Quotes stay in their label's language.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from app.enums import Status
from app.pipeline import phrases
from app.pipeline.state import Notice, NoticeKind, TurnState
from app.records.mag import CONTEXT_SOURCE, partners_person
from indexing.vocabulary import has_cjk

# The rule distiller's question back (app.pipeline.distill): "Which medicine do you mean: A, B or C?"
_CLARIFY = re.compile(r"^Which medicine do you mean: (?P<names>.+) or (?P<last>[^?]+)\?$")
# The extractive reader's notice of missing sections: "In the medicine database, <name> has no <section> section; ..."
_MISSING = re.compile(r"(?:database, |; )(?P<mid>[^;]+?) has no (?P<section>[a-z ]+) section")


# A relative's medicine in the question back: "your mother's Apixaban"
_WHOSE = re.compile(r"^your (?P<person>[a-z]+)'s (?P<name>.+)$")


def _whose_zh(name: str) -> str:
    found = _WHOSE.match(name)
    return phrases.whose_zh(found.group("person"), found.group("name")) if found else name


def _chinese_names_in_leads(text: str, state: TurnState) -> str:
    """'Warfarin（DailyMed 说明书），…' -> '华法林（Warfarin，DailyMed 说明书），…' for each cited label whose own name
    has no Chinese and whose generic the name table gives a Chinese name. A lead line opens the answer or
    follows the previous medicine's last citation mark ("… [2] Sitagliptin（…")."""
    if state.reading is None or state.reading.status is not Status.ANSWERED:
        return text
    for mid in dict.fromkeys(c.medicine_id for c in state.reading.citations):
        name, zh = state.lexicon.names.get(mid), state.lexicon.zh_names.get(mid)
        if not name or not zh or has_cjk(name):
            continue
        bilingual = f"{zh}（{name}，".replace("\\", "\\\\")  # a replacement template: backslashes escaped
        text = re.sub(rf"(?:^|(?<=\] )){re.escape(name)}（", bilingual, text)
    return text


class AnswerFraming:
    name = "frame"

    def to_dict(self) -> dict[str, Any]:
        return {"languages": ["en", "zh"]}

    def run(self, state: TurnState) -> None:
        if phrases.language_of(state.question) != "zh":
            return
        if state.reading is not None:
            state.reading = replace(state.reading, text=_chinese_names_in_leads(self._status_text(state), state))
        state.notices = [Notice(n.kind, self._notice(n, state)) for n in state.notices]

    @staticmethod
    def _status_text(state: TurnState) -> str:
        reading = state.reading
        assert reading is not None
        if reading.status is Status.NO_EVIDENCE:
            return phrases.NO_EVIDENCE_ZH
        if reading.status is Status.UNKNOWN_DRUG and state.distilled.unknown_drugs:
            return phrases.unknown_drug_zh(state.distilled.unknown_drugs)
        if reading.status is Status.CLARIFY:
            found = _CLARIFY.match(reading.text)
            if found:
                names = [*found.group("names").split(", "), found.group("last")]
                return phrases.clarify_zh([_whose_zh(n) for n in names])
        return reading.text

    @staticmethod
    def _notice(notice: Notice, state: TurnState) -> str:
        names = state.lexicon.names
        if notice.kind is NoticeKind.UNKNOWN_DRUG and state.distilled.unknown_drugs:
            return phrases.not_in_database_zh(state.distilled.unknown_drugs)
        if notice.kind is NoticeKind.MEDICATION_PARTNERS and (state.partners or state.unchecked_medications):
            recorded = [p.name for p in state.partners if p.source != CONTEXT_SOURCE]
            said = [p.name for p in state.partners if p.source == CONTEXT_SOURCE]
            return phrases.partners_zh(recorded, said, partners_person(state.conversation, state.question),
                                       state.unchecked_medications)
        if notice.kind is NoticeKind.ALLERGY and state.allergy_conflicts:
            return phrases.allergy_zh([(c.allergy, names.get(c.medicine_id, c.medicine_id), c.said)
                                       for c in state.allergy_conflicts])
        if notice.kind is NoticeKind.READER:
            missing = [(names.get(m.group("mid"), m.group("mid")), m.group("section").replace(" ", "_"))
                       for m in _MISSING.finditer(notice.text)]
            if missing:
                return phrases.missing_sections_zh(missing)
        return notice.text
