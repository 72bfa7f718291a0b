"""Known weak spots of the importer, each checked in a general way: national address lines,
honorifics in names, pronouns in the NAME AND PRONOUN line, openings to several people,
a UA number given by the user, and PDFs with running headers, hyphenation and page breaks.
Expectations were written before the fixes."""

from __future__ import annotations

from pathlib import Path

import pytest

from appeal.compose import Supporter, compose_letters
from appeal.errors import AppealError
from appeal.importer import import_document
from appeal.importer.address import parse_address
from appeal.importer.blocks import parse_block

FIXTURES = Path(__file__).parent / "fixtures" / "import"


# --- 1. addresses ------------------------------------------------------------------------------

@pytest.mark.parametrize("lines, hint, expected", [
    (["Palacio de Gobierno", "Oaxaca de Juárez, Oaxaca"], "MX",
     dict(lines=["Palacio de Gobierno"], city="Oaxaca de Juárez", region="Oaxaca")),
    (["Palacio Nacional", "Ciudad de México, CDMX", "México"], None,
     dict(lines=["Palacio Nacional"], city="Ciudad de México", region="CDMX", country="MX")),
    (["Palacio de Gobierno", "Oaxaca de Juárez", "C.P. 68000, Oaxaca, México"], None,
     dict(lines=["Palacio de Gobierno"], city="Oaxaca de Juárez", region="Oaxaca",
          postal_code="68000", country="MX")),
    (["Av. Juárez 1", "C.P. 68000, Oaxaca, México"], None,
     dict(lines=["Av. Juárez 1"], city="Oaxaca", postal_code="68000", country="MX")),
    (["Plaza de la Constitución S/N", "Col. Centro, C.P. 06000, Ciudad de México"], "MX",
     dict(lines=["Plaza de la Constitución S/N"], city_area="Col. Centro", postal_code="06000",
          city="Ciudad de México")),
    (["Calle San Bernardo 45", "28071 Madrid, España"], None,
     dict(lines=["Calle San Bernardo 45"], postal_code="28071", city="Madrid", country="ES")),
    (["Carrera 8 No. 7-26", "Bogotá D.C., Colombia"], None,
     dict(lines=["Carrera 8 No. 7-26"], city="Bogotá", region="D.C.", country="CO")),
    (["6a Avenida 4-41, Zona 1", "Guatemala, Guatemala 01001"], None,
     dict(lines=["6a Avenida 4-41"], city_area="Zona 1", city="Guatemala", postal_code="01001",
          country="GT")),
    (["Esplanada dos Ministérios, Bloco T", "70150-900 Brasília – DF", "Brasil"], None,
     dict(lines=["Esplanada dos Ministérios, Bloco T"], postal_code="70150-900", city="Brasília",
          region="DF", country="BR")),
    (["Adalet Bakanlığı", "06659 Kızılay, Ankara", "Türkiye"], None,
     dict(lines=["Adalet Bakanlığı"], postal_code="06659", city_area="Kızılay", city="Ankara",
          country="TR")),
    (["Adalet Bakanlığı", "06659 Kızılay, Ankara"], "TR",
     dict(lines=["Adalet Bakanlığı"], postal_code="06659", city_area="Kızılay", city="Ankara")),
    (["950 Pennsylvania Avenue NW", "Washington, DC 20530"], None,
     dict(lines=["950 Pennsylvania Avenue NW"], city="Washington", region="DC",
          postal_code="20530", country="US")),
    (["10 Downing Street", "London SW1A 2AA", "United Kingdom"], None,
     dict(lines=["10 Downing Street"], city="London", postal_code="SW1A 2AA", country="GB")),
    (["37 Quai d'Orsay", "75007 Paris", "France"], None,
     dict(lines=["37 Quai d'Orsay"], city="Paris", postal_code="75007", country="FR")),
    (["Willy-Brandt-Straße 1", "11011 Berlin", "Deutschland"], None,
     dict(lines=["Willy-Brandt-Straße 1"], city="Berlin", postal_code="11011", country="DE")),
])
def test_national_address_lines(lines, hint, expected):
    assert parse_address(lines, country_hint=hint).as_dict() == expected


def test_region_is_not_taken_from_an_office_line():
    # "Secretaría de Gobernación" is not a town, even before a state name
    a = parse_address(["Secretaría de Gobernación, Oaxaca"], country_hint="MX")
    assert a.city != "Secretaría de Gobernación"


def test_hint_country_is_not_written_into_the_address():
    a = parse_address(["Palacio de Gobierno", "Oaxaca de Juárez, Oaxaca"], country_hint="MX")
    assert a.country is None and not a.complete


# --- 2. honorifics -----------------------------------------------------------------------------

