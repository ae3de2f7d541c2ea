// A scripted Debug Adapter Protocol client for tests: the adapter in-process over streams.
import { PassThrough } from 'node:stream';
import { DapAdapter } from '../../../src/main/dap/adapter';

export interface Msg { seq: number; type: string; command?: string; event?: string; success?: boolean; message?: string; request_seq?: number; body?: any }

export class DapClient {
  readonly toAdapter = new PassThrough();
  readonly fromAdapter = new PassThrough();
  readonly messages: Msg[] = [];
  private waiters: { pred: (m: Msg) => boolean; done: (m: Msg) => void }[] = [];
  private buf = Buffer.alloc(0);
  private seq = 1;
  exitCode: number | undefined;

  constructor(cwd: string) {
    new DapAdapter(this.toAdapter, this.fromAdapter, { cwd, onExit: (c) => { this.exitCode = c; } });
    this.fromAdapter.on('data', (c: Buffer) => this.feed(c));
  }

  private feed(c: Buffer): void {
    this.buf = Buffer.concat([this.buf, c]);
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const len = Number(/Content-Length: (\d+)/.exec(this.buf.subarray(0, end).toString())![1]);
      if (this.buf.length < end + 4 + len) return;
      const m = JSON.parse(this.buf.subarray(end + 4, end + 4 + len).toString()) as Msg;
      this.buf = this.buf.subarray(end + 4 + len);
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => { if (w.pred(m)) { w.done(m); return false; } return true; });
    }
  }

  raw(text: string): void { this.toAdapter.write(text); }

  send(command: string, args?: unknown): number {
    const seq = this.seq++;
    const body = JSON.stringify({ seq, type: 'request', command, arguments: args });
    this.toAdapter.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    return seq;
  }

  wait(pred: (m: Msg) => boolean, timeoutMs = 120_000): Promise<Msg> {
    const seen = this.messages.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((done, fail) => {
      const t = setTimeout(() => fail(new Error(`no such message; got ${JSON.stringify(this.messages.slice(-5))}`)), timeoutMs);
      this.waiters.push({ pred, done: (m) => { clearTimeout(t); done(m); } });
    });
  }

  /** Sends a request and waits for its response. */
  async request(command: string, args?: unknown): Promise<Msg> {
    const seq = this.send(command, args);
    return this.wait((m) => m.type === 'response' && m.request_seq === seq);
  }

  /** The next event named `event` after the `n`-th message. */
  nextEvent(event: string, after: number): Promise<Msg> {
    return this.wait((m) => m.type === 'event' && m.event === event && this.messages.indexOf(m) >= after);
  }
}
