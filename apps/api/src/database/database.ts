import { Injectable } from '@nestjs/common';
import { Client, type Pool, type PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { sql, Sql } from '../common/sql';

/** Something that runs SQL: the pool, or the transaction in progress. */
export interface Queryable {
  query<T = Record<string, unknown>>(q: Sql): Promise<T[]>;
  one<T = Record<string, unknown>>(q: Sql): Promise<T | undefined>;
}

/**
 * Runs statements on one driver connection or on the driver's pool that TypeORM created.
 * TypeORM's query runner would add a connect/release cycle, logging and event hooks to every
 * statement, and would send prepared statements unnamed. Errors keep the driver's shape (`code`).
 */
class DriverQueryable implements Queryable {
  constructor(private readonly target: () => Pool | PoolClient) {}

  async query<T>(q: Sql): Promise<T[]> {
    const { text, values } = q.toQuery();
    const name = q.label === undefined ? undefined : statementName(q.label, text);
    // Text and values apart when unnamed: the driver copies a config object property by property.
    const result = name === undefined ? await this.target().query(text, values) : await this.target().query({ name, text, values });
    return result.rows as T[];
  }

  async one<T>(q: Sql): Promise<T | undefined> {
    const rows = await this.query<T>(q);
    return rows[0];
  }
}

/** Distinct statement texts given a name; beyond, statements run unnamed (each name is prepared on every connection). */
const MAX_PREPARED = 100;
const statementNames = new Map<string, string>();

/** One name per text: the driver refuses a name that was prepared with another text. */
function statementName(label: string, text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_PREPARED) statementNames.set(text, (name = `${label}_${statementNames.size + 1}`));
  return name;
}

@Injectable()
export class Database implements Queryable {
  private readonly pool: DriverQueryable;
  private driver: Pool | undefined;

  constructor(readonly dataSource: DataSource) {
    this.pool = new DriverQueryable(() => this.driverPool());
  }

  query<T = Record<string, unknown>>(q: Sql): Promise<T[]> {
    return this.pool.query<T>(q);
  }

  one<T = Record<string, unknown>>(q: Sql): Promise<T | undefined> {
    return this.pool.one<T>(q);
  }

  /** Answers once the database runs a statement (health checks). */
  async ping(): Promise<void> {
    await this.query(sql`SELECT 1`);
  }

  /** A connection of its own, outside the pool, with the pool's settings (for LISTEN). */
  async dedicatedClient(applicationName: string): Promise<Client> {
    const client = new Client({ ...this.driverPool().options, application_name: applicationName });
    await client.connect();
    return client;
  }

  /** Has a dedicated client receive the notifications of `channel` (its 'notification' events). */
  async listen(client: Client, channel: string): Promise<void> {
    await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
  }

  /**
   * Runs `work` while this process holds the advisory lock named `key`, on a pooled connection
   * kept for the while: PostgreSQL releases it if the process dies. Undefined at once, without
   * running `work`, when another session holds it.
   */
  async withAdvisoryLock<T>(key: string, work: () => Promise<T>): Promise<{ result: T } | undefined> {
    const client = await this.driverPool().connect();
    let broken: Error | undefined;
    const lost = (err: Error) => (broken = err);
    client.on('error', lost);
    const session = new DriverQueryable(() => client);
    try {
      let locked: boolean;
      try {
        locked = (await session.one<{ ok: boolean }>(sql`SELECT pg_try_advisory_lock(hashtext(${key})) AS ok`))?.ok === true;
      } catch (err) {
        broken = err as Error;
        throw err;
      }
      if (!locked) return undefined;
      try {
        return { result: await work() };
      } finally {
        // A connection that may still hold the lock is closed rather than handed out again.
        await session.query(sql`SELECT pg_advisory_unlock(hashtext(${key}))`).catch((err: Error) => (broken = err));
      }
    } finally {
      client.off('error', lost);
      client.release(broken);
    }
  }

  /**
   * `transaction`, taken only once no other transaction holds the advisory lock named `key`
   * (replicas starting together, say): the lock ends with the transaction.
   */
  exclusiveTransaction<T>(key: string, work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.transaction(async (tx) => {
      await tx.query(sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`);
      return work(tx);
    });
  }

  /**
   * Runs `work` in one transaction: every write of a use case (and its audit event) commits
   * together. On one pooled connection of the driver, so that the statements of a write path can
   * be prepared like those of the reads. A connection lost on the way, or whose ROLLBACK fails, is
   * closed rather than handed out again.
   */
  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.driverPool().connect();
    let broken: Error | undefined;
    // A connection lost while checked out is reported as an event too; unheard, it would end the process.
    const lost = (err: Error) => (broken = err);
    client.on('error', lost);
    try {
      await client.query('BEGIN');
      const result = await work(new DriverQueryable(() => client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw err;
    } finally {
      client.off('error', lost);
      client.release(broken);
    }
  }

  /**
   * The node-postgres pool that TypeORM's PostgreSQL driver opened, read at first use (it exists
   * once the data source is initialised). TypeORM offers no typed way to it (ADR 0025).
   */
  private driverPool(): Pool {
    if (!this.driver) {
      const driver = this.dataSource.driver;
      if (!(driver instanceof PostgresDriver)) throw new Error('The data source is not a PostgreSQL one.');
      const master: unknown = driver.master;
      if (!isPool(master)) throw new Error('The data source is not initialised.');
      this.driver = master;
    }
    return this.driver;
  }
}

/** The pool's shape as node-postgres defines it: what `master` (typed `any` by TypeORM) must be. */
function isPool(value: unknown): value is Pool {
  const pool = value as Partial<Pool> | null | undefined;
  return typeof pool?.connect === 'function' && typeof pool.query === 'function' && typeof pool.options === 'object';
}
