#!/usr/bin/env bash
# pg-test-cluster.sh CMD [ARG...]: starts a throw-away PostgreSQL cluster in
# a temporary directory, runs CMD with PACKDESK_TEST_PG set to its URL, and
# removes the cluster afterwards (whatever CMD did). It exits with CMD's
# status, or 1 with the server's log when the cluster cannot start.
#
# Installs Debian's postgresql package when no server binaries are found.
# As root, the cluster runs as an unprivileged user (PG_TEST_USER, default
# nobody): PostgreSQL refuses to run as root. It listens only on a unix
# socket inside the temporary directory. fsync is off (a test cluster is
# thrown away) unless PG_TEST_FSYNC=on, which benchmarks use.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 CMD [ARG...]" >&2; exit 2; }

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
bin=$(find_bin)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
	"$(dirname "$0")/apt-ensure" postgresql
	bin=$(find_bin)
fi
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
	echo "pg-test-cluster: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin after installing postgresql" >&2
	exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/packdesk-pg.XXXXXX")
as=()
cleanup() {
	if [ -f "$dir/data/postmaster.pid" ]; then
		"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM
if [ "$(id -u)" -eq 0 ]; then
	user=${PG_TEST_USER:-nobody}
	if ! chown "$user" "$dir"; then
		echo "pg-test-cluster: cannot hand $dir to user $user (PostgreSQL does not run as root)" >&2
		exit 1
	fi
	as=(runuser -u "$user" --)
fi

fsync=${PG_TEST_FSYNC:-off}
if ! "${as[@]}" "$bin/initdb" -D "$dir/data" -U packdesk --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
	echo "pg-test-cluster: initdb failed:" >&2
	cat "$dir/initdb.log" >&2
	exit 1
fi
if ! "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
	-o "-k $dir -c listen_addresses= -c fsync=$fsync -c full_page_writes=$fsync -c max_connections=200" >/dev/null; then
	echo "pg-test-cluster: the PostgreSQL server did not start:" >&2
	cat "$dir/server.log" >&2
	exit 1
fi
export PACKDESK_TEST_PG="postgres://packdesk@/postgres?host=$dir&sslmode=disable"
echo "pg-test-cluster: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') at $dir (fsync $fsync)"
set +e
"$@"
status=$?
exit $status
