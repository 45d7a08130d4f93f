"""US FDA drug labels (openFDA / DailyMed structured product labels) -> clinqa medicines.

Inputs:
- the merged label file (`merged_labels.jsonl`: one object a line with `drug`, `source`, `set_id`,
  `brand_name` [..], `generic_name` [..], `sections` {openFDA field: text});
- raw label JSON files: one label object, a list of them, `{"results": [...]}` (the openFDA API), or a
  list of `{"drug", "section", "text"}` rows. A label either holds its openFDA fields at the top level
  (fields are lists of strings, names under `openfda`) or under `sections` (names under `drug_name`,
  `generic_names`, `brand_names` or `openfda_meta`).

Rules, in the order they apply:
- Fields map onto the attribute vocabulary by `FIELD_ATTRIBUTES`; several fields of one attribute are
  joined with a blank line in the table's order; unknown text fields go to `other` (after the known ones,
  alphabetically); `*_table` HTML fields and `METADATA_FIELDS` are not sections.
- Text: whitespace collapsed; a leading heading that repeats the attribute's own name ("5 WARNINGS AND
  PRECAUTIONS", "4 CONTRAINDICATIONS") is removed. Headings of the other fields joined into an attribute
  are kept ("Do not use", "12.1 Mechanism of Action"): they tell the joined parts apart. A field whose
  text is already contained in another field of the same attribute is dropped (openFDA repeats
  subsections 12.1-12.3 inside clinical_pharmacology).
- Name: the generic name (the one containing the label's `drug` key as a word, else the first), in
  readable case; a brand name when the generic name is an ingredient list of more than
  `MAX_NAME_CHARS` characters (kits, homeopathic mixtures). Id: slug of the name.
- Aliases: brand names, other generic names, the `drug` key; parenthesised remarks removed; duplicates
  (case-insensitive, including the name) removed; dropped when 1-2 characters, a number, longer than
  `MAX_NAME_CHARS`, or made only of `ALIAS_STOPWORDS` (ordinary words such as "Sleep Aid", store names,
  salt names such as "tromethamine").
- Source: "dailymed:<set_id>"; without a set id "<collection>:<drug>" (merged file) or
  "file:<folder>/<file>[#item]" (raw files).
The converter (`convert`, `python -m indexing.sources.openfda`) also merges labels sharing a set id and
makes ids unique.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from indexing.jsonl import iter_json_lines
from indexing.schema import PHARM_CLASS_KINDS, Attribute, Medicine
from indexing.sources.clinqa_jsonl import write_medicines
from indexing.sources.errors import CorpusError, bad_json_line
from indexing.sources.sections import refine_fields
from indexing.vocabulary import SALT_WORDS

A = Attribute

# Order matters: it is the order in which fields of one attribute are joined.
FIELD_ATTRIBUTES: tuple[tuple[str, Attribute], ...] = (
    ("indications_and_usage", A.INDICATIONS),
    ("purpose", A.INDICATIONS),
    ("dosage_and_administration", A.DOSAGE),
    ("dosage_forms_and_strengths", A.DOSAGE_FORMS),
    ("how_supplied", A.DOSAGE_FORMS),
    ("contraindications", A.CONTRAINDICATIONS),
    ("do_not_use", A.CONTRAINDICATIONS),
    ("warnings_and_cautions", A.WARNINGS),
    ("warnings_and_precautions", A.WARNINGS),
    ("warnings", A.WARNINGS),
    ("precautions", A.WARNINGS),
    ("general_precautions", A.WARNINGS),
    ("user_safety_warnings", A.WARNINGS),
    ("ask_doctor", A.WARNINGS),
    ("ask_doctor_or_pharmacist", A.WARNINGS),
    ("when_using", A.WARNINGS),
    ("stop_use", A.WARNINGS),
    ("laboratory_tests", A.WARNINGS),
    ("drug_abuse_and_dependence", A.WARNINGS),
    ("controlled_substance", A.WARNINGS),
    ("abuse", A.WARNINGS),
    ("dependence", A.WARNINGS),
    ("risks", A.WARNINGS),
    ("boxed_warning", A.BOXED_WARNING),
    ("adverse_reactions", A.ADVERSE_REACTIONS),
    ("drug_interactions", A.INTERACTIONS),
    ("drug_and_or_laboratory_test_interactions", A.INTERACTIONS),
    ("pregnancy", A.PREGNANCY),
    ("teratogenic_effects", A.PREGNANCY),
    ("nonteratogenic_effects", A.PREGNANCY),
    ("labor_and_delivery", A.PREGNANCY),
    ("pregnancy_or_breast_feeding", A.PREGNANCY),
    ("lactation", A.LACTATION),
    ("nursing_mothers", A.LACTATION),
    ("lactation_statements", A.LACTATION),
    ("pediatric_use", A.PEDIATRIC),
    ("geriatric_use", A.GERIATRIC),
    # (indexing.sources.sections: moved out of nursing_mothers, cut out of use_in_specific_populations)
    ("reproductive_potential", A.SPECIFIC_POPULATIONS),
    ("use_in_specific_populations", A.SPECIFIC_POPULATIONS),
    ("overdosage", A.OVERDOSAGE),
    ("description", A.DESCRIPTION),
    ("active_ingredient", A.DESCRIPTION),
    ("inactive_ingredient", A.DESCRIPTION),
    ("components", A.DESCRIPTION),
    ("clinical_pharmacology", A.PHARMACOLOGY),
    ("mechanism_of_action", A.PHARMACOLOGY),
    ("pharmacodynamics", A.PHARMACOLOGY),
    ("pharmacokinetics", A.PHARMACOLOGY),
    ("pharmacogenomics", A.PHARMACOLOGY),
    ("microbiology", A.PHARMACOLOGY),
    ("storage_and_handling", A.STORAGE),
    ("storage_statements", A.STORAGE),
    ("safe_handling_warning", A.STORAGE),
    ("information_for_patients", A.PATIENT_COUNSELING),
    ("patient_counseling_information", A.PATIENT_COUNSELING),
    ("patient_medication_information", A.PATIENT_COUNSELING),
    ("spl_patient_package_insert", A.PATIENT_COUNSELING),
    ("spl_medguide", A.PATIENT_COUNSELING),
    ("instructions_for_use", A.PATIENT_COUNSELING),
    ("information_for_owners_or_caregivers", A.PATIENT_COUNSELING),
    ("keep_out_of_reach_of_children", A.OTHER),
    ("other_safety_information", A.OTHER),
    ("questions", A.OTHER),
    ("spl_unclassified_section", A.OTHER),
    ("clinical_studies", A.OTHER),
    ("nonclinical_toxicology", A.OTHER),
    ("carcinogenesis_and_mutagenesis_and_impairment_of_fertility", A.OTHER),
    ("animal_pharmacology_and_or_toxicology", A.OTHER),
    ("references", A.OTHER),
)
FIELD_ORDER: dict[str, int] = {name: i for i, (name, _) in enumerate(FIELD_ATTRIBUTES)}
ATTRIBUTE_OF_FIELD: dict[str, Attribute] = dict(FIELD_ATTRIBUTES)

# Label keys that are identifiers, names, packaging or indexing data rather than label text.
METADATA_FIELDS: frozenset[str] = frozenset(
    {
        "openfda", "openfda_meta", "id", "set_id", "spl_id", "spl_set_id", "version", "effective_time",
        "spl_product_data_elements", "spl_indexing_data_elements", "package_label_principal_display_panel",
        "recent_major_changes", "drug", "drug_id", "drug_name", "source", "sources", "section_sources",
        "sections", "brand_name", "brand_names", "generic_name", "generic_names", "manufacturer",
        "manufacturer_name", "product_type", "route", "substance_name", "pharm_class_epc",
        "pharm_class_moa", "pharm_class_cs", "pharm_class_pe", "product_ndc", "package_ndc", "rxcui",
        "unii", "upc", "nui", "application_number", "is_original_packager", "original_packager_product_ndc",
        "source_repo", "source_query", "spl_title",
    }
)  # fmt: skip

# Headings that merely repeat the attribute's name, longest first within each attribute.
ATTRIBUTE_HEADINGS: dict[Attribute, tuple[str, ...]] = {
    A.INDICATIONS: ("indications and usage", "indications & usage", "indication and usage", "indications"),
    A.DOSAGE: ("dosage and administration", "dosage & administration"),
    A.DOSAGE_FORMS: ("dosage forms and strengths", "dosage forms & strengths"),
    A.CONTRAINDICATIONS: ("contraindications",),
    A.WARNINGS: ("warnings and precautions", "warnings & precautions", "warnings"),
    A.BOXED_WARNING: ("boxed warning section", "boxed warnings", "boxed warning"),
    A.ADVERSE_REACTIONS: ("adverse reactions",),
    A.INTERACTIONS: ("drug interactions",),
    A.PREGNANCY: ("pregnancy",),
    A.LACTATION: ("lactation", "nursing mothers"),
    A.PEDIATRIC: ("pediatric use",),
    A.GERIATRIC: ("geriatric use",),
    A.SPECIFIC_POPULATIONS: ("use in specific populations",),
    A.OVERDOSAGE: ("overdosage",),
    A.DESCRIPTION: ("description",),
    A.PHARMACOLOGY: ("clinical pharmacology",),
    A.STORAGE: ("how supplied/storage and handling", "storage and handling", "how supplied"),
    A.PATIENT_COUNSELING: ("patient counseling information", "information for patients"),
}
_HEADING_RES: dict[Attribute, re.Pattern[str]] = {
    attr: re.compile(
        r"(?P<num>\d+(?:\s*\.\s*\d+)*\s*\.?\s+)?(?P<head>"
        + "|".join(re.escape(h) for h in heads)
        + r")(?P<colon>\s*:)?(?=\s|$)",
        re.IGNORECASE,
    )
    for attr, heads in ATTRIBUTE_HEADINGS.items()
}

MAX_NAME_CHARS = 60

_ORDINARY_WORDS = """
a an and the of for with in to by plus extra maximum max regular original advanced ultra super daily
strength dose low high formula adult adults children childrens child kids infant infants junior baby men
women pain reliever relief relieving fever cold flu cough sinus allergy allergies congestion nasal headache
heartburn acid reducer sleep aid nighttime daytime night day stay awake motion sickness itch anti
diarrheal laxative gentle stool softener antifungal antacid hair regrowth treatment remedy care health
healthy hand sanitizer wipes soap lavender mint cherry grape orange peach lemon eye eyes drops tears
lubricant ointment cream gel lotion spray tablet tablets caplet caplets capsule capsules softgels liquid
oral solution suspension chewable dye free sugar cvs pharmacy walgreens equate rite kroger leader signature
up good neighbor
"""
ALIAS_STOPWORDS: frozenset[str] = frozenset(_ORDINARY_WORDS.split()) | SALT_WORDS

_KEEP_UPPER = frozenset(
    {"usp", "nf", "hfa", "er", "xr", "xl", "sr", "dr", "cr", "odt", "la", "ir", "pfs", "rtu"}
)
_SPECIAL_CASE = {"hcl": "HCl", "hbr": "HBr"}
_SMALL_WORDS = frozenset({"and", "or", "with", "in", "of", "for", "to"})


@dataclass(frozen=True, slots=True)
class SkippedLabel:
    path: str
    line: int | None
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class DroppedAlias:
    medicine: str
    alias: str
    reason: str


@dataclass(frozen=True, slots=True)
class LabelNames:
    """The names one label gives itself, by where they stand: what the alias audit (`indexing.alias_audit`)
    and the build's alias rules check an alias against."""

    source: str  # the medicine's source ("dailymed:<set id>", "file:...")
    brands: tuple[str, ...]  # brand_name fields (openFDA, the collections' copies, SPL product names)
    generics: tuple[str, ...]
    key: str  # the collection's own name for the label (`drug`, `drug_name`): its lookup word, not the label's
    title: str = ""  # SPL document title, where the label came as SPL


