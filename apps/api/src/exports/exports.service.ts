import { Inject, Injectable } from '@nestjs/common';
import type { ExportJob, TicketQuery } from '@guichet/contracts';
import { ApiRoutes } from '@guichet/contracts';
import type { Readable, Writable } from 'node:stream';
import type { AuthenticatedContext } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { ConflictError, GoneError, NotFoundError } from '../common/errors';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import { Database } from '../database/database';
import { JobQueue } from '../jobs/job-queue';
import { FILE_STORE, type FileStore } from '../storage/file-store';
import { TicketPort } from '../tickets/ticket-port';
import { StatsService } from '../stats/stats.service';
import type { ExportRequestDto, StatisticsExportQueryDto } from './exports.dto';
import { type ExportRecord, ExportsRepository } from './exports.repository';
import { statisticsExport } from './statistics-tables';
import { ticketDocument } from './ticket-table';
import { CONTENT_TYPES, writeTable } from './writers/table-writer';

export const EXPORT_QUEUE = 'export.write';

/** An export answered at once: its name and type, and what writes it to the answer. */
export interface DirectExport {
  kind: 'direct';
  filename: string;
  contentType: string;
  write(out: Writable): Promise<void>;
}

/** A file ready to download. */
export interface ExportFile {
  filename: string;
  contentType: string;
  size: number;
  content: Readable;
}

/** The list filter an export keeps: what narrows or orders the list, not its paging. */
export function exportFilters(q: TicketQuery | undefined): TicketQuery {
  const { cursor: _cursor, limit: _limit, ...rest } = q ?? {};
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as TicketQuery;
}

/** `tickets-2026-04-01-0930.xlsx`, in Paris time. */
export function exportFilename(what: string, format: string, at: Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Paris',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return `${what}-${p['year']}-${p['month']}-${p['day']}-${p['hour']}${p['minute']}.${format}`;
}

/**
 * Exports of lists to spreadsheets (R6.2, ADR 0043). Small ones are written straight into the
 * answer; larger ones (or on request) become a job whose file only its requester may download,
 * until it expires. Each is audited with who, what, which filters, how many rows, which format.
 */
@Injectable()
export class ExportsService {
  constructor(
    private readonly db: Database,
    private readonly repo: ExportsRepository,
    private readonly tickets: TicketPort,
    private readonly stats: StatsService,
    private readonly audit: AuditService,
    private readonly queue: JobQueue,
    @Inject(FILE_STORE) private readonly store: FileStore,
    @Inject(RUNTIME_CONFIG) private readonly config: Pick<RuntimeConfig, 'exports'>,
  ) {}

  async start(ctx: AuthenticatedContext, req: ExportRequestDto): Promise<DirectExport | { kind: 'job'; job: ExportJob }> {
    const p = ctx.principal;
    const filters = exportFilters(req.filters);
    const options = req.format === 'csv' ? { bom: req.bom === true, semicolon: req.semicolon === true } : {};
    const now = new Date();
    const filename = exportFilename(req.what, req.format, now);
    const max = this.config.exports.directMaxRows;
    const counted = await this.tickets.exportCount(p, filters, max + 1);
    if (!req.background && counted <= max) {
      return {
        kind: 'direct',
        filename,
        contentType: CONTENT_TYPES[req.format],
        write: (out) =>
          this.tickets.exportRows(p, filters, async (read) => {
            await this.audit.record(ctx, {
              action: 'export.created',
              objectType: 'export',
              details: { what: req.what, format: req.format, filters, options, rows: read.total, delivery: 'direct' },
            });
            await writeTable(req.format, ticketDocument(read, p, filters, now), out, { csv: options });
          }),
      };
    }
    // A job says how many rows it will write from the start (the progress bar's total, the audit's count).
    const total = counted > max ? await this.tickets.exportCount(p, filters, 2_000_000_000) : counted;
    const record = await this.db.transaction(async (tx) => {
      const created = await this.repo.create(tx, {
        accountId: p.accountId,
        what: req.what,
        format: req.format,
        options,
        filters: filters as Record<string, unknown>,
        filename,
        rowsTotal: total,
        linkHours: this.config.exports.linkHours,
      });
      await this.queue.enqueue({ queue: EXPORT_QUEUE, payload: { exportId: created.id }, maxAttempts: 3 }, tx);
      await this.audit.record(
        ctx,
        {
          action: 'export.created',
          objectType: 'export',
          objectId: created.id,
          details: { what: req.what, format: req.format, filters, options, rows: total, delivery: 'job' },
        },
        tx,
      );
      return created;
    });
    return { kind: 'job', job: present(record) };
  }

  /**
   * Every table of the statistics dashboard for a range and filters, one sheet each (R6.2): small
   * whatever the data set (a row per period or per value), so always answered at once. The figures
   * are the dashboard's own, over what the caller may see; the export is audited like a list's.
   */
  async statistics(ctx: AuthenticatedContext, q: StatisticsExportQueryDto): Promise<DirectExport> {
    const { format, bom, semicolon, ...query } = q;
    const now = new Date();
    const overview = await this.stats.overview(ctx, query, now);
    const options = format === 'csv' ? { bom: bom === true, semicolon: semicolon === true } : {};
    const rows = overview.tables.reduce((n, t) => n + t.rows.length, 0);
    await this.audit.record(ctx, {
      action: 'export.created',
      objectType: 'export',
      details: { what: 'statistics', format, filters: overview.query, options, rows, delivery: 'direct' },
    });
    return {
      kind: 'direct',
      filename: exportFilename('statistiques', format, now),
      contentType: CONTENT_TYPES[format],
      write: async (out) => {
        await writeTable(format, statisticsExport(overview, ctx.principal, now), out, { csv: options });
      },
    };
  }

  async get(ctx: AuthenticatedContext, id: string): Promise<ExportJob> {
    return present(await this.mine(ctx, id));
  }

  /** The file of a ready export of the caller's: 404 for another's, 410 once expired. */
  async download(ctx: AuthenticatedContext, id: string): Promise<ExportFile> {
    const e = await this.mine(ctx, id);
    if (e.expiresAt.getTime() <= Date.now() || (e.status === 'ready' && !e.fileKey)) throw new GoneError('This export has expired; export the list again.');
    if (e.status !== 'ready' || !e.fileKey || e.fileSize === null) throw new ConflictError('CONFLICT', `This export is not ready (${e.status}).`);
    const content = await this.store.open(e.fileKey);
    await this.audit.record(ctx, {
      action: 'export.downloaded',
      objectType: 'export',
      objectId: e.id,
      details: { what: e.what, format: e.format, rows: e.rowsDone },
    });
    return { filename: e.filename, contentType: CONTENT_TYPES[e.format], size: e.fileSize, content };
  }

  private async mine(ctx: AuthenticatedContext, id: string): Promise<ExportRecord> {
    const e = await this.repo.ofAccount(id, ctx.principal.accountId);
    if (!e) throw new NotFoundError('export', id);
    return e;
  }
}

export function present(e: ExportRecord): ExportJob {
  const live = e.status === 'ready' && e.fileKey !== null && e.expiresAt.getTime() > Date.now();
  return {
    id: e.id,
    what: e.what,
    format: e.format,
    status: e.status,
    rowsTotal: e.rowsTotal,
    rowsDone: e.rowsDone,
    filename: e.filename,
    size: e.fileSize,
    createdAt: e.createdAt.toISOString(),
    finishedAt: e.finishedAt?.toISOString() ?? null,
    expiresAt: e.expiresAt.toISOString(),
    downloadUrl: live ? `${ApiRoutes.exports}/${e.id}/file` : null,
    error: e.error,
  };
}
