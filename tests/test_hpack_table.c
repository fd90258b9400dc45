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
    h2f_allocator a = h2f__allocator(NULL);
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
}

/* Raising the capacity keeps every entry. */
static void test_dynamic_table_reserve_keeps_entries(void **state)
{
    h2f_allocator a = h2f__allocator(NULL);
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
    h2f_allocator a = h2f__allocator(NULL);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
