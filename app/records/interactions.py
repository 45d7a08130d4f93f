"""Which medicines' labels link them as interacting, read from the label text itself.

Drug A's label links it to drug B when A's interaction text (its interactions section; for labels without
one, the warnings sentences about taking other drugs) names B, or names a class B belongs to. Class
membership is read from the labels too: a label that describes itself as one ("lisinopril is an
angiotensin converting enzyme (ACE) inhibitor"), or any label that gives the drug as an example of the
class ("anticoagulants such as warfarin", "NSAIDs (e.g., ibuprofen)"). Only the class vocabulary below is
written by hand: the names labels use for drug classes, not which drugs interact.

The labels' own class metadata (`MedicineEntry.classes`, "Nonsteroidal Anti-inflammatory Drug [EPC]") adds
members through `indexing.vocabulary.pharm_class_keys` (and `declared_class_keys` for nitrates and PDE-5
inhibitors), so lisinopril's "NSAIDs" reaches ibuprofen even when no label gives ibuprofen as an example.

Used by the MAG provider to put the patient's medications that interact with the asked drug first, and
by the evaluation to build consultation questions whose answers should surface an interaction.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from indexing.store import SearchIndex
from indexing.text import sentences
from indexing.vocabulary import DOSE_FORM_WORDS, SALT_WORDS, pharm_class_keys

# Class name -> how labels write it. Parents: a member of the child class is a member of the parent.
DRUG_CLASSES: dict[str, str] = {
    "anticoagulant": r"anticoagulants?|coumarin(?: anticoagulants?| derivatives?)?|vitamin k antagonists?|"
                     r"blood thinn(?:ers?|ing (?:drugs?|medicines?))",
    "heparin": r"(?:low[- ]molecular[- ]weight )?heparins?|lmwhs?",
    "antiplatelet": r"antiplatelet (?:agents?|drugs?|therapy)|platelet (?:aggregation )?inhibitors?|"
                    r"p2y ?12 (?:platelet )?inhibitors?|inhibitors? of platelet (?:activation|aggregation)",
    "nsaid": r"nsaids?|non-?steroidal anti-?inflammatory (?:drugs?|agents?|analgesics?)",
    "salicylate": r"salicylates?",
    "ssri": r"ssris?|selective serotonin reuptake inhibitors?",
    "snri": r"snris?|serotonin(?: and)? norepinephrine reuptake inhibitors?",
    "serotonergic": r"serotonergic (?:drugs?|agents?)",
    "ace_inhibitor": r"ace inhibitors?|angiotensin[- ]converting[- ]enzyme (?:\(ace\) )?inhibitors?",
    "arb": r"arbs?|angiotensin (?:ii )?receptor (?:blockers?|antagonists?)",
    "beta_blocker": r"beta[- ]?(?:adrenergic )?(?:blockers?|blocking agents?|antagonists?)|β-?blockers?",
    # ("alpha-blockers", "alpha-adrenergic blocking agents", "alpha1-blockers": doxazosin, tamsulosin, terazosin)
    # (no literal space inside a bracket: name patterns widen each space to any run of spaces and hyphens)
    "alpha_blocker": r"(?:alpha|α)(?:-|\s)?(?:1(?:-|\s)?)?(?:adrenergic )?(?:blockers?|blocking agents?)|"
                     r"alpha(?:-|\s)?(?:1(?:-|\s)?)?adrenergic (?:receptor )?antagonists?|"
                     r"alpha(?:-|\s)?1(?:-|\s)(?:receptor )?antagonists?",
    "calcium_channel_blocker": r"calcium (?:channel )?(?:blockers?|antagonists?)|dihydropyridines?",
    "diuretic": r"diuretics?",
    "thiazide": r"thiazides?(?: diuretics?)?",
    "loop_diuretic": r"loop diuretics?",
    "statin": r"statins?|hmg-?coa reductase inhibitors?",
    "opioid": r"opioids?(?: analgesics?| agonists?)?|narcotics?(?: analgesics?)?",
    "benzodiazepine": r"benzodiazepines?",
    "cns_depressant": r"cns depressants?|central nervous system depressants?",
    "antidiabetic": r"antidiabetic (?:drugs?|agents?|medications?)|(?:oral )?hypoglycemic (?:agents?|drugs?)|"
                    r"sulfonylureas?",
    "insulin": r"insulins?",
    "corticosteroid": r"corticosteroids?|glucocorticoids?|steroid drugs?",
    "ppi": r"proton pump inhibitors?|ppis?",
    "cardiac_glycoside": r"digitalis(?: glycosides?)?|cardiac glycosides?",
    "antihistamine": r"antihistamines?",
    # ("a monoamine oxidase (MAO)-A inhibitor", "MAO-B inhibitors")
    "maoi": r"maois?|mao(?:-?[ab])? inhibitors?|monoamine oxidase(?:[- ][ab])? (?:\(mao\)(?:-?[ab])? )?"
            r"(?:type [ab] )?inhibitors?",
    "tricyclic": r"tricyclic antidepressants?|tcas?",
    "antiepileptic": r"antiepileptic (?:drugs?|agents?)|anticonvulsants?",
    "antacid": r"antacids?",
    "macrolide": r"macrolides?(?: antibiotics?)?",
    "fluoroquinolone": r"fluoroquinolones?|quinolones?",
    "cyp3a4_inhibitor": r"(?:strong |moderate )?cyp3a4? inhibitors?",
    "oral_contraceptive": r"oral contraceptives?|hormonal contraceptives?",
    "penicillin": r"penicillins?(?:[- ]class antibacterials?| antibiotics?)?",
    "cephalosporin": r"cephalosporins?(?: antibacterials?| antibiotics?)?",
    # "Nitrates" as a class is plural or qualified: "X nitrate" alone is a salt (econazole nitrate).
    "nitrate": r"(?:organic |long-acting |short-acting )?nitrates|organic nitrate|nitrate (?:vasodilators?|medicines?|"
               r"drugs?|therapy)|nitrites?|nitric oxide donors?",
    "pde5_inhibitor": r"pde-?5(?:[- ]inhibitors?)?|phosphodiesterase(?: type)?[- ]5 (?:\(pde-?5\) )?inhibitors?",
    # ("should not take sympathomimetic drugs (including amphetamines ...)": an MAOI label of a cold remedy's
    # decongestant)
    "sympathomimetic": r"sympathomimetics?(?: (?:drugs?|amines?|agents?))?|(?:nasal )?decongestants?",
    "potassium_supplement": r"potassium supplement(?:s|ation)?|potassium-containing (?:salt substitutes?|supplements?)|"
                            r"potassium salts?|oral potassium(?: supplements?| preparations?)?",
}
# Classes a medicine is in by its name alone, where labels carry no class metadata (potassium chloride's
# label declares none, yet spironolactone's "potassium supplementation" speaks of it).
_NAME_CLASSES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^potassium (?:chloride|citrate|gluconate|bicarbonate|acetate|phosphates?)$", re.IGNORECASE),
     "potassium_supplement"),
    # what antacid brands the database lacks are made of (Tums, Rennie, Maalox, Mylanta: corpora/names/brands.tsv)
    (re.compile(r"^(?:calcium carbonate|magnesium hydroxide|aluminum hydroxide|aluminium hydroxide|"
                r"magnesium trisilicate|sodium bicarbonate)$", re.IGNORECASE), "antacid"),
    # the decongestants of cold remedies, whose OTC labels declare no class
    (re.compile(r"^(?:pseudoephedrine|phenylephrine|ephedrine)(?: (?:hydrochloride|sulfate|sulphate|bitartrate|"
                r"tannate))?$", re.IGNORECASE), "sympathomimetic"),
)
# Classes a label's own mentions never put it in: sildenafil's label speaks of nitrates throughout and
# nitroglycerin's of PDE-5 inhibitors. Members come from declared classes and "<class> such as A" examples.
NOT_BY_MENTIONS: frozenset[str] = frozenset({"nitrate", "pde5_inhibitor", "alpha_blocker", "sympathomimetic"})
# Declared pharmacologic class names (FDA EPC/MoA/CS) of the classes above, which indexing.vocabulary's table
# lacks: "Nitrate Vasodilator [EPC]", "Phosphodiesterase 5 Inhibitor [EPC]" (not 3 or 4).
_DECLARED_EXTRA: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bnitrates?\b|nitrate vasodilator", re.IGNORECASE), "nitrate"),
    (re.compile(r"phosphodiesterase 5\b|\bpde-?5\b", re.IGNORECASE), "pde5_inhibitor"),
)
CLASS_PARENTS: dict[str, tuple[str, ...]] = {
    "heparin": ("anticoagulant",),
    "ssri": ("serotonergic",),
    "snri": ("serotonergic",),
    "thiazide": ("diuretic",),
    "loop_diuretic": ("diuretic",),
    "salicylate": ("nsaid",),
    "benzodiazepine": ("cns_depressant",),
    "opioid": ("cns_depressant",),
    "insulin": ("antidiabetic",),
}
_CLASS_PATTERNS = {c: re.compile(rf"\b(?:{p})\b", re.IGNORECASE) for c, p in DRUG_CLASSES.items()}
# All classes in one pass over lower-cased text; the look-ahead on first letters skips most positions fast.
_ANY_CLASS = re.compile(
    r"\b(?=[abcdfghilmnopqstvβ])(?:" + "|".join(f"(?P<{c}>{p})" for c, p in DRUG_CLASSES.items()) + r")\b"
)
_WORDS = re.compile(r"[a-z0-9][a-z0-9\-]*")
_MAX_FORM_WORDS = 5
# "<class> such as A, B", "<class> (e.g., A)", "<class> [A, B, or others]", "<class>, including A".
_EXAMPLE_WORDS = r"such as|e\.g\.,?|including|like|for example,?|i\.e\.,?"
_EXAMPLES = re.compile(rf"^\s*,?\s*(?:[(\[]\s*(?:{_EXAMPLE_WORDS})?|{_EXAMPLE_WORDS})", re.IGNORECASE)
# Where a list of examples ends: punctuation that closes it, or the verb or preposition after it.
_LIST_END = re.compile(r"[.;:)\]]|\b(?:with|may|might|can|could|should|has|have|had|is|are|was|were|"
                       r"concomitantly|in|of|to|for|when|which|that)\b", re.IGNORECASE)
_SELF = re.compile(r"\b(?:is|are) (?:an?|the)\b", re.IGNORECASE)
_TAKING = re.compile(r"\b(?:taking|take|you are on|used with|use with|concomitant|co-?administ|"
                     r"together with|combination with)\b", re.IGNORECASE)
# Salt and form words that are part of label names but not of the names labels use for each other.
_NAME_NOISE = SALT_WORDS | DOSE_FORM_WORDS | {"and", "dye", "free", "low"}


@dataclass(frozen=True, slots=True)
class LabelText:
    """The parts of one label this module reads."""

    medicine_id: str
    names: tuple[str, ...]
    interactions: str  # the interactions section, or the warnings' sentences about taking other drugs
    about: str  # indications + description + mechanism: where a label says what the drug is


@dataclass(frozen=True, slots=True)
class Link:
    source: str  # the label that names the other drug
    target: str
    via: str  # "name" or "class:<class>"
    term: str  # the words that name it, as the label writes them ("NSAIDs")
    quote: str  # the sentence that names it

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "target": self.target, "via": self.via, "term": self.term,
                "quote": self.quote}


def name_forms(names: Iterable[str]) -> set[str]:
    """The ways labels refer to a drug ("Warfarin Sodium" -> "warfarin"): lower case, salts dropped."""
    forms: set[str] = set()
    for name in names:
        said = re.findall(r"[a-z0-9][a-z0-9\-]*", name.casefold())
        words = [w for w in said if w not in _NAME_NOISE]
        if not words:
            # a salt named alone is the substance ("calcium" with doxycycline, "magnesium"), not a salt of another
            words = [w for w in said if w in SALT_WORDS and w not in DOSE_FORM_WORDS]
        if words and len(" ".join(words)) >= 4:
            forms.add(" ".join(words))
    return forms


_NAME_GAP = r"[\s.'\u2019]+"


def _alternation(forms: Iterable[str]) -> str:
    # words of a name may be joined by punctuation in a label: "st john s wort" is "St. John's Wort"
    return "|".join(re.escape(f).replace(r"\ ", _NAME_GAP) for f in sorted(forms, key=len, reverse=True))


def name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """Whole-word pattern for the ways labels refer to a drug."""
    forms = name_forms(names)
    return re.compile(rf"\b(?:{_alternation(forms)})\b", re.IGNORECASE) if forms else None


def declared_class_keys(class_names: Iterable[str]) -> set[str]:
    """The class words (DRUG_CLASSES keys) a medicine's declared pharmacologic class names give."""
    names = list(class_names)
    return pharm_class_keys(names) | {key for name in names for pattern, key in _DECLARED_EXTRA
                                      if pattern.search(name)}


