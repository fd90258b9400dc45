/*
 * fuzz_hpack_roundtrip — an arbitrary header list (from the input) with
 * arbitrary flags, encoded with arbitrary table sizes, must decode back to
 * the same list, block after block, with the decoder's table in step with
 * the encoder's. Aborts on any difference.
 *
 * Input: byte 0 = encoder table size choice, then records: flags octet,
 * name length, value length, name, value; a flags octet of 0xff ends a
 * block, 0xfe followed by two octets changes the table size. Each block is
 * encoded into a buffer of exactly h2f_hpack_encode_bound octets on the
 * heap, so that a write past the bound (the Huffman coder's 8-octet stores
 * use the room the bound leaves) is caught by ASan.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "h2frame.h"

#define MAXF 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    h2f_hpack_encoder_options eo;
    h2f_hpack_encoder e;
    h2f_hpack_decoder d;
    h2f_header h[MAXF];
    size_t n = 0, pos = 1;
    if (size < 1)
        return 0;
    eo.max_table_size = (data[0] & 3) == 0 ? H2F_HPACK_TABLE_SIZE_ZERO : 512u << (data[0] & 3);
    if (h2f_hpack_encoder_init(&e, &eo, NULL) != H2F_OK || h2f_hpack_decoder_init(&d, NULL, NULL) != H2F_OK)
        abort();
    while (pos <= size) {
        int end = pos == size;
        uint8_t fl = end ? 0xff : data[pos++];
        if (fl == 0xfe && pos + 2 <= size) {
            uint32_t ts = (uint32_t)(data[pos] << 8 | data[pos + 1]);
            pos += 2;
            h2f_hpack_decoder_set_max_table_size(&d, ts);
            h2f_hpack_encoder_set_peer_table_size(&e, ts);
            continue;
        }
        if (fl == 0xff || n == MAXF) {
            size_t w, i = 0, cap = h2f_hpack_encode_bound(&e, h, n);
            uint8_t *out = malloc(cap);
            h2f_hpack_field f;
            h2f_error err;
            h2f_status st;
            if (!out || h2f_hpack_encode(&e, h, n, out, cap, &w) != H2F_OK || w > cap)
                abort();
            h2f_hpack_decode_feed(&d, out, w, 1);
            while ((st = h2f_hpack_decode_next(&d, &f, &err)) == H2F_OK) {
                if (i >= n || f.name.len != h[i].name.len || f.value.len != h[i].value.len ||
                    (f.name.len && memcmp(f.name.ptr, h[i].name.ptr, f.name.len)) ||
                    (f.value.len && memcmp(f.value.ptr, h[i].value.ptr, f.value.len)))
                    abort();
                if ((h[i].flags & H2F_HPACK_NEVER_INDEX) && f.rep != H2F_HPACK_NEVER_INDEXED)
                    abort();
                i++;
            }
            if (st != H2F_DONE || i != n)
                abort();
            if (h2f_hpack_decoder_table_size(&d) != e.table.size ||
                h2f_hpack_decoder_table_len(&d) != e.table.count)
                abort();
            free(out);
            n = 0;
            if (end)
                break;
            continue;
        }
        if (pos + 2 > size)
            break;
        {
            size_t nl = data[pos] % 40, vl = data[pos + 1];
            pos += 2;
            if (pos + nl + vl > size)
                break;
            h[n].flags = fl & 0x1f;
            h[n].name.ptr = data + pos;
            h[n].name.len = nl;
            h[n].value.ptr = data + pos + nl;
            h[n].value.len = vl;
            n++;
            pos += nl + vl;
        }
    }
    h2f_hpack_encoder_free(&e);
    h2f_hpack_decoder_free(&d);
    return 0;
}
