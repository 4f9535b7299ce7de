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

  /** The offset and the frozen instant: another process on the same wall clock reads the same time from them. */
  setting(): ClockSetting {
    return this.frozenAt === undefined ? { offsetMs: this.offsetMs } : { offsetMs: this.offsetMs, frozenAt: this.frozenAt };
  }

  adopt(setting: ClockSetting): void {
    this.offsetMs = setting.offsetMs;
    this.frozenAt = setting.frozenAt;
  }
}

/** What `PUT /rili/v1/clock` asks for, checked already: one move (or none) and perhaps `frozen`. */
export interface ClockChange {
  readonly now_ms?: number;
  readonly advance_ms?: number;
  readonly real?: true;
  readonly frozen?: boolean;
}

/** The whole of a virtual clock's state, as the cluster primary hands it to the workers. */
export interface ClockSetting {
  readonly offsetMs: number;
  readonly frozenAt?: number;
}

/** Applies a checked change to a clock. */
export function applyClockChange(clock: VirtualClock, change: ClockChange): void {
  if (change.now_ms !== undefined) clock.set(change.now_ms, change.frozen ?? true);
  else if (change.advance_ms !== undefined) {
    clock.advance(change.advance_ms);
    if (change.frozen !== undefined) clock.freeze(change.frozen);
  } else if (change.real) clock.real();
  else clock.freeze(change.frozen!);
}
