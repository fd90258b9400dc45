// An HTTP/2 server and client in Go (net/http with golang.org/x/net/http2,
// Debian's packages, no module download) for record-http.sh, over h2c with
// prior knowledge.
//
//	go-h2 server PORT          serves the paths below
//	go-h2 client PORT          one connection: HEAD, trailers, a 204, a
//	                           20000-octet POST echo, a cancelled GET
package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/h2c"
)

func server(port string) {
	mux := http.NewServeMux()
	body := strings.Repeat("go-h2 file ", 300)[:3000]
	// GET and HEAD: for HEAD, net/http sends content-length and no DATA
	mux.HandleFunc("/file.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		io.WriteString(w, body)
	})
	// trailers announced in the header section, sent after the body (RFC 9113 §8.1)
	mux.HandleFunc("/trailers", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Trailer", "X-Checksum")
		io.WriteString(w, strings.Repeat("trailers ", 200))
		w.(http.Flusher).Flush()
		w.Header().Set("X-Checksum", "c0ffee")
		// a trailer not announced beforehand, by net/http's TrailerPrefix
		w.Header().Set(http.TrailerPrefix+"X-Late", "yes")
	})
	mux.HandleFunc("/nocontent", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		io.Copy(w, r.Body)
	})
	// a slow body for the client to cancel: 1000 octets every 40 ms
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		chunk := strings.Repeat("slow ", 200)
		for i := 0; i < 100; i++ {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(40 * time.Millisecond):
			}
		}
	})
	srv := &http.Server{Addr: "127.0.0.1:" + port, Handler: h2c.NewHandler(mux, &http2.Server{})}
	fmt.Println("listening")
	if err := srv.ListenAndServe(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func client(port string) {
	// h2c with prior knowledge: AllowHTTP and a plain TCP dial where the
	// transport would dial TLS
	tr := &http2.Transport{
		AllowHTTP: true,
		DialTLS: func(network, addr string, _ *tls.Config) (net.Conn, error) {
			return net.Dial(network, addr)
		},
	}
	c := &http.Client{Transport: tr}
	base := "http://127.0.0.1:" + port
	show := func(what string, resp *http.Response, err error) {
		if err != nil {
			fmt.Println(what, "error:", err)
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(what, resp.Status, len(b), "octets, trailers", resp.Trailer)
	}
	resp, err := c.Head(base + "/file.txt")
	show("HEAD /file.txt", resp, err)
	resp, err = c.Get(base + "/trailers")
	show("GET /trailers", resp, err)
	resp, err = c.Get(base + "/nocontent")
	show("GET /nocontent", resp, err)
	post := bytes.Repeat([]byte("posted by go "), 1600)[:20000]
	resp, err = c.Post(base+"/echo", "application/octet-stream", bytes.NewReader(post))
	show("POST /echo", resp, err)
	// cancelled after two DATA frames of the response: RST_STREAM CANCEL
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/slow", nil)
	resp, err = c.Do(req)
	if err == nil {
		buf := make([]byte, 1000)
		io.ReadFull(resp.Body, buf)
		io.ReadFull(resp.Body, buf)
		cancel()
		resp.Body.Close()
		fmt.Println("GET /slow cancelled after 2000 octets")
	}
	time.Sleep(200 * time.Millisecond)
	tr.CloseIdleConnections()
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: go-h2 server|client PORT")
		os.Exit(2)
	}
	if os.Args[1] == "server" {
		server(os.Args[2])
	} else {
		client(os.Args[2])
	}
}
