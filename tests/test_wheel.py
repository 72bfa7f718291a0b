"""The built wheel works on its own: bundled cases and compiled catalogs are inside it.

Builds the wheel with the project's build hook (no network: --no-build-isolation), unpacks it
and runs ``python -m appeal`` from the unpacked copy, away from the source checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory):
    pytest.importorskip("hatchling", reason="the test extra installs hatchling")
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(dist), str(ROOT)],
        check=True, capture_output=True,
    )
    [wheel] = dist.glob("appeal-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    site = tmp_path_factory.mktemp("site")
    zipfile.ZipFile(wheel).extractall(site)
    return site, names


def test_wheel_contains_cases_and_compiled_catalogs(unpacked_wheel):
    _site, names = unpacked_wheel
    assert "appeal/_bundled/letters/ua-100.21/case.yaml" in names
    assert "appeal/_bundled/letters/ua-100.21/letter.es.j2" in names
    assert "appeal/_bundled/locales/es/LC_MESSAGES/appeal.mo" in names
    assert "appeal/data/forms.yaml" in names
    assert "appeal/web/templates/attendee.html" in names  # appeal serve's pages
    assert "appeal/web/static/style.css" in names
    assert "appeal/_bundled/locales/es/LC_MESSAGES/web.mo" in names
    assert not any(n.endswith(".po") for n in names)


def test_installed_copy_composes_and_speaks_spanish(unpacked_wheel, tmp_path):
    site, _names = unpacked_wheel
    env = {**os.environ, "PYTHONPATH": str(site), "LANGUAGE": "es"}
    where = subprocess.run([sys.executable, "-c", "import appeal; print(appeal.__file__)"],
                           env=env, cwd=tmp_path, capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(site))
    result = subprocess.run(
        [sys.executable, "-m", "appeal", "compose", "ua-100.21", "--name", "Ana García",
         "--country", "MX", "--to", "president", "--out", "out"],
        env=env, cwd=tmp_path, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "Carta a Andrés Manuel López Obrador:" in result.stdout  # compiled .mo was found
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == [".docx", ".pdf"]
