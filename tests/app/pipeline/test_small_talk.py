"""Small talk and unrelated turns (issue 17): a greeting, thanks or "any good pizza place?" gets a short reply
saying what clinqa answers (status not_medical), keeps the conversation's medicines, and a terse real question
after a medicine stays a medicine question."""

from __future__ import annotations

import pytest

from app.enums import Status
from app.pipeline.context import (
    RECORD,
    RECORD_TURN,
    ConversationContext,
    MedicineMention,
    MedStatus,
    Owner,
    build_context,
)
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.small_talk import TalkKind, classify, small_talk
from app.pipeline.state import Serving, Turn, TurnRequest, TurnState
from indexing.store import MedicineEntry

# Words the label corpus uses (a stand-in for the index's document frequencies): anything else is rare there.
_LABEL_WORDS = frozenset(
    """good place around here close time take taken dose tablet food with what when how much many the for day
    week month year there near open today still safe again about know tell next""".split()
)


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "interactions"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon(
        [_entry("warfarin", "Warfarin Sodium", "Coumadin"), _entry("sertraline", "Sertraline", "Zoloft"),
         _entry("metformin", "Metformin"), _entry("ibuprofen", "Ibuprofen", "Advil")],
        is_known_word=lambda w: w.casefold() in _LABEL_WORDS,
    )


@pytest.mark.parametrize(("turn", "kind"), [
    ("hello", TalkKind.GREETING),
    ("Hi there!", TalkKind.GREETING),
    ("good morning doc", TalkKind.GREETING),
    ("thanks!", TalkKind.THANKS),
    ("Thank you so much for your help :)", TalkKind.THANKS),
    ("ok great, thx", TalkKind.THANKS),
    ("That was really helpful.", TalkKind.THANKS),
    # thanks with a compliment, emoticons and "lol"; the doctor named is the one outdone, not a question
    ("thanks, that's really helpful :) you're better than my GP lol", TalkKind.THANKS),
    ("ty!! you're a lifesaver :D", TalkKind.THANKS),
    ("Cheers mate, you are better than any doctor xD", TalkKind.THANKS),
    ("Great, thank you! Have a nice weekend.", TalkKind.FAREWELL),
    ("bye", TalkKind.FAREWELL),
    ("lol ok", TalkKind.ACKNOWLEDGEMENT),
    ("Sorry, one sec", TalkKind.ACKNOWLEDGEMENT),
    ("who are you?", TalkKind.ABOUT_SERVICE),
    ("What can you do?", TalkKind.ABOUT_SERVICE),
    ("你好", TalkKind.GREETING),
    ("谢谢！", TalkKind.THANKS),
    ("好的，谢谢医生", TalkKind.THANKS),
    ("再见", TalkKind.FAREWELL),
    ("Any good pizza place around here?", TalkKind.UNRELATED),
    ("who won the football game last night?", TalkKind.UNRELATED),
    ("Can you recommend a movie?", TalkKind.UNRELATED),
    # the weather and the time, whose words the labels use (heat warnings, dosing times)
    ("What's the weather like today?", TalkKind.UNRELATED), ("is it going to rain tomorrow", TalkKind.UNRELATED),
    ("what time is it?", TalkKind.UNRELATED), ("今天天气怎么样？", TalkKind.UNRELATED),
    # a remark on the weather, with a tag question's "it" (a new-user trial, session 8)
    ("ugh the weather is terrible today isn't it", TalkKind.UNRELATED),
    ("the weather has been lovely this week", TalkKind.UNRELATED),
])
def test_small_talk_kinds(lexicon: MedicineLexicon, turn: str, kind: TalkKind) -> None:
    assert classify(turn, lexicon) is kind


