//! Work kept in a dossier rather than in memory: the questionnaire issued
//! from a tender, the answers received, and the dossier's analysis, derived
//! again from its stored files whenever they changed or the server started
//! anew — its address (`/analyse/dossier-NAME`) outlives the server.
//!
//! A dossier's analysis is what `boussole check --dossier NAME` checks:
//! the latest version of each offer, with its evidence files, against the
//! dossier's latest lock (the default profile without one).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use maud::{Markup, html};

use super::Shared;
use super::access::Visitor;
use super::analysis::Batch;
use super::dossier::{failed, open, segment, store, writer};
use super::page::{Fail, Ui, blocking};
use crate::dossier::{Act, Decided, Dossier, File, Role};
use crate::finding::{Code, Decision, DecisionKind};
use crate::library::Audience;
use crate::questionnaire::lock::Lock;
use crate::report;

mod filing;
mod letter;
mod opinion;

pub use filing::{issue, issue_form, receive, resume};
pub use letter::{letters_sent, record};
pub use opinion::{keep_opinion, opinion_form};

/// What a dossier's analysis id starts with (a batch in memory has 32
/// hexadecimal digits: never this).
pub const PREFIX: &str = "dossier-";

/// The address of the dossier `name`'s analysis.
pub fn href(name: &str) -> String {
    format!("/analyse/{PREFIX}{}", segment(name))
}

/// Most analyses of dossiers kept derived at once: any other is derived
/// again when asked for.
const MAX_DERIVED: usize = 20;

/// The analyses of dossiers derived so far, each with the files it was
/// derived from; and for every dossier derived once, what the list of
/// dossiers tells of it, so that the list does not derive them all again
/// while their files stay the same.
#[derive(Default)]
pub struct Derived {
    by_name: HashMap<String, (Vec<String>, Arc<Batch>)>,
    counts: HashMap<String, Counts>,
}

/// What a dossier's analysis counts: its findings and the elements the
/// committee marks, with the files it was derived from.
struct Counts {
    used: Vec<String>,
    findings: usize,
    elements: usize,
}

/// The files a dossier's analysis is derived from, as `name/sha256`: the
/// latest offers and evidence files, the latest lock.
fn used(d: &Dossier) -> Vec<String> {
    let offers = latest(d, Role::Offer);
    let evidence = latest(d, Role::Evidence);
    let lock = last_lock(d);
    offers
        .iter()
        .chain(&evidence)
        .chain(lock.iter())
        .map(|f| format!("{}/{}", f.name, f.sha256))
        .collect()
}

/// The latest file of each name in `role`, by name.
pub fn latest(d: &Dossier, role: Role) -> Vec<&File> {
    let mut last: BTreeMap<&str, &File> = BTreeMap::new();
    for f in d.files.iter().filter(|f| f.role == role) {
        if last
            .get(f.name.as_str())
            .is_none_or(|g| g.version < f.version)
        {
            last.insert(&f.name, f);
        }
    }
    last.into_values().collect()
}

/// The dossier's latest lock, as `check --dossier` takes it.
pub fn last_lock(d: &Dossier) -> Option<&File> {
    d.files
        .iter()
        .filter(|f| f.role == Role::Lock)
        .max_by_key(|f| (f.version, f.name.ends_with(".boussole.lock")))
}

