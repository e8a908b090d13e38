import type { Comment, TicketPage } from '@guichet/contracts';
import { SEARCH_STRATEGIES, searchKeys, searchPage } from '../../test/search-strategies';
import { auth, type Session, TestApp } from '../../test/test-app';

/**
 * Search through replies: public replies and internal notes are matched through the ticket's own
 * `replies_search` and `notes_search` (kept by triggers on ticket_comments), notes only for those
 * allowed to read them.
 */
describe.each(SEARCH_STRATEGIES)('full-text search of replies and internal notes, %s', (_strategy, env) => {
  let t: TestApp;
  let S: Session; // requester, submit access
  let R: Session; // read access, no internal-notes right
  let G: Session; // agent of the space, with the internal-notes right
  let GB: Session; // agent of another space, with the right too
  let X: Session; // write access in the other space
  let K: Session; // the internal-notes right, read access on HSRC, submit only on HSUB

  beforeAll(async () => {
    t = await TestApp.start(env);
    const A = await t.space('Ministère Recherche');
    const B = await t.space('Agence Recherche');
    await t.project('HSRC', A.id);
    await t.project('BSRC', B.id);
    S = await t.user('s@search.example.test', 'beneficiary', 'Sacha Demandeur');
    R = await t.user('r@search.example.test', 'beneficiary', 'Romane Lectrice');
    G = await t.user('g@provider.example.test', 'agent', 'Gaspard Agent');
    GB = await t.user('gb@provider.example.test', 'agent', 'Gisèle Agent B');
    X = await t.user('x@b.example.test', 'beneficiary', 'Xavier Agence');
    await t.grant('HSRC', S.accountId, 'submit');
    await t.grant('HSRC', R.accountId, 'read');
    await t.joinSpace(A.id, G.accountId);
    await t.joinSpace(B.id, GB.accountId);
    await t.grant('BSRC', X.accountId, 'write');
    // A profile with the internal-notes right and no other: its notes scope is narrower than the
    // tickets it sees (as a requester in HSUB it sees its own tickets, not their notes).
    const profile = await t.http
      .post('/api/profiles')
      .set(auth(await t.admin()))
      .send({ code: 'referent', nameFr: 'Référent', nameEn: 'Referent', rights: ['ticket.internalNotes'] });
    expect(profile.status).toBe(201);
    await t.project('HSUB', A.id);
    K = await t.user('k@search.example.test', 'referent', 'Katell Référente');
    await t.grant('HSRC', K.accountId, 'read');
    await t.grant('HSUB', K.accountId, 'submit');
  }, 90000);
  afterAll(() => t.stop());

  const search = (who: Session, q: string): Promise<string[]> => searchKeys(t, who, q);

  const reply = async (who: Session, key: string, body: string, visibility: 'public' | 'internal' = 'public'): Promise<Comment> => {
    const res = await t.http.post(`/api/tickets/${key}/comments`).set(auth(who)).send({ body, visibility });
    expect(res.status).toBe(201);
    return res.body as Comment;
  };
  const ticket = async (title: string) => (await t.ticket(S, { projectKey: 'HSRC', title })).key;

  it('a word found only in a public reply finds the ticket for everyone who sees it, and for no one else', async () => {
    const key = await ticket('Imprimante du deuxième étage en panne');
    await reply(G, key, 'Le toner magenta est vide, une cartouche est commandée.');
    await reply(S, key, 'Merci, nous attendons la livraison.');
    expect(await search(S, 'magenta')).toEqual([key]);
    expect(await search(R, 'magenta')).toEqual([key]);
    expect(await search(G, 'magenta')).toEqual([key]);
    // The later reply is searched too.
    expect(await search(G, 'livraison')).toEqual([key]);
    // Other space: nothing, whatever its rights there.
    expect(await search(GB, 'magenta')).toEqual([]);
    expect(await search(X, 'magenta')).toEqual([]);
  });

  it('a title match ranks above a match in a reply', async () => {
    const inReply = await ticket('Écran qui scintille');
    await reply(G, inReply, 'Le câble vermillon était mal branché.');
    const inTitle = await ticket('Câble vermillon à remplacer');
    expect(await search(G, 'vermillon')).toEqual([inTitle, inReply]);
  });

  it('an edited reply is found by its new words and no longer by the removed ones', async () => {
    const key = await ticket('Badge refusé à l’entrée');
    const r = await reply(G, key, 'Le lecteur du hall ocre est déréglé.');
    expect(await search(S, 'ocre')).toEqual([key]);
    const edited = await t.http.patch(`/api/tickets/${key}/comments/${r.id}`).set(auth(G)).send({ body: 'Le lecteur du hall turquoise est déréglé.' });
    expect(edited.status).toBe(200);
    expect(await search(S, 'ocre')).toEqual([]);
    expect(await search(G, 'ocre')).toEqual([]);
    expect(await search(S, 'turquoise')).toEqual([key]);
  });

  it('a word found only in an internal note is found with read access and the right, not by the requester, a reader without the right or another space', async () => {
    const key = await ticket('Messagerie indisponible');
    await reply(G, key, 'Escalade chez le fournisseur ocelot, rappel demain.', 'internal');
    expect(await search(G, 'ocelot')).toEqual([key]);
    expect(await search(S, 'ocelot')).toEqual([]);
    expect(await search(R, 'ocelot')).toEqual([]);
    expect(await search(GB, 'ocelot')).toEqual([]);
    // The ticket itself stays found by its title for all who see it.
    expect(await search(R, 'messagerie indisponible')).toEqual([key]);
  });

  it('a note is searched where its reader may read notes, not on a ticket seen only as its requester', async () => {
    const read = await ticket('Sauvegarde nocturne en échec');
    await reply(G, read, 'Le robot lynx de sauvegarde est bloqué.', 'internal');
    const own = (await t.ticket(K, { projectKey: 'HSUB', title: 'Accès au partage commun' })).key;
    await reply(G, own, 'Droits posés par le lynx du service.', 'internal');
    expect(await search(G, 'lynx')).toEqual(expect.arrayContaining([read, own]));
    expect(await search(K, 'lynx')).toEqual([read]);
    // Its own ticket stays found by its public text.
    expect(await search(K, 'partage commun')).toEqual([own]);
  });

  it('an edited, deleted or re-published note is searched as it now reads', async () => {
    const key = await ticket('Certificat du portail expiré');
    const note = await reply(G, key, 'Renouvellement demandé au fournisseur héron.', 'internal');
    expect(await search(G, 'héron')).toEqual([key]);
    const edited = await t.http.patch(`/api/tickets/${key}/comments/${note.id}`).set(auth(G)).send({ body: 'Renouvellement demandé au fournisseur ibis.' });
    expect(edited.status).toBe(200);
    expect(await search(G, 'héron')).toEqual([]);
    expect(await search(G, 'ibis')).toEqual([key]);
    // Made public (a correction by hand): its words move from the notes to the public replies.
    expect(await search(S, 'ibis')).toEqual([]);
    await t.sql(`UPDATE ticket_comments SET visibility = 'public' WHERE id = $1`, [note.id]);
    expect(await search(S, 'ibis')).toEqual([key]);
    await t.sql(`UPDATE ticket_comments SET visibility = 'internal' WHERE id = $1`, [note.id]);
    expect(await search(S, 'ibis')).toEqual([]);
    expect(await search(G, 'ibis')).toEqual([key]);
    await t.sql(`DELETE FROM ticket_comments WHERE id = $1`, [note.id]);
    expect(await search(G, 'ibis')).toEqual([]);
    const [{ notes }] = await t.sql<{ notes: string | null }>(`SELECT notes_search::text AS notes FROM tickets WHERE key = $1`, [key]);
    expect(notes).toBeNull();
  });

  it('messages written at the same time in two transactions are all found; a deleted reply no longer is', async () => {
    const key = await ticket('Poste de travail lent');
    const [{ id }] = await t.sql<{ id: string }>(`SELECT id FROM tickets WHERE key = $1`, [key]);
    const insert = `INSERT INTO ticket_comments (ticket_id, author_id, visibility, body) VALUES ($1, $2, $3, $4)`;
    /** The second insert waits for the first transaction's lock on the ticket, then must still see its message. */
    const concurrently = async (first: unknown[], second: unknown[]) => {
      const a = t.dataSource.createQueryRunner();
      const b = t.dataSource.createQueryRunner();
      try {
        await a.startTransaction();
        await b.startTransaction();
        await a.query(insert, [id, ...first]);
        const waiting = b.query(insert, [id, ...second]);
        await new Promise((r) => setTimeout(r, 300));
        await a.commitTransaction();
        await waiting;
        await b.commitTransaction();
      } finally {
        await a.release();
        await b.release();
      }
    };
    await concurrently([G.accountId, 'public', 'Le wombat du service réseau regarde.'], [S.accountId, 'public', 'Le pangolin aussi.']);
    // A note and a reply: each refreshes its own vector of the same ticket row.
    await concurrently([G.accountId, 'internal', 'Le koala du prestataire a la main.'], [S.accountId, 'public', 'Et le castor ?']);
    for (const word of ['wombat', 'pangolin', 'koala', 'castor']) expect(await search(G, word)).toEqual([key]);
    expect(await search(S, 'castor')).toEqual([key]);
    expect(await search(S, 'koala')).toEqual([]);
    await t.sql(`DELETE FROM ticket_comments WHERE ticket_id = $1 AND body LIKE 'Le pangolin%'`, [id]);
    expect(await search(G, 'pangolin')).toEqual([]);
    expect(await search(G, 'wombat')).toEqual([key]);
  });

  it('a ticket whose texts pass 2 kB keeps its search vectors in its row, and is found by any of its words', async () => {
    // Hundreds of distinct words: a vector of several kB, which hardly compresses. Past 2 kB a row
    // used to send it to the TOAST table, read again at each match and rank (migration TicketVectorsInline).
    const words = (prefix: string) => Array.from({ length: 90 }, (_, i) => `${prefix}${i.toString(36)}x`).join(' ');
    const res = await t.http
      .post('/api/tickets')
      .set(auth(S))
      .send({ projectKey: 'HSRC', kind: 'incident', title: 'Inventaire des serveurs', description: words('serveur') });
    expect(res.status).toBe(201);
    const key = (res.body as { key: string }).key;
    await reply(G, key, words('baie'));
    await reply(G, key, words('ondule'), 'internal');
    const [row] = await t.sql<{ row_bytes: number; outside: number }>(
      `SELECT pg_column_size(t.*) AS row_bytes,
              num_nonnulls(pg_column_toast_chunk_id(search), pg_column_toast_chunk_id(replies_search), pg_column_toast_chunk_id(notes_search)) AS outside
         FROM tickets t WHERE key = $1`,
      [key],
    );
    expect(row!.row_bytes).toBeGreaterThan(3000);
    expect(row!.outside).toBe(0);
    expect(await search(S, 'serveur2hx')).toEqual([key]);
    expect(await search(S, 'baie1kx')).toEqual([key]);
    expect(await search(G, 'ondule2bx')).toEqual([key]);
    expect(await search(S, 'ondule2bx')).toEqual([]);
  });
});

