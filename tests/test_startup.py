"""Start-up: what a single command imports and rebuilds, and that every shortcut gives what the
slow path gives (coercion, cached fonts, DOCX base and catalogs, shipped CLDR tables). No
timing here: speed is measured by benchmarks/bench_startup.py."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

HEAVY = ("reportlab", "docx", "pydantic", "yaml", "jinja2", "babel", "importlib.metadata",
         "typer._adapters", "phonenumbers", "PIL", "pymupdf_fonts")


def _loaded(prefixes, modules) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes))


def _python(code: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full = {**os.environ, "LANGUAGE": "en", **(env or {})}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=full, cwd=ROOT, timeout=120)


def test_importing_the_cli_imports_no_heavy_library():
    done = _python("import json, sys, appeal.cli.app; print(json.dumps(sorted(sys.modules)))")
    assert done.returncode == 0, done.stderr
    assert _loaded(HEAVY, json.loads(done.stdout)) == []


RUN = """
import json, os, sys
from appeal.cli import main
try:
    main()
except SystemExit:
    pass
with open(os.environ["MODULES_OUT"], "w") as fh:
    json.dump(sorted(sys.modules), fh)
"""


def _compose(tmp_path: Path, out: str, cache: str, modules: Path,
             *extra: str) -> subprocess.CompletedProcess:
    env = {"APPEAL_CACHE": cache, "APPEAL_LEDGER": str(tmp_path / "ledger.db"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "MODULES_OUT": str(modules)}
    return _python(RUN, "compose", "ua-100.21", "--name", "Ana García", *extra,
                   "--out", str(tmp_path / out), env=env)


def test_a_second_compose_reads_fonts_docx_base_and_catalogs_from_the_cache(tmp_path):
    cache = str(tmp_path / "cache")
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert _compose(tmp_path, "a", cache, first).returncode == 0
    done = _compose(tmp_path, "b", cache, second)
    assert done.returncode == 0, done.stderr
    modules = json.loads(second.read_text())
    # python-docx, the fonts' compressed modules, Babel's catalog compiler and Typer's pydantic
    # coercion (no --date given) are all skipped on the second run; so are PyYAML (the case and
    # the language tables are read validated), pydantic's validator building and plugin scan
    # (importlib.metadata), and the stdlib's email package (the mailto: lines)
    assert _loaded(("docx", "pymupdf_fonts", "babel.messages", "typer._adapters", "yaml",
                    "importlib.metadata", "pydantic.plugin._loader", "email",
                    "appeal.channels.email"), modules) == []
    assert {"docx-base", "font-faces", "fonts", "cases", "tables", "regex", "babel-locales"} <= {
        p.name for p in (tmp_path / "cache").iterdir()}
    assert "docx" in json.loads(first.read_text())  # the first run built the DOCX base


def test_importing_a_text_ua_loads_no_letter_or_pdf_library(tmp_path):
    seed = ROOT / "tests" / "fixtures" / "import" / "ua-100.21-mexico-mass-deportations.txt"
    env = {"APPEAL_CACHE": str(tmp_path / "cache"), "APPEAL_LEDGER": str(tmp_path / "ledger.db"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "MODULES_OUT": str(tmp_path / "m.json")}
    for n in (1, 2):  # the first fills the cache (in a checkout, Babel compiles the catalogs)
        done = _python(RUN, "import", str(seed), "--out", str(tmp_path / f"o{n}"), "--id", f"x{n}",
                       env=env)
        assert done.returncode == 0, done.stderr
    modules = json.loads((tmp_path / "m.json").read_text())
    assert _loaded(("reportlab", "PIL", "jinja2", "babel", "docx", "pypdf", "sqlite3"),
                   modules) == []
    done = _python(RUN, "import", str(seed), "--out", str(tmp_path / "o3"), "--id", "x3",
                   env={**env, "APPEAL_CACHE": "off"})
    assert done.returncode == 0, done.stderr
    written = [(tmp_path / f"o{n}" / f"x{n}" / "case.yaml").read_text(encoding="utf-8").replace(
        f"x{n}", "x") for n in (1, 2, 3)]  # filling the cache, from it, without it
    assert written[0] == written[1] == written[2]


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_letters_made_from_the_cache_equal_letters_made_without_it(tmp_path):
    from .conftest import pdf_text

    cache = str(tmp_path / "cache")
    for out, setting in (("off", "off"), ("fill", cache), ("hit", cache)):
        done = _compose(tmp_path, out, setting, tmp_path / f"{out}.json", "--date", "2026-11-28")
        assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in (tmp_path / "off").iterdir())
    assert len(names) == 4
    for name in names:
        made = [tmp_path / out / name for out in ("off", "fill", "hit")]
        if name.endswith(".docx"):
            assert _parts(made[0]) == _parts(made[1]) == _parts(made[2])
        else:
            texts = [pdf_text(p) for p in made]
            assert texts[0] == texts[1] == texts[2]
            fonts = [_pdf_fonts(p) for p in made]
            assert fonts[0] == fonts[1] == fonts[2]


def _pdf_fonts(path: Path) -> list:
    """Each page's fonts: name, widths and the embedded subset's bytes."""
    from pypdf import PdfReader

    out = []
    for page in PdfReader(path).pages:
        for name, ref in sorted(page["/Resources"]["/Font"].items()):
            font = ref.get_object()
            out.append((name, str(font["/BaseFont"]), list(font["/Widths"]),
                        font["/FontDescriptor"]["/FontFile2"].get_object().get_data()))
    return out


# -- one command built, Typer's coercion without pydantic ------------------------------------


def test_the_command_run_is_read_from_the_arguments():
    from appeal.cli.argv import command_from_argv as _command_from_argv

    assert _command_from_argv(["compose", "ua-100.21"]) == "compose"
    assert _command_from_argv(["--ui-lang", "es", "import", "x"]) == "import"
    assert _command_from_argv(["--ui-lang=es", "tally"]) == "tally"
    for argv in ([], ["--help"], ["--version"], ["--help", "compose"], ["-x", "compose"],
                 ["--ui-lang"]):
        assert _command_from_argv(argv) is None, argv


def test_short_commands_are_commands():
    import typer.main

    from appeal.cli.app import SHORT_COMMANDS, create_app

    names = set(typer.main.get_command(create_app()).commands)
    assert names >= SHORT_COMMANDS
    assert not {"batch", "serve", "email"} & SHORT_COMMANDS  # long runs keep the collector


def test_one_command_app_has_the_same_help_and_errors(runner):
    from appeal.cli import create_app

    for argv in (["compose", "--help"], ["import", "--help"], ["compose", "ua-100.21"],
                 ["compose", "ua-100.21", "--name", "A", "--date", "28/11/2026"],
                 ["compose", "--nope"]):
        full = runner.invoke(create_app(), argv)
        only = runner.invoke(create_app(only=argv[0]), argv)
        assert (only.exit_code, only.output) == (full.exit_code, full.output), argv
    def names(app):
        return [c.name for c in app.registered_commands]

    assert names(create_app(only="nope")) == names(create_app())
    assert names(create_app(only="post")) == ["post"]


def test_console_script_output_is_the_full_apps():
    """``main()`` (one command built, no collector) prints what the whole app prints."""
    lead = "import sys; sys.argv[0] = 'appeal'; from appeal.cli import create_app, main; "
    for argv in (["--help"], ["compose", "--help"], ["batch", "--help"], ["compose"],
                 ["--ui-lang", "es", "import", "--help"], ["compose", "x", "--nope"]):
        ours = _python(lead + "main()", *argv, env={"COLUMNS": "80"})
        full = _python(lead + "create_app()()", *argv, env={"COLUMNS": "80"})
        assert (ours.returncode, ours.stdout, ours.stderr) == (
            full.returncode, full.stdout, full.stderr), argv


def _samples(annotation):
    """Values a command line or a default gives a parameter of this type."""
    import datetime as dt

    strings = ["", "Ana García", "-", " a b ", "ua-100.21", "1", "yes", "2026-11-28"]
    paths = [Path("out"), Path("."), "x/y.txt", "-", "", str(ROOT), str(ROOT / "README.md")]
    return {
        str: strings + [5, None],
        bool: [True, False, "true", "no"],
        Path: paths + [None],
        int: ["3", "0", "-1", "x", 3, None, "501"],
        float: ["0.5", "x", 1, None],
        dt.datetime: ["2026-11-28", "28/11/2026", None],
        list[str]: [("a",), ("a", "b,c"), (), ["x"], None],
        list[Path]: [(str(ROOT),), ("nope", ""), (Path("x"),), None],
    }.get(annotation, [None])


def _outcome(runtime, value, param, ctx):
    from typer._click.exceptions import BadParameter

    try:
        return "ok", runtime.coerce(value, param=param, ctx=ctx)
    except BadParameter as exc:
        return "error", exc.format_message()


def test_plain_coercion_gives_what_typers_pydantic_coercion_gives():
    import typer.main
    from typer._click import Context
    from typer._coercion import build_runtime_param

    from appeal.cli import create_app
    from appeal.cli.coercion import PlainRuntimeParam

    group = typer.main.get_command(create_app())
    checked = 0
    for command in [group, *group.commands.values()]:
        ctx = Context(command)
        for param in [*command.params, command.get_help_option(ctx)]:
            if param is None or not hasattr(param, "type_descriptor"):
                continue
            assert isinstance(param.get_runtime_param(), PlainRuntimeParam), param.name
            typers = build_runtime_param(param.type_descriptor)
            for value in _samples(param.type_descriptor.annotation):
                ours = _outcome(param.get_runtime_param(), value, param, ctx)
                theirs = _outcome(typers, value, param, ctx)
                assert ours == theirs, (command.name, param.name, value)
                assert type(ours[1]) is type(theirs[1])
                checked += 1
    assert checked > 200


# -- the pieces kept between runs -------------------------------------------------------------


def test_cache_round_trip_and_damage(tmp_path, monkeypatch):
    from appeal import cache

    monkeypatch.setenv("APPEAL_CACHE", str(tmp_path))
    calls = []

    def make():
        calls.append(1)
        return b"data \x00\xff"

    assert cache.cached("k", "key 1", make) == b"data \x00\xff"
    assert cache.cached("k", "key 1", make) == b"data \x00\xff"
    assert len(calls) == 1
    (stored,) = (tmp_path / "k").iterdir()
    stored.write_bytes(stored.read_bytes()[:-1])  # cut short: fails its checksum, made again
    assert cache.cached("k", "key 1", make) == b"data \x00\xff"
    assert len(calls) == 2
    assert cache.cached("k", "key 2", make) == b"data \x00\xff"  # another key, another file
    assert len(calls) == 3
    monkeypatch.setenv("APPEAL_CACHE", "off")
    assert cache.cached("k", "key 1", make) == b"data \x00\xff"
    assert len(calls) == 4
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("APPEAL_CACHE", str(blocked))  # unwritable: only speed is lost
    assert cache.cached("k", "key 1", make) == b"data \x00\xff"


def test_restored_font_face_equals_a_parsed_one(tmp_path, monkeypatch):
    from reportlab.pdfbase.ttfonts import TTFontFace

    from appeal.fontface import load_face
    from appeal.fonts import font_file

    monkeypatch.setenv("APPEAL_CACHE", str(tmp_path))
    for key in ("figo", "figbo"):
        data = font_file(key)
        load_face(key, data)  # parsed and stored
        restored, parsed = load_face(key, data), TTFontFace(io.BytesIO(data))
        assert any((tmp_path / "font-faces").iterdir())
        mine, theirs = vars(restored), vars(parsed)
        assert set(mine) == set(theirs)
        for attr, value in theirs.items():
            if attr == "_pdfScale":
                assert mine[attr](1234) == value(1234)
                continue
            assert mine[attr] == value, attr
            assert type(mine[attr]) is type(value), attr
        assert restored.hmetrics[:3] == parsed.hmetrics[:3]
        assert restored.makeSubset([0, 65, 66]) == parsed.makeSubset([0, 65, 66])


def test_font_file_is_what_pymupdf_fonts_ships(tmp_path, monkeypatch):
    import pymupdf_fonts

    from appeal.fonts import font_file

    monkeypatch.setenv("APPEAL_CACHE", str(tmp_path))
    assert font_file("figo") == pymupdf_fonts.myfont("figo")
    assert font_file("figo") == pymupdf_fonts.myfont("figo")  # read back


def test_cached_catalogs_translate_as_compiled_ones(tmp_path, monkeypatch):
    from appeal import i18n

    monkeypatch.setenv("APPEAL_CACHE", str(tmp_path))
    po = sorted((ROOT / "locales" / "es" / "LC_MESSAGES").glob("*.po"))[0]
    fresh = i18n._compile_po(po)
    again = i18n._compile_po(po)  # from the cache
    assert fresh._catalog == again._catalog and fresh._catalog  # type: ignore[attr-defined]


def test_cldr_names_shipped_equal_what_babel_gives():
    from appeal.importer import lexicon

    shipped = json.loads((ROOT / "appeal" / "importer" / lexicon.CLDR_NAMES_FILE)
                         .read_text(encoding="utf-8"))
    built = lexicon.build_cldr_names()
    assert shipped == built, "run python tools/native_countries.py"
    assert list(shipped["countries"]) == list(built["countries"])  # CLDR's order kept


def test_a_cached_case_equals_a_validated_one(tmp_path, monkeypatch):
    from appeal import cases
    from appeal.models import json_data

    folder = ROOT / "letters" / "ua-100.21"
    raw = (folder / "case.yaml").read_bytes()
    fresh = cases._validated(folder / "case.yaml", raw)  # the slow path, no cache involved
    monkeypatch.setenv("APPEAL_CACHE", str(tmp_path))
    filled, hit = cases.read_case(folder), cases.read_case(folder)
    assert [p.name for p in (tmp_path / "cases").iterdir()] != []
    for loaded in (filled, hit):
        assert loaded.case == fresh
        assert json_data(loaded.case) == fresh.model_dump(mode="json")
        assert [json_data(t) for t in loaded.case.targets] == [
            t.model_dump(mode="json") for t in fresh.targets]
    data = json_data(hit.case)
    data["title"] = "changed"  # each caller gets its own copy
    assert json_data(hit.case)["title"] == fresh.title
    import gc

    from appeal import models

    before = len(models._JSON_DATA)
    del filled, hit, loaded
    gc.collect()
    assert len(models._JSON_DATA) < before  # the records go with the cases


def test_an_invalid_case_is_reported_each_time_and_never_cached(tmp_path, monkeypatch, case_copy):
    from appeal import cases
    from appeal.errors import AppealError

    monkeypatch.setenv("APPEAL_CACHE", str(tmp_path / "cache"))
    text = (case_copy / "case.yaml").read_text(encoding="utf-8")
    (case_copy / "case.yaml").write_text(text.replace("title:", "titel:", 1), encoding="utf-8")
    errors = []
    for _ in range(2):
        with pytest.raises(AppealError) as info:
            cases.read_case(case_copy)
        errors.append(str(info.value))
    assert errors[0] == errors[1] and "titel" in errors[0]
    assert not (tmp_path / "cache" / "cases").exists()
    (case_copy / "case.yaml").write_text(text, encoding="utf-8")  # fixed: read and stored
    assert cases.read_case(case_copy).case.title
    assert any((tmp_path / "cache" / "cases").iterdir())


def test_a_damaged_case_record_is_validated_again(tmp_path, monkeypatch):
    from appeal import cache, cases

    monkeypatch.setenv("APPEAL_CACHE", str(tmp_path))
    folder = ROOT / "letters" / "ua-100.21"
    good = cases.read_case(folder).case
    (stored,) = (tmp_path / "cases").iterdir()
    stored.write_bytes(cache.framed(b"not a pickle"))  # a valid check over bytes that do not unpickle
    assert cases.read_case(folder).case == good
    assert cache.folder() == tmp_path


@pytest.mark.skipif(os.name != "posix", reason="POSIX owners and modes")
def test_only_a_private_cache_folder_is_read(tmp_path, monkeypatch):
    """Cached records are read back with pickle: a folder others can write in is made private
    before use, and one that is not the user's is never read or written."""
    from appeal import cache

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("APPEAL_CACHE", str(shared))
    cache.store("tables", "k", b"data")
    assert cache.read("tables", "k") == b"data"
    assert not shared.stat().st_mode & 0o022  # no longer writable by others
    assert not (shared / "tables").stat().st_mode & 0o077  # made by the cache: private

    monkeypatch.setattr(os, "getuid", lambda: os.stat(shared).st_uid + 1)  # someone else's
    assert cache.read("tables", "k") is None
    cache.store("tables", "other", b"x")
    assert len(list((shared / "tables").iterdir())) == 1


