import { Component, signal, viewChild } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { ConnectionTestResult } from '@guichet/contracts';
import { Subject } from 'rxjs';
import { ConnectionTestComponent } from './connection-test.component';

@Component({
  imports: [ConnectionTestComponent],
  template: `<gch-connection-test heading="smtp.testTitle" action="smtp.test" [run]="run" [unsaved]="unsaved()" />`,
})
class Host {
  readonly answers = new Subject<ConnectionTestResult>();
  readonly calls = signal(0);
  readonly unsaved = signal(false);
  readonly card = viewChild.required(ConnectionTestComponent);
  readonly run = () => {
    this.calls.update((n) => n + 1);
    return this.answers;
  };
}

describe('the connection test card', () => {
  let fixture: ComponentFixture<Host>;
  let host: Host;
  const element = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const button = (): HTMLButtonElement => {
    const found = element().querySelector<HTMLButtonElement>('button');
    if (!found) throw new Error('no button');
    return found;
  };

  beforeEach(async () => {
    localStorage.clear();
    fixture = TestBed.createComponent(Host);
    host = fixture.componentInstance;
    await fixture.whenStable();
  });

  it('says that the test reads the saved settings, and first to save pending changes', async () => {
    expect(element().querySelector('h3')?.textContent).toBe('Test du serveur d’envoi');
    expect(element().textContent).toContain('Le test utilise les paramètres enregistrés.');
    host.unsaved.set(true);
    await fixture.whenStable();
    expect(element().textContent).toContain('Enregistrez d’abord vos modifications');
  });

  it('runs the test once at a time and shows each step, until the settings are saved again', async () => {
    button().click();
    await fixture.whenStable();
    expect(host.calls()).toBe(1);
    expect(button().disabled).toBe(true);
    expect(element().textContent).toContain('Test en cours…');

    host.answers.next({ ok: true, steps: [{ step: 'connect-and-login', ok: true }] });
    await fixture.whenStable();
    expect(button().disabled).toBe(false);
    expect(element().textContent).toContain('Test réussi.');
    expect(element().textContent).toContain('Connexion au serveur et authentification');

    host.card().clear();
    await fixture.whenStable();
    expect(element().textContent).not.toContain('Test réussi.');
  });
});
