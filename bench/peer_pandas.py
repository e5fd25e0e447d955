#!/usr/bin/env python3
"""The pandas + XlsxWriter peer of `aftersales monthly` (issue 15): what a competent analyst would write
in an afternoon for the same month-end workbooks, measured by `make bench` against the Swift binary.

  peer_pandas.py --inputs DIR --out DIR --month 2026-10 [--templates DIR]

Reads the same CSV files (canonical or Chinese headers, UTF-8 with or without BOM or GB18030, LF or
CRLF), computes with vectorised pandas (groupby, merge, cumsum; floats, no exact decimals) and writes
<out>/<M>/parts-movement-M.xlsx, reconciliation-M.xlsx, profit-M.xlsx, quality-feedback-M.xlsx as they stand
after SPEC §8.1–§8.3 (each opening on an overview sheet, the reconciliation listing its exceptions first) with
XlsxWriter's constant_memory mode (rows streamed to disk, inline strings), each sheet a merged title
row, a period row, a header row, number formats per column, frozen panes, an autofilter and a SUBTOTAL
totals row where the Swift report has one; plus closing-balances-M.csv, count-adjustments-M.csv and figures.json.
Sheet names, titles, column labels and status labels come from the Swift program's zh-CN template
(tomllib), so the workbooks hold about the same cells and strings. Prints its wall time per phase.

A fair peer, not a re-implementation of every rule. Checked against the Swift binary's CSV twins on the
bench month (2026-10, seed 42): every table has the same row count, and the totals agree to the cent
where they are sums of rounded values (movement, profit, quality, reconciliation). What it simplifies:
  - No row validation: no field-count, number, date, sign or status checks, no rejects.csv, no
    duplicate-file or duplicate-row detection, no unknown-part/dealer/return_unmatched warnings, no
    per-file line numbering of rows without line_no (nothing here needs it), no manifest.
  - Floats, not exact decimals; round2 is half away from zero on the float (a sum of line values can
    differ by a cent where the float product lands on the half). The monthly-average residue goes to
    the largest-qty issue line (ties: latest date, last in file order), as in SPEC §4.2.
  - The Data issues sheet of each workbook is the §8.1 layout (a summary by severity and code, then at
    most 200 rows per code) of the issues the peer finds, which is none: it checks nothing, and movements
    dated before M are history, not issues. The summary is not limited to the kinds the report reads.
  - Dates: the forms the generator writes (YYYY-MM-DD and YYYY/M/D, with an optional time); numbers
    as pandas parses them (no `¥`, no thousands separators); no config file (default costing
    monthly-average, tolerance 0, old-parts warehouse OLD).
  - The overview sheet (§8.2) is modelled roughly: title, period and costing, one line per input file the
    report reads (rows read = accepted), the key figures with the previous month's from its figures.json
    (profit also the year to date), one line per sheet with its rows and an internal link; metric labels
    are the ids with the template's code labels. No overview.csv (the bench runs without --csv).
  - Reconciliation (§8.3): order_issue and repair_issue sheets list the pairs not matched, largest
    |diff_qty| first, then ids as strings (the Swift binary orders numeric ids by value: the bench ids
    sort alike), with a totals row; stock_variance investigate → other variances → not counted →
    matches; old parts oldest first. The matched count is in the title, as the template has it.
  - Workbooks: no conditional marking of negative variances, column widths from the header text only;
    the quality workbook has the three charts (fault Pareto with cumulative line, part Pareto, trend)
    but not the distribution line's styling. Sheets are written one after another on one core (the
    Swift renderer writes the workbooks side by side on every core).
"""
import argparse
import json
import os
import sys
import time
import tomllib
from datetime import date

import numpy as np
import pandas as pd
import xlsxwriter

# --- the input schema: canonical id ← Chinese label (Sources/Ingest/Schema.swift) -------------------
LABELS = {
    "parts": {"配件编码": "part_no", "配件名称": "part_name", "规格型号": "spec", "单位": "unit",
              "配件类别": "category", "销售单价": "list_price", "供应商": "supplier"},
    "dealers": {"网点编码": "dealer_id", "网点名称": "dealer_name", "区域": "region"},
    "orders": {"订单号": "order_no", "行号": "line_no", "订单日期": "order_date", "网点编码": "dealer_id",
               "配件编码": "part_no", "数量": "qty", "单价": "unit_price", "金额": "amount",
               "订货方式": "channel", "状态": "status", "发货日期": "ship_date"},
    "movements": {"单据号": "doc_no", "行号": "line_no", "单据日期": "doc_date", "仓库": "warehouse",
                  "配件编码": "part_no", "业务类型": "move_type", "数量": "qty", "单位成本": "unit_cost",
                  "关联单号": "ref_no"},
    "opening": {"仓库": "warehouse", "配件编码": "part_no", "数量": "qty", "金额": "value", "日期": "as_of"},
    "counts": {"盘点日期": "count_date", "仓库": "warehouse", "库位": "location", "配件编码": "part_no",
               "实盘数量": "counted_qty", "盘点人": "counter"},
    "repairs": {"维修单号": "repair_no", "行号": "line_no", "维修日期": "repair_date", "网点编码": "dealer_id",
                "机型": "product_model", "机号": "serial_no", "故障代码": "fault_code", "故障描述": "fault_desc",
                "更换配件": "part_no", "数量": "qty", "是否三包": "warranty", "旧件返回": "old_part_return",
                "工时费": "labor_cost", "配件费": "parts_cost"},
    "faults": {"故障代码": "fault_code", "故障类别": "fault_category", "描述": "description"},
    "fleet": {"机型": "product_model", "月份": "month", "保有量": "units"},
}
# Columns read as numbers; every other known column is text (codes such as part_no keep their zeros).
NUMERIC = {"list_price", "qty", "unit_price", "amount", "unit_cost", "value", "counted_qty", "labor_cost",
           "parts_cost", "units"}

MOVE_TYPES = {"采购入库": "PURCHASE", "调拨入库": "TRANSFER_IN", "退货入库": "DEALER_RETURN", "旧件入库": "OLD_PART_IN",
              "其他入库": "OTHER_IN", "销售出库": "SALE", "三包出库": "WARRANTY", "调拨出库": "TRANSFER_OUT",
              "退供应商": "SUPPLIER_RETURN", "报废": "SCRAP", "其他出库": "OTHER_OUT"}
RECEIPTS = ["PURCHASE", "TRANSFER_IN", "DEALER_RETURN", "OLD_PART_IN", "OTHER_IN"]
ISSUES = ["SALE", "WARRANTY", "TRANSFER_OUT", "SUPPLIER_RETURN", "SCRAP", "OTHER_OUT"]
STATUSES = {"未发货": "open", "已发货": "shipped", "已取消": "cancelled"}
BOOLS = {"y": True, "yes": True, "true": True, "1": True, "是": True,
         "n": False, "no": False, "false": False, "0": False, "否": False}
EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def log(message):
    print(f"peer_pandas: {message}", file=sys.stderr, flush=True)


class Phases:
    """Wall time per phase, printed as each ends and in total at the end."""

    def __init__(self):
        self.start = self.last = time.perf_counter()
        self.times = []

    def done(self, name):
        now = time.perf_counter()
        self.times.append((name, now - self.last))
        log(f"{name} {now - self.last:.3f} s")
        self.last = now

    def total(self):
        return time.perf_counter() - self.start


# --- reading ---------------------------------------------------------------------------------------
def read_kind(inputs, kind):
    """Every `<kind>*.csv` of the folder in name order, concatenated, headers mapped to canonical ids;
    None when there is none. The encoding is UTF-8 (BOM or not) when the bytes decode, else GB18030."""
    names = sorted(n for n in os.listdir(inputs) if n.startswith(kind) and n.endswith(".csv"))
    frames = []
    for name in names:
        path = os.path.join(inputs, name)
        with open(path, "rb") as f:
            head = f.read()
        try:
            head.decode("utf-8")
            encoding = "utf-8-sig"
        except UnicodeDecodeError:
            encoding = "gb18030"
        header = pd.read_csv(path, encoding=encoding, nrows=0).columns
        rename = {h: LABELS[kind].get(h.strip(), h.strip().lower()) for h in header}
        known = set(LABELS[kind].values())
        dtypes = {h: ("float64" if c in NUMERIC else "string") for h, c in rename.items() if c in known}
        frame = pd.read_csv(path, encoding=encoding, dtype=dtypes, usecols=list(dtypes), keep_default_na=False,
                            na_values={h: [""] for h in dtypes})
        frame = frame.rename(columns=rename)
        frame["file"] = name
        frame["line"] = np.arange(2, len(frame) + 2)  # the physical line, header = 1 (no quoted newlines here)
        frames.append(frame)
    if not frames:
        return None
    return pd.concat(frames, ignore_index=True)


def dates(series):
    """YYYY-MM-DD (ISO 8601, an optional time after a space) or YYYY/M/D, as the file's first value shows;
    the time of day is dropped."""
    first = series.dropna()
    if len(first) and "/" in first.iloc[0]:
        return pd.to_datetime(series, format="%Y/%m/%d", errors="coerce")
    return pd.to_datetime(series, format="ISO8601", errors="coerce").dt.normalize()


def round2(x):
    """Half away from zero, on the float."""
    return np.sign(x) * np.floor(np.abs(x) * 100 + 0.5 + 1e-9) / 100


def pct(numerator, denominator):
    with np.errstate(divide="ignore", invalid="ignore"):
        out = round2(numerator / denominator * 100)
    return out.where(denominator != 0) if isinstance(out, pd.Series) else (out if denominator else np.nan)


