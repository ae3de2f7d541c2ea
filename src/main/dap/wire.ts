/**
 * Debug Adapter Protocol framing: `Content-Length: N\r\n\r\n` + N bytes of UTF-8 JSON, both ways
 * (https://microsoft.github.io/debug-adapter-protocol/overview#base-protocol). The reader copes
 * with messages split over chunks and several messages in one chunk; a header without a length
 * or a body that is not JSON is reported (`onBad`) and skipped, never a crash.
 */
import type { Readable, Writable } from 'node:stream';

export interface DapMessage { seq: number; type: 'request' | 'response' | 'event'; [k: string]: unknown }

/** Most bytes one message may have (a readMemory response of 1 MiB in base64, with room). */
export const MAX_MESSAGE = 4 << 20;

export class DapWire {
  private buf: Buffer = Buffer.alloc(0);
  private seq = 1;

  constructor(
    input: Readable,
    private readonly output: Writable,
    private readonly onMessage: (m: DapMessage) => void,
    private readonly onBad: (why: string) => void,
  ) {
    input.on('data', (chunk: Buffer | string) => this.feed(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
  }

  private feed(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (this.buf.length > 8192) { this.onBad('a header longer than 8 KiB'); this.buf = Buffer.alloc(0); }
        return;
      }
      const header = this.buf.subarray(0, end).toString('latin1');
      const m = /(?:^|\r\n)content-length:\s*(\d+)\s*(?:\r\n|$)/i.exec(header);
      if (!m) { this.onBad(`a header without Content-Length: ${JSON.stringify(header.slice(0, 80))}`); this.buf = this.buf.subarray(end + 4); continue; }
      const len = Number(m[1]);
      if (len > MAX_MESSAGE) { this.onBad(`a message of ${len} bytes (at most ${MAX_MESSAGE})`); this.buf = Buffer.alloc(0); return; }
      if (this.buf.length < end + 4 + len) return;
      const body = this.buf.subarray(end + 4, end + 4 + len).toString('utf8');
      this.buf = this.buf.subarray(end + 4 + len);
      let msg: unknown;
      try { msg = JSON.parse(body); } catch { this.onBad(`a body that is not JSON: ${JSON.stringify(body.slice(0, 80))}`); continue; }
      if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) { this.onBad('a body that is not a JSON object'); continue; }
      this.onMessage(msg as DapMessage);
    }
  }

  send(m: Omit<DapMessage, 'seq'>): void {
    const body = Buffer.from(JSON.stringify({ seq: this.seq++, ...m }), 'utf8');
    this.output.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.output.write(body);
  }

  response(req: DapMessage, body?: unknown): void {
    this.send({ type: 'response', request_seq: req.seq, success: true, command: req.command, ...(body !== undefined && { body }) });
  }

  error(req: DapMessage | undefined, message: string): void {
    this.send({ type: 'response', request_seq: req?.seq ?? 0, success: false, command: req?.command ?? 'unknown', message, body: { error: { id: 1, format: message } } });
  }

  event(event: string, body?: unknown): void {
    this.send({ type: 'event', event, ...(body !== undefined && { body }) });
  }
}
