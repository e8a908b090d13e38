import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import type {
  AddRelationRequest,
  CiHistoryEntry,
  CiItem,
  CiPage,
  CiQuery,
  CiRelation,
  CiTicket,
  CiType,
  ImpactDirection,
  ImpactGraph,
  SaveCiRequest,
  SaveCiTypeRequest,
  TicketItemLink,
} from '../../cmdb/cmdb-model';
import { queryParams } from './query-params';

const BASE = '/api/cmdb';
const id = encodeURIComponent;

@Injectable({ providedIn: 'root' })
export class CmdbApi {
  private readonly http = inject(HttpClient);

  types(): Observable<CiType[]> {
    return this.http.get<CiType[]>(`${BASE}/types`);
  }

  createType(request: SaveCiTypeRequest): Observable<CiType> {
    return this.http.post<CiType>(`${BASE}/types`, request);
  }

  updateType(typeId: string, request: SaveCiTypeRequest): Observable<CiType> {
    return this.http.patch<CiType>(`${BASE}/types/${id(typeId)}`, request);
  }

  deleteType(typeId: string): Observable<void> {
    return this.http.delete<void>(`${BASE}/types/${id(typeId)}`);
  }

  list(query: CiQuery): Observable<CiPage> {
    return this.http.get<CiPage>(`${BASE}/items`, { params: queryParams({ ...query }) });
  }

  get(itemId: string): Observable<CiItem> {
    return this.http.get<CiItem>(`${BASE}/items/${id(itemId)}`);
  }

  create(request: SaveCiRequest): Observable<CiItem> {
    return this.http.post<CiItem>(`${BASE}/items`, request);
  }

  update(itemId: string, request: Partial<SaveCiRequest>): Observable<CiItem> {
    return this.http.patch<CiItem>(`${BASE}/items/${id(itemId)}`, request);
  }

  relations(itemId: string): Observable<CiRelation[]> {
    return this.http.get<CiRelation[]>(`${BASE}/items/${id(itemId)}/relations`);
  }

  addRelation(itemId: string, request: AddRelationRequest): Observable<CiRelation> {
    return this.http.post<CiRelation>(`${BASE}/items/${id(itemId)}/relations`, request);
  }

  removeRelation(itemId: string, relationId: string): Observable<void> {
    return this.http.delete<void>(`${BASE}/items/${id(itemId)}/relations/${id(relationId)}`);
  }

  history(itemId: string): Observable<CiHistoryEntry[]> {
    return this.http.get<CiHistoryEntry[]>(`${BASE}/items/${id(itemId)}/history`);
  }

  tickets(itemId: string): Observable<CiTicket[]> {
    return this.http.get<CiTicket[]>(`${BASE}/items/${id(itemId)}/tickets`);
  }

  impact(itemId: string, direction: ImpactDirection, depth: number): Observable<ImpactGraph> {
    return this.http.get<ImpactGraph>(`${BASE}/items/${id(itemId)}/impact`, { params: queryParams({ direction, depth }) });
  }

  ticketItems(ticketKey: string): Observable<TicketItemLink[]> {
    return this.http.get<TicketItemLink[]>(`/api/tickets/${id(ticketKey)}/items`);
  }

  linkTicket(ticketKey: string, itemId: string): Observable<void> {
    return this.http.post<void>(`/api/tickets/${id(ticketKey)}/items`, { itemId });
  }

  unlinkTicket(ticketKey: string, itemId: string): Observable<void> {
    return this.http.delete<void>(`/api/tickets/${id(ticketKey)}/items/${id(itemId)}`);
  }
}
