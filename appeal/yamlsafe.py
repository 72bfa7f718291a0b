"""YAML for case files: safe types only, aliases bounded, every string checked.

``yaml.safe_load`` builds nothing dangerous, but it follows aliases: nine lines of
"billion laughs" (``b: [*a, *a, ...]``) stand for 10⁹ values, which validation, JSON export or
a template loop would then walk. Aliases stay allowed (sharing an address between targets is
handy), but the document they expand to is capped. Strings are checked by the same rules as
typed text, so a control character in a target's name is reported with its field instead of
corrupting a DOCX later.
"""

from __future__ import annotations

import yaml

from .text import _problem

MAX_NODES = 100_000  # values in the document once aliases are expanded


class YamlTooBig(Exception):
    """The document expands (through aliases) to more than ``MAX_NODES`` values."""


class YamlTooDeep(Exception):
    """The document nests collections deeper than the parser allows."""


# libyaml parses in C, in linear time, and stops at a nesting depth of 1,000; the pure-Python
# scanner takes seconds (quadratic) on a line of a few thousand '['. PyYAML's wheels ship libyaml.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _expanded_size(root: yaml.Node) -> int:
    """Values the node stands for with aliases expanded; each shared node is sized once."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        if done or not children:
            sizes[id(node)] = 1 + sum(sizes.get(id(c), 0) for c in children)
            if sizes[id(node)] > MAX_NODES:
                raise YamlTooBig
            continue
        stack.append((node, True))
        stack += [(c, False) for c in children if id(c) not in sizes]
    return sizes[id(root)]


def load_yaml(text: str):
    """Like ``yaml.safe_load``, refusing documents that aliases blow up."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node)
        return loader.construct_document(node)
    except RecursionError:
        raise YamlTooDeep from None
    except yaml.YAMLError as exc:
        if "nesting depth" in str(exc):
            raise YamlTooDeep from None
        raise
    finally:
        loader.dispose()


def text_problems(data, where: str = "") -> list[tuple[str, str]]:
    """``(field path, problem)`` for every string (keys too) with a character no letter may
    hold: control characters, lone surrogates, bidi overrides, noncharacters."""
    found: list[tuple[str, str]] = []
    stack = [(where, data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                sub = f"{path}.{key}" if path else str(key)
                stack.append((sub, key if isinstance(key, str) else None))
                stack.append((sub, item))
        elif isinstance(value, list):
            stack += [(f"{path}.{i}", item) for i, item in enumerate(value)]
        elif isinstance(value, str):
            for ch in value:
                if ch in "\n\t\r":
                    continue
                problem = _problem(ch)
                if problem:
                    found.append((path or "(top level)", problem))
                    break
    return sorted(found)
