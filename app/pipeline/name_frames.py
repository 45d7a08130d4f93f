"""Where a word no label uses is the name of a product the database lacks, by the words around it (session 9,
consult_dev_wrongmed_s9): "is zentravix safe for me", "doc mentioned Prexalor", "something called Cardiovex",
"what's the Cardiovex for?". A made-up or foreign brand said so is a product asked about; said beside a
medicine the user takes, it must not leave that medicine's label to answer (app.pipeline.lexicon: the word
must also be unknown to the label corpus, so an ordinary or misspelt word is not taken for a name)."""

from __future__ import annotations

import re

_FRAMES = (
    # named, recommended or handed over: "something called X", "the GP mentioned X", "a friend gave me some X"
    r"\b(?:called|named|mentioned|recommended|suggested|bought|considering|adding|gave (?:me|him|her|us))\s+"
    r"(?:some\s+|a\s+|an\s+|the\s+|this\s+)?{name}\b",
    # asked whether it is safe: "is X safe for me", "are X ok with my pills"
    r"\b(?:is|are)\s+{name}\s+(?:safe|ok|okay|alright|fine|dangerous|addictive)\b",
    # asked what it is for: "what's the X for?", "what is X used for"
    r"\bwhat(?:'s|s| is| are)\s+(?:the\s+|this\s+|that\s+)?{name}\s+(?:used\s+|prescribed\s+|given\s+)?for\b",
)


# Each frame with any word for the name: a text none of them matches says no token so, and the frame with the
# token's own name (compiled for each token) is only built for a text one of them matches.
_ANY_NAME = tuple(re.compile(frame.format(name=r".+?")) for frame in _FRAMES)


def named_as_product(text: str, token: str) -> bool:
    """Whether the (casefolded) text says `token` the way a product's name is said."""
    name = re.escape(token)
    return any(loose.search(text) and re.search(frame.format(name=name), text)
               for loose, frame in zip(_ANY_NAME, _FRAMES, strict=True))
