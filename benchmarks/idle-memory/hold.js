'use strict';
// Opens and holds N WebSockets that say nothing after their first frame, for benchmarks/idle-memory.sh.
//   node hold.js --ws ws://127.0.0.1:PORT/ws --conns N --user-query      the relay: /ws?user=hN, no frame
//   node hold.js --ws ws://127.0.0.1:PORT/v1/ws --conns N                 Parley, accepted but no hello
//   node hold.js --ws ws://127.0.0.1:PORT/v1/ws --conns N --http http://127.0.0.1:PORT --users U
//                                                                          Parley, U users logged in, a hello each
// Prints "held N" once every socket is open (and welcomed, with --http), then holds them until SIGTERM.
// `ws` answers pings by itself and never pings. Needs NODE_PATH with `ws` (the bench kit's harness/node_modules).
const WebSocket = require('ws');
const http = require('http');

const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (!a.startsWith('--')) continue;
  const next = process.argv[i + 1];
  if (next === undefined || next.startsWith('--')) args[a.slice(2)] = true; else { args[a.slice(2)] = next; i++; }
}
const conns = Number(args.conns || 1000);
const users = Number(args.users || 200);
const concurrency = Number(args.concurrency || 50);
const password = 'idle-memory-1';
const prefix = args.prefix || `im${Math.random().toString(36).slice(2, 6)}`;

function post(path, body) {
  const u = new URL(path, args.http);
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(u, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': data.length } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => { let j = null; try { j = JSON.parse(Buffer.concat(chunks).toString()); } catch { } resolve({ status: res.statusCode, body: j }); });
    });
    req.on('error', reject);
    req.end(data);
  });
}

async function token(user) {
  const reg = await post('/v1/users', { username: user, password });
  if (reg.status !== 201 && reg.status !== 409) throw new Error(`register ${user}: HTTP ${reg.status}`);
  const r = await post('/v1/sessions', { username: user, password, deviceName: 'idle-memory' });
  if (r.status !== 200) throw new Error(`login ${user}: HTTP ${r.status}`);
  return r.body.token;
}

const sockets = [];
function open(i, tokens) {
  const url = args['user-query'] ? `${args.ws}?user=${prefix}${i}` : args.ws;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const timer = setTimeout(() => reject(new Error(`socket ${i}: no open/welcome in 60 s`)), 60000);
    ws.on('error', (e) => { clearTimeout(timer); reject(e); });
    ws.on('close', (code) => { if (!ws.held) { clearTimeout(timer); reject(new Error(`socket ${i} closed: ${code}`)); } else { process.stderr.write(`socket ${i} closed later: ${code}\n`); } });
    ws.on('open', () => {
      if (!tokens) { ws.held = true; clearTimeout(timer); resolve(ws); return; }
      ws.send(JSON.stringify({ type: 'hello', token: tokens[i % tokens.length] }));
    });
    ws.on('message', (m) => {
      if (ws.held) return;
      const f = JSON.parse(m.toString());
      if (f.type === 'welcome') { ws.held = true; clearTimeout(timer); resolve(ws); }
    });
  });
}

(async () => {
  let tokens = null;
  if (args.http) {
    tokens = [];
    for (let i = 0; i < users; i += 10) tokens.push(...await Promise.all(Array.from({ length: Math.min(10, users - i) }, (_, k) => token(`${prefix}${i + k}`))));
  }
  const started = Date.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < conns) { const i = next++; sockets.push(await open(i, tokens)); }
  }));
  console.log(`held ${sockets.length} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
})().catch((e) => { console.error(e.message); process.exit(1); });
process.on('SIGTERM', () => { for (const s of sockets) s.terminate(); process.exit(0); });
