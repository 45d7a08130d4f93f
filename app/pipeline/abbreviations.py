"""Clinician shorthand for medicines ("HCTZ 25 daily", "max APAP in liver disease", "MTX weekly", "amio +
warfarin"): abbreviations written in notes and handovers that name one medicine and no ordinary word.

The drug-name dictionary (app/pipeline/synonyms.py) holds a few of these, but the lexicon leaves out every
synonym shorter than five letters, because short variants collide with words. This list is kept by hand
and only holds abbreviations that stand for one medicine in common use and that are not an English word
or another common abbreviation ("pred", "dig", "levo", "PCN" stay out: a word, or several medicines).

A short form of several medicines in common use ("levo": levothyroxine, levofloxacin, levetiracetam) is never
resolved to one: the question is asked back naming those the database holds (SHORTHAND_OF_SEVERAL).
"""

from __future__ import annotations

import re
from collections.abc import Callable

# abbreviation (as typed, any case) -> the generic name as the database names it
CLINICIAN_SHORTHAND: dict[str, str] = {
    "hctz": "hydrochlorothiazide",
    "apap": "acetaminophen",
    "mtx": "methotrexate",
    "asa": "aspirin",
    "ntg": "nitroglycerin",
    "gtn": "nitroglycerin",  # glyceryl trinitrate, the British name ("I keep a GTN spray for my angina")
    # "nitro" with its form or route ("nitro SL for angina prn", "my nitro spray"); "nitro" alone is left out
    "nitro sl": "nitroglycerin",
    "nitro spray": "nitroglycerin",
    "nitro patch": "nitroglycerin",
    "nitro tabs": "nitroglycerin",
    "nitro tablets": "nitroglycerin",
    "nitro tablet": "nitroglycerin",
    "nitro pills": "nitroglycerin",
    "nitro paste": "nitroglycerin",
    "amio": "amiodarone hydrochloride",
    "hcq": "hydroxychloroquine sulfate",
    "mmf": "mycophenolate mofetil",
    "inh": "isoniazid",
    "ismn": "isosorbide mononitrate",
    "isdn": "isosorbide dinitrate",
    "tmp smx": "sulfamethoxazole and trimethoprim",
    "smx tmp": "sulfamethoxazole and trimethoprim",
    "vanco": "vancomycin",
    "pip tazo": "piperacillin and tazobactam",
    "kcl": "potassium chloride",
    "6 mp": "mercaptopurine",
    "5 fu": "fluorouracil",
    "enox": "enoxaparin sodium",
    "ufh": "heparin sodium",
    "txa": "tranexamic acid",  # where the database holds it
    "nac": "acetylcysteine",
    "tpa": "alteplase",
    "cbz": "carbamazepine",
    "ltg": "lamotrigine",
    "vpa": "valproic acid",
    "ptu": "propylthiouracil",
    "mmi": "methimazole",
    "pza": "pyrazinamide",
    "emb": "ethambutol hydrochloride",
    "azt": "zidovudine",
    "dilt": "diltiazem hydrochloride",
    "metop": "metoprolol",
    "gent": "gentamicin sulfate",
    "tobra": "tobramycin",
    "doxy": "doxycycline",
    "clinda": "clindamycin",
    # statins by their first syllables, as written on drug charts ("amio + simva 40")
    "simva": "simvastatin",
    "atorva": "atorvastatin",
    "rosuva": "rosuvastatin",
    "prava": "pravastatin sodium",
    "amlo": "amlodipine",
    "cipro": "ciprofloxacin",
    "levoflox": "levofloxacin",
    # antibiotics and others by their first syllables, as said on ward rounds ("clarithro + simva?", "amox 500
    # tds", "furo 40"); "levo" (levothyroxine, levofloxacin, levetiracetam), "metro" (a word; metronidazole,
    # metoprolol), "oxy" and "dex" stay out: several medicines; "spiro" (spirometry) and "panto" (a word) too
    "azithro": "azithromycin",
    "clarithro": "clarithromycin",
    "erythro": "erythromycin",
    "amox": "amoxicillin",
    "amox clav": "amoxicillin and clavulanate potassium",
    # (a pharmacy sticker's "AMOXICILLIN/CLAV 875/125", "amoxi-clav")
    "amoxicillin clav": "amoxicillin and clavulanate potassium",
    "amoxi clav": "amoxicillin and clavulanate potassium",
    "methylpred": "methylprednisolone",
    "furo": "furosemide",
    "warf": "warfarin",
    # proton-pump inhibitors and others by their first syllables ("omep 20 od", "on 50mg of sert", "co-amox 625
    # tds"); "gaba" is the neurotransmitter too: only with a dose (DOSED_SHORTHAND)
    "omep": "omeprazole",
    "lanso": "lansoprazole",
    "esomep": "esomeprazole",
    "sert": "sertraline",
    "fluox": "fluoxetine",
    "bisop": "bisoprolol fumarate",
    "clopid": "clopidogrel",
    "clopi": "clopidogrel",
    "co amox": "amoxicillin and clavulanate potassium",
    "coamox": "amoxicillin and clavulanate potassium",
}

# short forms that are words, read as a medicine only with a dose right after them ("dig 0.125 qd"; "dig" alone
# is the verb)
DOSED_SHORTHAND: dict[str, str] = {
    "dig": "digoxin",
    "gaba": "gabapentin",
}

# a short form of several medicines that its dose's unit tells apart: "levo 100mcg mane" is levothyroxine (dosed in
# micrograms; levofloxacin and levetiracetam in mg)
SHORTHAND_BY_UNIT: dict[str, tuple[re.Pattern[str], str]] = {
    "levo": (re.compile(r"^\d+(?:\.\d+)?\s*(?:mcg|micrograms?|ug|µg)\b", re.IGNORECASE), "levothyroxine"),
}
# ... or that what it is said to be taken for tells apart, in the same message ("hypothyroid, on levo 75")
SHORTHAND_BY_CONDITION: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "levo": (
        (re.compile(r"\b(?:hypo)?thyroid\w*|\btsh\b|\bt4\b|甲减|甲状腺", re.IGNORECASE), "levothyroxine"),
        (re.compile(r"\bepilep\w*|\bseizures?\b|\bfits\b|癫痫", re.IGNORECASE), "levetiracetam"),
        (re.compile(r"\b(?:uti|pneumonia|infection|sinusitis|prostatitis|pyelonephritis)\b|感染|肺炎", re.IGNORECASE),
         "levofloxacin"),
    ),
}

# short form (as typed, any case) -> the generic names it stands for on drug charts, none first; only short forms
# that are no English word ("metro", "pred" stay out)
SHORTHAND_OF_SEVERAL: dict[str, tuple[str, ...]] = {
    "levo": ("levothyroxine", "levofloxacin", "levetiracetam"),
}
_SEVERAL = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, SHORTHAND_OF_SEVERAL)) + r")(?![\w-])", re.IGNORECASE)


def shorthand_of_several(question: str, medicine_of: Callable[[str], str | None]) -> tuple[str, list[str]] | None:
    """The short form of several medicines the question uses ("pt on levo, ok with warfarin?") and the medicines
    of the database it may stand for (`medicine_of`: a generic name -> its medicine id, or None), when two or
    more are held; else None."""
    found = _SEVERAL.search(question)
    if found is None:
        return None
    held = [mid for name in SHORTHAND_OF_SEVERAL[found.group(1).casefold()] if (mid := medicine_of(name))]
    held = list(dict.fromkeys(held))
    return (found.group(1), held) if len(held) > 1 else None
