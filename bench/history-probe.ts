// A script the bench adds to every page before the app runs: each animation frame it looks
// for marker texts anywhere in the page (shadow roots included) and notes, in ms since the
// navigation started, the first frame each one was on screen. It also notes the last Enter
// key press, the start of a search.

export interface ProbeMarks {
  /** performance.now() of the first frame that showed each marker. */
  seen: Record<string, number>;
  enterAt: number | null;
}

/**
 * Source of the init script. NOTE: written as a string, not fn.toString(): tsx compiles
 * functions with a `__name` helper that does not exist in the page.
 */
export function probeScript(markers: readonly string[]): string {
  return `(() => {
  const markers = ${JSON.stringify(markers)};
  const marks = { seen: {}, enterAt: null };
  window.__historyProbe = marks;
  window.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    marks.enterAt = performance.now();
    for (const marker of markers) delete marks.seen[marker];
  }, true);
  const textOf = (root) => {
    let text = root === document ? (document.body ? document.body.innerText : '') : root.textContent || '';
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.shadowRoot) text += '\\n' + textOf(node.shadowRoot);
    }
    return text;
  };
  const check = () => {
    const pending = markers.filter((marker) => !(marker in marks.seen));
    if (pending.length > 0 && document.body) {
      const text = textOf(document);
      const now = performance.now();
      for (const marker of pending) if (text.includes(marker)) marks.seen[marker] = now;
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`;
}
