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
    H2F_DONE,                 /* not an error: nothing more in this unit (an HPACK
                                 block is complete) */
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
                              frame (or, for the preface, octet) starts; for
                              HPACK, where the field starts in its block */
    uint8_t frame_type;    /* type of the offending frame */
    uint32_t stream_id;    /* its stream id */
    uint32_t length;       /* its payload length (a DATA frame's still counts
                              against the connection's flow-control window,
                              RFC 9113 §6.9) */
    uint32_t limit;        /* for an error about a size: the limit that `length`
                              passed (FRAME_SIZE_ERROR: the SETTINGS_MAX_FRAME_SIZE
                              in force); 0 otherwise */
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
 * Read frames (h2f_frame_parse, h2f_reader_next) have 0 in what the frame
 * does not carry: pad_length and padding without PADDED, the priority
 * fields of HEADERS without PRIORITY.
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

/* Encodes a 9-octet frame header (the reserved bit written as 0). Returns
 * H2F_ERR_INVALID_ARGUMENT if length > 2^24-1 or stream_id > 2^31-1. */
h2f_status h2f_frame_header_encode(const h2f_frame_header *hd, uint8_t out[9]);

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
 * Finds a frame boundary again in a byte stream that starts at an arbitrary
 * octet (a capture that began mid-connection, or octets lost): the first
 * offset in p[0..n) where a frame starts, as far as the octets can tell.
 *
 * Every frame considered must be plausible: R bit 0, length <=
 * max_frame_size (0 = 16384), only the flags its type defines, stream 0 or
 * not as its type requires, the fixed lengths of §6, and no empty frame but
 * SETTINGS, DATA with END_STREAM and CONTINUATION with END_HEADERS (an
 * unknown type: flags 0). The candidate must moreover be of a known type,
 * and if DATA or HEADERS on an odd stream below 2^24 (false candidates are
 * mostly DATA read across zeros; even streams are server push). Then the
 * frames that follow must chain: the candidate and the next frame parse
 * whole with no error (h2f_frame_parse), a field block left open goes on
 * with CONTINUATION on its stream, and the header of the third is
 * plausible too; or, with `last` (no more input will come), whole frames
 * end exactly at n (one frame alone only if not empty). The candidate may
 * be a CONTINUATION (its block began before). A wrong answer needs octets
 * (a payload, say) that happen to look like a chain of frames: unlikely,
 * not impossible; cut at any octet (every one was tried), the recordings
 * in examples/captures always give the next real frame.
 *
 *   H2F_OK: *offset is the boundary.
 *   H2F_NEED_MORE: none confirmed yet. No frame can start before *offset:
 *     the octets before it may be dropped, and the search resumed there
 *     when more input came (the most it waits for is three frames). With
 *     `last`, no boundary: *offset = n.
 *   H2F_ERR_INVALID_ARGUMENT: offset NULL, p NULL with n > 0 (p may be NULL
 *     when n is 0), max_frame_size > 2^24-1.
 * Cost: O(n) candidates, each rejected after a few octets but for chains.
 */
h2f_status h2f_frame_resync(const uint8_t *p, size_t n, uint32_t max_frame_size, int last,
                            size_t *offset);

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
 * on stream 0 if asked (useful for tests). A frame returned with a
 * stream-scope error may not write back as it was read (a PRIORITY frame of
 * the wrong length is written with 5 octets).
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
    H2F_PREFACE_DETECT      /* skip the preface if the input starts with it,
                               else read frames from octet 0 (for tools) */
} h2f_preface_mode;

