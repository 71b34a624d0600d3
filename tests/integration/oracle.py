#!/usr/bin/env python3
"""An independent implementation of the scoring rules of SPEC section 4.

Reads a contest's import CSV files (events, criteria, contestants, judges,
checkin, scores; SPEC section 7) and writes, per event, the results exactly
as `judge-cli results EVENT --format csv` should print them.  Everything is
exact: marks are integers in hundredths, means are fractions.Fraction, and
rounding is an explicit half-up (away from zero).  No float anywhere.

Decisions where SPEC is silent (chosen to match the engine's contract):
  * a criterion with no values has mark 0;
  * values of a recused judge (same non-empty organization) are ignored;
  * only judges with role "judge" in the event count;
  * unranked contestants follow the ranked ones, ordered by status
    (registered, absent, withdrawn, disqualified) then reg_id (byte order);
  * contestants sharing a rank are displayed by reg_id (byte order);
  * a total below the minimum award score keeps its rank, gets no award;
  * C_t = round_half_up(N x cumulative ratio / 100).
  * the scores file is taken after the draw: a contestant without a check-in
    row is `competed`.

Usage:
  oracle.py expect --dir DIR --out OUTDIR [--skip checkin] [--result-status S]
                                              write OUTDIR/EVENT.csv, print counts
                                              (S: the result_status column,
                                              default locked; provisional before)
  oracle.py lockable --dir DIR                exit 1 if any event has blockers
  oracle.py check-json --expected F.csv --json F.json
                                              compare judge-cli's JSON to the CSV
  oracle.py selfcheck                         hand-computed cases from SPEC
"""

import argparse
import csv
import io
import json
import os
import sys
from fractions import Fraction

METHODS = ("measurement", "deduction", "mean", "trimmed", "median", "judgement")
STATUS_ORDER = {"registered": 0, "competed": 0, "absent": 1, "withdrawn": 2, "disqualified": 3}
AWARDS = {1: "first", 2: "second", 3: "third"}
AWARD_NAMES = {"first": "一等奖", "second": "二等奖", "third": "三等奖"}


class OracleError(Exception):
    pass


# ---------------------------------------------------------------- arithmetic

def round_half_up(x):
    """Rounds a Fraction (or int) to the nearest integer, halves away from 0."""
    x = Fraction(x)
    if x < 0:
        return -round_half_up(-x)
    # floor(x + 1/2) for x >= 0, done on integers
    num, den = x.numerator, x.denominator
    return (2 * num + den) // (2 * den)


def parse_mark(text, what="mark"):
    """'7', '7.5', '0.25', '012.50' -> hundredths (int). Strict."""
    s = text.strip() if text is not None else ""
    if s == "" or s.startswith(("+", "-")):
        raise OracleError(f"bad {what} {text!r}")
    whole, dot, frac = s.partition(".")
    if not whole.isdigit() or (dot and (not frac.isdigit() or len(frac) > 2)):
        raise OracleError(f"bad {what} {text!r}")
    if not whole.isascii() or (frac and not frac.isascii()):
        raise OracleError(f"bad {what} {text!r}")
    return int(whole) * 100 + (int(frac.ljust(2, "0")) if frac else 0)


def fmt_c(c):
    """hundredths -> 'x.yy'"""
    sign = "-" if c < 0 else ""
    c = abs(c)
    return f"{sign}{c // 100}.{c % 100:02d}"


def parse_ratios(text):
    """'10/20/30' -> [1000, 2000, 3000] (hundredths of a per cent)."""
    if text is None or text.strip() == "":
        return [1000, 2000, 3000]
    parts = text.strip().split("/")
    if len(parts) != 3:
        raise OracleError(f"bad award ratios {text!r}")
    return [parse_mark(p, "award ratio") for p in parts]


# ------------------------------------------------------------- the rules

