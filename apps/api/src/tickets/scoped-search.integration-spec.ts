import { SEARCH_STRATEGIES, searchKeys } from '../../test/search-strategies';
import { type Session, TestApp } from '../../test/test-app';

/**
 * The full-text indexes are keyed by space (migration SpaceScopedSearch, ADR 0013): each lexeme is
 * indexed as "<space id>:<lexeme>" and a search asks its query once per space of the user. These
 * cases check that the keyed form finds exactly what the words find: phrases, negations, users of
 * several spaces, administrators (every space), and text whose lexemes hold quotes.
 */
describe.each(SEARCH_STRATEGIES)('search keyed by space, %s', (_strategy, env) => {
  let t: TestApp;
  let SA: Session; // requester in space A
  let SC: Session; // requester in space C
  let G2: Session; // agent of spaces A and B
  let admin: Session;
  const key: Record<'a1' | 'a2' | 'a3' | 'b1' | 'c1', string> = { a1: '', a2: '', a3: '', b1: '', c1: '' };

  beforeAll(async () => {
    t = await TestApp.start(env);
    admin = await t.admin();
    const A = await t.space('Ministère Espace A');
    const B = await t.space('Agence Espace B');
    const C = await t.space('Chambre Espace C');
    await t.project('KSA', A.id);
    await t.project('KSB', B.id);
    await t.project('KSC', C.id);
    SA = await t.user('sa@scoped.example.test', 'beneficiary', 'Sacha Espace A');
    const SB = await t.user('sb@scoped.example.test', 'beneficiary', 'Sam Espace B');
    SC = await t.user('sc@scoped.example.test', 'beneficiary', 'Sidonie Espace C');
    G2 = await t.user('g2@provider.example.test', 'agent', 'Gaël Deux Espaces');
    await t.grant('KSA', SA.accountId, 'submit');
    await t.grant('KSB', SB.accountId, 'submit');
    await t.grant('KSC', SC.accountId, 'submit');
    await t.joinSpace(A.id, G2.accountId);
    await t.joinSpace(B.id, G2.accountId);
    key.a1 = (await t.ticket(SA, { projectKey: 'KSA', title: 'Mise en production du portail', description: 'Le certificat du site a expiré.' })).key;
    key.a2 = (await t.ticket(SA, { projectKey: 'KSA', title: 'Production du rapport mensuel', description: 'Une mise à jour du modèle est prévue.' })).key;
    key.a3 = (await t.ticket(SA, { projectKey: 'KSA', title: 'Lien cassé', description: 'La page des horaires renvoie une erreur.' })).key;
    key.b1 = (await t.ticket(SB, { projectKey: 'KSB', title: 'Mise en production de l’annuaire', description: 'Fenêtre du jeudi soir.' })).key;
    key.c1 = (await t.ticket(SC, { projectKey: 'KSC', title: 'Mise en production du parapheur', description: 'Validation par la direction.' })).key;
  }, 90000);
  afterAll(() => t.stop());

  const search = async (who: Session, q: string): Promise<string[]> => (await searchKeys(t, who, q)).sort();

  const keys = (...names: (keyof typeof key)[]) => names.map((n) => key[n]).sort();

  it('words find their tickets in each space the user sees, and only there', async () => {
    expect(await search(G2, 'mise en production')).toEqual(keys('a1', 'a2', 'b1'));
    expect(await search(admin, 'mise en production')).toEqual(keys('a1', 'a2', 'b1', 'c1'));
    expect(await search(SC, 'mise en production')).toEqual(keys('c1'));
    expect(await search(SA, 'certificat expiré')).toEqual(keys('a1'));
    expect(await search(SC, 'certificat expiré')).toEqual([]);
    // "or" accepts either word, each found in its own space.
    expect(await search(G2, 'annuaire or rapport')).toEqual(keys('a2', 'b1'));
    expect(await search(admin, 'annuaire or parapheur')).toEqual(keys('b1', 'c1'));
  });

  it('a phrase keeps its word order and closeness through the keyed index', async () => {
    // a2 has both words, apart and in the other order: found by the words, not by the phrase.
    expect(await search(G2, '"mise en production"')).toEqual(keys('a1', 'b1'));
    expect(await search(admin, '"mise en production"')).toEqual(keys('a1', 'b1', 'c1'));
  });

  it('a negation excludes the word in every space, without matching the other spaces whole', async () => {
    expect(await search(G2, 'mise -annuaire')).toEqual(keys('a1', 'a2'));
    expect(await search(admin, 'production -parapheur')).toEqual(keys('a1', 'a2', 'b1'));
    // A query that an empty text satisfies: only the tickets without the word.
    expect(await search(G2, '-production')).toEqual(keys('a3'));
    expect(await search(admin, '-production')).toEqual(keys('a3'));
    expect(await search(SC, '-production')).toEqual([]);
  });

  it('a query of stop words only finds nothing, without an error', async () => {
    // "on" is a stop word in French and in English: the query holds no lexeme at all.
    expect(await search(G2, 'on')).toEqual([]);
    expect(await search(admin, '-on')).toEqual([]);
  });

  it('the keyed vector and queries match exactly what the plain ones match, lexemes with quotes and backslashes included', async () => {
    const [s1, s2] = ['8a4b7c1e-0000-4000-8000-000000000001', '8a4b7c1e-0000-4000-8000-000000000002'];
    // The parser keeps quotes, brackets and "!" inside a URL's lexemes; phraseto_tsquery uses the same parser.
    const texts = ["Voir http://exemple.fr/a!'(b)'c et C:\\dossier\\x pour le détail", 'mise en production du portail', "l'eau du château"];
    const queries = [
      `phraseto_tsquery('french', $1)`,
      `websearch_to_tsquery('french', 'portail -château')`,
      `websearch_to_tsquery('french', '-portail')`,
      `websearch_to_tsquery('french', '"mise en production" or eau')`,
      `to_tsquery('simple', '''a!''''(b)''''c''')`,
    ];
    for (const text of texts) {
      for (const query of queries) {
        const [row] = await t.sql<{ plain: boolean; keyed: boolean; elsewhere: boolean }>(
          `WITH x AS (SELECT to_tsvector('french', $2) AS v, ${query} AS q, $1::text AS url)
           SELECT v @@ q AS plain,
                  space_scoped_tsvector($3::uuid, v) @@ ANY(space_scoped_tsqueries(ARRAY[$3, $4]::uuid[], q)) AS keyed,
                  space_scoped_tsvector($3::uuid, v) @@ ANY(space_scoped_tsqueries(ARRAY[$4]::uuid[], q)) AS elsewhere
             FROM x`,
          [texts[0], text, s1, s2],
        );
        expect({ text, query, ...row }).toEqual({ text, query, plain: row.plain, keyed: row.plain, elsewhere: false });
      }
    }
    // The URL's own lexemes, quotes inside, are found through the keyed form.
    const [url] = await t.sql<{ keyed: boolean }>(
      `SELECT space_scoped_tsvector($2::uuid, to_tsvector('french', $1)) @@ ANY(space_scoped_tsqueries(ARRAY[$2]::uuid[], phraseto_tsquery('french', $1))) AS keyed`,
      [texts[0], s1],
    );
    expect(url.keyed).toBe(true);
  });
});
