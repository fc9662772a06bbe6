import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryRetryOptions, earliestRetryAt, postWebhook, webhookSettings } from '../src/delivery.ts';
import { endpointUrlProblems, isInternalAddress } from '../src/endpoint-url.ts';
import { generateMessageId, generateSecret, sign, signedHeaders, verify } from '../src/signature.ts';

describe('Standard Webhooks signatures', () => {
  it('the spec example signs to the spec value', () => {
    // The example of the Standard Webhooks specification (secret, id, timestamp, body and signature).
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
    const body = '{"test": 2432232314}';
    expect(sign(secret, id, 1614265330, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('a message signed here verifies with the standardwebhooks library, and a changed body does not', () => {
    const secret = generateSecret();
    const id = generateMessageId();
    const body = JSON.stringify({ type: 'concern.status_changed', timestamp: new Date().toISOString(), data: {} });
    const headers = signedHeaders(secret, id, body);
    const receiver = new Webhook(secret);
    expect(receiver.verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => receiver.verify(`${body} `, headers)).toThrow();
    expect(verify(secret, (n) => headers[n], body)).toEqual({ ok: true });
    expect(verify(secret, (n) => headers[n], `${body} `).ok).toBe(false);
    expect(verify(generateSecret(), (n) => headers[n], body).ok).toBe(false);
  });

  it('during a rotation each secret has its own signature, and either verifies', () => {
    const [current, previous] = [generateSecret(), generateSecret()];
    const headers = signedHeaders([current, previous], 'msg_r', '{}');
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    for (const secret of [current, previous]) {
      expect(new Webhook(secret).verify('{}', headers)).toEqual({});
      expect(verify(secret, (n) => headers[n], '{}')).toEqual({ ok: true });
    }
    expect(verify(generateSecret(), (n) => headers[n], '{}').ok).toBe(false);
  });

  it('an old timestamp is refused', () => {
    const secret = generateSecret();
    const headers = signedHeaders(secret, 'msg_1', '{}', Date.now() - 10 * 60_000);
    expect(verify(secret, (n) => headers[n], '{}')).toEqual({ ok: false, reason: 'timestamp outside the tolerance' });
  });
});

describe('endpoint URLs', () => {
  it('accepts public http(s) URLs and refuses other schemes, credentials and internal hosts', () => {
    expect(endpointUrlProblems('https://partner.example.org/hooks', false)).toEqual([]);
    expect(endpointUrlProblems('ftp://partner.example.org/', false)).toContain('Must use http or https');
    expect(endpointUrlProblems('https://u:p@partner.example.org/', false)).toContain(
      'Must not contain a user name or password',
    );
    for (const url of [
      'http://127.0.0.1:8080/',
      'http://localhost/',
      'http://10.1.2.3/',
      'http://192.168.0.10/',
      'http://169.254.169.254/latest',
      'http://[::1]/',
      'http://[fd00::1]/',
      'http://[::ffff:127.0.0.1]/',
    ]) {
      expect(endpointUrlProblems(url, false), url).toContain('Must not point to a loopback or private network address');
      expect(endpointUrlProblems(url, true), url).toEqual([]);
    }
    expect(endpointUrlProblems('not a url', true)).toEqual(['Must be an absolute http or https URL']);
    expect(isInternalAddress('8.8.8.8')).toBe(false);
  });
});

describe('delivery', () => {
  let server: ReturnType<typeof createServer>;
  let url: string;
  const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  const answers: number[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(answers.shift() ?? 200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('POSTs a signed body; a 2xx is a success, a 500 a failure, an internal address refused unless allowed', async () => {
    const secret = generateSecret();
    const body = '{"type":"alignment.created","timestamp":"2026-12-03T00:00:00.000Z","data":{"alignmentId":"a1"}}';
    const ok = await postWebhook({ url, secret, messageId: 'msg_a', body, timeoutMs: 5000, allowPrivate: true });
    expect(ok).toMatchObject({ ok: true, statusCode: 200, error: null });
    const first = received.at(-1);
    expect(first?.body).toBe(body);
    expect(new Webhook(secret).verify(body, first?.headers as Record<string, string>)).toEqual(JSON.parse(body));

    answers.push(500);
    const failed = await postWebhook({ url, secret, messageId: 'msg_a', body, timeoutMs: 5000, allowPrivate: true });
    expect(failed).toMatchObject({ ok: false, statusCode: 500, error: 'HTTP 500' });

    const count = received.length;
    const refused = await postWebhook({
      url: url.replace('127.0.0.1', 'localhost'),
      secret,
      messageId: 'msg_a',
      body,
      timeoutMs: 5000,
      allowPrivate: false,
    });
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/private network address/);
    expect(received.length).toBe(count);
  });

  it('settings come from the environment; retries double', () => {
    const settings = webhookSettings({ WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_RETRY_DELAY_SECONDS: '1' });
    expect(deliveryRetryOptions(settings)).toMatchObject({ retryLimit: 2, retryDelay: 1, retryBackoff: true });
    const from = new Date('2026-12-03T00:00:00Z');
    expect(earliestRetryAt(settings, 1, from).toISOString()).toBe('2026-12-03T00:00:01.000Z');
    expect(earliestRetryAt(settings, 2, from).toISOString()).toBe('2026-12-03T00:00:02.000Z');
    expect(() => webhookSettings({ WEBHOOK_MAX_ATTEMPTS: '0' })).toThrow(/WEBHOOK_MAX_ATTEMPTS/);
  });
});
