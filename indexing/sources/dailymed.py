"""DailyMed structured product labels (HL7 v3 SPL XML) -> label objects in openFDA's shape -> medicines.

Inputs: single `.xml` files, folders of them (searched recursively), and zip archives as DailyMed
distributes them (a label's zip holding its XML and images, and the bulk release zips holding one such zip
per label). Documents are parsed one at a time; an archive member is read only when its turn comes.

Sections are recognised by their LOINC code (`SECTION_FIELDS`, onto openFDA field names, which
`indexing.sources.openfda` maps onto the attribute vocabulary). A section without a known code (the
"SPL UNCLASSIFIED SECTION" code, or a code not in the table) nested in a known one is part of its parent's
text; at the top level it is recognised by its title where the title names a known section ("Storage and
Handling", "Medication Guide"), else it goes to `other` and is counted (`LoadReport.counts`). A subsection
with a known code of another field (8.2 Lactation inside 8 Use in Specific Populations) becomes that field.
Tables are kept as text: caption, then one line a row, cells joined by " | ".

Also read: title, set id, version, effective date, document type (prescription / OTC), product names
(brand), generic names, active ingredients (substance names) and routes of the listed products.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from indexing.schema import Medicine
from indexing.sources.openfda import ATTRIBUTE_OF_FIELD, LoadNotes, NoUsableSections, medicine_from_openfda_label
from indexing.sources.stream import LoadReport, Position, expand_paths

NS = "{urn:hl7-org:v3}"
UNCLASSIFIED = "42229-5"

# LOINC section codes -> openFDA field names.
SECTION_FIELDS: dict[str, str] = {
    "34066-1": "boxed_warning",
    "34067-9": "indications_and_usage",
    "34068-7": "dosage_and_administration",
    "43678-2": "dosage_forms_and_strengths",
    "34070-3": "contraindications",
    "43685-7": "warnings_and_cautions",
    "34071-1": "warnings",
    "42232-9": "precautions",
    "34072-9": "general_precautions",
    "34084-4": "adverse_reactions",
    "34073-7": "drug_interactions",
    "34074-5": "drug_and_or_laboratory_test_interactions",
    "34075-2": "laboratory_tests",
    "43684-0": "use_in_specific_populations",
    "42228-7": "pregnancy",
    "34077-8": "teratogenic_effects",
    "34078-6": "nonteratogenic_effects",
    "34079-4": "labor_and_delivery",
    "34080-2": "nursing_mothers",
    "77290-5": "lactation",
    "34081-0": "pediatric_use",
    "34082-8": "geriatric_use",
    "77291-3": "use_in_specific_populations",  # females and males of reproductive potential
    "88828-9": "use_in_specific_populations",  # renal impairment
    "88829-7": "use_in_specific_populations",  # hepatic impairment
    "42227-9": "drug_abuse_and_dependence",
    "34085-1": "controlled_substance",
    "34086-9": "abuse",
    "34087-7": "dependence",
    "34088-5": "overdosage",
    "34089-3": "description",
    "34090-1": "clinical_pharmacology",
    "43679-0": "mechanism_of_action",
    "43681-6": "pharmacodynamics",
    "43682-4": "pharmacokinetics",
    "66106-6": "pharmacogenomics",
    "49489-8": "microbiology",
    "43680-8": "nonclinical_toxicology",
    "34083-6": "carcinogenesis_and_mutagenesis_and_impairment_of_fertility",
    "34091-9": "animal_pharmacology_and_or_toxicology",
    "34092-7": "clinical_studies",
    "34093-5": "references",
    "34069-5": "how_supplied",
    "44425-7": "storage_and_handling",
    "34076-0": "information_for_patients",
    "88436-1": "patient_counseling_information",
    "42230-3": "spl_patient_package_insert",
    "42231-1": "spl_medguide",
    "59845-8": "instructions_for_use",
    "69759-9": "risks",
    "60561-8": "other_safety_information",
    "60563-4": "information_for_owners_or_caregivers",
    "50743-4": "safe_handling_warning",
    # OTC "Drug Facts"
    "55106-9": "active_ingredient",
    "51727-6": "inactive_ingredient",
    "55105-1": "purpose",
    "50570-1": "do_not_use",
    "50569-3": "ask_doctor",
    "50568-5": "ask_doctor_or_pharmacist",
    "50567-7": "when_using",
    "50566-9": "stop_use",
    "53414-9": "pregnancy_or_breast_feeding",
    "50565-1": "keep_out_of_reach_of_children",
    "53413-1": "questions",
    # not label text: product listing, carton images, change list
    "48780-1": "spl_product_data_elements",
    "51945-4": "package_label_principal_display_panel",
    "43683-2": "recent_major_changes",
}
NOT_TEXT = frozenset({"spl_product_data_elements", "package_label_principal_display_panel", "recent_major_changes"})

# Titles of uncoded top-level sections that name a known field (after numbers and punctuation go).
TITLE_FIELDS: dict[str, str] = {
    "storage": "storage_and_handling",
    "storage and handling": "storage_and_handling",
    "how supplied storage and handling": "how_supplied",
    "medication guide": "spl_medguide",
    "patient information": "spl_patient_package_insert",
    "information for patients": "information_for_patients",
    "instructions for use": "instructions_for_use",
    "indications": "indications_and_usage",
    "uses": "indications_and_usage",
    "directions": "dosage_and_administration",
    "warnings": "warnings",
    "precautions": "precautions",
    "side effects": "adverse_reactions",
    "inactive ingredients": "inactive_ingredient",
    "active ingredient": "active_ingredient",
    "active ingredients": "active_ingredient",
    "other information": "storage_and_handling",
    "package label principal display panel": "package_label_principal_display_panel",
    "principal display panel": "package_label_principal_display_panel",
}
DOCUMENT_TYPES = {"34391-3": "HUMAN PRESCRIPTION DRUG", "34390-5": "HUMAN OTC DRUG"}
ACTIVE_INGREDIENT_CLASSES = frozenset({"ACTIB", "ACTIM", "ACTIR"})


@dataclass
class SplLabel:
    """What one SPL document says, before mapping: openFDA-shaped fields and metadata."""

    set_id: str = ""
    version: int | None = None
    effective_time: str = ""
    title: str = ""
    document_type: str = ""
    brand_names: list[str] = field(default_factory=list)
    generic_names: list[str] = field(default_factory=list)
    substances: list[str] = field(default_factory=list)
    routes: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    unknown_titles: list[str] = field(default_factory=list)

    def to_openfda(self) -> dict[str, Any]:
        return {
            "set_id": self.set_id,
            "version": str(self.version) if self.version is not None else None,
            "effective_time": self.effective_time,
            "spl_title": self.title,
            "openfda": {
                "brand_name": self.brand_names,
                "generic_name": self.generic_names,
                "substance_name": self.substances,
                "route": self.routes,
                "product_type": [self.document_type] if self.document_type else [],
            },
            **self.fields,
        }


def _tag(el: ET.Element) -> str:
    return el.tag.removeprefix(NS) if isinstance(el.tag, str) else ""


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _tag(c) == name]


def _child(el: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in el if _tag(c) == name), None)


def _ws(text: str) -> str:
    return " ".join(text.split())


def _inline(el: ET.Element) -> str:
    """Text of an element and its descendants, tables and lists rendered as in `_blocks`."""
    parts = [el.text or ""]
    for c in el:
        tag = _tag(c)
        if tag in ("table", "list", "paragraph"):
            parts.append("\n" + "\n".join(_blocks(c)) + "\n")
        elif tag == "br":
            parts.append("\n")
        elif tag not in ("renderMultiMedia", "footnote"):
            parts.append(_inline(c))
        parts.append(c.tail or "")
    return "".join(parts)


def _table(el: ET.Element) -> list[str]:
    lines: list[str] = []
    caption = _child(el, "caption")
    if caption is not None and _ws(_inline(caption)):
        lines.append(_ws(_inline(caption)) + ":")
    for row in el.iter(f"{NS}tr"):
        cells = [_ws(_inline(c)) for c in row if _tag(c) in ("td", "th")]
        cells = [c for c in cells if c]
        if cells:
            line = " | ".join(cells)
            lines.append(line if line.endswith((".", ":", ";")) else line + ".")
    return lines


def _blocks(el: ET.Element) -> list[str]:
    tag = _tag(el)
    if tag == "table":
        return _table(el)
    if tag == "list":
        out: list[str] = []
        for item in _children(el, "item"):
            text = _ws(_inline(item))
            if text:
                out.append(f"• {text}")
        return out
    text = _ws(_inline(el))
    return [text] if text else []


def _section_text(section: ET.Element) -> str:
    """The section's title and its own text (not its subsections)."""
    lines: list[str] = []
    title = _child(section, "title")
    if title is not None and _ws(_inline(title)):
        lines.append(_ws(_inline(title)))
    text = _child(section, "text")
    if text is not None:
        if text.text and text.text.strip():
            lines.append(_ws(text.text))
        for c in text:
            lines.extend(_blocks(c))
            if c.tail and c.tail.strip():
                lines.append(_ws(c.tail))
    return "\n".join(lines)


