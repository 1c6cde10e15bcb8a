import { fork, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import type { WorkerCommand, WorkerEvent } from "./worker";

/** A forked load-generator process and a queue of what it reported. */
export class LoadWorker {
  private readonly child: ChildProcess;
  private readonly events: WorkerEvent[] = [];
  private waiting: ((event: WorkerEvent) => void) | null = null;
  private exited = false;

  constructor() {
    this.child = fork(resolve("tests/bench/collab/worker.ts"), [], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.child.on("message", (event: WorkerEvent) => {
      if (this.waiting) {
        const waiting = this.waiting;
        this.waiting = null;
        waiting(event);
      } else this.events.push(event);
    });
    this.child.on("exit", () => {
      this.exited = true;
      this.waiting?.({ ev: "error", message: "le générateur de charge s'est arrêté" });
    });
  }

  send(command: WorkerCommand) {
    this.child.send(command);
  }

  /** The next event, which must be `ev` (an error event or a 120 s silence throws). */
  async next<E extends WorkerEvent["ev"]>(ev: E): Promise<Extract<WorkerEvent, { ev: E }>> {
    const event =
      this.events.shift() ??
      (this.exited
        ? ({ ev: "error", message: "le générateur de charge s'est arrêté" } as const)
        : await new Promise<WorkerEvent>((done) => {
            const timer = setTimeout(() => done({ ev: "error", message: `pas de « ${ev} » en 120 s` }), 120_000);
            this.waiting = (e) => {
              clearTimeout(timer);
              done(e);
            };
          }));
    if (event.ev === "error") throw new Error(`générateur de charge : ${event.message}`);
    if (event.ev !== ev) throw new Error(`générateur de charge : « ${ev} » attendu, « ${event.ev} » reçu`);
    return event as Extract<WorkerEvent, { ev: E }>;
  }

  async close(): Promise<Record<string, number>> {
    if (this.exited) return {};
    this.send({ cmd: "close" });
    const { closeCodes } = await this.next("closed");
    return closeCodes;
  }

  kill() {
    if (!this.exited) this.child.kill("SIGKILL");
  }
}
