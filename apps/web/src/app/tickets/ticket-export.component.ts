import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { ExportJob, TicketQuery } from '@guichet/contracts';
import { ExportsApi } from '../core/api/exports.api';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { Notifier } from '../shared/notifier';
import { EXPORT_CHOICES, type ExportChoice } from '../shared/export-choices';
import { saveBlob, saveResponse } from '../shared/save-blob';

/** How often a running export's progress is read. */
const POLL_MS = 1000;

/**
 * "Export" on the ticket list: the list with its filters and sort, as a spreadsheet. Small lists
 * download at once; large ones run in the background with a progress bar, then a notice and a
 * download button (ADR 0043).
 */
@Component({
  selector: 'gch-ticket-export',
  imports: [MatButtonModule, MatMenuModule, MatProgressBarModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button mat-stroked-button type="button" class="gch-export-button" [matMenuTriggerFor]="formats" [disabled]="busy()">
      {{ 'exports.button' | t }}
    </button>
    <mat-menu #formats="matMenu" [ariaLabel]="'exports.menu' | t">
      @for (choice of choices; track choice.id) {
        <button mat-menu-item type="button" [attr.data-format]="choice.id" (click)="start(choice)">{{ choice.label | t }}</button>
      }
    </mat-menu>
    @if (job(); as j) {
      <div class="gch-export-status" role="status" aria-live="polite">
        @if (j.status === 'ready') {
          <span>{{ 'exports.ready' | t: { filename: j.filename } }}</span>
          <button mat-flat-button type="button" class="gch-export-download" (click)="download(j)">{{ 'exports.download' | t }}</button>
        } @else if (j.status === 'failed') {
          <span>{{ 'exports.failed' | t }}</span>
        } @else {
          <span>{{ 'exports.progress' | t: { done: j.rowsDone, total: j.rowsTotal } }}</span>
          <mat-progress-bar mode="determinate" [value]="percent()" [attr.aria-label]="'exports.progressLabel' | t" />
        }
      </div>
    }
  `,
  styles: `
    :host {
      display: inline-flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
    }
    .gch-export-status {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      min-width: min(320px, 100%);
    }
    mat-progress-bar {
      width: 200px;
      max-width: 100%;
    }
  `,
})
export class TicketExportComponent {
  private readonly api = inject(ExportsApi);
  private readonly notifier = inject(Notifier);
  private readonly document = inject(DOCUMENT);
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** The list's filters and sort, as its address gives them. */
  readonly filters = input.required<Omit<TicketQuery, 'cursor' | 'limit'>>();

  protected readonly choices = EXPORT_CHOICES;
  protected readonly busy = signal(false);
  protected readonly job = signal<ExportJob | null>(null);
  protected readonly percent = computed(() => {
    const j = this.job();
    return j && j.rowsTotal ? Math.round((100 * j.rowsDone) / j.rowsTotal) : 0;
  });

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  protected start(choice: ExportChoice): void {
    clearTimeout(this.timer);
    this.busy.set(true);
    this.job.set(null);
    const request = {
      what: 'tickets' as const,
      format: choice.format,
      filters: this.filters(),
      ...(choice.format === 'csv' ? { bom: !!choice.bom, semicolon: !!choice.semicolon } : {}),
    };
    this.api.start(request).subscribe({
      next: (res) => {
        if (res.status === 202 && res.body) {
          void res.body.text().then((text) => this.follow(JSON.parse(text) as ExportJob));
          return;
        }
        this.busy.set(false);
        saveResponse(this.document, res, `tickets.${choice.format}`);
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.notifier.error(error);
      },
    });
  }

  protected download(j: ExportJob): void {
    if (!j.downloadUrl) return;
    this.api.download(j.downloadUrl).subscribe({
      next: (blob) => saveBlob(this.document, blob, j.filename),
      error: (error: unknown) => this.notifier.error(error),
    });
  }

  private follow(j: ExportJob): void {
    this.job.set(j);
    if (j.status === 'ready' || j.status === 'failed') {
      this.busy.set(false);
      return;
    }
    this.timer = setTimeout(
      () =>
        this.api.get(j.id).subscribe({
          next: (next) => this.follow(next),
          error: (error: unknown) => {
            this.busy.set(false);
            this.notifier.error(error);
          },
        }),
      POLL_MS,
    );
  }
}