def test_cached_language_tables_equal_parsed_ones(tmp_path, monkeypatch):
    import yaml

    from appeal import resources

    monkeypatch.setenv("APPEAL_CACHE", str(tmp_path))
    for name in ("forms.yaml", "channels.yaml"):
        parsed = yaml.safe_load(resources.data_path(name).read_text(encoding="utf-8"))
        for _ in range(2):  # filled, then read back
            resources.language_table.cache_clear()
            assert resources.language_table(name) == parsed
    assert len(list((tmp_path / "tables").iterdir())) == 2


PATTERNS = [(r"(?P<day>\d{1,2}) de (?P<month>\w+)", 0), (r"^[a-z]{2,3}(-[A-Z]{2})?$", 0),
            (r"señor|SEÑORA", 2), (rb"\x00[\x80-\xff]+", 0), (r"(?<![\w'])(?:deadline|write)", 0),
            (r"[\u0400-\u04ff\U0001f600-\U0001f64f]+", 0), (r"a.b", 16), (r"(a)|(?P<b>b)", 64)]
SAMPLES = ["28 de noviembre", "es-MX", "SeÑoR", "Привет 😀", "a\nb", "deadline", "ab", "x"]


def _behaviour(pattern):
    out = [pattern.pattern, pattern.flags, pattern.groups, dict(pattern.groupindex)]
    for text in SAMPLES:
        subject = text.encode("latin-1", "replace") if isinstance(pattern.pattern, bytes) else text
        out.append([(m.span(), m.groups()) for m in pattern.finditer(subject)])
    return out


