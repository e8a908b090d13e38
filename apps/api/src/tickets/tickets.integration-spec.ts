import {
  type Comment,
  type HistoryEvent,
  LEVELS,
  type Level,
  LINK_INVERSE,
  LINK_TYPES,
  initialStatus,
  needsResolutionText,
  takeInChargeStatus,
  priorityOf,
  type Ticket,
  type TicketKind,
  type TicketLink,
  type TicketPage,
  TICKET_SORTS,
  type Typology,
} from '@guichet/contracts';
import { auth, type Session, TestApp } from '../../test/test-app';
import { sql } from '../common/sql';
import { Database } from '../database/database';

/** Tickets (R1.3-R1.6): priority, journal, replies and their versions, Markdown, links, watchers, assignment, typologies, lists. */
describe('tickets', () => {
  let t: TestApp;
  let admin: Session;
  let agent: Session;
  let customer: Session;
  let writer: Session;
  let reader: Session;
  let outsider: Session;

  beforeAll(async () => {
    t = await TestApp.start();
    const space = await t.space('Ministère T');
    const other = await t.space('Agence T');
    for (const key of ['HWEB', 'HTYP', 'HLIST']) await t.project(key, space.id);
    await t.project('BOUT', other.id);
    admin = await t.admin();
    agent = await t.user('agent@provider.example.test', 'agent', 'Gaëlle Agent');
    customer = await t.user('customer@t.example.test', 'beneficiary', 'Sacha Client');
    writer = await t.user('writer@t.example.test', 'beneficiary', 'Wassim Rédacteur');
    reader = await t.user('reader@t.example.test', 'beneficiary', 'Rémi Lecteur');
    outsider = await t.user('outsider@t.example.test', 'beneficiary', 'Olga Ailleurs');
    await t.joinSpace(space.id, agent.accountId);
    for (const key of ['HWEB', 'HTYP', 'HLIST']) await t.grant(key, customer.accountId, 'submit');
    await t.grant('HWEB', writer.accountId, 'write');
    await t.grant('HWEB', reader.accountId, 'read');
    await t.grant('BOUT', outsider.accountId, 'write');
  }, 60000);
  afterAll(() => t.stop());

  const history = async (key: string, who: Session = agent) => (await t.http.get(`/api/tickets/${key}/history`).set(auth(who))).body as HistoryEvent[];
  const counts = async () =>
    (
      await t.sql<Record<string, number>>(`SELECT (SELECT count(*)::int FROM tickets) AS tickets, (SELECT count(*)::int FROM ticket_events) AS events,
       (SELECT count(*)::int FROM ticket_watchers) AS watchers, (SELECT sum(last_number)::int FROM project_counters) AS numbers`)
    )[0];

  describe('priority', () => {
    it('is urgency x impact on creation, for all 16 combinations, and both default to 3 (P3)', async () => {
      for (const urgency of LEVELS) {
        for (const impact of LEVELS) {
          const ticket = await t.ticket(customer, { projectKey: 'HWEB', title: `U${urgency} I${impact}`, urgency, impact });
          expect({ urgency, impact, priority: ticket.priority }).toEqual({ urgency, impact, priority: priorityOf(urgency as Level, impact as Level) });
          const row = await t.sql(`SELECT urgency, impact, priority FROM tickets WHERE key = $1`, [ticket.key]);
          expect(row[0]).toEqual({ urgency, impact, priority: priorityOf(urgency as Level, impact as Level) });
        }
      }
      const plain = await t.ticket(customer, { projectKey: 'HWEB', title: 'Sans urgence ni impact' });
      expect([plain.urgency, plain.impact, plain.priority]).toEqual([3, 3, 3]);
    });

    it('follows urgency and impact on PATCH, with a journal entry for the priority, and cannot be set directly', async () => {
      const ticket = await t.ticket(customer, { projectKey: 'HWEB', title: 'Priorité évolutive' });
      const steps: [Record<string, number>, number][] = [
        [{ urgency: 1 }, priorityOf(1, 3)],
        [{ impact: 1 }, priorityOf(1, 1)],
        [{ urgency: 4, impact: 4 }, priorityOf(4, 4)],
        [{ impact: 2 }, priorityOf(4, 2)],
      ];
      let previous = 3;
      for (const [body, expected] of steps) {
        const res = await t.http.patch(`/api/tickets/${ticket.key}`).set(auth(agent)).send(body);
        expect(res.status).toBe(200);
        expect(res.body.priority).toBe(expected);
        const last = (await history(ticket.key)).filter((e) => e.field === 'priority').pop();
        if (expected !== previous) expect(last).toMatchObject({ type: 'field_changed', before: previous, after: expected, actor: { id: agent.accountId } });
        previous = expected;
      }
      const direct = await t.http.patch(`/api/tickets/${ticket.key}`).set(auth(agent)).send({ priority: 1 });
      expect([direct.status, direct.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect((await t.sql(`SELECT priority FROM tickets WHERE key = $1`, [ticket.key]))[0]).toEqual({ priority: previous });
    });
  });

  describe('journal of field changes', () => {
    it('every field change writes one field_changed event with actor, before and after', async () => {
      const ticket = await t.ticket(agent, {
        projectKey: 'HWEB',
        kind: 'change',
        title: 'Avant',
        description: 'Ancien texte',
        requesterId: customer.accountId,
      });
      const changes = {
        title: 'Après',
        description: 'Nouveau texte',
        typology: 'evolution',
        urgency: 2,
        impact: 2,
        assigneeId: writer.accountId,
        plannedStart: '2026-04-01T08:00:00.000Z',
        plannedEnd: '2026-04-01T10:00:00.000Z',
        environment: 'production',
      };
      const before = await history(ticket.key);
      const res = await t.http.patch(`/api/tickets/${ticket.key}`).set(auth(agent)).send(changes);
      expect(res.status).toBe(200);
      const { assigneeId, ...fields } = changes;
      expect(res.body).toMatchObject({ ...fields, assignee: { id: assigneeId }, priority: 2 });
      const added = (await history(ticket.key)).slice(before.length);
      expect(added.map((e) => ({ type: e.type, field: e.field, before: e.before, after: e.after, actor: e.actor?.id }))).toEqual([
        { type: 'field_changed', field: 'title', before: 'Avant', after: 'Après', actor: agent.accountId },
        { type: 'field_changed', field: 'description', before: 'Ancien texte', after: 'Nouveau texte', actor: agent.accountId },
        { type: 'field_changed', field: 'typology', before: 'assistance', after: 'evolution', actor: agent.accountId },
        { type: 'field_changed', field: 'urgency', before: 3, after: 2, actor: agent.accountId },
        { type: 'field_changed', field: 'impact', before: 3, after: 2, actor: agent.accountId },
        { type: 'field_changed', field: 'priority', before: 3, after: 2, actor: agent.accountId },
        { type: 'field_changed', field: 'assignee', before: null, after: writer.accountId, actor: agent.accountId },
        { type: 'field_changed', field: 'plannedStart', before: null, after: '2026-04-01T08:00:00.000Z', actor: agent.accountId },
        { type: 'field_changed', field: 'plannedEnd', before: null, after: '2026-04-01T10:00:00.000Z', actor: agent.accountId },
        { type: 'field_changed', field: 'environment', before: null, after: 'production', actor: agent.accountId },
      ]);
      // Clearing fields is journaled too.
      const cleared = await t.http
        .patch(`/api/tickets/${ticket.key}`)
        .set(auth(writer))
        .send({ assigneeId: null, environment: null, plannedStart: null, plannedEnd: null });
      expect(cleared.status).toBe(200);
      const last = (await history(ticket.key)).slice(-4);
      expect(last.map((e) => [e.field, e.before, e.after, e.actor?.id])).toEqual([
        ['assignee', writer.accountId, null, writer.accountId],
        ['plannedStart', '2026-04-01T08:00:00.000Z', null, writer.accountId],
        ['plannedEnd', '2026-04-01T10:00:00.000Z', null, writer.accountId],
        ['environment', 'production', null, writer.accountId],
      ]);
    });

    it('a PATCH that changes nothing writes nothing and leaves updated_at alone', async () => {
      const ticket = await t.ticket(customer, { projectKey: 'HWEB', title: 'Immobile', urgency: 2 });
      const before = await t.sql(`SELECT updated_at FROM tickets WHERE key = $1`, [ticket.key]);
      const events = (await history(ticket.key)).length;
      const res = await t.http
        .patch(`/api/tickets/${ticket.key}`)
        .set(auth(agent))
        .send({ title: 'Immobile', urgency: 2, typology: 'assistance', assigneeId: null });
      expect(res.status).toBe(200);
      expect(await t.sql(`SELECT updated_at FROM tickets WHERE key = $1`, [ticket.key])).toEqual(before);
      expect((await history(ticket.key)).length).toBe(events);
    });

    it('the answer to a creation is the ticket as read afterwards, with or without watchers', async () => {
      const change = {
        projectKey: 'HWEB',
        kind: 'change',
        title: 'Bascule du **serveur** frontal',
        description: 'Fenêtre de *nuit* : <script>alert(1)</script>',
        requesterId: customer.accountId,
        assigneeId: agent.accountId,
        urgency: 2,
        impact: 1,
        typology: 'evolution',
        plannedStart: '2026-12-01T22:00:00.000Z',
        plannedEnd: '2026-12-02T02:00:00.000Z',
        environment: 'production',
      };
      for (const [who, body] of [
        [agent, change],
        [agent, { ...change, title: 'Avec observateurs', watcherIds: [writer.accountId, reader.accountId] }],
        [customer, { projectKey: 'HWEB', kind: 'request', title: 'Demande simple' }],
      ] as const) {
        const created = await t.ticket(who, body);
        const read = await t.http.get(`/api/tickets/${created.key}`).set(auth(who));
        expect(read.status).toBe(200);
        expect(created).toEqual(read.body);
      }
    });

    it('a creation records its ticket, its "created" event and its one notice together, with or without a transaction', async () => {
      // Without watchers, page or assignment notice, the creation is one statement outside any transaction.
      const notices = (ticketId: string) =>
        t.sql<{ event: string; actorId: string }>(
          `SELECT payload->>'event' AS event, payload->>'actorId' AS "actorId" FROM jobs WHERE queue = 'notify.event' AND payload->>'ticketId' = $1 ORDER BY id`,
          [ticketId],
        );
      const created = async (ticketId: string) =>
        (await t.sql(`SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1 AND type = 'created'`, [ticketId]))[0];
      const simple = await t.ticket(customer, { projectKey: 'HWEB', kind: 'request', title: 'Une seule instruction' });
      expect(await notices(simple.id)).toEqual([{ event: 'created', actorId: customer.accountId }]);
      expect(await created(simple.id)).toEqual({ n: 1 });
      // With watchers and an assignee, in a transaction: the same notice, then the assignment's.
      const full = await t.ticket(agent, {
        projectKey: 'HWEB',
        kind: 'incident',
        title: 'Plusieurs écritures',
        watcherIds: [reader.accountId],
        assigneeId: writer.accountId,
      });
      expect(await notices(full.id)).toEqual([
        { event: 'created', actorId: agent.accountId },
        { event: 'assigned', actorId: agent.accountId },
      ]);
      expect(await created(full.id)).toEqual({ n: 1 });
      // No notice ever names a ticket that does not exist (a refused creation writes none).
      const refused = await t.http
        .post('/api/tickets')
        .set(auth(customer))
        .send({ projectKey: 'HWEB', kind: 'request', title: 'Refusée', typology: 'inconnue' });
      expect(refused.status).toBe(400);
      expect(
        await t.sql(`SELECT id FROM jobs j WHERE j.payload ? 'ticketId' AND NOT EXISTS (SELECT 1 FROM tickets x WHERE x.id::text = j.payload->>'ticketId')`),
      ).toEqual([]);
    });

    it('creation is journaled with its actor, kind, status and source', async () => {
      const ticket = await t.ticket(agent, { projectKey: 'HWEB', kind: 'problem', title: 'Au nom du client', requesterId: customer.accountId });
      expect(ticket.requester.id).toBe(customer.accountId);
      expect(await history(ticket.key)).toEqual([
        expect.objectContaining({
          type: 'created',
          actor: expect.objectContaining({ id: agent.accountId }),
          after: { kind: 'problem', status: 'new', source: 'web' },
        }),
      ]);
      // Only the support team opens tickets on behalf of someone else.
      const res = await t.http
        .post('/api/tickets')
        .set(auth(customer))
        .send({ projectKey: 'HWEB', kind: 'incident', title: 'Pour un autre', requesterId: writer.accountId });
      expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN']);
    });
  });

  describe('comments', () => {
    it('editing keeps every earlier version, journals the edit, and only the author may edit', async () => {
      const ticket = await t.ticket(customer, { projectKey: 'HWEB', title: 'Réponses modifiées' });
      const created = await t.http.post(`/api/tickets/${ticket.key}/comments`).set(auth(customer)).send({ body: 'Première version' });
      expect(created.status).toBe(201);
      const id = (created.body as Comment).id;
      expect(created.body).toMatchObject({ body: 'Première version', visibility: 'public', editedAt: null, author: { id: customer.accountId } });
      for (const body of ['Deuxième version', 'Troisième version']) {
        const res = await t.http.patch(`/api/tickets/${ticket.key}/comments/${id}`).set(auth(customer)).send({ body });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id, body, editedAt: expect.any(String) });
      }
      const versions = await t.http.get(`/api/tickets/${ticket.key}/comments/${id}/versions`).set(auth(customer));
      expect(versions.status).toBe(200);
      expect(versions.body.map((v: { version: number; body: string }) => [v.version, v.body])).toEqual([
        [1, 'Première version'],
        [2, 'Deuxième version'],
      ]);
      expect(versions.body[0].writtenAt).toBe(created.body.createdAt);
      // Same text again: no new version, no event.
      const events = (await history(ticket.key)).length;
      expect((await t.http.patch(`/api/tickets/${ticket.key}/comments/${id}`).set(auth(customer)).send({ body: 'Troisième version' })).status).toBe(200);
      expect((await history(ticket.key)).length).toBe(events);
      expect((await t.http.get(`/api/tickets/${ticket.key}/comments/${id}/versions`).set(auth(customer))).body).toHaveLength(2);

      // Not the author: 403, even for the support team or an administrator; nothing changes.
      for (const who of [agent, writer, admin]) {
        const res = await t.http.patch(`/api/tickets/${ticket.key}/comments/${id}`).set(auth(who)).send({ body: 'Réécrit' });
        expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN']);
      }
      const comments = (await t.http.get(`/api/tickets/${ticket.key}/comments`).set(auth(agent))).body as Comment[];
      expect(comments.map((c) => c.body)).toEqual(['Troisième version']);
      expect((await history(ticket.key)).filter((e) => e.type === 'comment_edited').map((e) => [e.commentId, e.actor?.id])).toEqual([
        [id, customer.accountId],
        [id, customer.accountId],
      ]);
      // A comment of another ticket, or no comment at all, is not found.
      const elsewhere = await t.ticket(customer, { projectKey: 'HWEB', title: 'Autre' });
      expect((await t.http.patch(`/api/tickets/${elsewhere.key}/comments/${id}`).set(auth(customer)).send({ body: 'x' })).status).toBe(404);
      expect((await t.http.get(`/api/tickets/${ticket.key}/comments/00000000-0000-4000-8000-000000000000/versions`).set(auth(customer))).status).toBe(404);
      expect((await t.http.get(`/api/tickets/${ticket.key}/comments/not-a-uuid/versions`).set(auth(customer))).status).toBe(404);
    });
  });

  describe('Markdown', () => {
    it('is rendered to safe HTML: no script tag, no javascript: link, no raw HTML', async () => {
      const description = [
        '<script>alert(1)</script>',
        '[x](javascript:alert(1))',
        '[y](JaVaScRiPt:alert(1))',
        '<img src=x onerror=alert(1)>',
        '<a href="javascript:alert(1)">z</a>',
        '**gras** et [lien](https://example.org)',
      ].join('\n\n');
      const ticket = await t.ticket(customer, { projectKey: 'HWEB', title: 'Markdown', description });
      for (const html of [ticket.descriptionHtml, ((await t.http.get(`/api/tickets/${ticket.key}`).set(auth(agent))).body as Ticket).descriptionHtml]) {
        expect(html).not.toMatch(/<script/i);
        expect(html).not.toMatch(/href="\s*javascript:/i);
        expect(html).not.toMatch(/<img/i);
        expect(html).not.toMatch(/<a href="javascript/i);
        expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
        expect(html).toContain('<strong>gras</strong>');
        expect(html).toContain('href="https://example.org"');
      }
      expect(ticket.description).toBe(description);
      const c = await t.http
        .post(`/api/tickets/${ticket.key}/comments`)
        .set(auth(customer))
        .send({ body: '<script>alert(2)</script> [x](javascript:alert(2))' });
      expect(c.body.bodyHtml).not.toMatch(/<script|href="javascript:/i);
    });

    it('is previewed exactly as the ticket will show it, for any signed-in user, without writing anything', async () => {
      const text = '- lait\n- pain\nMerci\n\n<script>alert(1)</script> [x](javascript:alert(1))';
      const ticket = await t.ticket(customer, { projectKey: 'HWEB', title: 'Aperçu', description: text });
      const before = await counts();
      const preview = await t.http.post('/api/tickets/preview').set(auth(outsider)).send({ text });
      expect(preview.status).toBe(200);
      expect(preview.body).toEqual({ html: ticket.descriptionHtml });
      expect(preview.body.html).toContain('</ul>\n<p>Merci</p>');
      expect(await counts()).toEqual(before);
      expect((await t.http.post('/api/tickets/preview').send({ text })).status).toBe(401);
      expect(
        (
          await t.http
            .post('/api/tickets/preview')
            .set(auth(outsider))
            .send({ text: 'x'.repeat(100001) })
        ).status,
      ).toBe(400);
    });
  });

  describe('links', () => {
    it.each(LINK_TYPES)('a %s link reads from both sides with the inverse name, and is journaled on both', async (type) => {
      const a = await t.ticket(agent, { projectKey: 'HWEB', kind: 'problem', title: `Source ${type}` });
      const b = await t.ticket(agent, { projectKey: 'HWEB', kind: 'incident', title: `Cible ${type}` });
      const res = await t.http.post(`/api/tickets/${a.key}/links`).set(auth(agent)).send({ type, targetKey: b.key });
      expect(res.status).toBe(201);
      expect((res.body as TicketLink[]).map((l) => ({ type: l.type, ticket: l.ticket }))).toEqual([
        { type, ticket: { key: b.key, title: b.title, status: 'new', kind: 'incident' } },
      ]);
      const fromB = (await t.http.get(`/api/tickets/${b.key}/links`).set(auth(agent))).body as TicketLink[];
      expect(fromB.map((l) => ({ type: l.type, key: l.ticket.key, id: l.id }))).toEqual([{ type: LINK_INVERSE[type], key: a.key, id: res.body[0].id }]);
      expect((await history(a.key)).pop()).toMatchObject({ type: 'link_added', field: type, after: b.key, actor: { id: agent.accountId } });
      expect((await history(b.key)).pop()).toMatchObject({ type: 'link_added', field: LINK_INVERSE[type], after: a.key });
      // Linking again is idempotent.
      const again = await t.http.post(`/api/tickets/${a.key}/links`).set(auth(agent)).send({ type, targetKey: b.key });
      expect([again.status, again.body.length]).toEqual([201, 1]);
      expect((await history(a.key)).filter((e) => e.type === 'link_added')).toHaveLength(1);
    });

    it('names the inverses causes/caused_by, implements/implemented_by, duplicates/duplicated_by', () => {
      expect(LINK_INVERSE).toEqual({ relates_to: 'relates_to', causes: 'caused_by', implements: 'implemented_by', duplicates: 'duplicated_by' });
    });

    it('refuses a self-link, an unknown type and a missing target; removes a link with a journal entry', async () => {
      const a = await t.ticket(agent, { projectKey: 'HWEB', kind: 'change', title: 'Changement' });
      const d = await t.ticket(agent, { projectKey: 'HWEB', kind: 'deployment', title: 'Mise en production' });
      const events = (await history(a.key)).length;
      const self = await t.http.post(`/api/tickets/${a.key}/links`).set(auth(agent)).send({ type: 'relates_to', targetKey: a.key });
      expect([self.status, self.body.code, self.body.message]).toEqual([400, 'VALIDATION_FAILED', 'A ticket cannot be linked to itself.']);
      expect((await t.http.post(`/api/tickets/${a.key}/links`).set(auth(agent)).send({ type: 'blocks', targetKey: d.key })).status).toBe(400);
      expect((await t.http.post(`/api/tickets/${a.key}/links`).set(auth(agent)).send({ type: 'causes', targetKey: 'HWEB-99999' })).status).toBe(404);
      expect((await t.http.post(`/api/tickets/${a.key}/links`).set(auth(agent)).send({ type: 'causes', targetKey: 'hweb-1' })).status).toBe(400);
      expect((await history(a.key)).length).toBe(events);
      expect((await t.sql(`SELECT 1 FROM ticket_links l JOIN tickets t ON t.id = l.source_id WHERE t.key = $1`, [a.key])).length).toBe(0);

      const linked = await t.http.post(`/api/tickets/${d.key}/links`).set(auth(agent)).send({ type: 'implements', targetKey: a.key });
      const linkId = (linked.body as TicketLink[])[0]!.id;
      expect(((await t.http.get(`/api/tickets/${a.key}/links`).set(auth(agent))).body as TicketLink[])[0]!.type).toBe('implemented_by');
      // Only write access removes links.
      expect((await t.http.delete(`/api/tickets/${d.key}/links/${linkId}`).set(auth(reader))).status).toBe(403);
      const removed = await t.http.delete(`/api/tickets/${d.key}/links/${linkId}`).set(auth(writer));
      expect(removed.status).toBe(204);
      expect((await t.http.get(`/api/tickets/${a.key}/links`).set(auth(agent))).body).toEqual([]);
      expect((await history(d.key)).pop()).toMatchObject({ type: 'link_removed', field: 'implements', before: linkId, actor: { id: writer.accountId } });
      expect((await history(a.key)).pop()).toMatchObject({ type: 'link_removed', field: 'implemented_by', before: linkId, actor: { id: writer.accountId } });
      expect((await t.http.delete(`/api/tickets/${d.key}/links/${linkId}`).set(auth(writer))).status).toBe(404);
    });

    it('a link whose other end the user cannot see is missing for him: not removed, the same 404 as a missing link', async () => {
      const mine = await t.ticket(agent, { projectKey: 'HWEB', title: 'Lié ailleurs' });
      const otherProject = await t.ticket(admin, { projectKey: 'HTYP', title: 'Autre projet' });
      const otherSpace = await t.ticket(admin, { projectKey: 'BOUT', title: 'Autre espace' });
      const link = async (target: string) => {
        const res = await t.http.post(`/api/tickets/${mine.key}/links`).set(auth(admin)).send({ type: 'relates_to', targetKey: target });
        return (res.body as TicketLink[]).find((l) => l.ticket.key === target)!.id;
      };
      const toProject = await link(otherProject.key);
      const toSpace = await link(otherSpace.key);
      const missing = await t.http.delete(`/api/tickets/${mine.key}/links/00000000-0000-4000-8000-000000000000`).set(auth(writer));
      const notFound = { statusCode: 404, code: 'NOT_FOUND', message: 'link not found' };
      expect({ status: missing.status, body: { ...missing.body, requestId: undefined } }).toEqual({ status: 404, body: notFound });
      const before = await t.sql(`SELECT (SELECT count(*)::int FROM ticket_links) AS links, (SELECT count(*)::int FROM ticket_events) AS events`);
      // The writer of one project sees neither end; the agent serves this space only.
      for (const [who, id] of [
        [writer, toProject],
        [writer, toSpace],
        [agent, toSpace],
      ] as const) {
        const res = await t.http.delete(`/api/tickets/${mine.key}/links/${id}`).set(auth(who));
        expect({ status: res.status, body: { ...res.body, requestId: undefined } }).toEqual({ status: 404, body: notFound });
      }
      expect(await t.sql(`SELECT (SELECT count(*)::int FROM ticket_links) AS links, (SELECT count(*)::int FROM ticket_events) AS events`)).toEqual(before);
      expect((await t.http.get(`/api/tickets/${otherSpace.key}/links`).set(auth(admin))).body).toHaveLength(1);
      // Whoever sees both ends removes it.
      expect((await t.http.delete(`/api/tickets/${mine.key}/links/${toProject}`).set(auth(agent))).status).toBe(204);
    });
  });

  describe('watchers', () => {
    it('are added and removed with history; adding twice changes nothing; removing an absent watcher is 404', async () => {
      const ticket = await t.ticket(customer, { projectKey: 'HWEB', title: 'Observateurs' });
      const added = await t.http.put(`/api/tickets/${ticket.key}/watchers/${writer.accountId}`).set(auth(agent));
      expect(added.status).toBe(200);
      expect((added.body as Ticket).watchers.map((w) => w.id)).toEqual([writer.accountId]);
      expect((await history(ticket.key)).pop()).toMatchObject({ type: 'watcher_added', after: writer.accountId, actor: { id: agent.accountId } });
      const events = (await history(ticket.key)).length;
      expect((await t.http.put(`/api/tickets/${ticket.key}/watchers/${writer.accountId}`).set(auth(agent))).status).toBe(200);
      expect((await history(ticket.key)).length).toBe(events);
      // Anyone who sees the ticket may follow it.
      expect((await t.http.put(`/api/tickets/${ticket.key}/watchers/${reader.accountId}`).set(auth(reader))).status).toBe(200);
      const removed = await t.http.delete(`/api/tickets/${ticket.key}/watchers/${writer.accountId}`).set(auth(agent));
      expect(removed.status).toBe(204);
      expect((await history(ticket.key)).pop()).toMatchObject({ type: 'watcher_removed', before: writer.accountId, actor: { id: agent.accountId } });
      expect((await t.http.delete(`/api/tickets/${ticket.key}/watchers/${writer.accountId}`).set(auth(agent))).status).toBe(404);
      const now = (await t.http.get(`/api/tickets/${ticket.key}`).set(auth(agent))).body as Ticket;
      expect(now.watchers.map((w) => w.id)).toEqual([reader.accountId]);
      const unknown = await t.http.put(`/api/tickets/${ticket.key}/watchers/00000000-0000-4000-8000-000000000000`).set(auth(agent));
      expect([unknown.status, unknown.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    });
  });

  describe('assignment', () => {
    it('only to someone with write access to the project (400 otherwise, nothing written)', async () => {
      const ticket = await t.ticket(customer, { projectKey: 'HWEB', title: 'À assigner' });
      const events = (await history(ticket.key)).length;
      for (const [who, id] of [
        ['reader', reader.accountId],
        ['customer', customer.accountId],
        ['outsider', outsider.accountId],
        ['unknown', '00000000-0000-4000-8000-000000000000'],
      ] as const) {
        const res = await t.http.patch(`/api/tickets/${ticket.key}`).set(auth(agent)).send({ assigneeId: id });
        expect({ who, status: res.status, message: res.body.message }).toEqual({
          who,
          status: 400,
          message: 'The assignee must have write access to the project.',
        });
      }
      expect((await t.sql(`SELECT assignee_id FROM tickets WHERE key = $1`, [ticket.key]))[0]).toEqual({ assignee_id: null });
      expect((await history(ticket.key)).length).toBe(events);
      for (const who of [writer, agent, admin]) {
        const res = await t.http.patch(`/api/tickets/${ticket.key}`).set(auth(agent)).send({ assigneeId: who.accountId });
        expect([res.status, res.body.assignee?.id]).toEqual([200, who.accountId]);
      }
      const before = await counts();
      const created = await t.http
        .post('/api/tickets')
        .set(auth(agent))
        .send({ projectKey: 'HWEB', kind: 'incident', title: 'Assigné au lecteur', assigneeId: reader.accountId });
      expect([created.status, created.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(await counts()).toEqual(before);
      // A submitter cannot assign at all.
      const byCustomer = await t.http
        .post('/api/tickets')
        .set(auth(customer))
        .send({ projectKey: 'HWEB', kind: 'incident', title: 'Auto-assigné', assigneeId: writer.accountId });
      expect(byCustomer.status).toBe(403);
    });
  });

  describe('typologies', () => {
    it('are per project: defaults, replaced by PUT, enforced on creation and on PATCH', async () => {
      const defaults = (await t.http.get('/api/projects/HTYP/typologies').set(auth(customer))).body as Typology[];
      expect(defaults.map((x) => x.code)).toEqual(['assistance', 'evolution', 'correction', 'information']);
      const old = await t.ticket(customer, { projectKey: 'HTYP', title: 'Ancienne typologie', typology: 'evolution' });
      const replacement = [
        { code: 'incident-prod', labelFr: 'Incident de production', labelEn: 'Production incident' },
        { code: 'assistance', labelFr: 'Assistance', labelEn: 'Assistance' },
      ];
      expect((await t.http.put('/api/projects/HTYP/typologies').set(auth(customer)).send({ typologies: replacement })).status).toBe(403);
      const put = await t.http.put('/api/projects/HTYP/typologies').set(auth(admin)).send({ typologies: replacement });
      expect(put.status).toBe(200);
      expect(put.body).toEqual(replacement);
      expect((await t.http.get('/api/projects/HTYP/typologies').set(auth(customer))).body).toEqual(replacement);
      // Other projects keep theirs.
      expect(((await t.http.get('/api/projects/HWEB/typologies').set(auth(customer))).body as Typology[]).map((x) => x.code)).toContain('evolution');

      const before = await counts();
      const refused = await t.http
        .post('/api/tickets')
        .set(auth(customer))
        .send({ projectKey: 'HTYP', kind: 'incident', title: 'Typologie retirée', typology: 'evolution' });
      expect([refused.status, refused.body.code, refused.body.message]).toEqual([400, 'VALIDATION_FAILED', 'Unknown typology for HTYP: evolution.']);
      expect(await counts()).toEqual(before);
      expect((await t.ticket(customer, { projectKey: 'HTYP', title: 'Nouvelle typologie', typology: 'incident-prod' })).typology).toBe('incident-prod');
      // The old ticket keeps its typology; changing to an unknown one is refused.
      expect(((await t.http.get(`/api/tickets/${old.key}`).set(auth(customer))).body as Ticket).typology).toBe('evolution');
      const patch = await t.http.patch(`/api/tickets/${old.key}`).set(auth(agent)).send({ typology: 'correction' });
      expect([patch.status, patch.body.message]).toEqual([400, 'Unknown typology: correction.']);
      expect((await t.http.patch(`/api/tickets/${old.key}`).set(auth(agent)).send({ typology: 'incident-prod' })).body.typology).toBe('incident-prod');
      // A project one cannot see has no typologies to show.
      expect((await t.http.get('/api/projects/HTYP/typologies').set(auth(outsider))).status).toBe(404);
    });
  });

  describe('lists', () => {
    interface Spec {
      kind: TicketKind;
      urgency: Level;
      impact: Level;
      typology: string;
      requester: 'customer' | 'agent';
      assignee?: 'agent' | 'writer';
      status?: string[];
      createdAt: string;
    }
    const SPECS: Spec[] = [
      {
        kind: 'incident',
        urgency: 1,
        impact: 1,
        typology: 'correction',
        requester: 'customer',
        assignee: 'agent',
        status: ['assigned', 'in_progress'],
        createdAt: '2026-01-01T09:00:00.000001Z',
      },
      { kind: 'incident', urgency: 3, impact: 3, typology: 'assistance', requester: 'customer', createdAt: '2026-01-02T09:00:00.5Z' },
      {
        kind: 'request',
        urgency: 2,
        impact: 2,
        typology: 'assistance',
        requester: 'customer',
        assignee: 'agent',
        status: ['assigned', 'resolved', 'closed'],
        createdAt: '2026-01-03T09:00:00.250999Z',
      },
      { kind: 'problem', urgency: 4, impact: 4, typology: 'information', requester: 'agent', createdAt: '2026-01-03T09:00:00.250999Z' },
      {
        kind: 'change',
        urgency: 2,
        impact: 3,
        typology: 'evolution',
        requester: 'agent',
        assignee: 'agent',
        status: ['assessed'],
        createdAt: '2026-01-03T09:00:00.250999Z',
      },
      {
        kind: 'deployment',
        urgency: 3,
        impact: 1,
        typology: 'evolution',
        requester: 'customer',
        status: ['scheduled'],
        createdAt: '2026-01-04T23:59:59.999999Z',
      },
      {
        kind: 'incident',
        urgency: 1,
        impact: 4,
        typology: 'correction',
        requester: 'agent',
        assignee: 'agent',
        status: ['assigned', 'resolved'],
        createdAt: '2026-01-05T00:00:00Z',
      },
      { kind: 'request', urgency: 4, impact: 1, typology: 'information', requester: 'customer', createdAt: '2026-01-06T12:30:00.123456Z' },
      { kind: 'incident', urgency: 2, impact: 1, typology: 'assistance', requester: 'agent', status: ['closed'], createdAt: '2026-01-07T08:00:00.000999Z' },
      { kind: 'change', urgency: 3, impact: 2, typology: 'correction', requester: 'customer', status: ['rejected'], createdAt: '2026-01-08T08:00:00.7Z' },
      { kind: 'request', urgency: 3, impact: 4, typology: 'assistance', requester: 'customer', assignee: 'agent', createdAt: '2026-01-09T08:00:00.000001Z' },
    ];
    let created: { key: string; spec: Spec; id: string }[] = [];

    beforeAll(async () => {
      await t.grant('HLIST', writer.accountId, 'write');
      const people = { customer, agent, writer };
      for (const spec of SPECS) {
        const body: Record<string, unknown> = {
          projectKey: 'HLIST',
          kind: spec.kind,
          title: `Liste ${spec.kind}`,
          urgency: spec.urgency,
          impact: spec.impact,
          typology: spec.typology,
        };
        if (spec.requester === 'customer') body['requesterId'] = customer.accountId;
        if (spec.assignee) body['assigneeId'] = people[spec.assignee].accountId;
        const ticket = await t.ticket(agent, body);
        let current = ticket.status;
        for (const s of spec.status ?? []) {
          // Opened with an assignee, a ticket is taken in charge at once: its first step is done.
          if (s === current) continue;
          await t.move(agent, ticket.key, s, needsResolutionText(spec.kind, current, s) ? 'Résolu.' : undefined);
          current = s;
        }
        created.push({ key: ticket.key, spec, id: ticket.id });
      }
      // Fixed creation instants (with microseconds, as PostgreSQL stores them) and distinct update instants.
      for (const [i, c] of created.entries()) {
        await t.sql(`UPDATE tickets SET created_at = $2::timestamptz, updated_at = $3::timestamptz WHERE key = $1`, [
          c.key,
          c.spec.createdAt,
          new Date(Date.UTC(2026, 1, 1, 10, 0, 0, (i * 7) % 5)).toISOString().replace('Z', `${i}01Z`),
        ]);
      }
      created = created.sort((a, b) => Number(a.key.split('-')[1]) - Number(b.key.split('-')[1]));
    });

    const list = async (query: string, who: Session = agent) => {
      const res = await t.http.get(`/api/tickets?project=HLIST&limit=200&sort=key&${query}`).set(auth(who));
      expect({ query, status: res.status }).toEqual({ query, status: 200 });
      const page = res.body as TicketPage;
      expect(page.total).toBe(page.items.length);
      return page.items.map((x) => x.key);
    };
    /** An ISO instant in microseconds, as PostgreSQL compares them. */
    const us = (iso: string) => {
      const d = new Date(iso);
      const frac = /\.(\d+)(Z|[+-])/.exec(iso)?.[1] ?? '';
      return (d.getTime() - d.getUTCMilliseconds()) * 1000 + Number(frac.padEnd(6, '0').slice(0, 6));
    };
    const where = (f: (c: (typeof created)[number]) => boolean) => created.filter(f).map((c) => c.key);
    const statusOf = (c: (typeof created)[number]) =>
      c.spec.status?.[c.spec.status.length - 1] ?? (c.spec.assignee ? takeInChargeStatus(c.spec.kind) : null) ?? initialStatus(c.spec.kind);

    it('filter by kind, status, open, assignee (me, none, id), requester, priority, typology and creation dates', async () => {
      expect(await list('')).toEqual(created.map((c) => c.key));
      expect(await list('kind=incident')).toEqual(where((c) => c.spec.kind === 'incident'));
      expect(await list('kind=change,deployment')).toEqual(where((c) => ['change', 'deployment'].includes(c.spec.kind)));
      expect(await list('kind=change&kind=problem')).toEqual(where((c) => ['change', 'problem'].includes(c.spec.kind)));
      expect(await list('status=resolved')).toEqual(where((c) => statusOf(c) === 'resolved'));
      expect(await list('status=new,requested')).toEqual(where((c) => ['new', 'requested'].includes(statusOf(c))));
      expect(await list('open=true')).toEqual(where((c) => statusOf(c) !== 'closed'));
      expect(await list('open=false')).toEqual(where((c) => statusOf(c) === 'closed'));
      expect(await list('assignee=me')).toEqual(where((c) => c.spec.assignee === 'agent'));
      expect(await list('assignee=none')).toEqual(where((c) => !c.spec.assignee));
      expect(await list(`assignee=${agent.accountId}`, writer)).toEqual(where((c) => c.spec.assignee === 'agent'));
      expect(await list('assignee=me', writer)).toEqual([]);
      expect(await list(`requester=${customer.accountId}`)).toEqual(where((c) => c.spec.requester === 'customer'));
      expect(await list('requester=me')).toEqual(where((c) => c.spec.requester === 'agent'));
      expect(await list('requester=me', customer)).toEqual(where((c) => c.spec.requester === 'customer'));
      expect(await list('priority=1')).toEqual(where((c) => priorityOf(c.spec.urgency, c.spec.impact) === 1));
      expect(await list('priority=3,4')).toEqual(where((c) => priorityOf(c.spec.urgency, c.spec.impact) >= 3));
      expect(await list('typology=correction')).toEqual(where((c) => c.spec.typology === 'correction'));
      expect(await list('typology=evolution,information')).toEqual(where((c) => ['evolution', 'information'].includes(c.spec.typology)));
      expect(await list('createdFrom=2026-01-03T09:00:00.250Z&createdTo=2026-01-05T00:00:00Z')).toEqual(
        where((c) => us(c.spec.createdAt) >= us('2026-01-03T09:00:00.250Z') && us(c.spec.createdAt) < us('2026-01-05T00:00:00Z')),
      );
      expect(await list(`createdFrom=${encodeURIComponent('2026-01-05T01:00:00+01:00')}`)).toEqual(
        where((c) => us(c.spec.createdAt) >= us('2026-01-05T00:00:00Z')),
      );
      expect(await list('kind=incident&open=true&assignee=me&priority=1')).toEqual(
        where((c) => c.spec.kind === 'incident' && statusOf(c) !== 'closed' && c.spec.assignee === 'agent' && priorityOf(c.spec.urgency, c.spec.impact) === 1),
      );
      for (const bad of [
        'kind=bug',
        'status=Closed',
        'open=maybe',
        'assignee=someone',
        'priority=5',
        'typology=UPPER',
        'createdFrom=yesterday',
        'sort=title',
        'limit=0',
        'limit=201',
        'project=hweb',
      ]) {
        const res = await t.http.get(`/api/tickets?${bad}`).set(auth(agent));
        expect({ bad, status: res.status, code: res.body.code }).toEqual({ bad, status: 400, code: 'VALIDATION_FAILED' });
      }
    });

    const ORDER: Record<string, string> = {
      updated: 't.updated_at ASC, t.id ASC',
      '-updated': 't.updated_at DESC, t.id DESC',
      created: 't.created_at ASC, t.id ASC',
      '-created': 't.created_at DESC, t.id DESC',
      priority: 't.priority ASC, t.id ASC',
      '-priority': 't.priority DESC, t.id DESC',
      key: 't.number ASC, t.id ASC',
      '-key': 't.number DESC, t.id DESC',
      // Only tickets with a service-level deadline (ADR 0051).
      due: 't.sla_due_at ASC, t.id ASC',
    };

    it.each(TICKET_SORTS)('sort=%s orders like the database, and walking pages of 3 gives every ticket exactly once, in order', async (sort) => {
      const expected = (
        await t.sql<{ key: string }>(
          `SELECT t.key FROM tickets t JOIN projects p ON p.id = t.project_id WHERE p.key = 'HLIST' ${sort === 'due' ? 'AND t.sla_due_at IS NOT NULL' : ''} ORDER BY ${ORDER[sort]}`,
        )
      ).map((r) => r.key);
      if (sort === 'due') expect(expected.length).toBeGreaterThan(3);
      else expect(expected).toHaveLength(SPECS.length);
      const whole = (await t.http.get(`/api/tickets?project=HLIST&sort=${sort}&limit=200`).set(auth(agent))).body as TicketPage;
      expect(whole.items.map((x) => x.key)).toEqual(expected);
      expect(whole.nextCursor).toBeUndefined();
      const walked: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await t.http
          .get(`/api/tickets?project=HLIST&sort=${sort}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
          .set(auth(agent));
        expect(res.status).toBe(200);
        const page = res.body as TicketPage;
        expect(page.items.length).toBeLessThanOrEqual(3);
        expect(page.total).toBe(expected.length);
        walked.push(...page.items.map((x) => x.key));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect({ sort, walked }).toEqual({ sort, walked: expected });
      expect(pages).toBe(Math.ceil(expected.length / 3));
    });

    it('an invalid cursor is 400', async () => {
      const first = (await t.http.get('/api/tickets?project=HLIST&limit=3').set(auth(agent))).body as TicketPage;
      expect(first.nextCursor).toEqual(expect.any(String));
      const forged = [
        'garbage',
        Buffer.from('not json').toString('base64url'),
        Buffer.from(JSON.stringify(['k', 'yesterday', '00000000-0000-4000-8000-000000000000'])).toString('base64url'),
        Buffer.from(JSON.stringify(['k', 1, "x' OR 1=1 --"])).toString('base64url'),
        Buffer.from(JSON.stringify(['o', 3])).toString('base64url'),
        Buffer.from(JSON.stringify(['k', { a: 1 }, '00000000-0000-4000-8000-000000000000'])).toString('base64url'),
        'x'.repeat(301),
      ];
      for (const cursor of forged) {
        const res = await t.http.get(`/api/tickets?project=HLIST&limit=3&cursor=${encodeURIComponent(cursor)}`).set(auth(agent));
        expect({ cursor, status: res.status, code: res.body.code }).toEqual({ cursor, status: 400, code: 'VALIDATION_FAILED' });
      }
      // A keyset cursor is no search cursor.
      const search = await t.http.get(`/api/tickets?q=liste&cursor=${encodeURIComponent(first.nextCursor!)}`).set(auth(agent));
      expect(search.status).toBe(400);
    });

    it("is planned once per connection and shape, then reused with each caller's own values", async () => {
      // Each pooled connection plans a list five times, then keeps a generic plan when it costs no
      // more (at a million tickets only with the limits in the statement's text: docs/performance.md).
      const keys = async (who: Session, query: string) =>
        ((await t.http.get(`/api/tickets?limit=5&sort=-updated${query}`).set(auth(who)).expect(200)).body as TicketPage).items.map((i) => i.key);
      const expected = { agent: await keys(agent, '&project=HLIST'), customer: await keys(customer, '&project=HLIST') };
      for (let i = 0; i < 30; i++) {
        // Alternating callers on one shape: a plan reused across them must still apply each one's visibility.
        expect(await keys(agent, '&project=HLIST')).toEqual(expected.agent);
        expect(await keys(customer, '&project=HLIST')).toEqual(expected.customer);
      }
      expect(expected.customer.length).toBeGreaterThan(0);
      expect(expected.customer).not.toEqual(expected.agent); // the agent sees tickets the beneficiary does not
      const plans = await Promise.all(
        Array.from({ length: 20 }, () =>
          t.app
            .get(Database)
            .one<{ generic: number }>(sql`SELECT coalesce(sum(generic_plans), 0)::int AS generic FROM pg_prepared_statements WHERE name LIKE 'ticket_list%'`),
        ),
      );
      expect(plans.some((p) => p!.generic > 0)).toBe(true);
    });
  });

  describe('creation input', () => {
    it.each([
      ['an unknown kind', { kind: 'bug' }],
      ['a title of 301 characters', { title: 'x'.repeat(301) }],
      ['an empty title', { title: '' }],
      ['a blank title', { title: '   ' }],
      ['urgency 5', { urgency: 5 }],
      ['impact 0', { impact: 0 }],
      ['urgency as a string', { urgency: '1' }],
      ['an unknown field', { priority: 1 }],
      ['an unknown field (status)', { status: 'closed' }],
      ['a bad project key', { projectKey: 'hweb' }],
      ['a bad environment', { environment: 'staging' }],
      ['a bad date', { plannedStart: 'demain' }],
      ['a bad watcher id', { watcherIds: ['nope'] }],
    ])('%s is 400 VALIDATION_FAILED with nothing written', async (_name, patch) => {
      const before = await counts();
      const res = await t.http
        .post('/api/tickets')
        .set(auth(agent))
        .send({ projectKey: 'HWEB', kind: 'incident', title: 'Valide', ...patch });
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(await counts()).toEqual(before);
    });

    it('malformed JSON is 400 MALFORMED_JSON with nothing written; a 300-character title is fine', async () => {
      const before = await counts();
      const res = await t.http
        .post('/api/tickets')
        .set(auth(agent))
        .set('Content-Type', 'application/json')
        .send('{"projectKey": "HWEB", "kind": "incident", "title": ');
      expect([res.status, res.body.code]).toEqual([400, 'MALFORMED_JSON']);
      expect(await counts()).toEqual(before);
      const long = await t.ticket(agent, { projectKey: 'HWEB', title: 'é'.repeat(300) });
      expect(long.title).toHaveLength(300);
    });

    it('an unknown or hidden project is 404, the same for both', async () => {
      const hidden = await t.http.post('/api/tickets').set(auth(customer)).send({ projectKey: 'BOUT', kind: 'incident', title: 'Ailleurs' });
      const missing = await t.http.post('/api/tickets').set(auth(customer)).send({ projectKey: 'NOPE', kind: 'incident', title: 'Nulle part' });
      expect([hidden.status, missing.status]).toEqual([404, 404]);
      expect({ ...hidden.body, requestId: undefined, message: undefined }).toEqual({ ...missing.body, requestId: undefined, message: undefined });
      expect(hidden.body.message).toBe('project not found');
    });
  });

  describe('source', () => {
    it('is api with a personal API token and web with a session', async () => {
      const token = await t.apiToken(customer);
      const viaApi = await t.http.post('/api/tickets').set(auth(token)).send({ projectKey: 'HWEB', kind: 'request', title: 'Par script' });
      expect([viaApi.status, viaApi.body.source, viaApi.body.requester.id]).toEqual([201, 'api', customer.accountId]);
      const viaWeb = await t.ticket(customer, { projectKey: 'HWEB', kind: 'request', title: 'Par le site' });
      expect(viaWeb.source).toBe('web');
      expect(await t.sql(`SELECT key, source FROM tickets WHERE key IN ($1, $2) ORDER BY number`, [viaApi.body.key, viaWeb.key])).toEqual([
        { key: viaApi.body.key, source: 'api' },
        { key: viaWeb.key, source: 'web' },
      ]);
      expect((await history(viaApi.body.key))[0]).toMatchObject({ type: 'created', after: { source: 'api' } });
    });
  });
});
