import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import type { ConnectionTestResult } from '@guichet/contracts';
import { I18n } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { stepLabel } from './mail-labels';

/** The steps of a connection test, each with a check or a cross and the server's detail. */
@Component({
  selector: 'gch-connection-test-result',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './connection-test-result.component.scss',
  template: `
    @let outcome = result();
    <div class="gch-alert" [class.gch-alert--success]="outcome.ok" [class.gch-alert--error]="!outcome.ok">
      <p>
        <strong>{{ (outcome.ok ? 'mail.testOk' : 'mail.testFailed') | t }}</strong>
      </p>
      <ul class="gch-test-steps">
        @for (step of outcome.steps; track $index) {
          <li [class.gch-test-step--ok]="step.ok" [class.gch-test-step--failed]="!step.ok">
            <span class="gch-test-mark" aria-hidden="true">{{ step.ok ? '✓' : '✗' }}</span>
            <span class="gch-sr-only">{{ (step.ok ? 'mail.stepOk' : 'mail.stepFailed') | t }} :</span>
            <span class="gch-test-step-name">{{ label(step.step) }}</span>
            @if (step.detail) {
              <span class="gch-test-detail gch-mono">{{ step.detail }}</span>
            }
          </li>
        }
      </ul>
    </div>
  `,
})
export class ConnectionTestResultComponent {
  private readonly i18n = inject(I18n);

  readonly result = input.required<ConnectionTestResult>();

  protected label(step: string): string {
    return stepLabel(step, this.i18n);
  }
}
