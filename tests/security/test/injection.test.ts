import type { Stack } from '@civic/test-stack/stack';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Answer, CLIENT_CODES, codeOf, gql, type Planted, plant, productionStack } from './helpers.ts';

let stack: Stack;
let p: Planted;
let ids: Record<string, string>;

beforeAll(async () => {
  // Subgraphs of its own: it checks that no attack wrote anything by comparing whole-database totals.
  stack = await productionStack({ RATE_LIMIT_PER_ADDRESS: '100000', RATE_LIMIT_PER_KEY: '100000' });
  p = await plant(stack);
  const some = await gql(
    stack,
    `{ neighborhoods { id } initiatives(goal: 1) { id code } concern(id: "${p.publicConcernId}") { alignments { id } } }`,
    {},
    p.admin,
  );
  const d = (some.json.data ?? {}) as {
    neighborhoods: { id: string }[];
    initiatives: { id: string; code: string }[];
    concern: { alignments: { id: string }[] };
  };
  type Detail = { id: string; code: string; measures: { id: string; observations: { id: string }[] }[] };
  let measured: Detail | undefined;
  for (const initiative of d.initiatives.slice(0, 12)) {
    const detail = await gql(
      stack,
      'query($id: ID!) { initiative(id: $id) { id code measures { id observations { id } } } }',
      { id: initiative.id },
      p.admin,
    );
    const found = (detail.json.data ?? {}).initiative as Detail;
    measured ??= found;
    if (found.measures.some((m) => m.observations.length > 0)) {
      measured = found;
      break;
    }
  }
  ids = {
    neighborhood: d.neighborhoods[0]?.id as string,
    initiative: measured?.id as string,
    code: measured?.code as string,
    measure: measured?.measures[0]?.id as string,
    observation: measured?.measures.flatMap((m) => m.observations)[0]?.id as string,
    alignment: d.concern.alignments[0]?.id as string,
  };
}, 420_000);
afterAll(async () => stack?.destroy());

/** Counts that any write would change; read as ADMIN. */
async function snapshot(): Promise<unknown> {
  const a = await gql(
    stack,
    `{ conversations(first: 1) { totalCount } concerns(first: 1) { totalCount } auditLog(first: 1) { totalCount }
       services(first: 1) { totalCount } organizations { id name } citywideConcerns { id concernCount } }`,
    {},
    p.admin,
  );
  const b = await gql(
    stack,
    `{ initiative(id: "${ids.initiative}") { status whyItMatters statusHistory { id } measures { id name observations { id } } resourceLinks { note } }
       service(id: "${p.serviceId}") { name status description changes { id } } }`,
    {},
    p.admin,
  );
  expect(a.json.errors).toBeUndefined();
  return { a: a.json.data, b: b.json.data };
}

const PAYLOADS = [
  `'; DROP TABLE "Concern"; --`,
  `%' OR 1=1 --`,
  `' OR '1'='1`,
  `") OR 1=1; DELETE FROM "Service" WHERE ("1"="1`,
  `' UNION SELECT "contactEmail" FROM "Concern" --`,
  `$$; DROP TABLE "Initiative"; $$`,
  '\\',
  "\\'",
  'a\u0000b',
  '\u0000',
  'x'.repeat(10_000),
  '😀🏳️‍🌈 ñ 漢字 \u202egnp.exe \ud800',
  `:* & ! | <-> ()`,
  '"unclosed',
  '%_%',
  '-',
];

