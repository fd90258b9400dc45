/*
 * stream.c — what an endpoint sends on streams: header blocks framed as
 * HEADERS plus CONTINUATION (RFC 9113 §4.3, §6.2, §6.10), bodies as DATA
 * frames (§6.1), control frames; and the bookkeeping of what it may send
 * and receive: the peer's SETTINGS (§6.5.2) and flow-control windows
 * (§5.2, §6.9).
 */
#include "hpack_internal.h"

#include <string.h>

static void frame_header(uint8_t *p, size_t len, uint8_t type, uint8_t flags, uint32_t stream)
{
    h2f_frame_header hd;
    hd.length = (uint32_t)len;
    hd.type = type;
    hd.flags = flags;
    hd.stream_id = stream;
    h2f_frame_header_encode(&hd, p); /* arguments checked by the callers */
}

static uint32_t frame_size(uint32_t max_frame_size)
{
    return max_frame_size ? max_frame_size : H2F_DEFAULT_MAX_FRAME_SIZE;
}

/* The HEADERS frame's fixed fields before the fragment, and its padding. */
static size_t headers_prefix(const h2f_headers_options *o)
{
    return (o->padded ? 1u : 0u) + (o->priority ? 5u : 0u);
}

/* Frames for a block of `block` octets: the HEADERS frame holds
 * first_room of them, each CONTINUATION up to max. */
static size_t frames_for(size_t block, size_t first_room, size_t max)
{
    return block <= first_room ? 1 : 1 + (block - first_room + max - 1) / max;
}

size_t h2f_write_headers_bound(const h2f_hpack_encoder *e, const h2f_header *fields, size_t n,
                               const h2f_headers_options *o)
{
    size_t max, block, pad, first_room;
    if (!e || !o || !h2f__valid_max_frame_size(frame_size(o->max_frame_size)))
        return SIZE_MAX;
    max = frame_size(o->max_frame_size);
    block = h2f_hpack_encode_bound(e, fields, n);
    if (block == SIZE_MAX)
        return SIZE_MAX;
    pad = o->padded ? o->pad_length : 0;
    first_room = max - headers_prefix(o) - pad;
    return block + headers_prefix(o) + pad + H2F_FRAME_HEADER_LEN * frames_for(block, first_room, max);
}

h2f_status h2f_write_headers(h2f_hpack_encoder *e, const h2f_header *fields, size_t n,
                             const h2f_headers_options *o, uint8_t *dst, size_t cap,
                             size_t *written)
{
    size_t bound, prefix, pad, max, first_room, block, frames, k;
    uint8_t *p, flags;
    h2f_status st;

    if (!e || !o || !written || (!dst && cap) || o->stream_id == 0 ||
        o->stream_id > H2F_MAX_STREAM_ID || !h2f__valid_max_frame_size(frame_size(o->max_frame_size)) ||
        (o->priority && o->priority->stream_dependency > H2F_MAX_STREAM_ID))
        return H2F_ERR_INVALID_ARGUMENT;
    bound = h2f_write_headers_bound(e, fields, n, o);
    if (bound == SIZE_MAX)
        return H2F_ERR_INVALID_ARGUMENT;
    if (cap < bound) {
        *written = bound;
        return H2F_ERR_BUFFER_TOO_SMALL;
    }
    max = frame_size(o->max_frame_size);
    prefix = headers_prefix(o);
    pad = o->padded ? o->pad_length : 0;
    first_room = max - prefix - pad;

    /* The block is encoded where the HEADERS frame's fragment starts, then
     * cut: the fragments after the first move up (the last first, as they
     * only move forward) to make room for the CONTINUATION frame headers
     * and the HEADERS frame's padding. */
    st = h2f_hpack_encode(e, fields, n, dst + H2F_FRAME_HEADER_LEN + prefix,
                          cap - H2F_FRAME_HEADER_LEN - prefix, &block);
    if (st != H2F_OK)
        return st;
    frames = frames_for(block, first_room, max);
    for (k = frames - 1; k >= 1; k--) {
        size_t from = first_room + (k - 1) * max;
        size_t len = block - from < max ? block - from : max;
        uint8_t *to = dst + H2F_FRAME_HEADER_LEN + prefix + first_room + pad +
                      (k - 1) * (H2F_FRAME_HEADER_LEN + max);
        memmove(to + H2F_FRAME_HEADER_LEN, dst + H2F_FRAME_HEADER_LEN + prefix + from, len);
        frame_header(to, len, H2F_CONTINUATION, k == frames - 1 ? H2F_FLAG_END_HEADERS : 0,
                     o->stream_id);
    }

    /* The HEADERS frame: header, Pad Length, priority, fragment, padding. */
    {
        size_t frag = block < first_room ? block : first_room;
        flags = (uint8_t)((o->end_stream ? H2F_FLAG_END_STREAM : 0) |
                          (frames == 1 ? H2F_FLAG_END_HEADERS : 0) |
                          (o->padded ? H2F_FLAG_PADDED : 0) | (o->priority ? H2F_FLAG_PRIORITY : 0));
        frame_header(dst, prefix + frag + pad, H2F_HEADERS, flags, o->stream_id);
        p = dst + H2F_FRAME_HEADER_LEN;
        if (o->padded)
            *p++ = o->pad_length;
        if (o->priority) {
            uint32_t dep = o->priority->stream_dependency | (o->priority->exclusive ? 0x80000000u : 0);
            p[0] = (uint8_t)(dep >> 24);
            p[1] = (uint8_t)(dep >> 16);
            p[2] = (uint8_t)(dep >> 8);
            p[3] = (uint8_t)dep;
            p[4] = o->priority->weight;
            p += 5;
        }
        /* "Padding octets MUST be set to zero when sending." (§6.1) */
        memset(p + frag, 0, pad);
    }
    *written = frames * H2F_FRAME_HEADER_LEN + prefix + pad + block;
    return H2F_OK;
}

