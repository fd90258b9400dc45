// The Node `http2` h2c server for record-http.sh: each path shows one part
// of RFC 9113 that a capture of a plain file server would not.
//   node node-server.js PORT [padded]
// padded: Node pads every HEADERS and DATA frame it can to the maximum
// (paddingStrategy MAX; padding counts in flow control, RFC 9113 §6.9.1).
// Prints "listening" once it accepts connections. The bodies are fixed text
// so that every run sends the same octets (apart from the date header).
'use strict';
const http2 = require('http2');
const { NGHTTP2_INTERNAL_ERROR } = http2.constants;

const port = Number(process.argv[2]);
const text = (n, tag) => Buffer.from((tag + ' ').repeat(Math.ceil(n / (tag.length + 1)))).subarray(0, n);

// partial STREAM THEN: a 200 and two 1000-octet DATA frames 30 ms apart, then THEN()
function partial(stream, then) {
  stream.respond({ ':status': 200, 'content-type': 'text/plain' });
  stream.write(text(1000, 'partial'));
  setTimeout(() => {
    stream.write(text(1000, 'partial'));
    setTimeout(then, 30);
  }, 30);
}

const routes = {
  // Server push (RFC 9113 §8.4): two PUSH_PROMISEs on stream 1 before the
  // page's own response. The first promised response is sent at once; the
  // second only after 300 ms, so that the client's RST_STREAM (CANCEL) on
  // that promised stream arrives first and nothing follows it (§8.4.2: the
  // client may cancel a push it does not want).
  '/push': (stream) => {
    const push = (path, delay, body) => stream.pushStream({ ':path': path }, (err, ps) => {
      if (err) return;
      ps.on('error', () => {});
      const send = () => {
        if (ps.destroyed || ps.closed) return;
        ps.respond({ ':status': 200, 'content-type': 'text/css', 'content-length': body.length });
        ps.end(body);
      };
      if (delay) setTimeout(send, delay); else send();
    });
    push('/style.css', 0, text(600, 'body{color:teal}'));
    push('/app.js', 300, text(900, 'console.log(1);'));
    setTimeout(() => {
      stream.respond({ ':status': 200, 'content-type': 'text/html' });
      stream.end(text(1200, '<p>pushed</p>'));
    }, 20);
  },

  // Response trailers (RFC 9113 §8.1: a second HEADERS with END_STREAM after
  // the DATA); the request's own trailers are read and counted back.
  '/trailers': (stream) => {
    let got = 0, ctrailers = {};
    stream.on('data', (d) => { got += d.length; });
    stream.on('trailers', (t) => { ctrailers = t; });
    stream.respond({ ':status': 200, 'content-type': 'text/plain' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({
      'x-request-octets': String(got),
      'x-request-checksum': String(ctrailers['x-checksum'] || 'none'),
      'server-timing': 'total;dur=1',
    }));
    stream.on('end', () => stream.end(text(3000, 'trailers-follow')));
  },

  // The server resets its own response (RST_STREAM INTERNAL_ERROR, §6.4)
  // after two DATA frames, without END_STREAM: destroy() with an error
  // resets at once.
  '/abort': (stream) => partial(stream, () => stream.destroy(new Error('the response fails midway'))),

  // The same with close(INTERNAL_ERROR), Node's documented way to reset a
  // stream: Node first ends the writable side (an empty DATA with
  // END_STREAM) and nghttp2 then sends RST_STREAM with NO_ERROR, not the
  // code asked for: RST_STREAM on a stream already closed by END_STREAM
  // in both directions (§5.1 says a sender MUST NOT; receivers ignore it).
  '/end-rst': (stream) => partial(stream, () => stream.close(NGHTTP2_INTERNAL_ERROR)),

  // A slow body, one 1000-octet DATA every 40 ms, for a client to cancel.
  '/slow': (stream) => {
    stream.respond({ ':status': 200, 'content-type': 'text/plain' });
    let n = 0;
    const t = setInterval(() => {
      if (stream.destroyed || stream.closed) { clearInterval(t); return; }
      stream.write(text(1000, 'slow' + n));
      if (++n === 100) { clearInterval(t); stream.end(); }
    }, 40);
    stream.on('close', () => clearInterval(t));
  },

  // 204 No Content: HEADERS with END_STREAM and no content-length (RFC 9110
  // §15.3.5: a 204 has no content).
  '/nocontent': (stream) => stream.respond({ ':status': 204 }, { endStream: true }),

  // 103 Early Hints (RFC 8297): an informational HEADERS before the final
  // response (RFC 9113 §8.1: any number of 1xx may precede it).
  '/early-hints': (stream) => {
    stream.additionalHeaders({ ':status': 103, link: '</style.css>; rel=preload; as=style' });
    setTimeout(() => {
      stream.respond({ ':status': 200, 'content-type': 'text/html' });
      stream.end(text(300, '<p>hinted</p>'));
    }, 20);
  },

  // expect: 100-continue (RFC 9110 §10.1.1): a 100 first, then the client
  // sends its body; the answer counts it.
  '/continue': (stream, headers) => {
    if (headers.expect === '100-continue') stream.additionalHeaders({ ':status': 100 });
    let n = 0;
    stream.on('data', (d) => { n += d.length; });
    stream.on('end', () => {
      stream.respond({ ':status': 200, 'content-type': 'text/plain' });
      stream.end(`${n} octets received\n`);
    });
  },

  // A graceful shutdown while a response is under way: GOAWAY (NO_ERROR,
  // last stream id = this stream) after the first DATA, then the response
  // goes on to its end (RFC 9113 §6.8).
  '/goaway': (stream) => {
    stream.respond({ ':status': 200, 'content-type': 'text/plain' });
    stream.write(text(1000, 'before-goaway'));
    setTimeout(() => {
      stream.session.close();
      setTimeout(() => { stream.write(text(1000, 'after-goaway')); stream.end(text(1000, 'last')); }, 30);
    }, 30);
  },

  // The request body echoed, with flow control in both directions.
  '/echo': (stream, headers) => {
    const h = { ':status': 200, 'content-type': 'application/octet-stream' };
    if (headers['content-length']) h['content-length'] = headers['content-length'];
    stream.respond(h);
    stream.pipe(stream);
  },
};

const server = http2.createServer(process.argv[3] === 'padded'
  ? { paddingStrategy: http2.constants.PADDING_STRATEGY_MAX } : {});
server.on('stream', (stream, headers) => {
  stream.on('error', () => {});
  const route = routes[headers[':path']];
  if (route) route(stream, headers);
  else stream.respond({ ':status': 404 }, { endStream: true });
});
server.listen(port, '127.0.0.1', () => console.log('listening'));
process.on('SIGTERM', () => process.exit(0));
