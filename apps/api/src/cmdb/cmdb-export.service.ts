import { Injectable } from '@nestjs/common';
import type { CmdbAttributeValue, CmdbExportTable } from '@guichet/contracts';
import type { Writable } from 'node:stream';
import type { AuthenticatedContext } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { ValidationError } from '../common/errors';
import { CONTENT_TYPES, type TableColumn, type TableDocument, type TableRow, type TableSheet, writeTable } from '../exports/writers/table-writer';
import { describeFilters } from '../exports/ticket-table';
import { ATTRIBUTE_PREFIX, ITEM_COLUMNS, RELATION_COLUMNS } from './cmdb-sheets';
import { CmdbRepository, type ExportRelationRow, type ItemRecord, itemCondition } from './cmdb.repository';
import type { CmdbExportQueryDto } from './cmdb.dto';
import { attributeFilters } from './cmdb.service';

/** More items than a person re-imports in a file; a larger export is narrowed by the list's filters. */
export const CMDB_EXPORT_MAX_ITEMS = 50_000;
const MAX_RELATIONS = 200_000;

const ABOUT = {
  title: { fr: 'Export de la CMDB', en: 'CMDB export' },
  by: { fr: 'Exporté par', en: 'Exported by' },
  at: { fr: 'Exporté le (Europe/Paris)', en: 'Exported at (Europe/Paris)' },
  filters: { fr: 'Filtres', en: 'Filters' },
  items: { fr: 'Éléments', en: 'Items' },
  relations: { fr: 'Relations', en: 'Relations' },
  note: {
    fr: 'Ce fichier se réimporte tel quel (Importer, sur la liste des éléments) : les éléments sont retrouvés par leur identifiant externe, sinon par leur nom et leur type.',
    en: 'This file imports back as it is (Import, on the item list): items are matched by their external id, else by their name and type.',
  },
};

export interface CmdbExportFile {
  filename: string;
  contentType: string;
  write(out: Writable): Promise<void>;
}

const cellOf = (v: CmdbAttributeValue | undefined): string | number | null => (v === undefined || v === null ? null : typeof v === 'boolean' ? String(v) : v);

/**
 * Export of the items the caller sees (the CI list's filters) and of their relations, in the
 * import's own columns so that the file imports back (ADR 0047): a workbook with an `items` and
 * a `relations` sheet, or a CSV file of one of them. Written by the ticket exports' writers
 * (ADR 0042): formulas neutralised in CSV, typed strings in the workbook.
 */
@Injectable()
export class CmdbExportService {
  constructor(
    private readonly repo: CmdbRepository,
    private readonly audit: AuditService,
  ) {}

  async export(ctx: AuthenticatedContext, q: CmdbExportQueryDto): Promise<CmdbExportFile> {
    const p = ctx.principal;
    const { format, table, bom, semicolon, limit: _limit, offset: _offset, ...query } = q;
    const filter = {
      q: query.q?.trim() || undefined,
      type: query.type,
      status: query.status,
      project: query.project,
      tag: query.tag,
      attr: attributeFilters(query.attr),
    };
    const tables: CmdbExportTable[] = format === 'csv' ? [table ?? 'items'] : ['items', 'relations'];
    const items = tables.includes('items') ? await this.repo.exportItems(itemCondition(p, 'i'), filter, CMDB_EXPORT_MAX_ITEMS + 1) : [];
    if (items.length > CMDB_EXPORT_MAX_ITEMS)
      throw new ValidationError(`More than ${CMDB_EXPORT_MAX_ITEMS} items match: narrow the list with its filters (a project, a type) and export again.`);
    const relations = tables.includes('relations') ? await this.repo.exportRelations((a) => itemCondition(p, a), filter, MAX_RELATIONS) : [];
    const options = format === 'csv' ? { bom: bom === true, semicolon: semicolon === true } : {};
    await this.audit.record(ctx, {
      action: 'cmdb.exported',
      details: { format, tables, filters: query, options, items: items.length, relations: relations.length },
    });
    const now = new Date();
    const l = p.locale;
    const sheets: TableSheet[] = [];
    if (tables.includes('items')) sheets.push(itemSheet(items));
    if (tables.includes('relations')) sheets.push(relationSheet(relations));
    const when = new Intl.DateTimeFormat(l === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'medium' }).format(now);
    const doc: TableDocument = {
      about: {
        title: ABOUT.title[l],
        lines: [
          [ABOUT.by[l], `${p.displayName} <${p.email}>`],
          [ABOUT.at[l], when],
          [ABOUT.filters[l], describeFilters(query, l)],
          ...(tables.includes('items') ? [[ABOUT.items[l], String(items.length)] as const] : []),
          ...(tables.includes('relations') ? [[ABOUT.relations[l], String(relations.length)] as const] : []),
          ['', ABOUT.note[l]],
        ],
      },
      sheets,
    };
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(now);
    return {
      filename: `cmdb-${format === 'csv' ? tables[0] : 'export'}-${day}.${format}`,
      contentType: CONTENT_TYPES[format],
      write: async (out) => {
        await writeTable(format, doc, out, { csv: options });
      },
    };
  }
}

const column = (key: string, width?: number): TableColumn => ({ key, label: key, type: 'text', width });

/** The items' sheet: the fixed columns, then one `attr.<key>` column per attribute of the types present. */
function itemSheet(items: (ItemRecord & { ownerEmail: string | null })[]): TableSheet {
  const keys: string[] = [];
  for (const i of items) for (const d of i.type.attributes) if (!keys.includes(d.key)) keys.push(d.key);
  const widths: Record<string, number> = { external_id: 16, project: 10, type: 14, name: 30, status: 12, owner: 26, tags: 20, shared: 8 };
  const columns = [...ITEM_COLUMNS.map((k) => column(k, widths[k])), ...keys.map((k) => column(ATTRIBUTE_PREFIX + k, 18))];
  const rows = items.map((i): TableRow => ({
    external_id: i.externalId,
    project: i.projectKey,
    type: i.type.code,
    name: i.name,
    status: i.status,
    owner: i.ownerEmail,
    tags: i.tags.join(', '),
    shared: String(i.shared),
    ...Object.fromEntries(keys.map((k) => [ATTRIBUTE_PREFIX + k, cellOf(i.attributes[k])])),
  }));
  return { name: 'items', columns, rows };
}

function relationSheet(relations: ExportRelationRow[]): TableSheet {
  const rows = relations.map((r): TableRow => ({
    from_project: r.from_project,
    from_type: r.from_type,
    from: r.from_ref,
    kind: r.kind,
    to_project: r.to_project,
    to_type: r.to_type,
    to: r.to_ref,
  }));
  return { name: 'relations', columns: RELATION_COLUMNS.map((k) => column(k, k === 'from' || k === 'to' ? 30 : 14)), rows };
}
