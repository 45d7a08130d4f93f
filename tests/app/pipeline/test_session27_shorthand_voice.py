"""Readings of clinicians' shorthand and of voice-dictated messages (session 27, the twentieth sitting's tuning
half): a long name speech-to-text split into words ("lose artan", "a tour of a statin"), the same in Chinese
(奥斯他为, 甲消坐), "levo 100mcg", "omep", "co-amox", "allergic to pen", "?safe in preg", "lady at 33/40", "K+ 6.3 ...
hold the spiro?", "first line for uncomplicated UTI", a weekly medicine taken every day, the ingredient of a
combination named the sentence before, and which of two named medicines is the one taken."""

from __future__ import annotations

import pytest

from app.pipeline.allergy_spelling import respell_allergen
from app.pipeline.attributes import classify_attribute
from app.pipeline.context import allergens_in, dose_form
from app.pipeline.indication_search import LAY_TERMS, asks_which_medicine, condition_asked
from app.pipeline.ingestion import too_much_taken
from app.pipeline.ingredient_of import without_ingredients_of_named
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.read_cues import own_medicines, question_expansions
from app.pipeline.spoken_names import SpokenNames, sound_key
from indexing.store import MedicineEntry
from indexing.text import sentences

_GENERICS = ["losartan", "sertraline", "atorvastatin", "metformin", "ibuprofen", "amlodipine", "lisinopril",
             "mirtazapine", "doxycycline", "citalopram", "oxybutynin", "acitretin", "tetracycline", "macitentan",
             "naproxen", "warfarin", "clopidogrel", "leucovorin"]
# the English words of these tests (the lexicon reads the encoder's vocabulary)
_WORDS = {"lose", "sir", "line", "met", "forming", "am", "low", "dipping", "tour", "of", "be", "lie", "sinner",
          "exhibit", "any", "is", "starting", "the", "recycling", "my", "stent", "can", "with", "flow", "max", "deep",
          "in", "as", "peen", "docks", "sit", "tallow", "pram", "a", "i", "statin", "nap", "rocks", "war", "far",
          "like", "run", "clopped", "should"}


@pytest.fixture(scope="module")
def spoken() -> SpokenNames:
    return SpokenNames(_GENERICS, ["flomax", "zyrtec"])


def _spoken(names: SpokenNames, text: str) -> list[str]:
    tokens = text.split()
    return [s.name for s in names.find(tokens, lambda i: True, lambda w: w in _WORDS)]


def test_a_sound_key_reads_letters_that_sound_alike_as_one() -> None:
    assert sound_key("ibuprofen") == sound_key("ibeprofen") == "abprfn"
    assert sound_key("atorvastatin") == sound_key("atourofastatin")
    assert sound_key("amlodipine") == sound_key("amlowdipping")  # "forming", "dipping": a final ng as n


@pytest.mark.parametrize(("said", "name"), [
    ("um my doctor gave me lose artan fifty milligrams", "losartan"),
    ("is sir tra line ok with a glass of wine", "sertraline"),
    ("my mum takes a tour of a statin", "atorvastatin"),
    ("the side effects of met forming", "metformin"),
    ("I take am low dipping", "amlodipine"),
    ("started me on am lo deep in five milligrams", "amlodipine"),
    ("since I started the mert as a peen fifteen", "mirtazapine"),  # one skeleton, by how it sounds
    ("the GP gave me docks ee cycline for my skin", "doxycycline"),
    ("my gran is on sit tallow pram", "citalopram"),
    ("is the flow max my husband takes for blood pressure", "flomax"),  # a brand split in two
    ("can i take nap rocks in for my knee", "naproxen"),  # English words only: the same sound exactly
    ("my dad is on war far in", "warfarin"),
    ("hi i'm on clopped a grel since my stent", "clopidogrel"),
])
def test_a_name_split_by_speech_is_read(spoken: SpokenNames, said: str, name: str) -> None:
    assert _spoken(spoken, said.casefold()) == [name]


def test_the_shortest_span_one_letter_off() -> None:
    names = SpokenNames(["ibuprofen", "lisinopril"])
    found = names.find("can i take i be profen with lie sinner pril".split(), lambda i: True,
                       lambda w: w in _WORDS)
    assert [(s.name, s.start, s.words) for s in found] == [("ibuprofen", 3, 3), ("lisinopril", 7, 3)]


