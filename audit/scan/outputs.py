"""A finalized scan's files: ``benchmark.csv``, ``benchmark.parquet``, ``leaderboard.csv``, ``scan.json``
and ``market.pdf`` (leaderboard, score distributions, channel adoption). Rewriting them from the store
gives the same files, so a finalize that is retried, or ``engage scan report``, can always redo them."""

from __future__ import annotations

import csv
import io
from html import escape
from pathlib import Path
from typing import Any

from audit.scan.benchmark import ALL, PERCENTILES, table_rows
from audit.scan.store import ScanStore

FILES = ("benchmark.csv", "benchmark.parquet", "leaderboard.csv", "scan.json", "market.pdf")
TABLE_COLUMNS = ["segment", "kind", "name", "n", *(p for p, _ in PERCENTILES), "share", "count"]


def scan_document(store: ScanStore, scan_id: int) -> dict[str, Any]:
    """``scan.json``: the scan, its companies' states and the benchmark (without the raw value lists)."""
    info = store.scan(scan_id)
    benchmark = store.benchmark(scan_id)
    segments = {
        name: {k: v for k, v in data.items() if k != "values"} for name, data in benchmark["segments"].items()
    }
    return {
        "scan_id": info.id,
        "status": info.status,
        "created_at": info.created_at,
        "finished_at": info.finished_at,
        "source": info.source,
        "companies": info.total,
        "counts": info.counts,
        "model": benchmark.get("model"),
        "dimensions": benchmark["dimensions"],
        "segments": segments,
        "leaderboard": benchmark["leaderboard"],
        "failed": benchmark["failed"],
    }


def write_outputs(store: ScanStore, scan_id: int, out: Path) -> list[Path]:
    """Write every file of a finalized scan into ``out``; returns their paths."""
    import pandas as pd

    from audit.runner import write_json_atomic
    from report_templates.render import write_atomic

    out.mkdir(parents=True, exist_ok=True)
    benchmark = store.benchmark(scan_id)
    frame = pd.DataFrame(table_rows(benchmark), columns=TABLE_COLUMNS)
    for column in ("n", "count"):
        frame[column] = frame[column].astype("Int64")
    text = io.StringIO()
    frame.to_csv(text, index=False, lineterminator="\n")
    write_atomic(out / "benchmark.csv", text.getvalue().encode())
    parquet = io.BytesIO()
    frame.to_parquet(parquet, engine="pyarrow", index=False)
    write_atomic(out / "benchmark.parquet", parquet.getvalue())
    write_atomic(out / "leaderboard.csv", leaderboard_csv(benchmark).encode())
    write_json_atomic(out / "scan.json", scan_document(store, scan_id))
    write_atomic(out / "market.pdf", market_pdf(scan_document(store, scan_id), benchmark))
    return [out / f for f in FILES]


def leaderboard_csv(benchmark: dict[str, Any]) -> str:
    """rank, host, name, segment, score, level, then one column per dimension."""
    dims = list(benchmark["dimensions"])
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["rank", "host", "name", "url", "segment", "score", "level", "level_name", *dims])
    for e in benchmark["leaderboard"]:
        writer.writerow(
            [
                e["rank"] if e["rank"] is not None else "",
                e["host"],
                e["name"],
                e["url"],
                e["segment"],
                "" if e["score"] is None else e["score"],
                "" if e["level"] is None else e["level"],
                e["level_name"] or ("unreachable" if not e["reachable"] else ""),
                *("" if e["dimensions"].get(d) is None else e["dimensions"][d] for d in dims),
            ]
        )
    return text.getvalue()


# --- the market PDF --------------------------------------------------------------------------------------


