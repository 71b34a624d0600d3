#!/usr/bin/env python3
"""Generates the contests of bench/run as the import CSV files of SPEC
section 7, the same for the same arguments (seeded):

  events.csv criteria.csv contestants.csv judges.csv
  scores/EVENT.csv   one paper score sheet file per event (event, contestant
                     by reg_id, criterion, judge, value), complete: every judge
                     scores every contestant on every criterion
  manifest.tsv       one line per event: code, contestants, criteria (comma-
                     separated), judge codes (comma-separated), judge PINs

The contest-day figure of issue 11 is the default: 74 events, 30,000
contestants in events of 40 to 2,000 (log-normal sizes, a city contest's mix
of small and large events), 20 criteria in 4 weighted modules, 5 judges per
event, so 3,000,000 values. --sizes equal gives every event the same size.
--methods mean makes every criterion a plain mean out of 10 (what the
load generators post); mixed (the default) uses mean, trimmed, median,
judgement and measurement. Judges never share an organization with a
contestant (no recusal). Only the standard library; marks are integers in
hundredths throughout, never floats.
"""

import argparse
import os
import random

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红晓东海波宇浩然子轩梓涵一诺欣怡思远嘉俊雨桐"
EVENT_NAMES = ["数控铣", "焊接", "电子商务直播", "导游服务", "育婴", "新能源汽车维修", "砌筑", "美发", "烹饪（中餐）",
               "网络安全", "工业机器人", "健康照护", "花艺", "车身修理", "电气装置", "餐厅服务", "平面设计",
               "物联网安装调试", "家政服务", "茶艺"]
