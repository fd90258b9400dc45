/*
 * Reads a recording with h2frame in the two roles of a real endpoint: the
 * server role reads the client's bytes, the client role the server's. Each
 * reader is told what its own side did, as an endpoint knows it, by an
 * observer of its own side's bytes: the SETTINGS it sent (they apply at the
 * peer's ACK, RFC 9113 §6.5.3; the peer's bind what the observed side may
 * send, so the observer gets those), the requests it opened (with
 * H2F_LOCAL_HEAD for HEAD: §8.1.1 exempts the response from content-length),
 * the pushes it promised, the streams it ended or reset. The two directions
 * are taken in order.py's order. Prints every error; exit status 1 if any.
 *
 *   cc -std=c11 -I. tests/traffic/http/roles.c libh2frame.a -o build/roles
 *   /usr/bin/python3 tests/traffic/http/order.py C.bin S.bin > ORDER
 *   build/roles C.bin S.bin ORDER [upgrade]
 *
 * upgrade: stream 1 was opened by an HTTP/1.1 Upgrade request (NAME.http1).
 * A check of the recordings, not a test: the tests read them their own way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "h2frame.h"

static uint8_t *slurp(const char *p, size_t *n)
{
    FILE *f = fopen(p, "rb");
    if (!f) { perror(p); exit(2); }
    fseek(f, 0, SEEK_END); *n = (size_t)ftell(f); fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(*n + 1);
    if (fread(b, 1, *n, f) != *n) exit(2);
    fclose(f);
    return b;
}

typedef struct side {
    const char *name;
    h2f_conn rd;            /* reads the peer's bytes */
    h2f_conn obs;           /* observes our own bytes: our local actions */
    int dead, obs_dead;
    uint8_t method_head[1 << 16];
    uint8_t opened[1 << 16];
    int errors;
    struct side *other;
} side;

static void init(side *s, const char *name, h2f_role role)
{
    h2f_conn_options o;
    memset(&o, 0, sizeof o);
    o.role = role;
    o.validate_http = 1;
    o.hpack.max_table_size = 65536;
    o.hpack.max_header_list_size = 1 << 20;
    o.max_concurrent_streams = 1000;
    o.max_local_streams = 1000;
    memset(s, 0, sizeof *s);
    s->name = name;
    if (h2f_conn_init(&s->rd, &o, NULL) != H2F_OK) exit(3);
    memset(&o, 0, sizeof o);
    o.role = H2F_ROLE_OBSERVER;
    o.hpack.max_table_size = 65536;
    o.hpack.max_header_list_size = 1 << 20;
    o.max_concurrent_streams = 1000;
    if (h2f_conn_init(&s->obs, &o, NULL) != H2F_OK) exit(3);
}

static void report(side *s, h2f_status st, const h2f_error *e)
{
    s->errors++;
    printf("  %s: %s %s (%s) at offset %llu, %s frame, stream %u: %s\n", s->name,
           h2f_status_name(st), h2f_error_code_name(e->code), h2f_scope_name(e->scope),
           (unsigned long long)e->offset, h2f_frame_type_name(e->frame_type) ? h2f_frame_type_name(e->frame_type) : "?",
           e->stream_id, e->reason ? e->reason : "");
}