@pytest.mark.parametrize("said", [
    "did the left hemidiaphragm exhibit any alteration",  # sounds as oxybutynin; English words, spelt otherwise
    "my doctor is starting me on nardil",  # acitretin
    "the box has gone in the recycling",  # tetracycline: "the" starts no name
    "clopidogrel after my stent can i buy prilosec",  # macitentan
    "my thighs ache like i ve run a marathon",  # leucovorin: a contraction's tail is no syllable
])
def test_ordinary_words_are_no_spoken_name(spoken: SpokenNames, said: str) -> None:
    assert _spoken(spoken, said) == []


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "interactions", "warnings"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([
        _entry("levothyroxine", "Levothyroxine"), _entry("levofloxacin", "Levofloxacin"),
        _entry("levetiracetam", "Levetiracetam"), _entry("omeprazole", "Omeprazole"),
        _entry("clopidogrel", "Clopidogrel"), _entry("gabapentin", "Gabapentin"),
        _entry("amoxicillin-and-clavulanate-potassium", "Amoxicillin and Clavulanate Potassium"),
        _entry("chloroquine-phosphate", "Chloroquine Phosphate"),
        _entry("hydroxychloroquine-sulfate", "Hydroxychloroquine Sulfate"),
        _entry("montelukast", "Montelukast"), _entry("losartan", "Losartan"),
        _entry("acetaminophen-and-codeine-phosphate", "Acetaminophen and Codeine Phosphate", "co-codamol"),
        _entry("codeine-sulfate", "Codeine Sulfate"),
    ], is_known_word=lambda word: False)


@pytest.mark.parametrize(("text", "ids"), [
    ("70F, levo 100mcg mane. do they clash?", ["levothyroxine"]),  # dosed in micrograms
    ("can omep be crushed for NG tube", ["omeprazole"]),
    ("is the new one a problem with the clopi?", ["clopidogrel"]),
    ("co-amox 625 tds in pen allergy?", ["amoxicillin-and-clavulanate-potassium"]),
    ("gaba 300 tds - max dose in CKD?", ["gabapentin"]),  # "gaba" only with a dose
    ("a malaria tablet hydroxy chloroquine for lupus", ["hydroxychloroquine-sulfate"]),
    ("um my doctor gave me lose artan fifty milligrams", ["losartan"]),
])
def test_clinician_and_spoken_names(lexicon: MedicineLexicon, text: str, ids: list[str]) -> None:
    assert [m.medicine_id for m in lexicon.find(text)] == ids


def test_levo_without_a_microgram_dose_is_no_one_medicine(lexicon: MedicineLexicon) -> None:
    assert [m.medicine_id for m in lexicon.find("pt on levo, ok with warfarin?") if m.medicine_id] == []


def test_a_word_after_and_is_no_unlisted_name(lexicon: MedicineLexicon) -> None:
    found = lexicon.find("mum says he's had nightmares and tantrums ever since")
    assert [m.surface for m in found] == []


def test_the_ingredient_of_a_combination_named_before(lexicon: MedicineLexicon) -> None:
    question = "mum day 2 post CS, wants co-codamol 30/500 for wound pain. is codeine ok for baby?"
    kept = without_ingredients_of_named(question, lexicon.find(question), lexicon.in_a_named_combination)
    assert [m.medicine_id for m in kept] == ["acetaminophen-and-codeine-phosphate"]
    # the same sentence naming both is not read so (app.pipeline.ingredient_of.without_held_ingredients)
    both = "codeine or co-codamol, which is stronger?"
    assert len(without_ingredients_of_named(both, lexicon.find(both), lexicon.in_a_named_combination)) == 2


@pytest.mark.parametrize(("clause", "allergen"), [
    ("pt allergic to pen, can she have cefalexin?", "penicillin"),
    ("pen allergic, ok for amoxicillin?", "penicillin"),
    ("penicillin allergic pt - ok for amoxicillin?", "penicillin"),
    ("PCN allergy, is clindamycin ok", "penicillin"),
])
def test_a_clinicians_allergy(clause: str, allergen: str) -> None:
    assert [respell_allergen(a) for a in allergens_in(clause)] == [allergen]


@pytest.mark.parametrize("clause", ["how long for allergic reaction after using nivolumab",
                                    "she is allergic, what can she take"])
def test_no_allergen_before_allergic(clause: str) -> None:
    assert allergens_in(clause) == []


def test_a_pen_allergy_names_no_pen() -> None:
    assert dose_form("pt allergic to pen, can she have cefalexin?") is None
    assert dose_form("my insulin pen is it ok out of the fridge") is not None


