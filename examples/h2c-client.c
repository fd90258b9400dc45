/*
 * h2c-client — fetches URLs over one HTTP/2 connection, concurrently, on
 * h2frame: cleartext TCP with prior knowledge (RFC 9113 §3.3).
 *
 *   h2c-client [-o DIR] [-d FILE] [-w WINDOW] [-t SECONDS] [-q] URL...
 *
 *   URL      http://HOST[:PORT]/PATH (HOST a name, an IPv4 address or an
 *            [IPv6] one); every URL must name the same HOST:PORT
 *   -o DIR   save the body of the N-th URL as DIR/N (N = 1, 2, ...);
 *            without it the bodies go to stdout, in the order of the URLs
 *   -d FILE  POST the content of FILE to each URL (default: GET)
 *   -w N     our SETTINGS_INITIAL_WINDOW_SIZE (default 1048576); the
 *            connection window is the same, or 65535 if N is smaller
 *   -t S     give up after S seconds (default 30)
 *   -q       do not print the responses' header fields
 *
 * Each response's header fields (and trailers) go to stderr as
 * "[N] name: value" as they arrive, and a summary per URL at the end:
 * "[N] 200 12345 http://...". Exit status 0 if every response arrived
 * whole, 1 if one did not, 2 for a usage or connection error.
 *
 * The client opens as many streams as the server's
 * SETTINGS_MAX_CONCURRENT_STREAMS allows (at most 100), sends request
 * bodies within the server's flow-control windows, and gives its own
 * windows back as it writes what it received.
 */
#define _POSIX_C_SOURCE 200809L
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "h2c-common.h"

#define MAX_OPEN 100 /* our own limit on concurrent streams */

enum { QUEUED, OPEN, DONE, FAILED };

struct req {
    const char *url;
    char path[1024];
    uint32_t id;
    int state;
    const char *why;        /* FAILED: what happened */
    FILE *out;              /* the body goes here */
    int status;
    uint64_t bytes;
    size_t body_sent;       /* of the request body (-d) */
    uint8_t local_ended;    /* we sent END_STREAM */
    int64_t send_window;    /* what we may send on it (§6.9) */
    h2f_recv_window rw;  /* what the server may send on it */
};

static struct {
    struct req *reqs;
    size_t nreqs, next, nopen, nfinished;
    char host[256], port[8], authority[300];
    const uint8_t *body;    /* -d */
    size_t body_len;
    uint32_t window;
    int quiet;
    /* the connection */
    int fd;
    h2f_conn rd;            /* reads the server's bytes */
    h2f_hpack_encoder enc;
    struct obuf out;
    uint8_t in[65536];
    h2f_peer_settings peer;
    uint8_t got_settings, goaway, failed;
    uint32_t next_id;       /* client streams are odd (§5.1.1) */
    int64_t send_window;
    h2f_recv_window rw;
} g;

static struct req *find_req(uint32_t id)
{
    size_t i;
    for (i = 0; i < g.nreqs; i++)
        if (g.reqs[i].id == id && g.reqs[i].state == OPEN)
            return &g.reqs[i];
    return NULL;
}

static void finish(struct req *r, int state, const char *why)
{
    if (r->state == OPEN)
        g.nopen--;
    r->state = state;
    r->why = why;
    g.nfinished++;
}

/* The connection is over: whatever is not done has failed. */
static void fail_all(const char *why)
{
    size_t i;
    for (i = 0; i < g.nreqs; i++)
        if (g.reqs[i].state == QUEUED || g.reqs[i].state == OPEN)
            finish(&g.reqs[i], FAILED, why);
}

static void conn_fail(uint32_t code, const char *why)
{
    fprintf(stderr, "connection error %s: %s\n", h2f_error_code_name(code), why);
    put_goaway(&g.out, 0, code, why); /* §5.4.1; we accept no streams from the server */
    g.failed = 1;
    fail_all(why);
}

static void consumed(struct req *r, size_t n)
{
    uint32_t inc = h2f_recv_window_consume(&g.rw, n);
    if (inc)
        put_window_update(&g.out, 0, inc);
    if (r && (inc = h2f_recv_window_consume(&r->rw, n)) != 0)
        put_window_update(&g.out, r->id, inc);
}

/* ---- sending ------------------------------------------------------------- */

/* Opens streams for queued URLs while the server's limit allows (§5.1.2:
 * "Endpoints MUST NOT exceed the limit set by their peer"). */
