/**
 * Throwaway PostgreSQL databases for the store tests: one per test run (and one per "fresh database" test),
 * uniquely named so parallel runs never collide, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Where the tests look for PostgreSQL; a database the user may `CREATE DATABASE` from. */
export const POSTGRES_ADMIN_URL = process.env.GATEHOUSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type PostgresProbe = { reachable: true } | { reachable: false; reason: string };

export async function probePostgres(url: string): Promise<PostgresProbe> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return { reachable: true };
  } catch (error) {
    return { reachable: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface ThrowawayDatabases {
  /** Creates a new empty database and returns its URL. */
  create(): Promise<string>;
  /** Drops every database created here. */
  dropAll(): Promise<void>;
}

export function throwawayDatabases(adminUrl: string): ThrowawayDatabases {
  const names: string[] = [];
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    async create() {
      const name = `gatehouse_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      await admin((client) => client.query(`create database ${name}`));
      names.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async dropAll() {
      const dropping = names.splice(0);
      await admin(async (client) => {
        for (const name of dropping) await client.query(`drop database if exists ${name} with (force)`);
      });
    },
  };
}
