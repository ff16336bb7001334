#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster of the version whose
# pg_config is $PG_CONFIG, from any prefix (Debian's pg_virtualenv knows
# only /usr/lib/postgresql/<version>): initdb into a new temporary
# directory (as postgres when root: the server refuses to run as root),
# start it on the first free port from 5432 with its socket in that
# directory and no TCP, run the command with PGHOST, PGPORT, PGUSER and
# PGDATABASE set for it, PG_CONFIG and PG_BINDIR set to that version and
# its bindir first on PATH (psql, pg_dump, pgbench of the same version),
# then stop the server and remove the directory, whatever happened.  Exits
# with the command's status, after the end of the server log if it failed.
# $ISO27001_SERVER_OPTS adds server options ("-c name=value ...").
#
#   PG_CONFIG=/opt/iso27001/pg18/bin/pg_config tools/with_cluster.sh make installcheck
set -uo pipefail
pg_config=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
bin=$("$pg_config" --bindir 2>/dev/null) && [ -x "$bin/postgres" ] ||
	{ echo "with_cluster: no server beside $pg_config" >&2; exit 1; }
[ $# -gt 0 ] || set -- "${SHELL:-/bin/sh}"

work=$(mktemp -d "${TMPDIR:-/tmp}/iso27001-cluster.XXXXXX")
chmod 755 "$work"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
	chown postgres: "$work"
	as_pg=(runuser -u postgres --)
fi
stop() {
	[ -f "$work/data/postmaster.pid" ] &&
		"${as_pg[@]}" "$bin/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1
	rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' HUP INT TERM

# UTF-8 and C.UTF-8, as tools/test.sh asks pg_virtualenv for
"${as_pg[@]}" "$bin/initdb" -D "$work/data" -A trust -U postgres --encoding=UTF8 \
	--locale=C.UTF-8 --no-sync >"$work/initdb.log" 2>&1 ||
	{ cat "$work/initdb.log" >&2; exit 1; }

# The first port from 5432 that no server listens on, over TCP or on a
# socket in the usual directories; the socket itself is private to this
# cluster, so a port taken meanwhile only costs a retry
port=5432
started=
for _ in 1 2 3 4 5 6 7 8 9 10; do
	while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null ||
		[ -e "/tmp/.s.PGSQL.$port" ] || [ -e "/var/run/postgresql/.s.PGSQL.$port" ]; do
		port=$((port + 1))
	done
	if "${as_pg[@]}" "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 120 \
		-o "-p $port -k $work -c listen_addresses= -c unix_socket_permissions=0700 -c fsync=off ${ISO27001_SERVER_OPTS:-}" \
		start >/dev/null; then
		started=1
		break
	fi
	port=$((port + 1))
done
[ -n "$started" ] || { echo "with_cluster: the server did not start" >&2; tail -n 20 "$work/server.log" >&2; exit 1; }

export PGHOST=$work PGPORT=$port PGUSER=postgres PGDATABASE=postgres
export PG_CONFIG=$pg_config PG_BINDIR=$bin PATH="$bin:$PATH"
unset PGHOSTADDR PGSERVICE PGSERVICEFILE PGPASSWORD PGCLUSTER PGSYSCONFDIR
echo "with_cluster: $("$bin/postgres" --version) on port $port, socket in $work" >&2
"$@"
status=$?
if [ "$status" -ne 0 ]; then
	echo "*** server log (last 50 lines) ***" >&2
	tail -n 50 "$work/server.log" >&2
fi
exit "$status"
