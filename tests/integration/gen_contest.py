#!/usr/bin/env python3
"""Generates a random but seeded contest as the import CSV files of SPEC
section 7: events.csv, criteria.csv, contestants.csv, judges.csv, checkin.csv
and scores.csv (contestants named by reg_id), in --out DIR.

The contest exercises the rules of SPEC section 4: all six methods, weighted
(e.g. 30/70) and unweighted events, tie-break chains, award ratios with
fractional per cents, a minimum award score on some events, judges sharing an
organization with contestants (recusal), chief judges, teams, statuses from
check-in (absent, withdrawn, disqualified; elapsed times, some unknown),
copied score sheets (exact ties), spreads exactly at the discrepancy limit,
deductions larger than a module's marks and a few revised values (the latest
counts).  The scores are complete and without open discrepancies, so every
event can be locked.  Only the standard library; no float in any mark.

--tricky adds edge cases: events of 1 to 11 contestants (some with nobody
competing), ratios 0/0/0, 100/0/0 and 33.33/33.33/33.34, module weights of 0
and 1, maxima of 0.01 and 999999.99, elapsed times of 0 and names with
commas and double quotes (CSV quoting in the results) or starting like a
spreadsheet formula (=, -, @, +: neutralized with a "'" in the results).
"""

import argparse
import csv
import os
import random

