/**
 * Closing the server promptly. Node's `server.close()` keeps waiting for keep-alive connections it still counts
 * as active after a hijacked response (the MCP endpoints answer on `reply.raw`) until the client drops them
 * (~4 s for undici's keep-alive, sometimes far longer). Sockets with no response in progress are idle whatever
 * that bookkeeping says: they are destroyed when the app closes. Requests still in flight are left to finish.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export function trackIdleSockets(server: Server): { destroyIdle(): void } {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return {
    destroyIdle() {
      for (const socket of sockets) {
        // `_httpMessage` is the ServerResponse being written on this socket (none between requests).
        if ((socket as Socket & { _httpMessage?: unknown })._httpMessage == null) socket.destroy();
      }
    },
  };
}
