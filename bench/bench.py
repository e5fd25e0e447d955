#!/usr/bin/env python3
"""The bookkeeping of `make bench` (bench/run.sh does the running).

  bench.py cells WORKBOOK...             one line per workbook: path, cells, string cells, distinct strings
  bench.py raw-jobs CELLS CORES DIR     the raw-xlsx jobs for those workbooks, largest first, one per line: a
                                         report workbook each, the statements in CORES batches (DIR/batch-k.txt),
                                         so that the baseline starts one process per core, not one per statement
  bench.py inputs MANIFEST               the input files the run read, one per line
  bench.py record RESULTS SCALE COMMAND RUN MANIFEST TIMEFILE RAWSCAN RAWXLSX CELLS [ONECORE BYTEFLOOR]
                 [--peer=TIMEFILE --peer-cells=CELLS --peer-log=LOG]
                                         appends the run's figures to RESULTS (JSON lines) and prints them;
                                         with --peer, the pandas peer's time (bench/peer_pandas.py) and its
                                         ratio to the run's wall time
  bench.py failure RESULTS SCALE COMMAND RUN EXIT LOG
                                         appends a failed run (its exit status and last log line) and prints it
  bench.py summary RESULTS CSV           prints the medians per scale and command and writes CSV
"""
import json
import os
import re
import statistics
import sys
import zipfile


def cells(paths):
    """Counts the cells of each workbook as written (`<c` elements), those holding a shared string, and
    the shared-string table's distinct entries: what raw-xlsx is asked to write for the same work."""
    for path in paths:
        total = strings = 0
        unique = 0
        with zipfile.ZipFile(path) as book:
            for name in book.namelist():
                if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
                    xml = book.read(name)
                    total += xml.count(b"<c ")
                    strings += xml.count(b' t="s"') + xml.count(b' t="inlineStr"')
            if "xl/sharedStrings.xml" in book.namelist():
                with book.open("xl/sharedStrings.xml") as sst:
                    match = re.search(rb'uniqueCount="(\d+)"', sst.read(4096))
                    unique = int(match.group(1)) if match else 0
        print(path, total, strings, max(unique, 1))


# The one-core ingest rate issue 6 asks for; the summary prints what it leaves per row after the byte floor.
TARGET_MB_PER_S = 150


def is_statement(path):
    return os.path.basename(os.path.dirname(path)) == "statements"


def workbook_cells(cellsfile):
    """{workbook kind: cells} from a `cells` listing ("parts-movement-2026-10.xlsx" → "parts-movement"; the
    dealers' statements summed as "statements")."""
    out = {}
    for line in open(cellsfile):
        if line.strip():
            path, total = line.split()[:2]
            kind = "statements" if is_statement(path) else re.sub(r"-\d{4}-\d{2}(-\d{2})?\.xlsx$", "", os.path.basename(path))
            out[kind] = out.get(kind, 0) + int(total)
    return out


def raw_jobs(cellsfile, cores, folder):
    books = [line.split() for line in open(cellsfile) if line.strip()]
    jobs = [(int(c), f"--cells {c} --strings {s} --unique {u} --out {folder}/raw-{n}.xlsx")
            for n, (path, c, s, u) in enumerate(books) if not is_statement(path)]
    statements = sorted((b for b in books if is_statement(b[0])), key=lambda b: -int(b[1]))
    for k in range(min(int(cores), len(statements))):
        batch = statements[k::int(cores)]
        with open(f"{folder}/batch-{k}.txt", "w") as f:
            f.writelines(f"{c} {s} {u}\n" for _, c, s, u in batch)
        jobs.append((sum(int(b[1]) for b in batch), f"--batch {folder}/batch-{k}.txt --out {folder}/raw-batch-{k}"))
    for _, job in sorted(jobs, key=lambda j: -j[0]):
        print(job)


# The issue-15 target: the month's `monthly` at least this many times faster than the pandas peer.
TARGET_PEER_RATIO = 7


