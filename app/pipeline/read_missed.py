"""What a question asks that the label is silent on: say so, and quote no unrelated line.

Many labels say nothing about a missed dose (levothyroxine's does not), about alcohol (warfarin's does not),
or, as the database holds them, about pregnancy or breastfeeding (lamotrigine's sections here do not). Asked
"I missed my levothyroxine dose" or "can I drink alcohol on warfarin?", the reader used to quote the label's
general administration or interaction lines, which read as advice they are not. When the asking turn is
about such a topic and no sentence of the medicine's label speaks of it, the reader quotes nothing from that
label but its safety items (pregnancy and breastfeeding: its other sentences still, under the notice), and a
notice says the label is silent and who to ask.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from app.pipeline import phrases
from app.pipeline.ingestion import too_much_taken


@dataclass(frozen=True, slots=True)
class SilentTopic:
    """A topic a question can ask about and a label can be silent on."""

    name: str
    asks: re.Pattern[str]  # how a question words it
    speaks: re.Pattern[str]  # a label sentence about it
    sections: frozenset[str]  # the asked sections the topic stands for (others: the question asks more)
    notice_en: str  # "{name}" is the medicine's name
    notice_zh: str
    mentions: re.Pattern[str] | None = None  # words that are not about the topic ("benzyl alcohol")
    own_section: str | None = None  # a label with this section speaks of the topic, whatever its words
    # Whether the label's other sentences are still quoted under the notice: a pregnant or breastfeeding
    # user may ask something else of the label ("does it raise the risk of bleeding?"); a missed dose or
    # alcohol is the whole question.
    quote_rest: bool = False
    # What the other sentences quoted under the notice must not be about: a baby asked about in pregnancy is no
    # child patient (lamotrigine's rash rates in children), a breastfeeding question no pregnancy question.
    astray: re.Pattern[str] | None = None
    # Words that ask more than the topic: the question is read as usual ("coffee or grapefruit juice?").
    unless: re.Pattern[str] | None = None
    # A topic whose other lines are quoted too (quote_rest): the sentences that lead them, when the label has any.
    leads: re.Pattern[str] | None = None
    # Whether `astray` holds for the label's safety lines too (a line on discontinuing for another reason is one)
    astray_safety: bool = False
    # Lines that answer in the topic's stead, quoted under their own notice ("{name}" the medicine's name): what a
    # label silent on grapefruit says of CYP3A inhibitors, which grapefruit juice is.
    instead: re.Pattern[str] | None = None
    instead_en: str = ""
    instead_zh: str = ""
    # Whether its lines lead past every other line though the rest is quoted too (quote_rest): the line saying when
    # in the day is the answer to a time-of-day question, the dose lines only its context.
    leads_all: bool = False

    @property
    def leads_past(self) -> bool:
        """Whether the lines speaking of it lead past every other line of the label (lead_shift)."""
        return not self.quote_rest or self.leads_all

    def asked(self, question: str) -> bool:
        return self.asks.search(question) is not None and (self.unless is None or not self.unless.search(question))

    def label_speaks(self, sentences: Iterable[str]) -> bool:
        for sentence in sentences:
            text = self.mentions.sub(" ", sentence) if self.mentions is not None else sentence
            if self.speaks.search(text) is not None:
                return True
        return False

    def strays(self, sentence: str) -> bool:
        """Whether a sentence quoted under the notice is about something else the question's words suggest."""
        return self.astray is not None and self.astray.search(sentence) is not None

    def notice(self, name: str, language: phrases.Language, instead: bool = False) -> str:
        """The notice that the label is silent; `instead`: lines answering in the topic's stead are quoted."""
        if instead and self.instead is not None:
            return (self.instead_zh if language == "zh" else self.instead_en).format(name=name)
        return (self.notice_zh if language == "zh" else self.notice_en).format(name=name)

    def answers_instead(self, sentence: str) -> bool:
        return self.instead is not None and self.instead.search(sentence) is not None