METHODS = ["measurement", "deduction", "mean", "trimmed", "median", "judgement"]
EVENT_NAMES = ["数控铣", "焊接", "电子商务直播", "导游服务", "育婴", "新能源汽车维修", "砌筑",
               "美发", "烹饪（中餐）", "网络安全", "工业机器人", "健康照护", "花艺", "车身修理",
               "电气装置", "餐厅服务", "平面设计", "物联网安装调试", "家政服务", "茶艺"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红晓东海波宇浩然子轩梓涵一诺欣怡思远嘉怡俊杰雨桐"
CITIES = ["北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "西安", "天津", "重庆", "苏州"]
ORG_KINDS = ["第{}技师学院", "第{}职业技术学校", "{}号高级技工学校", "第{}中等专业学校"]
JUDGE_ORGS = ["市质检院", "省技能鉴定中心", "市人社局培训中心", "行业协会", "市总工会"]
REASONS = {"absent": ["未到场", "检录未到"], "withdrawn": ["伤病退赛", "弃权"],
           "disqualified": ["违反安全规定", "使用违禁工具"]}


def fmt_c(c, rng, plain=False):
    """hundredths -> text, in one of the forms a person would type."""
    whole, frac = divmod(c, 100)
    if plain or rng.random() < 0.6:
        if frac == 0:
            return str(whole)
        if frac % 10 == 0:
            return f"{whole}.{frac // 10}"
        return f"{whole}.{frac:02d}"
    return f"{whole}.{frac:02d}"


def person(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def weights(rng, n, tricky=False):
    """n whole per cents, multiples of 5 or 10, summing to 100."""
    presets = {2: [(30, 70), (40, 60), (50, 50), (25, 75), (35, 65), (70, 30)],
               3: [(20, 30, 50), (30, 30, 40), (25, 25, 50), (15, 35, 50), (40, 40, 20)]}
    if tricky:
        presets[2] += [(0, 100), (1, 99)]
        presets[3] += [(0, 40, 60), (1, 1, 98), (33, 33, 34)]
    if n in presets:
        return list(rng.choice(presets[n]))
    base = [100 // n] * n
    base[-1] += 100 - sum(base)
    return base


def generate(args):
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    n_orgs = max(6, (args.events * args.contestants_per_event) // 6)
    orgs = []
    while len(orgs) < n_orgs:
        o = rng.choice(CITIES) + rng.choice(ORG_KINDS).format(rng.randint(1, 40))
        if o not in orgs:
            orgs.append(o)

    events, criteria, contestants, judges, checkin, scores = [], [], [], [], [], []
    method_cycle = []
    judge_no = 0
    judge_info = {}       # code -> (name, org, pin)
    stats = {"ties": 0, "at_limit": 0, "floored": 0, "revisions": 0, "recused": 0}

    for ei in range(args.events):
        code = f"E{ei + 1:02d}"
        name = EVENT_NAMES[ei % len(EVENT_NAMES)] + ("" if ei < len(EVENT_NAMES) else f"{ei // len(EVENT_NAMES) + 1}")
        pct = rng.choice([None, 20, 10, 30, 25, 15])
        pct_v = 20 if pct is None else pct

        # --- score sheet
        n_mod = rng.choice([2, 2, 3])
        n_crit = rng.randint(max(n_mod + 1, 4), 7)
        methods = []
        while len(methods) < n_crit:
            if not method_cycle:
                method_cycle = METHODS[:]
                rng.shuffle(method_cycle)
            methods.append(method_cycle.pop())
        mod_codes = ["A", "B", "C"][:n_mod]
        # every module gets at least one criterion that is not a deduction
        while sum(1 for m in methods if m != "deduction") < n_mod:
            methods[methods.index("deduction")] = "mean"
        positive = [m for m in methods if m != "deduction"]
        assign = []
        for mi in range(n_mod):
            assign.append([positive[mi]])
        rest = methods[:]
        for mi in range(n_mod):
            rest.remove(positive[mi])
        for m in rest:
            assign[rng.randrange(n_mod)].append(m)
        weighted = rng.random() < 0.6
        wts = weights(rng, n_mod, args.tricky) if weighted else [None] * n_mod
        crits = []  # dicts
        for mi, mc in enumerate(mod_codes):
            for ci, m in enumerate(assign[mi]):
                if m == "judgement":
                    mx = rng.choice([1000, 750, 2000, 500, 1500])
                elif m == "deduction":
                    mx = rng.choice([500, 1000, 3000])
                elif m == "measurement":
                    mx = rng.choice([500, 1000, 2000, 250])
                else:
                    mx = rng.choice([1000, 2000, 1500, 2500, 3000, 750])
                    if args.tricky and rng.random() < 0.3:
                        mx = rng.choice([1, 3, 7, 100000, 99999999])
                step = rng.choice([1, 5, 25, 50, 100]) if m != "judgement" else 1
                crits.append({"code": f"{mc}{ci + 1}", "module": mc, "method": m, "max_c": mx,
                              "step": step})
                criteria.append({
                    "event": code, "module": mc,
                    "module_name": f"模块{mc}：" + rng.choice(["实操", "理论", "工艺", "安全文明", "综合"])
                    if ci == 0 or rng.random() < 0.5 else "",
                    "module_weight": "" if wts[mi] is None or (ci > 0 and rng.random() < 0.5) else str(wts[mi]),
                    "code": f"{mc}{ci + 1}",
                    "description": rng.choice(["尺寸精度", "表面质量", "操作规范", "讲解内容", "应变能力",
                                               "安全文明生产", "工艺编制", "职业素养"]),
                    "max": fmt_c(mx, rng), "method": m})
        # module names must be repeated identically or left empty: the first
        # row of each module carries them, later rows copy or leave empty
        mod_rows = {}
        for row in criteria:
            if row["event"] != code:
                continue
            first = mod_rows.setdefault(row["module"], row)
            if first is not row and row["module_name"] != "":
                row["module_name"] = first["module_name"]

        # --- event row
        tb_choices = ["", "time", f"module:{mod_codes[-1]};time",
                      f"criterion:{crits[0]['code']};module:{mod_codes[0]}",
                      f"module:{mod_codes[0]};criterion:{crits[-1]['code']};time"]
        tiebreak = rng.choice(tb_choices)
        ratios = rng.choice(["", "10/20/30", "15/25/35", "5/15/30", "12.5/20/30", "20/30/30", "3.33/6.67/10"]
                            + (["0/0/0", "50/30/20", "33.33/33.33/33.34", "100/0/0", "0/0/50", "0.01/0.01/0.01"]
                               if args.tricky else []))
        if weighted:
            max_total = 10000
        else:
            max_total = sum(c["max_c"] for c in crits if c["method"] != "deduction")
        min_award = ""
        if rng.random() < 0.4:
            min_award = fmt_c(min(100000000, (max_total * rng.choice([55, 60, 65, 70]) // 100) // 50 * 50),
                              rng, plain=True)
        events.append({"code": code, "name": name, "award_ratios": ratios, "min_award_score": min_award,
                       "tiebreak": tiebreak, "discrepancy_pct": "" if pct is None else str(pct)})

        # --- contestants
        n_ct = args.contestants_per_event
        if args.tricky:
            n_ct = rng.choice([1, 2, 3, 4, 5, 7, 10, 11, n_ct])
        nobody = args.tricky and rng.random() < 0.1     # every contestant absent or out
        team = rng.random() < 0.2
        ev_orgs = rng.sample(orgs, min(len(orgs), max(3, n_ct // 4)))
        start = rng.randint(1, 9)
        ev_cts = []
        for k in range(n_ct):
            reg = f"{code}-{start + k}"     # not zero-padded: byte order differs from number order
            org = rng.choice(ev_orgs)
            row = {"reg_id": reg, "organization": org, "event": code, "id_number": "", "members": ""}
            if team:
                members = [person(rng) for _ in range(rng.randint(2, 3))]
                row["name"] = rng.choice(CITIES) + rng.choice(["精英队", "先锋队", "工匠队", "之星队"]) + str(k + 1)
                row["members"] = ";".join(members)
            else:
                row["name"] = person(rng)
                if args.tricky and rng.random() < 0.1:
                    row["name"] = rng.choice(['"飞鹰"', "张三,李四", "O'Brien 欧", "a\"b,c",
                                              "=1+1 欧", "-王", "@李", "+86 队"])
                if rng.random() < 0.3:
                    row["id_number"] = "%06d%08d%03d%s" % (rng.randint(110000, 659000), rng.randint(19900101, 20081231),
                                                           rng.randint(0, 999), rng.choice("0123456789X"))
            contestants.append(row)
            ev_cts.append(row)

        # --- judges: role judge, distinct organizations among the event's
        # panel so every contestant keeps at least n-1 judges; one chief
        n_j = args.judges_per_event + (ei % 2)
        panel = []
        used_orgs = set()
        for k in range(n_j):
            reuse = [jc for jc, (_, o, _) in judge_info.items()
                     if jc not in panel and o not in used_orgs and rng.random() < 0.1]
            if reuse and k > 0:
                jc = reuse[0]
            else:
                judge_no += 1
                jc = f"J{judge_no:03d}"
                r = rng.random()
                if r < 0.45:
                    cand = [o for o in ev_orgs if o not in used_orgs]
                    org = rng.choice(cand) if cand else ""
                elif r < 0.65:
                    org = ""
                else:
                    org = rng.choice(JUDGE_ORGS) + str(judge_no)
                judge_info[jc] = (person(rng), org, "%06d" % rng.randint(0, 999999))
            nm, org, pin = judge_info[jc]
            if org:
                used_orgs.add(org)
            panel.append(jc)
            judges.append({"code": jc, "name": nm, "organization": org, "pin": pin, "event": code, "role": "judge"})
        judge_no += 1
        cc = f"C{judge_no:03d}"
        judge_info[cc] = (person(rng), rng.choice(JUDGE_ORGS), "%06d" % rng.randint(0, 999999))
        judges.append({"code": cc, "name": judge_info[cc][0], "organization": judge_info[cc][1],
                       "pin": judge_info[cc][2], "event": code, "role": "chief"})

        # --- statuses (check-in) and elapsed times
        times = [rng.randint(1800, 7200) for _ in range(max(3, n_ct // 5))]  # few distinct: equal times
        if args.tricky:
            times += [0, 1]
        status = {}
        for row in ev_cts:
            r = rng.random()
            if nobody:
                r = rng.random() * 0.13
            st = ("absent" if r < 0.05 else "withdrawn" if r < 0.09 else
                  "disqualified" if r < 0.13 else "competed")
            status[row["reg_id"]] = st
            elapsed = "" if rng.random() < 0.2 else str(rng.choice(times))
            if st == "competed":
                if elapsed == "" and rng.random() < 0.5:
                    continue      # no check-in row: stays competed from the draw
                checkin.append({"reg_id": row["reg_id"], "status": st, "elapsed_s": elapsed, "reason": ""})
            else:
                checkin.append({"reg_id": row["reg_id"], "status": st,
                                "elapsed_s": elapsed if st == "disqualified" else "",
                                "reason": rng.choice(REASONS[st])})

        # --- values: per contestant, per criterion, per non-recused judge
        ev_rows = []
        sheets = {}            # reg -> {(crit, judge): value_c}
        by_org = {}
        for row in ev_cts:
            reg, org = row["reg_id"], row["organization"]
            if status[reg] in ("absent", "withdrawn"):
                continue
            ok_judges = [j for j in panel if not (judge_info[j][1] and judge_info[j][1] == org)]
            stats["recused"] += len(panel) - len(ok_judges)
            twin = by_org.get(org)
            if twin and rng.random() < 0.15:
                sheet = dict(sheets[twin])    # same organization: same panel, exact tie
                stats["ties"] += 1
            else:
                sheet = {}
                ability = rng.randint(30, 98)
                for c in crits:
                    mx, st = c["max_c"], c["step"]
                    m = c["method"]
                    if m == "judgement":
                        k = min(3, max(0, (ability * 4) // 100 - rng.randint(0, 1)))
                        hi = min(3, k + 1)
                        for j in ok_judges:
                            sheet[(c["code"], j)] = rng.choice([k, hi])
                        continue
                    if m in ("measurement", "deduction"):
                        if m == "measurement":
                            v = (mx * min(100, ability + rng.randint(-10, 10)) // 100) // st * st
                        else:
                            r = rng.random()
                            v = 0 if r < 0.65 else (rng.randint(1, max(1, mx // 5)) // st * st if r < 0.93 else mx)
                            if v == mx:
                                stats["floored"] += 1
                        v = max(0, min(mx, v))
                        who = ok_judges if rng.random() < 0.4 else [rng.choice(ok_judges)]
                        for j in who:
                            sheet[(c["code"], j)] = v
                        continue
                    limit = pct_v * mx // 100             # spread allowed, hundredths (floor)
                    span = limit // st * st
                    if rng.random() < 0.25:
                        span = (rng.randint(0, max(0, span)) // st) * st
                    base = mx * ability // 100
                    lo = max(0, min(mx - span, base - span // 2)) // st * st
                    vals = [lo + (rng.randint(0, span // st) * st if span else 0) for _ in ok_judges]
                    if len(vals) >= 2 and span and rng.random() < 0.3:
                        vals[0], vals[1] = lo, lo + span      # spread exactly at the step-floored limit
                        if span == limit:
                            stats["at_limit"] += 1
                    for j, v in zip(ok_judges, vals):
                        sheet[(c["code"], j)] = min(mx, v)
            sheets[reg] = sheet
            by_org.setdefault(org, reg)
            for (cc_, j), v in sheet.items():
                ev_rows.append({"event": code, "contestant": reg, "criterion": cc_, "judge": j,
                                "value": str(v) if next(c for c in crits if c["code"] == cc_)["method"] == "judgement"
                                else fmt_c(v, rng)})
        # a few revisions: an earlier, different value entered before the final one
        rng.shuffle(ev_rows)
        final = list(ev_rows)
        for i in range(len(final)):
            if rng.random() < args.revisions:
                row = final[i]
                c = next(c for c in crits if c["code"] == row["criterion"])
                old = dict(row)
                old["value"] = str(rng.randint(0, 3)) if c["method"] == "judgement" else fmt_c(rng.randint(0, c["max_c"]), rng)
                if old["value"] != row["value"]:
                    j = rng.randint(0, ev_rows.index(row))
                    ev_rows.insert(j, old)
                    stats["revisions"] += 1
        scores.extend(ev_rows)

    def write(name, fields, rows):
        with open(os.path.join(args.out, name), "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)

    write("events.csv", ["code", "name", "award_ratios", "min_award_score", "tiebreak", "discrepancy_pct"], events)
    write("criteria.csv", ["event", "module", "module_name", "module_weight", "code", "description", "max", "method"], criteria)
    write("contestants.csv", ["reg_id", "name", "organization", "event", "id_number", "members"], contestants)
    write("judges.csv", ["code", "name", "organization", "pin", "event", "role"], judges)
    write("checkin.csv", ["reg_id", "status", "elapsed_s", "reason"], checkin)
    write("scores.csv", ["event", "contestant", "criterion", "judge", "value"], scores)
    print(f"gen_contest: {len(events)} events, {len(criteria)} criteria, {len(contestants)} contestants, "
          f"{len(judges)} judge assignments, {len(checkin)} check-in rows, {len(scores)} score rows "
          f"({stats['revisions']} revisions, {stats['ties']} copied sheets, {stats['at_limit']} spreads at the limit, "
          f"{stats['floored']} full deductions, {stats['recused']} recusals)")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--events", type=int, default=4)
    ap.add_argument("--contestants-per-event", type=int, default=38)
    ap.add_argument("--judges-per-event", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--revisions", type=float, default=0.01, help="share of values entered twice")
    ap.add_argument("--tricky", action="store_true",
                    help="edge cases: tiny events, 0 and 100 per cent ratios, zero weights, "
                         "marks of 0.01 and 999999.99, names with commas and quotes")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if args.judges_per_event < 2:
        ap.error("--judges-per-event must be at least 2")
    generate(args)


if __name__ == "__main__":
    main()