typedef struct h2f_reader_options {
    uint32_t max_frame_size;      /* our SETTINGS_MAX_FRAME_SIZE; 0 = 16384 */
    h2f_preface_mode preface;
    int allow_any_first_frame;    /* nonzero: do not require the first frame to be
                                     SETTINGS (RFC 9113 §3.4), for mid-stream captures */
    int data_pieces;              /* nonzero: a DATA frame that a chunk end cuts is
                                     returned in pieces as its payload arrives, each
                                     a view into its chunk, never copied (see
                                     h2f_reader_piece) */
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
    uint8_t hd_checked;    /* the header in buf passed the size check */
    uint8_t seen_frame;    /* a frame has been returned */
    uint8_t preface_seen;  /* the preface was present (H2F_PREFACE_DETECT) */
    /* data_pieces: the DATA frame being handed over in pieces */
    uint8_t in_piece, piece_flags, piece_pad;
    h2f_frame_header piece_hd;
    uint32_t piece_pos, piece_left, piece_octets;
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
 * may reallocate, which ends the life of the last frame's views. A frame
 * being assembled keeps the limit it was admitted under. H2F_OK,
 * H2F_ERR_NOMEM or H2F_ERR_INVALID_ARGUMENT. */
h2f_status h2f_reader_set_max_frame_size(h2f_reader *r, uint32_t max_frame_size);

/*
 * With data_pieces: what the frame h2f_reader_next last returned is. A
 * whole frame is H2F_PIECE_FIRST | H2F_PIECE_LAST. A piece of a DATA frame
 * has hd of the whole frame, payload viewing the payload octets of this
 * piece and data.data the data among them (padding and the Pad Length
 * field left out; empty when the piece is all padding), padding the
 * padding octets among them ({NULL, 0} when it has none); the first piece
 * holds at least one octet. *octets (if not NULL) is the payload octets the
 * piece covers: a frame's pieces add up to its length, as flow control
 * counts (RFC 9113 §6.9).
 */
#define H2F_PIECE_FIRST 0x1u
#define H2F_PIECE_LAST 0x2u
unsigned h2f_reader_piece(const h2f_reader *r, uint32_t *octets);

/* Stream offset of the next octet the reader will look at. */
uint64_t h2f_reader_offset(const h2f_reader *r);
/* Stream offset of the first octet of the frame h2f_reader_next last returned. */
uint64_t h2f_reader_frame_offset(const h2f_reader *r);

/* ------------------------------------------------------------------------ */
/* HPACK (RFC 7541)                                                         */
/* ------------------------------------------------------------------------ */

#define H2F_HPACK_STATIC_TABLE_LEN 61u       /* Appendix A */
#define H2F_HPACK_ENTRY_OVERHEAD 32u         /* §4.1 */
#define H2F_HPACK_DEFAULT_TABLE_SIZE 4096u   /* RFC 9113 §6.5.2 initial value */

/* How a field was sent, RFC 7541 §6. */
typedef enum h2f_hpack_rep {
    H2F_HPACK_INDEXED = 0,          /* §6.1 */
    H2F_HPACK_INCREMENTAL,          /* §6.2.1 literal with incremental indexing */
    H2F_HPACK_WITHOUT_INDEXING,     /* §6.2.2 */
    H2F_HPACK_NEVER_INDEXED,        /* §6.2.3: intermediaries must keep it so */
    H2F_HPACK_SIZE_UPDATE           /* §6.3 (reported only when asked for) */
} h2f_hpack_rep;

/* One decoded field. name/value are views (see the lifetime rule at
 * h2f_hpack_decode_next). The rest says how it was sent, for tools. */
typedef struct h2f_hpack_field {
    h2f_bytes name, value;
    h2f_hpack_rep rep;
    uint32_t index;            /* INDEXED: the index; literals: the name's index,
                                  0 for a literal name; SIZE_UPDATE: 0 */
    uint32_t size;             /* SIZE_UPDATE: the new maximum size */
    uint8_t name_huffman, value_huffman;
    uint8_t unknown;           /* unknown_history: H2F_HPACK_UNKNOWN_NAME and/or
                                  _VALUE, what an index into the part of the
                                  dynamic table the decoder never saw left
                                  unknown (that view is then empty) */
    uint32_t name_wire_len, value_wire_len; /* string octets as sent */
    uint64_t offset;           /* where the field starts in the block */
    uint32_t wire_len;         /* octets the representation took */
} h2f_hpack_field;

#define H2F_HPACK_UNKNOWN_NAME 0x1u
#define H2F_HPACK_UNKNOWN_VALUE 0x2u

/* Entry i (1..61) of the static table (Appendix A); empty views otherwise. */
h2f_bytes h2f_hpack_static_name(uint32_t i);
h2f_bytes h2f_hpack_static_value(uint32_t i);

/* ---- Huffman code, §5.2 and Appendix B ---- */

/* Octets that Huffman-encoding src takes. */
size_t h2f_huffman_encoded_len(const uint8_t *src, size_t len);
/* Encodes src into dst (cap octets). H2F_OK with *written, or
 * H2F_ERR_BUFFER_TOO_SMALL with *written = the size needed. */
h2f_status h2f_huffman_encode(const uint8_t *src, size_t len, uint8_t *dst, size_t cap,
                              size_t *written);
/* Decodes a whole Huffman string. H2F_OK with *written; H2F_ERR_PROTOCOL
 * (COMPRESSION_ERROR, with reason) when padding is longer than 7 bits or not
 * the EOS prefix, or EOS is decoded; H2F_ERR_BUFFER_TOO_SMALL when dst is
 * short (a string of n octets never decodes to more than n*8/5). */
h2f_status h2f_huffman_decode(const uint8_t *src, size_t len, uint8_t *dst, size_t cap,
                              size_t *written, h2f_error *err);

/* ---- Decoder ---- */

/* Options; a field left 0 takes its default. */
typedef struct h2f_hpack_decoder_options {
    uint32_t max_table_size;        /* the largest SETTINGS_HEADER_TABLE_SIZE we
                                       will advertise: sizes the allocation
                                       (the table itself starts at 4096, as
                                       HPACK does; see set_max_table_size) */
    uint32_t max_header_list_size;  /* sum of name + value + 32 per field; 0 = 65536 */
    uint32_t max_string_len;        /* decoded name or value octets; 0 = 16384 */
    uint32_t max_fields;            /* fields per block; 0 = 512 */
    int report_size_updates;        /* nonzero: return §6.3 updates as fields */
    int unknown_history;            /* nonzero: the decoder starts in the middle
                                       of a connection (a capture that missed
                                       its start). A dynamic index past the
                                       entries it has learned is not a
                                       COMPRESSION_ERROR but a field with
                                       .unknown set (name and/or value empty);
                                       static indices and literals decode as
                                       usual, and entries inserted from then on
                                       are learned and found by their right
                                       index. The table holds up to
                                       max_table_size until a size update
                                       says the encoder's maximum, and size
                                       updates up to that capacity are
                                       accepted (the SETTINGS they
                                       answer were not seen). Once no entry
                                       older than the decoder can remain in the
                                       table (see hpack.c), indices past the
                                       table are errors again. For tools; never
                                       for an endpoint. */
} h2f_hpack_decoder_options;

/* For a table size option that is really 0 (0 means the default). */
#define H2F_HPACK_TABLE_SIZE_ZERO 0xffffffffu

/* A dynamic table (§2.3.2, §4): one ring of octets, entries never split, plus
 * a ring of entry descriptors. Private. */
typedef struct h2f_hpack_table {
    uint8_t *buf;          /* 2 * capacity + 1 octets */
    uint32_t *ent;         /* per entry: offset, name length, value length */
    size_t ent_cap;        /* descriptors the ring holds: the least power of
                              two above capacity / 32 (§4.1: an entry takes 32
                              octets or more), 12 octets each */
    size_t newest, count;  /* descriptor ring position of the newest; entries */
    size_t size;           /* §4.1 size: sum of name + value + 32 */
    size_t max_size;       /* the maximum set by the last size update */
    size_t capacity;       /* the most max_size may be (SETTINGS) */
    size_t head;           /* next free octet in buf */
    uint64_t inserted;     /* entries ever inserted */
} h2f_hpack_table;

/* An integer (§5.1) being read across fragments. Private. */
typedef struct h2f_hpack_int_state {
    uint32_t value, shift, count;
} h2f_hpack_int_state;

/* Decoder state; the fields are private. Embed it, then _init/_free. */
typedef struct h2f_hpack_decoder {
    h2f_hpack_decoder_options opt;
    h2f_allocator alloc;
    h2f_hpack_table table;
    uint8_t *scratch;          /* 2 * scratch_cap + 1: decoded name, then value */
    size_t scratch_cap;
    size_t huff_max;           /* longest Huffman string decoded whole into scratch */
    uint32_t settings_size;    /* our current SETTINGS_HEADER_TABLE_SIZE */
    uint32_t min_settings_size;/* smallest value set since the last block
                                  (UINT32_MAX: none); if the setting went
                                  down, the next block must start with an
                                  update <= it */
    uint8_t update_required;
    /* unknown_history (see hpack.c "Unknown history") */
    uint8_t history_unknown;   /* entries older than the decoder may be in the table */
    uint8_t max_known;         /* a size update told the encoder's maximum */
    uint8_t *unknown_names;    /* per descriptor slot: the entry's name is unknown */
    size_t unknown_names_cap;
    /* the block being decoded */
    const uint8_t *in;
    size_t in_len, in_pos;
    uint64_t block_off;        /* block offset of in[0] */
    uint8_t last, in_block, fields_seen, draining, limit_hit;
    uint32_t nfields;
    uint64_t list_size;
    /* the field being decoded (resumable at any octet) */
    uint8_t state, rep_bits, huff, str_to_scratch, over_limit;
    h2f_hpack_int_state integer;
    uint32_t str_len, str_pos;
    size_t out_len;            /* decoded octets so far (counted past the scratch) */
    uint64_t hacc;
    uint32_t hbits;
    uint64_t field_off;
    h2f_hpack_field cur;
    h2f_error err;             /* sticky COMPRESSION_ERROR */
} h2f_hpack_decoder;

/* Sets up *d (opt and alloc may be NULL). Allocates once, in this order:
 * the table (2 * size + 1 octets, size = max(max_table_size, 4096)), its
 * descriptors (12 octets each, see h2f_hpack_table) and the string scratch
 * (2 * max(max_string_len, size) + 1 octets), then, with unknown_history, one
 * octet per descriptor. The table starts at 4096 octets. H2F_OK,
 * H2F_ERR_NOMEM, H2F_ERR_INVALID_ARGUMENT. */
h2f_status h2f_hpack_decoder_init(h2f_hpack_decoder *d, const h2f_hpack_decoder_options *opt,
                                  const h2f_allocator *alloc);
void h2f_hpack_decoder_free(h2f_hpack_decoder *d);

/* The peer acknowledged our SETTINGS_HEADER_TABLE_SIZE of `size` (call it
 * then, not when sending). Size updates up to it are accepted from now on;
 * if it went down, the next block must begin with a size update at most
 * the smallest value set (RFC 7541 §4.2, RFC 9113 §4.3.1). May
 * reallocate: a size above the table's allocates a new table (2 * size + 1
 * octets) and descriptors (12 octets each, see h2f_hpack_table; with
 * unknown_history first one octet per new descriptor), and, if
 * max(size, max_string_len) is above what the scratch holds, a new scratch
 * (2 * max(size, max_string_len) + 1 octets). Not inside a block. */
h2f_status h2f_hpack_decoder_set_max_table_size(h2f_hpack_decoder *d, uint32_t size);

/*
 * Decoding a header block, which may arrive in fragments (HEADERS, then
 * CONTINUATION frames):
 *
 *   h2f_hpack_decode_feed(d, frag, len, is_last_fragment);
 *   while ((st = h2f_hpack_decode_next(d, &field, &err)) == H2F_OK) use(field);
 *   // H2F_NEED_MORE: feed the next fragment; H2F_DONE: block complete
 *
 * The first feed starts a block. A field may be cut anywhere between
 * fragments. Feed the next fragment only after H2F_NEED_MORE.
 */
h2f_status h2f_hpack_decode_feed(h2f_hpack_decoder *d, const uint8_t *frag, size_t len,
                                 int last);

/*
 * The next field of the block.
 *   H2F_OK: *field holds it.
 *   H2F_NEED_MORE: the fragment is used up; feed the next.
 *   H2F_DONE: the block ended cleanly; the next feed starts a new block.
 *   H2F_ERR_LIMIT: this field broke a limit (err says which: max_string_len,
 *     max_fields or max_header_list_size; code ENHANCE_YOUR_CALM, stream
 *     scope). Keep calling: the rest of the block is decoded without being
 *     returned, so the table stays in step, and the block ends with H2F_DONE.
 *   H2F_ERR_PROTOCOL: COMPRESSION_ERROR (connection scope). It is sticky: the
 *     decoder's table can no longer be trusted (§2.3), every call returns it.
 *
 * Lifetime: field->name and ->value point into the static table, the dynamic
 * table, the fed fragment or the decoder's scratch, and are valid until the
 * next h2f_hpack_decode_next or h2f_hpack_decode_feed call. No call
 * allocates.
 */
h2f_status h2f_hpack_decode_next(h2f_hpack_decoder *d, h2f_hpack_field *field, h2f_error *err);

/* The dynamic table, for tools: entry i (1 = newest) as name/value views,
 * H2F_OK or H2F_ERR_INVALID_ARGUMENT past the end. */
h2f_status h2f_hpack_decoder_entry(const h2f_hpack_decoder *d, size_t i, h2f_bytes *name,
                                   h2f_bytes *value);
/* unknown_history: H2F_HPACK_UNKNOWN_NAME when entry i's name is unknown
 * (a literal naming an entry from before inserted it; its name view is
 * empty), else 0. */
unsigned h2f_hpack_decoder_entry_unknown(const h2f_hpack_decoder *d, size_t i);
/* unknown_history: nonzero while entries from before the decoder began may
 * still be in the encoder's table, past the ones this decoder holds. */
int h2f_hpack_decoder_history_unknown(const h2f_hpack_decoder *d);
/* Entries, §4.1 size in use, and current maximum. */
size_t h2f_hpack_decoder_table_len(const h2f_hpack_decoder *d);
size_t h2f_hpack_decoder_table_size(const h2f_hpack_decoder *d);
size_t h2f_hpack_decoder_table_max(const h2f_hpack_decoder *d);

/* ---- Encoder ---- */

/* Per-field flags for the encoder. */
#define H2F_HPACK_NEVER_INDEX 0x01u   /* §6.2.3: sensitive; proxies keep it so */
#define H2F_HPACK_NO_INDEX 0x02u      /* §6.2.2: do not add to the table */
#define H2F_HPACK_HUFFMAN 0x04u       /* force Huffman for the strings (wins
                                         over H2F_HPACK_NO_HUFFMAN) */
