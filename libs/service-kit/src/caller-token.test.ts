import { type Caller, UnauthenticatedError } from "@civic/domain-kit";
import { Metadata } from "@grpc/grpc-js";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it, vi } from "vitest";
import {
  CallerTokenIssuer,
  CallerTokenVerifier,
  callerTokenAudience,
  callerTokenIssuerName,
  callerTokenMetadataKey,
  generateCallerTokenKeys,
} from "./caller-token.js";

const caller: Caller = {
  subject: "grid-worker-9",
  roles: ["grid_worker", "community_staff"],
  areas: ["440402001", "440402002"],
  department: "香洲区城市管理和综合执法局, Zhuhai",
};

describe("caller tokens", () => {
  const keys = generateCallerTokenKeys();
  let issuer: CallerTokenIssuer;
  let verifier: CallerTokenVerifier;
  beforeAll(async () => {
    issuer = await CallerTokenIssuer.fromPrivateKey(keys.privateKey);
    verifier = await CallerTokenVerifier.fromPublicKeys(keys.publicKey);
  });

  const refusal = async (verifying: Promise<unknown>) => {
    const error = await verifying.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UnauthenticatedError);
    return (error as Error).message;
  };

  it("carry the caller, any characters in it, through call metadata", async () => {
    const metadata = await issuer.toMetadata(caller, new Metadata());
    expect(await verifier.fromMetadata(metadata)).toEqual(caller);
    const { department: _, ...withoutDepartment } = caller;
    expect(await verifier.verify(await issuer.sign(withoutDepartment))).toEqual(withoutDepartment);
  });

  it("are refused when missing, whatever plain metadata claims", async () => {
    const metadata = new Metadata();
    metadata.set("x-caller-subject", "intruder");
    metadata.set("x-caller-roles", "platform_admin");
    expect(await refusal(verifier.fromMetadata(metadata))).toBe("the call carries no caller token");
  });

  it("are refused when signed by a key the service does not trust", async () => {
    const forger = await CallerTokenIssuer.fromPrivateKey(generateCallerTokenKeys().privateKey);
    const token = await forger.sign({ subject: "intruder", roles: ["platform_admin"], areas: [] });
    expect(await refusal(verifier.verify(token))).toMatch(/key this service does not trust/);
  });

  it("are refused when altered after signing", async () => {
    const [header, , signature] = (await issuer.sign(caller)).split(".");
    const payload = Buffer.from(
      JSON.stringify({
        sub: "intruder",
        roles: ["platform_admin"],
        areas: [],
        iss: callerTokenIssuerName,
        aud: callerTokenAudience,
        iat: Math.floor(Date.now() / 1000),
        exp: Math.floor(Date.now() / 1000) + 60,
      }),
    ).toString("base64url");
    expect(await refusal(verifier.verify(`${header}.${payload}.${signature}`))).toBe(
      "the caller token is not valid",
    );
  });

  it("are refused when expired, for another audience or from another issuer", async () => {
    const privateKey = (await import("jose")).importPKCS8(keys.privateKey, "ES256");
    const kid = JSON.parse(
      Buffer.from((await issuer.sign(caller)).split(".")[0] ?? "", "base64url").toString(),
    ).kid as string;
    const token = async (change: (jwt: SignJWT) => SignJWT) =>
      change(
        new SignJWT({ roles: [], areas: [] })
          .setProtectedHeader({ alg: "ES256", kid })
          .setSubject("resident-1")
          .setIssuer(callerTokenIssuerName)
          .setAudience(callerTokenAudience)
          .setIssuedAt()
          .setExpirationTime("60s"),
      ).sign(await privateKey);
    expect(await verifier.verify(await token((jwt) => jwt))).toMatchObject({ subject: "resident-1" });
    const longAgo = Math.floor(Date.now() / 1000) - 120;
    expect(
      await refusal(
        verifier.verify(await token((jwt) => jwt.setIssuedAt(longAgo).setExpirationTime(longAgo + 60))),
      ),
    ).toBe("the caller token has expired");
    expect(await refusal(verifier.verify(await token((jwt) => jwt.setAudience("someone-else"))))).toBe(
      'the caller token\'s "aud" claim is not accepted',
    );
    expect(await refusal(verifier.verify(await token((jwt) => jwt.setIssuer("intruder"))))).toBe(
      'the caller token\'s "iss" claim is not accepted',
    );
  });

  it("are accepted from any of several trusted keys (a rotation), PEM line breaks written as \\n", async () => {
    const next = generateCallerTokenKeys();
    const both = await CallerTokenVerifier.fromPublicKeys(
      `${keys.publicKey}\n${next.publicKey}`.replaceAll("\n", "\\n"),
    );
    const nextIssuer = await CallerTokenIssuer.fromPrivateKey(next.privateKey);
    expect(await both.verify(await issuer.sign(caller))).toEqual(caller);
    expect(await both.verify(await nextIssuer.sign(caller))).toEqual(caller);
  });

  it("travel in one metadata key", async () => {
    const metadata = await issuer.toMetadata(caller, new Metadata());
    expect(metadata.get(callerTokenMetadataKey)).toHaveLength(1);
  });

  it("reuse a caller's token for half its lifetime, and never serve an expired one from memory", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const shortLived = await CallerTokenIssuer.fromPrivateKey(keys.privateKey, { lifetimeSeconds: 20 });
      const first = await shortLived.sign(caller);
      expect(await shortLived.sign({ ...caller })).toBe(first);
      expect(await shortLived.sign({ ...caller, roles: ["grid_worker"] })).not.toBe(first);
      expect(await verifier.verify(first)).toEqual(caller);
      vi.setSystemTime(Date.now() + 11_000);
      const renewed = await shortLived.sign(caller);
      expect(renewed).not.toBe(first);
      expect(await verifier.verify(first)).toEqual(caller);
      vi.setSystemTime(Date.now() + 15_000);
      expect(await refusal(verifier.verify(first))).toBe("the caller token has expired");
      expect(await verifier.verify(renewed)).toEqual(caller);
    } finally {
      vi.useRealTimers();
    }
  });
});
