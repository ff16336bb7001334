#!/usr/bin/env bash
# BI readers and databases (prints TAP): a role belongs to the whole
# cluster, so the extension grants nothing by default and the DBA makes a
# reader per database with grant_reader.  A login made a reader of one
# database reads nothing of another that installs the extension, even
# through a pre-existing role named iso27001_reader (with or without
# LOGIN); the grants survive pg_dump and restore; revoke_reader takes them
# back; and the update from 0.2.1 revokes what 0.2.1 granted
# iso27001_reader, warns naming its members, and grant_reader in the same
# transaction keeps them reading.
set -uo pipefail
cd "$(dirname "$0")/../.."
new=$(sed -n "s/^default_version = '\(.*\)'/\1/p" iso27001.control)
dbs=(iso27001_reader_a iso27001_reader_b iso27001_reader_c iso27001_reader_restored iso27001_reader_old)
# iso27001_reader itself is dropped at the end only if this test made it
# (another suite's 0.2.1 database may hold grants to it)
roles=(iso27001_reader_login_a iso27001_reader_legacy)
work=$(mktemp -d)
made_reader=
cleanup() {
	for db in "${dbs[@]}"; do dropdb --if-exists "$db" >/dev/null 2>&1; done
	for r in "${roles[@]}" $made_reader; do psql -X -q -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1; done
}
trap 'cleanup; rm -rf "$work"' EXIT
cleanup
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
# as a given login (with a password, for clusters that ask for one)
as() { PGPASSWORD=reader psql -X -q -At -v ON_ERROR_STOP=1 -U "$1" -d "$2" -c "$3"; }
# the login may not read the BI views of the database: refused, 42501
denied() {
	! as "$1" "$2" "$register" > "$work/denied.out" 2>&1
	cat "$work/denied.out"
	grep -q 'ERROR:  permission denied for' "$work/denied.out"
}
. test/include/tap.sh
echo "1..10"

for db in "${dbs[@]}"; do createdb "$db"; done
# a role of that name made before the extension, as 0.2.1's README said:
# a group role and a BI login in it
if [ "$(q postgres "SELECT count(*) FROM pg_roles WHERE rolname = 'iso27001_reader'")" = 0 ]; then
	q postgres "CREATE ROLE iso27001_reader NOLOGIN"
	made_reader=iso27001_reader
fi
q postgres "ALTER ROLE iso27001_reader NOLOGIN PASSWORD 'reader';
  CREATE ROLE iso27001_reader_legacy LOGIN PASSWORD 'reader' IN ROLE iso27001_reader;
  CREATE ROLE iso27001_reader_login_a LOGIN PASSWORD 'reader'"
fill="CREATE EXTENSION iso27001;
  SELECT iso27001.create_scope('tenant');
  UPDATE iso27001.soa_register SET entry = 'excluded', justification = 'private justification of ' || current_database();"
for db in iso27001_reader_a iso27001_reader_b; do q "$db" "$fill" >/dev/null; done
register="SELECT count(*) FROM iso27001_bi.soa_entry WHERE justification LIKE 'private%'"

check "a fresh install grants no role anything on the scopes' tables or the BI schema (but their owner)" \
	test "$(q iso27001_reader_b "SELECT count(*) FROM pg_class c, aclexplode(c.relacl) a
		WHERE c.relnamespace IN ('iso27001'::regnamespace, 'iso27001_bi'::regnamespace)
		  AND a.grantee <> c.relowner
		  AND (c.relnamespace = 'iso27001_bi'::regnamespace
			   OR EXISTS (SELECT FROM pg_attribute t WHERE t.attrelid = c.oid AND t.attname = 'scope_id'))
		  -- (but the security_invoker views of iso27001 granted to PUBLIC:
		  -- soa_versions, behaviour_campaign, risk_level, ...; what they
		  -- show is what the tables under them grant)
		  AND NOT (c.relnamespace = 'iso27001'::regnamespace AND c.relkind = 'v'
				   AND c.reloptions @> '{security_invoker=true}');
		SELECT count(*) FROM pg_namespace n, aclexplode(n.nspacl) a
		 WHERE n.nspname = 'iso27001_bi' AND a.grantee <> n.nspowner" | tr '\n' ' ')" = "0 0 "
check "a login in a pre-existing iso27001_reader reads no database that installed the extension" \
	denied iso27001_reader_legacy iso27001_reader_b

