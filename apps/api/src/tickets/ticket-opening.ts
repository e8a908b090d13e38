import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  initialStatus,
  isDetectedIncident,
  takeInChargeStatus,
  openableKinds,
  priorityOf,
  type CreateTicketRequest,
  type PersonRef,
  type Ticket,
  type TicketSource,
} from '@guichet/contracts';
import { AccessPolicy } from '../access/access-policy';
import { TicketClocks } from '../clocks/ticket-clocks';
import type { AuthenticatedContext, Principal } from '../access/principal';
import { ForbiddenError, NotFoundError, ValidationError } from '../common/errors';
import { Database, type Queryable } from '../database/database';
import { ProjectsService } from '../projects/projects.service';
import type { ProjectRecord } from '../projects/projects.repository';
import { TicketEvents } from './ticket-events';
import { TicketJournal } from './ticket-journal';
import { TicketPartsRepository } from './ticket-parts.repository';
import { TicketQueries } from './ticket-queries';
import { TicketVisibility } from './ticket-visibility';
import { TicketsRepository } from './tickets.repository';

/** Opening tickets, from the web, the API and received mail. */
@Injectable()
export class TicketOpening {
  constructor(
    private readonly db: Database,
    private readonly tickets: TicketsRepository,
    private readonly parts: TicketPartsRepository,
    private readonly journal: TicketJournal,
    private readonly events: TicketEvents,
    private readonly queries: TicketQueries,
    private readonly visibility: TicketVisibility,
    private readonly projects: ProjectsService,
    private readonly policy: AccessPolicy,
    private readonly clocks: TicketClocks,
  ) {}

  /** From the web or the API (`channel`); an agent may say how the request reached him (`req.source`). */
  async create(ctx: AuthenticatedContext, req: CreateTicketRequest, channel: TicketSource = 'web'): Promise<Ticket> {
    // Problems, changes and deployments are the support team's (ADR 0034). Received mail opens the
    // kind its mailbox says, chosen by an administrator, so the rule stands here, not in createIn().
    if (!openableKinds(ctx.principal.rights).includes(req.kind)) {
      throw new ForbiddenError(`Opening a ${req.kind} is for the support team: open an incident or a request.`);
    }
    const source = req.source ?? channel;
    // The other accounts are loaded before the transaction (see TicketVisibility.people()).
    const people = await this.visibility.people(involvedIn(ctx.principal, req));
    // Most creations write one statement (the ticket, its event and its notice), atomic on its own:
    // without a transaction they save the round trips of BEGIN and COMMIT (docs/performance.md).
    const created = writesAfterOpening(ctx.principal, req)
      ? await this.db.transaction((tx) => this.createIn(tx, ctx.principal, req, source, people))
      : await this.createIn(this.db, ctx.principal, req, source, people);
    return this.queries.get(ctx, created.key);
  }

  /**
   * The accounts the support team may open a ticket of `projectKey` for: those with submit access
   * to it, found by name or address. Only the project's writers may ask; a hidden project is not found.
   */
  async requesters(ctx: AuthenticatedContext, projectKey: string, text: string): Promise<PersonRef[]> {
    const project = await this.projects.visible(ctx, projectKey);
    if (this.policy.projectAccess(ctx.principal, project) !== 'write') {
      throw new ForbiddenError('Only the support team opens tickets on behalf of someone else.');
    }
    const found = await this.visibility.possibleRequesters(project, text, REQUESTER_CHOICES);
    return found.map((p) => ({ id: p.accountId, displayName: p.displayName, email: p.email }));
  }

