import type { Comment, Mailbox, TicketLink } from '@guichet/contracts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Test } from 'supertest';
import { auth, multipart, type Session, TestApp } from '../../test/test-app';
import { FILE_STORE, type FileStore } from '../storage/file-store';

/**
 * No write touches an object the user cannot see (R2.6, ADR 0018). Every write route of the
 * OpenAPI document is tried by every profile and access level, naming objects of another project
 * and of another space: each answer must be the one given for an object that does not exist, and
 * the database must not change. A write route is either tried here or listed in NAMES_NOTHING_HIDDEN
 * with the reason why it cannot name a hidden object.
 */

/**
 * Submit, read and write grants on HWEB; an agent and a manager serving space A; administrators
 * of space A (serving it) and of HWEB only (by a grant), without platform.allSpaces. The
 * administrator of the platform sees everything: nothing is hidden from him.
 */
type Who = 'submitter' | 'reader' | 'writer' | 'agent' | 'manager' | 'spaceDesk' | 'projectDesk';
const WHO: Who[] = ['submitter', 'reader', 'writer', 'agent', 'manager', 'spaceDesk', 'projectDesk'];

/** Where a hidden object lies: a project of the user's space he has no access to, or a space he is not in. */
type Place = 'otherProject' | 'otherSpace';
const PLACES: Place[] = ['otherProject', 'otherSpace'];
/** Who serves space A, and so sees its other project. */
const SERVES_SPACE_A: Who[] = ['agent', 'manager', 'spaceDesk'];

/**
 * What a route names. LOCATED kinds lie in a place (a link and a reply with their ticket, a mailbox
 * where it delivers, a review message with its mailbox, a notification with its ticket) and are
 * hidden only from those who do not see it; the others are rows tied to hidden tickets, projects
 * or spaces (or a person without access to the ticket's project), never reachable through the path.
 */
type Kind =
  | 'ticket'
  | 'project'
  | 'space'
  | 'link'
  | 'comment'
  | 'mailbox'
  | 'reviewItem'
  | 'outbound'
  | 'account'
  | 'watcher'
  | 'projectMember'
  | 'spaceMember'
  | 'apiToken'
  | 'view'
  | 'supportGroup'
  | 'cannedReply'
  | 'attachment'
  | 'cmdbItem'
  | 'cmdbRelation'
  | 'deposit';
const LOCATED: Kind[] = [
  'ticket',
  'project',
  'space',
  'link',
  'comment',
  'mailbox',
  'reviewItem',
  'outbound',
  'view',
  'supportGroup',
  'cannedReply',
  'attachment',
  'cmdbItem',
  'cmdbRelation',
  'deposit',
];

const NO_ID = '00000000-0000-4000-8000-000000000000';
/** An object of each kind that does not exist. */
const MISSING: Record<Kind, string> = {
  ticket: 'HWEB-99999',
  project: 'ZZZZ',
  space: NO_ID,
  link: NO_ID,
  comment: NO_ID,
  mailbox: NO_ID,
  reviewItem: NO_ID,
  outbound: NO_ID,
  account: NO_ID,
  watcher: NO_ID,
  projectMember: NO_ID,
  spaceMember: NO_ID,
  apiToken: NO_ID,
  view: NO_ID,
  supportGroup: NO_ID,
  cannedReply: NO_ID,
  deposit: NO_ID,
  attachment: NO_ID,
  cmdbItem: NO_ID,
  cmdbRelation: NO_ID,
};

interface Case {
  /** What the route names, in words. */
  names: string;
  kind: Kind;
  /** The request, naming `value` where the route names this object. */
  send: (who: Who, value: string) => Test;
}

/** Write routes that name no object of a project or space, and why. */
const NAMES_NOTHING_HIDDEN: Record<string, string> = {
  'POST /api/auth/login': 'public: the caller’s own credentials',
  'POST /api/auth/refresh': 'public: the caller’s own session',
  'POST /api/auth/logout': 'public: the caller’s own session',
  'POST /api/auth/password': 'the caller’s own password',
  'POST /api/auth/password-reset': 'public: a link names its account itself',
  'POST /api/auth/password-check': 'public: writes nothing',
  'POST /api/auth/password-forgotten': 'public: names an address, never an object; the answer is the same for every address',
  'POST /api/auth/reset-link': 'public: a link names its account itself; writes nothing',
  'PATCH /api/me': 'the caller’s own account',
  'POST /api/me/tokens': 'the caller’s own account',
  'PUT /api/me/notification-preferences': 'the caller’s own account',
  'POST /api/me/notifications/read-all': 'the caller’s own notifications',
  'POST /api/me/notifications/{id}/read': 'the caller’s own notifications: another account’s is not found (notifications/in-app.integration-spec.ts)',
  'POST /api/accounts': 'accounts and profiles are not partitioned by space (docs/security.md)',
  'PATCH /api/accounts/{id}': 'accounts and profiles are not partitioned by space (docs/security.md)',
  'POST /api/accounts/{id}/password-reset': 'accounts are not partitioned by space (docs/security.md)',
  'POST /api/profiles': 'profiles are not partitioned by space',
  'POST /api/exports':
    'its filters select among the tickets the caller sees, in the list’s own SQL; its file is the caller’s (exports/exports.integration-spec.ts)',
  'POST /api/tickets/preview': 'renders the caller’s own text: names no object and writes nothing',
  'POST /api/tickets/bulk/{id}/undo': 'the caller’s own last bulk action (another’s is missing); each ticket is looked up again as by the action',
  'PATCH /api/profiles/{id}': 'profiles are not partitioned by space',
  'DELETE /api/profiles/{id}': 'profiles are not partitioned by space',
  'POST /api/spaces': 'creates a space; names no other',
  'PUT /api/mail/smtp': 'platform settings (mail.manage)',
  'POST /api/mail/smtp/test': 'platform settings (mail.manage)',
  'DELETE /api/mail/addresses/{address}': 'bounce counters of addresses, platform-wide (mail.manage)',
  'POST /api/cmdb/types': 'item types are platform-wide (cmdb.manage, ADR 0035)',
  'PATCH /api/cmdb/types/{id}': 'item types are platform-wide (cmdb.manage, ADR 0035)',
  'DELETE /api/cmdb/types/{id}': 'item types are platform-wide (cmdb.manage, ADR 0035)',
  'POST /api/calendars': 'business calendars are platform settings, not partitioned by space (calendars.manage)',
  'PATCH /api/calendars/{id}': 'business calendars are platform settings, not partitioned by space (calendars.manage)',
  'DELETE /api/calendars/{id}': 'business calendars are platform settings, not partitioned by space (calendars.manage)',
};

