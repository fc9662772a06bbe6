import type { ThemeCode } from '@civic/taxonomy/themes';
import { builder, type ModelRef } from '../builder.ts';
import type { Context } from '../context.ts';
import { noteIn } from '../domain/follow.ts';
import { isConcernVisible, isStaff } from '../domain/visibility.ts';
import { Alignment } from './alignment.ts';
import { CitywideConcern } from './citywide.ts';
import { Conversation } from './conversation.ts';
import { Initiative, Service } from './external.ts';
import { Neighborhood } from './neighborhood.ts';
import { Theme } from './scalars.ts';

export const ConcernStatus = builder.enumType('ConcernStatus', {
  description:
    'Where the city is with a concern: NEW → UNDER_REVIEW → ALIGNED → IN_PROGRESS → ADDRESSED or NOT_FEASIBLE.',
  values: {
    NEW: { description: 'Heard, not yet reviewed.' },
    UNDER_REVIEW: { description: 'Staff are reviewing it.' },
    ALIGNED: { description: 'Aligned with at least one initiative or resource.' },
    IN_PROGRESS: { description: 'The city is acting on it.' },
    ADDRESSED: { description: 'The city considers it addressed.' },
    NOT_FEASIBLE: { description: 'The city cannot act on it; the public note says why.' },
  } as const,
});

export const ModerationState = builder.enumType('ModerationState', {
  description: 'Moderation of a concern: only ACCEPTED concerns are ever public.',
  values: {
    PENDING: { description: 'Not yet moderated.' },
    ACCEPTED: { description: 'Fit to publish.' },
    REJECTED: { description: 'Kept hidden (off-topic, abusive or personal).' },
  } as const,
});

const ResidentContact = builder
  .objectRef<{ name: string | null; email: string | null; phone: string | null }>('ResidentContact')
  .implement({
    description: 'How to reach the resident who raised a concern. Personal data: staff only.',
    fields: (t) => ({
      name: t.exposeString('name', { nullable: true, description: 'Resident name.' }),
      email: t.exposeString('email', { nullable: true, description: 'Resident email.' }),
      phone: t.exposeString('phone', { nullable: true, description: 'Resident phone.' }),
    }),
  });

const ConcernStatusChange = builder.prismaObject('ConcernStatusChange', {
  description: 'A change of a concern’s status; its public note is the city’s response.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Id of the change.' }),
    fromStatus: t.field({
      type: ConcernStatus,
      nullable: true,
      description: 'Status before (null for the first entry).',
      resolve: (c) => c.fromStatus,
    }),
    toStatus: t.field({ type: ConcernStatus, description: 'Status after.', resolve: (c) => c.toStatus }),
    publicNote: t.string({
      nullable: true,
      description:
        'The city’s public response, in `language` when given ("en" or "es"): staff’s version, else a machine translation, else the original.',
      args: { language: t.arg.string({ required: false, description: '"en" or "es"; default: as written.' }) },
      resolve: (c, args) => noteIn(c, args.language).text,
    }),
    publicNoteLanguage: t.string({
      nullable: true,
      description: 'Language the public note was written in (null without a note).',
      resolve: (c) => (c.publicNote ? c.publicNoteLanguage : null),
    }),
    publicNoteMachineTranslated: t.boolean({
      description: 'Whether publicNote(language) is a machine translation (apertium), to be labelled as such.',
      args: { language: t.arg.string({ required: false, description: '"en" or "es"; default: as written.' }) },
      resolve: (c, args) => noteIn(c, args.language).machineTranslated,
    }),
    evidenceActionOn: t.expose('evidenceActionOn', {
      type: 'DateTime',
      nullable: true,
      description: 'Evidence given with the change: when the city acted (its public note says what it did).',
    }),
    changedAt: t.expose('changedAt', { type: 'DateTime', description: 'When the status changed.' }),
    changedBy: t.string({
      nullable: true,
      description: 'Staff member who changed it (staff only; null for others).',
      resolve: (c, _args, ctx) => (isStaff(ctx.identity) ? c.changedBy : null),
    }),
  }),
});

