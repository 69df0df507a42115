// Persisting a room's secrets so a stored room can be reopened without its link: the link
// secret (epoch 0) and every later epoch secret a room handle holds, sealed under the
// device data key (sealed-record.ts) with the room id as the record's public context.
//
// Plaintext: one 40-byte entry per epoch: epoch (u64 BE) || secret (32).
import { transfer } from 'comlink';
import { RoomId } from '../../../signaling/protocol';
import { EPOCH_SECRET_LENGTH } from '../key-schedule';
import { concatBytes, u64be } from '../primitives/bytes';
import { failure, success, type Result } from '../result';
import type { HandleStore } from './handles';
import type { RoomEntry } from './rooms';
import { openSealedRecord, sealRecord } from './sealed-record';
import type { StorageEntry } from './storage';

const ENTRY_LENGTH = 8 + EPOCH_SECRET_LENGTH;
// Far more epochs than any room rotates through (one per kick); bounds the work a damaged
// or hostile record can cause.
const MAX_EPOCHS = 100_000;

function encodeSecrets(secrets: Map<number, Uint8Array>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [epoch, secret] of [...secrets].sort(([a], [b]) => a - b)) {
    parts.push(u64be(BigInt(epoch)), secret);
  }
  return concatBytes(...parts);
}

function decodeSecrets(plaintext: Uint8Array): Map<number, Uint8Array> | undefined {
  const count = plaintext.length / ENTRY_LENGTH;
  if (!Number.isInteger(count) || count < 1 || count > MAX_EPOCHS) return undefined;
  const view = new DataView(plaintext.buffer, plaintext.byteOffset, plaintext.length);
  const secrets = new Map<number, Uint8Array>();
  for (let i = 0; i < count; i++) {
    const epoch = view.getBigUint64(i * ENTRY_LENGTH);
    if (epoch > BigInt(Number.MAX_SAFE_INTEGER) || secrets.has(Number(epoch))) {
      for (const secret of secrets.values()) secret.fill(0);
      return undefined;
    }
    const start = i * ENTRY_LENGTH + 8;
    secrets.set(Number(epoch), plaintext.slice(start, start + EPOCH_SECRET_LENGTH));
  }
  return secrets;
}

export function createSealedRoomApi(handles: HandleStore<RoomEntry | StorageEntry>) {
  return {
    /**
     * The room's link secret and epoch secrets, sealed under the data key, for the caller to
     * store (e.g. next to the room's history). `roomId` is bound in: the record opens only
     * as this room. The bytes are opaque; nothing in them is readable without the data key.
     */
    async sealRoomSecrets(room: string, dataKey: string, roomId: string): Promise<Uint8Array> {
      const entry = handles.get(room, 'room');
      const key = handles.get(dataKey, 'data-key').key;
      const plaintext = encodeSecrets(entry.secrets);
      try {
        const sealed = await sealRecord(key, 'room-secrets', RoomId.parse(roomId), plaintext);
        return transfer(sealed, [sealed.buffer as ArrayBuffer]);
      } finally {
        plaintext.fill(0);
      }
    },
    /**
     * A new room handle holding the sealed secrets (derive keys with roomCredentials,
     * openChannel... as for a room opened from its link). Give `expectedRoomId` to refuse a
     * record saved for another room (a swapped file).
     */
    async openRoomSecrets(
      dataKey: string,
      record: Uint8Array,
      expectedRoomId?: string,
    ): Promise<Result<string>> {
      const key = handles.get(dataKey, 'data-key').key;
      const expected = expectedRoomId === undefined ? undefined : RoomId.parse(expectedRoomId);
      const opened = await openSealedRecord(key, 'room-secrets', record);
      if (!opened.ok) return opened;
      const { context, plaintext } = opened.value;
      const secrets = decodeSecrets(plaintext);
      plaintext.fill(0);
      if (!secrets || !RoomId.safeParse(context).success) {
        return failure('malformed', 'The saved room keys are damaged.');
      }
      if (expected !== undefined && context !== expected) {
        for (const secret of secrets.values()) secret.fill(0);
        return failure('malformed', 'These saved room keys belong to another room.');
      }
      return success(handles.add({ kind: 'room', secrets, keys: new Map() }));
    },
  };
}
