"""What the extractive reader knows about questions and label sentences besides their words.

- `conditions_in`: the conditions and populations the user states ("I have asthma", "for a 4 year old",
  "can I stop it?", "what foods should I avoid?": diet), each with the words label sentences use for it and the
  sections that speak of it;
- `question_expansions`: the label's words for a patient's ("drowsy" -> somnolence, "stop" -> cessation,
  "look like" -> debossed), so a sentence that answers in label language is found;
- `key_sentence`: the shape of the sentence a section is usually asked for ("The recommended starting dose
  is ...", "The most common adverse reactions are ...", a boxed warning's risk); `noise_penalty`: shapes a
  patient cannot use (flattened table rows, trial designs, sentences about tables or pointing at a list they do
  not give); `fragment`: names or a heading alone;
- `own_medicines`: which medicines the asking turn names as already taken ("I take X, can I take Y?", "is Y
  ok with my X?"), so the one asked about answers first;
- `overdose_fit`, `animal_penalty`: for "I took two by mistake", what happens in people and what to do, not
  the titration or the lethal dose in mice; `age_ranges`, `for_other_ages`: the dosing line for a child's age.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.pipeline import zh_glossary
from app.pipeline.denied_conditions import without_denials
from app.pipeline.spoken_numbers import spoken_numbers
from app.pipeline.zh_conditions import english_condition_words
from indexing.text import tokenize
from indexing.vocabulary import has_cjk

# Words of a question that say nothing about which sentence answers it.
QUESTION_NOISE = frozenset(tokenize(
    "take taking took can could safe safety okay ok fine use using used doctor prescribe prescribed want wants "
    "tell know need question medicine medication drug drugs pill pills tablet tablets mg please help thanks "
    # (how the teller frames it: "she thinks it's just a sleeping tablet" shares no word with "impair thinking")
    "think thinks thought reckon says said "
    # (how the asker judges it: "is that normal with these?", "haven't been to the loo properly" share nothing with
    # "proper dosing and titration")
    "normal properly"))


# An operation as people say it: "hernia repair booked", "my knee op", "gallbladder out on Thursday", "a bypass"
_OPERATION_SAID = (r"\b(?:hernia|carpal tunnel|cataract|bunion|gallbladder|appendix|knee|hip|shoulder|back|heart|"
                   r"bowel|eye|keyhole|bypass) (?:repair|op|operation|surgery|removal|out|removed|replacement)\b|"
                   r"\b(?:my|his|her|the|an) op\b|\bpre-?op\b|\b(?:a|the|his|her) bypass\b|\bcabg\b|"
                   r"\bunder (?:a )?(?:general )?ana?esthetic\b")

@dataclass(frozen=True, slots=True)
class Condition:
    name: str
    terms: frozenset[str]
    sections: tuple[str, ...]
    ages: tuple[int, ...] = ()  # a child's stated age in years ("for my 4-year-old")
    whole: bool = False  # a sentence names it only with every one of its terms ("addison" for "Addison's disease")
    # the label's words for it that name it only together ("heart failure": neither word alone)
    phrases: tuple[frozenset[str], ...] = ()

    def named_in(self, tokens: frozenset[str]) -> bool:
        if self.whole:
            return self.terms <= tokens
        return bool(self.terms & tokens) or any(p <= tokens for p in self.phrases)


_TOO_MUCH = re.compile(
    # ("Is 10mg too much for someone her age?": whether a dose suits, not too much taken)
    r"\boverdos|\btoo (?:much|many)\b(?! for (?:someone|somebody|a |an |her|him|his|my|me|them|people|older|elderly|"
    r"kids?|children|a child|a baby))|\btwo doses\b|"
    # (not asked before any was taken: "can i double up on day 1 when its worst?")
    r"(?<!can i )(?<!could i )(?<!should i )(?<!can she )(?<!can he )(?<!can we )(?<!can i just )"
    r"\bdouble[ds]? (?:dose|up|dosed)|"
    r"\bextra (?:dose|pill|tablet|capsule)s?\b|\baccidental(?:ly)? (?:took|taken|swallowed|ingest|gave)|"
    # "more than the box says", "more than directed": the OTC labels' "taking more than directed"
    r"\bmore than (?:the box|the label|the packet|the pack|the leaflet|directed|recommended|it says)\b|"
    r"\b(?:took|taken|swallowed|gave|given)\s+(?:him |her |them )?"
    r"(?:two|2|three|3|four|4|an extra|extra|a double|double|twice)\b|"
    # "I think I took my apixaban twice this morning by mistake" (not "took my metformin twice today", its dose)
    r"\b(?:took|taken|gave|given)\s+(?:my|his|her|their|the)\s+(?:[\w'-]+\s+){0,2}?(?:twice|double)\b"
    r"(?=.*\b(?:by mistake|by accident|accidentally|mistakenly|already|"
    r"forgot (?:that )?(?:i|he|she|they|we)(?:'d|'ve| had| have| already)|"
    r"forgot,?\s+(?:and\s+|then\s+)*(?:took|had)\s+(?:another|a second|it again|one more))\b)", re.I)
# (name, pattern over what the user said, words label sentences use for it, sections that speak about it).
_CONDITIONS: tuple[tuple[str, re.Pattern[str], str, tuple[str, ...]], ...] = (
    ("asthma", re.compile(r"\basthma|\bcopd\b|bronch", re.I), "asthma asthmatic bronchospasm bronchospastic bronchial",
     ("contraindications", "warnings")),
    # (not a pregnancy before: "I was on Yaz before I got pregnant")
    ("pregnancy", re.compile(r"(?<!before i got )(?<!before i was )(?<!before she got )(?<!before she was )"
                             r"(?<!before i became )(?<!before getting )(?<!before being )"
                             r"\bpregnan|expecting a baby|trying to conceive|\btrying for a (?:baby|child)\b|"
                             # "Just found out I'm expecting, maybe 7 weeks along"
                             r"\b(?:i'?m|i am|she'?s|she is|we'?re|we are) expecting\b(?!\s+(?:a |an |to |it\b|that\b|"
                             r"them\b|him\b|her\b|some|my|the))|\b\d{1,2} weeks along\b|"
                             r"\b(?:get|getting|become|becoming) pregnant|"
                             # "me and my partner want a baby next year", "planning a family" (not "I'm not planning a
                             # baby")
                             r"(?<!not )(?<!n't )(?<!never )\b(?:want|wants|wanting|planning|plan|would (?:really )?"
                             r"(?:like|love)|'d (?:really )?(?:like|love)|hoping for|hope to have) (?:a|another|to "
                             r"have a|to have another|to try for a) (?:baby|child|family)\b|"
                             r"\b(?:starting|start) a family\b|"
                             # "My period is 10 days late and the test is positive"
                             r"\bpositive (?:pregnancy )?test\b|\b(?:pregnancy )?test (?:is|was|came back|came up) "
                             r"positive\b", re.I),
     "pregnancy pregnant fetal fetus", ("pregnancy", "boxed_warning", "warnings", "specific_populations")),
    ("breastfeeding", re.compile(r"breast ?feed|breast-?feeding|nursing(?! (?:home|facility|staff))|lactat|"
                                 r"breast milk", re.I),
     # (older labels say it in their pharmacokinetics: "Metronidazole appears in ... breast milk")
     "lactation breastfeeding breastfeed breastfed nursing milk",
     ("lactation", "specific_populations", "warnings", "pharmacology")),
    # (a kidney stone is no kidney disease: "for my kidney stone pain" states no renal impairment)
    # (a clinician's "CKD 3", "CrCl 40", "eGFR 35" too)
    # (nor a transplant: "I'm on mycophenolate after my liver transplant" states no impairment)
    ("kidney", re.compile(r"\bkidney(?!\s+(?:stones?|transplant)\b)|\brenal\b(?!\s+(?:colic|calcul|transplant))|"
                          r"dialysis|\bckd\b|\bcr ?cl\b|"
                          r"\bcreatinine clearance\b|\be?gfr\b", re.I),
     "renal kidney creatinine dialysis",
     ("warnings", "dosage", "specific_populations", "contraindications")),
    ("liver", re.compile(r"\bliver\b(?!\s+transplant)|hepat(?!ic transplant)|cirrho", re.I), "hepatic liver cirrhosis",
     ("warnings", "dosage", "specific_populations", "contraindications")),
    # "I'm 38 and I smoke about ten a day. Can I go on Yaz?": the combined pill's boxed warning names smokers
    ("smoking", re.compile(r"\bi (?:still )?smoke\b|\b(?:a |heavy |current )?smoker\b|\bcigarettes?\b|"
                           r"\b(?:and|also|but) (?:still )?smokes? (?:about |around |like |maybe )?(?:\d+|a|ten|five|"
                           r"twenty|half|a few|few)\b|"
                           r"\b(?:he|she|they) smokes?\b|吸烟|抽烟", re.I),
     "smoking smoke smokers cigarette cigarettes", ("boxed_warning", "contraindications", "warnings")),
    ("child", re.compile(r"\b\d{1,2}[- ](?:year|yr|month)s?[- ]old\b|\bchild(?!bearing|[- ]pugh)|\bkids?\b|"
                         # (not a baby wished for: "me and my partner want a baby next year")
                         r"(?<!want a )(?<!wants a )(?<!for a )(?<!having a )(?<!planning a )(?<!another )"
                         r"\bbaby\b(?! aspirin)(?! next| soon| one day| someday)|\binfant|\btoddler|"
                         r"\bmy (?:son|daughter|lad|lass|grandson|granddaughter)\b|\bpediatric|\bpaediatric|"
                         r"\bmy (?:little|youngest|baby) (?:girl|boy|one)\b|\blittle (?:one|girl|boy)\b", re.I),
     "pediatric children child infants weight kg", ("pediatric", "dosage")),
    ("adult", re.compile(r"\badults?\b|\bgrown[- ]ups?\b", re.I), "adult adults", ("dosage",)),
    # Labels dose some medicines by sex ("5 mg for women"); "woman" and "women" stem apart.
    ("women", re.compile(r"\bwom[ae]n\b|\bfemales?\b|\bmy wife\b", re.I), "women woman female females",
     ("dosage",)),
    # Heart conditions in a patient's words and in the label's, which contraindications name.
    ("coronary", re.compile(r"\bcoronary|\bheart attack|\bangina|\bmyocardial|\bheart disease|\bischemi|"
                            r"\bischaemi", re.I),
     "coronary ischemic ischemia myocardial infarction angina", ("contraindications", "warnings")),
    ("bradycardia", re.compile(r"\bslow(?:ing|s|ed)? (?:(?:his|her|my|the|their) )?(?:heart|pulse)|\bbradycard|"
                               r"\bheart block|\bav block|\batrioventricular block|\bsick sinus|"
                               r"\b(?:heart ?rate|pulse) (?:is |was |of |around |about |only |just |down to )*"
                               r"(?:[2-4]\d|5[0-5])\b|\b(?:pulse|heart ?(?:rate|beat)) (?:is |was |has been |gets? )?"
                               r"(?:so |really |very |too )?(?:slow|low)\b", re.I),
     "bradycardia heart block sinus atrioventricular av", ("contraindications", "warnings")),
    # Conditions contraindications name in the label's words, said in a patient's or a clinician's.
    ("heart_failure", re.compile(r"\bheart failure|\bcardiac failure|\bchf\b|\bnyha\b", re.I),
     "nyha decompensated", ("contraindications", "boxed_warning", "warnings")),
    ("thrombosis", re.compile(r"\bblood clots?\b|\bdvt\b|\bdeep vein|\bthrombo|\bpulmonary embol|\bembolism",
                              re.I),
     "thrombosis thromboembolic thromboembolism embolism", ("contraindications", "boxed_warning", "warnings")),
    ("hyperkalemia", re.compile(r"\bhigh potassium|\bpotassium (?:is |was |level )*(?:high|raised|elevated)|"
                                r"\bhyperkal", re.I),
     "hyperkalemia", ("contraindications", "warnings")),
    ("glaucoma", re.compile(r"\bglaucoma", re.I), "glaucoma angle-closure narrow-angle intraocular",
     ("contraindications", "warnings")),
    # More conditions contraindications and warnings name in their own words: a stroke -> cerebrovascular, low blood
    # pressure -> hypotension, an irregular heartbeat -> arrhythmia / QT, a bleeding disorder -> hemorrhagic.
    ("cerebrovascular", re.compile(r"\bstroke\b|\bmini[- ]?strokes?\b|\btia\b|\btransient ischa?emic|"
                                   r"\bcerebrovascular", re.I),
     "stroke cerebrovascular", ("contraindications", "boxed_warning", "warnings")),
    # "I'm on amlodipine for blood pressure. Ok with Sudafed?": OTC labels' "ask a doctor before use if you have ...
    # high blood pressure"
    ("hypertension", re.compile(r"\bhigh blood pressure|\bhypertensi|\bhigh bp\b|\b(?:for|with) (?:my |his |her |"
                                r"their )?(?:high )?(?:blood pressure|bp)\b|\bblood pressure (?:is |runs |goes |gets )*"
                                r"(?:high|up|raised)", re.I),
     "hypertension", ("warnings", "contraindications")),
    ("hypotension", re.compile(r"\blow blood pressure|\bhypotensi|\bblood pressure (?:is |runs |goes |gets )*"
                               r"(?:low|drops)", re.I), "hypotension", ("contraindications", "warnings")),
    ("arrhythmia", re.compile(r"\birregular (?:heart ?beat|heart rhythm|rhythm|pulse)|\barrhythmi|\blong qt\b|"
                              r"\bqt (?:prolongation|syndrome)|\bprolonged qt", re.I),
     "arrhythmia arrhythmias qt torsade", ("contraindications", "boxed_warning", "warnings")),
    ("bleeding_disorder", re.compile(r"\bbleeding (?:disorder|problem|tendenc)|\bclotting (?:disorder|problem)|"
                                     r"\bha?emophilia|\bbleed (?:very )?easily|\bvon willebrand", re.I),
     "hemorrhagic coagulation hemophilia dyscrasias", ("contraindications", "boxed_warning", "warnings")),
    ("hyperthyroidism", re.compile(r"\boveractive thyroid|\bhyperthyroid|\bgraves'? disease|\bthyrotoxic", re.I),
     "hyperthyroidism thyrotoxicosis", ("contraindications", "boxed_warning", "warnings")),
    # Bisphosphonates' "inability to stand or sit upright for at least 30 minutes".
    ("upright", re.compile(r"\bsit (?:up|upright)|\bstand (?:up|upright)|\bbed[- ]?(?:bound|ridden)|"
                           r"\b(?:can'?t|cannot|unable to) (?:sit|stand)", re.I),
     "upright", ("contraindications", "warnings")),
    # Conditions in a patient's words that contraindications and warnings name in their own: "allergic to sulfa"
    # -> sulfonamides, "I had a stomach ulcer" -> peptic ulcer, "enlarged prostate" -> urinary retention.
    ("sulfa", re.compile(r"\bsulf?pha\b|\bsulfa\b|\bsul(?:f|ph)onamide", re.I), "sulfonamide sulfonamides",
     ("contraindications", "warnings")),
    ("ulcer", re.compile(r"\b(?:stomach|peptic|gastric|duodenal|bleeding) ulcers?\b|\bulcers? in (?:my|the) "
                         r"(?:stomach|gut)|\b(?:stomach|gi|gut|intestinal) bleed", re.I),
     "peptic gastrointestinal", ("contraindications", "boxed_warning", "warnings")),  # not "gingival ulcer"
    # (an enlarged prostate, not "finasteride for my prostate": the indication is no contraindication)
    ("prostate", re.compile(r"\b(?:enlarged|big|swollen) prostate\b|\bprostate (?:is )?enlarged|\bbph\b|"
                            r"\btrouble (?:urinating|peeing)|\burinary retention|"
                            r"\b(?:can'?t|cannot|hard to) (?:pee|urinate)", re.I),
     "prostate prostatic urinary retention urinating", ("contraindications", "warnings")),
    # a raised PSA or a prostate biopsy: the labels' known or suspected prostate cancer (testosterone's
    # contraindication, the 5-alpha reductase inhibitors' PSA lines)
    ("prostate_cancer", re.compile(r"\bpsa\b|\bprostate (?:cancer|biopsy|tumou?r)\b|\bprostate[- ]specific antigen\b|"
                                   r"前列腺癌|前列腺特异性抗原", re.I),
     "prostate cancer carcinoma PSA antigen suspected", ("contraindications", "warnings")),
    # "I'm diabetic", "my blood sugar runs high": labels speak of it as carbohydrate tolerance, hyperglycemia and
    # the insulin needs of diabetics (corticosteroids, thiazides, fluoroquinolones).
    ("diabetes", re.compile(r"\bdiabet|\bprediabet|\bblood sugars?\b|\bsugar levels?\b|\bhyperglyc", re.I),
     "diabetes diabetic diabetics mellitus hyperglycemia carbohydrate",
     ("warnings", "contraindications", "boxed_warning", "adverse_reactions")),
    ("dementia", re.compile(r"\bdementia|\balzheimer", re.I), "dementia dementia-related",
     ("boxed_warning", "warnings", "contraindications")),
    ("seizures", re.compile(r"\bseizures?\b|\bepilep|\bconvulsion", re.I),
     "seizure seizures epilepsy convulsions", ("contraindications", "warnings")),
    ("maoi", re.compile(r"\bmaois?\b|\bmonoamine oxidase|\bphenelzine|\btranylcypromine|\bselegiline|"
                        r"\bisocarboxazid|\brasagiline", re.I),
     "maoi maois monoamine oxidase", ("contraindications", "interactions", "warnings")),
    # "I'm Chinese, 52", "my wife is Korean": the labels' lines for Asian patients (a statin's 5 mg start, the
    # HLA-B*1502 risk of carbamazepine); not a cuisine, a shop or a herbal medicine
    ("asian", re.compile(r"\b(?:east |south |southeast )?asians?\b(?! (?:supermarket|shop|store|food|restaurant|"
                         r"market|takeaway|grocer))|"
                         r"\b(?:i'?m|i am|he'?s|he is|she'?s|she is|we'?re|we are|they'?re|they are|(?:my|our) "
                         r"(?:\w+ )?(?:is|are))\s+(?:\w+\s+)?(?:chinese|japanese|korean|vietnamese|filipin[ao]|thai|"
                         r"taiwanese|malaysian|indonesian|han chinese)\b(?! (?:medicine|herb|herbal|tea|food))|"
                         r"华人|亚洲人|华裔|我是中国人|我们中国人", re.I),
     "asian asians", ("dosage", "warnings")),
    # (the labels' geriatric use begins at 65: "I'm 61" is no older adult)
    ("elderly", re.compile(r"\b(?:6[5-9]|[7-9]\d|1[01]\d)[- ]years?[- ]old|\belderly\b|\bolder adult|\bgeriatric|"
                           r"\bi am (?:6[5-9]|[7-9]\d)\b|"
                           # "Dad is 86", "she's 91", "aged 70" (not "his pulse is 60")
                           r"\b(?:(?:he|she|i|dad|mum|mom|father|mother|gran|granny|grandma|grandpa|grandad|nan|nana|"
                           r"husband|wife|patient|pt)(?:'s| is|'m| am)|turned|aged?) (?:6[5-9]|[7-9]\d|10\d)\b"
                           r"(?! ?(?:mg|mcg|kg|lbs?|g|ml|%|weeks?|days?|months?|hours?|units?|mmol|years? ago|times))|"
                           r"\bin (?:his|her|their|my) (?:[6-9]0'?s|sixties|seventies|eighties|nineties)\b|"
                           r"\b(?:6[5-9]|[7-9]\d|10\d) ?(?:[mf]|yo|y/o)\b|"
                           # an age dictated in words: "my mum is eighty three", "he's ninety", "she turned seventy"
                           r"\b(?:(?:he|she|i|dad|mum|mom|father|mother|gran|granny|grandma|grandpa|grandad|"
                           r"granddad|nan|nana|husband|wife)(?:'s| is|'m| am)|turned|aged?) "
                           r"(?:sixty|seventy|eighty|ninety|a hundred)"
                           r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?\b"
                           r"(?! (?:mg|milligrams?|kilos?|kg|pounds|percent|times|minutes|days|weeks|months|years ago))"
                           r"|"
                           # "for someone her age", "the usual for older people"
                           r"\b(?:someone|somebody|a person|people) (?:of )?(?:her|his|their|my) age\b|"
                           r"\bolder (?:people|person|patients|folk)\b", re.I),
     "geriatric elderly older", ("geriatric", "dosage")),
    # Conditions contraindications name in words a patient also uses: an eating disorder (bupropion's seizure
    # risk), a tonsillectomy (codeine and tramadol in children).
    ("eating_disorder", re.compile(r"\banorexi|\bbulimi|\beating disorder", re.I), "anorexia bulimia",
     ("contraindications", "warnings")),
    ("tonsillectomy", re.compile(r"\btonsils?\b|\btonsillectomy|\badenoid", re.I), "tonsillectomy adenoidectomy",
     ("contraindications", "boxed_warning", "warnings")),
    # A procedure ahead: labels say what to do about imaging with iodinated contrast and about surgery.
    ("procedure", re.compile(r"\bcontrast\b|\b(?:x-ray )?dye\b|\b(?:ct|cat) scan|\bangiogra|\bsurgery\b|"
                             r"\boperation\b|\bcolonoscopy|\bendoscopy|\bdental (?:work|surgery|extraction)|"
                             r"\btooth (?:pulled|out|extraction)|\bwisdom teeth|\b(?:hip|knee) replacement|"
                             rf"{_OPERATION_SAID}|"
                             r"\blaid up\b|\bbed ?rest\b|\bbed[- ]?bound\b|\bimmobil|"
                             r"手术|术前|开刀|拔牙|胃镜|肠镜|造影|全麻|卧床", re.I),
     "surgery surgical procedure procedures iodinated contrast imaging radiologic immobilization",
     ("warnings", "dosage", "contraindications", "boxed_warning")),
    ("driving", re.compile(r"\bdrive\b|\bdriving\b|\bdrivers?\b|\b(?:at|behind) the wheel\b|operate machinery|"
                           r"\bmachinery\b|\blathe\b|\bfork-?lift|\bcranes?\b|\bdiggers?\b|\bexcavators?\b|"
                           r"\bchainsaws?\b|\bpower tools?\b", re.I),
     "driving drive machinery operate somnolence dizziness drowsiness", ("warnings", "patient_counseling")),
    ("alcohol", re.compile(r"\balcohol|\bdrink(?:ing)?\b|\bbeer\b|\bwine\b", re.I), "alcohol ethanol",
     ("warnings", "interactions", "contraindications")),
    # What to eat or drink (not when to take it): the words labels use for diet and for what in it interacts
    # (vitamin K content, grapefruit juice) and the herbal products they group with it; alcohol has its own.
    ("diet", re.compile(r"\bfoods\b|\bdiet(?:ary|s)?\b|\b(?:eat|eating|eats|ate)\b|\bgrapefruit|\bjuices?\b|"
                        r"\bvegetables?\b|\bgreens\b|\bsalads?\b|\bvitamins?\b|\bsupplements?\b|\bherbal\b|"
                        r"\bcaffeine|\bcoffee\b|\bwhat (?:can|should) i drink", re.I),
     "food foods diet dietary vitamin grapefruit juice botanical herbal supplements caffeine tyramine cheeses",
     ("interactions", "warnings", "boxed_warning", "patient_counseling", "dosage")),
    # Too much taken: what happens in people and what to do (overdosage), and the patient information's
    # word on a doubled dose ("do not take two doses at the same time").
    ("overdose", _TOO_MUCH, "overdosage overdose symptoms poison emergency medical attention missed doses directed",
     ("overdosage", "patient_counseling")),
    # Stopping a medicine: labels warn about abrupt cessation (beta blockers, anticonvulsants, steroids).
    # ("do antibiotics stop the pill working?" asks whether it still works, not about stopping a medicine)
    # (not "stop feeding her": the breastfeeding, not the medicine)
    # (not giving up smoking or drinking, and the bare "does stopping change anything?" said of it)
    # (nor "I'm breastfeeding and really don't want to stop.": the feeding is what would stop)
    ("stopping", re.compile(r"^(?!.*\b(?:stop\w*|quit\w*|giv\w+ up|gave up)\s+(?:the\s+)?(?:smoking|cigarettes|cigs|"
                            r"fags|tobacco|vaping|drinking|alcohol)\b)"
                            r"(?!.*\b(?:breast ?feed\w*|breast-feed\w*|nursing|feeding)\b[^.?!]{0,60}\bstop\s*[.?!,])"
                            r"(?:.*?)(?:"
                            # (not "periods stopped last year": the menopause)
                            r"(?<!periods )(?<!period )(?<!periods have )(?<!periods had )(?<!periods all )"
                            r"\bstop(?:ping|ped)?\b(?!(?:\s+[\w']+){0,3}\s+(?:from )?working\b)"
                            r"(?!\s+(?:breast ?)?(?:feeding|nursing|pumping)\b)"
                            # (no medicine stopped: "I can't stop thinking about it", "won't stop crying")
                            r"(?!\s+(?:thinking|worrying|crying|shaking|itching|scratching|coughing|sneezing|"
                            r"talking|laughing|eating|sleeping|panicking)\b)|\bquit(?:ting)?\b|"
                            r"\bcome off\b|\bcoming off\b|\bdiscontinu|\btaper|\bwean|"
                            # "I've run out of baclofen ... ok to just go without till Monday?"
                            r"\b(?:run|ran|running) out\b|\b(?:go|going|do|doing|manage) without\b|"
                            # "a rash three weeks in, do I wait and see?": whether to stop now
                            r"\bwait and see\b|\bwait it out\b)", re.I | re.S),
     "abrupt abruptly cessation discontinuation discontinuing withdrawal taper tapering gradually",
     ("boxed_warning", "warnings", "dosage")),
)
_AGE = re.compile(r"\b(\d{1,2})(?:[- ](?:year|yr)s?[- ]old| ?(?:yo|y/o))\b|\bi(?:'m| am) (\d{2})\b"
                  r"(?! ?(?:weeks?|wks?|days?|months?|mg|mcg|kg|lbs?|pounds|%))", re.I)  # not "I'm 32 weeks pregnant"
# An age said as "she is 15", "he's 9", "aged 70", "turned 16" (not "is 15 mg", "is 20 weeks").
_AGE_SAID = re.compile(r"\b(?:is|she's|he's|turned|aged?) (\d{1,2})\b"
                       r"(?! ?(?:mg|mcg|kg|lbs?|g|ml|%|weeks?|days?|months?|hours?|units?|mmol|years? ago))", re.I)
_CHILD_WORD = re.compile(r"\bchild(?!bearing|[- ]pugh)|\bkid|\bbaby(?! aspirin)|\binfant|\btoddler|"
                         r"\bmy (?:son|daughter|lad|lass|boys|girls|grandson|granddaughter)\b|"
                         r"\blittle (?:one|girl|boy)\b", re.I)
# A child's age said of the child: "my little girl is 4", "she's 4" (beside a child word), not "the dose is 4".
_AGE_WORDS = {w: n for n, w in enumerate("one two three four five six seven eight nine ten eleven twelve thirteen "
                                          "fourteen fifteen sixteen seventeen".split(), 1)}
_CHILD_AGE_SAID = re.compile(r"\b(?:girl|boy|son|daughter|child|kid|one|she|he)(?:'s| is)(?: actually| really)?"
                             r"(?: only| just| now)? "
                             rf"(\d{{1,2}}|{'|'.join(_AGE_WORDS)})\b"
                             r"(?! ?(?:mg|mcg|kg|lbs?|g|ml|%|weeks?|days?|months?|hours?|units?|mmol|years? ago|"
                             r"times|of\b|o'clock|milligrams?|pills?|tablets?))",
                             re.I)
# Conditions whose matching warnings come first whatever was asked (the others steer the ranking only).
SAFETY_CONDITIONS = frozenset({"asthma", "pregnancy", "stopping"})
# Conditions that are not about the patient's health: a contraindication naming them is not "theirs".
NOT_HEALTH = frozenset({"driving", "child", "adult", "elderly", "stopping", "women", "overdose", "diet", "procedure"})


# Conditions that may be what the medicine treats ("Singulair for his asthma"): populations and situations are not.
_NOT_TREATED = NOT_HEALTH | {"pregnancy", "breastfeeding", "kidney", "liver"}


# A line on stopping for another reason ("If lactic acidosis is suspected, discontinue ..."): no answer to whether to
# stop it now, which the stopping condition puts first.
_STOP_IF_EVENT = re.compile(r"\bif\b[^.;]{0,80}?\b(?:is |are )?(?:suspected|occurs?|develops?|appears?|is present|"
                            r"signs|symptoms|warrants?|(?:is |are )?noted|observed|persists?|worsens?)\b|"
                            # "Use of the product should be discontinued if hypersensitivity ... is noted"
                            r"\bdiscontinued? (?:use )?if\b|"
                            # "Monitor for the development of infection and consider ... withdrawal", "patients ...
                            # who develop systemic fungal infections, ... withdrawal ... is recommended"
                            r"\b(?:monitor for the development of|who (?:develop|experience)s?)\b", re.I)


def stops_for_an_event(text: str) -> bool:
    return _STOP_IF_EVENT.search(text) is not None


def untreated(conditions: list[Condition], indication_tokens: frozenset[str]) -> list[Condition]:
    """The stated conditions less those the medicine's indications name: for montelukast, "asthma" is what it
    treats, and its asthma lines are no safety item ahead of the effect the parent asks about."""
    return [c for c in conditions if c.name in _NOT_TREATED or not c.named_in(indication_tokens)]


# ("今天发现怀孕了……会不会对宝宝有影响": the unborn baby too)
_UNBORN = re.compile(r"\bpregnan|\bexpecting\b|\bweeks along\b|\btrimester\b|怀孕|怀上|孕期|孕妇|孕早期|孕中期|孕晚期|"
                     r"孕\d+周|备孕", re.I)
_BORN_CHILD = re.compile(r"\b(?:kids?|toddler|infant|newborn|my (?:son|daughter)|child(?!bearing|[- ]pugh)|children|"
                         r"breast ?feed\w*|nursing)\b|\b\d{1,2}[- ](?:year|yr|month)s?[- ]old\b|"
                         r"\d+\s*(?:岁|个月大?)|哺乳|喂奶|母乳|儿子|女儿|小孩", re.I)
_WEEKS_PREGNANT = re.compile(r"\b(\d{1,2})\s*(?:weeks?|wks?)\s*(?:pregnant|along|gestation)|\b(first|second|third|1st|"
                             r"2nd|3rd) trimester\b|孕(\d{1,2})周|怀孕(\d{1,2})周", re.I)
_TRIMESTER_WORDS = {"1st": "first", "2nd": "second", "3rd": "third"}


def _trimester(text: str) -> str | None:
    """The trimester a pregnancy said in weeks is in ("32 weeks pregnant" -> "third"), or the one said."""
    found = _WEEKS_PREGNANT.search(text)
    if found is None:
        return None
    if found.group(2):
        said = found.group(2).casefold()
        return _TRIMESTER_WORDS.get(said, said)
    weeks = int(found.group(1) or found.group(3) or found.group(4))
    return "first" if weeks < 14 else "second" if weeks < 28 else "third"


# Conditions labels name in words that say it only together (neither "heart" nor "failure" alone).
_PHRASES: dict[str, tuple[str, ...]] = {
    "heart_failure": ("heart failure", "cardiac failure"),
    # "blood pressure" together: neither "high" ("high doses") nor "blood" ("blood clots") alone says it
    "hypertension": ("blood pressure",),
}


def overdose_condition() -> Condition:
    """The overdose condition as conditions_in finds it, for a turn read for its overdosage section whose words
    do not say "overdose" ("He's just taken another one ... forgot he'd already had it")."""
    name, _, words, sections = next(c for c in _CONDITIONS if c[0] == "overdose")
    return Condition(name, frozenset(tokenize(words)), sections)


def conditions_in(dialogue_text: str) -> list[Condition]:
    """The conditions and populations the user states ("I have asthma", "for a 4 year old"; in Chinese too)."""
    dialogue_text = without_denials(spoken_numbers(dialogue_text))  # "she's three years old", dictated
    said = dialogue_text  # (before the English words for Chinese ones: 宝宝 comes as "infant")
    if has_cjk(dialogue_text):
        dialogue_text = f"{dialogue_text}. {english_condition_words(dialogue_text)}"
    ages = [int(a or b) for a, b in _AGE.findall(dialogue_text)]
    if not ages and _CHILD_WORD.search(dialogue_text):
        ages = [age for a in _CHILD_AGE_SAID.findall(dialogue_text)
                if (age := _AGE_WORDS.get(a.casefold()) or int(a)) < 18]
    out = []
    for name, pattern, words, sections in _CONDITIONS:
        if name == "child":
            if ages and all(a >= 18 for a in ages) and not _CHILD_WORD.search(dialogue_text):
                continue
            if not ages and _UNBORN.search(dialogue_text) and not _BORN_CHILD.search(said):
                continue  # "32 weeks pregnant ... any risk for the baby?": the unborn baby, no child patient
            if not pattern.search(dialogue_text) and not any(a < 18 for a in ages):
                continue
        elif name == "adult":
            grown = any(18 <= a < 65 for a in ages) and not _CHILD_WORD.search(dialogue_text)
            if not pattern.search(dialogue_text) and not grown:
                continue
        elif not pattern.search(dialogue_text):
            continue
        elif name == "procedure" and all(_past_procedure(dialogue_text, m) for m in pattern.finditer(dialogue_text)):
            continue  # "I had a knee replacement last week": behind them, no procedure ahead to prepare for
        young = tuple(a for a in ages if a < 18) if name == "child" else ()
        terms = frozenset(tokenize(words))
        if name == "pregnancy" and (trimester := _trimester(dialogue_text)) is not None:
            # "I'm 32 weeks pregnant": the label's trimester words ("Third trimester use may increase risk for
            # persistent pulmonary hypertension ... in the neonate")
            terms |= frozenset(tokenize(f"{trimester} trimester"))
        phrases = tuple(frozenset(tokenize(p)) for p in _PHRASES.get(name, ()))
        out.append(Condition(name, terms, sections, young, phrases=phrases))
    known = {t for c in out for t in c.terms} | {t for c in out for p in c.phrases for t in p}
    for found in _STATED.findall(dialogue_text):
        phrase = " ".join(found)
        terms = frozenset(t for t in tokenize(phrase) if t not in _NOT_A_CONDITION and t not in QUESTION_NOISE
                          and (len(t) > 3 or t in _SHORT_CONDITIONS) and not t.isdigit())
        if terms and not terms & known and len(terms) <= 3:
            out.append(Condition("stated", terms, _STATED_SECTIONS, whole=True))
    return out


# An operation told as done: "I had a knee replacement last week", "since my hip op", "sent me home after".
_PAST_BEFORE = re.compile(r"\b(?:had|i'?ve had|he'?s had|she'?s had|after|since|following|recovering from|post)\b"
                          r"[^.?!]{0,25}$", re.I)
_PAST_AFTER = re.compile(r"^[^.?!]{0,40}\b(?:last (?:week|month|year)|\d+ (?:days?|weeks?|months?) ago|ago|yesterday|"
                         r"sent (?:me|him|her|them) home)\b", re.I)


def _past_procedure(text: str, found: re.Match[str]) -> bool:
    return bool(_PAST_BEFORE.search(text[max(0, found.start() - 40):found.start()])
                or _PAST_AFTER.search(text[found.end():found.end() + 60]))


# A condition said in the user's words ("I have Addison's disease", "history of pancreatitis", "diagnosed with
# myasthenia gravis"): a contraindication or warning naming all its words is about them.
_STATED = re.compile(r"\b(?:i|he|she|they|we|pt|patient|(?:my|our|his|her) [\w-]+)(?:'ve| have| has)?\s+"
                     r"(?:have|has|had|got|suffers? from|lives? with|(?:was |were |am |is |been )?diagnosed with|"
                     r"(?:was |were |been |got )treated for)\s+"
                     r"(?:(?:a|an|the|some|mild|severe|bad|chronic|known|a history of|history of)\s+)*"
                     # (not "I have to stay upright": a duty, no condition; nor "my dad has been on amiodarone for
                     # years": a medicine taken, which had made every line naming amiodarone a safety item)
                     r"(?!to\b|been\b|on\b|taken\b|taking\b|started\b)"
                     r"([a-z][a-z' -]{2,40}?)(?=\s*(?:[,.;:!?()]|\band\b|\bbut\b|\bso\b|\bwhich\b|\bthat\b|"
                     r"\bfor\b|\bsince\b|\bfrom\b|\bwith\b|\bbefore\b|\bafter\b|$))|"
                     r"\bhistory of\s+([a-z][a-z' -]{2,40}?)(?=\s*(?:[,.;:!?()]|\band\b|\bbut\b|$))|"
                     # "My father is 76 and has myasthenia gravis", "my aunt, who has lupus"
                     r"\b(?:and|who|but) (?:also )?(?:has|have|had|suffers? from|lives? with|has got)\s+"
                     r"(?:(?:a|an|the|some|mild|severe|bad|chronic|known)\s+)*"
                     r"([a-z][a-z' -]{2,40}?)(?=\s*(?:[,.;:!?()]|\band\b|\bbut\b|\bso\b|\bwhich\b|$))", re.I)
_STATED_SECTIONS = ("contraindications", "boxed_warning", "warnings")
# Words of a stated phrase that name no condition a label could.
_NOT_A_CONDITION = frozenset(tokenize(
    "disease diseases disorder disorders problem problems condition conditions issue issues question questions "
    "syndrome trouble pain bad mild severe chronic really very little bit lots some time times years months weeks "
    "days week year month today yesterday recently recent just been also still kind sort type stage class last "
    "next this that these those "
    "appointment doctor prescription medicine medication tablet tablets pill pills dose doses baby child "
    "infection cold cough headache fever "
    # how bad, not what: "he has proper flu", "a stinking cold"
    "proper awful terrible horrible nasty real stinking streaming"))
# Conditions of three letters, which the length floor of a stated phrase's words would drop ("has proper flu").
_SHORT_CONDITIONS = frozenset(tokenize("flu ibs"))


# A patient's words -> the label's (both sides tokenised, so stems match).
# A clinician's shorthand for a state of the patient, in the labels' words (no symptom: app.pipeline.warned_symptom)
_SHORTHAND: tuple[tuple[re.Pattern[str], str], ...] = (
    # a clinician's shorthand, in the labels' words: "?safe in preg", "LFTs deranged", "eGFR 28", "K+ 3.1", "INR 4.2"
    (re.compile(r"\bpreg\b", re.I), "pregnant pregnancy pregnancies"),
    # weeks of gestation as midwives write them ("lady at 33/40"); from 28 weeks, the labels' late-pregnancy lines
    (re.compile(r"\b(?:[4-9]|[1-3]\d|4[0-2])(?:\+[0-6])?/40\b"), "weeks gestation pregnancy pregnant"),
    (re.compile(r"\b(?:2[89]|3\d|4[0-2])(?:\+[0-6])?/40\b"), "30 weeks later third trimester"),
    (re.compile(r"\blfts?\b|\bderanged liver\b|\b(?:alt|ast) (?:up|raised|high|elevated)\b", re.I),
     "liver hepatic transaminase transaminases elevations"),
    (re.compile(r"\begfr\b|\bcrcl\b|\bckd\b|\bcreatinine clearance\b", re.I),
     "renal impairment creatinine clearance kidney"),
    (re.compile(r"\bk\+?\s*(?:of |is |was |=|:)?\s*(?:[0-2](?:\.\d)?|3\.[0-4])\b|\bhypok|"
                r"\blow (?:potassium|k)\b", re.I), "hypokalemia potassium"),
    (re.compile(r"\bk\+?\s*(?:of |is |was |=|:)?\s*(?:[6-9](?:\.\d)?|5\.[5-9])\b|\bhyperk|"
                r"\bhigh (?:potassium|k)\b", re.I), "hyperkalemia potassium"),
    # "My magnesium came back low": the labels' hypomagnesemia (a PPI's warning); sodium likewise
    (re.compile(r"\b(?:low (?:magnesium|mg)|magnesium (?:\w+ ){0,3}(?:low|down|dropped))\b|\bhypomag", re.I),
     "hypomagnesemia magnesium"),
    (re.compile(r"\b(?:low sodium|sodium (?:\w+ ){0,3}(?:low|down|dropped))\b|\bhyponat", re.I),
     "hyponatremia sodium"),
    (re.compile(r"\binr\b", re.I), "INR prothrombin bleeding"),
    (re.compile(r"\bqtc?\b(?:\s*(?:of |is |was |=|:)?\s*\d{3})?|\blong qt\b", re.I),
     "QT prolongation QTc torsade electrocardiogram"),
    # a slow pulse or a low blood pressure told by its figure: "HR 45 today - hold?", "BP 85/50"
    (re.compile(r"\b(?:hr|pulse|heart rate)\s*(?:of |is |was |=|:)?\s*(?:[2-5]\d)\b", re.I),
     "bradycardia heart rate slow"),
    (re.compile(r"\b(?:bp|blood pressure)\s*(?:of |is |was |=|:)?\s*(?:[5-9]\d)/\d{2,3}\b", re.I),
     "hypotension low blood pressure"),
)

# Switching from one medicine to another ("moving me onto Eliquis, how does the changeover work", "last lisinopril
# this morning, first Entresto tonight?")
_ASKS_SWITCHING = re.compile(r"\bchange ?over\b|\bswitch\w*|\bmoving (?:me|him|her|them) (?:on)?to\b|\bwash ?out\b|"
                             r"\b(?:last|final) (?:dose|tablet|one)\b|"
                             r"\b(?:last|final) \w+\b.{0,100}\b(?:first|start)\b|"
                             r"换成|换用|改成|改用|怎么换|如何换|换过来", re.I | re.S)
# A label's line on switching: "Switching from warfarin to ELIQUIS: ...", "If switching from an ACE inhibitor ...
# allow a washout period of 36 hours", "when converting from ..."
_SWITCHING_LINE = re.compile(r"\bswitch(?:ing|ed)?\b|\bconvert(?:ing|ed)? (?:from|to)\b|\bwashout\b|\btransition\b",
                             re.I)


def asks_switching(question: str) -> bool:
    return _ASKS_SWITCHING.search(question) is not None


def switching_line(text: str) -> bool:
    return _SWITCHING_LINE.search(text) is not None


_EXPANSIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    *_SHORTHAND,
    # switching from one medicine to another: the new one's dosing lines on switching ("Switching from warfarin to
    # ELIQUIS: Warfarin should be discontinued and ELIQUIS started when the INR is below 2.0", "washout period")
    (_ASKS_SWITCHING, "switching switch converting transition discontinued discontinue started initiate washout"),
    # giving up smoking: the labels' lines on smoking as a CYP1A2 inducer ("Cigarette smoking ... stopping smoking may
    # raise clozapine levels")
    (re.compile(r"\b(?:stop(?:ping|ped|s)?|quit(?:ting|s)?|giv(?:e|es|ing) up|gave up|cut(?:ting)? down on) (?:the )?"
                r"(?:smoking|cigarettes|cigs|fags|tobacco)\b|\bsmok(?:e|er|ers|ing)\b", re.I),
     "smoking smokers smoke cigarette cigarettes tobacco CYP1A2 inducers cessation"),
    # how long to stay on it: the indications' limitation of use ("The optimal duration of use has not been
    # determined ... periodically reevaluated", "discontinuation after 3 to 5 years")
    (re.compile(r"\bhow long (?:should|do|does|can|will|must) (?:i|you|we|he|she|they|people|someone|patients?) "
                r"(?:stay|be|keep|remain|continue)\b|\bstay on (?:it|this|them) (?:forever|for life|for good)\b|"
                r"\bforever\b|\bfor (?:the )?rest of (?:my|his|her) life\b|\bstop at some point\b|"
                r"\bbreak from (?:it|them|taking)\b|\bdrug holiday\b", re.I),
     "optimal duration use periodically reevaluated discontinuation limitations long-term"),
    # how long it lingers after stopping: "my friend said it stays in you for ages", "out of my system", "a washout"
    (re.compile(r"\bstays? in (?:you|your|my|his|her|the)\b|\b(?:out of|leave|leaves|clear|clears) (?:my|your|his|her|"
                r"the) (?:system|body)\b|\bwash ?out\b|\bhow long (?:does|will) it (?:stay|last|linger)\b", re.I),
     "elimination half-life washout accelerated drug elimination procedure plasma levels"),
    # skin turned blue-grey: amiodarone's "blue-gray discoloration of the exposed skin", minocycline's pigmentation
    (re.compile(r"\bblu(?:e|ish)[- ]?gr[ae]y|\bgr[ae]y(?:ish)?[- ]?blue|\bslate[- ]?gr[ae]y|"
                r"\bskin (?:has )?(?:gone|turned|goes|going) (?:a bit )?(?:blue|grey|gray|dark)", re.I),
     "blue-gray discoloration skin pigmentation hyperpigmentation photosensitivity"),
    # a blood count checked: the labels' hematologic warnings ("aplastic anemia and agranulocytosis ... complete
    # pretreatment hematological testing", "monitor complete blood counts")
    (re.compile(r"\b(?:full|complete) blood counts?\b|\bblood counts?\b|\bfbcs?\b|\bcbcs?\b|\bwhite (?:cell|count)",
                re.I), "blood counts hematologic hematological aplastic anemia agranulocytosis neutropenia leukopenia"),
    # restarting after a break: the dosing section's "Restarting Therapy ... If a patient has discontinued ... for a
    # period of more than 5 half-lives, ... initial dosing recommendations"
    (re.compile(r"\b(?:go|going|get|getting|start|starting) (?:straight |right )?back on\b|\brestart\w*|"
                r"\bstart(?:ing)? (?:\w+ )?(?:low|again|over)\b|"
                r"\b(?:go|going|get|getting) (?:straight |right )?back to (?:his|her|my|their|the) "
                r"(?:normal|usual|old|full)\b", re.I),
     "restarting restart restarted resuming initial discontinued interrupted half-lives"),
    # how to take it, asked outright ("how should she actually be taking it"): the dosing's instructions for taking
    # it (with water, food, upright), not only its amounts
    (re.compile(r"\bhow (?:do|does|should|must|is|are) (?:i|you|we|he|she|they|mum|mom|dad) (?:actually |really )?"
                r"(?:be )?(?:tak(?:e|ing)|us(?:e|ing))\b|\bright way to take\b|\bhow (?:is|are) (?:it|they) (?:meant|"
                r"supposed) to be taken\b", re.I),
     "swallow whole glass water food meal beverage empty stomach upright arising"),
    # a womb kept, on estrogen: the labels' "a woman with a uterus who uses unopposed estrogens ... Adding a progestin
    # to estrogen therapy has been shown to reduce the risk of endometrial hyperplasia"
    (re.compile(r"\b(?:still (?:have|has|got) (?:my|her|a) (?:womb|uterus)|(?:my|her|a|the) (?:womb|uterus)|"
                r"hysterectomy)\b", re.I),
     "uterus unopposed estrogens progestin endometrial hyperplasia cancer adding"),
    # taken with breakfast or a cup of tea: the labels' "at least 30 minutes before the first food, beverage, or
    # medication of the day with plain water only", "take on an empty stomach"
    (re.compile(r"\b(?:with|at|after|over|during) (?:her |his |my |their |the |a )?(?:cup of |mug of |glass of )?"
                r"(?:breakfast|tea|coffee|juice|milk|dinner|lunch)\b", re.I),
     "food beverage drink plain water empty stomach first"),
    # going back to bed or lying down after a dose: the labels' "do not lie down for at least 30 minutes"
    (re.compile(r"\b(?:back to bed|lies? down|lying down|lay down|goes to bed|go to bed|sleep after)\b", re.I),
     "lie down recline upright"),
    # a lay word for a result, an effect the user tells (not a clinician's shorthand): "my potassium is 5.7", "the
    # high potassium", "potassium came back raised"
    (re.compile(r"\bhigh potassium\b|\bpotassium (?:\w+ ){0,3}(?:high|raised|elevated|up|5\.[5-9]|[6-9](?:\.\d)?)\b",
                re.I), "hyperkalemia potassium"),
    # heat, and not sweating in it: the labels' heat prostration (anticholinergics), heat stroke, hyperthermia
    (re.compile(r"\bheat ?waves?\b|\bhot (?:weather|countr\w+|climate|days?|spell|places?)\b|\bsomewhere hot\b|"
                r"\boverheat\w*|"
                r"\b(?:not|isn'?t|hasn'?t|doesn'?t|don'?t|can'?t|cannot|stopped|no longer|never) sweat\w*|"
                r"\bheat ?stroke\b", re.I), "heat prostration decreased sweating hyperthermia"),
    (re.compile(r"\bdrows|\bsleepy|\btired|\bsedat", re.I), "somnolence drowsiness sedation fatigue"),
    # "this tickly dry cough for two months": an ACE inhibitor's persistent nonproductive cough
    (re.compile(r"\b(?:dry|tickly|tickling|hacking|irritating|persistent|chesty|nagging) cough\b|"
                r"\bcough(?:ing)? (?:all|for) (?:the time|weeks|months)\b", re.I), "cough nonproductive persistent"),
    (re.compile(r"\bdizzy", re.I), "dizziness"),
    # how long it may be taken: "Can I just keep going till they run out?" (ketorolac: "should not exceed 5 days")
    (re.compile(r"\b(?:keep|carry on|go on) (?:going|taking)\b|\b(?:till|until|til) (?:they|it|the \w+) (?:run|runs) "
                r"out\b|\bhow long (?:can|should|may|must) (?:i|he|she|we|they|you) (?:keep|stay|carry|go|be)\b", re.I),
     "duration days exceed total"),
    # staying upright after a dose: labels say "not lie down for at least 30 minutes" (bisphosphonates, doxycycline)
    (re.compile(r"\b(?:stay|sit|sitting|staying|remain|remaining|keep) (?:up|upright|sitting up|standing)\b|"
                r"\b(?:lie|lay|lying|laying|go) (?:back )?(?:down|to bed) "
                r"(?:(?:straight|right|just) )?(?:after|once)\b", re.I),
     "lie down upright minutes"),
    # foods rich in tyramine ("can't I have cheese and wine anymore?" on an MAO inhibitor): the labels' word for it
    (re.compile(r"\b(?:aged |mature |blue )?cheeses?\b|\bcured meats?\b|\bsalami\b|\bsoy sauce\b|\bmarmite\b|"
                r"\bsauerkraut\b|\bfermented\b|\btap beers?\b|\bchianti\b", re.I),
     "tyramine foods hypertensive crisis"),
    # bariatric surgery: what a label names the weight loss after it ("rapid weight loss")
    (re.compile(r"\bgastric (?:sleeve|bypass|band)\b|\bbariatric\b|\bweight[- ]loss surgery\b|\bsleeve gastrectomy\b",
                re.I), "rapid weight loss obese"),
    # a vaccine beside a medicine taken: labels speak of live vaccines and immunization
    (re.compile(r"\bvaccin|\bimmuni[sz]|\bjabs?\b|\bbooster\b", re.I),
     "vaccine vaccines vaccination live immunization"),
    (re.compile(r"\blook(?:s)? like|\bcolou?r\b|\bshape\b|\bimprint|\bwhat does it look", re.I),
     "white round oval debossed imprinted engraved film-coated color scored"),
    (re.compile(r"\bbleed", re.I), "bleeding hemorrhage"),
    # whether another medicine stops "the pill" working: labels say "oral contraceptives" ("Amoxicillin may affect
    # ... reduced efficacy of combined oral estrogen/progesterone contraceptives"); not a question about the pill itself
    (re.compile(r"^(?=.*(?:\bbirth[- ]control\b|\bcontracepti|\bthe pill\b))"
                r"(?=.*\b(?:work\w*|effective\w*|fail\w*|interfer\w*|affect\w*|reduc\w*|less|antibiotics?)\b)",
                re.I | re.S),
     "contraceptives contraceptive contraception estrogen"),
    # "I want to go on the combined pill" (told before "will my lamotrigine dose need to change?"): the labels'
    # "estrogen-containing products, including oral contraceptives"
    (re.compile(r"\b(?:combined|contraceptive|birth[- ]control|oral contraceptive) pills?\b|"
                r"\b(?:go|going|be|am|i'm) on the pill\b", re.I), "oral contraceptives estrogen-containing estrogen"),
    (re.compile(r"\bbruis", re.I), "bruising ecchymosis bleeding hemorrhage"),
    (re.compile(r"\bupset (?:my |the )?stomach|\bnause|\bqueasy\b", re.I),
     "nausea gastrointestinal dyspepsia vomiting"),
    # "He's been snapping at everyone and very low": the labels' behaviour and mood words
    (re.compile(r"\bsnapp(?:y|ing)\b|\bshort[- ]tempered\b|\birritab|\bgrumpy\b|\bangry\b|\baggress|"
                r"\bmood(?:y| swings?| changes?)\b|\b(?:very|really|so|feeling|been) low\b|\bnot (?:him|her)self\b|"
                r"\btearful\b|\bweepy\b|\bcrying all\b|\bnightmares?\b", re.I),
     "irritability aggressive aggression behavioral behavior mood depression psychiatric neuropsychiatric"),
    # session 22 (a GP inbox): giving blood on isotretinoin ("not to donate blood")
    (re.compile(r"\b(?:give|giving|gave|donat\w*) blood\b|\bblood (?:donation|donor|drive|bank)\b", re.I),
     "donate blood donation"),
    # skiing, wind and cold on a retinoid cream: "weather extremes, such as wind or cold"
    (re.compile(r"\bski(?:ing|s)?\b|\bsnow\b|\bwindy\b|\bcold weather\b|\bfreezing\b", re.I),
     "weather extremes wind cold sunlight exposure"),
    # wheezy now, an extra puff of a preventer: "do not use to treat acute symptoms" (the reliever's job)
    (re.compile(r"\bwheez\w*|\btight (?:chest|in my chest)\b|\b(?:asthma|copd) attack\b|\bextra (?:couple of )?"
                r"puffs?\b|\bcan'?t (?:breathe|catch my breath)\b|\bblue (?:one|inhaler|puffer)\b|\breliever\b", re.I),
     "acute symptoms acute bronchospasm rescue short-acting"),
    # "I'm 22 weeks - any risk near the end?", "later in pregnancy": the labels' third-trimester and newborn lines
    (re.compile(r"^(?=.*(?:\bpregnan|\bweeks\b|\btrimester|\bdue\b))(?=.*(?:\b(?:near|towards?|at|by) the end\b|"
                r"\blater? (?:in|on)\b|\blate pregnancy\b|\bthird trimester\b|\b3rd trimester\b|"
                r"\bbefore (?:the )?birth\b|"
                r"\b(?:when|once) (?:the )?baby (?:is|'s) born\b|\bnewborn\b))", re.I | re.S),
     "third trimester late neonate neonates newborn delivery"),
    # "Does methylphenidate need blood pressure checks?", "regular bloods?": what the labels say to monitor
    (re.compile(r"\b(?:need|needs|get|getting|have|having|regular|routine|any|more|blood|bp|pressure|pulse|eye|liver|"
                r"kidney|levels?|heart)\s+(?:checks?|checked|tests?|tested|monitoring)\b|\bbloods\b|\bcheck-?ups?\b",
                re.I),
     "monitor monitored monitoring"),
    # "feeling breathless", "short of breath": the labels' dyspnea
    (re.compile(r"\bbreathless\w*|\bshort(?:ness)? of breath\b|\bout of breath\b|\bcan'?t get my breath\b", re.I),
     "dyspnea breath shortness"),
    # "turned my pee orange": the labels' discoloration of the urine
    (re.compile(r"\b(?:pee|wee|urine|piss)\b", re.I), "urine discoloration"),
    # "Does HE need to use contraception?": what a label says to men of reproductive potential
    (re.compile(r"^(?=.*\b(?:husband|boyfriend|he|him|his|men|man|male|father)\b)(?=.*\b(?:contracept\w*|condoms?|"
                r"pregnan\w*|baby|father a child|conceiv\w*)\b)", re.I | re.S),
     "males male reproductive potential partners"),
    # "malaria prevention - when do I start?": "prophylaxis should begin 1-2 days before travel"
    (re.compile(r"\bprevent(?:ion|ing|ative|ive)?\b", re.I), "prophylaxis prevention"),
    (re.compile(r"\bwhen (?:do|should|can|must) (?:i|we|he|she|they) (?:start|begin)\b|\bhow (?:long|soon|early) "
                r"before\b", re.I), "begin before start prior"),
    # taken every day when the prescription said weekly: the labels' medication-error lines
    (re.compile(r"^(?=.*\b(?:every day|daily|each day)\b)(?=.*\b(?:weekly|once a week|each week)\b)", re.I | re.S),
     "daily weekly dosing errors medication errors"),
    (re.compile(r"(?:每周|一周|一个礼拜|每礼拜|一星期|一个星期|每星期)(?:吃|服)?一次.{0,30}(?:每天|天天)|"
                r"\b(?:methotrexate|mtx)\b.{0,80}\b(?:every (?:morning|day|night)|daily)\b", re.I | re.S),
     "daily weekly dosing errors medication errors inadvertently administered once daily death"),
    # sport and training on a medicine: the tendon warnings (fluoroquinolones)
    (re.compile(r"\btraining\b|\bfootball\w*|\brugby\b|\bsports?\b|\bgym\b|\bjog\w*|\bmarathons?\b|"
                r"\brunning\b|\bathlet\w*|\bachilles\b|\btendons?\b", re.I),
     "tendon tendons tendinitis tendon rupture exercise physical activity"),
    # staying on it for good: the labels' duration limits ("longer than 12 weeks should be avoided")
    (re.compile(r"\bindefinitely\b|\bfor good\b|\bfor ever\b|\bforever\b|\bfor the rest of (?:my|his|her) li|"
                r"\blong[- ]term\b|\bfor years\b", re.I), "long-term longer than duration weeks chronic"),
    # "Trimbow: anything I should do after each dose?": an inhaler's "rinse the mouth ... after inhaling"
    (re.compile(r"\bafter (?:each|every|a|the) (?:dose|puff|use|inhalation|go)\b|\bafter (?:using|inhaling|a puff)\b",
                re.I), "after inhaling inhalation rinse mouth"),
    # "was sick at half 11", "threw up after it": the labels' vomiting
    (re.compile(r"\b(?:was|been|got|being) sick\b|\b(?:threw|throw|throwing|thrown) (?:it |them |\w+ )?up\b|"
                r"\bsicked\b|\bpuk(?:e|ed|ing)\b", re.I), "vomit vomiting vomits vomited"),
    # "she keeps falling over", "had a couple of falls": the labels' falls, syncope, dizziness
    (re.compile(r"\b(?:keeps?|kept|been|started) (?:falling|fainting|blacking out)\b|\bfalling (?:over|down)\b|"
                r"\b(?:had|having) (?:a )?(?:few |couple of |couple |several )?falls?\b|\bfell (?:over|down)\b", re.I),
     "falls fall syncope dizziness"),
    # "does it give you the runs?", "loose poo for 2 days"
    (re.compile(r"\bthe runs\b|\b(?:loose|runny|watery) (?:poos?|poops?|stools?|bowels?|motions?|tummy|belly)\b|"
                r"\bdiarrh|\bupset (?:tummy|belly)\b|\b(?:running|rushing|dashing) to the (?:toilet|loo|bathroom)\b|"
                # as said in a second language: "very liquid like water", "go to bathroom 5 or 6 time in the day"
                r"\b(?:very )?liquid like water\b|\bgoes? to (?:the )?(?:bathroom|toilet) \d+(?: or \d+)? times?\b",
                re.I), "diarrhea"),
    # "I haven't been to the loo properly in 4 days", "bunged up": the labels' constipation
    (re.compile(r"\b(?:haven'?t|have not|hasn'?t|has not|not|can'?t|cannot|couldn'?t|didn'?t) "
                r"(?:been able to )?(?:been|go|gone|went|been going) (?:to the (?:loo|toilet)|for a poo|"
                r"for a number two)\b|\b(?:haven'?t|hasn'?t|not) (?:pooed|pooped|had a (?:poo|bowel movement))\b|"
                r"\bbunged up\b|\bblocked up\b|\bno (?:bowel movement|poo)s?\b|\bhard (?:poos?|stools?)\b",
                re.I), "constipation"),
    # "what are we meant to do with the tablets? can they go in the bin?": the labels' disposal of unused tablets
    # (not "hot flushes")
    (re.compile(r"\b(?:in|into|down) the (?:bin|trash|rubbish|garbage|toilet|loo|sink)\b|"
                r"\bflush(?:ed|ing)? (?:them|it|these|those|the (?:tablets|pills|rest))\b|\bdispos\w*|"
                r"\b(?:left ?over|unused|unwanted|spare)\b|\bget rid of\b|\bthrow (?:them|it|these) (?:away|out)\b",
                re.I),
     "dispose disposal unused unneeded flush toilet take-back"),
    # "everything tastes like I've been sucking on a coin", "a metal taste": the labels' taste disturbance
    (re.compile(r"\btastes? (?:like|of) (?:metal|coins?|pennies|a coin|copper|tin)\b|\b(?:metallic|metal|bitter|funny|"
                r"weird|horrible|nasty|bad|strange) taste\b|\b(?:coin|penny|copper)\b.{0,30}\btaste|"
                r"\btastes? (?:like|of)\b.{0,40}\b(?:coins?|penny|pennies|metal|copper)\b", re.I),
     "unpleasant taste dysgeusia taste perversion"),
    # "seeing things at night", "hearing voices": the labels' hallucinations
    (re.compile(r"\b(?:seeing|sees|saw|see) things\b|\bhearing (?:voices|things)\b", re.I),
     "hallucinations abnormal behavior neuropsychiatric delirium"),
    # "his head turns around", "the room spins": dizziness, as said in a second language too
    (re.compile(r"\bhead (?:turns?|turning|spins?|spinning|goes round|going round)\b|\broom (?:spins?|spinning|turns?)"
                r"\b|\b(?:almost|nearly) (?:fell|fall|falls|fainted)\b", re.I), "dizziness vertigo syncope falls"),
    (re.compile(r"\ballerg", re.I), "hypersensitivity anaphylaxis allergic"),
    # ("5 kilos more in 6 weeks", "I eat all night now": the weight and appetite said in a second language too)
    (re.compile(r"\bweight gain|\bgain(?:ed)? weight|\b\d+ ?(?:kilos?|kgs?|pounds|lbs?) (?:more|heavier)\b|"
                r"\b(?:put on|gained?) \d+ ?(?:kilos?|kgs?|pounds|lbs?)\b|"
                r"\beat(?:ing)? all (?:the )?(?:night|day|time)\b|\b(?:always|so|very) hungry\b", re.I),
     "weight increase appetite increased gain"),
    (re.compile(r"\baddict|\bhabit[- ]forming|\bdependen", re.I), "abuse dependence addiction misuse"),
    (re.compile(r"\bmiss(?:ed)? (?:a )?dose|\bforgot", re.I), "missed dose"),
    (re.compile(r"\bfood\b|\bempty stomach|\bwith meals?\b|\bbreakfast\b|\bwith (?:my |his |her )?(?:lunch|dinner|"
                r"supper|tea)\b", re.I), "food meals empty stomach breakfast"),
    # "he nodded off at the wheel": the label's "falling asleep during activities of daily living"
    (re.compile(r"\bnod(?:ded|ding|s)? off\b|\bdoz(?:e|ed|ing) off\b|\bf(?:a|e)ll(?:s|ing)? asleep\b|"
                r"\bsleep attacks?\b", re.I), "falling asleep sleep somnolence"),
    (re.compile(r"\beyes? colou?r|\bcolou?r of (?:my|his|her|the) eyes?|\bbrown eyes?|\biris\b", re.I),
     "iris pigmentation eye color brown"),
    # "can I just take them together with breakfast?": how far apart, where the label says so ("at least 4 hours
    # apart from these agents")
    (re.compile(r"\btogether\b|\bat the same time\b|\bspac(?:e|ed|ing)\b|\bapart\b|\bhow long between\b|"
                r"一起吃|同时吃|隔多久|间隔", re.I), "apart hours separate separately"),
    (re.compile(r"\bhow long\b", re.I), "duration days weeks hours"),
    # travel: "back from Uganda, do I keep taking them and for how long?" -> "for 7 days after return"; "how early
    # before we start climbing?" -> "24 to 48 hours before ascent"
    (re.compile(r"\bback from\b|\bget(?:ting)? (?:home|back)\b|\bcome back\b|\breturn(?:ed|ing)?\b|"
                r"\bafter (?:the|our|my) trip\b|\bleav(?:e|ing) the (?:country|area)\b", re.I), "return leaving after"),
    (re.compile(r"\bclimb(?:ing)?\b|\baltitude\b|\bmountains?\b|\btrek(?:king)?\b|\bkilimanjaro\b|\beverest\b|"
                r"\bandes\b|\bhimalaya", re.I), "ascent altitude high"),
    # "first dose is tonight, anything I should know?": what labels warn of the first dose (prazosin's syncope)
    (re.compile(r"\bfirst (?:dose|tablet|pill|capsule)\b|\bstart(?:ing)? (?:it )?tonight\b", re.I),
     "first dose initial syncope"),
    # stopping the medicine, in the label's words ("can I just stop it?" -> "if treatment is to be discontinued")
    (re.compile(r"\b(?:stop(?:ping|ped)?|quit(?:ting)?)\b(?!\s+(?:smoking|drinking|alcohol|cigarettes|vaping))|"
                r"\bcom(?:e|ing) off\b|\bcold turkey\b|\b(?:run|ran|running) out\b|\b(?:go|going|do|doing) without\b|"
                r"\b(?:not|n't) (?:book|have|get|go for) (?:the|my|his|her) next (?:one|injection|jab|shot|infusion)\b|"
                r"\bnot (?:have|get) any more (?:injections|jabs|shots|infusions)\b", re.I),
     "discontinue discontinued discontinuation abruptly abrupt taper tapering withdrawn"),
)
# What warnings sections call the effects patients ask about (`asks_effect` too).
_EFFECTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bmuscles? (?:pain|ache|aches|cramps?|weakness|tenderness)|\bmuscle|\baching\b|\bmyalgia", re.I),
     "myopathy rhabdomyolysis myalgia muscle"),
    # ("my legs have been really achy since")
    (re.compile(r"\b(?:legs?|arms?|body|calf|calves|thighs?|shoulders?) (?:\w+ ){0,3}?(?:ache|aches|aching|achy|hurts?|"
                r"hurting|pains?|painful|sore)\b|"
                r"\b(?:aching|achy|sore) (?:legs?|arms?|body|muscles?)\b", re.I), "myopathy myalgia muscle"),
    (re.compile(r"\bswollen\b|\bswell(?:ing|s)?\b|\bpuffy\b|\bpuffiness\b|\bblown up\b|\bballoon\w*", re.I),
     "edema swelling peripheral"),
    # "I'm starving all the time, put on half a stone": mirtazapine's "increased appetite and weight gain"
    (re.compile(r"\bstarv\w*|\bhungr\w*|\bappetite\b|\bcan'?t stop eating\b|"
                r"\beating (?:loads|more|all the time|all day|non-?stop)\b", re.I), "appetite"),
    (re.compile(r"\b(?:put on|putting on|gain\w*|piled on)\b.{0,20}\b(?:weight|stones?|pounds|lbs?|kilos?|kg)\b|"
                r"\bweight gain\b|\bgetting fat\b|\b(?:gone|went|going) up (?:a|one|two|three|\d) (?:dress |clothes )?"
                r"sizes?\b", re.I), "weight gain"),
    # "a red blotchy rash came up on my chest": lamotrigine's boxed "SERIOUS SKIN RASHES"
    (re.compile(r"\brash(?:es)?\b|\bhives\b|\bblotch\w*|\bblister\w*|\bpeeling skin\b|\bskin (?:is )?peeling\b",
                re.I), "rash rashes skin"),
    # "her lips have swollen up really big and her tongue feels thick": angioedema, not ankle swelling
    (re.compile(r"\b(?:lips?|tongue|face|throat|eyelids?|mouth)\b.{0,40}\b(?:swollen|swell\w*|puff\w*|thick|"
                r"blown up|big)\b|\b(?:swollen|swelling|puffy|fat) (?:lips?|tongue|face|throat|eyelids?)\b", re.I),
     "angioedema swelling face lips tongue"),
    # "her pulse was only 48", "heart rate really slow"
    (re.compile(r"\bpulse\b.{0,30}\b(?:slow|low|only (?:in the )?[2-5]\d|[2-5]\d)\b|"
                r"\bslow (?:pulse|heart ?(?:beat|rate))|\bheart ?(?:rate|beat)\b.{0,20}\b(?:slow|low)\b", re.I),
     "bradycardia heart rate slow"),
    (re.compile(r"\bfaint(?:ed|ing|s)?\b|\bpass(?:ed|es|ing)? out\b|\bblack(?:ed|s|ing)? out\b|\bcollaps\w*",
                re.I), "syncope fainting"),
    # "everything looks a bit yellow", "seeing halos"
    (re.compile(r"\b(?:looks?|looking|seeing|sees?|vision|sight|everything)\b.{0,30}\b(?:yellow|green|blurr\w*|"
                r"halos?|double)\b", re.I), "visual disturbances vision"),
    # "every time she gets up out of the chair she goes dizzy"
    (re.compile(r"\b(?:stand|stands|standing|stood|gets? up|getting up|got up|rises?|rising|rose)\b.{0,40}\b(?:dizz\w*|"
                r"light-?headed|faint\w*|head (?:turns?|spins?)|(?:almost|nearly) fell)|\b(?:dizz\w*|light-?headed)\b"
                r".{0,40}\b(?:stand(?:s|ing)? up|gets? up|getting up|got up)\b",
                re.I), "orthostatic hypotension postural dizziness"),
    # "his gums have gone thick and overgrown"
    (re.compile(r"\bgums?\b.{0,40}\b(?:thick|overgrown|growing|swollen|bigger|puffy)|\b(?:overgrown|thick) gums?\b",
                re.I), "gingival hyperplasia overgrowth gum"),
    # "her tongue and lips keep moving on their own", "chewing movements she can't stop"
    (re.compile(r"\b(?:moving|moves|twitch\w*|jerk\w*|writh\w*) on (?:their|its|his|her) own\b|"
                r"\b(?:can'?t|cannot|doesn'?t|won'?t) stop (?:moving|chewing|twitching|smacking)|"
                r"\b(?:tongue|lips?|mouth|jaw|face)\b.{0,40}\b(?:moving|movements?|twitch\w*|smack\w*|chewing|"
                r"poking out)\b|\binvoluntary movements?\b", re.I),
     "tardive dyskinesia involuntary movements dyskinesia extrapyramidal"),
    (re.compile(r"\b(?:lose|losing|drop|dropping|shed) (?:some |a few )?(?:\d+ ?)?(?:weight|lbs?|pounds|kg|kilos)\b|"
                r"\bweight loss\b|\bslim\b|\bdiet pill", re.I), "obesity weight loss reduction"),
    (re.compile(r"\bmarathon|\brunn(?:er|ing)\b|\bsports?\b|\bgym\b|\bexercis|\bwork(?:ing)? out\b|\btraining\b|"
                r"\bathlet", re.I), "tendon tendinitis rupture exercise exertion"),
    (re.compile(r"\bbedroom\b|\bsex(?:ual|ually)?\b|\blibido\b|\berections?\b|\berectile\b|\bimpoten|"
                r"\bin bed\b|\bsex drive\b", re.I), "sexual libido impotence ejaculation erectile"),
    (re.compile(r"\blong[- ]term\b|\bfor (?:years|a long time|life)\b|\bindefinitely\b|\bprolonged\b|"
                r"\b(?:many|several|\d+|two|three|four|five) years\b", re.I), "long-term prolonged duration"),
    (re.compile(r"\bsun(?:light|burn|bathing|bed|ny)?\b|\bbeach\b|\btann?(?:ing)?\b|\buv\b", re.I),
     "photosensitivity sunlight sunburn ultraviolet sun"),
    (re.compile(r"\bsurgery\b|\boperation\b|\bprocedure\b|\b(?:hip|knee) replacement|\bdental work|"
                rf"\btooth (?:pulled|extraction)|{_OPERATION_SAID}|手术|术前|开刀", re.I), "surgery surgical"),
    # "a CT scan with contrast dye on Monday, should he skip the tablets?": the label's imaging procedures
    (re.compile(r"\bcontrast\b|\bdye\b|\b(?:ct|cat) scan|\bx-?ray\b|\bangiogra", re.I),
     "iodinated contrast imaging procedure radiologic"),
    (re.compile(r"\bdehydrat|\bdry (?:you|me|him|her) out|\bthirsty\b|\bthirst\b", re.I),
     "dehydration fluid electrolyte"),
    # "she cooked eggs at 3am and doesn't remember": the label's complex sleep behaviors
    (re.compile(r"\b(?:doesn'?t|does not|don'?t|didn'?t|did not|can'?t|cannot) remember\b|\bsleep ?walk|"
                r"\bsleep[- ]?(?:driv|eat|cook)|\bno memory of\b|\bat [1-5] ?(?:am|a\.m\.)\b", re.I),
     "complex sleep behaviors sleep-walking sleep-driving amnesia memory"),
    (re.compile(r"\bnightmares?\b|\bbad dreams?\b|\bmood\b|\bangry\b|\baggressi|\bbehaviou?r|\bsuicid|"
                r"\bagitat", re.I), "neuropsychiatric behavior agitation aggressive dream suicidal"),
    # "12 oxycodone left that I didn't need - what do I do with them?": the labels' disposal of unused tablets
    (re.compile(r"\b(?:leftovers?|left over)\b|\b\d+ (?:\w+ ){0,2}left (?:that|which) (?:i|we|he|she|they) "
                r"(?:didn'?t|did not|don'?t|never) (?:need|use|take)|\bget rid of\b|\bdispos\w*|"
                r"\bthrow (?:\w+ )?away\b|\bwhat (?:do|should|can) (?:i|we) do with (?:them|the rest|these|those)\b|"
                r"\b(?:best|right|safest) (?:thing|way) to do with (?:them|the rest)\b|"
                r"\bwhat to do with (?:them|the rest)\b|"
                r"剩下的药|剩药|怎么处理", re.I),
     "dispose disposal unused flush discard take-back"),
    # "a wine-tasting weekend", "cheese and salami": an MAOI's or linezolid's tyramine (hypertensive crisis)
    (re.compile(r"\bwines?\b|\bcheeses?\b|\bcured meats?\b|\bsalami\b|\bpepperoni\b|\bsoy sauce\b|\bmarmite\b|"
                r"\bsauerkraut\b|\bkimchi\b|\bmiso\b|\bdraught beer\b|\btap beer\b|奶酪|红酒|葡萄酒|腊肉|腌", re.I),
     "tyramine"),
    # "there's a bit of blood in it now" (the runs), "I feel shivery and hot": the labels' bloody stool and fever
    (re.compile(r"\bblood (?:in (?:it|the|my|his|her|them)|when (?:i|he|she) (?:go|goes|poo))|\bbloody (?:poo|stool|"
                r"diarrh\w*|runs)|\bblack (?:poo|stools?)|便血|拉血|黑便", re.I), "bloody black stool"),
    (re.compile(r"\bshiver\w*|\bfeverish\b|\b(?:hot and cold|the chills|chills)\b|\b(?:a|high) temperature\b|"
                r"发烧|发热|打寒战", re.I), "fever"),
    # no label says "fridge": "can my Enbrel pens stay out of the fridge for three weeks?" asks how long it keeps
    # at room temperature (the fridge alone is no cue: "does the pen have to stay in a fridge?" asks both)
    (re.compile(r"\b(?:out of|outside|without|not in|no) (?:the |a )?fridge\b|\bunrefrigerated\b|"
                r"\b(?:tiny|small|no) fridge\b|不放冰箱|没放冰箱|没有冰箱|常温", re.I),
     "room temperature maximum period"),
    # "one has ice crystals in it now, it's thawed": the labels' "do not use if it has been frozen"
    (re.compile(r"\bice crystals?\b|\bthaw\w*|\bfroze(?:n)?\b|\bin the freezer\b|\bicy\b|\bgot too cold\b|"
                r"结冰|冻住|冻过|冻了|冰碴", re.I), "freeze frozen freezing"),
    # "the hotel room is about 28 degrees. Is that OK for the syringes?": the labels' storage temperatures
    (re.compile(r"\b\d{2}\s?(?:degrees|°|º)|\b(?:hot|warm) (?:room|car|hotel|flat|weather|climate|country)\b", re.I),
     "store temperature excursions room"),
    # "went out and drove to the petrol station and doesn't remember": the labels' complex sleep behaviours
    (re.compile(r"\bsleep[- ]?(?:walk\w*|driv\w*|eat\w*)|\b(?:does ?n'?t|did ?n'?t|does not|did not|can'?t|cannot) "
                r"remember (?:any of )?(?:it|doing|driving|eating|that|anything)|\bno memory of\b|梦游|不记得", re.I),
     "complex sleep behaviors sleep-walking sleep-driving amnesia"),
    # "Teenager on atomoxetine saying dark things", "talking about ending it": the labels' suicidal thoughts
    (re.compile(r"\bdark (?:things|thoughts|stuff|places?)\b|\b(?:talk|talks|talking|talked|saying|says|said) "
                r"(?:\w+ )?about (?:dying|death|ending it|killing (?:him|her|my|them)self|hurting (?:him|her|my|them)"
                r"self)\b|\bself[- ]harm\w*|\bhurt(?:ing)? (?:him|her|my|them)self\b|"
                # "a friend's nephew took his own life while he was on it"
                r"\b(?:took|take|taken|taking) (?:his|her|their|my) own life\b|"
                r"\bkill(?:ed|s)? (?:him|her|them)sel(?:f|ves)\b",
                re.I),
     "suicidal suicide thoughts behaviors ideation"),
    # "thirsty all the time and weeing a lot": the labels' hyperglycemia (polydipsia, polyuria)
    (re.compile(r"\b(?:weeing|peeing|urinating|passing water|going to the toilet|wee|pee)\b(?:\s+\w+){0,1}\s+(?:a lot|"
                r"all the time|loads|constantly|more|so much|all night)\b|\b(?:thirsty|drinking) (?:all the time|"
                r"constantly|loads|so much|lots)\b|\bdrinking loads of water\b", re.I),
     "hyperglycemia polydipsia polyuria diabetes glucose"),
    # "成日话唔想生存", "不想活了", "想死": the labels' suicidal thoughts
    (re.compile(r"\b(?:want(?:s|ed)? to die|(?:doesn'?t|don'?t|didn'?t|not|never) want(?:s|ing)? to (?:live|be here|"
                r"be alive|wake up|go on|exist)|better off (?:dead|without (?:me|him|her)))\b|"
                r"想死|不想活|唔想生存|唔想活|轻生|輕生|自杀|自殺|自残|自殘", re.I),
     "suicidal suicide thoughts behaviors ideation"),
    # "乳房胀痛还变大了" in a man: the labels' gynecomastia
    (re.compile(r"\b(?:man|male) boobs\b|\bmoobs\b|\bbreasts? (?:growing|swelling|getting bigger|enlarg\w*)|"
                r"乳房.{0,6}(?:胀|痛|变大|增大|肿|發育|发育)|男性乳房", re.I),
     "gynecomastia breast enlargement"),
    (re.compile(r"\bseizures?\b|\bconvulsions?\b|\bfits\b", re.I), "seizure seizures convulsions"),
    # "my ears have been ringing", "buzzing in my ears", "can't hear properly": the labels' ototoxicity
    (re.compile(r"\bears?\b.{0,30}\b(?:ring\w*|buzz\w*|whistl\w*|humm\w*|muffled|blocked)|"
                r"\b(?:ring\w*|buzz\w*|whistl\w*|humm\w*) in (?:my|his|her|the|their) ears?\b|\btinnitus\b|"
                r"\b(?:can'?t|cannot|couldn'?t) hear\b|\bhearing\b|\bdeaf|耳鸣|耳朵.{0,6}[响鸣嗡]|听力|"
                r"听(?:东西)?(?:也)?(?:不太|不)?(?:清楚|清|见)|聋", re.I),
     "tinnitus hearing impairment deafness ototoxicity"),
    # "pins and needles in my feet", "my hands go numb": the labels' neuropathy
    (re.compile(r"\bpins and needles\b|\btingl\w*|\bnumb\w*|\bburning (?:feet|hands|toes|fingers)\b|"
                r"[手脚足指]\S{0,3}(?:发麻|麻木|刺痛)|麻木", re.I),
     "peripheral neuropathy paresthesia numbness tingling"),
    (re.compile(r"\bblurr|\bvision\b|\beyes? (?:hurt|pain|ache)|\beye pain|\bsee(?:ing)? (?:clearly|properly)", re.I),
     "vision visual blurred myopia glaucoma ocular intraocular"),
    # Body parts in a patient's words, which labels name in their own: "cancer of the womb" -> uterine
    # malignancies, endometrial cancer.
    (re.compile(r"\bwombs?\b|\buterus\b|\blining of (?:the|my|her) (?:womb|uterus)\b", re.I),
     "uterine uterus endometrial endometrium"),
)
_EXPANSIONS += _EFFECTS


# A question about what the medicine does to the one taking it ("could the medicine do that?", "does it cause
# ...", "is that from the pill?"), not about how much to give.
_ASKS_EFFECT = re.compile(r"\bside[- ]?effects?\b|\bcaus(?:e|es|ed|ing)\b|\b(?:do|does|did) that\b|"
                          r"\bmak(?:e|es|ing) (?:him|her|them|me|you|my)\b|\breactions?\b|"
                          r"\bfrom (?:the|this|that|it)\b|\b(?:should|need to) (?:she|he|they|i|we) "
                          r"(?:know|watch|avoid)|\bwatch (?:out )?for\b|"
                          r"\b(?:could|can|is|might) (?:it|this|that) be (?:the|from|caused|due|a side)\b", re.I)


def asks_effect(question: str) -> bool:
    """Whether the question asks what the medicine does (an effect, a warning), by its words or by a patient's
    word the label has its own for ("nightmares" -> neuropsychiatric)."""
    return _ASKS_EFFECT.search(question) is not None or any(
        pattern.search(question) for pattern, _ in _EFFECTS)


# Infections in a patient's words, said in any turn ("My son is 5, strep throat." ... "what should his dose be?"):
# the label's names for them, which its dosing rows and warnings use ("Pharyngitis/tonsillitis ... 12 mg/kg").
_INFECTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bstrep throat|\bsore throat|\btonsillitis|\bstrep\b", re.I),
     "pharyngitis tonsillitis streptococcal pyogenes"),
    (re.compile(r"\bthrush\b|\byeast infection|\bcandida", re.I), "mycotic candidiasis yeast fungal genital"),
    # "white patches on his tongue and inside his cheeks" on an inhaled steroid: the labels' oral candidiasis
    (re.compile(r"\bwhite (?:patches|spots|coating|furry|fur|stuff|bits|film)\b.{0,40}\b(?:tongue|mouth|cheeks?|throat|"
                r"gums?)\b|"
                r"\b(?:tongue|mouth|cheeks?|throat)\b.{0,30}\bwhite (?:patches|spots|coating|stuff|bits|film)\b|"
                r"\b(?:tongue|mouth) (?:is|has gone|went|looks) white\b|\boral thrush\b", re.I),
     "candida albicans candidiasis oropharyngeal mouth pharynx infections"),
    (re.compile(r"\butis?\b|\b(?:urine|water|bladder|urinary) infection|\bcystitis", re.I),
     "urinary tract infection infections cystitis"),
    (re.compile(r"\bear infection|\bmiddle ear\b|\botitis", re.I), "otitis media"),
    (re.compile(r"\bchest infection|\bbronchitis|\bpneumonia", re.I), "bronchitis pneumonia respiratory"),
    (re.compile(r"\bsinus infection|\bsinusitis", re.I), "sinusitis"),
    (re.compile(r"\bskin infection|\bcellulitis|\bimpetigo", re.I), "skin structure cellulitis impetigo"),
    (re.compile(r"\bcold sores?\b", re.I), "herpes labialis"),
    (re.compile(r"\bshingles\b", re.I), "herpes zoster"),
)


def said_expansions(said: str) -> set[str]:
    """The label's words for the infections the user's turns name."""
    return {t for pattern, words in _INFECTIONS if pattern.search(said) for t in tokenize(words)}


# An effect asked of what was told before: "Is that the pill?", "could it be the tablet?", "is this from it?"
_OF_WHAT_WAS_TOLD = re.compile(r"\b(?:is|could|can|would|was|might|will) (?:that|this|it|these) (?:be )?(?:the|from|"
                               r"because|caused|due|a side|related|down to|normal|common|him|her)\b|\bcaused (?:that|"
                               r"this|it)\b|\bfrom (?:it|the (?:pill|tablet|medicine|drug|patch|injection))\s*\?|"
                               r"是不是(?:这个)?药|跟这个药有关|药引起的|係咪藥|引起的[吗嗎？?]|导致的[吗嗎？?]|"
                               # "I want to go on the combined pill." ... "Will my lamotrigine dose need to change?":
                               # a dose changed by what was told (lamotrigine's estrogen-containing products line)
                               r"\b(?:dose|dosage|doses)\b (?:\w+ )?(?:need to |have to |has to |needs to )?(?:be )?"
                               r"(?:change|changed|adjust\w*|go up|go down|increas\w*|reduc\w*|lower\w*)\b|"
                               r"\b(?:change|adjust|lower|raise) (?:my|the|his|her) (?:\w+ )?dose\b", re.IGNORECASE)


# "She takes it with her breakfast and goes back to bed ... is that OK?": whether what was told is right
_IS_WHAT_WAS_TOLD_RIGHT = re.compile(r"\b(?:is|was) (?:that|this) (?:ok|okay|alright|all right|fine|right|the right "
                                     r"way|correct)\b", re.IGNORECASE)


def asks_if_what_was_told_is_right(question: str) -> bool:
    return _IS_WHAT_WAS_TOLD_RIGHT.search(question) is not None


def asks_of_what_was_told(question: str) -> bool:
    """Whether the asking turn asks if what the user told before comes from the medicine."""
    return _OF_WHAT_WAS_TOLD.search(question) is not None


# "why has my psychiatrist given me lamotrigine, an epilepsy drug?": who prescribed it says which of its uses
_SPECIALTIES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bpsychiatr\w*|\bmental health (?:team|nurse|doctor)|精神科|心理科", re.I),
     "bipolar depressive schizophrenia psychiatric mood"),
    (re.compile(r"\bneurolog\w*|神经科|神经内科", re.I), "seizures epilepsy migraine neuropathic"),
    (re.compile(r"\bcardiolog\w*|\bheart (?:doctor|specialist)|心内科", re.I), "heart failure hypertension angina"),
    (re.compile(r"\brheumatolog\w*|风湿科", re.I), "arthritis rheumatoid"),
    (re.compile(r"\bdermatolog\w*|\bskin (?:doctor|specialist)|皮肤科", re.I), "skin acne psoriasis"),
    (re.compile(r"\burolog\w*|泌尿科", re.I), "prostatic hyperplasia bladder urinary"),
)


def specialty_expansions(question: str) -> set[str]:
    """The uses a prescriber's specialty points to, for a question about what a medicine was given for."""
    return {t for pattern, words in _SPECIALTIES if pattern.search(question) for t in tokenize(words)}


