#!/usr/bin/env python3
"""--diagnostics=sarif gives a SARIF 2.1.0 log that code-scanning pages
accept: every error and warning golden case is run again with it, and the
log must have the fields the SARIF 2.1.0 schema requires (sarifLog: version,
runs; run: tool; tool: driver; driver: name; result: message.text, a ruleId
among the driver's rules, a level; physicalLocation: artifactLocation.uri,
a region with positive lines and columns), with one result per diagnostic
the JSON format reports.

  sarif.py VENDORC
"""

import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden  # noqa: E402

LEVELS = {"none", "note", "warning", "error"}


def diagnostics(vendorc, name, args, fmt):
    with tempfile.TemporaryDirectory() as tmp:
        scratch = os.path.join(tmp, name)
        golden.prepare(os.path.join(golden.GOLDEN, name), scratch)
        return golden.run(vendorc, scratch, args + ["--diagnostics=" + fmt]).stderr.decode()


def check_location(location, problems):
    physical = location.get("physicalLocation", {})
    if not physical.get("artifactLocation", {}).get("uri"):
        problems.append("a location without artifactLocation.uri")
    region = physical.get("region")
    if region is not None and not (region.get("startLine", 0) >= 1 and region.get("startColumn", 0) >= 1):
        problems.append("a region without a positive startLine and startColumn")


def check_log(log, expected_results):
    problems = []
    if log.get("version") != "2.1.0" or not isinstance(log.get("runs"), list) or len(log["runs"]) != 1:
        return ["not a SARIF 2.1.0 log with one run"]
    driver = log["runs"][0].get("tool", {}).get("driver", {})
    if not driver.get("name"):
        problems.append("tool.driver.name missing")
    rules = {rule["id"] for rule in driver.get("rules", [])}
    results = log["runs"][0].get("results", [])
    if len(results) != expected_results:
        problems.append("%d results, %d diagnostics" % (len(results), expected_results))
    for result in results:
        if not result.get("message", {}).get("text"):
            problems.append("a result without message.text")
        if result.get("ruleId") not in rules:
            problems.append("ruleId %r is not a rule of the driver" % result.get("ruleId"))
        if result.get("level") not in LEVELS:
            problems.append("level %r" % result.get("level"))
        for location in result.get("locations", []) + result.get("relatedLocations", []):
            check_location(location, problems)
    return problems


def check_case(vendorc, name):
    args = golden.case_args(os.path.join(golden.GOLDEN, name))
    json_lines = [l for l in diagnostics(vendorc, name, args, "json").splitlines() if l.startswith("{")]
    try:
        return check_log(json.loads(diagnostics(vendorc, name, args, "sarif")), len(json_lines))
    except json.JSONDecodeError as error:
        return ["not JSON: %s" % error]


def main(vendorc):
    return golden.report((name, check_case(vendorc, name)) for name in golden.cases()
                         if name.startswith(("err-", "warn-")))

if __name__ == "__main__":
    sys.exit(main(os.path.abspath(sys.argv[1])))
