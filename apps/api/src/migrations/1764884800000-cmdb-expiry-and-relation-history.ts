import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The English labels the relation history used to write in its notes, copied here: a migration must not change with the code. */
const LABELS: [kind: string, outgoing: string, incoming: string][] = [
  ['runs_on', 'runs on', 'hosts'],
  ['depends_on', 'depends on', 'is needed by'],
  ['hosted_by', 'hosted by', 'hosts'],
  ['connected_to', 'connected to', 'connected to'],
  ['backs_up', 'backs up', 'is backed up by'],
  ['uses_certificate', 'uses certificate', 'is the certificate of'],
  ['part_of', 'part of', 'includes'],
];

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
const labels = `(VALUES ${LABELS.map((l) => `(${l.map(literal).join(', ')})`).join(', ')}) AS l(kind, outgoing, incoming)`;

/**
 * Issue 19: the expiry watch remembers what it sent, once per item, expiry date and threshold;
 * and an item's relation history holds data (kind, direction, the other item) instead of an
 * English sentence, so that the web client words it in the reader's language.
 */
export class CmdbExpiryAndRelationHistory1764884800000 implements MigrationInterface {
  name = 'CmdbExpiryAndRelationHistory1764884800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cmdb_expiry_notices (
        item_id uuid NOT NULL REFERENCES cmdb_items(id) ON DELETE CASCADE,
        expires_on date NOT NULL,
        threshold smallint NOT NULL CHECK (threshold > 0),
        recipients uuid[] NOT NULL DEFAULT '{}',
        sent_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (item_id, expires_on, threshold)
      );

      UPDATE cmdb_item_history h
         SET before = CASE WHEN h.before IS NULL THEN NULL ELSE x.entry END,
             after = CASE WHEN h.after IS NULL THEN NULL ELSE x.entry END,
             note = NULL
        FROM (
          SELECT h2.id,
                 jsonb_build_object('id', v.v->>'id', 'kind', v.v->>'kind', 'direction', d.direction,
                   'other', jsonb_build_object('id', d.other_id,
                     'name', COALESCE(CASE
                       WHEN h2.note LIKE 'deleted: %' THEN substr(h2.note, 10)
                       WHEN d.direction = 'outgoing' AND h2.note LIKE l.outgoing || ' %' THEN substr(h2.note, length(l.outgoing) + 2)
                       WHEN d.direction = 'incoming' AND h2.note LIKE l.incoming || ' %' THEN substr(h2.note, length(l.incoming) + 2)
                     END, o.name, h2.note, '')))
                 || CASE WHEN h2.note LIKE 'deleted: %' THEN '{"otherDeleted": true}'::jsonb ELSE '{}'::jsonb END AS entry
            FROM cmdb_item_history h2
            CROSS JOIN LATERAL (SELECT COALESCE(h2.before, h2.after) AS v) v
            CROSS JOIN LATERAL (
              SELECT dir AS direction, CASE WHEN dir = 'outgoing' THEN v.v->>'to' ELSE v.v->>'from' END AS other_id
                FROM (SELECT CASE WHEN v.v->>'from' = h2.item_id::text OR NOT (v.v ? 'from') THEN 'outgoing' ELSE 'incoming' END AS dir) x
            ) d
            LEFT JOIN cmdb_items o ON o.id::text = d.other_id
            LEFT JOIN ${labels} ON l.kind = v.v->>'kind'
           WHERE h2.field = 'relation' AND jsonb_typeof(v.v) = 'object' AND NOT (v.v ? 'direction')
        ) x
       WHERE x.id = h.id;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE cmdb_item_history h
         SET before = CASE WHEN h.before IS NULL THEN NULL ELSE x.old END,
             after = CASE WHEN h.after IS NULL THEN NULL ELSE x.old END,
             note = x.note
        FROM (
          SELECT h2.id,
                 jsonb_build_object('id', v.v->>'id', 'kind', v.v->>'kind',
                   CASE WHEN v.v->>'direction' = 'outgoing' THEN 'to' ELSE 'from' END, v.v->'other'->>'id') AS old,
                 CASE WHEN (v.v->>'otherDeleted')::boolean THEN 'deleted: ' || (v.v->'other'->>'name')
                      ELSE CASE WHEN v.v->>'direction' = 'outgoing' THEN l.outgoing ELSE l.incoming END || ' ' || (v.v->'other'->>'name') END AS note
            FROM cmdb_item_history h2
            CROSS JOIN LATERAL (SELECT COALESCE(h2.before, h2.after) AS v) v
            LEFT JOIN ${labels} ON l.kind = v.v->>'kind'
           WHERE h2.field = 'relation' AND v.v ? 'direction'
        ) x
       WHERE x.id = h.id;
      DROP TABLE cmdb_expiry_notices;
    `);
  }
}
