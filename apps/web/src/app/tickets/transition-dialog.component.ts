import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslatePipe } from '../core/i18n/t.pipe';

export interface TransitionDialogData {
  title: string;
  confirm: string;
}

/** Confirms a status change and takes an optional public comment; closes with the comment, or undefined. */
@Component({
  selector: 'gch-transition-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form [formGroup]="form" (ngSubmit)="confirm()" novalidate>
      <h2 mat-dialog-title>{{ data.title }}</h2>
      <mat-dialog-content>
        <mat-form-field class="gch-full">
          <mat-label>{{ 'ticket.transitionComment' | t }}</mat-label>
          <textarea matInput formControlName="comment" rows="4" cdkFocusInitial></textarea>
          <mat-hint>{{ 'ticket.transitionCommentHint' | t }}</mat-hint>
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
    comment: new FormControl('', { nonNullable: true, validators: Validators.maxLength(100000) }),
  });

  protected confirm(): void {
    this.ref.close({ comment: this.form.controls.comment.value.trim() });
  }
}
