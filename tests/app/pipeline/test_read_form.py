from app.pipeline.context import ConversationContext, MedicineMention, MedStatus, Owner
from app.pipeline.read_form import form_notice

ROUTES = {"fentanyl-citrate": ("INTRAMUSCULAR", "INTRAVENOUS"), "ibuprofen": ("ORAL",),
          "hydrocortisone": ("TOPICAL",), "azelastine": ("NASAL",)}


def _context(*mentions: tuple[str, str | None]) -> ConversationContext:
    return ConversationContext(medicines=[MedicineMention(mid, mid, Owner.USER, MedStatus.CURRENT, turn, form)
                                          for turn, (mid, form) in enumerate(mentions)])


def _notice(context: ConversationContext, cited: list[str], text: str) -> str:
    return form_notice(context, cited, text, lambda m: ROUTES.get(m, ()), str.title)


def test_a_patch_read_from_an_injection_label_is_said():
    notice = _notice(_context(("fentanyl-citrate", "topical")), ["fentanyl-citrate"],
                     "I use a fentanyl patch. Can I shower with it on?")
    assert "Fentanyl-Citrate's label" in notice and "injected" in notice and "not a patch" in notice


def test_the_form_of_another_medicine_says_nothing_of_the_cited_one():
    context = _context(("fentanyl-citrate", "topical"), ("ibuprofen", "oral"))
    assert _notice(context, ["ibuprofen"], "I use a fentanyl patch. Can I take ibuprofen tablets?") == ""


def test_a_form_the_label_has_or_no_form_said_gives_no_notice():
    assert _notice(_context(("hydrocortisone", "topical")), ["hydrocortisone"], "hydrocortisone cream") == ""
    assert _notice(_context(("fentanyl-citrate", None)), ["fentanyl-citrate"], "fentanyl dose?") == ""
    assert form_notice(None, ["fentanyl-citrate"], "fentanyl patch", lambda m: ROUTES[m], str.title) == ""


def test_a_spray_is_not_taken_for_an_inhaler():
    # a nasal spray label asked of as "spray": sprays are for the nose, the mouth or the skin
    assert _notice(_context(("ibuprofen", "inhaled")), ["ibuprofen"], "the ibuprofen spray") == ""
    assert "taken by mouth, not an inhaler:" in _notice(_context(("ibuprofen", "inhaled")), ["ibuprofen"],
                                                        "my ibuprofen inhaler")
