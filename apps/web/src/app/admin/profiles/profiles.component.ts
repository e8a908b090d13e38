import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatCardModule } from '@angular/material/card';
import { MatExpansionModule } from '@angular/material/expansion';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { ProfilesApi } from '../../core/api/profiles.api';
import { describeError } from '../../core/http/api-error';
import { I18n } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { ProfileNamePipe } from '../../shared/profile-name.pipe';
import { ProfileEditorComponent } from './profile-editor.component';

@Component({
  selector: 'gch-profiles',
  imports: [MatCardModule, MatExpansionModule, MatProgressBarModule, TranslatePipe, ProfileNamePipe, ProfileEditorComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>{{ 'profiles.title' | t }}</h1>
    <p class="gch-lead">{{ 'profiles.intro' | t }}</p>
    @if (profiles.isLoading()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="'app.loading' | t" />
    }
    @if (profiles.error(); as error) {
      <p class="gch-alert gch-alert--error" role="alert">{{ describe(error) }}</p>
    } @else if (profiles.hasValue()) {
      <mat-accordion class="gch-section" multi>
        @for (profile of profiles.value(); track profile.id) {
          <mat-expansion-panel>
            <mat-expansion-panel-header>
              <mat-panel-title>{{ profile | profileName }}</mat-panel-title>
              <mat-panel-description>
                <span class="gch-mono">{{ profile.code }}</span>
                &nbsp;·&nbsp;{{ 'profiles.accountCount' | t: { count: profile.accountCount } }}
                @if (profile.builtin) {
                  &nbsp;·&nbsp;{{ 'profiles.builtin' | t }}
                }
              </mat-panel-description>
            </mat-expansion-panel-header>
            <ng-template matExpansionPanelContent>
              <gch-profile-editor [profile]="profile" (changed)="profiles.reload()" />
            </ng-template>
          </mat-expansion-panel>
        }
      </mat-accordion>
    }
    <mat-card appearance="outlined">
      <mat-card-header>
        <mat-card-title
          ><h2>{{ 'profiles.createTitle' | t }}</h2></mat-card-title
        >
      </mat-card-header>
      <mat-card-content>
        <gch-profile-editor (changed)="profiles.reload()" />
      </mat-card-content>
    </mat-card>
  `,
})
export class ProfilesComponent {
  private readonly api = inject(ProfilesApi);
  private readonly i18n = inject(I18n);

  protected readonly profiles = rxResource({ stream: () => this.api.list() });

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
