/**
 * Canned replies: answers agents reuse, for one space or for every space. Their text may hold
 * placeholders, filled by the server for the ticket at hand with values its reader may see.
 */
export interface CannedReply {
  id: string;
  name: string;
  /** Markdown with placeholders such as `{{demandeur}}`. */
  body: string;
  /** The space whose agents use it; null for a reply offered in every space. */
  space: { id: string; name: string } | null;
  /** Whether the caller may change or delete it. */
  canEdit: boolean;
  updatedAt: string;
}

/** A canned reply ready to insert in a ticket's reply box: its placeholders filled for that ticket. */
export interface FilledCannedReply {
  id: string;
  name: string;
  body: string;
  /** Global (true) or of the ticket's space. */
  global: boolean;
}

export interface CreateCannedReplyRequest {
  name: string;
  body: string;
  /** Left out: a reply for every space (administrators only). */
  spaceId?: string;
}

export interface UpdateCannedReplyRequest {
  name?: string;
  body?: string;
}

/**
 * The placeholders a canned reply may hold, each under a French and an English name (both work
 * in any language). Unknown ones are left as written, so that a typo shows in the reply.
 */
export const CANNED_REPLY_PLACEHOLDERS = [
  { key: 'requester.name', fr: 'demandeur', labelFr: 'Nom du demandeur', labelEn: 'Requester’s name' },
  { key: 'ticket.key', fr: 'ticket.numero', labelFr: 'Numéro de la demande', labelEn: 'Ticket number' },
  { key: 'ticket.title', fr: 'ticket.titre', labelFr: 'Titre de la demande', labelEn: 'Ticket title' },
  { key: 'agent.name', fr: 'agent', labelFr: 'Votre nom', labelEn: 'Your name' },
] as const;
export type CannedReplyPlaceholder = (typeof CANNED_REPLY_PLACEHOLDERS)[number]['key'];

/** Fills `{{ name }}` placeholders (either name, spaces allowed inside the braces) from `values`. */
export function fillPlaceholders(text: string, values: Record<CannedReplyPlaceholder, string>): string {
  const byName = new Map<string, string>();
  for (const p of CANNED_REPLY_PLACEHOLDERS) {
    byName.set(p.key, values[p.key]);
    byName.set(p.fr, values[p.key]);
  }
  return text.replace(/\{\{\s*([a-z.]+)\s*\}\}/gi, (whole, name: string) => byName.get(name.toLowerCase()) ?? whole);
}
