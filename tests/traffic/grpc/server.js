// The grpc-js server of the gRPC recordings (record-grpc.sh): serves
// traffic.proto's Echo over h2c (insecure credentials) on 127.0.0.1, the
// same answers as server.py. Usage: node server.js PORT (prints
// "listening" when ready; ends on SIGTERM).
'use strict';
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');
const def = loader.loadSync(__dirname + '/traffic.proto', { keepCase: true });
const Echo = grpc.loadPackageDefinition(def).h2frame.traffic.Echo;

// n octets that read as text in a dump but are not all one value
const pattern = (n) => Buffer.from(Array.from({ length: n }, (_, i) => 0x41 + (i % 26)));

const server = new grpc.Server();
server.addService(Echo.service, {
  Unary(call, cb) {
    const r = call.request;
    setTimeout(() => {
      if (r.fail_code) return cb({ code: r.fail_code, details: r.fail_message });
      cb(null, { text: 'echo: ' + r.text, data: r.reply_size ? pattern(r.reply_size) : r.data });
    }, r.delay_ms);
  },
  ServerStream(call) {
    const r = call.request;
    let i = 0;
    const next = () => {
      if (call.cancelled) return;   // the client sent RST_STREAM
      i += 1;
      call.write({ text: i + ' of ' + r.count, data: pattern(r.size) });
      if (i >= r.count) call.end();
      else setTimeout(next, r.delay_ms);
    };
    if (r.count) next(); else call.end();
  },
  ClientStream(call, cb) {
    let n = 0, size = 0;
    call.on('data', (m) => { n += 1; size += m.data.length; });
    call.on('end', () => cb(null, { text: n + ' messages, ' + size + ' octets' }));
  },
  Bidi(call) {
    call.on('data', (m) => call.write({ text: 'echo: ' + m.text, data: m.data }));
    call.on('end', () => call.end());
  },
});
server.bindAsync('127.0.0.1:' + process.argv[2], grpc.ServerCredentials.createInsecure(), (err) => {
  if (err) throw err;
  console.log('listening');
});
process.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
