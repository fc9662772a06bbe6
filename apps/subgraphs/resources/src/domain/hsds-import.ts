import type { ResourcesPrisma } from '../db.ts';
import type { MappedDataset } from './hsds-mapping.ts';

/** Stores a mapped HSDS dataset in one transaction; rows whose HSDS id already exists are left as they are. */
export async function storeHsdsDataset(prisma: ResourcesPrisma, dataset: MappedDataset) {
  return prisma.$transaction(async (tx) => {
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
  });
}
