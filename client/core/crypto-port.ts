// The crypto api as core sees it: either the api object itself (tests, Node) or a Comlink
// proxy to the worker. Every call is awaited, so both fit.
import type { CryptoApi } from '../crypto/api';

type AnyFunction = (...args: never[]) => unknown;

export type CryptoPort = {
  [K in keyof CryptoApi]: CryptoApi[K] extends AnyFunction
    ? (
        ...args: Parameters<CryptoApi[K]>
      ) => Promise<Awaited<ReturnType<CryptoApi[K]>>> | ReturnType<CryptoApi[K]>
    : never;
};

export type PortIdentityInfo = Awaited<ReturnType<CryptoApi['createIdentity']>>;
