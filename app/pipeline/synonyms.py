"""Brand and other names of drugs (e.g. Coumadin -> warfarin, Xarelto -> rivaroxaban).

The data comes from the MIT-licensed `drug-named-entity-recognition` package (its dictionary is built
from MedlinePlus, MeSH and Wikipedia names). Only its data file is read; its lookup code, which can reach
the network for optional features, is never imported. A maintained table (corpora/names/brands.tsv) adds
the brands it lacks (Dilantin, Gravol, Vicodin) and corrects or drops its wrong entries; the table wins.
"""

from __future__ import annotations

import bz2
import importlib.util
import logging
import pickle
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

_PACKAGE = "drug_named_entity_recognition"
_BRAND_TABLE = Path(__file__).resolve().parents[2] / "corpora" / "names" / "brands.tsv"
NOT_A_BRAND = "-"  # a table entry that drops the dictionary's mapping of the word
_DATA_FILE = "drug_ner_dictionary.pkl.bz2"


def _data_path() -> Path | None:
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / _DATA_FILE
        if candidate.is_file():
            return candidate
    return None


# Names the dictionary's canonical form uses where US labels (the database) use another one: the INN or an
# older name on one side, the USAN on the other ("Synthroid" -> "thyroxine", the label is levothyroxine).
CANONICAL_EQUIVALENTS: dict[str, str] = {
    "thyroxine": "levothyroxine",
    "levothyroxine sodium": "levothyroxine",
    "paracetamol": "acetaminophen",
    "salbutamol": "albuterol",
    "adrenaline": "epinephrine",
    "noradrenaline": "norepinephrine",
    "frusemide": "furosemide",
    "lignocaine": "lidocaine",
    "glyceryl trinitrate": "nitroglycerin",
    "ciclosporin": "cyclosporine",
    "rifampicin": "rifampin",
    "co-amoxiclav": "amoxicillin and clavulanate potassium",
    "amoxicillin clavulanate": "amoxicillin and clavulanate potassium",
    "co-trimoxazole": "sulfamethoxazole and trimethoprim",
    "liothyronine sodium": "liothyronine",
    # British (BAN) and INN spellings of US names (Piriton is chlorphenamine; the label says chlorpheniramine).
    "chlorphenamine": "chlorpheniramine",
    "aciclovir": "acyclovir",
    "valaciclovir": "valacyclovir",
    "colecalciferol": "cholecalciferol",
    "glibenclamide": "glyburide",
    "oestradiol": "estradiol",
    "amoxycillin": "amoxicillin",
    "cefalexin": "cephalexin",
    "sulphasalazine": "sulfasalazine",
    "beclometasone": "beclomethasone",
    "dexamfetamine": "dextroamphetamine",
    "clomifene": "clomiphene",
    "mesalazine": "mesalamine",
    "pethidine": "meperidine",
    "phenobarbitone": "phenobarbital",
    "hyoscine": "scopolamine",
    "torasemide": "torsemide",
    "dicycloverine": "dicyclomine",
    "chlortalidone": "chlorthalidone",
    "calcipotriol": "calcipotriene",  # (Dovobet, Daivonex: the US label says calcipotriene)
    # the INN's acid where the US label names the salt ("weekly alendronic acid 70mg" is alendronate sodium)
    "alendronic acid": "alendronate",
    "risedronic acid": "risedronate",
    "ibandronic acid": "ibandronate",
}

# Brand names the dictionary lacks, kept by hand (brand -> generic as the database names it).
BRANDS: dict[str, str] = {
    "augmentin": "amoxicillin and clavulanate potassium",
    "keflex": "cephalexin",
    "bactrim": "sulfamethoxazole and trimethoprim",
    "septra": "sulfamethoxazole and trimethoprim",
    "levoxyl": "levothyroxine",
    "unithroid": "levothyroxine",
    "euthyrox": "levothyroxine",
    "tylenol": "acetaminophen",
    "panadol": "acetaminophen",
    "jantoven": "warfarin",
}


class BrandTableError(ValueError):
    """A malformed line of the brand table (file and line in the message)."""


def load_brand_table(path: Path) -> dict[str, str | None]:
    """Lower-case brand -> generic name (None: drop the dictionary's entry for the word) from a
    `brand<TAB>generic` file; an absent file is an empty table."""
    if not path.is_file():
        return {}
    table: dict[str, str | None] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) != 2 or not all(fields):
            raise BrandTableError(f"{path}:{number}: expected 'brand<TAB>generic', got {raw!r}")
        brand, generic = fields[0].casefold(), fields[1]
        if brand in table:
            raise BrandTableError(f"{path}:{number}: brand {fields[0]!r} is listed twice")
        table[brand] = None if generic == NOT_A_BRAND else generic
    return table


def _with_table(names: dict[str, str], table: dict[str, str | None]) -> dict[str, str]:
    for brand, generic in table.items():
        if generic is None:
            names.pop(brand, None)
        else:
            names[brand] = generic
    return names


@lru_cache(maxsize=1)
def maintained_brands() -> frozenset[str]:
    """The brands of the maintained table: checked by hand, so a short one ("Tums") is no dictionary noise."""
    return frozenset(b for b, generic in load_brand_table(_BRAND_TABLE).items() if generic is not None)


@lru_cache(maxsize=1)
def drug_synonyms() -> dict[str, str]:
    """Lower-case name variant -> canonical generic name: the dictionary, the brands kept here and the
    maintained table (corpora/names/brands.tsv); only the last two when the package is not installed."""
    table = load_brand_table(_BRAND_TABLE)
    path = _data_path()
    if path is None:
        log.warning("%s is not installed: only the maintained brand names will be recognised", _PACKAGE)
        return _with_table(dict(BRANDS), table)
    with bz2.open(path, "rb") as fh:
        data = pickle.load(fh)
    out: dict[str, str] = {}
    for variant, canonicals in data.get("drug_variant_to_canonical", {}).items():
        if isinstance(variant, str) and canonicals:
            canonical = str(canonicals[0])
            out[variant] = CANONICAL_EQUIVALENTS.get(canonical.casefold(), canonical)
    for brand, generic in BRANDS.items():
        out.setdefault(brand, generic)
    for other_name, us_name in CANONICAL_EQUIVALENTS.items():  # the other name typed itself
        out.setdefault(other_name, us_name)
    return _with_table(out, table)
