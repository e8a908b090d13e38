import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import type { InboundMessage } from './inbound-message';
import { type ParsedRaw, parseRaw } from './parse-raw';

interface Pending {
  raw: Buffer;
  resolve: (parsed: ParsedRaw) => void;
  reject: (err: Error) => void;
}

/**
 * Parses received mail (MIME, charsets, base64, SHA-256) on a thread of its own, so that the
 * worker's main thread records one batch while the next is being parsed. Where the compiled
 * thread entry is missing (the API run from its TypeScript sources) it parses inline.
 */
@Injectable()
export class MessageParser implements OnModuleDestroy {
  private readonly logger = new Logger(MessageParser.name);
  private readonly entry = join(__dirname, 'parse-thread.js');
  /** Looked for once, not on every message. */
  private readonly threaded = existsSync(this.entry);
  private thread?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(@Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig) {}

  /** Rejects only when the parsing thread itself died: the message is then left for the next round. */
  parse(raw: Buffer): Promise<ParsedRaw> {
    if (!this.threaded) return parseRaw(raw, this.config.messageIdDomain);
    const thread = this.thread ?? this.start();
    const id = this.nextId++;
    return new Promise<ParsedRaw>((resolve, reject) => {
      this.pending.set(id, { raw, resolve, reject });
      // Copied, not transferred: the buffer may share its memory with others of the batch.
      thread.postMessage({ id, raw: new Uint8Array(raw) });
    });
  }

  async onModuleDestroy(): Promise<void> {
    const thread = this.thread;
    this.thread = undefined;
    await thread?.terminate();
  }

  private start(): Worker {
    const thread = new Worker(this.entry, { workerData: { messageIdDomain: this.config.messageIdDomain } });
    thread.unref();
    thread.on('message', (m: { id: number; rawKey: string; message?: InboundMessage; error?: string }) => {
      const job = this.pending.get(m.id);
      if (!job) return;
      this.pending.delete(m.id);
      job.resolve({ raw: job.raw, rawKey: m.rawKey, message: m.message && withBuffers(m.message), error: m.error });
    });
    const fail = (err: Error) => {
      if (this.thread === thread) this.thread = undefined;
      for (const job of this.pending.values()) job.reject(err);
      this.pending.clear();
    };
    thread.on('error', (err) => {
      this.logger.error({ err }, 'the mail parsing thread failed');
      fail(err);
    });
    thread.on('exit', (code) => fail(new Error(`the mail parsing thread stopped (exit code ${code})`)));
    this.thread = thread;
    return thread;
  }
}

/** Attachment contents cross the thread boundary as plain byte arrays. */
function withBuffers(m: InboundMessage): InboundMessage {
  return {
    ...m,
    attachments: m.attachments.map((a) => {
      const bytes = a.content as unknown as Uint8Array;
      return { ...a, content: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    }),
  };
}
