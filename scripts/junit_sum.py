#!/usr/bin/python3
"""Sum JUnit XML reports (Criterion --xml, pytest --junitxml) into one line:
'N passed, M failed[, K skipped]'. A report that is missing or a <crash/>
stand-in counts as one failure. Exit 1 when anything failed."""
import sys
import xml.etree.ElementTree as ET


def main(paths):
    passed = failed = skipped = 0
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except (ET.ParseError, OSError) as e:
            print(f"{path}: unreadable report ({e}): counted as 1 failed")
            failed += 1
            continue
        if root.tag == "crash":
            print(f"{path}: {root.get('name')} wrote no report (crashed): counted as 1 failed")
            failed += 1
            continue
        suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
        for s in suites:
            tests = int(s.get("tests", 0))
            f = int(s.get("failures", 0)) + int(s.get("errors", 0))
            sk = int(s.get("skipped", 0) or 0)
            print(f"{path}:{s.get('name')}: {tests - f - sk} passed, {f} failed, {sk} skipped")
            passed += tests - f - sk
            failed += f
            skipped += sk
    if passed + failed == 0:
        print("no test ran: counted as 1 failed")
        failed = 1
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
