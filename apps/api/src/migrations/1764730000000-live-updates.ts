import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Live updates (ADR 0031): every statement that writes a ticket's history notifies the API
 * processes, delivered at commit (never for a rolled-back change). The journal is the one writer
 * of `ticket_events`, so every path (web, API, mail, attachments, the opening statement) is
 * covered. The payload is small: the ticket, whether only internal events were written, and
 * their kinds; each process decides per connection who may hear about it.
 */
export class LiveUpdates1764730000000 implements MigrationInterface {
  name = 'LiveUpdates1764730000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION ticket_events_notify_live() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        -- One notification per ticket and statement; PostgreSQL also folds repeats within a transaction.
        PERFORM pg_notify('guichet_live', json_build_object('k', 'ticket', 't', ticket_id, 'i', bool_and(internal),
                                                            'c', array_agg(DISTINCT type ORDER BY type))::text)
           FROM added GROUP BY ticket_id;
        RETURN NULL;
      END $fn$;
      CREATE TRIGGER ticket_events_notify_live AFTER INSERT ON ticket_events
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION ticket_events_notify_live();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER ticket_events_notify_live ON ticket_events; DROP FUNCTION ticket_events_notify_live();`);
  }
}
