import { Injectable, Logger, type OnModuleInit, type OnApplicationShutdown } from '@nestjs/common';
import type { LiveEvent } from '@guichet/contracts';
import type { Request, Response } from 'express';
import { AccessPolicy, type TicketRef } from '../access/access-policy';
import type { Principal } from '../access/principal';
import { PrincipalRepository } from '../auth/principal.repository';
import { TicketPort } from '../tickets/ticket-port';
import { LiveChannel, type LiveSignal } from './live-channel';

/** Who is connected is re-read this often: access taken away stops events within this delay. */
const PRINCIPALS_REFRESH_MS = 15_000;
/** A stream ends after this long; the client reconnects with its current token, authenticated again. */
const STREAM_LIFETIME_MS = 10 * 60_000;
/** A comment line this often keeps proxies and idle-connection timers from closing a quiet stream. */
const HEARTBEAT_MS = 25_000;
/** Tabs of one person: beyond, the oldest stream is closed. */
const MAX_STREAMS_PER_ACCOUNT = 50;
/** A client that reads nothing is dropped rather than buffered without end. */
const MAX_BUFFERED_BYTES = 256 * 1024;

interface Stream {
  accountId: string;
  res: Response;
  ends: NodeJS.Timeout;
}

/**
 * The open event streams of this process, and who may hear what. A ticket signal costs one read
 * of the ticket (its project, space, requester and watchers) per process, then one in-memory
 * rights check per connected account, with the same AccessPolicy as every request: an event is
 * written only to those who may see the ticket, internal ones only to those who read internal notes.
 */
@Injectable()
export class LiveStreams implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(LiveStreams.name);
  private readonly byAccount = new Map<string, Set<Stream>>();
  /** The connected accounts' rights, one per account, refreshed together. */
  private readonly principals = new Map<string, Principal>();
  private timers: NodeJS.Timeout[] = [];
  private delivering: Promise<void> = Promise.resolve();

  constructor(
    private readonly channel: LiveChannel,
    private readonly tickets: TicketPort,
    private readonly policy: AccessPolicy,
    private readonly principalRepo: PrincipalRepository,
  ) {}

  onModuleInit(): void {
    // One at a time, in commit order: an event committed after a change of access is judged on the new rights.
    this.channel.receive((signal) => {
      this.delivering = this.delivering.then(() => this.deliver(signal)).catch((err: unknown) => this.logger.warn({ err }, 'live event not delivered'));
    });
    this.timers = [
      setInterval(
        () => void this.refreshPrincipals().catch((err: unknown) => this.logger.warn({ err }, 'live principals not refreshed')),
        PRINCIPALS_REFRESH_MS,
      ),
      setInterval(() => this.heartbeat(), HEARTBEAT_MS),
    ];
    for (const t of this.timers) t.unref();
  }

  onApplicationShutdown(): void {
    for (const t of this.timers) clearInterval(t);
    for (const streams of this.byAccount.values()) for (const s of streams) s.res.end();
    this.byAccount.clear();
  }

  /** Number of open streams (benchmark, health). */
  get size(): number {
    let n = 0;
    for (const streams of this.byAccount.values()) n += streams.size;
    return n;
  }

  /** Turns the response into an event stream of `principal`, until the client leaves or the stream's lifetime ends. */
  open(principal: Principal, req: Request, res: Response): void {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    // nginx: pass each event on at once instead of buffering the answer.
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write('retry: 3000\n: open\n\n');
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);

    this.principals.set(principal.accountId, principal);
    let streams = this.byAccount.get(principal.accountId);
    if (!streams) this.byAccount.set(principal.accountId, (streams = new Set()));
    if (streams.size >= MAX_STREAMS_PER_ACCOUNT) this.close([...streams][0]!);
    const stream: Stream = { accountId: principal.accountId, res, ends: setTimeout(() => this.close(stream), STREAM_LIFETIME_MS) };
    stream.ends.unref();
    streams.add(stream);
    res.on('close', () => this.forget(stream));
  }

  private async deliver(signal: LiveSignal): Promise<void> {
    if (!this.byAccount.size) return;
    if (signal.k === 'access') {
      await this.refreshPrincipals();
      return;
    }
    if (signal.k === 'bell') {
      this.send(signal.a, { type: 'notifications' });
      return;
    }
    const ticket = (await this.tickets.byIds([signal.t])).get(signal.t);
    if (!ticket) return;
    const ref: TicketRef = {
      projectId: ticket.projectId,
      spaceId: ticket.spaceId,
      requesterId: ticket.requester.id,
      watcherIds: ticket.watchers.map((w) => w.id),
    };
    const event: LiveEvent =
      signal.k === 'ticket'
        ? { type: 'ticket', key: ticket.key, changes: signal.c }
        : { type: 'composing', key: ticket.key, accountId: signal.a, displayName: signal.n, internal: signal.i };
    for (const accountId of this.byAccount.keys()) {
      if (signal.k === 'composing' && accountId === signal.a) continue;
      const principal = this.principals.get(accountId);
      const rights = principal && this.policy.ticketRights(principal, ref);
      if (!rights?.see || (signal.i && !rights.internalNotes)) continue;
      this.send(accountId, event);
    }
  }

  private send(accountId: string, event: LiveEvent): void {
    const streams = this.byAccount.get(accountId);
    if (!streams) return;
    const frame = `data: ${JSON.stringify(event)}\n\n`;
    for (const s of streams) this.write(s, frame);
  }

  private write(s: Stream, frame: string): void {
    if (s.res.writableLength > MAX_BUFFERED_BYTES) this.close(s);
    else s.res.write(frame);
  }

  private heartbeat(): void {
    for (const streams of this.byAccount.values()) for (const s of streams) this.write(s, ': keep\n\n');
  }

  /** Re-reads the rights of every connected account in one query; accounts gone or disabled lose their streams. */
  private async refreshPrincipals(): Promise<void> {
    const ids = [...this.byAccount.keys()];
    if (!ids.length) return;
    const fresh = await this.principalRepo.loadMany(ids, 'session');
    for (const id of ids) {
      const p = fresh.get(id);
      if (p && this.byAccount.has(id)) this.principals.set(id, p);
      else if (p) continue;
      else for (const s of [...(this.byAccount.get(id) ?? [])]) this.close(s);
    }
  }

  private close(s: Stream): void {
    this.forget(s);
    s.res.end();
  }

  private forget(s: Stream): void {
    clearTimeout(s.ends);
    const streams = this.byAccount.get(s.accountId);
    if (!streams?.delete(s) || streams.size) return;
    this.byAccount.delete(s.accountId);
    this.principals.delete(s.accountId);
  }
}
