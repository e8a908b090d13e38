import { ChangeDetectionStrategy, Component, type ElementRef, computed, effect, inject, input, output, signal, untracked, viewChild } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import type { Comment, CommentVisibility, FilledCannedReply, Ticket } from '@guichet/contracts';
import { AuthStore } from '../core/auth/auth.store';
import { TicketsApi } from '../core/api/tickets.api';
import { describeError } from '../core/http/api-error';
import { I18n } from '../core/i18n/i18n.service';
import { LiveEvents } from '../core/live/live-events';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { FileDropComponent } from '../shared/file-drop.component';
import { MarkdownEditorComponent } from '../shared/markdown-editor.component';
import { Notifier } from '../shared/notifier';
import { uploadAttachments } from './attachment-upload';
import { CannedReplyPickerComponent } from './canned-reply-picker.component';

/** The reply box: a public reply, or an internal note for those allowed, with files dropped on it. */
@Component({
  selector: 'gch-ticket-reply',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatRadioModule,
    TranslatePipe,
    FileDropComponent,
    MarkdownEditorComponent,
    CannedReplyPickerComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './ticket-reply.component.scss',
  template: `
    <section class="gch-panel gch-reply" [class.gch-reply--internal]="internal()" aria-labelledby="gch-reply-title">
      <h2 id="gch-reply-title">{{ 'ticket.replyTitle' | t }}</h2>
      <form [formGroup]="form" (ngSubmit)="send()" novalidate>
        @if (choices().length > 1) {
          <mat-radio-group formControlName="visibility" class="gch-visibility" [attr.aria-label]="'ticket.visibility' | t">
            <mat-radio-button value="public">{{ 'ticket.visibilityPublic' | t }}</mat-radio-button>
            <mat-radio-button value="internal">{{ 'ticket.visibilityInternal' | t }}</mat-radio-button>
          </mat-radio-group>
        }
        @if (internal()) {
          <p class="gch-internal-hint">
            <span class="gch-internal-label">{{ 'ticket.internalNote' | t }}</span> {{ 'ticket.visibilityInternalHint' | t }}
          </p>
        }
        @if (offersCannedReplies) {
          <gch-canned-reply-picker [ticketKey]="ticket().key" (picked)="insert($event)" />
        }
        <gch-markdown-editor [control]="form.controls.body">
          <mat-form-field class="gch-full">
            <mat-label>{{ 'ticket.replyBody' | t }}</mat-label>
            <textarea #bodyField matInput formControlName="body" rows="5" required></textarea>
            <mat-hint>{{ 'ticket.replyHint' | t }}</mat-hint>
            @if (form.controls.body.hasError('required')) {
              <mat-error>{{ 'common.required' | t }}</mat-error>
            }
          </mat-form-field>
        </gch-markdown-editor>
        <gch-file-drop [(files)]="files" [disabled]="busy()" [percent]="percent()" label="ticket.attachments" />
        <div class="gch-actions">
          <button mat-flat-button type="submit" [disabled]="busy()">{{ (internal() ? 'ticket.sendNote' : 'ticket.sendReply') | t }}</button>
        </div>
      </form>
    </section>
  `,
})
export class TicketReplyComponent {
  private readonly api = inject(TicketsApi);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18n);
  /** Canned replies are the support team's: others are offered none, so they are not asked for. */
  protected readonly offersCannedReplies = inject(AuthStore).hasAnyRight(['ticket.seeOthers', 'platform.allSpaces']);

  readonly ticket = input.required<Ticket>();
  readonly sent = output<void>();

  protected readonly form = inject(FormBuilder).nonNullable.group({
    visibility: ['public' as CommentVisibility],
    body: ['', [Validators.required, Validators.maxLength(100000)]],
  });
  protected readonly choices = computed<CommentVisibility[]>(() => {
    const can = this.ticket().can;
    return [...(can.comment ? (['public'] as const) : []), ...(can.internalNotes ? (['internal'] as const) : [])];
  });
  private readonly visibility = toSignal(this.form.controls.visibility.valueChanges, { initialValue: this.form.controls.visibility.value });
  protected readonly internal = computed(() => this.visibility() === 'internal');
  protected readonly files = signal<File[]>([]);
  protected readonly busy = signal(false);
  protected readonly percent = signal<number | null>(null);
  private readonly formDirective = viewChild.required(FormGroupDirective);
  private readonly bodyField = viewChild<ElementRef<HTMLTextAreaElement>>('bodyField');
  private readonly editor = viewChild(MarkdownEditorComponent);

  constructor() {
    // Typing tells the ticket's other viewers that someone is writing (LiveEvents throttles it).
    const live = inject(LiveEvents);
    this.form.controls.body.valueChanges.pipe(takeUntilDestroyed()).subscribe((body) => {
      if (body.trim() && !this.busy()) live.composing(this.ticket().key, this.internal());
    });
    effect(() => {
      const choices = this.choices();
      untracked(() => {
        if (!choices.includes(this.form.controls.visibility.value) && choices[0]) this.form.controls.visibility.setValue(choices[0]);
      });
    });
  }

  /** The reply and note shortcuts: the kind chosen when allowed, the cursor in the text. */
  startWriting(visibility: CommentVisibility): void {
    if (!this.choices().includes(visibility)) return;
    this.form.controls.visibility.setValue(visibility);
    this.editor()?.write();
    const field = this.bodyField()?.nativeElement;
    field?.scrollIntoView({ block: 'center' });
    // After the write tab is shown again, if the preview was.
    setTimeout(() => field?.focus());
  }

  /** Adds a canned reply after what is written already, and goes back to the text. */
  protected insert(reply: FilledCannedReply): void {
    const body = this.form.controls.body.value;
    this.form.controls.body.setValue(body.trim() ? `${body.trimEnd()}\n\n${reply.body}` : reply.body);
    this.form.controls.body.markAsDirty();
    this.notifier.success(this.i18n.t('canned.inserted', { name: reply.name }));
    this.bodyField()?.nativeElement.focus();
  }

  protected send(): void {
    const { body, visibility } = this.form.getRawValue();
    if (this.form.invalid || !body.trim()) {
      this.form.controls.body.markAsTouched();
      return;
    }
    const key = this.ticket().key;
    this.busy.set(true);
    this.api.comment(key, { body, visibility }).subscribe({
      next: (comment) => this.attach(key, comment),
      error: (error: unknown) => {
        this.busy.set(false);
        this.notifier.error(error);
      },
    });
  }

  private attach(key: string, comment: Comment): void {
    const files = this.files();
    if (files.length === 0) return this.done(comment);
    uploadAttachments(this.api, key, files, this.percent, comment.id).subscribe({
      next: () => this.done(comment),
      error: (error: unknown) => {
        this.notifier.failure(describeError(error, this.i18n));
        this.done(comment, false);
      },
    });
  }

  private done(comment: Comment, announce = true): void {
    this.busy.set(false);
    // Back to the default (a public reply when allowed): a note is a deliberate choice each time.
    this.formDirective().resetForm({ visibility: this.choices()[0] ?? 'public', body: '' });
    this.files.set([]);
    if (announce) this.notifier.success(this.i18n.t(comment.visibility === 'internal' ? 'ticket.noteSent' : 'ticket.replySent'));
    this.sent.emit();
  }
}
