/*
 * h2frame.c — HTTP/2 frames: names, parsing, validation, serialization and
 * the incremental reader (RFC 9113 §3.4, §4, §6).
 *
 * Parsing is two-staged: the 9-octet header first (so an oversized frame is
 * refused before any of its payload is buffered), then one function per frame
 * type, named after its RFC section, that applies that section's rules and
 * fills a typed view pointing into the payload.
 */
#include "hpack_internal.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Names                                                                    */
/* ------------------------------------------------------------------------ */

const char *h2f_status_name(h2f_status s)
{
    switch (s) {
    case H2F_OK: return "OK";
    case H2F_NEED_MORE: return "NEED_MORE";
    case H2F_DONE: return "DONE";
    case H2F_ERR_PROTOCOL: return "ERR_PROTOCOL";
    case H2F_ERR_BUFFER_TOO_SMALL: return "ERR_BUFFER_TOO_SMALL";
    case H2F_ERR_LIMIT: return "ERR_LIMIT";
    case H2F_ERR_INVALID_ARGUMENT: return "ERR_INVALID_ARGUMENT";
    case H2F_ERR_NOMEM: return "ERR_NOMEM";
    }
    return "UNKNOWN";
}

/* RFC 9113 §7, in wire order. */
static const char *const error_code_names[] = {
    "NO_ERROR",        "PROTOCOL_ERROR",  "INTERNAL_ERROR",    "FLOW_CONTROL_ERROR",
    "SETTINGS_TIMEOUT", "STREAM_CLOSED",  "FRAME_SIZE_ERROR",  "REFUSED_STREAM",
    "CANCEL",          "COMPRESSION_ERROR", "CONNECT_ERROR",   "ENHANCE_YOUR_CALM",
    "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
};

const char *h2f_error_code_name(uint32_t code)
{
    if (code < sizeof error_code_names / sizeof error_code_names[0])
        return error_code_names[code];
    return "UNKNOWN";
}

const char *h2f_scope_name(h2f_scope s)
{
    switch (s) {
    case H2F_SCOPE_NONE: return "none";
    case H2F_SCOPE_STREAM: return "stream";
    case H2F_SCOPE_CONNECTION: return "connection";
    }
    return "UNKNOWN";
}

/* RFC 9113 §6, indexed by type code. */
static const char *const frame_type_names[] = {
    "DATA", "HEADERS", "PRIORITY", "RST_STREAM", "SETTINGS",
    "PUSH_PROMISE", "PING", "GOAWAY", "WINDOW_UPDATE", "CONTINUATION",
};

const char *h2f_frame_type_name(uint8_t type)
{
    if (type < sizeof frame_type_names / sizeof frame_type_names[0])
        return frame_type_names[type];
    return NULL;
}

const char *h2f_setting_name(uint16_t id)
{
    switch (id) {
    case H2F_SETTINGS_HEADER_TABLE_SIZE: return "HEADER_TABLE_SIZE";
    case H2F_SETTINGS_ENABLE_PUSH: return "ENABLE_PUSH";
    case H2F_SETTINGS_MAX_CONCURRENT_STREAMS: return "MAX_CONCURRENT_STREAMS";
    case H2F_SETTINGS_INITIAL_WINDOW_SIZE: return "INITIAL_WINDOW_SIZE";
    case H2F_SETTINGS_MAX_FRAME_SIZE: return "MAX_FRAME_SIZE";
    case H2F_SETTINGS_MAX_HEADER_LIST_SIZE: return "MAX_HEADER_LIST_SIZE";
    case H2F_SETTINGS_ENABLE_CONNECT_PROTOCOL: return "ENABLE_CONNECT_PROTOCOL";
    case H2F_SETTINGS_NO_RFC7540_PRIORITIES: return "NO_RFC7540_PRIORITIES";
    }
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Octet helpers: network byte order (RFC 9113 §4.1)                         */
/* ------------------------------------------------------------------------ */

static uint32_t get24(const uint8_t *p) { return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]; }
static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
/* A 31-bit field behind a reserved (or E) bit. */
static uint32_t get31(const uint8_t *p) { return get32(p) & H2F_MAX_STREAM_ID; }

static uint8_t *put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; return p + 2; }
static uint8_t *put24(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 16); return put16(p + 1, v); }
static uint8_t *put32(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 24); return put24(p + 1, v); }
static uint8_t *put_bytes(uint8_t *p, h2f_bytes b)
{
    if (b.len)
        memcpy(p, b.ptr, b.len);
    return p + b.len;
}

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */
/* ------------------------------------------------------------------------ */

static h2f_status fail(h2f_error *err, const h2f_frame_header *hd, h2f_error_code code,
                       h2f_scope scope, const char *reason)
{
    if (err) {
        err->status = H2F_ERR_PROTOCOL;
        err->code = code;
        err->scope = scope;
        err->offset = 0;
        err->frame_type = hd ? hd->type : 0;
        err->stream_id = hd ? hd->stream_id : 0;
        err->length = hd ? hd->length : 0;
        err->limit = 0;
        err->reason = reason;
    }
    return H2F_ERR_PROTOCOL;
}

#define CONN H2F_SCOPE_CONNECTION
#define STREAM H2F_SCOPE_STREAM

/* ------------------------------------------------------------------------ */
/* Frame header, RFC 9113 §4.1                                              */
/* ------------------------------------------------------------------------ */

h2f_status h2f_frame_header_decode(const uint8_t *buf, size_t len, h2f_frame_header *hd)
{
    if (!hd || (!buf && len))
        return H2F_ERR_INVALID_ARGUMENT;
    if (len < H2F_FRAME_HEADER_LEN)
        return H2F_NEED_MORE;
    hd->length = get24(buf);
    hd->type = buf[3];
    hd->flags = buf[4];
    /* "The semantics of this bit are undefined, and the bit MUST remain unset
     * (0x00) when sending and MUST be ignored when receiving." */
    hd->stream_id = get31(buf + 5);
    return H2F_OK;
}

h2f_status h2f_frame_header_encode(const h2f_frame_header *hd, uint8_t out[9])
{
    uint8_t *p;
    if (!hd || !out || hd->length > H2F_MAX_MAX_FRAME_SIZE || hd->stream_id > H2F_MAX_STREAM_ID)
        return H2F_ERR_INVALID_ARGUMENT;
    p = put24(out, hd->length);
    *p++ = hd->type;
    *p++ = hd->flags;
    put32(p, hd->stream_id); /* reserved bit: 0 */
    return H2F_OK;
}

/* "An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame exceeds
 * the size defined in SETTINGS_MAX_FRAME_SIZE" (RFC 9113 §4.2). It is treated
 * as a connection error for every type, as nghttp2 and Go do: skipping an
 * oversized DATA frame would mean reading megabytes we promised not to take. */
static h2f_status check_frame_size(const h2f_frame_header *hd, uint32_t max_frame_size,
                                   h2f_error *err)
{
    if (hd->length > max_frame_size) {
        fail(err, hd, H2F_FRAME_SIZE_ERROR, CONN,
             "frame length exceeds SETTINGS_MAX_FRAME_SIZE (RFC 9113 §4.2)");
        if (err)
            err->limit = max_frame_size; /* the two sizes compared: length, limit */
        return H2F_ERR_PROTOCOL;
    }
    return H2F_OK;
}

