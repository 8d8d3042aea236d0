import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfigSchemas, policyViolations } from "./checks.js";
import { kustomizeBuild } from "./kustomize.js";
import { overlayImageNames, repositoryRoot, serviceNames } from "./repository.js";

// deploy/scripts/set-images.mjs points every image of ours at the city's registry and
// release with one command; run here on a copy of k8s/ and deploy/scripts/.
describe("deploy/scripts/set-images.mjs", () => {
  const copy = mkdtempSync(join(tmpdir(), "civic-set-images-"));
  cpSync(resolve(repositoryRoot, "k8s"), join(copy, "k8s"), { recursive: true });
  cpSync(resolve(repositoryRoot, "deploy/scripts"), join(copy, "deploy/scripts"), { recursive: true });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  const setImages = (...args: string[]) =>
    execFileSync(process.execPath, [join(copy, "deploy/scripts/set-images.mjs"), ...args], {
      encoding: "utf8",
      stdio: "pipe",
    });

  it("sets registry and tag of every image of ours in the overlay, and the policies still hold", async () => {
    setImages("--registry", "registry.city.example:5000/civic", "--tag", "2.3.1", "--overlay", "prod");
    const objects = kustomizeBuild(join(copy, "k8s/overlays/prod"));
    const images = objects
      .filter((object) => object.kind === "Deployment")
      .map((object) => object.spec.template.spec.containers[0].image)
      .sort();
    expect(images).toEqual(serviceNames().map((name) => `registry.city.example:5000/civic/${name}:2.3.1`));
    const renamed = overlayImageNames("prod", copy);
    expect(
      policyViolations({
        overlay: "prod",
        objects,
        schemas: await loadConfigSchemas(),
        renamedImages: renamed,
      }),
    ).toEqual([]);
    // The dev overlay was left alone.
    expect(overlayImageNames("dev", copy)).toEqual(overlayImageNames("dev"));
  });

  it("refuses a registry that is no image name, and changes nothing", () => {
    expect(() => setImages("--registry", "https://registry.city.example", "--tag", "2.3.1")).toThrow(
      /usage: set-images.mjs/,
    );
    expect(overlayImageNames("dev", copy)).toEqual(overlayImageNames("dev"));
  });
});
