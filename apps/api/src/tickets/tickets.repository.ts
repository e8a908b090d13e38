import { Injectable } from '@nestjs/common';
import type {
  AttachmentInfo,
  CommentVisibility,
  Environment,
  ForwardedMessage,
  HistoryEventType,
  Level,
  LinkType,
  PersonRef,
  Priority,
  TicketKind,
  TicketSort,
  TicketSource,
  TicketSummary,
} from '@guichet/contracts';
import type { TicketScope } from '../access/access-policy';
import { and, joinSql, raw, sql, Sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';

/** Everything about one ticket that rules and pages need. */
export interface TicketRecord {
  id: string;
  key: string;
  projectId: string;
  projectKey: string;
  spaceId: string;
  number: number;
  kind: TicketKind;
  status: string;
  isClosed: boolean;
  title: string;
  description: string;
  typology: string;
  urgency: Level;
  impact: Level;
  priority: Priority;
  requester: PersonRef;
  assignee: PersonRef | null;
  watchers: PersonRef[];
  source: TicketSource;
  plannedStart: Date | null;
  plannedEnd: Date | null;
  environment: Environment | null;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
}

export interface NewTicket {
  /** Chosen by the caller, so that writes made with the opening statement can name the ticket. */
  id: string;
  projectId: string;
  projectKey: string;
  spaceId: string;
  kind: TicketKind;
  status: string;
  title: string;
  description: string;
  typology: string;
  urgency: Level;
  impact: Level;
  priority: Priority;
  requesterId: string;
  assigneeId: string | null;
  source: TicketSource;
  plannedStart: string | null;
  plannedEnd: string | null;
  environment: Environment | null;
}

export interface TicketChanges {
  title?: string;
  description?: string;
  typology?: string;
  urgency?: Level;
  impact?: Level;
  priority?: Priority;
  assigneeId?: string | null;
  status?: string;
  isClosed?: boolean;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
  plannedStart?: string | null;
  plannedEnd?: string | null;
  environment?: Environment | null;
}

export interface NewEvent {
  ticketId: string;
  actorId: string | null;
  type: HistoryEventType;
  field?: string | null;
  before?: unknown;
  after?: unknown;
  commentId?: string | null;
  internal?: boolean;
}

export interface CommentRecord {
  id: string;
  ticketId: string;
  author: PersonRef;
  visibility: CommentVisibility;
  body: string;
  createdAt: Date;
  editedAt: Date | null;
}

export interface EventRecord {
  id: string;
  at: Date;
  actor: PersonRef | null;
  type: HistoryEventType;
  field: string | null;
  before: unknown;
  after: unknown;
  commentId: string | null;
}

export interface LinkRecord {
  id: string;
  type: LinkType;
  outgoing: boolean;
  other: { key: string; title: string; status: string; kind: TicketKind };
  createdAt: Date;
}

export interface TimeEntryRecord {
  id: string;
  author: PersonRef;
  minutes: number;
  spentOn: string;
  note: string;
  createdAt: Date;
}

/** What the ticket page shows besides the ticket itself. */
export interface TimelineParts {
  comments: CommentRecord[];
  events: EventRecord[];
  attachments: AttachmentInfo[];
  links: LinkRecord[];
  /** Null when the reader may not see time spent. */
  timeEntries: TimeEntryRecord[] | null;
}

/** Column and direction of each sort, with the id as tie-breaker in the same direction. */
const SORTS: Record<TicketSort, { column: string; desc: boolean }> = {
  updated: { column: 'updated_at', desc: false },
  '-updated': { column: 'updated_at', desc: true },
  created: { column: 'created_at', desc: false },
  '-created': { column: 'created_at', desc: true },
  priority: { column: 'priority', desc: false },
  '-priority': { column: 'priority', desc: true },
  key: { column: 'number', desc: false },
  '-key': { column: 'number', desc: true },
};

/** Beyond this many visibility alternatives, one combined condition plans faster than their union. */
const MAX_VISIBILITY_PARTS = 40;

/** The alternatives worth reading one by one, or undefined when the single condition serves better. */
function usableParts(scope: TicketScope): Sql[] | undefined {
  return scope.parts && scope.parts.length > 1 && scope.parts.length <= MAX_VISIBILITY_PARTS ? scope.parts : undefined;
}

/**
 * SQL counting the visible tickets that match `filters`, stopping at `limit` rows: alternative
 * by alternative when usable (each an index-only scan of its own index), else in one scan.
 */
function cappedCount(scope: TicketScope, filters: Sql[], limit: number): Sql {
  const stop = raw(String(limit));
  const parts = usableParts(scope);
  const from = parts
    ? joinSql(
        parts.map((v) => sql`(SELECT 1 FROM tickets t WHERE ${and([v, ...filters])})`),
        ' UNION ALL ',
      )
    : sql`SELECT 1 FROM tickets t WHERE ${and([scope.condition, ...filters])}`;
  return sql`SELECT count(*) AS n FROM (${from} LIMIT ${stop}) capped`;
}

const PERSON = (alias: string) =>
  raw(`json_build_object('id', ${alias}.id, 'displayName', ${alias}.display_name, 'email', ${alias}.email)`);

/**
 * A ticket's summary, read from `a`: the tickets table, or a row set that carries the ticket's own
 * columns (SUMMARY_SOURCE), so that a statement which already holds the row needs no second read.
 * `extra` is one more output column.
 */
const summaryOf = (a: string, from: Sql, extra?: Sql) => {
  const r = raw(a);
  return sql`
  SELECT ${r}.id, ${r}.key, pr.key AS project_key, ${r}.kind, ${r}.status, ${r}.title, ${r}.typology, ${r}.priority,
         ${r}.created_at, ${r}.updated_at, ${r}.number,
         -- Cursor values at full (microsecond) precision: a millisecond Date would repeat or skip rows.
         to_char(${r}.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_key,
         to_char(${r}.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key,
         ${PERSON('rq')} AS requester,
         CASE WHEN ${r}.assignee_id IS NULL THEN NULL ELSE ${PERSON('asg')} END AS assignee${extra ? sql`, ${extra}` : sql``}
    FROM ${from}
    JOIN projects pr ON pr.id = ${r}.project_id
    JOIN accounts rq ON rq.id = ${r}.requester_id
    LEFT JOIN accounts asg ON asg.id = ${r}.assignee_id`;
};

/** The columns of a ticket row that summaryOf reads, besides id and updated_at. */
const SUMMARY_SOURCE = raw('t.key, t.project_id, t.kind, t.status, t.title, t.typology, t.priority, t.created_at, t.number, t.requester_id, t.assignee_id');

const SELECT_SUMMARY = summaryOf('t', sql`tickets t`);

/**
 * What a list needs of SELECT_SUMMARY: not the timestamps themselves, which their keys give
 * (decoding 100 timestamps per page into Dates only to print them again is a measurable cost).
 */
const SUMMARY_COLUMNS = raw('id, key, project_key, kind, status, title, typology, priority, number, updated_key, created_key, requester, assignee');

interface SummaryRow {
  id: string;
  key: string;
  project_key: string;
  kind: TicketKind;
  status: string;
  title: string;
  typology: string;
  priority: Priority;
  updated_key: string;
  created_key: string;
  number: number;
  requester: PersonRef;
  assignee: PersonRef | null;
  rank?: number;
}

@Injectable()
export class TicketsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Opens a ticket in one statement: checks its typology, takes the project's next number (the
   * counter row stays locked until the transaction ends, so numbers have neither gaps nor
   * duplicates), inserts the ticket and its "created" event, and the `alongside` writes (each
   * given the condition "the ticket was opened" to gate itself on). Undefined when the typology is
   * not one of the project's, and then nothing is written. One statement is atomic: outside a
   * transaction it commits alone.
   */
  async open(
    t: NewTicket,
    created: { actorId: string; after: unknown },
    tx: Queryable,
    alongside: ((opened: Sql) => Sql)[] = [],
  ): Promise<{ id: string; number: number; key: string } | undefined> {
    const opened = sql`EXISTS (SELECT 1 FROM ticket)`;
    const parts = alongside.map((write, i) => sql`, alongside_${raw(String(i + 1))} AS (${write(opened)})`);
    return tx.one<{ id: string; number: number; key: string }>(sql`
      WITH typology AS (
        SELECT 1 FROM project_typologies WHERE project_id = ${t.projectId} AND code = ${t.typology}
      ), counter AS (
        UPDATE project_counters SET last_number = last_number + 1
         WHERE project_id = ${t.projectId} AND EXISTS (SELECT 1 FROM typology)
        RETURNING last_number
      ), ticket AS (
        INSERT INTO tickets (id, project_id, space_id, number, key, kind, status, title, description, typology, urgency, impact, priority,
                             requester_id, assignee_id, source, planned_start, planned_end, environment)
        SELECT ${t.id}::uuid, ${t.projectId}, ${t.spaceId}, last_number, ${t.projectKey} || '-' || last_number, ${t.kind}, ${t.status}, ${t.title}, ${t.description},
               ${t.typology}, ${t.urgency}, ${t.impact}, ${t.priority}, ${t.requesterId}, ${t.assigneeId}, ${t.source},
               ${t.plannedStart}::timestamptz, ${t.plannedEnd}::timestamptz, ${t.environment}
          FROM counter
        RETURNING id, number, key
      ), event AS (
        INSERT INTO ticket_events (ticket_id, actor_id, type, after)
        SELECT id, ${created.actorId}, 'created', ${json(created.after)}::jsonb FROM ticket
      )${joinSql(parts, '')}
      SELECT id, number, key FROM ticket`.prepared('ticket_open'));
  }

  /** The ticket by key, locked for update when inside a transaction that will change it. */
  async findByKey(key: string, tx: Queryable = this.db, forUpdate = false): Promise<TicketRecord | undefined> {
    if (forUpdate) await tx.query(sql`SELECT 1 FROM tickets WHERE key = ${key} FOR UPDATE`);
    return this.findWhere(sql`t.key = ${key}`, tx, 'ticket_by_key');
  }

  /** Several tickets by id, in one query (the notification worker reads a batch of events' tickets at once). */
  async findManyById(ids: string[], tx: Queryable = this.db): Promise<Map<string, TicketRecord>> {
    const found = ids.length ? await this.findAllWhere(sql`t.id = ANY(${ids}::uuid[])`, tx) : [];
    return new Map(found.map((t) => [t.id, t]));
  }

  private async findWhere(condition: Sql, tx: Queryable, prepared?: string): Promise<TicketRecord | undefined> {
    return (await this.findAllWhere(condition, tx, prepared))[0];
  }

  /** `prepared`: a label for statements run on every request (see Sql.prepared). */
  private async findAllWhere(condition: Sql, tx: Queryable, prepared?: string): Promise<TicketRecord[]> {
    // Named columns, not t.*: the search vectors are large and nothing here reads them.
    const statement = sql`
      SELECT t.id, t.key, t.project_id, t.space_id, t.number, t.kind, t.status, t.is_closed, t.title, t.description, t.typology,
             t.urgency, t.impact, t.priority, t.source, t.planned_start, t.planned_end, t.environment,
             t.created_at, t.updated_at, t.resolved_at, t.closed_at, pr.key AS project_key,
             ${PERSON('rq')} AS requester,
             CASE WHEN t.assignee_id IS NULL THEN NULL ELSE ${PERSON('asg')} END AS assignee,
             COALESCE((SELECT json_agg(${PERSON('wa')} ORDER BY lower(wa.display_name))
                         FROM ticket_watchers w JOIN accounts wa ON wa.id = w.account_id WHERE w.ticket_id = t.id), '[]') AS watchers
        FROM tickets t
        JOIN projects pr ON pr.id = t.project_id
        JOIN accounts rq ON rq.id = t.requester_id
        LEFT JOIN accounts asg ON asg.id = t.assignee_id
       WHERE ${condition}`;
    const rows = await tx.query<Record<string, unknown>>(prepared ? statement.prepared(prepared) : statement);
    return rows.map(toRecord);
  }

  async update(id: string, c: TicketChanges, tx: Queryable): Promise<void> {
    const sets: Sql[] = [sql`updated_at = now()`];
    const set = (column: string, value: unknown, cast = '') => sets.push(sql`${raw(column)} = ${value}${raw(cast)}`);
    if (c.title !== undefined) set('title', c.title);
    if (c.description !== undefined) set('description', c.description);
    if (c.typology !== undefined) set('typology', c.typology);
    if (c.urgency !== undefined) set('urgency', c.urgency);
    if (c.impact !== undefined) set('impact', c.impact);
    if (c.priority !== undefined) set('priority', c.priority);
    if (c.assigneeId !== undefined) set('assignee_id', c.assigneeId, '::uuid');
    if (c.status !== undefined) set('status', c.status);
    if (c.isClosed !== undefined) set('is_closed', c.isClosed);
    if (c.resolvedAt !== undefined) set('resolved_at', c.resolvedAt, '::timestamptz');
    if (c.closedAt !== undefined) set('closed_at', c.closedAt, '::timestamptz');
    if (c.plannedStart !== undefined) set('planned_start', c.plannedStart, '::timestamptz');
    if (c.plannedEnd !== undefined) set('planned_end', c.plannedEnd, '::timestamptz');
    if (c.environment !== undefined) set('environment', c.environment);
    await tx.query(sql`UPDATE tickets SET ${joinSql(sets, ', ')} WHERE id = ${id}`);
  }

  async touch(id: string, tx: Queryable): Promise<void> {
    await tx.query(sql`UPDATE tickets SET updated_at = now() WHERE id = ${id}`);
  }

  /**
   * One page of visible tickets matching `filters`, in keyset order, plus a count capped at
   * `countCap` (counting a million rows on every page would cost more than the page itself).
   */
  async list(
    scope: TicketScope,
    filters: Sql[],
    sort: TicketSort,
    limit: number,
    after: { value: string | number; id: string } | undefined,
    countCap: number,
  ): Promise<{ rows: TicketSummary[]; total: number; capped: boolean; last?: { value: string | number; id: string } }> {
    const { column, desc } = SORTS[sort];
    // The statement is prepared: both limits are written in its text, so that its generic plan
    // (the one PostgreSQL reuses without planning again) is costed for them rather than for a
    // guessed tenth of the table, and is chosen over planning each time.
    if (!Number.isInteger(limit) || !Number.isInteger(countCap)) throw new Error('list limits must be integers');
    const pageLimit = raw(String(limit));
    const dir = raw(desc ? 'DESC' : 'ASC');
    const col = raw(`t.${column}`);
    const where = and([scope.condition, ...filters]);
    const cast = raw(column.endsWith('_at') ? '::timestamptz' : '::int');
    const page = after ? sql`AND (${col}, t.id) ${raw(desc ? '<' : '>')} (${after.value}${cast}, ${after.id}::uuid)` : sql``;
    const parts = usableParts(scope);
    let pageQuery: Sql;
    if (parts) {
      // Disjoint alternatives (see AccessPolicy.ticketConditionParts): the first page of each, in
      // the order of its own index, merged; the capped count stops as soon as it has enough rows.
      const part = (v: Sql) => and([v, ...filters]);
      const firstOfEach = parts.map(
        (v) => sql`(SELECT t.id, ${col} AS v FROM tickets t WHERE ${part(v)} ${page} ORDER BY ${col} ${dir}, t.id ${dir} LIMIT ${pageLimit})`,
      );
      pageQuery = sql`
        ${SELECT_SUMMARY} WHERE t.id IN (
          SELECT u.id FROM (${joinSql(firstOfEach, ' UNION ALL ')}) u ORDER BY u.v ${dir}, u.id ${dir} LIMIT ${pageLimit})`;
    } else {
      pageQuery = sql`${SELECT_SUMMARY} WHERE ${where} ${page} ORDER BY ${col} ${dir}, t.id ${dir} LIMIT ${pageLimit}`;
    }
    const countQuery = cappedCount(scope, filters, countCap + 1);
    // Page and count in one statement (the count is an init plan, run once): one round trip less
    // per list. Each keeps the plan it had alone.
    const rows = await this.db.query<SummaryRow & { counted: string }>(sql`
      SELECT ${SUMMARY_COLUMNS}, (${countQuery}) AS counted FROM (${pageQuery}) listed ORDER BY listed.${raw(column)} ${dir}, listed.id ${dir}`.prepared('ticket_list'));
    // No row carries the count when the page is empty: zero on a first page, counted apart after a cursor.
    const counted = rows[0] ?? (after ? await this.db.one<{ counted: string }>(sql`SELECT (${countQuery}) AS counted`) : undefined);
    const n = Number(counted?.counted ?? 0);
    const lastRow = rows[rows.length - 1];
    const lastValue = lastRow ? sortValue(lastRow, column) : undefined;
    return {
      rows: rows.map(toSummary),
      total: Math.min(n, countCap),
      capped: n > countCap,
      last: lastRow && lastValue !== undefined ? { value: lastValue, id: lastRow.id } : undefined,
    };
  }

  /**
   * Full-text search over titles, descriptions and the replies the user may read, in French
   * and English, best matches first. Ranking is limited to the `candidateCap` most recently
   * updated matches so a very common word cannot make one search scan the whole base.
   * Public replies and internal notes are matched through the ticket's `replies_search` and
   * `notes_search` (kept by triggers), so a search reads ticket rows only.
   */
  async search(
    scope: TicketScope,
    filters: Sql[],
    text: string,
    /** Tickets whose internal notes the user may search (read access and the right), as a condition on `t`, or null. */
    notesScope: Sql | null,
    bounds: {
      limit: number;
      offset: number;
      /** Only this many of the most recently updated matches are ranked. */
      candidateCap: number;
      /** Scopes of at most this many tickets are searched row by row (see below). */
      scopeFirstMax: number;
    },
  ): Promise<{ rows: TicketSummary[]; total: number; capped: boolean }> {
    const { limit, offset, candidateCap, scopeFirstMax } = bounds;
    if (!Number.isInteger(scopeFirstMax)) throw new Error('scopeFirstMax must be an integer');
    // A small scope is matched row by row, any other through the full-text indexes keyed by space;
    // the scope is counted in its own statement, whole spaces are not counted.
    // Why: docs/performance.md, "The search statement, choice by choice".
    const small = scope.wholeSpaces
      ? false
      : Number((await this.db.one<{ n: string }>(cappedCount(scope, [], scopeFirstMax + 1)))?.n ?? 0) <= scopeFirstMax;
    // The query is written out where it is used (not in a CTE): the planner then knows its lexemes,
    // estimates how many rows match, and can intersect the full-text index with the visibility indexes.
    const query = sql`(websearch_to_tsquery('french', ${text}) || websearch_to_tsquery('english', ${text}))`;
    const where = and([scope.condition, ...filters]);
    // The query asked in each space, matched through the index keyed by space. Given the user's
    // spaces, the planner computes the queries once from constants and knows their lexemes; for
    // every space (administrators) a sub-select computes them once, so that no row rechecked
    // against them computes them again.
    const scopedQueries = scope.spaces
      ? sql`space_scoped_tsqueries(${[...scope.spaces]}::uuid[], ${query})`
      : // The cast makes it one array value: "ANY((SELECT ...))" alone would compare with each row.
        sql`(SELECT space_scoped_tsqueries(array_agg(s.id), ${query}) FROM spaces s)::tsquery[]`;
    // How a vector is matched each way: row by row, or through its full-text index (the query
    // asked in each space, one small index scan per space).
    const rowMatch = (vector: string) => sql`ts_match_vq(${raw(`t.${vector}`)}, ${query})`;
    const matches = (vector: string) =>
      small ? rowMatch(vector) : sql`space_scoped_tsvector(t.space_id, ${raw(`t.${vector}`)}) @@ ANY(${scopedQueries})`;
    // One OR over the ticket's vectors (through the indexes, a BitmapOr of the full-text indexes);
    // it finds a ticket once, whichever of its texts match. A ticket found only by its internal
    // notes is kept where the user may search them: that condition stays out of the OR, which the
    // indexes then answer exactly, and the public vectors are matched again only on the rows
    // outside it (for whoever sees whole spaces it is TRUE, and the planner drops the check).
    const found = notesScope
      ? sql`(${matches('search')} OR ${matches('replies_search')} OR ${matches('notes_search')}) AND ${where}
           AND (${notesScope} OR ${rowMatch('search')} OR ${rowMatch('replies_search')})`
      : sql`(${matches('search')} OR ${matches('replies_search')}) AND ${where}`;
    // Ranked with ts_rank once capped (replies and notes at 0.8), candidates read again by ctid,
    // the total counted on the candidates apart. Why: docs/performance.md, "The search statement, choice by choice".
    const noteRank = notesScope
      ? sql`CASE WHEN ${notesScope} AND t.notes_search @@ ${query} THEN 0.8 * ts_rank(t.notes_search, ${query}) END`
      : sql`NULL::real`;
    const rows = await this.db.query<SummaryRow & { total: string }>(sql`
      WITH latest AS (
        SELECT t.id, t.ctid AS tid, t.updated_at FROM tickets t WHERE ${found}
         ORDER BY t.updated_at DESC LIMIT ${candidateCap + 1}),
      -- One more than the cap is kept, to tell that there are more; that one is not ranked.
      candidates AS (SELECT *, row_number() OVER (ORDER BY updated_at DESC) AS place FROM latest),
      ranked AS (
        SELECT c.id, c.updated_at, ${SUMMARY_SOURCE},
               greatest(CASE WHEN t.search @@ ${query} THEN ts_rank(t.search, ${query}) END,
                        CASE WHEN t.replies_search @@ ${query} THEN 0.8 * ts_rank(t.replies_search, ${query}) END,
                        ${noteRank}) AS rank
          FROM candidates c JOIN tickets t ON t.ctid = c.tid
         WHERE c.place <= ${candidateCap}
         ORDER BY rank DESC, c.updated_at DESC, c.id LIMIT ${limit} OFFSET ${offset}
      )
      ${summaryOf('r', sql`ranked r`, sql`(SELECT count(*) FROM candidates) AS total`)}
       ORDER BY r.rank DESC, r.updated_at DESC, r.id`);
    const n = Number(rows[0]?.total ?? 0);
    return { rows: rows.map(toSummary), total: Math.min(n, candidateCap), capped: n > candidateCap };
  }

  // --- history -------------------------------------------------------------------
  async addEvent(e: NewEvent, tx: Queryable): Promise<void> {
    await tx.query(sql`
      INSERT INTO ticket_events (ticket_id, actor_id, type, field, before, after, comment_id, internal)
      VALUES (${e.ticketId}, ${e.actorId}, ${e.type}, ${e.field ?? null}, ${json(e.before)}::jsonb, ${json(e.after)}::jsonb,
              ${e.commentId ?? null}, ${e.internal ?? false})`);
  }

  async events(ticketId: string, includeInternal: boolean): Promise<EventRecord[]> {
    return (await this.db.query<EventRow>(eventsQuery(ticketId, includeInternal))).map(toEvent);
  }

  // --- watchers ------------------------------------------------------------------
  async addWatcher(ticketId: string, accountId: string, tx: Queryable): Promise<boolean> {
    const rows = await tx.query(sql`
      INSERT INTO ticket_watchers (ticket_id, account_id) VALUES (${ticketId}, ${accountId}) ON CONFLICT DO NOTHING RETURNING account_id`);
    return rows.length > 0;
  }

  async removeWatcher(ticketId: string, accountId: string, tx: Queryable): Promise<boolean> {
    const rows = await tx.query(sql`DELETE FROM ticket_watchers WHERE ticket_id = ${ticketId} AND account_id = ${accountId} RETURNING account_id`);
    return rows.length > 0;
  }

  // --- comments ------------------------------------------------------------------
  async addComment(c: { ticketId: string; authorId: string; visibility: CommentVisibility; body: string }, tx: Queryable): Promise<string> {
    const row = await tx.one<{ id: string }>(sql`
      INSERT INTO ticket_comments (ticket_id, author_id, visibility, body) VALUES (${c.ticketId}, ${c.authorId}, ${c.visibility}, ${c.body})
      RETURNING id`);
    return row!.id;
  }

  async comment(ticketId: string, id: string, tx: Queryable = this.db): Promise<CommentRecord | undefined> {
    const rows = await this.commentRows(sql`c.ticket_id = ${ticketId} AND c.id = ${id}`, tx);
    return rows[0];
  }

  /** Keeps the earlier text as a version, then replaces it. */
  async editComment(id: string, body: string, editorId: string, tx: Queryable): Promise<void> {
    await tx.query(sql`
      INSERT INTO ticket_comment_versions (comment_id, version, body, written_by, written_at)
      SELECT c.id, COALESCE((SELECT max(version) FROM ticket_comment_versions v WHERE v.comment_id = c.id), 0) + 1,
             c.body, CASE WHEN c.edited_at IS NULL THEN c.author_id ELSE ${editorId}::uuid END, COALESCE(c.edited_at, c.created_at)
        FROM ticket_comments c WHERE c.id = ${id}`);
    await tx.query(sql`UPDATE ticket_comments SET body = ${body}, edited_at = now() WHERE id = ${id}`);
  }

  async commentVersions(id: string): Promise<{ version: number; body: string; writtenAt: Date }[]> {
    const rows = await this.db.query<{ version: number; body: string; written_at: Date }>(sql`
      SELECT version, body, written_at FROM ticket_comment_versions WHERE comment_id = ${id} ORDER BY version`);
    return rows.map((r) => ({ version: r.version, body: r.body, writtenAt: r.written_at }));
  }

  private async commentRows(where: Sql, tx: Queryable = this.db): Promise<CommentRecord[]> {
    return (await tx.query<CommentRow>(commentsQuery(where))).map(toComment);
  }

  // --- links -----------------------------------------------------------------------
  async addLink(sourceId: string, targetId: string, type: LinkType, by: string, tx: Queryable): Promise<string | undefined> {
    const row = await tx.one<{ id: string }>(sql`
      INSERT INTO ticket_links (source_id, target_id, type, created_by) VALUES (${sourceId}, ${targetId}, ${type}, ${by})
      ON CONFLICT DO NOTHING RETURNING id`);
    return row?.id;
  }

  /** Removes a link of the ticket whose other end, the tickets row `t`, matches `visibleOther` (as linksQuery lists them). */
  async removeLink(ticketId: string, linkId: string, visibleOther: Sql, tx: Queryable): Promise<{ type: LinkType; sourceId: string; targetId: string } | undefined> {
    const row = await tx.one<{ type: LinkType; source_id: string; target_id: string }>(sql`
      DELETE FROM ticket_links l USING tickets t
       WHERE l.id = ${linkId} AND (l.source_id = ${ticketId} OR l.target_id = ${ticketId})
         AND t.id = CASE WHEN l.source_id = ${ticketId} THEN l.target_id ELSE l.source_id END AND ${visibleOther}
      RETURNING l.type, l.source_id, l.target_id`);
    return row && { type: row.type, sourceId: row.source_id, targetId: row.target_id };
  }

  // --- time spent ------------------------------------------------------------------
  async addTime(e: { ticketId: string; accountId: string; minutes: number; spentOn: string; note: string }, tx: Queryable): Promise<string> {
    const row = await tx.one<{ id: string }>(sql`
      INSERT INTO time_entries (ticket_id, account_id, minutes, spent_on, note)
      VALUES (${e.ticketId}, ${e.accountId}, ${e.minutes}, ${e.spentOn}::date, ${e.note}) RETURNING id`);
    return row!.id;
  }

  async timeEntries(ticketId: string): Promise<TimeEntryRecord[]> {
    return (await this.db.query<TimeEntryRow>(timeEntriesQuery(ticketId))).map(toTimeEntry);
  }

  // --- attachments (metadata; contents live in the file store) -----------------------
  async attachments(ticketId: string, includeInternal: boolean): Promise<AttachmentInfo[]> {
    return (await this.db.query<AttachmentRow>(attachmentsQuery(ticketId, includeInternal))).map(toAttachment);
  }

  /**
   * Replies, history, attachments, links (to tickets matching `visibleOther` only) and, with
   * `withTime`, time spent, in one statement: each part is the query of its own method,
   * aggregated to JSON in the same order. One round trip instead of five on every ticket page.
   */
  async timelineParts(ticketId: string, includeInternal: boolean, visibleOther: Sql, withTime: boolean): Promise<TimelineParts> {
    const list = (q: Sql, order: string) => sql`(SELECT COALESCE(json_agg(x ORDER BY ${raw(order)}), '[]') FROM (${q}) x)`;
    const row = await this.db.one<{ comments: CommentRow[]; events: EventRow[]; attachments: AttachmentRow[]; links: LinkRow[]; time_entries: TimeEntryRow[] | null }>(sql`
      SELECT ${list(commentsQuery(sql`c.ticket_id = ${ticketId} AND (${includeInternal} OR c.visibility = 'public')`), 'x.created_at, x.id')} AS comments,
             ${list(eventsQuery(ticketId, includeInternal), 'x.id::bigint')} AS events,
             ${list(attachmentsQuery(ticketId, includeInternal), 'x.created_at, x.id')} AS attachments,
             ${list(linksQuery(ticketId, visibleOther), 'x.created_at')} AS links,
             ${withTime ? list(timeEntriesQuery(ticketId), 'x.spent_on, x.created_at') : sql`NULL::json`} AS time_entries`.prepared('timeline_parts'));
    return {
      comments: row!.comments.map(toComment),
      events: row!.events.map(toEvent),
      attachments: row!.attachments.map(toAttachment),
      links: row!.links.map(toLink),
      timeEntries: row!.time_entries && row!.time_entries.map(toTimeEntry),
    };
  }

  async typologyExists(projectId: string, code: string, tx: Queryable = this.db): Promise<boolean> {
    return (await tx.one(sql`SELECT 1 FROM project_typologies WHERE project_id = ${projectId} AND code = ${code}`)) !== undefined;
  }
}

