#!/usr/bin/env bash
# Concurrency test of the SoA register (run by tools/test.sh inside the
# throwaway cluster; prints TAP).  8 pgbench clients add evidence to,
# re-decide and add the same controls of two scopes while others approve
# versions of either and read snapshots and run the validator; afterwards no update may be lost and every
# invariant of the register must hold.  ISO27001_CONCURRENCY_SECONDS=60
# runs for that long instead of 50 transactions a client, and reports the
# throughput.  They also record risks and nonconformities.
set -uo pipefail
cd "$(dirname "$0")/../fixtures/pgbench"
db=iso27001_concurrency
clients=8
per_client=50
log=$(mktemp)
trap 'rm -f "$log"' EXIT

dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db" || { echo "1..1"; echo "not ok 1 - create database $db"; exit 1; }
q() { PGOPTIONS="-c search_path=public,iso27001" psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "$1"; }

q "CREATE EXTENSION iso27001;
   SELECT iso27001.create_scope('shared');
   SELECT iso27001.create_scope('second');
   UPDATE iso27001.soa_register SET entry = 'applicable, implemented (legal)',
		  justification = 'Initial decision.', evidence = '{seed}';
   CREATE SEQUENCE evidence_seq; CREATE SEQUENCE decision_seq; CREATE SEQUENCE nc_seq;" >/dev/null

if [ -n "${ISO27001_CONCURRENCY_SECONDS:-}" ]; then
	length=(-T "$ISO27001_CONCURRENCY_SECONDS")
else
	length=(-t "$per_client")
fi
pgbench -n -d "$db" -c "$clients" -j 2 "${length[@]}" \
	-f add_evidence.sql@4 -f set_entry.sql@3 -f custom.sql@2 -f churn.sql@2 \
	-f approve.sql@2 -f read.sql@2 -f records.sql@2 > "$log" 2>&1
status=$?

n=0
bad=0
check() {		# check <description> <query that returns t>
	n=$((n + 1))
	if [ "$(q "$2" 2>&1)" = "t" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		bad=$((bad + 1))
	fi
}

echo "1..14"
n=$((n + 1))
if [ "$status" -eq 0 ] && ! grep -qi 'error\|abort' "$log"; then
	done_tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$log")
	tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$log")
	echo "ok $n - $done_tx transactions by $clients clients ($tps a second), none failed, no deadlock"
else
	echo "not ok $n - pgbench failed ($status)"; sed 's/^/# /' "$log"
	bad=$((bad + 1))
fi
check "every nonconformity raised is recorded once" \
	"SELECT count(*) = (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM nc_seq)
	   AND count(*) = count(DISTINCT (scope_id, nc_id)) FROM iso27001.nonconformity"
check "each risk is there once, on the scale, naming two controls of its SoA" \
	"SELECT count(*) <= 40 AND bool_and(likelihood BETWEEN 1 AND 5 AND cardinality(controls) = 2
			AND (SELECT count(*) FROM iso27001.soa_register g
				  WHERE g.scope_id = r.scope_id AND g.control_key = ANY (r.controls)) = 2)
	   FROM iso27001.risk r"
check "no evidence link was lost: every soa_add_evidence call is in the register" \
	"SELECT count(*) = (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM evidence_seq)
	   FROM iso27001.soa_register r, unnest(r.evidence) AS e WHERE e LIKE 'link-%'"
check "each evidence link is there once" \
	"SELECT count(*) = count(DISTINCT e) FROM iso27001.soa_register r, unnest(r.evidence) AS e
	  WHERE e LIKE 'link-%'"
check "every link added is one evidence record of its control, collected at the change that added it" \
	"SELECT count(*) = (SELECT count(*) FROM iso27001.soa_register r, unnest(r.evidence) AS e WHERE e LIKE 'link-%')
			AND count(*) = count(DISTINCT x.uri)
			AND bool_and(EXISTS (SELECT FROM iso27001.soa_history h
								  WHERE h.scope_id = x.scope_id AND h.control_key = x.control_keys[1]
									AND h.changed_at = x.collected_at
									AND x.uri = ANY (coalesce(h.evidence_added, h.evidence))))
	   FROM iso27001.evidence x WHERE x.uri LIKE 'link-%'"
check "one current entry per control of each scope: 93 Annex A controls and ORG-C at most once" \
	"SELECT bool_and(n = keys AND annex = 93 AND n - annex <= 1)
	   FROM (SELECT scope_id, count(*) AS n, count(DISTINCT control_key) AS keys, count(control) AS annex
			   FROM iso27001.soa_register GROUP BY scope_id) s"
