"""Build the medicine database (`corpora/medicines.jsonl`) from any mix of label sources.

Sources (files, folders, zip archives; see `iter_candidates`): openFDA drug/label records (API answers,
one record a line, the bulk download's zipped `{"meta", "results"}` parts), our collections' label JSON
(`sections` objects, `{"drug","section","text"}` rows), and DailyMed SPL XML.

Rules, in the order they apply (corpora/README.md says why):
1. Versions: labels sharing a set id where both carry a version number: only the newest is kept. Copies
   without a version (the collections' copies of a label) are kept as copies.
2. One medicine per active-ingredient set and route group (`ingredient_key`, `route_group`): ingredients
   are the label's substance names (else its generic name) without salt, form and strength words, so
   "METOPROLOL TARTRATE" and "Metoprolol Succinate ER Tablets" are one medicine, and eye drops are not
   tablets. A label without a route joins its ingredients' oral group (else the largest group), bringing
   only its name when its text copies a label of another route (`_name_only_if_copy_of_another_route`).
   A prescription label and an OTC Drug Facts label of the same ingredients and route are two medicines
   (`split_prescription_and_otc`): the OTC one is named "<name> (OTC)". Merged, the longest text won per
   section and the prescription dose (ibuprofen 3,200 mg a day) answered "how much Advil can I take".
3. Merge: per section the fullest (longest) text of the group; names of all labels become aliases; linking
   metadata (RxCUIs, substances, classes, routes) is the union; `source` is the label that gave most text,
   `sources` every label merged in. Combination products stay medicines of their own and list the ids of
   their single-ingredient medicines (`ingredient_ids`). A label named only by its file (the medtap dumps)
   whose own text names a combination product ("Ezetimibe and simvastatin tablets") is named after it
   first (`resolve_combination_labels`), so it never merges into the single-ingredient medicine.
4. Index only what answers questions (`INDEXED_ATTRIBUTES`), each section cut at a sentence boundary after
   `SECTION_CAPS` characters (the long tail of a section is trial tables and pharmacokinetics detail);
   contraindications and boxed warnings are kept whole.
5. Ids: slug of the name; clashes get a set-id suffix; sorted by id.

Nothing is dropped silently: the summary counts every skipped record, older version, merged copy, section
not indexed, shortened section and unknown heading, with positions for records.
"""

from __future__ import annotations

import re
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from indexing.brand_forms import brand_of_another_form, load_brand_forms
from indexing.combination_labels import Combination, find_combination, substance_combination
from indexing.homeopathic import is_homeopathic
from indexing.schema import PHARM_CLASS_KINDS, Attribute, Medicine
from indexing.sources.clinqa_jsonl import write_medicines
from indexing.sources.dailymed import iter_spl_medicines
from indexing.sources.errors import CorpusError
from indexing.sources.openfda import (
    LabelNames,
    LoadNotes,
    NoUsableSections,
    assign_unique_ids,
    clean_aliases,
    is_plain_ingredient_name,
    medicine_from_openfda_label,
    readable_case,
)
from indexing.sources.stream import JSON_SUFFIXES, LoadReport, Position, expand_paths, iter_json_file_records
from indexing.sources.zh_label import TEXT_SUFFIXES, ZhLoadNotes, iter_zh_labels, looks_like_zh_json
from indexing.text import sentences
from indexing.vocabulary import SALT_WORDS

A = Attribute

# Sections a consumer's medication question is answered from. Not indexed: `other` (clinical studies,
# nonclinical toxicology, carcinogenesis, animal pharmacology, references, unclassified text), which
# answers almost no consumer question and is a fifth of the label text.
INDEXED_ATTRIBUTES: tuple[str, ...] = tuple(a.value for a in Attribute if a is not Attribute.OTHER)

# Characters kept per section (cut at a sentence boundary). The start of a section holds its summary
# ("The most common adverse reactions (>=5%) are ..."); the tail is tables of trial incidences,
# pharmacokinetic parameters and subgroup detail. Sized so that encoding the corpus stays feasible on two
# CPU cores and the index in memory modest; see corpora/README.md for the coverage this keeps.
# Not cut: contraindications and boxed warnings. Their tail is as decisive as their head (phenelzine's cap cut
# "should not be administered together with ... other MAO inhibitors"), and whole they add 0.23 M characters.
# Interactions are still cut (warfarin's at 2,412 characters, before its CYP450 table, which has no sentence
# end): whole, the reader quoted less of what was asked (corpora/README.md, rule 4, measured).
SECTION_CAPS: dict[str, int] = {
    "indications": 2000,
    "dosage": 3500,
    "dosage_forms": 1500,
    "warnings": 4500,
    "adverse_reactions": 4500,
    "interactions": 3000,
    "pregnancy": 1200,
    "lactation": 1200,
    "pediatric": 1000,
    "geriatric": 1000,
    "specific_populations": 1000,
    "overdosage": 1500,
    "description": 1200,
    "pharmacology": 1500,
    "storage": 2000,  # after package-table rows are left out (indexing.sources.sections): how to store, whole
    "patient_counseling": 1500,
    "other": 2000,
}

