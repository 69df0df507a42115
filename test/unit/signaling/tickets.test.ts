// Admission tickets: bound to user and room, unforgeable, short-lived.
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { Tickets } from '../../../signaling/rooms/tickets';

const secret = randomBytes(32);
const claims = { userId: 7, username: 'uma', roomId: 'r'.repeat(22) };

it('verifies its own tickets and returns the claims', () => {
  const tickets = new Tickets(secret, 60_000);
  const { ticket, expiresAt } = tickets.issue(claims);
  expect(tickets.verify(ticket)).toEqual({ ...claims, expiresAt });
});

it('refuses a ticket from another secret, a changed payload, and garbage', () => {
  const tickets = new Tickets(secret, 60_000);
  const { ticket } = tickets.issue(claims);
  expect(new Tickets(randomBytes(32), 60_000).verify(ticket)).toBeNull();
  const [payload, mac] = ticket.split('.') as [string, string];
  const forged = Buffer.from(
    Buffer.from(payload, 'base64url').toString().replace('"u":7', '"u":1'),
  ).toString('base64url');
  expect(tickets.verify(`${forged}.${mac}`)).toBeNull();
  for (const junk of [
    '',
    '.',
    'a.b',
    ticket + 'x',
    'x'.repeat(10_000),
    `${payload}.${'A'.repeat(43)}`,
  ]) {
    expect(tickets.verify(junk)).toBeNull();
  }
});

it('refuses an expired ticket', () => {
  let now = 1_000_000;
  const tickets = new Tickets(secret, 1000, () => now);
  const { ticket } = tickets.issue(claims);
  now += 999;
  expect(tickets.verify(ticket)).not.toBeNull();
  now += 1;
  expect(tickets.verify(ticket)).toBeNull();
});
