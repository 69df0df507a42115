// A room's maximum file size (DESIGN.md section 8, "Limits"): chosen by the host when the
// room is created, handed to members on admit, and applied on both ends: a sender refuses
// to offer a larger file, a receiver refuses to fetch one. Sizes use decimal units, as the
// UI shows them ("25 MB" is 25,000,000 bytes); binary ones ("25MiB") are accepted too.

export class ByteSizeError extends Error {
  override name = 'ByteSizeError';
}

const UNIT_BYTES: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** "25M", "100 MB", "1G", "1.5GiB", "4096" (bytes) -> a positive whole number of bytes. */
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match ? UNIT_BYTES[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new ByteSizeError(`"${text}" is not a size (examples: 25M, 100MB, 1G, 512MiB).`);
  }
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes < 1 || !Number.isSafeInteger(bytes)) {
    throw new ByteSizeError(`"${text}" is not a usable file size.`);
  }
  return bytes;
}

const LIMIT_UNITS: Array<[number, string]> = [
  [1e12, 'TB'],
  [1e9, 'GB'],
  [1e6, 'MB'],
  [1e3, 'KB'],
];

/** 25_000_000 -> "25 MB", 1_500_000_000 -> "1.5 GB", 999 -> "999 bytes". */
export function formatByteLimit(bytes: number): string {
  for (const [size, unit] of LIMIT_UNITS) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(2))} ${unit}`;
  }
  return bytes === 1 ? '1 byte' : `${bytes} bytes`;
}

/** The smaller of the room's limit and this device's own; undefined when neither is set. */
export function effectiveMaxFileBytes(
  room: number | undefined,
  device: number | undefined,
): number | undefined {
  if (room === undefined) return device;
  if (device === undefined) return room;
  return Math.min(room, device);
}

/** The message a person sees when a file is over the room's limit. */
export function roomLimitMessage(roomMaxFileBytes: number): string {
  return `This room accepts files up to ${formatByteLimit(roomMaxFileBytes)}.`;
}
