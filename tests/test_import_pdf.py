"""PDF UAs as Amnesty prints them (built with reportlab): a two-column header block, running
headers and footers with the index number on every page, words hyphenated at line ends, and
page breaks in the middle of a target block. Expectations written before the fix."""

from __future__ import annotations

import datetime as dt


from appeal.compose import Supporter, compose_letters
from appeal.importer import import_document
from appeal.importer.read import read_bytes

from ._pdf_util import build_pdf

IRAN_INDEX = "MDE 13/7001/2023"


def iran_pdf() -> bytes:
    page1 = [
        "Mohammad Rahimi, a 24-year-old protester, is at risk of execution in Iran after an",
        "unfair trial. He was denied access to a lawyer of his choosing and his individ-",
        "ualized complaints of torture were never investigated.",
        "",
        "TAKE ACTION: WRITE AN APPEAL IN YOUR OWN WORDS OR USE THIS MODEL LETTER",
        "",
        "Head of the Judiciary",
        "Gholamhossein Mohseni Ejei",
        "c/o Embassy of Iran to the European Union",
        "Avenue Franklin Roosevelt No. 15",
    ]
    page2 = [
        "1050 Brussels, Belgium",
        "Email: info@iranembassy.be",
        "",
        "Supreme Leader",
        "Ayatollah Sayed Ali Khamenei",
        "Office of the Supreme Leader",
        "Islamic Republic Street – End of Shahid Keshvar Doust Street",
        "Tehran, Iran",
        "X: @khamenei_ir",
        "",
        "Dear Mr Mohseni Ejei,",
        "",
        "I am writing to express my deep concern that Mohammad Rahimi is at risk of execu-",
        "tion. He was sentenced to death after a grossly unfair trial.",
        "",
        "I urge you to quash his conviction and death sentence immediately.",
    ]
    page3 = [
        "Yours sincerely,",
        "",
        "ADDITIONAL INFORMATION",
        "Mohammad Rahimi was arrested in November 2022 during nationwide protests. The authori-",
        "ties have used the death penalty as a tool of political repression.",
        "",
        "PREFERRED LANGUAGE TO ADDRESS TARGET: English, Persian",
        "You can also write in your own language.",
        "",
        "PLEASE TAKE ACTION AS SOON AS POSSIBLE UNTIL: 30 August 2023",
        "",
        "NAME AND PRONOUN: Mohammad Rahimi (he/him)",
    ]
    return build_pdf(
        ["URGENT ACTION", "PROTESTER AT RISK OF EXECUTION"],
        [f"UA: 88/23 Index: {IRAN_INDEX} Iran", "Date: 12 July 2023"],
        [page1, page2, page3], IRAN_INDEX)


def mexico_pdf() -> bytes:
    index = "AMR 41/7002/2024"
    page1 = [
        "El defensor comunitario Tomás Ruiz fue detenido arbitrariamente en Oaxaca y su",
        "familia denuncia hostigamiento por parte de la policía estatal.",
        "",
        "ACTÚEN: ESCRIBAN UN LLAMAMIENTO CON SUS PROPIAS PALABRAS O UTILICEN ESTA CARTA MODELO",
        "",
        "Gobernador del Estado de Oaxaca",
        "Salomón Jara Cruz",
        "Palacio de Gobierno",
    ]
    page2 = [
        "Oaxaca de Juárez",
        "C.P. 68000, Oaxaca, México",
        "Correo-e: gobernador@oaxaca.gob.mx",
        "",
        "Señor Gobernador:",
        "",
        "Le escribo para expresar mi preocupación por la detención arbitraria de Tomás",
        "Ruiz. Le pido que garantice su liberación inmediata y que ponga fin al hostiga-",
        "miento contra su familia.",
        "",
        "Atentamente,",
        "",
        "INFORMACIÓN ADICIONAL",
        "Tomás Ruiz defiende el territorio de su comunidad desde 2015.",
        "",
        "IDIOMA PREFERIDO PARA DIRIGIRSE A LOS DESTINATARIOS: español",
        "También pueden escribir en su propio idioma.",
        "",
        "ACTÚEN LO ANTES POSIBLE Y NO MÁS TARDE DEL 15 DE MAYO DE 2024",
        "",
        "NOMBRE Y GÉNERO GRAMATICAL PREFERIDO: Tomás Ruiz (masculino)",
    ]
    return build_pdf(
        ["ACCIÓN URGENTE", "DEFENSOR COMUNITARIO DETENIDO"],
        [f"AU: 31/24 Índice: {index} México", "Fecha: 20 de marzo de 2024"],
        [page1, page2], index, running="Amnistía Internacional")


