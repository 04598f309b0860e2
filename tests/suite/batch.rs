//! A batch streamed by `check` (each result out of memory until the report
//! is written) says exactly what the same batch kept in memory says.

use std::path::{Path, PathBuf};

use boussole::questionnaire::lock::Lock;
use boussole::report;

use crate::support::{boussole_env, boussole_in, fixture, python_has, root};

/// The demo's tender and, in `offres/`, its four returns, a copy of one of
/// them (the same texts twice), three returns filled by openpyxl as vendors
/// type, and a file that is no workbook, in the middle of the batch.
struct Batch {
    dir: tempfile::TempDir,
}

impl Batch {
    fn new() -> Option<Batch> {
        if !python_has(&["openpyxl"]) {
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let run = boussole_in(dir.path(), &["demo", "demo"]);
        assert!(run.code <= 1, "{}", run.stderr);
        let b = Batch { dir };
        std::fs::create_dir(b.offers()).unwrap();
        for name in [
            "atelier-numerique-loire.xlsx",
            "global-cloud-ai.xlsx",
            "petite-startup.ods",
            "visiosurete.xlsx",
        ] {
            std::fs::copy(fixture(&format!("demo/{name}")), b.offers().join(name)).unwrap();
        }
        std::fs::copy(
            fixture("demo/global-cloud-ai.xlsx"),
            b.offers().join("global-cloud-ai-copie.xlsx"),
        )
        .unwrap();
        std::fs::write(
            b.offers().join("m-illisible.xlsx"),
            b"ceci n'est pas un classeur",
        )
        .unwrap();
        let made = std::process::Command::new("python3")
            .arg(root().join("benches/gen_responses.py"))
            .arg(b.path("demo/questionnaire.xlsx"))
            .arg(b.lock())
            .arg(b.offers())
            // more than the store holds in memory: the others go through its file
            .args([&report::store::HELD.to_string(), "--jobs", "1"])
            .output()
            .unwrap();
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
        Some(b)
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn offers(&self) -> PathBuf {
        self.path("offres")
    }

    fn lock(&self) -> PathBuf {
        self.path("demo/questionnaire.xlsx.boussole.lock")
    }

    /// A new empty folder to serve as the temporary folder of a run.
    fn tmp(&self, name: &str) -> PathBuf {
        let tmp = self.path(name);
        std::fs::create_dir(&tmp).unwrap();
        tmp
    }

    /// `check` on the batch, streamed, with `args`, `tmp` as its temporary folder.
    fn check(&self, tmp: &Path, args: &[&str]) -> crate::support::Run {
        let (lock, offers) = (self.lock(), self.offers());
        let mut all = vec!["check", "--lock", lock.to_str().unwrap()];
        all.extend(args);
        all.push(offers.to_str().unwrap());
        let env = [
            ("TMPDIR", tmp.to_str().unwrap()),
            ("SOURCE_DATE_EPOCH", "1764547200"),
        ];
        boussole_env(self.dir.path(), &all, &env)
    }

    /// The report of the same batch kept in memory, through the library.
    fn in_memory(&self) -> (report::Report, boussole::check::Basis) {
        let basis = Lock::read(&self.lock()).unwrap().into_basis(None);
        let (files, skipped) = report::collect(&[self.offers()], &[]);
        let exe = Path::new(env!("CARGO_BIN_EXE_boussole"));
        let results = report::check_all(&files, &basis, Some(exe), 2, &|_| {});
        let mut report = report::report(&basis, skipped, results);
        report.generated_at = "2025-12-01T00:00:00Z".into();
        (report, basis)
    }
}

fn empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).unwrap().next().is_none()
}

#[test]
fn a_streamed_batch_reports_what_the_same_batch_kept_in_memory_does() {
    let Some(b) = Batch::new() else { return };
    let tmp = b.tmp("tmp");
    let out = b.path("rapport.json");
    let run = b.check(&tmp, &["--format", "json", "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 2, "a file could not be read: {}", run.stderr);
    assert!(empty(&tmp), "the results kept during the run are gone");
    let streamed = std::fs::read_to_string(&out).unwrap();

    let (report, basis) = b.in_memory();
    assert_eq!(report.results.len(), 6 + report::store::HELD);
    let names: Vec<&str> = report.results.iter().map(|r| r.file.as_str()).collect();
    let unreadable = names.iter().position(|f| f.ends_with("m-illisible.xlsx"));
    let unreadable = unreadable.filter(|&i| i > 0 && i + 1 < names.len());
    let unreadable = unreadable.expect("the unreadable file is in the middle");
    assert_eq!(report.results[unreadable].status, report::FileStatus::Error);
    let shared = |r: &report::FileReport| {
        (r.findings.iter())
            .filter(|f| f.code == boussole::finding::Code::SharedText)
            .count()
    };
    let copy = (report.results.iter())
        .find(|r| r.file.ends_with("global-cloud-ai-copie.xlsx"))
        .unwrap();
    assert!(
        shared(copy) > 0,
        "the copy shares its texts with its original"
    );
    let ranked = (report.results.iter())
        .filter(|r| r.judgment.as_ref().is_some_and(|j| j.rank.is_some()))
        .count();
    assert!(ranked >= 2, "the batch ranks offers");
    assert!(
        streamed == report.to_json(),
        "the streamed JSON report differs from the report kept in memory"
    );

    let text = b.check(&b.tmp("tmp-text"), &[]);
    let md = b.check(&b.tmp("tmp-md"), &["--format", "md"]);
    let lang = basis.lang;
    let summary = |md| report::text::render(&report, &basis.selection, lang, md);
    assert_eq!(text.stdout, summary(false));
    assert_eq!(md.stdout, summary(true));
}

#[test]
fn a_streamed_batch_leaves_nothing_behind_when_its_report_cannot_be_written() {
    let Some(b) = Batch::new() else { return };
    let tmp = b.tmp("tmp");
    std::fs::write(b.path("pas-un-dossier"), "").unwrap();
    let out = b.path("pas-un-dossier/rapport.json");
    let run = b.check(&tmp, &["--format", "json", "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("pas-un-dossier"), "{}", run.stderr);
    assert!(!out.exists());
    assert!(empty(&tmp), "the results kept during the run are gone");
}
