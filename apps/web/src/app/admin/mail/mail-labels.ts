import { MAIL_SECURITY, TICKET_MAIL_KINDS, type MailSecurity, type TicketMailKind } from '@guichet/contracts';
import { REVIEW_REASONS, mailSecurityKey, notificationEventKey, reviewReasonKey, type ReviewReason, type TranslationKey } from '../../core/i18n/dictionary';
import type { I18n } from '../../core/i18n/i18n.service';

/** The connection security choices of a select, in the order of the contracts. */
export const SECURITY_OPTIONS: readonly { value: MailSecurity; label: TranslationKey }[] = MAIL_SECURITY.map((value) => ({
  value,
  label: mailSecurityKey(value),
}));

/** Host names or addresses as the API accepts them. */
export const HOST_PATTERN = /^[A-Za-z0-9.-]{1,253}$/;

/**
 * Usual port of each security mode. When the administrator changes the security while the port is
 * still one of these defaults, the port follows.
 */
export const IMAP_PORTS: Record<MailSecurity, number> = { tls: 993, starttls: 143, none: 143 };
export const SMTP_PORTS: Record<MailSecurity, number> = { tls: 465, starttls: 587, none: 25 };

export function portFor(ports: Record<MailSecurity, number>, security: MailSecurity, current: number | null): number | null {
  return current === null || Object.values(ports).includes(current) ? ports[security] : current;
}

/** A connection test step (`connect-and-login`, `folder:INBOX`...) in the user's language. */
export function stepLabel(step: string, i18n: I18n): string {
  if (step.startsWith('folder:')) return i18n.t('mail.step.folder', { name: step.slice('folder:'.length) });
  switch (step) {
    case 'connect-and-login':
    case 'list-folders':
    case 'settings':
      return i18n.t(`mail.step.${step}`);
    default:
      return step;
  }
}

/**
 * A review reason as a sentence. The API sends a code (`unknown_sender`), possibly followed by a
 * detail (`refused: <message>`); an unknown code is shown as received rather than hidden.
 */
export function reasonText(reason: string, i18n: I18n): string {
  const separator = reason.indexOf(':');
  const code = (separator < 0 ? reason : reason.slice(0, separator)).trim();
  const detail = separator < 0 ? '' : reason.slice(separator + 1).trim();
  if (!(REVIEW_REASONS as readonly string[]).includes(code)) return i18n.t('review.reasonOther', { detail: reason });
  const text = i18n.t(reviewReasonKey(code as ReviewReason));
  return detail ? i18n.t('review.reasonDetail', { text, detail }) : text;
}

/**
 * Sending errors as the SMTP library or a bounce report words them, recognised by their usual
 * codes and phrases; the first match wins. Guichet's own fixed phrases need no detail beside them.
 */
const SEND_ERRORS: readonly { pattern: RegExp; key: TranslationKey; fixedPhrase?: true }[] = [
  { pattern: /^SMTP is not configured$/i, key: 'outbound.error.notConfigured', fixedPhrase: true },
  { pattern: /^delivery failed$/i, key: 'outbound.error.bounced', fixedPhrase: true },
  { pattern: /ECONNREFUSED/, key: 'outbound.error.refused' },
  { pattern: /ENOTFOUND|EAI_AGAIN/, key: 'outbound.error.unknownHost' },
  { pattern: /ETIMEDOUT|ESOCKETTIMEDOUT|timeout/i, key: 'outbound.error.timeout' },
  { pattern: /EAUTH|Invalid login|\b535\b/i, key: 'outbound.error.auth' },
  { pattern: /certificate|self[- ]signed|\bTLS\b|\bSSL\b/i, key: 'outbound.error.tls' },
  { pattern: /\b55[0-4]\b|recipient|user unknown|mailbox unavailable/i, key: 'outbound.error.recipient' },
];

/** A sending error as a sentence for administrators, with the original text as a detail; an unknown error as it is. */
export function sendErrorText(error: string, i18n: I18n): { text: string; detail: string | null } {
  const known = SEND_ERRORS.find(({ pattern }) => pattern.test(error));
  if (!known) return { text: error, detail: null };
  return { text: i18n.t(known.key), detail: known.fixedPhrase ? null : error };
}

/** The ticket event a notification tells about; an unknown kind is shown as it is. */
export function notificationKindLabel(kind: string, i18n: I18n): string {
  return (TICKET_MAIL_KINDS as readonly string[]).includes(kind) ? i18n.t(notificationEventKey(kind as TicketMailKind)) : kind;
}
