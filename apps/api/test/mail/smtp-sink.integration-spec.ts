import nodemailer from 'nodemailer';
import { SmtpSink } from './smtp-sink';

describe('the test SMTP sink', () => {
  let sink: SmtpSink;
  beforeAll(async () => (sink = await SmtpSink.start()));
  afterAll(() => sink?.stop());

  it('receives what nodemailer sends, with its headers, and refuses unknown recipients', async () => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: sink.port,
      secure: false,
      auth: { user: sink.user, pass: sink.pass },
      tls: { rejectUnauthorized: false },
    });
    await transport.sendMail({
      from: 'support@example.test',
      to: 'marie@example.test',
      subject: '[HWEB-1] Réponse',
      text: 'Bonjour',
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    const [message] = await sink.waitFor(1);
    expect(message!.envelope.to).toEqual(['marie@example.test']);
    expect(message!.parsed.subject).toBe('[HWEB-1] Réponse');
    expect(message!.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    await expect(transport.sendMail({ from: 'support@example.test', to: 'nobody@reject.test', subject: 'x', text: 'x' })).rejects.toThrow(/550/);
  });
});
