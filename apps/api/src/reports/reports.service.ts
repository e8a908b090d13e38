import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  accessAtLeast,
  REPORT_MAX_RECIPIENTS,
  STATS_TIME_ZONE,
  type Locale,
  type ReportContent,
  type ReportCount,
  type ReportData,
  type ReportFile,
  type ReportRecipient,
  type ReportRecord,
  type ReportTrigger,
  type StatsBreakdownRow,
} from '@guichet/contracts';
import { PassThrough, Readable } from 'node:stream';
import { AccessPolicy } from '../access/access-policy';
import type { AuthenticatedContext, Principal, RequestContext } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { PrincipalRepository } from '../auth/principal.repository';
import { ForbiddenError, NotFoundError, ValidationError } from '../common/errors';
import { Database } from '../database/database';
import { writeTable, type TableDocument } from '../exports/writers/table-writer';
import { parisToday, StatsService } from '../stats/stats.service';
import { FILE_STORE, type FileStore } from '../storage/file-store';
import { sha256Of } from './canonical-json';
import { ReportBreaches } from './report-breaches';
import { reportPdf } from './report-pdf';
import { REPORT_WORDS, reportTables, type ReportTable } from './report-tables';
import { type MonthBounds, type ReportRow, ReportsRepository, type ScopeRef } from './reports.repository';

/** R9.3: an incident the provider detects is notified to the customer within 4 hours. */
export const DETECTION_COMMITMENT_SECONDS = 4 * 3600;

