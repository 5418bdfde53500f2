"""pytest plugin that writes tests/RELIABILITY.md from the reliability suites' own run.

test_hostile.py and test_signals.py load it (`pytest_plugins = ["reliability_report"]`). Each
case is decorated `@case(sends=..., expected=...)` (from this module) and records what it saw with
the `observe` fixture (`observe("414 in 2 ms")`); this plugin adds the outcome (passed, failed
with the assertion, skipped with the reason) and, at the end of the session, writes one table
per suite. Hostile cases that test_foundation.py and test_refcards.py already cover are listed
from that run too,
so the report is the whole picture without the suites testing the same thing twice.

RELIABILITY_REPORT=path overrides the output file; RELIABILITY_REPORT=- disables writing."""
import datetime
import json
import os
import platform

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_OUT = os.path.join(ROOT, "tests", "RELIABILITY.md")

# Hostile-input cases the other suites already cover: test name -> (sends, expected).
COVERED = {
    "test_request_line_too_long_414": ("GET /v1/cards/w1.jpg with a 9 000-byte query", "414, JSON error"),
    "test_headers_too_large_431": ("1 000 headers; one 100 KB header; then GET /healthz",
                                   "431 both, JSON error; then 200"),
    "test_body_too_large_413": ("POST 100 KB to a server with --max-body 2048; then GET /healthz",
                                "413; then 200"),
    "test_http10_and_keepalive": ("HTTP/1.0 GET; two pipelined HTTP/1.1 GETs; 3 keep-alive GETs",
                                  "200 each, in order"),
    "test_conflicting_length_and_chunked_400": ("POST with Content-Length: 5 and Transfer-Encoding: chunked",
                                                "400"),
    "test_if_none_match_other_200": ("If-None-Match: \"nope\" / garbage / W/\"x\", garbage / empty",
                                     "200 with the image"),
    "test_method_not_allowed": ("PUT, DELETE, PATCH on an image route and /healthz",
                                "405 with Allow"),
    "test_cors_preflight": ("OPTIONS with Origin and Access-Control-Request-Method: POST on /v1/cards/og.jpg, "
                            "/v1/refcards, /healthz", "204 with Access-Control-Allow-Methods/-Headers/-Max-Age"),
    "test_invalid_utf8_text": ("text.l1 = %C3%28, overlong %C0%AF, a%00b, 201 characters",
                               "400 naming text.l1"),
    "test_unknown_and_duplicate_parameters": ("unknown, duplicated and unknown-slot parameters",
                                              "400 naming the parameter"),
    "test_bad_values": ("q=0/101/abc, scale=0/-1/3, subsampling=422, seed=-5/1e9", "400 naming the parameter"),
    "test_queue_full_503": ("12 concurrent 2x renders, 1 worker, queue depth 1",
                            "only 200 or 503 (Retry-After, no-store); then 200"),
    "test_bad_files_422": ("POST /v1/refcards: empty, blank, truncated (.binds, .profile, .diff.lua), "
                           "binary garbage, billion-laughs XML, wrong root", "422 with line and reason"),
    "test_too_large_413": ("POST /v1/refcards over --max-body", "413"),
}

_cases = []  # dicts in run order


def case(sends, expected):
    """Decorator: the test is a case of the report, sending `sends` and expecting `expected`."""
    def mark(fn):
        fn.reliability_case = (sends, expected)
        return fn
    return mark


@pytest.fixture
def observe(request):
    """Record what the case observed; several calls are joined with '; '."""
    notes = []
    request.node.stash_notes = notes
    return lambda text: notes.append(str(text))


