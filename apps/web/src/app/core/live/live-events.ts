import { HttpClient } from '@angular/common/http';
import { DestroyRef, Injectable, effect, inject, signal } from '@angular/core';
import { ApiRoutes, COMPOSING_SIGNAL_EVERY_MS, LIVE_STREAM_PATH, type LiveEvent } from '@guichet/contracts';
import { type Observable, Subject, filter } from 'rxjs';
import { AuthStore } from '../auth/auth.store';
import { SessionService } from '../auth/session.service';

/** Waits before reconnecting: 1 s doubling to 30 s, back to 1 s once a stream opened. */
const FIRST_RETRY_MS = 1_000;
const LAST_RETRY_MS = 30_000;

/**
 * The signed-in user's live events (GET /api/live, server-sent events read with fetch so that the
 * bearer token goes in a header; ADR 0031). One stream per tab, opened while signed in, reopened
 * when the server ends it or the network drops. Pages subscribe to what concerns them and re-read
 * it through the API; `reopened` tells them to re-read once after a gap, when events may be lost.
 */
@Injectable({ providedIn: 'root' })
export class LiveEvents {
  private readonly store = inject(AuthStore);
  private readonly session = inject(SessionService);
  private readonly http = inject(HttpClient);
  private readonly stream = new Subject<LiveEvent>();
  private readonly reopenedStream = new Subject<void>();
  private abort: AbortController | null = null;
  private retryMs = FIRST_RETRY_MS;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private opensBefore = 0;
  private readonly lastComposing = new Map<string, number>();

  /** True while the stream is open. */
  readonly connected = signal(false);
  readonly events: Observable<LiveEvent> = this.stream.asObservable();
  readonly reopened: Observable<void> = this.reopenedStream.asObservable();

  constructor() {
    effect(() => {
      const active = this.store.loggedIn() && !this.store.mustChangePassword();
      if (active && !this.abort) this.connect();
      if (!active) this.disconnect();
    });
    inject(DestroyRef).onDestroy(() => this.disconnect());
  }

  /** Events about one ticket (changes and "is writing"). */
  ticket(key: string): Observable<LiveEvent> {
    return this.events.pipe(filter((e) => e.type !== 'notifications' && e.key === key));
  }

  /** "I am writing on this ticket": sent at most every few seconds, whatever the key presses. */
  composing(key: string, internal: boolean): void {
    const slot = `${key}:${internal}`;
    const now = Date.now();
    if (now - (this.lastComposing.get(slot) ?? 0) < COMPOSING_SIGNAL_EVERY_MS) return;
    this.lastComposing.set(slot, now);
    this.http.post(`${ApiRoutes.tickets}/${encodeURIComponent(key)}/composing`, { internal }).subscribe({ error: () => undefined });
  }

  private connect(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const token = this.store.accessToken();
    if (!token || typeof fetch !== 'function') return;
    const abort = (this.abort = new AbortController());
    void this.read(token, abort).then((again) => {
      if (this.abort !== abort) return;
      this.abort = null;
      this.connected.set(false);
      if (again === 'refresh') {
        this.session.refresh().subscribe({ next: () => this.connect(), error: () => undefined });
        return;
      }
      this.retry = setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
    });
  }

  /** Reads one stream to its end; 'refresh' when the token was refused. */
  private async read(token: string, abort: AbortController): Promise<'refresh' | 'again'> {
    try {
      const res = await fetch(LIVE_STREAM_PATH, { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' }, signal: abort.signal });
      if (res.status === 401) return 'refresh';
      if (!res.ok || !res.body) return 'again';
      this.connected.set(true);
      this.retryMs = FIRST_RETRY_MS;
      if (this.opensBefore++ > 0) this.reopenedStream.next();
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return 'again';
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.frame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      return 'again';
    }
  }

  private frame(frame: string): void {
    for (const line of frame.split('\n')) {
      if (!line.startsWith('data: ')) continue;
      try {
        this.stream.next(JSON.parse(line.slice(6)) as LiveEvent);
      } catch {
        // a malformed line is skipped
      }
    }
  }

  private disconnect(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.abort?.abort();
    this.abort = null;
    this.connected.set(false);
    this.opensBefore = 0;
  }
}
