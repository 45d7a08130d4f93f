"""Alcohol said in everyday words: "a couple of beers", "a glass of wine", "can I drink on it?", "booze", "a pint".

Alcohol is no medicine: a drink word is never reported as a product the database lacks, and a question asking
about drinking is searched for what the label says of alcohol. Labels say "alcohol", "alcoholic beverages",
"ethanol"; users say "beers", "drinking", "a few drinks". `asks_alcohol` tells whether a question asks about
drinking alcohol; "drink plenty of water" or "can I drink grapefruit juice?" do not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.pipeline.state import SearchQuery
from indexing.schema import Attribute

# The label word an alcohol question is searched with, and the one the reader reads a partner by.
ALCOHOL = "alcohol"
# The words labels use for it (query keywords).
LABEL_WORDS = "alcohol alcoholic beverages ethanol"

# Drinks and drinking words that name alcohol wherever they stand.
DRINKS = frozenset("""
alcohol alcoholic booze boozing beer beers lager lagers ale ales stout cider ciders wine wines prosecco champagne
vodka vodkas whisky whiskey whiskies gin gins rum rums tequila tequilas brandy liquor liquors spirits cocktail
cocktails pint pints proseccos
hangover hungover drunk tipsy etoh
alchohol alchol alcohal alcahol alcohl alchool acohol
""".split())
_DRINK_WORD = re.compile(r"\b(?:" + "|".join(sorted(DRINKS, key=len, reverse=True)) + r")\b|"
                         # texted: a beer, wine or cocktail emoji ("pub quiz tonight 🍺 any issue")
                         "[\U0001F37A\U0001F37B\U0001F377\U0001F942\U0001F378\U0001F379\U0001F943\U0001F376]|"
                         # wine by its colour: "a glass or two of red", "a bottle of white", "a drop of red"
                         r"\b(?:glass(?:es)?|bottles?|drop|small one|large one)(?: or two)? of (?:red|white|rosé|"
                         r"rose|bubbly|fizz)\b|"
                         # toasts at a wedding, glasses at a party: "I'll be toasting all evening, more than a few
                         # glasses", "a G&T from the trolley"
                         r"\btoasting\b|\b(?:a|the) toast (?:to|at)\b|\braise (?:a|my|our) glass|\bg ?& ?t\b|"
                         r"\bgin and tonic|"
                         r"\b(?:a few|several|a couple of|more than a few|too many) glasses\b"
                         r"(?! of (?:water|milk|juice))",
                         re.IGNORECASE)
# What is drunk that is not alcohol: "drink plenty of water", "drinking grapefruit juice".
_NOT_ALCOHOL = (r"(?:plenty of |lots of |more |enough |a lot of |some |a glass of |a cup of |a )?"
                r"(?:water|fluids?|liquids?|milk|juice|grapefruit|coffee|tea|soda|cola|caffeine|smoothies?|"
                r"shakes?|it|this|that|them|the (?:medicine|liquid|solution|syrup|suspension))\b")
# "can I drink on it?", "drinking while on ...", "a few drinks", "have a drink", "drink with metronidazole"
_DRINKING = re.compile(
    rf"\b(?:drink|drinks|drinking|drank)\b(?!\s+{_NOT_ALCOHOL})(?!\s+\w+\s+(?:water|juice|milk|coffee|tea)\b)",
    re.IGNORECASE)
# "how much water should I drink with it?": another drink named anywhere
_OTHER_DRINK = re.compile(r"\b(?:water|fluids?|liquids?|milk|juice|coffee|tea|soda|cola|smoothies?|shakes?)\b",
                          re.IGNORECASE)
# "what can I eat or drink?", "anything I shouldn't eat or drink": a diet question, not alcohol
_DIET = re.compile(r"\b(?:eat|food|foods)\s+(?:or|and)\s+drink|\bdrink\s+(?:or|and)\s+eat\b|"
                   r"\bwhat (?:can|should|shouldn't|should not) i drink\b|"
                   # a dose put into a drink: "can I open the capsules into a drink for my daughter?"
                   r"\b(?:open|opened|mix|mixed|put|stir|stirred|dissolve|dissolved|sprinkle|empty|tip|add)\b[^.?!]{0,40}"
                   r"\b(?:into|in|with) (?:a|her|his|their|my|your|some|the) (?:small |little |cold )?drink\b",
                   re.IGNORECASE)
# Drinking said as a condition's cause or as what the person did, not asked about: "cirrhosis from drinking",
# "alcoholic liver disease", "I used to drink heavily", "a recovering alcoholic", "quit drinking", "alcohol
# dependence". Such a question asks about the condition (the liver), not about alcohol with the medicine.
_AMOUNT = r"(?:a lot|heavily|heavy|too much|every day|daily|a bottle a day)"
_HISTORY = re.compile(
    r"\b(?:from|due to|because of|caused by|related to|result of)\s+"
    r"(?:(?:his|her|my|their|your|years of|decades of|long[- ]term|heavy|chronic|too much|excessive|all the)\s+){0,3}"
    r"(?:drinking|alcohol(?:\s+(?:use|abuse|misuse))?|booze)\b|"
    r"\b(?:alcoholic|alcohol[- ](?:related|induced|associated))(?=\s+(?:liver|cirrhosis|hepatitis|pancreatitis|"
    r"fatty|cardiomyopathy|neuropathy|dementia|disease|damage|gastritis))|"
    r"\balcohol(?:ic)?\s+(?:use disorder|dependence|dependency|abuse|addiction|withdrawal|problems?)\b|\balcoholism\b|"
    r"\b(?:recovering|former|ex-?|reformed|sober|an ex)\s*(?:alcoholic|(?:heavy )?drinker)s?\b|"
    rf"\b(?:used to|would)\s+(?:drink|be a (?:heavy )?drinker)(?:\s+{_AMOUNT})?\b|\bdrank\s+{_AMOUNT}\b|"
    r"\b(?:quit|quitting|stopped|stopping|gave up|given up|give up|no longer|cut out)\s+(?:drinking|alcohol|booze)\b|"
    # "to help him stay off the drink", "he's been dry 3 weeks", "sober since May"
    r"\b(?:stay|stays|staying|keep|keeps|keeping|kept|get|getting|come|coming|came|been|is|was|he'?s|she'?s|i'?m)\s+"
    r"(?:off|away from|clear of)\s+(?:the\s+)?(?:drink|drinking|alcohol|booze|sauce)\b|"
    r"\b(?:been|is|was|he'?s|she'?s|i'?m|stay(?:ing)?)\s+(?:dry|sober)\b|"
    r"\b(?:don't|do not|doesn't|does not|never|didn't|did not|hasn't|haven't)\s+(?:drink|drank|drunk)\b|"
    r"\bhistory of\s+(?:heavy\s+)?(?:drinking|alcohol(?:\s+(?:use|abuse|misuse))?)\b|"
    r"\b(?:years|decades) of (?:heavy )?drinking\b",
    re.IGNORECASE)


# Drinking in Chinese: 喝酒, 饮酒, 喝点啤酒, 酒精; never the salt word 酒石酸 (tartrate: 酒石酸美托洛尔), and not
# 戒酒 (giving it up: a question about the condition).
_ZH_DRINKING = re.compile(r"(?:喝|饮|吃|沾|和|跟|与|同|配|加)(?:了|点|一点|一些|几口|一杯|杯|两杯|几杯)?"
                          r"(?:啤|白|红|葡萄|黄|米|洋|烈)?酒(?!石)|"
                          r"(?:啤|白|红|葡萄|黄|米|洋|烈)酒|酒精(?!棉)|醉酒|宿醉|喝醉|应酬喝")
_ZH_HISTORY = re.compile(r"戒酒|酗酒史|以前(?:经常)?喝酒|不喝酒|不饮酒|滴酒不沾")


def drinking_as_history(question: str) -> str:
    """The question less what it says of drinking as a cause or a history ("my uncle has cirrhosis from
    drinking" -> "my uncle has cirrhosis")."""
    return _HISTORY.sub(" ", question)


def asks_alcohol(question: str) -> bool:
    """Whether a question asks about drinking alcohol ("a couple of beers while on metronidazole", "and can I
    drink on it?"); drinking said as a condition's cause or the person's history ("cirrhosis from drinking",
    "I'm a recovering alcoholic") is not asked about."""
    if _ZH_DRINKING.search(question) is not None:
        return _ZH_HISTORY.search(question) is None
    question = drinking_as_history(question)
    if _DRINK_WORD.search(question):
        return True
    return (_DRINKING.search(question) is not None and _DIET.search(question) is None
            and _OTHER_DRINK.search(question) is None)


def drink_surfaces(surfaces: Iterable[str]) -> set[str]:
    """Those of the surfaces (names found in a question) that are drink words, not products."""
    return {s for s in surfaces if s.casefold().strip() in DRINKS}


def with_alcohol(queries: list[SearchQuery]) -> list[SearchQuery]:
    """The queries of an alcohol question: each medicine's searched with the words labels use for alcohol, and
    alcohol as the other "medicine" (a query no label has), so the reader quotes the label where it speaks of
    alcohol, and says so where it does not (app.pipeline.read_missed)."""
    out = [SearchQuery(q.medicine, q.attribute, " ".join(dict.fromkeys([*q.keywords.split(), *LABEL_WORDS.split()])))
           if q.medicine else q for q in queries]
    if any(q.medicine for q in queries) and not any(q.medicine == ALCOHOL for q in queries):
        out.append(SearchQuery(ALCOHOL, None, ALCOHOL))
    return out


# Sections an alcohol question may rightly ask ("is it dangerous to drink on it?", "... while pregnant?");
# another section cued by the question's other words (indications, dosage) is asked as the interaction.
ALCOHOL_SECTIONS = frozenset({Attribute.INTERACTIONS, Attribute.WARNINGS, Attribute.CONTRAINDICATIONS,
                              Attribute.BOXED_WARNING, Attribute.ADVERSE_REACTIONS, Attribute.PATIENT_COUNSELING,
                              Attribute.PREGNANCY, Attribute.LACTATION, Attribute.OVERDOSAGE})


def alcohol_section(attribute: Attribute | None) -> Attribute:
    """The section an alcohol question asks: its own when it is one of ALCOHOL_SECTIONS, else interactions."""
    return attribute if attribute in ALCOHOL_SECTIONS and attribute is not None else Attribute.INTERACTIONS


# What the user said earlier they drink or eat as a habit, and a later turn refers back to by a bare noun ("I have
# grapefruit juice with breakfast every day." ... "Just been put on felodipine for BP. Do I need to give up the
# juice?"): the question is about that habit with the new medicine.
_HABITS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("grapefruit juice", re.compile(r"\bgrapefruits?\b", re.IGNORECASE)),
    (ALCOHOL, _DRINK_WORD),
)
_REFERS_BACK = re.compile(r"\b(?:the|that|my|this|those|these|our)\s+(?:juice|grapefruits?|drinks?|drinking|wine|"
                          r"beers?|booze|pints?|glass(?:es)?(?: of \w+)?|habit)\b", re.IGNORECASE)


def habit_referred(earlier: Iterable[str], question: str) -> str | None:
    """The habit ("grapefruit juice", "alcohol") an earlier user turn names and the question refers back to by a
    bare noun ("the juice", "my drinking"), when the question does not name one itself; else None."""
    if not _REFERS_BACK.search(question) or any(p.search(question) for _, p in _HABITS):
        return None
    said = " ".join(earlier)
    return next((name for name, pattern in _HABITS if pattern.search(said)
                 and (name != ALCOHOL or asks_alcohol(said))), None)
