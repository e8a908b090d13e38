import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import type { Project } from '@guichet/contracts';
import { TranslatePipe } from '../../core/i18n/t.pipe';

/** Projects by key (a link to each project's page) and name, then their description or their space. */
@Component({
  selector: 'gch-project-table',
  imports: [RouterLink, MatTableModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  // The table sits in the page's table frame as if written there.
  styles: ':host { display: contents; }',
  template: `
    <table mat-table [dataSource]="projects()">
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
      <ng-container matColumnDef="description">
        <th mat-header-cell *matHeaderCellDef>{{ 'common.description' | t }}</th>
        <td mat-cell *matCellDef="let project">{{ project.description }}</td>
      </ng-container>
      <ng-container matColumnDef="space">
        <th mat-header-cell *matHeaderCellDef>{{ 'projects.space' | t }}</th>
        <td mat-cell *matCellDef="let project">{{ project.spaceName }}</td>
      </ng-container>
      <tr mat-header-row *matHeaderRowDef="columns()"></tr>
      <tr mat-row *matRowDef="let row; columns: columns()"></tr>
    </table>
  `,
})
export class ProjectTableComponent {
  readonly projects = input.required<readonly Project[]>();
  /** The last column: the description (inside one space) or the space (across spaces). */
  readonly last = input<'description' | 'space'>('description');

  protected readonly columns = computed(() => ['key', 'name', this.last()]);
}