static void open_streams(void)
{
    char len[24];
    while (g.next < g.nreqs && !g.goaway && g.nopen < MAX_OPEN &&
           g.nopen < g.peer.max_concurrent_streams) {
        struct req *r = &g.reqs[g.next];
        h2f_header h[6];
        size_t n = 0;
        int get = g.body == NULL;
        h[n++] = field(":method", get ? "GET" : "POST");
        h[n++] = field(":scheme", "http");
        h[n++] = field(":authority", g.authority);
        h[n++] = field(":path", r->path);
        h[n++] = field("user-agent", "h2c-client (h2frame " H2F_VERSION ")");
        if (!get) {
            snprintf(len, sizeof len, "%zu", g.body_len);
            h[n++] = field("content-length", len);
        }
        /* Tell the reader first, so that the response is expected. */
        if (h2f_conn_local_open(&g.rd, g.next_id, get ? H2F_LOCAL_END_STREAM : 0) != H2F_OK)
            break;
        if (put_headers(&g.out, &g.enc, h, n, g.next_id, g.peer.max_frame_size, get) < 0) {
            conn_fail(H2F_INTERNAL_ERROR, "out of memory");
            return;
        }
        r->id = g.next_id;
        g.next_id += 2;
        r->state = OPEN;
        r->local_ended = (uint8_t)get;
        r->send_window = g.peer.initial_window_size;
        h2f_recv_window_init(&r->rw, g.window);
        g.nopen++;
        g.next++;
    }
}

/* Request bodies, within both send windows (§6.9.1), the streams in turn. */
static void send_bodies(void)
{
    int progress = 1;
    while (progress && g.out.len < (256u << 10)) {
        size_t i;
        progress = 0;
        for (i = 0; i < g.nreqs; i++) {
            struct req *r = &g.reqs[i];
            int64_t n = g.send_window < r->send_window ? g.send_window : r->send_window;
            int end;
            if (r->state != OPEN || r->local_ended)
                continue;
            if (n > 65536)
                n = 65536;
            if (n > (int64_t)(g.body_len - r->body_sent))
                n = (int64_t)(g.body_len - r->body_sent);
            end = r->body_sent + (size_t)(n > 0 ? n : 0) == g.body_len;
            if (n <= 0 && !end) /* an empty body needs no window */
                continue;
            if (n < 0)
                n = 0;
            if (put_data(&g.out, r->id, g.body + r->body_sent, (size_t)n, end, g.peer.max_frame_size) < 0) {
                conn_fail(H2F_INTERNAL_ERROR, "out of memory");
                return;
            }
            r->body_sent += (size_t)n;
            r->send_window -= n;
            g.send_window -= n;
            if (end) {
                r->local_ended = 1;
                h2f_conn_local_close(&g.rd, r->id);
            }
            progress = 1;
        }
    }
}

/* ---- receiving ----------------------------------------------------------- */

static void on_frame(const h2f_event *ev)
{
    const h2f_frame *f = ev->frame;
    struct req *r;
    size_t i;
    switch (f->hd.type) {
    case H2F_SETTINGS:
        if (f->hd.flags & H2F_FLAG_ACK)
            break;
        {
            int64_t delta = peer_settings_apply(&g.peer, f, &g.enc);
            for (i = 0; i < g.nreqs; i++)
                if (g.reqs[i].state == OPEN &&
                    (g.reqs[i].send_window += delta) > (int64_t)H2F_MAX_WINDOW) {
                    conn_fail(H2F_FLOW_CONTROL_ERROR, "INITIAL_WINDOW_SIZE overflows a window");
                    return;
                }
        }
        put_settings(&g.out, NULL, 0, H2F_FLAG_ACK); /* §6.5.3 */
        g.got_settings = 1;
        break;
    case H2F_PING:
        if (!(f->hd.flags & H2F_FLAG_ACK))
            put_ping(&g.out, f->ping.opaque_data.ptr, 1);
        break;
    case H2F_WINDOW_UPDATE:
        if (f->hd.stream_id == 0) {
            if (h2f_send_window_update(&g.send_window, f->window_update.window_size_increment) != H2F_OK)
                conn_fail(H2F_FLOW_CONTROL_ERROR, "connection window above 2^31-1");
        } else if ((r = find_req(f->hd.stream_id)) != NULL &&
                   h2f_send_window_update(&r->send_window, f->window_update.window_size_increment) != H2F_OK) {
            put_rst_stream(&g.out, r->id, H2F_FLOW_CONTROL_ERROR);
            h2f_conn_local_reset(&g.rd, r->id);
            finish(r, FAILED, "stream window above 2^31-1");
        }
        break;
    case H2F_GOAWAY:
        /* §6.8: no new streams; the reader ends ours above last_stream_id
         * (H2F_END_GOAWAY) */
        g.goaway = 1;
        if (f->goaway.error_code != H2F_NO_ERROR)
            fprintf(stderr, "server sent GOAWAY %s: %.*s\n", h2f_error_code_name(f->goaway.error_code),
                    (int)f->goaway.debug_data.len, (const char *)f->goaway.debug_data.ptr);
        break;
    case H2F_DATA: /* on a stream we reset: it still used the connection window */
        if (h2f_recv_window_take(&g.rw, event_flow(ev)) != H2F_OK)
            conn_fail(H2F_FLOW_CONTROL_ERROR, "DATA beyond the connection window");
        else
            consumed(NULL, event_flow(ev));
        break;
    default:
        break;
    }
}

