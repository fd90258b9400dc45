/*
 * hpack.c — HPACK (RFC 7541): integers (§5.1), string literals and the
 * Huffman code (§5.2), the decoder (§3, §6) and the encoder.
 *
 * The decoder is a state machine that can stop at any octet, so a field may
 * be cut anywhere between the fragments of a header block (HEADERS and
 * CONTINUATION frames). Strings that lie whole in a fragment are handed over
 * as views of it; only strings that were cut, or Huffman-coded, are written
 * out, into the decoder's scratch buffer (allocated once, at init).
 */
#include "hpack_internal.h"

#include <string.h>

#include "hpack_huffman_fast.h"

/* huff_decode_whole takes four windows from one 57-bit load. */
#if HUFF_FAST_BITS > 14
#error "huff_decode_whole needs HUFF_FAST_BITS <= 14"
#endif

/* ------------------------------------------------------------------------ */
/* Bit patterns of the first octet of each representation (§6)              */
/* ------------------------------------------------------------------------ */

/* §6.1   1xxxxxxx  Indexed Header Field, 7-bit index */
#define REP_INDEXED_MASK 0x80u
#define REP_INDEXED_BITS 0x80u
/* §6.2.1 01xxxxxx  Literal with Incremental Indexing, 6-bit name index */
#define REP_INCREMENTAL_MASK 0xc0u
#define REP_INCREMENTAL_BITS 0x40u
/* §6.3   001xxxxx  Dynamic Table Size Update, 5-bit size */
#define REP_SIZE_UPDATE_MASK 0xe0u
#define REP_SIZE_UPDATE_BITS 0x20u
/* §6.2.3 0001xxxx  Literal Never Indexed, 4-bit name index */
#define REP_NEVER_MASK 0xf0u
#define REP_NEVER_BITS 0x10u
/* §6.2.2 0000xxxx  Literal without Indexing, 4-bit name index */
#define REP_WITHOUT_MASK 0xf0u
#define REP_WITHOUT_BITS 0x00u
/* §5.2   Hxxxxxxx  string length, H = Huffman */
#define STRING_HUFFMAN_BIT 0x80u

/* The largest table size accepted from a caller: offsets are 32-bit. */
#define MAX_TABLE_CAPACITY (1u << 28)

/* ------------------------------------------------------------------------ */
/* Appendix A. Static table                                                 */
/* ------------------------------------------------------------------------ */

h2f_bytes h2f_hpack_static_name(uint32_t i)
{
    h2f_bytes none = {NULL, 0};
    return i >= 1 && i <= H2F_HPACK_STATIC_TABLE_LEN ? h2f__static_table[i].name : none;
}

h2f_bytes h2f_hpack_static_value(uint32_t i)
{
    h2f_bytes none = {NULL, 0};
    return i >= 1 && i <= H2F_HPACK_STATIC_TABLE_LEN ? h2f__static_table[i].value : none;
}

/* ------------------------------------------------------------------------ */
/* §5.1 Integer Representation                                              */
/* ------------------------------------------------------------------------ */

/* Encodes v with an N-bit prefix; `first` holds the representation's other
 * bits of the first octet. Returns the advanced pointer. The caller has
 * room for 6 octets (a 32-bit value never takes more). */
static uint8_t *int_encode(uint8_t *p, uint8_t first, unsigned prefix_bits, uint32_t v)
{
    uint32_t max = (1u << prefix_bits) - 1;
    if (v < max) {
        *p++ = (uint8_t)(first | v);
        return p;
    }
    *p++ = (uint8_t)(first | max);
    v -= max;
    while (v >= 128) {
        *p++ = (uint8_t)(v % 128 + 128);
        v /= 128;
    }
    *p++ = (uint8_t)v;
    return p;
}

/* A 32-bit value needs at most 5 continuation octets (5 * 7 >= 32). */
#define INT_MAX_CONTINUATION 5

/* ------------------------------------------------------------------------ */
/* §5.2 String Literal Representation: the Huffman code (Appendix B)        */
/* ------------------------------------------------------------------------ */

size_t h2f_huffman_encoded_len(const uint8_t *src, size_t len)
{
    uint64_t bits = 0;
    size_t i;
    for (i = 0; i < len; i++)
        bits += h2f__huffman_codes[src[i]].len;
    return (size_t)((bits + 7) / 8);
}

static inline void store_be64(uint8_t *p, uint64_t v)
{
    p[0] = (uint8_t)(v >> 56);
    p[1] = (uint8_t)(v >> 48);
    p[2] = (uint8_t)(v >> 40);
    p[3] = (uint8_t)(v >> 32);
    p[4] = (uint8_t)(v >> 24);
    p[5] = (uint8_t)(v >> 16);
    p[6] = (uint8_t)(v >> 8);
    p[7] = (uint8_t)v;
}

/* Huffman coding (§5.2). The pending bits wait at the top of a 64-bit
 * accumulator. While 8 octets of room remain, four input octets are coded
 * a step: their codes are joined first (work that does not wait on the
 * accumulator), and then all whole octets are written with one 8-octet
 * store (octets past them are junk, overwritten by the next store), so
 * fewer than 8 bits wait after a step and four codes of up to 56 bits fit.
 * The rest goes an octet at a time. "As the Huffman-encoded data doesn't
 * always end at an octet boundary, some padding is inserted after it, up
 * to the next octet boundary ... this padding is formed from the most
 * significant bits of the code corresponding to the EOS symbol" (§5.2):
 * ones. Returns the end, or NULL when the code takes `limit` octets or
 * more. Writes only below p + room, junk included; room is at least
 * limit - 1, so that with limit = the code's length + 1 and room = that
 * length nothing past the code is touched. */
static uint8_t *huff_code(uint8_t *p, const uint8_t *src, size_t len, size_t limit, size_t room)
{
    uint8_t *const start = p, *const end = p + room;
    uint64_t acc = 0;  /* the pending bits, from the top */
    unsigned bits = 0; /* how many */
    size_t i = 0;

    for (; i + 4 <= len && end - p >= 8; i += 4) {
        const h2f__huffman_code *a = &h2f__huffman_codes[src[i]];
        const h2f__huffman_code *b = &h2f__huffman_codes[src[i + 1]];
        const h2f__huffman_code *c = &h2f__huffman_codes[src[i + 2]];
        const h2f__huffman_code *d = &h2f__huffman_codes[src[i + 3]];
        unsigned n = a->len + b->len + c->len + d->len, whole;
        if (n > 56)
            break; /* long codes: an octet at a time below */
        acc |= ((((uint64_t)a->code << b->len | b->code) << c->len | c->code) << d->len | d->code)
               << (64 - bits - n);
        bits += n;
        store_be64(p, acc);
        whole = bits >> 3; /* at most 7: bits < 64 */
        p += whole;
        acc <<= 8 * whole;
        bits &= 7;
    }
    if (len - i < 4 && end - p >= 8) {
        /* The last (up to three) octets and the padding in one step, without
         * a branch on how many there are: missing ones take a code of no
         * bits. The padding's ones go below the code, and the octets they
         * complete are kept. */
        static const h2f__huffman_code none = {0, 0};
        size_t r = len - i;
        const h2f__huffman_code *a = r > 0 ? &h2f__huffman_codes[src[i]] : &none;
        const h2f__huffman_code *b = r > 1 ? &h2f__huffman_codes[src[i + 1]] : &none;
        const h2f__huffman_code *c = r > 2 ? &h2f__huffman_codes[src[i + 2]] : &none;
        unsigned n = a->len + b->len + c->len;
        if (n <= 56) {
            if (n) /* (none left: a shift by 64 when no bits wait either) */
                acc |= (((uint64_t)a->code << b->len | b->code) << c->len | c->code) << (64 - bits - n);
            bits += n;
            acc |= ~0ull >> bits; /* bits < 64 */
            store_be64(p, acc);
            p += (bits + 7) >> 3;
            return (size_t)(p - start) < limit ? p : NULL;
        }
    }
    for (; i < len; i++) {
        const h2f__huffman_code *a = &h2f__huffman_codes[src[i]];
        /* fewer than 8 bits wait: a code of up to 30 fits */
        acc |= (uint64_t)a->code << (64 - bits - a->len);
        bits += a->len;
        while (bits >= 8) {
            if ((size_t)(p - start) + 1 >= limit)
                return NULL; /* (and p stays below end) */
            *p++ = (uint8_t)(acc >> 56);
            acc <<= 8;
            bits -= 8;
        }
    }
    if (bits) {
        if ((size_t)(p - start) + 1 >= limit)
            return NULL;
        *p++ = (uint8_t)(acc >> 56 | (0xffu >> bits));
    }
    return (size_t)(p - start) < limit ? p : NULL;
}

/* Writes the hlen = h2f_huffman_encoded_len(src, len) octets of the code,
 * and nothing after them. */
static uint8_t *huff_encode(uint8_t *p, const uint8_t *src, size_t len, size_t hlen)
{
    return huff_code(p, src, len, hlen + 1, hlen);
}

h2f_status h2f_huffman_encode(const uint8_t *src, size_t len, uint8_t *dst, size_t cap,
                              size_t *written)
{
    if (!written || (!src && len) || (!dst && cap))
        return H2F_ERR_INVALID_ARGUMENT;
    *written = h2f_huffman_encoded_len(src, len);
    if (cap < *written)
        return H2F_ERR_BUFFER_TOO_SMALL;
    if (*written) /* (dst may be NULL when there is nothing to write) */
        huff_encode(dst, src, len, *written);
    return H2F_OK;
}

/*
 * Huffman decoding (§5.2, Appendix B). Bits wait in a 64-bit accumulator,
 * next bit at the top, and are looked up HUFF_FAST_BITS (14) at a time in
 * huff_fast, which often yields two symbols at once; codes longer than the
 * window are found from the canonical code's per-length ranges (huff_long).
 * At the end of the string what remains must be padding: at most 7 bits,
 * all ones (§5.2).
 */
typedef struct huff_state {
    uint64_t acc;
    uint32_t bits;
} huff_state;

static const char *const EOS_REASON =
    "Huffman string contains the EOS symbol (RFC 7541 §5.2)";

/* Symbol of the code at the top of acc when it is longer than
 * HUFF_FAST_BITS (huff_fast has no entry for it), and its length. */
static unsigned huff_long(uint64_t acc, unsigned *len)
{
    uint64_t w = acc >> 32;
    unsigned L = HUFF_FAST_BITS + 1;
    while (w >= huff_end[L])
        L++;
    *len = L;
    return huff_sorted[huff_offset[L] + ((w - huff_first[L]) >> (32 - L))];
}

