//! « Analyser des réponses »: returned files dropped in the browser, checked
//! exactly as `boussole check` does; the results table, a page per vendor,
//! the radar, and every report to download.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use maud::{Markup, html};

use super::access::Visitor;
use super::consultation::{tender, tender_or_default};
use super::page::{self, Fail, Offered, Page, Ui, blocking, see_other};
use super::{Shared, kept, marks, store, upload};
use crate::check::{Basis, LockDigest, Verdict};
use crate::dossier::Act;
use crate::finding::{Code, Decision};
use crate::library::Audience;
use crate::office::docx;
use crate::questionnaire::lock::Lock;
use crate::report::{self, FileReport, Report, compare, decisions, letters};
use crate::rule::Severity;
use crate::text::{Lang, number};

/// A batch of returned files, checked.
pub struct Batch {
    /// What the files were checked against.
    pub basis: Basis,
    /// The report as judged, before any decision.
    pub judged: Report,
    /// Legal staff's decisions, by file (its place in the batch: two
    /// byte-identical files keep their own decisions), question and code.
    pub decisions: Mutex<BTreeMap<(usize, String, Code), Decision>>,
    /// The evaluation committee's marks, by file (its place in the batch)
    /// and question.
    pub marks: Mutex<BTreeMap<marks::Key, marks::Given>>,
    /// The dossier whose stored files it was derived from, if any.
    pub dossier: Option<String>,
    /// Which of the dossier's files it was derived from (empty for a
    /// batch of this session): a review form tells its batch by it.
    pub revision: String,
}

impl Batch {
    /// The report with the decisions recorded so far applied, exactly as
    /// `boussole check --decisions` applies those of a workbook.
    pub fn report(&self) -> Report {
        let mut report = self.judged.clone();
        let given = self.marks.lock().map(|m| m.clone()).unwrap_or_default();
        marks::apply(self, &mut report, &given);
        let decided = self.decisions.lock().map(|d| d.clone()).unwrap_or_default();
        if decided.is_empty() {
            return report;
        }
        let entries = (1..)
            .zip(decided)
            .filter_map(|(row, ((n, question, code), decision))| {
                let r = report.results.get(n)?;
                Some(decisions::Entry {
                    row,
                    vendor: r.vendor.name.clone(),
                    file: r.file.clone(),
                    sha256: r.sha256.clone(),
                    question,
                    code,
                    decision,
                })
            })
            .collect();
        let source = match self.basis.lang {
            Lang::Fr => "revue juridique (boussole serve)",
            Lang::En => "legal review (boussole serve)",
        };
        let given = decisions::Decisions {
            source: source.into(),
            sha256: String::new(),
            entries,
            warnings: Vec::new(),
        };
        decisions::apply(&mut report, &self.basis, given);
        report
    }
}

/// `?consultation=ID`: work on a tender described in the browser.
#[derive(Debug, serde::Deserialize)]
pub struct Against {
    /// The tender's id.
    pub consultation: Option<String>,
    /// The dossier the answers are received in.
    pub dossier: Option<String>,
}

