/*
 * fuzz_hpack — HPACK decoding of arbitrary blocks with varying limits and
 * table sizes: the same fields, limits and error whether each block comes
 * whole or cut into fragments at fuzzer-chosen points. Aborts on any
 * difference.
 *
 * Input: byte 0 = options (table size, string limit, field limit, list
 * limit, size updates reported, unknown_history), byte 1 =
 * a seed for the cut points, then blocks, each preceded by a length octet;
 * a length octet of 0xff followed by two octets sets the table size
 * (SETTINGS_HEADER_TABLE_SIZE acknowledged) instead.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h2frame.h"

typedef struct trace {
    char s[1 << 17];
    size_t len;
} trace;

static void add_bytes(trace *t, h2f_bytes b)
{
    size_t i;
    for (i = 0; i < b.len && t->len < sizeof t->s - 8; i++)
        t->len += (size_t)snprintf(t->s + t->len, sizeof t->s - t->len, "%02x", b.ptr[i]);
}

static void add(trace *t, const char *fmt, unsigned long a, unsigned long b)
{
    if (t->len < sizeof t->s - 64)
        t->len += (size_t)snprintf(t->s + t->len, sizeof t->s - t->len, fmt, a, b);
}

/* Decodes one block, cut (or not), into the trace. Returns 0 once the
 * decoder has failed. */
static int block(h2f_hpack_decoder *d, const uint8_t *in, size_t n, uint32_t *seed, int cut,
                 trace *t)
{
    size_t pos = 0;
    h2f_status st;
    do {
        size_t k = n - pos;
        uint8_t *frag;
        if (cut && k > 0) {
            *seed = *seed * 1103515245u + 12345u;
            k = (*seed >> 16) % (k + 1);
        }
        frag = malloc(k ? k : 1);
        memcpy(frag, in + pos, k);
        if (h2f_hpack_decode_feed(d, frag, k, pos + k == n) != H2F_OK)
            abort();
        pos += k;
        for (;;) {
            h2f_hpack_field f;
            h2f_error e;
            st = h2f_hpack_decode_next(d, &f, &e);
            if (st == H2F_OK) {
                add(t, "F%lu %lu ", f.rep, f.index);
                add(t, "u%lu ", f.unknown, 0);
                if (((f.unknown & H2F_HPACK_UNKNOWN_NAME) && f.name.len) ||
                    ((f.unknown & H2F_HPACK_UNKNOWN_VALUE) && f.value.len))
                    abort();
                add_bytes(t, f.name);
                add(t, ":", 0, 0);
                add_bytes(t, f.value);
                add(t, "\n", 0, 0);
                continue;
            }
            if (st == H2F_ERR_LIMIT) {
                add(t, "L%lu\n", (unsigned long)e.offset, 0);
                continue;
            }
            if (st == H2F_ERR_PROTOCOL) {
                add(t, "E%lu\n", (unsigned long)e.offset, 0);
                if (t->len < sizeof t->s - 100)
                    t->len += (size_t)snprintf(t->s + t->len, sizeof t->s - t->len, "%s\n", e.reason);
                free(frag);
                return 0;
            }
            break;
        }
        free(frag);
    } while (st == H2F_NEED_MORE);
    if (st != H2F_DONE)
        abort();
    add(t, "D%lu %lu\n", h2f_hpack_decoder_table_len(d), h2f_hpack_decoder_table_size(d));
    return 1;
}

static void run(const uint8_t *data, size_t size, int cut, trace *t)
{
    h2f_hpack_decoder_options o;
    h2f_hpack_decoder d;
    uint32_t seed = data[1];
    size_t pos = 2;
    memset(&o, 0, sizeof o);
    o.max_table_size = (data[0] & 3) == 0 ? H2F_HPACK_TABLE_SIZE_ZERO : 1024u << (data[0] & 3);
    o.max_string_len = (data[0] & 4) ? 16 : 0;
    o.max_fields = (data[0] & 8) ? 4 : 0;
    o.max_header_list_size = (data[0] & 16) ? 200 : 0;
    o.report_size_updates = (data[0] >> 5) & 1;
    o.unknown_history = (data[0] >> 6) & 1;
    if (h2f_hpack_decoder_init(&d, &o, NULL) != H2F_OK)
        abort();
    while (pos < size) {
        size_t n = data[pos++];
        if (n == 0xff) {
            if (pos + 2 > size)
                break;
            h2f_hpack_decoder_set_max_table_size(&d, (uint32_t)(data[pos] << 8 | data[pos + 1]));
            pos += 2;
            continue;
        }
        if (n > size - pos)
            n = size - pos;
        if (!block(&d, data + pos, n, &seed, cut, t))
            break;
        pos += n;
    }
    h2f_hpack_decoder_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static trace a, b;
    if (size < 2)
        return 0;
    a.len = b.len = 0;
    run(data, size, 0, &a);
    run(data, size, 1, &b);
    if (a.len != b.len || memcmp(a.s, b.s, a.len) != 0)
        abort();
    return 0;
}
