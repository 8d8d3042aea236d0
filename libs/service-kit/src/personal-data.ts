import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Residents' phone and ID numbers are stored sealed (AES-256-GCM) and shown masked unless
 * the caller's role needs the full value. Sealed values travel in events too, so no
 * consumer sees a full number it was not given the key for.
 */
export class PersonalDataProtector {
  private readonly key: Buffer;

  /** `base64Key`: 32 random bytes, base64 (e.g. `openssl rand -base64 32`). */
  constructor(base64Key: string) {
    this.key = Buffer.from(base64Key, "base64");
    if (this.key.length !== 32) throw new Error("the personal-data key must be 32 bytes, base64-encoded");
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
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
  }
}
