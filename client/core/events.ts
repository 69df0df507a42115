// A tiny typed event emitter: `on` returns its own unsubscribe. A listener that throws
// must not stop the others, nor the engine that emitted the event.
export class TypedEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(event: never) => void>>();

  on<K extends keyof Events>(type: K, listener: (event: Events[K]) => void): () => void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    set.add(listener as (event: never) => void);
    return () => set.delete(listener as (event: never) => void);
  }

  /** Resolves with the next event of `type` that passes `filter`. */
  once<K extends keyof Events>(
    type: K,
    filter: (event: Events[K]) => boolean = () => true,
  ): Promise<Events[K]> {
    return new Promise((resolve) => {
      const off = this.on(type, (event) => {
        if (!filter(event)) return;
        off();
        resolve(event);
      });
    });
  }

  emit<K extends keyof Events>(type: K, event: Events[K]): void {
    const set = this.listeners.get(type);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (event: Events[K]) => void)(event);
      } catch (error) {
        // A faulty listener is visible but harmless: rethrowing would crash Node.
        console.error(`a '${String(type)}' listener threw:`, (error as Error)?.message);
      }
    }
  }

  removeAll(): void {
    this.listeners.clear();
  }
}
