import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatMenuModule } from '@angular/material/menu';
import type { CmdbExportFormat, CmdbExportTable, CmdbItemQuery } from '@guichet/contracts';
import { CmdbApi } from '../core/api/cmdb.api';
import type { TranslationKey } from '../core/i18n/dictionary';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { Notifier } from '../shared/notifier';
import { runAction } from '../shared/run-action';
import { saveResponse } from '../shared/save-blob';

interface CiExportChoice {
  id: string;
  label: TranslationKey;
  format: CmdbExportFormat;
  table?: CmdbExportTable;
  frenchExcel?: boolean;
}

/** A workbook holds items and relations; a CSV file one of them (plain, or as French Excel reads it). */
const CHOICES: readonly CiExportChoice[] = [
  { id: 'xlsx', label: 'cmdb.exportXlsx', format: 'xlsx' },
  { id: 'items-csv', label: 'cmdb.exportItemsCsv', format: 'csv', table: 'items' },
  { id: 'items-csv-fr', label: 'cmdb.exportItemsCsvFr', format: 'csv', table: 'items', frenchExcel: true },
  { id: 'relations-csv', label: 'cmdb.exportRelationsCsv', format: 'csv', table: 'relations' },
  { id: 'relations-csv-fr', label: 'cmdb.exportRelationsCsvFr', format: 'csv', table: 'relations', frenchExcel: true },
];

/** "Export" on the item list: what its filters select, in the columns the import reads back. */
@Component({
  selector: 'gch-ci-export',
  imports: [MatButtonModule, MatMenuModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button mat-stroked-button type="button" class="gch-ci-export" [matMenuTriggerFor]="formats" [disabled]="busy()">{{ 'cmdb.export' | t }}</button>
    <mat-menu #formats="matMenu" [ariaLabel]="'cmdb.exportMenu' | t">
      @for (choice of choices; track choice.id) {
        <button mat-menu-item type="button" [attr.data-format]="choice.id" (click)="start(choice)">{{ choice.label | t }}</button>
      }
    </mat-menu>
  `,
})
export class CiExportComponent {
  private readonly api = inject(CmdbApi);
  private readonly notifier = inject(Notifier);
  private readonly document = inject(DOCUMENT);

  /** The list's filters. */
  readonly query = input.required<CmdbItemQuery>();

  protected readonly choices = CHOICES;
  protected readonly busy = signal(false);

  protected start(choice: CiExportChoice): void {
    const options = { table: choice.table, bom: choice.frenchExcel, semicolon: choice.frenchExcel };
    runAction(this.busy, this.notifier, this.api.exportFile(this.query(), choice.format, options), (res) =>
      saveResponse(this.document, res, `cmdb.${choice.format}`),
    );
  }
}
