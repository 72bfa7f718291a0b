"""``appeal check CASE``: re-read an edited case and say what still blocks which output.

The decisions are :mod:`appeal.readiness`'s (the same that compose, batch, email, post and
call apply); this module only prints them. Exit code 0: no gap blocks any output; 1: a gap
still blocks one, or the case file has errors; 2: unknown case.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .i18n import _


def _no_channel(output: str) -> str:
    from .readiness import CALL, EMAIL, POST

    return {EMAIL: _("no email address"), CALL: _("no phone number"),
            POST: _("no social media handle")}[output]


def _none_has(output: str) -> str:
    from .readiness import CALL, EMAIL, POST

    return {EMAIL: _("no target has an email address"), CALL: _("no target has a phone number"),
            POST: _("no target has a social media handle")}[output]


def check_lines(loaded) -> tuple[list[str], bool]:
    """The report as lines, and whether a gap still blocks an output."""
    from .cases import CASE_FILE
    from .readiness import gaps, output_label, output_short, overview

    case = loaded.case
    path = loaded.folder / CASE_FILE
    status = _("draft") if case.status == "draft" else _("complete")
    out = [_("{case} ({status}) — {path}").format(case=case.id, status=status, path=path)]
    found = gaps(loaded)
    if found:
        out += ["", _("Missing:")]
        for gap in found:
            if gap.blocks:
                line = _("{field}: {what}; blocks {outputs}").format(
                    field=gap.field, what=gap.describe(),
                    outputs=", ".join(output_short(o) for o in sorted(gap.blocks, key=_order)))
            else:
                line = _("{field}: {what}; blocks nothing (for your information)").format(
                    field=gap.field, what=gap.describe())
            out.append("  - " + line)
    out += ["", _("Outputs:")]
    blocked_any = False
    for state in overview(loaded):
        label = output_label(state.output)
        reasons = [f"{t.id} ({', '.join(g.describe() for g in gs)})" for t, gs in state.blocked]
        reasons += [f"{t.id} ({_no_channel(state.output)})" for t in state.no_channel]
        if state.case_gaps:
            line = _("{output}: blocked by {what}").format(
                output=label, what=", ".join(g.describe() for g in state.case_gaps))
        elif not state.ready and not state.blocked and state.no_channel:
            line = _("{output}: {none}").format(output=label, none=_none_has(state.output))
        elif not state.ready:
            line = _("{output}: no target: {why}").format(
                output=label, why="; ".join(reasons) or _("the case has no targets"))
        elif reasons:
            line = _("{output}: ready for {ready}; not for {others}").format(
                output=label, ready=", ".join(t.id for t in state.ready),
                others="; ".join(reasons))
        else:
            line = _("{output}: ready for {ready}").format(
                output=label, ready=", ".join(t.id for t in state.ready))
        blocked_any = blocked_any or bool(state.case_gaps or state.blocked)
        out.append("  " + line)
    out.append("")
    blocked_any = blocked_any or any(g.blocks for g in found)
    if blocked_any:
        out.append(_("Add the missing fields in {path}, then run 'appeal check {case}' "
                     "again.").format(path=path, case=case.id))
    elif case.status == "draft":
        out.append(_("Nothing blocks any output. Mark the case complete with: appeal check "
                     "{case} --mark-complete").format(case=case.id))
    else:
        out.append(_("The case is complete."))
    return out, blocked_any


def _order(output: str) -> int:
    from .readiness import OUTPUTS

    return OUTPUTS.index(output)


def register(app: typer.Typer) -> None:
    """Add the ``check`` command to ``app``."""

    @app.command("check", help=_(
        "Check a case after editing it: what is missing, and which output (letters, print, "
        "email, post, call) each gap still blocks."))
    def check_command(
        case: Annotated[str, typer.Argument(metavar="CASE", help=_("Case id, e.g. ua-100.21"))],
        mark_complete: Annotated[bool, typer.Option(
            "--mark-complete", help=_("Change 'status: draft' to 'status: complete' in "
                                      "case.yaml once nothing required is missing."))] = False,
        cases: Annotated[Optional[list[Path]], typer.Option(
            "--cases", metavar="DIR",
            help=_("Extra folder of cases (repeatable); also $APPEAL_CASES."))] = None,
    ) -> None:
        from .api import load_case
        from .cli import user_errors

        with user_errors():
            loaded = load_case(case, cases)
            if mark_complete and loaded.case.status == "draft":
                from .readiness import mark_complete as mark

                loaded = mark(loaded)
                typer.echo(_("Marked {case} complete in {path}.").format(
                    case=loaded.id, path=loaded.folder / "case.yaml"))
        lines, blocked = check_lines(loaded)
        typer.echo("\n".join(lines))
        if blocked:
            raise typer.Exit(1)
