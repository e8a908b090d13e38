import type { Locale, ReportData } from '@guichet/contracts';
import { codeLabel, statsWords } from '../stats/stats-labels';
import type { CellValue, TableColumn } from '../exports/writers/table-writer';

/** The words of the report, in its language. */
export const REPORT_WORDS = {
  fr: {
    title: 'Rapport mensuel d’activité',
    project: 'Projet',
    space: 'Espace',
    month: 'Mois',
    period: 'Période (Europe/Paris)',
    generatedAt: 'Généré le (Europe/Paris)',
    hash: 'Empreinte SHA-256 des données',
    hashNote: 'Empreinte du JSON canonique des données de ce rapport : régénérer le même mois donne la même empreinte.',
    page: 'Page {n} sur {total}',
    figures: 'Chiffres du mois',
    figure: 'Indicateur',
    value: 'Valeur',
    opened: 'Tickets ouverts',
    resolved: 'Tickets résolus',
    closed: 'Tickets clos',
    reopened: 'Réouvertures',
    backlogAtStart: 'En cours au début du mois',
    backlogAtEnd: 'En cours à la fin du mois',
    byKind: 'Par type',
    byTypology: 'Par typologie',
    byPriority: 'Par priorité',
    openedCol: 'Ouverts',
    resolvedCol: 'Résolus',
    closedCol: 'Clos',
    openCol: 'En cours en fin de mois',
    compliance: 'Respect des engagements (GTI / GTR)',
    notMeasured: 'Niveaux de service pas encore mesurés : aucun dépassement ni taux de respect n’est calculé pour ce mois.',
    clock: 'Engagement',
    met: 'Respectés',
    breached: 'Dépassés',
    takeCharge: 'Prise en charge (GTI)',
    restore: 'Rétablissement (GTR)',
    breaches: 'Dépassements',
    deadline: 'Échéance',
    overBy: 'Dépassement (h)',
    detections: 'Incidents détectés par le prestataire (engagement : prévenir sous 4 h)',
    notifiedAt: 'Prévenu le',
    delay: 'Délai (h)',
    within: 'Sous 4 h',
    yes: 'oui',
    no: 'non',
    notNotified: 'pas encore prévenu',
    events: {
      opened: 'Tickets ouverts',
      resolved: 'Tickets résolus',
      closed: 'Tickets clos',
      reopened: 'Tickets réouverts',
      changes: 'Changements et mises en production',
      deposits: 'Dépôts',
      ciChanges: 'Changements de la CMDB',
    },
    key: 'Ticket',
    titleCol: 'Titre',
    kind: 'Type',
    priority: 'Priorité',
    typology: 'Typologie',
    at: 'Date',
    status: 'Statut',
    environment: 'Environnement',
    plannedStart: 'Début prévu',
    plannedEnd: 'Fin prévue',
    createdAt: 'Ouvert le',
    deposit: 'Dépôt',
    version: 'Version',
    filename: 'Fichier',
    size: 'Taille (octets)',
    item: 'Élément',
    field: 'Champ',
    before: 'Avant',
    after: 'Après',
    none: 'Rien ce mois-ci.',
    about: 'Rapport mensuel d’activité',
  },
  en: {
    title: 'Monthly activity report',
    project: 'Project',
    space: 'Space',
    month: 'Month',
    period: 'Period (Europe/Paris)',
    generatedAt: 'Generated at (Europe/Paris)',
    hash: 'SHA-256 of the data',
    hashNote: 'Hash of the canonical JSON of this report’s data: regenerating the same month gives the same hash.',
    page: 'Page {n} of {total}',
    figures: 'Figures of the month',
    figure: 'Figure',
    value: 'Value',
    opened: 'Tickets opened',
    resolved: 'Tickets resolved',
    closed: 'Tickets closed',
    reopened: 'Reopenings',
    backlogAtStart: 'Open at the start of the month',
    backlogAtEnd: 'Open at the end of the month',
    byKind: 'By kind',
    byTypology: 'By typology',
    byPriority: 'By priority',
    openedCol: 'Opened',
    resolvedCol: 'Resolved',
    closedCol: 'Closed',
    openCol: 'Open at the end of the month',
    compliance: 'Service level compliance (take charge / restore)',
    notMeasured: 'Service levels not measured yet: no breach or compliance rate is computed for this month.',
    clock: 'Commitment',
    met: 'Met',
    breached: 'Breached',
    takeCharge: 'Time to take charge',
    restore: 'Time to restore',
    breaches: 'Breaches',
    deadline: 'Deadline',
    overBy: 'Over by (h)',
    detections: 'Incidents detected by the provider (commitment: notified within 4 h)',
    notifiedAt: 'Notified at',
    delay: 'Delay (h)',
    within: 'Within 4 h',
    yes: 'yes',
    no: 'no',
    notNotified: 'not notified yet',
    events: {
      opened: 'Tickets opened',
      resolved: 'Tickets resolved',
      closed: 'Tickets closed',
      reopened: 'Tickets reopened',
      changes: 'Changes and deployments',
      deposits: 'Deposits',
      ciChanges: 'CMDB changes',
    },
    key: 'Ticket',
    titleCol: 'Title',
    kind: 'Kind',
    priority: 'Priority',
    typology: 'Typology',
    at: 'Date',
    status: 'Status',
    environment: 'Environment',
    plannedStart: 'Planned start',
    plannedEnd: 'Planned end',
    createdAt: 'Opened at',
    deposit: 'Deposit',
    version: 'Version',
    filename: 'File',
    size: 'Size (bytes)',
    item: 'Item',
    field: 'Field',
    before: 'Before',
    after: 'After',
    none: 'Nothing this month.',
    about: 'Monthly activity report',
  },
} as const;

