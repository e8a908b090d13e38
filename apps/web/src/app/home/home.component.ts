import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import type { Project, Space } from '@guichet/contracts';
import { forkJoin } from 'rxjs';
import { allPages } from '../core/api/all-pages';
import { ProjectsApi } from '../core/api/projects.api';
import { SpacesApi } from '../core/api/spaces.api';
import { AuthStore } from '../core/auth/auth.store';
import { describeError } from '../core/http/api-error';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { AccessBadgeComponent } from '../shared/access-badge.component';
import { SetupChecklistComponent } from './setup-checklist.component';

interface SpaceGroup {
  id: string;
  name: string;
  description: string;
  projects: Project[];
}

/** "Mes espaces et projets": what is shared with the user, grouped by space. */
@Component({
  selector: 'gch-home',
  imports: [RouterLink, MatButtonModule, MatCardModule, MatProgressBarModule, TranslatePipe, AccessBadgeComponent, SetupChecklistComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './home.component.html',
  styleUrl: './home.component.scss',
})
export class HomeComponent {
  private readonly spaces = inject(SpacesApi);
  private readonly projects = inject(ProjectsApi);
  private readonly store = inject(AuthStore);
  private readonly i18n = inject(I18n);

  /** While the getting-started checklist shows, an empty home speaks of setting up, not of asking for access. */
  protected readonly settingUp = signal(false);

  protected readonly data = rxResource({
    params: () => this.store.me()?.id,
    stream: () =>
      forkJoin({
        spaces: allPages((cursor) => this.spaces.list({ cursor })),
        projects: allPages((cursor) => this.projects.list({ cursor })),
      }),
  });

  /**
   * Projects carry their space, so a project shared with the user shows even when the space list
   * does not name its space; spaces without a visible project still show, empty.
   */
  protected readonly groups = computed<SpaceGroup[]>(() => {
    if (!this.data.hasValue()) return [];
    const { spaces, projects } = this.data.value();
    const groups = new Map<string, SpaceGroup>();
    const add = (space: Pick<Space, 'id' | 'name' | 'description'>): SpaceGroup => {
      let group = groups.get(space.id);
      if (!group) {
        group = { id: space.id, name: space.name, description: space.description, projects: [] };
        groups.set(space.id, group);
      }
      return group;
    };
    spaces.forEach(add);
    for (const project of projects) {
      add({ id: project.spaceId, name: project.spaceName, description: '' }).projects.push(project);
    }
    const collator = new Intl.Collator(this.i18n.locale());
    for (const group of groups.values()) group.projects.sort((a, b) => a.key.localeCompare(b.key));
    return [...groups.values()].sort((a, b) => collator.compare(a.name, b.name));
  });

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
