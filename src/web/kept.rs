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

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use maud::{Markup, html};

use super::analysis::Batch;
use super::consultation::{Tender, tender};
use super::dossier::{failed, open, segment, store};
use super::page::{Fail, Page, Ui, blocking, see_other};
use super::{Shared, upload};
use crate::dossier::{Decided, Dossier, File, Incoming, Role};
use crate::finding::{Code, Decision, DecisionKind};
use crate::library::Audience;
use crate::questionnaire::lock::Lock;
use crate::report;

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
/// derived from.
#[derive(Default)]
pub struct Derived {
    by_name: HashMap<String, (Vec<String>, Arc<Batch>)>,
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
pub async fn batch(state: &Shared, ui: Ui, name: &str) -> Result<Arc<Batch>, Fail> {
    let (offers, evidence, lock, used, decided) = {
        let store = store(state, ui)?;
        let d = open(&store, ui, name)?;
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
        let used: Vec<String> = offers
            .iter()
            .chain(&evidence)
            .chain(lock.iter())
            .map(|f| format!("{}/{}", f.name, f.sha256))
            .collect();
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
        (offers, evidence, lock, used, decided)
    };
    let basis = match &lock {
        Some((file, bytes)) => Lock::parse(file, &String::from_utf8_lossy(bytes))
            .map_err(|e| ui.fail(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?
            .into_basis(None),
        None => super::consultation::tender_or_default(state, ui, None)?.basis(Audience::Vendor),
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
    let b = Arc::new(Batch {
        basis,
        judged,
        decisions: Mutex::new(decisions),
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

/// Keeps `changes` in the dossier `name`, in one transaction.
pub fn decide(state: &Shared, ui: Ui, name: &str, changes: &[Decided]) -> Result<(), Fail> {
    store(state, ui)?
        .decide(name, changes)
        .map_err(|e| failed(ui, &e))?;
    Ok(())
}

/// The dossiers that received answers, each with its analysis and its
/// review: work to take up again, whenever the server started; nothing
/// without dossiers.
pub fn analyses(state: &Shared, ui: Ui) -> Markup {
    let Some(store) = state.dossiers.as_ref().and_then(|s| s.lock().ok()) else {
        return html! {};
    };
    let answered: Vec<(String, String, usize)> = store
        .list()
        .unwrap_or_default()
        .into_iter()
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
/// still without one; `None` when it has no answer or cannot be derived.
pub async fn decisions(state: &Shared, ui: Ui, name: &str) -> Option<(usize, usize)> {
    let offered = {
        let store = state.dossiers.as_ref()?.lock().ok()?;
        let d = store.dossier(name).ok()?;
        !latest(&d, Role::Offer).is_empty()
    };
    if !offered {
        return None;
    }
    let b = batch(state, ui, name).await.ok()?;
    let taken = b.decisions.lock().map(|d| d.len()).unwrap_or_default();
    let total: usize = b.judged.results.iter().map(|r| r.findings.len()).sum();
    Some((taken, total.saturating_sub(taken)))
}

/// The answers of the form `sent` kept in the dossier `name` as received
/// (each offer under role offer, each evidence file under role evidence,
/// a lock sent under role lock), in one transaction; `files` are the
/// answers with the names they are shown under.
pub fn receive(
    state: &Shared,
    ui: Ui,
    name: &str,
    files: &[(String, upload::File)],
    lock: Option<&upload::File>,
) -> Result<(), Fail> {
    let mut incoming = Vec::new();
    for (shown, f) in files {
        if crate::dossier::check_file_name(shown).is_err() {
            return Err(ui.fail(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "{shown}{}",
                    ui.t(
                        "\u{a0}: ce nom de fichier ne peut pas être gardé dans un dossier (deux-points ou caractère de contrôle)\u{a0}; renommez le fichier et déposez-le de nouveau. Rien n'a été gardé.",
                        ": this file name cannot be kept in a dossier (a colon or a control character); rename the file and drop it again. Nothing was kept.",
                    )
                ),
            ));
        }
        let role = if crate::evidence::may_be_evidence(std::path::Path::new(shown)) {
            Role::Evidence
        } else {
            Role::Offer
        };
        incoming.push((
            role,
            Incoming {
                name: shown.clone(),
                bytes: f.bytes.clone(),
            },
        ));
    }
    if let Some(lock) = lock {
        let shown = lock.name.rsplit(['/', '\\']).next().unwrap_or(&lock.name);
        let kept = if crate::dossier::check_file_name(shown).is_ok() {
            shown
        } else {
            "questionnaire.xlsx.boussole.lock"
        };
        incoming.push((
            Role::Lock,
            Incoming {
                name: kept.to_string(),
                bytes: lock.bytes.clone(),
            },
        ));
    }
    let mut store = store(state, ui)?;
    open(&store, ui, name)?;
    store
        .receive(name, &incoming)
        .map_err(|e| ui.fail(StatusCode::UNPROCESSABLE_ENTITY, refused_addition(ui, &e)))?;
    Ok(())
}

/// Why the dossier refused files, without its database's path.
fn refused_addition(ui: Ui, e: &crate::Error) -> String {
    let text = e.to_string();
    if text.contains("would hold over") {
        return ui
            .t(
                "Le dossier dépasserait ce qu'une archive peut contenir (nombre ou taille des fichiers)\u{a0}: rien n'a été gardé.",
                "The dossier would hold more than an archive can (files' number or size): nothing was kept.",
            )
            .to_string();
    }
    eprintln!("boussole: dossiers: {text}");
    ui.t(
        "Les fichiers n'ont pas pu être gardés dans le dossier (le détail est affiché là où boussole a été lancé)\u{a0}: rien n'a été gardé.",
        "The files could not be kept in the dossier (the details are shown where boussole was started): nothing was kept.",
    )
    .to_string()
}

/// On a tender's page: the form that keeps its questionnaire, as issued,
/// in a dossier; nothing when the server has no dossiers.
pub fn issue_form(state: &Shared, ui: Ui, id: &str) -> Markup {
    let Some(names) = state
        .dossiers
        .as_ref()
        .and_then(|s| s.lock().ok()?.list().ok())
    else {
        return html! {};
    };
    html! {
        section aria-labelledby="garder" {
            h2 id="garder" { (ui.t("Garder dans un dossier", "Keep in a dossier")) }
            @if names.is_empty() {
                p { (ui.t("Aucun dossier pour l'instant\u{a0}: ", "No dossier yet: ")) a href="/dossiers" { (ui.t("créer un dossier", "create a dossier")) } "." }
            } @else {
                form method="post" action={ "/consultation/" (id) "/dossier" } {
                    (super::page::token(state))
                    div.field {
                        label for="dossier" { (ui.t("Dossier", "Dossier")) }
                        select id="dossier" name="dossier" aria-describedby="dossier-aide" {
                            @for s in &names { option value=(s.name) { (s.name) @if !s.title.is_empty() { " — " (s.title) } } }
                        }
                        p.hint id="dossier-aide" { (ui.t(
                            "Le profil, le questionnaire diffusé (Excel) et son verrou y sont gardés tels quels, avec la date\u{a0}; un questionnaire déjà gardé n'est jamais remplacé\u{a0}: celui-ci devient sa version suivante.",
                            "The profile, the questionnaire issued (Excel) and its lock are kept there as they are, with the date; a questionnaire already kept is never replaced: this one becomes its next version.",
                        )) }
                    }
                    button type="submit" { (ui.t("Garder le questionnaire diffusé dans ce dossier", "Keep the questionnaire issued in this dossier")) }
                }
            }
        }
    }
}

/// POST `/consultation/{id}/dossier`: the tender's profile, questionnaire
/// and lock kept in the dossier chosen, as `questionnaire --dossier` keeps
/// them; then the dossier's page.
pub async fn issue(
    State(state): State<Shared>,
    ui: Ui,
    Path(id): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Page {
    let input = upload::fields(&state, ui, form)?;
    let t = tender(&state, ui, &id)?;
    let name = input.get("dossier").cloned().unwrap_or_default();
    open(&*store(&state, ui)?, ui, &name)?;
    let files = blocking(ui, move || {
        let q = t.questionnaire(Audience::Vendor);
        let xlsx = crate::questionnaire::xlsx::render(&q)?;
        let lock = Lock::new(&q).to_json().into_bytes();
        Ok(vec![
            (
                Role::Profile,
                incoming("profil.toml", t.text.clone().into_bytes()),
            ),
            (Role::Questionnaire, incoming("questionnaire.xlsx", xlsx)),
            (
                Role::Lock,
                incoming("questionnaire.xlsx.boussole.lock", lock),
            ),
        ])
    })
    .await?;
    store(&state, ui)?
        .add_generated(&name, "boussole serve", &files)
        .map_err(|e| ui.fail(StatusCode::UNPROCESSABLE_ENTITY, refused_addition(ui, &e)))?;
    Ok(see_other(&super::dossier::href(&name)))
}

fn incoming(name: &str, bytes: Vec<u8>) -> Incoming {
    Incoming {
        name: name.to_string(),
        bytes,
    }
}

/// POST `/dossiers/{name}/consultation`: the dossier's latest profile taken
/// up again as a tender of this session (its documents, its answers).
pub async fn resume(
    State(state): State<Shared>,
    ui: Ui,
    Path(name): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Page {
    upload::fields(&state, ui, form)?;
    let text = {
        let store = store(&state, ui)?;
        let d = open(&store, ui, &name)?;
        let last = d
            .files
            .iter()
            .filter(|f| f.role == Role::Profile)
            .max_by_key(|f| f.version)
            .ok_or_else(|| {
                ui.fail(
                    StatusCode::NOT_FOUND,
                    ui.t(
                        "Ce dossier ne garde aucun profil de consultation.",
                        "This dossier keeps no tender profile.",
                    ),
                )
            })?;
        store.bytes(&last.sha256).map_err(|e| failed(ui, &e))?
    };
    let text = String::from_utf8_lossy(&text).into_owned();
    let t = Tender::new(&state, text).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(|p| p.line(ui.lang)).collect();
        ui.fail(StatusCode::UNPROCESSABLE_ENTITY, lines.join(" · "))
    })?;
    super::consultation::keep(&state, ui, t)
}
