import type { Relay } from '../relay/relay';
import type { Services } from '../services';
import type { Limiters } from './rate-limits';

/** What every route module gets. The relay attaches after the app exists, hence a getter. */
export interface RouteDeps {
  services: Services;
  limiters: Limiters;
  relay: () => Relay;
}
