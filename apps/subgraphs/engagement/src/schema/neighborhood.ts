import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';
import { builder, type ModelRef } from '../builder.ts';
import type { Context, NeighborhoodOmit } from '../context.ts';
import { type EquityReason, equityReasons, type MetCondition } from '../domain/equity-rule.ts';
import { aliasesOf, canonicalNeighborhoodId } from '../domain/neighborhood-names.ts';
import { EquityComparisonEnum } from './enums.ts';
import { currentRuleFor } from './equity-rule.ts';

interface StoredIndicator {
  unit: string;
  value: number | null;
  year: number | null;
  vintage: string | null;
  source: string;
  marginOfError: number | null;
  method: string;
  series: { year: number; vintage: string; value: number }[];
}

const IndicatorPoint = builder.objectRef<StoredIndicator['series'][number]>('NeighborhoodIndicatorPoint').implement({
  description: 'One year of an indicator.',
  fields: (t) => ({
    year: t.exposeInt('year', {
      description: 'The year the figure is labelled with (an ACS estimate ends that year).',
    }),
    vintage: t.exposeString('vintage', {
      description: 'What the figure comes from, e.g. "ACS 2019–2023" or "Census 2010".',
    }),
    value: t.exposeFloat('value', { description: 'The figure, in the indicator’s unit.' }),
  }),
});

const IndicatorUnit = builder.enumType('NeighborhoodIndicatorUnit', {
  description: 'The unit of an indicator’s figures.',
  values: {
    SHARE: { value: 'share', description: 'A share of people, 0–1.' },
    USD: { value: 'usd', description: 'US dollars.' },
    PEOPLE: { value: 'people', description: 'A count of people (fractional after re-weighting to 2010 boundaries).' },
    PERCENTILE: { value: 'percentile', description: 'A national percentile rank, 0–1.' },
  } as const,
});

const Indicator = builder.objectRef<StoredIndicator & { key: string }>('NeighborhoodIndicator').implement({
  description:
    'A published figure for a neighborhood with its source and vintage: the latest year as `value`, every year in `series`. `value` is null (never zero) when the area has no published data.',
  fields: (t) => ({
    key: t.exposeString('key', {
      description:
        'Which figure: peopleOfColorShare, hispanicShare, blackShare, whiteShare, medianHouseholdIncome, population, povertyRate, sviOverall, sviSocioeconomic, sviHouseholdDisability, sviMinorityLanguage or sviHousingTransportation.',
    }),
    unit: t.field({ type: IndicatorUnit, description: 'Unit of the figures.', resolve: (i) => i.unit as never }),
    value: t.exposeFloat('value', { nullable: true, description: 'The latest figure (null: no data).' }),
    year: t.exposeInt('year', { nullable: true, description: 'Year of `value`.' }),
    vintage: t.exposeString('vintage', { nullable: true, description: 'Vintage of `value`, e.g. "ACS 2019–2023".' }),
    source: t.exposeString('source', {
      description: 'Who publishes it, e.g. "Durham Neighborhood Compass (DataWorks NC)…".',
    }),
    marginOfError: t.exposeFloat('marginOfError', {
      nullable: true,
      description: '90 % margin of error of `value` in its unit, where the source publishes one.',
    }),
    method: t.exposeString('method', {
      description: 'How the neighborhood’s figure is derived from census geographies.',
    }),
    series: t.field({
      type: [IndicatorPoint],
      description: 'Every year with a figure, oldest first.',
      resolve: (i) => i.series,
    }),
  }),
});

const EquityPriorityFigure = builder.objectRef<MetCondition>('EquityPriorityFigure').implement({
  description: 'A condition of the equity-priority rule a neighborhood meets, with the figure that meets it.',
  fields: (t) => ({
    indicator: t.exposeString('indicator', { description: 'The indicator’s key (see NeighborhoodIndicator.key).' }),
    comparison: t.field({
      type: EquityComparisonEnum,
      description: 'How the figure is compared with the threshold.',
      resolve: (c) => c.comparison,
    }),
    threshold: t.exposeFloat('threshold', { description: 'The rule’s threshold, in the indicator’s unit.' }),
    value: t.exposeFloat('value', { description: 'The neighborhood’s figure.' }),
    year: t.exposeInt('year', { nullable: true, description: 'Year of the figure.' }),
    vintage: t.exposeString('vintage', {
      nullable: true,
      description: 'What the figure comes from, e.g. "ACS 2014–2018" (null: a figure entered without one).',
    }),
    source: t.exposeString('source', { nullable: true, description: 'Who publishes the figure.' }),
  }),
});