def shorthand_expansions(question: str) -> set[str]:
    """The labels' words for the shorthand a clinician used of the patient's state ("eGFR 28", "K+ 6.3", "33/40")."""
    return {t for pattern, words in _SHORTHAND if pattern.search(question) for t in tokenize(words)}


def question_expansions(question: str) -> set[str]:
    question = without_denials(question)  # ("I thought that was an allergy pill": no allergy of theirs)
    found = {t for pattern, words in _EXPANSIONS if pattern.search(question) for t in tokenize(words)}
    return found | set(tokenize(zh_glossary.label_words(question)))  # Chinese words -> an English label's


# The shape of the sentence a section is usually asked for.
_KEY_SENTENCE: dict[str, re.Pattern[str]] = {
    "dosage": re.compile(r"\b(?:recommended|usual|starting|initial|maximum)\b[^.]{0,40}\b(?:dose|dosage)\b|"
                         r"\b\d+(?:\.\d+)? ?(?:mg|mcg|g|units?)\b[^.]{0,60}\b(?:daily|once|twice|every|times)\b",
                         re.I),
    "adverse_reactions": re.compile(r"\bmost (?:common|frequent)(?:ly)?(?: (?:reported|observed|occurring))? "
                                    r"(?:adverse|side)|"
                                    r"\bcommon (?:adverse reactions|side effects)\b|"
                                    r"\b(?:has|have) been associated with\b|"
                                    r"\bthe following adverse reactions\b[^.]{0,80}(?:placebo|\d ?%)", re.I),
    # (older labels: "For symptomatic relief of anxiety ...", "Useful in the management of pruritus ...")
    "indications": re.compile(r"\bindicated (?:for|as|in)\b|\bused to treat\b|"
                              r"^(?:for|as) (?:the )?(?:symptomatic |short-term |temporary )?(?:relief|treatment|"
                              r"management|prophylaxis|prevention) of\b|"
                              r"\buseful (?:in|for) the (?:management|treatment)\b|\btemporarily relieves\b", re.I),
    "contraindications": re.compile(r"\bcontraindicated\b|\bdo not (?:use|take)\b", re.I),
    "interactions": re.compile(r"\bconcomitant|\bcoadministration|\bco-administration|\bincrease[sd]? the risk\b",
                               re.I),
    "storage": re.compile(r"\bstore[sd]?\b|\b\d+\s*°\s*[CF]\b", re.I),
    "dosage_forms": re.compile(r"\b(?:tablets?|capsules?)\b[^.]{0,80}\b(?:white|yellow|pink|blue|orange|red|"
                               r"green|round|oval|debossed|imprinted|engraved)\b", re.I),
    # A boxed warning's gist: the serious risk it warns of ("have been associated with disabling and potentially
    # irreversible serious adverse reactions", "increased risk of death").
    "boxed_warning": re.compile(r"\b(?:have|has) been associated with\b|\bincrease[sd]? (?:the )?risk\b|"
                                r"\bincreased risk\b|\b(?:can|may) cause\b|\bfatal\b|\blife-threatening\b|"
                                # "Serious adverse reactions, including death, have been reported with methotrexate."
                                r"\bincluding death\b", re.I),
    "overdosage": re.compile(r"\boverdos[^.]{0,80}\b(?:poison control|medical help|emergency|symptoms)\b", re.I),
}
_TRIAL_DESIGN = re.compile(r"\bplacebo-controlled|\brandomi[sz]ed\b|\bdouble-blind|\bmedian (?:treatment|follow)|"
                           r"\bage range\b|\bmean age\b|\b\d+% (?:were )?(?:female|male|women|men|white|black)|"
                           r"\bwere (?:hispanic|asian|caucasian|white|black)\b|\bexposure of [\d,]+ patients\b|"
                           # how many stopped in trials, not what it does: "5.7% of patients discontinued with ..."
                           r"\bdiscontinued (?:prematurely |early )?(?:therapy |treatment )?(?:with|due to|because of) "
                           r"(?:an )?adverse|"
                           r"\bdiscontinuation (?:for|due to|because of) (?:an )?adverse|"
                           r"\b(?:therapy|treatment) was discontinued in\b|"
                           r"\b(?:newly )?exposed to \w+ in (?:open-label|controlled|clinical) (?:trials|studies)\b|"
                           # how the trials counted, not what it does: "The stated frequencies of adverse reactions
                           # represent ...", "An event was considered treatment-emergent if ..."
                           r"\bthe stated frequencies of adverse\b|\bconsidered treatment[- ]emergent\b|"
                           r"\bwere obtained (?:primarily )?by general inquiry\b|"
                           r"\bnot possible to provide a meaningful estimate\b|"
                           # what happened in the trials: "No suicides occurred in any of the pediatric studies."
                           r"\b(?:no|\d+) (?:suicides|deaths) (?:occurred|were reported) in\b|"
                           r"\bthe rate of discontinuation (?:for|due to|because of) adverse\b|"
                           r"\b(?:percent|percentage|proportion|number|rates?) of (?:patients |subjects )?(?:who )?"
                           r"(?:discontinu|withdr[ae]w)|\brates? of discontinuation\b|"
                           # "In the placebo group, 1% of patients withdrew due to dizziness", "the adverse reactions
                           # most frequently leading to discontinuation were ..."
                           r"\b\d+(?:\.\d+)?% of (?:\w+ )?(?:patients|subjects)\b[^.]{0,40}"
                           r"\b(?:withdr[ae]w|discontinued)\b|"
                           r"\bleading to (?:treatment |study )?(?:discontinuation|withdrawal)\b|"
                           # how the trials were run and whom they enrolled: "JARDIANCE was used as monotherapy in one
                           # trial and as add-on therapy in four trials.", "Baseline renal function was normal ..."
                           r"\bused as (?:monotherapy|add-on therapy) in (?:one|two|three|four|five|six|\d+) "
                           r"(?:trials?|studies|study)\b|^\W*(?:at )?baseline\b",
                           re.I)
