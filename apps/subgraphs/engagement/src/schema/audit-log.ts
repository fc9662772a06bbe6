import { builder } from '../builder.ts';
import { countedConnection } from './connections.ts';

builder.prismaObject('AuditEntry', {
  // Named for this subgraph: initiatives has its own AuditEntry type of another shape.
  name: 'EngagementAuditEntry',
  description: 'One recorded write: who did what to which record, and the record before and after.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Entry id.' }),
    actorSubject: t.exposeString('actorSubject', { description: 'Who (user id or API key id).' }),
    actorRole: t.exposeString('actorRole', { description: 'Their role at the time.' }),
    action: t.exposeString('action', { description: 'What was done, e.g. "concern.status".' }),
    entity: t.exposeString('entity', { description: 'Kind of record, e.g. "Concern".' }),
    entityId: t.exposeID('entityId', { description: 'Id of the record.' }),
    before: t.field({ type: 'JSON', nullable: true, description: 'The record before.', resolve: (e) => e.before }),
    after: t.field({ type: 'JSON', nullable: true, description: 'The record after.', resolve: (e) => e.after }),
    at: t.expose('at', { type: 'DateTime', description: 'When.' }),
  }),
});

builder.queryFields((t) => ({
  auditLog: t.prismaConnection(
    {
      type: 'AuditEntry',
      cursor: 'id',
      defaultSize: 50,
      maxSize: 200,
      listSize: {
        slicingArguments: ['first', 'last'],
        sizedFields: ['edges'],
        requireOneSlicingArgument: false,
        assumedSize: 50,
      },
      authScopes: { staff: true },
      description: 'The audit log of engagement writes, newest first (staff and administrators only).',
      args: {
        entity: t.arg.string({ required: false, description: 'Only this kind of record.' }),
        entityId: t.arg.id({ required: false, description: 'Only this record.' }),
      },
      resolve: (query, _root, args, ctx) =>
        ctx.prisma.auditEntry.findMany({
          ...query,
          where: {
            ...(args.entity ? { entity: args.entity } : {}),
            ...(args.entityId ? { entityId: args.entityId } : {}),
          },
          orderBy: [{ at: 'desc' }, { id: 'desc' }],
        }),
      totalCount: (_root, args, ctx) =>
        ctx.prisma.auditEntry.count({
          where: {
            ...(args.entity ? { entity: args.entity } : {}),
            ...(args.entityId ? { entityId: args.entityId } : {}),
          },
        }),
    },
    countedConnection('EngagementAuditEntryConnection', 'audit entries'),
    { name: 'EngagementAuditEntryEdge', description: 'An engagement audit entry in a page.' },
  ),
}));
