"""The shapes real UA copies have (issue 8), each in our own fixtures (tests/fixtures/import/shapes,
written for these tests; never copied from a real page): draft cases instead of refusals, web
copies with a blank line after every line, flattened one-line target blocks, lowercase and
section-site headings, officials after the letter, "Title Name" lines, unlabelled dates,
country next to the UA number, US addresses, phones in international form, Facebook and
Instagram, wrapped PDF headings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from appeal.cases import read_case
from appeal.compose import Options, Supporter, compose_letters
from appeal.errors import AppealError
from appeal.importer import import_document

SHAPES = Path(__file__).parent / "fixtures" / "import" / "shapes"
SEED = Path(__file__).parent / "fixtures" / "import" / "ua-100.21-mexico-mass-deportations.txt"
BUNDLED = Path(__file__).parent.parent / "letters" / "ua-100.21"


def load(name: str, tmp_path: Path):
    return import_document(SHAPES / name, out_dir=tmp_path)


# --- drafts, not refusals ---------------------------------------------------------------------

def test_double_spaced_web_copy_lowercase_headings_en(tmp_path):
    r = load("en-double-spaced-aiusa.txt", tmp_path)
    c = r.loaded.case
    # "take action:", "Contact information:", "sample letter:" in a copy with a blank line
    # after every line: two whole targets, not one per line
    assert c.ua_number == "12.25" and c.country == "PE"
    assert c.title["en"] == "Lawyer detained for defending protesters"  # "(Peru: UA 12.25)" cut off
    assert c.issued == dt.date(2025, 3, 3)  # "March 3, 2025" under the title
    ag, amb = c.targets
    assert ag.name == "Tomás Gálvez Villegas" and ag.title == {"en": "Attorney General"}
    assert ag.address.city == "Lima" and ag.address.postal_code == "15001"
    assert ag.address.printed == ["Av. Abancay 491, Cercado de Lima", "Lima 15001, Peru"]
    assert ag.twitter == ["@FiscaliaPeru"] and ag.emails == ["mesadepartes@mpfn.gob.pe"]
    # the organisation line before the name; "Contact Form:" does not split the block
    assert amb.name == "Alfredo Ferrero Diez Canseco" and amb.role.value == "ambassador"
    assert amb.office == {"en": "Embassy of Peru in the United States"}
    # "Street NW, Washington DC 20036" without a country line is a US address
    assert (amb.address.city, amb.address.region, amb.address.postal_code, amb.address.country) == \
        ("Washington", "DC", "20036", "US")
    # "(202) 833-9860" at the embassy in Washington is +1 202-833-9860; the printed form is kept
    assert amb.phones == ["+1 202-833-9860"] and amb.emails == ["webmaster@embassyofperu.us"]
    assert '"(202) 833-9860"' in (r.folder / "case.yaml").read_text(encoding="utf-8")
    # no deadline printed: a draft that says so, and the "Share" button is not the title
    assert c.status == "draft" and "deadline" in r.review.gaps
    assert c.title["en"] != "Share"


def test_flattened_target_lines_back_to_back_en(tmp_path):
    r = load("en-flattened-kenya.txt", tmp_path)
    c = r.loaded.case
    assert c.ua_number == "31.25" and c.country == "KE"  # "UA: Kenya 31.25"
    assert c.deadline == dt.date(2025, 5, 20)  # "Contact these two officials by 20 May 2025:"
    assert c.issued == dt.date(2025, 4, 8)
    ig, amb = c.targets
    # "Inspector General of Police Samuel Mutua National Police Service, …" on one line
    assert ig.name == "Samuel Mutua" and ig.title == {"en": "Inspector General of Police"}
    assert ig.address.country == "KE" and ig.address.city == "Nairobi"
    # "Phone: 020 222 1234 I Fax: 020 222 5678": the capital I is the copied bar
    assert ig.phones == ["+254 20 2221234"] and ig.faxes == ["+254 20 2225678"]
    assert ig.salutation == {"en": "Dear Inspector General"} and ig.twitter == ["@NPSOfficial_KE"]
    # "Phone: … • Fax: …", Facebook and Instagram kept
    assert amb.name == "Joseph Kamau" and amb.faxes == ["+1 202-462-3829"]
    assert amb.facebook == ["KenyaEmbassyDC"] and amb.instagram == ["@kenyaembassydc"]
    assert amb.emails == ["information@kenyaembassydc.org"]
    assert c.status == "draft" and c.letters == {}  # action points only, no sample letter
    assert not any("LET US KNOW" in (t.name or "") for t in c.targets)


def test_update_prefix_royal_styles_and_postal_line_before_next_target_en(tmp_path):
    r = load("en-update-qatar.txt", tmp_path)
    c = r.loaded.case
    assert c.ua_type == "Urgent Action Update" and c.title["en"] == "Migrant Workers Still Unpaid"
    assert c.ua_number == "14.25" and c.country == "QA"  # "(Qatar 14.25)"
    assert c.issued == dt.date(2025, 3, 3)  # "03/03/2025"
    assert c.deadline == dt.date(2025, 4, 30)  # "PLEASE SEND APPEALS BEFORE 30 April 2025" (no "TO:")
    emir, minister = c.targets  # no blank line between them: the postal line ends the first
    assert emir.name == "Tamim bin Hamad Al Thani" and emir.title == {"en": "Emir"}
    assert emir.salutation == {"en": "Your Highness"} and emir.faxes == ["+974 4436 1212"]
    assert minister.name == "Ali bin Samikh Al Marri"
    assert minister.title == {"en": "Minister of Labour"}
    assert [x.name for x in c.copies_to] == ["Embassy of the State of Qatar"]


def test_spanish_section_site_title_name_on_one_line_es(tmp_path):
    r = load("es-seccion-peru.txt", tmp_path)
    c = r.loaded.case
    assert c.title["es"] == "Perú: defensora ambiental amenazada de muerte"  # not the site banner
    assert c.country == "PE" and c.issued == dt.date(2025, 3, 3)  # "3 de marzo de 2025"
    presidenta, ministro = c.targets
    # "Presidenta de la República, Ana María Quispe Rojas": title, then the name
    assert presidenta.name == "Ana María Quispe Rojas"
    assert presidenta.title == {"es": "Presidenta de la República"}
    assert presidenta.gender.value == "female" and presidenta.facebook == ["PresidenciaPeru"]
    # "Ministro del Interior Julio César Díaz Zavala": the name at the end of the title
    assert ministro.name == "Julio César Díaz Zavala"
    assert ministro.title == {"es": "Ministro del Interior"}
    assert ministro.address.postal_code == "15036" and ministro.twitter == ["@MininterPeru"]
    assert c.status == "draft" and c.ua_number is None
    letters = compose_letters(r.loaded, Supporter(name="Ana"))
    assert letters[0].salutation.startswith("Señora Presidenta")


def test_french_officials_after_the_letter_fr(tmp_path):
    r = load("fr-belgique-destinataires.txt", tmp_path)
    c = r.loaded.case
    # "Écrire" is the site's button; "Pour AGIR :", "Lettre à envoyer :", "Destinataires :"
    assert c.title["fr"] == "Pérou. Une défenseure de l'environnement menacée de mort"
    assert c.country == "PE" and c.issued == dt.date(2025, 3, 3)
    [t] = c.targets
    assert t.name == "Ana María Quispe Rojas" and t.role.value == "head_of_state"
    assert t.emails == ["presidencia@presidencia.gob.pe"] and t.instagram == ["@presidenciaperu"]
    assert t.salutation == {"fr": "Madame la Présidente"}
    # "• LANGUE(S) À PRIVILÉGIER : espagnol, anglais"
    assert c.requested_language == "es" and c.preferred_language == "fr"
    assert len(c.letters) == 1 and "Veuillez agréer" not in (r.folder / "letter.fr.j2").read_text()


def test_draft_review_lists_what_is_missing_whole(tmp_path):
    r = load("en-double-spaced-aiusa.txt", tmp_path)
    text = r.review_text()
    assert "Status: draft" in text and "Missing for a complete case:" in text
    assert "…" not in text
    # the printed address and its parts, whole, so the postal code and city can be checked
    assert "Av. Abancay 491, Cercado de Lima / Lima 15001, Peru" in text
    assert "postal code: 15001; city: Lima; country: PE" in text
    raw = yaml.safe_load((r.folder / "case.yaml").read_text(encoding="utf-8"))
    assert raw["status"] == "draft"


@pytest.mark.parametrize("text", [
    "Pancakes\n\nMix flour, eggs and milk. Fry on both sides.\n",
    "INVOICE 2025-117\n\nACME Supplies Ltd\n12 High Street, Leeds LS1 4AB\nPhone: 0113 496 0000\n\n"
    "3 boxes of paper 45.00\nTotal due 45.00\n",
])
def test_no_ua_shape_is_refused_with_the_reason(tmp_path, text):
    with pytest.raises(AppealError, match="does not look like an Amnesty Urgent Action: it has no UA"):
        import_document(text, out_dir=tmp_path)
    assert not any(tmp_path.iterdir())


def test_truncated_copy_is_kept_as_a_draft_saying_what_to_add(tmp_path):
    text = (SHAPES / "en-double-spaced-aiusa.txt").read_text(encoding="utf-8")
    cut = text[: text.index("Fiscalía de la Nación")]
    r = import_document(cut, out_dir=tmp_path, case_id="cut")
    c = r.loaded.case
    assert c.status == "draft" and c.letters == {}
    assert [t.name for t in c.targets] == ["Tomás Gálvez Villegas"]
    gaps = r.review.gaps
    assert "target 1 (Tomás Gálvez Villegas): postal address" in gaps
    assert any(g.startswith("sample letter") for g in gaps)


def test_seed_imports_complete_and_composes_the_bundled_letters(tmp_path):
    r = import_document(SEED, out_dir=tmp_path)
    assert r.loaded.case.status == "complete" and r.review.gaps == []
    bundled = read_case(BUNDLED)
    supporter = Supporter(name="Ana Example")
    options = Options(lang="en", date=dt.date(2021, 11, 1))
    mine = compose_letters(r.loaded, supporter, options=options)
    theirs = compose_letters(bundled, supporter, options=options)
    # the bundled case is the same UA edited by hand (wording, per-target salutations); the
    # import gives the same recipients, addresses, opening and closing of the letter
    assert [x.recipient[0] for x in mine] == [x.recipient[0] for x in theirs]
    assert [x.recipient[-1] for x in mine] == [x.recipient[-1] for x in theirs]  # country line
    assert mine[0].salutation == theirs[0].salutation == "Dear President López Obrador,"
    assert [x.closing for x in mine] == [x.closing for x in theirs]
    assert [len(x.paragraphs) for x in mine] == [len(x.paragraphs) for x in theirs]


def test_wrapped_pdf_heading_and_deadline_are_rejoined(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    lines = [
        "URGENT ACTION", "LAWYER DETAINED FOR DEFENDING PROTESTERS", "",
        "Human rights lawyer Rosa Ccori Mamani was arrested in Cusco on 20 February.", "",
        "TAKE ACTION: WRITE AN APPEAL IN YOUR OWN WORDS OR USING", "THIS MODEL LETTER", "",
        "Attorney General Tomás Gálvez Villegas", "Av. Abancay 491, Cercado de Lima",
        "Lima 15001, Peru", "Email: mesadepartes@mpfn.gob.pe", "",
        "Dear Attorney General,",
        "I am writing to express my concern about the detention of Rosa Ccori Mamani.", "",
        "I urge you to release her immediately.", "", "Yours sincerely,", "",
        "PLEASE TAKE ACTION AS SOON AS POSSIBLE UNTIL: 16 March", "2026",
        "PREFERRED LANGUAGE TO ADDRESS TARGET: Spanish, English",
    ]
    path = tmp_path / "ua.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    y = 800
    for line in lines:
        if line:
            pdf.drawString(60, y, line)
        y -= 16
    pdf.save()
    r = import_document(path, out_dir=tmp_path / "out")
    c = r.loaded.case
    assert [t.name for t in c.targets] == ["Tomás Gálvez Villegas"]  # never "THIS MODEL LETTER"
    assert c.deadline == dt.date(2026, 3, 16)
    assert c.letters and c.targets[0].salutation == {"en": "Dear Attorney General"}


def test_country_is_never_the_embassys_host_or_the_most_named(tmp_path):
    text = """URGENT ACTION
