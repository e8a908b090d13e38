import type { ExportFormat } from '@guichet/contracts';
import type { TranslationKey } from '../core/i18n/dictionary';

/** A spreadsheet an export menu offers: Excel, LibreOffice, CSV, and CSV as French Excel reads it. */
export interface ExportChoice {
  id: string;
  label: TranslationKey;
  format: ExportFormat;
  bom?: boolean;
  semicolon?: boolean;
}

export const EXPORT_CHOICES: readonly ExportChoice[] = [
  { id: 'xlsx', label: 'exports.xlsx', format: 'xlsx' },
  { id: 'ods', label: 'exports.ods', format: 'ods' },
  { id: 'csv', label: 'exports.csv', format: 'csv' },
  { id: 'csv-fr', label: 'exports.csvExcelFr', format: 'csv', bom: true, semicolon: true },
];

/** The file name a `Content-Disposition: attachment; filename="…"` answer gives. */
export function filenameOf(disposition: string | null): string | undefined {
  return disposition?.match(/filename="([^"]+)"/)?.[1];
}