/// GET `/analyse`: the upload form.
pub async fn form(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    Query(q): Query<Against>,
) -> Page {
    let tender = q
        .consultation
        .as_deref()
        .map(|id| (id, tender(&state, ui, &who, id)))
        .and_then(|(id, t)| Some((id.to_string(), t.ok()?)));
    // Received in a dossier: whether it keeps a lock already.
    let dossier = match q.dossier.as_deref().filter(|n| !n.is_empty()) {
        Some(name) => {
            let store = super::dossier::store(&state, ui)?;
            let d = super::dossier::open(&store, ui, &who, name, Act::File)?;
            Some((d.name.clone(), kept::last_lock(&d).is_some()))
        }
        None => None,
    };
    let title = ui.t("Analyser des réponses", "Check answers");
    Ok(page::page(
        ui,
        title,
        "/analyse",
        html! {
            h1 { (title) }
            p.lead { (ui.t(
                "Déposez les questionnaires remplis par les soumissionnaires (.xlsx, .xlsm, .xls, .ods, .docx) et le verrou du questionnaire. boussole les lit, les note et dit pourquoi, comme la commande « boussole check ».",
                "Drop the questionnaires the vendors completed (.xlsx, .xlsm, .xls, .ods, .docx) and the questionnaire's lock. boussole reads them, scores them and says why, as the command `boussole check` does.",
            )) }
            form method="post" action="/analyse" enctype="multipart/form-data" {
                (page::token(&who))
                div.field {
                    label for="reponses" { (ui.t("Réponses des soumissionnaires (obligatoire)", "Vendors' answers (required)")) }
                    input type="file" id="reponses" name="reponses" multiple required
                        accept=".xlsx,.xlsm,.xls,.ods,.docx,.zip,.csv,.json,.jsonld,.md,.yaml,.yml" aria-describedby="reponses-aide";
                    p.hint id="reponses-aide" { (ui.t("Plusieurs fichiers à la fois ; au plus", "Several files at once; at most")) " " (upload::MAX_FILES) " " (ui.t("fichiers de 20 Mio chacun.", "files of 20 MiB each.")) " " (ui.t(
                        "Les pièces justificatives lisibles par machine (mesure CodeCarbon, fiche de modèle, nomenclature CycloneDX ou SPDX) sont confrontées aux réponses : déposées avec un seul questionnaire, elles vont avec lui ; avec plusieurs, leur nom commence par celui du questionnaire (acme-emissions.csv avec acme.xlsx) ; une archive ZIP peut aussi réunir un questionnaire et ses pièces.",
                        "Machine-readable evidence files (CodeCarbon measurement, model card, CycloneDX or SPDX bill of materials) are compared with the answers: dropped with a single questionnaire, they go with it; with several, their name begins with the questionnaire's (acme-emissions.csv with acme.xlsx); a ZIP archive may also hold a questionnaire and its files.",
                    )) }
                }
                @if let Some((name, locked)) = &dossier {
                    input type="hidden" name="dossier" value=(name);
                    p { (ui.t("Reçues dans le dossier", "Received in the dossier")) " " strong { (name) } (ui.t("\u{a0}: chaque fichier y est gardé tel que reçu, et l’analyse du dossier reprend toutes ses réponses.", ": each file is kept there as received, and the dossier's analysis takes all its answers.")) }
                    @if !locked {
                        div.field {
                            label for="verrou" { (ui.t("Verrou du questionnaire (.boussole.lock)", "Questionnaire lock (.boussole.lock)")) }
                            input type="file" id="verrou" name="verrou" accept=".lock,application/json" aria-describedby="verrou-aide";
                            p.hint id="verrou-aide" { (ui.t(
                                "Le dossier ne garde pas encore de verrou\u{a0}: déposé ici, il y est gardé. Sans lui, les réponses sont analysées contre le profil par défaut.",
                                "The dossier keeps no lock yet: dropped here, it is kept there. Without it, answers are checked against the default profile.",
                            )) }
                        }
                    }
                } @else if let Some((id, t)) = &tender {
                    input type="hidden" name="consultation" value=(id);
                    p { (ui.t("Analysées contre la consultation", "Checked against the tender")) " " strong { (t.profile.tender.reference) " — " (t.profile.tender.title) } "." }
                } @else {
                    div.field {
                        label for="verrou" { (ui.t("Verrou du questionnaire (.boussole.lock)", "Questionnaire lock (.boussole.lock)")) }
                        input type="file" id="verrou" name="verrou" accept=".lock,application/json" aria-describedby="verrou-aide";
                        p.hint id="verrou-aide" { (ui.t(
                            "Le fichier écrit à côté du questionnaire diffusé. Sans lui, les réponses sont analysées contre le profil par défaut.",
                            "The file written beside the questionnaire issued. Without it, answers are checked against the default profile.",
                        )) }
                    }
                }
                button type="submit" { (ui.t("Analyser", "Check")) }
            }
            (kept::analyses(&state, ui, &who))
            (recent(&state, ui, &who))
        },
    ))
}

