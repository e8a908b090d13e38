import { Injectable } from '@nestjs/common';
import {
  ALL_STATUSES,
  DEFAULT_ALERT_THRESHOLDS,
  DEFAULT_PAUSING_STATUSES,
  DEFAULT_SERVICE_TARGETS,
  type ProjectServiceLevels,
  type ReplaceServiceLevelsRequest,
  type ServiceLevel,
} from '@guichet/contracts';
import { AccessPolicy } from '../access/access-policy';
import type { AuthenticatedContext } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { CalendarsRepository } from '../calendars/calendars.repository';
import { ForbiddenError, ValidationError } from '../common/errors';
import { Database, type Queryable } from '../database/database';
import { ProjectsService } from '../projects/projects.service';
import { ServiceLevelsRepository } from './service-levels.repository';

/**
 * Service levels per project (issue 21 point 2): read by whoever sees the project, replaced by
 * those who administer it. Until a project saves its own, it uses the shipped levels in the
 * shipped business-hours calendar. Each save is kept as a version: tickets count with the version
 * they were opened under (ADR 0051).
 */
@Injectable()
export class ServiceLevelsService {
  constructor(
    private readonly db: Database,
    private readonly levels: ServiceLevelsRepository,
    private readonly calendars: CalendarsRepository,
    private readonly projects: ProjectsService,
    private readonly policy: AccessPolicy,
    private readonly audit: AuditService,
  ) {}

  async get(ctx: AuthenticatedContext, key: string): Promise<ProjectServiceLevels> {
    const project = await this.projects.get(ctx, key);
    return this.current(project.id);
  }

  async replace(ctx: AuthenticatedContext, key: string, req: ReplaceServiceLevelsRequest): Promise<ProjectServiceLevels> {
    const project = await this.projects.get(ctx, key);
    if (!this.policy.can(ctx.principal, 'administer', 'Project', project))
      throw new ForbiddenError('Only those who administer the project set its service levels.');
    const seen = new Set<string>();
    for (const l of req.levels) {
      const k = `${l.kind}/P${l.priority}`;
      if (seen.has(k)) throw new ValidationError(`The levels name ${l.kind} P${l.priority} twice.`);
      seen.add(k);
    }
    const unknown = req.pausingStatuses.filter((s) => !ALL_STATUSES.includes(s));
    if (unknown.length) throw new ValidationError(`Unknown status: ${unknown.join(', ')}.`);
    const pausing = [...new Set(req.pausingStatuses)].sort();
    const thresholds = [...new Set(req.alertThresholds ?? DEFAULT_ALERT_THRESHOLDS)].sort((a, b) => a - b);
    return this.db.transaction(async (tx) => {
      const known = new Set((await this.calendars.list(tx)).map((c) => c.id));
      const missing = req.levels.find((l) => !known.has(l.calendarId.toLowerCase()));
      if (missing) throw new ValidationError(`There is no calendar ${missing.calendarId}.`);
      const before = await this.current(project.id, tx);
      const levels = req.levels.map((l) => ({
        ...l,
        calendarId: l.calendarId.toLowerCase(),
        takeChargeMinutes: l.takeChargeMinutes ?? null,
        restoreMinutes: l.restoreMinutes ?? null,
      }));
      await this.levels.replace(project.id, levels, pausing, thresholds, tx);
      const after = await this.current(project.id, tx);
      await this.audit.record(
        ctx,
        {
          action: 'project.service_levels_changed',
          objectType: 'project',
          objectId: project.id,
          details: {
            key: project.key,
            before: { levels: before.levels, pausingStatuses: before.pausingStatuses, alertThresholds: before.alertThresholds },
            after: { levels: after.levels, pausingStatuses: after.pausingStatuses, alertThresholds: after.alertThresholds },
          },
        },
        tx,
      );
      return after;
    });
  }

  private async current(projectId: string, tx?: Queryable): Promise<ProjectServiceLevels> {
    const saved = await this.levels.find(projectId, tx);
    if (saved) return { ...saved, defaults: false };
    const calendarId = await this.calendars.idOfCode('business-hours', tx);
    const levels: ServiceLevel[] = calendarId ? DEFAULT_SERVICE_TARGETS.map((t) => ({ ...t, calendarId })) : [];
    return { levels, pausingStatuses: [...DEFAULT_PAUSING_STATUSES], alertThresholds: [...DEFAULT_ALERT_THRESHOLDS], defaults: true };
  }
}
