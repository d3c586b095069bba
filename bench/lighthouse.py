"""Lighthouse scores (mobile, the default form factor) for the home, a topic and the FAQ page.

    .venv/bin/python bench/lighthouse.py [--pages / /trigger-points-and-referred-pain/ /faq/] [--runs 3] [--save DIR]

Uses npm's `lighthouse` from bench/node_modules (or the repo's node_modules), installed by
`make bench` with `npm install --no-save --prefix bench lighthouse@12.8.2` (12.x: 13.x needs
Node 22), and Debian's Chromium (CHROME_PATH=/usr/bin/chromium; no browser is downloaded).
Starts gunicorn (2 workers, DEBUG off, temp SQLite DB loaded from content/), runs Lighthouse
on each page `--runs` times and prints the median of each of the four category scores (and
the range when runs differ), and the same for a blank control page, whose misses are the
host's, not the site's. Target: 100 in every category; for every score below 100 the
audits that cost points are printed with their ids, titles and values, and for a
performance miss the long main-thread tasks and the host's benchmark index (Lighthouse
simulates a 4x slower CPU, so a busy 2-core machine shows up as Total Blocking Time).
"""
import argparse
import collections
import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
from pathlib import Path

from _server import (
    REPO,
    STATIC_ROOT,
    BenchError,
    Server,
    http_get,
    prepare_site,
    prod_env,
    run_main,
    table,
    temp_dir,
)

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
DEFAULT_PAGES = ["/", "/trigger-points-and-referred-pain/", "/faq/"]
# A control: the smallest valid page, served by the same gunicorn. What it scores below 100
# is the host (Lighthouse's simulated 4x slower CPU on a slow or busy machine), not the site.
CONTROL_PATH = "/static/bench-control.html"
CONTROL_HTML = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Control page</title>'
    '<meta name="description" content="A blank page to measure the host."></head>'
    "<body><main><h1>Control page</h1><p>One line of text.</p></main></body></html>\n"
)
INSTALL_HINT = "npm install --no-save --no-audit --no-fund --prefix bench lighthouse@12.8.2   (or: make bench)"


def find_lighthouse():
    for candidate in (REPO / "bench" / "node_modules" / ".bin" / "lighthouse",
                      REPO / "node_modules" / ".bin" / "lighthouse"):
        if candidate.exists():
            return str(candidate)
    return shutil.which("lighthouse")


def run_lighthouse(binary, url, output, chrome, timeout, cpu_slowdown=None):
    cmd = [binary, url, f"--chrome-flags={CHROME_FLAGS}", "--output=json", f"--output-path={output}", "--quiet",
           f"--only-categories={','.join(CATEGORIES)}"]
    if cpu_slowdown is not None:
        cmd.append(f"--throttling.cpuSlowdownMultiplier={cpu_slowdown}")
    env = dict(os.environ, CHROME_PATH=chrome)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # its own group: Chromium goes with it on a timeout
    try:
        out, err = proc.communicate(timeout=timeout)
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        raise
    if proc.returncode != 0 or not Path(output).exists():
        raise BenchError(f"lighthouse failed on {url} ({proc.returncode}):\n{out[-2000:]}\n{err[-4000:]}")
    return json.loads(Path(output).read_text())


def audit_all(binary, server, paths, reports, tmp, args):
    """Lighthouse `args.runs` times on each path; the JSON reports go into `reports`."""
    for path in paths:
        status, _h, _b, _s = http_get(server.port, path)
        if status != 200:
            raise BenchError(f"{path} answered {status}")
        reports[path] = []
        for run in range(1, args.runs + 1):
            output = tmp / f"lh-{len(reports)}-{run}.json"
            print(f"  lighthouse {server.url}{path} (run {run}/{args.runs}) ...", flush=True)
            try:
                report = run_lighthouse(binary, server.url + path, output, args.chrome, args.timeout, args.cpu_slowdown)
            except BenchError as error:
                # Lighthouse sometimes loses the trace on a busy host and asks to be run again.
                if "run Lighthouse again" not in str(error):
                    raise
                print("    (Lighthouse lost the trace and asks to be run again: once more)", flush=True)
                report = run_lighthouse(binary, server.url + path, output, args.chrome, args.timeout, args.cpu_slowdown)
            reports[path].append(report)
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                name = path.strip("/").replace("/", "_") or "home"
                shutil.copy(output, args.save / f"lighthouse-{name}-{run}.json")