/* ------------------------------------------------------------------------ */
/* Per-type parsers, RFC 9113 §6. Each gets the payload p[0..n), n = length. */
/* ------------------------------------------------------------------------ */

/* Pad Length handling shared by DATA (§6.1), HEADERS (§6.2) and PUSH_PROMISE
 * (§6.6). `fixed` is the size of the type's other fixed fields. On success,
 * *body and *body_len view what lies between the fixed fields and the padding. */
static h2f_status parse_padding(h2f_frame *f, const uint8_t *p, size_t n, size_t fixed,
                                const uint8_t **body, size_t *body_len, h2f_error *err)
{
    size_t pad_field = (f->hd.flags & H2F_FLAG_PADDED) ? 1 : 0;

    f->pad_length = 0;
    f->padding.ptr = NULL;
    f->padding.len = 0;
    /* A frame "too small to contain mandatory frame data" is a FRAME_SIZE_ERROR
     * (§4.2); all three types carry either a field block or connection flow
     * control, so it is a connection error. */
    if (n < pad_field + fixed)
        return fail(err, &f->hd, H2F_FRAME_SIZE_ERROR, CONN,
                    f->hd.type == H2F_DATA
                        ? "DATA frame too short for its Pad Length field (RFC 9113 §6.1)"
                        : f->hd.type == H2F_HEADERS
                              ? "HEADERS frame too short for its Pad Length and priority fields (RFC 9113 §6.2)"
                              : "PUSH_PROMISE frame too short for its Pad Length and Promised Stream ID (RFC 9113 §6.6)");
    if (pad_field) {
        f->pad_length = p[0];
        /* "If the length of the padding is the length of the frame payload or
         * greater, the recipient MUST treat this as a connection error of type
         * PROTOCOL_ERROR" (§6.1, §6.2, §6.6). Padding that would also eat
         * the priority fields or the Promised Stream ID is refused the same
         * way (RFC 7540's wording; PROTOCOL_ERROR "can always be used",
         * §5.4). */
        if (f->pad_length > n - pad_field - fixed)
            return fail(err, &f->hd, H2F_PROTOCOL_ERROR, CONN,
                        "padding as long as the payload left for it (RFC 9113 §6.1, §6.2, §6.6)");
        f->padding.ptr = p + n - f->pad_length;
        f->padding.len = f->pad_length;
    }
    *body = p + pad_field + fixed;
    *body_len = n - pad_field - fixed - f->pad_length;
    return H2F_OK;
}

static void read_priority(h2f_priority *pr, const uint8_t *p)
{
    pr->exclusive = (uint8_t)(p[0] >> 7);
    pr->stream_dependency = get31(p);
    pr->weight = p[4];
}

/* §6.1 DATA */
static h2f_status parse_data(h2f_frame *f, const uint8_t *p, size_t n, h2f_error *err)
{
    h2f_status st;

    /* "If a DATA frame is received whose Stream Identifier field is 0x00, the
     * recipient MUST respond with a connection error of type PROTOCOL_ERROR." */
    if (f->hd.stream_id == 0)
        return fail(err, &f->hd, H2F_PROTOCOL_ERROR, CONN,
                    "DATA frame on stream 0 (RFC 9113 §6.1)");
    st = parse_padding(f, p, n, 0, &f->data.data.ptr, &f->data.data.len, err);
    return st;
}

/* §6.2 HEADERS */
static h2f_status parse_headers(h2f_frame *f, const uint8_t *p, size_t n, h2f_error *err)
{
    size_t prio = (f->hd.flags & H2F_FLAG_PRIORITY) ? 5 : 0;
    h2f_status st;

    /* "If a HEADERS frame is received whose Stream Identifier field is 0x00,
     * the recipient MUST respond with a connection error of type
     * PROTOCOL_ERROR." */
    if (f->hd.stream_id == 0)
        return fail(err, &f->hd, H2F_PROTOCOL_ERROR, CONN,
                    "HEADERS frame on stream 0 (RFC 9113 §6.2)");
    st = parse_padding(f, p, n, prio, &f->headers.block.ptr, &f->headers.block.len, err);
    if (st != H2F_OK)
        return st;
    if (prio) {
        read_priority(&f->headers.priority, p + ((f->hd.flags & H2F_FLAG_PADDED) ? 1 : 0));
        /* "A stream cannot depend on itself. An endpoint MUST treat this as a
         * stream error of type PROTOCOL_ERROR" (RFC 7540 §5.3.1; RFC 9113
         * deprecates the scheme but keeps the fields). The frame is still
         * returned: its field block must be decoded (RFC 9113 §4.3). */
        if (f->headers.priority.stream_dependency == f->hd.stream_id)
            return fail(err, &f->hd, H2F_PROTOCOL_ERROR, STREAM,
                        "HEADERS priority makes the stream depend on itself (RFC 7540 §5.3.1)");
    }
    return H2F_OK;
}

/* §6.3 PRIORITY */
static h2f_status parse_priority(h2f_frame *f, const uint8_t *p, size_t n, h2f_error *err)
{
    /* "If a PRIORITY frame is received with a stream identifier of 0x00, the
     * recipient MUST respond with a connection error of type PROTOCOL_ERROR." */
    if (f->hd.stream_id == 0)
        return fail(err, &f->hd, H2F_PROTOCOL_ERROR, CONN,
                    "PRIORITY frame on stream 0 (RFC 9113 §6.3)");
    /* "A PRIORITY frame with a length other than 5 octets MUST be treated as a
     * stream error of type FRAME_SIZE_ERROR." */
    if (n != 5)
        return fail(err, &f->hd, H2F_FRAME_SIZE_ERROR, STREAM,
                    "PRIORITY payload must be 5 octets (RFC 9113 §6.3)");
    read_priority(&f->priority.priority, p);
    if (f->priority.priority.stream_dependency == f->hd.stream_id)
        return fail(err, &f->hd, H2F_PROTOCOL_ERROR, STREAM,
                    "PRIORITY makes the stream depend on itself (RFC 7540 §5.3.1)");
    return H2F_OK;
}

/* §6.4 RST_STREAM */
static h2f_status parse_rst_stream(h2f_frame *f, const uint8_t *p, size_t n, h2f_error *err)
{
    /* "If a RST_STREAM frame is received with a stream identifier of 0x00, the
     * recipient MUST treat this as a connection error of type PROTOCOL_ERROR." */
    if (f->hd.stream_id == 0)
        return fail(err, &f->hd, H2F_PROTOCOL_ERROR, CONN,
                    "RST_STREAM frame on stream 0 (RFC 9113 §6.4)");
    /* "A RST_STREAM frame with a length other than 4 octets MUST be treated as
     * a connection error of type FRAME_SIZE_ERROR." */
    if (n != 4)
        return fail(err, &f->hd, H2F_FRAME_SIZE_ERROR, CONN,
                    "RST_STREAM payload must be 4 octets (RFC 9113 §6.4)");
    f->rst_stream.error_code = get32(p);
    return H2F_OK;
}