#define H2F_HPACK_NO_HUFFMAN 0x08u    /* forbid Huffman */
#define H2F_HPACK_INDEX 0x10u         /* add to the table even where the policy
                                         would not (if it fits) */

/* A header field to encode (names must already be lowercase for HTTP/2). */
typedef struct h2f_header {
    h2f_bytes name, value;
    uint8_t flags;
} h2f_header;

typedef struct h2f_hpack_encoder_options {
    uint32_t max_table_size;   /* the most table we will use even if the peer
                                  allows more; 0 = 4096,
                                  H2F_HPACK_TABLE_SIZE_ZERO = none */
} h2f_hpack_encoder_options;

typedef struct h2f_hpack_encoder {
    h2f_hpack_encoder_options opt;
    h2f_allocator alloc;
    h2f_hpack_table table;
    /* A hash index of the static and dynamic entries, by name and by
     * (name, value): per slot (descriptor slots, then the 61 static
     * entries) eight words of doubly linked chains (see hpack.c). Private. */
    uint32_t *links;
    uint32_t *buckets;         /* nbuckets field chains, then nbuckets name chains */
    uint32_t *names;           /* what the indexing policy learnt per name */
    size_t nbuckets;           /* a power of two */
    uint32_t peer_size;        /* the peer's SETTINGS_HEADER_TABLE_SIZE */
    uint32_t target;           /* min(peer_size, opt.max_table_size) */
    uint32_t min_size;         /* smallest target set since the last block
                                  (UINT32_MAX: none) */
    uint8_t update_pending;
} h2f_hpack_encoder;

