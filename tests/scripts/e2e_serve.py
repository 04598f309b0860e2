#!/usr/bin/env python3
"""Drive `boussole serve` in a real browser, as a buyer and legal staff would.

Usage: e2e_serve.py BOUSSOLE_BINARY WORKDIR SCREENSHOT.png

Standard library only: it speaks the W3C WebDriver protocol over HTTP to
/usr/bin/chromedriver, which drives /usr/bin/chromium headless. The journey,
through the pages' own links, fields and buttons:

0. a request without the printed link is refused (403, a page saying to use
   it); the browser opens the link and lands on the home page, key gone;
1. /consultation: a recognisable tender title, "Préparer les documents";
2. the tender page: download questionnaire.xlsx and its lock;
3. three vendors fill the questionnaire (demo_vendors.py, fill_xlsx.py):
   bon (compliant), biometrie (non-compliant), incomplet (incomplete);
4. "Analyser les réponses à cette consultation": the three files sent at
   once; the results table names each vendor with its verdict;
5. a full-height screenshot of the results page to SCREENSHOT.png, with the
   library's hash in a PNG text chunk, as every file of examples/ names it;
6. "Décider des constats": a reviewer, one finding accepted, "Enregistrer
   les décisions"; the results page says decisions were applied;
7. the legal memo downloaded: a DOCX naming the vendors and the reviewer;
8. « Dossiers »: a dossier created; the tender's questionnaire kept in it;
9. the three files dropped for the dossier, one finding confirmed on its
   analysis by the reviewer;
10. boussole stopped and started again on the same data folder: through the
   new link, the dossier lists the three answers as received and the
   decision in its timeline, its analysis the same three verdicts, its
   review the decision;
11. the dossiers' pages reflow at 320 px and are reached by the keyboard;
12. a team's server (`serve --listen`) on another data folder, an account
   made with `boussole user add`: the page asks to log in, a wrong
   password is refused in an alert, the right one opens the home page;
13. a dossier created by that account, which is its buyer;
14. the server restarted on the same port and folder: the session goes on,
   the dossier is there; logging out ends it.

Prints one line per step; exits 1 with the reason on the first failure.
WORKDIR keeps the downloads, the returned files and the logs of boussole
and chromedriver. boussole, chromedriver and chromium are always stopped.
"""

import base64
import json
import os
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zipfile
import zlib

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
HERE = os.path.dirname(os.path.abspath(__file__))
# The key of an element reference in WebDriver answers.
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
# Seconds: one HTTP call to chromedriver, waiting for a page or a download.
HTTP_TIMEOUT = 60
WAIT = 30
# The whole journey, after which it gives up (and still stops everything).
DEADLINE = 100

TITLE = "Assistant IA de test de bout en bout"
DOSSIER = "ia-bout-en-bout"
REVIEWER = "Dominique Relectrice"
# Vendor answer file (demo_vendors.py) -> the verdict the results table must show.
VENDORS = {"bon": "conforme", "biometrie": "non conforme", "incomplet": "incomplète"}

STARTED = time.monotonic()


class Failure(Exception):
    """A step that did not go as a user would expect."""


def step(n, what):
    print(f"[{time.monotonic() - STARTED:5.1f}s] step {n}: {what}", flush=True)