h2f_status h2f_write_data(uint32_t stream_id, const uint8_t *data, size_t len, int end_stream,
                          uint32_t max_frame_size, uint8_t *dst, size_t cap, size_t *written)
{
    size_t max = frame_size(max_frame_size), frames, need, off = 0;
    uint8_t *p = dst;

    if (!written || (!data && len) || (!dst && cap) || stream_id == 0 ||
        stream_id > H2F_MAX_STREAM_ID || !h2f__valid_max_frame_size((uint32_t)max))
        return H2F_ERR_INVALID_ARGUMENT;
    frames = len ? (len - 1) / max + 1 : 1; /* len + max - 1 could wrap */
    if (frames > (SIZE_MAX - len) / H2F_FRAME_HEADER_LEN)
        return H2F_ERR_INVALID_ARGUMENT;
    need = len + frames * H2F_FRAME_HEADER_LEN;
    *written = need;
    if (cap < need)
        return H2F_ERR_BUFFER_TOO_SMALL;
    do {
        size_t n = len - off < max ? len - off : max;
        int last = off + n == len;
        frame_header(p, n, H2F_DATA, last && end_stream ? H2F_FLAG_END_STREAM : 0, stream_id);
        if (n)
            memcpy(p + H2F_FRAME_HEADER_LEN, data + off, n);
        p += H2F_FRAME_HEADER_LEN + n;
        off += n;
    } while (off < len);
    return H2F_OK;
}

/* ---- control frames ------------------------------------------------------ */

static h2f_frame control_frame(uint8_t type, uint32_t stream_id)
{
    h2f_frame f;
    memset(&f, 0, sizeof f);
    f.hd.type = type;
    f.hd.stream_id = stream_id;
    return f;
}

h2f_status h2f_write_window_update(uint32_t stream_id, uint32_t increment, uint8_t *dst, size_t cap,
                                   size_t *written)
{
    h2f_frame f = control_frame(H2F_WINDOW_UPDATE, stream_id);
    /* §6.9: the increment is 1 to 2^31-1 */
    if (increment == 0 || increment > H2F_MAX_WINDOW)
        return H2F_ERR_INVALID_ARGUMENT;
    f.window_update.window_size_increment = increment;
    return h2f_frame_write(&f, dst, cap, written);
}

h2f_status h2f_write_rst_stream(uint32_t stream_id, uint32_t error_code, uint8_t *dst, size_t cap,
                                size_t *written)
{
    h2f_frame f = control_frame(H2F_RST_STREAM, stream_id);
    if (stream_id == 0) /* §6.4: RST_STREAM is for a stream */
        return H2F_ERR_INVALID_ARGUMENT;
    f.rst_stream.error_code = error_code;
    return h2f_frame_write(&f, dst, cap, written);
}

h2f_status h2f_write_goaway(uint32_t last_stream_id, uint32_t error_code, const uint8_t *debug,
                            size_t debug_len, uint8_t *dst, size_t cap, size_t *written)
{
    h2f_frame f = control_frame(H2F_GOAWAY, 0);
    if (!debug && debug_len)
        return H2F_ERR_INVALID_ARGUMENT;
    f.goaway.last_stream_id = last_stream_id;
    f.goaway.error_code = error_code;
    f.goaway.debug_data.ptr = debug;
    f.goaway.debug_data.len = debug_len;
    return h2f_frame_write(&f, dst, cap, written);
}

