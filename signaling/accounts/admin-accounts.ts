// Making admins: `npm run admin -- create NAME` and ADMIN_USERNAME/ADMIN_PASSWORD at the
// first start share this, so both validate and log the same way.
import { ConfigError } from '../config';
import { Password, Username } from '../protocol';
import type { Services } from '../services';

export class AdminAccountError extends Error {
  override name = 'AdminAccountError';
}

export type AdminOutcome = 'created' | 'promoted' | 'already-admin';

export async function createOrPromoteAdmin(
  services: Services,
  username: string,
  password: string | null,
  via: string,
): Promise<AdminOutcome> {
  const name = Username.safeParse(username);
  if (!name.success) throw new AdminAccountError(`username: ${name.error.issues[0]?.message}`);
  const existing = services.users.byUsername(name.data);
  if (existing) {
    if (existing.role === 'admin') return 'already-admin';
    services.users.setRole(existing.id, 'admin');
    services.securityLog.record('admin.created', {
      userId: existing.id,
      username: existing.username,
      via,
      promoted: true,
    });
    return 'promoted';
  }
  const checked = Password.safeParse(password ?? '');
  if (!checked.success)
    throw new AdminAccountError(`password: ${checked.error.issues[0]?.message}`);
  const user = services.users.create({
    username: name.data,
    passwordHash: await services.hasher.hash(checked.data),
    role: 'admin',
  });
  services.securityLog.record('admin.created', {
    userId: user.id,
    username: user.username,
    via,
    promoted: false,
  });
  return 'created';
}

/** ADMIN_USERNAME/ADMIN_PASSWORD: creates that admin once; later starts leave it alone. */
export async function bootstrapAdminFromConfig(services: Services): Promise<void> {
  const { adminUsername, adminPassword } = services.config;
  if (!adminUsername && !adminPassword) return;
  if (!adminUsername || !adminPassword) {
    throw new ConfigError('set both ADMIN_USERNAME and ADMIN_PASSWORD, or neither');
  }
  if (services.users.byUsername(adminUsername)) return;
  try {
    await createOrPromoteAdmin(services, adminUsername, adminPassword, 'environment');
  } catch (error) {
    if (error instanceof AdminAccountError) throw new ConfigError(`ADMIN_${error.message}`);
    throw error;
  }
  services.logger.info(
    { username: adminUsername },
    'created the admin account from ADMIN_USERNAME',
  );
}
