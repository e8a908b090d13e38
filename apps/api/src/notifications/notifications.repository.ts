import { Injectable } from '@nestjs/common';
import type { LinkMailStatus, Locale, NotificationEvent, TicketMailKind } from '@guichet/contracts';
import { sql } from '../common/sql';
import { Database } from '../database/database';
import { LINK_QUEUE, SEND_KEY_PREFIX, SEND_QUEUE } from './notification-queues';

export interface Recipient {
  id: string;
  email: string;
  displayName: string;
  locale: Locale;
  notifyOn: NotificationEvent[];
  bounces: number;
}

export interface NewOutbound {
  messageId: string;
  ticketId: string;
  recipientId: string;
  toAddress: string;
  kind: TicketMailKind;
  subject: string;
  commentId: string | null;
}

export interface OutboundToSend {
  id: string;
  messageId: string;
  toAddress: string;
  kind: TicketMailKind;
  subject: string;
  status: string;
  ticketKey: string;
  ticketTitle: string;
  ticketId: string;
  locale: Locale;
  commentBody: string | null;
  originalMessageId: string | null;
}

@Injectable()
export class NotificationsRepository {
  constructor(private readonly db: Database) {}

  async recipients(ids: string[]): Promise<Recipient[]> {
    const rows = await this.db.query<{
      id: string;
      email: string;
      display_name: string;
      locale: Locale;
      notify_on: NotificationEvent[];
      bounces: number | null;
    }>(sql`
      SELECT a.id, a.email, a.display_name, a.locale, a.notify_on, s.bounces
        FROM accounts a LEFT JOIN mail_address_status s ON s.address = lower(a.email)
       WHERE a.id = ANY(${ids}::uuid[]) AND a.active`);
    return rows.map((r) => ({ id: r.id, email: r.email, displayName: r.display_name, locale: r.locale, notifyOn: r.notify_on, bounces: r.bounces ?? 0 }));
  }

