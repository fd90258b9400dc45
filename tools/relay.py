#!/usr/bin/env python3
"""A loopback TCP relay that records one connection, each direction to a file.

    relay.py LISTEN_PORT TARGET_PORT CLIENT_OUT SERVER_OUT

Accepts one connection on 127.0.0.1:LISTEN_PORT, connects to
127.0.0.1:TARGET_PORT, copies bytes both ways and appends what the client sent
to CLIENT_OUT and what the server sent to SERVER_OUT. Exits when both sides
have closed, or after 20 seconds.
"""
import selectors
import socket
import sys
import time


def main():
    listen_port, target_port = int(sys.argv[1]), int(sys.argv[2])
    out = {"c": open(sys.argv[3], "wb"), "s": open(sys.argv[4], "wb")}
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", listen_port))
    ls.listen(1)
    ls.settimeout(20)
    client, _ = ls.accept()
    server = socket.create_connection(("127.0.0.1", target_port))
    peer = {client: (server, "c"), server: (client, "s")}
    sel = selectors.DefaultSelector()
    for s in peer:
        sel.register(s, selectors.EVENT_READ)
    open_socks = 2
    deadline = time.time() + 20
    while open_socks and time.time() < deadline:
        for key, _ in sel.select(timeout=1):
            src = key.fileobj
            dst, tag = peer[src]
            data = src.recv(65536)
            if not data:
                sel.unregister(src)
                open_socks -= 1
                try:
                    dst.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                continue
            out[tag].write(data)
            dst.sendall(data)
    for f in out.values():
        f.close()


if __name__ == "__main__":
    main()
