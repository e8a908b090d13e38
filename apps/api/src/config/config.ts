import { join } from 'node:path';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * The whole configuration, read once from the environment at boot. A bad value stops the
 * process with a message that names the variable.
 */
const schema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATA_DIR: z.string().min(1).default('./.data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    PUBLIC_URL: z.url().optional(),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    SECRETS_ENCRYPTION_KEY: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes in base64 (`openssl rand -base64 32`)')
      .optional(),
    MAIL_TLS_VERIFY: bool.default(true),
    MAIL_WORKER: bool.default(true),
    SMS_WEBHOOK_URL: z.url().optional(),
    SMS_WEBHOOK_TOKEN: z.string().min(8).optional(),
    MAIL_POLL_SECONDS: z.coerce.number().int().min(5).max(3600).default(30),
    MAIL_REOPEN_DAYS: z.coerce.number().int().min(0).max(365).default(14),
    MAIL_MAX_MESSAGE_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(200 * 1024 * 1024)
      .default(30 * 1024 * 1024),
    MAIL_MAX_PER_SENDER_PER_HOUR: z.coerce.number().int().min(1).max(100000).default(30),
    MAIL_INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),
    SEARCH_SCOPE_FIRST_MAX: z.coerce.number().int().min(0).max(100000).default(3000),
    SEARCH_RANKED_MAX: z.coerce.number().int().min(1).max(10000).default(2000),
    JOBS_KEEP_DAYS: z.coerce.number().int().min(1).max(3650).default(14),
    MAIL_MESSAGE_ID_DOMAIN: z
      .string()
      .regex(/^[a-z0-9.-]+$/i, 'must be a domain name')
      .optional(),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(600),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(14),
    SESSION_MAX_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    RESET_LINK_TTL_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 14)
      .default(72),
    // Links people ask for themselves ("forgot password") live shorter than invitations.
    PASSWORD_RESET_REQUEST_TTL_MINUTES: z.coerce.number().int().min(5).max(1440).default(60),
    ADMIN_EMAIL: z.email().optional(),
    ADMIN_PASSWORD: z.string().optional(),
    PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8, 'cannot be below 8 (R8.2)').max(128).default(12),
    PASSWORD_MIN_SCORE: z.coerce.number().int().min(0).max(4).default(3),
    LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(100).default(5),
    LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).max(10000).default(30),
    LOGIN_LOCK_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    COOKIE_SECURE: bool.default(true),
    TRUST_PROXY: z.string().default('loopback'),
    BODY_LIMIT: z
      .string()
      .regex(/^\d+(kb|mb)$/i, 'like 1mb or 512kb')
      .default('1mb'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
    LOG_FORMAT: z.enum(['json', 'text']).optional(),
    SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(8),
    SERVE_WEB: bool.default(true),
    WEB_DIST_DIR: z.string().optional(),
    FILES_DIR: z.string().min(1).optional(),
    ATTACHMENT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(100 * 1024 ** 3)
      .default(50 * 1024 ** 2),
    ATTACHMENTS_PER_REQUEST: z.coerce.number().int().min(1).max(1000).default(20),
    DEPOSIT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(1024 ** 4)
      .default(2 * 1024 ** 3),
    SEVEN_ZIP_PATH: z.string().regex(/^\//, 'must be an absolute path to the 7-Zip program').optional(),
    // Antivirus (clamd): a TCP address or a Unix socket; none means files are "not scanned".
    CLAMD_HOST: z.string().min(1).optional(),
    CLAMD_PORT: z.coerce.number().int().min(1).max(65535).default(3310),
    CLAMD_SOCKET: z.string().min(1).optional(),
    CLAMD_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    CLAMD_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(30),
    // clamd's StreamMaxLength (its default is 25M): larger files are "unscannable" without being sent.
    CLAMD_STREAM_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(4 * 1024 ** 3)
      .default(25 * 1024 ** 2),
    EXPORT_DIRECT_MAX_ROWS: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
    EXPORT_LINK_HOURS: z.coerce
      .number()
      .min(0.001)
      .max(24 * 30)
      .default(24),
    EXPORT_WORKER: bool.default(true),
  })
  .superRefine((c, ctx) => {
    if (c.DATABASE_URL && !c.JWT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'is required when DATABASE_URL is set (production); generate one with `openssl rand -base64 48`',
      });
    }
    if (c.DATABASE_URL && !c.SECRETS_ENCRYPTION_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['SECRETS_ENCRYPTION_KEY'],
        message: 'is required when DATABASE_URL is set (production); generate one with `openssl rand -base64 32`',
      });
    }
    if ((c.ADMIN_EMAIL && !c.ADMIN_PASSWORD) || (!c.ADMIN_EMAIL && c.ADMIN_PASSWORD)) {
      ctx.addIssue({ code: 'custom', path: ['ADMIN_EMAIL'], message: 'ADMIN_EMAIL and ADMIN_PASSWORD go together' });
    }
    if (c.CLAMD_HOST && c.CLAMD_SOCKET) {
      ctx.addIssue({ code: 'custom', path: ['CLAMD_SOCKET'], message: 'give CLAMD_HOST (with CLAMD_PORT) or CLAMD_SOCKET, not both' });
    }
  });

