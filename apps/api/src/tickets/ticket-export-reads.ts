import { Inject, Injectable } from '@nestjs/common';
import type { TicketQuery } from '@guichet/contracts';
import { AccessPolicy } from '../access/access-policy';
import type { Principal } from '../access/principal';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import { Database } from '../database/database';
import { TicketExportRepository, type TicketExportRow } from './ticket-export.repository';
import { ticketFilters } from './ticket-filters';
import { TicketQueries } from './ticket-queries';

export type { TicketExportRow } from './ticket-export.repository';

/** Rows read per statement: large enough to keep round trips few, small enough to stay out of memory. */
const BATCH = 2000;

/** What an export reads of a ticket list: counted and read in one snapshot. */
export interface TicketExportRead {
  total: number;
  /** Whether the reader may see time spent (R2.6): the column is left out otherwise. */
  withTimeSpent: boolean;
  rows: AsyncIterable<TicketExportRow>;
}

/**
 * A ticket list as an export reads it: the list's filters, sort and visibility (the same
 * conditions as GET /api/tickets), every row, batch by batch. A search exports its ranked
 * results, as many as the list would rank.
 */
@Injectable()
export class TicketExportReads {
  constructor(
    private readonly db: Database,
    private readonly repo: TicketExportRepository,
    private readonly policy: AccessPolicy,
    private readonly queries: TicketQueries,
    @Inject(RUNTIME_CONFIG) private readonly config: Pick<RuntimeConfig, 'searchRankedMax'>,
  ) {}

  /** How many rows the export of `q` would have, counting no further than `cap`. */
  async count(p: Principal, q: TicketQuery, cap: number): Promise<number> {
    if (q.q?.trim()) return (await this.queries.matchingKeys(p, q, Math.min(cap, this.config.searchRankedMax))).keys.length;
    return this.repo.count(this.db, this.policy.ticketScope(p, 't'), ticketFilters(q, p), cap);
  }

  /** Runs `work` over the rows of `q` as `p` sees them, in one read-only snapshot. */
  read<T>(p: Principal, q: TicketQuery, work: (read: TicketExportRead) => Promise<T>): Promise<T> {
    const scope = this.policy.ticketScope(p, 't');
    const filters = ticketFilters(q, p);
    const withTimeSpent = p.rights.has('ticket.timeSpent');
    return this.db.transaction(async (tx) => {
      await this.repo.snapshot(tx);
      if (q.q?.trim()) {
        const { keys } = await this.queries.matchingKeys(p, q, this.config.searchRankedMax);
        const repo = this.repo;
        const rows = (async function* () {
          for (let i = 0; i < keys.length; i += BATCH) yield* await repo.byKeys(tx, scope, keys.slice(i, i + BATCH), withTimeSpent);
        })();
        return work({ total: keys.length, withTimeSpent, rows });
      }
      const total = await this.repo.count(tx, scope, filters, 2_000_000_000);
      const batches = this.repo.batches(tx, scope, filters, q.sort ?? '-updated', BATCH, withTimeSpent);
      const rows = (async function* () {
        for await (const b of batches) yield* b;
      })();
      return work({ total, withTimeSpent, rows });
    });
  }
}
