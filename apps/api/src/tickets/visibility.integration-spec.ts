import type { Comment, HistoryEvent, Ticket, TicketLink, TicketPage, TicketTimeline, TimeEntry } from '@guichet/contracts';
import { SEARCH_STRATEGIES } from '../../test/search-strategies';
import { auth, type Session, TestApp } from '../../test/test-app';

/**
 * Who sees which ticket (R2.4-R2.6): submitters see only what they opened or watch, readers
 * see the project, the support team serves its spaces, other spaces see nothing; internal
 * notes and time spent follow the profile rights; what one may not see is "not found" for
 * them, everywhere.
 */

type Who = 'S1' | 'S2' | 'watcher' | 'R' | 'W' | 'G' | 'M' | 'X' | 'GB' | 'admin';

const T1 = 'HWEB-1'; // opened by S1: "xylophone" in the title, S1's reply says "kumquat", G's internal note "ornithorynque"
const T2 = 'HWEB-2'; // opened by S2: "saxophone" in the title
const T3 = 'BWEB-1'; // space B, opened by X: "xylophone" in the title too
const ALL = [T1, T2, T3];

const SEES: Record<Who, string[]> = {
  S1: [T1],
  S2: [T2],
  watcher: [T1],
  R: [T1, T2],
  W: [T1, T2],
  G: [T1, T2],
  M: [T1, T2],
  X: [T3],
  GB: [T3],
  admin: [T1, T2, T3],
};
/** Who holds ticket.internalNotes (and reads the project). */
const NOTES: Who[] = ['G', 'admin'];
/** Who holds ticket.timeSpent. */
const TIME: Who[] = ['G', 'M', 'GB', 'admin'];
const WHO = Object.keys(SEES) as Who[];

