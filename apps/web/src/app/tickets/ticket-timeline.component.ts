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
import { AttachmentDownloads } from './attachment-download';
import { ForwardedMessageComponent } from './forwarded-message.component';
import type { TimelineEntry } from './ticket-events';

/**
 * Replies, internal notes and history in time order. Internal notes stand out (tinted, labelled)
 * so that nobody mistakes them for what the requester reads; authors may edit their own messages.
 */
@Component({
  selector: 'gch-ticket-timeline',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MarkdownEditorComponent, TranslatePipe, DateTimePipe, ForwardedMessageComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="gch-panel" aria-labelledby="gch-timeline-title">
      <h2 id="gch-timeline-title">{{ 'ticket.timeline' | t }}</h2>
      @if (entries().length === 0) {
        <p class="gch-muted">{{ 'ticket.timelineEmpty' | t }}</p>
      } @else {
        <ol class="gch-timeline">
          @for (entry of entries(); track entry.type + entry.id) {
            @if (entry.type === 'comment') {
              @let comment = entry.comment;
              <li class="gch-timeline-item">
                <article
                  class="gch-comment"
                  [class.gch-comment--internal]="comment.visibility === 'internal'"
                  [attr.aria-labelledby]="'gch-comment-head-' + comment.id"
                  [attr.data-visibility]="comment.visibility"
                >
                  <header class="gch-comment-head" [id]="'gch-comment-head-' + comment.id">
                    @if (comment.visibility === 'internal') {
                      <span class="gch-internal-label">{{ 'ticket.internalNote' | t }}</span>
                    } @else {
                      <span class="gch-sr-only">{{ 'ticket.publicReply' | t }}</span>
                    }
                    <strong>{{ comment.author.displayName }}</strong>
                    <span class="gch-muted">{{ comment.createdAt | dateTime }}</span>
                    @if (comment.editedAt) {
                      <span class="gch-muted gch-edited" [title]="'ticket.editedAt' | t: { date: (comment.editedAt | dateTime) }">
                        ({{ 'ticket.edited' | t }}<span class="gch-sr-only">, {{ comment.editedAt | dateTime }}</span>)
                      </span>
                    }
                  </header>
                  @if (editing() === comment.id) {
                    <form class="gch-comment-edit" [formGroup]="editForm" (ngSubmit)="save(comment)" novalidate>
                      <gch-markdown-editor [control]="editForm.controls.body">
                        <mat-form-field class="gch-full">
                          <mat-label>{{ 'ticket.commentBody' | t }}</mat-label>
                          <textarea matInput formControlName="body" rows="5" required></textarea>
                          @if (editForm.controls.body.hasError('required')) {
                            <mat-error>{{ 'common.required' | t }}</mat-error>
                          }
                        </mat-form-field>
                      </gch-markdown-editor>
                      <div class="gch-actions">
                        <button mat-flat-button type="submit" [disabled]="busy()">{{ 'common.save' | t }}</button>
                        <button mat-button type="button" (click)="editing.set(null)">{{ 'common.cancel' | t }}</button>
                      </div>
                    </form>
                  } @else {
                    <div class="gch-markdown" [innerHTML]="comment.bodyHtml"></div>
                  }
                  @if (comment.attachments.length > 0) {
                    <ul class="gch-file-list" [attr.aria-label]="'ticket.attachments' | t">
                      @for (file of comment.attachments; track file.id) {
                        <li>
                          <button mat-button type="button" [attr.aria-label]="'files.download' | t: { name: file.filename }" (click)="download(file)">
                            {{ file.filename }}
                          </button>
                          <span class="gch-muted">{{ size(file) }}</span>
                          @if (file.forwardedMessage) {
                            <gch-forwarded-message [message]="file.forwardedMessage" [filename]="file.filename" />
                          }
                        </li>
                      }
                    </ul>
                  }
                  @if (comment.author.id === myId() && editing() !== comment.id) {
                    <div class="gch-comment-actions">
                      <button mat-button type="button" (click)="edit(comment)">{{ 'ticket.editComment' | t }}</button>
                    </div>
                  }
                </article>
              </li>
            } @else {
              <li class="gch-timeline-item gch-event">
                <span>{{ entry.text }}</span>
                <span class="gch-muted gch-nowrap">{{ entry.at | dateTime }}</span>
              </li>
            }
          }
        </ol>
      }
    </section>
  `,
})
export class TicketTimelineComponent {
  private readonly api = inject(TicketsApi);
  private readonly store = inject(AuthStore);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18n);
  private readonly downloads = inject(AttachmentDownloads);

  readonly entries = input.required<TimelineEntry[]>();
  readonly ticketKey = input.required<string>();
  readonly changed = output<void>();

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
