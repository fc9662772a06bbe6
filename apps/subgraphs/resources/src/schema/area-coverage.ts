import { NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';
import { badInput } from '@civic/server-kit/errors';
import { THEMES, type ThemeCode } from '@civic/taxonomy/themes';
import { builder } from '../builder.ts';
import { areaCoverage, type Context } from '../context.ts';
import type { AreaTheme, AreaThemeCoverage } from '../domain/area-coverage.ts';
import { Theme } from './scalars.ts';
import { Neighborhood, Service } from './service.ts';

const MAX_LISTED = 50;

export const NeighborhoodThemeCoverage = builder.objectRef<AreaThemeCoverage>('NeighborhoodThemeCoverage').implement({
  description:
    'The active services of one theme whose area covers one neighborhood, by geometry (the coverage stored on each service, recomputed when its area changes: all of the city, a drawn area holding half of the neighborhood or more, a ward it overlaps, or the neighborhood itself). The directory lists the same services with neighborhoodId and themes.',
  fields: (t) => ({
    id: t.id({
      description: 'The key: "<neighborhood id>:<theme>" (every entity of this platform is keyed by an id).',
      resolve: (c) => coverageId(c),
    }),
    neighborhoodId: t.exposeID('neighborhoodId', { description: 'The neighborhood (owned by engagement).' }),
    theme: t.field({ type: Theme, description: 'The theme.', resolve: (c) => c.theme as ThemeCode }),
    neighborhood: t.field({
      type: Neighborhood,
      description: 'The neighborhood.',
      resolve: (c) => ({ id: c.neighborhoodId }),
    }),
    activeServiceCount: t.int({
      description: 'How many active services of the theme cover the neighborhood (0: an area with no service).',
      resolve: (c) => c.serviceIds.length,
    }),
    services: t.field({
      type: [Service],
      description: `Those services, by name (the first ${MAX_LISTED} at most).`,
      listSize: { slicingArguments: ['first'], requireOneSlicingArgument: false },
      args: { first: t.arg.int({ defaultValue: 10, description: `How many (0–${MAX_LISTED}).` }) },
      resolve: async (c, args, ctx) => {
        const first = args.first ?? 10;
        if (first < 0 || first > MAX_LISTED) {
          throw badInput(`first must be between 0 and ${MAX_LISTED}`, [
            { field: 'first', message: `Between 0 and ${MAX_LISTED}` },
          ]);
        }
        const rows = await Promise.all(c.serviceIds.slice(0, first).map((id) => ctx.loaders.service.load(id)));
        return rows.filter((s) => s !== null);
      },
    }),
  }),
});

/** "<neighborhood id>:<theme>", the entity's key (engagement's gap report rows build it). */
export function coverageId(key: AreaTheme): string {
  return `${key.neighborhoodId}:${key.theme}`;
}

function parseCoverageId(id: string): AreaTheme | null {
  const colon = id.lastIndexOf(':');
  const theme = id.slice(colon + 1);
  const neighborhoodId = id.slice(0, colon);
  if (colon <= 0 || !THEMES.some((t) => t.code === theme)) return null;
  return { neighborhoodId, theme };
}

builder.asEntity(NeighborhoodThemeCoverage, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: ({ id }, ctx: Context) => {
    const key = parseCoverageId(id);
    return key ? ctx.loaders.areaCoverage.load(key) : null;
  },
});

function coverageFor(ctx: Context, neighborhoodId: string, theme: string) {
  if (!NEIGHBORHOODS.some((n) => n.id === neighborhoodId)) {
    throw badInput('Unknown neighborhood', [{ field: 'neighborhoodId', message: `No neighborhood ${neighborhoodId}` }]);
  }
  return ctx.loaders.areaCoverage.load({ neighborhoodId, theme });
}

builder.objectFields(Neighborhood, (t) => ({
  serviceCoverage: t.field({
    type: NeighborhoodThemeCoverage,
    description: 'The active services of a theme whose area covers this neighborhood, by geometry.',
    args: { theme: t.arg({ type: Theme, required: true, description: 'The theme.' }) },
    resolve: (n, args, ctx) => coverageFor(ctx, n.id, args.theme),
  }),
}));

interface CoverageMatrix {
  neighborhoodIds: string[];
  themes: ThemeCode[];
  counts: number[][];
}

const ServiceCoverageMatrix = builder.objectRef<CoverageMatrix>('ServiceCoverageMatrix').implement({
  description:
    'How many active services of each theme cover each published neighborhood, by geometry: one table for the whole city (the equity gap page joins it to its rows; asking each row for its NeighborhoodThemeCoverage would pass the entity limit of a request in a large city).',
  fields: (t) => ({
    neighborhoodIds: t.exposeIDList('neighborhoodIds', { description: 'The rows: every published neighborhood.' }),
    themes: t.field({ type: [Theme], description: 'The columns.', resolve: (m) => m.themes }),
    activeServiceCounts: t.intList({
      description:
        'Row by row: the count at i × themes.length + j is the active services of themes[j] covering neighborhoodIds[i] (0: an area with no service).',
      resolve: (m) => m.counts.flat(),
    }),
  }),
});

builder.queryFields((t) => ({
  serviceCoverageMatrix: t.field({
    type: ServiceCoverageMatrix,
    description:
      'Active services covering each neighborhood for each theme, by geometry (the same coverage as Neighborhood.serviceCoverage and the directory’s neighborhoodId filter).',
    args: {
      themes: t.arg({
        type: [Theme],
        required: false,
        description: 'The themes (default: every theme of the taxonomy).',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const themes = args.themes && args.themes.length > 0 ? [...new Set(args.themes)] : THEMES.map((x) => x.code);
      const neighborhoodIds = NEIGHBORHOODS.map((n) => n.id);
      const counts = await areaCoverage(ctx.prisma).counts(neighborhoodIds, themes);
      return { neighborhoodIds, themes, counts };
    },
  }),
}));
