/*
 * fuzz_huffman — the fast Huffman decoder against the bit-by-bit reference
 * on arbitrary input (same status, same octets, same reason), and
 * encode-then-decode giving the input back. Aborts on any difference.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hpack_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t a[1 << 16], b[1 << 16], enc[1 << 18];
    size_t wa = 0, wb = 0, we;
    h2f_error ea, eb;
    h2f_status sa, sb;
    if (size > sizeof enc / 4)
        return 0;
    sa = h2f_huffman_decode(data, size, a, sizeof a, &wa, &ea);
    sb = h2f__huffman_decode_reference(data, size, b, sizeof b, &wb, &eb);
    if (sa != sb)
        abort();
    if (sa == H2F_OK && (wa != wb || memcmp(a, b, wa) != 0))
        abort();
    if (sa == H2F_ERR_PROTOCOL && strcmp(ea.reason, eb.reason) != 0)
        abort();
    /* a short output buffer is reported, never overrun */
    if (sa == H2F_OK && wa > 0 &&
        h2f_huffman_decode(data, size, a, wa - 1, &wb, &ea) != H2F_ERR_BUFFER_TOO_SMALL)
        abort();
    if (h2f_huffman_encode(data, size, enc, sizeof enc, &we) != H2F_OK)
        abort();
    if (we != h2f_huffman_encoded_len(data, size))
        abort();
    if (h2f_huffman_decode(enc, we, a, sizeof a, &wa, &ea) != H2F_OK || wa != size ||
        memcmp(a, data, size) != 0)
        abort();
    return 0;
}
