/**
 * One RFC 4180 CSV line. Cells that a spreadsheet would run as a formula (= + - @ and
 * control characters at the start) are prefixed with a quote (CSV injection).
 */
export function toCsvRow(cells: readonly unknown[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
