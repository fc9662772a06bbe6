import type { ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { ApiKeyStore } from '@civic/auth/api-keys';
import { HttpError, type IncomingRequest, type RouteHandler, sendJson } from '@civic/server-kit/http';
import type { Logger } from '@civic/server-kit/logger';
import type { Authenticated } from './auth.ts';
import type { GatewayContext } from './gateway.ts';

/**
 * API-key administration over HTTP, for `civic api-key` while the gateway holds the database.
 * Only an ADMIN token may use it.
 */
export function adminRoutes(options: {
  apiKeys: ApiKeyStore;
  authenticate: (req: IncomingRequest) => Promise<Authenticated>;
  apollo: ApolloServer<GatewayContext>;
  logger: Logger;
}): Record<string, RouteHandler> {
  const requireAdmin = async (req: IncomingRequest) => {
    const { identity } = await options.authenticate(req);
    if (identity.role === 'PUBLIC') throw new HttpError(401, 'UNAUTHENTICATED', 'Sign in as an administrator');
    if (identity.role !== 'ADMIN') throw new HttpError(403, 'FORBIDDEN', 'Only administrators manage API keys');
    return identity;
  };
  const readJson = (req: IncomingRequest): Record<string, unknown> => {
    try {
      const value = JSON.parse(req.body.toString('utf8') || '{}');
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // reported below
    }
    throw new HttpError(400, 'BAD_REQUEST', 'The request body must be a JSON object');
  };
  const organizationExists = async (id: string, identity: GatewayContext['identity']): Promise<boolean> => {
    const result = await options.apollo.executeOperation(
      { query: 'query OrganizationForApiKey($id: ID!) { organization(id: $id) { id } }', variables: { id } },
      { contextValue: { identity, requestId: `admin-${Date.now()}` } },
    );
    if (result.body.kind !== 'single') return false;
    const { data, errors } = result.body.singleResult;
    if (errors?.length) throw new HttpError(503, 'SERVICE_UNAVAILABLE', 'Organizations cannot be checked right now');
    return Boolean((data as { organization: unknown } | undefined)?.organization);
  };

  return {
    '/admin/api-keys': async (req: IncomingRequest, res: ServerResponse) => {
      const identity = await requireAdmin(req);
      if (req.method === 'GET') return sendJson(res, 200, { apiKeys: await options.apiKeys.list() });
      if (req.method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'Use GET or POST');
      const body = readJson(req);
      const organizationId = typeof body.organizationId === 'string' ? body.organizationId.trim() : '';
      const label = typeof body.label === 'string' ? body.label.trim() : '';
      const problems = [
        ...(organizationId ? [] : [{ field: 'organizationId', message: 'is required' }]),
        ...(label && label.length <= 200 ? [] : [{ field: 'label', message: 'is required (at most 200 characters)' }]),
      ];
      if (problems.length === 0 && !(await organizationExists(organizationId, identity))) {
        problems.push({ field: 'organizationId', message: `no organization has id ${organizationId}` });
      }
      if (problems.length > 0) {
        return sendJson(res, 400, {
          errors: [{ message: 'The API key cannot be created', extensions: { code: 'BAD_USER_INPUT', problems } }],
        });
      }
      const created = await options.apiKeys.create({ organizationId, label, createdBy: identity.subject });
      options.logger.info('api key created', { prefix: created.record.prefix, organizationId, by: identity.subject });
      return sendJson(res, 201, created);
    },
    '/admin/api-keys/revoke': async (req: IncomingRequest, res: ServerResponse) => {
      const identity = await requireAdmin(req);
      if (req.method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'Use POST');
      const body = readJson(req);
      const key = typeof body.key === 'string' ? body.key.trim() : '';
      if (!key) throw new HttpError(400, 'BAD_USER_INPUT', 'Give the key id or prefix as "key"');
      const record = await options.apiKeys.revoke(key);
      if (!record) throw new HttpError(404, 'NOT_FOUND', `No single API key has id or prefix ${key}`);
      options.logger.info('api key revoked', { prefix: record.prefix, by: identity.subject });
      return sendJson(res, 200, { record });
    },
  };
}
