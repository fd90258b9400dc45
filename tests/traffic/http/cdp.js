// Drives a headless Chromium through the DevTools protocol for
// record-http.sh: one page loaded, reloaded, then a HEAD and a revalidation
// from page script, and (with a WebSocket URL) a WebSocket. Run with
// Node 20's --experimental-websocket (its WebSocket client; no npm package).
//   node --experimental-websocket cdp.js DEVTOOLS-PORT PAGE-URL [WS-URL]
'use strict';
const [devPort, pageUrl, wsUrl] = [process.argv[2], process.argv[3], process.argv[4]];

async function pageTarget() {
  // Chromium answers /json/list once DevTools listens; it may take a while to start
  for (let i = 0; i < 100; i++) {
    try {
      const list = await (await fetch(`http://127.0.0.1:${devPort}/json/list`)).json();
      const page = list.find((t) => t.type === 'page');
      if (page) return page.webSocketDebuggerUrl;
    } catch (e) { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no page target');
}

async function main() {
  const ws = new WebSocket(await pageTarget());
  await new Promise((res, rej) => { ws.onopen = res; ws.onerror = rej; });
  let id = 0;
  const waiting = new Map();
  const listeners = [];
  ws.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    if (msg.id && waiting.has(msg.id)) { waiting.get(msg.id)(msg); waiting.delete(msg.id); }
    else for (const l of listeners) l(msg);
  };
  const send = (method, params = {}) => new Promise((res, rej) => {
    const n = ++id;
    waiting.set(n, (msg) => (msg.error ? rej(new Error(method + ': ' + msg.error.message)) : res(msg.result)));
    ws.send(JSON.stringify({ id: n, method, params }));
  });
  const loaded = () => new Promise((res) => {
    const l = (msg) => { if (msg.method === 'Page.loadEventFired') { listeners.splice(listeners.indexOf(l), 1); res(); } };
    listeners.push(l);
  });
  const evaluate = async (expr) => {
    const r = await send('Runtime.evaluate', { expression: expr, awaitPromise: true, returnByValue: true });
    return r.exceptionDetails ? 'exception: ' + r.exceptionDetails.text + ' ' + JSON.stringify(r.result) : r.result.value;
  };
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  await send('Page.enable');
  let l = loaded();
  await send('Page.navigate', { url: pageUrl });
  await l;
  console.log('loaded:', await evaluate('document.title + ", " + window.scriptsRun + " scripts, " + [...document.images].filter(i => i.complete && i.naturalWidth).length + " images"'));
  // a normal reload: Chromium revalidates the page (if-none-match /
  // if-modified-since, a 304) and takes its subresources from the cache
  l = loaded();
  await send('Page.reload', { ignoreCache: false });
  await l;
  console.log('reloaded:', await evaluate('window.scriptsRun + " scripts"'));
  // a reload that bypasses the cache: every resource again, 200s
  l = loaded();
  await send('Page.reload', { ignoreCache: true });
  await l;
  console.log('reloaded without cache:', await evaluate('window.scriptsRun + " scripts"'));
  console.log('HEAD:', await evaluate(`fetch('/file.txt', {method: 'HEAD'}).then(r => r.status + ' content-length ' + r.headers.get('content-length'))`));
  console.log('GET:', await evaluate(`fetch('/file.txt').then(r => r.text()).then(t => t.length + ' octets')`));
  console.log('revalidated:', await evaluate(`fetch('/file.txt', {cache: 'no-cache'}).then(r => r.status + ' ' + r.headers.get('etag'))`));
  if (wsUrl) {
    console.log('websocket:', await evaluate(`new Promise((res, rej) => {
      const ws = new WebSocket(${JSON.stringify(wsUrl)});
      const got = [];
      ws.onopen = () => { ws.send('hello over RFC 8441'); ws.send(new Uint8Array([1, 2, 3, 4])); };
      ws.onmessage = (m) => { got.push(typeof m.data === 'string' ? m.data : 'binary'); if (got.length === 2) ws.close(1000, 'done'); };
      ws.onclose = (e) => res('closed ' + e.code + ' after ' + JSON.stringify(got));
      ws.onerror = () => res('error');
      setTimeout(() => res('timeout after ' + JSON.stringify(got)), 5000);
    })`));
  }
  await sleep(300);
  // closing the browser ends its connections
  try { await send('Browser.close'); } catch (e) { /* the socket may close first */ }
  ws.close();
}
main().catch((e) => { console.error(e); process.exit(1); });
