/**
 * A real Redis for queue tests: Debian's redis-server on a free 127.0.0.1 port, no persistence,
 * stopped after the tests. Tests using it skip loudly when redis-server is absent (.ci/run installs it).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { freePort } from "./free-port.ts";

export const hasRedis: boolean = (() => {
  const ok = spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
  if (!ok) console.warn("redis-server not found (Debian redis-server): queue tests are SKIPPED");
  return ok;
})();

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server on port ${port} not ready after 10 s`)), 10_000);
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on("exit", (code) => reject(new Error(`redis-server exited (${code})`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