export type RawConfig = z.infer<typeof schema>;

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  databasePoolSize: number;
  publicUrl: string;
  jwtSecret?: string;
  secretsKey?: Buffer;
  /** Domain of the Message-IDs we generate; replies are recognised by it. */
  messageIdDomain: string;
  /** Verify mail servers' certificates; off only for test servers with self-signed ones. */
  mailTlsVerify: boolean;
  sms?: { url: string; token?: string };
  mail: { worker: boolean; pollSeconds: number; reopenDays: number; maxMessageBytes: number; maxPerSenderPerHour: number; ingestConcurrency: number };
  /** Days a finished job is kept (failed ones stay until someone acts on them). */
  jobsKeepDays: number;
  /** Searches of at most this many visible tickets match them row by row, not through the full-text indexes. */
  searchScopeFirstMax: number;
  /** A search ranks at most this many of its most recently updated matches ("N+" beyond). */
  searchRankedMax: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  sessionMaxDays: number;
  resetLinkTtlHours: number;
  /** Life of a link asked for on the "forgot password" page. */
  resetRequestTtlMinutes: number;
  firstAdmin?: { email: string; password: string };
  password: { minLength: number; minScore: number };
  login: { maxFailuresPerAccount: number; maxFailuresPerIp: number; lockBaseSeconds: number };
  cookieSecure: boolean;
  trustProxy: string;
  bodyLimit: string;
  logLevel: NonNullable<RawConfig['LOG_LEVEL']>;
  /** JSON lines (production), or a short line per entry for a person at a terminal. */
  logFormat: NonNullable<RawConfig['LOG_FORMAT']>;
  /** Longest wait, on a stop, for requests and background work to finish before they are cut short. */
  shutdownTimeoutSeconds: number;
  serveWeb: boolean;
  webDistDir?: string;
  /** Where the local file store keeps attachment contents. */
  filesDir: string;
  attachments: { maxBytes: number; perRequest: number };
  /** Deposit space: size limit of one file; the 7-Zip program (found in the usual places when not set). */
  deposits: { maxBytes: number; sevenZipPath?: string };
  /**
   * The antivirus daemon, when one is configured: where it listens, how long to wait for it,
   * and how many times a scan is tried while it does not answer.
   */
  clamd?: {
    address: { host: string; port: number } | { socket: string };
    timeoutMs: number;
    maxAttempts: number;
    /** clamd's StreamMaxLength, as the operator set it: a longer file is not sent, and not served. */
    streamMaxBytes: number;
  };
  /** Exports (ADR 0043): up to `directMaxRows` rows answered at once, more by a job whose file lives `linkHours`. */
  exports: { directMaxRows: number; linkHours: number; worker: boolean };
}

export class ConfigError extends Error {}

