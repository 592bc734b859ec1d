"""The report of `bench run`: bench/results/<size>.md (Markdown tables, the machine, the commit, the date, the ratios
to each peer, to the SQL alone and to the code before) and its plots, bench/results/<size>-*.png.

    .venv/bin/python -m bench report [--size 10000]     (again from the newest raw results of that size)
"""

import argparse
import json
from pathlib import Path

from bench.harness import RESULTS

NAMES = {
    "ours": "this code",
    "before": "before issue 11",
    "tipg": "TiPg 1.6.1",
    "pygeoapi": "pygeoapi 0.21",
    "sql": "the SQL alone",
}


def latest(results: Path, size: int) -> dict | None:
    runs = sorted(results.glob(f"{size}-2*.json"))
    return json.loads(runs[-1].read_text()) if runs else None


def soak_of(results: Path, size: int) -> dict | None:
    runs = sorted(results.glob(f"soak-{size}-*.json"))
    return json.loads(runs[-1].read_text()) if runs else None


def sizes(results: Path) -> list[int]:
    found = set()
    for path in results.glob("*-2*.json"):
        head = path.name.split("-", 1)[0]
        if head.isdigit():
            found.add(int(head))
    return sorted(found)


def ratio(a, b) -> str:
    if not a or not b:
        return "–"
    r = a / b
    return f"{r:.2f}×" if r < 10 else f"{r:.0f}×"


def number(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.2f}" if v < 100 else f"{v:,.0f}"
    return f"{v:,}"


def rss(row: dict) -> str:
    before, after = row.get("rss_before") or [], row.get("rss_after") or []
    text = f"{max(before, default=0):.0f} → {max(after, default=0):.0f}" if before or after else "–"
    if row.get("rss_peak"):
        text += f" (peak {row['rss_peak']:.0f})"
    return text


def counted(key: str, value) -> bool:
    return isinstance(value, int) and key not in ("framework", "seed")


