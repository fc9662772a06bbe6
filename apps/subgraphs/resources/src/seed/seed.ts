import { DEPARTMENTS } from '@civic/reference-data/departments';
import { NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';
import { stableId } from '@civic/reference-data/stable-id';
import type { Logger } from '@civic/server-kit/logger';
import type { SeedMode } from '@civic/server-kit/subgraph';
import type { ResourcesPrisma } from '../db.ts';
import { readHsdsCsvDirectory } from '../domain/hsds-csv.ts';
import { storeHsdsDataset } from '../domain/hsds-import.ts';
import { mapHsdsDataset } from '../domain/hsds-mapping.ts';
import { EMPTY_SERVICE, parseService, type ServiceValues } from '../domain/service.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { OrganizationKind } from '../generated/prisma/enums.ts';
import { CITY_PROGRAMS } from './city-programs.ts';
import { LOCATIONS } from './locations.ts';
import { PARTNERS } from './partners.ts';
import type { ProgramSeed, ServiceSeed } from './types.ts';

/**
 * Initiative ids are owned by the initiatives subgraph; the demo links use the stable id of the
 * initiative code, stableId('initiative', code).
 */
export function initiativeIdForCode(code: string): string {
  return stableId('initiative', code);
}

function neighborhoodId(slug: string): string {
  const found = NEIGHBORHOODS.find((n) => n.slug === slug);
  if (!found) throw new Error(`seed: unknown neighborhood ${slug}`);
  return found.id;
}

function serviceValues(seed: ServiceSeed, programId: string): ServiceValues {
  return {
    ...EMPTY_SERVICE,
    programId,
    name: seed.name,
    description: seed.description,
    status: seed.status ?? 'ACTIVE',
    eligibilityDescription: seed.eligibility ?? null,
    minimumAge: seed.minimumAge ?? null,
    maximumAge: seed.maximumAge ?? null,
    languages: seed.languages ?? ['en'],
    themes: seed.themes,
    feesDescription: seed.fees ?? null,
    applicationProcess: seed.applicationProcess ?? null,
    servesCitywide: seed.area.citywide ?? false,
    serviceWards: seed.area.wards ?? [],
    serviceNeighborhoodIds: (seed.area.neighborhoods ?? []).map(neighborhoodId),
    serviceAreaDescription: seed.area.description ?? null,
    annualBudget: seed.annualBudget ?? null,
    fiscalYear: seed.fiscalYear ?? null,
    url: seed.url ?? null,
  };
}

async function seedPrograms(
  tx: Prisma.TransactionClient,
  organizationId: string,
  kind: OrganizationKind,
  programs: readonly ProgramSeed[],
): Promise<number> {
  let count = 0;
  for (const program of programs) {
    const programId = stableId('program', program.slug);
    await tx.program.create({
      data: { id: programId, organizationId, name: program.name, description: program.description },
    });
    for (const seed of program.services) {
      const values = parseService(serviceValues(seed, programId), kind);
      const serviceId = stableId('service', seed.slug);
      const { serviceAreaGeoJson: _area, ...data } = values;
      await tx.service.create({ data: { ...data, id: serviceId, organizationId } });
      if (seed.location) {
        await tx.serviceAtLocation.create({ data: { serviceId, locationId: stableId('location', seed.location) } });
      }
      if (seed.schedule) await tx.schedule.create({ data: { serviceId, freq: 'WEEKLY', ...seed.schedule } });
      for (const link of seed.initiatives ?? []) {
        await tx.serviceInitiativeLink.create({
          data: { serviceId, initiativeId: initiativeIdForCode(link.code), note: link.note, createdBy: 'seed' },
        });
      }
      count++;
    }
  }
  return count;
}

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
  });
}

/** `reference`: the city's departments only; `demo` adds partners, locations, programs and services. */
export async function seedResources(
  prisma: ResourcesPrisma,
  logger: Logger,
  mode: SeedMode,
  hsdsExampleDir: string,
): Promise<void> {
  if (mode === 'reference') {
    await prisma.$transaction((tx) => seedDepartments(tx));
    logger.info('seeded resources reference data', { organizations: DEPARTMENTS.length });
    return;
  }
  await seedDemo(prisma, logger, hsdsExampleDir);
}

export async function seedDemo(prisma: ResourcesPrisma, logger: Logger, hsdsExampleDir: string): Promise<void> {
  let services = 0;
  await prisma.$transaction(
    async (tx) => {
      await seedDepartments(tx);
      for (const partner of PARTNERS) {
        await tx.organization.create({
          data: {
            id: stableId('organization', partner.slug),
            name: partner.name,
            kind: partner.kind,
            description: partner.description ?? null,
            website: partner.website ?? null,
          },
        });
      }
      await tx.location.createMany({
        data: LOCATIONS.map(({ slug, ...location }) => ({
          ...location,
          id: stableId('location', slug),
          city: 'Durham',
          stateProvince: 'NC',
          country: 'US',
        })),
      });
      for (const department of DEPARTMENTS) {
        services += await seedPrograms(tx, department.id, 'CITY_DEPARTMENT', CITY_PROGRAMS[department.slug] ?? []);
      }
      for (const partner of PARTNERS) {
        services += await seedPrograms(tx, stableId('organization', partner.slug), partner.kind, partner.programs);
      }
    },
    { timeout: 60_000 },
  );
  const dataset = mapHsdsDataset(readHsdsCsvDirectory(hsdsExampleDir), { defaultKind: 'NONPROFIT' });
  const imported = await storeHsdsDataset(prisma, dataset);
  logger.info('seeded resources', {
    organizations: DEPARTMENTS.length + PARTNERS.length,
    services,
    hsdsExample: imported,
    hsdsWarnings: dataset.warnings.length,
  });
}
