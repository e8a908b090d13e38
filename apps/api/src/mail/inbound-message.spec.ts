import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseInbound } from './inbound-message';
import { trimQuotedReply } from './reply-trimmer';
import { cleanSubject, ticketKeyInSubject } from './threading';

const corpus = (name: string) => readFileSync(join(__dirname, '../../test/mail/corpus', name));
const parse = (name: string) => parseInbound(corpus(name), 'guichet.example.test');

describe('parsing real-shaped messages', () => {
  it('Outlook: RFC 2047 subject, quoted-printable UTF-8, RFC 2231 attachment name, sender address not display name', async () => {
    const m = await parse('outlook-new.eml');
    expect(m.from).toBe('marie.dupont@culture.gouv.fr');
    expect(m.title).toBe('Le site de la médiathèque affiche une erreur 500');
    expect(m.text).toContain("la page d'accueil de la médiathèque affiche une erreur 500");
    expect(m.recipients).toContain('support+hweb@example.test');
    expect(m.attachments).toEqual([expect.objectContaining({ filename: "Procédure d'installation.pdf", contentType: 'application/pdf', inline: false })]);
    expect(m.machine).toBeNull();
    expect(m.messageId).toBe('<PAXPR09MB6543A1B2C3D4E5F6@PAXPR09MB6543.eurprd09.prod.outlook.com>');
  });

  it('Thunderbird ISO-8859-1 and Outlook Windows-1252 bodies come out as proper text', async () => {
    const latin1 = await parse('thunderbird-latin1.eml');
    expect(latin1.title).toBe("Problème de certificat sur l'intranet");
    expect(latin1.fromName).toBe('Jean Lévy');
    expect(latin1.text).toContain('a expiré');
    const cp1252 = await parse('windows-1252.eml');
    expect(cp1252.text).toContain('Le montant de l’œuvre est de 1 200 €.');
  });

  it('Apple Mail: the inline image is kept as an attachment', async () => {
    const m = await parse('apple-mail-inline.eml');
    expect(m.attachments).toEqual([expect.objectContaining({ filename: 'capture.png', contentType: 'image/png', inline: true })]);
  });

  it('an attached message is kept as an attachment, named .eml, with its sender, subject and date', async () => {
    const m = await parse('attached-message.eml');
    expect(m.attachments).toEqual([
      expect.objectContaining({
        filename: 'alerte.eml',
        contentType: 'message/rfc822',
        forwardedMessage: { from: 'supervision@culture.gouv.fr', subject: 'CRITICAL: www down', date: '2026-11-05T12:58:00.000Z' },
      }),
    ]);
    expect(m.title).toBe('Alerte de supervision');
  });

  it('a message without Message-ID gets a stable content hash instead', async () => {
    const a = await parse('no-message-id.eml');
    const b = await parse('no-message-id.eml');
    expect(a.hasOwnMessageId).toBe(false);
    expect(a.messageId).toMatch(/^<[0-9a-f]{64}@hash\.guichet>$/);
    expect(a.messageId).toBe(b.messageId);
  });

  it('a message without Message-ID delivered twice by different servers gets the same identifier; other content, another', async () => {
    const raw = corpus('no-message-id.eml').toString('utf8');
    const trace = (n: number) =>
      `Return-Path: <bounce-${n}@culture.gouv.fr>\r\nDelivered-To: support${n}@example.test\r\nReceived: from mx${n}.culture.gouv.fr by mail.example.test; Wed, 5 Nov 2026 11:0${n}:00 +0100\r\n`;
    const first = await parseInbound(Buffer.from(trace(1) + raw), 'guichet.example.test');
    const second = await parseInbound(Buffer.from(trace(2) + raw.replace(/\r?\n/g, '\r\n')), 'guichet.example.test');
    expect(second.messageId).toBe(first.messageId);
    expect(second.contentDigest).toBe(first.contentDigest);
    const other = await parseInbound(Buffer.from(trace(1) + raw.replace("n'a pas", "n'a toujours pas")), 'guichet.example.test');
    expect(other.messageId).not.toBe(first.messageId);
    const later = await parseInbound(Buffer.from(trace(1) + raw.replace('11:00:00', '11:05:00')), 'guichet.example.test');
    expect(later.messageId).not.toBe(first.messageId);
  });

  it('HTML-only mail keeps the words as written: headings, lists, links and paragraphs', async () => {
    const html =
      '<html><head><style>h1{color:red}</style></head><body><h1>With a title</h1><p>Bonjour,<br>le site est <b>en panne</b>&nbsp;depuis ce matin.</p>' +
      '<ul><li>Page d&#39;accueil</li><li>Page <i>Contact</i></li></ul><p>Voir <a href="https://www.example.test/statut">la page de statut</a> ou écrire à ' +
      '<a href="mailto:marie.dupont@culture.gouv.fr">marie.dupont@culture.gouv.fr</a>.</p><h2>Détails</h2><p>Erreur&nbsp;500 &amp; délai &#x2014; 30 s</p></body></html>';
    const raw = `From: marie.dupont@culture.gouv.fr\r\nTo: support@example.test\r\nSubject: HTML\r\nMessage-ID: <html-1@culture.gouv.fr>\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n`;
    const m = await parseInbound(Buffer.from(raw), 'guichet.example.test');
    expect(m.text).toBe(
      [
        'With a title',
        '',
        'Bonjour,\nle site est en panne depuis ce matin.',
        '',
        "- Page d'accueil\n- Page Contact",
        '',
        'Voir la page de statut (https://www.example.test/statut) ou écrire à marie.dupont@culture.gouv.fr.',
        '',
        'Détails',
        '',
        'Erreur 500 & délai — 30 s',
      ].join('\n'),
    );
  });

  it('Gmail reply: key from the subject, references from In-Reply-To and References', async () => {
    const m = await parse('gmail-reply.eml');
    expect(m.ticketKey).toBe('HWEB-1');
    expect(m.references[0]).toBe('<ticket-1.notification-7@guichet.example.test>');
    expect(m.references).toContain('<PAXPR09MB6543A1B2C3D4E5F6@PAXPR09MB6543.eurprd09.prod.outlook.com>');
    expect(trimQuotedReply(m.text)).toBe("Merci, c'est de nouveau accessible.");
  });

  it('Outlook French reply: the "De : / Envoyé :" history is trimmed', async () => {
    const m = await parse('outlook-reply-fr.eml');
    expect(trimQuotedReply(m.text)).toBe('Le problème est revenu cet après-midi.');
  });

  it.each([
    ['out-of-office.eml', 'auto_submitted'],
    ['delivery-failure.eml', 'delivery_report'],
  ])('%s is machine mail (%s)', async (name, reason) => {
    expect((await parse(name)).machine).toBe(reason);
  });

  it('a bounce that says Auto-Submitted is still a delivery report, and names the message it returns', async () => {
    const raw = corpus('delivery-failure.eml').toString('utf8').replace('MIME-Version: 1.0', 'Auto-Submitted: auto-replied\r\nMIME-Version: 1.0');
    const m = await parseInbound(Buffer.from(raw), 'guichet.example.test');
    expect(m.machine).toBe('delivery_report');
    expect(m.reportedMessageIds).toEqual(['<ticket-1.notification-9@guichet.example.test>']);
  });

  it('a display name that pretends to be a user does not change the sender', async () => {
    const m = await parse('spoofed-display-name.eml');
    expect(m.from).toBe('attacker@evil.test');
  });

  it('messages by people are not machine mail', async () => {
    for (const name of [
      'outlook-new.eml',
      'gmail-reply.eml',
      'thunderbird-latin1.eml',
      'windows-1252.eml',
      'apple-mail-inline.eml',
      'stranger-quoting-key.eml',
    ]) {
      expect({ name, machine: (await parse(name)).machine }).toEqual({ name, machine: null });
    }
  });
});

describe('subjects and keys', () => {
  it.each([
    ['RE: TR: [HWEB-12] Panne', 'HWEB-12', 'Panne'],
    ['Fwd: Re: [hweb-3] encore', 'HWEB-3', 'encore'],
    ['AW: Problème', null, 'Problème'],
    ['', null, '(sans objet)'],
  ])('%s', (subject, key, title) => {
    expect(ticketKeyInSubject(subject)).toBe(key);
    expect(cleanSubject(subject)).toBe(title);
  });
});

describe('trimming quoted history', () => {
  it('keeps a message that starts with a quote marker-like line', () => {
    expect(trimQuotedReply('> this is not history but my only line')).toBe('> this is not history but my only line');
  });

  it('cuts English Gmail and Outlook separators', () => {
    expect(trimQuotedReply('Thanks!\n\nOn Mon, Nov 3, 2026 at 10:45 AM Support <s@x> wrote:\n> hello')).toBe('Thanks!');
    expect(trimQuotedReply('Done.\n\n-----Original Message-----\nFrom: x')).toBe('Done.');
    expect(trimQuotedReply('Fine.\n\nFrom: Support <s@x>\nSent: Monday\nTo: me')).toBe('Fine.');
  });
});
