# iso27001: ISO/IEC 27001 Annex A controls, Statement of Applicability,
# certification cycle and behaviour trends inside PostgreSQL.

EXTENSION    = iso27001
EXTVERSION   = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" $(EXTENSION).control)

MODULE_big   = iso27001
OBJS         = src/iso27001.o src/annex_a.o src/iso_control.o src/soa.o src/soa_entry.o src/soa_register.o src/soa_census.o src/soa_as_of.o src/cycle.o src/certification_cycle.o src/audit_time.o src/trend_stats.o src/trend_axis.o src/trend_ols.o src/trend_rate.o src/trend_robust.o src/oscal.o
PGFILEDESC   = "iso27001 - ISO/IEC 27001 controls and ISMS evidence"

DATA         = $(wildcard sql/$(EXTENSION)--*.sql)

# pg_regress tests: sql/<name>.sql against expected/<name>.out; the first
# creates the extension, the others run in the same database.
REGRESS      = init iso_control binary catalogue soa_entry soa_register
REGRESS_OPTS = --inputdir=. --encoding=UTF8

# pgTAP tests, run by pg_prove against an installed extension
PGTAP_TESTS  = $(sort $(wildcard test/*.sql))

# Warnings are errors here (tests and CI); a packager with a newer compiler
# can build with "make WERROR=".  PG_CFLAGS stays out of the LLVM bitcode build.
WERROR      ?= -Werror
PG_CFLAGS    = -Wall -Wextra $(WERROR)

PG_CONFIG   ?= pg_config
# PostgreSQL's own headers are system headers here: -Wextra is for our code
PG_CPPFLAGS  = -isystem $(shell $(PG_CONFIG) --includedir-server)

PGXS        := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(OBJS): src/annex_a.h src/compat.h src/iso27001.h src/soa.h

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

bench:
	bench/iso_control.sh

# libFuzzer harnesses (clang): a short run per harness, as tools/test.sh
# does, and the long run of 10,000,000 executions per harness
fuzz:
	test/fuzz/run.sh 60

fuzz-long:
	test/fuzz/run.sh --runs 10000000

# the pg_regress and pgTAP suites with the server under valgrind (long)
valgrind:
	test/valgrind.sh

# Static checks: the seed block of the install script is what data/seed.pl
# makes of data/*.csv; the version lives in the control file, and META.json
# and the install script's name agree with it.
lint:
	@perl data/seed.pl --check sql/$(EXTENSION)--$(EXTVERSION).sql
	@test "$$(grep -c '"version": "$(EXTVERSION)"' META.json)" -eq 2 || \
		{ echo "META.json versions differ from $(EXTVERSION)"; exit 1; }
	@test -f sql/$(EXTENSION)--$(EXTVERSION).sql || \
		{ echo "sql/$(EXTENSION)--$(EXTVERSION).sql is missing"; exit 1; }
