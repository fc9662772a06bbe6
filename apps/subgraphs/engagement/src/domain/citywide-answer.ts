import { actorOf } from '@civic/graphql-kit/actor';
import { inTransaction, parseInput } from '@civic/graphql-kit/write';
import { conflict, notFound } from '@civic/server-kit/errors';
import { GraphQLError } from 'graphql';
import type { Context } from '../context.ts';
import type { CitywideConcern } from '../generated/prisma/client.ts';
import { audit } from './audit.ts';
import { checkStatusStep, STATUS_CHANGE_ARGS, statusChangeArgs, writeStatusStep } from './concern.ts';
import { recordStatusEvent } from './follow.ts';
import { argTable, id } from './input-rules.ts';

/** answerCitywideConcern's arguments: changeConcernStatus's, for a citywide concern. */
export const CITYWIDE_ANSWER_ARGS = argTable({
  citywideConcernId: {
    field: (t) => t.id({ required: true, description: 'The citywide concern whose members are answered.' }),
    schema: id,
  },
  status: STATUS_CHANGE_ARGS.table.status,
  publicNote: STATUS_CHANGE_ARGS.table.publicNote,
  publicNoteLanguage: STATUS_CHANGE_ARGS.table.publicNoteLanguage,
  publicNoteTranslation: STATUS_CHANGE_ARGS.table.publicNoteTranslation,
  evidenceActionOn: STATUS_CHANGE_ARGS.table.evidenceActionOn,
});
const citywideAnswerArgs = statusChangeArgs.omit({ concernId: true }).extend({ citywideConcernId: id });

/**
 * One answer for every member of a citywide concern, in one transaction: each member not already in
 * that status takes the step (its own history entry and audit entry, the same rules as
 * changeConcernStatus: a member that cannot take it refuses the whole answer, naming it), and one
 * follower event covers them all, so a follower of several members is told once.
 */
export async function answerCitywideConcern(ctx: Context, args: unknown): Promise<CitywideConcern> {
  const { citywideConcernId, ...step } = parseInput(citywideAnswerArgs, args, 'args');
  const { prisma } = ctx;
  const citywide = await prisma.citywideConcern.findUnique({ where: { id: citywideConcernId } });
  if (!citywide) throw notFound('CitywideConcern', citywideConcernId);
  const members = await prisma.concern.findMany({
    where: { citywideConcernId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  if (members.length === 0) throw conflict('This citywide concern has no member concerns to answer');
  const moving = members.filter((m) => m.status !== step.status);
  if (moving.length === 0) throw conflict(`Every member concern is already ${step.status}`);
  for (const member of moving) {
    try {
      await checkStatusStep(prisma, member, step);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      throw new GraphQLError(`Member concern ${member.id}: ${error.message}`, {
        extensions: { ...error.extensions, concernId: member.id },
      });
    }
  }
  return inTransaction(prisma, async (tx) => {
    const changeIds: string[] = [];
    for (const member of moving) {
      const { change } = await writeStatusStep(ctx, tx, member, step, { citywideConcernId });
      changeIds.push(change.id);
    }
    await audit(tx, actorOf(ctx.identity), [
      {
        action: 'citywide.answer',
        entity: 'CitywideConcern',
        entityId: citywideConcernId,
        after: {
          status: step.status,
          publicNote: step.publicNote,
          publicNoteLanguage: step.publicNoteLanguage,
          answered: moving.map((m) => m.id),
          alreadyThere: members.filter((m) => m.status === step.status).map((m) => m.id),
        },
      },
    ]);
    await recordStatusEvent(prisma, tx, changeIds);
    return citywide;
  });
}
