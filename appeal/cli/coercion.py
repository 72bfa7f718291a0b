"""Typer's value coercion without pydantic for the plain option types.

Typer 0.29 turns every command-line value into its Python type through a pydantic
``TypeAdapter`` built for each parameter when the command runs, even for an option that was
not given: for ``compose``'s twenty options that is ~0.2 s of a 0.3 s budget, plus importing
pydantic's type machinery. Most of appeal's options are text, paths and flags, whose coercion
cannot fail, so :func:`install` gives each parameter a runtime coercion that handles those
values itself (the same result Typer's adapters give: ``tests/test_cli_coercion.py``) and
hands anything else (numbers, dates, values that are not ``str``) to Typer's own, built only
then. Messages and errors are therefore Typer's, unchanged.

It relies on Typer's private ``_coercion`` layer, hence the pinned range in pyproject.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import coerce_cli_path

_UNHANDLED = object()


@dataclass(frozen=True)
class PlainRuntimeParam(RuntimeParam):
    """Coerces ``str``, ``bool``, ``Path`` and lists of them; delegates everything else."""

    descriptor: TypeDescriptor

    def _coerce_value(self, value: Any, param, ctx) -> Any:
        result = _plain(self.annotation, value, self.parameter_info, param, ctx)
        if result is not _UNHANDLED:
            return result
        full = self.__dict__.get("_full")
        if full is None:
            full = build_runtime_param(self.descriptor)
            object.__setattr__(self, "_full", full)
        return full._coerce_value(value, param=param, ctx=ctx)


def _plain(annotation, value, info, param, ctx) -> Any:
    if annotation is str:
        return value if type(value) is str else _UNHANDLED
    if annotation is bool:
        return value if type(value) is bool else _UNHANDLED
    if annotation is Path:
        if type(value) is str and info.path_type is None:
            value = Path(value)
        if not isinstance(value, Path) or info.resolve_path:
            return _UNHANDLED
        return coerce_cli_path(value, info, path_type=Path, param=param, ctx=ctx)
    item = _list_item(annotation)
    if item is not None and isinstance(value, (list, tuple)):
        items = [_plain(item, v, info, param, ctx) for v in value]
        return _UNHANDLED if _UNHANDLED in items else items
    return _UNHANDLED


def _list_item(annotation) -> Any:
    if getattr(annotation, "__origin__", None) is list:
        (item,) = annotation.__args__
        if item in (str, Path):
            return item
    return None


def install(params) -> None:
    """Give each Typer parameter of a command the plain coercion (before its first use)."""
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", None) is not None:
            continue
        param._runtime_param = PlainRuntimeParam(
            parameter_info=descriptor.parameter_info, annotation=descriptor.annotation,
            descriptor=descriptor)