function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

// The parts of the ticket page. Each is read alone or, aggregated to JSON, within
// `timelineParts`; hence timestamps may come as Date (driver) or ISO text (JSON).
type Timestamp = Date | string;

function date(value: Timestamp): Date {
  return value instanceof Date ? value : new Date(value);
}

interface CommentRow {
  id: string;
  ticket_id: string;
  author: PersonRef;
  visibility: CommentVisibility;
  body: string;
  created_at: Timestamp;
  edited_at: Timestamp | null;
}

function commentsQuery(where: Sql): Sql {
  return sql`
    SELECT c.id, c.ticket_id, ${PERSON('a')} AS author, c.visibility, c.body, c.created_at, c.edited_at
      FROM ticket_comments c JOIN accounts a ON a.id = c.author_id
     WHERE ${where} ORDER BY c.created_at, c.id`;
}

function toComment(r: CommentRow): CommentRecord {
  return { id: r.id, ticketId: r.ticket_id, author: r.author, visibility: r.visibility, body: r.body, createdAt: date(r.created_at), editedAt: r.edited_at === null ? null : date(r.edited_at) };
}

interface EventRow {
  id: string;
  at: Timestamp;
  actor: PersonRef | null;
  type: HistoryEventType;
  field: string | null;
  before: unknown;
  after: unknown;
  comment_id: string | null;
}

