"""How the site scales with content: 1,000 topic pages and 5,000 FAQ answers.

    .venv/bin/python bench/content_scale.py [--topics 1000] [--faqs 5000] [--requests 200]
    scripts/with-redis.sh scripts/with-postgres.sh .venv/bin/python bench/content_scale.py --shape redis

Generates the files (format of content/README.md; content/references and content/clinic.md
copied) in a temp dir, times `load_content --path` on an empty DB (cold) and again with
nothing to change (warm), then starts gunicorn (2 workers, DEBUG off) on that DB and times
sequential requests: a topic page, the FAQ page and search. "uncached" requests add a fresh
query string each time (`?r=N`), so the page cache cannot answer and the view runs;
"cached" requests repeat one URL (the page cache answers after the first). Times are
wall-clock per request, from connect to the last byte, on a new connection each time.

--shape redis runs the same on PostgreSQL (a fresh database on DATABASE_URL's server) with
Redis (REDIS_URL) as the cache: the larger deployment.

Targets: load of 1,000 pages under 10 s; search p99 under 50 ms at 1,000 pages.
"""
import argparse
import os
import random
import shutil
import time

from _server import (
    CONTENT,
    BenchError,
    Server,
    drop_database,
    http_get,
    manage,
    median,
    percentile,
    prod_env,
    redis_shape_env,
    run_main,
    table,
    temp_dir,
)

LOAD_TARGET_S = 10.0
SEARCH_P99_TARGET_MS = 50.0
# The last three take search's other paths: a misspelling corrected, Spanish typed into the
# English box (a warning sign, too), a word the guide does not have.
SEARCH_WORDS = ["needle", "sore", "shoulder pain", "insurance", "twitch", "brusing", "dolor de pecho", "cupping"]

MUSCLES = ["neck", "upper back", "lower back", "shoulder", "hip", "calf", "hamstring", "forearm", "jaw",
           "buttock", "thigh", "foot", "shoulder blade", "wrist", "knee"]
ASPECTS = ["what to expect", "how it helps", "after your visit", "common questions", "risks and safety",
           "exercises at home", "how many visits", "when to call us", "how it feels", "who it suits"]
SENTENCES = [
    "Your therapist uses a thin needle to reach a tight spot in the {m} muscle.",
    "Many people feel a deep ache or a small twitch when the needle finds the right spot.",
    "Soreness in the {m} for a day or two is common and usually fades by itself.",
    "Gentle movement and your home exercises help the {m} recover after a visit.",
    "Tell your therapist if you take blood thinners or have a pacemaker.",
    "Most people need a few visits before they notice a clear change in their {m}.",
    "The needles are sterile, used once and then thrown away in a safe container.",
    "Heat or ice can ease the ache, so use whichever one feels better to you.",
    "Dry needling is one part of a plan that also includes exercise and advice.",
    "You can ask your therapist to stop at any time during the session.",
    "A tight band in the {m} can send pain to other places, which is called referred pain.",
    "Your therapist checks your health history before the first needle goes in.",
    "Some insurance plans cover the visit, so check with your plan before you book.",
    "Drink some water and rest if you feel light-headed after the session.",
    "Call the clinic if the soreness gets worse after three days instead of better.",
    "Wear loose clothes so your therapist can reach the {m} without trouble.",
    "Studies suggest that needling can ease pain in the short term for some people [@{r}].",
    "Bruising is a common mild side effect and it fades within a week [@{r}].",
]
QUESTIONS = ["Is it normal to feel {a} in my {m}?", "How long does {a} last after treatment of the {m}?",
             "Can I exercise my {m} after needling?", "What helps with {a} in the {m}?",
             "Should I worry about {a} near my {m}?"]
FEELINGS = ["soreness", "a twitch", "tiredness", "bruising", "stiffness", "an ache"]
CATEGORIES = ["about", "suitability", "session", "safety", "aftercare", "cost"]


def paragraph(rng, muscle, refs, sentences):
    return " ".join(rng.choice(SENTENCES).format(m=muscle, r=rng.choice(refs)) for _ in range(sentences))


