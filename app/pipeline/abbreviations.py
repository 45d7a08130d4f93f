"""Clinician shorthand for medicines ("HCTZ 25 daily", "max APAP in liver disease", "MTX weekly", "amio +
warfarin"): abbreviations written in notes and handovers that name one medicine and no ordinary word.

The drug-name dictionary (app/pipeline/synonyms.py) holds a few of these, but the lexicon leaves out every
synonym shorter than five letters, because short variants collide with words. This list is kept by hand
and only holds abbreviations that stand for one medicine in common use and that are not an English word
or another common abbreviation ("pred", "dig", "levo", "PCN" stay out: a word, or several medicines).
"""

from __future__ import annotations

# abbreviation (as typed, any case) -> the generic name as the database names it
CLINICIAN_SHORTHAND: dict[str, str] = {
    "hctz": "hydrochlorothiazide",
    "apap": "acetaminophen",
    "mtx": "methotrexate",
    "asa": "aspirin",
    "ntg": "nitroglycerin",
    # "nitro" with its form or route ("nitro SL for angina prn", "my nitro spray"); "nitro" alone is left out
    "nitro sl": "nitroglycerin",
    "nitro spray": "nitroglycerin",
    "nitro patch": "nitroglycerin",
    "nitro tabs": "nitroglycerin",
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
    "methylpred": "methylprednisolone",
    "furo": "furosemide",
    "warf": "warfarin",
}
