import { builder } from '../builder.ts';

builder.prismaObject('ChangeRecord', {
  description: 'One changed field of a resource (HSDS metadata): who changed what, from what, to what, and when.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Id of the record.' }),
    resourceId: t.exposeID('resourceId', { description: 'Id of the changed service or organization.' }),
    resourceType: t.exposeString('resourceType', { description: 'HSDS table: service or organization.' }),
    lastActionDate: t.expose('lastActionDate', { type: 'DateTime', description: 'When the change happened.' }),
    lastActionType: t.exposeString('lastActionType', { description: 'create, update or delete.' }),
    fieldName: t.exposeString('fieldName', { description: 'The field that changed.' }),
    previousValue: t.exposeString('previousValue', { nullable: true, description: 'Value before (JSON for lists).' }),
    replacementValue: t.exposeString('replacementValue', {
      nullable: true,
      description: 'Value after (JSON for lists).',
    }),
    updatedBy: t.exposeString('updatedBy', { description: 'Who made the change (role:subject).' }),
  }),
});
