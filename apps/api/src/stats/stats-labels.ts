import type { Locale, StatsDimension } from '@guichet/contracts';

/**
 * Words of the statistics' tables, in the reader's language: the tables are written as they are
 * into spreadsheets, which have no translation of their own. The web client's dictionary says the
 * same words for its screens.
 */
const WORDS = {
  fr: {
    activity: 'Activité par période',
    delays: 'Délais de traitement',
    by: {
      project: 'Par projet',
      space: 'Par espace',
      kind: 'Par type',
      typology: 'Par typologie',
      status: 'Par statut',
      priority: 'Par priorité',
      assignee: 'Par responsable',
      source: 'Par canal',
    } satisfies Record<StatsDimension, string>,
    dimension: {
      project: 'Projet',
      space: 'Espace',
      kind: 'Type',
      typology: 'Typologie',
      status: 'Statut',
      priority: 'Priorité',
      assignee: 'Responsable',
      source: 'Canal',
    } satisfies Record<StatsDimension, string>,
    period: 'Début de période',
    label: 'Période',
    opened: 'Ouverts',
    resolved: 'Résolus',
    closed: 'Clos',
    backlog: 'En cours en fin de période',
    open: 'En cours en fin d’intervalle',
    measure: 'Délai',
    count: 'Nombre',
    median: 'Médiane (h)',
    mean: 'Moyenne (h)',
    p90: '90e centile (h)',
    takeCharge: 'Prise en charge',
    resolution: 'Résolution',
    unassigned: 'Non affecté',
    kind: { incident: 'Incident', request: 'Demande de service', problem: 'Problème', change: 'Changement', deployment: 'Mise en production' },
    status: {
      new: 'Nouveau',
      assigned: 'Affecté',
      in_progress: 'En cours',
      waiting_customer: 'En attente du demandeur',
      resolved: 'Résolu',
      closed: 'Clos',
      investigating: 'En analyse',
      known_error: 'Erreur connue',
      requested: 'Demandé',
      assessed: 'Évalué',
      approved: 'Approuvé',
      rejected: 'Refusé',
      scheduled: 'Planifié',
      implemented: 'Réalisé',
      deployed_preproduction: 'Déployé en préproduction',
      validated: 'Validé',
      deployed_production: 'Déployé en production',
    },
    priority: { '1': 'P1 Critique', '2': 'P2 Haute', '3': 'P3 Moyenne', '4': 'P4 Basse' },
    source: {
      web: 'Formulaire web',
      email: 'Courriel',
      api: 'API',
      phone: 'Téléphone',
      on_site: 'Sur place',
      forwarded_email: 'Courriel transféré',
      detected: 'Détecté par notre équipe',
    },
  },
  en: {
    activity: 'Activity per period',
    delays: 'Processing delays',
    by: {
      project: 'By project',
      space: 'By space',
      kind: 'By kind',
      typology: 'By typology',
      status: 'By status',
      priority: 'By priority',
      assignee: 'By assignee',
      source: 'By source',
    } satisfies Record<StatsDimension, string>,
    dimension: {
      project: 'Project',
      space: 'Space',
      kind: 'Kind',
      typology: 'Typology',
      status: 'Status',
      priority: 'Priority',
      assignee: 'Assignee',
      source: 'Source',
    } satisfies Record<StatsDimension, string>,
    period: 'Period start',
    label: 'Period',
    opened: 'Opened',
    resolved: 'Resolved',
    closed: 'Closed',
    backlog: 'Open at end of period',
    open: 'Open at end of range',
    measure: 'Delay',
    count: 'Count',
    median: 'Median (h)',
    mean: 'Mean (h)',
    p90: '90th percentile (h)',
    takeCharge: 'Time to take charge',
    resolution: 'Time to resolve',
    unassigned: 'Unassigned',
    kind: { incident: 'Incident', request: 'Service request', problem: 'Problem', change: 'Change', deployment: 'Deployment' },
    status: {
      new: 'New',
      assigned: 'Assigned',
      in_progress: 'In progress',
      waiting_customer: 'Waiting for requester',
      resolved: 'Resolved',
      closed: 'Closed',
      investigating: 'Investigating',
      known_error: 'Known error',
      requested: 'Requested',
      assessed: 'Assessed',
      approved: 'Approved',
      rejected: 'Rejected',
      scheduled: 'Scheduled',
      implemented: 'Implemented',
      deployed_preproduction: 'Deployed to pre-production',
      validated: 'Validated',
      deployed_production: 'Deployed to production',
    },
    priority: { '1': 'P1 Critical', '2': 'P2 High', '3': 'P3 Medium', '4': 'P4 Low' },
    source: {
      web: 'Web form',
      email: 'Email',
      api: 'API',
      phone: 'Phone',
      on_site: 'In person',
      forwarded_email: 'Forwarded email',
      detected: 'Detected by our team',
    },
  },
} as const;

export type StatsWords = (typeof WORDS)[Locale];

export function statsWords(locale: Locale): StatsWords {
  return WORDS[locale] ?? WORDS.fr;
}

/** The label of a value the database holds as a code (a kind, a status, a priority, a source). */
export function codeLabel(words: StatsWords, dimension: StatsDimension, code: string): string | undefined {
  const table: Record<string, string> | undefined =
    dimension === 'kind'
      ? words.kind
      : dimension === 'status'
        ? words.status
        : dimension === 'priority'
          ? words.priority
          : dimension === 'source'
            ? words.source
            : undefined;
  return table?.[code];
}