describe.each(SEARCH_STRATEGIES)('ticket visibility across users, projects and spaces, searching %s', (_strategy, env) => {
  let t: TestApp;
  const u = {} as Record<Who, Session>;
  let note: Comment;
  let reply: Comment;

  beforeAll(async () => {
    t = await TestApp.start(env);
    const A = await t.space('Ministère A');
    const B = await t.space('Agence B');
    await t.project('HWEB', A.id);
    await t.project('BWEB', B.id);
    u.S1 = await t.user('s1@a.example.test', 'beneficiary', 'Sabine Un');
    u.S2 = await t.user('s2@a.example.test', 'beneficiary', 'Serge Deux');
    u.watcher = await t.user('watcher@a.example.test', 'beneficiary', 'Véra Veille');
    u.R = await t.user('reader@a.example.test', 'beneficiary', 'Rémi Lecteur');
    u.W = await t.user('writer@a.example.test', 'beneficiary', 'Wassim Rédacteur');
    u.G = await t.user('agent@provider.example.test', 'agent', 'Gaëlle Agent');
    u.M = await t.user('manager@a.example.test', 'manager', 'Mona Responsable');
    u.X = await t.user('user@b.example.test', 'beneficiary', 'Xavier Agence');
    u.GB = await t.user('agent-b@provider.example.test', 'agent', 'Gilles Agent B');
    u.admin = await t.admin();
    for (const who of ['S1', 'S2', 'watcher'] as const) await t.grant('HWEB', u[who].accountId, 'submit');
    await t.grant('HWEB', u.R.accountId, 'read');
    await t.grant('HWEB', u.W.accountId, 'write');
    await t.joinSpace(A.id, u.G.accountId);
    await t.joinSpace(A.id, u.M.accountId);
    await t.grant('BWEB', u.X.accountId, 'write');
    await t.joinSpace(B.id, u.GB.accountId);

    expect((await t.ticket(u.S1, { projectKey: 'HWEB', title: 'Le xylophone du portail ne joue plus', description: 'Depuis la mise à jour.' })).key).toBe(T1);
    expect((await t.ticket(u.S2, { projectKey: 'HWEB', kind: 'request', title: 'Commande de saxophone' })).key).toBe(T2);
    expect((await t.ticket(u.X, { projectKey: 'BWEB', title: 'Un autre xylophone en panne' })).key).toBe(T3);
    const r = await t.http.post(`/api/tickets/${T1}/comments`).set(auth(u.S1)).send({ body: 'Le kumquat apparaît en rouge.' });
    expect(r.status).toBe(201);
    reply = r.body as Comment;
    const n = await t.http.post(`/api/tickets/${T1}/comments`).set(auth(u.G)).send({ body: 'Voir avec l’équipe ornithorynque.', visibility: 'internal' });
    expect(n.status).toBe(201);
    note = n.body as Comment;
    const time = await t.http.post(`/api/tickets/${T1}/time-entries`).set(auth(u.G)).send({ minutes: 30, spentOn: '2026-03-02', note: 'Analyse des journaux' });
    expect(time.status).toBe(201);
    expect((time.body as TimeEntry[]).map((e) => [e.minutes, e.spentOn, e.author.id])).toEqual([[30, '2026-03-02', u.G.accountId]]);
    const link = await t.http.post(`/api/tickets/${T1}/links`).set(auth(u.G)).send({ type: 'causes', targetKey: T2 });
    expect(link.status).toBe(201);
    expect((await t.http.put(`/api/tickets/${T1}/watchers/${u.watcher.accountId}`).set(auth(u.G))).status).toBe(200);
    expect((await t.http.patch(`/api/tickets/${T1}`).set(auth(u.G)).send({ assigneeId: u.G.accountId })).status).toBe(200);
  }, 90000);
  afterAll(() => t.stop());

  const get = (who: Who, path: string) => t.http.get(path).set(auth(u[who]));
  const keysOf = (page: TicketPage) => page.items.map((x) => x.key).sort();
  const withoutRequestId = (body: Record<string, unknown>) => {
    const { requestId, ...rest } = body;
    expect(requestId).toEqual(expect.any(String));
    return rest;
  };
  const visibleOf = (who: Who, keys: string[]) => keys.filter((k) => SEES[who].includes(k)).sort();

  describe.each(WHO)('%s', (who) => {
    it('GET by key, timeline, comments, history and links answer 200 exactly on its tickets, else the same 404 as a missing ticket', async () => {
      const missing = await get(who, '/api/tickets/HWEB-999');
      expect(missing.status).toBe(404);
      const notFound = withoutRequestId(missing.body);
      expect(notFound).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: 'ticket not found' });
      for (const key of ALL) {
        for (const suffix of ['', '/timeline', '/comments', '/history', '/links']) {
          const res = await get(who, `/api/tickets/${key}${suffix}`);
          const expected = SEES[who].includes(key) ? 200 : 404;
          expect({ who, path: `${key}${suffix}`, status: res.status }).toEqual({ who, path: `${key}${suffix}`, status: expected });
          if (expected === 404) {
            expect(withoutRequestId(res.body)).toEqual(notFound);
            const absent = await get(who, `/api/tickets/${key.replace(/-\d+$/, '-999')}${suffix}`);
            expect(withoutRequestId(absent.body)).toEqual(notFound);
          }
        }
      }
    });

    it('the list and its count hold exactly its tickets, with or without filters', async () => {
      const all = (await get(who, '/api/tickets')).body as TicketPage;
      expect(keysOf(all)).toEqual([...SEES[who]].sort());
      expect([all.total, all.totalCapped]).toEqual([SEES[who].length, false]);
      const hweb = (await get(who, '/api/tickets?project=HWEB')).body as TicketPage;
      expect(keysOf(hweb)).toEqual(visibleOf(who, [T1, T2]));
      expect(hweb.total).toBe(visibleOf(who, [T1, T2]).length);
      const bweb = (await get(who, '/api/tickets?project=BWEB&open=true')).body as TicketPage;
      expect([keysOf(bweb), bweb.total]).toEqual([visibleOf(who, [T3]), visibleOf(who, [T3]).length]);
      // mine: requested, assigned or watched.
      const mine: Record<Who, string[]> = { S1: [T1], S2: [T2], watcher: [T1], R: [], W: [], G: [T1], M: [], X: [T3], GB: [], admin: [] };
      const own = (await get(who, '/api/tickets?mine=true')).body as TicketPage;
      expect({ who, mine: keysOf(own), total: own.total }).toEqual({ who, mine: mine[who], total: mine[who].length });
      // Filters on another user's id never widen the view.
      const byS1 = (await get(who, `/api/tickets?requester=${u.S1.accountId}`)).body as TicketPage;
      expect(keysOf(byS1)).toEqual(visibleOf(who, [T1]));
      const unassigned = (await get(who, `/api/tickets?assignee=none&sort=key`)).body as TicketPage;
      expect(keysOf(unassigned)).toEqual(visibleOf(who, [T2, T3]));
    });

    it('full-text search finds titles and replies it may read, and internal notes only with the right', async () => {
      const search = async (q: string) => {
        const page = (await get(who, `/api/tickets?q=${encodeURIComponent(q)}`)).body as TicketPage;
        expect(page.total).toBe(page.items.length);
        return keysOf(page);
      };
      expect({ q: 'xylophone', found: await search('xylophone') }).toEqual({ q: 'xylophone', found: visibleOf(who, [T1, T3]) });
      expect({ q: 'saxophone', found: await search('saxophone') }).toEqual({ q: 'saxophone', found: visibleOf(who, [T2]) });
      expect({ q: 'kumquat', found: await search('kumquat') }).toEqual({ q: 'kumquat', found: visibleOf(who, [T1]) });
      expect({ q: 'ornithorynque', found: await search('ornithorynque') }).toEqual({ q: 'ornithorynque', found: NOTES.includes(who) ? [T1] : [] });
      const filtered = (await get(who, '/api/tickets?q=xylophone&project=HWEB')).body as TicketPage;
      expect(keysOf(filtered)).toEqual(visibleOf(who, [T1]));
      expect(filtered.total).toBe(visibleOf(who, [T1]).length);
    });

    it('internal notes and time spent follow the profile rights', async () => {
      if (!SEES[who].includes(T1)) return;
      const tl = (await get(who, `/api/tickets/${T1}/timeline`)).body as TicketTimeline;
      const notes = NOTES.includes(who);
      expect(tl.comments.map((c) => c.id)).toEqual(notes ? [reply.id, note.id] : [reply.id]);
      expect(((await get(who, `/api/tickets/${T1}/comments`)).body as Comment[]).map((c) => c.id)).toEqual(tl.comments.map((c) => c.id));
      const history = (await get(who, `/api/tickets/${T1}/history`)).body as HistoryEvent[];
      expect(history).toEqual(tl.history);
      expect(history.some((e) => e.commentId === note.id)).toBe(notes);
      expect(history.some((e) => e.type === 'time_logged')).toBe(notes);
      expect(JSON.stringify(tl)).not.toContain(notes ? 'never' : 'ornithorynque');
      expect(tl.ticket.can.internalNotes).toBe(notes);
      const versions = await get(who, `/api/tickets/${T1}/comments/${note.id}/versions`);
      expect(versions.status).toBe(notes ? 200 : 404);

      const time = TIME.includes(who);
      expect(tl.ticket.can.timeSpent).toBe(time);
      if (time) expect(tl.timeEntries!.map((e) => [e.minutes, e.author.id])).toEqual([[30, u.G.accountId]]);
      else expect(tl.timeEntries).toBeNull();
      const entries = await get(who, `/api/tickets/${T1}/time-entries`);
      expect(entries.status).toBe(time ? 200 : 403);
      if (time) expect(entries.body).toEqual(tl.timeEntries);
      if (!time) expect(entries.body.code).toBe('FORBIDDEN');
    });

    it('links show only tickets it may see, from both sides and in the history', async () => {
      const expectations: [string, string, string][] = [
        [T1, 'causes', T2],
        [T2, 'caused_by', T1],
      ];
      for (const [from, type, to] of expectations) {
        if (!SEES[who].includes(from)) continue;
        const links = (await get(who, `/api/tickets/${from}/links`)).body as TicketLink[];
        const shown = SEES[who].includes(to) ? [{ type, key: to }] : [];
        expect({ who, from, links: links.map((l) => ({ type: l.type, key: l.ticket.key })) }).toEqual({ who, from, links: shown });
        const tl = (await get(who, `/api/tickets/${from}/timeline`)).body as TicketTimeline;
        expect(tl.links).toEqual(links);
        // Nothing in what it reads of this ticket names the hidden one.
        if (!SEES[who].includes(to)) expect({ who, from, mentions: JSON.stringify(tl).includes(to) }).toEqual({ who, from, mentions: false });
      }
    });
  });

  describe('acting on tickets', () => {
    it('S2 gets 404 on every write to S1’s ticket, exactly as for a missing ticket, and nothing changes', async () => {
      const before = await t.sql(`SELECT * FROM tickets WHERE key = $1`, [T1]);
      const eventsBefore = await t.sql(`SELECT count(*) FROM ticket_events`);
      const writes = (key: string) => [
        t.http.patch(`/api/tickets/${key}`).set(auth(u.S2)).send({ title: 'pwned' }),
        t.http.post(`/api/tickets/${key}/transitions`).set(auth(u.S2)).send({ status: 'closed' }),
        t.http.post(`/api/tickets/${key}/comments`).set(auth(u.S2)).send({ body: 'pwned' }),
        t.http.patch(`/api/tickets/${key}/comments/${reply.id}`).set(auth(u.S2)).send({ body: 'pwned' }),
        t.http.get(`/api/tickets/${key}/comments/${reply.id}/versions`).set(auth(u.S2)),
        t.http.put(`/api/tickets/${key}/watchers/${u.S2.accountId}`).set(auth(u.S2)),
        t.http.delete(`/api/tickets/${key}/watchers/${u.watcher.accountId}`).set(auth(u.S2)),
        t.http.post(`/api/tickets/${key}/links`).set(auth(u.S2)).send({ type: 'relates_to', targetKey: T2 }),
      ];
      const hidden = await Promise.all(writes(T1));
      const missing = await Promise.all(writes('HWEB-999'));
      hidden.forEach((res, i) => {
        expect({ i, status: res.status }).toEqual({ i, status: 404 });
        expect(withoutRequestId(res.body)).toEqual(withoutRequestId(missing[i]!.body));
      });
      // Linking one's own ticket to a hidden one: the hidden target is "not found" too.
      const toHidden = await t.http.post(`/api/tickets/${T2}/links`).set(auth(u.S2)).send({ type: 'relates_to', targetKey: T1 });
      expect(toHidden.status).toBe(403); // submitters cannot link at all
      const agentToHiddenB = await t.http.post(`/api/tickets/${T1}/links`).set(auth(u.G)).send({ type: 'relates_to', targetKey: T3 });
      const agentToMissing = await t.http.post(`/api/tickets/${T1}/links`).set(auth(u.G)).send({ type: 'relates_to', targetKey: 'BWEB-999' });
      expect(agentToHiddenB.status).toBe(404);
      expect(withoutRequestId(agentToHiddenB.body)).toEqual(withoutRequestId(agentToMissing.body));
      expect(await t.sql(`SELECT * FROM tickets WHERE key = $1`, [T1])).toEqual(before);
      expect(await t.sql(`SELECT count(*) FROM ticket_events`)).toEqual(eventsBefore);
    });

    it('the user of space B gets 404 for space A tickets and sees none of them', async () => {
      for (const who of ['X', 'GB'] as const) {
        for (const path of [`/api/tickets/${T1}`, `/api/tickets/${T1}/time-entries`]) {
          const res = await get(who, path);
          expect({ who, path, status: res.status }).toEqual({ who, path, status: who === 'X' && path.endsWith('time-entries') ? 403 : 404 });
        }
        const logged = await t.http.post(`/api/tickets/${T1}/time-entries`).set(auth(u.GB)).send({ minutes: 5 });
        expect(logged.status).toBe(404);
        const page = (await get(who, '/api/tickets?project=HWEB')).body as TicketPage;
        expect(page).toEqual({ items: [], total: 0, totalCapped: false });
      }
    });

    it('R (read) sees others’ tickets but may not reply, edit or move them', async () => {
      const replyRes = await t.http.post(`/api/tickets/${T2}/comments`).set(auth(u.R)).send({ body: 'Je m’en mêle' });
      expect([replyRes.status, replyRes.body.code]).toEqual([403, 'FORBIDDEN']);
      const edit = await t.http.patch(`/api/tickets/${T2}`).set(auth(u.R)).send({ urgency: 1 });
      expect([edit.status, edit.body.code]).toEqual([403, 'FORBIDDEN']);
      const move = await t.http.post(`/api/tickets/${T2}/transitions`).set(auth(u.R)).send({ status: 'assigned' });
      expect([move.status, move.body.details]).toEqual([400, ['allowed from new: none']]);
      const note2 = await t.http.post(`/api/tickets/${T2}/comments`).set(auth(u.R)).send({ body: 'x', visibility: 'internal' });
      expect(note2.status).toBe(403);
      const seen = (await get('R', `/api/tickets/${T2}`)).body as Ticket;
      expect(seen.can).toEqual({ comment: false, internalNotes: false, edit: false, transition: false, assign: false, timeSpent: false });
      expect(seen.transitions).toEqual([]);
      expect((await t.sql(`SELECT status, urgency FROM tickets WHERE key = $1`, [T2]))[0]).toEqual({ status: 'new', urgency: 3 });
      expect((await t.sql(`SELECT 1 FROM ticket_comments c JOIN tickets t ON t.id = c.ticket_id WHERE t.key = $1`, [T2])).length).toBe(0);
    });

    it('M (manager: sees others, does not act on them) sees but may not reply, edit, move or log time', async () => {
      const seen = (await get('M', `/api/tickets/${T2}`)).body as Ticket;
      expect(seen.can).toEqual({ comment: false, internalNotes: false, edit: false, transition: false, assign: false, timeSpent: true });
      expect((await t.http.post(`/api/tickets/${T2}/comments`).set(auth(u.M)).send({ body: 'Vu' })).status).toBe(403);
      expect((await t.http.patch(`/api/tickets/${T2}`).set(auth(u.M)).send({ urgency: 1 })).status).toBe(403);
      expect((await t.http.post(`/api/tickets/${T2}/transitions`).set(auth(u.M)).send({ status: 'assigned' })).status).toBe(400);
      expect((await t.http.post(`/api/tickets/${T1}/time-entries`).set(auth(u.M)).send({ minutes: 10 })).status).toBe(403);
      expect((await t.sql(`SELECT count(*)::int AS n FROM time_entries`))[0]).toEqual({ n: 1 });
    });

    it('W (write) and G (agent) reply, edit and move others’ tickets', async () => {
      const wReply = await t.http.post(`/api/tickets/${T2}/comments`).set(auth(u.W)).send({ body: 'Commande passée' });
      expect(wReply.status).toBe(201);
      const wEdit = await t.http.patch(`/api/tickets/${T2}`).set(auth(u.W)).send({ urgency: 2 });
      expect([wEdit.status, wEdit.body.urgency, wEdit.body.priority]).toEqual([200, 2, 3]);
      expect((await t.http.post(`/api/tickets/${T2}/transitions`).set(auth(u.W)).send({ status: 'assigned' })).status).toBe(200);
      // W has write access but no ticket.internalNotes / ticket.timeSpent right.
      expect((await t.http.post(`/api/tickets/${T2}/comments`).set(auth(u.W)).send({ body: 'x', visibility: 'internal' })).status).toBe(403);
      expect((await t.http.post(`/api/tickets/${T2}/time-entries`).set(auth(u.W)).send({ minutes: 5 })).status).toBe(403);
      const gMove = await t.http.post(`/api/tickets/${T2}/transitions`).set(auth(u.G)).send({ status: 'in_progress' });
      expect(gMove.status).toBe(200);
      const gEdit = await t.http.patch(`/api/tickets/${T2}`).set(auth(u.G)).send({ impact: 1 });
      expect([gEdit.status, gEdit.body.priority]).toEqual([200, 1]);
      const history = (await get('S2', `/api/tickets/${T2}/history`)).body as HistoryEvent[];
      expect(history.filter((e) => e.type !== 'created' && e.type !== 'link_added').map((e) => [e.type, e.field, e.actor?.id])).toEqual([
        ['comment_added', null, u.W.accountId],
        ['field_changed', 'urgency', u.W.accountId], // urgency 2 x impact 3 is still P3: no priority event
        ['status_changed', 'status', u.W.accountId],
        ['status_changed', 'status', u.G.accountId],
        ['field_changed', 'impact', u.G.accountId],
        ['field_changed', 'priority', u.G.accountId],
      ]);
    });

    it('a watcher with submit access replies to the ticket it watches, and loses it when no longer watching', async () => {
      const res = await t.http.post(`/api/tickets/${T1}/comments`).set(auth(u.watcher)).send({ body: 'Même souci chez nous' });
      expect(res.status).toBe(201);
      // A submitter may stop watching by itself.
      expect((await t.http.delete(`/api/tickets/${T1}/watchers/${u.watcher.accountId}`).set(auth(u.watcher))).status).toBe(204);
      expect((await get('watcher', `/api/tickets/${T1}`)).status).toBe(404);
      expect(((await get('watcher', '/api/tickets')).body as TicketPage).total).toBe(0);
      expect(((await get('watcher', '/api/tickets?q=xylophone')).body as TicketPage).items).toEqual([]);
      // ... and cannot make itself a watcher again of a ticket it no longer sees.
      expect((await t.http.put(`/api/tickets/${T1}/watchers/${u.watcher.accountId}`).set(auth(u.watcher))).status).toBe(404);
    });

    it('the requester cannot add someone else as a watcher, nor anyone without access to the project', async () => {
      const other = await t.http.put(`/api/tickets/${T1}/watchers/${u.S2.accountId}`).set(auth(u.S1));
      expect([other.status, other.body.code]).toEqual([403, 'FORBIDDEN']);
      const outsider = await t.http.put(`/api/tickets/${T1}/watchers/${u.X.accountId}`).set(auth(u.G));
      expect([outsider.status, outsider.body.code, outsider.body.message]).toEqual([400, 'VALIDATION_FAILED', 'This person has no access to the project.']);
      const watchers = await t.sql(`SELECT w.account_id FROM ticket_watchers w JOIN tickets t ON t.id = w.ticket_id WHERE t.key = $1`, [T1]);
      expect(watchers).toEqual([]);
    });
  });
});