def record(results, scale, command, run, manifest_path, timefile, rawscan, rawxlsx, cellsfile, onecore=None, bytefloor=None,
           peer=None, peer_cells=None, peer_log=None, **explain_times):
    with open(manifest_path) as f:
        manifest = json.load(f)
    wall, rss_kb, user, system = open(timefile).read().split()[-4:]
    scan_bytes, _lines, scan_seconds, scan_mbps = open(rawscan).read().split()
    raw_xlsx_seconds = sum(float(line.split()[1]) for line in open(rawxlsx) if line.strip())
    total_cells = sum(int(line.split()[1]) for line in open(cellsfile) if line.strip())
    input_bytes = sum(i["bytes"] for i in manifest["inputs"])
    if int(scan_bytes) != input_bytes:
        sys.exit(f"bench: the raw scan read {scan_bytes} bytes, the run {input_bytes}")

    figures = {"wall_s": float(wall), "peak_rss_mb": int(rss_kb) / 1024, "cpu_s": float(user) + float(system)}
    for stage in manifest["stages"]:
        name, seconds, rows = stage["stage"], stage["seconds"], stage["rows"]
        figures[f"{name}_s"] = seconds
        figures[f"{name}_rows"] = rows
        if rows:
            figures[f"{name}_rows_per_s"] = rows / seconds if seconds > 0 else float("inf")
    figures["input_mb"] = input_bytes / 1e6
    figures["ingest_mb_per_s"] = input_bytes / 1e6 / figures["ingest_s"]
    figures["raw_scan_mb_per_s"] = float(scan_mbps)
    figures["ingest_vs_raw_scan"] = figures["ingest_mb_per_s"] / figures["raw_scan_mb_per_s"]
    figures["cells"] = total_cells
    figures["raw_xlsx_s"] = raw_xlsx_seconds
    figures["render_vs_raw_xlsx"] = figures["render_s"] / raw_xlsx_seconds
    if onecore:
        # `validate` pinned to one core: decode, scan, parse, validate every input (and list the issues).
        one_wall, one_rss, _, _ = open(onecore).read().split()[-4:]
        figures["validate_1core_s"] = float(one_wall)
        figures["validate_1core_rss_mb"] = int(one_rss) / 1024
        figures["ingest_1core_mb_per_s"] = input_bytes / 1e6 / float(one_wall)
        figures["ingest_1core_vs_raw_scan"] = figures["ingest_1core_mb_per_s"] / figures["raw_scan_mb_per_s"]
    if bytefloor:
        # Per row: what the rows cost on one core beyond the floor, and what 150 MB/s would leave them.
        _bytes, _records, floor_seconds, floor_mbps = open(bytefloor).read().split()
        rows = figures["ingest_rows"]
        figures["byte_floor_s"] = float(floor_seconds)
        figures["byte_floor_mb_per_s"] = float(floor_mbps)
        figures["row_cost_1core_ns"] = (figures["validate_1core_s"] - float(floor_seconds)) / rows * 1e9
        figures["row_budget_at_target_ns"] = (input_bytes / (TARGET_MB_PER_S * 1e6) - float(floor_seconds)) / rows * 1e9
    # Issue 18: one explanation (a whole `explain` run, its own ingest included) within the monthly run's ingest + 1 s.
    explained = [(name[len("explain_"):], path) for name, path in sorted(explain_times.items()) if name.startswith("explain_")]
    for name, path in explained:
        figures[f"explain_{name}_s"] = float(open(path).read().split()[-4])
        figures[f"explain_{name}_over_limit"] = figures[f"explain_{name}_s"] / (figures["ingest_s"] + 1)
    books = workbook_cells(cellsfile)
    peer_books, peer_phases = {}, []
    if peer:
        # The peer under /usr/bin/time (interpreter start and imports included) and its own phase times.
        peer_wall, peer_rss, peer_user, peer_sys = open(peer).read().split()[-4:]
        figures["peer_pandas_s"] = float(peer_wall)
        figures["peer_pandas_rss_mb"] = int(peer_rss) / 1024
        figures["peer_pandas_cpu_s"] = float(peer_user) + float(peer_sys)
        figures["peer_pandas_over_wall"] = figures["peer_pandas_s"] / figures["wall_s"]
        peer_books = workbook_cells(peer_cells)
        figures["peer_cells"] = sum(peer_books.values())
        if peer_log:
            peer_phases = [line.split(": ", 1)[1].strip() for line in open(peer_log, errors="replace")
                           if line.startswith("peer_pandas: ")]
    with open(results, "a") as f:
        f.write(json.dumps({"scale": scale, "command": command, "run": int(run),
                            "stages": [stage["stage"] for stage in manifest["stages"]], "figures": figures,
                            "workbook_cells": books, "peer_workbook_cells": peer_books}) + "\n")

    stages = ", ".join(
        f"{s['stage']} {s['seconds']:.3f} s" + (f" {s['rows'] / s['seconds']:,.0f} rows/s" if s["rows"] and s["seconds"] else "")
        for s in manifest["stages"])
    print(f"  {scale} {command} run {run}: wall {figures['wall_s']:.2f} s, peak RSS {figures['peak_rss_mb']:,.0f} MB, "
          f"cpu {figures['cpu_s']:.2f} s | {stages}")
    print(f"    ingest {figures['ingest_mb_per_s']:,.1f} MB/s vs raw scan {figures['raw_scan_mb_per_s']:,.0f} MB/s "
          f"({figures['ingest_vs_raw_scan']:.3f}) | render {figures['render_s']:.3f} s vs raw xlsx "
          f"{raw_xlsx_seconds:.3f} s for {total_cells:,} cells ({figures['render_vs_raw_xlsx']:.2f}x)")
    if onecore:
        print(f"    validate on one core {figures['validate_1core_s']:.2f} s: {figures['ingest_1core_mb_per_s']:,.1f} MB/s "
              f"({figures['ingest_1core_vs_raw_scan']:.3f} of the raw scan)")
    if explained:
        print("    explain: " + ", ".join(f"{name} {figures[f'explain_{name}_s']:.2f} s" for name, _ in explained)
              + f" (limit: ingest {figures['ingest_s']:.2f} s + 1 s = {figures['ingest_s'] + 1:.2f} s)")
    if peer:
        print(f"    peer pandas {figures['peer_pandas_s']:.2f} s (peak RSS {figures['peer_pandas_rss_mb']:,.0f} MB, cpu "
              f"{figures['peer_pandas_cpu_s']:.2f} s): {figures['peer_pandas_over_wall']:.2f}x this run's wall "
              f"(target ≥ {TARGET_PEER_RATIO}x) | " + ", ".join(peer_phases))
    if int(run) == 1:
        print_cells(books, peer_books, "    ")
    if bytefloor:
        print(f"    byte floor {figures['byte_floor_s']:.3f} s ({figures['byte_floor_mb_per_s']:,.1f} MB/s); rows cost "
              f"{figures['row_cost_1core_ns']:,.0f} ns each beyond it, {TARGET_MB_PER_S} MB/s would leave them "
              f"{figures['row_budget_at_target_ns']:,.0f} ns")


