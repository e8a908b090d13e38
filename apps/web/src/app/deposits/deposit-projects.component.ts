import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { allPages } from '../core/api/all-pages';
import { ProjectsApi } from '../core/api/projects.api';
import { describeError } from '../core/http/api-error';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';

/** The projects whose deposit space the user reaches. */
@Component({
  selector: 'gch-deposit-projects',
  imports: [RouterLink, MatProgressBarModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './deposits.scss',
  template: `
    <h1>{{ 'deposits.title' | t }}</h1>
    <p class="gch-lead">{{ 'deposits.intro' | t }}</p>
    @if (projects.isLoading()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="'app.loading' | t" />
    }
    @if (projects.error(); as error) {
      <p class="gch-alert gch-alert--error" role="alert">{{ describe(error) }}</p>
    }
    @if (projects.hasValue()) {
      @if (projects.value().length === 0) {
        <p class="gch-muted">{{ 'deposits.noProject' | t }}</p>
      } @else {
        <ul class="gch-deposit-projects">
          @for (project of projects.value(); track project.id) {
            <li class="gch-panel">
              <a [routerLink]="['/deposits', project.key]">{{ project.key }} — {{ project.name }}</a>
              <span class="gch-muted">{{ project.spaceName }}</span>
            </li>
          }
        </ul>
      }
    }
  `,
})
export class DepositProjectsComponent {
  private readonly api = inject(ProjectsApi);
  private readonly i18n = inject(I18n);
  protected readonly projects = rxResource({ stream: () => allPages((cursor) => this.api.list({ cursor })) });

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