q iso27001_reader_a "SELECT iso27001.grant_reader('iso27001_reader_login_a')" >/dev/null
check "a login made a reader of database a with grant_reader reads a's register" \
	test "$(as iso27001_reader_login_a iso27001_reader_a "$register")" = 93
check "and nothing of database b (permission denied for schema iso27001_bi)" \
	denied iso27001_reader_login_a iso27001_reader_b

q postgres "ALTER ROLE iso27001_reader LOGIN"
q iso27001_reader_c "$fill" >/dev/null
check "iso27001_reader able to log in itself gets nothing from a new install either" \
	denied iso27001_reader iso27001_reader_c
q postgres "ALTER ROLE iso27001_reader NOLOGIN"

pg_dump -d iso27001_reader_a -f "$work/a.sql" && psql -X -q -v ON_ERROR_STOP=1 -d iso27001_reader_restored -f "$work/a.sql" >/dev/null 2>&1
check "grant_reader's privileges survive pg_dump and a restore" \
	test "$(as iso27001_reader_login_a iso27001_reader_restored "$register")" = 93

# every relation's privileges, a default ACL written out, by name
acl="SELECT c.oid::regclass::text, ARRAY(SELECT x::text FROM unnest(coalesce(c.relacl,
	   acldefault(CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner))) x ORDER BY 1)
  FROM pg_class c WHERE c.relnamespace IN ('iso27001'::regnamespace, 'iso27001_bi'::regnamespace) ORDER BY 1;
  SELECT ARRAY(SELECT x::text FROM unnest(coalesce(nspacl, acldefault('n'::\"char\", nspowner))) x ORDER BY 1)
  FROM pg_namespace WHERE nspname = 'iso27001_bi'"
# two databases' privileges are the same (and were read)
same_acl() {
	q "$1" "$acl" > "$work/acl1" && q "$2" "$acl" > "$work/acl2" && test -s "$work/acl1" && diff "$work/acl1" "$work/acl2"
}
q iso27001_reader_a "SELECT iso27001.revoke_reader('iso27001_reader_login_a')" >/dev/null
check "revoke_reader takes back exactly what grant_reader gave: the privileges are a fresh install's" \
	same_acl iso27001_reader_a iso27001_reader_b

# the update from 0.2.1, whose install granted iso27001_reader
q iso27001_reader_old "CREATE SCHEMA iso27001; CREATE EXTENSION iso27001 VERSION '0.2.1' SCHEMA iso27001;
  SELECT iso27001.create_scope('tenant');
  UPDATE iso27001.soa_register SET entry = 'excluded', justification = 'private justification of ' || current_database();" >/dev/null
psql -X -q -At -v ON_ERROR_STOP=1 -d iso27001_reader_old -c "ALTER EXTENSION iso27001 UPDATE TO '$new'" > "$work/update.log" 2>&1
check "the update from 0.2.1 warns that iso27001_reader's members lose access here, naming them, with the command that keeps them" \
	bash -c "cat '$work/update.log'; grep -q 'WARNING:  role iso27001_reader no longer reads' '$work/update.log' &&
		grep -q 'iso27001_reader_legacy' '$work/update.log' && grep -q 'grant_reader' '$work/update.log'"
check "after it the legacy login reads nothing there" \
	denied iso27001_reader_legacy iso27001_reader_old
dropdb iso27001_reader_old && createdb iso27001_reader_old
q iso27001_reader_old "CREATE SCHEMA iso27001; CREATE EXTENSION iso27001 VERSION '0.2.1' SCHEMA iso27001;
  SELECT iso27001.create_scope('tenant');
  UPDATE iso27001.soa_register SET entry = 'excluded', justification = 'private justification of ' || current_database();" >/dev/null
psql -X -q -At -v ON_ERROR_STOP=1 -d iso27001_reader_old -c "BEGIN" -c "ALTER EXTENSION iso27001 UPDATE TO '$new'" \
	-c "SELECT iso27001.grant_reader('iso27001_reader')" -c "COMMIT" >/dev/null 2>&1
kept_reading() {
	test "$(as iso27001_reader_legacy iso27001_reader_old "$register")" = 93 &&
		q iso27001_reader_b "SELECT iso27001.grant_reader('iso27001_reader')" >/dev/null &&
		same_acl iso27001_reader_old iso27001_reader_b
}
check "with grant_reader in the update's transaction it keeps reading, and its privileges are those grant_reader gives a fresh install" \
	kept_reading