@pytest.mark.parametrize(("question", "section"), [
    ("?safe in preg - nitrofurantoin", "pregnancy"),
    ("lady at 33/40 with pelvic girdle pain, is ibuprofen ok at this stage?", "pregnancy"),
    ("the lady in bed 4 is on digoxin, K+ 3.1, anything to watch", "warnings"),
    ("65M on ISMN asking me for sildenafil. absolute no or is there a workaround?", "contraindications"),
    ("K+ 6.3 on this am's bloods, creat up a bit. hold the spiro?", "warnings"),
    ("双相 加量拉莫三嗪到100mg 第三周 身上出红疹 要不要停", "warnings"),
    ("上腹剧痛放射到背部，司美格鲁肽要停药吗", "warnings"),
    ("T2DM 老年患者 eGFR 27，还在吃二甲双胍，现在还能继续吗？", "contraindications"),
    ("6岁，能换多西环素吗？牙齿会不会黄", "warnings"),
])
def test_shorthand_cues(question: str, section: str) -> None:
    found = classify_attribute(question).attribute
    assert found is not None and found.value == section


@pytest.mark.parametrize(("question", "words"), [
    ("?safe in preg", {"pregnant"}),
    ("lady at 33/40, ok at this stage?", {"gestat", "third", "trimest"}),
    ("LFTs deranged on it", {"hepat", "transaminas"}),
    ("eGFR 28, max dose?", {"renal", "creatinin"}),
    ("K+ 3.1 today", {"hypokalemia"}),
    ("K+ 6.3 on this am's bloods", {"hyperkalemia"}),
    ("INR 4.9 today", {"prothrombin"}),
    ("resident on donepezil, HR 45 today - hold?", {"bradycardia"}),
    ("BP 85/50 this morning", {"hypotens"}),
    ("she's eating all day now and she's gone up two dress sizes", {"appetit", "weight"}),
    ("my feet and ankles have blown up like balloons", {"edema"}),
])
def test_shorthand_in_the_labels_words(question: str, words: set[str]) -> None:
    assert words <= question_expansions(question)


def test_appetite_brings_no_increase() -> None:
    # "increased" matched mirtazapine's "increased risk of serotonin syndrome" and led with its contraindication
    assert "increas" not in question_expansions("I've put on a stone and I'm starving all the time")


@pytest.mark.parametrize("question", [
    "what's first line for uncomplicated UTI",
    "first line treatment for gout flare?",
    "drug of choice for trigeminal neuralgia",
])
def test_a_clinicians_which_medicine_question(question: str) -> None:
    assert asks_which_medicine(question)
    assert condition_asked(question) is not None


def test_condition_abbreviations_in_the_labels_words() -> None:
    assert "urinary tract infections" in LAY_TERMS["uti"]
    assert "gastroesophageal reflux" in LAY_TERMS["gord"]
    assert "cap" not in LAY_TERMS  # "cradle cap" is no pneumonia


@pytest.mark.parametrize("told", [
    "我爸那个甲氨碟岭 本来是一个礼拜吃一次的 他这四天每天都吃了 怎么办啊",
    "mum has been taking her methotrexate every day instead of once a week, what do we do",
    "pt took MTX 10mg daily x5 days instead of weekly. antidote?",
])
def test_a_weekly_medicine_taken_every_day_is_too_much(told: str) -> None:
    assert too_much_taken(told)


def test_a_weekly_and_a_daily_medicine_are_no_mistake() -> None:
    assert not too_much_taken("I take alendronate weekly and vitamin D daily, can I take them together?")


@pytest.mark.parametrize(("question", "mentions", "own"), [
    # a bare 吃 said of how it goes is taken: the friend's tramadol is asked
    ("本人癫痫，吃丙戊酸钠控制得还可以。腰扭了，朋友给了我几片曲马多，我能吃吗？",
     [("divalproex-sodium", "丙戊酸钠"), ("tramadol", "曲马多")], {"divalproex-sodium"}),
    # what is switched to is asked
    ("阿奇霉素效果不好，能换多西环素吗？", [("azithromycin", "阿奇霉素"), ("doxycycline", "多西环素")],
     {"azithromycin"}),
    ("冠心病患者舌下含硝酸甘油备用，问能不能开希爱力", [("nitroglycerin", "硝酸甘油"), ("tadalafil", "希爱力")],
     {"nitroglycerin"}),
    ("65M on ISMN 60mg XL for angina asking me for sildenafil", [("isosorbide-mononitrate", "ismn"),
                                                                 ("sildenafil", "sildenafil")],
     {"isosorbide-mononitrate"}),
    ("吃布洛芬可以吗？", [("ibuprofen", "布洛芬")], set()),
])
def test_which_named_medicine_is_taken(question: str, mentions: list[tuple[str, str]], own: set[str]) -> None:
    assert own_medicines(question, mentions) == own