const EquityPriorityReason = builder.objectRef<EquityReason>('EquityPriorityReason').implement({
  description:
    'A clause of the current equity-priority rule (see `equityPriorityRule`) that a neighborhood meets, with its figures: the answer to "why is this a priority area?".',
  fields: (t) => ({
    clause: t.exposeString('clause', { description: 'The clause’s key, e.g. "SVI_OVERALL".' }),
    conditions: t.field({
      type: [EquityPriorityFigure],
      description: 'Every condition of the clause, with the figure, source and vintage that meet it.',
      resolve: (r) => r.conditions,
    }),
  }),
});

export const Neighborhood: ModelRef<'Neighborhood'> = builder.prismaObject('Neighborhood', {
  description:
    'A neighborhood of the city as published (Durham: DataWorks NC’s Neighborhood Compass), with its boundary, wards, school zone and equity indicators.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable neighborhood id.' }),
    slug: t.exposeString('slug', { description: 'URL-friendly name, e.g. "old-east-durham".' }),
    name: t.exposeString('name', { description: 'Published name (English label).' }),
    nameEs: t.string({
      description: 'Published Spanish name (the English one where none is published).',
      resolve: (n) => n.nameEs ?? n.name,
    }),
    aliases: t.stringList({
      description:
        'Other names that stand for it in imports and old files (the demo-era names, e.g. "Hayti" for Southside / St. Teresa).',
      resolve: (n) => aliasesOf(n.id),
    }),
    localizedName: t.string({
      description: 'The published name in a language ("es": Spanish; anything else: English).',
      args: { language: t.arg.string({ required: true, description: 'BCP-47 language, e.g. "es".' }) },
      resolve: (n, args) => (args.language.toLowerCase().startsWith('es') ? (n.nameEs ?? n.name) : n.name),
    }),
    ward: t.exposeInt('ward', {
      nullable: true,
      description: 'The council ward holding most of its area (null: outside the city’s wards).',
    }),
    wards: t.exposeIntList('wards', {
      description: 'Every council ward it overlaps (1 % of its area or more), largest share first.',
    }),
    schoolZone: t.exposeString('schoolZone', {
      nullable: true,
      description: 'The elementary school assignment zone holding most of its area.',
    }),
    schoolZoneEs: t.exposeString('schoolZoneEs', { nullable: true, description: 'The school zone’s Spanish name.' }),
    equityPriority: t.exposeBoolean('equityPriority', {
      description: 'Whether the equity-priority rule (see equityPriorityReasons) marks it as a priority area.',
    }),
    equityPriorityReasons: t.field({
      type: [EquityPriorityReason],
      description:
        'Why it is a priority area: each clause of the current equity-priority rule (see `equityPriorityRule`) it meets, with the figures, sources and vintages that meet it (empty when it is not one).',
      resolve: async (n, _args, ctx) => equityReasons(n, (await currentRuleFor(ctx)).clauses),
    }),
    povertyRate: t.exposeFloat('povertyRate', {
      nullable: true,
      description: 'Share of people below the poverty line, 0–1 (ACS 2014–2018, population-weighted over its tracts).',
    }),
    peopleOfColorShare: t.exposeFloat('peopleOfColorShare', {
      nullable: true,
      description: 'Share of residents who are people of color, 0–1 (ACS 2019–2023, Durham Neighborhood Compass).',
    }),
    medianHouseholdIncome: t.exposeInt('medianHouseholdIncome', {
      nullable: true,
      description: 'Median household income in US dollars (ACS 2019–2023, household-weighted over its block groups).',
    }),
    hispanicShare: t.exposeFloat('hispanicShare', {
      nullable: true,
      description: 'Hispanic or Latino share, 0–1 (ACS 2019–2023).',
    }),
    blackShare: t.exposeFloat('blackShare', {
      nullable: true,
      description: 'Black non-Hispanic share, 0–1 (ACS 2019–2023).',
    }),
    whiteShare: t.exposeFloat('whiteShare', {
      nullable: true,
      description: 'White non-Hispanic share, 0–1 (ACS 2019–2023).',
    }),
    population: t.exposeFloat('population', { nullable: true, description: 'Population (ACS 2019–2023).' }),
    sviOverall: t.exposeFloat('sviOverall', {
      nullable: true,
      description:
        'CDC/ATSDR Social Vulnerability Index 2018, overall percentile rank 0–1 (population-weighted over its tracts).',
    }),
    indicators: t.field({
      type: [Indicator],
      description: 'Every published figure with its source, vintage, margin of error and series.',
      resolve: (n) =>
        Object.entries((n.indicators ?? {}) as unknown as Record<string, StoredIndicator>).map(([key, value]) => ({
          ...value,
          key,
        })),
    }),
    boundary: t.field({
      type: 'GeoJSON',
      nullable: true,
      description: 'The published boundary as a GeoJSON MultiPolygon (WGS 84, RFC 7946 winding).',
      resolve: (n) => n.boundary ?? null,
    }),
  }),
});

