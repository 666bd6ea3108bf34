import { getTableColumns, type InferSelectModel, type Table } from "drizzle-orm";

/**
 * A row as SQL's `to_jsonb` writes it, read back through the table's own
 * column decoders, so that a function may answer whole rows without a
 * second list of their columns. JSON numbers are exact up to 2^53: a
 * table with larger integers must not be read this way.
 */
export function rowFromJson<T extends Table>(
  table: T,
  json: Readonly<Record<string, unknown>>,
): InferSelectModel<T> {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const raw = json[column.name];
    row[key] = raw === null || raw === undefined ? null : column.mapFromDriverValue(raw);
  }
  return row as InferSelectModel<T>;
}
