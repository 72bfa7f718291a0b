"""Jinja2's sandbox with a budget: a case template cannot hang appeal or fill its memory.

The sandbox stops templates from reaching Python internals, but not from asking for a lot of
work: ``{{ 'x' * 10**9 }}``, ``{{ x|center(10**9) }}``, two nested ``range(100000)`` loops, a
list doubled sixty times by sharing (``[l, l]``: small in memory, 2**60 items when printed or
compared), ``('{0}' * 10000).format(big)`` or ``lipsum(99999, …)``. Every render has one
**work meter**; it is charged for

* each line of template code run (loops included) and each Python function called,
* each value handed to output, a filter, a test, a method, a comparison or a ``~`` join: its
  *expanded* size (what printing it would produce, shared parts counted every time they would
  be printed) is measured by a walk that visits each distinct part once, and refused above
  :data:`MAX_OUTPUT`,
* the characters each operation reads and writes, and per character for the few filters that
  loop in Python (``wordwrap``, ``urlize``…).

Operations whose result can outgrow their inputs (``join``, ``format``/``%``, ``indent``,
``wordwrap``, ``replace``, ``expandtabs``, ``translate``, ``*``, ``lipsum``) have their result
size estimated *before* the work; numbers given to filters and methods are capped, and so are
numbers built by arithmetic. Exceeding anything raises :class:`TemplateBudgetError`, which
callers report as "the template asks for too much work".
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
import sys
from collections.abc import ItemsView, Iterator, KeysView, Sized, ValuesView
from contextvars import ContextVar
from string import Formatter

from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import Namespace, _PassArg, generate_lorem_ipsum

from .i18n import N_

MAX_OUTPUT = 1_000_000  # characters a template may produce (or one value may print as)
MAX_ARGUMENT = 100_000  # largest number a filter or method may be given (widths, counts...)
MAX_INT_BITS = 4096  # largest integer arithmetic may produce
MAX_STEPS = 1_000_000  # units of work of one render (a line of template code is one; < 1 s)
CALL_STEPS = 4  # a Python function called while the template runs (a filter is a dozen)
MAX_DEPTH = 100  # nesting of lists and dicts a value may have
MAX_ARGS = 1000  # values one filter or method call may be given
CHARS_PER_STEP = 256  # characters read or written by a C-level operation that cost one step
# filters that loop in Python over every character: steps per character of their input
FILTER_WORK = {"wordwrap": 8, "urlize": 10, "title": 3, "capitalize": 1, "striptags": 2,
               "wordcount": 1, "batch": 3, "slice": 3, "list": 1, "unique": 2}
TEMPLATE_FILE = "<template>"



class TemplateBudgetError(Exception):
    """The template asked for more work or text than a letter can need. The message is an
    untranslated msgid (``N_``): translate it with ``_(str(exc))`` when showing it."""


# --- the meter --------------------------------------------------------------------------------


class _Meter:
    __slots__ = ("steps",)

    def __init__(self) -> None:
        self.steps = 0


_METER: ContextVar[_Meter | None] = ContextVar("appeal_template_meter", default=None)


def _out_of_steps() -> TemplateBudgetError:
    return TemplateBudgetError(N_("it runs too long (a loop that does not end?)"))


def spend(steps: int) -> None:
    """Charge ``steps`` units of work to the render in progress (none outside a render)."""
    meter = _METER.get()
    if meter is not None:
        meter.steps += steps
        if meter.steps > MAX_STEPS:
            raise _out_of_steps()


# --- measuring values -------------------------------------------------------------------------


def _parts(value):
    """The parts a container prints, or ``None`` for a value printed as one piece."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return value
    if isinstance(value, dict):
        return itertools.chain.from_iterable(value.items())
    if isinstance(value, Namespace):
        return (object.__getattribute__(value, "_Namespace__attrs"),)
    if isinstance(value, (KeysView, ValuesView, ItemsView)):
        return list(value)
    return None


def _atom_size(value) -> int:
    if isinstance(value, str):
        return len(value) + 2
    if value is None or isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return value.bit_length() * 10 // 33 + 2
    if isinstance(value, (bytes, bytearray)):
        return 4 * len(value) + 3
    return 24  # a float, a range, a macro...: a short description


