"""Pharmacologic classes as the labels' metadata names them, mapped to the words label text uses.

A label's metadata (openFDA / DailyMed `pharm_class_*`, kept in `MedicineEntry.classes`) puts ibuprofen in
"Nonsteroidal Anti-inflammatory Drug [EPC]"; lisinopril's interaction text says "NSAIDs". The class keys
here are those of `app.records.interactions.DRUG_CLASSES`, whose patterns are the words labels use for each
class ("NSAIDs", "non-steroidal anti-inflammatory drugs", "beta-blockers", "MAO inhibitors", "SSRIs",
"penicillins", "anticoagulants", ...). One table, written by hand: which FDA class names are which class.

Established Pharmacologic Class (EPC), Mechanism of Action (MoA), Chemical Structure (CS) and Physiologic
Effect (PE) names all come through; the rules match the name without its "[EPC]"-style suffix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# (pattern over an FDA class name without its suffix, class key). Several rules may fire for one name.
FDA_CLASS_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), key)
    for pattern, key in (
        (r"^nonsteroidal anti-?inflammatory drug$|^anti-inflammatory agents, non-steroidal$|"
         r"^cyclooxygenase inhibitors$", "nsaid"),
        (r"^salicylates?$", "salicylate"),
        (r"^anti-?coagulant$|^vitamin k antagonist$|^factor xa inhibitors?$|^direct thrombin inhibitor$|"
         r"^thrombin inhibitors$|^coumarins?(?: and derivatives)?$", "anticoagulant"),
        (r"^heparins?(?:, low-molecular-weight)?$|^low molecular weight heparin$", "heparin"),
        (r"^platelet aggregation inhibitor$|^p2y12 platelet inhibitor$|^p2y12 receptor antagonists$|"
         r"^decreased platelet aggregation$", "antiplatelet"),
        (r"^selective serotonin reuptake inhibitors?$|^serotonin uptake inhibitors$", "ssri"),
        (r"^serotonin and norepinephrine reuptake inhibitors?$|"
         r"^norepinephrine and serotonin reuptake inhibitors?$", "snri"),
        (r"^monoamine oxidase inhibitors?$", "maoi"),
        (r"^tricyclic antidepressant$", "tricyclic"),
        (r"^angiotensin converting enzyme inhibitor$|^angiotensin-converting enzyme inhibitors$", "ace_inhibitor"),
        (r"^angiotensin 2 receptor (?:blocker|antagonists)$", "arb"),
        (r"^beta-adrenergic blocker$|^adrenergic beta[12]?-antagonists$", "beta_blocker"),
        (r"calcium channel blocker$|^calcium channel antagonists$|^dihydropyridines$", "calcium_channel_blocker"),
        (r"^thiazide(?:-like)? diuretic$|^thiazides$", "thiazide"),
        (r"^loop diuretic$", "loop_diuretic"),
        (r"^potassium-sparing diuretic$|^aldosterone antagonist$|^osmotic diuretic$", "diuretic"),
        (r"^hmg-coa reductase inhibitor$|^hydroxymethylglutaryl-coa reductase inhibitors$", "statin"),
        (r"^opioid agonist$|^mu-opioid receptor agonist$|^opioid mu-receptor agonists$|"
         r"^full opioid agonists$|^opioid agonist/antagonist$|^partial opioid agonist$", "opioid"),
        (r"^benzodiazepines?$", "benzodiazepine"),
        (r"^sulfonylurea(?: compounds)?$|^glinide$", "antidiabetic"),
        (r"^insulin(?: analog)?$|^insulins?$", "insulin"),
        (r"^corticosteroid$|^glucocorticoid$|^corticosteroid hormone receptor agonists$", "corticosteroid"),
        (r"^proton pump inhibitors?$", "ppi"),
        (r"^cardiac glycosides?$", "cardiac_glycoside"),
        (r"^histamine-1 receptor antagonist$|^histamine h1 receptor antagonists$", "antihistamine"),
        (r"^anti-epileptic agent$|^anticonvulsant$", "antiepileptic"),
        (r"^macrolide(?:s| antimicrobial| antibacterial)$", "macrolide"),
        (r"^(?:fluoro)?quinolone(?:s| antimicrobial| antibacterial)$", "fluoroquinolone"),
        (r"^cytochrome p450 3a4? inhibitors?$", "cyp3a4_inhibitor"),
        (r"^penicillin-class antibacterial$|^penicillins$", "penicillin"),
        (r"^cephalosporin(?:s| antibacterial)$", "cephalosporin"),
    )
)
_SUFFIX = re.compile(r"\s*\[[^\]]*\]\s*$")


def fda_class_keys(names: Iterable[str]) -> set[str]:
    """The class keys (DRUG_CLASSES) of a label's pharmacologic class names; names no rule knows give none."""
    out: set[str] = set()
    for name in names:
        bare = _SUFFIX.sub("", name).strip()
        out.update(key for pattern, key in FDA_CLASS_RULES if pattern.search(bare))
    return out
