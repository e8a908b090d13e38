import { HttpErrorResponse } from '@angular/common/http';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component, signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { PasswordFormComponent, type PasswordChoice } from './password-form.component';

@Component({
  imports: [PasswordFormComponent],
  template: `
    @if (askCurrent()) {
      <gch-password-form askCurrent submitLabel="password.submitChange" [failure]="failure()" (chosen)="chosen.push($event)">
        <a class="cancel" href="/account">Annuler</a>
      </gch-password-form>
    } @else {
      <gch-password-form submitLabel="password.resetSubmit" [failure]="failure()" (chosen)="chosen.push($event)" />
    }
  `,
})
class Host {
  readonly askCurrent = signal(true);
  readonly failure = signal<unknown>(null);
  readonly chosen: PasswordChoice[] = [];
}

describe('the new password form', () => {
  let fixture: ComponentFixture<Host>;
  let host: Host;
  const element = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const type = (name: string, value: string): void => {
    const input = element().querySelector<HTMLInputElement>(`input[formcontrolname="${name}"]`);
    if (!input) throw new Error(`no field ${name}`);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };
  const submit = async (): Promise<void> => {
    element().querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
    await fixture.whenStable();
  };
  const errors = (): string[] => [...element().querySelectorAll('mat-error')].map((error) => error.textContent?.trim() ?? '');

  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    fixture = TestBed.createComponent(Host);
    host = fixture.componentInstance;
    await fixture.whenStable();
  });

  afterEach(() => {
    // The strength check asks the server for the policy; this test does not need its answer.
    TestBed.inject(HttpTestingController).match(() => true);
  });

  it('asks for the current password, the new one and its confirmation, with the page’s own actions', () => {
    const labels = [...element().querySelectorAll('mat-label')].map((label) => label.textContent?.trim());
    expect(labels).toEqual(['Mot de passe actuel', 'Nouveau mot de passe', 'Confirmation du nouveau mot de passe']);
    expect(element().querySelector('.gch-actions .cancel')?.textContent).toBe('Annuler');
    expect(element().querySelector('button[type="submit"]')?.textContent?.trim()).toBe('Changer le mot de passe');
  });

  it('sends nothing while a field is empty or the confirmation differs', async () => {
    await submit();
    expect(errors()).toEqual(['Ce champ est obligatoire.', 'Ce champ est obligatoire.', 'Ce champ est obligatoire.']);
    type('currentPassword', 'Ancien-Mot-De-Passe-1');
    type('newPassword', 'Goelette-Paprika-Beffroi-63!');
    type('confirmPassword', 'Goelette-Paprika-Beffroi-64!');
    await submit();
    expect(errors()).toEqual(['Les deux mots de passe ne sont pas identiques.']);
    expect(host.chosen).toEqual([]);
  });

  it('checks the confirmation again when the new password changes', async () => {
    type('currentPassword', 'Ancien-Mot-De-Passe-1');
    type('confirmPassword', 'Goelette-Paprika-Beffroi-63!');
    type('newPassword', 'Goelette-Paprika-Beffroi-63!');
    await submit();
    expect(host.chosen).toEqual([{ currentPassword: 'Ancien-Mot-De-Passe-1', newPassword: 'Goelette-Paprika-Beffroi-63!' }]);
  });

  it('needs no current password on a reset link', async () => {
    host.askCurrent.set(false);
    await fixture.whenStable();
    expect(element().querySelector('input[formcontrolname="currentPassword"]')).toBeNull();
    type('newPassword', 'Goelette-Paprika-Beffroi-63!');
    type('confirmPassword', 'Goelette-Paprika-Beffroi-63!');
    await submit();
    expect(host.chosen).toEqual([{ currentPassword: '', newPassword: 'Goelette-Paprika-Beffroi-63!' }]);
  });

  it('shows the server’s refusal with its reasons', async () => {
    host.failure.set(new HttpErrorResponse({ status: 400, error: { code: 'PASSWORD_TOO_WEAK', message: '', details: ['Trop court.', 'Trop courant.'] } }));
    await fixture.whenStable();
    const alert = element().querySelector('[role="alert"]');
    expect(alert?.querySelector('p')?.textContent).toBe('Ce mot de passe est trop faible.');
    expect([...(alert?.querySelectorAll('li') ?? [])].map((item) => item.textContent)).toEqual(['Trop court.', 'Trop courant.']);
  });
});
