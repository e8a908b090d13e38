import { Injectable } from '@nestjs/common';
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

@Injectable()
export class Database implements Queryable {
  private readonly pool: ManagerQueryable;

  constructor(readonly dataSource: DataSource) {
    this.pool = new ManagerQueryable(dataSource.manager);
  }

  query<T = Record<string, unknown>>(q: Sql): Promise<T[]> {
    return this.pool.query<T>(q);
  }

  one<T = Record<string, unknown>>(q: Sql): Promise<T | undefined> {
    return this.pool.one<T>(q);
  }

  /** Runs `work` in one transaction: every write of a use case (and its audit event) commits together. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new ManagerQueryable(manager)));
  }
}
