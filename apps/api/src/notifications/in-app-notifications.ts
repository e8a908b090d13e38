import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { InAppKind, InAppNotificationList, TicketMailKind } from '@guichet/contracts';
import { AccessPolicy } from '../access/access-policy';
import type { Principal } from '../access/principal';
import { PrincipalRepository } from '../auth/principal.repository';
import { NotFoundError } from '../common/errors';
import type { Sql } from '../common/sql';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import type { Queryable } from '../database/database';
import { JobQueue } from '../jobs/job-queue';
import { type JobHandler, JobWorker } from '../jobs/job-worker';
import { type TicketEvent, type TicketEventListener, TicketEvents, TicketPort, type TicketRecord } from '../tickets/ticket-port';
import { SupportGroupsRepository } from '../support-groups/support-groups.repository';
import { IN_APP_QUEUE } from './notification-queues';
import { type BellOwner, InAppRepository, type NewBellNotification } from './in-app.repository';
import type { BellNotice } from '../jobs/job-payloads';
import type { TicketEventNotice } from './ticket-notifications';

/** The ticket events that may ring a bell; resolutions and closings are told by email only. */
const RINGS: ReadonlySet<TicketMailKind> = new Set(['created', 'public_reply', 'assigned']);

/** Who follows a ticket: its requester, watchers and assignee. */
function followers(ticket: TicketRecord): string[] {
  return [ticket.requester.id, ...ticket.watchers.map((w) => w.id), ...(ticket.assignee ? [ticket.assignee.id] : [])];
}

/** `@Julie Martin` in a text, the name compared without case (names are how people write to each other). */
function mentions(text: string, name: string): boolean {
  return name.trim().length > 0 && text.toLocaleLowerCase('fr').includes(`@${name.toLocaleLowerCase('fr')}`);
}

/**
 * The bell: records, for each ticket event, an in-app notification for each person it concerns
 * who may see the ticket now and wants that kind. New ticket: the agents serving its space; reply:
 * its followers, and those it mentions (`@Name`, among its followers and the space's agents);
 * assignment: the assignee and the members of the ticket's group. Never the author of the change. Like email, decided in a job, after the change committed.
 */
@Injectable()
export class InAppNotifications implements TicketEventListener, OnModuleInit, OnApplicationBootstrap {
  private readonly fanOutJob: JobHandler<typeof IN_APP_QUEUE> = (notice) => this.fanOut(notice);

