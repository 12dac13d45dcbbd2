// Storage adapters for node-oidc-provider in the benchmark.
//
// The library's own MemoryAdapter is an LRU capped at 1000 entries (its docs call it a
// development adapter): a benchmark that prepares a few hundred codes would see them
// evicted. `memoryAdapter` is an unbounded Map with expiry; `postgresAdapter` keeps
// every model in one PostgreSQL table, the way the library's example adapters do, so
// several node processes (cluster) can share state as our provider's workers do;
// `sqliteAdapter` keeps the same table in a SQLite file, set up as ours is (WAL,
// synchronous=NORMAL), through better-sqlite3: native SQLite called synchronously on
// the event loop, which is also how ours uses SQLite.

import Database from 'better-sqlite3';
import pg from 'pg';

const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

export function memoryAdapter() {
  const store = new Map(); // key -> { payload, expiresAt }
  const grants = new Map(); // grantId -> Set of keys
  const uids = new Map(); // `${model}:${uid}` -> id (sessions are found by uid)
  const now = () => Date.now();

  function live(key) {
    const entry = store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt && entry.expiresAt <= now()) {
      store.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  // Expired entries are swept once a minute so a long run does not grow without bound.
  const sweeper = setInterval(() => {
    const t = now();
    for (const [key, entry] of store) {
      if (entry.expiresAt && entry.expiresAt <= t) store.delete(key);
    }
  }, 60_000);
  sweeper.unref();

  return class MemoryAdapter {
    constructor(model) {
      this.model = model;
    }

    key(id) {
      return `${this.model}:${id}`;
    }

    async upsert(id, payload, expiresIn) {
      const key = this.key(id);
      const expiresAt = expiresIn ? now() + expiresIn * 1000 : undefined;
      store.set(key, { payload, expiresAt });
      if (GRANTABLE.has(this.model) && payload.grantId) {
        let keys = grants.get(payload.grantId);
        if (!keys) {
          keys = new Set();
          grants.set(payload.grantId, keys);
        }
        keys.add(key);
      }
      if (payload.uid) uids.set(`${this.model}:${payload.uid}`, id);
    }

    async find(id) {
      return live(this.key(id));
    }

    async findByUid(uid) {
      const id = uids.get(`${this.model}:${uid}`);
      return id === undefined ? undefined : this.find(id);
    }

    async findByUserCode() {
      return undefined;
    }

    async consume(id) {
      const payload = live(this.key(id));
      if (payload) payload.consumed = Math.floor(now() / 1000);
    }

    async destroy(id) {
      const key = this.key(id);
      const payload = live(key);
      store.delete(key);
      if (payload?.uid) uids.delete(`${this.model}:${payload.uid}`);
    }

    async revokeByGrantId(grantId) {
      for (const key of grants.get(grantId) ?? []) store.delete(key);
      grants.delete(grantId);
    }
  };
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS oidc_payloads (
  id text NOT NULL,
  type text NOT NULL,
  payload jsonb NOT NULL,
  grant_id text,
  uid text,
  expires_at timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (id, type)
);
CREATE INDEX IF NOT EXISTS oidc_payloads_grant_id ON oidc_payloads (grant_id);
CREATE INDEX IF NOT EXISTS oidc_payloads_uid ON oidc_payloads (uid);
`;

export async function createSchema(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(SCHEMA);
  } finally {
    await client.end();
  }
}

export function postgresAdapter(databaseUrl, poolSize = 10) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });

  function row(result) {
    const found = result.rows[0];
    if (!found) return undefined;
    return {
      ...found.payload,
      ...(found.consumed_at ? { consumed: Math.floor(found.consumed_at.getTime() / 1000) } : {}),
    };
  }

  const ALIVE = '(expires_at IS NULL OR expires_at > now())';

  return class PostgresAdapter {
    constructor(model) {
      this.model = model;
    }

    async upsert(id, payload, expiresIn) {
      await pool.query(
        `INSERT INTO oidc_payloads (id, type, payload, grant_id, uid, expires_at)
         VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::int IS NULL THEN NULL
                                     ELSE now() + make_interval(secs => $6::int) END)
         ON CONFLICT (id, type) DO UPDATE SET payload = EXCLUDED.payload,
           grant_id = EXCLUDED.grant_id, uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at`,
        [id, this.model, payload, payload.grantId ?? null, payload.uid ?? null, expiresIn ?? null],
      );
    }

    async find(id) {
      return row(await pool.query(
        `SELECT payload, consumed_at FROM oidc_payloads WHERE id = $1 AND type = $2 AND ${ALIVE}`,
        [id, this.model],
      ));
    }

    async findByUid(uid) {
      return row(await pool.query(
        `SELECT payload, consumed_at FROM oidc_payloads WHERE uid = $1 AND type = $2 AND ${ALIVE}`,
        [uid, this.model],
      ));
    }

    async findByUserCode() {
      return undefined;
    }

    async consume(id) {
      await pool.query(
        'UPDATE oidc_payloads SET consumed_at = now() WHERE id = $1 AND type = $2',
        [id, this.model],
      );
    }

    async destroy(id) {
      await pool.query('DELETE FROM oidc_payloads WHERE id = $1 AND type = $2', [id, this.model]);
    }

    async revokeByGrantId(grantId) {
      await pool.query('DELETE FROM oidc_payloads WHERE grant_id = $1', [grantId]);
    }
  };
}

const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS oidc_payloads (
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  payload TEXT NOT NULL,
  grant_id TEXT,
  uid TEXT,
  expires_at REAL,
  consumed_at REAL,
  PRIMARY KEY (id, type)
);
CREATE INDEX IF NOT EXISTS oidc_payloads_grant_id ON oidc_payloads (grant_id);
CREATE INDEX IF NOT EXISTS oidc_payloads_uid ON oidc_payloads (uid);
`;

export function sqliteAdapter(path) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SQLITE_SCHEMA);
  const seconds = () => Date.now() / 1000;
  const ALIVE = '(expires_at IS NULL OR expires_at > ?)';
  const statements = {
    upsert: db.prepare(
      `INSERT INTO oidc_payloads (id, type, payload, grant_id, uid, expires_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id, type) DO UPDATE SET payload = excluded.payload,
         grant_id = excluded.grant_id, uid = excluded.uid, expires_at = excluded.expires_at`,
    ),
    find: db.prepare(
      `SELECT payload, consumed_at FROM oidc_payloads WHERE id = ? AND type = ? AND ${ALIVE}`,
    ),
    findByUid: db.prepare(
      `SELECT payload, consumed_at FROM oidc_payloads WHERE uid = ? AND type = ? AND ${ALIVE}`,
    ),
    consume: db.prepare('UPDATE oidc_payloads SET consumed_at = ? WHERE id = ? AND type = ?'),
    destroy: db.prepare('DELETE FROM oidc_payloads WHERE id = ? AND type = ?'),
    revoke: db.prepare('DELETE FROM oidc_payloads WHERE grant_id = ?'),
    sweep: db.prepare('DELETE FROM oidc_payloads WHERE expires_at <= ?'),
  };

  // Expired rows are deleted once a minute, as ours purges its tables.
  const sweeper = setInterval(() => statements.sweep.run(seconds()), 60_000);
  sweeper.unref();

  function row(found) {
    if (!found) return undefined;
    const payload = JSON.parse(found.payload);
    if (found.consumed_at) payload.consumed = Math.floor(found.consumed_at);
    return payload;
  }

  return class SqliteAdapter {
    constructor(model) {
      this.model = model;
    }

    async upsert(id, payload, expiresIn) {
      const expiresAt = expiresIn ? seconds() + expiresIn : null;
      statements.upsert.run(
        id, this.model, JSON.stringify(payload), payload.grantId ?? null, payload.uid ?? null, expiresAt,
      );
    }

    async find(id) {
      return row(statements.find.get(id, this.model, seconds()));
    }

    async findByUid(uid) {
      return row(statements.findByUid.get(uid, this.model, seconds()));
    }

    async findByUserCode() {
      return undefined;
    }

    async consume(id) {
      statements.consume.run(seconds(), id, this.model);
    }

    async destroy(id) {
      statements.destroy.run(id, this.model);
    }

    async revokeByGrantId(grantId) {
      statements.revoke.run(grantId);
    }
  };
}
