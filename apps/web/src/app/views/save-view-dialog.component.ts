import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { CreateSavedViewRequest, SavedView, ViewQuery } from '@guichet/contracts';
import { forkJoin, of } from 'rxjs';
import { allPages } from '../core/api/all-pages';
import { ProjectsApi } from '../core/api/projects.api';
import { SpacesApi } from '../core/api/spaces.api';
import { ViewsApi } from '../core/api/views.api';
import { AuthStore } from '../core/auth/auth.store';
import { describeError } from '../core/http/api-error';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';

/** Saving the list's filter as a new view, or renaming an existing one. */
export type SaveViewData = { query: ViewQuery; view?: undefined } | { view: SavedView; query?: undefined };

/** Who a new view is shown to: `personal`, `space:<id>` or `project:<key>`. */
type Audience = string;

@Component({
  selector: 'gch-save-view-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './save-view-dialog.component.html',
})
export class SaveViewDialogComponent {
  protected readonly data = inject<SaveViewData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<SaveViewDialogComponent, SavedView>>(MatDialogRef);
  private readonly api = inject(ViewsApi);
  private readonly auth = inject(AuthStore);
  private readonly i18n = inject(I18n);
  private readonly spacesApi = inject(SpacesApi);
  private readonly projectsApi = inject(ProjectsApi);

  protected readonly renaming = this.data.view !== undefined;
  protected readonly error = signal<string | null>(null);
  protected readonly saving = signal(false);
  protected readonly form = new FormGroup({
    name: new FormControl(this.data.view?.name ?? '', {
      nonNullable: true,
      validators: [Validators.required, Validators.maxLength(100), Validators.pattern(/\S/)],
    }),
    audience: new FormControl<Audience>('personal', { nonNullable: true }),
  });

  /** Where the user may share: the spaces he acts for as support, the projects he writes in. */
  private readonly places = rxResource({
    params: () => (this.renaming ? undefined : true),
    stream: ({ params }) =>
      params
        ? forkJoin({
            spaces:
              this.auth.hasRight('ticket.seeOthers') && this.auth.hasRight('ticket.actOnOthers')
                ? allPages((cursor) => this.spacesApi.list({ cursor }))
                : of([]),
            projects: allPages((cursor) => this.projectsApi.list({ cursor })),
          })
        : of({ spaces: [], projects: [] }),
  });
  protected readonly audiences = computed(() => {
    const places = this.places.hasValue() ? this.places.value() : { spaces: [], projects: [] };
    return [
      { value: 'personal', label: this.i18n.t('views.sharePersonal') },
      ...places.spaces.map((s) => ({ value: `space:${s.id}`, label: this.i18n.t('views.shareSpace', { name: s.name }) })),
      ...places.projects
        .filter((p) => p.myAccess === 'write')
        .map((p) => ({ value: `project:${p.key}`, label: this.i18n.t('views.shareProject', { key: p.key, name: p.name }) })),
    ];
  });

  protected save(): void {
    if (this.form.invalid || this.saving()) {
      this.form.markAllAsTouched();
      return;
    }
    const name = this.form.controls.name.value.trim();
    this.saving.set(true);
    this.error.set(null);
    const request = this.data.view ? this.api.update(this.data.view.id, { name }) : this.api.create(this.createRequest(name, this.data.query));
    request.subscribe({
      next: (view) => this.ref.close(view),
      error: (error: unknown) => {
        this.saving.set(false);
        this.error.set(describeError(error, this.i18n));
      },
    });
  }

  private createRequest(name: string, query: ViewQuery): CreateSavedViewRequest {
    const audience = this.form.controls.audience.value;
    if (audience.startsWith('space:')) return { name, query, sharedWith: 'space', spaceId: audience.slice('space:'.length) };
    if (audience.startsWith('project:')) return { name, query, sharedWith: 'project', projectKey: audience.slice('project:'.length) };
    return { name, query, sharedWith: 'personal' };
  }
}
