"""``appeal serve`` over real HTTP: the real server on a free 127.0.0.1 port, a client that
keeps cookies and posts forms with the page's CSRF token, files read back."""

from __future__ import annotations

import email
import io
import json
import re
from email import policy

import pytest

from ._web_util import Client, letter_form, pdf_text, running_server


@pytest.fixture
def server(tmp_path):
    with running_server(tmp_path / "night", country="MX") as running:
        yield running


def organizer(base: str, config) -> Client:
    o = Client(base)
    assert o.get(f"/organizer?token={config.token}").status == 200
    return o


def test_language_follows_the_browser_and_the_switch(server):
    base, _config, _web = server
    es = Client(base, "es-MX,es;q=0.9")
    page = es.get("/")
    assert page.status == 200 and "Escriba su carta" in page.text
    assert '<html lang="es">' in page.text
    en = Client(base, "en-GB,en;q=0.9")
    assert "Write your letter" in en.get("/").text
    switched = es.get("/lang/en?next=/")
    assert "Write your letter" in switched.text  # the cookie wins over Accept-Language
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert page.headers["x-frame-options"] == "DENY"


def test_preview_downloads_and_email_draft(server):
    from docx import Document

    from appeal.ledger import Ledger

    base, _config, web = server
    c = Client(base)
    c.get("/")
    page = c.post("/letter", letter_form("Ana García", note="Soy de Oaxaca & sigo el caso."))
    assert page.status == 200
    sheet = re.search(r'<article class="sheet".*?</article>', page.text, re.S).group(0)
    assert "Señor Presidente:" in sheet and "Oaxaca, " in sheet
    assert "Soy de Oaxaca &amp; sigo el caso." in sheet  # escaped once in HTML
    assert 'href="mailto:secretario.particular@presidencia.gob.mx?subject=' in page.text

    pdf = c.post("/letter", letter_form("Ana García", action="pdf:president"))
    assert pdf.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''ua-100.21_president_es-MX_Ana-Garc%C3%ADa.pdf" in \
        pdf.headers["content-disposition"]
    assert "Soy de Oaxaca" not in pdf_text(pdf.body)  # the note was not in this form
    docx = c.post("/letter", letter_form("Ana García", note="Soy de Oaxaca & sigo el caso.",
                                         action="docx:president"))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.body)).paragraphs)
    assert "Soy de Oaxaca & sigo el caso." in text and "Señor Presidente:" in text
    eml = c.post("/letter", letter_form("Ana García", action="eml:president"))
    msg = email.message_from_bytes(eml.body, policy=policy.default)
    assert msg["To"].addresses[0].addr_spec == "secretario.particular@presidencia.gob.mx"
    assert msg["X-Unsent"] == "1"
    assert [p.get_filename() for p in msg.iter_attachments()] == [
        "ua-100.21_president_es-MX_Ana-García.pdf"]
    with Ledger() as ledger:
        assert {(t.target_id, t.channel): t.count for t in ledger.totals("ua-100.21")} == {
            ("president", "email"): 1, ("president", "letter"): 2}  # two different letters
    assert sorted(web.night.tally()) == [("ua-100.21", "president", "email", 1),
                                         ("ua-100.21", "president", "letter", 2)]


HOSTILE = [
    ("name", "Ana\x00García", 400, "control character"),
    ("name", "Ana \u202egarcía", 400, "bidirectional"),
    ("name", "", 400, "must not be empty"),
    ("name", "王小明", 400, "cannot draw"),
    ("city", "Oaxaca\nde Juárez", 400, "single line"),
    ("country", "ZZ", 400, "unknown country code"),
    ("country", "ß", 400, "not a two-letter country code"),
    ("note", "x" * 3001, 400, "the limit is 3000"),
    ("note", "x" * 1_000_000, 413, "too large"),
    ("lang", "tlh", 400, "no sample letter"),
    ("case", "../../etc", 400, "Choose one of tonight"),
    ("targets", [], 400, "Choose at least one official"),
    ("targets", ["nobody"], 400, "has no target &#39;nobody&#39;"),
]


