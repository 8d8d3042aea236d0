import { generateKeyPairSync } from "node:crypto";
import { type Caller, UnauthenticatedError } from "@civic/domain-kit";
import type { Metadata } from "@grpc/grpc-js";
import {
  type CryptoKey,
  calculateJwkThumbprint,
  errors,
  exportJWK,
  importPKCS8,
  importSPKI,
  type JWTHeaderParameters,
  jwtVerify,
  SignJWT,
} from "jose";
import { z } from "zod";

/**
 * The caller travels from the gateway to a service as a short-lived ES256 JWT the gateway
 * signs, in this metadata key; services verify it before any handler runs. Nothing else in
 * a call's metadata says who is calling.
 */
export const callerTokenMetadataKey = "x-caller-token";

/** Who signs caller tokens (`iss`) and whom they are for (`aud`). */
export const callerTokenIssuerName = "civic-gateway";
export const callerTokenAudience = "civic-services";

const algorithm = "ES256";
/** Clocks of the gateway's and the services' hosts may differ by this much. */
const clockToleranceSeconds = 5;
/** Callers (gateway) and tokens (services) remembered at most; the oldest goes first. */
const cacheSize = 10_000;

function remember<Value>(cache: Map<string, Value>, key: string, value: Value): void {
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
}

const callerClaims = z.object({
  sub: z.string().min(1),
  roles: z.array(z.string()),
  areas: z.array(z.string()),
  department: z.string().min(1).optional(),
});

/** A PEM text from an environment variable: `\n` written as two characters counts as a line break. */
const pemText = (text: string) => text.replaceAll("\\n", "\n").trim();

/** The key id of an EC public key: its RFC 7638 thumbprint. */
async function keyIdOf(key: CryptoKey): Promise<string> {
  return calculateJwkThumbprint(await exportJWK(key));
}

/**
 * Signs callers into tokens: the gateway's side. A caller's token is reused until half its
 * lifetime has passed, so a busy caller costs one signature (and, at the services, one
 * verification) per half-lifetime instead of one per call.
 */
export class CallerTokenIssuer {
  private readonly signed = new Map<string, { token: string; renewAtMs: number }>();

  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly keyId: string,
    private readonly lifetimeSeconds: number,
  ) {}

  /**
   * From a PKCS#8 PEM EC P-256 private key (`openssl genpkey -algorithm EC -pkeyopt
   * ec_paramgen_curve:P-256`). Tokens live `lifetimeSeconds`: long enough for one call
   * (the gateway's deadline), short enough that a token seen on the wire is soon useless.
   */
  static async fromPrivateKey(pem: string, options: { lifetimeSeconds?: number } = {}) {
    const privateKey = await importPKCS8(pemText(pem), algorithm, { extractable: true });
    return new CallerTokenIssuer(privateKey, await keyIdOf(privateKey), options.lifetimeSeconds ?? 60);
  }

  /** A token stating `caller`, valid for at least half the issuer's lifetime from now. */
  async sign(caller: Caller): Promise<string> {
    const key = JSON.stringify([caller.subject, caller.roles, caller.areas, caller.department ?? null]);
    const cached = this.signed.get(key);
    if (cached && Date.now() < cached.renewAtMs) return cached.token;
    const token = await this.signAnew(caller);
    remember(this.signed, key, { token, renewAtMs: Date.now() + (this.lifetimeSeconds * 1000) / 2 });
    return token;
  }

  private signAnew(caller: Caller): Promise<string> {
    const claims = {
      roles: caller.roles,
      areas: caller.areas,
      ...(caller.department ? { department: caller.department } : {}),
    };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: algorithm, kid: this.keyId, typ: "JWT" })
      .setSubject(caller.subject)
      .setIssuer(callerTokenIssuerName)
      .setAudience(callerTokenAudience)
      .setIssuedAt()
      .setExpirationTime(`${this.lifetimeSeconds}s`)
      .sign(this.privateKey);
  }

  /** Writes a token stating `caller` into call metadata. */
  async toMetadata(caller: Caller, metadata: Metadata): Promise<Metadata> {
    metadata.set(callerTokenMetadataKey, await this.sign(caller));
    return metadata;
  }
}

/**
 * Checks caller tokens: the services' side. A token verified once is remembered until it
 * expires, so the gateway's reused tokens cost one verification each.
 */
export class CallerTokenVerifier {
  private readonly verified = new Map<string, { caller: Caller; expiresAtMs: number }>();

  private constructor(private readonly keys: ReadonlyMap<string, CryptoKey>) {}

  /**
   * From one or more SPKI PEM public keys (concatenated): during a key rotation services
   * trust the old and the new key, and the gateway signs with either.
   */
  static async fromPublicKeys(pems: string): Promise<CallerTokenVerifier> {
    const blocks = pemText(pems).match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [];
    if (blocks.length === 0) throw new Error("no PEM public key (-----BEGIN PUBLIC KEY-----) given");
    const keys = new Map<string, CryptoKey>();
    for (const block of blocks) {
      const key = await importSPKI(block, algorithm, { extractable: true });
      keys.set(await keyIdOf(key), key);
    }
    return new CallerTokenVerifier(keys);
  }

  /** The caller a token states, or UnauthenticatedError when it is not a valid token of ours. */
  async verify(token: string): Promise<Caller> {
    const cached = this.verified.get(token);
    if (cached && Date.now() < cached.expiresAtMs) return cached.caller;
    if (cached) this.verified.delete(token);
    const keyFor = (header: JWTHeaderParameters) => {
      const key = header.kid === undefined ? undefined : this.keys.get(header.kid);
      if (!key)
        throw new UnauthenticatedError("the caller token is signed by a key this service does not trust");
      return key;
    };
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, keyFor, {
        algorithms: [algorithm],
        issuer: callerTokenIssuerName,
        audience: callerTokenAudience,
        requiredClaims: ["exp", "iat", "sub"],
        clockTolerance: clockToleranceSeconds,
      }));
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      if (error instanceof errors.JWTExpired) throw new UnauthenticatedError("the caller token has expired");
      if (error instanceof errors.JWTClaimValidationFailed) {
        throw new UnauthenticatedError(`the caller token's "${error.claim}" claim is not accepted`);
      }
      throw new UnauthenticatedError("the caller token is not valid");
    }
    const parsed = callerClaims.safeParse(payload);
    if (!parsed.success)
      throw new UnauthenticatedError("the caller token states no caller (sub, roles, areas)");
    const { sub, roles, areas, department } = parsed.data;
    const caller = { subject: sub, roles, areas, ...(department ? { department } : {}) };
    const expiresAtMs = Number((payload as { exp: number }).exp) * 1000;
    remember(this.verified, token, { caller, expiresAtMs });
    return caller;
  }

  /** The caller of a call: its metadata's token, verified; none or a bad one is UnauthenticatedError. */
  fromMetadata(metadata: Metadata): Promise<Caller> {
    const [token] = metadata.get(callerTokenMetadataKey);
    if (typeof token !== "string" || token === "") {
      return Promise.reject(new UnauthenticatedError("the call carries no caller token"));
    }
    return this.verify(token);
  }
}

/**
 * A new P-256 key pair as PEM (PKCS#8 private, SPKI public): `pnpm start` makes one per
 * run, tests one per process.
 */
export function generateCallerTokenKeys(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ec", {
    namedCurve: "P-256",
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  return { privateKey, publicKey };
}
