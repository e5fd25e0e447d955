#!/usr/bin/env python3
"""The kill loop of `make torture` (Tests/Torture/kill.sh prepares the binary and the inputs).

Reference runs learn the sha256 of every output, previous/ included (SPEC §8.6): B0 = v2 on an empty
folder; A = v1 over B0 ("the previous version": B0 kept as its previous/, changes.csv against B0);
B = v2 over A ("the new version": A kept as previous/); C = v2 over B (B kept, nothing changed).
Then, KILLS times: an output folder holding A's complete outputs, `aftersales monthly --csv` on v2
started over it and SIGKILLed at a chosen moment (while it reads a given input file, a time after
ingest, the n-th temporary file, the n-th workbook half-written, the flush, the first or last hard
link into previous.tmp-<pid>/, the renames moving A's previous/ aside and the new previous/ in, the
old manifest removed, the first, a middle or the manifest's rename, the older previous/ being
deleted), then:

  * every file under its final name is A's or B's version of that file, byte for byte;
  * a manifest.json under its final name lists exactly the files beside it (A's list or B's);
  * previous/, when there, is a complete run: a manifest listing exactly the files beside it, with
    their sha256 (B0's run or A's); a folder without a manifest has A's run in previous/ (the old
    run is never lost), and B's manifest has A's run in previous/;
  * the next run exits 0 or 1 in normal time (the dead run's lock is gone with it), leaves no
    *.tmp-* file or folder, and writes B's bytes (C's when the killed run had completed).

Standard library only. Exit status 0 when there is no violation, 1 otherwise.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile

TEMP = re.compile(r"\.tmp-[0-9]+(/|$)")   # a temporary file, or a file in a temporary folder
LOCK = ".aftersales.lock"


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def files_under(root):
    """Relative paths of the regular files under root, the lock file left out."""
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            rel = os.path.relpath(os.path.join(folder, name), root)
            if rel != LOCK:
                found.append(rel)
    return sorted(found)


def temporaries(root):
    return [rel for rel in files_under(root) if TEMP.search(rel)]


def snapshot(root):
    return {rel: sha256(os.path.join(root, rel)) for rel in files_under(root) if not TEMP.search(rel)}


def manifest_outputs(path):
    with open(path, encoding="utf-8") as f:
        return sorted((o["file"], o["sha256"]) for o in json.load(f)["outputs"])


class Run:
    """One `aftersales monthly` process, stderr to a file."""

    def __init__(self, args, inputs, out, stderr_path, prefix=()):
        self.stderr_path = stderr_path
        self.traced = bool(prefix)
        self.started = time.monotonic()
        with open(stderr_path, "wb") as err:
            self.proc = subprocess.Popen(
                [*prefix, args.bin, "monthly", "--month", args.month, "--inputs", inputs, "--out", out, "--csv",
                 "--templates", args.templates],
                stdout=subprocess.DEVNULL, stderr=err)

    def alive(self):
        return self.proc.poll() is None

    def stderr(self):
        with open(self.stderr_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def wait(self, timeout):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None


def complete_run(args, inputs, out, log):
    run = Run(args, inputs, out, log)
    rc = run.wait(timeout=600)
    return rc, time.monotonic() - run.started, run.stderr()


def wait_until(run, condition, timeout=120):
    """Polls condition() as fast as Python can until it holds (True) or the run has ended (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if not run.alive():
            return False
    return False


def sleep_while_alive(run, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and run.alive():
        time.sleep(min(0.001, max(0.0, deadline - time.monotonic())))
    return run.alive()


def reading(pid, name):
    """Whether the process has the input file `name` open (the loader reads each file twice)."""
    fds = f"/proc/{pid}/fd"
    try:
        for fd in os.listdir(fds):
            try:
                if os.readlink(f"{fds}/{fd}").endswith("/" + name):
                    return True
            except OSError:
                pass
    except OSError:
        pass
    return False


def schedule(kills):
    """The kill targets, spread over the stages, repeated when more than 20 are asked for."""
    base = [
        ("ingest", "parts.csv"), ("ingest", "orders-2026-10.csv"), ("ingest", "movements-2026-10.csv"),
        ("ingest", "repairs-2026-10.csv"),
        ("ledger", 0.05), ("ledger", 0.40), ("ledger", 0.80),
        ("render", 1), ("render", 5), ("render", 12),
        ("workbook", 1), ("workbook", 2), ("workbook", 3), ("workbook", 4),
        ("flush", None), ("link", 1), ("link", "last"), ("rename", 1), ("rename", 2), ("unlink", "manifest.json"),
        ("rename", 3), ("rename", "middle"), ("rename", "manifest"), ("cleanup", None),
    ]
    return [base[i % len(base)] for i in range(kills)]


def describe(target):
    kind, value = target
    if kind == "ingest":
        return f"ingest: {value} open"
    if kind == "ledger":
        return f"ledger +{int(value * 100)}%"
    if kind == "render":
        return f"render: temp file #{value}"
    if kind == "workbook":
        return f"workbook #{value} being written"
    if kind == "rename":
        return {"middle": "a middle rename", "manifest": "the manifest's rename", 1: "moving previous/ aside",
                2: "renaming previous/ in"}.get(value, f"rename #{value}")
    if kind == "link":
        return f"link #{value} into previous/"
    if kind == "unlink":
        return "removing the old manifest"
    if kind == "cleanup":
        return "deleting the older previous/"
    return kind


# Renames before the files': A's previous/ moved aside, then the new previous/ renamed in.
PREVIOUS_RENAMES = 2


def rename_number(value, period_files):
    """Which rename() call the target is: previous/'s two, then the files in the manifest's order, the manifest last."""
    return {"middle": PREVIOUS_RENAMES + len(period_files) // 2 + 1,
            "manifest": PREVIOUS_RENAMES + len(period_files) + 1}.get(value, value)


def strace_kill(calls, number, path=None):
    """strace that SIGKILLs its tracee on entering its `number`-th call of `calls` (on `path`), which then
    does not happen. (Not --seccomp-bpf: strace 6.1 then fails to deliver the injected signal.)"""
    return ["strace", "-qq", "-f", "-o", os.devnull, *(["-P", path] if path else []), "-e", f"trace={calls}",
            "-e", f"inject={calls}:error=EIO:signal=KILL:when={number}"]


def strace_for(target, out_folder, period_files, a_count):
    """a_count: the files A's manifest lists, each hard-linked into previous/ with the manifest last."""
    kind, value = target
    if kind == "rename":
        return strace_kill("rename,renameat,renameat2", rename_number(value, period_files))
    if kind == "link":
        return strace_kill("link,linkat", a_count + 1 if value == "last" else value)
    if kind == "unlink":
        return strace_kill("unlink,unlinkat", 1, os.path.join(out_folder, value))
    if kind == "cleanup":  # the run's first rmdir() is the older previous/'s (not empty yet); the second, a folder of it emptied
        return strace_kill("rmdir", 2)
    return ()


def kill_at(run, target, out_folder, timings, period_files, b_list):
    """Waits for the target moment and sends SIGKILL. Returns what was seen at that moment."""
    kind, value = target
    seen = {}
    if kind == "ingest":
        ok = wait_until(run, lambda: reading(run.proc.pid, value))
    elif kind == "ledger":
        ok = wait_until(run, lambda: "ingest.file" in run.stderr()) and \
            sleep_while_alive(run, timings["compute"] * value)
    elif kind == "render":
        ok = wait_until(run, lambda: os.path.isdir(out_folder) and len(temporaries(out_folder)) >= value)
    elif kind == "workbook":
        workbooks = []

        def nth_workbook_growing():
            for rel in temporaries(out_folder):
                if ".xlsx.tmp-" in rel and rel not in workbooks:
                    workbooks.append(rel)
            if len(workbooks) < value:
                return False
            try:
                return os.path.getsize(os.path.join(out_folder, workbooks[value - 1])) > 0
            except FileNotFoundError:
                return False
        ok = wait_until(run, nth_workbook_growing)
        if ok:
            seen["workbook"] = workbooks[value - 1]
    elif kind == "flush":
        ok = wait_until(run, lambda: any(r.startswith("rejects.csv.tmp-") for r in temporaries(out_folder)))
    elif run.traced:      # strace kills it on entering that call
        run.wait(timeout=600)
        ok = True
    elif kind == "cleanup":  # without strace: poll for the new manifest beside the older previous/
        ok = wait_until(run, lambda: manifest_outputs_or_none(os.path.join(out_folder, "manifest.json")) == b_list
                        and any(".old.tmp-" in rel for rel in temporaries(out_folder)))
    elif kind == "link" or (kind == "rename" and value in (1, 2)):  # without strace: poll for previous.tmp-<pid>/
        ok = wait_until(run, lambda: any(rel.startswith("previous.tmp-") for rel in temporaries(out_folder)))
    elif kind == "unlink":  # without strace: poll for the new manifest to be staged
        ok = wait_until(run, lambda: any(r.startswith("manifest.json.tmp-") for r in temporaries(out_folder)))
    else:  # rename without strace: poll for the inode under a final name to change, then kill
        number = rename_number(value, period_files) - PREVIOUS_RENAMES
        rel = period_files[min(number, len(period_files)) - 1]
        path = os.path.join(out_folder, rel)
        before = os.stat(path).st_ino

        def renamed():
            try:
                return os.stat(path).st_ino != before
            except FileNotFoundError:
                return False
        ok = wait_until(run, renamed)
        seen["watched"] = rel
    if run.alive():
        os.kill(run.proc.pid, signal.SIGKILL)
        if kind == "ingest":
            seen["reading"] = value
    run.proc.wait()
    seen["killed"] = ok and run.proc.returncode == -signal.SIGKILL
    return seen


def observe(run, seen, out_folder, a_files, b_files, a_list, b_list):
    """Which stage the run was in when it died, from what it left behind."""
    if not seen["killed"]:
        return "finished", ""
    temps = temporaries(out_folder)
    manifest = os.path.join(out_folder, "manifest.json")
    changing = [rel for rel in b_files if rel != "manifest.json" and not rel.startswith("previous/")
                and a_files.get(rel) != b_files[rel]]
    new = [rel for rel in changing if os.path.exists(os.path.join(out_folder, rel))
           and sha256(os.path.join(out_folder, rel)) == b_files[rel]]
    if not os.path.exists(manifest):
        return "commit", f"no manifest.json, {len(new)} of the {len(changing)} changed files renamed in"
    if manifest_outputs(manifest) == b_list:
        return "after commit", "new manifest in place" + (", older previous/ not yet deleted" if temps else "")
    aside = any(".old.tmp-" in r for r in temps)
    if any(name.startswith("previous.tmp-") for name in os.listdir(out_folder)):   # perhaps still empty
        return "keep previous", plural(len([r for r in temps if r.startswith("previous.tmp-")]), "file") + \
            " linked into previous.tmp-<pid>/" + (", A's previous/ moved aside" if aside else "")
    if aside:
        return "keep previous", "previous/ = A's run, A's older previous/ aside, the old manifest in place"
    if any(r.startswith("manifest.json.tmp-") for r in temps):
        return "commit", "manifest staged, old one still in place" + (
            ", previous/ = A's run" if manifest_outputs_or_none(os.path.join(out_folder, "previous", "manifest.json")) == a_list else "")
    if any(r.startswith("rejects.csv.tmp-") for r in temps):
        return "flush", plural(len(temps), "temporary file")
    if temps:
        half = ""
        for rel in temps:
            if ".xlsx.tmp-" in rel:
                try:
                    with zipfile.ZipFile(os.path.join(out_folder, rel)) as z:
                        z.testzip()
                except (zipfile.BadZipFile, OSError, EOFError):
                    half = f", {os.path.basename(TEMP.sub('', rel))} half-written"
        return "render", plural(len(temps), "temporary file") + half
    if "ingest.file" in run.stderr():
        return "ledger", "inputs read, no file staged yet"
    return "ingest", "reading " + seen["reading"] if seen.get("reading") else "reading the inputs"


def manifest_outputs_or_none(path):
    try:
        return manifest_outputs(path)
    except (OSError, ValueError, KeyError):
        return None


def check_run(folder, month, lists, name):
    """Violations of a run folder whose manifest.json is in place: it must be whole, list one of `lists`
    and exactly the files beside it (previous/ and temporaries aside), each with its sha256."""
    listed = manifest_outputs_or_none(os.path.join(folder, "manifest.json"))
    if listed is None:
        return [f"{name}manifest.json is not a whole manifest"], None
    violations = [] if listed in lists else [f"{name}manifest.json lists none of the expected runs' outputs"]
    for file, digest in listed:
        on_disk = os.path.join(folder, file[len(month) + 1:])
        if not os.path.exists(on_disk) or sha256(on_disk) != digest:
            violations.append(f"{name}manifest.json names {file} with a sha256 the file beside it does not have")
    beside = {rel for rel in files_under(folder) if not TEMP.search(rel) and not rel.startswith("previous/")} - {"manifest.json"}
    extra = sorted(beside - {file[len(month) + 1:] for file, _ in listed})
    if extra:
        violations.append(f"{name}manifest.json does not list files beside it: {extra[:3]}")
    return violations, listed


def check_folder(out_folder, month, a_files, b_files, a_list, b_list, b0_list):
    """Violations in an output folder after a kill: returns (violations, files checked, mixed?)."""
    violations = []
    checked = 0
    versions = set()
    top = None
    if os.path.exists(os.path.join(out_folder, "manifest.json")):
        found, top = check_run(out_folder, month, (a_list, b_list), "")
        violations += found
    previous = os.path.join(out_folder, "previous")
    kept = None
    if os.path.isdir(previous):
        if not os.path.exists(os.path.join(previous, "manifest.json")):
            violations.append("previous/ has no manifest.json: not a complete run")
        else:
            found, kept = check_run(previous, month, (b0_list, a_list), "previous/")
            violations += found
    if top != a_list and kept != a_list:
        violations.append("A's run is lost: neither the folder nor previous/ holds it complete")
    for rel in files_under(out_folder):
        if TEMP.search(rel):
            continue
        path = os.path.join(out_folder, rel)
        checked += 1
        if rel in ("manifest.json", "previous/manifest.json"):
            continue
        digest = sha256(path)
        if digest == a_files.get(rel) and digest == b_files.get(rel):
            continue
        if digest == a_files.get(rel):
            versions.add(("previous/ " if rel.startswith("previous/") else "") + "A")
        elif digest == b_files.get(rel):
            versions.add(("previous/ " if rel.startswith("previous/") else "") + "B")
        else:
            violations.append(f"{rel} is neither the previous nor the new version (mixed or truncated)")
    return violations, checked, {"A", "B"} <= versions


def main():
    parser = argparse.ArgumentParser()
    for name in ("--bin", "--templates", "--work", "--v1", "--v2", "--month"):
        parser.add_argument(name, required=True)
    parser.add_argument("--kills", type=int, default=24)
    args = parser.parse_args()
    work = args.work

    # Reference runs, each over a copy of the one before (B0 on an empty folder).
    refs = {name: os.path.join(work, f"ref-{name}") for name in ("b0", "a", "b", "c")}
    for ref in refs.values():
        shutil.rmtree(ref, ignore_errors=True)
    results = {}
    for name, inputs, over in (("b0", args.v2, None), ("a", args.v1, "b0"), ("b", args.v2, "a"), ("c", args.v2, "b")):
        if over:
            shutil.copytree(refs[over], refs[name])
        results[name] = complete_run(args, inputs, refs[name], os.path.join(work, f"ref-{name}.log"))
        if results[name][0] not in (0, 1):
            print(f"torture: the reference run {name} failed (exit {results[name][0]})\n{results[name][2][-2000:]}")
            return 1
    ref_a, (rc_a, sec_a, _), (rc_b, sec_b, _) = refs["a"], results["a"], results["b"]
    folders = {name: os.path.join(ref, args.month) for name, ref in refs.items()}
    a_files, b_files, c_files = snapshot(folders["a"]), snapshot(folders["b"]), snapshot(folders["c"])
    a_list, b_list, c_list, b0_list = (manifest_outputs(os.path.join(folders[n], "manifest.json")) for n in ("a", "b", "c", "b0"))
    b_folder = folders["b"]
    with open(os.path.join(b_folder, "manifest.json"), encoding="utf-8") as f:
        b_manifest = json.load(f)
    stages = {s["stage"]: s["seconds"] for s in b_manifest["stages"]}
    timings = {"ingest": stages.get("ingest", 1.0),
               "compute": sum(stages.get(s, 0) for s in ("ledger", "reconcile", "reports")),
               "render": stages.get("render", 1.0)}
    # The files in the order the run renames them: the manifest's order.
    period_files = [o["file"][len(args.month) + 1:] for o in b_manifest["outputs"]]
    top = [rel for rel in b_files if not rel.startswith("previous/")]
    changing = sum(1 for rel in top if rel != "manifest.json" and a_files.get(rel) != b_files[rel])
    print(f"torture: reference runs v1 {sec_a:.1f} s (exit {rc_a}), v2 {sec_b:.1f} s (exit {rc_b}); "
          f"{len(top) - 1} outputs + manifest.json (and as many in previous/), {changing} outputs differ between A and B")
    print("torture: v2 stages " + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items()))
    limit = max(2 * max(sec_a, sec_b), max(sec_a, sec_b) + 10)

    strace = shutil.which("strace") is not None and \
        subprocess.run(["strace", "-qq", "-o", os.devnull, "true"], stderr=subprocess.DEVNULL).returncode == 0
    if not strace:
        print("torture: no working strace (ptrace): the commit kills are placed by polling (some may land after the renames)")
    out = os.path.join(work, "run")
    folder = os.path.join(out, args.month)
    per_stage = {}
    violations_total = []
    files_checked = 0
    mixed_sets = 0
    half_written = 0
    recoveries = []
    print(f"{'#':>3}  {'target':<26} {'observed':<13} {'files':>5}  detail")
    for i, target in enumerate(schedule(args.kills), 1):
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(ref_a, out)
        prefix = strace_for(target, folder, period_files, len(a_list)) if strace else ()
        run = Run(args, args.v2, out, os.path.join(work, f"kill-{i}.log"), prefix)
        seen = kill_at(run, target, folder, timings, period_files, b_list)
        stage, detail = observe(run, seen, folder, a_files, b_files, a_list, b_list)
        per_stage[stage] = per_stage.get(stage, 0) + 1
        violations, checked, mixed = check_folder(folder, args.month, a_files, b_files, a_list, b_list, b0_list)
        # A killed run that had completed is itself replaced by the next run: C's files then.
        completed = manifest_outputs_or_none(os.path.join(folder, "manifest.json")) == b_list
        expected_files, expected_list = (c_files, c_list) if completed else (b_files, b_list)
        files_checked += checked
        half_written += "half-written" in detail
        if mixed:
            mixed_sets += 1
            detail += " (mixed set: some files new, some previous)"

        # The next run: not held up by the dead run's lock, sweeps its leftovers, writes v2's bytes.
        rc, seconds, err = complete_run(args, args.v2, out, os.path.join(work, f"recover-{i}.log"))
        recoveries.append(seconds)
        if rc not in (0, 1):
            violations.append(f"the next run exited {rc}: {err.strip().splitlines()[-1] if err.strip() else ''}")
        if seconds > limit:
            violations.append(f"the next run took {seconds:.1f} s (limit {limit:.1f} s)")
        left = temporaries(folder)
        if left:
            violations.append(f"the next run left temporary files: {left[:3]}")
        # The manifests hold the run's start time: compared by what they list.
        manifests = ("manifest.json", "previous/manifest.json")
        after = {rel: digest for rel, digest in snapshot(folder).items() if rel not in manifests}
        expected = {rel: digest for rel, digest in expected_files.items() if rel not in manifests}
        if after != expected:
            wrong = sorted(set(after.items()) ^ set(expected.items()))[:3]
            violations.append(f"after the next run the files are not v2's: {wrong}")
        if manifest_outputs(os.path.join(folder, "manifest.json")) != expected_list:
            violations.append("after the next run manifest.json does not list v2's outputs")
        if manifest_outputs_or_none(os.path.join(folder, "previous", "manifest.json")) != (b_list if completed else a_list):
            violations.append("after the next run previous/ is not the run it replaced")
        files_checked += len(after) + 1

        print(f"{i:>3}  {describe(target):<26} {stage:<13} {checked:>5}  {detail}"
              + (f"  [next run {rc}, {seconds:.1f} s]" if not violations else ""))
        for v in violations:
            print(f"       VIOLATION: {v}")
        violations_total += [f"kill {i}: {v}" for v in violations]

    print()
    print("torture: kills per stage: " + ", ".join(f"{k} {v}" for k, v in sorted(per_stage.items(), key=lambda kv: order(kv[0]))))
    print(f"torture: killed while a workbook was half-written: {half_written}")
    print(f"torture: mixed sets seen (killed between renames; no manifest.json in place): {mixed_sets}")
    print(f"torture: files checked: {files_checked}; next runs: {len(recoveries)}, "
          f"{min(recoveries):.1f}–{max(recoveries):.1f} s (reference {sec_b:.1f} s)")
    print(f"torture: violations: {len(violations_total)}")
    for v in violations_total:
        print("  " + v)
    return 1 if violations_total else 0


def plural(n, noun):
    return f"{n} {noun}" + ("" if n == 1 else "s")


def order(stage):
    names = ["ingest", "ledger", "render", "flush", "keep previous", "commit", "after commit", "finished"]
    return names.index(stage) if stage in names else len(names)


if __name__ == "__main__":
    sys.exit(main())
