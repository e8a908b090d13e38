import {
  ALL_STATUSES,
  allowedTransitions,
  CUSTOMER_TRANSITIONS,
  type HistoryEvent,
  initialStatus,
  isClosedStatus,
  isResolvedStatus,
  type Level,
  LEVELS,
  needsResolutionText,
  openableKinds,
  priorityOf,
  type Ticket,
  TICKET_KINDS,
  type TicketKind,
  WORKFLOWS,
} from '@guichet/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auth, type Session, TestApp } from '../../test/test-app';

/**
 * The workflow of each kind (R1.2) as the API enforces it: every move of WORKFLOWS is
 * accepted, every other one is refused without touching the ticket, the resolved/closed
 * timestamps follow the status, and customers make exactly the moves of CUSTOMER_TRANSITIONS.
 */

/** Shortest path of allowed moves from the initial status to each status of the kind. */
function pathsFrom(kind: TicketKind): Map<string, string[]> {
  const start = initialStatus(kind);
  const paths = new Map<string, string[]>([[start, []]]);
  const queue = [start];
  while (queue.length) {
    const from = queue.shift()!;
    for (const to of allowedTransitions(kind, from)) {
      if (paths.has(to)) continue;
      paths.set(to, [...paths.get(from)!, to]);
      queue.push(to);
    }
  }
  return paths;
}

const PATHS = Object.fromEntries(TICKET_KINDS.map((k) => [k, pathsFrom(k)])) as Record<TicketKind, Map<string, string[]>>;

const MOVES = TICKET_KINDS.flatMap((kind) =>
  WORKFLOWS[kind].statuses.flatMap((from) => allowedTransitions(kind, from).map((to) => [kind, from, to] as [TicketKind, string, string])),
);
const STATES = TICKET_KINDS.flatMap((kind) => WORKFLOWS[kind].statuses.map((status) => [kind, status] as [TicketKind, string]));
const CUSTOMER_MOVES = TICKET_KINDS.flatMap((kind) =>
  Object.entries(CUSTOMER_TRANSITIONS[kind]).flatMap(([from, tos]) => tos.map((to) => [kind, from, to] as [TicketKind, string, string])),
);

/** Targets that pass the DTO but name no move, and targets the DTO itself refuses. */
const FOREIGN = (kind: TicketKind) => ALL_STATUSES.filter((s) => !WORKFLOWS[kind].statuses.includes(s));
const WELL_FORMED_GARBAGE = ['no_such_status', 'reopened'];
const MALFORMED = ['', 'IN_PROGRESS', 'in progress', "closed'; DROP TABLE tickets; --", 'x'.repeat(41), 42, null, ['closed']];

const RESOLUTION = 'Cause trouvée et corrigée.';

/** Every move that resolves a kind whose resolution is explained (incident, request, problem). */
const RESOLVING_MOVES = MOVES.filter(([kind, from, to]) => needsResolutionText(kind, from, to));

/** Moves that skipped steps, removed after review (docs/workflows.md, "Moves that skip steps"). */
const REMOVED_SKIPS: [TicketKind, string, string][] = [
  ['incident', 'new', 'in_progress'],
  ['incident', 'new', 'resolved'],
  ['request', 'new', 'in_progress'],
  ['request', 'new', 'resolved'],
];

interface Row {
  status: string;
  is_closed: boolean;
  resolved_at: Date | null;
  closed_at: Date | null;
  updated_at: Date;
}

