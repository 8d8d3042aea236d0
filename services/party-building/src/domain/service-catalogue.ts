/**
 * The convenience services a party-mass service centre (党群服务中心) can offer [seed: more than
 * 50: meeting rooms, study, home repair, haircuts, fitness, parcels]. `bookable` services are
 * booked by time slot (a room, a chair, a repair visit); the others are walk-in.
 * Seed 004's centre standard: at least 5 basic and 3 extended service types per community.
 */
export const serviceTiers = ["basic", "extended"] as const;
export type ServiceTier = (typeof serviceTiers)[number];

export interface CatalogueService {
  code: string;
  name: string;
  tier: ServiceTier;
  bookable: boolean;
}

const entry = (code: string, name: string, tier: ServiceTier, bookable = false): CatalogueService => ({
  code,
  name,
  tier,
  bookable,
});

export const serviceCatalogue: readonly CatalogueService[] = [
  entry("meeting-room", "会议室", "basic", true),
  entry("activity-room", "活动室", "basic", true),
  entry("study-room", "自习室", "basic", true),
  entry("reading-room", "阅览室", "basic"),
  entry("party-member-education", "党员教育", "basic"),
  entry("policy-consultation", "政策咨询", "basic"),
  entry("social-security-handling", "社保办理", "basic"),
  entry("medical-insurance-handling", "医保办理", "basic"),
  entry("residence-certificate", "居住证办理", "basic"),
  entry("elderly-services", "养老服务", "basic"),
  entry("disability-assistance", "助残服务", "basic"),
  entry("minimum-living-allowance", "低保申请", "basic"),
  entry("employment-services", "就业服务", "basic"),
  entry("legal-aid", "法律援助", "basic", true),
  entry("dispute-mediation", "矛盾调解", "basic", true),
  entry("psychological-counselling", "心理咨询", "basic", true),
  entry("family-planning-services", "计生服务", "basic"),
  entry("veterans-services", "退役军人服务", "basic"),
  entry("volunteer-registration", "志愿者登记", "basic"),
  entry("complaints-and-suggestions", "诉求受理", "basic"),
  entry("printing-and-copying", "打印复印", "basic"),
  entry("free-wifi", "免费上网", "basic"),
  entry("drinking-water", "饮水", "basic"),
  entry("charging-station", "充电", "basic"),
  entry("umbrella-lending", "爱心雨伞", "basic"),
  entry("first-aid-kit", "应急药箱", "basic"),
  entry("restroom", "公共卫生间", "basic"),
  entry("breastfeeding-room", "母婴室", "basic"),
  entry("home-repair", "家电维修", "extended", true),
  entry("plumbing-repair", "水电维修", "extended", true),
  entry("haircut", "爱心理发", "extended", true),
  entry("fitness-room", "健身室", "extended", true),
  entry("table-tennis", "乒乓球室", "extended", true),
  entry("dance-room", "舞蹈室", "extended", true),
  entry("parcel-collection", "快递代收", "extended"),
  entry("knife-sharpening", "磨刀", "extended"),
  entry("clothes-mending", "缝补衣物", "extended"),
  entry("blood-pressure-check", "血压测量", "extended"),
  entry("family-doctor", "家庭医生签约", "extended", true),
  entry("health-lecture", "健康讲座", "extended"),
  entry("after-school-care", "四点半课堂", "extended", true),
  entry("children-library", "儿童绘本馆", "extended"),
  entry("elderly-canteen", "长者饭堂", "extended"),
  entry("calligraphy-class", "书法班", "extended", true),
  entry("music-room", "音乐室", "extended", true),
  entry("smartphone-class", "老年人智能手机课", "extended", true),
  entry("job-fair", "招聘会", "extended"),
  entry("micro-wish", "微心愿", "extended"),
  entry("flea-market", "跳蚤市场", "extended"),
  entry("photography", "证件照拍摄", "extended", true),
  entry("wheelchair-lending", "轮椅借用", "extended"),
  entry("pet-registration", "犬只登记", "extended"),
];

export const catalogueByCode: ReadonlyMap<string, CatalogueService> = new Map(
  serviceCatalogue.map((service) => [service.code, service]),
);
