"""The self-contained HTML document: sections of figures, sentences, charts (inline SVG) and tables.

Charts are rendered to inline SVG (vl-convert), so the file needs no
network and no JavaScript: it opens from an email attachment. All text
from the data is HTML-escaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import altair as alt
import pandas as pd

from insight.formats import count, day, number
from insight.i18n import N_, _, language_tag
from insight.labels import safe_html
from insight.verdict import Verdict

_CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1F2933;max-width:1000px;margin:2em auto;
padding:0 1em;line-height:1.45}
h1{color:#2E6F95;margin-bottom:0}h2{border-bottom:2px solid #E4E7EB;padding-bottom:.2em;margin-top:2em}
.meta{color:#616E7C}.figures{display:flex;flex-wrap:wrap;gap:1em;margin:1em 0}
.figure{background:#F2F5F8;border-radius:8px;padding:.6em 1em;min-width:150px}
.figure b{display:block;font-size:1.5em}table{border-collapse:collapse;margin:1em 0;font-size:.9em}
th,td{border-bottom:1px solid #E4E7EB;padding:.3em .6em;text-align:left}th{background:#F2F5F8}
.chart{margin:1em 0}.note{color:#616E7C;font-size:.9em}ul.findings li{margin:.3em 0}
.verdict{border-left:6px solid;border-radius:4px;padding:.5em 1em;margin:1em 0}.verdict small{color:#616E7C}
.verdict.reliable{border-color:#2F855A;background:#F0FFF4}.verdict.rough{border-color:#B7791F;background:#FFFAF0}
.verdict.unreliable{border-color:#C53030;background:#FFF5F5}
"""
VERDICT_WORDS = {
    "reliable": N_("Reliable"),
    "rough": N_("Rough: read as a direction"),
    "unreliable": N_("Unreliable"),
}


@dataclass
class Section:
    """One part of the report: a title, headline figures, sentences, charts and tables."""

    title: str
    verdict: Verdict | None = None
    figures: dict[str, str] = field(default_factory=dict)
    findings: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    charts: list[alt.TopLevelMixin] = field(default_factory=list)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


REPORT_CHART_WIDTH = 720


def chart_svg(chart: alt.TopLevelMixin) -> str:
    """A chart as inline SVG (no scripts, no network)."""
    import vl_convert as vlc

    with alt.data_transformers.disable_max_rows():
        spec = chart.properties(width=REPORT_CHART_WIDTH).to_dict()
    return vlc.vegalite_to_svg(spec)


def _table(caption: str, df: pd.DataFrame, max_rows: int = 25) -> str:
    shown = df.head(max_rows)
    body = shown.to_html(index=False, escape=True, float_format=number, border=0, na_rep="")
    first = _("First {shown} of {n} rows.").format(shown=count(max_rows), n=count(len(df)))
    more = f'<p class="note">{safe_html(first)}</p>' if len(df) > max_rows else ""
    return f"<h3>{safe_html(caption)}</h3>{body}{more}"


def render_section(section: Section) -> str:
    """HTML for one section."""
    e = safe_html
    parts = [f'<section id="{e(section.title.lower().replace(" ", "-"))}"><h2>{e(section.title)}</h2>']
    v = section.verdict
    if v is not None:
        against = _("Compared with: {baseline}").format(baseline=v.baseline)
        parts.append(
            f'<div class="verdict {e(v.trust)}"><b>{e(_(VERDICT_WORDS[v.trust]))}.</b> {e(v.reason)}'
            f"<br><small>{e(against)}</small></div>"
        )
    if section.figures:
        items = "".join(f'<div class="figure">{e(k)}<b>{e(v)}</b></div>' for k, v in section.figures.items())
        parts.append(f'<div class="figures">{items}</div>')
    if section.findings:
        parts.append('<ul class="findings">' + "".join(f"<li>{e(f)}</li>" for f in section.findings) + "</ul>")
    parts += [f"<p>{e(p)}</p>" for p in section.paragraphs]
    parts += [f'<div class="chart">{chart_svg(c)}</div>' for c in section.charts]
    parts += [_table(caption, df) for caption, df in section.tables]
    parts += [f'<p class="note">{e(n)}</p>' for n in section.notes]
    parts.append("</section>")
    return "\n".join(parts)


def render(title: str, dataset_name: str, sections: list[Section], generated: datetime | None = None) -> str:
    """The whole report as one HTML document."""
    moment = generated or datetime.now()
    when = _("{day}, {time}").format(day=day(moment), time=moment.strftime("%H:%M"))
    e = safe_html
    made = _("{name} · made {when} with Customer Insight").format(name=dataset_name, when=when)
    toc = " · ".join(f'<a href="#{e(s.title.lower().replace(" ", "-"))}">{e(s.title)}</a>' for s in sections)
    body = "\n".join(render_section(s) for s in sections)
    return (
        f"<!DOCTYPE html><html lang='{language_tag()}'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{e(title)}</title>"
        f"<style>{_CSS}</style></head><body><h1>{e(title)}</h1>"
        f'<p class="meta">{e(made)}</p><p>{toc}</p>{body}</body></html>'
    )