/* §6.5.2: the ranges of the defined settings. Unknown ids "MUST be ignored". */
static h2f_status check_setting(const h2f_frame *f, uint16_t id, uint32_t v, h2f_error *err)
{
    switch (id) {
    case H2F_SETTINGS_ENABLE_PUSH:
        /* "Any value other than 0 or 1 MUST be treated as a connection error
         * of type PROTOCOL_ERROR." */
        if (v > 1)
            return fail(err, &f->hd, H2F_PROTOCOL_ERROR, CONN,
                        "SETTINGS_ENABLE_PUSH must be 0 or 1 (RFC 9113 §6.5.2)");
        break;
    case H2F_SETTINGS_INITIAL_WINDOW_SIZE:
        /* "Values above the maximum flow-control window size of 2^31-1 MUST be
         * treated as a connection error of type FLOW_CONTROL_ERROR." */
        if (v > H2F_MAX_WINDOW)
            return fail(err, &f->hd, H2F_FLOW_CONTROL_ERROR, CONN,
                        "SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1 (RFC 9113 §6.5.2)");
        break;
    case H2F_SETTINGS_MAX_FRAME_SIZE:
        /* "Values outside this range MUST be treated as a connection error of
         * type PROTOCOL_ERROR." */
        if (v < H2F_DEFAULT_MAX_FRAME_SIZE || v > H2F_MAX_MAX_FRAME_SIZE)
            return fail(err, &f->hd, H2F_PROTOCOL_ERROR, CONN,
                        "SETTINGS_MAX_FRAME_SIZE outside 16384..16777215 (RFC 9113 §6.5.2)");
        break;
    case H2F_SETTINGS_ENABLE_CONNECT_PROTOCOL:
        /* RFC 8441 §3: "The value of the parameter MUST be 0 or 1." */
        if (v > 1)
            return fail(err, &f->hd, H2F_PROTOCOL_ERROR, CONN,
                        "SETTINGS_ENABLE_CONNECT_PROTOCOL must be 0 or 1 (RFC 8441 §3)");
        break;
    case H2F_SETTINGS_NO_RFC7540_PRIORITIES:
        /* RFC 9218 §2.1: "A sender MUST NOT send a
         * SETTINGS_NO_RFC7540_PRIORITIES value other than 0 or 1. A receiver
         * MUST treat receipt of any other value as a connection error of type
         * PROTOCOL_ERROR." */
        if (v > 1)
            return fail(err, &f->hd, H2F_PROTOCOL_ERROR, CONN,
                        "SETTINGS_NO_RFC7540_PRIORITIES must be 0 or 1 (RFC 9218 §2.1)");
        break;
    default:
        break;
    }
    return H2F_OK;
}

/* §6.5 SETTINGS */
static h2f_status parse_settings(h2f_frame *f, const uint8_t *p, size_t n, h2f_error *err)
{
    size_t i;

    /* "If an endpoint receives a SETTINGS frame whose Stream Identifier field
     * is anything other than 0x00, the endpoint MUST respond with a connection
     * error of type PROTOCOL_ERROR." */
    if (f->hd.stream_id != 0)
        return fail(err, &f->hd, H2F_PROTOCOL_ERROR, CONN,
                    "SETTINGS frame on a stream other than 0 (RFC 9113 §6.5)");
    /* "Receipt of a SETTINGS frame with the ACK flag set and a length field
     * value other than 0 MUST be treated as a connection error of type
     * FRAME_SIZE_ERROR." */
    if ((f->hd.flags & H2F_FLAG_ACK) && n != 0)
        return fail(err, &f->hd, H2F_FRAME_SIZE_ERROR, CONN,
                    "SETTINGS with ACK must be empty (RFC 9113 §6.5)");
    /* "A SETTINGS frame with a length other than a multiple of 6 octets MUST
     * be treated as a connection error of type FRAME_SIZE_ERROR." */
    if (n % 6 != 0)
        return fail(err, &f->hd, H2F_FRAME_SIZE_ERROR, CONN,
                    "SETTINGS payload must be a multiple of 6 octets (RFC 9113 §6.5)");
    f->settings.entries.ptr = p;
    f->settings.entries.len = n;
    f->settings.count = n / 6;
    for (i = 0; i < n; i += 6) {
        h2f_status st = check_setting(f, (uint16_t)(p[i] << 8 | p[i + 1]), get32(p + i + 2), err);
        if (st != H2F_OK)
            return st;
    }
    return H2F_OK;
}

/* §6.6 PUSH_PROMISE */
static h2f_status parse_push_promise(h2f_frame *f, const uint8_t *p, size_t n, h2f_error *err)
{
    h2f_status st;

    /* "If the Stream Identifier field specifies the value 0x00, a recipient
     * MUST respond with a connection error of type PROTOCOL_ERROR." */
    if (f->hd.stream_id == 0)
        return fail(err, &f->hd, H2F_PROTOCOL_ERROR, CONN,
                    "PUSH_PROMISE frame on stream 0 (RFC 9113 §6.6)");
    st = parse_padding(f, p, n, 4, &f->push_promise.block.ptr, &f->push_promise.block.len, err);
    if (st != H2F_OK)
        return st;
    f->push_promise.promised_stream_id = get31(p + ((f->hd.flags & H2F_FLAG_PADDED) ? 1 : 0));
    /* "A receiver MUST treat the receipt of a PUSH_PROMISE that promises an
     * illegal stream identifier (Section 5.1.1) as a connection error of type
     * PROTOCOL_ERROR." Stream 0 is never legal; parity and order need state. */
    if (f->push_promise.promised_stream_id == 0)
        return fail(err, &f->hd, H2F_PROTOCOL_ERROR, CONN,
                    "PUSH_PROMISE promises stream 0 (RFC 9113 §6.6, §5.1.1)");
    return H2F_OK;
}

/* §6.7 PING */
static h2f_status parse_ping(h2f_frame *f, const uint8_t *p, size_t n, h2f_error *err)
{
    /* "If a PING frame is received with a Stream Identifier field value other
     * than 0x00, the recipient MUST respond with a connection error of type
     * PROTOCOL_ERROR." */
    if (f->hd.stream_id != 0)
        return fail(err, &f->hd, H2F_PROTOCOL_ERROR, CONN,
                    "PING frame on a stream other than 0 (RFC 9113 §6.7)");
    /* "Receipt of a PING frame with a length field value other than 8 MUST be
     * treated as a connection error of type FRAME_SIZE_ERROR." */
    if (n != 8)
        return fail(err, &f->hd, H2F_FRAME_SIZE_ERROR, CONN,
                    "PING payload must be 8 octets (RFC 9113 §6.7)");
    f->ping.opaque_data.ptr = p;
    f->ping.opaque_data.len = 8;
    return H2F_OK;
}

