#!/usr/bin/env bash
# Benchmark of soa_validate on scopes with many organization-defined
# controls (issue 15 item 1), in one run on one throwaway cluster:
#   - scopes of the 93 Annex A controls plus 1,000, 3,000, 10,000 and
#     40,000 organization-defined controls, decided, justified, with evidence and
#     distinct titles (no finding on them), and a worst case: 10,000
#     undecided controls sharing one title (11 DUPLICATE findings and one
#     UNDECIDED each);
#   - soa_validate of this version against the 0.2.1 one (the code before
#     the change, defined from the frozen sql/iso27001--0.2.1.sql as
#     public.soa_validate_021 over the same tables; at 1,000 and 3,000
#     only: it pairs every organization-defined control with the scope's
#     rows, about 6 minutes and 10 GB at 10,000);
#   - at 10,000 and 40,000 also with work_mem at its least, 64kB: every
#     sort, hash and tuple store spills to disk, and what memory is left
#     does not grow with the controls;
#   - two baselines measured in the same run: soa_validate on a scope of
#     the 93 Annex A controls alone, and a plain GROUP BY over the same
#     rows (SELECT lower(btrim(title)), count(*) ... GROUP BY 1: the floor
#     of any grouping).
# Each statement runs in a fresh backend (the library and the catalogue
# loaded first): wall time, and peak memory (the backend's peak resident
# set, VmHWM of /proc/self/status, above its level before the statement),
# and the backend's own part of it: that peak less the shared buffers it
# mapped meanwhile (RssShmem, the pages of the register it read, which stay
# mapped and are the server's cache, not the statement's).
# Medians of the times, largest of the peaks, of several runs; ratios
# measured in the same run; the machine is shared, the medians are noisy.
# Not a test.
#
#   bench/validator.sh [runs]
#
# With ISO27001_DESTDIR set, the extension is read from a private install
# ("make install DESTDIR=$ISO27001_DESTDIR", Debian's extension_destdir) by
# a throwaway cluster of tools/with_cluster.sh, and nothing is installed
# into the system's PostgreSQL (PG_CONFIG chooses the version).
set -euo pipefail
cd "$(dirname "$0")/.."

