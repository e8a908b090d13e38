import { Inject, Injectable, Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import { PROJECT_KEY_SOURCE } from '@guichet/contracts';
import { AccessPolicy } from '../access/access-policy';
import type { Principal } from '../access/principal';
import { AccountsRepository } from '../auth/accounts.repository';
import { PrincipalRepository } from '../auth/principal.repository';
import { DomainError } from '../common/errors';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import { Database, type Queryable } from '../database/database';
import { type ProjectRecord, ProjectsRepository } from '../projects/projects.repository';
import { FILE_STORE, type FileStore } from '../storage/file-store';
import { TicketPort, type TicketRecord, type VisibleTicket } from '../tickets/ticket-port';
import type { InboundMessage } from './inbound-message';
import { type InboundOutcome, InboundMessagesRepository } from './inbound-messages.repository';
import type { MailboxRecord } from './mail-settings.repository';
import { MessageParts, type StoredPart } from './message-parts';
import { type ParsedRaw, unparsableMessageId } from './parse-raw';
import { trimQuotedReply } from './reply-trimmer';

/** The project key tagged on a recipient (support+hweb@...), in any case. */
const PLUS_TAG = new RegExp(`^[^+@]+\\+(${PROJECT_KEY_SOURCE})@`, 'i');

/** A project by its key, or undefined when there is none. */
export type ProjectLookup = (key: string) => Promise<ProjectRecord | undefined>;

/** A received message as recorded: under its substitute identifier when another message took its Message-ID first. */
type RecordedMessage = InboundMessage & { reusedMessageId?: string };

export interface IngestResult {
  outcome: InboundOutcome | 'duplicate';
  reason: string | null;
  ticketKey: string | null;
  messageId: string;
}

/**
 * Turns one received message into a ticket, a reply, a review item or nothing (machine mail),
 * recording it by Message-ID in the same transaction, so each message counts exactly once
 * even if the worker dies between any two steps (R3.1-R3.3).
 */
@Injectable()
export class MailIngestion {
  private readonly logger = new Logger(MailIngestion.name);

  constructor(
    private readonly db: Database,
    private readonly inbound: InboundMessagesRepository,
    private readonly accounts: AccountsRepository,
    private readonly principals: PrincipalRepository,
    private readonly projects: ProjectsRepository,
    private readonly tickets: TicketPort,
    private readonly parts: MessageParts,
    private readonly policy: AccessPolicy,
    @Inject(FILE_STORE) private readonly files: FileStore,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  /**
   * Projects by key for one batch of messages, each read once: a batch takes a few seconds, and
   * most of its messages go to the same project.
   */
  projectsOfBatch(): ProjectLookup {
    const byKey = new Map<string, Promise<ProjectRecord | undefined>>();
    return (key) => {
      let found = byKey.get(key);
      if (!found) {
        found = this.projects.findByKey(key);
        byKey.set(key, found);
        // A failed read is not kept: the next message of the batch tries again.
        found.catch(() => byKey.delete(key));
      }
      return found;
    };
  }

  /** Records one parsed message: a ticket, a reply, a review entry or nothing (duplicate, machine mail). */
  async ingest(
    mailbox: Pick<MailboxRecord, 'id' | 'defaultProjectKey' | 'routes'>,
    parsed: ParsedRaw,
    projects: ProjectLookup = this.projectsOfBatch(),
  ): Promise<IngestResult> {
    // Another worker recorded the same Message-ID first: looked at again, a copy is then a
    // duplicate and a different message is recorded under its own identifier.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.ingestOnce(mailbox, parsed, projects);
      } catch (err) {
        if (!(err instanceof DuplicateMessage) || attempt >= 3) throw err;
      }
    }
  }

  private async ingestOnce(
    mailbox: Pick<MailboxRecord, 'id' | 'defaultProjectKey' | 'routes'>,
    parsed: ParsedRaw,
    projects: ProjectLookup,
  ): Promise<IngestResult> {
    const { raw, rawKey } = parsed;
    // Unparsable: kept whole for a person to look at, never lost.
    if (!parsed.message) return this.keepForReview(mailbox.id, raw, rawKey, null, 'unparsable', parsed.error);
    const { message, recent } = await this.identify(parsed.message);
    if (!message) return this.result('duplicate', null, null, parsed.message.messageId);
    if (raw.length > this.config.mail.maxMessageBytes) return this.keepForReview(mailbox.id, raw, rawKey, message, 'too_large');
    if (message.machine) return this.ignoreMachineMail(mailbox.id, message);
    const principal = message.from ? await this.principals.loadByEmail(message.from, 'session') : undefined;
    if (!principal) {
      const known = message.from ? await this.accounts.findCredentialsByEmail(message.from) : undefined;
      return this.keepForReview(mailbox.id, raw, rawKey, message, known ? 'account_disabled' : 'unknown_sender');
    }
    if (recent >= this.config.mail.maxPerSenderPerHour) return this.keepForReview(mailbox.id, raw, rawKey, message, 'rate_limited');

    await this.files.put(rawKey, Readable.from([raw]));
    const parts = await this.parts.store(message);
    try {
      const result = await this.db.transaction(async (tx) => {
        const existing = await this.threadedTicket(message, tx);
        if (existing) return this.reply(tx, mailbox.id, message, rawKey, principal, existing, parts);
        return this.open(tx, mailbox, message, rawKey, principal, parts, projects);
      });
      if (result.outcome === 'review') await this.parts.discard(parts);
      return result;
    } catch (err) {
      await this.parts.discard(parts);
      throw err;
    }
  }

  /**
   * The message as it is to be recorded, or null when it is a copy of one recorded already: same
   * Message-ID, same sender, same content (ADR 0020). A different message that reuses a recorded
   * Message-ID (some mailers and scripts do) is recorded under its substitute identifier instead.
   */
  private async identify(m: InboundMessage): Promise<{ message: RecordedMessage | null; recent: number }> {
    const found = await this.inbound.recordedAndRecent(m.messageId, m.from, 60);
    if (!found.recorded) return { message: m, recent: found.recent };
    const r = found.recorded;
    // Rows recorded before content digests were kept cannot tell: taken as copies, as they were.
    const copy = r.contentDigest === null || (r.fromAddress === m.from && r.contentDigest === m.contentDigest);
    if (copy || m.messageId === m.substituteId) return { message: null, recent: found.recent };
    const reused: RecordedMessage = { ...m, messageId: m.substituteId, reusedMessageId: m.messageId };
    const again = await this.inbound.recordedAndRecent(reused.messageId, m.from, 60);
    return { message: again.recorded ? null : reused, recent: again.recent };
  }

  /** Key in the subject first, then the Message-IDs the message answers. */
  private async threadedTicket(m: InboundMessage, tx: Queryable): Promise<string | null> {
    return m.ticketKey ?? (await this.inbound.ticketKeyByReferences(m.references, tx));
  }

  private async reply(
    tx: Queryable,
    mailboxId: string,
    m: RecordedMessage,
    rawKey: string,
    p: Principal,
    key: string,
    parts: StoredPart[],
  ): Promise<IngestResult> {
    let found: VisibleTicket;
    try {
      found = await this.tickets.visible(p, key, tx, true);
    } catch {
      // A key the sender cannot see: a stranger quoting it gets nothing added anywhere.
      return this.recordIn(tx, mailboxId, m, rawKey, 'review', 'not_allowed_on_ticket', null, null);
    }
    const { ticket, rights } = found;
    if (!rights.comment) return this.recordIn(tx, mailboxId, m, rawKey, 'review', 'not_allowed_on_ticket', null, null);
    if (ticket.isClosed) {
      const reopen = this.tickets.reopenStatus(ticket);
      const recent = ticket.closedAt && Date.now() - ticket.closedAt.getTime() <= this.config.mail.reopenDays * 86400000;
      if (!reopen || !recent) return this.openLinked(tx, mailboxId, m, rawKey, p, ticket, parts);
      await this.tickets.move(tx, ticket, reopen, p.accountId);
    }
    const body = trimQuotedReply(m.text) || '(message sans texte)';
    const commentId = await this.tickets.reply(tx, ticket, p, body, true);
    await this.parts.attach(tx, ticket.id, commentId, p.accountId, parts);
    return this.recordIn(tx, mailboxId, m, rawKey, 'comment', null, ticket, commentId);
  }

  private async open(
    tx: Queryable,
    mailbox: Pick<MailboxRecord, 'id' | 'defaultProjectKey' | 'routes'>,
    m: RecordedMessage,
    rawKey: string,
    p: Principal,
    parts: StoredPart[],
    projects: ProjectLookup,
  ): Promise<IngestResult> {
    const project = await this.route(mailbox, m, projects);
    if (!project) return this.recordIn(tx, mailbox.id, m, rawKey, 'review', 'no_project_for_address', null, null);
    if (this.policy.projectAccess(p, project) === 'none') return this.recordIn(tx, mailbox.id, m, rawKey, 'review', 'not_allowed_in_project', null, null);
    let created: { id: string; key: string };
    try {
      created = await this.tickets.open(
        tx,
        p,
        { projectKey: project.key, kind: 'request', title: m.title, description: m.text.slice(0, 100000) },
        'email',
        project,
      );
    } catch (err) {
      if (err instanceof DomainError) return this.recordIn(tx, mailbox.id, m, rawKey, 'review', `refused: ${err.message}`, null, null);
      throw err;
    }
    await this.parts.attach(tx, created.id, null, p.accountId, parts);
    return this.recordIn(tx, mailbox.id, m, rawKey, 'ticket', null, created, null);
  }

  /** A reply to a ticket closed too long ago (or of a kind that does not reopen) opens a new one linked to it. */
  private async openLinked(
    tx: Queryable,
    mailboxId: string,
    m: RecordedMessage,
    rawKey: string,
    p: Principal,
    old: TicketRecord,
    parts: StoredPart[],
  ): Promise<IngestResult> {
    const created = await this.tickets.open(
      tx,
      p,
      {
        projectKey: old.projectKey,
        kind: old.kind === 'problem' ? 'incident' : old.kind === 'incident' ? 'incident' : 'request',
        title: m.title,
        description: trimQuotedReply(m.text),
      },
      'email',
    );
    const { ticket } = await this.tickets.visible(p, created.key, tx);
    await this.tickets.link(tx, ticket, old, p.accountId);
    await this.parts.attach(tx, ticket.id, null, p.accountId, parts);
    return this.recordIn(tx, mailboxId, m, rawKey, 'ticket', `follow_up_of:${old.key}`, ticket, null);
  }

  /** Project of a new ticket: an exact route, a plus-address tag (support+hweb@), or the mailbox's default. */
  private async route(
    mailbox: Pick<MailboxRecord, 'defaultProjectKey' | 'routes'>,
    m: InboundMessage,
    projects: ProjectLookup,
  ): Promise<ProjectRecord | undefined> {
    for (const r of m.recipients) {
      const route = mailbox.routes.find((x) => x.address === r);
      if (route) return projects(route.projectKey);
    }
    for (const r of m.recipients) {
      const tag = PLUS_TAG.exec(r)?.[1]?.toUpperCase();
      const tagged = tag ? await projects(tag) : undefined;
      if (tagged) return tagged;
    }
    return mailbox.defaultProjectKey ? projects(mailbox.defaultProjectKey) : undefined;
  }

  private async ignoreMachineMail(mailboxId: string, m: RecordedMessage): Promise<IngestResult> {
    return this.db.transaction(async (tx) => {
      // A failed delivery of one of our notifications counts against the address we sent it to;
      // what it returns is found by Message-ID among the mail we sent (ADR 0020). A delay is no failure.
      if (m.machine === 'delivery_report' && /^\s*Action:\s*failed\b/im.test(m.text)) {
        const status = /^\s*Status:\s*([245]\.\d{1,3}\.\d{1,3})\b/im.exec(m.text)?.[1];
        await this.inbound.recordBounces([...m.reportedMessageIds, ...m.references], status ? `delivery failed (${status})` : 'delivery failed', tx);
      }
      return this.recordIn(tx, mailboxId, m, null, 'ignored', m.machine, null, null);
    });
  }

  /** Keeps the original for a person to decide; `m` is null when the message could not be parsed. */
  private async keepForReview(
    mailboxId: string,
    raw: Buffer,
    rawKey: string,
    m: RecordedMessage | null,
    reason: string,
    detail?: string,
  ): Promise<IngestResult> {
    await this.files.put(rawKey, Readable.from([raw]));
    const why = detail ? `${reason}: ${detail.slice(0, 300)}` : reason;
    if (m) return this.recordIn(this.db, mailboxId, m, rawKey, 'review', why, null, null);
    // Unparsable mail is known by its bytes alone, without the trace fields of its delivery.
    const messageId = unparsableMessageId(raw);
    const recorded = await this.inbound.insert(
      {
        mailboxId,
        messageId,
        fromAddress: null,
        subject: '',
        size: raw.length,
        outcome: 'review',
        reason: why,
        ticketId: null,
        commentId: null,
        rawKey,
        contentDigest: null,
      },
      this.db,
    );
    return this.result(recorded ? 'review' : 'duplicate', reason, null, messageId);
  }

  private async recordIn(
    tx: Queryable,
    mailboxId: string,
    m: RecordedMessage,
    rawKey: string | null,
    outcome: InboundOutcome,
    reason: string | null,
    ticket: Pick<TicketRecord, 'id' | 'key'> | null,
    commentId: string | null,
  ): Promise<IngestResult> {
    const why = m.reusedMessageId ? [reason, `message_id_reused:${m.reusedMessageId}`].filter(Boolean).join('; ') : reason;
    const recorded = await this.inbound.insert(
      {
        mailboxId,
        messageId: m.messageId,
        fromAddress: m.from,
        subject: m.subject,
        size: m.size,
        outcome,
        reason: why,
        ticketId: ticket?.id ?? null,
        commentId,
        rawKey,
        contentDigest: m.contentDigest,
      },
      tx,
    );
    // Another worker recorded this Message-ID in the meantime: undo everything of ours.
    if (!recorded) throw new DuplicateMessage(m.messageId);
    return this.result(outcome, why, ticket?.key ?? null, m.messageId);
  }

  private result(outcome: IngestResult['outcome'], reason: string | null, ticketKey: string | null, messageId: string): IngestResult {
    return { outcome, reason, ticketKey, messageId };
  }
}

export class DuplicateMessage extends Error {
  constructor(readonly messageId: string) {
    super(`message ${messageId} was already recorded`);
  }
}
