import { isStaff } from '@civic/graphql-kit/roles';
import type { ThemeCode } from '@civic/taxonomy/themes';
import { builder, type ModelRef } from '../builder.ts';
import type { Context } from '../context.ts';
import {
  CONCERN_INPUT,
  CONCERN_PATCH_INPUT,
  changeConcernStatus,
  MERGE_INPUT,
  MODERATION_ARGS,
  mergeIntoCitywideConcern,
  moderateConcern,
  NEW_CITYWIDE_CONCERN_INPUT,
  RESIDENT_CONTACT_INPUT,
  STATUS_CHANGE_ARGS,
} from '../domain/concern.ts';
import { ConcernList } from '../domain/concern-list.ts';
import { LOCATION_INPUT, PUBLIC_POINT_DECIMALS, visiblePoint } from '../domain/concern-location.ts';
import { BULK_MODERATION_INPUT, moderateConcerns } from '../domain/concern-moderation.ts';
import { noteIn } from '../domain/follow.ts';
import { isConcernVisible } from '../domain/visibility.ts';
import { Alignment } from './alignment.ts';
import { CitywideConcern } from './citywide.ts';
import { countedConnection, countedPages } from './connections.ts';
import { Conversation } from './conversation.ts';
import { ConcernStatus, ModerationState } from './enums.ts';
import { Initiative, Service } from './external.ts';
import {
  ConcernInputRef,
  ConcernLocationInputRef,
  ConcernPatchInputRef,
  NewCitywideConcernInputRef,
  ResidentContactInputRef,
} from './input-refs.ts';
import { heavyColumnsNotAsked, Neighborhood, WITHOUT_HEAVY_COLUMNS } from './neighborhood.ts';
import { Theme } from './scalars.ts';

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

const ConcernLocation = builder
  .objectRef<{ latitude: number; longitude: number; exact: boolean }>('ConcernLocation')
  .implement({
    description: `The point a concern is about, as a GeoJSON Point (RFC 7946, WGS84). A resident's point may be personal: staff read it exactly, everyone else rounded to ${PUBLIC_POINT_DECIMALS} decimals (about 100 m).`,
    fields: (t) => ({
      type: t.string({ description: 'Always "Point" (GeoJSON).', resolve: () => 'Point' }),
      coordinates: t.field({
        type: ['Float'],
        description: '[longitude, latitude], GeoJSON order.',
        resolve: (p) => [p.longitude, p.latitude],
      }),
      latitude: t.exposeFloat('latitude', { description: 'Latitude in decimal degrees.' }),
      longitude: t.exposeFloat('longitude', { description: 'Longitude in decimal degrees.' }),
      exact: t.exposeBoolean('exact', {
        description: `Whether this is the point as recorded (staff) or rounded to ${PUBLIC_POINT_DECIMALS} decimals (everyone else).`,
      }),
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
      resolve: (c, _args, ctx, info) =>
        c.neighborhoodId ? ctx.loaders.neighborhood(heavyColumnsNotAsked(info)).load(c.neighborhoodId) : null,
    }),
    location: t.field({
      type: ConcernLocation,
      nullable: true,
      description:
        'The point it is about, when one was given (null otherwise: its neighborhood is all that is known). Exact for staff, rounded to about 100 m for everyone else.',
      resolve: (c, _args, ctx) => visiblePoint(c, isStaff(ctx.identity)),
    }),
    ward: t.int({
      nullable: true,
      description: 'Council ward of its neighborhood.',
      resolve: async (c, _args, ctx) =>
        c.neighborhoodId
          ? ((await ctx.loaders.neighborhood(WITHOUT_HEAVY_COLUMNS).load(c.neighborhoodId))?.ward ?? null)
          : null,
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
      listSize: { assumedSize: 10 },
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
    listSize: { assumedSize: 5 },
    description: 'Initiatives this concern is aligned with (null while the initiatives service is unavailable).',
    resolve: async (c, _args, ctx) =>
      (await ctx.loaders.linkedIdsByConcern.load(c.id))
        .filter((a) => !a.dismissed && a.initiativeId)
        .map((a) => ({ id: a.initiativeId as string })),
  }),
  resources: t.field({
    type: [Service],
    nullable: true,
    listSize: { assumedSize: 5 },
    description: 'Resources (services) this concern is aligned with (null while the resources service is unavailable).',
    resolve: async (c, _args, ctx) =>
      (await ctx.loaders.linkedIdsByConcern.load(c.id))
        .filter((a) => !a.dismissed && a.serviceId)
        .map((a) => ({ id: a.serviceId as string })),
  }),
  followerCount: t.int({
    nullable: true,
    description: 'Confirmed email followers of this concern (staff only; null for everyone else).',
    resolve: (c, _args, ctx) =>
      isStaff(ctx.identity)
        ? ctx.prisma.follower.count({ where: { targetKind: 'CONCERN', targetId: c.id, confirmedAt: { not: null } } })
        : null,
  }),
}));

