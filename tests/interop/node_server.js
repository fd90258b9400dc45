// A Node `http2` h2c server for the interop tests (tests/interop/run.sh):
// GET/HEAD serve files under ROOT, POST echoes the body and its trailers.
//   node node_server.js ROOT [INITIAL_WINDOW_SIZE] [MAX_CONCURRENT_STREAMS]
// Prints "listening on 127.0.0.1 PORT" once it accepts connections.
'use strict';
const http2 = require('http2');
const fs = require('fs');
const path = require('path');

const root = process.argv[2];
const settings = {
  initialWindowSize: Number(process.argv[3] || 65535),
  maxConcurrentStreams: Number(process.argv[4] || 100),
};
const server = http2.createServer({ settings });
server.on('stream', (stream, headers) => {
  const method = headers[':method'];
  if (method === 'POST') {
    stream.respond({ ':status': 200, 'content-type': 'application/octet-stream' },
                   { waitForTrailers: true });
    let trailers = {};
    stream.on('trailers', (t) => { trailers = t; });
    stream.on('wantTrailers', () => {
      const out = {};
      for (const k of Object.keys(trailers)) if (!k.startsWith(':')) out[k] = trailers[k];
      stream.sendTrailers(out);
    });
    stream.pipe(stream); // the echo, with flow control in both directions
    return;
  }
  const name = path.join(root, path.normalize(decodeURIComponent(headers[':path'].split('?')[0])));
  if (!name.startsWith(root)) { stream.respond({ ':status': 400 }, { endStream: true }); return; }
  stream.respondWithFile(name, { 'content-type': 'application/octet-stream' }, {
    onError: () => { stream.respond({ ':status': 404 }, { endStream: true }); },
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on 127.0.0.1 ${server.address().port}`);
});
process.on('SIGTERM', () => { server.close(); process.exit(0); });
