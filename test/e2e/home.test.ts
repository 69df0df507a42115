// The home screen as a person uses it, in real Chromium against the real server: signing in
// and out, creating and joining rooms (bad links, room passwords), unread counts, settings
// that survive a reload, the passphrase lock, search, and the phone layout. The rest of
// Settings is in settings.test.ts.
import { describe, expect, test } from 'vitest';
import { passwordOf, register } from '../helpers/app-browser';
import { createRoom, inviteLink, roomsList, useHomeScreen } from '../helpers/home-screen';

const run = useHomeScreen();

describe('signing in', () => {
  test('register, log out, a wrong password is refused with a message, log in again', async () => {
    const person = await run.signedUp('ann');
    const { page } = person;
    await expect(page.getByRole('button', { name: 'Log out' }).isVisible()).resolves.toBe(true);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await expect(roomsList(page).count()).resolves.toBe(0);

    await page.getByLabel('Username').fill(person.name);
    await page.getByLabel('Password', { exact: true }).fill('not my password at all');
    await page.getByRole('button', { name: 'Log in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/wrong username or password/i);
    // The way forward is offered next to the message.
    await expect(
      page.getByRole('button', { name: 'Reset your password' }).isVisible(),
    ).resolves.toBe(true);

    await page.getByLabel('Password', { exact: true }).fill(passwordOf(person.name));
    await page.getByRole('button', { name: 'Log in' }).click();
    await roomsList(page).waitFor();
  });

  test('"Forgot password" asks for the username and answers without saying whether it exists', async () => {
    const person = await run.person('nobody');
    const { page } = person;
    await page.goto(run.url());
    await page.getByRole('button', { name: 'Forgot password' }).click();
    await page.getByLabel('Username').fill('nobody-here');
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByRole('status').filter({ hasText: 'reset link is on its way' }).waitFor();
    await page.getByRole('button', { name: 'Back to log in' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
  });

  test('a mailed reset link opens "Choose a new password"; a bad token says what to do', async () => {
    const person = await run.person('resetter');
    const { page } = person;
    await page.goto(`${run.url()}/reset#token=${'A'.repeat(43)}`);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    // The token leaves the address bar at once.
    expect(new URL(page.url()).hash).toBe('');
    await page.getByLabel('New password').fill('a brand new password');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /invalid, already used or expired/ })
      .waitFor();
    await page.getByRole('button', { name: 'Back to log in' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
  });
});

describe('rooms on the home screen', () => {
  test('a new room (defaults preselected) opens and then appears in "Rooms"', async () => {
    const { page } = await run.signedUp('bob');
    await page.getByRole('link', { name: 'Home' }).click();
    await expect(page.getByRole('radio', { name: /AES-256-GCM/ }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole('radio', { name: /X25519/ }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole('radio', { name: /XChaCha20/ }).isChecked()).resolves.toBe(false);

    const path = await createRoom(page, 'Book club');
    // The tab says where the person is.
    await expect.poll(() => page.title()).toBe('Book club · Secure Chat');
    await page.getByRole('link', { name: 'Home' }).click();
    const entry = roomsList(page).getByRole('link', { name: /Book club/ });
    await entry.waitFor();
    expect(await entry.getAttribute('href')).toBe(path);

    // Back and forward move between the screens.
    await page.goBack();
    await page.waitForURL((url) => url.pathname === path);
    await page.goBack();
    await page.waitForURL((url) => url.pathname === '/');
    await roomsList(page).waitFor();
  });

  test('a message from someone else shows as unread in "Rooms" until the room is opened', async () => {
    const host = await run.signedUp('lea');
    const path = await createRoom(host.page, 'Garden club');
    const link = await inviteLink(host.page);
    await host.page.getByRole('link', { name: 'Home' }).click();
    const entry = roomsList(host.page).getByRole('link', { name: /Garden club/ });
    await entry.waitFor();
    await expect(entry.textContent()).resolves.not.toMatch(/unread/);

    const guest = await run.person('max');
    await register(guest, link, '');
    const composer = guest.page.getByRole('textbox', { name: 'Message' });
    await composer.fill('Tomatoes are ripe');
    await composer.press('Enter');

    await roomsList(host.page)
      .getByRole('link', { name: /Garden club.*Tomatoes are ripe.*1 unread message/ })
      .waitFor();
    await entry.click();
    await host.page.waitForURL((url) => url.pathname === path);
    await host.page
      .getByRole('list', { name: 'Messages' })
      .getByText('Tomatoes are ripe')
      .waitFor();
    await host.page.getByRole('link', { name: 'Home' }).click();
    await expect.poll(async () => (await entry.textContent()) ?? '').not.toMatch(/unread/);
  });

  test('an incomplete or broken link gets a clear message and nothing is joined', async () => {
    const { page } = await run.signedUp('cat');
    const linkBox = page.getByRole('textbox', { name: 'Room link' });
    const join = page.getByRole('button', { name: 'Join' });
    const alert = page.getByRole('alert');

    await linkBox.fill('just some words');
    await join.click();
    expect(await alert.textContent()).toMatch(/not a room link/i);

    // The room key after "#k=" is missing: the link was cut when copied.
    const room = `${run.url()}/r/AAAAAAAAAAAAAAAAAAAAAA`;
    await linkBox.fill(room);
    await join.click();
    await alert.filter({ hasText: 'the part after # is missing' }).waitFor();
    // Each message comes with what to do next.
    await alert.filter({ hasText: 'send the link again' }).waitFor();

    // The key is there but damaged (cut short).
    await linkBox.fill(`${room}#k=AAAAAAAA`);
    await join.click();
    await alert.filter({ hasText: 'damaged or cut short' }).waitFor();
    expect(page.url()).toBe(`${run.url()}/`);
    await expect(roomsList(page).getByRole('listitem').count()).resolves.toBe(0);
  });
});

describe('rooms with a password', () => {
  test('an opened link asks for the room password after sign-in; a wrong one is refused', async () => {
    const host = await run.signedUp('hal');
    await createRoom(host.page, 'Secret garden', 'roses are red');
    const link = await inviteLink(host.page);

    const guest = await run.person('ivy');
    await register(guest, link, '');
    const { page } = guest;
    await page.getByRole('heading', { name: 'Joining room…' }).waitFor();
    await page.getByLabel('Room password').fill('violets are blue');
    await page.getByRole('button', { name: 'Join' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /password/i })
      .waitFor();

    await page.getByLabel('Room password').fill('roses are red');
    await page.getByRole('button', { name: 'Join' }).click();
    // In the room: its composer is there.
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(new URL(link).pathname);
    await page.getByRole('link', { name: 'Home' }).click();
    await roomsList(page)
      .getByRole('link', { name: /Secret garden/ })
      .waitFor();
  });

  test('a pasted link to a room with a password shows "Room password", then joins', async () => {
    const host = await run.signedUp('jon');
    await createRoom(host.page, 'Tree house', 'no girls allowed');
    const link = await inviteLink(host.page);

    const { page } = await run.signedUp('kay');
    await page.getByRole('textbox', { name: 'Room link' }).fill(link);
    await page.getByRole('button', { name: 'Join' }).click();
    const join = page.getByRole('form', { name: 'Join a room' });
    await join.getByLabel('Room password').fill('no girls allowed');
    await join.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(new URL(link).pathname);
  });
});

describe('settings', () => {
  test('display name, sound and notifications survive a reload', async () => {
    const { page, context } = await run.signedUp('dan');
    await context.grantPermissions(['notifications'], { origin: run.url() });
    await page.getByRole('link', { name: 'Settings' }).click();
    const sound = page.getByRole('checkbox', { name: 'Sound' });
    const notifications = page.getByRole('checkbox', { name: 'Notifications' });
    const soundBefore = await sound.isChecked();
    await sound.click();
    await expect.poll(() => sound.isChecked()).toBe(!soundBefore);
    await notifications.check();
    await page.getByRole('textbox', { name: 'Display name' }).fill('Dan the Reader');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByRole('status').filter({ hasText: 'Dan the Reader' }).waitFor();

    await page.reload();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await expect.poll(() => sound.isChecked()).toBe(!soundBefore);
    await expect(notifications.isChecked()).resolves.toBe(true);
    await expect(page.getByRole('textbox', { name: 'Display name' }).inputValue()).resolves.toBe(
      'Dan the Reader',
    );
  });

  test('passphrase lock: reload shows the lock screen, a wrong passphrase is refused, Unlock brings the rooms back', async () => {
    const { page } = await run.signedUp('eve');
    await createRoom(page, 'Locked notes');
    await page.getByRole('link', { name: 'Settings' }).click();
    await expect(page.getByRole('button', { name: 'Lock', exact: true }).count()).resolves.toBe(0);
    await page.getByLabel('New passphrase').fill('purple elephant dances');
    await page.getByLabel('Confirm passphrase').fill('purple elephant dances');
    await page.getByRole('button', { name: 'Set passphrase' }).click();
    await page.getByRole('button', { name: 'Lock', exact: true }).waitFor();

    await page.reload();
    await page.getByRole('button', { name: 'Unlock' }).waitFor();
    await expect(roomsList(page).count()).resolves.toBe(0);
    await page.getByLabel('Passphrase').fill('green elephant');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('alert').waitFor();
    await expect(roomsList(page).count()).resolves.toBe(0);

    // Keyboard only: the refused passphrase is selected, typing replaces it, Enter unlocks.
    await page.keyboard.type('purple elephant dances');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Home' }).click();
    await roomsList(page)
      .getByRole('link', { name: /Locked notes/ })
      .waitFor();

    // "Lock" in the header locks at once.
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('button', { name: 'Unlock' }).waitFor();
    await expect(roomsList(page).count()).resolves.toBe(0);
  });
});

describe('layout', () => {
  test('on a 360 px phone nothing scrolls sideways: home, a room, settings, the lock screen', async () => {
    const { page } = await run.signedUp('pia');
    await page.setViewportSize({ width: 360, height: 740 });
    const sideways = () =>
      page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
    expect(await sideways()).toBe(0);
    await createRoom(page, 'A room with a rather long name for a small phone');
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    expect(await sideways()).toBe(0);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('New passphrase').fill('narrow screens');
    await page.getByLabel('Confirm passphrase').fill('narrow screens');
    await page.getByRole('button', { name: 'Set passphrase' }).click();
    // Home, Settings, Lock and Log out still fit in the header's one row.
    const lock = page.getByRole('button', { name: 'Lock', exact: true });
    await lock.waitFor();
    const home = await page.getByRole('link', { name: 'Home' }).boundingBox();
    const lockBox = await lock.boundingBox();
    expect(Math.abs((home?.y ?? 0) - (lockBox?.y ?? 1))).toBeLessThan(2);
    expect(await sideways()).toBe(0);
    await lock.click();
    await page.getByRole('button', { name: 'Unlock' }).waitFor();
    expect(await sideways()).toBe(0);
  });
});

describe('search', () => {
  test('finds a sent message across rooms and opens its room', async () => {
    const { page } = await run.signedUp('fay');
    const path = await createRoom(page, 'Recipes');
    await page.getByRole('textbox', { name: 'Message' }).fill('Pancakes need buttermilk');
    await page.getByRole('button', { name: 'Send' }).click();
    await page
      .getByRole('list', { name: 'Messages' })
      .getByText('Pancakes need buttermilk')
      .waitFor();

    await page.getByRole('link', { name: 'Home' }).click();
    await page.getByRole('textbox', { name: 'Search' }).fill('BUTTERMILK');
    const results = page.getByRole('list', { name: 'Search results' });
    const hit = results.getByRole('link', { name: /Pancakes need buttermilk/ });
    await hit.waitFor();
    await page.getByRole('textbox', { name: 'Search' }).fill('waffles');
    await page
      .getByRole('status')
      .filter({ hasText: /No stored message contains/ })
      .waitFor();

    await page.getByRole('textbox', { name: 'Search' }).fill('pancakes');
    await hit.click();
    await page.waitForURL((url) => url.pathname === path);
  });
});
