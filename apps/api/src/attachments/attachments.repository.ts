import { Injectable } from '@nestjs/common';
import type { ForwardedMessage } from '@guichet/contracts';
import { sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';

export interface NewAttachment {
  id: string;
  ticketId: string;
  commentId: string | null;
  filename: string;
  contentType: string;
  size: number;
  sha256: Buffer;
  storageKey: string;
  uploadedBy: string;
  internal: boolean;
  /** Sender, subject and date of a forwarded message (message/rfc822) received by email. */
  forwardedMessage?: ForwardedMessage | null;
}

/** What serving one attachment needs: where it is, and the ticket that decides who may read it. */
export interface AttachmentRecord {
  id: string;
  ticketKey: string;
  filename: string;
  contentType: string;
  size: number;
  storageKey: string;
  internal: boolean;
}

/** Attachment rows; the ticket's list of attachments is read with the rest of its timeline (TicketTimelineRepository). */
@Injectable()
export class AttachmentsRepository {
  constructor(private readonly db: Database) {}

  /** Rows of one upload get increasing times (not the transaction's), so they list in the order sent. */
  async insert(a: NewAttachment, tx: Queryable): Promise<void> {
    await tx.query(sql`
      INSERT INTO attachments (id, ticket_id, comment_id, filename, content_type, size, sha256, storage_key, uploaded_by, internal, forwarded_message, created_at)
      VALUES (${a.id}, ${a.ticketId}, ${a.commentId}, ${a.filename}, ${a.contentType}, ${a.size}, ${a.sha256}, ${a.storageKey}, ${a.uploadedBy}, ${a.internal},
              ${a.forwardedMessage ? JSON.stringify(a.forwardedMessage) : null}::jsonb, clock_timestamp())`);
  }

  /** Removes one attachment row; false when it was gone already. */
  async delete(id: string, tx: Queryable): Promise<boolean> {
    return (await tx.query(sql`DELETE FROM attachments WHERE id = ${id} RETURNING id`)).length > 0;
  }

  async find(id: string): Promise<AttachmentRecord | undefined> {
    const row = await this.db.one<{
      id: string;
      ticket_key: string;
      filename: string;
      content_type: string;
      size: string;
      storage_key: string;
      internal: boolean;
    }>(sql`
      SELECT f.id, t.key AS ticket_key, f.filename, f.content_type, f.size, f.storage_key, f.internal
        FROM attachments f JOIN tickets t ON t.id = f.ticket_id
       WHERE f.id = ${id}`);
    return (
      row && {
        id: row.id,
        ticketKey: row.ticket_key,
        filename: row.filename,
        contentType: row.content_type,
        size: Number(row.size),
        storageKey: row.storage_key,
        internal: row.internal,
      }
    );
  }
}
