"""A product the database lacks asked about beside a medicine the user takes: the asking part of the sentence
names it ("pt on metoprolol + lisinopril, wants to start Kelvora for sleep - usual dose?"), "it" follows it in
the asking sentence ("Is echinacea ok to take for a cold, what are the side effects of it?"), a made-up brand
asked as safe beside one's own medicine ("I take warfarin. is zentravix safe for me"), an amount asked outright
("how much guaifenesin can I take"). No label of the medicine taken answers for it (development set
eval/data/consult_dev_wrongmed_s9.jsonl, session 9)."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Distillation, Turn
from indexing.schema import Attribute
from indexing.store import MedicineEntry

_LABEL_WORDS = {"safe", "sleep", "usual", "dose", "cough", "cold", "chest", "infection", "effects", "side"}


def _entry(mid: str, name: str) -> MedicineEntry:
    return MedicineEntry(mid, name, (), "en", "", ("dosage", "adverse_reactions", "interactions", "warnings"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([_entry(m, m.title()) for m in ("warfarin", "metoprolol", "lisinopril", "amoxicillin",
                                                            "metformin", "ibuprofen", "apixaban")],
                           extra_drug_names=["Guaifenesin", "Echinacea"],
                           is_known_word=lambda w: w in _LABEL_WORDS)


def _distill(lexicon: MedicineLexicon, *turns: str) -> Distillation:
    return RuleDistiller().distill([Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)],
                                   lexicon)


def test_a_made_up_brand_asked_as_safe_beside_ones_own_medicine(lexicon: MedicineLexicon) -> None:
    assert lexicon.unheard_of("zentravix", "is zentravix safe for me")
    assert not lexicon.unheard_of("guaifenesin", "is guaifenesin safe for me")  # a drug the dictionary knows
    # a word taken for a name where it stands ("with leafy"), or a Chinese product name: not a made-up brand
    assert not lexicon.unheard_of("leafy", "Does warfarin interact with leafy greens like spinach and kale?")
    assert not lexicon.unheard_of("辅酶q10", "辅酶Q10和立普妥能一起吃吗")
    d = _distill(lexicon, "Does warfarin interact with leafy greens like spinach and kale?")
    assert [q.medicine for q in d.queries][:1] == ["warfarin"]  # (consult_dev_sections_s8 sec8-38)
    # before: warfarin's interactions answered
    d = _distill(lexicon, "i take warfarin. is zentravix safe for me")
    assert d.queries == [] and d.unknown_drugs and d.unknown_drugs[0].startswith("zentravix")


def test_the_asking_part_names_the_absent_product(lexicon: MedicineLexicon) -> None:
    # before: metoprolol's and lisinopril's doses answered
    d = _distill(lexicon, "pt on metoprolol + lisinopril, wants to start Kelvora for sleep - usual dose?")
    assert d.queries == [] and d.unknown_drugs == ["Kelvora"]
    # parts set off by punctuation only: "and" joins the medicine to what is asked of it (a word taken for an
    # unknown name there, "tummy", leaves the medicine asked about)
    d = _distill(lexicon, "lisinopril and tummy trouble, common?")
    assert [q.medicine for q in d.queries] == ["lisinopril"]
    # the asking part names the medicine taken: it is asked about
    d = _distill(lexicon, "pt on metoprolol, wants to start Kelvora for sleep - usual dose of the metoprolol?")
    assert [q.medicine for q in d.queries] == ["metoprolol"]


def test_an_amount_asked_outright_is_a_dose_question(lexicon: MedicineLexicon) -> None:
    assert classify_attribute("how much guaifenesin can I take for the cough?").attribute == Attribute.DOSAGE
    # before: an interactions question with amoxicillin, whose label answered
    d = _distill(lexicon, "I'm on amoxicillin for a chest infection, how much guaifenesin can I take for the cough?")
    assert d.queries == [] and d.unknown_drugs == ["guaifenesin"]


def test_it_after_the_absent_product_is_that_product(lexicon: MedicineLexicon) -> None:
    # before: "it" was metformin, said two turns before
    d = _distill(lexicon, "I'm on metformin 500 twice a day.", "Okay.", "my grandson is visiting this week",
                 "That's nice.", "Is echinacea ok to take for a cold, what are the side effects of it?")
    assert d.queries == [] and d.unknown_drugs == ["echinacea"]
    # taking it beside "it" is an interactions question of the medicine said before, read for the product (as
    # before: its label is read where it names the product; here there is no label to read)
    d = _distill(lexicon, "I'm on metformin 500 twice a day.", "Okay.", "Can I take echinacea with it?")
    assert d.audit["attribute"] == "interactions" and d.audit["own_withheld"]


def test_a_made_up_brand_beside_any_medicine(lexicon: MedicineLexicon) -> None:
    # before: warfarin's warnings answered (warfarin is not said to be the user's own)
    d = _distill(lexicon, "Is Kardolan safe with warfarin?")
    assert d.queries == [] and d.unknown_drugs[0].startswith("Kardolan")
    # before: apixaban's interactions answered; "considering X" names a product
    d = _distill(lexicon, "pt on apixaban, considering Zoretrim for AF - interactions?")
    assert d.queries == [] and d.unknown_drugs[0].startswith("Zoretrim")


def test_the_new_one_may_be_the_product_the_database_lacks(lexicon: MedicineLexicon) -> None:
    # before: warfarin's side effects answered "the new one"
    d = _distill(lexicon, "Been on warfarin 10 years. Just started on Trevantix from the cardiologist. Side effects "
                          "of the new one?")
    assert d.queries == [] and d.unknown_drugs == ["Trevantix"]
    d = _distill(lexicon, "Been on Trevantix for years, just started warfarin. Side effects of the new one?")
    assert [q.medicine for q in d.queries] == ["warfarin"]
