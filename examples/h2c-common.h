/*
 * h2c-common.h — what both example programs (h2c-server.c, h2c-client.c)
 * need around h2frame: an output buffer, one-line writers for the control
 * frames, the peer's SETTINGS and flow-control windows.
 *
 * Everything here is static: include it from one .c file. The parts marked
 * TODO(library) are what a program on h2frame has to hand-roll today and
 * the library should offer (see docs/examples.md).
 */
#ifndef H2C_COMMON_H
#define H2C_COMMON_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "h2frame.h"

/* A C string as a view, and a view compared with a C string. */
static h2f_bytes str_view(const char *s)
{
    h2f_bytes b = {(const uint8_t *)s, strlen(s)};
    return b;
}

static int bytes_eq(h2f_bytes b, const char *s)
{
    size_t n = strlen(s);
    return b.len == n && memcmp(b.ptr, s, n) == 0;
}

static h2f_header field(const char *name, const char *value)
{
    h2f_header h;
    h.name = str_view(name);
    h.value = str_view(value);
    h.flags = 0;
    return h;
}

/* The octets of a DATA frame that an event (H2F_EV_DATA, or H2F_EV_FRAME
 * for a DATA frame the reader dropped) accounts for in flow control, padding
 * included (§6.9.1). A reader that hands a DATA frame cut by the end of a
 * chunk over in pieces says so per piece (ev->flow); a frame's events add
 * up to its length. */
static uint32_t event_flow(const h2f_event *ev)
{
#ifdef H2F_PIECE_FIRST
    return ev->flow;
#else
    return ev->frame->hd.length; /* one event per DATA frame */
#endif
}

/* ---- the output buffer ---------------------------------------------------
 * Frames are written into one growing buffer per connection and sent when
 * the socket takes them; `off` is where the unsent part starts. */
struct obuf {
    uint8_t *p;
    size_t off, len, cap;
};

/* Room for n more octets at the end (NULL when out of memory). */
static uint8_t *ob_reserve(struct obuf *b, size_t n)
{
    if (b->off && b->off + b->len + n > b->cap) { /* slide the unsent part down */
        memmove(b->p, b->p + b->off, b->len);
        b->off = 0;
    }
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 65536;
        uint8_t *p;
        while (cap < b->len + n)
            cap *= 2;
        if (!(p = realloc(b->p, cap)))
            return NULL;
        b->p = p;
        b->cap = cap;
    }
    return b->p + b->off + b->len;
}

/* Sends what the socket takes now. -1 on a socket error, else 0. */
static int ob_flush(struct obuf *b, int fd)
{
    while (b->len) {
        ssize_t n = send(fd, b->p + b->off, b->len, MSG_NOSIGNAL);
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
        b->off += (size_t)n;
        b->len -= (size_t)n;
    }
    b->off = 0;
    return 0;
}

/* One frame of any type: h2f_frame_write tells the size when the room is
 * short, so ask, reserve, write. */
static int put_frame(struct obuf *b, const h2f_frame *f)
{
    size_t need = 0;
    uint8_t *p;
    if (h2f_frame_write(f, NULL, 0, &need) == H2F_ERR_INVALID_ARGUMENT)
        return -1;
    if (!(p = ob_reserve(b, need)) || h2f_frame_write(f, p, need, &need) != H2F_OK)
        return -1;
    b->len += need;
    return 0;
}

/* TODO(library): h2f_write_window_update/_rst_stream/_goaway/_ping, one call
 * per control frame, as h2f_settings_write is for SETTINGS. */
static int put_window_update(struct obuf *b, uint32_t stream_id, uint32_t increment)
{
    h2f_frame f;
    memset(&f, 0, sizeof f);
    f.hd.type = H2F_WINDOW_UPDATE;
    f.hd.stream_id = stream_id;
    f.window_update.window_size_increment = increment;
    return put_frame(b, &f);
}

static int put_rst_stream(struct obuf *b, uint32_t stream_id, uint32_t code)
{
    h2f_frame f;
    memset(&f, 0, sizeof f);
    f.hd.type = H2F_RST_STREAM;
    f.hd.stream_id = stream_id;
    f.rst_stream.error_code = code;
    return put_frame(b, &f);
}

static int put_goaway(struct obuf *b, uint32_t last_stream_id, uint32_t code, const char *debug)
{
    h2f_frame f;
    memset(&f, 0, sizeof f);
    f.hd.type = H2F_GOAWAY;
    f.goaway.last_stream_id = last_stream_id;
    f.goaway.error_code = code;
    f.goaway.debug_data = str_view(debug ? debug : "");
    return put_frame(b, &f);
}

static int put_ping(struct obuf *b, const uint8_t opaque[8], int ack)
{
    h2f_frame f;
    memset(&f, 0, sizeof f);
    f.hd.type = H2F_PING;
    f.hd.flags = ack ? H2F_FLAG_ACK : 0;
    f.ping.opaque_data.ptr = opaque;
    f.ping.opaque_data.len = 8;
    return put_frame(b, &f);
}

static int put_settings(struct obuf *b, const h2f_setting *list, size_t n, uint8_t flags)
{
    size_t need = H2F_FRAME_HEADER_LEN + 6 * n;
    uint8_t *p = ob_reserve(b, need);
    if (!p || h2f_settings_write(list, n, flags, p, need, &need) != H2F_OK)
        return -1;
    b->len += need;
    return 0;
}