@dataclass
class LoadNotes:
    """What loading decided besides producing medicines; collected so that nothing goes unreported."""

    skipped: list[SkippedLabel] = field(default_factory=list)
    label_names: list[LabelNames] = field(default_factory=list)
    dropped_aliases: list[DroppedAlias] = field(default_factory=list)
    unknown_fields: Counter[str] = field(default_factory=Counter)
    contained_fields: Counter[str] = field(default_factory=Counter)
    empty_fields: Counter[str] = field(default_factory=Counter)


class NoUsableSections(CorpusError):
    """A well-formed label without any non-empty text section."""


# ---------------------------------------------------------------- text


def collapse_whitespace(text: str) -> str:
    return " ".join(text.split())


def strip_repeated_heading(text: str, attribute: Attribute) -> str:
    """Remove a leading heading that only repeats the attribute's name; keep anything that may be content."""
    pattern = _HEADING_RES.get(attribute)
    m = pattern.match(text) if pattern else None
    if m is None:
        return text
    head, rest = m.group("head"), text[m.end() :].lstrip()
    numbered, colon = m.group("num") is not None, m.group("colon") is not None
    if not (numbered or head[0].isupper()):
        return text
    # "Warnings about ..." is a sentence, "WARNINGS Liver warning: ..." a heading.
    if not (numbered or colon) and rest[:1].islower():
        return text
    return rest


