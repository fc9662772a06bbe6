import type { Logger } from '@civic/server-kit/logger';
import type { EngagementPrisma } from './db.ts';

export async function seedDemo(prisma: EngagementPrisma, logger: Logger): Promise<void> {
  const neighborhood = await prisma.neighborhood.create({
    data: { name: 'East Durham', ward: 1, equityPriority: true },
  });
  await prisma.concern.create({
    data: {
      summary: 'Rents are rising faster than wages',
      themes: ['HOUSING'],
      status: 'UNDER_REVIEW',
      moderation: 'ACCEPTED',
      published: true,
      supportCount: 12,
      neighborhoodId: neighborhood.id,
    },
  });
  logger.info('seeded engagement demo data');
}
