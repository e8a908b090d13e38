import { HttpClient, type HttpResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
  ApiRoutes,
  type CmdbExportFormat,
  type CmdbExpiringItem,
  type CmdbExportTable,
  type CmdbHistoryEntry,
  type CmdbImportReport,
  type CmdbImpact,
  type CmdbImpactDirection,
  type CmdbItem,
  type CmdbItemList,
  type CmdbItemQuery,
  type CmdbItemRelations,
  type CmdbItemSummary,
  type CmdbItemTicket,
  type CmdbRelation,
  type CmdbType,
  type CreateCmdbItemRequest,
  type CreateCmdbRelationRequest,
  type CreateCmdbTypeRequest,
  type UpdateCmdbItemRequest,
  type UpdateCmdbTypeRequest,
} from '@guichet/contracts';
import type { Observable } from 'rxjs';
import { queryParams } from './query-params';

const id = encodeURIComponent;

@Injectable({ providedIn: 'root' })
export class CmdbApi {
  private readonly http = inject(HttpClient);

  types(): Observable<CmdbType[]> {
    return this.http.get<CmdbType[]>(ApiRoutes.cmdbTypes);
  }

  createType(request: CreateCmdbTypeRequest): Observable<CmdbType> {
    return this.http.post<CmdbType>(ApiRoutes.cmdbTypes, request);
  }

  updateType(typeId: string, request: UpdateCmdbTypeRequest): Observable<CmdbType> {
    return this.http.patch<CmdbType>(`${ApiRoutes.cmdbTypes}/${id(typeId)}`, request);
  }

  deleteType(typeId: string): Observable<void> {
    return this.http.delete<void>(`${ApiRoutes.cmdbTypes}/${id(typeId)}`);
  }

  /** Checks (`dryRun`) or imports files of items and relations into a project; a real run with errors fails with their list. */
  importFiles(project: string, files: readonly File[], dryRun: boolean): Observable<CmdbImportReport> {
    const body = new FormData();
    for (const file of files) body.append('file', file, file.name);
    return this.http.post<CmdbImportReport>(ApiRoutes.cmdbImport, body, { params: queryParams({ project, dryRun: dryRun ? 'true' : undefined }) });
  }

  /** The items the list's filters select (and their relations), as a file the import reads back. */
  exportFile(
    query: CmdbItemQuery,
    format: CmdbExportFormat,
    options: { table?: CmdbExportTable; bom?: boolean; semicolon?: boolean } = {},
  ): Observable<HttpResponse<Blob>> {
    const join = (values: string[] | undefined) => (values?.length ? values.join(',') : undefined);
    return this.http.get(ApiRoutes.cmdbExport, {
      params: queryParams({
        format,
        table: format === 'csv' ? options.table : undefined,
        bom: options.bom ? 'true' : undefined,
        semicolon: options.semicolon ? 'true' : undefined,
        q: query.q,
        type: join(query.type),
        status: join(query.status),
        project: join(query.project),
        tag: join(query.tag),
        attr: query.attr?.[0],
      }),
      observe: 'response',
      responseType: 'blob',
    });
  }

  /** One value per filter here (the API takes lists, comma-separated). */
  list(query: CmdbItemQuery): Observable<CmdbItemList> {
    const join = (values: string[] | undefined) => (values?.length ? values.join(',') : undefined);
    return this.http.get<CmdbItemList>(ApiRoutes.cmdbItems, {
      params: queryParams({
        q: query.q,
        type: join(query.type),
        status: join(query.status),
        project: join(query.project),
        tag: join(query.tag),
        attr: query.attr?.[0],
        limit: query.limit,
        offset: query.offset,
      }),
    });
  }

  /** Items whose certificate or domain name expires within `days` days (expired ones included). */
  expiring(days: number): Observable<CmdbExpiringItem[]> {
    return this.http.get<CmdbExpiringItem[]>(ApiRoutes.cmdbExpiring, { params: queryParams({ days }) });
  }

  get(itemId: string): Observable<CmdbItem> {
    return this.http.get<CmdbItem>(`${ApiRoutes.cmdbItems}/${id(itemId)}`);
  }

  create(request: CreateCmdbItemRequest): Observable<CmdbItem> {
    return this.http.post<CmdbItem>(ApiRoutes.cmdbItems, request);
  }

  update(itemId: string, request: UpdateCmdbItemRequest): Observable<CmdbItem> {
    return this.http.patch<CmdbItem>(`${ApiRoutes.cmdbItems}/${id(itemId)}`, request);
  }

  relations(itemId: string): Observable<CmdbItemRelations> {
    return this.http.get<CmdbItemRelations>(`${ApiRoutes.cmdbItems}/${id(itemId)}/relations`);
  }

  addRelation(request: CreateCmdbRelationRequest): Observable<CmdbRelation> {
    return this.http.post<CmdbRelation>(ApiRoutes.cmdbRelations, request);
  }

  removeRelation(relationId: string): Observable<void> {
    return this.http.delete<void>(`${ApiRoutes.cmdbRelations}/${id(relationId)}`);
  }

  history(itemId: string): Observable<CmdbHistoryEntry[]> {
    return this.http.get<CmdbHistoryEntry[]>(`${ApiRoutes.cmdbItems}/${id(itemId)}/history`);
  }

  tickets(itemId: string): Observable<CmdbItemTicket[]> {
    return this.http.get<CmdbItemTicket[]>(`${ApiRoutes.cmdbItems}/${id(itemId)}/tickets`);
  }

  impact(itemId: string, direction: CmdbImpactDirection, depth: number): Observable<CmdbImpact> {
    return this.http.get<CmdbImpact>(`${ApiRoutes.cmdbItems}/${id(itemId)}/impact`, { params: queryParams({ direction, depth }) });
  }

  /** The items linked to a ticket that the user may see. */
  ticketItems(ticketKey: string): Observable<CmdbItemSummary[]> {
    return this.http.get<CmdbItemSummary[]>(`${ApiRoutes.cmdbTickets}/${id(ticketKey)}/items`);
  }

  linkTicket(ticketKey: string, itemId: string): Observable<void> {
    return this.http.post<void>(`${ApiRoutes.cmdbTickets}/${id(ticketKey)}/items`, { itemId });
  }

  unlinkTicket(ticketKey: string, itemId: string): Observable<void> {
    return this.http.delete<void>(`${ApiRoutes.cmdbTickets}/${id(ticketKey)}/items/${id(itemId)}`);
  }
}
