import { groupByTable, toRow } from '../clickhouse/rows.ts';
import type { EngineName, Store } from '../clickhouse/store.ts';
import { fixtureCityEvents, fixtureDimensionEvents } from '../testing/fixture-city.ts';
import { openTestStore } from '../testing/stores.ts';

/**
 * For the dimension tests: a fresh store holding the fixture city and its dimension events,
 * stored in two inserts so duplicates land in different parts, as redeliveries do.
 */
export async function openDimensionStore(engine: EngineName, label: string): Promise<Store> {
  const store = await openTestStore(engine, label);
  const rows = [...fixtureCityEvents(), ...fixtureDimensionEvents()].map((e) => toRow(e, Date.now()));
  const half = Math.floor(rows.length / 2);
  for (const part of [rows.slice(0, half), rows.slice(half)]) {
    for (const [table, list] of groupByTable(part)) await store.insert(table, list);
  }
  return store;
}
