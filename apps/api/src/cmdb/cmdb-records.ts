import {
  CMDB_RELATION_KINDS,
  CMDB_RELATION_LABELS,
  type CmdbAttributeDefinition,
  type CmdbAttributes,
  type CmdbItemStatus,
  type CmdbRelationKind,
} from '@guichet/contracts';

// What the CMDB's statements read and write: its records and their row mappers (ADR 0035).

/** Kinds whose `from` end depends on the `to` end (and the reverse): the impact walks them. */
export const FROM_DEPENDS = CMDB_RELATION_KINDS.filter((k) => CMDB_RELATION_LABELS[k].impact !== 'reverse');
export const TO_DEPENDS = CMDB_RELATION_KINDS.filter((k) => CMDB_RELATION_LABELS[k].impact !== 'forward');

export interface TypeRecord {
  id: string;
  code: string;
  nameFr: string;
  nameEn: string;
  description: string;
  attributes: CmdbAttributeDefinition[];
  builtin: boolean;
  updatedAt: Date;
}

export interface TypeRow {
  id: string;
  code: string;
  name_fr: string;
  name_en: string;
  description: string;
  attributes: CmdbAttributeDefinition[];
  builtin: boolean;
  updated_at: Date;
}

export const toType = (r: TypeRow): TypeRecord => ({
  id: r.id,
  code: r.code,
  nameFr: r.name_fr,
  nameEn: r.name_en,
  description: r.description,
  attributes: r.attributes,
  builtin: r.builtin,
  updatedAt: r.updated_at,
});

export interface ItemRecord {
  id: string;
  name: string;
  status: CmdbItemStatus;
  projectId: string;
  projectKey: string;
  projectName: string;
  spaceId: string;
  type: { id: string; code: string; nameFr: string; nameEn: string; attributes: CmdbAttributeDefinition[] };
  owner: { id: string; displayName: string } | null;
  tags: string[];
  attributes: CmdbAttributes;
  shared: boolean;
  externalId: string | null;
  openTickets: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface ItemRow {
  id: string;
  name: string;
  status: CmdbItemStatus;
  project_id: string;
  project_key: string;
  project_name: string;
  space_id: string;
  type_id: string;
  type_code: string;
  type_name_fr: string;
  type_name_en: string;
  type_attributes: CmdbAttributeDefinition[];
  owner_id: string | null;
  owner_name: string | null;
  tags: string[];
  attributes: CmdbAttributes;
  shared: boolean;
  external_id: string | null;
  open_tickets: number;
  created_at: Date;
  updated_at: Date;
}

export const toItem = (r: ItemRow): ItemRecord => ({
  id: r.id,
  name: r.name,
  status: r.status,
  projectId: r.project_id,
  projectKey: r.project_key,
  projectName: r.project_name,
  spaceId: r.space_id,
  type: { id: r.type_id, code: r.type_code, nameFr: r.type_name_fr, nameEn: r.type_name_en, attributes: r.type_attributes },
  owner: r.owner_id ? { id: r.owner_id, displayName: r.owner_name ?? '' } : null,
  tags: r.tags,
  attributes: r.attributes,
  shared: r.shared,
  externalId: r.external_id,
  openTickets: r.open_tickets,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface ItemFilter {
  q?: string;
  type?: string[];
  status?: string[];
  project?: string[];
  tag?: string[];
  attr?: { key: string; value: string }[];
  limit: number;
  offset: number;
}

export interface RefRow {
  id: string;
  name: string;
  status: CmdbItemStatus;
  full: boolean;
  type_id: string;
  type_code: string;
  type_name_fr: string;
  type_name_en: string;
}

export interface RelationRow {
  id: string;
  kind: CmdbRelationKind;
  from_id: string;
  to_id: string;
  created_at: Date;
  /** The other end, from the item's point of view (listing) or both ends (one relation). */
  from: RefRow;
  to: RefRow;
}

export interface ImpactRow {
  nodes: {
    id: string;
    depth: number;
    full: boolean;
    name: string;
    status: CmdbItemStatus;
    type_id: string;
    type_code: string;
    type_name_fr: string;
    type_name_en: string;
    tickets: { id: string; key: string; title: string; kind: string; status: string; priority: number }[] | null;
  }[];
  edges: { id: string; kind: CmdbRelationKind; from_id: string; to_id: string }[];
}

export interface HistoryRow {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_name: string | null;
  field: string;
  before: unknown;
  after: unknown;
  note: string | null;
}

export interface HistoryChange {
  field: string;
  before: unknown;
  after: unknown;
  note?: string | null;
}

export interface ItemTicketRow {
  id: string;
  key: string;
  title: string;
  kind: string;
  status: string;
  is_closed: boolean;
  priority: number;
  updated_at: Date;
}

export interface ExportRelationRow {
  kind: CmdbRelationKind;
  from_project: string;
  from_type: string;
  from_ref: string;
  to_project: string;
  to_type: string;
  to_ref: string;
}
