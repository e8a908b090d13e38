import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { Router } from '@angular/router';
import { allPages } from '../../core/api/all-pages';
import { ProjectsApi } from '../../core/api/projects.api';
import { SpacesApi } from '../../core/api/spaces.api';
import { describeError } from '../../core/http/api-error';
import { I18n } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { ProjectTableComponent } from '../projects/project-table.component';
import { ListFrameComponent, ListRowsDirective } from '../../shared/list-frame.component';

/** Entry point for access managers: every project they can see, filtered by space (?spaceId=). */
@Component({
  selector: 'gch-project-access-list',
  imports: [ListFrameComponent, ListRowsDirective, MatFormFieldModule, MatSelectModule, ProjectTableComponent, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>{{ 'projects.accessListTitle' | t }}</h1>
    <p class="gch-lead">{{ 'projects.accessListIntro' | t }}</p>
    <div class="gch-filters">
      <mat-form-field class="gch-level-select">
        <mat-label>{{ 'projects.filterSpace' | t }}</mat-label>
        <mat-select [value]="spaceId() ?? ''" (selectionChange)="filter($event.value)">
          <mat-option value="">{{ 'common.all' | t }}</mat-option>
          @if (spaces.hasValue()) {
            @for (space of spaces.value(); track space.id) {
              <mat-option [value]="space.id">{{ space.name }}</mat-option>
            }
          }
        </mat-select>
      </mat-form-field>
    </div>
    <gch-list-frame [source]="projects">
      <p gchListEmpty class="gch-muted">{{ 'projects.empty' | t }}</p>
      <ng-template gchListRows let-rows>
        <gch-project-table [projects]="rows" last="space" />
      </ng-template>
    </gch-list-frame>
  `,
})
export class ProjectAccessListComponent {
  private readonly projectsApi = inject(ProjectsApi);
  private readonly spacesApi = inject(SpacesApi);
  private readonly router = inject(Router);
  private readonly i18n = inject(I18n);

  /** Query parameter, bound by the router. */
  readonly spaceId = input<string>();

  protected readonly spaces = rxResource({ stream: () => allPages((cursor) => this.spacesApi.list({ cursor })) });
  protected readonly projects = rxResource({
    params: () => ({ spaceId: this.spaceId() || undefined }),
    stream: ({ params }) => allPages((cursor) => this.projectsApi.list({ spaceId: params.spaceId, cursor })),
  });

  protected filter(spaceId: string): void {
    void this.router.navigate([], { queryParams: { spaceId: spaceId || null }, queryParamsHandling: 'merge' });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
