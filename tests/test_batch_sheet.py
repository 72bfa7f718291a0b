"""Reading sign-up sheets as spreadsheet programs export them."""

import pytest
from openpyxl import Workbook

from appeal.batch.sheet import read_sheet
from appeal.errors import AppealError


def write(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_bom_semicolon_spanish_headers(tmp_path):
    p = write(tmp_path, "a.csv", "\ufeffNombre ;Ciudad;PAÍS;Correo electrónico\r\n"
              "Ana García;Oaxaca;MX;ana@x.mx\r\n".encode("utf-8"))
    sheet = read_sheet(p)
    assert sheet.delimiter == ";" and sheet.encoding == "utf-8-sig"
    assert sheet.rows[0].cells == {"name": "Ana García", "city": "Oaxaca", "country": "MX",
                                   "email": "ana@x.mx"}
    assert sheet.rows[0].line == 2


def test_utf16_tabs(tmp_path):
    p = write(tmp_path, "a.txt", "name\tcity\r\nZoë Ñandú\tKöln\r\n".encode("utf-16"))
    sheet = read_sheet(p)
    assert sheet.delimiter == "\t" and sheet.rows[0].cells["name"] == "Zoë Ñandú"


def test_cp1252_names_line_and_byte_then_works_with_encoding(tmp_path):
    p = write(tmp_path, "a.csv", "name,city\r\nAna,Oaxaca\r\nJosé,León\r\n".encode("cp1252"))
    with pytest.raises(AppealError) as exc:
        read_sheet(p)
    assert exc.value.message.startswith("a.csv:3:")
    assert "byte 4" in exc.value.message and "0xE9" in exc.value.message
    assert "--encoding cp1252" in exc.value.hint
    assert read_sheet(p, "cp1252").rows[1].cells["name"] == "José"


def test_embedded_newlines_keep_line_numbers(tmp_path):
    p = write(tmp_path, "a.csv", b'name,address,note\nAna,"Calle 1\n68000 Oaxaca","a\n\nb"\n'
              b'Bob,,\n')
    sheet = read_sheet(p)
    assert sheet.rows[0].cells["address"] == "Calle 1\n68000 Oaxaca"
    assert [r.line for r in sheet.rows] == [2, 6]


def test_blank_rows_counted_and_unknown_columns_reported_once(tmp_path):
    p = write(tmp_path, "a.csv", b"name,Shirt size,Comments\nAna,M,x\n,,\n\nBob,L,y\n")
    sheet = read_sheet(p)
    assert sheet.blank_rows == 2 and len(sheet.rows) == 2
    assert sheet.unknown_columns == ["Shirt size", "Comments"]


@pytest.mark.parametrize("data,line,words", [
    (b"name,Nombre\nAna,Ana\n", 1, "both give"),
    (b"city,country\nOaxaca,MX\n", 1, "no 'name' column"),
    (b'name,city\nAna,Oaxaca\nBob,"Austin\nCarla,Lyon\n', 3, "never closed"),
])
def test_header_and_quote_errors_have_line_numbers(tmp_path, data, line, words):
    p = write(tmp_path, "s.csv", data)
    with pytest.raises(AppealError) as exc:
        read_sheet(p)
    assert exc.value.message.startswith(f"s.csv:{line}:") and words in exc.value.message


def _xlsx(path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Nombre", "Ciudad", "País", "Teléfono"])
    ws.append(["Ana García", "Oaxaca", "MX", 5551234])
    ws.append([None, None, None, None])
    ws.append(["Bob", "Austin", "US", None])
    wb.save(path)


def test_xlsx(tmp_path):
    _xlsx(tmp_path / "s.xlsx")
    sheet = read_sheet(tmp_path / "s.xlsx")
    assert sheet.kind == "xlsx" and [r.line for r in sheet.rows] == [2, 4]
    assert sheet.blank_rows == 1 and sheet.unknown_columns == ["Teléfono"]


def test_xlsx_disguised_as_csv(tmp_path):
    _xlsx(tmp_path / "s.csv")
    sheet = read_sheet(tmp_path / "s.csv")
    assert sheet.kind == "xlsx" and sheet.rows[0].cells["name"] == "Ana García"


@pytest.mark.parametrize("language, to, country, expect", [
    ("Español", "presidente", "México", ("es", "president", "MX")),
    ("inglés", "Moctezuma", "Estados Unidos", ("en", "ambassador", "US")),
    ("Français", "President", "Allemagne", ("fr", "president", "DE")),
    ("spanish", "embajador, presidente", "USA", ("es", "ambassador+president", "US")),
    ("fr", "López Obrador", "mx", ("fr", "president", "MX")),
])
def test_cells_as_people_type_them(tmp_path, language, to, country, expect):
    """Languages, targets and countries by name in es/en/fr (CLDR names via Babel)."""
    import datetime as dt

    from appeal.api import load_case
    from appeal.batch import BatchOptions, run_batch

    src = tmp_path / "s.csv"
    src.write_text(f"name;language;to;country\r\nAna;{language};{to};{country}\r\n", "utf-8")
    result = run_batch(load_case("ua-100.21"), src, tmp_path / "o", BatchOptions(
        date=dt.date(2021, 11, 1), formats=("txt",), dry_run=True))
    assert result.ok, result.failed_rows
    lang, targets, code = expect
    assert {j.letter.lang.split("-")[0] for j in result.jobs} == {lang}
    assert [j.letter.target_id for j in result.jobs] == targets.split("+")
    assert {j.supporter.country for j in result.jobs} == {code}


@pytest.mark.parametrize("cell, column, expect", [
    ("Espanol2", "language", "Did you mean 'español'?"),
    ("Mexco", "country", "Did you mean 'Mexico'?"),
    ("presidnet", "to", "Did you mean 'president'?"),
])
def test_cells_not_understood_say_what_was_meant(tmp_path, cell, column, expect):
    import datetime as dt

    from appeal.api import load_case
    from appeal.batch import BatchOptions, run_batch

    src = tmp_path / "s.csv"
    src.write_text(f"name;{column}\r\nAna;{cell}\r\n", "utf-8")
    result = run_batch(load_case("ua-100.21"), src, tmp_path / "o", BatchOptions(
        date=dt.date(2021, 11, 1), formats=("txt",), dry_run=True))
    [(line, reason)] = result.failed_rows
    assert line == 2 and cell in reason
    # The reason is one line in the manifest; the hint with the suggestion is kept with it.
    assert expect in reason
