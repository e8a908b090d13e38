import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import type { CmdbImportReport, Project } from '@guichet/contracts';
import { CmdbApi } from '../core/api/cmdb.api';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { FileDropComponent } from '../shared/file-drop.component';
import { Notifier } from '../shared/notifier';

/**
 * "Import" on the item list: a project, one or two files, a check that lists every error by
 * file, line and column (nothing written), then the import itself, all or nothing (ADR 0047).
 */
@Component({
  selector: 'gch-ci-import',
  imports: [MatButtonModule, MatFormFieldModule, MatSelectModule, TranslatePipe, FileDropComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './cmdb.scss',
  template: `
    <section class="gch-filters gch-ci-import" aria-labelledby="gch-ci-import-title">
      <h2 id="gch-ci-import-title">{{ 'cmdb.importTitle' | t }}</h2>
      <p class="gch-muted">{{ 'cmdb.importHelp' | t }}</p>
      <form (submit)="$event.preventDefault(); check()" novalidate>
        <mat-form-field class="gch-ci-filter">
          <mat-label>{{ 'cmdb.importProject' | t }}</mat-label>
          <mat-select [value]="project()" (selectionChange)="project.set($event.value); report.set(null)" required>
            @for (p of projects(); track p.id) {
              <mat-option [value]="p.key">{{ p.key }} — {{ p.name }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <gch-file-drop label="cmdb.importFiles" [files]="files()" (filesChange)="files.set($event); report.set(null)" [disabled]="busy()" />
        <p class="gch-muted">{{ 'cmdb.importFilesHint' | t }}</p>
        <div class="gch-actions">
          <button mat-flat-button type="submit" [disabled]="busy() || !ready()">{{ 'cmdb.importCheck' | t }}</button>
          <button mat-button type="button" (click)="closed.emit()">{{ 'common.close' | t }}</button>
        </div>
      </form>
      <div role="status" aria-live="polite">
        @if (report(); as r) {
          <h3>{{ 'cmdb.importChecked' | t }}</h3>
          <ul class="gch-ci-import-counts">
            <li>{{ 'cmdb.importItemsCreate' | t: { count: r.items.created } }}</li>
            <li>{{ 'cmdb.importItemsUpdate' | t: { count: r.items.updated } }}</li>
            <li>{{ 'cmdb.importItemsUnchanged' | t: { count: r.items.unchanged } }}</li>
            <li>{{ 'cmdb.importRelationsCreate' | t: { count: r.relations.created } }}</li>
            <li>{{ 'cmdb.importRelationsUnchanged' | t: { count: r.relations.unchanged } }}</li>
          </ul>
          @if (errorCount() > 0) {
            <p class="gch-alert gch-alert--error">{{ 'cmdb.importErrors' | t: { count: errorCount() } }}</p>
          } @else {
            <p>{{ 'cmdb.importNoErrors' | t }}</p>
          }
        }
      </div>
      @if (report(); as r) {
        @if (r.errors.length > 0) {
          <div class="gch-table-wrap" tabindex="0" role="region" [attr.aria-label]="'cmdb.importErrorsCaption' | t">
            <table class="gch-table gch-ci-import-errors">
              <caption class="gch-sr-only">
                {{
                  'cmdb.importErrorsCaption' | t
                }}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{{ 'cmdb.importErrorFile' | t }}</th>
                  <th scope="col" class="gch-num">{{ 'cmdb.importErrorLine' | t }}</th>
                  <th scope="col">{{ 'cmdb.importErrorColumn' | t }}</th>
                  <th scope="col">{{ 'cmdb.importErrorReason' | t }}</th>
                </tr>
              </thead>
              <tbody>
                @for (e of r.errors; track $index) {
                  <tr>
                    <td>{{ e.file }}</td>
                    <td class="gch-num">{{ e.line ?? '' }}</td>
                    <td>{{ e.column ?? '' }}</td>
                    <td>{{ e.message }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
          @if (r.moreErrors > 0) {
            <p class="gch-muted">{{ 'cmdb.importMoreErrors' | t: { count: r.moreErrors } }}</p>
          }
        } @else {
          <div class="gch-actions">
            <button mat-flat-button type="button" class="gch-ci-import-confirm" [disabled]="busy()" (click)="confirm()">
              {{ 'cmdb.importConfirm' | t: { project: r.project } }}
            </button>
          </div>
        }
      }
    </section>
  `,
})
export class CiImportComponent {
  private readonly api = inject(CmdbApi);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18n);

  readonly projects = input.required<readonly Project[]>();
  /** The project the list is filtered on, if any: chosen at first. */
  readonly initialProject = input<string>();
  readonly imported = output<void>();
  readonly closed = output<void>();

  protected readonly project = linkedSignal(() => this.initialProject() ?? (this.projects().length === 1 ? this.projects()[0]!.key : undefined));
  protected readonly files = signal<File[]>([]);
  protected readonly report = signal<CmdbImportReport | null>(null);
  protected readonly busy = signal(false);
  protected readonly ready = computed(() => !!this.project() && this.files().length > 0 && this.files().length <= 2);
  protected readonly errorCount = computed(() => (this.report()?.errors.length ?? 0) + (this.report()?.moreErrors ?? 0));

  protected check(): void {
    const project = this.project();
    if (!project || !this.ready()) return;
    this.busy.set(true);
    this.report.set(null);
    this.api.importFiles(project, this.files(), true).subscribe({
      next: (report) => {
        this.busy.set(false);
        this.report.set(report);
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.notifier.error(error);
      },
    });
  }

  protected confirm(): void {
    const project = this.project();
    if (!project) return;
    this.busy.set(true);
    this.api.importFiles(project, this.files(), false).subscribe({
      next: () => {
        this.busy.set(false);
        this.report.set(null);
        this.files.set([]);
        this.notifier.success(this.i18n.t('cmdb.importSuccess'));
        this.imported.emit();
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.notifier.error(error);
      },
    });
  }
}
