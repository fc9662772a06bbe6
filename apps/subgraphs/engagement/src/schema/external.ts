import { builder } from '../builder.ts';

/** Entities other subgraphs own, referenced only by key. */
export const Initiative = builder.externalRef('Initiative', builder.selection<{ id: string }>('id'));
export const Service = builder.externalRef('Service', builder.selection<{ id: string }>('id'));