# A word every alternative of _TRIAL_DESIGN holds: most label sentences hold none, and the regex itself tries ~25
# alternatives at every position (~40 us a sentence, a quarter of a new label's checks; this test ~10 us).
_TRIAL_DESIGN_WORDS = ("placebo", "randomi", "double-blind", "median ", "age range", "mean age", "%", "were ",
                       "exposure of", "discontinu", "exposed to", "stated frequencies", "treatment-emergent",
                       "treatment emergent", "general inquiry", "meaningful estimate", "suicides", "deaths", "withdr",
                       "used as", "baseline")


def trial_design(text: str) -> bool:
    """How the trials were run or whom they enrolled ("In placebo-controlled trials, 5.7% of patients
    discontinued ..."), not what the medicine does."""
    lowered = text.casefold()
    return any(w in lowered for w in _TRIAL_DESIGN_WORDS) and _TRIAL_DESIGN.search(text) is not None


# Who the trials enrolled, and nothing else: "A total of 901 patients were 65 years or older.", "... were administered
# to a total of 3,108 patients": never what a patient asked.
_TRIAL_POPULATION = re.compile(
    # "In controlled clinical studies of pregabalin in fibromyalgia, 106 patients were 65 years of age or older."
    r"^\W*(?:in [^,]{0,120}\b(?:studies|trials?)\b[^,]{0,140}, )?(?:a total of |there were (?:only )?)?[\d,]+ "
    r"(?:patients|subjects|participants)\b[^.]{0,60}\b(?:were|was|\d+ (?:to \d+ )?years) "
    r"(?:\d+ years|aged|older|enrolled|randomi[sz]ed|treated|exposed|of age)\b|"
    r"\b(?:administered|given) to (?:a total of )?[\d,]+ (?:patients|subjects)\b|"
    # "... more than 10,000 patients have received pregabalin."
    r"\b(?:more than|over|approximately) [\d,]+ (?:patients|subjects) (?:have|had) (?:received|been treated)\b",
    re.I)
