"""Pulling a patient from a FHIR server (issue 21): `$everything` Bundles paged by `next` links, a bearer token,
tested against a loopback server that speaks FHIR JSON."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from app.cli import app as cli
from app.db import Database
from app.records.fhir import pull_fhir, read_fhir
from app.records.store import RecordStore
from tests.app.records.conftest import FIXTURES

BUNDLE = FIXTURES / "fhir" / "carol_bundle.json"
TOKEN = "s3cret-token"


class FhirServer:
    """Serves the Carol bundle's entries as a two-page searchset at /fhir/Patient/carol-3/$everything."""

    def __init__(self) -> None:
        entries = json.loads(BUNDLE.read_text(encoding="utf-8"))["entry"]
        self.pages = [entries[:10], entries[10:]]
        self.seen: list[tuple[str, str | None]] = []  # (path, Authorization)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                server.seen.append((self.path, self.headers.get("Authorization")))
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    self.answer(401, {"resourceType": "OperationOutcome", "issue": [
                        {"severity": "error", "code": "login"}]})
                elif self.path == "/fhir/Patient/carol-3/$everything":
                    self.answer(200, server.page(0, f"{server.base}/page2?_getpages=x"))
                elif self.path == "/fhir/page2?_getpages=x":
                    self.answer(200, server.page(1, "http://fhir.elsewhere.invalid/steal"))
                elif self.path == "/fhir/broken":
                    self.answer(200, "<html>not FHIR</html>")
                else:
                    self.answer(404, {"resourceType": "OperationOutcome", "issue": []})

            def answer(self, status: int, body: Any) -> None:
                data = (body if isinstance(body, str) else json.dumps(body)).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/fhir+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/fhir"

    def page(self, n: int, next_url: str) -> dict[str, Any]:
        return {"resourceType": "Bundle", "type": "searchset", "link": [{"relation": "next", "url": next_url}],
                "entry": [{**e, "search": {"mode": "match"}} for e in self.pages[n]]}


@pytest.fixture()
def fhir_server() -> Iterator[FhirServer]:
    server = FhirServer()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()
    thread.join(5)


def test_everything_is_pulled_page_by_page_with_the_token(fhir_server: FhirServer) -> None:
    url = f"{fhir_server.base}/Patient/carol-3/$everything"
    got = pull_fhir([url], TOKEN)
    from_file = read_fhir(BUNDLE)
    assert sorted((r.record_id, r.text) for r in got.records) == sorted(
        (r.record_id, r.text) for r in from_file.records)
    issues = [str(i) for i in got.issues]
    assert f"{url} page 2: entry 9: invalid MedicationRequest: authoredOn" in "\n".join(issues)  # entry 19 of 21
    assert any("next page on another server not followed: http://fhir.elsewhere.invalid/steal" in i for i in issues)
    # the token went to this server only, for the two pages
    assert fhir_server.seen == [("/fhir/Patient/carol-3/$everything", f"Bearer {TOKEN}"),
                                ("/fhir/page2?_getpages=x", f"Bearer {TOKEN}")]


def test_server_errors_are_reported_not_raised(fhir_server: FhirServer) -> None:
    url = f"{fhir_server.base}/Patient/carol-3/$everything"
    refused = pull_fhir([url])
    assert not refused.records and len(refused.issues) == 1
    assert str(refused.issues[0]).startswith(f"{url} page 1: HTTP 401")
    broken = pull_fhir([f"{fhir_server.base}/broken", "http://127.0.0.1:9/fhir/Patient"], TOKEN)
    assert len(broken.issues) == 2
    assert str(broken.issues[0]) == f"{fhir_server.base}/broken page 1: not valid JSON"
    assert str(broken.issues[1]).startswith("http://127.0.0.1:9/fhir/Patient page 1: request failed")
    one_page = pull_fhir([url], TOKEN, max_pages=1)
    assert str(one_page.issues[-1]) == f"{url}: stopped after 1 pages"


def test_cli_pull_reads_the_token_from_the_environment(fhir_server: FhirServer, tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'pull.db'}"
    url = f"{fhir_server.base}/Patient/carol-3/$everything"
    result = CliRunner().invoke(cli, ["records", "pull", url, "--database-url", db_url, "--no-encode",
                                      "--token-env", "TEST_FHIR_TOKEN"], env={"TEST_FHIR_TOKEN": TOKEN})
    assert result.exit_code == 0, result.output
    assert "for 1 patients" in result.output and "skipped:" in result.output
    assert RecordStore(Database(db_url)).get_patient("carol-3").kinds["medication"] == 4
    bad = CliRunner().invoke(cli, ["records", "pull", "file:///etc/passwd", "--database-url", db_url])
    assert bad.exit_code == 2 and "not an http(s) URL" in bad.output
