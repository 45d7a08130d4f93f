"""Medicine names typed in pinyin read as their Chinese names (app.pipeline.zh_pinyin)."""

from __future__ import annotations

from app.enums import Mode
from app.pipeline.generic_names import SHIPPED_TABLE, parse_name_table
from app.pipeline.orchestrator import read_as_typed
from app.pipeline.state import Turn, TurnRequest
from app.pipeline.zh_pinyin import PINYIN_TABLE, parse_pinyin_table, reads_as_pinyin, toneless, with_hanzi_names

TABLE = {"buluofen": "布洛芬", "amoxilin": "阿莫西林", "lianhuaqingwen": "连花清瘟", "fashao": "发烧"}


def test_a_name_spread_over_syllables_or_typed_as_one_word_reads_as_its_characters() -> None:
    assert with_hanzi_names("ke yi chi bu luo fen ma?", TABLE) == "ke yi chi 布洛芬 ma?"
    assert with_hanzi_names("我在吃 amoxilin", TABLE) == "我在吃 阿莫西林"
    assert with_hanzi_names("Lianhua Qingwen he buluofen", TABLE) == "连花清瘟 he 布洛芬"
    assert with_hanzi_names("xiao hai fa shao le", TABLE) == "xiao hai 发烧 le"


def test_tone_marks_and_u_umlaut_are_read_without_them() -> None:
    assert toneless("Bù luò fēn") == "bu luo fen"
    assert toneless("lǜ") == "lu"
    assert with_hanzi_names("bù luò fēn", TABLE) == "布洛芬"


def test_english_text_is_left_alone() -> None:
    assert with_hanzi_names("Can I take buluofen with my drink?", TABLE) == "Can I take buluofen with my drink?"
    assert with_hanzi_names("I take amoxicillin", TABLE) == "I take amoxicillin"
    assert not reads_as_pinyin("drink")
    assert reads_as_pinyin("buluofen")


def test_a_name_is_not_joined_across_punctuation() -> None:
    assert with_hanzi_names("bu, luo fen", TABLE) == "bu, luo fen"


def test_the_shipped_table_spells_only_names_it_was_made_from_and_no_english_name() -> None:
    table = parse_pinyin_table(PINYIN_TABLE.read_text(encoding="utf-8"))
    entries = parse_name_table(SHIPPED_TABLE.read_text(encoding="utf-8"), SHIPPED_TABLE)
    english = {n.casefold().replace(" ", "").replace("-", "") for e in entries for n in e.en_names}
    assert table["buluofen"] == "布洛芬"
    assert table["amoxilin"] == "阿莫西林"
    assert "tamoxifen" not in table  # 他莫昔芬 spells the English name: an English question stays English
    assert not english & set(table)


def test_the_request_reads_pinyin_in_user_turns_only() -> None:
    request = TurnRequest("ke yi chi bu luo fen ma?", [Turn("user", "wo zai chi amoxilin"),
                                                        Turn("assistant", "amoxilin")], Mode.DRR)
    read = read_as_typed(request)
    assert read.message == "ke yi chi 布洛芬 ma?"
    assert [t.content for t in read.history] == ["wo zai chi 阿莫西林", "amoxilin"]
    english = TurnRequest("Can I take ibuprofen?")
    assert read_as_typed(english) is english