MISSED_DOSE = SilentTopic(
    "missed_dose",
    # "I missed my dose", "forgot to take it", "skipped this morning's pill", 漏服, 忘了吃.
    re.compile(
        r"\bmiss(?:ed|es|ing)?\b(?:\s+\w+){0,3}\s+(?:dose|doses|pill|pills|tablet|tablets|capsule|capsules|injection|"
        r"shot)\b|\bmissed (?:it|one)\b|"
        # not "forgot she'd had it" (a dose taken twice)
        # not "so he doesn't forget" (why a pill box is used), "don't forget to take it"
        r"(?<!n't )(?<!not )(?<!never )"
        r"\bforg[eo]t(?:ten)?\b(?! (?:that )?(?:i|he|she|they|we)(?:'d|'ve| had| have| already)\b)"
        r"(?!,?\s+(?:and\s+|then\s+|so\s+)*(?:took|taken|had|gave|given)\s+"
    r"(?:another|a second|a 2nd|it again|one more|more)\b)"  # "forgot, then took another"
        r"(?! to (?:ask|mention|say|tell|check|bring|write|look))"  # "what's it for? I forgot to ask"
        # "I forgot what she said", "forgotten how much": what was said, not a dose
        r"(?!\s+(?:what|how|which|the (?:name|dose|amount|instructions|directions)))"
        # "the nurse said it but I've forgotten"
        r"(?<!said it but i've forgotten)(?<!told me but i've forgotten)(?<!said it but i forgot)|"
        # "I missed my rivaroxaban last night, do I take it now or wait?"
        r"\bmissed (?:my|his|her|their|your) [a-z]+(?: [a-z]+)? (?:last night|this morning|yesterday|today|tonight|"
        r"earlier|at (?:breakfast|lunch|dinner|bedtime))\b|"
        r"\bskip(?:ped|ping)?\b(?:\s+\w+){0,3}\s+(?:dose|pill|tablet|capsule)s?\b|"
        # "Just realised I didn't take yesterday's.", "never took last night's"
        r"\b(?:didn'?t|did not|never|forgot to|haven'?t|have not|hasn'?t) (?:take|took|taken|give|given|have|had) "
        r"(?:(?:my|his|her|their|the) )?(?:this morning'?s|last night'?s|tonight'?s|today'?s|yesterday'?s|"
        r"this evening'?s)|"
        # "Missed this morning's. It's 2pm.", "missed last night's one"
        r"\bmissed (?:this morning'?s|last night'?s|tonight'?s|today'?s|yesterday'?s|this evening'?s)"
        r"(?!\s+(?:bus|train|flight|appointment|class|meeting|shift|news|show|game|match))\b|"
        # "Missed my morning rivaroxaban 2.5" (not "missed my period", "missed my flight")
        r"\bmissed (?:my|his|her|their|the|this) "
        r"(?:morning |evening |night(?:time)? |bedtime |lunchtime |daily |weekly )"
        r"(?!period|appointment|flight|bus|train|work|class|shift|meal|lunch|dinner|breakfast|walk|run)[a-z]+|"
        # "He missed the morning one", "I never took the morning one", "slept through her evening dose",
        # "Just remembered at 10pm. Too late?"
        r"\bmissed (?:the|my|his|her|their|this|today's|tonight's|yesterday's) (?:\w+ )?one\b|"
        r"\b(?:never|didn't|did not|haven't|have not|hasn't|has not) (?:take|took|taken|had|give|gave|given) "
        r"(?:my|his|her|their|the|it|this|today's)\b(?:\s+\w+){0,2}?\s*(?:this morning|last night|yesterday|"
        r"today|tonight|one|dose|pill|tablet|capsule)\b|"
        r"\bslept through\b(?:\s+\w+){0,3}\s+(?:dose|doses|pill|tablet|one)\b|"
        # "I never took my morning Eliquis", "didn't have her evening metformin"
        r"\b(?:never|didn'?t|did not|forgot to) (?:take|took|taken|have|had|give|gave) (?:my|his|her|their|the) "
        r"(?:morning|evening|night(?:time)?|bedtime|lunchtime|afternoon) [a-z]+|"
        # "found her morning one still in the pill box at 2pm", "Tuesday's compartment is still full"
        r"\bstill (?:in|sitting in|there in|left in) (?:the|her|his|my|their|its) (?:pill ?box|dosette(?: box)?|"
        r"blister(?: pack)?|organi[sz]er|compartment|tray)\b|"
        r"\b(?:pill ?box|dosette|organi[sz]er|compartment)\b[^.?!]{0,40}\bstill (?:full|there|untouched)\b|"
        r"\b(?:just|only) (?:now )?remembered (?:at \d|now\b|this (?:morning|evening|afternoon)|tonight)|"
        r"\btoo late to (?:take|give|have) (?:it|my|his|her|the|this)\b|"
        # "took my opill 5 hrs late today": the label's lines on a late pill
        r"\b(?:\d+|a few|few|couple of|two|three|four|five|six|several) (?:hrs?|hours?) late\b|"
        # 那次忘了, 早上那顿忘了吃, 要不要补, 补吃 (a dose made up later)
        r"漏服|漏吃|忘(?:了|记)(?:吃|服)|(?:次|顿|回|粒|片)忘(?:了|记)|要补吗|要不要补(?![钙铁锌充])|补(?:吃|服)",
        re.I),
    # A label sentence about a dose not taken when it should have been (or not to double the next one).
    re.compile(r"\bmiss(?:ed|es)?\b|\bforg[eo]t|\bskip(?:ped|s)?\b|\bas soon as (?:you )?remember|"
               r"\bnot taken at the scheduled time|\bdose is not taken\b|\bdouble (?:up|the (?:next )?dose)\b|"
               r"\b(?:2|two) doses at the same time\b|漏服", re.I),
    frozenset(),  # whatever section the question went to
    "{name}'s label in the medicine database does not say what to do about a missed dose. Ask a pharmacist or "
    "doctor.",
    "数据库中{name}的说明书没有说明漏服后该怎么办。请咨询药师或医生。",
    # a counselling point that only names the topic or sends the reader elsewhere ("What to do if a dose is missed
    # [see Dosage and Administration (2.2)]", quoted as "What to do if a dose is missed."): the section it points
    # to is what would speak, and the database may not hold it
    mentions=re.compile(r"\bwhat to do (?:if|when)\b[^.\[]*(?:\[see\b[^\]]*\]?|\.?\s*$)", re.I),
    # "He has a CT scan with contrast dye on Monday. Should he skip the tablets?": holding doses for a
    # procedure, which the label's warnings speak of, not a dose missed
    unless=re.compile(r"(?=.*\b(?:scans?|ct|mri|x-?rays?|surgery|operation|procedure|contrast|dye|colonoscopy|"
                      r"endoscopy|an(?:a)?esthe\w*|dental work|extraction|biopsy)\b).*\bskip", re.I | re.S),
)