def measure(value, limit: int = MAX_OUTPUT) -> int:
    """How many characters printing ``value`` (``str``, ``repr``, JSON) would take, shared parts
    counted each time they would be printed, or ``limit + 1`` when more.

    Each distinct part is visited once (sizes are remembered by identity), so a list doubled
    sixty times costs sixty visits, not 2**60; the visits are charged to the meter. A part that
    contains itself prints as ``[...]``."""
    if isinstance(value, str):
        return len(value)
    kids = _parts(value)
    if kids is None:
        return _atom_size(value)
    memo: dict[int, int] = {}
    keep: list = []  # parts stay alive while their identity is remembered
    on_path = {id(value)}
    stack = [[value, iter(kids), 2]]
    visits = 0
    try:
        while stack:
            top = stack[-1]
            for child in top[1]:
                visits += 1
                if isinstance(child, str):
                    top[2] += len(child) + 4
                else:
                    known = memo.get(id(child))
                    if known is not None:
                        top[2] += known + 2
                    elif id(child) in on_path:
                        top[2] += 7
                    else:
                        inner = _parts(child)
                        if inner is None:
                            top[2] += _atom_size(child) + 2
                        else:
                            if len(stack) >= MAX_DEPTH:
                                raise TemplateBudgetError(N_("a value is nested too deeply"))
                            on_path.add(id(child))
                            stack.append([child, iter(inner), 2])
                            break
                if top[2] > limit:
                    return limit + 1
            else:
                stack.pop()
                on_path.discard(id(top[0]))
                memo[id(top[0])] = top[2]
                keep.append(top[0])
                if not stack:
                    return top[2]
                stack[-1][2] += top[2] + 2
                if stack[-1][2] > limit:
                    return limit + 1
        return 0  # not reached
    finally:
        spend(visits)


_SCALARS = frozenset({int, float, bool, type(None)})