def print_cells(books, peer_books, indent):
    """Cells per workbook as written (bench.py cells), the Swift run's and the peer's side by side."""
    names = list(books) + [n for n in peer_books if n not in books]
    width = max(len(n) for n in names) if names else 0
    print(f"{indent}cells per workbook: " + ("aftersales / peer" if peer_books else "aftersales"))
    for name in names:
        theirs = f" / {peer_books[name]:>10,}" if name in peer_books else (" / " + "-" * 10 if peer_books else "")
        print(f"{indent}  {name:{width}} {books.get(name, 0):>10,}{theirs}")
    total_peer = f" / {sum(peer_books.values()):>10,}" if peer_books else ""
    print(f"{indent}  {'total':{width}} {sum(books.values()):>10,}{total_peer}")


def failure(results, scale, command, run, exit_code, log):
    lines = [line.strip() for line in open(log, errors="replace") if line.strip()]
    reason = next((line for line in reversed(lines) if "run.failed" in line), lines[-1] if lines else "")
    with open(results, "a") as f:
        f.write(json.dumps({"scale": scale, "command": command, "run": int(run), "exit": int(exit_code),
                            "reason": reason}) + "\n")
    print(f"  {scale} {command} run {run}: FAILED with exit {exit_code}: {reason}")


def scale_ratios(runs, base="month"):
    """Each larger scale's wall and CPU seconds over the base scale's of the same run and command (the
    scales take turns within a run, so the two were measured minutes apart), printed with their medians;
    returned as CSV rows (metrics `wall_x_month`, `cpu_x_month`)."""
    by_run = {(r["scale"], r["command"], r["run"]): r["figures"] for r in runs}
    rows, lines = [], []
    for scale, command in sorted({(r["scale"], r["command"]) for r in runs if r["scale"] != base}):
        pairs = [(run, by_run[(scale, command, run)], by_run[(base, command, run)])
                 for (s, c, run) in sorted(by_run) if (s, c) == (scale, command) and (base, command, run) in by_run]
        if not pairs:
            continue
        for metric, key in (("wall_x_month", "wall_s"), ("cpu_x_month", "cpu_s")):
            ratios = [(run, big[key] / small[key]) for run, big, small in pairs]
            rows += [(scale, command, run, metric, ratio) for run, ratio in ratios]
            rows.append((scale, command, "median", metric, statistics.median(ratio for _, ratio in ratios)))
            lines.append(f"{scale:8} {command:8} {key[:-2]:>4} ÷ {base}: median {statistics.median(r for _, r in ratios):.2f}x "
                         f"(runs: {', '.join(f'{r:.2f}' for _, r in ratios)})")
    if lines:
        print(f"\neach scale against {base}, the same run (the scales take turns within a run)")
        print("\n".join(lines))
    return rows


