import type { InputFieldBuilder } from '@pothos/core';
import { builder, type Types } from '../builder.ts';
import {
  alignConcern,
  changeConcernStatus,
  mergeIntoCitywideConcern,
  moderateConcern,
  unalignConcern,
} from '../domain/concern-writes.ts';
import { createConversation, publishConversation, updateConversation } from '../domain/conversation-writes.ts';
import {
  alignInput,
  createConversationInput,
  LIMITS,
  mergeInput,
  moderationInput,
  statusChangeInput,
  updateConversationInput,
} from '../domain/inputs.ts';
import { parseInput } from '../domain/write.ts';
import { Alignment } from './alignment.ts';
import { CitywideConcern } from './citywide.ts';
import { Concern, ConcernStatus, ModerationState } from './concern.ts';
import { Conversation, ConversationFormat, ConversationSourceKind } from './conversation.ts';
import './follow.ts';
import { Theme } from './scalars.ts';

const ResidentContactInput = builder.inputType('ResidentContactInput', {
  description: 'How to reach the resident (personal data: only staff ever see it).',
  fields: (t) => ({
    name: t.string({ required: false, description: 'Name.' }),
    email: t.string({ required: false, description: 'Email address.' }),
    phone: t.string({ required: false, description: 'Phone number.' }),
  }),
});

function concernFields(t: InputFieldBuilder<Types, 'InputObject'>) {
  return {
    detail: t.string({ required: false, description: `Longer description (≤ ${LIMITS.detail} characters).` }),
    themes: t.field({ type: [Theme], required: false, description: 'Themes (at most 5).' }),
    language: t.string({ required: false, description: 'BCP-47 language of the text (default "en").' }),
    neighborhoodId: t.id({ required: false, description: 'Neighborhood it concerns (none: citywide).' }),
    supportCount: t.int({ required: false, description: 'Residents who supported it (default 0).' }),
    mentionCount: t.int({ required: false, description: 'Times it was raised (default 1).' }),
    contact: t.field({ type: ResidentContactInput, required: false, description: 'Resident contact (staff only).' }),
  };
}

const ConcernInput = builder.inputType('ConcernInput', {
  description: 'A concern heard in a conversation.',
  fields: (t) => ({
    summary: t.string({ required: true, description: `Public one-line summary (≤ ${LIMITS.summary} characters).` }),
    moderation: t.field({ type: ModerationState, required: false, description: 'Moderation (default PENDING).' }),
    ...concernFields(t),
  }),
});

const ConcernPatchInput = builder.inputType('ConcernPatchInput', {
  description: 'Changes to a concern of the conversation; omitted fields stay as they are.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The concern.' }),
    summary: t.string({ required: false, description: 'Public one-line summary.' }),
    ...concernFields(t),
  }),
});

const ConversationSourceInput = builder.inputType('ConversationSourceInput', {
  description: 'Where the record comes from; kind and externalId identify it (a second submission is refused).',
  fields: (t) => ({
    kind: t.field({ type: ConversationSourceKind, required: true, description: 'Kind of source.' }),
    externalId: t.string({ required: false, description: 'Id in the source system.' }),
    url: t.string({ required: false, description: 'Where the source can be seen (http/https).' }),
    attribution: t.string({ required: false, description: 'Attribution its licence requires.' }),
    license: t.string({ required: false, description: 'Licence, e.g. "CC BY 4.0".' }),
  }),
});

function conversationFields(t: InputFieldBuilder<Types, 'InputObject'>, required: boolean) {
  return {
    title: t.string({ required, description: `Title (≤ ${LIMITS.title} characters).` }),
    heldOn: t.field({ type: 'DateTime', required, description: 'When it was held (not in the future).' }),
    format: t.field({ type: ConversationFormat, required, description: 'How it was held.' }),
    host: t.string({ required: false, description: 'Who hosted it.' }),
    languages: t.stringList({ required: false, description: 'BCP-47 languages spoken (default ["en"]).' }),
    participantCount: t.int({ required: false, description: 'How many residents took part.' }),
    summary: t.string({ required: false, description: 'Public summary.' }),
    notes: t.string({ required: false, description: 'Facilitator notes (staff only).' }),
    transcript: t.string({ required: false, description: 'Transcript (staff only).' }),
    neighborhoodIds: t.idList({ required: false, description: 'Neighborhoods it was held for.' }),
  };
}

const CreateConversationInput = builder.inputType('CreateConversationInput', {
  description: 'A new conversation (as a DRAFT) with the concerns heard in it.',
  fields: (t) => ({
    ...conversationFields(t, true),
    source: t.field({ type: ConversationSourceInput, required: false, description: 'Provenance (default MANUAL).' }),
    concerns: t.field({ type: [ConcernInput], required: false, description: 'Concerns heard.' }),
  }),
});

const UpdateConversationInput = builder.inputType('UpdateConversationInput', {
  description: 'Changes to a conversation and its concerns, made together; omitted fields stay as they are.',
  fields: (t) => ({
    ...conversationFields(t, false),
    addConcerns: t.field({ type: [ConcernInput], required: false, description: 'New concerns.' }),
    updateConcerns: t.field({ type: [ConcernPatchInput], required: false, description: 'Changed concerns.' }),
  }),
});

