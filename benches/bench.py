#!/usr/bin/env python3
"""boussole's benchmarks: one run, every figure side by side, ratios printed.

Usage (from the repository root):

    python3 benches/bench.py [--files 1000] [--runs 30] [--work DIR]
                             [--boussole EXE] [--floor EXE] [--no-openpyxl]
                             [--memory-files 10000]

Without --boussole / --floor, builds them first (`cargo build --release`,
`cargo bench --bench floor --no-run`): the release build is what is measured.
Needs python3 with openpyxl. Everything is written under --work (default
target/bench); generated files are kept and reused by the next run.

What it does:

1. writes a tender profile that selects the largest vendor questionnaire the
   embedded library yields (the default profile with health data,
   individual decisions, a high-risk system, hybrid deployment), and has
   boussole generate its questionnaire (XLSX) and lock;
2. fills N copies with `gen_responses.py` (openpyxl, seeded: varied answers
   in French formats, comments, identity) — the same files at every run;
3. measures, each command as a whole process (wall time, CPU time, peak
   resident memory from wait4):
   - generating the questionnaire (XLSX, DOCX), the annex (DOCX), and the
     demo when the command exists (skipped with a note otherwise);
   - `boussole check` on one file (median of --runs runs) alone in its
     folder, beside `boussole --version` (the cost of starting the program
     at all), and the same file among all the generated returns (their
     folder listed to find its evidence files);
   - `boussole check` on batches of 10, 100 and N files (a folder, all
     cores, text report to standard output and JSON report to a file);
   - peak memory against the batch's size: `check` on 100, 1,000 and
     --memory-files files (default 10,000, generated once like the others
     and reused; 0 skips it), text and JSON report, one run each, with the
     load average before each run;
   - the usual alternative: openpyxl loading each workbook and walking every
     cell (`openpyxl_walk.py`), in one process as usually written, and on
     as many processes as cores;
   - the floor: inflating every part of the same files in one process, on
     as many threads as cores (`floor.rs`), and the same plus one XML parse
     of every part (`floor.rs --xml`);
4. prints a table of figures against their targets, and the ratios; writes
   them as JSON to WORK/results.json.

The machine's other load skews every figure: run it on an idle machine, and
read the CPU-time column (less sensitive to it) beside the wall times.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCHES = REPO / "benches"
MB = 1024 * 1024
# GNU time, for the peak memory of each run (`-f %M`: KiB).
TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None

# Targets (on a 2-core machine): see benches/README.md.
TARGET_ONE_FILE_MS = 10
TARGET_ONE_FILE_VS_VERSION = 4
TARGET_BATCH_S = 2
TARGET_PEAK_MB = 100
TARGET_GROWTH_MB = 20
TARGET_GENERATION_MS = 50
TARGET_DEMO_S = 2
TARGET_VS_OPENPYXL = 30
# against the floor that inflates and parses every part (`floor.rs --xml`)
TARGET_VS_FLOOR = 2


class Sample:
    """One whole-process run: wall and CPU seconds, peak RSS in bytes, exit status."""

    def __init__(self, wall, cpu, peak, code):
        self.wall, self.cpu, self.peak, self.code = wall, cpu, peak, code


def run(cmd, cwd=None, stdout=subprocess.DEVNULL, ok=(0,)):
    """Runs `cmd` as a child process and measures it with wait4."""
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as rss:
        # ru_maxrss of a child forked from this Python process keeps the
        # fork's high-water mark across exec: GNU time (small) measures it.
        timed = [TIME, "-f", "%M", "-o", rss.name, *cmd] if TIME else cmd
        start = time.perf_counter()
        p = subprocess.Popen(timed, cwd=cwd, stdout=stdout, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        p.returncode = code
        if code not in ok:
            err.seek(0)
            why = err.read().decode(errors="replace")[-2000:]
            sys.exit("%s exited with %d:\n%s" % (" ".join(map(str, cmd)), code, why))
        peak = int(rss.read().split()[-1]) * 1024 if TIME else float("nan")
    return Sample(wall, usage.ru_utime + usage.ru_stime, peak, code)


def repeat(n, cmd, **kw):
    """`n` runs of `cmd`: the samples."""
    return [run(cmd, **kw) for _ in range(n)]


def median(samples, key):
    return statistics.median(getattr(s, key) for s in samples)


def cargo_executable(args, kind, name):
    """Builds with `cargo ARGS --message-format=json` and returns the path of
    the artifact `name` of target kind `kind`."""
    out = subprocess.run(
        ["cargo", *args, "--message-format=json"],
        cwd=REPO,
        check=True,
        stdout=subprocess.PIPE,
    ).stdout.decode()
    for line in out.splitlines():
        msg = json.loads(line)
        target = msg.get("target", {})
        if msg.get("executable") and target.get("name") == name and kind in target.get("kind", []):
            return msg["executable"]
    sys.exit("cargo built no %s %s" % (kind, name))


def write_profile(work):
    """The largest vendor questionnaire: the default profile, with every
    switch that adds questions turned on."""
    text = (REPO / "templates" / "profil.toml").read_text(encoding="utf-8")
    for old, new in [
        ("health_data = false", "health_data = true"),
        ("individual_decisions = false", "individual_decisions = true"),
        ('ai_act_risk = "limited"', 'ai_act_risk = "high"'),
        ('deployment = "saas"', 'deployment = "hybrid"'),
    ]:
        text = text.replace(old, new)
    path = work / "profil.toml"
    path.write_text(text, encoding="utf-8")
    return path


def link_batch(files, folder):
    """A folder holding (hard links to) `files`."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for f in files:
        os.link(f, folder / f.name)
    return folder


