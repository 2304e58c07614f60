#!/usr/bin/env python3
"""Counts Catch2 test cases in JUnit reports, and totals the per-build counts.

  count_tests.py --label NAME [--meson-log testlog.json] report.xml...
      prints "NAME: N passed, N failed"; a suite that meson's log shows timed out or crashed
      (its report then is missing or partial) is named and counted as one failed case
  count_tests.py --total counts.txt...        prints "N passed, N failed" over every build
"""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET


# A failure's first lines (the assertion, its expansion, where) follow its name, marked so.
DETAIL = "  | "
DETAIL_LINES = 8


def failure_detail(element):
    text = (element.text or element.get("message") or "").strip("\n")
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    return lines[:DETAIL_LINES]


def broken_suites(meson_log):
    """The suites whose process did not end well: (name, result, seconds) from meson's log."""
    broken = []
    with open(meson_log) as f:
        for line in f:
            entry = json.loads(line)
            if entry.get("result") not in ("OK", "SKIP", "EXPECTEDFAIL"):
                broken.append((entry.get("name", "?"), entry.get("result", "?"),
                               entry.get("duration", 0)))
    return broken


def count_reports(label, paths, meson_log=None):
    passed = failed = 0
    failures = []
    suites_with_failed_cases = set()
    for path in paths:
        suite = os.path.basename(path).removesuffix("_tests.junit.xml")
        try:
            root = ET.parse(path).getroot()
        except (ET.ParseError, OSError) as e:
            # A suite killed mid-run leaves half a report; meson's log says why.
            print(f"{label}: unreadable report {path}: {e}", file=sys.stderr)
            continue
        # Catch2 writes one <testcase> per leaf section; a test case is its `name` up to " /".
        cases = {}
        details = {}
        for tc in root.iter("testcase"):
            if tc.find("skipped") is not None:
                continue
            classname = tc.get("classname", "")
            if classname == "test":  # node --test names no suite: the report's file does
                classname = f"{suite}_tests"
            name = classname + "::" + tc.get("name", "").split(" /")[0]
            problems = tc.findall("failure") + tc.findall("error")
            cases[name] = cases.get(name, False) or bool(problems)
            if problems and name not in details:
                details[name] = failure_detail(problems[0])
        failed += sum(1 for bad in cases.values() if bad)
        passed += sum(1 for bad in cases.values() if not bad)
        failures += [(name, details.get(name, [])) for name, bad in cases.items() if bad]
        if any(cases.values()):
            suites_with_failed_cases.add(suite)
    # A suite that timed out or crashed has no failed case to show for it: it counts as one.
    if meson_log and os.path.exists(meson_log):
        for name, result, seconds in broken_suites(meson_log):
            if name not in suites_with_failed_cases:
                failures.append((f"suite {name} ({result} after {seconds:.0f} s)", []))
                failed += 1
    if passed + failed == 0:
        print(f"{label}: no test report was written", file=sys.stderr)
        return 1
    # The failures' names come before the count, so the tail of a run names what broke.
    for name, detail in failures:
        print(f"{label}: FAILED {name}")
        for line in detail:
            print(f"{label}: {DETAIL}{line}")
    print(f"{label}: {passed} passed, {failed} failed")
    return 1 if failed else 0


def total(paths):
    passed = failed = 0
    for path in paths:
        if not os.path.exists(path):  # a build that was not run (sanitizers turned off)
            continue
        with open(path) as f:
            for line in f:
                if ": FAILED " in line or f": {DETAIL}" in line:
                    print(line.rstrip("\n"))
                    continue
                m = re.search(r"(\d+) passed, (\d+) failed", line)
                if m:
                    passed += int(m.group(1))
                    failed += int(m.group(2))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--label"]:
        label, rest = args[1], args[2:]
        meson_log = None
        if rest[:1] == ["--meson-log"]:
            meson_log, rest = rest[1], rest[2:]
        sys.exit(count_reports(label, [p for p in rest if os.path.exists(p)], meson_log))
    if args[:1] == ["--total"]:
        sys.exit(total(args[1:]))
    print(__doc__, file=sys.stderr)
    sys.exit(2)
