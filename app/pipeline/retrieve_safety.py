"""Safety first in the ranking, not only in the reading: a contraindication or boxed-warning passage that names a
condition the user stated (asthma, heart failure, "my liver") or the other medicine of the question ranks with the
asked section's passages, ahead of them, for questions of whether to take it ("is that safe with my heart?", "fine
together?"). The reader already leads the answer with such a sentence (app.pipeline.read); the evidence the
calibrated selector trusts, the streamed evidence and the evaluator's section rank now agree with it.

Not for questions that ask a section of their own: a dose, a population's section, side effects, storage.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.pipeline.read_cues import NOT_HEALTH, asks_effect, conditions_in, untreated
from app.pipeline.read_dose import without_denied
from app.pipeline.state import SearchQuery, Turn
from app.records.interactions import name_pattern
from indexing.store import SearchIndex
from indexing.text import tokenize
from indexing.vocabulary import base_name

SAFETY_SECTIONS = frozenset({"contraindications", "boxed_warning"})
# The asked sections (None: no section named) whose questions ask whether to take it.
WHETHER_ASKS = frozenset({None, "warnings", "interactions", "contraindications", "boxed_warning", "indications"})


def safety_rows(index: SearchIndex, queries: Sequence[SearchQuery], dialogue: Sequence[Turn]) -> frozenset[int]:
    """The rows of contraindication and boxed-warning passages of the queried medicines that name a condition
    the user's turns state or another medicine the turn asks about."""
    asked = [q.medicine for q in queries if q.medicine in index.medicines and q.attribute in WHETHER_ASKS]
    if not asked:
        return frozenset()
    said = " ".join(t.content for t in dialogue if t.role == "user")
    question = next((t.content for t in reversed(dialogue) if t.role == "user"), "")
    # ("Can it cause seizures?" asks of an effect: seizures are no condition the user has)
    health = [] if asks_effect(question) else [
        c for c in without_denied(conditions_in(said), said) if c.name not in NOT_HEALTH]
    medicines = [q.medicine for q in queries if q.medicine in index.medicines]
    out: set[int] = set()
    for mid in dict.fromkeys(asked):
        rows = list(index.rows_by_medicine.get(mid, ()))
        treats = frozenset(t for r in rows if index.chunks[int(r)].attribute == "indications"
                           for t in tokenize(index.chunks[int(r)].text))
        conditions = untreated(health, treats)  # montelukast's asthma is what it treats, no condition to warn of
        names = [n for other in medicines if other != mid
                 for n in (index.medicines[other].name, base_name(index.medicines[other].name),
                           *index.medicines[other].aliases)]
        partner = name_pattern(names) if names else None
        for r in rows:
            chunk = index.chunks[int(r)]
            if chunk.attribute not in SAFETY_SECTIONS:
                continue
            tokens = frozenset(tokenize(chunk.text))
            if any(c.named_in(tokens) for c in conditions) or (partner is not None and partner.search(chunk.text)):
                out.add(int(r))
    return frozenset(out)