def clean_section(raw: str, attribute: Attribute) -> str:
    return strip_repeated_heading(collapse_whitespace(raw), attribute)


def attribute_for_field(name: str) -> Attribute:
    return ATTRIBUTE_OF_FIELD.get(name, Attribute.OTHER)


def _field_sort_key(name: str) -> tuple[int, str]:
    return (FIELD_ORDER.get(name, len(FIELD_ORDER)), name)


def map_sections(fields: dict[str, str], notes: LoadNotes | None = None) -> dict[str, str]:
    """openFDA field texts -> attribute texts, joined in `FIELD_ATTRIBUTES` order."""
    parts: dict[Attribute, list[str]] = {}
    for name in sorted(fields, key=_field_sort_key):
        attr = attribute_for_field(name)
        text = clean_section(fields[name], attr)
        if not text:
            if notes is not None:
                notes.empty_fields[name] += 1
            continue
        if name not in ATTRIBUTE_OF_FIELD and notes is not None:
            notes.unknown_fields[name] += 1
        have = parts.setdefault(attr, [])
        if any(text in earlier for earlier in have):
            if notes is not None:
                notes.contained_fields[name] += 1
            continue
        kept = [earlier for earlier in have if earlier not in text]
        if notes is not None and len(kept) < len(have):
            notes.contained_fields[f"(earlier field inside {name})"] += len(have) - len(kept)
        parts[attr] = [*kept, text]
    return {attr.value: "\n\n".join(texts) for attr in Attribute if (texts := parts.get(attr))}