# --- computing -------------------------------------------------------------------------------------
def compute(data, month):
    start = pd.Timestamp(f"{month}-01")
    end = start + pd.offsets.MonthEnd(0)
    prev_month = (start - pd.offsets.MonthBegin(1)).strftime("%Y-%m")
    parts, dealers = data["parts"], data["dealers"]
    key = ["warehouse", "part_no"]
    out = {}

    # Movements: type ids, direction, the rows of M.
    mv = data["movements"]
    mv["move_type"] = mv["move_type"].replace(MOVE_TYPES).str.upper()
    mv["doc_date"] = dates(mv["doc_date"])
    mv["receipt"] = mv["move_type"].isin(RECEIPTS)
    mv["signed"] = np.where(mv["receipt"], mv["qty"], -mv["qty"])
    mv["order"] = np.arange(len(mv))
    m = mv[(mv["doc_date"] >= start) & (mv["doc_date"] <= end)].copy()
    m["value"] = np.where(m["receipt"], round2(m["qty"] * m["unit_cost"].fillna(0)), 0.0)

    # Opening balances of M (as_of = the 1st, or none).
    op = data["opening"]
    if op is not None:
        op = op[op["as_of"].isna() | (dates(op["as_of"]) == start)]
        opening = op.groupby(key)[["qty", "value"]].sum().rename(columns={"qty": "opening_qty", "value": "opening_value"})
    else:
        opening = pd.DataFrame(columns=["opening_qty", "opening_value"], index=pd.MultiIndex.from_tuples([], names=key))

    # Counts of M: per (warehouse, part) the rows of its latest count date, summed over locations.
    ct = data["counts"]
    if ct is not None:
        ct["count_date"] = dates(ct["count_date"])
        ct = ct[(ct["count_date"] >= start) & (ct["count_date"] <= end)]
        ct = ct[ct["count_date"] == ct.groupby(key)["count_date"].transform("max")]
        counted = ct.groupby(key).agg(count_date=("count_date", "first"), counted_qty=("counted_qty", "sum"))
    else:
        counted = pd.DataFrame(columns=["count_date", "counted_qty"], index=pd.MultiIndex.from_tuples([], names=key))

    # Ledger (monthly average): receipts, issues, per-type quantities, c, closing.
    rec = m[m["receipt"]].groupby(key).agg(receipt_qty=("qty", "sum"), receipt_value=("value", "sum"),
                                           last_cost=("unit_cost", "last"))
    iss = m[~m["receipt"]].groupby(key).agg(issue_qty=("qty", "sum"))
    types = m.pivot_table(index=key, columns="move_type", values="qty", aggfunc="sum", fill_value=0)
    types = types.reindex(columns=RECEIPTS + ISSUES, fill_value=0)
    types.columns = [t.lower() + "_qty" for t in types.columns]
    led = opening.join([rec, iss, types, counted], how="outer")
    led[["opening_qty", "opening_value", "receipt_qty", "receipt_value", "issue_qty"] + list(types.columns)] = \
        led[["opening_qty", "opening_value", "receipt_qty", "receipt_value", "issue_qty"] + list(types.columns)].fillna(0)
    base_qty = led["opening_qty"] + led["receipt_qty"]
    base_value = led["opening_value"] + led["receipt_value"]
    led["c"] = np.where(base_qty > 0, base_value / base_qty.where(base_qty > 0, 1), led["last_cost"].fillna(0))
    led["closing_qty"] = (base_qty - led["issue_qty"]).round(3)
    led["closing_value"] = round2(led["closing_qty"] * led["c"])
    led["issue_value"] = (base_value - led["closing_value"]).round(2)
    led["unit_cost"] = np.where(led["closing_qty"] > 0,
                                led["closing_value"] / led["closing_qty"].where(led["closing_qty"] > 0, 1), led["c"])
    led = led.reset_index().sort_values(key, ignore_index=True)

    # Issue line values: round2(qty × c), the residue on the largest-qty line (then latest date, last line).
    lines = m[~m["receipt"]].merge(led[key + ["c", "issue_value"]], on=key, how="left")
    lines["value"] = round2(lines["qty"] * lines["c"])
    lines = lines.sort_values(key + ["qty", "doc_date", "order"])
    residue = led.set_index(key)["issue_value"] - lines.groupby(key)["value"].sum()
    last = ~lines.duplicated(key, keep="last")
    lines.loc[last, "value"] += residue.reindex(pd.MultiIndex.from_frame(lines.loc[last, key])).to_numpy()
    lines["value"] = lines["value"].round(2)

    # Book qty at the count date; stock variance; not counted.
    book = m.merge(counted.reset_index()[key + ["count_date"]], on=key)
    book = book[book["doc_date"] <= book["count_date"]].groupby(key)["signed"].sum()
    led = led.merge(book.rename("book_moves").reset_index(), on=key, how="left")
    led["book_qty"] = (led["opening_qty"] + led["book_moves"].fillna(0)).round(3)
    led["variance_qty"] = (led["counted_qty"] - led["book_qty"]).round(3)
    led = led.merge(parts[["part_no", "part_name", "spec", "unit"]], on="part_no", how="left")
    led["part_name"] = led["part_name"].fillna("(unknown)")
    out["movement"] = led

    counted_wh = ct.groupby("warehouse")["count_date"].max() if ct is not None else pd.Series(dtype="datetime64[ns]")
    sv = led[led["counted_qty"].notna()].copy()
    sv["variance_value"] = round2(sv["variance_qty"] * sv["unit_cost"])
    sv["status"] = np.select([sv["variance_qty"] > 0, sv["variance_qty"] < 0], ["surplus", "shortage"], "match")
    sv["action"] = np.where(sv["variance_qty"] == 0, "ok", "investigate")
    nc = led[led["counted_qty"].isna() & led["warehouse"].isin(counted_wh.index)].copy()
    nc["count_date"] = nc["warehouse"].map(counted_wh)
    ncm = m[m["part_no"].isin(nc["part_no"])].merge(nc[key + ["count_date"]], on=key)
    ncb = ncm[ncm["doc_date"] <= ncm["count_date"]].groupby(key)["signed"].sum().rename("nc_moves").reset_index()
    nc = nc.merge(ncb, on=key, how="left")
    nc["book_qty"] = (nc["opening_qty"] + nc["nc_moves"].fillna(0)).round(3)
    nc = nc[nc["book_qty"] != 0].assign(status="not_counted", action="investigate", variance_value=np.nan)
    uncounted = sorted(set(led["warehouse"]) - set(counted_wh.index))
    none = pd.DataFrame({"warehouse": uncounted, "status": "not_counted", "action": "investigate"})
    sv_cols = ["warehouse", "part_no", "part_name", "count_date", "book_qty", "counted_qty", "variance_qty",
               "unit_cost", "variance_value", "status", "action"]
    out["stock_variance"] = pd.concat([sv[sv_cols], nc[sv_cols], none], ignore_index=True) \
        .sort_values(["warehouse", "part_no"], na_position="first", ignore_index=True)
    nz = sv[sv["variance_qty"] != 0]
    out["count_adjustments"] = pd.DataFrame({
        "warehouse": nz["warehouse"], "part_no": nz["part_no"], "qty": nz["variance_qty"].abs(),
        "value": nz["variance_value"].abs(), "move_type": np.where(nz["variance_qty"] > 0, "OTHER_IN", "OTHER_OUT")})

    # Negative stock: running qty in walk order (date, receipts before issues, file order), opening included.
    walk = m.sort_values(["doc_date", "receipt", "order"], ascending=[True, False, True])
    walk = walk.merge(led[key + ["opening_qty"]], on=key, how="left", sort=False)
    walk["running"] = walk.groupby(key)["signed"].cumsum() + walk["opening_qty"]
    neg = walk[walk["running"] < 0]
    negative = neg.groupby(key).agg(first_date=("doc_date", "first"))
    negative["min_qty"] = walk.groupby(key)["running"].min().reindex(negative.index).round(3)
    neg_open = led[led["opening_qty"] < 0].set_index(key)
    negative = pd.concat([negative, pd.DataFrame({"first_date": start, "min_qty": neg_open["opening_qty"]})])
    out["negative_stock"] = negative.groupby(level=key).agg({"first_date": "min", "min_qty": "min"}).reset_index()

    # Orders: amounts, shipped in M; orders ↔ ledger.
    od = data["orders"]
    od["status"] = od["status"].replace(STATUSES).str.lower()
    od["ship_date"] = dates(od["ship_date"])
    od["amount"] = np.where(od["unit_price"].notna(), round2(od["qty"] * od["unit_price"]), od["amount"])
    od["unit_price"] = od["unit_price"].fillna(od["amount"] / od["qty"])
    shipped = od[(od["status"] == "shipped") & (od["ship_date"] >= start) & (od["ship_date"] <= end)]
    sales = m[m["move_type"] == "SALE"]
    oi = shipped.groupby(["order_no", "part_no"])["qty"].sum().rename("shipped_qty").to_frame().join(
        sales.groupby(["ref_no", "part_no"])["qty"].sum().rename_axis(["order_no", "part_no"]).rename("issued_qty"),
        how="outer").fillna(0).reset_index()
    out["order_issue"] = pair_status(oi, "shipped_qty")

    # Repairs: booleans, warranty lines of M with a part ↔ WARRANTY issues.
    rp = data["repairs"]
    rp["repair_date"] = dates(rp["repair_date"])
    rp["warranty"] = rp["warranty"].str.lower().map(BOOLS)
    rp["old_part_return"] = rp["old_part_return"].str.lower().map(BOOLS).fillna(rp["warranty"]).astype(bool)
    rp["qty"] = rp["qty"].where(rp["part_no"].isna(), rp["qty"].fillna(1))
    rp[["labor_cost", "parts_cost"]] = rp[["labor_cost", "parts_cost"]].fillna(0)
    rm = rp[(rp["repair_date"] >= start) & (rp["repair_date"] <= end)]
    wl = rm[rm["warranty"] & rm["part_no"].notna()]
    wi = m[m["move_type"] == "WARRANTY"]
    ri = wl.groupby(["repair_no", "part_no"])["qty"].sum().rename("repair_qty").to_frame().join(
        wi.groupby(["ref_no", "part_no"])["qty"].sum().rename_axis(["repair_no", "part_no"]).rename("issued_qty"),
        how="outer").fillna(0).reset_index()
    out["repair_issue"] = pair_status(ri, "repair_qty")

    # Old parts outstanding: expected (warranty, old part returned, a part) vs net OLD_PART_IN ≤ end of M.
    ex = rp[rp["warranty"] & rp["old_part_return"] & rp["part_no"].notna() & (rp["repair_date"] <= end)]
    ex = ex.groupby(["repair_no", "part_no"]).agg(repair_date=("repair_date", "min"), dealer_id=("dealer_id", "first"),
                                                  expected_qty=("qty", "sum"))
    oin = mv[(mv["move_type"] == "OLD_PART_IN") & (mv["doc_date"] <= end)]
    got = oin.groupby(["ref_no", "part_no"])["qty"].sum().rename_axis(["repair_no", "part_no"]).rename("received_qty")
    op_ = ex.join(got, how="left").fillna({"received_qty": 0}).reset_index()
    op_["outstanding_qty"] = (op_["expected_qty"] - op_["received_qty"]).round(3)
    op_ = op_[op_["outstanding_qty"] > 0].copy()
    op_["age_days"] = (end - op_["repair_date"]).dt.days
    op_["age_bucket"] = pd.cut(op_["age_days"], [-np.inf, 30, 60, 90, np.inf], labels=["0-30", "31-60", "61-90", ">90"])
    out["old_parts_outstanding"] = op_[["repair_no", "repair_date", "dealer_id", "part_no", "expected_qty",
                                        "received_qty", "outstanding_qty", "age_days", "age_bucket"]]
    out["opening_continuity"] = opening_continuity(data["out"], start, led, key)
    # Movements dated before M are history, not issues (SPEC §8.1); nothing else is checked here.
    out["data_issues"] = pd.DataFrame(columns=["file", "line", "column", "severity", "code", "message"])

    # Profit: revenue by the order line's dealer; returns and COGS through the ref_no's order.
    first_line = od.drop_duplicates(["order_no", "part_no"])[["order_no", "part_no", "unit_price"]]
    order_dealer = od.drop_duplicates("order_no").set_index("order_no")["dealer_id"]
    ret = m[m["move_type"] == "DEALER_RETURN"].merge(first_line, left_on=["ref_no", "part_no"],
                                                     right_on=["order_no", "part_no"], how="left")
    ret = ret.merge(parts[["part_no", "list_price"]], on="part_no", how="left")
    ret["returns"] = round2(ret["qty"] * ret["unit_price"].fillna(ret["list_price"]).fillna(0))
    sale_lines = lines[lines["move_type"] == "SALE"]
    cost = pd.concat([sale_lines[["part_no", "ref_no", "value"]],
                      ret[["part_no", "ref_no", "value"]].assign(value=-ret["value"])])
    cost["dealer_id"] = cost["ref_no"].map(order_dealer).fillna("(unmatched)")
    ret["dealer_id"] = ret["ref_no"].map(order_dealer).fillna("(unmatched)")
    bp = pd.concat([
        shipped.groupby("part_no").agg(sold_qty=("qty", "sum"), revenue=("amount", "sum")),
        ret.groupby("part_no").agg(returned_qty=("qty", "sum"), returns=("returns", "sum")),
        cost.groupby("part_no").agg(cogs=("value", "sum"))], axis=1).fillna(0).reset_index()
    bp = bp.merge(parts[["part_no", "part_name", "category"]], on="part_no", how="left") \
        .fillna({"part_name": "(unknown)", "category": "(unknown)"}).sort_values("part_no", ignore_index=True)
    out["by_part"] = margins(bp)
    bd = pd.concat([
        shipped.groupby("dealer_id")["amount"].sum().rename("revenue"),
        ret.groupby("dealer_id")["returns"].sum(),
        cost.groupby("dealer_id")["value"].sum().rename("cogs")], axis=1).fillna(0).reset_index()
    bd = bd.merge(dealers[["dealer_id", "dealer_name", "region"]], on="dealer_id", how="left") \
        .fillna({"dealer_name": "(unknown)"}).sort_values("dealer_id", ignore_index=True)
    out["by_dealer"] = margins(bd)
    bc = out["by_part"].groupby("category")[["revenue", "returns", "cogs"]].sum().reset_index()
    out["by_category"] = margins(bc)
    total = margins(bp[["revenue", "returns", "cogs"]].sum().to_frame().T).iloc[0]
    warranty_parts = lines.loc[lines["move_type"] == "WARRANTY", "value"].sum()
    warranty_labor = rm.loc[rm["warranty"], "labor_cost"].sum()
    metrics = {"revenue": total["revenue"], "returns": total["returns"], "net_revenue": total["net_revenue"],
               "cogs": total["cogs"], "gross_profit": total["gross_profit"], "margin_pct": total["margin_pct"],
               "warranty_parts_cost": warranty_parts, "warranty_labor_cost": warranty_labor,
               "profit_after_warranty": total["gross_profit"] - warranty_parts - warranty_labor}
    out["summary"] = pd.DataFrame({"metric": list(metrics), "value": [round(v, 2) for v in metrics.values()]})

    # Quality.
    rm = rm.copy()
    rm["wno"] = rm["repair_no"].where(rm["warranty"])
    bm = rm.groupby("product_model").agg(repairs=("repair_no", "nunique"), warranty_repairs=("wno", "nunique"),
                                         parts_cost=("parts_cost", "sum"), labor_cost=("labor_cost", "sum"))
    bm["total_cost"] = bm["parts_cost"] + bm["labor_cost"]
    fleet = data["fleet"]
    if fleet is not None:
        bm["units"] = fleet[fleet["month"] == month].groupby("product_model")["units"].sum()
    else:
        bm["units"] = np.nan
    bm["repairs_per_1000"] = round2(bm["repairs"] / bm["units"] * 1000)
    rp["month"] = rp["repair_date"].dt.strftime("%Y-%m")
    prev = rp[rp["month"] == prev_month]
    bm["prev_repairs"] = prev.groupby("product_model")["repair_no"].nunique().reindex(bm.index).fillna(0) \
        if len(prev) else np.nan
    bm["change_pct"] = pct(bm["repairs"] - bm["prev_repairs"], bm["prev_repairs"].fillna(0))
    out["by_model"] = bm.reset_index()

    bf = rm.groupby("fault_code", dropna=False).size().rename("lines").reset_index()
    faults = data["faults"]
    if faults is not None:
        bf = bf.merge(faults[["fault_code", "fault_category", "description"]], on="fault_code", how="left")
    out["by_fault"] = pareto(bf, "fault_code", "lines")

    withpart = rm[rm["part_no"].notna()]
    bpq = withpart.groupby("part_no").agg(qty=("qty", "sum"), lines=("qty", "size")).reset_index()
    bpq = bpq.merge(parts[["part_no", "part_name", "supplier"]], on="part_no", how="left") \
        .fillna({"part_name": "(unknown)", "supplier": "(unknown)"})
    out["q_by_part"] = pareto(bpq, "part_no", "lines")

    sup = withpart.merge(parts[["part_no", "supplier"]], on="part_no", how="left").fillna({"supplier": "(unknown)"})
    bs = sup.groupby("supplier").agg(lines=("qty", "size"), qty=("qty", "sum"), parts_cost=("parts_cost", "sum"))
    oldin = m[m["move_type"] == "OLD_PART_IN"].merge(parts[["part_no", "supplier"]], on="part_no", how="left")
    bs["old_parts_received"] = oldin.fillna({"supplier": "(unknown)"}).groupby("supplier")["qty"].sum() \
        .reindex(bs.index).fillna(0)
    out["by_supplier"] = bs.reset_index()

    bdq = rm.groupby("dealer_id").agg(repairs=("repair_no", "nunique"), warranty_repairs=("wno", "nunique"),
                                      labor_cost=("labor_cost", "sum"), parts_cost=("parts_cost", "sum")).reset_index()
    out["q_by_dealer"] = bdq.merge(dealers[["dealer_id", "dealer_name"]], on="dealer_id", how="left") \
        .fillna({"dealer_name": "(unknown)"})
    first_trend = (start - pd.offsets.MonthBegin(12)).strftime("%Y-%m")
    tr = rp[(rp["month"] >= first_trend) & (rp["month"] <= month)].assign(wno=lambda d: d["repair_no"].where(d["warranty"]))
    trend = tr.groupby("month").agg(repairs=("repair_no", "nunique"), warranty_repairs=("wno", "nunique"))
    out["trend"] = trend.reindex(sorted(set(trend.index) | {month}), fill_value=0).reset_index()
    return out


