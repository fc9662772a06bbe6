import { departmentBySlug } from '@civic/reference-data/departments';
import { loadStrategicPlan } from '@civic/reference-data/strategic-plan';
import type { Logger } from '@civic/server-kit/logger';
import type { InitiativesPrisma } from './db.ts';

/**
 * The published plan does not name lead departments; these demo assignments follow each
 * initiative's subject and are marked as such in the README.
 */
const DEMO_LEAD_BY_OBJECTIVE: Record<string, string> = {
  '1.1': 'economic-workforce-development',
  '1.2': 'economic-workforce-development',
  '1.3': 'community-development',
  '2.1': 'community-safety',
  '2.2': 'police',
  '2.3': 'fire',
  '3.1': 'communications-marketing',
  '3.2': 'equity-inclusion',
  '3.3': 'neighborhood-improvement-services',
  '4.1': 'transportation',
  '4.2': 'general-services',
  '5.2': 'sustainability',
};

export async function seedDemo(prisma: InitiativesPrisma, logger: Logger): Promise<void> {
  const plan = loadStrategicPlan();
  let initiatives = 0;
  await prisma.$transaction(async (tx) => {
    for (const goal of plan.goals) {
      const created = await tx.goal.create({
        data: { number: goal.number, title: goal.title, statement: goal.statement },
      });
      for (const objective of goal.objectives) {
        const lead = DEMO_LEAD_BY_OBJECTIVE[objective.code];
        for (const initiative of objective.initiatives) {
          await tx.initiative.create({
            data: {
              code: initiative.code,
              title: initiative.title,
              description: initiative.summary?.description ?? null,
              status: initiative.status,
              goalId: created.id,
              leadDepartmentId: lead ? departmentBySlug(lead).id : null,
              sourceUrl: initiative.sourceUrl,
            },
          });
          initiatives++;
        }
      }
    }
  });
  logger.info('seeded the strategic plan', { goals: plan.goals.length, initiatives });
}