static int put_headers(struct obuf *b, h2f_hpack_encoder *enc, const h2f_header *fields,
                       size_t n, uint32_t stream_id, uint32_t max_frame_size, int end_stream)
{
    h2f_headers_options o;
    size_t need;
    uint8_t *p;
    memset(&o, 0, sizeof o);
    o.stream_id = stream_id;
    o.max_frame_size = max_frame_size;
    o.end_stream = (uint8_t)(end_stream != 0);
    need = h2f_write_headers_bound(enc, fields, n, &o);
    if (!(p = ob_reserve(b, need)) || h2f_write_headers(enc, fields, n, &o, p, need, &need) != H2F_OK)
        return -1;
    b->len += need;
    return 0;
}

static int put_data(struct obuf *b, uint32_t stream_id, const uint8_t *data, size_t len,
                    int end_stream, uint32_t max_frame_size)
{
    size_t need = 0;
    uint8_t *p;
    if (h2f_write_data(stream_id, data, len, end_stream, max_frame_size, NULL, 0, &need) ==
        H2F_ERR_INVALID_ARGUMENT)
        return -1;
    if (!(p = ob_reserve(b, need)) || h2f_write_data(stream_id, data, len, end_stream, max_frame_size, p, need, &need) != H2F_OK)
        return -1;
    b->len += need;
    return 0;
}

/* ---- the peer's SETTINGS (RFC 9113 §6.5.2) -------------------------------
 * TODO(library): h2f_peer_settings + h2f_peer_settings_apply(ps, frame,
 * &window_delta): every program keeps these values and walks the entries
 * the same way. The frame parser has already checked the values' ranges. */
struct peer_settings {
    uint32_t header_table_size;      /* for our HPACK encoder */
    uint32_t max_concurrent_streams; /* streams we may open */
    uint32_t initial_window_size;    /* of our send windows */
    uint32_t max_frame_size;         /* of the frames we send */
};

static void peer_settings_init(struct peer_settings *ps)
{
    ps->header_table_size = H2F_HPACK_DEFAULT_TABLE_SIZE;
    ps->max_concurrent_streams = UINT32_MAX; /* "initially, there is no limit" */
    ps->initial_window_size = 65535;
    ps->max_frame_size = H2F_DEFAULT_MAX_FRAME_SIZE;
}

/* Applies a SETTINGS frame (not an ACK) and returns the change of
 * INITIAL_WINDOW_SIZE, which §6.9.2 applies to every stream's send window. */
static int64_t peer_settings_apply(struct peer_settings *ps, const h2f_frame *f,
                                   h2f_hpack_encoder *enc)
{
    int64_t delta = 0;
    size_t i;
    for (i = 0; i < f->settings.count; i++) {
        h2f_setting s = h2f_settings_get(f, i);
        switch (s.id) {
        case H2F_SETTINGS_HEADER_TABLE_SIZE:
            ps->header_table_size = s.value;
            h2f_hpack_encoder_set_peer_table_size(enc, s.value);
            break;
        case H2F_SETTINGS_MAX_CONCURRENT_STREAMS:
            ps->max_concurrent_streams = s.value;
            break;
        case H2F_SETTINGS_INITIAL_WINDOW_SIZE:
            delta += (int64_t)s.value - ps->initial_window_size;
            ps->initial_window_size = s.value;
            break;
        case H2F_SETTINGS_MAX_FRAME_SIZE:
            ps->max_frame_size = s.value;
            break;
        default: /* ENABLE_PUSH, MAX_HEADER_LIST_SIZE (advisory), unknown: ignored (§6.5.2) */
            break;
        }
    }
    return delta;
}

/* ---- flow control (RFC 9113 §5.2, §6.9) ----------------------------------
 * TODO(library): h2f_recv_window / h2f_send_window with these four
 * operations; every endpoint needs exactly this bookkeeping.
 *
 * A receive window: what the peer may still send (`window`), and octets the
 * application has consumed but not yet given back (`consumed`). We give
 * them back in one WINDOW_UPDATE once half of `size` is consumed, so a
 * steady stream costs one WINDOW_UPDATE per half window, not one per frame. */
struct recv_window {
    int64_t window;
    uint32_t size, consumed;
};

static void recv_window_init(struct recv_window *w, uint32_t size)
{
    w->window = size;
    w->size = size;
    w->consumed = 0;
}

/* A flow-controlled frame of `length` octets (padding included) arrived.
 * -1: the peer sent more than the window allowed (FLOW_CONTROL_ERROR). */
static int recv_window_take(struct recv_window *w, uint32_t length)
{
    if ((int64_t)length > w->window)
        return -1;
    w->window -= length;
    return 0;
}

/* The application consumed n octets: the increment to send now, or 0. */
static uint32_t recv_window_consume(struct recv_window *w, size_t n)
{
    uint32_t inc;
    w->consumed += (uint32_t)n;
    if (w->consumed < w->size / 2 || w->consumed == 0)
        return 0;
    inc = w->consumed;
    w->window += inc;
    w->consumed = 0;
    return inc;
}

/* A send window grows by WINDOW_UPDATE; §6.9.1: "A sender MUST NOT allow a
 * flow-control window to exceed 2^31-1 octets" — beyond, FLOW_CONTROL_ERROR.
 * -1 then. (SETTINGS may take it below zero, §6.9.2.) */
static int send_window_update(int64_t *window, uint32_t increment)
{
    if (*window + increment > (int64_t)H2F_MAX_WINDOW)
        return -1;
    *window += increment;
    return 0;
}

#endif /* H2C_COMMON_H */
