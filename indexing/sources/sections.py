"""Finer sections from coarse label fields, before they are mapped onto the attribute vocabulary.

- Subsections filed under an old-format number: openFDA files some PLR labels' section 8 by the number the
  subsection had in the old format, so "8.2 Lactation" arrives as `labor_and_delivery` (a pregnancy field) and
  "8.3 Females and Males of Reproductive Potential" (pregnancy testing, contraception, infertility) as
  `nursing_mothers` (a lactation field). A field whose own heading names another subsection is moved to the
  field of that heading: lactation text to `lactation`, reproductive-potential text to `reproductive_potential`
  (a specific-populations field, first of them: what "we're trying for a baby" and "do I need contraception on
  it" read; the section's length cap would otherwise cut it off after the impairments), and is cut out of
  `use_in_specific_populations` where that holds it too.
- Lactation: a PLR label's `use_in_specific_populations` holds "8.2 Lactation" (older ones "8.3 Nursing
  Mothers"); openFDA gives it no field of its own on most labels. It becomes the `lactation` field when the
  label has none. Subsections that are fields of their own anyway (8.1 pregnancy, 8.2 lactation, 8.4
  pediatric use, 8.5 geriatric use) are cut out of `use_in_specific_populations`, which keeps the rest
  (females and males of reproductive potential, renal and hepatic impairment, ...).
- Lactation in old-format and OTC labels: without any lactation text, the OTC "If pregnant or
  breast-feeding" statement and the sentences of the warnings and precautions that speak of nursing or
  breast milk are copied to `lactation_statements`.
- Storage: `how_supplied` (section 16) describes the product (strengths, colours, shapes, imprints,
  packages: a `dosage_forms` question, "what does it look like") and ends with storage instructions. Its
  storage sentences are copied to `storage_statements`, a `storage` field, unless the label's
  `storage_and_handling` already says them. Package-table rows (NDC codes, flattened without sentence ends
  and often run into the storage heading after them) are left out of both storage fields: kept, they filled
  a storage section's cap with codes and cut off how to store (the semaglutide injection's).
"""

from __future__ import annotations

import re

from indexing.text import sentences

# "8.2 Lactation", "8.3 Nursing Mothers": a section number at the start or after white space (not the
# "(8.2)" of a cross-reference), then a capitalised heading.
_SUBSECTION = re.compile(r"(?:^|(?<=\s))8\.(\d{1,2})\s+(?=[A-Z])")
_REPRODUCTIVE_HEADING = re.compile(r"(?i)females and males of reproductive\b")
_SUBSECTION_FIELDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)(pregnancy|teratogenic)"), "pregnancy"),
    (re.compile(r"(?i)(lactation|nursing mothers)"), "lactation"),
    (re.compile(r"(?i)pediatric use"), "pediatric_use"),
    (re.compile(r"(?i)geriatric use"), "geriatric_use"),
    (_REPRODUCTIVE_HEADING, "reproductive_potential"),
)
_LACTATION_FIELDS = ("lactation", "nursing_mothers")

_NURSING = re.compile(
    r"(?i)\b(nursing (mothers?|women|infants?)|breast[- ]?(feed\w*|fed|milk)|human milk|lactat\w*)"
)
# Fields of old-format labels that speak of nursing inside other text ("Usage in pregnancy: ... the use of
# these drugs in pregnancy, nursing mothers or women of child-bearing potential requires ...").
_NURSING_FIELDS = ("warnings", "precautions", "general_precautions", "warnings_and_cautions")

_STORAGE_INSTRUCTION = (
    r"stored?|refrigerat\w*|freez\w*|room temperature|excursions?|protect(ed)? from|"
    r"protect\w*\s+(?:\w+\s+){1,3}from\s+(?:light|moisture|heat|freezing|humidity)|"
    r"original (?:carton|container|package|packaging|bottle)|"
    r"dispense in|keep (the )?(bottle|container|carton|vial|pen|inhaler)|tightly closed|light-resistant|"
    r"discard|expir\w*|shelf[- ]life|beyond[- ]use"
)
_STORAGE = re.compile(rf"(?i)\b(storage|{_STORAGE_INSTRUCTION})\b|\d\s*°\s*[CF]\b")
# What says how to store, not a heading's "Storage and Handling"
_STORES = re.compile(rf"(?i)\b({_STORAGE_INSTRUCTION})\b|\d\s*°\s*[CF]\b")


