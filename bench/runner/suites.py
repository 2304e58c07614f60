"""The measurements. Each suite runs its workload, checks that every line arrived (raising
measure.Lost otherwise), and returns rows of medians for the report."""
import json
import os
import shlex
import shutil

from context import REPO_DIR
from measure import Lost, json_of, median_of, timed


def scratch_kind(path):
    """Where the readers' files went, for the report: "tmpfs at /dev/shm", or the directory."""
    with open("/proc/mounts") as mounts:
        best = ("", "")
        for line in mounts:
            fields = line.split()
            if len(fields) > 2 and str(path).startswith(fields[1]) and len(fields[1]) > len(best[0]):
                best = (fields[1], fields[2])
    return f"{best[1]} at {os.path.dirname(str(path))}" if best[1] else os.path.dirname(str(path))


def _verify(ctx, path, lines, repeats=False):
    args = [ctx.bin["verify"], path, str(lines)] + (["--repeats"] if repeats else [])
    json_of(timed(args), f"verify {os.path.basename(path)}")
    os.remove(path)


def _readers(ctx, w):
    """(name, lines, command, shell, env, check) for each reader of the throughput suite."""
    gen = ctx.bin["gen"]
    n = w["lines"]
    out = [("logstream", n, [ctx.bin["throughput"], "--lines", str(n), "--file", ctx.file("logstream.log"), "--no-check"],
            False, None, ("logstream.log", False)),
           ("gen | cat > file", n, f"{gen} --lines {n} | cat > {shlex.quote(ctx.file('cat.log'))}", True, None, ("cat.log", False))]
    if w["python_lines"]:
        p = w["python_lines"]
        out.append(("seed design (Python)", p, [ctx.python, ctx.seed_design, ctx.file("seed.log"), "--", gen, "--lines", str(p)],
                    False, None, ("seed.log", True)))
    if w["lnav_lines"] and ctx.lnav:
        k = w["lnav_lines"]
        # lnav keeps its state and a copy of stdin under $HOME/.lnav (or the working directory
        # when $HOME does not exist): keep both in the scratch directory.
        os.makedirs(ctx.file("lnav-home"), exist_ok=True)
        env = dict(os.environ, HOME=ctx.file("lnav-home"))
        out.append(("lnav -n (headless)", k, f"{gen} --lines {k} | {ctx.lnav} -n > {shlex.quote(ctx.file('lnav.log'))}",
                    True, env, ("lnav.log", False)))
    return out


def throughput(ctx):
    w = ctx.plan["throughput"]
    readers = _readers(ctx, w)
    runs = {r[0]: [] for r in readers}
    for _ in range(w["rounds"]):
        for name, lines, cmd, shell, env, (file, repeats) in readers:  # interleaved: drift hits all alike
            run = timed(cmd, shell=shell, env=env, cwd=ctx.scratch)
            if run["returncode"] != 0:
                raise Lost(f"throughput {name}: exit {run['returncode']}: {run['stderr'].strip()[:300]}")
            _verify(ctx, ctx.file(file), lines, repeats)
            run["per_line_s"] = run["wall_s"] / lines
            runs[name].append(run)
    # gen | cat's time is bimodal on two cores: a round where the scheduler keeps both on one
    # core (the pipe's pages stay in one cache, no cross-core wake-ups) takes half as long as one
    # where they run apart (measured with taskset: 0.30 s against 0.57-0.97 s for 5M lines). Its
    # fastest round is the pipe's limit; a median would flatter every reader compared with it.
    cat_best = min(x["per_line_s"] for x in runs["gen | cat > file"])
    rows = []
    for name, lines, *_ in readers:
        r = runs[name]
        rows.append({"reader": name, "lines": lines, "wall_s": median_of(r, "wall_s"),
                     "wall_min": min(x["wall_s"] for x in r), "wall_max": max(x["wall_s"] for x in r),
                     "lines_per_s": lines / median_of(r, "wall_s"),
                     "mb_per_s": ctx.input_bytes(lines) / median_of(r, "wall_s") / 1e6,
                     "cpu_s": median_of(r, "cpu_s"), "peak_rss_kib": max(x["peak_rss_kib"] for x in r),
                     # against the pipe's limit: cat's fastest round (see the report's text)
                     "x_cat": median_of(r, "per_line_s") / cat_best})
    return {"rounds": w["rounds"], "rows": rows, "scratch": scratch_kind(ctx.scratch)}


def latency(ctx):
    w = ctx.plan["latency"]
    rows = []
    for rate in w["rates"]:
        runs = {"logstream": [], "blocking": []}
        for _ in range(w["rounds"]):
            for reader, exe in (("logstream", "latency"), ("blocking", "blocking_reader")):
                args = [ctx.bin[exe], "--rate", str(rate), "--seconds", str(w["seconds"])]
                runs[reader].append(json_of(timed(args), f"latency {reader} at {rate}/s"))
        row = {"rate": rate, "samples": runs["logstream"][0]["samples"]}
        for reader, r in runs.items():
            for q in ("p50_us", "p99_us", "p999_us", "max_us"):
                row[f"{reader}_{q}"] = median_of(r, q)
        rows.append(row)
    return {"rounds": w["rounds"], "seconds": w["seconds"], "rows": rows}


