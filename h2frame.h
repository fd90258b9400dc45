/*
 * h2frame — the HTTP/2 wire format in C: frames (RFC 9113) and HPACK (RFC 7541).
 *
 * One header, no dependencies but libc. Results are plain structs whose byte
 * fields are views (pointer + length) into the caller's buffer: nothing is
 * copied unless a frame straddles two input chunks. Every function checks its
 * own bounds; none trusts the caller for a length.
 *
 * Naming: every public symbol starts with h2f_ / H2F_.
 */
#ifndef H2FRAME_H
#define H2FRAME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define H2F_VERSION "0.1.0"

/* ------------------------------------------------------------------------ */
/* Outcomes and errors                                                      */
/* ------------------------------------------------------------------------ */

/* What a call did. Only H2F_OK and H2F_NEED_MORE are not errors. */
typedef enum h2f_status {
    H2F_OK = 0,
    H2F_NEED_MORE,            /* not an error: the input ended mid-item; feed more */
    H2F_ERR_PROTOCOL,         /* the peer broke the RFC: h2f_error.code/.scope say how */
    H2F_ERR_BUFFER_TOO_SMALL, /* output did not fit; the size needed is reported */
    H2F_ERR_LIMIT,            /* a configured limit was exceeded */
    H2F_ERR_INVALID_ARGUMENT, /* the caller passed something unusable */
    H2F_ERR_NOMEM             /* the allocator returned NULL */
} h2f_status;

/* RFC 9113 §7 error codes, with their wire values. */
typedef enum h2f_error_code {
    H2F_NO_ERROR = 0x0,
    H2F_PROTOCOL_ERROR = 0x1,
    H2F_INTERNAL_ERROR = 0x2,
    H2F_FLOW_CONTROL_ERROR = 0x3,
    H2F_SETTINGS_TIMEOUT = 0x4,
    H2F_STREAM_CLOSED = 0x5,
    H2F_FRAME_SIZE_ERROR = 0x6,
    H2F_REFUSED_STREAM = 0x7,
    H2F_CANCEL = 0x8,
    H2F_COMPRESSION_ERROR = 0x9,
    H2F_CONNECT_ERROR = 0xa,
    H2F_ENHANCE_YOUR_CALM = 0xb,
    H2F_INADEQUATE_SECURITY = 0xc,
    H2F_HTTP_1_1_REQUIRED = 0xd
} h2f_error_code;

/* RFC 9113 §5.4: a stream error ends one stream, a connection error the
 * connection (GOAWAY). */
typedef enum h2f_scope {
    H2F_SCOPE_NONE = 0,       /* not a protocol error (e.g. H2F_ERR_LIMIT of a local API) */
    H2F_SCOPE_STREAM,
    H2F_SCOPE_CONNECTION
} h2f_scope;

/* Everything known about a failure. `reason` is a static string naming the
 * rule, e.g. "PING payload must be 8 octets (RFC 9113 §6.7)". */
typedef struct h2f_error {
    h2f_status status;
    h2f_error_code code;   /* the RFC 9113 code to send to the peer */
    h2f_scope scope;
    uint64_t offset;       /* byte offset in the input stream where the offending
                              frame (or, for the preface, octet) starts */
    uint8_t frame_type;    /* type of the offending frame */
    uint32_t stream_id;    /* its stream id */
    const char *reason;
} h2f_error;

/* Names for printing: "NEED_MORE", "PROTOCOL_ERROR", "connection".
 * Unknown values give "UNKNOWN". The strings are static. */
const char *h2f_status_name(h2f_status s);
const char *h2f_error_code_name(uint32_t code);
const char *h2f_scope_name(h2f_scope s);

/* ------------------------------------------------------------------------ */
/* Memory                                                                   */
/* ------------------------------------------------------------------------ */

/* Where the library gets memory. A NULL h2f_allocator* means libc. The frame
 * parser never allocates; the reader allocates once, at init (and when its
 * maximum frame size is raised). */
typedef struct h2f_allocator {
    void *(*alloc)(size_t size, void *user);
    void *(*realloc)(void *ptr, size_t size, void *user);
    void (*free)(void *ptr, void *user);
    void *user;
} h2f_allocator;

/* ------------------------------------------------------------------------ */
/* Frames (RFC 9113 §4, §6)                                                 */
/* ------------------------------------------------------------------------ */

