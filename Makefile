# iso27001: ISO/IEC 27001 Annex A controls, Statement of Applicability,
# certification cycle and behaviour trends inside PostgreSQL.

EXTENSION    = iso27001
EXTVERSION   = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" $(EXTENSION).control)

MODULE_big   = iso27001
OBJS         = src/iso27001.o \
			   src/iso_control_parse.o src/iso_control.o src/annex_a_set.o \
			   src/soa_entry_parse.o src/soa_entry.o \
			   src/soa_register.o src/soa_census.o src/evidence_census.o src/soa_as_of.o \
			   src/certification_cycle_rules.o src/certification_cycle.o src/audit_time.o \
			   src/trend_stats.o src/trend_axis.o src/trend_ols.o src/trend_rate.o src/trend_robust.o src/trend_strata.o \
			   src/oscal.o
PGFILEDESC   = "iso27001 - ISO/IEC 27001 controls and ISMS evidence"

# The install script of the current version is built: one hand-edited SQL
# source per capability, concatenated in this order, with the catalogue seed
# (data/seed.pl, from data/*.csv) right after catalogue.sql.  The scripts of
# released versions and the update scripts are committed as released.
SQL_SEEDED   = iso27001 iso_control catalogue
SQL_REST     = soa_entry soa_register evidence_records risk soa_api soa_validate certification_cycle \
			   trend trend_strata \
			   observations bi evidence nonconformity internal_audit management_review oscal search_path
SQL_SOURCES  = $(patsubst %,sql/%.sql,$(SQL_SEEDED) $(SQL_REST))
DATA_built   = sql/$(EXTENSION)--$(EXTVERSION).sql
DATA         = $(filter-out $(DATA_built),$(wildcard sql/$(EXTENSION)--*.sql))

# pg_regress tests: test/regress/sql/<name>.sql against expected/<name>.out
# (pg_regress looks in ./sql first: no test may share a name with a
# source there, which make lint checks); the first creates the extension,
# the others run in the same database.
REGRESS      = init iso_control_io binary_copy catalogue_facts soa_entry_io \
			   soa_register_walkthrough
REGRESS_OPTS = --inputdir=test/regress --encoding=UTF8

# pgTAP tests, run by pg_prove against an installed extension
PGTAP_TESTS  = $(sort $(wildcard test/pgtap/*.sql))

# Warnings are errors here (tests and CI); a packager with a newer compiler
# can build with "make WERROR=".  PG_CFLAGS stays out of the LLVM bitcode build.
WERROR      ?= -Werror
PG_CFLAGS    = -Wall -Wextra $(WERROR)

PG_CONFIG   ?= pg_config
# PostgreSQL's own headers are system headers here: -Wextra is for our code
PG_CPPFLAGS  = -isystem $(shell $(PG_CONFIG) --includedir-server)

# the PostgreSQL the objects were compiled for (see below)
EXTRA_CLEAN  = .pg_built_for

PGXS        := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(OBJS): $(wildcard src/*.h)

# Objects are compiled for one PostgreSQL: for another PG_CONFIG (15, then
# "PG_CONFIG=$(tools/pg18.sh) make install", then tools/setup.sh again)
# they are compiled again, never an 18 object installed into 15 or back
PG_BUILT_FOR := $(shell $(PG_CONFIG) --version) $(shell $(PG_CONFIG) --includedir-server)
$(shell echo '$(PG_BUILT_FOR)' | cmp -s - .pg_built_for || echo '$(PG_BUILT_FOR)' > .pg_built_for)
$(OBJS) $(OBJS:.o=.bc): .pg_built_for

$(DATA_built): $(SQL_SOURCES) data/seed.pl $(wildcard data/*.csv) $(EXTENSION).control Makefile
	@{ echo '-- $@: built by make from the SQL_SOURCES in sql/ and from data/*.csv; do not edit'; \
	   for f in $(patsubst %,sql/%.sql,$(SQL_SEEDED)); do echo; cat $$f; done; \
	   echo; perl data/seed.pl; \
	   for f in $(patsubst %,sql/%.sql,$(SQL_REST)); do echo; cat $$f; done; } > $@.tmp
	@mv $@.tmp $@

.PHONY: demo test prove bench lint fuzz fuzz-long valgrind

# The README's two commands: set up everything (apt, build, install), then
# run on a throwaway cluster.
demo:
	tools/demo.sh

test:
	tools/test.sh

# pgTAP tests against the server in the environment (PGHOST, PGPORT, ...)
prove:
	pg_prove --ext .sql $(PGTAP_TESTS)

# Every benchmark, each on its own throwaway cluster (long: about half an
# hour on 2 cores); each prints ratios to a baseline measured in the same run
BENCHMARKS   = iso_control soa cycle trend bi cohort history validator evidence internal_audit \
			   management_review
bench:
	@for b in $(BENCHMARKS); do echo "== bench/$$b.sh"; bench/$$b.sh || exit 1; done

# libFuzzer harnesses (clang): a short run per harness, as tools/test.sh
# does, and the long run of 10,000,000 executions per harness
fuzz:
	test/fuzz/run.sh 60

fuzz-long:
	test/fuzz/run.sh --runs 10000000

# the pg_regress and pgTAP suites with the server under valgrind (long)
valgrind:
	test/shell/valgrind.sh

# Static checks: the version lives in the control file, and META.json, the
# change log and an update script from a released version agree with it;
# the built install script is not committed; no pg_regress input shares a
# name with an install source (pg_regress would run the source); every
# citation of a section of docs/ names one that exists; README shows the
# row-level security set-up (docs/scope_policies.sql) as it is.
lint:
	@perl tools/citations.pl
	@perl -0777 -ne 'm{<!-- docs/scope_policies.sql -->\n```sql\n(.*?)```\n}s or exit 1; print $$1' README.md | \
		cmp -s - docs/scope_policies.sql || \
		{ echo "README.md does not show docs/scope_policies.sql as it is"; exit 1; }
	@test "$$(grep -c '"version": "$(EXTVERSION)"' META.json)" -eq 2 || \
		{ echo "META.json versions differ from $(EXTVERSION)"; exit 1; }
	@grep -q '^## .*$(EXTVERSION)' CHANGELOG.md || \
		{ echo "CHANGELOG.md has no section for $(EXTVERSION)"; exit 1; }
	@ls sql/$(EXTENSION)--*--$(EXTVERSION).sql >/dev/null 2>&1 || \
		{ echo "no update script to $(EXTVERSION) in sql/"; exit 1; }
	@! git ls-files --error-unmatch $(DATA_built) >/dev/null 2>&1 || \
		{ echo "$(DATA_built) is built by make and must not be committed"; exit 1; }
	@for t in $(REGRESS); do \
		! test -e sql/$$t.sql || { echo "test/regress/sql/$$t.sql shares its name with sql/$$t.sql"; exit 1; }; \
	done