/**
 * `interactive`: the process writes to a terminal (`npm start` by hand). Logs are then short
 * text lines, warnings and errors only unless LOG_LEVEL asks for more, so that the one-time
 * administrator password does not scroll away under a line per request.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, { interactive = false } = {}): AppConfig {
  // Empty strings mean "not set", as in most deployment tools.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir: c.DATA_DIR,
    databaseUrl: c.DATABASE_URL,
    databasePoolSize: c.DATABASE_POOL_SIZE,
    publicUrl: (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, ''),
    jwtSecret: c.JWT_SECRET,
    secretsKey: c.SECRETS_ENCRYPTION_KEY ? Buffer.from(c.SECRETS_ENCRYPTION_KEY, 'base64') : undefined,
    mailTlsVerify: c.MAIL_TLS_VERIFY,
    sms: c.SMS_WEBHOOK_URL ? { url: c.SMS_WEBHOOK_URL, token: c.SMS_WEBHOOK_TOKEN } : undefined,
    jobsKeepDays: c.JOBS_KEEP_DAYS,
    searchScopeFirstMax: c.SEARCH_SCOPE_FIRST_MAX,
    searchRankedMax: c.SEARCH_RANKED_MAX,
    mail: {
      worker: c.MAIL_WORKER,
      pollSeconds: c.MAIL_POLL_SECONDS,
      reopenDays: c.MAIL_REOPEN_DAYS,
      maxMessageBytes: c.MAIL_MAX_MESSAGE_BYTES,
      maxPerSenderPerHour: c.MAIL_MAX_PER_SENDER_PER_HOUR,
      ingestConcurrency: c.MAIL_INGEST_CONCURRENCY,
    },
    messageIdDomain: c.MAIL_MESSAGE_ID_DOMAIN ?? new URL(c.PUBLIC_URL ?? 'http://guichet.localhost').hostname,
    accessTokenTtlSeconds: c.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: c.REFRESH_TOKEN_TTL_DAYS,
    sessionMaxDays: c.SESSION_MAX_DAYS,
    resetLinkTtlHours: c.RESET_LINK_TTL_HOURS,
    resetRequestTtlMinutes: c.PASSWORD_RESET_REQUEST_TTL_MINUTES,
    firstAdmin: c.ADMIN_EMAIL && c.ADMIN_PASSWORD ? { email: c.ADMIN_EMAIL, password: c.ADMIN_PASSWORD } : undefined,
    password: { minLength: c.PASSWORD_MIN_LENGTH, minScore: c.PASSWORD_MIN_SCORE },
    login: {
      maxFailuresPerAccount: c.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerIp: c.LOGIN_MAX_FAILURES_PER_IP,
      lockBaseSeconds: c.LOGIN_LOCK_BASE_SECONDS,
    },
    cookieSecure: c.COOKIE_SECURE,
    trustProxy: c.TRUST_PROXY,
    bodyLimit: c.BODY_LIMIT,
    logLevel: c.LOG_LEVEL ?? (interactive ? 'warn' : 'info'),
    logFormat: c.LOG_FORMAT ?? (interactive ? 'text' : 'json'),
    shutdownTimeoutSeconds: c.SHUTDOWN_TIMEOUT_SECONDS,
    serveWeb: c.SERVE_WEB,
    webDistDir: c.WEB_DIST_DIR,
    filesDir: c.FILES_DIR ?? join(c.DATA_DIR, 'files'),
    attachments: { maxBytes: c.ATTACHMENT_MAX_BYTES, perRequest: c.ATTACHMENTS_PER_REQUEST },
    deposits: { maxBytes: c.DEPOSIT_MAX_BYTES, sevenZipPath: c.SEVEN_ZIP_PATH },
    clamd: clamdConfig(c),
    exports: { directMaxRows: c.EXPORT_DIRECT_MAX_ROWS, linkHours: c.EXPORT_LINK_HOURS, worker: c.EXPORT_WORKER },
  };
}

function clamdConfig(c: RawConfig): AppConfig['clamd'] {
  const address = c.CLAMD_SOCKET ? { socket: c.CLAMD_SOCKET } : c.CLAMD_HOST ? { host: c.CLAMD_HOST, port: c.CLAMD_PORT } : undefined;
  return address && { address, timeoutMs: c.CLAMD_TIMEOUT_SECONDS * 1000, maxAttempts: c.CLAMD_MAX_ATTEMPTS, streamMaxBytes: c.CLAMD_STREAM_MAX_BYTES };
}

/** Settings that the server resolves at boot (database URL of the embedded server, generated secret). */
export interface RuntimeConfig extends AppConfig {
  databaseUrl: string;
  jwtSecret: string;
  secretsKey: Buffer;
}

export const RUNTIME_CONFIG = Symbol('RUNTIME_CONFIG');
