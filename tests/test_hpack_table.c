/*
 * Tests for hpack_table.c: the static table and the Huffman code, each
 * compared row by row with the RFC's own text (tests/data/rfc7541-appendix-
 * a.txt and -b.txt), and the dynamic table's sizes and evictions (§4).
 */
#include "harness.h"
#include "hpack_internal.h"

static int bytes_is(h2f_bytes b, const char *s)
{
    return b.len == strlen(s) && memcmp(b.ptr, s, b.len) == 0;
}

/* Appendix A, row by row: "| 1     | :authority                  |               |" */
static void test_static_table_matches_rfc7541_appendix_a(void **state)
{
    char *text = read_file(TEST_DATA "/rfc7541-appendix-a.txt", NULL), *line, *save = NULL;
    unsigned rows = 0;
    (void)state;
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        unsigned idx;
        char name[64], value[64];
        char *p = line, *bar;
        size_t vlen;
        while (*p == ' ')
            p++;
        if (sscanf(p, "| %u | %63s |", &idx, name) != 2)
            continue;
        bar = strchr(strchr(p + 1, '|') + 1, '|'); /* the bar before the value */
        assert_non_null(bar);
        bar += 2;
        vlen = (size_t)(strchr(bar, '|') - bar);
        while (vlen && bar[vlen - 1] == ' ')
            vlen--;
        memcpy(value, bar, vlen);
        value[vlen] = 0;
        assert_int_equal(idx, rows + 1);
        assert_true(bytes_is(h2f_hpack_static_name(idx), name));
        assert_true(bytes_is(h2f_hpack_static_value(idx), value));
        assert_true(bytes_is(h2f__static_table[idx].name, name));
        rows++;
    }
    assert_int_equal(rows, H2F_HPACK_STATIC_TABLE_LEN);
    assert_null(h2f_hpack_static_name(0).ptr);
    assert_null(h2f_hpack_static_name(62).ptr);
    free(text);
}

/* Appendix B, row by row: "    ' ' ( 32)  |010100     14  [ 6]": the bits, the
 * hex code and the length all agree with the table in hpack_table.c. */
static void test_huffman_code_matches_rfc7541_appendix_b(void **state)
{
    char *text = read_file(TEST_DATA "/rfc7541-appendix-b.txt", NULL), *line, *save = NULL;
    unsigned rows = 0;
    (void)state;
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        unsigned sym, len, nbits = 0;
        unsigned long hex, code = 0;
        char *open = strchr(line, '('), *bits = strchr(line, '|'), *p;
        /* the symbol's number in "(nnn)"; a row for '(' has one before it */
        while (open && sscanf(open, "(%u)", &sym) != 1)
            open = strchr(open + 1, '(');
        if (!open)
            continue;
        bits = strchr(strchr(open, ')'), '|');
        if (!bits)
            continue;
        for (p = bits; *p == '|' || *p == '0' || *p == '1'; p++) {
            if (*p == '|')
                continue;
            code = code << 1 | (unsigned long)(*p - '0');
            nbits++;
        }
        assert_int_equal(sscanf(p, " %lx [ %u]", &hex, &len), 2);
        assert_int_equal(sym, rows);
        assert_int_equal(code, hex);
        assert_int_equal(nbits, len);
        assert_int_equal(h2f__huffman_codes[sym].code, hex);
        assert_int_equal(h2f__huffman_codes[sym].len, len);
        rows++;
    }
    assert_int_equal(rows, 257);
    free(text);
}

/* ---- the dynamic table ---------------------------------------------------- */

static h2f_bytes B(const char *s)
{
    h2f_bytes b;
    b.ptr = (const uint8_t *)s;
    b.len = strlen(s);
    return b;
}

/* ---- an allocator that keeps account -------------------------------------- */

/* Every block the library holds, with guard octets either side (checked when
 * it is given back: an overrun or underrun of the table's buffers fails the
 * test), a count of calls, and failures on demand: the fail_at-th call from
 * now (1 = the next), every call (fail_all), or a request of zero octets
 * (refuse_zero, as C11 7.22.3 lets malloc(0) return NULL). */
enum { TRACK_MAX = 16, TRACK_GUARD = 32 };
typedef struct tracker {
    uint8_t *block[TRACK_MAX]; /* the start of the front guard */
    size_t size[TRACK_MAX];
    size_t live, calls, fail_at;
    int fail_all, refuse_zero;
} tracker;