@pytest.mark.parametrize("field,value,status,message", HOSTILE)
def test_hostile_values_give_clear_form_errors(server, field, value, status, message):
    base, _config, web = server
    c = Client(base, "en")
    c.get("/")
    for action in ("preview", "queue", "pdf:president"):
        fields = {"name": "Ana", field: value, "action": action}
        reply = c.post("/letter", letter_form(fields.pop("name"), **fields))
        assert reply.status == status, reply.text[:300]
        assert message in reply.text
        assert "Traceback" not in reply.text
    assert web.night.queue() == []


def test_markup_and_template_code_are_shown_as_text(server):
    base, _config, _web = server
    c = Client(base, "en")
    c.get("/")
    name = "<script>alert(1)</script>"
    note = "{{ cycler.__init__.__globals__.os.popen('id').read() }} <b>bold</b>"
    page = c.post("/letter", letter_form(name, note=note))
    assert page.status == 200
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "{{ cycler.__init__.__globals__.os.popen(&#39;id&#39;).read() }}" in page.text
    pdf = c.post("/letter", letter_form(name, note=note, action="pdf:president"))
    text = pdf_text(pdf.body)
    assert "<script>alert(1)</script>" in text and "<b>bold</b>" in text
    path_like = c.post("/letter", letter_form("../../etc/passwd", action="pdf:president"))
    disposition = path_like.headers["content-disposition"]
    assert "/" not in disposition.split("filename=")[1]


def test_forms_need_the_csrf_token(server):
    base, _config, web = server
    c = Client(base, "en")
    c.get("/")
    assert c.post("/letter", letter_form("Ana", action="queue"), csrf=False).status == 403
    c.csrf = "0" * 64
    refused = c.post("/letter", letter_form("Ana", action="queue"))
    assert refused.status == 403 and "The form has expired" in refused.text
    stranger = Client(base, "en")  # a token from another browser does not fit this cookie
    stranger.get("/")
    stranger.csrf = Client(base).get("/") and c.get("/") and c.csrf
    assert stranger.post("/letter", letter_form("Ana", action="queue")).status == 403
    assert web.night.queue() == []


def test_a_burst_from_one_client_is_throttled(tmp_path):
    with running_server(tmp_path / "night", burst=3, per_minute=1) as (base, _config, web):
        c = Client(base, "en")
        c.get("/")
        replies = [c.post("/letter", letter_form(f"Ana {n}", action="queue")) for n in range(5)]
        assert [r.status for r in replies] == [200, 200, 200, 429, 429]
        assert "Too many submissions from your device" in replies[3].text
        assert int(replies[3].headers["retry-after"]) > 0
        assert len(web.night.queue()) == 3


def test_the_organizer_page_needs_the_token(server):
    base, config, web = server
    c = Client(base, "en")
    assert c.get("/organizer").status == 403
    assert c.get("/organizer?token=wrong").status == 403
    assert c.get("/organizer/manifest.csv").status == 403
    c.get("/")
    assert c.post("/organizer/clear", {}).status == 403
    o = organizer(base, config)
    assert o.get("/organizer/files/..%2Fnight.json").status == 404
    assert o.get("/organizer/files/night.json").status == 404  # only the night's print files


