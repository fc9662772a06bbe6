import type { WEBHOOK_EVENT_TYPES } from '@civic/webhooks/delivery';
import type { InputFieldBuilder } from '@pothos/core';
import { builder, type Types } from '../builder.ts';

/**
 * The enums the domain's input tables name (src/domain/*: `inputTable`, `argTable`), with the
 * field builders of those tables. Nothing here adds a query or mutation field, so a domain module
 * importing it never changes the order of the printed schema.
 */

/** The field builder of input tables (`inputFields<InputFields>()`, see @civic/graphql-kit/input-fields). */
export type InputFields = InputFieldBuilder<Types, 'InputObject'>;
/** The field builder of a mutation's argument tables (`builder.args((t) => TABLE.fields(t))`). */
export type ArgFields = InputFieldBuilder<Types, 'Arg'>;

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

export const ConversationFormat = builder.enumType('ConversationFormat', {
  description: 'How a conversation was held.',
  values: {
    IN_PERSON: { description: 'Face to face.' },
    VIRTUAL: { description: 'A video or phone meeting.' },
    HYBRID: { description: 'Both in person and virtual.' },
    ONLINE: { description: 'An asynchronous online conversation (e.g. Polis).' },
  } as const,
});

export const ConversationSourceKind = builder.enumType('ConversationSourceKind', {
  description: 'Where a conversation record came from.',
  values: {
    MANUAL: { description: 'Entered by staff.' },
    CSV: { description: 'Imported from a spreadsheet.' },
    POLIS: { description: 'Imported from a Polis export.' },
  } as const,
});

export const EquityComparisonEnum = builder.enumType('EquityComparison', {
  description: 'How a neighborhood’s figure is compared with a threshold of the equity-priority rule.',
  values: {
    AT_LEAST: { description: 'The figure is at least the threshold (≥).' },
    AT_MOST: { description: 'The figure is at most the threshold (≤).' },
  } as const,
});

export const FollowTargetKind = builder.enumType('FollowTargetKind', {
  description: 'What a resident can follow by email.',
  values: {
    CONCERN: { description: 'A concern: its status changes and public notes.' },
    NEIGHBORHOOD: { description: 'A neighborhood: every public concern in it.' },
    INITIATIVE: { description: 'An initiative of the city plan.' },
  } as const,
});

export const FollowFrequency = builder.enumType('FollowFrequency', {
  description: 'How often a follower is emailed.',
  values: {
    IMMEDIATE: { description: 'One email per change.' },
    DAILY: { description: 'One daily digest.' },
  } as const,
});

const EVENT_DESCRIPTIONS: Record<keyof typeof WEBHOOK_EVENT_TYPES, string> = {
  CONCERN_STATUS_CHANGED: 'A public concern’s status changed (payload type "concern.status_changed").',
  ALIGNMENT_CREATED: 'A public concern was aligned with an initiative or a service ("alignment.created").',
  ALIGNMENT_REMOVED: 'An alignment of a public concern was removed ("alignment.removed").',
  INITIATIVE_STATUS_CHANGED: 'An initiative’s status changed ("initiative.status_changed").',
  MEASURE_OBSERVATION_ADDED: 'A measure got a new observation ("measure.observation_added").',
  SERVICE_CHANGED: 'A service was created or changed ("service.changed").',
};

export const WebhookEventTypeEnum = builder.enumType('WebhookEventType', {
  description: 'What a webhook endpoint can subscribe to.',
  values: Object.fromEntries(
    Object.entries(EVENT_DESCRIPTIONS).map(([name, description]) => [name, { description }]),
  ) as Record<keyof typeof WEBHOOK_EVENT_TYPES, { description: string }>,
});
