"""Shared helpers for the channels and ledger tests (a plain module, not a conftest, so it
cannot clash with other features' fixtures)."""

import shutil
from pathlib import Path

import typer
import yaml
from typer.testing import CliRunner

from appeal.cli.email import register as register_email
from appeal.cli.post import register as register_post
from appeal.cli.tally import register as register_tally
from appeal.resources import bundled_dir


def make_app() -> typer.Typer:
    app = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False)

    @app.callback()
    def _root() -> None:
        pass

    for register in (register_email, register_post, register_tally):
        register(app)
    return app


def run(*args: str, input: str | None = None, env: dict | None = None):
    from appeal.i18n import set_language

    set_language("en")
    return CliRunner().invoke(make_app(), list(args), input=input, env=env,
                              catch_exceptions=False)


def custom_case(tmp_path: Path, edit) -> Path:
    """A copy of ua-100.21 as case 'ua-test', changed by ``edit(data)``; returns the folder."""
    src = bundled_dir("letters") / "ua-100.21"
    root = tmp_path / "cases"
    dst = root / "ua-test"
    shutil.copytree(src, dst)
    data = yaml.safe_load((dst / "case.yaml").read_text(encoding="utf-8"))
    data["id"] = "ua-test"
    edit(data)
    (dst / "case.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return root
