import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '../../../..');
const src = join(root, 'apps/api/src');

/** The `no-restricted-imports` messages ESLint gives each (file, import) with the workspace's own config. */
function restricted(cases: { file: string; from: string }[]): string[][] {
  const script = `
    import { ESLint } from 'eslint';
    const eslint = new ESLint({ cwd: process.cwd() });
    const cases = JSON.parse(process.argv[1]);
    const out = [];
    for (const c of cases) {
      const [result] = await eslint.lintText("import '" + c.from + "';\\n", { filePath: c.file });
      out.push(result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message));
    }
    console.log(JSON.stringify(out));`;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(cases)], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as string[][];
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'migrations' ? [] : sources(path);
    return e.name.endsWith('.ts') && !/\.(spec|integration-spec)\.ts$/.test(e.name) ? [path] : [];
  });
}

describe('boundaries between API folders (docs/architecture.md)', () => {
  it('lint refuses a back-edge and lets the ticket port through', () => {
    const [ticketsToNotifications, commonToAudit, mailToTicketService, dtoToNotifications, mailToPort, notificationsToPort] = restricted([
      { file: 'apps/api/src/tickets/tickets.service.ts', from: '../notifications/ticket-notifications' },
      { file: 'apps/api/src/common/sql.ts', from: '../audit/audit.service' },
      { file: 'apps/api/src/mail/mail-ingestion.ts', from: '../tickets/tickets.service' },
      { file: 'apps/api/src/tickets/dto/tickets.dto.ts', from: '../../notifications/notification-queues' },
      { file: 'apps/api/src/mail/mail-ingestion.ts', from: '../tickets/ticket-port' },
      { file: 'apps/api/src/notifications/notification-sender.ts', from: '../tickets/ticket-port' },
    ]);
    expect(ticketsToNotifications).toEqual([expect.stringContaining('tickets/ may not depend on notifications/')]);
    expect(commonToAudit).toEqual([expect.stringContaining('common/ may not depend on audit/')]);
    expect(mailToTicketService).toEqual([expect.stringContaining('mail/ reaches tickets/ through tickets/ticket-port')]);
    expect(dtoToNotifications).toEqual([expect.stringContaining('tickets/ may not depend on notifications/')]);
    expect(mailToPort).toEqual([]);
    expect(notificationsToPort).toEqual([]);
  }, 120_000);

  it('only the ticket journal writes ticket history rows and updated_at', () => {
    const writers = sources(src)
      .filter((f) => /INSERT INTO ticket_events|UPDATE tickets\b/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(src, f));
    // The clocks keep their due instants on the ticket (ADR 0051), called by the journal in its
    // transaction; they write those columns only, never history nor `updated_at`.
    expect(writers).toEqual(['clocks/ticket-clocks.repository.ts', 'tickets/ticket-journal.repository.ts']);
    const clocks = readFileSync(join(src, 'clocks/ticket-clocks.repository.ts'), 'utf8');
    expect(clocks.match(/UPDATE tickets[^`]*/g)).toEqual([expect.stringMatching(/^UPDATE tickets t SET sla_due_at = u\.due_at, sla_risk_at = u\.risk_at\s/)]);
  });
});
