import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
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

interface SpaceGroup {
  id: string;
  name: string;
  description: string;
  projects: Project[];
}

/** "Mes espaces et projets": what is shared with the user, grouped by space. */
@Component({
  selector: 'gch-home',
  imports: [RouterLink, MatButtonModule, MatCardModule, MatProgressBarModule, TranslatePipe, AccessBadgeComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>{{ 'home.title' | t }}</h1>
    @if (data.isLoading()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="'app.loading' | t" />
    }
    @if (data.error(); as error) {
      <p class="gch-alert gch-alert--error" role="alert">{{ describe(error) }}</p>
    } @else if (data.hasValue()) {
      @if (groups().length === 0) {
        <section class="gch-empty">
          <h2>{{ 'home.emptyTitle' | t }}</h2>
          <p>{{ 'home.emptyText' | t }}</p>
        </section>
      } @else {
        <p class="gch-lead">{{ 'home.intro' | t }}</p>
        <div class="gch-space-grid">
          @for (space of groups(); track space.id) {
            <mat-card appearance="outlined" class="gch-space-card">
              <mat-card-header>
                <mat-card-title><h2>{{ space.name }}</h2></mat-card-title>
                @if (space.description) {
                  <mat-card-subtitle>{{ space.description }}</mat-card-subtitle>
                }
              </mat-card-header>
              <mat-card-content>
                @if (space.projects.length === 0) {
                  <p class="gch-muted">{{ 'home.noProject' | t }}</p>
                } @else {
                  <ul class="gch-project-list" [attr.aria-label]="space.name">
                    @for (project of space.projects; track project.id) {
                      <li class="gch-project-item">
                        <span class="gch-project-key">{{ project.key }}</span>
                        <span class="gch-project-name">{{ project.name }}</span>
                        <gch-access-badge [level]="project.myAccess" />
                        @if (project.myAccess !== 'none') {
                          <span class="gch-project-actions">
                            <a
                              mat-stroked-button
                              routerLink="/tickets/new"
                              [queryParams]="{ project: project.key }"
                              [attr.aria-label]="'home.newTicketIn' | t: { key: project.key }"
                              >{{ 'home.newTicket' | t }}</a
                            >
                            <a
                              mat-button
                              routerLink="/tickets"
                              [queryParams]="{ project: project.key }"
                              [attr.aria-label]="'home.viewTicketsIn' | t: { key: project.key }"
                              >{{ 'home.viewTickets' | t }}</a
                            >
                          </span>
                        }
                      </li>
                    }
                  </ul>
                }
              </mat-card-content>
            </mat-card>
          }
        </div>
      }
    }
  `,
})
export class HomeComponent {
  private readonly spaces = inject(SpacesApi);
  private readonly projects = inject(ProjectsApi);
  private readonly store = inject(AuthStore);
  private readonly i18n = inject(I18n);

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
