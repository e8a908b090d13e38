import type { LiveEvent, Ticket, TicketPage } from '@guichet/contracts';
import { auth, type Session, TestApp } from '../../test/test-app';

/** One user's event stream, read as the web client reads it (fetch with a bearer token). */
class Listener {
  readonly events: LiveEvent[] = [];
  private readonly abort = new AbortController();
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly base: string,
    private readonly session: Session,
  ) {}

  async open(): Promise<this> {
    const res = await fetch(`${this.base}/api/live`, { headers: auth(this.session), signal: this.abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let opened!: () => void;
    const ready = new Promise<void>((resolve) => (opened = resolve));
    this.done = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (frame.includes(': open')) opened();
            for (const line of frame.split('\n')) if (line.startsWith('data: ')) this.events.push(JSON.parse(line.slice(6)) as LiveEvent);
          }
        }
      } catch {
        // aborted
      }
    })();
    await ready;
    return this;
  }

  /** The events about ticket `key` received so far. */
  about(key: string, type: LiveEvent['type'] = 'ticket'): LiveEvent[] {
    return this.events.filter((e) => e.type === type && 'key' in e && e.key === key);
  }

  async waitFor(test: (e: LiveEvent) => boolean, ms = 3000): Promise<LiveEvent> {
    const until = Date.now() + ms;
    for (;;) {
      const found = this.events.find(test);
      if (found) return found;
      if (Date.now() > until) throw new Error(`no such event within ${ms} ms; received ${JSON.stringify(this.events)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}

/** Leaves time for an event that should not come: the streams of one process are written in the same turn. */
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('live events reach only those who may see the ticket (R2.6)', () => {
  let t: TestApp;
  let other: TestApp;
  let base: string;
  let otherBase: string;
  let spaceA: string;
  const u = {} as Record<'requester' | 'watcher' | 'agentA' | 'agentA2' | 'agentB' | 'requesterB', Session>;
  const listeners: Listener[] = [];
  const listen = async (who: Session, on = base) => {
    const l = await new Listener(on, who).open();
    listeners.push(l);
    return l;
  };

  beforeAll(async () => {
    t = await TestApp.start();
    other = await t.sibling();
    await t.app.listen(0, '127.0.0.1');
    await other.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    otherBase = (await other.app.getUrl()).replace('[::1]', '127.0.0.1');
    const A = await t.space('Ministère A');
    spaceA = A.id;
    const B = await t.space('Agence B');
    await t.project('LIVA', A.id);
    await t.project('LIVB', B.id);
    u.requester = await t.user('requester@a.example.test', 'beneficiary', 'Rachid Demandeur');
    u.watcher = await t.user('watcher@a.example.test', 'beneficiary', 'Véra Veille');
    u.agentA = await t.user('julie@provider.example.test', 'agent', 'Julie Martin');
    u.agentA2 = await t.user('marc@provider.example.test', 'agent', 'Marc Petit');
    u.agentB = await t.user('agent-b@provider.example.test', 'agent', 'Gilles Agent B');
    u.requesterB = await t.user('requester@b.example.test', 'beneficiary', 'Xavier Agence');
    await t.grant('LIVA', u.requester.accountId, 'submit');
    await t.grant('LIVA', u.watcher.accountId, 'submit');
    await t.grant('LIVB', u.requesterB.accountId, 'submit');
    await t.joinSpace(A.id, u.agentA.accountId);
    await t.joinSpace(A.id, u.agentA2.accountId);
    await t.joinSpace(B.id, u.agentB.accountId);
  });

  afterAll(async () => {
    for (const l of listeners) await l.close();
    await other?.stop();
    await t?.stop();
  });

  it('refuses a stream without credentials', async () => {
    expect((await fetch(`${base}/api/live`)).status).toBe(401);
  });

  it('a new ticket, a reply and an internal note reach each viewer as their rights allow, and nobody of another space', async () => {
    const [requester, watcher, agentA, agentA2, agentB, requesterB] = await Promise.all(
      [u.requester, u.watcher, u.agentA, u.agentA2, u.agentB, u.requesterB].map((s) => listen(s)),
    );
    const ticket: Ticket = await t.ticket(u.requester, { projectKey: 'LIVA', title: 'Imprimante hors service' });
    await agentA.waitFor((e) => e.type === 'ticket' && e.key === ticket.key && e.changes.includes('created'));
    await agentA2.waitFor((e) => e.type === 'ticket' && e.key === ticket.key);
    await requester.waitFor((e) => e.type === 'ticket' && e.key === ticket.key);

    const note = await t.http
      .post(`/api/tickets/${ticket.key}/comments`)
      .set(auth(u.agentA))
      .send({ body: 'Voir le contrat de maintenance.', visibility: 'internal' });
    expect(note.status).toBe(201);
    await agentA2.waitFor((e) => e.type === 'ticket' && e.key === ticket.key && e.changes.includes('comment_added'));
    await settle();
    // The requester may not read internal notes: he never hears of one.
    expect(requester.about(ticket.key).filter((e) => e.type === 'ticket' && e.changes.includes('comment_added'))).toEqual([]);

    const reply = await t.http.post(`/api/tickets/${ticket.key}/comments`).set(auth(u.agentA)).send({ body: 'Nous passons demain.' });
    expect(reply.status).toBe(201);
    await requester.waitFor((e) => e.type === 'ticket' && e.key === ticket.key && e.changes.includes('comment_added'));
    await settle();

    for (const outsider of [watcher, agentB, requesterB]) expect(outsider.about(ticket.key)).toEqual([]);
    expect(JSON.stringify([...watcher.events, ...agentB.events, ...requesterB.events])).not.toContain(ticket.key);
  });

  it('follows a change of visibility: a watcher hears of a ticket only while he watches it', async () => {
    const watcher = await listen(u.watcher);
    const ticket = await t.ticket(u.requester, { projectKey: 'LIVA', title: 'Badge refusé' });
    const added = await t.http.put(`/api/tickets/${ticket.key}/watchers/${u.watcher.accountId}`).set(auth(u.agentA));
    expect(added.status).toBeLessThan(300);
    await t.http.post(`/api/tickets/${ticket.key}/comments`).set(auth(u.agentA)).send({ body: 'Badge réactivé.' }).expect(201);
    await watcher.waitFor((e) => e.type === 'ticket' && e.key === ticket.key && e.changes.includes('comment_added'));

    const removed = await t.http.delete(`/api/tickets/${ticket.key}/watchers/${u.watcher.accountId}`).set(auth(u.agentA));
    expect(removed.status).toBeLessThan(300);
    const before = watcher.about(ticket.key).length;
    const agentA2 = await listen(u.agentA2);
    await t.http.post(`/api/tickets/${ticket.key}/comments`).set(auth(u.agentA)).send({ body: 'Encore une précision.' }).expect(201);
    await agentA2.waitFor((e) => e.type === 'ticket' && e.key === ticket.key && e.changes.includes('comment_added'));
    await settle();
    expect(watcher.about(ticket.key).length).toBe(before);
  });

  it('follows a change of access at once: an agent taken out of the space hears nothing more of it', async () => {
    const leaving = await t.user('leaving@provider.example.test', 'agent', 'Léa Départ');
    await t.joinSpace(spaceA, leaving.accountId);
    const ticket = await t.ticket(u.requester, { projectKey: 'LIVA', title: 'Accès VPN' });
    const [gone, agentA2] = await Promise.all([listen(leaving), listen(u.agentA2)]);
    await t.http.post(`/api/tickets/${ticket.key}/comments`).set(auth(u.agentA)).send({ body: 'Je regarde.' }).expect(201);
    await gone.waitFor((e) => e.type === 'ticket' && e.key === ticket.key);

    await t.http
      .delete(`/api/spaces/${spaceA}/members/${leaving.accountId}`)
      .set(auth(await t.admin()))
      .expect((res) => expect(res.status).toBeLessThan(300));
    const before = gone.about(ticket.key).length;
    await t.http.post(`/api/tickets/${ticket.key}/comments`).set(auth(u.agentA)).send({ body: 'Corrigé.' }).expect(201);
    await agentA2.waitFor((e) => e.type === 'ticket' && e.key === ticket.key && agentA2.about(ticket.key).length >= 2);
    await settle();
    expect(gone.about(ticket.key).length).toBe(before);
  });

  it('"is writing" reaches the other viewers only, an internal note only those who read internal notes', async () => {
    const ticket = await t.ticket(u.requester, { projectKey: 'LIVA', title: 'Écran qui clignote' });
    const [requester, agentA, agentA2, agentB] = await Promise.all([u.requester, u.agentA, u.agentA2, u.agentB].map((s) => listen(s)));

    await t.http.post(`/api/tickets/${ticket.key}/composing`).set(auth(u.agentA)).send({ internal: true }).expect(204);
    const seen = await agentA2.waitFor((e) => e.type === 'composing' && e.key === ticket.key);
    expect(seen).toEqual({ type: 'composing', key: ticket.key, accountId: u.agentA.accountId, displayName: 'Julie Martin', internal: true });
    await settle();
    expect(requester.about(ticket.key, 'composing')).toEqual([]);
    expect(agentA.about(ticket.key, 'composing')).toEqual([]);

    await t.http.post(`/api/tickets/${ticket.key}/composing`).set(auth(u.agentA)).send({ internal: false }).expect(204);
    await requester.waitFor((e) => e.type === 'composing' && e.key === ticket.key && !e.internal);
    await settle();
    expect(agentB.events.filter((e) => e.type === 'composing')).toEqual([]);
  });

  it('refuses a signal on a ticket one may not see (404) or write on (403), and a bad body (400)', async () => {
    const ticket = await t.ticket(u.requester, { projectKey: 'LIVA', title: 'Clavier' });
    expect((await t.http.post(`/api/tickets/${ticket.key}/composing`).set(auth(u.agentB)).send({ internal: false })).status).toBe(404);
    expect((await t.http.post(`/api/tickets/${ticket.key}/composing`).set(auth(u.requester)).send({ internal: true })).status).toBe(403);
    expect((await t.http.post(`/api/tickets/${ticket.key}/composing`).set(auth(u.agentA)).send({ internal: 'yes' })).status).toBe(400);
  });

  it('"new since your last visit": lists and the ticket page say when the caller last opened it', async () => {
    const ticket = await t.ticket(u.requester, { projectKey: 'LIVA', title: 'Téléphone muet' });
    const listed = async () => ((await t.http.get('/api/tickets?limit=50').set(auth(u.agentA))).body as TicketPage).items.find((i) => i.key === ticket.key)!;
    expect((await listed()).lastReadAt).toBeNull();
    expect((await t.http.get(`/api/tickets/${ticket.key}/timeline`).set(auth(u.agentA))).body.lastReadAt).toBeNull();
    await t.http.post(`/api/tickets/${ticket.key}/read`).set(auth(u.agentA)).expect(204);
    const read = (await listed()).lastReadAt!;
    expect(read >= (await listed()).updatedAt).toBe(true);
    expect((await t.http.get(`/api/tickets/${ticket.key}/timeline`).set(auth(u.agentA))).body.lastReadAt).toBe(read);
    // Someone else answers: the ticket is new again for the agent, and still unread for his colleague.
    await t.http.post(`/api/tickets/${ticket.key}/comments`).set(auth(u.requester)).send({ body: 'Toujours muet.' }).expect(201);
    const after = await listed();
    expect(after.updatedAt > after.lastReadAt!).toBe(true);
    const colleague = ((await t.http.get('/api/tickets?limit=50').set(auth(u.agentA2))).body as TicketPage).items.find((i) => i.key === ticket.key)!;
    expect(colleague.lastReadAt).toBeNull();
    // Marking a ticket one may not see: not found, nothing written.
    expect((await t.http.post(`/api/tickets/${ticket.key}/read`).set(auth(u.agentB))).status).toBe(404);
    expect(await t.sql(`SELECT 1 FROM ticket_reads WHERE account_id = $1`, [u.agentB.accountId])).toEqual([]);
  });

  it('a change made through one API process reaches a stream on another', async () => {
    const onOther = await listen(u.agentA, otherBase);
    const ticket = await t.ticket(u.requester, { projectKey: 'LIVA', title: 'Réseau lent au 3e étage' });
    await onOther.waitFor((e) => e.type === 'ticket' && e.key === ticket.key && e.changes.includes('created'));
    const agentBOnOther = await listen(u.agentB, otherBase);
    await t.http.post(`/api/tickets/${ticket.key}/comments`).set(auth(u.agentA2)).send({ body: 'Commutateur remplacé.' }).expect(201);
    await onOther.waitFor((e) => e.type === 'ticket' && e.key === ticket.key && e.changes.includes('comment_added'));
    await settle();
    expect(agentBOnOther.about(ticket.key)).toEqual([]);
  });
});
