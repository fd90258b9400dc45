/*
 * h2dump — the command-line dumper of h2frame, as a library entry point.
 *
 * main.c parses the command line and reads files; everything else works on
 * buffers already in memory, so that a libFuzzer target (fuzz_h2dump.c)
 * can drive exactly what the command runs. Output goes to a FILE.
 */
#ifndef H2DUMP_H
#define H2DUMP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit statuses (documented in docs/h2dump.1). */
#define H2DUMP_EXIT_OK 0       /* the input was clean */
#define H2DUMP_EXIT_PROTOCOL 1 /* a protocol error (stream or connection) */
#define H2DUMP_EXIT_USAGE 2    /* usage, I/O or resource error */

typedef enum h2dump_input {
    H2DUMP_INPUT_AUTO = 0, /* pcap or pcapng if the magic number says so, else
                              raw HTTP/2 bytes of one direction */
    H2DUMP_INPUT_RAW,      /* raw bytes even if they look like a capture */
    H2DUMP_INPUT_HPACK     /* --hpack: header blocks, one hex string per line */
} h2dump_input;

typedef struct h2dump_options {
    h2dump_input input;
    int json;          /* --json: JSON Lines */
    int hex;           /* --hex: annotated hex dump */
    int streams;       /* --streams: per-stream view */
    int grpc;          /* --grpc: gRPC messages, protobuf without a schema */
    int table;         /* --table: the dynamic table after each header block */
    int validate;      /* --validate: RFC 9113 §8 checks (validate_http) */
    int any_first;     /* --mid: the capture may start mid-connection (and
                          mid-frame): the first frame boundary is searched
                          for, HPACK references to the unseen part of the
                          table are shown as unknown */
    unsigned port;     /* --port N: TCP traffic on port N is HTTP/2, the side
                          on port N the server (0: none) */
    int color;         /* ANSI colour (main decides: terminal, NO_COLOR) */
    const char *save_bodies; /* --save-bodies DIR, or NULL */
    int only_conn;     /* --conn N: only connection N is decoded and shown (0: all) */
    /* --stream N (only_stream_set, only_stream): only the frames, errors and
     * summary of stream N are shown, as Wireshark's http2.streamid == N */
    int only_stream_set;
    uint32_t only_stream;
} h2dump_options;

/* Why the input cannot be dumped as it is ("empty input", "not HTTP/2: no
 * connection preface (looks like HTTP/1.1)", ...), or NULL if it can: raw
 * octets must start with the client preface or, the server's side, with a
 * SETTINGS frame (unless any_first). h2dump_run and h2dump_run_pair return
 * H2DUMP_EXIT_PROTOCOL without output for such an input; the caller says
 * why, naming it. */
const char *h2dump_input_problem(const h2dump_options *o, const uint8_t *in, size_t len);

/* Dumps one input (a capture, one direction of raw HTTP/2, or --hpack
 * lines). Returns an H2DUMP_EXIT_* status. */
int h2dump_run(const h2dump_options *o, const uint8_t *in, size_t len, FILE *out);

/* Dumps both directions of one connection given as two raw byte streams
 * (either order: the one starting with the client preface is the client's).
 * Frames of the two are interleaved as a connection would order them as
 * far as the bytes tell (a SETTINGS ACK after the SETTINGS it
 * acknowledges, a response after its request). */
int h2dump_run_pair(const h2dump_options *o, const uint8_t *a, size_t alen, const uint8_t *b,
                    size_t blen, FILE *out);

#endif