def pair_status(pairs, own):
    pairs["diff_qty"] = (pairs[own] - pairs["issued_qty"]).round(3)
    pairs["status"] = np.select(
        [pairs["diff_qty"] == 0, pairs["issued_qty"] == 0, pairs[own] == 0],
        ["matched", "shipped_not_issued", "issued_not_shipped"], "qty_mismatch")
    return pairs


# --- what the reconciliation workbook lists first (SPEC §8.3); the tables above stay in id order -------
def unmatched(pairs):
    """The pairs not matched, largest |diff_qty| first, then ids (as strings); and how many matched."""
    ids = list(pairs.columns[:2])
    shown = pairs[pairs["status"] != "matched"]
    shown = shown.assign(size=shown["diff_qty"].abs()).sort_values(["size", *ids], ascending=[False, True, True])
    return shown, len(pairs) - len(shown)


def exceptions_first(variances):
    """investigate variances, other variances (each by |value| then |qty|, largest first), not counted, matches."""
    varied = variances["status"].isin(["surplus", "shortage"])
    group = np.select([varied & (variances["action"] == "investigate"), varied, variances["status"] == "not_counted"],
                      [0, 1, 2], 3)
    return variances.assign(group=group, value_size=variances["variance_value"].abs().fillna(0),
                            qty_size=variances["variance_qty"].abs().fillna(0)) \
        .sort_values(["group", "value_size", "qty_size", "warehouse", "part_no"],
                     ascending=[True, False, False, True, True], na_position="first")