# A dose brought back up: "I threw up 20 minutes after my morning metformin, do I take another one?", "she spat out
# half her syrup, do I give more?". Some labels say (atovaquone/proguanil: "In the event of vomiting within 1 hour
# after dosing, a repeat dose should be taken"; many kinase inhibitors: "do not take an additional dose").
_VOMITED = (r"(?:\b(?:threw|throw|throws|throwing|thrown) (?:it |them |\w+ )?up\b|\bvomit(?:ed|s|ing)?\b|"
            r"\b(?:was|been|got) sick\b|\bsicked (?:it |them )?up\b|\bbrought (?:it |them )?(?:back )?up\b|"
            r"\b(?:spat|spit|spits|spitting) (?:it |them |\w+ |half (?:of )?(?:it|\w+ \w+) )?out\b|吐了|吐出|呕吐)")
_DOSE_AGAIN = (r"(?:\b(?:take|give|have|repeat)\b[^.?!]{0,25}?\b(?:another|again|one more|a new one|more|second)\b|"
               r"\bre-?take|\bre-?dos|\brepeat\w*\b[^.?!]{0,15}\bdose|\bredo\b|再吃|再服|补服|补吃|補服|補吃|要不要再|重新吃|"
               r"\b(?:need|needs|want|have to|should (?:i|he|she|we) (?:take|have|give)) another\b|"
               r"\banother (?:one|dose|pill|tablet|capsule)\b|"
               # "was sick at half 11. does it still work???"
               r"\b(?:does|will|would|is|did) (?:it|the \w+|that|my \w+) still (?:work|working|be effective|effective|"
               r"count|protect\w*)\b|"
               r"还有效|还管用|"
               r"\b(?:minutes?|mins?|an hour|hours?|straight|right|just|soon|shortly) (?:after|later)\b[^.?!]{0,40}?"
               r"\b(?:tak\w+|giv\w+|dose|tablet|pill|capsule|syrup|medicine|my|his|her|it)\b)")
VOMITED_DOSE = SilentTopic(
    "vomited_dose",
    re.compile(rf"^(?=.*{_VOMITED})(?=.*{_DOSE_AGAIN})", re.I | re.S),
    # (both in one sentence: a chunk may hold several)
    # ("If vomiting occurs within 3 hours of taking ella, consider repeating the dose.", "... whether to take another
    # tablet")
    re.compile(r"(?=[^.]*\bvomit)(?=[^.]*(?:\b(?:additional|repeat(?:ed|ing)?|replacement|another|next|extra) (?:\w+ )?"
               r"(?:dos(?:e|es|ing)|tablets?|pills?|capsules?)\b|\bre-?take\b|\bre-?dos|"
               # a contraceptive's "In case of severe vomiting or diarrhea, absorption may not be complete and
               # additional contraceptive measures should be taken."
               r"\babsorption may not be complete\b|\b(?:additional|back-?up|extra) (?:\w+ )?contracepti\w*))|"
               r"(?=[^。]*呕吐)(?=[^。]*(?:补服|再次服用|重新服用))", re.I),
    frozenset(),  # whatever section the question went to
    "{name}'s label in the medicine database does not say what to do if a dose is vomited or spat out. Ask a "
    "pharmacist or doctor.",
    "数据库中{name}的说明书没有说明服药后呕吐或吐出该怎么办。请咨询药师或医生。",
)

ALCOHOL = SilentTopic(
    "alcohol",
    re.compile(r"\balcohol|\betoh\b|\bbeers?\b|\bwines?\b|\bbooze\b|\bvodkas?\b|\bwhisk(?:e)?y\b|\bwhiskies\b|\bliquor\b|"
               r"\bgins?\b|\brums?\b|\btequilas?\b|\bcocktails?\b|\bpints?\b|\bprosecco\b|\bchampagne\b|"
               r"\b(?:have|having|had) a (?:drink|pint|glass of wine)\b|\b(?:a few|a couple of|some|social) drinks\b|"
               r"喝酒|饮酒|喝了酒|喝了?点儿?酒|啤酒|白酒|红酒|黄酒|酒精", re.I),
    # (linezolid's tyramine list names "red wines" and "tap beers": it speaks of the drink)
    re.compile(r"\balcohol|\bethanol\b|\bdrinking\b|\bwines?\b|\bbeers?\b|酒", re.I),
    # Alcohol asks what the label warns of or what interacts; a dose or use question beside it asks more.
    frozenset({"warnings", "interactions", "contraindications", "boxed_warning", "precautions",
               "patient_counseling", "adverse_reactions"}),
    "{name}'s label in the medicine database does not mention alcohol. Ask a pharmacist or doctor.",
    "数据库中{name}的说明书没有提到饮酒。请咨询药师或医生。",
    # Alcohols that are ingredients, not drinks; ethanol as a solvent ("readily soluble in ... ethanol").
    # (and alcohol taken with an overdose: "co-ingestants including alcohol")
    re.compile(r"\bco[-\u2010 ]?ingestants?\b[^.;]{0,40}|"
               r"\b(?:(?:in)?soluble|solubility)\b[^.;]{0,160}|\b(?:anhydrous|absolute)\s+(?:ethanol|alcohol)\b|"
               r"\b(?:benzyl|cetyl|stearyl|cetostearyl|cetearyl|polyvinyl|isopropyl|oleyl|myristyl|lauryl|"
               r"phenylethyl|phenethyl|lanolin|behenyl|denatured|dehydrated|diluted|wool|sd)\s+alcohols?\b", re.I),
)

