import { AbilityBuilder, createMongoAbility, type ForcedSubject, type MongoAbility, subject } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import { accessAtLeast, type EffectiveAccessLevel, type Right } from '@guichet/contracts';
import { joinSql, raw, sql, Sql } from '../common/sql';
import type { Principal, ProjectGrant } from './principal';

// Not CASL's `manage`: that keyword means every action, and would give read and write on every
// project to whoever may administer them.
type Action = 'read' | 'submit' | 'write' | 'administer' | 'grant';
type SubjectName = 'Space' | 'Project';
type SpaceSubject = { id: string } & ForcedSubject<'Space'>;
type ProjectSubject = { id: string; spaceId: string } & ForcedSubject<'Project'>;
export type AppAbility = MongoAbility<[Action, SubjectName | SpaceSubject | ProjectSubject]>;

export interface ProjectRef {
  id: string;
  spaceId: string;
}

export interface TicketRef {
  projectId: string;
  spaceId: string;
  requesterId: string;
  watcherIds: readonly string[];
}

/** What one user may do on one ticket. */
export interface TicketRights {
  see: boolean;
  /** Public replies: write access, or the requester and watchers. */
  comment: boolean;
  internalNotes: boolean;
  /** Fields, any valid transition, assignment, links, watchers. */
  act: boolean;
  /** Customer moves only (confirm, reopen, approve, validate). */
  customerMoves: boolean;
  seeTimeSpent: boolean;
  logTime: boolean;
}

const NO_TICKET_RIGHTS: TicketRights = {
  see: false,
  comment: false,
  internalNotes: false,
  act: false,
  customerMoves: false,
  seeTimeSpent: false,
  logTime: false,
};

/** Which tickets a user sees, in the forms the ticket queries use. */
export interface TicketScope {
  /** SQL condition on the ticket row (`ticketCondition`). */
  condition: Sql;
  /** The same tickets as disjoint alternatives (`ticketConditionParts`); undefined for every ticket. */
  parts: Sql[] | undefined;
  /**
   * The spaces these tickets lie in, undefined for every space. A superset of where they are: it
   * narrows which index entries a search reads, never who sees what.
   */
  spaces: readonly string[] | undefined;
  /** True when these are every ticket of `spaces` (agents and administrators), not some of them. */
  wholeSpaces: boolean;
}

/** Grants only reach projects of the user's spaces, so seeing others' tickets there is seeing all of them. */
function seesWholeSpaces(p: Principal): boolean {
  return p.rights.has('platform.allSpaces') || p.rights.has('ticket.seeOthers');
}

/**
 * The one place that decides what a user reaches. It turns a principal (profile rights,
 * spaces, project grants) into CASL abilities for single-object checks and into the SQL
 * conditions that every list, count and search uses, so both always agree.
 *
 * Rules:
 * - `platform.allSpaces` (administrators) reaches every space and project with write access;
 * - a space member whose profile has `ticket.seeOthers` serves the space: read on all its
 *   projects, write with `ticket.actOnOthers`;
 * - otherwise only the projects granted explicitly (submit, read or write) in the user's spaces;
 * - managing spaces/projects (`spaces.manage`) and granting access (`access.manage`) apply to
 *   the spaces the user reaches, on the projects he sees there; they add no access level.
 */
@Injectable()
export class AccessPolicy {
  private readonly abilities = new WeakMap<Principal, AppAbility>();

  has(p: Principal, right: Right): boolean {
    return p.rights.has(right);
  }