/* Sets up *e (opt and alloc may be NULL). Allocates once, in this order:
 * the table (2 * size + 1 octets, size = max_table_size: 4096 for 0, 0 for
 * H2F_HPACK_TABLE_SIZE_ZERO), its descriptors (12 octets each, see
 * h2f_hpack_table), the links (32 octets per slot; slots = descriptors +
 * 61), the buckets (8 octets each; nbuckets is the least power of two at
 * least 64 and at least 2 * slots) and the names (2048 octets). H2F_OK,
 * H2F_ERR_NOMEM, H2F_ERR_INVALID_ARGUMENT. */
h2f_status h2f_hpack_encoder_init(h2f_hpack_encoder *e, const h2f_hpack_encoder_options *opt,
                                  const h2f_allocator *alloc);
void h2f_hpack_encoder_free(h2f_hpack_encoder *e);

/* The peer's SETTINGS_HEADER_TABLE_SIZE (call it when its SETTINGS
 * arrive): the encoder uses the smaller of it and its own max_table_size,
 * and says so with size updates at the start of the next block (the
 * smallest size reached if it was below the table's, then the final one,
 * §4.2) — after any change of the setting, as RFC 9113 §4.3.1 asks. */
h2f_status h2f_hpack_encoder_set_peer_table_size(h2f_hpack_encoder *e, uint32_t size);

/* The most octets encoding these fields can take (next block included);
 * SIZE_MAX when a name or value is longer than 2^32-1 octets, the longest
 * string this encoder writes (h2f_hpack_encode refuses those fields). */
size_t h2f_hpack_encode_bound(const h2f_hpack_encoder *e, const h2f_header *fields, size_t n);

/*
 * Encodes one header block. H2F_OK with *written; H2F_ERR_BUFFER_TOO_SMALL
 * (nothing changed, *written = h2f_hpack_encode_bound) when cap is below the
 * bound; H2F_ERR_INVALID_ARGUMENT for a string over 2^32-1 octets. Octets
 * of dst past *written may be overwritten. Never allocates.
 * "authorization" and "cookie" values shorter than 20
 * octets are sent never-indexed unless their flags say H2F_HPACK_INDEX or
 * H2F_HPACK_NO_INDEX.
 */
h2f_status h2f_hpack_encode(h2f_hpack_encoder *e, const h2f_header *fields, size_t n,
                            uint8_t *dst, size_t cap, size_t *written);

/* ------------------------------------------------------------------------ */
/* Streams: writing                                                         */
/* ------------------------------------------------------------------------ */

/* How h2f_write_headers frames a header block. */
typedef struct h2f_headers_options {
    uint32_t stream_id;
    uint32_t max_frame_size;       /* the peer's SETTINGS_MAX_FRAME_SIZE; 0 = 16384 */
    uint8_t end_stream;            /* END_STREAM on the HEADERS frame */
    uint8_t padded;                /* PADDED, with pad_length octets of zeros */
    uint8_t pad_length;
    const h2f_priority *priority;  /* non-NULL: the PRIORITY flag and fields */
} h2f_headers_options;

/* The most octets h2f_write_headers can take for these fields. */
size_t h2f_write_headers_bound(const h2f_hpack_encoder *e, const h2f_header *fields, size_t n,
                               const h2f_headers_options *o);

/*
 * Encodes a header list (h2f_hpack_encode) and frames it as one HEADERS
 * frame followed by as many CONTINUATION frames as the peer's maximum frame
 * size requires (RFC 9113 §4.3, §6.2, §6.10): END_HEADERS on the last,
 * padding and priority on the HEADERS frame only. H2F_OK with *written;
 * H2F_ERR_BUFFER_TOO_SMALL (nothing written, the encoder unchanged,
 * *written = the bound) when cap is below h2f_write_headers_bound;
 * H2F_ERR_INVALID_ARGUMENT for stream 0 or a frame size out of range.
 */
h2f_status h2f_write_headers(h2f_hpack_encoder *e, const h2f_header *fields, size_t n,
                             const h2f_headers_options *o, uint8_t *dst, size_t cap,
                             size_t *written);

