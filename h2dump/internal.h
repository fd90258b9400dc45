/*
 * What the h2dump sources share. Not installed; not part of h2frame's API.
 *
 * The layers, bottom up:
 *   json.c    escaping of bytes for text and for JSON, a growable buffer
 *   grpc.c    gRPC length-prefixed messages and schema-less protobuf
 *   dump.c    one HTTP/2 connection: per direction an h2f_conn (observer)
 *             fed one frame at a time, so that every event belongs to the
 *             frame that caused it; a record per frame
 *   print.c   a record as text, as annotated hex, as JSON
 *   streams.c the per-stream view (--streams, --save-bodies)
 *   pcap.c    pcap/pcapng (packet numbers, times), TCP reassembly, h2c
 *             detection
 *   input.c   is raw input HTTP/2 at all (h2dump_input_problem)
 *   hpackmode.c  --hpack
 */
#ifndef H2DUMP_INTERNAL_H
#define H2DUMP_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "h2frame.h"
#include "h2dump.h"

/* ---- json.c: buffers and escaping ---------------------------------------- */

/* A growable byte buffer. Every user caps what it puts in (see each). */
typedef struct h2d_buf {
    uint8_t *p;
    size_t len, cap;
} h2d_buf;

int h2d_buf_add(h2d_buf *b, const void *p, size_t n); /* 0, or -1: no memory */
void h2d_buf_free(h2d_buf *b);

/* Name-value pairs in a buffer, each as [u32 len][octets] name, then value
 * (the stream lists, the --table snapshot and what a block evicted). */
int h2d_pair_add(h2d_buf *b, const uint8_t *name, size_t nl, const uint8_t *value, size_t vl);
/* The pair at *pos (views into b), *pos moved past it; 0 at the end. */
int h2d_pair_next(const h2d_buf *b, size_t *pos, h2f_bytes *name, h2f_bytes *value);
/* The pairs as a JSON array of [name, value] arrays. */
void h2d_json_pairs(FILE *o, const h2d_buf *b);
/* A decoder's dynamic table, newest first, as a JSON array of [name, value]. */
void h2d_json_table(FILE *o, const h2f_hpack_decoder *d);

/* Bytes as text: printable ASCII as is, the rest as \xNN (and \\). At most
 * `max` input octets are shown, then "..." (max 0: all). */
void h2d_text(FILE *o, const uint8_t *p, size_t n, size_t max);
/* Bytes as a JSON string, quotes included: control characters, '"', '\\'
 * escaped as JSON does, and every octet >= 0x7f as \u00XX (the octet's
 * value as a code point), so that any input gives valid JSON and the
 * original octets can be recovered. */
void h2d_json_str(FILE *o, const uint8_t *p, size_t n);
void h2d_json_cstr(FILE *o, const char *s);
void h2d_hex(FILE *o, const uint8_t *p, size_t n); /* "0a1b..." */

/* `one` for n == 1, else `many`: the text says "1 octet", "2 octets", "1 entry". */
const char *h2d_plural(uint64_t n, const char *one, const char *many);

/* Colours (ANSI SGR), empty strings without --color. */
typedef struct h2d_colors {
    const char *type, *name, *err, *note, *off;
} h2d_colors;

/* ---- grpc.c --------------------------------------------------------------- */

#define H2D_GRPC_MAX_MESSAGE (1u << 20) /* larger messages are counted, not kept */

/* The length-prefixed message parser of one direction of a stream (gRPC
 * over HTTP/2, "Length-Prefixed-Message"). */
typedef struct h2d_grpc {
    uint8_t prefix[5];
    size_t prefix_len;     /* octets of the prefix seen */
    uint32_t msg_len;      /* the message's length, once the prefix is whole */
    uint32_t got;          /* octets of the message seen */
    h2d_buf msg;           /* the message, when msg_len <= H2D_GRPC_MAX_MESSAGE */
} h2d_grpc;

/* A message completed: flag, length and (unless too large) its octets. */
typedef void (*h2d_grpc_cb)(void *ctx, int compressed, uint32_t len, const uint8_t *msg,
                            int kept);