#define H2F_FRAME_HEADER_LEN 9u
#define H2F_DEFAULT_MAX_FRAME_SIZE 16384u     /* RFC 9113 §6.5.2 initial value */
#define H2F_MAX_MAX_FRAME_SIZE 16777215u      /* 2^24-1 */
#define H2F_MAX_STREAM_ID 0x7fffffffu
#define H2F_MAX_WINDOW 0x7fffffffu            /* 2^31-1, RFC 9113 §6.9.1 */

/* The client connection preface, RFC 9113 §3.4. */
#define H2F_PREFACE "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
#define H2F_PREFACE_LEN 24u

/* Frame types, RFC 9113 §6 (values are the wire codes). */
typedef enum h2f_frame_type {
    H2F_DATA = 0x0,
    H2F_HEADERS = 0x1,
    H2F_PRIORITY = 0x2,
    H2F_RST_STREAM = 0x3,
    H2F_SETTINGS = 0x4,
    H2F_PUSH_PROMISE = 0x5,
    H2F_PING = 0x6,
    H2F_GOAWAY = 0x7,
    H2F_WINDOW_UPDATE = 0x8,
    H2F_CONTINUATION = 0x9
} h2f_frame_type;

/* Flags, by the name the RFC gives them. A flag means something only on the
 * types listed; other bits are carried through but ignored (RFC 9113 §4.1). */
#define H2F_FLAG_END_STREAM 0x01u  /* DATA, HEADERS */
#define H2F_FLAG_ACK 0x01u         /* SETTINGS, PING */
#define H2F_FLAG_END_HEADERS 0x04u /* HEADERS, PUSH_PROMISE, CONTINUATION */
#define H2F_FLAG_PADDED 0x08u      /* DATA, HEADERS, PUSH_PROMISE */
#define H2F_FLAG_PRIORITY 0x20u    /* HEADERS */

/* SETTINGS identifiers: RFC 9113 §6.5.2, RFC 8441 §3, RFC 9218 §2.1. */
typedef enum h2f_setting_id {
    H2F_SETTINGS_HEADER_TABLE_SIZE = 0x1,
    H2F_SETTINGS_ENABLE_PUSH = 0x2,
    H2F_SETTINGS_MAX_CONCURRENT_STREAMS = 0x3,
    H2F_SETTINGS_INITIAL_WINDOW_SIZE = 0x4,
    H2F_SETTINGS_MAX_FRAME_SIZE = 0x5,
    H2F_SETTINGS_MAX_HEADER_LIST_SIZE = 0x6,
    H2F_SETTINGS_ENABLE_CONNECT_PROTOCOL = 0x8,
    H2F_SETTINGS_NO_RFC7540_PRIORITIES = 0x9
} h2f_setting_id;

/* "DATA", "HEADERS", ...; NULL for a type this library does not know. */
const char *h2f_frame_type_name(uint8_t type);
/* "HEADER_TABLE_SIZE", ...; NULL for an unknown id. */
const char *h2f_setting_name(uint16_t id);

/* A view of bytes owned by someone else. */
typedef struct h2f_bytes {
    const uint8_t *ptr;
    size_t len;
} h2f_bytes;

/* The 9-octet frame header, RFC 9113 §4.1. The reserved bit is dropped on
 * decode and written as 0. */
typedef struct h2f_frame_header {
    uint32_t length;     /* payload length, 24 bits */
    uint8_t type;
    uint8_t flags;
    uint32_t stream_id;  /* 31 bits */
} h2f_frame_header;

/* Priority fields of PRIORITY frames and of HEADERS with the PRIORITY flag
 * (RFC 9113 §6.3; deprecated by RFC 9113 §5.3.2 but still on the wire). */
typedef struct h2f_priority {
    uint32_t stream_dependency; /* 31 bits */
    uint8_t exclusive;          /* the E bit: 0 or 1 */
    uint8_t weight;             /* as sent: the weight is weight + 1 (1..256) */
} h2f_priority;

typedef struct h2f_setting {
    uint16_t id;
    uint32_t value;
} h2f_setting;

/*
 * One frame. `hd` is the header; `payload` views the whole payload. The
 * member of the anonymous union named after hd.type holds the typed fields;
 * an unknown type has only `payload`. For DATA, HEADERS and PUSH_PROMISE with
 * the PADDED flag, `pad_length` is the Pad Length field and `padding` views
 * the padding octets (when writing, a NULL padding.ptr writes zeros).
 */