/*
 * Frames a body (or a part of one) as DATA frames of at most max_frame_size
 * octets (0 = 16384), END_STREAM on the last if end_stream; an empty body
 * with end_stream is one empty DATA frame. Flow control is the caller's:
 * write only what the windows allow. Same results as h2f_write_headers.
 */
h2f_status h2f_write_data(uint32_t stream_id, const uint8_t *data, size_t len, int end_stream,
                          uint32_t max_frame_size, uint8_t *dst, size_t cap, size_t *written);

/* One call per control frame, as h2f_settings_write is for SETTINGS. Same
 * results as h2f_frame_write: H2F_OK with *written, H2F_ERR_BUFFER_TOO_SMALL
 * (nothing written past cap, *written = the size needed),
 * H2F_ERR_INVALID_ARGUMENT for a value out of its wire range. */
h2f_status h2f_write_window_update(uint32_t stream_id, uint32_t increment, uint8_t *dst, size_t cap,
                                   size_t *written);
h2f_status h2f_write_rst_stream(uint32_t stream_id, uint32_t error_code, uint8_t *dst, size_t cap,
                                size_t *written);
h2f_status h2f_write_goaway(uint32_t last_stream_id, uint32_t error_code, const uint8_t *debug,
                            size_t debug_len, uint8_t *dst, size_t cap, size_t *written);
h2f_status h2f_write_ping(const uint8_t opaque[8], int ack, uint8_t *dst, size_t cap, size_t *written);

/* ------------------------------------------------------------------------ */
/* The peer's SETTINGS and flow control (RFC 9113 §6.5.2, §6.9)             */
/* ------------------------------------------------------------------------ */

/* What the peer's SETTINGS say about what we send. */
typedef struct h2f_peer_settings {
    uint32_t header_table_size;       /* for our HPACK encoder */
    uint32_t enable_push;
    uint32_t max_concurrent_streams;  /* streams we may open */
    uint32_t initial_window_size;     /* of our send windows */
    uint32_t max_frame_size;          /* of the frames we send */
    uint32_t max_header_list_size;    /* advisory; UINT32_MAX: none said */
    uint32_t enable_connect_protocol; /* RFC 8441 */
} h2f_peer_settings;

/* The initial values of §6.5.2 (MAX_CONCURRENT_STREAMS: "initially, there
 * is no limit": UINT32_MAX). */
void h2f_peer_settings_init(h2f_peer_settings *ps);
/* Applies a SETTINGS frame the frame parser accepted (not an ACK), in
 * order; *window_delta (if not NULL) gets how much INITIAL_WINDOW_SIZE
 * changed, which §6.9.2 applies to every stream's send window (then check
 * each with h2f_send_window_update's rule). Unknown ids are ignored
 * (§6.5.2). H2F_OK, or H2F_ERR_INVALID_ARGUMENT if f is not such a frame. */
h2f_status h2f_peer_settings_apply(h2f_peer_settings *ps, const h2f_frame *f, int64_t *window_delta);

/*
 * A receive window: what the peer may still send on a stream or the
 * connection, and the octets the application consumed but did not give
 * back yet. They go back in one WINDOW_UPDATE once half the window is
 * consumed, so a steady body costs a WINDOW_UPDATE per half window, not per
 * frame.
 */
typedef struct h2f_recv_window {
    int64_t window;    /* octets the peer may still send */
    uint32_t size;     /* the window we advertise */
    uint32_t consumed; /* consumed, not yet given back */
} h2f_recv_window;

void h2f_recv_window_init(h2f_recv_window *w, uint32_t size);
/* A flow-controlled frame of `octets` (padding included: ev.flow,
 * err.length) arrived. H2F_ERR_PROTOCOL when it is past the window: a
 * FLOW_CONTROL_ERROR (§6.9.1: "A receiver MAY respond with ... "). */
h2f_status h2f_recv_window_take(h2f_recv_window *w, uint32_t octets);
/* The application consumed `octets`: the WINDOW_UPDATE increment to send
 * now, or 0 (wait for more). */
uint32_t h2f_recv_window_consume(h2f_recv_window *w, size_t octets);
/* Our INITIAL_WINDOW_SIZE (or the size we want for this window) changed to
 * `size` (for a stream's window: when the peer acknowledged it, §6.9.2);
 * the window moves by the difference and may go below zero. */
void h2f_recv_window_resize(h2f_recv_window *w, uint32_t size);

/* A send window grows by a WINDOW_UPDATE's increment: H2F_ERR_PROTOCOL
 * (FLOW_CONTROL_ERROR) if it would pass 2^31-1 (§6.9.1: "A sender MUST NOT
 * allow a flow-control window to exceed 2^31-1 octets"). */
h2f_status h2f_send_window_update(int64_t *window, uint32_t increment);

/* ------------------------------------------------------------------------ */
/* Streams: reading (the connection reader)                                 */
/* ------------------------------------------------------------------------ */

/* Which side of the connection we are. The reader reads what the OTHER side
 * sends: a server reads a client's bytes, a client a server's. An observer
 * (a capture, a proxy's tap) assumes no side: it applies the rules that hold
 * for both, and one reader is used per direction. */
typedef enum h2f_role {
    H2F_ROLE_SERVER = 0,   /* input starts with the client preface */
    H2F_ROLE_CLIENT,       /* input is a server's; declare our streams with
                              h2f_conn_local_open */
    H2F_ROLE_OBSERVER      /* either direction; preface detected */
} h2f_role;

/* H2F_ROLE_OBSERVER: whose octets a reader reads. It decides whose streams
 * the MAX_CONCURRENT_STREAMS it is told of limits (§5.1.2: those the sender
 * opens — a client's requests, a server's pushes), whether a HEADERS frame
 * is a request or a response, and whose streams a GOAWAY ends. */
typedef enum h2f_sender {
    H2F_SENDER_DETECT = 0, /* the client's if the input starts with the preface
                              (§3.4), else the server's; unknown with
                              allow_any_first_frame and no preface */
    H2F_SENDER_CLIENT,
    H2F_SENDER_SERVER
} h2f_sender;

