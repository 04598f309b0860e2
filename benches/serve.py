#!/usr/bin/env python3
"""`boussole serve`'s benchmark: how long the pages take for a batch of returns.

Usage (from the repository root):

    python3 benches/serve.py [--files 20] [--runs 10] [--work DIR]
                             [--boussole EXE]

Without --boussole, builds it first (`cargo build --release`): the release
build is what is measured. Needs python3 with openpyxl (to fill the
questionnaires); the server is spoken to with urllib alone. Everything is
written under --work (default target/bench-serve); the returned files are
kept and reused by the next run while the questionnaire does not change.

What it does:

1. starts `boussole serve --port 0`, reads its address from the line it
   prints (`boussole: serving on http://127.0.0.1:PORT/ …`) and opens the
   link printed below it for the page's cookie; stops it at
   the end whatever happens (SIGINT, then SIGKILL);
2. as a buyer would in the browser: reads the form of GET /consultation
   (its pre-filled inputs, checked boxes, selected options, textarea),
   posts it as it is (the default tender) and downloads the tender's
   questionnaire.xlsx and its lock;
3. makes N returned files from that questionnaire, as vendors would, with
   the test helpers `tests/scripts/demo_vendors.py` (answers of four kinds
   of vendor: compliant, biometric identification, hosted outside the EU,
   half answered) and `tests/scripts/fill_xlsx.py` (openpyxl): the four
   kinds in turn, each file under its own vendor name;
4. measures the wall time of each request (median and max of --runs runs),
   body read included, every run on a new batch:
   - POST /analyse: the N files and the lock, multipart (the 303);
   - GET the results page, the first vendor's page and that of the vendor
     with most findings, the legal review form, the radar (PNG);
   - GET the reports, made at each download: rapport.xlsx,
     note-juridique.docx, comparaison.docx;
   - POST the legal review form as the browser sends it (every field), with
     one decision (the 303), then GET the results page again, the decision
     applied;
   and the server's peak resident memory at the end (VmHWM in
   /proc/PID/status), with every batch of the run still kept in memory;
5. prints a table of figures against the target (a page, the upload and a
   form answer in < 1 s; downloads have none) and writes them as JSON to
   WORK/results.json.

The machine's other load skews every figure: run it on an idle machine.
"""

import argparse
import concurrent.futures
import datetime
import hashlib
import html.parser
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import cargo_executable  # noqa: E402  (the same build step as bench.py)

REPO = Path(__file__).resolve().parent.parent
SCRIPTS = REPO / "tests" / "scripts"
KB = 1024
MB = 1024 * 1024

# Target (on a 2-core machine): "a page answers in well under a second for a
# batch of 20 returns".
TARGET_PAGE_S = 1.0

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The four kinds of vendor demo_vendors.py writes answers for.
KINDS = ["bon", "biometrie", "hors-ue", "incomplet"]
TOKEN = re.compile(r'name="jeton" value="([^"]*)"')


# --- the server ------------------------------------------------------------


