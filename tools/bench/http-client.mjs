// A lean HTTP/1.1 client for the load benchmark: keep-alive sockets, one request at a time per
// socket, the answer's bytes kept as received. The load client shares the machine's cores with the
// API and PostgreSQL; every millisecond of CPU it spends per request is taken from the system it
// measures (docs/performance.md, "Late run"): undici spent 0.21–0.94 ms of CPU per request here,
// this client 0.08–0.45 ms.
import { connect } from 'node:net';

const CRLF_CRLF = Buffer.from('\r\n\r\n');

class Connection {
  constructor(host, port, onClose) {
    this.socket = connect({ host, port, noDelay: true });
    this.pending = undefined;
    this.closed = false;
    this.reset();
    this.socket.on('data', (chunk) => this.onData(chunk));
    const fail = (err) => {
      this.closed = true;
      const p = this.pending;
      this.pending = undefined;
      onClose(this);
      if (p) p.reject(err ?? new Error('connection closed before the answer ended'));
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail());
  }

  reset() {
    this.head = undefined; // Buffer of the bytes received before the header's end
    this.status = 0;
    this.length = -1; // Content-Length, or -1 when chunked
    this.chunked = false;
    this.keepAlive = true;
    this.chunks = [];
    this.received = 0;
  }

  send(bytes) {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(bytes);
    });
  }

  onData(chunk) {
    if (!this.pending) return;
    if (!this.status) {
      const buf = this.head ? Buffer.concat([this.head, chunk]) : chunk;
      const end = buf.indexOf(CRLF_CRLF);
      if (end < 0) {
        this.head = buf;
        return;
      }
      this.parseHead(buf.toString('latin1', 0, end));
      chunk = buf.subarray(end + 4);
    }
    if (chunk.length) {
      this.chunks.push(chunk);
      this.received += chunk.length;
    }
    const body = this.complete();
    if (body === undefined) return;
    const p = this.pending;
    const status = this.status;
    const keepAlive = this.keepAlive;
    this.pending = undefined;
    this.reset();
    if (!keepAlive) this.socket.end();
    p.resolve({ statusCode: status, body });
  }

  parseHead(text) {
    const lines = text.split('\r\n');
    this.status = Number(lines[0].slice(9, 12));
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i].indexOf(':');
      const name = lines[i].slice(0, colon).toLowerCase();
      const value = lines[i].slice(colon + 1).trim();
      if (name === 'content-length') this.length = Number(value);
      else if (name === 'transfer-encoding' && /chunked/i.test(value)) this.chunked = true;
      else if (name === 'connection' && /close/i.test(value)) this.keepAlive = false;
    }
    if (!this.chunked && this.length < 0) this.length = 0;
  }

  /** The body once all of it arrived, else undefined. */
  complete() {
    if (!this.chunked) return this.received >= this.length ? Buffer.concat(this.chunks, this.received) : undefined;
    // Chunked (the API sends lengths; kept for answers streamed by a proxy or a file route).
    const all = Buffer.concat(this.chunks, this.received);
    const parts = [];
    let at = 0;
    for (;;) {
      const eol = all.indexOf('\r\n', at);
      if (eol < 0) return undefined;
      const size = parseInt(all.toString('latin1', at, eol), 16);
      if (size === 0) return all.indexOf(CRLF_CRLF, eol - 2) >= 0 ? Buffer.concat(parts) : undefined;
      if (all.length < eol + 2 + size + 2) return undefined;
      parts.push(all.subarray(eol + 2, eol + 2 + size));
      at = eol + 2 + size + 2;
    }
  }
}

/** A pool of keep-alive connections to one loopback HTTP server. */
export class HttpClient {
  constructor(base, connections = 16) {
    const url = new URL(base);
    this.host = url.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(url.port || 80);
    this.hostHeader = url.host;
    this.max = connections;
    this.idle = [];
    this.all = new Set();
    this.waiting = [];
  }

  /** `{ statusCode, body: { text(), json() } }`, like the part of undici's answer the benchmark reads. */
  async request(method, path, headers = {}, body) {
    const payload = body === undefined ? undefined : Buffer.from(body);
    let head = `${method} ${path} HTTP/1.1\r\nHost: ${this.hostHeader}\r\n`;
    for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
    if (payload) head += `Content-Length: ${payload.length}\r\n`;
    head += '\r\n';
    const bytes = payload ? Buffer.concat([Buffer.from(head, 'latin1'), payload]) : Buffer.from(head, 'latin1');
    const conn = await this.acquire();
    try {
      const answer = await conn.send(bytes);
      return {
        statusCode: answer.statusCode,
        body: { text: async () => answer.body.toString('utf8'), json: async () => JSON.parse(answer.body.toString('utf8')) },
      };
    } finally {
      this.release(conn);
    }
  }

  acquire() {
    const conn = this.idle.pop();
    if (conn) return Promise.resolve(conn);
    if (this.all.size < this.max) {
      const created = new Connection(this.host, this.port, (c) => this.forget(c));
      this.all.add(created);
      return Promise.resolve(created);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(conn) {
    if (conn.closed) {
      const next = this.waiting.shift();
      if (next) this.acquire().then(next);
      return;
    }
    const next = this.waiting.shift();
    if (next) next(conn);
    else this.idle.push(conn);
  }

  forget(conn) {
    this.all.delete(conn);
    this.idle = this.idle.filter((c) => c !== conn);
  }

  close() {
    for (const c of this.all) c.socket.destroy();
    this.all.clear();
    this.idle = [];
  }
}