/* How bodies are handed over. */
typedef enum h2f_body_mode {
    H2F_BODY_STREAM = 0,   /* each DATA payload as it arrives, a view into the
                              input (H2F_EV_DATA): no copy, no buffering */
    H2F_BODY_WHOLE         /* buffered per stream, handed over complete at
                              END_STREAM (H2F_EV_BODY) */
} h2f_body_mode;

/* Options of the connection reader; a field left 0 takes its default. Every
 * limit is per connection unless it says otherwise. */
typedef struct h2f_conn_options {
    h2f_role role;
    h2f_body_mode body;
    int validate_http;            /* nonzero: RFC 9113 §8.1-§8.3 field checks and
                                     content-length (see H2F_HTTP_*) */
    int track_local;              /* nonzero: a stream counts as open until we also
                                     close it (h2f_conn_local_close), as §5.1.2
                                     counts; 0: until the peer ends its side */
    int allow_any_first_frame;    /* a capture that starts mid-connection */
    h2f_sender sender;            /* H2F_ROLE_OBSERVER: whose octets these are */
    uint32_t max_frame_size;      /* the SETTINGS_MAX_FRAME_SIZE we advertised, in
                                     force from the start; 0 = 16384 (the initial
                                     value, §6.5.2). Later changes: through
                                     h2f_conn_local_settings. An observer of one
                                     direction that cannot see the other side's
                                     SETTINGS: H2F_MAX_MAX_FRAME_SIZE */
    h2f_hpack_decoder_options hpack;   /* table size, header list size (name +
                                          value + 32 per field), string length,
                                          fields per block */
    uint32_t max_concurrent_streams;   /* streams the peer may have open (the
                                          largest MAX_CONCURRENT_STREAMS we will
                                          advertise); 0 = 100. Beyond:
                                          REFUSED_STREAM */
    uint32_t max_local_streams;        /* streams we may have open (client role);
                                          0 = 100 */
    uint32_t max_block_bytes;          /* header block octets across CONTINUATION
                                          (CVE-2024-27316); 0 = 131072 */
    uint32_t max_continuations;        /* CONTINUATION frames per block
                                          (CVE-2024-28182); 0 = 16 */
    uint32_t max_settings_entries;     /* per SETTINGS frame; 0 = 32 */
    uint32_t max_control_frames;       /* SETTINGS and PING (not ACKs) since the
                                          last HEADERS or non-empty DATA
                                          (CVE-2019-9512, -9515); 0 = 1000 */
    uint32_t max_empty_frames;         /* empty DATA without END_STREAM and empty
                                          CONTINUATION without END_HEADERS since
                                          the last progress (CVE-2019-9518);
                                          0 = 100 */
    uint32_t max_peer_resets;          /* streams the peer resets after opening
                                          them (Rapid Reset, CVE-2023-44487): a
                                          budget of this many, half a unit won
                                          back per stream that ends normally;
                                          0 = 200 */
    uint32_t max_stream_errors;        /* stream errors the reader had to report
                                          (MadeYouReset, CVE-2025-8671): same
                                          budget rule; 0 = 200 */
    size_t max_body_per_stream;        /* H2F_BODY_WHOLE: buffered octets per
                                          stream; 0 = 1 MiB */
    size_t max_body_per_conn;          /* H2F_BODY_WHOLE: buffered octets of all
                                          streams; 0 = 8 MiB (allocated: at most
                                          twice that, plus 1 KiB a stream) */
} h2f_conn_options;

/* What h2f_conn_next returns. */
typedef enum h2f_event_type {
    H2F_EV_FRAME = 1,      /* a frame with nothing for a stream's message:
                              SETTINGS, PING, GOAWAY, WINDOW_UPDATE, PRIORITY,
                              unknown types, RST_STREAM of a stream already
                              reset (by either side),
                              DATA/HEADERS dropped because the stream was reset
                              by us, and with H2F_BODY_WHOLE each DATA frame
                              before the last (held). Count every DATA frame's
                              length for flow control. */
    H2F_EV_HEADER,         /* one field of a header block, in order */
    H2F_EV_HEADERS_END,    /* the block is complete */
    H2F_EV_DATA,           /* H2F_BODY_STREAM: a DATA payload, padding removed */
    H2F_EV_BODY,           /* H2F_BODY_WHOLE: the whole body (sent only if the
                              stream had DATA frames) */
    H2F_EV_END,            /* the peer will send nothing more on the stream */
    H2F_EV_RESET           /* RST_STREAM from the peer on a stream it is no
                              longer sending on — it had ended its side (its
                              H2F_EV_END was given), or never sent on it (a
                              request of ours it refuses, a push the client
                              declines): our side ends too, stop sending
                              (§5.1, §6.4; error_code says why: CANCEL,
                              NO_ERROR, ...). The usual cancel of gRPC and
                              browsers. */
} h2f_event_type;

/* What a header block is, known from its position and its :status. */
typedef enum h2f_block_kind {
    H2F_BLOCK_HEADERS = 0,     /* a request, or a final response */
    H2F_BLOCK_INFORMATIONAL,   /* a 1xx response (any number precede the final) */
    H2F_BLOCK_TRAILERS,        /* after the body; carries END_STREAM */
    H2F_BLOCK_PUSH_PROMISE     /* the request a server promises (§8.4) */
} h2f_block_kind;

/* How a stream ended (H2F_EV_END). */
typedef enum h2f_stream_end {
    H2F_END_STREAM = 0,    /* END_STREAM: the peer's message is complete */
    H2F_END_RESET,         /* the peer sent RST_STREAM (error_code) */
    H2F_END_GOAWAY,        /* GOAWAY: the peer will not process it (our stream
                              above its last stream id; safe to retry) */
    H2F_END_ERROR          /* the reader reported a stream error on it; send
                              RST_STREAM with error_code */
} h2f_stream_end;

