import { importConfig, type ImportOptions } from '../catalog/config-import.ts';
import { ConfigDocumentInput, type ImportReport } from '../catalog/config-schemas.ts';
import { parseOrThrow } from '../catalog/rule-violation.ts';
import type { Db } from '../db/create-db.ts';
import type { ValidatorRegistry } from '../validators/validator.ts';
import type { AaSkipped, AaWarning } from './aa-dump-rows.ts';
import { mapAaDump } from './aa-dump-mapping.ts';

export interface AaImportReport extends ImportReport {
  skipped: AaSkipped[];
  warnings: AaWarning[];
}

/** Maps an A_A dump and imports the result like any configuration document: one transaction. */
export async function importAaDump(
  db: Db,
  dump: unknown,
  options: ImportOptions,
  registry: ValidatorRegistry,
): Promise<AaImportReport> {
  const { doc, skipped, warnings } = mapAaDump(dump, registry);
  const report = await importConfig(db, parseOrThrow(ConfigDocumentInput, doc), options, registry);
  return { ...report, skipped, warnings };
}