def wait_for(what, probe, timeout=WAIT, every=0.2):
    """probe() until it returns something truthy; Failure after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        got = probe()
        if got:
            return got
        if time.monotonic() > deadline:
            raise Failure(f"timed out after {timeout}s waiting for {what}")
        time.sleep(every)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDriver:
    """A WebDriver session, over plain HTTP."""

    def __init__(self, base):
        self.base = base
        self.session = None

    def call(self, method, path, body=None, timeout=HTTP_TIMEOUT):
        url = self.base + path
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("Content-Type", "application/json; charset=utf-8")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                answer = json.load(r)
        except urllib.error.HTTPError as e:
            try:
                err = json.load(e).get("value", {})
                detail = f"{err.get('error')}: {err.get('message', '').splitlines()[0]}"
            except (ValueError, AttributeError, IndexError):
                detail = str(e)
            raise Failure(f"WebDriver {method} {path}: {detail}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as e:
            raise Failure(f"WebDriver {method} {path}: {e}") from None
        return answer.get("value")

    def s(self, method, path="", body=None, timeout=HTTP_TIMEOUT):
        """A call within the session."""
        return self.call(method, f"/session/{self.session}{path}", body, timeout)

    def start(self, capabilities):
        value = self.call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        self.session = value["sessionId"]

    def quit(self):
        if self.session:
            try:
                self.call("DELETE", f"/session/{self.session}", timeout=15)
            except Failure:
                pass
            self.session = None

    # Navigation and pages.
    def go(self, url):
        self.s("POST", "/url", {"url": url})

    def url(self):
        return self.s("GET", "/url")

    def wait_url(self, pattern, what):
        return wait_for(what, lambda: re.search(pattern, self.url()))

    def source(self):
        return self.s("GET", "/source")

    def script(self, body, *args):
        return self.s("POST", "/execute/sync", {"script": body, "args": list(args)})

    def cdp(self, cmd, params):
        return self.s("POST", "/goog/cdp/execute", {"cmd": cmd, "params": params})

    # Elements.
    def find_all(self, using, value, within=None):
        path = f"/element/{within}/elements" if within else "/elements"
        return [e[ELEMENT] for e in self.s("POST", path, {"using": using, "value": value})]

    def find(self, using, value, within=None):
        found = self.find_all(using, value, within)
        if not found:
            raise Failure(f"no element {using} {value!r} on {self.url()}")
        return found[0]

    def css(self, selector, within=None):
        return self.find("css selector", selector, within)

    def text(self, el):
        return self.s("GET", f"/element/{el}/text")

    def attribute(self, el, name):
        return self.s("GET", f"/element/{el}/attribute/{name}")

    def click(self, el):
        self.s("POST", f"/element/{el}/click", {})

    def clear(self, el):
        self.s("POST", f"/element/{el}/clear", {})

    def type(self, el, text):
        self.s("POST", f"/element/{el}/value", {"text": text})

    def button(self, label):
        """The button whose visible text is `label`."""
        return self.find("xpath", f'//button[normalize-space()="{label}"]')

    def link(self, text):
        """The link whose visible text starts with `text`."""
        return self.find("partial link text", text)

    def screenshot(self):
        return base64.b64decode(self.s("GET", "/screenshot"))


def start_server(binary, log, data):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1795000000")
    server = subprocess.Popen(
        [binary, "serve", "--port", "0", "--data", data],
        stdout=subprocess.PIPE,
        stderr=log,
        stdin=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    ready, _, _ = select.select([server.stdout], [], [], WAIT)
    line = server.stdout.readline().decode("utf-8", "replace") if ready else ""
    match = re.search(r"serving on (http://127\.0\.0\.1:\d+/)", line)
    if not match:
        server.kill()
        raise Failure(f"boussole serve did not say where it serves: {line!r} (see {log.name})")
    # The link that opens the page (it holds the page's key), two lines below,
    # printed at once with the first: already read into the pipe's buffer, which
    # select() does not see (the journey's alarm bounds the wait anyway).
    link = None
    for _ in range(2):
        more = server.stdout.readline().decode("utf-8", "replace")
        found = re.search(r"(http://127\.0\.0\.1:\d+/entree\?cle=[0-9a-f]+)", more)
        if found:
            link = found.group(1)
    if not link:
        server.kill()
        raise Failure(f"boussole serve did not print the link that opens the page (see {log.name})")
    # Keep reading what it prints, so that it can never block on a full pipe.
    threading.Thread(target=server.stdout.read, daemon=True).start()
    return server, match.group(1), link


def start_team_server(binary, log, data, port):
    """`boussole serve --listen` on `port`: a team's server, with accounts."""
    server = subprocess.Popen(
        [binary, "serve", "--listen", f"127.0.0.1:{port}", "--data", data],
        stdout=subprocess.PIPE,
        stderr=log,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    ready, _, _ = select.select([server.stdout], [], [], WAIT)
    line = server.stdout.readline().decode("utf-8", "replace") if ready else ""
    match = re.search(r"serving on (http://127\.0\.0\.1:\d+/)", line)
    if not match:
        server.kill()
        raise Failure(f"boussole serve --listen did not say where it serves: {line!r} (see {log.name})")
    threading.Thread(target=server.stdout.read, daemon=True).start()
    return server, match.group(1)


def start_chromedriver(log):
    port = free_port()
    driver = subprocess.Popen(
        [CHROMEDRIVER, f"--port={port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    wd = WebDriver(f"http://127.0.0.1:{port}")

    def ready():
        if driver.poll() is not None:
            raise Failure(f"chromedriver exited with status {driver.returncode} (see {log.name})")
        try:
            return wd.call("GET", "/status", timeout=2).get("ready")
        except Failure:
            return False

    wait_for("chromedriver to be ready", ready)
    return driver, wd


def stop(process):
    """Stops a process started here, and what it started in its group."""
    if process is None or process.poll() is not None:
        return
    for sig, grace in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(grace)
            return
        except subprocess.TimeoutExpired:
            continue


def capabilities(profile, downloads):
    return {
        "browserName": "chrome",
        "pageLoadStrategy": "normal",
        "timeouts": {"pageLoad": HTTP_TIMEOUT * 1000, "script": 10000, "implicit": 0},
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1400,1800",
                f"--user-data-dir={profile}",
            ],
            "prefs": {
                "download.default_directory": downloads,
                "download.prompt_for_download": False,
            },
        },
    }


def downloaded(folder, name, timeout=WAIT):
    """The path of `name` once the browser has finished writing it."""
    path = os.path.join(folder, name)

    def done():
        partial = [f for f in os.listdir(folder) if f.endswith(".crdownload")]
        return not partial and os.path.isfile(path) and os.path.getsize(path) > 0

    wait_for(f"{name} to be downloaded into {folder}", done, timeout)
    return path


def click_download(wd, folder, href_end, name):
    link = wd.css(f'a[href$="{href_end}"][download]')
    label = wd.text(link)
    wd.click(link)
    try:
        return downloaded(folder, name, timeout=10), label
    except Failure:
        # Some headless builds ignore the download preferences: say where
        # downloads go through the DevTools protocol, and click again.
        wd.cdp("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": folder})
        wd.click(link)
        return downloaded(folder, name), label


