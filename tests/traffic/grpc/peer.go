// The Go gRPC peer of the gRPC recordings (record-grpc.sh), built with
// Debian's golang-google-grpc-dev without modules (GO111MODULE=off), h2c
// (insecure) on 127.0.0.1.
//
//	peer client PORT   one ClientConn, so one HTTP/2 connection, four calls:
//	                   1. unary Unary {text: "hello"}
//	                   2. ServerStream {count: 3}
//	                   3. Bidi: two requests, each echoed
//	                   4. ServerStream {count: 50, delay_ms: 100},
//	                      cancelled after two replies: RST_STREAM (CANCEL)
//	                      while replies still come
//	peer server PORT   serves traffic.proto's Echo (Unary, ServerStream,
//	                   Bidi, ClientStream) as server.py does; prints
//	                   "listening" when ready
//
// The messages are encoded and decoded here by hand (traffic.proto's few
// fields), with a codec that passes octets through and a server that takes
// every method through UnknownServiceHandler, so that no generated code and
// no protoc plugin is needed.
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// raw is a gRPC codec for messages that are already protobuf octets. Its
// name is "proto" so that the content-type stays application/grpc and the
// peer decodes the messages as protobuf.
type raw struct{}

func (raw) Marshal(v interface{}) ([]byte, error) { return *(v.(*[]byte)), nil }
func (raw) Unmarshal(b []byte, v interface{}) error {
	*(v.(*[]byte)) = append([]byte(nil), b...)
	return nil
}
func (raw) Name() string   { return "proto" }
func (raw) String() string { return "proto" }

// Protobuf's wire format: a key (field number << 3 | wire type), then a
// varint (type 0) or a length and the octets (type 2).
func varint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}
func field(b []byte, num int, s []byte) []byte {
	b = varint(b, uint64(num)<<3|2)
	b = varint(b, uint64(len(s)))
	return append(b, s...)
}
func number(b []byte, num int, v uint64) []byte {
	return varint(varint(b, uint64(num)<<3), v)
}

func getVarint(b []byte) (uint64, []byte) {
	var v uint64
	for i, c := range b {
		if i == 10 {
			break
		}
		v |= uint64(c&0x7f) << (7 * uint(i))
		if c < 0x80 {
			return v, b[i+1:]
		}
	}
	return 0, nil
}

// fields decodes a message of varint and length-delimited fields (all that
// traffic.proto has): numbers[n] and strs[n] by field number n.
func fields(b []byte) (map[int]uint64, map[int][]byte) {
	numbers, strs := map[int]uint64{}, map[int][]byte{}
	for len(b) > 0 {
		var key, v uint64
		key, b = getVarint(b)
		if b == nil {
			break
		}
		switch key & 7 {
		case 0:
			v, b = getVarint(b)
			numbers[int(key>>3)] = v
		case 2:
			v, b = getVarint(b)
			if b == nil || v > uint64(len(b)) {
				return numbers, strs
			}
			strs[int(key>>3)] = b[:v]
			b = b[v:]
		default:
			return numbers, strs
		}
	}
	return numbers, strs
}

// msg is a Msg {text, data}.
func msg(text string, data []byte) []byte { return field(field(nil, 1, []byte(text)), 2, data) }

func text(b []byte) string { _, s := fields(b); return string(s[1]) }

// pattern: n octets that read as text in a dump but are not all one value
func pattern(n uint64) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('A' + i%26)
	}
	return b
}

var sixteen = []byte("abcdefghijklmnop")

// ---- client

func serverStream(cc *grpc.ClientConn, count, delay uint64, cancelAfter int) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := cc.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true},
		"/h2frame.traffic.Echo/ServerStream", grpc.ForceCodec(raw{}))
	if err != nil {
		return err
	}
	req := number(number(number(nil, 1, count), 2, delay), 3, 32)
	if err := st.SendMsg(&req); err != nil {
		return err
	}
	if err := st.CloseSend(); err != nil {
		return err
	}
	for got := 0; ; got++ {
		if got == cancelAfter {
			cancel() // RST_STREAM (CANCEL)
			return nil
		}
		var r []byte
		if err := st.RecvMsg(&r); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		fmt.Println("ServerStream:", text(r))
	}
}

