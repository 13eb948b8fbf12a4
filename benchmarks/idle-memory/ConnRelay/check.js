'use strict';
// A quick check that ConnRelay speaks HTTP and RFC 6455 as the measurement needs (not part of the test run):
//   dotnet bin/Release/net10.0/ConnRelay.dll --port P --mode M &  NODE_PATH=/tmp/bench/harness/node_modules node check.js P M
// (M: raw or ws; ManagedWebSocket, in ws, takes unmasked client frames on a server without complaint, so that one
// check differs)
// Each check prints "ok  <what>" or "FAIL <what>: <why>"; the exit code is the number of failures. Every wait is bounded.
const WebSocket = require('ws');
const net = require('net');
const crypto = require('crypto');

const port = Number(process.argv[2]);
const mode = process.argv[3] || 'raw';
const base = `ws://127.0.0.1:${port}/ws`;
let failures = 0;
const within = (ms, what, p) => Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms))]);

async function check(what, fn) {
  try { await within(10000, what, fn()); console.log(`ok   ${what}`); } catch (e) { failures++; console.log(`FAIL ${what}: ${e.message}`); }
}

function open(user) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base}?user=${user}`, { perMessageDeflate: false });
    ws.messages = [];
    ws.waiters = [];
    ws.on('message', (m, binary) => { const w = ws.waiters.shift(); if (w) w(m.toString()); else ws.messages.push(m.toString()); });
    ws.next = () => new Promise((r) => { if (ws.messages.length) r(ws.messages.shift()); else ws.waiters.push(r); });
    ws.closed = new Promise((r) => ws.on('close', (code) => r(code)));
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

// Sends raw bytes, returns the whole response text once the server ends the connection.
function rawHttp(request) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(request));
    const chunks = [];
    s.on('data', (c) => chunks.push(c));
    s.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    s.on('error', reject);
  });
}

const upgradeHead = (path, extra = '') => `GET ${path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\n${extra}\r\n`;

// Opens a socket by hand, sends `frame` (already encoded) after the 101, and resolves with the first frame back
// ({ opcode: 'none' } if the server ends the connection first, or sends nothing for `quietMs` when that is given).
function rawFrame(user, frame, quietMs) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(upgradeHead(`/ws?user=${user}`, 'Sec-WebSocket-Version: 13\r\n')));
    let buf = Buffer.alloc(0), upgraded = false;
    s.on('data', (c) => {
      buf = Buffer.concat([buf, c]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!buf.subarray(0, end).toString().startsWith('HTTP/1.1 101')) { reject(new Error('no 101')); return; }
        upgraded = true; buf = buf.subarray(end + 4); s.write(frame);
        if (quietMs) setTimeout(() => { resolve({ opcode: 'none' }); s.destroy(); }, quietMs);
      }
      if (buf.length >= 2 && buf.length >= 2 + (buf[1] & 0x7f)) { resolve({ opcode: buf[0] & 0x0f, payload: buf.subarray(2, 2 + (buf[1] & 0x7f)) }); s.destroy(); }
    });
    s.on('end', () => resolve({ opcode: 'none' }));
    s.on('error', reject);
  });
}

function clientFrame(opcode, payload, { masked = true, fin = true } = {}) {
  const mask = crypto.randomBytes(4);
  const head = Buffer.from([(fin ? 0x80 : 0) | opcode, (masked ? 0x80 : 0) | payload.length]);
  const body = Buffer.from(payload.map((b, i) => (masked ? b ^ mask[i & 3] : b)));
  return Buffer.concat(masked ? [head, mask, body] : [head, body]);
}

(async () => {
  await check('a request without ?user= gets 400', async () => {
    const r = await rawHttp(upgradeHead('/ws', 'Sec-WebSocket-Version: 13\r\n'));
    if (!r.startsWith('HTTP/1.1 400')) throw new Error(r.split('\r\n')[0]);
  });
  await check('a plain GET gets 400', async () => {
    const r = await rawHttp('GET /ws?user=x HTTP/1.1\r\nHost: x\r\n\r\n');
    if (!r.startsWith('HTTP/1.1 400')) throw new Error(r.split('\r\n')[0]);
  });
  await check('version 8 gets 400 naming version 13', async () => {
    const r = await rawHttp(upgradeHead('/ws?user=x', 'Sec-WebSocket-Version: 8\r\n'));
    if (!r.startsWith('HTTP/1.1 400') || !r.includes('Sec-WebSocket-Version: 13')) throw new Error(r.split('\r\n')[0]);
  });
  await check('another path goes on to Kestrel\'s HTTP/1.1: /health gets 200 ok', async () => {
    const r = await rawHttp('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    if (!r.startsWith('HTTP/1.1 200') || !r.includes('ok\n')) throw new Error(JSON.stringify(r));
  });
  await check('another path goes on to Kestrel\'s HTTP/1.1: an upgrade of /other gets its 404', async () => {
    const r = await rawHttp(upgradeHead('/other?user=x', 'Sec-WebSocket-Version: 13\r\nConnection: close\r\n'));
    if (!r.startsWith('HTTP/1.1 404')) throw new Error(r.split('\r\n')[0]);
  });
  await check('a head sent in pieces still reaches HTTP whole', () => new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.write('GET /hea');
      setTimeout(() => s.write('lth HTTP/1.1\r\nHost: x\r\n'), 100);
      setTimeout(() => s.write('Connection: close\r\n\r\n'), 200);
    });
    const chunks = [];
    s.on('data', (c) => chunks.push(c));
    s.on('end', () => { const r = Buffer.concat(chunks).toString(); if (r.startsWith('HTTP/1.1 200')) resolve(); else reject(new Error(r.split('\r\n')[0])); });
    s.on('error', reject);
  }));
  await check('GET /stats answers with the GC figures', async () => {
    const r = await rawHttp('GET /stats HTTP/1.1\r\nHost: x\r\n\r\n');
    if (!r.startsWith('HTTP/1.1 200') || !r.includes('gc_committed_bytes')) throw new Error(r.split('\r\n')[0]);
  });

  const a = await open('ca'), b = await open('cb');
  await check('a message "to" a user reaches that user verbatim', async () => {
    const m = JSON.stringify({ to: 'cb', from: 'ca', body: 'héllo' });
    a.send(m);
    const got = await b.next();
    if (got !== m) throw new Error(got);
  });
  await check('a fragmented message arrives whole', async () => {
    const m = JSON.stringify({ to: 'cb', body: 'x'.repeat(5000) });
    a.send(m.slice(0, 1000), { fin: false });
    a.send(m.slice(1000, 3000), { fin: false });
    a.send(m.slice(3000), { fin: true });
    const got = await b.next();
    if (got !== m) throw new Error(`length ${got.length}`);
  });
  await check('a room message reaches every member, the sender too', async () => {
    a.send(JSON.stringify({ join: 'r1' })); b.send(JSON.stringify({ join: 'r1' }));
    await new Promise((r) => setTimeout(r, 200)); // the joins are fire-and-forget in the kit's protocol
    const m = JSON.stringify({ to: '#r1', body: 'all' });
    a.send(m);
    const [ga, gb] = await Promise.all([a.next(), b.next()]);
    if (ga !== m || gb !== m) throw new Error(`${ga} / ${gb}`);
  });
  await check('a ping is answered with its payload', () => new Promise((resolve, reject) => {
    a.once('pong', (d) => (d.toString() === 'p1' ? resolve() : reject(new Error(d.toString()))));
    a.ping('p1');
  }));
  await check('a message over the limit closes with 1009', async () => {
    const c = await open('cbig');
    c.send(JSON.stringify({ to: 'cb', body: 'y'.repeat(70000) }));
    const code = await c.closed;
    if (code !== 1009) throw new Error(`closed with ${code}`);
  });
  await check('a close is answered with the same code', async () => {
    const c = await open('cclose');
    c.close(4000, 'bye');
    const code = await c.closed;
    if (code !== 4000) throw new Error(`closed with ${code}`);
  });
  if (mode === 'ws') {
    await check('an unmasked client frame is taken (ManagedWebSocket does not check the mask on a server)', async () => {
      const f = await rawFrame('craw1', clientFrame(1, Buffer.from('{}'), { masked: false }), 1000);
      if (f.opcode !== 'none') throw new Error(`opcode ${f.opcode}`);
    });
  } else await check('an unmasked client frame closes with 1002', async () => {
    const f = await rawFrame('craw1', clientFrame(1, Buffer.from('{}'), { masked: false }));
    if (f.opcode !== 8 || f.payload.readUInt16BE(0) !== 1002) throw new Error(`opcode ${f.opcode} code ${f.payload.length >= 2 ? f.payload.readUInt16BE(0) : '-'}`);
  });
  await check('invalid UTF-8 in a text message closes with 1007', async () => {
    const f = await rawFrame('craw2', clientFrame(1, Buffer.from([0x7b, 0xc3, 0x28, 0x7d])));
    if (f.opcode !== 8 || f.payload.readUInt16BE(0) !== 1007) throw new Error(`opcode ${f.opcode} code ${f.payload.length >= 2 ? f.payload.readUInt16BE(0) : '-'}`);
  });
  await check('a continuation with nothing to continue closes with 1002', async () => {
    const f = await rawFrame('craw3', clientFrame(0, Buffer.from('x')));
    if (f.opcode !== 8 || f.payload.readUInt16BE(0) !== 1002) throw new Error(`opcode ${f.opcode} code ${f.payload.length >= 2 ? f.payload.readUInt16BE(0) : '-'}`);
  });
  a.terminate(); b.terminate();
  console.log(`${failures === 0 ? 'all checks passed' : `${failures} failed`}`);
  process.exit(failures);
})().catch((e) => { console.error(e); process.exit(99); });
