import { HttpClient, HttpErrorResponse, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { ApiRoutes, type Me, type SessionResponse } from '@guichet/contracts';
import { firstValueFrom } from 'rxjs';
import { I18n } from '../i18n/i18n.service';
import { authInterceptor } from './auth.interceptor';
import { AuthStore } from './auth.store';

const me = {
  id: 'a1',
  email: 'marie.dupont@culture.gouv.fr',
  displayName: 'Marie Dupont',
  locale: 'fr',
  mustChangePassword: false,
  rights: [],
} as unknown as Me;

function session(accessToken: string): SessionResponse {
  return { accessToken, me } as SessionResponse;
}

describe('the API interceptor', () => {
  let http: HttpClient;
  let server: HttpTestingController;
  let store: AuthStore;
  let router: Router;
  let navigations: unknown[][];

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpClient);
    server = TestBed.inject(HttpTestingController);
    store = TestBed.inject(AuthStore);
    router = TestBed.inject(Router);
    navigations = [];
    jest.spyOn(router, 'navigate').mockImplementation((...args: unknown[]) => {
      navigations.push(args);
      return Promise.resolve(true);
    });
    store.setSession(session('old-token'));
  });

  afterEach(() => server.verify());

  it('sends the bearer token and the interface language to the API only', async () => {
    TestBed.inject(I18n).setLocale('en');
    const answer = firstValueFrom(http.get('/api/me'));
    const call = server.expectOne('/api/me');
    expect(call.request.headers.get('Authorization')).toBe('Bearer old-token');
    expect(call.request.headers.get('Accept-Language')).toBe('en');
    call.flush({});
    await answer;

    const outside = firstValueFrom(http.get('/assets/logo.svg'));
    const other = server.expectOne('/assets/logo.svg');
    expect(other.request.headers.has('Authorization')).toBe(false);
    other.flush('');
    await outside;
  });

  it('refreshes an expired session once and replays the call with the new token', async () => {
    const answer = firstValueFrom(http.get<{ ok: boolean }>('/api/tickets'));
    server.expectOne('/api/tickets').flush({ code: 'UNAUTHENTICATED' }, { status: 401, statusText: 'Unauthorized' });
    server.expectOne(ApiRoutes.refresh).flush(session('new-token'));
    const replay = server.expectOne('/api/tickets');
    expect(replay.request.headers.get('Authorization')).toBe('Bearer new-token');
    replay.flush({ ok: true });
    await expect(answer).resolves.toEqual({ ok: true });
  });

  it('logs out and sends to the login page, with the way back, when the refresh fails', async () => {
    const answer = firstValueFrom(http.get('/api/tickets'));
    server.expectOne('/api/tickets').flush(null, { status: 401, statusText: 'Unauthorized' });
    server.expectOne(ApiRoutes.refresh).flush(null, { status: 401, statusText: 'Unauthorized' });
    await expect(answer).rejects.toBeInstanceOf(HttpErrorResponse);
    expect(store.loggedIn()).toBe(false);
    expect(navigations).toEqual([[['/login'], { queryParams: { expired: 1, returnUrl: '/' } }]]);
  });

  it('takes a 401 of the login as an answer about the credentials, without a refresh', async () => {
    const answer = firstValueFrom(http.post(ApiRoutes.login, { email: 'x', password: 'y' }));
    server.expectOne(ApiRoutes.login).flush({ code: 'INVALID_CREDENTIALS', message: '' }, { status: 401, statusText: 'Unauthorized' });
    await expect(answer).rejects.toMatchObject({ status: 401 });
    server.expectNone(ApiRoutes.refresh);
    expect(navigations).toEqual([]);
  });

  it('sends to the password change page when the server requires a new password', async () => {
    const answer = firstValueFrom(http.get('/api/spaces'));
    server.expectOne('/api/spaces').flush({ code: 'PASSWORD_CHANGE_REQUIRED', message: '' }, { status: 403, statusText: 'Forbidden' });
    await expect(answer).rejects.toMatchObject({ status: 403 });
    expect(store.mustChangePassword()).toBe(true);
    expect(navigations).toEqual([[['/change-password']]]);
  });

  it('lets any other refusal through untouched', async () => {
    const answer = firstValueFrom(http.get('/api/spaces/x'));
    server.expectOne('/api/spaces/x').flush({ code: 'FORBIDDEN', message: '' }, { status: 403, statusText: 'Forbidden' });
    await expect(answer).rejects.toMatchObject({ status: 403 });
    expect(store.loggedIn()).toBe(true);
    expect(navigations).toEqual([]);
  });
});
