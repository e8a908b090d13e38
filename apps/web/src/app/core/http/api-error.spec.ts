import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { I18n } from '../i18n/i18n.service';
import { describeError, errorBody, errorCode, errorDetails } from './api-error';

function failure(status: number, body: unknown, headers?: Record<string, string>): HttpErrorResponse {
  return new HttpErrorResponse({ status, error: body, headers: new HttpHeaders(headers) });
}

describe('API errors as the user reads them', () => {
  let i18n: I18n;

  beforeEach(() => {
    localStorage.clear();
    i18n = TestBed.inject(I18n);
  });

  it('words a contract error code in the interface language', () => {
    const error = failure(404, { code: 'NOT_FOUND', message: 'not found' });
    expect(describeError(error, i18n)).toBe('Cet élément n’existe pas ou ne vous est pas accessible.');
    i18n.setLocale('en');
    expect(describeError(error, i18n)).toBe('This item does not exist or is not available to you.');
  });

  it('says how long to wait after too many logins, from Retry-After or one minute', () => {
    const throttled = { code: 'LOGIN_THROTTLED', message: 'slow down' };
    expect(describeError(failure(429, throttled, { 'Retry-After': '1' }), i18n)).toBe('Trop de tentatives de connexion. Réessayez dans 1 seconde.');
    expect(describeError(failure(429, throttled, { 'Retry-After': '12.2' }), i18n)).toBe('Trop de tentatives de connexion. Réessayez dans 13 secondes.');
    expect(describeError(failure(429, throttled), i18n)).toBe('Trop de tentatives de connexion. Réessayez dans 60 secondes.');
  });

  it('tells a network failure from an answer that does not follow the contract', () => {
    expect(describeError(failure(0, new ProgressEvent('error')), i18n)).toBe('Le serveur ne répond pas. Vérifiez votre connexion et réessayez.');
    expect(describeError(failure(502, '<html>Bad gateway</html>'), i18n)).toBe('Une erreur s’est produite (code 502).');
    // A code that the contracts do not know is not trusted as one.
    expect(errorBody(failure(400, { code: 'SOMETHING_ELSE', message: 'x' }))).toBeNull();
    expect(describeError(failure(400, { code: 'SOMETHING_ELSE' }), i18n)).toBe('Une erreur s’est produite (code 400).');
  });

  it('falls back to the generic sentence for a failure that is not an HTTP one', () => {
    expect(describeError(new TypeError('boom'), i18n)).toBe('Une erreur inattendue s’est produite. Réessayez plus tard.');
  });

  it('reads through the Error that signal resources wrap around an HTTP failure', () => {
    const wrapped = new Error('Resource failed', { cause: failure(403, { code: 'PASSWORD_CHANGE_REQUIRED', message: '' }) });
    expect(errorCode(wrapped)).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(describeError(wrapped, i18n)).toBe('Vous devez d’abord changer votre mot de passe.');
  });

  it('lists the field problems the server gave, and none otherwise', () => {
    const weak = failure(400, { code: 'PASSWORD_TOO_WEAK', message: 'weak', details: ['Trop court', 'Trop courant'] });
    expect(errorDetails(weak)).toEqual(['Trop court', 'Trop courant']);
    expect(errorDetails(failure(500, null))).toEqual([]);
  });
});