PREGNANCY = SilentTopic(
    "pregnancy",
    re.compile(r"\bpregnan|\bexpecting (?:a baby|twins)\b|\btrying (?:to get pregnant|to conceive|for a baby)\b|"
               r"怀孕|孕妇|孕期|备孕|妊娠", re.I),
    re.compile(r"pregnan|\bfetus|\bfetal|\bfoetal|\bteratogen|\bembryo|\bbirth defects?\b|\bconception\b|"
               r"怀孕|孕妇|孕期|妊娠|胎儿", re.I),
    # A pregnancy question asks the pregnancy section (a dose question beside it asks more).
    frozenset({"pregnancy", "specific_populations"}),
    "{name}'s label in the medicine database says nothing about pregnancy. Ask a pharmacist or doctor before "
    "taking it.",
    "数据库中{name}的说明书没有提到孕期用药。用药前请咨询药师或医生。",
    own_section="pregnancy",
    quote_rest=True,
    astray=re.compile(r"\bpediatric|\bpaediatric|\bchild(?:ren)?\b|\binfants?\b|\bneonat|\badolescen|\bbreast[- ]?fe|"
                      r"\blactat|\bnursing\b|儿童|小儿|哺乳", re.I),
)

BREASTFEEDING = SilentTopic(
    "breastfeeding",
    re.compile(r"\bbreast[- ]?feed|\bbreast[- ]?fed\b|\bnursing (?:my|a|the|our) (?:baby|infant|newborn)|"
               r"\bi(?:'m| am) nursing\b|\blactat|哺乳|喂奶|母乳", re.I),
    # (not "infants" or "milk" alone: an infant's dose, "take with food or milk")
    re.compile(r"\bbreast[- ]?fe|\bnursing\b(?! homes?\b)|\blactat|\b(?:human|breast|mother's|maternal) milk\b|"
               r"\b(?:in|into) (?:the )?milk\b|\bmilk (?:of|levels?|concentrations?|production|supply)\b|"
               r"哺乳|乳汁|母乳", re.I),
    frozenset({"lactation", "specific_populations"}),
    "{name}'s label in the medicine database says nothing about breastfeeding. Ask a pharmacist or doctor "
    "before taking it.",
    "数据库中{name}的说明书没有提到哺乳期用药。用药前请咨询药师或医生。",
    own_section="lactation",
    quote_rest=True,
    astray=re.compile(r"\bpregnan|\bfetus|\bfetal|\bfoetal|\bin utero\b|\btrimester|\bcongenital|\babortion|"
                      r"\bmiscarr|\bpediatric|\bpaediatric|\bchild(?:ren)?\b|"
                      r"怀孕|孕妇|妊娠|儿童", re.I),
)

# Coffee asked of a medicine whose label never names caffeine ("can I have my morning coffee on levofloxacin?"):
# its interaction lines are about other medicines, and quoted they read as an answer about coffee.
CAFFEINE = SilentTopic(
    "caffeine",
    re.compile(r"\bcoffees?\b|\bcaffein|\bespressos?\b|\blattes?\b|\bcappuccinos?\b|\benergy drinks?\b|"
               r"\bred bull\b|咖啡", re.I),
    # what is drunk with it: "before the first food or drink of the day other than water", "on an empty stomach"
    re.compile(r"\bcaffein|\bcoffee\b|\bxanthine|\bbeverages?\b|\bother than (?:plain )?water\b|"
               r"\bplain water\b|\bempty stomach\b|咖啡|空腹", re.I),
    # (and the dosing: "Can he have a coffee before exams?" read as when to take it)
    frozenset({"interactions", "warnings", "contraindications", "boxed_warning", "precautions",
               "patient_counseling", "adverse_reactions", "dosage"}),
    "{name}'s label in the medicine database does not mention caffeine or coffee. Ask a pharmacist or doctor.",
    "数据库中{name}的说明书没有提到咖啡或咖啡因。请咨询药师或医生。",
    unless=re.compile(r"\bgrapefruit|\bjuices?\b|\bfoods?\b|\bdiet\b|\bvitamins?\b|\bvegetables?\b|\bgreens\b|"
                      r"\bdairy\b|\bmilk(?:y)?\b|\byog(?:h)?urts?\b|\bcheese\b|\bbreakfast\b|\bmeals?\b|\bsupplements?\b|\balcohol|\bbeers?\b|\bwine\b|"
                      r"\bsmok|\btea\b|饮食|食物|果汁|牛奶|酒|茶", re.I),
)

# "is it habit forming?", "can you get addicted to it?": a label without abuse or dependence text has no answer
# (its other warnings would read as one); withdrawal on stopping is another question.
DEPENDENCE = SilentTopic(
    "dependence",
    re.compile(r"\bhabit[- ]forming\b|\baddict|\bdependen(?:ce|cy|t on)\b|\bget hooked\b|\bhooked on\b|"
               r"成瘾|上瘾|依赖", re.I),
    re.compile(r"\babuse\b|\bdependence\b|\baddict|\bmisuse\b|\bhabit[- ]forming|\bdrug[- ]seeking|"
               r"\bcontrolled substance|成瘾|依赖", re.I),
    frozenset({"warnings", "boxed_warning", "precautions", "patient_counseling", "adverse_reactions",
               "contraindications", "interactions", "indications"}),
    "{name}'s label in the medicine database does not say whether it is habit-forming (it has no abuse or "
    "dependence text). Ask a pharmacist or doctor.",
    "数据库中{name}的说明书没有提到成瘾性或依赖性。请咨询药师或医生。",
)

