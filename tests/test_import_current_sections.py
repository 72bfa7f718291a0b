"""The current layout as the Spanish- and French-language sections publish it ("ACTÚA: ESCRIBE
UNA CARTA", "Modelo de carta", "Adressez vos appels à :", "Envoyez une copie à :", "Modèle de
lettre", closings of several sentences) and English variants (the target block after the model
letter, "And with a copy to:", an ambassador's copies block with its own salutation, officials
separated only by blank lines). Expectations were written from the documents before the
importer was changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from appeal.compose import Supporter, compose_letters
from appeal.importer import import_document

FIXTURES = Path(__file__).parent / "fixtures" / "import"
LEAKS = ("Yours sincerely", "Sincerely", "Atentamente", "atentamente", "agréer", "Veuillez", "[",
         "Your name", "Su nombre", "Votre nom", "Modelo de carta", "Modèle de lettre", "Escriba una carta",
         "Écrivez une lettre", "WRITE AN APPEAL", "Dear ", "Señor Presidente", "Monsieur le Président,",
         "Madame la Ministre,", "Salutation", "copy", "copia", "copie", "@", "Complément", "Información")


def load(name, tmp_path):
    return import_document(FIXTURES / name, out_dir=tmp_path)


def body_of(r):
    letters = compose_letters(r.loaded, Supporter(name="Ana"))
    assert len(letters) == len(r.loaded.case.targets)
    body = "\n".join(letters[0].paragraphs)
    for leak in LEAKS:
        assert leak not in body, leak
    return letters, list(letters[0].paragraphs)


def test_amnistia_es_target_before_model_letter_and_copy(tmp_path):
    r = load("amnistia-es-2024-venezuela.txt", tmp_path)
    c = r.loaded.case
    assert c.ua_number == "41.24" and c.country == "VE"
    assert c.title["es"] == "Defensora de derechos humanos detenida arbitrariamente"
    assert c.deadline == dt.date(2024, 6, 30) and c.issued == dt.date(2024, 4, 19)
    assert c.preferred_language == "es" and c.requested_language is None and c.own_language_allowed
    assert c.subject.name == "Julia Hernández" and c.subject.pronoun == "ella"
    (t,) = c.targets
    assert t.name == "Tarek William Saab" and t.role.value == "prosecutor" and t.gender.value == "male"
    assert t.title == {"es": "Fiscal General de la República"}
    assert t.address.city == "Caracas" and t.address.country == "VE"
    assert t.emails == ["despacho@mp.gob.ve"] and t.phones == ["+58 212 509 7464"]
    assert t.twitter == ["@TarekWiliamSaab"] and t.salutation == {"es": "Señor Fiscal General"}
    (copy,) = c.copies_to
    assert copy.name.startswith("Embajada de la República Bolivariana de Venezuela")
    assert copy.emails == ["embajada@embavenez.es"]
    letters, body = body_of(r)
    assert letters[0].salutation == "Señor Fiscal General:"
    assert body == [
        "Le escribo para expresarle mi honda preocupación por la detención arbitraria de la defensora "
        "de derechos humanos Julia Hernández, detenida el 12 de abril de 2024 en Caracas.",
        "Le insto a que ponga en libertad a Julia Hernández de inmediato y sin condiciones, y a que "
        "garantice que, mientras tanto, tenga acceso a su abogado y a su familia."]


def test_amnistia_es_two_targets_actua_heading_on_its_own_line(tmp_path):
    r = load("amnistia-es-2024-guatemala-dos.txt", tmp_path)
    c = r.loaded.case
    assert c.ua_number == "52.24" and c.country == "GT" and c.deadline == dt.date(2024, 7, 15)
    assert c.preferred_language == "es" and c.own_language_allowed
    assert c.subject.name == "José Rubén Zamora" and c.subject.pronoun == "él"
    pres, fiscal = c.targets  # "ESCRIBE UNA CARTA" is a heading, not a target
    assert pres.name == "Bernardo Arévalo de León" and pres.role.value == "head_of_state"
    assert pres.salutation == {"es": "Señor Presidente"} and pres.gender.value == "male"
    assert pres.address.city == "Ciudad de Guatemala" and pres.address.country == "GT"
    assert pres.emails == ["secretariaprivada@presidencia.gob.gt"] and pres.twitter == ["@BArevalodeLeon"]
    assert fiscal.name == "María Consuelo Porras Argueta" and fiscal.role.value == "prosecutor"
    assert fiscal.phones == ["+502 2411 9191"] and fiscal.faxes == ["+502 2411 8666"]
    assert c.copies_to == []
    letters, body = body_of(r)
    assert letters[0].salutation == "Señor Presidente:"
    assert len(body) == 2 and body[1].endswith("puesto en libertad de inmediato.")


def test_amnesty_fr_adressez_envoyez_copie_and_two_sentence_closing(tmp_path):
    r = load("amnesty-fr-2024-emirats.txt", tmp_path)
    c = r.loaded.case
    assert c.ua_number == "31.24" and c.country == "AE"
    assert c.deadline == dt.date(2024, 5, 15) and c.issued == dt.date(2024, 4, 3)
    # arabe first; the model letter is in French
    assert c.requested_language == "ar" and c.preferred_language == "fr" and c.own_language_allowed
    assert c.subject.name == "Ahmed Mansoor" and c.subject.pronoun == "il"
    (t,) = c.targets
    assert t.name == "Mohammed bin Zayed Al Nahyan" and t.role.value == "head_of_state"
    assert t.title == {"fr": "Président des Émirats arabes unis"}
    assert t.salutation == {"fr": "Monsieur le Président"} and t.gender.value == "male"
    assert t.address.city == "Abou Dhabi" and t.address.country == "AE"
    assert t.emails == ["info@mopa.ae"] and t.twitter == ["@MohamedBinZayed"]
    (copy,) = c.copies_to
    assert copy.name == "Fahad Saeed Al Raqbani" and copy.emails == ["paris@mofa.gov.ae"]
    letters, body = body_of(r)
    assert letters[0].salutation == "Monsieur le Président,"
    assert body == [
        "Je vous écris pour vous faire part de ma profonde préoccupation au sujet d'Ahmed Mansoor, "
        "défenseur des droits humains détenu à l'isolement depuis mars 2017.",
        "Je vous demande de libérer Ahmed Mansoor immédiatement et sans condition, et de veiller à ce "
        "qu'il puisse dans l'intervalle recevoir des visites de sa famille."]


def test_amnesty_fr_two_ministers_blank_lines_closing_after_a_clause(tmp_path):
    r = load("amnesty-fr-2024-tunisie-deux.txt", tmp_path)
    c = r.loaded.case
    assert c.ua_number == "58.24" and c.country == "TN" and c.deadline == dt.date(2024, 6, 30)
    assert c.requested_language == "ar" and c.preferred_language == "fr"
    assert c.subject.name == "Sonia Dahmani" and c.subject.pronoun == "elle"
    jaffel, feki = c.targets
    assert jaffel.name == "Leila Jaffel" and jaffel.gender.value == "female" and jaffel.role.value == "minister"
    assert jaffel.salutation == {"fr": "Madame la Ministre"}  # the opening fits her, not him
    assert jaffel.emails == ["mju@ministeres.tn"] and jaffel.faxes == ["+216 71 568 106"]
    assert jaffel.address.city == "Tunis" and jaffel.address.country == "TN"
    assert feki.name == "Kamel Feki" and feki.gender.value == "male" and feki.phones == ["+216 71 333 000"]
    assert feki.salutation in (None, {})
    letters, body = body_of(r)
    assert letters[0].salutation == "Madame la Ministre,"
    assert len(body) == 2 and body[1].endswith("soient abandonnées.")


def test_english_target_block_after_the_model_letter_with_copy(tmp_path):
    r = load("current-en-2024-egypt-letter-first.txt", tmp_path)
    c = r.loaded.case
    assert c.ua_number == "28.24" and c.country == "EG"
    assert c.deadline == dt.date(2024, 4, 12) and c.issued == dt.date(2024, 3, 15)
    assert c.requested_language == "ar" and c.preferred_language == "en" and c.own_language_allowed
    assert c.subject.name == "Patrick Zaki" and c.subject.pronoun == "he/him"
    (t,) = c.targets
    assert t.name == "Mohamed Shawky" and t.role.value == "prosecutor"
    assert t.title == {"en": "Public Prosecutor"}
    assert t.address.city == "Cairo" and t.address.country == "EG"
    assert t.emails == ["ppo@ppo.gov.eg"] and t.faxes == ["+202 2577 4716"] and t.twitter == ["@EgyptJustice"]
    assert t.salutation == {"en": "Dear Counsellor"}
    (amb,) = c.copies_to
    assert amb.name == "Ahmed Farouk" and "Embassy of Egypt" in amb.details
    assert amb.emails == ["embassy@egyptembassy.net"] and amb.faxes == ["+1 202 244 5131"]
    assert not any("Salutation" in d or "Excellency" in d for d in amb.details)
    letters, body = body_of(r)
    assert letters[0].salutation == "Dear Counsellor,"
    assert body == [
        "I am writing to express my concern about the detention of researcher Patrick Zaki, who was "
        "arrested on 3 March 2024 at Cairo airport.",
        "I urge you to release Patrick Zaki immediately and unconditionally, and to drop all charges "
        "against him."]


def test_english_two_officials_separated_by_blank_lines(tmp_path):
    r = load("current-en-2024-iran-two-officials.txt", tmp_path)
    c = r.loaded.case
    assert c.ua_number == "71.24" and c.country == "IR" and c.deadline == dt.date(2024, 9, 24)
    assert c.requested_language == "fa" and c.preferred_language == "en"
    assert c.subject.name == "Pakhshan Azizi" and c.subject.pronoun == "she/her"
    head, prosecutor = c.targets
    assert head.name == "Gholamhossein Mohseni Ejei" and head.title == {"en": "Head of the Judiciary"}
    assert head.salutation == {"en": "Dear Mr Mohseni Ejei"} and head.gender.value == "male"
    assert head.address.city == "Brussels" and head.address.country == "BE"
    assert head.emails == ["info@iranembassy.be"]
    assert prosecutor.name == "Mohammad Movahedi Azad" and prosecutor.role.value == "prosecutor"
    assert prosecutor.emails == ["info@dadsetani.ir"] and prosecutor.phones == ["+98 21 5576 6120"]
    letters, body = body_of(r)
    assert letters[0].salutation == "Dear Mr Mohseni Ejei,"
    assert len(body) == 2 and body[1].endswith("moratorium on executions.")


# --- the same UAs as Word files: the UA line only in the page footer or header -----------------

def _docx_from(name: str, path: Path, *, move: str, where: str, table_blocks: int = 0) -> Path:
    """The fixture as a Word file: the line starting with ``move`` goes to the page ``where``
    (header/footer); the first ``table_blocks`` target blocks after the take-action line sit
    side by side in a table, lines separated by soft breaks."""
    import docx

    from tests.test_import_docx import add_lines

    lines = (FIXTURES / name).read_text(encoding="utf-8").split("\n")
    moved = next(l for l in lines if l.startswith(move))
    lines.remove(moved)
    d = docx.Document()
    part = d.sections[0].footer if where == "footer" else d.sections[0].header
    part.paragraphs[0].text = moved
    part.add_paragraph("Page 1 of 2")
    blocks, i = [], 0
    if table_blocks:
        i = next(n for n, l in enumerate(lines) if l.startswith(("Adressez", "AGISSEZ", "TAKE ACTION"))) + 1
        while len(blocks) < table_blocks:
            while not lines[i]:
                i += 1
            j = lines.index("", i)
            blocks.append(lines[i:j])
            del lines[i:j]
        table = d.add_table(rows=1, cols=len(blocks))
    for n, line in enumerate(lines):
        if table_blocks and n == i:
            body = d.element.body
            body.remove(table._tbl)
            d.paragraphs[-1]._p.addnext(table._tbl)
            for cell, block in zip(table.rows[0].cells, blocks, strict=False):
                add_lines(cell.paragraphs[0], block)
        d.add_paragraph(line)
    d.save(path)
    return path


def test_docx_es_ua_line_in_footer_is_marked_in_the_review(tmp_path):
    path = _docx_from("amnistia-es-2024-venezuela.txt", tmp_path / "ua.docx", move="AU:", where="footer")
    r = import_document(path, out_dir=tmp_path / "out")
    c = r.loaded.case
    assert c.ua_number == "41.24" and c.country == "VE" and c.issued == dt.date(2024, 4, 19)
    assert c.deadline == dt.date(2024, 6, 30) and c.subject.pronoun == "ella"
    (t,) = c.targets
    assert t.name == "Tarek William Saab" and t.emails == ["despacho@mp.gob.ve"]
    assert [x.emails for x in c.copies_to] == [["embajada@embavenez.es"]]
    _letters, body = body_of(r)
    assert len(body) == 2
    text = r.text if hasattr(r, "text") else ""
    from appeal.importer.review import render

    shown = text or render(r.review, None)
    assert 'from: "AU: 41/24" (page footer)' in shown
    assert "(page footer)" not in shown.split("deadline")[1].split("\n")[1]  # the body's deadline line


def test_docx_fr_targets_in_a_table_ua_line_in_header(tmp_path):
    path = _docx_from("amnesty-fr-2024-tunisie-deux.txt", tmp_path / "ua.docx", move="AU :",
                      where="header", table_blocks=2)
    r = import_document(path, out_dir=tmp_path / "out")
    c = r.loaded.case
    assert c.ua_number == "58.24" and c.country == "TN" and c.issued == dt.date(2024, 5, 20)
    jaffel, feki = c.targets
    assert jaffel.name == "Leila Jaffel" and jaffel.salutation == {"fr": "Madame la Ministre"}
    assert jaffel.faxes == ["+216 71 568 106"] and feki.phones == ["+216 71 333 000"]
    letters, body = body_of(r)
    assert len(body) == 2 and letters[0].salutation == "Madame la Ministre,"
    from appeal.importer.review import render

    assert 'from: "AU : 58/24" (page header)' in render(r.review, None)


def test_pdf_running_line_and_web_footer_are_marked_as_margins():
    from appeal.importer.read import html_page, pdf_pages_to_lines

    margins: dict[str, str] = {}
    body = ["ACTION URGENTE", "Un texte.", "", "Suite du texte.", "Encore.", "Fin."]
    pdf_pages_to_lines(["\n".join(body) + "\nAU : 58/24 Index : MDE 30/8010/2024",
                        "Autre page.\nDeux.\nTrois.\nQuatre.\nCinq.\nAU : 58/24 Index : MDE 30/8010/2024"],
                       margins)
    assert margins == {"AU : 58/24 Index : MDE 30/8010/2024": "page footer"}
    page = html_page("<html><body><main><h1>Urgent Action: X</h1><p>Text of the action.</p></main>"
                     "<footer>UA: 64/24 Index: ASA 17/7890/2024</footer></body></html>")
    assert page.margins == {"UA: 64/24 Index: ASA 17/7890/2024": "page footer"}


def test_amnistia_es_officials_after_the_letter_under_envia_tu_carta_a(tmp_path):
    r = load("amnistia-es-2024-honduras-carta-primero.txt", tmp_path)
    c = r.loaded.case
    assert c.ua_number == "60.24" and c.country == "HN" and c.deadline == dt.date(2024, 7, 20)
    (t,) = c.targets
    assert t.name == "Johel Antonio Zelaya" and t.role.value == "prosecutor" and t.gender.value == "male"
    assert t.address.city == "Tegucigalpa" and t.emails == ["fiscalia@mp.hn"]
    assert [x.name for x in c.copies_to] == ["Embajada de Honduras en España"]
    _letters, body = body_of(r)
    # the courtesy sentence and "Reciba un cordial saludo." are the closing, not the body
    assert body == ["Le escribo para pedirle que proteja a Miriam Miranda."]
