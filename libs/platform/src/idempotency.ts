import { ConflictException, UnprocessableEntityException } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { selectRows, selectSingle } from '@aftersales/persistence';

export interface StoredResponse<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/**
 * Honours an `Idempotency-Key` on a create: the first request's response is stored in the same
 * transaction as its effect, a retry with the same key and body gets that response back, and a
 * reuse with another body is refused (422) rather than silently answered.
 */
export async function withIdempotency<T>(
  manager: EntityManager,
  schema: string,
  scope: string,
  key: string | undefined,
  requestBody: unknown,
  create: () => Promise<{ status: number; body: T }>,
): Promise<StoredResponse<T>> {
  if (key === undefined) return { ...(await create()), replayed: false };
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw new UnprocessableEntityException({
      statusCode: 422,
      message: 'invalid Idempotency-Key',
      errors: [{ field: 'Idempotency-Key', reason: 'must be 1-200 visible ASCII characters' }],
    });
  }
  const hash = createHash('sha256')
    .update(JSON.stringify(requestBody ?? null))
    .digest('hex');
  // the row lock makes a concurrent retry wait for the first attempt's outcome
  const inserted = await selectRows<{ key: string }>(
    manager,
    `INSERT INTO "${schema}".idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key`,
    [scope, key, hash],
  );
  if (inserted.length === 0) {
    // ON CONFLICT saw the row; retention deletes only keys long past any retry
    const prior = await selectSingle<{ request_hash: string; response_status: number | null; response_body: unknown }>(
      manager,
      `SELECT request_hash, response_status, response_body FROM "${schema}".idempotency_keys WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    if (prior.request_hash !== hash) {
      throw new UnprocessableEntityException({
        statusCode: 422,
        message: 'Idempotency-Key was already used with a different request body',
        errors: [{ field: 'Idempotency-Key', reason: 'reused with a different body' }],
      });
    }
    if (prior.response_status === null) throw new ConflictException('the first request with this Idempotency-Key is still in progress');
    return { status: prior.response_status, body: prior.response_body as T, replayed: true };
  }
  const result = await create();
  await manager.query(`UPDATE "${schema}".idempotency_keys SET response_status = $3, response_body = $4 WHERE scope = $1 AND key = $2`, [
    scope,
    key,
    result.status,
    JSON.stringify(result.body),
  ]);
  return { ...result, replayed: false };
}

export function idempotencyTableSql(schema: string): string {
  return `CREATE TABLE "${schema}".idempotency_keys (
    scope text NOT NULL,
    key text NOT NULL,
    request_hash text NOT NULL,
    response_status integer,
    response_body jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
  )`;
}

/** Answers a stored response on `res`: its status, `Idempotent-Replayed: true` for a replay, then its body. */
export function sendStored<T>(
  res: { status(code: number): unknown; setHeader(name: string, value: string): unknown },
  r: StoredResponse<T>,
): T {
  res.status(r.status);
  if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
  return r.body;
}