static void *track_alloc(size_t n, void *user)
{
    tracker *tr = user;
    uint8_t *p;
    size_t i;
    tr->calls++;
    if (tr->fail_all || (tr->fail_at && --tr->fail_at == 0) || (tr->refuse_zero && n == 0))
        return NULL;
    for (i = 0; i < TRACK_MAX && tr->block[i]; i++)
        ;
    assert_true(i < TRACK_MAX);
    p = malloc(n + 2 * TRACK_GUARD);
    assert_non_null(p);
    memset(p, 0xa5, TRACK_GUARD);
    memset(p + TRACK_GUARD, 0x3c, n); /* not zero: nothing may rely on it */
    memset(p + TRACK_GUARD + n, 0x5a, TRACK_GUARD);
    tr->block[i] = p;
    tr->size[i] = n;
    tr->live++;
    return p + TRACK_GUARD;
}

static void *track_realloc(void *ptr, size_t n, void *user)
{
    (void)ptr;
    (void)n;
    (void)user;
    fail_msg("the dynamic table never reallocates");
    return NULL;
}

static void track_free(void *ptr, void *user)
{
    tracker *tr = user;
    size_t i, k;
    if (!ptr)
        return;
    for (i = 0; i < TRACK_MAX && tr->block[i] != (uint8_t *)ptr - TRACK_GUARD; i++)
        ;
    if (i == TRACK_MAX)
        fail_msg("free of a block not allocated, or freed twice");
    for (k = 0; k < TRACK_GUARD; k++) {
        if (tr->block[i][k] != 0xa5)
            fail_msg("octet %zu before a block of %zu overwritten", TRACK_GUARD - k, tr->size[i]);
        if (tr->block[i][TRACK_GUARD + tr->size[i] + k] != 0x5a)
            fail_msg("octet %zu after a block of %zu overwritten", k, tr->size[i]);
    }
    free(tr->block[i]);
    tr->block[i] = NULL;
    tr->live--;
}

static h2f_allocator tracking(tracker *tr)
{
    h2f_allocator a = {track_alloc, track_realloc, track_free, NULL};
    memset(tr, 0, sizeof *tr);
    a.user = tr;
    return a;
}

static void expect_entry(const h2f_hpack_table *t, size_t i, const char *name, const char *value)
{
    h2f_bytes n, v;
    assert_true(i >= 1 && i <= t->count);
    h2f__table_get(t, h2f__table_slot(t, i), &n, &v);
    assert_true(bytes_is(n, name));
    assert_true(bytes_is(v, value));
}

/* §4.1: size = name + value + 32; §4.4: the oldest go first. */
static void test_dynamic_table_entry_size_and_eviction(void **state)
{
    h2f_allocator a = h2f__allocator(NULL);
    h2f_hpack_table t;
    (void)state;
    assert_int_equal(h2f__table_init(&t, 100, &a), H2F_OK);
    h2f__table_set_max(&t, 100);
    h2f__table_insert(&t, B("a"), B("1"));  /* 34 */
    h2f__table_insert(&t, B("bb"), B("2")); /* 35 */
    assert_int_equal(t.size, 69);
    assert_int_equal(t.count, 2);
    expect_entry(&t, 1, "bb", "2");
    expect_entry(&t, 2, "a", "1");
    h2f__table_insert(&t, B("c"), B("33")); /* 35: "a" must go (69+35 > 100) */
    assert_int_equal(t.count, 2);
    assert_int_equal(t.size, 70);
    expect_entry(&t, 1, "c", "33");
    expect_entry(&t, 2, "bb", "2");
    h2f__table_free(&t, &a);
}

/* §4.4: an entry larger than the table empties it, and is not an error. */
static void test_dynamic_table_entry_larger_than_table_empties_it(void **state)
{
    h2f_allocator a = h2f__allocator(NULL);
    h2f_hpack_table t;
    (void)state;
    assert_int_equal(h2f__table_init(&t, 100, &a), H2F_OK);
    h2f__table_set_max(&t, 100);
    h2f__table_insert(&t, B("a"), B("1"));
    assert_int_equal(h2f__table_insert(&t, B("name-of-some-length"), B("a-value-long-enough-to-pass-the-maximum-size-of-the-table")),
                     (size_t)-1);
    assert_int_equal(t.count, 0);
    assert_int_equal(t.size, 0);
    /* exactly the maximum fits */
    assert_true(h2f__table_insert(&t, B("0123456789012345678901234567890123"),
                                  B("0123456789012345678901234567890123")) != (size_t)-1);
    assert_int_equal(t.size, 100);
    h2f__table_free(&t, &a);
}