def _checked(value) -> int:
    """The printed size of a value handed to an operation; too large a value is refused."""
    if type(value) in _SCALARS:
        return 8
    size = measure(value)
    if size > MAX_OUTPUT:
        raise TemplateBudgetError(N_("a value is too large to work with"))
    spend(size // CHARS_PER_STEP)
    return size


def _too_big(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value.bit_length() > MAX_INT_BITS
    if isinstance(value, (str, bytes, list, tuple, dict)):
        return len(value) > MAX_OUTPUT
    return False


def _result(value, message: str):
    if _too_big(value):
        raise TemplateBudgetError(message)
    if isinstance(value, (str, bytes, list, tuple, dict)):
        spend(len(value) // CHARS_PER_STEP)
    return value


def _check_args(args, kwargs) -> None:
    if len(args) + len(kwargs) > MAX_ARGS:
        raise TemplateBudgetError(N_("a filter or method is given too many values"))
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ARGUMENT:
            raise TemplateBudgetError(N_("a number given to a filter or method is too large"))


def _size(value) -> int:
    return len(value) if isinstance(value, Sized) and not isinstance(value, dict) else 1


def _limit(estimate: int, message: str) -> None:
    if estimate > MAX_OUTPUT:
        raise TemplateBudgetError(message)


# --- estimates before the work ----------------------------------------------------------------


_LONG_NUMBER = re.compile(r"\d{6}")


def _check_format(fmt: str) -> None:
    """``'%999999999s' % x`` would build a huge string: refuse long digit runs in a format."""
    if _LONG_NUMBER.search(fmt):
        raise TemplateBudgetError(N_("a format width is too large"))


def _widest(spec: str) -> int:
    """The largest width a format spec may ask for (a nested ``{}`` or ``*`` may ask the cap)."""
    if "{" in spec or "*" in spec:
        return MAX_ARGUMENT
    digits = "".join(c if c.isdigit() else " " for c in spec).split()
    return max((int(d) for d in digits), default=0)


def _check_percent(fmt: str, values) -> None:
    """``fmt % values``: every ``%`` may print the largest value at the widest width."""
    _check_format(fmt)
    parts = values if isinstance(values, tuple) else (values,)
    _check_args(parts, {})
    biggest = max((_checked(v) for v in parts), default=0)
    _limit(len(fmt) + fmt.count("%") * max(biggest, _widest(fmt)),
           N_("a formatted text would be too long"))


def _check_str_format(fmt: str, args, kwargs) -> None:
    """``fmt.format(...)``: every replacement field may print the largest value."""
    _check_format(fmt)
    _check_args(args, kwargs)
    biggest = max((_checked(v) for v in (*args, *kwargs.values())), default=0)
    estimate = 0
    try:
        for literal, field, spec, _conv in Formatter().parse(fmt):
            estimate += len(literal)
            if field is not None:
                estimate += max(biggest, _widest(spec or "")) + 1
            if estimate > MAX_OUTPUT:
                break
    except ValueError:
        return  # a malformed format: str.format itself says what is wrong
    _limit(estimate, N_("a formatted text would be too long"))


def _materialised(value, per_item: int = 0, message: str = N_("a list would be too long")):
    """An iterator (``map``, ``select``…) as a list, so that it can be measured first; when
    each item adds ``per_item`` characters (a separator), stopped as soon as that is too long."""
    if not isinstance(value, Iterator):
        return value
    items, total = [], 0
    for item in value:
        items.append(item)
        total += per_item + (len(item) if isinstance(item, str) else 1)
        if len(items) > MAX_OUTPUT or total > MAX_OUTPUT:
            raise TemplateBudgetError(message)
    return items


def _pre_join(values: list, kwargs: dict) -> list:
    sep = str(values[1] if len(values) > 1 else kwargs.get("d", ""))
    items = _materialised(values[0], len(sep), N_("a joined text would be too long"))
    _limit(_checked(items) + _size(items) * len(sep), N_("a joined text would be too long"))
    return [items, *values[1:]]


def _pre_format(values: list, kwargs: dict) -> list:
    if isinstance(values[0], str):
        _check_percent(values[0], dict(kwargs) if kwargs else tuple(values[1:]))
    return values


def _pre_indent(values: list, kwargs: dict) -> list:
    text = str(values[0])
    width = values[1] if len(values) > 1 else kwargs.get("width", 4)
    indent = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
    _limit(len(text) + (text.count("\n") + 1) * max(indent, 0),
           N_("an indented text would be too long"))
    return values


def _pre_wordwrap(values: list, kwargs: dict) -> list:
    text = str(values[0])
    width = values[1] if len(values) > 1 else kwargs.get("width", 79)
    wrap = (values[3] if len(values) > 3 else kwargs.get("wrapstring")) or "\n"
    lines = len(text) // max(width if isinstance(width, int) else 1, 1) + text.count("\n") + 1
    _limit(len(text) + lines * len(str(wrap)), N_("a wrapped text would be too long"))
    return values


def _pre_replace(values: list, kwargs: dict) -> list:
    if len(values) >= 3 and isinstance(values[0], str):
        _check_replace(values[0], values[1], values[2])
    return values


def _check_replace(text: str, old, new) -> None:
    old, new = str(old), str(new)
    hits = len(text) + 1 if not old else text.count(old)
    _limit(len(text) + hits * len(new), N_("a replaced text would be too long"))


def _pre_sum(values: list, kwargs: dict) -> list:
    items = _materialised(values[0])
    start = values[2] if len(values) > 2 else kwargs.get("start", 0)
    if not isinstance(start, (int, float)):  # adding lists copies them again at every step
        total = _checked(items) + _checked(start)
        spend(len(items) * total // CHARS_PER_STEP)
    return [items, *values[1:]]


_PRECHECKS = {"join": _pre_join, "format": _pre_format, "indent": _pre_indent,
              "wordwrap": _pre_wordwrap, "replace": _pre_replace, "sum": _pre_sum}


def _check_str_method(text: str, name: str, args) -> None:
    """Methods of a string whose result can outgrow the string and their arguments."""
    if name == "join" and args:
        items = args[0]
        _limit(_checked(items) + _size(items) * len(text), N_("a joined text would be too long"))
    elif name == "replace" and len(args) >= 2:
        _check_replace(text, args[0], args[1])
    elif name == "expandtabs":
        tab = args[0] if args and isinstance(args[0], int) else 8
        _limit(len(text) + text.count("\t") * max(tab, 0), N_("a text would be too long"))
    elif name == "translate" and args and isinstance(args[0], dict):
        longest = max((len(v) for v in args[0].values() if isinstance(v, str)), default=1)
        _limit(len(text) * max(longest, 1), N_("a text would be too long"))


# --- wrapped filters, tests, globals ----------------------------------------------------------


def _guard(name: str, func, tests: bool = False):
    """A filter or test that measures what it is given before it works."""
    skip = 1 if _PassArg.from_obj(func) is not None else 0
    pre = None if tests else _PRECHECKS.get(name)
    work = 0 if tests else FILTER_WORK.get(name, 0)

    @functools.wraps(func)
    def guarded(*args, **kwargs):
        values = list(args[skip:])
        _check_args(values[1:], kwargs)
        if pre is not None and values:
            values = pre(values, kwargs)
        for value in values:
            _checked(value)
        for value in kwargs.values():
            _checked(value)
        if work and values and isinstance(values[0], Sized):
            spend(work * len(values[0]))
        result = func(*args[:skip], *values, **kwargs)
        return _result(result, N_("a filter result would be too long"))

    return guarded


def bounded_lipsum(n=5, html=True, min=20, max=100):  # noqa: A002 (Jinja's own names)
    """``lipsum`` whose text is sized before it is made (``lipsum(99999, …, 99999)``)."""
    _check_args((n, min, max), {})
    for value in (n, min, max):
        if not isinstance(value, int):
            raise TypeError("lipsum() takes whole numbers")
    words = n * (max if max > min else min)
    _limit(words * 12, N_("a generated text would be too long"))
    spend(words)
    return generate_lorem_ipsum(n, html, min, max)


# methods of a list or dict that compare or hash every element (append, pop… walk nothing)
_WALKING_METHODS = frozenset({"sort", "index", "count", "remove"})

_COMPARE = {"eq": operator.eq, "ne": operator.ne, "gt": operator.gt, "gteq": operator.ge,
            "lt": operator.lt, "lteq": operator.le, "in": lambda a, b: a in b,
            "notin": lambda a, b: a not in b}


def guarded_compare(first, *rest):
    """``a == b`` (and ``<``, ``in``…): comparing walks both sides, so both are measured."""
    _checked(first)
    left, result = first, True
    for i in range(0, len(rest), 2):
        op, right = rest[i], rest[i + 1]
        _checked(right)
        result = _COMPARE[op](left, right)
        if not result:
            return result
        left = right
    return result


def guarded_key(key):
    """A key of a ``{…}`` literal is hashed, which walks all of it."""
    if not isinstance(key, str):
        _checked(key)
    return key


def _guarded_join(parts) -> str:
    total = 0
    out = []
    for part in parts:
        if not isinstance(part, str):
            _checked(part)
        text = str(part)
        total += len(text)
        if total > MAX_OUTPUT:
            raise TemplateBudgetError(N_("a text would be too long"))
        out.append(text)
    spend(total // CHARS_PER_STEP)
    return "".join(out)


def _finalize(value):
    """Every ``{{ value }}`` is measured before it is turned into text."""
    if isinstance(value, str):
        spend(len(value) // CHARS_PER_STEP)
    else:
        _checked(value)
    return value


# --- the guarded binary operators -------------------------------------------------------------


def _guard_binop(op: str, left, right):
    """Refuse an operation whose result would be too large, before computing it."""
    if op == "*":
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(n, int):
                if _size(seq) * max(n, 0) > MAX_OUTPUT:
                    raise TemplateBudgetError(N_("a repeated text or list would be too long"))
        if isinstance(left, int) and isinstance(right, int):
            if left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise TemplateBudgetError(N_("a number would be too large"))
    elif op == "**":
        if isinstance(left, int) and isinstance(right, int) and abs(left) > 1:
            if right > MAX_INT_BITS or left.bit_length() * right > MAX_INT_BITS:
                raise TemplateBudgetError(N_("a number would be too large"))
    elif op == "%" and isinstance(left, str):
        _check_percent(left, right)
    elif op in ("+", "~"):
        if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            if _size(left) + _size(right) > MAX_OUTPUT:
                raise TemplateBudgetError(N_("a text would be too long"))


class _GuardedCodeGenerator(CodeGenerator):
    def visit_Concat(self, node, frame) -> None:  # ``a ~ b``: size-checked join
        self.write("environment.guarded_join((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")

    def visit_Compare(self, node, frame) -> None:  # ``a == b``: both sides measured first
        self.write("environment.guarded_compare(")
        self.visit(node.expr, frame)
        for op in node.ops:
            self.write(f", {op.op!r}, ")
            self.visit(op.expr, frame)
        self.write(")")

    def visit_Dict(self, node, frame) -> None:  # ``{key: value}``: keys measured before hashing
        self.write("{")
        for idx, item in enumerate(node.items):
            if idx:
                self.write(", ")
            self.write("environment.guarded_key(")
            self.visit(item.key, frame)
            self.write("): ")
            self.visit(item.value, frame)
        self.write("}")


class BudgetedEnvironment(SandboxedEnvironment):
    """A :class:`SandboxedEnvironment` whose templates cannot ask for unbounded work."""

    code_generator_class = _GuardedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, **options) -> None:
        if options.get("finalize") is not None:
            raise ValueError("BudgetedEnvironment sets its own finalize")
        options["finalize"] = _finalize
        super().__init__(**options)
        self.filters = {name: _guard(name, f) for name, f in self.filters.items()}
        self.tests = {name: _guard(name, f, tests=True) for name, f in self.tests.items()}
        self.globals["lipsum"] = bounded_lipsum
        self.guarded_join = _guarded_join
        self.guarded_compare = guarded_compare
        self.guarded_key = guarded_key

    def wrap_str_format(self, value):  # ``('{0}' * 10000).format(big)``: sized at the call
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        fmt = value.__self__
        is_map = value.__name__ == "format_map"

        @functools.wraps(wrapper)
        def checked(*args, **kwargs):
            if is_map and len(args) == 1 and not kwargs and hasattr(args[0], "values"):
                _check_str_format(fmt, (), args[0])
            else:
                _check_str_format(fmt, args, kwargs)
            return _result(wrapper(*args, **kwargs), N_("a value would be too large"))

        return checked

    def getitem(self, obj, argument):  # ``d[key]`` hashes the key
        if not isinstance(argument, (str, int, slice)):
            _checked(argument)
        return super().getitem(obj, argument)

    def call_binop(self, context, operator_name: str, left, right):
        _guard_binop(operator_name, left, right)
        if operator_name in ("+", "%"):
            _checked(left)
            _checked(right)
        result = super().call_binop(context, operator_name, left, right)
        return _result(result, N_("a value would be too large"))

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's signature)
        _check_args(args, kwargs)
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):  # str.replace, sep.join(items), str.expandtabs
            if getattr(__obj, "__name__", "") == "join" and args:
                args = (_materialised(args[0], len(owner), N_("a joined text would be too long")),
                        *args[1:])
            _check_str_method(owner, getattr(__obj, "__name__", ""), args)
        elif getattr(__obj, "__name__", "") in _WALKING_METHODS and _parts(owner) is not None:
            _checked(owner)  # list.sort(), list.index(x): the list is walked
        for value in (*args, *kwargs.values()):
            _checked(value)
        result = super().call(__context, __obj, *args, **kwargs)
        return _result(result, N_("a value would be too large"))


def render_budgeted(template, **context) -> str:
    """Render ``template`` (made by :class:`BudgetedEnvironment`) within the budget."""
    meter = _Meter()

    def local(frame, event, arg):
        if event == "line":
            meter.steps += 1
            if meter.steps > MAX_STEPS:
                raise _out_of_steps()
        return local

    def global_trace(frame, event, arg):
        meter.steps += CALL_STEPS  # every function called while the template runs is work
        if meter.steps > MAX_STEPS:
            raise _out_of_steps()
        return local if frame.f_code.co_filename == TEMPLATE_FILE else None

    previous = sys.gettrace()
    chunks: list[str] = []
    total = 0
    token = _METER.set(meter)
    sys.settrace(global_trace)
    try:
        for chunk in template.generate(**context):
            total += len(chunk)
            if total > MAX_OUTPUT:
                raise TemplateBudgetError(N_("it produces too much text"))
            chunks.append(chunk)
    finally:
        sys.settrace(previous)
        _METER.reset(token)
    return "".join(chunks)