/** The first and last day of a month `YYYY-MM`. */
export function monthBounds(month: string): MonthBounds {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** The month before the one of `now` in Europe/Paris, `YYYY-MM`: what the job of the first of the month reports on. */
export function previousMonth(now: Date): string {
  const [y, m] = parisToday(now).split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

const CONTENT_TYPES: Record<ReportFile, string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
};

export interface ReportDownload {
  content: Readable;
  size: number;
  filename: string;
  contentType: string;
}

/**
 * Monthly activity reports (R9.2, ADR 0053). Figures come from the statistics (StatsService), the
 * lists of the month from ReportsRepository, breaches and compliance from ReportBreaches. A
 * report covers every ticket of its project or space, so only those who see every ticket of it
 * and may read statistics reach it; for anyone else it does not exist (404).
 */
@Injectable()
export class ReportsService {
  private readonly logger = new Logger(ReportsService.name);

  constructor(
    private readonly repo: ReportsRepository,
    private readonly stats: StatsService,
    private readonly breaches: ReportBreaches,
    private readonly policy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly principals: PrincipalRepository,
    private readonly db: Database,
    @Inject(FILE_STORE) private readonly store: FileStore,
  ) {}

  // --- access -----------------------------------------------------------------------------------

  /** True when `p` may read the reports of `scope`: statistics, and every ticket of it. */
  mayRead(p: Principal, scope: ScopeRef): boolean {
    if (!p.rights.has('stats.read')) return false;
    if (scope.type === 'project') return accessAtLeast(this.policy.projectAccess(p, { id: scope.id, spaceId: scope.spaceId }), 'read');
    return p.rights.has('platform.allSpaces') || (p.rights.has('ticket.seeOthers') && p.spaceIds.includes(scope.id));
  }

  /** The scope the caller may read, or 404 as for an unknown one. */
  async scope(ctx: AuthenticatedContext, type: 'project' | 'space', ref: string): Promise<ScopeRef> {
    const scope = type === 'project' ? await this.repo.project(ref) : await this.repo.space(ref);
    if (!scope || !this.mayRead(ctx.principal, scope)) throw new NotFoundError(type, ref);
    return scope;
  }

  private mayManage(p: Principal, scope: ScopeRef): boolean {
    if (scope.type === 'project') {
      const ref = { id: scope.id, spaceId: scope.spaceId };
      return this.policy.can(p, 'grant', 'Project', ref) || this.policy.can(p, 'administer', 'Project', ref);
    }
    return this.policy.can(p, 'grant', 'Space', { id: scope.id }) || this.policy.can(p, 'administer', 'Space', { id: scope.id });
  }

  // --- content ----------------------------------------------------------------------------------

  private checkMonth(month: string, now: Date): void {
    if (month < '2000-01') throw new ValidationError(`month: ${month} is too far in the past.`);
    if (month > parisToday(now).slice(0, 7)) throw new ValidationError(`month: ${month} has not begun yet.`);
  }

  /** The data of a month and its hash, with the typology labels of the statistics. */
  async build(scope: ScopeRef, month: string, locale: Locale): Promise<{ content: ReportContent; typologies: Map<string, string> }> {
    const m = monthBounds(month);
    const [overview, opened, resolved, closed, reopened, changes, deposits, ciChanges, detections, breaches] = await Promise.all([
      this.stats.wholeScope(scope.type === 'project' ? { projectId: scope.id } : { spaceId: scope.id }, m, locale),
      this.repo.ticketsBy(scope, m, 'created_at'),
      this.repo.ticketsBy(scope, m, 'resolved_at'),
      this.repo.ticketsBy(scope, m, 'closed_at'),
      this.repo.reopened(scope, m),
      this.repo.changes(scope, m),
      this.repo.deposits(scope, m),
      this.repo.ciChanges(scope, m),
      this.repo.detections(scope, m),
      this.breaches.forMonth(scope, m),
    ]);
    const period = overview.periods[0];
    const counts = (rows: StatsBreakdownRow[]): ReportCount[] =>
      rows
        .map((r) => ({ code: r.code ?? '', opened: r.opened, resolved: r.resolved, closed: r.closed, open: r.open }))
        .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    const data: ReportData = {
      scope: { type: scope.type, ref: scope.ref, name: scope.name },
      month,
      timeZone: STATS_TIME_ZONE,
      from: m.from,
      to: m.to,
      figures: {
        opened: overview.totals.opened,
        resolved: overview.totals.resolved,
        closed: overview.totals.closed,
        reopened: reopened.length,
        backlogAtStart: period ? period.backlog - period.opened + period.closed : 0,
        backlogAtEnd: overview.totals.open,
        byKind: counts(overview.breakdowns.kind),
        byTypology: counts(overview.breakdowns.typology),
        byPriority: counts(overview.breakdowns.priority),
      },
      opened,
      resolved,
      closed,
      reopened,
      changes,
      deposits,
      ciChanges,
      breaches: breaches.breaches,
      compliance: breaches.compliance,
      detections: detections.map((d) => ({ ...d, withinCommitment: d.delaySeconds !== null && d.delaySeconds <= DETECTION_COMMITMENT_SECONDS })),
    };
    const typologies = new Map(overview.breakdowns.typology.map((r) => [r.code ?? '', r.label]));
    return { content: { data, sha256: sha256Of(data) }, typologies };
  }

  /** The data of a month as the report would print it, without storing anything. */
  async content(ctx: AuthenticatedContext, type: 'project' | 'space', ref: string, month: string, now = new Date()): Promise<ReportContent> {
    const scope = await this.scope(ctx, type, ref);
    this.checkMonth(month, now);
    return (await this.build(scope, month, ctx.principal.locale)).content;
  }

  // --- generation -------------------------------------------------------------------------------

  /**
   * Generates and stores the report of `month`: PDF, xlsx and ods. A scheduled report is made
   * once per scope, month and language: undefined when it already exists.
   */
  async generate(
    scope: ScopeRef,
    month: string,
    locale: Locale,
    trigger: ReportTrigger,
    requestedBy: string | null,
    now = new Date(),
  ): Promise<ReportRow | undefined> {
    const id = await this.repo.begin(scope, month, locale, trigger, requestedBy);
    if (!id) return undefined;
    return this.produce(scope, id, month, locale, now);
  }

  /**
   * The scheduled report of a scope and month: made by the first job that gets there, made again
   * by a retry of that job if it had not finished, and otherwise left as it is.
   */
  async scheduled(scope: ScopeRef, month: string, locale: Locale, now = new Date()): Promise<ReportRow> {
    const made = await this.generate(scope, month, locale, 'scheduled', null, now);
    if (made) return made;
    const row = (await this.repo.scheduled(scope, month, locale))!;
    return row.status === 'ready' ? row : this.produce(scope, row.id, month, locale, now);
  }

  /** Writes the files of report `id` and marks it ready. */
  private async produce(scope: ScopeRef, id: string, month: string, locale: Locale, now: Date): Promise<ReportRow> {
    try {
      const { content, typologies } = await this.build(scope, month, locale);
      const tables = reportTables(content.data, locale, typologies);
      const pdf = await reportPdf(content.data, content.sha256, tables, locale, now);
      const base = `report-${id.replaceAll('-', '')}`;
      const put = async (ext: ReportFile, write: (out: PassThrough) => Promise<unknown>) => {
        const out = new PassThrough();
        const stored = this.store.put(`${base}-${ext}`, out);
        try {
          await write(out);
        } catch (err) {
          out.destroy(err as Error);
          await stored.catch(() => undefined);
          throw err;
        }
        return { key: `${base}-${ext}`, size: (await stored).size };
      };
      const doc = annexDocument(content, tables, locale, now);
      const files = {
        pdf: await put('pdf', (out) => {
          out.end(pdf);
          return Promise.resolve();
        }),
        xlsx: await put('xlsx', (out) => writeTable('xlsx', doc, out)),
        ods: await put('ods', (out) => writeTable('ods', doc, out)),
      };
      await this.repo.ready(id, content.sha256, files);
    } catch (err) {
      this.logger.error({ err, reportId: id }, 'report generation failed');
      await this.repo.failed(id, err instanceof Error ? err.message : String(err));
      throw err;
    }
    return (await this.repo.get(scope, id))!;
  }

  /** Someone asks for a month: generated now, in his language unless he names another. */
  async generateOnDemand(ctx: AuthenticatedContext, type: 'project' | 'space', ref: string, month: string, locale?: Locale): Promise<ReportRecord> {
    const scope = await this.scope(ctx, type, ref);
    const now = new Date();
    this.checkMonth(month, now);
    const row = (await this.generate(scope, month, locale ?? ctx.principal.locale, 'on_demand', ctx.principal.accountId, now))!;
    await this.audit.record(ctx, {
      action: 'report.generated',
      objectType: type,
      objectId: scope.id,
      details: { reportId: row.id, month, locale: row.locale, sha256: row.data_sha256 },
    });
    return toRecord(scope, row);
  }

  async history(ctx: AuthenticatedContext, type: 'project' | 'space', ref: string): Promise<ReportRecord[]> {
    const scope = await this.scope(ctx, type, ref);
    return (await this.repo.list(scope)).map((r) => toRecord(scope, r));
  }

  async download(ctx: AuthenticatedContext, type: 'project' | 'space', ref: string, id: string, file: ReportFile): Promise<ReportDownload> {
    const scope = await this.scope(ctx, type, ref);
    const row = await this.repo.get(scope, id);
    const key = row?.[`${file}_key`];
    if (!row || !key) throw new NotFoundError('report', id);
    await this.audit.record(ctx, {
      action: 'report.downloaded',
      objectType: 'report',
      objectId: row.id,
      details: { file, month: row.month, [type]: scope.ref },
    });
    return {
      content: await this.store.open(key),
      size: Number(row[`${file}_size`]),
      filename: reportFilename(scope, row.month, row.locale, file),
      contentType: CONTENT_TYPES[file],
    };
  }

  /** The stored PDF of a report, whole: the attachment of its mail. */
  async pdfOf(row: ReportRow): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of await this.store.open(row.pdf_key!)) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  // --- recipients -------------------------------------------------------------------------------

  async recipients(ctx: AuthenticatedContext, type: 'project' | 'space', ref: string): Promise<ReportRecipient[]> {
    return this.repo.recipients(await this.scope(ctx, type, ref));
  }

  /** Who may receive a scope's report: someone who may read it himself. */
  async eligible(scope: ScopeRef, accountIds: string[]): Promise<Map<string, Principal>> {
    const found = await this.principals.loadMany(accountIds, 'session');
    return new Map([...found].filter(([, p]) => this.mayRead(p, scope)));
  }

  async setRecipients(ctx: AuthenticatedContext, type: 'project' | 'space', ref: string, accountIds: string[]): Promise<ReportRecipient[]> {
    const scope = await this.scope(ctx, type, ref);
    if (!this.mayManage(ctx.principal, scope))
      throw new ForbiddenError('Only those who manage the access to this ' + type + ' choose who receives its report.');
    const ids = [...new Set(accountIds)];
    if (ids.length > REPORT_MAX_RECIPIENTS) throw new ValidationError(`At most ${REPORT_MAX_RECIPIENTS} recipients.`);
    const ok = await this.eligible(scope, ids);
    const refused = ids.filter((id) => !ok.has(id));
    if (refused.length) {
      throw new ValidationError('These accounts may not read this report (they need the statistics right and to see every ticket of it).', refused);
    }
    await this.db.transaction(async (tx) => {
      await this.repo.replaceRecipients(scope, ids, tx);
      await this.audit.record(ctx, { action: 'report.recipients_changed', objectType: type, objectId: scope.id, details: { accountIds: ids } }, tx);
    });
    return this.repo.recipients(scope);
  }

  /** For the scheduled job: records that the report went out, to whom. */
  async recordSent(ctx: RequestContext, scope: ScopeRef, row: ReportRow, to: string[]): Promise<void> {
    await this.repo.sent(row.id, to);
    await this.audit.record(ctx, { action: 'report.sent', objectType: 'report', objectId: row.id, details: { [scope.type]: scope.ref, month: row.month, to } });
  }
}

