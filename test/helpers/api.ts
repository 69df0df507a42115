// Small typed HTTP helpers: what a client does, in one line each.
import { createHash, randomBytes } from 'node:crypto';
import type { AdmitResponse, CreateRoomRequest, MeResponse } from '../../signaling/protocol';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export class ApiCallError extends Error {
  override name = 'ApiCallError';

  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} failed with ${status}: ${JSON.stringify(body)}`);
  }
}

/** A fresh room key: `admit` = base64url(K_admit), `verifier` = base64url(SHA-256(K_admit)). */
export function roomKey(): { admit: string; verifier: string } {
  const kAdmit = randomBytes(32);
  return {
    admit: kAdmit.toString('base64url'),
    verifier: createHash('sha256').update(kAdmit).digest('base64url'),
  };
}

export const TEST_PASSWORD = 'correct horse battery staple';

export function api(baseUrl: string) {
  async function request<T = unknown>(
    method: string,
    path: string,
    options: {
      cookie?: string;
      json?: unknown;
      body?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.cookie) headers.cookie = options.cookie;
    let body = options.body;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const response = await fetch(baseUrl + path, { method, headers, body, redirect: 'manual' });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: the caller asserts on the raw text.
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  function expectStatus<T>(response: ApiResponse<T>, status: number, what: string): T {
    if (response.status !== status) throw new ApiCallError(response.status, response.body, what);
    return response.body;
  }

  async function register(username: string, password = TEST_PASSWORD): Promise<MeResponse> {
    return expectStatus(
      await request<MeResponse>('POST', '/api/register', { json: { username, password } }),
      201,
      'register',
    );
  }

  /** Logs in and returns the cookie header value to send back (`sid=...`). */
  async function login(username: string, password = TEST_PASSWORD): Promise<string> {
    const response = await request('POST', '/api/login', { json: { username, password } });
    expectStatus(response, 200, 'login');
    const setCookie = response.headers.get('set-cookie') ?? '';
    return setCookie.split(';')[0]!;
  }

  /** Registers and logs in: the cookie of a brand-new user. */
  async function signUp(username: string, password = TEST_PASSWORD): Promise<string> {
    await register(username, password);
    return login(username, password);
  }

  async function createRoom(cookie: string, room: CreateRoomRequest): Promise<string> {
    const body = expectStatus(
      await request<{ id: string }>('POST', '/api/rooms', { cookie, json: room }),
      201,
      'create room',
    );
    return body.id;
  }

  async function admitFull(
    cookie: string,
    roomId: string,
    input: { admit: string; password?: string },
  ): Promise<AdmitResponse> {
    return expectStatus(
      await request<AdmitResponse>('POST', `/api/rooms/${roomId}/admit`, { cookie, json: input }),
      200,
      'admit',
    );
  }

  /** The ticket for `/signal?ticket=...`. */
  async function admit(
    cookie: string,
    roomId: string,
    input: { admit: string; password?: string },
  ): Promise<string> {
    return (await admitFull(cookie, roomId, input)).ticket;
  }

  return { request, register, login, signUp, createRoom, admit, admitFull };
}

export type Api = ReturnType<typeof api>;
