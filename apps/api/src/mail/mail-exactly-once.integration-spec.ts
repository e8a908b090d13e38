import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { auth, type Session, TestApp } from '../../test/test-app';
import { dovecotAvailable, TestDovecot } from '../../test/mail/dovecot';

const run = dovecotAvailable() ? describe : describe.skip;
const ROOT = join(__dirname, '../../../..');
const MAIN = join(ROOT, 'dist/apps/api/apps/api/src/main.js');

/**
 * R3.3 "each message is processed once, even if the service is stopped in the middle": 500
 * messages (and 20 of them delivered twice) are read by worker processes that are killed
 * with SIGKILL at random moments and restarted, until the inbox is empty.
 */
run('exactly once, with workers killed at random', () => {
  let t: TestApp;
  let dovecot: TestDovecot;
  let files: string;
  const senders: Session[] = [];
  let agent: Session;

  beforeAll(async () => {
    files = await mkdtemp('/tmp/guichet-crash-files-');
    [t, dovecot] = await Promise.all([TestApp.start({ MAIL_TLS_VERIFY: 'false', FILES_DIR: files }), TestDovecot.start()]);
    const admin = await t.admin();
    const space = await t.space('Ministère K');
    await t.project('HWEB', space.id);
    for (let i = 0; i < 5; i++) {
      const s = await t.user(`sender${i}@culture.gouv.fr`);
      await t.grant('HWEB', s.accountId, 'submit');
      senders.push(s);
    }
    agent = await t.user('agent@provider.example.test', 'agent');
    await t.joinSpace(space.id, agent.accountId);
    await t.http
      .post('/api/mail/mailboxes')
      .set(auth(admin))
      .send({
        name: 'Support',
        host: '127.0.0.1',
        port: dovecot.port,
        security: 'starttls',
        username: 'support@example.test',
        password: 'secret',
        defaultProjectKey: 'HWEB',
      })
      .expect(201);
  }, 120000);
  afterAll(() => Promise.all([t?.stop(), dovecot?.stop()]));

  /** Starts a worker process; resolves once it says it is running (its start-up time varies with the machine's load). */
  const startWorker = async (): Promise<ChildProcess> => {
    const worker = spawn(process.execPath, [MAIN, '--role=worker'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: t.config.databaseUrl,
        JWT_SECRET: 'w'.repeat(40),
        SECRETS_ENCRYPTION_KEY: t.config.secretsKey.toString('base64'),
        MAIL_TLS_VERIFY: 'false',
        MAIL_POLL_SECONDS: '5',
        MAIL_MAX_PER_SENDER_PER_HOUR: '100000',
        FILES_DIR: files,
        PUBLIC_URL: 'http://guichet.test',
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      worker.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('is running')) resolve();
      });
      worker.once('exit', (code) => reject(new Error(`worker exited with ${code} before it ran`)));
    });
    worker.stdout!.resume();
    return worker;
  };

  it('500 messages, workers killed with SIGKILL at random, each message recorded and turned into a ticket or reply exactly once', async () => {
    const message = (id: string, from: string, subject: string, body: string) =>
      `From: ${from}\r\nTo: support@example.test\r\nSubject: ${subject}\r\nMessage-ID: <${id}@crash.test>\r\nDate: Thu, 6 Nov 2026 10:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`;
    const raw: string[] = [];
    for (let i = 0; i < 300; i++) raw.push(message(`new-${i}`, `sender${i % 5}@culture.gouv.fr`, `Demande numéro ${i}`, `Texte ${i}`));
    for (let i = 0; i < 100; i++) raw.push(message(`reply-${i}`, 'agent@provider.example.test', `RE: [HWEB-${i + 1}] suite`, `Réponse ${i}`));
    for (let i = 300; i < 400; i++) raw.push(message(`new-${i}`, `sender${i % 5}@culture.gouv.fr`, `Demande numéro ${i}`, `Texte ${i}`));
    // The same message delivered twice (a mail loop or a redelivery) must count once.
    for (let i = 0; i < 20; i++) raw.push(raw[i * 7]!);
    raw.forEach((r) => dovecot.deliver(r));
    expect(dovecot.count('INBOX')).toBe(520);

    let kills = 0;
    for (let round = 0; round < 10 && dovecot.count('INBOX') > 0; round++) {
      const worker = await startWorker();
      // Killed at a random moment of its work: fetching, recording, committing or moving.
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 1400));
      if (worker.exitCode === null) {
        worker.kill('SIGKILL');
        kills++;
      }
      await new Promise<void>((r) => (worker.exitCode !== null ? r() : worker.once('exit', () => r())));
    }
    // A last, uninterrupted worker finishes what is left and then is stopped cleanly.
    const last = await startWorker();
    for (let i = 0; i < 480 && dovecot.count('INBOX') > 0; i++) await new Promise((r) => setTimeout(r, 250));
    last.kill('SIGTERM');
    await new Promise<void>((r) => (last.exitCode !== null ? r() : last.once('exit', () => r())));

    expect(kills).toBeGreaterThanOrEqual(3);
    expect(dovecot.count('INBOX')).toBe(0);
    expect(dovecot.count('Errors')).toBe(0);
    expect(dovecot.count('Processed')).toBe(520);
    const [records] = await t.sql<{ n: string; distinct_ids: string; tickets: string; comments: string }>(`
      SELECT count(*) AS n, count(DISTINCT message_id) AS distinct_ids,
             count(*) FILTER (WHERE outcome = 'ticket') AS tickets, count(*) FILTER (WHERE outcome = 'comment') AS comments
        FROM inbound_messages`);
    expect(records).toEqual({ n: '500', distinct_ids: '500', tickets: '400', comments: '100' });
    const [tickets] = await t.sql<{ n: string; titles: string; last: number }>(`
      SELECT count(*) AS n, count(DISTINCT title) AS titles, (SELECT last_number FROM project_counters) AS last FROM tickets`);
    expect(tickets).toEqual({ n: '400', titles: '400', last: 400 });
    const [replies] = await t.sql<{ n: string; bodies: string }>(`SELECT count(*) AS n, count(DISTINCT body) AS bodies FROM ticket_comments`);
    expect(replies).toEqual({ n: '100', bodies: '100' });
  }, 300000);
});
