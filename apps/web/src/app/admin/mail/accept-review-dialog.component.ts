import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource, toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { TICKET_KEY_PATTERN, type AcceptReviewRequest, type ReviewItem } from '@guichet/contracts';
import { allPages } from '../../core/api/all-pages';
import { MailApi } from '../../core/api/mail.api';
import { ProjectsApi } from '../../core/api/projects.api';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { Notifier } from '../../shared/notifier';
import { runAction } from '../../shared/run-action';

type AcceptMode = 'reply' | 'ticket';

/**
 * Files a message of the review queue: as a reply to an existing request, or as a new request in
 * a project. Shows the resulting request with a link; closes with its key once accepted.
 */
@Component({
  selector: 'gch-accept-review-dialog',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatRadioModule,
    MatSelectModule,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './accept-review-dialog.component.html',
  styleUrl: './accept-review-dialog.component.scss',
})
export class AcceptReviewDialogComponent {
  private readonly api = inject(MailApi);
  private readonly projectsApi = inject(ProjectsApi);
  private readonly notifier = inject(Notifier);
  private readonly fb = inject(FormBuilder).nonNullable;
  protected readonly item = inject<ReviewItem>(MAT_DIALOG_DATA);

  protected readonly form = this.fb.group({
    mode: ['reply' as AcceptMode],
    ticketKey: ['', [Validators.required, Validators.pattern(TICKET_KEY_PATTERN)]],
    projectKey: ['', Validators.required],
  });
  protected readonly mode = toSignal(this.form.controls.mode.valueChanges, { initialValue: this.form.controls.mode.value });
  protected readonly projects = rxResource({ stream: () => allPages((cursor) => this.projectsApi.list({ cursor })) });
  protected readonly projectList = computed(() => (this.projects.hasValue() ? this.projects.value() : []));
  protected readonly busy = signal(false);
  protected readonly accepted = signal<string | null>(null);
  protected readonly acceptedMode = signal<AcceptMode>('reply');

  protected accept(): void {
    const mode = this.form.controls.mode.value;
    const ticketKey = this.form.controls.ticketKey;
    ticketKey.setValue(ticketKey.value.trim().toUpperCase());
    const control = mode === 'reply' ? ticketKey : this.form.controls.projectKey;
    if (control.invalid) {
      control.markAsTouched();
      return;
    }
    const request: AcceptReviewRequest = mode === 'reply' ? { ticketKey: ticketKey.value } : { projectKey: this.form.controls.projectKey.value };
    runAction(this.busy, this.notifier, this.api.accept(this.item.id, request), (result) => {
      this.acceptedMode.set(mode);
      this.accepted.set(result.ticketKey);
    });
  }
}
