import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
  ApiRoutes,
  type AcceptReviewRequest,
  type BouncingAddress,
  type ConnectionTestResult,
  type Mailbox,
  type OutboundPage,
  type OutboundQuery,
  type ReviewItem,
  type SaveMailboxRequest,
  type SaveSmtpSettingsRequest,
  type SmtpSettings,
} from '@guichet/contracts';
import type { Observable } from 'rxjs';
import { queryParams } from './query-params';

/** Email channel administration: incoming mailboxes, outgoing SMTP server, review queue, outgoing mail (right mail.manage). */
@Injectable({ providedIn: 'root' })
export class MailApi {
  private readonly http = inject(HttpClient);

  mailboxes(): Observable<Mailbox[]> {
    return this.http.get<Mailbox[]>(ApiRoutes.mailboxes);
  }

  mailbox(id: string): Observable<Mailbox> {
    return this.http.get<Mailbox>(this.mailboxUrl(id));
  }

  createMailbox(request: SaveMailboxRequest): Observable<Mailbox> {
    return this.http.post<Mailbox>(ApiRoutes.mailboxes, request);
  }

  updateMailbox(id: string, request: SaveMailboxRequest): Observable<Mailbox> {
    return this.http.put<Mailbox>(this.mailboxUrl(id), request);
  }

  deleteMailbox(id: string): Observable<void> {
    return this.http.delete<void>(this.mailboxUrl(id));
  }

  /** Connects with the stored settings and opens each folder. */
  testMailbox(id: string): Observable<ConnectionTestResult> {
    return this.http.post<ConnectionTestResult>(`${this.mailboxUrl(id)}/test`, null);
  }

  smtp(): Observable<SmtpSettings> {
    return this.http.get<SmtpSettings>(ApiRoutes.smtp);
  }

  saveSmtp(request: SaveSmtpSettingsRequest): Observable<SmtpSettings> {
    return this.http.put<SmtpSettings>(ApiRoutes.smtp, request);
  }

  /** Connects with the stored settings. */
  testSmtp(): Observable<ConnectionTestResult> {
    return this.http.post<ConnectionTestResult>(`${ApiRoutes.smtp}/test`, null);
  }

  review(): Observable<ReviewItem[]> {
    return this.http.get<ReviewItem[]>(ApiRoutes.mailReview);
  }

  /** The message as received (message/rfc822), fetched as a blob so that the bearer token goes with it. */
  raw(id: string): Observable<Blob> {
    return this.http.get(`${this.reviewUrl(id)}/raw`, { responseType: 'blob' });
  }

  accept(id: string, request: AcceptReviewRequest): Observable<{ ticketKey: string }> {
    return this.http.post<{ ticketKey: string }>(`${this.reviewUrl(id)}/accept`, request);
  }

  discard(id: string): Observable<void> {
    return this.http.post<void>(`${this.reviewUrl(id)}/discard`, null);
  }

  /** Notification emails, newest first (not sent yet unless a status is given), with counts by status. */
  outbound(query: OutboundQuery): Observable<OutboundPage> {
    return this.http.get<OutboundPage>(ApiRoutes.mailOutbound, { params: queryParams({ ...query }) });
  }

  /** Puts a failed or bounced message back in the queue. */
  retryOutbound(id: string): Observable<void> {
    return this.http.post<void>(`${ApiRoutes.mailOutbound}/${encodeURIComponent(id)}/retry`, null);
  }

  bouncingAddresses(): Observable<BouncingAddress[]> {
    return this.http.get<BouncingAddress[]>(ApiRoutes.mailAddresses);
  }

  /** Forgets the bounces of an address, so that notifications are written to it again. */
  allowAddress(address: string): Observable<void> {
    return this.http.delete<void>(`${ApiRoutes.mailAddresses}/${encodeURIComponent(address)}`);
  }

  private mailboxUrl(id: string): string {
    return `${ApiRoutes.mailboxes}/${encodeURIComponent(id)}`;
  }

  private reviewUrl(id: string): string {
    return `${ApiRoutes.mailReview}/${encodeURIComponent(id)}`;
  }
}
