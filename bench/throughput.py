"""Throughput of cached pages against static files of the same size (wrk).

    .venv/bin/python bench/throughput.py [--threads 2] [--connections 20] [--duration 5s] [--rounds 3]

Starts gunicorn (2 workers, DEBUG off) on a temp SQLite DB loaded from content/, measures
the home page, the longest topic page and the FAQ page, writes a static file of exactly the
same byte size for each into staticfiles/ (served by WhiteNoise at /static/), warms every
URL, then runs wrk alternately on page and static file for several rounds. The ratio
page req/s / static req/s (median over rounds) should be at least 0.9: a cached page should
cost about as much as a file. On 2 cores wrk and gunicorn share the CPU, so compare the
ratios, not the absolute figures.
"""
import argparse
import re
import shutil
import subprocess
import sys

from _server import (
    CONTENT,
    STATIC_ROOT,
    BenchError,
    Server,
    http_get,
    median,
    prepare_site,
    prod_env,
    run_main,
    table,
    temp_dir,
)

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(output):
    """req/s, p50 and p99 latency (ms), requests, non-2xx/3xx count and socket errors."""
    def latency(pct):
        match = re.search(rf"^\s*{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        return float(match.group(1)) * UNITS[match.group(2)] if match else float("nan")

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    requests = re.search(r"(\d+) requests in", output)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    kinds = ("connect", "read", "write", "timeout")
    if not rps or not requests:
        raise BenchError(f"could not read wrk's output:\n{output}")
    return {
        "rps": float(rps.group(1)),
        "p50": latency(50),
        "p99": latency(99),
        "requests": int(requests.group(1)),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "errors": dict(zip(kinds, map(int, errors.groups()), strict=True)) if errors else {},
    }


def run_wrk(url, args):
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}", "--latency", url]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.wrk_timeout)
    if proc.returncode != 0:
        raise BenchError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return parse_wrk(proc.stdout)