describe.each(SEARCH_STRATEGIES)('internal notes in search need read access, not only the right, searching %s', (_strategy, env) => {
  let t: TestApp;

  beforeAll(async () => (t = await TestApp.start(env)));
  afterAll(() => t.stop());

  it('a profile with ticket.internalNotes but submit access finds nothing by the words of an internal note on its own ticket', async () => {
    const admin = await t.admin();
    const space = await t.space('Ministère I');
    await t.project('HNOTE', space.id);
    await t.http
      .post('/api/profiles')
      .set(auth(admin))
      .send({ code: 'notes-reader', nameFr: 'Lecteur de notes', nameEn: 'Notes reader', rights: ['ticket.internalNotes'] })
      .expect(201);
    const submitter = await t.user('submitter@i.example.test', 'notes-reader');
    await t.grant('HNOTE', submitter.accountId, 'submit');
    const created = await t.http
      .post('/api/tickets')
      .set(auth(submitter))
      .send({ projectKey: 'HNOTE', kind: 'request', title: 'Accès au portail' })
      .expect(201);
    await t.http.post(`/api/tickets/${created.body.key}/comments`).set(auth(admin)).send({ body: 'Zanzibar confidentiel', visibility: 'internal' }).expect(201);
    expect((await t.http.get('/api/tickets?q=zanzibar').set(auth(submitter))).body.total).toBe(0);
    expect((await t.http.get('/api/tickets?q=zanzibar').set(auth(admin))).body.total).toBe(1);
    await t.grant('HNOTE', submitter.accountId, 'read');
    expect((await t.http.get('/api/tickets?q=zanzibar').set(auth(submitter))).body.total).toBe(1);
  });
});
