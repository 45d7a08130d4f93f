"""The web page at / in headless Chromium (Debian packages chromium + chromium-driver; .ci/run installs them).

Skips when chromium or chromedriver is missing, so local runs without them pass.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.server import free_port, running_server
from tests.conftest import MINI_CORPUS

pytestmark = pytest.mark.e2e

CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()), None)


@pytest.fixture()
def browser(tmp_path: Path) -> Iterator[object]:
    if CHROMIUM is None or not CHROMEDRIVER.exists():
        pytest.skip("headless Chromium test needs Debian's chromium and chromium-driver "
                    "(apt-get install chromium chromium-driver; .ci/run does)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1100,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


# The element's and the input bar's places in the window (CSS pixels).
_PLACES = """const r = arguments[0].getBoundingClientRect();
const bar = document.getElementById("ask").getBoundingClientRect();
return {top: r.top, bottom: r.bottom, barTop: bar.top, height: window.innerHeight};"""


def _places(driver: Any, element: Any) -> dict[str, float]:
    return driver.execute_script(_PLACES, element)  # type: ignore[no-any-return]


def _visible_above_the_bar(driver: Any, element: Any) -> bool:
    p = _places(driver, element)
    return 0 <= p["top"] < p["bottom"] <= p["barTop"] <= p["height"]


def _check_numbering(answer: Any, api_quotes: set[str]) -> None:
    """[1], [2], ... in order of first appearance; one row per number; every quoted passage shown once."""
    from selenium.webdriver.common.by import By

    cited = [int(r.text.strip("[]")) for r in answer.find_elements(By.CSS_SELECTOR, ".cite-ref")]
    first_seen = list(dict.fromkeys(cited))
    assert first_seen == list(range(1, len(first_seen) + 1)), cited
    rows = answer.find_elements(By.CSS_SELECTOR, "details.citation")
    numbers = [int(r.get_attribute("data-n")) for r in rows]
    assert numbers == list(range(1, len(rows) + 1)), numbers  # no duplicate rows, in order
    assert set(first_seen) <= set(numbers)
    summaries = [r.find_element(By.TAG_NAME, "summary").get_attribute("textContent") for r in rows]
    assert [s.split("]")[0] + "]" for s in summaries] == [f"[{n}]" for n in numbers]
    shown = [q.get_attribute("textContent") for q in answer.find_elements(By.CSS_SELECTOR, "blockquote.quote")]
    assert len(shown) == len(set(shown)) and set(shown) == api_quotes


def test_ask_and_see_a_cited_answer(browser: object, tmp_path: Path, mini_index_dir: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    env = {k: v for k, v in os.environ.items() if not k.startswith("CLINQA_")}
    env.update({"CLINQA_DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}", "CLINQA_INDEX_DIR": str(mini_index_dir),
                "CLINQA_CORPUS": str(MINI_CORPUS), "CLINQA_VECTOR_CACHES": "[]", "HF_HUB_OFFLINE": "1"})
    driver = browser
    driver.set_window_size(1000, 700)  # type: ignore[attr-defined]  # short: answers reach under the input bar
    with running_server(env, free_port()) as base:
        httpx.post(f"{base}/v1/patients", json={"patient_id": "p-17", "name": "Ada"}, timeout=10)
        httpx.post(f"{base}/v1/patients/p-17/records", timeout=10, json=[
            {"record_id": "meds", "date": "2024-03-01", "kind": "medication_list",
             "text": "Current medications:\n- Warfarin"},
            {"record_id": "allergy", "date": "2020-01-01", "kind": "allergy", "text": "Allergy to ibuprofen"}])
        driver.get(base + "/")  # type: ignore[attr-defined]
        wait = WebDriverWait(driver, 60)
        # the patient selector lists the patients
        wait.until(lambda d: len(Select(d.find_element(By.ID, "patient")).options) == 2)
        assert "p-17" in Select(driver.find_element(By.ID, "patient")).options[1].text  # type: ignore[attr-defined]

        box = driver.find_element(By.ID, "question")  # type: ignore[attr-defined]
        question = "My doctor put me on warfarin. Can I take it with ibuprofen?"
        box.send_keys(question)
        driver.find_element(By.ID, "send").click()  # type: ignore[attr-defined]
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".msg.assistant details.citation")))
        answer = driver.find_element(By.CSS_SELECTOR, ".msg.assistant")  # type: ignore[attr-defined]
        assert "ibuprofen" in answer.text.lower()
        api = httpx.post(f"{base}/v1/chat", json={"message": question}, timeout=60).json()  # the same, as JSON
        assert len(api["citations"]) >= 2
        _check_numbering(answer, {c["quote"] for c in api["citations"]})
        refs = answer.find_elements(By.CSS_SELECTOR, ".cite-ref")
        assert refs, "the answer shows its [n] citations as links"
        first = answer.find_element(By.CSS_SELECTOR, "details.citation")
        assert first.get_attribute("open") is None
        refs[0].click()  # a citation expands to its quoted evidence
        n = refs[0].text.strip("[]")
        opened = answer.find_element(By.CSS_SELECTOR, f'details.citation[data-n="{n}"]')
        wait.until(lambda d: opened.get_attribute("open") is not None)
        quote = opened.find_element(By.CSS_SELECTOR, "blockquote.quote").text
        assert len(quote) > 20
        assert "warfarin" in opened.find_element(By.TAG_NAME, "summary").text.lower()
        _check_no_internals(answer, api)

        # a second turn continues the conversation ("it"); the page scrolls to the new answer's start
        box.send_keys("Is it safe for elderly patients?")
        driver.find_element(By.ID, "send").click()  # type: ignore[attr-defined]
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".msg.assistant .citations")) >= 2
                   and "warfarin" in d.find_elements(By.CSS_SELECTOR, ".msg.assistant")[-1].text.lower())
        second: Any = driver.find_elements(By.CSS_SELECTOR, ".msg.assistant")[-1]  # type: ignore[attr-defined]
        start = _places(driver, second)
        assert 0 <= start["top"] < start["barTop"] - 20, start  # its first line shows above the input bar

        # a citation opened from the answer shows above the input bar, even when its row sat under it
        row = second.find_elements(By.CSS_SELECTOR, "details.citation")[-1]
        n = row.get_attribute("data-n")
        driver.execute_script(  # type: ignore[attr-defined]
            "const r = arguments[0].getBoundingClientRect(), bar = document.getElementById('ask');"
            "window.scrollBy(0, r.top - bar.getBoundingClientRect().top - 10);", row)
        hidden = _places(driver, row)
        assert hidden["top"] > hidden["barTop"], ("the row is not under the bar; nothing tested", hidden)
        ref = next(r for r in second.find_elements(By.CSS_SELECTOR, ".cite-ref") if r.text == f"[{n}]")
        driver.execute_script("arguments[0].click()", ref)  # type: ignore[attr-defined]  # no scrolling by selenium
        wait.until(lambda d: row.get_attribute("open") is not None and _visible_above_the_bar(d, row))
        # a patient's allergy alert is shown before the answer, not after it
        Select(driver.find_element(By.ID, "patient")).select_by_value("p-17")  # type: ignore[attr-defined]
        box.send_keys("Can I take ibuprofen for my back pain?")
        driver.find_element(By.ID, "send").click()  # type: ignore[attr-defined]
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".msg.assistant .alert"))
        alert = driver.find_elements(By.CSS_SELECTOR, ".msg.assistant .alert")[-1]  # type: ignore[attr-defined]
        assert "Allergy alert" in alert.text
        following = alert.find_elements(By.XPATH, "following-sibling::div[contains(@class, 'answer')]")
        assert following, "the alert comes before the answer"

        # an answer whose numbers start at [4], with a passage cited twice and under two numbers (as a model
        # reader may write it), still shows [1], [2] in order and one row per passage
        show_answer: Any = driver.execute_script  # type: ignore[attr-defined]
        show_answer("""
            const c = (n, id, quote) => ({n, medicine_id: "warfarin-sodium", attribute: "warnings",
                                          chunk_id: id, quote});
            const bleeding = "Warfarin can cause major or fatal bleeding.";
            renderFinal(add("assistant", ""), {answer: "Bleeding can be serious. [4] Check the INR. [2] Again [4] [7]",
              citations: [c(4, "w:1", bleeding), c(2, "w:2", "Monitor INR regularly."), c(4, "w:1", bleeding),
                          c(7, "w:1", bleeding)],
              queries: [], k: 2, mode: "drr", notices: []});""")
        crafted = driver.find_elements(By.CSS_SELECTOR, ".msg.assistant")[-1]  # type: ignore[attr-defined]
        assert [r.text for r in crafted.find_elements(By.CSS_SELECTOR, ".cite-ref")] == ["[1]", "[2]", "[1]", "[1]"]
        _check_numbering(crafted, {"Warfarin can cause major or fatal bleeding.", "Monitor INR regularly."})

        _screenshot(driver, tmp_path / "web-chat.png")

        # a question back offers its choices as buttons; a click asks the picked one in the same conversation
        driver.find_element(By.ID, "new").click()  # type: ignore[attr-defined]
        for said in ("They added lisinopril.", "They added metformin too."):
            before = len(driver.find_elements(By.CSS_SELECTOR, ".msg.assistant"))  # type: ignore[attr-defined]
            box.send_keys(said)
            driver.find_element(By.ID, "send").click()  # type: ignore[attr-defined]
            wait.until(lambda d, n=before: len(d.find_elements(By.CSS_SELECTOR, ".msg.assistant .answer")) > n)
        noted = driver.find_elements(By.CSS_SELECTOR, ".msg.assistant")[-1]  # type: ignore[attr-defined]
        assert not noted.find_elements(By.CSS_SELECTOR, ".options button"), "a statement's reply offers no choices"
        box.send_keys("Side effects of the new one?")
        driver.find_element(By.ID, "send").click()  # type: ignore[attr-defined]
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".msg.assistant .options button"))
        asked_back = driver.find_elements(By.CSS_SELECTOR, ".msg.assistant")[-1]  # type: ignore[attr-defined]
        buttons = asked_back.find_elements(By.CSS_SELECTOR, ".options button")
        assert [b.text for b in buttons] == ["Lisinopril", "Metformin"], asked_back.text
        assert "Which medicine do you mean" in asked_back.text
        assert "[R1]" not in asked_back.text  # a question back cites no record
        assert _visible_above_the_bar(driver, buttons[-1])  # scrolled to the question back and its choices
        _screenshot(driver, tmp_path / "web-clarify.png")
        buttons[1].click()
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".msg.assistant details.citation")) > 0
                   and d.find_elements(By.CSS_SELECTOR, ".msg.user")[-1].text == "Metformin"
                   and d.find_elements(By.CSS_SELECTOR, ".msg.assistant")[-1].find_elements(
                       By.CSS_SELECTOR, "details.citation"))
        picked = driver.find_elements(By.CSS_SELECTOR, ".msg.assistant")[-1]  # type: ignore[attr-defined]
        sources = [r.find_element(By.TAG_NAME, "summary").get_attribute("textContent")
                   for r in picked.find_elements(By.CSS_SELECTOR, "details.citation")]
        assert sources and all("Metformin" in s for s in sources), sources
        assert all(not b.is_enabled() for b in buttons) and "chosen" in buttons[1].get_attribute("class")
        start = _places(driver, picked)
        assert 0 <= start["top"] < start["barTop"] - 20, start  # the answer to the choice, from its start
        _screenshot(driver, tmp_path / "web-clarify-picked.png")


def _check_no_internals(answer: Any, api: dict[str, Any]) -> None:
    """The patient's view: the answer, citations and notices, without the queries, section keys or chunk ids."""
    from selenium.webdriver.common.by import By

    shown = answer.get_attribute("textContent")
    assert "searched:" not in shown and "k=" not in shown, shown
    assert not answer.find_elements(By.CSS_SELECTOR, ".debug")
    for c in api["citations"]:  # no chunk id, no section key as the API spells it ("adverse_reactions")
        assert c["chunk_id"] not in shown and ("_" not in c["attribute"] or c["attribute"] not in shown)