_TRIAL_POPULATION_PENALTY = 2.0
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# What to do if an event the sentence does not name happens ("If it occurs, discontinue sertraline ...": "it" is the
# serotonin syndrome of the sentence before). Alone it reads as an instruction about the medicine ("stop it").
_IF_IT = re.compile(r"^(?:if|when|once|should) (?:it|this|these|they|such|that) (?:\w+ )?(?:occurs?|develops?|happens?|"
                    r"appears?|persists?|is suspected|are suspected|is present|are present)\b", re.I)
# A sentence that leans on the one before it ("These effects are usually reversible.", "Because of these risks,
# ..."): quoted alone it says little, and the one before usually says it whole.
_BACK_REFERENCE = re.compile(r"^(?:(?:Because of|Due to|Given|Despite|For|Since|Because|As|Although|While) |"
                             # "Also, they should not be given cocaine ...": who they are is the sentence before's
                             r"(?:Also|However|Therefore|Thus|In addition|Furthermore|Moreover),? )?"
                             r"(?:this|these|those|such|it|they)\b"
                             r"(?! (?:drug|medicine|medication|product)\b)|" + _IF_IT.pattern, re.I)


# A warning's headline says what the medicine does ("Excessive diuresis may cause dehydration ..."), and its
# instruction what to do about it ("Discontinue at the first sign of rash"): for a question about an effect, such
# a sentence naming the effect comes before the detail about it (who is at risk, the mechanism, the trials).
_CAUSES = re.compile(r"\b(?:may|can|could|might|will|does|do) (?:also )?(?:cause|lead to|result in|produce|"
                     r"precipitate|induce)\b|\b(?:has|have) been associated with\b|\bincreased? (?:the )?risk of\b|"
                     r"\bcauses?\b", re.I)
