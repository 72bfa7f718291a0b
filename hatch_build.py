"""Compile the gettext catalogs (locales/*/LC_MESSAGES/*.po) into the wheel.

Only the .po sources are committed; the .mo files are built here so that an installed
appeal finds its translations without a source checkout.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogsHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        if self.target_name != "wheel":
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root)
        out = Path(tempfile.mkdtemp(prefix="appeal-mo-"))
        for po_path in sorted((root / "locales").glob("*/LC_MESSAGES/*.po")):
            lang = po_path.parent.parent.name
            with po_path.open("rb") as fh:
                catalog = read_po(fh, locale=lang)
            mo_path = out / lang / "LC_MESSAGES" / (po_path.stem + ".mo")
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with mo_path.open("wb") as fh:
                write_mo(fh, catalog)
            dest = f"appeal/_bundled/locales/{lang}/LC_MESSAGES/{po_path.stem}.mo"
            build_data["force_include"][str(mo_path)] = dest
