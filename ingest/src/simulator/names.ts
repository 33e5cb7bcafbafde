import type { CourseCategory, SchoolStage } from '@edu/analytics';
import { at, type Rng } from './rng.ts';

// Generated Chinese names and texts. Nothing is downloaded: the pools below combine into
// names that read like a real city's (西湖区第三实验小学, 星火体育培训中心, 王梓涵).

const DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;

/** 1 → 一, 12 → 十二, 20 → 二十, 35 → 三十五 (1–99). */
export function cnNumber(n: number): string {
  if (n < 1 || n > 99 || !Number.isInteger(n)) return String(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  const t = tens === 0 ? '' : tens === 1 ? '十' : `${at(DIGITS, tens)}十`;
  return t + at(DIGITS, ones);
}

// prettier-ignore
const DISTRICT_ROOTS = [
  '东城', '西湖', '南山', '北塘', '滨江', '高新', '龙湖', '青山', '江北', '城南', '金沙', '云溪',
  '凤凰', '临湖', '新港', '天河', '钟楼', '白云', '玉泉', '长宁', '清河', '松江', '柳溪', '望城',
] as const;

/** `count` distinct district names, in a seeded order. */
export function districtNames(rng: Rng, count: number): string[] {
  const roots = rng.shuffle([...DISTRICT_ROOTS]);
  return Array.from({ length: count }, (_, i) =>
    i < roots.length
      ? `${at(roots, i)}区`
      : `${at(roots, i % roots.length)}${cnNumber(Math.floor(i / roots.length) + 1)}区`,
  );
}

/** 西湖区第三学区 */
export function zoneName(districtName: string, k: number): string {
  return `${districtName}第${cnNumber(k)}学区`;
}

// prettier-ignore
const PLACES = [
  '育才', '文澜', '崇文', '求是', '春晖', '星洲', '丁兰', '翠苑', '学军', '胜利', '人民', '和平', '建设',
  '光明', '朝阳', '东风', '解放', '长青', '梅园', '桂花', '松涛', '柳营', '湖滨', '江南', '天长', '定安',
  '景华', '南苑', '北辰', '芳草', '绿城', '新华', '红星', '银湖', '金桥', '青年', '紫阳', '采荷', '笕桥',
  '濮家', '三墩', '古荡', '留下', '转塘', '九溪', '闻涛', '海月', '安吉路', '大关', '德胜',
] as const;

const SCHOOL_PATTERNS: Record<SchoolStage, readonly ((r: Rng) => string)[]> = {
  primary: [
    (r) => `第${cnNumber(r.between(1, 30))}小学`,
    (r) => `第${cnNumber(r.between(1, 15))}实验小学`,
    (r) => `${r.pick(PLACES)}小学`,
    (r) => `${r.pick(PLACES)}实验小学`,
    (r) => `${r.pick(PLACES)}路小学`,
  ],
  junior: [
    (r) => `第${cnNumber(r.between(1, 30))}中学`,
    (r) => `${r.pick(PLACES)}中学`,
    (r) => `${r.pick(PLACES)}初级中学`,
    (r) => `${r.pick(PLACES)}实验中学`,
  ],
  nine_year: [
    (r) => `${r.pick(PLACES)}学校`,
    (r) => `${r.pick(PLACES)}九年一贯制学校`,
    (r) => `${r.pick(PLACES)}实验学校`,
    (r) => `第${cnNumber(r.between(1, 12))}实验学校`,
  ],
};

/** A school name unique within `taken` (the district's names so far), e.g. 西湖区第三实验小学. */
export function schoolName(rng: Rng, districtName: string, stage: SchoolStage, taken: Set<string>): string {
  const patterns = SCHOOL_PATTERNS[stage];
  for (let attempt = 0; attempt < 30; attempt++) {
    const name = districtName + rng.pick(patterns)(rng);
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
  // A crowded district: a campus suffix keeps names unique.
  for (let k = 2; ; k++) {
    const name = `${districtName}${rng.pick(patterns)(rng)}（${cnNumber(k)}校区）`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

// prettier-ignore
const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高',
  '林', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁',
  '潘', '于', '蒋', '蔡', '余', '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '姚', '卢', '姜', '崔',
  '钟', '谭', '陆', '汪', '范', '金', '石', '廖', '贾', '夏', '韦', '方', '白', '邹', '孟', '熊', '秦', '邱',
  '江', '尹', '薛', '段', '雷', '侯', '龙', '史', '陶', '黎', '贺', '顾', '毛', '郝', '龚', '邵', '万', '钱',
  '严', '武', '戴', '莫', '孔', '向', '汤', '欧阳', '司马', '诸葛',
] as const;
// prettier-ignore
const GIVEN = [
  '子', '梓', '涵', '浩', '宇', '轩', '欣', '怡', '然', '博', '文', '佳', '雨', '思', '晨', '泽', '俊', '一',
  '诺', '可', '馨', '嘉', '明', '睿', '安', '乐', '悦', '晗', '宸', '琪', '瑶', '彤', '萱', '铭', '杰', '皓',
  '辰', '航', '妍', '语', '诗', '清', '若', '昊', '天', '奕', '书', '桐', '雅', '静', '伟', '芳', '娜', '敏',
  '强', '磊', '洋', '艳', '勇', '军', '华', '丽', '婷', '慧', '鑫', '凯', '鹏', '飞', '霖', '晴', '朵', '瑞',
] as const;

/** A person's name: surname plus one or two given characters. */
export function personName(rng: Rng): string {
  const surname = rng.chance(0.02) ? rng.pick(SURNAMES.slice(-3)) : rng.pick(SURNAMES.slice(0, -3));
  return surname + rng.pick(GIVEN) + (rng.chance(0.7) ? rng.pick(GIVEN) : '');
}

const GRADE_NAMES = ['一年级', '二年级', '三年级', '四年级', '五年级', '六年级', '七年级', '八年级', '九年级'] as const;

export function gradeName(grade: number): string {
  return at(GRADE_NAMES, grade - 1);
}

/** 三年级2班 */
export function className(grade: number, k: number): string {
  return `${gradeName(grade)}${k}班`;
}

/** 一至二年级 / 七年级 */
export function bandLabel(min: number, max: number): string {
  return min === max ? gradeName(min) : `${cnNumber(min)}至${gradeName(max)}`;
}

// prettier-ignore
const PROVIDER_CORES = [
  '星火', '墨香', '未来', '启明', '蓝天', '阳光', '童心', '智慧树', '小海豚', '博雅', '乐学', '青苗', '飞跃',
  '卓越', '睿思', '七彩', '鲲鹏', '格致', '知行', '新航道', '梦想', '小太阳', '金话筒', '少年派', '跃动',
  '火炬', '向日葵', '晨曦', '东方', '长风', '远航', '启航', '希望', '明日', '彩虹', '百灵', '蒲公英',
  '萤火虫', '北斗', '天工', '青藤', '竹韵', '松果', '海燕', '雏鹰', '朝露', '紫荆', '明德',
] as const;
const PROVIDER_DOMAINS: Record<CourseCategory, readonly string[]> = {
  sports: ['体育', '运动', '足球俱乐部', '篮球俱乐部', '武术馆', '体育发展'],
  arts: ['艺术', '美育', '书画院', '音乐', '舞蹈', '艺术团'],
  science: ['科技', '创客', '编程', '科学教育', '机器人'],
  reading: ['书院', '文化', '阅读', '语言艺术'],
  labor: ['劳动教育', '农耕文化', '生活实践'],
  homework: ['教育'],
  other: ['教育', '棋院', '素质教育', '研学'],
};
const PROVIDER_SUFFIXES = ['培训中心', '教育科技有限公司', '文化发展有限公司', '教育咨询有限公司'] as const;

/** A provider (课程方/机构) name unique within `taken`. */
export function providerName(rng: Rng, category: CourseCategory, taken: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    const domain = rng.pick(PROVIDER_DOMAINS[category]);
    const suffix = /(俱乐部|院|馆|团)$/.test(domain) ? '' : rng.pick(PROVIDER_SUFFIXES);
    const base = rng.pick(PROVIDER_CORES) + domain + suffix;
    const name = attempt < 20 ? base : `${base}（${cnNumber((attempt % 90) + 2)}分部）`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

const OPERATOR_CORES = [
  '乐学',
  '智慧',
  '启航',
  '同心',
  '优学',
  '博文',
  '和美',
  '嘉禾',
  '致远',
  '明远',
  '知新',
] as const;
const OPERATOR_SUFFIXES = ['校园服务有限公司', '教育管理有限公司', '课后服务中心'] as const;

export function operatorName(rng: Rng): string {
  return rng.pick(OPERATOR_CORES) + rng.pick(OPERATOR_SUFFIXES);
}

/** Course names by category; homework help is always the school's own. */
export const COURSE_NAMES: Record<CourseCategory, readonly string[]> = {
  sports: ['篮球', '足球', '乒乓球', '羽毛球', '跳绳', '武术', '田径', '排球', '轮滑', '啦啦操', '跆拳道', '游泳'],
  arts: ['书法', '国画', '合唱', '舞蹈', '素描', '葫芦丝', '古筝', '陶艺', '剪纸', '管乐', '戏曲', '创意美术'],
  science: ['机器人编程', '科学实验', '航模', '3D打印', '趣味数学', '天文观测', '创客电子', 'Scratch编程'],
  reading: ['阅读写作', '绘本阅读', '英语阅读', '经典诵读', '演讲与口才', '课本剧'],
  labor: ['劳动实践', '种植园', '烹饪', '木工', '非遗手工'],
  homework: ['作业辅导', '课业答疑'],
  other: ['围棋', '国际象棋', '心理健康', '魔方', '研学实践', '中国象棋'],
};

const BLURBS: Record<CourseCategory, readonly string[]> = {
  sports: ['增强体质，培养团队协作精神', '掌握基本动作要领，养成锻炼习惯', '以赛促练，提高运动技能'],
  arts: ['提升审美素养，激发创造力', '从基础入手，循序渐进', '期末举办汇报展演'],
  science: ['动手实践，培养科学思维', '项目式学习，鼓励创新', '参加区级科技节展示'],
  reading: ['培养阅读兴趣与表达能力', '精读与泛读结合，提升语文素养', '以读促写，学会表达'],
  labor: ['体验劳动过程，养成劳动习惯', '学会一项生活技能', '走进非遗，传承文化'],
  homework: ['教师在校看护，完成当日书面作业', '分层答疑，减轻课业负担'],
  other: ['锻炼思维，陶冶性情', '关注心理成长，学会合作', '开阔视野，实践育人'],
};

export function offeringDescription(
  rng: Rng,
  course: string,
  category: CourseCategory,
  band: string,
  weekly: number,
): string {
  return `${course}：面向${band}学生，每周${cnNumber(weekly)}次。${rng.pick(BLURBS[category])}。`;
}

export const ROOMS: Record<CourseCategory, readonly string[]> = {
  sports: ['操场', '体育馆', '篮球场', '足球场', '风雨操场', '形体教室'],
  arts: ['音乐教室', '美术教室', '舞蹈房', '书法教室', '合唱排练厅'],
  science: ['科学实验室', '计算机教室', '创客空间', '机器人教室'],
  reading: ['图书馆', '阅览室', '多功能厅'],
  labor: ['劳动实践基地', '烹饪教室', '木工坊', '种植园'],
  homework: [],
  other: ['心理辅导室', '棋艺室', '多功能厅'],
};

const REPORT_SUMMARIES: Record<CourseCategory, readonly string[]> = {
  sports: [
    '本节课完成热身与分组对抗练习，学生积极参与',
    '复习基本动作并进行小组比赛',
    '本节课练习运球与传球，整体完成较好',
  ],
  arts: ['完成本单元作品创作，部分学生作品优秀', '练习新曲目，节奏掌握较好', '学习基本笔画与构图'],
  science: ['完成实验并记录数据，课堂气氛活跃', '分组搭建模型并调试程序', '讲解原理后动手制作'],
  reading: ['共读一个章节并分享读后感', '进行朗诵练习，学生表达自信', '完成一篇小练笔'],
  labor: ['学习工具使用并完成实践任务', '分组协作完成作品', '整理劳动成果，分享体会'],
  homework: ['学生完成当日书面作业，个别答疑', '集中讲解共性问题，作业完成率高'],
  other: ['讲解对局思路并进行实战练习', '开展团体活动，学生参与度高', '完成本次主题活动'],
};
// prettier-ignore
const REPORT_NOTES = [
  '进步明显', '表现积极', '注意力不集中', '需要加强练习', '动作规范', '能主动回答问题', '作业完成认真',
  '与同学合作良好', '课堂纪律需加强', '',
] as const;

export function reportSummary(rng: Rng, category: CourseCategory): string {
  return rng.pick(REPORT_SUMMARIES[category]);
}

export function reportNote(rng: Rng): string {
  return rng.pick(REPORT_NOTES);
}

const COMMENTS: Record<number, readonly string[]> = {
  1: ['器材不足，存在安全隐患', '老师经常迟到', '孩子说课上很乱，没学到东西', '收费与内容不符'],
  2: ['孩子说听不懂', '课堂纪律较差', '内容太简单，希望调整', '下课时间不准时'],
  3: ['一般，希望改进', '还可以', '孩子兴趣一般'],
  4: ['总体不错', '孩子比较喜欢', '老师耐心'],
  5: ['孩子很喜欢', '老师认真负责', '进步很大，感谢老师', '非常满意'],
};

export function feedbackComment(rng: Rng, score: number): string {
  return rng.chance(0.25) ? '' : rng.pick(COMMENTS[score] ?? ['']);
}

export const BUDGET_OTHER_ITEMS = ['保险费', '场地水电费', '耗材费', '管理费'] as const;
