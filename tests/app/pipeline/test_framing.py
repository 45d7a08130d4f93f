"""Answers framed in the question's language (issue 19): a Chinese question gets Chinese lead lines, safety
marks, status messages and notices; the quoted label text stays as the label wrote it."""

from __future__ import annotations

from app.enums import Status
from app.pipeline.compose import Quote, compose, lead_line
from app.pipeline.framing import AnswerFraming
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.phrases import language_of, lead_line_zh
from app.pipeline.read import ExtractiveReader
from app.pipeline.state import (
    Distillation,
    Evidence,
    Notice,
    NoticeKind,
    ReadResult,
    SearchQuery,
    Serving,
    TurnRequest,
    TurnState,
)
from app.records.mag import CONTEXT_SOURCE
from app.records.model import AllergyConflict, Partner
from indexing.schema import Chunk
from indexing.store import MedicineEntry, SearchIndex

_WARFARIN_TEXT = ("Drugs that increase bleeding risk: concomitant use of aspirin and other NSAIDs with warfarin "
                  "increases the risk of bleeding. Monitor INR closely when such drugs are started or stopped.")


def test_language_of_a_question() -> None:
    assert language_of("可以同时吃阿司匹林吗？") == "zh"
    assert language_of("我在吃 warfarin") == "zh"
    assert language_of("Can I take aspirin?") == "en"


def test_lead_lines_in_chinese() -> None:
    zh = lead_line("Warfarin", "dailymed:abc", ["interactions"], None, "zh")
    assert zh == "Warfarin（DailyMed 说明书），药物相互作用："
    assert lead_line_zh("阿司匹林肠溶片", "nmpa:1", ["warnings", "interactions"], None) == (
        "阿司匹林肠溶片（国家药监局说明书），注意事项和药物相互作用：")
    assert lead_line("Aspirin", "", ["warnings"], "interactions", "zh") == (
        "Aspirin（说明书）：说明书中没有药物相互作用部分；其注意事项部分写道：")
    en = lead_line("Warfarin", "dailymed:abc", ["interactions"], None)
    assert en == "Warfarin (DailyMed label), drug interactions:"


def test_compose_marks_safety_items_in_the_answer_language() -> None:
    said = "Warfarin can cause major or fatal bleeding."
    quotes = [Quote("warfarin", "boxed_warning", "w:b:0", said, safety=True)]
    assert compose([("华法林：", quotes)], "zh").text == f"华法林： 重要：{said} [1]"
    assert compose([("Warfarin:", quotes)]).text == f"Warfarin: Important: {said} [1]"


def test_reader_frames_a_chinese_question_and_quotes_the_label_as_written() -> None:
    chunk = Chunk("warfarin:interactions:0", "warfarin", "interactions", 0, _WARFARIN_TEXT, "Warfarin")
    query = SearchQuery("warfarin", "interactions", "Warfarin aspirin interactions")
    evidence = [Evidence(chunk, 1.0, 0, 0)]
    result = ExtractiveReader().read_evidence("我在吃华法林，可以同时吃阿司匹林吗？", [query], evidence)
    assert result.status is Status.ANSWERED
    assert result.text.startswith("Warfarin（说明书），药物相互作用：")
    assert "concomitant use of aspirin and other NSAIDs with warfarin increases the risk of bleeding" in result.text
    english = ExtractiveReader().read_evidence("Can I take aspirin with warfarin?", [query], evidence)
    assert english.text.startswith("Warfarin (label), drug interactions:")


def _state(question: str, reading: ReadResult, notices: list[Notice], **fields: object) -> TurnState:
    lexicon = MedicineLexicon([MedicineEntry("warfarin", "Warfarin", (), "en", "", ("interactions",)),
                               MedicineEntry("aspirin", "Aspirin", (), "en", "", ("warnings",))])
    index: SearchIndex = None  # type: ignore[assignment]  # the frame stage reads no index
    state = TurnState(TurnRequest(question), Serving(index, lexicon), reading=reading, notices=notices)
    for name, value in fields.items():
        setattr(state, name, value)
    return state


