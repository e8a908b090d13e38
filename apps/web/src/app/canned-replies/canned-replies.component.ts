import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormBuilder, type FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { CANNED_REPLY_PLACEHOLDERS, type CannedReply } from '@guichet/contracts';
import { allPages } from '../core/api/all-pages';
import { CannedRepliesApi } from '../core/api/canned-replies.api';
import { SpacesApi } from '../core/api/spaces.api';
import { AuthStore } from '../core/auth/auth.store';
import { describeError } from '../core/http/api-error';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { Confirmation } from '../shared/confirm-dialog.component';
import { Notifier } from '../shared/notifier';
import { runAction } from '../shared/run-action';

/** The canned replies the user may use, and a form to write or change those he keeps. */
@Component({
  selector: 'gch-canned-replies',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatProgressBarModule, MatSelectModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './canned-replies.component.html',
  styleUrl: './canned-replies.component.scss',
})
export class CannedRepliesComponent {
  private readonly api = inject(CannedRepliesApi);
  private readonly spacesApi = inject(SpacesApi);
  private readonly notifier = inject(Notifier);
  private readonly confirmation = inject(Confirmation);
  protected readonly i18n = inject(I18n);
  private readonly store = inject(AuthStore);

  protected readonly replies = rxResource({ stream: () => this.api.list() });
  protected readonly spaces = rxResource({ stream: () => allPages((cursor) => this.spacesApi.list({ cursor })) });
  /** Only administrators keep the replies of every space (the server decides; this hides a choice he would refuse). */
  protected readonly keepsGlobal = this.store.hasAnyRight(['platform.allSpaces']) && this.store.hasAnyRight(['spaces.manage']);
  protected readonly placeholders = CANNED_REPLY_PLACEHOLDERS;
  protected readonly editing = signal<CannedReply | null>(null);
  protected readonly busy = signal(false);

  protected readonly form = inject(FormBuilder).nonNullable.group({
    name: ['', [Validators.required, Validators.maxLength(120)]],
    spaceId: [''],
    body: ['', [Validators.required, Validators.maxLength(20000)]],
  });
  protected readonly spaceChoices = computed(() => (this.spaces.hasValue() ? this.spaces.value() : []));

  /** `{{demandeur}}` in French, `{{requester.name}}` in English: both work in either. */
  protected marker(p: (typeof CANNED_REPLY_PLACEHOLDERS)[number]): string {
    return `{{${this.i18n.locale() === 'fr' ? p.fr : p.key}}}`;
  }

  protected edit(reply: CannedReply, formDirective: FormGroupDirective): void {
    this.editing.set(reply);
    formDirective.resetForm({ name: reply.name, spaceId: reply.space?.id ?? '', body: reply.body });
    document.getElementById('gch-canned-form-title')?.scrollIntoView({ block: 'start' });
    document.getElementById('gch-canned-name')?.focus();
  }

  protected cancel(formDirective: FormGroupDirective): void {
    this.editing.set(null);
    formDirective.resetForm({ name: '', spaceId: '', body: '' });
  }

  protected save(formDirective: FormGroupDirective): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { name, spaceId, body } = this.form.getRawValue();
    const editing = this.editing();
    const call = editing ? this.api.update(editing.id, { name, body }) : this.api.create({ name, body, ...(spaceId ? { spaceId } : {}) });
    runAction(this.busy, this.notifier, call, () => {
      this.notifier.success(this.i18n.t('canned.saved'));
      this.cancel(formDirective);
      this.replies.reload();
    });
  }

  protected remove(reply: CannedReply): void {
    this.confirmation
      .ask({
        title: this.i18n.t('canned.deleteTitle', { name: reply.name }),
        message: this.i18n.t('canned.deleteMessage'),
        confirm: this.i18n.t('canned.delete'),
      })
      .subscribe((yes) => {
        if (!yes) return;
        runAction(this.busy, this.notifier, this.api.delete(reply.id), () => {
          this.notifier.success(this.i18n.t('canned.deleted'));
          this.replies.reload();
        });
      });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
