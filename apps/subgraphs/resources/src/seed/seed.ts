import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { DEPARTMENTS } from '@civic/reference-data/departments';
import { stableId } from '@civic/reference-data/stable-id';
import type { Logger } from '@civic/server-kit/logger';
import type { SeedMode } from '@civic/server-kit/subgraph';
import type { ResourcesPrisma } from '../db.ts';
import { readHsdsCsvDirectory } from '../domain/hsds-csv.ts';
import { storeHsdsDataset } from '../domain/hsds-import.ts';
import { type MappedDataset, mapHsdsDataset } from '../domain/hsds-mapping.ts';
import { withStoredOrganizationIds } from '../domain/organization-identifiers.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { OrganizationKind } from '../generated/prisma/enums.ts';

const require = createRequire(import.meta.url);

/** The demo directory: an HSDS 3.0 CSV dataset of 50 Durham services (@civic/reference-data's copy). */
export const DEMO_DIRECTORY_DIR = dirname(
  require.resolve('@civic/reference-data/data/alignment/directory/services.csv'),
);

/**
 * Initiative ids are owned by the initiatives subgraph; the demo links use the stable id of the
 * initiative code, stableId('initiative', code).
 */
export function initiativeIdForCode(code: string): string {
  return stableId('initiative', code);
}

/**
 * The directory's organizations that are City of Durham departments (HSDS id → department slug), as
 * `@civic/reference-data/departments` records them (`hsdsIds`). Each is the department's own organization
 * (the department's id, the one staff tokens name with `--department`), known also by its HSDS id, so that
 * a department's staff edit its services and a re-import updates it. GoDurham (run for the Transportation
 * Department by a contractor), the county agencies and Durham Tech stay organizations of their own.
 */
export const DIRECTORY_DEPARTMENTS: Readonly<Record<string, string>> = Object.fromEntries(
  DEPARTMENTS.flatMap((d) => d.hsdsIds.map((hsdsId) => [hsdsId, d.slug])),
);

/** Kinds the HSDS mapping cannot infer from the text (it reads non-profit, faith and county wording). */
const DIRECTORY_KINDS: Readonly<Record<string, OrganizationKind>> = {
  '3e828518-51b1-562f-ab67-42269ffd0246': 'BUSINESS', // Duke Energy Carolinas
};

/** Strategic-plan initiatives the demo services support (service HSDS id → code and note), chosen by staff. */
export const DEMO_INITIATIVE_LINKS: readonly { service: string; code: string; note: string }[] = [
  {
    service: '5e9e0cc8-0360-5f2d-a552-749affa850e5',
    code: '3.21',
    note: 'Preserves existing homeownership for low-income owners.',
  },
  { service: '4fb4c716-400f-5bc7-90fb-508f093a95e5', code: '3.21', note: 'Direct support for first-time homebuyers.' },
  {
    service: '097e73e7-0c00-5847-ae1a-26ac5b5504d1',
    code: '3.22',
    note: 'Kept renters housed while longer-term rental programs expand.',
  },
  {
    service: 'c2a3e18a-ff8b-58e5-b632-04769b99c57b',
    code: '3.22',
    note: 'Keeps existing rental housing safe while affordability programs expand.',
  },
  {
    service: '3d41b36d-3c76-5eae-a1d7-ff60578e7ab9',
    code: '3.22',
    note: 'Partner rental homes kept affordable for good.',
  },
  {
    service: 'bcdcc4a9-38c6-57a6-86de-3146d209744d',
    code: '3.11',
    note: 'Grants resident-led projects as a pathway to engagement.',
  },
  {
    service: 'ed051403-dad5-50d9-ac48-637b90a08810',
    code: '3.11',
    note: 'Residents decided how to spend part of the budget.',
  },
  {
    service: '7070ffb1-4cad-5b33-b6e8-51bb0e2f560f',
    code: '3.13',
    note: 'City information shared in the languages residents speak.',
  },
  {
    service: 'ea529c6f-d953-51e5-b537-12ea7f38829b',
    code: '3.12',
    note: 'Builds youth leadership through recreation-center programs.',
  },
  {
    service: '55b029a6-142d-5a4e-bb3c-3ef5a7bbf4ef',
    code: '1.23',
    note: 'The youth employment program the initiative expands.',
  },
  {
    service: '4024966b-07f0-51f8-b96e-68c9ef0ec2e0',
    code: '1.32',
    note: 'Career services for residents facing barriers to employment.',
  },
  {
    service: '095963fa-0b6b-58cf-a45a-c5c3dc55f722',
    code: '1.11',
    note: 'Connects small businesses to training and grants.',
  },
  {
    service: '53e6aa79-09bd-57fe-ae29-5d53a85244d7',
    code: '2.11',
    note: 'Responds to familiar neighbors without police involvement.',
  },
  {
    service: 'd9816d11-be91-5785-9707-178215c32f86',
    code: '2.22',
    note: 'Officers meet residents where they already gather.',
  },
  {
    service: '555670f0-56f4-5ef0-86ea-542888cb7ded',
    code: '5.22',
    note: 'A neighborhood place to shelter from heat and outages.',
  },
];

