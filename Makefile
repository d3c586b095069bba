# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed


.PHONY: test-postgres test-postgres-redis serve-prod
.PHONY: run test install lint migrate content clean browser axe vnu screenshots zbar poppler

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --no-input

content: migrate
	$(PY) manage.py load_content

run: content
	$(PY) manage.py runserver 127.0.0.1:8000

# Production mode on this machine: gunicorn, DEBUG off, whitenoise's compressed manifest
# storage. Needs DJANGO_SECRET_KEY (and usually DATABASE_URL, REDIS_URL) in the environment.
serve-prod: install
	DJANGO_DEBUG=0 $(PY) manage.py migrate --no-input
	DJANGO_DEBUG=0 $(PY) manage.py collectstatic --no-input -v0
	DJANGO_DEBUG=0 $(VENV)/bin/gunicorn clinic_site.wsgi --workers $${WEB_CONCURRENCY:-2} \
		--bind $${BIND:-127.0.0.1:8000} --access-logfile - --max-requests 2000 --max-requests-jitter 200

# ruff; import-linter (.importlinter: the layers of pages, serving apart, no cycles); and no
# model change without its migration.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run

# Browser tests use Debian's Chromium and chromedriver (never a downloaded browser) and axe-core from npm.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; \
	fi

# axe-core and vnu-jar for the browser tests, from package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

axe: node_modules/.installed

# The Nu HTML checker for the browser tests: vnu.jar from npm (pinned, installed with axe-core), run on Debian's Java.
vnu: node_modules/.installed
	@command -v java >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y default-jre-headless; }

# Tests read the printed QR codes back with zbar (pip's pyzbar loads Debian's libzbar0).
zbar:
	@if ! ldconfig -p | grep -q 'libzbar\.so\.0'; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y libzbar0; \
	fi

# pdftoppm turns the printed handout (PDF) into the README's PNG.
poppler:
	@command -v pdftoppm >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y poppler-utils; }

# One pytest worker per core (pytest-xdist); the layout tests stay on one worker (loadgroup),
# which measures each page once for all of them. Each worker has its own test database,
# live server and browser. A plain `.venv/bin/pytest` still runs everything in one process.
test: install lint browser axe vnu zbar
	$(VENV)/bin/pytest -n auto --dist loadgroup --durations=5

# The same suite against a throwaway PostgreSQL server on 127.0.0.1 (installed when missing).
test-postgres: install browser axe vnu zbar
	scripts/with-postgres.sh $(VENV)/bin/pytest --durations=5

# The documented larger deployment: PostgreSQL and a shared Redis cache (both throwaway, on
# 127.0.0.1, installed when missing). Also runs tests/serving/test_two_app_servers.py's two-server tests,
# which skip without them.
test-postgres-redis: install browser axe vnu zbar
	scripts/with-redis.sh scripts/with-postgres.sh $(VENV)/bin/pytest --durations=5

# README pictures of the home page (phone and desktop) in docs/screenshots/.
screenshots: install browser poppler
	$(PY) scripts/screenshots.py

# Benchmarks (bench/, figures in README "Benchmarks"): wrk from Debian and Lighthouse 12 from npm
# (13 needs Node 22), each installed only when missing; runs all four, fails if any failed.
.PHONY: bench
bench: install browser
	@command -v wrk >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; }
	@[ -x bench/node_modules/.bin/lighthouse ] || npm install --no-save --no-audit --no-fund --prefix bench lighthouse@12.8.2
	@status=0; for script in throughput content_scale lighthouse load_and_faults; do \
		echo "== bench/$$script.py"; $(PY) bench/$$script.py || status=1; done; exit $$status

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

# UI strings (locale/<lang>/LC_MESSAGES/django.po): gather new strings into the .po files, then
# compile the .mo files, which are committed (as Django commits its own), so `make run` and
# `make test` need no gettext. tests/translations/test_locale.py fails while a .mo disagrees with its .po.
# gettext comes from Debian, installed only when missing.
.PHONY: messages
messages: install
	@command -v msgfmt >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y gettext; }
	$(PY) manage.py makemessages --all --no-obsolete --ignore=node_modules --ignore=staticfiles \
		--ignore=tests --ignore=bench --ignore=scripts --ignore=docs
	$(PY) manage.py compilemessages
