import { Injectable } from '@nestjs/common';
import type { ArchiveFormat, ArchiveListing, DepositCategory, Environment, DepositScanStatus } from '@guichet/contracts';
import { sql, type Sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';

export interface DepositRecord {
  id: string;
  projectId: string;
  title: string;
  description: string;
  category: DepositCategory;
  environment: Environment;
  ticketId: string | null;
  /** The linked ticket, when the caller sees it. */
  ticket: { key: string; title: string } | null;
  createdBy: { id: string; displayName: string };
  createdAt: Date;
  updatedAt: Date;
  versionCount: number;
}

export interface VersionRecord {
  id: string;
  depositId: string;
  number: number;
  filename: string;
  contentType: string;
  size: number;
  sha256: Buffer;
  storageKey: string;
  note: string;
  uploadedBy: { id: string; displayName: string };
  createdAt: Date;
  scanStatus: DepositScanStatus;
  archiveFormat: ArchiveFormat;
  archiveWarnings: number;
}

export interface NewDeposit {
  id: string;
  projectId: string;
  spaceId: string;
  title: string;
  description: string;
  category: DepositCategory;
  environment: Environment;
  ticketId: string | null;
  createdBy: string;
}

export interface NewVersion {
  id: string;
  depositId: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: Buffer;
  storageKey: string;
  note: string;
  uploadedBy: string;
  scanStatus: DepositScanStatus;
  listing: ArchiveListing | null;
  archiveWarnings: number;
}

interface DepositRow {
  id: string;
  project_id: string;
  title: string;
  description: string;
  category: DepositCategory;
  environment: Environment;
  ticket_id: string | null;
  ticket_key: string | null;
  ticket_title: string | null;
  created_by: string;
  created_by_name: string;
  created_at: Date;
  updated_at: Date;
  version_count: number;
}

interface VersionRow {
  id: string;
  deposit_id: string;
  number: number;
  filename: string;
  content_type: string;
  size: string;
  sha256: Buffer;
  storage_key: string;
  note: string;
  uploaded_by: string;
  uploaded_by_name: string;
  created_at: Date;
  scan_status: DepositScanStatus;
  archive_format: ArchiveFormat;
  archive_warnings: number;
}

const VERSION_COLUMNS = sql`v.id, v.deposit_id, v.number, v.filename, v.content_type, v.size, v.sha256, v.storage_key, v.note,
  v.uploaded_by, a.display_name AS uploaded_by_name, v.created_at, v.scan_status, v.archive_format, v.archive_warnings`;

/** Deposits and their versions (ADR 0037). Every read is bound to one project, checked visible by the caller and again here. */
@Injectable()
export class DepositsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Deposits of a project, the most recently changed first. `visibleProject` is the access
   * policy's condition on the project row `p`; `visibleTicket` its condition on the ticket row `t`.
   */
  async list(projectId: string, visibleProject: Sql, visibleTicket: Sql): Promise<DepositRecord[]> {
    const rows = await this.db.query<DepositRow>(sql`
      ${this.selectDeposits(visibleTicket)}
       JOIN projects p ON p.id = d.project_id AND ${visibleProject}
      WHERE d.project_id = ${projectId}
      ORDER BY d.updated_at DESC, d.id`);
    return rows.map(toDeposit);
  }

  async find(
    projectId: string,
    id: string,
    visibleProject: Sql,
    visibleTicket: Sql,
    tx: Queryable = this.db,
    forUpdate = false,
  ): Promise<DepositRecord | undefined> {
    const row = await tx.one<DepositRow>(sql`
      ${this.selectDeposits(visibleTicket)}
       JOIN projects p ON p.id = d.project_id AND ${visibleProject}
      WHERE d.project_id = ${projectId} AND d.id = ${id}
      ${forUpdate ? sql`FOR UPDATE OF d` : sql``}`);
    return row && toDeposit(row);
  }

  private selectDeposits(visibleTicket: Sql): Sql {
    return sql`
      SELECT d.id, d.project_id, d.title, d.description, d.category, d.environment, d.ticket_id,
             t.key AS ticket_key, t.title AS ticket_title, d.created_by, a.display_name AS created_by_name,
             d.created_at, d.updated_at,
             (SELECT count(*)::int FROM deposit_versions c WHERE c.deposit_id = d.id) AS version_count
        FROM deposits d
        JOIN accounts a ON a.id = d.created_by
        LEFT JOIN tickets t ON t.id = d.ticket_id AND ${visibleTicket}`;
  }

  /** Versions of the given deposits, newest first. */
  async versions(depositIds: string[]): Promise<VersionRecord[]> {
    if (!depositIds.length) return [];
    const rows = await this.db.query<VersionRow>(sql`
      SELECT ${VERSION_COLUMNS}
        FROM deposit_versions v JOIN accounts a ON a.id = v.uploaded_by
       WHERE v.deposit_id = ANY(${depositIds}::uuid[])
       ORDER BY v.deposit_id, v.number DESC`);
    return rows.map(toVersion);
  }

  async version(depositId: string, number: number): Promise<VersionRecord | undefined> {
    const row = await this.db.one<VersionRow>(sql`
      SELECT ${VERSION_COLUMNS}
        FROM deposit_versions v JOIN accounts a ON a.id = v.uploaded_by
       WHERE v.deposit_id = ${depositId} AND v.number = ${number}`);
    return row && toVersion(row);
  }

  async listing(versionId: string): Promise<ArchiveListing | null> {
    const row = await this.db.one<{ archive_listing: ArchiveListing | null }>(sql`SELECT archive_listing FROM deposit_versions WHERE id = ${versionId}`);
    return row?.archive_listing ?? null;
  }

  async insertDeposit(d: NewDeposit, tx: Queryable): Promise<void> {
    await tx.query(sql`
      INSERT INTO deposits (id, project_id, space_id, title, description, category, environment, ticket_id, created_by)
      VALUES (${d.id}, ${d.projectId}, ${d.spaceId}, ${d.title}, ${d.description}, ${d.category}, ${d.environment}, ${d.ticketId}, ${d.createdBy})`);
  }

  /** Adds the next version of a deposit (locked by the caller); its number. */
  async insertVersion(v: NewVersion, tx: Queryable): Promise<number> {
    const row = await tx.one<{ number: number }>(sql`
      INSERT INTO deposit_versions (id, deposit_id, number, filename, content_type, size, sha256, storage_key, note, uploaded_by,
                                    scan_status, archive_format, archive_warnings, archive_listing)
      SELECT ${v.id}, ${v.depositId}, COALESCE(max(number), 0) + 1, ${v.filename}, ${v.contentType}, ${v.size}, ${v.sha256}, ${v.storageKey},
             ${v.note}, ${v.uploadedBy}, ${v.scanStatus}, ${v.listing?.format ?? 'none'}, ${v.archiveWarnings},
             ${v.listing ? JSON.stringify(v.listing) : null}::jsonb
        FROM deposit_versions WHERE deposit_id = ${v.depositId}
      RETURNING number`);
    await tx.query(sql`UPDATE deposits SET updated_at = now() WHERE id = ${v.depositId}`);
    return row!.number;
  }

  /** Removes a deposit and its versions; the storage keys of the files to remove once committed. */
  async delete(id: string, tx: Queryable): Promise<string[]> {
    const rows = await tx.query<{ storage_key: string }>(sql`SELECT storage_key FROM deposit_versions WHERE deposit_id = ${id}`);
    await tx.query(sql`DELETE FROM deposits WHERE id = ${id}`);
    return rows.map((r) => r.storage_key);
  }
}

function toDeposit(r: DepositRow): DepositRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    title: r.title,
    description: r.description,
    category: r.category,
    environment: r.environment,
    ticketId: r.ticket_id,
    ticket: r.ticket_key ? { key: r.ticket_key, title: r.ticket_title ?? '' } : null,
    createdBy: { id: r.created_by, displayName: r.created_by_name },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    versionCount: r.version_count,
  };
}

function toVersion(r: VersionRow): VersionRecord {
  return {
    id: r.id,
    depositId: r.deposit_id,
    number: r.number,
    filename: r.filename,
    contentType: r.content_type,
    size: Number(r.size),
    sha256: r.sha256,
    storageKey: r.storage_key,
    note: r.note,
    uploadedBy: { id: r.uploaded_by, displayName: r.uploaded_by_name },
    createdAt: r.created_at,
    scanStatus: r.scan_status,
    archiveFormat: r.archive_format,
    archiveWarnings: r.archive_warnings,
  };
}
