/**
 * Console: a byte-wide transmitter and a receiver with an input queue and an interrupt.
 *
 * | offset | name   | access | meaning |
 * |--------|--------|--------|---------|
 * | 0x00   | TX     | W      | low byte is appended to the run's console output (reads 0) |
 * | 0x04   | STATUS | R      | bit 0 RX_READY (input waiting), bit 1 TX_READY (always 1) |
 * | 0x08   | RX     | R      | pops the next input byte; 0xFFFFFFFF when the queue is empty |
 * | 0x0C   | CTRL   | RW     | bit 0 RX_IE: raise IRQ 2 while input is waiting |
 * | 0x10   | IRQCPU | RW     | CPU whose IRQ 2 line the receiver drives (default 0) |
 *
 * Input comes from the experiment (`console.input`), so runs stay deterministic. Output is kept
 * as bytes up to `maxOutputBytes`; beyond that bytes are counted but dropped (`truncated`).
 */
import type { CpuAwareDevice, DeviceContext } from './device';
import { IRQ } from './device';

export const CONSOLE_REG = { TX: 0x00, STATUS: 0x04, RX: 0x08, CTRL: 0x0c, IRQCPU: 0x10 } as const;

export interface ConsoleState { out: number[]; dropped: number; input: number[]; ctrl: number; irqCpu: number }

export class ConsoleDevice implements CpuAwareDevice {
  readonly name = 'console';
  readonly size = 0x1000;
  private out: number[] = [];
  private dropped = 0;
  private input: number[] = [];
  private ctrl = 0;
  private irqCpu = 0;
  private lineUp = false;

  constructor(private readonly ctx: DeviceContext, input: Uint8Array = new Uint8Array(0), readonly maxOutputBytes = 1 << 20) {
    this.input = Array.from(input);
  }

  read32(offset: number): number {
    switch (offset) {
      case CONSOLE_REG.STATUS: return (this.input.length ? 1 : 0) | 2;
      case CONSOLE_REG.RX: {
        const b = this.input.shift();
        this.update();
        return b === undefined ? 0xffffffff : b;
      }
      case CONSOLE_REG.CTRL: return this.ctrl;
      case CONSOLE_REG.IRQCPU: return this.irqCpu;
      default: return 0;
    }
  }

  write32(offset: number, value: number): void {
    switch (offset) {
      case CONSOLE_REG.TX:
        if (this.out.length < this.maxOutputBytes) this.out.push(value & 0xff);
        else this.dropped++;
        break;
      case CONSOLE_REG.CTRL: this.ctrl = value & 1; this.update(); break;
      case CONSOLE_REG.IRQCPU:
        if ((value >>> 0) < this.ctx.cpus) { this.lower(); this.irqCpu = value >>> 0; this.update(); }
        break;
    }
  }

  /** Appends bytes to the input queue (tests; a future interactive console). */
  feed(bytes: Uint8Array): void { for (const b of bytes) this.input.push(b); this.update(); }

  /** Console output so far, decoded as UTF-8 (invalid sequences become U+FFFD). */
  text(): string { return decodeUtf8(this.out); }
  get outputBytes(): number { return this.out.length + this.dropped; }

  /**
   * Output added since byte `from` (of the kept output), for streaming progress: returns the
   * decoded text and the offset to pass next time. A UTF-8 sequence still incomplete at the end
   * is held back until its last byte arrives.
   */
  readNew(from: number): { text: string; next: number } {
    const out = this.out;
    let end = out.length;
    for (let k = 1; k <= 3 && end - k >= from; k++) {
      const b = out[end - k];
      if ((b & 0xc0) === 0x80) continue;          // continuation byte: keep looking for the lead
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (need > k) end -= k;                      // the lead's sequence is not complete yet
      break;
    }
    if (end <= from) return { text: '', next: from };
    return { text: decodeUtf8(out.slice(from, end)), next: end };
  }
  get truncated(): boolean { return this.dropped > 0; }

  private update(): void {
    const want = (this.ctrl & 1) === 1 && this.input.length > 0;
    if (want !== this.lineUp) { this.lineUp = want; this.ctx.irq.setLine(this.irqCpu, IRQ.console, want); }
  }
  private lower(): void { if (this.lineUp) { this.lineUp = false; this.ctx.irq.setLine(this.irqCpu, IRQ.console, false); } }

  getState(): ConsoleState { return { out: this.out.slice(), dropped: this.dropped, input: this.input.slice(), ctrl: this.ctrl, irqCpu: this.irqCpu }; }
  setState(s: unknown): void {
    const st = s as ConsoleState;
    this.lower();
    this.out = st.out.slice(); this.dropped = st.dropped; this.input = st.input.slice(); this.ctrl = st.ctrl; this.irqCpu = st.irqCpu;
    this.update();
  }
}

/** Minimal UTF-8 decoder (core has no TextDecoder in its lib). */
export function decodeUtf8(b: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < b.length;) {
    const c = b[i];
    let cp = 0xfffd, n = 1;
    if (c < 0x80) { cp = c; }
    else if (c >= 0xc2 && c < 0xe0 && i + 1 < b.length && (b[i + 1] & 0xc0) === 0x80) { cp = ((c & 0x1f) << 6) | (b[i + 1] & 0x3f); n = 2; }
    else if (c >= 0xe0 && c < 0xf0 && i + 2 < b.length && (b[i + 1] & 0xc0) === 0x80 && (b[i + 2] & 0xc0) === 0x80) {
      const v = ((c & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f);
      if (v >= 0x800 && (v < 0xd800 || v > 0xdfff)) { cp = v; n = 3; }
    } else if (c >= 0xf0 && c < 0xf5 && i + 3 < b.length && (b[i + 1] & 0xc0) === 0x80 && (b[i + 2] & 0xc0) === 0x80 && (b[i + 3] & 0xc0) === 0x80) {
      const v = ((c & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f);
      if (v >= 0x10000 && v <= 0x10ffff) { cp = v; n = 4; }
    }
    s += String.fromCodePoint(cp);
    i += n;
  }
  return s;
}
