/** Counters for tests, the admin API and the benchmark; they never hold payloads. */
export interface RelayStats {
  admitted: number;
  refusedUpgrades: number;
  published: number;
  delivered: number;
  invalidFrames: number;
  foreignTopicFrames: number;
  droppedFrames: number;
  rateLimitCloses: number;
  slowConsumersDropped: number;
  heartbeatDrops: number;
}

export function emptyStats(): RelayStats {
  return {
    admitted: 0,
    refusedUpgrades: 0,
    published: 0,
    delivered: 0,
    invalidFrames: 0,
    foreignTopicFrames: 0,
    droppedFrames: 0,
    rateLimitCloses: 0,
    slowConsumersDropped: 0,
    heartbeatDrops: 0,
  };
}
