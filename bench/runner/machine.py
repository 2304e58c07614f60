"""A description of the machine a run was measured on, for the report's header."""
import datetime
import os
import platform
import subprocess


def _first(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
        return out.splitlines()[0] if out else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def _field(path, key):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key):
                    return line.split(":" if ":" in line else "=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return "?"


def describe(ctx):
    mem_kib = _field("/proc/meminfo", "MemTotal").split()[0]
    return {
        "cpu": _field("/proc/cpuinfo", "model name"),
        "cores": os.cpu_count(),
        "memory": f"{int(mem_kib) / 1024 / 1024:.1f} GiB" if mem_kib.isdigit() else "?",
        "os": _field("/etc/os-release", "PRETTY_NAME"),
        "kernel": platform.release(),
        "compiler": _first(["c++", "--version"]),
        "python": _first([ctx.python, "--version"]),
        "lnav": _first([ctx.lnav, "-V"]) if ctx.lnav else "not installed",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
