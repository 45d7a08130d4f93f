"""The one pharmacologic class table (indexing.vocabulary): FDA class names -> the class words labels use, read by
the reader and the MAG stages alike."""

from __future__ import annotations

import pytest

from indexing.vocabulary import CLASS_EFFECT_WORDS, PHARM_CLASS_KEYS, pharm_class_keys


@pytest.mark.parametrize(("fda_name", "keys"), [
    # names the reader's table knew and the MAG table did not
    ("Central Nervous System Depression [PE]", {"cns_depressant"}),
    ("Macrolide [EPC]", {"macrolide"}),
    ("Unfractionated Heparin [EPC]", {"heparin"}),
    ("Biguanide [EPC]", {"antidiabetic"}),
    ("Coumarins and Indandiones [CS]", {"anticoagulant"}),
    # names the MAG table knew and the reader's did not
    ("Anti-coagulant [EPC]", {"anticoagulant"}),
    ("Decreased Platelet Aggregation [PE]", {"antiplatelet"}),
    ("Hydroxymethylglutaryl-CoA Reductase Inhibitors [MoA]", {"statin"}),
    ("Adrenergic beta1-Antagonists [MoA]", {"beta_blocker"}),
    ("Histamine H1 Receptor Antagonists [MoA]", {"antihistamine"}),
    ("Glinide [EPC]", {"antidiabetic"}),
    ("Serotonin Uptake Inhibitors [MoA]", {"ssri"}),
    ("Penicillins [CS]", {"penicillin"}),
    # one name, several keys; a class's partial agonists are members
    ("Loop Diuretic [EPC]", {"loop_diuretic", "diuretic"}),
    ("Opioid Agonist/Antagonist [EPC]", {"opioid"}),
    ("Serotonin and Norepinephrine Reuptake Inhibitor [EPC]", {"snri"}),
])
def test_class_names_from_either_former_table_map(fda_name: str, keys: set[str]) -> None:
    assert pharm_class_keys([fda_name]) == keys


def test_an_antagonist_of_a_class_is_not_a_member() -> None:
    assert pharm_class_keys(["Benzodiazepine Antagonist [EPC]", "Opioid Antagonist [EPC]",
                             "Opioid Receptor Antagonists [MoA]", "Insulin-like Growth Factor-1 [EPC]"]) == set()


def test_any_iterable_of_names_and_the_suffix_is_optional() -> None:
    names = (n for n in ("Nonsteroidal Anti-inflammatory Drug", "Cyclooxygenase Inhibitors [MoA]"))
    assert pharm_class_keys(names) == {"nsaid"}
    assert pharm_class_keys([]) == set()


def test_every_effect_word_class_can_be_reached_from_a_class_name() -> None:
    assert set(CLASS_EFFECT_WORDS) <= {key for _, key in PHARM_CLASS_KEYS}
