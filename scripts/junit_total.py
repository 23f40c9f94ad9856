"""Print one 'total: N passed, N failed' line over the JUnit XML files of every pytest run of `make test`."""

import sys
from pathlib import Path
from xml.etree import ElementTree


def main(folder: str) -> int:
    """Add up the test suites in the folder; exit 1 when nothing ran."""
    tests = failed = skipped = 0
    for path in sorted(Path(folder).glob("*.xml")):
        for suite in ElementTree.parse(path).getroot().iter("testsuite"):  # noqa: S314 - our own pytest output
            tests += int(suite.get("tests", 0))
            failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            skipped += int(suite.get("skipped", 0))
    print(f"total: {tests - failed - skipped} passed, {failed} failed, {skipped} skipped")
    return 0 if tests else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
