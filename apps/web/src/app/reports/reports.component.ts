import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { REPORT_MAX_RECIPIENTS, type Locale, type ReportFile, type ReportRecipient, type ReportRecord, type ReportScope } from '@guichet/contracts';
import { forkJoin, map, switchMap } from 'rxjs';
import { ProjectsApi } from '../core/api/projects.api';
import { AuthStore } from '../core/auth/auth.store';
import { ReportsApi } from '../core/api/reports.api';
import { SpacesApi } from '../core/api/spaces.api';
import type { TranslationKey } from '../core/i18n/dictionary';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { Notifier } from '../shared/notifier';
import { runAction } from '../shared/run-action';
import { saveBlob } from '../shared/save-blob';

/** Someone who may be chosen as a recipient. */
type Person = Pick<ReportRecipient, 'accountId' | 'displayName' | 'email'>;

/** `YYYY-MM` of the month before this one: what one usually reports on. */
function lastMonth(now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/**
 * The monthly activity reports of a project or a space (R9.2): generate a month, download its PDF
 * and annexes, see those generated and sent, and choose who receives it on the first of each month.
 */
@Component({
  selector: 'gch-reports',
  imports: [FormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule, MatSelectModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .gch-report-files {
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
    }
    .gch-hash {
      font-family: monospace;
      word-break: break-all;
    }
    table {
      width: 100%;
      border-collapse: collapse;
    }
    th,
    td {
      text-align: left;
      padding: 4px 8px;
      border-bottom: 1px solid #ddd;
      vertical-align: top;
    }
    .gch-table-scroll {
      overflow-x: auto;
    }
  `,
  template: `
    <h1>{{ 'reports.title' | t }}</h1>
    <p class="gch-lead">{{ (scope() === 'project' ? 'reports.ofProject' : 'reports.ofSpace') | t: { name: scopeName() } }}</p>
    <p class="gch-muted">{{ 'reports.intro' | t }}</p>

    <mat-card appearance="outlined">
      <mat-card-header>
        <mat-card-title
          ><h2>{{ 'reports.generateTitle' | t }}</h2></mat-card-title
        >
      </mat-card-header>
      <mat-card-content>
        <form class="gch-row" (submit)="$event.preventDefault(); generate()" novalidate>
          <mat-form-field>
            <mat-label>{{ 'reports.month' | t }}</mat-label>
            <input matInput type="month" name="month" [(ngModel)]="month" [max]="maxMonth" required data-testid="report-month" />
          </mat-form-field>
          <mat-form-field>
            <mat-label>{{ 'reports.language' | t }}</mat-label>
            <mat-select name="locale" [(ngModel)]="locale">
              <mat-option value="fr">{{ 'reports.french' | t }}</mat-option>
              <mat-option value="en">{{ 'reports.english' | t }}</mat-option>
            </mat-select>
          </mat-form-field>
          <div class="gch-actions">
            <button mat-flat-button type="submit" [disabled]="busy() || !month" data-testid="report-generate">{{ 'reports.generate' | t }}</button>
          </div>
        </form>
        @if (busy()) {
          <p role="status">{{ 'reports.generating' | t }}</p>
        }
      </mat-card-content>
    </mat-card>

    <mat-card appearance="outlined">
      <mat-card-header>
        <mat-card-title
          ><h2>{{ 'reports.historyTitle' | t }}</h2></mat-card-title
        >
      </mat-card-header>
      <mat-card-content>
        @if (history.error()) {
          <p class="gch-alert gch-alert--error" role="alert">{{ 'reports.notFound' | t }}</p>
        } @else if (history.hasValue()) {
          @if (history.value().length === 0) {
            <p class="gch-alert gch-alert--info">{{ 'reports.none' | t }}</p>
          } @else {
            <div class="gch-table-scroll">
              <table data-testid="report-history">
                <caption class="cdk-visually-hidden">
                  {{
                    'reports.historyTitle' | t
                  }}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{{ 'reports.month' | t }}</th>
                    <th scope="col">{{ 'reports.how' | t }}</th>
                    <th scope="col">{{ 'reports.generatedAt' | t }}</th>
                    <th scope="col">{{ 'reports.sentTo' | t }}</th>
                    <th scope="col">{{ 'reports.hash' | t }}</th>
                    <th scope="col">{{ 'reports.files' | t }}</th>
                  </tr>
                </thead>
                <tbody>
                  @for (r of history.value(); track r.id) {
                    <tr>
                      <td>{{ r.month }} ({{ r.locale === 'fr' ? 'FR' : 'EN' }})</td>
                      <td>
                        {{ (r.trigger === 'scheduled' ? 'reports.scheduled' : 'reports.onDemand') | t: { name: r.requestedBy ?? '' } }}
                      </td>
                      <td>{{ r.status === 'ready' ? i18n.dateTime(r.generatedAt) : (statusKey(r) | t) }}</td>
                      <td>{{ r.sentAt ? r.sentTo.join(', ') + ' — ' + i18n.dateTime(r.sentAt) : '—' }}</td>
                      <td class="gch-hash" [title]="r.sha256 ?? ''">{{ r.sha256 ? r.sha256.slice(0, 12) + '…' : '' }}</td>
                      <td>
                        <span class="gch-report-files">
                          @for (f of fileKinds; track f) {
                            @if (r.files[f]) {
                              <button
                                mat-stroked-button
                                type="button"
                                (click)="download(r, f)"
                                [attr.aria-label]="'reports.download' | t: { file: f.toUpperCase(), month: r.month }"
                              >
                                {{ f.toUpperCase() }}
                              </button>
                            }
                          }
                        </span>
                      </td>
                    </tr>
                  }
                </tbody>
              </table>
            </div>
          }
        }
      </mat-card-content>
    </mat-card>

    <mat-card appearance="outlined">
      <mat-card-header>
        <mat-card-title
          ><h2>{{ 'reports.recipientsTitle' | t }}</h2></mat-card-title
        >
      </mat-card-header>
      <mat-card-content>
        <p class="gch-muted">{{ 'reports.recipientsIntro' | t }}</p>
        @if (recipients.hasValue()) {
          @if (recipients.value().length === 0) {
            <p class="gch-alert gch-alert--info">{{ 'reports.noRecipient' | t }}</p>
          } @else {
            <ul class="gch-plain-list" [attr.aria-label]="'reports.recipientsTitle' | t">
              @for (r of recipients.value(); track r.accountId) {
                <li class="gch-row">
                  <span class="gch-grow"
                    >{{ r.displayName }} <span class="gch-muted">— {{ r.email }}</span></span
                  >
                  @if (candidates.hasValue()) {
                    <button
                      mat-button
                      type="button"
                      class="gch-danger-text"
                      [disabled]="busy()"
                      [attr.aria-label]="'reports.removeRecipient' | t: { name: r.displayName }"
                      (click)="remove(r)"
                    >
                      {{ 'common.remove' | t }}
                    </button>
                  }
                </li>
              }
            </ul>
          }
          @if (choices().length > 0 && recipients.value().length < max) {
            <form class="gch-row" (submit)="$event.preventDefault(); add()" novalidate>
              <mat-form-field class="gch-grow">
                <mat-label>{{ 'reports.addRecipient' | t }}</mat-label>
                <mat-select [(ngModel)]="chosen" name="recipient">
                  @for (c of choices(); track c.accountId) {
                    <mat-option [value]="c.accountId">{{ c.displayName }} — {{ c.email }}</mat-option>
                  }
                </mat-select>
              </mat-form-field>
              <div class="gch-actions">
                <button mat-stroked-button type="submit" [disabled]="busy() || !chosen">{{ 'reports.addButton' | t }}</button>
              </div>
            </form>
          }
        }
      </mat-card-content>
    </mat-card>
  `,
})
export class ReportsComponent {
  private readonly api = inject(ReportsApi);
  private readonly projects = inject(ProjectsApi);
  private readonly spaces = inject(SpacesApi);
  private readonly notifier = inject(Notifier);
  private readonly document = inject(DOCUMENT);
  protected readonly i18n = inject(I18n);

  /** The project's key or the space's id, from the path. */
  readonly ref = input.required<string>();
  readonly scope = input.required<ReportScope>();

  /** Those who manage access choose the recipients; the others read them. */
  protected readonly mayChoose = inject(AuthStore).hasRight('access.manage');
  protected readonly max = REPORT_MAX_RECIPIENTS;
  protected readonly fileKinds: readonly ReportFile[] = ['pdf', 'xlsx', 'ods'];
  protected readonly maxMonth = new Date().toISOString().slice(0, 7);
  protected readonly busy = signal(false);
  protected month = lastMonth();
  protected locale: Locale = this.i18n.locale();
  protected chosen = '';

  private readonly key = computed(() => ({ scope: this.scope(), ref: this.ref() }));
  protected readonly history = rxResource({ params: this.key, stream: ({ params }) => this.api.history(params.scope, params.ref) });
  protected readonly recipients = rxResource({ params: this.key, stream: ({ params }) => this.api.recipients(params.scope, params.ref) });
  /** Whom one may add: the members, readable only by those who manage access (the others see the list without editing it). */
  protected readonly candidates = rxResource<Person[], { scope: ReportScope; ref: string } | undefined>({
    params: () => (this.mayChoose ? this.key() : undefined),
    stream: ({ params }) =>
      params.scope === 'space'
        ? this.spaces.members(params.ref)
        : // A project's readers are its members and those who serve its space.
          this.projects.get(params.ref).pipe(
            switchMap((p) => forkJoin([this.projects.members(params.ref), this.spaces.members(p.spaceId)])),
            map(([members, served]) => [...new Map([...members, ...served].map((m) => [m.accountId, m])).values()]),
          ),
  });
  protected readonly name = rxResource({
    params: this.key,
    stream: ({ params }) =>
      params.scope === 'project'
        ? this.projects.get(params.ref).pipe(map((p) => `${p.key} – ${p.name}`))
        : this.spaces.get(params.ref).pipe(map((s) => s.name)),
  });
  protected readonly scopeName = computed(() => (this.name.hasValue() ? this.name.value() : this.scope() === 'project' ? this.ref() : ''));
  protected readonly choices = computed(() => {
    if (!this.candidates.hasValue()) return [];
    const taken = new Set(this.recipients.hasValue() ? this.recipients.value().map((r) => r.accountId) : []);
    return this.candidates.value().filter((c) => !taken.has(c.accountId));
  });

  protected statusKey(r: ReportRecord): TranslationKey {
    return r.status === 'failed' ? 'reports.failed' : 'reports.inProgress';
  }

  protected generate(): void {
    if (!this.month) return;
    runAction(this.busy, this.notifier, this.api.generate(this.scope(), this.ref(), this.month, this.locale), (report) => {
      this.history.update((list) => [report, ...(list ?? [])]);
      this.notifier.success(this.i18n.t('reports.generated', { month: report.month }));
    });
  }

  protected download(r: ReportRecord, file: ReportFile): void {
    const url = r.files[file];
    if (!url) return;
    const name = `${r.locale === 'fr' ? 'rapport' : 'report'}-${this.scope() === 'project' ? this.ref() : 'space'}-${r.month}.${file}`;
    runAction(this.busy, this.notifier, this.api.download(url), (blob) => saveBlob(this.document, blob, name));
  }

  protected add(): void {
    if (!this.chosen || !this.recipients.hasValue()) return;
    this.save([...this.recipients.value().map((r) => r.accountId), this.chosen]);
  }

  protected remove(r: ReportRecipient): void {
    if (!this.recipients.hasValue()) return;
    this.save(this.recipients.value().flatMap((x) => (x.accountId === r.accountId ? [] : [x.accountId])));
  }

  private save(accountIds: string[]): void {
    runAction(this.busy, this.notifier, this.api.setRecipients(this.scope(), this.ref(), accountIds), (list) => {
      this.recipients.set(list);
      this.chosen = '';
      this.notifier.success(this.i18n.t('common.saved'));
    });
  }
}