  ability(p: Principal): AppAbility {
    const cached = this.abilities.get(p);
    if (cached) return cached;
    const { can, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
    const mySpaces = { spaceId: { $in: [...p.spaceIds] } };
    if (p.rights.has('platform.allSpaces')) {
      can(['read', 'submit', 'write'], 'Project');
      can('read', 'Space');
    } else {
      can('read', 'Space', { id: { $in: [...p.spaceIds] } });
      if (p.rights.has('ticket.seeOthers')) {
        can(['read', 'submit'], 'Project', mySpaces);
        if (p.rights.has('ticket.actOnOthers')) can('write', 'Project', mySpaces);
      }
      for (const g of p.grants) {
        if (!p.spaceIds.includes(g.spaceId)) continue;
        const actions: Action[] = g.level === 'write' ? ['submit', 'read', 'write'] : g.level === 'read' ? ['submit', 'read'] : ['submit'];
        can(actions, 'Project', { id: g.projectId });
      }
    }
    const scope = p.rights.has('platform.allSpaces') ? undefined : mySpaces;
    const spaceScope = p.rights.has('platform.allSpaces') ? undefined : { id: { $in: [...p.spaceIds] } };
    if (p.rights.has('spaces.manage')) {
      can('administer', 'Space', spaceScope);
      can('administer', 'Project', scope);
    }
    if (p.rights.has('access.manage')) {
      can('grant', 'Space', spaceScope);
      can('grant', 'Project', scope);
    }
    const ability = build();
    this.abilities.set(p, ability);
    return ability;
  }

  can(p: Principal, action: Action, type: 'Space', space: { id: string }): boolean;
  can(p: Principal, action: Action, type: 'Project', project: ProjectRef): boolean;
  can(p: Principal, action: Action, type: SubjectName, object: { id: string; spaceId?: string }): boolean {
    const target = type === 'Space' ? subject('Space', { id: object.id }) : subject('Project', { id: object.id, spaceId: object.spaceId ?? '' });
    return this.ability(p).can(action, target);
  }

  /** What the user may do in a project: none, submit, read or write. */
  projectAccess(p: Principal, project: ProjectRef): EffectiveAccessLevel {
    if (this.can(p, 'write', 'Project', project)) return 'write';
    if (this.can(p, 'read', 'Project', project)) return 'read';
    if (this.can(p, 'submit', 'Project', project)) return 'submit';
    return 'none';
  }

  /**
   * Tickets (R2.4): read access shows every ticket of the project; submit access only the
   * tickets one requested or watches.
   */
  ticketRights(p: Principal, t: TicketRef): TicketRights {
    const level = this.projectAccess(p, { id: t.projectId, spaceId: t.spaceId });
    const involved = t.requesterId === p.accountId || t.watcherIds.includes(p.accountId);
    const reads = accessAtLeast(level, 'read');
    if (!reads && !(level === 'submit' && involved)) return NO_TICKET_RIGHTS;
    const act = level === 'write';
    return {
      see: true,
      comment: act || involved,
      internalNotes: reads && p.rights.has('ticket.internalNotes'),
      act,
      customerMoves: act || involved,
      seeTimeSpent: reads && p.rights.has('ticket.timeSpent'),
      logTime: act && p.rights.has('ticket.timeSpent'),
    };
  }

  /** SQL condition: the ticket row `alias` (id, project_id, space_id, requester_id) is visible to the user. */
  ticketCondition(p: Principal, alias: string): Sql {
    if (p.rights.has('platform.allSpaces')) return sql`TRUE`;
    const a = raw(alias);
    const inMySpaces = (g: ProjectGrant) => p.spaceIds.includes(g.spaceId);
    const reading = p.grants.filter((g) => inMySpaces(g) && g.level !== 'submit').map((g) => g.projectId);
    const submitting = p.grants.filter((g) => inMySpaces(g) && g.level === 'submit').map((g) => g.projectId);
    const parts: Sql[] = [];
    if (p.rights.has('ticket.seeOthers') && p.spaceIds.length) parts.push(sql`${a}.space_id = ANY(${[...p.spaceIds]}::uuid[])`);
    if (reading.length) parts.push(sql`${a}.project_id = ANY(${reading}::uuid[])`);
    if (submitting.length) {
      // `id = ANY(ARRAY(subquery))` rather than `id IN (subquery)`: same rows, but the planner can
      // then combine the requester and watched-ticket conditions as index scans (BitmapOr) instead
      // of filtering every ticket of the projects (measured in docs/performance.md).
      parts.push(sql`(${a}.project_id = ANY(${submitting}::uuid[]) AND (${a}.requester_id = ${p.accountId}
        OR ${a}.id = ANY(ARRAY(SELECT w.ticket_id FROM ticket_watchers w WHERE w.account_id = ${p.accountId}))))`);
    }
    return parts.length ? sql`(${joinSql(parts, ' OR ')})` : sql`FALSE`;
  }

  /**
   * The same visibility as `ticketCondition`, as disjoint alternatives whose union is exactly the
   * visible tickets: one per served space, one per project read through a grant outside those
   * spaces, one for the submit-level projects (own and watched tickets). A list sorted by date
   * reads each alternative in the order of its own index and merges them, instead of filtering
   * one global index. `undefined` means every ticket (administrators).
   */
  ticketConditionParts(p: Principal, alias: string): Sql[] | undefined {
    if (p.rights.has('platform.allSpaces')) return undefined;
    const a = raw(alias);
    const served = p.rights.has('ticket.seeOthers') ? [...p.spaceIds] : [];
    const grants = p.grants.filter((g) => p.spaceIds.includes(g.spaceId));
    const reading = grants.filter((g) => g.level !== 'submit').map((g) => g.projectId);
    const submitting = grants.filter((g) => g.level === 'submit').map((g) => g.projectId);
    // Tickets of served spaces belong to the space alternatives only, so no ticket is listed twice.
    const outsideServed = served.length ? sql` AND ${a}.space_id <> ALL(${served}::uuid[])` : sql``;
    const parts: Sql[] = [
      ...served.map((spaceId) => sql`${a}.space_id = ${spaceId}::uuid`),
      ...reading.map((projectId) => sql`(${a}.project_id = ${projectId}::uuid${outsideServed})`),
    ];
    if (submitting.length) {
      // Own tickets (read in the requester's index order), then the watched ones of others.
      parts.push(sql`(${a}.project_id = ANY(${submitting}::uuid[]) AND ${a}.requester_id = ${p.accountId}${outsideServed})`);
      parts.push(sql`(${a}.project_id = ANY(${submitting}::uuid[]) AND ${a}.requester_id <> ${p.accountId}
        AND ${a}.id = ANY(ARRAY(SELECT w.ticket_id FROM ticket_watchers w WHERE w.account_id = ${p.accountId}))${outsideServed})`);
    }
    return parts;
  }

  /** The tickets the user sees, in every form the ticket queries use (see TicketScope). */
  ticketScope(p: Principal, alias: string): TicketScope {
    return {
      condition: this.ticketCondition(p, alias),
      parts: this.ticketConditionParts(p, alias),
      // ticketCondition only admits tickets of the user's spaces, and a ticket never leaves its space.
      spaces: p.rights.has('platform.allSpaces') ? undefined : [...p.spaceIds],
      wholeSpaces: seesWholeSpaces(p),
    };
  }

  /**
   * Whether the user is of the support team of a space: he serves it (a member whose profile has
   * `ticket.seeOthers`) or reaches every space. Replies from the team are answers; anyone else's
   * public reply is the requester's side (queue "customer answered").
   */
  servesSpace(p: Principal, spaceId: string): boolean {
    return p.rights.has('platform.allSpaces') || (p.rights.has('ticket.seeOthers') && p.spaceIds.includes(spaceId));
  }

  /**
   * Whether the user sees a configuration item in full: the same rule as the CMDB's SQL condition
   * (`itemCondition`, docs/cmdb.md), for an item already read. The support team of its space sees
   * it; elsewhere, an item not shared, of a project he reads, or submits to with `cmdb.read`.
   */
  seesConfigurationItem(p: Principal, item: { projectId: string; spaceId: string; shared: boolean }): boolean {
    if (p.rights.has('platform.allSpaces')) return true;
    if (!p.spaceIds.includes(item.spaceId)) return false;
    if (p.rights.has('ticket.seeOthers')) return true;
    const grant = p.grants.find((g) => g.projectId === item.projectId && g.spaceId === item.spaceId);
    return !item.shared && !!grant && (grant.level !== 'submit' || p.rights.has('cmdb.read'));
  }

  /** SQL condition: the space id in `column` is one the user serves (see servesSpace). */
  servedSpaceCondition(p: Principal, column: string): Sql {
    if (p.rights.has('platform.allSpaces')) return sql`TRUE`;
    if (!p.rights.has('ticket.seeOthers') || !p.spaceIds.length) return sql`FALSE`;
    return sql`${raw(column)} = ANY(${[...p.spaceIds]}::uuid[])`;
  }

  /** SQL condition: the ticket row `alias` is in a project the user reads (not merely submits in). */
  ticketReadCondition(p: Principal, alias: string): Sql {
    if (p.rights.has('platform.allSpaces')) return sql`TRUE`;
    const a = raw(alias);
    const parts: Sql[] = [];
    if (p.rights.has('ticket.seeOthers') && p.spaceIds.length) parts.push(sql`${a}.space_id = ANY(${[...p.spaceIds]}::uuid[])`);
    const reading = p.grants.filter((g) => p.spaceIds.includes(g.spaceId) && g.level !== 'submit').map((g) => g.projectId);
    if (reading.length) parts.push(sql`${a}.project_id = ANY(${reading}::uuid[])`);
    return parts.length ? sql`(${joinSql(parts, ' OR ')})` : sql`FALSE`;
  }

  /**
   * SQL condition, among the tickets the user sees, on those whose internal notes he may search
   * (where he could read them: read access plus the right), or null for none. Whoever sees whole
   * spaces reads every ticket he sees, so for him it is TRUE, and no search checks it on each match.
   */
  searchableNotesCondition(p: Principal, alias: string): Sql | null {
    if (!p.rights.has('ticket.internalNotes')) return null;
    return seesWholeSpaces(p) ? sql`TRUE` : this.ticketReadCondition(p, alias);
  }

  /** SQL condition: the space row `alias` is reached by the user. */
  spaceCondition(p: Principal, alias: string): Sql {
    if (p.rights.has('platform.allSpaces')) return sql`TRUE`;
    return sql`${raw(alias)}.id = ANY(${[...p.spaceIds]}::uuid[])`;
  }

  /** SQL condition: the project row `alias` (with `id` and `space_id`) is visible to the user. */
  projectCondition(p: Principal, alias: string): Sql {
    if (p.rights.has('platform.allSpaces')) return sql`TRUE`;
    const a = raw(alias);
    const inMySpaces = sql`${a}.space_id = ANY(${[...p.spaceIds]}::uuid[])`;
    if (p.rights.has('ticket.seeOthers')) return inMySpaces;
    const granted = p.grants.map((g) => g.projectId);
    return sql`(${inMySpaces} AND ${a}.id = ANY(${granted}::uuid[]))`;
  }

  /**
   * The support team of a space: who acts on every ticket of it. Administrators (every space) and
   * the space's members whose profile sees and acts on others' tickets (ADR 0028). The same rule
   * as `ability()` gives them write access to each project of the space.
   */
  actsForSpace(p: Principal, spaceId: string): boolean {
    if (p.rights.has('platform.allSpaces')) return true;
    return p.spaceIds.includes(spaceId) && p.rights.has('ticket.seeOthers') && p.rights.has('ticket.actOnOthers');
  }

  /**
   * SQL condition: the active account row `account` (with its profile row `profile`) serves the
   * space, as `actsForSpace` decides for a loaded principal.
   */
  supportTeamCondition(account: string, profile: string, spaceId: string): Sql {
    const a = raw(account);
    const pf = raw(profile);
    return sql`(${a}.active AND (${pf}.rights @> ARRAY['platform.allSpaces']::text[]
      OR (${pf}.rights @> ARRAY['ticket.seeOthers', 'ticket.actOnOthers']::text[]
          AND EXISTS (SELECT 1 FROM space_members sm WHERE sm.space_id = ${spaceId}::uuid AND sm.account_id = ${a}.id))))`;
  }

  /**
   * SQL condition: the active account row `account` (profile row `profile`) has write access to
   * the project, as `projectAccess` decides: its space's support team, or a write grant while a
   * member of the space (grants count only in the member's spaces).
   */
  projectWriterCondition(account: string, profile: string, project: ProjectRef): Sql {
    const a = raw(account);
    return sql`(${this.supportTeamCondition(account, profile, project.spaceId)} OR (${a}.active
      AND EXISTS (SELECT 1 FROM project_access pa WHERE pa.project_id = ${project.id}::uuid AND pa.account_id = ${a}.id AND pa.level = 'write')
      AND EXISTS (SELECT 1 FROM space_members sm WHERE sm.space_id = ${project.spaceId}::uuid AND sm.account_id = ${a}.id)))`;
  }

  /**
   * SQL condition: the active account row `account` (profile row `profile`) has some access to
   * the project, as `projectAccess(...) !== 'none'` decides: administrators, the space's members
   * who see others' tickets, and members of the space with a grant on the project. A watcher must
   * be one of them (submit access shows him the tickets he watches).
   */
  projectParticipantCondition(account: string, profile: string, project: ProjectRef): Sql {
    const a = raw(account);
    const pf = raw(profile);
    return sql`(${a}.active AND (${pf}.rights @> ARRAY['platform.allSpaces']::text[]
      OR (EXISTS (SELECT 1 FROM space_members sm WHERE sm.space_id = ${project.spaceId}::uuid AND sm.account_id = ${a}.id)
          AND (${pf}.rights @> ARRAY['ticket.seeOthers']::text[]
               OR EXISTS (SELECT 1 FROM project_access pa WHERE pa.project_id = ${project.id}::uuid AND pa.account_id = ${a}.id)))))`;
  }

  /**
   * The spaces whose support team the user belongs to (`ticket.seeOthers` there), undefined for
   * every space (administrators). Canned replies are offered to them (ADR 0033).
   */
  servedSpaces(p: Principal): readonly string[] | undefined {
    if (p.rights.has('platform.allSpaces')) return undefined;
    return p.rights.has('ticket.seeOthers') ? p.spaceIds : [];
  }

  /** The user administers every space: he keeps the canned replies offered in all of them. */
  administersEverySpace(p: Principal): boolean {
    return p.rights.has('platform.allSpaces') && p.rights.has('spaces.manage');
  }

  /** SQL condition for the spaces in which the user may manage (or grant in) projects. */
  managedSpaceCondition(p: Principal, alias: string, right: 'spaces.manage' | 'access.manage'): Sql {
    if (!p.rights.has(right)) return sql`FALSE`;
    if (p.rights.has('platform.allSpaces')) return sql`TRUE`;
    return sql`${raw(alias)} = ANY(${[...p.spaceIds]}::uuid[])`;
  }
}