function eventsQuery(ticketId: string, includeInternal: boolean): Sql {
  // The id as text: a bigint would lose precision as a JSON number.
  return sql`
    SELECT e.id::text AS id, e.at, CASE WHEN a.id IS NULL THEN NULL ELSE ${PERSON('a')} END AS actor, e.type, e.field, e.before, e.after, e.comment_id
      FROM ticket_events e LEFT JOIN accounts a ON a.id = e.actor_id
     WHERE e.ticket_id = ${ticketId} AND (${includeInternal} OR NOT e.internal)
     ORDER BY e.id`;
}

function toEvent(r: EventRow): EventRecord {
  return { id: r.id, at: date(r.at), actor: r.actor, type: r.type, field: r.field, before: r.before, after: r.after, commentId: r.comment_id };
}

interface AttachmentRow {
  id: string;
  filename: string;
  content_type: string;
  size: string | number;
  sha256: string;
  created_at: Timestamp;
  uploaded_by: PersonRef;
  comment_id: string | null;
  forwarded_message: ForwardedMessage | null;
}

function attachmentsQuery(ticketId: string, includeInternal: boolean): Sql {
  return sql`
    SELECT f.id, f.filename, f.content_type, f.size, encode(f.sha256, 'hex') AS sha256, f.created_at, ${PERSON('a')} AS uploaded_by, f.comment_id, f.forwarded_message
      FROM attachments f JOIN accounts a ON a.id = f.uploaded_by
     WHERE f.ticket_id = ${ticketId} AND (${includeInternal} OR NOT f.internal)
     ORDER BY f.created_at, f.id`;
}