/* §4.3: lowering the maximum evicts until the table fits; 0 empties it. */
static void test_dynamic_table_max_size_change_evicts(void **state)
{
    h2f_allocator a = h2f__allocator(NULL);
    h2f_hpack_table t;
    (void)state;
    assert_int_equal(h2f__table_init(&t, 4096, &a), H2F_OK);
    h2f__table_set_max(&t, 4096);
    h2f__table_insert(&t, B("a"), B("1"));
    h2f__table_insert(&t, B("b"), B("2"));
    h2f__table_insert(&t, B("c"), B("3"));
    h2f__table_set_max(&t, 68);
    assert_int_equal(t.count, 2);
    expect_entry(&t, 2, "b", "2");
    h2f__table_set_max(&t, 0);
    assert_int_equal(t.count, 0);
    assert_int_equal(t.size, 0);
    h2f__table_free(&t, &a);
}

/* Many inserts of varied sizes, checked entry by entry against a plain model
 * (the buffer is compacted now and then; entries must survive it). */
static void test_dynamic_table_matches_model_over_many_inserts(void **state)
{
    enum { MAXN = 200 };
    tracker tr;
    h2f_allocator a = tracking(&tr);
    h2f_hpack_table t;
    static char names[MAXN][64], values[MAXN][300];
    size_t count = 0, size = 0, i, step, max = 700;
    (void)state;
    assert_int_equal(h2f__table_init(&t, 1000, &a), H2F_OK);
    h2f__table_set_max(&t, max);
    rng_state = 7;
    for (step = 0; step < 20000; step++) {
        char n[64], v[300];
        size_t nl = rng() % 20, vl = rng() % 280, es = nl + vl + 32;
        for (i = 0; i < nl; i++)
            n[i] = (char)('a' + rng() % 26);
        n[nl] = 0;
        for (i = 0; i < vl; i++)
            v[i] = (char)('A' + rng() % 26);
        v[vl] = 0;
        if (step % 1000 == 999) { /* sometimes a size change, as §4.3 */
            max = 200 + rng() % 800;
            h2f__table_set_max(&t, max);
            while (count && size > max) {
                count--;
                size -= strlen(names[count]) + strlen(values[count]) + 32;
            }
        }
        h2f__table_insert(&t, B(n), B(v));
        /* model: newest at 0 */
        if (es > max) {
            count = 0;
            size = 0;
        } else {
            while (count && size + es > max) {
                count--;
                size -= strlen(names[count]) + strlen(values[count]) + 32;
            }
            memmove(names[1], names[0], sizeof names[0] * count);
            memmove(values[1], values[0], sizeof values[0] * count);
            strcpy(names[0], n);
            strcpy(values[0], v);
            count++;
            size += es;
        }
        assert_int_equal(t.count, count);
        assert_int_equal(t.size, size);
        for (i = 0; i < count; i++)
            expect_entry(&t, i + 1, names[i], values[i]);
    }
    h2f__table_free(&t, &a);
    assert_int_equal(tr.live, 0);
}

/* Raising the capacity keeps every entry. */
static void test_dynamic_table_reserve_keeps_entries(void **state)
{
    tracker tr;
    h2f_allocator a = tracking(&tr);
    h2f_hpack_table t;
    (void)state;
    assert_int_equal(h2f__table_init(&t, 100, &a), H2F_OK);
    h2f__table_set_max(&t, 100);
    h2f__table_insert(&t, B("a"), B("1"));
    h2f__table_insert(&t, B("b"), B("22"));
    assert_int_equal(h2f__table_reserve(&t, 5000, &a), H2F_OK);
    assert_int_equal(t.capacity, 5000);
    expect_entry(&t, 1, "b", "22");
    expect_entry(&t, 2, "a", "1");
    h2f__table_set_max(&t, 5000);
    h2f__table_insert(&t, B("c"), B("3"));
    expect_entry(&t, 1, "c", "3");
    expect_entry(&t, 3, "a", "1");
    h2f__table_free(&t, &a);
    assert_int_equal(tr.live, 0);
}

