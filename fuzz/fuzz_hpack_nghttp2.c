/*
 * fuzz_hpack_nghttp2 — differential HPACK decoding against Debian's
 * libnghttp2 (built only when libnghttp2-dev is installed). The same blocks,
 * with the same SETTINGS_HEADER_TABLE_SIZE changes, go to both decoders:
 * both must accept or both reject each block, and an accepted block must
 * give the same header list (names, values, never-indexed marks). Aborts on
 * any difference but the one documented below.
 *
 * Input: byte 0 = the table capacity we advertise at most (ignored above
 * 65535), then blocks, each preceded by a length octet (0..253); 0xfe is
 * followed by a two-octet length; 0xff by a two-octet table size
 * (SETTINGS_HEADER_TABLE_SIZE acknowledged by the peer).
 *
 * Known difference, allowed: after our SETTINGS_HEADER_TABLE_SIZE goes
 * down, h2frame requires the next block to begin with a dynamic table size
 * update (RFC 7541 §4.2: the update "MUST occur at the beginning of the
 * first header block following the change to the dynamic table size";
 * RFC 9113 §4.3.1 makes the change of the setting such a change). nghttp2
 * requires it only when the new setting is below the table's current
 * maximum, so it accepts such a block where h2frame refuses it — be the
 * block without an update, or with one above the smallest setting.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <nghttp2/nghttp2.h>

#include "h2frame.h"

#define MAX_FIELDS 4096

typedef struct list {
    size_t n;
    uint64_t hash; /* over names, values and never-indexed marks, in order */
} list;

static uint64_t mix(uint64_t h, const uint8_t *p, size_t n)
{
    size_t i;
    h = (h ^ n) * 1099511628211ull;
    for (i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

static void add(list *l, const uint8_t *name, size_t nlen, const uint8_t *value, size_t vlen,
                int never)
{
    l->n++;
    l->hash = mix(l->hash, name, nlen);
    l->hash = mix(l->hash, value, vlen);
    l->hash = mix(l->hash, (const uint8_t *)(never ? "N" : "-"), 1);
}

/* h2frame: 1 accepted (fields in *l), 0 refused. *need_update tells the
 * refusal was for a missing size update after the setting went down. */
static int ours(h2f_hpack_decoder *d, const uint8_t *in, size_t n, list *l, int *need_update)
{
    h2f_hpack_field f;
    h2f_error e;
    h2f_status st;
    if (h2f_hpack_decode_feed(d, in, n, 1) != H2F_OK)
        abort();
    while ((st = h2f_hpack_decode_next(d, &f, &e)) == H2F_OK)
        add(l, f.name.ptr, f.name.len, f.value.ptr, f.value.len, f.rep == H2F_HPACK_NEVER_INDEXED);
    if (st == H2F_DONE)
        return 1;
    if (st != H2F_ERR_PROTOCOL) /* limits are set out of reach */
        abort();
    *need_update = e.reason && (strstr(e.reason, "expected a dynamic table size update") ||
                                strstr(e.reason, "first dynamic table size update above"));
    return 0;
}

static int theirs(nghttp2_hd_inflater *inf, const uint8_t *in, size_t n, list *l)
{
    for (;;) {
        nghttp2_nv nv;
        int flags = 0;
        ssize_t rv = nghttp2_hd_inflate_hd2(inf, &nv, &flags, in, n, 1);
        if (rv < 0)
            return 0;
        in += rv;
        n -= (size_t)rv;
        if (flags & NGHTTP2_HD_INFLATE_EMIT)
            add(l, nv.name, nv.namelen, nv.value, nv.valuelen, (nv.flags & NGHTTP2_NV_FLAG_NO_INDEX) != 0);
        if (flags & NGHTTP2_HD_INFLATE_FINAL) {
            nghttp2_hd_inflate_end_headers(inf);
            return 1;
        }
        if (rv == 0 && !(flags & NGHTTP2_HD_INFLATE_EMIT))
            abort(); /* no progress with the whole block given: cannot be */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    h2f_hpack_decoder_options o;
    h2f_hpack_decoder d;
    nghttp2_hd_inflater *inf;
    size_t pos = 1;
    if (size < 1)
        return 0;
    memset(&o, 0, sizeof o);
    o.max_table_size = 65535;         /* any size the input can set */
    o.max_header_list_size = 1u << 30; /* no limits: only the RFC speaks */
    o.max_string_len = 1u << 20;
    o.max_fields = 1u << 30;
    if (h2f_hpack_decoder_init(&d, &o, NULL) != H2F_OK)
        abort();
    if (nghttp2_hd_inflate_new(&inf) != 0)
        abort();
    while (pos < size) {
        size_t n = data[pos++];
        list a = {0, 0}, b = {0, 0};
        int ra, rb, need_update = 0;
        if (n == 0xff) {
            uint32_t t;
            if (pos + 2 > size)
                break;
            t = (uint32_t)(data[pos] << 8 | data[pos + 1]);
            pos += 2;
            if (h2f_hpack_decoder_set_max_table_size(&d, t) != H2F_OK ||
                nghttp2_hd_inflate_change_table_size(inf, t) != 0)
                abort();
            continue;
        }
        if (n == 0xfe) {
            if (pos + 2 > size)
                break;
            n = (size_t)(data[pos] << 8 | data[pos + 1]);
            pos += 2;
        }
        if (n > size - pos)
            n = size - pos;
        ra = ours(&d, data + pos, n, &a, &need_update);
        rb = theirs(inf, data + pos, n, &b);
        pos += n;
        if (!ra && rb && need_update)
            break; /* the documented difference; the tables part ways */
        if (ra != rb)
            abort();
        if (!ra)
            break; /* both refused: neither table can be trusted (§2.3) */
        if (a.n != b.n || a.hash != b.hash)
            abort();
    }
    nghttp2_hd_inflate_del(inf);
    h2f_hpack_decoder_free(&d);
    return 0;
}