describe('no write touches an object the user cannot see', () => {
  let t: TestApp;
  let filesDir: string;
  const u = {} as Record<Who, Session>;
  let admin: Session;
  let spaceA: string;
  let spaceB: string;
  /** The HWEB ticket each user opened: the path of the routes that name a second object. */
  const own = {} as Record<Who, string>;
  /** The hidden objects, by place (links: by user, below). */
  const hidden = {} as Record<Exclude<Kind, 'link'>, Partial<Record<Place, string>>>;
  /** Links from each user's own ticket to the hidden tickets. */
  const links = {} as Record<Who, Record<Place, string>>;
  /** The reply of each hidden ticket, by key. */
  const commentOf: Record<string, string> = {};
  /** The person watching each hidden ticket, or member of each hidden project or space, by key or id. */
  const involvedIn: Record<string, string> = {};
  let mailbox: string;
  let reviewItem: string;
  /** A support group of space A, which every user of the matrix reaches. */
  let groupA: string;
  /** A configuration item of HWEB. */
  let cmdbItemA: string;
  let writeOperations: string[];

  beforeAll(async () => {
    filesDir = mkdtempSync(join(tmpdir(), 'guichet-writes-'));
    t = await TestApp.start({ FILES_DIR: filesDir });
    admin = await t.admin();
    spaceA = (await t.space('Ministère A')).id;
    spaceB = (await t.space('Agence B')).id;
    await t.project('HWEB', spaceA);
    await t.project('HOTH', spaceA);
    await t.project('BWEB', spaceB);
    for (const [code, rights] of [
      ['space-desk', ['ticket.seeOthers', 'ticket.actOnOthers', 'ticket.internalNotes', 'ticket.timeSpent', 'spaces.manage', 'access.manage', 'mail.manage']],
      ['project-desk', ['ticket.internalNotes', 'ticket.timeSpent', 'spaces.manage', 'access.manage', 'mail.manage']],
    ] as const) {
      const res = await t.http.post('/api/profiles').set(auth(admin)).send({ code, nameFr: code, nameEn: code, rights });
      expect(res.status).toBe(201);
    }
    u.submitter = await t.user('submitter@a.example.test');
    u.reader = await t.user('reader@a.example.test');
    u.writer = await t.user('writer@a.example.test');
    u.agent = await t.user('agent@provider.example.test', 'agent');
    u.manager = await t.user('manager@a.example.test', 'manager');
    u.spaceDesk = await t.user('space-desk@a.example.test', 'space-desk');
    u.projectDesk = await t.user('project-desk@a.example.test', 'project-desk');
    const inOther = await t.user('other@a.example.test');
    const inB = await t.user('user@b.example.test');
    await t.grant('HWEB', u.submitter.accountId, 'submit');
    await t.grant('HWEB', u.reader.accountId, 'read');
    await t.grant('HWEB', u.writer.accountId, 'write');
    await t.grant('HWEB', u.projectDesk.accountId, 'write');
    for (const who of SERVES_SPACE_A) await t.joinSpace(spaceA, u[who].accountId);
    await t.grant('HOTH', inOther.accountId, 'write');
    await t.grant('BWEB', inB.accountId, 'write');

    const hoth = (await t.ticket(admin, { projectKey: 'HOTH', title: 'Autre projet' })).key;
    const bweb = (await t.ticket(admin, { projectKey: 'BWEB', title: 'Autre espace' })).key;
    for (const [key, watcher] of [
      [hoth, inOther.accountId],
      [bweb, inB.accountId],
    ] as const) {
      const reply = await t.http.post(`/api/tickets/${key}/comments`).set(auth(admin)).send({ body: 'Réponse cachée' });
      commentOf[key] = (reply.body as Comment).id;
      expect((await t.http.put(`/api/tickets/${key}/watchers/${watcher}`).set(auth(admin))).status).toBe(200);
      involvedIn[key] = watcher;
    }
    involvedIn['HOTH'] = inOther.accountId;
    involvedIn['BWEB'] = inB.accountId;
    involvedIn[spaceB] = inB.accountId;
    for (const who of WHO) {
      own[who] = (await t.ticket(u[who], { projectKey: 'HWEB', title: `Ticket de ${who}` })).key;
      links[who] = {} as Record<Place, string>;
      for (const [place, key] of [
        ['otherProject', hoth],
        ['otherSpace', bweb],
      ] as const) {
        const res = await t.http.post(`/api/tickets/${own[who]}/links`).set(auth(admin)).send({ type: 'relates_to', targetKey: key });
        links[who][place] = (res.body as TicketLink[]).find((l) => l.ticket.key === key)!.id;
      }
    }
    const tokenOf = async (s: Session) => (await t.http.get('/api/me/tokens').set(auth(s))).body[0].id as string;
    await t.apiToken(inOther);
    await t.apiToken(inB);
    Object.assign(hidden, {
      ticket: { otherProject: hoth, otherSpace: bweb },
      project: { otherProject: 'HOTH', otherSpace: 'BWEB' },
      space: { otherSpace: spaceB },
      comment: { otherProject: commentOf[hoth], otherSpace: commentOf[bweb] },
      account: { otherProject: inOther.accountId, otherSpace: inB.accountId },
      watcher: { otherProject: inOther.accountId, otherSpace: inB.accountId },
      projectMember: { otherProject: inOther.accountId, otherSpace: inB.accountId },
      // A member of space A only through a project the user does not see is still a member of A,
      // which he manages (ADR 0004): removing him from A is his call.
      spaceMember: { otherSpace: inB.accountId },
      apiToken: { otherProject: await tokenOf(inOther), otherSpace: await tokenOf(inB) },
      // A group lies in its space, and every project of it: only another space's is hidden.
      supportGroup: { otherSpace: (await t.http.post(`/api/spaces/${spaceB}/support-groups`).set(auth(admin)).send({ name: 'Exploitation B' })).body.id },
    });
    groupA = (await t.http.post(`/api/spaces/${spaceA}/support-groups`).set(auth(admin)).send({ name: 'Pôle A' })).body.id;

    // Saved views shared where the user is not: with the other project of space A, and with space B.
    const sharedView = async (body: Record<string, unknown>) => {
      const res = await t.http
        .post('/api/views')
        .set(auth(admin))
        .send({ name: 'Vue partagée', query: { open: true }, ...body });
      expect(res.status).toBe(201);
      return (res.body as { id: string }).id;
    };
    hidden.view = {
      otherProject: await sharedView({ sharedWith: 'project', projectKey: 'HOTH' }),
      otherSpace: await sharedView({ sharedWith: 'space', spaceId: spaceB }),
    };

    // A canned reply lies in its space: one of space B is hidden from whoever does not serve B.
    const canned = await t.http.post('/api/canned-replies').set(auth(admin)).send({ name: 'Réponse B', body: 'Bonjour', spaceId: spaceB });
    expect(canned.status).toBe(201);
    hidden.cannedReply = { otherSpace: (canned.body as { id: string }).id };

    // Deposits lie in their project: one of HOTH and one of BWEB, named through HWEB's address.
    const deposit = async (projectKey: string) => {
      const form = multipart(deposited('Dépôt caché'));
      const res = await t.http.post(`/api/projects/${projectKey}/deposits`).set(auth(admin)).set('Content-Type', form.contentType).send(form.body);
      expect(res.status).toBe(201);
      return (res.body as { id: string }).id;
    };
    hidden.deposit = { otherProject: await deposit('HOTH'), otherSpace: await deposit('BWEB') };
    // A quarantined attachment (found infected) lies with its ticket; an administrator may delete it where he sees it.
    const quarantined = async (key: string) => {
      const res = await upload('admin', key);
      expect(res.status).toBe(201);
      const id = (res.body as { id: string }[])[0]!.id;
      await t.sql(`UPDATE file_scans SET status = 'infected', signature = 'Test.Signature' WHERE file_key = $1`, [id]);
      return id;
    };
    hidden.attachment = { otherProject: await quarantined(hoth), otherSpace: await quarantined(bweb) };

    // Configuration items lie in their project; a relation with its items. One of HWEB, seen by all, to change and relate.
    const cmdbItem = async (project: string, name: string) => {
      const res = await t.http.post('/api/cmdb/items').set(auth(admin)).send({ project, type: 'server', name });
      expect(res.status).toBe(201);
      return (res.body as { id: string }).id;
    };
    cmdbItemA = await cmdbItem('HWEB', 'srv-hweb');
    hidden.cmdbItem = { otherProject: await cmdbItem('HOTH', 'srv-hoth'), otherSpace: await cmdbItem('BWEB', 'srv-bweb') };
    const cmdbRelation = async (project: string, to: string) => {
      const res = await t.http
        .post('/api/cmdb/relations')
        .set(auth(admin))
        .send({ fromId: await cmdbItem(project, `app-${project}`), toId: to, kind: 'runs_on' });
      expect(res.status).toBe(201);
      return (res.body as { id: string }).id;
    };
    hidden.cmdbRelation = {
      otherProject: await cmdbRelation('HOTH', hidden.cmdbItem.otherProject!),
      otherSpace: await cmdbRelation('BWEB', hidden.cmdbItem.otherSpace!),
    };

    const box = await t.http
      .post('/api/mail/mailboxes')
      .set(auth(admin))
      .send(mailboxBody('Support', { defaultProjectKey: 'HWEB' }));
    expect(box.status).toBe(201);
    mailbox = (box.body as Mailbox).id;
    // A mailbox feeding a project is located there: hidden where the project is.
    const feeding = async (name: string, extra: Record<string, unknown>) => {
      const res = await t.http.post('/api/mail/mailboxes').set(auth(admin)).send(mailboxBody(name, extra));
      expect(res.status).toBe(201);
      return (res.body as Mailbox).id;
    };
    hidden.mailbox = {
      otherProject: await feeding('Autre projet', { defaultProjectKey: 'HOTH' }),
      otherSpace: await feeding('Autre espace', { defaultProjectKey: 'HWEB', routes: [{ address: 'b@example.test', projectKey: 'BWEB' }] }),
    };
    reviewItem = await pendingMessage('review-1', null);
    // Messages wait for review where their mailbox delivers; notifications belong to their ticket.
    hidden.reviewItem = {
      otherProject: await pendingMessage('review-2', hidden.mailbox.otherProject!),
      otherSpace: await pendingMessage('review-3', hidden.mailbox.otherSpace!),
    };
    const failedNotice = async (key: string) =>
      (
        await t.sql<{ id: string }>(
          `INSERT INTO outbound_messages (message_id, ticket_id, to_address, kind, subject, status, last_error)
           SELECT 'notice-' || t.key || '@guichet.test', t.id, 'someone@example.test', 'public_reply', t.key, 'failed', 'refused' FROM tickets t WHERE t.key = $1
           RETURNING id`,
          [key],
        )
      )[0]!.id;
    hidden.outbound = { otherProject: await failedNotice(hoth), otherSpace: await failedNotice(bweb) };

    const doc = (await t.http.get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    writeOperations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => ['post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
  }, 120000);
  afterAll(async () => {
    await t.stop();
    rmSync(filesDir, { recursive: true, force: true });
  });

  /** A message waiting in the review queue, as ingestion leaves it. */
  async function pendingMessage(name: string, mailboxId: string | null): Promise<string> {
    const raw = `From: marie@example.test\r\nTo: support@example.test\r\nSubject: Imprimante\r\nMessage-ID: <${name}@example.test>\r\n\r\nElle ne marche plus.\r\n`;
    await t.app.get<FileStore>(FILE_STORE).put(`raw-${name}`, Readable.from([Buffer.from(raw)]));
    const rows = await t.sql<{ id: string }>(
      `INSERT INTO inbound_messages (message_id, mailbox_id, from_address, subject, outcome, reason, raw_key, review_status, size)
       VALUES ($1, $2, 'marie@example.test', 'Imprimante', 'review', 'unknown sender', $3, 'pending', $4) RETURNING id`,
      [`${name}@example.test`, mailboxId, `raw-${name}`, raw.length],
    );
    return rows[0]!.id;
  }

  function mailboxBody(name: string, extra: Record<string, unknown>): Record<string, unknown> {
    // Port 1: nothing listens there, should a test of the connection ever be made.
    return { name, host: '127.0.0.1', port: 1, security: 'none', username: 'support@example.test', password: 'secret', ...extra };
  }

  const as = (who: Who) => auth(u[who]);
  const linkOf = (who: Who, key: string) =>
    key === hidden.ticket.otherProject ? links[who].otherProject : key === hidden.ticket.otherSpace ? links[who].otherSpace : NO_ID;
  const upload = (who: Who | 'admin', key: string, commentId?: string) => {
    const form = multipart([
      { name: 'file', filename: 'note.txt', contentType: 'text/plain', content: 'contenu' },
      ...(commentId ? [{ name: 'commentId', content: commentId }] : []),
    ]);
    return t.http
      .post(`/api/tickets/${key}/attachments`)
      .set(who === 'admin' ? auth(admin) : as(who))
      .set('Content-Type', form.contentType)
      .send(form.body);
  };

  function deposited(title: string, ticket?: string) {
    return [
      { name: 'title', content: title },
      { name: 'category', content: 'script' },
      { name: 'environment', content: 'production' },
      ...(ticket ? [{ name: 'ticket', content: ticket }] : []),
      { name: 'file', filename: 'script.sh', content: '#!/bin/sh\n' },
    ];
  }
  const deposit = (who: Who, key: string, ticket?: string) => {
    const form = multipart(deposited('Livraison', ticket));
    return t.http.post(`/api/projects/${key}/deposits`).set(as(who)).set('Content-Type', form.contentType).send(form.body);
  };

  const cmdbImport = (who: Who, key: string, csv: string) => {
    const form = multipart([{ name: 'file', filename: 'items.csv', contentType: 'text/csv', content: csv }]);
    return t.http.post(`/api/cmdb/import?project=${key}`).set(as(who)).set('Content-Type', form.contentType).send(form.body);
  };

  /** Every write route that names an object of a project or space, with each object it names. */
  const CASES: Record<string, Case[]> = {
    'POST /api/views': [
      {
        names: 'the space shared with',
        kind: 'space',
        send: (w, v) => t.http.post('/api/views').set(as(w)).send({ name: 'Ma vue', query: {}, sharedWith: 'space', spaceId: v }),
      },
      {
        names: 'the project shared with',
        kind: 'project',
        send: (w, v) => t.http.post('/api/views').set(as(w)).send({ name: 'Ma vue', query: {}, sharedWith: 'project', projectKey: v }),
      },
    ],
    'PATCH /api/views/{id}': [{ names: 'the view', kind: 'view', send: (w, v) => t.http.patch(`/api/views/${v}`).set(as(w)).send({ name: 'Renommée' }) }],
    'DELETE /api/views/{id}': [{ names: 'the view', kind: 'view', send: (w, v) => t.http.delete(`/api/views/${v}`).set(as(w)) }],
    'POST /api/tickets': [
      { names: 'its project', kind: 'project', send: (w, v) => t.http.post('/api/tickets').set(as(w)).send({ projectKey: v, kind: 'incident', title: 'x' }) },
      {
        names: 'its requester',
        kind: 'account',
        send: (w, v) => t.http.post('/api/tickets').set(as(w)).send({ projectKey: 'HWEB', kind: 'incident', title: 'x', requesterId: v }),
      },
      {
        names: 'its assignee',
        kind: 'account',
        send: (w, v) => t.http.post('/api/tickets').set(as(w)).send({ projectKey: 'HWEB', kind: 'incident', title: 'x', assigneeId: v }),
      },
      {
        names: 'a watcher',
        kind: 'account',
        send: (w, v) =>
          t.http
            .post('/api/tickets')
            .set(as(w))
            .send({ projectKey: 'HWEB', kind: 'incident', title: 'x', watcherIds: [v] }),
      },
    ],
    'PATCH /api/tickets/{key}': [
      { names: 'the ticket', kind: 'ticket', send: (w, v) => t.http.patch(`/api/tickets/${v}`).set(as(w)).send({ title: 'Changé' }) },
      { names: 'the assignee', kind: 'account', send: (w, v) => t.http.patch(`/api/tickets/${own[w]}`).set(as(w)).send({ assigneeId: v }) },
      { names: 'the group', kind: 'supportGroup', send: (w, v) => t.http.patch(`/api/tickets/${own[w]}`).set(as(w)).send({ groupId: v }) },
    ],
    'POST /api/spaces/{id}/support-groups': [
      { names: 'the space', kind: 'space', send: (w, v) => t.http.post(`/api/spaces/${v}/support-groups`).set(as(w)).send({ name: 'Nouveau pôle' }) },
    ],
    'PATCH /api/support-groups/{id}': [
      { names: 'the group', kind: 'supportGroup', send: (w, v) => t.http.patch(`/api/support-groups/${v}`).set(as(w)).send({ name: 'Renommé' }) },
    ],
    'DELETE /api/support-groups/{id}': [{ names: 'the group', kind: 'supportGroup', send: (w, v) => t.http.delete(`/api/support-groups/${v}`).set(as(w)) }],
    'PUT /api/support-groups/{id}/members/{accountId}': [
      { names: 'the group', kind: 'supportGroup', send: (w, v) => t.http.put(`/api/support-groups/${v}/members/${u.agent.accountId}`).set(as(w)) },
      { names: 'the member', kind: 'account', send: (w, v) => t.http.put(`/api/support-groups/${groupA}/members/${v}`).set(as(w)) },
    ],
    'DELETE /api/support-groups/{id}/members/{accountId}': [
      { names: 'the group', kind: 'supportGroup', send: (w, v) => t.http.delete(`/api/support-groups/${v}/members/${u.agent.accountId}`).set(as(w)) },
      { names: 'the member', kind: 'account', send: (w, v) => t.http.delete(`/api/support-groups/${groupA}/members/${v}`).set(as(w)) },
    ],
    // A bulk action naming only tickets the user may not touch answers as one naming a missing ticket.
    'POST /api/tickets/bulk': [
      {
        names: 'the ticket',
        kind: 'ticket',
        send: (w, v) =>
          t.http
            .post('/api/tickets/bulk')
            .set(as(w))
            .send({ keys: [v], update: { title: 'Changé' } }),
      },
      {
        names: 'the ticket',
        kind: 'ticket',
        send: (w, v) =>
          t.http
            .post('/api/tickets/bulk')
            .set(as(w))
            .send({ keys: [v], status: 'in_progress' }),
      },
      {
        names: 'the ticket',
        kind: 'ticket',
        send: (w, v) =>
          t.http
            .post('/api/tickets/bulk')
            .set(as(w))
            .send({ keys: [v], comment: { body: 'Réponse', visibility: 'public' } }),
      },
    ],
    'POST /api/tickets/{key}/transitions': [
      { names: 'the ticket', kind: 'ticket', send: (w, v) => t.http.post(`/api/tickets/${v}/transitions`).set(as(w)).send({ status: 'in_progress' }) },
    ],
    'POST /api/tickets/{key}/comments': [
      { names: 'the ticket', kind: 'ticket', send: (w, v) => t.http.post(`/api/tickets/${v}/comments`).set(as(w)).send({ body: 'Réponse' }) },
    ],
    'POST /api/tickets/{key}/read': [{ names: 'the ticket', kind: 'ticket', send: (w, v) => t.http.post(`/api/tickets/${v}/read`).set(as(w)) }],
    'POST /api/tickets/{key}/composing': [
      { names: 'the ticket', kind: 'ticket', send: (w, v) => t.http.post(`/api/tickets/${v}/composing`).set(as(w)).send({ internal: false }) },
    ],
    'PATCH /api/tickets/{key}/comments/{id}': [
      {
        names: 'the ticket',
        kind: 'ticket',
        send: (w, v) =>
          t.http
            .patch(`/api/tickets/${v}/comments/${commentOf[v] ?? NO_ID}`)
            .set(as(w))
            .send({ body: 'Modifiée' }),
      },
      { names: 'the reply', kind: 'comment', send: (w, v) => t.http.patch(`/api/tickets/${own[w]}/comments/${v}`).set(as(w)).send({ body: 'Modifiée' }) },
    ],
    'PUT /api/tickets/{key}/watchers/{accountId}': [
      { names: 'the ticket', kind: 'ticket', send: (w, v) => t.http.put(`/api/tickets/${v}/watchers/${u[w].accountId}`).set(as(w)) },
      { names: 'the watcher', kind: 'account', send: (w, v) => t.http.put(`/api/tickets/${own[w]}/watchers/${v}`).set(as(w)) },
    ],
    'DELETE /api/tickets/{key}/watchers/{accountId}': [
      { names: 'the ticket', kind: 'ticket', send: (w, v) => t.http.delete(`/api/tickets/${v}/watchers/${involvedIn[v] ?? NO_ID}`).set(as(w)) },
      { names: 'the watcher', kind: 'watcher', send: (w, v) => t.http.delete(`/api/tickets/${own[w]}/watchers/${v}`).set(as(w)) },
    ],
    'POST /api/tickets/{key}/links': [
      { names: 'the ticket', kind: 'ticket', send: (w, v) => t.http.post(`/api/tickets/${v}/links`).set(as(w)).send({ type: 'causes', targetKey: own[w] }) },
      { names: 'the target', kind: 'ticket', send: (w, v) => t.http.post(`/api/tickets/${own[w]}/links`).set(as(w)).send({ type: 'causes', targetKey: v }) },
    ],
    'DELETE /api/tickets/{key}/links/{id}': [
      { names: 'the ticket', kind: 'ticket', send: (w, v) => t.http.delete(`/api/tickets/${v}/links/${linkOf(w, v)}`).set(as(w)) },
      { names: 'the link', kind: 'link', send: (w, v) => t.http.delete(`/api/tickets/${own[w]}/links/${v}`).set(as(w)) },
    ],
    'POST /api/tickets/{key}/time-entries': [
      { names: 'the ticket', kind: 'ticket', send: (w, v) => t.http.post(`/api/tickets/${v}/time-entries`).set(as(w)).send({ minutes: 15 }) },
    ],
    'POST /api/tickets/{key}/attachments': [
      { names: 'the ticket', kind: 'ticket', send: (w, v) => upload(w, v) },
      { names: 'the reply', kind: 'comment', send: (w, v) => upload(w, own[w], v) },
    ],
    'POST /api/projects/{key}/deposits': [
      { names: 'the project', kind: 'project', send: (w, v) => deposit(w, v) },
      { names: 'the change ticket it serves', kind: 'ticket', send: (w, v) => deposit(w, 'HWEB', v) },
    ],
    'POST /api/projects/{key}/deposits/{id}/versions': [
      {
        names: 'the deposit',
        kind: 'deposit',
        send: (w, v) => {
          const form = multipart([{ name: 'file', filename: 'v2.sh', content: '#!/bin/sh\n' }]);
          return t.http.post(`/api/projects/HWEB/deposits/${v}/versions`).set(as(w)).set('Content-Type', form.contentType).send(form.body);
        },
      },
    ],
    'DELETE /api/projects/{key}/deposits/{id}': [
      { names: 'the deposit', kind: 'deposit', send: (w, v) => t.http.delete(`/api/projects/HWEB/deposits/${v}`).set(as(w)) },
    ],
    'POST /api/projects': [
      { names: 'its space', kind: 'space', send: (w, v) => t.http.post('/api/projects').set(as(w)).send({ key: 'NEWP', name: 'Nouveau', spaceId: v }) },
    ],
    'PATCH /api/projects/{key}': [
      { names: 'the project', kind: 'project', send: (w, v) => t.http.patch(`/api/projects/${v}`).set(as(w)).send({ name: 'Renommé' }) },
    ],
    'DELETE /api/projects/{key}': [{ names: 'the project', kind: 'project', send: (w, v) => t.http.delete(`/api/projects/${v}`).set(as(w)) }],
    'PUT /api/projects/{key}/typologies': [
      {
        names: 'the project',
        kind: 'project',
        send: (w, v) =>
          t.http
            .put(`/api/projects/${v}/typologies`)
            .set(as(w))
            .send({ typologies: [{ code: 'autre', labelFr: 'Autre', labelEn: 'Other' }] }),
      },
    ],
    'PUT /api/projects/{key}/service-levels': [
      {
        names: 'the project',
        kind: 'project',
        send: (w, v) =>
          t.http
            .put(`/api/projects/${v}/service-levels`)
            .set(as(w))
            .send({ levels: [], pausingStatuses: ['waiting_customer'] }),
      },
    ],
    'PUT /api/projects/{key}/members/{accountId}': [
      {
        names: 'the project',
        kind: 'project',
        send: (w, v) => t.http.put(`/api/projects/${v}/members/${u.submitter.accountId}`).set(as(w)).send({ level: 'submit' }),
      },
    ],
    'PUT /api/projects/{key}/incident-contacts': [
      { names: 'the project', kind: 'project', send: (w, v) => t.http.put(`/api/projects/${v}/incident-contacts`).set(as(w)).send({ accountIds: [] }) },
      // An account of another project or space is not a member of HWEB: refused as an unknown id is.
      {
        names: 'the contact',
        kind: 'account',
        send: (w, v) =>
          t.http
            .put('/api/projects/HWEB/incident-contacts')
            .set(as(w))
            .send({ accountIds: [v] }),
      },
    ],
    'POST /api/projects/{key}/reports': [
      { names: 'the project', kind: 'project', send: (w, v) => t.http.post(`/api/projects/${v}/reports`).set(as(w)).send({ month: '2026-01' }) },
    ],
    'PUT /api/projects/{key}/reports/recipients': [
      { names: 'the project', kind: 'project', send: (w, v) => t.http.put(`/api/projects/${v}/reports/recipients`).set(as(w)).send({ accountIds: [] }) },
    ],
    'POST /api/spaces/{id}/reports': [
      { names: 'the space', kind: 'space', send: (w, v) => t.http.post(`/api/spaces/${v}/reports`).set(as(w)).send({ month: '2026-01' }) },
    ],
    'PUT /api/spaces/{id}/reports/recipients': [
      { names: 'the space', kind: 'space', send: (w, v) => t.http.put(`/api/spaces/${v}/reports/recipients`).set(as(w)).send({ accountIds: [] }) },
    ],
    'DELETE /api/projects/{key}/members/{accountId}': [
      { names: 'the project', kind: 'project', send: (w, v) => t.http.delete(`/api/projects/${v}/members/${involvedIn[v] ?? NO_ID}`).set(as(w)) },
      { names: 'the member', kind: 'projectMember', send: (w, v) => t.http.delete(`/api/projects/HWEB/members/${v}`).set(as(w)) },
    ],
    'PATCH /api/spaces/{id}': [{ names: 'the space', kind: 'space', send: (w, v) => t.http.patch(`/api/spaces/${v}`).set(as(w)).send({ name: 'Renommé' }) }],
    'DELETE /api/spaces/{id}': [{ names: 'the space', kind: 'space', send: (w, v) => t.http.delete(`/api/spaces/${v}`).set(as(w)) }],
    'PUT /api/spaces/{id}/members/{accountId}': [
      { names: 'the space', kind: 'space', send: (w, v) => t.http.put(`/api/spaces/${v}/members/${u.submitter.accountId}`).set(as(w)) },
    ],
    'DELETE /api/spaces/{id}/members/{accountId}': [
      { names: 'the space', kind: 'space', send: (w, v) => t.http.delete(`/api/spaces/${v}/members/${involvedIn[v] ?? NO_ID}`).set(as(w)) },
      { names: 'the member', kind: 'spaceMember', send: (w, v) => t.http.delete(`/api/spaces/${spaceA}/members/${v}`).set(as(w)) },
    ],
    'POST /api/canned-replies': [
      {
        names: 'its space',
        kind: 'space',
        send: (w, v) => t.http.post('/api/canned-replies').set(as(w)).send({ name: 'Réponse', body: 'Bonjour', spaceId: v }),
      },
    ],
    'PATCH /api/canned-replies/{id}': [
      { names: 'the canned reply', kind: 'cannedReply', send: (w, v) => t.http.patch(`/api/canned-replies/${v}`).set(as(w)).send({ name: 'Changée' }) },
    ],
    'DELETE /api/canned-replies/{id}': [
      { names: 'the canned reply', kind: 'cannedReply', send: (w, v) => t.http.delete(`/api/canned-replies/${v}`).set(as(w)) },
    ],
    'DELETE /api/attachments/{id}': [
      { names: 'the quarantined attachment', kind: 'attachment', send: (w, v) => t.http.delete(`/api/attachments/${v}`).set(as(w)) },
    ],
    'POST /api/cmdb/items': [
      {
        names: 'its project',
        kind: 'project',
        send: (w, v) => t.http.post('/api/cmdb/items').set(as(w)).send({ project: v, type: 'server', name: 'srv-new' }),
      },
      {
        names: 'its owner',
        kind: 'account',
        send: (w, v) => t.http.post('/api/cmdb/items').set(as(w)).send({ project: 'HWEB', type: 'server', name: 'srv-new', ownerId: v }),
      },
      {
        names: 'the item an attribute refers to',
        kind: 'cmdbItem',
        send: (w, v) =>
          t.http
            .post('/api/cmdb/items')
            .set(as(w))
            .send({ project: 'HWEB', type: 'virtual_machine', name: 'vm-new', attributes: { host: v } }),
      },
    ],
    'PATCH /api/cmdb/items/{id}': [
      { names: 'the item', kind: 'cmdbItem', send: (w, v) => t.http.patch(`/api/cmdb/items/${v}`).set(as(w)).send({ name: 'Renommé' }) },
      { names: 'its owner', kind: 'account', send: (w, v) => t.http.patch(`/api/cmdb/items/${cmdbItemA}`).set(as(w)).send({ ownerId: v }) },
    ],
    'DELETE /api/cmdb/items/{id}': [{ names: 'the item', kind: 'cmdbItem', send: (w, v) => t.http.delete(`/api/cmdb/items/${v}`).set(as(w)) }],
    'POST /api/cmdb/items/{id}/tickets': [
      { names: 'the item', kind: 'cmdbItem', send: (w, v) => t.http.post(`/api/cmdb/items/${v}/tickets`).set(as(w)).send({ ticketKey: own[w] }) },
      { names: 'the ticket', kind: 'ticket', send: (w, v) => t.http.post(`/api/cmdb/items/${cmdbItemA}/tickets`).set(as(w)).send({ ticketKey: v }) },
    ],
    'DELETE /api/cmdb/items/{id}/tickets/{key}': [
      { names: 'the item', kind: 'cmdbItem', send: (w, v) => t.http.delete(`/api/cmdb/items/${v}/tickets/${own[w]}`).set(as(w)) },
      { names: 'the ticket', kind: 'ticket', send: (w, v) => t.http.delete(`/api/cmdb/items/${cmdbItemA}/tickets/${v}`).set(as(w)) },
    ],
    'POST /api/cmdb/tickets/{key}/items': [
      { names: 'the ticket', kind: 'ticket', send: (w, v) => t.http.post(`/api/cmdb/tickets/${v}/items`).set(as(w)).send({ itemId: cmdbItemA }) },
      { names: 'the item', kind: 'cmdbItem', send: (w, v) => t.http.post(`/api/cmdb/tickets/${own[w]}/items`).set(as(w)).send({ itemId: v }) },
    ],
    'DELETE /api/cmdb/tickets/{key}/items/{itemId}': [
      { names: 'the ticket', kind: 'ticket', send: (w, v) => t.http.delete(`/api/cmdb/tickets/${v}/items/${cmdbItemA}`).set(as(w)) },
      { names: 'the item', kind: 'cmdbItem', send: (w, v) => t.http.delete(`/api/cmdb/tickets/${own[w]}/items/${v}`).set(as(w)) },
    ],
    'POST /api/cmdb/relations': [
      {
        names: 'its source',
        kind: 'cmdbItem',
        send: (w, v) => t.http.post('/api/cmdb/relations').set(as(w)).send({ fromId: v, toId: cmdbItemA, kind: 'depends_on' }),
      },
      {
        names: 'its target',
        kind: 'cmdbItem',
        send: (w, v) => t.http.post('/api/cmdb/relations').set(as(w)).send({ fromId: cmdbItemA, toId: v, kind: 'depends_on' }),
      },
    ],
    'DELETE /api/cmdb/relations/{id}': [{ names: 'the relation', kind: 'cmdbRelation', send: (w, v) => t.http.delete(`/api/cmdb/relations/${v}`).set(as(w)) }],
    'POST /api/cmdb/import': [
      { names: 'its project', kind: 'project', send: (w, v) => cmdbImport(w, v, 'type,name\nserver,srv-imported\n') },
      { names: 'the owner of an item', kind: 'account', send: (w, v) => cmdbImport(w, 'HWEB', `type,name,owner\nserver,srv-imported,${v}\n`) },
      {
        names: 'the item an attribute refers to',
        kind: 'cmdbItem',
        send: (w, v) => cmdbImport(w, 'HWEB', `type,name,attr.host\nvirtual_machine,vm-imported,${v}\n`),
      },
    ],
    'DELETE /api/me/tokens/{id}': [{ names: 'the token', kind: 'apiToken', send: (w, v) => t.http.delete(`/api/me/tokens/${v}`).set(as(w)) }],
    'POST /api/mail/mailboxes': [
      {
        names: 'its default project',
        kind: 'project',
        send: (w, v) =>
          t.http
            .post('/api/mail/mailboxes')
            .set(as(w))
            .send(mailboxBody('Nouvelle', { defaultProjectKey: v })),
      },
      {
        names: 'the project of a route',
        kind: 'project',
        send: (w, v) =>
          t.http
            .post('/api/mail/mailboxes')
            .set(as(w))
            .send(mailboxBody('Nouvelle', { routes: [{ address: 'x@example.test', projectKey: v }] })),
      },
    ],
    'PUT /api/mail/mailboxes/{id}': [
      {
        names: 'the mailbox',
        kind: 'mailbox',
        send: (w, v) =>
          t.http
            .put(`/api/mail/mailboxes/${v}`)
            .set(as(w))
            .send(mailboxBody('Reprise', { defaultProjectKey: 'HWEB' })),
      },
      {
        names: 'its default project',
        kind: 'project',
        send: (w, v) =>
          t.http
            .put(`/api/mail/mailboxes/${mailbox}`)
            .set(as(w))
            .send(mailboxBody('Support', { defaultProjectKey: v })),
      },
      {
        names: 'the project of a route',
        kind: 'project',
        send: (w, v) =>
          t.http
            .put(`/api/mail/mailboxes/${mailbox}`)
            .set(as(w))
            .send(mailboxBody('Support', { defaultProjectKey: 'HWEB', routes: [{ address: 'x@example.test', projectKey: v }] })),
      },
    ],
    'POST /api/mail/review/{id}/discard': [
      { names: 'the message', kind: 'reviewItem', send: (w, v) => t.http.post(`/api/mail/review/${v}/discard`).set(as(w)) },
    ],
    'POST /api/mail/outbound/{id}/retry': [
      { names: 'the notification', kind: 'outbound', send: (w, v) => t.http.post(`/api/mail/outbound/${v}/retry`).set(as(w)) },
    ],
    'DELETE /api/mail/mailboxes/{id}': [{ names: 'the mailbox', kind: 'mailbox', send: (w, v) => t.http.delete(`/api/mail/mailboxes/${v}`).set(as(w)) }],
    'POST /api/mail/mailboxes/{id}/test': [{ names: 'the mailbox', kind: 'mailbox', send: (w, v) => t.http.post(`/api/mail/mailboxes/${v}/test`).set(as(w)) }],
    'POST /api/mail/review/{id}/accept': [
      { names: 'the message', kind: 'reviewItem', send: (w, v) => t.http.post(`/api/mail/review/${v}/accept`).set(as(w)).send({ projectKey: 'HWEB' }) },
      {
        names: 'the ticket replied to',
        kind: 'ticket',
        send: (w, v) => t.http.post(`/api/mail/review/${reviewItem}/accept`).set(as(w)).send({ ticketKey: v }),
      },
      {
        names: 'the project of the new ticket',
        kind: 'project',
        send: (w, v) => t.http.post(`/api/mail/review/${reviewItem}/accept`).set(as(w)).send({ projectKey: v }),
      },
      {
        names: 'the requester of the new ticket',
        kind: 'account',
        send: (w, v) => t.http.post(`/api/mail/review/${reviewItem}/accept`).set(as(w)).send({ projectKey: 'HWEB', requesterId: v }),
      },
    ],
  };

  /**
   * One digest per table, in one query; refused accesses are audited, and that is the one write
   * allowed (with the failed imports' own line, which names no object: `cmdb.imported`, failure).
   */
  async function digests(): Promise<Map<string, string>> {
    const rows = await t.sql<{ name: string; digest: string }>(`
      SELECT c.relname AS name,
             md5(query_to_xml(format('SELECT md5(coalesce(string_agg(x::text, %L ORDER BY x::text), %L)) AS d FROM %I x %s', E'\\n', '', c.relname,
                   CASE WHEN c.relname = 'audit_events' THEN $q$WHERE x.action <> 'access.denied' AND NOT (x.action = 'cmdb.imported' AND x.outcome = 'failure')$q$ ELSE '' END), false, false, '')::text) AS digest
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`);
    return new Map(rows.map((r) => [r.name, r.digest]));
  }

  /** The answer without what differs between two requests: the request id, and the value named. */
  function answerOf(res: { status: number; body: unknown }, value: string): { status: number; body: unknown } {
    const { requestId: _id, ...body } = (res.body ?? {}) as Record<string, unknown>;
    return { status: res.status, body: JSON.parse(JSON.stringify(body).split(value).join('<named>')) as unknown };
  }

  it('every write route of the OpenAPI document is tried here or said to name nothing hidden', () => {
    expect(writeOperations.length).toBeGreaterThan(40);
    const accounted = new Set([...Object.keys(CASES), ...Object.keys(NAMES_NOTHING_HIDDEN)]);
    expect(writeOperations.filter((op) => !accounted.has(op))).toEqual([]);
    expect([...accounted].filter((op) => !writeOperations.includes(op))).toEqual([]);
    expect(Object.keys(CASES).filter((op) => op in NAMES_NOTHING_HIDDEN)).toEqual([]);
  });

  it('mailboxes, their messages and notifications of hidden places are absent from a mail manager’s lists and missing for him', async () => {
    const names = async (who: Who) => ((await t.http.get('/api/mail/mailboxes').set(as(who))).body as Mailbox[]).map((m) => m.name).sort();
    expect(await names('spaceDesk')).toEqual(['Autre projet', 'Support']);
    expect(await names('projectDesk')).toEqual(['Support']);
    const missing = await t.http.get(`/api/mail/mailboxes/${NO_ID}`).set(as('projectDesk'));
    for (const id of [hidden.mailbox.otherProject, hidden.mailbox.otherSpace]) {
      const res = await t.http.get(`/api/mail/mailboxes/${id}`).set(as('projectDesk'));
      expect(answerOf(res, id!)).toEqual(answerOf(missing, NO_ID));
    }
    expect(answerOf(missing, NO_ID)).toEqual({ status: 404, body: { statusCode: 404, code: 'NOT_FOUND', message: 'mailbox not found' } });
    const review = async (who: Who) => ((await t.http.get('/api/mail/review').set(as(who))).body as { id: string }[]).map((i) => i.id).sort();
    expect(await review('spaceDesk')).toEqual([reviewItem, hidden.reviewItem.otherProject].sort());
    expect(await review('projectDesk')).toEqual([reviewItem]);
    const raw = await t.http.get(`/api/mail/review/${hidden.reviewItem.otherProject}/raw`).set(as('projectDesk'));
    expect([raw.status, raw.body.message]).toEqual([404, 'review_item not found']);
    const notices = async (who: Who) => {
      const page = (await t.http.get('/api/mail/outbound?status=failed').set(as(who))).body as { items: { id: string }[]; total: number };
      return { ids: page.items.map((m) => m.id).sort(), total: page.total };
    };
    expect(await notices('spaceDesk')).toEqual({ ids: [hidden.outbound.otherProject], total: 1 });
    expect(await notices('projectDesk')).toEqual({ ids: [], total: 0 });
  });

  it.each(Object.keys(CASES))('%s: a hidden object answers as a missing one, and nothing is written', async (route) => {
    const failures: string[] = [];
    let before = await digests();
    const send = async (c: Case, who: Who, value: string) => {
      const res = await c.send(who, value);
      const after = await digests();
      const changed = [...after].filter(([table, digest]) => before.get(table) !== digest).map(([table]) => table);
      if (changed.length) failures.push(`${who}, ${c.names} = ${value}: wrote to ${changed.join(', ')}`);
      before = after;
      return answerOf(res, value);
    };
    for (const c of CASES[route]!) {
      let reached = false;
      for (const who of WHO) {
        const missing = await send(c, who, MISSING[c.kind]);
        if (missing.status < 400) failures.push(`${who}, ${c.names}: a missing object answered ${missing.status}`);
        if (missing.status !== 403) reached = true;
        for (const place of PLACES) {
          const value = c.kind === 'link' ? links[who][place] : hidden[c.kind][place];
          if (!value || (LOCATED.includes(c.kind) && place === 'otherProject' && SERVES_SPACE_A.includes(who))) continue;
          const got = await send(c, who, value);
          if (JSON.stringify(got) !== JSON.stringify(missing)) {
            failures.push(`${who}, ${c.names} in ${place}: ${JSON.stringify(got)} instead of ${JSON.stringify(missing)}`);
          }
        }
      }
      // Someone gets past the route's own checks, so the object is really looked up.
      if (!reached) failures.push(`${c.names}: every user was refused before the object was looked up`);
    }
    expect(failures).toEqual([]);
  });
});
