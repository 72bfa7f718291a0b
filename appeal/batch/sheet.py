"""Read a sign-up sheet (CSV as people export it, or .xlsx) into rows with line numbers.

Spreadsheet programs export CSV in many shapes: UTF-8 with or without a BOM, UTF-16 with tabs
("Unicode text"), ``;`` in European locales, quoted cells with line breaks. The delimiter is
taken from the header line (``csv.Sniffer`` guesses wrong on real files) and the encoding is
never guessed silently: bytes that are not UTF-8 stop the run with the line and byte, so the
organizer can say ``--encoding cp1252`` instead of printing letters with mangled names.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AppealError
from ..i18n import _

FIELDS = ("name", "city", "country", "language", "to", "note", "email", "address")
REQUIRED = ("name",)
# Header spellings (compared without case, accents, spaces, '-' or '_').
ALIASES = {
    "name": ("name", "fullname", "nombre", "nombrecompleto", "nombreyapellidos", "firma",
             "nom", "signature"),
    "city": ("city", "town", "ciudad", "localidad", "municipio", "poblacion", "ville"),
    "country": ("country", "countrycode", "pais", "codigopais", "pays"),
    "language": ("language", "lang", "idioma", "lengua", "langue"),
    "to": ("to", "target", "targets", "para", "destinatario", "destinatarios", "a"),
    "note": ("note", "notes", "message", "nota", "notas", "mensaje", "comentario"),
    "email": ("email", "mail", "emailaddress", "correo", "correoelectronico", "courriel"),
    "address": ("address", "postaladdress", "direccion", "domicilio", "direccionpostal",
                "adresse"),
}
_LOOKUP = {alias: canonical for canonical, names in ALIASES.items() for alias in names}
_DELIMITERS = (",", ";", "\t", "|")
MAX_BYTES = 50_000_000
MAX_ROWS = 20_000  # rows of a spreadsheet read (blank ones included): a big letter night


@dataclass(frozen=True)
class SheetRow:
    line: int  # where the row starts in the file (CSV line or spreadsheet row), for messages
    cells: dict[str, str]  # canonical field -> raw cell text (only columns we know)


@dataclass
class Sheet:
    path: Path
    rows: list[SheetRow]
    blank_rows: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, reason) per bad row
    kind: str = "csv"  # "csv" or "xlsx"
    encoding: str = "utf-8"
    delimiter: str = ","

    def where(self, line: int) -> str:
        return f"{self.path.name}:{line}"


def header_key(text: str) -> str:
    """'País ', 'Correo electrónico', 'E-mail' -> 'pais', 'correoelectronico', 'email'."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in plain if c.isalnum())


def _error(sheet_name: str, line: int, message: str, hint: str | None = None) -> AppealError:
    return AppealError(f"{sheet_name}:{line}: {message}", hint)


def _map_header(name: str, header: list[str], line: int) -> tuple[dict[int, str], list[str]]:
    """Column index -> canonical field, and the header cells we do not know."""
    columns: dict[int, str] = {}
    seen: dict[str, str] = {}
    unknown: list[str] = []
    for index, raw in enumerate(header):
        label = raw.strip().lstrip("\ufeff").strip()
        if not label:
            continue
        canonical = _LOOKUP.get(header_key(label))
        if canonical is None:
            unknown.append(label)
            continue
        if canonical in seen:
            raise _error(name, line, _("the columns '{first}' and '{second}' both give the "
                                       "{field}.").format(first=seen[canonical], second=label,
                                                          field=canonical),
                         _("Keep one of them and run again."))
        seen[canonical] = label
        columns[index] = canonical
    missing = [f for f in REQUIRED if f not in seen]
    if missing:
        raise _error(name, line, _("there is no '{field}' column (the header has: {found}).")
                     .format(field=missing[0], found=", ".join(h.strip() for h in header if
                                                             h.strip()) or _("nothing")),
                     _("The first row must name the columns: name (or nombre), city, country, "
                       "language, to, note, email, address."))
    return columns, unknown


