"""What a user says they did not ask, after an answer that missed the point: "I didn't ask about side effects??
I asked WHEN to take it", 我问的不是副作用，是什么时候吃. The words of the section not asked are no cue of it."""

from __future__ import annotations

import re

# (to the end of its sentence: "I didn't ask about side effects??")
_NOT_ASKED = re.compile(
    r"\b(?:i|we)\s+(?:didn't|didnt|did not|don't|dont|do not|wasn't|wasnt|was not|never)\s+"
    r"(?:ask|asking|asked|want|wanted|mean|meant|need|needed)\b(?:\s+to know)?(?:\s+(?:about|for))?[^.?!;\n]*[.?!;]*|"
    r"\b(?:not|wasn't|wasnt|isn't|isnt)\s+(?:asking|what i (?:asked|meant|was asking))\s+(?:about\s+)?"
    r"[^.?!;\n]*[.?!;]*|"
    r"我(?:没|没有|并没有|不是)问[^，,。？！?!；;]*[，,。？！?!；;]*|我问的不是[^，,。？！?!；;]*[，,。？！?!；;]*",
    re.IGNORECASE)


def without_not_asked(text: str) -> str:
    """The text less what it says was not asked; the text itself when nothing else is left."""
    rest = _NOT_ASKED.sub(" ", text)
    return rest if re.search(r"\w", rest) else text
