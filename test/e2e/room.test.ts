// The room screen as people use it: real server, real Chromium, real WebRTC between
// browser contexts. Everything is selected by role and accessible name, as issue 5 lists.
import type { Browser, Locator } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  newPerson,
  register,
  startAppServer,
  type AppServer,
  type Person,
} from '../helpers/app-browser';
import { launchChromium } from '../helpers/chromium';

let app: AppServer;
let browser: Browser;
let people: Person[] = [];

beforeAll(async () => {
  app = await startAppServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

afterEach(async () => {
  const all = people;
  people = [];
  for (const person of all) await person.context.close().catch(() => undefined);
  // Checked after closing everyone, so one failure does not leave contexts behind.
  for (const person of all) {
    expect(person.errors, `uncaught page errors for ${person.name}`).toEqual([]);
  }
});

async function person(name: string): Promise<Person> {
  const someone = await newPerson(browser, name);
  // The strict CSP must hold: a blocked inline style or script counts as a page error.
  someone.page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy')) {
      someone.errors.push(message.text());
    }
  });
  people.push(someone);
  return someone;
}

const messages = (p: Person) => p.page.getByRole('list', { name: 'Messages' });
const members = (p: Person) => p.page.getByRole('list', { name: 'Members' });
const messageWith = (p: Person, text: string) =>
  messages(p).getByRole('listitem').filter({ hasText: text });
const memberNamed = (p: Person, name: string) =>
  members(p).getByRole('listitem').filter({ hasText: name });

/** Waits until `locator` has an element that also contains `text`. */
async function until(locator: Locator, text: string | RegExp): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ state: 'visible' });
}

async function createRoom(host: Person, name: string): Promise<void> {
  await register(host, app.url);
  await host.page.getByLabel('Room name').fill(name);
  await host.page.getByRole('button', { name: 'Create room' }).click();
  await host.page.getByRole('textbox', { name: 'Message' }).waitFor();
  await host.page.getByRole('heading', { name }).waitFor();
}

/** "Invite" -> the read-only "Room link" box -> its value. */
async function inviteLink(host: Person): Promise<string> {
  const { page } = host;
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite people' });
  const box = dialog.getByRole('textbox', { name: 'Room link' });
  await page.waitForFunction(
    (input) => (input as HTMLInputElement).value.includes('#k='),
    await box.elementHandle(),
  );
  const link = await box.inputValue();
  expect(await box.getAttribute('readonly')).not.toBeNull();
  await dialog.getByRole('img', { name: 'QR code of the room link' }).waitFor();
  await dialog.getByRole('button', { name: 'Done' }).click();
  return link;
}

/** Opens the link in a fresh context, registers there, and lands in the room. */
async function joinByLink(guest: Person, link: string): Promise<void> {
  await register(guest, link, '');
  await guest.page.getByRole('textbox', { name: 'Message' }).waitFor();
}

async function send(p: Person, text: string): Promise<void> {
  const box = p.page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await messageWith(p, text).first().waitFor();
}

async function roomWithGuests(
  roomName: string,
  guestNames: string[],
): Promise<{ host: Person; guests: Person[]; link: string }> {
  const host = await person(`host${suffix()}`);
  await createRoom(host, roomName);
  const link = await inviteLink(host);
  const guests: Person[] = [];
  for (const name of guestNames) {
    const guest = await person(`${name}${suffix()}`);
    await joinByLink(guest, link);
    await until(memberNamed(host, guest.name), 'Online');
    guests.push(guest);
  }
  return { host, guests, link };
}

let counter = 0;
function suffix(): string {
  counter += 1;
  return `${Date.now().toString(36).slice(-4)}${counter}`;
}