/* §6.8 GOAWAY */
static h2f_status parse_goaway(h2f_frame *f, const uint8_t *p, size_t n, h2f_error *err)
{
    /* "An endpoint MUST treat a GOAWAY frame with a stream identifier other
     * than 0x00 as a connection error of type PROTOCOL_ERROR." */
    if (f->hd.stream_id != 0)
        return fail(err, &f->hd, H2F_PROTOCOL_ERROR, CONN,
                    "GOAWAY frame on a stream other than 0 (RFC 9113 §6.8)");
    /* Last-Stream-ID and Error Code are mandatory: 8 octets (§4.2). */
    if (n < 8)
        return fail(err, &f->hd, H2F_FRAME_SIZE_ERROR, CONN,
                    "GOAWAY payload must be at least 8 octets (RFC 9113 §6.8)");
    f->goaway.last_stream_id = get31(p);
    f->goaway.error_code = get32(p + 4);
    f->goaway.debug_data.ptr = p + 8;
    f->goaway.debug_data.len = n - 8;
    return H2F_OK;
}

/* §6.9 WINDOW_UPDATE */
static h2f_status parse_window_update(h2f_frame *f, const uint8_t *p, size_t n, h2f_error *err)
{
    /* "A WINDOW_UPDATE frame with a length other than 4 octets MUST be treated
     * as a connection error of type FRAME_SIZE_ERROR." */
    if (n != 4)
        return fail(err, &f->hd, H2F_FRAME_SIZE_ERROR, CONN,
                    "WINDOW_UPDATE payload must be 4 octets (RFC 9113 §6.9)");
    f->window_update.window_size_increment = get31(p);
    /* "A receiver MUST treat the receipt of a WINDOW_UPDATE frame with a
     * flow-control window increment of 0 as a stream error of type
     * PROTOCOL_ERROR; errors on the connection flow-control window MUST be
     * treated as a connection error." */
    if (f->window_update.window_size_increment == 0)
        return fail(err, &f->hd, H2F_PROTOCOL_ERROR, f->hd.stream_id ? STREAM : CONN,
                    f->hd.stream_id ? "WINDOW_UPDATE increment of 0 on a stream (RFC 9113 §6.9)"
                                    : "WINDOW_UPDATE increment of 0 on the connection (RFC 9113 §6.9)");
    return H2F_OK;
}

/* §6.10 CONTINUATION */
static h2f_status parse_continuation(h2f_frame *f, const uint8_t *p, size_t n, h2f_error *err)
{
    /* "If a CONTINUATION frame is received with a Stream Identifier field of
     * 0x00, the recipient MUST respond with a connection error of type
     * PROTOCOL_ERROR." */
    if (f->hd.stream_id == 0)
        return fail(err, &f->hd, H2F_PROTOCOL_ERROR, CONN,
                    "CONTINUATION frame on stream 0 (RFC 9113 §6.10)");
    f->continuation.block.ptr = p;
    f->continuation.block.len = n;
    return H2F_OK;
}

typedef h2f_status (*payload_parser)(h2f_frame *, const uint8_t *, size_t, h2f_error *);

/* Indexed by type code, like the names above. */
static const payload_parser parsers[] = {
    parse_data,     parse_headers, parse_priority, parse_rst_stream,    parse_settings,
    parse_push_promise, parse_ping, parse_goaway,  parse_window_update, parse_continuation,
};

/* Stage two: the payload of a frame whose header is already in f->hd and
 * whose size was checked. Types not in RFC 9113 "MUST be ignored" (§4.1, §5.5):
 * they are returned with their raw payload. */
static h2f_status parse_payload(h2f_frame *f, const uint8_t *p, h2f_error *err)
{
    f->payload.ptr = p;
    f->payload.len = f->hd.length;
    f->pad_length = 0;
    f->padding.ptr = NULL;
    f->padding.len = 0;
    if (f->hd.type < sizeof parsers / sizeof parsers[0])
        return parsers[f->hd.type](f, p, f->hd.length, err);
    return H2F_OK;
}

h2f_status h2f_frame_parse(const uint8_t *buf, size_t len, uint32_t max_frame_size,
                           h2f_frame *f, size_t *consumed, h2f_error *err)
{
    h2f_status st;

    if (!f || !consumed || (!buf && len))
        return H2F_ERR_INVALID_ARGUMENT;
    memset(f, 0, sizeof *f);
    *consumed = H2F_FRAME_HEADER_LEN;
    st = h2f_frame_header_decode(buf, len, &f->hd);
    if (st != H2F_OK)
        return st;
    st = check_frame_size(&f->hd, max_frame_size, err);
    if (st != H2F_OK)
        return st;
    *consumed = H2F_FRAME_HEADER_LEN + (size_t)f->hd.length;
    if (len < *consumed)
        return H2F_NEED_MORE;
    return parse_payload(f, buf + H2F_FRAME_HEADER_LEN, err);
}

/* ------------------------------------------------------------------------ */
/* Finding frame boundaries again                                           */
/* ------------------------------------------------------------------------ */

/* Frames in a row that confirm a boundary: the candidate and the two after
 * it (the last one's header only). */
#define RESYNC_CHAIN 3

/* The flags each known type defines (RFC 9113 §6); others are "ignored"
 * (§4.1) but no implementation sends them. */
static const uint8_t defined_flags[] = {
    [H2F_DATA] = H2F_FLAG_END_STREAM | H2F_FLAG_PADDED,
    [H2F_HEADERS] = H2F_FLAG_END_STREAM | H2F_FLAG_END_HEADERS | H2F_FLAG_PADDED | H2F_FLAG_PRIORITY,
    [H2F_PRIORITY] = 0,
    [H2F_RST_STREAM] = 0,
    [H2F_SETTINGS] = H2F_FLAG_ACK,
    [H2F_PUSH_PROMISE] = H2F_FLAG_END_HEADERS | H2F_FLAG_PADDED,
    [H2F_PING] = H2F_FLAG_ACK,
    [H2F_GOAWAY] = 0,
    [H2F_WINDOW_UPDATE] = 0,
    [H2F_CONTINUATION] = H2F_FLAG_END_HEADERS,
};

/* Could a frame header start at p[0..9)? The rules one can check on the
 * header alone: R bit 0 (§4.1), length within max, flags the type
 * defines, stream 0 or not as the type requires (§6), the fixed lengths
 * (PRIORITY 5, RST_STREAM 4, PING 8, WINDOW_UPDATE 4, SETTINGS a multiple
 * of 6 and 0 with ACK, GOAWAY at least 8). An unknown type (§5.5) is
 * plausible with no flags. */
