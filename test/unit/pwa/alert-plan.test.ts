// When a new message alerts the person: a notification only while the page is hidden, with
// notifications on and permission granted; a sound when sound is on, one per burst.
import { describe, expect, it } from 'vitest';
import {
  BODY_MAX_CHARS,
  SOUND_GAP_MS,
  planAlert,
  shorten,
  soundAllowed,
} from '../../../client/pwa/alert-plan';

const alert = { roomId: 'room-1', roomName: 'Team', from: 'alice', text: 'see you at 5' };
const on = { notifications: true, sound: true };

describe('planAlert', () => {
  it('notifies a hidden page with the room name, sender and text', () => {
    const plan = planAlert(alert, on, { hidden: true, permission: 'granted' });
    expect(plan.notification).toEqual({
      title: 'Team',
      body: 'alice: see you at 5',
      tag: 'room:room-1',
      url: '/r/room-1',
    });
    expect(plan.sound).toBe(true);
  });

  it('does not notify while the person is looking at the page', () => {
    expect(planAlert(alert, on, { hidden: false, permission: 'granted' }).notification).toBeNull();
  });

  it('does not notify without permission, even when switched on', () => {
    for (const permission of ['default', 'denied', 'unsupported'] as const) {
      expect(planAlert(alert, on, { hidden: true, permission }).notification).toBeNull();
    }
  });

  it('respects each switch on its own', () => {
    const quiet = planAlert(
      alert,
      { notifications: true, sound: false },
      {
        hidden: true,
        permission: 'granted',
      },
    );
    expect(quiet.sound).toBe(false);
    expect(quiet.notification).not.toBeNull();
    const soundOnly = planAlert(
      alert,
      { notifications: false, sound: true },
      {
        hidden: true,
        permission: 'granted',
      },
    );
    expect(soundOnly.notification).toBeNull();
    expect(soundOnly.sound).toBe(true);
  });

  it('keeps a room id with odd characters inside its path segment', () => {
    const plan = planAlert({ ...alert, roomId: 'a/b?c' }, on, {
      hidden: true,
      permission: 'granted',
    });
    expect(plan.notification?.url).toBe('/r/a%2Fb%3Fc');
  });
});

describe('shorten', () => {
  it('cuts long text to the limit and marks the cut', () => {
    const body = shorten('x'.repeat(500), BODY_MAX_CHARS);
    expect(Array.from(body)).toHaveLength(BODY_MAX_CHARS);
    expect(body.endsWith('…')).toBe(true);
  });

  it('never splits an emoji and folds line breaks', () => {
    expect(shorten('😀😀😀😀', 3)).toBe('😀😀…');
    expect(shorten('line one\n\nline two', 50)).toBe('line one line two');
  });
});

describe('soundAllowed', () => {
  it('beeps once for a burst of messages', () => {
    expect(soundAllowed(null, 1000)).toBe(true);
    expect(soundAllowed(1000, 1000 + SOUND_GAP_MS - 1)).toBe(false);
    expect(soundAllowed(1000, 1000 + SOUND_GAP_MS)).toBe(true);
  });
});
