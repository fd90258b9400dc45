// The Node `http2` h2c client for record-http.sh: one connection, one
// scenario, then GOAWAY and close.
//   node node-client.js PORT SCENARIO
// SCENARIO: push | trailers | server-reset | end-rst | client-cancel | echo
//           | informational | goaway
//           | cancel-get PATH (against any server)
'use strict';
const http2 = require('http2');
const { NGHTTP2_CANCEL } = http2.constants;

const [port, scenario] = [Number(process.argv[2]), process.argv[3]];  // argv[4]: cancel-get's path
// NODE_PADDED=1: the client pads its frames too (paddingStrategy MAX)
const session = http2.connect(`http://127.0.0.1:${port}`, process.env.NODE_PADDED
  ? { paddingStrategy: http2.constants.PADDING_STRATEGY_MAX } : {});
session.on('error', (e) => { console.error('session:', e.message); process.exitCode = 1; });

// get PATH [HEADERS] -> promise of {headers, body, trailers}; END_STREAM on the HEADERS
function get(path, extra = {}, body = null, opts = {}) {
  return new Promise((resolve, reject) => {
    const req = session.request({ ':path': path, ...extra }, { endStream: body === null, ...opts });
    const out = { headers: null, body: Buffer.alloc(0), trailers: null, req };
    req.on('response', (h) => { out.headers = h; });
    req.on('trailers', (t) => { out.trailers = t; });
    req.on('data', (d) => { out.body = Buffer.concat([out.body, d]); if (out.ondata) out.ondata(d); });
    req.on('end', () => resolve(out));
    req.on('close', () => resolve(out));
    req.on('error', (e) => { out.error = e.message; resolve(out); });
    if (body !== null && !opts.waitForTrailers && !opts.noend) req.end(body);
    out.req = req;
    if (opts.setup) opts.setup(req, out);
  });
}

const scenarios = {
  // Two promised responses: /style.css read to its end, /app.js cancelled
  // (RST_STREAM CANCEL) as soon as its PUSH_PROMISE arrives (RFC 9113 §8.4.2).
  async push() {
    const pushed = [];
    session.on('stream', (ps, reqHeaders) => {
      ps.on('error', () => {});
      if (reqHeaders[':path'] === '/app.js') { ps.close(NGHTTP2_CANCEL); return; }
      const p = new Promise((res) => {
        let n = 0;
        ps.on('data', (d) => { n += d.length; });
        ps.on('end', () => res(`${reqHeaders[':path']}: ${n} octets`));
        ps.on('close', () => res(`${reqHeaders[':path']}: closed`));
      });
      pushed.push(p);
    });
    const r = await get('/push');
    console.log('page', r.headers[':status'], r.body.length, 'octets');
    await new Promise((res) => setTimeout(res, 400));
    for (const s of await Promise.all(pushed)) console.log('pushed', s);
  },

  // A POST whose body ends with trailers (END_STREAM on the trailing HEADERS),
  // answered with trailers.
  async trailers() {
    const body = Buffer.from('x'.repeat(2000));
    const r = await get('/trailers', { ':method': 'POST', 'content-type': 'text/plain', te: 'trailers' }, body, {
      waitForTrailers: true,
      setup: (req) => {
        req.on('wantTrailers', () => req.sendTrailers({ 'x-checksum': 'abc123' }));
        req.end(body);
      },
    });
    console.log('trailers', r.headers[':status'], r.body.length, JSON.stringify(r.trailers));
  },

  // The server resets its response after two DATA frames.
  async 'server-reset'() {
    const r = await get('/abort');
    console.log('abort', r.headers && r.headers[':status'], r.body.length, r.error || 'no error');
  },

  // The server ends its response with an empty DATA (END_STREAM), then
  // sends RST_STREAM (NO_ERROR) on the closed stream.
  async 'end-rst'() {
    const r = await get('/end-rst');
    console.log('end-rst', r.headers && r.headers[':status'], r.body.length, r.error || 'no error');
  },

  // The usual cancel: the request went out with END_STREAM; after the second
  // DATA of the response the client sends RST_STREAM (CANCEL).
  async 'client-cancel'() {
    const r = await get('/slow', {}, null, {
      setup: (req, out) => {
        let n = 0;
        out.ondata = () => { if (++n === 2) req.close(NGHTTP2_CANCEL); };
      },
    });
    console.log('slow', r.headers[':status'], r.body.length, 'octets before the cancel');
    await new Promise((res) => setTimeout(res, 200));
  },

  // Against another server (PATH as the third argument): a GET cancelled
  // (RST_STREAM CANCEL) at the first 'data' event of its response, the
  // response not yet ended.
  async 'cancel-get'() {
    const path = process.argv[4];
    const r = await get(path, {}, null, {
      setup: (req, out) => { out.ondata = () => req.close(NGHTTP2_CANCEL); },
    });
    console.log('cancel-get', r.headers[':status'], r.body.length, 'octets before the cancel');
    await new Promise((res) => setTimeout(res, 300));
  },

  // Informational responses and a PING: a 103 before a 200, then a POST
  // with expect: 100-continue whose body waits for the 100, then a PING
  // (and its ACK) with an 8-octet payload.
  async informational() {
    const r = await get('/early-hints', {}, null, {
      setup: (req) => req.on('headers', (h) => console.log('informational', h[':status'], h.link)),
    });
    console.log('early-hints', r.headers[':status'], r.body.length);
    const body = Buffer.from('y'.repeat(5000));
    const r2 = await get('/continue', { ':method': 'POST', expect: '100-continue', 'content-length': String(body.length) }, body, {
      waitForTrailers: false,
      setup: (req) => req.on('continue', () => { console.log('100 continue'); req.end(body); }),
      noend: true,
    });
    console.log('continue', r2.headers[':status'], r2.body.toString().trim());
    await new Promise((res) => session.ping(Buffer.from('h2frame!'), (err, ms, payload) => {
      console.log('ping', err ? err.message : payload.toString()); res();
    }));
  },

  // The server shuts down gracefully (GOAWAY) in the middle of our request.
  async goaway() {
    session.on('goaway', (code, last) => console.log('goaway', code, last));
    const r = await get('/goaway');
    console.log('goaway response', r.headers[':status'], r.body.length, 'octets');
  },

  // A 204 (no content), then a 40000-octet POST echoed back: DATA in both
  // directions across the 16384-octet frame size, WINDOW_UPDATEs.
  async echo() {
    const r1 = await get('/nocontent');
    console.log('nocontent', r1.headers[':status'], r1.body.length);
    const body = Buffer.alloc(40000);
    for (let i = 0; i < body.length; i++) body[i] = 97 + (i % 26);
    const r2 = await get('/echo', { ':method': 'POST', 'content-length': String(body.length) }, body);
    console.log('echo', r2.headers[':status'], r2.body.equals(body) ? 'matches' : 'DIFFERS');
  },
};

scenarios[scenario]().then(() => session.close(), (e) => { console.error(e); session.destroy(); process.exitCode = 1; });