static void observe(side *s, const uint8_t *p, size_t n, int is_server)
{
    h2f_event ev;
    h2f_error e;
    h2f_status st;
    if (s->obs_dead) return;
    h2f_conn_feed(&s->obs, p, n);
    while ((st = h2f_conn_next(&s->obs, &ev, &e)) != H2F_NEED_MORE) {
        if (st != H2F_OK) {
            printf("  %s's observer of its own bytes: %s %s at %llu: %s\n", s->name, h2f_status_name(st),
                   h2f_scope_name(e.scope), (unsigned long long)e.offset, e.reason ? e.reason : "");
            if (e.scope == H2F_SCOPE_CONNECTION) { s->obs_dead = 1; return; }
            continue;
        }
        uint32_t id = ev.stream_id;
        switch (ev.type) {
        case H2F_EV_FRAME:
            if (ev.frame && ev.frame->hd.type == 4 && !(ev.frame->hd.flags & 1)) {
                h2f_setting list[64];
                size_t k, m = ev.frame->settings.count < 64 ? ev.frame->settings.count : 64;
                for (k = 0; k < m; k++) list[k] = h2f_settings_get(ev.frame, k);
                st = h2f_conn_local_settings(&s->rd, list, m);
                if (s->other) h2f_conn_local_settings(&s->other->obs, list, m);
                if (st != H2F_OK) printf("  %s: local_settings: %s\n", s->name, h2f_status_name(st));
            }
            if (ev.frame && ev.frame->hd.type == 3 && id)
                h2f_conn_local_reset(&s->rd, id);
            break;
        case H2F_EV_HEADER:
            if (!is_server && ev.block == H2F_BLOCK_HEADERS && ev.field.name.len == 7 &&
                !memcmp(ev.field.name.ptr, ":method", 7) && ev.field.value.len == 4 &&
                !memcmp(ev.field.value.ptr, "HEAD", 4))
                s->method_head[id & 0xffff] = 1;
            break;
        case H2F_EV_HEADERS_END:
            if (is_server && ev.block == H2F_BLOCK_PUSH_PROMISE) {
                st = h2f_conn_local_open(&s->rd, ev.promised_stream_id, 0);
                if (st != H2F_OK) printf("  %s: local_open(%u) for a push: %s\n", s->name, ev.promised_stream_id, h2f_status_name(st));
            } else if (!is_server && !s->opened[id & 0xffff]) {
                unsigned fl = (ev.end_stream ? H2F_LOCAL_END_STREAM : 0) | (s->method_head[id & 0xffff] ? H2F_LOCAL_HEAD : 0);
                s->opened[id & 0xffff] = 1;
                st = h2f_conn_local_open(&s->rd, id, fl);
                if (st != H2F_OK) printf("  %s: local_open(%u): %s\n", s->name, id, h2f_status_name(st));
            } else if (ev.end_stream) {
                h2f_conn_local_close(&s->rd, id);
            }
            break;
        case H2F_EV_DATA:
            if (ev.end_stream && !ev.more) h2f_conn_local_close(&s->rd, id);
            break;
        case H2F_EV_END:
            if (ev.end == H2F_END_RESET) h2f_conn_local_reset(&s->rd, id);
            break;
        default:
            break;
        }
    }
}

static void readpeer(side *s, const uint8_t *p, size_t n)
{
    h2f_event ev;
    h2f_error e;
    h2f_status st;
    if (s->dead) return;
    h2f_conn_feed(&s->rd, p, n);
    while ((st = h2f_conn_next(&s->rd, &ev, &e)) != H2F_NEED_MORE) {
        if (st == H2F_OK) {
            if (ev.type == H2F_EV_HEADERS_END && ev.problems)
                printf("  %s: stream %u header problems %s\n", s->name, ev.stream_id, h2f_http_problem_name(ev.problems));
            continue;
        }
        report(s, st, &e);
        if (e.scope == H2F_SCOPE_CONNECTION) { s->dead = 1; return; }
    }
}

int main(int argc, char **argv)
{
    size_t cn, sn;
    uint8_t *cb = slurp(argv[1], &cn), *sb = slurp(argv[2], &sn);
    FILE *ord = fopen(argv[3], "r");
    static side server, client;
    init(&server, "server-role", H2F_ROLE_SERVER);
    init(&client, "client-role", H2F_ROLE_CLIENT);
    server.other = &client;
    client.other = &server;
    if (argc > 4 && !strcmp(argv[4], "upgrade")) {
        h2f_conn_local_open(&client.rd, 1, H2F_LOCAL_END_STREAM);
        client.opened[1] = 1;
    }
    char dir;
    size_t len, cpos = 0, spos = 0;
    while (fscanf(ord, " %c %zu", &dir, &len) == 2) {
        if (dir == 'c') {
            observe(&client, cb + cpos, len, 0);
            readpeer(&server, cb + cpos, len);
            cpos += len;
        } else {
            observe(&server, sb + spos, len, 1);
            readpeer(&client, sb + spos, len);
            spos += len;
        }
    }
    printf("  %d + %d errors\n", server.errors, client.errors);
    return server.errors + client.errors ? 1 : 0;
}
