// The app's state as the UI sees it: one immutable snapshot, replaced on every change,
// with listeners told after each replacement.
import type { AppSnapshot } from './app-types';

export class SnapshotStore {
  private listeners = new Set<(snapshot: AppSnapshot) => void>();

  constructor(private current: AppSnapshot) {}

  get(): AppSnapshot {
    return this.current;
  }

  update(patch: Partial<AppSnapshot>): void {
    this.current = { ...this.current, ...patch };
    for (const listener of [...this.listeners]) {
      try {
        listener(this.current);
      } catch (error) {
        console.error('a snapshot listener threw:', (error as Error)?.message);
      }
    }
  }

  subscribe(listener: (snapshot: AppSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