def test_a_medicine_meant_by_this_is_asked() -> None:
    question = "新的这个药能不能和布洛芬一起吃？我膝盖疼，经常吃芬必得。"
    assert own_medicines(question, [("ibuprofen", "芬必得")]) == set()
    assert own_medicines(question, [("ibuprofen", "芬必得")], frozenset({"valsartan"})) == {"ibuprofen"}


def test_a_section_number_with_a_space_ends_no_sentence() -> None:
    text = ("Overdosage has occurred with methotrexate [see Warnings and Precautions (5. 9)] . Manifestations of "
            "methotrexate overdosage include adverse reactions. The dose is 5. Then stop.")
    assert sentences(text)[0].endswith("(5. 9)] .")
    assert len(sentences(text)) == 4


@pytest.mark.parametrize(("text", "name"), [
    ("今天又加了个新的 奥斯他为 一天吃几次", "奥司他韦"),  # every syllable by a character of its sound
    ("牙医给我开了甲消坐 喝一点啤酒可以吗", "甲硝唑"),
    ("嗯那个 对一先安基分 我能吃吗", "对乙酰氨基酚"),
    ("我妈吃的那个安绿地平五毫克的", "氨氯地平"),  # 氨: a chemistry character first
])
def test_a_chinese_name_typed_by_voice(text: str, name: str) -> None:
    pytest.importorskip("pypinyin")
    from app.pipeline.zh_homophones import HomophoneIndex

    index = HomophoneIndex.of(["奥司他韦", "甲硝唑", "对乙酰氨基酚", "氨氯地平", "利伐沙班", "优维显", "优甲乐"])
    assert index is not None
    assert [found for j in range(len(text)) if (found := index.at(text, j))][:1] == [name]


@pytest.mark.parametrize("text", ["会不会有危险", "医生又加了西格列汀", "立伐沙班"])
def test_an_everyday_first_character_is_never_read_through(text: str) -> None:
    pytest.importorskip("pypinyin")
    from app.pipeline.zh_homophones import HomophoneIndex

    index = HomophoneIndex.of(["利伐沙班", "优维显", "优甲乐"])
    assert index is not None
    assert all(index.at(text, j) is None for j in range(len(text)))


@pytest.mark.parametrize(("said", "written"), [
    ("a child who weighs like fifteen kilos", "a child who weighs like 15 kilos"),
    ("she's three years old", "she's 3 years old"),
    ("twenty five milligrams twice a day", "25 milligrams twice a day"),
    ("two and a half years", "2.5 years"),
    ("a hundred and fifty mg", "150 mg"),
    ("the blue one, one of those", "the blue one, one of those"),  # no unit: words stay
])
def test_dictated_numbers_before_a_unit(said: str, written: str) -> None:
    from app.pipeline.spoken_numbers import spoken_numbers

    assert spoken_numbers(said) == written


def test_a_dictated_age_makes_a_child() -> None:
    from app.pipeline.read_cues import conditions_in

    child = next(c for c in conditions_in("my son is three years old, how much can he have") if c.name == "child")
    assert child is not None


@pytest.mark.parametrize(("question", "words"), [
    ("she keeps falling over could it be that", {"syncop", "fall"}),
    ("45F on citalopram 40, QTc 480 on ECG. reduce?", {"qt", "prolong"}),
    ("she keeps getting like a runny tummy is that normal", {"diarrhea"}),
])
def test_effects_dictated_in_the_labels_words(question: str, words: set[str]) -> None:
    assert words <= question_expansions(question)


def test_an_ingredient_named_as_a_product_of_its_own(lexicon: MedicineLexicon) -> None:
    question = "I use co-codamol. Can I also take codeine tablets?"
    kept = without_ingredients_of_named(question, lexicon.find(question), lexicon.in_a_named_combination)
    assert [m.medicine_id for m in kept] == ["acetaminophen-and-codeine-phosphate", "codeine-sulfate"]