builder.asEntity(Concern, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: async ({ id }, ctx: Context) => {
    const concern = await ctx.loaders.concern.load(id);
    return concern && isConcernVisible(ctx.identity, concern) ? concern : null;
  },
});

const ConcernFilter = builder.inputType('ConcernFilter', {
  description: 'Narrows a concern list; all given conditions must hold.',
  fields: (t) => ({
    neighborhoodId: t.id({ required: false, description: 'Only this neighborhood.' }),
    ward: t.int({ required: false, description: 'Only neighborhoods in this council ward.' }),
    themes: t.field({ type: [Theme], required: false, description: 'Tagged with any of these themes.' }),
    status: t.field({ type: [ConcernStatus], required: false, description: 'In any of these statuses.' }),
    equityPriority: t.boolean({ required: false, description: 'Only (or never) equity-priority neighborhoods.' }),
    search: t.string({
      required: false,
      cost: 10,
      description: 'Full-text search on summary and detail (web-search syntax: "phrase", OR, -word).',
    }),
    conversationId: t.id({ required: false, description: 'Only concerns from this conversation.' }),
    citywideConcernId: t.id({ required: false, description: 'Only concerns merged into this citywide concern.' }),
    aligned: t.boolean({ required: false, description: 'Only concerns with (true) or without (false) alignments.' }),
    moderation: t.field({
      type: ModerationState,
      required: false,
      description: 'Staff: only this moderation state (others only ever see ACCEPTED).',
    }),
    withoutNeighborhood: t.boolean({
      required: false,
      description:
        'Only concerns that name no neighborhood, citywide ones (true), or only those that name one (false).',
    }),
    withoutTheme: t.boolean({
      required: false,
      description: 'Only concerns tagged with no theme (true), or only those with at least one (false).',
    }),
    published: t.boolean({
      required: false,
      description:
        'Staff: only concerns whose conversation is published (true) or not (false); others only ever see published ones.',
    }),
  }),
});

const ConcernOrder = builder.enumType('ConcernOrder', {
  description: 'Order of a concern list.',
  values: {
    NEWEST: { description: 'Most recently recorded first.' },
    OLDEST: { description: 'Longest recorded first (e.g. the concerns that have waited longest for an answer).' },
    MOST_SUPPORTED: { description: 'Highest support first.' },
  } as const,
});

const concernPages = countedPages('Concern', { defaultSize: 20, maxSize: 100 });