_ACT_ON = re.compile(r"\bdiscontinue\b|\bstop (?:taking|using|the)\b|\bseek (?:immediate |emergency )?"
                     r"(?:medical|emergency)|\bcontact (?:a|your|their) (?:doctor|healthcare)|\bcall (?:a|your) doctor|"
                     r"\bat the first sign\b", re.I)
HEADLINE_CAUSES = 1.5
HEADLINE_ACTION = 1.0
_HEADLINE_REACH = 90  # characters after "may cause" in which the effect must be named


# The same headline said of the reports: "Serious neuropsychiatric (NP) events have been reported with the use of
# montelukast sodium" names the effect before the verb.
_REPORTED = re.compile(r"\b(?:have|has) been reported (?:with|in|during|following|after)\b", re.I)


@lru_cache(maxsize=65536)
def _after_cause(text: str) -> frozenset[str]:
    after = {t for m in _CAUSES.finditer(text) for t in tokenize(text[m.end():m.end() + _HEADLINE_REACH])}
    before = {t for m in _REPORTED.finditer(text)
              for t in tokenize(text[max(0, m.start() - _HEADLINE_REACH):m.start()])}
    return frozenset(after | before)


def headline_fit(text: str, tokens: frozenset[str], effect_words: frozenset[str]) -> float:
    """What a sentence gains as the headline of the effect asked about (`effect_words`: the question's own words
    and the label's for them): it says the medicine may cause it, or what to do at its first sign."""
    if not effect_words or not effect_words & tokens:
        return 0.0
    gain = HEADLINE_CAUSES if effect_words & _after_cause(text) else 0.0
    if _ACT_ON.search(text):
        gain += HEADLINE_ACTION
    return gain


