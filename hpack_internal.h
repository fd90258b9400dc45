/*
 * hpack_internal.h — what the library's files share (HPACK's tables above
 * all). Not installed; h2frame.h is the only public header.
 * Library-internal symbols that must cross files are named h2f__*.
 */
#ifndef H2F_HPACK_INTERNAL_H
#define H2F_HPACK_INTERNAL_H

#include "h2frame.h"

/* Appendix A: index 1..61 (row 0 is unused). */
typedef struct h2f__static_entry {
    h2f_bytes name, value;
} h2f__static_entry;
extern const h2f__static_entry h2f__static_table[H2F_HPACK_STATIC_TABLE_LEN + 1];

/* Appendix B: row i is symbol i (256 is EOS). */
typedef struct h2f__huffman_code {
    uint32_t code; /* aligned on the least significant bit */
    uint8_t len;   /* in bits, 5..30 */
} h2f__huffman_code;
extern const h2f__huffman_code h2f__huffman_codes[257];

/* The dynamic table (§2.3.2, §4). Entries live in one buffer of
 * 2 * capacity octets, oldest first, each contiguous; descriptors in a ring. */
h2f_status h2f__table_init(h2f_hpack_table *t, size_t capacity, const h2f_allocator *a);
void h2f__table_free(h2f_hpack_table *t, const h2f_allocator *a);
/* Raises the capacity (never lowers it), keeping the entries. */
h2f_status h2f__table_reserve(h2f_hpack_table *t, size_t capacity, const h2f_allocator *a);
/* Descriptor slot of entry i (1 = newest, i <= count); descriptors are
 * three words each: offset, name length, value length. */
static inline size_t h2f__table_slot(const h2f_hpack_table *t, size_t i)
{
    return (t->newest + t->ent_cap - (i - 1)) & (t->ent_cap - 1);
}
static inline void h2f__table_get(const h2f_hpack_table *t, size_t slot, h2f_bytes *name,
                                  h2f_bytes *value)
{
    const uint32_t *e = t->ent + 3 * slot;
    name->ptr = t->buf + e[0];
    name->len = e[1];
    value->ptr = name->ptr + e[1];
    value->len = e[2];
}
/* Slot of the oldest entry (count > 0). */
static inline size_t h2f__table_oldest(const h2f_hpack_table *t)
{
    return h2f__table_slot(t, t->count);
}
void h2f__table_evict_oldest(h2f_hpack_table *t);
/* Evicts until size + need <= max_size or the table is empty (§4.4). */
void h2f__table_make_room(h2f_hpack_table *t, size_t need);
/* Sets max_size (<= capacity), evicting as §4.3 says. */
void h2f__table_set_max(h2f_hpack_table *t, size_t max_size);
/* Adds an entry (§4.4), after h2f__table_make_room. name and value must not
 * point into the table. Returns the slot, or (size_t)-1 when the entry is
 * larger than max_size (the table is then empty: not an error). */
size_t h2f__table_insert(h2f_hpack_table *t, h2f_bytes name, h2f_bytes value);

/* §4.1: "The size of an entry is the sum of its name's length in octets ...,
 * its value's length in octets, and 32." */
static inline size_t h2f__entry_size(size_t name_len, size_t value_len)
{
    return name_len + value_len + H2F_HPACK_ENTRY_OVERHEAD;
}

/* The caller's allocator, or libc's for NULL (h2frame.c). */
h2f_allocator h2f__allocator(const h2f_allocator *a);
/* SETTINGS_MAX_FRAME_SIZE's range, 2^14..2^24-1 (RFC 9113 §6.5.2). */
int h2f__valid_max_frame_size(uint32_t v);

/* §5.1 integers, for the tests: decode returns 1 (complete), 0 (input
 * ended) or -1 (overflow); encode writes at most 6 octets. */
int h2f__int_decode(const uint8_t *in, size_t len, unsigned prefix_bits, uint32_t *value,
                    size_t *consumed);
size_t h2f__int_encode(uint8_t *out, uint8_t first, unsigned prefix_bits, uint32_t value);

/* The bit-by-bit reference Huffman decoder the tests compare the fast one
 * with; same results as h2f_huffman_decode. */
h2f_status h2f__huffman_decode_reference(const uint8_t *src, size_t len, uint8_t *dst,
                                         size_t cap, size_t *written, h2f_error *err);

/* HTTP message checks of RFC 9113 §8.1-§8.3 over one field block (http.c).
 * The connection reader feeds each field and asks for the block's
 * remaining problems at its end; the result is H2F_HTTP_* bits. */
enum { H2F__MSG_UNKNOWN = 0, H2F__MSG_REQUEST, H2F__MSG_RESPONSE };
typedef struct h2f_http_state h2f__http_block; /* fields in h2frame.h */
/* push: a PUSH_PROMISE's request; protocol_ok: SETTINGS_ENABLE_CONNECT_PROTOCOL
 * is on (RFC 8441), so :protocol may be used. */
void h2f__http_begin(h2f__http_block *b, int message, int trailers, int push, int protocol_ok);
uint32_t h2f__http_field(h2f__http_block *b, h2f_bytes name, h2f_bytes value);
uint32_t h2f__http_end(h2f__http_block *b);
/* A :status value as a number: 100..999 for three digits, the first not 0
 * (RFC 9110 §15: "a three-digit integer code", its first digit the class);
 * anything else 0. */
uint32_t h2f__http_status(h2f_bytes value);

#endif
