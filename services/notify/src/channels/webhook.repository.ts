import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { DataSource, EntityManager } from 'typeorm';
import { changedRows, selectOne } from '@aftersales/persistence';

export interface WebhookRecord {
  customerId: string;
  region: string;
  url: string;
  secret: string;
  updatedAt: Date;
}

/** Customers' webhook subscriptions (one endpoint per customer). */
@Injectable()
export class WebhookRepository {
  private readonly t: string;

  constructor(
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    private readonly db: DataSource,
  ) {
    this.t = `"${config.database.schema}".webhooks`;
  }

  async put(w: WebhookRecord): Promise<WebhookRecord> {
    await this.db.query(
      `INSERT INTO ${this.t} (customer_id, region, url, secret, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (customer_id) DO UPDATE SET region = $2, url = $3, secret = $4, updated_at = $5`,
      [w.customerId, w.region, w.url, w.secret, w.updatedAt],
    );
    return w;
  }

  async get(customerId: string, m: EntityManager | DataSource = this.db): Promise<WebhookRecord | undefined> {
    return selectOne<WebhookRecord>(
      m,
      `SELECT customer_id AS "customerId", region, url, secret, updated_at AS "updatedAt" FROM ${this.t} WHERE customer_id = $1`,
      [customerId],
    );
  }

  async delete(customerId: string, region: string | undefined): Promise<boolean> {
    const rows = await changedRows(
      this.db,
      `DELETE FROM ${this.t} WHERE customer_id = $1 AND ($2::text IS NULL OR region = $2) RETURNING customer_id`,
      [customerId, region ?? null],
    );
    return rows.length === 1;
  }
}
