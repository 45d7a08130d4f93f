"""A flattened list of reactions by body system, quoted by the systems that answer the question.

Older labels list their adverse reactions by body system, and the index holds them flattened with no punctuation
at all: "... Headache Endocrine Menstrual irregularities Development of Cushingoid state ... Decreased carbohydrate
tolerance Manifestations of latent diabetes mellitus Increased requirements for insulin or oral hypoglycemic
agents in diabetics Ophthalmic Posterior subcapsular cataracts ...". Such a run is too long to quote and is no
sentence, so a diabetic asking whether prednisone affects their blood sugar got a line about blood pressure. Here
the run is cut at its system headings into groups, each group's items at the capitals that start them, and a
group one of whose items shares a word of the question is quoted as a short list ("Endocrine: menstrual
irregularities; ...; decreased carbohydrate tolerance; manifestations of latent diabetes mellitus; ...").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate, pairwise

from indexing.schema import Chunk
from indexing.text import sentences

# The body-system headings such lists use (longest first, so "Nervous System" is not read as "Nervous").
_SYSTEMS = sorted((
    "Fluid and Electrolyte Disturbances", "Musculoskeletal", "Gastrointestinal", "Dermatologic", "Dermatological",
    "Metabolic", "Neurological", "Neurologic", "Endocrine", "Ophthalmic", "Cardiovascular", "Respiratory",
    "Hematologic", "Hematological", "Psychiatric", "Genitourinary", "Renal", "Hepatic", "Allergic Reactions",
    "Additional Reactions", "Body as a Whole", "Nervous System", "Central Nervous System", "Digestive System",
    "Special Senses", "Hemic and Lymphatic", "Urogenital", "Miscellaneous", "Skin and Appendages",
    "Immune System", "Reproductive System",
), key=len, reverse=True)
_SYSTEM = re.compile(r"(?:(?<=^)|(?<=\s))(?P<system>" + "|".join(re.escape(s) for s in _SYSTEMS)
                     + r")(?:\s*:)?\s+(?=[A-Z])")
# Where one item meets the next: a capital after a lower-case word ("... state Secondary adrenocortical ..."),
# not inside a name in capitals ("(pseudotumor cerebri)"), nor after a word that joins ("particularly of the Achilles").
_ITEM_START = re.compile(r"(?<=[a-z0-9)]) (?=[A-Z][a-z])")
_JOINING = frozenset("of the and or in with to for as by on at from than".split())
# A run with full stops is prose; a colon, a per cent sign, a bracket, a digit or a table caption: another shape (a
# table, "System: a, b, c" lists), quoted as it is.
# ("Disorders": MedDRA's terms, a table's rows)
_NOT_A_LIST = re.compile(r"\. |[:%\[\d]|\bTable\b|\bDisorders?\b")
MIN_RUN = 420  # shorter text is quoted as sentences are
MAX_GROUP = 420
MIN_GROUPS = 3


def _items(body: str) -> list[str]:
    cuts = [m.start() for m in _ITEM_START.finditer(body)
            if body[:m.start()].rsplit(" ", 1)[-1].casefold() not in _JOINING]
    bounds = [0, *cuts, len(body)]
    return [body[a:b].strip(" ,;.") for a, b in pairwise(bounds) if body[a:b].strip(" ,;.")]


# MedDRA's system organ classes as a postmarketing list flattens them: "Immune System Disorders: hypersensitivity
# reactions, including angioedema Metabolism and Nutrition Disorders: decreased appetite, reduced weight gain ...
# Investigations: weight loss (adult ADHD patients)"; such a run is one sentence longer than a chunk, so no chunk
# quotes any of it.
_MEDDRA = re.compile(r"(?P<system>(?:[A-Z][a-z]+,?\s+(?:(?:and|the|of)\s+){0,2}){0,5}(?:[A-Z][a-z]+\s+)?Disorders|"
                     r"Investigations|Infections and Infestations)\s*:\s*")


_HEADING_AFTER = re.compile(r"(?<=[a-z)])\s+(?=[A-Z][a-z]+(?:\s+[A-Z][a-z]+){2})")


def meddra_groups(run: str) -> list[tuple[int, str, list[str]]]:
    """As `system_groups`, for a run of MedDRA classes with colons ("Psychiatric Disorders: insomnia, ...")."""
    heads = list(_MEDDRA.finditer(run))
    if len(heads) < MIN_GROUPS:
        return []
    out = []
    for head, after in zip(heads, [*heads[1:], None], strict=False):
        body = run[head.end(): after.start() if after is not None else len(run)]
        # (the last class runs on into what follows the list: "weight loss (adult ADHD patients) Additional Adverse
        # Reactions Reported with ...", three capitalised words in a row)
        body = _HEADING_AFTER.split(body, maxsplit=1)[0].strip(" ,;.")
        items = [i.strip() for i in re.split(r",\s+(?:and\s+)?", body) if i.strip()]
        if items:
            out.append((head.start(), " ".join(head.group("system").split()), items))
    return out


# The same lists written with colons and items in lower case ("General: fatigue, increased appetite, weight loss
# Central nervous system: headache, ... Dermatologic: hair loss, flushing, rash Endocrine: ..."): one sentence of
# some 800 characters that no chunk quotes whole, so "is hair loss a known side effect?" found nothing of it.
_COLON_SYSTEM = re.compile(r"(?:(?<=^)|(?<=\s))(?P<system>" + "|".join(re.escape(s) for s in (
    *_SYSTEMS, "General", "Reproductive", "Skin", "Blood", "Hypersensitivity", "Eye", "Urinary", "Immune",
    "Metabolic and Nutritional", "Nervous")) + r")\s*:\s+(?=[a-z])", re.I)
_LIST_ENDS = re.compile(r"(?<=[a-z)])\s+(?=[A-Z][a-z])")  # a capital after the lower-case items: prose again


def colon_groups(run: str) -> list[tuple[int, str, list[str]]]:
    """As `system_groups`, for a run of body systems with colons and lower-case items."""
    heads = list(_COLON_SYSTEM.finditer(run))
    if len(heads) < MIN_GROUPS:
        return []
    out = []
    for head, after in zip(heads, [*heads[1:], None], strict=False):
        body = _LIST_ENDS.split(run[head.end(): after.start() if after is not None else len(run)], maxsplit=1)[0]
        items = [i.strip() for i in re.split(r",\s+(?:and\s+)?", body.strip(" ,;.")) if i.strip()]
        if items:
            out.append((head.start(), head.group("system")[:1].upper() + head.group("system")[1:], items))
    return out


def system_groups(run: str) -> list[tuple[int, str, list[str]]]:
    """(where its heading starts, system heading, its items) for a flattened list by body system; [] for any other
    text (a run with full stops is prose, one with fewer than three system headings no such list)."""
    if len(run) < MIN_RUN:
        return []
    if _NOT_A_LIST.search(run):
        return (meddra_groups(run) or colon_groups(run)) if ". " not in run.rstrip(". ") else []
    heads = list(_SYSTEM.finditer(run))
    if len(heads) < MIN_GROUPS:
        return []
    out = []
    for head, after in zip(heads, [*heads[1:], None], strict=False):
        body = run[head.end(): after.start() if after is not None else len(run)]
        if items := _items(body):
            out.append((head.start(), head.group("system"), items))
    return out


def matching_groups(run: str, wanted: Callable[[str], bool]) -> list[tuple[int, str]]:
    """(where its heading starts in `run`, the group as a short quotable list) for each group one of whose items
    `wanted` accepts; a group too long to quote gives its wanted items only."""
    out = []
    for at, system, items in system_groups(run):
        if not any(wanted(item) for item in items):
            continue
        listed = "; ".join(i[:1].lower() + i[1:] if not i[:2].isupper() else i for i in items)
        line = f"{system}: {listed}."
        if len(line) > MAX_GROUP:
            kept = [i for i in items if wanted(i)]
            line = f"{system}: " + "; ".join(i[:1].lower() + i[1:] for i in kept) + "; and others."
        if len(line) <= MAX_GROUP:
            out.append((at, line))
    return out


def system_lines(section_text: str, words: frozenset[str],
                 tokens: Callable[[str], frozenset[str]]) -> list[tuple[int, str]]:
    """(where it starts in `section_text`, the group) for the groups of a section's flattened lists by body system
    that name one of `words` (the question's tokens, the medicine's names left out); `tokens` tokenizes as the
    reader does. A section's chunks are joined first: the chunking cuts such a list anywhere."""
    if len(section_text) < MIN_RUN or not words:
        return []
    out = []
    for run in sentences(section_text):
        start = section_text.find(run)
        out += [(start + at, line) for at, line in matching_groups(run, lambda item: bool(words & tokens(item)))]
    return out


def section_groups(chunks: Sequence[Chunk], words: frozenset[str],
                   tokens: Callable[[str], frozenset[str]]) -> list[tuple[Chunk, str]]:
    """For one section's chunks: (the chunk its heading is in, the group) for each group naming one of `words`."""
    ordered = sorted(chunks, key=lambda c: c.position)
    if not ordered:
        return []
    ends = list(accumulate(len(c.text) + 1 for c in ordered))  # the chunks joined by a space
    return [(ordered[min(bisect_right(ends, at), len(ordered) - 1)], line)
            for at, line in system_lines(" ".join(c.text for c in ordered), words, tokens)]
