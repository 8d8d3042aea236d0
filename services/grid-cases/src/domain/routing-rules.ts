import { AlreadyExistsError, AreaCode, FieldChecks } from "@civic/domain-kit";
import type { CaseEvent, CaseState } from "./case.js";
import { withReferralFeedback } from "./case-referral.js";
import { isCatalogueCode } from "./catalogue-code.js";

/**
 * Routing as data: area × category → department. A rule names an area (it covers every area
 * below it), a category, or both; "" is "any". The rule that matches a case is, in order:
 * the one naming its category and the deepest of its areas, then the one naming its category
 * for any area (the category's default), then the one for the deepest of its areas and any
 * category (the area's default). With no match the case waits for a dispatcher.
 */
export interface RoutingRule {
  areaId: string;
  categoryCode: string;
  departmentId: string;
}

/** Which rule dispatched a case: the rule set's version and the rule's area and category. */
export interface RoutingRuleRef {
  version: number;
  areaId: string;
  categoryCode: string;
}

/** One published version of the routing rules (stream `routing_rules-<version>`), never changed. */
export type RoutingRulesEvent = {
  type: "routing_rules.published";
  data: { version: number; rules: RoutingRule[]; publishedBy: string; publishedAt: string };
};

export type PublishedRoutingRules = RoutingRulesEvent["data"] & { status: "published" };
export type RoutingRulesState = { status: "none" } | PublishedRoutingRules;

export const initialRoutingRulesState = (): RoutingRulesState => ({ status: "none" });

export const evolveRoutingRules = (
  _state: RoutingRulesState,
  event: RoutingRulesEvent,
): RoutingRulesState => ({
  ...event.data,
  status: "published",
});

export const maxRoutingRules = 2000;

/** What a rule set refers to must exist: areas, categories of the current catalogue, departments. */
export interface RoutingReferences {
  areaExists(areaId: string): boolean;
  categoryExists(categoryCode: string): boolean;
  departmentExists(departmentId: string): boolean;
}

export function decidePublishRoutingRules(
  state: RoutingRulesState,
  command: { version: number; rules: RoutingRule[]; by: string; at: Date },
  references: RoutingReferences,
): RoutingRulesEvent {
  const checks = new FieldChecks().check(
    "rules",
    command.rules.length <= maxRoutingRules,
    `must hold at most ${maxRoutingRules} rules`,
  );
  const rules = command.rules.map((rule) => ({
    areaId: rule.areaId.trim(),
    categoryCode: rule.categoryCode.trim(),
    departmentId: rule.departmentId.trim(),
  }));
  const seen = new Set<string>();
  rules.forEach((rule, index) => {
    const field = `rules[${index}]`;
    checks.check(
      field,
      rule.areaId !== "" || rule.categoryCode !== "",
      "must name an area, a category or both",
    );
    if (rule.areaId !== "") {
      if (!AreaCode.isPrefix(rule.areaId)) checks.add(`${field}.areaId`, "must be an area code (digits)");
      else
        checks.check(
          `${field}.areaId`,
          references.areaExists(rule.areaId),
          `${rule.areaId} is not a known area`,
        );
    }
    if (rule.categoryCode !== "") {
      checks.check(
        `${field}.categoryCode`,
        isCatalogueCode(rule.categoryCode) && references.categoryExists(rule.categoryCode),
        `${rule.categoryCode} is not in the current catalogue`,
      );
    }
    if (!isCatalogueCode(rule.departmentId)) {
      checks.add(`${field}.departmentId`, "must be a department id such as water-affairs");
    } else {
      checks.check(
        `${field}.departmentId`,
        references.departmentExists(rule.departmentId),
        `${rule.departmentId} is not a registered department`,
      );
    }
    const key = `${rule.areaId}|${rule.categoryCode}`;
    checks.check(field, !seen.has(key), "repeats the area and category of an earlier rule");
    seen.add(key);
  });
  checks.throwIfAny();
  if (state.status !== "none") {
    throw new AlreadyExistsError(`routing rules version ${command.version} already exist`);
  }
  return {
    type: "routing_rules.published",
    data: { version: command.version, rules, publishedBy: command.by, publishedAt: command.at.toISOString() },
  };
}

/** The rule that routes a case of `categoryCode` in `areaId`, by the order above; undefined when none does. */
export function matchRoutingRule(
  rules: RoutingRule[],
  areaId: string,
  categoryCode: string,
): RoutingRule | undefined {
  const covering = rules.filter((rule) => rule.areaId === "" || AreaCode.covers(rule.areaId, areaId));
  const deepest = (candidates: RoutingRule[]) =>
    [...candidates].sort(
      (a, b) => AreaCode.prefixOf(b.areaId).length - AreaCode.prefixOf(a.areaId).length,
    )[0];
  return (
    deepest(covering.filter((rule) => rule.categoryCode === categoryCode && rule.areaId !== "")) ??
    covering.find((rule) => rule.categoryCode === categoryCode && rule.areaId === "") ??
    deepest(covering.filter((rule) => rule.categoryCode === ""))
  );
}

/** The subject automatic dispatches are recorded as. */
export const caseRouter = "system:case-router";

/**
 * Dispatches a case just accepted by the first matching rule of `rules`, recording the rule;
 * undefined (nothing stored) when no rule matches or the case moved on meanwhile.
 */
export function decideAutoDispatch(
  state: CaseState,
  rules: { version: number; rules: RoutingRule[] } | undefined,
  now: Date,
): CaseEvent | undefined {
  if (state.status !== "accepted" || state.departmentId !== "" || !rules) return undefined;
  const rule = matchRoutingRule(rules.rules, state.areaId, state.categoryCode);
  if (!rule) return undefined;
  return withReferralFeedback(state.origin, {
    type: "case.dispatched",
    data: {
      by: caseRouter,
      at: now.toISOString(),
      areaId: state.areaId,
      categoryCode: state.categoryCode,
      departmentId: rule.departmentId,
      routingRule: { version: rules.version, areaId: rule.areaId, categoryCode: rule.categoryCode },
    },
  });
}
