import { Injectable } from '@nestjs/common';
import type { Mailbox, MailboxRoute, MailSecurity, SmtpSettings } from '@guichet/contracts';
import { raw, sql, type Sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';

/** A mailbox with its sealed password, for the poller. */
export interface MailboxRecord extends Mailbox {
  passwordSealed: Buffer | null;
  defaultProjectId: string | null;
}

export interface SmtpRecord extends SmtpSettings {
  passwordSealed: Buffer | null;
}

interface MailboxRow {
  id: string;
  name: string;
  host: string;
  port: number;
  security: MailSecurity;
  username: string;
  password_enc: Buffer | null;
  inbox_folder: string;
  processed_folder: string;
  error_folder: string;
  default_project_id: string | null;
  default_project_key: string | null;
  active: boolean;
  last_polled_at: Date | null;
  last_error: string | null;
  routes: MailboxRoute[];
}

const SELECT_MAILBOX = sql`
  SELECT m.*, dp.key AS default_project_key,
         COALESCE((SELECT json_agg(json_build_object('address', r.address, 'projectKey', p.key) ORDER BY r.address)
                     FROM mailbox_routes r JOIN projects p ON p.id = r.project_id WHERE r.mailbox_id = m.id), '[]') AS routes
    FROM mailboxes m LEFT JOIN projects dp ON dp.id = m.default_project_id`;

/**
 * SQL condition: the mailbox row `alias` delivers only to projects matching `visibleProject`, a
 * condition on the projects row `p` (AccessPolicy.projectCondition): its default project and the
 * project of each route.
 */
export function mailboxReachCondition(alias: string, visibleProject: Sql): Sql {
  const m = raw(alias);
  return sql`NOT EXISTS (
    SELECT 1 FROM projects p
     WHERE (p.id = ${m}.default_project_id OR p.id IN (SELECT r.project_id FROM mailbox_routes r WHERE r.mailbox_id = ${m}.id))
       AND NOT (${visibleProject}))`;
}

@Injectable()
export class MailSettingsRepository {
  private smtpCache?: { at: number; settings: Promise<SmtpRecord | undefined> };

  constructor(private readonly db: Database) {}

  /** `reach`: a condition on the mailbox row `m` (mailboxReachCondition); every mailbox without it. */
  async mailboxes(reach: Sql = sql`TRUE`): Promise<MailboxRecord[]> {
    return (await this.db.query<MailboxRow>(sql`${SELECT_MAILBOX} WHERE ${reach} ORDER BY lower(m.name)`)).map(toMailbox);
  }

  async mailbox(id: string, reach: Sql = sql`TRUE`, tx: Queryable = this.db): Promise<MailboxRecord | undefined> {
    const row = await tx.one<MailboxRow>(sql`${SELECT_MAILBOX} WHERE m.id = ${id} AND ${reach}`);
    return row && toMailbox(row);
  }

  async nameTaken(name: string, exceptId: string | null, tx: Queryable): Promise<boolean> {
    return (await tx.one(sql`SELECT 1 FROM mailboxes WHERE lower(name) = lower(${name}) AND id IS DISTINCT FROM ${exceptId}::uuid`)) !== undefined;
  }

  async save(
    id: string | null,
    m: {
      name: string;
      host: string;
      port: number;
      security: MailSecurity;
      username: string;
      passwordSealed?: Buffer;
      inboxFolder: string;
      processedFolder: string;
      errorFolder: string;
      defaultProjectId: string | null;
      active: boolean;
    },
    tx: Queryable,
  ): Promise<string> {
    if (!id) {
      const row = await tx.one<{ id: string }>(sql`
        INSERT INTO mailboxes (name, host, port, security, username, password_enc, inbox_folder, processed_folder, error_folder, default_project_id, active)
        VALUES (${m.name}, ${m.host}, ${m.port}, ${m.security}, ${m.username}, ${m.passwordSealed ?? null}, ${m.inboxFolder}, ${m.processedFolder},
                ${m.errorFolder}, ${m.defaultProjectId}, ${m.active})
        RETURNING id`);
      return row!.id;
    }
    await tx.query(sql`
      UPDATE mailboxes SET name = ${m.name}, host = ${m.host}, port = ${m.port}, security = ${m.security}, username = ${m.username},
             password_enc = COALESCE(${m.passwordSealed ?? null}::bytea, password_enc), inbox_folder = ${m.inboxFolder},
             processed_folder = ${m.processedFolder}, error_folder = ${m.errorFolder}, default_project_id = ${m.defaultProjectId},
             active = ${m.active}, updated_at = now()
       WHERE id = ${id}`);
    return id;
  }

  async replaceRoutes(mailboxId: string, routes: { address: string; projectId: string }[], tx: Queryable): Promise<void> {
    await tx.query(sql`DELETE FROM mailbox_routes WHERE mailbox_id = ${mailboxId}`);
    for (const r of routes) {
      await tx.query(sql`INSERT INTO mailbox_routes (mailbox_id, address, project_id) VALUES (${mailboxId}, ${r.address}, ${r.projectId})`);
    }
  }

  async delete(id: string, tx: Queryable): Promise<boolean> {
    return (await tx.query(sql`DELETE FROM mailboxes WHERE id = ${id} RETURNING id`)).length > 0;
  }

  async recordPoll(id: string, error: string | null): Promise<void> {
    await this.db.query(sql`UPDATE mailboxes SET last_polled_at = now(), last_error = ${error?.slice(0, 1000) ?? null} WHERE id = ${id}`);
  }

  async smtp(): Promise<SmtpRecord | undefined> {
    const row = await this.db.one<{
      host: string;
      port: number;
      security: MailSecurity;
      username: string;
      password_enc: Buffer | null;
      from_address: string;
      from_name: string;
    }>(sql`SELECT * FROM smtp_settings WHERE id = 1`);
    return (
      row && {
        host: row.host,
        port: row.port,
        security: row.security,
        username: row.username,
        hasPassword: row.password_enc !== null,
        passwordSealed: row.password_enc,
        fromAddress: row.from_address,
        fromName: row.from_name,
        configured: true,
      }
    );
  }

  /**
   * The SMTP settings read at most `maxAgeMs` ago: the sender needs them for every mail. A save
   * by this process drops the copy; one by another process applies within `maxAgeMs`. "Not
   * configured" is never kept, so mail starts to flow as soon as a server is set.
   */
  smtpRecent(maxAgeMs = 5000): Promise<SmtpRecord | undefined> {
    if (!this.smtpCache || Date.now() - this.smtpCache.at > maxAgeMs) {
      const cache = { at: Date.now(), settings: this.smtp() };
      this.smtpCache = cache;
      const forget = () => {
        if (this.smtpCache === cache) this.smtpCache = undefined;
      };
      void cache.settings.then((settings) => settings ?? forget(), forget);
    }
    return this.smtpCache.settings;
  }

  async saveSmtp(
    s: { host: string; port: number; security: MailSecurity; username: string; passwordSealed?: Buffer; fromAddress: string; fromName: string },
    tx: Queryable,
  ): Promise<void> {
    await tx.query(sql`
      INSERT INTO smtp_settings (id, host, port, security, username, password_enc, from_address, from_name)
      VALUES (1, ${s.host}, ${s.port}, ${s.security}, ${s.username}, ${s.passwordSealed ?? null}, ${s.fromAddress}, ${s.fromName})
      ON CONFLICT (id) DO UPDATE SET host = EXCLUDED.host, port = EXCLUDED.port, security = EXCLUDED.security, username = EXCLUDED.username,
        password_enc = COALESCE(EXCLUDED.password_enc, smtp_settings.password_enc), from_address = EXCLUDED.from_address,
        from_name = EXCLUDED.from_name, updated_at = now()`);
    this.smtpCache = undefined;
  }
}

function toMailbox(r: MailboxRow): MailboxRecord {
  return {
    id: r.id,
    name: r.name,
    host: r.host,
    port: r.port,
    security: r.security,
    username: r.username,
    hasPassword: r.password_enc !== null,
    passwordSealed: r.password_enc,
    inboxFolder: r.inbox_folder,
    processedFolder: r.processed_folder,
    errorFolder: r.error_folder,
    defaultProjectId: r.default_project_id,
    defaultProjectKey: r.default_project_key,
    routes: r.routes,
    active: r.active,
    lastPolledAt: r.last_polled_at?.toISOString() ?? null,
    lastError: r.last_error,
  };
}
