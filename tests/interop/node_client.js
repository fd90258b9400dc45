// A Node `http2` client for the interop tests (tests/interop/run.sh),
// against examples/h2c-server on one connection:
//   node node_client.js PORT ROOT UPLOAD FILE...
// GETs every FILE (all at once, each twice) and compares it with ROOT/FILE,
// HEADs the first, GETs a missing file (404), and POSTs UPLOAD with
// trailers: the echo must be UPLOAD and the trailers must come back.
// Prints one line per failure; exit status 0 if all is well.
'use strict';
const http2 = require('http2');
const fs = require('fs');
const path = require('path');

const [port, root, upload, ...files] = process.argv.slice(2);
const client = http2.connect(`http://127.0.0.1:${port}`);
let failures = 0;
const fail = (msg) => { failures++; console.log(`node client: ${msg}`); };
client.on('error', (e) => { fail(`connection error ${e.message}`); process.exit(1); });

function request(headers, body, trailers) {
  return new Promise((resolve) => {
    const req = client.request(headers, { endStream: body === null, waitForTrailers: !!trailers });
    const chunks = [];
    let status = 0, head = {}, got = {};
    req.on('response', (h) => { status = h[':status']; head = h; });
    req.on('trailers', (t) => { got = t; });
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve({ status, head, body: Buffer.concat(chunks), trailers: got }));
    req.on('error', (e) => { fail(`${headers[':path']}: ${e.message}`); resolve(null); });
    if (trailers) req.on('wantTrailers', () => req.sendTrailers(trailers));
    if (body !== null) req.end(body);
  });
}

async function main() {
  const gets = [];
  for (const f of files.concat(files))
    gets.push(request({ ':path': '/' + f }, null).then((r) => {
      if (!r) return;
      const want = fs.readFileSync(path.join(root, f));
      if (r.status !== 200 || !r.body.equals(want)) fail(`GET /${f}: status ${r.status}, ${r.body.length} octets`);
    }));
  const size = fs.statSync(path.join(root, files[0])).size;
  gets.push(request({ ':method': 'HEAD', ':path': '/' + files[0] }, null).then((r) => {
    if (r && (r.status !== 200 || Number(r.head['content-length']) !== size || r.body.length))
      fail(`HEAD /${files[0]}: status ${r.status} content-length ${r.head['content-length']}`);
  }));
  gets.push(request({ ':path': '/no-such-file' }, null).then((r) => {
    if (r && r.status !== 404) fail(`GET /no-such-file: status ${r.status}`);
  }));
  const up = fs.readFileSync(upload);
  gets.push(request({ ':method': 'POST', ':path': '/echo' }, up, { 'x-checksum': 'abc123' }).then((r) => {
    if (!r) return;
    if (r.status !== 200 || !r.body.equals(up)) fail(`POST: status ${r.status}, ${r.body.length} octets`);
    if (r.trailers['x-checksum'] !== 'abc123') fail(`POST: trailers ${JSON.stringify(r.trailers)}`);
  }));
  await Promise.all(gets);
  client.close();
  console.log(`node client: ${files.length * 2 + 3} requests, ${failures} failures`);
  process.exit(failures ? 1 : 0);
}
main();
