import { builder } from '../builder.ts';
import type { Context } from '../context.ts';

const InitiativeStatus = builder.enumType('InitiativeStatus', {
  description: 'The status indicator shown on the strategic plan dashboard.',
  values: ['IN_PROGRESS', 'ON_HOLD', 'COMPLETE_ONGOING'] as const,
});

/** A city department; owned by the resources subgraph and reached here only by key. */
const Organization = builder.externalRef('Organization', builder.selection<{ id: string }>('id')).implement({
  externalFields: (t) => ({ id: t.id() }),
});

const Initiative = builder.prismaObject('Initiative', {
  description: 'A numbered strategic-plan initiative, such as 3.13.',
  fields: (t) => ({
    id: t.exposeID('id'),
    code: t.exposeString('code', { description: 'The plan number, e.g. "3.13".' }),
    title: t.exposeString('title'),
    description: t.exposeString('description', { nullable: true }),
    status: t.field({ type: InitiativeStatus, nullable: true, resolve: (i) => i.status }),
    goal: t.relation('goal'),
    leadDepartment: t.field({
      type: Organization,
      nullable: true,
      description: 'The department that leads this initiative.',
      resolve: (i) => (i.leadDepartmentId ? { id: i.leadDepartmentId } : null),
    }),
    sourceUrl: t.exposeString('sourceUrl', {
      nullable: true,
      description: 'Where the city published this initiative.',
    }),
  }),
});

builder.asEntity(Initiative, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: ({ id }, ctx: Context) => ctx.loaders.initiative.load(id),
});

builder.queryFields((t) => ({
  initiative: t.prismaField({
    type: 'Initiative',
    nullable: true,
    description: 'An initiative by id or by plan code.',
    args: { id: t.arg.id(), code: t.arg.string() },
    resolve: (query, _root, args, ctx) => {
      if (args.id) return ctx.prisma.initiative.findUnique({ ...query, where: { id: args.id } });
      if (args.code) return ctx.prisma.initiative.findUnique({ ...query, where: { code: args.code } });
      return null;
    },
  }),
  initiatives: t.prismaField({
    type: ['Initiative'],
    description: 'All initiatives in plan order.',
    resolve: (query, _root, _args, ctx) => ctx.prisma.initiative.findMany({ ...query, orderBy: { code: 'asc' } }),
  }),
}));