def memory(ctx):
    rows = []
    for lines in ctx.plan["memory"]["lines"]:
        r = json_of(timed([ctx.bin["throughput"], "--lines", str(lines), "--file", "/dev/null"]), f"memory {lines}")
        rows.append({"lines": lines, "peak_rss_kib": r["peak_rss_kib"], "wall_s": r["wall_s"], "lines_per_s": r["lines_per_s"]})
    return {"rows": rows}


def idle(ctx):
    w = ctx.plan["idle"]
    lines = int(w["rate"] * w["seconds"])
    rows = []
    for label, workers in (("default Runtime (2 workers)", None), ("worker_threads = 0 (actors on the loop thread)", 0)):
        args = [ctx.bin["throughput"], "--rate", str(w["rate"]), "--lines", str(lines)]
        if workers is not None:
            args += ["--workers", str(workers)]
        r = json_of(timed(args), f"idle {label}")
        rows.append({"config": label, "wall_s": r["wall_s"], "cpu_s": r["cpu_s"], "cpu_us_per_line": r["cpu_s"] / lines * 1e6})
    return {"rate": w["rate"], "seconds": w["seconds"], "rows": rows}


def scale(ctx):
    w = ctx.plan["scale"]
    per_child = int(w["rate"] * w["seconds"])
    rows = []
    for k in w["children"]:
        paced = json_of(timed([ctx.bin["throughput"], "--children", str(k), "--rate", str(w["rate"]), "--lines", str(per_child)]),
                        f"scale {k} children paced")
        # The same generators with nobody parsing (output to /dev/null): can the machine even offer the load?
        alone = timed(f"for i in $(seq {k}); do {ctx.bin['gen']} --rate {w['rate']} --lines {per_child} > /dev/null & done; wait", shell=True)
        unpaced_lines = w["unpaced_total_lines"] // k
        unpaced = json_of(timed([ctx.bin["throughput"], "--children", str(k), "--lines", str(unpaced_lines)]), f"scale {k} children unpaced")
        rows.append({"children": k, "offered": k * w["rate"], "paced_lines": paced["lines"], "paced_wall_s": paced["wall_s"],
                     "gen_alone_wall_s": alone["wall_s"], "paced_lines_per_s": paced["lines_per_s"],
                     "paced_cpu_s": paced["cpu_s"], "paced_rss_kib": paced["peak_rss_kib"],
                     "unpaced_lines": unpaced["lines"], "unpaced_lines_per_s": unpaced["lines_per_s"],
                     "unpaced_rss_kib": unpaced["peak_rss_kib"]})
    return {"rate": w["rate"], "seconds": w["seconds"], "rows": rows}


def store(ctx):
    """Recording a run (the store's lossless sink: line index, events, metrics, snapshots) against
    no store, and a `logstream logs -f` following the recorded run from its files meanwhile."""
    w = ctx.plan["store"]
    n = w["lines"]
    store_dir = ctx.file("store")
    configs = [("no store", []),
               ("recorded in a store", ["--store", store_dir]),
               ("recorded, and `logs -f` following it", ["--store", store_dir, "--follow", ctx.cli, "--follow-out", ctx.file("follow.log")])]
    runs = {name: [] for name, _ in configs}
    for _ in range(w["rounds"]):
        for name, extra in configs:  # interleaved: drift hits all alike
            log = ctx.file("store-bench.log")
            run = json_of(timed([ctx.bin["throughput"], "--lines", str(n), "--file", log, "--no-check"] + extra), f"store: {name}")
            _verify(ctx, log, n)
            if "--follow" in extra:
                _verify(ctx, ctx.file("follow.log"), n)  # the follower printed every line, once, in order
            runs[name].append(run)
            shutil.rmtree(store_dir, ignore_errors=True)
    base = median_of(runs["no store"], "lines_per_s")
    rows = [{"config": name, "lines_per_s": median_of(r, "lines_per_s"), "vs_no_store": median_of(r, "lines_per_s") / base,
             "cpu_s": median_of(r, "cpu_s"), "peak_rss_kib": max(x["peak_rss_kib"] for x in r),
             "follow_lag_s": median_of(r, "follow_lag_s")} for name, r in runs.items()]
    memory = []
    for lines in w["memory_lines"]:  # the recorder's memory must not grow with the run
        r = json_of(timed([ctx.bin["throughput"], "--lines", str(lines), "--file", "/dev/null", "--store", store_dir]), f"store memory {lines}")
        memory.append({"lines": lines, "peak_rss_kib": r["peak_rss_kib"]})
        shutil.rmtree(store_dir, ignore_errors=True)
    return {"lines": n, "rounds": w["rounds"], "rows": rows, "memory": memory, "listing": _listing(ctx, w["listed_runs"])}


