import { Injectable } from '@nestjs/common';
import { allowedTransitions, CUSTOMER_TRANSITIONS, TICKET_KEY_PATTERN } from '@guichet/contracts';
import { AccessPolicy, type TicketRights } from '../access/access-policy';
import type { Principal } from '../access/principal';
import { PrincipalRepository } from '../auth/principal.repository';
import { NotFoundError, ValidationError } from '../common/errors';
import type { Queryable } from '../database/database';
import type { EventRecord, TicketRecord } from './ticket-records';
import { TicketsRepository } from './tickets.repository';

/** Who may see a ticket, move it, and take part in it. */
@Injectable()
export class TicketVisibility {
  constructor(
    private readonly tickets: TicketsRepository,
    private readonly principals: PrincipalRepository,
    private readonly policy: AccessPolicy,
  ) {}

  /** The ticket if the user may see it, else "not found" whether it exists or not (R2.6). */
  async visible(p: Principal, key: string, tx?: Queryable, forUpdate = false): Promise<{ ticket: TicketRecord; rights: TicketRights }> {
    const ticket = TICKET_KEY_PATTERN.test(key) ? await this.tickets.findByKey(key, tx, forUpdate) : undefined;
    const rights = ticket
      ? this.policy.ticketRights(p, {
          projectId: ticket.projectId,
          spaceId: ticket.spaceId,
          requesterId: ticket.requester.id,
          watcherIds: ticket.watchers.map((w) => w.id),
        })
      : undefined;
    if (!ticket || !rights?.see) throw new NotFoundError('ticket', key);
    return { ticket, rights };
  }

  transitionsFor(ticket: TicketRecord, rights: TicketRights): string[] {
    if (rights.act) return [...allowedTransitions(ticket.kind, ticket.status)];
    if (rights.customerMoves) return [...(CUSTOMER_TRANSITIONS[ticket.kind][ticket.status] ?? [])];
    return [];
  }

  /**
   * A link event naming a ticket the user cannot see is left out (R2.6), and so is an event
   * naming a configuration item he does not see in full; an item deleted since is named to the
   * support team only.
   */
  async hideUnreadableLinks(p: Principal, events: EventRecord[]): Promise<EventRecord[]> {
    const named = [...new Set(events.filter((e) => e.type === 'link_added' && typeof e.after === 'string').map((e) => e.after as string))];
    const hidden = new Set<string>();
    for (const key of named) {
      const other = await this.tickets.findByKey(key);
      const rights =
        other &&
        this.policy.ticketRights(p, {
          projectId: other.projectId,
          spaceId: other.spaceId,
          requesterId: other.requester.id,
          watcherIds: other.watchers.map((w) => w.id),
        });
      if (!rights?.see) hidden.add(key);
    }
    const itemOf = (e: EventRecord) => (e.type === 'item_linked' ? e.after : e.type === 'item_unlinked' ? e.before : undefined) as { id?: unknown } | undefined;
    const itemIds = [...new Set(events.flatMap((e) => (typeof itemOf(e)?.id === 'string' ? [itemOf(e)!.id as string] : [])))];
    const items = itemIds.length ? await this.tickets.configurationItemScopes(itemIds) : new Map();
    const seesItem = (id: unknown) => {
      const item = typeof id === 'string' ? items.get(id) : undefined;
      return item ? this.policy.seesConfigurationItem(p, item) : p.rights.has('platform.allSpaces') || p.rights.has('ticket.seeOthers');
    };
    return events.filter((e) => {
      if (e.type === 'link_added') return !hidden.has(e.after as string);
      if (e.type === 'item_linked' || e.type === 'item_unlinked') return seesItem(itemOf(e)?.id);
      return true;
    });
  }

  /**
   * The accounts a change involves, loaded before its transaction: loading them inside it would
   * take a second pool connection while holding the first (and the ticket or counter lock), and
   * enough concurrent requests would then wait on each other forever.
   */
  async people(ids: readonly (string | null | undefined)[]): Promise<Map<string, Principal | undefined>> {
    const unique = [...new Set(ids.filter((id): id is string => !!id))];
    return new Map(await Promise.all(unique.map(async (id) => [id, await this.principals.load(id, 'session')] as const)));
  }

  /**
   * Accounts that may be the requester of a ticket of `project` (submit access at least), whose
   * name or address contains `text`: the same rule as assertMayTakePart, judged by the policy.
   */
  async possibleRequesters(project: { id: string; spaceId: string }, text: string, limit: number): Promise<Principal[]> {
    // Candidates are read beyond the limit: some members of the space have no access to this project.
    const candidates = await this.principals.searchReachingSpace(project.spaceId, text, limit * 4);
    return candidates.filter((c) => this.policy.projectAccess(c, project) !== 'none').slice(0, limit);
  }

  /** Requesters, assignees and watchers must be able to reach the ticket themselves. */
  assertMayTakePart(other: Principal | undefined, project: { id: string; spaceId: string }, level: 'submit' | 'write'): void {
    const access = other ? this.policy.projectAccess(other, project) : 'none';
    const ok = level === 'write' ? access === 'write' : access !== 'none';
    if (!ok) throw new ValidationError(level === 'write' ? 'The assignee must have write access to the project.' : 'This person has no access to the project.');
  }
}
