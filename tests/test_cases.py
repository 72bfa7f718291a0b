"""Case files are validated strictly and found in user folders; templates run sandboxed."""

from __future__ import annotations

import pytest
import yaml

from appeal.api import AppealError, Options, Supporter, UsageError, compose_letters, list_cases, load_case


def edit_case(folder, change):
    path = folder / "case.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_bundled_case_is_listed(case):
    cases, problems = list_cases()
    assert [c.id for c in cases] == ["ua-100.21"]
    assert problems == []
    assert case.case.preferred_language == "es"
    assert [t.id for t in case.case.targets] == ["president", "ambassador"]


def test_every_problem_is_reported_at_once_with_file_and_field(case_copy):
    def break_it(data):
        data["titel"] = data.pop("title")  # misspelled field
        del data["country"]  # missing required field
        data["deadline"] = "someday"  # bad value
        data["targets"][0]["role"] = "pharaoh"

    edit_case(case_copy, break_it)
    with pytest.raises(AppealError) as err:
        load_case("ua-100.21", [case_copy.parent])
    message = err.value.message
    path = str(case_copy / "case.yaml")
    for field in ("titel", "title", "country", "deadline", "targets.0.role"):
        assert f"{path}: {field}:" in message
    assert "5 problems" in message


def test_yaml_syntax_error_is_a_clear_message(case_copy):
    (case_copy / "case.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(AppealError, match="not valid YAML"):
        load_case("ua-100.21", [case_copy.parent])


def test_missing_template_is_reported(case_copy):
    (case_copy / "letter.en.j2").unlink()
    with pytest.raises(AppealError, match="letter.en.j2"):
        load_case("ua-100.21", [case_copy.parent])


def test_user_cases_folder_and_environment_variable(case_copy, monkeypatch):
    edit_case(case_copy, lambda d: d["title"].update(en="Overridden"))
    monkeypatch.setenv("APPEAL_CASES", str(case_copy.parent))
    assert load_case("ua-100.21").case.title["en"] == "Overridden"  # user folders win
    monkeypatch.delenv("APPEAL_CASES")
    assert load_case("ua-100.21", [case_copy.parent]).case.title["en"] == "Overridden"
    assert load_case("ua-100.21").case.title["en"] == "Mass deportations must stop"


def test_unknown_case_lists_known_ones():
    with pytest.raises(UsageError) as err:
        load_case("ua-999.99")
    assert "ua-100.21" in err.value.hint


def test_templates_render_in_the_sandbox(case_copy):
    (case_copy / "letter.en.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    loaded = load_case("ua-100.21", [case_copy.parent])
    with pytest.raises(AppealError, match="could not be filled in"):
        compose_letters(loaded, Supporter("Ana"), options=Options(lang="en"))


def test_undefined_template_variable_is_an_error_not_a_blank(case_copy):
    (case_copy / "letter.en.j2").write_text("Dear {{ target.nickname }}, hello.")
    loaded = load_case("ua-100.21", [case_copy.parent])
    with pytest.raises(AppealError, match="nickname"):
        compose_letters(loaded, Supporter("Ana"), options=Options(lang="en"))


def test_a_draft_case_loads_with_what_it_has_and_lists_what_it_lacks(tmp_path):
    from appeal.models import missing_fields

    folder = tmp_path / "ua-draft"
    folder.mkdir()
    (folder / "case.yaml").write_text(
        "id: ua-draft\nstatus: draft\npreferred_language: en\n"
        "targets:\n- id: attorney-general\n  address:\n    lines: [Calle 1]\n",
        encoding="utf-8",
    )
    loaded = load_case("ua-draft", [tmp_path])
    assert loaded.case.status == "draft"
    assert missing_fields(loaded.case) == [
        "ua_number", "title", "country", "deadline", "targets[0].name",
        "targets[0].address.city", "targets[0].address.country", "letters",
    ]


def test_a_complete_case_lacking_required_values_says_draft(case_copy):
    def break_it(data):
        del data["country"]
        data["targets"][0]["name"] = ""

    edit_case(case_copy, break_it)
    with pytest.raises(AppealError) as err:
        load_case("ua-100.21", [case_copy.parent])
    path = str(case_copy / "case.yaml")
    assert f"{path}: country:" in err.value.message
    assert f"{path}: targets.0.name:" in err.value.message
