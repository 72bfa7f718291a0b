"""Odd input to compose ends in a correct letter or a clear AppealError, never a traceback.

Property tests (hypothesis, derandomized so CI is deterministic) plus regressions for each bug
the fuzzing found."""

from __future__ import annotations

import io
import struct
import zlib

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appeal.api import AppealError, Edits, Options, Supporter, compose_letters
from appeal.render import render
from tests.conftest import FIXED_DATE, docx_paragraphs, files_in, pdf_text

FAST = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=list(HealthCheck))

# Characters that have broken text pipelines before: markup and template syntax, XML-invalid
# and control characters, invisible and bidi marks, combining marks, RTL letters, line and
# paragraph separators, case-mapping oddities.
ODD = list("aZ ñé<>&;#{}%[]!\"'\\/\t\n\r\u00a0\u00ad\u200b\u200c\u200d\u0301\u0308\u05d0"
           "\u0627\u0646\u2028\u2029\ufeff\u2060\u200e\u200f\u202e\u2066\u0000\u001b\u007f"
           "\u0085\ud800\ufffe\u0130\u0131\u00df\u01c5\ufb01\u0394\u0416") + [
    "{{ 7*7 }}", "{% for x in y %}", "<para>", "&#0;", "]]>", "<img src='/etc/passwd'/>",
    "😀", "王", "a" * 400]
odd_text = st.lists(st.sampled_from(ODD), min_size=1, max_size=12).map("".join)
drawable_text = st.lists(st.sampled_from([c for c in ODD if c not in ("😀", "王")]),
                         min_size=1, max_size=12).map("".join)
latin_name = st.text(st.sampled_from(list("abcdefghijklmnñopqrstuvwxyzÁÉÍÓÚ")), min_size=2,
                     max_size=20)


def _check_outputs(letter, name_in_pdf: str | None) -> None:
    pdf = render(letter, "pdf")
    text = pdf_text(pdf)
    if name_in_pdf:
        assert name_in_pdf in text
    docx_paragraphs(render(letter, "docx"))  # python-docx reopens it
    assert letter.signature_name in render(letter, "txt").decode("utf-8")


@FAST
@given(name=odd_text, city=st.none() | odd_text, note=st.none() | odd_text)
def test_odd_text_gives_letters_or_a_clear_error(case, name, city, note):
    try:
        letters = compose_letters(case, Supporter(name, city=city), Edits(note=note),
                                  Options(date=FIXED_DATE, targets=("president",)))
        letter = letters[0]
        _check_outputs(letter, None)
    except AppealError as exc:
        assert exc.message and "Traceback" not in exc.message


@settings(FAST, max_examples=15)
@given(name=latin_name, note=st.none() | drawable_text)
def test_a_name_the_font_covers_is_in_the_pdf(case, name, note):
    try:
        letter = compose_letters(case, Supporter(name.strip() or "Ana"), Edits(note=note),
                                 Options(date=FIXED_DATE, targets=("president",)))[0]
    except AppealError:
        return  # the note was refused, with a message
    _check_outputs(letter, letter.signature_name)


def test_template_syntax_in_user_text_is_printed_literally(case):
    note = "{{ 7*7 }} {% if x %} <para>x</para> &#0; ]]>"
    letter = compose_letters(case, Supporter("Ana {{ 1+1 }}"), Edits(note=note),
                             Options(date=FIXED_DATE, targets=("president",)))[0]
    assert note in letter.paragraphs and letter.signature_name == "Ana {{ 1+1 }}"
    text = " ".join(pdf_text(render(letter, "pdf")).split())
    assert "{{ 7*7 }}" in text and "<para>x</para>" in text and "49" not in text


def test_a_very_long_word_is_laid_out_in_bounded_time(case):
    word = "x" * 2999
    letter = compose_letters(case, Supporter("Ana"), Edits(note=word),
                             Options(date=FIXED_DATE, targets=("president",)))[0]
    text = re.sub(r"\b\d+/\d+\b", "", pdf_text(render(letter, "pdf")))  # page marks "1/2"
    text = "\n".join(line for line in text.split("\n") if " · " not in line)  # page 2 header
    assert word in "".join(text.split())


@pytest.mark.parametrize("country", ["ß", "ﬀ", "ZZ", "EU", "UN", "QO", "🇲🇽", "M", "MEX",
                                     "1A"])
def test_odd_country_codes_are_refused(case, country):
    # "ß".upper() == "SS" (South Sudan) and "ﬀ".upper() == "FF" used to pass the check
    with pytest.raises(AppealError, match="^country: "):
        compose_letters(case, Supporter("Ana", country=country))


@pytest.mark.parametrize("country, paper", [("mx", "letter"), (" us ", "letter"), ("es", "a4")])
def test_lowercase_country_codes_work(case, country, paper):
    assert compose_letters(case, Supporter("Ana", country=country))[0].paper == paper


@pytest.mark.parametrize("email", ["@", "a@", "@b.c", "a@b@c.d", "<a@b.c>", "a@b", "a@b.c,d@e.f",
                                   "Ana <a@b.c>", "a b@c.d"])