_FORM_WORDS = frozenset(
    """
    tablet tablets tab tabs capsule capsules caplet caplets film coated chewable orally disintegrating
    extended delayed release er xr xl sr dr cr la odt ir injection injectable solution suspension oral
    powder for concentrate syrup elixir cream ointment gel lotion spray nasal ophthalmic otic topical
    patch transdermal system inhalation aerosol inhaler metered hfa kit vial pen usp nf mg mcg ml g
    unit units single dose prefilled syringe emulsion drops liquid granules packet lozenge suppository
    rectal vaginal foam shampoo solution/drops sterile lyophilized intravenous subcutaneous intramuscular
    """.split()
)
_ROUTE_GROUPS: dict[str, str] = {
    "ORAL": "oral", "SUBLINGUAL": "oral", "BUCCAL": "oral", "ENTERAL": "oral",
    "OPHTHALMIC": "eye", "INTRAOCULAR": "eye", "INTRAVITREAL": "eye",
    "TOPICAL": "skin", "CUTANEOUS": "skin", "TRANSDERMAL": "skin",
    "INTRAVENOUS": "injection", "SUBCUTANEOUS": "injection", "INTRAMUSCULAR": "injection",
    "INTRADERMAL": "injection", "INTRATHECAL": "injection", "INTRA-ARTICULAR": "injection",
    "NASAL": "nose", "RESPIRATORY (INHALATION)": "inhalation", "INHALATION": "inhalation",
    "OTIC": "ear", "VAGINAL": "vaginal", "RECTAL": "rectal", "DENTAL": "mouth", "PERIODONTAL": "mouth",
}  # fmt: skip


@dataclass
class Candidate:
    """One label as read, before merging."""

    medicine: Medicine
    set_id: str
    version: int | None
    position: str
    source_name: str  # the path given on the command line that it came from
    drug_facts: bool = False  # the label has OTC Drug Facts sections (purpose, do not use, ask a doctor, ...)
    # named by its file or a collection's lookup word only (the medtap dumps): no generic or brand name inside
    named_by_lookup: bool = False
    # renamed after the combination product its text names: its name does not name a merged medicine
    combination_from_text: bool = False


@dataclass
class CorpusSummary:
    sources: dict[str, int] = field(default_factory=dict)  # source path -> labels read
    medicines: list[Medicine] = field(default_factory=list)
    older_versions: list[tuple[str, str]] = field(default_factory=list)  # (position, kept position)
    merged_groups: int = 0
    merged_labels: int = 0
    not_indexed: Counter[str] = field(default_factory=Counter)
    shortened: Counter[str] = field(default_factory=Counter)
    subsection_leads: Counter[str] = field(default_factory=Counter)  # attribute -> leads kept past its cap
    id_collisions: list[tuple[str, str, str]] = field(default_factory=list)
    other_form_aliases: list[tuple[str, str, str]] = field(default_factory=list)  # (medicine, alias, its form)
    lookup_words_dropped: list[tuple[str, str]] = field(default_factory=list)  # (medicine, alias)
    otc_split: list[tuple[str, str]] = field(default_factory=list)  # (prescription id, OTC id)
    # labels named by their file whose text is a combination product: (position, what was decided)
    combination_labels: list[tuple[str, str]] = field(default_factory=list)
    report: LoadReport = field(default_factory=LoadReport)
    notes: LoadNotes = field(default_factory=LoadNotes)
    seconds: float = 0.0

    @property
    def sections_per_attribute(self) -> Counter[str]:
        return Counter(attr for m in self.medicines for attr in m.sections)

    def render(self, detail: int = 20) -> str:
        out = ["labels read:"]
        out += [f"  {n:6}  {src}" for src, n in self.sources.items()]
        out.append(f"older versions dropped (same set id): {len(self.older_versions)}")
        out += [f"  {old} (kept {new})" for old, new in self.older_versions[:detail]]
        out.append(f"labels merged into another of the same ingredients: {self.merged_labels} "
                   f"(into {self.merged_groups} medicines)")  # fmt: skip
        out.append(f"medicines: {len(self.medicines)}")
        out.append(f"sections: {sum(len(m.sections) for m in self.medicines)}, "
                   f"{sum(len(t) for m in self.medicines for t in m.sections.values()):,} characters")  # fmt: skip
        counts = self.sections_per_attribute
        out.append("medicines having each section:")
        out += [f"  {a.value:22} {counts[a.value]}" for a in Attribute if counts[a.value]]
        with_classes = sum(1 for m in self.medicines if m.pharm_classes)
        with_rxcui = sum(1 for m in self.medicines if m.rxcuis)
        combos = sum(1 for m in self.medicines if m.ingredient_ids)
        out.append(f"with pharmacologic classes: {with_classes}, with RxCUIs: {with_rxcui}, "
                   f"combinations linked to their ingredients: {combos}")  # fmt: skip
        out.append(f"sections not indexed: {sum(self.not_indexed.values())}")
        out += [f"  {k}: {n}" for k, n in sorted(self.not_indexed.items())]
        out.append(f"sections shortened to their cap: {sum(self.shortened.values())}")
        out += [f"  {k}: {n}" for k, n in sorted(self.shortened.items())]
        out.append(f"numbered subsections past a cap, kept by their first sentences: "
                   f"{sum(self.subsection_leads.values())}")
        out += [f"  {k}: {n}" for k, n in sorted(self.subsection_leads.items())]
        out.append(f"brands of another form dropped from aliases (brand_forms.tsv): {len(self.other_form_aliases)}")
        out += [f"  {mid}: {alias} (the {form} form)" for mid, alias, form in self.other_form_aliases[:detail]]
        out.append("collections' lookup words dropped from aliases (another medicine is that ingredient, or the "
                   f"product is homeopathic): {len(self.lookup_words_dropped)}")
        out += [f"  {mid}: {alias}" for mid, alias in self.lookup_words_dropped[:detail]]
        out.append(f"OTC labels kept apart from the prescription label of the same ingredients: {len(self.otc_split)}")
        out += [f"  {rx} | {otc}" for rx, otc in self.otc_split[:detail]]
        out.append(f"labels named by their file that are combination products: {len(self.combination_labels)}")
        out += [f"  {pos}: {decision}" for pos, decision in self.combination_labels]
        out.append(f"id collisions: {len(self.id_collisions)}")
        out += [f"  {slug} -> {mid} ({src})" for slug, mid, src in self.id_collisions[:detail]]
        unknown = self.notes.unknown_fields
        out.append(f"unknown fields mapped to 'other': {sum(unknown.values())}")
        out += [f"  {k}: {n}" for k, n in unknown.most_common(detail)]
        out.append(f"problems: {len(self.report.problems)}")
        out += [f"  {kind}: {n}" for kind, n in sorted(self.report.counts.items())]
        out += [f"    {p}" for p in self.report.problems[:detail]]
        if len(self.report.problems) > detail:
            out.append(f"    ... and {len(self.report.problems) - detail} more")
        out.append(f"build time: {self.seconds:.1f} s")
        return "\n".join(out)