def test_recorded_patterns_compile_to_what_re_compiles(tmp_path, monkeypatch):
    import re

    from appeal import regexcache

    monkeypatch.setenv("APPEAL_CACHE", str(tmp_path))
    original = re._compiler.compile
    expected = [_behaviour(re.compile(p, f)) for p, f in PATTERNS]

    def no_parsing(*args):
        raise AssertionError("parsed a pattern that is in the record")

    for replay in (False, True):
        re.purge()
        with regexcache.installed("test"), monkeypatch.context() as patch:
            if replay:  # every pattern comes from the record: nothing is parsed
                patch.setattr(re._parser, "parse", no_parsing)
            got = [_behaviour(re.compile(p, f)) for p, f in PATTERNS]
        assert got == expected, replay
        assert re._compiler.compile is original and re._compiler._sre.__name__ == "_sre"
    assert len(list((tmp_path / "regex").iterdir())) == 1


def test_a_damaged_regex_record_only_costs_speed(tmp_path, monkeypatch):
    import marshal
    import re

    from appeal import cache, regexcache

    monkeypatch.setenv("APPEAL_CACHE", str(tmp_path))
    re.purge()
    with regexcache.installed("test"):
        re.compile(PATTERNS[0][0])
    (stored,) = (tmp_path / "regex").iterdir()
    for content in (b"garbage", marshal.dumps([1, 2]),  # not a record; then code the engine refuses
                    marshal.dumps({(PATTERNS[0][0], 0): (32, [1, 2, 3], 2, {}, (None,))})):
        stored.write_bytes(cache.framed(content))
        re.purge()
        with regexcache.installed("test"):
            assert _behaviour(re.compile(PATTERNS[0][0])) == _behaviour(
                re._compiler.compile(PATTERNS[0][0], 0))


