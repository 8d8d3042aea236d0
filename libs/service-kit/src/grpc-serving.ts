import { CallerTokenIssuer, CallerTokenVerifier, generateCallerTokenKeys } from "./caller-token.js";

/**
 * How this process serves gRPC calls, set once before its server starts: runServiceMain sets
 * it from the service's configuration; tests that start services in-process set it
 * themselves. Services' own code never reads it.
 */
export interface GrpcServing {
  /** Verifies the caller token of every call; without one every call is UNAUTHENTICATED. */
  callerTokens: CallerTokenVerifier | undefined;
  /** The address the server binds when startGrpcServer is given none. */
  host: string;
  /** Unary calls handled at once; the next is refused at once with RESOURCE_EXHAUSTED. */
  maxCallsInFlight: number;
}

const serving: GrpcServing = { callerTokens: undefined, host: "0.0.0.0", maxCallsInFlight: 64 };

/** Changes the settings given, keeps the others. */
export function configureGrpcServing(settings: Partial<GrpcServing>): void {
  Object.assign(serving, settings);
}

/** The settings in force. */
export function grpcServing(): Readonly<GrpcServing> {
  return serving;
}

/** Caller-token keys (PEM) and the issuer signing with them. */
export interface CallerTokenKeys {
  issuer: CallerTokenIssuer;
  privateKey: string;
  publicKey: string;
}

let inProcess: Promise<CallerTokenKeys> | undefined;

/**
 * For tests and benchmarks that run services and their callers in one process: a key pair
 * made once for the process, its public key trusted by this process's gRPC serving; the
 * issuer signs for the callers (a test client; a test gateway takes the private key).
 */
export function inProcessCallerTokens(): Promise<CallerTokenKeys> {
  inProcess ??= (async () => {
    const keys = generateCallerTokenKeys();
    configureGrpcServing({ callerTokens: await CallerTokenVerifier.fromPublicKeys(keys.publicKey) });
    return { ...keys, issuer: await CallerTokenIssuer.fromPrivateKey(keys.privateKey) };
  })();
  return inProcess;
}