/* ---- issue 15: gaps 1-10 ---- */

/* §2.3.2 / §4.4: the dynamic table is first in, first out, whatever the
 * table does with its octets. Entries here are large against the table
 * (up to all of it), each with octets of its own, and the maximum moves
 * (§4.3, never above the capacity), so that the buffer is compacted often
 * with few entries, the descriptor ring wraps many times over, and octets a
 * compaction leaves behind are soon overwritten by later entries: every
 * entry, newest to oldest, must still read back as inserted, after every
 * insertion. */
static void test_dynamic_table_large_entries_survive_compaction(void **state)
{
    enum { CAP = 300, MAXN = 16 };
    tracker tr;
    h2f_allocator a = tracking(&tr);
    h2f_hpack_table t;
    static uint8_t names[MAXN][CAP], values[MAXN][CAP];
    size_t nlen[MAXN], vlen[MAXN]; /* the model: newest at 0 */
    size_t count = 0, size = 0, i, step, max = CAP, compactions = 0, wraps = 0, last_newest = 0;
    (void)state;
    assert_int_equal(h2f__table_init(&t, CAP, &a), H2F_OK);
    h2f__table_set_max(&t, max);
    rng_state = 15;
    for (step = 0; step < 30000; step++) {
        uint8_t n[CAP], v[CAP];
        size_t nl, vl, es, head_before = t.head;
        h2f_bytes bn, bv;
        if (step % 97 == 96) { /* §4.3: a new maximum, at most the capacity */
            max = 64 + rng() % (CAP - 63);
            h2f__table_set_max(&t, max);
            while (count && size > max) {
                count--;
                size -= nlen[count] + vlen[count] + 32;
            }
        }
        /* from nothing to half the maximum, and now and then up to all of
         * it */
        es = 32 + (step % 7 == 0 ? rng() % (max - 31) : rng() % ((max - 32) / 2 + 1));
        if (es > max)
            es = max;
        nl = rng() % (es - 32 + 1);
        if (nl > 60)
            nl = 1 + rng() % 60;
        vl = es - 32 - nl;
        for (i = 0; i < nl; i++)
            n[i] = (uint8_t)('a' + (step + i) % 26);
        for (i = 0; i < vl; i++)
            v[i] = (uint8_t)(step * 7 + i * 13 + (i >> 8)); /* this entry's own octets */
        bn.ptr = n;
        bn.len = nl;
        bv.ptr = v;
        bv.len = vl;
        assert_true(h2f__table_insert(&t, bn, bv) != (size_t)-1);
        if (t.head < head_before + nl + vl && t.count > 1)
            compactions++; /* with entries moved */
        if (t.newest < last_newest)
            wraps++;
        last_newest = t.newest;
        while (count && size + es > max) {
            count--;
            size -= nlen[count] + vlen[count] + 32;
        }
        memmove(names[1], names[0], sizeof names[0] * count);
        memmove(values[1], values[0], sizeof values[0] * count);
        memmove(nlen + 1, nlen, sizeof nlen[0] * count);
        memmove(vlen + 1, vlen, sizeof vlen[0] * count);
        memcpy(names[0], n, nl);
        memcpy(values[0], v, vl);
        nlen[0] = nl;
        vlen[0] = vl;
        count++;
        size += es;
        assert_int_equal(t.count, count);
        assert_int_equal(t.size, size);
        for (i = 0; i < count; i++) {
            h2f_bytes gn, gv;
            h2f__table_get(&t, h2f__table_slot(&t, i + 1), &gn, &gv);
            if (gn.len != nlen[i] || gv.len != vlen[i] || (nlen[i] && memcmp(gn.ptr, names[i], nlen[i])) ||
                (vlen[i] && memcmp(gv.ptr, values[i], vlen[i])))
                fail_msg("step %zu: entry %zu of %zu differs", step, i + 1, count);
        }
    }
    /* what the test is for happened, many times */
    assert_true(compactions > 300); /* 672 with this seed */
    assert_true(wraps > 1000);      /* 1874 */
    h2f__table_free(&t, &a);
    assert_int_equal(tr.live, 0);
}

/* The layout hpack_internal.h documents for the dynamic table (§2.3.2: a
 * first-in, first-out list): the entries lie in the one buffer oldest first,
 * each entry's octets before those of the next newer one, and the newest
 * ends at head, the next free octet; when the buffer's end is reached they
 * are moved to its start (table_compact), in the same order, as they are
 * when the capacity grows (h2f__table_reserve). Checked after every
 * insertion of entries large against the table: many compactions. */
