import pytest

from appeal.i18n import set_language


@pytest.fixture(autouse=True)
def _english_ui():
    set_language("en")
    yield
    set_language("en")
