import type { Table } from '../clickhouse/rows.ts';
import { localTable } from '../clickhouse/cluster.ts';
import { ident, sql } from '../clickhouse/sql.ts';
import { num, type Store } from '../clickhouse/store.ts';

// What the cluster's tests read from, and do to, one replica of a cluster (the migrations'
// cluster form, cluster.ts): its own copy of a table (localTable, not the Distributed
// table, which may read the other replica), and its fetching of parts from the others.

/** Rows and distinct ids in this replica's own copy of `table`. */
export async function replicaCopy(store: Store, table: Table): Promise<{ rows: number; distinct: number }> {
  const [row] = await store.query<{ rows: unknown; distinct: unknown }>(
    sql`SELECT count() AS rows, uniqExact(id) AS distinct FROM ${ident(localTable(table))}`,
  );
  return { rows: num(row?.rows), distinct: num(row?.distinct) };
}

/** Stops or restarts this replica's fetching of `table`'s parts written on the others: a replica that lags. */
export async function setReplicaFetches(store: Store, table: Table, on: boolean): Promise<void> {
  await store.exec(
    on ? sql`SYSTEM START FETCHES ${ident(localTable(table))}` : sql`SYSTEM STOP FETCHES ${ident(localTable(table))}`,
  );
}