def command_ratio(runs, command, base, metric):
    """`command`'s wall seconds over `base`'s of the same scale and run (they ran seconds apart), with
    their medians: the receivables report's cost as a share of the month-end run."""
    by_run = {(r["scale"], r["command"], r["run"]): r["figures"] for r in runs}
    rows = []
    for scale in sorted({r["scale"] for r in runs}):
        ratios = [(run, by_run[(s, c, run)]["wall_s"] / by_run[(s, base, run)]["wall_s"])
                  for (s, c, run) in sorted(by_run) if (s, c) == (scale, command) and (s, base, run) in by_run]
        if not ratios:
            continue
        rows += [(scale, command, run, metric, ratio) for run, ratio in ratios]
        rows.append((scale, command, "median", metric, statistics.median(r for _, r in ratios)))
        print(f"{scale:8} {command} ÷ {base} wall: median {statistics.median(r for _, r in ratios):.3f}x "
              f"(runs: {', '.join(f'{r:.3f}' for _, r in ratios)})")
    return rows


def summary(results, csv_path):
    records = [json.loads(line) for line in open(results) if line.strip()]
    runs = [r for r in records if "figures" in r]
    failures = [r for r in records if "exit" in r]
    groups = {}
    for r in runs:
        groups.setdefault((r["scale"], r["command"]), []).append(r)
    rows = []
    print()
    print("medians per scale and command (wall, peak RSS and stage times in seconds; ratio = ingest MB/s ÷ raw-scan MB/s, "
          "render ÷ raw-xlsx)")
    header = (f"{'scale':8} {'command':8} {'runs':>4} {'wall s':>7} {'RSS MB':>7} {'ingest s':>8} {'MB/s':>6} "
              f"{'raw MB/s':>8} {'ratio':>6} {'render s':>8} {'rows/s':>8} {'cells':>10} {'raw xlsx s':>10} {'ratio':>6}")
    print(header)
    for (scale, command), group in groups.items():
        stages = group[0].get("stages", [])
        keys = sorted({k for r in group for k in r["figures"]})
        median = {k: statistics.median([r["figures"][k] for r in group if k in r["figures"]]) for k in keys}
        for r in group:
            rows += [(scale, command, r["run"], k, r["figures"][k]) for k in sorted(r["figures"])]
        rows += [(scale, command, "median", k, median[k]) for k in keys]
        print(f"{scale:8} {command:8} {len(group):>4} {median['wall_s']:>7.2f} {median['peak_rss_mb']:>7,.0f} "
              f"{median['ingest_s']:>8.3f} {median['ingest_mb_per_s']:>6.1f} {median['raw_scan_mb_per_s']:>8,.0f} "
              f"{median['ingest_vs_raw_scan']:>6.3f} {median['render_s']:>8.3f} {median.get('render_rows_per_s', 0):>8,.0f} "
              f"{median['cells']:>10,.0f} {median['raw_xlsx_s']:>10.3f} {median['render_vs_raw_xlsx']:>5.2f}x")
        if "ingest_1core_mb_per_s" in median:
            print(" " * 18 + f"one core: validate {median['validate_1core_s']:.2f} s, {median['ingest_1core_mb_per_s']:.1f} MB/s "
                  f"({median['ingest_1core_vs_raw_scan']:.3f} of the raw scan)")
        if "byte_floor_s" in median:
            print(" " * 18 + f"byte floor {median['byte_floor_s']:.3f} s ({median['byte_floor_mb_per_s']:.1f} MB/s); per row beyond "
                  f"it {median['row_cost_1core_ns']:,.0f} ns, at {TARGET_MB_PER_S} MB/s {median['row_budget_at_target_ns']:,.0f} ns")
        explained = [k[len("explain_"):-len("_s")] for k in keys if k.startswith("explain_") and k.endswith("_s")]
        if explained:
            print(" " * 18 + "explain one cell: " + ", ".join(
                f"{name} {median[f'explain_{name}_s']:.2f} s ({median[f'explain_{name}_over_limit']:.2f} of ingest + 1 s)"
                for name in explained))
        if "peer_pandas_s" in median:
            ratios = [r["figures"]["peer_pandas_over_wall"] for r in group if "peer_pandas_over_wall" in r["figures"]]
            print(" " * 18 + f"peer pandas {median['peer_pandas_s']:.2f} s (peak RSS {median['peer_pandas_rss_mb']:,.0f} MB) "
                  f"÷ wall: median {median['peer_pandas_over_wall']:.2f}x (runs: {', '.join(f'{r:.2f}' for r in ratios)}; "
                  f"target ≥ {TARGET_PEER_RATIO}x)")
        if group[0].get("workbook_cells"):
            print_cells(group[0]["workbook_cells"], group[0].get("peer_workbook_cells") or {}, " " * 18)
        stage_medians = [(name, median[name + "_s"], median.get(name + "_rows_per_s")) for name in stages]
        print(" " * 18 + "stages: " + ", ".join(
            f"{name} {seconds:.3f} s" + (f" ({rate:,.0f} rows/s)" if rate else "") for name, seconds, rate in stage_medians))
    rows += scale_ratios(runs)
    print()
    rows += command_ratio(runs, "receivables", "monthly", "wall_x_monthly")
    for r in failures:
        print(f"{r['scale']:8} {r['command']:8} FAILED (exit {r['exit']}): {r['reason']}")
        rows.append((r["scale"], r["command"], r["run"], "exit_code", r["exit"]))
    # Scales this invocation did not run keep their earlier rows (BENCH_SCALES=month leaves month10's alone).
    measured = {r["scale"] for r in records}
    kept = []
    if os.path.exists(csv_path):
        with open(csv_path) as f:
            kept = [line for line in f.readlines()[1:] if line.split(",", 1)[0] not in measured]
    with open(csv_path, "w") as f:
        f.write("scale,command,run,metric,value\n")
        f.writelines(kept)
        for scale, command, run, metric, value in rows:
            text = str(int(value)) if float(value).is_integer() else f"{value:.6f}".rstrip("0")
            f.write(f"{scale},{command},{run},{metric},{text}\n")
    print(f"\nwritten: {csv_path} (every run and the medians" + (", earlier rows of other scales kept)" if kept else ")"))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "cells":
        cells(args)
    elif command == "raw-jobs":
        raw_jobs(*args)
    elif command == "inputs":
        for i in json.load(open(args[0]))["inputs"]:
            print(i["file"])
    elif command == "first-row":
        # The (warehouse,part_no) of the first row of the counts file in a data folder: a part to explain.
        folder, prefix = args
        name = sorted(n for n in os.listdir(folder) if n.startswith(prefix))[0]
        with open(os.path.join(folder, name), encoding="utf-8-sig", errors="replace") as f:
            header = f.readline().rstrip("\n").split(",")
            row = dict(zip(header, f.readline().rstrip("\n").split(",")))
        print(f"{row['warehouse']},{row['part_no']}")
    elif command == "record":
        options = {a[2:].split("=", 1)[0].replace("-", "_"): a.split("=", 1)[1] for a in args if a.startswith("--")}
        record(*[a for a in args if not a.startswith("--")], **options)
    elif command == "failure":
        failure(*args)
    elif command == "summary":
        summary(*args)
    else:
        sys.exit(__doc__)
