import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type ArchiveListing,
  DEPOSIT_CATEGORIES,
  type Deposit,
  type DepositCategory,
  type DepositDetail,
  type DepositVersion,
  ENVIRONMENTS,
  type Environment,
  TICKET_KEY_PATTERN,
} from '@guichet/contracts';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { AccessPolicy } from '../access/access-policy';
import type { AuthenticatedContext } from '../access/principal';
import { type IncomingFile, readMultipart } from '../attachments/multipart-upload';
import { neutraliseFileName } from '../attachments/file-name';
import { AuditService } from '../audit/audit.service';
import { ForbiddenError, NotFoundError, ValidationError } from '../common/errors';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import { Database, type Queryable } from '../database/database';
import type { ProjectRecord } from '../projects/projects.repository';
import { ProjectsService } from '../projects/projects.service';
import { FILE_STORE, type FileStore } from '../storage/file-store';
import { TicketPort } from '../tickets/ticket-port';
import { ArchiveInspector } from './archive-inspector';
import { DepositScanning } from './deposit-scanning';
import { type DepositRecord, DepositsRepository, type VersionRecord } from './deposits.repository';

export const ARCHIVE_INSPECTOR = Symbol('ARCHIVE_INSPECTOR');

/** A file written to the store, not yet recorded. */
interface StoredFile {
  key: string;
  filename: string;
  size: number;
  sha256: Buffer;
}

export interface DepositDownload {
  filename: string;
  size: number;
  stream: Readable;
}

const CONTENT_TYPES: Record<string, string> = {
  zip: 'application/zip',
  tar: 'application/x-tar',
  'tar.gz': 'application/gzip',
  '7z': 'application/x-7z-compressed',
  none: 'application/octet-stream',
};

/** Change and deployment tickets are the ones deposits serve (R5.2). */
const LINKABLE_KINDS = new Set(['change', 'deployment']);

/**
 * The deposit space of a project (R5, ADR 0037). Who sees a project sees its deposits and may
 * add to them (a beneficiary delivers, the support team too); deleting needs `deposits.manage`.
 * A file goes to the store under a temporary name first (the store renames it once complete);
 * its archive is listed from there; only then is its version row written, in one transaction
 * with its audit line and its ticket event. Whatever fails on the way removes the file.
 */
@Injectable()
export class DepositsService {
  private readonly logger = new Logger('deposits');

