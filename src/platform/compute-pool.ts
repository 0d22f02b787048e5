// Pure, CPU-bound work on worker threads. The event loop of a server or a close is one thread:
// what it computes, it does not also send to the database. A pool runs one exported function of
// a module on `size` threads, one call per thread at a time, and hands each call back as a
// promise. Inputs and results travel by structured clone, so they should be plain data, best of
// all strings. A thread that fails a call goes on with the next; a thread that dies is replaced
// and its call fails with the reason.
import { Worker } from "node:worker_threads";

export interface ComputePoolOptions {
  /** The module whose export runs on the threads (a file URL; TypeScript is loaded through tsx). */
  module: URL;
  /** The export to call with each input. */
  exportName: string;
  size: number;
}

interface Call {
  input: unknown;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  call: Call | null;
  /** The module loaded: the thread said so before its first answer. */
  ready: boolean;
}

type Reply = { ready: true } | { ok: true; value: unknown } | { ok: false; message: string; stack?: string };

const BOOTSTRAP = new URL("./compute-worker.mjs", import.meta.url);

export class ComputePool<Input, Output> {
  private readonly slots: Slot[] = [];
  private readonly waiting: Call[] = [];
  private closed = false;
  /** Set when a thread could not even load the module: every call fails with it from then on. */
  private broken: Error | null = null;

  constructor(private readonly options: ComputePoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new Error(`a compute pool needs at least one thread, not ${options.size}`);
    for (let index = 0; index < options.size; index += 1) this.slots.push(this.spawn());
  }

  get size(): number {
    return this.slots.length;
  }

  run(input: Input): Promise<Output> {
    if (this.closed) return Promise.reject(new Error("the compute pool is closed"));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<Output>((resolve, reject) => {
      this.waiting.push({ input, resolve: resolve as (value: unknown) => void, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const call of this.waiting.splice(0)) call.reject(new Error("the compute pool closed before the call ran"));
    for (const slot of this.slots) {
      slot.call?.reject(new Error("the compute pool closed while the call ran"));
      slot.call = null;
    }
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(): Slot {
    // No inherited flags: the bootstrap registers tsx itself, and a profiler or loader flag of
    // the parent process does not belong on every thread.
    const worker = new Worker(BOOTSTRAP, { workerData: { module: this.options.module.href, exportName: this.options.exportName }, execArgv: [] });
    // An idle thread does not keep the process alive; a busy one does (see dispatch).
    worker.unref();
    const slot: Slot = { worker, call: null, ready: false };
    worker.on("message", (reply: Reply) => {
      if ("ready" in reply) {
        slot.ready = true;
        return;
      }
      const call = slot.call;
      slot.call = null;
      worker.unref();
      if (call) {
        if (reply.ok) call.resolve(reply.value);
        else call.reject(Object.assign(new Error(reply.message), reply.stack ? { stack: reply.stack } : {}));
      }
      this.dispatch();
    });
    const replace = (error: Error) => {
      const call = slot.call;
      slot.call = null;
      call?.reject(error);
      if (this.closed) return;
      if (!slot.ready) {
        // The module does not load: a new thread would fail the same way.
        this.broken = error;
        for (const waiting of this.waiting.splice(0)) waiting.reject(error);
        return;
      }
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots[index] = this.spawn();
      this.dispatch();
    };
    worker.on("error", replace);
    worker.on("exit", (code) => {
      if (!this.closed && this.slots.includes(slot)) replace(new Error(`a compute thread exited with code ${code}`));
    });
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.waiting.length === 0) return;
      if (slot.call) continue;
      const call = this.waiting.shift() as Call;
      slot.call = call;
      slot.worker.ref();
      slot.worker.postMessage(call.input);
    }
  }
}