static void on_event(const h2f_event *ev)
{
    struct req *r = find_req(ev->stream_id);
    switch (ev->type) {
    case H2F_EV_HEADER:
        if (!r)
            break;
        if (ev->block == H2F_BLOCK_HEADERS && bytes_eq(ev->field.name, ":status"))
            /* three digits: validate_http checked them (§8.3.2) */
            r->status = (ev->field.value.ptr[0] - '0') * 100 + (ev->field.value.ptr[1] - '0') * 10 +
                        (ev->field.value.ptr[2] - '0');
        if (!g.quiet)
            fprintf(stderr, "[%zu] %s%.*s: %.*s\n", (size_t)(r - g.reqs) + 1,
                    ev->block == H2F_BLOCK_TRAILERS ? "trailer " : "", (int)ev->field.name.len,
                    (const char *)ev->field.name.ptr, (int)ev->field.value.len,
                    (const char *)ev->field.value.ptr);
        break;
    case H2F_EV_DATA:
        /* Flow control counts the whole frame, padding included (§6.9.1). */
        if (h2f_recv_window_take(&g.rw, event_flow(ev)) != H2F_OK) {
            conn_fail(H2F_FLOW_CONTROL_ERROR, "DATA beyond the connection window");
            break;
        }
        if (!r) {
            consumed(NULL, event_flow(ev));
            break;
        }
        if (h2f_recv_window_take(&r->rw, event_flow(ev)) != H2F_OK) {
            put_rst_stream(&g.out, r->id, H2F_FLOW_CONTROL_ERROR);
            h2f_conn_local_reset(&g.rd, r->id);
            finish(r, FAILED, "DATA beyond the stream window");
            consumed(NULL, event_flow(ev));
            break;
        }
        if (fwrite(ev->data.ptr, 1, ev->data.len, r->out) != ev->data.len) {
            conn_fail(H2F_INTERNAL_ERROR, "cannot write the body");
            break;
        }
        r->bytes += ev->data.len;
        /* written: the server may send that much more */
        consumed(ev->end_stream ? NULL : r, event_flow(ev));
        break;
    case H2F_EV_END:
        if (!r)
            break;
        if (ev->end == H2F_END_STREAM) {
            if (!r->local_ended) {
                /* a complete response before our body was sent: stop it */
                put_rst_stream(&g.out, r->id, H2F_CANCEL);
                h2f_conn_local_reset(&g.rd, r->id);
            }
            finish(r, r->status ? DONE : FAILED, "no final response");
        } else {
            finish(r, FAILED, ev->end == H2F_END_RESET    ? h2f_error_code_name(ev->error_code)
                              : ev->end == H2F_END_GOAWAY ? "not processed (GOAWAY)"
                                                          : "stream error");
        }
        break;
    case H2F_EV_FRAME:
        on_frame(ev);
        break;
    case H2F_EV_RESET:
        /* the server reset a stream after its response (§8.1: NO_ERROR asks
         * us to stop sending the request); the request finished at the
         * END, and its upload with it */
        break;
    default: /* HEADERS_END: nothing to do; BODY: only with H2F_BODY_WHOLE */
        break;
    }
}

