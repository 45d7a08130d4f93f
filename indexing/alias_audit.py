"""Which aliases of the medicine database the labels themselves do not support (issue 17).

Every alias of a medicine is checked against the names its own labels give (`LabelNames`: brand fields,
generic names, the SPL title) and the maintained tables (`corpora/names/brands.tsv`, `brand_forms.tsv`):

- `not_own_name`: the alias is none of the brand or generic names of the labels merged into the medicine (a
  collection's lookup word, a name another label carried) and the brand table does not map it to them (a
  lookup word that is the plain ingredient name the build keeps, `corpus.drop_ambiguous_lookup_words`, is
  not listed);
- `other_form`: a brand listed as meaning another form (`brand_forms.tsv`), or a name the labels of another
  medicine of the same ingredients, sold by another route, carry too (tablets and injection sharing a brand);
- `several_medicines`: the alias stands for more than one medicine;
- `not_in_text`: a brand the label text (title included) never names, though the label has text: often a
  brand of another product of the same maker (reported, not an error by itself).

`clinqa corpus aliases SOURCES --corpus corpora/medicines.jsonl` prints them; the tests run it on a fixture.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from indexing.brand_forms import brand_of_another_form
from indexing.corpus import ingredient_key, ingredient_name, route_group
from indexing.schema import Medicine
from indexing.sources.openfda import LabelNames, is_plain_ingredient_name

REASONS: tuple[str, ...] = ("not_own_name", "other_form", "several_medicines", "not_in_text")
_MIN_TEXT = 2000  # characters of label text below which a brand's absence says nothing


@dataclass(frozen=True, slots=True)
class SuspiciousAlias:
    medicine_id: str
    alias: str
    reason: str
    detail: str

    def render(self) -> str:
        return f"{self.reason}\t{self.medicine_id}\t{self.alias}\t{self.detail}"


def name_key(name: str) -> str:
    """Case, parenthesised remarks, punctuation and spacing do not tell names apart."""
    text = re.sub(r"\([^)]*\)", " ", name.casefold())
    return " ".join(re.findall(r"[^\W_]+", text))


def _mentions(text: str, alias: str) -> bool:
    words = name_key(alias).split()
    if not words:
        return False
    pattern = r"(?<![^\W_])" + r"[\W_]+".join(map(re.escape, words)) + r"(?![^\W_])"
    return re.search(pattern, text, re.IGNORECASE) is not None


def audit_aliases(
    medicines: Sequence[Medicine],
    label_names: Iterable[LabelNames],
    brand_table: Mapping[str, str | None] | None = None,
    brand_forms: Mapping[str, str] | None = None,
) -> list[SuspiciousAlias]:
    """Every suspicious (medicine, alias) with its reasons, in medicine order. `brand_table` is the
    maintained brand -> generic table (case-folded brands), `brand_forms` brand -> route group."""
    brand_table = brand_table or {}
    brand_forms = dict(brand_forms or {})
    by_source: dict[str, list[LabelNames]] = defaultdict(list)
    for names in label_names:
        by_source[names.source].append(names)
    holders: dict[str, list[Medicine]] = defaultdict(list)
    for med in medicines:
        for alias in med.aliases:
            holders[name_key(alias)].append(med)
    # the brand names each ingredient set's medicines carry, per route group
    brands_by_form: dict[tuple[tuple[str, ...], str], set[str]] = defaultdict(set)
    for med in medicines:
        for names in (n for src in med.sources or (med.source,) for n in by_source.get(src, ())):
            brands_by_form[(ingredient_key(med), route_group(med))].update(name_key(b) for b in names.brands)
    # the build keeps a collection's plain-ingredient lookup word where no other medicine is that ingredient
    # alone, or one is named exactly that word (corpus.drop_ambiguous_lookup_words)
    single: dict[str, set[str]] = defaultdict(set)
    named = {med.name.casefold() for med in medicines}
    for med in medicines:
        if len(ingredient_key(med)) == 1:
            single[ingredient_key(med)[0]].add(med.id)
    found: list[SuspiciousAlias] = []
    for med in medicines:
        labels = [n for src in med.sources or (med.source,) for n in by_source.get(src, ())]
        brands = {name_key(b) for n in labels for b in n.brands}
        generics = {name_key(g) for n in labels for g in n.generics}
        keys = {name_key(n.key) for n in labels if n.key}
        own = {name_key(x) for x in med.names}
        text = " ".join([*med.sections.values(), *(n.title for n in labels)])
        group = route_group(med)
        for alias in med.aliases:
            key = name_key(alias)
            flag = partial(_flag, found, med.id, alias)
            mapped = brand_table.get(alias.casefold())
            plain_only_here = any(
                name_key(n.key) == key and is_plain_ingredient_name(n.key, med.name, n.generics, n.brands)
                for n in labels if n.key
            ) and (alias.casefold() in named or not single.get(ingredient_name(alias), set()) - {med.id})
            # its own plain ingredient name, where no other medicine is that ingredient alone, or on the oral one
            # (where the build moves it)
            its_plain_name = ingredient_key(med) == (ingredient_name(alias),) and (
                group == "oral" or not single.get(ingredient_name(alias), set()) - {med.id})
            if (labels and key not in brands and key not in generics and not (mapped and name_key(mapped) in own)
                    and not plain_only_here and not its_plain_name):
                where = "the collection's lookup word" if key in keys else "no label of it names it"
                flag("not_own_name", f"{where}; brands: {', '.join(sorted(brands)) or '-'}")
            other = brand_of_another_form(alias, group, brand_forms)
            if other is not None:
                flag("other_form", f"brand_forms.tsv: the {other} form; this medicine is {group or 'without route'}")
            elif alias.casefold() not in brand_forms and key in brands and key not in generics:
                elsewhere = sorted(
                    g for (ing, g), names in brands_by_form.items()
                    if ing == ingredient_key(med) and g != group and key in names
                )
                if elsewhere:
                    flag("other_form", f"also a brand of the {', '.join(elsewhere)} form; this one is {group}")
            others = sorted({m.id for m in holders[key]} - {med.id})
            if others:
                flag("several_medicines", f"also {', '.join(others)}")
            if key in brands and key not in generics and len(text) >= _MIN_TEXT and not _mentions(text, alias):
                flag("not_in_text", f"brand field only; label text {len(text):,} characters")
    return found


def _flag(found: list[SuspiciousAlias], medicine_id: str, alias: str, reason: str, detail: str) -> None:
    found.append(SuspiciousAlias(medicine_id, alias, reason, detail))


def summarize(found: Sequence[SuspiciousAlias]) -> dict[str, int]:
    counts = {reason: 0 for reason in REASONS}
    for item in found:
        counts[item.reason] += 1
    return counts
