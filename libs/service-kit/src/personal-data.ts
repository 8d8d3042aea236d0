import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Residents' phone and ID numbers are stored sealed (AES-256-GCM) and shown masked unless
 * the caller's role needs the full value. Sealed values travel in events too, so no
 * consumer sees a full number it was not given the key for.
 */
export class PersonalDataProtector {
  private readonly key: Buffer;
  private readonly keys: Buffer[];

  /**
   * `base64Key`: 32 random bytes, base64 (e.g. `openssl rand -base64 32`): seals and opens.
   * `previousKeys`: keys of before a rotation, which only open (values sealed with them stay
   * in events, which never change). A value names no key: `open` tries the current key
   * first, then each previous one; AES-GCM's tag tells a wrong key from the right one.
   */
  constructor(base64Key: string, previousKeys: string[] = []) {
    this.key = decodeKey(base64Key);
    this.keys = [this.key, ...previousKeys.map(decodeKey)];
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return [
      "v1",
      iv.toString("base64"),
      cipher.getAuthTag().toString("base64"),
      data.toString("base64"),
    ].join(":");
  }

  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split(":");
    if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("not a sealed value");
    for (const key of this.keys) {
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
      decipher.setAuthTag(Buffer.from(tag, "base64"));
      try {
        return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString(
          "utf8",
        );
      } catch {
        // Not this key (or tampered with): the next one, if any.
      }
    }
    throw new Error("the sealed value opens with none of the personal-data keys (or was tampered with)");
  }
}

function decodeKey(base64Key: string): Buffer {
  const key = Buffer.from(base64Key, "base64");
  if (key.length !== 32) throw new Error("the personal-data key must be 32 bytes, base64-encoded");
  return key;
}
