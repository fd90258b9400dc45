#!/usr/bin/python3
"""Checks recordings of the corpus with tools other than h2frame.

    /usr/bin/python3 tests/traffic/http/check.py NAME...

For each NAME (tests/traffic/NAME-client.bin and -server.bin): every frame
of each direction parses with python3-hyperframe and every header block
decodes with python3-hpack (one decoder per direction, as RFC 7541 §2.2
has it); then tshark reads a pcap of the pair (tests/crosscheck/mkpcap.py)
and must find as many HTTP/2 frames, with no malformed or error-level
expert notes. Prints one line per NAME; exit status 1 if any failed.
"""
import os
import subprocess
import sys
import tempfile

import hpack
from hyperframe.frame import Frame, HeadersFrame, PushPromiseFrame, ContinuationFrame, SettingsFrame

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
top = os.path.dirname(os.path.dirname(here))


def parse(data, client):
    """Frames of one direction: (count, problems)."""
    problems = []
    pos = 0
    if client:
        if not data.startswith(PREFACE):
            return 0, ["no client preface"]
        pos = len(PREFACE)
    dec = hpack.Decoder()
    dec.max_allowed_table_size = 1 << 20
    block = b""
    n = 0
    while pos < len(data):
        if len(data) - pos < 9:
            problems.append("%d trailing octets" % (len(data) - pos))
            break
        f, length = Frame.parse_frame_header(memoryview(data[pos:pos + 9]))
        if pos + 9 + length > len(data):
            problems.append("truncated frame at %d" % pos)
            break
        try:
            f.parse_body(memoryview(data[pos + 9:pos + 9 + length]))
        except Exception as e:  # noqa: BLE001 - report whatever hyperframe says
            problems.append("frame at %d: %s" % (pos, e))
        n += 1
        pos += 9 + length
        if isinstance(f, (HeadersFrame, PushPromiseFrame, ContinuationFrame)):
            block += f.data
            if "END_HEADERS" in f.flags:
                try:
                    dec.decode(block, raw=True)
                except Exception as e:  # noqa: BLE001
                    problems.append("header block ending at %d: %s" % (pos, e))
                block = b""
    return n, problems


def tshark(cli, srv):
    with tempfile.TemporaryDirectory() as d:
        pcap = os.path.join(d, "x.pcap")
        subprocess.run([sys.executable, os.path.join(top, "tests/crosscheck/mkpcap.py"), cli, srv, pcap, "8080"], check=True)
        out = subprocess.run(["tshark", "-r", pcap, "-d", "tcp.port==8080,http2", "-Y", "http2",
                              "-T", "fields", "-e", "http2.type", "-e", "_ws.expert.severity",
                              "-e", "_ws.malformed"], capture_output=True, text=True).stdout
    frames = 0
    bad = []
    for line in out.splitlines():
        cols = line.split("\t")
        frames += len([t for t in cols[0].split(",") if t])
        if len(cols) > 2 and cols[2]:
            bad.append("malformed")
        # 8388608 is PI_ERROR in Wireshark's expert severities
        if len(cols) > 1 and "8388608" in cols[1].split(","):
            bad.append("expert error")
    return frames, bad


def main():
    failed = 0
    for name in sys.argv[1:]:
        cli = os.path.join(here, name + "-client.bin")
        srv = os.path.join(here, name + "-server.bin")
        nc, pc = parse(open(cli, "rb").read(), True)
        ns, ps = parse(open(srv, "rb").read(), False)
        tf, tb = tshark(cli, srv)
        problems = pc + ps + tb
        if tf != nc + ns:
            problems.append("tshark sees %d frames, hyperframe %d" % (tf, nc + ns))
        print("%s: %s, %d + %d frames%s" % (name, "FAIL" if problems else "ok", nc, ns,
                                            "".join("; " + p for p in problems)))
        failed += bool(problems)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
