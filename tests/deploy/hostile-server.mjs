// A hostile Kubernetes API server for the cluster client's tests: raw HTTP/1.1 over TLS (or plain
// TCP) written by hand, so that it can send what a real server never would — bodies cut short, HTML
// pages, huge bodies, one byte every few seconds, and header values with escape sequences, CR and
// forged diagnostic lines (Node's http module refuses to write those). Every connection answers one
// request and closes. `handler(req, api)` decides the answer; `api(req)` is a minimal cooperative API
// (namespaces exist, server-side apply stores the object, workloads are ready, lists return what was
// applied) that a test changes where it wants to be hostile.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { HYSCALE, WEB_SPEC, YAML, kubeconfig, makeCerts, users } from './harness.mjs';

const statusObj = (code, reason, message, extra = {}) =>
  ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code, ...extra });
export const json = (status, obj, headers = []) =>
  ({ status, headers: [['Content-Type', 'application/json'], ...headers], body: JSON.stringify(obj) });
export const notFound = () => json(404, statusObj(404, 'NotFound', 'the server could not find the requested resource'));

export async function startHostile({ certs, plain = false } = {}) {
  const srv = { requests: [], store: new Map(), handler: null, sockets: new Set() };
  // The cooperative API: enough for deploy, get status and undeploy to succeed.
  srv.api = (req) => {
    const p = req.path.split('?')[0];
    if (req.method === 'PATCH') {
      const obj = YAML.parse(req.body);
      obj.metadata.generation = 1;
      if (obj.kind === 'Deployment' || obj.kind === 'StatefulSet') {
        const n = obj.spec.replicas ?? 1;
        obj.status = { observedGeneration: 1, replicas: n, readyReplicas: n, updatedReplicas: n, availableReplicas: n };
      }
      const created = !srv.store.has(p);
      srv.store.set(p, obj);
      return json(created ? 201 : 200, obj);
    }
    if (req.method === 'DELETE') {
      srv.store.delete(p);
      return json(200, statusObj(200, '', '', { status: 'Success' }));
    }
    if (req.method === 'GET' && /^\/api\/v1\/namespaces\/[^/]+$/.test(p))
      return json(200, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: p.split('/').pop() } });
    if (req.method === 'GET' && srv.store.has(p)) return json(200, srv.store.get(p));
    if (req.method === 'GET' && req.path.includes('?labelSelector=')) {
      const items = [...srv.store.entries()].filter(([k]) => k.startsWith(`${p}/`)).map(([, o]) => o);
      return json(200, { apiVersion: 'v1', kind: 'List', metadata: {}, items });
    }
    return notFound();
  };

  const respond = async (sock, req) => {
    srv.requests.push(req);
    const r = await (srv.handler ? srv.handler(req, srv.api) : srv.api(req));
    if (!r || sock.destroyed) return;   // a stall: never answer
    const body = Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body ?? '');
    const head = [`HTTP/1.1 ${r.status} ${r.reason || 'X'}`];
    for (const [k, v] of r.headers || []) head.push(`${k}: ${v}`);
    if (!r.noLength) head.push(`Content-Length: ${r.length ?? body.length}`);
    head.push('Connection: close', '', '');
    sock.write(Buffer.from(head.join('\r\n'), 'latin1'));
    if (r.dripMs) {   // one byte at a time
      for (let i = 0; i < body.length && !sock.destroyed; i++) {
        sock.write(body.subarray(i, i + 1));
        await new Promise((ok) => setTimeout(ok, r.dripMs));
      }
    } else {
      sock.write(body);
    }
    if (r.cut) sock.destroy();
    else sock.end();
  };

  const onConnection = (sock) => {
    srv.sockets.add(sock);
    sock.on('close', () => srv.sockets.delete(sock));
    sock.on('error', () => {});
    let buf = Buffer.alloc(0), done = false;
    sock.on('data', (d) => {
      if (done) return;
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
      const [method, path] = lines[0].split(' ');
      const headers = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      const len = Number(headers['content-length'] || 0);
      if (buf.length < end + 4 + len) return;
      done = true;
      respond(sock, { method, path, headers, rawHead: lines.join('\n'),
        body: buf.subarray(end + 4, end + 4 + len).toString('utf8') }).catch(() => sock.destroy());
    });
  };
  const server = plain ? net.createServer(onConnection)
    : tls.createServer({ key: certs.key, cert: certs.cert }, onConnection);
  server.on('tlsClientError', () => {});
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  srv.port = server.address().port;
  srv.url = `${plain ? 'http' : 'https'}://127.0.0.1:${srv.port}`;
  srv.close = () => new Promise((ok) => {
    for (const s of srv.sockets) s.destroy();
    server.close(() => ok());
  });
  return srv;
}

// A test's hostile server, its certificates and kubeconfigs, and hyscale run against it.
export class Hostile {
  static async create(t, { plain = false } = {}) {
    const h = new Hostile();
    h.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-hostile-'));
    h.certs = makeCerts(h.dir);
    h.srv = await startHostile({ certs: h.certs, plain });
    h.kubeconfig = h.config('config', users.certFiles(h.dir));
    t.after(async () => { await h.srv.close(); fs.rmSync(h.dir, { recursive: true, force: true }); });
    return h;
  }

  config(name, user, { cluster = {}, context = {} } = {}) {
    const file = kubeconfig(this.dir, name, this.srv.port, user, { cluster: { server: this.srv.url, ...cluster } });
    if (Object.keys(context).length) {
      const cfg = YAML.parse(fs.readFileSync(file, 'utf8'));
      Object.assign(cfg.contexts[0].context, context);
      fs.writeFileSync(file, YAML.stringify(cfg));
    }
    return file;
  }

  spec(text = WEB_SPEC()) {
    const f = path.join(this.dir, 'web.hspec');
    fs.writeFileSync(f, text);
    return f;
  }

  plugin(name, body) {
    const f = path.join(this.dir, name);
    fs.writeFileSync(f, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return f;
  }

  run(args, { env = {}, kubeconfig = this.kubeconfig, time = false } = {}) {
    const start = Date.now();
    const gnuTime = time && fs.existsSync('/usr/bin/time');
    const cmd = gnuTime ? '/usr/bin/time' : HYSCALE;
    const argv = gnuTime ? ['-f', 'hs-max-rss-kb=%M', HYSCALE, ...args] : args;
    return new Promise((resolve) => {
      const child = spawn(cmd, argv, {
        env: { PATH: process.env.PATH, HOME: this.dir, KUBECONFIG: kubeconfig, HYSCALE_POLL_INTERVAL: '0.05',
          HYSCALE_ADDRESS_TIMEOUT: '0.2', HYSCALE_REQUEST_TIMEOUT: '5', HYSCALE_BACKOFF: '0.05', HYSCALE_RETRIES: '2',
          ASAN_OPTIONS: process.env.ASAN_OPTIONS || '', UBSAN_OPTIONS: process.env.UBSAN_OPTIONS || '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '', stderr = '';
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('close', (code, signal) => {
        const m = /hs-max-rss-kb=(\d+)\n?$/.exec(stderr);
        if (m) stderr = stderr.slice(0, m.index);
        resolve({ code, signal, stdout, stderr, ms: Date.now() - start, rssKb: m ? Number(m[1]) : null });
      });
    });
  }
}