h2f_status h2f_write_ping(const uint8_t opaque[8], int ack, uint8_t *dst, size_t cap, size_t *written)
{
    static const uint8_t zeros[8];
    h2f_frame f = control_frame(H2F_PING, 0);
    f.hd.flags = ack ? H2F_FLAG_ACK : 0;
    f.ping.opaque_data.ptr = opaque ? opaque : zeros;
    f.ping.opaque_data.len = 8;
    return h2f_frame_write(&f, dst, cap, written);
}

/* ---- the peer's SETTINGS (§6.5.2) ------------------------------------------ */

void h2f_peer_settings_init(h2f_peer_settings *ps)
{
    ps->header_table_size = H2F_HPACK_DEFAULT_TABLE_SIZE;
    ps->enable_push = 1;
    ps->max_concurrent_streams = UINT32_MAX;
    ps->initial_window_size = 65535;
    ps->max_frame_size = H2F_DEFAULT_MAX_FRAME_SIZE;
    ps->max_header_list_size = UINT32_MAX;
    ps->enable_connect_protocol = 0;
}

h2f_status h2f_peer_settings_apply(h2f_peer_settings *ps, const h2f_frame *f, int64_t *window_delta)
{
    int64_t delta = 0;
    size_t i;
    if (!ps || !f || f->hd.type != H2F_SETTINGS || (f->hd.flags & H2F_FLAG_ACK))
        return H2F_ERR_INVALID_ARGUMENT;
    /* "Each parameter in a SETTINGS frame replaces any existing value for
     * that parameter. Parameters are processed in the order in which they
     * appear" (§6.5.3) */
    for (i = 0; i < f->settings.count; i++) {
        h2f_setting st = h2f_settings_get(f, i);
        switch (st.id) {
        case H2F_SETTINGS_HEADER_TABLE_SIZE: ps->header_table_size = st.value; break;
        case H2F_SETTINGS_ENABLE_PUSH: ps->enable_push = st.value; break;
        case H2F_SETTINGS_MAX_CONCURRENT_STREAMS: ps->max_concurrent_streams = st.value; break;
        case H2F_SETTINGS_INITIAL_WINDOW_SIZE:
            delta += (int64_t)st.value - ps->initial_window_size;
            ps->initial_window_size = st.value;
            break;
        case H2F_SETTINGS_MAX_FRAME_SIZE: ps->max_frame_size = st.value; break;
        case H2F_SETTINGS_MAX_HEADER_LIST_SIZE: ps->max_header_list_size = st.value; break;
        case H2F_SETTINGS_ENABLE_CONNECT_PROTOCOL: ps->enable_connect_protocol = st.value; break;
        default: break; /* "An endpoint that receives a SETTINGS frame with any
                           unknown or unsupported identifier MUST ignore that setting." */
        }
    }
    if (window_delta)
        *window_delta = delta;
    return H2F_OK;
}

/* ---- flow control (§5.2, §6.9) ------------------------------------------- */

void h2f_recv_window_init(h2f_recv_window *w, uint32_t size)
{
    w->window = size;
    w->size = size;
    w->consumed = 0;
}

h2f_status h2f_recv_window_take(h2f_recv_window *w, uint32_t octets)
{
    if ((int64_t)octets > w->window)
        return H2F_ERR_PROTOCOL;
    w->window -= octets;
    return H2F_OK;
}

uint32_t h2f_recv_window_consume(h2f_recv_window *w, size_t octets)
{
    uint64_t consumed = (uint64_t)w->consumed + octets;
    uint32_t inc;
    /* never more back than was taken: the window stays within 2^31-1 */
    if (consumed > (uint64_t)w->size)
        consumed = w->size;
    w->consumed = (uint32_t)consumed;
    if (w->consumed == 0 || w->consumed < w->size / 2)
        return 0;
    inc = w->consumed;
    w->window += inc;
    w->consumed = 0;
    return inc;
}

void h2f_recv_window_resize(h2f_recv_window *w, uint32_t size)
{
    /* §6.9.2: "the receiver MUST adjust the size of all stream flow-control
     * windows that it maintains by the difference between the new value and
     * the old value" */
    w->window += (int64_t)size - w->size;
    w->size = size;
    if (w->consumed > size)
        w->consumed = size;
}

h2f_status h2f_send_window_update(int64_t *window, uint32_t increment)
{
    if (*window + (int64_t)increment > (int64_t)H2F_MAX_WINDOW)
        return H2F_ERR_PROTOCOL;
    *window += increment;
    return H2F_OK;
}
