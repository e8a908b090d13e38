/**
 * The CMDB shapes of the contracts as the web client reads them, and the few views it derives
 * from them (a relation read from one item's side).
 */
import type { CmdbItemRef, CmdbItemSummary, CmdbRelationKind } from '@guichet/contracts';

export {
  CMDB_ATTRIBUTE_KINDS as ATTRIBUTE_KINDS,
  CMDB_IMPACT_DEFAULT_DEPTH as IMPACT_DEFAULT_DEPTH,
  CMDB_IMPACT_DIRECTIONS as IMPACT_DIRECTIONS,
  CMDB_IMPACT_MAX_DEPTH as IMPACT_MAX_DEPTH,
  CMDB_ITEM_STATUSES as CI_STATUSES,
  CMDB_RELATION_KINDS as RELATION_KINDS,
} from '@guichet/contracts';
export type {
  CmdbAttributeDefinition as AttributeDefinition,
  CmdbAttributeKind as AttributeKind,
  CmdbHistoryEntry as CiHistoryEntry,
  CmdbImpact as ImpactGraph,
  CmdbImpactDirection as ImpactDirection,
  CmdbImpactNode as ImpactNode,
  CmdbItem as CiItem,
  CmdbItemQuery as CiQuery,
  CmdbItemRef as CiRef,
  CmdbItemStatus as CiStatus,
  CmdbItemSummary as CiSummary,
  CmdbItemTicket as CiTicket,
  CmdbRelationKind as RelationKind,
  CmdbType as CiType,
  CmdbTypeRef as CiTypeRef,
} from '@guichet/contracts';

/** A relation as one item's page shows it: "runs on <other>" (`out`) or "hosts <other>" (`in`). */
export interface RelationView {
  id: string;
  kind: CmdbRelationKind;
  direction: 'out' | 'in';
  other: CmdbItemRef;
}

/** What the item picker gives: an item the user may see, with its project. */
export type PickedItem = CmdbItemSummary;
