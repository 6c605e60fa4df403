#!/usr/bin/env python3
# Prints "N passed, N failed" from meson's testlog.json files. A TAP test
# counts each of its cases ("ok" / "not ok" lines); any other test counts
# once. A test program that failed without reporting a failed case (a crash,
# a timeout, a sanitizer abort) counts one failure more, so that no failure
# can hide behind the cases that passed before it.
import json
import re
import sys

CASE = re.compile(r"^(not ok|ok)\b(.*)$", re.MULTILINE)

passed = failed = skipped = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as log:
        for line in log:
            if not line.strip():
                continue
            entry = json.loads(line)
            result = entry.get("result", "")
            cases = CASE.findall(entry.get("stdout") or "")
            if not cases:
                if result in ("OK", "EXPECTEDFAIL"):
                    passed += 1
                elif result == "SKIP":
                    skipped += 1
                else:
                    failed += 1
                continue
            case_failed = 0
            for verdict, rest in cases:
                if "# SKIP" in rest.upper():
                    skipped += 1
                elif verdict == "ok":
                    passed += 1
                else:
                    case_failed += 1
            if case_failed == 0 and result not in ("OK", "EXPECTEDFAIL", "SKIP"):
                case_failed = 1
            failed += case_failed

line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed or passed == 0 else 0)
