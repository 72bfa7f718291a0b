"""Jinja2's sandbox with a budget: a case template cannot hang appeal or fill its memory.

The sandbox stops templates from reaching Python internals, but not from asking for a lot of
work: ``{{ 'x' * 10**9 }}``, ``{{ x|center(10**9) }}``, two nested ``range(100000)`` loops or a
string doubled thirty times in a loop. Here every template renders with

* arithmetic and concatenation whose results are size-checked before they are built,
* numeric arguments of filters and method calls capped (no ``center(10**9)``),
* a cap on the characters it outputs, checked as it streams,
* a cap on the lines of template code it runs (loops included), counted by a trace function
  that watches only the template's own frames.

Exceeding any of them raises :class:`TemplateBudgetError`, which callers report like any other
template problem.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Sized

from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment

from .i18n import N_

MAX_OUTPUT = 1_000_000  # characters a template may produce (or build in one value)
MAX_ARGUMENT = 100_000  # largest number a filter or method may be given (widths, counts...)
MAX_INT_BITS = 4096  # largest integer arithmetic may produce
MAX_STEPS = 2_000_000  # lines of template code run, loops included (~1 s)
TEMPLATE_FILE = "<template>"


class TemplateBudgetError(Exception):
    """The template asked for more work or text than a letter can need. The message is an
    untranslated msgid (``N_``): translate it with ``_(str(exc))`` when showing it."""


def _too_big(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value.bit_length() > MAX_INT_BITS
    if isinstance(value, (str, bytes, list, tuple, dict)):
        return len(value) > MAX_OUTPUT
    return False


def _check_args(args, kwargs) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ARGUMENT:
            raise TemplateBudgetError(N_("a number given to a filter or method is too large"))


def _size(value) -> int:
    return len(value) if isinstance(value, Sized) and not isinstance(value, dict) else 1


def _guard_binop(op: str, left, right):
    """Refuse an operation whose result would be too large, before computing it."""
    if op == "*":
        for seq, n in ((left, right), (right, left)):
            if (isinstance(seq, (str, list, tuple)) and isinstance(n, int)
                    and _size(seq) * max(n, 0) > MAX_OUTPUT):
                raise TemplateBudgetError(N_("a repeated text or list would be too long"))
        if (isinstance(left, int) and isinstance(right, int)
                and left.bit_length() + right.bit_length() > MAX_INT_BITS):
            raise TemplateBudgetError(N_("a number would be too large"))
    elif op == "**":
        if (isinstance(left, int) and isinstance(right, int) and abs(left) > 1
                and (right > MAX_INT_BITS or left.bit_length() * right > MAX_INT_BITS)):
            raise TemplateBudgetError(N_("a number would be too large"))
    elif op == "%" and isinstance(left, str):
        _check_format(left)
    elif op in ("+", "~"):
        sequences = (str, list, tuple)
        if (isinstance(left, sequences) and isinstance(right, sequences)
                and _size(left) + _size(right) > MAX_OUTPUT):
            raise TemplateBudgetError(N_("a text would be too long"))


def _check_format(fmt: str) -> None:
    """``'%999999999s' % x`` would build a huge string: refuse long digit runs in a format."""
    digits = 0
    for ch in fmt:
        digits = digits + 1 if ch.isdigit() else 0
        if digits > 5:
            raise TemplateBudgetError(N_("a format width is too large"))


def _precheck(name: str, value, args) -> None:
    """Refuse, before building it, a result of ``format``, ``replace`` or ``join`` that would
    be too long (their size is not bounded by their arguments' sizes)."""
    if name in ("format", "format_map") and isinstance(value, str):
        _check_format(value)
    elif name == "replace" and isinstance(value, str) and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        hits = len(value) + 1 if not old else value.count(old)
        if len(value) + hits * len(new) > MAX_OUTPUT:
            raise TemplateBudgetError(N_("a replaced text would be too long"))
    elif (name == "join" and isinstance(value, Sized) and args
          and len(value) * len(str(args[0])) > MAX_OUTPUT):
        raise TemplateBudgetError(N_("a joined text would be too long"))


def _guard_filter(func):
    name = getattr(func, "__name__", "").removeprefix("do_")

    @functools.wraps(func)
    def guarded(*args, **kwargs):
        _check_args(args[1:], kwargs)
        values = [a for a in args if not hasattr(a, "environment")]  # skip a passed context
        if values:
            _precheck(name, values[0], values[1:])
        result = func(*args, **kwargs)
        if _too_big(result):
            raise TemplateBudgetError(N_("a filter result would be too long"))
        return result

    return guarded


def _guarded_join(parts) -> str:
    total = 0
    out = []
    for part in parts:
        text = str(part)
        total += len(text)
        if total > MAX_OUTPUT:
            raise TemplateBudgetError(N_("a text would be too long"))
        out.append(text)
    return "".join(out)


class _GuardedCodeGenerator(CodeGenerator):
    def visit_Concat(self, node, frame) -> None:  # ``a ~ b``: size-checked join
        self.write("environment.guarded_join((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BudgetedEnvironment(SandboxedEnvironment):
    """A :class:`SandboxedEnvironment` whose templates cannot ask for unbounded work."""

    code_generator_class = _GuardedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.filters = {name: _guard_filter(f) for name, f in self.filters.items()}
        self.guarded_join = _guarded_join

    def wrap_str_format(self, value):  # ``'{:>999999999}'.format(x)``: checked at access
        owner = getattr(value, "__self__", None)
        if isinstance(owner, str) and getattr(value, "__name__", "") in ("format", "format_map"):
            _check_format(owner)
        return super().wrap_str_format(value)

    def call_binop(self, context, operator_name: str, left, right):
        _guard_binop(operator_name, left, right)
        result = super().call_binop(context, operator_name, left, right)
        if _too_big(result):
            raise TemplateBudgetError(N_("a value would be too large"))
        return result

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's signature)
        _check_args(args, kwargs)
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):  # str.format, str.replace, sep.join(items)
            name = getattr(__obj, "__name__", "")
            if name == "join" and args:
                _precheck("join", args[0], (owner,))
            else:
                _precheck(name, owner, args)
        result = super().call(__context, __obj, *args, **kwargs)
        if _too_big(result):
            raise TemplateBudgetError(N_("a value would be too large"))
        return result


def render_budgeted(template, **context) -> str:
    """Render ``template`` (made by :class:`BudgetedEnvironment`) within the budget."""
    steps = 0

    def local(frame, event, arg):
        nonlocal steps
        if event == "line":
            steps += 1
            if steps > MAX_STEPS:
                raise TemplateBudgetError(N_("it runs too long (a loop that does not end?)"))
        return local

    def global_trace(frame, event, arg):
        return local if frame.f_code.co_filename == TEMPLATE_FILE else None

    previous = sys.gettrace()
    chunks: list[str] = []
    total = 0
    sys.settrace(global_trace)
    try:
        for chunk in template.generate(**context):
            total += len(chunk)
            if total > MAX_OUTPUT:
                raise TemplateBudgetError(N_("it produces too much text"))
            chunks.append(chunk)
    finally:
        sys.settrace(previous)
    return "".join(chunks)

