// `npm run admin -- create NAME`: creates an admin account (password from a hidden prompt
// or stdin), or makes an existing account an admin. `reset-token NAME` prints a one-time
// password-reset token for an account (for servers without SMTP and no admin yet).
import { AdminAccountError, createOrPromoteAdmin } from '../accounts/admin-accounts';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { createServices } from '../services';
import { readPassword } from './read-password';

const USAGE = `usage:
  npm run admin -- create NAME        create admin NAME (asks for the password), or promote NAME
  npm run admin -- reset-token NAME   print a 30-minute password-reset token for NAME`;

async function main(argv: string[]): Promise<number> {
  const [command, name] = argv;
  if (!command || !name || !['create', 'reset-token'].includes(command)) {
    console.error(USAGE);
    return 2;
  }
  const services = createServices(loadConfig(), createLogger({ level: 'warn' }));
  try {
    if (command === 'create') {
      const needsPassword = !services.users.byUsername(name);
      const password = needsPassword ? await readPassword(`Password for ${name}: `) : null;
      const outcome = await createOrPromoteAdmin(services, name, password, 'cli');
      console.log(
        {
          created: `Created admin account "${name}".`,
          promoted: `"${name}" already existed and is now an admin.`,
          'already-admin': `"${name}" is already an admin; nothing changed.`,
        }[outcome],
      );
      return 0;
    }
    const user = services.users.byUsername(name);
    if (!user) {
      console.error(`There is no account "${name}".`);
      return 1;
    }
    const { token, expiresAt } = services.resets.issue(user.id);
    services.securityLog.record('admin.reset_token_issued', { userId: user.id, via: 'cli' });
    console.log(
      `Reset token for "${user.username}" (valid until ${new Date(expiresAt).toISOString()}):`,
    );
    console.log(token);
    return 0;
  } catch (error) {
    if (error instanceof AdminAccountError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await services.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(`admin failed: ${error.message}`);
    process.exitCode = 1;
  },
);
