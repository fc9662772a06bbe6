import { DEPARTMENTS } from '@civic/reference-data/departments';
import type { Logger } from '@civic/server-kit/logger';
import type { ResourcesPrisma } from './db.ts';

export async function seedDemo(prisma: ResourcesPrisma, logger: Logger): Promise<void> {
  await prisma.organization.createMany({
    data: DEPARTMENTS.map((d) => ({ id: d.id, name: d.name, kind: 'CITY_DEPARTMENT' as const, website: d.url })),
  });
  logger.info('seeded city departments', { organizations: DEPARTMENTS.length });
}
