import { ChangeDetectionStrategy, Component, booleanAttribute, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import type { ConnectionTestResult } from '@guichet/contracts';
import type { Observable } from 'rxjs';
import type { TranslationKey } from '../../core/i18n/dictionary';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { Notifier } from '../../shared/notifier';
import { runAction } from '../../shared/run-action';
import { ConnectionTestResultComponent } from './connection-test-result.component';

/** A card that tests the stored connection of a mail server and shows each step's outcome. */
@Component({
  selector: 'gch-connection-test',
  imports: [MatButtonModule, MatCardModule, TranslatePipe, ConnectionTestResultComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: ':host { display: contents; }',
  template: `
    <mat-card appearance="outlined" [class.gch-form-card]="narrow()">
      <mat-card-header>
        <mat-card-title
          ><h3>{{ heading() | t }}</h3></mat-card-title
        >
      </mat-card-header>
      <mat-card-content>
        <p class="gch-muted">{{ (unsaved() ? 'mail.testUnsaved' : 'mail.testSaved') | t }}</p>
        <div class="gch-actions">
          <button mat-stroked-button type="button" [disabled]="testing() || disabled()" (click)="test()">{{ action() | t }}</button>
        </div>
        <div aria-live="polite">
          @if (testing()) {
            <p>{{ 'mail.testing' | t }}</p>
          } @else if (result(); as outcome) {
            <gch-connection-test-result [result]="outcome" />
          }
        </div>
      </mat-card-content>
    </mat-card>
  `,
})
export class ConnectionTestComponent {
  private readonly notifier = inject(Notifier);

  readonly heading = input.required<TranslationKey>();
  readonly action = input.required<TranslationKey>();
  /** Runs the test on the server, against the saved settings. */
  readonly run = input.required<() => Observable<ConnectionTestResult>>();
  /** The form holds changes that the test will not see. */
  readonly unsaved = input(false);
  readonly disabled = input(false);
  readonly narrow = input(false, { transform: booleanAttribute });

  protected readonly testing = signal(false);
  protected readonly result = signal<ConnectionTestResult | null>(null);

  /** After a save, an earlier outcome no longer speaks of the stored settings. */
  clear(): void {
    this.result.set(null);
  }

  protected test(): void {
    this.result.set(null);
    runAction(this.testing, this.notifier, this.run()(), (result) => this.result.set(result));
  }
}
