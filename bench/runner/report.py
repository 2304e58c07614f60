"""The report: Markdown tables of every suite that ran, the targets met or missed, the README splice."""
import re
from pathlib import Path

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
MIB = 1024


def _table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(out)


def _n(x):
    return f"{x:,.0f}"


def _mb(kib):
    return f"{kib / MIB:.1f}"


def _throughput_targets(t):
    rows = {row["reader"]: row for row in t["rows"]}
    ls = rows["logstream"]
    out = [("throughput: wall time <= 1.25 x `gen | cat > file`", f"{ls['x_cat']:.2f} x", ls["x_cat"] <= 1.25)]
    if "seed design (Python)" in rows:
        speedup = rows["seed design (Python)"]["x_cat"] / ls["x_cat"]
        out.append(("throughput: >= 40 x the seed's design (time per line)", f"{speedup:.1f} x", speedup >= 40))
    return out


def _latency_targets(lat):
    out = []
    for row in lat["rows"]:
        if row["rate"] == 100_000:
            p99, floor = row["logstream_p99_us"], row["blocking_p99_us"]
            out.append(("latency at 100,000 lines/s: p99 <= 100 us", f"{p99:.0f} us", p99 <= 100))
            out.append(("latency at 100,000 lines/s: p99 <= 2 x the blocking reader's", f"{p99 / floor:.1f} x (its p99: {floor:.0f} us)", p99 <= 2 * floor))
    return out


def _memory_targets(mem):
    first, last = mem["rows"][0], mem["rows"][-1]
    growth = last["peak_rss_kib"] - first["peak_rss_kib"]
    return [(f"peak RSS <= 16 MiB after {_n(last['lines'])} lines", f"{_mb(last['peak_rss_kib'])} MiB", last["peak_rss_kib"] <= 16 * MIB),
            (f"peak RSS flat from {_n(first['lines'])} to {_n(last['lines'])} lines (grows <= 1 MiB)", f"{growth / MIB:+.1f} MiB", growth <= MIB)]


def _idle_targets(i):
    cpu = i["rows"][0]["cpu_s"]
    return [(f"idle: < 0.1 CPU-s over {i['seconds']} s at {i['rate']} lines/s", f"{cpu:.3f} s", cpu < 0.1)]


def _scale_targets(s):
    row = s["rows"][-1]  # a run that lost lines fails the suite before it gets here
    return [(f"{row['children']} children x {_n(s['rate'])} lines/s: nothing lost",
             f"all {_n(row['paced_lines'])} lines; {_n(row['paced_lines_per_s'])} lines/s", True)]


def _store_targets(st):
    rows = {row["config"]: row for row in st["rows"]}
    recorded = rows["recorded in a store"]["vs_no_store"]
    followed = rows["recorded, and `logs -f` following it"]
    first, last = st["memory"][0], st["memory"][-1]
    growth = last["peak_rss_kib"] - first["peak_rss_kib"]
    return [("store: recording keeps >= 90% of the throughput of no store", f"{recorded * 100:.0f}%", recorded >= 0.9),
            ("store: a `logs -f` follower costs the run <= 10% of its throughput",
             f"{followed['lines_per_s'] / rows['recorded in a store']['lines_per_s'] * 100:.0f}%",
             followed["lines_per_s"] >= 0.9 * rows["recorded in a store"]["lines_per_s"]),
            (f"store: peak RSS flat from {_n(first['lines'])} to {_n(last['lines'])} recorded lines (grows <= 1 MiB)",
             f"{growth / MIB:+.1f} MiB", growth <= MIB),
            (f"store: `logstream ls` with {_n(st['listing']['runs'])} runs answers in < 100 ms",
             f"{st['listing']['rows'][0]['wall_s'] * 1000:.0f} ms", st["listing"]["rows"][0]["wall_s"] < 0.1)]


def _browser_targets(b):
    t, lat, big = b["throughput"], b["latency"], b["big"]
    return [(f"browser: a run of {_n(t['rate'])} lines/s with {t['browsers']} pages on it keeps >= 90% of its throughput", f"{t['ratio'] * 100:.0f}%", t["ratio"] >= 0.9),
            (f"browser: write-to-screen p99 < 100 ms at {_n(lat['rate'])} lines/s", f"{lat['p99_ms']:.0f} ms", lat["p99_ms"] < 100),
            (f"browser: a {_n(big['lines'])}-line run's page opens, jumps and scrolls in < 100 ms a step",
             f"open {big['open_ms']:.0f} ms, jump {big['jump_max_ms']:.0f} ms, scroll {big['scroll_max_ms']:.0f} ms (max)",
             max(big["open_ms"], big["jump_max_ms"], big["scroll_max_ms"]) < 100),
            ("browser: its JS heap < 100 MB", f"{big['js_heap_mib']:.1f} MiB", big["js_heap_mib"] < 100)]