static int header_plausible(const uint8_t *p, uint32_t max)
{
    h2f_frame_header hd;
    if (p[5] & 0x80)
        return 0;
    h2f_frame_header_decode(p, H2F_FRAME_HEADER_LEN, &hd);
    if (hd.length > max)
        return 0;
    if (hd.type > H2F_CONTINUATION)
        return hd.flags == 0;
    if (hd.flags & ~defined_flags[hd.type])
        return 0;
    /* An empty frame is a run of zeros away from the octets around it:
     * taken only where senders send one (SETTINGS, the end of a body, of
     * a field block) */
    if (hd.length == 0 && hd.type != H2F_SETTINGS &&
        !(hd.type == H2F_DATA && (hd.flags & H2F_FLAG_END_STREAM)) &&
        !(hd.type == H2F_CONTINUATION && (hd.flags & H2F_FLAG_END_HEADERS)))
        return 0;
    switch (hd.type) {
    case H2F_SETTINGS:
        return hd.stream_id == 0 && hd.length % 6 == 0 &&
               !((hd.flags & H2F_FLAG_ACK) && hd.length);
    case H2F_PING:
        return hd.stream_id == 0 && hd.length == 8;
    case H2F_GOAWAY:
        return hd.stream_id == 0 && hd.length >= 8;
    case H2F_WINDOW_UPDATE:
        return hd.length == 4;
    case H2F_PRIORITY:
        return hd.stream_id != 0 && hd.length == 5;
    case H2F_RST_STREAM:
        return hd.stream_id != 0 && hd.length == 4;
    default: /* DATA, HEADERS, PUSH_PROMISE, CONTINUATION */
        return hd.stream_id != 0;
    }
}

/* The candidate itself must look like more than a few zeros and small
 * numbers: false candidates are mostly DATA (type 0) read across a frame
 * header or a payload rich in zeros, ending where a real frame begins. So
 * its type must be known, and DATA and HEADERS must be on an odd stream (a
 * client's: even ones are server push, which browsers have dropped) below
 * 2^24 (eight million requests on one connection). */
static int candidate_plausible(const uint8_t *p)
{
    uint32_t stream = get31(p + 5);
    if (p[3] > H2F_CONTINUATION)
        return 0;
    if (p[3] == H2F_DATA || p[3] == H2F_HEADERS)
        return (stream & 1) && stream < (1u << 24);
    return 1;
}

/* Does the chain of frames from p[0..n) confirm a boundary at p? Returns 1
 * (confirmed), 0 (not a boundary), -1 (the input ends first). Every whole
 * frame must also parse with no error at all (h2f_frame_parse), and a field
 * block left open must go on with CONTINUATION on its stream (§6.10). */
static int chain_confirms(const uint8_t *p, size_t n, uint32_t max, int last)
{
    size_t pos = 0;
    uint32_t open_block = 0; /* stream of a field block without END_HEADERS */
    int k;
    for (k = 0; k < RESYNC_CHAIN; k++) {
        h2f_frame f;
        size_t used;
        if (last && pos == n && (k > 1 || (k == 1 && n > H2F_FRAME_HEADER_LEN)))
            return 1; /* the input ends exactly after whole frames (not one
                         empty frame: nine octets prove little) */
        if (n - pos < H2F_FRAME_HEADER_LEN)
            return last ? 0 : -1;
        if (!header_plausible(p + pos, max) || (k == 0 && !candidate_plausible(p)))
            return 0;
        if (k > 0 && (open_block != 0) != (p[pos + 3] == H2F_CONTINUATION))
            return 0;
        if (k == RESYNC_CHAIN - 1)
            return open_block == 0 || (get31(p + pos + 5) == open_block);
        if (h2f_frame_parse(p + pos, n - pos, max, &f, &used, NULL) != H2F_OK)
            return n - pos < used && !last ? -1 : 0;
        if (open_block && f.hd.stream_id != open_block)
            return 0;
        if (f.hd.type == H2F_HEADERS || f.hd.type == H2F_PUSH_PROMISE ||
            f.hd.type == H2F_CONTINUATION)
            open_block = (f.hd.flags & H2F_FLAG_END_HEADERS) ? 0 : f.hd.stream_id;
        pos += used;
    }
    return 1;
}

h2f_status h2f_frame_resync(const uint8_t *p, size_t n, uint32_t max_frame_size, int last,
                            size_t *offset)
{
    size_t i;
    if (!offset || (!p && n))
        return H2F_ERR_INVALID_ARGUMENT;
    if (max_frame_size == 0)
        max_frame_size = H2F_DEFAULT_MAX_FRAME_SIZE;
    if (max_frame_size > H2F_MAX_MAX_FRAME_SIZE)
        return H2F_ERR_INVALID_ARGUMENT;
    for (i = 0; i < n; i++) {
        int r = chain_confirms(p + i, n - i, max_frame_size, last);
        if (r == 0)
            continue;
        *offset = i;
        return r > 0 ? H2F_OK : H2F_NEED_MORE;
    }
    *offset = n;
    return H2F_NEED_MORE;
}

h2f_setting h2f_settings_get(const h2f_frame *f, size_t i)
{
    h2f_setting s = {0, 0};
    if (f && f->hd.type == H2F_SETTINGS && i < f->settings.count &&
        i < f->settings.entries.len / 6) {
        const uint8_t *p = f->settings.entries.ptr + 6 * i;
        s.id = (uint16_t)(p[0] << 8 | p[1]);
        s.value = get32(p + 2);
    }
    return s;
}

/* ------------------------------------------------------------------------ */
/* Serialization                                                            */
/* ------------------------------------------------------------------------ */

/* Payload size of *f as it will be written, or SIZE_MAX if a field does not
 * fit its wire width. */
static size_t payload_size(const h2f_frame *f)
{
    size_t pad = (f->hd.flags & H2F_FLAG_PADDED) ? 1u + f->pad_length : 0;
    size_t var; /* the variable-length part */

    if ((f->hd.flags & H2F_FLAG_PADDED) && f->padding.ptr && f->padding.len != f->pad_length)
        return SIZE_MAX;
    switch (f->hd.type) {
    case H2F_DATA: var = f->data.data.len; break;
    case H2F_HEADERS: var = f->headers.block.len; break;
    case H2F_SETTINGS: var = f->settings.entries.len; break;
    case H2F_PUSH_PROMISE: var = f->push_promise.block.len; break;
    case H2F_GOAWAY: var = f->goaway.debug_data.len; break;
    case H2F_CONTINUATION: var = f->continuation.block.len; break;
    case H2F_PRIORITY: case H2F_RST_STREAM: case H2F_PING: case H2F_WINDOW_UPDATE:
        var = 0;
        break;
    default: var = f->payload.len; break;
    }
    /* Checked before any sum, so that no sum can wrap. */
    if (var > H2F_MAX_MAX_FRAME_SIZE)
        return SIZE_MAX;
    switch (f->hd.type) {
    case H2F_DATA:
        return pad + var;
    case H2F_HEADERS:
        if ((f->hd.flags & H2F_FLAG_PRIORITY) &&
            f->headers.priority.stream_dependency > H2F_MAX_STREAM_ID)
            return SIZE_MAX;
        return pad + ((f->hd.flags & H2F_FLAG_PRIORITY) ? 5u : 0u) + var;
    case H2F_PRIORITY:
        return f->priority.priority.stream_dependency > H2F_MAX_STREAM_ID ? SIZE_MAX : 5;
    case H2F_RST_STREAM:
        return 4;
    case H2F_SETTINGS:
        return var % 6 ? SIZE_MAX : var;
    case H2F_PUSH_PROMISE:
        if (f->push_promise.promised_stream_id > H2F_MAX_STREAM_ID)
            return SIZE_MAX;
        return pad + 4 + var;
    case H2F_PING:
        return f->ping.opaque_data.len == 8 ? 8 : SIZE_MAX;
    case H2F_GOAWAY:
        if (f->goaway.last_stream_id > H2F_MAX_STREAM_ID)
            return SIZE_MAX;
        return 8 + var;
    case H2F_WINDOW_UPDATE:
        return f->window_update.window_size_increment > H2F_MAX_WINDOW ? SIZE_MAX : 4;
    default:
        return var;
    }
}

