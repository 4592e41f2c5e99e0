#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster for tests and local runs.
#
#   scripts/pg-cluster.sh start DIR          creates (once) and starts a cluster in DIR,
#                                            prints the libpq URL of database "thc"
#   scripts/pg-cluster.sh replica DIR PRIMARY
#                                            creates (once) and starts in DIR a streaming
#                                            replica (hot standby) of the cluster running in
#                                            PRIMARY, prints the URL of its database "thc"
#   scripts/pg-cluster.sh createdb DIR NAME  creates an empty database NAME, prints its URL
#   scripts/pg-cluster.sh url DIR [NAME]     prints the URL of a database (default thc)
#   scripts/pg-cluster.sh halt DIR           stops the server, keeps the data ("start" again)
#   scripts/pg-cluster.sh stop DIR           stops the cluster and removes DIR
#
# The server listens only on a Unix socket in DIR (no TCP), on port $PGPORT
# (default 5433), trusts local connections, and keeps fsync on.  The role
# "thc" is a superuser that owns database "thc".  When run as root, the
# server runs as the "postgres" system user (or "thcpg", created if needed).
# Idempotent: starting a running cluster or stopping a missing one is fine.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PORT=${PGPORT:-5433}
ROLE=thc

die() { echo "pg-cluster: $*" >&2; exit 1; }
usage() { echo "usage: $0 start|replica|halt|stop|createdb|url DIR [NAME|PRIMARY]" >&2; exit 2; }

[ $# -ge 2 ] || usage
cmd=$1
[ -n "$2" ] || usage
dir=$(mkdir -p "$(dirname "$2")" && cd "$(dirname "$2")" && pwd)/$(basename "$2")
data=$dir/data
log=$dir/server.log
cd /   # every path is absolute; the server user may not enter the caller's directory

# The user the server runs as, and how to run a command as that user.
run_as=()
if [ "$(id -u)" -eq 0 ]; then
	owner=postgres
	if ! id -u "$owner" >/dev/null 2>&1; then
		owner=thcpg
		id -u "$owner" >/dev/null 2>&1 ||
			useradd --system --no-create-home --shell /usr/sbin/nologin "$owner" ||
			die "cannot create the system user '$owner'"
	fi
	run_as=(runuser -u "$owner" --)
fi

as_owner() { "${run_as[@]}" "$@"; }

url() {
	echo "postgresql:///${1:-thc}?host=$dir&port=$PORT&user=$ROLE"
}

running() {
	[ -f "$data/PG_VERSION" ] && as_owner "$PGBIN/pg_ctl" -D "$data" status >/dev/null 2>&1
}

psql_thc() {
	"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$PORT" -U "$ROLE" -d postgres "$@"
}

start() {
	[ -x "$PGBIN/initdb" ] || die "no PostgreSQL 15 in $PGBIN (scripts/bootstrap.sh installs it)"
	mkdir -p "$dir"
	if [ ${#run_as[@]} -gt 0 ]; then
		chown "$owner" "$dir"
		# The server must reach DIR through every parent directory.
		p=$dir
		while [ "$p" != / ]; do
			p=$(dirname "$p")
			as_owner test -x "$p" || die "user '$owner' cannot enter $p; choose a DIR under /tmp"
		done
	fi
	if [ ! -f "$data/PG_VERSION" ]; then
		# --locale=C: text sorts by bytes, as in SQLite.
		as_owner "$PGBIN/initdb" -D "$data" -U "$ROLE" --auth-local=trust --auth-host=reject \
			--encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
			die "initdb failed, see $dir/initdb.log"
		cat >>"$data/postgresql.conf" <<-EOF
			# scripts/pg-cluster.sh
			listen_addresses = ''
			unix_socket_directories = '$dir'
			port = $PORT
			fsync = on
			max_connections = 200
		EOF
	fi
	if ! running; then
		as_owner "$PGBIN/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null ||
			die "the server did not start, see $log"
	fi
	if ! psql_thc -tAc "SELECT 1 FROM pg_database WHERE datname = 'thc'" | grep -q 1; then
		psql_thc -c "CREATE DATABASE thc OWNER $ROLE"
	fi
	url thc
}

# A hot standby of PRIMARY: a base backup with -R (primary_conninfo and
# standby.signal written for us) over the primary's socket, then the same
# settings as start() with this directory's socket.  Only local
# connections, which initdb's pg_hba.conf trusts for replication too.
replica() {
	local primary=$1
	[[ $primary == /* ]] || die "PRIMARY must be an absolute path"
	[ -x "$PGBIN/pg_basebackup" ] || die "no pg_basebackup in $PGBIN"
	mkdir -p "$dir"
	[ ${#run_as[@]} -eq 0 ] || chown "$owner" "$dir"
	if [ ! -f "$data/PG_VERSION" ]; then
		as_owner "$PGBIN/pg_basebackup" -h "$primary" -p "$PORT" -U "$ROLE" -D "$data" -R \
			-X stream -c fast >"$dir/basebackup.log" 2>&1 ||
			die "pg_basebackup failed, see $dir/basebackup.log"
		cat >>"$data/postgresql.conf" <<-EOF
			# scripts/pg-cluster.sh replica
			unix_socket_directories = '$dir'
			hot_standby = on
		EOF
	fi
	if ! running; then
		as_owner "$PGBIN/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null ||
			die "the replica did not start, see $log"
	fi
	url thc
}

createdb() {
	local name=$1
	[[ $name =~ ^[a-z_][a-z0-9_]*$ ]] || die "database name '$name' must match [a-z_][a-z0-9_]*"
	running || die "no cluster running in $dir (run: $0 start $dir)"
	if ! psql_thc -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
		psql_thc -c "CREATE DATABASE $name OWNER $ROLE"
	fi
	url "$name"
}

halt() {
	if running; then
		as_owner "$PGBIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null ||
			die "the server did not stop, see $log"
	fi
}

stop() {
	halt
	rm -rf "$dir"
}

case $cmd in
start) [ $# -eq 2 ] || usage; start ;;
replica) [ $# -eq 3 ] || usage; replica "$3" ;;
stop) [ $# -eq 2 ] || usage; stop ;;
halt) [ $# -eq 2 ] || usage; halt ;;
createdb) [ $# -eq 3 ] || usage; createdb "$3" ;;
url) [ $# -le 3 ] || usage; url "${3:-thc}" ;;
*) usage ;;
esac