class Server:
    """`boussole serve --port 0`, its output in WORK/server.out and .err."""

    def __init__(self, exe, work):
        self.out = work / "server.out"
        self.err = work / "server.err"
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            self.proc = subprocess.Popen(
                [exe, "serve", "--port", "0"], stdin=subprocess.DEVNULL, stdout=out, stderr=err
            )
        self.url, link = self._address()
        # The page answers only the browser that opened the printed link: its cookie.
        opened = request(link, "")
        cookie = (opened.headers.get("Set-Cookie") or "").split(";")[0]
        if opened.status != 303 or not cookie:
            self.stop()
            sys.exit("boussole serve's link gave no cookie (%d)" % opened.status)
        SESSION.append(cookie)

    def _address(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            printed = self.out.read_text(errors="replace")
            m = re.search(r"serving on (http://\S+?)/? ", printed)
            link = re.search(r"(http://\S+/entree\?cle=[0-9a-f]+)", printed)
            if m and link:
                return m.group(1), link.group(1)
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        sys.exit("boussole serve gave no address:\n%s%s" % (
            self.out.read_text(errors="replace"), self.err.read_text(errors="replace")[-2000:]))

    def memory(self):
        """VmHWM and VmRSS of the server, in bytes (None where /proc has none)."""
        found = {}
        try:
            for line in Path("/proc/%d/status" % self.proc.pid).read_text().splitlines():
                key, _, value = line.partition(":")
                if key in ("VmHWM", "VmRSS"):
                    found[key] = int(value.split()[0]) * KB
        except OSError:
            pass
        return found.get("VmHWM"), found.get("VmRSS")

    def stop(self):
        if self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A 303 is an answer to measure, not to follow."""

    def redirect_request(self, *args, **kwargs):
        return None


# The cookie the printed link gave (`name=value`), sent with every request.
SESSION = []

# No proxy: an http_proxy in the environment must not carry 127.0.0.1.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)


class Answer:
    def __init__(self, status, headers, body, seconds):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds

    def text(self):
        return self.body.decode("utf-8", errors="replace")


def request(base, path, data=None, content_type=None):
    """One request, timed from sending to the last byte of the body."""
    req = urllib.request.Request(base + path, data=data, method="POST" if data is not None else "GET")
    if content_type:
        req.add_header("Content-Type", content_type)
    for cookie in SESSION:
        req.add_header("Cookie", cookie)
    start = time.perf_counter()
    try:
        with OPENER.open(req, timeout=600) as r:
            body = r.read()
            status, headers = r.status, r.headers
    except urllib.error.HTTPError as e:
        body = e.read()
        status, headers = e.code, e.headers
    return Answer(status, headers, body, time.perf_counter() - start)


def expect(answer, status, what, magic=None):
    """Stops the benchmark when the server did not answer as a browser expects."""
    ok = answer.status == status and (magic is None or answer.body.startswith(magic))
    if not ok:
        sys.exit("%s: HTTP %d (expected %d)%s\n%s" % (
            what, answer.status, status, "" if magic is None else ", or not the expected file",
            answer.text()[:2000]))
    return answer


def token(page):
    m = TOKEN.search(page)
    if not m:
        sys.exit("no form token (jeton) in the page")
    return m.group(1)


class Forms(html.parser.HTMLParser):
    """The forms of a page, with what a browser would send for each: text
    and hidden inputs, checked boxes, the selected option of each select
    (the first when none is), textareas. File inputs are left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []  # (attrs, [(name, value)])
        self._select = None  # [name, chosen, first]
        self._textarea = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append((a, []))
        if not self.forms:
            return
        fields = self.forms[-1][1]
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.append((name, a.get("value") or "on"))
            elif kind not in ("file", "submit", "button", "reset", "image"):
                fields.append((name, a.get("value") or ""))
        elif tag == "select" and name:
            self._select = [name, None, None]
        elif tag == "option" and self._select:
            value = a.get("value") or ""
            if self._select[2] is None:
                self._select[2] = value
            if "selected" in a:
                self._select[1] = value
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            name, chosen, first = self._select
            self.forms[-1][1].append((name, chosen if chosen is not None else (first or "")))
            self._select = None
        elif tag == "textarea" and self._textarea:
            # The browser drops the newline right after <textarea>.
            name, text = self._textarea
            self.forms[-1][1].append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None


def form(page, action):
    """The fields of the form posted to `action` in `page`."""
    parser = Forms()
    parser.feed(page)
    for attrs, fields in parser.forms:
        if attrs.get("action") == action and (attrs.get("method") or "").lower() == "post":
            return fields
    sys.exit("no form posted to %s in the page" % action)


def multipart(fields, files):
    """A multipart/form-data body, by hand: (content type, bytes).
    `files`: (field, file name, content type, bytes)."""
    boundary = "----boussole-bench-" + uuid.uuid4().hex
    parts = []
    for name, value in fields:
        parts.append(
            ('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n' % (boundary, name)).encode()
            + value.encode("utf-8") + b"\r\n"
        )
    for name, filename, mime, data in files:
        parts.append(
            ('--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
             "Content-Type: %s\r\n\r\n" % (boundary, name, filename, mime)).encode("utf-8")
            + data + b"\r\n"
        )
    parts.append(("--%s--\r\n" % boundary).encode())
    return "multipart/form-data; boundary=" + boundary, b"".join(parts)


def location(answer, prefix, what):
    """The id in a 303's Location `PREFIX/ID`."""
    expect(answer, 303, what)
    where = answer.headers.get("Location", "")
    m = re.fullmatch(re.escape(prefix) + r"/([0-9a-f]+)", where)
    if not m:
        sys.exit("%s: redirected to %r, not %s/ID" % (what, where, prefix))
    return m.group(1)


# --- the tender and the returned files ---------------------------------------


def tender(base, work):
    """Posts the /consultation form as pre-filled; downloads the
    questionnaire and its lock. Their paths."""
    page = expect(request(base, "/consultation"), 200, "GET /consultation").text()
    fields = form(page, "/consultation")
    body = urllib.parse.urlencode(fields).encode()
    answer = request(base, "/consultation", body, "application/x-www-form-urlencoded")
    tid = location(answer, "/consultation", "POST /consultation")
    folder = work / "tender"
    folder.mkdir(exist_ok=True)
    paths = []
    for name, magic in [("questionnaire.xlsx", b"PK"), ("questionnaire.xlsx.boussole.lock", b"{")]:
        got = expect(request(base, "/consultation/%s/%s" % (tid, name)), 200, name, magic)
        (folder / name).write_bytes(got.body)
        paths.append(folder / name)
    return (*paths, len(fields))


def returned_files(questionnaire, lock, work, n):
    """N files filled as vendors would: cached under WORK/offres-DIGEST-nN
    while the questionnaire, its lock and the helpers are unchanged."""
    digest = hashlib.sha256()
    for p in [questionnaire, lock, SCRIPTS / "demo_vendors.py", SCRIPTS / "fill_xlsx.py"]:
        digest.update(p.read_bytes())
    folder = work / ("offres-%s-n%d" % (digest.hexdigest()[:12], n))
    names = ["offre-%02d-%s.xlsx" % (i + 1, KINDS[i % len(KINDS)]) for i in range(n)]
    if all((folder / f).exists() for f in names):
        return [folder / f for f in names], 0.0
    for old in work.glob("offres-*"):
        shutil.rmtree(old)
    start = time.perf_counter()
    answers = folder / "answers"
    answers.mkdir(parents=True)
    subprocess.run([sys.executable, SCRIPTS / "demo_vendors.py", lock, answers], check=True)
    kinds = {k: json.loads((answers / (k + ".json")).read_text(encoding="utf-8")) for k in KINDS}
    jobs = []
    for i, name in enumerate(names):
        spec = json.loads(json.dumps(kinds[KINDS[i % len(KINDS)]]))
        identity = spec["identity"]  # by label, as the identity sheet reads
        identity["Raison sociale"] = "%s %02d" % (identity["Raison sociale"], i + 1)
        spec_path = answers / (name[:-5] + ".json")
        spec_path.write_text(json.dumps(spec, ensure_ascii=False, indent=1), encoding="utf-8")
        jobs.append([sys.executable, SCRIPTS / "fill_xlsx.py", questionnaire, folder / name, spec_path])
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        for done in pool.map(lambda cmd: subprocess.run(cmd, capture_output=True), jobs):
            if done.returncode != 0:
                shutil.rmtree(folder)
                sys.exit("fill_xlsx.py failed:\n" + done.stderr.decode(errors="replace"))
    return [folder / f for f in names], time.perf_counter() - start


# --- the measures -----------------------------------------------------------

# (key, label, kind): kind "page" and "form" have the target, "download" none.
MEASURES = [
    ("upload", "POST /analyse, {n} files + lock ({size}) → 303", "form"),
    ("results", "GET /analyse/ID, results page ({size})", "page"),
    ("vendor", "GET /analyse/ID/offre/1, one vendor's page ({size})", "page"),
    ("vendor_most", "GET /analyse/ID/offre/{most}, the vendor with most findings ({size})", "page"),
    ("review_form", "GET /analyse/ID/revue, legal review form ({size})", "page"),
    ("radar", "GET /analyse/ID/radar.png ({size})", "page"),
    ("rapport.xlsx", "download rapport.xlsx ({size})", "download"),
    ("note-juridique.docx", "download note-juridique.docx ({size})", "download"),
    ("comparaison.docx", "download comparaison.docx ({size})", "download"),
    ("review_post", "POST /analyse/ID/revue, one decision ({fields} fields) → 303", "form"),
    ("results_decided", "GET /analyse/ID again, the decision applied ({size})", "page"),
]


def one_run(base, files, lock_bytes, summary, check):
    """Every measure once, on a new batch: {key: Answer}. On the first run,
    `check` reads the batch's JSON report into `summary`, and the report is
    read again after the decision to see it applied (untimed; the server
    caches nothing, so they warm nothing for the requests timed after them)."""
    got = {}
    page = request(base, "/analyse").text()
    content_type, body = multipart(
        [("jeton", token(page))],
        [("reponses", f.name, XLSX, f.read_bytes()) for f in files]
        + [("verrou", "questionnaire.xlsx.boussole.lock", "application/json", lock_bytes)],
    )
    got["upload"] = request(base, "/analyse", body, content_type)
    got["upload"].sent = len(body)
    bid = location(got["upload"], "/analyse", "POST /analyse")
    a = "/analyse/" + bid
    if check is not None:
        check(base, a)
    got["results"] = expect(request(base, a), 200, "results page")
    got["vendor"] = expect(request(base, a + "/offre/1"), 200, "vendor page")
    most = "/offre/%d" % summary["most_findings"]
    got["vendor_most"] = expect(request(base, a + most), 200, "vendor page")
    got["review_form"] = expect(request(base, a + "/revue"), 200, "legal review form")
    got["radar"] = expect(request(base, a + "/radar.png"), 200, "radar", b"\x89PNG")
    for name in ["rapport.xlsx", "note-juridique.docx", "comparaison.docx"]:
        got[name] = expect(request(base, a + "/fichiers/" + name), 200, name, b"PK")
    # The form as the browser sends it: every select and comment, one decided.
    fields = form(got["review_form"].text(), a + "/revue")
    first = next((name for name, _ in fields if name.startswith("d-")), None)
    if first is None:
        sys.exit("the legal review form has no finding to decide on")
    chosen = {
        "relecteur": "Banc d'essai",
        first: "lifted",
        "c-" + first[2:]: "Constat levé pour le banc d'essai",
    }
    fields = [(name, chosen.get(name, value)) for name, value in fields]
    body = urllib.parse.urlencode(fields).encode()
    got["review_post"] = request(base, a + "/revue", body, "application/x-www-form-urlencoded")
    got["review_post"].fields = len(fields)
    location(got["review_post"], "/analyse", "POST /analyse/ID/revue")
    got["results_decided"] = expect(request(base, a), 200, "results page after the decision")
    if check is not None:
        report = json.loads(request(base, a + "/fichiers/rapport.json").body)
        if (report.get("decisions") or {}).get("applied") != 1:
            sys.exit("the decision posted is not applied to the report: %s" % report.get("decisions"))
    return got


def check_batch(n, summary):
    """Checks, once, that the server read every file: the JSON report."""

    def check(base, a):
        report = expect(request(base, a + "/fichiers/rapport.json"), 200, "rapport.json").body
        results = json.loads(report)["results"]
        statuses = [r["status"] for r in results]
        if statuses.count("ok") != n:
            sys.exit("only %d files of %d read: %s" % (statuses.count("ok"), n, statuses))
        summary["verdicts"] = {}
        for r in results:
            v = r.get("verdict") or "none"
            summary["verdicts"][v] = summary["verdicts"].get(v, 0) + 1
        summary["vendors"] = len({r["vendor"]["name"] for r in results})
        if summary["vendors"] != n:
            sys.exit("%d vendor names for %d files: the files should differ" % (summary["vendors"], n))
        summary["findings"] = sum(len(r["findings"]) for r in results)
        counts = [len(r["findings"]) for r in results]
        summary["most_findings"] = counts.index(max(counts)) + 1

    return check


def commit():
    """The commit measured, `+dirty` when the working tree differs from it."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                               capture_output=True, text=True).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def size(n_bytes):
    return "%.0f KB" % (n_bytes / KB) if n_bytes < MB else "%.1f MB" % (n_bytes / MB)


def main():
    p = argparse.ArgumentParser(description="boussole serve's benchmark (see the module docstring)")
    p.add_argument("--files", type=int, default=20,
                   help="returned files in the batch (at most 39: the page takes 40 files, the lock included)")
    p.add_argument("--runs", type=int, default=10, help="runs of every request")
    p.add_argument("--work", type=Path, default=REPO / "target" / "bench-serve")
    p.add_argument("--boussole", help="the boussole executable (default: build it)")
    a = p.parse_args()
    if a.files < 1 or a.runs < 1:
        p.error("--files and --runs must be at least 1")

    cores = os.cpu_count() or 1
    work = a.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    exe = a.boussole or cargo_executable(["build", "--release"], "bin", "boussole")
    results = {
        "date": datetime.date.today().isoformat(),
        "machine": "%s, %d cores, Python %s" % (platform.machine(), cores, platform.python_version()),
        "boussole": exe,
        "commit": commit(),
        "files": a.files,
        "runs": a.runs,
        "target_s": TARGET_PAGE_S,
    }

    server = Server(exe, work)
    try:
        base = server.url
        results["started_rss_mb"] = (server.memory()[1] or 0) / MB
        questionnaire, lock, profile_fields = tender(base, work)
        results["profile_fields_posted"] = profile_fields
        results["questions"] = len(json.loads(lock.read_text(encoding="utf-8"))["questions"])
        print("making %d returned files in %s…" % (a.files, work), file=sys.stderr)
        files, made = returned_files(questionnaire, lock, work, a.files)
        results["generation_of_files_s"] = round(made, 2)
        results["upload_mb"] = sum(f.stat().st_size for f in files) / MB
        lock_bytes = lock.read_bytes()
        samples = {key: [] for key, _, _ in MEASURES}
        sizes = {}
        summary = {}
        for run in range(a.runs):
            print("run %d/%d…" % (run + 1, a.runs), file=sys.stderr)
            check = check_batch(a.files, summary) if run == 0 else None
            got = one_run(base, files, lock_bytes, summary, check)
            for key, answer in got.items():
                samples[key].append(answer.seconds)
                sizes[key] = len(answer.body)
            sizes["upload"] = got["upload"].sent
            sizes["review_fields"] = got["review_post"].fields
        hwm, rss = server.memory()
    finally:
        server.stop()

    results["batch"] = summary
    results["peak_rss_mb"] = hwm / MB if hwm else None
    results["rss_at_end_mb"] = rss / MB if rss else None
    results["batches_kept_at_end"] = min(a.runs, 20)
    results["measures"] = {
        key: {
            "label": label.format(n=a.files, size=size(sizes.get(key, 0)),
                                  fields=sizes.get("review_fields", 0),
                                  most=summary.get("most_findings")),
            "kind": kind,
            "median_s": statistics.median(samples[key]),
            "max_s": max(samples[key]),
            "samples_s": samples[key],
            "bytes": sizes.get(key),
            "met": None if kind == "download" else max(samples[key]) < TARGET_PAGE_S,
        }
        for key, label, kind in MEASURES
    }
    (work / "results.json").write_text(json.dumps(results, indent=2, default=str))
    print_table(results, work / "results.json")


def verdict(ok):
    return "met" if ok else "**missed**"


def ms(seconds):
    return "%.1f ms" % (seconds * 1000) if seconds < 0.01 else "%.0f ms" % (seconds * 1000)


def print_table(r, path):
    b = r["batch"]
    print("## boussole serve, %s (%s)\n" % (r["date"], r["machine"]))
    print("Tender: the default profile posted from /consultation, %d questions. Batch: %d returned "
          "files (%.1f MB; %s), %d findings. %d runs of each request; wall time, body read.\n" % (
              r["questions"], r["files"], r["upload_mb"],
              ", ".join("%d %s" % (c, v) for v, c in sorted(b.get("verdicts", {}).items())),
              b.get("findings", 0), r["runs"]))
    print("| measure | median | max | target | |")
    print("|---|---:|---:|---|---|")
    for m in r["measures"].values():
        target = "" if m["kind"] == "download" else "< %g s" % r["target_s"]
        met = "" if m["met"] is None else verdict(m["met"])
        print("| %s | %s | %s | %s | %s |" % (m["label"], ms(m["median_s"]), ms(m["max_s"]), target, met))
    if r["peak_rss_mb"] is not None:
        print("| server's peak RSS (VmHWM), %d batches kept | %.1f MB | | | |" % (
            r["batches_kept_at_end"], r["peak_rss_mb"]))
    print("\nThe target applies to the slowest run (max). Written: %s" % path)


if __name__ == "__main__":
    main()
