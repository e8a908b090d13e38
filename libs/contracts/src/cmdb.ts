/**
 * Configuration management (R4, issue 19): item types with their attribute schemas,
 * configuration items of a project, typed relations between them, impact analysis, history and
 * links to tickets. Shared by the API and the web client. The visibility rule is in docs/cmdb.md.
 */

/** Kinds of attribute a type's schema may declare. */
export const CMDB_ATTRIBUTE_KINDS = ['text', 'number', 'date', 'enum', 'boolean', 'url', 'ip', 'reference'] as const;
export type CmdbAttributeKind = (typeof CMDB_ATTRIBUTE_KINDS)[number];

/** One attribute of a type's schema. */
export interface CmdbAttributeDefinition {
  /** Stable key, as stored in the items' attributes: a lower-case letter then letters, digits or `_` (max 40). */
  key: string;
  labelFr: string;
  labelEn: string;
  kind: CmdbAttributeKind;
  required: boolean;
  /** `enum` only: the listed values (1 to 100, each 1 to 100 characters, no duplicate). */
  values?: string[];
  /** `reference` only: codes of the types the referenced item may be of (empty or absent: any type). */
  refTypes?: string[];
}

/**
 * Values of attributes as the API stores and returns them: text, url, ip, enum and date
 * (`YYYY-MM-DD`) as strings, number as number, boolean as boolean, reference as the id of the
 * referenced item (same space).
 */
export type CmdbAttributeValue = string | number | boolean;
export type CmdbAttributes = Record<string, CmdbAttributeValue>;

/** Codes of the types shipped by the migration (their names are stored in French and English). */
export const CMDB_DEFAULT_TYPE_CODES = [
  'server',
  'virtual_machine',
  'database',
  'web_site',
  'domain_name',
  'tls_certificate',
  'application',
  'network_device',
  'service',
  'backup',
] as const;

/** A type of configuration item, as listed. */
export interface CmdbType {
  id: string;
  /** Stable code: a lower-case letter then lower-case letters, digits or `_` (2 to 40). */
  code: string;
  nameFr: string;
  nameEn: string;
  description: string;
  attributes: CmdbAttributeDefinition[];
  /** Shipped by the migration (may be edited, not deleted). */
  builtin: boolean;
  /** Items of this type the caller sees. */
  itemCount: number;
  /** Of those, how many lack a value for a required attribute (after a schema change). */
  missingCount: number;
  updatedAt: string;
}

export interface CreateCmdbTypeRequest {
  code: string;
  nameFr: string;
  nameEn: string;
  description?: string;
  attributes?: CmdbAttributeDefinition[];
}

/**
 * Changing a schema never rewrites values silently: a removed attribute's values are taken off
 * the items and written to each item's history; a newly required one is reported on the items
 * that lack it (`missing`), and counted on the type (`missingCount`).
 */
export interface UpdateCmdbTypeRequest {
  nameFr?: string;
  nameEn?: string;
  description?: string;
  attributes?: CmdbAttributeDefinition[];
}

export const CMDB_ITEM_STATUSES = ['planned', 'production', 'maintenance', 'retired'] as const;
export type CmdbItemStatus = (typeof CMDB_ITEM_STATUSES)[number];

/**
 * Relation kinds, stored from -> to. Labels are read from the `from` item (`label`) and from the
 * `to` item (`reverse`). `impact` says which end depends on the other: `forward` (the `from`
 * item depends on the `to` item: when `to` fails, `from` is impacted), `reverse` (the `to` item
 * depends on the `from` item) or `both`.
 */
export const CMDB_RELATION_KINDS = ['runs_on', 'depends_on', 'hosted_by', 'connected_to', 'backs_up', 'uses_certificate', 'part_of'] as const;
export type CmdbRelationKind = (typeof CMDB_RELATION_KINDS)[number];

export const CMDB_RELATION_LABELS: Record<
  CmdbRelationKind,
  { fr: string; en: string; reverseFr: string; reverseEn: string; impact: 'forward' | 'reverse' | 'both' }