const MergeInput = builder.inputType('MergeIntoCitywideConcernInput', {
  description: 'Concerns to group into an existing or a new citywide concern (give exactly one).',
  fields: (t) => ({
    concernIds: t.idList({ required: true, description: 'The concerns.' }),
    citywideConcernId: t.id({ required: false, description: 'An existing citywide concern.' }),
    newCitywideConcern: t.field({
      type: builder.inputType('NewCitywideConcernInput', {
        description: 'A new citywide concern.',
        fields: (f) => ({
          title: f.string({ required: true, description: 'Public title (unique).' }),
          summary: f.string({ required: false, description: 'Public summary.' }),
          themes: f.field({ type: [Theme], required: false, description: 'Themes.' }),
        }),
      }),
      required: false,
      description: 'Create this citywide concern.',
    }),
  }),
});

const AlignInput = builder.inputType('AlignConcernInput', {
  description: 'Align a concern with an initiative or a resource (give exactly one).',
  fields: (t) => ({
    concernId: t.id({ required: true, description: 'The concern.' }),
    initiativeId: t.id({ required: false, description: 'An Initiative id (initiatives subgraph).' }),
    serviceId: t.id({ required: false, description: 'A Service id (resources subgraph).' }),
    rationale: t.string({ required: true, description: `Why they meet (≤ ${LIMITS.rationale} characters).` }),
  }),
});

builder.mutationFields((t) => ({
  createConversation: t.field({
    type: Conversation,
    authScopes: { staff: true },
    description: 'Records a conversation as a DRAFT with its concerns, in one transaction (staff).',
    args: { input: t.arg({ type: CreateConversationInput, required: true, description: 'The conversation.' }) },
    resolve: (_root, args, ctx) =>
      createConversation(ctx.prisma, ctx.identity, parseInput(createConversationInput, args.input)),
  }),
  updateConversation: t.field({
    type: Conversation,
    authScopes: { staff: true },
    description: 'Changes a conversation and adds or changes its concerns, in one transaction (staff).',
    args: {
      id: t.arg.id({ required: true, description: 'The conversation.' }),
      input: t.arg({ type: UpdateConversationInput, required: true, description: 'The changes.' }),
    },
    resolve: (_root, args, ctx) =>
      updateConversation(ctx.prisma, ctx.identity, args.id, parseInput(updateConversationInput, args.input)),
  }),
  publishConversation: t.field({
    type: Conversation,
    authScopes: { staff: true },
    description: 'Publishes a draft conversation; its accepted concerns become public (staff).',
    args: { id: t.arg.id({ required: true, description: 'The conversation.' }) },
    resolve: (_root, args, ctx) => publishConversation(ctx.prisma, ctx.identity, args.id),
  }),
  moderateConcern: t.field({
    type: Concern,
    authScopes: { staff: true },
    description: 'Accepts or rejects a concern for publication (staff).',
    args: {
      concernId: t.arg.id({ required: true, description: 'The concern.' }),
      moderation: t.arg({ type: ModerationState, required: true, description: 'The new state.' }),
      reason: t.arg.string({ required: false, description: 'Why (kept in the audit log).' }),
    },
    resolve: (_root, args, ctx) => moderateConcern(ctx.prisma, ctx.identity, parseInput(moderationInput, args, 'args')),
  }),
  changeConcernStatus: t.field({
    type: Concern,
    authScopes: { staff: true },
    description:
      'Moves a concern along NEW → UNDER_REVIEW → ALIGNED → IN_PROGRESS → ADDRESSED / NOT_FEASIBLE with a public note, the city’s response (staff).',
    args: {
      concernId: t.arg.id({ required: true, description: 'The concern.' }),
      status: t.arg({ type: ConcernStatus, required: true, description: 'The new status.' }),
      publicNote: t.arg.string({ required: true, description: `The city’s public response (≤ ${LIMITS.publicNote}).` }),
      publicNoteLanguage: t.arg.string({
        required: false,
        description: 'Language of publicNote: "en" (default) or "es".',
      }),
      publicNoteTranslation: t.arg.string({
        required: false,
        description:
          'The note in the other language, written by staff. Without it the note is machine-translated (labelled so) in the background.',
      }),
      evidenceActionOn: t.arg({
        type: 'DateTime',
        required: false,
        description:
          'Evidence for ADDRESSED: when the city acted (publicNote says what it did). ADDRESSED needs this or an aligned service; otherwise BAD_USER_INPUT with extensions.reason EVIDENCE_REQUIRED.',
      }),
    },
    resolve: (_root, args, ctx) =>
      changeConcernStatus(ctx.prisma, ctx.identity, parseInput(statusChangeInput, args, 'args')),
  }),
  mergeIntoCitywideConcern: t.field({
    type: CitywideConcern,
    authScopes: { staff: true },
    description: 'Groups concerns from many conversations into a citywide concern (staff).',
    args: { input: t.arg({ type: MergeInput, required: true, description: 'What to merge.' }) },
    resolve: (_root, args, ctx) =>
      mergeIntoCitywideConcern(ctx.prisma, ctx.identity, parseInput(mergeInput, args.input)),
  }),
  alignConcern: t.field({
    type: Alignment,
    authScopes: { staff: true },
    description: 'Aligns a concern with an initiative or a resource (staff).',
    args: { input: t.arg({ type: AlignInput, required: true, description: 'The alignment.' }) },
    resolve: (_root, args, ctx) => alignConcern(ctx.prisma, ctx.identity, parseInput(alignInput, args.input)),
  }),
  unalignConcern: t.field({
    type: Alignment,
    authScopes: { staff: true },
    description: 'Removes an alignment; returns it as it was (staff).',
    args: { alignmentId: t.arg.id({ required: true, description: 'The alignment.' }) },
    resolve: (_root, args, ctx) => unalignConcern(ctx.prisma, ctx.identity, args.alignmentId),
  }),
}));