/// The batches `who` kept, newest first, with links to their results and review.
pub fn recent(state: &Shared, ui: Ui, who: &Visitor) -> Markup {
    let kept = state
        .batches
        .lock()
        .map(|b| b.list(who.owner()))
        .unwrap_or_default();
    html! {
        section aria-labelledby="recentes" {
            h2 id="recentes" { (ui.t("Analyses de cette session", "Analyses of this session")) }
            @if kept.is_empty() {
                p { (ui.t("Aucune pour l'instant.", "None yet.")) }
            } @else {
                ul {
                    @for (id, b) in kept.iter().rev() {
                        li {
                            a id={ "analyse-" (id) } href={ "/analyse/" (id) } { (b.judged.profile.reference) " — " (crate::text::counted(b.judged.results.len(), ui.lang, ("fichier", "fichiers"), ("file", "files"))) " — " (when(&b.judged.generated_at, ui.lang)) }
                            " · " a href={ "/analyse/" (id) "/revue" } aria-describedby={ "analyse-" (id) } { (ui.t("revue juridique", "legal review")) }
                        }
                    }
                }
            }
        }
    }
}

/// When a batch was checked, in words: « 2 décembre 2026 à 21 h 39 (UTC) »
/// for `2026-12-02T21:39:29Z`; as given when it is not such a time.
pub fn when(at: &str, lang: Lang) -> String {
    let date = at.get(..10).and_then(crate::date::Date::parse_loose);
    let hm = at
        .get(11..16)
        .and_then(|t| t.split_once(':'))
        .filter(|(h, m)| h.len() == 2 && m.len() == 2);
    match (date, hm) {
        (Some(d), Some((h, m))) => match lang {
            Lang::Fr => {
                let h = h.parse::<u8>().map_or(h.to_string(), |n| n.to_string());
                format!("{} à {h} h {m} (UTC)", d.in_words(lang))
            }
            Lang::En => format!("{} at {h}:{m} UTC", d.in_words(lang)),
        },
        _ => at.to_string(),
    }
}

