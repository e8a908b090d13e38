import { type HistoryEvent, priorityOf, type SupportGroup, type Ticket, type TicketAssignees, type TicketPage } from '@guichet/contracts';
import { auth, type Session, TestApp } from '../../test/test-app';

/**
 * Triage (issue 18 point 2): support groups per space, who a ticket may be given to, each change
 * journaled, taking in charge, and what the requester is told of. Two spaces, so that nothing of
 * one is offered or accepted in the other.
 */
describe('triage', () => {
  let t: TestApp;
  let admin: Session;
  let agent: Session;
  let colleague: Session;
  let otherAgent: Session;
  let manager: Session;
  let customer: Session;
  let writer: Session;
  let spaceA: string;
  let spaceB: string;
  let groupB: SupportGroup;

  beforeAll(async () => {
    t = await TestApp.start();
    spaceA = (await t.space('Ministère Tri')).id;
    spaceB = (await t.space('Agence Tri')).id;
    await t.project('HTRI', spaceA);
    await t.project('BTRI', spaceB);
    admin = await t.admin();
    agent = await t.user('agent@tri.example.test', 'agent', 'Gaëlle Agent');
    colleague = await t.user('collegue@tri.example.test', 'agent', 'Julie Martin');
    otherAgent = await t.user('autre@tri.example.test', 'agent', 'Bruno Ailleurs');
    manager = await t.user('manager@tri.example.test', 'manager', 'Maud Responsable');
    customer = await t.user('client@tri.example.test', 'beneficiary', 'Sacha Client');
    writer = await t.user('redacteur@tri.example.test', 'beneficiary', 'Wassim Rédacteur');
    for (const who of [agent, colleague, manager]) await t.joinSpace(spaceA, who.accountId);
    await t.joinSpace(spaceB, otherAgent.accountId);
    await t.grant('HTRI', customer.accountId, 'submit');
    await t.grant('HTRI', writer.accountId, 'write');
    groupB = (await t.http.post(`/api/spaces/${spaceB}/support-groups`).set(auth(admin)).send({ name: 'Exploitation' }).expect(201)).body as SupportGroup;
  }, 60000);
  afterAll(() => t.stop());

  const history = async (key: string) => (await t.http.get(`/api/tickets/${key}/history`).set(auth(agent))).body as HistoryEvent[];
  const row = async (key: string) => (await t.sql(`SELECT status, assignee_id, group_id, priority, updated_at FROM tickets WHERE key = $1`, [key]))[0];
  const notices = async (ticketId: string) =>
    (
      await t.sql<{ event: string }>(`SELECT payload->>'event' AS event FROM jobs WHERE queue = 'notify.event' AND payload->>'ticketId' = $1 ORDER BY id`, [
        ticketId,
      ])
    ).map((r) => r.event);

  describe('support groups', () => {
    let group: SupportGroup;

    it('are created and managed by space managers, with members of the space’s support team only', async () => {
      const created = await t.http.post(`/api/spaces/${spaceA}/support-groups`).set(auth(admin)).send({ name: '  Pôle Internet ' });
      expect(created.status).toBe(201);
      group = created.body as SupportGroup;
      expect(group).toEqual({ id: expect.any(String), spaceId: spaceA, name: 'Pôle Internet', members: [] });
      const duplicate = await t.http.post(`/api/spaces/${spaceA}/support-groups`).set(auth(admin)).send({ name: 'pôle internet' });
      expect(duplicate.status).toBe(409);
      // The same name in another space is another group.
      expect((await t.http.post(`/api/spaces/${spaceB}/support-groups`).set(auth(admin)).send({ name: 'Pôle Internet' })).status).toBe(201);
      // An agent serves the space but does not manage it.
      expect((await t.http.post(`/api/spaces/${spaceA}/support-groups`).set(auth(agent)).send({ name: 'Autre' })).status).toBe(403);

      const added = await t.http.put(`/api/support-groups/${group.id}/members/${colleague.accountId}`).set(auth(admin));
      expect(added.status).toBe(200);
      expect((added.body as SupportGroup).members.map((m) => m.id)).toEqual([colleague.accountId]);
      // An agent of another space, a customer, a manager who does not act on tickets: refused, nothing written.
      for (const who of [otherAgent, customer, writer, manager]) {
        const refused = await t.http.put(`/api/support-groups/${group.id}/members/${who.accountId}`).set(auth(admin));
        expect([who.accountId, refused.status, refused.body.code]).toEqual([who.accountId, 400, 'VALIDATION_FAILED']);
      }
      expect(await t.sql(`SELECT account_id FROM support_group_members WHERE group_id = $1`, [group.id])).toEqual([{ account_id: colleague.accountId }]);
    });

    it('offer as members, and list, only the space’s support team and groups; another space’s are not found', async () => {
      const team = (await t.http.get(`/api/spaces/${spaceA}/support-team`).set(auth(agent))).body as { id: string }[];
      expect(team.map((p) => p.id).sort()).toEqual([admin.accountId, agent.accountId, colleague.accountId].sort());
      const searched = (await t.http.get(`/api/spaces/${spaceA}/support-team?q=julie`).set(auth(agent))).body as { id: string }[];
      expect(searched.map((p) => p.id)).toEqual([colleague.accountId]);
      const listed = (await t.http.get(`/api/spaces/${spaceA}/support-groups`).set(auth(agent))).body as SupportGroup[];
      expect(listed.map((g) => g.name)).toEqual(['Pôle Internet']);
      // The other space's agent does not reach space A at all; a customer of it is not of its team.
      expect((await t.http.get(`/api/spaces/${spaceA}/support-groups`).set(auth(otherAgent))).status).toBe(404);
      expect((await t.http.get(`/api/spaces/${spaceA}/support-team`).set(auth(otherAgent))).status).toBe(404);
      expect((await t.http.get(`/api/spaces/${spaceA}/support-groups`).set(auth(customer))).status).toBe(403);
      // Managing groups is the space managers' business, not the agents'.
      expect((await t.http.patch(`/api/support-groups/${groupB.id}`).set(auth(agent)).send({ name: 'x' })).status).toBe(403);
    });

    it('are renamed and deleted; a deleted group is no longer offered', async () => {
      const temp = (await t.http.post(`/api/spaces/${spaceA}/support-groups`).set(auth(admin)).send({ name: 'Temporaire' })).body as SupportGroup;
      const renamed = await t.http.patch(`/api/support-groups/${temp.id}`).set(auth(admin)).send({ name: 'Passager' });
      expect([renamed.status, renamed.body.name]).toEqual([200, 'Passager']);
      expect((await t.http.delete(`/api/support-groups/${temp.id}`).set(auth(admin))).status).toBe(204);
      const listed = (await t.http.get(`/api/spaces/${spaceA}/support-groups`).set(auth(admin))).body as SupportGroup[];
      expect(listed.map((g) => g.name)).toEqual(['Pôle Internet']);
      expect((await t.http.delete(`/api/support-groups/${temp.id}`).set(auth(admin))).status).toBe(404);
      const ticket = await t.ticket(customer, { projectKey: 'HTRI', title: 'Groupe supprimé' });
      const refused = await t.http.patch(`/api/tickets/${ticket.key}`).set(auth(agent)).send({ groupId: temp.id });
      expect(refused.status).toBe(400);
    });
  });

  describe('assignees', () => {
    it('offers the space’s support team, the project’s writers and the space’s groups only', async () => {
      const ticket = await t.ticket(customer, { projectKey: 'HTRI', title: 'Qui peut la prendre ?' });
      const res = await t.http.get(`/api/tickets/${ticket.key}/assignees`).set(auth(agent));
      expect(res.status).toBe(200);
      const offered = res.body as TicketAssignees;
      expect(offered.people.map((p) => p.id).sort()).toEqual([admin.accountId, agent.accountId, colleague.accountId, writer.accountId].sort());
      expect(offered.groups.map((g) => g.name)).toEqual(['Pôle Internet']);
      const searched = (await t.http.get(`/api/tickets/${ticket.key}/assignees?q=MARTIN`).set(auth(agent))).body as TicketAssignees;
      expect(searched.people.map((p) => p.displayName)).toEqual(['Julie Martin']);
      expect(searched.groups).toEqual([]);
      const byGroup = (await t.http.get(`/api/tickets/${ticket.key}/assignees?q=internet`).set(auth(agent))).body as TicketAssignees;
      expect([byGroup.people, byGroup.groups.map((g) => g.name)]).toEqual([[], ['Pôle Internet']]);
      // In the other space, the other team and groups.
      const other = await t.ticket(otherAgent, { projectKey: 'BTRI', title: 'Ailleurs' });
      const there = (await t.http.get(`/api/tickets/${other.key}/assignees`).set(auth(otherAgent))).body as TicketAssignees;
      expect(there.people.map((p) => p.id).sort()).toEqual([admin.accountId, otherAgent.accountId].sort());
      expect(there.groups.map((g) => g.name).sort()).toEqual(['Exploitation', 'Pôle Internet']);
      expect(there.groups.every((g) => g.id !== offered.groups[0]!.id)).toBe(true);
      // The picker and the assignment agree: everyone offered is accepted, the others refused.
      for (const person of offered.people) {
        const res = await t.http.patch(`/api/tickets/${ticket.key}`).set(auth(agent)).send({ assigneeId: person.id });
        expect([person.displayName, res.status]).toEqual([person.displayName, 200]);
      }
      for (const who of [manager, customer, otherAgent]) {
        expect((await t.http.patch(`/api/tickets/${ticket.key}`).set(auth(agent)).send({ assigneeId: who.accountId })).status).toBe(400);
      }
      // Who cannot act on the ticket gets no list; who cannot see it, not found.
      expect((await t.http.get(`/api/tickets/${ticket.key}/assignees`).set(auth(customer))).status).toBe(403);
      expect((await t.http.get(`/api/tickets/${ticket.key}/assignees`).set(auth(manager))).status).toBe(403);
      expect((await t.http.get(`/api/tickets/${other.key}/assignees`).set(auth(agent))).status).toBe(404);
    });

    it('refuses a group or an assignee of another space, and leaves the ticket unchanged', async () => {
      const ticket = await t.ticket(customer, { projectKey: 'HTRI', title: 'Isolée' });
      const before = await row(ticket.key);
      const events = (await history(ticket.key)).length;
      for (const body of [{ groupId: groupB.id }, { assigneeId: otherAgent.accountId }, { groupId: groupB.id, urgency: 1 }]) {
        const res = await t.http.patch(`/api/tickets/${ticket.key}`).set(auth(agent)).send(body);
        expect([JSON.stringify(body), res.status, res.body.code]).toEqual([JSON.stringify(body), 400, 'VALIDATION_FAILED']);
      }
      expect(await row(ticket.key)).toEqual(before);
      expect((await history(ticket.key)).length).toBe(events);
      expect(await notices(ticket.id)).toEqual(['created']);
    });
  });

  describe('changes', () => {
    it('each give their history event; priority follows; a new incident is taken in charge; the requester is told what matters', async () => {
      const ticket = await t.ticket(customer, { projectKey: 'HTRI', title: 'Site lent', urgency: 3, impact: 3 });
      const [group] = (await t.http.get(`/api/spaces/${spaceA}/support-groups`).set(auth(agent))).body as SupportGroup[];
      const res = await t.http.patch(`/api/tickets/${ticket.key}`).set(auth(agent)).send({ groupId: group!.id, urgency: 1 });
      expect(res.status).toBe(200);
      const after = res.body as Ticket;
      expect([after.status, after.group, after.assignee, after.priority]).toEqual([
        'assigned',
        { id: group!.id, name: 'Pôle Internet' },
        null,
        priorityOf(1, 3),
      ]);
      const added = (await history(ticket.key)).slice(1);
      expect(added.map((e) => [e.type, e.field, e.before, e.after, e.actor?.id])).toEqual([
        ['field_changed', 'urgency', 3, 1, agent.accountId],
        ['field_changed', 'priority', 3, priorityOf(1, 3), agent.accountId],
        ['field_changed', 'group', null, { id: group!.id, name: 'Pôle Internet' }, agent.accountId],
        ['status_changed', 'status', 'new', 'assigned', agent.accountId],
      ]);
      expect(await notices(ticket.id)).toEqual(['created', 'assigned', 'priority_changed']);

      // A person as well as the group; already assigned, the status stays.
      await t.http.patch(`/api/tickets/${ticket.key}`).set(auth(agent)).send({ assigneeId: colleague.accountId }).expect(200);
      expect((await row(ticket.key))?.['status']).toBe('assigned');
      expect((await history(ticket.key)).pop()).toMatchObject({ type: 'field_changed', field: 'assignee', after: colleague.accountId });
      // Typology and title are the team's business: journaled, not mailed.
      const quiet = await t.http.patch(`/api/tickets/${ticket.key}`).set(auth(agent)).send({ typology: 'correction', title: 'Site très lent' });
      expect(quiet.status).toBe(200);
      expect((await history(ticket.key)).slice(-2).map((e) => [e.field, e.after])).toEqual([
        ['title', 'Site très lent'],
        ['typology', 'correction'],
      ]);
      expect(await notices(ticket.id)).toEqual(['created', 'assigned', 'priority_changed', 'assigned']);
      // Clearing the group is journaled, and takes nothing back.
      await t.http.patch(`/api/tickets/${ticket.key}`).set(auth(agent)).send({ groupId: null }).expect(200);
      expect((await history(ticket.key)).pop()).toMatchObject({ field: 'group', before: { id: group!.id, name: 'Pôle Internet' }, after: null });
      expect(await row(ticket.key)).toMatchObject({ status: 'assigned', group_id: null });
    });

    it('takes in charge only from the first status, and only where the workflow has an "assigned" status', async () => {
      const problem = await t.ticket(agent, { projectKey: 'HTRI', kind: 'problem', title: 'Lenteurs récurrentes' });
      await t.http.patch(`/api/tickets/${problem.key}`).set(auth(agent)).send({ assigneeId: agent.accountId }).expect(200);
      expect((await row(problem.key))?.['status']).toBe('new');
      const started = await t.ticket(customer, { projectKey: 'HTRI', kind: 'request', title: 'Déjà en cours' });
      await t.move(agent, started.key, 'assigned');
      await t.move(agent, started.key, 'in_progress');
      await t.http.patch(`/api/tickets/${started.key}`).set(auth(agent)).send({ assigneeId: agent.accountId }).expect(200);
      expect((await row(started.key))?.['status']).toBe('in_progress');
      const request = await t.ticket(customer, { projectKey: 'HTRI', kind: 'request', title: 'Nouvelle demande' });
      await t.http.patch(`/api/tickets/${request.key}`).set(auth(agent)).send({ assigneeId: colleague.accountId }).expect(200);
      expect((await history(request.key)).pop()).toMatchObject({ type: 'status_changed', before: 'new', after: 'assigned' });
      // Opened with someone in charge (an agent taking a call): taken in charge at once; a problem stays new.
      const phoned = await t.ticket(agent, { projectKey: 'HTRI', kind: 'request', title: 'Appel reçu', assigneeId: colleague.accountId });
      expect((await row(phoned.key))?.['status']).toBe('assigned');
      const studied = await t.ticket(agent, { projectKey: 'HTRI', kind: 'problem', title: 'À étudier', assigneeId: colleague.accountId });
      expect((await row(studied.key))?.['status']).toBe('new');
      // Unassigning a new ticket is no taking in charge.
      const plain = await t.ticket(customer, { projectKey: 'HTRI', title: 'Sans suite' });
      await t.http.patch(`/api/tickets/${plain.key}`).set(auth(agent)).send({ assigneeId: null, groupId: null }).expect(200);
      expect((await row(plain.key))?.['status']).toBe('new');
    });

    it('keeps when the support team first acted on a ticket, and only that first time', async () => {
      const takenAt = async (key: string) =>
        (await t.sql<{ taken: Date | null }>(`SELECT taken_in_charge_at AS taken FROM tickets WHERE key = $1`, [key]))[0]?.taken ?? null;
      const historyAt = async (key: string) => (await history(key)).pop()!.at;
      const ticket = await t.ticket(customer, { projectKey: 'HTRI', title: 'Qui s’en occupe ?' });
      // The requester's own reply, a colleague's internal note and a cleared assignment are not the team acting.
      await t.http.post(`/api/tickets/${ticket.key}/comments`).set(auth(customer)).send({ body: 'Toujours rien' }).expect(201);
      await t.http.post(`/api/tickets/${ticket.key}/comments`).set(auth(agent)).send({ body: 'À voir', visibility: 'internal' }).expect(201);
      await t.http.patch(`/api/tickets/${ticket.key}`).set(auth(agent)).send({ assigneeId: null }).expect(200);
      expect(await takenAt(ticket.key)).toBeNull();
      // A public reply of the team is; a later assignment moves nothing.
      await t.http.post(`/api/tickets/${ticket.key}/comments`).set(auth(agent)).send({ body: 'Nous regardons.' }).expect(201);
      const first = await takenAt(ticket.key);
      expect(first?.toISOString()).toBe(new Date(await historyAt(ticket.key)).toISOString());
      await t.http.patch(`/api/tickets/${ticket.key}`).set(auth(agent)).send({ assigneeId: colleague.accountId }).expect(200);
      expect(await takenAt(ticket.key)).toEqual(first);

      // An assignment alone, or a status move, takes a ticket in charge too.
      const assigned = await t.ticket(customer, { projectKey: 'HTRI', title: 'Assignée' });
      await t.http.patch(`/api/tickets/${assigned.key}`).set(auth(agent)).send({ assigneeId: agent.accountId }).expect(200);
      expect(await takenAt(assigned.key)).not.toBeNull();
      const moved = await t.ticket(customer, { projectKey: 'HTRI', kind: 'request', title: 'Déplacée' });
      expect(await takenAt(moved.key)).toBeNull();
      await t.move(agent, moved.key, 'assigned');
      expect(await takenAt(moved.key)).not.toBeNull();
    });

    it('lists and filters tickets by group, only within what the user sees', async () => {
      // A group of its own, so that no other test's ticket is in it.
      const group = (await t.http.post(`/api/spaces/${spaceA}/support-groups`).set(auth(admin)).send({ name: 'Filtre' })).body as SupportGroup;
      const ticket = await t.ticket(customer, { projectKey: 'HTRI', title: 'Filtrée par groupe' });
      await t.http.patch(`/api/tickets/${ticket.key}`).set(auth(agent)).send({ groupId: group.id }).expect(200);
      const page = (await t.http.get(`/api/tickets?group=${group.id}`).set(auth(agent))).body as TicketPage;
      expect(page.items.map((i) => [i.key, i.group?.name])).toEqual([[ticket.key, 'Filtre']]);
      const searched = (await t.http.get(`/api/tickets?group=${group.id}&q=filtrée`).set(auth(agent))).body as TicketPage;
      expect(searched.items.map((i) => [i.key, i.group?.name])).toEqual([[ticket.key, 'Filtre']]);
      expect(((await t.http.get(`/api/tickets?group=${group!.id}`).set(auth(otherAgent))).body as TicketPage).items).toEqual([]);
      expect((await t.http.get(`/api/tickets?group=nope`).set(auth(agent))).status).toBe(400);
    });

    it('watchers other than oneself are added by the team, only people who may see the ticket', async () => {
      const ticket = await t.ticket(customer, { projectKey: 'HTRI', title: 'Observée' });
      // The picker offers whoever has access to the project, and the write agrees with it.
      const candidates = (await t.http.get(`/api/tickets/${ticket.key}/watcher-candidates`).set(auth(agent))).body as { id: string }[];
      const everyoneOfA = [admin, agent, colleague, manager, customer, writer].map((s) => s.accountId);
      expect(candidates.map((c) => c.id).sort()).toEqual(everyoneOfA.sort());
      const other = await t.ticket(customer, { projectKey: 'HTRI', title: 'Observée par tous' });
      for (const id of everyoneOfA) expect((await t.http.put(`/api/tickets/${other.key}/watchers/${id}`).set(auth(agent))).status).toBe(200);
      expect((await t.http.get(`/api/tickets/${ticket.key}/watcher-candidates?q=bruno`).set(auth(agent))).body).toEqual([]);
      expect((await t.http.get(`/api/tickets/${ticket.key}/watcher-candidates`).set(auth(customer))).status).toBe(403);
      expect((await t.http.put(`/api/tickets/${ticket.key}/watchers/${colleague.accountId}`).set(auth(agent))).status).toBe(200);
      const outsider = await t.http.put(`/api/tickets/${ticket.key}/watchers/${otherAgent.accountId}`).set(auth(agent));
      expect(outsider.status).toBe(400);
      expect((await t.http.delete(`/api/tickets/${ticket.key}/watchers/${colleague.accountId}`).set(auth(agent))).status).toBe(204);
      expect((await history(ticket.key)).slice(-2).map((e) => e.type)).toEqual(['watcher_added', 'watcher_removed']);
    });
  });
});