def _screenshot(driver: Any, shot: Path) -> None:
    assert driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    if out := os.environ.get("CLINQA_SCREENSHOT_DIR"):
        shutil.copy(shot, Path(out) / shot.name)


def test_debug_mode_shows_what_was_searched(browser: object, tmp_path: Path, mini_index_dir: Path) -> None:
    from selenium.webdriver.common.by import By

    env = {k: v for k, v in os.environ.items() if not k.startswith("CLINQA_")}
    env.update({"CLINQA_DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}", "CLINQA_INDEX_DIR": str(mini_index_dir),
                "CLINQA_CORPUS": str(MINI_CORPUS), "CLINQA_VECTOR_CACHES": "[]", "HF_HUB_OFFLINE": "1"})
    driver: Any = browser
    with running_server(env, free_port()) as base:
        for page, shown in ((base + "/?debug=1", True), (base + "/", False)):
            driver.get(page)
            driver.execute_script("""
                renderFinal(add("assistant", ""), {answer: "Take it with food. [1]", status: "answered",
                  citations: [{n: 1, medicine_id: "metformin", attribute: "dosage", chunk_id: "metformin:dosage:0",
                               quote: "Take with meals."}],
                  queries: [{medicine: "metformin", attribute: "dosage", keywords: "metformin food"}],
                  k: 1, mode: "drr", notices: [{kind: "reader", text: "A notice stays."}]});""")
            answer = driver.find_elements(By.CSS_SELECTOR, ".msg.assistant")[-1]
            text = answer.get_attribute("textContent")
            assert "A notice stays." in text and "Take with meals." in text
            assert "Metformin — dosage and administration" in text
            assert ("searched: metformin / dosage" in text) is shown and ("metformin:dosage:0" in text) is shown
            # the retrieval mode is a developer's switch; no key box where the server asks for none
            assert driver.find_element(By.ID, "mode-label").is_displayed() is shown
            assert not driver.find_element(By.ID, "apikey-label").is_displayed()


def test_the_key_box_appears_when_the_server_asks_for_a_key(browser: object, tmp_path: Path,
                                                            mini_index_dir: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    env = {k: v for k, v in os.environ.items() if not k.startswith("CLINQA_")}
    env.update({"CLINQA_DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}", "CLINQA_INDEX_DIR": str(mini_index_dir),
                "CLINQA_CORPUS": str(MINI_CORPUS), "CLINQA_VECTOR_CACHES": "[]", "HF_HUB_OFFLINE": "1",
                "CLINQA_AUTH__ENABLED": "true"})
    driver: Any = browser
    with running_server(env, free_port()) as base:
        driver.get(base + "/")
        WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "apikey-label").is_displayed())
        assert not driver.find_element(By.ID, "mode-label").is_displayed()
