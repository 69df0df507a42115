// Builds every server-side part from the config, once, in one place: the database,
// repositories, the Argon2 pool, the security log, tickets and limits. The HTTP routes,
// the relay and the CLIs all use this, so each part is constructed the same way.
import type { Config } from './config';
import type { Db } from './db/database';
import { openDatabase } from './db/database';
import { Argon2Pool } from './accounts/argon2-pool';
import type { Argon2Params } from './accounts/argon2-pool';
import { DeviceKeys } from './accounts/device-keys';
import { IpBans } from './accounts/ip-bans';
import { Mailer } from './accounts/mailer';
import { PasswordResets } from './accounts/password-resets';
import { PasswordHasher, PRODUCTION_ARGON2 } from './accounts/passwords';
import { Sessions } from './accounts/sessions';
import { Users } from './accounts/users';
import type { Logger } from './logger';
import { Admission } from './rooms/admission';
import { Rooms } from './rooms/rooms';
import { Tickets } from './rooms/tickets';
import { SecurityLog } from './security-log/security-log';

export interface ServicesOptions {
  /**
   * TEST ONLY: weaker Argon2 parameters so suites stay fast. Never read from the
   * environment; only `startTestServer` passes it.
   */
  argon2?: Argon2Params;
  argon2PoolSize?: number;
}

export interface Services {
  config: Config;
  logger: Logger;
  db: Db;
  users: Users;
  sessions: Sessions;
  resets: PasswordResets;
  deviceKeys: DeviceKeys;
  ipBans: IpBans;
  rooms: Rooms;
  admission: Admission;
  tickets: Tickets;
  pool: Argon2Pool;
  hasher: PasswordHasher;
  securityLog: SecurityLog;
  mailer: Mailer | null;
  close(): Promise<void>;
}

export function createServices(
  config: Config,
  logger: Logger,
  options: ServicesOptions = {},
): Services {
  const db = openDatabase(config.dataDir);
  const users = new Users(db);
  const rooms = new Rooms(db);
  const ipBans = new IpBans(db);
  const pool = new Argon2Pool(options.argon2PoolSize);
  const mailer = config.smtpUrl
    ? new Mailer(config.smtpUrl, config.mailFrom, config.publicUrl)
    : null;
  return {
    config,
    logger,
    db,
    users,
    sessions: new Sessions(db, users, config.sessionTtlMs),
    resets: new PasswordResets(db, config.resetTokenTtlMs),
    deviceKeys: new DeviceKeys(db),
    ipBans,
    rooms,
    admission: new Admission(rooms, users, ipBans),
    tickets: new Tickets(config.sessionSecret, config.ticketTtlMs),
    pool,
    hasher: new PasswordHasher(pool, options.argon2 ?? PRODUCTION_ARGON2),
    securityLog: new SecurityLog(db, config.dataDir),
    mailer,
    async close() {
      mailer?.close();
      await pool.close();
      db.close();
    },
  };
}
