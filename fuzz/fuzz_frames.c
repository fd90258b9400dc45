/*
 * fuzz_frames — the frame reader must give the same frames and the same
 * error whether the input comes whole or cut at fuzzer-chosen points, and
 * every frame that parses must serialize back to its own octets (reserved
 * bits aside). Aborts on any difference.
 *
 * With data_pieces (an option bit) a DATA frame cut by a chunk end comes
 * in pieces; the pieces of a frame must join up to the same data, and
 * account for its whole length.
 *
 * Input: byte 0 = options (max frame size, preface mode, first-frame
 * rule, data_pieces), byte 1 = a seed for the cut points, then the stream.
 * The stream is also searched for a frame boundary (h2f_frame_resync),
 * whole and cut at byte 1's 256ths.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h2frame.h"

typedef struct trace {
    char s[1 << 16];
    size_t len;
} trace;

static void add(trace *t, const char *fmt, unsigned long a, unsigned long b, unsigned long c)
{
    if (t->len < sizeof t->s - 64)
        t->len += (size_t)snprintf(t->s + t->len, sizeof t->s - t->len, fmt, a, b, c);
}

/* Serializes f again and compares with the octets it came from. */
static void round_trip(const h2f_frame *f)
{
    static uint8_t out[9 + (1 << 24)];
    size_t w;
    const uint8_t *orig = f->payload.ptr ? f->payload.ptr - 9 : NULL;
    if (h2f_frame_write(f, out, sizeof out, &w) != H2F_OK)
        abort();
    if (w != 9 + f->hd.length)
        abort();
    if (orig && w > 9 && memcmp(out + 9, orig + 9, w - 9) != 0) {
        /* reserved bits in the payload are written as 0 */
        size_t i;
        for (i = 9; i < w; i++) {
            uint8_t a = out[i], b = orig[i];
            int reserved = (f->hd.type == H2F_WINDOW_UPDATE && i == 9) ||
                           (f->hd.type == H2F_GOAWAY && i == 9) ||
                           (f->hd.type == H2F_PUSH_PROMISE &&
                            i == 9 + ((f->hd.flags & H2F_FLAG_PADDED) ? 1u : 0u));
            if (reserved ? (a & 0x7f) != (b & 0x7f) : a != b)
                abort();
        }
    }
}

static void run(const uint8_t *in, size_t n, const h2f_reader_options *o, uint32_t seed,
                int cut, trace *t)
{
    h2f_reader rd;
    size_t pos = 0;
    uint64_t data_hash = 14695981039346656037ull;
    uint32_t data_octets = 0;
    if (h2f_reader_init(&rd, o, NULL) != H2F_OK)
        abort();
    while (pos < n) {
        size_t k = n - pos;
        uint8_t *chunk;
        h2f_frame f;
        h2f_error e;
        h2f_status st;
        if (cut) {
            seed = seed * 1103515245u + 12345u;
            k = 1 + (seed >> 16) % (k < 64 ? k : 64);
        }
        chunk = malloc(k); /* exact size: ASan sees any over-read */
        memcpy(chunk, in + pos, k);
        h2f_reader_feed(&rd, chunk, k);
        pos += k;
        while ((st = h2f_reader_next(&rd, &f, &e)) != H2F_NEED_MORE) {
            if (st == H2F_OK && f.hd.type == H2F_DATA && o->data_pieces) {
                /* a DATA frame may come in pieces: their data join up, and
                 * their octets add up to the frame's length */
                uint32_t octets;
                unsigned piece = h2f_reader_piece(&rd, &octets);
                size_t i;
                for (i = 0; i < f.data.data.len; i++)
                    data_hash = (data_hash ^ f.data.data.ptr[i]) * 1099511628211ull;
                data_octets += octets;
                if (!(piece & H2F_PIECE_LAST))
                    continue;
                if (data_octets != f.hd.length)
                    abort();
                add(t, "D %lu %lu %lu\n", f.hd.length, (unsigned long)h2f_reader_frame_offset(&rd),
                    (unsigned long)data_hash);
                if (piece == (H2F_PIECE_FIRST | H2F_PIECE_LAST))
                    round_trip(&f);
                data_hash = 14695981039346656037ull;
                data_octets = 0;
                continue;
            }
            if (st == H2F_OK || (st == H2F_ERR_PROTOCOL && e.scope == H2F_SCOPE_STREAM)) {
                add(t, "F %lu %lu %lu\n", f.hd.type, f.hd.length, (unsigned long)h2f_reader_frame_offset(&rd));
                if (st == H2F_OK)
                    round_trip(&f);
                if (st == H2F_OK)
                    continue;
            }
            add(t, "E %lu %lu %lu\n", e.code, e.scope, (unsigned long)e.offset);
            if (e.scope == H2F_SCOPE_CONNECTION) {
                free(chunk);
                h2f_reader_free(&rd);
                return;
            }
        }
        free(chunk);
    }
    h2f_reader_free(&rd);
}

/* h2f_frame_resync: a boundary it finds starts a frame that parses; one it
 * confirms on a prefix of the input (not the last) is the one it finds on
 * the whole; and no candidate it rejected on the prefix comes back. */
static void resync_check(const uint8_t *p, size_t n, uint32_t max, size_t m)
{
    size_t off, off_pre, used;
    h2f_frame f;
    h2f_status st = h2f_frame_resync(p, n, max, 1, &off), pre;
    if (st == H2F_OK) {
        if (h2f_frame_parse(p + off, n - off, max, &f, &used, NULL) != H2F_OK)
            abort();
    } else if (st != H2F_NEED_MORE || off != n) {
        abort();
    }
    pre = h2f_frame_resync(p, m, max, 0, &off_pre);
    if (pre == H2F_OK && (st != H2F_OK || off != off_pre))
        abort();
    if (pre == H2F_NEED_MORE && off_pre > off)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static trace a, b;
    h2f_reader_options o;
    if (size < 2)
        return 0;
    o.max_frame_size = (data[0] & 3) == 3 ? H2F_MAX_MAX_FRAME_SIZE : 16384u << (data[0] & 3);
    o.preface = (h2f_preface_mode)((data[0] >> 2) % 3);
    o.allow_any_first_frame = (data[0] >> 4) & 1;
    o.data_pieces = (data[0] >> 5) & 1;
    a.len = b.len = 0;
    run(data + 2, size - 2, &o, data[1], 0, &a);
    run(data + 2, size - 2, &o, data[1], 1, &b);
    if (a.len != b.len || memcmp(a.s, b.s, a.len) != 0)
        abort();
    resync_check(data + 2, size - 2, o.max_frame_size, (size - 2) * data[1] / 256);
    return 0;
}
