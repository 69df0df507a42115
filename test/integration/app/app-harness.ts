// AppService on a simulated device in Node: fake-indexeddb for the chat and key databases
// (a fresh crypto api per start, as a page reload gives a fresh worker), the real server,
// and `ws` as the WebSocket a browser would have. No WebRTC: one person per room at a time.
import WebSocket from 'ws';
import { AppService, type IncomingAlert } from '../../../client/app/app-service';
import { DeviceVault } from '../../../client/app/device/vault';
import { ServerApi } from '../../../client/core/server-api';
import { testDevice, type TestDevice } from '../../unit/app/device/vault-harness';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

export interface AppDevice {
  device: TestDevice;
  /** Keeps the session cookie across starts, like a browser profile. */
  server: ServerApi;
  alerts: IncomingAlert[];
  /** A page load: a new AppService (and worker) on this device's storage. */
  start(options?: { offline?: boolean }): Promise<AppService>;
  destroy(): Promise<void>;
}

export function appDevice(serverUrl: string): AppDevice {
  const device = testDevice();
  const server = new ServerApi({ baseUrl: serverUrl });
  // Port 9 on loopback: nothing listens, so every call fails as it does offline.
  const unreachable = new ServerApi({ baseUrl: 'http://127.0.0.1:9' });
  const started: AppService[] = [];
  const alerts: IncomingAlert[] = [];
  return {
    device,
    server,
    alerts,
    async start(options = {}) {
      const crypto = device.worker();
      const app = new AppService({
        crypto,
        openVault: () => DeviceVault.open(crypto, { dbName: device.dbName }),
        server: options.offline ? unreachable : server,
        origin: serverUrl,
        startLink: null,
        startRoomId: null,
        online: () => !options.offline,
        alert: (alert) => alerts.push(alert),
      });
      await app.start();
      started.push(app);
      return app;
    },
    async destroy() {
      await Promise.all(started.map((app) => app.dispose().catch(() => undefined)));
      await device.destroy();
    },
  };
}