def test_odd_email_addresses_are_refused(case, email):
    with pytest.raises(AppealError, match="^email: "):
        compose_letters(case, Supporter("Ana", email=email))


@pytest.mark.parametrize("lang", ["ES_mx", "es-419", "es_419", "ES", " es "])
def test_language_spellings_find_the_spanish_letter(case, lang):
    assert compose_letters(case, Supporter("Ana"), options=Options(lang=lang))[0].lang.startswith(
        "es")


@pytest.mark.parametrize("lang", ["x", "../../etc", "-", "zh-Hant-TW", " "])
def test_unknown_languages_are_usage_errors(case, lang):
    with pytest.raises(AppealError) as err:
        compose_letters(case, Supporter("Ana"), options=Options(lang=lang))
    assert err.value.exit_code == 2


# --- signature images -------------------------------------------------------------------------


def _image(mode: str, fmt: str, size=(120, 40)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new(mode, size).save(buf, fmt)
    return buf.getvalue()


def _png_bomb(side: int = 100_000) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 100_000, 9)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (_png_bomb(), "not a readable image"),
    (_png_bomb(7000), "too large for a signature"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "not a readable image"),
    (b"GIF89a", "not a readable image"),
])
def test_bad_signatures_are_refused_quickly(case, data, message):
    with pytest.raises(AppealError, match="^signature: .*" + message):
        compose_letters(case, Supporter("Ana"), options=Options(signature=data))


@pytest.mark.parametrize("mode, fmt, size", [
    ("CMYK", "JPEG", (120, 40)),  # python-docx could not place a JPEG without a JFIF header
    ("I;16", "PNG", (120, 40)),
    ("LA", "PNG", (120, 40)),
    ("P", "PNG", (120, 40)),
    ("1", "PNG", (120, 40)),
    ("L", "PNG", (1, 6000)),
    ("RGB", "PNG", (6000, 1)),
])
def test_unusual_but_valid_signatures_are_printed(case, mode, fmt, size):
    letter = compose_letters(case, Supporter("Ana"),
                             options=Options(signature=_image(mode, fmt, size),
                                             targets=("president",)))[0]
    sig = letter.signature_image
    assert sig.kind in ("png", "jpeg") and max(sig.width_px, sig.height_px) <= 2000
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(render(letter, "pdf"))).pages[0].images) == 1
    import docx

    assert len(docx.Document(io.BytesIO(render(letter, "docx"))).inline_shapes) == 1


# --- the command line -------------------------------------------------------------------------


def _compose(runner, app, tmp_path, *args, input=None):
    result = runner.invoke(app, ["compose", "ua-100.21", "--name", "Ana", "--no-record",
                                 "--out", str(tmp_path / "out"), *map(str, args)], input=input)
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit), result.exception
    return result


@pytest.mark.parametrize("option", ["--signature", "--note-file", "--body-file"])
def test_a_folder_or_missing_file_is_an_error_not_a_traceback(runner, app, tmp_path, option):
    for path in (tmp_path, tmp_path / "missing.txt"):
        result = _compose(runner, app, tmp_path, option, path)
        assert result.exit_code == 1 and "Cannot read" in result.output
    assert files_in(tmp_path / "out") == []


def test_an_empty_signature_file_is_an_error(runner, app, tmp_path):
    (tmp_path / "sig.png").write_bytes(b"")
    result = _compose(runner, app, tmp_path, "--signature", tmp_path / "sig.png")
    assert result.exit_code == 1 and "signature: the file is empty" in result.output


@pytest.mark.parametrize("option", ["--note-file", "--body-file"])
def test_a_huge_text_file_is_refused_without_reading_it(runner, app, tmp_path, option):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # sparse: 50 MB on the file system, no time to write
        fh.truncate(50_000_000)
    result = _compose(runner, app, tmp_path, option, big)
    assert result.exit_code == 1 and "larger than 256 KB" in result.output
    result = _compose(runner, app, tmp_path, option, "-", input=b"a" * 300_000)
    assert result.exit_code == 1 and "larger than 256 KB" in result.output


@pytest.mark.parametrize("out", ["file", "file/sub", "/dev/null"])
def test_out_that_is_not_a_folder(runner, app, tmp_path, out):
    (tmp_path / "file").write_text("x")
    target = out if out.startswith("/") else str(tmp_path / out)
    result = runner.invoke(app, ["compose", "ua-100.21", "--name", "Ana", "--no-record",
                                 "--out", target])
    assert result.exit_code == 1 and "Cannot create the output folder" in result.output
    assert (tmp_path / "file").read_text() == "x"


def test_unicode_out_folder(runner, app, tmp_path):
    result = runner.invoke(app, ["compose", "ua-100.21", "--name", "Ana", "--no-record",
                                 "--format", "txt", "--out", str(tmp_path / "cartas ñ 😀")])
    assert result.exit_code == 0 and len(files_in(tmp_path / "cartas ñ 😀")) == 2


@pytest.mark.parametrize("date", ["2021-13-01", "2021-02-29", "0000-01-01", "x", ""])
def test_odd_dates_are_usage_errors(runner, app, tmp_path, date):
    result = _compose(runner, app, tmp_path, "--date", date)
    assert result.exit_code == 2 and "--date" in result.output
