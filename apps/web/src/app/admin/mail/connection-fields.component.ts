import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { ControlContainer, FormControl, ReactiveFormsModule, Validators, type FormGroup } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { MailSecurity } from '@guichet/contracts';
import type { TranslationKey } from '../../core/i18n/dictionary';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { HOST_PATTERN, SECURITY_OPTIONS, portFor } from './mail-labels';

/** The controls of a mail server connection, shared by the mailboxes (IMAP) and the outgoing server (SMTP). */
export interface ConnectionControls {
  host: FormControl<string>;
  security: FormControl<MailSecurity>;
  port: FormControl<number | null>;
  username: FormControl<string>;
  password: FormControl<string>;
}

/** An outgoing server may take mail without a login: its username is then optional. */
export function connectionControls(ports: Record<MailSecurity, number>, security: MailSecurity, options: { usernameRequired: boolean }): ConnectionControls {
  const username = [Validators.maxLength(254)];
  if (options.usernameRequired) username.unshift(Validators.required);
  return {
    host: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.pattern(HOST_PATTERN)] }),
    security: new FormControl(security, { nonNullable: true }),
    port: new FormControl<number | null>(ports[security], [Validators.required, Validators.min(1), Validators.max(65535)]),
    username: new FormControl('', { nonNullable: true, validators: username }),
    password: new FormControl('', { nonNullable: true, validators: Validators.maxLength(500) }),
  };
}

/**
 * Host, security, port, username and password of a mail server, inside the form of the page
 * (its controls made by `connectionControls`). Changing the security moves a default port along.
 */
@Component({
  selector: 'gch-connection-fields',
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, MatSelectModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  // The fields join the page's form rather than a form of their own.
  viewProviders: [{ provide: ControlContainer, useFactory: () => inject(ControlContainer, { skipSelf: true }) }],
  templateUrl: './connection-fields.component.html',
  styleUrl: './connection-fields.component.scss',
})
export class ConnectionFieldsComponent {
  private readonly container = inject(ControlContainer);

  /** Usual port of each security mode. */
  readonly ports = input.required<Record<MailSecurity, number>>();
  /** A password is stored: an empty field keeps it. */
  readonly hasPassword = input(false);
  /** Set where the username is optional: the hint that says when to leave it empty. */
  readonly usernameHint = input<TranslationKey>();

  protected readonly securityOptions = SECURITY_OPTIONS;

  protected get controls(): ConnectionControls {
    return (this.container.control as FormGroup<ConnectionControls>).controls;
  }

  protected securityChanged(security: MailSecurity): void {
    const port = this.controls.port;
    port.setValue(portFor(this.ports(), security, port.value));
  }
}
