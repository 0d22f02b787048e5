// Time-ordered identifiers (RFC 9562 UUIDv7) for rows written in bulk: consecutive ids land
// next to each other in a B-tree, so inserting tens of thousands of ledger entries appends to
// the index instead of touching pages all over it as random UUIDs do.
import { randomFillSync } from "node:crypto";

let lastMs = 0;
let counter = 0;

// Random bytes are drawn from a pool refilled in bulk: one system call per 512 ids, not one each.
const POOL_BYTES = 8 * 512;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

export function uuidv7(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    counter += 1;
    if (counter > 0xfff) {
      lastMs += 1;
      counter = 0;
    }
    ms = lastMs;
  } else {
    lastMs = ms;
    counter = 0;
  }
  if (poolOffset === POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const random = poolOffset;
  poolOffset += 8;
  const time = ms.toString(16).padStart(12, "0");
  return (
    `${time.slice(0, 8)}-${time.slice(8, 12)}-${HEX[0x70 | (counter >> 8)]}${HEX[counter & 0xff]}-` +
    `${HEX[0x80 | ((pool[random] as number) & 0x3f)]}${HEX[pool[random + 1] as number]}-` +
    `${HEX[pool[random + 2] as number]}${HEX[pool[random + 3] as number]}${HEX[pool[random + 4] as number]}` +
    `${HEX[pool[random + 5] as number]}${HEX[pool[random + 6] as number]}${HEX[pool[random + 7] as number]}`
  );
}
