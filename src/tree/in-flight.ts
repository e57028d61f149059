// A count of tasks in flight that the one loop feeding them can wait on. Waiting with Promise.race over the
// running set subscribes to every task again on each wait: O(window) per task, seconds of CPU at 1,000.

export class InFlight {
  private live = 0;
  private wake: (() => void) | null = null;
  /** `wake` is called once fewer than this are in flight. */
  private below = 0;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.live;
  }

  /** Counts `task` until it settles (its outcome is the caller's to handle). */
  add(task: Promise<unknown>): void {
    this.live++;
    const done = (): void => {
      this.live--;
      const w = this.wake;
      if (w && this.live < this.below) {
        this.wake = null;
        w();
      }
    };
    task.then(done, done);
  }

  /** Resolves once fewer than `max` are in flight (at once if they already are). */
  room(): Promise<void> {
    return this.until(this.max);
  }

  /** Resolves once none is. */
  idle(): Promise<void> {
    return this.until(1);
  }

  private until(below: number): Promise<void> {
    if (this.live < below) return Promise.resolve();
    return new Promise((resolve) => {
      this.below = below;
      this.wake = resolve;
    });
  }
}
