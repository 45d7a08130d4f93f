"""The choices a question back offers, each worded as the user's reply (the web page shows them as buttons
and sends the one picked as the next turn; the API returns them as `options` with status clarify).

"Which medicine do you mean: your mother's Apixaban or your father's Warfarin?" offers "my mother's Apixaban"
and "my father's Warfarin": the distiller reads a reply to its question back as it reads one the user types
(app.pipeline.distill), so a chosen option is answered with the question asked before it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from app.pipeline.context import MedicineMention
from app.pipeline.phrases import PERSON_ZH


def tied_options(tied: Sequence[MedicineMention], names: Mapping[str, str], chinese: bool) -> tuple[str, ...]:
    """The medicines the question fits equally, as named in the question back, in the order given; whose
    each is when they are two people's ("my mother's Apixaban", 我母亲的Apixaban)."""
    whose = len({m.person for m in tied}) > 1
    out: list[str] = []
    for m in tied:
        name = names.get(m.medicine_id or "", m.surface)
        if whose and m.person:
            name = f"我{PERSON_ZH.get(m.person, m.person)}的{name}" if chinese else f"my {m.person}'s {name}"
        out.append(name)
    return tuple(dict.fromkeys(out))
