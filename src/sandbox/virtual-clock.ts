import type { Clock } from '../core/ports.js';

/** What `GET /rili/v1/clock` shows. */
export interface ClockState {
  readonly now_ms: number;
  readonly frozen: boolean;
}

/**
 * The sandbox's clock: the base clock (the wall clock, or a test's), shifted by an offset or frozen
 * at an instant. Every service reads time through the `Clock` port, so moving this one moves token
 * and code expiry, default windows and "now" in views at once, without waiting.
 */
export class VirtualClock implements Clock {
  private offsetMs = 0;
  private frozenAt: number | undefined;

  constructor(private readonly base: Clock) {}

  now(): number {
    return this.frozenAt ?? this.base.now() + this.offsetMs;
  }

  state(): ClockState {
    return { now_ms: this.now(), frozen: this.frozenAt !== undefined };
  }

  /** Jumps to `ms`; frozen there (the default, so a test sees exactly that instant) or running on from it. */
  set(ms: number, frozen = true): void {
    if (frozen) {
      this.frozenAt = ms;
    } else {
      this.frozenAt = undefined;
      this.offsetMs = ms - this.base.now();
    }
  }

  /** Moves time forward by `ms`, frozen or running as it was. */
  advance(ms: number): void {
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offsetMs += ms;
  }

  /** Stops (at the current virtual instant) or restarts time without a jump. */
  freeze(frozen: boolean): void {
    if (frozen === (this.frozenAt !== undefined)) return;
    this.set(this.now(), frozen);
  }

  /** Back to the base clock: no offset, running. */
  real(): void {
    this.offsetMs = 0;
    this.frozenAt = undefined;
  }
}