/* Problems found by validate_http (RFC 9113 §8.2-§8.3), one bit each. Any
 * of them makes the message malformed: a stream PROTOCOL_ERROR, reported
 * after the block's H2F_EV_HEADERS_END. */
#define H2F_HTTP_NAME_UPPERCASE      0x0001u /* §8.2.1: 'A'..'Z' in a name */
#define H2F_HTTP_NAME_INVALID        0x0002u /* §8.2.1: empty, 0x00-0x20, 0x7f-0xff,
                                                or ':' in a regular name */
#define H2F_HTTP_VALUE_INVALID       0x0004u /* §8.2.1: NUL, CR or LF in a value */
#define H2F_HTTP_VALUE_WHITESPACE    0x0008u /* §8.2.1: value starts or ends with SP/HTAB */
#define H2F_HTTP_CONNECTION_SPECIFIC 0x0010u /* §8.2.2: connection, keep-alive, ... */
#define H2F_HTTP_TE                  0x0020u /* §8.2.2: te other than "trailers" */
#define H2F_HTTP_PSEUDO_UNKNOWN      0x0040u /* §8.3: undefined, or not for this
                                                kind of message */
#define H2F_HTTP_PSEUDO_AFTER_REGULAR 0x0080u /* §8.3 */
#define H2F_HTTP_PSEUDO_DUPLICATE    0x0100u /* §8.3 */
#define H2F_HTTP_PSEUDO_IN_TRAILERS  0x0200u /* §8.1, §8.3 */
#define H2F_HTTP_PSEUDO_MISSING      0x0400u /* §8.3.1, §8.3.2, §8.5 */
#define H2F_HTTP_PSEUDO_INVALID      0x0800u /* §8.3.1, §8.3.2, §8.4, §8.5: :method not
                                                a token, :scheme not a scheme, :path
                                                not "/..." (or "*" for OPTIONS), an
                                                :authority or host with an empty host
                                                (RFC 9110 §4.2.1: "" or ":443"),
                                                :status not 3 digits or
                                                101, CONNECT with :scheme or :path,
                                                :protocol not allowed, a promised
                                                request not GET or HEAD */
#define H2F_HTTP_CONTENT_LENGTH      0x1000u /* §8.1.1: not a number, or two
                                                different values */
#define H2F_HTTP_HOST_MISMATCH       0x2000u /* §8.3.1: host differs from :authority */

/* The name of the lowest problem bit set ("NAME_UPPERCASE"), NULL for 0. */
const char *h2f_http_problem_name(uint32_t problems);

/* One event. Views (field, data) are valid until the next h2f_conn_next or
 * h2f_conn_feed call. */
typedef struct h2f_event {
    h2f_event_type type;
    uint32_t stream_id;
    const h2f_frame *frame;      /* the frame the event comes from (for H2F_EV_END
                                    after GOAWAY: the GOAWAY) */
    h2f_block_kind block;        /* HEADER, HEADERS_END */
    uint32_t promised_stream_id; /* HEADER, HEADERS_END of a PUSH_PROMISE block */
    h2f_hpack_field field;       /* HEADER */
    uint32_t problems;           /* HEADER: this field's H2F_HTTP_* problems;
                                    HEADERS_END: all of the block's */
    h2f_bytes data;              /* DATA, BODY */
    uint8_t end_stream;          /* HEADERS_END, DATA, BODY: the peer ended the
                                    stream (a whole BODY always has it) */
    uint8_t more;                /* DATA: the input cut this DATA frame; more of
                                    its payload follows in the next DATA events */
    uint32_t flow;               /* DATA, BODY, FRAME: octets of a DATA frame this
                                    event accounts for in flow control (RFC 9113
                                    §6.9); a frame's events add up to its length */
    h2f_stream_end end;          /* END */
    uint32_t error_code;         /* END: RST_STREAM's code, GOAWAY's, or ours;
                                    RESET: RST_STREAM's code */
} h2f_event;

/* The connection reader. The fields are private. */
typedef struct h2f_conn_stream h2f_conn_stream;
typedef struct h2f_conn {
    h2f_conn_options opt;
    h2f_allocator alloc;
    h2f_reader rd;
    h2f_hpack_decoder hpack;
    h2f_frame frame;           /* the frame being handled */
    /* streams: a pool, a hash index by id, recently closed ids */
    h2f_conn_stream *pool;
    uint32_t pool_cap, free_head, nstreams, npeer_open, nreserved;
    uint16_t *index;           /* pool position + 1, 0 = empty; linear probing */
    uint32_t index_mask;
    uint64_t *closed;          /* ring: id << 2 | how it closed */
    uint32_t closed_cap, closed_pos;
    uint32_t last_peer_id;     /* highest stream id the peer opened or promised */
    uint32_t last_local_id;    /* highest stream id we opened or promised */
    uint32_t max_concurrent;   /* our acknowledged MAX_CONCURRENT_STREAMS */
    uint32_t goaway_last;      /* last stream id of the peer's GOAWAY */
    uint8_t goaway_seen, push_enabled, connect_protocol, sweeping;
    uint8_t used[512];         /* which of the peer's last 4096 stream ids
                                  below last_peer_id it used (§5.1.1) */
    uint32_t sweep_pos;
    /* the header block being decoded */
    uint8_t in_block, block_emit, block_end_stream, block_kind, block_first;
    uint32_t block_stream, block_promised, block_bytes, block_frames, block_problems;
    struct h2f_http_state {    /* §8 checks of the block (http.c) */
        uint8_t message, trailers, push, regular_seen, pseudo, connect, options,
            http_scheme, path_star, path_bad, protocol_ok, host_seen, userinfo;
        uint32_t status;
        uint64_t content_length;
        uint8_t authority[256]; /* :authority, to compare with host */
        uint32_t authority_len;
    } http;
    uint32_t perr_stream;      /* a stream error to report at the next call */
    uint32_t piece_flow;       /* DATA frame in pieces: flow octets reported so far */
    uint8_t piece_drop;        /* ... the rest of it is dropped: 1 silently (an error
                                  covered it), 2 with an H2F_EV_FRAME at its end */
    const char *perr_reason;
    /* the pending local SETTINGS, applied in order as the peer ACKs them */
    struct { uint32_t table, frame, concurrent, list, push, connect; } pending[4];
    uint32_t npending;
    /* abuse counters (by count, not time) */
    uint32_t control_frames, empty_frames;
    uint32_t reset_budget, error_budget;   /* in half units */
    size_t held;               /* H2F_BODY_WHOLE: body octets held (the limits) */
    /* events queued behind the one returned */
    h2f_event queue[3];
    uint32_t nqueue;
    uint8_t *release;          /* a body handed over, freed at the next call */
    h2f_error err;             /* sticky connection error */
} h2f_conn;