# ---------------------------------------------------------------- names


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def _case_word(word: str, first: bool) -> str:
    core = word.strip("()[],.;:%/")
    if core in _SPECIAL_CASE:
        return word.replace(core, _SPECIAL_CASE[core])
    if core in _KEEP_UPPER:
        return word.upper()
    if core in _SMALL_WORDS and not first:
        return word
    # Capitalise the first letter only: "ado-trastuzumab", "adalimumab-aacf" keep lowercase suffixes.
    return re.sub(r"^([^\w]*)([a-z])", lambda m: m.group(1) + m.group(2).upper(), word)


def readable_case(name: str) -> str:
    """'SACUBITRIL AND VALSARTAN' -> 'Sacubitril and Valsartan'; mixed-case names are kept as written."""
    name = collapse_whitespace(name)
    if not (name.isupper() or name.islower()):
        return name
    return " ".join(_case_word(w, i == 0) for i, w in enumerate(name.lower().split(" ")))


def _without_remarks(text: str) -> str:
    return collapse_whitespace(re.sub(r"\([^)]*\)", " ", text))


def _contains_word(text: str, word: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(word.casefold())}(?![a-z0-9])", text.casefold()) is not None


def choose_name(generic_names: Sequence[str], brand_names: Sequence[str], key: str | None) -> str:
    """The medicine's name: see the module docstring."""
    generics = [g for g in (collapse_whitespace(g) for g in generic_names) if g]
    brands = [b for b in (collapse_whitespace(b) for b in brand_names) if b]
    key_clean = _without_remarks(key) if key else ""
    if key_clean:
        generics.sort(key=lambda g: not _contains_word(g, key_clean))
    short = [n for n in (*generics, *brands, key_clean) if n and len(n) <= MAX_NAME_CHARS]
    candidates = short or [n for n in (*generics, *brands) if n]
    return readable_case(candidates[0]) if candidates else ""


def _bare_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z][a-z0-9-]*", _without_remarks(text).casefold()) if w not in SALT_WORDS]


def is_plain_ingredient_name(word: str, name: str, generics: Sequence[str], brands: Sequence[str]) -> bool:
    """Whether `word` is one of the label's own generic names (or its name) with salt and form words taken
    off, and not one of its brand names: "Phenytoin" of "PHENYTOIN SODIUM", "Semaglutide" of "ORAL
    SEMAGLUTIDE"."""
    words = _bare_words(word)
    if not words or any(_without_remarks(b).casefold() == _without_remarks(word).casefold() for b in brands):
        return False
    for generic in (name, *generics):
        bare = _bare_words(generic)
        if words == bare or (len(words) < len(bare) and " ".join(words) in " ".join(bare)):
            return True
    return False


def alias_drop_reason(alias: str) -> str | None:
    if len(alias) <= 2:
        return "too short"
    if not re.search(r"[^\W\d_]", alias):
        return "a number"
    if len(alias) > MAX_NAME_CHARS:
        return f"ingredient list (over {MAX_NAME_CHARS} characters)"
    words = re.findall(r"[a-z]+", alias.casefold().replace("'s", ""))
    if words and all(w in ALIAS_STOPWORDS for w in words):
        return "ordinary words"
    return None