# ---------------------------------------------------------------- reading


def _is_row(obj: Any) -> bool:
    return isinstance(obj, dict) and {"drug", "section", "text"} <= obj.keys() and "sections" not in obj


def _rows_label(drug: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    sections: dict[str, str] = {}
    for row in rows:
        heading = str(row["section"])
        name = re.sub(r"[^a-z0-9]+", "_", heading.lower().replace("&", "and")).strip("_") or "unnamed"
        text = str(row["text"])
        sections[name] = f"{sections[name]}\n\n{text}" if name in sections else text
    return {"drug_name": drug, "sections": sections}


def _from_label(
    obj: Any, pos: Position, stem: str, src: str, notes: LoadNotes, report: LoadReport
) -> Candidate | None:
    item = None if pos.index is None else f"record {pos.index}"
    names_before = len(notes.label_names)
    fallback_source = f"file:{Path(pos.path).parent.name}/{Path(pos.path).name}"
    if pos.index:
        fallback_source += f"#{pos.index}"
    try:
        med = medicine_from_openfda_label(
            obj,
            pos.path,
            pos.line,
            item=item,
            fallback_name=stem or None,
            fallback_source=fallback_source,
            notes=notes,
        )
    except NoUsableSections:
        report.warn(pos, "no sections", "the label holds no text section")
        return None
    except CorpusError as exc:
        report.warn(pos, "bad record", exc.message)
        return None
    set_id = med.source.removeprefix("dailymed:") if med.source.startswith("dailymed:") else ""
    raw_version = obj.get("version") if isinstance(obj, dict) else None
    version = int(raw_version) if isinstance(raw_version, str) and raw_version.isdigit() else None
    own = notes.label_names[names_before:]
    named_by_lookup = not any(n.generics or n.brands for n in own)
    return Candidate(med, set_id, version, str(pos), src, drug_facts=has_drug_facts(obj),
                     named_by_lookup=named_by_lookup)


# openFDA fields of the OTC Drug Facts panel only (21 CFR 201.66); a prescription label has none of them.
DRUG_FACTS_FIELDS: frozenset[str] = frozenset(
    {"purpose", "do_not_use", "ask_doctor", "ask_doctor_or_pharmacist", "stop_use", "when_using",
     "keep_out_of_reach_of_children"}
)
_NO_TEXT = frozenset({"", "none", "null", "[]", "['none']"})


def has_drug_facts(obj: Any) -> bool:
    """Whether a label object carries text in a Drug Facts field (at its top level or in `sections`). The
    medtap copies hold these fields as the string "None" when the label is a prescription one."""
    if not isinstance(obj, dict):
        return False
    sections = obj.get("sections")
    fields: dict[str, Any] = sections if isinstance(sections, dict) else obj
    for name in DRUG_FACTS_FIELDS & fields.keys():
        value = fields[name]
        text = " ".join(value) if isinstance(value, list) else value
        if isinstance(text, str) and text.strip().casefold() not in _NO_TEXT:
            return True
    return False


def iter_candidates(
    sources: Sequence[str | Path], report: LoadReport, notes: LoadNotes
) -> Iterator[Candidate]:
    """Every label of every source, streamed. SPL XML (files, folders, archives holding XML) goes to the
    DailyMed loader; JSON of any shape to the openFDA loader. Labels without a name inside are named after
    their file (the medtap dumps)."""
    for src in map(Path, sources):
        src_name = str(src)
        spl_paths: list[Path] = []
        json_paths: list[Path] = []
        zh_paths: list[Path] = []
        for path in expand_paths([src], (*JSON_SUFFIXES, ".xml", *TEXT_SUFFIXES)):
            if path.suffix.lower() in TEXT_SUFFIXES or looks_like_zh_json(path):
                zh_paths.append(path)
            else:
                (spl_paths if path.suffix.lower() == ".xml" or _zip_holds_xml(path) else json_paths).append(path)
        yield from _zh_candidates(zh_paths, src_name, notes, report)
        for pos, label, med in iter_spl_medicines(spl_paths, report, notes):
            yield Candidate(med, label.set_id, label.version, str(pos), src_name)
        rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        rows_file: Position | None = None
        for pos, obj in iter_json_file_records(json_paths, report):
            # a label file named after its drug (the medtap dumps carry no name inside); never a record
            # of a multi-record file (JSON lines, archives)
            single = pos.line is None and "!" not in pos.path and pos.path.lower().endswith(".json")
            stem = Path(pos.path).name.split(".")[0] if single else ""
            if _is_row(obj):
                if rows_file is not None and rows_file.path != pos.path:
                    yield from _flush_rows(rows, rows_file, src_name, notes, report)
                rows_file = pos
                rows[str(obj["drug"]).strip()].append(obj)
                continue
            cand = _from_label(obj, pos, stem, src_name, notes, report)
            if cand is not None:
                yield cand
        if rows_file is not None:
            yield from _flush_rows(rows, rows_file, src_name, notes, report)


def _zh_candidates(paths: list[Path], src: str, notes: LoadNotes, report: LoadReport) -> Iterator[Candidate]:
    """Chinese labels (【】 text, JSON with Chinese headings: `indexing.sources.zh_label`). A malformed label
    is reported with its file and line, and the rest of that file is skipped (its later labels cannot be
    told apart from the broken one's text)."""
    for path in paths:
        zh_notes = ZhLoadNotes()
        try:
            for line, med in iter_zh_labels(path, zh_notes):
                yield Candidate(med, "", None, str(Position(str(path), line)), src)
        except CorpusError as exc:
            report.warn(Position(exc.path, exc.line), "bad record", exc.message)
        notes.unknown_fields.update(zh_notes.unknown)
        if zh_notes.preambles:
            report.note("text before the first 【】 heading (skipped)", zh_notes.preambles)


def _flush_rows(
    rows: dict[str, list[dict[str, Any]]], pos: Position, src: str, notes: LoadNotes, report: LoadReport
) -> Iterator[Candidate]:
    for drug, drug_rows in rows.items():
        cand = _from_label(_rows_label(drug, drug_rows), Position(f"{pos.path}#{drug}"), drug, src, notes, report)
        if cand is not None:
            yield cand
    rows.clear()


def _zip_holds_xml(path: Path) -> bool:
    if path.suffix.lower() != ".zip":
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n.lower() for n in archive.namelist()]
    except zipfile.BadZipFile:
        return False
    return any(n.endswith(".xml") for n in names) or (
        any(n.endswith(".zip") for n in names) and not any(n.endswith(JSON_SUFFIXES) for n in names)
    )