describe('SQL injection in every text filter, search and id argument of the public API', () => {
  test.each(PAYLOADS.map((payload) => [JSON.stringify(payload).slice(0, 40), payload]))(
    '%s: no 500, no extra rows, tables intact',
    async (_label, payload) => {
      const q1 = `query Q($t: String!, $id: ID!) {
        c: concerns(first: 5, filter: { search: $t }) { totalCount edges { node { id contact { email } } } }
        cv: conversations(first: 5, filter: { search: $t }) { totalCount }
        s: services(first: 5, text: $t) { totalCount }
        sl: services(first: 5, language: $t) { totalCount }
        o: objective(code: $t) { id }
        i: initiative(code: $t) { id }
        is: initiatives(objective: $t) { id }
        cs: conversationStats(from: $t, to: $t) { month }
        one: concern(id: $id) { id }
        cid: concerns(first: 5, filter: { neighborhoodId: $id, conversationId: $id, citywideConcernId: $id }) { totalCount }
      }`;
      const q2 = `query Q($t: String!, $id: ID!) {
        cu: concerns(first: 5, after: $t) { totalCount }
        su: services(first: 5, after: $t, neighborhoodId: $id) { totalCount }
        cvu: conversations(first: 5, before: $t) { totalCount }
        n: neighborhood(id: $id) { id }
        sv: service(id: $id) { id }
        org: organization(id: $id) { id }
        m: measure(id: $id) { id }
        cw: citywideConcern(id: $id) { id }
        cn: conversation(id: $id) { id }
        i2: initiative(id: $id) { id }
      }`;
      const variables = { t: payload, id: payload };
      for (const [query, headers] of [
        [q1, {}],
        [q2, {}],
        [q1, p.staff],
        [`query Q($t: String) { auditLog(first: 5, entity: $t, entityId: $t, after: $t) { totalCount } }`, p.admin],
      ] as [string, Record<string, string>][]) {
        const answer = await gql(stack, query, variables, headers);
        expect([200, 400], answer.text.slice(0, 300)).toContain(answer.status);
        expect(answer.text).not.toMatch(/zebulon/i);
        const data = (answer.json.data ?? {}) as Record<string, { totalCount?: number } | null>;
        // A payload that matched everything would count every row: the search filters must stay narrow.
        if (headers !== p.admin) {
          for (const alias of ['c', 'cv', 's', 'cid', 'cu', 'cvu']) {
            const total = data[alias]?.totalCount;
            if (total !== undefined && alias !== 'cu' && alias !== 'cvu')
              expect(total, `${alias} ${payload.slice(0, 30)}`).toBeLessThan(50);
          }
        }
      }
    },
  );

  test('afterwards every table still answers, with the rows it had', async () => {
    const answer = await gql(
      stack,
      '{ concerns(first: 1) { totalCount } conversations(first: 1) { totalCount } services(first: 1) { totalCount } initiatives { id } organizations { id } }',
      {},
      p.admin,
    );
    expect(answer.json.errors).toBeUndefined();
    const d = (answer.json.data ?? {}) as {
      concerns: { totalCount: number };
      services: { totalCount: number };
      initiatives: unknown[];
    };
    expect(d.concerns.totalCount).toBeGreaterThan(100);
    expect(d.services.totalCount).toBeGreaterThan(10);
    expect(d.initiatives.length).toBeGreaterThan(10);
  });
});

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface InputValue {
  name: string;
  type: TypeRef;
}
interface FullType {
  name: string;
  kind: string;
  inputFields: InputValue[] | null;
  enumValues: { name: string }[] | null;
  fields: { name: string; args: InputValue[]; type: TypeRef }[] | null;
}

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }';

const named = (t: TypeRef): TypeRef => (t.ofType ? named(t.ofType) : t);
const isList = (t: TypeRef): boolean => t.kind === 'LIST' || (t.kind === 'NON_NULL' && t.ofType?.kind === 'LIST');
const required = (t: TypeRef) => t.kind === 'NON_NULL';