/* Sets up *c (opt and alloc may be NULL: server role, streaming bodies,
 * defaults). Allocates the frame buffer, the HPACK table and the stream
 * tables once; only H2F_BODY_WHOLE allocates later (the bodies). H2F_OK,
 * H2F_ERR_NOMEM, H2F_ERR_INVALID_ARGUMENT. */
h2f_status h2f_conn_init(h2f_conn *c, const h2f_conn_options *opt, const h2f_allocator *alloc);
void h2f_conn_free(h2f_conn *c);

/* The next chunk of input (kept by pointer, as h2f_reader_feed): feed only
 * after h2f_conn_next returned H2F_NEED_MORE. */
h2f_status h2f_conn_feed(h2f_conn *c, const uint8_t *data, size_t len);

/*
 * The next event in *ev.
 *   H2F_OK: an event. H2F_NEED_MORE: feed the next chunk.
 *   H2F_ERR_PROTOCOL / H2F_ERR_LIMIT / H2F_ERR_NOMEM with err->scope
 *   H2F_SCOPE_STREAM: send RST_STREAM(err->stream_id, err->code); the reader
 *     already treats the stream as reset by us, and reading goes on. A
 *     stream that had events then gets H2F_EV_END with H2F_END_ERROR.
 *   ... with H2F_SCOPE_CONNECTION: send GOAWAY(err->code); sticky.
 * Every stream whose first event was returned gets exactly one H2F_EV_END,
 * unless the connection fails first or h2f_conn_local_reset forgets it.
 * A RST_STREAM that ends a stream's life always reaches the application:
 * as that H2F_EV_END (H2F_END_RESET) while the peer's side is open, as
 * H2F_EV_RESET after it (one per stream; a second RST_STREAM, or one on a
 * stream we reset, is an H2F_EV_FRAME). err must not be NULL.
 */
h2f_status h2f_conn_next(h2f_conn *c, h2f_event *ev, h2f_error *err);

/* We sent SETTINGS with these entries: they apply (HEADER_TABLE_SIZE,
 * MAX_FRAME_SIZE, MAX_CONCURRENT_STREAMS, MAX_HEADER_LIST_SIZE,
 * ENABLE_PUSH, ENABLE_CONNECT_PROTOCOL) when the peer's ACK is read, in order (RFC 9113 §6.5.3).
 * H2F_ERR_LIMIT with 4 unacknowledged; H2F_ERR_INVALID_ARGUMENT for values
 * above what init sized for. */
h2f_status h2f_conn_local_settings(h2f_conn *c, const h2f_setting *list, size_t n);

/* Client: we sent HEADERS opening stream_id (odd, increasing); responses
 * on it are then accepted. Server: we promised stream_id (even,
 * increasing). Observer: the other direction opened stream_id (its reader
 * saw the request's HEADERS): what this direction sends on it is a response
 * (with H2F_LOCAL_HEAD, one without content), never counted against
 * MAX_CONCURRENT_STREAMS. H2F_ERR_INVALID_ARGUMENT for an id out of order,
 * of the sender's own parity (observer; before the first octets with
 * H2F_SENDER_DETECT: name the sender), or above the last stream id of a
 * GOAWAY from the peer (§6.8: no new streams); H2F_ERR_LIMIT when the
 * reader holds as many streams as it can.
 * flags: H2F_LOCAL_END_STREAM (our side is already done),
 * H2F_LOCAL_HEAD (a HEAD request: the response has no content, §8.1.1). */
#define H2F_LOCAL_END_STREAM 0x1u
#define H2F_LOCAL_HEAD 0x2u
h2f_status h2f_conn_local_open(h2f_conn *c, uint32_t stream_id, unsigned flags);
/* We sent END_STREAM on stream_id (matters with track_local). */
h2f_status h2f_conn_local_close(h2f_conn *c, uint32_t stream_id);
/* We sent RST_STREAM on stream_id: it is forgotten (no H2F_EV_END) and the
 * frames the peer had in flight are dropped (§5.4.2).
 * H2F_ERR_INVALID_ARGUMENT for an idle stream (§6.4). */
h2f_status h2f_conn_local_reset(h2f_conn *c, uint32_t stream_id);
/* Observer: the other direction sent RST_STREAM(error_code) on stream_id
 * (its reader gave H2F_EV_END with H2F_END_RESET, or H2F_EV_RESET). The
 * stream is closed for both sides (§5.1): it no longer counts against
 * MAX_CONCURRENT_STREAMS, and when the reader's pool is full it is let go
 * first (its H2F_EV_END, H2F_END_RESET with that code, if it had events).
 * Until then the frames its sender had in flight (§5.4.2) are still
 * reported. H2F_ERR_INVALID_ARGUMENT in the other roles. */
h2f_status h2f_conn_other_reset(h2f_conn *c, uint32_t stream_id, uint32_t error_code);

/* Streams the reader holds (open or awaiting our side), and of those the
 * ones the peer opened that count against MAX_CONCURRENT_STREAMS. */
size_t h2f_conn_stream_count(const h2f_conn *c);
size_t h2f_conn_peer_open(const h2f_conn *c);
/* The HPACK decoder, for tools (its table). */
const h2f_hpack_decoder *h2f_conn_hpack(const h2f_conn *c);
/* Stream offset of the frame the last event came from. */
uint64_t h2f_conn_frame_offset(const h2f_conn *c);

#ifdef __cplusplus
}
#endif

#endif /* H2FRAME_H */