describe('the room screen', () => {
  it('invite by link, join, chat both ways, with presence, typing and delivery states', async () => {
    const alice = await person(`alice${suffix()}`);
    await createRoom(alice, 'Book club');
    // Alone in the room: the message waits in the outbox.
    await send(alice, 'Anyone here?');
    await until(messageWith(alice, 'Anyone here?'), 'Pending');

    const link = await inviteLink(alice);
    expect(link).toMatch(/\/r\/[^#]+#k=/);
    // "Copy link" puts exactly that link on the clipboard.
    await alice.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: app.url,
    });
    await alice.page.getByRole('button', { name: 'Invite', exact: true }).click();
    const invite = alice.page.getByRole('dialog', { name: 'Invite people' });
    await invite.getByRole('button', { name: 'Copy link' }).click();
    await invite.getByRole('status').filter({ hasText: 'Link copied' }).waitFor();
    expect(await alice.page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await invite.getByRole('button', { name: 'Done' }).click();
    const bob = await person(`bob${suffix()}`);
    await joinByLink(bob, link);

    // Presence on both sides, and the room's name reached the guest.
    await until(memberNamed(alice, bob.name), 'Online');
    await until(memberNamed(bob, alice.name), 'Online');
    await bob.page.getByRole('heading', { name: 'Book club' }).waitFor();
    // The outbox went out once bob connected, and bob has it.
    await until(messageWith(alice, 'Anyone here?'), 'Delivered');
    await messageWith(bob, 'Anyone here?').waitFor();

    await send(bob, 'Hi alice, bob here');
    await messageWith(alice, 'Hi alice, bob here').waitFor();
    await until(messageWith(bob, 'Hi alice, bob here'), 'Delivered');
    await send(alice, 'Welcome bob!');
    await messageWith(bob, 'Welcome bob!').waitFor();
    await until(messageWith(alice, 'Welcome bob!'), 'Delivered');
    // Three quick messages, each sent with Enter before the last one is out: all arrive, in order.
    const quick = ['one', 'two', 'three'].map((word) => `quick ${word}`);
    const aliceBox = alice.page.getByRole('textbox', { name: 'Message' });
    for (const text of quick) {
      await aliceBox.fill(text);
      await aliceBox.press('Enter');
    }
    await messageWith(bob, 'quick three').waitFor();
    const seenByBob = await messages(bob).getByRole('listitem').allInnerTexts();
    const order = quick.map((text) => seenByBob.findIndex((item) => item.includes(text)));
    expect(order.every((index, i) => index >= 0 && (i === 0 || index > order[i - 1]!))).toBe(true);

    // Others' messages carry no delivery state; own ones are marked as sent by "You".
    expect(await messageWith(bob, 'Welcome bob!').innerText()).not.toMatch(/Pending|Delivered/);

    // Typing shows on the other screen, Shift+Enter makes a new line, Enter sends.
    const box = bob.page.getByRole('textbox', { name: 'Message' });
    await box.pressSequentially('two');
    // "Typing" lasts a few seconds after the last key: keep typing (as people do) until it shows.
    const typingSeen = alice.page.getByText(/is typing/);
    for (let attempt = 0; attempt < 10 && !(await typingSeen.isVisible()); attempt++) {
      await box.press('Space');
      await box.press('Backspace');
      await typingSeen.waitFor({ timeout: 2000 }).catch(() => undefined);
    }
    await typingSeen.waitFor({ timeout: 1000 });
    await box.press('Shift+Enter');
    await box.pressSequentially('lines');
    expect(await box.inputValue()).toBe('two\nlines');
    await box.press('Enter');
    await messageWith(alice, 'lines').waitFor();
    expect(await messageWith(alice, 'lines').innerText()).toContain('two\nlines');
    expect(await box.inputValue()).toBe('');

    // Bob closes the tab (as a person does: unload handlers run): alice sees him go.
    await bob.page.close({ runBeforeUnload: true });
    await memberNamed(alice, bob.name).filter({ hasText: 'Online' }).waitFor({ state: 'detached' });

    // Something typed but not sent survives a reload.
    await aliceBox.fill('half a thought');
    await alice.page.getByRole('status').filter({ hasText: 'Draft saved' }).waitFor();
    await alice.page.reload();
    await messageWith(alice, 'Welcome bob!').waitFor();
    await alice.page.waitForFunction(
      (box) => (box as HTMLTextAreaElement).value === 'half a thought',
      await aliceBox.elementHandle(),
    );
    expect(alice.errors).toEqual([]);
  });

  it('a long conversation keeps only the rows in view on the page, and scrolling up pages back to the start', async () => {
    const rita = await person(`rita${suffix()}`);
    await createRoom(rita, 'Long talk');
    const box = rita.page.getByRole('textbox', { name: 'Message' });
    const COUNT = 130; // more than one page of history (100)
    const line = (n: number) => `line ${String(n).padStart(3, '0')}`;
    for (let n = 1; n <= COUNT; n++) {
      await box.fill(line(n));
      await box.press('Enter');
    }
    await messageWith(rita, line(COUNT)).waitFor();
    // From the device's history alone, newest page first.
    await rita.page.reload();
    await messageWith(rita, line(COUNT)).waitFor();
    const rows = messages(rita).getByRole('listitem');
    expect(await rows.count()).toBeLessThan(COUNT / 2);
    expect(await messageWith(rita, line(1)).count()).toBe(0);

    // Scroll up with the mouse wheel, as a person would, until the first message shows.
    const list = messages(rita);
    await list.hover();
    const first = messageWith(rita, line(1));
    for (let attempt = 0; attempt < 200 && (await first.count()) === 0; attempt++) {
      await rita.page.mouse.wheel(0, -1500);
      await rita.page.evaluate(() => new Promise((done) => requestAnimationFrame(done)));
    }
    await first.waitFor();
    expect(await rows.count()).toBeLessThan(COUNT / 2);
    expect(await first.getAttribute('aria-posinset')).toBe('1');
    expect(await first.getAttribute('aria-setsize')).toBe(String(COUNT));
    await rita.page.getByText('The conversation starts here.').waitFor();
  });

  it('losing the network shows a clear banner, and messages written meanwhile wait as pending', async () => {
    const olga = await person(`olga${suffix()}`);
    await createRoom(olga, 'Offline test');
    await olga.context.setOffline(true);
    await olga.page
      .getByRole('status')
      .filter({ hasText: /Disconnected: you are offline|Connection lost, reconnecting/ })
      .waitFor();
    await send(olga, 'written on the train');
    await until(messageWith(olga, 'written on the train'), 'Pending');
    await olga.context.setOffline(false);
    await olga.page
      .getByRole('status')
      .filter({ hasText: /Disconnected: you are offline|Connection lost, reconnecting/ })
      .waitFor({ state: 'detached' });
    // Nothing typed is lost: still there, still waiting for someone to deliver it to.
    await until(messageWith(olga, 'written on the train'), 'Pending');
  });

  it('a message with HTML or script shows as text and runs nothing', async () => {
    const { host, guests } = await roomWithGuests('XSS test', ['mallory']);
    const [mallory] = guests as [Person];
    const attack =
      '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b>';
    await send(mallory, attack);
    const item = messageWith(host, '<img src=x');
    await item.waitFor();
    expect(await item.innerText()).toContain(attack);
    // No image, no bold element, no script ran: on either screen.
    expect(await messages(host).getByRole('img').count()).toBe(0);
    for (const p of [host, mallory]) {
      expect(await p.page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    }
    expect(host.errors).toEqual([]);
  });

  it('two people verify each other: the SAS matches on both screens, then a Verified badge', async () => {
    const { host, guests } = await roomWithGuests('Verify test', ['victor']);
    const [victor] = guests as [Person];
    const sasOf = async (p: Person, other: string) => {
      await memberNamed(p, other).getByRole('button', { name: 'Verify' }).click();
      const dialog = p.page.getByRole('dialog', { name: `Verify ${other}` });
      const sas = dialog.getByRole('figure', { name: 'Short authentication string' });
      await sas.waitFor();
      return {
        dialog,
        sas: await sas.innerText(),
        safety: await dialog.getByRole('figure', { name: 'Safety number' }).innerText(),
      };
    };
    const a = await sasOf(host, victor.name);
    const b = await sasOf(victor, host.name);
    expect(a.sas).toMatch(/\d{4} \d{4} \d{4}/);
    expect(a.sas).toBe(b.sas);
    expect(a.safety).toBe(b.safety);

    for (const [p, side, other] of [
      [host, a, victor.name],
      [victor, b, host.name],
    ] as const) {
      await side.dialog.getByRole('button', { name: 'Mark as verified' }).click();
      await side.dialog.getByText('is verified on this device').waitFor();
      await side.dialog.getByRole('button', { name: 'Done' }).click();
      await until(memberNamed(p, other), 'Verified');
    }

    // The host renames the room: the new name shows on both screens.
    await host.page.getByRole('button', { name: 'Room settings' }).click();
    const settings = host.page.getByRole('dialog', { name: 'Room settings' });
    await settings.getByRole('textbox', { name: 'Room name' }).fill('Renamed room');
    await settings.getByRole('button', { name: 'Save' }).click();
    await host.page.getByRole('heading', { name: 'Renamed room' }).waitFor();
    await victor.page.getByRole('heading', { name: 'Renamed room' }).waitFor();
    expect(host.errors).toEqual([]);
  });

  it('the host kicks one person (who sees it and cannot rejoin), then closes the room for everyone', async () => {
    const { host, guests, link } = await roomWithGuests('Moderated', ['kim', 'carl']);
    const [kim, carl] = guests as [Person, Person];
    // Only the host sees host controls.
    expect(await members(kim).getByRole('button', { name: 'Kick' }).count()).toBe(0);
    expect(await kim.page.getByRole('button', { name: 'Close room', exact: true }).count()).toBe(0);

    await memberNamed(host, kim.name).getByRole('button', { name: 'Kick' }).click();
    await kim.page.getByRole('alert').filter({ hasText: 'You were removed' }).waitFor();
    expect(await kim.page.getByRole('textbox', { name: 'Message' }).isDisabled()).toBe(true);
    await memberNamed(host, kim.name).waitFor({ state: 'detached' });

    // The rest of the room goes on.
    await send(carl, 'Still here');
    await messageWith(host, 'Still here').waitFor();

    // Kim opens the old link again: refused, with words that say why, and no way to write.
    await kim.page.goto(link);
    await kim.page
      .getByRole('alert')
      .filter({ hasText: /removed|kicked|banned/i })
      .waitFor();
    const kimBox = kim.page.getByRole('textbox', { name: 'Message' });
    if ((await kimBox.count()) > 0) expect(await kimBox.isDisabled()).toBe(true);
    expect(await memberNamed(host, kim.name).count()).toBe(0);

    // Closing asks once more, then everyone sees it and nobody can send.
    await host.page.getByRole('button', { name: 'Close room', exact: true }).click();
    await host.page
      .getByRole('dialog', { name: 'Close this room?' })
      .getByRole('button', { name: 'Close room for everyone' })
      .click();
    for (const p of [host, carl]) {
      await p.page.getByRole('alert').filter({ hasText: 'This room was closed' }).waitFor();
      expect(await p.page.getByRole('textbox', { name: 'Message' }).isDisabled()).toBe(true);
    }
    // What was said stays readable.
    await messageWith(carl, 'Still here').waitFor();
    expect(host.errors).toEqual([]);
  });

  it('the host bans someone: they see it, and the link no longer lets them in', async () => {
    const { host, guests, link } = await roomWithGuests('Ban test', ['bea']);
    const [bea] = guests as [Person];
    await memberNamed(host, bea.name).getByRole('button', { name: 'Ban' }).click();
    await bea.page.getByRole('alert').filter({ hasText: 'You were banned' }).waitFor();
    expect(await bea.page.getByRole('textbox', { name: 'Message' }).isDisabled()).toBe(true);
    await memberNamed(host, bea.name).waitFor({ state: 'detached' });
    await bea.page.goto(link);
    await bea.page
      .getByRole('alert')
      .filter({ hasText: /banned/i })
      .waitFor();
    expect(await memberNamed(host, bea.name).count()).toBe(0);
  });
});
