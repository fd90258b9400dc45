"""The grpcio server of the gRPC recordings (record-grpc.sh): serves
traffic.proto's Echo over h2c (an insecure port) on 127.0.0.1.

    /usr/bin/python3 server.py STUBS-DIR PORT [gzip|frame16k]

STUBS-DIR holds traffic_pb2.py and traffic_pb2_grpc.py, generated at
record time with Debian's grpc_tools.protoc. With "gzip" the server
compresses every reply message (grpc-encoding: gzip, gRPC's
PROTOCOL-HTTP2.md "Compression"). With "frame16k" it turns off
chttp2's BDP probe (grpc.http2.bdp_probe=0): the probe is what makes
grpcio advertise SETTINGS_MAX_FRAME_SIZE and INITIAL_WINDOW_SIZE 4194303
(grpc.http2.max_frame_size alone changes nothing); without it neither is
sent, so RFC 9113 §6.5.2's initial 16384 and 65535 apply and the peer must
split large messages over frames and wait for WINDOW_UPDATE. Prints "listening" when ready; runs
until killed.
"""
import sys
import time
from concurrent import futures

sys.path.insert(0, sys.argv[1])
import grpc  # noqa: E402
import traffic_pb2 as pb  # noqa: E402
import traffic_pb2_grpc as pbg  # noqa: E402


def pattern(n):
    """n octets that read as text in a dump but are not all one value."""
    return bytes(0x41 + i % 26 for i in range(n))


class Echo(pbg.EchoServicer):
    def Unary(self, req, ctx):
        if req.delay_ms:
            # the deadline recording: the client gives up first
            time.sleep(req.delay_ms / 1000)
        # metadata whose key ends in -bin carries binary values (gRPC's
        # PROTOCOL-HTTP2.md "Custom-Metadata"); send them back as trailers
        echo = [(k, v) for k, v in ctx.invocation_metadata() if k.endswith("-bin")]
        if echo:
            ctx.set_trailing_metadata(echo)
        if req.fail_code:
            ctx.abort(grpc.StatusCode(next(c.value for c in grpc.StatusCode
                                           if c.value[0] == req.fail_code)),
                      req.fail_message)
        data = pattern(req.reply_size) if req.reply_size else req.data
        return pb.Msg(text="echo: " + req.text, data=data)

    def ServerStream(self, req, ctx):
        for i in range(req.count):
            if not ctx.is_active():  # the client cancelled
                return
            yield pb.Msg(text="%d of %d" % (i + 1, req.count), data=pattern(req.size))
            if req.delay_ms and i + 1 < req.count:
                time.sleep(req.delay_ms / 1000)

    def ClientStream(self, it, ctx):
        n = size = 0
        for m in it:
            n += 1
            size += len(m.data)
        return pb.Msg(text="%d messages, %d octets" % (n, size))

    def Bidi(self, it, ctx):
        for m in it:
            yield pb.Msg(text="echo: " + m.text, data=m.data)


def main():
    port = int(sys.argv[2])
    mode = sys.argv[3] if len(sys.argv) > 3 else ""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4),
                         compression=grpc.Compression.Gzip if mode == "gzip" else None,
                         options=[("grpc.http2.bdp_probe", 0)] if mode == "frame16k" else None)
    pbg.add_EchoServicer_to_server(Echo(), server)
    server.add_insecure_port("127.0.0.1:%d" % port)
    server.start()
    print("listening", flush=True)
    server.wait_for_termination()


if __name__ == "__main__":
    main()