def _collect(sheet: Sheet, records) -> Sheet:
    """Turn ``(line, cells)`` records (header first) into rows; count blanks."""
    records = iter(records)
    for line, header in records:
        if any(c.strip() for c in header):
            break
    else:
        raise _error(sheet.path.name, 1, _("the file is empty."),
                     _("Export the sign-up sheet with a header row and one row per person."))
    columns, sheet.unknown_columns = _map_header(sheet.path.name, header, line)
    width = len(header)
    for line, cells in records:
        if not any(c.strip() for c in cells):
            sheet.blank_rows += 1
            continue
        extra = [c for c in cells[width:] if c.strip()]
        if extra:
            sheet.problems.append((line, _("this row has more cells than the header has "
                                           "columns (is a cell missing its quotes?).")))
            continue
        sheet.rows.append(SheetRow(line, {
            canonical: cells[i] for i, canonical in columns.items() if i < len(cells)
        }))
    return sheet


def read_sheet(path: Path, encoding: str | None = None) -> Sheet:
    """Read ``path`` as .xlsx (by content, whatever its name) or as delimited text."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise AppealError(_("Cannot read {path}: {error}").format(
            path=path, error=exc.strerror or exc))
    if len(raw) > MAX_BYTES:
        raise AppealError(_("{path} is larger than 50 MB; is it really a sign-up sheet?")
                          .format(path=path))
    if raw.startswith(b"PK\x03\x04"):
        return _read_xlsx(path, raw)
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise AppealError(_("{path} is an old Excel .xls workbook.").format(path=path),
                          _("Save it as .xlsx or as 'CSV UTF-8' and run again."))
    text, used = _decode(path, raw, encoding)
    return _read_csv(path, text, used)


def _decode(path: Path, raw: bytes, encoding: str | None) -> tuple[str, str]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        name = "utf-16"
    elif raw.startswith(b"\xef\xbb\xbf"):
        name = "utf-8-sig"
    elif encoding:
        name = encoding
    else:
        name = "utf-8"
    try:
        return raw.decode(name), name
    except LookupError:
        raise AppealError(_("Unknown encoding '{encoding}'.").format(encoding=encoding),
                          _("Try utf-8, cp1252, latin-1 or utf-16."), exit_code=2)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = raw[exc.start]
        if b"\x00" in raw[:200] and name.startswith("utf-8"):
            hint = _("It looks like UTF-16 without a byte order mark: use --encoding utf-16.")
        else:
            hint = _("If it was saved by Excel as plain 'CSV', run again with --encoding cp1252 "
                     "(or save it as 'CSV UTF-8').")
        raise AppealError(
            _("{where}: the file is not {encoding} text: byte 0x{byte:02X} at byte {column} of "
              "line {line} cannot be read.").format(where=f"{path.name}:{line}", encoding=name,
                                                    byte=byte, column=column, line=line),
            hint,
        )


def _header_delimiter(text: str) -> str:
    """The delimiter that splits the header line into the most cells (outside quotes)."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for ch in first:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(path: Path, text: str, encoding: str) -> Sheet:
    delimiter = _header_delimiter(text)
    sheet = Sheet(path=path, rows=[], encoding=encoding, delimiter=delimiter)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter,
                        strict=True)

    def records():
        start = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if "end of data" in str(exc) or "EOF" in str(exc):
                    raise _error(path.name, start, _("a quoted cell that starts on this row is "
                                                     "never closed."),
                                 _("Check the quotes (\") on this row: every opening quote "
                                   "needs a closing one."))
                raise _error(path.name, reader.line_num, _("cannot read this row: {error}.")
                             .format(error=exc),
                             _("Check the quotes (\") on this row."))
            yield start, cells
            start = reader.line_num + 1

    return _collect(sheet, records())


def _cell_text(value) -> str:
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path, raw: bytes) -> Sheet:
    """The first worksheet, streamed: only the columns the header uses, at most
    :data:`MAX_ROWS` rows (a declared ``A1:XFD1048576`` pads nothing)."""
    book = _open_xlsx(path, raw, data_only=True)
    try:
        ws = book.worksheets[0]
        ws.reset_dimensions()
        sheet = Sheet(path=path, rows=[], kind="xlsx", encoding="xlsx", delimiter="")
        return _collect(sheet, _xlsx_records(path, raw, ws, sheet))
    finally:
        book.close()


