# Shared by record-*.sh (sourced, POSIX sh). Sets $here, $top, $work; kills
# what it started when the script exits.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
relay="$top/tools/relay.py"
work=$(mktemp -d)
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

need_pkg() {   # need_pkg COMMAND PACKAGE: install Debian's PACKAGE unless COMMAND runs
    command -v "$1" >/dev/null 2>&1 && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "$0: needs $1 (sudo apt-get install $2)" >&2; exit 1
    fi
    echo "$0: installing Debian's $2" >&2
    (apt-get install -y -q "$2" || (apt-get update -q && apt-get install -y -q "$2")) >/dev/null
}

need_deb() {   # need_deb PACKAGE...: install the Debian packages not installed
    missing=""
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "$0: needs Debian's$missing" >&2; exit 1
    fi
    echo "$0: installing Debian's$missing" >&2
    (apt-get install -y -q $missing || (apt-get update -q && apt-get install -y -q $missing)) >/dev/null
}

wait_port() {  # wait_port PORT: until something listens on 127.0.0.1:PORT
    /usr/bin/python3 - "$1" <<'PY'
import socket, sys, time
for _ in range(200):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit("nothing listens on port " + sys.argv[1])
PY
}

# start_relay NAME PORT TARGET: records one connection to $here/NAME-{client,server}.bin
# (the relay in the background, its pid in $rel)
start_relay() {
    rm -f "$here/$1-client.bin" "$here/$1-server.bin"
    /usr/bin/python3 "$relay" "$2" "$3" "$here/$1-client.bin" "$here/$1-server.bin" & rel=$!
    pids="$pids $rel"
    wait_listen "$2"
}

# wait_listen PORT: until a socket listens on 127.0.0.1:PORT, without
# connecting to it (the relay accepts one connection only: a probe would be it)
wait_listen() {
    /usr/bin/python3 - "$1" <<'PY'
import sys, time
want = ":%04X" % int(sys.argv[1])
for _ in range(200):
    with open("/proc/net/tcp") as f:
        # local_address is "0100007F:PORT" in hex; state 0A is LISTEN
        if any(l.split()[1].endswith(want) and l.split()[3] == "0A" for l in list(f)[1:]):
            sys.exit(0)
    time.sleep(0.05)
sys.exit("nothing listens on port " + sys.argv[1])
PY
}

# start_pcap NAME PORT: tcpdump of tcp port PORT into $here/NAME.pcap ($td)
start_pcap() {
    need_pkg tcpdump tcpdump
    rm -f "$here/$1.pcap"
    # --immediate-mode: otherwise libpcap hands packets over in blocks, up
    # to a second late, and a capture stopped soon after a short
    # connection holds none of it
    tcpdump -Z "$(id -un)" -i lo -B 32768 -U --immediate-mode -s 0 -w "$here/$1.pcap" "tcp port $2" 2>"$work/tcpdump-$1.log" & td=$!
    pids="$pids $td"
    sleep 1
}
stop_pcap() {  # stop_pcap: ends $td, checks nothing was dropped
    sleep 0.3
    kill -INT "$td" 2>/dev/null || true; wait "$td" 2>/dev/null || true
    grep -q '^0 packets dropped by kernel' "$work"/tcpdump-*.log 2>/dev/null ||
        echo "$0: warning: tcpdump may have dropped packets" >&2
}

stop() {  # stop PID: end a server we started
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

done_msg() {
    echo "recorded $1: $(wc -c < "$here/$1-client.bin") client octets, $(wc -c < "$here/$1-server.bin") server octets"
}
