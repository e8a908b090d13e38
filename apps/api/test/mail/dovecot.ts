import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../../src/common/free-port';
import { waitForPort } from '../wait-for-port';

export const DOVECOT = '/usr/sbin/dovecot';

/** Mail suites skip with a warning outside CI when Dovecot is missing; under CI=true they fail. */
export function dovecotAvailable(): boolean {
  if (existsSync(DOVECOT)) return true;
  if (process.env['CI'] === 'true') throw new Error(`${DOVECOT} is missing: apt-get install -y --no-install-recommends dovecot-imapd`);
  console.warn(`WARNING: ${DOVECOT} is missing (Debian package dovecot-imapd): mail tests skipped.`);
  return false;
}

export interface MailUser {
  email: string;
  password: string;
}

/**
 * A real Dovecot IMAP server in a folder of its own, on free loopback ports: plain IMAP with
 * STARTTLS, and implicit TLS (self-signed certificate).
 */
export class TestDovecot {
  private process?: ChildProcess;

  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly tlsPort: number,
    readonly users: MailUser[],
  ) {}

  static async start(users: MailUser[] = [{ email: 'support@example.test', password: 'secret' }]): Promise<TestDovecot> {
    // A port may still be taken by another process between its choice and Dovecot's bind: then
    // Dovecot exits, and we try again on other ports.
    for (let attempt = 1; ; attempt++) {
      const server = new TestDovecot(await mkdtemp('/tmp/guichet-dovecot-'), await freePort(), await freePort(), users);
      try {
        await server.launch();
        return server;
      } catch (err) {
        const log = await readFile(join(server.dir, 'dovecot.log'), 'utf8').catch(() => '');
        await server.stop();
        if (attempt >= 3) throw new Error(`Dovecot did not start: ${(err as Error).message}\n${log}`);
      }
    }
  }

  private async launch(): Promise<void> {
    await chmod(this.dir, 0o755);
    await this.writeConfig();
    const child = spawn(DOVECOT, ['-c', join(this.dir, 'dovecot.conf'), '-F'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = child;
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const exited = () =>
      child.exitCode !== null || child.signalCode !== null ? `dovecot exited (${child.exitCode ?? child.signalCode}) ${output}` : undefined;
    await waitForPort(this.port, 10000, exited);
    await waitForPort(this.tlsPort, 10000, exited);
  }

  /** Puts a raw RFC 5322 message in a user's folder, as the delivery agent would. */
  deliver(raw: string | Buffer, user = this.users[0]!.email, folder = 'INBOX'): void {
    execFileSync('doveadm', ['-c', join(this.dir, 'dovecot.conf'), 'save', '-u', user, '-m', folder], { input: raw });
  }

  /** Number of messages in a folder (doveadm search). */
  count(folder = 'INBOX', user = this.users[0]!.email): number {
    try {
      const out = execFileSync('doveadm', ['-c', join(this.dir, 'dovecot.conf'), 'search', '-u', user, 'mailbox', folder, 'ALL']).toString();
      return out.split('\n').filter((l) => l.trim()).length;
    } catch {
      return 0;
    }
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      });
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  private async writeConfig(): Promise<void> {
    const d = this.dir;
    for (const sub of ['run', 'state', 'mail']) await mkdir(join(d, sub), { recursive: true });
    execFileSync('chown', ['mail:mail', join(d, 'mail')]);
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '2', '-keyout', join(d, 'key.pem'), '-out', join(d, 'cert.pem')],
      { stdio: 'ignore' },
    );
    await writeFile(join(d, 'users'), this.users.map((u) => `${u.email}:{PLAIN}${u.password}`).join('\n') + '\n');
    await writeFile(
      join(d, 'dovecot.conf'),
      `base_dir = ${d}/run
state_dir = ${d}/state
instance_name = guichet-test-${this.port}
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <${d}/cert.pem
ssl_key = <${d}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = ${d}/dovecot.log
info_log_path = ${d}/dovecot.log
default_internal_user = dovecot
default_login_user = dovenull
first_valid_uid = 8
mail_uid = mail
mail_gid = mail
mail_location = maildir:${d}/mail/%u/Maildir
namespace inbox {
  inbox = yes
  mailbox Processed {
    auto = create
  }
  mailbox Errors {
    auto = create
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${this.port}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${this.tlsPort}
    ssl = yes
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${d}/users
}
userdb {
  driver = static
  args = home=${d}/mail/%u
}
`,
    );
  }
}
