/**
 * Loopback helpers shared by the suites that run real servers: a port to start one on, and a poll for
 * a condition that holds a little later.
 */
import { once } from 'node:events';
import { type AddressInfo, createServer as createNetServer } from 'node:net';

/** A loopback port that was free a moment ago (for a server that starts later, on a known port). */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `check` every 25 ms until it holds, for at most `timeoutMs`; resolves with its last result. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}
