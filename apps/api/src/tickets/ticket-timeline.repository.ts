import { Injectable } from '@nestjs/common';
import type { AttachmentInfo, CommentVisibility, ForwardedMessage, HistoryEventType, LinkType, PersonRef, ScanStatus, TicketKind } from '@guichet/contracts';
import { raw, sql, Sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';
import { type CommentRecord, type EventRecord, type LinkRecord, PERSON, type TimelineParts, type TimeEntryRecord } from './ticket-records';

/** What the ticket page shows around the ticket: replies, history, attachments, links, time. */
@Injectable()
export class TicketTimelineRepository {
  constructor(private readonly db: Database) {}

  /**
   * Replies, history, attachments, links (to tickets matching `visibleOther` only) and, with
   * `withTime`, time spent, in one statement: each part is the query of its own method,
   * aggregated to JSON in the same order. One round trip instead of five on every ticket page.
   */
  async timelineParts(ticketId: string, includeInternal: boolean, visibleOther: Sql, withTime: boolean): Promise<TimelineParts> {
    const list = (q: Sql, order: string) => sql`(SELECT COALESCE(json_agg(x ORDER BY ${raw(order)}), '[]') FROM (${q}) x)`;
    const row = await this.db.one<{
      comments: CommentRow[];
      events: EventRow[];
      attachments: AttachmentRow[];
      links: LinkRow[];
      time_entries: TimeEntryRow[] | null;
    }>(
      sql`
      SELECT ${list(commentsQuery(sql`c.ticket_id = ${ticketId} AND (${includeInternal} OR c.visibility = 'public')`), 'x.created_at, x.id')} AS comments,
             ${list(eventsQuery(ticketId, includeInternal), 'x.id::bigint')} AS events,
             ${list(attachmentsQuery(ticketId, includeInternal), 'x.created_at, x.id')} AS attachments,
             ${list(linksQuery(ticketId, visibleOther), 'x.created_at')} AS links,
             ${withTime ? list(timeEntriesQuery(ticketId), 'x.spent_on, x.created_at') : sql`NULL::json`} AS time_entries`.prepared('timeline_parts'),
    );
    return {
      comments: row!.comments.map(toComment),
      events: row!.events.map(toEvent),
      attachments: row!.attachments.map(toAttachment),
      links: row!.links.map(toLink),
      timeEntries: row!.time_entries && row!.time_entries.map(toTimeEntry),
    };
  }

  async events(ticketId: string, includeInternal: boolean): Promise<EventRecord[]> {
    return (await this.db.query<EventRow>(eventsQuery(ticketId, includeInternal))).map(toEvent);
  }

  async comment(ticketId: string, id: string, tx: Queryable = this.db): Promise<CommentRecord | undefined> {
    const rows = await this.commentRows(sql`c.ticket_id = ${ticketId} AND c.id = ${id}`, tx);
    return rows[0];
  }

  async commentVersions(id: string): Promise<{ version: number; body: string; writtenAt: Date }[]> {
    const rows = await this.db.query<{ version: number; body: string; written_at: Date }>(sql`
      SELECT version, body, written_at FROM ticket_comment_versions WHERE comment_id = ${id} ORDER BY version`);
    return rows.map((r) => ({ version: r.version, body: r.body, writtenAt: r.written_at }));
  }

  private async commentRows(where: Sql, tx: Queryable = this.db): Promise<CommentRecord[]> {
    return (await tx.query<CommentRow>(commentsQuery(where))).map(toComment);
  }

  async timeEntries(ticketId: string): Promise<TimeEntryRecord[]> {
    return (await this.db.query<TimeEntryRow>(timeEntriesQuery(ticketId))).map(toTimeEntry);
  }

  // --- attachments (metadata; contents live in the file store) -----------------------
  async attachments(ticketId: string, includeInternal: boolean): Promise<AttachmentInfo[]> {
    return (await this.db.query<AttachmentRow>(attachmentsQuery(ticketId, includeInternal))).map(toAttachment);
  }
}

// The parts of the ticket page. Each is read alone or, aggregated to JSON, within
// `timelineParts`; hence timestamps may come as Date (driver) or ISO text (JSON).
export type Timestamp = Date | string;

export function date(value: Timestamp): Date {
  return value instanceof Date ? value : new Date(value);
}

export interface CommentRow {
  id: string;
  ticket_id: string;
  author: PersonRef;
  visibility: CommentVisibility;
  body: string;
  created_at: Timestamp;
  edited_at: Timestamp | null;
  solution: boolean;
}

export function commentsQuery(where: Sql): Sql {
  return sql`
    SELECT c.id, c.ticket_id, ${PERSON('a')} AS author, c.visibility, c.body, c.created_at, c.edited_at, c.solution
      FROM ticket_comments c JOIN accounts a ON a.id = c.author_id
     WHERE ${where} ORDER BY c.created_at, c.id`;
}

export function toComment(r: CommentRow): CommentRecord {
  return {
    id: r.id,
    ticketId: r.ticket_id,
    author: r.author,
    visibility: r.visibility,
    body: r.body,
    createdAt: date(r.created_at),
    editedAt: r.edited_at === null ? null : date(r.edited_at),
    solution: r.solution,
  };
}

export interface EventRow {
  id: string;
  at: Timestamp;
  actor: PersonRef | null;
  type: HistoryEventType;
  field: string | null;
  before: unknown;
  after: unknown;
  comment_id: string | null;
}

export function eventsQuery(ticketId: string, includeInternal: boolean): Sql {
  // The id as text: a bigint would lose precision as a JSON number.
  return sql`
    SELECT e.id::text AS id, e.at, CASE WHEN a.id IS NULL THEN NULL ELSE ${PERSON('a')} END AS actor, e.type, e.field, e.before, e.after, e.comment_id
      FROM ticket_events e LEFT JOIN accounts a ON a.id = e.actor_id
     WHERE e.ticket_id = ${ticketId} AND (${includeInternal} OR NOT e.internal)
     ORDER BY e.id`;
}

export function toEvent(r: EventRow): EventRecord {
  return { id: r.id, at: date(r.at), actor: r.actor, type: r.type, field: r.field, before: r.before, after: r.after, commentId: r.comment_id };
}

export interface AttachmentRow {
  id: string;
  filename: string;
  content_type: string;
  size: string | number;
  sha256: string;
  created_at: Timestamp;
  uploaded_by: PersonRef;
  comment_id: string | null;
  forwarded_message: ForwardedMessage | null;
  scan_status: ScanStatus | null;
  scan_signature: string | null;
  scanned_at: Timestamp | null;
}

// The verdict is read from the antivirus's table (scanning/, ADR 0039), joined on the file store
// key; a file without a record predates scanning and was never scanned.
export function attachmentsQuery(ticketId: string, includeInternal: boolean): Sql {
  return sql`
    SELECT f.id, f.filename, f.content_type, f.size, encode(f.sha256, 'hex') AS sha256, f.created_at, ${PERSON('a')} AS uploaded_by, f.comment_id, f.forwarded_message,
           s.status AS scan_status, s.signature AS scan_signature, s.scanned_at
      FROM attachments f JOIN accounts a ON a.id = f.uploaded_by
      LEFT JOIN file_scans s ON s.file_key = f.storage_key
     WHERE f.ticket_id = ${ticketId} AND (${includeInternal} OR NOT f.internal)
     ORDER BY f.created_at, f.id`;
}

export function toAttachment(r: AttachmentRow): AttachmentInfo {
  return {
    id: r.id,
    filename: r.filename,
    contentType: r.content_type,
    size: Number(r.size),
    sha256: r.sha256,
    createdAt: date(r.created_at).toISOString(),
    uploadedBy: r.uploaded_by,
    commentId: r.comment_id,
    forwardedMessage: r.forwarded_message,
    scan: { status: r.scan_status ?? 'not_scanned', signature: r.scan_signature, scannedAt: r.scanned_at ? date(r.scanned_at).toISOString() : null },
  };
}

export interface LinkRow {
  id: string;
  type: LinkType;
  outgoing: boolean;
  key: string;
  title: string;
  status: string;
  kind: TicketKind;
  created_at: Timestamp;
}

/** Links of a ticket, from both sides, to tickets matching `visibleOther` only. */
export function linksQuery(ticketId: string, visibleOther: Sql): Sql {
  return sql`
    SELECT l.id, l.type, l.source_id = ${ticketId} AS outgoing, t.key, t.title, t.status, t.kind, l.created_at
      FROM ticket_links l
      JOIN tickets t ON t.id = CASE WHEN l.source_id = ${ticketId} THEN l.target_id ELSE l.source_id END
     WHERE (l.source_id = ${ticketId} OR l.target_id = ${ticketId}) AND ${visibleOther}
     ORDER BY l.created_at`;
}

export function toLink(r: LinkRow): LinkRecord {
  return { id: r.id, type: r.type, outgoing: r.outgoing, other: { key: r.key, title: r.title, status: r.status, kind: r.kind }, createdAt: date(r.created_at) };
}

export interface TimeEntryRow {
  id: string;
  author: PersonRef;
  minutes: number;
  spent_on: string;
  note: string;
  created_at: Timestamp;
}

export function timeEntriesQuery(ticketId: string): Sql {
  return sql`
    SELECT e.id, ${PERSON('a')} AS author, e.minutes, to_char(e.spent_on, 'YYYY-MM-DD') AS spent_on, e.note, e.created_at
      FROM time_entries e JOIN accounts a ON a.id = e.account_id WHERE e.ticket_id = ${ticketId} ORDER BY e.spent_on, e.created_at`;
}

export function toTimeEntry(r: TimeEntryRow): TimeEntryRecord {
  return { id: r.id, author: r.author, minutes: r.minutes, spentOn: r.spent_on, note: r.note, createdAt: date(r.created_at) };
}
