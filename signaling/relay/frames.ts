import { SignalClientFrame } from '../protocol';

/** A frame that is not JSON or fails the protocol schema; the socket is closed with 1007. */
export class InvalidFrameError extends Error {
  override name = 'InvalidFrameError';
  constructor(readonly reason: 'binary' | 'json' | 'schema') {
    super(`invalid signaling frame (${reason})`);
  }
}

export interface DecodedFrame {
  frame: SignalClientFrame;
  /** The frame's exact text, so a publish can be relayed byte for byte. */
  text: string;
}

/**
 * Parses one WebSocket message. y-webrtc only ever sends text frames, so a binary frame
 * is as invalid as broken JSON (y-webrtc's own server would parse it, but nothing
 * legitimate sends one).
 */
export function decodeFrame(data: Buffer, isBinary: boolean): DecodedFrame {
  if (isBinary) throw new InvalidFrameError('binary');
  const text = data.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidFrameError('json');
  }
  const parsed = SignalClientFrame.safeParse(json);
  if (!parsed.success) throw new InvalidFrameError('schema');
  return { frame: parsed.data, text };
}

/**
 * The publish frame as receivers get it: the sender's JSON untouched, with y-webrtc's
 * `clients` count appended as the last member (so it wins over any `clients` the sender
 * put in, exactly like y-webrtc's server overwriting the property). Built once per
 * publish, not once per receiver.
 */
export function publishWithClients(text: string, clients: number): Buffer {
  const end = text.lastIndexOf('}');
  return Buffer.from(`${text.slice(0, end)},"clients":${clients}}`, 'utf8');
}
