import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { registry } from "@civic/telemetry";
import { describe, expect, it } from "vitest";
import { type KubeObject, kustomizeBuild } from "./kustomize.js";
import { repositoryRoot } from "./repository.js";
import { schemaViolations } from "./schema.js";

// k8s/monitoring: the PodMonitor, alert rules and dashboard, valid against the Prometheus
// Operator's schemas, and every metric of ours they name is one the platform exports.
const objects = kustomizeBuild(resolve(repositoryRoot, "k8s/monitoring"));
const ofKind = (kind: string) => objects.filter((object) => object.kind === kind);

/** Our metric names in a PromQL expression (histogram series name their metric). */
function ourMetrics(expression: string): string[] {
  const names = expression.match(
    /\b(http_server|rpc_server|rpc_client|outbox|event_consumer|case_sla|civic_build)_[a-z_]+/g,
  );
  return [...new Set((names ?? []).map((name) => name.replace(/_(bucket|count|sum)$/, "")))];
}

describe("k8s/monitoring", () => {
  it("validates against the Kubernetes and Prometheus Operator schemas", async () => {
    expect(objects.map((object) => object.kind).sort()).toEqual([
      "ConfigMap",
      "PodMonitor",
      "PrometheusRule",
    ]);
    expect(await schemaViolations(objects)).toEqual([]);
    const broken = structuredClone(ofKind("PodMonitor"));
    (broken[0] as KubeObject).spec.podMetricsEndpoints[0].port = 9464;
    expect(await schemaViolations(broken)).toEqual([
      "PodMonitor/civic-platform: spec.podMetricsEndpoints[0].port must be string",
    ]);
  });

  it("scrapes the port every workload serves its metrics on", () => {
    const [monitor] = ofKind("PodMonitor") as [KubeObject];
    expect(monitor.spec.podMetricsEndpoints.map((endpoint: { port: string }) => endpoint.port)).toEqual([
      "metrics",
    ]);
    for (const overlay of ["dev", "prod"]) {
      const pods = kustomizeBuild(resolve(repositoryRoot, "k8s/overlays", overlay)).filter((object) =>
        ["Deployment", "StatefulSet"].includes(object.kind),
      );
      const scraped = pods.filter((pod) =>
        (pod.spec.template.spec.containers as KubeObject[]).some((container) =>
          (container.ports ?? []).some((port: { name?: string }) => port.name === "metrics"),
        ),
      );
      expect(scraped.map((pod) => pod.metadata.name).sort()).toEqual(
        pods
          .map((pod) => pod.metadata.name)
          .filter((name) => name !== "mongodb")
          .sort(),
      );
    }
  });

  it("alerts on error rate, latency, consumer lag, unpublished events and SLA breaches", () => {
    const [rules] = ofKind("PrometheusRule") as [KubeObject];
    const alerts = (rules.spec.groups as { rules: { alert: string; expr: string }[] }[]).flatMap(
      (group) => group.rules,
    );
    const named = alerts.flatMap((alert) => ourMetrics(alert.expr));
    for (const metric of [
      "http_server_requests_total",
      "http_server_duration_seconds",
      "rpc_server_requests_total",
      "rpc_client_duration_seconds",
      "event_consumer_lag",
      "outbox_oldest_unpublished_age_seconds",
      "case_sla_breaches_total",
    ]) {
      expect(named).toContain(metric);
    }
    for (const metric of named) expect(registry.getSingleMetric(metric), metric).toBeDefined();
  });

  it("the dashboard is Grafana JSON whose panels query metrics the platform exports", () => {
    const dashboard = JSON.parse(
      readFileSync(resolve(repositoryRoot, "k8s/monitoring/dashboards/civic-platform.json"), "utf8"),
    );
    const expressions = (dashboard.panels as { targets: { expr: string }[] }[]).flatMap((panel) =>
      panel.targets.map((target) => target.expr),
    );
    expect(expressions.length).toBeGreaterThan(5);
    for (const metric of expressions.flatMap(ourMetrics)) {
      expect(registry.getSingleMetric(metric), metric).toBeDefined();
    }
    const [configMap] = ofKind("ConfigMap") as [KubeObject];
    expect(configMap.metadata.labels?.grafana_dashboard).toBe("1");
  });
});
