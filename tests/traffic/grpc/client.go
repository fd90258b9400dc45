// The Go gRPC client of the gRPC recordings (record-grpc.sh), built with
// Debian's golang-google-grpc-dev without modules (GO111MODULE=off). One
// ClientConn, so one HTTP/2 connection (h2c, insecure), four calls:
//   1. unary Unary {text: "hello"}
//   2. ServerStream {count: 3}
//   3. Bidi: two requests, each echoed
//   4. ServerStream {count: 50, delay_ms: 100}, cancelled after two
//      replies: RST_STREAM (CANCEL) while replies still come
// The messages are encoded here by hand (traffic.proto's few fields), with
// a codec that passes octets through, so that no generated code and no
// protoc plugin is needed. Usage: client PORT
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"google.golang.org/grpc"
)

// raw is a gRPC codec for messages that are already protobuf octets. Its
// name is "proto" so that the content-type stays application/grpc and the
// server decodes the messages as protobuf.
type raw struct{}

func (raw) Marshal(v interface{}) ([]byte, error) { return *(v.(*[]byte)), nil }
func (raw) Unmarshal(b []byte, v interface{}) error {
	*(v.(*[]byte)) = append([]byte(nil), b...)
	return nil
}
func (raw) Name() string { return "proto" }

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

// text returns field 1 (Msg.text) of a Msg.
func text(b []byte) string {
	for len(b) > 1 {
		key := b[0]
		if key&7 != 2 || b[1] >= 0x80 || int(b[1]) > len(b)-2 {
			return "?"
		}
		if key>>3 == 1 {
			return string(b[2 : 2+int(b[1])])
		}
		b = b[2+int(b[1]):]
	}
	return ""
}

func msg(s string) []byte { return field(field(nil, 1, []byte(s)), 2, []byte("abcdefghijklmnop")) }

func streamReq(count, delay, size uint64) []byte {
	return number(number(number(nil, 1, count), 2, delay), 3, size)
}

func serverStream(cc *grpc.ClientConn, count, delay uint64, cancelAfter int) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := cc.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true},
		"/h2frame.traffic.Echo/ServerStream", grpc.ForceCodec(raw{}))
	if err != nil {
		return err
	}
	req := streamReq(count, delay, 32)
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

func run(port string) error {
	cc, err := grpc.Dial("127.0.0.1:"+port, grpc.WithInsecure(), grpc.WithBlock())
	if err != nil {
		return err
	}
	defer cc.Close()
	ctx := context.Background()

	req, reply := msg("hello"), []byte(nil)
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
		m := msg(fmt.Sprintf("request %d", i))
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

func main() {
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "client:", err)
		os.Exit(1)
	}
}
