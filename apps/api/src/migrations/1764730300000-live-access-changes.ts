import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Live updates follow access as it changes (ADR 0031): a statement that changes who reaches what
 * (project grants, space membership, an account's profile or activity, a profile's rights)
 * notifies the API processes, which re-read the rights of their connected accounts before they
 * deliver anything committed after it. One notification per statement.
 */
export class LiveAccessChanges1764730300000 implements MigrationInterface {
  name = 'LiveAccessChanges1764730300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION access_notify_live() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM pg_notify('guichet_live', '{"k":"access"}');
        RETURN NULL;
      END $fn$;
      CREATE TRIGGER project_access_notify_live AFTER INSERT OR UPDATE OR DELETE ON project_access
        FOR EACH STATEMENT EXECUTE FUNCTION access_notify_live();
      CREATE TRIGGER space_members_notify_live AFTER INSERT OR UPDATE OR DELETE ON space_members
        FOR EACH STATEMENT EXECUTE FUNCTION access_notify_live();
      CREATE TRIGGER accounts_notify_live AFTER UPDATE OF profile_id, active OR DELETE ON accounts
        FOR EACH STATEMENT EXECUTE FUNCTION access_notify_live();
      CREATE TRIGGER profiles_notify_live AFTER UPDATE OF rights OR DELETE ON profiles
        FOR EACH STATEMENT EXECUTE FUNCTION access_notify_live();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER project_access_notify_live ON project_access;
      DROP TRIGGER space_members_notify_live ON space_members;
      DROP TRIGGER accounts_notify_live ON accounts;
      DROP TRIGGER profiles_notify_live ON profiles;
      DROP FUNCTION access_notify_live();
    `);
  }
}