def clean_aliases(name: str, candidates: Iterable[str]) -> tuple[tuple[str, ...], list[tuple[str, str]]]:
    """Deduplicated aliases (case-insensitive, never the name) and the dropped ones with reasons."""
    seen = {name.casefold()}
    kept: list[str] = []
    dropped: list[tuple[str, str]] = []
    for raw in candidates:
        alias = _without_remarks(raw)
        if not alias or alias.casefold() in seen:
            continue
        seen.add(alias.casefold())
        reason = alias_drop_reason(alias)
        if reason is None:
            kept.append(alias)
        else:
            dropped.append((raw, reason))
    return tuple(kept), dropped


# ---------------------------------------------------------------- labels


def _fail(path: str | Path, line: int | None, item: str | None, message: str) -> CorpusError:
    return CorpusError(path, line, f"{item}: {message}" if item else message)


def _strings(value: Any, what: str, path: str | Path, line: int | None, item: str | None) -> list[str]:
    """A name field: absent/None, a string, or a list of strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise _fail(path, line, item, f"field {what!r} must be a string or a list of strings")


def _section_text(value: Any, name: str, path: str | Path, line: int | None, item: str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return " ".join(value)  # whitespace is collapsed afterwards anyway
    raise _fail(
        path, line, item, f"section {name!r} must be text or a list of strings, got {type(value).__name__}"
    )


def _label_fields(
    obj: dict[str, Any], path: str | Path, line: int | None, item: str | None
) -> dict[str, str]:
    if "sections" in obj:
        raw = obj["sections"]
        if not isinstance(raw, dict):
            raise _fail(path, line, item, "field 'sections' must be an object")
    else:
        raw = {k: v for k, v in obj.items() if k not in METADATA_FIELDS}
    fields: dict[str, str] = {}
    for name, value in raw.items():
        if not isinstance(name, str) or name.endswith("_table") or name in METADATA_FIELDS:
            continue
        text = _section_text(value, name, path, line, item)
        if text is not None:
            fields[name] = text
    return fields


def _set_id(
    obj: dict[str, Any], meta: dict[str, Any], path: str | Path, line: int | None, item: str | None
) -> str:
    ids = _strings(obj.get("set_id"), "set_id", path, line, item) or _strings(
        meta.get("spl_set_id"), "spl_set_id", path, line, item
    )
    return ids[0].strip() if ids else ""


def medicine_from_openfda_label(
    obj: Any,
    path: str | Path,
    line: int | None,
    *,
    item: str | None = None,
    fallback_name: str | None = None,
    fallback_source: str | None = None,
    notes: LoadNotes | None = None,
) -> Medicine:
    """One label object -> Medicine. `item` names the label's place in a list file (e.g. "results[3]").

    Raises CorpusError for malformed input and NoUsableSections for a label without any text."""
    if not isinstance(obj, dict):
        raise _fail(path, line, item, f"expected a label object, got {type(obj).__name__}")
    meta = obj.get("openfda", obj.get("openfda_meta")) or {}
    if not isinstance(meta, dict):
        raise _fail(path, line, item, "field 'openfda' must be an object")
    key = obj.get("drug", obj.get("drug_name"))
    if key is not None and not isinstance(key, str):
        raise _fail(path, line, item, "field 'drug' must be a string")
    generics = [
        *_strings(obj.get("generic_name"), "generic_name", path, line, item),
        *_strings(obj.get("generic_names"), "generic_names", path, line, item),
        *_strings(meta.get("generic_name"), "openfda.generic_name", path, line, item),
    ]
    brands = [
        *_strings(obj.get("brand_name"), "brand_name", path, line, item),
        *_strings(obj.get("brand_names"), "brand_names", path, line, item),
        *_strings(meta.get("brand_name"), "openfda.brand_name", path, line, item),
    ]
    name = choose_name(generics, brands, key) or readable_case(fallback_name or "")
    if not name:
        raise _fail(path, line, item, "label has no name (no generic_name, brand_name or drug)")
    mid = slugify(name)
    if not mid:
        raise _fail(path, line, item, f"name {name!r} gives an empty id")
    sections = map_sections(refine_fields(_label_fields(obj, path, line, item)), notes)
    if not sections:
        raise NoUsableSections(path, line, f"{item + ': ' if item else ''}{name}: no non-empty text section")
    aliases, dropped = clean_aliases(name, [*brands, *map(readable_case, generics), readable_case(key or "")])
    set_id = _set_id(obj, meta, path, line, item)
    source = f"dailymed:{set_id}" if set_id else (fallback_source or f"file:{Path(path).name}")
    if notes is not None:
        notes.dropped_aliases.extend(DroppedAlias(name, alias, reason) for alias, reason in dropped)
        title = obj.get("spl_title")
        notes.label_names.append(
            LabelNames(source, tuple(map(collapse_whitespace, brands)), tuple(map(collapse_whitespace, generics)),
                       collapse_whitespace(key or ""), title if isinstance(title, str) else "")
        )
    info = label_info(obj, meta, path, line, item)
    return Medicine(
        id=mid,
        name=name,
        aliases=aliases,
        lang="en",
        source=source,
        sections=sections,
        rxcuis=info.rxcuis,
        substances=info.substances,
        pharm_classes=info.pharm_classes,
        routes=info.routes,
        product_type=info.product_type,
        effective_date=info.effective_date,
    )


@dataclass(frozen=True, slots=True)
class LabelInfo:
    """A label's identity and linking metadata (openFDA `openfda` block or a collection's copy of it)."""

    set_id: str = ""
    version: int | None = None
    effective_date: str = ""
    rxcuis: tuple[str, ...] = ()
    substances: tuple[str, ...] = ()
    pharm_classes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    routes: tuple[str, ...] = ()
    product_type: str = ""


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for v in values:
        v = collapse_whitespace(v)
        if v and v.casefold() not in {k.casefold() for k in out}:
            out[v] = None
    return tuple(out)


def iso_date(value: str) -> str:
    """'20240523' -> '2024-05-23'; anything else -> ''."""
    m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})\d*", value.strip())
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else ""


def label_info(
    obj: dict[str, Any], meta: dict[str, Any], path: str | Path, line: int | None, item: str | None
) -> LabelInfo:
    def strings(key: str) -> list[str]:
        return [
            *_strings(meta.get(key), f"openfda.{key}", path, line, item),
            *_strings(obj.get(key), key, path, line, item),
        ]

    versions = strings("version")
    version = int(versions[0]) if versions and versions[0].strip().isdigit() else None
    dates = strings("effective_time")
    classes = {kind: _unique(strings(f"pharm_class_{kind}")) for kind in PHARM_CLASS_KINDS}
    product_types = strings("product_type")
    return LabelInfo(
        set_id=_set_id(obj, meta, path, line, item),
        version=version,
        effective_date=iso_date(dates[0]) if dates else "",
        rxcuis=_unique(strings("rxcui")),
        substances=_unique(strings("substance_name")),
        pharm_classes={k: v for k, v in classes.items() if v},
        routes=_unique(r.upper() for r in strings("route")),
        product_type=collapse_whitespace(product_types[0]).upper() if product_types else "",
    )


def _skip_or_raise(exc: NoUsableSections, name: str, notes: LoadNotes | None) -> None:
    if notes is None:
        raise exc
    notes.skipped.append(SkippedLabel(exc.path, exc.line, name, "no sections"))


def iter_merged_labels(path: str | Path, notes: LoadNotes | None = None) -> Iterator[Medicine]:
    """Medicines from the merged label JSONL. Labels without text raise, or are recorded in `notes`."""
    path = Path(path)
    for lineno, obj in iter_json_lines(path, partial(bad_json_line, path)):
        if not isinstance(obj, dict):
            raise CorpusError(path, lineno, f"expected a JSON object, got {type(obj).__name__}")
        drug, collection = obj.get("drug"), obj.get("source")
        if not isinstance(drug, str) or not drug.strip():
            raise CorpusError(path, lineno, "field 'drug' must be a non-empty string")
        if "sections" not in obj:
            raise CorpusError(path, lineno, "missing required field 'sections'")
        fallback_source = f"{collection}:{drug}" if isinstance(collection, str) and collection else None
        try:
            yield medicine_from_openfda_label(obj, path, lineno, fallback_source=fallback_source, notes=notes)
        except NoUsableSections as exc:
            _skip_or_raise(exc, drug, notes)


def _rows_to_labels(rows: list[Any], path: Path) -> list[tuple[str, dict[str, Any]]]:
    """`[{"drug", "section", "text"}, ...]` -> one label per drug, headings turned into field names."""
    labels: dict[str, dict[str, str]] = {}
    for i, row in enumerate(rows):
        values = [row.get(k) for k in ("drug", "section", "text")] if isinstance(row, dict) else []
        if not values or not all(isinstance(v, str) for v in values):
            raise CorpusError(path, None, f"[{i}]: expected an object with string 'drug', 'section', 'text'")
        drug, heading, text = (str(v) for v in values)
        name = re.sub(r"[^a-z0-9]+", "_", heading.lower().replace("&", "and")).strip("_") or "unnamed"
        sections = labels.setdefault(drug.strip(), {})
        sections[name] = f"{sections[name]}\n\n{text}" if name in sections else text
    return [(f"#{drug}", {"drug_name": drug, "sections": s}) for drug, s in labels.items()]


def _is_rows(items: list[Any]) -> bool:
    return bool(items) and all(
        isinstance(x, dict) and {"drug", "section", "text"} <= x.keys() and "sections" not in x for x in items
    )


def _labels_in_file(path: Path) -> list[tuple[str | None, Any]]:
    """(item name or None, label object) for every label a raw JSON file holds."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CorpusError(path, exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return [(f"results[{i}]", x) for i, x in enumerate(data["results"])]
    if isinstance(data, list):
        if _is_rows(data):
            return list(_rows_to_labels(data, path))
        return [(f"[{i}]", x) for i, x in enumerate(data)]
    if isinstance(data, dict):
        return [(None, data)]
    raise CorpusError(path, None, 'expected a label object, a list of labels or {"results": [...]}')