def has_command(exe, name):
    return subprocess.run([exe, name, "--help"], capture_output=True).returncode == 0


def main():
    p = argparse.ArgumentParser(description="boussole's benchmarks (see the module docstring)")
    p.add_argument("--files", type=int, default=1000, help="size of the largest batch")
    p.add_argument("--runs", type=int, default=30, help="runs of each short command")
    p.add_argument("--batch-runs", type=int, default=3, help="runs of each batch")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--work", type=Path, default=REPO / "target" / "bench")
    p.add_argument("--boussole", help="the boussole executable (default: build it)")
    p.add_argument("--floor", help="the floor executable (default: build it)")
    p.add_argument("--no-openpyxl", action="store_true", help="skip the openpyxl walk")
    p.add_argument("--memory-files", type=int, default=10000,
                   help="largest batch of the peak-memory series (100, 1,000 and this; 0: skip it)")
    a = p.parse_args()

    cores = os.cpu_count() or 1
    work = a.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    exe = a.boussole or cargo_executable(["build", "--release"], "bin", "boussole")
    floor = a.floor or cargo_executable(["bench", "--bench", "floor", "--no-run"], "bench", "floor")
    results = {
        "date": datetime.date.today().isoformat(),
        "machine": "%s, %d cores, %s" % (platform.machine(), cores, platform.python_version()),
        "boussole": exe,
        "files": a.files,
    }

    # 1. The questionnaire and its lock.
    profile = write_profile(work)
    tender = work / "tender"
    tender.mkdir(exist_ok=True)
    run([exe, "questionnaire", "-p", profile, "-o", "questionnaire.xlsx", "--force"], cwd=tender)
    questionnaire = tender / "questionnaire.xlsx"
    lock = tender / "questionnaire.xlsx.boussole.lock"
    questions = len(json.loads(lock.read_text(encoding="utf-8"))["questions"])
    results["questions"] = questions

    # 2. The returned files: reused while the questionnaire is unchanged.
    digest = hashlib.sha256(questionnaire.read_bytes()).hexdigest()[:12]
    offers = work / ("offres-%s-s%d" % (digest, a.seed))
    wanted = max(a.files, a.memory_files)
    print("generating %d returned files in %s…" % (wanted, offers), file=sys.stderr)
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, BENCHES / "gen_responses.py", questionnaire, lock, offers, str(wanted),
         "--seed", str(a.seed)],
        check=True,
    )
    results["generation_of_files_s"] = round(time.perf_counter() - t, 2)
    every = sorted(offers.glob("offre-*.xlsx"))
    files = every[: a.files]
    sizes = sorted({10, 100, a.files} - {0})
    batches = {n: link_batch(files[:n], work / ("batch-%d" % n)) for n in sizes if n <= len(files)}
    one = files[0]
    results["file_size_kb"] = round(one.stat().st_size / 1024, 1)

    # 3a. Generation.
    gen = {}
    out = work / "generated"
    out.mkdir(exist_ok=True)
    commands = {
        "questionnaire (XLSX)": [exe, "questionnaire", "-p", profile, "-o", "q.xlsx", "--force"],
        "questionnaire (DOCX)": [exe, "questionnaire", "-p", profile, "-o", "q.docx", "--force"],
        "annex (DOCX)": [exe, "annex", "-p", profile, "-o", "annexe.docx", "--force"],
    }
    if has_command(exe, "demo"):
        commands["demo"] = [exe, "demo", "demo", "--force"]
    else:
        results["demo"] = "skipped: this boussole has no `demo` command"
    for name, cmd in commands.items():
        s = repeat(a.runs, cmd, cwd=out)
        gen[name] = {"ms": median(s, "wall") * 1000, "cpu_ms": median(s, "cpu") * 1000,
                     "peak_mb": max(x.peak for x in s) / MB}
    results["generation"] = gen

    # 3b. One file, whole process, beside the program doing nothing.
    s = repeat(a.runs, [exe, "--version"])
    results["version"] = {"ms": median(s, "wall") * 1000, "cpu_ms": median(s, "cpu") * 1000}
    # The file alone in its folder, as a vendor's folder holds it; then the
    # same file among all the generated returns, whose folder `check` lists
    # to find the file's evidence (a folder of 10,000 with --memory-files).
    check = [exe, "check", "--lock", lock]
    alone = link_batch([one], work / "one") / one.name
    for key, path in (("one_file", alone), ("one_file_among", one)):
        s = repeat(a.runs, check + [path], ok=(0, 1))
        results[key] = {
            "ms": median(s, "wall") * 1000,
            "min_ms": min(x.wall for x in s) * 1000,
            "cpu_ms": median(s, "cpu") * 1000,
            "peak_mb": max(x.peak for x in s) / MB,
        }
    results["one_file_among"]["files"] = len(every)

    # 3c. Batches: text to stdout, JSON to a file; every file must be read.
    batch = {}
    for n, folder in batches.items():
        text = repeat(a.batch_runs, check + [folder], ok=(0, 1))
        report = work / ("report-%d.json" % n)
        js = repeat(a.batch_runs, check + ["--format", "json", "-o", report, "--force", folder],
                    ok=(0, 1))
        statuses = [r["status"] for r in json.loads(report.read_text())["results"]]
        if statuses.count("ok") != n:
            sys.exit("batch %d: only %d files of %d read" % (n, statuses.count("ok"), n))
        batch[n] = {
            "text_s": median(text, "wall"), "text_cpu_s": median(text, "cpu"),
            "text_peak_mb": max(x.peak for x in text) / MB,
            "json_s": median(js, "wall"), "json_cpu_s": median(js, "cpu"),
            "json_peak_mb": max(x.peak for x in js) / MB,
            "json_report_mb": report.stat().st_size / MB,
        }
    results["batches"] = batch
    big = batches[max(batches)]

    # 3d. The floor, same files, same cores.
    fl, xml = [], []
    for _ in range(a.batch_runs):
        fl.append(json.loads(subprocess.run([floor, big], check=True, capture_output=True).stdout))
        xml.append(
            json.loads(subprocess.run([floor, "--xml", big], check=True, capture_output=True).stdout)
        )
    results["floor"] = {
        "s": statistics.median(f["seconds"] for f in fl),
        "xml_s": statistics.median(f["seconds"] for f in xml),
        "inflated_mb": fl[0]["bytes"] / MB,
        "parts": fl[0]["parts"],
    }

    # 3e. The usual alternative.
    if not a.no_openpyxl:
        walk = [sys.executable, BENCHES / "openpyxl_walk.py"]
        s = repeat(max(3, a.runs // 5), walk + [one])
        seq = json.loads(subprocess.run(walk + [big], check=True, capture_output=True).stdout)
        par = json.loads(
            subprocess.run(walk + ["--jobs", str(cores), big], check=True, capture_output=True).stdout
        )
        results["openpyxl"] = {
            "one_file_ms": median(s, "wall") * 1000,
            "batch_1_process_s": seq["seconds"],
            "batch_%d_processes_s" % cores: par["seconds"],
            "cells_per_file": seq["cells"] // max(1, seq["files"]),
        }

    # 3f. Peak memory against the batch's size, one run each.
    if a.memory_files:
        results["memory"] = memory(exe, lock, work, every, a.memory_files)

    (work / "results.json").write_text(json.dumps(results, indent=2, default=str))
    print_table(results, cores)


def memory(exe, lock, work, every, largest):
    """Peak RSS of `check` on 100, 1,000 and `largest` files (text report to
    standard output, JSON report to a file), one run each; the load average
    before each run, since other builds share the machine."""
    out = {}
    for n in sorted({100, 1000, largest}):
        if n > len(every):
            continue
        folder = link_batch(every[:n], work / ("batch-%d" % n))
        check = [exe, "check", "--lock", lock]
        load = os.getloadavg()[0]
        text = run(check + [folder], ok=(0, 1))
        report = work / ("report-%d.json" % n)
        js = run(check + ["--format", "json", "-o", report, "--force", folder], ok=(0, 1))
        out[n] = {
            "load": round(load, 1),
            "text_s": text.wall, "text_cpu_s": text.cpu, "text_peak_mb": text.peak / MB,
            "json_s": js.wall, "json_cpu_s": js.cpu, "json_peak_mb": js.peak / MB,
            "json_report_mb": report.stat().st_size / MB,
        }
        if n > 1000:
            report.unlink()  # hundreds of MB
    return out


def verdict(ok):
    return "met" if ok else "**missed**"


def print_table(r, cores):
    n = r["files"]
    b = r["batches"][n]
    one = r["one_file"]
    print("## boussole benchmarks, %s (%s)\n" % (r["date"], r["machine"]))
    print("Questionnaire: %d questions; returned file: %.1f KB (XLSX filled by openpyxl).\n"
          % (r["questions"], r["file_size_kb"]))
    print("| measure | figure | CPU | peak RSS | target | |")
    print("|---|---:|---:|---:|---|---|")
    for name, g in r["generation"].items():
        if name == "demo":
            print("| generate the demo | %.1f ms | %.1f ms | %.1f MB | < %d s | %s |" % (
                g["ms"], g["cpu_ms"], g["peak_mb"], TARGET_DEMO_S,
                verdict(g["ms"] < TARGET_DEMO_S * 1000)))
            continue
        print("| generate the %s | %.1f ms | %.1f ms | %.1f MB | < %d ms | %s |" % (
            name, g["ms"], g["cpu_ms"], g["peak_mb"], TARGET_GENERATION_MS,
            verdict(g["ms"] < TARGET_GENERATION_MS)))
    if "demo" in r:
        print("| generate the demo | — | | | < %d s | %s |" % (TARGET_DEMO_S, r["demo"]))
    if "version" in r:
        v = r["version"]
        print("| `boussole --version` (whole process, median) | %.1f ms | %.1f ms | | | |" % (
            v["ms"], v["cpu_ms"]))
    print("| check one file alone in its folder (whole process, median) | %.1f ms | %.1f ms | %.1f MB | < %d ms | %s |" % (
        one["ms"], one["cpu_ms"], one["peak_mb"], TARGET_ONE_FILE_MS,
        verdict(one["ms"] < TARGET_ONE_FILE_MS)))
    if "one_file_among" in r:
        among = r["one_file_among"]
        print("| the same file in the folder of %d returns (listed for its evidence) | %.1f ms | %.1f ms | %.1f MB | | |" % (
            among["files"], among["ms"], among["cpu_ms"], among["peak_mb"]))
    for size, x in sorted(r["batches"].items()):
        target = "< %d s" % TARGET_BATCH_S if size == n else ""
        met = verdict(x["text_s"] < TARGET_BATCH_S) if size == n else ""
        print("| check %d files, text report (%d cores) | %.2f s | %.2f s | %.1f MB | %s | %s |" % (
            size, cores, x["text_s"], x["text_cpu_s"], x["text_peak_mb"], target, met))
        print("| check %d files, JSON report to a file (%.1f MB) | %.2f s | %.2f s | %.1f MB | < %d MB | %s |" % (
            size, x["json_report_mb"], x["json_s"], x["json_cpu_s"], x["json_peak_mb"],
            TARGET_PEAK_MB, verdict(max(x["json_peak_mb"], x["text_peak_mb"]) < TARGET_PEAK_MB)))
    f = r["floor"]
    print("| floor: inflate every part of %d files (%d threads, %.0f MB) | %.3f s | | | | |" % (
        n, cores, f["inflated_mb"], f["s"]))
    print("| floor + one XML parse of every part (quick-xml) | %.3f s | | | | |" % f["xml_s"])
    if "openpyxl" in r:
        o = r["openpyxl"]
        print("| openpyxl walk, one file (whole process) | %.0f ms | | | | |" % o["one_file_ms"])
        print("| openpyxl walk, %d files, 1 process | %.1f s | | | | |" % (n, o["batch_1_process_s"]))
        print("| openpyxl walk, %d files, %d processes | %.1f s | | | | |" % (
            n, cores, o["batch_%d_processes_s" % cores]))
    if r.get("memory"):
        m = r["memory"]
        base = m.get(100) or m[min(m)]
        print("\nPeak memory against the batch's size (one run each; target: the largest batch"
              " at most 20 MB above 100 files):\n")
        print("| files | load | text: wall | CPU | peak RSS | JSON: wall | CPU | peak RSS | JSON report |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for size, x in sorted(m.items()):
            print("| %d | %.1f | %.2f s | %.2f s | %.1f MB | %.2f s | %.2f s | %.1f MB | %.1f MB |" % (
                size, x["load"], x["text_s"], x["text_cpu_s"], x["text_peak_mb"], x["json_s"],
                x["json_cpu_s"], x["json_peak_mb"], x["json_report_mb"]))
        top = m[max(m)]
        grows = max(top["text_peak_mb"] - base["text_peak_mb"], top["json_peak_mb"] - base["json_peak_mb"])
        print("\nGrowth from 100 to %d files: %.1f MB (%s)" % (
            max(m), grows, verdict(grows <= TARGET_GROWTH_MB)))
    print("\nRatios (batch of %d files, text report):\n" % n)
    if "openpyxl" in r:
        o = r["openpyxl"]
        seq = o["batch_1_process_s"] / b["text_s"]
        par = o["batch_%d_processes_s" % cores] / b["text_s"]
        print("- openpyxl walk (1 process) / boussole check: %.1f× (target ≥ %d×: %s)" % (
            seq, TARGET_VS_OPENPYXL, verdict(seq >= TARGET_VS_OPENPYXL)))
        print("- openpyxl walk (%d processes) / boussole check: %.1f× (for reference: the target"
              " is against one process, as the walk is usually written)" % (cores, par))
        print("- openpyxl walk / boussole check, one file as a whole process: %.1f×" % (
            o["one_file_ms"] / one["ms"]))
    print("- boussole check / floor (inflating only): %.1f×" % (b["text_s"] / f["s"]))
    fr = b["text_s"] / f["xml_s"]
    print("- boussole check / (floor + one XML parse): %.1f× (target ≤ %d×: %s)" % (
        fr, TARGET_VS_FLOOR, verdict(fr <= TARGET_VS_FLOOR)))
    if "version" in r:
        vr = one["ms"] / r["version"]["ms"]
        print("- check one file / `boussole --version`, whole processes: %.1f× (target ≤ %d×: %s)" % (
            vr, TARGET_ONE_FILE_VS_VERSION, verdict(vr <= TARGET_ONE_FILE_VS_VERSION)))
    print("- (floor + one XML parse) / floor: %.1f×" % (f["xml_s"] / f["s"]))
    print("- CPU per file in the batch: %.2f ms (floor: %.2f ms with its %d threads)" % (
        b["text_cpu_s"] * 1000 / n, f["s"] * cores * 1000 / n, cores))


if __name__ == "__main__":
    main()