  constructor(
    private readonly db: Database,
    private readonly deposits: DepositsRepository,
    private readonly projects: ProjectsService,
    private readonly policy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly tickets: TicketPort,
    private readonly scanning: DepositScanning,
    @Inject(ARCHIVE_INSPECTOR) private readonly inspector: ArchiveInspector,
    @Inject(FILE_STORE) private readonly files: FileStore,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  async list(ctx: AuthenticatedContext, key: string): Promise<Deposit[]> {
    const project = await this.projects.visible(ctx, key);
    const rows = await this.deposits.list(project.id, this.policy.projectCondition(ctx.principal, 'p'), this.policy.ticketCondition(ctx.principal, 't'));
    const versions = await this.withVerdicts(await this.deposits.versions(rows.map((r) => r.id)));
    const latest = new Map<string, VersionRecord>();
    for (const v of versions) if (!latest.has(v.depositId)) latest.set(v.depositId, v);
    return rows.filter((r) => latest.has(r.id)).map((r) => this.present(ctx, project, r, latest.get(r.id)!));
  }

  async get(ctx: AuthenticatedContext, key: string, id: string): Promise<DepositDetail> {
    const { project, deposit } = await this.visible(ctx, key, id);
    const versions = await this.withVerdicts(await this.deposits.versions([deposit.id]));
    if (!versions.length) throw new NotFoundError('deposit', id);
    return { ...this.present(ctx, project, deposit, versions[0]!), versions: versions.map(presentVersion) };
  }

  /** A new deposit with its first version: multipart fields title, description, category, environment, ticket, note, and one file. */
  async create(ctx: AuthenticatedContext, key: string, request: IncomingMessage): Promise<DepositDetail> {
    // Refuse before reading a byte of the body when the project is out of reach.
    await this.projects.visible(ctx, key);
    const { fields, file } = await this.receive(request, ['title', 'description', 'category', 'environment', 'ticket', 'note']);
    const id = randomUUID();
    try {
      const title = (fields['title'] ?? '').trim();
      if (!title) throw new ValidationError('Give the deposit a title.');
      if (title.length > 200) throw new ValidationError('The title is longer than 200 characters.');
      const description = (fields['description'] ?? '').trim();
      if (description.length > 5000) throw new ValidationError('The description is longer than 5000 characters.');
      const category = oneOf(fields['category'], DEPOSIT_CATEGORIES, 'category') as DepositCategory;
      const environment = oneOf(fields['environment'], ENVIRONMENTS, 'environment') as Environment;
      const ticketKey = fields['ticket']?.trim().toUpperCase() || null;
      if (ticketKey !== null && !TICKET_KEY_PATTERN.test(ticketKey)) throw new ValidationError('The ticket field does not name a ticket (like HWEB-12).');
      const note = noteOf(fields);
      const listing = await this.inspect(file);
      await this.db.transaction(async (tx) => {
        const project = await this.projects.visible(ctx, key, tx);
        const ticket = ticketKey ? await this.linkable(ctx, project, ticketKey, tx) : null;
        await this.deposits.insertDeposit(
          {
            id,
            projectId: project.id,
            spaceId: project.spaceId,
            title,
            description,
            category,
            environment,
            ticketId: ticket?.id ?? null,
            createdBy: ctx.principal.accountId,
          },
          tx,
        );
        return this.record(ctx, project, { id, title, ticketId: ticket?.id ?? null }, file, note, listing, tx);
      });
    } catch (err) {
      await this.discard([file.key]);
      throw err;
    }
    return this.get(ctx, key, id);
  }

  /** A new version of a deposit: multipart field note and one file. */
  async addVersion(ctx: AuthenticatedContext, key: string, id: string, request: IncomingMessage): Promise<DepositDetail> {
    await this.visible(ctx, key, id);
    const { fields, file } = await this.receive(request, ['note']);
    try {
      const note = noteOf(fields);
      const listing = await this.inspect(file);
      await this.db.transaction(async (tx) => {
        const { project, deposit } = await this.visible(ctx, key, id, tx);
        return this.record(ctx, project, deposit, file, note, listing, tx);
      });
    } catch (err) {
      await this.discard([file.key]);
      throw err;
    }
    return this.get(ctx, key, id);
  }

  /** What the archive of a version holds, as listed when it was uploaded; null for a plain file. */
  async contents(ctx: AuthenticatedContext, key: string, id: string, number: number): Promise<ArchiveListing | null> {
    const { deposit } = await this.visible(ctx, key, id);
    const version = await this.deposits.version(deposit.id, number);
    if (!version) throw new NotFoundError('deposit version', `${id}/${number}`);
    return this.deposits.listing(version.id);
  }

  async download(ctx: AuthenticatedContext, key: string, id: string, number: number): Promise<DepositDownload> {
    const { deposit } = await this.visible(ctx, key, id);
    const version = await this.deposits.version(deposit.id, number);
    if (!version) throw new NotFoundError('deposit version', `${id}/${number}`);
    // Pending, infected or unscannable: the scanner's own answer (ADR 0039).
    await this.scanning.assertServable(version.storageKey);
    const stream = await this.files.open(version.storageKey);
    await this.audit.record(ctx, {
      action: 'deposit.downloaded',
      objectType: 'deposit',
      objectId: deposit.id,
      details: { project: key, title: deposit.title, version: version.number, filename: version.filename },
    });
    return { filename: version.filename, size: version.size, stream };
  }

  async delete(ctx: AuthenticatedContext, key: string, id: string): Promise<void> {
    await this.visible(ctx, key, id);
    if (!this.policy.has(ctx.principal, 'deposits.manage')) throw new ForbiddenError('Deleting a deposit needs the right to manage deposits.');
    const keys = await this.db.transaction(async (tx) => {
      const { deposit } = await this.visible(ctx, key, id, tx, true);
      const removed = await this.deposits.delete(deposit.id, tx);
      for (const k of removed) await this.scanning.forget(k, tx);
      await this.audit.record(
        ctx,
        { action: 'deposit.deleted', objectType: 'deposit', objectId: deposit.id, details: { project: key, title: deposit.title, versions: removed.length } },
        tx,
      );
      return removed;
    });
    await this.discard(keys);
  }

  /** The project and the deposit if the caller sees them; otherwise "not found", whichever is missing (R2.6). */
  private async visible(
    ctx: AuthenticatedContext,
    key: string,
    id: string,
    tx?: Queryable,
    forUpdate = false,
  ): Promise<{ project: ProjectRecord; deposit: DepositRecord }> {
    const project = await this.projects.visible(ctx, key, tx);
    const deposit = await this.deposits.find(
      project.id,
      id,
      this.policy.projectCondition(ctx.principal, 'p'),
      this.policy.ticketCondition(ctx.principal, 't'),
      tx,
      forUpdate,
    );
    if (!deposit) throw new NotFoundError('deposit', id);
    return { project, deposit };
  }

  /** A change or deployment ticket of the project that the caller sees. */
  private async linkable(ctx: AuthenticatedContext, project: ProjectRecord, ticketKey: string, tx: Queryable): Promise<{ id: string }> {
    const refused = new ValidationError(`The ticket ${ticketKey} is not a change or deployment ticket of project ${project.key} that you can see.`);
    const found = await this.tickets.visible(ctx.principal, ticketKey, tx).catch((err: unknown) => {
      if (err instanceof NotFoundError) throw refused;
      throw err;
    });
    if (found.ticket.projectId !== project.id || !LINKABLE_KINDS.has(found.ticket.kind)) throw refused;
    return { id: found.ticket.id };
  }

  /** Writes the version row, its audit line and its ticket event, in `tx`; the version's number. */
  private async record(
    ctx: AuthenticatedContext,
    project: ProjectRecord,
    deposit: { id: string; title: string; ticketId: string | null },
    file: StoredFile,
    note: string,
    listing: ArchiveListing | null,
    tx: Queryable,
  ): Promise<number> {
    const number = await this.deposits.insertVersion(
      {
        id: file.key,
        depositId: deposit.id,
        filename: file.filename,
        contentType: CONTENT_TYPES[listing?.format ?? 'none'] ?? 'application/octet-stream',
        size: file.size,
        sha256: file.sha256,
        storageKey: file.key,
        note,
        uploadedBy: ctx.principal.accountId,
        scanStatus: await this.scanning.requested(file.key, tx),
        listing,
        archiveWarnings: listing ? listing.warnings.length : 0,
      },
      tx,
    );
    await this.audit.record(
      ctx,
      {
        action: 'deposit.uploaded',
        objectType: 'deposit',
        objectId: deposit.id,
        details: { project: project.key, title: deposit.title, version: number, filename: file.filename, size: file.size, sha256: file.sha256.toString('hex') },
      },
      tx,
    );
    if (deposit.ticketId)
      await this.tickets.deposited(tx, deposit.ticketId, ctx.principal.accountId, {
        depositId: deposit.id,
        title: deposit.title,
        version: number,
        filename: file.filename,
      });
    return number;
  }

  /** Reads the multipart body: its text fields and exactly one file, stored. */
  private async receive(request: IncomingMessage, textFields: string[]): Promise<{ fields: Record<string, string>; file: StoredFile }> {
    const got: { file?: StoredFile } = {};
    try {
      const fields = await readMultipart(
        request,
        { fileField: 'file', textFields, maxFiles: 1, maxFileBytes: this.config.deposits.maxBytes, maxFieldBytes: 16 * 1024 },
        async (incoming) => void (got.file = await this.store(incoming)),
      );
      if (!got.file) throw new ValidationError('No file received: send the file in a "file" field.');
      return { fields, file: got.file };
    } catch (err) {
      if (got.file) await this.discard([got.file.key]);
      throw err;
    }
  }

  private async store(incoming: IncomingFile): Promise<StoredFile> {
    const key = randomUUID();
    const filename = neutraliseFileName(incoming.filename);
    const { size, sha256 } = await this.files.put(key, incoming.stream);
    if (size === 0) {
      await this.discard([key]);
      throw new ValidationError(`The file "${filename}" is empty.`);
    }
    return { key, filename, size, sha256 };
  }

  /** Lists the archive of a stored file; a failure of the listing is a finding, not a failed upload. */
  private async inspect(file: StoredFile): Promise<ArchiveListing | null> {
    const local = await this.files.local(file.key);
    try {
      return await this.inspector.inspect(local.path);
    } catch (err) {
      this.logger.warn({ err, storageKey: file.key }, 'archive listing failed');
      return { format: 'none', entries: [], entryCount: 0, declaredSize: 0, warnings: [{ code: 'corrupt', message: 'The archive could not be listed.' }] };
    } finally {
      await local.release();
    }
  }

  /** The versions with their current antivirus verdict (the scanner's, by file key). */
  private async withVerdicts(versions: VersionRecord[]): Promise<VersionRecord[]> {
    if (!versions.length) return versions;
    const statuses = await this.scanning.statuses(versions.map((v) => v.storageKey));
    return versions.map((v) => ({ ...v, scanStatus: statuses.get(v.storageKey) ?? v.scanStatus }));
  }

  private present(ctx: AuthenticatedContext, project: ProjectRecord, r: DepositRecord, latest: VersionRecord): Deposit {
    return {
      id: r.id,
      projectKey: project.key,
      title: r.title,
      description: r.description,
      category: r.category,
      environment: r.environment,
      ticket: r.ticket,
      createdBy: r.createdBy,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      latest: presentVersion(latest),
      versionCount: r.versionCount,
      canDelete: this.policy.has(ctx.principal, 'deposits.manage'),
    };
  }

  private async discard(keys: string[]): Promise<void> {
    await Promise.all(
      keys.map((k) => this.files.delete(k).catch((err: unknown) => this.logger.error({ err, storageKey: k }, 'could not remove a deposited file'))),
    );
  }
}

function presentVersion(v: VersionRecord): DepositVersion {
  return {
    number: v.number,
    filename: v.filename,
    contentType: v.contentType,
    size: v.size,
    sha256: v.sha256.toString('hex'),
    uploadedBy: v.uploadedBy,
    uploadedAt: v.createdAt.toISOString(),
    note: v.note,
    scanStatus: v.scanStatus,
    archiveFormat: v.archiveFormat,
    archiveWarnings: v.archiveWarnings,
  };
}

function oneOf(value: string | undefined, allowed: readonly string[], name: string): string {
  const v = value?.trim() ?? '';
  if (!allowed.includes(v)) throw new ValidationError(`The ${name} field must be one of: ${allowed.join(', ')}.`);
  return v;
}

function noteOf(fields: Record<string, string>): string {
  const note = (fields['note'] ?? '').trim();
  if (note.length > 2000) throw new ValidationError('The note is longer than 2000 characters.');
  return note;
}
