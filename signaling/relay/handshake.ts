import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import proxyaddr from 'proxy-addr';

/** The parts of the server config the handshake needs. */
export interface HandshakeConfig {
  allowedOrigins: string[];
  trustProxy: boolean | string;
}

/** Express's `trust proxy` semantics, so the relay sees the same client IP as the HTTP routes. */
export function compileTrust(trustProxy: boolean | string): (addr: string, hop: number) => boolean {
  if (trustProxy === true) return () => true;
  if (trustProxy === false || trustProxy === '') return () => false;
  if (/^\d+$/.test(trustProxy)) {
    const hops = Number(trustProxy);
    return (_addr, hop) => hop < hops;
  }
  return proxyaddr.compile(trustProxy.split(',').map((part) => part.trim()));
}

export function clientIp(
  req: IncomingMessage,
  trust: (addr: string, hop: number) => boolean,
): string {
  try {
    return proxyaddr(req, trust);
  } catch {
    return req.socket.remoteAddress ?? 'unknown';
  }
}

/** The scheme the browser used, honouring X-Forwarded-Proto only behind a trusted proxy. */
function requestScheme(
  req: IncomingMessage,
  overTls: boolean,
  trustsProxy: boolean,
): 'http' | 'https' {
  if (trustsProxy) {
    const forwarded = req.headers['x-forwarded-proto'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first === 'https' || first === 'http') return first;
  }
  return overTls ? 'https' : 'http';
}

/**
 * Same origin (scheme and host equal to the request's) or explicitly allowed. Node
 * clients and the CLI send no Origin and are allowed: the Origin check defends browsers
 * against cross-site WebSocket hijacking, and a non-browser client has to hold a valid
 * ticket anyway.
 */
export function isOriginAllowed(
  req: IncomingMessage,
  config: HandshakeConfig,
  overTls: boolean,
): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (config.allowedOrigins.some((allowed) => sameOrigin(allowed, parsed))) return true;
  const scheme = requestScheme(req, overTls, config.trustProxy !== false);
  return parsed.protocol === `${scheme}:` && parsed.host === req.headers.host;
}

function sameOrigin(allowed: string, origin: URL): boolean {
  try {
    return new URL(allowed).origin === origin.origin;
  } catch {
    return false;
  }
}

/** The ticket from `/signal?ticket=...`, or null when the path is not ours or no ticket is given. */
export function readSignalUrl(req: IncomingMessage): {
  isSignalPath: boolean;
  ticket: string | null;
} {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://relay.invalid');
  } catch {
    return { isSignalPath: false, ticket: null };
  }
  const ticket = url.searchParams.get('ticket');
  return {
    isSignalPath: url.pathname === '/signal',
    ticket: ticket && ticket.length <= 4096 ? ticket : null,
  };
}

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  410: 'Gone',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/** Answers a refused upgrade with a plain HTTP error in the API's error shape, then hangs up. */
export function refuseUpgrade(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
      body,
  );
}
