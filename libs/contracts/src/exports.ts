import type { TicketQuery } from './tickets';

/** Spreadsheet formats of an export (R6.2): Excel, OpenDocument (LibreOffice), UTF-8 CSV. */
export const EXPORT_FORMATS = ['xlsx', 'ods', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What can be exported: a ticket list now; statistics tables join with the same writer. */
export const EXPORT_SUBJECTS = ['tickets'] as const;
export type ExportSubject = (typeof EXPORT_SUBJECTS)[number];

/** A ticket list export: the list's filters and sort (its cursor and page size are ignored). */
export interface ExportRequest {
  what: ExportSubject;
  format: ExportFormat;
  filters?: Omit<TicketQuery, 'cursor' | 'limit'>;
  /** CSV only: a byte order mark first (Excel then reads UTF-8). */
  bom?: boolean;
  /** CSV only: `;` between cells and decimal commas, as French Excel expects. */
  semicolon?: boolean;
  /** Run as a background job even when small enough to be answered at once. */
  background?: boolean;
}

export type ExportStatus = 'pending' | 'running' | 'ready' | 'failed';

/** A background export: its progress, then its download link (for the account that asked only, until it expires). */
export interface ExportJob {
  id: string;
  what: ExportSubject;
  format: ExportFormat;
  status: ExportStatus;
  rowsTotal: number;
  rowsDone: number;
  filename: string;
  size: number | null;
  createdAt: string;
  finishedAt: string | null;
  expiresAt: string;
  /** Where to download the file once ready (GET, same authentication). */
  downloadUrl: string | null;
  error: string | null;
}
