/**
 * Hot statements built once and prepared once (STYLE: the request path does no work it did
 * before). Drizzle binds a prepared query to the `Db` that made it, so each `Db` (the pool, or
 * a transaction) gets its own; on PostgreSQL the name makes node-postgres prepare it once per
 * connection, and the server then keeps a generic plan instead of planning every request.
 * Parameters are `sql.placeholder(name)` in the builder, given to `execute({ name: value })`.
 */
import type { Db } from './database.ts';

export function preparedStatement<Statement>(
  name: string,
  build: (db: Db, name: string) => Statement,
): (db: Db) => Statement {
  const made = new WeakMap<Db, Statement>();
  return (db) => {
    let statement = made.get(db);
    if (statement === undefined) {
      statement = build(db, name);
      made.set(db, statement);
    }
    return statement;
  };
}