> = {
  runs_on: { fr: 'fonctionne sur', en: 'runs on', reverseFr: 'héberge', reverseEn: 'hosts', impact: 'forward' },
  depends_on: { fr: 'dépend de', en: 'depends on', reverseFr: 'est nécessaire à', reverseEn: 'is needed by', impact: 'forward' },
  hosted_by: { fr: 'hébergé par', en: 'hosted by', reverseFr: 'héberge', reverseEn: 'hosts', impact: 'forward' },
  connected_to: { fr: 'connecté à', en: 'connected to', reverseFr: 'connecté à', reverseEn: 'connected to', impact: 'both' },
  backs_up: { fr: 'sauvegarde', en: 'backs up', reverseFr: 'est sauvegardé par', reverseEn: 'is backed up by', impact: 'reverse' },
  uses_certificate: {
    fr: 'utilise le certificat',
    en: 'uses certificate',
    reverseFr: 'est le certificat de',
    reverseEn: 'is the certificate of',
    impact: 'forward',
  },
  part_of: { fr: 'fait partie de', en: 'part of', reverseFr: 'comprend', reverseEn: 'includes', impact: 'reverse' },
};

/** The type of an item, in short. */
export interface CmdbTypeRef {
  id: string;
  code: string;
  nameFr: string;
  nameEn: string;
}

/** An item as listed (and as the new-ticket form offers them). */
export interface CmdbItemSummary {
  id: string;
  name: string;
  type: CmdbTypeRef;
  status: CmdbItemStatus;
  project: { id: string; key: string; name: string };
  owner: { id: string; displayName: string } | null;
  tags: string[];
  shared: boolean;
  /** Open tickets linked to the item that the caller sees. */
  openTickets: number;
  /** Required attributes of its type it lacks a value for. */
  missing: string[];
  updatedAt: string;
}

/** One item's page. */
export interface CmdbItem extends CmdbItemSummary {
  externalId: string | null;
  attributes: CmdbAttributes;
  /** Values that no longer fit their attribute's definition (its kind or values changed): key and reason. */
  invalid: { key: string; reason: string }[];
  /** Whether the caller may change the item, its relations and its ticket links. */
  canEdit: boolean;
  createdAt: string;
}

export interface CmdbItemList {
  items: CmdbItemSummary[];
  /** Items matching the filter that the caller sees. */
  total: number;
}

/** Filter of the item list (query string). Every filter is optional; `attr` is `key:value`, repeatable. */
export interface CmdbItemQuery {
  q?: string;
  type?: string[];
  status?: CmdbItemStatus[];
  project?: string[];
  tag?: string[];
  attr?: string[];
  /** 1 to 200, default 50. */
  limit?: number;
  offset?: number;
}

export interface CreateCmdbItemRequest {
  /** The project's key. */
  project: string;
  /** The type's code. */
  type: string;
  name: string;
  status?: CmdbItemStatus;
  ownerId?: string | null;
  tags?: string[];
  attributes?: CmdbAttributes;
  shared?: boolean;
  externalId?: string | null;
}

/** Attributes given replace the whole set (send them all); null removes the owner or the external id. */
export interface UpdateCmdbItemRequest {
  name?: string;
  status?: CmdbItemStatus;
  ownerId?: string | null;
  tags?: string[];
  attributes?: CmdbAttributes;
  shared?: boolean;
  externalId?: string | null;
}

/** An item at the other end of a relation: full, or by name and type only (a shared item seen through a relation). */
export interface CmdbItemRef {
  id: string;
  name: string;
  type: CmdbTypeRef;
  status: CmdbItemStatus | null;
  /** True when the caller sees only its name and type (docs/cmdb.md). */
  limited: boolean;
}

export interface CmdbRelation {
  id: string;
  kind: CmdbRelationKind;
  from: CmdbItemRef;
  to: CmdbItemRef;
  createdAt: string;
}

/** An item's relations, split by direction as read from the item. */
export interface CmdbItemRelations {
  /** Relations from this item (label: `label`). */
  outgoing: CmdbRelation[];
  /** Relations to this item (label: `reverse`). */
  incoming: CmdbRelation[];
}

export interface CreateCmdbRelationRequest {
  fromId: string;
  toId: string;
  kind: CmdbRelationKind;
}

/** Direction of an impact analysis: `impact` = what depends on the item; `dependencies` = what it depends on. */
export const CMDB_IMPACT_DIRECTIONS = ['impact', 'dependencies'] as const;
export type CmdbImpactDirection = (typeof CMDB_IMPACT_DIRECTIONS)[number];
export const CMDB_IMPACT_DEFAULT_DEPTH = 5;
export const CMDB_IMPACT_MAX_DEPTH = 10;

export interface CmdbOpenTicket {
  id: string;
  key: string;
  title: string;
  kind: string;
  status: string;
  priority: number;
}

export interface CmdbImpactNode extends CmdbItemRef {
  /** Shortest distance from the start item (0 for the start item itself). */
  depth: number;
  /** Open tickets linked to the node that the caller sees (none for limited nodes). */
  openTickets: CmdbOpenTicket[];
}

