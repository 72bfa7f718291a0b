"""Web pages saved from a browser: the UA sits in <main>/<article> between navigation menus,
cookie banners, share buttons, related-content teasers, forms, sidebars and footers with
Amnesty's own addresses. Every field must come from the UA, and nothing from the page around it
may reach the summary, background, targets or letter. Expectations were written from the pages
before the importer was changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from appeal.compose import Supporter, compose_letters
from appeal.importer import import_document
from appeal.importer.parse import extract
from appeal.importer.read import read_source

FIXTURES = Path(__file__).parent / "fixtures" / "import"

# text that only appears in the page around the UA
PAGE_JUNK = (
    "cookie", "Cookie", "Donate", "Dona", "don", "Skip", "Saltar", "Aller au contenu", "Share",
    "Compartir", "Partager", "Related", "Relacionado", "À lire aussi", "newsletter", "Boletín",
    "©", "Peter Benenson", "Easton Street", "43rd Street", "Tehuantepec", "Villette",
    "Accept", "ACEPTAR", "Tout accepter", "Executions surge", "Robert Roberson", "Hirak",
    "Chiapas", "First name", "ZIP", "Prénom", "Sign up", "Je signe", "Suscribirme", "Menú",
    "Home", "Inicio", "Accueil", "Facebook", "LinkedIn", "Topics", "Publicado", "Publié",
    "More Urgent Actions", "contactus@", "aimember@", "contacto@amnistia", "Take action",
    "Take Action Now", "pétition", "Faites un don", "wpData", "dataLayer", "@context",
    "JavaScript", "Aviso de privacidad", "Mentions légales",
)


def texts_of(x) -> list[str]:
    """Every piece of text the importer took from the page."""
    out = [str(x.get(k) or "") for k in ("title", "summary", "background", "subject_name")]
    for block in x.targets + x.copies:
        out += [block.name.value if block.name else "", block.title.value if block.title else "",
                block.office.value if block.office else "", *block.unused]
        out += block.address.raw if block.address else []
        out += [v.value for v in block.emails + block.phones + block.faxes + block.twitter]
    if x.letter:
        out += x.letter.paragraphs + [x.letter.opening or "", x.letter.closing or ""]
    return out


def assert_no_page_junk(x) -> None:
    for text in texts_of(x):
        for junk in PAGE_JUNK:
            if junk == "don":
                assert " don " not in f" {text} ", (junk, text)
            else:
                assert junk not in text, (junk, text)


def load(name, tmp_path):
    return import_document(FIXTURES / name, out_dir=tmp_path)


def test_amnesty_org_document_page(tmp_path):
    r = load("web-amnesty-org-2024-saudi.html", tmp_path)
    c, x = r.loaded.case, r.extraction
    assert_no_page_junk(x)
    assert c.ua_number == "12.24" and c.country == "SA"
    assert c.title["en"] == "Saudi Arabia: Woman sentenced to 11 years for her tweets: Manahel al-Otaibi"
    assert c.issued == dt.date(2024, 2, 2) and c.deadline == dt.date(2024, 3, 29)
    assert c.requested_language == "ar" and c.preferred_language == "en" and c.own_language_allowed
    assert c.subject.name == "Manahel al-Otaibi" and c.subject.pronoun == "she/her"
    assert c.summary["en"].split("\n\n") == [
        "Fitness instructor and women’s rights activist Manahel al-Otaibi was sentenced on 9 "
        "January 2024 by Saudi Arabia’s Specialized Criminal Court to 11 years in prison for her "
        "choice of clothing and for expressing support for women’s rights on social media.",
        "She has been held in al-Malaz prison in Riyadh since her arrest in November 2022 and has "
        "been subjected to enforced disappearance for five months.",
    ]
    assert c.background["en"].split("\n\n") == [
        "Manahel al-Otaibi was arrested on 16 November 2022 and charged under the Anti-Cyber Crime "
        "Law for posting photos of herself without an abaya and for using the hashtag "
        "“#societyisready”.",
        "Her sister Fouz al-Otaibi faced similar charges but left the country before she could be "
        "arrested.",
    ]
    [king] = c.targets
    assert king.name == "Salman bin Abdul Aziz Al Saud"
    assert king.faxes == ["+966 11 403 3125"] and king.twitter == ["@KingSalman"]
    assert king.emails == [] and king.salutation == {"en": "Your Majesty"}
    [letter] = compose_letters(r.loaded, Supporter(name="Ana"))
    assert letter.salutation == "Your Majesty,"
    assert [p[:40] for p in letter.paragraphs] == [
        "I am writing to express my concern about",
        "I urge you to ensure that Manahel al-Ota",
    ]


def test_aiusa_action_page_with_form_and_sidebar(tmp_path):
    r = load("web-aiusa-2024-oklahoma.html", tmp_path)
    c, x = r.loaded.case, r.extraction
    assert_no_page_junk(x)
    assert c.ua_number == "38.24" and c.country == "US"
    assert c.title["en"] == "Oklahoma: Stop the Execution of Richard Glossip"
    assert c.issued == dt.date(2024, 3, 8) and c.deadline == dt.date(2024, 5, 18)
    assert c.preferred_language == "en" and c.requested_language is None
    assert c.subject.name == "Richard Glossip" and c.subject.pronoun == "he/him"
    assert c.summary["en"].startswith("Richard Glossip is scheduled to be executed in Oklahoma")
    assert c.summary["en"].endswith("a murder he has always maintained he did not commit.")
    assert c.summary["en"].count("\n\n") == 1
    assert c.background["en"].startswith("Richard Glossip was convicted in 1998")
    assert c.background["en"].endswith("who received a life sentence in exchange.")
    gov, board = c.targets
    assert gov.name == "J. Kevin Stitt" and gov.role.value == "governor"
    assert gov.phones == ["+1 405-521-2342"] and gov.faxes == ["+1 405-521-3353"]
    assert gov.twitter == ["@GovStitt"] and gov.salutation == {"en": "Dear Governor Stitt"}
    assert gov.address.city == "Oklahoma City" and gov.address.postal_code == "73105"
    assert board.name == "Tom Bates" and board.title == {"en": "Executive Director"}
    assert board.emails == ["PPBinfo@ppb.ok.gov"] and board.phones == ["+1 405-521-6600"]
    assert board.address.postal_code == "73106"
    letters = compose_letters(r.loaded, Supporter(name="Ana"))
    assert letters[0].salutation == "Dear Governor Stitt,"
    assert len(letters[0].paragraphs) == 2
    assert "[Your name]" not in "\n".join(letters[0].paragraphs)


def test_spanish_section_page(tmp_path):
    r = load("web-es-2024-mexico-amnistia.html", tmp_path)
    c, x = r.loaded.case, r.extraction
    assert_no_page_junk(x)
    assert c.ua_number == "41.24" and c.country == "MX"
    assert c.title["es"] == "Defensora comunitaria encarcelada injustamente"
    assert c.issued == dt.date(2024, 3, 19) and c.deadline == dt.date(2024, 4, 30)
    assert c.preferred_language == "es" and c.own_language_allowed
    assert c.subject.name == "Kenia Hernández Montalván" and c.subject.pronoun == "ella"
    assert c.summary["es"].split("\n\n")[0].startswith("La defensora indígena amuzga")
    assert c.summary["es"].count("\n\n") == 1
    assert c.background["es"].startswith("Kenia Hernández Montalván es integrante")
    assert c.background["es"].endswith("En 2022 fue condenada a 21 años y 9 meses de prisión.")
    assert "IDIOMA" not in c.background["es"] and "Consulten" not in c.background["es"]
    gov, fiscal = c.targets
    assert gov.name == "Evelyn Cecia Salgado Pineda" and gov.role.value == "governor"
    assert gov.gender.value == "female" and gov.emails == ["gobernadora@guerrero.gob.mx"]
    assert gov.twitter == ["@EvelynSalgadoP"] and gov.salutation == {"es": "Estimada Gobernadora"}
    assert gov.address.postal_code == "39074" and gov.address.country == "MX"
    assert fiscal.name == "Ernesto Alejandro Gertz Manero" and fiscal.role.value == "prosecutor"
    assert fiscal.emails == ["ofproc@fgr.org.mx"] and fiscal.phones == ["+52 55 5346 0000"]
    assert fiscal.address.postal_code == "06500"
    assert fiscal.address.lines[0] == "Av. Paseo de la Reforma 211-213"
    letters = compose_letters(r.loaded, Supporter(name="Ana"))
    assert letters[0].salutation == "Estimada Gobernadora:" and len(letters[0].paragraphs) == 2
    assert letters[0].paragraphs[1].endswith("reciba la atención médica que necesita.")


def test_french_page(tmp_path):
    r = load("web-fr-2023-algerie-amnesty-fr.html", tmp_path)
    c, x = r.loaded.case, r.extraction
    assert_no_page_junk(x)
    assert c.ua_number == "88.23" and c.country == "DZ"
    assert c.title["fr"] == "Algérie : un journaliste condamné pour ses articles"
    assert c.issued == dt.date(2023, 10, 4) and c.deadline == dt.date(2023, 12, 15)
    assert c.requested_language == "ar" and c.preferred_language == "fr" and c.own_language_allowed
    assert c.subject.name == "Mustapha Bendjama" and c.subject.pronoun == "il"
    assert c.summary["fr"].startswith("Le journaliste Mustapha Bendjama a été condamné")
    assert "\n\n" not in c.summary["fr"]
    assert c.background["fr"].split("\n\n") == [
        "Mustapha Bendjama est rédacteur en chef du quotidien Le Provincial, basé à Annaba. Il a "
        "été arrêté en février 2023.",
        "Depuis 2019, les autorités algériennes ont multiplié les poursuites contre des journalistes.",
    ]
    president, minister = c.targets
    assert president.name == "Abdelmadjid Tebboune" and president.role.value == "head_of_state"
    assert president.gender.value == "male" and president.emails == ["presidence@el-mouradia.dz"]
    assert president.salutation == {"fr": "Monsieur le Président"}
    assert president.address.country == "DZ" and president.address.postal_code == "16000"
    assert minister.name == "Abderrachid Tabi" and minister.role.value == "minister"
    assert minister.faxes == ["+213 21 92 17 01"]
    letters = compose_letters(r.loaded, Supporter(name="Ana"))
    assert letters[0].salutation == "Monsieur le Président," and len(letters[0].paragraphs) == 2


def test_page_text_outside_the_ua_is_not_read():
    """The reader keeps the <main> content; menus, banners and footers are gone."""
    doc = read_source(FIXTURES / "web-amnesty-org-2024-saudi.html")
    text = doc.text
    for junk in ("Skip to content", "We use cookies", "What we do", "Share this page",
                 "Executions surge", "Peter Benenson", "© Amnesty", "Sign up", "dataLayer",
                 "enable JavaScript", "Home / Documents"):
        assert junk not in text, junk
    assert "URGENT ACTION" in text and "Your Majesty," in text


def test_page_without_main_still_drops_the_chrome():
    html = (FIXTURES / "web-aiusa-2024-oklahoma.html").read_text(encoding="utf-8")
    html = html.replace('role="main"', "")
    x = extract(read_source_bytes(html))
    assert_no_page_junk(x)
    assert [t.name.value for t in x.targets] == ["J. Kevin Stitt", "Tom Bates"]


def read_source_bytes(html: str):
    from appeal.importer.read import read_bytes

    return read_bytes(html.encode("utf-8"), "page.html")


def test_side_column_of_other_urgent_actions_is_not_read():
    html = (FIXTURES / "web-amnesty-org-2024-saudi.html").read_text(encoding="utf-8")
    teasers = "".join(f"<p>URGENT ACTION</p><p>UA {n}/24: Release prisoner number {n}</p>" for n in range(3, 9))
    html = html.replace("</main>", f"</main><div class='col-2'>{teasers}</div>")
    x = extract(read_source_bytes(html))
    assert x.get("ua_number") == "12.24"
    assert_no_page_junk(x)
    assert not any("prisoner number" in t for t in texts_of(x))