static void test_dynamic_table_entries_lie_oldest_first(void **state)
{
    enum { CAP = 256 };
    tracker tr;
    h2f_allocator a = tracking(&tr);
    h2f_hpack_table t;
    uint8_t v[CAP];
    size_t step, i, compactions = 0, cap = CAP / 2;
    (void)state;
    assert_int_equal(h2f__table_init(&t, cap, &a), H2F_OK);
    h2f__table_set_max(&t, cap);
    memset(v, 'v', sizeof v);
    rng_state = 42;
    for (step = 0; step < 4000; step++) {
        h2f_bytes bn = B("n"), bv;
        size_t head_before = t.head;
        if (step % 1000 == 500 && t.count > 1) {
            /* the capacity raised: the entries are copied across, packed
             * at the start of the new buffer */
            cap += CAP / 4;
            assert_int_equal(h2f__table_reserve(&t, cap, &a), H2F_OK);
            h2f__table_set_max(&t, cap);
            assert_int_equal(t.ent[3 * h2f__table_oldest(&t)], 0);
            head_before = t.head;
        }
        bv.ptr = v;
        bv.len = (size_t)(rng() % (cap / 2));
        assert_true(h2f__table_insert(&t, bn, bv) != (size_t)-1);
        if (t.head < head_before && t.count > 1) { /* compacted */
            compactions++;
            assert_int_equal(t.ent[3 * h2f__table_oldest(&t)], 0);
        }
        for (i = 1; i <= t.count; i++) {
            size_t s = h2f__table_slot(&t, i);
            size_t end = t.ent[3 * s] + t.ent[3 * s + 1] + t.ent[3 * s + 2];
            if (i == 1 && end != t.head)
                fail_msg("step %zu: the newest ends at %zu, head is %zu", step, end, t.head);
            if (i > 1 && end > t.ent[3 * h2f__table_slot(&t, i - 1)])
                fail_msg("step %zu: entry %zu ends after entry %zu begins", step, i, i - 1);
        }
        assert_true(t.head <= 2 * cap);
    }
    assert_int_equal(cap, CAP / 2 + 4 * (CAP / 4)); /* four reserves */
    assert_true(compactions > 100);
    h2f__table_free(&t, &a);
    assert_int_equal(tr.live, 0);
}

/* §4.4: a new entry is added at the lowest index, 1 (the newest), and
 * h2f__table_insert returns its slot, which the decoder reads the field
 * back from; so also after the descriptor ring has wrapped. */
static void test_dynamic_table_insert_returns_slot_of_new_entry(void **state)
{
    h2f_allocator a = h2f__allocator(NULL);
    h2f_hpack_table t;
    char v[8];
    size_t k, s;
    (void)state;
    assert_int_equal(h2f__table_init(&t, 100, &a), H2F_OK); /* a ring of 4 */
    h2f__table_set_max(&t, 100);
    for (k = 0; k < 11; k++) {
        snprintf(v, sizeof v, "%zu", k);
        s = h2f__table_insert(&t, B("x"), B(v));
        assert_true(s < t.ent_cap);
        assert_int_equal(s, h2f__table_slot(&t, 1));
        assert_int_equal(s, t.newest);
        expect_entry(&t, 1, "x", v);
    }
    assert_int_equal(t.count, 2); /* 100 / 34 */
    h2f__table_free(&t, &a);
}

/* ---- the caller's allocator (h2frame.h "Memory") ---- */

/* What the table allocates it gives back: init, growth (the old buffers
 * freed when the entries have moved) and free leave nothing allocated,
 * whether or not the table held entries. */
/* The table's memory is what h2frame.h says of h2f_hpack_table: 2 * capacity
 * + 1 octets for the entries and 12 octets for each of ent_cap descriptors,
 * ent_cap the least power of two above capacity / 32 (RFC 7541 §4.1: an
 * entry takes its 32 octets of overhead, so no more than capacity / 32
 * entries fit). Users size their memory budget by it. */