builder.asEntity(Neighborhood, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: ({ id }, ctx: Context, info) => ctx.loaders.neighborhood(heavyColumnsNotAsked(info)).load(id),
});

builder.prismaObject('Ward', {
  description: 'A city council ward with its published boundary.',
  fields: (t) => ({
    number: t.exposeInt('number', { description: 'Ward number (1–3 in Durham).' }),
    name: t.exposeString('name', { description: 'Ward name, e.g. "Ward 1".' }),
    boundary: t.field({
      type: 'GeoJSON',
      description: 'The ward boundary as a GeoJSON MultiPolygon (WGS 84).',
      resolve: (w) => w.boundary,
    }),
    neighborhoods: t.relation('neighborhoods', {
      description: 'Neighborhoods whose largest part lies in this ward, by name.',
      query: { orderBy: { name: 'asc' } },
    }),
  }),
});

/**
 * Names of the fields asked of the objects a field returns (through fragments too); with `path`, of the
 * objects under those fields of that name (`['neighborhood']`: what a report asks of its rows' neighborhood).
 */
function askedFields(info: GraphQLResolveInfo, path: readonly string[] = []): Set<string> {
  const names = new Set<string>();
  const visit = (set: SelectionSetNode | undefined, depth: number) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (depth === path.length) names.add(selection.name.value);
        else if (selection.name.value === path[depth]) visit(selection.selectionSet, depth + 1);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet, depth);
      else visit(info.fragments[selection.name.value]?.selectionSet, depth);
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet, 0);
  return names;
}

/** Neither heavy column: for what reads only a neighborhood's plain fields (its ward, its name). */
export const WITHOUT_HEAVY_COLUMNS: NeighborhoodOmit = { boundary: true, indicators: true };

/**
 * Leaves out the heavy columns (boundaries and indicator series, most of a row's size) unless a
 * field that reads them is asked for (of the neighborhoods the field returns, or of those at `path` under it).
 */
export function heavyColumnsNotAsked(info: GraphQLResolveInfo, path: readonly string[] = []): NeighborhoodOmit {
  const asked = askedFields(info, path);
  return {
    ...(asked.has('boundary') ? {} : { boundary: true }),
    ...(asked.has('indicators') || asked.has('equityPriorityReasons') ? {} : { indicators: true }),
  };
}

builder.queryFields((t) => ({
  neighborhoods: t.prismaField({
    type: ['Neighborhood'],
    description:
      'All neighborhoods, by ward then name (those outside the wards last); optionally one ward (its largest part there) or only equity-priority areas.',
    args: {
      ward: t.arg.int({ required: false, description: 'Only this ward.' }),
      equityPriority: t.arg.boolean({ required: false, description: 'Only (or never) equity-priority areas.' }),
    },
    resolve: (query, _root, args, ctx, info) =>
      ctx.prisma.neighborhood.findMany({
        ...query,
        omit: heavyColumnsNotAsked(info),
        where: {
          ...(args.ward != null ? { ward: args.ward } : {}),
          ...(args.equityPriority != null ? { equityPriority: args.equityPriority } : {}),
        },
        orderBy: [{ ward: 'asc' }, { name: 'asc' }],
      }),
  }),
  neighborhood: t.prismaField({
    type: 'Neighborhood',
    nullable: true,
    description: 'A neighborhood by id (a demo-era id answers with the published neighborhood it stands for).',
    args: { id: t.arg.id({ required: true, description: 'Neighborhood id.' }) },
    resolve: (query, _root, args, ctx, info) =>
      ctx.prisma.neighborhood.findUnique({
        ...query,
        omit: heavyColumnsNotAsked(info),
        where: { id: canonicalNeighborhoodId(args.id) },
      }),
  }),
  wards: t.prismaField({
    type: ['Ward'],
    description: 'The council wards with their boundaries, by number (for maps).',
    resolve: (query, _root, _args, ctx) => ctx.prisma.ward.findMany({ ...query, orderBy: { number: 'asc' } }),
  }),
}));
