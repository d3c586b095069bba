"""Sustained load, a staff edit under load, and a database outage.

    .venv/bin/python bench/load_and_faults.py [--clients 50] [--duration 30] [--edit-timeout 15]

1. Load: `--clients` threads request a mix of pages (most cacheable, some with a fresh query
   string so the view and the database run) for `--duration` seconds against gunicorn
   (2 workers, DEBUG off, default settings). Expected: 0 connection errors, 0 5xx.
2. Staff edit under load: a separate process (`manage.py shell -c`) changes an FAQ answer
   with .save(), as an admin edit would; then /faq/ and /faq/<slug>/ are polled until they
   show the new text. Expected: the next request shows it (the delay is printed).
3. Database outage: the SQLite file is moved away and an empty directory put at its path,
   so SQLite cannot open it. An uncached page must answer 503 with the friendly "briefly
   unavailable" page (no traceback) and /healthz 503; a page cached before the outage may
   still answer 200. The file is put back and the site must answer 200 again by itself,
   without a restart. This runs on a server started with DJANGO_CONN_MAX_AGE=0, so each
   request opens the database: with the default CONN_MAX_AGE=60 an already-open SQLite
   connection keeps reading the moved file (that behaviour is probed and printed too).
"""
import argparse
import collections
import os
import threading
import time

from _server import Server, http_get, manage, percentile, prepare_site, prod_env, run_main, table, temp_dir

FAQ_SLUG = "does-it-hurt"
LOAD_PATHS = [
    "/", "/faq/", "/trigger-points-and-referred-pain/", "/after-care/", f"/faq/{FAQ_SLUG}/", "/conditions/",
    "/conditions/neck-pain/", "/providers/", "/locations/", "/search/?q=sore",
    "/search/?q=needle&n={n}",            # uncached: the view and the database run
    "/what-is-dry-needling/?n={n}",       # uncached
]
FRIENDLY = b"briefly unavailable"


class Load:
    """`clients` threads, each GETting paths in turn until stopped or the deadline passes."""

    def __init__(self, port, clients, duration, timeout=30):
        self.port, self.clients, self.duration, self.timeout = port, clients, duration, timeout
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.statuses = collections.Counter()
        self.errors = collections.Counter()
        self.times = []
        self.by_second = collections.Counter()
        self.threads = []
        self.ended = []

    def worker(self, index):
        n = index
        deadline = self.start + self.duration
        while not self.stop.is_set() and time.monotonic() < deadline:
            path = LOAD_PATHS[n % len(LOAD_PATHS)].format(n=f"{index}-{n}")
            n += 1
            try:
                status, _h, _b, seconds = http_get(self.port, path, timeout=self.timeout)
            except Exception as exc:  # noqa: BLE001 - every kind of connection failure is counted
                with self.lock:
                    self.errors[type(exc).__name__] += 1
                continue
            with self.lock:
                self.statuses[status] += 1
                self.times.append(seconds * 1000)
                self.by_second[int(time.monotonic() - self.start)] += 1
        with self.lock:
            self.ended.append(time.monotonic())

    def __enter__(self):
        self.start = time.monotonic()
        self.threads = [threading.Thread(target=self.worker, args=(i,), daemon=True) for i in range(self.clients)]
        for thread in self.threads:
            thread.start()
        return self

    def wait(self):
        for thread in self.threads:
            thread.join(timeout=self.duration + self.timeout + 30)
        self.elapsed = max(self.ended, default=time.monotonic()) - self.start

    def __exit__(self, *exc):
        self.stop.set()
        self.wait()
        return False


def staff_edit(env, marker):
    """Change the FAQ answer in another process, through the ORM, as a staff edit does."""
    code = (
        "from pages.models import FaqEntry\n"
        f"e = FaqEntry.objects.get(slug={FAQ_SLUG!r})\n"
        f"e.answer = e.answer + ' {marker}'\n"
        "e.save()\n"
    )
    seconds, _proc = manage("shell", "-c", code, env=env, timeout=120)
    return seconds