/// The dossier `name`'s analysis: the one derived before if its files are
/// the same, else derived now from them.
pub async fn batch(state: &Shared, ui: Ui, who: &Visitor, name: &str) -> Result<Arc<Batch>, Fail> {
    let (offers, evidence, lock, used, decided) = {
        let store = store(state, ui)?;
        let d = open(&store, ui, who, name, Act::Read)?;
        let offers = latest(&d, Role::Offer);
        if offers.is_empty() {
            return Err(ui.fail(
                StatusCode::NOT_FOUND,
                ui.t(
                    "Ce dossier n'a encore reçu aucune réponse\u{a0}: déposez-les depuis la page du dossier.",
                    "This dossier has received no answer yet: drop them from the dossier's page.",
                ),
            ));
        }
        let evidence = latest(&d, Role::Evidence);
        let lock = last_lock(&d);
        let used = used(&d);
        let known = state.derived.lock().ok().and_then(|k| {
            k.by_name
                .get(name)
                .filter(|(u, _)| *u == used)
                .map(|(_, b)| b.clone())
        });
        if let Some(b) = known {
            return Ok(b);
        }
        let read = |f: &File| store.bytes(&f.sha256).map(|b| (f.name.clone(), b));
        let read_all =
            |files: &[&File]| files.iter().map(|f| read(f)).collect::<Result<Vec<_>, _>>();
        let offers = read_all(&offers).map_err(|e| failed(ui, &e))?;
        let evidence = read_all(&evidence).map_err(|e| failed(ui, &e))?;
        let lock = lock.map(read).transpose().map_err(|e| failed(ui, &e))?;
        let decided = store.decisions(name).map_err(|e| failed(ui, &e))?;
        let marked = store.marks(name).map_err(|e| failed(ui, &e))?;
        (offers, evidence, lock, used, (decided, marked))
    };
    let (decided, marked) = decided;
    let basis = match &lock {
        Some((file, bytes)) => Lock::parse(file, &String::from_utf8_lossy(bytes))
            .map_err(|e| ui.fail(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?
            .into_basis(None),
        None => {
            super::consultation::tender_or_default(state, ui, who, None)?.basis(Audience::Vendor)
        }
    };
    let (isolate, jobs) = (state.config.isolate.clone(), state.config.jobs);
    let (basis, judged) = blocking(ui, move || {
        let results = report::in_parallel(&offers, jobs, &|_| {}, |(name, bytes)| {
            let attached = crate::evidence::Attached::from_bytes(
                evidence
                    .iter()
                    .filter(|(e, _)| crate::evidence::goes_with(e, name, offers.len()))
                    .map(|(e, b)| (e.as_str(), b.as_slice())),
            );
            report::check_bytes(name, bytes, attached, &basis, isolate.as_deref())
        });
        let judged = report::report(&basis, Vec::new(), results);
        Ok((basis, judged))
    })
    .await?;
    let decisions = in_force(&judged, &decided);
    let marks = super::marks::in_force(&judged, &marked);
    let b = Arc::new(Batch {
        basis,
        judged,
        decisions: Mutex::new(decisions),
        marks: Mutex::new(marks),
        dossier: Some(name.to_string()),
        revision: crate::dossier::sha256(used.join("\n").as_bytes())[..16].to_string(),
    });
    let Ok(mut known) = state.derived.lock() else {
        return Ok(b);
    };
    // Derived meanwhile by another request from the same files: that one
    // stays, decisions may have been taken on it since.
    if let Some((u, kept)) = known.by_name.get(name)
        && *u == used
    {
        return Ok(kept.clone());
    }
    let counts = Counts {
        used: used.clone(),
        findings: b.judged.results.iter().map(|r| r.findings.len()).sum(),
        elements: super::marks::elements(&b.judged).len(),
    };
    known.counts.insert(name.to_string(), counts);
    if known.by_name.len() >= MAX_DERIVED && !known.by_name.contains_key(name) {
        let other = known.by_name.keys().next().cloned();
        other.map(|k| known.by_name.remove(&k));
    }
    known.by_name.insert(name.to_string(), (used, b.clone()));
    Ok(b)
}

/// A finding's key in a batch's decisions.
type Key = (usize, String, Code);

/// The decisions in force on the findings of `judged`, from those kept:
/// each on the file of its name and content (a new version of an offer is
/// decided anew).
fn in_force(judged: &report::Report, decided: &[Decided]) -> BTreeMap<Key, Decision> {
    let mut out = BTreeMap::new();
    for ((offer, sha256, question, code), d) in crate::dossier::in_force(decided) {
        let n = judged
            .results
            .iter()
            .position(|r| r.file == offer && r.sha256 == sha256);
        let code = serde_json::from_value::<Code>(serde_json::Value::from(code));
        let kind =
            serde_json::from_value::<DecisionKind>(serde_json::Value::from(d.decision.as_str()));
        if let (Some(n), Ok(code), Ok(kind)) = (n, code, kind) {
            let date = d.at.chars().take(10).collect();
            let decision = Decision {
                decision: kind,
                reviewer: d.reviewer.clone(),
                date,
                comment: d.note.clone(),
                recorded_by: d.who.clone(),
            };
            out.insert((n, question.to_string(), code), decision);
        }
    }
    out
}

/// What changes from the decisions `before` to `after` of `b`, as rows to
/// keep: a new or changed decision, or the withdrawal of one (named with
/// `reviewer`).
pub fn changes(
    b: &Batch,
    before: &BTreeMap<Key, Decision>,
    after: &BTreeMap<Key, Decision>,
    reviewer: &str,
) -> Vec<Decided> {
    let row = |(n, question, code): &Key, decision: String, reviewer: &str, note: &str| {
        let r = b.judged.results.get(*n)?;
        Some(Decided {
            at: String::new(),
            who: String::new(),
            reviewer: reviewer.to_string(),
            offer: r.file.clone(),
            sha256: r.sha256.clone(),
            question: question.clone(),
            code: code.name(),
            decision,
            note: note.to_string(),
        })
    };
    let mut rows = Vec::new();
    for (key, d) in after {
        let same = before
            .get(key)
            .is_some_and(|o| o.decision == d.decision && o.comment == d.comment);
        if !same {
            let kind = serde_json::to_value(d.decision)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default();
            rows.extend(row(key, kind, &d.reviewer, &d.comment));
        }
    }
    for key in before.keys().filter(|k| !after.contains_key(*k)) {
        rows.extend(row(key, crate::dossier::WITHDRAWN.into(), reviewer, ""));
    }
    rows
}

/// Keeps `changes` in the dossier `name`, in one transaction, if `who`
/// decides there.
pub fn decide(
    state: &Shared,
    ui: Ui,
    who: &Visitor,
    name: &str,
    changes: &[Decided],
) -> Result<(), Fail> {
    let mut store = writer(state, ui, who)?;
    open(&store, ui, who, name, Act::Decide)?;
    store.decide(name, changes).map_err(|e| failed(ui, &e))?;
    Ok(())
}

/// The dossiers where `who` may do `act`, for a form that keeps work in
/// one of them; `None` when the server has no dossiers.
pub fn dossiers_for(
    state: &Shared,
    who: &Visitor,
    act: Act,
) -> Option<Vec<crate::dossier::Summary>> {
    let store = state.dossiers.as_ref()?.lock().ok()?;
    let all = store.list().ok()?;
    Some(
        all.into_iter()
            .filter(|d| who.may(&store, &d.name, act))
            .collect(),
    )
}

/// What a form keeping work in a dossier says: its action, the field's
/// id, the hint under the choice, the button's words.
pub struct Keeping<'a> {
    /// Where the form is posted.
    pub action: String,
    /// The id of the choice of dossier (its hint's is `ID-aide`).
    pub id: &'a str,
    /// What is kept there, and how.
    pub hint: &'a str,
    /// The button's words.
    pub button: &'a str,
}

/// The form that keeps work in one of `dossiers`: the choice of dossier,
/// what is kept there and how, the button.
pub fn keep_form(
    ui: Ui,
    who: &Visitor,
    dossiers: &[crate::dossier::Summary],
    k: &Keeping<'_>,
) -> Markup {
    let hint = format!("{}-aide", k.id);
    html! {
        form method="post" action=(k.action) {
            (super::page::token(who))
            div.field {
                label for=(k.id) { (ui.t("Dossier", "Dossier")) }
                select id=(k.id) name="dossier" aria-describedby=(hint) {
                    @for d in dossiers { option value=(d.name) { (d.name) @if !d.title.is_empty() { " — " (d.title) } } }
                }
                p.hint id=(hint) { (k.hint) }
            }
            button type="submit" { (k.button) }
        }
    }
}

/// The batch a form of the page `back` (`revue`, `notes`) was sent for:
/// on a dossier's analysis, if `who` may do `act` there and the analysis
/// is still the one the form was made from (`revision`); else the page
/// saying why, which leads back to `back` (its name: `again`).
pub async fn sent_for(
    state: &Shared,
    ui: Ui,
    who: &Visitor,
    (id, revision): (&str, Option<&String>),
    act: Act,
    (back, again): (&str, &str),
) -> Result<Arc<Batch>, Fail> {
    let b = super::analysis::batch(state, ui, who, id).await?;
    if let Some(name) = &b.dossier {
        open(&*store(state, ui)?, ui, who, name, act)?;
    }
    // made again from other answers since the form was shown: what it
    // showed may differ, nothing is recorded on it
    if revision.is_some_and(|r| *r != b.revision) {
        return Err(ui
            .fail(
                StatusCode::CONFLICT,
                ui.t(
                    "Le dossier a reçu d'autres réponses depuis l'ouverture de cette page\u{a0}: ce qu'elle montrait a pu changer. Rien n'a été enregistré\u{a0}; rouvrez-la et recommencez.",
                    "The dossier received other answers since this page was opened: what it showed may have changed. Nothing was saved; open it again and start over.",
                ),
            )
            .then(format!("/analyse/{id}/{back}"), again));
    }
    Ok(b)
}

/// Keeps the committee's `marks` in the dossier `name`, in one
/// transaction, if `who` marks there.
pub fn mark(
    state: &Shared,
    ui: Ui,
    who: &Visitor,
    name: &str,
    marks: &[crate::dossier::Marked],
) -> Result<(), Fail> {
    let mut store = writer(state, ui, who)?;
    open(&store, ui, who, name, Act::Mark)?;
    store.mark(name, marks).map_err(|e| failed(ui, &e))?;
    Ok(())
}

/// The dossiers that received answers, each with its analysis and its
/// review: work to take up again, whenever the server started; nothing
/// without dossiers.
pub fn analyses(state: &Shared, ui: Ui, who: &Visitor) -> Markup {
    let Some(store) = state.dossiers.as_ref().and_then(|s| s.lock().ok()) else {
        return html! {};
    };
    let answered: Vec<(String, String, usize)> = store
        .list()
        .unwrap_or_default()
        .into_iter()
        .filter(|s| who.may(&store, &s.name, Act::Read))
        .filter_map(|s| {
            let d = store.dossier(&s.name).ok()?;
            let n = latest(&d, Role::Offer).len();
            (n > 0).then_some((s.name, s.title, n))
        })
        .collect();
    html! {
        section aria-labelledby="des-dossiers" {
            h2 id="des-dossiers" { (ui.t("Analyses des dossiers", "Analyses of the dossiers")) }
            @if answered.is_empty() {
                p { (ui.t("Aucun dossier n'a encore reçu de réponse.", "No dossier has received answers yet.")) }
            } @else {
                ul {
                    @for (name, title, n) in &answered {
                        li {
                            a id={ "dossier-" (segment(name)) } href=(href(name)) { (name) @if !title.is_empty() { " — " (title) } " — " (crate::text::counted(*n, ui.lang, ("réponse", "réponses"), ("answer", "answers"))) }
                            " · " a href={ (href(name)) "/revue" } aria-describedby={ "dossier-" (segment(name)) } { (ui.t("revue juridique", "legal review")) }
                        }
                    }
                }
            }
        }
    }
}

/// The decisions taken on the dossier `name`'s analysis and the findings
/// still without one, the marks given and the elements still without one;
/// `None` when it has no answer or cannot be derived.
pub async fn progress(
    state: &Shared,
    ui: Ui,
    who: &Visitor,
    name: &str,
) -> Option<((usize, usize), (usize, usize))> {
    let (now, offers, decided, marked) = {
        let store = state.dossiers.as_ref()?.lock().ok()?;
        let d = store.dossier(name).ok()?;
        let offers: std::collections::BTreeSet<(String, String)> = latest(&d, Role::Offer)
            .into_iter()
            .map(|f| (f.name.clone(), f.sha256.clone()))
            .collect();
        let decided = store.decisions(name).ok()?;
        let marked = store.marks(name).ok()?;
        (used(&d), offers, decided, marked)
    };
    if offers.is_empty() {
        return None;
    }
    // Derived before from the same files: counted without deriving again.
    let counted = state.derived.lock().ok().and_then(|k| {
        let c = k.counts.get(name).filter(|c| c.used == now)?;
        Some((c.findings, c.elements))
    });
    if let Some((findings, elements)) = counted {
        let on = |o: &str, s: &str| offers.contains(&(o.to_string(), s.to_string()));
        let taken = (crate::dossier::in_force(&decided).keys())
            .filter(|(o, s, _, _)| on(o, s))
            .count();
        let given = (crate::dossier::marks_in_force(&marked).keys())
            .filter(|(o, s, _)| on(o, s))
            .count();
        return Some((
            (taken, findings.saturating_sub(taken)),
            (given, elements.saturating_sub(given)),
        ));
    }
    let b = batch(state, ui, who, name).await.ok()?;
    let taken = b.decisions.lock().map(|d| d.len()).unwrap_or_default();
    let total: usize = b.judged.results.iter().map(|r| r.findings.len()).sum();
    let given = b.marks.lock().map(|m| m.len()).unwrap_or_default();
    let to_mark = super::marks::elements(&b.judged).len();
    Some((
        (taken, total.saturating_sub(taken)),
        (given, to_mark.saturating_sub(given)),
    ))
}
