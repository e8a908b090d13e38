import type { HttpResponse } from '@angular/common/http';
import { filenameOf } from './export-choices';

/** Hands a fetched file to the browser as a download (fetched with the token, so no plain link). */
export function saveBlob(document: Document, blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves a file answered by the API, under the name its `Content-Disposition` gives, else `fallback`. */
export function saveResponse(document: Document, res: HttpResponse<Blob>, fallback: string): void {
  if (res.body) saveBlob(document, res.body, filenameOf(res.headers.get('Content-Disposition')) ?? fallback);
}
