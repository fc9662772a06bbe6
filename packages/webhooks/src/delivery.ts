import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { RetryOptions } from '@civic/jobs/queue';
import { guardedLookup } from './endpoint-url.ts';
import { signedHeaders } from './signature.ts';

/** Event types, as GraphQL names them and as the payload's `type` carries them. */
export const WEBHOOK_EVENT_TYPES = {
  CONCERN_STATUS_CHANGED: 'concern.status_changed',
  ALIGNMENT_CREATED: 'alignment.created',
  ALIGNMENT_REMOVED: 'alignment.removed',
  INITIATIVE_STATUS_CHANGED: 'initiative.status_changed',
  MEASURE_OBSERVATION_ADDED: 'measure.observation_added',
  SERVICE_CHANGED: 'service.changed',
} as const;
export type WebhookEventType = keyof typeof WEBHOOK_EVENT_TYPES;

/** The body of every delivery: `{ "type", "timestamp", "data" }` (ids and public fields only). */
export function payloadOf(type: WebhookEventType, occurredAt: Date, data: Record<string, unknown>): string {
  return JSON.stringify({ type: WEBHOOK_EVENT_TYPES[type], timestamp: occurredAt.toISOString(), data });
}

export interface WebhookSettings {
  /** Attempts per delivery, the first included (WEBHOOK_MAX_ATTEMPTS, default 8). */
  maxAttempts: number;
  /** Seconds before the first retry; each later one waits twice as long, plus up to as much again (WEBHOOK_RETRY_DELAY_SECONDS, default 30). */
  retryDelaySeconds: number;
  /** How long one POST may take (WEBHOOK_TIMEOUT_MS, default 10 000). */
  timeoutMs: number;
  /** Exhausted deliveries in a row that disable an endpoint (WEBHOOK_DISABLE_AFTER_FAILURES, default 5). */
  disableAfterFailures: number;
  /** Hours of failing without a success that disable an endpoint (WEBHOOK_DISABLE_AFTER_HOURS, default 24). */
  disableAfterHours: number;
}

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number`);
  return n;
}

export function webhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  return {
    maxAttempts: Math.round(positive(env.WEBHOOK_MAX_ATTEMPTS, 8, 'WEBHOOK_MAX_ATTEMPTS')),
    retryDelaySeconds: Math.round(positive(env.WEBHOOK_RETRY_DELAY_SECONDS, 30, 'WEBHOOK_RETRY_DELAY_SECONDS')),
    timeoutMs: positive(env.WEBHOOK_TIMEOUT_MS, 10_000, 'WEBHOOK_TIMEOUT_MS'),
    disableAfterFailures: Math.round(positive(env.WEBHOOK_DISABLE_AFTER_FAILURES, 5, 'WEBHOOK_DISABLE_AFTER_FAILURES')),
    disableAfterHours: positive(env.WEBHOOK_DISABLE_AFTER_HOURS, 24, 'WEBHOOK_DISABLE_AFTER_HOURS'),
  };
}

/** The delivery queue's retry options: pg-boss retries a failed attempt with a doubling delay. */
export function deliveryRetryOptions(settings: WebhookSettings): Required<RetryOptions> {
  return {
    retryLimit: settings.maxAttempts - 1,
    retryDelay: settings.retryDelaySeconds,
    retryBackoff: true,
    // An attempt is one POST bounded by the timeout; a process that died mid-attempt is retried after this.
    expireInSeconds: Math.max(30, Math.ceil((settings.timeoutMs * 3) / 1000)),
  };
}

/**
 * The earliest time of the next attempt after `attemptsMade` failed ones: pg-boss waits
 * delay × 2^(n−1), plus a random share of as much again.
 */
export function earliestRetryAt(settings: WebhookSettings, attemptsMade: number, from: Date = new Date()): Date {
  const seconds = settings.retryDelaySeconds * 2 ** Math.min(16, attemptsMade - 1);
  return new Date(from.getTime() + seconds * 1000);
}

export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * One signed POST. Success is a 2xx answer; redirects are not followed (a 3xx is a failure), and the
 * response body is read and discarded, never stored.
 */
export function postWebhook(options: {
  url: string;
  /** The endpoint's secret, or its current and previous secrets during a rotation. */
  secret: string | readonly string[];
  messageId: string;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
  userAgent?: string;
}): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(options.url);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers = {
    ...signedHeaders(options.secret, options.messageId, options.body),
    'content-length': String(Buffer.byteLength(options.body)),
    'user-agent': options.userAgent ?? 'CivicGraph-Webhooks/1',
  };
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<AttemptOutcome, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...outcome, durationMs: elapsed() });
    };
    const req = request(
      url,
      { method: 'POST', headers, lookup: guardedLookup(options.allowPrivate), timeout: options.timeoutMs },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          finish({ ok, statusCode: status, error: ok ? null : `HTTP ${status}` });
        });
        res.on('error', (error) => finish({ ok: false, statusCode: res.statusCode ?? null, error: error.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', (error) => finish({ ok: false, statusCode: null, error: error.message.slice(0, 300) }));
    req.end(options.body);
  });
}
