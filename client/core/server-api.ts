// The signaling server's HTTP API, as the client calls it. In browsers the session cookie
// is HttpOnly and travels by itself (`credentials: 'include'`); in Node there is no cookie
// jar, so this class keeps the `sid` cookie it was given and sends it back.
import {
  AdmitResponse,
  ApiError,
  CreateRoomResponse,
  IceResponse,
  MeResponse,
} from '../../signaling/protocol';
import type { CreateRoomRequest } from '../../signaling/protocol';

/** The server said no: `message` is the server's own words, written for a person. */
export class ServerError extends Error {
  override name = 'ServerError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The server could not be reached at all (refused, reset, DNS, timeout). */
export class NetworkError extends Error {
  override name = 'NetworkError';
}

export interface ServerApiOptions {
  /** e.g. `http://127.0.0.1:8080` (no trailing slash needed). */
  baseUrl: string;
  fetch?: typeof fetch;
  /** Where /signal lives when not on the API's host (a separate relay); ws:// or wss://. */
  wsBase?: string;
}

export type CreateRoomBody = CreateRoomRequest;

export class ServerApi {
  readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly wsBaseOverride: string | undefined;
  /** Node only: the `sid=...` pair from the last login. Never logged. */
  private cookie: string | null = null;

  constructor(options: ServerApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.wsBaseOverride = options.wsBase?.replace(/\/+$/, '');
  }

  /** `ws://HOST` or `wss://HOST` for the same server. */
  get wsBase(): string {
    return this.wsBaseOverride ?? this.baseUrl.replace(/^http/, 'ws');
  }

  async register(username: string, password: string): Promise<void> {
    await this.call('POST', '/api/register', { username, password });
  }

  async login(username: string, password: string): Promise<void> {
    await this.call('POST', '/api/login', { username, password });
  }

  async logout(): Promise<void> {
    await this.call('POST', '/api/logout');
    this.cookie = null;
  }

  /** Needs the current password; the server then signs every session out, this one too. */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await this.call('PUT', '/api/me/password', { currentPassword, newPassword });
    this.cookie = null;
  }

  /** Deletes the signed-in account (its password is required) and signs out. */
  async deleteAccount(password: string): Promise<void> {
    await this.call('DELETE', '/api/me', { password });
    this.cookie = null;
  }

  /** "Forgot password": the server answers the same whether or not the account exists. */
  async requestPasswordReset(username: string): Promise<void> {
    await this.call('POST', '/api/password-reset/request', { username });
  }

  /** Sets a new password with the code from the reset mail; every session is signed out. */
  async confirmPasswordReset(token: string, password: string): Promise<void> {
    await this.call('POST', '/api/password-reset/confirm', { token, password });
  }

  /** The signed-in user, or null when the session is missing or expired. */
  async me(): Promise<MeResponse | null> {
    try {
      return MeResponse.parse(await this.call('GET', '/api/me'));
    } catch (error) {
      if (error instanceof ServerError && error.status === 401) return null;
      throw error;
    }
  }

  async createRoom(body: CreateRoomBody): Promise<{ id: string }> {
    return CreateRoomResponse.parse(await this.call('POST', '/api/rooms', body));
  }

  async admit(roomId: string, body: { admit: string; password?: string }): Promise<AdmitResponse> {
    return AdmitResponse.parse(
      await this.call('POST', `/api/rooms/${encodeURIComponent(roomId)}/admit`, body),
    );
  }

  async kick(roomId: string, username: string): Promise<void> {
    await this.call('POST', `/api/rooms/${encodeURIComponent(roomId)}/kick`, { user: username });
  }

  async ban(roomId: string, username: string): Promise<void> {
    await this.call('POST', `/api/rooms/${encodeURIComponent(roomId)}/ban`, { user: username });
  }

  async unban(roomId: string, username: string): Promise<void> {
    await this.call('POST', `/api/rooms/${encodeURIComponent(roomId)}/unban`, { user: username });
  }

  async closeRoom(roomId: string): Promise<void> {
    await this.call('POST', `/api/rooms/${encodeURIComponent(roomId)}/close`);
  }

  async ice(): Promise<IceResponse> {
    return IceResponse.parse(await this.call('GET', '/api/ice'));
  }

  /** For Node's `ws`: the headers a WebSocket upgrade should carry (cookie), if any. */
  authHeaders(): Record<string, string> {
    return this.cookie ? { cookie: this.cookie } : {};
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    let response: Response;
    try {
      response = await this.fetchImpl(this.baseUrl + path, {
        method,
        headers,
        credentials: 'include',
        redirect: 'manual',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (error) {
      throw new NetworkError(
        `Could not reach the server at ${this.baseUrl}: ${(error as Error).message}`,
      );
    }
    this.rememberCookie(response);
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    if (!response.ok) {
      const error = ApiError.safeParse(parsed);
      if (error.success) {
        throw new ServerError(response.status, error.data.error.code, error.data.error.message);
      }
      throw new ServerError(
        response.status,
        'http_' + response.status,
        `The server answered ${response.status} ${response.statusText}.`,
      );
    }
    return parsed;
  }

  private rememberCookie(response: Response): void {
    // NOTE: browsers hide Set-Cookie from scripts; there the cookie jar does the work.
    const setCookie = response.headers.get('set-cookie');
    if (!setCookie) return;
    const pair = setCookie.split(';')[0]!.trim();
    const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
    if (name !== 'sid') return;
    this.cookie = value ? pair : null;
  }
}
