"""Word files as Urgent Actions are really made: targets in a table, the sample letter in a text
box, Word numbering for the TAKE ACTION list, the UA number and date only in the page footer,
e-mails and X handles as hyperlinks, soft line breaks in address blocks, tabs after labels,
smart quotes, non-breaking spaces and "[bookmark: …]" artefacts. Built with python-docx plus
the raw WordprocessingML Word writes; expectations were written before the reader was changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from appeal.compose import Supporter, compose_letters
from appeal.importer import import_document
from appeal.importer.read import read_source

FIXTURES = Path(__file__).parent / "fixtures" / "import"
NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:v="urn:schemas-microsoft-com:vml" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def add_lines(paragraph, lines: list[str]) -> None:
    """One paragraph, lines separated by soft line breaks (Shift+Enter), labels by a tab."""
    for n, line in enumerate(lines):
        if n:
            paragraph.add_run().add_break()
        label, sep, value = line.partition(": ")
        if sep and len(label) < 20:
            run = paragraph.add_run(label + ":")
            run.add_tab()
            paragraph.add_run(value)
        else:
            paragraph.add_run(line)


def add_hyperlink(paragraph, url: str, text: str) -> None:
    rid = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    paragraph._p.append(parse_xml(
        f'<w:hyperlink {nsdecls("w", "r")} r:id="{rid}"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/>'
        f'</w:rPr><w:t xml:space="preserve">{_esc(text)}</w:t></w:r></w:hyperlink>'))


def add_text_box(paragraph, lines: list[str]) -> None:
    """A floating text box, as Word 2010+ saves it: the DrawingML shape and a VML fallback,
    each holding the same paragraphs."""
    paras = "".join(f'<w:p><w:r><w:t xml:space="preserve">{_esc(l)}</w:t></w:r></w:p>' for l in lines)
    paragraph._p.append(parse_xml(
        f'<w:r {NS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f'<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" '
        f'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:extent cx="5000000" cy="3000000"/><wp:docPr id="1" name="Text Box 1"/>'
        f'<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:wsp><wps:txbx><w:txbxContent>{paras}</w:txbxContent></wps:txbx></wps:wsp>'
        f'</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
        f'<mc:Fallback><w:pict><v:shape id="Text Box 1"><v:textbox><w:txbxContent>{paras}'
        f'</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>'))


def numbered(document, text: str) -> None:
    """A list item with Word numbering on the paragraph itself (w:numPr), no typed number."""
    p = document.add_paragraph(text)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'))


def china_docx(path: Path) -> Path:
    d = docx.Document()
    section = d.sections[0]
    section.header.paragraphs[0].text = "AMNESTY INTERNATIONAL\tURGENT ACTION"
    footer = section.footer.paragraphs[0]
    footer.text = "UA: 64/24 Index: ASA 17/7890/2024 China Date: 15 May 2024"
    section.footer.add_paragraph("Page 1 of 2")
    d.add_heading("URGENT ACTION", level=1)
    d.add_heading("UYGHUR ECONOMIST HELD INCOMMUNICADO FOR TEN YEARS", level=2)
    d.add_paragraph("Uyghur economist Ilham\u00a0Tohti has now spent ten years in prison, serving a "
                    "life sentence on the charge of \u201cseparatism\u201d. His family has had no "
                    "news of him since 2017.[bookmark: _GoBack]")
    d.add_paragraph("TAKE ACTION: WRITE AN APPEAL IN YOUR OWN WORDS OR USE THIS MODEL LETTER")
    numbered(d, "Write a letter in your own words or use the model letter below.")
    numbered(d, "Let us know what you did.")
    table = d.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].text = "President of the People\u2019s Republic of China"
    left.add_paragraph("Xi Jinping")
    add_lines(left.add_paragraph(), ["Zhongnanhai, Xichengqu", "Beijingshi 100017",
                                     "People\u2019s Republic of China", "Fax: +86\u00a010\u00a06238\u00a01025"])
    p = left.add_paragraph()
    p.add_run("Email:").add_tab()
    add_hyperlink(p, "mailto:english@mail.gov.cn", "english@mail.gov.cn")
    right.paragraphs[0].text = "Ambassador Xie Feng"
    right.add_paragraph("Embassy of the People\u2019s Republic of China")
    add_lines(right.add_paragraph(), ["3505 International Place NW", "Washington, DC 20008", "USA"])
    p = right.add_paragraph()
    p.add_run("Email:").add_tab()
    add_hyperlink(p, "mailto:chinaembpress_us@mfa.gov.cn?subject=Ilham%20Tohti", "Email the Ambassador")
    p = right.add_paragraph()
    p.add_run("X:").add_tab()
    add_hyperlink(p, "https://twitter.com/AmbXieFeng", "@AmbXieFeng")
    add_text_box(d.add_paragraph(), [
        "Dear President Xi,",
        "I am writing to express my deep concern for Uyghur economist Ilham Tohti, who is "
        "serving a life sentence solely for his peaceful work to build understanding between "
        "Uyghurs and Han Chinese.",
        "I urge you to release Ilham Tohti immediately and unconditionally, and to let his "
        "family know where he is held and how he is.",
        "Yours sincerely,",
        "[Your name]",
    ])
    d.add_paragraph("ADDITIONAL INFORMATION")
    d.add_paragraph("Ilham Tohti, a former professor at Minzu University in Beijing, was "
                    "detained in January 2014 and sentenced to life imprisonment in September 2014.")
    d.add_paragraph("His daughter Jewher Ilham has campaigned for his release from the USA.")
    d.add_paragraph("PREFERRED LANGUAGE TO ADDRESS TARGET: Chinese, English")
    d.add_paragraph("You can also write in your own language.")
    d.add_paragraph("PLEASE TAKE ACTION AS SOON AS POSSIBLE UNTIL:\u00a010 July 2024")
    d.add_paragraph("NAME AND PRONOUN: Ilham Tohti (he/him)")
    d.save(path)
    return path


def test_docx_as_word_makes_it(tmp_path):
    r = import_document(china_docx(tmp_path / "ua.docx"), out_dir=tmp_path / "out")
    c = r.loaded.case
    assert c.ua_number == "64.24" and c.country == "CN"
    assert c.issued == dt.date(2024, 5, 15) and c.deadline == dt.date(2024, 7, 10)
    assert c.title["en"] == "Uyghur economist held incommunicado for ten years"
    assert c.requested_language == "zh" and c.preferred_language == "en" and c.own_language_allowed
    assert c.subject.name == "Ilham Tohti" and c.subject.pronoun == "he/him"
    assert c.summary["en"] == ("Uyghur economist Ilham Tohti has now spent ten years in prison, "
                               "serving a life sentence on the charge of “separatism”. His family "
                               "has had no news of him since 2017.")
    assert c.background["en"].split("\n\n") == [
        "Ilham Tohti, a former professor at Minzu University in Beijing, was detained in January "
        "2014 and sentenced to life imprisonment in September 2014.",
        "His daughter Jewher Ilham has campaigned for his release from the USA.",
    ]
    xi, amb = c.targets
    assert xi.name == "Xi Jinping" and xi.role.value == "head_of_state"
    assert xi.faxes == ["+86 10 6238 1025"] and xi.emails == ["english@mail.gov.cn"]
    assert xi.address.country == "CN" and xi.salutation == {"en": "Dear President Xi"}
    assert amb.name == "Xie Feng" and amb.role.value == "ambassador"
    assert amb.emails == ["chinaembpress_us@mfa.gov.cn"] and amb.twitter == ["@AmbXieFeng"]
    assert amb.address.country == "US" and amb.address.postal_code == "20008"
    letters = compose_letters(r.loaded, Supporter(name="Ana"))
    assert letters[0].salutation == "Dear President Xi,"
    assert [p[:30] for p in letters[0].paragraphs] == ["I am writing to express my dee",
                                                       "I urge you to release Ilham To"]
    template = (r.folder / "letter.en.j2").read_text(encoding="utf-8")
    for leak in ("64/24", "Index", "Page 1", "AMNESTY", "Yours sincerely", "[Your name]", "bookmark"):
        assert leak not in template, leak


def test_docx_text_box_is_read_once_in_its_place(tmp_path):
    doc = read_source(china_docx(tmp_path / "ua.docx"))
    lines = [l for l in doc.lines if l]
    assert lines.count("Dear President Xi,") == 1
    assert lines.index("Dear President Xi,") < lines.index("ADDITIONAL INFORMATION")
    assert "Email: chinaembpress_us@mfa.gov.cn" in lines
    assert "• Write a letter in your own words or use the model letter below." in lines
    assert not any("bookmark" in l or "Page 1" in l for l in lines)


def test_header_footer_do_not_override_the_body(tmp_path):
    path = china_docx(tmp_path / "ua.docx")
    d = docx.Document(path)
    d.add_paragraph("UA: 65/24 Index: ASA 17/7891/2024 China Date: 16 May 2024")
    d.save(path)
    c = import_document(path, out_dir=tmp_path / "out").loaded.case
    assert c.ua_number == "65.24" and c.issued == dt.date(2024, 5, 16)


@pytest.mark.parametrize("name", ["current-es-2024-mexico-secretaria.txt", "current-fr-2023-france.txt",
                                  "current-en-2023-iran.txt"])
def test_docx_with_soft_breaks_tabs_and_footer_index(tmp_path, name):
    """Blocks typed with Shift+Enter and tabs, the UA/index line in the page footer: the same
    case as the plain text."""
    d = docx.Document()
    blocks = (FIXTURES / name).read_text(encoding="utf-8").strip().split("\n\n")
    for block in blocks:
        lines = block.split("\n")
        if lines[-1].startswith(("AU", "UA", "Sixth UA")) and "Index" in lines[-1] or "Índice" in lines[-1]:
            d.sections[0].footer.paragraphs[0].text = lines[-1]
            lines = lines[:-1]
        if lines:
            add_lines(d.add_paragraph(), [l.replace(" ", "\u00a0", 1) if l[:1].isdigit() else l
                                          for l in lines])
    d.save(tmp_path / "ua.docx")
    a = import_document(tmp_path / "ua.docx", out_dir=tmp_path / "docx").loaded.case
    b = import_document(FIXTURES / name, out_dir=tmp_path / "txt").loaded.case
    assert a.model_dump(exclude={"source"}) == b.model_dump(exclude={"source"})
