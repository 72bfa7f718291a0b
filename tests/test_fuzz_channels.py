"""Odd input to email, post, record and report, and to import: a clear message, never a
traceback, in bounded time."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appeal.errors import AppealError
from tests.conftest import files_in

HANG = 120  # seconds: catches a hang, never a slow but finishing import on a loaded machine

FAST = settings(max_examples=30, deadline=None, derandomize=True,
                suppress_health_check=list(HealthCheck))


def _no_traceback(result):
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception)
    return result


@pytest.fixture
def ledger(tmp_path, monkeypatch):
    path = tmp_path / "ledger.sqlite3"
    monkeypatch.setenv("APPEAL_LEDGER", str(path))
    return path


@pytest.mark.parametrize("sender", ["@", "a@b@c", "<a@b.c>", "Ana <a@b.c>", "a@b.c,d@e.f",
                                    "ana@example.org\r\nBcc: x@y.z", "a@b.c\x00", "ñ@ñ.es"])
def test_odd_from_addresses_are_refused(runner, app, tmp_path, ledger, sender):
    result = _no_traceback(runner.invoke(app, [
        "email", "ua-100.21", "--name", "Ana", "--from", sender, "--out", str(tmp_path / "o")]))
    assert result.exit_code == 1 and "Error:" in result.output
    assert files_in(tmp_path / "o") == []


@pytest.mark.parametrize("name", ["Ana\r\nBcc: x@y.z", "Ana\nBcc: x@y.z", "Ana\x00"])
def test_header_injection_in_the_name_is_refused(runner, app, tmp_path, ledger, name):
    result = _no_traceback(runner.invoke(app, [
        "email", "ua-100.21", "--name", name, "--from", "a@b.co", "--out", str(tmp_path / "o")]))
    assert result.exit_code == 1 and "name:" in result.output


def test_header_like_names_stay_inside_the_from_header(runner, app, tmp_path, ledger):
    from email import message_from_bytes
    from email.policy import default

    result = _no_traceback(runner.invoke(app, [
        "email", "ua-100.21", "--name", 'Ana "x" <e@vil.org>, Bcc: y@z.org', "--from",
        "ana@example.org", "--to", "president", "--out", str(tmp_path / "o")]))
    assert result.exit_code == 0
    [eml] = (tmp_path / "o").glob("*.eml")
    msg = message_from_bytes(eml.read_bytes(), policy=default)
    assert msg["Bcc"] is None and msg["From"].addresses[0].addr_spec == "ana@example.org"
    assert [a.addr_spec for a in msg["To"].addresses] == [
        "secretario.particular@presidencia.gob.mx"]


@pytest.mark.parametrize("url", ["http://", "https://exa mple.org", "https://a.b/\n#x",
                                 "https://a.b/\u202e", "javascript:alert(1)",
                                 "https://" + "a" * 3000])
def test_odd_urls_are_usage_errors(runner, app, url):
    result = _no_traceback(runner.invoke(app, ["post", "ua-100.21", "--lang", "es", "--url", url]))
    assert result.exit_code == 2 and "--url" in result.output


def test_a_good_url_is_kept(runner, app):
    result = _no_traceback(runner.invoke(app, ["post", "ua-100.21", "--lang", "es", "--url",
                                               "https://ñ.example/ü?a=1#x"]))
    assert result.exit_code == 0 and "https://ñ.example/ü?a=1#x" in result.output


@pytest.mark.parametrize("count, code", [("0", 2), ("-1", 2), ("1e3", 2), ("1000001", 2),
                                         ("99999999999999999999", 2), ("1000000", 0)])
def test_record_counts(runner, app, ledger, count, code):
    result = _no_traceback(runner.invoke(app, ["record", "ua-100.21", "--channel", "call",
                                               "--to", "president", "--count", count]))
    assert result.exit_code == code


@pytest.mark.parametrize("make", [
    lambda p: p.mkdir(),
    lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x00" * 80),
    lambda p: p.write_text("not a database"),
])
def test_a_broken_ledger_is_a_clear_error(runner, app, ledger, make):
    make(ledger)
    for args in (["record", "ua-100.21", "--channel", "call", "--to", "president"],
                 ["report", "ua-100.21"]):
        result = _no_traceback(runner.invoke(app, args))
        assert result.exit_code == 1 and "ledger" in result.output


def test_a_truncated_ledger_is_a_clear_error(runner, app, ledger):
    runner.invoke(app, ["record", "ua-100.21", "--channel", "call", "--to", "president"])
    data = ledger.read_bytes()
    ledger.write_bytes(data[: len(data) // 2])
    result = _no_traceback(runner.invoke(app, ["report", "ua-100.21"]))
    assert result.exit_code == 1 and "ledger" in result.output


# --- import -----------------------------------------------------------------------------------

HTML_BITS = ["<script>alert(1)</script>", "<!-- x -->", "<![CDATA[ y ]]>", "&amp;", "&#0;",
             "&#x110000;", "&#xD800;", "&nbsp;", "<p>", "</p>", "<br>", "<td>", "&bogus;",
             "<style>x</style>", "\x00", "<!DOCTYPE html>", "{{ 7*7 }}", "{% raw %}",
             "URGENT ACTION", "UA 100/21", "Dear President,", "Yours sincerely,",
             "PLEASE TAKE ACTION AS SOON AS POSSIBLE UNTIL: 31 December 2021", "x" * 5000]


def _import(tmp_path, data: bytes, suffix: str):
    from appeal.importer import import_document

    source = tmp_path / ("ua" + suffix)
    source.write_bytes(data)
    start = time.monotonic()
    try:
        result = import_document(source, out_dir=tmp_path / "cases", force=True)
    except AppealError as exc:
        assert exc.message
        return None
    finally:
        assert time.monotonic() - start < HANG  # a hang, not speed (benchmarks measure speed)
    return result


@FAST
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".docx", ".pdf", ".html", ".txt"]))
def test_import_random_bytes(tmp_path_factory, data, suffix):
    _import(tmp_path_factory.mktemp("i"), data, suffix)


@FAST
@given(parts=st.lists(st.sampled_from(HTML_BITS), max_size=40))
def test_import_odd_html(tmp_path_factory, parts):
    result = _import(tmp_path_factory.mktemp("i"), "".join(parts).encode(), ".html")
    if result is not None:  # a valid case folder
        assert (result.folder / "case.yaml").is_file()


def test_import_empty_stdin(runner, app, tmp_path):
    result = _no_traceback(runner.invoke(app, ["import", "-", "--out", str(tmp_path)], input=b""))
    assert result.exit_code == 1 and "Error:" in result.output


def test_import_a_broken_pdf_prints_only_appeals_message(runner, app, tmp_path):
    (tmp_path / "ua.pdf").write_bytes(b"%PDF-1.4\nbroken")
    result = _no_traceback(runner.invoke(app, ["import", str(tmp_path / "ua.pdf"), "--out",
                                               str(tmp_path / "cases")]))
    assert result.exit_code == 1
    assert result.output.startswith("Error: ua.pdf: cannot import this file")
