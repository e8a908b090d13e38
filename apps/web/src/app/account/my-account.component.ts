import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, viewChildren } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormBuilder, FormGroupDirective, ReactiveFormsModule, Validators, type AbstractControl, type ValidationErrors } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import {
  IN_APP_KINDS,
  NOTIFICATION_EVENTS,
  type ApiToken,
  type CreatedApiToken,
  type InAppKind,
  type Locale,
  type NotificationEvent,
} from '@guichet/contracts';
import { switchMap } from 'rxjs';
import { MeApi } from '../core/api/me.api';
import { NotificationsApi } from '../core/api/notifications.api';
import { AuthStore } from '../core/auth/auth.store';
import { describeError } from '../core/http/api-error';
import { notificationEventKey, type TranslationKey } from '../core/i18n/dictionary';
import { I18n } from '../core/i18n/i18n.service';
import { DateTimePipe, TranslatePipe } from '../core/i18n/t.pipe';
import { Confirmation } from '../shared/confirm-dialog.component';
import { CopyFieldComponent } from '../shared/copy-field.component';
import { Notifier } from '../shared/notifier';
import { ProfileNamePipe } from '../shared/profile-name.pipe';
import { resetSubmittedForm } from '../shared/form-reset';
import { runAction } from '../shared/run-action';
import { ListFrameComponent, ListRowsDirective } from '../shared/list-frame.component';

/** International numbers as the API accepts them (E.164): + then up to 15 digits. */
const E164 = /^\+[1-9][0-9]{6,14}$/;

/** Spaces, dots, dashes and brackets people type in phone numbers; the API wants digits only. */
function normalizePhone(value: string): string {
  return value.replace(/[\s.()-]/g, '');
}

function e164(control: AbstractControl<string>): ValidationErrors | null {
  const value = normalizePhone(control.value ?? '');
  return value === '' || E164.test(value) ? null : { e164: true };
}