def criterion_mark(method, max_c, values):
    """values: list of ints (hundredths; for judgement the raw 0..3 integers).
    Returns the rounded mark in hundredths."""
    n = len(values)
    if n == 0:
        return 0
    vs = sorted(values)
    if method in ("measurement", "deduction"):
        if vs[0] == vs[-1]:
            return vs[0]
        # a discrepancy: SPEC gives no mark; the event cannot be locked anyway
        return round_half_up(Fraction(sum(vs), n))
    if method == "mean":
        return round_half_up(Fraction(sum(vs), n))
    if method == "trimmed":
        if n >= 3:
            vs = vs[1:-1]
        return round_half_up(Fraction(sum(vs), len(vs)))
    if method == "median":
        if n % 2 == 1:
            return vs[n // 2]
        return round_half_up(Fraction(vs[n // 2 - 1] + vs[n // 2], 2))
    if method == "judgement":
        return round_half_up(Fraction(max_c * sum(vs), 3 * n))
    raise OracleError(f"unknown method {method!r}")


def is_discrepancy(method, max_c, pct, values):
    if len(values) < 2:
        return False
    spread = max(values) - min(values)
    if method in ("measurement", "deduction"):
        return spread != 0
    if method == "judgement":
        return spread > 1
    # spread (hundredths) > pct% of M (hundredths), compared exactly
    return spread * 100 > pct * max_c


def cutoffs(n_ranked, ratio_c):
    out, cum = [], 0
    for r in ratio_c:
        cum += r
        out.append(round_half_up(Fraction(n_ranked * cum, 10000)))
    return out


class Event:
    def __init__(self, code, name):
        self.code = code
        self.name = name
        self.ratio_c = [1000, 2000, 3000]
        self.min_award_c = None
        self.tiebreak = []
        self.pct = 20
        self.modules = []          # [{"code","name","weight","criteria":[crit...]}]
        self.module_by_code = {}
        self.criteria = []         # [{"code","module","max_c","method"}]
        self.crit_by_code = {}
        self.contestants = []      # reg_ids in import order
        self.judges = {}           # judge code -> role


class Contest:
    def __init__(self):
        self.events = {}
        self.event_order = []
        self.contestants = {}      # reg_id -> dict
        self.judges = {}           # code -> {"org"}
        self.values = {}           # (reg_id, criterion code, judge code) -> int


def read_csv(path):
    """Rows of a CSV with a header, as (line number, dict). UTF-8, BOM ok."""
    with open(path, "rb") as f:
        data = f.read()
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = list(reader)
    if not rows:
        raise OracleError(f"{path}: empty file")
    header = [h.strip() for h in rows[0]]
    out = []
    for i, r in enumerate(rows[1:], start=2):
        if not r or all(c.strip() == "" for c in r):
            continue
        out.append((i, {h: (r[j] if j < len(r) else "") for j, h in enumerate(header)}))
    return out


def load(d, skip=()):
    c = Contest()
    for ln, r in read_csv(os.path.join(d, "events.csv")):
        ev = Event(r["code"], r["name"])
        ev.ratio_c = parse_ratios(r.get("award_ratios"))
        m = (r.get("min_award_score") or "").strip()
        ev.min_award_c = parse_mark(m) if m else None
        tb = (r.get("tiebreak") or "").strip()
        ev.tiebreak = [k.strip() for k in tb.split(";") if k.strip()] if tb else []
        p = (r.get("discrepancy_pct") or "").strip()
        ev.pct = int(p) if p else 20
        c.events[ev.code] = ev
        c.event_order.append(ev.code)
    for ln, r in read_csv(os.path.join(d, "criteria.csv")):
        ev = c.events[r["event"]]
        mcode = r["module"]
        if mcode not in ev.module_by_code:
            w = (r.get("module_weight") or "").strip()
            mod = {"code": mcode, "name": r.get("module_name", ""),
                   "weight": int(w) if w else None, "criteria": []}
            ev.module_by_code[mcode] = mod
            ev.modules.append(mod)
        mod = ev.module_by_code[mcode]
        w = (r.get("module_weight") or "").strip()
        if w and mod["weight"] is None:
            mod["weight"] = int(w)
        method = r["method"].strip()
        if method not in METHODS:
            raise OracleError(f"criteria.csv:{ln}: unknown method {method!r}")
        crit = {"code": r["code"], "module": mcode, "max_c": parse_mark(r["max"]), "method": method}
        ev.criteria.append(crit)
        ev.crit_by_code[crit["code"]] = crit
        mod["criteria"].append(crit)
    for ln, r in read_csv(os.path.join(d, "contestants.csv")):
        reg = r["reg_id"]
        c.contestants[reg] = {"reg_id": reg, "name": r["name"], "org": r.get("organization", ""),
                              "members": r.get("members") or "",
                              "event": r["event"], "status": "competed", "elapsed": None}
        c.events[r["event"]].contestants.append(reg)
    for ln, r in read_csv(os.path.join(d, "judges.csv")):
        c.judges.setdefault(r["code"], {"org": r.get("organization", "")})
        c.events[r["event"]].judges[r["code"]] = r["role"].strip()
    p = os.path.join(d, "checkin.csv")
    if os.path.exists(p) and "checkin" not in skip:
        for ln, r in read_csv(p):
            ct = c.contestants[r["reg_id"]]
            ct["status"] = r["status"].strip()
            e = (r.get("elapsed_s") or "").strip()
            if e:
                ct["elapsed"] = int(e)
    p = os.path.join(d, "scores.csv")
    if os.path.exists(p):
        for ln, r in read_csv(p):
            ev = c.events[r["event"]]
            crit = ev.crit_by_code[r["criterion"]]
            v = r["value"].strip()
            if crit["method"] == "judgement":
                if v not in ("0", "1", "2", "3"):
                    raise OracleError(f"scores.csv:{ln}: judgement value {v!r}")
                val = int(v)
            else:
                val = parse_mark(v)
                if val > crit["max_c"]:
                    raise OracleError(f"scores.csv:{ln}: value over max")
            # later rows are revisions: the latest counts
            c.values[(r["contestant"], r["criterion"], r["judge"])] = val
    return c


def recused(contest, judge, reg):
    jo = contest.judges[judge]["org"]
    return jo != "" and jo == contest.contestants[reg]["org"]


def compute_event(contest, code):
    """Returns a dict with rows in display order and the blockers."""
    ev = contest.events[code]
    scoring_judges = sorted(j for j, role in ev.judges.items() if role == "judge")
    rows = []
    missing, discrepancies = [], []
    for reg in ev.contestants:
        ct = contest.contestants[reg]
        marks = {}
        for crit in ev.criteria:
            vals = []
            for j in scoring_judges:
                if recused(contest, j, reg):
                    continue
                v = contest.values.get((reg, crit["code"], j))
                if v is not None:
                    vals.append(v)
                elif ct["status"] == "competed" and crit["method"] not in ("measurement", "deduction"):
                    missing.append((reg, crit["code"], j))
            # a deduction with no value is no deduction, never missing
            if (ct["status"] == "competed" and crit["method"] == "measurement"
                    and not vals and any(not recused(contest, j, reg) for j in scoring_judges)):
                missing.append((reg, crit["code"], None))
            if ct["status"] == "competed" and is_discrepancy(crit["method"], crit["max_c"], ev.pct, vals):
                discrepancies.append((reg, crit["code"], min(vals), max(vals)))
            marks[crit["code"]] = criterion_mark(crit["method"], crit["max_c"], vals)
        mods = {}
        for mod in ev.modules:
            pos = sum(marks[cr["code"]] for cr in mod["criteria"] if cr["method"] != "deduction")
            ded = sum(marks[cr["code"]] for cr in mod["criteria"] if cr["method"] == "deduction")
            mods[mod["code"]] = max(0, pos - ded)
        weighted = any(m["weight"] is not None for m in ev.modules)
        if weighted:
            acc = Fraction(0)
            for mod in ev.modules:
                mmax = sum(cr["max_c"] for cr in mod["criteria"] if cr["method"] != "deduction")
                if mmax == 0:
                    raise OracleError(f"event {code}: weighted module {mod['code']} has max 0")
                acc += Fraction(mods[mod["code"]] * mod["weight"] * 100, mmax)
            total = round_half_up(acc)
        else:
            total = sum(mods.values())
        rows.append({"reg_id": reg, "name": ct["name"], "org": ct["org"], "members": ct["members"],
                     "status": ct["status"],
                     "marks": marks, "modules": mods, "total": total, "elapsed": ct["elapsed"],
                     "rank": None, "award": None})

    def key(r):
        k = [-r["total"]]
        for tb in ev.tiebreak:
            if tb == "time":
                e = r["elapsed"]
                k.append((1, 0) if e is None else (0, e))
            elif tb.startswith("module:"):
                k.append(-r["modules"][tb[7:]])
            elif tb.startswith("criterion:"):
                k.append(-r["marks"][tb[10:]])
            else:
                raise OracleError(f"event {code}: bad tie-break key {tb!r}")
        return k

    ranked = [r for r in rows if r["status"] == "competed"]
    unranked = [r for r in rows if r["status"] != "competed"]
    keys = {r["reg_id"]: key(r) for r in ranked}
    ranked.sort(key=lambda r: (keys[r["reg_id"]], r["reg_id"].encode("utf-8")))
    for i, r in enumerate(ranked):
        if i > 0 and keys[r["reg_id"]] == keys[ranked[i - 1]["reg_id"]]:
            r["rank"] = ranked[i - 1]["rank"]
        else:
            r["rank"] = i + 1
    cut = cutoffs(len(ranked), ev.ratio_c)
    for r in ranked:
        for t in range(3):
            if r["rank"] <= cut[t]:
                r["award"] = AWARDS[t + 1]
                break
        if ev.min_award_c is not None and r["total"] < ev.min_award_c:
            r["award"] = None
    unranked.sort(key=lambda r: (STATUS_ORDER.get(r["status"], 9), r["reg_id"].encode("utf-8")))
    return {"event": ev, "rows": ranked + unranked, "cutoffs": cut, "n_ranked": len(ranked),
            "missing": missing, "discrepancies": discrepancies}


def csv_field(text):
    """One field as judge-cli writes it (its --help and csv.h): quoted when it
    holds a comma, a double quote, CR or LF, starts or ends with a space, or
    starts like a spreadsheet formula (= + - @ TAB CR), which also gets a "'"
    in front (OWASP's advice against CSV injection); quotes doubled."""
    formula = text[:1] in ("=", "+", "-", "@", "\t", "\r") and text != ""
    if formula:
        text = "'" + text
    if formula or any(ch in text for ch in ',"\r\n') or text[:1] == " " or text[-1:] == " ":
        return '"' + text.replace('"', '""') + '"'
    return text


def results_csv(res, result_status="locked"):
    ev = res["event"]
    lines = []

    def row(fields):
        lines.append(",".join(csv_field(f) for f in fields) + "\n")
    row(["reg_id", "name", "organization", "members", "status"] + [m["code"] for m in ev.modules]
        + ["total", "rank", "award", "award_name", "result_status"])
    for r in res["rows"]:
        # Only a competed contestant has scores; the others show none.
        scored = r["status"] == "competed"
        row([r["reg_id"], r["name"], r["org"], r["members"], r["status"]]
            + [fmt_c(r["modules"][m["code"]]) if scored else "" for m in ev.modules]
            + [fmt_c(r["total"]) if scored else "",
               "" if r["rank"] is None else str(r["rank"]), r["award"] or "",
               AWARD_NAMES.get(r["award"], ""), result_status])
    return "".join(lines)


# ------------------------------------------------------------- commands

def cmd_expect(args):
    contest = load(args.dir, skip=args.skip or ())
    os.makedirs(args.out, exist_ok=True)
    n_rows = 0
    for code in contest.event_order:
        res = compute_event(contest, code)
        with open(os.path.join(args.out, code + ".csv"), "w", encoding="utf-8", newline="") as f:
            f.write(results_csv(res, args.result_status))
        with open(os.path.join(args.out, code + ".meta.json"), "w", encoding="utf-8") as f:
            json.dump({"cutoffs": res["cutoffs"], "n_ranked": res["n_ranked"]}, f)
        n_rows += len(res["rows"])
        awards = {a: sum(1 for r in res["rows"] if r["award"] == a) for a in AWARDS.values()}
        print(f"oracle: {code}: {len(res['rows'])} contestants, {res['n_ranked']} ranked, "
              f"cutoffs {res['cutoffs']}, awards {awards['first']}/{awards['second']}/{awards['third']}, "
              f"{len(res['missing'])} missing, {len(res['discrepancies'])} discrepancies")
    print(f"oracle: {len(contest.event_order)} events, {n_rows} contestants, "
          f"{len(contest.values)} values")
    return 0


def cmd_lockable(args):
    contest = load(args.dir)
    bad = 0
    for code in contest.event_order:
        res = compute_event(contest, code)
        if res["missing"] or res["discrepancies"]:
            bad += 1
            print(f"oracle: {code}: missing {res['missing'][:5]} discrepancies "
                  f"{res['discrepancies'][:5]}", file=sys.stderr)
    return 1 if bad else 0


def cmd_check_json(args):
    """Compares judge-cli's JSON results with the expected CSV. Accepts the API
    shape ({"results":[...]}), a bare list of rows, and marks as strings or
    numbers-as-strings."""
    with open(args.expected, encoding="utf-8-sig", newline="") as f:
        exp = list(csv.reader(f))
    header, exp_rows = exp[0], exp[1:]
    # the module columns lie between status and total
    mod_codes = header[header.index("status") + 1:header.index("total")]
    fixed = ["reg_id", "name", "organization", "status"]
    tail = ["total", "rank", "award"]

    def plain(text):
        """A CSV field without the "'" put before formula-like text."""
        return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r") else text

    def expected(r):
        cell = dict(zip(header, r))
        return [plain(cell[k]) for k in fixed] + [cell[c] for c in mod_codes] + [cell[k] for k in tail]
    with open(args.json, encoding="utf-8") as f:
        doc = json.load(f)
    rows = doc.get("results") if isinstance(doc, dict) else doc
    if not isinstance(rows, list):
        print(f"check-json: no results list in {args.json}", file=sys.stderr)
        return 1
    errors = []
    if len(rows) != len(exp_rows):
        errors.append(f"{len(rows)} rows in JSON, {len(exp_rows)} expected")
    for i, (got, want) in enumerate(zip(rows, exp_rows)):
        want = expected(want)
        mods = got.get("modules")
        if isinstance(mods, dict):
            mods = [mods.get(code) for code in mod_codes]
        g = [str(got.get("reg_id")), str(got.get("name")), str(got.get("organization") or ""),
             str(got.get("status"))] + ["" if m is None else str(m) for m in (mods or [])] + [
            "" if got.get("total") is None else str(got.get("total")),
            "" if got.get("rank") is None else str(got.get("rank")),
            got.get("award") or ""]
        if g != want:
            errors.append(f"row {i}: json {g} != expected {want}")
    if isinstance(doc, dict):
        if "n_ranked" in doc:
            n = sum(1 for r in exp_rows if dict(zip(header, r))["rank"] != "")
            if doc["n_ranked"] != n:
                errors.append(f"n_ranked {doc['n_ranked']} != {n}")
        meta = os.path.splitext(args.expected)[0] + ".meta.json"
        if "cutoffs" in doc and os.path.exists(meta):
            with open(meta, encoding="utf-8") as f:
                want = json.load(f)["cutoffs"]
            if doc["cutoffs"] != want:
                errors.append(f"cutoffs {doc['cutoffs']} != {want}")
        for k in ("n_incomplete", "n_open_discrepancies"):
            if doc.get(k, 0) != 0:
                errors.append(f"{k} = {doc.get(k)} (expected 0 after lock)")
    if errors:
        print(f"check-json: {args.json}: {len(errors)} differences:", file=sys.stderr)
        for e in errors[:20]:
            print("  " + e, file=sys.stderr)
        return 1
    return 0


def selfcheck():
    """Hand-computed cases (SPEC section 4 and issue 3). Returns failures."""
    fails = []

    def eq(what, got, want):
        if got != want:
            fails.append(f"{what}: got {got!r}, want {want!r}")

    eq("round 2.675->2.68", round_half_up(Fraction(535, 2)), 268)
    eq("round 0.5->1", round_half_up(Fraction(1, 2)), 1)
    eq("round 0.49", round_half_up(Fraction(49, 100)), 0)
    eq("round -2.5->-3", round_half_up(Fraction(-5, 2)), -3)
    eq("parse 7", parse_mark("7"), 700)
    eq("parse 7.5", parse_mark("7.5"), 750)
    eq("parse 012.50", parse_mark("012.50"), 1250)
    eq("parse 0.25", parse_mark("0.25"), 25)
    for bad in ("", "7.", ".5", "7.555", "1e2", "-1", "nan", " 7x"):
        try:
            parse_mark(bad)
            fails.append(f"parse {bad!r} accepted")
        except OracleError:
            pass
    eq("fmt 750", fmt_c(750), "7.50")
    eq("fmt 5", fmt_c(5), "0.05")
    # mean 2.67 and 2.68 -> 2.675 -> 2.68 (binary floating point gives 2.67)
    eq("mean 2.67,2.68", criterion_mark("mean", 1000, [267, 268]), 268)
    # judgement M=10, values 2,2,3 -> 10*7/9 = 7.777... -> 7.78
    eq("judgement 2,2,3", criterion_mark("judgement", 1000, [2, 2, 3]), 778)
    eq("judgement 3,3,2", criterion_mark("judgement", 1000, [3, 3, 2]), 889)
    eq("judgement M=7.5 1", criterion_mark("judgement", 750, [1]), 250)
    # trimmed: 2 values -> mean; 3 -> middle; 7 -> drop one high, one low
    eq("trimmed 2", criterion_mark("trimmed", 2000, [1200, 1300]), 1250)
    eq("trimmed 3", criterion_mark("trimmed", 2000, [1600, 1800, 1700]), 1700)
    eq("trimmed 7", criterion_mark("trimmed", 1000, [100, 500, 500, 600, 700, 700, 1000]), 600)
    eq("trimmed 4", criterion_mark("trimmed", 1000, [100, 200, 300, 1000]), 250)
    eq("median 3", criterion_mark("median", 1000, [900, 700, 800]), 800)
    eq("median 2 -> 5.625 -> 5.63", criterion_mark("median", 1000, [500, 625]), 563)
    eq("median 4", criterion_mark("median", 1000, [100, 200, 400, 900]), 300)
    eq("mean 7,7,8 -> 7.33", criterion_mark("mean", 1000, [700, 700, 800]), 733)
    eq("measurement", criterion_mark("measurement", 500, [450, 450]), 450)
    eq("no values", criterion_mark("mean", 1000, []), 0)
    # discrepancies: spread > pct% of M; judgement > 1; objective any difference
    eq("disc 2.00 of 10 at 20%", is_discrepancy("mean", 1000, 20, [500, 700]), False)
    eq("disc 2.01 of 10 at 20%", is_discrepancy("mean", 1000, 20, [500, 701]), True)
    eq("disc judgement 1", is_discrepancy("judgement", 1000, 20, [1, 2, 2]), False)
    eq("disc judgement 2", is_discrepancy("judgement", 1000, 20, [1, 3]), True)
    eq("disc measurement", is_discrepancy("measurement", 500, 20, [450, 451]), True)
    # worked example: N=25, 10/20/30 -> 3, 8, 15
    eq("cutoffs N=25", cutoffs(25, [1000, 2000, 3000]), [3, 8, 15])
    eq("cutoffs N=5 20/30/30", cutoffs(5, [2000, 3000, 3000]), [1, 3, 4])
    eq("cutoffs N=3", cutoffs(3, [1000, 2000, 3000]), [0, 1, 2])
    eq("cutoffs N=15 10/20/30", cutoffs(15, [1000, 2000, 3000]), [2, 5, 9])

    # A whole event: N = 25 with a tie at rank 3 (worked example), weighted
    # 30/70 totals and a deduction larger than the module's positive marks.
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        def w(name, text):
            with open(os.path.join(d, name), "w", encoding="utf-8") as f:
                f.write(text)
        w("events.csv", "code,name,award_ratios,min_award_score,tiebreak\nX,例,,,\n"
                        "Y,加权,,50,module:B;time\n")
        crit = "event,module,module_name,module_weight,code,description,max,method\n"
        crit += "X,A,模块,,A1,描述,100,mean\n"
        crit += "Y,A,甲,30,A1,a,10,mean\nY,A,,,A2,d,20,deduction\nY,B,乙,70,B1,b,20,measurement\n"
        w("criteria.csv", crit)
        cts = "reg_id,name,organization,event\n"
        # X: 25 competed; totals 100,99,98,98,96,95,... (rank 3 shared)
        totals = [100, 99, 98, 98] + list(range(96, 75, -1))
        for i in range(25):
            cts += f"X{i:02d},名{i},单位,X\n"
        cts += "Y1,甲,单位,Y\nY2,乙,单位,Y\nY3,丙,单位,Y\nY4,丁,单位,Y\n"
        w("contestants.csv", cts)
        w("judges.csv", "code,name,organization,pin,event,role\nJ1,裁判,院,1234,X,judge\n"
                        "J1,裁判,院,1234,Y,judge\nK,长,院,1234,Y,chief\n")
        w("checkin.csv", "reg_id,status,elapsed_s,reason\nY3,competed,100,\nY4,competed,90,\n")
        sc = "event,contestant,criterion,judge,value\n"
        for i, t in enumerate(totals):
            sc += f"X,X{i:02d},A1,J1,{t}\n"
        # Y1: A = max(0, 5 - 8) = 0, B = 20 -> 0/10*30 + 20/20*70 = 70.00
        sc += "Y,Y1,A1,J1,5\nY,Y1,A2,J1,8\nY,Y1,B1,J1,20\n"
        # Y2: A = 10 - 0 = 10, B = 10 -> 30 + 35 = 65.00
        sc += "Y,Y2,A1,J1,10\nY,Y2,A2,J1,0\nY,Y2,B1,J1,10\n"
        # Y3: A = 3.33, B = 15.5 -> 3.33/10*30 + 15.5/20*70 = 9.99 + 54.25 = 64.24
        # Y4: A = 3.34, B = 15.49 -> 10.02 + 54.215 = 64.235 -> 64.24 (tie,
        #     broken by module B: Y3 first)
        sc += "Y,Y3,A1,J1,3.33\nY,Y3,A2,J1,0\nY,Y3,B1,J1,15.5\n"
        sc += "Y,Y4,A1,J1,3.34\nY,Y4,A2,J1,0\nY,Y4,B1,J1,15.49\n"
        w("scores.csv", sc)
        c = load(d)
        res = compute_event(c, "X")
        got = [(r["reg_id"], r["rank"], r["award"]) for r in res["rows"]]
        want = []
        ranks = [1, 2, 3, 3] + list(range(5, 26))
        for i in range(25):
            rk = ranks[i]
            aw = "first" if rk <= 3 else "second" if rk <= 8 else "third" if rk <= 15 else None
            want.append((f"X{i:02d}", rk, aw))
        eq("worked example N=25", got, want)
        eq("worked example cutoffs", res["cutoffs"], [3, 8, 15])
        res = compute_event(c, "Y")
        got = [(r["reg_id"], fmt_c(r["modules"]["A"]), fmt_c(r["modules"]["B"]), fmt_c(r["total"]),
                r["rank"], r["award"]) for r in res["rows"]]
        # N=4: C1 = round(0.4) = 0, C2 = round(1.2) = 1, C3 = round(2.4) = 2;
        # min award 50 does not bite here.
        eq("weighted event", got, [("Y1", "0.00", "20.00", "70.00", 1, "second"),
                                   ("Y2", "10.00", "10.00", "65.00", 2, "third"),
                                   ("Y3", "3.33", "15.50", "64.24", 3, None),
                                   ("Y4", "3.34", "15.49", "64.24", 4, None)])
    return fails


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("expect")
    p.add_argument("--dir", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--skip", action="append", choices=["checkin"],
                   help="ignore this file (results before the check-in is imported)")
    p.add_argument("--result-status", default="locked",
                   help="the result_status column: provisional before the lock")
    p = sub.add_parser("lockable")
    p.add_argument("--dir", required=True)
    p = sub.add_parser("check-json")
    p.add_argument("--expected", required=True)
    p.add_argument("--json", required=True)
    sub.add_parser("selfcheck")
    args = ap.parse_args()
    try:
        if args.cmd == "expect":
            return cmd_expect(args)
        if args.cmd == "lockable":
            return cmd_lockable(args)
        if args.cmd == "check-json":
            return cmd_check_json(args)
        fails = selfcheck()
        for f in fails:
            print("oracle selfcheck FAILED: " + f, file=sys.stderr)
        if not fails:
            print("oracle selfcheck: ok")
        return 1 if fails else 0
    except OracleError as e:
        print(f"oracle: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
