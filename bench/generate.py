"""Generate a seeded N-document 潮闻 journal in chaowen's site format, for the benchmark.

    python bench/generate.py --docs 4000 --seed 1 --out bench/work/site-4000

The site folder gets ``chaowen.yaml`` (the three tracks), ``content/issues`` (about
N/60 journal issues), ``content/minutes`` (about N/8 salon minutes),
``content/essays`` (the rest), two standalone pages, a few images and a PDF, and
``.bench-corpus.json`` describing what was made (counts, the essay the benchmark
edits). Documents are spread over the tracks, several hundred authors and units,
a pool of about 150 Chinese tags and ten years of dates. Bodies are 1,500 to
3,000 Chinese characters with headings, lists (some nested with two spaces),
tables, fenced code, block quotes, task lists, bold next to Chinese punctuation,
now and then a footnote, an image, or a relative link to another document
(``../essays/x.md``). A few essays are drafts, so the benchmark also exercises
what is left out. Front matter uses every form chaowen accepts: tags as a flow
list, a block list or one line split on 、; dates with and without a time;
tracks by key or by Chinese name; one author or several; explicit slugs;
Chinese file names.

The text is assembled from the built-in vocabulary below (nothing is
downloaded). The same ``--docs`` and ``--seed`` give byte-identical files;
20,000 documents take a few seconds. ``OUT`` is replaced when it is an earlier
generated site and refused when it holds anything else.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import shutil
import struct
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

MARKER = ".bench-corpus.json"
START = date(2015, 3, 1)  # the journal's first issue; every date is long past, so nothing is "future"
END = date(2025, 12, 20)

TRACKS: tuple[tuple[str, str, str], ...] = (
    ("iot", "智能物联", "聚焦传感器、工业互联网与数字化改革，探讨数据如何真正用到企业车间和基层治理中去。"),
    ("health", "生命健康", "关注生物医药、医疗器械和智慧医疗，从园区招商到社区健康服务都在讨论之列。"),
    ("materials", "新材料", "围绕碳纤维、新能源电池材料等细分领域，研究产业链补链强链与科技成果转化。"),
)
TRACK_KEYS = tuple(key for key, _, _ in TRACKS)

# ----------------------------------------------------------------------------- vocabulary
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = (
    "晓明思远海峰静雨桐文博晨一凡嘉怡立群建国梦琪磊婷伟芳娜秀英敏强军洋勇艳杰涛超明华丽平刚桂红玉兰霞亮宇浩然子轩欣怡佳琪俊杰"
    "志强秀兰春梅振华国庆晓东雪梅丹凤宏伟晓燕鹏飞新民永红建华文静德明海燕"
)
PLACES = (
    "临浦镇",
    "瓜沥镇",
    "义桥镇",
    "河上镇",
    "戴村镇",
    "进化镇",
    "所前镇",
    "衙前镇",
    "益农镇",
    "党湾镇",
    "楼塔镇",
    "浦阳镇",
    "靖江街道",
    "宁围街道",
    "新塘街道",
    "城厢街道",
    "北干街道",
    "蜀山街道",
    "闻堰街道",
    "新街街道",
    "南阳街道",
    "盈丰街道",
    "钱江世纪城",
    "经济技术开发区",
    "空港经济区",
    "科技城",
    "临江工业园",
    "信息港小镇",
    "湘湖片区",
    "萧山湾",
    "江东工业园",
    "高新区",
    "医药港小镇",
    "新材料产业园",
    "智造小镇",
    "湾区产业园",
    "滨江片区",
    "未来社区",
    "数字经济园",
    "生物医药园",
)
DEPARTMENTS = (
    "区经信局",
    "区科技局",
    "区发改局",
    "区卫健委",
    "区商务局",
    "区市场监管局",
    "区人社局",
    "区数据资源管理局",
    "区投促局",
    "区财政局",
    "区委组织部",
    "区委党校",
    "区统计局",
    "区生态环境分局",
    "区住建局",
    "区农业农村局",
    "区教育局",
    "区医保分局",
    "区税务局",
    "区文广旅体局",
    "区应急管理局",
    "区自然资源分局",
    "区审批局",
    "区总工会",
    "区工商联",
    "区金融办",
    "区人民医院",
    "区中医院",
    "区疾控中心",
    "区妇幼保健院",
)
OFFICES = (
    "经济发展办公室",
    "企业服务中心",
    "党政办公室",
    "社会事务办公室",
    "招商服务中心",
    "社区卫生服务中心",
    "平安办",
    "村镇建设办",
)
COMPANIES = (
    "一家做汽配的企业",
    "一家电机厂",
    "一家传感器企业",
    "一家医疗器械公司",
    "一家生物医药企业",
    "一家碳纤维企业",
    "一家电池材料企业",
    "一家纺织印染厂",
    "一家改性塑料企业",
    "一家工业软件公司",
    "一家体外诊断企业",
    "一家智能家居企业",
    "一家化纤企业",
    "一家精密铸造厂",
    "一家康复辅具企业",
    "一家检测服务机构",
)
TRACK_TERMS: dict[str, tuple[str, ...]] = {
    "iot": (
        "工业互联网平台",
        "设备联网",
        "边缘计算",
        "数字孪生",
        "传感器",
        "数据采集",
        "智能工厂",
        "上云用数",
        "生产执行系统",
        "能耗监测",
        "预测性维护",
        "协议转换",
        "数据中台",
        "无人仓储",
        "视觉质检",
        "工业软件",
        "数字化车间",
        "城市大脑",
        "基层治理平台",
        "物联网卡",
        "智能电表",
        "产线改造",
        "数据共享清单",
    ),
    "health": (
        "生物医药",
        "医疗器械",
        "智慧医疗",
        "家庭医生",
        "社区健康小屋",
        "体外诊断",
        "临床试验",
        "创新药",
        "医保支付",
        "慢病管理",
        "互联网医院",
        "康复服务",
        "医养结合",
        "医疗数据",
        "成果转化",
        "注册审批",
        "公共卫生",
        "健康档案",
        "远程会诊",
        "基层首诊",
        "药品集采",
        "合同研发",
        "医学影像",
    ),
    "materials": (
        "碳纤维",
        "复合材料",
        "预浸料",
        "电池材料",
        "正极材料",
        "隔膜",
        "改性塑料",
        "高分子材料",
        "原丝",
        "化纤",
        "循环利用",
        "新能源",
        "补链强链",
        "中试基地",
        "研发投入",
        "涂布工艺",
        "固态电池",
        "铝合金",
        "功能薄膜",
        "回收体系",
        "产业链图谱",
        "关键材料",
        "检测认证",
    ),
}
NOUNS = (
    "企业",
    "园区",
    "车间",
    "基层",
    "政策",
    "项目",
    "数据",
    "人才",
    "资金",
    "服务",
    "平台",
    "产业链",
    "供应链",
    "市场",
    "订单",
    "技术",
    "团队",
    "老板",
    "工程师",
    "部门",
    "街镇",
    "社区",
    "群众",
    "成本",
    "效益",
    "标准",
    "流程",
    "台账",
    "清单",
    "试点",
    "经验",
    "问题",
    "办法",
    "机制",
    "环境",
    "方向",
    "目标",
    "节奏",
    "底数",
)
VERBS = (
    "推动",
    "梳理",
    "对接",
    "落实",
    "优化",
    "提升",
    "调研",
    "走访",
    "讨论",
    "破解",
    "培育",
    "引进",
    "整合",
    "摸清",
    "打通",
    "盘活",
    "跟进",
    "协调",
    "研究",
    "总结",
    "复盘",
    "推广",
    "改进",
    "补齐",
    "建立",
    "完善",
)
ADJECTIVES = (
    "具体的",
    "真实的",
    "关键的",
    "薄弱的",
    "紧迫的",
    "长期的",
    "基础的",
    "细分的",
    "本地的",
    "上游的",
    "下游的",
    "分散的",
    "集中的",
    "新的",
    "老的",
    "小而专的",
    "不起眼的",
    "实实在在的",
    "可复制的",
)
ADVERBS = ("其实", "往往", "确实", "恰恰", "慢慢", "逐步", "始终", "尤其", "反复", "真正", "一直", "首先", "最终")
CONNECTORS = (
    "但是",
    "因此",
    "同时",
    "另外",
    "不过",
    "所以",
    "换句话说",
    "更重要的是",
    "说到底",
    "反过来看",
    "与此同时",
)
QUOTES = (
    "你就告诉我，装了以后每个月能省几个人",
    "我们的产品不愁卖，愁的是原料",
    "政策是好政策，就是流程太长",
    "先让老板尝到甜头，后面的事才好推",
    "数据是上了云，可没人去看",
    "年轻人不愿意来镇上，这是最大的难处",
    "检测认证要排队，一等就是两三个月",
    "我们缺的不是钱，是懂行的人",
    "能不能一次把材料说清楚",
    "小企业最怕的是折腾",
)
SENTENCE_TEMPLATES = (
    "{place}的{noun}在{term}方面{adv}还有不少{adj}短板。",
    "走访{company}时，负责人说得很直接：“{quote}。”",
    "{connector}，{term}要{verb}起来，离不开{noun}和{noun2}的配合。",
    "我们在{place}看到，{term}已经{verb}了{num}家企业，{adv}效果还要再看。",
    "{unit}的同志介绍，去年全区{term}相关{noun}增长了{pct}%，{connector}结构还不够合理。",
    "这不是{noun}的问题，而是{noun2}的问题，{adv}需要从{term}入手。",
    "{adv}，{adj}{noun}{adv2}决定了{term}能走多远。",
    "围绕{term}，{unit}准备在{place}先{verb}一批试点，再总结推广。",
    "在{company}，我们看到{num}条产线已经完成{term}改造，{noun}的效率明显提升。",
    "大家讨论的焦点是：{term}到底该由谁来牵头，{noun}怎么跟上。",
    "{connector}，{term}不是一个部门能做成的事，要{verb}{noun}和{noun2}。",
    "从{place}的经验看，{adj}{noun}比大项目更能带动{term}。",
    "调研中我们发现，{num}家企业里只有{small}家把{term}真正用了起来。",
    "{unit}建议，下一轮政策从“补{noun}”转向“补{noun2}”，按实际效果兑现。",
    "回来以后，我一直在想{term}和{noun}之间的关系。",
    "{adv}，{term}的门槛并不在技术，而在{adj}{noun}。",
    "一位老工程师告诉我们，{term}要靠一点点摸索，急不得。",
    "{place}有{noun}的底子，缺的是{term}这一环。",
    "我们把{term}的需求整理成清单，提交给{unit}统筹。",
    "{connector}，{noun}的{verb}{adv}要和{term}结合起来看。",
    "据{unit}统计，{year}年以来{place}累计{verb}{term}项目{num}个。",
    "这一点在{company}体现得尤其明显，{noun}和{term}几乎是同步推进的。",
)
HEADINGS = (
    "调研背景",
    "走访所见",
    "卡在哪里",
    "几点思考",
    "接下来要做的事",
    "企业的声音",
    "基层能做什么",
    "数据说话",
    "问题清单",
    "经验与做法",
    "一点体会",
    "下一步打算",
    "现状与困难",
    "对策建议",
    "意外的发现",
    "算一笔账",
    "产业链上的小角色",
    "政策怎么落地",
    "人才从哪里来",
    "从车间到田野",
    "部门之间",
    "回头看",
)
GENERAL_TAGS = (
    "调研",
    "产业链",
    "招商引资",
    "人才",
    "政策",
    "营商环境",
    "数字化改革",
    "科技创新",
    "成果转化",
    "园区",
    "企业走访",
    "基层治理",
    "沙龙",
    "课题研究",
    "共同富裕",
    "乡村振兴",
    "专精特新",
    "小微企业",
    "统计",
    "财政",
    "金融服务",
    "标准化",
    "知识产权",
    "职业教育",
    "创刊号",
    "年终回顾",
    "结业",
    "复盘",
    "学习笔记",
    "实践心得",
    "开放合作",
    "长三角",
    "双碳",
    "安全生产",
    "民生服务",
)
TRACK_TAGS: dict[str, tuple[str, ...]] = {
    "iot": (
        "工业互联网",
        "物联网",
        "传感器",
        "智能制造",
        "数字孪生",
        "边缘计算",
        "上云用数",
        "数据共享",
        "城市大脑",
        "智能工厂",
        "工业软件",
        "视觉检测",
        "能耗管理",
        "设备联网",
        "5G应用",
        "人工智能",
        "大数据",
        "云计算",
        "数据安全",
        "智慧园区",
        "数字车间",
        "未来工厂",
        "机器人",
        "芯片",
        "软件服务",
        "信创",
        "低代码",
        "算力",
        "智能网联",
        "电子信息",
        "智慧交通",
        "数据要素",
        "平台经济",
        "智能硬件",
        "网络安全",
        "数字政府",
        "一网通办",
        "无人仓",
        "数字乡村",
        "智慧社区",
    ),
    "health": (
        "生物医药",
        "医疗器械",
        "智慧医疗",
        "家庭医生",
        "社区健康",
        "体外诊断",
        "临床试验",
        "创新药",
        "医保",
        "慢病管理",
        "互联网医院",
        "康复",
        "医养结合",
        "养老服务",
        "公共卫生",
        "健康档案",
        "远程医疗",
        "中医药",
        "疫苗",
        "基因检测",
        "医学影像",
        "合同研发",
        "药品集采",
        "健康管理",
        "妇幼健康",
        "基层医疗",
        "医联体",
        "分级诊疗",
        "卫生应急",
        "心理健康",
        "营养健康",
        "运动健康",
        "老年健康",
        "医疗数据",
        "药械审批",
        "生物制造",
        "合成生物",
        "细胞治疗",
        "医美",
        "健康小屋",
    ),
    "materials": (
        "新材料",
        "碳纤维",
        "复合材料",
        "电池材料",
        "新能源",
        "改性塑料",
        "高分子",
        "化纤",
        "循环经济",
        "回收利用",
        "中试",
        "补链强链",
        "关键材料",
        "固态电池",
        "正极材料",
        "隔膜",
        "铝合金",
        "功能薄膜",
        "石墨烯",
        "稀土",
        "陶瓷材料",
        "纺织新材料",
        "环保材料",
        "节能降碳",
        "检测认证",
        "材料基因",
        "轻量化",
        "光伏材料",
        "储能",
        "氢能",
        "涂料",
        "胶粘剂",
        "特种纤维",
        "生物基材料",
        "可降解",
        "半导体材料",
        "磁性材料",
        "纳米材料",
        "金属材料",
        "建筑材料",
    ),
}
CODE_SNIPPETS = (
    (
        "python",
        'import csv\n\nwith open("企业台账.csv", encoding="utf-8") as f:\n'
        '    rows = [r for r in csv.DictReader(f) if r["是否上云"] == "是"]\n'
        'print(len(rows), "家企业已上云")',
    ),
    ("yaml", "采集点: 温度传感器\n周期: 5s\n上报: mqtt://gateway.local:1883\n告警阈值:\n  上限: 85\n  下限: -10"),
    ("json", '{\n  "device": "line-03",\n  "energy_kwh": 1287.5,\n  "status": "running"\n}'),
    (
        "sql",
        "SELECT 镇街, COUNT(*) AS 企业数\nFROM 上云企业\nWHERE 应用等级 >= 2\nGROUP BY 镇街\nORDER BY 企业数 DESC;",
    ),
    (
        "text",
        "原丝 → 预氧化 → 低温碳化 → 高温碳化 → 表面处理 → 上浆 → 碳纤维\n碳纤维 + 树脂 → 预浸料 → 铺层 → 固化 → 制品",
    ),
    ("bash", "# 每天凌晨汇总一次能耗数据\n0 2 * * * /opt/energy/collect.sh >> /var/log/energy.log 2>&1"),
)
FILE_WORDS = (
    "diaoyan",
    "xinde",
    "zoufang",
    "sikao",
    "shijian",
    "guancha",
    "biji",
    "fenxi",
    "tansuo",
    "huigu",
    "jianwen",
    "tihui",
    "jianyi",
    "wenti",
    "chanye",
    "qiye",
    "yuanqu",
    "shuju",
    "rencai",
    "zhengce",
)
TITLE_SUBJECTS = (
    "一块传感器",
    "一根碳纤维丝",
    "一次入户随访",
    "三个“没想到”",
    "一张数据共享清单",
    "一条产线",
    "一间健康小屋",
    "一份企业台账",
    "两次沙龙",
    "一家小微企业",
    "一个中试基地",
    "一台老机床",
    "一份政策清单",
    "一次招商洽谈",
)


@dataclass
class Vocab:
    """Sentence pools per track, built once from the seeded generator."""

    rng: random.Random
    sentences: dict[str, list[str]] = field(default_factory=dict)

    def fill(self, per_track: int = 2500) -> None:
        for key in TRACK_KEYS:
            self.sentences[key] = [self.sentence(key) for _ in range(per_track)]

    def sentence(self, track: str) -> str:
        rng = self.rng
        terms = TRACK_TERMS[track]
        template = rng.choice(SENTENCE_TEMPLATES)
        return template.format(
            place=rng.choice(PLACES),
            noun=rng.choice(NOUNS),
            noun2=rng.choice(NOUNS),
            term=rng.choice(terms),
            verb=rng.choice(VERBS),
            adj=rng.choice(ADJECTIVES),
            adv=rng.choice(ADVERBS),
            adv2=rng.choice(ADVERBS),
            connector=rng.choice(CONNECTORS),
            company=rng.choice(COMPANIES),
            quote=rng.choice(QUOTES),
            unit=rng.choice(DEPARTMENTS),
            num=rng.randint(3, 60),
            small=rng.randint(1, 3),
            pct=rng.randint(5, 48),
            year=rng.randint(2015, 2024),
        )


# ----------------------------------------------------------------------------- plan
@dataclass
class Doc:
    """One document to write: where it goes and its front matter (the body is made when written)."""

    kind: str  # issue | minutes | essay | page
    path: str  # relative to content/
    title: str
    day: date
    track: str | None = None
    issue: int | None = None
    number: int | None = None
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    unit: str | None = None
    slug: str | None = None
    draft: bool = False
    summary: str | None = None
    extra_fields: dict[str, object] = field(default_factory=dict)


@dataclass
class Plan:
    docs: list[Doc]
    issues: list[Doc]
    authors: list[tuple[str, str]]  # name, unit
    images: list[str]
    edit_target: str = ""


def _weighted_picker(rng: random.Random, items: tuple[str, ...] | list[str], skew: float) -> Callable[[], str]:
    """A function picking from ``items`` with Zipf-like weights (the first items most often)."""
    weights = list(itertools.accumulate(1.0 / (i + 1) ** skew for i in range(len(items))))
    total = weights[-1]

    def pick() -> str:
        return items[bisect.bisect_left(weights, rng.random() * total)]

    return pick


def _author_pool(rng: random.Random, count: int) -> list[tuple[str, str]]:
    units = list(DEPARTMENTS) + [place + office for place in PLACES for office in OFFICES]
    names: dict[str, None] = {}
    while len(names) < count:
        size = 1 if rng.random() < 0.35 else 2
        given = "".join(rng.choice(GIVEN) for _ in range(size))
        names[rng.choice(SURNAMES) + given] = None
    return [(name, rng.choice(units)) for name in names]


def _days_between(rng: random.Random, low: date, high: date) -> date:
    return low + timedelta(days=rng.randint(0, max(0, (high - low).days)))


def plan(docs: int, rng: random.Random) -> Plan:
    """Decide every document's place and front matter, so bodies can link to any of them."""
    n_issues = max(2, round(docs / 60))
    n_minutes = max(2, round(docs / 8))
    n_pages = 2
    n_essays = max(1, docs - n_issues - n_minutes - n_pages)
    span = (END - START).days
    issues: list[Doc] = []
    for number in range(1, n_issues + 1):
        day = START + timedelta(days=round(span * (number - 1) / max(1, n_issues - 1)))
        track = rng.choice(TRACK_KEYS) if rng.random() < 0.3 else None
        issues.append(
            Doc(
                kind="issue",
                path=f"issues/issue-{number:03d}.md",
                title=f"第{number}期：{rng.choice(TITLE_SUBJECTS)}里的{rng.choice(HEADINGS)}",
                day=day,
                number=number,
                track=track,
                tags=rng.sample(GENERAL_TAGS, rng.randint(1, 3)),
                summary=f"本期收录{rng.randint(3, 9)}篇学员心得和{rng.randint(1, 3)}份沙龙纪要，聚焦{rng.choice(HEADINGS)}。",
            )
        )
    authors = _author_pool(rng, min(900, max(60, docs // 5)))
    pick_author = _weighted_picker(rng, [name for name, _ in authors], 0.6)
    unit_of = dict(authors)
    tag_pickers = {key: _weighted_picker(rng, TRACK_TAGS[key], 0.8) for key in TRACK_KEYS}
    general_tag = _weighted_picker(rng, GENERAL_TAGS, 0.8)

    def tags_for(track: str) -> list[str]:
        chosen: dict[str, None] = {}
        for _ in range(rng.randint(1, 4)):
            chosen[tag_pickers[track]() if rng.random() < 0.7 else general_tag()] = None
        return list(chosen)

    def dated(issue: int | None) -> date:
        if issue is None:
            return _days_between(rng, START, END)
        published = issues[issue - 1].day
        return max(START, published - timedelta(days=rng.randint(1, 60)))

    result: list[Doc] = list(issues)
    for index in range(1, n_minutes + 1):
        track = rng.choice(TRACK_KEYS)
        issue = rng.randint(1, n_issues) if rng.random() < 0.7 else None
        name = (
            f"{track}-salon-{index:04d}.md"
            if rng.random() < 0.9
            else f"{dict((k, n) for k, n, _ in TRACKS)[track]}沙龙第{index}次.md"
        )
        people = list(dict.fromkeys(pick_author() for _ in range(rng.randint(3, 8))))
        result.append(
            Doc(
                kind="minutes",
                path=f"minutes/{name}",
                title=f"{dict((k, n) for k, n, _ in TRACKS)[track]}赛道第{index}次沙龙：{rng.choice(TRACK_TERMS[track])}{rng.choice(('怎么做', '然后呢', '难在哪里', '的下一步', '谁来牵头'))}？",
                day=dated(issue),
                track=track,
                issue=issue,
                tags=tags_for(track),
                extra_fields={
                    "host": pick_author(),
                    "venue": f"{rng.choice(DEPARTMENTS)} {rng.randint(1, 6)} 楼会议室",
                    "participants": people,
                },
            )
        )
    for index in range(1, n_essays + 1):
        track = rng.choice(TRACK_KEYS)
        issue = rng.randint(1, n_issues) if rng.random() < 0.8 else None
        subject = rng.choice(TITLE_SUBJECTS)
        title = rng.choice(
            (
                f"{rng.choice(TRACK_TERMS[track])}调研心得：{subject}的故事",
                f"从{subject}看{rng.choice(TRACK_TERMS[track])}",
                f"{rng.choice(PLACES)}走访记：{rng.choice(HEADINGS)}",
                f"关于{rng.choice(TRACK_TERMS[track])}的{rng.choice(('几点思考', '一点体会', '三个问题', '一份清单'))}",
            )
        )
        roll = rng.random()
        if roll < 0.08:
            path = f"essays/{title.split('：')[0][:8]}{index}.md"  # a Chinese file name: slug from pinyin
        else:
            path = f"essays/{rng.choice(FILE_WORDS)}-{index:05d}.md"
        writers = (
            [pick_author()]
            if rng.random() < 0.9
            else list(dict.fromkeys(pick_author() for _ in range(rng.randint(2, 3))))
        )
        result.append(
            Doc(
                kind="essay",
                path=path,
                title=title,
                day=dated(issue),
                track=track,
                issue=issue,
                tags=tags_for(track),
                authors=writers,
                unit=unit_of[writers[0]] if rng.random() < 0.85 else None,
                slug=f"essay-{index}-custom" if roll > 0.98 else None,
                draft=rng.random() < 0.01,
                summary=rng.choice(SENTENCE_TEMPLATES[:1]).format(
                    place=rng.choice(PLACES), noun="基础", term=rng.choice(TRACK_TERMS[track]), adv="目前", adj="明显的"
                )
                if rng.random() < 0.2
                else None,
            )
        )
    result.append(Doc(kind="page", path="pages/about.md", title="关于潮闻", day=START))
    result.append(Doc(kind="page", path="pages/submit.md", title="投稿须知", day=START))
    images = [f"images/photo-{k:02d}.png" for k in range(1, 7)]
    target = next(d for d in result if d.kind == "essay" and not d.draft and d.slug is None and d.path.isascii())
    return Plan(result, issues, authors, images, edit_target=target.path)


# ----------------------------------------------------------------------------- writing
_YAML_SPECIAL = set(":#[]{},&*!|>'\"%@`")


def yaml_text(value: str) -> str:
    """A YAML scalar for ``value``: plain when safe, else double-quoted (JSON is valid YAML)."""
    if not value or value[0] in "-?" or any(c in _YAML_SPECIAL for c in value) or value != value.strip():
        return json.dumps(value, ensure_ascii=False)
    return value


def front_matter(doc: Doc, rng: random.Random) -> str:
    lines = ["---", f"title: {yaml_text(doc.title)}"]
    if rng.random() < 0.15 and doc.kind in ("essay", "minutes"):
        lines.append(f"date: {doc.day.isoformat()} {rng.randint(8, 21):02d}:{rng.choice((0, 15, 30, 45)):02d}")
    else:
        lines.append(f"date: {doc.day.isoformat()}")
    if doc.number is not None:
        lines.append(f"number: {doc.number}")
    if doc.track is not None:
        name = dict((k, n) for k, n, _ in TRACKS)[doc.track]
        lines.append(f"track: {name if rng.random() < 0.2 else doc.track}")
    if doc.issue is not None:
        lines.append(f"issue: {doc.issue}")
    if len(doc.authors) == 1:
        lines.append(f"author: {doc.authors[0]}")
    elif doc.authors:
        lines.append(f"authors: [{', '.join(doc.authors)}]")
    if doc.unit:
        lines.append(f"unit: {doc.unit}")
    for name, value in doc.extra_fields.items():
        if isinstance(value, list):
            lines.append(f"{name}:")
            lines.extend(f"  - {item}" for item in value)
        else:
            lines.append(f"{name}: {yaml_text(str(value))}")
    if doc.tags:
        style = rng.random()
        if style < 0.6:
            lines.append(f"tags: [{', '.join(doc.tags)}]")
        elif style < 0.85:
            lines.append("tags:")
            lines.extend(f"  - {tag}" for tag in doc.tags)
        else:
            lines.append(f"tags: {'、'.join(doc.tags)}")
    if doc.summary:
        lines.append(f"summary: {yaml_text(doc.summary)}")
    if doc.slug:
        lines.append(f"slug: {doc.slug}")
    if doc.draft:
        lines.append("draft: true")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


class BodyWriter:
    """Builds Markdown bodies of 1,500 to 3,000 Chinese characters from the sentence pools."""

    def __init__(self, rng: random.Random, vocab: Vocab, plan: Plan) -> None:
        self.rng = rng
        self.vocab = vocab
        self.plan = plan
        self.linkable = [d for d in plan.docs if d.kind in ("essay", "minutes") and not d.draft]

    def paragraph(self, track: str, sentences: int | None = None) -> str:
        rng = self.rng
        pool = self.vocab.sentences[track]
        parts = rng.choices(pool, k=sentences or rng.randint(3, 6))
        roll = rng.random()
        if roll < 0.25:  # bold next to Chinese punctuation: **“……”**，
            term = rng.choice(TRACK_TERMS[track])
            parts[0] = f"**“{term}”**，" + parts[0]
        elif roll < 0.4:
            word = rng.choice(NOUNS)
            parts[-1] = parts[-1][:-1] + f"，关键在**{word}**。"
        elif roll < 0.45:
            parts[-1] += f"文中提到的接口是 `{rng.choice(('MQTT', 'OPC UA', 'Modbus', 'HL7', 'FHIR', 'REST'))}`。"
        return "".join(parts)

    def link(self, own: str) -> str:
        target = self.rng.choice(self.linkable)
        if target.path == own:
            return ""
        return f"可以参看[{target.title}](../{target.path})。"

    def bullet_list(self, track: str) -> str:
        rng = self.rng
        items = []
        for _ in range(rng.randint(3, 5)):
            items.append(f"- {rng.choice(self.vocab.sentences[track])}")
            if rng.random() < 0.3:  # nested with two spaces, as editors type it
                items.extend(
                    f"  - {rng.choice(TRACK_TERMS[track])}：{rng.choice(NOUNS)}{rng.choice(VERBS)}" for _ in range(2)
                )
        return "\n".join(items)

    def ordered_list(self, track: str) -> str:
        pool = self.vocab.sentences[track]
        items = [f"{i}. {self.rng.choice(pool).removesuffix('。')}；" for i in range(1, self.rng.randint(3, 5) + 1)]
        return "\n".join(items)

    def tasks(self, track: str) -> str:
        rng = self.rng
        return "\n".join(
            f"- [{'x' if rng.random() < 0.5 else ' '}] {rng.choice(VERBS)}{rng.choice(TRACK_TERMS[track])}的{rng.choice(NOUNS)}"
            for _ in range(rng.randint(3, 5))
        )

    def table(self, track: str) -> str:
        rng = self.rng
        rows = ["| 事项 | 负责人 | 时间 | 进展 |", "|---|---|---|---:|"]
        for _ in range(rng.randint(3, 6)):
            name = rng.choice(self.plan.authors)[0]
            rows.append(
                f"| {rng.choice(VERBS)}{rng.choice(TRACK_TERMS[track])} | {name} | {rng.randint(1, 12)} 月 {rng.randint(1, 28)} 日前 | {rng.randint(0, 100)}% |"
            )
        return "\n".join(rows)

    def code(self) -> str:
        language, text = self.rng.choice(CODE_SNIPPETS)
        return f"```{language}\n{text}\n```"

    def quote(self) -> str:
        return f"> {self.rng.choice(QUOTES)}。{self.rng.choice(('这句话我记了很久。', '话糙理不糙。', '这是我们听到最多的一句话。'))}"

    def body(self, doc: Doc) -> str:
        rng = self.rng
        track = doc.track or rng.choice(TRACK_KEYS)
        target = rng.randint(1500, 3000)
        blocks: list[str] = [self.paragraph(track)]
        size = len(blocks[0])
        footnote = rng.random() < 0.12
        image = rng.random() < 0.03
        links = rng.random() < 0.2
        extras = [self.bullet_list, self.ordered_list, self.table, self.tasks]
        headings = rng.sample(HEADINGS, 6)
        section = 0
        while size < target:
            heading = headings[section % len(headings)]
            blocks.append(f"## {heading}" if section % 3 != 2 else f"### {heading}")
            section += 1
            for _ in range(rng.randint(1, 3)):
                text = self.paragraph(track)
                if links and rng.random() < 0.3:
                    text += self.link(doc.path)
                blocks.append(text)
                size += len(text)
            roll = rng.random()
            if roll < 0.45:
                block = rng.choice(extras)(track)
                blocks.append(block)
                size += len(block) // 2
            elif roll < 0.55:
                blocks.append(self.quote())
            elif roll < 0.62:
                blocks.append(self.code())
        if footnote:
            blocks[1 if len(blocks) > 1 else 0] += "[^1]"
            blocks.append(f"[^1]: 数据来源：{rng.choice(DEPARTMENTS)}{rng.randint(2015, 2025)}年统计公报。")
        if image:
            blocks.insert(2, f"![{rng.choice(PLACES)}调研现场](../{rng.choice(self.plan.images)})")
        return "\n\n".join(blocks) + "\n"

    def minutes_body(self, doc: Doc) -> str:
        rng = self.rng
        track = doc.track or "iot"
        people = list(doc.extra_fields.get("participants", [])) or [doc.extra_fields.get("host", "主持人")]
        blocks = ["## 主题", self.paragraph(track, 4), "## 发言摘要"]
        size = 0
        for person in people:
            blocks.append(f"### {person}（{rng.choice(DEPARTMENTS)}）")
            text = self.paragraph(track)
            blocks.append(text)
            size += len(text)
        while size < rng.randint(1500, 3000):
            text = self.paragraph(track)
            blocks.append(text)
            size += len(text)
        blocks += [
            "## 讨论结论",
            "大家一致认为，下一阶段的重点是：",
            self.ordered_list(track),
            "## 行动清单",
            self.table(track),
        ]
        blocks.append(f"记录：{rng.choice(people)}")
        return "\n\n".join(blocks) + "\n"

    def issue_body(self, doc: Doc, members: list[Doc]) -> str:
        blocks = [
            "## 卷首语",
            self.paragraph("iot"),
            self.paragraph("health"),
            self.paragraph("materials"),
            "## 本期目录",
        ]
        if members:
            blocks.append("\n".join(f"- [{m.title}](../{m.path})" for m in members[:30]))
        blocks.append("## 编者按")
        size = sum(len(b) for b in blocks)
        while size < self.rng.randint(1500, 3000):
            text = self.paragraph(self.rng.choice(TRACK_KEYS))
            blocks.append(text)
            size += len(text)
        blocks.append("——潮闻编辑部")
        return "\n\n".join(blocks) + "\n"


PAGES = {
    "pages/about.md": (
        "**“潮闻”**是区年轻干部产业成长营的交流刊物，由学员和带教老师共同编辑，不定期出刊。\n\n"
        "## 三个赛道\n\n"
        + "\n".join(f"- **{name}**：{description}" for _, name, description in TRACKS)
        + "\n\n成长营的课程安排可以查看[成长营课程表](../files/schedule.pdf)，投稿请看[投稿须知](submit.md)。\n"
    ),
    "pages/submit.md": (
        "来稿请围绕三个赛道，写具体的企业、具体的数字和具体的想法，不求文采，但求真实。\n\n"
        "## 格式\n\n1. 标题、作者、单位写在文首；\n2. 正文 1500 到 3000 字；\n3. 图片另附原图。\n"
    ),
}


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A valid PNG of one colour, made without any imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def config_yaml() -> str:
    lines = [
        "title: 潮闻",
        "description: 区年轻干部产业成长营的交流刊物（基准测试用的生成站点）。",
        "base_url: https://example.org/",
        "language: zh-CN",
        "timezone: Asia/Shanghai",
        "theme: default",
        "per_page: 10",
        "author: 潮闻编辑部",
        "tracks:",
    ]
    for key, name, description in TRACKS:
        lines += [f"  - key: {key}", f"    name: {name}", f"    description: {description}"]
    return "\n".join(lines) + "\n"


def prepare_out(out: Path) -> None:
    """Empty ``out`` if it is an earlier generated site; refuse to touch anything else."""
    if out.exists():
        if (out / MARKER).is_file() or (out.is_dir() and not any(out.iterdir())):
            shutil.rmtree(out)
        else:
            raise SystemExit(f"{out} exists and is not a generated benchmark site; choose another --out")
    out.mkdir(parents=True)


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def generate(docs: int, seed: int, out: Path) -> dict[str, object]:
    """Write the site into ``out``; return what ``.bench-corpus.json`` records."""
    rng = random.Random(seed)
    prepare_out(out)
    vocab = Vocab(rng)
    vocab.fill()
    layout = plan(docs, rng)
    writer = BodyWriter(rng, vocab, layout)
    content = out / "content"
    members: dict[int, list[Doc]] = {}
    for doc in layout.docs:
        if doc.issue is not None and not doc.draft:
            members.setdefault(doc.issue, []).append(doc)
    write_text(out / "chaowen.yaml", config_yaml())
    for doc in layout.docs:
        if doc.kind == "page":
            body = PAGES[doc.path]
        elif doc.kind == "issue":
            body = writer.issue_body(doc, members.get(doc.number or 0, []))
        elif doc.kind == "minutes":
            body = writer.minutes_body(doc)
        else:
            body = writer.body(doc)
        write_text(content / doc.path, front_matter(doc, rng) + body)
    for index, name in enumerate(layout.images):
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_bytes(png(160, 90, ((index * 40) % 256, 120, 200 - index * 20)))
    (content / "files").mkdir(parents=True, exist_ok=True)
    (content / "files" / "schedule.pdf").write_bytes(b"%PDF-1.4\n% chaowen benchmark placeholder\n%%EOF\n")
    counts: dict[str, int] = {}
    for doc in layout.docs:
        counts[doc.kind] = counts.get(doc.kind, 0) + 1
    summary: dict[str, object] = {
        "docs": len(layout.docs),
        "seed": seed,
        "counts": counts,
        "drafts": sum(1 for d in layout.docs if d.draft),
        "authors": len({a for d in layout.docs for a in d.authors}),
        "tags": len({t for d in layout.docs for t in d.tags}),
        "edit_target": layout.edit_target,
    }
    write_text(out / MARKER, json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=1000, help="number of Markdown documents (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="site folder to write (replaced if generated before)")
    args = parser.parse_args(argv)
    if args.docs < 10:
        parser.error("--docs must be at least 10")
    started = time.perf_counter()
    summary = generate(args.docs, args.seed, args.out)
    print(
        f"wrote {summary['docs']} documents {summary['counts']} to {args.out} in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
