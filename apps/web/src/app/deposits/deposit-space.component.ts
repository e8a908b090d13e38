import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import { DEPOSIT_CATEGORIES, ENVIRONMENTS } from '@guichet/contracts';
import { DepositsApi } from '../core/api/deposits.api';
import { ProjectsApi } from '../core/api/projects.api';
import { describeError } from '../core/http/api-error';
import { environmentKey } from '../core/i18n/dictionary';
import { I18n } from '../core/i18n/i18n.service';
import { PageTitle } from '../core/i18n/page-title';
import { DateTimePipe, TranslatePipe } from '../core/i18n/t.pipe';
import { FileDropComponent, fileSize } from '../shared/file-drop.component';
import { Notifier } from '../shared/notifier';
import { categoryKey, scanKey } from './deposit-labels';
import { followUpload } from './deposit-upload';

/** A project's deposit space: its deposits, and a form to deposit a file. */
@Component({
  selector: 'gch-deposit-space',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    TranslatePipe,
    DateTimePipe,
    FileDropComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './deposits.scss',
  templateUrl: './deposit-space.component.html',
})
export class DepositSpaceComponent {
  private readonly api = inject(DepositsApi);
  private readonly projectsApi = inject(ProjectsApi);
  private readonly notifier = inject(Notifier);
  private readonly router = inject(Router);
  protected readonly i18n = inject(I18n);

  /** Route parameter. */
  readonly key = input.required<string>();

  protected readonly project = rxResource({ params: () => this.key(), stream: ({ params }) => this.projectsApi.get(params) });
  protected readonly deposits = rxResource({ params: () => this.key(), stream: ({ params }) => this.api.list(params) });
  protected readonly categories = DEPOSIT_CATEGORIES.map((c) => ({ value: c, label: categoryKey(c) }));
  protected readonly environments = ENVIRONMENTS.map((e) => ({ value: e, label: environmentKey(e) }));
  protected readonly categoryKey = categoryKey;
  protected readonly scanKey = scanKey;
  protected readonly environmentKey = environmentKey;

  protected readonly files = signal<File[]>([]);
  protected readonly fileError = signal<string | null>(null);
  protected readonly percent = signal<number | null>(null);
  protected readonly busy = signal(false);
  protected readonly notFound = computed(() => {
    const error = this.project.error() ?? this.deposits.error();
    return !!error && (error as { status?: number }).status === 404;
  });

  protected readonly form = inject(FormBuilder).nonNullable.group({
    title: ['', [Validators.required, Validators.maxLength(200)]],
    description: ['', Validators.maxLength(5000)],
    category: ['', Validators.required],
    environment: ['', Validators.required],
    ticket: ['', Validators.pattern(/^\s*[A-Za-z][A-Za-z0-9]{1,9}-[1-9][0-9]{0,9}\s*$/)],
    note: ['', Validators.maxLength(2000)],
  });

  constructor() {
    inject(PageTitle).describe(() => (this.project.hasValue() ? this.i18n.t('deposits.spaceTitle', { key: this.project.value().key }) : null));
  }

  protected size(bytes: number): string {
    return fileSize(bytes, this.i18n);
  }

  protected submit(): void {
    const files = this.files();
    this.fileError.set(files.length === 1 ? null : this.i18n.t(files.length === 0 ? 'deposits.fileRequired' : 'deposits.oneFile'));
    if (this.form.invalid || files.length !== 1) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    followUpload(this.api.create(this.key(), this.form.getRawValue(), files[0]!), this.percent).subscribe({
      next: (deposit) => {
        this.busy.set(false);
        this.notifier.success(this.i18n.t('deposits.uploaded', { title: deposit.title }));
        void this.router.navigate(['/deposits', this.key(), deposit.id]);
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.notifier.error(error);
      },
    });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
