"""Charts as inline SVG strings, drawn with matplotlib's Agg backend.

Output is deterministic (fixed hash salt, no date metadata, namespaced ids) so the same audit gives the
same HTML bytes. The client is drawn in a strong solid colour; competitors in lighter tones with
distinct hatching, so the charts still read when printed in greyscale.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib import pyplot as plt
from matplotlib.artist import Artist
from matplotlib.patches import Patch

FONT_DIR = Path(__file__).parent / "fonts"
FONT_FAMILY = "Inter"

#: The client's colour, then one per competitor (in report order); greys/tints that differ in lightness.
CLIENT_COLOR = "#1f4e79"
COMPETITOR_COLORS: tuple[str, ...] = ("#9bb7d0", "#c8a86b", "#8fb39a", "#c9918f", "#b3a6cf", "#a9a9a9")
COMPETITOR_HATCHES: tuple[str, ...] = ("///", "xx", "\\\\\\", "--", "||", "++")
INK = "#1d2430"
MUTED = "#6b7280"
GRID = "#e5e7eb"
MEDIAN_COLOR = "#111827"


@dataclass(frozen=True)
class Chart:
    """An SVG chart with the words a reader without the picture needs."""

    key: str
    title: str
    alt: str
    svg: str


@dataclass(frozen=True)
class SeriesStyle:
    color: str
    hatch: str
    edge: str


def series_styles(count: int, client_index: int, client_color: str = "") -> list[SeriesStyle]:
    """One style per company: the client solid and dark, competitors light and hatched."""
    styles = []
    competitor = 0
    client = client_color or CLIENT_COLOR
    for index in range(count):
        if index == client_index:
            styles.append(SeriesStyle(client, "", client))
        else:
            color = COMPETITOR_COLORS[competitor % len(COMPETITOR_COLORS)]
            hatch = COMPETITOR_HATCHES[competitor % len(COMPETITOR_HATCHES)]
            styles.append(SeriesStyle(color, hatch, "#4b5563"))
            competitor += 1
    return styles


_fonts_loaded = False


def _setup() -> None:
    """Register the shipped font and fix the rc parameters that make SVG output stable."""
    global _fonts_loaded
    if not _fonts_loaded:
        for path in sorted(FONT_DIR.glob("Inter-*.otf")):
            font_manager.fontManager.addfont(str(path))
        _fonts_loaded = True
    matplotlib.rcParams.update(
        {
            "font.family": FONT_FAMILY,
            "font.size": 8,
            "svg.fonttype": "none",
            "svg.hashsalt": "engage-report",
            "svg.image_inline": True,
            "hatch.linewidth": 0.6,
            "axes.edgecolor": GRID,
            "axes.labelcolor": INK,
            "xtick.color": MUTED,
            "ytick.color": INK,
            "text.color": INK,
            "text.parse_math": False,  # labels are scraped names: "$" is a dollar sign, never mathtext
        }
    )


def to_svg(fig: plt.Figure, key: str, title: str, alt: str) -> Chart:
    """Serialise a figure to an inline-ready SVG element with namespaced ids and an accessible name."""
    matplotlib.rcParams["svg.hashsalt"] = f"engage-{key}"
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight", pad_inches=0.05)
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = svg.replace('id="', f'id="{key}-').replace("url(#", f"url(#{key}-")
    svg = svg.replace('xlink:href="#', f'xlink:href="#{key}-')
    svg = STYLE_ATTR.sub(_presentation_attributes, svg)
    label = _xml_escape(alt)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="chart-svg" ', 1)
    head_end = svg.index(">") + 1
    # The <title> is the alternative text of the tagged PDF's Figure, so it carries the whole description.
    svg = svg[:head_end] + f"\n <title>{_xml_escape(title)}. {label}</title>" + svg[head_end:]
    return Chart(key=key, title=title, alt=alt, svg=svg.strip() + "\n")


STYLE_ATTR = re.compile(r'style="([^"]*)"')


def _presentation_attributes(match: re.Match[str]) -> str:
    """``style="fill: #fff; stroke: none"`` → ``fill="#fff" stroke="none"``.

    Equivalent SVG, but WeasyPrint no longer validates these as HTML CSS (and warns) for every element.
    """
    pairs = []
    for declaration in match.group(1).split(";"):
        name, _, value = declaration.partition(":")
        if name.strip() and value.strip():
            pairs.append(f'{name.strip()}="{value.strip()}"')
    return " ".join(pairs)


def _xml_escape(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def _style_axes(ax: plt.Axes) -> None:
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(GRID)
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    ax.tick_params(axis="x", length=0, labelsize=7)


def dimension_chart(
    companies: Sequence[str],
    client_index: int,
    dimensions: Sequence[str],
    scores: Sequence[Sequence[float | None]],
    medians: Sequence[float | None],
    client_color: str = "",
) -> Chart:
    """Grouped horizontal bars: one group per dimension, one bar per company, peer median marked."""
    _setup()
    styles = series_styles(len(companies), client_index, client_color)
    count = max(len(companies), 1)
    bar = 0.8 / count
    fig, ax = plt.subplots(figsize=(6.6, 0.55 + len(dimensions) * (0.13 * count + 0.22)))
    for ci, (name, style) in enumerate(zip(companies, styles, strict=True)):
        for di in range(len(dimensions)):
            y = di + (ci - (count - 1) / 2) * bar
            value = scores[ci][di]
            if value is None:
                ax.text(1, y, "not measured", va="center", ha="left", fontsize=6, color=MUTED)
                continue
            ax.barh(
                y,
                max(value, 0.6),
                height=bar * 0.92,
                color=style.color,
                hatch=style.hatch,
                edgecolor=style.edge if style.hatch else style.color,
                linewidth=0,
                label=name if di == 0 else None,
            )
    for di, median in enumerate(medians):
        if median is not None:
            half = 0.42
            ax.plot([median, median], [di - half, di + half], color=MEDIAN_COLOR, linewidth=1.3)
    ax.set_yticks(range(len(dimensions)))
    ax.set_yticklabels(list(dimensions), fontsize=7.5)
    ax.set_ylim(len(dimensions) - 0.5, -0.5)
    _style_axes(ax)
    ax.set_xlabel("Score (0–100)", fontsize=7, color=MUTED)
    handles: list[Artist] = [_legend_patch(n, s) for n, s in zip(companies, styles, strict=True)]
    handles.append(plt.Line2D([0], [0], color=MEDIAN_COLOR, linewidth=1.3, label="Peer median"))
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.4, -0.06 - 0.35 / max(len(dimensions), 1)),
        ncol=min(len(handles), 6),
        frameon=False,
        fontsize=7,
        handlelength=1.6,
        columnspacing=1.2,
    )
    title = "Dimension scores by company"
    return to_svg(fig, "dimensions", title, _dimension_alt(companies, dimensions, scores, medians))


def _legend_patch(name: str, style: SeriesStyle) -> Patch:
    return Patch(
        facecolor=style.color,
        hatch=style.hatch,
        edgecolor=style.edge if style.hatch else style.color,
        linewidth=0,
        label=name,
    )


def _fmt(value: float | None) -> str:
    return "not measured" if value is None else f"{value:.0f}"


def _dimension_alt(
    companies: Sequence[str],
    dimensions: Sequence[str],
    scores: Sequence[Sequence[float | None]],
    medians: Sequence[float | None],
) -> str:
    parts = []
    for di, dim in enumerate(dimensions):
        values = ", ".join(f"{name} {_fmt(scores[ci][di])}" for ci, name in enumerate(companies))
        parts.append(f"{dim}: {values}; peer median {_fmt(medians[di])}.")
    return "Horizontal bar chart of scores from 0 to 100 per dimension and company. " + " ".join(parts)


def overall_chart(
    ranked: Sequence[tuple[str, float | None, str]],
    companies: Sequence[str],
    client_index: int,
    client_color: str = "",
) -> Chart:
    """Overall score per company, best first; colours match the dimension chart."""
    _setup()
    styles = dict(zip(companies, series_styles(len(companies), client_index, client_color), strict=True))
    fig, ax = plt.subplots(figsize=(6.6, 0.45 + 0.36 * len(ranked)))
    for index, (name, score, level_name) in enumerate(ranked):
        style = styles[name]
        if score is None:
            ax.text(1, index, "not measured", va="center", ha="left", fontsize=7, color=MUTED)
            continue
        ax.barh(
            index,
            max(score, 0.6),
            height=0.62,
            color=style.color,
            hatch=style.hatch,
            edgecolor=style.edge if style.hatch else style.color,
            linewidth=0,
        )
        label = f"{score:.0f}" + (f"  {level_name}" if level_name else "")
        ax.text(score + 1.2, index, label, va="center", ha="left", fontsize=7.5, color=INK)
    ax.set_yticks(range(len(ranked)))
    ax.set_yticklabels([name for name, _, _ in ranked], fontsize=8)
    for tick, (name, _, _) in zip(ax.get_yticklabels(), ranked, strict=True):
        if name == companies[client_index]:
            tick.set_fontweight("bold")
    ax.set_ylim(len(ranked) - 0.5, -0.5)
    _style_axes(ax)
    ax.set_xlim(0, 112)
    alt = "Horizontal bar chart of overall scores from 0 to 100, best first: " + "; ".join(
        f"{name} {_fmt(score)}" + (f" ({level})" if level else "") for name, score, level in ranked
    )
    return to_svg(fig, "overall", "Overall engagement score", alt + ".")


#: Reply-time measures the range chart prefers, best first (the first measured for anyone is drawn).
REPLY_MEASURES: tuple[tuple[str, str], ...] = (
    ("community.first_staff_reply_hours", "Forum: time to first staff reply"),
    ("community.first_reply_hours", "Forum: time to first reply"),
    ("github.first_maintainer_reply_hours", "GitHub: time to first maintainer reply"),
)


def _hours(value: float) -> str:
    return f"{value:.0f} h" if value >= 10 or float(value).is_integer() else f"{value:.1f} h"


def reply_chart(
    companies: Sequence[str],
    client_index: int,
    metrics: Sequence[dict[str, float | None]],
    client_color: str = "",
) -> Chart | None:
    """Median reply time (dot) and its p10/p90 range (line) per company, log scale; None if unmeasured."""
    chosen = next(
        ((m, t) for m, t in REPLY_MEASURES if any(x.get(f"{m}_median") is not None for x in metrics)), None
    )
    if chosen is None:
        return None
    measure, title = chosen
    _setup()
    styles = series_styles(len(companies), client_index, client_color)
    fig, ax = plt.subplots(figsize=(6.6, 0.5 + 0.34 * len(companies)))
    described = []
    for index, (name, style, values) in enumerate(zip(companies, styles, metrics, strict=True)):
        median = values.get(f"{measure}_median")
        if median is None:
            ax.text(0.55, index, "not measured", va="center", ha="left", fontsize=7, color=MUTED)
            described.append(f"{name} not measured")
            continue
        low = values.get(f"{measure}_p10")
        high = values.get(f"{measure}_p90")
        start, end = (low if low is not None else median), (high if high is not None else median)
        ax.plot([max(start, 0.5), max(end, 0.5)], [index, index], color=style.edge, linewidth=2.2, zorder=1)
        marker = "o" if index == client_index else "D"
        ax.scatter(
            [max(median, 0.5)],
            [index],
            s=34,
            color=style.color,
            edgecolors=INK,
            linewidths=0.6,
            marker=marker,
            zorder=2,
        )
        label = f"median {_hours(median)}" + (f", p90 {_hours(high)}" if high is not None else "")
        ax.text(max(end, median, 0.5) * 1.12, index, label, va="center", ha="left", fontsize=7, color=INK)
        described.append(f"{name} {label}")
    ax.set_xscale("log")
    ax.set_xlim(0.5, 1000)
    ticks = [1, 4, 24, 72, 168]
    ax.set_xticks(ticks)
    ax.set_xticklabels(["1 h", "4 h", "1 day", "3 days", "1 week"])
    ax.minorticks_off()
    ax.set_yticks(range(len(companies)))
    ax.set_yticklabels(list(companies), fontsize=8)
    ax.get_yticklabels()[client_index].set_fontweight("bold")
    ax.set_ylim(len(companies) - 0.5, -0.5)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(GRID)
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    ax.tick_params(axis="x", length=0, labelsize=7)
    alt = (
        f"Range chart of {title.lower()}, log scale from 1 hour to 1 week: a marker at each company's "
        "median and a line to its p90 (from p10 when measured). " + "; ".join(described) + "."
    )
    return to_svg(fig, "replies", title, alt)


#: Line styles for the trend charts' series (the colours are the report's palette; dashes tell them
#: apart in greyscale).
TREND_DASHES: tuple[object, ...] = ("-", "--", ":", "-.", (0, (5, 1, 1, 1)), (0, (1, 2)))
TREND_MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P")


def trend_chart(
    key: str,
    title: str,
    dates: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    client_index: int | None = None,
    client_color: str = "",
) -> Chart:
    """Scores (0–100) across runs, one line per series; the client's line solid in the client colour,
    others in the competitors' colours; a run without a score is a gap in its line."""
    _setup()
    fig, ax = plt.subplots(figsize=(6.6, 2.6))
    _style_axes(ax)
    positions = list(range(len(dates)))
    others = 0
    described = []
    for index, (name, values) in enumerate(series):
        if index == client_index:
            color, marker, width = client_color or CLIENT_COLOR, "o", 2.0
            dash: object = "-"
        else:
            color = COMPETITOR_COLORS[others % len(COMPETITOR_COLORS)]
            dash = TREND_DASHES[(others + 1) % len(TREND_DASHES)]
            marker = TREND_MARKERS[(others + 1) % len(TREND_MARKERS)]
            width = 1.3
            others += 1
        xs = [p for p, v in zip(positions, values, strict=True) if v is not None]
        ys = [float(v) for v in values if v is not None]
        ax.plot(
            xs, ys, linestyle=dash, marker=marker, markersize=3.5, color=color, linewidth=width, label=name
        )
        shown = ", ".join(_fmt(v) for v in values)
        described.append(f"{name}: {shown}")
    ax.grid(axis="x", visible=False)
    ax.tick_params(axis="y", labelsize=7)
    ax.set_ylim(0, 100)
    ax.set_xlim(-0.3, max(len(dates) - 1, 0) + 0.3)
    ax.set_xticks(positions)
    ax.set_xticklabels(list(dates))
    ax.set_ylabel("Score (0–100)")
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=7)
    alt = f"Scores per audit ({', '.join(dates)}): " + "; ".join(described) + "."
    return to_svg(fig, key, title, alt)