def name_class_keys(names: Iterable[str]) -> set[str]:
    """The class words a medicine's own name puts it in (Potassium Chloride -> potassium_supplement)."""
    return {key for name in names for pattern, key in _NAME_CLASSES if pattern.search(name.strip())}


def classes_in(text: str) -> set[str]:
    return {c for c, p in _CLASS_PATTERNS.items() if p.search(text)}


def with_parents(classes: Iterable[str]) -> set[str]:
    out = set(classes)
    todo = list(out)
    while todo:
        for parent in CLASS_PARENTS.get(todo.pop(), ()):
            if parent not in out:
                out.add(parent)
                todo.append(parent)
    return out


def interaction_text(sections: Mapping[str, str]) -> str:
    if sections.get("interactions", "").strip():
        return sections["interactions"]
    warnings = sections.get("warnings", "")
    return " ".join(s for s in sentences(warnings) if _TAKING.search(s))


def label_text(medicine_id: str, names: Iterable[str], sections: Mapping[str, str]) -> LabelText:
    about = " ".join(sections.get(k, "")[:1500] for k in ("indications", "description", "pharmacology"))
    return LabelText(medicine_id, tuple(names), interaction_text(sections), about)


class InteractionLinks:
    """Label-derived interaction links over a set of labels (one index version). `declared`: medicine id ->
    class keys its label's metadata gives (added to those read from the text)."""

    def __init__(self, labels: Iterable[LabelText], declared: Mapping[str, Iterable[str]] | None = None) -> None:
        self.labels = {lab.medicine_id: lab for lab in labels}
        self.declared = {mid: set(keys) for mid, keys in (declared or {}).items() if keys}
        self._patterns = {mid: name_pattern(lab.names) for mid, lab in self.labels.items()}
        self._by_form: dict[str, set[str]] = defaultdict(set)
        for mid, lab in self.labels.items():
            for form in name_forms(lab.names):
                self._by_form[form].add(mid)
        self._classes: dict[str, set[str]] | None = None
        self._lock = threading.Lock()

    @property
    def classes(self) -> dict[str, set[str]]:
        """Medicine id -> the classes the labels put it in (built on first use)."""
        with self._lock:
            if self._classes is None:
                self._classes = self._build_classes()
            return self._classes

    def _build_classes(self) -> dict[str, set[str]]:
        members: dict[str, set[str]] = defaultdict(set)
        for mid, lab in self.labels.items():
            # Self-description: "<name> ... is a(n) ... <class>" in the first sentences about the drug, or
            # further on where the label's own name is the subject ("Amoxicillin and Clavulanate Potassium is
            # a combination of amoxicillin, a penicillin-class antibacterial and ...").
            own_name = self._patterns.get(mid)
            for i, sentence in enumerate(sentences(lab.about)):
                found = _SELF.search(sentence)
                if found and (i < 4 or (own_name is not None and own_name.search(sentence[: found.start()]))):
                    members[mid] |= classes_in(sentence[found.end() : found.end() + 120])
        # Examples in any label: "<class> such as A, B" / "<class> (e.g., A)".
        # A list naming the label's own drug ("PPIs, including pantoprazole, and warfarin") is about that
        # drug, and its other names are not reliably examples of the class: such lists are skipped.
        for lab in self.labels.values():
            text = f"{lab.interactions} {lab.about}".lower()
            own = self._patterns.get(lab.medicine_id)
            for m in _ANY_CLASS.finditer(text):
                cls = str(m.lastgroup)
                tail = text[m.end() : m.end() + 160]
                opener = _EXAMPLES.match(tail)
                if not opener:
                    continue
                window = _LIST_END.split(tail[opener.end() :], maxsplit=1)[0]
                if own is not None and own.search(window):
                    continue
                for mid in self.named_in(window):
                    members[mid].add(cls)
        for mid, keys in self.declared.items():
            members[mid] |= keys
        return {mid: with_parents(cls) for mid, cls in members.items()}

    def classes_of(self, medicine_id: str) -> set[str]:
        return self.classes.get(medicine_id, set())

    def named_in(self, text: str) -> set[str]:
        """Medicines whose names occur in a (short) text."""
        words = _WORDS.findall(text.casefold())
        out: set[str] = set()
        for i in range(len(words)):
            for n in range(1, min(_MAX_FORM_WORDS, len(words) - i) + 1):
                out |= self._by_form.get(" ".join(words[i : i + n]), set())
        return out

    def links(self, source: str, target: str) -> list[Link]:
        """How `source`'s label names `target` in its interaction text (by name, or by a class of it)."""
        lab = self.labels.get(source)
        pattern = self._patterns.get(target)
        if lab is None or not lab.interactions or source == target:
            return []
        out: list[Link] = []
        target_classes = self.classes.get(target, set())
        for sentence in sentences(lab.interactions):
            named = pattern.search(sentence) if pattern is not None else None
            if named is not None:
                out.append(Link(source, target, "name", named.group(), sentence))
                continue
            for cls in sorted(target_classes):
                found = _CLASS_PATTERNS[cls].search(sentence)
                if found is not None:
                    out.append(Link(source, target, f"class:{cls}", found.group(), sentence))
                    break
        return out

    def linked(self, a: str, b: str) -> list[Link]:
        """Links in either direction (a's label naming b, b's label naming a)."""
        return self.links(a, b) + self.links(b, a)

    def names(self, text: str, target: str) -> bool:
        """Whether a piece of label text names `target` by one of its own names (no class of it)."""
        p = self._patterns.get(target)
        return p is not None and p.search(text) is not None

    def mentions(self, text: str, target: str) -> bool:
        """Whether a piece of label text names `target`, or a class the labels put it in."""
        p = self._patterns.get(target)
        if p is not None and p.search(text):
            return True
        return any(_CLASS_PATTERNS[c].search(text) for c in self.classes.get(target, set()))


