import { DataSource } from 'typeorm';
import { Foundation1763800000000 } from '../migrations/1763800000000-foundation';
import { Tickets1763900000000 } from '../migrations/1763900000000-tickets';
import { Jobs1764000000000 } from '../migrations/1764000000000-jobs';
import { Mail1764100000000 } from '../migrations/1764100000000-mail';
import { Notifications1764200000000 } from '../migrations/1764200000000-notifications';
import { OutboundStatusIndex1764320000000 } from '../migrations/1764320000000-outbound-status-index';
import { InboundTicketIndex1764400000000 } from '../migrations/1764400000000-inbound-ticket-index';
import { RepliesSearch1764480000000 } from '../migrations/1764480000000-replies-search';
import { InternalNotesScope1764490000000 } from '../migrations/1764490000000-internal-notes-scope';
import { RequesterProjectIndex1764500000000 } from '../migrations/1764500000000-requester-project-index';
import { JobWakeups1764510000000 } from '../migrations/1764510000000-job-wakeups';
import { TicketsAutovacuum1764520000000 } from '../migrations/1764520000000-tickets-autovacuum';
import { SpaceScopedSearch1764530000000 } from '../migrations/1764530000000-space-scoped-search';
import { NotesSearchOnTickets1764540000000 } from '../migrations/1764540000000-notes-search-on-tickets';
import { TicketVectorsInline1764550000000 } from '../migrations/1764550000000-ticket-vectors-inline';
import { InboundContentDigest1764600000000 } from '../migrations/1764600000000-inbound-content-digest';
import { ForwardedMessages1764610000000 } from '../migrations/1764610000000-forwarded-messages';
import { SupportGroups1764700000000 } from '../migrations/1764700000000-support-groups';
import { QueuesAndSavedViews1764710000000 } from '../migrations/1764710000000-queues-and-saved-views';
import { TicketBulkActions1764720000000 } from '../migrations/1764720000000-ticket-bulk-actions';
import { LiveUpdates1764730000000 } from '../migrations/1764730000000-live-updates';
import { InAppNotifications1764730100000 } from '../migrations/1764730100000-in-app-notifications';
import { TicketReads1764730200000 } from '../migrations/1764730200000-ticket-reads';
import { LiveAccessChanges1764730300000 } from '../migrations/1764730300000-live-access-changes';
import { LinkMailIndex1764740000000 } from '../migrations/1764740000000-link-mail-index';
import { CannedReplies1764750000000 } from '../migrations/1764750000000-canned-replies';
import { WorkflowPolish1764760000000 } from '../migrations/1764760000000-workflow-polish';
import { Cmdb1764800000000 } from '../migrations/1764800000000-cmdb';
import { Deposits1764820000000 } from '../migrations/1764820000000-deposits';
import { FileScans1764830000000 } from '../migrations/1764830000000-file-scans';
import { StatisticsIndexes1764840000000 } from '../migrations/1764840000000-statistics-indexes';
import { Exports1764850000000 } from '../migrations/1764850000000-exports';
import { BusinessCalendars1764860000000 } from '../migrations/1764860000000-business-calendars';
import { ServiceLevels1764860100000 } from '../migrations/1764860100000-service-levels';
import { IncidentContacts1764870000000 } from '../migrations/1764870000000-incident-contacts';
import { TakenInCharge1764880000000 } from '../migrations/1764880000000-taken-in-charge';
import { CmdbExpiryAndRelationHistory1764884800000 } from '../migrations/1764884800000-cmdb-expiry-and-relation-history';
import { StatisticsTakeChargeIndex1764890000000 } from '../migrations/1764890000000-statistics-take-charge-index';
import { ExportReadyNotices1764890100000 } from '../migrations/1764890100000-export-ready-notices';
import { TicketClocks1764890200000 } from '../migrations/1764890200000-ticket-clocks';
import { MonthlyReports1764895000000 } from '../migrations/1764895000000-monthly-reports';

/** Every migration, in order. They run at start (or alone with `npm run migrate`). */
export const MIGRATIONS = [
  Foundation1763800000000,
  Tickets1763900000000,
  Jobs1764000000000,
  Mail1764100000000,
  Notifications1764200000000,
  OutboundStatusIndex1764320000000,
  InboundTicketIndex1764400000000,
  RepliesSearch1764480000000,
  InternalNotesScope1764490000000,
  RequesterProjectIndex1764500000000,
  JobWakeups1764510000000,
  TicketsAutovacuum1764520000000,
  SpaceScopedSearch1764530000000,
  NotesSearchOnTickets1764540000000,
  TicketVectorsInline1764550000000,
  InboundContentDigest1764600000000,
  ForwardedMessages1764610000000,
  SupportGroups1764700000000,
  QueuesAndSavedViews1764710000000,
  TicketBulkActions1764720000000,
  LiveUpdates1764730000000,
  InAppNotifications1764730100000,
  TicketReads1764730200000,
  LiveAccessChanges1764730300000,
  LinkMailIndex1764740000000,
  CannedReplies1764750000000,
  WorkflowPolish1764760000000,
  Cmdb1764800000000,
  Deposits1764820000000,
  FileScans1764830000000,
  StatisticsIndexes1764840000000,
  Exports1764850000000,
  BusinessCalendars1764860000000,
  ServiceLevels1764860100000,
  IncidentContacts1764870000000,
  TakenInCharge1764880000000,
  CmdbExpiryAndRelationHistory1764884800000,
  StatisticsTakeChargeIndex1764890000000,
  ExportReadyNotices1764890100000,
  TicketClocks1764890200000,
  MonthlyReports1764895000000,
];

export function createDataSource(url: string, poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    entities: [],
    // The driver reads the whole address itself, so that a Unix socket (`?host=/path`) is used.
    extra: { max: poolSize, application_name: 'guichet', connectionString: url },
  });
}

/** Runs pending migrations; an advisory lock makes replicas that start together take turns. */
export async function runMigrations(url: string): Promise<string[]> {
  const ds = createDataSource(url, 2);
  await ds.initialize();
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    await runner.query(`SELECT pg_advisory_lock(hashtext('guichet:migrations'))`);
    const done = await ds.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    await runner.query(`SELECT pg_advisory_unlock(hashtext('guichet:migrations'))`).catch(() => undefined);
    await runner.release();
    await ds.destroy();
  }
}
