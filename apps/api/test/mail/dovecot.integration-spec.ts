import { ImapFlow } from 'imapflow';
import { dovecotAvailable, TestDovecot } from './dovecot';

const run = dovecotAvailable() ? describe : describe.skip;

run('the test Dovecot server', () => {
  let dovecot: TestDovecot;
  beforeAll(async () => (dovecot = await TestDovecot.start()));
  afterAll(() => dovecot?.stop());

  it('accepts a delivered message and serves it over IMAP with STARTTLS and implicit TLS', async () => {
    dovecot.deliver('From: a@example.test\r\nTo: support@example.test\r\nSubject: Bonjour\r\nMessage-ID: <m1@example.test>\r\n\r\nCorps\r\n');
    expect(dovecot.count()).toBe(1);
    for (const options of [
      { port: dovecot.port, secure: false, doSTARTTLS: true },
      { port: dovecot.tlsPort, secure: true },
    ]) {
      const client = new ImapFlow({
        host: '127.0.0.1',
        ...options,
        auth: { user: 'support@example.test', pass: 'secret' },
        tls: { rejectUnauthorized: false },
        logger: false,
      });
      await client.connect();
      const lock = await client.getMailboxLock('INBOX');
      try {
        const messages = [];
        for await (const m of client.fetch('1:*', { envelope: true })) messages.push(m.envelope?.subject);
        expect(messages).toEqual(['Bonjour']);
      } finally {
        lock.release();
        await client.logout();
      }
    }
  });
});
