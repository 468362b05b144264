"""Prints the test run's wall time and processor time, every test class over the budget line
(slowest first), and one closing line counting every test of the run.

Reads the JUnit XML reports that Maven (surefire, failsafe) and pytest (--junitxml) wrote, so
the next change that makes the suite slow is seen in the run that made it so.
Usage: test-budget.py WALL_SECONDS TIMES_FILE LIMIT_SECONDS REPORT_FILE_OR_DIR...
TIMES_FILE: what the shell's `times` printed at the end of the run (its second line: user and
system time of the processes it waited for).
"""

import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path


def report_files(paths):
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(p.glob("**/TEST-*.xml"))
        elif p.is_file():
            yield p


def read(files):
    """Seconds per test class (each suite's time for Maven, summed from its cases for pytest),
    and how many tests passed, failed (or erred) and were skipped."""
    times = defaultdict(float)
    outcomes = {"passed": 0, "failed": 0, "skipped": 0}
    for f in files:
        try:
            root = ET.parse(f).getroot()
        except ET.ParseError:
            continue
        suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
        for suite in suites:
            name = suite.get("name", "")
            maven = bool(name) and name != "pytest"
            if maven:
                times[name] += float(suite.get("time", 0))
            for case in suite.iter("testcase"):
                if not maven:
                    times[case.get("classname") or case.get("file") or "?"] += float(case.get("time", 0))
                if case.find("failure") is not None or case.find("error") is not None:
                    outcomes["failed"] += 1
                elif case.find("skipped") is not None:
                    outcomes["skipped"] += 1
                else:
                    outcomes["passed"] += 1
    return times, outcomes


def children_cpu_seconds(times_file: str) -> float:
    """User plus system seconds from the second line of bash's `times` (e.g. `41m2.5s 3m1.2s`)."""
    lines = Path(times_file).read_text().splitlines()
    return sum(int(m) * 60 + float(s) for m, s in re.findall(r"(\d+)m([\d.]+)s", lines[1] if len(lines) > 1 else ""))


def main():
    wall, times_file, limit, *paths = sys.argv[1:]
    wall, limit = float(wall), float(limit)
    cpu = children_cpu_seconds(times_file)
    times, outcomes = read(report_files(paths))
    slow = sorted(((t, c) for c, t in times.items() if t > limit), reverse=True)
    print(f"[shoplake] tests took {int(wall) // 60} min {int(wall) % 60} s of wall time and {cpu / 60:.1f} min of"
          f" processor time ({cpu / wall if wall else 0:.2f} cores on average); test classes over {limit:.0f} s: {len(slow)}")
    for seconds, name in slow:
        print(f"[shoplake]   {seconds:7.1f} s  {name}")
    print(f"shoplake: {outcomes['passed']} passed, {outcomes['failed']} failed, {outcomes['skipped']} skipped")


if __name__ == "__main__":
    main()