static void on_input(size_t n)
{
    h2f_event ev;
    h2f_error err;
    h2f_status st;
    h2f_conn_feed(&g.rd, g.in, n);
    while (!g.failed && (st = h2f_conn_next(&g.rd, &ev, &err)) != H2F_NEED_MORE) {
        struct req *r;
        if (st == H2F_OK) {
            on_event(&ev);
            continue;
        }
        if (err.scope != H2F_SCOPE_STREAM) {
            conn_fail(err.code, err.reason);
            break;
        }
        /* a stream error (§5.4.2): RST_STREAM; the reader forgets it */
        put_rst_stream(&g.out, err.stream_id, err.code);
        if ((r = find_req(err.stream_id)) != NULL)
            finish(r, FAILED, err.reason);
        if (err.frame_type == H2F_DATA) {
            if (h2f_recv_window_take(&g.rw, err.length) != H2F_OK)
                conn_fail(H2F_FLOW_CONTROL_ERROR, "DATA beyond the connection window");
            else
                consumed(NULL, err.length);
        }
    }
}

/* ---- setting up ---------------------------------------------------------- */

/* http://HOST[:PORT]/PATH: the authority must be the same for all. */
static int parse_url(struct req *r)
{
    const char *p = r->url, *slash, *colon;
    char host[256], port[8] = "80";
    if (strncmp(p, "http://", 7) != 0)
        return -1;
    p += 7;
    slash = strchr(p, '/');
    if (!slash)
        slash = p + strlen(p);
    if (*p == '[') { /* [IPv6] */
        const char *end = memchr(p, ']', (size_t)(slash - p));
        if (!end || (size_t)(end - p - 1) >= sizeof host)
            return -1;
        memcpy(host, p + 1, (size_t)(end - p - 1));
        host[end - p - 1] = 0;
        colon = end[1] == ':' ? end + 1 : NULL;
    } else {
        colon = memchr(p, ':', (size_t)(slash - p));
        if ((size_t)((colon ? colon : slash) - p) >= sizeof host)
            return -1;
        memcpy(host, p, (size_t)((colon ? colon : slash) - p));
        host[(colon ? colon : slash) - p] = 0;
    }
    if (colon) {
        if ((size_t)(slash - colon - 1) >= sizeof port || slash == colon + 1)
            return -1;
        memcpy(port, colon + 1, (size_t)(slash - colon - 1));
        port[slash - colon - 1] = 0;
    }
    snprintf(r->path, sizeof r->path, "%s", *slash ? slash : "/");
    if (!g.host[0]) {
        snprintf(g.host, sizeof g.host, "%s", host);
        snprintf(g.port, sizeof g.port, "%s", port);
        snprintf(g.authority, sizeof g.authority, "%.*s", (int)(slash - p), p);
        return 0;
    }
    return strcmp(g.host, host) || strcmp(g.port, port) ? -1 : 0;
}

static int connect_to(void)
{
    struct addrinfo hints, *ai, *a;
    int fd = -1, one = 1;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(g.host, g.port, &hints, &ai) != 0)
        return -1;
    for (a = ai; a; a = a->ai_next) {
        if ((fd = socket(a->ai_family, SOCK_STREAM, 0)) < 0)
            continue;
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
            break;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(ai);
    if (fd >= 0) {
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        fcntl(fd, F_SETFL, O_NONBLOCK);
    }
    return fd;
}

static uint8_t *read_file(const char *name, size_t *len)
{
    FILE *f = fopen(name, "rb");
    uint8_t *p = NULL;
    long n;
    if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (p = malloc((size_t)n + 1)) != NULL && fread(p, 1, (size_t)n, f) == (size_t)n)
        *len = (size_t)n;
    else {
        free(p);
        p = NULL;
    }
    if (f)
        fclose(f);
    return p;
}