static void test_dynamic_table_memory_as_documented(void **state)
{
    static const struct {
        size_t capacity, slots;
    } cases[] = {{0, 1}, {31, 1}, {32, 2}, {63, 2}, {64, 4}, {100, 4}, {4095, 128},
                 {4096, 256}, {65536, 4096}};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tracker tr;
        h2f_allocator a = tracking(&tr);
        h2f_hpack_table t;
        assert_int_equal(h2f__table_init(&t, cases[i].capacity, &a), H2F_OK);
        assert_int_equal(tr.live, 2);
        assert_int_equal(tr.size[0], 2 * cases[i].capacity + 1);
        assert_int_equal(tr.size[1], 12 * cases[i].slots);
        assert_int_equal(t.ent_cap, cases[i].slots);
        h2f__table_free(&t, &a);
        assert_int_equal(tr.live, 0);
    }
}

static void test_dynamic_table_free_returns_every_allocation(void **state)
{
    tracker tr;
    h2f_allocator a = tracking(&tr);
    h2f_hpack_table t;
    (void)state;
    assert_int_equal(h2f__table_init(&t, 100, &a), H2F_OK);
    assert_int_equal(tr.live, 2); /* the octets and the descriptors */
    h2f__table_free(&t, &a);
    assert_int_equal(tr.live, 0);
    assert_null(t.buf);
    assert_null(t.ent);
    h2f__table_free(&t, &a); /* again: nothing to free */
    assert_int_equal(tr.live, 0);

    assert_int_equal(h2f__table_init(&t, 100, &a), H2F_OK);
    h2f__table_set_max(&t, 100);
    h2f__table_insert(&t, B("a"), B("1"));
    tr.calls = 0;
    assert_int_equal(h2f__table_reserve(&t, 4096, &a), H2F_OK);
    assert_int_equal(tr.calls, 2); /* two new, and the two old freed */
    assert_int_equal(tr.live, 2);
    expect_entry(&t, 1, "a", "1");
    h2f__table_free(&t, &a);
    assert_int_equal(tr.live, 0);
}

/* Out of memory at init: H2F_ERR_NOMEM, and whichever of the two
 * allocations succeeded is given back (the decoder and the encoder return
 * the status without freeing the table). */
static void test_dynamic_table_init_out_of_memory_frees_what_it_got(void **state)
{
    tracker tr;
    h2f_allocator a = tracking(&tr);
    h2f_hpack_table t;
    size_t which;
    (void)state;
    for (which = 1; which <= 2; which++) {
        tr.calls = 0;
        tr.fail_at = which;
        assert_int_equal(h2f__table_init(&t, 4096, &a), H2F_ERR_NOMEM);
        assert_int_equal(tr.calls, 2);
        assert_int_equal(tr.live, 0);
        assert_null(t.buf);
        assert_null(t.ent);
    }
}

/* Out of memory while the capacity grows: H2F_ERR_NOMEM, nothing leaked,
 * and the table is as it was (its capacity, every entry, still usable). */
static void test_dynamic_table_reserve_out_of_memory_keeps_table(void **state)
{
    tracker tr;
    h2f_allocator a = tracking(&tr);
    h2f_hpack_table t;
    size_t which;
    (void)state;
    for (which = 1; which <= 2; which++) {
        assert_int_equal(h2f__table_init(&t, 100, &a), H2F_OK);
        h2f__table_set_max(&t, 100);
        h2f__table_insert(&t, B("a"), B("1"));
        h2f__table_insert(&t, B("b"), B("22"));
        tr.calls = 0;
        tr.fail_at = which;
        assert_int_equal(h2f__table_reserve(&t, 5000, &a), H2F_ERR_NOMEM);
        assert_int_equal(tr.calls, 2);
        assert_int_equal(tr.live, 2);
        assert_int_equal(t.capacity, 100);
        assert_int_equal(t.count, 2);
        assert_int_equal(t.size, 69);
        expect_entry(&t, 1, "b", "22");
        expect_entry(&t, 2, "a", "1");
        h2f__table_insert(&t, B("c"), B("3")); /* evicts "a" (69 + 34 > 100) */
        assert_int_equal(t.count, 2);
        expect_entry(&t, 1, "c", "3");
        expect_entry(&t, 2, "b", "22");
        h2f__table_free(&t, &a);
        assert_int_equal(tr.live, 0);
    }
}

/* The capacity is only ever raised: a reserve of the same or a smaller
 * capacity keeps the table as it is and needs no memory, so it cannot fail
 * (h2f_hpack_decoder_set_max_table_size lowering the setting relies on it:
 * the peer may keep using the larger table until it sends a size update,
 * RFC 7541 §4.2). */
