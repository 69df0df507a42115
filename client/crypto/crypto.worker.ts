// The browser's crypto worker: one api object, exposed over Comlink. Nothing else runs
// here, so there is no protocol code at the boundary (STYLE.md).
import { expose } from 'comlink';
import { createCryptoApi } from './api';

const api = createCryptoApi();
expose(api);

export type CryptoApi = typeof api;