describe('oversized and malformed input to every mutation (as ADMIN, who may call them all): a coded 4xx, nothing written', () => {
  let types: Map<string, FullType>;
  let mutations: NonNullable<FullType['fields']>;

  beforeAll(async () => {
    const answer = await gql(
      stack,
      `{ __schema { types { name kind inputFields { name type { ${TYPE_REF} } } enumValues { name }
         fields { name args { name type { ${TYPE_REF} } } type { ${TYPE_REF} } } } } }`,
      {},
      p.admin,
    );
    const all = ((answer.json.data ?? {}).__schema as { types: FullType[] }).types;
    types = new Map(all.map((t) => [t.name, t]));
    mutations = types.get('Mutation')?.fields ?? [];
  });

  /** A plausible value of a type, with real ids where the name says which record it is. */
  function plausible(mutation: string, name: string, ref: TypeRef, depth = 0): unknown {
    const t = named(ref);
    const one = (): unknown => {
      if (t.kind === 'ENUM') return types.get(t.name as string)?.enumValues?.[0]?.name;
      if (t.kind === 'INPUT_OBJECT') {
        const fields = types.get(t.name as string)?.inputFields ?? [];
        const out: Record<string, unknown> = {};
        for (const f of fields)
          if (required(f.type) || depth === 0) out[f.name] = plausible(mutation, f.name, f.type, depth + 1);
        return out;
      }
      switch (t.name) {
        case 'Int':
          return 1;
        case 'Float':
          return 1.5;
        case 'Boolean':
          return true;
        case 'DateTime':
          return '2026-01-15T12:00:00.000Z';
        case 'GeoJSON':
        case 'JSON':
          return null;
        case 'ID':
          return idFor(mutation, name);
        default:
          return name === 'code'
            ? ids.code
            : name.toLowerCase().includes('url')
              ? 'https://example.org/x'
              : `sec ${name}`;
      }
    };
    if (isList(ref)) return t.kind === 'INPUT_OBJECT' && depth > 1 ? [] : [one()];
    return one();
  }

  function idFor(mutation: string, name: string): string {
    if (/neighborhood/i.test(name)) return ids.neighborhood as string;
    if (/concern/i.test(name) && /citywide/i.test(name)) return p.citywideConcernId;
    if (/concern/i.test(name)) return p.publicConcernId;
    if (/initiative/i.test(name)) return ids.initiative as string;
    if (/measure/i.test(name)) return ids.measure as string;
    if (/service/i.test(name)) return p.serviceId;
    if (/organization|department/i.test(name)) return p.partnerOrganization;
    if (/alignment/i.test(name)) return ids.alignment as string;
    if (name === 'id') {
      if (/Conversation/.test(mutation)) return p.draftConversationId;
      if (/Measure/.test(mutation)) return ids.measure as string;
      if (/Observation/.test(mutation)) return ids.observation as string;
      if (/Organization/.test(mutation)) return p.partnerOrganization;
      if (/Service/.test(mutation)) return p.serviceId;
    }
    return 'sec-id';
  }

  /** Every leaf path of the plausible variables with its type. */
  function leaves(
    value: unknown,
    ref: TypeRef,
    path: (string | number)[],
  ): { path: (string | number)[]; type: TypeRef }[] {
    const t = named(ref);
    if (t.kind !== 'INPUT_OBJECT') return [{ path, type: ref }];
    const fields = types.get(t.name as string)?.inputFields ?? [];
    const out: { path: (string | number)[]; type: TypeRef }[] = [];
    const object = (isList(ref) ? (value as unknown[])[0] : value) as Record<string, unknown> | undefined;
    if (!object) return out;
    const prefix = isList(ref) ? [...path, 0] : path;
    for (const f of fields) out.push(...leaves(object[f.name], f.type, [...prefix, f.name]));
    return out;
  }

  function withValue(variables: Record<string, unknown>, path: (string | number)[], value: unknown) {
    const copy = structuredClone(variables);
    let node = copy as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) {
      node[key] ??= typeof key === 'number' ? [] : {};
      node = node[key] as Record<string | number, unknown>;
    }
    node[path.at(-1) as string | number] = value;
    return copy;
  }

  /** Values that must be refused, by leaf type. */
  function attacks(type: TypeRef): [string, unknown][] {
    const t = named(type);
    const list = isList(type);
    const out: [string, unknown][] = [];
    if (t.kind === 'ENUM') out.push(['unknown enum', list ? ['NOT_A_VALUE'] : 'NOT_A_VALUE']);
    else if (t.name === 'Int')
      out.push(['-1', list ? [-1] : -1], ['2^31', list ? [2 ** 31] : 2 ** 31], ['a string', 'twelve']);
    else if (t.name === 'Float') out.push(['1e308 as text', 'huge'], ['an object', { $gt: 0 }]);
    else if (t.name === 'Boolean') out.push(['a string', 'yes']);
    else if (t.name === 'DateTime') out.push(['not a date', 'yesterday'], ['year 275760+', '+999999-01-01T00:00:00Z']);
    else if (t.name === 'String' || t.name === 'ID') {
      const big = 'x'.repeat(300_000);
      out.push(['300k characters', list ? [big] : big], ['an object', { $ne: null }]);
      if (list) out.push(['10k elements', Array.from({ length: 10_000 }, (_, i) => `x${i}`)]);
    }
    return out;
  }

  test('every mutation, every argument and input field', async () => {
    expect(mutations.length).toBeGreaterThanOrEqual(20);
    const before = await snapshot();
    const accepted: string[] = [];
    const unsafe: string[] = [];
    let attempts = 0;
    // expectSafe's findings are collected, so one run lists every mutation that needs fixing.
    const send = async (query: string, variables: Record<string, unknown>): Promise<Answer> => {
      try {
        return await gql(stack, query, variables, p.admin);
      } catch (error) {
        const message = String(error).slice(0, 300);
        return {
          status: 599,
          text: message,
          json: { errors: [{ message, extensions: { code: 'UNSAFE' } }] },
          headers: new Headers(),
        };
      }
    };
    for (const mutation of mutations) {
      const variables: Record<string, unknown> = {};
      for (const arg of mutation.args) variables[arg.name] = plausible(mutation.name, arg.name, arg.type);
      const declare = (t: TypeRef): string =>
        t.kind === 'NON_NULL'
          ? `${declare(t.ofType as TypeRef)}!`
          : t.kind === 'LIST'
            ? `[${declare(t.ofType as TypeRef)}]`
            : (t.name as string);
      const result = named(mutation.type);
      const selection = result.kind === 'OBJECT' ? '{ __typename }' : '';
      const query = `mutation Fuzz(${mutation.args.map((a) => `$${a.name}: ${declare(a.type)}`).join(', ')}) {
        ${mutation.name}(${mutation.args.map((a) => `${a.name}: $${a.name}`).join(', ')}) ${selection} }`;
      const targets = mutation.args.flatMap((arg) => leaves(variables[arg.name], arg.type, [arg.name]));
      for (const target of targets) {
        for (const [label, value] of attacks(target.type)) {
          attempts++;
          const answer = await send(query, withValue(variables, target.path, value));
          const where = `${mutation.name} ${target.path.join('.')} = ${label}`;
          const code = codeOf(answer);
          if (answer.status >= 500 || (answer.json.errors?.length && !CLIENT_CODES.has(code as string))) {
            unsafe.push(`${where}: ${answer.status} ${code} ${answer.json.errors?.[0]?.message.slice(0, 200)}`);
          } else if (!answer.json.errors?.length) {
            accepted.push(where);
          }
        }
      }
    }
    expect({ unsafe, accepted }, `unsafe:\n${unsafe.join('\n')}\naccepted:\n${accepted.join('\n')}`).toEqual({
      unsafe: [],
      accepted: [],
    });
    expect(attempts).toBeGreaterThan(100);
    expect(await snapshot()).toEqual(before);
  }, 900_000);
});
