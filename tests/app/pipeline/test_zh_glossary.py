"""The Chinese question-word glossary: the shipped file, its loader's errors, and what it does for Chinese
questions over English labels (the reader's terms, the which-medicine conditions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.enums import Mode, Status
from app.pipeline import zh_glossary
from app.pipeline.distill import RuleDistiller
from app.pipeline.generic_names import shipped_name_table
from app.pipeline.indication_search import IndicationSearch, condition_asked
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.orchestrator import Orchestrator
from app.pipeline.read import ExtractiveReader
from app.pipeline.read_cues import question_expansions
from app.pipeline.retrieve import HybridRetriever
from app.pipeline.select import FixedKSelector
from app.pipeline.state import Answer, Serving, TurnRequest
from app.pipeline.zh_glossary import GlossaryError, parse_glossary, shipped_glossary
from indexing.store import SearchIndex
from indexing.text import tokenize
from tests.conftest import MINI_CORPUS

ASKED = ("副作用 不良反应 一天吃几次 怎么吃 用量 孕妇 怀孕 哺乳 喂奶 儿童 小孩 老人 肾 肝 过量 吃多了 漏服 忘了吃 饭前 "
         "饭后 空腹 开车 犯困 喝酒 同时吃 一起吃 过敏 禁忌 头晕 恶心 出血 停药 长期吃 上瘾 依赖 血压 血糖 胃 咳嗽 发烧 "
         "感冒 头痛 高血压 糖尿病 胃酸 反酸 便秘 腹泻 失眠 抑郁").split()


def test_the_shipped_glossary_covers_the_common_question_words() -> None:
    glossary = shipped_glossary()
    assert len(glossary.entries) >= 150
    assert [w for w in ASKED if w not in glossary.entries] == []
    assert glossary.entries["副作用"].en[0] == "adverse reactions"
    assert glossary.entries["失眠"].kind == "condition" and glossary.entries["喝酒"].kind == "word"


def test_a_word_inside_a_longer_one_or_a_medicine_name_is_not_counted() -> None:
    glossary = shipped_glossary()
    assert [e.zh for e in glossary.found_in("我有高血压，能吃布洛芬吗")] == ["高血压"]
    assert [e.zh for e in glossary.found_in("偏头痛吃什么药")] == ["偏头痛"]
    assert glossary.found_in("肝素钠注射液") == []
    assert [e.zh for e in glossary.found_in("肝功能不好能用肝素吗")] == ["肝功能"]
    assert glossary.found_in("what are the side effects?") == []


def test_question_expansions_carry_the_label_words_of_chinese_words() -> None:
    assert {"renal", "impair", "creatinin"} <= question_expansions("肾功能不全患者加巴喷丁剂量如何调整？")
    assert set(tokenize("alcohol")) <= question_expansions("吃甲硝唑期间能喝酒吗")
    assert question_expansions("二甲双胍") == set()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("zh\tkind\ten\n副作用\tword\n", "2: expected 3 tab-separated fields"),
        ("zh\tkind\ten\n副作用\tthing\tadverse reactions\n", "2: kind 'thing'"),
        ("zh\tkind\ten\n副作用\tword\tadverse reactions\n# c\n副作用\tword\tside effects\n",
         "4: '副作用' is already on line 2"),
        ("zh\tkind\ten\nside\tword\tadverse reactions\n", "2: the word 'side' has no Chinese"),
        ("zh\tkind\ten\n副作用\tword\tadverse;;x\n", "2: an empty English phrase"),
        ("zh\ten\n", "1: expected the header"),
        ("# only a comment\n", "1: no header row"),
    ],
)
def test_malformed_glossary_lines_name_file_and_line(text: str, message: str) -> None:
    with pytest.raises(GlossaryError) as err:
        parse_glossary(text, "g.tsv")
    assert str(err.value).startswith("g.tsv:") and message in str(err.value)


def test_load_glossary_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text("# note\nzh\tkind\ten\n咳嗽\tcondition\tcough\n喝酒\tword\talcohol; ethanol\n", encoding="utf-8")
    glossary = zh_glossary.load_glossary(path)
    assert glossary.condition_phrases("咳嗽还喝酒") == ["cough"]
    assert glossary.label_words("咳嗽还喝酒") == "cough alcohol ethanol"


# -- Chinese questions over English labels ------------------------------------------------------------


@pytest.fixture(scope="module")
def mini_index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    from indexing.build import BuildOptions, build_index
    from indexing.store import load_current

    root = tmp_path_factory.mktemp("zh_glossary_index")
    build_index(MINI_CORPUS, BuildOptions(index_dir=root, progress=False, with_dense=False))
    return load_current(root, "medicines")


def _ask(index: SearchIndex, question: str) -> Answer:
    serving = Serving(index, MedicineLexicon(index.medicines.values(), name_table=shipped_name_table()))
    pipeline = Orchestrator(lambda: serving, {"drr": [  # type: ignore[dict-item]
        RuleDistiller(), HybridRetriever(None), FixedKSelector(5), IndicationSearch(), ExtractiveReader()]})
    return pipeline.answer(TurnRequest(question, mode=Mode.DRR))


def test_a_chinese_question_quotes_the_english_sentence_it_asks_about(
        mini_index: SearchIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    # No section cue ("会出血吗"): the glossary's 出血 -> bleeding is what leads the reader to the sentence.
    answer = _ask(mini_index, "华法林会出血吗")
    assert answer.status is Status.ANSWERED
    assert {c.medicine_id for c in answer.citations} == {"warfarin-sodium"}
    assert any("bleed" in c.quote.casefold() or "hemorrhag" in c.quote.casefold() for c in answer.citations)
    monkeypatch.setattr(zh_glossary, "label_words", lambda text: "")
    without = _ask(mini_index, "华法林会出血吗")
    assert not any("bleed" in c.quote.casefold() for c in without.citations)


def test_a_chinese_dosage_question_quotes_the_dosage_section(mini_index: SearchIndex) -> None:
    answer = _ask(mini_index, "阿莫西林一天吃几次？")
    assert answer.status is Status.ANSWERED
    assert answer.citations and answer.citations[0].medicine_id == "amoxicillin"
    assert answer.citations[0].attribute == "dosage"


@pytest.mark.parametrize(
    ("question", "condition"),
    [("老是失眠，有什么药可以帮助睡觉", "睡觉"), ("有什么药能降血压", "降血压"),
     ("胃酸多、烧心，吃什么药比较好？", "烧心"), ("我关节痛，有什么药可以缓解吗", "关节痛")],
)
def test_chinese_which_medicine_conditions(question: str, condition: str) -> None:
    assert condition_asked(question) == condition


def test_chinese_which_medicine_question_over_english_labels(mini_index: SearchIndex) -> None:
    answer = _ask(mini_index, "头疼吃什么药？")
    assert answer.status is Status.ANSWERED
    assert {"acetaminophen", "ibuprofen"} <= {c.medicine_id for c in answer.citations}
    assert all(c.attribute == "indications" and "headache" in c.quote.casefold() for c in answer.citations)
    assert answer.text.startswith("数据库中适应症提到“头疼”的药品：")
    heartburn = _ask(mini_index, "胃酸多、烧心，吃什么药比较好？")
    assert [c.medicine_id for c in heartburn.citations] == ["omeprazole"]
    assert condition_asked("辛伐他汀不能和什么药一起吃") is None  # an interaction, not what to take