def test_status_messages_and_notices_in_chinese() -> None:
    nothing = ReadResult("The medicine database has no evidence.", [], Status.NO_EVIDENCE)
    no_evidence = _state("华法林要冷藏吗？", nothing, [])
    AnswerFraming().run(no_evidence)
    assert no_evidence.reading is not None and no_evidence.reading.text == "药品数据库中没有能回答这个问题的内容。"

    missing = ReadResult("多潘立酮 is not in the medicine database.", [], Status.UNKNOWN_DRUG)
    unknown = _state("多潘立酮饭前吃吗", missing, [], distilled=Distillation(unknown_drugs=["多潘立酮"]))
    AnswerFraming().run(unknown)
    assert unknown.reading is not None
    assert unknown.reading.text == "药品数据库中没有多潘立酮，无法根据其说明书回答。请咨询药师或医生。"

    which = ReadResult("Which medicine do you mean: Warfarin or Aspirin?", [], Status.CLARIFY)
    clarify = _state("那个药能吃吗", which, [])
    AnswerFraming().run(clarify)
    assert clarify.reading is not None and clarify.reading.text == "您说的是哪一种药：Warfarin还是Aspirin？"

    answered = _state(
        "可以同时吃阿司匹林吗？", ReadResult("Warfarin（说明书），药物相互作用： ... [1]", [], Status.ANSWERED),
        [Notice(NoticeKind.READER, "In the medicine database, aspirin has no interactions section."),
         Notice(NoticeKind.MEDICATION_PARTNERS, "Checked against the medicines you said you take: Warfarin."),
         Notice(NoticeKind.ALLERGY, "Allergy alert: ..."),
         Notice(NoticeKind.UNKNOWN_DRUG, "Not in the database: 鱼油.")],
        partners=[Partner("warfarin", "Warfarin", CONTEXT_SOURCE)],
        allergy_conflicts=[AllergyConflict("aspirin", "阿司匹林", "name", said=True)],
        distilled=Distillation(unknown_drugs=["鱼油"]))
    AnswerFraming().run(answered)
    assert [n.text for n in answered.notices] == [
        "药品数据库中，Aspirin的说明书没有药物相互作用部分。",
        "已与您提到正在服用的药物核对：Warfarin。",
        "过敏提醒：您提到对阿司匹林过敏，与Aspirin有关。未经医生或药师同意，请不要服用。",
        "数据库中没有：鱼油。",
    ]
    assert answered.reading is not None and answered.reading.text.startswith("Warfarin（说明书）")


def test_an_english_question_is_left_as_it_is() -> None:
    reading = ReadResult("The medicine database has no evidence that answers this question.", [], Status.NO_EVIDENCE)
    notice = Notice(NoticeKind.READER, "In the medicine database, aspirin has no interactions section.")
    state = _state("Can I take aspirin?", reading, [notice])
    AnswerFraming().run(state)
    assert state.reading is reading and state.notices == [notice]


def test_a_lead_line_naming_an_english_label_gives_the_chinese_name_first() -> None:
    """Session 9: a Chinese reader sees which medicine is quoted in Chinese too (华法林（Warfarin，…）); the quote
    and an English question's lead line stay as they were."""
    from app.pipeline.generic_names import GenericName
    from app.pipeline.state import Citation

    lexicon = MedicineLexicon([MedicineEntry("warfarin", "Warfarin", (), "en", "", ("interactions",)),
                               MedicineEntry("aspirin", "Aspirin", (), "en", "", ("warnings",)),
                               MedicineEntry("zh-aspirin", "阿司匹林肠溶片", (), "zh", "", ("warnings",))],
                              name_table=[GenericName("华法林", "warfarin", ("华法令",)),
                                          GenericName("阿司匹林", "aspirin")])
    text = ("Warfarin（DailyMed 说明书），药物相互作用： Aspirin and warfarin ... [1] "
            "Aspirin（说明书）：说明书中没有药物相互作用部分；其注意事项部分写道： Ask a doctor ... [2]")
    cited = [Citation("warfarin", "interactions", "w:i:0", "..."), Citation("aspirin", "warnings", "a:w:0", "...")]
    index: SearchIndex = None  # type: ignore[assignment]

    def framed(question: str, reading: ReadResult) -> str:
        state = TurnState(TurnRequest(question), Serving(index, lexicon), reading=reading, notices=[])
        AnswerFraming().run(state)
        assert state.reading is not None
        return state.reading.text

    assert framed("华法林和阿司匹林能一起吃吗", ReadResult(text, cited, Status.ANSWERED)) == (
        "华法林（Warfarin，DailyMed 说明书），药物相互作用： Aspirin and warfarin ... [1] "
        "阿司匹林（Aspirin，说明书）：说明书中没有药物相互作用部分；其注意事项部分写道： Ask a doctor ... [2]")
    chinese_label = "阿司匹林肠溶片（国家药监局说明书），注意事项： ... [1]"
    assert framed("阿司匹林能长期吃吗", ReadResult(
        chinese_label, [Citation("zh-aspirin", "warnings", "z:w:0", "...")], Status.ANSWERED)) == chinese_label
    assert framed("Can I take aspirin with warfarin?", ReadResult(text, cited, Status.ANSWERED)) == text
