"""Chinese label input: 【】 headings and their variants onto the vocabulary, names from 药品名称, unknown
headings to `other` with a count, malformed input named by file and line, and the shipped zh_demo corpus."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from indexing.corpus import build_corpus
from indexing.schema import CHINESE_HEADINGS, Attribute
from indexing.sources.clinqa_jsonl import load_medicines
from indexing.sources.errors import CorpusError
from indexing.sources.zh_label import ZhLoadNotes, iter_zh_labels, load_zh_labels
from indexing.zh_headings import heading_attribute

ZH_DEMO = Path(__file__).resolve().parents[2] / "corpora" / "zh_demo"

STANDARD = {
    "成份": "description", "性状": "description", "适应症": "indications", "功能主治": "indications",
    "规格": "dosage_forms", "用法用量": "dosage", "不良反应": "adverse_reactions", "禁忌": "contraindications",
    "注意事项": "warnings", "孕妇及哺乳期妇女用药": "pregnancy", "儿童用药": "pediatric", "老年用药": "geriatric",
    "药物相互作用": "interactions", "药物过量": "overdosage", "临床试验": "other", "药理毒理": "pharmacology",
    "药代动力学": "pharmacology", "贮藏": "storage", "包装": "dosage_forms", "有效期": "storage",
    "执行标准": "other", "批准文号": "other", "生产企业": "other",
}


@pytest.mark.parametrize(("heading", "attribute"), sorted(STANDARD.items()))
def test_standard_headings_map(heading: str, attribute: str) -> None:
    assert heading_attribute(heading) == Attribute(attribute)


@pytest.mark.parametrize(("written", "attribute"), [
    ("适应证", "indications"), ("用法与用量", "dosage"), ("不良反应/副作用", "adverse_reactions"),
    ("副作用", "adverse_reactions"), ("【 不 良 反 应 】", "adverse_reactions"), ("禁忌：", "contraindications"),
    ("警示语", "boxed_warning"), ("哺乳期妇女用药", "lactation"), ("孕妇及哺乳期妇女用药、儿童用药", "pregnancy"),
    ("ＯＴＣ", None), ("特殊说明", None),
])
def test_variants_spacing_and_width(written: str, attribute: str | None) -> None:
    assert heading_attribute(written) == (Attribute(attribute) if attribute else None)


def test_every_table_heading_maps_to_itself() -> None:
    assert all(heading_attribute(h) is a for h, a in CHINESE_HEADINGS.items())


LABEL = """阿莫西林胶囊说明书
【药品名称】
通用名称：阿莫西林胶囊
商品名称：阿莫仙、益萨林
英文名称：Amoxicillin Capsules
汉语拼音：Amoxilin Jiaonang
【成份】本品主要成份为阿莫西林。
【适应证】用于敏感菌所致的感染。
【用法与用量】口服。
成人一次0.5克。
【药代动力学】口服吸收良好。
【特殊说明】一些内容。
【用药指导】另一些内容。

