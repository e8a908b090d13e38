import { Injectable } from '@nestjs/common';
import { sql } from '../common/sql';
import { Database } from '../database/database';

/** When each person last opened each ticket. */
@Injectable()
export class TicketReadsRepository {
  constructor(private readonly db: Database) {}

  /** The last opening of these tickets by the account: one primary-key probe per ticket of a page. */
  async lastRead(accountId: string, ticketIds: string[]): Promise<Map<string, Date>> {
    if (!ticketIds.length) return new Map();
    const rows = await this.db.query<{ ticket_id: string; read_at: Date }>(
      sql`SELECT ticket_id, read_at FROM ticket_reads WHERE account_id = ${accountId} AND ticket_id = ANY(${ticketIds}::uuid[])`.prepared('ticket_reads'),
    );
    return new Map(rows.map((r) => [r.ticket_id, r.read_at]));
  }

  async markRead(accountId: string, ticketId: string): Promise<void> {
    await this.db.query(sql`
      INSERT INTO ticket_reads (account_id, ticket_id) VALUES (${accountId}, ${ticketId})
      ON CONFLICT (account_id, ticket_id) DO UPDATE SET read_at = now()`);
  }
}
