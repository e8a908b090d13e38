/**
 * The shapes of the CMDB API as the web client reads them. They follow the API's contracts; kept
 * in one file so that a change of shape is one edit here.
 */
import type { Page } from '@guichet/contracts';

export const CI_STATUSES = ['planned', 'production', 'maintenance', 'retired'] as const;
export type CiStatus = (typeof CI_STATUSES)[number];

export const ATTRIBUTE_KINDS = ['text', 'number', 'date', 'enum', 'boolean', 'url', 'ip', 'reference'] as const;
export type AttributeKind = (typeof ATTRIBUTE_KINDS)[number];

/** Relation types, read from the source: "the site runs on the server". */
export const RELATION_TYPES = ['runs_on', 'depends_on', 'hosted_by', 'connected_to', 'backs_up', 'uses_certificate', 'part_of'] as const;
export type RelationType = (typeof RELATION_TYPES)[number];

export const IMPACT_DIRECTIONS = ['impacted', 'dependencies'] as const;
/** `impacted`: what depends on the item (breaks if it breaks); `dependencies`: what it needs. */
export type ImpactDirection = (typeof IMPACT_DIRECTIONS)[number];
export const IMPACT_MAX_DEPTH = 10;
export const IMPACT_DEFAULT_DEPTH = 5;

export interface AttributeDefinition {
  key: string;
  labelFr: string;
  labelEn: string;
  kind: AttributeKind;
  required: boolean;
  /** `enum`: the values offered. */
  values?: string[];
  /** `reference`: the type codes the referenced item may have (empty: any). */
  refTypes?: string[];
}

export interface CiType {
  id: string;
  code: string;
  nameFr: string;
  nameEn: string;
  builtin: boolean;
  attributes: AttributeDefinition[];
  /** Items of this type the user can see. */
  itemCount?: number;
}

export interface SaveCiTypeRequest {
  code?: string;
  nameFr: string;
  nameEn: string;
  attributes: AttributeDefinition[];
}

export interface CiTypeRef {
  code: string;
  nameFr: string;
  nameEn: string;
}

export interface CiRef {
  id: string;
  name: string;
  type: CiTypeRef;
  status: CiStatus;
  projectKey: string;
}

export interface CiSummary extends CiRef {
  projectName: string;
  tags: string[];
  owner: { id: string; displayName: string } | null;
  shared: boolean;
  openTickets: number;
  updatedAt: string;
}

export interface CiItem extends CiSummary {
  attributes: Record<string, unknown>;
  /** Keys of required attributes the item lacks (a type made them required after it was saved). */
  missingRequired: string[];
  /** The user may change the item and its relations. */
  canWrite: boolean;
  createdAt: string;
}

export interface CiQuery {
  type?: string;
  status?: string;
  project?: string;
  tag?: string;
  /** `key:value` on an attribute of the type. */
  attr?: string;
  q?: string;
  cursor?: string;
  limit?: number;
}

export type CiPage = Page<CiSummary>;

export interface SaveCiRequest {
  name: string;
  typeCode: string;
  projectKey: string;
  status: CiStatus;
  ownerId: string | null;
  tags: string[];
  shared: boolean;
  attributes: Record<string, unknown>;
}

export interface CiRelation {
  id: string;
  type: RelationType;
  /** `out`: this item is the source ("runs on" the other); `in`: the other is the source. */
  direction: 'out' | 'in';
  other: CiRef;
  canWrite: boolean;
}

export interface AddRelationRequest {
  type: RelationType;
  targetId: string;
  /** Read from the item's side: `in` records "the target <type> this item". */
  direction: 'out' | 'in';
}

export interface CiHistoryEntry {
  id: string;
  at: string;
  actor: { id: string; displayName: string } | null;
  field: string;
  before: unknown;
  after: unknown;
}

export interface CiTicket {
  key: string;
  title: string;
  kind: string;
  status: string;
  open: boolean;
  updatedAt: string;
}

export interface ImpactNode extends CiRef {
  /** 0 for the item itself. */
  depth: number;
  openTickets: { key: string; title: string }[];
}

export interface ImpactEdge {
  from: string;
  to: string;
  type: RelationType;
}

export interface ImpactGraph {
  rootId: string;
  direction: ImpactDirection;
  depth: number;
  nodes: ImpactNode[];
  edges: ImpactEdge[];
}

/** An item linked to a ticket, as the ticket page shows it. */
export interface TicketItemLink {
  item: CiRef;
  canUnlink: boolean;
}
