import { createServer } from "node:net";

/** A loopback port nothing listens on now (bound, then released): for a server a test starts, or one that must refuse. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((ok) => srv.listen(0, "127.0.0.1", ok));
  const port = (srv.address() as { port: number }).port;
  await new Promise((ok) => srv.close(ok));
  return port;
}
