// gRPC client for the capture, one connection, three calls in turn:
//   1. unary SayHello {name: "h2frame"}
//   2. server-streaming Count {up_to: 3}: three replies, then the trailers
//   3. Count {up_to: 100, delay_ms: 200}, cancelled by the client after the
//      first reply: the client sends RST_STREAM (CANCEL)
// Usage: node client.js PORT
'use strict';
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');
const def = loader.loadSync(__dirname + '/demo.proto', { keepCase: true });
const demo = grpc.loadPackageDefinition(def).h2frame.demo;

const client = new demo.Greeter('127.0.0.1:' + process.argv[2], grpc.credentials.createInsecure());

function unary() {
  return new Promise((resolve, reject) => {
    client.SayHello({ name: 'h2frame' }, (err, reply) => {
      if (err) return reject(err);
      console.log('SayHello:', reply.message);
      resolve();
    });
  });
}

function count(upTo, delayMs, cancelAfter) {
  return new Promise((resolve, reject) => {
    const call = client.Count({ up_to: upTo, delay_ms: delayMs });
    let got = 0;
    call.on('data', (m) => {
      got += 1;
      console.log('Count:', m.n, m.text);
      if (got === cancelAfter) call.cancel();
    });
    call.on('error', (err) => {
      if (err.code === grpc.status.CANCELLED && cancelAfter) resolve();
      else reject(err);
    });
    call.on('end', () => { if (!cancelAfter) resolve(); });
  });
}

(async () => {
  await unary();
  await count(3, 0, 0);
  await count(100, 200, 1);
  // let the RST_STREAM go out before the connection closes
  await new Promise((r) => setTimeout(r, 100));
  client.close();
})().catch((err) => { console.error(err); process.exit(1); });
