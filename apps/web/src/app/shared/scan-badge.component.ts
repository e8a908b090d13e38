import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { ScanVerdictInfo } from '@guichet/contracts';
import { I18n } from '../core/i18n/i18n.service';

/**
 * The antivirus verdict of a file, in words (colour is never the only cue), with its
 * explanation for screen readers and on hover (ADR 0039).
 */
@Component({
  selector: 'gch-scan-badge',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span [class]="'gch-badge gch-badge--scan-' + verdict().status" [attr.title]="help()"
    >{{ label() }}<span class="gch-sr-only"> — {{ help() }}</span></span
  >`,
})
export class ScanBadgeComponent {
  private readonly i18n = inject(I18n);
  readonly verdict = input.required<ScanVerdictInfo>();
  protected readonly label = computed(() => this.i18n.t(`scan.${this.verdict().status}`));
  protected readonly help = computed(() => this.i18n.t(`scan.${this.verdict().status}Help`, { signature: this.verdict().signature ?? '' }));
}
