import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { AttachmentsRepository } from '../attachments/attachments.repository';
import { mailPartContentType, SNIFF_BYTES } from '../attachments/content-type';
import { neutraliseFileName } from '../attachments/file-name';
import type { Queryable } from '../database/database';
import { FileScanning } from '../scanning/file-scanning';
import { FILE_STORE, type FileStore } from '../storage/file-store';
import { TicketPort } from '../tickets/ticket-port';
import type { ForwardedMessage } from '@guichet/contracts';
import type { InboundMessage } from './inbound-message';

/** An attachment or inline image of a received message, written to the file store. */
export interface StoredPart {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: Buffer;
  /** Sender, subject and date of a forwarded message attached whole. */
  forwardedMessage: ForwardedMessage | null;
}

/**
 * The attachments of a received message on their way to a ticket: written to the file store
 * before the transaction (files cannot take part in it), attached inside it, and removed again
 * when the transaction fails or the message does not become a ticket or reply.
 */
@Injectable()
export class MessageParts {
  private readonly logger = new Logger(MessageParts.name);

  constructor(
    private readonly attachments: AttachmentsRepository,
    private readonly tickets: TicketPort,
    private readonly scanning: FileScanning,
    @Inject(FILE_STORE) private readonly files: FileStore,
  ) {}

  /** Every non-empty attachment and inline image, with its name neutralised and its type read from the content (see mailPartContentType). */
  async store(m: InboundMessage): Promise<StoredPart[]> {
    const stored: StoredPart[] = [];
    try {
      for (const a of m.attachments) {
        if (!a.content.length) continue;
        const id = randomUUID();
        const { size, sha256 } = await this.files.put(id, Readable.from([a.content]));
        const contentType = mailPartContentType(a.contentType, a.content.subarray(0, SNIFF_BYTES), a.content.length <= SNIFF_BYTES);
        // What the message says of itself is shown only if the content did not turn out to be something else.
        const forwardedMessage = contentType === a.contentType.toLowerCase() ? (a.forwardedMessage ?? null) : null;
        stored.push({ id, filename: neutraliseFileName(a.filename), contentType, size, sha256, forwardedMessage });
      }
      return stored;
    } catch (err) {
      await this.discard(stored);
      throw err;
    }
  }

  /** Attaches the stored parts to a ticket (or to one of its replies), each with its timeline event. */
  async attach(tx: Queryable, ticketId: string, commentId: string | null, actorId: string, parts: StoredPart[]): Promise<void> {
    for (const part of parts) {
      await this.attachments.insert(
        {
          id: part.id,
          ticketId,
          commentId,
          filename: part.filename,
          contentType: part.contentType,
          size: part.size,
          sha256: part.sha256,
          storageKey: part.id,
          uploadedBy: actorId,
          internal: false,
          forwardedMessage: part.forwardedMessage,
        },
        tx,
      );
      // Not downloadable until the antivirus has found it clean (when one is configured).
      await this.scanning.request(part.id, tx);
    }
    await this.tickets.attach(tx, ticketId, actorId, { files: parts, commentId, internal: false });
  }

  async discard(parts: StoredPart[]): Promise<void> {
    await Promise.all(
      parts.map((p) => this.files.delete(p.id).catch((err: unknown) => this.logger.error({ err, key: p.id }, 'could not remove a stored mail part'))),
    );
  }
}
