import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';
import { allPages } from '../../core/api/all-pages';
import { ProjectsApi } from '../../core/api/projects.api';
import { SpacesApi } from '../../core/api/spaces.api';
import { describeError } from '../../core/http/api-error';
import { I18n } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { ListFrameComponent, ListRowsDirective } from '../../shared/list-frame.component';

/** Entry point for access managers: every project they can see, filtered by space (?spaceId=). */
@Component({
  selector: 'gch-project-access-list',
  imports: [ListFrameComponent, ListRowsDirective, RouterLink, MatFormFieldModule, MatSelectModule, MatTableModule, TranslatePipe],
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
        <table mat-table [dataSource]="rows">
          <ng-container matColumnDef="key">
            <th mat-header-cell *matHeaderCellDef>{{ 'projects.key' | t }}</th>
            <td mat-cell *matCellDef="let project">
              <a [routerLink]="['/admin/projects', project.key]" class="gch-project-key">{{ project.key }}</a>
            </td>
          </ng-container>
          <ng-container matColumnDef="name">
            <th mat-header-cell *matHeaderCellDef>{{ 'common.name' | t }}</th>
            <td mat-cell *matCellDef="let project">{{ project.name }}</td>
          </ng-container>
          <ng-container matColumnDef="space">
            <th mat-header-cell *matHeaderCellDef>{{ 'projects.space' | t }}</th>
            <td mat-cell *matCellDef="let project">{{ project.spaceName }}</td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr mat-row *matRowDef="let row; columns: columns"></tr>
        </table>
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

  protected readonly columns = ['key', 'name', 'space'];
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
