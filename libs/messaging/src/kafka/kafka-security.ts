import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { SASLOptions } from 'kafkajs';

/** TLS to the brokers; PEM files, as a Kubernetes Secret mounts them (Strimzi: ca.crt, user.crt, user.key). */
export interface KafkaTls {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  keyPassword?: string;
  rejectUnauthorized: boolean;
  servername?: string;
}

export interface KafkaSasl {
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username: string;
  password?: string;
  /** a mounted Secret holding only the password (Strimzi's SCRAM KafkaUser secret: key `password`) */
  passwordFile?: string;
}

/** A file named by a variable could not be read: the message names the variable. */
export class KafkaSecurityError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${reason}`);
    this.name = 'KafkaSecurityError';
  }
}

/**
 * The `ssl` and `sasl` options kafkajs gets: TLS with the cluster CA (else the system's CAs),
 * a client certificate for mTLS, SASL PLAIN or SCRAM. Files are read here, once, when the client
 * is built; a missing or unreadable one fails the start naming its variable.
 */
export function kafkaSecurity(
  o: { tls?: KafkaTls; sasl?: KafkaSasl },
  read: (file: string) => Buffer = (f) => readFileSync(f),
): { ssl?: ConnectionOptions; sasl?: SASLOptions } {
  const file = (variable: string, path: string) => {
    try {
      return read(path);
    } catch (e) {
      throw new KafkaSecurityError(variable, `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  };
  const out: { ssl?: ConnectionOptions; sasl?: SASLOptions } = {};
  if (o.tls) {
    const t = o.tls;
    out.ssl = {
      rejectUnauthorized: t.rejectUnauthorized,
      ...(t.caFile ? { ca: [file('KAFKA_TLS_CA_FILE', t.caFile)] } : {}),
      ...(t.certFile ? { cert: file('KAFKA_TLS_CERT_FILE', t.certFile) } : {}),
      ...(t.keyFile ? { key: file('KAFKA_TLS_KEY_FILE', t.keyFile) } : {}),
      ...(t.keyPassword ? { passphrase: t.keyPassword } : {}),
      ...(t.servername ? { servername: t.servername } : {}),
    };
  }
  if (o.sasl) {
    const s = o.sasl;
    // a Secret mounted as a file usually ends in a newline that is not part of the password
    const password = s.passwordFile
      ? file('KAFKA_SASL_PASSWORD_FILE', s.passwordFile)
          .toString('utf8')
          .replace(/\r?\n$/, '')
      : s.password;
    if (!password) throw new KafkaSecurityError('KAFKA_SASL_PASSWORD', 'empty');
    out.sasl = { mechanism: s.mechanism, username: s.username, password };
  }
  return out;
}
