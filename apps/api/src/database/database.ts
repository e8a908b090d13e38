import { Injectable } from '@nestjs/common';
import type { Client, ClientConfig, Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { Sql } from '../common/sql';

/** Something that runs SQL: the pool, or the transaction in progress. */
export interface Queryable {
  query<T = Record<string, unknown>>(q: Sql): Promise<T[]>;
  one<T = Record<string, unknown>>(q: Sql): Promise<T | undefined>;
}

class ManagerQueryable implements Queryable {
  constructor(private readonly manager: EntityManager) {}

  async query<T>(q: Sql): Promise<T[]> {
    const { text, values } = q.toQuery();
    const result: unknown = await this.manager.query(text, values);
    // UPDATE/DELETE through TypeORM answer [rows, count].
    if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
      return result[0] as T[];
    }
    return result as T[];
  }

  async one<T>(q: Sql): Promise<T | undefined> {
    const rows = await this.query<T>(q);
    return rows[0];
  }
}

/**
 * Statements outside a transaction go straight to the driver's pool that TypeORM created: its
 * query runner adds a connect/release cycle, logging and event hooks to every statement, which
 * the read paths pay on each request. Errors keep the driver's shape (`code`), as before inside
 * TypeORM's `driverError`.
 */
class PoolQueryable implements Queryable {
  private pool: Pool | undefined;

  constructor(private readonly dataSource: DataSource) {}

  async query<T>(q: Sql): Promise<T[]> {
    const { text, values } = q.toQuery();
    const name = q.label === undefined ? undefined : statementName(q.label, text);
    // Text and values apart when unnamed: the driver copies a config object property by property.
    const result = name === undefined ? await this.driverPool().query(text, values) : await this.driverPool().query({ name, text, values });
    return result.rows as T[];
  }

  async one<T>(q: Sql): Promise<T | undefined> {
    const rows = await this.query<T>(q);
    return rows[0];
  }

  /** A connection of its own, outside the pool, with the pool's settings (for LISTEN). */
  async dedicatedClient(applicationName: string): Promise<Client> {
    const pool = this.driverPool() as Pool & { options: ClientConfig; Client: typeof Client };
    const client = new pool.Client({ ...pool.options, application_name: applicationName });
    await client.connect();
    return client;
  }

  /** Read at first use: the pool exists once the data source is initialised. */
  private driverPool(): Pool {
    if (!this.pool) {
      const master = (this.dataSource.driver as unknown as { master?: Pool }).master;
      if (!master) throw new Error('The data source is not initialised.');
      this.pool = master;
    }
    return this.pool;
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
  private readonly pool: PoolQueryable;

  constructor(readonly dataSource: DataSource) {
    this.pool = new PoolQueryable(dataSource);
  }

  query<T = Record<string, unknown>>(q: Sql): Promise<T[]> {
    return this.pool.query<T>(q);
  }

  one<T = Record<string, unknown>>(q: Sql): Promise<T | undefined> {
    return this.pool.one<T>(q);
  }

  /** A connection of its own, outside the pool: see PoolQueryable.dedicatedClient. */
  dedicatedClient(applicationName: string): Promise<Client> {
    return this.pool.dedicatedClient(applicationName);
  }

  /** Runs `work` in one transaction: every write of a use case (and its audit event) commits together. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new ManagerQueryable(manager)));
  }
}
