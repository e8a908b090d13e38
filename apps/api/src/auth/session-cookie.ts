import type { CookieOptions, Request, Response } from 'express';

export const REFRESH_COOKIE = 'guichet_refresh';

export function refreshCookieOptions(secure: boolean, ttlDays: number): CookieOptions {
  return { httpOnly: true, secure, sameSite: 'strict', path: '/api/auth', maxAge: ttlDays * 24 * 3600 * 1000 };
}

export function setRefreshCookie(res: Response, token: string, secure: boolean, ttlDays: number): void {
  res.cookie(REFRESH_COOKIE, token, refreshCookieOptions(secure, ttlDays));
}

export function clearRefreshCookie(res: Response, secure: boolean): void {
  res.clearCookie(REFRESH_COOKIE, { httpOnly: true, secure, sameSite: 'strict', path: '/api/auth' });
}

export function readRefreshCookie(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === REFRESH_COOKIE) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
