#!/usr/bin/env bash
# Find or build PostgreSQL 18, to build and test the extension on the
# newest major version as well as on Debian 12's 15, and print the path of
# its pg_config as the last line of standard output (everything else goes
# to standard error).  In this order:
#   1. a complete earlier build in the cache prefix
#      ${ISO27001_PG18_PREFIX:-/opt/iso27001/pg18} (its stamp file is
#      written only after a successful install, and its pg_config says 18):
#      reused, not rebuilt;
#   2. an installed Debian/PGDG PostgreSQL 18 with its server headers
#      (/usr/lib/postgresql/18, from postgresql-server-dev-18);
#   3. a build from the upstream source tarball into the cache prefix: the
#      first argument, else $ISO27001_PG18_SOURCE, else the newest
#      postgresql-18_*.orig.tar.bz2 in ../shared/postgresql-src beside the
#      repository (or /work/shared/postgresql-src), else what
#      "apt-get source --download-only postgresql-18" fetches (needs a
#      deb-src line).  The tarball is checked against a SHA256SUMS beside
#      it.  Built out of tree in a temporary directory, with contrib (as
#      Debian's server package has it: postgres_fdw for the three-node
#      test, pageinspect for pg_regress), pg_regress where PGXS
#      installcheck looks for it, and Debian's pgTAP (plain SQL, from
#      postgresql-15-pgtap) copied in; checked with CREATE EXTENSION on a
#      throwaway cluster.  Missing build packages are installed with apt
#      (through sudo when not root).
# Exits 2 with a one-line message when there is no PostgreSQL 18 to be had
# (the caller skips 18), 1 on any other failure (a failed build prints the
# path of its log).
#
#   tools/pg18.sh [postgresql-18_*.orig.tar.bz2]
#   PG_CONFIG=$(tools/pg18.sh) && make PG_CONFIG="$PG_CONFIG"
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
prefix=${ISO27001_PG18_PREFIX:-/opt/iso27001/pg18}
prefix=${prefix%/}
stamp="$prefix/.iso27001-pg18-complete"
# libxml for the XML functions the evidence tests use (Debian's 15 has it);
# no ICU nor readline (not needed, fewer packages).  A build with other
# options is not reused.
configure=(--prefix="$prefix" --without-icu --without-readline --with-libxml)

say() {
	echo "pg18: $*" >&2
}

# is_18 PG_CONFIG: it runs and says PostgreSQL 18
is_18() {
	local v
	v=$("$1" --version 2>/dev/null) || return 1
	[[ $v =~ ^PostgreSQL\ 18([.]|beta|rc|devel) ]]
}

# What a build in the prefix must have for the tests: the stamp, a
# pg_config of 18 configured as above, the server headers, the programs
# the test harnesses call, pg_regress where PGXS looks for it, the contrib
# modules the tests use and pgTAP
complete() {
	local pgc="$prefix/bin/pg_config" bin lib share f
	[ -f "$stamp" ] && is_18 "$pgc" || return 1
	[ "$("$pgc" --configure)" = "$(printf " '%s'" "${configure[@]}")" ] || return 1
	bin=$("$pgc" --bindir) && lib=$("$pgc" --pkglibdir) && share=$("$pgc" --sharedir) || return 1
	for f in "$bin"/{postgres,initdb,pg_ctl,pg_isready,psql,pgbench,pg_dump,pg_restore} \
		"$("$pgc" --includedir-server)/postgres.h" "$("$pgc" --pgxs)" \
		"$lib/pgxs/src/test/regress/pg_regress" "$lib"/{postgres_fdw,pageinspect}.so \
		"$share"/extension/{postgres_fdw,pageinspect,pgtap}.control; do
		[ -e "$f" ] || return 1
	done
}

# 1. the cache
if complete; then
	say "reusing the build in $prefix ($("$prefix/bin/pg_config" --version))"
	echo "$prefix/bin/pg_config"
	exit 0
fi

# 2. an installed PostgreSQL 18 with server headers
debian=/usr/lib/postgresql/18/bin/pg_config
if is_18 "$debian" && [ -f "$("$debian" --includedir-server)/postgres.h" ]; then
	say "using the installed $("$debian" --version) ($debian)"
	[ -f "$("$debian" --sharedir)/extension/pgtap.control" ] ||
		say "no pgTAP for it: install postgresql-18-pgtap for the pgTAP suite"
	echo "$debian"
	exit 0