/**
 * A search ranks only its `SEARCH_RANKED_MAX` most recently updated matches. A ticket found by its
 * own text and by internal notes counts once there, so it cannot push another ticket out.
 */
describe.each(SEARCH_STRATEGIES)('the ranked matches of a search, %s', (_strategy, env) => {
  let t: TestApp;
  let S: Session; // requester, submit access
  let G: Session; // agent of the space, with the internal-notes right

  beforeAll(async () => {
    t = await TestApp.start({ ...env, SEARCH_RANKED_MAX: '3' });
    const A = await t.space('Ministère Borne');
    await t.project('HBRN', A.id);
    S = await t.user('s@borne.example.test', 'beneficiary', 'Sacha Demandeur');
    G = await t.user('g@borne.example.test', 'agent', 'Gaspard Agent');
    await t.grant('HBRN', S.accountId, 'submit');
    await t.joinSpace(A.id, G.accountId);
  }, 90000);
  afterAll(() => t.stop());

  const page = (who: Session, q: string): Promise<TicketPage> => searchPage(t, who, q);

  it('keeps the most recently updated matches, each ticket once however many of its notes match, and says the count is capped', async () => {
    const keys: string[] = [];
    for (const n of [1, 2, 3, 4, 5]) keys.push((await t.ticket(S, { projectKey: 'HBRN', title: `Borne zébrée numéro ${n}` })).key);
    // Two internal notes on the second ticket make it the most recently updated, found three times.
    for (const body of ['La borne zébrée a redémarré.', 'Borne zébrée remplacée.']) {
      const res = await t.http.post(`/api/tickets/${keys[1]}/comments`).set(auth(G)).send({ body, visibility: 'internal' });
      expect(res.status).toBe(201);
    }
    const expected = [keys[1], keys[4], keys[3]];
    for (const who of [G, S]) {
      const found = await page(who, 'zébrée');
      // Titles rank alike; among equals the most recently updated comes first.
      expect(found.items.map((i) => i.key)).toEqual(expected);
      expect([found.total, found.totalCapped, found.nextCursor]).toEqual([3, true, undefined]);
    }
    // Under the cap, the count is exact and not marked capped.
    const one = await page(G, 'redémarré');
    expect([one.items.map((i) => i.key), one.total, one.totalCapped]).toEqual([[keys[1]], 1, false]);
  });
});
