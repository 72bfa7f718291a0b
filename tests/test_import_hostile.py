"""Hostile documents: XML entities (XXE, billion laughs), zip bombs, template code, binary junk.
Each is refused with a clear message or imported as inert text; nothing runs or reads files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from appeal.compose import Supporter, compose_letters
from appeal.errors import AppealError
from appeal.importer import import_document

SEED = Path(__file__).parent / "fixtures" / "import" / "ua-100.21-mexico-mass-deportations.txt"


def docx_bytes(tmp_path: Path) -> bytes:
    import docx

    document = docx.Document()
    for line in SEED.read_text(encoding="utf-8").split("\n"):
        document.add_paragraph(line)
    path = tmp_path / "base.docx"
    document.save(path)
    return path.read_bytes()


def replace_member(data: bytes, name: str, content: bytes, compress=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", compress) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == name else src.read(info))
        if name not in src.namelist():
            dst.writestr(name, content)
    return out.getvalue()


def document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml")


def test_xxe_is_refused(tmp_path):
    xml = document_xml(docx_bytes(tmp_path))
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    evil = xml.replace(
        b"?>", f'?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'.encode(), 1
    ).replace(b"URGENT ACTION", b"URGENT ACTION &xxe;", 1)
    path = tmp_path / "xxe.docx"
    path.write_bytes(replace_member(docx_bytes(tmp_path), "word/document.xml", evil))
    with pytest.raises(AppealError, match="DOCTYPE"):
        import_document(path, out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_billion_laughs_is_refused(tmp_path):
    xml = document_xml(docx_bytes(tmp_path))
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{"&lol" + (str(i - 1) if i > 1 else "") + ";"}' * 10 + '">' for i in range(1, 10)
    )
    evil = xml.replace(b"?>", f"?><!DOCTYPE w:document [{entities}]>".encode(), 1)
    path = tmp_path / "lol.docx"
    path.write_bytes(replace_member(docx_bytes(tmp_path), "word/document.xml", evil))
    with pytest.raises(AppealError, match="DOCTYPE"):
        import_document(path, out_dir=tmp_path / "out")


def test_zip_bomb_member_is_refused(tmp_path):
    bomb = b"\0" * 40_000_000  # compresses to ~40 kB
    path = tmp_path / "bomb.docx"
    path.write_bytes(replace_member(docx_bytes(tmp_path), "word/media/bomb.bin", bomb))
    with pytest.raises(AppealError, match="too large"):
        import_document(path, out_dir=tmp_path / "out")


def test_not_a_docx_zip(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    path = tmp_path / "fake.docx"
    path.write_bytes(out.getvalue())
    with pytest.raises(AppealError, match="not a Word document"):
        import_document(path, out_dir=tmp_path / "out")


def test_binary_junk_is_refused(tmp_path):
    path = tmp_path / "junk.txt"
    path.write_bytes(b"\x00\x01\x02" * 1000)
    with pytest.raises(AppealError):
        import_document(path, out_dir=tmp_path / "out")


def test_template_code_in_the_letter_prints_literally(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace(
        "I call upon you",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }} {% for x in range(9) %}X{% endfor %}"
        " {# c #} {%- raw %} {% endraw %} I call upon you",
    )
    result = import_document(text, out_dir=tmp_path)
    template = (result.folder / "letter.en.j2").read_text(encoding="utf-8")
    assert "{{ cycler" not in template and "{% for" not in template
    letters = compose_letters(result.loaded, Supporter(name="Ana"))
    last = letters[0].paragraphs[-1]
    assert last.startswith("{{ cycler.__init__.__globals__.os.popen('id').read() }} "
                           "{% for x in range(9) %}X{% endfor %} {# c #} {%- raw %} {% endraw %}")


def test_your_name_placeholder_becomes_supporter_name(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace(
        "I call upon you", "My name is [your name] and I call upon you")
    result = import_document(text, out_dir=tmp_path)
    template = (result.folder / "letter.en.j2").read_text(encoding="utf-8")
    assert "{{ supporter.name }}" in template
    letters = compose_letters(result.loaded, Supporter(name="Ana Example"))
    assert letters[0].paragraphs[-1].startswith("My name is Ana Example and I call upon you")


def test_case_yaml_cannot_be_injected(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace(
        "MASS DEPORTATIONS MUST STOP", "MASS DEPORTATIONS: MUST STOP\" !!python/object:os.system")
    result = import_document(text, out_dir=tmp_path)
    assert "!!python" in result.loaded.case.title["en"]