builder.queryFields((t) => ({
  concern: t.field({
    type: Concern,
    nullable: true,
    description: 'A concern by id (null when it does not exist or is not visible to the caller).',
    args: { id: t.arg.id({ required: true, description: 'Concern id.' }) },
    // Through the request's loader, so the concern pages of a gateway batch are read in one statement.
    resolve: async (_root, args, ctx) => {
      const concern = await ctx.loaders.concern.load(args.id);
      return concern && isConcernVisible(ctx.identity, concern) ? concern : null;
    },
  }),
  concerns: t.connection(
    {
      type: Concern,
      listSize: {
        slicingArguments: ['first', 'last'],
        sizedFields: ['edges'],
        requireOneSlicingArgument: false,
        assumedSize: 20,
      },
      description: 'Concerns the caller may see, filtered, newest first unless ordered otherwise.',
      args: {
        filter: t.arg({ type: ConcernFilter, required: false, description: 'Conditions.' }),
        orderBy: t.arg({ type: ConcernOrder, required: false, defaultValue: 'NEWEST', description: 'Order.' }),
      },
      resolve: (_root, args, ctx, info) =>
        concernPages(args, ctx, info, async () => {
          const list = await ConcernList.open(ctx.prisma, ctx.identity, args.filter);
          return { page: (query) => list.page(query, args.orderBy ?? 'NEWEST'), total: () => list.total() };
        }),
    },
    countedConnection('ConcernConnection', 'concerns'),
    { name: 'ConcernEdge', description: 'A concern in a page.' },
  ),
}));

ConcernLocationInputRef.implement({
  description: 'A point in decimal degrees (WGS84); it must lie in a neighborhood or council ward of the city.',
  fields: (t) => LOCATION_INPUT.fields(t),
});
ResidentContactInputRef.implement({
  description: 'How to reach the resident (personal data: only staff ever see it).',
  fields: (t) => RESIDENT_CONTACT_INPUT.fields(t),
});
ConcernInputRef.implement({
  description: 'A concern heard in a conversation.',
  fields: (t) => CONCERN_INPUT.fields(t),
});
ConcernPatchInputRef.implement({
  description: 'Changes to a concern of the conversation; omitted fields stay as they are.',
  fields: (t) => CONCERN_PATCH_INPUT.fields(t),
});
NewCitywideConcernInputRef.implement({
  description: 'A new citywide concern.',
  fields: (t) => NEW_CITYWIDE_CONCERN_INPUT.fields(t),
});
const MergeInput = builder.inputType('MergeIntoCitywideConcernInput', {
  description: 'Concerns to group into an existing or a new citywide concern (give exactly one).',
  fields: (t) => MERGE_INPUT.fields(t),
});
const ModerateConcernsInput = builder.inputType('ModerateConcernsInput', {
  description: 'Concerns to moderate together, all or none.',
  fields: (t) => BULK_MODERATION_INPUT.fields(t),
});

builder.mutationFields((t) => ({
  moderateConcern: t.field({
    type: Concern,
    authScopes: { staff: true },
    description: 'Accepts or rejects a concern for publication (staff).',
    args: builder.args((t) => MODERATION_ARGS.fields(t)),
    resolve: (_root, args, ctx) => moderateConcern(ctx, args),
  }),
  moderateConcerns: t.field({
    type: [Concern],
    authScopes: { staff: true },
    description:
      'Accepts or rejects many concerns at once, all or none, in one transaction, each audited as moderateConcern (staff). A concern that does not exist (NOT_FOUND) or is already in that state (CONFLICT) refuses the whole request, named in extensions.concernId; more than 2000 or a repeated id is BAD_USER_INPUT. Returns the concerns in the order given.',
    args: { input: t.arg({ type: ModerateConcernsInput, required: true, description: 'What to moderate.' }) },
    resolve: (_root, args, ctx) => moderateConcerns(ctx, args.input),
  }),
  changeConcernStatus: t.field({
    type: Concern,
    authScopes: { staff: true },
    description:
      'Moves a concern along NEW → UNDER_REVIEW → ALIGNED → IN_PROGRESS → ADDRESSED / NOT_FEASIBLE with a public note, the city’s response (staff).',
    args: builder.args((t) => STATUS_CHANGE_ARGS.fields(t)),
    resolve: (_root, args, ctx) => changeConcernStatus(ctx, args),
  }),
  mergeIntoCitywideConcern: t.field({
    type: CitywideConcern,
    authScopes: { staff: true },
    description: 'Groups concerns from many conversations into a citywide concern (staff).',
    args: { input: t.arg({ type: MergeInput, required: true, description: 'What to merge.' }) },
    resolve: (_root, args, ctx) => mergeIntoCitywideConcern(ctx, args.input),
  }),
}));