/// What the files sent are checked against: the lock sent, else the tender
/// named, else the default profile (for `audience`).
pub fn basis(
    state: &Shared,
    ui: Ui,
    who: &Visitor,
    sent: &upload::Form,
    audience: Audience,
) -> Result<Basis, Fail> {
    if let Some(lock) = sent.files_in("verrou").next() {
        let text = String::from_utf8_lossy(&lock.bytes);
        let lock = Lock::parse(&lock.name, &text)
            .map_err(|e| ui.fail(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
        return Ok(lock.into_basis(None));
    }
    let id = sent.fields.get("consultation").map(String::as_str);
    Ok(tender_or_default(state, ui, who, id)?.basis(audience))
}

/// A notice when the lock sent states no digest (issued by an earlier
/// boussole): what it holds could not be verified.
pub fn unverified_lock(basis: &Basis, ui: Ui) -> Markup {
    html! {
        @if basis.lock == LockDigest::Unstated {
            p.notice role="status" { (ui.t(
                "Le verrou déposé a été émis par une version antérieure de boussole et n’indique pas l’empreinte de son contenu\u{202f}: son intégrité n’a pas pu être vérifiée (une modification faite à la main passerait inaperçue).",
                "The lock sent was issued by an earlier boussole and states no digest of its content: its integrity could not be verified (a change made by hand would go unnoticed).",
            )) }
        }
    }
}

/// The name a file is shown under: its last path component, as sent.
fn shown_name(name: &str) -> String {
    name.rsplit(['/', '\\']).next().unwrap_or(name).to_string()
}

/// Each file with the name it is shown under, made distinct: a second file
/// sent under a name already shown is `acme (2).xlsx`, so that each offer,
/// and the decisions taken on it, can be told apart in every report.
fn shown_names(files: Vec<upload::File>) -> Vec<(String, upload::File)> {
    let mut used = std::collections::BTreeSet::new();
    files
        .into_iter()
        .map(|f| {
            let name = shown_name(&f.name);
            let shown = (1..)
                .map(|n| match n {
                    1 => name.clone(),
                    n => match name.rsplit_once('.') {
                        Some((stem, ext)) if !stem.is_empty() => format!("{stem} ({n}).{ext}"),
                        _ => format!("{name} ({n})"),
                    },
                })
                .find(|s| !used.contains(s))
                .unwrap_or_default();
            used.insert(shown.clone());
            (shown, f)
        })
        .collect()
}

/// POST `/analyse`: checks the files and keeps the batch.
pub async fn submit(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    multipart: Result<Multipart, MultipartRejection>,
) -> Page {
    let sent = upload::read(&who, ui, multipart).await?;
    let none = || {
        ui.fail(
            StatusCode::BAD_REQUEST,
            ui.t(
                "Déposez au moins un fichier de réponse.",
                "Drop at least one returned file.",
            ),
        )
    };
    // Received in a dossier: kept there as received, then the dossier's
    // analysis, derived from what it keeps.
    if let Some(name) = sent.fields.get("dossier").filter(|n| !n.is_empty()) {
        let all = shown_names(sent.files_in("reponses").cloned().collect());
        let is_offer = |n: &str| !crate::evidence::may_be_evidence(std::path::Path::new(n));
        if !all.iter().any(|(n, _)| is_offer(n)) {
            return Err(none());
        }
        let lock = sent.files_in("verrou").next();
        if let Some(l) = lock {
            Lock::parse(&l.name, &String::from_utf8_lossy(&l.bytes))
                .map_err(|e| ui.fail(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
        }
        kept::receive(&state, ui, &who, name, &all, lock)?;
        return Ok(see_other(&kept::href(name)));
    }
    let basis = basis(&state, ui, &who, &sent, Audience::Vendor)?;
    let (evidence, files): (Vec<(String, upload::File)>, Vec<_>) =
        shown_names(sent.files_in("reponses").cloned().collect())
            .into_iter()
            .partition(|(name, _)| crate::evidence::may_be_evidence(std::path::Path::new(name)));
    if files.is_empty() {
        return Err(none());
    }
    let (isolate, jobs) = (state.config.isolate.clone(), state.config.jobs);
    let (basis, judged) = blocking(ui, move || {
        let results = report::in_parallel(&files, jobs, &|_| {}, |(name, f)| {
            let attached = crate::evidence::Attached::from_bytes(
                evidence
                    .iter()
                    .filter(|(e, _)| crate::evidence::goes_with(e, name, files.len()))
                    .map(|(e, b)| (e.as_str(), b.bytes.as_slice())),
            );
            report::check_bytes(name, &f.bytes, attached, &basis, isolate.as_deref())
        });
        let judged = report::report(&basis, Vec::new(), results);
        Ok((basis, judged))
    })
    .await?;
    let bytes = store::weight(&judged) + store::weight(&basis.selection);
    let batch = Batch {
        basis,
        judged,
        decisions: Mutex::new(BTreeMap::new()),
        marks: Mutex::new(BTreeMap::new()),
        dossier: None,
        revision: String::new(),
    };
    let id = store::keep(&state.batches, ui, &who, batch, bytes)?;
    Ok(see_other(&format!("/analyse/{id}")))
}

/// The batch `who` kept under `id`, or the analysis of the dossier it
/// names if they may read it.
pub async fn batch(state: &Shared, ui: Ui, who: &Visitor, id: &str) -> Result<Arc<Batch>, Fail> {
    match id.strip_prefix(kept::PREFIX) {
        Some(name) => kept::batch(state, ui, who, name).await,
        None => store::find(&state.batches, ui, who, id),
    }
}

/// The verdict in words, with a sign that does not rely on colour.
pub fn verdict(r: &FileReport, lang: Lang) -> Markup {
    let (class, sign) = match r.verdict {
        Some(Verdict::Compliant) => ("ok", "✓"),
        Some(Verdict::CompliantWithReservations) => ("reserve", "!"),
        Some(Verdict::Incomplete) => ("incomplete", "?"),
        Some(Verdict::NonCompliant) => ("ko", "✗"),
        None => ("ko", "✗"),
    };
    let label = match (r.verdict, lang) {
        (Some(v), _) => v.label(lang),
        (None, Lang::Fr) => "illisible",
        (None, Lang::En) => "unreadable",
    };
    html! { span class={ "verdict " (class) } { span aria-hidden="true" { (sign) " " } (label) } }
}

/// The vendor's name, or the file's when it gave none.
pub fn vendor_name(r: &FileReport) -> &str {
    let name = r.vendor.name.trim();
    if name.is_empty() { &r.file } else { name }
}

/// A score rounded to a tenth, in the page's language; `—` when none.
pub fn score(x: Option<f64>, lang: Lang) -> String {
    x.map_or("—".into(), |x| number((x * 10.0).round() / 10.0, lang))
}

/// The reports of a batch.
#[rustfmt::skip]
const FILES: &[Offered] = &[
    ("rapport.xlsx", ["Classeur d'analyse", "Scoring workbook"], [
        "les notes et un point à examiner par ligne, avec la colonne des décisions",
        "scores and one point to examine per row, with the decisions column"]),
    ("note-juridique.docx", ["Note juridique", "Legal memo"], [
        "un chapitre par offre, les non-conformités avec clause et base légale",
        "a chapter per offer, non-compliance with clause and legal basis"]),
    ("comparaison.xlsx", ["Comparaison (Excel)", "Comparison (Excel)"], [
        "le classement sur les critères de la boussole, avec graphiques",
        "the ranking on the compass criteria, with charts"]),
    ("comparaison.docx", ["Comparaison (Word)", "Comparison (Word)"], [
        "le même classement, pour le rapport d'analyse des offres",
        "the same ranking, for the offers analysis report"]),
    ("comparaison.md", ["Comparaison (Markdown)", "Comparison (Markdown)"], [
        "les tableaux seuls", "the tables only"]),
    ("rapport.md", ["Rapport (Markdown)", "Report (Markdown)"], [
        "le résumé lisible", "the readable summary"]),
    ("rapport.json", ["Rapport (JSON)", "Report (JSON)"], [
        "le rapport complet, pour d'autres outils (schema/report.schema.json)",
        "the full report, for other tools (schema/report.schema.json)"]),
];

/// GET `/analyse/{id}`: the results table, the radar and the downloads.
pub async fn results(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    Path(id): Path<String>,
) -> Page {
    let b = batch(&state, ui, &who, &id).await?;
    let made_room = state
        .batches
        .lock()
        .map(|s| ui.made_room(s.made_room(&id), s.cap()))
        .unwrap_or_default();
    let report = b.report();
    let lang = ui.lang;
    let criteria = &b.basis.selection.criteria;
    let title = ui.t("Résultats de l'analyse", "Results");
    let mut letters_offered = Vec::new();
    for (rank, r) in (1..)
        .zip(&report.results)
        .filter(|(_, r)| letters::needs_letter(r))
    {
        let name = letters::file_name(rank, r);
        letters_offered.push((
            format!("/analyse/{id}/fichiers/{name}"),
            format!(
                "{} — {}",
                ui.t("Demande de régularisation", "Regularisation request"),
                vendor_name(r)
            ),
            ui.t(
                "courrier à l'offre incomplète",
                "letter to the incomplete offer",
            )
            .into(),
        ));
    }
    let ranked = report
        .results
        .iter()
        .any(|r| r.judgment.as_ref().is_some_and(|j| j.rank.is_some()));
    let applied = report.decisions.as_ref().map_or(0, |d| d.applied);
    Ok(page::page(
        ui,
        title,
        "/analyse",
        html! {
            @if let Some(name) = &b.dossier {
                p { a href=(super::dossier::href(name)) { "← " (ui.t("Le dossier", "The dossier")) " " (name) } }
            }
            h1 { (title) }
            @if let Some(name) = &b.dossier {
                p.notice role="status" { (ui.t("Analyse du dossier", "Analysis of the dossier")) " " strong { (name) } (ui.t(
                    "\u{a0}: la dernière version de chaque réponse reçue, contre le dernier verrou du dossier. Elle est refaite à partir des fichiers gardés, même après un redémarrage de boussole.",
                    ": the latest version of each answer received, against the dossier's latest lock. It is made again from the files kept, even after boussole restarts.",
                )) }
            }
            (made_room)
            p.lead {
                (crate::text::counted(report.results.len(), ui.lang, ("fichier analysé", "fichiers analysés"), ("file checked", "files checked"))) " " (ui.t("contre", "against")) " "
                strong { (report.profile.reference) } " — " (b.basis.profile.tender.title)
                " (" (ui.t("bibliothèque", "library")) " " (report.library.version) ")."
            }
            (unverified_lock(&b.basis, ui))
            @if applied > 0 {
                p.notice role="status" { (crate::text::counted(applied, ui.lang, ("décision de la revue juridique appliquée", "décisions de la revue juridique appliquées"), ("legal review decision applied", "legal review decisions applied"))) (ui.t("\u{202f}: les verdicts et les notes en tiennent compte.", ": verdicts and scores take them into account.")) }
            }
            div.scroll role="region" aria-labelledby="tableau" tabindex="0" {
                table {
                    caption id="tableau" { (ui.t("Verdict, note boussole (sur 100), notes par critère et constats par gravité", "Verdict, compass score (out of 100), scores by criterion and findings by severity")) }
                    thead {
                        tr {
                            th scope="col" { (ui.t("Soumissionnaire", "Vendor")) }
                            th scope="col" { (ui.t("Verdict", "Verdict")) }
                            th scope="col" { (ui.t("Note boussole", "Compass score")) }
                            @for c in criteria { th scope="col" { span aria-hidden="true" { (ui.t("Crit. ", "Crit. ")) (c.order) } span.sr-only { (c.order) ". " (c.title.get(b.basis.lang)) } } }
                            th scope="col" { (ui.t("Éliminatoires", "Eliminatory")) }
                            th scope="col" { (ui.t("Majeurs", "Major")) }
                            th scope="col" { (ui.t("Mineurs", "Minor")) }
                            th scope="col" { (ui.t("Infos", "Info")) }
                        }
                    }
                    tbody {
                        @for (i, r) in report.by_standing() {
                            @let n = i + 1;
                            tr {
                                th scope="row" {
                                    a href={ "/analyse/" (id) "/offre/" (n) } { (vendor_name(r)) }
                                    br; span.file { (r.file) }
                                }
                                td { (verdict(r, lang)) }
                                td.num {
                                    (r.score_text(lang))
                                    br; span.file { (r.rank_text(lang)) }
                                }
                                @for c in criteria {
                                    td.num { (score(r.criteria.iter().find(|x| x.id == c.id).and_then(|x| x.score), lang)) }
                                }
                                td.num { (r.count(Severity::Eliminatory)) }
                                td.num { (r.count(Severity::Major)) }
                                td.num { (r.count(Severity::Minor)) }
                                td.num { (r.count(Severity::Info)) }
                            }
                        }
                    }
                }
            }
            h2 { (ui.t("Critères des colonnes « Crit. »", "Criteria of the “Crit.” columns")) }
            ol.criteria { @for c in criteria { li { (c.title.get(b.basis.lang)) } } }
            @if ranked {
                figure {
                    img src={ "/analyse/" (id) "/radar.png" } width="900"
                        alt=(ui.t("Radar des notes par critère des offres classées\u{a0}; les mêmes valeurs figurent dans le tableau.", "Radar of the ranked offers' scores by criterion; the same values are in the table."));
                    figcaption {
                        (ui.t("Notes par critère des offres conformes (avec ou sans réserves).", "Scores by criterion of the compliant offers (with or without reservations)."))
                        // on a narrow screen the picture shrinks past reading: its full size, one link away
                        " " a href={ "/analyse/" (id) "/radar.png" } { (ui.t("Voir le graphique en taille réelle", "See the chart at full size")) }
                    }
                }
            }
            @if !marks::elements(&b.judged).is_empty() {
                h2 { (ui.t("Notation de la commission", "Committee marks")) }
                p { a href={ "/analyse/" (id) "/notes" } { (ui.t("Noter les éléments en texte libre, de 0 à 4 selon les niveaux publiés", "Mark the free-text elements, 0 to 4 against the published levels")) } }
            }
            h2 { (ui.t("Revue juridique", "Legal review")) }
            p { a href={ "/analyse/" (id) "/revue" } { (ui.t("Décider des constats : constat levé, constat confirmé, précision demandée", "Decide on the findings: finding lifted, finding confirmed, clarification requested")) } }
            h2 { (ui.t("Télécharger les rapports", "Download the reports")) }
            (page::downloads(ui, (&format!("/analyse/{id}/fichiers/"), ""), FILES, &letters_offered))
            (kept::letters_sent(&state, ui, &who, &b, &report))
        },
    ))
}

/// GET `/analyse/{id}/radar.png`.
pub async fn radar(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    Path(id): Path<String>,
) -> Page {
    let b = batch(&state, ui, &who, &id).await?;
    let themes = state.config.library.themes.clone();
    let png = blocking(ui, move || {
        let report = b.report();
        let c = compare::build(&report, &b.basis, &themes);
        Ok(compare::document::radar(&c)?.png)
    })
    .await?;
    let mut response = page::download("radar.png", png);
    response
        .headers_mut()
        .remove(axum::http::header::CONTENT_DISPOSITION);
    Ok(response)
}

/// The regularisation letter named `file` (as [`letters::file_name`]
/// names it), made now; `None` when no offer needs one of that name.
pub fn letter(report: &Report, basis: &Basis, file: &str) -> Result<Option<Vec<u8>>, crate::Error> {
    let found = (1..)
        .zip(&report.results)
        .find(|(rank, r)| letters::needs_letter(r) && letters::file_name(*rank, r) == file);
    let Some((_, r)) = found else {
        return Ok(None);
    };
    let document = letters::document(report, basis, r, std::path::Path::new("profil.toml"))?;
    Ok(Some(docx::render(&document)?))
}

/// GET `/analyse/{id}/fichiers/{file}`: a report, made now with the
/// decisions recorded so far.
pub async fn download(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    Path((id, file)): Path<(String, String)>,
) -> Page {
    let b = batch(&state, ui, &who, &id).await?;
    let themes = state.config.library.themes.clone();
    let name = file.clone();
    let bytes = blocking(ui, move || {
        let report = b.report();
        let basis = &b.basis;
        let comparison = || compare::build(&report, basis, &themes);
        Ok(Some(match name.as_str() {
            "rapport.xlsx" => report::workbook::render(&report, basis)?,
            "note-juridique.docx" => report::memo::render(&report, basis)?,
            "comparaison.xlsx" => compare::workbook::render(&comparison())?,
            "comparaison.docx" => compare::document::docx(&comparison())?,
            "comparaison.md" => compare::document::markdown(&comparison())?.into_bytes(),
            "rapport.json" => report.to_json().into_bytes(),
            "rapport.md" => (report::text::render(&report, &basis.selection, basis.lang, true)
                + &decisions::summary(&report, basis.lang, true))
                .into_bytes(),
            letter => match self::letter(&report, basis, letter)? {
                Some(bytes) => bytes,
                None => return Ok(None),
            },
        }))
    })
    .await?
    .ok_or_else(|| ui.gone())?;
    Ok(page::download(&file, bytes))
}