@pytest.mark.parametrize("lines, name, honorific, gender", [
    (["Supreme Leader", "Ayatollah Sayed Ali Khamenei", "Tehran, Iran"],
     "Sayed Ali Khamenei", "Ayatollah", "unknown"),
    (["Emir of Qatar", "Sheikh Tamim bin Hamad Al Thani", "Doha, Qatar"],
     "Tamim bin Hamad Al Thani", "Sheikh", "unknown"),
    (["Minister of Health", "Dr. Ahmed Hassan", "Cairo, Egypt"], "Ahmed Hassan", "Dr.", "unknown"),
    (["Lic. Rosa Icela Rodríguez Velázquez", "Secretaria de Gobernación", "Ciudad de México, México"],
     "Rosa Icela Rodríguez Velázquez", "Lic.", "female"),  # "Secretaria" is feminine
    (["Mtro. Alejandro Gertz Manero", "Fiscal General de la República", "Ciudad de México, México"],
     "Alejandro Gertz Manero", "Mtro.", "unknown"),
    (["Gen. Abdel Fattah al-Burhan", "Chairman of the Sovereign Council", "Khartoum, Sudan"],
     "Abdel Fattah al-Burhan", "Gen.", "unknown"),
    (["H.E. Mr John Smith", "Ambassador of Ruritania", "London, United Kingdom"],
     "John Smith", "H.E.", "male"),
    (["S.E. Mme Marie Dupont", "Ambassadrice", "Paris, France"], "Marie Dupont", "S.E.", "female"),
    (["Excmo. Sr. Pedro Sánchez Pérez-Castejón", "Presidente del Gobierno", "Madrid, España"],
     "Pedro Sánchez Pérez-Castejón", "Excmo. Sr.", "male"),
    (["M. Jean Martin", "Préfet de police", "Paris, France"], "Jean Martin", None, "male"),
    (["Mme Claire Durand", "Procureure de la République", "Lyon, France"], "Claire Durand", None,
     "female"),
    (["Señora Ana Gómez", "Gobernadora", "Oaxaca, México"], "Ana Gómez", None, "female"),
    (["Mrs Jane Doe", "Governor", "Austin, USA"], "Jane Doe", None, "female"),
    (["Monsieur Paul Blanc", "Maire", "Nice, France"], "Paul Blanc", None, "male"),
])
def test_honorifics_leave_the_name(lines, name, honorific, gender):
    b = parse_block(lines)
    assert b.name.value == name
    assert (b.honorific.value if b.honorific else None) == honorific
    assert b.gender == gender


def test_title_word_before_a_name_is_not_an_honorific():
    b = parse_block(["Attorney General Luz Adriana Camargo Garzón", "Bogotá, Colombia"])
    assert b.honorific is None and b.name.value == "Luz Adriana Camargo Garzón"


def test_honorific_in_case_and_address_block(tmp_path):
    text = (FIXTURES / "current-en-2023-iran.txt").read_text(encoding="utf-8")
    r = import_document(text, out_dir=tmp_path)
    leader = r.loaded.case.targets[1]
    assert leader.name == "Sayed Ali Khamenei" and leader.honorific == {"en": "Ayatollah"}
    letters = compose_letters(r.loaded, Supporter(name="Ana"))
    assert letters[1].recipient[0] == "Ayatollah Sayed Ali Khamenei"


# --- 3. pronouns -------------------------------------------------------------------------------

@pytest.mark.parametrize("line, lang, pronoun", [
    ("NOMBRE Y GÉNERO GRAMATICAL PREFERIDO: Juan López (masculino)", "es", "él"),
    ("NOMBRE Y GÉNERO GRAMATICAL PREFERIDO: Ana López (femenino)", "es", "ella"),
    ("NOMBRE Y PRONOMBRE: Ana López (ella)", "es", "ella"),
    ("NOMBRE Y PRONOMBRE: Juan López (él)", "es", "él"),
    ("NAME AND PRONOUN: John Doe (he/him)", "en", "he/him"),
    ("NAME AND PRONOUN: Jane Doe (She/Her)", "en", "she/her"),
    ("NAME AND PRONOUN: Alex Doe (they/them)", "en", "they/them"),
    ("NAME AND PRONOUN: Alex Doe (they)", "en", "they/them"),
    ("NOM ET PRONOM : Jean Dupont (il)", "fr", "il"),
    ("NOM ET PRONOM : Jeanne Dupont (elle)", "fr", "elle"),
])
def test_pronoun_line_is_normalised(line, lang, pronoun, tmp_path):
    from appeal.importer.parse import extract
    from appeal.importer.read import read_bytes

    seed = (FIXTURES / "ua-100.21-mexico-mass-deportations.txt").read_text(encoding="utf-8")
    text = seed.replace("NAME AND PRONOUN: [asylum seekers] (them)", line)
    x = extract(read_bytes(text.encode(), "t.txt"), lang)
    assert x.get("subject_pronoun") == pronoun
    original = line.rsplit("(", 1)[1].rstrip(")")
    assert original in x.fields["subject_pronoun"].source


