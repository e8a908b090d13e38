import { Injectable } from '@nestjs/common';
import type { Client, ClientConfig, Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { Sql } from '../common/sql';

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

  /** A connection of its own, outside the pool, with the pool's settings (for LISTEN). */
  async dedicatedClient(applicationName: string): Promise<Client> {
    const pool = this.driverPool() as Pool & { options: ClientConfig; Client: typeof Client };
    const client = new pool.Client({ ...pool.options, application_name: applicationName });
    await client.connect();
    return client;
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

  /** Read at first use: the pool exists once the data source is initialised. */
  private driverPool(): Pool {
    if (!this.driver) {
      const master = (this.dataSource.driver as unknown as { master?: Pool }).master;
      if (!master) throw new Error('The data source is not initialised.');
      this.driver = master;
    }
    return this.driver;
  }
}
