#!/usr/bin/env python3
"""Counts Catch2 test cases in JUnit reports, and totals the per-build counts.

  count_tests.py --label NAME report.xml...   prints "NAME: N passed, N failed"
  count_tests.py --total counts.txt...        prints "N passed, N failed" over every build
"""
import os
import re
import sys
import xml.etree.ElementTree as ET


def count_reports(label, paths):
    passed = failed = 0
    failures = []
    if not paths:
        print(f"{label}: no test report was written", file=sys.stderr)
        return 1
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except (ET.ParseError, OSError) as e:
            print(f"{label}: unreadable report {path}: {e}", file=sys.stderr)
            return 1
        # Catch2 writes one <testcase> per leaf section; a test case is its `name` up to " /".
        cases = {}
        for tc in root.iter("testcase"):
            name = tc.get("classname", "") + "::" + tc.get("name", "").split(" /")[0]
            bad = tc.find("failure") is not None or tc.find("error") is not None
            cases[name] = cases.get(name, False) or bad
        failed += sum(1 for bad in cases.values() if bad)
        passed += sum(1 for bad in cases.values() if not bad)
        failures += [name for name, bad in cases.items() if bad]
    # The failures' names come before the count, so the tail of a run names what broke.
    for name in failures:
        print(f"{label}: FAILED {name}")
    print(f"{label}: {passed} passed, {failed} failed")
    return 1 if failed else 0


def total(paths):
    passed = failed = 0
    for path in paths:
        if not os.path.exists(path):  # a build that was not run (sanitizers turned off)
            continue
        with open(path) as f:
            for line in f:
                if ": FAILED " in line:
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
        sys.exit(count_reports(args[1], args[2:]))
    if args[:1] == ["--total"]:
        sys.exit(total(args[1:]))
    print(__doc__, file=sys.stderr)
    sys.exit(2)
