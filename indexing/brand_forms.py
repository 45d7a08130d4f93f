"""Brands that people use for one form of a medicine (`corpora/names/brand_forms.tsv`).

A label's brand fields can name a brand whose everyday meaning is another form: the oral semaglutide label
lists "OZEMPIC" beside "RYBELSUS" ("RYBELSUS and OZEMPIC tablets"), but a person asking about Ozempic means the
weekly injection pen. As an alias of the tablets' medicine the brand would answer a pen user from the tablet
label. The build drops such an alias from a medicine of another route group (`corpus.route_group` names:
oral, injection, eye, skin, ...); the brand then reaches the medicine of its own form through the drug-name
dictionary (Ozempic -> semaglutide, the injection), or is a product the database lacks.

Format: brand<TAB>route group<TAB>why, one a line; '#' starts a comment line. A malformed or duplicate line
is an error with file and line.
"""

from __future__ import annotations

from pathlib import Path

BRAND_FORMS_FILE = Path(__file__).resolve().parents[1] / "corpora" / "names" / "brand_forms.tsv"
ROUTE_GROUP_NAMES = frozenset(
    {"oral", "eye", "skin", "injection", "nose", "inhalation", "ear", "vaginal", "rectal", "mouth"}
)


class BrandFormsError(ValueError):
    """A malformed line of the brand-forms table (file and line in the message)."""


def load_brand_forms(path: Path = BRAND_FORMS_FILE) -> dict[str, str]:
    """Case-folded brand -> the route group it means; an absent file is an empty table."""
    if not path.is_file():
        return {}
    table: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = [f.strip() for f in raw.split("\t")]
        if len(fields) != 3 or not all(fields):
            raise BrandFormsError(f"{path}:{number}: expected 'brand<TAB>route group<TAB>why', got {raw!r}")
        brand, group = fields[0].casefold(), fields[1].lower()
        if group not in ROUTE_GROUP_NAMES:
            raise BrandFormsError(
                f"{path}:{number}: unknown route group {fields[1]!r} (one of {', '.join(sorted(ROUTE_GROUP_NAMES))})"
            )
        if brand in table:
            raise BrandFormsError(f"{path}:{number}: brand {fields[0]!r} is listed twice")
        table[brand] = group
    return table


def brand_of_another_form(alias: str, medicine_group: str, forms: dict[str, str]) -> str | None:
    """The route group the alias means when it is a listed brand of a form this medicine is not (its group
    may join several: 'injection+oral'); None otherwise."""
    group = forms.get(alias.casefold())
    if group is None or group in medicine_group.split("+"):
        return None
    return group
