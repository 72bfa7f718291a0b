"""``appeal post`` and ``appeal call``: a public post per language, a phone script per target."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from ..errors import UsageError
from ..i18n import N_, _
from . import options as o
from .common import counted_message, deadline_warning, split_list, user_errors


def post_command(
    case: o.CaseArg,
    lang: Annotated[str | None, typer.Option(
        metavar="LANG",
        help=N_("Language of the post; default: one post per language of the case."))] = None,
    to: o.To = None,
    text: Annotated[str | None, typer.Option(
        metavar="TEXT",
        help=N_("Your own words instead of the case summary (shortened to fit)."))] = None,
    url: Annotated[str | None, typer.Option(
        metavar="URL", help=N_("A link to add, e.g. the UA page."))] = None,
    record: Annotated[bool, typer.Option(
        "--record", help=N_("Count the post(s) in your tally: use it once you have "
                            "posted."))] = False,
    cases: o.Cases = None,
) -> None:
    from ..actions import record_posts, tally
    from ..api import load_case
    from ..channels.post import MAX_WEIGHT, compose_post, post_languages
    from ..readiness import POST, select
    from ..text import clean_field

    with user_errors():
        loaded = load_case(case, cases)
        deadline_warning(loaded.case, dt.date.today())
        targets = select(loaded, POST, tuple(split_list(to))).targets
        own = clean_field(text, "--text", multiline=True, limit="note") if text else None
        posts = [compose_post(loaded, lg, targets, text=own, url=url)
                 for lg in post_languages(loaded, lang)]
        if not posts:
            raise UsageError(_("appeal has no post wording in the languages of {case}.")
                             .format(case=loaded.id), _("Choose one with --lang."))
        with tally(record) as ledger:
            for i, post in enumerate(posts):
                if i:
                    typer.echo("")
                typer.echo(_("[{lang}] {weight}/{limit} characters (X/Twitter count)").format(
                    lang=post.lang, weight=post.weight, limit=MAX_WEIGHT))
                typer.echo(post.text)
            typer.echo("")
            if ledger:
                # One post was made: without --lang, the first language shown (the case's
                # own) is the one counted, not one post per language.
                typer.echo(counted_message(record_posts(ledger, loaded, posts[:1])))
            else:
                typer.echo(_("Once you have posted, count it: add --record (with --lang for "
                             "the language you used)."))


def call_command(
    case: o.CaseArg, to: o.To = None, lang: o.Lang = None,
    name: Annotated[str | None, typer.Option(
        metavar="NAME", help=N_("Your name, to introduce yourself."))] = None,
    city: Annotated[str | None, typer.Option(
        metavar="CITY", help=N_("Where you are calling from."))] = None,
    cases: o.Cases = None,
) -> None:
    from ..api import load_case
    from ..channels.call import call_script, phone_targets
    from ..readiness import CALL, select

    with user_errors():
        loaded = load_case(case, cases)
        deadline_warning(loaded.case, dt.date.today())
        wanted = tuple(split_list(to))
        for line in select(loaded, CALL, wanted).skipped_lines(CALL):
            typer.echo(line, err=True)
        scripts = [call_script(loaded, t, lang=lang, name=name, city=city)
                   for t in phone_targets(loaded, wanted)]
    for i, script in enumerate(scripts):
        if i:
            typer.echo("")
        typer.echo(_("Call {name}: {phones}").format(
            name=script.target.name, phones=" / ".join(script.phones)))
        for line in script.lines:
            typer.echo("")
            typer.echo("  " + line)
        typer.echo("")
        typer.echo(_("After the call, count it: appeal record {case} --channel call --to "
                     "{target}").format(case=loaded.id, target=script.target.id))
    typer.echo(_("Be brief and polite. If you reach voicemail, leave your name and the "
                 "message."))


def register(app: typer.Typer) -> None:
    from .help import AppealCommand

    app.command("post", cls=AppealCommand, help=N_(
        "Compose a short public post per language that mentions the targets' handles."))(
        post_command)
    app.command("call", cls=AppealCommand, help=N_(
        "Print a short, polite phone script per target with a phone number."))(call_command)