static uint8_t *write_priority(uint8_t *p, const h2f_priority *pr)
{
    p = put32(p, pr->stream_dependency | (pr->exclusive ? 0x80000000u : 0));
    *p++ = pr->weight;
    return p;
}

static uint8_t *write_padding(uint8_t *p, const h2f_frame *f)
{
    if (!(f->hd.flags & H2F_FLAG_PADDED))
        return p;
    if (f->padding.ptr) {
        memcpy(p, f->padding.ptr, f->pad_length);
    } else {
        /* "Padding octets MUST be set to zero when sending." (§6.1) */
        memset(p, 0, f->pad_length);
    }
    return p + f->pad_length;
}

h2f_status h2f_frame_write(const h2f_frame *f, uint8_t *dst, size_t cap, size_t *written)
{
    size_t n;
    uint8_t *p;

    if (!f || !written || (!dst && cap))
        return H2F_ERR_INVALID_ARGUMENT;
    n = payload_size(f);
    if (n > H2F_MAX_MAX_FRAME_SIZE || f->hd.stream_id > H2F_MAX_STREAM_ID)
        return H2F_ERR_INVALID_ARGUMENT;
    *written = H2F_FRAME_HEADER_LEN + n;
    if (cap < *written)
        return H2F_ERR_BUFFER_TOO_SMALL;

    p = put24(dst, (uint32_t)n);
    *p++ = f->hd.type;
    *p++ = f->hd.flags;
    p = put32(p, f->hd.stream_id); /* reserved bit: 0 */
    if ((f->hd.flags & H2F_FLAG_PADDED) &&
        (f->hd.type == H2F_DATA || f->hd.type == H2F_HEADERS || f->hd.type == H2F_PUSH_PROMISE))
        *p++ = f->pad_length;

    switch (f->hd.type) {
    case H2F_DATA:
        p = write_padding(put_bytes(p, f->data.data), f);
        break;
    case H2F_HEADERS:
        if (f->hd.flags & H2F_FLAG_PRIORITY)
            p = write_priority(p, &f->headers.priority);
        p = write_padding(put_bytes(p, f->headers.block), f);
        break;
    case H2F_PRIORITY:
        p = write_priority(p, &f->priority.priority);
        break;
    case H2F_RST_STREAM:
        p = put32(p, f->rst_stream.error_code);
        break;
    case H2F_SETTINGS:
        p = put_bytes(p, f->settings.entries);
        break;
    case H2F_PUSH_PROMISE:
        p = put32(p, f->push_promise.promised_stream_id);
        p = write_padding(put_bytes(p, f->push_promise.block), f);
        break;
    case H2F_PING:
        p = put_bytes(p, f->ping.opaque_data);
        break;
    case H2F_GOAWAY:
        p = put32(p, f->goaway.last_stream_id);
        p = put32(p, f->goaway.error_code);
        p = put_bytes(p, f->goaway.debug_data);
        break;
    case H2F_WINDOW_UPDATE:
        p = put32(p, f->window_update.window_size_increment);
        break;
    case H2F_CONTINUATION:
        p = put_bytes(p, f->continuation.block);
        break;
    default:
        p = put_bytes(p, f->payload);
        break;
    }
    (void)p;
    return H2F_OK;
}

h2f_status h2f_settings_write(const h2f_setting *list, size_t n, uint8_t flags,
                              uint8_t *dst, size_t cap, size_t *written)
{
    h2f_frame_header hd;
    uint8_t *p;
    size_t i;

    if (!written || (!list && n) || (!dst && cap) || n > H2F_MAX_MAX_FRAME_SIZE / 6)
        return H2F_ERR_INVALID_ARGUMENT;
    *written = H2F_FRAME_HEADER_LEN + 6 * n;
    if (cap < *written)
        return H2F_ERR_BUFFER_TOO_SMALL;
    hd.length = (uint32_t)(6 * n);
    hd.type = H2F_SETTINGS;
    hd.flags = flags;
    hd.stream_id = 0;
    p = put24(dst, hd.length);
    *p++ = hd.type;
    *p++ = hd.flags;
    p = put32(p, 0);
    for (i = 0; i < n; i++)
        p = put32(put16(p, list[i].id), list[i].value);
    return H2F_OK;
}

/* ------------------------------------------------------------------------ */
/* The incremental reader                                                   */
/* ------------------------------------------------------------------------ */

static void *libc_alloc(size_t n, void *u) { (void)u; return malloc(n); }
static void *libc_realloc(void *p, size_t n, void *u) { (void)u; return realloc(p, n); }
static void libc_free(void *p, void *u) { (void)u; free(p); }

h2f_allocator h2f__allocator(const h2f_allocator *a)
{
    static const h2f_allocator libc = {libc_alloc, libc_realloc, libc_free, NULL};
    return a ? *a : libc;
}

int h2f__valid_max_frame_size(uint32_t v)
{
    return v >= H2F_DEFAULT_MAX_FRAME_SIZE && v <= H2F_MAX_MAX_FRAME_SIZE;
}

h2f_status h2f_reader_init(h2f_reader *r, const h2f_reader_options *opt,
                           const h2f_allocator *alloc)
{
    if (!r)
        return H2F_ERR_INVALID_ARGUMENT;
    memset(r, 0, sizeof *r);
    if (opt)
        r->opt = *opt;
    if (r->opt.max_frame_size == 0)
        r->opt.max_frame_size = H2F_DEFAULT_MAX_FRAME_SIZE;
    if (!h2f__valid_max_frame_size(r->opt.max_frame_size) || r->opt.preface > H2F_PREFACE_DETECT)
        return H2F_ERR_INVALID_ARGUMENT;
    r->alloc = h2f__allocator(alloc);
    if (!r->alloc.alloc || !r->alloc.free || !r->alloc.realloc)
        return H2F_ERR_INVALID_ARGUMENT;
    r->buf_cap = H2F_FRAME_HEADER_LEN + r->opt.max_frame_size;
    r->buf = r->alloc.alloc(r->buf_cap, r->alloc.user);
    if (!r->buf) {
        r->buf_cap = 0;
        return H2F_ERR_NOMEM;
    }
    return H2F_OK;
}

void h2f_reader_free(h2f_reader *r)
{
    if (r && r->buf) {
        r->alloc.free(r->buf, r->alloc.user);
        r->buf = NULL;
        r->buf_cap = 0;
    }
}