CITIES = ["北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "西安", "天津", "重庆", "苏州"]
ORG_KINDS = ["第{}技师学院", "第{}职业技术学校", "{}号高级技工学校", "第{}中等专业学校", "{}号职业培训中心"]
JUDGE_ORGS = ["市质检院", "省技能鉴定中心", "市人社局培训中心", "行业协会", "市总工会"]
MODULES = [("A", "理论与规范", 20), ("B", "实操一", 30), ("C", "实操二", 20), ("D", "职业素养", 30)]
MIXED = ["mean", "trimmed", "median", "judgement", "measurement"]


def event_sizes(rng, n_events, total, kind, lo=40, hi=2000):
    """n_events whole sizes summing to total: equal, or log-normal in [lo, hi]."""
    if kind == "equal":
        base = [total // n_events] * n_events
        for i in range(total - sum(base)):
            base[i] += 1
        return base
    lo = min(lo, total // n_events)
    raw = [rng.lognormvariate(0, 0.9) for _ in range(n_events)]
    sizes = []
    for _ in range(50):  # rescale and clip until the clipped sizes fit the total
        scale = total / sum(raw)
        sizes = [min(hi, max(lo, round(x * scale))) for x in raw]
        if abs(sum(sizes) - total) <= n_events:
            break
        raw = [s * (total / sum(sizes)) for s in sizes]
    i = 0
    while sum(sizes) != total:  # spread the rounding difference, within bounds
        step = 1 if sum(sizes) < total else -1
        if lo <= sizes[i % n_events] + step <= hi:
            sizes[i % n_events] += step
        i += 1
    return sizes


def fmt_c(c):
    """hundredths -> the shortest text a person would type."""
    whole, frac = divmod(c, 100)
    if frac == 0:
        return str(whole)
    return f"{whole}.{frac:02d}".rstrip("0")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=20261123)
    p.add_argument("--events", type=int, default=74)
    p.add_argument("--contestants", type=int, default=30000, help="in all events together")
    p.add_argument("--criteria", type=int, default=20, help="per event")
    p.add_argument("--judges", type=int, default=5, help="per event (role judge)")
    p.add_argument("--sizes", choices=["varied", "equal"], default="varied")
    p.add_argument("--methods", choices=["mixed", "mean"], default="mixed")
    p.add_argument("--prefix", default="E", help="first letters of event, reg_id and judge codes")
    p.add_argument("--no-scores", action="store_true", help="registration only, no score sheets")
    a = p.parse_args()
    if a.events < 1 or a.contestants < a.events or a.criteria < 4 or a.judges < 1:
        p.error("want at least 1 event, 1 contestant per event, 4 criteria and 1 judge")

    rng = random.Random(a.seed)
    os.makedirs(os.path.join(a.out, "scores"), exist_ok=True)
    sizes = event_sizes(rng, a.events, a.contestants, a.sizes)
    orgs = set()
    while len(orgs) < max(6, a.contestants // 6):
        orgs.add(rng.choice(CITIES) + rng.choice(ORG_KINDS).format(rng.randint(1, 99)))
    orgs = sorted(orgs)
    crits = []  # (code, module, method)
    for k in range(a.criteria):
        m = MODULES[k * len(MODULES) // a.criteria][0]
        crits.append((f"{m}{k + 1:02d}", m, "mean" if a.methods == "mean" else MIXED[k % len(MIXED)]))

    w = {n: open(os.path.join(a.out, n + ".csv"), "w", encoding="utf-8")
         for n in ("events", "criteria", "contestants", "judges")}
    w["events"].write("code,name\n")
    w["criteria"].write("event,module,module_name,module_weight,code,description,max,method\n")
    w["contestants"].write("reg_id,name,organization,event\n")
    w["judges"].write("code,name,organization,pin,event,role\n")
    manifest = open(os.path.join(a.out, "manifest.tsv"), "w", encoding="utf-8")
    width = len(str(a.events))
    reg, judge_no = 0, 0
    for e, size in enumerate(sizes):
        ev = f"{a.prefix}{e + 1:0{width}d}"
        w["events"].write(f"{ev},{EVENT_NAMES[e % len(EVENT_NAMES)]}{e // len(EVENT_NAMES) + 1}\n")
        for code, m, method in crits:
            _, mname, weight = next(x for x in MODULES if x[0] == m)
            w["criteria"].write(f"{ev},{m},{mname},{weight},{code},评分项{code},10,{method}\n")
        regs = []
        for _ in range(size):
            reg += 1
            regs.append(f"{a.prefix}{reg:07d}")
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
            w["contestants"].write(f"{regs[-1]},{name},{rng.choice(orgs)},{ev}\n")
        judges, pins = [], []
        for _ in range(a.judges):
            judge_no += 1
            judges.append(f"J{a.prefix}{judge_no:04d}")
            pins.append(f"{100000 + judge_no:06d}")
            w["judges"].write(f"{judges[-1]},裁判{judge_no},{rng.choice(JUDGE_ORGS)},{pins[-1]},{ev},judge\n")
        manifest.write(f"{ev}\t{size}\t{','.join(c[0] for c in crits)}\t{','.join(judges)}\t{','.join(pins)}\n")
        if a.no_scores:
            continue
        # One paper sheet per judge: the judge's values for every contestant
        # and criterion. Judges mostly agree around the contestant's level;
        # measurement criteria are agreed values.
        level = [rng.randint(45, 98) for _ in regs]
        agreed = [[rng.randint(0, 20) * 50 for _ in crits] for _ in regs]
        with open(os.path.join(a.out, "scores", ev + ".csv"), "w", encoding="utf-8") as f:
            f.write("event,contestant,criterion,judge,value\n")
            for j in judges:
                out = []
                for i, r in enumerate(regs):
                    for k, (code, _, method) in enumerate(crits):
                        if method == "judgement":
                            v = min(3, max(0, (level[i] * 3 + 50) // 100 + rng.randint(-1, 1))) * 100
                        elif method == "measurement":
                            v = agreed[i][k]
                        else:
                            v = min(1000, max(0, level[i] * 10 + rng.randint(-60, 60)))
                        out.append(f"{ev},{r},{code},{j},{fmt_c(v)}\n")
                f.write("".join(out))
    for f in w.values():
        f.close()
    manifest.close()


if __name__ == "__main__":
    main()
