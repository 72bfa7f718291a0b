"""Hostile or odd .xlsx sign-up sheets: read in bounded time, only the used columns, with a row
cap; cells that are not names are refused naming the cell."""

from __future__ import annotations

import datetime as dt
import re
import time
import zipfile

import pytest
from openpyxl import Workbook

from appeal.batch.sheet import read_sheet
from appeal.errors import AppealError

MAX_SECONDS = 30  # loose: each of these takes a few seconds at most on a busy machine


def _save(tmp_path, wb, name="s.xlsx"):
    path = tmp_path / name
    wb.save(path)
    return path


def _rewrite_sheet(path, edit) -> None:
    """Rewrite xl/worksheets/sheet1.xml of a saved workbook with ``edit(xml) -> xml``."""
    with zipfile.ZipFile(path) as src:
        members = {n: src.read(n) for n in src.namelist()}
    members["xl/worksheets/sheet1.xml"] = edit(members["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for name, data in members.items():
            dst.writestr(name, data)


def test_a_declared_a1_xfd1048576_range_is_not_padded(tmp_path):
    wb = Workbook()
    wb.active.append(["name", "city"])
    wb.active.append(["Ana", "Oaxaca"])
    path = _save(tmp_path, wb)
    _rewrite_sheet(path, lambda xml: re.sub(rb'<dimension ref="[^"]*"/>',
                                            b'<dimension ref="A1:XFD1048576"/>', xml))
    start = time.monotonic()
    sheet = read_sheet(path)
    assert time.monotonic() - start < MAX_SECONDS
    assert [r.cells for r in sheet.rows] == [{"name": "Ana", "city": "Oaxaca"}]


def test_a_5kb_file_with_one_far_cell_stops_at_the_row_cap(tmp_path):
    wb = Workbook()
    wb.active.append(["name", "city"])
    wb.active.append(["Ana", "Oaxaca"])
    wb.active["XFD1048576"] = "far"
    path = _save(tmp_path, wb)
    assert path.stat().st_size < 6_000
    start = time.monotonic()
    with pytest.raises(AppealError, match=r"s.xlsx:20001: the sheet goes on past row 20,000"):
        read_sheet(path)
    assert time.monotonic() - start < MAX_SECONDS


def test_a_header_cell_in_the_last_column_does_not_widen_every_row(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["name", "city"])
    ws["XFD1"] = "far"
    for n in range(2, 5002):
        ws.append([f"Person {n}", "Oaxaca"])
    start = time.monotonic()
    sheet = read_sheet(_save(tmp_path, wb))
    assert time.monotonic() - start < MAX_SECONDS
    assert len(sheet.rows) == 5000 and sheet.unknown_columns == ["far"]
    assert sheet.rows[-1].cells == {"name": "Person 5001", "city": "Oaxaca"}


def test_a_real_sheet_of_1048576_rows_stops_at_the_row_cap(tmp_path):
    wb = Workbook()
    wb.active.append(["name"])
    path = _save(tmp_path, wb)
    row = b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>Person</t></is></c></row>'
    rows = b"".join([row % (n, n) for n in range(2, 1_048_577)])
    _rewrite_sheet(path, lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>"))
    start = time.monotonic()
    with pytest.raises(AppealError, match="past row 20,000") as err:
        read_sheet(path)
    assert time.monotonic() - start < MAX_SECONDS
    assert "Delete the rows after the last person" in err.value.hint


def test_cells_that_are_not_names_are_refused_naming_the_cell(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["city", "nombre"])
    ws.append(["Oaxaca", "Ana"])
    ws.append(["León", dt.datetime(2024, 5, 1)])
    ws.append(["Puebla", 42])
    ws.append(["Quito", True])
    ws.append(["Lima", "Luis"])
    sheet = read_sheet(_save(tmp_path, wb))
    assert [r.cells["name"] for r in sheet.rows] == ["Ana", "Luis"]
    assert sheet.problems == [
        (3, "cell B3 in the name column holds a date or time (2024-05-01), not a name."),
        (4, "cell B4 in the name column holds a number (42), not a name."),
        (5, "cell B5 in the name column holds a yes/no value (True), not a name."),
    ]


def test_numbers_elsewhere_are_still_text(tmp_path):
    wb = Workbook()
    wb.active.append(["name", "note"])
    wb.active.append(["Ana", 1234])
    assert read_sheet(_save(tmp_path, wb)).rows[0].cells == {"name": "Ana", "note": "1234"}


def test_a_formula_without_a_saved_value_says_so(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["first", "last", "name"])
    ws.append(["Ana", "Ruiz", "=A2&\" \"&B2"])  # openpyxl saves formulas without their value
    ws.append(["Luis", "Paz", "Luis Paz"])
    sheet = read_sheet(_save(tmp_path, wb))
    assert [r.cells["name"] for r in sheet.rows] == ["Luis Paz"]
    assert sheet.problems == [(2, 'cell C2 has a formula (=A2&" "&B2) whose value was never '
                                  "saved; open the file in a spreadsheet program and save it "
                                  "again, or type the value.")]


def test_a_formula_with_its_saved_value_reads_the_value(tmp_path):
    wb = Workbook()
    wb.active.append(["name"])
    wb.active.append(["=\"Ana\""])
    path = _save(tmp_path, wb)
    _rewrite_sheet(path, lambda xml: xml.replace(b"<v></v>", b"<v>Ana Ruiz</v>")
                   .replace(b'<c r="A2"', b'<c r="A2" t="str"'))
    sheet = read_sheet(path)
    assert sheet.problems == [] and sheet.rows[0].cells == {"name": "Ana Ruiz"}
