import { Metadata } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import {
  arrivalFromMetadata,
  arrivalToMetadata,
  millisecondsSinceArrival,
  withCallArrival,
} from "./call-arrival.js";

describe("when a call's request arrived", () => {
  it("is the gateway's stamp, never later than the call's receipt", () => {
    const received = 1_800_000_000_000;
    expect(arrivalFromMetadata(arrivalToMetadata(received - 40, new Metadata()), received)).toBe(
      received - 40,
    );
    expect(arrivalFromMetadata(arrivalToMetadata(received + 5_000, new Metadata()), received)).toBe(received);
  });

  it("is the receipt when the stamp is missing or not a time", () => {
    const received = 1_800_000_000_000;
    expect(arrivalFromMetadata(new Metadata(), received)).toBe(received);
    const metadata = new Metadata();
    metadata.set("x-request-arrived-at", "yesterday");
    expect(arrivalFromMetadata(metadata, received)).toBe(received);
  });

  it("is known inside the call's work, also after awaiting, and not outside it", async () => {
    expect(millisecondsSinceArrival()).toBeUndefined();
    const elapsed = await withCallArrival(Date.now() - 1_000, async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      return millisecondsSinceArrival();
    });
    expect(elapsed).toBeGreaterThanOrEqual(1_000);
  });
});
