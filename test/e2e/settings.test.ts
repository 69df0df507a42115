// Settings beyond the toggles (home.test.ts has those and the lock): deleting a
// conversation, changing and removing the passphrase, deleting local data, and the account
// (password change, deletion). Real Chromium against the real server.
import { describe, expect, test } from 'vitest';
import { passwordOf } from '../helpers/app-browser';
import { createRoom, roomsList, useHomeScreen } from '../helpers/home-screen';

const run = useHomeScreen();

describe('conversations', () => {
  test('deleting a conversation asks first, then removes it from "Rooms"', async () => {
    const { page } = await run.signedUp('gus');
    await createRoom(page, 'Old plans');
    await createRoom(page, 'New plans');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Delete conversation Old plans' }).click();
    await page.getByRole('alertdialog', { name: 'Confirm deletion' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Delete conversation Old plans' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted “Old plans”' }).waitFor();

    await page.getByRole('link', { name: 'Home' }).click();
    await roomsList(page)
      .getByRole('link', { name: /New plans/ })
      .waitFor();
    await expect(
      roomsList(page)
        .getByRole('link', { name: /Old plans/ })
        .count(),
    ).resolves.toBe(0);
  });
});

describe('the passphrase and local data', () => {
  test('change the passphrase, then remove it: a reload opens without the lock screen', async () => {
    const { page } = await run.signedUp('quin');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('New passphrase').fill('first passphrase');
    await page.getByLabel('Confirm passphrase').fill('first passphrase');
    await page.getByRole('button', { name: 'Set passphrase' }).click();
    await page.getByRole('button', { name: 'Lock', exact: true }).waitFor();

    await page.getByLabel('Current passphrase').fill('first passphrase');
    await page.getByLabel('New passphrase').fill('second passphrase');
    await page.getByLabel('Confirm passphrase').fill('not the same');
    await page.getByRole('button', { name: 'Change passphrase' }).click();
    await page.getByRole('alert').filter({ hasText: 'The two new passphrases differ' }).waitFor();
    await page.getByLabel('Confirm passphrase').fill('second passphrase');
    await page.getByRole('button', { name: 'Change passphrase' }).click();
    await page.getByRole('status').filter({ hasText: 'Passphrase changed.' }).waitFor();

    await page.getByLabel('Current passphrase').fill('second passphrase');
    await page.getByRole('button', { name: 'Remove passphrase' }).click();
    await page.getByRole('status').filter({ hasText: 'Lock is off.' }).waitFor();
    await expect(page.getByRole('button', { name: 'Lock', exact: true }).count()).resolves.toBe(0);
    await page.reload();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await expect(page.getByRole('button', { name: 'Unlock' }).count()).resolves.toBe(0);
  });

  test('"Delete all local data" asks first, then the device forgets every room', async () => {
    const person = await run.signedUp('rex');
    const { page } = person;
    await createRoom(page, 'Ephemeral');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Delete all local data' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('button', { name: 'Yes, delete' }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Delete all local data' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('status').filter({ hasText: 'Everything this device stored' }).waitFor();

    // The server account stays: signed in again (or still), the device has no rooms.
    const logIn = page.getByRole('button', { name: 'Log in' });
    const home = page.getByRole('link', { name: 'Home' });
    await logIn.or(home).first().waitFor();
    if (await logIn.isVisible()) {
      await page.getByLabel('Username').fill(person.name);
      await page.getByLabel('Password', { exact: true }).fill(passwordOf(person.name));
      await logIn.click();
    }
    await home.click();
    await roomsList(page).waitFor();
    await expect(roomsList(page).getByRole('listitem').count()).resolves.toBe(0);
  });
});

describe('the account', () => {
  test('changing the password signs out with a notice; the new password logs in', async () => {
    const person = await run.signedUp('ned');
    const { page } = person;
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Current password').fill(passwordOf(person.name));
    await page.getByLabel('New password').fill('a much better password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Your password is changed' }).waitFor();
    await page.getByLabel('Username').fill(person.name);
    await page.getByLabel('Password', { exact: true }).fill('a much better password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
  });

  test('deleting the account needs its password, then the old credentials no longer work', async () => {
    const person = await run.signedUp('ola');
    const { page } = person;
    await createRoom(page, 'Short lived');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Account password').fill('not the password');
    await page.getByRole('button', { name: 'Delete account' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /password/i })
      .waitFor();

    await page.getByLabel('Account password').fill(passwordOf(person.name));
    await page.getByRole('button', { name: 'Delete account' }).click();
    await page.getByRole('status').filter({ hasText: 'Your account is deleted' }).waitFor();
    await page.getByLabel('Username').fill(person.name);
    await page.getByLabel('Password', { exact: true }).fill(passwordOf(person.name));
    await page.getByRole('button', { name: 'Log in' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /wrong username or password/i })
      .waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
  });
});