export const Concern: ModelRef<'Concern'> = builder.prismaObject('Concern', {
  description: 'A concern residents voiced in a community conversation.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Concern id.' }),
    summary: t.exposeString('summary', { description: 'Public one-line summary.' }),
    detail: t.exposeString('detail', { nullable: true, description: 'Longer public description.' }),
    themes: t.field({
      type: [Theme],
      description: 'Themes from the shared taxonomy.',
      resolve: (c) => c.themes as ThemeCode[],
    }),
    language: t.exposeString('language', { description: 'BCP-47 language of the text, e.g. "en".' }),
    status: t.field({ type: ConcernStatus, description: 'Where the city is with it.', resolve: (c) => c.status }),
    moderation: t.field({ type: ModerationState, description: 'Moderation state.', resolve: (c) => c.moderation }),
    published: t.exposeBoolean('published', { description: 'Whether its conversation is published.' }),
    supportCount: t.exposeInt('supportCount', { description: 'How many residents supported this concern.' }),
    mentionCount: t.exposeInt('mentionCount', { description: 'How many times it was raised.' }),
    neighborhoodId: t.exposeID('neighborhoodId', { nullable: true, description: 'Id of its neighborhood.' }),
    neighborhood: t.field({
      type: Neighborhood,
      nullable: true,
      description: 'The neighborhood it concerns (null when citywide).',
      resolve: (c, _args, ctx) => (c.neighborhoodId ? ctx.loaders.neighborhood.load(c.neighborhoodId) : null),
    }),
    ward: t.int({
      nullable: true,
      description: 'Council ward of its neighborhood.',
      resolve: async (c, _args, ctx) =>
        c.neighborhoodId ? ((await ctx.loaders.neighborhood.load(c.neighborhoodId))?.ward ?? null) : null,
    }),
    conversation: t.field({
      type: Conversation,
      nullable: true,
      description: 'The conversation it was heard in.',
      resolve: async (c, _args, ctx) => {
        if (!c.conversationId) return null;
        const conversation = await ctx.loaders.conversation.load(c.conversationId);
        return conversation && (isStaff(ctx.identity) || conversation.status === 'PUBLISHED') ? conversation : null;
      },
    }),
    citywideConcern: t.field({
      type: CitywideConcern,
      nullable: true,
      description: 'The citywide concern it was merged into.',
      resolve: (c, _args, ctx) => (c.citywideConcernId ? ctx.loaders.citywideConcern.load(c.citywideConcernId) : null),
    }),
    statusHistory: t.field({
      type: [ConcernStatusChange],
      description: 'Status changes, oldest first; their public notes are the city’s response.',
      resolve: (c, _args, ctx) => ctx.loaders.historyByConcern.load(c.id),
    }),
    cityResponse: t.string({
      nullable: true,
      description: 'The city’s latest public response: the newest public note in the status history.',
      resolve: async (c, _args, ctx) =>
        (await ctx.loaders.historyByConcern.load(c.id)).findLast((h) => h.publicNote)?.publicNote ?? null,
    }),
    alignments: t.field({
      type: [Alignment],
      description: 'Initiatives and resources it is aligned with, oldest first.',
      resolve: (c, _args, ctx) => ctx.loaders.alignmentsByConcern.load(c.id),
    }),
    contact: t.field({
      type: ResidentContact,
      nullable: true,
      description: 'The resident’s contact. Personal data: staff only, null for everyone else.',
      resolve: (c, _args, ctx) =>
        isStaff(ctx.identity) && (c.contactName || c.contactEmail || c.contactPhone)
          ? { name: c.contactName, email: c.contactEmail, phone: c.contactPhone }
          : null,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was recorded.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});

builder.objectFields(Concern, (t) => ({
  initiatives: t.field({
    type: [Initiative],
    nullable: true,
    description: 'Initiatives this concern is aligned with (null while the initiatives service is unavailable).',
    resolve: async (c, _args, ctx) =>
      (await ctx.loaders.alignmentsByConcern.load(c.id))
        .filter((a) => a.initiativeId)
        .map((a) => ({ id: a.initiativeId as string })),
  }),
  resources: t.field({
    type: [Service],
    nullable: true,
    description: 'Resources (services) this concern is aligned with (null while the resources service is unavailable).',
    resolve: async (c, _args, ctx) =>
      (await ctx.loaders.alignmentsByConcern.load(c.id))
        .filter((a) => a.serviceId)
        .map((a) => ({ id: a.serviceId as string })),
  }),
}));

builder.asEntity(Concern, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: async ({ id }, ctx: Context) => {
    const concern = await ctx.loaders.concern.load(id);
    return concern && isConcernVisible(ctx.identity, concern) ? concern : null;
  },
});