/** "Mon compte": name and language, email notifications and alert phone, password change, personal API tokens. */
@Component({
  selector: 'gch-my-account',
  imports: [
    ListFrameComponent,
    ListRowsDirective,
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatTableModule,
    TranslatePipe,
    DateTimePipe,
    ProfileNamePipe,
    CopyFieldComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './my-account.component.html',
  styleUrl: './my-account.component.scss',
})
export class MyAccountComponent {
  private readonly api = inject(MeApi);
  private readonly store = inject(AuthStore);
  private readonly notifier = inject(Notifier);
  private readonly confirmation = inject(Confirmation);
  private readonly i18n = inject(I18n);
  private readonly fb = inject(FormBuilder).nonNullable;

  protected readonly me = this.store.me;
  protected readonly tokens = rxResource({ stream: () => this.api.tokens() });
  protected readonly tokenColumns = ['name', 'prefix', 'createdAt', 'expiresAt', 'lastUsedAt', 'actions'];

  protected readonly profileForm = this.fb.group({
    displayName: ['', [Validators.required, Validators.maxLength(200)]],
    locale: ['fr' as Locale],
  });
  protected readonly events = NOTIFICATION_EVENTS.map((code) => ({ code, label: notificationEventKey(code) }));
  protected readonly inAppKinds = IN_APP_KINDS.map((code) => ({ code, label: IN_APP_LABELS[code] }));
  private readonly notificationsApi = inject(NotificationsApi);
  protected readonly notificationsForm = this.fb.group({
    notifyOn: this.fb.group(eventFlags([])),
    inApp: this.fb.group(inAppFlags(IN_APP_KINDS)),
    mobilePhone: ['', e164],
  });
  /** The saved preferences, compared by value so that saving the profile does not reset this form. */
  private readonly preferences = computed(
    () => {
      const me = this.me();
      return me ? { notifyOn: me.notifyOn, mobilePhone: me.mobilePhone } : null;
    },
    { equal: (a, b) => JSON.stringify(a) === JSON.stringify(b) },
  );
  protected readonly tokenForm = this.fb.group({
    name: ['', [Validators.required, Validators.maxLength(100)]],
    expiresInDays: this.fb.control<number | null>(90, [Validators.min(1), Validators.max(3650)]),
  });
  protected readonly busy = signal(false);
  private readonly formDirectives = viewChildren(FormGroupDirective);
  protected readonly createdToken = signal<CreatedApiToken | null>(null);

  constructor() {
    effect(() => {
      const me = this.me();
      if (me) this.profileForm.reset({ displayName: me.displayName, locale: me.locale });
    });
    effect(() => {
      const preferences = this.preferences();
      if (preferences) {
        this.notificationsForm.patchValue({ notifyOn: eventFlags(preferences.notifyOn), mobilePhone: preferences.mobilePhone ?? '' });
      }
    });
    this.notificationsApi.preferences().subscribe({
      next: (saved) => this.notificationsForm.controls.inApp.reset(inAppFlags(saved.inApp)),
      error: (error: unknown) => this.notifier.error(error),
    });
  }

  protected saveNotifications(): void {
    const phone = this.notificationsForm.controls.mobilePhone;
    phone.setValue(normalizePhone(phone.value));
    if (this.notificationsForm.invalid) {
      this.notificationsForm.markAllAsTouched();
      return;
    }
    const { notifyOn, inApp, mobilePhone } = this.notificationsForm.getRawValue();
    const events = NOTIFICATION_EVENTS.filter((event) => notifyOn[event]);
    const kinds = IN_APP_KINDS.filter((kind) => inApp[kind]);
    const saved = this.notificationsApi
      .setPreferences({ inApp: kinds })
      .pipe(switchMap(() => this.api.update({ notifyOn: events, mobilePhone: mobilePhone || null })));
    runAction(this.busy, this.notifier, saved, (me) => {
      this.store.setMe(me);
      this.notifier.success(this.i18n.t('common.saved'));
    });
  }

  protected saveProfile(): void {
    if (this.profileForm.invalid) {
      this.profileForm.markAllAsTouched();
      return;
    }
    const { displayName, locale } = this.profileForm.getRawValue();
    runAction(this.busy, this.notifier, this.api.update({ displayName: displayName.trim(), locale }), (me) => {
      this.store.setMe(me);
      this.i18n.setLocale(me.locale);
      this.notifier.success(this.i18n.t('common.saved'));
    });
  }

  protected createToken(): void {
    if (this.tokenForm.invalid) {
      this.tokenForm.markAllAsTouched();
      return;
    }
    const { name, expiresInDays } = this.tokenForm.getRawValue();
    runAction(this.busy, this.notifier, this.api.createToken({ name: name.trim(), expiresInDays: expiresInDays ?? undefined }), (token) => {
      this.createdToken.set(token);
      resetSubmittedForm(this.tokenForm, this.formDirectives());
      this.tokens.reload();
    });
  }

  protected revoke(token: ApiToken): void {
    this.confirmation
      .ask({
        title: this.i18n.t('myAccount.tokenRevoke', { name: token.name }),
        message: this.i18n.t('myAccount.tokenRevokeConfirm', { name: token.name }),
        confirm: this.i18n.t('common.confirm'),
      })
      .subscribe((yes) => {
        if (!yes) return;
        runAction(this.busy, this.notifier, this.api.revokeToken(token.id), () => {
          this.notifier.success(this.i18n.t('myAccount.tokenRevoked'));
          if (this.createdToken()?.id === token.id) this.createdToken.set(null);
          this.tokens.reload();
        });
      });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}

/** One flag per notification event, ticked when the event is in `chosen`. */
/** The bell's kinds, as "Mon compte" names them. */
const IN_APP_LABELS: Record<InAppKind, TranslationKey> = {
  new_ticket: 'myAccount.inAppNewTicket',
  public_reply: 'myAccount.inAppReply',
  assigned: 'myAccount.inAppAssigned',
  mention: 'myAccount.inAppMention',
};

function inAppFlags(chosen: readonly string[]): Record<InAppKind, boolean> {
  return Object.fromEntries(IN_APP_KINDS.map((kind) => [kind, chosen.includes(kind)])) as Record<InAppKind, boolean>;
}

function eventFlags(chosen: readonly string[]): Record<NotificationEvent, boolean> {
  return Object.fromEntries(NOTIFICATION_EVENTS.map((event) => [event, chosen.includes(event)])) as Record<NotificationEvent, boolean>;
}