def _listing(ctx, count):
    """`logstream ls` over a store of `count` finished runs: run directories written as the
    recorder leaves them (run.json, status.json), the index rebuilt from them once, untimed."""
    root = ctx.file("ls-store")
    runs = os.path.join(root, "runs")
    os.makedirs(runs)
    alphabet = "abcdefghijkmnopqrstuvwxyz23456789"
    for i in range(count):
        day, second = divmod(i, 86400)
        hh, rest = divmod(second, 3600)
        run_id = f"202601{1 + day:02d}-{hh:02d}{rest // 60:02d}{rest % 60:02d}-" + "".join(alphabet[(i >> (5 * k)) % len(alphabet)] for k in range(4))
        directory = os.path.join(runs, run_id)
        os.makedirs(directory)
        started = f"2026-01-{1 + day:02d}T{hh:02d}:{rest // 60:02d}:{rest % 60:02d}.000Z"
        record = {"id": run_id, "name": f"job{i % 50}", "group": None, "command": ["python", "train.py"], "cwd": "/tmp",
                  "host": "bench", "pid": 1000 + i, "supervisor_pid": 999, "state": "exited", "exit_code": 0, "signal": None,
                  "started_at": started, "ended_at": started, "lines": 1000, "stdout_lines": 1000, "stderr_lines": 0,
                  "log": os.path.join(directory, "output.log"),
                  "progress": {"position": 1, "total_positions": 6, "trial": 3, "total_trials": 40, "score": 0.5, "best_score": 0.9},
                  "error": None}
        for name in ("run.json", "status.json"):
            with open(os.path.join(directory, name), "w") as f:
                json.dump(record, f)
        open(os.path.join(directory, "output.log"), "w").close()
    env = dict(os.environ, LOGSTREAM_HOME=root)
    rebuild = timed([ctx.cli, "ls"], env=env)  # no runs.db yet: rebuilt from the directories
    if rebuild["returncode"] != 0:
        raise Lost(f"ls over {count} runs: exit {rebuild['returncode']}: {rebuild['stderr'][:300]}")
    rows = []
    for label, args, rounds in (("ls (the 20 newest)", ["ls"], 7), ("ls --all", ["ls", "--all"], 3), ("ls --json --all", ["ls", "--json", "--all"], 3)):
        r = [timed([ctx.cli] + args, env=env) for _ in range(rounds)]
        if any(x["returncode"] != 0 for x in r):
            raise Lost(f"{label} over {count} runs failed")
        rows.append({"command": label, "wall_s": median_of(r, "wall_s")})
        if "--json" in args and len(json.loads(r[0]["stdout"])) != count:
            raise Lost(f"ls --json --all listed {len(json.loads(r[0]['stdout']))} of {count} runs")
    shutil.rmtree(root, ignore_errors=True)
    return {"runs": count, "rebuild_s": rebuild["wall_s"], "rows": rows}


def micro(ctx):
    w = ctx.plan["micro"]
    rows = []
    for component, exe in ctx.micro.items():
        if not os.access(exe, os.X_OK):
            continue  # Google Benchmark not installed
        run = timed([exe, "--benchmark_format=json", f"--benchmark_min_time={w['min_time_s']}",
                     f"--benchmark_repetitions={w['repetitions']}", "--benchmark_report_aggregates_only=true"])
        if run["returncode"] != 0:
            raise Lost(f"micro {component}: exit {run['returncode']}: {run['stderr'][-300:]}")
        for b in json.loads(run["stdout"])["benchmarks"]:
            if b.get("error_occurred"):
                raise Lost(f"micro {b['name']}: {b.get('error_message')}")
            if w["repetitions"] > 1 and b.get("aggregate_name") != "median":
                continue
            rows.append({"name": b["run_name"], "lines_per_s": b.get("items_per_second", 0),
                         "mb_per_s": b.get("bytes_per_second", 0) / 1e6, "ms": b["real_time"]})
    return {"repetitions": w["repetitions"], "rows": rows}


def browser(ctx):
    """The dashboard in Chromium (bench/browser/dashboard.mjs): a run's throughput with pages on
    it, write-to-screen latency, and a long run's page (open, jump, scroll, heap)."""
    chromium = os.environ.get("LOGSTREAM_CHROMIUM", "/usr/bin/chromium")
    if not os.access(chromium, os.X_OK) or not shutil.which("node"):
        raise Lost(f"browser: needs node and Chromium ({chromium}): ./dev deps installs them")
    script = str(REPO_DIR / "bench" / "browser" / "dashboard.mjs")
    run = timed(["node", script, "--cli", ctx.cli, "--gen", ctx.bin["gen"], "--plan", json.dumps(ctx.plan["browser"])],
                cwd=str(REPO_DIR), timeout=1800)
    return json_of(run, "browser")
