from __future__ import annotations

from app.pipeline.generic_names import GenericName
from app.pipeline.state import Turn
from eval.named_by_user import NamedByUser, medicine_words, user_text, user_words

NAMES = {
    "clopidogrel": ("Clopidogrel", "Clopidogrel Bisulfate"),
    "omeprazole": ("Omeprazole",),
    "insulin-lispro": ("Insulin Lispro", "Humalog"),
    "amiodarone-hydrochloride": ("Amiodarone Hydrochloride", "Pacerone"),
    "acetaminophen-and-codeine-phosphate": ("Acetaminophen and Codeine Phosphate",),
}
SYNONYMS = {"plavix": "clopidogrel", "losec": "omeprazole", "tylenol with codeine": "acetaminophen and codeine"}
ZH = (GenericName(zh="胺碘酮", en="amiodarone"), GenericName(zh="奥美拉唑", en="omeprazole", zh_aliases=("洛赛克",)))


def named() -> NamedByUser:
    return NamedByUser(NAMES, SYNONYMS, ZH)


def test_medicine_words_drop_salts_and_shared_words() -> None:
    assert medicine_words("amiodarone-hydrochloride", NAMES["amiodarone-hydrochloride"]) == {"amiodarone", "pacerone"}
    assert medicine_words("insulin-lispro", NAMES["insulin-lispro"]) == {"lispro", "humalog"}
    assert "and" not in medicine_words("acetaminophen-and-codeine-phosphate", ())


def test_a_medicine_named_by_generic_brand_or_chinese_name() -> None:
    n = named()
    assert n.named("omeprazole", "I'm on Plavix, can I buy Losec for heartburn?")
    assert n.named("clopidogrel", "I'm on Plavix, can I buy Losec for heartburn?")
    assert n.named("amiodarone-hydrochloride", "心内科刚给我加了胺碘酮，能一起吃吗？")
    assert n.named("omeprazole", "洛赛克能和它一起吃吗")
    assert n.named("acetaminophen-and-codeine-phosphate", "the hospital gave me Tylenol with codeine")


def test_a_medicine_not_named() -> None:
    n = named()
    assert not n.named("omeprazole", "I'm on Plavix, what can I take for period pain?")
    assert not n.named("insulin-lispro", "Can I keep my insulin glargine pen out of the fridge?")
    assert not n.named("clopidogrel", "我在吃奥美拉唑")


def test_wrong_and_unnamed_splits_only_wrong_answers() -> None:
    n = named()
    question = "I'm on clopidogrel. Can I take omeprazole?"
    assert n.wrong_and_unnamed(True, ["omeprazole", "clopidogrel"], question) is False
    assert n.wrong_and_unnamed(True, ["insulin-lispro"], question) is True
    assert n.wrong_and_unnamed(False, ["clopidogrel"], question) is False
    assert n.wrong_and_unnamed(None, [], question) is None


def test_only_the_users_turns_count() -> None:
    dialogue = [Turn("user", "I take clopidogrel."), Turn("assistant", "Omeprazole is often taken with it."),
                Turn("user", "Anything else to watch?")]
    text = user_text(dialogue)
    assert "Omeprazole" not in text
    assert not named().named("omeprazole", text)
    assert "clopidogrel" in user_words(text, SYNONYMS, ZH)
