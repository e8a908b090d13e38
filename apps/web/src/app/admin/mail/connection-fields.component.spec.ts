import { Component, signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { FormGroup, ReactiveFormsModule } from '@angular/forms';
import { By } from '@angular/platform-browser';
import type { TranslationKey } from '../../core/i18n/dictionary';
import { ConnectionFieldsComponent, connectionControls } from './connection-fields.component';
import { IMAP_PORTS, SMTP_PORTS } from './mail-labels';

@Component({
  imports: [ReactiveFormsModule, ConnectionFieldsComponent],
  template: `
    <form [formGroup]="form">
      <gch-connection-fields [ports]="ports" [hasPassword]="hasPassword()" [usernameHint]="hint()" />
    </form>
  `,
})
class Host {
  readonly ports = IMAP_PORTS;
  readonly form = new FormGroup(connectionControls(IMAP_PORTS, 'tls', { usernameRequired: true }));
  readonly hasPassword = signal(false);
  readonly hint = signal<TranslationKey | undefined>(undefined);
}

describe('the connection fields of a mail server', () => {
  let fixture: ComponentFixture<Host>;
  let host: Host;
  const element = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const labels = (): string[] => [...element().querySelectorAll('mat-label')].map((label) => (label.textContent ?? '').replace(/\s+/g, ' ').trim());

  beforeEach(async () => {
    localStorage.clear();
    fixture = TestBed.createComponent(Host);
    host = fixture.componentInstance;
    await fixture.whenStable();
  });

  it('bind to the page form, with the port of the chosen security', () => {
    expect(labels()).toEqual(['Serveur', 'Sécurité de la connexion', 'Port', 'Identifiant', 'Mot de passe']);
    expect(host.form.controls.port.value).toBe(993);
    const input = element().querySelector<HTMLInputElement>('input[formcontrolname="host"]');
    if (!input) throw new Error('no host field');
    input.value = 'imap.culture.gouv.fr';
    input.dispatchEvent(new Event('input'));
    expect(host.form.controls.host.value).toBe('imap.culture.gouv.fr');
  });

  it('refuse a host with spaces, and a username left empty where it is required', () => {
    host.form.patchValue({ host: 'imap culture', username: '' });
    expect(host.form.controls.host.hasError('pattern')).toBe(true);
    expect(host.form.controls.username.hasError('required')).toBe(true);
  });

  it('move a default port along with the security, and keep a port the administrator typed', () => {
    const component = fixture.debugElement.query(By.directive(ConnectionFieldsComponent)).componentInstance as unknown as {
      securityChanged(security: string): void;
    };
    component.securityChanged('starttls');
    expect(host.form.controls.port.value).toBe(143);
    host.form.controls.port.setValue(10993);
    component.securityChanged('tls');
    expect(host.form.controls.port.value).toBe(10993);
  });

  it('mark the username optional, with its hint, for an outgoing server', async () => {
    const smtp = new FormGroup(connectionControls(SMTP_PORTS, 'starttls', { usernameRequired: false }));
    expect(smtp.controls.port.value).toBe(587);
    smtp.controls.username.setValue('');
    expect(smtp.controls.username.valid).toBe(true);

    host.hint.set('smtp.usernameHint');
    await fixture.whenStable();
    expect(labels()).toContain('Identifiant (facultatif)');
    expect(element().querySelector('input[formcontrolname="username"]')?.hasAttribute('required')).toBe(false);
  });

  it('say that an empty password keeps the stored one', async () => {
    expect(element().textContent).not.toContain('Laisser vide pour conserver le mot de passe enregistré.');
    host.hasPassword.set(true);
    await fixture.whenStable();
    expect(element().textContent).toContain('Laisser vide pour conserver le mot de passe enregistré.');
  });
});
