import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, viewChild } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators, type FormGroup, type FormControl } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { Router, RouterLink } from '@angular/router';
import type { Mailbox, MailboxRoute, SaveMailboxRequest } from '@guichet/contracts';
import { of } from 'rxjs';
import { allPages } from '../../core/api/all-pages';
import { MailApi } from '../../core/api/mail.api';
import { ProjectsApi } from '../../core/api/projects.api';
import { describeError } from '../../core/http/api-error';
import { I18n } from '../../core/i18n/i18n.service';
import { PageTitle } from '../../core/i18n/page-title';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { Confirmation } from '../../shared/confirm-dialog.component';
import { Notifier } from '../../shared/notifier';
import { runAction } from '../../shared/run-action';
import { ConnectionFieldsComponent, connectionControls } from './connection-fields.component';
import { ConnectionTestComponent } from './connection-test.component';
import { IMAP_PORTS } from './mail-labels';

type RouteGroup = FormGroup<{ address: FormControl<string>; projectKey: FormControl<string> }>;

/** Creates a mailbox (no `id`) or edits one, with its routes, and tests its stored connection. */
@Component({
  selector: 'gch-mailbox-form',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSlideToggleModule,
    TranslatePipe,
    ConnectionFieldsComponent,
    ConnectionTestComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './mailbox-form.component.html',
  styleUrl: './mailbox-form.component.scss',
})
export class MailboxFormComponent {
  private readonly api = inject(MailApi);
  private readonly projectsApi = inject(ProjectsApi);
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);
  private readonly confirmation = inject(Confirmation);
  private readonly i18n = inject(I18n);
  private readonly fb = inject(FormBuilder).nonNullable;

  /** Route parameter; absent on /admin/mail/mailboxes/new. */
  readonly id = input<string>();

  protected readonly ports = IMAP_PORTS;
  protected readonly mailbox = rxResource({
    params: () => this.id(),
    stream: ({ params }) => (params ? this.api.mailbox(params) : of(null)),
  });
  protected readonly projects = rxResource({ stream: () => allPages((cursor) => this.projectsApi.list({ cursor })) });
  protected readonly projectList = computed(() => (this.projects.hasValue() ? this.projects.value() : []));
  protected readonly hasPassword = computed(() => (this.mailbox.hasValue() ? (this.mailbox.value()?.hasPassword ?? false) : false));
  protected readonly title = computed(() => {
    const mailbox = this.mailbox.hasValue() ? this.mailbox.value() : null;
    return mailbox ? this.i18n.t('mailboxes.editTitle', { name: mailbox.name }) : this.i18n.t('mailboxes.createTitle');
  });

  protected readonly form = this.fb.group({
    name: ['', [Validators.required, Validators.maxLength(100)]],
    ...connectionControls(IMAP_PORTS, 'tls', { usernameRequired: true }),
    inboxFolder: ['INBOX', [Validators.required, Validators.maxLength(200)]],
    processedFolder: ['Processed', [Validators.required, Validators.maxLength(200)]],
    errorFolder: ['Errors', [Validators.required, Validators.maxLength(200)]],
    defaultProjectKey: [''],
    routes: this.fb.array<RouteGroup>([]),
    active: [true],
  });
  protected readonly busy = signal(false);
  protected readonly runTest = () => this.api.testMailbox(this.id() ?? '');
  private readonly testCard = viewChild(ConnectionTestComponent);

  constructor() {
    inject(PageTitle).describe(() => (this.mailbox.hasValue() && this.mailbox.value() ? this.title() : null));
    effect(() => {
      const mailbox = this.mailbox.hasValue() ? this.mailbox.value() : null;
      if (mailbox) this.fill(mailbox);
    });
  }

  protected addRoute(): void {
    this.form.controls.routes.push(this.routeGroup({ address: '', projectKey: '' }));
    this.form.markAsDirty();
  }

  protected removeRoute(index: number): void {
    this.form.controls.routes.removeAt(index);
    this.form.markAsDirty();
  }

  protected save(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const value = this.form.getRawValue();
    const request: SaveMailboxRequest = {
      name: value.name.trim(),
      host: value.host.trim(),
      port: Number(value.port),
      security: value.security,
      username: value.username.trim(),
      inboxFolder: value.inboxFolder.trim(),
      processedFolder: value.processedFolder.trim(),
      errorFolder: value.errorFolder.trim(),
      defaultProjectKey: value.defaultProjectKey || null,
      routes: value.routes.map((route) => ({ address: route.address.trim().toLowerCase(), projectKey: route.projectKey })),
      active: value.active,
    };
    if (value.password) request.password = value.password;
    const id = this.id();
    if (id) {
      runAction(this.busy, this.notifier, this.api.updateMailbox(id, request), (mailbox) => {
        this.mailbox.set(mailbox);
        this.testCard()?.clear();
        this.notifier.success(this.i18n.t('common.saved'));
      });
    } else {
      runAction(this.busy, this.notifier, this.api.createMailbox(request), (mailbox) => {
        this.notifier.success(this.i18n.t('mailboxes.created', { name: mailbox.name }));
        void this.router.navigate(['/admin/mail/mailboxes', mailbox.id]);
      });
    }
  }

  protected remove(): void {
    const id = this.id();
    const mailbox = this.mailbox.hasValue() ? this.mailbox.value() : null;
    if (!id || !mailbox) return;
    this.confirmation
      .ask({
        title: this.i18n.t('mailboxes.deleteTitle'),
        message: this.i18n.t('mailboxes.deleteConfirm', { name: mailbox.name }),
        confirm: this.i18n.t('common.delete'),
      })
      .subscribe((yes) => {
        if (!yes) return;
        runAction(this.busy, this.notifier, this.api.deleteMailbox(id), () => {
          this.notifier.success(this.i18n.t('mailboxes.deleted'));
          void this.router.navigate(['/admin/mail/mailboxes']);
        });
      });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }

  private fill(mailbox: Mailbox): void {
    const routes = this.form.controls.routes;
    routes.clear();
    for (const route of mailbox.routes) routes.push(this.routeGroup(route));
    this.form.reset({
      name: mailbox.name,
      host: mailbox.host,
      security: mailbox.security,
      port: mailbox.port,
      username: mailbox.username,
      password: '',
      inboxFolder: mailbox.inboxFolder,
      processedFolder: mailbox.processedFolder,
      errorFolder: mailbox.errorFolder,
      defaultProjectKey: mailbox.defaultProjectKey ?? '',
      routes: mailbox.routes,
      active: mailbox.active,
    });
  }

  private routeGroup(route: MailboxRoute): RouteGroup {
    return this.fb.group({
      address: [route.address, [Validators.required, Validators.email, Validators.maxLength(254)]],
      projectKey: [route.projectKey, Validators.required],
    });
  }
}
