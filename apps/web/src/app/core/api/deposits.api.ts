import { HttpClient, type HttpEvent } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { type ArchiveListing, type Deposit, type DepositDetail, depositRoutes } from '@guichet/contracts';
import type { Observable } from 'rxjs';

/** What a new deposit says about itself. */
export interface NewDepositFields {
  title: string;
  description: string;
  category: string;
  environment: string;
  ticket: string;
  note: string;
}

@Injectable({ providedIn: 'root' })
export class DepositsApi {
  private readonly http = inject(HttpClient);

  list(projectKey: string): Observable<Deposit[]> {
    return this.http.get<Deposit[]>(depositRoutes.list(projectKey));
  }

  get(projectKey: string, id: string): Observable<DepositDetail> {
    return this.http.get<DepositDetail>(depositRoutes.one(projectKey, id));
  }

  /** The fields first, then the file: the server reads the body as it comes. Events report the upload's progress. */
  create(projectKey: string, fields: NewDepositFields, file: File): Observable<HttpEvent<DepositDetail>> {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) if (value.trim()) body.append(name, value.trim());
    body.append('file', file, file.name);
    return this.http.post<DepositDetail>(depositRoutes.list(projectKey), body, { reportProgress: true, observe: 'events' });
  }

  addVersion(projectKey: string, id: string, note: string, file: File): Observable<HttpEvent<DepositDetail>> {
    const body = new FormData();
    if (note.trim()) body.append('note', note.trim());
    body.append('file', file, file.name);
    return this.http.post<DepositDetail>(depositRoutes.versions(projectKey, id), body, { reportProgress: true, observe: 'events' });
  }

  contents(projectKey: string, id: string, version: number): Observable<ArchiveListing | null> {
    return this.http.get<ArchiveListing | null>(depositRoutes.contents(projectKey, id, version));
  }

  download(projectKey: string, id: string, version: number): Observable<Blob> {
    return this.http.get(depositRoutes.file(projectKey, id, version), { responseType: 'blob' });
  }

  delete(projectKey: string, id: string): Observable<void> {
    return this.http.delete<void>(depositRoutes.one(projectKey, id));
  }
}
