/**
 * Recognises mail written by machines: auto-replies, bounces, lists, and our own messages
 * coming back. Such mail never opens a ticket and never triggers a notification (R3.3).
 */
export interface MailHeaders {
  get(name: string): unknown;
  has(name: string): boolean;
}

export interface MachineMailInput {
  headers: MailHeaders;
  from: string | null;
  returnPath: string | null;
  contentType: string | null;
  messageId: string | null;
  /** Message-IDs we generated look like <...@ourDomain>. */
  ownMessageIdDomain: string;
}

export type MachineMailReason =
  | 'auto_submitted'
  | 'auto_response_suppress'
  | 'precedence'
  | 'x_autoreply'
  | 'delivery_report'
  | 'null_return_path'
  | 'mailer_daemon'
  | 'own_message'
  | 'list';

const PRECEDENCE = new Set(['bulk', 'junk', 'list', 'auto_reply', 'auto-reply']);
const DAEMONS = /^(mailer-daemon|postmaster|noreply|no-reply|donotreply|do-not-reply|bounces?)([+@-]|$)/i;

export function machineMailReason(m: MachineMailInput): MachineMailReason | null {
  const h = (name: string): string => headerText(m.headers.get(name)).toLowerCase();
  // First: real bounces also carry Auto-Submitted, and only this reason lets a bounce be counted.
  const type = (m.contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/report') || type.startsWith('message/delivery-status')) return 'delivery_report';
  const autoSubmitted = h('auto-submitted');
  if (autoSubmitted && autoSubmitted !== 'no') return 'auto_submitted';
  const suppress = h('x-auto-response-suppress');
  if (suppress && /\b(all|oof|autoreply|dr|rn|nrn)\b/.test(suppress)) return 'auto_response_suppress';
  if (PRECEDENCE.has(h('precedence'))) return 'precedence';
  if (m.headers.has('x-autoreply') || m.headers.has('x-autorespond') || h('x-mailer').includes('autoresponder')) return 'x_autoreply';
  if (m.returnPath !== null && /^<?>?$/.test(m.returnPath.trim())) return 'null_return_path';
  if (m.from && DAEMONS.test(m.from.split('@')[0] ?? '')) return 'mailer_daemon';
  if (m.messageId && m.messageId.toLowerCase().endsWith(`@${m.ownMessageIdDomain.toLowerCase()}>`)) return 'own_message';
  if (m.headers.has('list-id') || m.headers.has('list-unsubscribe')) return 'list';
  return null;
}

function headerText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'object' && 'value' in (value as Record<string, unknown>)) return String((value as { value: unknown }).value).trim();
  if (typeof value === 'object' && 'text' in (value as Record<string, unknown>)) return String((value as { text: unknown }).text).trim();
  return String(value).trim();
}
