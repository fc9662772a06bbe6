import type { Identity, Role } from '@civic/server-kit/identity';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';

const ViewerRole = builder.enumType('ViewerRole', {
  description: 'Who the gateway established the caller to be.',
  values: {
    PUBLIC: { description: 'No credentials: reads published data only.' },
    PARTNER: { description: "A partner organization's API key." },
    STAFF: { description: 'City staff of one department (signed token).' },
    ADMIN: { description: 'An administrator (signed token).' },
  } as const,
});

const ViewerAbility = builder.enumType('ViewerAbility', {
  description: 'Something the caller may do. The API enforces each one; this list only reports them.',
  values: {
    READ_PUBLISHED: {
      description: 'Read published conversations and accepted concerns, the strategic plan, the resource directory.',
    },
    READ_UNPUBLISHED: {
      description: "Read drafts, pending or rejected concerns, residents' contact details and audit logs.",
    },
    EDIT_OWN_ORGANIZATION: {
      description: "Change the caller's own organization record (`updateOrganization`), but not its kind.",
    },
    MANAGE_OWN_SERVICES: {
      description:
        "Create, update and retire the services of the caller's own organization and link them to initiatives.",
    },
    READ_OWN_SERVICE_CHANGES: { description: "Read the change log of the caller's own organization's services." },
    RECORD_ENGAGEMENT: {
      description: 'Record conversations and concerns; moderate, align, merge and change the status of concerns.',
    },
    EDIT_LED_INITIATIVES: {
      description: "Change the initiatives the caller's department leads, their measures and observations.",
    },
    MANAGE_ALL_RESOURCES: {
      description: 'Change any organization (kind included) and service; add organizations; import HSDS datasets.',
    },
    EDIT_ALL_INITIATIVES: { description: 'Change any initiative, measure or observation.' },
    MANAGE_API_KEYS: { description: 'Create, list and revoke partner API keys (`/admin/api-keys`).' },
  } as const,
});

type Ability = typeof ViewerAbility.$inferType;

const ABILITIES: Record<Role, Ability[]> = {
  PUBLIC: ['READ_PUBLISHED'],
  PARTNER: ['READ_PUBLISHED', 'EDIT_OWN_ORGANIZATION', 'MANAGE_OWN_SERVICES', 'READ_OWN_SERVICE_CHANGES'],
  STAFF: [
    'READ_PUBLISHED',
    'READ_UNPUBLISHED',
    'EDIT_OWN_ORGANIZATION',
    'MANAGE_OWN_SERVICES',
    'READ_OWN_SERVICE_CHANGES',
    'RECORD_ENGAGEMENT',
    'EDIT_LED_INITIATIVES',
  ],
  ADMIN: [
    'READ_PUBLISHED',
    'READ_UNPUBLISHED',
    'READ_OWN_SERVICE_CHANGES',
    'RECORD_ENGAGEMENT',
    'MANAGE_ALL_RESOURCES',
    'EDIT_ALL_INITIATIVES',
    'MANAGE_API_KEYS',
  ],
};

/** A PARTNER's organization or a STAFF member's department: both are Organization ids. */
function organizationIdOf(identity: Identity): string | null {
  if (identity.role === 'PARTNER') return identity.organization;
  if (identity.role === 'STAFF') return identity.department;
  return null;
}

const Viewer = builder.objectRef<Identity>('Viewer').implement({
  description:
    'The caller as the gateway established it from its credentials: role, organization or department, and abilities.',
  fields: (t) => ({
    role: t.field({ type: ViewerRole, description: 'The role.', resolve: (v) => v.role }),
    subject: t.string({
      nullable: true,
      description: 'The API key id (PARTNER) or the user id (STAFF, ADMIN); null when anonymous.',
      resolve: (v) => v.subject,
    }),
    organizationId: t.id({
      nullable: true,
      description:
        "The organization a PARTNER key belongs to, or a STAFF member's department (an Organization id); null otherwise.",
      resolve: (v) => organizationIdOf(v),
    }),
    organization: t.prismaField({
      type: 'Organization',
      nullable: true,
      description: 'That organization or department, when the directory holds it.',
      resolve: (query, v, _args, ctx: Context) => {
        const id = organizationIdOf(v);
        return id ? ctx.prisma.organization.findUnique({ ...query, where: { id } }) : null;
      },
    }),
    abilities: t.field({
      type: [ViewerAbility],
      description: 'What the caller may do, in the order of the enum.',
      resolve: (v) => ABILITIES[v.role],
    }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    type: Viewer,
    description:
      'Who you are: your role, your organization (partner key) or department (staff token), and what you may do. Start here.',
    resolve: (_root, _args, ctx) => ctx.identity,
  }),
}));