TARGETS = {"throughput": _throughput_targets, "latency": _latency_targets, "memory": _memory_targets,
           "idle": _idle_targets, "scale": _scale_targets, "store": _store_targets,
           "browser": _browser_targets}


def _throughput(t):
    return ["### Throughput, end to end",
            "`gen` writes the realistic mix (~71 bytes a line, tqdm bars drawn with CRs) as fast as the pipe takes it; "
            f"each reader stores the committed lines in a file (in {t['scratch']}). logstream: the default `Streamer` (framing, default "
            f"extraction, 500-line buffer, file sink). {t['rounds']} rounds, interleaved; medians. \"x cat\" is the median time "
            "per line over that of the fastest `gen | cat > file` round, the pipe's limit (lower is better; cat's rounds vary "
            "up to twofold: gen and cat sharing one core is the fast case); the slower readers get fewer lines. "
            "CPU and RSS are of the whole pipeline (RSS: its largest process).",
            _table(["reader", "lines", "wall s (min-max)", "lines/s", "MB/s", "CPU s (incl. gen)", "peak RSS MiB", "x cat"],
                   [(x["reader"], _n(x["lines"]), f"{x['wall_s']:.2f} ({x['wall_min']:.2f}-{x['wall_max']:.2f})", _n(x["lines_per_s"]),
                     f"{x['mb_per_s']:.0f}", f"{x['cpu_s']:.2f}", _mb(x["peak_rss_kib"]), f"{x['x_cat']:.2f}") for x in t["rows"]])]


def _latency(lat):
    quantiles = ("p50_us", "p99_us", "p999_us", "max_us")
    return ["### Latency, write to callback",
            "`gen --stamp` puts CLOCK_MONOTONIC in each line just before write(2); logstream's `on_new_line` (default options, "
            "no log file) and a minimal blocking reader (read(2), split at LF) subtract it from the time they see the line. "
            f"{lat['seconds']} s per run, {lat['rounds']} rounds interleaved, median of each percentile; microseconds.",
            _table(["lines/s", "logstream p50", "p99", "p99.9", "max", "blocking reader p50", "p99", "p99.9", "max"],
                   [(_n(x["rate"]), *(f"{x['logstream_' + q]:.0f}" for q in quantiles),
                     *(f"{x['blocking_' + q]:.0f}" for q in quantiles)) for x in lat["rows"]])]


def _memory(mem):
    return ["### Memory",
            "Peak RSS of the logstream process (VmHWM; the generator not included), default buffer, file sink to /dev/null.",
            _table(["lines", "peak RSS MiB", "wall s", "lines/s"],
                   [(_n(x["lines"]), _mb(x["peak_rss_kib"]), f"{x['wall_s']:.2f}", _n(x["lines_per_s"])) for x in mem["rows"]])]


def _idle(i):
    return ["### Idle cost",
            f"CPU seconds of the logstream process (all its threads, start-up included) while a child writes {i['rate']} lines/s "
            f"for {i['seconds']} s.",
            _table(["runtime", "wall s", "CPU s", "CPU us per line"],
                   [(x["config"], f"{x['wall_s']:.1f}", f"{x['cpu_s']:.3f}", f"{x['cpu_us_per_line']:.0f}") for x in i["rows"]])]


def _scale(s):
    return ["### Scale: children sharing one Runtime",
            f"Paced: each child writes {_n(s['rate'])} lines/s for {s['seconds']} s; \"gen alone\" is the wall time of the same "
            "generators writing to /dev/null with nobody reading them (what the machine can offer). Unpaced: the children share "
            f"{_n(s['rows'][0]['unpaced_lines'])} lines. Every child's lines are checked, in order.",
            _table(["children", "offered lines/s", "paced: lines", "wall s", "gen alone s", "lines/s", "CPU s", "RSS MiB",
                    "unpaced: lines/s", "RSS MiB"],
                   [(x["children"], _n(x["offered"]), _n(x["paced_lines"]), f"{x['paced_wall_s']:.2f}", f"{x['gen_alone_wall_s']:.2f}",
                     _n(x["paced_lines_per_s"]), f"{x['paced_cpu_s']:.2f}", _mb(x["paced_rss_kib"]),
                     _n(x["unpaced_lines_per_s"]), _mb(x["unpaced_rss_kib"])) for x in s["rows"]])]


