// gRPC server for the capture: @grpc/grpc-js over h2c (insecure) on
// 127.0.0.1. Usage: node server.js PORT  (prints "listening" when ready).
'use strict';
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');
const def = loader.loadSync(__dirname + '/demo.proto', { keepCase: true });
const demo = grpc.loadPackageDefinition(def).h2frame.demo;

const server = new grpc.Server();
server.addService(demo.Greeter.service, {
  SayHello(call, cb) {
    cb(null, { message: 'hello, ' + call.request.name });
  },
  Count(call) {
    let n = 0;
    const next = () => {
      if (call.cancelled) return;
      n += 1;
      call.write({ n, text: 'message ' + n + ' of ' + call.request.up_to });
      if (n >= call.request.up_to) call.end();
      else setTimeout(next, call.request.delay_ms);
    };
    next();
  },
});
server.bindAsync('127.0.0.1:' + process.argv[2], grpc.ServerCredentials.createInsecure(), (err) => {
  if (err) throw err;
  console.log('listening');
});
process.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