/** The city's departments, one organization each (ids shared with initiatives and staff tokens). */
async function seedDepartments(tx: Prisma.TransactionClient): Promise<void> {
  await tx.organization.createMany({
    data: DEPARTMENTS.map((d) => ({
      id: d.id,
      name: d.name,
      kind: 'CITY_DEPARTMENT' as const,
      website: d.url,
      email: d.email,
    })),
    skipDuplicates: true,
  });
}

/**
 * The directory as mapped by the HSDS import, with its city-department organizations folded into
 * the departments' own (their services, programs and locations move to the department's id).
 */
export function demoDirectory(dir = DEMO_DIRECTORY_DIR): {
  dataset: MappedDataset;
  departments: {
    id: string;
    alternateName: string | null;
    description: string | null;
    email: string | null;
    website: string | null;
    phone: string | null;
    contactName: string | null;
  }[];
} {
  const mapped = withStoredOrganizationIds(mapHsdsDataset(readHsdsCsvDirectory(dir), { defaultKind: 'OTHER' }));
  const isDepartment = (id: string) => DEPARTMENTS.some((d) => d.id === id);
  // A department's organization exists before the import (seedDepartments): its HSDS fields, not its name.
  const departments = mapped.organizations
    .filter((o) => isDepartment(o.id as string))
    .map((o) => ({
      id: o.id as string,
      alternateName: o.alternateName ?? null,
      description: o.description ?? null,
      email: o.email ?? null,
      website: o.website ?? null,
      phone: o.phone ?? null,
      contactName: o.contactName ?? null,
    }));
  const dataset: MappedDataset = {
    ...mapped,
    organizations: mapped.organizations
      .filter((o) => !isDepartment(o.id as string))
      .map((o) => ({ ...o, kind: DIRECTORY_KINDS[o.id as string] ?? o.kind })),
  };
  return { dataset, departments };
}

/** Seeds run beside busy test stacks on two cores: Prisma's 5 s interactive-transaction default is too short. */
const SEED_TRANSACTION = { timeout: 60_000, maxWait: 30_000 };

/** `reference`: the city's departments only; `demo` adds the demo directory (seedDemo). */
export async function seedResources(prisma: ResourcesPrisma, logger: Logger, mode: SeedMode): Promise<void> {
  if (mode === 'reference') {
    await prisma.$transaction((tx) => seedDepartments(tx), SEED_TRANSACTION);
    logger.info('seeded resources reference data', { organizations: DEPARTMENTS.length });
    return;
  }
  await seedDemo(prisma, logger);
}

/**
 * The demo directory: the city's departments, then the HSDS dataset `alignment/directory/`
 * imported through the HSDS import path (its ids kept, its polygon service areas stored as given;
 * which neighborhoods they cover is computed on first use, as for any stale area), its city-department
 * organizations being the departments', and the services' links to the plan's initiatives.
 * Idempotent: rows already there are left as they are.
 */
export async function seedDemo(prisma: ResourcesPrisma, logger: Logger): Promise<void> {
  const started = Date.now();
  const { dataset, departments } = demoDirectory();
  await prisma.$transaction(async (tx) => {
    await seedDepartments(tx);
    for (const d of departments) {
      await tx.organization.update({
        where: { id: d.id },
        data: {
          alternateName: d.alternateName,
          description: d.description,
          email: d.email,
          website: d.website,
          phone: d.phone,
          contactName: d.contactName,
        },
      });
    }
  }, SEED_TRANSACTION);
  const imported = await storeHsdsDataset(prisma, dataset);
  const links = await prisma.serviceInitiativeLink.createMany({
    data: DEMO_INITIATIVE_LINKS.map((l) => ({
      serviceId: l.service,
      initiativeId: initiativeIdForCode(l.code),
      note: l.note,
      createdBy: 'seed',
    })),
    skipDuplicates: true,
  });
  logger.info('seeded resources demo directory', {
    ...imported,
    departments: departments.length,
    initiativeLinks: links.count,
    warnings: dataset.warnings.length,
    ms: Date.now() - started,
  });
}
