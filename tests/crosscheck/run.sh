#!/bin/sh
# make crosscheck: every capture in examples/captures (NAME-client.bin +
# NAME-server.bin) decoded by h2dump --json, by Debian's python3-hyperframe
# + python3-hpack and by tshark's HTTP/2 dissector must give the same frames,
# header fields and bodies; see crosscheck.py. As root, installs the Debian
# packages it needs when they are missing.
#   run.sh                 examples/captures (and crosscheck.py's selftest)
#   run.sh DIR/MANIFEST    the recordings a MANIFEST lists (tests/traffic:
#                          make check-traffic), each DIR/NAME
#   H2DUMP=path/to/h2dump (default build/h2dump)
set -eu
cd "$(dirname "$0")/../.."
H2DUMP=${H2DUMP:-build/h2dump}
# Debian's python3: python3-hyperframe and python3-hpack live there, not in
# whatever python3 comes first on PATH
PY=/usr/bin/python3

missing=""
for p in tshark python3 python3-hyperframe python3-hpack; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "crosscheck: installing$missing"
        export DEBIAN_FRONTEND=noninteractive
        (apt-get install -y -q $missing || (apt-get update -q && apt-get install -y -q $missing)) >/dev/null
    else
        echo "crosscheck needs Debian's$missing (sudo apt-get install$missing)"; exit 1
    fi
fi

if [ $# -gt 0 ]; then
    # a MANIFEST: crosscheck.py reads its names and violations
    exec "$PY" tests/crosscheck/crosscheck.py --manifest "$1" "$H2DUMP" build/crosscheck
fi

names=""
for c in examples/captures/*-client.bin; do
    n=$(basename "$c" -client.bin)
    [ -f "examples/captures/$n-server.bin" ] && names="$names $n"
done
[ -n "$names" ] || { echo "crosscheck: no captures"; exit 1; }
exec "$PY" tests/crosscheck/crosscheck.py --selftest "$H2DUMP" build/crosscheck $names
