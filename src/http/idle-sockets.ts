/**
 * Closing the server promptly. Node's `server.close()` keeps waiting for keep-alive connections it still counts
 * as active after a hijacked response (streamed chat and the MCP endpoints answer on `reply.raw`) until the client
 * drops them (~4 s for undici's keep-alive, a minute or more for other clients). So Gatehouse keeps its own count
 * of responses in progress per socket: when the app closes, sockets with none are destroyed at once, and a socket
 * still streaming is ended as soon as its response is done. Requests in flight are never cut.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export function trackIdleSockets(server: Server): { destroyIdle(): void } {
  /** Every open socket and how many of its responses are in progress. */
  const inProgress = new Map<Socket, number>();
  let closing = false;
  server.on('connection', (socket: Socket) => {
    inProgress.set(socket, 0);
    socket.once('close', () => inProgress.delete(socket));
  });
  server.on('request', (request, response) => {
    const socket: Socket = request.socket;
    inProgress.set(socket, (inProgress.get(socket) ?? 0) + 1);
    response.once('close', () => {
      const left = (inProgress.get(socket) ?? 1) - 1;
      if (!inProgress.has(socket)) return;
      inProgress.set(socket, left);
      // end(), not destroy(): the response's last bytes may still be queued on the socket.
      if (closing && left === 0) socket.end();
    });
  });
  return {
    destroyIdle() {
      closing = true;
      for (const [socket, responses] of inProgress) if (responses === 0) socket.destroy();
    },
  };
}