typedef struct h2f_frame {
    h2f_frame_header hd;
    h2f_bytes payload;
    uint8_t pad_length;
    h2f_bytes padding;
    union {
        struct { h2f_bytes data; } data;
        struct { h2f_priority priority; /* valid with H2F_FLAG_PRIORITY */
                 h2f_bytes block; /* field block fragment */ } headers;
        struct { h2f_priority priority; } priority;
        struct { uint32_t error_code; } rst_stream;
        struct { h2f_bytes entries; /* count*6 octets; see h2f_settings_get */
                 size_t count; } settings;
        struct { uint32_t promised_stream_id; h2f_bytes block; } push_promise;
        struct { h2f_bytes opaque_data; /* 8 octets */ } ping;
        struct { uint32_t last_stream_id; uint32_t error_code;
                 h2f_bytes debug_data; } goaway;
        struct { uint32_t window_size_increment; } window_update;
        struct { h2f_bytes block; } continuation;
    };
} h2f_frame;

/* Entry i (0 <= i < f->settings.count) of a parsed SETTINGS frame. Returns a
 * zeroed entry when i is out of range. */
h2f_setting h2f_settings_get(const h2f_frame *f, size_t i);

/*
 * Decodes a 9-octet frame header from buf[0..len).
 * Returns H2F_OK, or H2F_NEED_MORE when len < 9.
 */
h2f_status h2f_frame_header_decode(const uint8_t *buf, size_t len, h2f_frame_header *hd);

/*
 * Parses one whole frame from buf[0..len) on its own: the frame-level rules of
 * RFC 9113 §4 and §6 (lengths, stream ids, padding, setting values), but not
 * the rules that need connection state (CONTINUATION sequencing, stream
 * states: see h2f_reader).
 *
 * max_frame_size is the receiver's SETTINGS_MAX_FRAME_SIZE.
 * On H2F_OK, *f holds views into buf and *consumed = 9 + payload length.
 * H2F_NEED_MORE: buf does not hold the whole frame yet (*consumed = octets
 * needed in all, when the header is complete; 9 otherwise).
 * H2F_ERR_PROTOCOL: *err says which rule, code and scope. For a stream-scope
 * error *f is still filled (a HEADERS frame's block must still be decoded to
 * keep HPACK in sync, RFC 9113 §4.3) and *consumed covers the frame.
 * err may be NULL.
 */
h2f_status h2f_frame_parse(const uint8_t *buf, size_t len, uint32_t max_frame_size,
                           h2f_frame *f, size_t *consumed, h2f_error *err);

/*
 * Serializes *f into dst[0..cap). hd.length is computed (it is ignored in
 * *f); the other header fields and the typed member for hd.type are used (an
 * unknown type writes `payload`). The flags are written as given: set
 * H2F_FLAG_PADDED to write pad_length octets of padding, H2F_FLAG_PRIORITY
 * on HEADERS to write the priority fields.
 *
 * *written is the frame's size in all cases but INVALID_ARGUMENT.
 * H2F_ERR_BUFFER_TOO_SMALL: nothing written beyond cap; *written is the size
 * needed. H2F_ERR_INVALID_ARGUMENT: a field does not fit its wire width
 * (stream id > 2^31-1, payload > 2^24-1, PING data not 8 octets, ...).
 * The writer checks encodability, not semantics: it will write a DATA frame
 * on stream 0 if asked (useful for tests).
 */
h2f_status h2f_frame_write(const h2f_frame *f, uint8_t *dst, size_t cap, size_t *written);

/* Writes a SETTINGS frame carrying n entries (n = 0 with flags = H2F_FLAG_ACK
 * for an acknowledgement). Same results as h2f_frame_write. */
h2f_status h2f_settings_write(const h2f_setting *list, size_t n, uint8_t flags,
                              uint8_t *dst, size_t cap, size_t *written);

/* ------------------------------------------------------------------------ */
/* Incremental frame reader                                                 */
/* ------------------------------------------------------------------------ */

