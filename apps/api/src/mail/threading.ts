import { TICKET_KEY_SOURCE } from '@guichet/contracts';

/** A ticket key between brackets in a subject, e.g. "RE: [HWEB-123] Site en panne". */
const KEY_IN_SUBJECT = new RegExp(`\\[(${TICKET_KEY_SOURCE})\\]`);
const ANY_CASE_KEY = new RegExp(`\\[${TICKET_KEY_SOURCE}\\]`, 'i');

export function ticketKeyInSubject(subject: string | undefined | null): string | null {
  return subject ? (KEY_IN_SUBJECT.exec(subject.toUpperCase())?.[1] ?? null) : null;
}

/** Message-IDs this message answers, most recent first (In-Reply-To, then References from the end). */
export function referencedMessageIds(inReplyTo: string | undefined, references: string | string[] | undefined): string[] {
  const refs = (Array.isArray(references) ? references : references ? references.split(/\s+/) : []).filter(Boolean);
  const ids = [...(inReplyTo ? inReplyTo.split(/\s+/) : []), ...refs.reverse()].map(normaliseMessageId).filter((x): x is string => !!x);
  return [...new Set(ids)];
}

export function normaliseMessageId(id: string | undefined | null): string | null {
  if (!id) return null;
  const m = /<?([^<>\s]+@[^<>\s]+)>?/.exec(id.trim());
  return m ? `<${m[1]}>` : null;
}

/** "RE: TR: Fwd: [HWEB-1] Sujet" -> "Sujet": what a new ticket's title should be. */
export function cleanSubject(subject: string | undefined | null): string {
  let s = (subject ?? '').trim();
  for (;;) {
    const next = s
      .replace(/^(re|tr|fw|fwd|aw|wg|réf|ref)\s*(\[\d+\])?\s*:\s*/i, '')
      .replace(ANY_CASE_KEY, '')
      .trim();
    if (next === s) break;
    s = next;
  }
  return s.replace(/\s+/g, ' ').slice(0, 300) || '(sans objet)';
}