def test_babel_data_from_the_cache_is_babels_own(tmp_path, monkeypatch):
    import datetime as dt
    import pickle

    from babel import Locale, localedata
    from babel.dates import format_date, format_skeleton

    from appeal import babelcache

    monkeypatch.setenv("APPEAL_CACHE", str(tmp_path))
    names = ["es_MX", "en", "fr_CA", "de_AT", "pt_BR", "es"]
    days = [dt.date(2026, 11, 28), dt.date(2021, 12, 1), dt.date(2024, 2, 29)]

    def answers():
        return [(format_date(day, "long", locale=name), format_skeleton("yMMMM", day, locale=name),
                 Locale.parse(name).territories["US"]) for name in names for day in days]

    localedata.clear_caches()
    fresh = {name: pickle.dumps(localedata.load(name)) for name in names}
    expected = answers()
    for _round in ("fill", "hit"):
        localedata.clear_caches()
        with babelcache.installed():
            assert answers() == expected
            got = {name: pickle.dumps(localedata.load(name)) for name in names}
        assert got == fresh
        assert localedata.load.__module__ == "babel.localedata"  # put back
    assert len(list((tmp_path / "babel-locales").iterdir())) >= len(names)
    localedata.clear_caches()


# -- small replacements -------------------------------------------------------------------------