function toAttachment(r: AttachmentRow): AttachmentInfo {
  return {
    id: r.id,
    filename: r.filename,
    contentType: r.content_type,
    size: Number(r.size),
    sha256: r.sha256,
    createdAt: date(r.created_at).toISOString(),
    uploadedBy: r.uploaded_by,
    commentId: r.comment_id,
    forwardedMessage: r.forwarded_message,
  };
}

interface LinkRow {
  id: string;
  type: LinkType;
  outgoing: boolean;
  key: string;
  title: string;
  status: string;
  kind: TicketKind;
  created_at: Timestamp;
}

/** Links of a ticket, from both sides, to tickets matching `visibleOther` only. */
function linksQuery(ticketId: string, visibleOther: Sql): Sql {
  return sql`
    SELECT l.id, l.type, l.source_id = ${ticketId} AS outgoing, t.key, t.title, t.status, t.kind, l.created_at
      FROM ticket_links l
      JOIN tickets t ON t.id = CASE WHEN l.source_id = ${ticketId} THEN l.target_id ELSE l.source_id END
     WHERE (l.source_id = ${ticketId} OR l.target_id = ${ticketId}) AND ${visibleOther}
     ORDER BY l.created_at`;
}

function toLink(r: LinkRow): LinkRecord {
  return { id: r.id, type: r.type, outgoing: r.outgoing, other: { key: r.key, title: r.title, status: r.status, kind: r.kind }, createdAt: date(r.created_at) };
}