def _subsections(section: ET.Element) -> list[ET.Element]:
    return [s for comp in _children(section, "component") for s in _children(comp, "section")]


def _normal_title(title: str) -> str:
    return _ws(re.sub(r"[^a-z]+", " ", re.sub(r"^\s*[\d.]+\s*", "", title.lower())))


def _field_of(section: ET.Element) -> tuple[str | None, str]:
    code_el = _child(section, "code")
    code = code_el.get("code", "") if code_el is not None else ""
    title_el = _child(section, "title")
    title = _ws(_inline(title_el)) if title_el is not None else ""
    if code in SECTION_FIELDS:
        return SECTION_FIELDS[code], title
    return None, title


class _Collector:
    def __init__(self, label: SplLabel) -> None:
        self.label = label
        self.parts: dict[str, list[str]] = {}

    def add(self, name: str, text: str) -> None:
        if text.strip():
            self.parts.setdefault(name, []).append(text)

    def walk(self, section: ET.Element, parent: str | None) -> None:
        name, title = _field_of(section)
        if name is None:
            if parent is not None:
                name = parent
            else:
                slug = re.sub(r"[^a-z0-9]+", "_", _normal_title(title)).strip("_")
                name = TITLE_FIELDS.get(_normal_title(title)) or (slug if slug in ATTRIBUTE_OF_FIELD else None)
                if name is None:
                    name = "spl_unclassified_section"
                    self.label.unknown_titles.append(title or "(untitled)")
        self.add(name, _section_text(section))
        for sub in _subsections(section):
            self.walk(sub, name)


