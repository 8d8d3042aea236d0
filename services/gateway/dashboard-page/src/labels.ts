export type Language = "zh" | "en";

/** The page's words in Chinese, the default for command-centre staff. */
const chinese = {
  title: "综合指挥中心运行看板",
  area: "区域代码",
  period: "平安指数月份",
  year: "考核年度",
  token: "访问令牌",
  apply: "应用",
  language: "English",
  streamConnecting: "正在连接实时事件…",
  streamLive: "实时更新中",
  streamRefused: "实时事件被拒绝：令牌需含区域或管理员角色",
  needToken: "请输入访问令牌（pnpm token --role command_centre --area 440402）",
  slaBoard: "工单时限看板",
  openCases: "未办结工单",
  overdue: "已超时",
  dueToday: "24小时内到期",
  dueSoon: "3天内到期",
  onTrack: "时限充足",
  awaitingAcceptance: "待受理（未计时）",
  mostUrgent: "最紧急的工单",
  caseTitle: "标题",
  caseArea: "区域",
  caseStatus: "状态",
  resolveDue: "办结时限",
  listCapped: "仅显示前 {count} 件",
  safetyIndex: "平安指数（各镇街）",
  street: "镇街",
  score: "得分",
  level: "等级",
  notPublished: "未发布",
  safetyNeedsDistrict: "平安指数按区显示各镇街：请选择区或其下级区域",
  scorecard: "年度考核",
  collected: "受理工单",
  resolved: "办结",
  resolutionRate: "办结率",
  onTimeRate: "按时办结率",
  satisfactionRate: "满意率",
  liaisonSolveRate: "挂点问题解决率",
  organisationsPer10k: "每万人社会组织数",
  volunteerHoursPerResident: "人均志愿服务时长",
  workersPer10k: "每万人社区工作者数",
  redCommitteeCoverage: "红色业委会覆盖率",
  emergencyCheckIns: "应急通知报平安",
  noNotices: "暂无应急通知（广播后自动出现，或输入通知编号）",
  noticeId: "通知编号",
  add: "添加",
  community: "社区",
  households: "户数",
  safe: "平安",
  needHelp: "需要帮助",
  unanswered: "未回复",
  updatedAt: "更新于",
  failed: "加载失败",
  status_submitted: "待受理",
  status_accepted: "已受理",
  status_dispatched: "已派单",
  status_signed_for: "已签收",
  status_returned: "已退单",
  status_in_progress: "处置中",
  level_blue: "蓝",
  level_yellow: "黄",
  level_orange: "橙",
  level_red: "红",
};

export type LabelKey = keyof typeof chinese;

const english: Record<LabelKey, string> = {
  title: "Command centre operations dashboard",
  area: "Area code",
  period: "Safety index month",
  year: "Scorecard year",
  token: "Access token",
  apply: "Apply",
  language: "中文",
  streamConnecting: "Connecting to live events…",
  streamLive: "Live",
  streamRefused: "Live events refused: the token needs areas or the admin role",
  needToken: "Enter an access token (pnpm token --role command_centre --area 440402)",
  slaBoard: "SLA board",
  openCases: "Open cases",
  overdue: "Overdue",
  dueToday: "Due within 24 h",
  dueSoon: "Due within 3 days",
  onTrack: "On track",
  awaitingAcceptance: "Awaiting acceptance (no deadline yet)",
  mostUrgent: "Most urgent cases",
  caseTitle: "Title",
  caseArea: "Area",
  caseStatus: "Status",
  resolveDue: "Resolve by",
  listCapped: "Only the first {count} shown",
  safetyIndex: "Safety index per street",
  street: "Street",
  score: "Score",
  level: "Level",
  notPublished: "Not published",
  safetyNeedsDistrict: "The safety index lists a district's streets: choose a district or an area in one",
  scorecard: "Annual scorecard",
  collected: "Cases collected",
  resolved: "Resolved",
  resolutionRate: "Resolution rate",
  onTimeRate: "On-time rate",
  satisfactionRate: "Satisfaction rate",
  liaisonSolveRate: "Liaison problems solved",
  organisationsPer10k: "Organisations per 10,000",
  volunteerHoursPerResident: "Volunteer hours per resident",
  workersPer10k: "Community workers per 10,000",
  redCommitteeCoverage: "Red owners' committee coverage",
  emergencyCheckIns: "Emergency check-ins",
  noNotices: "No emergency notice yet (a broadcast appears by itself, or enter a notice id)",
  noticeId: "Notice id",
  add: "Add",
  community: "Community",
  households: "Households",
  safe: "Safe",
  needHelp: "Need help",
  unanswered: "Unanswered",
  updatedAt: "Updated",
  failed: "Could not load",
  status_submitted: "Submitted",
  status_accepted: "Accepted",
  status_dispatched: "Dispatched",
  status_signed_for: "Signed for",
  status_returned: "Returned",
  status_in_progress: "In progress",
  level_blue: "Blue",
  level_yellow: "Yellow",
  level_orange: "Orange",
  level_red: "Red",
};

const dictionaries: Record<Language, Record<LabelKey, string>> = { zh: chinese, en: english };

let current: Language = "zh";

export function setLanguage(language: Language): void {
  current = language;
  document.documentElement.lang = language === "zh" ? "zh-CN" : "en";
  for (const labelled of document.querySelectorAll<HTMLElement>("[data-label]"))
    labelled.textContent = label(labelled.dataset.label as LabelKey);
}

export function language(): Language {
  return current;
}

/** The word for `key` in the chosen language; `{name}` placeholders are filled from `values`. */
export function label(key: LabelKey, values: Record<string, string | number> = {}): string {
  return dictionaries[current][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ""));
}

/** A label key built from data (a case status, an index level), or the raw value when unknown. */
export function labelOf(prefix: "status" | "level", value: string): string {
  const key = `${prefix}_${value}`;
  return key in chinese ? label(key as LabelKey) : value;
}
