"""Posts fit X/Twitter's weighted length (URLs 23, CJK and emoji 2) and trim at a word."""

import pytest

from ._channels_util import custom_case, run
from appeal.api import load_case
from appeal.channels.post import ELLIPSIS, MAX_WEIGHT, compose_post, fit, weighted_length
from appeal.errors import AppealError
from appeal.ledger import Ledger


@pytest.fixture(autouse=True)
def ledger_path(tmp_path, monkeypatch):
    path = tmp_path / "ledger.sqlite3"
    monkeypatch.setenv("APPEAL_LEDGER", str(path))
    return path


def test_weighted_length_follows_the_official_rules():
    assert weighted_length("abc") == 3
    assert weighted_length("é" * 10) == 10  # Latin-1 range weighs 1
    assert weighted_length("世界") == 4  # CJK weighs 2
    assert weighted_length("😀") == 2 and weighted_length("👨‍👩‍👧") == 2  # one emoji, ZWJ too
    assert weighted_length("see https://example.org/" + "x" * 200) == 4 + 23  # URLs weigh 23


@pytest.mark.parametrize("free", [
    "palabra " * 100,
    "人権 " * 200,
    "😀 help now " * 60,
    "mixed 世界 text https://example.org/a/very/long/path 😀 " * 20,
])
def test_fit_never_exceeds_and_cuts_at_a_word(free):
    head, tail = "@lopezobrador_ @emoctezumab Title (UA 1.21).", "https://amnesty.org/x #UA"
    text, trimmed = fit(head, free, tail)
    assert trimmed and weighted_length(text) <= MAX_WEIGHT
    assert text.startswith(head) and text.endswith(tail)
    kept = text[len(head):-len(tail)].strip()
    assert kept.endswith(ELLIPSIS)
    words = kept[:-1].split()
    assert words == free.split()[:len(words)]  # whole words only, in order
    # and it is the longest such prefix: one more word would not fit
    longer = " ".join(free.split()[:len(words) + 1]) + ELLIPSIS
    assert weighted_length(f"{head} {longer} {tail}") > MAX_WEIGHT


def test_short_text_is_kept_whole():
    assert fit("@a Title.", "Short text.", "#UA") == ("@a Title. Short text. #UA", False)


def test_too_many_handles_is_a_clear_error():
    with pytest.raises(AppealError, match="too long even without its text"):
        fit("@" + "x" * 300, "words here", "")


def test_post_per_language_mentions_handles_and_fits():
    result = run("post", "ua-100.21", "--url", "https://www.amnesty.org/en/documents/amr41/")
    assert result.exit_code == 0, result.output
    assert "[en] " in result.output and "[es] " in result.output
    posts = [line for line in result.output.splitlines() if line.startswith("@lopezobrador_")]
    assert len(posts) == 5  # one per letter language of the case: de, en, es, fr, pt
    for post in posts:
        assert weighted_length(post) <= MAX_WEIGHT
        assert "@emoctezumab" in post and "@EmbamexEUA" in post and "100.21" in post
        assert "https://www.amnesty.org/en/documents/amr41/" in post
    es = next(p for p in posts if "Acción Urgente 100.21" in p)
    assert ELLIPSIS in es and es.endswith("#AcciónUrgente")
    assert "--record" in result.output  # composing is not posting: nothing counted yet


def test_post_with_own_text_in_cjk_and_record(ledger_path):
    text = "我们要求立即停止大规模驱逐出境 😀 " * 30
    result = run("post", "ua-100.21", "--lang", "es", "--to", "ambassador", "--text", text,
                 "--record")
    assert result.exit_code == 0, result.output
    post = next(line for line in result.output.splitlines() if line.startswith("@"))
    assert post.startswith("@emoctezumab @EmbamexEUA ") and "@lopezobrador_" not in post
    assert weighted_length(post) <= MAX_WEIGHT and ELLIPSIS in post
    assert "1 new action counted" in result.output
    again = run("post", "ua-100.21", "--lang", "es", "--to", "ambassador", "--record")
    assert "Already counted in your tally" in again.output  # same post, same day: once
    with Ledger(ledger_path) as ledger:
        assert [(t.target_id, t.channel, t.count) for t in ledger.totals("ua-100.21")] == [
            ("ambassador", "post", 1)]


def test_post_in_french_uses_french_wording(tmp_path):
    def add_french(data):
        data["title"]["fr"] = "Les expulsions massives doivent cesser"
        data["summary"]["fr"] = "Depuis août, les autorités mexicaines procèdent à des expulsions."

    cases = custom_case(tmp_path, add_french)
    loaded = load_case("ua-test", [cases])
    post = compose_post(loaded, "fr", loaded.case.targets)
    assert "Les expulsions massives doivent cesser (Action urgente 100.21)." in post.text
    assert post.text.endswith("#ActionUrgente") and not post.trimmed


def test_post_errors_are_clear(tmp_path):
    assert run("post", "ua-100.21", "--lang", "xx").exit_code == 2
    assert run("post", "ua-100.21", "--url", "ftp://x").exit_code == 2

    def no_handles(data):
        for t in data["targets"]:
            t["twitter"] = []

    cases = custom_case(tmp_path, no_handles)
    result = run("post", "ua-test", "--cases", str(cases))
    assert result.exit_code == 2 and "social media handle" in result.output


def test_post_record_without_lang_counts_one_post(ledger_path):
    """Five posts are shown (one per language of the case), but one is posted: one counted."""
    result = run("post", "ua-100.21", "--to", "president,ambassador", "--record")
    assert result.exit_code == 0, result.output
    assert len([line for line in result.output.splitlines() if line.startswith("@")]) == 5
    with Ledger(ledger_path) as ledger:
        assert [(t.target_id, t.channel, t.count) for t in ledger.totals("ua-100.21")] == [
            ("ambassador", "post", 1), ("president", "post", 1)]
