import { createTestDatabase, type TestDatabase } from '@civic/db/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { API_KEY_DISPLAY_PREFIX_LENGTH, API_KEY_PATTERN, ApiKeyStore } from './api-keys.ts';

let db: TestDatabase;
let store: ApiKeyStore;

beforeAll(async () => {
  db = await createTestDatabase('auth-api-keys');
  store = await ApiKeyStore.open(db.sql);
});
afterAll(async () => {
  await db?.destroy();
});

describe('ApiKeyStore', () => {
  test('a created key is shown once, stored by hash, and verifies until revoked', async () => {
    const { key, record } = await store.create({ organizationId: 'org-1', label: 'partner', createdBy: 'admin-1' });
    expect(key).toMatch(API_KEY_PATTERN);
    expect(record.prefix).toBe(key.slice(0, API_KEY_DISPLAY_PREFIX_LENGTH));
    expect(record).toMatchObject({ organizationId: 'org-1', label: 'partner', createdBy: 'admin-1', revokedAt: null });
    expect((await store.verify(key))?.id).toBe(record.id);
    expect((await store.list()).map((k) => k.id)).toContain(record.id);

    expect((await store.revoke(record.prefix))?.revokedAt).not.toBeNull();
    expect(await store.verify(key)).toBeNull();
  });

  test('keys that do not look like keys, or are unknown, do not verify', async () => {
    expect(await store.verify('not-a-key')).toBeNull();
    expect(await store.verify(`cg_live_${'x'.repeat(40)}`)).toBeNull();
    expect(await store.revoke('no-such-key')).toBeNull();
  });
});