ACTIVIST HELD IN NEW DELHI

Activist Meera Rao, who lived in the USA and the UK and studied in the USA, was detained in New Delhi.

TAKE ACTION: WRITE AN APPEAL IN YOUR OWN WORDS OR USE THIS MODEL LETTER

Ambassador Vinay Kumar
Embassy of India
2107 Massachusetts Avenue NW, Washington DC 20008
Email: info@indiaembassyusa.example

Dear Ambassador,

I urge your government to release Meera Rao.

Yours sincerely,
"""
    c = import_document(text, out_dir=tmp_path).loaded.case
    assert c.country == "IN"


def _as_html(text: str, path: Path) -> Path:
    import html

    path.write_text("<html><body><main>" + "".join(
        f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())
        + "</main></body></html>", encoding="utf-8")
    return path


def _as_docx(text: str, path: Path) -> Path:
    import docx

    d = docx.Document()
    for line in text.split("\n"):
        d.add_paragraph(line)
    d.save(path)
    return path


def _as_pdf(text: str, path: Path) -> Path:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    style = getSampleStyleSheet()["Normal"]
    story = [Paragraph(escape(line), style) if line.strip() else Spacer(1, 8)
             for line in text.split("\n")]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)  # long lines wrap, as in a real PDF
    return path


@pytest.mark.parametrize("name", sorted(p.name for p in SHAPES.glob("*.txt")))
@pytest.mark.parametrize("make", [_as_html, _as_docx, _as_pdf], ids=["html", "docx", "pdf"])
def test_every_shape_reads_the_same_from_html_docx_and_pdf(tmp_path, name, make):
    text = (SHAPES / name).read_text(encoding="utf-8")
    ext = {"_as_html": "html", "_as_docx": "docx", "_as_pdf": "pdf"}[make.__name__]
    plain = import_document(SHAPES / name, out_dir=tmp_path / "txt").loaded.case
    other = import_document(make(text, tmp_path / f"ua.{ext}"), out_dir=tmp_path / ext).loaded.case

    def fields(c):
        return (c.ua_number, c.title, c.country, c.issued, c.deadline, [
            (t.name, t.title, t.emails, t.phones, t.faxes, t.twitter, t.facebook, t.instagram,
             t.address and (t.address.city, t.address.postal_code, t.address.country))
            for t in c.targets])

    assert fields(other) == fields(plain)


def test_title_in_capitals_keeps_country_names_capitalised():
    from appeal.importer.parse import _title_case

    assert _title_case("LAWYER AT RISK (PERU 12.25)", "") == "Lawyer at risk (Peru 12.25)"
    assert _title_case("MUJERES DETENIDAS EN ARABIA SAUDÍ", "") == "Mujeres detenidas en Arabia Saudí"
    assert _title_case("DÉFENSEUR EN DANGER AU MEXIQUE", "") == "Défenseur en danger au Mexique"


def test_shipped_native_country_names_match_babel():
    import json

    from appeal.importer import lexicon

    shipped = json.loads((Path(lexicon.__file__).with_name(lexicon.NATIVE_NAMES_FILE)).read_text("utf-8"))
    assert shipped == lexicon.build_native_country_names(), "run python tools/native_countries.py"


def test_flattened_double_spaced_blocks_es(tmp_path):
    c = load("es-doble-espacio-aplanado.txt", tmp_path).loaded.case
    assert c.ua_number == "21.25" and c.country == "GT"  # "(Guatemala: AU 21.25)"
    assert c.issued == dt.date(2025, 3, 11)  # "Martes, 11 de marzo, 2025"
    fiscal, emb = c.targets
    # title, name and office on one line, then the address and "Teléfono: … I Correo-e: …"
    assert fiscal.name == "Ana Lucía Pérez Morales"
    assert fiscal.title == {"es": "Fiscal General de la República"}
    assert fiscal.office == {"es": "Ministerio Público"}
    assert fiscal.phones == ["+502 2411 9191"] and fiscal.emails == ["fiscalia@mp.gob.gt"]
    assert fiscal.address.postal_code == "01001" and fiscal.address.country == "GT"
    # the embassy in Madrid: its number is Spanish, its address is not the UA's country
    assert emb.name == "Carlos Rivas Paz" and emb.address.country == "ES"
    assert emb.phones == ["+34 913 44 14 17"]


def test_flattened_double_spaced_blocks_fr(tmp_path):
    c = load("fr-aplati-double-interligne.txt", tmp_path).loaded.case
    assert c.ua_number == "33.25" and c.country == "TN"  # "(Tunisie : AU 33.25)"
    assert c.title["fr"] == "Tunisie. Un avocat condamné pour ses déclarations"
    assert c.issued == dt.date(2025, 3, 12)
    president, ministre = c.targets
    assert president.name == "Kaïs Saïed" and president.facebook == ["PresidenceTunisie"]
    assert president.phones == ["+216 71 744 000"] and president.emails == ["contact@carthage.tn"]
    assert ministre.name == "Leila Jaffel" and ministre.title == {"fr": "Ministre de la Justice"}
    assert ministre.faxes == ["+216 71 568 106"]  # "Télécopie : 71 568 106 I Courriel : …"


def test_pdf_wrapped_lines_are_read_whole():
    from appeal.importer.parse import headings_rejoined, label_values_joined, single_spaced

    assert headings_rejoined(["TAKE ACTION: WRITE AN APPEAL IN YOUR OWN WORDS OR USING",
                              "THIS MODEL LETTER", "Minister X"]) == [
        "TAKE ACTION: WRITE AN APPEAL IN YOUR OWN WORDS OR USING THIS MODEL LETTER", "Minister X"]
    assert label_values_joined(["Nairobi, Kenya Email:", "ig@police.example", "Président X Téléphone",
                                ": 71 744 000"]) == [
        "Nairobi, Kenya Email: ig@police.example", "Président X Téléphone : 71 744 000"]
    # a double-spaced page in a PDF: the prose wraps without blanks, the short lines do not
    lines = ["A long sentence of the summary that the PDF wrapped onto the next line and",
             "that goes on here.", ""] + sum(([x, ""] for x in (
                 "Contact information:", "Minister Ana Ruiz", "Ministry of Justice", "Calle 1 No. 2",
                 "Lima 15001, Peru", "Email: ana@example.org", "Ambassador Luis Paz")), [])
    out = single_spaced(lines)
    k = out.index("Contact information:")
    assert out[k:k + 6] == ["Contact information:", "Minister Ana Ruiz",
                                         "Ministry of Justice", "Calle 1 No. 2", "Lima 15001, Peru",
                                         "Email: ana@example.org"]
