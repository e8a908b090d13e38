import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { freePort } from '../../src/common/free-port';

export interface SunkMessage {
  envelope: { from: string | null; to: string[]; secure: boolean };
  raw: Buffer;
  parsed: ParsedMail;
}

/** A real SMTP server in its own process, collecting what the application sends. */
export class SmtpSink {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly dir: string,
    readonly user: string,
    readonly pass: string,
  ) {}

  static async start(tls?: { key: string; cert: string }): Promise<SmtpSink> {
    const dir = await mkdtemp('/tmp/guichet-smtp-');
    const [user, pass] = ['guichet', 'sink-password'];
    // The chosen port may be taken by another process before the sink binds it: try another.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const child = spawn(process.execPath, [join(__dirname, 'smtp-sink-server.mjs')], {
        env: { ...process.env, OUT_DIR: dir, PORT: String(port), SMTP_USER: user, SMTP_PASS: pass, TLS_KEY: tls?.key ?? '', TLS_CERT: tls?.cert ?? '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        await listening(child);
        return new SmtpSink(child, port, dir, user, pass);
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
  }

  /** The SMTP settings (PUT /api/mail/smtp) that send to this sink as the support address. */
  settings(): Record<string, unknown> {
    return {
      host: '127.0.0.1',
      port: this.port,
      security: 'starttls',
      username: this.user,
      password: this.pass,
      fromAddress: 'support@example.test',
      fromName: 'Support',
    };
  }

  /** Messages received so far, in order. */
  async messages(): Promise<SunkMessage[]> {
    const ids = readdirSync(this.dir)
      .filter((f) => f.endsWith('.eml'))
      .sort();
    return Promise.all(
      ids.map(async (f) => {
        const raw = readFileSync(join(this.dir, f));
        const envelope = JSON.parse(readFileSync(join(this.dir, f.replace('.eml', '.json')), 'utf8')) as SunkMessage['envelope'];
        return { envelope, raw, parsed: await simpleParser(raw) };
      }),
    );
  }

  /** Waits until at least `n` messages have arrived. */
  async waitFor(n: number, timeoutMs = 10000): Promise<SunkMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const count = readdirSync(this.dir).filter((f) => f.endsWith('.eml')).length;
      if (count >= n) return this.messages();
      if (Date.now() > deadline) throw new Error(`expected ${n} messages, got ${count} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      await new Promise<void>((resolve) => {
        this.child.once('exit', () => resolve());
        this.child.kill('SIGTERM');
        setTimeout(() => this.child.kill('SIGKILL'), 3000).unref();
      });
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

function listening(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('listening')) resolve();
    });
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`SMTP sink exited with ${code}: ${out}`)));
  });
}
