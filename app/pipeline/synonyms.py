"""Brand and other names of drugs (e.g. Coumadin -> warfarin, Xarelto -> rivaroxaban).

The data comes from the MIT-licensed `drug-named-entity-recognition` package (its dictionary is built
from MedlinePlus, MeSH and Wikipedia names). Only its data file is read; its lookup code, which can reach
the network for optional features, is never imported.
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


@lru_cache(maxsize=1)
def drug_synonyms() -> dict[str, str]:
    """Lower-case name variant -> canonical generic name; empty when the package is not installed."""
    path = _data_path()
    if path is None:
        log.warning("%s is not installed: only the maintained brand names will be recognised", _PACKAGE)
        return dict(BRANDS)
    with bz2.open(path, "rb") as fh:
        data = pickle.load(fh)
    out: dict[str, str] = {}
    for variant, canonicals in data.get("drug_variant_to_canonical", {}).items():
        if isinstance(variant, str) and canonicals:
            canonical = str(canonicals[0])
            out[variant] = CANONICAL_EQUIVALENTS.get(canonical.casefold(), canonical)
    for brand, generic in BRANDS.items():
        out.setdefault(brand, generic)
    return out
