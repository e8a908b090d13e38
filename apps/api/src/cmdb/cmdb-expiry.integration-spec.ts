import type { CmdbItem } from '@guichet/contracts';
import { SmtpSink, type SunkMessage } from '../../test/mail/smtp-sink';
import { auth, type Session, TestApp } from '../../test/test-app';
import { CmdbExpiryWatch, parisDay } from './cmdb-expiry-watch';

/**
 * Expiry watch (issue 19, point 7): the owner of an item and the agents of its space are told by
 * mail 30, 7 and 1 days before its expiry date, in their language, once per threshold, item and
 * expiry date, whatever the number of runs and workers; only of items they see in full.
 */
describe('CMDB expiry watch', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let watch: CmdbExpiryWatch;
  let admin: Session;
  let agent: Session;
  let agentB: Session;
  let owner: Session;
  let submitter: Session;
  const day = '2027-03-01';
  const plus = (n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await TestApp.start({ MAIL_TLS_VERIFY: 'false' });
    admin = await t.admin();
    await t.http.put('/api/mail/smtp').set(auth(admin)).send(sink.settings()).expect(200);
    const spaceA = await t.space('Ministère A');
    const spaceB = await t.space('Agence B');
    await t.project('HWEB', spaceA.id);
    await t.project('BWEB', spaceB.id);
    agent = await t.user('agent@provider.example.test', 'agent', 'Hugo Agent');
    agentB = await t.user('agent.b@provider.example.test', 'agent', 'Bruno Agent');
    owner = await t.user('olga@a.example.test', 'beneficiary', 'Olga Responsable');
    submitter = await t.user('sam@a.example.test', 'beneficiary', 'Sam Demandeur');
    await t.joinSpace(spaceA.id, agent.accountId);
    await t.joinSpace(spaceB.id, agentB.accountId);
    await t.grant('HWEB', owner.accountId, 'read');
    await t.grant('HWEB', submitter.accountId, 'submit');
    await t.http.patch('/api/me').set(auth(agent)).send({ locale: 'en' }).expect(200);
    watch = t.app.get(CmdbExpiryWatch);
  }, 60000);
  afterAll(async () => {
    await Promise.all([t?.stop(), sink?.stop()]);
  });

  const item = async (body: Record<string, unknown>, who = agent): Promise<CmdbItem> => {
    const res = await t.http
      .post('/api/cmdb/items')
      .set(auth(who))
      .send({ project: 'HWEB', ...body });
    if (res.status !== 201) throw new Error(`item: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as CmdbItem;
  };
  const certificate = (name: string, expiresOn: string, extra: Record<string, unknown> = {}) =>
    item({ type: 'tls_certificate', name, ownerId: owner.accountId, attributes: { common_name: `${name}.example.test`, expires_on: expiresOn }, ...extra });
  /** Runs the watch of `on` and sends its mails; the mails that reached the sink, as [to, subject]. */
  const run = async (on: string, runs = 1): Promise<[string, string][]> => {
    const before = (await sink.messages()).length;
    // As the janitor does with finished jobs: what was sent is remembered by the notices alone, not by the mail jobs' keys.
    await t.sql(`DELETE FROM jobs WHERE status = 'done'`);
    await Promise.all(Array.from({ length: runs }, () => watch.watch(on)));
    await watch.drain();
    return ((await sink.messages()).slice(before) as SunkMessage[]).map((m) => [m.envelope.to.join(','), m.parsed.subject ?? '']).sort() as [string, string][];
  };

  it('tells the owner and the agents 30, 7 and 1 days before, each threshold once, in their language', async () => {
    await certificate('www-culture', plus(30));
    const first = await run(day);
    expect(first).toEqual([
      ['agent@provider.example.test', '[HWEB] Expires in 30 days : www-culture'],
      ['olga@a.example.test', '[HWEB] Expire dans 30 jours : www-culture'],
    ]);
    const [mail] = (await sink.messages()).slice(-2).filter((m) => m.envelope.to.includes('olga@a.example.test'));
    expect(mail!.parsed.text).toContain(`L’élément de configuration « www-culture » (Certificat TLS) du projet HWEB expire le 31 mars 2027, dans 30 jours.`);
    expect(mail!.parsed.text).toMatch(/http:\/\/guichet\.test\/cmdb\/[0-9a-f-]{36}/);
    expect(mail!.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    // The same day again, and the days between two thresholds: nothing more.
    expect(await run(day)).toEqual([]);
    expect(await run(plus(1))).toEqual([]);
    expect(await run(plus(22))).toEqual([]);
    expect((await run(plus(23))).map(([, s]) => s).sort()).toEqual(['[HWEB] Expire dans 7 jours : www-culture', '[HWEB] Expires in 7 days : www-culture']);
    expect(await run(plus(24))).toEqual([]);
    expect((await run(plus(29))).map(([, s]) => s).sort()).toEqual(['[HWEB] Expire demain : www-culture', '[HWEB] Expires tomorrow : www-culture']);
    expect(await run(plus(29))).toEqual([]);
    expect(await run(plus(30))).toEqual([]);
    expect(await run(plus(31))).toEqual([]);
  });

  it('sends once when two runs of the same day go at the same time, and when the daily job is queued twice', async () => {
    await certificate('api-culture', plus(37));
    expect(await run(plus(7), 3)).toHaveLength(2);
    await certificate('extranet-culture', plus(38));
    // Two processes queue the day's run: one job (its dedupe key), and its mails once.
    const at = new Date(`${plus(8)}T09:00:00+01:00`);
    expect(parisDay(at)).toBe(plus(8));
    expect(await watch.schedule(at)).toBe(true);
    expect(await watch.schedule(at)).toBe(false);
    const before = (await sink.messages()).length;
    await watch.drain();
    expect(((await sink.messages()).slice(before) as SunkMessage[]).map((m) => m.parsed.subject).sort()).toEqual([
      '[HWEB] Expire dans 30 jours : extranet-culture',
      '[HWEB] Expires in 30 days : extranet-culture',
    ]);
    const notices = await t.sql<{ n: string }>(
      `SELECT count(*) AS n FROM cmdb_expiry_notices n JOIN cmdb_items i ON i.id = n.item_id WHERE i.name IN ('api-culture', 'extranet-culture')`,
    );
    expect(Number(notices[0]!.n)).toBe(2);
  });

  it('starts over when the expiry date changes (a renewed certificate), and sends only the nearest threshold it missed', async () => {
    const cert = await certificate('mail-culture', plus(5));
    // First seen 5 days before: one mail (the 7-day notice), not a 30-day one as well.
    expect((await run(day)).map(([, s]) => s).sort()).toEqual(['[HWEB] Expire dans 5 jours : mail-culture', '[HWEB] Expires in 5 days : mail-culture']);
    const renewed = await t.http
      .patch(`/api/cmdb/items/${cert.id}`)
      .set(auth(agent))
      .send({ attributes: { common_name: 'mail-culture.example.test', expires_on: plus(400) } });
    expect(renewed.status).toBe(200);
    expect(await run(plus(1))).toEqual([]);
    expect((await run(plus(370))).map(([, s]) => s).sort()).toEqual(['[HWEB] Expire dans 30 jours : mail-culture', '[HWEB] Expires in 30 days : mail-culture']);
    expect(await run(plus(370))).toEqual([]);
  });

  it('says nothing of retired items, nor of a mail queued before the item was retired or its date changed', async () => {
    await certificate('ancien-culture', plus(30), { status: 'retired' });
    const domain = await item({ type: 'domain_name', name: 'culture.example.test', ownerId: owner.accountId, attributes: { expires_on: plus(7) } });
    await t.sql(`UPDATE jobs SET run_at = now() + interval '1 day' WHERE queue = 'cmdb.expiry_mail'`);
    expect(await watch.watch(day)).toBe(2);
    await t.http.patch(`/api/cmdb/items/${domain.id}`).set(auth(agent)).send({ status: 'retired' }).expect(200);
    await t.sql(`UPDATE jobs SET run_at = now() WHERE queue = 'cmdb.expiry_mail'`);
    expect(await run(day)).toEqual([]);
  });

  it('tells each person only of the items he sees in full: not another space, not a requester without cmdb.read, not a shared item', async () => {
    // The owner of the first is a plain requester of the project (no cmdb.read): only the agent hears of it.
    await item({
      type: 'tls_certificate',
      name: 'intranet-culture',
      ownerId: submitter.accountId,
      attributes: { common_name: 'intranet.example.test', expires_on: plus(200) },
    });
    // A shared item: its owner (read access) does not see it in full, the agent does.
    await certificate('partage-culture', plus(201), { shared: true });
    const other = await t.http
      .post('/api/cmdb/items')
      .set(auth(admin))
      .send({ project: 'BWEB', type: 'tls_certificate', name: 'agence-b', attributes: { common_name: 'b.example.test', expires_on: plus(200) } });
    expect(other.status).toBe(201);
    expect(await run(plus(170))).toEqual([
      ['agent.b@provider.example.test', '[BWEB] Expire dans 30 jours : agence-b'],
      ['agent@provider.example.test', '[HWEB] Expires in 30 days : intranet-culture'],
    ]);
    expect(await run(plus(171))).toEqual([['agent@provider.example.test', '[HWEB] Expires in 30 days : partage-culture']]);
  });
});
