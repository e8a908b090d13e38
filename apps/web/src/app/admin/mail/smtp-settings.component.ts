import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import type { ConnectionTestResult, MailSecurity, SaveSmtpSettingsRequest, SmtpSettings } from '@guichet/contracts';
import { MailApi } from '../../core/api/mail.api';
import { describeError } from '../../core/http/api-error';
import { I18n } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { Notifier } from '../../shared/notifier';
import { runAction } from '../../shared/run-action';
import { ConnectionTestResultComponent } from './connection-test-result.component';
import { HOST_PATTERN, SECURITY_OPTIONS, SMTP_PORTS, portFor } from './mail-labels';

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
    MatSelectModule,
    TranslatePipe,
    ConnectionTestResultComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2>{{ 'smtp.title' | t }}</h2>
    <p class="gch-muted">{{ 'smtp.intro' | t }}</p>

    @if (settings.isLoading()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="'app.loading' | t" />
    }
    @if (settings.error(); as error) {
      <p class="gch-alert gch-alert--error" role="alert">{{ describe(error) }}</p>
    } @else if (settings.hasValue()) {
      @if (!settings.value().configured) {
        <p class="gch-alert gch-alert--info">{{ 'smtp.notConfigured' | t }}</p>
      }
      <mat-card appearance="outlined" class="gch-form-card">
        <mat-card-content>
          <form [formGroup]="form" (ngSubmit)="save()" novalidate>
            <div class="gch-row">
              <mat-form-field class="gch-grow">
                <mat-label>{{ 'mail.host' | t }}</mat-label>
                <input matInput formControlName="host" required maxlength="253" autocomplete="off" spellcheck="false" />
                @if (form.controls.host.hasError('required')) {
                  <mat-error>{{ 'common.required' | t }}</mat-error>
                } @else if (form.controls.host.hasError('pattern')) {
                  <mat-error>{{ 'mail.hostInvalid' | t }}</mat-error>
                }
              </mat-form-field>
              <mat-form-field class="gch-field-security">
                <mat-label>{{ 'mail.security' | t }}</mat-label>
                <mat-select formControlName="security" (selectionChange)="securityChanged($event.value)">
                  @for (option of securityOptions; track option.value) {
                    <mat-option [value]="option.value">{{ option.label | t }}</mat-option>
                  }
                </mat-select>
              </mat-form-field>
              <mat-form-field class="gch-field-port">
                <mat-label>{{ 'mail.port' | t }}</mat-label>
                <input matInput type="number" formControlName="port" required min="1" max="65535" />
                @if (form.controls.port.invalid) {
                  <mat-error>{{ 'mail.portInvalid' | t }}</mat-error>
                }
              </mat-form-field>
            </div>
            <div class="gch-row">
              <mat-form-field class="gch-grow">
                <mat-label>{{ 'mail.username' | t }} ({{ 'common.optional' | t }})</mat-label>
                <input matInput formControlName="username" maxlength="254" autocomplete="off" spellcheck="false" />
                <mat-hint>{{ 'smtp.usernameHint' | t }}</mat-hint>
              </mat-form-field>
              <mat-form-field class="gch-grow">
                <mat-label>{{ 'mail.password' | t }}</mat-label>
                <input matInput type="password" formControlName="password" maxlength="500" autocomplete="new-password" />
                @if (hasPassword()) {
                  <mat-hint>{{ 'mail.passwordKeep' | t }}</mat-hint>
                }
              </mat-form-field>
            </div>
            <div class="gch-row">
              <mat-form-field class="gch-grow">
                <mat-label>{{ 'smtp.fromAddress' | t }}</mat-label>
                <input matInput type="email" formControlName="fromAddress" required maxlength="254" autocomplete="off" />
                @if (form.controls.fromAddress.hasError('required')) {
                  <mat-error>{{ 'common.required' | t }}</mat-error>
                } @else if (form.controls.fromAddress.hasError('email')) {
                  <mat-error>{{ 'common.invalidEmail' | t }}</mat-error>
                }
              </mat-form-field>
              <mat-form-field class="gch-grow">
                <mat-label>{{ 'smtp.fromName' | t }} ({{ 'common.optional' | t }})</mat-label>
                <input matInput formControlName="fromName" maxlength="100" autocomplete="off" />
              </mat-form-field>
            </div>
            <div class="gch-actions">
              <button mat-flat-button type="submit" [disabled]="busy()">{{ 'common.save' | t }}</button>
            </div>
          </form>
        </mat-card-content>
      </mat-card>

      <mat-card appearance="outlined" class="gch-form-card">
        <mat-card-header>
          <mat-card-title><h3>{{ 'smtp.testTitle' | t }}</h3></mat-card-title>
        </mat-card-header>
        <mat-card-content>
          <p class="gch-muted">{{ (form.dirty ? 'mail.testUnsaved' : 'mail.testSaved') | t }}</p>
          <div class="gch-actions">
            <button mat-stroked-button type="button" [disabled]="testing() || busy()" (click)="test()">{{ 'smtp.test' | t }}</button>
          </div>
          <div aria-live="polite">
            @if (testing()) {
              <p>{{ 'mail.testing' | t }}</p>
            } @else if (testResult(); as result) {
              <gch-connection-test-result [result]="result" />
            }
          </div>
        </mat-card-content>
      </mat-card>
    }
  `,
})
export class SmtpSettingsComponent {
  private readonly api = inject(MailApi);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18n);
  private readonly fb = inject(FormBuilder).nonNullable;

  protected readonly securityOptions = SECURITY_OPTIONS;
  protected readonly settings = rxResource({ stream: () => this.api.smtp() });
  protected readonly hasPassword = computed(() => this.settings.hasValue() && this.settings.value().hasPassword);
  protected readonly form = this.fb.group({
    host: ['', [Validators.required, Validators.pattern(HOST_PATTERN)]],
    security: ['starttls' as MailSecurity],
    port: this.fb.control<number | null>(SMTP_PORTS.starttls, [Validators.required, Validators.min(1), Validators.max(65535)]),
    username: ['', Validators.maxLength(254)],
    password: ['', Validators.maxLength(500)],
    fromAddress: ['', [Validators.required, Validators.email, Validators.maxLength(254)]],
    fromName: ['', Validators.maxLength(100)],
  });
  protected readonly busy = signal(false);
  protected readonly testing = signal(false);
  protected readonly testResult = signal<ConnectionTestResult | null>(null);

  constructor() {
    effect(() => {
      if (this.settings.hasValue()) this.fill(this.settings.value());
    });
  }

  protected securityChanged(security: MailSecurity): void {
    this.form.controls.port.setValue(portFor(SMTP_PORTS, security, this.form.controls.port.value));
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
      this.testResult.set(null);
      this.notifier.success(this.i18n.t('common.saved'));
    });
  }

  protected test(): void {
    this.testResult.set(null);
    runAction(this.testing, this.notifier, this.api.testSmtp(), (result) => this.testResult.set(result));
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
