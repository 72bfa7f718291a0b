"""Messages are put into words where they are shown: an error carries a message id and its
values, a case file's problems are in the reader's language, and the interface language
belongs to a context (one request), not to the process."""

from __future__ import annotations

import threading

import pytest

from appeal.api import AppealError, Supporter, compose_letters
from appeal.cases import read_case
from appeal.i18n import _, _load, current_language, set_language, using_language


def test_an_error_is_rendered_in_the_language_of_whoever_shows_it(case):
    with pytest.raises(AppealError) as err:
        compose_letters(case, Supporter("Ana\x07"))
    english = err.value.render(_)
    spanish = err.value.render(_load("es").gettext)
    assert english == ("name: contains a control character (U+0007) at character 4.",
                       "Remove it and try again.")
    assert spanish == ("nombre: contiene un carácter de control (U+0007) en la posición 4.",
                       "Elimínelo e inténtelo de nuevo.")


def _broken(case_copy, old: str, new: str):
    path = case_copy / "case.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(AppealError) as err:
        read_case(case_copy)
    return str(err.value)


@pytest.mark.parametrize("old, new, english, spanish", [
    ("id: president", "id: ambassador", "targets: the same id is used twice: ambassador",
     "targets: el mismo identificador aparece dos veces: ambassador"),
    ("letters:", "nickname: x\nletters:", "nickname: not a field a case can have",
     "nickname: no es un campo que un caso pueda tener"),
    ("preferred_language: es", "preferred_language: it", "preferred_language 'it' has no "
     "sample letter", "preferred_language «it» no tiene carta modelo"),
])
def test_case_file_problems_in_the_readers_language(case_copy, old, new, english, spanish):
    assert english in _broken(case_copy, old, new)
    set_language("es")
    message = _broken(case_copy, old, new)
    assert spanish in message and "Field required" not in message


def test_the_interface_language_belongs_to_a_context():
    seen = {}

    def request(lang):
        with using_language(lang):
            seen[lang] = (current_language(), _("Usage: "))

    threads = [threading.Thread(target=request, args=(lang,)) for lang in ("es", "en")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"es": ("es", "Uso: "), "en": ("en", "Usage: ")}
    assert current_language() == "en"  # the caller's own context is untouched


def test_unknown_case_and_target_are_put_into_words_where_shown(case):
    from appeal.api import Options, load_case

    gettext_es = _load("es").gettext
    with pytest.raises(AppealError) as err:
        load_case("ua-0")
    assert err.value.render(gettext_es)[0] == "Caso desconocido: «ua-0»."
    with pytest.raises(AppealError) as err:
        compose_letters(case, Supporter("Ana"), options=Options(targets=("nobody",)))
    assert err.value.render(_)[0] == "Case ua-100.21 has no target 'nobody'."
    assert "nobody" in err.value.render(gettext_es)[0] != err.value.render(_)[0]