【药品名称】布洛芬片
【适应症】用于缓解疼痛。
"""


def test_text_label_names_sections_and_next_label(tmp_path: Path) -> None:
    path = tmp_path / "labels.txt"
    path.write_text(LABEL, encoding="utf-8")
    notes = ZhLoadNotes()
    (line1, amox), (line2, ibu) = iter_zh_labels(path, notes)
    assert (line1, line2) == (2, 15)
    assert amox.name == "阿莫西林胶囊" and amox.lang == "zh" and amox.id == "amoxicillin-capsules"
    assert amox.aliases == ("阿莫仙", "益萨林", "Amoxicillin Capsules")
    assert amox.sections["dosage"] == "口服。\n成人一次0.5克。"
    assert amox.sections["pharmacology"] == "口服吸收良好。"
    assert amox.sections["other"] == "一些内容。\n另一些内容。"  # unknown headings kept, not the medicine lost
    assert notes.unknown == Counter({"特殊说明": 1, "用药指导": 1}) and notes.preambles == 1
    assert ibu.name == "布洛芬片" and ibu.id == "labels" and ibu.sections == {"indications": "用于缓解疼痛。"}


def test_json_label_with_chinese_keys(tmp_path: Path) -> None:
    path = tmp_path / "labels.json"
    path.write_text(json.dumps([
        {"药品名称": {"通用名称": "氯雷他定片", "商品名称": ["开瑞坦"], "英文名称": "Loratadine Tablets"},
         "【适应症】": "过敏性鼻炎。", "用法与用量": "一日1次。", "奇怪标题": "x"},
        {"id": "lianhua", "药品名称": "连花清瘟胶囊", "功能主治": "清热解毒。", "曾用名": "连花"},
    ], ensure_ascii=False, indent=1), encoding="utf-8")
    notes = ZhLoadNotes()
    meds = load_zh_labels([tmp_path], notes)
    assert [(m.id, m.name) for m in meds] == [("loratadine-tablets", "氯雷他定片"), ("lianhua", "连花清瘟胶囊")]
    assert meds[0].aliases == ("开瑞坦", "Loratadine Tablets") and meds[1].aliases == ("连花",)
    assert meds[0].sections == {"indications": "过敏性鼻炎。", "dosage": "一日1次。", "other": "x"}
    assert notes.unknown == Counter({"奇怪标题": 1})


@pytest.mark.parametrize(("text", "line", "message"), [
    ("【药品名称】\n通用名称：甲\n【适应症\n用于。", 3, "unclosed 【 heading"),
    ("【药品名称】\n通用名称：甲\n【】用于。", 3, "empty 【】 heading"),
    ("【药品名称】\n商品名称：乙\n【适应症】用于。", 1, "no 通用名称"),
    ("【药品名称】\n通用名称：甲\n规格不对的一行\n【适应症】用于。", 3, "not a name line"),
    ("【药品名称】\n通用名称：甲\n【适应症】", 1, "no section holds any text"),
    ("只有文字，没有标题。", None, "no 【】 headings"),
])
def test_malformed_text_names_file_and_line(tmp_path: Path, text: str, line: int | None, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError, match=message) as err:
        list(iter_zh_labels(path))
    assert err.value.path == str(path) and err.value.line == line


def test_malformed_json_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[\n {"药品名称": "甲", "适应症": "用于。"},\n {"药品名称": "乙",\n  "禁忌": 3}\n]',
                    encoding="utf-8")
    with pytest.raises(CorpusError, match="'禁忌' must be text") as err:
        list(iter_zh_labels(path))
    assert err.value.line == 4
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"药品名称": "甲", "适应症": "用于。"}\n{"药品名称": \n', encoding="utf-8")
    with pytest.raises(CorpusError, match="invalid JSON") as err:
        list(iter_zh_labels(broken))
    assert str(err.value).startswith(f"{broken}:2:")


def test_clinqa_jsonl_keeps_a_medicine_with_an_unknown_chinese_heading(tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"
    line = {"id": "x", "name": "甲片", "lang": "zh", "sections": {"适应证": "用于。", "药代动力学": "吸收。",
                                                                 "特殊说明": "其他。"}}
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    unknown: Counter[str] = Counter()
    [med] = load_medicines(path, unknown)
    assert med.sections == {"indications": "用于。", "pharmacology": "吸收。", "other": "其他。"}
    assert unknown == Counter({"特殊说明": 1})


def test_corpus_build_reports_bad_labels_and_counts_unknown_headings(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(LABEL, encoding="utf-8")
    (tmp_path / "bad.txt").write_text("【药品名称】\n通用名称：甲\n【适应症\n", encoding="utf-8")
    summary = build_corpus([tmp_path])
    assert {m.name for m in summary.medicines} == {"阿莫西林胶囊", "布洛芬片"}
    assert summary.notes.unknown_fields == Counter({"特殊说明": 1, "用药指导": 1})
    [problem] = summary.report.problems
    assert problem.position == f"{tmp_path / 'bad.txt'}:3" and "unclosed" in problem.message


def test_shipped_zh_demo_corpus_is_what_its_labels_build() -> None:
    summary = build_corpus([ZH_DEMO / "labels"])
    built = [m.to_dict() for m in summary.medicines]
    shipped = [json.loads(line) for line in (ZH_DEMO / "medicines.jsonl").read_text(encoding="utf-8").splitlines()]
    assert built == shipped
    assert len(shipped) >= 40 and not summary.report.problems
    assert all(m["lang"] == "zh" for m in shipped)
