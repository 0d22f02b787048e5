// AES-256-GCM encryption of personal identifiers, one field at a time.
// Ciphertext format: `v1.<keyId>.<base64url iv (12 bytes)>.<base64url ciphertext || tag (16 bytes)>`.
// The key id travels with the ciphertext so keys can rotate: the first keyring entry
// encrypts, every entry decrypts. Associated data (e.g. "borrower:<id>:phone") binds a
// ciphertext to its row and column, so one copied elsewhere fails to decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export interface KeyringEntry {
  id: string;
  key: Buffer;
}

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class FieldCipher {
  private readonly keys: Map<string, Buffer>;
  private readonly current: KeyringEntry;

  constructor(keyring: readonly KeyringEntry[]) {
    if (keyring.length === 0) throw new Error("FieldCipher needs at least one key");
    this.keys = new Map();
    for (const entry of keyring) {
      if (entry.key.length !== 32) throw new Error(`key ${entry.id} must be 32 bytes, got ${entry.key.length}`);
      if (!/^[A-Za-z0-9-]{1,16}$/.test(entry.id)) throw new Error(`key id ${JSON.stringify(entry.id)} must be 1-16 letters, digits or -`);
      if (this.keys.has(entry.id)) throw new Error(`key id ${entry.id} appears twice in the keyring`);
      this.keys.set(entry.id, entry.key);
    }
    this.current = keyring[0] as KeyringEntry;
  }

  encrypt(plaintext: string, associatedData = ""): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.current.key, iv);
    cipher.setAAD(Buffer.from(associatedData, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}.${this.current.id}.${iv.toString("base64url")}.${body.toString("base64url")}`;
  }

  decrypt(ciphertext: string, associatedData = ""): string {
    const { keyId, iv, body } = parse(ciphertext);
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`cannot decrypt: key ${keyId} is not in the keyring`);
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAAD(Buffer.from(associatedData, "utf8"));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch {
      throw new Error("cannot decrypt: ciphertext was altered or belongs to another field");
    }
  }

  needsRotation(ciphertext: string): boolean {
    return parse(ciphertext).keyId !== this.current.id;
  }

  /** Re-encrypts under the current key (for a key rotation job). */
  rotate(ciphertext: string, associatedData = ""): string {
    return this.encrypt(this.decrypt(ciphertext, associatedData), associatedData);
  }
}

function parse(ciphertext: string): { keyId: string; iv: Buffer; body: Buffer } {
  const parts = ciphertext.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new Error("cannot decrypt: not a v1 field ciphertext");
  const iv = Buffer.from(parts[2] as string, "base64url");
  const body = Buffer.from(parts[3] as string, "base64url");
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new Error("cannot decrypt: malformed ciphertext");
  return { keyId: parts[1] as string, iv, body };
}
