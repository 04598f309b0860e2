//! `boussole serve` in a real browser: headless Chromium, driven over
//! WebDriver by `tests/scripts/e2e_serve.py`, goes from a new tender to the
//! legal memo through the pages' own links, fields and buttons; then keeps
//! the same tender, answers and a decision in a dossier, restarts the
//! server on the same data folder and finds them again.
//!
//! Prints `skipped: …` and passes without Chromium, its driver, or python3
//! with openpyxl; `.ci/run` installs them. With `BOUSSOLE_UPDATE_SCREENSHOT=1`
//! the results page's screenshot is copied to `examples/serve-resultats.png`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The script gives up by itself after 100 s; this is the last resort.
const HARD_LIMIT: Duration = Duration::from_secs(120);

/// Whether the browser, its driver and python3 with openpyxl are there;
/// says why not.
fn browser_ready() -> bool {
    if !Path::new(CHROMIUM).is_file() || !Path::new(CHROMEDRIVER).is_file() {
        eprintln!("skipped: chromium/chromedriver not installed");
        return false;
    }
    python_has(&["openpyxl"])
}

/// Runs the browser journey in `work`; its exit status and what it printed.
fn journey(work: &Path, screenshot: &Path) -> (bool, String) {
    let (out, err) = (work.join("e2e.out"), work.join("e2e.err"));
    let mut child = Command::new("python3")
        .arg(root().join("tests/scripts/e2e_serve.py"))
        .arg(env!("CARGO_BIN_EXE_boussole"))
        .arg(work)
        .arg(screenshot)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .expect("python3 runs");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > HARD_LIMIT {
            child.kill().ok();
            child.wait().ok();
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let printed = std::fs::read_to_string(&out).unwrap_or_default()
        + &std::fs::read_to_string(&err).unwrap_or_default();
    match status {
        Some(s) => (s.success(), printed),
        None => (false, format!("{printed}\nkilled after {HARD_LIMIT:?}")),
    }
}

#[test]
fn a_buyer_goes_from_a_new_tender_to_the_legal_memo_in_the_browser() {
    if !browser_ready() {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let screenshot = work.path().join("serve-resultats.png");

    // A tender described in the form, its questionnaire downloaded and
    // filled by three vendors, their files checked, one finding accepted
    // by a reviewer, the memo downloaded; a dossier holding the same
    // questionnaire, answers and a decision, found again after a restart:
    // every step is asserted by the script.
    let (passed, printed) = journey(work.path(), &screenshot);
    println!("{printed}");
    assert!(passed, "the browser journey failed:\n{printed}");

    // The results page, as the buyer saw it, with the library it was made from.
    let png = std::fs::read(&screenshot).expect("the script saved a screenshot");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let hash = boussole::library::load(None).unwrap().hash;
    let text = String::from_utf8_lossy(&png);
    assert!(
        text.contains(&hash),
        "the screenshot does not name library {hash}"
    );

    if std::env::var("BOUSSOLE_UPDATE_SCREENSHOT").is_ok_and(|v| v == "1") {
        let committed = root().join("examples/serve-resultats.png");
        std::fs::copy(&screenshot, &committed).unwrap();
        println!("updated {}", committed.display());
    }
}
