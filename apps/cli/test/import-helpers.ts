import { spawn } from 'node:child_process';
import { mintToken } from '@civic/auth/jwt';
import { gql } from '@civic/test-stack/graphql';
import type { Stack } from '@civic/test-stack/stack';
import { expect } from 'vitest';

const entry = new URL('../dist/main.js', import.meta.url).pathname;

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (asynchronously: the stack's processes keep serving meanwhile). */
export function civic(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], {
      env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: '', CIVIC_ADMIN_TOKEN: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() }));
  });
}

export function cliEnv(stack: Stack): NodeJS.ProcessEnv {
  return { CIVIC_GATEWAY_URL: stack.gatewayUrl, CIVIC_JWT_SECRET: stack.jwtSecret, NODE_ENV: 'production' };
}

export async function adminHeaders(stack: Stack): Promise<Record<string, string>> {
  const token = await mintToken(stack.jwtSecret, { sub: 'test-admin', role: 'ADMIN' }, { ttl: '1h' });
  return { authorization: `Bearer ${token}` };
}

export interface StoredConversation {
  id: string;
  title: string;
  status: string;
  updatedAt: string;
  participantCount: number;
  source: { kind: string; externalId: string | null };
  concerns: { id: string; moderation: string; supportCount: number; updatedAt: string }[];
}

/** Every conversation of one source kind, as ADMIN sees it (drafts and hidden concerns included). */
export async function storedConversations(stack: Stack, kind: 'POLIS' | 'CSV'): Promise<StoredConversation[]> {
  const result = await gql<{ conversations: { edges: { node: StoredConversation }[] } }>(
    stack.gatewayUrl,
    `query ($kind: ConversationSourceKind!) {
      conversations(first: 10, filter: { source: $kind }) {
        edges { node { id title status updatedAt participantCount source { kind externalId }
          concerns { id moderation supportCount updatedAt } } }
      }
    }`,
    { kind },
    await adminHeaders(stack),
  );
  expect(result.body.errors, JSON.stringify(result.body.errors)).toBeUndefined();
  return (result.body.data?.conversations.edges ?? [])
    .map((e) => e.node)
    .sort((a, b) => a.title.localeCompare(b.title));
}

/** How many concerns of a conversation everyone (PUBLIC, no credentials) can see. */
export async function publicConcernCount(stack: Stack, conversationId: string): Promise<number | null> {
  const result = await gql<{ conversation: { concerns: { id: string }[] } | null }>(
    stack.gatewayUrl,
    'query ($id: ID!) { conversation(id: $id) { concerns { id } } }',
    { id: conversationId },
  );
  expect(result.body.errors).toBeUndefined();
  return result.body.data?.conversation?.concerns.length ?? null;
}
