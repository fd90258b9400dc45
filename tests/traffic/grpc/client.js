// The grpc-js client of the gRPC recordings (record-grpc.sh): one channel,
// so one HTTP/2 connection (h2c, insecure), four calls in turn:
//   1. unary Unary {text: "hello"}
//   2. server-streaming ServerStream {count: 3}: three replies, then trailers
//   3. bidi Bidi: two requests, each echoed
//   4. ServerStream {count: 50, delay_ms: 100}, cancelled by the client
//      after two replies: RST_STREAM (CANCEL) after the request's
//      END_STREAM while replies still come (RFC 9113 §8.7)
// Usage: node client.js PORT
'use strict';
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');
const def = loader.loadSync(__dirname + '/traffic.proto', { keepCase: true });
const Echo = grpc.loadPackageDefinition(def).h2frame.traffic.Echo;

const client = new Echo('127.0.0.1:' + process.argv[2], grpc.credentials.createInsecure());

const unary = () => new Promise((resolve, reject) => {
  client.Unary({ text: 'hello' }, (err, r) => {
    if (err) return reject(err);
    console.log('Unary:', r.text);
    resolve();
  });
});

// count replies; with cancelAfter, cancel the call after that many
const serverStream = (count, delayMs, cancelAfter) => new Promise((resolve, reject) => {
  const call = client.ServerStream({ count, delay_ms: delayMs, size: 32 });
  let got = 0;
  call.on('data', (m) => {
    got += 1;
    console.log('ServerStream:', m.text);
    if (got === cancelAfter) call.cancel();
  });
  call.on('error', (err) => {
    if (err.code === grpc.status.CANCELLED && cancelAfter) resolve();
    else reject(err);
  });
  call.on('end', () => { if (!cancelAfter) resolve(); });
});

const bidi = () => new Promise((resolve, reject) => {
  const call = client.Bidi();
  call.on('data', (m) => console.log('Bidi:', m.text));
  call.on('error', reject);
  call.on('end', resolve);
  call.write({ text: 'request 1', data: Buffer.from('abcdefghijklmnop') });
  call.write({ text: 'request 2', data: Buffer.from('abcdefghijklmnop') });
  call.end();
});

(async () => {
  await unary();
  await serverStream(3, 0, 0);
  await bidi();
  await serverStream(50, 100, 2);
  // let the RST_STREAM go out before the connection closes
  await new Promise((r) => setTimeout(r, 300));
  client.close();
})().catch((err) => { console.error(err); process.exit(1); });
