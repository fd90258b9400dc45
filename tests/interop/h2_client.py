#!/usr/bin/python3
"""Python clients for the interop tests (tests/interop/run.sh), against
examples/h2c-server. Run with Debian's /usr/bin/python3 (python3-h2).

  h2_client.py fetch PORT ROOT UPLOAD FILE...   python3-h2: every FILE twice,
        concurrently, compared with ROOT/FILE; POST UPLOAD with trailers,
        echo and trailers compared
  h2_client.py errors PORT    raw frames: stream and connection errors get
        RST_STREAM and GOAWAY with the right codes
  h2_client.py shutdown PORT ROOT FILE SERVER_PID    raw frames: SIGTERM
        during a download; the download completes under two GOAWAYs
  h2_client.py cancel PORT FILE    raw frames: the usual cancel (RST_STREAM
        CANCEL after the request's END_STREAM) stops the response

Prints one line per problem; exit status 0 if there was none.
"""
import hashlib
import os
import signal
import socket
import struct
import sys
import time

import h2.config
import h2.connection
import h2.events
import hpack

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY, WINDOW_UPDATE = 0, 1, 3, 4, 6, 7, 8
END_STREAM, END_HEADERS, ACK = 1, 4, 1
NO_ERROR, PROTOCOL_ERROR, FLOW_CONTROL_ERROR, FRAME_SIZE_ERROR = 0, 1, 3, 6

problems = []


def problem(msg):
    problems.append(msg)
    print("python client: " + msg)


def connect(port):
    s = socket.create_connection(("127.0.0.1", int(port)), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


# ---- fetch: the python3-h2 library ----------------------------------------

def fetch(port, root, upload, files):
    sock = connect(port)
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    conn.initiate_connection()
    # a small window of ours: the server must honour it and we must update it
    conn.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 32768})
    want, got, status, trailers = {}, {}, {}, {}
    base = [(":scheme", "http"), (":authority", "127.0.0.1:" + port)]
    for name in files + files:
        sid = conn.get_next_available_stream_id()
        conn.send_headers(sid, [(":method", "GET"), (":path", "/" + name)] + base, end_stream=True)
        want[sid] = open(os.path.join(root, name), "rb").read()
    post = conn.get_next_available_stream_id()
    body = open(upload, "rb").read()
    want[post] = body
    conn.send_headers(post, [(":method", "POST"), (":path", "/echo")] + base)
    sent = 0
    done = set()
    deadline = time.time() + 30
    while len(done) < len(want) and time.time() < deadline:
        # the request body, within the server's windows
        while sent < len(body):
            n = min(conn.local_flow_control_window(post), conn.max_outbound_frame_size,
                    len(body) - sent)
            if n <= 0:
                break
            conn.send_data(post, body[sent:sent + n])
            sent += n
            if sent == len(body):
                conn.send_headers(post, [("x-trailer", "echo me")], end_stream=True)
        sock.sendall(conn.data_to_send())
        data = sock.recv(65536)
        if not data:
            problem("connection closed early")
            break
        for ev in conn.receive_data(data):
            if isinstance(ev, h2.events.ResponseReceived):
                status[ev.stream_id] = dict(ev.headers)[b":status"]
            elif isinstance(ev, h2.events.DataReceived):
                got.setdefault(ev.stream_id, bytearray()).extend(ev.data)
                conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
            elif isinstance(ev, h2.events.TrailersReceived):
                trailers[ev.stream_id] = dict(ev.headers)
            elif isinstance(ev, h2.events.StreamEnded):
                done.add(ev.stream_id)
            elif isinstance(ev, h2.events.StreamReset):
                problem("stream %d reset, code %d" % (ev.stream_id, ev.error_code))
                done.add(ev.stream_id)
    conn.close_connection()
    sock.sendall(conn.data_to_send())
    sock.close()
    for sid, data in want.items():
        if status.get(sid) != b"200" or bytes(got.get(sid, b"")) != data:
            problem("stream %d: status %s, %d octets, want %d" %
                    (sid, status.get(sid), len(got.get(sid, b"")), len(data)))
    if trailers.get(post, {}).get(b"x-trailer") != b"echo me":
        problem("POST: trailers %r" % trailers.get(post))
    print("python client: %d requests, %d problems" % (len(want), len(problems)))


# ---- raw frames ------------------------------------------------------------