# What a boxed warning or contraindication tells the patient not to do.
_NOT_TO = re.compile(r"\bcontraindicated\b|\bdo not (?:use|take|give)\b|\bshould not be (?:used|given|taken)\b|"
                     r"\bmust not\b", re.I)


def warns_against(section: str, text: str, tokens: frozenset[str], label_words: frozenset[str]) -> bool:
    """A boxed warning or contraindication saying not to use the medicine for what the patient asked about in
    their own words (`label_words`: the label's for them): "want to lose 10 lbs" -> "should not be used for the
    treatment of obesity or for weight loss". A safety item, whatever section was asked."""
    return (section in ("boxed_warning", "contraindications") and bool((label_words - _UNSPECIFIC_WORDS) & tokens)
            and _NOT_TO.search(text) is not None)


# How long, not what for: "how long until it works" brings days and weeks, which "within 14 days of stopping an
# MAOI ... is contraindicated" also says
_TIME_WORDS = frozenset(tokenize("day days week weeks hour hours month months minute minutes duration"))
# (nor words any dosing question brings: "痛经吃布洛芬怎么吃" expands to "pain" and "take", which "Do not use if you
# have ever had an allergic reaction to any other pain reliever" says)
_UNSPECIFIC_WORDS = _TIME_WORDS | frozenset(tokenize("take taking use using pain dose dosage mg maximum exceed "
                                                     "administration"))