fi

# 3. build from source
if [ "$(id -u)" -eq 0 ]; then
	sudo=()
elif command -v sudo >/dev/null; then
	sudo=(sudo)
else
	sudo=(no_sudo)
fi
no_sudo() {
	say "not root and no sudo: cannot run $*"
	exit 1
}
work=$(mktemp -d "${TMPDIR:-/tmp}/iso27001-pg18.XXXXXX")
as_pg=()
cleanup() {
	if [ -f "$work/check/data/postmaster.pid" ]; then
		"${as_pg[@]}" "$prefix/bin/pg_ctl" -D "$work/check/data" -m immediate stop >/dev/null 2>&1 || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' HUP INT TERM

# Only one build at a time into the prefix; a second caller waits, then
# finds the first one's build complete
lock="${TMPDIR:-/tmp}/iso27001-pg18-$(printf '%s' "$prefix" | cksum | cut -d' ' -f1).lock"
if { exec 9>>"$lock"; } 2>/dev/null; then
	if ! flock -n 9; then
		say "waiting for another build into $prefix"
		flock 9
	fi
	if complete; then
		say "reusing the build in $prefix ($("$prefix/bin/pg_config" --version))"
		echo "$prefix/bin/pg_config"
		exit 0
	fi
fi

source=${1:-${ISO27001_PG18_SOURCE:-}}
if [ -n "$source" ]; then
	[ -f "$source" ] || { say "no such source tarball: $source"; exit 1; }
else
	for dir in "$top/../shared/postgresql-src" /work/shared/postgresql-src; do
		source=$(ls "$dir"/postgresql-18_*.orig.tar.bz2 2>/dev/null | sort -V | tail -n 1) || true
		[ -z "$source" ] || break
	done
fi
if [ -z "$source" ]; then
	say "no source tarball here: trying apt-get source --download-only postgresql-18"
	mkdir "$work/apt"
	chmod 755 "$work" "$work/apt"	# apt's download user must write here
	if (cd "$work/apt" && apt-get source -qq --download-only postgresql-18 >"$work/apt.log" 2>&1); then
		source=$(ls "$work"/apt/postgresql-18_*.orig.tar.bz2 2>/dev/null | sort -V | tail -n 1) || true
	else
		say "apt-get source failed: $(grep -m1 '^E:' "$work/apt.log" || tail -n 1 "$work/apt.log")"
	fi
fi
if [ -z "$source" ]; then
	echo "pg18: PostgreSQL 18 skipped: none built in $prefix, none installed, no source tarball (give one, set ISO27001_PG18_SOURCE, or add a deb-src line for apt-get source)" >&2
	exit 2
fi
source=$(cd "$(dirname "$source")" && pwd)/$(basename "$source")

# apt-get source checked what it fetched against the signed .dsc; a
# tarball from elsewhere is checked against a SHA256SUMS beside it
sums="$(dirname "$source")/SHA256SUMS"
if [ -f "$sums" ]; then
	line=$(awk -v f="$(basename "$source")" '$2 == f || $2 == "*" f' "$sums")
	if [ -z "$line" ]; then
		say "$(basename "$source") is not listed in $sums: not checked"
	elif ! (cd "$(dirname "$source")" && printf '%s\n' "$line" | sha256sum -c --status); then
		say "$source does not match its SHA-256 in $sums"
		exit 1
	else
		say "$(basename "$source"): SHA-256 matches $sums"
	fi
fi

# build packages: since 17 the tarball is "git archive" of the release and
# holds no generated parsers, so configure needs bison and flex too
. "$top/tools/apt.sh"
apt_install pg18 make gcc libc6-dev perl bison flex bzip2 pkg-config zlib1g-dev libxml2-dev \
	postgresql-15-pgtap

# the prefix is installed through sudo when we cannot write it
parent=$prefix
while [ ! -e "$parent" ]; do parent=$(dirname "$parent"); done
if [ -w "$parent" ]; then as_owner=(); else as_owner=("${sudo[@]}"); fi

log=$(mktemp "${TMPDIR:-/tmp}/iso27001-pg18-build.XXXXXX.log")
failed() {
	[ ! -f "$work/check/server.log" ] || cat "$work/check/server.log" >>"$log"
	say "$1 failed; the build log is $log"
	tail -n 15 "$log" | sed 's/^/pg18:   /' >&2
	exit 1
}
say "building $(basename "$source") into $prefix (several minutes; log: $log)"
start=$SECONDS
mkdir "$work/src" "$work/build"
tar -xjf "$source" -C "$work/src" >>"$log" 2>&1 || failed "unpacking $source"
srcdir=$(echo "$work"/src/postgresql-18*)
[ -x "$srcdir/configure" ] || failed "finding postgresql-18*/configure in $source"
jobs=$(nproc 2>/dev/null || echo 2)
cd "$work/build"
say "configure"
"$srcdir/configure" "${configure[@]}" >>"$log" 2>&1 ||
	failed "configure"
say "make -j$jobs"
make -j"$jobs" >>"$log" 2>&1 || failed "make"
make -j"$jobs" -C contrib >>"$log" 2>&1 || failed "make -C contrib"
say "make install"
# an interrupted earlier build leaves no stamp: this one installs over it
[ ! -e "$prefix" ] || say "$prefix holds an incomplete build: installing over it"
"${as_owner[@]}" rm -f "$stamp"
"${as_owner[@]}" make install >>"$log" 2>&1 || failed "make install"
"${as_owner[@]}" make -C contrib install >>"$log" 2>&1 || failed "make -C contrib install"
pg_config="$prefix/bin/pg_config"
is_18 "$pg_config" || failed "the installed pg_config ($("$pg_config" --version 2>&1)) is not 18:"

# pgTAP: Debian's files for 15 are plain SQL and serve 18 as they are
extdir="$("$pg_config" --sharedir)/extension"
pgtap=(/usr/share/postgresql/15/extension/pgtap*)
[ -e "${pgtap[0]}" ] || failed "finding pgTAP in /usr/share/postgresql/15/extension"
"${as_owner[@]}" cp "${pgtap[@]}" "$extdir/" || failed "copying pgTAP into $extdir"

# Check on a throwaway cluster (as postgres when root: the server refuses
# root) that the server starts and that pgTAP and the contrib modules the
# tests use install
say "checking CREATE EXTENSION pgtap, postgres_fdw, pageinspect on a throwaway cluster"
check="$work/check"
mkdir "$check"
chmod 755 "$work"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
	chown postgres: "$check"
	as_pg=(runuser -u postgres --)
fi
"${as_pg[@]}" "$prefix/bin/initdb" -D "$check/data" -A trust -U postgres --no-sync >>"$log" 2>&1 ||
	failed "initdb"
# socket only, in a directory of its own: any port will do
"${as_pg[@]}" "$prefix/bin/pg_ctl" -D "$check/data" -l "$check/server.log" -w \
	-o "-p 5432 -k $check -c listen_addresses=" start >>"$log" 2>&1 || failed "starting the server"
"$prefix/bin/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$check" -p 5432 -U postgres -d postgres \
	-c "CREATE EXTENSION pgtap" -c "CREATE EXTENSION postgres_fdw" -c "CREATE EXTENSION pageinspect" \
	-c "SELECT plan(1)" -c "SELECT ok(xml_is_well_formed_document('<svg/>'), 'pgTAP and XML on ' || version())" \
	-c "SELECT * FROM finish()" \
	>>"$log" 2>&1 || failed "CREATE EXTENSION pgtap on 18"
"${as_pg[@]}" "$prefix/bin/pg_ctl" -D "$check/data" -w stop >>"$log" 2>&1 || failed "stopping the server"

seconds=$((SECONDS - start))
printf '%s\nsource %s\nsha256 %s\nbuilt %s in %d s\n' "$("$pg_config" --version)" "$source" \
	"$(sha256sum "$source" | cut -d' ' -f1)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$seconds" >"$work/stamp"
"${as_owner[@]}" cp "$log" "$prefix/iso27001-pg18-build.log"
"${as_owner[@]}" cp "$work/stamp" "$stamp"
rm -f "$log"
complete || { say "the install in $prefix is incomplete after the build (see $prefix/iso27001-pg18-build.log)"; exit 1; }
say "built $("$pg_config" --version) in $((seconds / 60)) min $((seconds % 60)) s (log: $prefix/iso27001-pg18-build.log)"
echo "$pg_config"
