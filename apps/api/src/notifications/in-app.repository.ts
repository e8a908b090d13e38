import { Injectable } from '@nestjs/common';
import { ApiRoutes, type BellKind, IN_APP_KINDS, type InAppKind, type InAppNotification } from '@guichet/contracts';
import { type Sql, sql } from '../common/sql';
import { Database } from '../database/database';

/** Someone whose bell may ring, with the kinds he wants there. */
export interface BellOwner {
  id: string;
  displayName: string;
  inApp: InAppKind[];
}

export interface NewBellNotification {
  accountId: string;
  ticketId: string;
  kind: InAppKind;
  actorId: string | null;
}

/** The SQL of the bell: in-app notifications and the kinds each account wants. */
@Injectable()
export class InAppRepository {
  constructor(private readonly db: Database) {}

  /** The active agents serving a space (members whose profile sees others' tickets there): its queues are theirs. */
  async servingAgents(spaceId: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(sql`
      SELECT a.id FROM space_members sm
        JOIN accounts a ON a.id = sm.account_id AND a.active
        JOIN profiles p ON p.id = a.profile_id
       WHERE sm.space_id = ${spaceId} AND 'ticket.seeOthers' = ANY(p.rights)`);
    return rows.map((r) => r.id);
  }

  async owners(ids: string[]): Promise<BellOwner[]> {
    if (!ids.length) return [];
    const rows = await this.db.query<{ id: string; display_name: string; in_app: InAppKind[] | null }>(sql`
      SELECT a.id, a.display_name, np.in_app
        FROM accounts a LEFT JOIN notification_preferences np ON np.account_id = a.id
       WHERE a.id = ANY(${ids}::uuid[]) AND a.active`);
    return rows.map((r) => ({ id: r.id, displayName: r.display_name, inApp: r.in_app ?? [...IN_APP_KINDS] }));
  }

  /** The text of a public reply (mentions are looked for in it); undefined for an internal note. */
  async noteBody(commentId: string): Promise<string | undefined> {
    const row = await this.db.one<{ body: string }>(sql`SELECT body FROM ticket_comments WHERE id = ${commentId} AND visibility = 'internal'`);
    return row?.body;
  }

  async publicReplyBody(commentId: string): Promise<string | undefined> {
    const row = await this.db.one<{ body: string }>(sql`SELECT body FROM ticket_comments WHERE id = ${commentId} AND visibility = 'public'`);
    return row?.body;
  }

  async add(rows: NewBellNotification[]): Promise<void> {
    if (!rows.length) return;
    await this.db.query(sql`
      INSERT INTO in_app_notifications (account_id, ticket_id, kind, actor_id)
      SELECT * FROM unnest(${rows.map((r) => r.accountId)}::uuid[], ${rows.map((r) => r.ticketId)}::uuid[],
                           ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.actorId)}::uuid[])`);
  }

  /** Tells `accountId` that his export is ready (its file's link is his only). */
  async addExportReady(accountId: string, exportId: string): Promise<void> {
    await this.db.query(sql`INSERT INTO in_app_notifications (account_id, export_id, kind) VALUES (${accountId}, ${exportId}, 'export_ready')`);
  }

  /**
   * The account's notifications, newest first: about tickets it may see now (`visible`: condition
   * on the ticket row `t`), and about its own exports.
   */
  async list(accountId: string, visible: Sql, limit: number): Promise<{ unread: number; items: InAppNotification[] }> {
    const shown = sql`(n.export_id IS NOT NULL OR (n.ticket_id IS NOT NULL AND ${visible}))`;
    const [count, rows] = await Promise.all([
      this.db.one<{ n: number }>(sql`
        SELECT count(*)::int AS n FROM in_app_notifications n LEFT JOIN tickets t ON t.id = n.ticket_id
         WHERE n.account_id = ${accountId} AND n.read_at IS NULL AND ${shown}`),
      this.db.query<{
        id: string;
        kind: BellKind;
        key: string | null;
        title: string | null;
        export_id: string | null;
        filename: string | null;
        actor_id: string | null;
        actor_name: string | null;
        created_at: Date;
        read_at: Date | null;
      }>(sql`
        SELECT n.id::text, n.kind, t.key, t.title, n.export_id, x.filename, n.actor_id, a.display_name AS actor_name, n.created_at, n.read_at
          FROM in_app_notifications n LEFT JOIN tickets t ON t.id = n.ticket_id LEFT JOIN exports x ON x.id = n.export_id
          LEFT JOIN accounts a ON a.id = n.actor_id
         WHERE n.account_id = ${accountId} AND ${shown}
         ORDER BY n.id DESC LIMIT ${limit}`),
    ]);
    return {
      unread: count?.n ?? 0,
      items: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        ticketKey: r.key,
        ticketTitle: r.title,
        export: r.export_id ? { id: r.export_id, filename: r.filename ?? '', downloadUrl: `${ApiRoutes.exports}/${r.export_id}/file` } : null,
        actor: r.actor_id && r.actor_name ? { id: r.actor_id, displayName: r.actor_name } : null,
        createdAt: r.created_at.toISOString(),
        readAt: r.read_at?.toISOString() ?? null,
      })),
    };
  }

  /** False when the account has no such notification. */
  async markRead(accountId: string, id: string): Promise<boolean> {
    const rows = await this.db.query(sql`
      UPDATE in_app_notifications SET read_at = COALESCE(read_at, now()) WHERE id = ${id}::bigint AND account_id = ${accountId} RETURNING id`);
    return rows.length > 0;
  }

  async markAllRead(accountId: string): Promise<void> {
    await this.db.query(sql`UPDATE in_app_notifications SET read_at = now() WHERE account_id = ${accountId} AND read_at IS NULL`);
  }

  async preferences(accountId: string): Promise<InAppKind[]> {
    const row = await this.db.one<{ in_app: InAppKind[] }>(sql`SELECT in_app FROM notification_preferences WHERE account_id = ${accountId}`);
    return row?.in_app ?? [...IN_APP_KINDS];
  }

  async setPreferences(accountId: string, kinds: InAppKind[]): Promise<void> {
    await this.db.query(sql`
      INSERT INTO notification_preferences (account_id, in_app) VALUES (${accountId}, ${kinds}::text[])
      ON CONFLICT (account_id) DO UPDATE SET in_app = EXCLUDED.in_app`);
  }
}
