// Simulates a full disk in fake-indexeddb the way browsers report one: the requests of a
// read-write transaction succeed, then committing it fails, the transaction aborts with a
// QuotaExceededError and every write it made is rolled back. (fake-indexeddb has no quota,
// so this hooks the point where it would commit.)
import 'fake-indexeddb/auto';

interface InternalTransaction {
  mode: string;
  error: DOMException | null;
  _rollbackLog: unknown[];
  _abort(errName: string | null): void;
  _markFinished(): void;
  __aborting?: boolean;
}

const proto = IDBTransaction.prototype as unknown as InternalTransaction;
const originalAbort = proto._abort;
const originalFinish = proto._markFinished;
let full = false;

proto._abort = function (this: InternalTransaction, errName) {
  this.__aborting = true;
  originalAbort.call(this, errName);
};

proto._markFinished = function (this: InternalTransaction) {
  const committingWrites =
    full && this.mode === 'readwrite' && !this.__aborting && this._rollbackLog.length > 0;
  if (committingWrites) {
    this._abort('QuotaExceededError'); // rolls back, then finishes through here again
    return;
  }
  originalFinish.call(this);
};

/** While on, every read-write transaction that wrote something fails to commit. */
export function setDiskFull(on: boolean): void {
  full = on;
}
