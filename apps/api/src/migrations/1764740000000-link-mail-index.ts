import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An account's page says what became of the last link mailed to it: its job, found by account
 * among the link jobs only (a small partial index; the jobs table also holds every notification).
 */
export class LinkMailIndex1764740000000 implements MigrationInterface {
  name = 'LinkMailIndex1764740000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX jobs_link_mail_account_idx ON jobs ((payload->>'accountId'), id DESC) WHERE queue = 'notify.link'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX jobs_link_mail_account_idx`);
  }
}