def margins(frame):
    frame["net_revenue"] = (frame["revenue"] - frame["returns"]).round(2)
    frame["gross_profit"] = (frame["net_revenue"] - frame["cogs"]).round(2)
    frame["margin_pct"] = pct(frame["gross_profit"], frame["net_revenue"])
    return frame


def pareto(frame, key, count):
    frame = frame.sort_values([count, key], ascending=[False, True], ignore_index=True)
    total = frame[count].sum()
    frame["share_pct"] = round2(frame[count] / total * 100)
    frame["cumulative_pct"] = round2(frame[count].cumsum() / total * 100)
    return frame


def opening_continuity(out_dir, start, led, key):
    prev = start - pd.offsets.MonthBegin(1)
    path = os.path.join(out_dir, prev.strftime("%Y-%m"), f"closing-balances-{prev.strftime('%Y-%m')}.csv")
    cols = ["warehouse", "part_no", "prev_closing_qty", "opening_qty", "prev_closing_value", "opening_value"]
    if not os.path.exists(path):
        return pd.DataFrame(columns=cols)
    pc = pd.read_csv(path, dtype={"warehouse": "string", "part_no": "string"}) \
        .rename(columns={"qty": "prev_closing_qty", "value": "prev_closing_value"})
    both = pc.merge(led[key + ["opening_qty", "opening_value"]], on=key, how="outer").fillna(0)
    differs = (both["prev_closing_qty"].round(3) != both["opening_qty"].round(3)) | \
              (both["prev_closing_value"].round(2) != both["opening_value"].round(2))
    return both.loc[differs, cols].sort_values(key)


# --- writing ---------------------------------------------------------------------------------------
class Templates:
    """Sheet names, titles, column labels and code labels of the Swift program's zh-CN template."""

    def __init__(self, folder, report):
        def load(name):
            path = os.path.join(folder, name) if folder else None
            if path and os.path.exists(path):
                with open(path, "rb") as f:
                    return tomllib.load(f)
            return {}
        common, own = load("common.toml"), load(f"{report}.toml")
        self.title = own.get("title", report)
        self.text = {**common.get("text", {}), **own.get("text", {})}
        self.columns = {**common.get("columns", {}), **own.get("columns", {})}
        self.codes = {**common.get("codes", {}), **own.get("codes", {})}
        self.tables = {**common.get("tables", {}), **own.get("tables", {})}
        self.formats = common.get("formats", {})

    def table(self, table_id):
        t = self.tables.get(table_id, {})
        return t.get("sheet", table_id), t.get("title", table_id)


