import { Injectable } from '@nestjs/common';
import { sql } from '../common/sql';
import { Database } from '../database/database';
import { LIVE_CHANNEL, type LiveSignal } from './live-channel';

/** The SQL of live events that are not written by a trigger. */
@Injectable()
export class LiveRepository {
  constructor(private readonly db: Database) {}

  /** Sends a signal to every API process (autocommit: delivered at once). */
  async notify(signal: LiveSignal): Promise<void> {
    await this.db.query(sql`SELECT pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(signal)})`);
  }
}