def frame(ftype, flags, sid, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + struct.pack(">I", sid) + payload


def request(sid, enc, path="/", method="GET", extra=(), end=True):
    block = enc.encode([(":method", method), (":scheme", "http"), (":authority", "localhost"),
                        (":path", path)] + list(extra))
    return frame(HEADERS, END_HEADERS | (END_STREAM if end else 0), sid, block)


class Reader:
    def __init__(self, sock):
        self.sock, self.buf = sock, b""

    def next(self):
        """The next frame (type, flags, stream, payload), None at EOF."""
        while True:
            if len(self.buf) >= 9:
                n = int.from_bytes(self.buf[:3], "big")
                if len(self.buf) >= 9 + n:
                    f = (self.buf[3], self.buf[4], int.from_bytes(self.buf[5:9], "big") & 0x7fffffff,
                         self.buf[9:9 + n])
                    self.buf = self.buf[9 + n:]
                    return f
            try:
                data = self.sock.recv(65536)
            except (ConnectionResetError, socket.timeout):
                return None
            if not data:
                return None
            self.buf += data

    def until(self, pred):
        """Frames until one satisfies pred (it is returned), None at EOF."""
        while True:
            f = self.next()
            if f is None or pred(f):
                return f


def start(port, settings=b""):
    sock = connect(port)
    sock.sendall(PREFACE + frame(SETTINGS, 0, 0, settings))
    return sock, Reader(sock), hpack.Encoder()


def expect_goaway(name, port, payload, code, preface=True):
    if preface:
        sock, rd, enc = start(port)
    else:
        sock, enc = connect(port), hpack.Encoder()
        rd = Reader(sock)
    sock.sendall(payload(enc))
    f = rd.until(lambda f: f[0] == GOAWAY)
    got = struct.unpack(">II", f[3][:8])[1] if f else None
    if got != code:
        problem("%s: GOAWAY code %s, want %d" % (name, got, code))
    elif rd.next() is not None:
        problem("%s: the connection stays open after GOAWAY" % name)
    sock.close()


def expect_rst(name, port, payload, sid, code):
    """A stream error: RST_STREAM on that stream, and the connection goes on
    (a request on a later stream is answered)."""
    sock, rd, enc = start(port)
    sock.sendall(payload(enc))
    f = rd.until(lambda f: f[0] == RST_STREAM and f[2] == sid or f[0] == GOAWAY)
    if not f or f[0] != RST_STREAM or struct.unpack(">I", f[3])[0] != code:
        problem("%s: %s, want RST_STREAM code %d" % (name, f and (f[0], f[3].hex()), code))
    sock.sendall(request(sid + 2, enc, "/small.txt"))
    f = rd.until(lambda f: f[0] in (HEADERS, GOAWAY) and f[2] in (0, sid + 2))
    if not f or f[0] != HEADERS:
        problem("%s: no response on the next stream" % name)
    sock.close()


def errors(port):
    ping = frame(PING, 0, 0, b"12345678")
    expect_goaway("PING of 4 octets", port, lambda e: frame(PING, 0, 0, b"1234"), FRAME_SIZE_ERROR)
    expect_goaway("DATA on an idle stream", port, lambda e: frame(DATA, 0, 1, b"x"), PROTOCOL_ERROR)
    expect_goaway("HEADERS on stream 2", port, lambda e: request(2, e), PROTOCOL_ERROR)
    expect_goaway("WINDOW_UPDATE overflow", port,
                  lambda e: frame(WINDOW_UPDATE, 0, 0, struct.pack(">I", 0x7fffffff)), FLOW_CONTROL_ERROR)
    expect_goaway("HTTP/1.1 instead of the preface", port,
                  lambda e: b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", PROTOCOL_ERROR, preface=False)
    expect_goaway("frame above MAX_FRAME_SIZE", port,
                  lambda e: frame(0x20, 0, 0, bytes(16385)), FRAME_SIZE_ERROR)
    expect_rst("uppercase field name", port,
               lambda e: request(1, e, "/small.txt", extra=[("X-Upper", "1")]), 1, PROTOCOL_ERROR)
    expect_rst("DATA beyond the stream window", port,
               lambda e: request(1, e, "/echo", "POST", end=False) +
               b"".join(frame(DATA, 0, 1, bytes(16384)) for _ in range(64)), 1, FLOW_CONTROL_ERROR)
    expect_rst("content-length mismatch", port,
               lambda e: request(1, e, "/echo", "POST", [("content-length", "5")], end=False) +
               frame(DATA, END_STREAM, 1, b"abc"), 1, PROTOCOL_ERROR)
    # PING is answered with the same payload (§6.7)
    sock, rd, enc = start(port)
    sock.sendall(ping)
    f = rd.until(lambda f: f[0] == PING)
    if not f or f[1] != ACK or f[3] != b"12345678":
        problem("PING: got %r" % (f,))
    sock.close()
    print("python client: error handling, %d problems" % len(problems))


def shutdown(port, root, name, pid):
    """Starts a download with a small window, SIGTERMs the server, and reads
    on: GOAWAY(2^31-1) and a PING, then GOAWAY(1), the whole file, then the
    server closes."""
    want = open(os.path.join(root, name), "rb").read()
    sock, rd, enc = start(port, struct.pack(">HI", 4, 16384))  # INITIAL_WINDOW_SIZE
    sock.sendall(request(1, enc, "/" + name))
    body, goaways, killed = bytearray(), [], False
    while True:
        f = rd.next()
        if f is None:
            break
        ftype, flags, sid, payload = f
        if ftype == DATA and sid == 1:
            body += payload
            if not killed:
                os.kill(int(pid), signal.SIGTERM)  # mid-download
                killed = True
            if len(payload):
                sock.sendall(frame(WINDOW_UPDATE, 0, 1, struct.pack(">I", len(payload))) +
                             frame(WINDOW_UPDATE, 0, 0, struct.pack(">I", len(payload))))
            if flags & END_STREAM:
                sock.sendall(frame(GOAWAY, 0, 0, struct.pack(">II", 0, NO_ERROR)))
        elif ftype == GOAWAY:
            goaways.append(struct.unpack(">II", payload[:8]))
            if len(goaways) == 1:  # the listener is closed by now
                try:
                    socket.create_connection(("127.0.0.1", int(port)), timeout=2).close()
                    problem("a new connection was accepted after SIGTERM")
                except OSError:
                    pass
        elif ftype == PING and not flags & ACK:
            sock.sendall(frame(PING, ACK, 0, payload))
        elif ftype == SETTINGS and not flags & ACK:
            sock.sendall(frame(SETTINGS, ACK, 0))
    if bytes(body) != want:
        problem("shutdown: got %d octets of %d" % (len(body), len(want)))
    if goaways != [(0x7fffffff, NO_ERROR), (1, NO_ERROR)]:
        problem("shutdown: GOAWAYs %r" % goaways)
    print("python client: graceful shutdown, %d octets, %d problems" % (len(body), len(problems)))


def cancel(port, name):
    """GET with END_STREAM, then at the first DATA: a WINDOW_UPDATE that
    would let the whole file come, and RST_STREAM(CANCEL) in the same
    segment. The stream is closed for both sides (RFC 9113 §5.1): a server
    that heard the cancel sends no more of it (never its END_STREAM), and
    the connection goes on."""
    one_mib = 1 << 20
    sock, rd, enc = start(port, struct.pack(">HI", 4, one_mib))  # INITIAL_WINDOW_SIZE
    sock.sendall(frame(WINDOW_UPDATE, 0, 0, struct.pack(">I", 64 * one_mib)) +
                 request(1, enc, "/" + name))
    got, ended = 0, False
    f = rd.until(lambda f: f[0] == DATA and f[2] == 1 or f[0] == GOAWAY)
    if not f or f[0] != DATA:
        problem("cancel: no DATA before %r" % (f,))
        return
    got += len(f[3])
    sock.sendall(frame(WINDOW_UPDATE, 0, 1, struct.pack(">I", 16 * one_mib)) +
                 frame(RST_STREAM, 0, 1, struct.pack(">I", 8)) +   # CANCEL
                 frame(PING, 0, 0, b"cancel!!") + request(3, enc, "/small.txt"))
    answered = pinged = False
    sock.settimeout(1.0)
    while True:  # until nothing more comes for a second
        f = rd.next()
        if f is None:
            break
        ftype, flags, sid, payload = f
        if ftype == DATA and sid == 1:
            got += len(payload)
            ended = ended or bool(flags & END_STREAM)
        elif ftype == DATA and sid == 3 and flags & END_STREAM:
            answered = True
        elif ftype == PING and flags & ACK:
            pinged = True
        elif ftype == GOAWAY:
            problem("cancel: GOAWAY %r" % payload.hex())
            break
        elif ftype == SETTINGS and not flags & ACK:
            sock.sendall(frame(SETTINGS, ACK, 0))
    if ended:
        problem("cancel: the server sent all of the cancelled response (%d octets)" % got)
    if not pinged or not answered:
        problem("cancel: the connection did not go on (PING ACK %s, stream 3 %s)" % (pinged, answered))
    sock.close()
    print("python client: cancel after %d octets of the response, %d problems" % (got, len(problems)))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "fetch":
        fetch(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    elif mode == "errors":
        errors(sys.argv[2])
    elif mode == "shutdown":
        shutdown(*sys.argv[2:6])
    elif mode == "cancel":
        cancel(sys.argv[2], sys.argv[3])
    sys.exit(1 if problems else 0)
