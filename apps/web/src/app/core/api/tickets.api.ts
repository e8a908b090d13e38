import { HttpClient, type HttpEvent } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
  ApiRoutes,
  type AttachmentInfo,
  type BulkResult,
  type BulkTicketRequest,
  type BulkUndoResult,
  type Comment,
  type CreateCommentRequest,
  type CreateLinkRequest,
  type CreateTicketRequest,
  type CreateTimeEntryRequest,
  type MarkdownPreview,
  type PersonRef,
  type Ticket,
  type TicketAssignees,
  type TicketLink,
  type TicketPage,
  type TicketQuery,
  type TicketTimeline,
  type TimeEntry,
  type TransitionRequest,
  type UpdateTicketRequest,
} from '@guichet/contracts';
import type { Observable } from 'rxjs';
import { queryParams } from './query-params';

@Injectable({ providedIn: 'root' })
export class TicketsApi {
  private readonly http = inject(HttpClient);

  /** Lists travel comma-separated (`status=new,assigned`), which the API accepts like repeated names. */
  list(query: TicketQuery): Observable<TicketPage> {
    const { project, kind, status, priority, typology, open, mine, answered, ...scalars } = query;
    return this.http.get<TicketPage>(ApiRoutes.tickets, {
      params: queryParams({
        ...scalars,
        project: project?.join(','),
        kind: kind?.join(','),
        status: status?.join(','),
        priority: priority?.join(','),
        typology: typology?.join(','),
        open: open === undefined ? undefined : String(open),
        mine: mine ? 'true' : undefined,
        answered: answered === undefined ? undefined : String(answered),
      }),
    });
  }

  /** One action on many tickets; each ticket's outcome comes back. */
  bulk(request: BulkTicketRequest): Observable<BulkResult> {
    return this.http.post<BulkResult>(ApiRoutes.ticketsBulk, request);
  }

  undoBulk(id: string): Observable<BulkUndoResult> {
    return this.http.post<BulkUndoResult>(`${ApiRoutes.ticketsBulk}/${encodeURIComponent(id)}/undo`, {});
  }

  get(key: string): Observable<Ticket> {
    return this.http.get<Ticket>(this.url(key));
  }

  /** Everything the ticket page shows, in one call. */
  /** Records that the caller opened the ticket ("new since your last visit" starts from now). */
  markRead(key: string): Observable<void> {
    return this.http.post<void>(`${this.url(key)}/read`, null);
  }

  timeline(key: string): Observable<TicketTimeline> {
    return this.http.get<TicketTimeline>(`${this.url(key)}/timeline`);
  }

  create(request: CreateTicketRequest): Observable<Ticket> {
    return this.http.post<Ticket>(ApiRoutes.tickets, request);
  }

  update(key: string, request: UpdateTicketRequest): Observable<Ticket> {
    return this.http.patch<Ticket>(this.url(key), request);
  }

  transition(key: string, request: TransitionRequest): Observable<Ticket> {
    return this.http.post<Ticket>(`${this.url(key)}/transitions`, request);
  }

  /** Markdown rendered by the server, with the rules and sanitisation of the ticket page. */
  preview(text: string): Observable<MarkdownPreview> {
    return this.http.post<MarkdownPreview>(`${ApiRoutes.tickets}/preview`, { text });
  }

  comment(key: string, request: CreateCommentRequest): Observable<Comment> {
    return this.http.post<Comment>(`${this.url(key)}/comments`, request);
  }

  editComment(key: string, commentId: string, body: string): Observable<Comment> {
    return this.http.patch<Comment>(`${this.url(key)}/comments/${encodeURIComponent(commentId)}`, { body });
  }

  /** People and support groups the ticket may be assigned to, matching `q`. */
  assignees(key: string, q: string): Observable<TicketAssignees> {
    return this.http.get<TicketAssignees>(`${this.url(key)}/assignees`, { params: queryParams({ q: q || undefined }) });
  }

  /** People who may be added as watchers of the ticket, matching `q`. */
  watcherCandidates(key: string, q: string): Observable<PersonRef[]> {
    return this.http.get<PersonRef[]>(`${this.url(key)}/watcher-candidates`, { params: queryParams({ q: q || undefined }) });
  }

  addWatcher(key: string, accountId: string): Observable<Ticket> {
    return this.http.put<Ticket>(`${this.url(key)}/watchers/${encodeURIComponent(accountId)}`, null);
  }

  removeWatcher(key: string, accountId: string): Observable<void> {
    return this.http.delete<void>(`${this.url(key)}/watchers/${encodeURIComponent(accountId)}`);
  }

  addLink(key: string, request: CreateLinkRequest): Observable<TicketLink[]> {
    return this.http.post<TicketLink[]>(`${this.url(key)}/links`, request);
  }

  removeLink(key: string, linkId: string): Observable<void> {
    return this.http.delete<void>(`${this.url(key)}/links/${encodeURIComponent(linkId)}`);
  }

  logTime(key: string, request: CreateTimeEntryRequest): Observable<TimeEntry[]> {
    return this.http.post<TimeEntry[]>(`${this.url(key)}/time-entries`, request);
  }

  /** Several files in one multipart request (field `file`), attached to a reply when `commentId` is given. */
  upload(key: string, files: readonly File[], commentId?: string): Observable<HttpEvent<AttachmentInfo[]>> {
    const body = new FormData();
    if (commentId) body.append('commentId', commentId);
    for (const file of files) body.append('file', file, file.name);
    return this.http.post<AttachmentInfo[]>(`${this.url(key)}/attachments`, body, { reportProgress: true, observe: 'events' });
  }

  /** Fetched as a blob so that the bearer token goes with it; a plain link would not carry it. */
  download(attachmentId: string): Observable<Blob> {
    return this.http.get(`${ApiRoutes.attachments}/${encodeURIComponent(attachmentId)}/content`, { responseType: 'blob' });
  }

  /** Deletes a quarantined attachment (administrators, ADR 0039). */
  deleteAttachment(attachmentId: string): Observable<void> {
    return this.http.delete<void>(`${ApiRoutes.attachments}/${encodeURIComponent(attachmentId)}`);
  }

  private url(key: string): string {
    return `${ApiRoutes.tickets}/${encodeURIComponent(key)}`;
  }
}