def with_text_chunk(png, keyword, text):
    """`png` with a tEXt chunk (keyword, Latin-1 text) right after IHDR."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise Failure("the screenshot is not a PNG")
    ihdr_end = 8 + 4 + 4 + struct.unpack(">I", png[8:12])[0] + 4
    data = keyword.encode("latin-1") + b"\0" + text.encode("latin-1")
    chunk = struct.pack(">I", len(data)) + b"tEXt" + data
    chunk += struct.pack(">I", zlib.crc32(b"tEXt" + data) & 0xFFFFFFFF)
    return png[:ihdr_end] + chunk + png[ihdr_end:]


def full_height(wd):
    """Makes the window as tall as the page, for a screenshot without scrolling."""
    measure = (
        "return [Math.max(document.body.scrollHeight, document.documentElement.scrollHeight),"
        " window.innerHeight];"
    )
    try:
        for _ in range(3):
            page, viewport = wd.script(measure)
            if viewport >= page:
                return
            rect = wd.s("GET", "/window/rect")
            wd.s("POST", "/window/rect", {"width": rect["width"], "height": rect["height"] + page - viewport})
    except (Failure, TypeError, ValueError) as e:
        print(f"    (the window could not be made as tall as the page: {e})")


def docx_text(path):
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", xml))


def run_helper(script, *args):
    done = subprocess.run(
        [sys.executable, os.path.join(HERE, script), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise Failure(f"{script} failed ({done.returncode}): {done.stderr.strip()}")


def refused_without_the_link(base):
    """Another program, or another account, that never saw the printed link."""
    try:
        urllib.request.urlopen(base + "analyse", timeout=HTTP_TIMEOUT)
    except urllib.error.HTTPError as e:
        page = e.read().decode("utf-8", "replace")
        if e.code != 403 or "boussole serve" not in page:
            raise Failure(f"without the link: {e.code}, not the page saying to use it")
        return
    raise Failure("without the link, the page answered")


def journey(wd, base, link, work, screenshot):
    downloads = os.path.join(work, "telechargements")

    step(0, "the page opened through the link boussole serve printed")
    refused_without_the_link(base)
    wd.go(link)
    wd.wait_url(re.escape(base) + "$", "the home page, the key gone from the address bar")

    step(1, "a new tender, described in the form")
    wd.go(base + "consultation")
    title = wd.css("#f-tender-title")
    wd.clear(title)
    wd.type(title, TITLE)
    wd.click(wd.button("Préparer les documents"))
    wd.wait_url(r"/consultation/[^/?]+$", "the tender page")
    lead = wd.text(wd.css("main p.lead"))
    if TITLE not in lead:
        raise Failure(f"the tender page does not show the title typed: {lead!r}")
    tender_url = wd.url()
    print(f"    tender page {tender_url}: {lead}")

    step(2, "questionnaire.xlsx and its lock downloaded")
    xlsx, label = click_download(wd, downloads, "/questionnaire.xlsx", "questionnaire.xlsx")
    print(f"    « {label} » -> {os.path.getsize(xlsx)} bytes")
    lock, label = click_download(
        wd, downloads, "/questionnaire.xlsx.boussole.lock", "questionnaire.xlsx.boussole.lock"
    )
    print(f"    « {label} » -> {os.path.getsize(lock)} bytes")
    with open(lock, encoding="utf-8") as f:
        locked = json.load(f)
    if locked["profile"]["tender"]["title"] != TITLE:
        raise Failure(f"the lock holds another title: {locked['profile']['tender']['title']!r}")

    step(3, "three vendors fill in the questionnaire")
    answers = os.path.join(work, "reponses-json")
    returned = os.path.join(work, "offres")
    os.makedirs(returned, exist_ok=True)
    run_helper("demo_vendors.py", lock, answers)
    files, names = [], {}
    for vendor in VENDORS:
        spec = os.path.join(answers, vendor + ".json")
        with open(spec, encoding="utf-8") as f:
            names[vendor] = json.load(f)["identity"]["Raison sociale"]
        out = os.path.join(returned, vendor + ".xlsx")
        run_helper("fill_xlsx.py", xlsx, out, spec)
        files.append(out)
        print(f"    {vendor}.xlsx: {names[vendor]}")

    step(4, "the returned files checked against the tender")
    wd.click(wd.link("Analyser les réponses à cette consultation"))
    wd.wait_url(r"/analyse\?consultation=", "the upload form")
    upload = wd.css("#reponses")
    wd.type(upload, "\n".join(files))
    wd.click(wd.css('form[action="/analyse"] button[type="submit"]'))
    wd.wait_url(r"/analyse/[^/?]+$", "the results page")
    results_url = wd.url()
    rows = wd.find_all("css selector", "main table tbody tr")
    table = {}
    for row in rows:
        vendor = wd.text(wd.css("th a", row))
        cell = wd.text(wd.css("td", row))
        # The verdict cell is "sign label": the sign is only a visual aid.
        table[vendor] = cell.split(" ", 1)[-1].strip()
    print(f"    {results_url}: {table}")
    for vendor, verdict in VENDORS.items():
        shown = table.get(names[vendor])
        if shown is None:
            raise Failure(f"{names[vendor]} ({vendor}.xlsx) is not in the results table: {table}")
        if shown != verdict:
            raise Failure(f"{names[vendor]}: verdict {shown!r}, expected {verdict!r}")

    step(5, f"screenshot of the results page -> {screenshot}")
    full_height(wd)
    # The radar is drawn on request: wait until the picture is there.
    loaded = "return arguments[0].complete && arguments[0].naturalWidth > 0;"
    for img in wd.find_all("css selector", "main figure img"):
        wait_for("the radar picture", lambda: wd.script(loaded, {ELEMENT: img}))
    png = wd.screenshot()
    # Like every file in examples/, the screenshot names the library it was
    # made from (tests/suite/examples.rs looks for its hash).
    provenance = f"boussole serve, library {locked['library_version']} {locked['library_hash']}"
    png = with_text_chunk(png, "Source", provenance)
    with open(screenshot, "wb") as f:
        f.write(png)
    width, height = struct.unpack(">II", png[16:24])
    print(f"    {width}x{height} pixels, {len(png)} bytes")
    wd.s("POST", "/window/rect", {"width": 1400, "height": 1800})

    step(6, "legal review: one finding accepted")
    wd.click(wd.link("Décider des constats"))
    wd.wait_url(r"/analyse/[^/?]+/revue$", "the review page")
    wd.type(wd.css("#relecteur"), REVIEWER)
    first = wd.css('select[id^="d-"]')
    decided = wd.attribute(first, "id")
    wd.click(wd.find("xpath", './option[normalize-space()="constat levé"]', first))
    if wd.s("GET", f"/element/{first}/property/value") != "lifted":
        raise Failure(f"choosing « constat levé » in #{decided} did not select it")
    wd.click(wd.button("Enregistrer les décisions"))
    wd.wait_url(r"/analyse/[^/?]+$", "the results page after the review")
    notices = [wd.text(n) for n in wd.find_all("css selector", "main .notice")]
    if not any("décision de la revue juridique appliquée" in n for n in notices):
        raise Failure(f"no notice of the decisions applied on {wd.url()}: {notices}")
    print(f"    #{decided} constat levé by {REVIEWER}: {notices[0]}")

    step(7, "the legal memo downloaded, with the decision")
    memo, label = click_download(
        wd, downloads, "/fichiers/note-juridique.docx", "note-juridique.docx"
    )
    if not zipfile.is_zipfile(memo):
        raise Failure(f"{memo} is not a DOCX (zip) file")
    text = docx_text(memo)
    for vendor, name in names.items():
        if name not in text:
            raise Failure(f"the memo does not name {name} ({vendor})")
    if REVIEWER not in text:
        raise Failure(f"the memo does not name the reviewer {REVIEWER}")
    print(f"    « {label} » -> {os.path.getsize(memo)} bytes, names the 3 vendors and {REVIEWER}")
    return tender_url, files, table


def verdicts(wd):
    """The results table's verdict by vendor."""
    table = {}
    for row in wd.find_all("css selector", "main table tbody tr"):
        vendor = wd.text(wd.css("th a", row))
        table[vendor] = wd.text(wd.css("td", row)).split(" ", 1)[-1].strip()
    return table


