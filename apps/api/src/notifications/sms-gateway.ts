import { Inject, Injectable } from '@nestjs/common';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';

/** Sends a text message; one implementation per provider. */
export interface SmsGateway {
  readonly configured: boolean;
  send(to: string, text: string): Promise<void>;
}

export const SMS_GATEWAY = Symbol('SMS_GATEWAY');

/**
 * A generic HTTP gateway: POST {to, text} as JSON to SMS_WEBHOOK_URL, with
 * `Authorization: Bearer SMS_WEBHOOK_TOKEN` when set. Any 2xx is success.
 */
@Injectable()
export class WebhookSmsGateway implements SmsGateway {
  constructor(@Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig) {}

  get configured(): boolean {
    return !!this.config.sms;
  }

  async send(to: string, text: string): Promise<void> {
    const sms = this.config.sms;
    if (!sms) throw new Error('No SMS gateway configured (SMS_WEBHOOK_URL).');
    const res = await fetch(sms.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(sms.token ? { authorization: `Bearer ${sms.token}` } : {}) },
      body: JSON.stringify({ to, text: text.slice(0, 459) }),
      signal: AbortSignal.timeout(10000),
    });
    if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
  }
}