def _products(root: ET.Element, label: SplLabel) -> None:
    def add(values: list[str], value: str | None) -> None:
        v = _ws(value or "")
        if v and v.casefold() not in {x.casefold() for x in values}:
            values.append(v)

    for product in root.iter(f"{NS}manufacturedProduct"):
        inner = _child(product, "manufacturedProduct")
        if inner is None:
            continue
        name = _child(inner, "name")
        add(label.brand_names, name.text if name is not None else None)
        for generic in inner.iter(f"{NS}genericMedicine"):
            gname = _child(generic, "name")
            add(label.generic_names, gname.text if gname is not None else None)
        for ingredient in _children(inner, "ingredient"):
            if ingredient.get("classCode") not in ACTIVE_INGREDIENT_CLASSES:
                continue
            substance = _child(ingredient, "ingredientSubstance")
            sname = _child(substance, "name") if substance is not None else None
            add(label.substances, sname.text if sname is not None else None)
        for route in product.iter(f"{NS}routeCode"):
            add(label.routes, (route.get("displayName") or "").upper())


def parse_spl(fh: IO[bytes]) -> SplLabel:
    """One SPL document -> SplLabel. Raises ET.ParseError on malformed XML, ValueError when the root is not
    an SPL document."""
    root = ET.parse(fh).getroot()
    if _tag(root) != "document":
        raise ValueError(f"not an SPL document (root element {_tag(root) or root.tag!r})")
    label = SplLabel()
    set_id = _child(root, "setId")
    label.set_id = (set_id.get("root") or "") if set_id is not None else ""
    version = _child(root, "versionNumber")
    value = version.get("value", "") if version is not None else ""
    label.version = int(value) if value.isdigit() else None
    eff = _child(root, "effectiveTime")
    label.effective_time = (eff.get("value") or "") if eff is not None else ""
    title = _child(root, "title")
    label.title = _ws(_inline(title)) if title is not None else ""
    code = _child(root, "code")
    doc_code = code.get("code", "") if code is not None else ""
    display = (code.get("displayName") or "").upper() if code is not None else ""
    label.document_type = DOCUMENT_TYPES.get(doc_code, display)
    _products(root, label)
    collector = _Collector(label)
    body = next(root.iter(f"{NS}structuredBody"), None)
    if body is not None:
        for comp in _children(body, "component"):
            for section in _children(comp, "section"):
                collector.walk(section, None)
    label.fields = {
        name: "\n".join(texts) for name, texts in collector.parts.items() if name not in NOT_TEXT
    }
    return label