  /** Those of these replies that are public (internal notes are never mailed). */
  async publicComments(ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await this.db.query<{ id: string }>(sql`SELECT id FROM ticket_comments WHERE id = ANY(${ids}::uuid[]) AND visibility = 'public'`);
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Queues the mails of one ticket event and their sending jobs, and marks the event's own
   * job done, in one statement: all of it happens, or none of it when the job is no longer this
   * worker's (its lease ran out and another took it). False in that case. The job rows follow the
   * shape JobQueue.enqueue writes (default attempts and run time, dedupe key `send:<id>`).
   */
  async queueAll(mails: NewOutbound[], eventJob: { id: string; workerId: string } | undefined): Promise<boolean> {
    const row = await this.db.one<{ ours: boolean }>(sql`
      WITH done AS (
        UPDATE jobs SET status = 'done', finished_at = now(), locked_by = NULL, locked_until = NULL
         WHERE id = ${eventJob?.id ?? null}::bigint AND locked_by = ${eventJob?.workerId ?? null}
        RETURNING id
      ), ours AS (
        SELECT ${eventJob === undefined} OR EXISTS (SELECT 1 FROM done) AS ok
      ), outbound AS (
        INSERT INTO outbound_messages (message_id, ticket_id, recipient_id, to_address, kind, subject, comment_id)
        SELECT m.message_id, m.ticket_id, m.recipient_id, m.to_address, m.kind, m.subject, m.comment_id
          FROM unnest(${mails.map((m) => m.messageId)}::text[], ${mails.map((m) => m.ticketId)}::uuid[], ${mails.map((m) => m.recipientId)}::uuid[],
                      ${mails.map((m) => m.toAddress)}::text[], ${mails.map((m) => m.kind)}::text[], ${mails.map((m) => m.subject)}::text[],
                      ${mails.map((m) => m.commentId)}::uuid[])
               AS m(message_id, ticket_id, recipient_id, to_address, kind, subject, comment_id)
         WHERE (SELECT ok FROM ours)
        RETURNING id
      ), sends AS (
        INSERT INTO jobs (queue, payload, dedupe_key)
        SELECT ${SEND_QUEUE}::text, jsonb_build_object('outboundId', o.id), ${SEND_KEY_PREFIX}::text || o.id FROM outbound o
        ON CONFLICT (queue, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
        RETURNING id
      )
      SELECT (SELECT ok FROM ours) AS ours, (SELECT count(*) FROM sends) AS sends`);
    return !!row?.ours;
  }

  /** The mails of a batch of send jobs, with what composing them needs, by id. */
  async toSend(ids: string[]): Promise<Map<string, OutboundToSend>> {
    const rows = await this.db.query<Record<string, unknown>>(sql`
      SELECT o.id, o.message_id, o.to_address, o.kind, o.subject, o.status, t.key, t.title, t.id AS ticket_id,
             COALESCE(a.locale, 'fr') AS locale, c.body AS comment_body,
             (SELECT i.message_id FROM inbound_messages i WHERE i.ticket_id = t.id AND i.outcome = 'ticket' ORDER BY i.received_at LIMIT 1) AS original_message_id
        FROM outbound_messages o JOIN tickets t ON t.id = o.ticket_id
        LEFT JOIN accounts a ON a.id = o.recipient_id
        LEFT JOIN ticket_comments c ON c.id = o.comment_id AND c.visibility = 'public'
       WHERE o.id = ANY(${ids}::uuid[])`);
    return new Map(
      rows.map((row) => [
        row['id'] as string,
        {
          id: row['id'] as string,
          messageId: row['message_id'] as string,
          toAddress: row['to_address'] as string,
          kind: row['kind'] as TicketMailKind,
          subject: row['subject'] as string,
          status: row['status'] as string,
          ticketKey: row['key'] as string,
          ticketTitle: row['title'] as string,
          ticketId: row['ticket_id'] as string,
          locale: row['locale'] as Locale,
          commentBody: (row['comment_body'] as string | null) ?? null,
          originalMessageId: (row['original_message_id'] as string | null) ?? null,
        },
      ]),
    );
  }

  async markSent(ids: string[]): Promise<void> {
    await this.db.query(sql`UPDATE outbound_messages SET status = 'sent', sent_at = now(), last_error = NULL WHERE id = ANY(${ids}::uuid[])`);
  }

  async markFailed(id: string, error: string, final: boolean): Promise<void> {
    await this.db.query(sql`
      UPDATE outbound_messages SET last_error = ${error.slice(0, 1000)}, status = CASE WHEN ${final} THEN 'failed' ELSE status END WHERE id = ${id}`);
  }

  /** The job of the last link mailed to an account (jobs_link_mail_account_idx), as the account's page tells it. */
  async lastLinkMail(accountId: string): Promise<LinkMailStatus | null> {
    const row = await this.db.one<{
      status: string;
      purpose: 'activation' | 'reset';
      created_at: Date;
      finished_at: Date | null;
      last_error: string | null;
    }>(sql`
      SELECT status, payload->>'purpose' AS purpose, created_at, finished_at, last_error FROM jobs
       WHERE queue = ${LINK_QUEUE} AND payload->>'accountId' = ${accountId}
       ORDER BY id DESC LIMIT 1`);
    if (!row) return null;
    const state = row.status === 'done' ? 'sent' : row.status === 'failed' ? 'failed' : 'queued';
    return {
      state,
      purpose: row.purpose,
      queuedAt: row.created_at.toISOString(),
      sentAt: state === 'sent' ? (row.finished_at?.toISOString() ?? null) : null,
      error: state === 'sent' ? null : row.last_error,
    };
  }

  /** Agents and administrators who serve the ticket's space and gave a mobile number. */
  /** The active incident contacts of these projects (R9.3), by project. */
  async incidentContacts(projectIds: string[]): Promise<Map<string, Set<string>>> {
    const rows = await this.db.query<{ project_id: string; account_id: string }>(sql`
      SELECT c.project_id, c.account_id FROM project_incident_contacts c JOIN accounts a ON a.id = c.account_id AND a.active
       WHERE c.project_id = ANY(${projectIds}::uuid[])`);
    const byProject = new Map<string, Set<string>>();
    for (const r of rows) byProject.set(r.project_id, (byProject.get(r.project_id) ?? new Set()).add(r.account_id));
    return byProject;
  }

  /** The mobile phones of the ticket's project's incident contacts who still have access to it. */
  async contactPhones(ticketId: string): Promise<{ phone: string; key: string; title: string }[]> {
    return this.db.query<{ phone: string; key: string; title: string }>(sql`
      SELECT DISTINCT a.mobile_phone AS phone, t.key, t.title
        FROM tickets t
        JOIN project_incident_contacts c ON c.project_id = t.project_id
        JOIN accounts a ON a.id = c.account_id AND a.active AND a.mobile_phone IS NOT NULL
       WHERE t.id = ${ticketId}`);
  }

  /** Who is alerted of a ticket's service-level clock: its assignee and the support team of its space (ADR 0052). */
  async clockAlertAudience(ticketId: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(sql`
      SELECT t.assignee_id AS id FROM tickets t WHERE t.id = ${ticketId} AND t.assignee_id IS NOT NULL
      UNION
      SELECT a.id FROM tickets t
        JOIN space_members sm ON sm.space_id = t.space_id
        JOIN accounts a ON a.id = sm.account_id AND a.active
        JOIN profiles p ON p.id = a.profile_id AND 'ticket.actOnOthers' = ANY(p.rights)
       WHERE t.id = ${ticketId}`);
    return rows.map((r) => r.id);
  }

  async onCallPhones(ticketId: string): Promise<{ phone: string; key: string; title: string }[]> {
    return this.db.query<{ phone: string; key: string; title: string }>(sql`
      SELECT DISTINCT a.mobile_phone AS phone, t.key, t.title
        FROM tickets t
        JOIN space_members sm ON sm.space_id = t.space_id
        JOIN accounts a ON a.id = sm.account_id AND a.active AND a.mobile_phone IS NOT NULL
        JOIN profiles p ON p.id = a.profile_id AND 'ticket.actOnOthers' = ANY(p.rights)
       WHERE t.id = ${ticketId}`);
  }
}
