import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer from 'nodemailer';
import { MailConnections } from '../mail/mail-connections';
import { MailSettingsRepository } from '../mail/mail-settings.repository';
import { MailSettingsService } from '../mail/mail-settings.service';

/** The outgoing SMTP server of the settings: one pooled connection set per settings version, shared by every mail sent. */
@Injectable()
export class SmtpTransport implements OnApplicationShutdown {
  private transport?: { key: string; transporter: nodemailer.Transporter };

  constructor(
    private readonly settings: MailSettingsRepository,
    private readonly secrets: MailSettingsService,
    private readonly connections: MailConnections,
  ) {}

  /** True when an SMTP server is set (read at most every few seconds). */
  async configured(): Promise<boolean> {
    return !!(await this.settings.smtpRecent());
  }

  async from(): Promise<{ address: string; name: string }> {
    const s = await this.settings.smtpRecent();
    if (!s) throw new Error('SMTP is not configured');
    return { address: s.fromAddress, name: s.fromName };
  }

  async transporter(): Promise<nodemailer.Transporter> {
    const s = await this.settings.smtpRecent();
    if (!s) throw new Error('SMTP is not configured');
    const key = JSON.stringify([s.host, s.port, s.security, s.username, s.passwordSealed?.toString('base64')]);
    if (this.transport?.key !== key) {
      this.transport?.transporter.close();
      const password = s.passwordSealed ? this.secrets.box.open(s.passwordSealed) : '';
      this.transport = { key, transporter: this.connections.smtp({ host: s.host, port: s.port, security: s.security, username: s.username, password }, true) };
    }
    return this.transport.transporter;
  }

  onApplicationShutdown(): void {
    this.transport?.transporter.close();
  }
}