def test_pronoun_never_read_from_prose():
    from appeal.importer.parse import extract
    from appeal.importer.read import read_bytes

    seed = (FIXTURES / "ua-100.21-mexico-mass-deportations.txt").read_text(encoding="utf-8")
    text = seed.replace("NAME AND PRONOUN: [asylum seekers] (them)",
                        "NAME AND PRONOUN: Ana Ruiz\nAna Ruiz said she fears for her life.")
    x = extract(read_bytes(text.encode(), "t.txt"), "en")
    assert x.get("subject_name") == "Ana Ruiz" and x.get("subject_pronoun") is None


def test_pronoun_review_keeps_original(tmp_path):
    r = import_document(FIXTURES / "current-es-2024-mexico-secretaria.txt", out_dir=tmp_path)
    assert r.loaded.case.subject.pronoun == "él"
    assert "(masculino)" in r.review_text()


# --- 4. openings to several people -------------------------------------------------------------

def _seed_with_opening(opening: str) -> str:
    seed = (FIXTURES / "ua-100.21-mexico-mass-deportations.txt").read_text(encoding="utf-8")
    first = next(l for l in seed.split("\n") if l.startswith("Dear "))
    return seed.replace(first, opening)


@pytest.mark.parametrize("opening, lang", [
    ("Dear Governor Abbott and Members of the Board,", "en"),
    ("Estimados señores:", "es"),
    ("Dear Sirs,", "en"),
    ("Mesdames, Messieurs,", "fr"),
])
def test_group_opening_is_common_salutation(opening, lang, tmp_path):
    r = import_document(_seed_with_opening(opening), out_dir=tmp_path, force=True)
    c = r.loaded.case
    assert c.salutation == {lang: opening.rstrip(" ,:")}
    assert all(lang not in t.salutation for t in c.targets)
    letters = compose_letters(r.loaded, Supporter(name="Ana"))
    # a target with its own salutation keeps it; the others get the common one
    for t, letter in zip(c.targets, letters):
        if t.salutation.get(letter.lang.split("-")[0]):
            continue
        if letter.lang.split("-")[0] == lang:
            assert letter.salutation.startswith(opening.rstrip(" ,:"))
    assert "common" in r.review_text().lower() or "todas" in r.review_text().lower()


def test_group_opening_does_not_give_gender():
    from appeal.importer.parse import extract
    from appeal.importer.read import read_bytes

    x = extract(read_bytes(_seed_with_opening("Estimados señores:").encode(), "t.txt"), "en")
    assert x.get("common_salutation") == "Estimados señores"
    assert all(t.gender_source is None or "señores" not in t.gender_source for t in x.targets)


def test_compose_uses_common_salutation_only_without_own(tmp_path):
    import yaml

    from appeal.cases import read_case

    r = import_document(_seed_with_opening("Dear Sirs,"), out_dir=tmp_path)
    path = r.folder / "case.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["targets"][0]["salutation"] = {"en": "Dear President López Obrador"}
    for t in data["targets"][1:]:
        t.pop("salutation", None)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loaded = read_case(r.folder)
    letters = compose_letters(loaded, Supporter(name="Ana"))
    assert letters[0].salutation == "Dear President López Obrador,"
    assert all(l.salutation == "Dear Sirs," for l in letters[1:])


def test_single_target_opening_still_attached(tmp_path):
    r = import_document(FIXTURES / "current-es-2024-mexico-secretaria.txt", out_dir=tmp_path)
    assert r.loaded.case.salutation == {}
    assert r.loaded.case.targets[0].salutation == {"es": "Estimada Secretaria"}


# --- 5. --ua for web copies --------------------------------------------------------------------

def test_web_copy_with_user_ua_number(tmp_path):
    # without --ua: a draft (it used to be refused); with it: the number, marked as given
    draft = import_document(FIXTURES / "web-en-2024-colombia.txt", out_dir=tmp_path / "d")
    assert draft.loaded.case.status == "draft"
    r = import_document(FIXTURES / "web-en-2024-colombia.txt", out_dir=tmp_path, ua_number="64/24")
    assert r.loaded.case.ua_number == "64.24" and r.loaded.case.id == "ua-64.24"
    text = r.review_text()
    assert "64.24" in text and "--ua" in text
    assert "given by you" in text


def test_user_ua_number_must_look_like_one(tmp_path):
    with pytest.raises(AppealError) as info:
        import_document(FIXTURES / "web-en-2024-colombia.txt", out_dir=tmp_path, ua_number="abc")
    assert "--ua" in info.value.message


def test_user_ua_number_differs_from_document(tmp_path):
    r = import_document(FIXTURES / "ua-100.21-mexico-mass-deportations.txt", out_dir=tmp_path,
                        ua_number="101.21")
    assert r.loaded.case.ua_number == "101.21"
    assert "100.21" in r.review_text()  # the document's own number is shown as a warning


def test_cli_ua_option(tmp_path):
    from typer.testing import CliRunner

    from appeal.cli import create_app

    result = CliRunner().invoke(create_app(), ["import", str(FIXTURES / "web-en-2024-colombia.txt"),
                                      "--out", str(tmp_path), "--ua", "64.24"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ua-64.24" / "case.yaml").exists()