static void usage(void)
{
    fprintf(stderr, "usage: h2c-client [-o DIR] [-d FILE] [-w WINDOW] [-t SECONDS] [-q] URL...\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *dir = NULL;
    uint8_t *body = NULL;
    long timeout = 30, v;
    time_t deadline;
    h2f_conn_options o;
    h2f_setting ours[2];
    uint32_t conn_window;
    size_t i;
    int opt, ok = 1;

    g.window = 1u << 20;
    while ((opt = getopt(argc, argv, "o:d:w:t:q")) != -1) {
        switch (opt) {
        case 'o': dir = optarg; break;
        case 'd':
            if (!(body = read_file(optarg, &g.body_len))) {
                perror(optarg);
                return 2;
            }
            g.body = body;
            break;
        case 'w':
            if ((v = atol(optarg)) < 1 || v > (long)H2F_MAX_WINDOW)
                usage();
            g.window = (uint32_t)v;
            break;
        case 't': timeout = atol(optarg); break;
        case 'q': g.quiet = 1; break;
        default: usage();
        }
    }
    if (optind >= argc)
        usage();
    g.nreqs = (size_t)(argc - optind);
    g.reqs = calloc(g.nreqs, sizeof *g.reqs);
    for (i = 0; i < g.nreqs; i++) {
        struct req *r = &g.reqs[i];
        char name[4096];
        r->url = argv[optind + (int)i];
        if (parse_url(r) < 0) {
            fprintf(stderr, "%s: not an http:// URL of %s\n", r->url, g.authority);
            return 2;
        }
        if (dir)
            snprintf(name, sizeof name, "%s/%zu", dir, i + 1);
        if (!(r->out = dir ? fopen(name, "wb") : tmpfile())) {
            perror(dir ? name : "tmpfile");
            return 2;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    if ((g.fd = connect_to()) < 0) {
        fprintf(stderr, "cannot connect to %s port %s\n", g.host, g.port);
        return 2;
    }

    memset(&o, 0, sizeof o);
    o.role = H2F_ROLE_CLIENT;
    o.body = H2F_BODY_STREAM;
    o.validate_http = 1; /* malformed responses are stream errors (§8.1.1) */
    o.track_local = 1;
    if (h2f_conn_init(&g.rd, &o, NULL) != H2F_OK || h2f_hpack_encoder_init(&g.enc, NULL, NULL) != H2F_OK)
        return 2;
    h2f_peer_settings_init(&g.peer);
    g.next_id = 1;
    g.send_window = 65535;
    conn_window = g.window > 65535 ? g.window : 65535;
    h2f_recv_window_init(&g.rw, conn_window);
    /* §3.4: the client preface is the magic string and a SETTINGS frame. */
    memcpy(ob_reserve(&g.out, H2F_PREFACE_LEN), H2F_PREFACE, H2F_PREFACE_LEN);
    g.out.len += H2F_PREFACE_LEN;
    ours[0].id = H2F_SETTINGS_ENABLE_PUSH; /* no server push (§8.4) */
    ours[0].value = 0;
    ours[1].id = H2F_SETTINGS_INITIAL_WINDOW_SIZE;
    ours[1].value = g.window;
    put_settings(&g.out, ours, 2, 0);
    h2f_conn_local_settings(&g.rd, ours, 2);
    if (conn_window > 65535)
        put_window_update(&g.out, 0, conn_window - 65535);

    deadline = time(NULL) + timeout;
    while (g.nfinished < g.nreqs && !g.failed) {
        struct pollfd p;
        /* The server's SETTINGS come first (§3.4): waiting for them lets
         * us honour its MAX_CONCURRENT_STREAMS and MAX_FRAME_SIZE from
         * the first request on. */
        if (g.got_settings) {
            open_streams();
            if (g.body)
                send_bodies();
            if (g.goaway && g.nopen == 0)
                fail_all("not sent: the server sent GOAWAY");
        }
        if (ob_flush(&g.out, g.fd) < 0) {
            fail_all("connection lost");
            break;
        }
        if (g.nfinished == g.nreqs)
            break;
        if (time(NULL) > deadline) {
            fail_all("timeout");
            break;
        }
        p.fd = g.fd;
        p.events = (short)(POLLIN | (g.out.len ? POLLOUT : 0));
        if (poll(&p, 1, 200) > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t n = recv(g.fd, g.in, sizeof g.in, 0);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
                fail_all("connection closed by the server");
            else if (n > 0)
                on_input((size_t)n);
        }
    }
    /* Done: GOAWAY(NO_ERROR) says so (§6.8), then close. */
    if (!g.failed)
        put_goaway(&g.out, 0, H2F_NO_ERROR, NULL);
    ob_flush(&g.out, g.fd);
    close(g.fd);

    for (i = 0; i < g.nreqs; i++) {
        struct req *r = &g.reqs[i];
        if (r->state == DONE)
            fprintf(stderr, "[%zu] %d %llu %s\n", i + 1, r->status, (unsigned long long)r->bytes, r->url);
        else {
            fprintf(stderr, "[%zu] failed (%s) %s\n", i + 1, r->why, r->url);
            ok = 0;
        }
        if (!dir) { /* the bodies to stdout, in the order of the URLs */
            char buf[65536];
            size_t n;
            rewind(r->out);
            while ((n = fread(buf, 1, sizeof buf, r->out)) > 0)
                fwrite(buf, 1, n, stdout);
        }
        fclose(r->out);
    }
    h2f_conn_free(&g.rd);
    h2f_hpack_encoder_free(&g.enc);
    free(g.out.p);
    free(g.reqs);
    free(body);
    return ok ? 0 : 1;
}