def _open_xlsx(path: Path, raw: bytes, data_only: bool):
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(raw), read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign zip
        raise AppealError(_("{path} looks like a zip file but is not a readable .xlsx workbook "
                            "({error}).").format(path=path, error=exc),
                          _("Open it in a spreadsheet program and save it as .xlsx or 'CSV "
                            "UTF-8'."))


def _xlsx_records(path: Path, raw: bytes, ws, sheet: Sheet):
    """``(row number, cells as text)``, header first. A row whose name cell holds a number, a
    date or a yes/no value goes to the problems, naming the cell; so does one whose name cell
    is a formula the spreadsheet program never saved a value for (it reads as empty: the
    formulas are read, in a second pass, only when a name cell is empty)."""
    from openpyxl.utils import get_column_letter

    header_line, header = 0, []
    for header_line, row in enumerate(ws.iter_rows(values_only=True), start=1):
        _check_row_cap(path, header_line)
        header = [_cell_text(v) for v in row]
        if any(c.strip() for c in header):
            break
    else:
        return
    width = max(i + 1 for i, c in enumerate(header) if c.strip())
    yield header_line, header[:width]
    columns, _unknown = _map_header(path.name, header[:width], header_line)
    width = max(columns) + 1  # columns after the last one appeal reads are never read
    name_at = next(i for i, f in columns.items() if f == "name")
    letter = get_column_letter(name_at + 1)
    records: list[tuple[int, list]] = []
    empty_names: set[int] = set()
    for line, row in enumerate(ws.iter_rows(min_row=header_line + 1, max_col=width,
                                            values_only=True), start=header_line + 1):
        _check_row_cap(path, line)
        value = row[name_at] if name_at < len(row) else None
        if _typed(value):
            sheet.problems.append((line, _(
                "cell {cell} in the name column holds {kind} ({value}), not a name.").format(
                cell=f"{letter}{line}", kind=_typed(value), value=_cell_text(value))))
            continue
        if value is None and any(v is not None for v in row):
            empty_names.add(line)
        records.append((line, row))
    unsaved = _unsaved_formulas(path, raw, header_line, name_at, empty_names)
    for line, row in records:
        if line in unsaved:
            sheet.problems.append((line, _(
                "cell {cell} has a formula ({formula}) whose value was never saved; open the "
                "file in a spreadsheet program and save it again, or type the value.").format(
                cell=f"{letter}{line}", formula=unsaved[line][:60])))
            continue
        yield line, [_cell_text(v) for v in row]


def _unsaved_formulas(path: Path, raw: bytes, header_line: int, column: int,
                      lines: set[int]) -> dict[int, str]:
    """The formulas of ``column`` on ``lines`` (rows where it read as empty)."""
    if not lines:
        return {}
    book = _open_xlsx(path, raw, data_only=False)
    found: dict[int, str] = {}
    try:
        ws = book.worksheets[0]
        ws.reset_dimensions()
        rows = ws.iter_rows(min_row=header_line + 1, max_row=max(lines), min_col=column + 1,
                            max_col=column + 1, values_only=True)
        for line, (value,) in enumerate(rows, start=header_line + 1):
            if line in lines and isinstance(value, str) and value.startswith("="):
                found[line] = value
    finally:
        book.close()
    return found


def _typed(value) -> str:
    """What a spreadsheet cell holds when it is not text: 'a date', 'a number', 'yes/no'."""
    import datetime as dt

    if isinstance(value, bool):
        return _("a yes/no value")
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        return _("a date or time")
    if isinstance(value, (int, float)):
        return _("a number")
    return ""


def _count(n: int) -> str:
    from babel.numbers import format_decimal

    from ..i18n import current_language

    return format_decimal(n, locale=current_language())


def _check_row_cap(path: Path, line: int) -> None:
    if line > MAX_ROWS:
        raise _error(path.name, line, _("the sheet goes on past row {n}; a sign-up sheet has "
                                        "one row per person.").format(n=_count(MAX_ROWS)),
                     _("Delete the rows after the last person (or split the sheet) and run "
                       "again."))