def dossier_journey(wd, base, tender_url, files, table, restart):
    step(8, f"a dossier « {DOSSIER} », the tender's questionnaire kept in it")
    wd.go(base + "dossiers")
    wd.type(wd.css("#nom"), DOSSIER)
    wd.type(wd.css("#titre"), TITLE)
    wd.click(wd.button("Créer le dossier"))
    wd.wait_url(r"/dossiers/" + re.escape(DOSSIER) + r"\?fait=cree(#erreurs)?$", "the dossier's page")
    said = wd.text(wd.css('main [role="status"]'))
    if said != "Le dossier est créé.":
        raise Failure(f"the dossier's page does not say it was created: {said!r}")
    wd.go(tender_url)
    wd.click(wd.find("xpath", f'//select[@id="dossier"]/option[@value="{DOSSIER}"]'))
    wd.click(wd.button("Garder le questionnaire diffusé dans ce dossier"))
    wd.wait_url(r"/dossiers/" + re.escape(DOSSIER) + r"\?fait=questionnaire$", "the dossier's page, questionnaire kept")
    state = wd.text(wd.css("main dl.facts"))
    if "diffusé" not in state:
        raise Failure(f"the dossier does not say its questionnaire was issued: {state!r}")

    step(9, "the answers received in the dossier, one finding confirmed")
    wd.click(wd.link("Déposer des réponses reçues"))
    wd.wait_url(r"/analyse\?dossier=", "the upload form of the dossier")
    wd.type(wd.css("#reponses"), "\n".join(files))
    wd.click(wd.css('form[action="/analyse"] button[type="submit"]'))
    wd.wait_url(r"/analyse/dossier-" + re.escape(DOSSIER) + "$", "the dossier's analysis")
    analysis = wd.url()[len(base) - 1 :]
    if verdicts(wd) != table:
        raise Failure(f"the dossier's analysis differs from the session's: {verdicts(wd)} vs {table}")
    wd.click(wd.link("Décider des constats"))
    wd.wait_url(r"/revue$", "the dossier's review")
    wd.type(wd.css("#relecteur"), REVIEWER)
    first = wd.css('select[id^="d-"]')
    wd.click(wd.find("xpath", './option[normalize-space()="constat confirmé"]', first))
    wd.click(wd.button("Enregistrer les décisions"))
    wd.wait_url(re.escape(analysis) + "$", "the dossier's analysis after the review")

    step(10, "boussole restarted on the same data folder: the work is there")
    base, link = restart()
    wd.go(link)
    wd.wait_url(re.escape(base) + "$", "the home page of the new server")
    wd.click(wd.link("Dossiers"))
    wd.wait_url(r"/dossiers$", "the list of dossiers")
    wd.click(wd.link(DOSSIER))
    wd.wait_url(r"/dossiers/" + re.escape(DOSSIER) + "$", "the dossier's page after the restart")
    files_shown = wd.text(wd.css("main table"))
    for f in files:
        if os.path.basename(f) not in files_shown:
            raise Failure(f"{os.path.basename(f)} is not among the dossier's files: {files_shown!r}")
    trail = wd.text(wd.css("ol.timeline"))
    if "constat confirmé — " + REVIEWER not in trail:
        raise Failure(f"the decision is not in the dossier's timeline: {trail!r}")
    wd.click(wd.link("Résultats de l'analyse du dossier"))
    wd.wait_url(re.escape(analysis) + "$", "the dossier's analysis after the restart")
    if verdicts(wd) != table:
        raise Failure(f"after the restart, other verdicts: {verdicts(wd)} vs {table}")
    wd.go(base + analysis[1:] + "/revue")
    recorded = [wd.text(r) for r in wd.find_all("css selector", "main .recorded")]
    if not any("constat confirmé par " + REVIEWER in r for r in recorded):
        raise Failure(f"after the restart, the review does not show the decision: {recorded}")
    print(f"    {DOSSIER}: {len(files)} answers, the decision of {REVIEWER}, the same verdicts")

    step(11, "the dossiers' pages reflow at 320 px, reached by the keyboard")
    wd.s("POST", "/window/rect", {"width": 320, "height": 900})
    wide = "return document.documentElement.scrollWidth - document.documentElement.clientWidth;"
    for path in ("dossiers", "dossiers/" + DOSSIER):
        wd.go(base + path)
        over = wd.script(wide)
        if over > 0:
            raise Failure(f"/{path} is {over} px wider than a 320 px window: it does not reflow")
    wd.s("POST", "/window/rect", {"width": 1400, "height": 1800})
    # From the name field, Tab reaches the title, then the button.
    wd.go(base + "dossiers")
    wd.click(wd.css("#nom"))
    order = []
    for _ in range(2):
        wd.s("POST", "/actions", {"actions": [{"type": "key", "id": "k", "actions": [
            {"type": "keyDown", "value": "\ue004"}, {"type": "keyUp", "value": "\ue004"}]}]})
        order.append(wd.script("const e = document.activeElement; return e.id || e.textContent.trim();"))
    if order != ["titre", "Créer le dossier"]:
        raise Failure(f"Tab from the name goes to {order}, not the title then the button")
    print("    no horizontal scrolling at 320 px; Tab: name, title, button")


