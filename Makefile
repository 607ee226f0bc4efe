# Developer commands of the sms_notify suite. `make help` lists them.
#
# Variables (make VAR=value, or the environment):
#   PYTHON    interpreter that imports Odoo 18.0 (default: python3)
#   ODOO_SRC  Odoo 18.0 source tree (holding odoo-bin and odoo/release.py) when PYTHON cannot
#             import odoo by itself
#   When neither gives Odoo, the project-local environment .venv/ is used; without one, `make
#   demo` and `make test` offer to bring Odoo 18.0 there (`make odoo` does it straight away):
#   ODOO_BOOTSTRAP  yes: bring it without asking (needed without a terminal); no: never offer
#   ODOO_ARCHIVE    where from: an address (http(s)://, file://), a .tar.gz/.zip archive or an
#             unpacked folder (default: GitHub's archive of Odoo's 18.0 branch)
#   ODOO_ARCHIVE_SHA256  the archive's expected SHA-256, checked when given
#   ODOO_HOME       folder receiving .venv/ and the source in .odoo/odoo-18.0/ (default: here)
#   DB_HOST, DB_PORT, DB_USER   PostgreSQL server (default: PGHOST/PGPORT/PGUSER, then the local
#             socket on 5432 as the current user); when none answers, a project-local cluster
#             is started in .pgdata/ on 127.0.0.1:$(LOCAL_PG_PORT)
#   DB        database of `make demo` (default: sms_notify_demo)
#   POT_DB    existing database `make pot` updates the addons in and exports from (default: a
#             new database, dropped afterwards)
#   PORT      HTTP port of `make demo` (default: 8069)

PYTHON ?= python3
DB ?= sms_notify_demo
PORT ?= 8069
LOCAL_PG_PORT ?= 54329
export PYTHON ODOO_SRC DB_HOST DB_PORT DB_USER DB PORT LOCAL_PG_PORT
export ODOO_BOOTSTRAP ODOO_ARCHIVE ODOO_ARCHIVE_SHA256 ODOO_HOME

.DEFAULT_GOAL := help
.PHONY: help demo test test-core odoo lint pure pot screenshots db-start db-stop clean

help:
	@echo "make demo       install requirements, create database $(DB) with all addons and demo"
	@echo "                data, serve Odoo on http://localhost:$(PORT) (login admin / admin)"
	@echo "make test       lint, pure tests, Odoo tests of all addons and of the core alone"
	@echo "                (no billing), install/uninstall checks"
	@echo "make test-core  lint and pure tests only (no Odoo, no PostgreSQL needed)"
	@echo "make odoo       bring Odoo 18.0 and the requirements into .venv/ (ODOO_ARCHIVE=... to"
	@echo "                choose the archive); demo and test offer it when no Odoo is found"
	@echo "make lint       ruff, ruff format --check, pylint-odoo mandatory checks, OCA module"
	@echo "                and .po checks (the hooks of .pre-commit-config.yaml)"
	@echo "make pure       pure pytest suite of every addon's tools/ with coverage"
	@echo "make pot        write each addon's translation template <addon>/i18n/<addon>.pot"
	@echo "                with Odoo's exporter, in a new database (or POT_DB=... to reuse one)"
	@echo "make screenshots  run the browser tours in Russian and save the screens they name as"
	@echo "                the readmes' pictures, <addon>/static/description/*.png"
	@echo "make db-start   make sure a PostgreSQL server is available (see DB_* variables)"
	@echo "make db-stop    stop the project-local PostgreSQL cluster in .pgdata/"
	@echo "make clean      remove logs and caches"

demo:
	@$(PYTHON) scripts/demo.py

test:
	@$(PYTHON) scripts/run_tests.py

test-core:
	@$(PYTHON) scripts/run_tests.py --core

odoo:
	@$(PYTHON) scripts/odoo_bootstrap.py

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m pylint --rcfile=.pylintrc-mandatory $$($(PYTHON) scripts/devenv.py addons)
	$(PYTHON) -m oca_pre_commit_hooks.cli $$($(PYTHON) scripts/devenv.py addons)
	$(PYTHON) -m oca_pre_commit_hooks.cli_po $$(ls */i18n/*.po*)

pure:
	$(PYTHON) -m coverage run -m pytest tests
	$(PYTHON) -m coverage report

pot:
	@$(PYTHON) scripts/export_pot.py $(if $(POT_DB),--db $(POT_DB))

screenshots:
	@$(PYTHON) scripts/screenshots.py

db-start:
	@$(PYTHON) scripts/devenv.py db-start

db-stop:
	@$(PYTHON) scripts/devenv.py db-stop

clean:
	rm -rf .logs .coverage .pytest_cache .ruff_cache htmlcov
	find . -name __pycache__ -type d -not -path './.pgdata/*' -prune -exec rm -rf {} +
