// The virtual list's geometry: which rows are on screen for a scroll position, with
// measured and estimated heights, counted from the bottom (the list sticks to its bottom).
import { describe, expect, it } from 'vitest';
import { MessageLayout } from '../../../client/ui/message-layout';

function ids(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `m${i}`);
}

describe('MessageLayout', () => {
  it('at the bottom, renders only the newest rows that fill the view', () => {
    const layout = new MessageLayout();
    const all = ids(100_000);
    layout.setIds(all);
    for (const id of all.slice(-50)) layout.measure(id, 50);
    layout.rebuild();
    // 500 px of view at the very bottom, no overscan: the ten newest 50 px rows.
    expect(layout.range(0, 500, 0)).toEqual({ start: 99_990, end: 100_000 });
    expect(layout.total).toBe(100_000 * 50);
  });

  it('scrolled up by 1,000 px, the view moves up by twenty 50 px rows', () => {
    const layout = new MessageLayout();
    const all = ids(1000);
    layout.setIds(all);
    for (const id of all) layout.measure(id, 50);
    layout.rebuild();
    expect(layout.range(1000, 500, 0)).toEqual({ start: 970, end: 980 });
    expect(layout.range(1000, 500, 100)).toEqual({ start: 968, end: 982 });
  });

  it('keeps measured heights when older rows are prepended, and positions from the bottom stay', () => {
    const layout = new MessageLayout();
    layout.setIds(['c', 'd']);
    layout.measure('c', 120);
    layout.measure('d', 40);
    layout.rebuild();
    const before = layout.bottomOf(layout.indexOf('c'));
    layout.setIds(['a', 'b', 'c', 'd']);
    expect(layout.bottomOf(layout.indexOf('c'))).toBe(before);
    expect(before).toBe(40);
    // Unmeasured rows take the mean of measured ones: (120 + 40) / 2.
    expect(layout.total).toBe(120 + 40 + 80 + 80);
  });

  it('reports a change only when a height really changed', () => {
    const layout = new MessageLayout();
    layout.setIds(['a']);
    expect(layout.measure('a', 60)).toBe(true);
    expect(layout.measure('a', 60.01)).toBe(false);
    expect(layout.measure('a', 90)).toBe(true);
  });

  it('an empty list renders nothing', () => {
    expect(new MessageLayout().range(0, 800, 800)).toEqual({ start: 0, end: 0 });
  });
});