h2f_status h2f_reader_set_max_frame_size(h2f_reader *r, uint32_t max_frame_size)
{
    size_t need;

    if (!r || !r->buf || !h2f__valid_max_frame_size(max_frame_size))
        return H2F_ERR_INVALID_ARGUMENT;
    need = H2F_FRAME_HEADER_LEN + (size_t)max_frame_size;
    /* Never shrink: a frame being assembled was admitted under the old limit. */
    if (need > r->buf_cap) {
        uint8_t *nb = r->alloc.realloc(r->buf, need, r->alloc.user);
        if (!nb)
            return H2F_ERR_NOMEM;
        r->buf = nb;
        r->buf_cap = need;
    }
    r->opt.max_frame_size = max_frame_size;
    return H2F_OK;
}

h2f_status h2f_reader_feed(h2f_reader *r, const uint8_t *data, size_t len)
{
    if (!r || (!data && len) || r->in_pos < r->in_len)
        return H2F_ERR_INVALID_ARGUMENT;
    r->in = data;
    r->in_len = len;
    r->in_pos = 0;
    return H2F_OK;
}

uint64_t h2f_reader_offset(const h2f_reader *r)
{
    return r ? r->offset : 0;
}

uint64_t h2f_reader_frame_offset(const h2f_reader *r)
{
    return r ? r->frame_at : 0;
}

/* Records a connection error as sticky and returns it. */
static h2f_status reader_fail(h2f_reader *r, h2f_error *err, uint64_t at,
                              const h2f_frame_header *hd, h2f_error_code code,
                              const char *reason)
{
    fail(&r->err, hd, code, CONN, reason);
    r->err.offset = at;
    *err = r->err;
    return H2F_ERR_PROTOCOL;
}

/* RFC 9113 §3.4: the client preface, compared octet by octet as it arrives.
 * With H2F_PREFACE_DETECT an input that does not start with it is read as
 * frames from octet 0: the octets that matched so far are the start of the
 * first frame and go to the frame buffer. */
static h2f_status reader_preface(h2f_reader *r, h2f_error *err)
{
    while (r->preface_pos < H2F_PREFACE_LEN) {
        uint8_t c;
        if (r->in_pos == r->in_len)
            return H2F_NEED_MORE;
        c = r->in[r->in_pos];
        if (c != (uint8_t)H2F_PREFACE[r->preface_pos]) {
            if (r->opt.preface == H2F_PREFACE_DETECT) {
                memcpy(r->buf, H2F_PREFACE, r->preface_pos);
                r->buf_len = r->preface_pos;
                r->preface_pos = H2F_PREFACE_LEN;
                return H2F_OK;
            }
            return reader_fail(r, err, r->offset, NULL, H2F_PROTOCOL_ERROR,
                               "invalid client connection preface (RFC 9113 §3.4)");
        }
        r->preface_pos++;
        r->in_pos++;
        r->offset++;
    }
    r->preface_seen = 1;
    return H2F_OK;
}

/* Rules that need the previous frames, checked from the header alone. */
static h2f_status reader_sequence(h2f_reader *r, const h2f_frame_header *hd, uint64_t at,
                                  h2f_error *err)
{
    /* "The server connection preface consists of a potentially empty SETTINGS
     * frame (Section 6.5) that MUST be the first frame the server sends in the
     * HTTP/2 connection." The client's preface "MUST be followed by a
     * SETTINGS frame" (§3.4); a peer that does otherwise is not speaking
     * HTTP/2. An acknowledgement cannot be a preface: nothing was sent yet. */
    if (!r->seen_frame && !r->opt.allow_any_first_frame &&
        (hd->type != H2F_SETTINGS || (hd->flags & H2F_FLAG_ACK)))
        return reader_fail(r, err, at, hd, H2F_PROTOCOL_ERROR,
                           "first frame must be SETTINGS without ACK (RFC 9113 §3.4)");
    if (r->cont_stream) {
        /* "A HEADERS frame without the END_HEADERS flag set MUST be followed
         * by a CONTINUATION frame for the same stream. A receiver MUST treat
         * the receipt of any other type of frame or a frame on a different
         * stream as a connection error of type PROTOCOL_ERROR." (§6.2, §6.6) */
        if (hd->type != H2F_CONTINUATION || hd->stream_id != r->cont_stream)
            return reader_fail(r, err, at, hd, H2F_PROTOCOL_ERROR,
                               "field block not finished: only CONTINUATION on the same stream may follow (RFC 9113 §6.10)");
    } else if (hd->type == H2F_CONTINUATION) {
        /* "A CONTINUATION frame MUST be preceded by a HEADERS, PUSH_PROMISE or
         * CONTINUATION frame without the END_HEADERS flag set. A recipient
         * that observes violation of this rule MUST respond with a connection
         * error of type PROTOCOL_ERROR." (§6.10) */
        return reader_fail(r, err, at, hd, H2F_PROTOCOL_ERROR,
                           "CONTINUATION without an open field block (RFC 9113 §6.10)");
    }
    return H2F_OK;
}

/* Checks a complete frame at stream offset `at` and updates the sequencing
 * state. */
static h2f_status reader_frame(h2f_reader *r, const uint8_t *frame, uint64_t at, h2f_frame *f,
                               h2f_error *err)
{
    h2f_status st;

    memset(f, 0, sizeof *f);
    r->frame_at = at;
    r->piece_flags = H2F_PIECE_FIRST | H2F_PIECE_LAST;
    r->piece_octets = get24(frame);
    h2f_frame_header_decode(frame, H2F_FRAME_HEADER_LEN, &f->hd);
    st = reader_sequence(r, &f->hd, at, err);
    if (st != H2F_OK)
        return st;
    st = parse_payload(f, frame + H2F_FRAME_HEADER_LEN, err);
    if (st != H2F_OK) {
        err->offset = at;
        if (err->scope == CONN) {
            r->err = *err;
            return st;
        }
    }
    r->seen_frame = 1;
    if (f->hd.type == H2F_HEADERS || f->hd.type == H2F_PUSH_PROMISE ||
        f->hd.type == H2F_CONTINUATION)
        r->cont_stream = (f->hd.flags & H2F_FLAG_END_HEADERS) ? 0 : f->hd.stream_id;
    return st;
}

/* The header of the frame starting at stream offset `at` is known: refuse it
 * now if it is too large, before any payload is buffered. */
static h2f_status reader_header(h2f_reader *r, const uint8_t *p, uint64_t at,
                                h2f_frame_header *hd, h2f_error *err)
{
    h2f_frame_header_decode(p, H2F_FRAME_HEADER_LEN, hd);
    if (check_frame_size(hd, r->opt.max_frame_size, &r->err) != H2F_OK) {
        r->err.offset = at;
        *err = r->err;
        return H2F_ERR_PROTOCOL;
    }
    return H2F_OK;
}

unsigned h2f_reader_piece(const h2f_reader *r, uint32_t *octets)
{
    if (octets)
        *octets = r ? r->piece_octets : 0;
    return r ? r->piece_flags : 0;
}

/* Chunk used up: release it so the next feed is accepted. */
static h2f_status reader_release(h2f_reader *r)
{
    r->in = NULL;
    r->in_len = r->in_pos = 0;
    return H2F_NEED_MORE;
}

/* data_pieces: the header of a DATA frame at stream offset `at` is read and
 * its payload is not all here. Checked as far as the header allows (the
 * Pad Length comes with the first piece); the payload then goes out in
 * pieces from the chunks as they come. */