describe('ticket workflows', () => {
  let t: TestApp;
  let agent: Session;
  let requester: Session;
  let watcher: Session;
  let reader: Session;

  beforeAll(async () => {
    t = await TestApp.start();
    const space = await t.space('Ministère W');
    await t.project('HWEB', space.id);
    agent = await t.user('agent@provider.example.test', 'agent', 'Gaëlle Agent');
    requester = await t.user('requester@w.example.test', 'beneficiary', 'Sacha Demandeur');
    watcher = await t.user('watcher@w.example.test', 'beneficiary', 'Wanda Observatrice');
    reader = await t.user('reader@w.example.test', 'beneficiary', 'Rémi Lecteur');
    await t.joinSpace(space.id, agent.accountId);
    await t.grant('HWEB', requester.accountId, 'submit');
    await t.grant('HWEB', watcher.accountId, 'submit');
    await t.grant('HWEB', reader.accountId, 'read');
  }, 60000);
  afterAll(() => t.stop());

  /**
   * A ticket of `kind` requested by the requester (opened by the agent for him when the kind is the
   * support team's) and moved by the agent into `status` along allowed moves, resolving with a text.
   */
  async function ticketIn(kind: TicketKind, status: string, extra: Record<string, unknown> = {}): Promise<Ticket> {
    const path = PATHS[kind].get(status);
    if (!path) throw new Error(`${kind}: ${status} is unreachable`);
    const body = { projectKey: 'HWEB', kind, title: `${kind} vers ${status}`, ...extra };
    let ticket = openableKinds([]).includes(kind) ? await t.ticket(requester, body) : await t.ticket(agent, { ...body, requesterId: requester.accountId });
    for (const step of path) {
      ticket = await t.move(agent, ticket.key, step, needsResolutionText(kind, ticket.status, step) ? RESOLUTION : undefined);
    }
    expect(ticket.status).toBe(status);
    return ticket;
  }

  async function row(key: string): Promise<Row> {
    return (await t.sql<Row>(`SELECT status, is_closed, resolved_at, closed_at, updated_at FROM tickets WHERE key = $1`, [key]))[0]!;
  }

  async function events(key: string): Promise<unknown[]> {
    return t.sql(
      `SELECT e.id, e.type, e.field, e.before, e.after, e.actor_id FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.key = $1 ORDER BY e.id`,
      [key],
    );
  }

  async function replies(key: string): Promise<{ id: string; body: string; solution: boolean }[]> {
    return t.sql(`SELECT c.id, c.body, c.solution FROM ticket_comments c JOIN tickets t ON t.id = c.ticket_id WHERE t.key = $1 ORDER BY c.created_at, c.id`, [
      key,
    ]);
  }

  async function history(key: string, who: Session = agent): Promise<HistoryEvent[]> {
    const res = await t.http.get(`/api/tickets/${key}/history`).set(auth(who));
    expect(res.status).toBe(200);
    return res.body as HistoryEvent[];
  }

  it('every status of every kind is reachable from the initial status along allowed moves', () => {
    for (const kind of TICKET_KINDS) {
      expect({ kind, reachable: [...PATHS[kind].keys()].sort() }).toEqual({ kind, reachable: [...WORKFLOWS[kind].statuses].sort() });
      // Every move names statuses of its own kind.
      for (const [from, tos] of Object.entries(WORKFLOWS[kind].transitions)) {
        expect(WORKFLOWS[kind].statuses).toContain(from);
        for (const to of tos) expect(WORKFLOWS[kind].statuses).toContain(to);
      }
      // Customer moves are a subset of the workflow.
      for (const [from, tos] of Object.entries(CUSTOMER_TRANSITIONS[kind])) {
        for (const to of tos) expect({ kind, from, to, allowed: allowedTransitions(kind, from).includes(to) }).toEqual({ kind, from, to, allowed: true });
      }
    }
  });

  it.each(TICKET_KINDS)('a new %s starts in the first status of its workflow, with no resolution or closing date', async (kind) => {
    const ticket = await ticketIn(kind, initialStatus(kind));
    expect(ticket).toMatchObject({ kind, status: initialStatus(kind), resolvedAt: null, closedAt: null });
    expect(await row(ticket.key)).toMatchObject({ status: initialStatus(kind), is_closed: false, resolved_at: null, closed_at: null });
    const agentView = (await t.http.get(`/api/tickets/${ticket.key}`).set(auth(agent))).body as Ticket;
    expect(agentView.transitions).toEqual([...allowedTransitions(kind, initialStatus(kind))]);
  });

  describe('allowed moves (support, write access)', () => {
    it.each(MOVES)('%s: %s -> %s is accepted, journaled, and sets resolved_at/closed_at/is_closed', async (kind, from, to) => {
      const ticket = await ticketIn(kind, from);
      const before = await row(ticket.key);
      const eventsBefore = await events(ticket.key);
      const startedAt = Date.now();
      const resolves = needsResolutionText(kind, from, to);
      const res = await t.http
        .post(`/api/tickets/${ticket.key}/transitions`)
        .set(auth(agent))
        .send(resolves ? { status: to, comment: RESOLUTION } : { status: to });
      expect(res.status).toBe(200);
      const moved = res.body as Ticket;
      expect(moved).toMatchObject({ key: ticket.key, kind, status: to, transitions: [...allowedTransitions(kind, to)] });

      const after = await row(ticket.key);
      expect(after.status).toBe(to);
      expect(after.is_closed).toBe(isClosedStatus(kind, to));
      // resolved_at: set when entering a resolved status, kept while staying in one, cleared when leaving.
      if (!isResolvedStatus(kind, to)) expect(after.resolved_at).toBeNull();
      else if (before.resolved_at) expect(after.resolved_at).toEqual(before.resolved_at);
      else expect(after.resolved_at!.getTime()).toBeGreaterThanOrEqual(startedAt - 1000);
      // closed_at: set on closing, cleared on reopening.
      if (isClosedStatus(kind, to)) expect(after.closed_at!.getTime()).toBeGreaterThanOrEqual(startedAt - 1000);
      else expect(after.closed_at).toBeNull();
      expect(moved.resolvedAt).toBe(after.resolved_at ? after.resolved_at.toISOString() : null);
      expect(moved.closedAt).toBe(after.closed_at ? after.closed_at.toISOString() : null);
      expect(after.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());

      // Exactly one new status entry, with actor, before and after (and the resolution text's reply).
      const journal = await history(ticket.key);
      expect(journal.slice(eventsBefore.length).map((e) => e.type)).toEqual(resolves ? ['status_changed', 'comment_added'] : ['status_changed']);
      expect(journal[eventsBefore.length]).toMatchObject({
        type: 'status_changed',
        field: 'status',
        before: from,
        after: to,
        actor: { id: agent.accountId, displayName: 'Gaëlle Agent', email: 'agent@provider.example.test' },
      });
    });

    it('resolving then closing keeps the resolution date; reopening clears both dates; resolving again sets a new one', async () => {
      const ticket = await ticketIn('incident', 'in_progress');
      await t.move(agent, ticket.key, 'resolved', RESOLUTION);
      const resolved = await row(ticket.key);
      expect(resolved).toMatchObject({ status: 'resolved', is_closed: false, closed_at: null });
      expect(resolved.resolved_at).not.toBeNull();
      await new Promise((r) => setTimeout(r, 20));
      await t.move(agent, ticket.key, 'closed');
      const closed = await row(ticket.key);
      expect(closed).toMatchObject({ status: 'closed', is_closed: true, resolved_at: resolved.resolved_at });
      expect(closed.closed_at!.getTime()).toBeGreaterThan(resolved.resolved_at!.getTime());
      const reopened = await t.move(agent, ticket.key, 'in_progress');
      expect(reopened).toMatchObject({ status: 'in_progress', resolvedAt: null, closedAt: null });
      expect(await row(ticket.key)).toMatchObject({ status: 'in_progress', is_closed: false, resolved_at: null, closed_at: null });
      await new Promise((r) => setTimeout(r, 20));
      await t.move(agent, ticket.key, 'resolved', RESOLUTION);
      const again = await row(ticket.key);
      expect(again.resolved_at!.getTime()).toBeGreaterThan(closed.closed_at!.getTime());
      // The open filter follows is_closed.
      const open = await t.http.get(`/api/tickets?open=false&project=HWEB`).set(auth(agent));
      expect(open.body.items.map((x: Ticket) => x.key)).not.toContain(ticket.key);
    });

    it('a move may carry a public comment, recorded with the status change', async () => {
      const ticket = await ticketIn('request', 'in_progress');
      const res = await t.http
        .post(`/api/tickets/${ticket.key}/transitions`)
        .set(auth(agent))
        .send({ status: 'resolved', comment: 'Mot de passe réinitialisé.' });
      expect(res.status).toBe(200);
      const timeline = (await t.http.get(`/api/tickets/${ticket.key}/timeline`).set(auth(requester))).body;
      expect(timeline.comments).toEqual([
        expect.objectContaining({ body: 'Mot de passe réinitialisé.', visibility: 'public', author: expect.objectContaining({ id: agent.accountId }) }),
      ]);
      expect(timeline.history.slice(-2).map((e: HistoryEvent) => e.type)).toEqual(['status_changed', 'comment_added']);
    });
  });

  describe('resolution text', () => {
    it('resolving moves exist for incidents, requests and problems only', () => {
      expect([...new Set(RESOLVING_MOVES.map(([kind]) => kind))].sort()).toEqual(['incident', 'problem', 'request']);
    });

    it.each(RESOLVING_MOVES)('%s: %s -> %s without a resolution text is 400, ticket, history and replies unchanged', async (kind, from, to) => {
      const ticket = await ticketIn(kind, from);
      const before = await row(ticket.key);
      const eventsBefore = await events(ticket.key);
      const repliesBefore = await replies(ticket.key);
      for (const body of [{ status: to }, { status: to, comment: '' }, { status: to, comment: '  \n ' }]) {
        const res = await t.http.post(`/api/tickets/${ticket.key}/transitions`).set(auth(agent)).send(body);
        expect({ body, code: res.status, error: res.body.code, message: res.body.message }).toEqual({
          body,
          code: 400,
          error: 'VALIDATION_FAILED',
          message: `Resolving a ${kind} needs a resolution text: say in comment what was done.`,
        });
      }
      expect(await row(ticket.key)).toEqual(before);
      expect(await events(ticket.key)).toEqual(eventsBefore);
      expect(await replies(ticket.key)).toEqual(repliesBefore);
    });

    it('with its text, the resolution is a public reply marked as the solution, seen so by the requester', async () => {
      const ticket = await ticketIn('incident', 'in_progress');
      await t.http.post(`/api/tickets/${ticket.key}/comments`).set(auth(agent)).send({ body: 'Je regarde.' }).expect(201);
      await t.move(agent, ticket.key, 'resolved', 'Certificat renouvelé.');
      const timeline = (await t.http.get(`/api/tickets/${ticket.key}/timeline`).set(auth(requester))).body as { comments: Record<string, unknown>[] };
      expect(timeline.comments.map((c) => [c['body'], c['visibility'], c['solution']])).toEqual([
        ['Je regarde.', 'public', false],
        ['Certificat renouvelé.', 'public', true],
      ]);
      // Closing after it, or a comment on another move, is no new solution.
      await t.move(agent, ticket.key, 'closed', 'Clos après confirmation.');
      expect((await replies(ticket.key)).map((r) => r.solution)).toEqual([false, true, false]);
    });

    it('customers confirming or reopening need no text, as before', async () => {
      const ticket = await ticketIn('request', 'resolved');
      expect((await t.http.post(`/api/tickets/${ticket.key}/transitions`).set(auth(requester)).send({ status: 'in_progress' })).status).toBe(200);
      await t.move(agent, ticket.key, 'resolved', RESOLUTION);
      expect((await t.http.post(`/api/tickets/${ticket.key}/transitions`).set(auth(requester)).send({ status: 'closed' })).status).toBe(200);
      expect((await row(ticket.key)).status).toBe('closed');
    });

    it('changes and deployments reach their resolved statuses without a text', async () => {
      const change = await ticketIn('change', 'scheduled');
      expect((await t.http.post(`/api/tickets/${change.key}/transitions`).set(auth(agent)).send({ status: 'implemented' })).status).toBe(200);
    });
  });

  describe('moves that skip steps, removed after review', () => {
    it.each(REMOVED_SKIPS)('%s: %s -> %s is refused, even with a text, and the ticket stays put', async (kind, from, to) => {
      expect(allowedTransitions(kind, from)).not.toContain(to);
      const ticket = await ticketIn(kind, from);
      const before = await row(ticket.key);
      const res = await t.http.post(`/api/tickets/${ticket.key}/transitions`).set(auth(agent)).send({ status: to, comment: RESOLUTION });
      expect([res.status, res.body.message]).toEqual([400, `A ${kind} cannot go from ${from} to ${to}.`]);
      expect(await row(ticket.key)).toEqual(before);
      expect(await replies(ticket.key)).toEqual([]);
    });

    it.each(['incident', 'request', 'problem'] as const)('a %s opened by mistake or twice is still closed straight from new, with its reason', async (kind) => {
      const ticket = await ticketIn(kind, 'new');
      expect((await t.http.post(`/api/tickets/${ticket.key}/transitions`).set(auth(agent)).send({ status: 'closed' })).status).toBe(400);
      await t.move(agent, ticket.key, 'closed', 'Doublon de la demande précédente.');
      expect(await row(ticket.key)).toMatchObject({ status: 'closed', is_closed: true });
    });
  });

  describe('refused moves', () => {
    it.each(STATES)('%s in %s: every other target is 400 VALIDATION_FAILED and leaves the ticket and its history unchanged', async (kind, from) => {
      const ticket = await ticketIn(kind, from);
      const before = await row(ticket.key);
      const eventsBefore = await events(ticket.key);
      const repliesBefore = await replies(ticket.key);
      const allowed = allowedTransitions(kind, from);
      const notAllowed = WORKFLOWS[kind].statuses.filter((s) => !allowed.includes(s));
      expect(notAllowed).toContain(from); // no move to the same status
      for (const status of [...notAllowed, ...FOREIGN(kind), ...WELL_FORMED_GARBAGE]) {
        const res = await t.http.post(`/api/tickets/${ticket.key}/transitions`).set(auth(agent)).send({ status });
        expect({ status, code: res.status, body: res.body }).toEqual({
          status,
          code: 400,
          body: {
            statusCode: 400,
            code: 'VALIDATION_FAILED',
            message: `A ${kind} cannot go from ${from} to ${status}.`,
            details: [`allowed from ${from}: ${allowed.join(', ') || 'none'}`],
            requestId: expect.any(String),
          },
        });
      }
      for (const status of MALFORMED) {
        const res = await t.http.post(`/api/tickets/${ticket.key}/transitions`).set(auth(agent)).send({ status });
        expect({ status, code: res.status, error: res.body.code }).toEqual({ status, code: 400, error: 'VALIDATION_FAILED' });
      }
      const missing = await t.http.post(`/api/tickets/${ticket.key}/transitions`).set(auth(agent)).send({});
      expect([missing.status, missing.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      const extra = await t.http
        .post(`/api/tickets/${ticket.key}/transitions`)
        .set(auth(agent))
        .send({ status: allowed[0] ?? from, resolvedAt: null });
      expect([extra.status, extra.body.code]).toEqual([400, 'VALIDATION_FAILED']);

      expect(await row(ticket.key)).toEqual(before);
      expect(await events(ticket.key)).toEqual(eventsBefore);
      expect(await replies(ticket.key)).toEqual(repliesBefore);
    });

    it('a refused move with a comment does not record the comment either', async () => {
      const ticket = await ticketIn('change', 'requested');
      const res = await t.http.post(`/api/tickets/${ticket.key}/transitions`).set(auth(agent)).send({ status: 'closed', comment: 'Clôture directe' });
      expect(res.status).toBe(400);
      expect((await t.sql(`SELECT 1 FROM ticket_comments c JOIN tickets t ON t.id = c.ticket_id WHERE t.key = $1`, [ticket.key])).length).toBe(0);
      expect((await row(ticket.key)).status).toBe('requested');
    });
  });

  describe('customer moves (requester or watcher with submit access)', () => {
    it.each(STATES)('%s in %s: the requester is offered and may make exactly the customer moves', async (kind, from) => {
      const customer = CUSTOMER_TRANSITIONS[kind][from] ?? [];
      const ticket = await ticketIn(kind, from);
      const seen = await t.http.get(`/api/tickets/${ticket.key}`).set(auth(requester));
      expect(seen.status).toBe(200);
      expect(seen.body.transitions).toEqual([...customer]);
      expect(seen.body.can).toMatchObject({
        edit: false,
        assign: false,
        transition: customer.length > 0,
        comment: true,
        internalNotes: false,
        timeSpent: false,
      });

      const before = await row(ticket.key);
      const eventsBefore = await events(ticket.key);
      for (const status of WORKFLOWS[kind].statuses.filter((s) => !customer.includes(s))) {
        const res = await t.http.post(`/api/tickets/${ticket.key}/transitions`).set(auth(requester)).send({ status });
        expect({ status, code: res.status, error: res.body.code, details: res.body.details }).toEqual({
          status,
          code: 400,
          error: 'VALIDATION_FAILED',
          details: [`allowed from ${from}: ${customer.join(', ') || 'none'}`],
        });
      }
      expect(await row(ticket.key)).toEqual(before);
      expect(await events(ticket.key)).toEqual(eventsBefore);
    });

    it.each(CUSTOMER_MOVES)('%s: the requester moves %s -> %s', async (kind, from, to) => {
      const ticket = await ticketIn(kind, from);
      const res = await t.http.post(`/api/tickets/${ticket.key}/transitions`).set(auth(requester)).send({ status: to });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: to, transitions: [...(CUSTOMER_TRANSITIONS[kind][to] ?? [])] });
      const after = await row(ticket.key);
      expect(after).toMatchObject({ status: to, is_closed: isClosedStatus(kind, to) });
      expect(after.closed_at === null).toBe(!isClosedStatus(kind, to));
      expect(after.resolved_at === null).toBe(!isResolvedStatus(kind, to));
      const last = (await history(ticket.key, requester)).pop();
      expect(last).toMatchObject({ type: 'status_changed', before: from, after: to, actor: { id: requester.accountId } });
    });

    it('a watcher with submit access makes the customer moves too (confirms a resolution)', async () => {
      const ticket = await ticketIn('incident', 'resolved', { watcherIds: [watcher.accountId] });
      const refused = await t.http.post(`/api/tickets/${ticket.key}/transitions`).set(auth(watcher)).send({ status: 'assigned' });
      expect([refused.status, refused.body.details]).toEqual([400, ['allowed from resolved: closed, in_progress']]);
      const res = await t.http.post(`/api/tickets/${ticket.key}/transitions`).set(auth(watcher)).send({ status: 'closed' });
      expect(res.status).toBe(200);
      expect(await row(ticket.key)).toMatchObject({ status: 'closed', is_closed: true });
    });

    it('a reader who is neither requester nor watcher has no move at all; a submitter who is neither gets 404', async () => {
      const ticket = await ticketIn('incident', 'resolved');
      const seen = await t.http.get(`/api/tickets/${ticket.key}`).set(auth(reader));
      expect(seen.status).toBe(200);
      expect(seen.body.transitions).toEqual([]);
      const res = await t.http.post(`/api/tickets/${ticket.key}/transitions`).set(auth(reader)).send({ status: 'closed' });
      expect([res.status, res.body.code, res.body.details]).toEqual([400, 'VALIDATION_FAILED', ['allowed from resolved: none']]);
      const stranger = await t.http.post(`/api/tickets/${ticket.key}/transitions`).set(auth(watcher)).send({ status: 'closed' });
      expect([stranger.status, stranger.body.code]).toEqual([404, 'NOT_FOUND']);
      expect((await row(ticket.key)).status).toBe('resolved');
    });
  });

  describe('replies and waiting_customer', () => {
    it.each(['incident', 'request'] as const)('the requester replying to a waiting_customer %s puts it back in_progress, journaled as theirs', async (kind) => {
      const ticket = await ticketIn(kind, 'waiting_customer');
      const res = await t.http.post(`/api/tickets/${ticket.key}/comments`).set(auth(requester)).send({ body: 'Voici la capture demandée.' });
      expect(res.status).toBe(201);
      expect(await row(ticket.key)).toMatchObject({ status: 'in_progress', is_closed: false });
      const journal = await history(ticket.key);
      expect(journal.slice(-2)).toEqual([
        expect.objectContaining({ type: 'comment_added', commentId: res.body.id, actor: expect.objectContaining({ id: requester.accountId }) }),
        expect.objectContaining({
          type: 'status_changed',
          before: 'waiting_customer',
          after: 'in_progress',
          actor: expect.objectContaining({ id: requester.accountId }),
        }),
      ]);
    });

    it('an agent reply or internal note, and a watcher reply, leave a waiting_customer ticket waiting', async () => {
      const ticket = await ticketIn('incident', 'waiting_customer', { watcherIds: [watcher.accountId] });
      expect((await t.http.post(`/api/tickets/${ticket.key}/comments`).set(auth(agent)).send({ body: 'Pouvez-vous préciser ?' })).status).toBe(201);
      expect((await t.http.post(`/api/tickets/${ticket.key}/comments`).set(auth(agent)).send({ body: 'Relancer demain', visibility: 'internal' })).status).toBe(
        201,
      );
      expect((await t.http.post(`/api/tickets/${ticket.key}/comments`).set(auth(watcher)).send({ body: 'Je transmets au demandeur.' })).status).toBe(201);
      expect((await row(ticket.key)).status).toBe('waiting_customer');
      const types = (await history(ticket.key)).map((e) => e.type);
      expect(types.filter((x) => x === 'status_changed')).toHaveLength(PATHS.incident.get('waiting_customer')!.length);
    });

    it('a requester reply in any other status does not move the ticket', async () => {
      for (const status of ['in_progress', 'resolved', 'closed']) {
        const ticket = await ticketIn('incident', status);
        expect((await t.http.post(`/api/tickets/${ticket.key}/comments`).set(auth(requester)).send({ body: 'Merci !' })).status).toBe(201);
        expect({ status, now: (await row(ticket.key)).status }).toEqual({ status, now: status });
      }
    });
  });

  describe('docs/workflows.md', () => {
    const doc = readFileSync(join(__dirname, '../../../../docs/workflows.md'), 'utf8');

    /** The section of the doc whose heading names the kind as `kind`. */
    function section(kind: TicketKind): string {
      const parts = doc.split(/^## /m);
      const found = parts.filter((p) => p.split('\n')[0]!.includes(`\`${kind}\``));
      expect({ kind, sections: found.length }).toEqual({ kind, sections: 1 });
      return found[0]!;
    }

    /** Rows of the Markdown table whose header starts with the given cells. */
    function table(text: string, header: string[]): string[][] {
      const lines = text.split('\n');
      const cells = (line: string) =>
        line
          .trim()
          .replace(/^\||\|$/g, '')
          .split('|')
          .map((c) => c.trim().replace(/`/g, ''));
      const start = lines.findIndex((l) => l.trim().startsWith('|') && header.every((h, i) => cells(l)[i]?.toLowerCase() === h));
      expect({ header, found: start >= 0 }).toEqual({ header, found: true });
      const rows: string[][] = [];
      for (const line of lines.slice(start + 2)) {
        if (!line.trim().startsWith('|')) break;
        rows.push(cells(line));
      }
      return rows;
    }

    it.each(TICKET_KINDS)('lists exactly the statuses of %s, in order, with their French label and resolved and closed flags', (kind) => {
      const rows = table(section(kind), ['status']);
      expect(rows.map((r) => r[0])).toEqual([...WORKFLOWS[kind].statuses]);
      const head = section(kind)
        .split('\n')
        .find((l) => /^\|\s*status\s*\|/i.test(l))!;
      const cols = head
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((c) => c.trim().toLowerCase());
      // The French labels are the web client's.
      const fr = readFileSync(join(__dirname, '../../../web/src/app/core/i18n/fr.ts'), 'utf8');
      const frenchCol = cols.indexOf('french label');
      expect(frenchCol).toBeGreaterThan(0);
      for (const r of rows) {
        const label = new RegExp(`'status\\.${r[0]}': '([^']+)'`).exec(fr)?.[1];
        expect({ status: r[0], french: r[frenchCol] }).toEqual({ status: r[0], french: label });
      }
      const resolvedCol = cols.indexOf('resolved');
      const closedCol = cols.indexOf('closed');
      expect(resolvedCol).toBeGreaterThan(0);
      expect(closedCol).toBeGreaterThan(0);
      for (const r of rows) {
        expect({ status: r[0], resolved: r[resolvedCol] === 'yes', closed: r[closedCol] === 'yes' }).toEqual({
          status: r[0],
          resolved: isResolvedStatus(kind, r[0]!),
          closed: isClosedStatus(kind, r[0]!),
        });
      }
    });

    it.each(TICKET_KINDS)('lists exactly the transitions of %s, and who may make each', (kind) => {
      const rows = table(section(kind), ['from', 'to']);
      const documented = rows.map((r) => `${r[0]} -> ${r[1]}`).sort();
      const expected = Object.entries(WORKFLOWS[kind].transitions)
        .flatMap(([from, tos]) => tos.map((to) => `${from} -> ${to}`))
        .sort();
      expect(documented).toEqual(expected);
      for (const [from, to, who] of rows) {
        const customer = (CUSTOMER_TRANSITIONS[kind][from!] ?? []).includes(to!);
        expect({ move: `${from} -> ${to}`, customer: /requester/i.test(who ?? '') }).toEqual({ move: `${from} -> ${to}`, customer });
      }
    });

    it.each(TICKET_KINDS)('draws the same transitions of %s in its Mermaid state diagram', (kind) => {
      const block = /```mermaid\n([\s\S]*?)```/.exec(section(kind));
      expect(block).not.toBeNull();
      const arrows = [...block![1]!.matchAll(/^\s*([a-z_]+)\s*-->\s*([a-z_]+)/gm)].map((m) => `${m[1]} -> ${m[2]}`).sort();
      const expected = Object.entries(WORKFLOWS[kind].transitions)
        .flatMap(([from, tos]) => tos.map((to) => `${from} -> ${to}`))
        .sort();
      expect(arrows).toEqual(expected);
      expect(block![1]).toContain(`[*] --> ${initialStatus(kind)}`);
    });

    it('gives the same priority matrix as priorityOf', () => {
      const rows = table(doc, ['urgency \\ impact']);
      expect(rows.map((r) => r[0]!.replace(/\*/g, ''))).toEqual(['1', '2', '3', '4']);
      for (const urgency of LEVELS) {
        expect(rows[urgency - 1]!.slice(1)).toEqual(LEVELS.map((impact) => `P${priorityOf(urgency as Level, impact as Level)}`));
      }
    });
  });
});