interface TimeEntryRow {
  id: string;
  author: PersonRef;
  minutes: number;
  spent_on: string;
  note: string;
  created_at: Timestamp;
}

function timeEntriesQuery(ticketId: string): Sql {
  return sql`
    SELECT e.id, ${PERSON('a')} AS author, e.minutes, to_char(e.spent_on, 'YYYY-MM-DD') AS spent_on, e.note, e.created_at
      FROM time_entries e JOIN accounts a ON a.id = e.account_id WHERE e.ticket_id = ${ticketId} ORDER BY e.spent_on, e.created_at`;
}

function toTimeEntry(r: TimeEntryRow): TimeEntryRecord {
  return { id: r.id, author: r.author, minutes: r.minutes, spentOn: r.spent_on, note: r.note, createdAt: date(r.created_at) };
}

function sortValue(row: SummaryRow, column: string): string | number {
  switch (column) {
    case 'updated_at':
      return row.updated_key;
    case 'created_at':
      return row.created_key;
    case 'priority':
      return row.priority;
    default:
      return row.number;
  }
}

function toSummary(r: SummaryRow): TicketSummary {
  return {
    id: r.id,
    key: r.key,
    projectKey: r.project_key,
    kind: r.kind,
    status: r.status,
    title: r.title,
    typology: r.typology,
    priority: r.priority,
    requester: r.requester,
    assignee: r.assignee,
    createdAt: toMillis(r.created_key),
    updatedAt: toMillis(r.updated_key),
  };
}