func client(port string) error {
	cc, err := grpc.Dial("127.0.0.1:"+port, grpc.WithInsecure(), grpc.WithBlock())
	if err != nil {
		return err
	}
	defer cc.Close()
	ctx := context.Background()

	req, reply := msg("hello", sixteen), []byte(nil)
	if err := cc.Invoke(ctx, "/h2frame.traffic.Echo/Unary", &req, &reply, grpc.ForceCodec(raw{})); err != nil {
		return err
	}
	fmt.Println("Unary:", text(reply))

	if err := serverStream(cc, 3, 0, -1); err != nil {
		return err
	}

	st, err := cc.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true, ClientStreams: true},
		"/h2frame.traffic.Echo/Bidi", grpc.ForceCodec(raw{}))
	if err != nil {
		return err
	}
	for i := 1; i <= 2; i++ {
		m := msg(fmt.Sprintf("request %d", i), sixteen)
		if err := st.SendMsg(&m); err != nil {
			return err
		}
		var r []byte
		if err := st.RecvMsg(&r); err != nil {
			return err
		}
		fmt.Println("Bidi:", text(r))
	}
	st.CloseSend()
	var r []byte
	if err := st.RecvMsg(&r); err != io.EOF {
		return fmt.Errorf("bidi: %v", err)
	}

	if err := serverStream(cc, 50, 100, 2); err != nil {
		return err
	}
	time.Sleep(300 * time.Millisecond) // let the RST_STREAM go out
	return nil
}

// ---- server

func handle(srv interface{}, st grpc.ServerStream) error {
	method, _ := grpc.MethodFromServerStream(st)
	method = method[strings.LastIndex(method, "/")+1:]
	var in []byte
	switch method {
	case "Unary":
		if err := st.RecvMsg(&in); err != nil {
			return err
		}
		n, s := fields(in)
		time.Sleep(time.Duration(n[3]) * time.Millisecond)
		if n[4] != 0 {
			return status.Error(codes.Code(n[4]), string(s[5]))
		}
		data := s[2]
		if n[6] != 0 {
			data = pattern(n[6])
		}
		out := msg("echo: "+string(s[1]), data)
		return st.SendMsg(&out)
	case "ServerStream":
		if err := st.RecvMsg(&in); err != nil {
			return err
		}
		n, _ := fields(in)
		for i := uint64(1); i <= n[1]; i++ {
			out := msg(fmt.Sprintf("%d of %d", i, n[1]), pattern(n[3]))
			if err := st.SendMsg(&out); err != nil {
				return err // the client cancelled
			}
			if i < n[1] {
				select {
				case <-st.Context().Done():
					return st.Context().Err()
				case <-time.After(time.Duration(n[2]) * time.Millisecond):
				}
			}
		}
		return nil
	case "ClientStream":
		count, size := 0, 0
		for {
			if err := st.RecvMsg(&in); err == io.EOF {
				break
			} else if err != nil {
				return err
			}
			_, s := fields(in)
			count++
			size += len(s[2])
		}
		out := msg(fmt.Sprintf("%d messages, %d octets", count, size), nil)
		return st.SendMsg(&out)
	case "Bidi":
		for {
			if err := st.RecvMsg(&in); err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
			_, s := fields(in)
			out := msg("echo: "+string(s[1]), s[2])
			if err := st.SendMsg(&out); err != nil {
				return err
			}
		}
	}
	return status.Error(codes.Unimplemented, method)
}

func server(port string) error {
	l, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err != nil {
		return err
	}
	s := grpc.NewServer(grpc.CustomCodec(raw{}), grpc.UnknownServiceHandler(handle))
	fmt.Println("listening")
	return s.Serve(l)
}

func main() {
	var err error
	if len(os.Args) != 3 {
		err = fmt.Errorf("usage: peer client|server PORT")
	} else if os.Args[1] == "client" {
		err = client(os.Args[2])
	} else {
		err = server(os.Args[2])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "peer:", err)
		os.Exit(1)
	}
}
