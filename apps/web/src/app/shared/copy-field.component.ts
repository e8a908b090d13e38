import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { TranslationKey } from '../core/i18n/dictionary';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { Notifier } from './notifier';

/** A secret to pass on (activation link, API token): read-only, selectable, with a copy button. */
@Component({
  selector: 'gch-copy-field',
  imports: [MatFormFieldModule, MatInputModule, MatButtonModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="gch-copy-field">
      <mat-form-field class="gch-grow">
        <mat-label>{{ label() | t }}</mat-label>
        <input matInput readonly [value]="value()" (focus)="select($event)" class="gch-mono" />
      </mat-form-field>
      <button mat-flat-button type="button" (click)="copy()">{{ buttonLabel() | t }}</button>
    </div>
  `,
})
export class CopyFieldComponent {
  private readonly clipboard = inject(Clipboard);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18n);

  readonly label = input.required<TranslationKey>();
  readonly value = input.required<string>();
  readonly buttonLabel = input<TranslationKey>('common.copy');

  protected copy(): void {
    if (this.clipboard.copy(this.value())) this.notifier.success(this.i18n.t('common.copied'));
  }

  protected select(event: FocusEvent): void {
    (event.target as HTMLInputElement).select();
  }
}