def _json_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(p.rglob("*.json"))
        elif p.is_file():
            yield p
        else:
            raise CorpusError(p, None, "no such file or directory")


def iter_openfda_files(
    paths: Iterable[str | Path], notes: LoadNotes | None = None, *, name_from_filename: bool = False
) -> Iterator[Medicine]:
    """Medicines from raw label JSON files or folders of them (searched recursively for *.json).

    Errors name the file and, for list files, the item ("results[3]", "[3]", "#<drug>"); the line is
    the JSON line only for syntax errors. Labels that carry no name at all (e.g. bare openFDA field
    dumps) are an error unless `name_from_filename`, which names them after the file."""
    for path in _json_files(paths):
        for item, obj in _labels_in_file(path):
            anchor = "" if item is None else item if item.startswith("#") else f"#{item}"
            source = f"file:{path.parent.name}/{path.name}{anchor}"
            try:
                yield medicine_from_openfda_label(
                    obj,
                    path,
                    None,
                    item=item,
                    fallback_name=path.stem if name_from_filename else None,
                    fallback_source=source,
                    notes=notes,
                )
            except NoUsableSections as exc:
                _skip_or_raise(exc, f"{path.name}{' ' + item if item else ''}", notes)


# ---------------------------------------------------------------- conversion


@dataclass
class ConversionSummary:
    labels_read: int = 0
    medicines: list[Medicine] = field(default_factory=list)
    merged_same_label: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    id_collisions: list[tuple[str, str, str]] = field(default_factory=list)  # (slug, id given, source)
    notes: LoadNotes = field(default_factory=LoadNotes)

    @property
    def sections_per_attribute(self) -> Counter[str]:
        return Counter(attr for m in self.medicines for attr in m.sections)

    def render(self) -> str:
        notes = self.notes
        out = [
            f"labels read:        {self.labels_read}",
            f"medicines written:  {len(self.medicines)}",
            f"sections:           {sum(len(m.sections) for m in self.medicines)}",
            "sections per attribute (medicines having it):",
        ]
        counts = self.sections_per_attribute
        out += [f"  {a.value:22} {counts[a.value]}" for a in Attribute if counts[a.value]]
        out.append(f"labels sharing a set id, merged: {len(self.merged_same_label)}")
        out += [f"  {src}: {' + '.join(f'[{n}]' for n in names)}" for src, names in self.merged_same_label]
        out.append(f"id collisions: {len(self.id_collisions)}")
        out += [f"  {slug} -> {mid} ({src})" for slug, mid, src in self.id_collisions]
        out.append(f"skipped labels: {len(notes.skipped)}")
        out += [
            f"  {s.reason}: {s.name} ({s.path}{'' if s.line is None else f':{s.line}'})"
            for s in notes.skipped
        ]
        out.append(f"fields dropped as contained in another field: {sum(notes.contained_fields.values())}")
        out += [f"  {k}: {n}" for k, n in sorted(notes.contained_fields.items())]
        out.append(f"empty fields: {sum(notes.empty_fields.values())}")
        out += [f"  {k}: {n}" for k, n in sorted(notes.empty_fields.items())]
        out.append(f"unknown fields mapped to 'other': {sum(notes.unknown_fields.values())}")
        out += [f"  {k}: {n}" for k, n in sorted(notes.unknown_fields.items())]
        by_reason = Counter(d.reason for d in notes.dropped_aliases)
        out.append(f"aliases dropped: {len(notes.dropped_aliases)}")
        out += [f"  {reason}: {n}" for reason, n in sorted(by_reason.items())]
        out += [
            f"    {d.alias!r} ({d.medicine})"
            for d in notes.dropped_aliases
            if d.reason in ("ordinary words", "too short", "a number")
        ]
        return "\n".join(out)


