import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, viewChild } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { SaveSmtpSettingsRequest, SmtpSettings } from '@guichet/contracts';
import { MailApi } from '../../core/api/mail.api';
import { describeError } from '../../core/http/api-error';
import { I18n } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { Notifier } from '../../shared/notifier';
import { runAction } from '../../shared/run-action';
import { ConnectionFieldsComponent, connectionControls } from './connection-fields.component';
import { ConnectionTestComponent } from './connection-test.component';
import { SMTP_PORTS } from './mail-labels';

/** The outgoing server of the notifications, and a test of the saved settings. */
@Component({
  selector: 'gch-smtp-settings',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    TranslatePipe,
    ConnectionFieldsComponent,
    ConnectionTestComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './smtp-settings.component.html',
})
export class SmtpSettingsComponent {
  private readonly api = inject(MailApi);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18n);
  private readonly fb = inject(FormBuilder).nonNullable;

  protected readonly ports = SMTP_PORTS;
  protected readonly settings = rxResource({ stream: () => this.api.smtp() });
  protected readonly hasPassword = computed(() => this.settings.hasValue() && this.settings.value().hasPassword);
  protected readonly form = this.fb.group({
    ...connectionControls(SMTP_PORTS, 'starttls', { usernameRequired: false }),
    fromAddress: ['', [Validators.required, Validators.email, Validators.maxLength(254)]],
    fromName: ['', Validators.maxLength(100)],
  });
  protected readonly busy = signal(false);
  protected readonly runTest = () => this.api.testSmtp();
  private readonly testCard = viewChild(ConnectionTestComponent);

  constructor() {
    effect(() => {
      if (this.settings.hasValue()) this.fill(this.settings.value());
    });
  }

  protected save(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const value = this.form.getRawValue();
    const request: SaveSmtpSettingsRequest = {
      host: value.host.trim(),
      port: Number(value.port),
      security: value.security,
      username: value.username.trim(),
      fromAddress: value.fromAddress.trim(),
      fromName: value.fromName.trim() || undefined,
    };
    if (value.password) request.password = value.password;
    runAction(this.busy, this.notifier, this.api.saveSmtp(request), (settings) => {
      this.settings.set(settings);
      this.testCard()?.clear();
      this.notifier.success(this.i18n.t('common.saved'));
    });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }

  private fill(settings: SmtpSettings): void {
    this.form.reset({
      host: settings.host,
      security: settings.security,
      port: settings.port,
      username: settings.username,
      password: '',
      fromAddress: settings.fromAddress,
      fromName: settings.fromName,
    });
  }
}