def split_subsections(text: str) -> list[tuple[str, str]]:
    """(field the subsection repeats, or "" when none, its text) for each part of a section-8 text, in
    order; the text before the first numbered subsection is one part."""
    marks = list(_SUBSECTION.finditer(text))
    if not marks:
        return [("", text)]
    parts: list[tuple[str, str]] = []
    if text[: marks[0].start()].strip():
        parts.append(("", text[: marks[0].start()].strip()))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        body = text[m.start() : end].strip()
        heading = text[m.end() : m.end() + 40]
        name = next((f for pat, f in _SUBSECTION_FIELDS if pat.match(heading)), "")
        parts.append((name, body))
    return parts


# NDC product and package codes ("0169-4525-14", "68462-622-10"): the rows of a package table, which the
# label text holds flattened, without sentence ends, often run into the storage heading that follows.
_NDC = re.compile(r"(?<![\w-])\d{4,5}-\d{3,4}(?:-\d{1,2})?(?![\w-])")


def _without_codes(sentence: str) -> str:
    """A sentence holding NDC codes keeps only what before its first code or after its last one speaks of
    storage: the package table between goes."""
    codes = list(_NDC.finditer(sentence))
    if not codes:
        return sentence
    parts = (sentence[: codes[0].start()], sentence[codes[-1].end() :])
    return " ".join(p.strip(" ,;:()") for p in parts if _STORES.search(p)).strip()


def without_package_rows(text: str) -> str:
    """The text without its package-table rows (`_without_codes` for each sentence)."""
    return " ".join(s for s in map(_without_codes, sentences(text)) if s)


def storage_sentences(text: str) -> str:
    return " ".join(s for s in map(_without_codes, sentences(text)) if s and _STORAGE.search(s))


# A field's own numbered heading at its start: "8.3 Females and Males of Reproductive Potential ...".
_OWN_HEADING = re.compile(r"^\s*8\.\d{1,2}\.?\s+(?=[A-Z])")
_LACTATION_HEADING = re.compile(r"(?i)(?:lactation|nursing mothers)\b")


def _heading_after_number(text: str) -> str:
    m = _OWN_HEADING.match(text)
    return text[m.end() : m.end() + 60] if m else ""


def _squashed(text: str) -> str:
    return " ".join(text.split())


def rehome_numbered_subsections(fields: dict[str, str]) -> dict[str, str]:
    """See the module docstring (subsections filed under an old-format number). Returns a new dict."""
    out = dict(fields)
    nursing = out.get("nursing_mothers", "")
    if _REPRODUCTIVE_HEADING.match(_heading_after_number(nursing)):
        del out["nursing_mothers"]
        out["reproductive_potential"] = nursing
    labor = out.get("labor_and_delivery", "")
    if _LACTATION_HEADING.match(_heading_after_number(labor)):
        del out["labor_and_delivery"]
        have = next((f for f in _LACTATION_FIELDS if out.get(f, "").strip()), None)
        if have is None:
            out["lactation"] = labor
        elif _squashed(labor[:300]) not in _squashed(out[have]):
            out[have] = f"{out[have]} {labor}"
    return out


def refine_fields(fields: dict[str, str]) -> dict[str, str]:
    """See the module docstring. Returns a new dict; the input is not changed."""
    out = rehome_numbered_subsections(fields)
    populations = out.get("use_in_specific_populations", "")
    if populations:
        parts = split_subsections(populations)
        if not any(out.get(f, "").strip() for f in _LACTATION_FIELDS):
            lactation = " ".join(body for name, body in parts if name == "lactation")
            if lactation:
                out["lactation"] = lactation
        kept = [body for name, body in parts if not (name and out.get(name, "").strip())]
        if len(kept) < len(parts):
            out["use_in_specific_populations"] = " ".join(kept)
    if not any(out.get(f, "").strip() for f in _LACTATION_FIELDS):
        said = [s for f in _NURSING_FIELDS for s in sentences(out.get(f, "")) if _NURSING.search(s)]
        if out.get("pregnancy_or_breast_feeding", "").strip():  # OTC "If pregnant or breast-feeding, ..."
            said.insert(0, out["pregnancy_or_breast_feeding"])
        if said:
            out["lactation_statements"] = " ".join(dict.fromkeys(said))
    if out.get("storage_and_handling", "").strip():
        out["storage_and_handling"] = without_package_rows(out["storage_and_handling"])
    supplied = out.get("how_supplied", "")
    if supplied:
        storage = storage_sentences(supplied)
        have = " ".join(out.get("storage_and_handling", "").split())
        if storage and " ".join(storage.split()) not in have:
            out["storage_statements"] = storage
    return out