TEAM_DOSSIER = "equipe-2027"
PASSWORD = "une phrase de passe assez longue"


def team_journey(wd, binary, work, log):
    step(12, "a team's server: the page asks to log in")
    data = os.path.join(work, "donnees-equipe")
    made = subprocess.run(
        [binary, "user", "add", "ana", "--full-name", "Ana Acheteuse", "--data", data],
        input=PASSWORD + "\n", capture_output=True, text=True, timeout=WAIT,
    )
    if made.returncode != 0:
        raise Failure(f"boussole user add failed: {made.stderr}")
    port = free_port()
    server, base = start_team_server(binary, log, data, port)
    try:
        wd.go(base)
        wd.wait_url(r"/connexion\?retour=/$", "the login page")
        # the login page reflows at 320 px; Tab goes login, password, button
        wd.s("POST", "/window/rect", {"width": 320, "height": 900})
        over = wd.script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
        wd.s("POST", "/window/rect", {"width": 1400, "height": 1800})
        if over > 0:
            raise Failure(f"the login page is {over} px wider than a 320 px window")
        wd.click(wd.css("#identifiant"))
        order = []
        for _ in range(2):
            wd.s("POST", "/actions", {"actions": [{"type": "key", "id": "k", "actions": [
                {"type": "keyDown", "value": "\ue004"}, {"type": "keyUp", "value": "\ue004"}]}]})
            order.append(wd.script("const e = document.activeElement; return e.id || e.textContent.trim();"))
        if order != ["mot-de-passe", "Se connecter"]:
            raise Failure(f"Tab from the login goes to {order}, not the password then the button")
        wd.click(wd.css("#identifiant"))
        wd.type(wd.css("#identifiant"), "ana")
        wd.type(wd.css("#mot-de-passe"), "pas le bon mot de passe")
        wd.click(wd.button("Se connecter"))
        wd.wait_url(r"/connexion$", "the login page saying why")
        alert = wd.text(wd.css("[role=alert]"))
        if "Identifiant ou mot de passe incorrect" not in alert:
            raise Failure(f"a wrong password is not refused in an alert: {alert!r}")
        wd.clear(wd.css("#mot-de-passe"))
        wd.type(wd.css("#mot-de-passe"), PASSWORD)
        wd.click(wd.button("Se connecter"))
        wd.wait_url(re.escape(base) + "$", "the home page once logged in")
        wd.link("Mon compte")

        step(13, f"a dossier « {TEAM_DOSSIER} » created by the account, its buyer")
        wd.click(wd.link("Dossiers"))
        wd.wait_url(r"/dossiers$", "the list of dossiers")
        wd.type(wd.css("#nom"), TEAM_DOSSIER)
        wd.click(wd.button("Créer le dossier"))
        wd.wait_url(r"/dossiers/" + re.escape(TEAM_DOSSIER) + r"\?fait=cree(#erreurs)?$", "the new dossier")
        if "Votre rôle dans ce dossier : acheteur." not in wd.text(wd.css("main")).replace("\u00a0", " "):
            raise Failure("the dossier's page does not say its creator is its buyer")

        step(14, "restarted on the same port and folder: the session goes on")
        stop(server)
        server, base = start_team_server(binary, log, data, port)
        wd.go(base + "dossiers/" + TEAM_DOSSIER)
        wd.wait_url(r"/dossiers/" + re.escape(TEAM_DOSSIER) + "$", "the dossier after the restart")
        if "acheteur" not in wd.text(wd.css("main")):
            raise Failure("after the restart, the dossier does not show the account's role")
        wd.click(wd.link("Mon compte"))
        wd.click(wd.button("Se déconnecter"))
        wd.wait_url(r"/connexion\?fait=sortie$", "the login page after logging out")
        wd.go(base + "dossiers")
        wd.wait_url(r"/connexion\?retour=/dossiers$", "the login page again")
        print("    logged in, worked, restarted, still logged in, logged out")
    finally:
        stop(server)


