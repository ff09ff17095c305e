# The two commands a newcomer needs: `make run` and `make test`.
# Both create (or refresh) the local virtual environment in .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Every script of sql_examples/ through the command line (a `-- options:` line in a
# script adds options); only an example with an expected-errors file may fail.
run: $(STAMP)
	@cd sql_examples && for f in *.sql; do \
		echo "== sql_examples/$$f"; \
		../$(BIN)/heliosql $$(sed -n 's/^-- options: //p' $$f) -f $$f \
			|| [ -e "$${f%.sql}.err" ] || exit 1; \
	done

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.sql
	$(BIN)/python -m bench.flashback_table
	$(BIN)/python -m bench.backout
	$(BIN)/python -m bench.writes
	$(BIN)/python -m bench.constraints

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) build *.egg-info
