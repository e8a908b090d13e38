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
  template: `
    <h2 mat-dialog-title>{{ 'review.acceptTitle' | t }}</h2>
    <mat-dialog-content>
      <p>
        <strong>{{ item.subject || ('review.noSubject' | t) }}</strong>
        — {{ item.fromAddress ?? ('review.unknownFrom' | t) }}
      </p>
      @if (accepted(); as key) {
        <p class="gch-alert gch-alert--success" role="status">
          {{ (acceptedMode() === 'reply' ? 'review.acceptedReply' : 'review.acceptedTicket') | t: { key } }}
        </p>
      } @else {
        <form id="gch-accept-review" [formGroup]="form" (ngSubmit)="accept()" novalidate>
          <p id="gch-accept-mode">{{ 'review.acceptMode' | t }}</p>
          <mat-radio-group class="gch-radio-column" formControlName="mode" aria-labelledby="gch-accept-mode">
            <mat-radio-button value="reply">{{ 'review.asReply' | t }}</mat-radio-button>
            <mat-radio-button value="ticket">{{ 'review.asTicket' | t }}</mat-radio-button>
          </mat-radio-group>
          @if (mode() === 'reply') {
            <mat-form-field class="gch-full">
              <mat-label>{{ 'review.ticketKey' | t }}</mat-label>
              <input matInput formControlName="ticketKey" required maxlength="21" autocomplete="off" spellcheck="false" class="gch-mono" />
              <mat-hint>{{ 'review.ticketKeyHint' | t }}</mat-hint>
              @if (form.controls.ticketKey.hasError('required')) {
                <mat-error>{{ 'common.required' | t }}</mat-error>
              } @else if (form.controls.ticketKey.hasError('pattern')) {
                <mat-error>{{ 'review.ticketKeyInvalid' | t }}</mat-error>
              }
            </mat-form-field>
          } @else {
            <mat-form-field class="gch-full">
              <mat-label>{{ 'review.project' | t }}</mat-label>
              <mat-select formControlName="projectKey" required>
                @for (project of projectList(); track project.key) {
                  <mat-option [value]="project.key">{{ project.key }} — {{ project.name }}</mat-option>
                }
              </mat-select>
              @if (form.controls.projectKey.hasError('required')) {
                <mat-error>{{ 'common.required' | t }}</mat-error>
              }
            </mat-form-field>
            <p class="gch-muted">{{ 'review.requesterNote' | t }}</p>
          }
        </form>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      @if (accepted(); as key) {
        <button mat-button type="button" [mat-dialog-close]="key">{{ 'common.close' | t }}</button>
        <a mat-flat-button [routerLink]="['/tickets', key]" [mat-dialog-close]="key">{{ 'review.openTicket' | t: { key } }}</a>
      } @else {
        <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | t }}</button>
        <button mat-flat-button type="submit" form="gch-accept-review" [disabled]="busy()">{{ 'review.acceptSubmit' | t }}</button>
      }
    </mat-dialog-actions>
  `,
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