/* Feeds DATA payload octets. Returns -1 when out of memory. */
int h2d_grpc_feed(h2d_grpc *g, const uint8_t *p, size_t n, h2d_grpc_cb cb, void *ctx);
void h2d_grpc_free(h2d_grpc *g);
/* Octets of an unfinished message (or prefix) at the end of the stream. */
size_t h2d_grpc_pending(const h2d_grpc *g);

/* A message decoded as protobuf, without a schema; each text line starts
 * with pre ("#2 " with several connections), then indent spaces. Long
 * strings and bytes are cut, with their length. */
void h2d_pb_text(FILE *o, const char *pre, const uint8_t *p, size_t n, int indent);
void h2d_pb_json(FILE *o, const uint8_t *p, size_t n);
/* "OK", "CANCELLED", ... for a grpc-status value; NULL if unknown. */
const char *h2d_grpc_status_name(const uint8_t *p, size_t n);
/* grpc-message is percent-encoded: decodes into dst (n octets at most). */
size_t h2d_percent_decode(const uint8_t *p, size_t n, uint8_t *dst);
int h2d_is_grpc_content_type(const uint8_t *p, size_t n);

/* ---- dump.c: connections, directions, records ------------------------- */

typedef struct h2d_session h2d_session;
typedef struct h2d_conn h2d_conn;
typedef struct h2d_streams h2d_streams; /* streams.c */

/* When a capture's octets were captured, and in which packet. Raw files
 * have none: has_time and packet are 0, and the output leaves them out. */
typedef struct h2d_when {
    uint64_t packet;        /* 1-based number of the packet in the file; 0: none */
    int has_time;           /* a pcapng Simple Packet Block has no time */
    int digits;             /* decimals the file gives: 6 (µs), 9 (ns), ... */
    uint64_t sec;           /* since the epoch (1970, UTC) */
    uint32_t nsec;
} h2d_when;

/* A decoded field, copied out of the library's views (which live only until
 * the next h2f_conn_next). name/value are offsets into the record's pool. */
typedef struct h2d_field {
    size_t name, name_len, value, value_len;
    h2f_hpack_rep rep;
    uint32_t index, size;
    uint8_t name_huffman, value_huffman;
    uint8_t unknown;  /* H2F_HPACK_UNKNOWN_*: an entry from before the capture */
    uint32_t name_wire_len, value_wire_len;
    uint64_t offset; /* in the header block */
    uint32_t wire_len;
    uint32_t problems;
} h2d_field;

/* The fields of a header block, copied: the decoder's views die with the
 * next event. */
typedef struct h2d_fields {
    h2d_field *v;
    size_t n, cap;
    h2d_buf pool;           /* names and values */
} h2d_fields;

/* Appends a field (-1: out of memory). */
int h2d_fields_add(h2d_fields *fs, const h2f_hpack_field *f, uint32_t problems);
void h2d_fields_free(h2d_fields *fs);
/* ,"headers":[[name, value], ...] without the size updates, then
 * ,"fields":[...] every representation in order (docs/h2dump-json.md). */
void h2d_fields_json(FILE *o, const h2d_fields *fs);

/* How a stream ended, as the connection reader said (H2F_EV_END). */
typedef struct h2d_end {
    uint32_t stream;
    h2f_stream_end how;
    uint32_t code;
    int after_end;          /* H2F_EV_RESET: RST_STREAM after the sender's own
                               END (or on a stream it never sent on) */
} h2d_end;

/* A gRPC message completed in a frame. */
typedef struct h2d_msg {
    uint32_t stream;
    int compressed, kept;
    uint32_t len;
    size_t at; /* offset in the record's msgs buffer, if kept */
} h2d_msg;

#define H2D_MAX_ERRS 4

/* Everything about one frame (or the preface, or a truncated tail), built
 * while the frame goes through the connection reader, printed after. */