def merge_same_label(medicines: list[Medicine]) -> tuple[list[Medicine], list[tuple[str, tuple[str, ...]]]]:
    """Combine medicines with the same DailyMed set id: the first keeps its name and wins per attribute;
    attributes it lacks come from the later ones; names and aliases of all become aliases."""
    groups: dict[str, list[Medicine]] = {}
    order: list[str] = []
    for i, med in enumerate(medicines):
        key = med.source if med.source.startswith("dailymed:") else f"#{i}"
        if key not in groups:
            order.append(key)
        groups.setdefault(key, []).append(med)
    merged: list[Medicine] = []
    reports: list[tuple[str, tuple[str, ...]]] = []
    for key in order:
        first, *rest = groups[key]
        if not rest:
            merged.append(first)
            continue
        sections = dict(first.sections)
        for other in rest:
            for attr, text in other.sections.items():
                sections.setdefault(attr, text)
        names = [n for other in rest for n in (other.name, *other.aliases)]
        aliases, _ = clean_aliases(first.name, [*first.aliases, *names])
        ordered: dict[str, str] = {a.value: sections[a.value] for a in Attribute if a.value in sections}
        merged.append(replace(first, aliases=aliases, sections=ordered))
        reports.append((key, tuple(", ".join(m.names) for m in groups[key])))
    return merged, reports


