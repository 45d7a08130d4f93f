"""A route-less copy of another route's label (the medtap pantoprazole file is the injection label) names the
oral medicine it joins but gives it none of its text (session 12: the tablets answered intravenous dosing)."""

from __future__ import annotations

from indexing.corpus import Candidate, _group, merge_group
from indexing.schema import Medicine

_IV_DOSE = "The recommended dosage is 40 mg once daily by intravenous infusion for up to 10 days."
_IV_USE = "Pantoprazole for injection is indicated for short-term treatment of GERD in adults."


def _cand(mid: str, name: str, routes: tuple[str, ...], sections: dict[str, str]) -> Candidate:
    med = Medicine(id=mid, name=name, source=f"file:{mid}", sections=sections, substances=("PANTOPRAZOLE SODIUM",),
                   routes=routes)
    return Candidate(med, set_id="", version=None, position=mid, source_name=mid)


def test_a_routeless_copy_of_the_injection_names_the_tablets_but_gives_them_no_text() -> None:
    injection = _cand("iv", "Pantoprazole Sodium", ("INTRAVENOUS",), {"dosage": _IV_DOSE, "indications": _IV_USE})
    tablets = _cand("tab", "Pantoprazole Sodium", ("ORAL",), {"dosage": "40 mg orally once daily for up to 8 weeks."})
    copy = _cand("medtap", "Pantoprazole", (), {"dosage": _IV_DOSE, "indications": _IV_USE,
                                                "warnings": "Injection site reactions. " * 20})
    groups = {tuple(c.position for c in g): g for g in _group([injection, tablets, copy])}
    assert set(groups) == {("iv",), ("tab", "medtap")}
    oral = merge_group(groups[("tab", "medtap")])
    assert oral.sections == {"dosage": "40 mg orally once daily for up to 8 weeks."}
    assert oral.name == "Pantoprazole"  # named as before: ids do not move
    assert oral.routes == ("ORAL",)


def test_a_routeless_label_of_its_own_text_still_joins_the_tablets_with_its_text() -> None:
    injection = _cand("iv", "Pantoprazole Sodium", ("INTRAVENOUS",), {"dosage": _IV_DOSE})
    tablets = _cand("tab", "Pantoprazole Sodium", ("ORAL",), {"dosage": "40 mg orally once daily."})
    other = _cand("medtap", "Pantoprazole", (), {"dosage": "Take 40 mg by mouth daily before breakfast for 8 weeks."})
    groups = {tuple(c.position for c in g): g for g in _group([injection, tablets, other])}
    oral = merge_group(groups[("tab", "medtap")])
    assert oral.sections["dosage"].startswith("Take 40 mg by mouth")
