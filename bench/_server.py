"""Shared helpers for the benchmark scripts: a production-mode gunicorn on 127.0.0.1.

Every server started here is stopped by the script that started it (context manager:
normal exit, an exception, Ctrl-C or SIGTERM). Databases live in a temporary folder that
is removed at the end; static files go to the repo's git-ignored staticfiles/ folder
(settings.STATIC_ROOT), as in production.
"""
import contextlib
import http.client
import os
import secrets
import shutil
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
PYTHON = REPO / ".venv" / "bin" / "python"
GUNICORN = REPO / ".venv" / "bin" / "gunicorn"
STATIC_ROOT = REPO / "staticfiles"
CONTENT = REPO / "content"


class BenchError(Exception):
    """A real failure: the script prints it and exits non-zero."""


def sigterm_as_exit():
    """Turn SIGTERM into SystemExit, so `finally` blocks stop servers and remove temp files."""
    def handler(signum, frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, handler)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def random_secret(length=50):
    alphabet = string.ascii_letters + string.digits + "-_"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def prod_env(db_path, port=None, **extra):
    """Environment for manage.py and gunicorn: DEBUG off, local http, a temp SQLite DB."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL",
                                                                       "REDIS_URL", "SITE_URL", "CONTENT_DIR"))}
    env.update({
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": random_secret(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SQLITE_PATH": str(db_path),
        "SITE_URL": f"http://127.0.0.1:{port or 8000}",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    env.update({k: str(v) for k, v in extra.items()})
    return env


def manage(*args, env, timeout=600, check=True):
    """Run manage.py; returns (seconds, CompletedProcess)."""
    start = time.perf_counter()
    proc = subprocess.run([str(PYTHON), "manage.py", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout)
    seconds = time.perf_counter() - start
    if check and proc.returncode != 0:
        raise BenchError(f"manage.py {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return seconds, proc


def prepare_site(env, content=None, collectstatic=True):
    """migrate, load_content [--path], collectstatic: the production steps."""
    manage("migrate", "--no-input", env=env)
    args = ["load_content"] + (["--path", str(content)] if content else [])
    manage(*args, env=env)
    if collectstatic:
        manage("collectstatic", "--no-input", env=env)


@contextlib.contextmanager
def temp_dir(prefix="bench-"):
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def http_get(port, path, timeout=30, headers=None):
    """One GET on a new connection: (status, headers dict, body bytes, seconds)."""
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body, time.perf_counter() - start
    finally:
        conn.close()


def redis_shape_env(env, db_name):
    """DATABASE_URL's server with a fresh database, and REDIS_URL, for the --shape redis run."""
    import psycopg

    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")) or not redis_url.startswith("redis://"):
        raise BenchError("--shape redis needs DATABASE_URL=postgres://... and REDIS_URL=redis://...: run it as\n"
                         "  scripts/with-redis.sh scripts/with-postgres.sh .venv/bin/python bench/<script>.py "
                         "--shape redis")
    admin = urlunsplit(urlsplit(database_url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db_name}"')
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    return dict(env, DATABASE_URL=urlunsplit(urlsplit(database_url)._replace(path=f"/{db_name}")),
                REDIS_URL=redis_url)


def drop_database(db_name):
    import psycopg

    admin = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


class Server:
    """gunicorn clinic_site.wsgi on 127.0.0.1:<free port>, started and stopped by this object."""

    def __init__(self, env, workers=2, port=None, log_dir=None, extra_args=(), site_url=None):
        self.port = port or free_port()
        # Its own address, unless the caller names one public address for several servers.
        self.env = dict(env, SITE_URL=site_url or f"http://127.0.0.1:{self.port}")
        self.workers = workers
        self.extra_args = list(extra_args)
        self.log_path = Path(log_dir or tempfile.gettempdir()) / f"gunicorn-{self.port}.log"
        self.proc = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_timeout=60):
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [str(GUNICORN), "clinic_site.wsgi", "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}",
             # No shared ~/.gunicorn/gunicorn.ctl: other servers on this machine may use it.
             "--no-control-socket", *self.extra_args],
            cwd=REPO, env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in the terminal reaches this script only; it stops gunicorn
        )
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"gunicorn exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                status, _h, _b, _s = http_get(self.port, "/healthz", timeout=5)
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchError(f"gunicorn did not answer /healthz with 200 within {ready_timeout} s:\n{self.log_tail()}")

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()  # the master; it stops its own workers
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)  # the group this object started
                self.proc.wait(timeout=10)
        self.proc = None
        self._log.close()

    def log_tail(self, lines=40):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()
        return False


def percentile(values, pct):
    """Nearest-rank percentile of a list of numbers."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(values):
    return statistics.median(values) if values else float("nan")


def _numeric(text):
    return bool(text) and text.replace(",", "").replace(".", "").replace("-", "").replace(" ", "").isdigit()


def table(headers, rows):
    """A plain-text table: numbers right-aligned, text left-aligned."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    numeric = [i > 0 and all(_numeric(row[i]) or not row[i] for row in cells[1:]) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(c.rjust(widths[i]) if numeric[i] else c.ljust(widths[i])
                               for i, c in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def run_main(main):
    """Run a script's main(): BenchError -> message and exit 1; Ctrl-C -> exit 130."""
    sigterm_as_exit()
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"\nFAILED: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("\nInterrupted; servers stopped.", file=sys.stderr)
        sys.exit(130)