def where(wd):
    """Says which page the browser was on, and what it said, after a failure."""
    try:
        print(f"    the browser is on {wd.url()}", file=sys.stderr)
        said = [wd.text(el) for el in wd.find_all("css selector", "h1, [role=alert]")]
        # Not one of boussole's pages (a refusal in plain text, say): its text.
        said = said or [wd.text(wd.css("body"))]
        for text in said:
            print(f"    it says: {text[:500]}", file=sys.stderr)
    except Failure:
        pass


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    binary, work, screenshot = sys.argv[1:]
    binary, work, screenshot = map(os.path.abspath, (binary, work, screenshot))
    for tool in (CHROMIUM, CHROMEDRIVER):
        if not os.access(tool, os.X_OK):
            sys.exit(f"e2e_serve: {tool} not found (apt-get install chromium chromium-driver)")
    os.makedirs(os.path.join(work, "telechargements"), exist_ok=True)

    def give_up(signum, _frame):
        if signum == signal.SIGALRM:
            raise Failure(f"the journey took more than {DEADLINE}s")
        raise Failure(f"stopped by signal {signum}")

    for sig in (signal.SIGALRM, signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, give_up)
    signal.alarm(DEADLINE)
    server = driver = None
    wd = None
    try:
        with open(os.path.join(work, "boussole-serve.log"), "wb") as server_log, open(
            os.path.join(work, "chromedriver.log"), "wb"
        ) as driver_log:
            data = os.path.join(work, "donnees")
            server, base, link = start_server(binary, server_log, data)
            print(f"boussole serves on {base}", flush=True)
            driver, wd = start_chromedriver(driver_log)
            profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=work)
            wd.start(capabilities(profile, os.path.join(work, "telechargements")))
            tender_url, files, table = journey(wd, base, link, work, screenshot)

            def restart():
                nonlocal server
                stop(server)
                server, new_base, new_link = start_server(binary, server_log, data)
                print(f"boussole serves again on {new_base}", flush=True)
                return new_base, new_link

            dossier_journey(wd, base, tender_url, files, table, restart)
            team_journey(wd, binary, work, server_log)
    except Failure as e:
        if wd is not None and wd.session:
            where(wd)
        sys.exit(f"e2e_serve: FAILED: {e}")
    finally:
        signal.alarm(0)
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, signal.SIG_IGN)
        if wd is not None:
            wd.quit()
        stop(driver)
        stop(server)
    print(f"e2e_serve: the whole journey passed in {time.monotonic() - STARTED:.1f}s")


if __name__ == "__main__":
    main()
