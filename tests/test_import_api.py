"""appeal import through the library API: real files (TXT, DOCX, PDF, HTML, stdin), both layouts,
three languages, and letters composed from the imported case."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from appeal.cases import read_case
from appeal.compose import Options, Supporter, compose_letters
from appeal.errors import AppealError
from appeal.importer import import_document
from appeal.importer.lexicon import parse_date

FIXTURES = Path(__file__).parent / "fixtures" / "import"
SEED = FIXTURES / "ua-100.21-mexico-mass-deportations.txt"


def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").split("\n")


def make_docx(path: Path, lines: list[str], table_from: int | None = None, table_to: int | None = None):
    import docx

    document = docx.Document()
    for n, line in enumerate(lines):
        if table_from is not None and n == table_from:
            table = document.add_table(rows=1, cols=2)
            cells = table.rows[0].cells
            block = lines[table_from:table_to]
            split = block.index("") if "" in block else len(block)
            cells[0].text = "\n".join(block[:split])
            cells[1].text = "\n".join(l for l in block[split:] if l)
        if table_from is not None and table_from <= n < table_to:
            continue
        document.add_paragraph(line)
    document.save(path)
    return path


def body_of(letter) -> list[str]:
    return list(letter.paragraphs)


@pytest.fixture
def seed_case(tmp_path):
    return import_document(SEED, out_dir=tmp_path)


def test_seed_text_fields(seed_case):
    case = seed_case.loaded.case
    assert case.id == "ua-100.21" and case.ua_number == "100.21"
    assert case.title == {"en": "Mass deportations must stop"}
    assert case.country == "MX"
    assert case.deadline == dt.date(2021, 12, 31) and case.deadline_text == "December 2021"
    assert case.issued is None
    assert case.preferred_language == "en" and case.requested_language == "es"
    assert case.own_language_allowed is True
    assert case.subject.name == "asylum seekers" and case.subject.pronoun == "they/them"
    assert case.background["en"].startswith("On August 9th and 10th 2021")
    assert case.summary["en"].startswith("Since August, authorities in Mexico")


def test_seed_targets(seed_case):
    president, ambassador = seed_case.loaded.case.targets
    assert president.name == "Andrés Manuel López Obrador"
    assert president.role.value == "head_of_state" and president.surname == "López Obrador"
    assert president.salutation == {"en": "Dear President López Obrador"}
    assert president.address.city == "Ciudad de México" and president.address.postal_code == "06066"
    assert president.address.country == "MX" and president.address.city_area == "Colonia Centro"
    assert president.emails == ["secretario.particular@presidencia.gob.mx"]
    assert president.twitter == ["@lopezobrador_"]
    assert ambassador.name == "Esteban Moctezuma" and ambassador.role.value == "ambassador"
    assert ambassador.office == {"en": "Embassy of México"}
    assert ambassador.address.region == "DC" and ambassador.address.country == "US"
    assert ambassador.phones == ["+1 202-728-1600"]  # printed "(202) 728-1600", in Washington
    assert ambassador.twitter == ["@emoctezumab", "@EmbamexEUA"]
    assert ambassador.salutation == {}


def test_seed_review_lists_found_and_missing(seed_case):
    text = seed_case.review_text()
    assert "from: \"Urgent Action 100.21\"" in text
    assert "issue date" in seed_case.missing
    assert "UA number" in seed_case.found
    assert any("'es'" in w and "'en'" in w for w in seed_case.warnings)


def test_seed_composes_the_sample_letter(seed_case):
    letters = compose_letters(seed_case.loaded, Supporter(name="Ana Example"))
    assert [l.target_id for l in letters] == ["president", "ambassador"]
    first = letters[0]
    assert first.salutation == "Dear President López Obrador,"
    text = SEED.read_text(encoding="utf-8")
    assert len(first.paragraphs) == 3
    for para in first.paragraphs:
        assert para in " ".join(text.split()) or para in text
    assert first.paragraphs[0].startswith("I am writing to express my alarm")
    assert first.paragraphs[-1].endswith("not unnecessary or excessive force.")
    assert "Sincerely" not in " ".join(first.paragraphs)


def test_seed_docx_gives_same_case(tmp_path, seed_case):
    path = make_docx(tmp_path / "UA-100.docx", seed_lines())
    result = import_document(path, out_dir=tmp_path / "docx")
    a, b = result.loaded.case, seed_case.loaded.case
    assert a.model_dump(exclude={"source"}) == b.model_dump(exclude={"source"})


def test_docx_with_targets_in_a_table(tmp_path):
    lines = seed_lines()
    start = lines.index(" Andrés Manuel López Obrador")
    end = lines.index("Twitter: @emoctezumab ; @EmbamexEUA ") + 1
    path = make_docx(tmp_path / "table.docx", lines, start, end)
    case = import_document(path, out_dir=tmp_path).loaded.case
    assert [t.name for t in case.targets] == ["Andrés Manuel López Obrador", "Esteban Moctezuma"]


def test_pdf(tmp_path):
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    style = getSampleStyleSheet()["Normal"]
    story = []
    for line in seed_lines():
        line = line.replace("’", "'").replace("–", "-")
        story.append(Paragraph(escape(line), style) if line.strip() else Spacer(1, 8))
    path = tmp_path / "UA.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    result = import_document(path, out_dir=tmp_path)
    case = result.loaded.case
    assert case.ua_number == "100.21" and case.country == "MX"
    assert case.deadline == dt.date(2021, 12, 31)
    assert [t.role.value for t in case.targets] == ["head_of_state", "ambassador"]
    letters = compose_letters(result.loaded, Supporter(name="Ana"))
    assert len(letters[0].paragraphs) == 3
    assert letters[0].paragraphs[2].startswith("I call upon you")


def test_stdin(tmp_path):
    stream = io.TextIOWrapper(io.BytesIO(SEED.read_bytes()), encoding="utf-8")
    result = import_document("-", out_dir=tmp_path, stdin=stream)
    assert result.loaded.case.ua_number == "100.21"


def test_older_layout_english(tmp_path):
    result = import_document(FIXTURES / "older-en-2016.txt", out_dir=tmp_path)
    case = result.loaded.case
    assert case.ua_number == "258.16" and case.country == "MX"
    assert case.issued == dt.date(2016, 11, 7) and case.deadline == dt.date(2016, 12, 19)
    assert case.requested_language == "es" and case.own_language_allowed
    assert case.subject.name == "Yecenia Armenta Graciano" and case.subject.pronoun == "she/her"
    prosecutor, governor = case.targets
    assert prosecutor.role.value == "prosecutor" and prosecutor.name == "Raúl Cervantes Andrade"
    assert prosecutor.faxes == ["+52 55 5346 0908"]
    assert prosecutor.salutation == {"en": "Dear Attorney General", "es": "Señor Procurador"}
    assert governor.role.value == "governor" and governor.address.region == "Sinaloa"
    assert governor.twitter == ["@QuirinoOC"]
    assert [c.name for c in case.copies_to] == [
        "Centro de Derechos Humanos Miguel Agustín Pro Juárez (Centro Prodh)"]
    assert case.copies_to[0].emails == ["prensa@centroprodh.org.mx"]
    assert any("no sample letter" in w for w in result.warnings)
    letters = compose_letters(result.loaded, Supporter(name="Ana"))
    assert letters[0].salutation == "Dear Attorney General,"


def test_current_layout_spanish_run_together(tmp_path):
    result = import_document(FIXTURES / "current-es.txt", out_dir=tmp_path)
    case = result.loaded.case
    assert case.ua_number == "35.22" and case.country == "GT"
    assert case.preferred_language == "es" and case.requested_language is None
    assert case.deadline == dt.date(2022, 4, 28) and case.issued == dt.date(2022, 3, 10)
    fiscal, president = case.targets
    assert fiscal.role.value == "prosecutor" and fiscal.gender.value == "female"
    assert fiscal.phones == ["+502 2411 9191", "+502 2411 9192"] and fiscal.twitter == ["@MPguatemala"]
    assert president.name == "Alejandro Giammattei Falla" and president.role.value == "head_of_state"
    assert president.emails == ["presidencia@presidencia.gob.gt"]
    assert president.address.city == "Ciudad de Guatemala"
    letters = compose_letters(result.loaded, Supporter(name="Ana"))
    # the UA's own opening ("Señora Fiscal General:") names this target's title, so it wins
    assert letters[0].salutation == "Señora Fiscal General:" and letters[0].closing == "Atentamente,"
    assert all("[Su nombre]" not in p for p in letters[0].paragraphs)


def test_current_layout_french_template_code_is_inert(tmp_path):
    result = import_document(FIXTURES / "current-fr.txt", out_dir=tmp_path)
    case = result.loaded.case
    assert case.country == "CM" and case.deadline == dt.date(2022, 4, 1)
    assert case.subject.pronoun == "il"
    president, minister = case.targets
    assert president.name == "Paul Biya" and president.gender.value == "male"
    assert president.address.city == "Yaoundé" and president.faxes == ["+237 222 22 08 70"]
    assert minister.gender.value == "female" and minister.salutation == {"fr": "Madame la Ministre"}
    letters = compose_letters(result.loaded, Supporter(name="Ana"), options=Options(lang="fr"))
    text = " ".join(letters[0].paragraphs)
    assert "{{ 7*7 }}" in text and "{% if true %}x{% endif %}" in text and "49" not in text
    assert letters[0].salutation == "Monsieur le Président,"


def test_html_web_copy_emails(tmp_path):
    email = "minister@mps.gov.cn"
    key = 0x5A
    encoded = f"{key:02x}" + "".join(f"{ord(c) ^ key:02x}" for c in email)
    html = (FIXTURES / "web-copy.html").read_text(encoding="utf-8").replace(
        "3f485e51587f4f4c4a114d5a4f114c5c", encoded)
    path = tmp_path / "ua.html"
    path.write_text(html, encoding="utf-8")
    result = import_document(path, out_dir=tmp_path)
    minister, ambassador = result.loaded.case.targets
    assert minister.emails == [email] and minister.twitter == ["@MPS_China"]
    assert minister.name == "Wang Xiaohong"
    assert ambassador.emails == []  # "[email protected]" is never guessed
    assert "protected" in result.review_text()
    assert any("[email protected]" in m for m in result.review.targets[1][-1][1:2])


def test_not_a_ua_is_refused(tmp_path):
    path = tmp_path / "recipe.txt"
    path.write_text("Pancakes\n\nMix flour, eggs and milk. Fry.\n", encoding="utf-8")
    with pytest.raises(AppealError, match="does not look like an Amnesty Urgent Action"):
        import_document(path, out_dir=tmp_path)
    assert not any(tmp_path.iterdir()) or [p.name for p in tmp_path.iterdir()] == ["recipe.txt"]


def test_truncated_ua_becomes_a_draft_with_review(tmp_path):
    # used to be refused; a UA cut short is now kept as a draft whose review says what to add
    text = SEED.read_text(encoding="utf-8")
    cut = text[: text.index("Dear President")]
    result = import_document(cut.replace("Urgent Action\u00a0100.21", "this Urgent Action"),
                             out_dir=tmp_path)
    case = result.loaded.case
    assert case.status == "draft" and case.ua_number is None and case.letters == {}
    review = result.review_text()
    assert "Status: draft" in review and "Missing for a complete case" in review
    assert "UA number" in review and "sample letter" in review
    assert "Not found in the UA" in review and "…" not in review
    assert (result.folder / "case.yaml").read_text(encoding="utf-8").count("status: draft") == 1


def test_missing_optional_fields_are_reported_not_invented(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    text = text.split("PREFERRED LANGUAGE")[0]  # no language, deadline, name
    result = import_document(text, out_dir=tmp_path)
    case = result.loaded.case
    assert case.deadline is None and case.subject is None and case.requested_language is None
    for field in ("deadline", "preferred language", "people at risk", "own language allowed"):
        assert field in result.missing
    raw = (result.folder / "case.yaml").read_text(encoding="utf-8")
    assert "\ndeadline:" not in raw and "\nsubject:" not in raw


def test_existing_case_needs_force(tmp_path):
    import_document(SEED, out_dir=tmp_path)
    with pytest.raises(AppealError, match="already exists"):
        import_document(SEED, out_dir=tmp_path)
    result = import_document(SEED, out_dir=tmp_path, force=True)
    assert read_case(result.folder).id == "ua-100.21"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ua-100.21"]
    other = import_document(SEED, out_dir=tmp_path, case_id="mexico-2021")
    assert other.folder.name == "mexico-2021" and other.loaded.id == "mexico-2021"


@pytest.mark.parametrize("text, expected", [
    ("PLEASE TAKE ACTION AS SOON AS POSSIBLE UNTIL: [December 2021]", dt.date(2021, 12, 31)),
    ("PLEASE SEND APPEALS BEFORE 1 DECEMBER 2016 TO:", dt.date(2016, 12, 1)),
    ("until February 2024", dt.date(2024, 2, 29)),
    ("NO MÁS TARDE DEL: 31 de diciembre de 2021", dt.date(2021, 12, 31)),
    ("ENVÍEN LLAMAMIENTOS ANTES DEL 1 DE DICIEMBRE DE 2016 A:", dt.date(2016, 12, 1)),
    ("hasta [noviembre de 2022]", dt.date(2022, 11, 30)),
    ("AVANT LE : 1er décembre 2016", dt.date(2016, 12, 1)),
    ("jusqu'au 15 mars 2022", dt.date(2022, 3, 15)),
    ("[septembre 2023]", dt.date(2023, 9, 30)),
    ("before December 1, 2016", dt.date(2016, 12, 1)),
])
def test_deadlines_in_three_languages(text, expected):
    assert parse_date(text)[0] == expected
