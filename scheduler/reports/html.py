"""A self-contained HTML report: opens offline, with inline CSS and charts as inline SVG.

Sections (each an element with a stable id, for people and for tests): ``summary`` (key
figures), ``charts`` (demand vs capacity, predicted waits, roster Gantt, penalties by rule;
a chart without its input is replaced by a note), ``roster`` (the week grid coloured by
post), ``coverage`` (every hour and post short of staff, with the requirement's reason when the
requirement frame is given), ``people`` (per-person totals) and ``rules`` (solver figures,
every penalty as a sentence, warnings, conflicts).
"""

from __future__ import annotations

import datetime as dt
import html
import math
from pathlib import Path

import pandas as pd

from scheduler.domain import Availability, BranchConfig
from scheduler.io.atomic import atomic_write_text
from scheduler.reports.charts import Chart, chart_svg, report_charts
from scheduler.reports.labels import Labels
from scheduler.reports.view import RosterView, build_view, clock, to_date, to_minutes
from scheduler.reports.workbook import PEOPLE_FIELDS, text_colour
from scheduler.roster.result import RosterResult

CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:24px;
color:#212121;background:#fafafa}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid
#1565c0;padding-bottom:4px}
.meta{color:#616161;margin:0 0 12px}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px 16px;min-width:120px}
.card .value{font-size:22px;font-weight:bold}.card .label{color:#616161;font-size:12px}
figure.chart{background:#fff;border:1px solid #ddd;border-radius:6px;margin:12px 0;padding:8px}
figure.chart svg{width:100%;height:auto}
p.note{background:#fff8e1;border-left:4px solid #ffb300;padding:8px 12px}
table{border-collapse:collapse;background:#fff;font-size:13px;margin:8px 0}
th,td{border:1px solid #bdbdbd;padding:4px 6px;vertical-align:top}
th{background:#dde3ea}
td.num{text-align:right}
table.roster td.day{white-space:pre-line;min-width:150px;font-size:12px}
td.off{background:#f2f2f2;color:#757575}td.leave{background:#fff2cc}td.free{background:#e0e0e0}
tr.total td{font-weight:bold}
.legend{display:flex;flex-wrap:wrap;gap:6px;margin:6px 0}
.swatch{padding:2px 8px;border-radius:3px;font-size:12px}
td.short{background:#ffc7ce;color:#9c0006;font-weight:bold}
#js-errors{display:none;color:#b71c1c}
.scroll{overflow-x:auto}
@media print{body{margin:0;background:#fff}figure.chart,tr{break-inside:avoid}
.scroll{overflow:visible}}
"""

SCRIPT = """
(function () {
  var box = document.getElementById("js-errors");
  window.addEventListener("error", function (event) {
    box.style.display = "block";
    box.textContent += "script error: " + event.message + "\\n";
  });
  document.documentElement.setAttribute("data-rendered",
    String(document.querySelectorAll("table.roster td.day").length));
})();
"""


def esc(value: object) -> str:
    """HTML-escaped text of ``value`` (empty for ``None`` and NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value))


def _num(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float | int):
        return f"{float(value):g}" if float(value) != int(float(value)) else str(int(value))
    return esc(value)


def _summary(view: RosterView, labels: Labels) -> str:
    res = view.result
    cov = res.coverage
    slot_hours = view.config.branch.slot_minutes / 60
    short = float(-cov["gap"].astype(float).clip(upper=0).sum()) * slot_hours if len(cov) else 0.0
    required = float(cov["required"].astype(float).sum()) * slot_hours if len(cov) else 0.0
    covered = f"{100 * (1 - short / required):.1f}%" if required else "100%"
    hours = sum(s.paid_minutes for s in view.shifts) / 60
    working = len({s.staff_id for s in view.shifts} | {b.staff_id for b in view.blocks})
    total_penalty = sum(p.cost for p in res.penalties)
    cards = [
        ("people", labels("summary_people"), working),
        ("shifts", labels("summary_shifts"), len(view.shifts)),
        ("hours", labels("summary_hours"), round(hours, 2)),
        ("short", labels("summary_short"), round(short, 2)),
        ("covered", labels("summary_covered"), covered),
        ("penalty", labels("summary_cost"), round(total_penalty, 2)),
    ]
    body = "".join(
        f'<div class="card" id="card-{key}"><div class="value">{_num(value)}</div>'
        f'<div class="label">{esc(text)}</div></div>'
        for key, text, value in cards
    )
    return f'<section id="summary"><div class="cards">{body}</div></section>'


def _charts(charts: list[Chart], labels: Labels) -> str:
    parts = []
    for chart in charts:
        svg = chart_svg(chart)
        if svg is None:
            parts.append(f'<p class="note" id="note-{chart.key}">{esc(chart.note)}</p>')
            continue
        parts.append(f'<figure class="chart" id="chart-{chart.key}">{svg}</figure>')
        if chart.key == "demand":
            parts.append(f'<p class="meta" id="capacity-note">{esc(labels("note_capacity"))}</p>')
    return f'<section id="charts"><h2>{esc(labels("charts"))}</h2>{"".join(parts)}</section>'


def _roster(view: RosterView, labels: Labels) -> str:
    cfg = view.config
    colour = {p.id: p.colour for p in cfg.posts}
    tables = []
    for dates in view.weeks():
        head = "".join(f"<th>{esc(labels.day(d))}</th>" for d in dates)
        rows = []
        for staff_id, name in view.staff:
            cells = []
            for day in dates:
                pday = view.day(staff_id, day)
                text = esc(view.cell_text(staff_id, day, labels))
                attrs = f'data-staff="{esc(staff_id)}" data-date="{day.isoformat()}"'
                main = pday.main_post
                if main is not None:
                    bg = colour.get(main, "#9e9e9e")
                    style = f"background:{bg};color:#{text_colour(bg)}"
                    cells.append(
                        f'<td class="day shift" data-post="{esc(main)}" {attrs} '
                        f'style="{style}">{text}</td>'
                    )
                else:
                    cls = "free" if pday.working else "leave" if pday.leave else "off"
                    cells.append(f'<td class="day {cls}" {attrs}>{text}</td>')
            hours = view.paid_hours(staff_id, dates)
            rows.append(
                f'<tr data-staff="{esc(staff_id)}"><td>{esc(staff_id)}</td><td>{esc(name)}</td>'
                f'{"".join(cells)}<td class="num">{_num(round(hours, 2))}</td></tr>'
            )
        counts = "".join(
            f'<td class="num">{sum(view.day(sid, d).working for sid, _ in view.staff)}</td>'
            for d in dates
        )
        total = sum(view.paid_hours(sid, dates) for sid, _ in view.staff)
        foot = (
            f'<tfoot><tr class="total"><td></td><td>{esc(labels("on_duty"))}</td>{counts}'
            f'<td class="num">{_num(round(total, 2))}</td></tr></tfoot>'
        )
        tables.append(
            '<div class="scroll"><table class="roster"><thead><tr>'
            f"<th>{esc(labels('staff_id'))}</th>"
            f"<th>{esc(labels('name'))}</th>{head}<th>{esc(labels('week_hours'))}</th></tr>"
            f"</thead><tbody>{''.join(rows)}</tbody>{foot}</table></div>"
        )
    legend = "".join(
        f'<span class="swatch" style="background:{p.colour};color:#{text_colour(p.colour)}">'
        f"{esc(labels.post(p.id))}</span>"
        for p in cfg.posts
    )
    legend += f'<span class="swatch" style="background:#e0e0e0">{esc(labels("free"))}</span>'
    legend += f'<span class="swatch" style="background:#fff2cc">{esc(labels("leave"))}</span>'
    title = labels("roster_title", branch=cfg.branch.name, label=view.result.horizon.label())
    return (
        f'<section id="roster"><h2>{esc(title)}</h2>'
        f'<div class="legend" id="legend">{legend}</div>{"".join(tables)}</section>'
    )


def _coverage(view: RosterView, labels: Labels, requirements: pd.DataFrame | None) -> str:
    cov = view.result.coverage
    reasons: dict[tuple[dt.date, int, str], str] = {}
    if requirements is not None and len(requirements) and "reason" in requirements:
        for rec in requirements.itertuples(index=False):
            reasons[(to_date(rec.date), to_minutes(rec.ds), str(rec.post))] = str(rec.reason)
    rows = []
    short_total = 0
    for rec in cov.itertuples(index=False):
        required, assigned = int(rec.required), int(rec.assigned)
        if assigned >= required:
            continue
        day, minute = to_date(rec.date), to_minutes(rec.ds)
        short_total += required - assigned
        reason = reasons.get((day, minute, str(rec.post)), "")
        rows.append(
            f"<tr><td>{day.isoformat()} {esc(labels.weekday(day))}</td><td>{clock(minute)}</td>"
            f"<td>{esc(labels.post(str(rec.post)))}</td><td class='num'>{required}</td>"
            f"<td class='num short'>{assigned}</td><td class='num'>{assigned - required}</td>"
            f"<td>{esc(reason)}</td></tr>"
        )
    parts = [f'<section id="coverage"><h2>{esc(labels("sheet_coverage"))}</h2>']
    if requirements is None:
        parts.append(
            f'<p class="note" id="note-requirements">{esc(labels("note_no_requirements"))}</p>'
        )
    if rows:
        head = "".join(
            f"<th>{esc(labels(k))}</th>"
            for k in ("date", "slot", "post", "required", "assigned", "gap")
        )
        short_hours = short_total * view.config.branch.slot_minutes / 60
        note = labels("shortfall_note", short=short_hours)
        parts.append(f'<p class="meta">{esc(note)}</p>')
        parts.append(
            f'<table id="shortfall-table"><thead><tr>{head}<th>{esc(labels("reason"))}</th>'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    else:
        parts.append(f'<p class="meta" id="no-shortfall">{esc(labels("no_shortfall_note"))}</p>')
    parts.append("</section>")
    return "".join(parts)


def _people(view: RosterView, labels: Labels) -> str:
    head = "".join(f"<th>{esc(labels(key))}</th>" for _, key, _ in PEOPLE_FIELDS)
    totals = [0.0] * len(PEOPLE_FIELDS)
    rows = []
    for rec in view.result.people.to_dict("records"):
        cells = []
        for i, (column, _, _) in enumerate(PEOPLE_FIELDS):
            value = rec.get(column)
            if i >= 2:
                number = float(value) if value is not None and str(value) != "nan" else 0.0
                totals[i] += number
                cells.append(f'<td class="num">{_num(round(number, 2))}</td>')
            else:
                cells.append(f"<td>{esc(value)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    foot = "".join(f'<td class="num">{_num(round(t, 2))}</td>' for t in totals[2:])
    return (
        f'<section id="people"><h2>{esc(labels("sheet_people"))}</h2>'
        f'<table id="people-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
        f'<tfoot><tr class="total"><td>{esc(labels("total"))}</td><td></td>{foot}</tr></tfoot>'
        "</table></section>"
    )


def _rules(view: RosterView, labels: Labels) -> str:
    res = view.result
    s = res.stats
    gap = "" if s.gap is None else f"{100 * s.gap:.2f}%"
    facts = [
        ("status", s.status),
        ("objective", "" if s.objective is None else f"{s.objective:g}"),
        ("best_bound", "" if s.best_bound is None else f"{s.best_bound:g}"),
        ("gap_pct", gap),
        ("wall_time", f"{s.wall_time_s:.1f}"),
        ("workers", s.workers),
        ("seed", s.seed),
    ]
    solver = "".join(
        f'<tr><th>{esc(labels(k))}</th><td id="solver-{k}">{esc(v)}</td></tr>' for k, v in facts
    )
    parts = [
        f'<section id="rules"><h2>{esc(labels("sheet_rules"))}</h2>',
        f'<table id="solver-table">{solver}</table>',
    ]
    by_rule = res.penalties_by_rule()
    if len(by_rule):
        head = "".join(
            f"<th>{esc(labels(k))}</th>"
            for k in ("rule", "rule_description", "count", "amount", "cost")
        )
        rows = "".join(
            f"<tr><td>{esc(r.rule)}</td><td>{esc(labels.rule(str(r.rule)))}</td>"
            f"<td class='num'>{int(r.count)}</td><td class='num'>{_num(float(r.amount))}</td>"
            f"<td class='num'>{_num(float(r.cost))}</td></tr>"
            for r in by_rule.itertuples(index=False)
        )
        parts.append(f"<h3>{esc(labels('penalties_by_rule'))}</h3>")
        parts.append(
            f'<table id="rule-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        )
    parts.append(f"<h3>{esc(labels('penalties'))}</h3>")
    if res.penalties:
        head = "".join(
            f"<th>{esc(labels(k))}</th>"
            for k in ("rule", "message", "amount", "cost", "staff", "date", "slot", "post")
        )
        rows = "".join(
            f"<tr class='penalty' data-rule='{esc(p.rule)}'><td>{esc(p.rule)}</td>"
            f"<td>{esc(p.message_in(labels.lang))}</td><td class='num'>{_num(p.amount)}</td>"
            f"<td class='num'>{_num(p.cost)}</td><td>{esc(p.staff_id)}</td>"
            f"<td>{esc(p.date)}</td><td>{'' if p.ds is None else f'{p.ds:%H:%M}'}</td>"
            f"<td>{esc(labels.post(p.post) if p.post else '')}</td></tr>"
            for p in res.penalties
        )
        parts.append(
            f'<table id="penalty-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        )
    else:
        parts.append(f'<p class="meta" id="no-penalties">{esc(labels("no_penalties"))}</p>')
    parts.append(f"<h3>{esc(labels('warnings'))}</h3>")
    items = "".join(f"<li>{esc(w)}</li>" for w in res.warnings_in(labels.lang))
    parts.append(
        f'<ul id="warnings">{items}</ul>' if items else f"<p>{esc(labels('no_warnings'))}</p>"
    )
    if res.conflicts:
        conflicts = "".join(
            f"<li>{esc(c.message_in(labels.lang))}"
            + (
                f" — {esc(labels('relaxation'))}: {esc(c.relaxation_in(labels.lang))}"
                if c.relaxation
                else ""
            )
            + "</li>"
            for c in res.conflicts
        )
        parts.append(f'<h3>{esc(labels("conflicts"))}</h3><ul id="conflicts">{conflicts}</ul>')
    parts.append("</section>")
    return "".join(parts)


def render_html(
    result: RosterResult,
    config: BranchConfig,
    *,
    availability: Availability | None = None,
    forecast: pd.DataFrame | None = None,
    requirements: pd.DataFrame | None = None,
    simulation: pd.DataFrame | None = None,
    lang: str = "zh",
    generated: dt.datetime | None = None,
) -> str:
    """The report as one HTML document (no external resources).

    Args:
        result: The roster.
        config: The branch.
        availability: Leave shown in the roster grid.
        forecast: Forecast frame for the demand-vs-capacity chart (left out when ``None``).
        requirements: Requirement frame; gives the reason for each shortfall.
        simulation: Day-simulation frame for the predicted-wait chart.
        lang: ``zh`` or ``en``.
        generated: Time shown as the generation time (now by default).
    """
    labels = Labels(lang, config)
    view = build_view(result, config, availability)
    charts = report_charts(view, labels, forecast=forecast, simulation=simulation)
    title = labels("report_title", branch=config.branch.name, label=result.horizon.label())
    when = (generated or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    s = result.stats
    meta = f"{s.status} · {labels('generated', when=when)}"
    body = "".join(
        [
            f'<header><h1 id="report-title">{esc(title)}</h1><p class="meta">{esc(meta)}</p>'
            "</header>",
            _summary(view, labels),
            _charts(charts, labels),
            _roster(view, labels),
            _coverage(view, labels, requirements),
            _people(view, labels),
            _rules(view, labels),
            '<pre id="js-errors"></pre>',
        ]
    )
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head>"
        f"<body>{body}<script>{SCRIPT}</script></body></html>\n"
    )


def write_html_report(
    result: RosterResult,
    config: BranchConfig,
    path: str | Path,
    **options: object,
) -> Path:
    """Write :func:`render_html`'s document to ``path`` atomically.

    Args:
        result: The roster.
        config: The branch.
        path: Target ``.html`` file.
        **options: Keyword arguments of :func:`render_html`.
    """
    text = render_html(result, config, **options)  # type: ignore[arg-type]
    return atomic_write_text(path, text)
