#!/usr/bin/python3
"""Decrypted octets of each direction of a TLS connection in a capture.

    /usr/bin/python3 tls2bin.py CAPTURE KEYLOG CLIENT-OUT SERVER-OUT

tshark decrypts every TCP connection of CAPTURE with the key log (`-z
follow,tls,raw`, the http2 dissector disabled: an exception in a dissector
above TLS stops the decryption of the rest of that direction). The
connection kept is the one that carries the most HTTP/2 (a browser may open
more than one); the side that sent the connection preface is the client
(tshark 4.0's "Node" lines are not to be trusted for that). Prints what it
found in every connection.
"""
import subprocess
import sys

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


def follow(capture, keylog, n):
    out = subprocess.run(["tshark", "-r", capture, "-o", "tls.keylog_file:" + keylog,
                          "--disable-protocol", "http2", "-q", "-z", "follow,tls,raw,%d" % n],
                         capture_output=True, text=True, check=True).stdout
    a, b = bytearray(), bytearray()
    body = False
    for line in out.splitlines():
        if line.startswith("====="):
            body = False
            continue
        if line.startswith("Node 1:"):
            body = True
            continue
        if not body or not line.strip():
            continue
        # the second node's records are indented by a tab
        if line.startswith("\t"):
            b += bytes.fromhex(line.strip())
        else:
            a += bytes.fromhex(line.strip())
    return bytes(a), bytes(b)


def main():
    capture, keylog, cout, sout = sys.argv[1:5]
    streams = subprocess.run(["tshark", "-r", capture, "-T", "fields", "-e", "tcp.stream"],
                             capture_output=True, text=True, check=True).stdout.split()
    best = None
    for n in sorted(set(int(s) for s in streams)):
        a, b = follow(capture, keylog, n)
        if b.startswith(PREFACE):
            a, b = b, a
        h2 = a.startswith(PREFACE)
        print("tcp stream %d: %d + %d decrypted octets%s" % (n, len(a), len(b), ", HTTP/2" if h2 else ""))
        if h2 and (best is None or len(a) + len(b) > len(best[0]) + len(best[1])):
            best = (a, b, n)
    if best is None:
        sys.exit("no HTTP/2 connection decrypted")
    open(cout, "wb").write(best[0])
    open(sout, "wb").write(best[1])
    print("kept tcp stream %d" % best[2])


if __name__ == "__main__":
    main()
