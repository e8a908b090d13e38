import { IN_APP_KINDS, type InAppNotificationList, type Ticket } from '@guichet/contracts';
import { auth, type Session, TestApp } from '../../test/test-app';
import { SmtpSink } from '../../test/mail/smtp-sink';
import { InAppNotifications } from './in-app-notifications';
import { NotificationSender } from './notification-sender';

/**
 * The bell (issue 18 point 7): who is notified in the app, never someone who cannot see the
 * ticket, each as his preferences say; email follows the email preferences.
 */
describe('in-app notifications', () => {
  let t: TestApp;
  let sink: SmtpSink;
  const u = {} as Record<'requester' | 'julie' | 'marc' | 'gilles' | 'outsider', Session>;
  let ticket: Ticket;
  let spaceA: string;
  const drain = async () => {
    await t.app.get(InAppNotifications).drain();
    await t.app.get(NotificationSender).drain();
  };
  const bell = async (who: Session): Promise<InAppNotificationList> => {
    const res = await t.http.get('/api/me/notifications').set(auth(who));
    expect(res.status).toBe(200);
    return res.body as InAppNotificationList;
  };
  const kinds = async (who: Session, key: string) =>
    (await bell(who)).items
      .filter((n) => n.ticketKey === key)
      .map((n) => n.kind)
      .sort();

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await TestApp.start({ MAIL_TLS_VERIFY: 'false' });
    const A = await t.space('Ministère A');
    spaceA = A.id;
    const B = await t.space('Agence B');
    await t.project('BELL', A.id);
    await t.project('AUTR', B.id);
    u.requester = await t.user('rachid@a.example.test', 'beneficiary', 'Rachid Demandeur');
    u.outsider = await t.user('sonia@a.example.test', 'beneficiary', 'Sonia Voisine');
    u.julie = await t.user('julie@provider.example.test', 'agent', 'Julie Martin');
    u.marc = await t.user('marc@provider.example.test', 'agent', 'Marc Petit');
    u.gilles = await t.user('gilles@provider.example.test', 'agent', 'Gilles Agent B');
    await t.grant('BELL', u.requester.accountId, 'submit');
    await t.grant('BELL', u.outsider.accountId, 'submit');
    await t.joinSpace(A.id, u.julie.accountId);
    await t.joinSpace(A.id, u.marc.accountId);
    await t.joinSpace(B.id, u.gilles.accountId);
    await t.http
      .put('/api/mail/smtp')
      .set(auth(await t.admin()))
      .send(sink.settings())
      .expect(200);
    ticket = await t.ticket(u.requester, { projectKey: 'BELL', title: 'Imprimante du 2e étage' });
    await drain();
  });
  afterAll(async () => {
    await Promise.all([t?.stop(), sink?.stop()]);
  });

  it('a new ticket rings the agents serving its space, not those of another space nor its author', async () => {
    expect(await kinds(u.julie, ticket.key)).toEqual(['new_ticket']);
    expect(await kinds(u.marc, ticket.key)).toEqual(['new_ticket']);
    expect((await bell(u.gilles)).items).toEqual([]);
    expect(await t.sql(`SELECT 1 FROM in_app_notifications WHERE account_id = $1`, [u.gilles.accountId])).toEqual([]);
    expect(await kinds(u.requester, ticket.key)).toEqual([]);
    const julie = await bell(u.julie);
    expect(julie.unread).toBe(1);
    expect(julie.items[0]).toMatchObject({
      ticketTitle: 'Imprimante du 2e étage',
      actor: { id: u.requester.accountId, displayName: 'Rachid Demandeur' },
      readAt: null,
    });
  });

  it('a reply rings its followers and whom it mentions, never someone who cannot see the ticket', async () => {
    await t.http
      .post(`/api/tickets/${ticket.key}/comments`)
      .set(auth(u.julie))
      .send({ body: 'Je regarde avec @Marc Petit, et @Gilles Agent B ou @Sonia Voisine.' })
      .expect(201);
    await drain();
    expect(await kinds(u.requester, ticket.key)).toEqual(['public_reply']);
    expect(await kinds(u.marc, ticket.key)).toEqual(['mention', 'new_ticket']);
    // Mentioned, but in another space / without access to this ticket: nothing, anywhere, not even a hidden row.
    expect((await bell(u.gilles)).items).toEqual([]);
    expect((await bell(u.outsider)).items).toEqual([]);
    const recorded = await t.sql(`SELECT account_id FROM in_app_notifications WHERE account_id = ANY($1::uuid[])`, [
      [u.gilles.accountId, u.outsider.accountId],
    ]);
    expect(recorded).toEqual([]);
    expect(await kinds(u.julie, ticket.key)).toEqual(['new_ticket']);
  });

  it('an assignment rings the assignee', async () => {
    await t.http.patch(`/api/tickets/${ticket.key}`).set(auth(u.julie)).send({ assigneeId: u.marc.accountId }).expect(200);
    await drain();
    expect(await kinds(u.marc, ticket.key)).toEqual(['assigned', 'mention', 'new_ticket']);
  });

  it('marks one read, then all; another account\u2019s notification is not found', async () => {
    const before = await bell(u.marc);
    expect(before.unread).toBe(3);
    await t.http.post(`/api/me/notifications/${before.items[0]!.id}/read`).set(auth(u.marc)).expect(204);
    expect((await bell(u.marc)).unread).toBe(2);
    await t.http.post(`/api/me/notifications/${before.items[1]!.id}/read`).set(auth(u.julie)).expect(404);
    await t.http.post(`/api/me/notifications/not-a-number/read`).set(auth(u.julie)).expect(404);
    await t.http.post('/api/me/notifications/read-all').set(auth(u.marc)).expect(204);
    const after = await bell(u.marc);
    expect(after.unread).toBe(0);
    expect(after.items.every((n) => n.readAt !== null)).toBe(true);
  });

  it('honours the preferences: in-app only means no email, email only means no bell', async () => {
    // The requester keeps replies in the app only; Marc (assignee) keeps them by email only.
    await t.http.patch('/api/me').set(auth(u.requester)).send({ notifyOn: [] }).expect(200);
    const prefs = await t.http
      .put('/api/me/notification-preferences')
      .set(auth(u.marc))
      .send({ inApp: ['new_ticket'] });
    expect(prefs.status).toBe(200);
    expect(prefs.body).toEqual({ inApp: ['new_ticket'] });
    expect((await t.http.get('/api/me/notification-preferences').set(auth(u.marc))).body).toEqual({ inApp: ['new_ticket'] });
    expect(
      (
        await t.http
          .put('/api/me/notification-preferences')
          .set(auth(u.marc))
          .send({ inApp: ['everything'] })
      ).status,
    ).toBe(400);

    const reply = await t.http.post(`/api/tickets/${ticket.key}/comments`).set(auth(u.julie)).send({ body: 'Toner commandé.' }).expect(201);
    await drain();
    const mails = await t.sql<{ to_address: string }>(`SELECT to_address FROM outbound_messages WHERE comment_id = $1 ORDER BY id`, [reply.body.id]);
    const addresses = mails.map((m) => m.to_address);
    expect(addresses).not.toContain('rachid@a.example.test');
    expect(addresses).toContain('marc@provider.example.test');
    expect((await kinds(u.requester, ticket.key)).filter((k) => k === 'public_reply')).toHaveLength(2);
    expect((await bell(u.marc)).items.filter((n) => n.kind === 'public_reply')).toEqual([]);
  });

  it('a notification about a ticket one may no longer see leaves the list and the count', async () => {
    const watched = await t.ticket(u.julie, {
      projectKey: 'BELL',
      title: 'Accès au partage',
      requesterId: u.requester.accountId,
      watcherIds: [u.outsider.accountId],
    });
    await t.http.post(`/api/tickets/${watched.key}/comments`).set(auth(u.julie)).send({ body: 'Droits ajoutés.' }).expect(201);
    await drain();
    expect(await kinds(u.outsider, watched.key)).toEqual(['public_reply']);
    await t.http
      .delete(`/api/tickets/${watched.key}/watchers/${u.outsider.accountId}`)
      .set(auth(u.julie))
      .expect((r) => expect(r.status).toBeLessThan(300));
    const bellAfter = await bell(u.outsider);
    expect(bellAfter.items.filter((n) => n.ticketKey === watched.key)).toEqual([]);
    expect(bellAfter.unread).toBe(0);
  });

  it('a follower who lost access to the project is not notified: no row is recorded for him', async () => {
    const followed = await t.ticket(u.julie, {
      projectKey: 'BELL',
      title: 'Scanner bloqué',
      requesterId: u.requester.accountId,
      watcherIds: [u.outsider.accountId],
    });
    await drain();
    const admin = await t.admin();
    const revoked = await t.http.delete(`/api/projects/BELL/members/${u.outsider.accountId}`).set(auth(admin));
    expect(revoked.status).toBeLessThan(300);
    await t.http.post(`/api/tickets/${followed.key}/comments`).set(auth(u.julie)).send({ body: 'Scanner redémarré.' }).expect(201);
    await drain();
    // Still a watcher on the ticket, but he may no longer see it.
    expect(await t.sql(`SELECT 1 FROM in_app_notifications WHERE account_id = $1 AND ticket_id = $2`, [u.outsider.accountId, followed.id])).toEqual([]);
    expect(await kinds(u.requester, followed.key)).toEqual(['public_reply']);
  });

  it('an assignment to a group rings its members, not the other agents of the space', async () => {
    const admin = await t.admin();
    // An earlier test left Marc with new tickets only in his bell.
    await t.http
      .put('/api/me/notification-preferences')
      .set(auth(u.marc))
      .send({ inApp: [...IN_APP_KINDS] })
      .expect(200);
    const nina = await t.user('nina@provider.example.test', 'agent', 'Nina Hors Groupe');
    await t.joinSpace(spaceA, nina.accountId);
    const group = await t.http.post(`/api/spaces/${spaceA}/support-groups`).set(auth(admin)).send({ name: 'Pôle Internet' }).expect(201);
    await t.http.put(`/api/support-groups/${group.body.id}/members/${u.marc.accountId}`).set(auth(admin)).expect(200);
    const other = await t.ticket(u.requester, { projectKey: 'BELL', title: 'Site inaccessible' });
    await drain();
    await t.http.patch(`/api/tickets/${other.key}`).set(auth(u.julie)).send({ groupId: group.body.id }).expect(200);
    await drain();
    expect((await kinds(u.marc, other.key)).filter((k) => k === 'assigned')).toEqual(['assigned']);
    expect(await kinds(nina, other.key)).not.toContain('assigned');
    expect(await kinds(u.gilles, other.key)).toEqual([]);
  });

  it('an internal note rings those it mentions who may read it, never the requester, and mails nobody', async () => {
    const note = await t.ticket(u.requester, { projectKey: 'BELL', title: 'Disque plein' });
    await drain();
    const mailsBefore = (await sink.messages()).length;
    await t.http
      .post(`/api/tickets/${note.key}/comments`)
      .set(auth(u.julie))
      .send({ body: 'Voir avec @Marc Petit avant de répondre à @Rachid Demandeur.', visibility: 'internal' })
      .expect(201);
    await drain();
    expect(await kinds(u.marc, note.key)).toContain('mention');
    expect(await kinds(u.requester, note.key)).toEqual([]);
    expect(
      await t.sql(`SELECT 1 FROM in_app_notifications n JOIN tickets t ON t.id = n.ticket_id WHERE t.key = $1 AND n.account_id = $2`, [
        note.key,
        u.requester.accountId,
      ]),
    ).toEqual([]);
    expect((await sink.messages()).length).toBe(mailsBefore);
  });
});