typedef struct h2d_record {
    int dir;                /* 0 client -> server, 1 server -> client */
    uint64_t offset;        /* of the frame in its direction's byte stream */
    const uint8_t *bytes;   /* the frame: header and payload */
    size_t len;
    int preface;            /* this record is the client preface */
    h2d_when when;          /* the packet holding the record's first octet */
    int truncated;          /* the input ended inside this frame */
    size_t want;            /* truncated: the octets the frame needs */
    int have_header;        /* bytes hold the 9-octet header */
    h2f_frame_header hd;
    int parsed;             /* f is valid (OK, or a stream error that keeps it) */
    h2f_frame f;
    /* header block bookkeeping */
    int has_frag;           /* HEADERS, PUSH_PROMISE, CONTINUATION */
    h2f_bytes frag;         /* this frame's fragment */
    uint64_t frag_start;    /* block offset of frag[0] */
    int block_end;          /* END_HEADERS: the block ends with this frame */
    int headers_end;        /* H2F_EV_HEADERS_END came */
    h2f_block_kind block_kind;
    uint32_t block_stream, block_problems;
    /* what the events said */
    h2d_fields fields;
    uint64_t data_len;      /* DATA delivered (padding removed) */
    h2d_end ends[8];
    size_t nends, ends_lost;
    h2f_error errs[H2D_MAX_ERRS];
    size_t nerrs;
    h2d_msg *msgs;
    size_t nmsgs, msgs_cap;
    h2d_buf msgbytes;
    /* --table: what the block added and evicted */
    int table_print;
    size_t added, evicted;
    h2d_buf evicted_text;   /* pairs (h2d_pair_add) */
    const h2f_hpack_decoder *hpack;
} h2d_record;

/* One direction of a connection. */
typedef struct h2d_dir {
    h2d_conn *conn;
    int idx;                /* 0 client -> server, 1 server -> client */
    int ready;              /* conn initialised */
    h2f_conn rd;            /* the connection reader (observer) */
    h2d_buf pend;           /* octets not yet a whole frame */
    uint64_t base;          /* stream offset of pend.p[0] */
    h2d_buf marks;          /* captures: where each packet's octets begin */
    size_t mark0;           /* the first mark still needed */
    int started;            /* the first unit (preface or frame) was cut */
    int resync;             /* --mid: looking for the first frame boundary */
    uint64_t skipped;       /* octets dropped while looking */
    int skip_cont;          /* --mid: CONTINUATION right after the boundary */
    int dead;               /* a connection error: nothing more is read */
    uint64_t block_off;     /* octets of the open header block so far */
    size_t block_added;     /* incremental-indexing fields of the open block */
    h2d_buf snap;           /* the table when the open block began (--table) */
    size_t snap_len;
    int block_head;         /* the request block being read has :method HEAD */
    /* for the two-file scheduler and SETTINGS crossing over */
    uint32_t settings_sent, acks_sent, max_opened, pings_sent, ping_acks_sent;
    uint64_t frames;
    /* ... and what this side may still send (RFC 9113 §6.9): the
     * connection's window, the other side's INITIAL_WINDOW_SIZE, and per
     * stream (a fixed table; a stream it cannot hold is not followed) the
     * window's distance from that initial size */
    int64_t conn_window;
    uint32_t initial_window;
    struct h2d_window { uint32_t id; int64_t delta; } windows[512];
} h2d_dir;

struct h2d_conn {
    h2d_session *s;
    int id;                 /* 1, 2, ... */
    int ndirs;              /* 1: a single direction was given */
    h2d_dir dir[2];
    h2d_streams *streams;
    int failed;             /* a connection error in either direction */
    int any_first;          /* the capture missed the connection's start */
};

struct h2d_session {
    const h2dump_options *o;
    FILE *out;
    h2d_colors c;
    int rc;                 /* the worst H2DUMP_EXIT_* so far */
    int multi;              /* several connections: prefix lines with #id */
    int nconns;
    int line_conn;          /* the connection whose text lines are printing */
    h2d_when t0;            /* the capture's first packet: text times are since it */
};

void h2d_session_init(h2d_session *s, const h2dump_options *o, FILE *out);
void h2d_session_rc(h2d_session *s, int rc);