class Book:
    """One workbook in constant-memory mode with the formats every sheet shares."""

    def __init__(self, path, templates, period):
        self.book = xlsxwriter.Workbook(path, {"constant_memory": True})
        self.t = templates
        self.period = period
        fm = templates.formats
        add = self.book.add_format
        self.fmt_title = add({"bold": True, "font_size": 14, "align": "center"})
        self.fmt_period = add({"align": "left"})
        self.fmt_header = add({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "align": "center"})
        self.fmt_total_label = add({"bold": True, "top": 1})
        self.kinds = {
            "text": add({}),
            "money": add({"num_format": fm.get("money", "#,##0.00")}),
            "qty": add({"num_format": fm.get("qty", "#,##0.000")}),
            "unit_cost": add({"num_format": fm.get("unit_cost", "#,##0.0000")}),
            "percent": add({"num_format": fm.get("percent", "0.00")}),
            "count": add({"num_format": fm.get("count", "#,##0")}),
            "date": add({"num_format": fm.get("date", "yyyy-mm-dd")}),
        }
        self.totals = {k: add({"bold": True, "top": 1, "num_format": f.num_format}) for k, f in self.kinds.items()
                       if k in ("money", "qty", "count")}

    def sheet(self, table_id, frame, columns, totals=(), codes=(), name_suffix="", title_suffix="", matched=None):
        """Writes FRAME's COLUMNS [(id, kind)] under a title, a period line and a header; code columns
        get their template labels; TOTALS columns a SUBTOTAL row. MATCHED fills the template's `{matched}`."""
        sheet_name, title = self.t.table(table_id)
        empty = self.t.tables.get(table_id, {}).get("empty", self.t.text.get("no_data", "no data"))
        if matched is not None:
            title, empty = (text.replace("{matched}", f"{matched:,}") for text in (title, empty))
        ws = self.book.add_worksheet((sheet_name + name_suffix)[:31])
        ncol = len(columns)
        labels = [self.t.columns.get(c, c) for c, _ in columns]
        for i, ((c, kind), label) in enumerate(zip(columns, labels)):
            width = max(10, min(40, 2 * len(label) + 2))
            ws.set_column(i, i, width, self.kinds[kind])
        ws.freeze_panes(3, 0)
        if ncol > 1:
            ws.merge_range(0, 0, 0, ncol - 1, f"{self.t.title} — {title}{title_suffix}", self.fmt_title)
            ws.merge_range(1, 0, 1, ncol - 1, f"{self.t.text.get('period', 'period')}：{self.period}", self.fmt_period)
        else:
            ws.write(0, 0, f"{self.t.title} — {title}{title_suffix}", self.fmt_title)
            ws.write(1, 0, f"{self.t.text.get('period', 'period')}：{self.period}", self.fmt_period)
        ws.write_row(2, 0, labels, self.fmt_header)
        data = frame[[c for c, _ in columns]].copy()
        for c, kind in columns:
            if kind == "date":
                data[c] = (data[c] - EXCEL_EPOCH).dt.days
            if c in codes:
                data[c] = data[c].astype(object).map(lambda v: self.t.codes.get(v, v))
        # NaN → None: XlsxWriter skips a blank without a format, as the blank CSV cell.
        rows = data.astype(object).where(data.notna(), None).itertuples(index=False, name=None)
        r = 3
        for r, row in enumerate(rows, start=3):
            ws.write_row(r, 0, row)
        last = r if len(data) else 2
        if len(data) == 0:
            ws.write(3, 0, empty)
        if totals and len(data):
            r = last + 1
            ws.write(r, 0, self.t.text.get("totals", "total"), self.fmt_total_label)
            for i, (c, kind) in enumerate(columns):
                if c in totals:
                    col = xlsxwriter.utility.xl_col_to_name(i)
                    value = float(frame[c].sum())
                    ws.write_formula(r, i, f"=SUBTOTAL(9,{col}4:{col}{last + 1})", self.totals.get(kind, self.fmt_total_label),
                                     round(value, 3))
        ws.autofilter(2, 0, max(last, 3), ncol - 1)
        return ws

    def overview(self, inputs, figures, previous, lines, ytd=None):
        """The first sheet (SPEC §8.2): title, period and costing, the inputs block, the key figures against
        the previous month's (and the year to date), one line per sheet with its rows and a link to it."""
        ws = self.book.add_worksheet(self.t.text.get("overview", "概览"))
        ws.set_column(0, 0, 36)
        ws.set_column(1, 5, 16)
        ws.write(0, 0, f"{self.t.title} — {self.t.text.get('overview', '概览')}", self.fmt_title)
        ws.write(1, 0, f"{self.t.text.get('period', 'period')}：{self.period}    成本计价：月末一次加权平均", self.fmt_period)
        ws.write_row(3, 0, ["输入文件", "读取", "接受", "警告", "拒绝"], self.fmt_header)
        r = 3
        for file, rows in inputs:  # nothing is validated: every row read is accepted
            r += 1
            ws.write_row(r, 0, [file, rows, rows, 0, 0], self.kinds["count"])
        r += 2
        ws.write_row(r, 0, ["指标", "本月", "上月", "变动%"] + (["本年累计"] if ytd is not None else []), self.fmt_header)
        label = lambda metric: " ".join(self.t.codes.get(p, self.t.columns.get(p, p)) for p in metric.split("."))
        for metric, value in figures.items():
            r += 1
            before = previous.get(metric)
            change = round((value - before) / abs(before) * 100, 2) if before else None
            ws.write(r, 0, label(metric))
            ws.write_row(r, 1, [value, before], self.kinds["money"])
            ws.write(r, 3, change, self.kinds["percent"])
            if ytd is not None:
                ws.write(r, 4, ytd.get(metric), self.kinds["money"])
        r += 2
        ws.write_row(r, 0, ["工作表", "行数"], self.fmt_header)
        for name, rows in lines:
            r += 1
            ws.write_url(r, 0, f"internal:'{name}'!A1", string=name)
            ws.write(r, 1, rows, self.kinds["count"])

    def data_issues(self, issues, cap=200):
        """SPEC §8.1: a summary of the issues by (severity, code) with count, files and meaning, then at most
        CAP rows per code and a line for each code cut short."""
        sheet_name, title = self.t.table("data_issues")
        ws = self.book.add_worksheet(sheet_name)
        ws.write(0, 0, f"{self.t.title} — {title}", self.fmt_title)
        ws.write(1, 0, f"{self.t.text.get('period', 'period')}：{self.period}", self.fmt_period)
        ws.write_row(2, 0, ["级别", "代码", "条数", "文件", "含义"], self.fmt_header)
        summary = issues.groupby(["severity", "code"]).agg(count=("code", "size"),
                                                           files=("file", lambda f: ", ".join(sorted(f.unique()))))
        r = 2
        for (severity, code), row in summary.iterrows():
            r += 1
            ws.write_row(r, 0, [self.t.codes.get(severity, severity), code, row["count"], row["files"],
                                self.t.codes.get(code, code)])
        if summary.empty:
            r += 1
            ws.write(r, 0, self.t.text.get("no_data", "no data"))
        r += 2
        columns = ["file", "line", "column", "severity", "code", "message"]
        ws.write_row(r, 0, [self.t.columns.get(c, c) for c in columns], self.fmt_header)
        for row in issues.groupby("code").head(cap)[columns].itertuples(index=False, name=None):
            r += 1
            ws.write_row(r, 0, row)
        for code, more in (summary["count"].groupby(level="code").sum() - cap).items():
            if more > 0:
                r += 1
                ws.write(r, 0, f"{code}: {more:,} more in rejects.csv")

    def close(self):
        self.book.close()


QTY_TYPES = [(t.lower() + "_qty", "qty") for t in RECEIPTS + ISSUES]
# The input kinds each report reads (README's "needs / also reads", with the masters it names rows by).
READS = {"parts-movement": ["parts", "movements", "opening", "counts"],
         "reconciliation": ["parts", "movements", "opening", "counts", "orders", "repairs"],
         "profit": ["parts", "dealers", "orders", "movements", "opening", "repairs"],
         "quality-feedback": ["parts", "dealers", "repairs", "movements", "faults", "fleet"]}