def generate(directory, topics, faqs, seed=1):
    """Write references, clinic.md, `topics` topic files and `faqs` FAQ files; returns the topic slugs."""
    rng = random.Random(seed)
    shutil.copytree(CONTENT / "references", directory / "references")
    shutil.copy(CONTENT / "clinic.md", directory / "clinic.md")
    refs = sorted(p.stem for p in (directory / "references").glob("*.md"))
    (directory / "topics").mkdir()
    (directory / "faq").mkdir()
    slugs = []
    for n in range(1, topics + 1):
        muscle, aspect = MUSCLES[n % len(MUSCLES)], ASPECTS[(n // len(MUSCLES)) % len(ASPECTS)]
        slug = f"guide-{n:04d}-{muscle.replace(' ', '-')}"  # never a reserved slug (faq, search, admin, ...)
        slugs.append(slug)
        cited = rng.sample(refs, 2)
        body = []
        for heading in (f"What is {aspect} for the {muscle}?", "What does the research say?",
                        "When should I call the clinic?"):
            paragraphs = [paragraph(rng, muscle, cited, 4) for _ in range(2)]
            body.append(f"## {heading}\n\n" + "\n\n".join(paragraphs))
        (directory / "topics" / f"{slug}.md").write_text(
            "---\n"
            f"title: \"Dry needling for the {muscle}: {aspect} (page {n})\"\n"
            f"summary: \"This page explains {aspect} when your therapist uses dry needling on the {muscle}. "
            "It uses plain words and short steps.\"\n"
            f"menu_order: {n}\n"
            "last_reviewed: 2026-01-15\n"
            "reviewed_by: \"Physical therapist, DPT (example reviewer)\"\n"
            f"references: [{', '.join(cited)}]\n"
            "---\n" + "\n\n".join(body) + "\n",
            encoding="utf-8",
        )
    for n in range(1, faqs + 1):
        muscle, feeling = MUSCLES[n % len(MUSCLES)], FEELINGS[(n // len(MUSCLES)) % len(FEELINGS)]
        question = QUESTIONS[n % len(QUESTIONS)].format(a=feeling, m=muscle)
        topic_line = f"topic: {slugs[n % len(slugs)]}\n" if slugs and n % 2 else ""
        (directory / "faq" / f"question-{n:05d}.md").write_text(
            "---\n"
            f"question: \"{question[:-1]} (question {n})?\"\n"
            f"category: {CATEGORIES[n % len(CATEGORIES)]}\n"
            f"order: {n}\n"
            f"{topic_line}"
            "last_reviewed: 2026-01-15\n"
            "reviewed_by: \"Physical therapist, DPT (example reviewer)\"\n"
            "---\n" + paragraph(rng, muscle, refs, 5) + "\n",
            encoding="utf-8",
        )
    return slugs


def edit_every_page(directory):
    """Add a sentence to every topic and FAQ file, as a large re-import would; returns how many."""
    paths = sorted((directory / "topics").glob("*.md")) + sorted((directory / "faq").glob("*.md"))
    for path in paths:
        path.write_text(path.read_text(encoding="utf-8") + "\nAsk your therapist if anything is unclear.\n",
                        encoding="utf-8")
    return len(paths)


def count_words(directory):
    words = [len(p.read_text(encoding="utf-8").split("---", 2)[2].split()) for p in (directory / "topics").glob("*.md")]
    return median(words)


def time_series(port, path_for, count, time_limit):
    """Sequential GETs: path_for(i) -> path. Returns (times in ms, statuses, last body)."""
    times, statuses, body = [], {}, b""
    deadline = time.monotonic() + time_limit
    for i in range(count):
        if time.monotonic() > deadline:
            break
        start = time.perf_counter()
        try:
            status, _h, body, _s = http_get(port, path_for(i), timeout=120)
        except OSError as exc:  # e.g. gunicorn's worker timeout (30 s) closing the connection
            status = type(exc).__name__
        statuses[status] = statuses.get(status, 0) + 1
        times.append((time.perf_counter() - start) * 1000)
    return times, statuses, body


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--topics", type=int, default=1000)
    parser.add_argument("--faqs", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=200, help="sequential requests per measurement (default 200)")
    parser.add_argument("--time-limit", type=float, default=30.0,
                        help="seconds at most per measurement; fewer requests are made if it runs out (default 30)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--shape", choices=["local", "redis"], default="local",
                        help="local: SQLite, per-process cache (default); redis: PostgreSQL + Redis")
    args = parser.parse_args()
    if not (1 <= args.topics <= 20_000 and 0 <= args.faqs <= 50_000 and 1 <= args.requests <= 10_000):
        parser.error("--topics 1-20000, --faqs 0-50000, --requests 1-10000")

    failures, rows, load_rows = [], [], []
    with temp_dir() as tmp:
        content = tmp / "content"
        content.mkdir()
        start = time.perf_counter()
        slugs = generate(content, args.topics, args.faqs)
        print(f"Generated {args.topics:,} topics (median {count_words(content):.0f} words) and {args.faqs:,} FAQ "
              f"answers in {time.perf_counter() - start:.1f} s", flush=True)

        env = prod_env(tmp / "db.sqlite3")
        db_name = f"clinic_scale_{os.getpid()}"
        if args.shape == "redis":
            env = redis_shape_env(env, db_name)
            print("PostgreSQL + Redis", flush=True)
        manage("migrate", "--no-input", env=env)
        startup, _p = manage("check", env=env)  # what any manage.py command costs before it does anything
        cold, cold_proc = manage("load_content", "--path", str(content), env=env, timeout=900)
        warm, warm_proc = manage("load_content", "--path", str(content), env=env, timeout=900)
        print("cold:", cold_proc.stdout.strip().replace(str(content), "<tmp>/content"))
        print("warm:", warm_proc.stdout.strip().replace(str(content), "<tmp>/content"), flush=True)
        if "nothing to change" not in warm_proc.stdout:
            failures.append(f"second load_content changed something: {warm_proc.stdout.strip()}")
        edited = edit_every_page(content)
        update, update_proc = manage("load_content", "--path", str(content), env=env, timeout=900)
        print("every page edited:", update_proc.stdout.strip().replace(str(content), "<tmp>/content"), flush=True)
        if f"{edited} updated" not in update_proc.stdout:
            failures.append(f"load after editing {edited} files did not update them all: {update_proc.stdout.strip()}")
        load_met = cold < LOAD_TARGET_S
        load_rows = [
            ["load_content, empty DB (cold)", f"{cold:.2f}", f"{cold - startup:.2f}", "yes" if load_met else "NO"],
            ["load_content, nothing to change (warm)", f"{warm:.2f}", f"{warm - startup:.2f}",
             "yes" if warm < LOAD_TARGET_S else "NO"],
            [f"load_content, all {edited:,} pages edited", f"{update:.2f}", f"{update - startup:.2f}",
             "yes" if update < LOAD_TARGET_S else "NO"],
            ["manage.py check (start-up cost only)", f"{startup:.2f}", "", ""],
        ]
        manage("collectstatic", "--no-input", env=env)

        topic = f"/{slugs[len(slugs) // 2]}/"
        with Server(env, workers=args.workers, log_dir=tmp) as server:
            port = server.port
            status, _h, faq_body, seconds = http_get(port, "/faq/", timeout=120)
            if status != 200:
                raise BenchError(f"/faq/ answered {status}:\n{server.log_tail()}")
            faq_size = len(faq_body)
            answers = faq_body.count(b'class="faq"')
            print(f"/faq/ first request: {seconds * 1000:.0f} ms, {faq_size:,} bytes, {answers:,} answers",
                  flush=True)
            status, _h, home_body, seconds = http_get(port, "/", timeout=120)
            print(f"/ first request: {seconds * 1000:.0f} ms, {len(home_body):,} bytes", flush=True)

            series = [
                ("topic page", "uncached", lambda i: f"{topic}?r={i}"),
                ("topic page", "cached", lambda i: topic),
                ("FAQ page", "uncached", lambda i: f"/faq/?r={i}"),
                ("FAQ page", "cached", lambda i: "/faq/"),
                ("home page", "uncached", lambda i: f"/?r={i}"),
            ]
            for word in SEARCH_WORDS:
                q = word.replace(" ", "+")
                series.append((f"search q={word}", "uncached", lambda i, q=q: f"/search/?q={q}&r={i}"))
            series.append(("search q=needle", "cached", lambda i: "/search/?q=needle"))

            search_p99s = []
            for label, kind, path_for in series:
                # Both workers see the URL before timing (imports, the site chrome cache; for
                # "cached", the page itself, however long its first render takes).
                warm_limit = args.time_limit / 4 if kind == "uncached" else 600
                time_series(port, lambda i, path_for=path_for: path_for(-1 - i), 4, warm_limit)
                times, statuses, body = time_series(port, path_for, args.requests, args.time_limit)
                bad = {s: n for s, n in statuses.items() if s != 200}
                if bad:
                    failures.append(f"{label} ({kind}): statuses {statuses}")
                p99 = percentile(times, 99)
                if label.startswith("search") and kind == "uncached":
                    search_p99s.append(p99)
                results = body.count(b'class="search-kind"') if label.startswith("search") else ""
                rows.append([label, kind, len(times), f"{percentile(times, 50):.1f}", f"{p99:.1f}",
                             f"{max(times):.1f}", f"{len(body):,}", results])
                print(f"  {label:22} {kind:8} n={len(times):4}  p50 {percentile(times, 50):8.1f} ms  "
                      f"p99 {p99:8.1f} ms", flush=True)
            log_tail = server.log_tail(20)

    if args.shape == "redis":
        drop_database(db_name)
    print(f"\nContent: {args.topics:,} topics, {args.faqs:,} FAQ answers, 10 references, 1 clinic\n")
    print(table(["load_content --path", "wall s", "minus start-up s", f"< {LOAD_TARGET_S:.0f} s"], load_rows))
    print(f"\nSequential requests, new connection each, gunicorn -w {args.workers} (ms; "
          f"uncached = fresh ?r=N per request, the view runs; cached = same URL, the page cache answers)\n")
    print(table(["page", "cache", "n", "p50 ms", "p99 ms", "max ms", "bytes", "results"], rows))
    print(f"\nFAQ page 1: {faq_size:,} bytes, {answers:,} of the {args.faqs:,} answers (the rest on ?page=2 and on)")
    search_met = bool(search_p99s) and max(search_p99s) < SEARCH_P99_TARGET_MS
    print(f"\nTarget load of {args.topics:,} pages under {LOAD_TARGET_S:.0f} s: "
          f"{'met' if load_met else 'NOT met'} ({cold:.2f} s cold)")
    print(f"Target search p99 under {SEARCH_P99_TARGET_MS:.0f} ms (uncached): "
          f"{'met' if search_met else 'NOT met'} (worst p99 {max(search_p99s):.1f} ms)")
    if failures:
        print("\n".join(["", "Failures:"] + failures + ["", "gunicorn log tail:", log_tail]))
        return 1
    return 0


if __name__ == "__main__":
    run_main(main)
