/**
 * Knobs of the relay. The defaults suit production; tests shrink the timers and limits so
 * they can observe heartbeats, throttling and slow-consumer drops without long waits.
 */
export interface RelayTuning {
  /** How often the server pings every socket; a socket that missed the previous ping is dropped. */
  heartbeatIntervalMs: number;
  /** A receiver with more than this many bytes queued is a slow consumer and is dropped. */
  maxBufferedBytes: number;
  /** After closing a slow consumer politely, it is destroyed if it hasn't gone within this time. */
  slowConsumerGraceMs: number;
  /** Frame budget per connection: `connectionPoints` per `windowSeconds`. */
  connectionPoints: number;
  /** Frame budget per user across all of their connections (tabs, devices). */
  userPoints: number;
  windowSeconds: number;
  /**
   * One point per frame plus one per this many bytes, so big frames cost more than small
   * ones: a flooder sending 64 KiB frames runs out five times sooner.
   */
  bytesPerExtraPoint: number;
  /** Frames a throttled connection may still send (all dropped) in one window before it is closed with 4029. */
  droppedFramesBeforeClose: number;
  /** Open sockets one account may hold at once (tabs x rooms x devices); more are refused with 429. */
  maxConnectionsPerUser: number;
  /** The most security-log entries of one kind per source (IP or connection) per minute. */
  securityEventsPerMinute: number;
}

// NOTE: y-webrtc sends one `announce` per room and, per peer, one offer or answer plus
// about 5-20 trickled ICE candidates. Someone joining a full room (16 peers) sends about
// 15 * 12 = 180 frames within a few seconds, so 200 frames per 10 s per connection lets
// that through while stopping a flooder within the first window.
export const DEFAULT_RELAY_TUNING: RelayTuning = {
  heartbeatIntervalMs: 30_000,
  maxBufferedBytes: 1024 * 1024,
  slowConsumerGraceMs: 2_000,
  connectionPoints: 200,
  userPoints: 400,
  windowSeconds: 10,
  bytesPerExtraPoint: 16 * 1024,
  droppedFramesBeforeClose: 50,
  securityEventsPerMinute: 10,
  maxConnectionsPerUser: 32,
};
