import { Inject, Injectable } from '@nestjs/common';
import type { ConnectionTestResult, Mailbox, SaveMailboxRequest, SaveSmtpSettingsRequest, SmtpSettings } from '@guichet/contracts';
import { AccessPolicy } from '../access/access-policy';
import type { AuthenticatedContext, Principal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors';
import { SecretBox } from '../common/secret-box';
import type { Sql } from '../common/sql';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import { Database, type Queryable } from '../database/database';
import { ProjectsRepository } from '../projects/projects.repository';
import { MailConnections } from './mail-connections';
import { mailboxReachCondition, type MailboxRecord, MailSettingsRepository } from './mail-settings.repository';

/** Mailboxes and SMTP settings (R3.1, R3.4): administrators with mail.manage; passwords sealed at rest. */
@Injectable()
export class MailSettingsService {
  readonly box: SecretBox;

  constructor(
    private readonly db: Database,
    private readonly repo: MailSettingsRepository,
    private readonly projects: ProjectsRepository,
    private readonly connections: MailConnections,
    private readonly policy: AccessPolicy,
    private readonly audit: AuditService,
    @Inject(RUNTIME_CONFIG) config: RuntimeConfig,
  ) {
    this.box = new SecretBox(config.secretsKey);
  }

  async list(ctx: AuthenticatedContext): Promise<Mailbox[]> {
    return (await this.repo.mailboxes(this.reach(ctx.principal))).map(publicMailbox);
  }

  async get(ctx: AuthenticatedContext, id: string): Promise<Mailbox> {
    return publicMailbox(await this.record(ctx, id));
  }

  async save(ctx: AuthenticatedContext, id: string | null, req: SaveMailboxRequest): Promise<Mailbox> {
    const saved = await this.db.transaction(async (tx) => {
      if (id) await this.record(ctx, id, tx);
      else if (!req.password) throw new ValidationError('A new mailbox needs its password.');
      if (await this.repo.nameTaken(req.name, id, tx)) throw new ConflictError('CONFLICT', 'A mailbox with this name already exists.');
      const defaultProjectId = req.defaultProjectKey ? await this.projectId(ctx.principal, req.defaultProjectKey, tx) : null;
      const routes = [];
      for (const r of req.routes ?? [])
        routes.push({ address: r.address.trim().toLowerCase(), projectId: await this.projectId(ctx.principal, r.projectKey, tx) });
      if (new Set(routes.map((r) => r.address)).size !== routes.length) throw new ValidationError('Each address may be routed once.');
      const mailboxId = await this.repo.save(
        id,
        {
          name: req.name.trim(),
          host: req.host,
          port: req.port,
          security: req.security,
          username: req.username,
          passwordSealed: req.password ? this.box.seal(req.password) : undefined,
          inboxFolder: req.inboxFolder ?? 'INBOX',
          processedFolder: req.processedFolder ?? 'Processed',
          errorFolder: req.errorFolder ?? 'Errors',
          defaultProjectId,
          active: req.active ?? true,
        },
        tx,
      );
      await this.repo.replaceRoutes(mailboxId, routes, tx);
      await this.audit.record(
        ctx,
        {
          action: id ? 'mail.mailbox_updated' : 'mail.mailbox_created',
          objectType: 'mailbox',
          objectId: mailboxId,
          details: { name: req.name, host: req.host, passwordChanged: !!req.password },
        },
        tx,
      );
      return mailboxId;
    });
    return this.get(ctx, saved);
  }

  async delete(ctx: AuthenticatedContext, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const mailbox = await this.record(ctx, id, tx);
      await this.repo.delete(id, tx);
      await this.audit.record(ctx, { action: 'mail.mailbox_deleted', objectType: 'mailbox', objectId: id, details: { name: mailbox.name } }, tx);
    });
  }

  async test(ctx: AuthenticatedContext, id: string): Promise<ConnectionTestResult> {
    const m = await this.record(ctx, id);
    return this.connections.testImap(this.imapSettings(m), [m.inboxFolder, m.processedFolder, m.errorFolder]);
  }

  imapSettings(m: MailboxRecord): { host: string; port: number; security: MailboxRecord['security']; username: string; password: string } {
    return { host: m.host, port: m.port, security: m.security, username: m.username, password: m.passwordSealed ? this.box.open(m.passwordSealed) : '' };
  }

  async smtp(): Promise<SmtpSettings> {
    const s = await this.repo.smtp();
    if (!s) return { host: '', port: 587, security: 'starttls', username: '', hasPassword: false, fromAddress: '', fromName: 'Guichet', configured: false };
    const { passwordSealed: _sealed, ...rest } = s;
    return rest;
  }

  async saveSmtp(ctx: AuthenticatedContext, req: SaveSmtpSettingsRequest): Promise<SmtpSettings> {
    await this.db.transaction(async (tx) => {
      await this.repo.saveSmtp(
        {
          host: req.host,
          port: req.port,
          security: req.security,
          username: req.username ?? '',
          passwordSealed: req.password ? this.box.seal(req.password) : undefined,
          fromAddress: req.fromAddress.trim().toLowerCase(),
          fromName: req.fromName?.trim() || 'Guichet',
        },
        tx,
      );
      await this.audit.record(
        ctx,
        { action: 'mail.smtp_updated', objectType: 'smtp', objectId: '1', details: { host: req.host, passwordChanged: !!req.password } },
        tx,
      );
    });
    return this.smtp();
  }

  async testSmtp(): Promise<ConnectionTestResult> {
    const s = await this.repo.smtp();
    if (!s) return { ok: false, steps: [{ step: 'settings', ok: false, detail: 'no SMTP settings saved yet' }] };
    return this.connections.testSmtp({
      host: s.host,
      port: s.port,
      security: s.security,
      username: s.username,
      password: s.passwordSealed ? this.box.open(s.passwordSealed) : '',
    });
  }

  /** The mailboxes the user reaches: those that deliver only to projects he sees (R2.6). */
  reach(p: Principal, alias = 'm'): Sql {
    return mailboxReachCondition(alias, this.policy.projectCondition(p, 'p'));
  }

  private async record(ctx: AuthenticatedContext, id: string, tx?: Queryable): Promise<MailboxRecord> {
    const m = await this.repo.mailbox(id, this.reach(ctx.principal), tx);
    if (!m) throw new NotFoundError('mailbox', id);
    return m;
  }

  /** A project the user does not see is unknown to him, as one that does not exist. */
  private async projectId(p: Principal, key: string, tx: Queryable): Promise<string> {
    const project = await this.projects.findByKey(key, tx);
    if (!project || this.policy.projectAccess(p, project) === 'none') throw new ValidationError(`Unknown project ${key}.`);
    return project.id;
  }
}

function publicMailbox(m: MailboxRecord): Mailbox {
  const { passwordSealed: _sealed, defaultProjectId: _project, ...rest } = m;
  return rest;
}