/** A key (`…T…:SS.ffffffZ`, UTC) to the millisecond, truncated as a Date of the same instant prints it. */
function toMillis(key: string): string {
  return `${key.slice(0, 23)}Z`;
}

function toRecord(r: Record<string, unknown>): TicketRecord {
  return {
    id: r['id'] as string,
    key: r['key'] as string,
    projectId: r['project_id'] as string,
    projectKey: r['project_key'] as string,
    spaceId: r['space_id'] as string,
    number: r['number'] as number,
    kind: r['kind'] as TicketKind,
    status: r['status'] as string,
    isClosed: r['is_closed'] as boolean,
    title: r['title'] as string,
    description: r['description'] as string,
    typology: r['typology'] as string,
    urgency: r['urgency'] as Level,
    impact: r['impact'] as Level,
    priority: r['priority'] as Priority,
    requester: r['requester'] as PersonRef,
    assignee: r['assignee'] as PersonRef | null,
    watchers: r['watchers'] as PersonRef[],
    source: r['source'] as TicketSource,
    plannedStart: r['planned_start'] as Date | null,
    plannedEnd: r['planned_end'] as Date | null,
    environment: r['environment'] as Environment | null,
    createdAt: r['created_at'] as Date,
    updatedAt: r['updated_at'] as Date,
    resolvedAt: r['resolved_at'] as Date | null,
    closedAt: r['closed_at'] as Date | null,
  };
}
