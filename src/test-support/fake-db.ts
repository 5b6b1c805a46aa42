/**
 * An in-memory stand-in for the database, for service tests that need no PostgreSQL: tables
 * are Maps of rows, and `db.transaction(fn)` runs fn and puts every table back as it was if fn
 * throws, as a rolled-back transaction would. Services reach data only through repositories,
 * so the fake repositories beside this file read and write these tables; anything else a
 * service asks of the `Db` itself fails loudly, naming what it asked for.
 */
import type { Db } from '../platform/database/database.ts';

/** A table: rows by id, with the unique keys the real table has (reported as PostgreSQL does). */
export class FakeTable<Row extends { id: string }> {
  readonly name: string;
  private rows = new Map<string, Row>();
  private readonly unique: Partial<Record<string, keyof Row>>;

  /** `unique` names each unique constraint (as in the schema) and the column it covers. */
  constructor(name: string, unique: Partial<Record<string, keyof Row>> = {}) {
    this.name = name;
    this.unique = unique;
  }

  insert(row: Row): void {
    if (this.rows.has(row.id)) throw uniqueViolation(`${this.name}_pkey`);
    for (const [constraint, column] of Object.entries(this.unique)) {
      if (column !== undefined && this.all().some((other) => other[column] === row[column])) {
        throw uniqueViolation(constraint);
      }
    }
    this.rows.set(row.id, structuredClone(row));
  }

  get(id: string): Row | undefined {
    const row = this.rows.get(id);
    return row && structuredClone(row);
  }

  /** Copies of every row, in insertion order: changing them changes nothing stored. */
  all(): Row[] {
    return [...this.rows.values()].map((row) => structuredClone(row));
  }

  where(matches: (row: Row) => boolean): Row[] {
    return this.all().filter(matches);
  }

  /** Changes the rows that match; returns them as they are now. */
  update(matches: (row: Row) => boolean, changes: Partial<Row>): Row[] {
    const changed: Row[] = [];
    for (const [id, row] of this.rows) {
      if (!matches(structuredClone(row))) continue;
      const next = { ...row, ...structuredClone(changes) };
      this.rows.set(id, next);
      changed.push(structuredClone(next));
    }
    return changed;
  }

  /** Saves the rows as they are now; the function returned puts them back. */
  checkpoint(): () => void {
    const saved = structuredClone(this.rows);
    return () => {
      this.rows = saved;
    };
  }
}

/** The error a driver gives for a broken unique constraint, as isUniqueViolation reads it. */
export function uniqueViolation(constraint: string): Error {
  return Object.assign(new Error(`duplicate key value violates unique constraint "${constraint}"`), {
    code: '23505',
    constraint,
  });
}

export class FakeDatabase {
  /** What services are given where they take a `Db`. */
  readonly db: Db;
  private readonly tables: { checkpoint(): () => void }[] = [];

  constructor() {
    const transaction = async <T>(work: (tx: Db) => Promise<T>): Promise<T> => {
      const rollBack = this.tables.map((table) => table.checkpoint());
      try {
        return await work(this.db);
      } catch (error) {
        for (const restore of rollBack) restore();
        throw error;
      }
    };
    const handle = new Proxy(
      {},
      {
        get(_target, property) {
          if (property === 'transaction') return transaction;
          // Awaiting the Db (a `then` lookup) must not look like a query.
          if (property === 'then') return undefined;
          throw new Error(
            `The fake database has no ${String(property)}: services reach data through repositories, so fake the repository method instead`,
          );
        },
      },
    );
    // The one cast of the fake: only `transaction` of drizzle's Db is offered (see the Proxy).
    this.db = handle as unknown as Db;
  }

  /** A new table that transactions of this database roll back. */
  table<Row extends { id: string }>(
    name: string,
    unique: Partial<Record<string, keyof Row>> = {},
  ): FakeTable<Row> {
    const table = new FakeTable<Row>(name, unique);
    this.tables.push(table);
    return table;
  }
}
