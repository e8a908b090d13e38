import { ChangeDetectionStrategy, Component, inject, input, signal, viewChild, viewChildren } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormBuilder, FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';
import { PROJECT_KEY_PATTERN, type Account, type SpaceMember } from '@guichet/contracts';
import { of } from 'rxjs';
import { allPages } from '../../core/api/all-pages';
import { ProjectsApi } from '../../core/api/projects.api';
import { SpacesApi } from '../../core/api/spaces.api';
import { AuthStore } from '../../core/auth/auth.store';
import { describeError } from '../../core/http/api-error';
import { I18n } from '../../core/i18n/i18n.service';
import { PageTitle } from '../../core/i18n/page-title';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { AccountPickerComponent } from '../../shared/account-picker.component';
import { Confirmation } from '../../shared/confirm-dialog.component';
import { Notifier } from '../../shared/notifier';
import { resetSubmittedForm } from '../../shared/form-reset';
import { DetailsCardComponent, type Details } from '../../shared/details-card.component';
import { runAction } from '../../shared/run-action';
import { ProjectTableComponent } from '../projects/project-table.component';
import { SupportGroupsComponent } from './support-groups.component';

/** One space: its details, its projects (with the create-project form) and its members. */
@Component({
  selector: 'gch-space-detail',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatTableModule,
    TranslatePipe,
    AccountPickerComponent,
    DetailsCardComponent,
    ProjectTableComponent,
    SupportGroupsComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './space-detail.component.html',
})
export class SpaceDetailComponent {
  private readonly spacesApi = inject(SpacesApi);
  private readonly projectsApi = inject(ProjectsApi);
  private readonly store = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);
  private readonly confirmation = inject(Confirmation);
  private readonly i18n = inject(I18n);
  private readonly fb = inject(FormBuilder).nonNullable;

  /** Route parameter. */
  readonly id = input.required<string>();

  protected readonly canManageAccess = this.store.hasRight('access.manage');
  protected readonly canReadStats = this.store.hasRight('stats.read');
  protected readonly canManageSpaces = this.store.hasRight('spaces.manage');
  protected readonly space = rxResource({ params: () => this.id(), stream: ({ params }) => this.spacesApi.get(params) });
  protected readonly projects = rxResource({
    params: () => this.id(),
    stream: ({ params }) => allPages((cursor) => this.projectsApi.list({ spaceId: params, cursor })),
  });
  protected readonly members = rxResource({
    params: () => (this.canManageAccess ? this.id() : undefined),
    stream: ({ params }) => (params ? this.spacesApi.members(params) : of([] as SpaceMember[])),
  });

  protected readonly memberColumns = ['displayName', 'email', 'profile', 'actions'];

  protected readonly projectForm = this.fb.group({
    key: ['', [Validators.required, Validators.pattern(PROJECT_KEY_PATTERN)]],
    name: ['', [Validators.required, Validators.maxLength(200)]],
    description: [''],
  });
  protected readonly newMember = signal<Account | null>(null);
  private readonly memberPicker = viewChild(AccountPickerComponent);
  protected readonly busy = signal(false);
  private readonly formDirectives = viewChildren(FormGroupDirective);

  constructor() {
    inject(PageTitle).describe(() => (this.space.hasValue() ? this.space.value().name : null));
  }

  protected save(details: Details): void {
    runAction(this.busy, this.notifier, this.spacesApi.update(this.id(), details), (space) => {
      this.space.set(space);
      this.notifier.success(this.i18n.t('common.saved'));
    });
  }

  protected remove(): void {
    const name = this.space.hasValue() ? this.space.value().name : '';
    this.confirmation
      .ask({
        title: this.i18n.t('spaces.deleteTitle'),
        message: this.i18n.t('spaces.deleteConfirm', { name }),
        confirm: this.i18n.t('common.delete'),
      })
      .subscribe((yes) => {
        if (!yes) return;
        runAction(this.busy, this.notifier, this.spacesApi.delete(this.id()), () => {
          this.notifier.success(this.i18n.t('spaces.deleted'));
          void this.router.navigate(['/admin/spaces']);
        });
      });
  }

  protected createProject(): void {
    const key = this.projectForm.controls.key;
    key.setValue(key.value.trim().toUpperCase());
    if (this.projectForm.invalid) {
      this.projectForm.markAllAsTouched();
      return;
    }
    const { name, description } = this.projectForm.getRawValue();
    runAction(
      this.busy,
      this.notifier,
      this.projectsApi.create({
        key: key.value,
        name: name.trim(),
        description: description.trim() || undefined,
        spaceId: this.id(),
      }),
      (project) => {
        this.notifier.success(this.i18n.t('projects.created', { key: project.key }));
        resetSubmittedForm(this.projectForm, this.formDirectives());
        this.projects.reload();
      },
    );
  }

  protected addMember(): void {
    const chosen = this.memberPicker()?.validate() ?? false;
    const account = this.newMember();
    if (!chosen || !account) return;
    runAction(this.busy, this.notifier, this.spacesApi.addMember(this.id(), account.id), () => {
      this.notifier.success(this.i18n.t('spaces.memberAdded'));
      this.newMember.set(null);
      this.members.reload();
    });
  }

  protected removeMember(member: SpaceMember): void {
    runAction(this.busy, this.notifier, this.spacesApi.removeMember(this.id(), member.accountId), () => {
      this.notifier.success(this.i18n.t('spaces.memberRemoved'));
      this.members.reload();
    });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
