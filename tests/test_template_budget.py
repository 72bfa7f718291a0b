"""The template budget holds: one line of a case template cannot take seconds or gigabytes.

Each template of issue 9 ran for 10–60 s and reached 2.4–9.8 GB; each is now refused with the
"too much work" error, within a small, loosely measured budget of memory (tracemalloc's peak of
Python allocations) and time. Ordinary templates that use the same features still render."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from appeal.api import AppealError, Supporter, compose_letters, load_case
from appeal.cases import read_case

MAX_MB = 40  # what a refused template may allocate on its way to the refusal
MAX_SECONDS = 30  # very loose (a busy shared machine): the budget is ~1 s of work when idle

DOUBLED = ("{% set ns = namespace(l=[1]) %}{% for i in range(60) %}{% set ns.l = [ns.l, ns.l] %}"
           "{% endfor %}")
DOUBLED_TWICE = ("{% set ns = namespace(a=[1], b=[1]) %}{% for i in range(60) %}"
                 "{% set ns.a = [ns.a, ns.a] %}{% set ns.b = [ns.b, ns.b] %}{% endfor %}")
DOUBLED_TUPLE = ("{% set ns = namespace(t=(1,)) %}{% for i in range(60) %}"
                 "{% set ns.t = (ns.t, ns.t) %}{% endfor %}")
SHARED_BIG = "{% set big = 'x' * 999999 %}{% set ns = namespace(l=[big]) %}"


def _refused_within_budget(case_copy, template: str, match: str = "too much work") -> AppealError:
    (case_copy / "letter.es.j2").write_text(template, encoding="utf-8")
    loaded = read_case(case_copy)
    tracemalloc.start()
    start = time.monotonic()
    try:
        with pytest.raises(AppealError, match=match) as err:
            compose_letters(loaded, Supporter("Ana"))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - start < MAX_SECONDS
    assert peak < MAX_MB * 1_000_000, f"{peak / 1e6:.0f} MB"
    assert "Traceback" not in str(err.value)
    return err.value


@pytest.mark.parametrize("template", [
    # the six templates of the issue
    "{{ range(99999)|map('string')|join('x'*99999) }}",
    "{{ ('{0}'*10000).format('x'*999999) }}",
    '{{ ("a\\n"*400000)|indent(99999) }}',
    DOUBLED + "{{ ns.l|string }}",
    DOUBLED + "{{ ns.l|tojson }}",
    "{{ lipsum(99999, False, 99998, 99999) }}",
    DOUBLED_TWICE + "{{ ns.a == ns.b }}",
    # the same doubled structure reaching text or comparison by every other road
    DOUBLED + "{{ ns.l }}",
    DOUBLED + "{{ ns.l ~ '' }}",
    DOUBLED + "{{ '%s' % (ns.l,) }}",
    DOUBLED + "{{ '{}'.format(ns.l) }}",
    DOUBLED + "{{ ns.l|pprint }}",
    DOUBLED + "{{ ns.l|join(',') }}",
    DOUBLED + "{{ ns.l|urlencode }}",
    DOUBLED_TWICE + "{{ ns.a != ns.b }}",
    DOUBLED_TWICE + "{{ ns.a in [ns.b] }}",
    DOUBLED_TWICE + "{{ [ns.a, ns.b]|sort }}",
    DOUBLED_TWICE + "{{ [ns.a]|select('equalto', ns.b)|list }}",
    DOUBLED_TWICE + "{{ [ns.a].index(ns.b) }}",
    DOUBLED_TUPLE + "{{ {ns.t: 1} }}",
    DOUBLED_TUPLE + "{{ {}.get(ns.t) }}",
    "{% set ns = namespace(d={}) %}{% for i in range(60) %}{% set ns.d = {'a': ns.d, 'b': ns.d} %}"
    "{% endfor %}{{ ns.d|dictsort }}",
    # one big text shared many times, then expanded
    SHARED_BIG + "{{ (ns.l * 999999)|join }}",
    SHARED_BIG + "{{ [big, big]|string }}",
    # filters and methods whose result outgrows their input
    "{{ ('x '*400000)|wordwrap(1) }}",
    "{{ ('x'*99999)|wordwrap(1, wrapstring='y'*99999) }}",
    "{{ ('a\\n'*400000)|indent('y'*99999) }}",
    "{{ ('%s'*500000)|format(*(['x'*999999]*500000)) }}",
    "{{ ('%(a)s'*100000) % {'a': 'x'*999999} }}",
    "{{ ('%(a)s'*100000)|format(a='x'*999999) }}",
    "{{ ('{a}'*100000).format_map({'a': 'x'*999999}) }}",
    "{{ ('{0:{1}}'*1000).format('x', 99999) }}",
    "{{ ('x'*99999).join(range(99999)|map('string')) }}",
    "{{ ('\\t'*999999).expandtabs(99999) }}",
    "{{ ('x'*999999).translate({120: 'y'*99999}) }}",
    "{{ ('x'*999999)|replace('x', 'yy') }}",
    "{{ lipsum(100, False, 20, 99999) }}",
    "{{ ([[1]*999]*999)|sum(start=[]) }}",
    # work that is small in size but long in time
    "{% for i in range(99999) %}{{ ('x'*999999).upper()|length }}{% endfor %}",
    "{% for i in range(99999) %}{% if 'y' in 'x'*999999 %}{% endif %}{% endfor %}",
    "{{ ('x '*499999)|urlize }}",
    "{{ ('x'*999999)|batch(1)|list|length }}",
    "{{ range(99999)|map('string')|map('center', 99)|list|length }}",
    # nesting deeper than any letter needs
    "{% set ns = namespace(l=[]) %}{% for i in range(5000) %}{% set ns.l = [ns.l] %}{% endfor %}"
    "{{ ns.l|tojson }}",
])
def test_runaway_template_is_refused_within_a_small_budget(case_copy, template):
    _refused_within_budget(case_copy, template)


def test_the_refusal_says_which_limit(case_copy):
    error = _refused_within_budget(case_copy, DOUBLED + "{{ ns.l|tojson }}")
    assert "a value is too large to work with" in str(error)
    assert "letter.es.j2" in str(error)


def test_the_refusal_is_in_spanish(case_copy):
    from appeal.i18n import set_language

    set_language("es")
    error = _refused_within_budget(case_copy, "{{ ('{0}'*10000).format('x'*999999) }}",
                                   match="demasiado procesamiento")
    assert "un texto con formato sería demasiado largo" in str(error)


def test_ordinary_uses_of_the_guarded_features_still_work(case_copy):
    (case_copy / "letter.es.j2").write_text(
        "{{ range(3)|map('string')|join('-') }}|{{ '{0}/{1}'.format('a', 2) }}|"
        "{{ '{n}'.format_map({'n': 5}) }}|{{ 'a\nb'|indent(2) }}|{{ 'uno dos tres'|wordwrap(7) }}|"
        "{{ [1, 'b']|tojson }}|{{ [1, 2]|string }}|{{ [1, 2] == [1, 2] }}|{{ 1 < 2 < 3 }}|"
        "{{ 'a' in 'cat' }}|{{ 3 not in [1] }}|{{ {(1, 2): 'k'}[(1, 2)] }}|"
        "{{ lipsum(1, False, 3, 4)|length > 0 }}|"
        "{{ '%s-%s'|format('x', 'y') }}|{{ [[1], [2]]|sum(start=[]) }}|{{ [3, 1, 2]|sort|join }}|"
        "{{ [1, 2]|select('equalto', 2)|list }}|{{ 'a\tb'.expandtabs(2) }}|{{ target.name|upper }}",
        encoding="utf-8")
    letter = compose_letters(load_case("ua-100.21", [case_copy.parent]), Supporter("Ana"))[0]
    text = "\n".join(letter.paragraphs)
    assert text.startswith("0-1-2|a/2|5|a b|uno dos tres|[1, \"b\"]|[1, 2]|True|True|True|True|k|"
                           "True|x-y|[1, 2]|123|[2]|a b|ANDRÉS MANUEL LÓPEZ OBRADOR"), text


def test_building_a_list_item_by_item_is_not_charged_again_for_every_item(case_copy):
    (case_copy / "letter.es.j2").write_text(
        "{% set ns = namespace(l=[]) %}{% for i in range(3000) %}{% set _ = ns.l.append(i) %}"
        "{% endfor %}{{ ns.l|length }} {{ ns.l.index(2999) }}", encoding="utf-8")
    letter = compose_letters(load_case("ua-100.21", [case_copy.parent]), Supporter("Ana"))[0]
    assert letter.paragraphs[0] == "3000 2999"