# "I have knee surgery next week, do I stop my baby aspirin?": many labels (the OTC ones above all) say nothing
# of an operation or procedure ahead, and their dosing or reaction lines quoted would read as the answer. Only a
# procedure ahead asks it ("I had surgery last year" asks nothing of it).
_PROCEDURE = (r"\b(?:surgery|surgeries|surgeon|operation|op|procedure|colonoscopy|endoscopy|biopsy|"
              r"(?:hip|knee|shoulder) replacement|tooth (?:pulled|out|extraction)|teeth (?:pulled|out)|extraction|"
              r"dental (?:work|surgery|procedure)|(?:having|getting) (?:my|his|her|a|the) \w+ (?:out|removed)|"
              # "dentist wants to pull two back teeth"
              r"pull(?:ed|ing)? (?:out )?(?:\w+ ){0,3}(?:teeth|tooth))\b")
_AHEAD = (r"\b(?:before|ahead of|prior to|next|upcoming|coming up|scheduled|booked|tomorrow|soon|"
          r"on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|this (?:week|month|monday|tuesday|"
          r"wednesday|thursday|friday|saturday|sunday)|in (?:a|an|one|two|three|a few|\d+) (?:days?|weeks?|months?)|"
          r"(?:am|i'm|is|are|i'll be|will be|going to be) having|getting|going in for|due|need to stop|stop|hold|"
          r"pause|come off)\b")
SURGERY = SilentTopic(
    "surgery",
    # ("下个月要做胆囊手术，术前要禁食": the operation's name between, and 术前 on its own)
    re.compile(rf"^(?=.*{_PROCEDURE})(?=.*{_AHEAD})|(?:手术|拔牙|胃镜|肠镜)(?:前|之前)|术前|"
               # "胃镜肠镜约在下周，可能要切息肉"
               r"(?:胃镜|肠镜|切息肉)[^。？！?!]{0,12}(?:下周|下个月|明天|后天|约在|约了|预约)|"
               r"(?:下周|下个月|明天|后天|约在|约了|预约)[^。？！?!]{0,12}(?:胃镜|肠镜|切息肉)|"
               r"(?:要做|要动|准备做|做个)[^。？！，,?!]{0,6}(?:手术|胃镜|肠镜)|要拔牙", re.I | re.S),
    re.compile(r"\bsurg|\bprocedures?\b|\boperation\b|\bdental\b|\bdentists?\b|\bperioperative|"
               # a bisphosphonate's osteonecrosis of the jaw is what a tooth extraction asks of it
               r"\ban(?:a)?esthe|\bosteonecrosis of the jaw\b|手术|拔牙", re.I),
    frozenset({"warnings", "precautions", "contraindications", "boxed_warning", "patient_counseling",
               "interactions", "dosage", "adverse_reactions"}),
    "{name}'s label in the medicine database says nothing about surgery or procedures. Tell your surgeon or "
    "dentist that you take it, and ask them before you stop it.",
    "数据库中{name}的说明书没有提到手术或操作前如何用药。请告诉手术医生或牙医您在用这个药，停药前先问他们。",
    # its warnings (bleeding) still tell the surgeon something; its dosing lines would read as what to do
    quote_rest=True,
    astray=re.compile(r"\bdirections\b|\b(?:take|give|use) \d|\bevery \d+(?: to \d+)? hours\b|\bin 24 hours\b|"
                      r"\b(?:usual|recommended|initial|maximum|starting) (?:daily )?dos(?:e|age)\b|\bchildren under\b|"
                      r"\bkeep out of reach\b", re.I),
    # what the label says of a procedure ahead leads its other lines ("before any surgery or medical or dental
    # procedure", "Discontinue 5 days prior to elective surgery", a bisphosphonate's osteonecrosis of the jaw);
    # "gynecological surgical interventions" for uterine bleeding is no such line
    leads=re.compile(r"\b(?:before|prior to|ahead of|in advance of)\b[^.]{0,40}\b(?:surgery|surgical|procedures?|"
                     r"operations?|an(?:a)?esthesia|extractions?)\b|\b(?:surgery|procedures?)\b[^.]{0,30}\b(?:"
                     r"scheduled|planned|elective)\b|\belective surgery\b|\bperioperative|\bdental (?:procedures?|"
                     r"surgery|work)\b|\btooth extractions?\b|\bosteonecrosis of the jaw\b|手术前|拔牙|"
                     # "Some dental or surgical procedures may necessitate the interruption ... of warfarin"
                     r"\b(?:dental|surgical) or (?:dental|surgical) procedures?\b", re.I),
)

