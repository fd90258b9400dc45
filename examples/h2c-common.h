/*
 * h2c-common.h — what both example programs (h2c-server.c, h2c-client.c)
 * need around h2frame: an output buffer, one-line writers for the control
 * frames, the peer's SETTINGS and flow-control windows.
 *
 * Everything here is static: include it from one .c file. The parts marked
 * (What every program had to hand-roll here — control-frame writers, the
 * peer's SETTINGS, flow-control windows — is now library API.)
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

/* The octets of a DATA frame an event or error accounts for in flow
 * control (a frame cut by the input comes in several events). */
static uint32_t event_flow(const h2f_event *ev)
{
    return ev->flow;
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

/* The control frames, written by the library straight into the buffer. */
#define PUT_FRAME(b, size, call)                                                  \
    do {                                                                          \
        size_t w_;                                                                \
        uint8_t *p_ = ob_reserve((b), (size));                                    \
        if (!p_ || (call) != H2F_OK)                                              \
            return -1;                                                            \
        (b)->len += w_;                                                           \
    } while (0)

static int put_window_update(struct obuf *b, uint32_t stream_id, uint32_t increment)
{
    PUT_FRAME(b, 13, h2f_write_window_update(stream_id, increment, p_, 13, &w_));
    return 0;
}

static int put_rst_stream(struct obuf *b, uint32_t stream_id, uint32_t code)
{
    PUT_FRAME(b, 13, h2f_write_rst_stream(stream_id, code, p_, 13, &w_));
    return 0;
}

static int put_goaway(struct obuf *b, uint32_t last_stream_id, uint32_t code, const char *debug)
{
    size_t n = debug ? strlen(debug) : 0;
    PUT_FRAME(b, 17 + n, h2f_write_goaway(last_stream_id, code, (const uint8_t *)debug, n, p_, 17 + n, &w_));
    return 0;
}

static int put_ping(struct obuf *b, const uint8_t opaque[8], int ack)
{
    PUT_FRAME(b, 17, h2f_write_ping(opaque, ack, p_, 17, &w_));
    return 0;
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
 * h2f_peer_settings keeps them; our HPACK encoder hears of every
 * HEADER_TABLE_SIZE in order (RFC 7541 §4.2 wants the smallest too).
 * Returns the change of INITIAL_WINDOW_SIZE (§6.9.2). */
static int64_t peer_settings_apply(h2f_peer_settings *ps, const h2f_frame *f,
                                   h2f_hpack_encoder *enc)
{
    int64_t delta = 0;
    size_t i;
    h2f_peer_settings_apply(ps, f, &delta);
    for (i = 0; i < f->settings.count; i++) {
        h2f_setting s = h2f_settings_get(f, i);
        if (s.id == H2F_SETTINGS_HEADER_TABLE_SIZE)
            h2f_hpack_encoder_set_peer_table_size(enc, s.value);
    }
    return delta;
}

#endif /* H2C_COMMON_H */
