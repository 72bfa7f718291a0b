"""Hostile or broken case folders: YAML bombs, wrong types, runaway templates. Each one is a
clear AppealError naming the file, in bounded time; none hangs, crashes or fills memory."""

from __future__ import annotations

import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appeal.api import AppealError, Supporter, compose_letters, load_case
from appeal.cases import read_case

HANG = 120  # seconds: on a loaded 2-core CI machine the 3,000-level YAML takes ~10 s


def _billion_laughs(levels: int = 9) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _edit(case_copy, old: str, new: str) -> None:
    path = case_copy / "case.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _refused(case_copy, match: str) -> AppealError:
    start = time.monotonic()
    with pytest.raises(AppealError, match=match) as err:
        loaded = read_case(case_copy)
        compose_letters(loaded, Supporter("Ana"))
    assert time.monotonic() - start < HANG  # a hang, not speed (benchmarks measure speed)
    return err.value


def test_billion_laughs_is_refused_quickly(case_copy):
    (case_copy / "case.yaml").write_text(_billion_laughs(), encoding="utf-8")
    _refused(case_copy, "too many values")


def test_a_bomb_inside_a_valid_case_is_refused(case_copy):
    text = (case_copy / "case.yaml").read_text(encoding="utf-8")
    bomb = _billion_laughs(7).replace("l", "x")
    (case_copy / "case.yaml").write_text(bomb + text, encoding="utf-8")
    _refused(case_copy, "too many values")


def test_a_shared_address_through_an_alias_still_works(case_copy):
    path = case_copy / "case.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["targets"][1]["address"] = data["targets"][0]["address"]  # dumped as &id001 / *id001
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert "*id001" in path.read_text(encoding="utf-8")
    assert read_case(case_copy).case.targets[1].address.city == "Ciudad de México"


@pytest.mark.parametrize("yaml_text, match", [
    ("a: " + "[" * 3000 + "]" * 3000, "nested too deeply"),
    ("!!python/object/apply:os.system ['echo hi']", "not valid YAML"),
    ("", "must be a mapping"),
    ("- 1\n- 2", "must be a mapping"),
])
def test_odd_yaml_documents(case_copy, yaml_text, match):
    (case_copy / "case.yaml").write_text(yaml_text, encoding="utf-8")
    _refused(case_copy, match)


@pytest.mark.parametrize("old, new, match", [
    ("deadline: 2021-12-31", "deadline: 2021-02-30", "a value cannot be read"),
    ("deadline: 2021-12-31", "deadline: 99999999999999999999", "deadline"),
    ('ua_number: "100.21"', "ua_number: 1" + "0" * 400, "ua_number"),
    ("name: Andrés Manuel López Obrador", 'name: "Andr\\x01s"',
     r"targets\.0\.name: contains a control"),
    ("name: Andrés Manuel López Obrador", 'name: "Andr\\u202es"', "bidirectional"),
    ("name: Andrés Manuel López Obrador", 'name: "Andr\\x85s"', "control character"),
])
def test_bad_values_name_their_field(case_copy, old, new, match):
    _edit(case_copy, old, new)
    _refused(case_copy, match)


def test_a_huge_case_file_is_refused_without_reading_it_all(case_copy):
    with (case_copy / "case.yaml").open("ab") as fh:
        fh.truncate(50_000_000)
    _refused(case_copy, "too large")


def test_a_case_file_that_is_a_folder(case_copy):
    (case_copy / "case.yaml").unlink()
    (case_copy / "case.yaml").mkdir()
    _refused(case_copy, "Cannot read")


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["id", "title", "targets", "letters", "country", "name", "x", "en"]),
        children, max_size=3),
    max_leaves=12))
def test_random_values_in_any_field(tmp_path_factory, value):
    folder = tmp_path_factory.mktemp("c") / "ua-1"
    folder.mkdir()
    base = {"id": "ua-1", "ua_number": "1.21", "title": {"en": "T"}, "country": "MX",
            "preferred_language": "en", "targets": [{"id": "t", "name": "N", "role": "other"}],
            "letters": {"en": "letter.en.j2"}}
    (folder / "letter.en.j2").write_text("Hello.", encoding="utf-8")

    def compose(data):
        (folder / "case.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                          encoding="utf-8")
        return compose_letters(read_case(folder), Supporter("Ana"))

    # the oracle can fail: the valid case makes its letter, and every refusal names the file
    assert [l.paragraphs for l in compose(base)] == [("Hello.",)]
    for key in ("title", "targets", "letters", "country", "extra"):
        try:
            compose(dict(base, **{key: value}))
        except AppealError as exc:
            assert "case.yaml" in str(exc), exc


# --- templates --------------------------------------------------------------------------------


@pytest.mark.parametrize("template, match", [
    ("{% if %}", "could not be filled in"),
    ("{{ nope }}", "'nope' is undefined"),
    ("{{ ''.__class__.__mro__ }}", "unsafe"),
    ("{{ 1/0 }}", "ZeroDivisionError"),
    ("{% include '/etc/passwd' %}", "could not be filled in"),
    ("{% macro f(n) %}{{ f(n+1) }}{% endmacro %}{{ f(0) }}", "calls itself"),
    # runaway templates: time and size budget
    ("{% for i in range(10**9) %}x{% endfor %}", "too much work"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "too much work"),
    ("{% for i in range(100000) %}" + "x" * 1000 + "{% endfor %}", "too much work"),
    ("{{ 'x' * 10**8 }}", "too much work"),
    ("{{ [0] * 10**8 }}", "too much work"),
    ("{{ 'x'|center(10**9) }}", "too much work"),
    ("{{ 'x'.ljust(10**9) }}", "too much work"),
    ("{{ '%999999999s' % 'x' }}", "too much work"),
    ("{{ '{:>999999999}'.format('x') }}", "too much work"),
    ("{{ (range(100000)|list)|join('x' * 1000000) }}", "too much work"),
    ("{{ ('x' * 1000000)|replace('x', 'y' * 1000000) }}", "too much work"),
    ("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
     "{% endfor %}{{ ns.s }}", "too much work"),
    ("{% set ns = namespace(n=3) %}{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}"
     "{% endfor %}{{ ns.n }}", "too much work"),
    # what it produces passes the same gate as typed text
    ("hola\x01mundo", "control character"),
    ("hola {{ '\\x0c' }} {{ '\\ud800' }}", "control character|surrogate"),
    ("", "no text"),
])
def test_bad_templates_are_clear_errors_in_bounded_time(case_copy, template, match):
    (case_copy / "letter.es.j2").write_text(template, encoding="utf-8", errors="surrogatepass")
    _refused(case_copy, match)


def test_template_that_is_not_utf8(case_copy):
    (case_copy / "letter.es.j2").write_bytes(b"\xff\xfe hola")
    _refused(case_copy, "not valid UTF-8")


def test_ordinary_template_features_still_work(case_copy):
    (case_copy / "letter.es.j2").write_text(
        "{{ ['a', 'b']|join(', ') }} {{ 'Sr. %s'|format(target.name) }} {{ 2 ** 10 }} "
        "{{ 'x' * 3 }} {{ '%s-%05d' % ('n', 7) }} {{ 'a-b'.replace('-', ' ') }}"
        "{% for t in case.targets %} {{ loop.index }}{% endfor %}", encoding="utf-8")
    letter = compose_letters(load_case("ua-100.21", [case_copy.parent]), Supporter("Ana"))[0]
    assert letter.paragraphs[0] == (
        "a, b Sr. Andrés Manuel López Obrador 1024 xxx n-00007 a b 1 2")