# "Can I just stop taking it?" of a label with no word on stopping (venlafaxine's stored label): its lines about
# discontinuing for another reason ("possibly discontinuing the medication, in patients whose depression is
# persistently worse") read as permission (helper 107's trial, session 12).
STOPPING = SilentTopic(
    "stopping",
    # stopping because they feel well or are done with it, not because of a reaction or a procedure (a label's
    # "discontinue at the first sign of rash" answers those)
    re.compile(r"^(?=.*(?:\b(?:feel|feeling|felt|doing|am|i'm)\s+(?:\w+\s+)?(?:fine|better|good|great|ok|okay|well|"
               r"normal)\b|\bbetter now\b|\b(?:don'?t|do not|no longer) (?:need|want)\b(?! to (?:stop|quit|come off))|"
               r"\bhad enough\b|\bfed up\b|"
               r"\bsick of (?:it|taking)\b|\bcold turkey\b|\bfor (?:a|one|two|\d+) (?:years?|months?)\b|"
               r"感觉好|好多了|好了|不想吃了|吃够了))"
               r"(?=.*(?:\b(?<!want to )(?:stop|quit|come off|get off|stopping|quitting)\b|停药|停掉|不吃了))",
               re.I | re.S),
    # (not "abrupt in onset")
    re.compile(r"\babrupt(?:ly)?\s+(?:discontinu|stop|withdraw|ceas|cessation|interrupt)|"
               r"\b(?:discontinu|stop|withdraw|ceas|interrupt)\w*\s+(?:\w+\s+){0,4}?abruptly\b|\btaper|"
               r"\bwithdrawal (?:symptoms|syndrome|reactions?|seizures|effects)|"
               r"\b(?:after|upon|on|following) (?:discontinuation|withdrawal|cessation|stopping)\b|"
               r"\bdiscontinuation (?:symptoms|syndrome|reactions?|effects)|\bprematur\w* discontinu|"
               r"\b(?:discontinu|stopp)\w*[^.]{0,60}\bincreases? (?:the )?risk\b|"
               r"\bgradual(?:ly)?\b[^.]{0,40}\b(?:reduc|decreas|discontinu|stop|withdraw)|"
               r"\b(?:reduc|decreas)\w*\b[^.]{0,40}\bgradual|"  # "reduce the dosage gradually over one to two weeks"
               r"\b(?:do not|don't|never) stop\b|\brebound\b|停药|减量", re.I),
    frozenset(),  # whatever section the question went to
    "{name}'s label in the medicine database says nothing about how to stop it (no tapering or withdrawal text). "
    "Do not stop it without asking your prescriber how.",
    "数据库中{name}的说明书没有说明如何停药（没有减量或停药反应的内容）。请先问开药的医生再停药。",
    # lines about stopping it for another reason would read as "yes, stop"
    astray=re.compile(r"\bdiscontinu|\bstop|\binterrupt|停", re.I),
    astray_safety=True,
    # stopping for a procedure ahead is the surgery topic's question
    unless=SURGERY.asks,
)

# "Son with CP will miss 3 days of baclofen, pharmacy out of stock", "she's had none for 3 days": days without it,
# which a label speaks of as abrupt withdrawal ("Hallucinations and seizures have occurred on abrupt withdrawal of
# baclofen"); its dose lines quoted bare would read as what to do.
_DAYS = r"(?:\d+|a few|a couple of|two|three|four|five|several|some) (?:whole )?days"
GOING_WITHOUT = SilentTopic(
    "going_without",
    re.compile(rf"\bmiss(?:ed|es|ing)? (?:out on )?{_DAYS}\b|\b(?:had|taken|given|got) none (?:of it )?for {_DAYS}\b|"
               rf"\b(?:without|no|none of) (?:it|them|her \w+|his \w+|my \w+|the \w+) for {_DAYS}\b|"
               r"\b(?:run|ran|running|runs) out\b(?! of (?:time|patience|ideas))|\bout of stock\b|"
               r"\bcan'?t get (?:hold of )?(?:it|them|any|more)\b(?! (?:down|to))|"
               r"断药|断了(?:几|两|三|\d)天|(?:几|两|三|四|五|\d)天(?:都|了)?(?:没有?|不肯|不愿意?)(?:吃|服|有药)|"
               r"药(?:吃完|用完|断货|缺货)了", re.I),
    # (not a newborn's withdrawal after the mother took it in pregnancy)
    re.compile(r"^(?![^.]*\b(?:neonat\w*|newborns?|in utero|infants?)\b).*?(?:" + STOPPING.speaks.pattern + ")",
               re.I | re.S),
    frozenset(),  # whatever section the question went to
    "{name}'s label in the medicine database says nothing about going without it for a few days (no withdrawal "
    "text). Ask a pharmacist about an emergency supply before the doses run out.",
    "数据库中{name}的说明书没有提到断药几天会怎样（没有停药反应的内容）。药快用完前请先问药师能否应急取药。",
    # "Can I just go straight back on 200 a day or do I have to start low again?": how to restart, which the
    # dosing section says ("restarting ... initial dosing recommendations"), not what going without does
    unless=re.compile(r"\b(?:go|going|get|getting|put \w+|start|starting) (?:straight |right )?back on\b|"
                      r"\b(?:go|going|get|getting) (?:straight |right )?back to (?:his|her|my|their|the) "
                      r"(?:normal|usual|old|full)\b|"
                      r"\brestart\w*|\bstart(?:ing)? (?:\w+ )?(?:low|again|over|from scratch)\b|"
                      r"\bpick (?:it )?up where\b|\bsame dose as before\b|重新(?:开始)?吃|从小剂量|"
                      # "can i give my 3 yr old half an advil? the kids one ran out": another product instead of
                      # the one run out, whose dose is asked
                      r"\b(?:the |my |his |her )?(?:kids'?|children'?s|child'?s|baby|infant|liquid|junior) (?:one|ones|"
                      r"version|syrup|stuff|bottle|medicine) (?:has |have )?(?:ran|run|running) out\b|\binstead\b",
                      re.I),
)