static inline uint64_t load_be64(const uint8_t *p)
{
    return (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 | (uint64_t)p[2] << 40 |
           (uint64_t)p[3] << 32 | (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 |
           (uint64_t)p[6] << 8 | p[7];
}

/* The window at the top of acc. */
#define HUFF_WINDOW(acc) (&huff_fast[(acc) >> (64 - HUFF_FAST_BITS)])

/* Writes a symbol, or only counts it past cap. */
#define PUT(sym)                                                                                  \
    do {                                                                                          \
        if (o < cap)                                                                              \
            out[o] = (uint8_t)(sym);                                                              \
        o++;                                                                                      \
    } while (0)

/* One step with at least 30 bits in acc (so the next code is whole). */
#define STEP_CHECKED()                                                                            \
    do {                                                                                          \
        const huff_entry *e_ = HUFF_WINDOW(acc);                                                  \
        if (e_->count) {                                                                          \
            PUT(e_->sym[0]);                                                                      \
            if (e_->count == 2)                                                                   \
                PUT(e_->sym[1]);                                                                  \
            acc <<= e_->used;                                                                     \
            bits -= e_->used;                                                                     \
        } else {                                                                                  \
            unsigned len_, sym_ = huff_long(acc, &len_);                                          \
            if (sym_ == 256)                                                                      \
                return EOS_REASON;                                                                \
            PUT(sym_);                                                                            \
            acc <<= len_;                                                                         \
            bits -= len_;                                                                         \
        }                                                                                         \
    } while (0)

/* Decodes every code that is sure to be complete, for strings that arrive
 * in pieces. Returns NULL or the reason of a COMPRESSION_ERROR. Symbols past
 * cap are counted, not written. */
static const char *huff_feed(huff_state *h, const uint8_t *src, size_t n, uint8_t *out,
                             size_t cap, size_t *out_len)
{
    const uint8_t *end = n ? src + n : src; /* src may be NULL when n is 0 */
    uint64_t acc = h->acc;
    unsigned bits = h->bits;
    size_t o = *out_len;

    for (;;) {
        while (bits <= 56 && src < end) {
            acc |= (uint64_t)*src++ << (56 - bits);
            bits += 8;
        }
        if (bits < 30)
            break;
        do
            STEP_CHECKED();
        while (bits >= 30);
    }
    h->acc = acc;
    h->bits = bits;
    *out_len = o;
    return NULL;
}

/* The end of the string: decodes the codes left (fewer than 30 bits, or
 * more with nothing after them) and checks the padding. */
static const char *huff_finish(huff_state *h, uint8_t *out, size_t cap, size_t *out_len)
{
    uint64_t acc = h->acc;
    unsigned bits = h->bits;
    size_t o = *out_len;

    while (bits > 0) {
        /* What is not there is read as ones, the padding's bits: a code
         * that fits in what is there is real; otherwise the rest must be
         * padding. */
        uint64_t padded = acc | (~0ull >> bits);
        const huff_entry *e = HUFF_WINDOW(padded);
        unsigned len1 = e->count ? h2f__huffman_codes[e->sym[0]].len : 0, len;
        if (e->count == 2 && e->used <= bits) {
            PUT(e->sym[0]);
            PUT(e->sym[1]);
            len = e->used;
        } else if (e->count && len1 <= bits) {
            PUT(e->sym[0]);
            len = len1;
        } else {
            /* a code longer than what is left (longer than the window, or the first
             * code's length), or one to look up */
            unsigned sym = 0;
            if (e->count)
                len = len1;
            else if (bits <= HUFF_FAST_BITS)
                len = HUFF_FAST_BITS + 1;
            else
                sym = huff_long(padded, &len);
            if (len > bits) {
                /* "A padding strictly longer than 7 bits MUST be treated as
                 * a decoding error. A padding not corresponding to the most
                 * significant bits of the code for the EOS symbol MUST be
                 * treated as a decoding error." */
                if (bits > 7)
                    return "Huffman padding longer than 7 bits (RFC 7541 §5.2)";
                if (padded != ~0ull)
                    return "Huffman padding is not the EOS prefix (RFC 7541 §5.2)";
                break;
            }
            /* "A Huffman-encoded string literal containing the EOS symbol
             * MUST be treated as a decoding error." */
            if (sym == 256)
                return EOS_REASON;
            PUT(sym);
        }
        acc <<= len;
        bits -= len;
    }
    h->acc = 0;
    h->bits = 0;
    *out_len = o;
    return NULL;
}

/* Why a string that huff_decode_whole refused is malformed, in the words of
 * the step-by-step decoder above (errors are rare; one wording for both). */
static const char *huff_reason(const uint8_t *src, size_t n)
{
    huff_state h = {0, 0};
    size_t o = 0;
    const char *why = huff_feed(&h, src, n, NULL, 0, &o);
    if (!why)
        why = huff_finish(&h, NULL, 0, &o);
    return why ? why : "Huffman string is malformed (RFC 7541 §5.2)";
}

/* Inlined into the one loop that reads fields (huff_decode_whole too): a
 * call per string or per field costs as much as the work (the registers
 * saved and restored). */
#if defined(__GNUC__)
#define FAST_INLINE static inline __attribute__((always_inline))
#else
#define FAST_INLINE static inline
#endif

/* Octets huff_decode_whole may write for n octets of code: at most one
 * symbol per 5 bits, and one octet of slack for its two-symbol stores. */
#define HUFF_ROOM(n) ((size_t)(n) / 5 * 8 + 10)

/* The largest n with HUFF_ROOM(n) <= cap. */
static size_t huff_max_len(size_t cap)
{
    return cap < 10 ? 0 : (cap - 10) / 8 * 5 + 4;
}

/* A whole string src[0..n) into out, which has room for HUFF_ROOM(n)
 * octets; the octets from `lo` to src may be read too (they precede the
 * string in the same fragment). The common case, made fast:
 *  - While eight octets of the string remain from p, they are loaded at
 *    once; with the pos bits already decoded skipped, that is at least 57
 *    bits, four windows' worth, so four table steps need no check between
 *    them. A code longer than the window has an entry that consumes
 *    nothing (count = used = 0), so after it the steps stand still and one
 *    test after the four finds it.
 *  - The last (fewer than eight) octets go on top of the accumulator with
 *    ones below them, the value padding must have. Codes are taken until
 *    the window is all ones: no code of 14 bits or fewer is, and every
 *    longer one starts with 13 ones. That must happen with at most 7 real
 *    bits left, all ones then; a code that ran past the real bits means the
 *    padding was not all ones. No check on the way, and no branch on how
 *    many bits are left. */
FAST_INLINE const char *huff_decode_whole(const uint8_t *src, size_t n, const uint8_t *lo,
                                          uint8_t *out, size_t *out_len)
{
    const uint8_t *p = src, *end = src + n;
    unsigned pos = 0, len, sym;
    size_t o = 0, left;
    const huff_entry *e;
    uint64_t acc, w, nacc;
    int r;

#define STEP()                                                                                    \
    e = HUFF_WINDOW(acc);                                                                         \
    memcpy(out + o, e->sym, 2); /* sym[1] may be junk: the next store overwrites it */            \
    o += e->count;                                                                                \
    acc <<= e->used;                                                                              \
    pos += e->used;

    if ((size_t)(end - lo) >= 8) {
        const uint8_t *last8 = end - 8;
        while (p <= last8) {
            acc = load_be64(p) << pos;
            STEP();
            STEP();
            STEP();
            STEP();
            if (!e->count) {
                /* a code longer than the window: up to 30 bits from here */
                p += pos >> 3;
                pos &= 7;
                if (p > last8)
                    break;
                sym = huff_long(load_be64(p) << pos, &len);
                if (sym == 256)
                    return huff_reason(src, n);
                out[o++] = (uint8_t)sym;
                pos += len;
            }
            p += pos >> 3;
            pos &= 7;
        }
    }
#undef STEP
    left = (size_t)(end - p);
    r = (int)(8 * left) - (int)pos; /* real bits left: 0..56 */
    if (left == 0)
        w = 0;
    else if ((size_t)(end - lo) >= 8)
        w = load_be64(end - 8) << (8 * (8 - left));
    else {
        size_t i;
        for (w = 0, i = 0; i < left; i++)
            w |= (uint64_t)p[i] << (56 - 8 * i);
    }
    /* inverted, so that shifting brings in ones */
    nacc = ~((w << pos) | (~0ull >> r));
    for (;;) {
        e = HUFF_WINDOW(~nacc);
        if (e->count) {
            memcpy(out + o, e->sym, 2);
            o += e->count;
            nacc <<= e->used;
            r -= (int)e->used;
        } else if (r <= 7) {
            break;
        } else {
            /* a code longer than the window, or EOS, or more than 7 bits of
             * ones */
            sym = huff_long(~nacc, &len);
            if (sym == 256 || (int)len > r)
                return huff_reason(src, n);
            out[o++] = (uint8_t)sym;
            nacc <<= len;
            r -= (int)len;
        }
    }
    /* "A padding not corresponding to the most significant bits of the code
     * for the EOS symbol MUST be treated as a decoding error." */
    if (r < 0)
        return huff_reason(src, n);
    *out_len = o;
    return NULL;
}

#undef STEP_CHECKED
#undef PUT

static h2f_status huff_error(h2f_error *err, const char *reason)
{
    if (err) {
        memset(err, 0, sizeof *err);
        err->status = H2F_ERR_PROTOCOL;
        err->code = H2F_COMPRESSION_ERROR;
        err->scope = H2F_SCOPE_CONNECTION;
        err->reason = reason;
    }
    return H2F_ERR_PROTOCOL;
}

h2f_status h2f_huffman_decode(const uint8_t *src, size_t len, uint8_t *dst, size_t cap,
                              size_t *written, h2f_error *err)
{
    huff_state h = {0, 0};
    size_t out_len = 0;
    const char *why;

    if (!written || (!src && len) || (!dst && cap) || len > UINT32_MAX / 8)
        return H2F_ERR_INVALID_ARGUMENT;
    if (len && cap >= HUFF_ROOM(len)) {
        why = huff_decode_whole(src, len, src, dst, &out_len);
    } else {
        why = huff_feed(&h, src, len, dst, cap, &out_len);
        if (!why)
            why = huff_finish(&h, dst, cap, &out_len);
    }
    *written = out_len;
    if (why)
        return huff_error(err, why);
    return out_len > cap ? H2F_ERR_BUFFER_TOO_SMALL : H2F_OK;
}

/*
 * The reference decoder: the RFC's table read literally, one bit at a time.
 * Slow and obvious; the tests and a fuzz target hold the fast decoder to it.
 */
h2f_status h2f__huffman_decode_reference(const uint8_t *src, size_t len, uint8_t *dst,
                                         size_t cap, size_t *written, h2f_error *err)
{
    uint32_t code = 0;
    unsigned code_len = 0, sym;
    size_t i, out = 0;

    for (i = 0; i < len * 8; i++) {
        code = code << 1 | (uint32_t)(src[i / 8] >> (7 - i % 8) & 1);
        code_len++;
        for (sym = 0; sym < 257; sym++)
            if (h2f__huffman_codes[sym].len == code_len && h2f__huffman_codes[sym].code == code)
                break;
        if (sym == 257)
            continue;
        if (sym == 256)
            return huff_error(err, EOS_REASON);
        if (out < cap)
            dst[out] = (uint8_t)sym;
        out++;
        code = 0;
        code_len = 0;
    }
    *written = out;
    if (code_len > 7)
        return huff_error(err, "Huffman padding longer than 7 bits (RFC 7541 §5.2)");
    if (code != (1u << code_len) - 1)
        return huff_error(err, "Huffman padding is not the EOS prefix (RFC 7541 §5.2)");
    return out > cap ? H2F_ERR_BUFFER_TOO_SMALL : H2F_OK;
}

/* ------------------------------------------------------------------------ */
/* The decoder (§3, §6)                                                     */
/* ------------------------------------------------------------------------ */

enum dec_state {
    S_FIELD,          /* at the first octet of a representation */
    S_INT,            /* inside the index or size integer */
    S_NAME_LEN,       /* at the first octet of the name's length */
    S_NAME_LEN_INT,
    S_NAME,           /* inside the name's octets */
    S_VALUE_LEN,
    S_VALUE_LEN_INT,
    S_VALUE,
    S_FAILED
};

/* ---- Unknown history (the unknown_history option) ----
 *
 * A decoder that starts in the middle of a connection has not seen the
 * entries the encoder inserted before (§2.3.2). It learns every entry
 * inserted from then on, and those are always the NEWEST of the encoder's
 * table: §2.3.3 numbers dynamic entries from the newest (index 62 is the
 * last inserted), and §4.4 evicts from the oldest. So the entries older
 * than the decoder sit together at the old end of the table, behind the
 * learned ones:
 *
 *     62 ............ 61+count | 62+count ..........
 *     learned (newest first)   | unknown (the oldest)
 *
 * An index up to 61+count names a learned entry, and names it right
 * whatever happened to the unknown part: an insertion shifts both parts by
 * one alike, and eviction (§4.4) takes the unknown entries first — a
 * learned entry can only go once every unknown one has gone. An index past
 * 61+count is an unknown entry: reported with .unknown set, not an error.
 *
 * What the decoder cannot follow is when the encoder evicts learned entries,
 * as it does not know the unknown entries' sizes, nor (before a size
 * update) the encoder's maximum. That never makes it wrong, only less
 * sure: an entry it evicted early is referenced past its table (unknown);
 * an entry it keeps longer is simply never referenced again (a conforming
 * encoder does not reference an evicted entry; and once it has evicted a
 * learned entry, no unknown one is left for a larger index to name). So
 * until a size update tells the maximum, the table is as large as the
 * decoder can hold (its capacity, max_table_size), not 4096.
 *
 * A size update (§6.3, §4.3) tells the encoder's maximum, which the
 * decoder's table then takes too. From then on, whenever the learned
 * entries leave no room for even one unknown entry (32 octets or more,
 * §4.1) — size + 32 > maximum after the update or after an insertion — the
 * unknown entries must all have been evicted: the history is known, and an
 * index past the table is a COMPRESSION_ERROR again. A size update to 0
 * empties both tables at once. An update above the decoder's capacity
 * (the SETTINGS that allowed it were not seen) is followed up to the
 * capacity, and the maximum is then not known.
 *
 * A literal whose name index is an unknown entry has an unknown name and a
 * known value. With incremental indexing (§6.2.1) it is inserted all the
 * same, to keep the indices right, with an empty name that is marked
 * unknown per descriptor slot (unknown_names): a reference to it gives an
 * unknown name too. Its size counts the name as 0 octets, an underestimate,
 * which errs on the safe side of the rule above.
 */

static const uint8_t EMPTY_STRING[1] = {0};

/* Descriptor slots the table's ring has for a capacity (h2f__table_reserve
 * sizes it so). */
static size_t slots_for(size_t capacity)
{
    size_t n = 1;
    while (n <= capacity / H2F_HPACK_ENTRY_OVERHEAD)
        n *= 2;
    return n;
}

/* After a change of the table or its maximum: are the unknown entries
 * surely gone? (See above.) */
static void history_check(h2f_hpack_decoder *d)
{
    if (d->history_unknown && d->max_known &&
        d->table.size + H2F_HPACK_ENTRY_OVERHEAD > d->table.max_size)
        d->history_unknown = 0;
}

/* A dynamic index (past the static table) that the table cannot answer
 * because of the unknown history: what is known of it goes into *f (all of
 * it when `indexed`, §6.1; the name only for a literal's name, §6.2), and 1
 * is returned; 0 when it is an error after all (§2.3.3). */
static int unknown_ref(h2f_hpack_decoder *d, uint32_t i, h2f_hpack_field *f, int indexed)
{
    const h2f_hpack_table *t = &d->table;
    h2f_bytes name, value;
    if (!d->unknown_names || i <= H2F_HPACK_STATIC_TABLE_LEN)
        return 0;
    i -= H2F_HPACK_STATIC_TABLE_LEN;
    f->name.ptr = EMPTY_STRING;
    f->name.len = 0;
    f->unknown = H2F_HPACK_UNKNOWN_NAME;
    if (i <= t->count) { /* learned, with an unknown name */
        size_t slot = h2f__table_slot(t, i);
        if (!d->unknown_names[slot])
            return 0;
        h2f__table_get(t, slot, &name, &value);
        if (indexed)
            f->value = value;
        return 1;
    }
    if (!d->history_unknown)
        return 0;
    if (indexed) {
        f->value.ptr = EMPTY_STRING;
        f->value.len = 0;
        f->unknown |= H2F_HPACK_UNKNOWN_VALUE;
    }
    return 1;
}

/* The table's capacity grows (h2f_hpack_decoder_set_max_table_size): the
 * unknown-name marks follow their entries to the slots h2f__table_reserve
 * packs them into (entry i, 1 = newest, to slot count - i). *fresh is
 * allocated before the table moves, so that no failure leaves them apart. */
static h2f_status unknown_names_alloc(h2f_hpack_decoder *d, size_t capacity, uint8_t **fresh)
{
    size_t n = slots_for(capacity);
    *fresh = NULL;
    if (!d->unknown_names || capacity <= d->table.capacity)
        return H2F_OK;
    *fresh = d->alloc.alloc(n, d->alloc.user);
    if (!*fresh)
        return H2F_ERR_NOMEM;
    memset(*fresh, 0, n);
    return H2F_OK;
}

static void unknown_names_move(h2f_hpack_decoder *d, uint8_t *fresh, size_t old_newest,
                               size_t old_cap)
{
    size_t i, count = d->table.count;
    if (!fresh)
        return;
    for (i = 1; i <= count; i++)
        fresh[count - i] = d->unknown_names[(old_newest + old_cap - (i - 1)) & (old_cap - 1)];
    d->alloc.free(d->unknown_names, d->alloc.user);
    d->unknown_names = fresh;
    d->unknown_names_cap = slots_for(d->table.capacity);
}

static h2f_status dec_fail(h2f_hpack_decoder *d, h2f_error *err, const char *reason)
{
    memset(&d->err, 0, sizeof d->err);
    d->err.status = H2F_ERR_PROTOCOL;
    d->err.code = H2F_COMPRESSION_ERROR;
    d->err.scope = H2F_SCOPE_CONNECTION;
    d->err.offset = d->field_off;
    d->err.reason = reason;
    d->state = S_FAILED;
    *err = d->err;
    return H2F_ERR_PROTOCOL;
}

h2f_status h2f_hpack_decoder_init(h2f_hpack_decoder *d, const h2f_hpack_decoder_options *opt,
                                  const h2f_allocator *alloc)
{
    h2f_status st;
    size_t table;

    if (!d)
        return H2F_ERR_INVALID_ARGUMENT;
    memset(d, 0, sizeof *d);
    if (opt)
        d->opt = *opt;
    /* zeros mean the defaults */
    if (d->opt.max_table_size == 0)
        d->opt.max_table_size = H2F_HPACK_DEFAULT_TABLE_SIZE;
    else if (d->opt.max_table_size == H2F_HPACK_TABLE_SIZE_ZERO)
        d->opt.max_table_size = 0;
    if (d->opt.max_header_list_size == 0)
        d->opt.max_header_list_size = 65536;
    if (d->opt.max_string_len == 0)
        d->opt.max_string_len = 16384;
    if (d->opt.max_fields == 0)
        d->opt.max_fields = 512;
    d->alloc = h2f__allocator(alloc);
    if (!d->alloc.alloc || !d->alloc.free || d->opt.max_table_size > MAX_TABLE_CAPACITY ||
        d->opt.max_string_len > MAX_TABLE_CAPACITY)
        return H2F_ERR_INVALID_ARGUMENT;
    /* HPACK starts at 4096 octets whatever our SETTINGS say (RFC 9113
     * §6.5.2): the peer may encode with that until it has our SETTINGS, and
     * tells us of a smaller table with a size update once it has (a call to
     * h2f_hpack_decoder_set_max_table_size when it acknowledges them).
     * max_table_size only sizes the allocation. */
    table = d->opt.max_table_size > H2F_HPACK_DEFAULT_TABLE_SIZE ? d->opt.max_table_size
                                                                  : H2F_HPACK_DEFAULT_TABLE_SIZE;
    st = h2f__table_init(&d->table, table, &d->alloc);
    if (st != H2F_OK)
        return st;
    d->table.max_size = H2F_HPACK_DEFAULT_TABLE_SIZE;
    d->settings_size = H2F_HPACK_DEFAULT_TABLE_SIZE;
    d->min_settings_size = UINT32_MAX; /* no change since the last block */
    /* Any string the table may need fits the scratch: a larger one cannot
     * be an entry and is only checked, not kept. */
    d->scratch_cap = d->opt.max_string_len > table ? d->opt.max_string_len : table;
    d->scratch = d->alloc.alloc(2 * d->scratch_cap + 1, d->alloc.user);
    if (!d->scratch) {
        h2f__table_free(&d->table, &d->alloc);
        return H2F_ERR_NOMEM;
    }
    d->huff_max = huff_max_len(d->scratch_cap);
    if (d->opt.unknown_history) {
        /* the encoder's maximum is not known: as large as we can follow,
         * since keeping an entry longer than the encoder never misleads
         * (see "Unknown history") */
        d->table.max_size = d->table.capacity;
        d->history_unknown = 1;
        d->unknown_names_cap = d->table.ent_cap;
        d->unknown_names = d->alloc.alloc(d->unknown_names_cap, d->alloc.user);
        if (!d->unknown_names) {
            h2f_hpack_decoder_free(d);
            return H2F_ERR_NOMEM;
        }
        memset(d->unknown_names, 0, d->unknown_names_cap);
    }
    return H2F_OK;
}

void h2f_hpack_decoder_free(h2f_hpack_decoder *d)
{
    if (!d)
        return;
    h2f__table_free(&d->table, &d->alloc);
    if (d->scratch)
        d->alloc.free(d->scratch, d->alloc.user);
    d->scratch = NULL;
    if (d->unknown_names)
        d->alloc.free(d->unknown_names, d->alloc.user);
    d->unknown_names = NULL;
}

h2f_status h2f_hpack_decoder_set_max_table_size(h2f_hpack_decoder *d, uint32_t size)
{
    h2f_status st;
    size_t need, old_newest, old_cap;
    uint8_t *names;

    if (!d || !d->scratch || size > MAX_TABLE_CAPACITY || d->in_block)
        return H2F_ERR_INVALID_ARGUMENT;
    st = unknown_names_alloc(d, size, &names);
    if (st != H2F_OK)
        return st;
    old_newest = d->table.newest;
    old_cap = d->table.ent_cap;
    st = h2f__table_reserve(&d->table, size, &d->alloc);
    if (st != H2F_OK) {
        if (names)
            d->alloc.free(names, d->alloc.user);
        return st;
    }
    unknown_names_move(d, names, old_newest, old_cap);
    if (d->opt.unknown_history && !d->max_known)
        d->table.max_size = d->table.capacity; /* still as much as we can hold */
    need = size > d->opt.max_string_len ? size : d->opt.max_string_len;
    if (need > d->scratch_cap) {
        uint8_t *s = d->alloc.alloc(2 * need + 1, d->alloc.user);
        if (!s)
            return H2F_ERR_NOMEM;
        d->alloc.free(d->scratch, d->alloc.user);
        d->scratch = s;
        d->scratch_cap = need;
        d->huff_max = huff_max_len(need);
    }
    /* RFC 9113 §4.3.1, RFC 7541 §4.2: after our setting went down, the next
     * block must start with a size update at most the smallest value the
     * setting took meanwhile. */
    if (size < d->settings_size)
        d->update_required = 1;
    if (size < d->min_settings_size)
        d->min_settings_size = size;
    d->settings_size = size;
    return H2F_OK;
}

h2f_status h2f_hpack_decode_feed(h2f_hpack_decoder *d, const uint8_t *frag, size_t len, int last)
{
    if (!d || !d->scratch || (!frag && len) || d->in_pos < d->in_len)
        return H2F_ERR_INVALID_ARGUMENT;
    if (d->in_block && d->last)
        return H2F_ERR_INVALID_ARGUMENT; /* the block's last fragment is not used up */
    if (!d->in_block) {
        d->in_block = 1;
        d->block_off = 0;
        d->fields_seen = 0;
        d->draining = 0;
        d->nfields = 0;
        d->list_size = 0;
    }
    d->in = frag;
    d->in_len = len;
    d->in_pos = 0;
    d->last = last ? 1 : 0;
    return H2F_OK;
}


/* The name and value areas of the scratch buffer. */
#define SCRATCH_NAME(d) ((d)->scratch)
#define SCRATCH_VALUE(d) ((d)->scratch + (d)->scratch_cap)

/* §5.1 decoding, resumable: the state of an integer being read. */
typedef h2f_hpack_int_state int_state;

/* Reads continuation octets from in[*pos..len). Returns 1 when the integer
 * is complete, 0 when the input ended, -1 when it does not fit in 32 bits or
 * uses more octets than a 32-bit value needs. */
static int int_continue(int_state *s, const uint8_t *in, size_t len, size_t *pos)
{
    while (*pos < len) {
        uint32_t b = in[(*pos)++], add;
        if (++s->count > INT_MAX_CONTINUATION)
            return -1;
        add = b & 0x7f;
        if (s->shift > 28 || (s->shift == 28 && add > 0xf))
            return -1;
        add <<= s->shift;
        if (s->value > UINT32_MAX - add)
            return -1;
        s->value += add;
        s->shift += 7;
        if (!(b & 0x80))
            return 1;
    }
    return 0;
}

/* Starts an integer from the first octet b and an N-bit prefix ("If the
 * integer value is small enough, i.e., strictly less than 2^N-1, it is
 * encoded within the N-bit prefix"), then reads on as int_continue. */
static int int_start(int_state *s, uint8_t b, unsigned prefix_bits, const uint8_t *in,
                     size_t len, size_t *pos)
{
    uint32_t max = (1u << prefix_bits) - 1;
    s->value = b & max;
    s->shift = 0;
    s->count = 0;
    if (s->value < max)
        return 1;
    return int_continue(s, in, len, pos);
}

int h2f__int_decode(const uint8_t *in, size_t len, unsigned prefix_bits, uint32_t *value,
                    size_t *consumed)
{
    int_state s;
    size_t pos = 1;
    int r;
    if (len == 0)
        return 0;
    r = int_start(&s, in[0], prefix_bits, in, len, &pos);
    *value = s.value;
    *consumed = pos;
    return r;
}

size_t h2f__int_encode(uint8_t *out, uint8_t first, unsigned prefix_bits, uint32_t value)
{
    return (size_t)(int_encode(out, first, prefix_bits, value) - out);
}

static const char *const INT_REASON =
    "integer does not fit in 32 bits or has too many octets (RFC 7541 §5.1)";

/* Looks up index i in the static then the dynamic table (§2.3.3). */
static inline int lookup(const h2f_hpack_decoder *d, uint32_t i, h2f_bytes *name, h2f_bytes *value)
{
    const h2f_hpack_table *t = &d->table;
    size_t slot;
    if (i - 1 < H2F_HPACK_STATIC_TABLE_LEN) { /* 1..61; 0 wraps around */
        *name = h2f__static_table[i].name;
        *value = h2f__static_table[i].value;
        return 1;
    }
    i -= H2F_HPACK_STATIC_TABLE_LEN;
    if (i == 0 || i > t->count)
        return 0;
    slot = h2f__table_slot(t, i);
    if (d->unknown_names && d->unknown_names[slot])
        return 0; /* unknown_history: see unknown_ref */
    h2f__table_get(t, slot, name, value);
    return 1;
}

/* Starts a string literal (§5.2) at its first octet. */
static void string_start(h2f_hpack_decoder *d, uint8_t b)
{
    d->huff = (b & STRING_HUFFMAN_BIT) != 0;
    d->str_pos = 0;
    d->out_len = 0;
    d->hacc = 0;
    d->hbits = 0;
}

/* Reads string octets into the name or value. Returns 1 when the string is
 * complete, 0 when the fragment ended, -1 on a Huffman error (*why set). */
static int string_continue(h2f_hpack_decoder *d, h2f_bytes *s, int is_value, const char **why)
{
    uint8_t *area = is_value ? SCRATCH_VALUE(d) : SCRATCH_NAME(d);
    size_t avail = d->in_len - d->in_pos, take;

    if (d->str_len == 0) {
        static const uint8_t empty[1] = {0};
        s->ptr = empty; /* not the fragment: it may be NULL */
        s->len = 0;
        d->out_len = 0;
        if (d->huff) { /* an empty Huffman string is fine: no padding at all */
            huff_state h = {0, 0};
            *why = huff_finish(&h, NULL, 0, &d->out_len);
        }
        return 1;
    }
    /* The common case: a string wholly in this fragment is a view if raw,
     * and decoded in one go if Huffman-coded. */
    if (d->str_pos == 0 && avail >= d->str_len) {
        if (!d->huff) {
            s->ptr = d->in + d->in_pos;
            s->len = d->str_len;
            d->in_pos += d->str_len;
            d->out_len = d->str_len;
            return 1;
        }
        if (d->str_len <= d->huff_max) {
            *why = huff_decode_whole(d->in + d->in_pos, d->str_len, d->in, area, &d->out_len);
            if (*why)
                return -1;
            s->ptr = area;
            s->len = d->out_len;
            d->in_pos += d->str_len;
            d->str_pos = d->str_len;
            return 1;
        }
    }
    take = d->str_len - d->str_pos < avail ? d->str_len - d->str_pos : avail;
    if (d->huff) {
        huff_state h = {d->hacc, d->hbits};
        *why = huff_feed(&h, d->in + d->in_pos, take, area, d->scratch_cap, &d->out_len);
        d->hacc = h.acc;
        d->hbits = h.bits;
        if (*why)
            return -1;
    } else {
        if (d->str_pos + take <= d->scratch_cap)
            memcpy(area + d->str_pos, d->in + d->in_pos, take);
        d->out_len += take;
    }
    d->in_pos += take;
    d->str_pos += (uint32_t)take;
    if (d->str_pos < d->str_len)
        return 0;
    if (d->huff) {
        huff_state h = {d->hacc, d->hbits};
        *why = huff_finish(&h, area, d->scratch_cap, &d->out_len);
        if (*why)
            return -1;
    }
    s->ptr = area;
    s->len = d->out_len; /* octets beyond scratch_cap were counted, not kept */
    return 1;
}

/* The fragment ended inside a field: a name that is still a view of the
 * fragment must be kept, as the caller may drop the fragment. */
static void keep_name(h2f_hpack_decoder *d)
{
    h2f_bytes *n = &d->cur.name;
    if (d->in && d->state > S_NAME && n->ptr >= d->in && n->ptr < d->in + d->in_len) {
        if (n->len <= d->scratch_cap)
            memcpy(SCRATCH_NAME(d), n->ptr, n->len);
        n->ptr = SCRATCH_NAME(d);
    }
}

/* The fragment is used up: release it (the offsets go on from its end). */
static h2f_status need_more(h2f_hpack_decoder *d)
{
    keep_name(d);
    d->block_off += d->in_len;
    d->in = NULL;
    d->in_pos = d->in_len = 0;
    return H2F_NEED_MORE;
}

static h2f_status dec_limit(h2f_hpack_decoder *d, h2f_error *err, const char *reason)
{
    memset(err, 0, sizeof *err);
    err->status = H2F_ERR_LIMIT;
    err->code = H2F_ENHANCE_YOUR_CALM;
    err->scope = H2F_SCOPE_STREAM;
    err->offset = d->field_off;
    err->reason = reason;
    d->draining = 1;
    d->limit_hit = 1;
    return H2F_ERR_LIMIT;
}

/* A field about to be returned: counted against the block's limits. */
static inline h2f_status count_field(h2f_hpack_decoder *d, const h2f_hpack_field *f, h2f_error *err)
{
    if (d->nfields >= d->opt.max_fields)
        return dec_limit(d, err, "more fields in the block than max_fields");
    /* RFC 9113 §6.5.2: "The value is based on the uncompressed size of field
     * lines, including the length of the name and value in octets plus an
     * overhead of 32 octets for each field line." */
    d->list_size += h2f__entry_size(f->name.len, f->value.len);
    if (d->list_size > d->opt.max_header_list_size)
        return dec_limit(d, err, "header list larger than max_header_list_size (RFC 9113 §6.5.2)");
    d->nfields++;
    return H2F_DONE; /* internal: a field is ready */
}

static void insert_field(h2f_hpack_decoder *d, h2f_hpack_field *f);

/* A field the state machine completed: add it to the table if it asks to
 * be (§6.2.1), then check the limits. */
static h2f_status field_done(h2f_hpack_decoder *d, h2f_hpack_field *f, h2f_hpack_field *out,
                             h2f_error *err)
{
    int over = f->name.len > d->opt.max_string_len || f->value.len > d->opt.max_string_len;
    h2f_status st;

    f->wire_len = (uint32_t)(d->block_off + d->in_pos - d->field_off);
    d->state = S_FIELD;
    d->fields_seen = 1;
    if (f->rep == H2F_HPACK_INCREMENTAL)
        insert_field(d, f);
    if (d->draining)
        return H2F_OK; /* not returned: the caller is told nothing more */
    if (over)
        return dec_limit(d, err, "field name or value longer than max_string_len");
    st = count_field(d, f, err);
    if (st == H2F_DONE)
        *out = *f;
    return st;
}

/* §6.3 Dynamic Table Size Update. */
static h2f_status size_update(h2f_hpack_decoder *d, h2f_hpack_field *out, h2f_error *err)
{
    uint32_t v = d->integer.value;
    d->state = S_FIELD;
    /* §4.2: "This dynamic table size update MUST occur at the beginning of
     * the first header block following the change to the dynamic table
     * size." A later one is a decoding error. */
    if (d->fields_seen)
        return dec_fail(d, err, "dynamic table size update after a field (RFC 7541 §4.2)");
    /* §6.3: "The new maximum size MUST be lower than or equal to the limit
     * determined by the protocol using HPACK." */
    if (v > d->settings_size && !d->opt.unknown_history)
        return dec_fail(d, err, "dynamic table size update above SETTINGS_HEADER_TABLE_SIZE (RFC 7541 §6.3)");
    /* §4.2: "the smallest maximum table size that occurs in that interval
     * MUST be signaled in a dynamic table size update. The final maximum
     * size is always signaled" — the smallest first, as the changes came
     * (nghttp2 reads it so too). */
    if (d->update_required && v > d->min_settings_size)
        return dec_fail(d, err, "first dynamic table size update above the smallest "
                                "SETTINGS_HEADER_TABLE_SIZE since the last block (RFC 7541 §4.2)");
    d->update_required = 0;
    if (d->opt.unknown_history) {
        /* the SETTINGS this answers may not have been seen: followed up to
         * the capacity, and then the encoder's maximum is not known */
        d->max_known = v <= d->table.capacity;
        h2f__table_set_max(&d->table, d->max_known ? v : d->table.capacity);
        history_check(d);
    } else {
        h2f__table_set_max(&d->table, v);
    }
    if (!d->opt.report_size_updates || d->draining)
        return H2F_OK;
    memset(out, 0, sizeof *out);
    out->rep = H2F_HPACK_SIZE_UPDATE;
    out->size = v;
    out->offset = d->field_off;
    out->wire_len = (uint32_t)(d->block_off + d->in_pos - d->field_off);
    return H2F_DONE;
}

/*
 * The fast path: a whole field lying in the fragment, read in one go with no
 * state kept between octets. Returns 0 (having changed nothing) for
 * anything else — a field cut by the fragment's end, a size update, a
 * limit, an error — which the state machine below then takes from the same
 * octet, and reports exactly.
 */
static int fast_int(const uint8_t **pp, const uint8_t *end, uint8_t b, unsigned prefix_bits,
                    uint32_t *v)
{
    uint32_t max = (1u << prefix_bits) - 1;
    uint64_t val = b & max;
    const uint8_t *p = *pp;
    unsigned shift = 0, i;
    if (val < max) {
        *v = (uint32_t)val;
        return 1;
    }
    for (i = 0; i < INT_MAX_CONTINUATION && p < end; i++, shift += 7) {
        uint8_t c = *p++;
        val += (uint64_t)(c & 0x7f) << shift;
        if (val > UINT32_MAX)
            return 0;
        if (!(c & 0x80)) {
            *pp = p;
            *v = (uint32_t)val;
            return 1;
        }
    }
    return 0;
}


/* A string literal (§5.2) wholly in the fragment: a view of it if raw,
 * decoded into area if Huffman-coded. */
FAST_INLINE int fast_string(const h2f_hpack_decoder *d, const uint8_t **pp, const uint8_t *end,
                            uint8_t *area, h2f_bytes *s, uint8_t *huff, uint32_t *wire_len)
{
    const uint8_t *p = *pp;
    uint32_t len;
    size_t out_len = 0;
    uint8_t b;
    if (p == end)
        return 0;
    b = *p++;
    if (!fast_int(&p, end, b, 7, &len) || (size_t)(end - p) < len)
        return 0;
    if (b & STRING_HUFFMAN_BIT) {
        if (len > d->huff_max || huff_decode_whole(p, len, d->in, area, &out_len))
            return 0;
        s->ptr = area;
        s->len = out_len;
    } else {
        s->ptr = p;
        s->len = len;
    }
    if (s->len > d->opt.max_string_len)
        return 0;
    *huff = (uint8_t)(b >> 7);
    *wire_len = len;
    *pp = p + len;
    return 1;
}

/* §6.2.1: a literal with incremental indexing is added to the dynamic
 * table; the field then points at the table's copy (the decoded strings
 * live in the scratch buffer, which the next field reuses). */
static void insert_field(h2f_hpack_decoder *d, h2f_hpack_field *f)
{
    size_t slot;
    /* §4.4: the name may belong to an entry this insertion evicts; it is
     * copied out of the table first. */
    if (f->name.ptr >= d->table.buf && f->name.ptr < d->table.buf + 2 * d->table.capacity + 1) {
        memcpy(SCRATCH_NAME(d), f->name.ptr, f->name.len);
        f->name.ptr = SCRATCH_NAME(d);
    }
    slot = h2f__table_insert(&d->table, f->name, f->value);
    if (slot != (size_t)-1)
        h2f__table_get(&d->table, slot, &f->name, &f->value);
    if (d->unknown_names) {
        if (slot != (size_t)-1)
            d->unknown_names[slot] = (f->unknown & H2F_HPACK_UNKNOWN_NAME) != 0;
        else if (d->max_known)
            d->history_unknown = 0; /* §4.4: too large, both tables emptied */
        history_check(d);
    }
}

/* A field wholly in the fragment, from its first octet at start, into f.
 * Returns the octet after it, or NULL (having changed nothing the state
 * machine reads) for the state machine to take it. */
FAST_INLINE const uint8_t *fast_field(const h2f_hpack_decoder *d, h2f_hpack_field *f,
                                      const uint8_t *start, const uint8_t *end)
{
    const uint8_t *p = start + 1;
    uint8_t b = *start;
    uint32_t idx;

    f->name_huffman = f->value_huffman = f->unknown = 0;
    f->name_wire_len = f->value_wire_len = 0;
    f->size = 0;
    if (b & 0x80) { /* §6.1 */
        if (!fast_int(&p, end, b, 7, &idx) || !lookup(d, idx, &f->name, &f->value))
            return NULL; /* index 0 is not in a table either */
        if ((f->name.len | f->value.len) > d->opt.max_string_len)
            return NULL; /* (an upper bound of the larger) */
        f->rep = H2F_HPACK_INDEXED;
    } else {
        unsigned prefix;
        if ((b & REP_INCREMENTAL_MASK) == REP_INCREMENTAL_BITS) {
            f->rep = H2F_HPACK_INCREMENTAL;
            prefix = 6;
        } else if ((b & REP_SIZE_UPDATE_MASK) == REP_SIZE_UPDATE_BITS) {
            return NULL;
        } else {
            f->rep = (b & REP_NEVER_MASK) == REP_NEVER_BITS ? H2F_HPACK_NEVER_INDEXED
                                                            : H2F_HPACK_WITHOUT_INDEXING;
            prefix = 4;
        }
        if (!fast_int(&p, end, b, prefix, &idx))
            return NULL;
        if (idx) {
            h2f_bytes unused;
            if (!lookup(d, idx, &f->name, &unused) || f->name.len > d->opt.max_string_len)
                return NULL;
        } else if (!fast_string(d, &p, end, SCRATCH_NAME(d), &f->name, &f->name_huffman,
                                &f->name_wire_len)) {
            return NULL;
        }
        if (!fast_string(d, &p, end, SCRATCH_VALUE(d), &f->value, &f->value_huffman,
                         &f->value_wire_len))
            return NULL;
    }
    f->index = idx;
    f->wire_len = (uint32_t)(p - start);
    return p;
}

/* The integer that follows a representation's pattern is complete: an
 * index (§6.1), a name index (§6.2) or a size (§6.3). Returns H2F_DONE when a
 * field is ready in *out, H2F_OK to go on, or an error. */
static h2f_status int_done(h2f_hpack_decoder *d, h2f_hpack_field *out, h2f_error *err)
{
    h2f_bytes unused;

    if (d->cur.rep == H2F_HPACK_SIZE_UPDATE)
        return size_update(d, out, err);
    d->cur.index = d->integer.value;
    if (d->cur.rep == H2F_HPACK_INDEXED) {
        /* §6.1: "The index value of 0 is not used. It MUST be treated as a
         * decoding error if found in an indexed header field representation." */
        if (d->integer.value == 0)
            return dec_fail(d, err, "indexed field with index 0 (RFC 7541 §6.1)");
        /* §2.3.3: "Indices strictly greater than the sum of the lengths of
         * both tables MUST be treated as a decoding error." */
        if (!lookup(d, d->integer.value, &d->cur.name, &d->cur.value) &&
            !unknown_ref(d, d->integer.value, &d->cur, 1))
            return dec_fail(d, err, "index past the static and dynamic tables (RFC 7541 §2.3.3)");
        return field_done(d, &d->cur, out, err);
    }
    if (d->integer.value == 0) {
        d->state = S_NAME_LEN; /* a new name follows (§6.2) */
        return H2F_OK;
    }
    if (!lookup(d, d->integer.value, &d->cur.name, &unused) &&
        !unknown_ref(d, d->integer.value, &d->cur, 0))
        return dec_fail(d, err, "name index past the static and dynamic tables (RFC 7541 §2.3.3)");
    d->state = S_VALUE_LEN;
    return H2F_OK;
}

/* The state machine: any field, cut anywhere, and every error. */
static h2f_status decode_slow(h2f_hpack_decoder *d, h2f_hpack_field *out, h2f_error *err)
{
    const char *why = NULL;
    h2f_status st;
    int r;

    if (!d->scratch)
        return H2F_ERR_INVALID_ARGUMENT;
    if (d->state == S_FAILED) {
        *err = d->err;
        return H2F_ERR_PROTOCOL;
    }
    if (!d->in_block)
        return H2F_ERR_INVALID_ARGUMENT;

    for (;;) {
        if (d->in_pos == d->in_len && d->state != S_NAME && d->state != S_VALUE) {
            if (!d->last)
                return need_more(d);
            if (d->state != S_FIELD)
                return dec_fail(d, err, "header block ends inside a field (RFC 7541 §3.2)");
            if (d->update_required)
                return dec_fail(d, err, "expected a dynamic table size update first (RFC 7541 §4.2)");
            d->in_block = 0;
            d->min_settings_size = UINT32_MAX; /* the interval of §4.2 ends */
            d->block_off += d->in_len;
            d->in = NULL;
            d->in_pos = d->in_len = 0;
            d->last = 0;
            return H2F_DONE;
        }
        switch (d->state) {
        case S_FIELD: {
            uint8_t b = d->in[d->in_pos++];
            d->field_off = d->block_off + d->in_pos - 1;
            memset(&d->cur, 0, sizeof d->cur);
            d->cur.offset = d->field_off;
            if ((b & REP_SIZE_UPDATE_MASK) == REP_SIZE_UPDATE_BITS) {
                d->rep_bits = 5;
                d->cur.rep = H2F_HPACK_SIZE_UPDATE;
            } else {
                /* "the decoder MUST treat the absence of a required dynamic
                 * table size update as a decoding error" — RFC 9113 §4.3.1
                 * via RFC 7541 §4.2 */
                if (d->update_required)
                    return dec_fail(d, err, "expected a dynamic table size update first (RFC 7541 §4.2)");
                if ((b & REP_INDEXED_MASK) == REP_INDEXED_BITS) {
                    d->rep_bits = 7;
                    d->cur.rep = H2F_HPACK_INDEXED;
                } else if ((b & REP_INCREMENTAL_MASK) == REP_INCREMENTAL_BITS) {
                    d->rep_bits = 6;
                    d->cur.rep = H2F_HPACK_INCREMENTAL;
                } else if ((b & REP_NEVER_MASK) == REP_NEVER_BITS) {
                    d->rep_bits = 4;
                    d->cur.rep = H2F_HPACK_NEVER_INDEXED;
                } else {
                    d->rep_bits = 4; /* REP_WITHOUT_BITS */
                    d->cur.rep = H2F_HPACK_WITHOUT_INDEXING;
                }
            }
            r = int_start(&d->integer, b, d->rep_bits, d->in, d->in_len, &d->in_pos);
            if (r < 0)
                return dec_fail(d, err, INT_REASON);
            d->state = S_INT;
            if (r == 0)
                continue;
            st = int_done(d, out, err);
            if (st != H2F_OK)
                return st == H2F_DONE ? H2F_OK : st;
            continue;
        }
        case S_INT:
            r = int_continue(&d->integer, d->in, d->in_len, &d->in_pos);
            if (r < 0)
                return dec_fail(d, err, INT_REASON);
            if (r == 0)
                continue;
            st = int_done(d, out, err);
            if (st != H2F_OK)
                return st == H2F_DONE ? H2F_OK : st;
            continue;

        case S_NAME_LEN:
        case S_VALUE_LEN: {
            uint8_t b = d->in[d->in_pos++];
            string_start(d, b);
            r = int_start(&d->integer, b, 7, d->in, d->in_len, &d->in_pos);
            if (r < 0)
                return dec_fail(d, err, INT_REASON);
            d->state = d->state == S_NAME_LEN ? S_NAME_LEN_INT : S_VALUE_LEN_INT;
            if (r == 0)
                continue;
            d->str_len = d->integer.value;
            d->state = d->state == S_NAME_LEN_INT ? S_NAME : S_VALUE;
            continue;
        }
        case S_NAME_LEN_INT:
        case S_VALUE_LEN_INT:
            r = int_continue(&d->integer, d->in, d->in_len, &d->in_pos);
            if (r < 0)
                return dec_fail(d, err, INT_REASON);
            if (r == 0)
                continue;
            d->str_len = d->integer.value;
            d->state = d->state == S_NAME_LEN_INT ? S_NAME : S_VALUE;
            continue;

        case S_NAME:
        case S_VALUE: {
            int is_value = d->state == S_VALUE;
            h2f_bytes *s = is_value ? &d->cur.value : &d->cur.name;
            if (d->in_pos == d->in_len && d->str_pos < d->str_len) {
                /* the octets there were are taken first, so that an error
                 * inside them is reported the same however the block is cut */
                if (d->last)
                    return dec_fail(d, err, "string literal longer than the rest of the block (RFC 7541 §5.2)");
                return need_more(d);
            }
            r = string_continue(d, s, is_value, &why);
            if (r < 0)
                return dec_fail(d, err, why);
            if (r == 0)
                continue;
            if (is_value) {
                d->cur.value_huffman = d->huff;
                d->cur.value_wire_len = d->str_len;
                st = field_done(d, &d->cur, out, err);
                if (st == H2F_DONE)
                    return H2F_OK;
                if (st != H2F_OK)
                    return st;
            } else {
                d->cur.name_huffman = d->huff;
                d->cur.name_wire_len = d->str_len;
                d->state = S_VALUE_LEN;
            }
            continue;
        }
        default:
            return dec_fail(d, err, "decoder in an unknown state");
        }
    }
}

h2f_status h2f_hpack_decode_next(h2f_hpack_decoder *d, h2f_hpack_field *out, h2f_error *err)
{
    if (!d || !out || !err)
        return H2F_ERR_INVALID_ARGUMENT;
    /* Most fields lie whole in the fragment and are taken by the fast path;
     * the state machine takes the rest from the same octet. */
    while (d->state == S_FIELD && !d->update_required && d->in_pos < d->in_len) {
        const uint8_t *start = d->in + d->in_pos;
        const uint8_t *p = fast_field(d, out, start, d->in + d->in_len);
        if (!p)
            break;
        d->field_off = out->offset = d->block_off + d->in_pos;
        d->in_pos += (size_t)(p - start);
        d->fields_seen = 1;
        if (out->rep == H2F_HPACK_INCREMENTAL)
            insert_field(d, out);
        if (!d->draining)
            return count_field(d, out, err) == H2F_DONE ? H2F_OK : H2F_ERR_LIMIT;
        /* past a limit: consumed, not returned */
    }
    return decode_slow(d, out, err);
}

h2f_status h2f_hpack_decoder_entry(const h2f_hpack_decoder *d, size_t i, h2f_bytes *name,
                                   h2f_bytes *value)
{
    if (!d || !name || !value || i == 0 || i > d->table.count)
        return H2F_ERR_INVALID_ARGUMENT;
    h2f__table_get(&d->table, h2f__table_slot(&d->table, i), name, value);
    return H2F_OK;
}

unsigned h2f_hpack_decoder_entry_unknown(const h2f_hpack_decoder *d, size_t i)
{
    if (!d || !d->unknown_names || i == 0 || i > d->table.count)
        return 0;
    return d->unknown_names[h2f__table_slot(&d->table, i)] ? H2F_HPACK_UNKNOWN_NAME : 0;
}

int h2f_hpack_decoder_history_unknown(const h2f_hpack_decoder *d)
{
    return d ? d->history_unknown : 0;
}

size_t h2f_hpack_decoder_table_len(const h2f_hpack_decoder *d) { return d ? d->table.count : 0; }
size_t h2f_hpack_decoder_table_size(const h2f_hpack_decoder *d) { return d ? d->table.size : 0; }
size_t h2f_hpack_decoder_table_max(const h2f_hpack_decoder *d) { return d ? d->table.max_size : 0; }

/* ------------------------------------------------------------------------ */
/* The encoder                                                              */
/* ------------------------------------------------------------------------ */

#define NONE 0xffffffffu

/* The indexing policy's per-name memory (see worth_indexing). */
#define NAME_SLOTS 64
#define NAME_RECENT 4
#define NAME_WARMUP 2
#define NAME_RATIO 8
#define NAME_HALVE_AT 64
/* A slot: name hash, literals sent, repeats among them, next recent slot,
 * then NAME_RECENT value hashes. */
#define NAME_WORDS (4 + NAME_RECENT)

/* Per slot (descriptor slots, then the 61 static entries) eight words, by
 * chain k (BY_FIELD or BY_NAME): next in chain k, hash for chain k, the slot
 * before it in chain k (or HEAD | its bucket), then the smallest static
 * index with the slot's name (0 if none: a name found in the dynamic table
 * then needs no further search for a smaller index), and one unused word
 * (a power of two to index by). Chains are doubly linked so that eviction
 * takes an entry out without a walk. Slot and bucket numbers stay far below
 * HEAD: with MAX_TABLE_CAPACITY (2^28) there are 2^24 descriptor slots (the
 * power of two above 2^28 / 32) and 61 static ones, and 2^26 buckets of
 * each kind. */
enum { BY_FIELD = 0, BY_NAME = 1 };
#define SLOT_WORDS 8
#define HEAD 0x80000000u
#define L_NEXT(e, s, k) ((e)->links[SLOT_WORDS * (size_t)(s) + (k)])
#define L_HASH(e, s, k) ((e)->links[SLOT_WORDS * (size_t)(s) + 2 + (k)])
#define L_PREV(e, s, k) ((e)->links[SLOT_WORDS * (size_t)(s) + 4 + (k)])
#define L_STATIC_NAME(e, s) ((e)->links[SLOT_WORDS * (size_t)(s) + 6])
#define BUCKET(e, k, h) ((k) * (e)->nbuckets + ((h) & ((e)->nbuckets - 1)))
#define L_NEXT_FIELD(e, s) L_NEXT(e, s, BY_FIELD)
#define L_NEXT_NAME(e, s) L_NEXT(e, s, BY_NAME)
#define L_HASH_FIELD(e, s) L_HASH(e, s, BY_FIELD)
#define L_HASH_NAME(e, s) L_HASH(e, s, BY_NAME)
#define FIELD_HEAD(e, h) ((e)->buckets[BUCKET(e, BY_FIELD, h)])
#define NAME_HEAD(e, h) ((e)->buckets[BUCKET(e, BY_NAME, h)])

/* A word-at-a-time hash of every octet (the indexing policy compares
 * values by hash, so all of a value counts); the last word overlaps the one
 * before it rather than reading past the end. Chained, so that a name's
 * hash seeds its field's. The last product's top half, which every octet
 * reaches, is folded into the bottom half (which picks the bucket) rather
 * than mixed by a further multiply: one multiply less on the path to the
 * bucket, measured 4 % faster, and the chains stay as short. */
static inline uint64_t load64(const uint8_t *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

FAST_INLINE uint32_t hash_bytes(const uint8_t *p, size_t n, uint64_t h)
{
    h ^= (uint64_t)n * 0x9e3779b97f4a7c15ull;
    if (n >= 8) {
        const uint8_t *last = p + n - 8;
        for (; p < last; p += 8)
            h = (h ^ load64(p)) * 0xff51afd7ed558ccdull;
        h = (h ^ load64(last)) * 0xff51afd7ed558ccdull;
    } else if (n >= 4) { /* two 4-octet loads that overlap */
        uint32_t a, b;
        memcpy(&a, p, 4);
        memcpy(&b, p + n - 4, 4);
        h = (h ^ ((uint64_t)a << 32 | b)) * 0xff51afd7ed558ccdull;
    } else if (n) {
        h = (h ^ ((uint64_t)p[0] << 16 | (uint64_t)p[n / 2] << 8 | p[n - 1])) *
            0xff51afd7ed558ccdull;
    }
    return (uint32_t)(h ^ (h >> 32));
}

FAST_INLINE uint32_t hash_name(h2f_bytes name) { return hash_bytes(name.ptr, name.len, 0x1234567); }
FAST_INLINE uint32_t hash_field(uint32_t hn, h2f_bytes value) { return hash_bytes(value.ptr, value.len, hn); }

/* Equal strings? Eight octets at a time, the last load overlapping. */
static inline int bytes_equal(h2f_bytes a, h2f_bytes b)
{
    size_t n = a.len, i;
    if (n != b.len)
        return 0;
    if (n >= 8) {
        for (i = 0; i + 8 < n; i += 8)
            if (load64(a.ptr + i) != load64(b.ptr + i))
                return 0;
        return load64(a.ptr + n - 8) == load64(b.ptr + n - 8);
    }
    if (n >= 4) {
        uint32_t x1, x2, y1, y2;
        memcpy(&x1, a.ptr, 4);
        memcpy(&y1, b.ptr, 4);
        memcpy(&x2, a.ptr + n - 4, 4);
        memcpy(&y2, b.ptr + n - 4, 4);
        return x1 == y1 && x2 == y2;
    }
    for (i = 0; i < n; i++)
        if (a.ptr[i] != b.ptr[i])
            return 0;
    return 1;
}

/* A slot goes to the head of its bucket's chain k (newest first). */
static void chain_push(h2f_hpack_encoder *e, uint32_t s, int k, uint32_t h)
{
    size_t b = BUCKET(e, k, h);
    uint32_t old = e->buckets[b];
    L_HASH(e, s, k) = h;
    L_NEXT(e, s, k) = old;
    L_PREV(e, s, k) = HEAD | (uint32_t)b;
    if (old != NONE)
        L_PREV(e, old, k) = s;
    e->buckets[b] = s;
}

static void chain_remove(h2f_hpack_encoder *e, uint32_t s, int k)
{
    uint32_t next = L_NEXT(e, s, k), prev = L_PREV(e, s, k);
    if (prev & HEAD)
        e->buckets[prev & ~HEAD] = next;
    else
        L_NEXT(e, prev, k) = next;
    if (next != NONE)
        L_PREV(e, next, k) = prev;
}

static void link_slot(h2f_hpack_encoder *e, uint32_t s, uint32_t hf, uint32_t hn)
{
    chain_push(e, s, BY_FIELD, hf);
    chain_push(e, s, BY_NAME, hn);
}

/* The oldest entry leaves the table: take it out of its two chains. */
static void unlink_slot(h2f_hpack_encoder *e, uint32_t s)
{
    chain_remove(e, s, BY_FIELD);
    chain_remove(e, s, BY_NAME);
}

static inline void enc_evict_to(h2f_hpack_encoder *e, size_t need)
{
    while (e->table.count && e->table.size + need > e->table.max_size) {
        unlink_slot(e, (uint32_t)h2f__table_oldest(&e->table));
        h2f__table_evict_oldest(&e->table);
    }
}

/* Name and value of a slot: a dynamic descriptor or a static pseudo-slot. */
static inline void slot_entry(const h2f_hpack_encoder *e, uint32_t s, h2f_bytes *name,
                              h2f_bytes *value)
{
    if (s >= e->table.ent_cap) {
        *name = h2f__static_table[s - e->table.ent_cap + 1].name;
        *value = h2f__static_table[s - e->table.ent_cap + 1].value;
    } else {
        h2f__table_get(&e->table, s, name, value);
    }
}

/* The HPACK index of a slot (§2.3.3): static 1..61, then the dynamic table
 * from 62, newest first. */
static inline uint32_t slot_index(const h2f_hpack_encoder *e, uint32_t s)
{
    if (s >= e->table.ent_cap)
        return s - (uint32_t)e->table.ent_cap + 1;
    return H2F_HPACK_STATIC_TABLE_LEN + 1 +
           (uint32_t)((e->table.newest + e->table.ent_cap - s) & (e->table.ent_cap - 1));
}

h2f_status h2f_hpack_encoder_init(h2f_hpack_encoder *e, const h2f_hpack_encoder_options *opt,
                                  const h2f_allocator *alloc)
{
    size_t slots, i;
    h2f_status st;

    if (!e)
        return H2F_ERR_INVALID_ARGUMENT;
    memset(e, 0, sizeof *e);
    if (opt)
        e->opt = *opt;
    if (e->opt.max_table_size == 0) /* zero means the default */
        e->opt.max_table_size = H2F_HPACK_DEFAULT_TABLE_SIZE;
    else if (e->opt.max_table_size == H2F_HPACK_TABLE_SIZE_ZERO)
        e->opt.max_table_size = 0;
    e->alloc = h2f__allocator(alloc);
    if (!e->alloc.alloc || !e->alloc.free || e->opt.max_table_size > MAX_TABLE_CAPACITY)
        return H2F_ERR_INVALID_ARGUMENT;
    st = h2f__table_init(&e->table, e->opt.max_table_size, &e->alloc);
    if (st != H2F_OK)
        return st;
    slots = e->table.ent_cap + H2F_HPACK_STATIC_TABLE_LEN;
    for (e->nbuckets = 64; e->nbuckets < 2 * slots; e->nbuckets *= 2)
        ;
    e->links = e->alloc.alloc(SLOT_WORDS * sizeof(uint32_t) * slots, e->alloc.user);
    e->buckets = e->alloc.alloc(2 * sizeof(uint32_t) * e->nbuckets, e->alloc.user);
    e->names = e->alloc.alloc(NAME_WORDS * sizeof(uint32_t) * NAME_SLOTS, e->alloc.user);
    if (!e->links || !e->buckets || !e->names) {
        h2f_hpack_encoder_free(e);
        return H2F_ERR_NOMEM;
    }
    for (i = 0; i < 2 * e->nbuckets; i++)
        e->buckets[i] = NONE;
    memset(e->names, 0, NAME_WORDS * sizeof(uint32_t) * NAME_SLOTS);
    /* The static table is indexed too, oldest in each chain, so that a
     * dynamic match (which repeats a recent field) is found first. Entries
     * with the same name are next to each other there (Appendix A). */
    for (i = 1; i <= H2F_HPACK_STATIC_TABLE_LEN; i++) {
        size_t s = e->table.ent_cap + i - 1;
        L_STATIC_NAME(e, s) =
            (uint32_t)(i > 1 && bytes_equal(h2f__static_table[i].name, h2f__static_table[i - 1].name)
                          ? L_STATIC_NAME(e, s - 1)
                          : i);
    }
    for (i = H2F_HPACK_STATIC_TABLE_LEN; i >= 1; i--) {
        uint32_t hn = hash_name(h2f__static_table[i].name);
        link_slot(e, (uint32_t)(e->table.ent_cap + i - 1), hash_field(hn, h2f__static_table[i].value), hn);
    }
    /* HPACK starts with 4096 octets (RFC 9113 §6.5.2); using less must be
     * announced with a size update (§4.2). */
    e->peer_size = H2F_HPACK_DEFAULT_TABLE_SIZE;
    e->target = e->opt.max_table_size < e->peer_size ? e->opt.max_table_size : e->peer_size;
    e->min_size = e->target;
    /* table.max_size is the size the peer's decoder uses: 4096 until an
     * update says otherwise (always sent before the first field). */
    e->table.max_size = H2F_HPACK_DEFAULT_TABLE_SIZE;
    e->update_pending = e->target != e->table.max_size;
    return H2F_OK;
}

void h2f_hpack_encoder_free(h2f_hpack_encoder *e)
{
    if (!e)
        return;
    h2f__table_free(&e->table, &e->alloc);
    if (e->links)
        e->alloc.free(e->links, e->alloc.user);
    if (e->buckets)
        e->alloc.free(e->buckets, e->alloc.user);
    if (e->names)
        e->alloc.free(e->names, e->alloc.user);
    e->links = NULL;
    e->buckets = NULL;
    e->names = NULL;
}

h2f_status h2f_hpack_encoder_set_peer_table_size(h2f_hpack_encoder *e, uint32_t size)
{
    if (!e || !e->links)
        return H2F_ERR_INVALID_ARGUMENT;
    /* RFC 9113 §4.3.1: a change of the setting is answered with a size
     * update in the next block, even when the size the encoder uses stays
     * the same (strict decoders expect one). */
    if (size != e->peer_size)
        e->update_pending = 1;
    e->peer_size = size;
    e->target = size < e->opt.max_table_size ? size : e->opt.max_table_size;
    if (e->target < e->min_size)
        e->min_size = e->target;
    if (e->target != e->table.max_size || e->min_size < e->table.max_size)
        e->update_pending = 1;
    return H2F_OK;
}

/* Octets a string can take: length prefix (at most 6) plus its octets, or
 * with forced Huffman at most 30 bits per octet. */
static size_t string_bound(size_t len, uint8_t flags)
{
    return 6 + ((flags & H2F_HPACK_HUFFMAN) ? (len / 8) * 30 + 30 : len);
}

size_t h2f_hpack_encode_bound(const h2f_hpack_encoder *e, const h2f_header *fields, size_t n)
{
    size_t total = 12, i, sum = 0, lens = 0; /* 12: two size updates */
    unsigned flags = 0;
    (void)e;
    if (!fields && n)
        return SIZE_MAX;
    /* The common case in one cheap pass: no forced Huffman, so a field
     * takes at most 6 (representation) + 2 * 6 (string lengths) octets
     * beyond its strings; with every length below 2^32 and n below 2^24
     * this cannot overflow a 64-bit size_t. */
    if (sizeof(size_t) >= 8 && n < (1u << 24)) {
        for (i = 0; i < n; i++) {
            sum += fields[i].name.len + fields[i].value.len;
            lens |= fields[i].name.len | fields[i].value.len;
            flags |= fields[i].flags;
        }
        if (lens > UINT32_MAX)
            return SIZE_MAX;
        if (!(flags & H2F_HPACK_HUFFMAN))
            return total + 18 * n + sum;
    }
    for (i = 0; i < n; i++) {
        size_t b;
        if (fields[i].name.len > UINT32_MAX || fields[i].value.len > UINT32_MAX)
            return SIZE_MAX;
        b = 6 + string_bound(fields[i].name.len, fields[i].flags) +
            string_bound(fields[i].value.len, fields[i].flags);
        if (total > SIZE_MAX - b)
            return SIZE_MAX;
        total += b;
    }
    return total;
}

/* §5.2: a string literal, Huffman-coded when that is shorter (or forced).
 * The speculative coding may leave junk in the octets the raw string would
 * have taken, past the shorter code. */
static uint8_t *string_encode(uint8_t *p, h2f_bytes s, uint8_t flags)
{
    if (flags & H2F_HPACK_HUFFMAN) {
        size_t hlen = h2f_huffman_encoded_len(s.ptr, s.len);
        p = int_encode(p, STRING_HUFFMAN_BIT, 7, (uint32_t)hlen);
        return huff_encode(p, s.ptr, s.len, hlen);
    }
    if (!(flags & H2F_HPACK_NO_HUFFMAN)) {
        if (s.len < 127) {
            /* Most strings: code them at once behind a one-octet length,
             * and keep the result only if it is shorter. The room is what
             * h2f_hpack_encode_bound counts for the string (6 + its length),
             * less the length octet. */
            uint8_t *end = huff_code(p + 1, s.ptr, s.len, s.len, s.len + 5);
            if (end) {
                *p = (uint8_t)(STRING_HUFFMAN_BIT | (size_t)(end - p - 1));
                return end;
            }
        } else {
            size_t hlen = h2f_huffman_encoded_len(s.ptr, s.len);
            if (hlen < s.len) {
                p = int_encode(p, STRING_HUFFMAN_BIT, 7, (uint32_t)hlen);
                return huff_encode(p, s.ptr, s.len, hlen);
            }
        }
    }
    p = int_encode(p, 0, 7, (uint32_t)s.len);
    if (s.len)
        memcpy(p, s.ptr, s.len);
    return p + s.len;
}

static int name_is(h2f_bytes name, const char *lit, size_t n)
{
    h2f_bytes l;
    l.ptr = (const uint8_t *)lit;
    l.len = n;
    return bytes_equal(name, l);
}

/* Whether a field is sent never-indexed without being asked: credentials
 * whose value is short enough to guess (RFC 7541 §7.1.3; RFC 9113 §8.2.3
 * for cookies), as nghttp2 does. */
#define STATIC_AUTHORIZATION 23
#define STATIC_COOKIE 32
static int sensitive(const h2f_hpack_encoder *e, const h2f_header *h, uint32_t hn)
{
    /* the static entries' name hashes, so that most names take one compare */
    uint32_t auth = L_HASH_NAME(e, e->table.ent_cap + STATIC_AUTHORIZATION - 1);
    uint32_t cookie = L_HASH_NAME(e, e->table.ent_cap + STATIC_COOKIE - 1);
    return (hn == auth && name_is(h->name, "authorization", 13)) ||
           (hn == cookie && h->value.len < 20 && name_is(h->name, "cookie", 6));
}

/*
 * The indexing policy. A field enters the table only if it may come back:
 * not when it would take over three quarters of the table, and not when the
 * literal values sent lately for its name rarely repeat (dates, lengths,
 * request ids), since such entries only push out ones that would be used.
 * Per name (in a small direct-mapped cache of NAME_SLOTS), the encoder keeps
 * the hashes of the last NAME_RECENT literal values, how many literals it
 * sent and how many of them repeated one of those; a name is indexed while
 * at least one literal in NAME_RATIO repeats, and always for its first
 * NAME_WARMUP literals. Measured on the hpack-test-case raw-data corpus
 * (docs/performance.md): 0.303 of the name + value octets, where a fixed
 * list of names (nghttp2's) gives 0.309.
 */

static int worth_indexing(h2f_hpack_encoder *e, const h2f_header *h, uint32_t hn, uint32_t hf)
{
    uint32_t *s = e->names + NAME_WORDS * (hn % NAME_SLOTS);
    int repeat = 0;
    unsigned i;

    if (h2f__entry_size(h->name.len, h->value.len) > e->table.max_size / 4 * 3)
        return 0;
    if (s[0] != hn || (s[1] == 0 && s[2] == 0)) {
        memset(s, 0, NAME_WORDS * sizeof *s); /* a new name takes the slot */
        s[0] = hn;
    }
    for (i = 0; i < NAME_RECENT; i++)
        repeat |= s[4 + i] == hf;
    s[1]++;
    s[2] += (uint32_t)repeat;
    if (s[1] >= NAME_HALVE_AT) { /* forget slowly: recent behaviour counts */
        s[1] /= 2;
        s[2] /= 2;
    }
    s[4 + s[3]] = hf;
    s[3] = (s[3] + 1) % NAME_RECENT;
    return s[1] <= NAME_WARMUP || s[2] * NAME_RATIO >= s[1];
}

static uint8_t *encode_field(h2f_hpack_encoder *e, uint8_t *p, const h2f_header *h)
{
    uint32_t hn = hash_name(h->name), hf = hash_field(hn, h->value), s, name_index = 0;
    int never = (h->flags & H2F_HPACK_NEVER_INDEX) ||
                (!(h->flags & (H2F_HPACK_INDEX | H2F_HPACK_NO_INDEX)) && sensitive(e, h, hn));

    /* §6.1: a field already in a table is sent as its index — unless it is
     * to be marked never-indexed, which only a literal carries. */
    if (!never) {
        for (s = FIELD_HEAD(e, hf); s != NONE; s = L_NEXT_FIELD(e, s)) {
            h2f_bytes n, v;
            if (L_HASH_FIELD(e, s) != hf)
                continue;
            slot_entry(e, s, &n, &v);
            if (bytes_equal(n, h->name) && bytes_equal(v, h->value))
                return int_encode(p, REP_INDEXED_BITS, 7, slot_index(e, s));
        }
    }
    /* §6.2: a literal, with the name's index when a table has the name; the
     * smallest index takes the fewest octets: a static one if the name has
     * one, else the newest dynamic entry's (chains run newest first). */
    for (s = NAME_HEAD(e, hn); s != NONE; s = L_NEXT_NAME(e, s)) {
        h2f_bytes n, v;
        if (L_HASH_NAME(e, s) != hn)
            continue;
        slot_entry(e, s, &n, &v);
        if (bytes_equal(n, h->name)) {
            name_index = L_STATIC_NAME(e, s) ? L_STATIC_NAME(e, s) : slot_index(e, s);
            break;
        }
    }
    if (never) {
        p = int_encode(p, REP_NEVER_BITS, 4, name_index);
    } else if ((h->flags & H2F_HPACK_NO_INDEX) ||
               (!(h->flags & H2F_HPACK_INDEX) && !worth_indexing(e, h, hn, hf))) {
        p = int_encode(p, REP_WITHOUT_BITS, 4, name_index);
    } else {
        size_t slot;
        p = int_encode(p, REP_INCREMENTAL_BITS, 6, name_index);
        enc_evict_to(e, h2f__entry_size(h->name.len, h->value.len));
        slot = h2f__table_insert(&e->table, h->name, h->value);
        if (slot != (size_t)-1) {
            link_slot(e, (uint32_t)slot, hf, hn);
            L_STATIC_NAME(e, slot) = (uint32_t)(name_index <= H2F_HPACK_STATIC_TABLE_LEN ? name_index : 0);
        }
    }
    if (name_index == 0)
        p = string_encode(p, h->name, h->flags);
    return string_encode(p, h->value, h->flags);
}

h2f_status h2f_hpack_encode(h2f_hpack_encoder *e, const h2f_header *fields, size_t n,
                            uint8_t *dst, size_t cap, size_t *written)
{
    size_t bound, i;
    uint8_t *p = dst;

    if (!e || !e->links || !written || (!fields && n) || (!dst && cap))
        return H2F_ERR_INVALID_ARGUMENT;
    bound = h2f_hpack_encode_bound(e, fields, n);
    if (bound == SIZE_MAX)
        return H2F_ERR_INVALID_ARGUMENT;
    if (cap < bound) {
        *written = bound;
        return H2F_ERR_BUFFER_TOO_SMALL;
    }
    /* §4.2: "the encoder MUST signal ... the smallest maximum table size
     * that occurs in that interval ... The encoder then signals the final
     * maximum size." */
    if (e->update_pending) {
        if (e->min_size < e->target) {
            p = int_encode(p, REP_SIZE_UPDATE_BITS, 5, e->min_size);
            e->table.max_size = e->min_size;
            enc_evict_to(e, 0);
        }
        p = int_encode(p, REP_SIZE_UPDATE_BITS, 5, e->target);
        e->table.max_size = e->target;
        enc_evict_to(e, 0);
        e->min_size = UINT32_MAX; /* a new interval (§4.2) begins */
        e->update_pending = 0;
    }
    for (i = 0; i < n; i++)
        p = encode_field(e, p, &fields[i]);
    *written = (size_t)(p - dst);
    return H2F_OK;
}
