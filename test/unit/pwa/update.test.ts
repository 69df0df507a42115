// "A new version is ready": nothing is offered until a new version waits, and the waiting
// version is activated only when the person presses "Reload" (applyUpdate).
import { expect, test } from 'vitest';
import { announceUpdate, applyUpdate, onUpdateReady } from '../../../client/pwa/update';

test('the prompt appears once a version waits, and activation needs the consent', () => {
  const shown: boolean[] = [];
  const stop = onUpdateReady((ready) => shown.push(ready));
  expect(shown).toEqual([false]);
  applyUpdate(); // nothing waits yet: nothing to activate

  let activations = 0;
  announceUpdate(() => activations++);
  expect(shown).toEqual([false, true]);
  expect(activations).toBe(0);

  const late: boolean[] = [];
  onUpdateReady((ready) => late.push(ready));
  expect(late).toEqual([true]); // a toast mounted later still shows the prompt

  applyUpdate();
  expect(activations).toBe(1);
  stop();
});
