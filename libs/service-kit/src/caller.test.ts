import { type Caller, UnauthenticatedError } from "@civic/domain-kit";
import { Metadata } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { callerFromMetadata, callerToMetadata } from "./caller.js";

describe("caller metadata", () => {
  it("round-trips a caller, plain ids unchanged on the wire", () => {
    const caller: Caller = {
      subject: "grid-worker-9",
      roles: ["grid_worker"],
      areas: ["440402001", "440402002"],
    };
    const metadata = callerToMetadata(caller);
    expect(metadata.get("x-caller-subject")).toEqual(["grid-worker-9"]);
    expect(metadata.get("x-caller-areas")).toEqual(["440402001,440402002"]);
    expect(metadata.get("x-caller-department")).toEqual([]);
    expect(callerFromMetadata(metadata)).toEqual(caller);
  });

  it("carries characters gRPC ASCII metadata cannot, and commas inside values", () => {
    const caller: Caller = {
      subject: "user 7%",
      roles: ["a,b", "c"],
      areas: [],
      department: "香洲区城市管理和综合执法局",
    };
    const metadata = new Metadata();
    callerToMetadata(caller, metadata);
    expect(callerFromMetadata(metadata)).toEqual(caller);
  });

  it("reads hand-written metadata leniently (spaces, empty items)", () => {
    const metadata = new Metadata();
    metadata.set("x-caller-subject", " resident-1 ");
    metadata.set("x-caller-roles", "resident, ,community_staff");
    expect(callerFromMetadata(metadata)).toEqual({
      subject: "resident-1",
      roles: ["resident", "community_staff"],
      areas: [],
    });
  });

  it("refuses metadata without a subject", () => {
    const metadata = new Metadata();
    metadata.set("x-caller-roles", "resident");
    expect(() => callerFromMetadata(metadata)).toThrow(UnauthenticatedError);
  });
});
