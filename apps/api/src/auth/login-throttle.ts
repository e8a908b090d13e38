import { Inject, Injectable } from '@nestjs/common';
import { sql } from '../common/sql';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import { Database } from '../database/database';

/**
 * What is counted: failed logins, or "forgot password" requests (each one counts, so that the
 * page cannot be used to flood an address with mail or to probe many addresses).
 */
export type ThrottleScope = 'login' | 'reset';

/**
 * Failed-login counters per email tried and per client address. Past the threshold each
 * further failure doubles the lock (base, 2x, 4x ... capped at one hour). Counters older than
 * an hour start again. Unknown emails are counted like known ones, so locks reveal nothing.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly db: Database,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  keys(email: string, ip: string | null, scope: ThrottleScope = 'login'): { account: string; ip: string } {
    // Login keys keep their original form; reset keys are apart, so one never locks the other.
    const prefix = scope === 'login' ? '' : `${scope}-`;
    return { account: `${prefix}email:${email.trim().toLowerCase()}`, ip: `${prefix}ip:${ip ?? 'unknown'}` };
  }

  /** Seconds until the next attempt is allowed, or 0. */
  async retryAfter(email: string, ip: string | null, scope: ThrottleScope = 'login'): Promise<number> {
    const k = this.keys(email, ip, scope);
    const row = await this.db.one<{ wait: number | null }>(sql`
      SELECT ceil(extract(epoch FROM max(locked_until) - now()))::int AS wait
        FROM login_throttle WHERE key IN (${k.account}, ${k.ip}) AND locked_until > now()`);
    return Math.max(row?.wait ?? 0, 0);
  }

  async failure(email: string, ip: string | null, scope: ThrottleScope = 'login'): Promise<void> {
    const k = this.keys(email, ip, scope);
    const { maxFailuresPerAccount, maxFailuresPerIp, lockBaseSeconds } = this.config.login;
    for (const [key, max] of [
      [k.account, maxFailuresPerAccount],
      [k.ip, maxFailuresPerIp],
    ] as const) {
      await this.db.query(sql`
        INSERT INTO login_throttle AS t (key, failures) VALUES (${key}, 1)
        ON CONFLICT (key) DO UPDATE SET
          failures = CASE WHEN t.last_failure_at < now() - interval '1 hour' AND (t.locked_until IS NULL OR t.locked_until < now())
                          THEN 1 ELSE t.failures + 1 END,
          first_failure_at = CASE WHEN t.last_failure_at < now() - interval '1 hour' THEN now() ELSE t.first_failure_at END,
          last_failure_at = now()`);
      await this.db.query(sql`
        UPDATE login_throttle
           SET locked_until = now() + make_interval(secs => least(3600, ${lockBaseSeconds}::int * power(2, failures - ${max}::int)))
         WHERE key = ${key} AND failures >= ${max}::int`);
    }
  }

  async success(email: string, ip: string | null): Promise<void> {
    // The address counter is kept: one good login must not wipe an attack from the same address.
    await this.db.query(sql`DELETE FROM login_throttle WHERE key = ${this.keys(email, ip).account}`);
  }
}
