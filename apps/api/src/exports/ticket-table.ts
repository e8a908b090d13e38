import type { Locale, TicketQuery } from '@guichet/contracts';
import type { TicketExportRead, TicketExportRow } from '../tickets/ticket-port';
import type { TableColumn, TableDocument, TableRow } from './writers/table-writer';

type Labels = Record<string, { fr: string; en: string }>;

const L: Labels = {
  key: { fr: 'Clé', en: 'Key' },
  title: { fr: 'Titre', en: 'Title' },
  project: { fr: 'Projet', en: 'Project' },
  kind: { fr: 'Nature', en: 'Kind' },
  status: { fr: 'Statut', en: 'Status' },
  priority: { fr: 'Priorité', en: 'Priority' },
  typology: { fr: 'Typologie', en: 'Typology' },
  urgency: { fr: 'Urgence', en: 'Urgency' },
  impact: { fr: 'Impact', en: 'Impact' },
  requester: { fr: 'Demandeur', en: 'Requester' },
  assignee: { fr: 'Assigné à', en: 'Assignee' },
  group: { fr: 'Groupe', en: 'Group' },
  source: { fr: 'Origine', en: 'Source' },
  createdAt: { fr: 'Créé le', en: 'Created' },
  updatedAt: { fr: 'Modifié le', en: 'Updated' },
  resolvedAt: { fr: 'Résolu le', en: 'Resolved' },
  closedAt: { fr: 'Clos le', en: 'Closed' },
  takenInChargeAt: { fr: 'Pris en charge le', en: 'Taken in charge' },
  hoursToTakeCharge: { fr: 'Délai de prise en charge (h)', en: 'Time to take charge (h)' },
  hoursToResolve: { fr: 'Délai de résolution (h)', en: 'Time to resolve (h)' },
  hoursSpent: { fr: 'Temps passé (h)', en: 'Time spent (h)' },
  description: { fr: 'Description', en: 'Description' },
};

const ABOUT = {
  title: { fr: 'Export de la liste des tickets', en: 'Ticket list export' },
  by: { fr: 'Exporté par', en: 'Exported by' },
  at: { fr: 'Exporté le (Europe/Paris)', en: 'Exported at (Europe/Paris)' },
  filters: { fr: 'Filtres', en: 'Filters' },
  sort: { fr: 'Tri', en: 'Sort' },
  rows: { fr: 'Lignes', en: 'Rows' },
  none: { fr: 'aucun (toute la liste visible)', en: 'none (the whole visible list)' },
  sheet: { fr: 'Tickets', en: 'Tickets' },
};

/** The columns of a ticket list export; time spent only for those who may see it (R2.6). */
export function ticketColumns(locale: Locale, withTimeSpent: boolean): TableColumn[] {
  const c = (key: string, type: TableColumn['type'], width?: number): TableColumn => ({ key, label: L[key]![locale], type, width });
  return [
    c('key', 'text', 12),
    c('title', 'text', 50),
    c('project', 'text', 10),
    c('kind', 'text', 12),
    c('status', 'text', 14),
    c('priority', 'integer', 9),
    c('typology', 'text', 14),
    c('urgency', 'integer', 9),
    c('impact', 'integer', 9),
    c('requester', 'text', 24),
    c('assignee', 'text', 24),
    c('group', 'text', 20),
    c('source', 'text', 10),
    c('createdAt', 'datetime'),
    c('updatedAt', 'datetime'),
    c('resolvedAt', 'datetime'),
    c('closedAt', 'datetime'),
    c('takenInChargeAt', 'datetime'),
    c('hoursToTakeCharge', 'duration_hours', 14),
    c('hoursToResolve', 'duration_hours', 14),
    ...(withTimeSpent ? [c('hoursSpent', 'duration_hours', 12)] : []),
    c('description', 'text', 60),
  ];
}

/** The filters as the about sheet lists them: one `name = value` per filter, in a stable order. */
export function describeFilters(q: object, locale: Locale): string {
  const parts = Object.entries(q)
    .filter(([k, v]) => !['sort', 'cursor', 'limit'].includes(k) && v !== undefined && v !== null && !(Array.isArray(v) && !v.length))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} = ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  return parts.length ? parts.join(' ; ') : ABOUT.none[locale];
}

async function* rowsOf(rows: AsyncIterable<TicketExportRow>): AsyncGenerator<TableRow> {
  for await (const r of rows) {
    yield { ...r, hoursSpent: r.minutesSpent === null ? null : Math.round((r.minutesSpent / 60) * 100) / 100 };
  }
}

export function ticketDocument(read: TicketExportRead, who: { displayName: string; email: string; locale: Locale }, q: TicketQuery, at: Date): TableDocument {
  const l = who.locale;
  const when = new Intl.DateTimeFormat(l === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'medium' }).format(at);
  return {
    about: {
      title: ABOUT.title[l],
      lines: [
        [ABOUT.by[l], `${who.displayName} <${who.email}>`],
        [ABOUT.at[l], when],
        [ABOUT.filters[l], describeFilters(q, l)],
        [ABOUT.sort[l], q.sort ?? '-updated'],
        [ABOUT.rows[l], String(read.total)],
      ],
    },
    sheets: [{ name: ABOUT.sheet[l], columns: ticketColumns(l, read.withTimeSpent), rows: rowsOf(read.rows) }],
  };
}