def test_lazy_platypus_uri_pattern_matches_as_reportlabs():
    done = _python(
        "import re, json\n"
        "from appeal.render.platypus import LazyPattern, load\n"
        "load()\n"
        "import reportlab.platypus.paragraph as p\n"
        "lazy = isinstance(p.uri_pat, LazyPattern)\n"
        "real = re.compile(p.uri_pat.pattern, p.uri_pat.flags)\n"
        "uris = ['https://www.amnesty.org/en/x', 'HTTP://Ünïcode.example/a?b', 'mailto:x@y',\n"
        "        'ftp://1.2.3.4:21/x', 'not a uri', 'http://localhost']\n"
        "same = all(bool(p.uri_pat.match(u)) == bool(real.match(u)) for u in uris)\n"
        "print(json.dumps([lazy, same]))\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [True, True]


@pytest.mark.parametrize("text", ["", "a & b", "<w:t>", "x<y and y>z", "&amp; ]]>", "ñ\"'"])
def test_escape_is_saxutils_escape(text):
    from xml.sax.saxutils import escape as sax_escape

    from appeal.xmltext import escape

    assert escape(text) == sax_escape(text)


def test_fold_is_the_per_character_fold():
    from appeal.importer import lexicon

    text = "ǅﬁẞİ’‘`´ÅÉ\u0301x Ciudad de MÉXICO, «Señor» " + "".join(map(chr, range(32, 0x2100)))
    assert lexicon.fold(text) == "".join(lexicon._fold_char(c) for c in text)
    assert len(lexicon.fold(text)) == len(text)


def test_countries_in_finds_what_the_one_pattern_found():
    """The table scan gives what ``(?<![\\w-])(longest|...)(?![\\w-])`` over all names gave."""
    import random
    import re

    from appeal.importer import lexicon

    names = sorted((n for n in lexicon.country_names() if len(n) > 3), key=len, reverse=True)
    assert all(re.match(r"\w", n) for n in names)  # every name starts with a word character
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])")

    def expected(text):
        return [(lexicon.country_names()[m[1]], m[1]) for m in pattern.finditer(lexicon.fold(text))]

    texts = [p.read_text(encoding="utf-8", errors="replace")
             for p in (ROOT / "tests" / "fixtures").rglob("*.txt")]
    rnd = random.Random(11)
    pieces = [*names, "the", "bissau", "republic of", "2", "é", "'", "(", "x"]
    for _ in range(2000):
        texts.append("".join(rnd.choice(pieces) + rnd.choice(["", " ", "-", "_", ", ", "a"])
                             for _ in range(rnd.randrange(1, 12))))
    assert sum(len(expected(t)) for t in texts) > 1000
    for text in texts:
        assert lexicon.countries_in(text) == expected(text), text[:80]