def _store(st):
    return ["### The run store",
            f"{_n(st['lines'])} realistic lines through the default `Streamer` and a log file, without a store, recorded in one "
            "(`StreamerOptions::store`: the line index, events, metric rows and a status snapshot a second), and recorded while "
            "`logstream logs -f` follows the run from its files (every line it printed checked, once, in order; \"lag\" is how "
            f"long after the run's end it printed the last line). {st['rounds']} rounds, interleaved; medians.",
            _table(["configuration", "lines/s", "x no store", "CPU s", "peak RSS MiB", "follower lag s"],
                   [(x["config"], _n(x["lines_per_s"]), f"{x['vs_no_store']:.2f}", f"{x['cpu_s']:.2f}", _mb(x["peak_rss_kib"]),
                     f"{x['follow_lag_s']:.2f}" if x["follow_lag_s"] else "") for x in st["rows"]]),
            "Peak RSS of a recorded run (log to /dev/null) by its length:",
            _table(["lines", "peak RSS MiB"], [(_n(x["lines"]), _mb(x["peak_rss_kib"])) for x in st["memory"]]),
            f"Listing a store of {_n(st['listing']['runs'])} finished runs (the whole command, process start included; "
            f"the index rebuilt from the run directories first, once: {st['listing']['rebuild_s']:.1f} s):",
            _table(["command", "wall ms"], [(x["command"], f"{x['wall_s'] * 1000:.0f}") for x in st["listing"]["rows"]])]


def _browser(b):
    t, lat, big = b["throughput"], b["latency"], b["big"]
    return ["### The dashboard in a browser",
            f"Debian's Chromium, headless, driven by puppeteer-core (bench/browser/dashboard.mjs), against `logstream serve` of the store. "
            f"A recorded run of {_n(t['lines'])} plain lines of `gen` paced at {_n(t['rate'])} lines/s, alone and with {t['browsers']} "
            "pages on its run view, opened as it starts (all on the same cores as the run); the lines/s it achieved:",
            _table(["configuration", "lines/s", "serve peak RSS MiB"],
                   [("no page", _n(t["lines_per_s_none"]), _mb(t["serve_rss_kib_none"])),
                    (f"{t['browsers']} pages", _n(t["lines_per_s_pages"]), _mb(t["serve_rss_kib_pages"]))]),
            f"Write-to-screen latency at {_n(lat['rate'])} lines/s, measured in the page from the line's `ts` (when logstream read it) "
            f"to the frame that drew it, {_n(lat['lines'])} lines: p50 {lat['p50_ms']:.0f} ms, p99 {lat['p99_ms']:.0f} ms, "
            f"max {lat['max_ms']:.0f} ms.",
            f"A finished run of {_n(big['lines'])} lines: the page opens (its last lines drawn) in {big['open_ms']:.0f} ms; a jump to "
            f"a random line takes {big['jump_p50_ms']:.0f} ms (median, max {big['jump_max_ms']:.0f}); a wheel step to rows all drawn "
            f"{big['scroll_p50_ms']:.0f} ms (max {big['scroll_max_ms']:.0f}); {big['dom_rows']} rows in the DOM, a JS heap of "
            f"{big['js_heap_mib']:.1f} MiB."]


def _micro(mi):
    return ["### Components (Google Benchmark)",
            f"One thread, in memory; median of {mi['repetitions']} repetitions. The workloads are described in bench/micro/.",
            _table(["benchmark", "lines/s", "MB/s"],
                   [(x["name"], _n(x["lines_per_s"]), f"{x['mb_per_s']:.0f}" if x["mb_per_s"] else "") for x in mi["rows"]])]


SECTIONS = {"throughput": _throughput, "latency": _latency, "memory": _memory, "idle": _idle, "scale": _scale, "store": _store,
            "browser": _browser, "micro": _micro}


def render(results, machine, command, duration_s):
    m = machine
    parts = [f"Measured by `{command}` on {m['date']}, in {duration_s / 60:.1f} minutes: "
             f"{m['cpu']}, {m['cores']} cores, {m['memory']} RAM, {m['os']}, Linux {m['kernel']}, "
             f"{m['compiler']}, {m['python']}, {m['lnav']}. Load average at the start: {m['load']} "
             "(the machine was not reserved: ratios measured side by side hold better than absolute figures). "
             "Every run checks that every line arrived, in order; a run that lost one fails the suite."]
    targets = [t for name, fn in TARGETS.items() if name in results for t in fn(results[name])]
    if targets:
        parts += ["### Targets", _table(["target", "measured", "met"], [(a, b, "yes" if c else "**no**") for a, b, c in targets])]
    for name, fn in SECTIONS.items():
        if name in results:
            parts += fn(results[name])
    return "\n\n".join(parts) + "\n"


def splice_readme(readme: Path, markdown):
    """Replaces what lies between the markers (creating the file, or appending the markers)."""
    text = readme.read_text() if readme.exists() else ""
    block = f"{BEGIN}\n{markdown}{END}"
    if BEGIN in text and END in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text += ("\n" if text and not text.endswith("\n") else "") + block + "\n"
    readme.write_text(text)
