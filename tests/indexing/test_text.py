from __future__ import annotations

import pytest

from indexing.text import detect_lang, normalize, sentences, tokenize


def test_normalize_nfkc_and_whitespace() -> None:
    assert normalize("  Ｉｂｕｐｒｏｆｅｎ\u00a0 200\tmg \n tablets ") == "Ibuprofen 200 mg tablets"
    assert normalize("beta\u2011blocker patient\u2019s") == "beta-blocker patient's"


def test_detect_lang() -> None:
    assert detect_lang("What are the side effects of aspirin?") == "en"
    assert detect_lang("阿司匹林的不良反应有哪些") == "zh"
    assert detect_lang("阿司匹林 aspirin 100mg 一天几次") == "zh"
    assert detect_lang("Aspirin (阿司匹林) is an NSAID used to treat pain and fever") == "en"
    assert detect_lang("") == "en"


def test_english_tokens_lowercase_and_stopwords() -> None:
    assert tokenize("What are the side effects of Aspirin?") == ["side", "effect", "aspirin"]
    assert tokenize("the and of to is not") == []


def test_english_keeps_medical_terms_recognisable() -> None:
    tokens = tokenize("5-Fluorouracil, vitamin B12, HLA-B*5701, 2.5 mg, 1,000 mg, 300mg, COVID-19")
    assert "5-fluorouracil" in tokens and "fluorouracil" in tokens
    assert "b12" in tokens
    assert "hla-b" in tokens and "hla" in tokens and "5701" in tokens
    assert "2.5" in tokens and "1000" in tokens and "300" in tokens
    assert tokens.count("mg") == 3
    assert "covid-19" in tokens and "covid" in tokens
    for drug in ["ibuprofen", "acetaminophen", "warfarin", "metformin", "thrombocytopenia"]:
        assert tokenize(drug) == [drug]


@pytest.mark.parametrize(
    "words",
    [
        ("interactions", "interaction", "interacting"),
        ("tablets", "tablet"),
        ("pregnant", "pregnancy", "pregnancies"),
        ("doses", "dose", "dosing"),
        ("diabetes", "diabetic"),
        ("hypertension", "hypertensive"),
        ("frequency", "frequent"),
        ("patients", "patient", "patient's"),
        ("NSAIDs", "NSAID"),
    ],
)
def test_stemming_conflates_variants(words: tuple[str, ...]) -> None:
    stems = {tuple(tokenize(word)) for word in words}
    assert len(stems) == 1, stems


def test_compound_tokens() -> None:
    assert tokenize("beta-blockers") == ["beta-blocker", "beta", "blocker"]
    assert tokenize("Beta blockers") == ["beta", "blocker"]


def test_chinese_words_and_bigrams() -> None:
    assert tokenize("阿司匹林的不良反应有哪些") == [
        "阿司匹林", "阿司", "司匹", "匹林", "不良反应", "不良", "良反", "反应",
    ]  # fmt: skip
    tokens = tokenize("对乙酰氨基酚和华法林有相互作用吗")
    assert "对乙酰氨基酚" in tokens and "华法林" in tokens and "相互作用" in tokens
    assert "乙酰" in tokens and "华法" in tokens and "作用" in tokens
    assert not {"和", "有", "吗"} & set(tokens)


def test_two_character_word_not_doubled_by_its_own_bigram() -> None:
    tokens = tokenize("孕妇禁用")
    assert tokens.count("孕妇") == 1
    assert "妇禁" in tokens  # bigrams still cross word boundaries


def test_mixed_text_latin_runs_use_english_path() -> None:
    tokens = tokenize("布洛芬（Ibuprofen Tablets）每次300mg，孕妇可以吃吗？")
    assert "布洛芬" in tokens and "孕妇" in tokens
    assert "ibuprofen" in tokens and "tablet" in tokens
    assert "300" in tokens and "mg" in tokens
    assert not {"（", "，", "？", "可以", "吗"} & set(tokens)


def test_tokenize_lang_hint_does_not_change_tokens() -> None:
    text = "阿司匹林 aspirin tablets"
    assert tokenize(text, "zh") == tokenize(text, "en") == tokenize(text, "zh-CN") == tokenize(text)


def test_tokenize_is_deterministic() -> None:
    text = "Warfarin 与 阿司匹林 合用会增加出血风险 (bleeding risk)."
    assert tokenize(text) == tokenize(text)


def test_sentences_english_edge_cases() -> None:
    text = (
        "Take 10 mg. Do not exceed 2.5 mg daily, e.g. in elderly patients (5.1). "
        "See Warnings and Precautions (5.1). Pregnancy Category C. Animal studies, i.e. rats, showed harm. "
        "Infuse over 30 min. then flush. 1. Take with food. Is it safe? Yes! Use approx. 5 mL."
    )
    assert sentences(text) == [
        "Take 10 mg.",
        "Do not exceed 2.5 mg daily, e.g. in elderly patients (5.1).",
        "See Warnings and Precautions (5.1).",
        "Pregnancy Category C.",
        "Animal studies, i.e. rats, showed harm.",
        "Infuse over 30 min. then flush.",
        "1. Take with food.",
        "Is it safe?",
        "Yes!",
        "Use approx. 5 mL.",
    ]


def test_sentences_quotes_newlines_and_slices() -> None:
    text = 'He said "stop." Then he left.\nNo period here\n\n  Last one'
    parts = sentences(text)
    assert parts == ['He said "stop."', "Then he left.", "No period here", "Last one"]
    assert all(part in text for part in parts)


def test_sentences_chinese() -> None:
    text = "用法用量：口服。一次1片，一日3次；饭后服用！孕妇禁用？\n【禁忌】对本品过敏者禁用"
    assert sentences(text) == [
        "用法用量：口服。",
        "一次1片，一日3次；",
        "饭后服用！",
        "孕妇禁用？",
        "【禁忌】对本品过敏者禁用",
    ]
    assert sentences("口服!一日3次") == ["口服!", "一日3次"]


def test_sentences_empty_and_wordless() -> None:
    assert sentences("") == []
    assert sentences("   \n ") == []
    assert sentences("(5.1).") == ["(5.1)."]
    assert sentences("Take with food. 2.") == ["Take with food. 2."]
