import { ChangeDetectionStrategy, Component, effect, inject, input, output } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { TranslationKey } from '../core/i18n/dictionary';
import { TranslatePipe } from '../core/i18n/t.pipe';

export interface Details {
  name: string;
  description: string;
}

/** The name and description of a space or a project, saved trimmed, with the button that deletes it. */
@Component({
  selector: 'gch-details-card',
  imports: [ReactiveFormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: ':host { display: contents; }',
  template: `
    <mat-card appearance="outlined">
      <mat-card-header>
        <mat-card-title
          ><h2>{{ heading() | t }}</h2></mat-card-title
        >
      </mat-card-header>
      <mat-card-content>
        <form [formGroup]="form" (ngSubmit)="save()" novalidate>
          <div class="gch-row">
            <mat-form-field class="gch-grow">
              <mat-label>{{ nameLabel() | t }}</mat-label>
              <input matInput formControlName="name" required maxlength="200" />
              @if (form.controls.name.hasError('required')) {
                <mat-error>{{ 'common.required' | t }}</mat-error>
              }
            </mat-form-field>
            <mat-form-field class="gch-grow">
              <mat-label>{{ 'common.description' | t }}</mat-label>
              <input matInput formControlName="description" maxlength="2000" />
            </mat-form-field>
          </div>
          <div class="gch-actions">
            <button mat-flat-button type="submit" [disabled]="busy()">{{ 'common.save' | t }}</button>
            <button mat-button type="button" class="gch-danger-text" [disabled]="busy()" (click)="deleted.emit()">
              {{ deleteLabel() | t }}
            </button>
          </div>
        </form>
      </mat-card-content>
    </mat-card>
  `,
})
export class DetailsCardComponent {
  readonly heading = input.required<TranslationKey>();
  readonly nameLabel = input.required<TranslationKey>();
  readonly deleteLabel = input.required<TranslationKey>();
  /** The stored details: the form shows them again whenever they change. */
  readonly details = input.required<Details>();
  readonly busy = input(false);
  readonly saved = output<Details>();
  readonly deleted = output<void>();

  protected readonly form = inject(FormBuilder).nonNullable.group({
    name: ['', [Validators.required, Validators.maxLength(200)]],
    description: [''],
  });

  constructor() {
    effect(() => {
      const { name, description } = this.details();
      this.form.reset({ name, description });
    });
  }

  protected save(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { name, description } = this.form.getRawValue();
    this.saved.emit({ name: name.trim(), description: description.trim() });
  }
}