/* A connection; ndirs 1 or 2. NULL when out of memory (rc set). */
h2d_conn *h2d_conn_open(h2d_session *s, int ndirs);
/* More in-order octets of direction `dir` (0 client, 1 server). */
void h2d_conn_push(h2d_conn *c, int dir, const uint8_t *p, size_t n);
/* The same, from a capture: w says which packet held them, for the
 * records whose first octet is among them. */
void h2d_conn_push_when(h2d_conn *c, int dir, const uint8_t *p, size_t n, const h2d_when *w);
/* The end of both directions: truncated frames, streams still open. */
void h2d_conn_close(h2d_conn *c);
/* The request of an HTTP/1.1 Upgrade, which becomes stream 1 (RFC 7540
 * §3.2; RFC 9113 §3.1 no longer defines it, but h2c captures have it). */
void h2d_conn_upgrade_request(h2d_conn *c, const uint8_t *method, size_t mlen,
                              const uint8_t *path, size_t plen, const uint8_t *host, size_t hlen);
/* A line about the capture (reassembly, detection); kind names it in JSON. */
void h2d_note(h2d_session *s, int conn, int dir, const char *kind, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* Size of the next unit at p: the preface, a frame, or all of n if cut. */
size_t h2d_unit_len(const uint8_t *p, size_t n, int at_start);

/* ---- print.c -------------------------------------------------------------- */

void h2d_print_record(h2d_session *s, const h2d_conn *c, const h2d_record *r);
const char *h2d_dir_name(int dir);
/* "indexed 62", "literal, incremental indexing, name index 4, huffman 17→23" */
void h2d_rep_text(char *buf, size_t cap, const h2d_field *f);
void h2d_rep_json(FILE *o, const h2d_field *f);
void h2d_print_error(h2d_session *s, int conn, int dir, const h2f_error *e);
/* the line's start: "#1 " with several connections */
void h2d_prefix(h2d_session *s, int conn);
/* h2d_prefix for s->line_conn (the connection being printed); returns s->out */
FILE *h2d_line(h2d_session *s);
/* --conn, --stream: is this connection's (this stream's) output shown?
 * stream_known 0: a line about the connection, not one stream. */
int h2d_shown(const h2d_session *s, int conn, int stream_known, uint32_t stream);

/* ---- streams.c ------------------------------------------------------------ */

h2d_streams *h2d_streams_new(void);
void h2d_streams_free(h2d_streams *t);
/* Events of direction dir as they come; all return -1 when out of memory. */
int h2d_streams_field(h2d_conn *c, int dir, uint32_t stream, h2f_block_kind kind,
                      const uint8_t *name, size_t nlen, const uint8_t *value, size_t vlen);
int h2d_streams_block_end(h2d_conn *c, int dir, uint32_t stream, h2f_block_kind kind,
                          uint32_t promised);
int h2d_streams_data(h2d_conn *c, int dir, uint32_t stream, const uint8_t *p, size_t n,
                     h2d_record *r);
void h2d_streams_end(h2d_conn *c, int dir, uint32_t stream, h2f_stream_end how, uint32_t code);
/* Direction dir reset the stream (RST_STREAM): it ends for both sides. */
void h2d_streams_reset(h2d_conn *c, int dir, uint32_t stream, uint32_t code);
void h2d_streams_error(h2d_conn *c, int dir, const h2f_error *e);
/* Prints the streams that both sides (or the one side given) ended. */
void h2d_streams_flush_done(h2d_conn *c);
/* Prints every stream left (the end of the connection). */
void h2d_streams_flush(h2d_conn *c);
int h2d_streams_is_grpc(h2d_conn *c, uint32_t stream);

/* ---- pcap.c, hpackmode.c -------------------------------------------------- */

int h2d_is_capture(const uint8_t *p, size_t n);
void h2d_pcap_run(h2d_session *s, const uint8_t *p, size_t n);
void h2d_hpack_run(h2d_session *s, const uint8_t *p, size_t n);

#endif