def test_print_the_queue_labels_counts_and_forgets_names(server, runner, app):
    from pypdf import PdfReader

    from appeal.ledger import Ledger

    base, config, web = server
    for name in ("Ana García", "Luis Pérez"):
        c = Client(base)
        c.get("/")
        assert c.post("/letter", letter_form(name, note=f"Escribe {name}.",
                                             action="queue")).status == 200
    o = organizer(base, config)
    page = o.get("/organizer")
    assert "Ana García" in page.text and "Luis Pérez" in page.text
    counts = o.get("/organizer/counts").text
    assert re.search(r"López Obrador.*?<td>2</td><td>0</td>", counts, re.S)
    done = o.post("/organizer/print", {"paper": "a4", "extra": "labels"})
    assert done.status == 200 and "4 cartas están en print-" in done.text
    files = re.findall(r'href="/organizer/files/([^"]+)"', done.text)
    assert [f.split("-")[0] for f in files] == ["print", "labels"]
    printed = o.get("/organizer/files/" + files[0])
    reader = PdfReader(io.BytesIO(printed.body))
    assert len(reader.pages) == 4
    assert {round(float(p.mediabox.width)) for p in reader.pages} == {595}  # all A4
    text = pdf_text(printed.body)
    assert "Escribe Ana García." in text and "Escribe Luis Pérez." in text
    assert "Señor Embajador:" in text
    labels = pdf_text(o.get("/organizer/files/" + files[1]).body)
    assert labels.count("Andrés Manuel López Obrador") == 2

    state = (config.out / "night.json").read_text("utf-8")
    assert "Ana García" not in state and "Luis Pérez" not in state
    assert json.loads(state)["queue"] == []
    manifest = o.get("/organizer/manifest.csv").body.decode("utf-8-sig")
    assert manifest.count(",printed,") == 4 and "Ana" not in manifest
    with Ledger() as ledger:
        assert {(t.target_id, t.channel): t.count for t in ledger.totals("ua-100.21")} == {
            ("ambassador", "letter"): 2, ("president", "letter"): 2}
    report = runner.invoke(app, ["report", "ua-100.21"])
    assert report.exit_code == 0 and "4" in report.output
    assert o.post("/organizer/print", {"paper": "a4"}).status == 400  # nothing left


def test_clear_the_night_removes_names(server):
    base, config, web = server
    c = Client(base)
    c.get("/")
    c.post("/letter", letter_form("Ana García", action="queue"))
    o = organizer(base, config)
    page = o.post("/organizer/clear", {})
    assert "1 letter and its name were removed" in page.text or \
        "1 carta con su nombre" in page.text
    assert "Ana García" not in (config.out / "night.json").read_text("utf-8")


def test_walk_in_blank_letters(server):
    from appeal.batch.rows import BLANK_NAME
    from appeal.ledger import Ledger

    base, config, _web = server
    o = organizer(base, config)
    reply = o.post("/organizer/blank", {"case": "ua-100.21", "copies": "2", "lang": "es"})
    assert reply.headers["content-type"] == "application/pdf"
    text = pdf_text(reply.body)
    assert text.count("Atentamente,") == 4 and text.count("Señor Presidente:") == 2
    assert text.count(BLANK_NAME) == 8  # where the name goes, and the signature line
    with Ledger() as ledger:
        assert ledger.totals("ua-100.21") == []  # counted only once signed
    assert o.post("/organizer/blank", {"case": "ua-100.21", "copies": "900"}).status == 400


def test_lan_join_code(tmp_path):
    with running_server(tmp_path / "night", lan=True) as (base, config, _web):
        assert re.fullmatch(r"[A-HJ-NP-Z2-9]{6}", config.code)
        c = Client(base, "en")
        first = c.get("/")
        assert first.status == 403 and "Join code" in first.text
        assert c.post("/letter", letter_form("Ana", action="queue")).status == 403
        assert c.get("/?code=WRONG1").status == 403
        assert "Write your letter" in c.get(f"/?code={config.code.lower()}").text
        assert c.post("/letter", letter_form("Ana", action="queue")).status == 200
        o = organizer(base, config)
        page = o.get("/organizer").text
        assert config.code in page and "/organizer/qr.svg" in page
        svg = o.get("/organizer/qr.svg")
        assert svg.headers["content-type"].startswith("image/svg+xml")
        assert svg.body.lstrip().startswith(b"<?xml") or b"<svg" in svg.body[:200]