# "I take rosuvastatin. Can I drink grapefruit juice?": a label that never names grapefruit (rosuvastatin's, unlike
# simvastatin's) has no answer, and its dosing lines ("with or without food") read as one.
GRAPEFRUIT = SilentTopic(
    "grapefruit",
    re.compile(r"\bgrapefruits?\b|\bpomelos?\b|\bseville oranges?\b|西柚|葡萄柚|柚子", re.I),
    re.compile(r"\bgrapefruit|\bpomelo|\bseville orange|\bcitrus juices?\b|西柚|葡萄柚", re.I),
    frozenset({"interactions", "warnings", "contraindications", "boxed_warning", "precautions",
               "patient_counseling", "adverse_reactions", "dosage"}),
    "{name}'s label in the medicine database does not mention grapefruit. Ask a pharmacist or doctor.",
    "数据库中{name}的说明书没有提到西柚（葡萄柚）。请咨询药师或医生。",
    # another food or drink asked beside it: the question is read as usual
    unless=re.compile(r"\balcohol|\bbeers?\b|\bwine\b|\bcoffee|\bcaffein|\bmilk\b|\bdairy\b|"
                      r"\bgreens\b|\bvitamin|酒|咖啡|牛奶", re.I),
    # grapefruit juice inhibits CYP3A4 in the gut: a label's lines on what CYP3A inhibitors do to the medicine
    # (inhibitors, plural: not the medicine's own effect on the enzyme) answer as far as a label can
    instead=re.compile(r"\bCYP\s?3A\d?\b[^.;]{0,60}\binhibitors\b|\binhibitors\s+of\s+CYP\s?3A", re.I),
    instead_en="{name}'s label in the medicine database does not mention grapefruit. Grapefruit juice blocks the "
               "enzyme CYP3A4; what the label says of CYP3A inhibitors is quoted. Ask a pharmacist or doctor.",
    instead_zh="数据库中{name}的说明书没有提到西柚（葡萄柚）。西柚汁会抑制CYP3A4酶；以下引用说明书中关于CYP3A抑制剂的内容。"
               "请咨询药师或医生。",
)

# "Can I take my furosemide at night instead of the morning?": a label that never says when in the day (furosemide's
# does not) has no answer, and its dose lines quoted bare read as one. Only a question about the time of day asks it
# ("I take it in the morning. Can I drink?" asks nothing of it).
_DAY_TIME = (r"(?:at night|in the (?:morning|evening|afternoon)|at bed ?time|before (?:going to )?(?:bed|sleep)|"
             r"night ?time|mornings|evenings|nights|(?:morning|night|evening) (?:or|instead of|rather than) "
             r"(?:the )?(?:morning|night|evening)|time of (?:the )?day)")
TIME_OF_DAY = SilentTopic(
    "time_of_day",
    re.compile(rf"\b(?:can|could|should|shall|may|is it|would it|will it|does it|do i|do we|is there|which|what|"
               rf"when|better|best|ok|okay|fine|alright|matter|switch|move|change)\b[^.?!]{{0,60}}\b{_DAY_TIME}\b"
               rf"[^.!]{{0,40}}\?|\b{_DAY_TIME}\b[^.?!]{{0,30}}\b(?:better|best|instead|ok|okay|fine|matter)\b"
               r"[^.!]{0,20}\?|\bwhat time (?:of (?:the )?day )?(?:should|do|can|to|is best)\b|"
               r"\bbest time (?:of (?:the )?day )?to (?:take|give|have)\b|"
               # "night shift nurse ... I sleep during the day. When should I take it?"
               rf"(?s:^(?=.*\bwhen (?:should|do|can|shall|would) (?:i|we|he|she|they) (?:take|give|have)\b)"
               rf"(?=.*(?:\b{_DAY_TIME}\b|\bnight shifts?\b|\bshift work|\bsleep (?:in|during) the day\b|"
               r"\bdaytime\b)))|"
               r"(?:早上|早晨|白天|晚上|睡前|夜里)(?:吃|服|用)?(?:还是|或者?)(?:早上|早晨|白天|晚上|睡前|夜里)|"
               r"(?:能|可以|可不可以|能不能|要不要|应该|最好)(?:改(?:到|在|成)?|换(?:到|成)?)?(?:早上|早晨|晚上|睡前)(?:吃|服|用)|"
               r"什么时(?:候|间)(?:吃|服用?)(?:最好|比较好|好)|几点(?:吃|服)", re.I),
    # a line saying when in the day to take it (not "morning stiffness" or "waking at night")
    re.compile(r"\b(?:take|taken|taking|give|given|administer\w*|dose|dosed|dosing|doses|apply|applied|use|used|"
               r"swallow\w*)\b[^.;]{0,60}\b(?:in the (?:morning|evening|afternoon)|at (?:bed ?time|night)|bed ?time|"
               r"before (?:going to )?(?:bed|sleep|retiring)|same time (?:each|every|of) (?:the )?day|"
               r"(?:early|late) in the day|before \d+\s?(?:p\.?m|pm|o'clock)\b|upon (?:arising|waking)|"
               r"on (?:arising|waking))|\b(?:morning|evening|bed ?time|night ?time) (?:dose|dosing|administration)\b|"
               # "at 8 am and 2 pm", "one-half to one hour before breakfast", "with the evening meal"
               r"\bat \d{1,2}(?::\d\d)?\s?(?:a\.?m|p\.?m)\b|"
               r"\b(?:before|after|with|at) (?:breakfast|supper|the (?:evening|morning|first) meal)\b|"
               r"\btime of (?:the )?day\b|早晨|清晨|晨起|睡前|每晚|每日同一时间", re.I),
    # a time-of-day question asks how to take it; anything else beside it asks more
    frozenset({"dosage", "patient_counseling", "dosage_forms"}),
    "{name}'s label in the medicine database does not say what time of day to take it. Ask a pharmacist or "
    "doctor before you change the time.",
    "数据库中{name}的说明书没有说明一天中什么时间服用。改变服药时间前请咨询药师或医生。",
    # its dose lines still tell how much and how often
    quote_rest=True,
    unless=MISSED_DOSE.asks,
)
TIME_OF_DAY = replace(TIME_OF_DAY, leads=TIME_OF_DAY.speaks, leads_all=True)

