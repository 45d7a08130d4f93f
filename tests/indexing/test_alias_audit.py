"""Aliases the labels support (issue 17): the audit on a small fixture, a collection's lookup word that is the
plain ingredient name is no alias, and a brand of another form is not kept on this form."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from indexing.alias_audit import audit_aliases, summarize
from indexing.brand_forms import BrandFormsError, brand_of_another_form, load_brand_forms
from indexing.corpus import CorpusSummary, drop_ambiguous_lookup_words, drop_other_form_brands
from indexing.homeopathic import is_homeopathic
from indexing.schema import Medicine
from indexing.sources.openfda import LabelNames, LoadNotes, is_plain_ingredient_name, medicine_from_openfda_label

_TEXT = "WIDGETOL tablets are indicated for pain. " * 60  # long enough for a missing brand to mean something


def _med(mid: str, aliases: tuple[str, ...], routes: tuple[str, ...], text: str = _TEXT,
         substances: tuple[str, ...] = ("WIDGETOL",)) -> Medicine:
    return Medicine(id=mid, name=mid.replace("-", " ").title(), aliases=aliases, source=f"dailymed:{mid}",
                    sections={"indications": text}, substances=substances, routes=routes, sources=(f"dailymed:{mid}",))


def _names(mid: str, brands: tuple[str, ...], key: str = "",
           generics: tuple[str, ...] = ("WIDGETOL SODIUM",)) -> LabelNames:
    return LabelNames(f"dailymed:{mid}", brands, generics, key)


def test_the_audit_finds_each_kind_of_suspicious_alias() -> None:
    medicines = [
        # tablets: WIDGETOL is theirs; SHOTZ (the pen's brand) listed as meaning the injection; "Painaway"
        # only the collection's lookup word
        _med("widgetol", ("WIDGETOL", "SHOTZ", "Painaway"), ("ORAL",)),
        # the injection: its own brand SHOTZ, and WIDGETOL, which the tablets carry too
        _med("widgetol-injection", ("SHOTZ", "WIDGETOL"), ("SUBCUTANEOUS",), "SHOTZ injection is indicated. " * 80),
    ]
    labels = [_names("widgetol", ("WIDGETOL", "SHOTZ"), key="Painaway"),
              _names("widgetol-injection", ("SHOTZ", "WIDGETOL"))]
    found = audit_aliases(medicines, labels, brand_table={}, brand_forms={"shotz": "injection"})
    by = {(f.reason, f.medicine_id, f.alias) for f in found}
    assert ("not_own_name", "widgetol", "Painaway") in by
    assert ("other_form", "widgetol", "SHOTZ") in by
    assert ("other_form", "widgetol-injection", "WIDGETOL") in by  # a brand of the tablets on the injection
    assert ("several_medicines", "widgetol", "SHOTZ") in by
    assert ("not_in_text", "widgetol", "SHOTZ") in by  # the tablets' text never says SHOTZ
    assert ("other_form", "widgetol-injection", "SHOTZ") not in by
    assert ("not_own_name", "widgetol", "WIDGETOL") not in by
    assert summarize(found)["not_own_name"] == 1


def test_a_brand_from_the_maintained_table_is_not_suspicious() -> None:
    medicines = [_med("widgetol", ("Painaway",), ("ORAL",))]
    labels = [_names("widgetol", ("WIDGETOL",), key="Painaway")]
    assert audit_aliases(medicines, labels, brand_table={"painaway": "widgetol"}) == []
    assert [f.reason for f in audit_aliases(medicines, labels, brand_table={})] == ["not_own_name"]


def test_the_build_drops_a_brand_of_another_form_and_counts_it() -> None:
    summary = CorpusSummary()
    tablets = _med("oral-widgetol", ("SHOTZ", "WIDGETOL"), ("ORAL",))
    kept = drop_other_form_brands(tablets, {"shotz": "injection"}, summary)
    assert kept.aliases == ("WIDGETOL",)
    assert summary.other_form_aliases == [("oral-widgetol", "SHOTZ", "injection")]
    both = _med("widgetol", ("SHOTZ",), ("SUBCUTANEOUS", "ORAL"))  # a label of both forms keeps it
    assert drop_other_form_brands(both, {"shotz": "injection"}, summary).aliases == ("SHOTZ",)
    assert brand_of_another_form("shotz", "injection+oral", {"shotz": "injection"}) is None


def test_a_collections_lookup_word_is_no_alias_where_another_medicine_is_that_ingredient() -> None:
    notes = LoadNotes()
    label = {"drug_name": "Phenytoin", "sections": {"indications_and_usage": "Phenytoin injection is indicated ..."},
             "openfda_meta": {"brand_name": ["Phenytoin Sodium"], "generic_name": ["PHENYTOIN SODIUM"],
                              "substance_name": ["PHENYTOIN SODIUM"], "route": ["INTRAMUSCULAR", "INTRAVENOUS"],
                              "spl_set_id": ["035a8d4e"]}}
    injection = medicine_from_openfda_label(label, "phenytoin.json", None, notes=notes)
    assert injection.aliases == ("Phenytoin",)  # the loader keeps what the label came with
    assert notes.label_names == [LabelNames("dailymed:035a8d4e", ("Phenytoin Sodium",), ("PHENYTOIN SODIUM",),
                                            "Phenytoin")]
    capsules = Medicine("phenytoin-sodium", "Phenytoin Sodium", ("Dilantin",), source="dailymed:c",
                        substances=("PHENYTOIN SODIUM",), routes=("ORAL",))
    combination = Medicine("hydrocodone-and-acetaminophen", "Hydrocodone Bitartrate and Acetaminophen",
                           ("Hydrocodone",), source="file:h", substances=("HYDROCODONE BITARTRATE", "ACETAMINOPHEN"))
    notes.label_names.append(LabelNames("file:h", (), ("Hydrocodone Bitartrate and Acetaminophen",), "hydrocodone"))
    summary = CorpusSummary()
    out = drop_ambiguous_lookup_words([capsules, replace(injection, id="phenytoin-sodium-injection"), combination],
                                      notes.label_names, summary)
    # the word leaves the injection for the capsules, the one other medicine of phenytoin alone (oral)
    assert [m.aliases for m in out] == [("Dilantin", "Phenytoin"), (), ("Hydrocodone",)]
    assert summary.lookup_words_dropped == [("phenytoin-sodium-injection", "Phenytoin")]
    # a medicine named exactly the word wins over the alias anyway: it stays on the combination
    valsartan = Medicine("valsartan", "Valsartan", (), source="v", substances=("VALSARTAN",), routes=("ORAL",))
    entresto = Medicine("sacubitril-and-valsartan", "Sacubitril and Valsartan", ("ENTRESTO", "Valsartan"), source="e",
                        substances=("SACUBITRIL", "VALSARTAN"), routes=("ORAL",))
    names = [LabelNames("e", ("ENTRESTO",), ("SACUBITRIL AND VALSARTAN",), "valsartan")]
    assert drop_ambiguous_lookup_words([valsartan, entresto], names, summary)[1].aliases == ("ENTRESTO", "Valsartan")
    # a lookup word that is a name of its own is not the plain ingredient
    assert not is_plain_ingredient_name("Dilantin", "Phenytoin Sodium", ["PHENYTOIN SODIUM"], [])
    assert not is_plain_ingredient_name("Xcopri", "Cenobamate", ["CENOBAMATE"], ["XCOPRI"])
    assert is_plain_ingredient_name("Valsartan", "Sacubitril and Valsartan", ["SACUBITRIL AND VALSARTAN"], [])


def test_a_homeopathic_product_keeps_no_lookup_word_even_as_the_only_medicine_of_it() -> None:
    pellets = Medicine("quinine-salicylate", "Quinine Salicylate", ("Chininum salicylicum", "Quinine"),
                       source="dailymed:q", product_type="HUMAN OTC DRUG", substances=("QUININE SALICYLATE",),
                       sections={"dosage": "Dissolve 5 pellets under the tongue 3 times a day."})
    # the same word on an ordinary product that is the only one of its ingredient stays: people name it so
    combination = Medicine("hydrocodone-and-acetaminophen", "Hydrocodone Bitartrate and Acetaminophen",
                           ("Hydrocodone",), source="file:h", substances=("HYDROCODONE BITARTRATE", "ACETAMINOPHEN"),
                           sections={"dosage": "One tablet every 4 to 6 hours as needed for pain."})
    names = [LabelNames("dailymed:q", (), ("QUININE SALICYLATE",), "quinine"),
             LabelNames("file:h", (), ("Hydrocodone Bitartrate and Acetaminophen",), "hydrocodone")]
    summary = CorpusSummary()
    out = drop_ambiguous_lookup_words([pellets, combination], names, summary)
    assert [m.aliases for m in out] == [("Chininum salicylicum",), ("Hydrocodone",)]
    assert summary.lookup_words_dropped == [("quinine-salicylate", "Quinine")]


@pytest.mark.parametrize(
    "text, product_type, expected",
    [
        ("Arnica montana 6C HPUS ... Leg cramps", "HUMAN OTC DRUG", True),
        ("Cuprum 12X, Avena sativa 6X: temporary relief", "HUMAN OTC DRUG", True),
        ("This homeopathic medicine relieves dizziness", "HUMAN OTC DRUG", True),
        ("Dissolve 5 pellets under the tongue 3 times a day", "HUMAN OTC DRUG", True),
        # radiolabel and capsule pellets on prescription labels are not potencies
        ("After a single oral dose of 14 C-labelled drug, 2C was found; open the capsule, sprinkle pellets",
         "HUMAN PRESCRIPTION DRUG", False),
        ("Take 1 tablet with water every 4 hours (X-ray not needed)", "HUMAN OTC DRUG", False),
    ],
)
def test_homeopathic_products_are_told_by_their_text(text: str, product_type: str, expected: bool) -> None:
    med = Medicine("m", "M", sections={"dosage": text}, product_type=product_type)
    assert is_homeopathic(med) is expected


@pytest.mark.parametrize(
    ("line", "message"),
    [("OZEMPIC\tinjection", "expected"), ("OZEMPIC\tpen\tthe pen", "unknown route group"),
     ("OZEMPIC\tinjection\tx\nozempic\tinjection\ty", "listed twice")],
)
def test_a_malformed_brand_forms_line_is_an_error_with_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "brand_forms.tsv"
    path.write_text(f"# comment\n{line}\n", encoding="utf-8")
    with pytest.raises(BrandFormsError, match=message) as error:
        load_brand_forms(path)
    assert f"{path}:" in str(error.value)


def test_the_shipped_table_keeps_ozempic_to_the_pen() -> None:
    assert load_brand_forms()["ozempic"] == "injection"


def test_the_command_audits_a_built_corpus(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from app.corpus_cli import corpus_app
    from tests.conftest import FIXTURES

    labels = [str(FIXTURES / "labels" / "openfda" / "labels.jsonl"), str(FIXTURES / "labels" / "spl")]
    corpus, report = tmp_path / "corpus.jsonl", tmp_path / "aliases.tsv"
    built = CliRunner().invoke(corpus_app, ["build", *labels, "--out", str(corpus), "--quiet"])
    assert built.exit_code == 0, built.output
    result = CliRunner().invoke(corpus_app, ["aliases", *labels, "--corpus", str(corpus), "--out", str(report)])
    assert result.exit_code == 0, result.output
    assert all(f"{reason}: " in result.output for reason in ("not_own_name", "other_form", "several_medicines"))
    assert all(len(line.split("\t")) == 4 for line in report.read_text(encoding="utf-8").splitlines())