def iter_spl_documents(
    paths: Iterable[str | Path], report: LoadReport
) -> Iterator[tuple[Position, SplLabel]]:
    """Every SPL document of files, folders and zip archives (nested one level, as DailyMed's release
    archives are), with its position. Malformed documents are reported and skipped."""
    for path in expand_paths(paths, (".xml",)):
        if path.suffix.lower() == ".zip":
            yield from _iter_zip(path, str(path), report)
        else:
            with path.open("rb") as fh:
                yield from _parse_one(fh, Position(str(path)), report)


def _iter_zip(source: Path | IO[bytes], where: str, report: LoadReport) -> Iterator[tuple[Position, SplLabel]]:
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile as exc:
        report.warn(Position(where), "broken file", f"not a zip archive ({exc})")
        return
    with archive:
        for index, info in enumerate(i for i in archive.infolist() if not i.is_dir()):
            member = f"{where}!{info.filename}"
            suffix = Path(info.filename).suffix.lower()
            if suffix == ".xml":
                with archive.open(info) as fh:
                    yield from _parse_one(fh, Position(member, index=index), report)
            elif suffix == ".zip":
                # a label's own archive inside a release archive: small (one XML and its images)
                yield from _iter_zip(io.BytesIO(archive.read(info)), member, report)
            else:
                report.note("archive members ignored (images, not XML)")


def _parse_one(fh: IO[bytes], position: Position, report: LoadReport) -> Iterator[tuple[Position, SplLabel]]:
    try:
        label = parse_spl(fh)
    except ET.ParseError as exc:
        line, column = exc.position
        where = Position(position.path, line=line, index=position.index)
        report.warn(where, "bad record", f"malformed XML (column {column}): {exc}")
        return
    except ValueError as exc:
        report.warn(position, "bad record", str(exc))
        return
    yield position, label


def iter_spl_medicines(
    paths: Iterable[str | Path], report: LoadReport, notes: LoadNotes | None = None
) -> Iterator[tuple[Position, SplLabel, Medicine]]:
    for position, label in iter_spl_documents(paths, report):
        for title in label.unknown_titles:
            report.warn(position, "unknown heading", f"section {title!r} kept as 'other'")
        try:
            med = medicine_from_openfda_label(label.to_openfda(), position.path, None, notes=notes)
        except NoUsableSections:
            report.warn(position, "no sections", "the document holds no label text")
            continue
        yield position, label, med