export function reportFilename(scope: ScopeRef, month: string, locale: Locale, file: ReportFile): string {
  const name = scope.type === 'project' ? scope.ref : `space-${scope.ref.slice(0, 8)}`;
  return `${locale === 'fr' ? 'rapport' : 'report'}-${name}-${month}.${file}`;
}

/** The annexes: the report's tables as sheets, after a sheet that says what they are and the data's hash. */
function annexDocument(content: ReportContent, tables: readonly ReportTable[], locale: Locale, at: Date): TableDocument {
  const w = REPORT_WORDS[locale];
  const d = content.data;
  return {
    about: {
      title: w.about,
      lines: [
        [d.scope.type === 'project' ? w.project : w.space, d.scope.name],
        [w.month, d.month],
        [w.period, `${d.from} – ${d.to}`],
        [
          w.generatedAt,
          new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'medium' }).format(at),
        ],
        [w.hash, content.sha256],
      ],
    },
    sheets: tables.map((t) => ({ name: t.title, columns: t.columns, rows: t.rows })),
  };
}

function toRecord(scope: ScopeRef, r: ReportRow): ReportRecord {
  const base = scope.type === 'project' ? `/api/projects/${scope.ref}/reports/${r.id}` : `/api/spaces/${scope.ref}/reports/${r.id}`;
  const files: ReportRecord['files'] = {};
  if (r.status === 'ready') for (const f of ['pdf', 'xlsx', 'ods'] as const) if (r[`${f}_key`]) files[f] = `${base}/${f}`;
  return {
    id: r.id,
    month: r.month,
    locale: r.locale,
    trigger: r.trigger,
    status: r.status,
    sha256: r.data_sha256,
    requestedBy: r.requested_by_name,
    createdAt: new Date(r.created_at).toISOString(),
    generatedAt: r.generated_at ? new Date(r.generated_at).toISOString() : null,
    sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
    sentTo: r.sent_to,
    files,
  };
}