  constructor(
    private readonly repo: InAppRepository,
    private readonly jobs: JobQueue,
    private readonly worker: JobWorker,
    private readonly events: TicketEvents,
    private readonly tickets: TicketPort,
    private readonly principals: PrincipalRepository,
    private readonly groups: SupportGroupsRepository,
    private readonly policy: AccessPolicy,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  onModuleInit(): void {
    this.events.listen(this);
  }

  onApplicationBootstrap(): void {
    // The same switch as the mail workers: processes that only serve requests leave the jobs to others.
    if (this.config.mail.worker) this.worker.run(IN_APP_QUEUE, this.fanOutJob, { batch: 20, pollMs: 200 });
  }

  async handle(tx: Queryable, event: TicketEvent): Promise<void> {
    if (event.type === 'internal_note') {
      const { type: _type, ...note } = event;
      await this.jobs.enqueue({ queue: IN_APP_QUEUE, payload: { ...note, event: 'internal_note' } }, tx);
      return;
    }
    if (event.type !== 'notice' || !RINGS.has(event.event)) return;
    await this.jobs.enqueue({ queue: IN_APP_QUEUE, payload: this.notice(event) }, tx);
  }

  inOpening(event: TicketEvent, onlyIf: Sql): Sql {
    // The opening statement passes its "created" notice; any other event there still means "opened".
    const notice: TicketEventNotice = event.type === 'notice' ? this.notice(event) : { ticketId: event.ticketId, event: 'created', actorId: '' };
    return this.jobs.insertion({ queue: IN_APP_QUEUE, payload: notice }, onlyIf);
  }

  /** Runs every pending bell job now (tests). */
  async drain(): Promise<void> {
    await this.worker.drain(IN_APP_QUEUE, this.fanOutJob);
  }

  async fanOut(n: BellNotice): Promise<void> {
    const ticket = (await this.tickets.byIds([n.ticketId])).get(n.ticketId);
    if (!ticket) return;
    const wanted = new Map<string, InAppKind>();
    const want = (ids: string[], kind: InAppKind) => {
      for (const id of ids) if (!wanted.has(id)) wanted.set(id, kind);
    };
    if (n.event === 'created' || n.event === 'detected') want(await this.repo.servingAgents(ticket.spaceId), 'new_ticket');
    // The incident contacts the team's detection made followers hear of it in the app too (R9.3).
    if (n.event === 'detected') want(followers(ticket), 'new_ticket');
    if (n.event === 'assigned') want(await this.assignees(ticket), 'assigned');
    if (n.event === 'public_reply') {
      const body = n.commentId ? await this.repo.publicReplyBody(n.commentId) : undefined;
      if (body === undefined) return;
      const candidates = await this.repo.owners([...new Set([...followers(ticket), ...(await this.repo.servingAgents(ticket.spaceId))])]);
      want(
        candidates.filter((c) => mentions(body, c.displayName)).map((c) => c.id),
        'mention',
      );
      want(followers(ticket), 'public_reply');
    }
    if (n.event === 'internal_note') {
      const body = n.commentId ? await this.repo.noteBody(n.commentId) : undefined;
      if (body === undefined) return;
      const candidates = await this.repo.owners([...new Set([...followers(ticket), ...(await this.repo.servingAgents(ticket.spaceId))])]);
      want(
        candidates.filter((c) => mentions(body, c.displayName)).map((c) => c.id),
        'mention',
      );
    }
    wanted.delete(n.actorId);
    if (!wanted.size) return;
    const ids = [...wanted.keys()];
    const [owners, principals] = await Promise.all([this.repo.owners(ids), this.principals.loadMany(ids, 'session')]);
    const ref = { projectId: ticket.projectId, spaceId: ticket.spaceId, requesterId: ticket.requester.id, watcherIds: ticket.watchers.map((w) => w.id) };
    const rows: NewBellNotification[] = owners
      .filter((o: BellOwner) => {
        const p = principals.get(o.id);
        if (!p || !o.inApp.includes(wanted.get(o.id)!)) return false;
        const rights = this.policy.ticketRights(p, ref);
        // An internal note is told only to those who may read it.
        return n.event === 'internal_note' ? rights.see && rights.internalNotes : rights.see;
      })
      .map((o) => ({ accountId: o.id, ticketId: ticket.id, kind: wanted.get(o.id)!, actorId: n.actorId || null }));
    await this.repo.add(rows);
  }

  /** Who an assignment concerns: the assignee and the members of the ticket's support group. */
  private async assignees(ticket: TicketRecord): Promise<string[]> {
    const members = ticket.group ? await this.groups.memberIds(ticket.group.id) : [];
    return ticket.assignee ? [ticket.assignee.id, ...members] : members;
  }

  /** Tells the user who asked for an export, and him only, that its file is ready (his link to it). */
  exportReady(accountId: string, exportId: string): Promise<void> {
    return this.repo.addExportReady(accountId, exportId);
  }

  /** The bell of `p`: only notifications about tickets he may see now, and about his own exports. */
  list(p: Principal, limit: number): Promise<InAppNotificationList> {
    return this.repo.list(p.accountId, this.policy.ticketCondition(p, 't'), limit);
  }

  async markRead(p: Principal, id: string): Promise<void> {
    if (!/^\d{1,18}$/.test(id) || !(await this.repo.markRead(p.accountId, id))) throw new NotFoundError('notification', id);
  }

  markAllRead(p: Principal): Promise<void> {
    return this.repo.markAllRead(p.accountId);
  }

  preferences(p: Principal): Promise<InAppKind[]> {
    return this.repo.preferences(p.accountId);
  }

  setPreferences(p: Principal, kinds: InAppKind[]): Promise<void> {
    return this.repo.setPreferences(p.accountId, [...new Set(kinds)]);
  }

  private notice(event: Extract<TicketEvent, { type: 'notice' }>): TicketEventNotice {
    const { type: _type, ...notice } = event;
    return notice;
  }
}