static void test_dynamic_table_reserve_never_lowers_capacity(void **state)
{
    tracker tr;
    h2f_allocator a = tracking(&tr);
    h2f_hpack_table t;
    (void)state;
    assert_int_equal(h2f__table_init(&t, 200, &a), H2F_OK);
    h2f__table_set_max(&t, 200);
    h2f__table_insert(&t, B("a"), B("1"));
    h2f__table_insert(&t, B("b"), B("22"));
    tr.fail_all = 1;
    tr.calls = 0;
    assert_int_equal(h2f__table_reserve(&t, 200, &a), H2F_OK);
    assert_int_equal(h2f__table_reserve(&t, 100, &a), H2F_OK);
    assert_int_equal(h2f__table_reserve(&t, 0, &a), H2F_OK);
    assert_int_equal(tr.calls, 0);
    assert_int_equal(t.capacity, 200);
    assert_int_equal(t.max_size, 200);
    assert_int_equal(t.count, 2);
    expect_entry(&t, 1, "b", "22");
    expect_entry(&t, 2, "a", "1");
    tr.fail_all = 0;
    h2f__table_insert(&t, B("c"), B("333333333333333333333333333333333333333333333333333333333"));
    assert_int_equal(t.count, 3); /* 34 + 35 + 90 <= 200 */
    expect_entry(&t, 3, "a", "1");
    h2f__table_free(&t, &a);
    assert_int_equal(tr.live, 0);
}

/* RFC 7541 §4.2/§6.3: a maximum size of 0 is allowed (SETTINGS_HEADER_
 * TABLE_SIZE = 0, RFC 9113 §6.5.2): a table of capacity 0 must be made even
 * with an allocator that returns NULL for a request of zero octets (C11
 * 7.22.3 allows it), and then holds nothing: every entry is larger (§4.4). */
static void test_dynamic_table_of_capacity_zero(void **state)
{
    tracker tr;
    h2f_allocator a = tracking(&tr);
    h2f_hpack_table t;
    (void)state;
    tr.refuse_zero = 1;
    assert_int_equal(h2f__table_init(&t, 0, &a), H2F_OK);
    assert_int_equal(t.capacity, 0);
    h2f__table_set_max(&t, 0);
    assert_int_equal(h2f__table_insert(&t, B(""), B("")), (size_t)-1);
    assert_int_equal(t.count, 0);
    assert_int_equal(t.size, 0);
    /* and it grows like any other */
    assert_int_equal(h2f__table_reserve(&t, 64, &a), H2F_OK);
    h2f__table_set_max(&t, 64);
    assert_true(h2f__table_insert(&t, B("a"), B("1")) != (size_t)-1);
    expect_entry(&t, 1, "a", "1");
    h2f__table_free(&t, &a);
    assert_int_equal(tr.live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_static_table_matches_rfc7541_appendix_a),
        cmocka_unit_test(test_huffman_code_matches_rfc7541_appendix_b),
        cmocka_unit_test(test_dynamic_table_entry_size_and_eviction),
        cmocka_unit_test(test_dynamic_table_entry_larger_than_table_empties_it),
        cmocka_unit_test(test_dynamic_table_max_size_change_evicts),
        cmocka_unit_test(test_dynamic_table_matches_model_over_many_inserts),
        cmocka_unit_test(test_dynamic_table_reserve_keeps_entries),
        /* ---- issue 15: gaps 1-10 ---- */
        cmocka_unit_test(test_dynamic_table_large_entries_survive_compaction),
        cmocka_unit_test(test_dynamic_table_entries_lie_oldest_first),
        cmocka_unit_test(test_dynamic_table_insert_returns_slot_of_new_entry),
        /* ---- the caller's allocator ---- */
        cmocka_unit_test(test_dynamic_table_memory_as_documented),
        cmocka_unit_test(test_dynamic_table_free_returns_every_allocation),
        cmocka_unit_test(test_dynamic_table_init_out_of_memory_frees_what_it_got),
        cmocka_unit_test(test_dynamic_table_reserve_out_of_memory_keeps_table),
        cmocka_unit_test(test_dynamic_table_reserve_never_lowers_capacity),
        cmocka_unit_test(test_dynamic_table_of_capacity_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
