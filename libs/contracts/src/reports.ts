import type { Locale } from './api';

/** What a monthly activity report covers (R9.2): one project, or one space with all its projects. */
export const REPORT_SCOPES = ['project', 'space'] as const;
export type ReportScope = (typeof REPORT_SCOPES)[number];

/** The files of a report: the PDF, and the same tables as spreadsheet annexes. */
export const REPORT_FILES = ['pdf', 'xlsx', 'ods'] as const;
export type ReportFile = (typeof REPORT_FILES)[number];

/** A month, `YYYY-MM`, cut at midnight in Europe/Paris. */
export const REPORT_MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** At most this many accounts receive a scope's monthly report. */
export const REPORT_MAX_RECIPIENTS = 20;

/** How the report came to be: the job of the first of the month, or someone asking. */
export type ReportTrigger = 'scheduled' | 'on_demand';

/** A count per value of a breakdown (kind, typology, priority), equal to the statistics API's. */
export interface ReportCount {
  code: string;
  opened: number;
  resolved: number;
  closed: number;
  open: number;
}

/** The main figures of the month: each one is the statistics API's for the same scope and month. */
export interface ReportFigures {
  opened: number;
  resolved: number;
  closed: number;
  reopened: number;
  backlogAtStart: number;
  backlogAtEnd: number;
  byKind: ReportCount[];
  byTypology: ReportCount[];
  byPriority: ReportCount[];
}

/** One ticket in an event list of the month. */
export interface ReportTicketEvent {
  key: string;
  title: string;
  kind: string;
  priority: number;
  typology: string;
  /** When it happened, ISO 8601 UTC. */
  at: string;
}

/** A change or deployment of the month, with its planned window when it has one. */
export interface ReportChange {
  key: string;
  title: string;
  kind: string;
  status: string;
  environment: string | null;
  plannedStart: string | null;
  plannedEnd: string | null;
  createdAt: string;
}

export interface ReportDepositVersion {
  project: string;
  title: string;
  number: number;
  filename: string;
  size: number;
  sha256: string;
  at: string;
}

export interface ReportCiChange {
  item: string;
  field: string;
  before: string | null;
  after: string | null;
  at: string;
}

/** A breached target: which ticket, which clock, and by how many seconds. */
export interface ReportBreach {
  key: string;
  clock: 'take_charge' | 'restore';
  deadline: string;
  /** Business seconds beyond the target; null when the ticket still counted at the end of the month. */
  overBySeconds: number | null;
}

export interface ReportCompliance {
  /** False while no clock measures the service levels: the figures below are then empty. */
  measured: boolean;
  takeCharge: { met: number; breached: number };
  restore: { met: number; breached: number };
}

/** R9.3: how long after opening the incident contacts were told of a detected incident (commitment: 4 hours). */
export interface ReportDetection {
  key: string;
  openedAt: string;
  notifiedAt: string | null;
  delaySeconds: number | null;
  withinCommitment: boolean;
}

/**
 * The data a report is built from, in canonical form: codes rather than words, instants in UTC,
 * no generation time. Its SHA-256 is printed in the PDF; regenerating a past month gives the
 * same data, hence the same hash.
 */
export interface ReportData {
  scope: { type: ReportScope; ref: string; name: string };
  month: string;
  timeZone: string;
  from: string;
  to: string;
  figures: ReportFigures;
  opened: ReportTicketEvent[];
  resolved: ReportTicketEvent[];
  closed: ReportTicketEvent[];
  reopened: ReportTicketEvent[];
  changes: ReportChange[];
  deposits: ReportDepositVersion[];
  ciChanges: ReportCiChange[];
  breaches: ReportBreach[];
  compliance: ReportCompliance;
  detections: ReportDetection[];
}

/** The content of a month without storing anything: the data and its hash. */
export interface ReportContent {
  data: ReportData;
  sha256: string;
}

export type ReportStatus = 'generating' | 'ready' | 'failed';

/** One generated report, in a scope's history. */
export interface ReportRecord {
  id: string;
  month: string;
  locale: Locale;
  trigger: ReportTrigger;
  status: ReportStatus;
  sha256: string | null;
  requestedBy: string | null;
  createdAt: string;
  generatedAt: string | null;
  sentAt: string | null;
  /** The addresses it was mailed to. */
  sentTo: string[];
  /** Download links per file, once ready. */
  files: Partial<Record<ReportFile, string>>;
}

export interface ReportRequest {
  month: string;
  locale?: Locale;
}

export interface ReportRecipient {
  accountId: string;
  displayName: string;
  email: string;
}

export interface ReportRecipientsUpdate {
  accountIds: string[];
}
