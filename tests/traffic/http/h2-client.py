#!/usr/bin/python3
"""A python3-h2 client for record-http.sh: one h2c connection (prior
knowledge), requests one after another, then GOAWAY.

    /usr/bin/python3 h2-client.py PORT cond PATH
        HEAD PATH, GET PATH, then two conditional GETs of PATH, one with
        if-none-match (the etag just received), one with if-modified-since
        (the last-modified): a server with validators answers 304.
    /usr/bin/python3 h2-client.py PORT get PATH...
        GET each PATH.
    /usr/bin/python3 h2-client.py PORT post PATH OCTETS
        POST OCTETS octets (fixed text) to PATH.
    /usr/bin/python3 h2-client.py PORT bigframes PATH
        GET PATH having announced SETTINGS_MAX_FRAME_SIZE 65536 and 16 MiB
        windows: a server may then send DATA frames larger than 16384.

Prints each response's status, its validators and how many octets came.
"""
import socket
import sys

import h2.config
import h2.connection
import h2.events
import h2.settings


class Client:
    def __init__(self, port, big=False):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.port = port
        self.conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
        if big:
            codes = h2.settings.SettingCodes
            self.conn.local_settings = h2.settings.Settings(client=True, initial_values={
                codes.MAX_FRAME_SIZE: 65536, codes.INITIAL_WINDOW_SIZE: 1 << 24})
            # A peer may apply the new frame size as soon as it reads the
            # SETTINGS (RFC 9113 §6.5.3), before its ACK reaches us:
            # python3-h2 would only accept the larger frames after the ACK.
            self.conn.max_inbound_frame_size = 65536
        self.conn.initiate_connection()
        if big:
            self.conn.increment_flow_control_window((1 << 24) - 65535)
        self.flush()

    def flush(self):
        data = self.conn.data_to_send()
        if data:
            self.sock.sendall(data)

    def request(self, method, path, extra=(), body=None):
        """One request; returns (headers dict, body octets)."""
        sid = self.conn.get_next_available_stream_id()
        headers = [(":method", method), (":scheme", "http"), (":authority", "127.0.0.1:%d" % self.port),
                   (":path", path), ("user-agent", "python-h2/" + h2.__version__)] + list(extra)
        if body is not None:
            headers.append(("content-length", str(len(body))))
        self.conn.send_headers(sid, headers, end_stream=body is None)
        self.flush()
        if body is not None:
            sent = 0
            while sent < len(body):
                # the peer's windows and frame size decide how much may go (RFC 9113 §6.9)
                n = min(self.conn.local_flow_control_window(sid), self.conn.max_outbound_frame_size, len(body) - sent)
                if n > 0:
                    self.conn.send_data(sid, body[sent:sent + n], end_stream=sent + n == len(body))
                    sent += n
                    self.flush()
                else:
                    self.pump(sid, {})
        resp, got = {}, bytearray()
        while not self.pump(sid, resp, got):
            pass
        return resp, bytes(got)

    def pump(self, sid, resp, got=None):
        """Reads once; True when stream SID has ended."""
        data = self.sock.recv(65536)
        if not data:
            raise SystemExit("the server closed the connection")
        done = False
        for ev in self.conn.receive_data(data):
            if isinstance(ev, h2.events.ResponseReceived) and ev.stream_id == sid:
                resp.update(ev.headers)
            elif isinstance(ev, h2.events.DataReceived):
                if ev.stream_id == sid and got is not None:
                    got += ev.data
                # give the window back at once (WINDOW_UPDATE)
                self.conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
            elif isinstance(ev, (h2.events.StreamEnded, h2.events.StreamReset)) and ev.stream_id == sid:
                done = True
        self.flush()
        return done

    def close(self):
        self.conn.close_connection()
        self.flush()
        self.sock.shutdown(socket.SHUT_WR)
        while self.sock.recv(65536):
            pass
        self.sock.close()


def show(method, path, resp, body):
    print("%s %s: %s, %d octets%s" % (method, path, resp.get(":status"), len(body),
                                      "".join(", %s: %s" % (k, resp[k]) for k in ("content-length", "etag", "last-modified") if k in resp)))


def main():
    port, what = int(sys.argv[1]), sys.argv[2]
    c = Client(port, what == "bigframes")
    if what == "cond":
        path = sys.argv[3]
        r, b = c.request("HEAD", path)
        show("HEAD", path, r, b)
        r, b = c.request("GET", path)
        show("GET", path, r, b)
        if "etag" in r:
            r2, b = c.request("GET", path, [("if-none-match", r["etag"])])
            show("GET if-none-match", path, r2, b)
        if "last-modified" in r:
            r2, b = c.request("GET", path, [("if-modified-since", r["last-modified"])])
            show("GET if-modified-since", path, r2, b)
    elif what == "bigframes":
        r, b = c.request("GET", sys.argv[3])
        show("GET", sys.argv[3], r, b)
    elif what == "get":
        for path in sys.argv[3:]:
            r, b = c.request("GET", path)
            show("GET", path, r, b)
    elif what == "post":
        body = (b"posted by python-h2 " * (int(sys.argv[4]) // 20 + 1))[:int(sys.argv[4])]
        r, b = c.request("POST", sys.argv[3], [("content-type", "text/plain")], body)
        show("POST", sys.argv[3], r, b)
    c.close()


if __name__ == "__main__":
    main()
