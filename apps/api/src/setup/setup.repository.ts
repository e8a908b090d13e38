import { Injectable } from '@nestjs/common';
import type { SetupStep } from '@guichet/contracts';
import { sql } from '../common/sql';
import { Database } from '../database/database';

/**
 * Reads the state of a fresh install across the tables of several modules, for the getting-started
 * checklist only: a read of existence, no aggregate's rules (each step's screen owns those).
 */
@Injectable()
export class SetupRepository {
  constructor(private readonly db: Database) {}

  async done(): Promise<Record<SetupStep, boolean>> {
    const row = await this.db.one<Record<SetupStep, boolean>>(sql`
      SELECT EXISTS (SELECT 1 FROM smtp_settings) AS smtp,
             EXISTS (SELECT 1 FROM spaces) AS space,
             EXISTS (SELECT 1 FROM projects) AS project,
             -- Someone besides the first administrator.
             (SELECT count(*) FROM (SELECT 1 FROM accounts LIMIT 2) a) > 1 AS accounts,
             EXISTS (SELECT 1 FROM mailboxes) AS mailbox`);
    return row!;
  }
}