def _first_line(report):
    if report.skipped and isinstance(report.longrepr, tuple):
        return report.longrepr[2].replace("Skipped: ", "")
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash else str(report.longrepr)
    return text.strip().splitlines()[0][:200] if text.strip() else "failed"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    mark = getattr(getattr(item, "function", None), "reliability_case", None)
    base = item.originalname if hasattr(item, "originalname") else item.name
    if mark is None and base not in COVERED:
        return
    # One row per test: the call phase, or setup when it failed/skipped there.
    if report.when == "call" or (report.when == "setup" and not report.passed):
        if mark is not None:
            sends, expected = mark
            suite = os.path.basename(str(item.fspath))
        else:
            sends, expected = COVERED[base]
            suite = os.path.basename(str(item.fspath)) + " (cases covered there)"
        params = getattr(item, "callspec", None)
        name = item.name if params is None else f"{base}[{params.id}]"
        notes = "; ".join(getattr(item, "stash_notes", []))
        if report.passed:
            result, detail = "pass", notes
        elif report.skipped:
            result, detail = "skip", _first_line(report)
        else:
            result, detail = "FAIL", (notes + "; " if notes else "") + _first_line(report)
        if mark is None:  # covered elsewhere: one row per test, its parametrized runs counted
            row = next((c for c in _cases if c["suite"] == suite and c["name"] == base), None)
            if row is None:
                row = {"suite": suite, "name": base, "sends": sends, "expected": expected,
                       "observed": "", "result": "pass", "seconds": 0.0, "runs": 0, "passed": 0}
                _cases.append(row)
            row["runs"] += 1
            row["passed"] += report.passed
            row["seconds"] += report.duration
            if result != "pass" and row["result"] != "FAIL":
                row["result"], row["why"] = result, detail
            row["observed"] = f"{row['passed']} of {row['runs']} runs passed (asserted in that suite)" + \
                (f"; {row['why']}" if row.get("why") else "")
            return
        _cases.append({"suite": suite, "name": name, "sends": sends, "expected": expected,
                       "observed": detail, "result": result, "seconds": report.duration})


def _cell(s):
    return str(s).replace("|", "\\|").replace("\n", " ")


def _flavour(binary):
    """'default' for build/cartouche, 'address,undefined' for build-address-undefined/…"""
    d = os.path.basename(os.path.dirname(os.path.abspath(binary)))
    return "default" if d == "build" else d.replace("build-", "").replace("-", ",")


def pytest_sessionfinish(session, exitstatus):
    """Save this run's cases under build/reliability/<flavour>.json, then write the report from
    every flavour saved there: the default build's table, plus one result column per sanitizer
    build that ran the same cases (make test runs the suites on both)."""
    out = os.environ.get("RELIABILITY_REPORT", DEFAULT_OUT)
    if out == "-" or not any(c["suite"].startswith(("test_hostile", "test_signals")) for c in _cases):
        return
    binary = os.environ.get("CARTOUCHE_BIN", os.path.join(ROOT, "build", "cartouche"))
    flavour = _flavour(binary)
    store = os.path.join(ROOT, "build", "reliability")
    os.makedirs(store, exist_ok=True)
    run = {"flavour": flavour, "binary": os.path.relpath(binary, ROOT),
           "when": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), "cases": _cases}
    with open(os.path.join(store, flavour + ".json"), "w") as f:
        json.dump(run, f)
    runs = {}
    for name in sorted(os.listdir(store)):
        if name.endswith(".json"):
            with open(os.path.join(store, name)) as f:
                r = json.load(f)
            runs[r["flavour"]] = r
    main = runs.get("default", run)
    others = [r for k, r in sorted(runs.items()) if r is not main]
    results = {r["flavour"]: {(c["suite"], c["name"]): c["result"] for c in r["cases"]} for r in others}
    cases = main["cases"]
    counts = {x: sum(1 for c in cases if c["result"] == x) for x in ("pass", "FAIL", "skip")}
    lines = [
        "# Reliability report",
        "",
        "Generated by `tests/integration/reliability_report.py` from the runs of the hostile-input and",
        "signal suites (`make integration`, and again on the sanitizer builds in `make test`); do not",
        "edit by hand. Each row: what the case sends, what it expects, what the run observed.",
        "",
        f"- machine: {platform.node()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
    ]
    for r in [main] + others:
        n = sum(1 for c in r["cases"] if c["result"] == "pass")
        lines.append(f"- `{r['binary']}` ({r['flavour']}): {r['when']}, {n} of {len(r['cases'])} cases passed")
    lines += [f"- observed below: `{main['binary']}`: {counts['pass']} passed, {counts['FAIL']} failed, "
              f"{counts['skip']} skipped", ""]
    extra = "".join(f" {k} |" for k in results)
    suites = []
    for c in cases:
        if c["suite"] not in suites:
            suites.append(c["suite"])
    suites.sort(key=lambda x: "covered" in x)
    for suite in suites:
        lines += [f"## {suite}", "", "| case | sends | expected | observed | result |" + extra,
                  "|---|---|---|---|---|" + "---|" * len(results)]
        for c in (c for c in cases if c["suite"] == suite):
            more = "".join(f" {res.get((c['suite'], c['name']), 'not run')} |" for res in results.values())
            lines.append(f"| `{_cell(c['name'])}` | {_cell(c['sends'])} | {_cell(c['expected'])} | "
                         f"{_cell(c['observed'] or '-')} ({c['seconds']:.1f} s) | {c['result']} |" + more)
        lines.append("")
    with open(out, "w") as f:
        f.write("\n".join(lines))
