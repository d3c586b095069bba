"""Throughput of cached pages against static files of the same size (wrk).

    .venv/bin/python bench/throughput.py [--threads 2] [--connections 20] [--duration 5s] [--rounds 3]
    scripts/with-redis.sh scripts/with-postgres.sh .venv/bin/python bench/throughput.py --shape redis

Starts gunicorn (2 workers, DEBUG off) on a temp SQLite DB loaded from content/, measures
the home page, the longest topic page and the FAQ page, writes a static file of exactly the
same byte size for each into staticfiles/ (served by WhiteNoise at /static/), warms every
URL, then runs wrk alternately on page and static file for several rounds. The ratio
page req/s / static req/s (median over rounds) should be at least 0.9: a cached page should
cost about as much as a file. On 2 cores wrk and gunicorn share the CPU, so compare the
ratios, not the absolute figures.

--shape redis measures the larger deployment: two gunicorn servers (1 worker each, so the
same 2 workers in all) on one PostgreSQL (a fresh database on DATABASE_URL's server) with
Redis (REDIS_URL) as the shared cache; wrk runs against both servers at once (half the
connections each) and their req/s are added. It also times the first request after a content
change (the version key removed from Redis: the next request sets a new one and renders the
page from the database): uncached p50/p99.
"""
import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from _server import (
    CONTENT,
    STATIC_ROOT,
    BenchError,
    Server,
    drop_database,
    http_get,
    median,
    percentile,
    prepare_site,
    prod_env,
    redis_shape_env,
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


def run_wrk_side_by_side(urls, args):
    """wrk against every server at once, connections split between them; req/s added up."""
    if len(urls) == 1:
        return run_wrk(urls[0], args)
    share = argparse.Namespace(**vars(args))
    share.connections = max(1, args.connections // len(urls))
    share.threads = max(1, args.threads // len(urls))
    with ThreadPoolExecutor(len(urls)) as pool:
        results = list(pool.map(lambda url: run_wrk(url, share), urls))
    return {
        "rps": sum(r["rps"] for r in results),
        "p50": max(r["p50"] for r in results),
        "p99": max(r["p99"] for r in results),
        "requests": sum(r["requests"] for r in results),
        "non2xx": sum(r["non2xx"] for r in results),
        "errors": {k: sum(r["errors"].get(k, 0) for r in results) for k in ("connect", "read", "write", "timeout")},
    }


def uncached_after_a_change(servers, path, samples):
    """ms for the first request after each content change (alternating servers)."""
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    times = []
    for n in range(samples):
        client.delete(":1:content-version")  # what a bump does: no page cached under the new version
        status, _h, _b, seconds = http_get(servers[n % len(servers)].port, path)
        if status != 200:
            raise BenchError(f"{path} answered {status} after a content change")
        times.append(seconds * 1000)
        time.sleep(0.02)
    return times


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


# One public address for every server, as in a real deployment: pages carry it (canonical links,
# the printed QR code), so every server sends the same bytes for the same page.
SITE_URL = "https://clinic.example"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2, help="wrk -t (default 2)")
    parser.add_argument("--connections", type=int, default=20, help="wrk -c (default 20)")
    parser.add_argument("--duration", default="5s", help="wrk -d (default 5s)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of page/static pairs (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--target", type=float, default=0.9, help="minimum page/static ratio (default 0.9)")
    parser.add_argument("--shape", choices=["local", "redis"], default="local",
                        help="local: one server, SQLite, per-process cache (default); "
                             "redis: two servers, PostgreSQL, Redis (see above)")
    parser.add_argument("--uncached-samples", type=int, default=40,
                        help="--shape redis: first requests after a change to time (default 40)")
    args = parser.parse_args()
    if args.shape == "redis" and "--workers" not in sys.argv:
        args.workers = 1  # per server: two servers of one worker, the same 2 workers in all
    seconds = re.fullmatch(r"(\d+)([smh]?)", args.duration)
    if not seconds or not 1 <= args.rounds <= 20:
        parser.error("--duration like 5s, 30s or 1m; --rounds 1-20")
    args.wrk_timeout = int(seconds.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[seconds.group(2)] + 60

    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install wrk  (or: make bench, which installs it)", file=sys.stderr)
        return 2

    static_files = []
    servers_count = 2 if args.shape == "redis" else 1
    db_name = f"clinic_bench_{os.getpid()}"
    uncached = {}
    with temp_dir() as tmp:
        try:
            env = prod_env(tmp / "db.sqlite3")
            if args.shape == "redis":
                env = redis_shape_env(env, db_name)
            print("Preparing: migrate, load_content, collectstatic ...", flush=True)
            prepare_site(env)

            # 1. Measure the pages to mirror (sizes as served, no compression).
            with Server(env, workers=args.workers, log_dir=tmp, site_url=SITE_URL) as server:
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
            with contextlib.ExitStack() as stack:
                servers = [stack.enter_context(Server(env, workers=args.workers, log_dir=tmp, site_url=SITE_URL))
                           for _ in range(servers_count)]
                server = servers[0]
                for name in pages:
                    for path in (pages[name], statics[name]):
                        for n in range(20):  # every worker fills its page cache
                            status, _h, body, _s = http_get(servers[n % len(servers)].port, path)
                            if status != 200:
                                raise BenchError(f"warm-up: {path} answered {status}")
                        if len(body) != page_size[name]:
                            raise BenchError(f"{path} is {len(body)} bytes, expected {page_size[name]}")

                shape = ("" if servers_count == 1 else
                         f" x {servers_count} servers side by side, PostgreSQL + Redis cache")
                print(f"\nwrk -t{args.threads} -c{args.connections} -d{args.duration} --latency, "
                      f"gunicorn -w {args.workers}{shape}, {args.rounds} round(s); "
                      f"longest topic page: {pages['topic']}\n", flush=True)
                results = {name: {"page": [], "static": []} for name in pages}
                for round_no in range(1, args.rounds + 1):
                    for name in pages:
                        for kind, path in (("page", pages[name]), ("static", statics[name])):
                            result = run_wrk_side_by_side([srv.url + path for srv in servers], args)
                            results[name][kind].append(result)
                            print(f"  round {round_no} {name:5} {kind:6} {path:45} {result['rps']:8.1f} req/s  "
                                  f"p99 {result['p99']:7.2f} ms", flush=True)
                if args.shape == "redis":
                    for name in pages:
                        uncached[name] = uncached_after_a_change(servers, pages[name], args.uncached_samples)
                log_tail = "\n".join(srv.log_tail(10) for srv in servers)
        finally:
            for path in static_files:
                path.unlink(missing_ok=True)
            if args.shape == "redis":
                drop_database(db_name)

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
    if uncached:
        print(f"\nFirst request after a content change (uncached, rendered from PostgreSQL), "
              f"{args.uncached_samples} samples per page, alternating servers:")
        for name, times in uncached.items():
            p50, p99 = percentile(times, 50), percentile(times, 99)
            print(f"  {name:5} {pages[name]:45} p50 {p50:6.1f} ms  p99 {p99:6.1f} ms")
    print(f"\nTarget page/static ratio >= {args.target}: {'met' if met_all else 'NOT met'} "
          f"({sum(r[-1] == 'yes' for r in rows)}/{len(rows)} pages)")
    if failures:
        print("\n".join(["", "Failures:"] + failures + ["", "gunicorn log tail:", log_tail]))
        return 1
    return 0


if __name__ == "__main__":
    run_main(main)
