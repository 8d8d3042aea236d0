import { FieldChecks, InvalidArgumentError } from "@civic/domain-kit";
import { type RequestType, requestTypes } from "./case.js";
import { isCatalogueCode } from "./catalogue-code.js";

export const urgencies = ["urgent", "normal"] as const;
export type Urgency = (typeof urgencies)[number];

/** One entry of the case-category catalogue: what a case is about and who handles it. */
export interface CaseCategory {
  code: string;
  name: string;
  /** The request type a case of this category usually is. */
  requestType: RequestType;
  urgency: Urgency;
  defaultDepartmentId: string;
}

/** Finds a category of a catalogue version (a single catalogue answers for its own). */
export interface CaseCategoryLookup {
  find(code: string, version?: number): CaseCategory | undefined;
}

/** One version of the catalogue, validated as a whole when it is loaded. */
export class CaseCategoryCatalogue implements CaseCategoryLookup {
  private readonly byCode: Map<string, CaseCategory>;

  constructor(
    readonly categories: CaseCategory[],
    readonly version = 1,
  ) {
    const checks = new FieldChecks();
    const seen = new Set<string>();
    categories.forEach((category, index) => {
      const field = `categories[${index}]`;
      checks
        .check(`${field}.code`, isCatalogueCode(category.code), "is not a catalogue code")
        .check(`${field}.code`, !seen.has(category.code), `${category.code} appears twice`);
      seen.add(category.code);
      checks
        .text(`${field}.name`, category.name, { max: 100 })
        .oneOf(`${field}.requestType`, category.requestType, requestTypes)
        .oneOf(`${field}.urgency`, category.urgency, urgencies)
        .check(
          `${field}.defaultDepartmentId`,
          isCatalogueCode(category.defaultDepartmentId),
          "must be a department id such as water-affairs",
        );
    });
    checks.throwIfAny();
    this.byCode = new Map(categories.map((category) => [category.code, category]));
  }

  find(code: string): CaseCategory | undefined {
    return this.byCode.get(code);
  }

  /** A page of the catalogue in code order; the token is the last code of the page before. */
  page(pageSize: number, pageToken: string): { categories: CaseCategory[]; nextPageToken: string } {
    if (!Number.isInteger(pageSize) || pageSize < 0 || pageSize > 200) {
      throw new InvalidArgumentError([
        { field: "pageSize", description: "must be 1 to 200 (0 for the default 50)" },
      ]);
    }
    if (pageToken !== "" && !isCatalogueCode(pageToken))
      throw new InvalidArgumentError([{ field: "pageToken", description: "is not a page token" }]);
    const size = pageSize || 50;
    const after = [...this.categories]
      .sort((a, b) => (a.code < b.code ? -1 : 1))
      .filter((category) => category.code > pageToken);
    const categories = after.slice(0, size);
    return {
      categories,
      nextPageToken: after.length > size ? (categories.at(-1)?.code ?? "") : "",
    };
  }
}

const urgent = (code: string, name: string, defaultDepartmentId: string): CaseCategory => ({
  code,
  name,
  requestType: "report",
  urgency: "urgent",
  defaultDepartmentId,
});
const normal = (
  code: string,
  name: string,
  requestType: RequestType,
  defaultDepartmentId: string,
): CaseCategory => ({
  code,
  name,
  requestType,
  urgency: "normal",
  defaultDepartmentId,
});

/**
 * The default catalogue. The 21 urgent categories (紧急工单) follow Zhongshan's first list:
 * the six the seed names (manhole cover, sewage, noise, road damage, fallen tree, illegal
 * construction) completed with fifteen of the same kind (safety hazards and urgent needs).
 */
export const defaultCaseCategories: CaseCategory[] = [
  urgent("manhole-cover-missing", "井盖缺失 Missing manhole cover", "urban-management"),
  urgent("sewage-discharge", "污水外排 Sewage discharge", "water-affairs"),
  urgent("noise-nuisance", "噪音污染 Noise nuisance", "ecology-environment"),
  urgent("road-damage", "道路破损 Road damage", "transport"),
  urgent("fallen-tree", "树木倒塌 Fallen tree", "urban-management"),
  urgent("illegal-construction", "违规施工 Illegal construction", "housing-construction"),
  urgent("water-main-burst", "供水管爆裂 Burst water main", "water-affairs"),
  urgent("water-outage", "突发停水 Sudden water outage", "water-affairs"),
  urgent("power-outage", "突发停电 Sudden power outage", "power-supply"),
  urgent("gas-leak", "燃气泄漏 Gas leak", "housing-construction"),
  urgent("road-waterlogging", "道路积水 Road waterlogging", "water-affairs"),
  urgent("drain-blockage", "下水道堵塞 Blocked drain", "water-affairs"),
  urgent("street-light-out", "路灯不亮 Street lights out", "urban-management"),
  urgent("traffic-signal-fault", "信号灯故障 Traffic signal fault", "public-security"),
  urgent("falling-object-risk", "高空坠物隐患 Risk of falling objects", "housing-construction"),
  urgent("lift-entrapment", "电梯困人 People trapped in a lift", "market-regulation"),
  urgent("fire-passage-blocked", "消防通道堵塞 Blocked fire passage", "fire-rescue"),
  urgent("collapse-risk", "房屋倒塌隐患 Risk of building collapse", "housing-construction"),
  urgent("garbage-overflow", "垃圾满溢 Overflowing rubbish", "urban-management"),
  urgent("animal-nuisance", "动物伤人隐患 Dangerous animal", "agriculture-rural"),
  urgent("wage-arrears-protest", "欠薪群体性诉求 Collective wage-arrears claim", "human-resources"),
  normal("property-management", "物业管理 Property management", "complaint", "housing-construction"),
  normal("neighbour-dispute", "邻里纠纷 Neighbour dispute", "help", "community-mediation"),
  normal("parking-order", "停车秩序 Parking order", "complaint", "public-security"),
  normal("street-vending", "占道经营 Street vending", "complaint", "urban-management"),
  normal("policy-consultation", "政策咨询 Policy consultation", "consultation", "command-centre"),
  normal("community-suggestion", "社区建议 Suggestion for the community", "suggestion", "community-affairs"),
  normal("service-praise", "服务表扬 Praise for a service", "praise", "command-centre"),
];
