import { Injectable } from '@nestjs/common';
import {
  CMDB_IMPORT_MAX_ERRORS,
  CMDB_IMPORT_MAX_ROWS,
  CMDB_ITEM_STATUSES,
  CMDB_RELATION_KINDS,
  CMDB_RELATION_LABELS,
  type CmdbAttributeDefinition,
  type CmdbAttributes,
  type CmdbImportReport,
  type CmdbItemStatus,
  type CmdbRelationKind,
} from '@guichet/contracts';
import { AccessPolicy } from '../access/access-policy';
import type { AuthenticatedContext, Principal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { ForbiddenError, NotFoundError, ValidationError } from '../common/errors';
import { Database, type Queryable } from '../database/database';
import { checkAttributes } from './cmdb-schema';
import { ATTRIBUTE_PREFIX, type CellInput, readSheets, type SheetRow, type SheetTable } from './cmdb-sheets';
import { CmdbRepository, type HistoryChange, type ItemRecord, itemCondition, type TypeRecord } from './cmdb.repository';
import { CmdbTypesRepository } from './cmdb-types.repository';
import { CmdbService } from './cmdb.service';

export interface ImportFile {
  /** The name the client gave (shown in the report only). */
  name: string;
  content: Buffer;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TRUE_WORDS = new Set(['true', 'yes', 'oui', 'vrai', '1', 'x']);
const FALSE_WORDS = new Set(['false', 'no', 'non', 'faux', '0']);

/** What the run ends with; thrown to roll a dry run (or a run with errors) back. */
class RolledBack extends Error {
  constructor(readonly report: CmdbImportReport) {
    super('rolled back');
  }
}

/** An item as the run knows it: loaded from the project, or written by an earlier line. */
interface KnownItem {
  id: string;
  name: string;
  type: Pick<TypeRecord, 'id' | 'code' | 'attributes'>;
  status: CmdbItemStatus;
  ownerId: string | null;
  tags: string[];
  attributes: CmdbAttributes;
  shared: boolean;
  externalId: string | null;
  /** The line of the file that wrote it, if one did. */
  line?: number;
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const nameKey = (typeId: string, name: string) => `${typeId}\u0000${name.toLowerCase()}`;

/** A cell as text: numbers as written, dates as their day, true/false as words. */
function text(cell: CellInput): string | null {
  if (cell === null) return null;
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return String(cell).trim() || null;
}

function bool(cell: CellInput): boolean | null | undefined {
  if (typeof cell === 'boolean') return cell;
  const t = text(cell)?.toLowerCase();
  if (t === undefined || t === null) return null;
  if (TRUE_WORDS.has(t)) return true;
  if (FALSE_WORDS.has(t)) return false;
  return undefined;
}

/** A cell as the value of an attribute of `def`'s kind; what does not convert is left for the schema to refuse. */
function attributeValue(def: CmdbAttributeDefinition | undefined, cell: CellInput): unknown {
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  switch (def?.kind) {
    case 'number': {
      if (typeof cell !== 'string') return cell;
      const n = Number(cell.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.'));
      return Number.isFinite(n) ? n : cell;
    }
    case 'boolean': {
      const b = bool(cell);
      return b === undefined || b === null ? cell : b;
    }
    default:
      return typeof cell === 'number' || typeof cell === 'boolean' ? String(cell) : cell;
  }
}

/**
 * Import of items and relations from CSV or .xlsx files into one project (issue 19 point 6, ADR
 * 0047, docs/cmdb.md). Every line is checked as the item forms check it (same schema code, same
 * owner and reference rules) and written in one transaction, in file order, so a later line may
 * name an item an earlier one creates. The run goes to the end whatever it finds, so the report
 * lists every bad line; then a dry run, or a run with errors, is rolled back: a dry run tells
 * exactly what the real run would do, and a real run is all or nothing.
 */
@Injectable()
export class CmdbImportService {
  constructor(
    private readonly db: Database,
    private readonly repo: CmdbRepository,
    private readonly types: CmdbTypesRepository,
    private readonly items: CmdbService,
    private readonly policy: AccessPolicy,
    private readonly audit: AuditService,
  ) {}

  /** `read` gives the uploaded files; it is called once the project is known to be the caller's to change. */
  async import(ctx: AuthenticatedContext, projectKey: string, read: () => Promise<ImportFile[]>, dryRun: boolean): Promise<CmdbImportReport> {
    const p = ctx.principal;
    const project = await this.repo.findProject(projectKey);
    const level = project ? this.policy.projectAccess(p, project) : 'none';
    if (!project || !this.items.seesItemsOf(p, project, level)) throw new NotFoundError('project', projectKey);
    if (level !== 'write' || !p.rights.has('cmdb.manage')) throw new ForbiddenError('You may not add or change configuration items in this project.');
    const files = await read();
    if (!files.length) throw new ValidationError('Send a CSV or .xlsx file in the "file" field.');
    const tables: SheetTable[] = [];
    let rows = 0;
    for (const f of files) {
      for (const t of await readSheets(f.name, f.content, CMDB_IMPORT_MAX_ROWS - rows)) {
        rows += t.rows.length;
        tables.push(t);
      }
    }
    let report: CmdbImportReport;
    try {
      report = await this.db.exclusiveTransaction(`cmdb-import:${project.id}`, async (tx) => {
        const run = new ImportRun(p, { ...project, key: project.key }, this.repo, this.types, this.items, this.policy, tx);
        const done = await run.execute(tables, dryRun);
        if (dryRun || done.errors.length) throw new RolledBack(done);
        await this.audit.record(ctx, { action: 'cmdb.imported', objectType: 'project', objectId: project.id, details: auditDetails(done, files) }, tx);
        return done;
      });
    } catch (err) {
      if (!(err instanceof RolledBack)) throw err;
      report = err.report;
    }
    if (report.applied) return report;
    const failed = !dryRun && report.errors.length > 0;
    await this.audit.record(ctx, {
      action: 'cmdb.imported',
      outcome: failed ? 'failure' : 'success',
      objectType: 'project',
      objectId: project.id,
      details: auditDetails(report, files),
    });
    if (failed) {
      const count = report.errors.length + report.moreErrors;
      throw new ValidationError(
        `The file has ${count === 1 ? 'one error' : `${count} errors`}: nothing was imported.`,
        report.errors.map(
          (e) => [e.file, e.line === null ? null : `line ${e.line}`, e.column && `column ${e.column}`].filter(Boolean).join(', ') + `: ${e.message}`,
        ),
      );
    }
    return report;
  }
}

function auditDetails(r: CmdbImportReport, files: ImportFile[]): Record<string, unknown> {
  return {
    project: r.project,
    dryRun: r.dryRun,
    files: files.map((f) => ({ name: f.name.slice(0, 200), bytes: f.content.length })),
    items: r.items,
    relations: r.relations,
    errors: r.errors.length + r.moreErrors,
  };
}

/** One run of an import, inside its transaction. */
class ImportRun {
  private readonly report: CmdbImportReport;
  private readonly byExternalId = new Map<string, KnownItem>();
  private readonly byName = new Map<string, KnownItem>();
  /** Lines whose item could not be written, by the external id and the name they give: a relation to it says so. */
  private readonly failed = new Map<string, number>();
  private readonly typeCache = new Map<string, TypeRecord | null>();
  private readonly ownerCache = new Map<string, string | null>();
  private readonly otherProjects = new Map<string, { id: string; spaceId: string } | null>();

  constructor(
    private readonly p: Principal,
    private readonly project: { id: string; spaceId: string; key: string },
    private readonly repo: CmdbRepository,
    private readonly types: CmdbTypesRepository,
    private readonly items: CmdbService,
    private readonly policy: AccessPolicy,
    private readonly tx: Queryable,
  ) {
    this.report = {
      project: project.key,
      dryRun: false,
      applied: false,
      items: { created: 0, updated: 0, unchanged: 0 },
      relations: { created: 0, unchanged: 0 },
      errors: [],
      moreErrors: 0,
    };
  }

  async execute(tables: SheetTable[], dryRun: boolean): Promise<CmdbImportReport> {
    this.report.dryRun = dryRun;
    for (const item of await this.repo.projectItems(this.project.id, itemCondition(this.p, 'i'), this.tx)) this.remember(this.known(item));
    // Items first, whichever file or sheet they come in: relations name them.
    for (const t of tables.filter((x) => x.kind === 'items')) {
      this.headerProblems(t);
      for (const row of t.rows) await this.itemLine(t, row);
    }
    for (const t of tables.filter((x) => x.kind === 'relations')) {
      this.headerProblems(t);
      const seen = new Map<string, number>();
      for (const row of t.rows) await this.relationLine(t, row, seen);
    }
    this.report.applied = !dryRun && !this.report.errors.length && !this.report.moreErrors;
    return this.report;
  }

  private error(t: SheetTable, line: number | null, column: string | null, message: string): void {
    if (this.report.errors.length >= CMDB_IMPORT_MAX_ERRORS) {
      this.report.moreErrors++;
      return;
    }
    const spelled = column === null ? null : (t.columns.get(column) ?? column.replace(/^#/, ''));
    this.report.errors.push({ file: t.file, table: t.kind, line, column: spelled, message });
  }

  private headerProblems(t: SheetTable): void {
    for (const u of t.unknown) {
      const what =
        t.kind === 'items'
          ? 'external_id, project, type, name, status, owner, tags, shared or attr.<key>'
          : 'from_project, from_type, from, kind, to_project, to_type, to';
      this.report.errors.push({
        file: t.file,
        table: t.kind,
        line: t.headerLine,
        column: u.header || `#${u.index + 1}`,
        message: `unknown or repeated column (the columns are ${what})`,
      });
    }
  }

  private lineProblems(t: SheetTable, row: SheetRow): boolean {
    for (const [key, problem] of row.problems) this.error(t, row.line, key, problem);
    return row.problems.size > 0;
  }

  private known(i: ItemRecord): KnownItem {
    return {
      id: i.id,
      name: i.name,
      type: i.type,
      status: i.status,
      ownerId: i.owner?.id ?? null,
      tags: i.tags,
      attributes: i.attributes,
      shared: i.shared,
      externalId: i.externalId,
    };
  }

  private remember(k: KnownItem): void {
    if (k.externalId) this.byExternalId.set(k.externalId, k);
    this.byName.set(nameKey(k.type.id, k.name), k);
  }

  private forget(k: KnownItem): void {
    if (k.externalId && this.byExternalId.get(k.externalId) === k) this.byExternalId.delete(k.externalId);
    if (this.byName.get(nameKey(k.type.id, k.name)) === k) this.byName.delete(nameKey(k.type.id, k.name));
  }

  private async type(code: string): Promise<TypeRecord | null> {
    if (!this.typeCache.has(code)) this.typeCache.set(code, (await this.types.findTypeByCode(code, this.tx)) ?? null);
    return this.typeCache.get(code) ?? null;
  }

  // ---- items

  private async itemLine(t: SheetTable, row: SheetRow): Promise<void> {
    const before = this.report.errors.length + this.report.moreErrors;
    const bad = (column: string | null, message: string) => this.error(t, row.line, column, message);
    this.lineProblems(t, row);
    const c = row.cells;
    const name = text(c.get('name') ?? null);
    if (!name) bad('name', 'the name is required');
    else if (name.length > 200) bad('name', 'the name is longer than 200 characters');
    const externalId = t.columns.has('external_id') ? text(c.get('external_id') ?? null) : undefined;
    if (externalId && externalId.length > 200) bad('external_id', 'the external id is longer than 200 characters');
    const projectCell = text(c.get('project') ?? null);
    if (projectCell && projectCell.toUpperCase() !== this.project.key.toUpperCase())
      bad('project', `this line is for the project ${projectCell}, and the file is imported into ${this.project.key}`);
    const typeCode = text(c.get('type') ?? null);
    const type = typeCode ? await this.type(typeCode.toLowerCase()) : null;
    if (!typeCode) bad('type', 'the type is required');
    else if (!type) bad('type', `no type has the code ${typeCode}`);

    // The item this line is about: by external id, else by name within the type.
    let current: KnownItem | undefined;
    if (externalId) current = this.byExternalId.get(externalId);
    if (!current && type && name) {
      const named = this.byName.get(nameKey(type.id, name));
      if (named?.externalId && externalId && named.externalId !== externalId)
        bad('name', `an item of this type has this name with the external id ${named.externalId}`);
      else current = named;
    }
    if (current && type && current.type.id !== type.id)
      bad('type', `the item ${current.name} is of the type ${current.type.code}; an import does not change a type`);
    if (current?.line !== undefined) bad(null, `the same item as line ${current.line}`);

    const statusCell = text(c.get('status') ?? null);
    let status: CmdbItemStatus | undefined;
    if (statusCell) {
      const s = statusCell.toLowerCase() as CmdbItemStatus;
      if (CMDB_ITEM_STATUSES.includes(s)) status = s;
      else bad('status', `the status must be one of: ${CMDB_ITEM_STATUSES.join(', ')}`);
    }
    let ownerId: string | null | undefined;
    if (t.columns.has('owner')) ownerId = await this.owner(text(c.get('owner') ?? null), (m) => bad('owner', m));
    let tags: string[] | undefined;
    if (t.columns.has('tags')) {
      tags = [];
      for (const tag of (text(c.get('tags') ?? null) ?? '').split(',')) {
        const v = tag.trim();
        if (v.length > 50) bad('tags', `the tag ${v.slice(0, 20)}… is longer than 50 characters`);
        else if (v && !tags.includes(v)) tags.push(v);
      }
      if (tags.length > 30) bad('tags', 'at most 30 tags');
    }
    let shared: boolean | undefined;
    if (t.columns.has('shared')) {
      const b = bool(c.get('shared') ?? null);
      if (b === undefined) bad('shared', 'must be true or false (yes, no)');
      else shared = b ?? false;
      if (shared !== undefined && shared !== (current?.shared ?? false) && !this.policy.actsForSpace(this.p, this.project.spaceId))
        bad('shared', 'only the provider’s agents mark items as shared');
    }

    let attributes: CmdbAttributes = {};
    if (type) {
      const merged: Record<string, unknown> = { ...(current?.attributes ?? {}) };
      for (const key of t.columns.keys()) {
        if (!key.startsWith(ATTRIBUTE_PREFIX)) continue;
        const attr = key.slice(ATTRIBUTE_PREFIX.length);
        const def = type.attributes.find((d) => d.key === attr);
        const cell = c.get(key) ?? null;
        if (cell === null) delete merged[attr];
        else if (def?.kind === 'reference' && typeof cell === 'string' && !UUID.test(cell)) {
          const target = this.byExternalId.get(cell) ?? [...this.byName.values()].find((k) => k.name.toLowerCase() === cell.toLowerCase());
          if (target) merged[attr] = target.id;
          else bad(key, `no item ${cell} in the project ${this.project.key}`);
        } else merged[attr] = attributeValue(def, cell);
      }
      const check = checkAttributes(type.attributes, merged);
      for (const e of check.errors) {
        const m = /^attributes\.([^:]+): (.*)$/.exec(e);
        if (m) bad(`${ATTRIBUTE_PREFIX}${m[1]}`, m[2]!);
        else bad(null, e);
      }
      if (check.references.length) {
        const found = await this.repo.itemTypes(
          check.references.map((r) => r.id),
          itemCondition(this.p, 'i'),
          this.tx,
        );
        for (const ref of check.references) {
          const target = found.get(ref.id);
          if (!target || target.spaceId !== this.project.spaceId) bad(`${ATTRIBUTE_PREFIX}${ref.key}`, 'no such item');
          else if (ref.refTypes.length && !ref.refTypes.includes(target.typeCode))
            bad(`${ATTRIBUTE_PREFIX}${ref.key}`, `must be an item of type ${ref.refTypes.join(' or ')}`);
        }
      }
      attributes = check.values;
    }

    if (this.report.errors.length + this.report.moreErrors > before || !type || !name) {
      if (externalId) this.failed.set(externalId, row.line);
      if (name) this.failed.set(name.toLowerCase(), row.line);
      return;
    }
    if (!current) await this.create(t, row, { type, name, externalId: externalId ?? null, status, ownerId, tags, shared, attributes });
    else await this.update(t, row, current, { name, externalId, status, ownerId, tags, shared, attributes });
  }

  /** An owner given by e-mail address (or account id): an active account with some access to the project. */
  private async owner(given: string | null, bad: (m: string) => void): Promise<string | null | undefined> {
    if (!given) return null;
    const key = given.toLowerCase();
    if (!this.ownerCache.has(key)) {
      const fits = this.policy.projectParticipantCondition('a', 'pf', this.project);
      const id = UUID.test(key) ? ((await this.repo.accountFits(key, fits, this.tx)) ? key : undefined) : await this.repo.accountIdByEmail(key, fits, this.tx);
      this.ownerCache.set(key, id ?? null);
    }
    const id = this.ownerCache.get(key);
    if (!id) {
      bad(`no account ${given.slice(0, 200)} in this project`);
      return undefined;
    }
    return id;
  }

  private async create(
    t: SheetTable,
    row: SheetRow,
    v: {
      type: TypeRecord;
      name: string;
      externalId: string | null;
      status?: CmdbItemStatus;
      ownerId?: string | null;
      tags?: string[];
      shared?: boolean;
      attributes: CmdbAttributes;
    },
  ): Promise<void> {
    const item: KnownItem = {
      id: '',
      name: v.name,
      type: v.type,
      status: v.status ?? 'production',
      ownerId: v.ownerId ?? null,
      tags: v.tags ?? [],
      attributes: v.attributes,
      shared: v.shared ?? false,
      externalId: v.externalId,
      line: row.line,
    };
    const id = await this.repo.insertItem(
      {
        projectId: this.project.id,
        spaceId: this.project.spaceId,
        typeId: v.type.id,
        name: item.name,
        status: item.status,
        ownerId: item.ownerId,
        tags: item.tags,
        attributes: item.attributes,
        shared: item.shared,
        externalId: item.externalId,
        createdBy: this.p.accountId,
      },
      this.tx,
    );
    if (!id) {
      this.error(t, row.line, null, 'an item of this type with this name (or this external id) exists in the project');
      return;
    }
    item.id = id;
    await this.repo.addHistory(
      id,
      this.p.accountId,
      [{ field: 'created', before: null, after: { name: item.name, type: v.type.code, project: this.project.key }, note: 'import' }],
      this.tx,
    );
    this.remember(item);
    this.report.items.created++;
  }

  private async update(
    t: SheetTable,
    row: SheetRow,
    item: KnownItem,
    v: {
      name: string;
      externalId?: string | null;
      status?: CmdbItemStatus;
      ownerId?: string | null;
      tags?: string[];
      shared?: boolean;
      attributes: CmdbAttributes;
    },
  ): Promise<void> {
    const next = {
      name: v.name,
      status: v.status ?? item.status,
      ownerId: v.ownerId === undefined ? item.ownerId : v.ownerId,
      tags: v.tags ?? item.tags,
      attributes: v.attributes,
      shared: v.shared ?? item.shared,
      // An empty external id leaves the stored one: a file matched by name need not carry it.
      externalId: v.externalId || item.externalId,
    };
    const changes: HistoryChange[] = [];
    const field = (name: string, before: unknown, after: unknown) => {
      if (!sameValue(before, after)) changes.push({ field: name, before: before ?? null, after: after ?? null, note: 'import' });
    };
    field('name', item.name, next.name);
    field('status', item.status, next.status);
    field('owner', item.ownerId, next.ownerId);
    field('tags', item.tags, next.tags);
    field('shared', item.shared, next.shared);
    field('externalId', item.externalId, next.externalId);
    for (const key of new Set([...Object.keys(item.attributes), ...Object.keys(next.attributes)])) {
      field(`attributes.${key}`, item.attributes[key], next.attributes[key]);
    }
    item.line = row.line;
    if (!changes.length) {
      this.report.items.unchanged++;
      return;
    }
    if (!(await this.repo.updateItem(item.id, next, this.tx))) {
      this.error(t, row.line, 'name', 'another item of this type has this name (or this external id) in the project');
      return;
    }
    await this.repo.addHistory(item.id, this.p.accountId, changes, this.tx);
    this.forget(item);
    Object.assign(item, next);
    this.remember(item);
    this.report.items.updated++;
  }

  // ---- relations

  private async relationLine(t: SheetTable, row: SheetRow, seen: Map<string, number>): Promise<void> {
    const before = this.report.errors.length + this.report.moreErrors;
    const bad = (column: string | null, message: string) => this.error(t, row.line, column, message);
    this.lineProblems(t, row);
    const c = row.cells;
    const kindCell = text(c.get('kind') ?? null);
    const kind = kindCell?.toLowerCase() as CmdbRelationKind | undefined;
    if (!kindCell) bad('kind', 'the kind of relation is required');
    else if (!CMDB_RELATION_KINDS.includes(kind!)) bad('kind', `the kind must be one of: ${CMDB_RELATION_KINDS.join(', ')}`);
    const from = await this.end(c, 'from', bad);
    const to = await this.end(c, 'to', bad);
    if (this.report.errors.length + this.report.moreErrors > before || !from || !to || !kind) return;
    if (from.id === to.id) return bad('to', 'an item cannot be related to itself');
    if (from.spaceId !== to.spaceId) return bad('to', 'relations stay within one space');
    if (!this.items.canEdit(this.p, from) || !this.items.canEdit(this.p, to)) return bad(null, 'you may not change these configuration items');
    const key = `${from.id}/${kind}/${to.id}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) return bad(null, `the same relation as line ${earlier}`);
    seen.set(key, row.line);
    const created = await this.repo.insertRelation({ spaceId: from.spaceId, fromId: from.id, toId: to.id, kind, createdBy: this.p.accountId }, this.tx);
    if (!created) {
      this.report.relations.unchanged++;
      return;
    }
    const label = CMDB_RELATION_LABELS[kind];
    await this.repo.addHistory(
      from.id,
      this.p.accountId,
      [{ field: 'relation', before: null, after: { id: created, kind, to: to.id }, note: `import: ${label.en} ${to.name}` }],
      this.tx,
    );
    await this.repo.addHistory(
      to.id,
      this.p.accountId,
      [{ field: 'relation', before: null, after: { id: created, kind, from: from.id }, note: `import: ${label.reverseEn} ${from.name}` }],
      this.tx,
    );
    await this.repo.touchItem(from.id, this.tx);
    await this.repo.touchItem(to.id, this.tx);
    this.report.relations.created++;
  }

  /**
   * One end of a relation: an item of the import's project (those of the file included), or of
   * another project of the caller's (`from_project`, `to_project`), by external id, else by name
   * (the type column tells apart items of the same name). An item the caller may not see is no such item.
   */
  private async end(c: Map<string, CellInput>, side: 'from' | 'to', bad: (column: string | null, m: string) => void): Promise<ItemRecord | undefined> {
    const ref = text(c.get(side) ?? null);
    const typeCode = text(c.get(`${side}_type`) ?? null)?.toLowerCase() ?? null;
    const projectKey = text(c.get(`${side}_project`) ?? null)?.toUpperCase() ?? this.project.key;
    if (!ref) {
      bad(side, `the item at the ${side === 'from' ? 'start' : 'end'} of the relation is required`);
      return undefined;
    }
    const visible = itemCondition(this.p, 'i');
    let candidates: ItemRecord[];
    if (projectKey === this.project.key.toUpperCase()) {
      const failedLine = this.failed.get(ref) ?? this.failed.get(ref.toLowerCase());
      const byId = this.byExternalId.get(ref);
      const matches = byId
        ? [byId]
        : [...this.byName.values()].filter((k) => k.name.toLowerCase() === ref.toLowerCase() && (!typeCode || k.type.code === typeCode));
      if (!matches.length && failedLine !== undefined) {
        bad(side, `the item ${ref} is on line ${failedLine}, which has errors`);
        return undefined;
      }
      candidates = [];
      for (const m of matches.slice(0, 2)) {
        candidates.push(await this.items.visibleItem(this.p, m.id, this.tx));
      }
    } else {
      let other = this.otherProjects.get(projectKey);
      if (other === undefined) {
        const found = await this.repo.findProject(projectKey, this.tx);
        other = found && this.items.seesItemsOf(this.p, found, this.policy.projectAccess(this.p, found)) ? found : null;
        this.otherProjects.set(projectKey, other);
      }
      const all = other ? await this.repo.itemsByRef(other.id, ref, typeCode, visible, this.tx) : [];
      const exact = all.filter((i) => i.externalId === ref);
      candidates = exact.length ? exact : all.filter((i) => i.name.toLowerCase() === ref.toLowerCase());
    }
    if (!candidates.length) {
      bad(side, `no item ${ref}${typeCode ? ` of type ${typeCode}` : ''} in the project ${projectKey}`);
      return undefined;
    }
    if (candidates.length > 1) {
      bad(side, `several items are named ${ref}: give their type in the column ${side}_type`);
      return undefined;
    }
    return candidates[0];
  }
}
