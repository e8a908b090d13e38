import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { AttachmentInfo, Comment } from '@guichet/contracts';
import { TicketsApi } from '../core/api/tickets.api';
import { AuthStore } from '../core/auth/auth.store';
import { I18n } from '../core/i18n/i18n.service';
import { DateTimePipe, TranslatePipe } from '../core/i18n/t.pipe';
import { fileSize } from '../shared/file-drop.component';
import { MarkdownEditorComponent } from '../shared/markdown-editor.component';
import { Notifier } from '../shared/notifier';
import { runAction } from '../shared/run-action';
import { ScanBadgeComponent } from '../shared/scan-badge.component';
import { AttachmentDownloads } from './attachment-download';
import { ForwardedMessageComponent } from './forwarded-message.component';
import type { TimelineEntry } from './ticket-events';

/**
 * Replies, internal notes and history in time order. Internal notes stand out (tinted, labelled)
 * so that nobody mistakes them for what the requester reads; authors may edit their own messages.
 */
@Component({
  selector: 'gch-ticket-timeline',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MarkdownEditorComponent,
    TranslatePipe,
    DateTimePipe,
    ForwardedMessageComponent,
    ScanBadgeComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './ticket-timeline.component.html',
  styleUrl: './ticket-timeline.component.scss',
})
export class TicketTimelineComponent {
  private readonly api = inject(TicketsApi);
  private readonly store = inject(AuthStore);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18n);
  private readonly downloads = inject(AttachmentDownloads);

  readonly entries = input.required<TimelineEntry[]>();
  readonly ticketKey = input.required<string>();
  /** When the reader opened this ticket before: later entries by others are marked new (undefined: no marks). */
  readonly lastReadAt = input<string | null | undefined>(undefined);
  readonly changed = output<void>();

  protected isNew(entry: TimelineEntry): boolean {
    const since = this.lastReadAt();
    if (since === undefined) return false;
    const author = entry.type === 'comment' ? entry.comment.author.id : undefined;
    return (since === null || entry.at > since) && author !== this.myId();
  }

  protected readonly myId = computed(() => this.store.me()?.id);
  protected readonly editing = signal<string | null>(null);
  protected readonly editForm = new FormGroup({
    body: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.maxLength(100000)] }),
  });
  protected readonly busy = signal(false);

  protected edit(comment: Comment): void {
    this.editForm.reset({ body: comment.body });
    this.editing.set(comment.id);
  }

  protected save(comment: Comment): void {
    const { body } = this.editForm.getRawValue();
    if (this.editForm.invalid || !body.trim()) {
      this.editForm.markAllAsTouched();
      return;
    }
    runAction(this.busy, this.notifier, this.api.editComment(this.ticketKey(), comment.id, body), () => {
      this.editing.set(null);
      this.notifier.success(this.i18n.t('ticket.commentSaved'));
      this.changed.emit();
    });
  }

  protected download(file: AttachmentInfo): void {
    this.downloads.download(file);
  }

  protected size(file: AttachmentInfo): string {
    return fileSize(file.size, this.i18n);
  }
}
