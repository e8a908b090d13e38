import { Inject, Injectable } from '@nestjs/common';
import type { ConnectionTestResult, MailSecurity } from '@guichet/contracts';
import { ImapFlow } from 'imapflow';
import { connect, type Socket } from 'node:net';
import nodemailer from 'nodemailer';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';

export interface ImapSettings {
  host: string;
  port: number;
  security: MailSecurity;
  username: string;
  password: string;
}

const SMTP_CONNECT_TIMEOUT_MS = 15000;

/**
 * Opens the TCP connection for nodemailer with Nagle's algorithm off. With it on, the end of each
 * message (a small write after the body) waits for the server's delayed acknowledgement, about
 * 40 ms: one connection then sends some 20 mails a second instead of hundreds. TLS, implicit or
 * by STARTTLS, is still set up by nodemailer over this connection.
 */
function connectWithoutDelay(options: { host?: string; port?: number }, callback: (err: Error | null, socketOptions?: { connection: Socket }) => void): void {
  const socket = connect({ host: options.host, port: options.port ?? 25, noDelay: true });
  let settled = false;
  const settle = (err: Error | null) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    socket.removeAllListeners('error');
    if (err) {
      socket.destroy();
      callback(err);
    } else {
      callback(null, { connection: socket });
    }
  };
  const timer = setTimeout(() => settle(Object.assign(new Error('Connection timeout'), { code: 'ETIMEDOUT' })), SMTP_CONNECT_TIMEOUT_MS);
  socket.once('error', settle);
  socket.once('connect', () => settle(null));
}

/**
 * Connections to the mail servers. Certificates are verified unless MAIL_TLS_VERIFY=false
 * (test servers with self-signed certificates only).
 */
@Injectable()
export class MailConnections {
  private readonly verifyTls: boolean;

  constructor(@Inject(RUNTIME_CONFIG) config: RuntimeConfig) {
    this.verifyTls = config.mailTlsVerify;
  }

  imap(s: ImapSettings): ImapFlow {
    return new ImapFlow({
      host: s.host,
      port: s.port,
      secure: s.security === 'tls',
      doSTARTTLS: s.security === 'starttls' ? true : s.security === 'none' ? false : undefined,
      auth: { user: s.username, pass: s.password },
      tls: { rejectUnauthorized: this.verifyTls },
      logger: false,
      emitLogs: false,
      connectionTimeout: 15000,
      greetingTimeout: 10000,
      socketTimeout: 120000,
    });
  }

  smtp(s: ImapSettings, pooled = false): nodemailer.Transporter {
    return nodemailer.createTransport({
      ...(pooled ? { pool: true, maxConnections: 4, maxMessages: 1000 } : {}),
      host: s.host,
      port: s.port,
      secure: s.security === 'tls',
      requireTLS: s.security === 'starttls',
      ignoreTLS: s.security === 'none',
      auth: s.username ? { user: s.username, pass: s.password } : undefined,
      tls: { rejectUnauthorized: this.verifyTls },
      connectionTimeout: SMTP_CONNECT_TIMEOUT_MS,
      greetingTimeout: 10000,
      // nodemailer's default is ten minutes of silence; a send job's lease must outlast a mail.
      socketTimeout: 60000,
      getSocket: connectWithoutDelay,
    });
  }

  /** Connects, logs in and opens each folder the mailbox uses; says which step failed. */
  async testImap(s: ImapSettings, folders: string[]): Promise<ConnectionTestResult> {
    const steps: ConnectionTestResult['steps'] = [];
    const client = this.imap(s);
    client.on('error', () => undefined);
    try {
      await client.connect();
      steps.push({ step: 'connect-and-login', ok: true, detail: client.secureConnection ? 'TLS' : 'plain' });
      const existing = new Set((await client.list()).map((f) => f.path));
      for (const folder of folders) {
        steps.push(
          existing.has(folder) ? { step: `folder:${folder}`, ok: true } : { step: `folder:${folder}`, ok: false, detail: 'missing: create it on the server' },
        );
      }
    } catch (err) {
      steps.push({ step: steps.length ? 'list-folders' : 'connect-and-login', ok: false, detail: describe(err) });
    } finally {
      await client.logout().catch(() => client.close());
    }
    return { ok: steps.every((x) => x.ok), steps };
  }

  async testSmtp(s: ImapSettings): Promise<ConnectionTestResult> {
    const transport = this.smtp(s);
    try {
      await transport.verify();
      return { ok: true, steps: [{ step: 'connect-and-login', ok: true }] };
    } catch (err) {
      return { ok: false, steps: [{ step: 'connect-and-login', ok: false, detail: describe(err) }] };
    } finally {
      transport.close();
    }
  }
}

function describe(err: unknown): string {
  const e = err as { message?: string; responseText?: string; code?: string; authenticationFailed?: boolean };
  if (e?.authenticationFailed) return 'authentication failed: check the account and password';
  return [e?.code, e?.responseText ?? e?.message].filter(Boolean).join(': ').slice(0, 300) || 'failed';
}