def test_the_web_catalog_is_complete():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, str(root / "tools" / "catalogs.py"), "--web", "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_several_cases_one_night(tmp_path, case_copy):
    from appeal.cases import load_case, read_case

    yaml = case_copy / "case.yaml"
    yaml.write_text(yaml.read_text("utf-8").replace("id: ua-100.21", "id: ua-200.01")
                    .replace('ua_number: "100.21"', 'ua_number: "200.01"'), "utf-8")
    second = read_case(case_copy)
    assert second.id == "ua-200.01"
    with running_server(tmp_path / "night", cases=[load_case("ua-100.21"), second]) as (
            base, config, web):
        c = Client(base, "en")
        page = c.get("/")
        assert 'href="/?case=ua-200.01"' in page.text and "UA 200.01" in page.text
        other = c.get("/?case=ua-200.01")
        assert 'name="case" value="ua-200.01"' in other.text
        c.post("/letter", letter_form("Ana", action="queue"))
        c.post("/letter", letter_form("Ana", case="ua-200.01", action="queue",
                                      targets=["ambassador"]))
        o = organizer(base, config)
        o.post("/organizer/print", {"paper": "a4", "extra": "none"})
        [printed] = config.out.glob("print-*.pdf")
        text = pdf_text(printed.read_bytes())
        assert "Acción Urgente 100.21" in text and "Acción Urgente 200.01" in text
        assert sorted(web.night.tally()) == [
            ("ua-100.21", "ambassador", "letter", 1), ("ua-100.21", "president", "letter", 1),
            ("ua-200.01", "ambassador", "letter", 1)]


def test_an_unexpected_error_is_a_plain_page_and_the_queue_is_untouched(server, monkeypatch):
    import appeal.web.routes as routes

    base, _config, web = server

    def broken(*_args, **_kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(routes, "letters_for", broken)
    c = Client(base, "en")
    c.get("/")
    reply = c.post("/letter", letter_form("Ana", action="queue"))
    assert reply.status == 500
    assert "Your letter was not queued" in reply.text
    assert "secret detail" not in reply.text and "Traceback" not in reply.text
    assert web.night.queue() == []


def test_organizer_removes_one_entry(server):
    base, config, web = server
    for name in ("Ana", "Luis"):
        c = Client(base)
        c.get("/")
        c.post("/letter", letter_form(name, action="queue"))
    o = organizer(base, config)
    first = web.night.queue()[0]
    o.post("/organizer/remove", {"id": first.id})
    assert [q.draft.name for q in web.night.queue()] == ["Luis"]


def test_too_many_fields_or_a_file_upload_are_refused_plainly(server):
    base, _config, web = server
    c = Client(base, "en")
    c.get("/")
    many = letter_form("Ana", action="queue") + [("target", "president")] * 60
    reply = c.post("/letter", many)
    assert reply.status == 400 and "The form could not be read" in reply.text
    assert web.night.queue() == []


def test_other_host_names_are_refused(server):
    import urllib.error
    import urllib.request

    base, _config, _web = server
    request = urllib.request.Request(base + "/", headers={"Host": "evil.example:80"})
    try:
        urllib.request.urlopen(request, timeout=10)
        status = 200
    except urllib.error.HTTPError as e:
        status = e.code
    assert status == 421  # with a page saying which address to open
    assert Client(base.replace("127.0.0.1", "localhost")).get("/").status == 200


def test_the_preview_has_the_words_of_the_printed_letter_in_order(server):
    import html

    base, _config, _web = server
    c = Client(base)
    c.get("/")
    form = letter_form("Ana García", note="Soy de Oaxaca y sigo el caso de cerca.",
                       targets=["ambassador"])
    page = c.post("/letter", form)
    sheet = re.search(r'<article class="sheet".*?</article>', page.text, re.S).group(0)
    shown = html.unescape(re.sub(r"<[^>]+>", " ", sheet)).split()
    pdf = c.post("/letter", [(k, "pdf:ambassador" if k == "action" else v) for k, v in form])
    printed = pdf_text(pdf.body).split()
    assert shown == printed


def test_one_server_per_folder(tmp_path):
    from appeal.errors import AppealError
    from appeal.web.night import Night

    first = Night(tmp_path / "night")
    with pytest.raises(AppealError, match="Another appeal serve is already using"):
        Night(tmp_path / "night")
    first.close()
    Night(tmp_path / "night").close()  # free again once the first one stopped
