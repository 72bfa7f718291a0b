"""Route handlers. Each reads its request, does its work in a worker thread under the
library lock (see :mod:`.app`), and answers with a page, a file or a redirect; a user's
mistake is a form error, never a server error page."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
import unicodedata

from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from ..errors import AppealError
from ..i18n import _, ngettext, set_language
from ..i18n import _load as catalog_for
from .app import ENVELOPES, UI_LANGUAGES, Web, attachment
from .letters import Draft, blank_letters, email_draft, jobs_for, letters_for, pack_pdf, \
    supporter_of

ACTIONS = ("preview", "queue", "pdf", "docx", "eml")


def _field(form, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def _countries(ui: str) -> list[tuple[str, str]]:
    from babel import Locale

    from ..compose import NOT_COUNTRIES

    names = Locale(ui).territories
    codes = [c for c in Locale("en").territories
             if len(c) == 2 and c.isalpha() and c not in NOT_COUNTRIES]
    def key(item):  # "Bélgica" between "Belice" and "Benín", as a reader expects
        return "".join(ch for ch in unicodedata.normalize("NFD", item[1].casefold())
                       if not unicodedata.combining(ch))

    return sorted(((c, names.get(c, c)) for c in codes), key=key)


def _case_view(web: Web, ui: str):
    from ..models import pick

    return [(c.id, c.case.ua_number, pick(c.case.title, ui)) for c in web.cases.values()]


def _targets(loaded, ui: str):
    from ..models import pick

    return [(t.id, t.name, pick(t.title, ui) if t.title else "", bool(t.emails))
            for t in loaded.case.targets]


def _attendee(web: Web, request, *, loaded=None, values=None, errors=(), letters=(),
              mailtos=None, done=None, status=200):
    ui = web.ui_language(request)
    _ = catalog_for(ui).gettext
    loaded = loaded or next(iter(web.cases.values()))
    values = values or {"country": web.config.country or "", "lang": loaded.case.preferred_language,
                        "targets": [t.id for t in loaded.case.targets]}
    return web.page(
        request, "attendee.html", status=status, ui=ui, case=loaded, cases=_case_view(web, ui),
        targets=_targets(loaded, ui), countries=_countries(ui), values=values,
        errors=list(errors), letters=list(letters), mailtos=mailtos or {}, done=done,
        example_openings=[
            _("I am writing to you from my town, where many of us follow this case…"),
            _("As a teacher (a student, a parent…), I was moved to learn that…"),
        ])


def switch_language(web: Web):
    async def handler(request):
        lang = request.path_params["lang"]
        back = request.query_params.get("next")
        response = RedirectResponse(back if back in ("/", "/organizer") else "/",
                                    status_code=303)
        if lang in UI_LANGUAGES:
            response.set_cookie("appeal_lang", lang, samesite="lax", max_age=86400 * 30)
        return response

    return handler


def attendee_page(web: Web):
    async def handler(request):
        code = request.query_params.get("code")
        if code is not None and web.config.lan:
            return await _try_join(web, request, code)
        if not web.joined(request):
            return web.page(request, "join.html", status=403, wrong=False)
        case_id = request.query_params.get("case")
        loaded = web.cases.get(case_id) if case_id else None
        return _attendee(web, request, loaded=loaded)

    return handler


async def _try_join(web: Web, request, code: str):
    client = request.client.host if request.client else "?"
    if web.join_throttle.wait(client):
        with web.texts(web.ui_language(request)) as _:
            title = _("Please wait a moment")
            text = _("Too many wrong join codes from your device. Please wait a minute and ask "
                     "the organizer for the code.")
        return web.message(request, title, text, 429)
    if not web.config.code or code.strip().upper() != web.config.code:
        return web.page(request, "join.html", status=403, wrong=True)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie("appeal_join", web.csrf.token("join:" + web.config.code),
                        httponly=True, samesite="lax")
    return response


def join(web: Web):
    async def handler(request):
        if request.method == "GET":
            return web.page(request, "join.html", wrong=False)
        form, refused = await web.form(request)
        if refused:
            return refused
        return await _try_join(web, request, _field(form, "code"))

    return handler


def _draft(web: Web, form) -> tuple[object, Draft]:
    case_id = _field(form, "case")
    loaded = web.cases.get(case_id)
    if loaded is None:
        raise AppealError(_("Choose one of tonight's cases."))
    targets = tuple(t for t in form.getlist("target") if isinstance(t, str))
    return loaded, Draft(case_id, targets, _field(form, "name"), _field(form, "city"),
                         _field(form, "country"), _field(form, "note"), _field(form, "lang"))


def letter_action(web: Web):
    async def handler(request):
        if not web.joined(request):
            return web.page(request, "join.html", status=403, wrong=False)
        form, refused = await web.form(request)
        if refused:
            return refused
        ui = web.ui_language(request)
        action, _sep, one = _field(form, "action").partition(":")
        if action not in ACTIONS:
            action = "preview"

        def work():
            with web.lock:
                set_language(ui)
                loaded = next(iter(web.cases.values()))
                values = {"name": _field(form, "name"), "city": _field(form, "city"),
                          "country": _field(form, "country"), "note": _field(form, "note"),
                          "lang": _field(form, "lang"), "targets": form.getlist("target")}
                try:
                    loaded, draft = _draft(web, form)
                    letters = letters_for(loaded, draft)
                    # The queue keeps the language the letters were made in (for the manifest).
                    draft = replace(draft, lang=draft.lang or loaded.case.preferred_language)
                    if action == "queue":
                        web.night.enqueue(draft)
                        done = len(letters)
                        return _attendee(web, request, loaded=loaded, done=done, values={
                            "country": draft.country, "city": draft.city, "lang": draft.lang,
                            "targets": list(draft.targets)})
                    if action in ("pdf", "docx", "eml"):
                        return _download(web, loaded, letters, action, one)
                    mailtos = {}
                    for letter in letters:
                        target = next(t for t in loaded.case.targets if t.id == letter.target_id)
                        if target.emails:
                            from ..channels.email import mailto

                            mailtos[letter.target_id] = mailto(letter, target)
                    return _attendee(web, request, loaded=loaded, values=values,
                                     letters=letters, mailtos=mailtos)
                except AppealError as exc:
                    errors = [exc.message] + ([exc.hint] if exc.hint else [])
                    return _attendee(web, request, loaded=loaded, values=values, errors=errors,
                                     status=400)

        return await run_in_threadpool(work)

    return handler


def _download(web: Web, loaded, letters, action: str, one: str):
    from ..api import letter_stem
    from ..files import safe_filename
    from ..render import render

    letter = next((l for l in letters if l.target_id == one), None)
    if letter is None:
        raise AppealError(_("Choose at least one official to write to."))
    stem = letter_stem(letter)
    if action == "eml":
        data, _link = email_draft(loaded, letter)
        _count(web, letter, "email", loaded)
        return attachment(data, safe_filename(stem, "eml"), "message/rfc822")
    data = render(letter, action)
    _count(web, letter, "letter", loaded)
    media = ("application/pdf" if action == "pdf" else
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    return attachment(data, safe_filename(stem, action), media)


def _count(web: Web, letter, channel: str, loaded) -> None:
    """A download counts like ``appeal compose`` / ``appeal email`` (same ledger keys)."""
    if web.config.record:
        from ..ledger import Ledger, record_letters

        if channel == "letter":
            record_letters([letter])
        else:
            from ..channels.email import email_key

            target = next(t for t in loaded.case.targets if t.id == letter.target_id)
            with Ledger() as ledger:
                ledger.record(letter.case_id, letter.target_id, "email",
                              letter.lang.split("-")[0], key=email_key(ledger, letter, target,
                                                                       None))
    web.night.note_download(letter, channel)


# -- organizer ------------------------------------------------------------------------------

def _forbidden(web: Web, request):
    with web.texts(web.ui_language(request)) as _:
        title = _("Organizer page")
        text = _("Open the organizer link printed in the terminal where appeal serve runs.")
    return web.message(request, title, text, 403)


def _organizer(web: Web, request, *, errors=(), done=None, status=200):
    ui = web.ui_language(request)
    from ..models import pick
    from ..paper import paper_for

    names = {(c.id, t.id): t.name for c in web.cases.values() for t in c.case.targets}
    return web.page(
        request, "organizer.html", status=status, ui=ui, here="/organizer",
        queue=web.night.queue(),
        counts=_counts_rows(web), queued=sum(web.night.waiting().values()),
        prints=web.night.prints(), errors=list(errors), done=done,
        names=names, cases=[(c.id, pick(c.case.title, ui), c.case.languages,
                             c.case.preferred_language) for c in web.cases.values()],
        paper=paper_for(web.config.country), envelopes=ENVELOPES)


def _counts_rows(web: Web):
    """(case, official's name, waiting, letters, emails) per official of every case."""
    tally = {(c, t, ch): n for c, t, ch, n in web.night.tally()}
    waiting = web.night.waiting()
    rows = []
    for loaded in web.cases.values():
        for t in loaded.case.targets:
            rows.append((loaded.id, t.name, waiting.get((loaded.id, t.id), 0),
                         tally.get((loaded.id, t.id, "letter"), 0),
                         tally.get((loaded.id, t.id, "email"), 0)))
    return rows


def organizer_page(web: Web):
    async def handler(request):
        token = request.query_params.get("token")
        if token is not None:
            if not web.organizer_token_ok(token):
                return _forbidden(web, request)
            response = RedirectResponse("/organizer", status_code=303)
            response.set_cookie("appeal_org", web.config.token, httponly=True, samesite="lax")
            return response
        if not web.organizer(request):
            return _forbidden(web, request)
        return await run_in_threadpool(lambda: _locked(web, request,
                                                       lambda: _organizer(web, request)))

    return handler


def _locked(web: Web, request, fn):
    with web.lock:
        set_language(web.ui_language(request))
        return fn()


def counts(web: Web):
    async def handler(request):
        if not web.organizer(request):
            return _forbidden(web, request)
        return web.page(request, "counts.html", counts=_counts_rows(web),
                        queued=sum(web.night.waiting().values()))

    return handler


def qr(web: Web):
    async def handler(request):
        if not web.organizer(request) or not web.config.lan:
            return _forbidden(web, request)
        import io

        import segno

        buf = io.BytesIO()
        segno.make(join_link(web.config), error="m").save(buf, kind="svg", scale=6, border=2)
        return Response(buf.getvalue(), media_type="image/svg+xml")

    return handler


def join_link(config) -> str:
    return f"{config.base_url}/?code={config.code}" if config.code else config.base_url + "/"


def manifest(web: Web):
    async def handler(request):
        if not web.organizer(request):
            return _forbidden(web, request)
        name = f"night-{dt.date.today().isoformat()}-manifest.csv"
        return attachment(web.night.manifest(), name, "text/csv; charset=utf-8")

    return handler


def organizer_file(web: Web):
    async def handler(request):
        if not web.organizer(request):
            return _forbidden(web, request)
        name = request.path_params["name"]
        made = {f for p in web.night.prints() for f in p["files"]}
        if name not in made:  # only files this night made: never a path from the request
            return not_found(web)(request, None)
        try:
            data = (web.night.folder / name).read_bytes()
        except OSError:
            return not_found(web)(request, None)
        return attachment(data, name, "application/pdf")

    return handler


def organizer_action(web: Web):
    async def handler(request):
        if not web.organizer(request):
            return _forbidden(web, request)
        form, refused = await web.form(request)
        if refused:
            return refused
        action = request.path_params["action"]
        ui = web.ui_language(request)

        def work():
            with web.lock:
                set_language(ui)
                try:
                    if action == "print":
                        return _organizer(web, request, done=_print(web, form))
                    if action == "clear":
                        n = web.night.clear()
                        return _organizer(web, request, done=ngettext(
                            "The queue is empty: {n} letter and its name were removed.",
                            "The queue is empty: {n} letters and their names were removed.", n)
                            .format(n=n))
                    if action == "remove":
                        web.night.remove({_field(form, "id")}, "cleared")
                        return RedirectResponse("/organizer", status_code=303)
                    if action == "blank":
                        return _blank(web, form)
                    return not_found(web)(request, None)
                except AppealError as exc:
                    errors = [exc.message] + ([exc.hint] if exc.hint else [])
                    return _organizer(web, request, errors=errors, status=400)

        return await run_in_threadpool(work)

    return handler


def _stamp(web: Web) -> str:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    n, out = 1, stamp
    while (web.night.folder / f"print-{out}.pdf").exists():
        n += 1
        out = f"{stamp}-{n}"
    return out


def _print(web: Web, form) -> str:
    """Print the queue: one PDF in one paper size, envelopes or labels, counted, and the
    queue entries taken out (with their names) in the same saved change."""
    from ..batch import envelopes, labels
    from ..files import atomic_write
    from ..paper import paper_for

    queue = web.night.queue()
    if not queue:
        raise AppealError(_("The print queue is empty."))
    paper = paper_for(None, _field(form, "paper") or paper_for(web.config.country))
    duplex = _field(form, "duplex") == "on"
    extra = _field(form, "extra") or "envelopes"
    kind = _field(form, "envelope") or None
    if kind and kind not in ENVELOPES:
        raise AppealError(_("Unknown envelope size '{size}'.").format(size=kind))
    items = []
    for q in queue:
        loaded = web.cases[q.draft.case_id]
        supporter = supporter_of(q.draft).cleaned()
        items += [(supporter, letter) for letter in letters_for(loaded, q.draft, paper=paper)]
    letters = [letter for _s, letter in items]
    stamp = _stamp(web)
    files = {f"print-{stamp}.pdf": pack_pdf(letters, web.night.folder, duplex)}
    jobs = jobs_for(web.cases, items)
    if extra == "envelopes":
        files[f"envelopes-{stamp}.pdf"] = envelopes.render_envelopes(jobs, paper, kind)
    elif extra == "labels":
        files[f"labels-{stamp}.pdf"] = labels.render_labels(jobs, paper)
    for name, data in files.items():
        try:
            atomic_write(web.night.folder / name, data)
        except OSError as exc:
            raise AppealError(_("Could not write {path}: {error}").format(
                path=web.night.folder / name, error=exc.strerror or exc))
    if web.config.record:
        from ..ledger import record_letters

        record_letters(letters)
    web.night.count(letters, "letter", printed={q.id for q in queue}, files=list(files))
    return ngettext("{n} letter is in {file}; it is marked printed and its name removed from "
                    "the queue.",
                    "{n} letters are in {file}; they are marked printed and their names "
                    "removed from the queue.", len(letters)).format(n=len(letters),
                                                                    file=next(iter(files)))


def _blank(web: Web, form):
    from ..paper import paper_for

    loaded = web.cases.get(_field(form, "case")) or next(iter(web.cases.values()))
    try:
        copies = int(_field(form, "copies") or "1")
    except ValueError:
        copies = 0
    paper = paper_for(None, _field(form, "paper") or paper_for(web.config.country))
    letters = blank_letters(loaded, web.config.country, _field(form, "lang") or None, paper,
                            copies)
    data = pack_pdf(letters, web.night.folder, _field(form, "duplex") == "on")
    return attachment(data, f"blank-{loaded.id}.pdf", "application/pdf")


# -- errors ---------------------------------------------------------------------------------

def not_found(web: Web):
    def handler(request, exc):
        with web.texts(web.ui_language(request)) as _:
            title, text = _("Page not found"), _("Go back to the letter page.")
        return web.message(request, title, text, 404)

    return handler


def server_error(web: Web):
    def handler(request, exc):
        with web.texts(web.ui_language(request)) as _:
            title = _("Something went wrong")
            text = _("The letter page met an unexpected problem; the organizer's terminal "
                     "shows the details. Your letter was not queued: try again.")
        return web.message(request, title, text, 500)

    return handler
