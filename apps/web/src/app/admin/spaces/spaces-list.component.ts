import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';
import { allPages } from '../../core/api/all-pages';
import { SpacesApi } from '../../core/api/spaces.api';
import { describeError } from '../../core/http/api-error';
import { I18n } from '../../core/i18n/i18n.service';
import { DateTimePipe, TranslatePipe } from '../../core/i18n/t.pipe';
import { Notifier } from '../../shared/notifier';
import { ListFrameComponent, ListRowsDirective } from '../../shared/list-frame.component';

@Component({
  selector: 'gch-spaces-list',
  imports: [
    ListFrameComponent,
    ListRowsDirective,
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatTableModule,
    TranslatePipe,
    DateTimePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './spaces-list.component.html',
})
export class SpacesListComponent {
  private readonly api = inject(SpacesApi);
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18n);

  protected readonly columns = ['name', 'description', 'projects', 'createdAt'];
  protected readonly spaces = rxResource({ stream: () => allPages((cursor) => this.api.list({ cursor })) });
  protected readonly form = inject(FormBuilder).nonNullable.group({
    name: ['', [Validators.required, Validators.maxLength(200)]],
    description: [''],
  });
  protected readonly busy = signal(false);

  protected create(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { name, description } = this.form.getRawValue();
    this.busy.set(true);
    this.api.create({ name: name.trim(), description: description.trim() || undefined }).subscribe({
      next: (space) => {
        this.busy.set(false);
        this.notifier.success(this.i18n.t('spaces.created', { name: space.name }));
        void this.router.navigate(['/admin/spaces', space.id]);
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
