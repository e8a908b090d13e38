import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatMenuModule } from '@angular/material/menu';
import type { StatsQuery } from '@guichet/contracts';
import { ExportsApi } from '../core/api/exports.api';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { EXPORT_CHOICES, type ExportChoice } from '../shared/export-choices';
import { Notifier } from '../shared/notifier';
import { runAction } from '../shared/run-action';
import { saveResponse } from '../shared/save-blob';

/** "Export" on the dashboard: every table of its figures, for its range and filters, one sheet each. */
@Component({
  selector: 'gch-stats-export',
  imports: [MatButtonModule, MatMenuModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button mat-stroked-button type="button" [matMenuTriggerFor]="formats" [disabled]="busy()">{{ 'stats.export' | t }}</button>
    <mat-menu #formats="matMenu" [ariaLabel]="'exports.menu' | t">
      @for (choice of choices; track choice.id) {
        <button mat-menu-item type="button" [attr.data-format]="choice.id" (click)="start(choice)">{{ choice.label | t }}</button>
      }
    </mat-menu>
  `,
})
export class StatsExportComponent {
  private readonly api = inject(ExportsApi);
  private readonly notifier = inject(Notifier);
  private readonly document = inject(DOCUMENT);

  /** The dashboard's range and filters, as its address gives them. */
  readonly query = input.required<StatsQuery>();

  protected readonly choices = EXPORT_CHOICES;
  protected readonly busy = signal(false);

  protected start(choice: ExportChoice): void {
    const csv = choice.format === 'csv' ? { bom: !!choice.bom, semicolon: !!choice.semicolon } : {};
    runAction(this.busy, this.notifier, this.api.statistics(this.query(), choice.format, csv), (res) =>
      saveResponse(this.document, res, `statistiques.${choice.format}`),
    );
  }
}
