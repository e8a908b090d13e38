import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A ticket row keeps its search vectors in the row up to the page's limit (8,160 bytes) instead of
 * the default 2,032. tsvectors hardly compress, so past 2 kB PostgreSQL moved the largest ones to
 * the TOAST table as they were: 24 % of tickets at 1,000,000 had one there, and every use of it
 * (match check, rank, row-by-row match) looked it up again through the TOAST index. With the
 * vectors in the row a search took a quarter less of PostgreSQL's CPU under load; the heap grew by
 * a fifth (docs/performance.md, "Inline-vectors run", ADR 0015).
 * Applies to rows written from now on; `VACUUM FULL tickets` brings older rows in (docs/operations.md).
 */
export class TicketVectorsInline1764550000000 implements MigrationInterface {
  name = 'TicketVectorsInline1764550000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets SET (toast_tuple_target = 8160)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets RESET (toast_tuple_target)`);
  }
}