def filler(size, label):
    """`size` bytes of plain HTML (ASCII, so bytes == characters)."""
    head = f"<!DOCTYPE html><html lang=en><title>{label}</title><p>"
    tail = "</p></html>\n"
    body_len = size - len(head) - len(tail)
    if body_len < 0:
        raise BenchError(f"page {label} is too small ({size} bytes) to mirror")
    sentence = "Static file of the same size as the page, for the throughput comparison. "
    body = (sentence * (body_len // len(sentence) + 1))[:body_len]
    data = (head + body + tail).encode("ascii")
    assert len(data) == size
    return data


def topic_slugs():
    return sorted(p.stem for p in (CONTENT / "topics").glob("*.md"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2, help="wrk -t (default 2)")
    parser.add_argument("--connections", type=int, default=20, help="wrk -c (default 20)")
    parser.add_argument("--duration", default="5s", help="wrk -d (default 5s)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of page/static pairs (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--target", type=float, default=0.9, help="minimum page/static ratio (default 0.9)")
    args = parser.parse_args()
    seconds = re.fullmatch(r"(\d+)([smh]?)", args.duration)
    if not seconds or not 1 <= args.rounds <= 20:
        parser.error("--duration like 5s, 30s or 1m; --rounds 1-20")
    args.wrk_timeout = int(seconds.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[seconds.group(2)] + 60

    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install wrk  (or: make bench, which installs it)", file=sys.stderr)
        return 2

    static_files = []
    with temp_dir() as tmp:
        try:
            env = prod_env(tmp / "db.sqlite3")
            print("Preparing: migrate, load_content, collectstatic ...", flush=True)
            prepare_site(env)

            # 1. Measure the pages to mirror (sizes as served, no compression).
            with Server(env, workers=args.workers, log_dir=tmp) as server:
                sizes = {}
                for slug in topic_slugs():
                    status, _h, body, _s = http_get(server.port, f"/{slug}/")
                    if status == 200:
                        sizes[slug] = len(body)
                if not sizes:
                    raise BenchError("no topic page answered 200")
                longest = max(sizes, key=sizes.get)
                pages = {"home": "/", "topic": f"/{longest}/", "faq": "/faq/"}
                page_size = {}
                for name, path in pages.items():
                    status, _h, body, _s = http_get(server.port, path)
                    if status != 200:
                        raise BenchError(f"{path} answered {status}")
                    page_size[name] = len(body)

            # 2. A static file of exactly the same size for each page.
            statics = {}
            for name, size in page_size.items():
                target = STATIC_ROOT / f"bench-same-size-{name}.html"
                target.write_bytes(filler(size, f"bench {name}"))
                static_files.append(target)
                statics[name] = f"/static/{target.name}"

            # 3. Serve, warm, compare.
            with Server(env, workers=args.workers, log_dir=tmp) as server:
                for name in pages:
                    for path in (pages[name], statics[name]):
                        for _ in range(20):  # both workers fill their page cache
                            status, _h, body, _s = http_get(server.port, path)
                            if status != 200:
                                raise BenchError(f"warm-up: {path} answered {status}")
                        if len(body) != page_size[name]:
                            raise BenchError(f"{path} is {len(body)} bytes, expected {page_size[name]}")

                print(f"\nwrk -t{args.threads} -c{args.connections} -d{args.duration} --latency, "
                      f"gunicorn -w {args.workers}, {args.rounds} round(s); longest topic page: {pages['topic']}\n",
                      flush=True)
                results = {name: {"page": [], "static": []} for name in pages}
                for round_no in range(1, args.rounds + 1):
                    for name in pages:
                        for kind, path in (("page", pages[name]), ("static", statics[name])):
                            result = run_wrk(server.url + path, args)
                            results[name][kind].append(result)
                            print(f"  round {round_no} {name:5} {kind:6} {path:45} {result['rps']:8.1f} req/s  "
                                  f"p99 {result['p99']:7.2f} ms", flush=True)
                log_tail = server.log_tail(10)
        finally:
            for path in static_files:
                path.unlink(missing_ok=True)

    rows, failures, met_all = [], [], True
    for name in pages:
        page_runs, static_runs = results[name]["page"], results[name]["static"]
        ratios = [p["rps"] / s["rps"] for p, s in zip(page_runs, static_runs, strict=True) if s["rps"]]
        ratio = median(ratios)
        met = ratio >= args.target
        met_all &= met
        rows.append([
            f"{name} {pages[name]}", f"{page_size[name]:,}",
            f"{median([r['rps'] for r in page_runs]):.1f}", f"{median([r['p99'] for r in page_runs]):.2f}",
            f"{median([r['rps'] for r in static_runs]):.1f}", f"{median([r['p99'] for r in static_runs]):.2f}",
            " ".join(f"{r:.2f}" for r in ratios), f"{ratio:.2f}", "yes" if met else "NO",
        ])
        for run in page_runs + static_runs:
            if run["non2xx"]:
                failures.append(f"{name}: {run['non2xx']} non-2xx/3xx responses")
            if run["errors"].get("connect") or run["errors"].get("timeout"):
                failures.append(f"{name}: socket errors {run['errors']}")

    print("\nMedians over rounds (latency in ms; ratio = page req/s / static req/s, per round and median)\n")
    print(table(["page", "bytes", "page req/s", "page p99", "static req/s", "static p99",
                 "ratio per round", "ratio", f">= {args.target}"], rows))
    errors = [(name, kind, r["errors"]) for name in pages for kind in ("page", "static")
              for r in results[name][kind] if any(r["errors"].values())]
    if errors:
        print("\nwrk socket errors (read errors are connections gunicorn's sync workers closed):")
        for name, kind, err in errors:
            print(f"  {name} {kind}: {err}")
    print(f"\nTarget page/static ratio >= {args.target}: {'met' if met_all else 'NOT met'} "
          f"({sum(r[-1] == 'yes' for r in rows)}/{len(rows)} pages)")
    if failures:
        print("\n".join(["", "Failures:"] + failures + ["", "gunicorn log tail:", log_tail]))
        return 1
    return 0


if __name__ == "__main__":
    run_main(main)
