// What lists show of a personal identifier — a name as the viewer may see it, a masked phone —
// remembered by the ciphertext it came from. Decrypting a field costs a cipher object and an
// authentication check, tens of microseconds; a queue of a hundred borrowers paid that two
// hundred times on every request.
//
// The key is the ciphertext together with its associated data and the shown form, so a changed
// value (a new ciphertext, under a fresh IV) or a ciphertext copied to another row (other
// associated data) is never answered from memory: it is decrypted, and fails, as before. Only
// shown forms are kept. A full phone or national ID is decrypted on each use and never kept.
import type { FieldCipher } from "./field-cipher.js";

/** The shown forms a cache may hold: names (which agents see in full) and masked values. */
export type ShownForm = "name:full" | "name:masked" | "phone:masked";

export class ShownValues {
  private readonly entries = new Map<string, string>();

  constructor(
    private readonly cipher: FieldCipher,
    private readonly limit = 50_000,
  ) {}

  /** `present(plaintext)` as `form`, decrypting only what has not been shown before. */
  shown(ciphertext: string, associatedData: string, form: ShownForm, present: (plaintext: string) => string): string {
    const key = `${form}\u0000${associatedData}\u0000${ciphertext}`;
    const known = this.entries.get(key);
    if (known !== undefined) return known;
    const value = present(this.cipher.decrypt(ciphertext, associatedData));
    // Oldest first out: a Map iterates in insertion order.
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, value);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