# ---------------------------------------------------------------- combination products named by their file


def resolve_combination_labels(cands: list[Candidate], summary: CorpusSummary) -> list[Candidate]:
    """Labels named only by their file or lookup word whose own text is a combination product
    (`indexing.combination_labels`: medtap's `simvastatin.json` is ezetimibe and simvastatin) are named after
    that product, so they group with its other labels (or stand alone as it) instead of merging into the
    single-ingredient medicine; where the text names a combination whose other ingredient cannot be told, the
    label is left out. Each decision goes into the summary."""
    known = {name for c in cands if not c.named_by_lookup for name in ingredient_key(c.medicine)}
    out: list[Candidate] = []
    for cand in cands:
        med = cand.medicine
        found: Combination | None = None
        if cand.named_by_lookup:
            found = substance_combination(med.substances) or find_combination(med.name, med.sections, known)
        if found is None:
            out.append(cand)
        elif not found.identified:
            summary.combination_labels.append((cand.position, (
                f"left out: its text names a combination ({found.phrase!r}) whose other ingredient is not "
                f"known here; not merged into {med.name!r}")))
        else:
            name = found.name
            summary.combination_labels.append((cand.position, (
                f"named {name!r}, not {med.name!r} (the label says {found.phrase!r})")))
            renamed = replace(med, id=re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"), name=name, aliases=())
            out.append(replace(cand, medicine=renamed, combination_from_text=True))
    return out


# ---------------------------------------------------------------- grouping


def _norm_words(text: str) -> list[str]:
    text = re.sub(r"\([^)]*\)", " ", text.lower())
    text = re.sub(r"\b\d+(\.\d+)?\s*(%|mg|mcg|ml|g|units?)?\b", " ", text)
    return re.findall(r"[a-z][a-z0-9'-]*", text)


def ingredient_name(text: str) -> str:
    """'METOPROLOL SUCCINATE ER TABLETS' -> 'metoprolol'. Salt, form and strength words go, unless nothing
    would be left ('magnesium sulfate' stays)."""
    words = _norm_words(text)
    core = [w for w in words if w not in SALT_WORDS and w not in _FORM_WORDS]
    if core:
        return " ".join(core)
    kept = [w for w in words if w not in _FORM_WORDS]
    return " ".join(kept or words)


def ingredient_key(med: Medicine) -> tuple[str, ...]:
    """The sorted active ingredients: substance names where the label lists them, else the generic name
    split at 'and', ',', '/', 'with'."""
    if med.substances:
        parts = list(med.substances)
    else:
        parts = re.split(r"\s+and\s+|\s*,\s*|\s*/\s*|\s+with\s+|\s*;\s*", med.name, flags=re.IGNORECASE)
    names = {ingredient_name(p) for p in parts if p.strip()}
    names.discard("")
    return tuple(sorted(names)) or (med.id,)


def route_group(med: Medicine) -> str:
    groups = sorted({_ROUTE_GROUPS.get(r, r.lower()) for r in med.routes})
    return "+".join(groups)


def _latest_versions(cands: list[Candidate], summary: CorpusSummary) -> list[Candidate]:
    by_set: dict[str, list[Candidate]] = defaultdict(list)
    for c in cands:
        if c.set_id:
            by_set[c.set_id].append(c)
    dropped: set[int] = set()
    for group in by_set.values():
        versioned = [c for c in group if c.version is not None]
        if len(versioned) < 2:
            continue
        newest = max(versioned, key=lambda c: (c.version or 0, c.medicine.effective_date))
        for c in versioned:
            if c is not newest and (c.version or 0) < (newest.version or 0):
                dropped.add(id(c))
                summary.older_versions.append((c.position, newest.position))
    return [c for c in cands if id(c) not in dropped]


_COPY_KEYS = ("dosage", "indications")


def _name_only_if_copy_of_another_route(
    cand: Candidate, routes: dict[str, list[Candidate]], target: list[Candidate]
) -> Candidate:
    """A route-less label that copies, word for word (dosing or indications), a label of another route group
    than the one it joins brings only its name there: its text is that route's (the medtap copy of the
    pantoprazole injection label gave the tablets intravenous dosing), and the label it copies is merged into
    that route's medicine already. Its name still names the group, so ids do not move."""
    own = {cand.medicine.sections[k] for k in _COPY_KEYS if cand.medicine.sections.get(k)}
    for group in routes.values():
        if group is not target and any(own & {c.medicine.sections.get(k) for k in _COPY_KEYS} for c in group):
            return replace(cand, medicine=replace(cand.medicine, sections={}))
    return cand


def _group(cands: list[Candidate]) -> list[list[Candidate]]:
    by_ing: dict[tuple[str, ...], dict[str, list[Candidate]]] = defaultdict(lambda: defaultdict(list))
    for c in cands:
        by_ing[ingredient_key(c.medicine)][route_group(c.medicine)].append(c)
    groups: list[list[Candidate]] = []
    for routes in by_ing.values():
        unrouted = routes.pop("", [])
        if unrouted:
            if routes:
                target = routes.get("oral") or max(routes.values(), key=len)
                target.extend(_name_only_if_copy_of_another_route(c, routes, target) for c in unrouted)
            else:
                routes[""] = unrouted
        groups.extend(routes.values())
    return groups



OTC = "HUMAN OTC DRUG"
PRESCRIPTION = "HUMAN PRESCRIPTION DRUG"


def label_kind(cand: Candidate) -> str:
    """OTC, PRESCRIPTION or "" (not said): the label's product type, else OTC where it has Drug Facts."""
    kind = cand.medicine.product_type
    if kind.startswith(OTC):
        return OTC
    if kind.startswith(PRESCRIPTION):
        return PRESCRIPTION
    return OTC if cand.drug_facts else ""


def split_prescription_and_otc(group: list[Candidate]) -> tuple[list[Candidate], list[Candidate]]:
    """(prescription labels, OTC labels) of one ingredient-and-route group, where it holds both; a label
    saying neither goes with the prescription ones (the collections' untyped copies are prescription text).
    ([], []) where the group is of one kind only: it stays one medicine."""
    kinds = [label_kind(c) for c in group]
    if OTC not in kinds or PRESCRIPTION not in kinds:
        return [], []
    pairs = list(zip(group, kinds, strict=True))
    return [c for c, k in pairs if k != OTC], [c for c, k in pairs if k == OTC]


def as_otc_product(med: Medicine, prescription: Medicine) -> Medicine:
    """The OTC medicine beside a prescription one of the same ingredients: "<name> (OTC)", its own id, and
    none of the prescription medicine's names as aliases (the plain "Ibuprofen" names the prescription
    label; "Advil", "Ibuprofen Sodium" stay on the OTC one)."""
    name = f"{med.name} (OTC)"
    taken = {n.casefold() for n in prescription.names}
    return replace(
        med,
        id=re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"),
        name=name,
        aliases=tuple(a for a in med.aliases if a.casefold() not in taken),
        product_type=OTC,
    )


def share_classes(a: Medicine, b: Medicine) -> tuple[Medicine, Medicine]:
    """Both medicines with the pharmacologic classes of either."""
    classes: dict[str, tuple[str, ...]] = {}
    for kind in PHARM_CLASS_KINDS:
        values = _unique([*a.pharm_classes.get(kind, ()), *b.pharm_classes.get(kind, ())])
        if values:
            classes[kind] = values
    return replace(a, pharm_classes=classes), replace(b, pharm_classes=dict(classes))


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out: list[str] = []
    for v in values:
        if v and v.casefold() not in seen:
            seen.add(v.casefold())
            out.append(v)
    return tuple(out)


def _text_size(med: Medicine) -> int:
    return sum(len(t) for t in med.sections.values())


def merge_group(group: list[Candidate]) -> Medicine:
    """One medicine from labels of the same ingredients and route: see the module docstring, rule 3."""
    meds = [c.medicine for c in group]
    primary = max(meds, key=_text_size)
    if len(meds) == 1:
        return replace(primary, sources=_unique([primary.source, *primary.sources]))
    # a label renamed after the combination its text names does not name the product its group already has
    naming = [c.medicine for c in group if not c.combination_from_text] or meds
    named_by = primary if any(m is primary for m in naming) else max(naming, key=_text_size)
    sections: dict[str, str] = {}
    for attr in (a.value for a in Attribute):
        texts = [m.sections[attr] for m in meds if attr in m.sections]
        if texts:
            sections[attr] = max(texts, key=len)
    names = {m.name.casefold() for m in naming}
    if len(names) == 1:
        name = named_by.name
    else:
        key = ingredient_key(named_by)
        name = readable_case(" and ".join(key)) if all(ingredient_key(m) == key for m in meds) else named_by.name
    aliases, _ = clean_aliases(name, [n for m in (primary, *meds) for n in m.names])
    classes: dict[str, tuple[str, ...]] = {}
    for kind in PHARM_CLASS_KINDS:
        values = _unique(c for m in meds for c in m.pharm_classes.get(kind, ()))
        if values:
            classes[kind] = values
    return Medicine(
        id=re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or primary.id,
        name=name,
        aliases=aliases,
        lang=primary.lang,
        source=primary.source,
        sections=sections,
        rxcuis=_unique(r for m in meds for r in m.rxcuis),
        substances=_unique(s for m in meds for s in m.substances),
        pharm_classes=classes,
        routes=_unique(r for m in meds for r in m.routes),
        product_type=primary.product_type or next((m.product_type for m in meds if m.product_type), ""),
        effective_date=max(m.effective_date for m in meds),
        sources=_unique([primary.source, *(m.source for m in meds)]),
    )


def cut_section(text: str, cap: int) -> str:
    """The text up to the last sentence end within `cap` characters (a hard cut at a space when the first
    sentence alone is longer)."""
    if len(text) <= cap:
        return text
    out: list[str] = []
    size = 0
    for s in sentences(text):
        if size + len(s) + 1 > cap:
            break
        out.append(s)
        size += len(s) + 1
    if not out:
        cut = text.rfind(" ", 0, cap)
        return text[: cut if cut > 0 else cap].rstrip()
    return " ".join(out)


# The number of a section in a label of the current (PLR) format, whose subsections are numbered under it ("5.5
# Discontinuation Syndrome", "2.3 Dosage Modifications in Patients with Renal Impairment", "7.4 Antacids"). A cap
# cut away the later subsections whole: sertraline's warnings stopped in 5.2, so "can I just stop sertraline?"
# had no discontinuation text at all. Past the cap each subsection keeps its heading and first sentences.
NUMBERED_SECTIONS: dict[str, str] = {"dosage": "2", "warnings": "5", "interactions": "7"}
MAX_SUBSECTION_LEAD = 500  # characters; a first sentence longer than this (a flattened table) is left out
SUBSECTION_LEAD = 450  # characters the first sentences of a subsection fill, the second one only when it fits


def subsection_leads(text: str, kept: str, number: str) -> list[str]:
    """The heading and first sentences of each numbered subsection of `text` that `kept` (its head) lacks."""
    heading = re.compile(rf"(?<![\d.])({number}\.\d{{1,2}})\s+(?=[A-Z])")
    have = {m.group(1) for m in heading.finditer(kept)}
    rest = text[len(kept):]
    out = []
    for found in heading.finditer(rest):
        if found.group(1) in have:
            continue
        have.add(found.group(1))
        end = next((m.start() for m in heading.finditer(rest, found.end())), len(rest))
        first = sentences(rest[found.start():min(end, found.start() + 2 * MAX_SUBSECTION_LEAD)])
        if not first or len(first[0]) > MAX_SUBSECTION_LEAD or len(first[0]) <= len(found.group(0)) + 20:
            continue
        lead = first[0]
        if len(first) > 2 and len(lead) + len(first[1]) + 1 <= SUBSECTION_LEAD:
            lead = f"{lead} {first[1]}"  # (not the subsection's last, maybe cut, sentence)
        out.append(headed(lead, found.group(0)))
    return out


# Words a title keeps in lower case ("Monitoring to Achieve Optimal Anticoagulation", "Drugs that Increase ...").
_TITLE_SMALL = frozenset("a an and or of the to in on at by for with from during after before that vs versus".split())


def headed(lead: str, number: str) -> str:
    """The lead with its heading ended by a full stop, so that the heading is no part of the first sentence:
    "5.5 Discontinuation Syndrome Adverse reactions after ..." -> "5.5 Discontinuation Syndrome. Adverse reactions
    after ...". The heading is the run of title-case words up to the capitalised word that starts the sentence
    (the last one before the first lower-case word a title does not have); unchanged when none is found."""
    words = lead[len(number):].split(" ")
    first_lower = next((i for i, w in enumerate(words) if w[:1].islower() and w.casefold() not in _TITLE_SMALL), None)
    if first_lower is None:
        return lead
    start = next((i for i in range(first_lower - 1, 0, -1) if words[i][:1].isupper()), None)
    if start is None or any(w[:1].islower() and w.casefold() not in _TITLE_SMALL for w in words[:start]):
        return lead
    heading = " ".join(words[:start]).rstrip(" :.-")
    return f"{number}{heading}. {' '.join(words[start:])}" if heading else lead


def select_sections(
    med: Medicine, indexed: Sequence[str], caps: dict[str, int], summary: CorpusSummary
) -> Medicine:
    sections: dict[str, str] = {}
    for attr, text in med.sections.items():
        if attr not in indexed:
            summary.not_indexed[attr] += 1
            continue
        cap = caps.get(attr)
        if cap is not None and len(text) > cap:
            summary.shortened[attr] += 1
            kept = cut_section(text, cap)
            leads = subsection_leads(text, kept, NUMBERED_SECTIONS[attr]) if attr in NUMBERED_SECTIONS else []
            if leads:
                summary.subsection_leads[attr] += len(leads)
            text = " ".join([kept, *leads])
        sections[attr] = text
    return replace(med, sections=sections)


def link_ingredients(medicines: list[Medicine]) -> list[Medicine]:
    """Combination products list the ids of the single-ingredient medicines of their parts."""
    singles: dict[str, list[Medicine]] = defaultdict(list)
    for m in medicines:
        key = ingredient_key(m)
        if len(key) == 1:
            singles[key[0]].append(m)
    out: list[Medicine] = []
    for m in medicines:
        key = ingredient_key(m)
        if len(key) > 1:
            ids: list[str] = []
            for ing in key:
                options = singles.get(ing, [])
                same_route = [o for o in options if route_group(o) == route_group(m)]
                # an OTC combination (Advil PM) is made of the OTC ingredient where both kinds are held
                same_kind = [o for o in same_route if o.product_type == m.product_type]
                ids.extend(o.id for o in (same_kind or same_route or options)[:1])
            if ids:
                m = replace(m, ingredient_ids=tuple(ids))
        out.append(m)
    return out


def _route_ids(medicines: list[Medicine]) -> list[Medicine]:
    """Medicines of one name but different routes ("Budesonide" inhaled and nasal) get the route group as
    an id suffix, except the oral one (or the first)."""
    by_id: dict[str, list[Medicine]] = defaultdict(list)
    for m in medicines:
        by_id[m.id].append(m)
    renamed: dict[int, str] = {}
    for mid, group in by_id.items():
        if len(group) < 2:
            continue
        keep = next((m for m in group if route_group(m) == "oral"), group[0])
        for m in group:
            if m is not keep and route_group(m):
                renamed[id(m)] = f"{mid}-{re.sub(r'[^a-z0-9]+', '-', route_group(m)).strip('-')}"
    return [replace(m, id=renamed[id(m)]) if id(m) in renamed else m for m in medicines]


def drop_other_form_brands(med: Medicine, forms: dict[str, str], summary: CorpusSummary) -> Medicine:
    """Aliases that are brands of another form (`indexing.brand_forms`) are not this medicine's names."""
    group = route_group(med)
    kept: list[str] = []
    for alias in med.aliases:
        other = brand_of_another_form(alias, group, forms)
        if other is None:
            kept.append(alias)
        else:
            summary.other_form_aliases.append((med.id, alias, other))
    return med if len(kept) == len(med.aliases) else replace(med, aliases=tuple(kept))


def drop_ambiguous_lookup_words(medicines: list[Medicine], label_names: Iterable[LabelNames],
                                summary: CorpusSummary) -> list[Medicine]:
    """A collection's lookup word ("Phenytoin", the `drug` key it fetched the label by) that is only the plain
    ingredient name of the label is no alias where another medicine is that ingredient alone and is not named
    exactly that word: as an alias it pinned the plain name on whichever product the collection fetched (the
    phenytoin injection, not the capsules; Stiolto, not the Spiriva inhaler, for "tiotropium"). A medicine
    named exactly the word ("Valsartan") wins over such an alias in the lexicon anyway, and the alias stays.
    Where no other medicine is the ingredient ("Hydrocodone" of hydrocodone and acetaminophen) it is kept: it
    is how people name that product, unless the product is homeopathic (`is_homeopathic`: "Quinine" on Quinine
    Salicylate pellets is no way to name them). Where exactly one other medicine is that ingredient alone, the word
    becomes its alias when it leaves a combination or kit ("Tiotropium" to the tiotropium inhalation spray,
    whose name alone does not say it) or when that medicine is the oral one ("Phenytoin" to the capsules)."""
    names_of: dict[str, list[LabelNames]] = defaultdict(list)
    for names in label_names:
        names_of[names.source].append(names)
    # plain ingredient -> the medicines of it alone
    single: dict[str, set[int]] = defaultdict(set)
    by_id = {id(m): m for m in medicines}
    # a medicine named exactly the word outranks any alias of it (the lexicon prefers names): harmless there
    named = {m.name.casefold() for m in medicines}
    for m in medicines:
        key = ingredient_key(m)
        if len(key) == 1:
            single[key[0]].add(id(m))
    moved: dict[int, list[str]] = defaultdict(list)  # the one other medicine of the ingredient -> words
    out: list[Medicine] = []
    for m in medicines:
        labels = [n for src in (m.source, *m.sources) for n in names_of.get(src, ())]
        lookup = {n.key.casefold() for n in labels
                  if n.key and is_plain_ingredient_name(n.key, m.name, n.generics, n.brands)}
        dropped = [a for a in m.aliases if a.casefold() in lookup and a.casefold() not in named
                   and single.get(ingredient_name(a), set()) - {id(m)}]
        # A lookup word that is no name of the label and is another medicine's name ("Adalimumab" on the
        # biosimilar adalimumab-aacf, which the collection fetched by the reference product's name): the other
        # medicine is named it already, so it goes, and is not moved.
        own = {x.casefold() for n in labels for x in (*n.brands, *n.generics)}
        fetched_by = {n.key.casefold() for n in labels
                      if n.key and not is_plain_ingredient_name(n.key, m.name, n.generics, n.brands)}
        borrowed = [a for a in m.aliases if a not in dropped and a.casefold() in fetched_by
                    and a.casefold() in named - {m.name.casefold()} and a.casefold() not in own]
        if is_homeopathic(m):
            # the collection searched "quinine" and got pellets: the search word is no name of them
            borrowed += [a for a in m.aliases if a not in dropped and a not in borrowed
                         and a.casefold() in lookup | fetched_by and a.casefold() not in own]
        summary.lookup_words_dropped.extend((m.id, word) for word in borrowed)
        for word in dropped:
            summary.lookup_words_dropped.append((m.id, word))
            others = single[ingredient_name(word)] - {id(m)}
            # to the one medicine of it alone, from a combination or kit, or onto its tablets from another form
            if len(others) == 1 and (len(ingredient_key(m)) > 1 or route_group(by_id[next(iter(others))]) == "oral"):
                moved[next(iter(others))].append(word)
        gone = {*dropped, *borrowed}
        out.append(replace(m, aliases=tuple(a for a in m.aliases if a not in gone)) if gone else m)
    # The word names the one medicine of that ingredient alone ("Tiotropium": the Spiriva inhaler, not Stiolto)
    for i, original in enumerate(medicines):
        have = {n.casefold() for n in out[i].names}
        words = [w for w in dict.fromkeys(moved.get(id(original), [])) if w.casefold() not in have]
        if words:
            out[i] = replace(out[i], aliases=(*out[i].aliases, *words))
    return out


@dataclass
class CorpusOptions:
    indexed: tuple[str, ...] = INDEXED_ATTRIBUTES
    caps: dict[str, int] = field(default_factory=lambda: dict(SECTION_CAPS))
    strict: bool = False
    # brand -> the route group it means (corpora/names/brand_forms.tsv)
    brand_forms: dict[str, str] = field(default_factory=load_brand_forms)


def build_corpus(
    sources: Sequence[str | Path],
    options: CorpusOptions | None = None,
    on_label: Callable[[Candidate], None] | None = None,
) -> CorpusSummary:
    """Read every source, keep newest versions, merge per ingredient set and route, select sections."""
    options = options or CorpusOptions()
    started = time.monotonic()
    summary = CorpusSummary(report=LoadReport(strict=options.strict))
    cands: list[Candidate] = []
    for src in sources:
        summary.sources[str(src)] = 0
    for cand in iter_candidates(sources, summary.report, summary.notes):
        # the text of a label is kept until merging: labels are merged across sources
        cands.append(cand)
        summary.sources[cand.source_name] = summary.sources.get(cand.source_name, 0) + 1
        if on_label is not None:
            on_label(cand)
    for name, n in summary.notes.unknown_fields.items():
        summary.report.note(f"unknown heading {name!r} -> other", n)
    latest = _latest_versions(resolve_combination_labels(cands, summary), summary)
    merged: list[Medicine] = []
    for whole in _group(latest):
        prescription, otc = split_prescription_and_otc(whole)
        for group in (prescription, otc) if otc else (whole,):
            med = merge_group(group)
            if group is otc:
                med = as_otc_product(med, merged[-1])
                summary.otc_split.append((merged[-1].id, med.id))
                # a class is the ingredient's, whichever label carries it (ibuprofen's NSAID class came only
                # with its OTC labels): both medicines get them all, for the interaction links
                merged[-1], med = share_classes(merged[-1], med)
            merged.append(med)
            if len(group) > 1:
                summary.merged_groups += 1
                summary.merged_labels += len(group) - 1
    merged = [drop_other_form_brands(m, options.brand_forms, summary) for m in merged]
    selected = [select_sections(m, options.indexed, options.caps, summary) for m in merged]
    empty = [m for m in selected if not m.sections]
    for m in empty:
        summary.report.warn(m.source, "no indexed sections", f"{m.name}: only sections that are not indexed")
    kept = [m for m in selected if m.sections]
    unique, summary.id_collisions = assign_unique_ids(_route_ids(sorted(kept, key=lambda m: (m.id, m.source))))
    unique = drop_ambiguous_lookup_words(unique, summary.notes.label_names, summary)
    summary.medicines = sorted(link_ingredients(unique), key=lambda m: m.id)
    summary.seconds = time.monotonic() - started
    return summary


def write_corpus(summary: CorpusSummary, out: str | Path) -> None:
    write_medicines(summary.medicines, out)
