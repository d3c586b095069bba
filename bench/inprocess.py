"""CPU per page and per warm load_content, measured inside one process (not wall-clock).

    .venv/bin/python bench/inprocess.py [--topics 1000] [--faqs 5000] [--requests 300] [--loads 5]
    cd /work/wt-old && .venv/bin/python /work/wt-new/bench/inprocess.py   (measures the tree it runs in)

On a machine shared with other work, wall-clock figures move with the load; the CPU time this
process itself spends (`time.process_time()`) moves far less. So this measures the work
bench/content_scale.py times, on the content that tree's own generator writes (the current
directory's bench/content_scale.py): it loads it into a temp SQLite DB with DEBUG off and the
default local-memory cache, times `load_content` warm (nothing to change) --loads times, then
renders each page with Django's test Client --requests times after 5 warm-up requests, a fresh
`?r=N` each time so the page cache never answers (as the bench's "uncached" rows). Prints the
min and median CPU per load and per request.

--keep DIR keeps the DB and content in DIR and reuses them on the next run (no cold load).
--profile CASE[,CASE] profiles those requests (CASE: a page name below, or "load") and prints the
top: cProfile on the process-time clock, saved as --out/CASE.prof (its overhead inflates the figures
several times over: read it for proportions), or with --profiler pyinstrument (sampling; needs
pyinstrument importable, e.g. on PYTHONPATH) as --out/CASE.txt.
"""
import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

PAGES = {
    "topic": lambda slugs, i: f"/{slugs[len(slugs) // 2]}/?r={i}",
    "home": lambda slugs, i: f"/?r={i}",
    "faq": lambda slugs, i: f"/faq/?r={i}",
    "search-needle": lambda slugs, i: f"/search/?q=needle&r={i}",
    "search-shoulder": lambda slugs, i: f"/search/?q=shoulder+pain&r={i}",
    "after-care": lambda slugs, i: f"/after-care/?r={i}",  # with the Call 911 box (needs --real)
}


class Profile:
    """cProfile or pyinstrument, started and stopped around each measured call."""

    def __init__(self, kind):
        self.kind = kind
        if kind == "pyinstrument":
            import pyinstrument

            self.profiler = pyinstrument.Profiler(interval=0.0005)
        else:
            self.profiler = cProfile.Profile(time.process_time)

    def __enter__(self):
        if self.kind == "pyinstrument":
            self.profiler.start()
        else:
            self.profiler.enable()

    def __exit__(self, *exc):
        if self.kind == "pyinstrument":
            self.profiler.stop()
        else:
            self.profiler.disable()

    def report(self, out, name):
        if self.kind == "pyinstrument":
            text = self.profiler.output_text(show_all=False)
            (out / f"{name}.txt").write_text(text)
        else:
            self.profiler.dump_stats(str(out / f"{name}.prof"))
            stream = io.StringIO()
            pstats.Stats(self.profiler, stream=stream).sort_stats("cumulative").print_stats(30)
            text = stream.getvalue()
        print(text)


class NoProfile:
    def __enter__(self):
        pass

    def __exit__(self, *exc):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--topics", type=int, default=1000)
    parser.add_argument("--faqs", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--pages", default="topic,home,faq,search-needle,search-shoulder")
    parser.add_argument("--real", action="store_true", help="also load the site's own content/ (after-care etc.)")
    parser.add_argument("--keep", help="keep the DB and content here, and reuse them when present")
    parser.add_argument("--profile", default="")
    parser.add_argument("--profiler", choices=["cprofile", "pyinstrument"], default="cprofile")
    parser.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "inprocess-profiles"))
    args = parser.parse_args()

    repo = Path.cwd()
    sys.path[:0] = [str(repo), str(repo / "bench")]
    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="inprocess-"))
    tmp.mkdir(parents=True, exist_ok=True)
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "clinic_site.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "inprocess-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SQLITE_PATH": str(tmp / "db.sqlite3"),
        "SITE_URL": "http://127.0.0.1:8000",
        "CONTENT_VERSION_FILE": str(tmp / "content.version"),
    })
    for name in ("DATABASE_URL", "CACHE_URL", "REDIS_URL", "CONTENT_DIR"):
        os.environ.pop(name, None)
    try:
        measure(args, repo, tmp)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


def measure(args, repo, tmp):
    import django

    django.setup()
    import content_scale
    from django.core.management import call_command
    from django.test import Client

    out = Path(args.out)
    profiled = set(filter(None, args.profile.split(",")))
    if profiled:
        out.mkdir(parents=True, exist_ok=True)

    def profile(name):
        return Profile(args.profiler) if name in profiled else NoProfile()

    content = tmp / "content"
    print(f"tree {repo}")
    if not (tmp / "slugs.txt").exists():
        content.mkdir()
        slugs = content_scale.generate(content, args.topics, args.faqs)
        call_command("migrate", "--no-input", verbosity=0)
        if args.real:
            call_command("load_content", stdout=io.StringIO())
        start = time.process_time()
        call_command("load_content", path=str(content), stdout=io.StringIO())
        print(f"load_content cold: CPU {time.process_time() - start:.2f} s")
        (tmp / "slugs.txt").write_text("\n".join(slugs))
    slugs = (tmp / "slugs.txt").read_text().split("\n")

    loads = []
    load_profile = profile("load")
    for _ in range(args.loads):
        sink = io.StringIO()
        start = time.process_time()
        with load_profile:
            call_command("load_content", path=str(content), stdout=sink)
        loads.append(time.process_time() - start)
        assert "nothing to change" in sink.getvalue(), sink.getvalue()
    if loads:
        print(f"load_content warm x{args.loads}: CPU min {min(loads):.3f} s, median {statistics.median(loads):.3f} s"
              f" ({', '.join(f'{s:.3f}' for s in loads)})", flush=True)
        if isinstance(load_profile, Profile):
            load_profile.report(out, "load")

    client = Client()
    for name in filter(None, args.pages.split(",")):
        path_for = PAGES[name]
        for i in range(5):
            response = client.get(path_for(slugs, -1 - i))
            assert response.status_code == 200, (name, response.status_code)
        cpu = []
        page_profile = profile(name)
        for i in range(args.requests):
            start = time.process_time()
            with page_profile:
                client.get(path_for(slugs, i))
            cpu.append((time.process_time() - start) * 1000)
        print(f"{name:16} CPU ms min {min(cpu):6.2f}  median {statistics.median(cpu):6.2f}  "
              f"({len(response.content):,} bytes)", flush=True)
        if isinstance(page_profile, Profile):
            page_profile.report(out, name)


if __name__ == "__main__":
    main()