@pytest.mark.parametrize("turn", [
    # terse questions after a medicine: a section cue, a health word, a reference back, an elliptical start
    "dose?", "and for kids?", "side effects", "what about alcohol", "what about grapefruit", "How long?",
    "Should I worry?", "Is that normal?", "is it addictive?", "What if I miss one?", "whats the dosge",
    "Can I still go to the gym?", "can I play football?", "Is there a good pizza place? Is it ok with pizza?",
    # medicine names, conditions, whole sentences that mix thanks with a question
    "thanks, and can I take Advil with it?", "Thanks! Is Zoloft safe in pregnancy?", "hello, I'm pregnant",
    "thanks, and can I take it with food?", "thanks :) my GP said to take two, is that ok?",
    "you're better than my doctor lol, what dose for kids?", "thanks lol, my GP wants me off ibuprofen",
    "My stomach hurts", "I'm allergic to penicillin", "what can I take for a headache?",
    "谢谢，这个药孕妇能吃吗？", "你好，华法林怎么吃？",
    # replies to the service's own questions are not small talk
    "yes", "the first one",
    # what a product is, asked of a name the database lacks or the user misspelt (MedicationQA wording)
    "what is pepsin", "what is nano silver?", "what is metopol tar use", "what does hydro coding acet 5-325",
    "what is asa ec",
    # the weather or the time of a medicine question
    "is it safe to take in hot weather?", "what time is it best to take it", "下雨天关节痛能吃布洛芬吗",
    "天热的时候药怎么保存",
    "how should I store it in this weather?", "can I take it in this hot weather?",
    "the weather makes my joints ache, is that the medicine?",
    # a dose missed, said by when it was due
    "Just realised I didn't take yesterday's. What do I do now?",
])
def test_medicine_questions_are_not_small_talk(lexicon: MedicineLexicon, turn: str) -> None:
    assert classify(turn, lexicon) is None, turn


def test_unrelated_needs_the_label_vocabulary() -> None:
    bare = MedicineLexicon([_entry("warfarin", "Warfarin Sodium")])
    assert classify("Any good pizza place around here?", bare) is None  # no vocabulary: no evidence of a topic
    assert classify("thanks!", bare) is TalkKind.THANKS


def test_reply_names_the_conversations_medicines(lexicon: MedicineLexicon) -> None:
    dialogue = [Turn("user", "I take Coumadin."), Turn("assistant", "Okay."), Turn("user", "thanks!")]
    talk = small_talk("thanks!", lexicon, build_context(dialogue, lexicon))
    assert talk is not None and talk.kind is TalkKind.THANKS
    assert "Warfarin Sodium" in talk.reply and "[" not in talk.reply
    records = ConversationContext([MedicineMention("metformin", "Metformin 500 MG", Owner.USER, MedStatus.LONG_TERM,
                                                   RECORD_TURN, source=RECORD)], [], 0)
    on_record = small_talk("hello", lexicon, records)
    assert on_record is not None and "Metformin" not in on_record.reply  # a record nobody spoke of is not named
    zh = small_talk("谢谢", lexicon, build_context([Turn("user", "谢谢")], lexicon))
    assert zh is not None and zh.reply.startswith("不客气")


def _state(lexicon: MedicineLexicon, *turns: str) -> TurnState:
    history = [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns[:-1])]
    return TurnState(TurnRequest(message=turns[-1], history=history),
                     Serving(None, lexicon))  # type: ignore[arg-type]  # the distill stage reads no index


def test_distill_stage_answers_small_talk_and_keeps_the_context(lexicon: MedicineLexicon) -> None:
    distiller = RuleDistiller()
    state = _state(lexicon, "My husband takes Coumadin.", "Okay.", "Any good pizza place around here?")
    distiller.run(state)
    assert state.reading is not None and state.reading.status is Status.NOT_MEDICAL
    assert state.reading.citations == [] and state.distilled.queries == []
    assert state.distilled.audit["small_talk"] == "unrelated"
    assert state.conversation is not None and [m.medicine_id for m in state.conversation.medicines] == ["warfarin"]
    # the next question with "it" still finds the medicine said before the unrelated turn
    state = _state(lexicon, "My husband takes Coumadin.", "Okay.", "Any good pizza place around here?",
                   "That is outside what I can help with.", "Can he take it with ibuprofen?")
    distiller.run(state)
    assert state.reading is None
    assert {q.medicine for q in state.distilled.queries} == {"warfarin", "ibuprofen"}


def test_a_turn_with_images_is_not_small_talk(lexicon: MedicineLexicon) -> None:
    state = TurnState(TurnRequest(message="hi", history=[], images=["box.jpg"]),
                      Serving(None, lexicon))  # type: ignore[arg-type]
    RuleDistiller().run(state)
    assert state.reading is None


@pytest.mark.parametrize("text", ["thanks. totally unrelated, have you got a good banana bread recipe?",
                                  "what's the capital of France?", "how do I bake banana bread?"])
def test_a_turn_said_to_be_off_the_subject_is_unrelated(lexicon: MedicineLexicon, text: str) -> None:
    assert classify(text, lexicon) is TalkKind.UNRELATED