def _charts(benchmark: dict[str, Any]) -> list[Any]:
    """The distribution chart (box per score, all segments) and the adoption chart (share per channel)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from report_templates.charts import CLIENT_COLOR, GRID, MUTED, _setup, _style_axes, to_svg

    _setup()
    data = benchmark["segments"][ALL]
    names = ["overall", *(f"dimension:{d}" for d in benchmark["dimensions"])]
    labels = ["Overall", *benchmark["dimensions"].values()]
    series = [data["values"].get(n) or [0.0] for n in names]
    fig, ax = plt.subplots(figsize=(7.0, 0.32 * len(names) + 0.8))
    ax.boxplot(
        series[::-1],
        orientation="horizontal",
        whis=(10, 90),
        widths=0.55,
        patch_artist=True,
        boxprops={"facecolor": "#dbe7f3", "edgecolor": CLIENT_COLOR},
        medianprops={"color": CLIENT_COLOR, "linewidth": 1.6},
        whiskerprops={"color": MUTED},
        capprops={"color": MUTED},
        flierprops={"markersize": 2, "markeredgecolor": MUTED},
    )
    ax.set_yticks(range(1, len(labels) + 1), labels[::-1])
    ax.set_xlim(0, 100)
    ax.set_xlabel("score (box: p25–p75, line: median, whiskers: p10–p90)")
    _style_axes(ax)
    ax.grid(axis="x", color=GRID, linewidth=0.5)
    distribution = to_svg(
        fig,
        "dist",
        "Score distributions",
        "Box plots of the overall and dimension scores across the market: "
        + "; ".join(
            f"{label} median {data['stats'].get(n, {}).get('median')}"
            for label, n in zip(labels, names, strict=True)
        ),
    )
    adoption = sorted(((k, v or 0.0) for k, v in data["adoption"].items()), key=lambda kv: kv[1])
    fig, ax = plt.subplots(figsize=(7.0, 0.3 * len(adoption) + 0.6))
    ax.barh([k.replace("_", " ") for k, _ in adoption], [100 * v for _, v in adoption], color=CLIENT_COLOR)
    for i, (_, v) in enumerate(adoption):
        ax.text(100 * v + 1, i, f"{100 * v:.0f} %", va="center", fontsize=7)
    ax.set_xlim(0, 110)
    ax.set_xlabel("share of reachable companies with the channel (%)")
    _style_axes(ax)
    chart = to_svg(
        fig,
        "adoption",
        "Channel adoption",
        "; ".join(f"{k.replace('_', ' ')} {100 * v:.0f} %" for k, v in adoption[::-1]),
    )
    return [distribution, chart]


def market_html(doc: dict[str, Any], benchmark: dict[str, Any]) -> str:
    """The market report as HTML (inline SVG charts, the shipped fonts)."""
    from report_templates.render import font_face_css

    distribution, adoption = _charts(benchmark)
    data = benchmark["segments"][ALL]
    dims = benchmark["dimensions"]
    board = benchmark["leaderboard"]
    head = "".join(f"<th>{escape(n)}</th>" for n in dims.values())
    rows = "".join(
        "<tr>"
        f"<td>{e['rank'] or '–'}</td><td>{escape(e['name'])}<br><small>{escape(e['host'])}</small></td>"
        f"<td>{escape(e['segment'])}</td><td>{'–' if e['score'] is None else e['score']}</td>"
        f"<td>{escape(str(e['level_name'] or ('unreachable' if not e['reachable'] else '–')))}</td>"
        + "".join(
            f"<td>{'–' if e['dimensions'].get(d) is None else round(e['dimensions'][d])}</td>" for d in dims
        )
        + "</tr>"
        for e in board[:40]
    )
    more = f"<p class='note'>… and {len(board) - 40} more in leaderboard.csv.</p>" if len(board) > 40 else ""
    seg_rows = "".join(
        f"<tr><td>{escape(name)}</td><td>{s['companies']}</td><td>{s['scored']}</td>"
        f"<td>{s['stats']['overall']['p10'] if s['stats']['overall']['n'] else '–'}</td>"
        f"<td>{s['stats']['overall']['median'] if s['stats']['overall']['n'] else '–'}</td>"
        f"<td>{s['stats']['overall']['p90'] if s['stats']['overall']['n'] else '–'}</td>"
        + "".join(f"<td>{s['levels'].get(str(lv), 0)}</td>" for lv in range(1, 6))
        + "</tr>"
        for name, s in benchmark["segments"].items()
    )
    model = benchmark.get("model") or {}
    model_label = escape(f"{model.get('id', '')} {model.get('version', '')}")
    css = font_face_css(True) + (
        "@page { size: A4; margin: 16mm 14mm; @bottom-right { content: counter(page); font-size: 8pt; } }"
        "body { font-family: Inter, sans-serif; font-size: 9pt; color: #1d2430; }"
        "h1 { font-size: 20pt; margin: 0 0 2mm; color: #1f4e79; } h2 { font-size: 13pt; margin: 6mm 0 2mm; }"
        "table { border-collapse: collapse; width: 100%; font-size: 7.5pt; }"
        "th, td { border-bottom: 0.4pt solid #e5e7eb; padding: 1.2mm 1mm; text-align: left; }"
        "th { background: #f3f4f6; } small { color: #6b7280; } .note { color: #6b7280; }"
        "svg { width: 100%; height: auto; }"
        "@page wide { size: A4 landscape; } .board { page: wide; }"
        ".board table { table-layout: fixed; } .board th { hyphens: auto; overflow-wrap: anywhere; }"
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Market benchmark — scan {doc["scan_id"]}</title>
<style>{css}</style></head><body>
<h1>Market benchmark</h1>
<p>Scan {doc["scan_id"]} of {doc["companies"]} companies ({escape(str(doc.get("source") or ""))}),
finished {escape(str(doc.get("finished_at") or ""))}; {data["scored"]} scored,
{data["unreachable"]} unreachable, {data["failed"]} failed. Model {model_label}.</p>
<h2>Segments</h2>
<table><tr><th>Segment</th><th>Companies</th><th>Scored</th><th>p10</th><th>Median</th><th>p90</th>
<th>L1</th><th>L2</th><th>L3</th><th>L4</th><th>L5</th></tr>{seg_rows}</table>
<h2>Score distributions</h2>{distribution.svg}
<h2>Channel adoption</h2>{adoption.svg}
<section class="board"><h2>Leaderboard</h2>
<table><tr><th style="width:6mm">#</th><th style="width:42mm">Company</th><th>Segment</th><th>Score</th>
<th style="width:24mm">Level</th>{head}</tr>{rows}</table>{more}</section>
</body></html>
"""


def market_pdf(doc: dict[str, Any], benchmark: dict[str, Any]) -> bytes:
    """``market.pdf``: rendered by WeasyPrint with the report's fetcher (only the shipped fonts)."""
    from weasyprint import HTML

    from report_templates.render import PACKAGE_DIR, PackageURLFetcher, source_date

    document = HTML(
        string=market_html(doc, benchmark),
        base_url=PACKAGE_DIR.as_uri() + "/",
        url_fetcher=PackageURLFetcher(),
        media_type="print",
    ).render()
    stamp = source_date()
    document.metadata.title = f"Market benchmark — scan {doc['scan_id']}"
    document.metadata.lang = "en"
    document.metadata.created = stamp
    document.metadata.modified = stamp
    return bytes(document.write_pdf())