static h2f_status reader_begin_pieces(h2f_reader *r, const h2f_frame_header *hd, uint64_t at,
                                      h2f_error *err)
{
    h2f_status st = reader_sequence(r, hd, at, err);
    if (st != H2F_OK)
        return st;
    if (hd->stream_id == 0)
        return reader_fail(r, err, at, hd, H2F_PROTOCOL_ERROR, "DATA frame on stream 0 (RFC 9113 §6.1)");
    r->frame_at = at;
    r->piece_hd = *hd;
    r->piece_pos = 0;
    r->piece_left = hd->length;
    r->piece_pad = 0;
    r->in_piece = 1;
    return H2F_OK;
}

/* data_pieces: the next piece of the DATA frame being handed over. */
static h2f_status reader_piece(h2f_reader *r, h2f_frame *f, h2f_error *err)
{
    const uint8_t *p;
    size_t avail = r->in_len - r->in_pos, take, d0, d1, a, b;
    uint32_t len = r->piece_hd.length;
    int padded = (r->piece_hd.flags & H2F_FLAG_PADDED) != 0;

    if (avail == 0) /* (and r->in may be NULL: no input since the last piece) */
        return reader_release(r);
    p = r->in + r->in_pos;
    take = avail < r->piece_left ? avail : r->piece_left;
    if (padded && r->piece_pos == 0) {
        r->piece_pad = p[0];
        /* §6.1: "If the length of the padding is the length of the frame
         * payload or greater, the recipient MUST treat this as a connection
         * error of type PROTOCOL_ERROR." */
        if (r->piece_pad > len - 1)
            return reader_fail(r, err, r->frame_at, &r->piece_hd, H2F_PROTOCOL_ERROR,
                               "padding as long as the payload left for it (RFC 9113 §6.1, §6.2, §6.6)");
    }
    /* the data are payload octets [d0, d1); this piece is [piece_pos, +take) */
    d0 = padded ? 1 : 0;
    d1 = len - (padded ? r->piece_pad : 0);
    memset(f, 0, sizeof *f);
    f->hd = r->piece_hd;
    f->payload.ptr = p;
    f->payload.len = take;
    f->pad_length = r->piece_pad;
    a = r->piece_pos > d0 ? r->piece_pos : d0;
    b = r->piece_pos + take < d1 ? r->piece_pos + take : d1;
    if (b > a) {
        f->data.data.ptr = p + (a - r->piece_pos);
        f->data.data.len = b - a;
    }
    if (r->piece_pos + take > d1 && padded) {
        size_t from = r->piece_pos > d1 ? r->piece_pos : d1;
        f->padding.ptr = p + (from - r->piece_pos);
        f->padding.len = r->piece_pos + take - from;
    }
    r->piece_flags = r->piece_pos == 0 ? H2F_PIECE_FIRST : 0;
    r->piece_octets = (uint32_t)take;
    r->piece_pos += (uint32_t)take;
    r->piece_left -= (uint32_t)take;
    r->in_pos += take;
    r->offset += take;
    if (r->piece_left == 0) {
        r->piece_flags |= H2F_PIECE_LAST;
        r->in_piece = 0;
    }
    r->seen_frame = 1;
    return H2F_OK;
}

h2f_status h2f_reader_next(h2f_reader *r, h2f_frame *f, h2f_error *err)
{
    h2f_frame_header hd;
    h2f_status st;
    size_t avail, need, take;
    uint64_t at;

    if (!r || !f || !err || !r->buf)
        return H2F_ERR_INVALID_ARGUMENT;
    if (r->err.status != H2F_OK) {
        *err = r->err;
        return r->err.status;
    }
    if (r->opt.preface != H2F_PREFACE_NONE && r->preface_pos < H2F_PREFACE_LEN) {
        st = reader_preface(r, err);
        if (st != H2F_OK)
            return st;
    }
    if (r->in_piece)
        return reader_piece(r, f, err);
    avail = r->in_len - r->in_pos;

    /* Fast path: a whole frame in the chunk is parsed where it lies. */
    if (r->buf_len == 0 && avail >= H2F_FRAME_HEADER_LEN) {
        const uint8_t *p = r->in + r->in_pos;
        at = r->offset;
        st = reader_header(r, p, at, &hd, err);
        if (st != H2F_OK)
            return st;
        if (avail >= H2F_FRAME_HEADER_LEN + (size_t)hd.length) {
            r->in_pos += H2F_FRAME_HEADER_LEN + hd.length;
            r->offset += H2F_FRAME_HEADER_LEN + hd.length;
            return reader_frame(r, p, at, f, err);
        }
        if (r->opt.data_pieces && hd.type == H2F_DATA) {
            st = reader_begin_pieces(r, &hd, at, err);
            if (st != H2F_OK)
                return st;
            r->in_pos += H2F_FRAME_HEADER_LEN;
            r->offset += H2F_FRAME_HEADER_LEN;
            return reader_piece(r, f, err);
        }
    }

    /* Slow path: the chunk cuts a frame; gather it in r->buf. */
    at = r->offset - r->buf_len;
    if (r->buf_len >= H2F_FRAME_HEADER_LEN && !r->hd_checked) {
        /* octets that began like a preface (H2F_PREFACE_DETECT) */
        st = reader_header(r, r->buf, at, &hd, err);
        if (st != H2F_OK)
            return st;
        r->hd_checked = 1;
    }
    while (avail > 0) {
        if (r->buf_len < H2F_FRAME_HEADER_LEN) {
            need = H2F_FRAME_HEADER_LEN;
        } else {
            h2f_frame_header_decode(r->buf, H2F_FRAME_HEADER_LEN, &hd);
            need = H2F_FRAME_HEADER_LEN + hd.length;
        }
        take = need - r->buf_len < avail ? need - r->buf_len : avail;
        memcpy(r->buf + r->buf_len, r->in + r->in_pos, take);
        r->buf_len += take;
        r->in_pos += take;
        r->offset += take;
        avail -= take;
        if (r->buf_len >= H2F_FRAME_HEADER_LEN && !r->hd_checked) {
            st = reader_header(r, r->buf, at, &hd, err);
            if (st != H2F_OK)
                return st;
            r->hd_checked = 1;
        }
        if (r->opt.data_pieces && r->buf_len == H2F_FRAME_HEADER_LEN && r->buf[3] == H2F_DATA &&
            get24(r->buf) > 0) {
            /* the header alone is gathered; the payload is not copied */
            h2f_frame_header_decode(r->buf, H2F_FRAME_HEADER_LEN, &hd);
            r->buf_len = 0;
            r->hd_checked = 0;
            st = reader_begin_pieces(r, &hd, at, err);
            if (st != H2F_OK)
                return st;
            return reader_piece(r, f, err);
        }
        if (r->buf_len >= H2F_FRAME_HEADER_LEN &&
            r->buf_len == H2F_FRAME_HEADER_LEN + (size_t)get24(r->buf)) {
            r->buf_len = 0;
            r->hd_checked = 0;
            return reader_frame(r, r->buf, at, f, err);
        }
    }
    return reader_release(r);
}
