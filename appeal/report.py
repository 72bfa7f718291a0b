"""What the supporter (or group) did for a case, from the ledger: a table, a ready-to-paste
summary for the UA's "let us know the actions you took" form, and CSV / JSON exports."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from .cases import LoadedCase
from .csvcells import defuse
from .i18n import _, ngettext
from .ledger import CHANNELS, Ledger, Total


@dataclass(frozen=True)
class CaseReport:
    case_id: str
    ua_number: str
    title: str
    names: dict[str, str]  # target id -> name (ids of targets no longer in the case stay ids)
    totals: tuple[Total, ...]
    first_day: str | None
    last_day: str | None

    @property
    def total(self) -> int:
        return sum(t.count for t in self.totals)

    def by_channel(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for t in self.totals:
            out[t.channel] = out.get(t.channel, 0) + t.count
        return {c: out[c] for c in CHANNELS if c in out}

    def by_target(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for t in self.totals:
            out.setdefault(t.target_id, {})[t.channel] = t.count
        return out

    def name(self, target_id: str) -> str:
        return self.names.get(target_id, target_id)


def build_report(ledger: Ledger, case_id: str, loaded: LoadedCase | None, lang: str) -> CaseReport:
    actions = ledger.actions(case_id)
    days = sorted(a.day for a in actions)
    case = loaded.case if loaded else None
    order = {t.id: i for i, t in enumerate(case.targets)} if case else {}  # the UA's order
    return CaseReport(
        case_id=case_id,
        ua_number=(case.ua_number or "") if case else "",
        title=case.title_in(lang) if case else "",
        names={t.id: t.name or t.id for t in case.targets} if case else {},
        totals=tuple(sorted(ledger.totals(case_id), key=lambda t: (order.get(t.target_id, 1e9),
                                                                    t.target_id))),
        first_day=days[0] if days else None,
        last_day=days[-1] if days else None,
    )


def channel_count(channel: str, n: int) -> str:
    forms = {
        "letter": ngettext("{n} letter", "{n} letters", n),
        "email": ngettext("{n} email", "{n} emails", n),
        "fax": ngettext("{n} fax", "{n} faxes", n),
        "call": ngettext("{n} phone call", "{n} phone calls", n),
        "post": ngettext("{n} social media post", "{n} social media posts", n),
        "other": ngettext("{n} other action", "{n} other actions", n),
    }
    return forms[channel].format(n=n)


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def channel_label(channel: str) -> str:
    return {"letter": _("Letters"), "email": _("Emails"), "fax": _("Faxes"), "call": _("Calls"),
            "post": _("Posts"), "other": _("Other")}[channel]


def format_table(report: CaseReport) -> str:
    channels = [c for c in CHANNELS if c in report.by_channel()]
    header = [_("Target")] + [channel_label(c) for c in channels] + [_("Total")]
    rows = []
    for target_id, counts in report.by_target().items():
        rows.append([report.name(target_id)] + [str(counts.get(c, 0)) for c in channels]
                    + [str(sum(counts.values()))])
    rows.append([_("All targets")] + [str(report.by_channel()[c]) for c in channels]
                + [str(report.total)])
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    lines = []
    for row in [header] + rows:
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _long_date(day) -> str:
    """"28 November 2026" / "28 de noviembre de 2026", in the interface language: the summary
    is prose pasted into a form, where an ISO date reads oddly."""
    import datetime as dt

    from babel.dates import format_date

    from .i18n import current_language

    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return format_date(day, "long", locale=current_language())


def summary(report: CaseReport) -> str:
    """One paragraph to paste into the UA's action form."""
    ua = (_("Urgent Action {ua} ({title})").format(ua=report.ua_number, title=report.title)
          if report.ua_number else report.case_id)
    if not report.total:
        return _("No actions recorded yet for {ua}.").format(ua=ua)
    channels = _and([channel_count(c, n) for c, n in report.by_channel().items()])
    targets = _and([
        _("{name} ({n})").format(name=report.name(t), n=sum(c.values()))
        for t, c in report.by_target().items()
    ])
    first, last = _long_date(report.first_day), _long_date(report.last_day)
    if first == last:
        when = _("on {day}").format(day=first)
    else:
        when = _("between {first} and {last}").format(first=first, last=last)
    return ngettext(
        "We took {n} action for {ua} {when}: {channels}, addressed to {targets}.",
        "We took {n} actions for {ua} {when}: {channels}, addressed to {targets}.",
        report.total,
    ).format(n=report.total, ua=ua, when=when, channels=channels, targets=targets)


def to_rows(reports: list[CaseReport]) -> list[dict]:
    return [
        {"case_id": r.case_id, "ua_number": r.ua_number, "target_id": t.target_id,
         "target_name": r.name(t.target_id), "channel": t.channel, "count": t.count}
        for r in reports for t in r.totals
    ]


def to_csv(reports: list[CaseReport]) -> str:
    buf = io.StringIO()
    fields = ["case_id", "ua_number", "target_id", "target_name", "channel", "count"]
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: defuse(v) for k, v in row.items()} for row in to_rows(reports))
    return buf.getvalue()


def to_json(reports: list[CaseReport]) -> str:
    data = [
        {"case_id": r.case_id, "ua_number": r.ua_number, "title": r.title, "total": r.total,
         "first_day": r.first_day, "last_day": r.last_day, "by_channel": r.by_channel(),
         "totals": [row for row in to_rows([r])], "summary": summary(r)}
        for r in reports
    ]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