# What an indications section says a medicine was not shown to do, or how to review it ("The effectiveness of
# hydroxyzine ... for long-term use ... has not been assessed"): no answer to "what is it for?" ahead of its uses.
_LIMITATION = re.compile(r"\b(?:has|have) not been (?:assessed|established|evaluated|studied|demonstrated)\b|"
                         r"\bshould reassess\b|\blimitations? of use\b", re.I)
LIMITATION_PENALTY = 1.5


def limitation_of_use(text: str) -> bool:
    return _LIMITATION.search(text) is not None


@lru_cache(maxsize=65536)  # pure: a label's sentences come back question after question (issue 18)
def key_sentence(attribute: str | None, text: str) -> bool:
    pattern = _KEY_SENTENCE.get(attribute or "")
    return pattern is not None and pattern.search(text) is not None


_BACK_REFERENCE_PENALTY = 1.0
# Further in, a sentence that points at a list it does not give ("... in patients who experience any of these
# serious adverse reactions", "who do not have the above risk factors").
_POINTS_BACK = re.compile(r"\b(?:these|those|such|the above)(?: \w+){0,2} (?:adverse )?(?:reactions|effects|risks|"
                          r"symptoms|events|risk factors|conditions)\b|"
                          # "Discontinue warfarin sodium if such emboli occur.": what occurs is the one before's
                          r"\b(?:if|when) such (?:an? )?\w+(?: \w+)? "
                          r"(?:occurs?|develops?|persists?|appears?|is|are)\b|"
                          # "Discontinue warfarin sodium and consider alternative anticoagulants if necessary.": a
                          # stop told without what calls for it, which the sentence before said
                          r"^(?:discontinue|stop) [\w ]+ and consider (?:an )?alternative [\w ]+?"
                          r"(?: if necessary)?\.?$",
                          re.I)
_POINTS_BACK_PENALTY = 0.6
# A sentence sending the reader to another document ("Consult the labeling of all concurrently used drugs ...")
# answers nothing itself.
# A sentence about a table the answer cannot show ("Tables 5, 6, and 7 summarize the incidence of ...", "The data in
# Table 1 reflect ...").
_ABOUT_TABLE = re.compile(r"\b(?:is|are) (?:discussed|described|covered) (?:above|below|elsewhere|earlier)\.?$|"
                          # "Photosensitivity is discussed above."
                          r"^(?:the data in )?tables? \d+(?:,? (?:and )?\d+)*,? (?:summari[sz]es?|shows?|lists?|"
                          r"presents?|reflects?|displays?|provides?|gives?|describes?)\b|^the data in table|"
                          r"^in the tables?(?: and tabulations?)? (?:that follow|below)", re.I)
# A flattened table's row: a name and its columns of numbers ("Myalgia; 3.1; 3.6; 5.9; 8.4; 2.7; 3.5."). The rows
# of an incidence table are not what a patient asking "can it cause muscle pain?" should read before the warning.
_TABLE_ROW = re.compile(r"^[^;0-9]{1,80}(?:;\s*[<>≤≥]?\s*\d[\d.,]*\s*%?){2,}\s*\.?$")
_TABLE_ROW_PENALTY = 2.0
_REFERRAL = re.compile(r"^(?:consult|refer to|see) (?:the )?(?:full )?(?:prescribing information|label(?:l)?ing|"
                       r"package insert)\b|"
                       # "For partial-onset seizure dosing in pediatric patients ..., refer to section 2.4."
                       r"\b(?:refer to|see) (?:sub)?section \d+(?:\.\d+)*\W*$|"
                       # "Pregnancy Teratogenic effects See boxed WARNINGS.": a heading and a pointer, nothing said
                       r"^[\w ,:-]{0,60}\bsee (?:the )?(?:boxed )?(?:warnings?|precautions|contraindications|"
                       r"adverse reactions|dosage and administration|clinical pharmacology)\b\W*$", re.I)


def on_unnamed_event(text: str) -> bool:
    """Whether a sentence says what to do if an event it does not name happens ("If it occurs, discontinue ...")."""
    return _IF_IT.search(text) is not None


@lru_cache(maxsize=65536)
def points_back(text: str) -> bool:
    """Whether a sentence opens on what the one before it said ("This adverse reaction is more common ...")."""
    return _BACK_REFERENCE.search(text) is not None


@lru_cache(maxsize=65536)  # pure, ~2 ms of a turn's reading (issue 18); label_prefetch fills it ahead
def noise_penalty(text: str, key: bool = False) -> float:
    """Table rows ('Nasopharyngitis; 8.2; 12.9; 5.3'), trial designs, sentences that lean on the one
    before them and ones that send the reader to another label tell a patient little."""
    words = len(text.split())
    numbers = len(_NUMBER.findall(text))
    penalty = 0.0
    if words and numbers / words > 0.25 and not key:  # a dosing line is numbers by nature
        penalty += 1.5
    if not key and trial_design(text):  # "The most common adverse reactions in placebo-controlled trials
        penalty += 1.0                           # were ..." is what a side-effects question asks
    if _TRIAL_POPULATION.search(text):
        penalty += _TRIAL_POPULATION_PENALTY
    if _BACK_REFERENCE.search(text):
        penalty += _BACK_REFERENCE_PENALTY
    elif _POINTS_BACK.search(text):
        penalty += _POINTS_BACK_PENALTY
    if _REFERRAL.search(text) or _ABOUT_TABLE.search(text):
        penalty += 2.0
    if _TABLE_ROW.match(text):
        penalty += _TABLE_ROW_PENALTY
    if _WORD_LOST.search(text):
        penalty += 2.0
    return penalty


# A sentence the label's text lost a word of ("Discontinue clarithromycin tablets if occurs"): it reads as nonsense.
_WORD_LOST = re.compile(r"\bif (?:occurs|develops|appears|persists)\b|\b(?:the|a|an) (?:of|is|are|and|or)\b", re.I)


# An item cut from a list: names and commas only ("Lomitapide, lovastatin, and simvastatin.").
_NAME_LIST = re.compile(r"^(?:[\w-]+(?: [\w-]+)?, )+(?:(?:and|or) )?[\w-]+(?: [\w-]+)?\.?$")


_HEADING_GLUE = frozenset({"and", "of", "or", "the", "in", "with", "for", "to", "a", "an", "from"})


# The tail of a literature citation cut from the sentence it closed: "2:747-830, 1970). UGDP reported ..."
_CITATION_TAIL = re.compile(r"^\d+(?:\(\d+\))?:\s?\d+[-–]\d+,? (?:19|20)\d{2}\)")
# A patient leaflet's heading worded as a question, left alone: "What to do if a dose is missed."
_QUESTION_HEADING = re.compile(r"^(?:what to do|how to (?:take|use|store)|when to (?:take|use|stop))\b"
                               r"[^.;:]{0,50}[.:]?$", re.I)


@lru_cache(maxsize=65536)  # pure (issue 18)
def fragment(text: str) -> bool:
    """Not a sentence on its own: a list of names that does not say what they are about ("Lomitapide,
    lovastatin, and simvastatin."), or a heading left alone ("Community-Acquired Pneumonia.")."""
    if _NAME_LIST.match(text.replace(", and ", ", ").replace(", or ", ", ")) is not None:
        return True
    if _QUESTION_HEADING.match(text) is not None or _CITATION_TAIL.match(text) is not None:
        return True
    words = text.rstrip(".:").split()
    # ("Monoamine Oxidase Inhibitors (MAOIs):." is a heading too)
    # ("Laboratory Abnormalities and Laboratory Monitoring for Adverse Reactions Laboratory Monitoring Pregnancy
    # Testing.": headings run together; a sentence has lower-case words of its own)
    return (0 < len(words) <= 16 and not text.isupper()
            and all(w.lstrip("([")[:1].isupper() or w in _HEADING_GLUE for w in words)
            and (len(words) <= 6 or not (any(ch.isdigit() for ch in text) or words[0] in _TITLED_ADVICE)))


# Words an instruction written in title case opens with ("Do Not Take With Alcohol And Other ..."): no heading.
_TITLED_ADVICE = frozenset({"Do", "Don't", "Keep", "Ask", "Stop", "Use", "Take", "Avoid", "If", "When", "Consult",
                            "Tell", "Call", "Seek", "Never", "Not", "Store", "Discontinue"})


def refers_elsewhere(text: str) -> bool:
    """'Consult the labeling of all concurrently used drugs ...': a pointer, never a safety item."""
    return _REFERRAL.search(text) is not None


_PAEDIATRIC = re.compile(r"\bpediatric|\bpaediatric|\bchildren\b|\bchild\b|\bneonates?\b|\binfants?\b|"
                         r"\badolescents?\b|\b\d+ (?:years?|months?) of age and older\b|\bweeks? of age\b", re.I)
# Labels dose adults by weight too: "Patients greater than 40 kg: 500 or 875 mg every 12 hours". A child's line
# capped at the adult's ("25 to 45 mg/kg/day ..., up to the adult dose") is not an adult's line.
_ADULT = re.compile(r"\badults?\b(?! (?:dose|doses|dosage|dosing|maximum|maximal))|"
                    r"(?:\bweighing |\bgreater than |\bmore than |\bover |\bat least |≥ ?|> ?)"
                    r"(?:40|45|50) ?kg\b", re.I)


