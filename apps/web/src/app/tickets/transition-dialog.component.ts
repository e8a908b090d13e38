import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { type AbstractControl, FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslatePipe } from '../core/i18n/t.pipe';

export interface TransitionDialogData {
  title: string;
  confirm: string;
  /** The move resolves the ticket: the comment is its required resolution text. */
  resolution: boolean;
}

/**
 * Confirms a status change and takes a public comment, optional except when the move resolves
 * the ticket (then it is the solution); closes with the comment, or undefined.
 */
@Component({
  selector: 'gch-transition-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form [formGroup]="form" (ngSubmit)="confirm()" novalidate>
      <h2 mat-dialog-title>{{ data.title }}</h2>
      <mat-dialog-content>
        <mat-form-field class="gch-full">
          <mat-label>{{ (data.resolution ? 'ticket.resolutionText' : 'ticket.transitionComment') | t }}</mat-label>
          <textarea matInput formControlName="comment" rows="4" cdkFocusInitial [required]="data.resolution"></textarea>
          <mat-hint>{{ (data.resolution ? 'ticket.resolutionTextHint' : 'ticket.transitionCommentHint') | t }}</mat-hint>
          @if (form.controls.comment.hasError('required')) {
            <mat-error>{{ 'common.required' | t }}</mat-error>
          }
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | t }}</button>
        <button mat-flat-button type="submit">{{ data.confirm }}</button>
      </mat-dialog-actions>
    </form>
  `,
})
export class TransitionDialogComponent {
  protected readonly data = inject<TransitionDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<TransitionDialogComponent, { comment: string }>>(MatDialogRef);
  protected readonly form = new FormGroup({
    comment: new FormControl('', {
      nonNullable: true,
      // Spaces alone say nothing to the requester: the API refuses them as no text.
      validators: this.data.resolution
        ? [Validators.maxLength(100000), (c: AbstractControl<string>) => (c.value.trim() ? null : { required: true })]
        : Validators.maxLength(100000),
    }),
  });

  protected confirm(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.ref.close({ comment: this.form.controls.comment.value.trim() });
  }
}
