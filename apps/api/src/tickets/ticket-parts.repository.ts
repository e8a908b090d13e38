import { Injectable } from '@nestjs/common';
import type { CommentVisibility, LinkType } from '@guichet/contracts';
import { sql, type Sql } from '../common/sql';
import type { Queryable } from '../database/database';

/**
 * The rows that hang off a ticket: replies, watchers, links, time spent. Their history events
 * and the ticket's `updated_at` are the journal's (TicketJournal).
 */
@Injectable()
export class TicketPartsRepository {
  // --- watchers ------------------------------------------------------------------
  async addWatcher(ticketId: string, accountId: string, tx: Queryable): Promise<boolean> {
    const rows = await tx.query(sql`
      INSERT INTO ticket_watchers (ticket_id, account_id) VALUES (${ticketId}, ${accountId}) ON CONFLICT DO NOTHING RETURNING account_id`);
    return rows.length > 0;
  }

  async removeWatcher(ticketId: string, accountId: string, tx: Queryable): Promise<boolean> {
    const rows = await tx.query(sql`DELETE FROM ticket_watchers WHERE ticket_id = ${ticketId} AND account_id = ${accountId} RETURNING account_id`);
    return rows.length > 0;
  }

  // --- comments ------------------------------------------------------------------
  async addComment(c: { ticketId: string; authorId: string; visibility: CommentVisibility; body: string; solution?: boolean }, tx: Queryable): Promise<string> {
    const row = await tx.one<{ id: string }>(sql`
      INSERT INTO ticket_comments (ticket_id, author_id, visibility, body, solution)
      VALUES (${c.ticketId}, ${c.authorId}, ${c.visibility}, ${c.body}, ${c.solution ?? false})
      RETURNING id`);
    return row!.id;
  }

  /** Keeps the earlier text as a version, then replaces it. */
  async editComment(id: string, body: string, editorId: string, tx: Queryable): Promise<void> {
    await tx.query(sql`
      INSERT INTO ticket_comment_versions (comment_id, version, body, written_by, written_at)
      SELECT c.id, COALESCE((SELECT max(version) FROM ticket_comment_versions v WHERE v.comment_id = c.id), 0) + 1,
             c.body, CASE WHEN c.edited_at IS NULL THEN c.author_id ELSE ${editorId}::uuid END, COALESCE(c.edited_at, c.created_at)
        FROM ticket_comments c WHERE c.id = ${id}`);
    await tx.query(sql`UPDATE ticket_comments SET body = ${body}, edited_at = now() WHERE id = ${id}`);
  }

  // --- links -----------------------------------------------------------------------
  async addLink(sourceId: string, targetId: string, type: LinkType, by: string, tx: Queryable): Promise<string | undefined> {
    const row = await tx.one<{ id: string }>(sql`
      INSERT INTO ticket_links (source_id, target_id, type, created_by) VALUES (${sourceId}, ${targetId}, ${type}, ${by})
      ON CONFLICT DO NOTHING RETURNING id`);
    return row?.id;
  }

  /** Removes a link of the ticket whose other end, the tickets row `t`, matches `visibleOther` (as linksQuery lists them). */
  async removeLink(
    ticketId: string,
    linkId: string,
    visibleOther: Sql,
    tx: Queryable,
  ): Promise<{ type: LinkType; sourceId: string; targetId: string } | undefined> {
    const row = await tx.one<{ type: LinkType; source_id: string; target_id: string }>(sql`
      DELETE FROM ticket_links l USING tickets t
       WHERE l.id = ${linkId} AND (l.source_id = ${ticketId} OR l.target_id = ${ticketId})
         AND t.id = CASE WHEN l.source_id = ${ticketId} THEN l.target_id ELSE l.source_id END AND ${visibleOther}
      RETURNING l.type, l.source_id, l.target_id`);
    return row && { type: row.type, sourceId: row.source_id, targetId: row.target_id };
  }

  // --- time spent ------------------------------------------------------------------
  async addTime(e: { ticketId: string; accountId: string; minutes: number; spentOn: string; note: string }, tx: Queryable): Promise<string> {
    const row = await tx.one<{ id: string }>(sql`
      INSERT INTO time_entries (ticket_id, account_id, minutes, spent_on, note)
      VALUES (${e.ticketId}, ${e.accountId}, ${e.minutes}, ${e.spentOn}::date, ${e.note}) RETURNING id`);
    return row!.id;
  }
}
