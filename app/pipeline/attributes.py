"""Which section of a label a question asks about, from its wording (English and Chinese cues).

Each cue is a regular expression with a weight; the attribute with the highest total wins. Cues are
phrased the way consumers ask ("can I take it while pregnant", "how much should I take"), not the way
labels are headed, because the questions come from patients.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.pipeline.allergy_spelling import spell_allergy_words
from app.pipeline.cue_spelling import spell_cue_words
from indexing.schema import Attribute

A = Attribute

_EN_CUES: list[tuple[str, Attribute, float]] = [
    # interactions
    # (a clinician's "any ix to watch?", "DDIs")
    (r"\binteract\w*|\bix\b|\bddis?\b|\bdrug[- ]drug\b", A.INTERACTIONS, 3),
    (r"\b(take|taking|use|using|mix|mixing|combine|combining)\b.{0,40}\b(with|and|together|alongside)\b",
     A.INTERACTIONS, 1.5),
    (r"\b(together with|along with|at the same time|same time as|in combination|combined with)\b",
     A.INTERACTIONS, 2),
    (r"\b(alcohol|beer|wine|drinking|grapefruit|caffeine|coffee)\b", A.INTERACTIONS, 1.5),
    # "My son takes Ritalin." ... "Can he have a coffee before exams?": caffeine beside it
    (r"\b(have|drink|with|on|and) (a |an |some |any |my |his |her )?(coffees?|caffeine|espressos?|energy drinks?|"
     r"red bull)\b", A.INTERACTIONS, 2),
    (r"\b(contraindicated with|safe to take with|ok to take with|okay to take with)\b", A.INTERACTIONS, 2),
    # "What can't I take with it?", "what shouldn't I mix with warfarin": what else not to take is the interactions
    (r"\bwhat(?: else)? (?:can'?t|cannot|can not|shouldn'?t|should not|must not|mustn'?t|(?:can|should) i not|not to)"
     r"(?: i| we| he| she| they)? (?:take|have|use|mix|combine)\b.{0,30}\bwith\b", A.INTERACTIONS, 3.5),
    # "Is problem for him with the blood thinner?", "is bad with the pills for the pressure?": a trouble with what
    # else is taken (the article left out, as people writing in a second language do; not food or a drink)
    (r"\b(a )?(problem|problems|issue|danger|trouble|bad|dangerous|ok|okay|safe)\b(?: for (him|her|me|them|us|my \w+))?"
     r"\s+with (the|my|his|her|their|your|this|that|these) (?!food|meals?|breakfast|lunch|dinner|milk|water|juice|"
     r"coffee|tea)\w+", A.INTERACTIONS, 2.5),
    # "Any issue mixing the two?", "is it ok to mix them?"
    (r"\b(mix|mixing|mixed|combine|combining|combined)\s+(the two|both|them|these|those|the two of them|"
     r"(it|this|that|them) with)\b(?! up\b)", A.INTERACTIONS, 3),  # (not "sorry, I mix them up")
    (r"\binterr?ac?t\w*|\binteration", A.INTERACTIONS, 3),
    (r"\b(taken|used|use|take|given) (together|at the same time)\b|\btogether\??$", A.INTERACTIONS, 2.5),
    (r"\b(while|when|whilst) (on|taking|talking|using)\b", A.INTERACTIONS, 1.5),
    (r"\b(foods?|eat|eating|drink|diet|spices?|vegetables?|fruits?|juice|supplements?|vitamins?|herbs?|"
     r"herbal|painkillers?|pain killers?|antibiotics?|otc|over the counter)\b.{0,40}\b(while|when|with|on|"
     r"taking)\b", A.INTERACTIONS, 1.5),
    (r"\b(not|shouldn'?t|can'?t|cannot) be (taken|used|mixed|combined) with\b", A.INTERACTIONS, 3),
    # "Coumadin - anything I shouldn't eat or drink?", "foods to avoid on warfarin": what to leave out of the
    # diet is an interaction (and, by "avoid", a warning), not an effect of the medicine ("make me eat more")
    (r"\b(shouldn'?t|should not|must not|mustn'?t|better not|not (allowed|supposed|meant) to)\s+(eat|drink)\b|"
     r"\b(what|which|anything|any)\b.{0,30}\b(can'?t|cannot|can not)\s+(i\s+|we\s+|he\s+|she\s+)?(eat|drink)\b|"
     r"\b(foods?|drinks?|beverages?|eat|eating|drink|drinking|alcohol|diet)\b.{0,30}\b(avoid\w*|stay away from|"
     r"off[- ]limits|not allowed|cut out)\b|\b(avoid\w*|stay away from|cut out)\b.{0,20}\b(foods?|drinks?|"
     r"beverages?|eating|drinking|alcohol)\b", A.INTERACTIONS, 3.5),
    # "Is that okay with my heart pill?", "safe with my aspirin": the user's other medicine
    (r"\bwith (my|his|her|your|their) (\w+ ){0,2}(pills?|medicines?|medications?|meds|drugs?|prescriptions?|"
     r"tablets?|inhalers?|insulin|blood thinners?)\b|\b(safe|ok|okay|alright|fine|problem|issue|risky)\b.{0,20}"
     # (not a person: "ok I'll sort that one with my GP")
     r"\bwith (my|his|her|your|their)\b(?! (gp|doctors?|dr|nurse|pharmacist|consultant|specialist|midwife|"
     r"surgeon|dentist|team|husband|wife|partner|mum|mom|dad|family|friends?)\b)", A.INTERACTIONS, 3),
    # "A&E sent her home with tramadol. Is that OK with the others?": the medicines listed before
    (r"\b(safe|ok|okay|alright|all right|fine|problem|issue|clash\w*|interfere|go)\b.{0,20}\bwith (the|her|his|my|"
     r"their|your) (others|rest|other ones)\b|\bwith (everything|anything) else (she|he|i|they|we) (takes?|is on|am on|"
     r"are on|has|have)\b|\bwith all (of )?(her|his|my|their|the) (other )?(tablets|pills|meds|medicines|"
     r"medications|others)\b", A.INTERACTIONS, 3.5),
    (r"\b(birth control|contraceptives?|oral contraception)\b", A.INTERACTIONS, 2),
    # "now starting calcium carbonate. Spacing advice?", "how should I space them?": apart from another medicine
    (r"\bspacing\b|\bspace (them|it|these|those|the two|doses) (out|apart)\b|\bhow (should|do) (i|we|they) space\b|"
     r"\bstagger\w*\b", A.INTERACTIONS, 3),
    # "I'm on the combined pill. Does that still work properly with it?": the contraceptive pill beside it
    (r"\b(combined|contraceptive|mini|progestogen[- ]only|progesterone[- ]only) ?pills?\b|\bon the pill\b|"
     r"\b(still|stop|stops|won'?t|doesn'?t|not) work\w*( properly| as well| right)? (with|on|while)\b",
     A.INTERACTIONS, 2.5),
    (r"\b(affect|affects|interfere\w*|weaken\w*|cancel\w*|stop)\b.{0,20}\b(birth control|contraceptives?|"
     r"(other )?(medicines?|medications?|meds|drugs|pills))\b", A.INTERACTIONS, 1.5),
    # "Can she have anything for a cough?" with a medicine named: what else is safe alongside it
    (r"\b(have|take|use|give|get)\b (anything|something|any \w+ medicines?)\b( else)? (for|with)\b",
     A.INTERACTIONS, 3),
    # adverse reactions
    (r"\bside[- ]?(effects?|efects?|affects?|afects?|effets?|efffects?|effcts?)\b", A.ADVERSE_REACTIONS, 3),
    (r"\b(adverse|reactions?|undesirable effects?)\b", A.ADVERSE_REACTIONS, 2),
    (r"\b(cause|causes|causing|caused|give you|gives you|make you|makes you|make me|made me)\b",
     A.ADVERSE_REACTIONS, 1.5),
    (r"\b(dizz\w*|nause\w*|vomit\w*|headache|rash|itch\w*|hair loss|weight gain|insomnia|drows\w*|"
     r"nod(?:ded|ding|s)? off|doz(?:e|ed|es|ing) off|f[ae]ll(?:s|ing)? asleep|the runs|"
     r"(?:loose|runny|watery) (?:poos?|poops?|stools?|bowels?|motions?)|"
     r"tired\w*|fatigue|constipat\w*|diarrh\w*|swelling|bleed\w*|cough\w*|depress\w*|long[- ]term effects?)\b",
     A.ADVERSE_REACTIONS, 1),
    # dosage
    # (not "the first dose is tonight": when, not how much)
    (r"(?<!\bfirst )\b(dose|doses|dosage|dosing|dosed)\b", A.DOSAGE, 3),
    (r"\bhow (much|many|often|long)\b", A.DOSAGE, 2),
    # "how much guaifenesin can I take for the cough?": the amount to take, asked outright (not "can I take it
    # with X" beside the medicine said before)
    (r"\bhow (much|many)\b.{0,40}\b(can|could|should|do|may|shall) (i|you|he|she|we|they) (take|have|give|use)\b",
     A.DOSAGE, 1.5),
    (r"\b(\d+(\.\d+)?\s?(mg|mcg|g|ml|units?|iu)|milligrams?|micrograms?)\b", A.DOSAGE, 1.5),
    (r"\bhow (do|should|can|to) (i |you |we )?(take|use|give|apply|inject|administer|stop|start)\b",
     A.DOSAGE, 2.5),
    (r"\b(when|what time) (should|do|can) (i|you) take\b", A.DOSAGE, 2.5),
    # "Should the capsules be taken at bedtime?", "do I take it at night or in the morning": when to take it
    (r"\b(take|taken|taking|use|used|using|give|given)\b( (it|them|this|these|those|one|mine|the \w+))?"
     r" (at (bedtime|night|bed ?time)|before bed|in the (morning|evening))\b", A.DOSAGE, 3),
    # "took my opill 5 hrs late today": a dose taken late, what the dosing says to do then
    (r"\b(\d+|a few|few|couple of|two|three|four|five|six|several) (hrs?|hours?) late\b|"
     r"\btook (it|my \w+|her \w+|his \w+) (\w+ )?late\b", A.DOSAGE, 4),
    # "why is mine 5 when my husband got 20??": why this dose, the dosing's reasons
    (r"\bwhy (is|was|am i on|did i get|do i get|have i got) (mine|my dose|my \w+|it|i|her \w+|his \w+)\b.{0,25}"
     r"\b\d+(\.\d+)?\b", A.DOSAGE, 3.5),
    # "is that going to mess with it?": one thing taken upsetting another
    (r"\bmess(es|ing)? with (it|them|that|this|(my|his|her) (meds|medications?|medicines?|tablets?|pills?))\b",
     A.INTERACTIONS, 4.5),
    # "dizzy and zappy ... is that from missing it?": what stopping it does
    (r"\b(from|since|because of|after) (missing|stopping|running out of|coming off|not taking|skipping) "
     r"(it|them|my|the|his|her|doses)\b", A.WARNINGS, 5),
    # "fasting bloods at 9 ... do I still take it at half 8 like normal?": whether and when to take the usual dose
    (r"\b(do|should|can|shall) (i|we|he|she|they) still (take|give|have|use) (it|them|mine|my \w+|his \w+|her \w+)"
     r"( \w+)?( at (\d|half|quarter|the usual|my usual|the normal)| (in the morning|tonight|tomorrow)|"
     r" as (normal|usual)| like (normal|usual))", A.DOSAGE, 3.5),
    # "Can she have the dementia one in the morning instead?": a time of day wanted instead of the one said
    (r"\b(at (bedtime|night|bed ?time)|before bed|in the (morning|evening|afternoon)) instead\b|"
     r"\b(move|switch|change|swap) (it|them|\w+ \w+|the \w+(?: one)?) to (the )?(morning|night|evening|bedtime)\b",
     A.DOSAGE, 3),
    # "They're moving me onto Eliquis. How does the changeover work?", "Can he have the first Entresto tonight or does
    # he need to wait?": switching from one medicine to another, which the new one's dosing section says ("Switching
    # from warfarin to ELIQUIS ...", "allow a washout period of 36 hours")
    (r"\b(changeover|change ?over|switch ?over|cross ?over|wash ?out period)\b|"
     r"\b(how|when) (do|does|should|can) (i|we|he|she|they) (switch|change|swap|move|go) (over|across)?\b|"
     r"\b(last|final) (dose|tablet|one)\b.{0,60}\b(first|start|new one)\b|"
     r"\b(first|start)\b.{0,40}\b(tonight|tomorrow)\b.{0,40}\b(or|do)\b.{0,20}\bwait\b", A.DOSAGE, 4),
    (r"\b(missed|miss|forgot|forget|skip\w*) (a |my |the )?(dose|pill|tablet)s?\b", A.DOSAGE, 3),
    (r"\b(taper\w*|stop taking|come off|wean\w*|maximum|max|daily|twice|once a day|per day|a day)\b",
     A.DOSAGE, 1),
    (r"\b(empty stomach|with food|before meals?|after meals?|crush\w*|chew\w*|split\w*)\b", A.DOSAGE, 1.5),
    # "Do I need to take Eliquis with food?": how to take it, not a food interaction
    (r"\b(take|taken|taking|swallow\w*)\b.{0,40}\b(with(out)? (food|a meal|meals|milk|breakfast)|"
     r"on an empty stomach|empty stomach)\b", A.DOSAGE, 2),
    (r"\b(stop|stopping|stopped|quit|quitting|wean|weaning|reduce|reducing|cut down|come off|taper)\b",
     A.DOSAGE, 2),
    # ("how should she actually be taking it": the -ing forms too)
    (r"\bhow (do|does|should|can|to|is|are|would) .{0,30}\b(use|used|using|take|taken|taking|give|given|giving|"
     r"inject|injected|injecting|administer|administered|apply|applied|applying|dispensed|prescribed|prep|"
     r"prepare|mix|dose)d?\b", A.DOSAGE, 2),
    (r"\b(administer\w*|inject\w*|self[- ]inject\w*|apply|applied|instill\w*|syringe|pen|patch)\b",
     A.DOSAGE, 1),
    (r"\b(what|which|best|right) time\b|\bwhen (to|should|do|can) (i |you )?(take|start|use|give)\b",
     A.DOSAGE, 2.5),
    (r"\b(mgs?|mcg|milligram\w*|strengths?|strenths?|lowest|highest|amount|daily|a day|long[- ]term use)\b",
     A.DOSAGE, 1.5),
    (r"\b(eat|food|meal)s? (after|before|with)\b|\b(after|before) (eating|meals?|food)\b", A.DOSAGE, 1.5),
    # "is it better to take it in the evening / at night / with food?": when and how to take it
    (r"\b(better|best|ok|okay|fine|alright|matter|important)\b.{0,30}\b(take|taking|use|using|dose|swallow)\b"
     r".{0,30}\b(morning|evening|afternoon|night|bedtime|before bed|mealtime|with (food|meals?|milk|breakfast|"
     r"dinner|lunch)|empty stomach|same time)\b|\b(morning|evening|night(time)?|bedtime) (or|vs\.?|versus) "
     r"(morning|evening|night(time)?|bedtime)\b", A.DOSAGE, 3.5),
    # "I forgot my dose, should I take two tomorrow?", "missed a pill, can I double up?": the missed-dose
    # advice, not an overdose
    (r"\b(missed|miss|forgot|forget|forgotten|skipped|skip)\b.{0,40}\b(dose|pill|tablet|shot|injection|"
     r"it|them|one)\b.{0,60}\b(double|two|twice|extra|make up|catch up|next|tomorrow|later)\b|"
     r"\bforgot (to take|my)\b", A.DOSAGE, 4.5),
    # "I threw up 20 minutes after my metformin, do I take another?": whether to repeat a dose brought back up
    (r"\b(threw|throw\w*|vomit\w*|sick|spat|spit\w*)\b.{0,60}\b(take|give|have|repeat)\b.{0,20}"
     r"\b(another|again|one more|more|second)\b|\b(threw|vomit\w*|sick|spat)\b.{0,60}\bre-?(take|dose)\b",
     A.DOSAGE, 4.5),
    # pregnancy / lactation / populations
    # ("?safe in preg", "preg 28/40": a clinician's shorthand)
    # ("the gestation"; "embarrassed of eight weeks": Spanish "embarazada", pregnant, as a translator app leaves it)
    (r"\b(pregnan\w*|preg|expecting a baby|trying to conceive|conceiv\w*|trimester|fetus|fetal|unborn|gestation|"
     r"embarazada|gr[aá]vida|incinta|enceinte|schwanger|"
     r"embarrass?ed (of |with |since |for )?(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\w* "
     r"(weeks?|months?))\b|"
     r"\b([4-9]|[1-3]\d|4[0-2])(\+[0-6])?/40\b", A.PREGNANCY, 4),
    # "we're trying for a baby ... is it safe for the baby?": a pregnancy planned, not a child's dose
    # (not "I'm not planning a baby right now!!", said to rule it out)
    (r"(?<!not )(?<!n't )(?<!never )(?<!no )\b(trying (for|to have) a (baby|child)|"
     r"planning (a|to have a) (baby|family)|start(ing)? a family|"
     r"get(ting)? pregnant|(would|'d|we'd) (really )?(like|love) (to have |to try for )?(a|another) (baby|child)|"
     r"want(ing)? (to have )?(a|another) baby|"
     r"(a|another) baby next year|father a child)\b|"
     # "i just got a positive test 🤰 about 6 weeks" (read_cues reads it so too)
     r"\bpositive (pregnancy )?test\b|\b(pregnancy )?test (is|was|came back|came up) positive\b", A.PREGNANCY, 6),
    # whether to stop it should a pregnancy come: "do I need to come off that one too if I fall pregnant?"
    (r"\b(stop|come off|get off|quit|switch)\b.{0,40}\b(if|when|once|now that|because)\s+(i|she|we)\s*"
     r"('m|am|is|are|fall|get|become|got|found out|find out)?\s*(\w+\s+)?pregnan", A.PREGNANCY, 3),
    # giving blood on a medicine ("not to donate blood during isotretinoin therapy"): the warnings
    (r"\b(give|giving|donate|donating) blood\b|\bblood (donation|donor|drive)\b", A.WARNINGS, 4),
    (r"\b(breast[- ]?feed\w*|breast[- ]?milk|nursing|lactat\w*)\b|"
     # "This medicine go inside my milk?", "does it pass to my milk": the mother's milk
     r"\b(in|into|inside|to|through) (my|the|her|mother'?s|mum'?s|mom'?s) milk\b", A.LACTATION, 4),
    (r"\b(child(?![- ]pugh)|children|kid|kids|infant|infants|"
     r"(?<!planning a )(?<!for a )(?<!want a )(?<!having a )baby(?! aspirin)|babies|toddler|pediatric|paediatric|"
     r"newborn|"
     r"teen\w*|adolescent\w*|my (son|daughter))\b", A.PEDIATRIC, 2.5),
    (r"\b(elderly|older (adult|patient|people|person)s?|senior|geriatric|aged|grandm\w*|grandf\w*)\b",
     A.GERIATRIC, 2.5),
    # "Does her age change anything with the digoxin?", "at his age": an older person's dosing and cautions
    # (not "too high for his age?" of a dose said: the dose lines say it)
    (r"\b(does|would|will|should|could) (his|her|my|their) age (change|matter|affect|make)\b", A.GERIATRIC, 3),
    # "my 80 year old dad", "Mum's 85", "I'm 74": an age of 65 or more is an older patient's question
    (r"\b(6[5-9]|[7-9]\d|1[01]\d)[- ]?(years?|yrs?)[- ]?old\b|\b(6[5-9]|[7-9]\d|1[01]\d) ?(yo|y/o)\b|"
     r"\b(i'?m|i am|he'?s|she'?s|he is|she is|(mum|mom|mother|dad|father|nan|gran|grandma|grandad|grandpa|"
     r"husband|wife|partner)('s| is)|aged?) (6[5-9]|[7-9]\d|1[01]\d)\b(?![- ]?(mg|mcg|kg|lbs?|units?|%|ml))",
     A.GERIATRIC, 3),
    (r"\b(kidney|renal|liver|hepatic)\b", A.SPECIFIC_POPULATIONS, 1.5),
    # "CrCl 28 ... Renal adjustment needed?", "does the dose need adjusting for her kidneys?": the dosing
    (r"\b(renal|hepatic|dose|dosage|dosing|kidney|liver) (adjust\w*|reduc\w*|modif\w*)\b|"
     r"\badjust\w* (the |his |her |my )?(dose|dosage|dosing)\b|\b(dose|dosage) (need|needs|needed) (adjust\w*|"
     r"chang\w*|lower\w*|reduc\w*)\b", A.DOSAGE, 3.5),
    # contraindications / warnings
    # an INR gone up after another medicine: "INR 4.9 ... finished a course of fluconazole. could that have pushed it
    # up?" (what the other medicine does to warfarin)
    (r"\binr\b.{0,160}\b(push\w*|rais\w*|increas\w*|put\w* (it )?up|bump\w*|affect\w*|caus\w*|sen[dt]\w* (it )?up)\b",
     A.INTERACTIONS, 3),
    # whether another medicine stops the pill working: "does amoxicillin stop the pill working?", "does the pill
    # still work?" (the labels' interactions with oral contraceptives)
    (r"\b(stop|stops|stopping|affect|affects|interfere with|make|makes|mess with)\b.{0,30}\b(the|my|her) (pill|"
     r"contracepti\w+|birth control)\b|\b(the|my|her) (pill|contraceptive|birth control)\b.{0,20}\b(still )?"
     r"(work|working|effective)\b", A.INTERACTIONS, 4),
    (r"\bcontraindicat\w*", A.CONTRAINDICATIONS, 4),
    # a clinician's "absolute no or is there a workaround?"
    (r"\babsolute(ly)? (no|not|contra\w*|ci)\b|\bwork[- ]?around\b", A.CONTRAINDICATIONS, 3),
    # "K+ 6.3 ... hold the spiro?", "HR 48 - hold?": whether to withhold it, which its warnings say
    (r"\b(hold|withhold|omit) (it|the \w+|him|her|this|today'?s dose|the dose)\b|\bhold\s*\?\s*$", A.WARNINGS, 3),
    (r"\b(who (should|must) not|should not (take|use)|shouldn'?t (take|use)|must not (take|use)|"
     r"can'?t (take|use)|cannot (take|use)|not (take|use) if|allergic)\b", A.CONTRAINDICATIONS, 2.5),
    (r"\b(warnings?|precautions?|cautions?|dangers?|dangerous|risks?|risky|safe|safety|harmful|careful)\b",
     A.WARNINGS, 1.5),
    (r"\b(black[- ]box|boxed warning)\b", A.BOXED_WARNING, 4),
    # a clinician's closing "— concerns?", "red flags?": what to watch for ("any issue?" stays with the other cues:
    # "my doctor just added a calcium supplement. Any issue?" is an interaction)
    (r"\b(any )?(concerns?|red flags?)\s*[?!.]*\s*$", A.WARNINGS, 3),
    # the warnings asked for by name: "Is there a warning I should know about?", "any warnings for my 8 year old?",
    # "what precautions ...?" (stronger than a child's age, which would read the pediatric use)
    (r"\b(is there an?|are there (any)?|any|what|which) (\w+ ){0,2}(warnings?|precautions?)\b", A.WARNINGS, 2),
    # "I threw up about an hour after taking my pill ... is the pill still working?": what the dosing says of a dose
    # brought back up (a contraceptive's "In case of severe vomiting or diarrhea ... additional contraceptive
    # measures"), not what stops it working beside another medicine
    (r"\b(threw up|throw(ing)? up|vomit\w*|been sick|was sick|being sick|diarrh\w*|the runs|stomach bug|d&v)\b"
     r".{0,200}\b(still (work|working|effective|protect\w*|covered|count)|need (to use )?(condoms|something else|"
     r"extra|back-?up|another (method|one))|retake|take another)\b", A.DOSAGE, 7),
    # "i still have my womb ... do I need progesterone as well?": the estrogen's warning on a uterus and unopposed
    # estrogens (its boxed warning), not the two medicines together
    (r"\b(still (have|has|got) (my|her|a) (womb|uterus)|(womb|uterus)\b.{0,80}\b(progest\w*|something else|"
     r"as well|alongside|too)\b)", A.BOXED_WARNING, 5),
    # "Is 10mg too much for someone her age?", "is that dose too high for him?": whether a dose suits them (the
    # dosing and its older patients' lines), not too much taken
    (r"\b(is|are|isn'?t) (\d+(\.\d+)? ?(mg|mcg|micrograms?|milligrams?|units?)|that|it|this|the dose|her dose|"
     r"his dose|the amount) (a bit |rather |way )?too (much|high|strong|big) for (someone|somebody|a |an |her|him|"
     r"his|my|me|them|people|older|elderly|kids?|children|a child|a baby)\b", A.DOSAGE, 6),
    # "can i double up on day 1 when its worst?": whether a bigger dose is allowed (the dosing's first and largest
    # doses), asked before anything was taken
    (r"\b(can|could|should|may|shall) (i|we|you|he|she|they) (just )?double (up|the dose|my dose|it|them)\b",
     A.DOSAGE, 4.5),
    # "I thought that was an allergy pill?? ... Has she given me the wrong thing?": whether it is for what they went
    # in about (its indications)
    (r"\b(has|have|did|is|was) (she|he|they|the doctor|the gp|my doctor|my gp|the pharmacy|the pharmacist|it|this|"
     r"that) (given|prescribed|gave|handed|dispensed|sent) (me|him|her|us|them) the wrong "
     r"(thing|one|medicine|medication|tablets?|pills?|drug)\b|\bi thought (that|it|this|they) (was|were) (an? |for )",
     A.INDICATIONS, 4.5),
    # "will the tamsulosin sort that out too?", "is tamsulosin meant to treat his blood pressure?": whether it is
    # for a second condition (its indications, which may say it is not), not its warnings
    (r"\b(will|would|does|can|could) (it|that|this|the \w+|his \w+|her \w+|my \w+|\w+) (also )?(sort|fix|cure|"
     r"clear|treat|help)\b.{0,40}\b(too|as well|also)\b|\b(is|are) (it|that|this|the \w+|his \w+|her \w+|my \w+|\w+) "
     r"(meant|supposed|designed|intended) to (treat|help|lower|fix|sort|cure)\b", A.INDICATIONS, 5),
    # overdosage
    (r"\b(overdos\w*|too (much|many)|double (dose|doses|does|dos|up)|doubled (up|(his|her|my|their|the) \w+)|"
     r"took two|toxic\w*|"
     r"(?<!together is )(?<!together are )(?<!together it's )(?<!food )poison(?!\s+(?:ivy|oak|sumac))\w*)\b",
     A.OVERDOSAGE, 3.5),
    # "by mistake take 4 tablets", "more than the box says": too much taken, as said in a second language too
    (r"\b(by mistake|mistakenly|accidentally|by accident)\b.{0,30}\b(take|takes|took|taken|swallow\w*|gave|give)\b"
     r".{0,20}\b(\d+|two|three|four|five|six|double)\b|\bmore than (the box|the label|the packet|the pack|the leaflet|"
     r"directed|recommended|it says|the doctor (said|says))\b", A.OVERDOSAGE, 5),
    # "Is it ok to start that so soon after the heart attack?": whether the state they are in rules it out
    (r"\b(is|would|will) (it|that|this) (be )?(ok|okay|safe|alright|all right|wise|sensible|fine) to (start|begin|"
     r"go on) (it|that|this|them|[\w-]+ )?\s*(so soon |this soon |straight |right |too soon )?"
     r"(after|given|while|during|since)\b", A.CONTRAINDICATIONS, 3),
    # "everything tastes like a coin ... is that a known thing?", "is this a recognised side effect?": what was told,
    # asked as one of its known effects
    (r"\b(is|was|are) (that|this|it) (a )?(known|recogni[sz]ed|common|usual|documented|listed|reported) "
     r"(thing|side[- ]?effect|effect|problem|issue|reaction)\b", A.ADVERSE_REACTIONS, 4),
    # "Is the pill doing this?", "could the tablets be doing that?": the medicine blamed for what was told
    (r"\b(is|are|could|might|can)\s+(it|this|that|they|(the|my|his|her) (\w+ )?\w+)\s+(be\s+)?doing "
     r"(this|that|it)\b", A.ADVERSE_REACTIONS, 3.5),
    # "is it the capsules do you think", "Is the night-time tablet known for that?": the medicine blamed, as said aloud
    (r"\b(is|could|might) it (be )?(the|his|her|my) (\w+[ -]){0,2}(tablets?|pills?|capsules?|patch|patches|inhaler|"
     r"injections?|jabs?|medicines?|meds|drops)\b(?! (for|to|with|or)\b)|"
     r"\b(known|famous|notorious) (for|to cause|to do) (that|this|it)\b", A.ADVERSE_REACTIONS, 3.5),
    # "It works for the front part?": what it is for, the helping verb left out
    (r"(^|[.!?]\s*)(it|this|that|they) works? (for|on)\b", A.INDICATIONS, 3),
    # "my brother says careful, together is poison": the two taken together
    (r"\btogether (is|are|it'?s|they are|make|makes) (a )?(poison\w*|toxic|dangerous|deadly|bad)\b", A.INTERACTIONS, 4),
    # "can those two together dry her out", "are the two of them together too much for him": what the pair does
    (r"\b(those|these|the|both) (two|2|three|3)( of them| pills| tablets| medicines| meds)? together\b",
     A.INTERACTIONS, 3.5),
    # two insulins drawn up in one syringe: how it is given, not an interaction
    (r"\b(mix\w*|draw\w*( \w+)? up|combin\w*)\b.{0,40}\b(one|the same|a single) (syringe|jab|injection|pen)\b|"
     r"\b(insulin|glargine|lantus|levemir|detemir|degludec)\b.{0,30}\bmix\w*\b|\bmix\w*\b.{0,30}\b(other|another|"
     r"quick[- ]acting|rapid[- ]acting|short[- ]acting|mealtime) insulin\b", A.DOSAGE, 4),
    # "My son swallowed maybe 5 of my pills": someone took a number of pills at once
    (r"\b(swallowed|ate|got into|chewed up|took|has taken)\b.{0,25}\b(\d+|two|three|four|five|six|several|"
     r"a few|a handful|handful|half a bottle|a bottle|the bottle|a whole|all)\b.{0,25}\b(pills?|tablets?|"
     r"capsules?|gummies|of (my|his|her|the|their))\b", A.OVERDOSAGE, 4.5),
    # "She's had two of her metoprolol 100s this morning instead of one", "helped himself to another one from the
    # box", "what happens if he's had two?": a second dose taken
    (r"\b(had|took|taken|given|gave (him|her|them))\b.{0,40}\b(two|2|both)\b.{0,40}\binstead of (one|1)\b|"
     r"\bhelped (him|her|them|my)sel(f|ves) to (another|a second|more)\b|"
     r"\b(he|she|i|they|mum|mom|dad)('s| has|'ve| have) had (two|2|both|a second one|another one)\b"
     r"(?=\s*([?.!,]|$|of (her|his|my|their|the|them)\b|(tablets?|pills?|capsules?|doses?)\b|this morning|today|"
     r"tonight))", A.OVERDOSAGE, 4.5),
    # "I took my levothyroxine twice this morning by mistake": an extra dose taken, not a dosing schedule.
    (r"\b(took|taken|take|swallowed)\b.{0,40}\b(twice|two doses|double|an extra (dose|pill|tablet))\b.{0,40}"
     r"\b(by mistake|accident\w*|what (should|do) i do)|\b(accidentally|mistakenly) (took|taken|swallowed)\b|"
     r"\b(took|taken)\b.{0,40}\b(twice|two doses|a double dose) (this morning|today|tonight|last night|yesterday)\b",
     A.OVERDOSAGE, 4.5),
    # "Can I get my flu shot while on prednisone?": what the label says of vaccines (live vaccines,
    # immunization) is among its warnings and interactions
    (r"\b(vaccin\w*|immuni[sz]\w*|flu shot|flu jab|booster)\b.{0,40}\b(while|when|whilst|if) (i'?m |i am |he'?s |"
     r"she'?s )?(on|taking|using)\b|\b(while|when|whilst) (on|taking|using)\b.{0,40}\b(vaccin\w*|immuni[sz]\w*|"
     r"flu shot|flu jab|booster)|\b(on|taking) \w+.{0,20}\b(get|have|receive) (a |my |the )?(\w+ )?(vaccin\w*|"
     r"flu shot|flu jab|booster)", A.WARNINGS, 3),
    # "I need the yellow fever jab. Is that ok with it?": a vaccine asked beside a medicine taken (jab: the UK word)
    # (whether it is all right to have it, not what the vaccine itself does: "will the booster make me feel rough?")
    (r"\b(vaccin\w*|immuni[sz]\w*|jabs?|booster)\b.{0,60}\b(ok|okay|safe|fine|alright|allowed|with it|while|"
     r"whilst)\b|\b(ok|okay|safe|fine|alright|allowed) (to )?(have|get)\b.{0,30}\b(vaccin\w*|jabs?|booster)\b",
     A.WARNINGS, 3),
    # "Is Xanax addictive?": drug abuse and dependence is a warning, whatever else the question says
    (r"\b(addict\w*|dependen(ce|cy|t)|withdrawal symptoms?|abuse|habit[- ]forming)\b", A.WARNINGS, 3),
    # Monitoring and stopping: labels say which tests to have ("Laboratory Tests", "monitor blood counts") and
    # what abrupt withdrawal does ("do not discontinue abruptly") among the warnings; "should I be worried"
    (r"\b(blood (tests?|counts?|work|levels? checked)|lab(oratory)? tests?|monitor\w*|"
     # "how often do i need eye checks on hydroxychloroquine", "levels be checked"
     r"(eye|eyesight|vision|retina\w*|hearing|liver|kidney|thyroid|bone density|ecg|heart|blood pressure|bp|pulse|"
     r"heart rate|weight|height|growth) (checks?|tests?|exams?|"
     r"scans?|monitoring)|(need|needs|require|requires) (any |regular |routine |special )?(checks|tests|monitoring)|"
     r"check(ed|ing)? (my |his |"
     r"her )?(liver|kidneys?|blood|levels?)|should (i|we) be (worried|concerned)|"
     r"(sudden(ly)?|abrupt(ly)?) stop\w*|stop\w* (it |them |his |hers |her |taking it |(my|his|her|the) \w+ |"
     r"taking (my|his|her|the) \w+ )?(sudden(ly)?|abrupt(ly)?|"
     r"cold turkey)|(hold|stop|come off|pause)\w* (it |them |this |\w+ )?(before|ahead of) (my |the |a |an |his |her )?"
     r"(surgery|operation|procedure|dental|extraction|colonoscopy|endoscopy|biopsy))\b", A.WARNINGS, 3.5),
    # giving up smoking beside a medicine smoking speeds the clearance of (clozapine, olanzapine, theophylline:
    # "Cigarette smoking ... CYP1A2 inducer"): what the interactions say, not stopping the medicine
    # (not "I want to quit smoking and my GP mentioned bupropion": a medicine to help stop is asked for its use)
    (r"\b(stop(ping|ped|s)?|quit(ting|s)?|giv(e|es|ing) up|gave up|cut(ting)? down on|cutting out) (the )?"
     r"(smoking|cigarettes|cigs|fags|tobacco|vaping)\b.{0,120}\b(affect\w*|change\w*|dose|level|levels|interact\w*|"
     r"do anything)\b|\bsmok\w* (affects?|changes?|interferes?|lowers?)\b", A.INTERACTIONS, 4.5),
    # a break from a medicine taken for years ("Should she have a break from it?", "a drug holiday"): how long to
    # stay on it, which an indication's limits say (alendronate: "consider discontinuation after 3 to 5 years"), not
    # a broken bone
    (r"\b(a |have a |take a |need a )?break from (it|them|taking (it|them)|the \w+|her \w+|his \w+|my \w+)\b|"
     r"\bdrug holiday\b|\bholiday from (it|them)\b", A.INDICATIONS, 4.5),
    # an injection or infusion not booked: "Is it okay to just not book the next one?", "I'd rather not have any
    # more injections": stopping it, which its warnings speak of (fractures after stopping denosumab)
    (r"\b(not|n't|never) (book|have|get|go for|turn up for|bother with) (the|my|his|her|their) next (one|injection|"
     r"jab|shot|infusion|dose)\b|\b(rather not|not) (have|get) any more (injections|jabs|shots|infusions)\b|"
     r"\bskip (the|my|his|her) next (injection|jab|shot|infusion)\b", A.WARNINGS, 4),
    # "Can I just stop taking them?", "I want to come off it, any harm?", "carry on or stop?": whether stopping is
    # safe is what the warnings say of stopping (withdrawal, rebound, "do not discontinue abruptly"); "how do I
    # stop taking it?" stays a dosing question (the taper)
    (r"(?<!how )\b(?:can|could|should|may|shall|do|must)\s+(?:i|we|he|she|they|you)\s+(?:just\s+|simply\s+|"
     r"safely\s+|now\s+)?(?:stop|quit|come off|get off)\b(?!\s+(?:the\s+)?(?:nausea|bleeding|itch\w*|pain|rash|"
     r"cough\w*|vomit\w*|diarrh\w*|it from (?:happening|coming)))|\bneeds? to (?:stop|come off)\b|"
     r"\b(?:stop|stopping|come off|coming off)\s+(?:it|them|this|these|taking)\b.{0,30}\b(?:harm|problem|ok|okay|"
     r"safe|alright|fine|matter)\b|\b(?:harm|problem|ok|okay|safe|alright|fine)\b.{0,30}\b(?:stop|stopping|"
     r"come off|coming off)\s+(?:it|them|this|these|taking)\b|\b(?:carry on|keep (?:taking|going)|continue)"
     r"(?: (?:it|them|with it))? or stop\b|\bdon'?t take (?:it|them) any ?more\b|"
     # "does he need to come off it before?" (the operation said in an earlier turn)
     r"\b(?:stop|come off|hold|pause)\w*\s+(?:it|them|this|these|taking it|the \w+)\s+(?:before(?:hand)?|ahead)\b"
     r"(?!\s+(?:bed|bedtime|breakfast|meals?|food|eating|sleep|i|you|we)\b)|"
     # "is it possible that I interrupt the tablets for this period?": stopping, in a second language's word
     r"\binterrupt\w*\s+(?:it|them|this|these|taking|the \w+|my \w+|his \w+|her \w+)\b", A.WARNINGS, 5),
    # "How many days before a colonoscopy should you stop Xarelto?": how long before, the dosing section's
    # interruption for a procedure (the warnings' risk of stopping comes after)
    (r"\bhow (many|much) (days?|hours?|time|weeks?)\b.{0,50}\b(before|prior)\b.{0,50}\b(stop|hold|pause|interrupt)|"
     r"\b(stop|hold|pause|interrupt)\w*\b.{0,50}\bhow (many|much) (days?|hours?|time)\b.{0,30}\bbefore\b|"
     r"\bhow (many|much) (days?|hours?|time)\b.{0,10}\bbefore\b.{0,20}\b(i|we|you|he|she) "
     r"(must|should|have to|need to) (stop|hold|pause)", A.DOSAGE, 4),
    # "is it ok to take omeprazole for years?", "ibuprofen every day long term": what long use risks is in the
    # warnings (bone fractures, B12, kidney and stomach harm), not a schedule or the reactions table
    # (asked as whether it is safe: "what happens when you take it long term", "long term use?" stay as they were)
    (r"\b(ok|okay|safe|safely|alright|fine|bad|harmful|dangerous|a problem)\b.{0,30}\b(take|taking|use|using|on|"
     r"stay on)\b.{0,40}\b(long[- ]term|for (many |several |a few |so many )?years|for decades|"
     r"for a long (time|period)|for the rest of (my|his|her|their) li(fe|ves)|forever|indefinitely)\b", A.WARNINGS, 3),
    # "how bad is the sun sensitivity on doxycycline?", "can I sit out in the sun on it?", "off to the beach": being in
    # the sun is a precaution of the warnings (photosensitivity); "does it make you sensitive to the sun?" (an effect)
    # is left to the reactions
    (r"\b(sun|sunlight)[- ]?(sensitiv\w*|exposure)\b|\b(with|and) the sun\b|"
     r"\b(out in|sit in|sitting in|be in|being in|go in|lie in|"
     r"exposure to|stay out of|avoid) the sun\b|\b(sunbathing|sunbathe|sunbeds?|tanning beds?|sunscreen|sun ?cream|"
     r"sunblock|sunburn\w*)\b", A.WARNINGS, 3),
    # "cataract surgery next month, anything to tell the surgeon?", "knee op next week": what the label says of an
    # operation (stopping beforehand, bleeding, floppy iris, anaesthesia) is among its warnings
    (r"\b(surgery|surgeries|surgeon|operation|an(a)?esthe\w*|(hernia|knee|hip|eye|cataract|dental|heart|back|bowel) "
     r"(op|repair|replacement)|colonoscopy|endoscopy|(having|getting) (my|his|her|a|the) \w+ (out|removed))\b|"
     # dental work ahead: "a back molar has to come out", "getting a tooth pulled", "wisdom teeth out", "an implant"
     r"\b(tooth|teeth|molars?|wisdom teeth)\b.{0,25}\b(out|pulled|extract\w*|removed)\b|\b(tooth|dental) "
     r"(extraction|implants?|work|procedure)\b", A.WARNINGS, 2.5),
    # what the user saw and asks whether it is expected: "Is that a known thing with it?", "normal??", "is that
    # common on it?" (the label's reactions or warnings), not "the normal dose"
    (r"\b(a )?known (thing|issue|problem|effect|reaction)\b|\bis (that|this|it) (normal|common|usual|expected|"
     r"a thing)\b|\b(normal|common)\s*\?+\s*$", A.ADVERSE_REACTIONS, 3),
    # potassium in the diet beside a potassium-raising medicine: "cut back on bananas?", "I use LoSalt" (labels
    # name potassium supplements and salt substitutes among the interactions; asked alongside, a product the
    # database lacks, LoSalt, is read in the medicine's label); "should she avoid salt substitutes?" on a loop
    # diuretic stays with the warnings
    (r"\b(bananas?|lo-?salt|potassium[- ]rich|potassium supplements?)\b", A.INTERACTIONS, 1.75),
    # Driving or machinery: labels say it in the warnings ("may impair judgment ... operating machinery")
    # (or the machine named: "I run a lathe at work", "I drive a forklift", "up ladders all day")
    (r"(?<!sex )(?<!sexual )\b(drive|driving|behind the wheel|operat\w* (heavy )?machinery|use machines|lathe|"
     r"fork-?lift|crane|digger|excavator|chainsaw|power tools?|(delivery|lorry|truck|van|taxi|cab|bus|hgv|uber) "
     r"drivers?|do my (delivery )?(route|round|rounds))\b",
     A.WARNINGS, 3),
    # "men whose sex drive never came back": an effect on the body
    (r"\b(sex drive|libido|sexual (side effects?|problems?|dysfunction)|erections?|erectile|impoten\w*|"
     r"ejaculat\w*)\b", A.ADVERSE_REACTIONS, 3),
    # "does the higher dose stop the pill working?": what it does to a contraceptive taken (an interaction, however
    # much the fear of a pregnancy is said)
    (r"\b(stops?|stopping|makes?|keeps?|affects?|reduces?|weakens?|interferes? with|cancels? out)\b.{0,20}"
     r"\b(the|my|her) (combined |contraceptive |birth control |mini[- ]?)?(pill|contraceptives?|birth control|"
     r"implant|patch|ring|coil)\b.{0,25}\b(working|work|effective|effectiveness|less effective|useless)\b",
     A.INTERACTIONS, 5),
    # "Which is easier on the stomach, ibuprofen or naproxen?": what each does to it (the warnings), not the two
    # together
    (r"\b(easier|gentler|kinder|softer|harder|rougher|better|worse|safer) (on|for) (the|my|your|his|her) "
     r"(stomach|tummy|gut|kidneys?|liver|heart)\b", A.WARNINGS, 4),
    # "a generic levothyroxine that looks different, is it the same medicine?": what the tablet is and looks like
    (r"\b(looks?|looking) (different|diff|odd|strange|weird|nothing like)\b|\bdifferent (colou?r|shape|size|"
     r"markings?|pills?|tablets?)\b|\b(is|are) (it|this|these|they) (really |actually )?the same (medicine|drug|"
     r"thing|tablets?|pills?|stuff)\b", A.DOSAGE_FORMS, 4),
    # "Does that do anything to his warfarin?": one medicine's effect on another
    (r"\b(do|does|did|will|would) (anything|something) to (my|his|her|their|the) (\w+ )?(warfarin|blood thinner|"
     r"pill|pills|medicines?|medications?|meds|tablets?|levels?|inr)\b", A.INTERACTIONS, 3),
    # "Is 50 enough to do anything?", "is the lower dose strong enough": the dose
    (r"\bis (\d+(\.\d+)?( ?mg)?|that|this|half|the (new |lower |higher |smaller )?dose|a (low|lower|small) dose) "
     r"(really |even |still )?(enough|too (much|little|low|high|strong|weak)|strong enough)\b", A.DOSAGE, 3),
    # an effect to look out for: "signs of low blood sugar", "what does it do to blood sugar", "stunt growth"
    (r"\b(signs?|symptoms?|warning signs?) of\b|\bstunt\w*|\bgrowth (suppression|problems?)\b|"
     r"\b(what|how) (does|will|would|can) .{0,30}\b(do|does) to (my |your |his |her |the )?"
     r"(blood|sugar|glucose|kidneys?|liver|heart|bones?|eyes?|sleep|mood|weight|growth)\b", A.WARNINGS, 2.5),
    # "what are the signs of pancreatitis on semaglutide": the signs to watch for are the warnings' own words; with
    # the cue above, a strong cue (3) the intent model's first section gives way to
    (r"\b(what|which|any|the|early|first) (are |were )?(the )?(warning )?(signs?|symptoms?) of\b", A.WARNINGS, 0.5),
    (r"\b(should|must|do|does|need to) (i|we|you|he|she|they) (avoid|stay away from|be careful)\b|\bavoid\w*\b",
     A.WARNINGS, 2),
    (r"\b(upset (my |the |your )?stomach|stomach upset|upset stomach)\b", A.ADVERSE_REACTIONS, 2.5),
    # A symptom the person has, laid at a medicine's door: "makes my ankles swell", "the one that gives me
    # headaches", "could it be causing my cough", "is my rash from it", "headaches, is that the amlodipine?"
    (r"\b(makes?|made|making|gives?|gave|giving)\s+(me|him|her|us|them|my|his|her|their)\b"
     r"(\s+\w+){0,3}?\s*\b(swell\w*|swollen|puff\w*|dizzy|light-?headed|sick|sleepy|tired|drowsy|itch\w*|"
     r"nause\w*|headaches?|cough\w*|rash\w*|cramps?|hives|bruise\w*|bleed\w*|ache|aches|hurt|sore|shak\w*)\b|"
     r"\bthe one (that|which)\s+(makes?|gives?|causes?|is causing|made|gave|caused)\b|"
     r"\b(could|can|might|may|would|is|are)\s+(it|this|that|they|these|those|(the|my|her|his) (\w+ )?\w+|\w+)\s+"
     r"(be\s+)?(causing|behind|responsible for|to blame for|what'?s \w+ing|what is \w+ing)\b|"
     r"\b(from|because of|due to|caused by|a side effect of)\s+(it|this|that|them|the|my|his|her)\b"
    # (where it is bought, not what caused it: "Can I take naproxen from the chemist?")
    r"(?!\s+(chemist|pharmacy|pharmacist|shop|store|supermarket|doctor|gp|hospital|clinic|counter|internet|"
    r"website|dentist|vet|surgery)\b)"
     r"(\s+(medicine|medication|meds|pills?|tablets?|drugs?|\w+))?\s*[?.!]*$|"
    # "The only new thing is lisinopril, could that be it?", "could that be the reason?"
    r"\b(could|might|would|is|can) (that|this|it) be (it|the cause|the reason|why|what'?s doing it)\s*[?.!]|"
    # "... his pillowcases have white patches all over them. Is that the gel??"
    # (a dose form named: "is this the medication?" is read by the cues above and the model)
    r"\b(is|could|might|would) (that|this|it) (be )?(from )?the (gel|cream|ointment|lotion|inhaler|drops|patch|spray|"
    r"injection|jab|syrup|nebs?|nebuli[sz]er)\s*[?.!]|"
    # "White patches on his tongue since the nebs. Is that from the steroid one, and what should we be doing?"
    r"\b(is|could|might|would) (that|this|it) (be )?from the \w+ (one|tablets?|pills?|medicine|inhaler|cream|spray)\b",
    A.ADVERSE_REACTIONS, 3.5),
    (r"\b(swell\w*|swollen|puffy|headaches|ankles?|feet|legs?|dizz\w*|light-?headed|faint\w*|pulse|heart ?(rate|beat)|"
     r"palpitations?|tired|sleepy|drowsy|nause\w*|sick|vomit\w*|rash\w*|itch\w*|cough\w*|cramps?|aches?|aching|"
     r"pains?|bruis\w*|bleed\w*|short of breath|breathless\w*|confus\w*|blurr\w*|weight)\b"
     r".{0,40}\b(is|could|might|can)\s+(that|it|this)\s+"
     r"(be\s+)?(from|because|due|the|my|a side)\b", A.ADVERSE_REACTIONS, 3.5),
    # The same asked with the subject left out, as people writing in a second language do: "Is from this pill or
    # is other thing?", "Is the new one?" (after the rash is told), "is because the new capsule?"
    (r"(^|[.!?]\s*)is (it )?(from|because( of)?|for) (this|the|that|these|those|my|his|her) (new )?(\w+ )?(one|pills?|"
     r"tablets?|medicines?|medication|capsules?|drugs?|syrup|injection)\b|"
     r"(^|[.!?]\s*)is (it )?the new (one|pills?|tablets?|medicines?|medication|capsules?)\s*\?",
     A.ADVERSE_REACTIONS, 3.5),
    # "Is it normal that he has nightmares?": something noticed while taking it
    (r"\b(is (it|this|that) normal|normal (to|that|for)|could (it|this) be (from|the))\b|(^|[.!?]\s*)is normal\b",
     A.ADVERSE_REACTIONS, 2),
    # what a child or an older person is seen doing on it: the labels' neuropsychiatric warnings ("seeing things at
    # night, screaming" on oseltamivir), whoever's age is said
    (r"\b(seeing|hearing|sees|saw|hears) (things|voices)\b|\bhallucinat\w*|\bscreaming\b|\bacting (strange|weird|"
     r"crazy|odd)\w*", A.WARNINGS, 3),
    (r"\b(nightmares?|vivid dreams|bad dreams|hallucinat\w*|sleepy|sleepiness)\b", A.ADVERSE_REACTIONS, 1),
    # "Can it make an old lady muddled?", "does it make people sleepy": an effect on someone, as "make me"
    (r"\b(make|makes|made|making)\s+(a|an|the|some|someone|somebody|anyone|people|you|older|old|elderly)\b"
     r"(\s+\w+){0,3}?\s*\b(muddled|forgetful|confused|dizzy|light-?headed|sick|sleepy|tired|drowsy|groggy|"
     r"itch\w*|nause\w*|faint|weak|shaky|anxious|moody|depressed|hungry|sweat\w*)\b", A.ADVERSE_REACTIONS, 3.5),
    # "Could that be the tablet?", "might it be his pills?": the medicine blamed for something said before
    (r"\b(could|can|might|may|is|would)\s+(that|this|it|these|those)\s+be\s+(from\s+|because of\s+|due to\s+)?"
     r"(the|my|his|her|their|your)\s+(\w+\s*){1,2}[?.!]*\s*$|"
     r"\bis (that|this|it) (from |because of |due to )?(the|my|his|her|their) (new )?(medicine|medication|meds|pills?|"
     r"tablets?|drugs?|injections?|patch|jab|shot|inhaler|spray)\s*[?.!]*\s*$", A.ADVERSE_REACTIONS, 3.5),
    # "lightheaded since starting tamsulosin": a symptom that came with the medicine
    (r"\b(swell\w*|swollen|dizz\w*|light-?headed|faint\w*|tired|sleepy|drowsy|nause\w*|sick|rash\w*|itch\w*|"
     r"cough\w*|cramps?|aches?|aching|pains?|bruis\w*|bleed\w*|headaches?|insomnia|can'?t sleep|weight)\b.{0,50}"
     r"\bsince (starting|taking|i started|i began|going on|being on|he started|she started)\b", A.ADVERSE_REACTIONS, 3),
    # "does warfarin interfere with my sleep?", "will it mess up my periods": an effect on the body
    (r"\b(affect\w*|interfer\w* with|mess\w* (up|with)|disturb\w*|ruin\w*)\s+(my |your |his |her |the )?(sleep\w*|"
     r"appetite|periods?|mood|memory|concentration|libido|sex drive)\b", A.ADVERSE_REACTIONS, 3),
    # "fentanyl patch, what if it doesn't stick well": applying it (the dosage and administration)
    (r"\b(patch\w*|plasters?)\b.{0,40}\b(stick\w*|fell off|falls off|falling off|came off|comes off|"
     r"peel\w* off|loose)\b|\b(doesn'?t|does not|won'?t|didn'?t|not) stick\b", A.DOSAGE, 3.5),
    # "what is the rate for the iv infusion": how fast it is given
    (r"\b(infusion|infuse\w*|drip|iv|intravenous\w*)\b.{0,25}\brates?\b|\brates?\b.{0,25}\b(infusion|infuse\w*|"
     r"drip|iv|intravenous\w*)\b", A.DOSAGE, 3.5),
    # "how much acetaminophen in Tylenol with codeine", "how much alcohol is in 2 puffs": what a product holds,
    # not how much to take ("how much tylenol in a day" is a dose)
    (r"\bhow\s*much\s+(\w+\s+){1,3}(is\s+|are\s+|there\s+is\s+)?(in|inside|contained in)\b(?!\s+(a|one|each|"
     r"every|per|\d+)\s+(day|days|hours?|hrs?|week|weeks|night|go|sitting|row)\b)(?!\s+(24|\d+ hours?)\b)",
     A.DESCRIPTION, 3.5),
    # "what ingredient in walnuts interferes with synthroid absorption": one thing acting on another
    (r"\binterfer\w*\s+with\b(?!\s+(my |your |his |her |the )?(sleep\w*|breathing|memory|concentration|work|"
     r"daily|driving|appetite|periods?|mood)\b)", A.INTERACTIONS, 3),
    # "Is it harmful to use long term?", "is it safe long-term": what years of use risk, the label's warnings
    (r"\b(bad|harm\w*|dangerous|damag\w*|safe|risks?|problems?)\b.{0,40}\blong[- ]?term\b|\blong[- ]?term\b.{0,40}"
     r"\b(bad|harm\w*|dangerous|damag\w*|safe|safety|risks?|problems?)\b|"
     # typed as keywords: "omeprazol long time bones", "metformin many years b12"
     r"\b(long[- ]?term|long time|many years|years)\b.{0,20}\b(bones?|kidneys?|liver|b12|heart|eyes?|stomach|"
     r"memory|teeth)\b", A.WARNINGS, 3.5),
    # "what is in this drug", "what's in it?": what it contains
    (r"\bwhat(\s+is|'s|s|\s+are)\s+(in|inside)\s+(it|this|that|them|these|those|the|my)\b(\s+\w+)?\s*[?.!]*\s*$",
     A.DESCRIPTION, 3),
    # "is there acetaminophen in Norco?", "is there any alcohol in the syrup?": what it holds
    (r"\b(is there|are there)\s+(any\s+)?(?!(a|an|any|some|the)\b)(?!(problems?|issues?|risks?|dangers?|interactions?|"
     r"differences?|limits?|reasons?|need|way|point|chances?|side|harm|benefit)\b)(\w+\s+){1,2}(in|inside)\s+(?!(my|his|her|your|our)\b)"
     r"(it|this|that|them|the|a|an|\w+)\b(?!\s+(a|one|each|the)?\s*(day|row|morning|evening|night|case|general)\b)",
     A.DESCRIPTION, 3),
    # "what size pill is it", "how to identify these tablets": what it looks like
    (r"\bidentif\w*\b|\b(what|which) size (pill|tablet|capsule)s?\b|\bsize of (the|a|this|my|his|her) (pill|tablet|"
     r"capsule)s?\b|\bhow big (is|are) (it|they|the (pills?|tablets?|capsules?)|these( pills| tablets)?|"
     r"this( pill| tablet)?)\s*[?.!]*\s*$", A.DOSAGE_FORMS, 3.5),
    # "how many years will this pill be potent", "does it go off": its shelf life
    (r"\b(potent|potency|go(es)? (off|bad)|gone (off|bad)|still (good|ok|okay|effective|work\w*) (after|past|if)|"
     r"past (the|its|their) (date|expiry|expiration))\b", A.STORAGE, 3.5),
    # "can i eat after taking this drug?", "this medicine after dinner and bed time?": when and how to take it
    (r"\b(eat|eating|drink|food|meals?)\b.{0,15}\b(after|before) (taking|i take|using|swallowing)\b|"
     r"\b(after|before) (dinner|breakfast|lunch|supper|bed ?time|bed)\b", A.DOSAGE, 3),
    # "what happens if your child ate this tablet": a child swallowed it, whatever the number
    (r"\b(child|kid|toddler|baby|son|daughter|grandson|granddaughter|grandchild)\b.{0,15}\b(ate|swallowed|got into|"
     r"chewed|has eaten|drank)\b", A.OVERDOSAGE, 4.5),
    # "why to take it", "why do I take this?": what it is for
    (r"\bwhy (to take|take|do (i|you|we) (take|need)|does (he|she) (take|need))( (it|this|that|them|these|\w+))?"
     r"( \w+)?\s*[?.!]*\s*$", A.INDICATIONS, 3),
    # "why am i so cold taking this medicine": a symptom put down to it
    (r"\bwhy (am|do|does|is) (i|he|she|my \w+) (so |feel\w* |feel so |getting |always |constantly )?(cold|tired|"
     r"sleepy|dizzy|hungry|thirsty|itchy|weak|shaky|sick|nauseous|bloated|swollen|constipated|sweaty|anxious|"
     r"moody|depressed|bruising)\b", A.ADVERSE_REACTIONS, 3.5),
    # "unusual bruising appears after injecting it": something noticed after a dose
    (r"\b(swell\w*|swollen|bruis\w*|rash\w*|itch\w*|hives|dizz\w*|nause\w*|sick|vomit\w*|headaches?|pains?|"
     r"bleed\w*|red(ness)?|lumps?|blisters?)\b.{0,40}\bafter (taking|injecting|using|starting|applying|i take|"
     r"(the|my|each) (injection|shot|dose|jab))\b", A.ADVERSE_REACTIONS, 3),
    # "is cutting the tablets dangerous", "can I split them": how to take it
    (r"\b(cut|cutting|split|splitting|crush|crushing|break|breaking|halv\w*)\b.{0,12}\b(it|them|this|the|my|his|"
     r"her)?\s*(\w+\s+)?(tablets?|pills?|in half|in two|in halves)\b", A.DOSAGE, 3),
    # "Going to Lanzarote on Friday. Anything I should know?", "any precautions?": what the warnings tell
    (r"\b(anything|what|things?) (else )?(i|we|he|she|they) (should|need to|ought to|must|have to) (know|be aware of|"
     r"bear in mind|keep in mind|be careful (of|about|with))\b|\bany (tips|advice|precautions)\b", A.WARNINGS, 2),
    # "Anything special I need to do after using it?", "should I rinse my mouth after?": how to use it
    (r"\b(anything|what|something)( special| else| particular)?( (do|should|must))? (i|we|you|he|she|they)"
     r"( need to| have to| should| must| ought to)? do (after|before|once|each time|every time)\b|"
     r"\b(rinse|gargle|wash out)\b.{0,10}\bmouth\b",
     A.DOSAGE, 3),
    # "do I need to stay upright after taking it?", "sprinkle it on applesauce", "swallow them whole": how the label
    # says to take it, whatever food or drink is named beside it
    (r"\bsprinkl\w*|\bopen\w* (up )?(the |my |a |his |her )?capsules?\b|\b(stay|remain|sit|keep|be|staying|"
     r"remaining|sitting) (upright|sitting up|standing( up)?)\b|\b(lie|lay|lying|laying) (back )?down (after|for|"
     r"straight after|right after)\b|\bswallow\w* (it |them |the \w+ )?whole\b|\b(apple ?sauce|pudding)\b",
     A.DOSAGE, 4.5),
    # "my wife takes ibuprofen a lot, is that a problem?", "on omeprazole for 10 years, is that ok?": the risks of
    # taking it regularly or for long, which the warnings tell
    (r"\b(a lot|lots|every ?day|daily|all the time|regularly|most days|every night|long[- ]?term|for (\d+|many|"
     r"several|a few|two|three|four|five|ten|twenty) (years?|months)|for years|for months)\b.{0,40}\b(is|it'?s|"
     r"would|will) (that|this|it) (be )?(a problem|an issue|bad|ok|okay|alright|all right|safe|dangerous|harmful|"
     r"a concern|a worry)\b(?!\s+(to|with|if|for|while|during|in|on|at|after|before|when)\b)|"
     r"\b(is|it'?s) (it|that) (bad|ok|okay|safe|dangerous|harmful) to (take|use|be on)\b.{0,40}"
     r"\b(a lot|every ?day|daily|all the time|regularly|long[- ]?term|for (years|months))\b", A.WARNINGS, 3),
    # "can I open the capsules and sprinkle them on applesauce?", "mix it into yogurt": how to take it
    (r"\b(open\w*|pull\w* apart|break\w* open)\b.{0,30}\bcapsules?\b|\bcapsules?\b.{0,12}\b(open|apart)\b|"
     r"\bsprinkl\w*|\b(mix\w*|stir\w*|dissolv\w*|put\w*)\b.{0,25}\b(into|in|with|on|over) (\w+ ){0,2}"
     r"(apple ?sauce|yogh?urt|pudding|soft food|food|water|juice|milk)\b", A.DOSAGE, 3),
    # "Can I open it and mix it with something?": how to take a capsule opened, not what it interacts with
    (r"\bopen\w* (it|them|one|the \w+)\b.{0,20}\b(mix|stir|sprinkl|put|dissolv|add)\w*\b", A.DOSAGE, 5),
    # "my Achilles has started aching on the antibiotic": the tendon warnings of fluoroquinolones
    (r"\b(achilles|tendons?|tendinitis|tendonitis|tendinopathy)\b", A.WARNINGS, 3),
    # "Does my history matter?", "with her history of depression": what the label says not to give it with
    (r"\b(does|do|would|will|could) (my|his|her|their|the patient'?s|pt'?s) (\w+ )?(medical |mental health |"
     r"psychiatric )?(history|past)\b.{0,20}\b(matter|count|affect|change|mean|rule)\w*|"
     r"\b(given|with|despite) (my|his|her|their) (\w+ )?history\b", A.CONTRAINDICATIONS, 3.5),
    # "Max duration per label?", "how long can he stay on it?": how long it may be taken
    (r"\bmax(imum)? (duration|length|time|period)\b|\bhow long (can|may|should|could) (i|he|she|they|you|we|"
     r"the patient|pt) (stay on|keep (on|taking|using)|be on|continue)\b", A.DOSAGE, 3),
    # "He's had watery diarrhoea 6 times since lunchtime. What do I do?": what the label warns of it
    (r"\b(diarrh\w*|the runs|runny poo\w*|loose (stools?|poos?)|rash|hives|swelling|swollen|bleeding|vomiting|"
     r"throwing up)\b.{0,60}\b(what (do|should|can) (i|we) do|what now|is (that|this) (normal|serious|ok))\b",
     A.WARNINGS, 3),
    # "runny poos 5 times today. keep going with her syrup or stop?": what the label warns of it
    (r"\b(keep (going|taking|giving|using|on)|carry on|continue)\b.{0,40}\bor (should (i|we) )?stop\b",
     A.WARNINGS, 2.5),
    # "what should we be watching for", "anything to look out for": what the warnings tell to watch
    (r"\b(watch(ing)?|look(ing)?) (out )?for\b", A.WARNINGS, 3),
    # "want to start carbamazepine. any test first?", "bloods needed before starting?": the testing its warnings ask
    (r"\b(any|what) (\w+ )?(tests?|testing|screening|bloods|blood tests?)\b.{0,20}\b(first|before|needed|required|"
     r"beforehand)\b|\b(test|screen)\w* (needed|required) (first|before)\b", A.WARNINGS, 3.5),
    # a clinician's "K+ 3.1, anything to watch?", "anything to monitor?"
    (r"\b(anything|what|things?) (\w+ )?to (watch|monitor|look out for|be aware of)\b", A.WARNINGS, 3),
    # "does prednisone raise your blood sugar", "can it push up his potassium": a level it changes, which the
    # label tells to watch among its warnings (lowering blood pressure or sugar is often what it is for)
    (r"\b(rais\w*|spik\w*|push\w*|increas\w*|put\w* up|send\w* up|bump\w* up|mess\w* (with|up))\s+(up\s+)?"
     r"(your|my|his|her|their|the|a person'?s|someone'?s)?\s*(blood sugars?|blood glucose|glucose|sugar levels?|"
     r"sugars|blood pressure|bp|potassium|sodium|heart rate|pulse|cholesterol|triglycerides)\b", A.WARNINGS, 3.5),
    # "tummy trouble, common?", "will I put on weight?": common effects said in everyday words
    (r"\b(tummy|stomach) (troubles?|problems?|issues?|aches?|upsets?)\b|\b(put on|putting on|gain|gaining|"
     r"pile on) (\w+ )?weight\b|\bweight (gain|loss)\b|\b(put|putting|piled?) on (nearly |almost |over |about )?"
     r"(a|\d+|two|three|four|five|ten) (stone|pounds|lbs|kilos?|kg)\b", A.ADVERSE_REACTIONS, 3),
    # "could the tablets do that?", "can it cause this?": what was just described, put down to the medicine
    (r"\b(could|can|might|may|would|do|does|will)\s+(it|this|that|they|these|those|the \w+|his \w+|her \w+|my \w+)\s+"
     r"(do|cause|explain) (that|this|it)\b", A.ADVERSE_REACTIONS, 3.5),
    # "Is that the tablets doing it?", "could that be his tablets?", "is it from the medicine?": what was just
    # described, put down to the medicine
    (r"\b(?:is|was|could|can|might|would)\s+(?:that|this|it)\s+(?:be\s+)?(?:(?:from|because of|due to|down to|"
     r"caused by)\s+)?(?:the|my|his|her|their|these|those)\s+(?:\w+\s+){0,2}?(?:tablets?|pills?|medicines?|"
     r"medications?|meds|drugs?|injections?|jabs?|inhalers?|capsules?)\b(?:\s+(?:doing|causing)\b|\s*[?.!]|$)",
     A.ADVERSE_REACTIONS, 3.5),
    # "if I stop taking it, will my eyes clear up?", "will the nausea go away?": whether an effect passes
    (r"\b(will|does|do|would|should)\s+(it|they|this|that|my \w+|the \w+|his \w+|her \w+)\s+(\w+\s+)?(clear up|"
     r"go away|settle( down)?|ease off|wear off|pass\s*[?.!]*\s*$)", A.ADVERSE_REACTIONS, 3),
    # "keep my insulin pen in my handbag once it's opened": where it is kept
    (r"\bkeep\w* (it|them|my \w+( \w+)?|the \w+( \w+)?) in (my|a|the|his|her) (hand)?(bag|purse|pocket|car|"
     r"bathroom|kitchen|drawer)\b|\bonce (it'?s |it is |they'?re |they are )?opened\b|\bafter opening\b",
     A.STORAGE, 3.5),
    # "how long does amoxicillin stay good after mixing?", "is my old ibuprofen still good?", "does it go off?"
    (r"\b(stay|stays|still|remain|remains) (good|usable|fresh|potent)\b|\bgo(es)? (bad|off|stale)\b|"
     r"\bafter (mixing|it'?s mixed|reconstitut\w*|the pharmacist mixe?d)\b|\bonce (it'?s )?mixed\b", A.STORAGE, 4),
    # "my dog got hold of the amlodipine and chewed up a couple": an animal or child took it
    (r"\b(dog|puppy|cat|kitten|pet)\b.{0,30}\b(ate|eaten|swallowed|got (hold of|into)|chewed|has eaten)\b|"
     r"\bgot hold of\b.{0,40}\b(ate|eaten|swallowed|chewed)\b", A.OVERDOSAGE, 4.5),
    # "can I take it with my calcium / antacids / iron tablets": minerals that bind it
    (r"\bwith (my |his |her |the |a |an |some )?(morning |daily )?(calcium|antacids?|iron|zinc|magnesium|"
     r"multivitamins?|multi-vitamins?|tums|rennie)\b", A.INTERACTIONS, 3),
    # indications
    (r"\b(what is (it|this|\w+) (used )?for|used for|use of|uses of|used to treat|treat|treats|treating|"
     r"indicat\w*|prescribed for|good for(?! how long| long)|help with|helps with|for what)\b", A.INDICATIONS, 2.5),
    (r"\bwhat (is|are|does) .{0,30}\b(for|do)\b", A.INDICATIONS, 1),
    # "is that for his blood pressure as well?", "is tamsulosin for blood pressure?": what it is taken for
    # (not "she say is bad for the bones": a harm, not a use)
    (r"\b(is|are) (that|it|this|these|they|(?!bad\b|good\b|ok\b|okay\b|safe\b|dangerous\b|harmful\b|fine\b|"
     r"better\b|worse\b|terrible\b|poison\b|toxic\b)\w+) (also |as well |even )?for (his|her|my|their|the|your|a|an)? ?"
     r"(blood pressure|bp|heart|prostate|waterworks|bladder|sleep|pain|anxiety|depression|mood|nerves|cholesterol|"
     r"diabetes|sugar|thyroid|asthma|breathing|stomach|skin|bones?|memory|epilepsy|seizures|migraines?|"
     r"hair ?loss|hair|hairline|balding|acne|spots|periods?|fertility|ovulation|menopause|hot flushes|"
     r"contraception|erections?|osteoporosis)\b",
     A.INDICATIONS, 3.5),
    # "Is letrozole actually a medicine for helping you ovulate?": what it is a medicine for
    (r"\b(is|are) (that|it|this|these|they|\w+) (actually |really |even |also |just )?(a |an )?(medicine|drug|"
     r"tablet|pill|treatment|med) (for|to (help|treat|stop|prevent|make))\b", A.INDICATIONS, 4),
    # "What is it actually licensed for?", "will the tamsulosin sort that out too?"
    (r"\b(licen[cs]ed|approved) (for|to treat)\b|\b(will|would|does|can|could) (it|this|that|they|the \w+|\w+) "
     r"(sort|fix|cure|clear) (that|this|it|them) (out|up)?\b", A.INDICATIONS, 3),
    # how long to go on taking it: "Can I just keep going till they run out?", "how long can I stay on it?"
    (r"\b(keep|carry on|go on) (going|taking (it|them|these|those))\b.{0,30}\b(till|until|til) (they|it|the \w+) "
     r"(run|runs|are|is) (out|gone|finished)\b|\bhow long (can|should|do|may|must) (i|we|you|he|she|they) "
     r"(keep (taking|using|on)|stay on|carry on|be on|go on)\b", A.DOSAGE, 3.5),
    # "What's it meant to do?", "what are they supposed to be doing for me?"
    (r"\bwhat('s|s| is| are)? (it|this|that|they|these|those|the \w+|\w+) (meant|supposed) to "
     r"(do|be doing|treat|help)\b|"
     r"\bwhat (does|do|will|would|should) (it|this|that|they|these|those|the \w+|\w+) (actually |even )?do for\b",
     A.INDICATIONS, 3),
    # "what's the other one for?", "what's the Cardiovex for": the question ends at "for"
    # (or its sentence ends there: "What's it actually for? I forgot to ask.")
    (r"\bwhat('s|s| is| are) (the |this |that |these |those )?(\w+ ){0,2}(used |prescribed |given )?for\s*(?:[?!]|$)",
     A.INDICATIONS, 3),
    # "can I take it for back pain": whether it treats that; not "for a long time", "for two weeks"
    (r"\b(can|could|should|may) (i|we|you|he|she) (take|use|give) (it|this|that|them|\w+) for "
     r"(?!a (long|while|few|couple)|long|how|more|years?|months?|weeks?|days?|\d)", A.INDICATIONS, 2),
    # "why has my psychiatrist given me lamotrigine?", "why did the GP put him on it?": what it is for, asked of
    # the one who prescribed it (whatever worry follows: "is she experimenting on me?")
    (r"\bwhy (has|have|had|did|would|was|were) (my|the|our|his|her|their|a|an|this|that) ([\w'-]+ ){0,2}"
     r"(given|prescribed|gave|prescribe|give|put|started|start) (me|him|her|them|us|my \w+|his \w+|her \w+)\b",
     A.INDICATIONS, 4.5),
    (r"\bwhy (is|was|were|would|did|do|has|have|had)\b.{0,40}\b(prescribed|prescribe|give|given|gave|take|taking|"
     r"on|started|put)\b",
     A.INDICATIONS, 2.5),
    (r"\b(dietary|diet)\b", A.INTERACTIONS, 2),
    # "How I keep the pens?", "how do we keep the insulin in a hot country?": where and how it is kept
    # (not "how do I keep my sugar levels normal", nor the heat on a person)
    (r"\bhow (do |should |can |must )?(i|we|you|he|she|they) keep (it|them|(the|my|his|her) (\w+ )?(pens?|insulin|"
     r"tablets|pills|capsules|medicines?|medication|bottles?|vials?|syrup|drops|inhalers?|injections?|cartridges?))\b|"
     r"\bno (air ?con\w*|fridge|refrigerator)\b", A.STORAGE, 3.5),
    # "what are we meant to do with the tablets? can they go in the bin?": getting rid of what is left
    (r"\b(go|put|throw|chuck|tip) (them |it |these |those )?(in|into|down) the (bin|trash|rubbish|garbage|toilet|"
     r"loo|sink|drain)\b|\bflush(ed|ing)? (them|it|these|those)\b|"
     r"\b(left ?over|unused|unwanted|spare) (tablets|pills|capsules|medicines?|meds|patches)\b|"
     r"\bwhat (are|do|should|shall) (we|i) (meant to |supposed to )?do with (the|his|"
     r"her|their|them|these|those|all)\b", A.STORAGE, 4),
    # storage
    (r"\b(store|storage|stored|storing|refrigerat\w*|(?<!raiding the )(?<!raid the )(?<!raided the )fridge|"
     r"room temperature|freez\w*|expir\w*|"
     r"shelf life|dispose|disposal|throw away|keep it)\b", A.STORAGE, 3.5),
    # "can the tablets be kept in a hot minibus?", "left in the car in the sun": where it is kept, and the heat
    (r"\b(kept|keep|left|leave|leaving|stored?)\b( (it|them|the \w+|my \w+|her \w+|his \w+))? (in|on) "
     r"(a |the |my |her |his |their )?(hot |warm |sunny )?(car|minibus|coach|van|glove ?box|boot|sun|heat|bag|"
     r"suitcase|luggage)\b|"
     # "keeping my accutane on the windowsill in the bathroom": where it is kept at home
     r"\b(kept|keep|keeping|left|leave|leaving|stored?|storing)\b( (it|them|the \w+|my \w+|her \w+|his \w+))? "
     r"(in|on|by|near) (a |the |my |her |his |their )?(windowsill|window ?sill|window|bathroom|kitchen|shower|"
     r"radiator|cupboard|bedside|drawer)\b", A.STORAGE, 3.5),
    # "How long is a bottle of eye drops good for once I open it?", "does an opened insulin pen go off?": how long
    # it keeps after opening
    (r"\b(once|after|since|when) (i |you |we )?(have |'ve |had )?(open|opened|opening|open(ed)? it|open(ed)? them)\b|"
     r"\bonce open\b|\bopened (bottle|pen|vial|tube|pack|container|inhaler|box|carton)s?\b|"
     # "where should they be kept and how long is an open one good for", "how long does an open one last"
     r"\bhow long (is|are|does|do) (an |the |a )?open(ed)? (one|ones|bottle|pen|tube|pack|vial)s?\b|"
     r"\bwhere (should|do|must|can) (it|they|these|those|the \w+) (be )?(kept|stored|keep|store)\b", A.STORAGE, 4),
    # a pill organiser or blister pack filled for the week: "can her dabigatran capsules go into the organiser"
    (r"\b(go|put|keep|pop|decant|stored?)\b(\s+\w+){0,3}\s+(in|into|inside) (the |a |her |his |my |their |our )?"
     r"(weekly )?(pill ?(organi[sz]er|box|case)|organi[sz]er|dosette( box)?|blister ?pack|nomad|pill ?pack|"
     r"days?[- ]of[- ]the[- ]week box)", A.STORAGE, 4),
    # "Which stage of Alzheimer's is it for?": what it is for, narrowed
    (r"\b(which|what) (stage|kind|type|sort|grade|form) of\b.{0,40}\b(is|are) (it|this|that|they|these) "
     r"(for|used for|meant for)\b", A.INDICATIONS, 4),
    # a patch or dose not in place: "Do I put a new one on now or wait until tomorrow's usual time?"
    (r"\b(put|stick|apply|take|give) (a |the )?(new|fresh|another) (one|patch)( on)? (now|straight away|today)\b|"
     r"\bor wait (until|till|for) (the |my |his |her |tomorrow'?s? )?(usual|normal|next|regular)\b", A.DOSAGE, 3.5),
    # "Anything special about when I take it?": when to take it
    (r"\b(about|of) when (i|to|you|we|he|she|they) (take|give|use|have)\b", A.DOSAGE, 3),
    # "Sevelamer - all at bedtime OK?", "can I take them all at once?": when and how the doses are taken
    (r"\ball (?:at once|in one go|together at (?:bedtime|night|breakfast)|at (?:bedtime|night|breakfast))\b|"
     r"\bat (?:bedtime|night) (?:ok|okay|fine|alright)\b", A.DOSAGE, 3),
    # "Insulin pen at room temperature - how many days can I use it?": how long it keeps out of the fridge
    (r"\b(room temperature|out of the fridge|outside the fridge|unrefrigerated|not refrigerated|once opened|after "
     r"opening)\b.{0,60}\bhow (many days|many weeks|long)\b|\bhow (many days|many weeks|long)\b.{0,60}\b(room "
     r"temperature|out of the fridge|outside the fridge|unrefrigerated|not refrigerated|once opened|after opening)\b",
     A.STORAGE, 3),
    # "do my nitroglycerin tablets need to stay in the glass bottle?", "can I put them in a pill organiser?"
    (r"\b(original (bottle|container|pack\w*)|glass bottle|(stay|kept|keep them|keep it|put them|put it) in "
     r"(the|a|its|their|my) (bottle|container|pack\w*|blister\w*|pill (box|organi[sz]er)))\b", A.STORAGE, 3.5),
    # a pill box named in passing is weaker: "setting up my father's dosette box ... anything special about
    # digoxin at his age?" (a carer's task, the question another)
    (r"\b(pill (box|organi[sz]er)|dosette)\b", A.STORAGE, 2),
    # "How should I keep my Ozempic pens?", "where do I keep them", "keep them cold": where a medicine is kept,
    # not "keep taking it" or "keep getting headaches"
    (r"\bwhere (should|do|can|must|would|to|shall) (i|we|you|he|she|they)? ?keep\b|"
     r"\bhow (should|do|can|must|would|to|shall) (i|we|you|he|she|they)? ?keep (it|them|this|these|(the|my|his|her) "
     r"(?!\w+ (down|up|low|high|stable|steady|levels?|normal)\b)\w+( \w+)?|\w+( pens?)?) ?"
     r"([?.!]|$|cold|cool|safe|fresh|in the|at room|out of)|"
     r"\bkeep(ing)? (it|them|this|these|(the|my|his|her) \w+( \w+)?|\w+ pens?) (in the|at room|out of|cold|cool|"
     r"refrigerated|away from|below)\b|\bput (it|them|\w+ \w+) in the (fridge|refrigerator|freezer)\b|"
     r"\b(gets?|got|left|leave|went|goes|kept) (\w+ )?(warm|hot|frozen)\b|\bin (the|a|my) (hot )?car\b|"
     # "left my Lantus pen in the glovebox", "she left it out on the kitchen counter overnight", "out of the fridge"
     r"\b(glove ?box|glove compartment|dashboard|car boot|car seat)\b|\bout of the (fridge|refrigerator)\b|"
     r"\b\d{2} ?(degrees?|°c?) (heat|sun|outside)\b|"
     r"\b(left|leave|kept|sat) (it|them|(the|my|his|her) \w+( pens?)?) out\b(?! of (reach|sight))|"
     r"\b(left|leave|sat) (\w+ ){0,3}(overnight|all day|all night) (on|in|by|at)\b",
     A.STORAGE, 3.5),
    # "Bin it?", "is it ruined?", "has it gone off?": whether what was kept badly can still be used
    (r"\b(bin|ditch|chuck) (it|them)\s*\?|\b(is|are) (it|they|the \w+) (ruined|spoiled|spoilt|wrecked)\b|"
     r"\bgone off\b", A.STORAGE, 3),
    # what to do with tablets not needed: "I've got 12 oxycodone left that I didn't need", "leftover pills" (not
    # "how many have I got left")
    # (not "I've got some hydroxyzine left over from last year, can I take it?": whether it may be taken)
    (r"\b\d+ (\w+ ){0,2}left (that|which) (i|we|he|she|they) (didn'?t|did not|don'?t|never) (need|use|take)|"
     r"\bwhat (do|should|can) (i|we) do with (them|the rest|these|those|the (\w+ )?(tablets|pills|capsules|patches))\b|"
     r"\b(best|right|safest) (thing|way) to do with (them|the rest|these|those)\b|\bwhat to do with (them|the rest)\b|"
     r"\bget rid of (them|the (\w+ )?(tablets|pills|capsules|patches|rest))\b", A.STORAGE, 3.5),
    # "Hotel room in Spain is about 28 degrees. Is that OK for the syringes?": the temperature it is kept at
    # (not "35 degrees all week - anything to watch with that tablet in the heat?": the heat on the person)
    (r"\b\d{2}\s?(degrees|°|º|deg\b|c\b).{0,60}\b(ok|okay|fine|safe|alright) for (the|my|his|her) \w+|"
     r"\b(room|fridge|hotel|car|flat|house|cabin|suitcase|luggage) (is|gets|was) (really |very |so )?"
     r"(hot|warm|cold|boiling|freezing)\b", A.STORAGE, 3.5),
    # "with food or on an empty stomach?", "before or after meals?": how to take it
    (r"\bwith (food|a meal|meals) or (on )?an? empty stomach\b|\b(on )?an? empty stomach or with (food|a meal|meals)\b|"
     r"\bbefore or after (food|meals?|eating|breakfast)\b|\bafter or before (food|meals?|eating)\b|"
     r"\bwith (food|a meal|meals) or (without|not)\b|\bwith or without (food|a meal|meals)\b", A.DOSAGE, 4),
    # "Is it too late for the morning after pill?": how long after it may be taken
    (r"\b(is it|am i|are we) too late\b|\btoo late (to take|to give|for (the|a|my))\b", A.DOSAGE, 3),
    # description / forms
    (r"\b(ingredients?|contains?|made (of|from)|inactive|gluten|lactose|dyes?|gelatin|excipients?)\b|"
     r"\bwhat(?:'s|s| is) (?:actually )?in (?:it|the|this|that|my|these|those)\b", A.DESCRIPTION, 3),
    # "can the tablets change the colour of urine?", "his pee looks really dark", "turned my wee orange": a body
    # fluid coloured by the medicine is an effect (reactions, counselling), not what the pill looks like
    # ("wiwi", "xixi", "pipi": the words of other languages for it)
    (r"\b(urine|pee|wee|wiwi|xixi|pipi|stools?|poo|poop|faeces|feces|sweat|tears|saliva|spit)\b.{0,40}\b(colou?r\w*|"
     r"dark\w*|red|orange|brown|black|blue|green|pink|discolou?r\w*)\b|\b(colou?r\w*|dark\w*|red|orange|brown|black|blue|"
     r"green|pink|discolou?r\w*)\b.{0,30}\b(urine|pee|wee|wiwi|xixi|pipi|stools?|poo|poop|faeces|feces|sweat|tears|"
     r"saliva)\b",
     A.ADVERSE_REACTIONS, 5),
    # what the pill looks like outweighs a strength named in the same question ("a 5 mg tablet")
    # ("Found a peach coloured tablet on the floor ... 10 MG on it")
    (r"\b(look like|looks like|colou?rs?|colou?red|shape|shaped|imprint\w*|markings?)\b", A.DOSAGE_FORMS, 3.5),
    # "plain white round ones with L 59 on them", "they looked different": the pill's look, whatever strength is named
    (r"\b(white|yellow|pink|blue|orange|green|red|brown|peach|beige|round|oval|oblong|capsule-shaped|scored)\b"
     r"(\s+\w+){0,3}?\s+(with|marked|stamped|debossed|printed|engraved)\b|\b(stamped|debossed|engraved|printed) "
     r"(with|on)\b|\b(look|looks|looked|looking) (different|odd|strange|weird|funny|new)\b|"
     # "with 894 on one side and 5 on the other", "R150 on it"
     r"\bwith [\w ]{1,12} on (it|them|one side|the other( side)?|both sides|the back|the front)\b|"
     r"\b\w*\d\w* on (one side|the other side|the back)\b|"
     # "the tablets changed from purple to yellow. is yellow right for 100?": the colour of a strength
     r"\b(changed|gone|went|turned) (from )?(white|yellow|pink|blue|orange|green|red|brown|peach|purple|lilac|violet|"
     r"beige|tan) to\b|\b(is|are) (white|yellow|pink|blue|orange|green|red|brown|peach|purple|lilac|violet|beige|tan) "
     r"(right|correct|normal|ok|okay)\b|"
     # "what strength is the maroon one?": the strength a colour is
     r"\b(what|which) (strength|dose|mg) (is|are) (the |a |this |that )?(white|yellow|pink|blue|orange|green|red|brown|"
     r"peach|purple|lilac|violet|beige|tan|maroon|grey|gray|round|oval|dark \w+|light \w+) ?(one|ones|tablets?|pills?|"
     r"capsules?)?\b|"
     r"\b(white|yellow|pink|blue|orange|green|red|brown|peach|purple|lilac|violet|beige|tan|maroon|grey|gray)\b[^.?!]{0,30}"
     r"\b(what|which) (strength|dose|mg)\b", A.DOSAGE_FORMS, 5),
    # "what's good for the diarrhoea it gives me?": an effect of the medicine said before
    (r"\b(it|they|this|the tablets?|the pills?) (gives?|gave|is giving|causes?|caused) (me|him|her|them)\b",
     A.ADVERSE_REACTIONS, 3.5),
    (r"\b(what strengths?|strengths|come in|comes in|available (as|in)|forms?|capsule or tablet|liquid form)\b",
     A.DOSAGE_FORMS, 2),
    # "what strengths does it come in": the forms and strengths it is supplied in, not a dose to take
    (r"\b(strengths?|sizes?|forms?|doses?)\b.{0,30}\b(come|comes|available|sold|made|supplied)\b|"
     r"\b(come|comes|available|sold|supplied) (in|as)\b", A.DOSAGE_FORMS, 2),
    # "Does the antibiotic affect the blood thinner?": what one does to another taken, not how one works
    (r"\b(affect|affects|affecting|weaken\w*|strengthen\w*|boost\w*)\s+(the|my|his|her|their)\s+(other\s+)?"
     r"(blood[- ]thinn\w+|anticoagulant|antibiotic|statin|water (tablets?|pills?)|(heart|blood pressure|bp|diabetes|"
     r"sugar|thyroid|epilepsy|seizure) (ones?|tablets?|pills?|medicines?|meds)|other (ones?|tablets?|pills?|"
     r"medicines?|meds))\b", A.INTERACTIONS, 4),
    # pharmacology
    (r"\b(how does (it|this|\w+) (actually |really |even )?work|mechanism|"
     r"how (long )?(does|will) (it|\w+) (take|last|stay)|"
     r"kick in|start working|half[- ]life|stay in (your|my|the) (system|body|urine|blood)|work on|affect the|"
     # "Is it just not working for me or does it take a while?"
     r"(does|do|will|would) (it|they|this|that) (just )?take (a while|a bit|time|weeks|months)|"
     r"(is|isn'?t|it'?s) (it )?(just )?not working (for me|yet)|"
     # "still burning. Should it have worked by now?", "hasn't kicked in yet"
     r"(should|shouldn'?t|would|wouldn'?t) (it|they|this|that) have (worked|kicked in|started working)|"
     r"(has|have|hasn'?t|haven'?t|has not|have not|not|still not) (it |they )?(worked|working|kicked in) "
     r"(yet|by now))\b",
     A.PHARMACOLOGY, 3),
    (r"\b(remains?|stays?|last|lasts) in (the |your |my )?(body|system|urine|blood)|"
     r"how (long|fast|soon|quickly) (before|until|does|do|will|for)\b.{0,40}\b(work|working|(?<!side )(?<!side-)"
     r"(?<!adverse )effect|affect|act)\w*|"
     r"therapeutic effect|continue working|take (effect|affect)|how (it|does it) act", A.PHARMACOLOGY, 3.5),
    (r"\b(pharmacolog\w*|absorb\w*|metaboli\w*|onset|duration of action)\b", A.PHARMACOLOGY, 2),
    # "is cyclobenzaprine a narcotic?": what kind of drug it is
    (r"\bis (it|this|that|\w+) (a|an) (narcotic|opioid|opiate|steroid|antibiotic|stimulant|sedative|"
     r"benzo\w*|nsaid|blood thinner|muscle relaxant|antidepressant|antihistamine|diuretic|statin|"
     r"beta[- ]?blocker|ace inhibitor|painkiller|controlled substance)\b", A.PHARMACOLOGY, 3),
]

_ZH_CUES: list[tuple[str, Attribute, float]] = [
    # not with a meal: "跟第一口饭一起嚼", "能和饭一起吃吗" ask how to take it (the dosage)
    # (nor two doses at once: "还是等今晚一起吃两颗？" is a missed dose)
    (r"(相互作用|(?<![饭餐])一起(吃|服|用)(?![两2二几]|兩)|同(时)?服|合用|同用|并用|能(和|与|跟)(?!.?(饭|餐))|可以(和|与|跟)(?!.?(饭|餐))|"
     r"喝酒|饮酒)",
     A.INTERACTIONS, 3),
    (r"((?<![饭餐])一起(?!(吃|服|用)?(两|兩|2|二|几)(颗|顆|片|粒|次))|一块儿?(吃|服|用)|同时(吃|用)|混(着|在一起))",
     A.INTERACTIONS, 3),
    # the section's own name ("有什么相互作用吗？") says it as surely as "any interactions?" does in English
    (r"相互作用", A.INTERACTIONS, 3),
    (r"(不良反应|副作用|反应|有什么害处)", A.ADVERSE_REACTIONS, 3),
    (r"(用法|用量|剂量|怎么(吃|服|用)|如何(服|使)用|吃多少|一次|几次|每天|多少毫克|漏服|忘(记)?(吃|服))", A.DOSAGE, 3),
    (r"(饭前|饭后|餐前|餐后|空腹|随餐|睡前|什么时候(吃|服|用)|几粒|几片|几颗|几丸|多久吃一次)", A.DOSAGE, 3),
    (r"(孕妇|怀孕|妊娠|备孕|孕期|怀上|要二胎|要孩子|要宝宝|生孩子|要个孩子|懷孕|孕婦)", A.PREGNANCY, 4),
    # how much at most, how long before, within how many days, where to start: "一日最多可以食幾多粒？",
    # "要在多久之前吃才有效？", "同房后几天内吃", "从小剂量开始", "吸完以后一定要漱口吗"
    (r"(最多|最大(剂)?量|多少粒|几多|幾多|幾粒|幾片|多久(之|以)?前|提前多久|几天内|幾天內|多少小时内|几个?小时内|"
     r"从多少|从小剂量|起始剂量|开始(吃|服)多少|漱口)", A.DOSAGE, 3),
    # "他吞不下胶囊，可以打开撒在苹果泥上吃吗？": how to take a capsule opened, not a child's use
    (r"((打开|拆开|掰开|打開|拆開)[^，。？！,?]{0,6}(撒|拌|混|倒|溶)|苹果泥|蘋果泥|酸奶里|吞不下|咽不下)",
     A.DOSAGE, 4.5),
    (r"(哺乳|喂奶|母乳)", A.LACTATION, 4),
    # (not the baby of a pregnancy: "要二胎，如果怀上了…对宝宝影响大不大？")
    (r"^(?!.*(?:怀孕|怀上|懷孕|孕期|孕妇|妊娠|备孕|二胎|要孩子|要宝宝|生孩子|要个孩子)).*(儿童|小孩|孩子|婴儿|幼儿|宝宝)",
     A.PEDIATRIC, 3),
    (r"(老人|老年)", A.GERIATRIC, 3),
    (r"(禁忌|不能(吃|用|服)|不宜|禁用|慎用)", A.CONTRAINDICATIONS, 3),
    # "可以吃吗？" / "能用吗？": whether the user may take it at all
    (r"((可以|能)(吃|服用?|用)吗|能不能(吃|服|用)|可不可以(吃|服|用))", A.CONTRAINDICATIONS, 2),
    (r"(过敏的人|过敏者|过敏体质|过敏史|对.{0,8}过敏)", A.CONTRAINDICATIONS, 3),
    (r"(注意事项|注意什么|要注意|安全吗|风险)", A.WARNINGS, 3.5),
    (r"(适应症|治疗什么|治什么|用于|治疗|功能主治|有什么用|干什么)", A.INDICATIONS, 2.5),
    # (not the fridge opened to eat in the night: "半夜起来开冰箱吃东西")
    (r"(贮藏|储存|保存|存放|(?<!开)(?<!打开)冰箱|有效期|过期)", A.STORAGE, 3.5),
    # (not what years of a medicine are said to do: "血压药吃多了伤肾"; 乳酸酸中毒, lactic acidosis, is no overdose)
    (r"(过量|吃多了(?!(会)?(伤|对(身体|肝|肾|胃|心)|不好|有害|有副作用))|服多了|(?<!酸)中毒)", A.OVERDOSAGE, 3.5),
    # "一次吃了十几片", "不小心吃了": more than a dose taken, not how much to take
    # ("把一板氯硝西泮吃了大半": most of a blister strip)
    (r"((吃|服)了(十几|几十|好几|一把|一整|整)|不小心(多)?(吃|服|喝)|(一|半|整)(板|瓶|盒).{0,12}(吃|服)了(大半|一半|半|"
     r"好多|很多|不少|全部)|(吃|服)了(大半|一半|半)(板|瓶|盒))", A.OVERDOSAGE, 3.5),
    # when in the day; how far apart from another medicine ("和钙片要隔多久吃")
    (r"((早上|晚上|早晨|白天|中午|几点)(吃|服|用)|什么时间(吃|服|用))", A.DOSAGE, 3),
    (r"((和|与|跟).{1,8}(隔|间隔|错开|分开)(多久|多长时间|几个?小时))", A.INTERACTIONS, 3.5),
    (r"(西柚|葡萄柚|柚子)", A.INTERACTIONS, 3),
    # as the English cues: addiction and long-term use are warnings, "causes X" and symptoms adverse effects
    (r"(上瘾|成瘾|依赖性|戒断)", A.WARNINGS, 2.5),
    (r"(长期(吃|服|用)|吃久了|吃了很久)", A.WARNINGS, 1.5),
    (r"(坏处|危害|伤身)", A.ADVERSE_REACTIONS, 3),
    (r"((会|能)(不会)?(引起|导致|造成|让)|会不会)", A.ADVERSE_REACTIONS, 1.5),
    (r"((吃|服|用)了?(以后|之后|后).{0,12}(起|出现|发生|长|有))", A.ADVERSE_REACTIONS, 2),
    (r"(皮疹|起疹|疹子|瘙痒|头晕|恶心|呕吐|脱发|掉头发|嗜睡|犯困|乏力|水肿|出血)", A.ADVERSE_REACTIONS, 1),
    # "脚有点肿，是不是他的药引起的？", "有点头晕，是药的原因吗": a symptom laid at the medicine's door
    (r"(药|它|这个|吃的).{0,3}(引起|导致|造成|闹|弄)(的|了)|(药|它)的(原因|问题|副作用|关系)|(因为|由于)(吃)?(药|它)|"
     r"跟(药|它)有关|和(药|它)有关", A.ADVERSE_REACTIONS, 3.5),
    # stopping ("要停吗", "能停药吗"), as the English "stop"
    (r"(要停|停药|能停|可以停|停掉|停用)", A.DOSAGE, 2),
    # stopping at once, as the English "stop suddenly / cold turkey": what the label warns of stopping abruptly
    (r"(直接停|突然停|马上停|一下子停|自己停|说停就停)", A.WARNINGS, 3),
    # what the user saw and asks whether it is expected ("老是拉肚子，正常吗？"), as the English "is that normal?"
    (r"(正常吗|正常不|是正常的吗|正不正常|常见吗|是不是副作用)", A.ADVERSE_REACTIONS, 3),
    (r"(成分|成份|含有)", A.DESCRIPTION, 3),
    (r"(药理|作用机制|起效|多久见效)", A.PHARMACOLOGY, 3),
    (r"(规格|剂型)", A.DOSAGE_FORMS, 3),
    # what it looks like ("胶囊长什么样？想认一下"), as the English "look like / colour / imprint"
    (r"(长什么样|长啥样|什么样子|什么颜色|啥颜色|外观|形状|认一下|刻字|印字)", A.DOSAGE_FORMS, 3.5),
    # (for a rash, a stopping question asks the label's warnings: "起了好多红疹子…要不要停药？")
    (r"(疹|皮疹|红疹|起包|瘙痒|发痒).{0,20}(要不要停|停药|能停|要停)", A.WARNINGS, 3),
    # (so for another event said before it: "上腹剧痛放射到背部，要停药吗")
    (r"(痛|疼|肿|吐|泻|晕|黄|痒|出血|尿|胸闷|心慌|喘|酸|没力气|乏力).{0,20}(要不要停|停药吗|要停吗|需要停|能停吗)",
     A.WARNINGS, 3),
    # a kidney measure and whether it may go on: metformin's "contraindicated in patients with an eGFR below 30"
    (r"(egfr|肌酐清除率|肾小球滤过率|肾功能).{0,40}(还能|能不能|可以|能否)(继续)?(吃|用|服)?", A.CONTRAINDICATIONS, 3),
    # "牙齿会不会黄": a tetracycline's tooth discoloration, among its warnings
    (r"(牙齿|牙).{0,6}(黄|变色|发黄|染色)", A.WARNINGS, 3),
]

_COMPILED = [(re.compile(p, re.IGNORECASE), a, w) for p, a, w in _EN_CUES + _ZH_CUES]

# Effects a label puts among its warnings and precautions, not its list of common reactions: a seizure, low
# sodium, bone loss, confusion or memory loss, suicidal thoughts, fainting or dizziness on standing up.
_SERIOUS_EFFECT = re.compile(
    r"\b(seizures?|convulsions?|fits|sodium|salt levels?|hyponatr\w*|bones|bone (loss|density|thinning)|"
    r"brittle bones|fractures?|osteopor\w*|muddled|forgetful\w*|memory (loss|problems?)|dementia|suicid\w*|"
    r"took (his|her|their) own life|kill\w* (him|her|them)sel\w+|self[- ]harm|"
    r"(faint\w*|dizz\w*|light-?headed|fall\w*)\b.{0,30}\b(stand\w*|get\w* up|getting out of|sit\w* up)|"
    r"qt|qtc|heart rhythm|arrhythmi\w*|irregular heart\w*|potassium|thin\w* (your|my|his|her|the) blood|"
    r"falling( over| down)?|falls|fall over|liver (damage|problems?|failure)|kidney (damage|problems?|failure)|"
    r"serotonin syndrome|heart attacks?|strokes?|blood clots?|"
    # "will atorvastatin damage my liver?", "is it bad for his kidneys?": harm to an organ, not the dose for a patient
    # whose organ is already failing (specific populations)
    r"(damag\w*|harm\w*|hurt\w*|destroy\w*|ruin\w*|bad for|wreck\w*) (my |your |his |her |their |the )?"
    r"(liver|kidneys?))\b",
    re.IGNORECASE)
# ... asked as an effect of the medicine ("can it cause seizures?", "lowering his sodium", "bad for my bones")
_AS_AN_EFFECT = re.compile(
    r"\b(cause\w*|causing|make|makes|made|making|give|gives|lower\w*|rais\w*|drop\w*|thin\w*|weaken\w*|bad for|"
    r"harm\w*|damag\w*|risks?|side[- ]?effects?|affect\w*|increase\w*|trigger\w*|bring on|lead to|"
    r"be (the|from|due)|since (starting|taking|i started|i began|going on|being on)|is (that|this|it) the|"
    r"prolong\w*|mess\w* (with|up)|do (that|this)|thin\w*|"
    # a scare heard of, asked whether it is real: "Is that a real thing with this drug or a horrible rumour?"
    r"(is|was) (that|this|it) (a )?(real|true|actual|genuine)( thing| risk)?|a myth)\b",
    re.IGNORECASE)

# Weak general cues (safe, risk, cause) lose to specific ones; on exact ties the earlier entry wins.
_TIE_ORDER = [
    A.INTERACTIONS, A.OVERDOSAGE, A.PREGNANCY, A.LACTATION, A.BOXED_WARNING, A.STORAGE,
    A.CONTRAINDICATIONS, A.ADVERSE_REACTIONS, A.DOSAGE, A.PEDIATRIC, A.GERIATRIC, A.PHARMACOLOGY,
    A.INDICATIONS, A.DESCRIPTION, A.DOSAGE_FORMS, A.SPECIFIC_POPULATIONS, A.WARNINGS,
]


@dataclass(frozen=True, slots=True)
class AttributeGuess:
    attribute: Attribute | None
    scores: dict[str, float]


def classify_attribute(question: str, min_score: float = 1.5) -> AttributeGuess:
    scores = dict(_cue_scores(question))
    if not scores:
        return AttributeGuess(None, {})
    best = max(scores.items(), key=lambda kv: (kv[1], -_TIE_ORDER.index(kv[0]) if kv[0] in _TIE_ORDER else -99))
    as_str = {a.value: s for a, s in scores.items()}
    if best[1] < min_score:
        return AttributeGuess(None, as_str)
    return AttributeGuess(best[0], as_str)


# A product named by its strength: "I take low dose aspirin every day", "baby aspirin", 小剂量阿司匹林.
_PRODUCT_STRENGTH = re.compile(
    r"\b(?:low|high|lower|higher)[- ]dose(?= \w)|(?:小剂量|低剂量|大剂量)(?!开始|起始|起步|吃起)", re.IGNORECASE)
# Shopping, not storing: "picked up omeprazole at the store", "a store brand", "from the drugstore".
_SHOP = re.compile(r"\b(at|from|in|to|into) (the|a|my|our|this|that) (\w+ )?(store|shop|drugstore)\b|\bstore[- ]"
                   r"(brand|bought)\b|\b(grocery|drug|convenience|health food|corner|dollar) store\b", re.IGNORECASE)


@lru_cache(maxsize=8192)
def _cue_scores(question: str) -> tuple[tuple[Attribute, float], ...]:
    """Each cued section's summed weight, in pattern order. Cached: a turn classifies the same question
    five or six times (distill, intent, context, alongside), each a search of every cue pattern."""
    question = _SHOP.sub(" ", question)
    question = _PRODUCT_STRENGTH.sub(" ", question)  # "low dose aspirin" names a product, asks no dose
    question = spell_allergy_words(question)  # "im alergic to ..." is the allergy cue
    question = spell_cue_words(question)  # "breastfeding", "side efects", "dosis" (cue_spelling)
    scores: dict[Attribute, float] = {}
    for pattern, attribute, weight in _COMPILED:
        if pattern.search(question):
            scores[attribute] = scores.get(attribute, 0.0) + weight
    if _SERIOUS_EFFECT.search(question) and _AS_AN_EFFECT.search(question):
        # the label's warnings answer it before its reactions ("Can it cause seizures?": bupropion's seizure
        # warning, not the incidence table)
        scores[A.WARNINGS] = max(scores.get(A.WARNINGS, 0.0), scores.get(A.ADVERSE_REACTIONS, 0.0) + 0.5, 3.5)
    return tuple(scores.items())


# Sections that answer a question about an attribute when the label has no section of that name.
RELATED_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "adverse_reactions": ("warnings", "boxed_warning", "patient_counseling"),
    "pregnancy": ("specific_populations", "warnings", "contraindications", "boxed_warning"),
    "lactation": ("specific_populations", "pregnancy", "warnings"),
    "pediatric": ("specific_populations", "dosage", "warnings"),
    "geriatric": ("specific_populations", "dosage", "warnings"),
    "specific_populations": ("dosage", "warnings", "contraindications"),
    "contraindications": ("warnings", "boxed_warning"),
    "warnings": ("boxed_warning", "contraindications", "adverse_reactions"),
    "boxed_warning": ("warnings",),
    "interactions": ("warnings", "contraindications"),
    "overdosage": ("warnings", "dosage"),
    "dosage": ("dosage_forms", "patient_counseling"),
    "dosage_forms": ("storage", "description", "dosage"),
    "storage": ("dosage_forms",),
    "description": ("dosage_forms", "pharmacology"),
    "pharmacology": ("description", "indications"),
    "indications": ("description", "pharmacology"),
    "patient_counseling": ("warnings",),
}