def links_from_index(index: SearchIndex) -> InteractionLinks:
    """Interaction links over a loaded index's labels (sections re-joined from their chunks)."""
    sections: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for chunk in index.chunks:
        sections[chunk.medicine_id][chunk.attribute].append(chunk.text)
    labels = []
    for mid, entry in index.medicines.items():
        joined = {attr: " ".join(parts) for attr, parts in sections.get(mid, {}).items()}
        labels.append(label_text(mid, (entry.name, *entry.aliases, mid.replace("-", " ")), joined))
    declared = {mid: declared_class_keys(entry.classes) | name_class_keys((entry.name,))
                for mid, entry in index.medicines.items()}
    return InteractionLinks(labels, declared)


_BY_INDEX: dict[tuple[str, str], InteractionLinks] = {}
_BY_INDEX_LOCK = threading.Lock()


def links_for(index: SearchIndex) -> InteractionLinks:
    """The interaction links of a loaded index version, built once and shared by the stages that need them
    (the two most recent versions are kept: the serving one and the one being swapped in)."""
    key = (str(index.path), index.version)
    with _BY_INDEX_LOCK:
        found = _BY_INDEX.get(key)
        if found is None:
            found = links_from_index(index)
            _BY_INDEX[key] = found
            while len(_BY_INDEX) > 2:
                del _BY_INDEX[next(iter(_BY_INDEX))]
        return found


class IndexLinks:
    """Interaction links of the serving index, rebuilt when the index version changes."""

    def __init__(self, get_index: Callable[[], SearchIndex]) -> None:
        self.get_index = get_index
        self._cached: tuple[str, InteractionLinks] | None = None
        self._lock = threading.Lock()

    def __call__(self) -> InteractionLinks | None:
        try:
            index = self.get_index()
        except Exception:  # no index yet: the provider keeps the record's order
            return None
        with self._lock:
            if self._cached is None or self._cached[0] != index.version:
                self._cached = (index.version, links_for(index))
            return self._cached[1]
