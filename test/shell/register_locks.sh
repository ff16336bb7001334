#!/usr/bin/env bash
# No role can block another tenant's writer (issue 15 item 2; run by
# tools/test.sh inside the throwaway cluster; prints TAP).  A login with no
# grant at all, and a tenant's application role limited to its own scope
# by the README's row-level security policy, each open a transaction, take
# every lock they can on the other tenant's scope and stay idle in it; the
# other tenant's writes (a decision, evidence, an organization-defined
# control added and removed, an approval) must go through under a
# lock_timeout of 5 s.  Until 0.2.2 the register serialized with advisory
# locks on a key any role could compute, and the first holder blocked a
# superuser's soa_set for as long as it liked.
set -uo pipefail
cd "$(dirname "$0")/../.."
db=iso27001_register_locks
q() { PGOPTIONS="-c search_path=public,iso27001 -c client_min_messages=warning" psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }
holder_pid=
cleanup() {
	[ -n "$holder_pid" ] && kill "$holder_pid" 2>/dev/null
	psql -X -q -At -d postgres -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
								   WHERE application_name = 'iso27001_lock_holder'" >/dev/null 2>&1
	dropdb --if-exists "$db" >/dev/null 2>&1
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS iso27001_locks_nobody; DROP ROLE IF EXISTS iso27001_locks_tenant_b" \
		>/dev/null 2>&1
}
trap cleanup EXIT
. test/include/tap.sh
echo "1..8"

cleanup
createdb "$db"
# the logins have a password: pg_virtualenv's clusters authenticate TCP
# connections by password (a socket cluster of tools/with_cluster.sh trusts)
pw=iso27001-locks-test
q -c "CREATE ROLE iso27001_locks_nobody LOGIN PASSWORD '$pw';
	  CREATE ROLE iso27001_locks_tenant_b LOGIN PASSWORD '$pw';
	  CREATE EXTENSION iso27001;
	  SELECT create_scope('tenant-a');
	  SELECT create_scope('tenant-b');
	  UPDATE soa_register SET entry = 'excluded', justification = 'Not applicable.';
	  SELECT soa_set_custom('tenant-a', 'ORG-OLD', 'Old control', 'excluded', 'Retired.');
	  -- the README's policy and grants for tenant-b's application role
	  CREATE TABLE public.scope_access (role_name name, scope_id bigint);
	  INSERT INTO public.scope_access SELECT 'iso27001_locks_tenant_b', soa_scope_id('tenant-b');
	  GRANT SELECT ON public.scope_access TO PUBLIC;
	  ALTER TABLE soa_scope ENABLE ROW LEVEL SECURITY;
	  ALTER TABLE soa_register ENABLE ROW LEVEL SECURITY;
	  CREATE POLICY by_scope ON soa_scope USING (scope_id IN
		(SELECT a.scope_id FROM public.scope_access a WHERE a.role_name = current_user));
	  CREATE POLICY by_scope ON soa_register USING (scope_id IN
		(SELECT a.scope_id FROM public.scope_access a WHERE a.role_name = current_user));
	  GRANT SELECT, INSERT, UPDATE (description) ON soa_scope TO iso27001_locks_tenant_b;
	  GRANT SELECT, INSERT, UPDATE, DELETE ON soa_register TO iso27001_locks_tenant_b;
	  GRANT SELECT ON risk, risk_scale TO iso27001_locks_tenant_b;
	  GRANT SELECT, INSERT ON soa_history, soa_version, soa_version_entry TO iso27001_locks_tenant_b;
	  GRANT SELECT, INSERT, UPDATE, DELETE ON evidence, evidence_requirement TO iso27001_locks_tenant_b;" \
	>/dev/null || { echo "not ok 1 - set-up"; exit 1; }
scope_a=$(q -c "SELECT soa_scope_id('tenant-a')")

# what the login without grants may try on tenant-a's rows: every lock is refused
refused() {		# refused ROLE SQL: the statement fails with SQLSTATE 42501
	local out
	out=$(PGUSER=$1 PGPASSWORD=$pw psql -X -q -At -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -d "$db" -c "$2" 2>&1)
	echo "$out"
	[[ $out == *"42501"* ]]
}
check "a login without grants cannot lock tenant-a's scope row (42501)" \
	refused iso27001_locks_nobody "SELECT FROM iso27001.soa_scope WHERE scope_id = $scope_a FOR KEY SHARE"
check "nor its register rows (42501)" \
	refused iso27001_locks_nobody "SELECT FROM iso27001.soa_register WHERE scope_id = $scope_a FOR KEY SHARE"

# the two holders: the login without grants takes the advisory locks the
# register used to take for tenant-a's controls (any role can: the key is a
# hash of the scope and control), tenant-b's role locks every row it can
# see; both stay idle in their transactions
{
	PGAPPNAME=iso27001_lock_holder PGUSER=iso27001_locks_nobody PGPASSWORD=$pw psql -X -q -d "$db" <<-SQL
		BEGIN;
		SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(
			'iso27001.soa $scope_a ' || k, 0))
		  FROM unnest(ARRAY['A.5.1', 'A.5.2', 'ORG-NEW', 'ORG-OLD']) AS k;
		SELECT pg_sleep(120);
	SQL
} >/dev/null 2>&1 &
holder_pid=$!
{
	PGAPPNAME=iso27001_lock_holder PGUSER=iso27001_locks_tenant_b PGPASSWORD=$pw psql -X -q -d "$db" <<-SQL
		BEGIN;
		SELECT count(*) FROM (SELECT FROM iso27001.soa_scope FOR UPDATE) s;
		SELECT count(*) FROM (SELECT FROM iso27001.soa_register FOR UPDATE) r;
		SELECT pg_sleep(120);
	SQL
} >/dev/null 2>&1 &

# wait until both hold their locks (at most 30 s)
held=
for _ in $(seq 1 60); do
	if [ "$(q -c "SELECT count(*) FILTER (WHERE locktype = 'advisory' AND granted) >= 4
						 AND count(DISTINCT a.pid) = 2
						 AND bool_and(a.wait_event = 'PgSleep')
					FROM pg_stat_activity a LEFT JOIN pg_locks l ON l.pid = a.pid
				   WHERE a.application_name = 'iso27001_lock_holder'")" = t ]; then
		held=1
		break
	fi
	sleep 0.5
done
check "both holders hold their locks, idle in their transactions" test -n "$held"

writer() {		# writer SQL: run as the superuser, with a lock_timeout of 5 s
	q -c "SET lock_timeout = '5s'" -c "$1"
}
check "tenant-a's soa_set goes through" \
	writer "SELECT soa_set('tenant-a', 'A.5.1', 'applicable, implemented (legal)', 'Policy.')"
check "so does soa_add_evidence" \
	writer "SELECT soa_add_evidence('tenant-a', 'A.5.2', 'https://x/2')"
check "adding an organization-defined control, and removing one" \
	writer "SELECT soa_set_custom('tenant-a', 'ORG-NEW', 'New control', 'excluded', 'Not yet.');
			SELECT soa_remove_custom('tenant-a', 'ORG-OLD')"
check "approving tenant-a's SoA" \
	writer "SELECT soa_approve('tenant-a', 'Jane Doe')"
check "and the holders are still in their transactions" \
	test "$(q -c "SELECT count(*) FROM pg_stat_activity
				   WHERE application_name = 'iso27001_lock_holder' AND state = 'active'")" = 2