check "every register row is its latest history row" \
	"SELECT NOT EXISTS (
	   SELECT FROM iso27001.soa_register r
		CROSS JOIN LATERAL (SELECT * FROM iso27001.soa_history h
							 WHERE h.scope_id = r.scope_id AND h.control_key = r.control_key
							 ORDER BY h.change_id DESC LIMIT 1) h
		WHERE (h.entry, h.justification,
			   coalesce(h.evidence, iso27001.soa_history_evidence(h.scope_id, h.control_key, h.changed_at)),
			   h.changed_at)
			  IS DISTINCT FROM (r.entry, r.justification, r.evidence, r.changed_at))"
check "history times increase with every change of a control" \
	"SELECT NOT EXISTS (
	   SELECT FROM (SELECT changed_at, lag(changed_at) OVER (PARTITION BY scope_id, control_key
															   ORDER BY change_id) AS before
					  FROM iso27001.soa_history) h
		WHERE h.changed_at <= h.before)"
check "every add_evidence call left one history row" \
	"SELECT count(*) = (SELECT last_value FROM evidence_seq) + 2 * 8 * 2
	   FROM iso27001.soa_history WHERE control_key ~ '^A\.5\.[1-8]$'"
check "each scope's versions are numbered 1..N without gaps, in time order" \
	"SELECT count(DISTINCT scope_id) = 2 AND bool_and(ok) FROM (
	   SELECT scope_id, max(version) = count(*) AND bool_and(approved_at > coalesce(before, '-infinity')) AS ok
		 FROM (SELECT scope_id, version, approved_at,
					  lag(approved_at) OVER (PARTITION BY scope_id ORDER BY version) AS before
				 FROM iso27001.soa_version) v GROUP BY scope_id) s"
check "the SoA of each scope as of now equals its register" \
	"SELECT NOT EXISTS (
	   SELECT FROM iso27001.soa_scope s WHERE EXISTS (
		 (SELECT control_key, entry, justification, evidence FROM iso27001.soa_as_of(s.name, 'infinity')
		  EXCEPT SELECT control_key, entry, justification, evidence FROM iso27001.soa_register r WHERE r.scope_id = s.scope_id)
		 UNION ALL
		 (SELECT control_key, entry, justification, evidence FROM iso27001.soa_register r WHERE r.scope_id = s.scope_id
		  EXCEPT SELECT control_key, entry, justification, evidence FROM iso27001.soa_as_of(s.name, 'infinity'))))"
check "every approved version equals the history replayed up to its approval" \
	"SELECT NOT EXISTS (
	   SELECT FROM iso27001.soa_version v
		WHERE EXISTS (
		  (SELECT e.control_key, e.entry, e.justification FROM iso27001.soa_version_entry e
			WHERE e.scope_id = v.scope_id AND e.version = v.version
		   EXCEPT
		   SELECT h.control_key, h.entry, h.justification
			 FROM (SELECT DISTINCT ON (control_key) * FROM iso27001.soa_history h
					WHERE h.scope_id = v.scope_id AND h.changed_at <= v.approved_at
					ORDER BY control_key, changed_at DESC) h WHERE NOT h.removed)
		  UNION ALL
		  (SELECT h.control_key, h.entry, h.justification
			 FROM (SELECT DISTINCT ON (control_key) * FROM iso27001.soa_history h
					WHERE h.scope_id = v.scope_id AND h.changed_at <= v.approved_at
					ORDER BY control_key, changed_at DESC) h WHERE NOT h.removed
		   EXCEPT
		   SELECT e.control_key, e.entry, e.justification FROM iso27001.soa_version_entry e
			WHERE e.scope_id = v.scope_id AND e.version = v.version)))"
check "every approved version holds all 93 Annex A controls, decided" \
	"SELECT bool_and(n = 93)
	   FROM (SELECT v.version, (SELECT count(*) FROM iso27001.soa_as_of_version(s.name, v.version) a
								 WHERE a.control IS NOT NULL AND a.entry IS NOT NULL) AS n
			   FROM iso27001.soa_version v JOIN iso27001.soa_scope s USING (scope_id)) x"
[ -n "${KEEP_DB:-}" ] || dropdb "$db" >/dev/null 2>&1
[ "$bad" -eq 0 ]
