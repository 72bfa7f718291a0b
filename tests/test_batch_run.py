"""``appeal batch`` end to end, through the library API and the CLI, reading the files back."""

import csv
import datetime as dt
import errno
import io
import os

import docx
import pytest
import typer
from pypdf import PdfReader
from typer.testing import CliRunner

from appeal.api import load_case
from appeal.batch import BatchOptions, run_batch
from appeal.batch import write as batch_write
from appeal.cli.batch import register
from appeal.errors import AppealError

DATE = "2021-11-01"
HEADER = "\ufeffNombre;Ciudad;País;Idioma;Para;Nota;Correo;Dirección\r\n"


@pytest.fixture(scope="module")
def case():
    return load_case("ua-100.21")


def sheet(tmp_path, rows, name="asistentes.csv", header=HEADER, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes((header + "".join(r + "\r\n" for r in rows)).encode(encoding))
    return p


def cli(*args):
    app = typer.Typer()
    register(app)

    @app.command("noop")
    def _noop():  # a second command keeps "batch" a subcommand, as in the real app
        pass

    return CliRunner().invoke(app, ["batch", *map(str, args)])


def pages(path):
    return [p.extract_text() for p in PdfReader(path).pages]


def manifest(out, encoding="utf-8-sig"):
    """The manifest's rows; it uses the sheet's delimiter (these sheets use ';' or ',')."""
    with (out / "manifest.csv").open(encoding=encoding, newline="") as fh:
        text = fh.read()
    delimiter = ";" if ";" in text.split("\n", 1)[0] else ","
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


ROWS = [
    'Ana García;Oaxaca;MX;;president;Mi propia nota.;ana@example.mx;"Calle Reforma 12\n68000 Oaxaca"',
    ";;;;;;;",
    "Bob Smith;Austin;US;en;ambassador;;;",
    "Ana García;Puebla;MX;;president;;;",
]


def test_spanish_excel_csv_makes_the_pack(tmp_path, case):
    out = tmp_path / "night"
    r = cli("ua-100.21", sheet(tmp_path, ROWS), "--out", out, "--date", DATE)
    assert r.exit_code == 0, r.output
    assert "Made 3 letters" in r.output and "1 blank row skipped" in r.output
    rows = manifest(out)
    assert [(m["row"], m["target"], m["language"], m["status"]) for m in rows] == [
        ("2", "president", "es-MX", "made"), ("5", "ambassador", "en-US", "made"),
        ("6", "president", "es-MX", "made")]
    files = [f for m in rows for f in m["files"].split(" ")]
    assert len(files) == 6 and all((out / f).is_file() for f in files)
    # Two attendees called Ana García: two distinct files.
    assert len({f for f in files if "Ana" in f}) == 4
    text = pages(out / "print-all.pdf")
    assert len(text) == 3
    assert "Ana García" in text[0] and "Mi propia nota." in text[0] and "Bob Smith" in text[1]
    assert "Puebla" in text[2]
    d = docx.Document(out / rows[0]["files"].split(" ")[1])
    assert any("Mi propia nota." in p.text for p in d.paragraphs)
    assert d.core_properties.language == "es-MX"
    for pdf in out.glob("letters/*.pdf"):
        assert len(PdfReader(pdf).pages) == 1
    cover = "\n".join(pages(out / "cover.pdf"))
    assert "3 letters in print-all.pdf" in cover and "Post by: 2021-12-26" in cover  # all domestic: 5 days


def test_envelopes_airmail_only_across_borders_and_labels(tmp_path, case):
    out = tmp_path / "o"
    rows = ["Ana;Oaxaca;MX;;;;;\"Calle 1\n68000 Oaxaca\""]  # two targets: MX and US
    run_batch(case, sheet(tmp_path, rows), out, BatchOptions(date=dt.date(2021, 11, 1),
                                                             formats=("pdf",)))
    env = pages(out / "envelopes.pdf")
    assert len(env) == 2
    assert "POR AVIÓN" not in env[0] and "Palacio Nacional" in env[0]  # MX -> MX
    assert "POR AVIÓN / PAR AVION" in env[1] and "ESTADOS UNIDOS" in env[1]  # MX -> US
    assert "Calle 1" in env[0]  # return address
    assert len(PdfReader(out / "labels.pdf").pages) == 1


def test_labels_sheet_sizes(tmp_path, case):
    out = tmp_path / "o"
    rows = [f"Persona {i};Madrid;ES;;president;;;" for i in range(22)]
    run_batch(case, sheet(tmp_path, rows), out, BatchOptions(date=dt.date(2021, 11, 1),
                                                             formats=("pdf",)))
    labels = PdfReader(out / "labels.pdf")
    assert len(labels.pages) == 2  # 3 x 7 on A4
    assert round(float(labels.pages[0].mediabox.width)) == 595
    text = labels.pages[1].extract_text()
    assert "Palacio Nacional" in text and "MÉXICO" in text


def test_bad_row_reported_others_made_exit_nonzero(tmp_path, case):
    rows = ["Ana;Oaxaca;MX;;;;;", "Bob;Austin;Mexicoo City;;;;;", "Carla;Lyon;FR;;nobody;;;",
            "Dana;Lyon;FR;;;;no-at-sign;"]
    out = tmp_path / "o"
    r = cli("ua-100.21", sheet(tmp_path, rows), "--out", out, "--date", DATE)
    assert r.exit_code == 1
    assert ("asistentes.csv:3: country: 'Mexicoo City' is not a country name or code. Did you "
            "mean 'Mexico'?") in r.output
    assert "asistentes.csv:4: Case ua-100.21 has no target 'nobody'." in r.output
    assert "asistentes.csv:5: email:" in r.output
    assert len(pages(out / "print-all.pdf")) == 2
    statuses = [(m["row"], m["status"]) for m in manifest(out)]
    assert statuses == [("2", "made"), ("2", "made"), ("3", "failed"), ("4", "failed"),
                        ("5", "failed")]


def test_formula_cells_defused_in_manifest(tmp_path, case):
    rows = ['=HYPERLINK("http://x");Oaxaca;MX;;president;;;', "@SUM(A1);Oaxaca;MX;;president;;;",
            "+1 Ana;Oaxaca;MX;;president;;;"]
    out = tmp_path / "o"
    run_batch(case, sheet(tmp_path, rows), out, BatchOptions(date=dt.date(2021, 11, 1),
                                                             formats=("pdf",)))
    names = [m["name"] for m in manifest(out)]
    assert names == ["'=HYPERLINK(\"http://x\")", "'@SUM(A1)", "'+1 Ana"]
    assert all(not m["files"].startswith(("=", "+", "-", "@")) for m in manifest(out))


def test_resume_skips_unchanged_and_force_remakes(tmp_path, case):
    src = sheet(tmp_path, ["Ana;Oaxaca;MX;;president;;;", "Bob;Austin;US;;president;;;"])
    out = tmp_path / "o"
    opts = BatchOptions(date=dt.date(2021, 11, 1))
    first = run_batch(case, src, out, opts)
    assert first.made == 2
    pdf = out / "letters" / first.jobs[0].paths["pdf"].name
    stamp = pdf.stat().st_mtime_ns
    again = run_batch(case, src, out, opts)
    assert (again.made, again.unchanged) == (0, 2)
    assert pdf.stat().st_mtime_ns == stamp
    assert len(pages(out / "print-all.pdf")) == 2  # the print file still has every letter
    sheet(tmp_path, ["Ana;Oaxaca;MX;;president;Nueva nota;;", "Bob;Austin;US;;president;;;"])
    changed = run_batch(case, src, out, opts)
    assert (changed.made, changed.unchanged) == (1, 1)
    forced = run_batch(case, src, out, BatchOptions(date=dt.date(2021, 11, 1), force=True))
    assert forced.made == 2


def test_files_not_made_by_batch_are_not_overwritten(tmp_path, case):
    src = sheet(tmp_path, ["Ana;Oaxaca;MX;;president;;;"])
    out = tmp_path / "o"
    plan = run_batch(case, src, out, BatchOptions(date=dt.date(2021, 11, 1), dry_run=True))
    target = plan.jobs[0].paths["pdf"]
    target.parent.mkdir(parents=True)
    target.write_bytes(b"someone else's")
    result = run_batch(case, src, out, BatchOptions(date=dt.date(2021, 11, 1)))
    assert result.made == 0 and "--force" in result.failed_rows[0][1]
    assert target.read_bytes() == b"someone else's"


def test_dry_run_writes_nothing(tmp_path, case):
    out = tmp_path / "o"
    r = cli("ua-100.21", sheet(tmp_path, ROWS), "--out", out, "--dry-run", "--date", DATE)
    assert r.exit_code == 0, r.output
    assert "Dry run: 3 letters would be made" in r.output
    assert not out.exists()


def test_limit_and_blank(tmp_path, case):
    out = tmp_path / "o"
    r = cli("ua-100.21", sheet(tmp_path, ROWS), "--out", out, "--limit", "2", "--blank", "1",
            "--to", "president", "--date", DATE, "--format", "pdf")
    assert r.exit_code == 0, r.output
    rows = manifest(out)
    # --limit counts attendees (rows, not letters); the blank letters come on top.
    assert [m["row"] for m in rows] == ["2", "5", "blank"]
    only_blanks = tmp_path / "o3"
    r = cli("ua-100.21", sheet(tmp_path, ROWS), "--out", only_blanks, "--limit", "0",
            "--blank", "3", "--to", "president", "--date", DATE, "--format", "pdf")
    assert r.exit_code == 0, r.output
    assert [m["row"] for m in manifest(only_blanks)] == ["blank"] * 3
    assert len(pages(only_blanks / "print-all.pdf")) == 3
    two_targets = tmp_path / "o4"
    r = cli("ua-100.21", sheet(tmp_path, ROWS), "--out", two_targets, "--limit", "1",
            "--date", DATE, "--format", "pdf")
    assert r.exit_code == 0, r.output
    assert [m["row"] for m in manifest(two_targets)] == ["2"]  # one row, its letters
    out2 = tmp_path / "o2"
    r = cli("ua-100.21", sheet(tmp_path, ROWS), "--out", out2, "--blank", "2", "--to",
            "president", "--date", DATE, "--format", "pdf")
    text = pages(out2 / "print-all.pdf")
    assert len(text) == 5 and "____" in text[3] and "____" in text[4]
    assert [m["row"] for m in manifest(out2)][-2:] == ["blank", "blank"]


def test_duplex_pads_to_front_sides(tmp_path, case):
    out = tmp_path / "o"
    run_batch(case, sheet(tmp_path, ROWS), out, BatchOptions(date=dt.date(2021, 11, 1),
                                                             duplex=True, formats=("pdf",)))
    text = pages(out / "print-all.pdf")
    assert len(text) == 6
    assert "Ana" in text[0] and text[1].strip() == "" and "Bob" in text[2]


def test_utf16_and_cp1252_through_cli(tmp_path, case):
    utf16 = sheet(tmp_path, ["Zoë\tKöln\tDE"], "u.txt", header="name\tcity\tcountry\r\n",
                  encoding="utf-16")
    r = cli("ua-100.21", utf16, "--out", tmp_path / "a", "--to", "president", "--date", DATE)
    assert r.exit_code == 0, r.output
    cp = sheet(tmp_path, ["José;León;MX"], "w.csv", header="nombre;ciudad;pais\r\n",
               encoding="cp1252")
    r = cli("ua-100.21", cp, "--out", tmp_path / "b", "--date", DATE)
    assert r.exit_code == 1
    assert "w.csv:2:" in r.output and "--encoding cp1252" in r.output
    r = cli("ua-100.21", cp, "--out", tmp_path / "b", "--date", DATE, "--encoding", "cp1252")
    assert r.exit_code == 0, r.output
    assert "José" in pages(tmp_path / "b" / "print-all.pdf")[0]


def test_unknown_columns_reported_once(tmp_path, case):
    src = sheet(tmp_path, ["Ana;M;x", "Bob;L;y"], header="name;Talla;Camiseta\r\n")
    r = cli("ua-100.21", src, "--out", tmp_path / "o", "--to", "president", "--date", DATE)
    assert r.output.count("Talla") == 1 and "Camiseta" in r.output


def test_disk_full_says_how_many_were_made(tmp_path, case, monkeypatch):
    src = sheet(tmp_path, [f"P{i};Oaxaca;MX;;president;;;" for i in range(6)])
    out = tmp_path / "o"
    real = os.replace
    calls = []

    def replace(a, b):
        if os.path.basename(os.path.dirname(b)) != "letters":
            return real(a, b)  # the state record, written before any letter
        calls.append(b)
        if len(calls) > 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(a, b)

    monkeypatch.setattr(batch_write.os, "replace", replace)
    with pytest.raises(AppealError) as exc:
        run_batch(case, src, out, BatchOptions(date=dt.date(2021, 11, 1), formats=("pdf",),
                                               jobs=1))
    assert "disk is full" in exc.value.message and "3 letters were made" in exc.value.hint
    made = sorted(p.name for p in (out / "letters").iterdir())
    assert len(made) == 3 and not [p for p in out.rglob("*.tmp")]
    for name in made:
        assert len(PdfReader(out / "letters" / name).pages) == 1
    # Once there is space again, a rerun makes the rest.
    monkeypatch.setattr(batch_write.os, "replace", real)
    again = run_batch(case, src, out, BatchOptions(date=dt.date(2021, 11, 1), formats=("pdf",)))
    assert (again.made, again.unchanged) == (3, 3)


def test_interrupt_leaves_no_half_written_file(tmp_path, case, monkeypatch):
    src = sheet(tmp_path, [f"P{i};Oaxaca;MX;;president;;;" for i in range(5)])
    out = tmp_path / "o"
    import appeal.batch.write  # where a batch writes its letter files

    real_write = appeal.batch.write._write_all
    count = []

    def write(fd, data):
        count.append(1)
        if len(count) == 3:  # the third file: half written, then Ctrl-C
            real_write(fd, data[:100])
            raise KeyboardInterrupt
        return real_write(fd, data)

    monkeypatch.setattr(appeal.batch.write, "_write_all", write)
    with pytest.raises(AppealError) as exc:
        run_batch(case, src, out, BatchOptions(date=dt.date(2021, 11, 1), formats=("pdf",),
                                               jobs=1))
    assert exc.value.exit_code == 130 and "2 letters were made" in exc.value.hint
    assert not list(out.rglob("*.tmp"))
    for pdf in (out / "letters").glob("*.pdf"):
        assert len(PdfReader(pdf).pages) == 1


def test_two_workers_keep_print_order(tmp_path, case):
    rows = [f"Persona {i:03d};Madrid;ES;;;;;" for i in range(45)]
    out = tmp_path / "o"
    result = run_batch(case, sheet(tmp_path, rows), out,
                       BatchOptions(date=dt.date(2021, 11, 1), jobs=2, formats=("pdf", "docx")))
    assert result.made == 90 and result.ok
    text = pages(out / "print-all.pdf")
    assert len(text) == 90
    for i in (0, 44, 89):
        assert f"Persona {i // 2:03d}" in text[i]
    assert len(list((out / "letters").glob("*.docx"))) == 90


def test_letters_made_are_counted_once_in_the_tally(case, tmp_path):
    from appeal.ledger import Ledger

    path = sheet(tmp_path, ROWS)
    out = tmp_path / "night"
    first = run_batch(case, path, out, BatchOptions(formats=("txt",), blank=1, jobs=1))
    assert first.made == 5  # three rows and a blank letter for each of the two targets
    assert first.counted == 3  # blank letters count only once someone signs them (appeal record)
    again = run_batch(case, path, out, BatchOptions(formats=("txt",), blank=1, jobs=1, force=True))
    assert again.made == first.made and again.counted == 0  # a forced rerun counts nothing new
    with Ledger() as ledger:
        counted = {(t.target_id, t.channel): t.count for t in ledger.totals("ua-100.21")}
    assert counted == {("president", "letter"): 2, ("ambassador", "letter"): 1}  # namesakes: 2
    quiet = run_batch(case, path, tmp_path / "other",
                      BatchOptions(formats=("txt",), jobs=1, record=False))
    assert quiet.counted is None


def test_manifest_follows_the_sheets_convention_and_failed_rows_keep_their_name(tmp_path,
                                                                                  case):
    rows = ["Ana;Oaxaca;MX;;president;;;", "Zoë Bad;Lima;XX;;president;;;"]
    out = tmp_path / "semicolon"
    run_batch(case, sheet(tmp_path, rows), out, BatchOptions(date=dt.date(2021, 11, 1),
                                                             formats=("txt",)))
    raw = (out / "manifest.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfrow;target;") and b"\r\n" in raw  # Spanish Excel's
    failed = [m for m in manifest(out) if m["status"] == "failed"]
    assert [(m["row"], m["name"]) for m in failed] == [("3", "Zoë Bad")]
    comma = sheet(tmp_path, ["Ana,Oaxaca,MX"], "plain.csv", header="name,city,country\r\n")
    run_batch(case, comma, tmp_path / "comma", BatchOptions(date=dt.date(2021, 11, 1),
                                                            formats=("txt",)))
    assert (tmp_path / "comma" / "manifest.csv").read_bytes().startswith(b"row,target,")
    utf16 = sheet(tmp_path, ["Zoë\tKöln\tDE"], "u.txt", header="name\tcity\tcountry\r\n",
                  encoding="utf-16")
    run_batch(case, utf16, tmp_path / "u16", BatchOptions(date=dt.date(2021, 11, 1),
                                                          formats=("txt",)))
    text = (tmp_path / "u16" / "manifest.csv").read_bytes().decode("utf-16")
    assert text.startswith("row\ttarget\t") and "Zoë" in text


def test_deadline_warning_once_on_stderr(tmp_path, case):
    src = sheet(tmp_path, ["Ana;Oaxaca;MX;;president;;;"])
    r = cli("ua-100.21", src, "--out", tmp_path / "late", "--date", "2022-02-01",
            "--format", "txt")
    assert r.exit_code == 0, r.output
    assert r.stderr.count("deadline of this Urgent Action") == 1
    assert "deadline of this" not in r.stdout
    r = cli("ua-100.21", src, "--out", tmp_path / "early", "--date", DATE, "--format", "txt")
    assert "deadline of this" not in r.output
