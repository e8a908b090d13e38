import { ChangeDetectionStrategy, Component, inject, input, signal, viewChild, viewChildren } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormBuilder, FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';
import { PROJECT_ACCESS_LEVELS, type Account, type ProjectAccessLevel, type ProjectMember } from '@guichet/contracts';
import { of } from 'rxjs';
import { ProjectsApi } from '../../core/api/projects.api';
import { AuthStore } from '../../core/auth/auth.store';
import { describeError } from '../../core/http/api-error';
import { accessKey } from '../../core/i18n/dictionary';
import { I18n } from '../../core/i18n/i18n.service';
import { PageTitle } from '../../core/i18n/page-title';
import { DateTimePipe, TranslatePipe } from '../../core/i18n/t.pipe';
import { AccountPickerComponent } from '../../shared/account-picker.component';
import { Confirmation } from '../../shared/confirm-dialog.component';
import { Notifier } from '../../shared/notifier';
import { resetSubmittedForm } from '../../shared/form-reset';
import { DetailsCardComponent, type Details } from '../../shared/details-card.component';
import { IncidentContactsComponent } from './incident-contacts.component';
import { runAction } from '../../shared/run-action';

/** One project: its details (spaces.manage) and its access list (access.manage). */
@Component({
  selector: 'gch-project-detail',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTableModule,
    TranslatePipe,
    DateTimePipe,
    AccountPickerComponent,
    DetailsCardComponent,
    IncidentContactsComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './project-detail.component.html',
})
export class ProjectDetailComponent {
  private readonly api = inject(ProjectsApi);
  private readonly store = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);
  private readonly confirmation = inject(Confirmation);
  private readonly i18n = inject(I18n);
  private readonly fb = inject(FormBuilder).nonNullable;

  /** Route parameter. */
  readonly key = input.required<string>();

  protected readonly canManageSpaces = this.store.hasRight('spaces.manage');
  protected readonly canManageAccess = this.store.hasRight('access.manage');
  protected readonly canReadStats = this.store.hasRight('stats.read');
  protected readonly levels = PROJECT_ACCESS_LEVELS.map((level) => ({
    level,
    label: accessKey(level),
    help: `access.${level}Help` as const,
  }));

  protected readonly project = rxResource({ params: () => this.key(), stream: ({ params }) => this.api.get(params) });
  protected readonly members = rxResource({
    params: () => (this.canManageAccess ? this.key() : undefined),
    stream: ({ params }) => (params ? this.api.members(params) : of([] as ProjectMember[])),
  });
  protected readonly memberColumns = ['account', 'level', 'grantedAt', 'actions'];

  protected readonly grantForm = this.fb.group({
    level: this.fb.control<ProjectAccessLevel>('submit', Validators.required),
  });
  protected readonly grantee = signal<Account | null>(null);
  private readonly picker = viewChild(AccountPickerComponent);
  protected readonly busy = signal(false);
  private readonly formDirectives = viewChildren(FormGroupDirective);

  constructor() {
    inject(PageTitle).describe(() => (this.project.hasValue() ? `${this.project.value().key} ${this.project.value().name}` : null));
  }

  protected save(details: Details): void {
    runAction(this.busy, this.notifier, this.api.update(this.key(), details), (project) => {
      this.project.set(project);
      this.notifier.success(this.i18n.t('common.saved'));
    });
  }

  protected remove(): void {
    const project = this.project.hasValue() ? this.project.value() : null;
    if (!project) return;
    this.confirmation
      .ask({
        title: this.i18n.t('projects.deleteTitle'),
        message: this.i18n.t('projects.deleteConfirm', { key: project.key, name: project.name }),
        confirm: this.i18n.t('common.delete'),
      })
      .subscribe((yes) => {
        if (!yes) return;
        runAction(this.busy, this.notifier, this.api.delete(project.key), () => {
          this.notifier.success(this.i18n.t('projects.deleted'));
          void this.router.navigate(['/admin/spaces', project.spaceId]);
        });
      });
  }

  protected grant(): void {
    const chosen = this.picker()?.validate() ?? false;
    const account = this.grantee();
    if (!chosen || !account) return;
    const { level } = this.grantForm.getRawValue();
    runAction(this.busy, this.notifier, this.api.grant(this.key(), account.id, { level }), () => {
      this.notifier.success(this.i18n.t('projects.granted', { name: account.displayName }));
      this.grantee.set(null);
      resetSubmittedForm(this.grantForm, this.formDirectives());
      this.members.reload();
    });
  }

  protected changeLevel(member: ProjectMember, level: ProjectAccessLevel): void {
    if (level === member.level) return;
    runAction(this.busy, this.notifier, this.api.grant(this.key(), member.accountId, { level }), () => {
      this.notifier.success(this.i18n.t('projects.levelChanged'));
      this.members.reload();
    });
  }

  protected revoke(member: ProjectMember): void {
    runAction(this.busy, this.notifier, this.api.revoke(this.key(), member.accountId), () => {
      this.notifier.success(this.i18n.t('projects.revoked'));
      this.members.reload();
    });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