def poll_until(port, path_for, predicate, timeout, consecutive=1, interval=0.05):
    """Seconds until `consecutive` requests in a row satisfy predicate(status, body), else None.

    Also returns the first response seen (status, whether it satisfied the predicate) and
    the seconds until the first one that satisfied it (or None)."""
    start = time.monotonic()
    streak, first, n, first_ok = 0, None, 0, None
    while time.monotonic() - start < timeout:
        status, _h, body, _s = http_get(port, path_for(n), timeout=30)
        n += 1
        ok = predicate(status, body)
        if first is None:
            first = (status, ok)
        if ok and first_ok is None:
            first_ok = time.monotonic() - start
        streak = streak + 1 if ok else 0
        if streak >= consecutive:
            return time.monotonic() - start, first, first_ok
        time.sleep(interval)
    return None, first, first_ok


def break_db(db_path):
    away = db_path.with_name(db_path.name + ".away")
    os.rename(db_path, away)
    os.mkdir(db_path)  # SQLite cannot open a directory, and will not create a new empty DB here
    return away


def restore_db(db_path, away):
    if db_path.is_dir():
        os.rmdir(db_path)
    if away.exists():
        os.rename(away, db_path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load (default 30)")
    parser.add_argument("--edit-timeout", type=float, default=15.0,
                        help="seconds to wait for a staff edit to show (default 15)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not (1 <= args.clients <= 500 and 1 <= args.duration <= 3600 and 1 <= args.edit_timeout <= 600):
        parser.error("--clients 1-500, --duration 1-3600, --edit-timeout 1-600")

    checks = []  # (check, expected, observed, ok)

    def check(name, expected, observed, ok):
        checks.append([name, expected, observed, "ok" if ok else "FAILED"])
        print(f"  {'ok    ' if ok else 'FAILED'} {name}: {observed}", flush=True)

    with temp_dir() as tmp:
        db_path = tmp / "db.sqlite3"
        env = prod_env(db_path)
        print("Preparing: migrate, load_content, collectstatic ...", flush=True)
        prepare_site(env)

        # --- 1 and 2: load, with a staff edit in the middle -------------------------------
        with Server(env, workers=args.workers, log_dir=tmp) as server:
            port = server.port
            for path in LOAD_PATHS:
                for _ in range(4):
                    http_get(port, path.format(n="warm"))
            marker = f"Benchmark edit {int(time.time())}."
            print(f"\nLoad: {args.clients} clients for {args.duration:.0f} s on {server.url}", flush=True)
            with Load(port, args.clients, args.duration) as load:
                time.sleep(min(args.duration / 3, 10))
                edit_seconds = staff_edit(env, marker)
                edit_done = time.monotonic()
                print(f"  staff edit saved by another process ({edit_seconds:.1f} s including its start-up)",
                      flush=True)
                shows = lambda status, body: status == 200 and marker.encode() in body  # noqa: E731
                # 10 in a row: each worker process answers some of them. The two pages are
                # polled one after the other, each for up to --edit-timeout after the save.
                faq_delay, faq_first, _ok = poll_until(port, lambda n: "/faq/", shows, args.edit_timeout,
                                                       consecutive=10)
                entry_delay, _first, _ok = poll_until(port, lambda n: f"/faq/{FAQ_SLUG}/", shows,
                                                      args.edit_timeout, consecutive=10)
                # Delays are counted from the save, for both pages.
                if faq_delay is not None:
                    faq_delay = min(faq_delay, time.monotonic() - edit_done)
                if entry_delay is not None:
                    entry_delay = time.monotonic() - edit_done
                _d, _f, uncached_delay = poll_until(port, lambda n: f"/faq/?edit-check={n}", shows, 5)
                load.wait()
            total = sum(load.statuses.values())
            fivexx = sum(n for s, n in load.statuses.items() if s >= 500)
            errors = sum(load.errors.values())
            rps = total / load.elapsed if load.elapsed else 0
            print(f"  {total:,} responses in {load.elapsed:.1f} s ({rps:.0f}/s), statuses {dict(load.statuses)}, "
                  f"connection errors {dict(load.errors) or 0}", flush=True)
            check("load: connection errors", "0", f"{errors} {dict(load.errors) or ''}".strip(), errors == 0)
            check("load: 5xx responses", "0", str(fivexx), fivexx == 0)
            check("load: responses other than 200", "0 (all pages exist)",
                  str(total - load.statuses.get(200, 0)), total == load.statuses.get(200, 0))
            check("staff edit: next /faq/ request shows it", "yes",
                  "yes" if faq_first and faq_first[1] else f"no (first answer {faq_first[0] if faq_first else '-'} "
                  "without the edit)", bool(faq_first and faq_first[1]))
            check("staff edit: /faq/ shows it on 10 requests in a row", f"within {args.edit_timeout:.0f} s",
                  f"after {faq_delay:.2f} s" if faq_delay is not None else f"NOT within {args.edit_timeout:.0f} s",
                  faq_delay is not None)
            check(f"staff edit: /faq/{FAQ_SLUG}/ shows it on 10 requests in a row",
                  f"within {args.edit_timeout:.0f} s",
                  f"after {entry_delay:.2f} s" if entry_delay is not None else f"NOT within {args.edit_timeout:.0f} s",
                  entry_delay is not None)
            check("staff edit: uncached /faq/?edit-check=N shows it (database has it)", "yes",
                  f"after {uncached_delay:.2f} s" if uncached_delay is not None else "no", uncached_delay is not None)

            # Informational: the default CONN_MAX_AGE=60 keeps an open SQLite connection.
            away = break_db(db_path)
            try:
                probe = [http_get(port, f"/faq/?probe={n}")[0] for n in range(6)]
                health = http_get(port, "/healthz")[0]
            finally:
                restore_db(db_path, away)
            print(f"  (info) default CONN_MAX_AGE=60, DB file moved away: uncached /faq/ -> {probe}, "
                  f"/healthz -> {health}", flush=True)
            load_log = server.log_tail(15)

        # --- 3: database outage and recovery --------------------------------------------
        print("\nDatabase outage (server with DJANGO_CONN_MAX_AGE=0)", flush=True)
        fault_env = dict(env, DJANGO_CONN_MAX_AGE="0")
        with Server(fault_env, workers=args.workers, log_dir=tmp) as server:
            port = server.port
            for _ in range(6):  # cached in both workers before the outage
                http_get(port, "/after-care/")
            away = break_db(db_path)
            outage_start = time.monotonic()
            try:
                status, headers, body, _s = http_get(port, "/faq/?outage=1")
                friendly = FRIENDLY in body and b"Traceback" not in body
                check("outage: uncached page", "503 + 'briefly unavailable'",
                      f"{status}, friendly text {'yes' if FRIENDLY in body else 'no'}, "
                      f"traceback {'yes' if b'Traceback' in body else 'no'}, Retry-After {headers.get('retry-after')}",
                      status == 503 and friendly)
                statuses = collections.Counter(http_get(port, f"/what-is-dry-needling/?outage={n}")[0]
                                               for n in range(10))
                check("outage: 10 more uncached pages", "all 503", str(dict(statuses)), set(statuses) == {503})
                health = [http_get(port, "/healthz")[0] for _ in range(4)]
                check("outage: /healthz", "503", str(health), set(health) == {503})
                cached = [http_get(port, "/after-care/")[0] for _ in range(4)]
                check("outage: page cached before the outage", "200 (info)", str(cached), True)
            finally:
                restore_db(db_path, away)
            outage = time.monotonic() - outage_start
            recovered, _first, first_ok = poll_until(port, lambda n: f"/faq/?recovered={n}",
                                          lambda status, body: status == 200, 30, consecutive=10)
            check("recovery: uncached pages 200 again, no restart", "10 in a row",
                  f"first 200 after {first_ok:.2f} s, 10 in a row after {recovered:.2f} s"
                  if recovered is not None else "NOT within 30 s", recovered is not None)
            health = [http_get(port, "/healthz")[0] for _ in range(4)]
            check("recovery: /healthz", "200", str(health), set(health) == {200})
            alive = server.proc.poll() is None
            check("recovery: same gunicorn master, no restart", "running", "running" if alive else "exited", alive)
            fault_log = server.log_tail(15)

    print(f"\nLoad: {args.clients} clients, {load.elapsed:.1f} s, {total:,} responses ({rps:.0f}/s), "
          f"latency p50 {percentile(load.times, 50):.0f} ms, p99 {percentile(load.times, 99):.0f} ms, "
          f"max {max(load.times, default=0):.0f} ms; outage lasted {outage:.1f} s\n")
    print(table(["check", "expected", "observed", "result"], checks))
    failed = [c for c in checks if c[-1] != "ok"]
    print(f"\n{len(checks) - len(failed)} passed, {len(failed)} failed")
    if failed:
        print("\ngunicorn log tail (load server):\n" + load_log)
        print("\ngunicorn log tail (outage server):\n" + fault_log)
        return 1
    return 0


if __name__ == "__main__":
    run_main(main)
