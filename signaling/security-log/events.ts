// What the security log records (DESIGN.md section 9): auth events, admissions and
// refusals, rate-limit hits, moderation, admin acts. Details never hold secrets.

export type SecurityEventType =
  | 'auth.registered'
  | 'auth.login'
  | 'auth.login_failed'
  | 'auth.logout'
  | 'auth.rate_limited'
  | 'auth.hash_upgraded'
  | 'auth.password_reset_requested'
  | 'auth.password_reset_issued'
  | 'auth.password_reset_completed'
  | 'auth.password_reset_failed'
  | 'auth.keys_published'
  | 'auth.password_changed'
  | 'auth.account_deleted'
  | 'http.ip_banned_request'
  | 'room.created'
  | 'room.admitted'
  | 'room.refused'
  | 'room.rate_limited'
  | 'room.kicked'
  | 'room.banned'
  | 'room.unbanned'
  | 'room.closed'
  | 'admin.created'
  | 'admin.user_banned'
  | 'admin.user_unbanned'
  | 'admin.ip_banned'
  | 'admin.ip_unbanned'
  | 'admin.reset_token_issued'
  | 'ws.refused'
  | 'ws.admitted'
  | 'ws.rate_limited'
  | 'ws.invalid_frame'
  | 'ws.kicked'
  | 'ws.slow_consumer'
  | 'ws.ticket_expired';

export type SecurityDetails = Record<string, string | number | boolean | null>;

export interface SecurityEvent {
  seq: number;
  ts: number;
  type: SecurityEventType;
  details: SecurityDetails;
}

const MAX_DETAIL_LENGTH = 256;
// C0/C1 controls plus the bidi overrides that make a log line lie about its content.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Names come from users: a username with control characters (a fake newline, a terminal
 * escape, a bidi override) is stored encoded as `\u{..}` so it reads as what it is.
 */
export function encodeUnsafeText(text: string): string {
  const encoded = text.replace(UNSAFE_CHARS, (char) => `\\u{${char.codePointAt(0)!.toString(16)}}`);
  return encoded.length > MAX_DETAIL_LENGTH ? encoded.slice(0, MAX_DETAIL_LENGTH) + '…' : encoded;
}

export function sanitizeDetails(details: SecurityDetails): SecurityDetails {
  const out: SecurityDetails = {};
  for (const [key, value] of Object.entries(details)) {
    out[encodeUnsafeText(key)] = typeof value === 'string' ? encodeUnsafeText(value) : value;
  }
  return out;
}