def older_pdf() -> bytes:
    index = "AFR 44/7003/2019"
    page1 = [
        "Journalist Agba Jalingo has been detained since August 2019 for a report on the",
        "alleged diversion of public funds by the state govern-",
        "ment.",
        "",
        "PLEASE WRITE IMMEDIATELY in English or your own language:",
        "- Calling on the authorities to release Agba Jalingo immediately and uncondition-",
        "ally;",
        "- Urging them to drop all charges against him.",
        "",
        "PLEASE SEND APPEALS BEFORE 20 NOVEMBER 2019 TO:",
        "Governor of Cross River State",
        "Benedict Ayade",
        "Governor's Office, Diamond Hill Road",
    ]
    page2 = [
        "Calabar, Cross River State",
        "Nigeria",
        "Email: info@crossriverstate.gov.ng",
        "Salutation: Dear Governor",
        "",
        "Attorney General of the Federation",
        "Abubakar Malami",
        "Federal Ministry of Justice",
        "Shehu Shagari Way, Abuja, Nigeria",
        "Email: info@justice.gov.ng",
        "Salutation: Dear Attorney General",
        "",
        "And copies to:",
        "Nigerian Union of Journalists",
        "Email: info@nuj.org.ng",
        "",
        "ADDITIONAL INFORMATION",
        "Agba Jalingo is the publisher of an online newspaper in Calabar.",
    ]
    return build_pdf(
        ["URGENT ACTION", "JOURNALIST DETAINED FOR HIS REPORTING"],
        [f"UA: 130/19 Index: {index} Nigeria", "Date: 9 October 2019"],
        [page1, page2], index)


def test_running_headers_and_footers_are_removed():
    doc = read_bytes(iran_pdf(), "iran.pdf")
    text = doc.text
    assert "Page 2 of 3" not in text and "Page 1 of 3" not in text
    assert "Peter Benenson House" not in text
    assert text.count(IRAN_INDEX) == 1  # once, in the header block of page 1
    assert "individualized" in text and "execution" in text and "authorities" in text


def test_hyphen_kept_in_compound_words():
    doc = read_bytes(iran_pdf(), "iran.pdf")
    assert "24-year-old" in doc.text


def test_iran_pdf_fields(tmp_path):
    path = tmp_path / "iran.pdf"
    path.write_bytes(iran_pdf())
    r = import_document(path, out_dir=tmp_path / "out")
    c = r.loaded.case
    assert c.ua_number == "88.23" and c.country == "IR"
    assert c.issued == dt.date(2023, 7, 12) and c.deadline == dt.date(2023, 8, 30)
    assert c.subject.name == "Mohammad Rahimi" and c.subject.pronoun == "he/him"
    judiciary, leader = c.targets
    assert judiciary.name == "Gholamhossein Mohseni Ejei"
    # the block that crosses the page break keeps its city, country and email
    assert judiciary.address.city == "Brussels" and judiciary.address.country == "BE"
    assert judiciary.emails == ["info@iranembassy.be"]
    assert leader.name == "Sayed Ali Khamenei" and leader.twitter == ["@khamenei_ir"]
    assert "individualized" in c.summary["en"] and "Page" not in c.summary["en"]
    letters = compose_letters(r.loaded, Supporter(name="Ana"))
    body = " ".join(letters[0].paragraphs)
    assert "at risk of execution. He was sentenced" in body
    assert "Amnesty International" not in body
    assert "authorities have used" in c.background["en"]


def test_mexico_pdf_fields(tmp_path):
    path = tmp_path / "mx.pdf"
    path.write_bytes(mexico_pdf())
    r = import_document(path, out_dir=tmp_path / "out")
    c = r.loaded.case
    assert c.ua_number == "31.24" and c.country == "MX" and c.preferred_language == "es"
    assert c.subject.pronoun == "él"
    [gov] = c.targets
    assert gov.name == "Salomón Jara Cruz" and gov.role.value == "governor"
    assert gov.address.lines == ["Palacio de Gobierno"]
    assert gov.address.city == "Oaxaca de Juárez" and gov.address.region == "Oaxaca"
    assert gov.address.postal_code == "68000" and gov.address.country == "MX"
    assert gov.emails == ["gobernador@oaxaca.gob.mx"]
    letters = compose_letters(r.loaded, Supporter(name="Ana"))
    assert "hostigamiento contra su familia" in " ".join(letters[0].paragraphs)
    assert letters[0].salutation == "Señor Gobernador:"


def test_older_pdf_fields(tmp_path):
    path = tmp_path / "ng.pdf"
    path.write_bytes(older_pdf())
    r = import_document(path, out_dir=tmp_path / "out")
    c = r.loaded.case
    assert c.ua_number == "130.19" and c.country == "NG"
    assert c.deadline == dt.date(2019, 11, 20)
    gov, ag = c.targets
    assert gov.name == "Benedict Ayade" and gov.address.country == "NG"
    assert gov.address.city == "Calabar" and gov.address.region == "Cross River State"
    assert gov.emails == ["info@crossriverstate.gov.ng"] and gov.salutation == {"en": "Dear Governor"}
    assert ag.name == "Abubakar Malami" and ag.emails == ["info@justice.gov.ng"]
    assert [x.name for x in c.copies_to] == ["Nigerian Union of Journalists"]
    template = (r.folder / "letter.en.j2").read_text(encoding="utf-8")
    assert "unconditionally" in template and "government" in c.summary["en"]