def key_figures(r):
    """The overview's key figures per report (SPEC §8.2): {report: {metric: value}}."""
    def by_status(table, value):
        g = r[table].groupby("status").agg(rows=("status", "size"), value=(value, "sum"))
        return {f"{table}.{status}.{k}": float(v) for status, row in g.iterrows() for k, v in row.items()}
    mv = r["movement"].groupby("warehouse")[["opening_value", "receipt_value", "issue_value", "closing_value"]].sum()
    op = r["old_parts_outstanding"]
    by_model = r["by_model"][["repairs", "warranty_repairs", "parts_cost", "labor_cost", "total_cost"]].sum()
    return {
        "parts-movement": {f"{w}.{c}": round(float(v), 2) for w, row in mv.iterrows() for c, v in row.items()},
        "reconciliation": {**by_status("stock_variance", "variance_value"), **by_status("order_issue", "diff_qty"),
                           **by_status("repair_issue", "diff_qty"),
                           "old_parts_outstanding.rows": len(op), "outstanding_qty": float(op["outstanding_qty"].sum()),
                           "negative_stock.rows": len(r["negative_stock"]),
                           "opening_continuity.rows": len(r["opening_continuity"])},
        "profit": {m: float(v) for m, v in zip(r["summary"]["metric"], r["summary"]["value"])},
        "quality-feedback": {m: float(v) for m, v in by_model.items()},
    }


def read_figures(out_dir, month):
    """<out>/<month>/figures.json as written by an earlier run; {} when missing."""
    path = os.path.join(out_dir, month, "figures.json")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def write_all(results, out_dir, month, templates_dir, inputs, phases):
    period = month
    folder = os.path.join(out_dir, month)
    os.makedirs(folder, exist_ok=True)
    issues = results["data_issues"]
    figures = key_figures(results)
    with open(os.path.join(folder, "figures.json"), "w") as f:
        json.dump(figures, f, indent=1, sort_keys=True)
    previous = read_figures(out_dir, (pd.Timestamp(f"{month}-01") - pd.offsets.MonthBegin(1)).strftime("%Y-%m"))
    year, number = month.split("-")
    earlier = [read_figures(out_dir, f"{year}-{m:02d}") for m in range(1, int(number))]

    def overview(book, report, lines, ytd=None):
        files = [(file, rows) for kind in READS[report] for file, rows in inputs.get(kind, {}).items()]
        issues_sheet, _ = book.t.table("data_issues")
        book.overview(files, figures[report], previous.get(report, {}), lines + [(issues_sheet, len(issues))], ytd)

    # parts-movement: one sheet per warehouse with its totals.
    t = Templates(templates_dir, "parts-movement")
    book = Book(os.path.join(folder, f"parts-movement-{month}.xlsx"), t, period)
    by_warehouse = [(t.codes.get(w, w), rows) for w, rows in results["movement"].groupby("warehouse", sort=True)]
    overview(book, "parts-movement", [(f"{t.table('movement')[0]} {label}"[:31], len(rows)) for label, rows in by_warehouse])
    cols = [("warehouse", "text"), ("part_no", "text"), ("part_name", "text"), ("spec", "text"), ("unit", "text"),
            ("opening_qty", "qty"), ("opening_value", "money"), ("receipt_qty", "qty"), ("receipt_value", "money"),
            ("issue_qty", "qty"), ("issue_value", "money"), ("closing_qty", "qty"), ("closing_value", "money"),
            ("unit_cost", "unit_cost")] + QTY_TYPES + [("counted_qty", "qty"), ("variance_qty", "qty")]
    totals = {c for c, k in cols if k in ("qty", "money")}
    for label, rows in by_warehouse:
        book.sheet("movement", rows, cols, totals=totals, name_suffix=f" {label}", title_suffix=f"（{label}）")
    book.data_issues(issues)
    book.close()
    phases.done("write parts-movement")

    t = Templates(templates_dir, "reconciliation")
    book = Book(os.path.join(folder, f"reconciliation-{month}.xlsx"), t, period)
    orders, orders_matched = unmatched(results["order_issue"])
    repairs, repairs_matched = unmatched(results["repair_issue"])
    old_parts = results["old_parts_outstanding"].sort_values(["repair_date", "repair_no", "part_no"])
    shown = {"stock_variance": results["stock_variance"], "order_issue": orders, "repair_issue": repairs,
             "old_parts_outstanding": old_parts, "negative_stock": results["negative_stock"],
             "opening_continuity": results["opening_continuity"]}
    overview(book, "reconciliation", [(t.table(table)[0], len(rows)) for table, rows in shown.items()])
    book.sheet("stock_variance", exceptions_first(results["stock_variance"]),
               [("warehouse", "text"), ("part_no", "text"), ("part_name", "text"), ("count_date", "date"),
                ("book_qty", "qty"), ("counted_qty", "qty"), ("variance_qty", "qty"), ("unit_cost", "unit_cost"),
                ("variance_value", "money"), ("status", "text"), ("action", "text")],
               totals={"variance_value"}, codes=("status", "action"))
    book.sheet("order_issue", orders,
               [("order_no", "text"), ("part_no", "text"), ("shipped_qty", "qty"), ("issued_qty", "qty"),
                ("diff_qty", "qty"), ("status", "text")], totals={"shipped_qty", "issued_qty", "diff_qty"},
               codes=("status",), matched=orders_matched)
    book.sheet("repair_issue", repairs,
               [("repair_no", "text"), ("part_no", "text"), ("repair_qty", "qty"), ("issued_qty", "qty"),
                ("diff_qty", "qty"), ("status", "text")], totals={"repair_qty", "issued_qty", "diff_qty"},
               codes=("status",), matched=repairs_matched)
    book.sheet("old_parts_outstanding", old_parts,
               [("repair_no", "text"), ("repair_date", "date"), ("dealer_id", "text"), ("part_no", "text"),
                ("expected_qty", "qty"), ("received_qty", "qty"), ("outstanding_qty", "qty"), ("age_days", "count"),
                ("age_bucket", "text")], totals={"expected_qty", "received_qty", "outstanding_qty"})
    book.sheet("negative_stock", results["negative_stock"],
               [("warehouse", "text"), ("part_no", "text"), ("first_date", "date"), ("min_qty", "qty")])
    book.sheet("opening_continuity", results["opening_continuity"],
               [("warehouse", "text"), ("part_no", "text"), ("prev_closing_qty", "qty"), ("opening_qty", "qty"),
                ("prev_closing_value", "money"), ("opening_value", "money")])
    book.data_issues(issues)
    book.close()
    phases.done("write reconciliation")

    t = Templates(templates_dir, "profit")
    book = Book(os.path.join(folder, f"profit-{month}.xlsx"), t, period)
    ytd = pd.DataFrame([figures["profit"]] + [f.get("profit", {}) for f in earlier]).sum().to_dict()
    ytd["margin_pct"] = round(ytd["gross_profit"] / ytd["net_revenue"] * 100, 2) if ytd["net_revenue"] else None
    overview(book, "profit", [(t.table(table)[0], len(results[key])) for table, key in
                              (("summary", "summary"), ("by_part", "by_part"), ("by_dealer", "by_dealer"),
                               ("by_category", "by_category"))], ytd=ytd)
    book.sheet("summary", results["summary"], [("metric", "text"), ("value", "money")], codes=("metric",))
    money = ["revenue", "returns", "net_revenue", "cogs", "gross_profit"]
    book.sheet("by_part", results["by_part"],
               [("part_no", "text"), ("part_name", "text"), ("category", "text"), ("sold_qty", "qty"),
                ("revenue", "money"), ("returned_qty", "qty"), ("returns", "money"), ("net_revenue", "money"),
                ("cogs", "money"), ("gross_profit", "money"), ("margin_pct", "percent")],
               totals={"sold_qty", "returned_qty", *money})
    book.sheet("by_dealer", results["by_dealer"],
               [("dealer_id", "text"), ("dealer_name", "text"), ("region", "text"), ("net_revenue", "money"),
                ("cogs", "money"), ("gross_profit", "money"), ("margin_pct", "percent")], totals=set(money))
    book.sheet("by_category", results["by_category"],
               [("category", "text"), ("net_revenue", "money"), ("cogs", "money"), ("gross_profit", "money"),
                ("margin_pct", "percent")], totals=set(money))
    book.data_issues(issues)
    book.close()
    phases.done("write profit")

    t = Templates(templates_dir, "quality-feedback")
    book = Book(os.path.join(folder, f"quality-feedback-{month}.xlsx"), t, period)
    overview(book, "quality-feedback", [(t.table(table)[0], len(results[key])) for table, key in
                                        (("by_model", "by_model"), ("by_fault", "by_fault"), ("by_part", "q_by_part"),
                                         ("by_supplier", "by_supplier"), ("by_dealer", "q_by_dealer"), ("trend", "trend"))])
    book.sheet("by_model", results["by_model"],
               [("product_model", "text"), ("repairs", "count"), ("warranty_repairs", "count"),
                ("parts_cost", "money"), ("labor_cost", "money"), ("total_cost", "money"), ("units", "count"),
                ("repairs_per_1000", "percent"), ("prev_repairs", "count"), ("change_pct", "percent")],
               totals={"repairs", "warranty_repairs", "parts_cost", "labor_cost", "total_cost"})
    faults = results["by_fault"]
    ws = book.sheet("by_fault", faults,
                    [("fault_code", "text"), ("fault_category", "text"), ("description", "text"), ("lines", "count"),
                     ("share_pct", "percent"), ("cumulative_pct", "percent")], totals={"lines"})
    pareto_chart(book, ws, t, "by_fault", min(len(faults), 20), "fault")
    qparts = results["q_by_part"]
    ws = book.sheet("by_part", qparts,
                    [("part_no", "text"), ("part_name", "text"), ("supplier", "text"), ("qty", "qty"),
                     ("lines", "count"), ("share_pct", "percent"), ("cumulative_pct", "percent")],
                    totals={"qty", "lines"})
    pareto_chart(book, ws, t, "by_part", min(len(qparts), 20), "part")
    book.sheet("by_supplier", results["by_supplier"],
               [("supplier", "text"), ("lines", "count"), ("qty", "qty"), ("parts_cost", "money"),
                ("old_parts_received", "count")], totals={"lines", "qty", "parts_cost", "old_parts_received"})
    book.sheet("by_dealer", results["q_by_dealer"],
               [("dealer_id", "text"), ("dealer_name", "text"), ("repairs", "count"), ("warranty_repairs", "count"),
                ("labor_cost", "money"), ("parts_cost", "money")],
               totals={"repairs", "warranty_repairs", "labor_cost", "parts_cost"})
    trend = results["trend"]
    ws = book.sheet("trend", trend, [("month", "text"), ("repairs", "count"), ("warranty_repairs", "count")])
    sheet_name, _ = t.table("trend")
    chart = book.book.add_chart({"type": "line"})
    for col, label in ((1, "repairs"), (2, "warranty_repairs")):
        chart.add_series({"name": t.columns.get(label, label),
                          "categories": [sheet_name, 3, 0, 2 + len(trend), 0],
                          "values": [sheet_name, 3, col, 2 + len(trend), col]})
    chart.set_title({"name": t.text.get("chart_trend", "trend")})
    ws.insert_chart(3, 4, chart)
    book.data_issues(issues)
    book.close()
    phases.done("write quality-feedback")

    mv = results["movement"]
    mv[["warehouse", "part_no", "closing_qty", "closing_value"]].rename(
        columns={"closing_qty": "qty", "closing_value": "value"}).assign(
        as_of=(pd.Timestamp(f"{month}-01") + pd.offsets.MonthBegin(1)).strftime("%Y-%m-%d")).to_csv(
        os.path.join(folder, f"closing-balances-{month}.csv"), index=False, float_format="%.15g")
    results["count_adjustments"].to_csv(os.path.join(folder, f"count-adjustments-{month}.csv"), index=False,
                                        float_format="%.15g")
    phases.done("write csv")


