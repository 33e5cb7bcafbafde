// The same migrations on a ClickHouse cluster (deploy/cluster): every table becomes a
// replicated local table `<name>_local` on each node plus a Distributed table under the
// original name, all created ON CLUSTER. Queries and inserts keep using the original names,
// so not one query changes; materialized views hang off the local tables (an insert through a
// Distributed table lands in a local table, which fires its views on that shard).
//
// The rewrite is textual and relies on the conventions of ./migrations: one statement each,
// `CREATE TABLE IF NOT EXISTS <name> (…) ENGINE = <X>MergeTree[(args)] …`,
// `CREATE MATERIALIZED VIEW IF NOT EXISTS <name> TO <target> AS SELECT … FROM <source> …`,
// `DROP TABLE IF EXISTS <name>` (dropped with its local table), and a backfill
// `INSERT INTO <table> (…) SELECT …`, which runs once, unchanged, through the Distributed
// tables: it reads every shard and the target shards the rows as any insert.
// A statement of any other shape is refused, so a new kind of migration cannot slip through
// unconverted. Queries that use `IN (subquery)` over Distributed tables need the user profile
// setting distributed_product_mode = 'global' (deploy/cluster/clickhouse/users.xml).
//
// Names inside a statement (`AS`, `TO`, `FROM`) are qualified with the database: ClickHouse
// 18.16 resolves them to `default` on every host of an ON CLUSTER statement (newer servers add
// the initiator's database themselves), so unqualified they fail there with "Table
// default.x_local doesn't exist" (../shared/notes/clickhouse-replicas-18.md).

export interface ClusterOptions {
  cluster: string;
  database: string;
}

const TABLE_RE = /^CREATE TABLE IF NOT EXISTS (\w+) \(([\s\S]*)\) ENGINE = (\w*)MergeTree(?:\(([^)]*)\))?([\s\S]*)$/;
const VIEW_RE = /^CREATE MATERIALIZED VIEW IF NOT EXISTS (\w+) TO (\w+) AS([\s\S]*)$/;
const DROP_RE = /^DROP TABLE IF EXISTS (\w+)$/;
const BACKFILL_RE = /^INSERT INTO \w+ \([\w, ]+\)\s+SELECT\b/;

/** Shards by school where a table has one, so a school's rows (and its views) stay together. */
function shardingKey(columns: string): string {
  return /^\s*school_id String/m.test(columns) ? 'cityHash64(school_id)' : 'rand()';
}

/** A table's replicated copy on each node, under the Distributed table of the table's own name. */
export const localTable = (name: string): string => `${name}_local`;

export function toClusterStatements(statement: string, o: ClusterOptions): string[] {
  const s = statement.trim().replace(/;$/, '');
  const table = TABLE_RE.exec(s);
  if (table) {
    const [, name, columns, flavour, args, rest] = table as unknown as [
      string,
      string,
      string,
      string,
      string | undefined,
      string,
    ];
    const local = localTable(name);
    const db = o.database;
    const zkPath = `'/clickhouse/tables/{shard}/${o.database}/${local}', '{replica}'`;
    const engineArgs = args?.trim() ? `${zkPath}, ${args.trim()}` : zkPath;
    return [
      `CREATE TABLE IF NOT EXISTS ${local} ON CLUSTER ${o.cluster} (${columns}) ENGINE = Replicated${flavour}MergeTree(${engineArgs})${rest}`,
      `CREATE TABLE IF NOT EXISTS ${name} ON CLUSTER ${o.cluster} AS ${db}.${local} ENGINE = Distributed(${o.cluster}, ${o.database}, ${local}, ${shardingKey(columns)})`,
    ];
  }
  const view = VIEW_RE.exec(s);
  if (view) {
    const [, name, target, select] = view as unknown as [string, string, string, string];
    // The view reads the shard's local rows and writes the shard's local aggregate.
    const localSelect = select.replace(/\bFROM (\w+)/g, (_m, t: string) => `FROM ${o.database}.${t}_local`);
    return [
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${name} ON CLUSTER ${o.cluster} TO ${o.database}.${target}_local AS${localSelect}`,
    ];
  }
  const drop = DROP_RE.exec(s);
  if (drop) {
    const name = drop[1] as string;
    // A view has no local twin; IF EXISTS makes that drop a no-op.
    return [
      `DROP TABLE IF EXISTS ${name} ON CLUSTER ${o.cluster}`,
      `DROP TABLE IF EXISTS ${name}_local ON CLUSTER ${o.cluster}`,
    ];
  }
  if (BACKFILL_RE.test(s)) return [s];
  throw new Error(
    `cannot convert this statement for a cluster; extend analytics/src/clickhouse/cluster.ts:\n${s.slice(0, 200)}`,
  );
}