  /** Opens a ticket inside the caller's transaction (mail ingestion commits its message record with it). */
  async createIn(
    tx: Queryable,
    p: Principal,
    req: CreateTicketRequest,
    source: TicketSource,
    loaded?: Map<string, Principal | undefined>,
    /** The project `req.projectKey` names, when the caller has it loaded already. */
    knownProject?: ProjectRecord,
  ): Promise<{ id: string; key: string }> {
    const project =
      knownProject?.key === req.projectKey
        ? knownProject
        : await this.projects.visible({ principal: p, ip: null, userAgent: null, requestId: null }, req.projectKey, tx);
    const level = this.policy.projectAccess(p, project);
    if (level === 'none') throw new NotFoundError('project', req.projectKey);
    const actsForOthers = level === 'write';
    const requesterId = req.requesterId ?? p.accountId;
    if (requesterId !== p.accountId && !actsForOthers) throw new ForbiddenError('Only the support team opens tickets on behalf of someone else.');
    if ((req.assigneeId || req.plannedStart || req.plannedEnd) && !actsForOthers) {
      throw new ForbiddenError('Assignment and planning are for the support team.');
    }
    if (req.source && !actsForOthers) throw new ForbiddenError('Only the support team says how a request came in.');
    // Outside a transaction only the opening statement may write (see create()).
    if (tx === this.db && writesAfterOpening(p, req)) throw new Error('This creation writes several statements: open it in a transaction.');
    const people = loaded ?? (await this.visibility.people(involvedIn(p, req)));

    const typology = req.typology ?? 'assistance';
    // The requester must reach the ticket himself: submit access to the project at least (ADR 0018).
    if (requesterId !== p.accountId) this.visibility.assertMayTakePart(people.get(requesterId), project, 'submit');
    if (req.assigneeId) this.visibility.assertMayTakePart(people.get(req.assigneeId), project, 'write');
    const urgency = req.urgency ?? 3;
    const impact = req.impact ?? 3;
    // Opened with someone in charge already (an agent taking a call): taken in charge at once, as an assignment would.
    const status = (req.assigneeId ? takeInChargeStatus(req.kind) : null) ?? initialStatus(req.kind);
    const id = randomUUID();
    const actorId = p.accountId;
    const detected = isDetectedIncident({ kind: req.kind, source });
    const priority = priorityOf(urgency, impact);
    // The service-level clocks start with the ticket, written by the same statement (ADR 0051).
    const sla = await this.clocks.atOpening({ id, projectId: project.id, kind: req.kind, priority, status }, tx);
    const opened = await this.tickets.open(
      {
        id,
        projectId: project.id,
        projectKey: project.key,
        spaceId: project.spaceId,
        kind: req.kind,
        status,
        title: req.title.trim(),
        description: req.description ?? '',
        typology,
        urgency,
        impact,
        priority,
        requesterId,
        assigneeId: req.assigneeId ?? null,
        source,
        plannedStart: req.plannedStart ?? null,
        plannedEnd: req.plannedEnd ?? null,
        environment: req.environment ?? null,
        sla: { version: sla.version, dueAt: sla.dueAt, riskAt: sla.riskAt },
      },
      this.journal.opening(actorId, { kind: req.kind, status, source }),
      tx,
      // An incident the team detected is told to the project's incident contacts instead (R9.3).
      [...this.events.inOpening({ type: 'notice', ticketId: id, event: detected ? 'detected' : 'created', actorId }), ...sla.writes],
    );
    if (!opened) throw new ValidationError(`Unknown typology for ${project.key}: ${typology}.`);
    this.journal.opened(tx, id);
    // What follows is what writesAfterOpening() foresees.
    const watchers = new Set(req.watcherIds ?? []);
    for (const watcherId of watchers) this.visibility.assertMayTakePart(people.get(watcherId), project, 'submit');
    // The incident contacts follow what the team detected, so that they see it and hear of what follows.
    if (detected) for (const contactId of await this.projects.incidentContactIds(project.id, tx)) if (contactId !== requesterId) watchers.add(contactId);
    for (const watcherId of watchers) {
      await this.parts.addWatcher(id, watcherId, tx);
      await this.journal.record(tx, id, actorId, [{ type: 'watcher_added', after: watcherId }]);
    }
    if (pagesTheTeam(req)) {
      await this.events.publish(tx, { type: 'major_incident', ticketId: id, audience: 'team' });
      if (detected) await this.events.publish(tx, { type: 'major_incident', ticketId: id, audience: 'contacts' });
    }
    if (req.assigneeId && req.assigneeId !== actorId) await this.events.publish(tx, { type: 'notice', ticketId: id, event: 'assigned', actorId });
    return { id, key: opened.key };
  }
}

/** How many accounts the requester search offers at once: enough to pick from while typing. */
const REQUESTER_CHOICES = 20;

/** P1 incidents page the support team (R3.4). */
function pagesTheTeam(req: CreateTicketRequest): boolean {
  return req.kind === 'incident' && priorityOf(req.urgency ?? 3, req.impact ?? 3) === 1;
}

/** Whether opening this ticket writes more than its opening statement: watchers, contacts, a page, an assignment notice. */
function writesAfterOpening(p: Principal, req: CreateTicketRequest): boolean {
  return (
    (req.watcherIds?.length ?? 0) > 0 ||
    pagesTheTeam(req) ||
    (!!req.assigneeId && req.assigneeId !== p.accountId) ||
    isDetectedIncident({ kind: req.kind, source: req.source ?? '' })
  );
}

/** The accounts other than the author that a new ticket names. */
function involvedIn(p: Principal, req: CreateTicketRequest): (string | undefined)[] {
  return [req.requesterId !== p.accountId ? req.requesterId : undefined, req.assigneeId, ...(req.watcherIds ?? [])];
}
