import { Injectable } from '@nestjs/common';
import type { BulkAction } from '@guichet/contracts';
import { sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';

/** What a bulk action changed on one ticket, kept for its undo. */
export interface ChangedTicket {
  key: string;
  /** The ticket's last history event once changed: a later change of the same thing is someone else's. */
  lastEvent: string;
  /** update: the fields as the history records them; status: the status it left; watcher: nothing more. */
  fields?: { field: string; before: unknown; after: unknown }[];
  status?: string;
}

export interface BulkActionRecord {
  id: string;
  action: BulkAction;
  /** The watcher a watcher action added. */
  watcherId: string | null;
  changed: ChangedTicket[];
}

/** The bulk actions kept for their undo (ticket_bulk_actions). */
@Injectable()
export class BulkActionsRepository {
  constructor(private readonly db: Database) {}

  async insert(
    a: { actorId: string; action: BulkAction; watcherId?: string; changed: ChangedTicket[] },
    tx: Queryable,
  ): Promise<{ id: string; createdAt: Date }> {
    const row = await tx.one<{ id: string; created_at: Date }>(sql`
      INSERT INTO ticket_bulk_actions (actor_id, action, changed)
      VALUES (${a.actorId}, ${a.action}, ${JSON.stringify({ watcherId: a.watcherId ?? null, tickets: a.changed })}::jsonb)
      RETURNING id, created_at`);
    return { id: row!.id, createdAt: row!.created_at };
  }

  /**
   * Marks the actor's bulk action undone and returns it, if it is still undoable: his last one,
   * not undone yet, less than `seconds` old. One statement, so that two undos cannot both pass.
   */
  async claimUndo(id: string, actorId: string, seconds: number, tx: Queryable): Promise<BulkActionRecord | undefined> {
    const row = await tx.one<{ id: string; action: BulkAction; changed: { watcherId: string | null; tickets: ChangedTicket[] } }>(sql`
      UPDATE ticket_bulk_actions b SET undone_at = now()
       WHERE b.id = ${id} AND b.actor_id = ${actorId} AND b.undone_at IS NULL
         AND b.created_at > now() - make_interval(secs => ${seconds})
         AND NOT EXISTS (SELECT 1 FROM ticket_bulk_actions n WHERE n.actor_id = b.actor_id AND n.created_at > b.created_at)
      RETURNING b.id, b.action, b.changed`);
    return row && { id: row.id, action: row.action, watcherId: row.changed.watcherId, changed: row.changed.tickets };
  }

  /** Whether the actor has this bulk action (undone, old or not): someone else's is missing for him. */
  async exists(id: string, actorId: string): Promise<boolean> {
    return !!(await this.db.one(sql`SELECT 1 FROM ticket_bulk_actions WHERE id = ${id} AND actor_id = ${actorId}`));
  }
}
