"""Running one measurement: a command timed from outside, its resource use, its JSON output."""
import json
import os
import signal
import statistics
import subprocess
import tempfile
import threading
import time


class Lost(Exception):
    """A run that lost, reordered or duplicated lines, or failed: the suite must not pass."""


GNU_TIME = "/usr/bin/time"


def timed(cmd, *, shell=False, env=None, cwd=None, timeout=600):
    """Runs cmd; returns wall seconds, CPU seconds and peak RSS (KiB) of it and the children it
    waited for (so a pipeline's or a harness's generator is included), and its output. A run
    still going after `timeout` seconds is killed and reported as failed.

    The peak RSS is the largest process's. It comes from GNU time when installed: Linux keeps
    ru_maxrss across execve, so a child forked from this Python process would report at least
    Python's own RSS; GNU time's few MiB are the floor instead."""
    if shell:
        cmd = ["/bin/sh", "-c", cmd]
    with tempfile.TemporaryFile(mode="w+") as err_file, tempfile.NamedTemporaryFile(mode="r") as rss_file:
        if os.access(GNU_TIME, os.X_OK):
            cmd = [GNU_TIME, "-q", "-f", "%M", "-o", rss_file.name] + list(cmd)
        start = time.monotonic()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=err_file,
                                text=True, start_new_session=True)
        watchdog = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGKILL))
        watchdog.start()
        out = proc.stdout.read()
        # wait4 instead of Popen.wait: it also reports the resources the run used.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        watchdog.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        proc.stdout.close()
        err_file.seek(0)
        err = err_file.read()
        rss = rss_file.read().strip()
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_rss_kib": int(rss) if rss.isdigit() else usage.ru_maxrss,
            "returncode": proc.returncode, "stdout": out, "stderr": err}


def json_of(run, what):
    """The last stdout line of a harness, parsed; raises Lost when the harness failed."""
    lines = run["stdout"].strip().splitlines()
    if not lines:
        raise Lost(f"{what}: no output (exit {run['returncode']}): {run['stderr'].strip()[:300]}")
    result = json.loads(lines[-1])
    if run["returncode"] != 0 or result.get("ok") is False:
        raise Lost(f"{what}: {result.get('error') or run['stderr'].strip()[:300]}")
    return result


def median(values):
    return statistics.median(values) if values else float("nan")


def median_of(runs, key):
    return median([r[key] for r in runs])
