import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AttachmentInfo } from '@guichet/contracts';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { AuthenticatedContext } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../common/errors';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import { Database } from '../database/database';
import { FileScanning } from '../scanning/file-scanning';
import { FILE_STORE, type FileStore } from '../storage/file-store';
import { TicketPort } from '../tickets/ticket-port';
import { AttachmentsRepository } from './attachments.repository';
import { detectContentType, servedContentType, SNIFF_BYTES } from './content-type';
import { neutraliseFileName } from './file-name';
import { type IncomingFile, readMultipart } from './multipart-upload';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A file written to the store, not yet recorded. */
interface StoredUpload {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: Buffer;
}

export interface AttachmentDownload {
  filename: string;
  /** The type to send: the detected one, or octet-stream for types a browser could run. */
  contentType: string;
  size: number;
  stream: Readable;
}

/**
 * Attachments of tickets and replies (R1.4). Contents go to the file store first; the rows
 * and the history events are written in one transaction afterwards, and the stored files are
 * removed again if anything fails, so a refused upload leaves neither a row nor a file.
 */
@Injectable()
export class AttachmentsService {
  private readonly logger = new Logger('attachments');

  constructor(
    private readonly db: Database,
    private readonly attachments: AttachmentsRepository,
    private readonly tickets: TicketPort,
    private readonly scanning: FileScanning,
    private readonly audit: AuditService,
    @Inject(FILE_STORE) private readonly files: FileStore,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  async list(ctx: AuthenticatedContext, key: string): Promise<AttachmentInfo[]> {
    const { ticket, rights } = await this.tickets.visible(ctx.principal, key);
    return this.tickets.attachments(ticket.id, rights.internalNotes);
  }

  /** Stores the files of a multipart request (fields `file`, optional `commentId`) on a ticket or one of its replies. */
  async upload(ctx: AuthenticatedContext, key: string, request: IncomingMessage): Promise<AttachmentInfo[]> {
    const p = ctx.principal;
    // Refuse before reading a byte of the body when the ticket is out of reach.
    const { rights } = await this.tickets.visible(p, key);
    if (!rights.comment && !rights.act && !rights.internalNotes) throw new ForbiddenError('Adding attachments needs the right to reply to this ticket.');

    const stored: StoredUpload[] = [];
    let ticketId: string;
    try {
      const fields = await readMultipart(
        request,
        { fileField: 'file', textFields: ['commentId'], maxFiles: this.config.attachments.perRequest, maxFileBytes: this.config.attachments.maxBytes },
        async (file) => void stored.push(await this.store(file)),
      );
      if (!stored.length) throw new ValidationError('No file received: send at least one file in a "file" field.');
      const commentId = fields['commentId']?.trim().toLowerCase() || null;
      if (commentId !== null && !UUID.test(commentId)) throw new ValidationError('The commentId field does not name a reply of this ticket.');
      ticketId = await this.db.transaction(async (tx) => {
        const { ticket, rights } = await this.tickets.visible(p, key, tx, true);
        let internal = false;
        if (commentId) {
          const comment = await this.tickets.comment(ticket.id, commentId, tx);
          if (!comment || (comment.visibility === 'internal' && !rights.internalNotes))
            throw new ValidationError('The commentId field does not name a reply of this ticket.');
          internal = comment.visibility === 'internal';
          // A reply's documents are added by its author (or the support team), as the reply itself.
          if (comment.author.id !== p.accountId && !rights.act)
            throw new ForbiddenError('Only the author of a reply, or the support team, adds documents to it.');
          if (!internal && !rights.comment && !rights.act) throw new ForbiddenError('Adding attachments needs the right to reply to this ticket.');
        } else if (!rights.comment && !rights.act) {
          throw new ForbiddenError('Adding attachments needs the right to reply to this ticket.');
        }
        for (const f of stored) {
          await this.attachments.insert({ ...f, ticketId: ticket.id, commentId, storageKey: f.id, uploadedBy: p.accountId, internal }, tx);
          // Not downloadable until the antivirus has found it clean (when one is configured).
          await this.scanning.request(f.id, tx);
        }
        await this.tickets.attach(tx, ticket.id, p.accountId, { files: stored, commentId, internal });
        return ticket.id;
      });
    } catch (err) {
      await this.discard(stored.map((f) => f.id));
      throw err;
    }
    const ids = new Set(stored.map((f) => f.id));
    return (await this.tickets.attachments(ticketId, true)).filter((a) => ids.has(a.id));
  }

  /** The content of an attachment, if its ticket is visible to the user (and, for an internal one, its notes too). */
  async download(ctx: AuthenticatedContext, id: string): Promise<AttachmentDownload> {
    const found = await this.attachments.find(id);
    // One answer for "no such attachment", "ticket out of reach" and "internal": nothing leaks (R2.6).
    const hidden = new NotFoundError('attachment', id);
    if (!found) throw hidden;
    const { rights } = await this.tickets.visible(ctx.principal, found.ticketKey).catch((err: unknown) => {
      throw err instanceof NotFoundError ? hidden : err;
    });
    if (found.internal && !rights.internalNotes) throw hidden;
    // Pending: 409; infected: 410, never served; not scanned (no antivirus): served.
    await this.scanning.assertServable(found.storageKey);
    const stream = await this.files.open(found.storageKey);
    return { filename: found.filename, contentType: servedContentType(found.contentType), size: found.size, stream };
  }

  /**
   * Deletes a quarantined attachment (found infected, or refused by the antivirus) with its
   * content, audited. Only quarantined ones: other attachments are part of the ticket's record.
   */
  async deleteQuarantined(ctx: AuthenticatedContext, id: string): Promise<void> {
    const found = await this.attachments.find(id);
    const hidden = new NotFoundError('attachment', id);
    if (!found) throw hidden;
    const { rights } = await this.tickets.visible(ctx.principal, found.ticketKey).catch((err: unknown) => {
      throw err instanceof NotFoundError ? hidden : err;
    });
    if (found.internal && !rights.internalNotes) throw hidden;
    await this.db.transaction(async (tx) => {
      const verdict = await this.scanning.verdict(found.storageKey, tx);
      if (verdict.status !== 'infected' && verdict.status !== 'unscannable') {
        throw new ConflictError('CONFLICT', 'Only a quarantined attachment (found infected, or refused by the antivirus) can be deleted.');
      }
      if (!(await this.attachments.delete(id, tx))) throw hidden;
      await this.scanning.forget(found.storageKey, tx);
      await this.audit.record(
        ctx,
        {
          action: 'attachment.deleted',
          objectType: 'attachment',
          objectId: id,
          details: { ticket: found.ticketKey, filename: found.filename, size: found.size, scan: verdict.status, signature: verdict.signature },
        },
        tx,
      );
    });
    await this.discard([found.storageKey]);
  }

  /** Writes one incoming file to the store, sniffing its type from its first bytes on the way. */
  private async store(file: IncomingFile): Promise<StoredUpload> {
    const id = randomUUID();
    const filename = neutraliseFileName(file.filename);
    const head: Buffer[] = [];
    let headBytes = 0;
    async function* sniffing(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
      for await (const chunk of source) {
        if (headBytes < SNIFF_BYTES) {
          const part = chunk.subarray(0, SNIFF_BYTES - headBytes);
          head.push(part);
          headBytes += part.length;
        }
        yield chunk;
      }
    }
    const { size, sha256 } = await this.files.put(id, Readable.from(sniffing(file.stream)));
    const upload: StoredUpload = { id, filename, contentType: detectContentType(Buffer.concat(head), headBytes === size), size, sha256 };
    if (size === 0) {
      await this.discard([id]);
      throw new ValidationError(`The file "${filename}" is empty.`);
    }
    return upload;
  }

  private async discard(ids: string[]): Promise<void> {
    await Promise.all(
      ids.map((id) =>
        this.files.delete(id).catch((err: unknown) => this.logger.error({ err, storageKey: id }, 'could not remove a stored file of a refused upload')),
      ),
    );
  }
}
