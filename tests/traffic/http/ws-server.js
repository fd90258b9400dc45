// A WebSocket echo server over HTTP/1.1 (RFC 6455) for record-http.sh:
// haproxy turns Chromium's extended CONNECT (RFC 8441) into an HTTP/1.1
// Upgrade to it. Built on Node's http module, no packages.
//   node ws-server.js PORT
'use strict';
const http = require('http');
const crypto = require('crypto');

const server = http.createServer((req, res) => { res.writeHead(426); res.end(); });
server.on('upgrade', (req, socket) => {
  // the accept value: SHA-1 of the key and the RFC 6455 §1.3 GUID, base64
  const accept = crypto.createHash('sha1')
    .update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
               `Sec-WebSocket-Accept: ${accept}\r\n\r\n`);
  let buf = Buffer.alloc(0);
  socket.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      // RFC 6455 §5.2: FIN/opcode, MASK/length (7, 16 or 64 bits), mask key, payload
      if (buf.length < 2) return;
      const op = buf[0] & 0x0f;
      let len = buf[1] & 0x7f, off = 2;
      if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); off = 4; }
      else if (len === 127) { if (buf.length < 10) return; len = Number(buf.readBigUInt64BE(2)); off = 10; }
      const masked = buf[1] & 0x80;
      const need = off + (masked ? 4 : 0) + len;
      if (buf.length < need) return;
      const payload = Buffer.from(buf.subarray(need - len, need));
      if (masked) for (let i = 0; i < len; i++) payload[i] ^= buf[off + (i & 3)];
      buf = buf.subarray(need);
      // the server's frames are not masked (§5.1); short payloads only here
      const frame = (opcode, p) => Buffer.concat([Buffer.from([0x80 | opcode, p.length]), p]);
      if (op === 1 || op === 2) socket.write(frame(op, payload));
      else if (op === 8) { socket.end(frame(8, payload.subarray(0, 2))); return; }
      else if (op === 9) socket.write(frame(10, payload));
    }
  });
  socket.on('error', () => {});
});
server.listen(Number(process.argv[2]), '127.0.0.1', () => console.log('listening'));
process.on('SIGTERM', () => process.exit(0));
