import { stableId } from '@civic/reference-data/stable-id';

/** The demo's Durham conversations: the staff CSV template, as `civic import conversations` reads it. */
export const DEMO_CSV = 'alignment/concerns-dev.csv';
/** The real Polis export the demo also imports, as what it is: a conversation held in Bowling Green, Kentucky. */
export const DEMO_POLIS = 'polis/american-assembly.bowling-green';
/** Demo conversations left as drafts, so the staff-only paths have something to show. */
export const DRAFT_KEYS = new Set(['youth-2026-03']);
export const SEED_ACTOR = 'seed';

/** Stable ids of the demo's CSV conversations and concerns (the same across runs and machines). */
export const demoConversationId = (conversationKey: string) => stableId('conversation', `csv/${conversationKey}`);
export const demoConcernId = (conversationKey: string, summary: string) =>
  stableId('concern', `csv/${conversationKey}/${summary.toLowerCase()}`);
/** The Polis statements keep the ids earlier demos gave them. */
export const polisConcernId = (commentId: string) => stableId('polis-comment', `${DEMO_POLIS}/${commentId}`);