/* Whether the input starts with the client connection preface (RFC 9113 §3.4). */
typedef enum h2f_preface_mode {
    H2F_PREFACE_NONE = 0,   /* server-to-client direction: frames from byte 0 */
    H2F_PREFACE_EXPECT,     /* client-to-server: a wrong preface is a connection
                               PROTOCOL_ERROR */
    H2F_PREFACE_DETECT      /* skip the preface if the input starts with it
                               (for tools reading a capture) */
} h2f_preface_mode;

typedef struct h2f_reader_options {
    uint32_t max_frame_size;      /* our SETTINGS_MAX_FRAME_SIZE; 0 = 16384 */
    h2f_preface_mode preface;
    int allow_any_first_frame;    /* nonzero: do not require the first frame to be
                                     SETTINGS (RFC 9113 §3.4), for mid-stream captures */
} h2f_reader_options;

/*
 * A reader turns a byte stream, fed in chunks of any size, into frames. It
 * adds to h2f_frame_parse the rules that need state: the preface, the first
 * frame being SETTINGS, and CONTINUATION sequencing (RFC 9113 §6.10). After a
 * connection error it keeps returning that error. The fields are private.
 */
typedef struct h2f_reader {
    h2f_reader_options opt;
    h2f_allocator alloc;
    const uint8_t *in;     /* current chunk (not owned) */
    size_t in_len, in_pos;
    uint8_t *buf;          /* a frame straddling chunks is assembled here */
    size_t buf_cap, buf_len;
    uint64_t offset;       /* stream offset of in[in_pos] */
    uint64_t frame_at;     /* stream offset of the frame last returned */
    uint32_t preface_pos;  /* preface octets matched so far */
    uint32_t cont_stream;  /* stream whose field block is open, 0 = none */
    uint8_t cont_type;     /* HEADERS or PUSH_PROMISE that opened it */
    uint8_t seen_frame;    /* a frame has been returned */
    uint8_t preface_seen;  /* the preface was present (H2F_PREFACE_DETECT) */
    h2f_error err;         /* sticky connection error; status H2F_OK if none */
} h2f_reader;

/*
 * Sets up *r. opt may be NULL (defaults: 16384, no preface, SETTINGS first);
 * alloc may be NULL (libc). Allocates 9 + max_frame_size octets once.
 * Returns H2F_OK, H2F_ERR_NOMEM or H2F_ERR_INVALID_ARGUMENT (max_frame_size
 * outside 16384..2^24-1).
 */
h2f_status h2f_reader_init(h2f_reader *r, const h2f_reader_options *opt,
                           const h2f_allocator *alloc);
void h2f_reader_free(h2f_reader *r);

/*
 * Hands the reader the next chunk of input. The reader keeps a pointer to it
 * (no copy) until h2f_reader_next returns H2F_NEED_MORE, and copies only the
 * tail of a frame that the chunk cuts. Feed the next chunk only after
 * h2f_reader_next said H2F_NEED_MORE: otherwise H2F_ERR_INVALID_ARGUMENT.
 */
h2f_status h2f_reader_feed(h2f_reader *r, const uint8_t *data, size_t len);

/*
 * Returns the next frame in *f. Its views point into the fed chunk or the
 * reader's buffer and stay valid until the next h2f_reader_next or
 * h2f_reader_feed call.
 * H2F_OK: a frame. H2F_NEED_MORE: the chunk is used up; feed another.
 * H2F_ERR_PROTOCOL: *err (never NULL) describes it. A stream-scope error
 * returns the frame in *f as well and reading may go on; a connection-scope
 * error is sticky. H2F_ERR_INVALID_ARGUMENT: a NULL pointer.
 */
h2f_status h2f_reader_next(h2f_reader *r, h2f_frame *f, h2f_error *err);

/* Applies a new SETTINGS_MAX_FRAME_SIZE (once the peer acknowledged it);
 * may reallocate. H2F_OK, H2F_ERR_NOMEM or H2F_ERR_INVALID_ARGUMENT. */
h2f_status h2f_reader_set_max_frame_size(h2f_reader *r, uint32_t max_frame_size);

/* Stream offset of the next octet the reader will look at. */
uint64_t h2f_reader_offset(const h2f_reader *r);
/* Stream offset of the first octet of the frame h2f_reader_next last returned. */
uint64_t h2f_reader_frame_offset(const h2f_reader *r);

#ifdef __cplusplus
}
#endif

#endif /* H2FRAME_H */
