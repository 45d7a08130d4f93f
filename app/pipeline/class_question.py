"""A question about a class of medicines and no medicine of it: "can I drink alcohol while taking a
cephalosporin?", "are statins ok with grapefruit?", "吃头孢的时候能喝酒吗".

Labels are per product and differ within a class (cefalexin says nothing of alcohol; some cephalosporins
cause a disulfiram-like reaction), so no one label answers for the class. A pharmacist asks which one: the
turn is a question back naming the class and a few of its members in the database, and the user's reply
(a name) is answered with the question asked here (app.pipeline.distill reads a reply to this question as it
reads a reply to "Which medicine do you mean: ...?").

A class is what the user calls it: the lay kinds of app.pipeline.class_reference ("blood thinners",
"antibiotics", "降压药") and the pharmacologic class words labels use for each other (app.records.interactions:
"NSAIDs", "SSRIs", "ACE inhibitors", "cephalosporins"). Its members are the medicines whose label declares the
class (indexing.vocabulary.pharm_class_keys) or an established class the labels give its members
(established_classes: metronidazole's "Nitroimidazole Antimicrobial" is an antibiotic's), or whose generic name
has the class's stem. A lay kind's examples span its classes (a tetracycline, a penicillin, a macrolide ...);
the question back's `options` are the examples as the user would reply with one.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from app.pipeline.class_reference import KINDS, is_of_kind, kinds_said
from app.pipeline.indication_search import is_homeopathic
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.synonyms import drug_synonyms
from app.pipeline.zh_script import to_simplified
from app.records.interactions import DRUG_CLASSES
from indexing.store import SearchIndex
from indexing.vocabulary import base_name, has_cjk, pharm_class_keys

MAX_EXAMPLES = 5
_EPC = " [EPC]"

# The question back starts with these words (app.pipeline.distill recognises a reply to it by them).
ASKED_BACK = re.compile(r"^(?:Which (?:one of the )?[\w -]+ do you (?:take|mean)\?|您用的是哪一种)")

# Class words as people write them in Chinese, and how the question back names the class.
_CLASSES_ZH: dict[str, tuple[str, str]] = {
    "cephalosporin": (r"头孢", "头孢类抗生素"),  # a named one (头孢氨苄) is a medicine the lexicon finds first
    "statin": (r"他汀类|他汀药", "他汀类药物"),
    "nsaid": (r"非甾体抗炎药|非甾体类", "非甾体抗炎药"),
    "ssri": (r"SSRI|选择性5-?羟色胺再摄取抑制剂", "SSRI类抗抑郁药"),
    "ppi": (r"质子泵抑制剂|拉唑类", "质子泵抑制剂"),
    "benzodiazepine": (r"苯二氮[䓬卓]类|安定类", "苯二氮䓬类药物"),
    "fluoroquinolone": (r"喹诺酮类|沙星类", "喹诺酮类抗生素"),
    "beta_blocker": (r"β受体阻滞剂|贝塔阻滞剂|洛尔类", "β受体阻滞剂"),
    "ace_inhibitor": (r"普利类", "普利类降压药"),
    "arb": (r"沙坦类", "沙坦类降压药"),
    "opioid": (r"阿片类", "阿片类药物"),
    "corticosteroid": (r"激素类药|糖皮质激素", "糖皮质激素"),
    "insulin": (r"胰岛素", "胰岛素"),  # a named one (甘精胰岛素) is a medicine the lexicon finds first
}
_ZH_KIND_NAMES = {"anticoagulant": "抗凝药", "antiplatelet": "抗血小板药", "blood_pressure": "降压药",
                  "diuretic": "利尿药", "statin": "他汀类药物", "antibiotic": "抗生素", "antidiabetic": "降糖药",
                  "antidepressant": "抗抑郁药", "painkiller": "止痛药", "antipyretic": "退烧药",
                  "steroid": "激素类药物", "acid": "胃药", "hypnotic": "安眠药", "antihistamine": "抗过敏药",
                  "antiepileptic": "抗癫痫药", "thyroid": "甲状腺药",
                  "anti_inflammatory": "消炎止痛药", "benzodiazepine": "苯二氮䓬类药物", "decongestant": "减充血剂"}
# The singular a question back names a class by ("Which cephalosporin do you take?").
_SINGULAR = {"nsaid": "NSAID", "ssri": "SSRI", "snri": "SNRI", "maoi": "MAO inhibitor", "ppi": "proton pump inhibitor",
             "ace_inhibitor": "ACE inhibitor", "arb": "ARB", "cns_depressant": "CNS depressant",
             "calcium_channel_blocker": "calcium channel blocker", "beta_blocker": "beta blocker",
             "loop_diuretic": "loop diuretic", "cardiac_glycoside": "cardiac glycoside",
             "tricyclic": "tricyclic antidepressant", "blood_pressure": "blood pressure medicine",
             "acid": "acid or heartburn medicine", "hypnotic": "sleeping pill", "painkiller": "painkiller",
             "antipyretic": "fever reducer", "thyroid": "thyroid medicine", "steroid": "steroid",
             "antidiabetic": "diabetes medicine", "anti_inflammatory": "anti-inflammatory",
             "decongestant": "decongestant"}
_CLASS_SAID = {key: re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE) for key, pattern in DRUG_CLASSES.items()}
# Members by generic-name stem where a label declares no class.
_STEMS = {"cephalosporin": r"^(?:cef|ceph)", "statin": r"(?:atorva|simva|rosuva|prava|lova|fluva|pitava)statin\b",
          "fluoroquinolone": r"floxacin\b",
          "ace_inhibitor": r"pril\b", "arb": r"sartan\b", "beta_blocker": r"olol\b|ilol\b|alol\b",
          "ppi": r"prazole\b", "insulin": r"^insulin\b", "benzodiazepine": r"azepam\b|azolam\b",
          "macrolide": r"thromycin\b",
          "penicillin": r"cillin\b", "pde5_inhibitor": r"afil\b", "heparin": r"parin\b",
          "tricyclic": r"triptyline\b|ipramine\b|^(?:doxepin|amoxapine)\b",
          # classes whose generic names share no stem (labels of the shipped corpus declare none of these)
          "ssri": r"^(?:sertraline|fluoxetine|paroxetine|citalopram|escitalopram|fluvoxamine)\b",
          "snri": r"^(?:venlafaxine|desvenlafaxine|duloxetine|milnacipran|levomilnacipran)\b",
          "maoi": r"^(?:phenelzine|tranylcypromine|isocarboxazid|selegiline)\b",
          "opioid": r"^(?:morphine|oxycodone|hydrocodone|hydromorphone|oxymorphone|codeine|tramadol|tapentadol|"
                    r"fentanyl|methadone|buprenorphine|meperidine)\b"}


@dataclass(frozen=True, slots=True)
class ClassAsked:
    key: str  # a kind of class_reference or a class key of DRUG_CLASSES
    lay: bool  # a kind of class_reference (its members by is_of_kind)
    said: str  # as the user wrote it

    def singular(self) -> str:
        if self.key in _SINGULAR:
            return _SINGULAR[self.key]
        return self.key.replace("_", " ")


# What a class is, how it works, which of it is best, what kinds there are: asked of the class itself, not of
# the one medicine the user takes ("what are beta blockers", "how do opioids reduce pain", "are there
# antibiotics for a cold", "what antidepressants are best for ...").
_OF_THE_CLASS_ITSELF = re.compile(
    r"^\W*(?:what(?:'s| is| are) (?:an? )?\w+(?: \w+)?\W*$|"
    r"what(?:'s| is| are) (?:an? )?(?:[\w-]+ ){0,2}(?:used for|for)\b|"
    r"how (?:(?:do|does) )?.*\b(?:work|reduce|affect|effect|act)s?\b|are there\b|what (?:kinds?|types?)\b|which\b|"
    r"what \w+(?: \w+)? (?:is|are) (?:the )?(?:best|safest|better))|"
    r"是什么|什么是|哪(?:种|些|个)(?:\w{0,4})(?:最好|好|更好|比较好)|有哪些",
    re.IGNORECASE)


# The class the user is allergic to is no class asked about: "I'm allergic to penicillin, which cephalosporin
# can I take?" asks about cephalosporins; "对青霉素过敏" names an allergy.
_ALLERGY_BEFORE = re.compile(
    r"(?:allerg\w*|intoleran\w*|hypersensitiv\w*|reacts?|reaction)\s+(?:to\s+)?(?:all\s+|any\s+)?$", re.IGNORECASE)
_ALLERGY_AFTER_ZH = re.compile(r"^(?:类|类药物|类药)?过敏")
# "penicillin-allergic pt", "sulfa allergy here"
_ALLERGY_AFTER = re.compile(r"^(?:s)?[- ](?:allergic|allergy|allergies)\b", re.IGNORECASE)


def _an_allergy(question: str, start: int, end: int) -> bool:
    return bool(_ALLERGY_BEFORE.search(question[max(0, start - 30):start])
                or _ALLERGY_AFTER_ZH.match(question[end:end + 6]) or _ALLERGY_AFTER.match(question[end:end + 12]))


def class_asked(question: str) -> ClassAsked | None:
    """The class of medicines a question names, if it names one (the most specific: "cephalosporins" before
    "antibiotics"), and asks something that depends on which one the user takes."""
    if _OF_THE_CLASS_ITSELF.search(question):
        return None
    if has_cjk(question):
        simplified = to_simplified(question)
        for key, (pattern, _) in _CLASSES_ZH.items():
            found = next((f for f in re.finditer(pattern, simplified)
                          if not _an_allergy(simplified, f.start(), f.end())), None)
            if found:
                return ClassAsked(key, False, found.group(0))
        for kind in kinds_said(question):
            said_zh = KINDS[kind].said_zh
            found = said_zh.search(simplified) if said_zh is not None else None
            return ClassAsked(kind, True, found.group(0) if found else kind)
        return None
    specific = [(found.start(), key, found.group(0)) for key, said in _CLASS_SAID.items()
                if (found := next((f for f in said.finditer(question)
                                   if not _an_allergy(question, f.start(), f.end())), None))]
    if specific:
        _, key, said = min(specific)
        return ClassAsked(key, False, said)
    kinds = kinds_said(question)
    if kinds:
        found = KINDS[kinds[0]].said.search(question)
        return ClassAsked(kinds[0], True, found.group(0) if found else kinds[0])
    return None


# A lexicon's answers per (class, lay, index version, limit): a class's members cost ~60 ms to find (every
# medicine's classes and the homeopathic check of each candidate's label), and a lexicon lives as long as its index.
_MEMBERS: weakref.WeakKeyDictionary[MedicineLexicon, dict[tuple[str, bool, str, int], list[str]]] = \
    weakref.WeakKeyDictionary()
_MEMBERS_LOCK = threading.Lock()


def members(asked: ClassAsked, lexicon: MedicineLexicon, index: SearchIndex | None = None,
            limit: int = MAX_EXAMPLES) -> list[str]:
    """Up to `limit` medicines of the class in the database (see _find_members); remembered per lexicon."""
    key = (asked.key, asked.lay, index.version if index is not None else "", limit)
    with _MEMBERS_LOCK:
        found = _MEMBERS.get(lexicon, {}).get(key)
    if found is None:
        found = _find_members(asked, lexicon, index, limit)
        with _MEMBERS_LOCK:
            _MEMBERS.setdefault(lexicon, {})[key] = found
    return list(found)


def _find_members(asked: ClassAsked, lexicon: MedicineLexicon, index: SearchIndex | None,
                  limit: int) -> list[str]:
    """Up to `limit` medicines of the class in the database, the usual ones first (taken by mouth, then the
    most names in the drug-name dictionary: brands and spellings accumulate around medicines people take), one
    per active moiety, single ingredients only, no homeopathic product (with `index`: its label text)."""
    names = lexicon.names
    kind = KINDS.get(asked.key) if asked.lay else None
    wanted = kind.classes if kind is not None else frozenset({asked.key})
    stem = re.compile(_STEMS[asked.key]) if asked.key in _STEMS else (
        KINDS[asked.key].names if asked.key in KINDS else None)

    learned = established_classes(stem, wanted, lexicon, broad=kind is not None) if stem is not None else frozenset()

    def of_class(mid: str) -> bool:
        declared = lexicon.classes.get(mid, ())
        if declared and wanted:  # a label's own classes decide ("Nystatin" is no statin)
            return bool(pharm_class_keys(declared) & wanted) or not learned.isdisjoint(declared)
        return stem is not None and stem.search(base_name(names[mid]).casefold()) is not None

    spellings = _names_per_generic()
    single = _named_as_class(asked.key, [mid for mid in names if " and " not in names[mid].casefold()
                                         and "/" not in names[mid] and of_class(mid)], names)
    single.sort(key=lambda mid: ("ORAL" not in lexicon.routes_of(mid),
                                 -spellings.get(base_name(names[mid]).casefold(), 0), len(names[mid]), mid))
    seen: set[str] = set()
    usual: list[str] = []
    for mid in single:
        moiety = base_name(names[mid]).casefold()
        if moiety in seen:
            continue
        seen.add(moiety)
        if index is not None and is_homeopathic(
                [index.chunks[int(r)].text for r in index.rows_by_medicine.get(mid, ())]):
            continue
        usual.append(mid)
    if kind is None:
        return usual[:limit]
    # a lay kind spans classes: one of each, taken by mouth, before a second of any
    return _varied(usual, lambda mid: _subclass(names[mid], lexicon.classes.get(mid, ()))
                   if "ORAL" in lexicon.routes_of(mid) else "", limit)


def _named_as_class(key: str, found: list[str], names: dict[str, str]) -> list[str]:
    """Where most members carry the class's word in their names (insulin aspart, insulin glargine ...), those
    that do: a label declaring the class under another name ("Water" with insulin's classes) is no member a
    user would name."""
    word = key.replace("_", " ")
    named = [mid for mid in found if word in names[mid].casefold()]
    return named if len(named) >= 2 and 2 * len(named) > len(found) else found


def _subclass(name: str, declared: tuple[str, ...]) -> str:
    """Which part of a class a member is: its first established class, else its name's last four letters
    (the INN stem: -cycline, -cillin, -mycin, -azole)."""
    established = _established(declared)
    return established[0] if established else base_name(name).casefold().split()[0][-4:]


def _varied(ranked: list[str], part: Callable[[str], str], limit: int) -> list[str]:
    """The first `limit` of `ranked` taking one of each part of the class in rank order before a second of any
    ("antibiotics": a tetracycline, a penicillin, a macrolide, metronidazole ... rather than five of the most
    named), in rank order; a medicine whose part is "" is taken in its turn only."""
    firsts: list[str] = []
    parts: set[str] = set()
    for mid in ranked:
        if part(mid) and part(mid) not in parts:
            parts.add(part(mid))
            firsts.append(mid)
    chosen = set((firsts + [m for m in ranked if m not in firsts])[:limit])
    return [m for m in ranked if m in chosen]


def _established(declared: tuple[str, ...]) -> list[str]:
    return [c for c in declared if c.endswith(_EPC)]


def _category(epc: str) -> str:
    """The therapeutic word an established class ends with ("Nitroimidazole Antimicrobial [EPC]" ->
    "antimicrobial"), or "" when it ends with another word ("HMG-CoA Reductase Inhibitor")."""
    last = epc.removesuffix(_EPC).split()[-1].casefold()
    return last if last.startswith("anti") else ""


def established_classes(names_of_kind: re.Pattern[str], wanted: frozenset[str], lexicon: MedicineLexicon,
                        broad: bool) -> frozenset[str]:
    """The established pharmacologic classes ([EPC]) the database's labels give a class of medicines beyond its
    class words: the class words miss most of a lay kind ("antibiotics" names penicillins, cephalosporins,
    macrolides and fluoroquinolones; metronidazole's label says "Nitroimidazole Antimicrobial").

    A class belongs to a `broad` kind (a lay word: antibiotics) when it ends with the therapeutic word of a
    member's class ("... Antibacterial", "... Antimicrobial"); to any class when at least two medicines
    declaring it carry the kind's generic names or stems and they are most of those declaring it (the
    gliflozins' "Sodium-Glucose Cotransporter 2 Inhibitor"); a class only one such name declares stays out
    (nystatin's "Polyene Antifungal": no statin)."""
    declarers: dict[str, set[str]] = {}
    named: dict[str, set[str]] = {}
    categories: set[str] = set()
    for mid, declared in lexicon.classes.items():
        name = lexicon.names.get(mid)
        if not name or not declared:
            continue
        moiety = base_name(name).casefold()
        fits = names_of_kind.search(moiety) is not None
        if broad and pharm_class_keys(declared) & wanted:
            categories.update(filter(None, map(_category, _established(declared))))
        for epc in _established(declared):
            declarers.setdefault(epc, set()).add(moiety)
            if fits:
                named.setdefault(epc, set()).add(moiety)
    return frozenset(epc for epc, who in declarers.items()
                     if _category(epc) in categories
                     or (len(named.get(epc, ())) >= 2 and 2 * len(named[epc]) > len(who)))


@lru_cache(maxsize=1)
def _names_per_generic() -> Counter[str]:
    return Counter(generic.casefold() for generic in drug_synonyms().values())


def member_options(examples: list[str], names: dict[str, str], zh_names: dict[str, str],
                   chinese: bool) -> tuple[str, ...]:
    """The members a question back names, as the user would reply with one (the names it shows)."""
    shown = examples[:MAX_EXAMPLES]
    return tuple(dict.fromkeys((zh_names.get(mid) if chinese else None) or base_name(names[mid]) for mid in shown))


def question_back(asked: ClassAsked, examples: list[str], names: dict[str, str], zh_names: dict[str, str],
                  chinese: bool) -> str:
    """"Which cephalosporin do you take? Labels differ within the class; the database has, for example:
    Cefalexin, Cefuroxime ..."."""
    shown = examples[:MAX_EXAMPLES]
    if chinese:
        term = _CLASSES_ZH[asked.key][1] if asked.key in _CLASSES_ZH else _ZH_KIND_NAMES.get(asked.key, asked.said)
        listed = "、".join(zh_names.get(mid) or base_name(names[mid]) for mid in shown)
        return (f"您用的是哪一种{term}？同类药物的说明书各不相同，请告诉我具体的药名。"
                + (f"数据库中有，例如：{listed}。" if listed else ""))
    listed = ", ".join(base_name(names[mid]) for mid in shown)
    return (f"Which {asked.singular()} do you take? Labels differ within a class, so the answer depends on "
            f"the medicine" + (f"; the database has, for example: {listed}." if listed else "."))


def is_member(asked: ClassAsked, medicine_id: str, lexicon: MedicineLexicon) -> bool:
    """Whether a medicine is of the class or kind a turn names (its label's classes, else its name's stem): "the
    beta blocker" is metoprolol, not clopidogrel."""
    name = lexicon.names.get(medicine_id, medicine_id)
    declared = lexicon.classes.get(medicine_id, ())
    if asked.lay:
        return is_of_kind(asked.key, name, declared)
    if asked.key in pharm_class_keys(declared):
        return True
    return asked.key in _STEMS and re.search(_STEMS[asked.key], base_name(name).casefold()) is not None
