import { Injectable, inject } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { describeError } from '../core/http/api-error';
import { I18n } from '../core/i18n/i18n.service';

/** Short confirmations and failures, read out by screen readers through the snack bar's live region. */
@Injectable({ providedIn: 'root' })
export class Notifier {
  private readonly snackBar = inject(MatSnackBar);
  private readonly i18n = inject(I18n);

  success(message: string): void {
    this.snackBar.open(message, this.i18n.t('common.close'), { duration: 5000, politeness: 'polite' });
  }

  error(error: unknown): void {
    this.failure(describeError(error, this.i18n));
  }

  /** A failure already worded for the user. */
  failure(message: string): void {
    this.snackBar.open(message, this.i18n.t('common.close'), {
      duration: 10000,
      politeness: 'assertive',
      panelClass: 'gch-snack-error',
    });
  }
}