# "Kindly advise whether the tablet of amlodipine is to be consumed before food or after food": a label that never
# speaks of food or meals (amlodipine's does not) has no answer, and its dose lines quoted bare read as one.
WITH_FOOD = SilentTopic(
    "with_food",
    re.compile(r"\b(?:with|without) (?:or without )?(?:food|meals?|eating)\b|"
               r"\b(?:before|after) (?:or (?:before|after) )?(?:the )?(?:food|meals?|eating|eat)\b|\bempty stomach\b|"
               r"\bfull stomach\b|\bafter (?:i|we|you) eat\b|"
               r"饭前|饭后|空腹|随餐|餐前|餐后|跟饭一起|和饭一起", re.I),
    re.compile(r"\bfood\b|\bmeals?\b|\bbreakfast\b|\bempty stomach\b|\bfasting\b|\bsupper\b|\beating\b|"
               r"饭前|饭后|空腹|餐|进食", re.I),
    frozenset({"dosage", "patient_counseling", "dosage_forms"}),
    "{name}'s label in the medicine database does not say whether to take it with or without food. Ask a pharmacist "
    "or doctor.",
    "数据库中{name}的说明书没有说明饭前还是饭后服用。请咨询药师或医生。",
    quote_rest=True,  # its dose lines still tell how much and how often
    unless=MISSED_DOSE.asks,
)
WITH_FOOD = replace(WITH_FOOD, leads=WITH_FOOD.speaks, leads_all=True)

TOPICS = (VOMITED_DOSE, GOING_WITHOUT, MISSED_DOSE, ALCOHOL, PREGNANCY, BREASTFEEDING, CAFFEINE, DEPENDENCE, SURGERY,
          STOPPING, GRAPEFRUIT, TIME_OF_DAY, WITH_FOOD)


def topics_asked(question: str) -> list[SilentTopic]:
    """The topics of TOPICS the asking turn is about (a dose brought back up is no dose missed: "吐了……要不要再买一盒
    补吃" asks what the label says of vomiting after a dose)."""
    asked = [t for t in TOPICS if t.asked(question)]
    # (nor is a dose taken twice: "she took another 2 because she couldn't remember ... skip her next dose?")
    return [t for t in asked if t is not MISSED_DOSE] if VOMITED_DOSE in asked or (
        MISSED_DOSE in asked and too_much_taken(question)) else asked


def silent_topic(topics: list[SilentTopic], attribute: str | None, sentences: list[str],
                 sections: frozenset[str] = frozenset()) -> SilentTopic | None:
    """The first asked topic the label (its `sentences`, from its `sections`) says nothing of, where the asked
    section stands for it. A label with the topic's own section speaks of it (a Chinese label's 孕妇用药 may say
    only 尚不明确)."""
    for topic in topics:
        if topic.own_section is not None and topic.own_section in sections:
            continue
        if (not topic.sections or (attribute or "") in topic.sections) and not topic.label_speaks(sentences):
            return topic
    return None


# "Do not double the dose": what a label says of a missed dose without the word ("take two to catch up?").
_DOUBLED = re.compile(r"\bdoubl(?:e|ing)\b(?:\s+\w+){0,2}\s+dos(?:e|es|ing)\b|\btwo doses at (?:the same|one|once)\b|"
                      r"\bmake up for (?:the |a )?(?:missed|forgotten)\b|加倍", re.I)


# What a procedure-ahead line gains: less than a missed dose's or a drink's (which are the whole question), as
# "any issue with just stopping Plavix before the extraction?" asks the risk of stopping as much as the surgery.
_PROCEDURE_LEAD_SHARE = 0.5


def lead_shift(topics: Iterable[SilentTopic], sentence: str, lead: float) -> float:
    """What a label sentence gains by speaking of the topic asked (speaks_to_asked): `lead`, half of it for a
    topic whose other lines are quoted too (a procedure ahead); 0 when it does not speak of it."""
    if not speaks_to_asked(topics, sentence):
        return 0.0
    return lead if any(t.leads_past for t in topics) else lead * _PROCEDURE_LEAD_SHARE


def speaks_to_asked(topics: Iterable[SilentTopic], sentence: str) -> bool:
    """Whether a label sentence speaks of a topic the asking turn is wholly about (a missed dose, alcohol: the
    topics that quote nothing else when the label is silent): such a sentence answers before the section's
    other lines ("Advise patients who miss a dose to take the next dose at the usual time" before the maximum;
    "Osteonecrosis of the Jaw has been reported" before alendronate's other warnings for a tooth extraction)."""
    for topic in topics:
        if topic.quote_rest and topic.leads is None:
            continue  # a pregnancy or breastfeeding question is read as usual
        text = topic.mentions.sub(" ", sentence) if topic.mentions is not None else sentence
        if topic.quote_rest and topic.leads is not None:
            if topic.leads.search(text) is not None:
                return True
        elif topic.speaks.search(text) is not None or (topic is MISSED_DOSE and _DOUBLED.search(text) is not None):
            return True
    return False


def asks_missed_dose(question: str) -> bool:
    """Whether the asking turn is about a missed or forgotten dose."""
    return MISSED_DOSE.asked(question)


def label_speaks_of_missed(sentences: Iterable[str]) -> bool:
    """Whether any of a label's sentences speaks of a missed dose."""
    return MISSED_DOSE.label_speaks(sentences)


def silent_notice(name: str, language: phrases.Language) -> str:
    """The notice for a label that says nothing about a missed dose."""
    return MISSED_DOSE.notice(name, language)
