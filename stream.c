/*
 * stream.c — HTTP/2 streams: header blocks framed as HEADERS plus
 * CONTINUATION (RFC 9113 §4.3, §6.2, §6.10) and bodies as DATA frames
 * (§6.1).
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
    frames = len ? (len + max - 1) / max : 1;
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
