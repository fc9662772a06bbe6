import { inputFields } from '@civic/graphql-kit/input-fields';
import { requireAdmin } from '@civic/graphql-kit/roles';
import { parseInput } from '@civic/graphql-kit/write';
import { badInput } from '@civic/server-kit/errors';
import { z } from 'zod';
import type { Context } from '../context.ts';
import type { ResourcesPrisma } from '../db.ts';
import type { InputFields } from '../schema/enums.ts';
import { queueContentTranslation } from './content-translations.ts';
import { type MappedDataset, mapHsdsDataset } from './hsds-mapping.ts';
import { type ImportCount, importMappedDataset } from './hsds-store.ts';
import { checkHsdsFiles } from './hsds-validate.ts';
import { refreshCoverage } from './matching-coverage.ts';
import { neighborhoodCoverageIndex } from './matching-neighborhoods.ts';
import { organizationIdFor, withStoredOrganizationIds } from './organization-identifiers.ts';
import { actorName, assertSignedIn } from './permissions.ts';

/** Stores a mapped HSDS dataset in one transaction; rows whose HSDS id already exists are left as they are. */
export async function storeHsdsDataset(prisma: ResourcesPrisma, dataset: MappedDataset) {
  return prisma.$transaction(
    async (tx) => {
      const organizations = await tx.organization.createMany({ data: dataset.organizations, skipDuplicates: true });
      const programs = await tx.program.createMany({ data: dataset.programs, skipDuplicates: true });
      const locations = await tx.location.createMany({ data: dataset.locations, skipDuplicates: true });
      const services = await tx.service.createMany({ data: dataset.services, skipDuplicates: true });
      await tx.serviceAtLocation.createMany({ data: dataset.serviceAtLocations, skipDuplicates: true });
      await tx.schedule.createMany({ data: dataset.schedules, skipDuplicates: true });
      return {
        organizations: organizations.count,
        programs: programs.count,
        locations: locations.count,
        services: services.count,
      };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

export interface ImportResult {
  counts: ImportCount[];
  warnings: string[];
  ignoredFiles: string[];
}

const MAX_PROBLEMS = 500;

const hsdsFileInput = inputFields<InputFields>();

/** HsdsFileInput: printed from this table; the import parses its files with it. */
export const HSDS_FILE_INPUT = hsdsFileInput({
  name: {
    schema: z.string(),
    field: (t) => t.string({ required: true, description: 'File name, e.g. "services.csv" (the table it holds).' }),
  },
  csv: {
    schema: z.string(),
    field: (t) => t.string({ required: true, description: 'The file as text (RFC 4180 CSV with a header row).' }),
  },
});
const hsdsImportInput = z.object({ files: z.array(HSDS_FILE_INPUT.schema) });
export type HsdsImportInput = z.input<typeof hsdsImportInput>;

/**
 * Imports an HSDS CSV dataset (ADMIN only): the files parsed, every row checked with its table's
 * schema (hsds-validate.ts), then stored in one transaction with the change log (hsds-store.ts);
 * coverage recomputed and content queued for translation.
 */
export async function importHsdsDataset(ctx: Context, input: HsdsImportInput): Promise<ImportResult> {
  assertSignedIn(ctx.identity);
  requireAdmin(ctx.identity, 'Only administrators import HSDS datasets');
  const { files } = parseInput(hsdsImportInput, input, null);
  const checked = await checkHsdsFiles(files, async (table, ids) => {
    const where = { where: { id: { in: ids } }, select: { id: true } } as const;
    if (table === 'organizations') {
      // An organization is also known by its other identifiers (a department's HSDS ids).
      const stored = await ctx.prisma.organization.findMany({
        where: { id: { in: ids.map(organizationIdFor) } },
        select: { id: true },
      });
      const found = new Set(stored.map((r) => r.id));
      return new Set(ids.filter((id) => found.has(organizationIdFor(id))));
    }
    const rows =
      table === 'programs'
        ? await ctx.prisma.program.findMany(where)
        : table === 'services'
          ? await ctx.prisma.service.findMany(where)
          : await ctx.prisma.location.findMany(where);
    return new Set(rows.map((r) => r.id));
  });
  if (checked.problems.length > 0) {
    const first = checked.problems[0];
    throw badInput(
      `The HSDS dataset is not valid (${checked.problems.length} problem${checked.problems.length === 1 ? '' : 's'}): ${first?.field}: ${first?.message}`,
      // A dataset broken throughout would otherwise answer with megabytes of problems.
      checked.problems.slice(0, MAX_PROBLEMS),
    );
  }
  const mapped = withStoredOrganizationIds(
    mapHsdsDataset(checked.tables, { defaultKind: 'OTHER', known: checked.known }),
  );
  const counts = await importMappedDataset(ctx.prisma, mapped, actorName(ctx.identity));
  // Which neighborhoods the imported areas cover, now rather than at the next suggestion.
  await refreshCoverage(ctx.prisma, neighborhoodCoverageIndex());
  // Imported names and descriptions are machine-translated in the background.
  await queueContentTranslation(ctx.prisma);
  return { counts, warnings: mapped.warnings, ignoredFiles: checked.ignored };
}