def population_fit(text: str, conditions: list[Condition], attribute: str | None, section: str = "") -> float:
    """A child's dose for a child, an adult's for everyone else: a dosing answer for an adult asker (the
    default) that leads with the paediatric dose is the wrong answer."""
    names = {c.name for c in conditions}
    ages = [a for c in conditions for a in c.ages]
    ranges, paediatric, adult = population_marks(text)
    if ages and ranges:  # "Children under 6 years: ask a doctor" for a 4-year-old
        return 1.5 if any(lo <= a < hi for a in ages for lo, hi in ranges) else -2.0
    if section == "pediatric" and "child" not in names and attribute != "pediatric":
        return -1.5  # the use-in-children section answers an adult's question only about children
    if section == "lactation" and "child" in names and "breastfeeding" not in names and attribute != "lactation":
        return -1.5  # its "breastfed child" is the nursing mother's baby, not the child who would take it
    if "child" in names:
        if section == "dosage" and attribute not in ("dosage", "pediatric", None):
            return -1.0  # what it does to a child ("nightmares since he started it"), not how much to give
        return (1.0 if paediatric else 0.0) - (1.0 if adult and not paediatric else 0.0)
    if paediatric and not adult:
        return -2.0 if "adult" in names else (-0.8 if attribute in ("dosage", None) else -0.3)
    if adult and ("adult" in names or attribute == "dosage"):
        return 0.6 if "adult" in names else 0.3
    return 0.0



@lru_cache(maxsize=65536)
def population_marks(text: str) -> tuple[tuple[tuple[int, int], ...], bool, bool]:
    """What population_fit reads of a sentence whatever the question: the age ranges it speaks of, whether it
    is a child's line, whether an adult's. Cached: a label's sentences come back question after question, and
    these patterns were ~7 ms of a new label's reading."""
    # "Epilepsy in patients 3 to 12 years of age: ...": ages that end in childhood say a child's line too
    ranges = tuple(age_ranges(text))
    paediatric = _PAEDIATRIC.search(text) is not None or _children_only(ranges)
    return ranges, paediatric, _ADULT.search(text) is not None

# -- whose medicine: the one asked about, and the user's own ----------------------------------------------
# "my warfarin", "with our lisinopril" (one word may sit between: "my daily aspirin"; not a verb: "my son take").
_POSSESSIVE = re.compile(r"\b(?:my|our|his|their)\s+(?:(?!(?:take|takes|taking|use|have|has|give|gets?)\b)"
                         r"[\w'-]+\s+)?$", re.I)
# "I take lisinopril, can I ...", "I'm on metoprolol", "my mom takes", "pt on simvastatin", "started Xanax".
# Not a prescriber's act: "my dentist prescribed tramadol" gives a new medicine; it is not one already taken.
_PRESCRIBERS = (r"(?:doctor|doc|dentist|gp|physician|psychiatrist|cardiologist|neurologist|surgeon|nurse|pharmacist|"
                r"specialist|dermatologist|oncologist|vet|consultant|provider|np|pa|urologist|gynecologist|obgyn|ob)\b")
_TAKING = re.compile(r"(?:\b(?:i|he|she|we|they|pt|patient|resident|lady|man|woman|gentleman|"
                     r"\d{1,3} ?(?:m|f|yo|y/o|yrs?|years? old)|(?:my|our|his|her) (?!" + _PRESCRIBERS + r")[\w-]+)"
                     r"(?:'m|'re|'s|'ve been| am| are| is| was| were| has been| have been)?\s+"
                     r"(?:already\s+|currently\s+|also\s+|still\s+|now\s+)?"
                     r"(?:take|takes|taking|on|use|uses|using|started(?:\s+on)?|prescribed)|"
                     r"\b(?:started|been taking|been on|while on|while taking)(?:\s+on)?)\s+(?:[\w'-]+\s+)?$", re.I)
# "can I take ...", "should he use ...": the clause asks; it does not say the medicine is taken.
_MODAL_BEFORE = re.compile(r"\b(?:can|could|should|may|might|would|do|does|did|shall|will|is it \w+ (?:for \w+ )?to)"
                           r"\s+$", re.I)
_CLAUSE_END = re.compile(r"[,.;:!?]|\b(?:and|but|so)\s")
_LISTED = re.compile(r"\s*(?:,|and|&|,\s*and)\s*")


# A Chinese clause saying the name after it is taken: 在吃, 经常吃, 一直在用, 吃着.
_ZH_TAKEN_BEFORE = re.compile(r"(?:在|经常|平时|常常|一直|长期|每天|天天)(?:在)?(?:吃|服|用)(?:着)?$|吃着$|服用着$|"
                              r"舌下含(?:服)?(?:着)?$")
_ZH_CLAUSE_END = re.compile(r"[，,。；;！!？?]")
# A clause that starts with taking it and says no more than how it goes: "本人癫痫，吃丙戊酸钠控制得还可以" (not
# "吃布洛芬可以吗", "能吃曲马多吗", which ask)
# "阿奇霉素效果不好，能换多西环素吗": the medicine switched to is asked; the ones named before it are taken
_ZH_SWITCHED_TO = re.compile(r"(?:换|改|换成|改成|改用|换用|换了)$")
_ZH_BARE_TAKING = re.compile(r"^(?:我|本人|他|她|我妈|我爸|老人|孩子)?(?:吃|服|服用|用)$")
_ZH_ASKS = re.compile(r"吗|嗎|？|\?|可不可以|行不行|要不要|会不会|有没有|怎么|多少|几")


def own_medicines(question: str, mentions: list[tuple[str, str]], referred: frozenset[str] = frozenset()) -> set[str]:
    """The medicines the asking turn names as already taken ("I take lisinopril, can I take ibuprofen?", "is
    Advil ok with my warfarin?"), given (medicine id, surface) of its mentions; the others are asked about, and
    so are the `referred` ones the turn means without naming them ("新的这个药能不能和布洛芬一起吃？我膝盖疼，经常吃
    芬必得": the new one). Empty when every medicine would be the user's own: then none is the new one."""
    lowered = question.casefold()
    own: set[str] = set()
    named: set[str] = set()
    own_end = -1
    placed = sorted(((lowered.find(s.casefold()), mid, s) for mid, s in mentions if s.casefold() in lowered))
    switched = next((at for at, _, _ in placed if _ZH_SWITCHED_TO.search(lowered[:at])), None)
    for at, mid, surface in placed:
        named.add(mid)
        if switched is not None and at < switched:
            own.add(mid)
            continue
        before = lowered[:at]
        if own_end >= 0 and _LISTED.fullmatch(lowered[own_end:at]):  # "I take warfarin and lisinopril"
            own.add(mid)
            own_end = at + len(surface)
            continue
        cut = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
        clause = before[cut:]
        zh_clause = before[max((m.end() for m in _ZH_CLAUSE_END.finditer(before)), default=0):]
        after = lowered[at + len(surface):]
        rest = after[: (end.start() if (end := _ZH_CLAUSE_END.search(after)) else len(after))]
        if _ZH_TAKEN_BEFORE.search(zh_clause) or (_ZH_BARE_TAKING.search(zh_clause) and rest
                                                  and not _ZH_ASKS.search(rest)):
            own.add(mid)  # "我膝盖疼，经常吃芬必得", "我在吃华法林，能吃布洛芬吗": said as taken
            own_end = at + len(surface)
            continue
        taking = _TAKING.search(clause)
        if _POSSESSIVE.search(clause) or (taking and not _MODAL_BEFORE.search(clause[:taking.start()])):
            own.add(mid)
            own_end = at + len(surface)
    return own if named - own or referred - own else set()


# -- what happens in people, not in animals ------------------------------------------------------------------
_ANIMAL = re.compile(r"\b(?:mice|mouse|rats?|rodents?|dogs?|rabbits?|monkeys?|hamsters?|animals?|"
                     r"nonclinical|preclinical)\b", re.I)
# ("4 or more mg amlodipine/kg or higher in dogs", "on a mg/m 2 basis": doses of animal studies)
_TOXIC_DOSE = re.compile(r"\bmg(?: [a-z]+)?/kg\b|\bmg/m ?2\b|\blethal|\bdeaths?\b|\bLD50\b|\bcarcinogen|\bmutagen",
                         re.I)
_ASKS_ANIMALS = re.compile(r"\b(?:dog|cat|pet|puppy|kitten|horse|rat|mouse|mice|animals?|veterinar\w*)\b", re.I)


def asks_about_animals(question: str) -> bool:
    return _ASKS_ANIMALS.search(question) is not None


# The penalty of an animal-toxicity sentence (lethal doses, mg/kg): the reader leaves such a sentence out.
ANIMAL_TOXICITY = 2.5


@lru_cache(maxsize=65536)  # pure (issue 18)
def animal_penalty(text: str) -> float:
    """What a drug did to mice, rats or dogs tells a patient little: an animal-toxicity sentence (doses in
    mg/kg, lethal doses) least of all; a human sentence of the same section says what applies to them."""
    if _ANIMAL.search(text) is None:
        return 0.0
    return ANIMAL_TOXICITY if _TOXIC_DOSE.search(text) else 1.2


_CHILD_SWALLOWED_BONUS = 3.0
# "He seems completely fine", "can she sleep it off?" after too much: the label's effects that come later
_SEEMS_FINE = re.compile(r"\b(?:seems?|feels?|feeling|looks?|is|am|acting|appears?)(?: to be)? (?:completely |totally |"
                         r"perfectly |absolutely |just )?(?:fine|ok|okay|normal|alright|all right|well)\b|"
                         r"\bno symptoms\b|\bsleep (?:it|this) off\b|\bwait and see\b|\bnothing (?:has )?happened\b|"
                         r"没(?:什么|啥)?(?:反应|症状|事)|看起来(?:挺|还|很)?(?:好|正常)|睡一觉", re.I)
DELAYED_EFFECT_WORDS = "delayed evident apparent notice until observed"
# "What are the signs of too much?", "what would show he's had too much?": what an overdose looks like
_ASKS_SIGNS = re.compile(r"\b(?:signs?|symptoms?|what (?:would|will|does|do) (?:it |that )?(?:show|look like)|"
                         r"(?:watch|look) (?:out )?for|keep an eye (?:out )?for)\b|"
                         r"什么(?:症状|反应|表现)|会怎么样", re.I)
OVERDOSE_SIGN_WORDS = "characterized manifestations signs symptoms include"


def asks_signs(question: str) -> bool:
    """Whether the question asks what too much would look like."""
    return _ASKS_SIGNS.search(question) is not None


def seems_fine(question: str) -> bool:
    """Whether the asker says the one who took too much seems well (what may come later answers)."""
    return _SEEMS_FINE.search(question) is not None


_WHAT_TO_DO = re.compile(r"\bpoison control|\bmedical (?:help|attention)|\bemergency|\bsupportive|\bmonitor|"
                         r"\bsymptoms?\b|\bsigns?\b|\bmay (?:cause|lead|result)|\bexpected to (?:cause|produce)|"
                         r"\bcall your|\bcontact\b|\btreatment\b", re.I)
# "If a dose is missed, take only the next scheduled dose (without doubling it)"; not the titration's
# "double the dose every two weeks".
_DOUBLED = re.compile(r"\bmissed (?:a )?dose|\bdose is missed|\b(?:two|2) doses\b|"
                      r"\bdoubl\w* (?:up\b|(?:the |a |your )?(?:next|missed) dose)|\bwithout doubling|\bdouble dose|"
                      r"\bextra dose|\btoo much\b|\boverdos", re.I)


def overdose_fit(text: str, conditions: list[Condition], section: str, child: bool = False) -> float:
    """For "I took two by mistake": the overdosage section's human sentences (what happens, what to do) and the
    patient information's doubled-dose advice, not the dosing section's titration ("double the dose every
    two weeks"). `child`: a child swallowed it; the section's lines on children ("Seizures occurred in a
    3-year-old child ingesting 3.6 mg") are the ones the parent needs."""
    if not any(c.name == "overdose" for c in conditions):
        return 0.0
    if section == "overdosage":
        fit = 1.0 if _WHAT_TO_DO.search(text) else 0.3
        return fit + (_CHILD_SWALLOWED_BONUS if child and population_marks(text)[1] else 0.0)
    if _DOUBLED.search(text):
        return 1.2
    return -1.5 if section == "dosage" else 0.0


_UNDER = r"(?:under|less than|younger than|below)"
_AGE_RANGES: tuple[tuple[re.Pattern[str], str], ...] = (
    # "children 6 years to under 12 years", "2 to 5 years of age", "ages 6-11"
    (re.compile(rf"\b(\d{{1,2}})(?: years?| yrs?)?(?: of age)? ?(?:to|-|–|through) ?(?:{_UNDER} )?(\d{{1,2}}) ?"
                r"(?:years?|yrs?)", re.I), "span"),
    # "children under 6 years", "younger than 12 years"
    (re.compile(rf"\b{_UNDER} (?:the age of )?(\d{{1,2}}) ?(?:years?|yrs?)", re.I), "below"),
    # "12 years and over", "6 years of age and older"
    (re.compile(r"\b(\d{1,2}) ?(?:years?|yrs?)(?: of age)? (?:and|or) (?:over|older|above)", re.I), "above"),
    # "children over 8 years of age", "older than 12 years"
    (re.compile(r"\b(?:over|older than|above|greater than) (\d{1,2}) ?(?:years?|yrs?)", re.I), "above"),
    # "8 years of age or less", "2 years or younger"
    (re.compile(r"\b(\d{1,2}) ?(?:years?|yrs?)(?: of age)? or (?:less|younger|under)", re.I), "up_to"),
    # "(infancy and childhood) to the age of 8 years"
    (re.compile(r"\b(?:up )?to the age of (\d{1,2}) ?(?:years?|yrs?)", re.I), "below"),
)


def for_other_ages(text: str, conditions: list[Condition]) -> bool:
    """A sentence about ages that leave out the child asked about ("adults and children 12 years and over" for a
    4-year-old): never their answer."""
    ages = [a for c in conditions for a in c.ages]
    ranges = age_ranges(text) if ages else []
    return bool(ranges) and not any(lo <= a < hi for a in ages for lo, hi in ranges)


ADULT_AGE = 18


def children_only(text: str) -> bool:
    """Whether every age range a sentence speaks of ends in childhood ("patients 3 to 12 years of age",
    "under 6 years"); "12 years and older" reaches adults."""
    return _children_only(age_ranges(text))


def _children_only(ranges: Sequence[tuple[int, int]]) -> bool:
    return bool(ranges) and all(high <= ADULT_AGE for _, high in ranges)


# Every age pattern needs a digit and "year"/"yr": most label sentences have neither, and the five patterns
# over every sentence of a new label were ~5% of a turn's CPU (issue 18).
_AGE_DIGIT = re.compile(r"\d")
_AGE_YEARS = re.compile(r"years?|yrs?", re.I)


def age_ranges(text: str) -> list[tuple[int, int]]:
    """The age ranges in years a sentence speaks of, [low, high)."""
    out: list[tuple[int, int]] = []
    if _AGE_DIGIT.search(text) is None or _AGE_YEARS.search(text) is None:
        return out
    taken: list[tuple[int, int]] = []
    for pattern, kind in _AGE_RANGES:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue  # "under 12 years" inside "6 years to under 12 years"
            taken.append(m.span())
            if kind == "span":
                low, high = int(m.group(1)), int(m.group(2))
                out.append((low, high + (0 if re.search(_UNDER, m.group(0), re.I) else 1)))
            elif kind == "below":
                out.append((0, int(m.group(1))))
            elif kind == "up_to":
                out.append((0, int(m.group(1)) + 1))
            else:
                out.append((int(m.group(1)), 200))
    return out


_TEMPERATURE = re.compile(r"\b(\d{1,3})\s?(?:degrees|°|º|deg\b|c\b)", re.IGNORECASE)


def said_temperatures(text: str) -> frozenset[str]:
    """The numbers the user said as a temperature ("the hotel room is about 28 degrees"): no word to match in a label,
    where 28 is "28 days" of a storage line."""
    return frozenset(_TEMPERATURE.findall(text))


def said_ages(text: str) -> frozenset[str]:
    """The numbers the user said as someone's age ("my daughter is 15", "my 8 yo", "I'm 72"): no word of the
    question to match in a label, where 15 is a Child-Pugh score or a percentage."""
    found = {a or b for a, b in _AGE.findall(text)} | set(_AGE_SAID.findall(text))
    return frozenset(found - {""})
