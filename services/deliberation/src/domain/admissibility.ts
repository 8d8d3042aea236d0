import { z } from "zod";

/**
 * "五议五不议": what a council discusses and what it does not. The platform ships the common
 * wording as the default; a city replaces it with its own list (configuration), and each
 * decision records the rule that made it.
 */
export interface AdmissibilityRule {
  code: string;
  admissible: boolean;
  description: string;
}

export const admissibilityRulesSchema = z
  .array(
    z
      .object({
        code: z.string().regex(/^[a-z][a-z0-9_-]{1,63}$/),
        admissible: z.boolean(),
        description: z.string().min(1).max(200),
      })
      .strict(),
  )
  .min(1)
  .refine((rules) => new Set(rules.map((rule) => rule.code)).size === rules.length, "codes must be distinct");

export const defaultAdmissibilityRules: AdmissibilityRule[] = [
  {
    code: "public-affairs",
    admissible: true,
    description: "涉及居民切身利益的社区公共事务 (public affairs touching residents' interests)",
  },
  { code: "public-services", admissible: true, description: "社区公共服务 (community public services)" },
  {
    code: "environment-facilities",
    admissible: true,
    description: "社区环境和公共设施 (environment and shared facilities)",
  },
  {
    code: "public-welfare",
    admissible: true,
    description: "社区公益事业 (community public-welfare undertakings)",
  },
  {
    code: "community-building",
    admissible: true,
    description: "社区建设和发展规划 (community building and plans)",
  },
  {
    code: "unlawful",
    admissible: false,
    description: "违反法律法规和政策的事项 (matters against laws, regulations or policy)",
  },
  {
    code: "judicial-or-administrative",
    admissible: false,
    description: "属于司法程序或行政职权的事项 (matters for the courts or for administrative powers)",
  },
  {
    code: "private-matters",
    admissible: false,
    description: "个人私事和私人纠纷 (private matters and private disputes)",
  },
  {
    code: "sensitive",
    admissible: false,
    description: "涉及民族宗教等敏感问题的事项 (ethnic, religious and other sensitive matters)",
  },
  {
    code: "beyond-competence",
    admissible: false,
    description: "超出社区职能范围的事项 (matters beyond the community's competence)",
  },
];

export class AdmissibilityList {
  private readonly byCode: Map<string, AdmissibilityRule>;

  constructor(readonly rules: AdmissibilityRule[]) {
    this.byCode = new Map(rules.map((rule) => [rule.code, rule]));
  }

  get codes(): string[] {
    return [...this.byCode.keys()];
  }

  rule(code: string): AdmissibilityRule | undefined {
    return this.byCode.get(code);
  }
}