export interface CmdbImpactEdge {
  relationId: string;
  kind: CmdbRelationKind;
  /** As stored: the relation goes from `from` to `to`. */
  from: string;
  to: string;
}

export interface CmdbImpact {
  root: string;
  direction: CmdbImpactDirection;
  depth: number;
  /** The start item first, then by depth and name. */
  nodes: CmdbImpactNode[];
  edges: CmdbImpactEdge[];
}

/** One change on an item or its relations. `field` is `name`, `status`, `owner`, `tags`, `shared`, `externalId`, `attributes.<key>`, `relation` or `created`. */
export interface CmdbHistoryEntry {
  id: string;
  at: string;
  actor: { id: string; displayName: string } | null;
  field: string;
  before: unknown;
  after: unknown;
  /** A remark of the server (`schema`: a value taken off by a change of its type's schema). */
  note: string | null;
}

/**
 * The `before` or `after` of a `relation` history entry: the relation as it was, read from the
 * item of the history (`outgoing`: the item is its `from` end), and the other item's name at the
 * time. The web client words it in the reader's language.
 */
export interface CmdbRelationHistoryValue {
  id: string;
  kind: CmdbRelationKind;
  direction: 'outgoing' | 'incoming';
  other: { id: string; name: string };
  /** The relation went because the other item was deleted. */
  otherDeleted?: boolean;
}

/** The `after` (linked) or `before` (unlinked) of a ticket's `item_linked` / `item_unlinked` event. */
export interface TicketItemEventValue {
  id: string;
  name: string;
  type: { code: string; nameFr: string; nameEn: string };
}

/** A ticket linked to an item, as the item's page lists them (open first, then the latest). */
export interface CmdbItemTicket {
  id: string;
  key: string;
  title: string;
  kind: string;
  status: string;
  isClosed: boolean;
  priority: number;
  updatedAt: string;
}

export interface LinkTicketItemRequest {
  itemId: string;
}

export interface LinkItemTicketRequest {
  ticketKey: string;
}

/** The date attribute that expiry watch reads (certificates, domain names, any type that declares it as a date). */
export const CMDB_EXPIRY_ATTRIBUTE = 'expires_on';
export const CMDB_EXPIRY_DEFAULT_DAYS = 30;
export const CMDB_EXPIRY_MAX_DAYS = 365;
/** Days before its expiry date at which an item's owner and its project's agents are told, by mail (longest first). */
export const CMDB_EXPIRY_NOTICE_DAYS = [30, 7, 1] as const;

/** An item whose `expires_on` date falls within the days asked (or has passed), not retired. */
export interface CmdbExpiringItem extends CmdbItemSummary {
  /** `YYYY-MM-DD`. */
  expiresOn: string;
  /** Days from today (UTC) to the expiry date; negative once expired. */
  daysLeft: number;
}

// ---- import and export (docs/cmdb.md, ADR 0047)

/** The largest file an import reads, and the most lines (items and relations together) it takes. */
export const CMDB_IMPORT_MAX_BYTES = 5 * 1024 * 1024;
export const CMDB_IMPORT_MAX_ROWS = 5000;
/** The first errors an import lists; past them, it says how many more there are. */
export const CMDB_IMPORT_MAX_ERRORS = 1000;

/** The formats of an export: both are read back by the import. */
export const CMDB_EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type CmdbExportFormat = (typeof CMDB_EXPORT_FORMATS)[number];
/** A CSV file holds one table: the items or the relations. A workbook holds both. */
export const CMDB_EXPORT_TABLES = ['items', 'relations'] as const;
export type CmdbExportTable = (typeof CMDB_EXPORT_TABLES)[number];

/** One problem of an imported file: where (file, table, line, column) and why. */
export interface CmdbImportError {
  file: string;
  table: CmdbExportTable | null;
  /** The line of a CSV file, the row of a sheet (1 is the first); null for the file as a whole. */
  line: number | null;
  /** The column's header, as the file spells it; null for the line as a whole. */
  column: string | null;
  message: string;
}

export interface CmdbImportReport {
  project: string;
  dryRun: boolean;
  /** True when the file was written (a real run without errors). */
  applied: boolean;
  items: { created: number; updated: number; unchanged: number };
  relations: { created: number; unchanged: number };
  errors: CmdbImportError[];
  /** Errors past the first CMDB_IMPORT_MAX_ERRORS, not listed. */
  moreErrors: number;
}