def losing_audits(report, category):
    """Audits that cost the category points: weighted and below a full score."""
    lost = []
    audits = report["audits"]
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits.get(ref["id"], {})
        score = audit.get("score")
        if ref.get("weight", 0) > 0 and score is not None and score < 1:
            lost.append((ref["id"], audit.get("title", ""), score, audit.get("displayValue", ""), ref["weight"]))
    return lost


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", nargs="+", default=DEFAULT_PAGES, help="paths to audit")
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    parser.add_argument("--timeout", type=int, default=180, help="seconds at most per page (default 180)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; medians are shown (default 3)")
    parser.add_argument("--cpu-slowdown", type=float,
                        help="Lighthouse's simulated CPU slowdown (its default: 4); only to check whether a "
                             "Total Blocking Time miss comes from a slow or busy host")
    parser.add_argument("--save", type=Path, help="also keep the JSON reports in this folder")
    parser.add_argument("--no-control", action="store_true",
                        help=f"skip the control page ({CONTROL_PATH}, a blank page that shows the host's own floor)")
    args = parser.parse_args()
    if not 1 <= args.runs <= 10:
        parser.error("--runs 1-10")

    binary = find_lighthouse()
    if not binary:
        print(f"lighthouse is not installed: {INSTALL_HINT}", file=sys.stderr)
        return 2
    if not os.access(args.chrome, os.X_OK):
        print(f"no Chromium at {args.chrome}: apt-get install chromium", file=sys.stderr)
        return 2

    reports = {}
    control = STATIC_ROOT / CONTROL_PATH.removeprefix("/static/")
    paths = args.pages + ([] if args.no_control else [CONTROL_PATH])
    with temp_dir() as tmp:
        env = prod_env(tmp / "db.sqlite3")
        print("Preparing: migrate, load_content, collectstatic ...", flush=True)
        prepare_site(env)
        control.write_text(CONTROL_HTML, encoding="utf-8")  # before the server starts: WhiteNoise lists files then
        try:
            with Server(env, workers=2, log_dir=tmp) as server:
                audit_all(binary, server, paths, reports, tmp, args)
        finally:
            control.unlink(missing_ok=True)
        first = next(iter(reports.values()))[0]
        version = first.get("lighthouseVersion", "?")


    def score_of(report, category):
        score = report["categories"][category]["score"]
        return None if score is None else round(score * 100)

    rows, misses = [], []
    for path, runs in reports.items():
        row = [f"{path} (control: blank page)" if path == CONTROL_PATH else path]
        for category in CATEGORIES:
            scores = [score_of(r, category) for r in runs]
            if None in scores:
                row.append("n/a")
                misses.append((path, category, None, runs))
                continue
            med = statistics.median(scores)
            row.append(f"{med:g}" + (f" ({min(scores)}-{max(scores)})" if min(scores) != max(scores) else ""))
            if med < 100 and path != CONTROL_PATH:
                misses.append((path, category, med, runs))
        rows.append(row)

    indexes = [r["environment"].get("benchmarkIndex") for runs in reports.values() for r in runs]
    slowdown = f"{args.cpu_slowdown:g}x (changed)" if args.cpu_slowdown is not None else "4x"
    print(f"\nLighthouse {version}, mobile (default form factor, simulated throttling: {slowdown} CPU slowdown), "
          f"Chromium {args.chrome}, {args.runs} run(s) per page; median score (range over runs)\n")
    print(table(["page"] + CATEGORIES, rows))
    print(f"\nHost benchmarkIndex per run: {indexes} (Lighthouse's CPU estimate; lower = slower or busier machine)")
    if CONTROL_PATH in reports:
        tbt = [r["audits"]["total-blocking-time"].get("displayValue", "?") for r in reports[CONTROL_PATH]]
        print(f"Control (a blank page, no script) Total Blocking Time per run: {tbt}: this much is the host's own")
    if not misses:
        print("\nTarget 100 in every category: met")
        return 0
    print("\nTarget 100 in every category: NOT met. Audits that cost points (runs in which they did):")
    for path, category, med, runs in misses:
        print(f"\n  {path} {category} {'n/a' if med is None else f'{med:g}'}")
        lost = collections.defaultdict(list)
        for report in runs:
            for audit_id, title, audit_score, value, weight in losing_audits(report, category):
                lost[(audit_id, title, weight)].append(f"{audit_score:.2f}" + (f" {value}" if value else ""))
        for (audit_id, title, weight), values in lost.items():
            print(f"    - {audit_id} (weight {weight}; {len(values)}/{len(runs)} runs: {'; '.join(values)}): {title}")
        if not lost:
            print("    (no weighted audit below 1; see the JSON reports with --save)")
        if category == "performance":
            for n, report in enumerate(runs, 1):
                audits = report["audits"]
                tasks = audits.get("long-tasks", {}).get("details", {}).get("items", [])
                breakdown = audits.get("mainthread-work-breakdown", {}).get("details", {}).get("items", [])
                print(f"      run {n}: long tasks (ms, simulated): "
                      f"{[(round(t['duration']), t['url'].split('/', 3)[-1] or '/') for t in tasks[:6]]}; "
                      "main thread: " + ", ".join(f"{b['groupLabel']} {b['duration']:.0f} ms" for b in breakdown[:4]))
    return 0


if __name__ == "__main__":
    run_main(main)
