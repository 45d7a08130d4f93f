"""The understanding failures of issue 17, asked over the real server (`clinqa serve` on 127.0.0.1) with a
small corpus cut from corpora/medicines.jsonl (its chunks are in corpora/medicines.vectors.npz, so nothing
is encoded). What is checked is what understanding decides: the queries (medicine and section), the
status, the notices; which sentences the reader quotes is the reader's business."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

KEEP = ("warfarin", "metronidazole", "levothyroxine", "amoxicillin", "amoxicillin-and-clavulanate-potassium",
        "insulin", "insulin-glargine", "insulin-aspart", "diclofenac-sodium", "alprazolam", "atorvastatin",
        "sertraline", "tramadol", "digoxin", "amiodarone-hydrochloride", "naproxen", "metformin", "apixaban",
        "lisinopril", "prednisone", "carbamazepine", "rosuvastatin", "amlodipine", "fentanyl-citrate",
        "ibuprofen", "spironolactone", "acetaminophen", "atovaquone-and-proguanil-hydrochloride",
        "alendronate-sodium", "methotrexate", "hydroxychloroquine-sulfate", "adapalene-and-benzoyl-peroxide",
        "clobetasol-propionate-ointment-usp-0-05", "levonorgestrel", "ticagrelor", "aspirin",
        "calcipotriene-and-betamethasone-dipropionate", "betamethasone-dipropionate", "calcipotriene",
        "dabigatran-etexilate-mesylate", "sitagliptin", "lisdexamfetamine-dimesylate", "ramipril",
        "sacubitril-and-valsartan", "dapagliflozin", "bisoprolol-fumarate")  # fmt: skip


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("understanding"), KEEP) as url:
        yield url


def _queries(body: dict[str, Any]) -> set[tuple[str | None, str | None]]:
    return {(q["medicine"], q["attribute"]) for q in body["queries"]}


def test_medicines_said_earlier_are_interaction_partners(base: str) -> None:
    for taken, asked, taken_id, asked_id in [
        ("I'm taking Coumadin.", "My dentist prescribed metronidazole. Is that a problem?", "warfarin",
         "metronidazole"),
        ("I've been on sertraline for years.", "The ER gave me tramadol. Can I take it?", "sertraline", "tramadol"),
        ("I take digoxin every day.", "My cardiologist wants to add amiodarone. Anything I should know?", "digoxin",
         "amiodarone-hydrochloride"),
    ]:
        body = chat(base, taken, asked)
        assert {(taken_id, "interactions"), (asked_id, "interactions")} <= _queries(body), (asked, body["queries"])
        assert any(n["kind"] == "medication_partners" for n in body["notices"]), body["notices"]


def test_brands_the_database_holds(base: str) -> None:
    body = chat(base, "I take Synthroid.", "Should I take it on an empty stomach?")
    assert body["status"] != "unknown_drug" and ("levothyroxine", "dosage") in _queries(body)
    body = chat(base, "I'm allergic to penicillin. Can I take Augmentin?")
    assert ("amoxicillin-and-clavulanate-potassium", "contraindications") in _queries(body)


def test_misspellings_and_near_misses(base: str) -> None:
    assert {q[0] for q in _queries(chat(base, "how do I inject insulin glargin"))} == {"insulin-glargine"}
    body = chat(base, "My doctor mentioned Zorvalex. What are the side effects?")
    assert body["status"] == "unknown_drug" and body["citations"] == [] and body["queries"] == []
    assert "did you mean" in body["answer"]


def test_ordinary_words_are_not_missing_medicines(base: str) -> None:
    body = chat(base, "My grandma takes naproxen. Can she have it with coffee or anything else?")
    assert not any(n["kind"] == "unknown_drug" for n in body["notices"]), body["notices"]
    assert {q[0] for q in _queries(body)} == {"naproxen"}


def test_a_product_the_database_lacks_gets_no_other_label(base: str) -> None:
    body = chat(base, "Is it okay to get the flu shot this week?")
    assert body["status"] == "unknown_drug" and body["citations"] == []


def test_the_services_answer_is_not_a_source_of_medicines(base: str) -> None:
    messages = [{"role": "user", "content": "I take sertraline."},
                {"role": "assistant", "content": "Sertraline can interact with tramadol and warfarin."},
                {"role": "user", "content": "What are its side effects?"}]
    r = httpx.post(f"{base}/v1/chat/completions", json={"model": "clinqa", "messages": messages}, timeout=120)
    assert r.status_code == 200, r.text
    queries = {q["medicine"] for q in r.json()["clinqa"]["queries"]}
    assert queries == {"sertraline"}


def test_sections_of_the_quoted_questions(base: str) -> None:
    # The intent prior may rank adverse reactions first for "addictive"; what matters is that the answer
    # quotes what the label says of dependence and abuse, not its indications.
    body = chat(base, "Is Xanax addictive?")
    assert {q[0] for q in _queries(body)} == {"alprazolam"}
    assert re.search(r"addict|dependence|abuse", body["answer"], re.IGNORECASE), body["answer"]
    assert all(c["attribute"] != "indications" for c in body["citations"]), body["citations"]
    assert ("atorvastatin", "adverse_reactions") in _queries(chat(base, "what r the side efects of atorvastatine"))
    body = chat(base, "I started metformin.", "Does it upset the stomach?")
    assert ("metformin", "adverse_reactions") in _queries(body)
    body = chat(base, "I took my levothyroxine twice this morning")
    assert ("levothyroxine", "overdosage") in _queries(body)


def _conversation(base: str, *messages: str) -> tuple[str, list[dict[str, Any]]]:
    """User turns in one conversation: its id and every answer."""
    conversation, answers = None, []
    for message in messages:
        r = httpx.post(f"{base}/v1/chat", json={"message": message, "conversation_id": conversation}, timeout=120)
        assert r.status_code == 200, r.text
        answers.append(r.json())
        conversation = answers[-1]["conversation_id"]
    assert conversation is not None
    return conversation, answers


def test_an_unrelated_turn_gets_a_short_reply_and_keeps_the_medicine(base: str) -> None:
    _, (_, pizza, after) = _conversation(base, "I'm taking Coumadin.", "Any good pizza place around here?",
                                         "Can I take it with naproxen?")
    assert pizza["status"] == "not_medical" and pizza["citations"] == [] and pizza["queries"] == []
    assert "medicine" in pizza["answer"] and "Warfarin" in pizza["answer"], pizza["answer"]
    assert {"warfarin", "naproxen"} <= {q["medicine"] for q in after["queries"]}, after["queries"]
    # a terse real question after a medicine stays a medicine question
    # (alcohol: warnings or interactions, where metformin's label says it and the consultation writers' golds put it)
    for terse, sections in [("dose?", {"dosage"}), ("and for kids?", {"pediatric"}),
                            ("what about alcohol", {"interactions", "warnings"})]:
        body = chat(base, "I take metformin.", terse)
        asked = {section for medicine, section in _queries(body) if medicine == "metformin"}
        assert body["status"] == "answered" and asked & sections, (terse, body["queries"])


def test_greetings_and_thanks_in_every_answer_shape(base: str) -> None:
    conversation, (_, thanks) = _conversation(base, "What is sertraline for?", "thanks!")
    assert thanks["status"] == "not_medical" and thanks["citations"] == [], thanks
    r = httpx.post(f"{base}/v1/chat", json={"message": "hello", "conversation_id": conversation, "stream": True},
                   timeout=120)
    assert r.status_code == 200 and "text/event-stream" in r.headers["content-type"]
    done = [json.loads(block.split("data:", 1)[1]) for block in r.text.split("\n\n") if "event: done" in block]
    assert done and done[0]["status"] == "not_medical" and done[0]["citations"] == [], r.text[-500:]
    r = httpx.post(f"{base}/v1/chat/completions", timeout=120, json={"model": "clinqa", "messages": [
        {"role": "user", "content": "I take sertraline."}, {"role": "assistant", "content": "Okay."},
        {"role": "user", "content": "谢谢"}]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["clinqa"]["status"] == "not_medical" and body["clinqa"]["queries"] == []
    assert body["choices"][0]["message"]["content"].startswith("不客气")
    metrics = httpx.get(f"{base}/metrics", timeout=30).text
    assert re.search(r'clinqa_answers_total\{[^}]*status="not_medical"', metrics), metrics[-2000:]


def test_her_medicine_follows_the_relatives_gender_or_is_asked_back(base: str) -> None:
    body = chat(base, "My daughter takes sertraline and my husband takes metformin.",
                "Can her medicine cause weight gain?")
    assert {q[0] for q in _queries(body)} == {"sertraline"}, body["queries"]
    body = chat(base, "My husband takes lisinopril.", "My daughter was just put on sertraline.",
                "What are the side effects of his pills?")
    assert {q[0] for q in _queries(body)} == {"lisinopril"}, body["queries"]
    _, (_, ask, reply) = _conversation(base, "My mom takes Eliquis and my daughter takes sertraline.",
                                       "Can her medicine cause bleeding?", "my mom's")
    assert ask["status"] == "clarify" and ask["queries"] == [] and ask["citations"] == []
    assert "your mother's" in ask["answer"] and "your daughter's" in ask["answer"], ask["answer"]
    # the reply names whose; what is asked of it is the question before (not the label's indications)
    assert {q["medicine"] for q in reply["queries"]} == {"apixaban"}, reply["queries"]
    assert reply["queries"][0]["attribute"] not in (None, "indications"), reply["queries"]
    assert "bleeding" in reply["queries"][0]["keywords"], reply["queries"]


def test_what_the_medicine_said_before_contains(base: str) -> None:
    body = chat(base, "I take naproxen for my back.", "Is there any aspirin in it?")
    assert _queries(body) == {("naproxen", "description")}, body["queries"]
    assert all(c["medicine_id"] == "naproxen" for c in body["citations"]), body["citations"]


def test_chinese_allergy_relatives_and_can_i_take_it(base: str) -> None:
    # the allergen is not asked about; the asked medicine gets the allergy alert, in Chinese
    body = chat(base, "我对青霉素过敏，能吃阿莫西林吗")
    assert {q[0] for q in _queries(body)} == {"amoxicillin"}, body["queries"]
    assert any(n["kind"] == "allergy" and "青霉素" in n["text"] for n in body["notices"]), body["notices"]
    # "can he take it?" beside the father's medicine: an interaction question, checked against HIS medicines
    body = chat(base, "我爸在吃华法林", "他能吃萘普生吗")
    assert {("naproxen", "interactions"), ("warfarin", "interactions")} <= _queries(body), body["queries"]
    assert any(n["kind"] == "medication_partners" and "您父亲" in n["text"] for n in body["notices"]), body["notices"]
    # her medicine, among a mother's and a father's
    body = chat(base, "我妈妈在吃阿哌沙班，我爸在吃二甲双胍", "她的药有什么副作用？")
    assert {q[0] for q in _queries(body)} == {"apixaban"}, body["queries"]


def test_partner_notice_names_whose_medicines(base: str) -> None:
    body = chat(base, "My mother takes apixaban.", "Is it ok for her to take naproxen?")
    texts = [n["text"] for n in body["notices"] if n["kind"] == "medication_partners"]
    assert texts == ["Checked against the medicines you said your mother takes: Apixaban."], body["notices"]


@pytest.mark.parametrize(("turns", "own", "says"), [
    (("I take warfarin.", "Is ginkgo biloba ok with it?"), "warfarin", "botanical"),
    (("Is ginkgo biloba safe with my warfarin?",), "warfarin", "botanical"),
    (("I'm on lisinopril. What about potassium supplements?",), "lisinopril", "potassium"),
    (("I've been taking lisinopril for years.", "can i take potassium pills with it"), "lisinopril", "potassium"),
    (("Can my husband take St. John's wort with his sertraline?",), "sertraline", "john's wort"),
    (("I take prednisone every day.", "Can I get my flu shot while on it?"), "prednisone", "immuniz"),
])
def test_a_product_not_in_the_database_from_the_users_own_label(base: str, turns: tuple[str, ...], own: str,
                                                                says: str) -> None:
    body = chat(base, *turns)
    assert body["status"] == "answered", body
    assert {c["medicine_id"] for c in body["citations"]} == {own}, body["citations"]  # never another label
    assert says in body["answer"].casefold(), body["answer"]  # only where the label names it
    assert any(n["kind"] == "unknown_drug" for n in body["notices"]), body["notices"]


def test_a_product_the_users_label_says_nothing_of_is_not_in_the_database(base: str) -> None:
    body = chat(base, "I take warfarin.", "Is fish oil ok with it?")
    assert body["status"] == "unknown_drug" and body["citations"] == [], body


def test_a_vaccine_asked_alone_is_not_in_the_database(base: str) -> None:
    body = chat(base, "Is the shingles vaccine safe for someone over 60?")
    assert body["status"] == "unknown_drug" and body["citations"] == [], body


def test_what_i_would_take_is_asked_of_my_medicines_not_a_relatives(base: str) -> None:
    # "Can I have grapefruit juice?": the user's atorvastatin (whose label warns of it), not the father's metformin
    for said, asked in [("My dad takes metformin and I take atorvastatin.", "Can I have grapefruit juice?"),
                        ("我爸在吃二甲双胍，我在吃阿托伐他汀", "我能喝西柚汁吗？")]:
        body = chat(base, said, asked)
        assert {q[0] for q in _queries(body)} == {"atorvastatin"}, body["queries"]
        assert "grapefruit" in body["answer"].casefold(), body["answer"]
    # a son's medicine is no interaction partner of the user's new one
    body = chat(base, "My son takes metformin.",
                "I was just prescribed sertraline. Any interactions I should know about?")
    assert {q[0] for q in _queries(body)} == {"sertraline"}, body["queries"]
    assert not any(n["kind"] == "medication_partners" for n in body["notices"]), body["notices"]


def test_a_bare_relative_asking_to_take_one_is_checked_against_their_own_medicines(base: str) -> None:
    # "Can dad take naproxen?" after the mother's warfarin and the father's digoxin: his digoxin, not her warfarin
    body = chat(base, "My mum takes warfarin and my dad takes digoxin.", "Can dad take naproxen?")
    assert {q[0] for q in _queries(body)} == {"naproxen", "digoxin"}, body["queries"]
    texts = [n["text"] for n in body["notices"] if n["kind"] == "medication_partners"]
    assert texts and "father" in texts[0] and "Warfarin" not in texts[0], body["notices"]


def test_grapefruit_is_said_missing_only_where_the_whole_label_never_names_it(base: str) -> None:
    body = chat(base, "I take rosuvastatin.", "Can I drink grapefruit juice?")
    assert any("does not mention grapefruit" in n["text"] for n in body["notices"]), body["notices"]
    # carbamazepine's CYP3A4 list names grapefruit juice in a tail its quotable sentence shortens to "and others"
    body = chat(base, "I am on Tegretol for epilepsy.", "Is grapefruit a problem with it?")
    assert not any("grapefruit" in n["text"] for n in body["notices"]), body["notices"]


def test_a_medicine_said_before_that_the_database_lacks_is_read_for_in_the_asked_label(base: str) -> None:
    # lithium is not in the database; naproxen's label here does not name it: said so, no unrelated interaction lines
    body = chat(base, "I take lithium.", "Can I take naproxen for my back?")
    assert any("does not mention Lithium" in n["text"] for n in body["notices"]), body["notices"]
    assert not body["citations"], body["answer"]


def test_a_label_silent_on_grapefruit_quotes_its_cyp3a_inhibitor_lines(base: str) -> None:
    body = chat(base, "I take amlodipine for my blood pressure.", "Can I drink grapefruit juice?")
    assert body["status"] == "answered" and "CYP3A inhibitors" in body["answer"], body["answer"]
    assert any("does not mention grapefruit" in n["text"] for n in body["notices"]), body["notices"]


def test_a_form_the_label_is_not_for_is_said(base: str) -> None:
    # the database's fentanyl label is an injection's: its text is not taken for the patch's
    body = chat(base, "I use a fentanyl patch for my back pain.", "Can I shower with it on?")
    assert any("not a patch" in n["text"] for n in body["notices"]), body["notices"]
    body = chat(base, "I use a fentanyl patch.", "Can I take ibuprofen tablets for a headache?")
    assert not any("not a" in n["text"] and "Ibuprofen's label" in n["text"] for n in body["notices"])


def test_a_chinese_herbal_product_beside_a_medicine_reads_its_labels_botanical_lines(base: str) -> None:
    body = chat(base, "我妈吃华法林，INR一直挺稳的。", "她最近想买银杏叶片来吃，会不会影响华法林？")
    assert body["status"] == "answered" and "botanical" in body["answer"], body["answer"]
    assert any("ginkgo" in n["text"] for n in body["notices"]), body["notices"]


def test_an_underactive_thyroid_is_a_condition_not_a_medicine(base: str) -> None:
    body = chat(base, "I have an underactive thyroid and take levothyroxine 50mcg. I just found out I'm pregnant.",
                "Can I keep taking it? Does the dose need changing?")
    assert body["status"] == "answered" and {q[0] for q in _queries(body)} == {"levothyroxine"}, body["answer"]


def test_a_supplement_taken_beside_a_medicine_is_read_in_its_label_whatever_section_is_leaned_to(base: str) -> None:
    # the intent model leans to the warnings for "Any problem?"; LoSalt is still read in spironolactone's label
    body = chat(base, "I've just started spironolactone.", "I use LoSalt instead of regular salt. Any problem?")
    assert body["status"] == "answered" and "salt substitutes" in body["answer"], body["answer"]
    body = chat(base, "I'm on spironolactone and my GP wants me to keep taking my potassium tablets too. Is it right?")
    assert ("spironolactone", "interactions") in _queries(body), body["queries"]


def test_a_turn_telling_of_an_overdose_reads_the_overdosage_section(base: str) -> None:
    body = chat(base, "My 16 year old took a load of Tylenol after a fight, maybe 15-20. She says she feels fine.")
    assert _queries(body) == {("acetaminophen", "overdosage")}, body["queries"]
    assert any(n["kind"] == "emergency" for n in body["notices"]), body["notices"]


def test_a_dose_brought_back_up_reads_the_labels_line_on_it_or_says_it_has_none(base: str) -> None:
    body = chat(base, "I'm taking Malarone for my trip.", "I was sick half an hour after this morning's tablet. "
                "Do I take another?")
    assert body["status"] == "answered" and "repeat dose" in body["answer"], body["answer"]
    body = chat(base, "I threw up 20 minutes after my morning metformin, do I take another one?")
    assert body["status"] == "no_evidence" and body["citations"] == [], body["answer"]
    assert any("vomited" in n["text"] for n in body["notices"]), body["notices"]


def test_staying_upright_after_a_weekly_tablet_is_answered_by_the_lying_down_line(base: str) -> None:
    body = chat(base, "I take alendronate 70mg once a week. How long do I have to stay upright after taking it?")
    assert "not lie down for at least 30 minutes" in body["answer"], body["answer"]
    assert "Paget" not in body["answer"], body["answer"]


def test_a_condition_asked_beside_a_uk_lithium_brand_lists_with_the_lithium_lines(base: str) -> None:
    body = chat(base, "I'm on Priadel for bipolar, level was fine last month. Period pains are awful tonight, what "
                "can I take?")
    assert _queries(body) == {(None, "indications")}, body["queries"]
    assert "period pains" in body["answer"] and "lithium" in body["answer"], (body["answer"], body["notices"])


def test_a_night_nurse_asking_about_a_patients_medicine_is_answered_about_it(base: str) -> None:
    body = chat(base, "Night nurse on a psych ward. Pt on sertraline and just been started on tramadol by the "
                "medics. Does the sertraline label warn about that?")
    assert body["status"] == "answered" and "sertraline" in {q[0] for q in _queries(body)}, body["answer"]


def test_a_salt_substitute_told_in_one_turn_with_the_medicine_is_read_in_its_label(base: str) -> None:
    body = chat(base, "Mum (79) was discharged on spironolactone 25 mg. She's been using a salt substitute on her "
                "chips because the doctor told her to cut salt. Any issue?")
    assert ("spironolactone", "interactions") in _queries(body), body["queries"]
    assert "salt substitutes" in body["answer"], body["answer"]


def test_what_to_watch_for_in_a_breastfed_baby_reads_the_lactation_section(base: str) -> None:
    body = chat(base, "Just started sertraline. My baby is 6 weeks and exclusively breastfed.",
                "What should I watch for in her?")
    assert _queries(body) == {("sertraline", "lactation")}, body["queries"]


def test_not_my_medicine_but_hers_in_chinese_is_hers(base: str) -> None:
    body = chat(base, "我妈妈在吃华法林，我自己在吃阿莫西林。",
                "不是问我的药，是她。她牙疼，诊所也给她开了抗生素，会不会影响她的INR？")
    assert {q[0] for q in _queries(body)} == {"warfarin"}, body["queries"]


def test_the_blood_thinner_of_a_discharge_list_is_the_only_partner(base: str) -> None:
    body = chat(base, "They sent me home on apixaban, lisinopril and atorvastatin.",
                "My back is killing me. Can I take ibuprofen with the blood thinner?")
    assert {q[0] for q in _queries(body)} == {"ibuprofen", "apixaban"}, body["queries"]
    body = chat(base, "They sent me home on apixaban, lisinopril and atorvastatin.", "Can I take ibuprofen with them?")
    assert {q[0] for q in _queries(body)} >= {"ibuprofen", "apixaban", "lisinopril", "atorvastatin"}, body["queries"]


def test_a_medicine_one_was_going_to_take_is_checked_against_the_list_told_before(base: str) -> None:
    body = chat(base, "My meds: methotrexate 20 mg on Fridays, folic acid, omeprazole.",
                "Feeling rotten with a cold and a sore throat. Anything I should avoid? Was going to take Nurofen.")
    assert {("ibuprofen", "interactions"), ("methotrexate", "interactions")} <= _queries(body), body["queries"]
    assert any(n["kind"] == "medication_partners" for n in body["notices"]), body["notices"]
    body = chat(base, "每周一次甲氨蝶呤，同时吃叶酸。膝盖疼，能吃布洛芬吗？")
    assert ("methotrexate", "interactions") in _queries(body), body["queries"]


def test_whether_they_should_have_tested_the_eyes_is_no_interaction_question(base: str) -> None:
    body = chat(base, "I'm 45, lupus, also take vitamin D and omeprazole.",
                "Been on plaquenill 2 years for lupus. A friend said it can damage your eyes?? Nobody's ever sent me "
                "for an eye test. Should they have?")
    assert ("hydroxychloroquine-sulfate", "interactions") not in _queries(body), body["queries"]
    assert "retinal" in body["answer"].casefold(), body["answer"]


def test_what_it_is_taken_for_told_is_not_the_condition_asked_about(base: str) -> None:
    body = chat(base, "Tegretol 400mg twice a day for my epilepsy. I've started having grapefruit juice every "
                "morning on a diet. Is that OK?")
    assert ("carbamazepine", "interactions") in _queries(body), body["queries"]


def test_an_acne_gel_brand_and_a_steroid_ointment_kept_on(base: str) -> None:
    body = chat(base, "My son's been using Epiduo gel for spots and now his pillowcases have white patches all over "
                "them. Is that the gel?? Anything else to know about it?")
    assert body["status"] == "answered" and {q[0] for q in _queries(body)} == {"adapalene-and-benzoyl-peroxide"}
    assert ("adapalene-and-benzoyl-peroxide", "pediatric") not in _queries(body), body["queries"]
    body = chat(base, "Dermatologist gave me Dermovate ointment for a patch of psoriasis on my elbow. How long can I "
                "keep putting it on for? It's working well so I don't want to stop")
    assert body["status"] == "answered", (body["status"], body["notices"])
    assert "2 consecutive weeks" in body["answer"], body["answer"]


def test_chinese_too_late_and_a_new_antibiotic_on_warfarin(base: str) -> None:
    body = chat(base, "前天晚上套套破了，现在大概过了50个小时，吃毓婷（左炔诺孕酮）还来得及吗？")
    assert ("levonorgestrel", "dosage") in _queries(body) and "72 hours" in body["answer"], body["answer"]
    body = chat(base, "我在吃华法林", "牙医给我开了阿莫西林，会影响INR吗？")
    assert {("amoxicillin", "interactions"), ("warfarin", "interactions")} <= _queries(body), body["queries"]


def test_using_up_stronger_tablets_of_a_second_medicine_checks_the_one_taken(base: str) -> None:
    body = chat(base, "I'm on ticagrelor after my stent.",
                "I've got a big bottle of 325 mg aspirin at home, can I use those up instead of buying the small ones?")
    assert ("ticagrelor", "interactions") in _queries(body), body["queries"]
    assert "100 mg" in body["answer"], body["answer"]


def test_the_ingredients_bracketed_after_a_combination_are_what_it_is(base: str) -> None:
    body = chat(base, "Got Dovobet gel (calcipotriol + betamethasone) for scalp psoriasis. Is it ok on my face where I "
                "have a couple of patches? And is there a max amount a week?")
    assert {q[0] for q in _queries(body)} == {"calcipotriene-and-betamethasone-dipropionate"}, body["queries"]
    assert "face" in body["answer"] and "grams per week" in body["answer"], body["answer"]
    body = chat(base, "I use Dovobet. Can I also use betamethasone cream (the plain one)?")
    assert "betamethasone-dipropionate" in {q[0] for q in _queries(body)}, body["queries"]


def test_a_pill_box_so_he_does_not_forget_is_storage_and_a_missed_morning_dose_is_read(base: str) -> None:
    body = chat(base, "He's on Pradaxa for AF. I've been putting all his tablets in a weekly dosette box so he "
                "doesn't forget. Is that alright for the Pradaxa capsules?")
    assert body["status"] == "answered" and ("dabigatran-etexilate-mesylate", "storage") in _queries(body)
    assert "pill boxes or pill organizers" in body["answer"], body["answer"]
    body = chat(base, "Missed the morning Eliquis, it's lunchtime now. Do I take it?")
    assert "as soon as possible on the same day" in body["answer"], body["answer"]


def test_the_first_tablet_on_a_pasted_list(base: str) -> None:
    body = chat(base, "diabetes clinic letter says: metformin 500mg x2 twice a day, sitagliptin 100mg mornings, "
                "atorvastatin 20mg", "daughters wedding sat, can i have a few drinks with the first tablet on the list")
    assert {q[0] for q in _queries(body) if q[0] != "alcohol"} == {"metformin"}, body["queries"]


def test_opening_a_childs_capsule_quotes_how_not_the_regimen(base: str) -> None:
    body = chat(base, "Can my son open his lisdexamfetamine capsule?")
    assert ("lisdexamfetamine-dimesylate", "dosage") in _queries(body), body["queries"]
    assert "yogurt" in body["answer"].split("[1]")[0], body["answer"]


def test_the_wait_asked_in_the_sentence_of_a_switch_is_the_new_medicines(base: str) -> None:
    body = chat(base, "Switching from ramipril to Entresto - how long do I have to wait after the last ramipril?")
    assert {q[0] for q in _queries(body)} == {"sacubitril-and-valsartan"}, body["queries"]
    assert "36 hours" in body["answer"], body["answer"]


def test_stopping_a_new_medicine_before_an_operation_reads_its_label_not_the_list(base: str) -> None:
    body = chat(base, "My letter says: bisoprolol 5mg once daily, ramipril 5mg once daily, atorvastatin 40mg at night, "
                "apixaban 5mg twice daily.", "They added a new one, dapagliflozin 10mg. I'm booked for a hip "
                "replacement on the 14th. Do I need to stop the new one beforehand, and how many days?")
    assert {q[0] for q in _queries(body)} == {"dapagliflozin"}, body["queries"]
    assert "3 days" in body["answer"], body["answer"]
