import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { ApiRoutes, type ResetLinkInfo } from '@guichet/contracts';
import { ResetPasswordComponent } from './reset-password.component';

describe('the page of an activation or reset link', () => {
  let fixture: ComponentFixture<ResetPasswordComponent>;
  let http: HttpTestingController;
  const text = (): string => (fixture.nativeElement as HTMLElement).textContent ?? '';

  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])] });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ResetPasswordComponent);
    fixture.componentRef.setInput('token', 'abc.def');
    // Not whenStable(): the page is not stable until the link's request is answered.
    fixture.detectChanges();
    await Promise.resolve();
    fixture.detectChanges();
  });

  afterEach(() => http.verify());

  it('names the account an activation link opens before the password is chosen', async () => {
    const request = http.expectOne(ApiRoutes.resetLink);
    expect(request.request.body).toEqual({ token: 'abc.def' });
    request.flush({
      email: 'camille@example.test',
      displayName: 'Camille Martin',
      purpose: 'activation',
      expiresAt: '2026-12-10T10:00:00Z',
    } satisfies ResetLinkInfo);
    fixture.detectChanges();
    await Promise.resolve();
    fixture.detectChanges();
    // The password form asks for the policy it shows.
    http.expectOne(ApiRoutes.passwordPolicy).flush({ minLength: 12, minScore: 3 });
    await fixture.whenStable();
    expect(text()).toContain('Activer votre compte');
    expect(text()).toContain('Ce lien active le compte Camille Martin (camille@example.test)');
    expect((fixture.nativeElement as HTMLElement).querySelector('input[type="password"]')).not.toBeNull();
  });

  it('says a used or expired link is no longer valid, with no password form', async () => {
    http
      .expectOne(ApiRoutes.resetLink)
      .flush({ statusCode: 400, code: 'RESET_LINK_INVALID', message: 'This link is invalid.' }, { status: 400, statusText: 'Bad Request' });
    await fixture.whenStable();
    expect(text()).toContain('Ce lien n’est plus valide');
    expect(text()).toContain('Choisir votre mot de passe');
    expect((fixture.nativeElement as HTMLElement).querySelector('input[type="password"]')).toBeNull();
  });
});