def assign_unique_ids(medicines: list[Medicine]) -> tuple[list[Medicine], list[tuple[str, str, str]]]:
    """First medicine with a slug keeps it; later ones get "-<first 8 of set id>", else "-2", "-3", ..."""
    taken: set[str] = set()
    out: list[Medicine] = []
    collisions: list[tuple[str, str, str]] = []
    for med in medicines:
        mid = med.id
        if mid in taken:
            set_id = med.source.removeprefix("dailymed:") if med.source.startswith("dailymed:") else ""
            candidate = f"{mid}-{slugify(set_id[:8])}" if slugify(set_id[:8]) else ""
            n = 2
            while not candidate or candidate in taken:
                candidate, n = f"{mid}-{n}", n + 1
            collisions.append((mid, candidate, med.source))
            mid = candidate
        taken.add(mid)
        out.append(med if mid == med.id else replace(med, id=mid))
    return out, collisions


def load_labels(
    sources: Sequence[str | Path], notes: LoadNotes, *, name_from_filename: bool = False
) -> Iterator[Medicine]:
    for src in map(Path, sources):
        if src.is_file() and src.suffix == ".jsonl":
            yield from iter_merged_labels(src, notes)
        else:
            yield from iter_openfda_files([src], notes, name_from_filename=name_from_filename)


def convert(sources: Sequence[str | Path], *, name_from_filename: bool = False) -> ConversionSummary:
    """Load every label, merge those sharing a set id, make ids unique, sort by id."""
    summary = ConversionSummary()
    loaded = list(load_labels(sources, summary.notes, name_from_filename=name_from_filename))
    summary.labels_read = len(loaded) + len(summary.notes.skipped)
    merged, summary.merged_same_label = merge_same_label(loaded)
    unique, summary.id_collisions = assign_unique_ids(merged)
    summary.medicines = sorted(unique, key=lambda m: m.id)
    return summary


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m indexing.sources.openfda",
        description="Convert FDA drug labels (merged JSONL, raw openFDA JSON) to clinqa medicines.",
    )
    parser.add_argument("sources", nargs="+", type=Path, help="merged *.jsonl, label *.json files or folders")
    parser.add_argument("--out", type=Path, default=Path("corpora/medicines.jsonl"))
    parser.add_argument(
        "--name-from-filename",
        action="store_true",
        help="name labels that carry no name after their file (raw openFDA field dumps)",
    )
    args = parser.parse_args(argv)
    try:
        summary = convert(args.sources, name_from_filename=args.name_from_filename)
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(summary.render())
    if not summary.medicines:
        print("error: no medicines to write", file=sys.stderr)
        return 1
    write_medicines(summary.medicines, args.out)
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