def markdown(info: dict, soak: dict | None = None, results_dir: Path | None = None) -> str:
    m = info["machine"]
    rows = info["rows"]
    by = {(r["scenario"], r["server"]): r for r in rows}
    scenarios = list(dict.fromkeys(r["scenario"] for r in rows))
    settings = ", ".join(f"{k} {v}" for k, v in m.get("pg_settings", {}).items())
    lines = [
        f"# Benchmark at {info['size']:,} practices",
        "",
        f"`.venv/bin/python -m bench {' '.join(info.get('argv') or ['run'])}` at {info['at']}, in"
        f" {info.get('seconds', 0):,.0f} s; code: {info['code']}; before: {info.get('before') or '(not served)'}.",
        "",
        f"{info['published']:,} published practices; generated data: "
        + ", ".join(
            f"{k} {v:,}" for k, v in info.get("manifest", {}).items() if isinstance(v, int) and k != "framework"
        )
        + ".",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, kernel {m.get('kernel', '?')};"
        f" PostgreSQL {m['postgresql']} ({settings}), PostGIS {m['postgis']}, Python {m['python']}; load average"
        f" before the run {m['load_before'][0]:.2f}. Every server on loopback with 2 worker processes, the load tool"
        f" (wrk, {info.get('concurrency', 1)} connection(s), the warm tiles also at the connections their row names)"
        f" and PostgreSQL on the same machine; our cache in {info.get('cache', '?')}; statement_timeout"
        f" {info.get('statement_timeout_ms', 0) / 1000:.0f} s.{idle_text(info)}",
        "",
        "How to read it: *warm* rows are wrk after a warm-up (requests rotate over density-weighted samples: the tiles"
        " of randomly sampled practices); *cold* rows are sequential requests with the map version bumped before each"
        " (no cached tile can answer; PostgreSQL's own buffers stay warm); times in milliseconds. *PG ms/req* is the"
        " planning and execution time PostgreSQL spent per request on the bench database during the measurement"
        " (pg_stat_statements with track_planning, top-level statements; it leaves out the round trips, the sending"
        " and the client's decoding of rows, so it is below the SQL alone's p50, which is a client's wall clock)."
        " *the SQL alone* replays each request's own queries, captured in a process of this code, one after another"
        " on a psycopg cursor that fetches every row: the floor for any Python server; *× SQL* divides this code's p50"
        " by it (1× is as fast as a client gets the same rows); *÷ TiPg* and *÷ pygeoapi*"
        " divide this code's requests per second by the peer's (above 1×: more than the peer; for cold tiles, the"
        " ratio of p50s, peer ÷ ours); *before ÷ now* divides the code before issue 11's p50 by this code's (above 1×:"
        " faster now). TiPg caps a tile at 20,000 points (TIPG_MAX_FEATURES_PER_TILE) where ours aggregate every"
        " point: at low zooms it draws less than we do.",
        "",
        *targets_section(info, soak, notes_of(results_dir) if results_dir else {}),
        "## Every scenario",
        "",
        "| scenario | server | p50 | p95 | p99 | req/s | errors | worker RSS MiB | PG ms/req | × SQL | ÷ TiPg |"
        " ÷ pygeoapi | before ÷ now |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for scenario in scenarios:
        ours = by.get((scenario, "ours"), {})
        for server in NAMES:
            r = by.get((scenario, server))
            if r is None:
                continue
            if r.get("error"):
                lines.append(f"| {scenario} | {NAMES[server]} | error: {r['error']} |||||||||||")
                continue
            mine = server == "ours"
            tipg, pyg = by.get((scenario, "tipg"), {}), by.get((scenario, "pygeoapi"), {})
            cold = r.get("kind") == "cold"
            to_tipg = ratio(tipg.get("p50_ms"), ours.get("p50_ms")) if cold else ratio(ours.get("rps"), tipg.get("rps"))
            lines.append(
                f"| {scenario} | {NAMES[server]} | {number(r.get('p50_ms'))} | {number(r.get('p95_ms'))} |"
                f" {number(r.get('p99_ms'))} | {number(r.get('rps'))} | {r.get('errors', 0)} | {rss(r)} |"
                f" {number(r.get('pg_ms'))} |"
                f" {ratio(ours.get('p50_ms'), by.get((scenario, 'sql'), {}).get('p50_ms')) if mine else ''} |"
                f" {to_tipg if mine else ''} | {ratio(ours.get('rps'), pyg.get('rps')) if mine else ''} |"
                f" {ratio(by.get((scenario, 'before'), {}).get('p50_ms'), ours.get('p50_ms')) if mine else ''} |"
            )
    lines.append("")
    details = [r for r in rows if r.get("detail") or r.get("rows")]
    if details:
        lines += ["Details:", ""]
        for r in details:
            extra = f"{r['rows']:,} rows, {r.get('bytes', 0):,} bytes" if r.get("rows") else r.get("detail", "")
            lines.append(f"- {r['scenario']} ({NAMES[r['server']]}): {extra}")
        lines.append("")
    if soak:
        lines += ["## Soak", "", soak_line(soak), f"![worker memory during the soak](soak-{soak['size']}.png)", ""]
    if info.get("skipped"):
        lines += ["Not measured:", ""] + [f"- {k}: {v}" for k, v in info["skipped"].items()] + [""]
    plots = [
        f"![{t}]({info['size']}-{n}.png)"
        for n, t in (("latency", "p50, p95, p99 per scenario"), ("servers", "p50 per scenario and server"))
    ]
    lines += plots + [""]
    if info.get("explain"):
        lines += [info["explain"].rstrip(), ""]
    return "\n".join(lines)


# The targets of issue 11 (item 5), each judged on this code's rows: (target, its scenarios, the statistic, the limit).
# A limit in ms is an upper bound; "×TiPg" is a lower bound on requests per second ÷ TiPg's at the same connections.
TILE_ZOOMS = (4, 8, 12)
TARGETS = (
    ("a tile, warm: p95 < 50 ms", [f"tile z{z}, warm" for z in TILE_ZOOMS], "p95_ms", 50),
    ("a tile, cold: p95 < 300 ms", [f"tile z{z}, cold" for z in TILE_ZOOMS] + ["map z*, filter *"], "p95_ms", 300),
    ("a cache hit: p50 < 3 ms", ["tile cache hit (one z8 tile)"], "p50_ms", 3),
    ("tiles ≥ 1.5× TiPg's throughput at z8 and z12", ["tile z8, warm*", "tile z12, warm*"], "rps", "1.5×TiPg"),
    ("first markers drawn < 1.5 s in headless Chromium (p50)",
     ["first marker in Chromium, cold", "first marker in Chromium, warm"], "p50_ms", 1500),
    ("a practice page, search and the result list < 100 ms (p50)",
     ["practice page", "search, a common word", "map result list"], "p50_ms", 100),
    ("dashboards and the composite index < 300 ms (p50)",
     ["cross-Lab dashboard (coordinator)", "composite index, computed on the task queue"], "p50_ms", 300),
)  # fmt: skip
SOAK_TARGET = "memory per worker flat over a 30-minute soak"
FLAT_MIB = 10


def notes_of(results: Path) -> dict[str, str]:
    """bench/results/notes.md, written by a person: one line per note, `scenario or target -> why` (a leading `- `
    allowed). The report shows each beside the target it names."""
    path = results / "notes.md"
    notes = {}
    if path.exists():
        for line in path.read_text().splitlines():
            key, arrow, why = line.strip().removeprefix("- ").removeprefix("* ").partition("->")
            if arrow and key.strip() and why.strip():
                notes[key.strip().lower()] = why.strip()
    return notes


def judged(value, limit) -> tuple[str, str]:
    """(met or missed, by how much) for an upper bound in ms."""
    if value is None:
        return "not measured", ""
    if value < limit:
        return "met", f"{limit - value:,.1f} ms under ({value / limit:.0%} of the limit)"
    return "**missed**", f"{value - limit:,.1f} ms over ({value / limit:.1f}× the limit)"


def targets_section(info: dict, soak: dict | None, notes: dict[str, str]) -> list[str]:
    """## Targets (issue 11): each target, the measured figure, met or missed and by how much, a person's note."""
    from fnmatch import fnmatchcase

    rows = [r for r in info["rows"] if not r.get("error")]
    ours = [r for r in rows if r["server"] == "ours"]
    lines = [
        "## Targets (issue 11)",
        "",
        f"Issue 11's targets are set at 1,000,000 published practices; this run has {info['published']:,}. The note is"
        " a person's, from bench/results/notes.md (`scenario or target -> why`).",
        "",
        "| target | scenario | measured | met? | by how much | note |",
        "|---|---|---|---|---|---|",
    ]

    def note(*keys: str) -> str:
        return next((notes[k.lower()] for k in keys if k.lower() in notes), "")

    for target, patterns, stat, limit in TARGETS:
        matched = [r for pattern in patterns for r in ours if fnmatchcase(r["scenario"], pattern)]
        missing = [p for p in patterns if not any(fnmatchcase(r["scenario"], p) for r in matched)]
        for pattern in missing:  # not run, or an error (the table below says which)
            lines.append(f"| {target} | {pattern} | – | not measured | | {note(pattern, target)} |")
        if not matched:
            continue
        if stat == "rps":
            peers = {(r["scenario"]): r for r in rows if r["server"] == "tipg"}
            for r in matched:
                peer = peers.get(r["scenario"])
                factor = float(limit.split("×")[0])
                if not peer or not peer.get("rps") or not r.get("rps"):
                    lines.append(f"| {target} | {r['scenario']} | {number(r.get('rps'))} req/s, TiPg – | not"
                                 f" measured | | {note(r['scenario'], target)} |")  # fmt: skip
                    continue
                times = r["rps"] / peer["rps"]
                verdict = "met" if times >= factor else "**missed**"
                lines.append(
                    f"| {target} | {r['scenario']} | {number(r['rps'])} ÷ {number(peer['rps'])} req/s = {times:.2f}×"
                    f" | {verdict} | {times / factor:.0%} of the {factor:g}× asked | {note(r['scenario'], target)} |"
                )
            continue
        if any("*" in p for p in patterns) and len(matched) > 3:  # many filters: the worst of them
            singles = [r for r in matched if not any(fnmatchcase(r["scenario"], p) for p in patterns if "*" in p)]
            many = [r for r in matched if r not in singles]
            worst = max(many, key=lambda r: r.get(stat) or 0)
            matched = singles + [worst | {"scenario": f"{worst['scenario']} (the slowest of {len(many)} filtered)"}]
        for r in matched:
            verdict, how = judged(r.get(stat), limit)
            lines.append(
                f"| {target} | {r['scenario']} | {stat.removesuffix('_ms')} {number(r.get(stat))} ms | {verdict} |"
                f" {how} | {note(r['scenario'].split(' (the slowest')[0], target)} |"
            )
    if soak:
        _first, first, last, growth = soak_growth(soak)
        flat = abs(growth) <= FLAT_MIB
        length = f"{soak['minutes']:g} minutes" + ("" if soak["minutes"] >= 30 else ", shorter than the target's 30")
        verdict = ("met" if flat else "**missed**") if soak["minutes"] >= 30 else ("flat" if flat else "**grew**")
        lines.append(
            f"| {SOAK_TARGET} | soak at {soak['size']:,} ({length}) | {first:.0f} → {last:.0f} MiB | {verdict} |"
            f" {growth:+.0f} MiB from a quarter into the run to its end (flat: within ±{FLAT_MIB}) |"
            f" {note('soak', SOAK_TARGET)} |"
        )
    else:
        soak_command = f"`bench soak --size {info['size']}`"
        lines.append(f"| {SOAK_TARGET} | {soak_command} | – | not measured | | {note(SOAK_TARGET)} |")
    return lines + [""]


def idle_text(info: dict) -> str:
    if not info.get("idle_timeouts") or "idle_seconds" not in info:
        return ""
    return (
        f" The database was not idle (another client of the cluster ran a query) within the wait before"
        f" {info['idle_timeouts']} of {info.get('idle_waits', '?')} measurements, which were then taken anyway"
        f" ({info.get('idle_seconds', 0):,.0f} s of the run spent waiting)."
    )


def soak_growth(soak: dict) -> tuple[float, float, float, float]:
    """The largest worker's RSS after the warm-up, once settled (the first sample after a quarter of the run: imports,
    templates and connection state are loaded by then), at the end, and the growth from settled to the end (MiB)."""
    samples = soak["samples"]
    settle_t = soak["minutes"] * 60 / 4
    settled = next((s for s in samples if s["t"] >= settle_t), samples[-1])
    first, mid, last = max(samples[0]["rss"]), max(settled["rss"]), max(samples[-1]["rss"])
    return first, mid, last, last - mid


def soak_line(soak: dict) -> str:
    first, mid, last, growth = soak_growth(soak)
    flat = "flat" if abs(growth) <= FLAT_MIB else "not flat"
    return (
        f"`.venv/bin/python -m bench {' '.join(soak.get('argv') or ['soak'])}`: {soak['minutes']:g} minutes of mixed"
        f" load ({soak['requests']:,} requests, {soak['errors']} errors, {soak['rps']:.1f} req/s); the largest"
        f" worker's RSS {first:.0f} MiB after the warm-up, {mid:.0f} MiB once settled (a quarter into the run),"
        f" {last:.0f} MiB at the end ({growth:+.0f} MiB since settled): memory {flat} (within ±{FLAT_MIB} MiB)."
    )


def plots(results: Path, info: dict) -> list[Path]:
    """p50/p95/p99 of this code per scenario; with several sizes, each scenario's p50 against size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    size = info["size"]
    rows = [r for r in info["rows"] if r["server"] == "ours" and r.get("p50_ms") is not None]
    written = []
    if rows:
        fig, ax = plt.subplots(figsize=(10, max(4, 0.3 * len(rows))))
        names = [r["scenario"] for r in rows]
        ys = range(len(rows))
        for key, colour, offset in (
            ("p50_ms", "#1b9e77", -0.25),
            ("p95_ms", "#d95f02", 0),
            ("p99_ms", "#7570b3", 0.25),
        ):
            ax.barh([y + offset for y in ys], [r.get(key) or 0 for r in rows], height=0.25, color=colour,
                    label=key.removesuffix("_ms"))  # fmt: skip
        ax.set_yticks(list(ys), names, fontsize=7)
        ax.invert_yaxis()
        ax.set_xscale("log")
        ax.grid(axis="x", which="both", color="#ddd", linewidth=0.5)
        for limit in (3, 50, 100, 300, 1500):  # the limits of issue 11's targets
            ax.axvline(limit, color="#999", linestyle=":", linewidth=0.8)
        ax.set_xlabel("ms (log scale; dotted: the targets' limits 3, 50, 100, 300 and 1,500 ms)")
        ax.set_title(f"This code at {size:,} practices: p50, p95, p99")
        ax.legend()
        fig.tight_layout()
        path = results / f"{size}-latency.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    compared = [n for n in dict.fromkeys(r["scenario"] for r in info["rows"])
                if sum(1 for r in info["rows"] if r["scenario"] == n and r.get("p50_ms")) > 1]  # fmt: skip
    if compared:
        by = {(r["scenario"], r["server"]): r for r in info["rows"]}
        servers = [k for k in NAMES if any(by.get((n, k), {}).get("p50_ms") for n in compared)]
        fig, ax = plt.subplots(figsize=(10, max(4, 0.4 * len(compared))))
        height = 0.8 / len(servers)
        colours = {"ours": "#1b9e77", "before": "#d95f02", "tipg": "#7570b3", "pygeoapi": "#e7298a", "sql": "#999999"}
        for i, key in enumerate(servers):
            ax.barh([y - 0.4 + (i + 0.5) * height for y in range(len(compared))],
                    [by.get((n, key), {}).get("p50_ms") or 0 for n in compared], height=height,
                    color=colours[key], label=NAMES[key])  # fmt: skip
        ax.set_yticks(list(range(len(compared))), compared, fontsize=7)
        ax.invert_yaxis()
        ax.set_xscale("log")
        ax.grid(axis="x", which="both", color="#ddd", linewidth=0.5)
        ax.set_xlabel("p50 ms (log scale)")
        ax.set_title(f"p50 beside the code before issue 11, the peers and the SQL alone, at {size:,} practices")
        ax.legend(fontsize=8)
        fig.tight_layout()
        path = results / f"{size}-servers.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    all_sizes = sizes(results)
    if len(all_sizes) > 1:
        series: dict[str, list[tuple[int, float]]] = {}
        for s in all_sizes:
            data = latest(results, s)
            for r in data["rows"] if data else []:
                if r["server"] == "ours" and r.get("p50_ms"):
                    series.setdefault(r["scenario"], []).append((s, r["p50_ms"]))
        fig, ax = plt.subplots(figsize=(10, 7))
        for name, points in sorted(series.items()):
            if len(points) > 1:
                ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=name)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("published practices")
        ax.set_ylabel("p50 ms")
        ax.set_title("Each scenario's p50 against the data size")
        ax.legend(fontsize=6, ncol=2)
        fig.tight_layout()
        path = results / "sizes-p50.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    return written


def soak_plot(results: Path, soak: dict) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4))
    times = [s["t"] / 60 for s in soak["samples"]]
    for k in range(max(len(s["rss"]) for s in soak["samples"])):
        ax.plot(times, [s["rss"][k] if k < len(s["rss"]) else None for s in soak["samples"]], label=f"worker {k + 1}")
    ax.set_xlabel("minutes")
    ax.set_ylabel("RSS MiB")
    ax.axvline(soak["minutes"] / 4, color="grey", linestyle=":", label="settled (growth counted from here)")
    ax.set_ylim(bottom=0)
    ax.set_title(f"Worker memory under mixed load at {soak['size']:,} practices")
    ax.legend()
    fig.tight_layout()
    path = results / f"soak-{soak['size']}.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write(results: Path, size: int) -> list[Path]:
    info = latest(results, size)
    if info is None:
        raise SystemExit(f"no results of size {size} in {results}: run `python -m bench run --size {size}` first")
    soak = soak_of(results, size)
    md = results / f"{size}.md"
    md.write_text(markdown(info, soak, results))
    written = [md, *plots(results, info)]
    if soak:
        written.append(soak_plot(results, soak))
    return written


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench report")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    for path in write(args.results, args.size):
        print(f"written {path}")