# Time and peak memory of a statement, each of $runs runs in a fresh
# backend, into validator_memory
peak() {
	for _ in $(seq "$runs"); do
		psql -X -q -At -v ON_ERROR_STOP=1 -v label="$1" <<SQL
SET max_parallel_workers_per_gather = 0;
SET jit = off;
SELECT count(*) FROM iso27001.soa_validate('annex-only') \g /dev/null
${3:-}
SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s+(\d+)'))[1]::bigint AS hwm0,
	   (regexp_match(pg_read_file('/proc/self/status'), 'RssShmem:\s+(\d+)'))[1]::bigint AS shmem0,
	   clock_timestamp() AS t0 \gset
\o /dev/null
$2;
\o
INSERT INTO validator_memory (what, ms, peak_mb, shared_mb)
SELECT :'label', extract(epoch FROM clock_timestamp() - :'t0') * 1000,
	   round(((regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s+(\d+)'))[1]::bigint - :hwm0) / 1024.0, 1),
	   round(((regexp_match(pg_read_file('/proc/self/status'), 'RssShmem:\s+(\d+)'))[1]::bigint - :shmem0) / 1024.0, 1);
SQL
	done
}

if [ "${1:-}" = --in-cluster ]; then
	runs=$2
	psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE EXTENSION iso27001 CASCADE;
CREATE TABLE validator_memory (ord serial, what text, ms numeric, peak_mb numeric, shared_mb numeric);
SELECT iso27001.create_scope(s)
  FROM unnest(ARRAY['annex-only', 'org-1000', 'org-3000', 'org-10000', 'org-40000', 'same-title-10000']) AS s \g /dev/null
-- the register's triggers off, as in a restore: they take a lock a row
SET session_replication_role = replica;
INSERT INTO iso27001.soa_register (scope_id, control_key, title, entry, justification, evidence)
SELECT iso27001.soa_scope_id('org-' || n), 'ORG-' || i, 'Own control ' || i,
	   'applicable, implemented (legal)', 'Ours.', ARRAY['https://evidence.example/' || i]
  FROM unnest(ARRAY[1000, 3000, 10000, 40000]) AS n, generate_series(1, n) AS i;
INSERT INTO iso27001.soa_register (scope_id, control_key, title)
SELECT iso27001.soa_scope_id('same-title-10000'), 'ORG-' || i, 'Same title'
  FROM generate_series(1, 10000) AS i;
RESET session_replication_role;
VACUUM ANALYZE iso27001.soa_register;
SQL
	# the 0.2.1 validator, from its frozen install script (0.2.1 kept
	# everything in one schema; the operators of iso_control are now in the
	# extension's schema, the functions in iso27001)
	ext=$(psql -X -At -c "SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'iso27001'")
	sed -n '/^CREATE FUNCTION @extschema@.soa_validate(scope text/,/^END;/p' sql/iso27001--0.2.1.sql \
		| sed -e 's/@extschema@\.soa_validate(/public.soa_validate_021(/' \
			  -e 's/soa_validate\.scope/soa_validate_021.scope/g' \
			  -e "s/OPERATOR(@extschema@\./OPERATOR($ext./g" -e 's/@extschema@/iso27001/g' \
		| psql -X -q -v ON_ERROR_STOP=1
	for n in 1000 3000 10000 40000; do
		scope="org-$n"
		peak "$n: GROUP BY over the scope's rows (baseline)" \
			"SELECT lower(btrim(title)), count(*) FROM iso27001.soa_register
			  WHERE scope_id = iso27001.soa_scope_id('$scope') GROUP BY 1"
		peak "$n: soa_validate" "SELECT * FROM iso27001.soa_validate('$scope')"
		if [ "$n" -ge 10000 ]; then
			peak "$n: soa_validate, work_mem 64kB" "SELECT * FROM iso27001.soa_validate('$scope')" \
				"SET work_mem = '64kB';"
		fi
		if [ "$n" -le 3000 ]; then
			peak "$n: soa_validate of 0.2.1" "SELECT * FROM public.soa_validate_021('$scope')"
		fi
	done
	peak "93 Annex A controls only: soa_validate (baseline)" \
		"SELECT * FROM iso27001.soa_validate('annex-only')"
	peak "10000 undecided, one title: GROUP BY over the scope's rows (baseline)" \
		"SELECT lower(btrim(title)), count(*) FROM iso27001.soa_register
		  WHERE scope_id = iso27001.soa_scope_id('same-title-10000') GROUP BY 1"
	peak "10000 undecided, one title: soa_validate (120,093 findings)" \
		"SELECT * FROM iso27001.soa_validate('same-title-10000')"
	psql -X -q -v ON_ERROR_STOP=1 -v runs="$runs" <<'SQL'
\echo
SELECT format('soa_validate on one scope: time (median) and peak memory above the backend''s start, and its own part (peak less shared buffers; largest) of %s runs, each in a fresh backend; ratio: time against the GROUP BY over the same rows', :runs) AS title \gset
\echo :title
WITH m AS (
	SELECT what, min(ord) AS ord, split_part(what, ':', 1) AS size,
		   round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1) AS ms,
		   max(peak_mb) AS peak_mb, max(greatest(peak_mb - shared_mb, 0)) AS own_mb
	  FROM validator_memory GROUP BY what
)
SELECT m.what, m.ms, m.peak_mb AS "peak MB", m.own_mb AS "own MB",
	   round(m.ms / nullif(b.ms, 0), 1) AS "x GROUP BY"
  FROM m LEFT JOIN m b ON b.size = m.size AND b.what LIKE '%GROUP BY%'
 ORDER BY m.ord;
SQL
	exit
fi

runs=${1:-3}
if [ -n "${ISO27001_DESTDIR:-}" ]; then
	ISO27001_SERVER_OPTS="-c extension_destdir=$ISO27001_DESTDIR ${ISO27001_SERVER_OPTS:-}" \
		tools/with_cluster.sh "$0" --in-cluster "$runs" 2>&1 \
		| grep -v '^with_cluster: '
else
	tools/setup.sh
	pg_virtualenv -t -i "--encoding=UTF8 --locale=C.UTF-8" \
		"$0" --in-cluster "$runs" 2>&1 \
		| grep -v -e '^Creating new PostgreSQL cluster' -e '^Dropping cluster'
fi