def pareto_chart(book, ws, t, table_id, n, which):
    """The count columns of the top N as bars, the cumulative % as a line on a secondary axis."""
    if n == 0:
        return
    sheet_name, _ = t.table(table_id)
    count_col = 3 if which == "fault" else 4
    bars = book.book.add_chart({"type": "column"})
    bars.add_series({"name": t.columns.get("lines", "lines"), "categories": [sheet_name, 3, 0, 2 + n, 0],
                     "values": [sheet_name, 3, count_col, 2 + n, count_col]})
    line = book.book.add_chart({"type": "line"})
    line.add_series({"name": t.columns.get("cumulative_pct", "cumulative_pct"), "y2_axis": True,
                     "categories": [sheet_name, 3, 0, 2 + n, 0],
                     "values": [sheet_name, 3, count_col + 2, 2 + n, count_col + 2], "data_labels": {"value": True}})
    bars.combine(line)
    bars.set_title({"name": t.text.get(f"chart_{which}_pareto", which)})
    ws.insert_chart(3, count_col + 4, bars, {"x_scale": 1.6, "y_scale": 1.4})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--month", required=True)
    parser.add_argument("--templates", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                            "..", "templates", "zh-CN"))
    args = parser.parse_args()
    phases = Phases()
    data = {kind: read_kind(args.inputs, kind) for kind in LABELS}
    for kind in ("orders", "movements", "repairs", "parts", "dealers"):
        if data[kind] is None:
            sys.exit(f"peer_pandas: no {kind}*.csv in {args.inputs}")
    data["out"] = args.out
    phases.done(f"read {sum(len(f) for k, f in data.items() if k != 'out' and f is not None):,} rows")
    inputs = {kind: frame.groupby("file", sort=True).size().to_dict() for kind, frame in data.items()
              if kind != "out" and frame is not None}
    results = compute(data, args.month)
    phases.done("compute")
    write_all(results, args.out, args.month, args.templates, inputs, phases)
    log(f"total {phases.total():.3f} s (pandas {pd.__version__}, XlsxWriter {xlsxwriter.__version__})")


if __name__ == "__main__":
    main()