export type ReportWords = (typeof REPORT_WORDS)[Locale];

/** A table of the report: the PDF draws it, the annexes write it as a sheet. */
export interface ReportTable {
  id: string;
  title: string;
  columns: TableColumn[];
  rows: Record<string, CellValue>[];
  /** Said under the title (the PDF) when there is something to say, e.g. nothing measured yet. */
  note?: string;
}

const at = (iso: string | null): Date | null => (iso === null ? null : new Date(iso));
const hoursOf = (seconds: number | null): number | null => (seconds === null ? null : Math.round((seconds / 3600) * 100) / 100);

/**
 * Every table of the report from its data, in `locale`: figures first, then the events of the
 * month. Typology labels are the statistics' (`typologyLabels`, code → label).
 */
export function reportTables(data: ReportData, locale: Locale, typologyLabels: ReadonlyMap<string, string>): ReportTable[] {
  const w = REPORT_WORDS[locale];
  const sw = statsWords(locale);
  const kind = (c: string) => codeLabel(sw, 'kind', c) ?? c;
  const priority = (c: string | number) => codeLabel(sw, 'priority', String(c)) ?? String(c);
  const status = (c: string) => codeLabel(sw, 'status', c) ?? c;
  const typology = (c: string) => typologyLabels.get(c) ?? c;
  const f = data.figures;
  const countColumns: TableColumn[] = [
    { key: 'opened', label: w.openedCol, type: 'integer' },
    { key: 'resolved', label: w.resolvedCol, type: 'integer' },
    { key: 'closed', label: w.closedCol, type: 'integer' },
    { key: 'open', label: w.openCol, type: 'integer' },
  ];
  const breakdown = (id: string, title: string, label: string, rows: ReportData['figures']['byKind'], name: (c: string) => string): ReportTable => ({
    id,
    title,
    columns: [{ key: 'label', label, type: 'text', width: 30 }, ...countColumns],
    rows: rows.map((r) => ({ label: name(r.code), opened: r.opened, resolved: r.resolved, closed: r.closed, open: r.open })),
  });
  const ticketColumns: TableColumn[] = [
    { key: 'key', label: w.key, type: 'text', width: 12 },
    { key: 'title', label: w.titleCol, type: 'text', width: 40 },
    { key: 'kind', label: w.kind, type: 'text', width: 16 },
    { key: 'priority', label: w.priority, type: 'text', width: 12 },
    { key: 'at', label: w.at, type: 'datetime' },
  ];
  const tickets = (id: keyof typeof w.events & ('opened' | 'resolved' | 'closed' | 'reopened')): ReportTable => ({
    id: `events_${id}`,
    title: w.events[id],
    columns: ticketColumns,
    rows: data[id].map((e) => ({ key: e.key, title: e.title, kind: kind(e.kind), priority: priority(e.priority), at: at(e.at) })),
  });
  const c = data.compliance;
  return [
    {
      id: 'figures',
      title: w.figures,
      columns: [
        { key: 'figure', label: w.figure, type: 'text', width: 36 },
        { key: 'value', label: w.value, type: 'integer' },
      ],
      rows: [
        { figure: w.opened, value: f.opened },
        { figure: w.resolved, value: f.resolved },
        { figure: w.closed, value: f.closed },
        { figure: w.reopened, value: f.reopened },
        { figure: w.backlogAtStart, value: f.backlogAtStart },
        { figure: w.backlogAtEnd, value: f.backlogAtEnd },
      ],
    },
    breakdown('by_kind', w.byKind, w.kind, f.byKind, kind),
    breakdown('by_typology', w.byTypology, w.typology, f.byTypology, typology),
    breakdown('by_priority', w.byPriority, w.priority, f.byPriority, priority),
    {
      id: 'compliance',
      title: w.compliance,
      note: c.measured ? undefined : w.notMeasured,
      columns: [
        { key: 'clock', label: w.clock, type: 'text', width: 30 },
        { key: 'met', label: w.met, type: 'integer' },
        { key: 'breached', label: w.breached, type: 'integer' },
      ],
      rows: c.measured
        ? [
            { clock: w.takeCharge, met: c.takeCharge.met, breached: c.takeCharge.breached },
            { clock: w.restore, met: c.restore.met, breached: c.restore.breached },
          ]
        : [],
    },
    {
      id: 'breaches',
      title: w.breaches,
      note: c.measured ? undefined : w.notMeasured,
      columns: [
        { key: 'key', label: w.key, type: 'text', width: 12 },
        { key: 'clock', label: w.clock, type: 'text', width: 24 },
        { key: 'deadline', label: w.deadline, type: 'datetime' },
        { key: 'over', label: w.overBy, type: 'duration_hours' },
      ],
      rows: data.breaches.map((b) => ({
        key: b.key,
        clock: b.clock === 'take_charge' ? w.takeCharge : w.restore,
        deadline: at(b.deadline),
        over: hoursOf(b.overBySeconds),
      })),
    },
    {
      id: 'detections',
      title: w.detections,
      columns: [
        { key: 'key', label: w.key, type: 'text', width: 12 },
        { key: 'opened', label: w.createdAt, type: 'datetime' },
        { key: 'notified', label: w.notifiedAt, type: 'datetime' },
        { key: 'delay', label: w.delay, type: 'duration_hours' },
        { key: 'within', label: w.within, type: 'text', width: 18 },
      ],
      rows: data.detections.map((d) => ({
        key: d.key,
        opened: at(d.openedAt),
        notified: at(d.notifiedAt),
        delay: hoursOf(d.delaySeconds),
        within: d.notifiedAt === null ? w.notNotified : d.withinCommitment ? w.yes : w.no,
      })),
    },
    tickets('opened'),
    tickets('resolved'),
    tickets('closed'),
    tickets('reopened'),
    {
      id: 'events_changes',
      title: w.events.changes,
      columns: [
        { key: 'key', label: w.key, type: 'text', width: 12 },
        { key: 'title', label: w.titleCol, type: 'text', width: 34 },
        { key: 'status', label: w.status, type: 'text', width: 16 },
        { key: 'environment', label: w.environment, type: 'text', width: 14 },
        { key: 'start', label: w.plannedStart, type: 'datetime' },
        { key: 'end', label: w.plannedEnd, type: 'datetime' },
      ],
      rows: data.changes.map((ch) => ({
        key: ch.key,
        title: ch.title,
        status: status(ch.status),
        environment: ch.environment,
        start: at(ch.plannedStart),
        end: at(ch.plannedEnd),
      })),
    },
    {
      id: 'events_deposits',
      title: w.events.deposits,
      columns: [
        { key: 'deposit', label: w.deposit, type: 'text', width: 30 },
        { key: 'version', label: w.version, type: 'integer' },
        { key: 'filename', label: w.filename, type: 'text', width: 26 },
        { key: 'size', label: w.size, type: 'integer' },
        { key: 'sha256', label: 'SHA-256', type: 'text', width: 66 },
        { key: 'at', label: w.at, type: 'datetime' },
      ],
      rows: data.deposits.map((d) => ({
        deposit: `${d.project} – ${d.title}`,
        version: d.number,
        filename: d.filename,
        size: d.size,
        sha256: d.sha256,
        at: at(d.at),
      })),
    },
    {
      id: 'events_ci',
      title: w.events.ciChanges,
      columns: [
        { key: 'item', label: w.item, type: 'text', width: 26 },
        { key: 'field', label: w.field, type: 'text', width: 16 },
        { key: 'before', label: w.before, type: 'text', width: 20 },
        { key: 'after', label: w.after, type: 'text', width: 20 },
        { key: 'at', label: w.at, type: 'datetime' },
      ],
      rows: data.ciChanges.map((ci) => ({ item: ci.item, field: ci.field, before: ci.before, after: ci.after, at: at(ci.at) })),
    },
  ];
}
