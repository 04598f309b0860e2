//! The tender annex: the compass's clauses, as a buyer puts them in a tender.
//!
//! [`build`] turns a resolved [`Selection`] into a neutral
//! [`Document`]; [`crate::office`] renders it as DOCX or Markdown with the same
//! content. Three parts, each headed with the consultation document it goes
//! in: minimum requirements (CCTP), execution obligations (CCAP), award
//! criteria (RC). The award part prints the very scoring plan the checker
//! runs, and the minimum-requirements part lists exactly the questions that
//! plan makes eliminatory.

use serde::Deserialize;

use crate::library::Part;
use crate::office::document::{Block, Document, Span};
use crate::office::typography;
use crate::profile::Profile;
use crate::scoring;

use crate::selection::{SelectedClause, SelectedCriterion, SelectedQuestion, Selection};
use crate::text::{self, Lang, Text};

/// Definitions printed after the preamble, before the clauses that use them.
const DEFINITIONS: &str = include_str!("../templates/definitions.toml");

#[derive(Deserialize)]
struct Definitions {
    definition: Vec<Definition>,
}

#[derive(Deserialize)]
struct Definition {
    term: Text,
    text: Text,
    #[serde(default)]
    source: Option<String>,
}

/// The anchor of a part, for the contents and for reports.
pub fn part_anchor(part: Part) -> &'static str {
    match part {
        Part::MinimumRequirement => "partie-1",
        Part::Execution => "partie-2",
        Part::Award => "partie-3",
    }
}

/// The anchor of the list of eliminatory requirements of a criterion.
pub fn eliminatory_anchor(criterion: &str) -> String {
    format!("eliminatoires-{criterion}")
}

/// The parts of the annex, in order, with their numbers.
pub const PARTS: [(Part, u8); 3] = [
    (Part::MinimumRequirement, 1),
    (Part::Execution, 2),
    (Part::Award, 3),
];

/// The article number of each applicable clause (`2.5`: part 2, fifth
/// article; `7.5` when the profile's `[dce]` puts part 2 in article 7 of the
/// CCAP), as the annex prints them and reports cite them.
pub fn article_numbers(sel: &Selection) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    for (part, number) in PARTS {
        let host = match part {
            Part::MinimumRequirement => &sel.dce.cctp_article,
            Part::Execution => &sel.dce.ccap_article,
            Part::Award => &sel.dce.rc_article,
        };
        let number = host
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map_or(number.to_string(), str::to_string);
        let mut article = 0;
        for c in &sel.criteria {
            for clause in sel
                .clauses
                .iter()
                .filter(|x| x.criterion == c.id && x.part == part)
            {
                article += 1;
                out.insert(clause.id.clone(), format!("{number}.{article}"));
            }
        }
        for clause in contract_clauses(sel, part) {
            article += 1;
            out.insert(clause.id.clone(), format!("{number}.{article}"));
        }
    }
    out
}

/// The contract's own clauses of a part (no criterion), in library order:
/// printed after the criteria, the last one closing the part.
fn contract_clauses(sel: &Selection, part: Part) -> impl Iterator<Item = &SelectedClause> {
    sel.clauses
        .iter()
        .filter(move |x| x.criterion.is_empty() && x.part == part)
}

struct Writer<'a> {
    sel: &'a Selection,
    profile: &'a Profile,
    lang: Lang,
    doc: Document,
}

impl Writer<'_> {
    fn t(&self, fr: &str, en: &str) -> String {
        typography::apply(if self.lang == Lang::Fr { fr } else { en }, self.lang)
    }

    fn tx(&self, t: &Text) -> String {
        typography::apply(t.get(self.lang), self.lang)
    }

    fn num(&self, x: f64) -> String {
        text::number(x, self.lang)
    }

    fn question(&self, id: &str) -> Option<&SelectedQuestion> {
        self.sel.questions.iter().find(|q| q.id == id)
    }

    fn cover(&mut self) {
        let p = self.profile;
        let dce = &self.sel.dce;
        let title = self.t("Annexe « boussole de l'IA »", "\"AI compass\" annex");
        self.doc.push(Block::Title(title));
        let subtitle = self.t(
            "Clauses relatives à l'usage de l'intelligence artificielle",
            "Clauses on the use of artificial intelligence",
        );
        self.doc.spans(vec![Span::bold(subtitle)]);
        let place = dce.piece.clone().unwrap_or_else(|| {
            self.t(
                "Annexe commune au CCTP (partie 1), au CCAP (partie 2) et au RC (partie 3)",
                "Annex to the CCTP (part 1), the CCAP (part 2) and the RC (part 3)",
            )
        });
        let mut rows = Vec::new();
        if let Some(d) = &p.buyer.department {
            rows.push(vec![self.t("Service", "Department"), d.clone()]);
        }
        rows.push(vec![
            self.t("Consultation", "Tender"),
            p.tender.reference.clone(),
        ]);
        rows.push(vec![self.t("Objet", "Subject"), p.tender.title.clone()]);
        if let Some(lot) = &p.tender.lot {
            rows.push(vec![self.t("Lot", "Lot"), lot.clone()]);
        }
        if let Some(procedure) = &dce.procedure {
            rows.push(vec![self.t("Procédure", "Procedure"), procedure.clone()]);
        }
        rows.push(vec![
            self.t("Pièce du DCE", "Place in the tender documents"),
            place,
        ]);
        let hosts: Vec<String> = [
            ("CCTP", &dce.cctp_article, 1),
            ("CCAP", &dce.ccap_article, 2),
            ("RC", &dce.rc_article, 3),
        ]
        .iter()
        .filter_map(|(doc, article, part)| {
            article.as_ref().map(|a| match self.lang {
                Lang::Fr => format!("partie {part} : article {a} du {doc}"),
                Lang::En => format!("part {part}: article {a} of the {doc}"),
            })
        })
        .collect();
        if !hosts.is_empty() {
            rows.push(vec![
                self.t("Articles d'insertion", "Host articles"),
                hosts.join(" ; "),
            ]);
        }
        if let Some(launch) = p.dates.launch {
            rows.push(vec![
                self.t("Lancement", "Launch"),
                launch.in_words(self.lang),
            ]);
        }
        if let Some(due) = p.dates.offers_due {
            rows.push(vec![
                self.t("Date limite de remise des offres", "Deadline for offers"),
                due.in_words(self.lang),
            ]);
        }
        rows.push(vec![
            self.t("Référentiel", "Reference framework"),
            format!(
                "{} {}",
                self.t("boussole de l'IA, version", "AI compass, version"),
                self.sel.library_version
            ),
        ]);
        self.doc.push(Block::Table {
            header: vec![self.t("Acheteur", "Buyer"), p.buyer.name.clone()],
            rows,
            widths: vec![3, 7],
        });
        if self.lang == Lang::En {
            self.doc.spans(vec![Span::bold(
                "This English version is provided for information. The French version of this annex prevails.",
            )]);
        }
        self.doc.push(Block::Note(self.t(
            "Les identifiants entre crochets (clauses) et les numéros de question renvoient au questionnaire et aux rapports d'analyse des offres ; ils ne doivent pas être modifiés.",
            "Identifiers in brackets (clauses) and question numbers refer to the questionnaire and to the offer analysis reports; they must not be changed.",
        )));
    }

    fn preamble(&mut self) {
        self.doc
            .heading(1, self.t("Préambule", "Preamble"), "preambule");
        self.doc.para(self.t(
            &format!("{} encadre tout usage de l'intelligence artificielle par une « boussole de l'IA » : sept critères que chaque cas d'usage doit satisfaire et qui s'appliquent aux achats et aux renouvellements d'outils numériques.", self.profile.buyer.name),
            &format!("{} governs every use of artificial intelligence with an \"AI compass\": seven criteria each use case must meet, which apply when digital tools are bought or renewed.", self.profile.buyer.name),
        ));
        let items = self
            .sel
            .criteria
            .iter()
            .map(|c| {
                vec![
                    Span::bold(format!("{}. {}", c.order, self.tx(&c.title))),
                    Span::plain(format!(" — {}", self.tx(&c.summary))),
                ]
            })
            .collect();
        self.doc.push(Block::Bullets(items));
        self.doc.para(self.t(
            "La présente annexe comprend trois parties, chacune destinée à une pièce de la consultation : la partie 1 énonce les exigences minimales à reprendre dans le cahier des clauses techniques particulières (CCTP) ; la partie 2 les obligations d'exécution à reprendre dans le cahier des clauses administratives particulières (CCAP) ; la partie 3 les critères et sous-critères d'attribution, à reprendre dans le règlement de la consultation (RC), dont le texte prévaut. Les soumissionnaires répondent au questionnaire joint, dont chaque question porte le numéro cité ici.",
            "This annex has three parts, each meant for one consultation document: part 1 sets out the minimum requirements to be carried into the technical specifications (CCTP); part 2 the execution obligations to be carried into the special administrative conditions (CCAP); part 3 the award criteria and sub-criteria, to be carried into the consultation rules (RC), whose text prevails. Tenderers answer the attached questionnaire, whose questions bear the numbers cited here.",
        ));
    }

    fn article(&mut self, number: &str, c: &SelectedClause) {
        self.doc.push(Block::Heading {
            level: 3,
            text: format!(
                "{} {number} — {} [{}]",
                self.t("Article", "Article"),
                self.tx(&c.title),
                c.id
            ),
            anchor: Some(c.id.clone()),
        });
        let numbers = article_numbers(self.sel);
        let text = crate::library::cite_clauses(&self.tx(&c.text), |id| numbers.get(id).cloned());
        self.doc.para(text);
        let mut meta = Vec::new();
        meta.push(Span::bold(self.t("Fondement : ", "Legal basis: ")));
        meta.push(Span::plain(if c.legal.is_empty() {
            // Said rather than left out: a lawyer reads a missing basis as a
            // forgotten one.
            self.t(
                "stipulation propre au marché, qu'aucun texte n'impose. ",
                "a provision of this contract, which no legal text requires. ",
            )
        } else {
            let basis = crate::library::citation::grouped(c.legal.iter().map(|l| l.text.as_str()));
            format!("{} ", typography::apply(&basis, self.lang))
        }));
        if !c.questions.is_empty() {
            meta.push(Span::bold(
                self.t("Vérifié par les questions : ", "Verified by questions: "),
            ));
            meta.push(Span::plain(format!("{}.", c.questions.join(", "))));
        }
        if !meta.is_empty() {
            self.doc.spans(meta);
        }
    }

    /// The criterion sections of one part; `extra` adds what the part lists beyond its clauses.
    fn sections(&mut self, part: Part, extra: fn(&mut Self, &SelectedCriterion)) {
        let numbers = article_numbers(self.sel);
        for c in self.sel.criteria.clone() {
            let clauses_here = self
                .sel
                .clauses
                .iter()
                .any(|x| x.criterion == c.id && x.part == part);
            if part == Part::Award && c.weight == 0.0 && !clauses_here {
                continue;
            }
            let heading = format!(
                "{} {} — {}",
                self.t("Critère", "Criterion"),
                c.order,
                self.tx(&c.title)
            );
            self.doc
                .heading(2, heading, format!("{}-{}", part_anchor(part), c.id));
            let clauses: Vec<SelectedClause> = self
                .sel
                .clauses
                .iter()
                .filter(|x| x.criterion == c.id && x.part == part)
                .cloned()
                .collect();
            for clause in &clauses {
                let number = numbers.get(&clause.id).cloned().unwrap_or_default();
                self.article(&number, clause);
            }
            let before = self.doc.blocks.len();
            extra(self, &c);
            if clauses.is_empty() && self.doc.blocks.len() == before {
                self.doc.push(Block::Note(self.t(
                    "Aucune stipulation particulière au titre de ce critère.",
                    "No specific provision under this criterion.",
                )));
            }
        }
    }

    fn minimum_requirements(&mut self) {
        let title = self.t(
            "Partie 1 — Exigences minimales (à insérer au CCTP)",
            "Part 1 — Minimum requirements (for the CCTP)",
        );
        self.doc
            .heading(1, title, part_anchor(Part::MinimumRequirement));
        self.doc.para(self.t(
            "Les stipulations de la présente partie constituent des exigences minimales. Chacune des questions de régularité énumérées ci-dessous en vérifie une, ou l'acceptation d'une obligation d'exécution (partie 2) : une réponse contraire rend l'offre irrégulière, et l'offre est écartée sans être notée (articles L. 2152-1 et L. 2152-2 du code de la commande publique). Une réponse absente ou illisible à l'une de ces questions, ou l'absence d'une pièce justificative demandée, peut faire l'objet d'une demande de régularisation dans les conditions de l'article R. 2152-2, sans que l'offre puisse être modifiée dans ses caractéristiques substantielles. Les valeurs que le soumissionnaire déclare en application des autres stipulations sont appréciées au titre des critères d'attribution (partie 3).",
            "The provisions of this part are minimum requirements. Each of the regularity questions listed below checks one of them, or the acceptance of an execution obligation (part 2): an answer contrary to it makes the offer irregular, and the offer is set aside without being scored (articles L. 2152-1 and L. 2152-2 of the French public procurement code). A missing or unreadable answer to one of these questions, or a missing supporting document, may be the subject of a request to regularise under article R. 2152-2, without the offer's substantial characteristics being changed. The values the tenderer declares under the other provisions are assessed under the award criteria (part 3).",
        ));
        self.sections(Part::MinimumRequirement, Self::eliminatory_table);
    }

    fn eliminatory_table(&mut self, c: &SelectedCriterion) {
        let rows: Vec<Vec<String>> = self
            .sel
            .plan
            .regularity
            .iter()
            .filter_map(|id| self.question(id))
            .filter(|q| q.criterion == c.id)
            .map(|q| {
                let mut expected = q.rule_text.as_ref().map(|r| self.tx(r)).unwrap_or_default();
                if let Some(cond) = &q.condition {
                    let cond = self.sel.condition_in_words(cond, self.lang);
                    expected = typography::apply(&format!("{expected} ({cond})"), self.lang);
                }
                vec![q.id.clone(), self.tx(&q.text), expected]
            })
            .collect();
        if rows.is_empty() {
            return;
        }
        self.doc.push(Block::Heading {
            level: 3,
            text: self.t("Questions de régularité", "Regularity questions"),
            anchor: Some(eliminatory_anchor(&c.id)),
        });
        let header = vec![
            self.t("Question", "Question"),
            self.t("Exigence", "Requirement"),
            self.t("Réponse conforme", "Compliant answer"),
        ];
        self.doc.push(Block::Table {
            header,
            rows,
            widths: vec![15, 55, 30],
        });
    }

    fn execution(&mut self) {
        let title = self.t(
            "Partie 2 — Obligations d'exécution (à insérer au CCAP)",
            "Part 2 — Execution obligations (for the CCAP)",
        );
        self.doc.heading(1, title, part_anchor(Part::Execution));
        let d = &self.profile.dates;
        self.doc.para(self.t(
            &format!("Le titulaire exécute les obligations de la présente partie pendant toute la durée du marché, soit {} mois à compter du {}, et les reprend dans ses rapports annuels. Leur méconnaissance expose le titulaire aux pénalités et aux mesures prévues par les stipulations communes à l'ensemble du marché, à la fin de la présente partie, qui énumèrent aussi les pièces contractuelles et les dérogations au CCAG-TIC.", d.contract_months, d.contract_start.in_words(Lang::Fr)),
            &format!("The contractor performs the obligations of this part throughout the contract, that is {} months from {}, and reports on them every year. A breach exposes the contractor to the penalties and measures set by the provisions common to the whole contract, at the end of this part, which also list the contractual documents and the derogations from the CCAG-TIC.", d.contract_months, d.contract_start.in_words(Lang::En)),
        ));
        self.sections(Part::Execution, Self::followup_table);
        self.contract(Part::Execution);
    }

    /// The stipulations of the contract as a whole (contractual documents,
    /// penalties, termination, review, intellectual property, derogations
    /// from the CCAG-TIC), after the criteria's.
    fn contract(&mut self, part: Part) {
        let clauses: Vec<SelectedClause> = contract_clauses(self.sel, part).cloned().collect();
        if clauses.is_empty() {
            return;
        }
        let numbers = article_numbers(self.sel);
        self.doc.heading(
            2,
            self.t(
                "Stipulations communes à l'ensemble du marché",
                "Provisions common to the whole contract",
            ),
            format!("{}-marche", part_anchor(part)),
        );
        for clause in &clauses {
            let number = numbers.get(&clause.id).cloned().unwrap_or_default();
            self.article(&number, clause);
        }
    }

    fn followup_table(&mut self, c: &SelectedCriterion) {
        let rows: Vec<Vec<String>> = self
            .sel
            .questions
            .iter()
            .filter(|q| q.criterion == c.id)
            .filter_map(|q| {
                let f = q.followup.as_ref()?;
                let text = if self.lang == Lang::Fr { &f.fr } else { &f.en };
                Some(vec![
                    q.id.clone(),
                    typography::apply(text, self.lang),
                    text::unit_or_none(f.unit.as_deref(), self.lang),
                ])
            })
            .collect();
        if rows.is_empty() {
            return;
        }
        self.doc.spans(vec![Span::bold(
            self.t("Indicateurs du rapport annuel", "Yearly report indicators"),
        )]);
        let header = vec![
            self.t("Question", "Question"),
            self.t("Indicateur", "Indicator"),
            self.t("Unité", "Unit"),
        ];
        self.doc.push(Block::Table {
            header,
            rows,
            widths: vec![15, 67, 18],
        });
    }

    fn award(&mut self) {
        let title = self.t(
            "Partie 3 — Critères et sous-critères d'attribution (texte pour le RC, qui prévaut)",
            "Part 3 — Award criteria and sub-criteria (text for the RC, which prevails)",
        );
        self.doc.heading(1, title, part_anchor(Part::Award));
        let plan = &self.sel.plan;
        let share = self.num(plan.compass_share);
        self.doc.para(self.t(
            &format!("Le respect de la boussole de l'IA est noté sur 100 et compte pour {share} points sur les 100 de la note totale de l'offre. Les autres critères, dont le prix, et leur pondération sont fixés par le règlement de la consultation. Les sous-critères ci-dessous sont pondérés comme suit :"),
            &format!("Compliance with the AI compass is marked out of 100 and carries {share} points of the offer's total mark of 100. The other criteria, price included, and their weighting are set by the consultation rules. The sub-criteria below are weighted as follows:"),
        ));
        let rows = self
            .sel
            .criteria
            .iter()
            .filter(|c| c.weight > 0.0)
            .map(|c| {
                vec![
                    format!("{}. {}", c.order, self.tx(&c.title)),
                    format!("{} %", self.num(c.weight)),
                    self.num(c.weight * plan.compass_share / 100.0),
                    c.minimum
                        .map_or("—".into(), |m| format!("{} / 100", self.num(m))),
                ]
            })
            .collect();
        let header = vec![
            self.t("Sous-critère", "Sub-criterion"),
            self.t("Pondération (note boussole)", "Weight (compass mark)"),
            self.t("Points sur la note totale", "Points of the total mark"),
            self.t("Note minimale éliminatoire", "Eliminatory minimum"),
        ];
        self.doc.push(Block::Table {
            header,
            rows,
            widths: vec![46, 18, 18, 18],
        });
        let unscored: Vec<String> = self
            .sel
            .criteria
            .iter()
            .filter(|c| c.weight == 0.0)
            .map(|c| format!("{}. {}", c.order, self.tx(&c.title)))
            .collect();
        if !unscored.is_empty() {
            let list = unscored.join(" ; ");
            self.doc.para(self.t(
                &format!("Ne sont pas notés, parce que leur respect est une condition de régularité de l'offre (partie 1) : {list}."),
                &format!("Not scored, because meeting them is a condition of the offer's regularity (part 1): {list}."),
            ));
        }
        self.sections(Part::Award, Self::weights_table);
        self.reference_task();
        self.doc.heading(
            2,
            self.t("Formule de notation", "Scoring formula"),
            "formule",
        );
        let lines = plan
            .formula(self.lang)
            .iter()
            .map(|l| vec![Span::plain(typography::apply(l, self.lang))])
            .collect();
        self.doc.push(Block::Bullets(lines));
        self.committee();
        self.adaptations();
    }

    /// The reference task every tenderer states energy on, the yearly volume,
    /// and how the yearly energy is compared (when SOB-01 is scored).
    fn reference_task(&mut self) {
        const ENERGY: &str = "SOB-01";
        let counted = self
            .sel
            .plan
            .criteria
            .iter()
            .flat_map(|c| &c.questions)
            .any(|c| c.question == ENERGY);
        if !counted {
            return;
        }
        let task = &self.profile.reference_task;
        let volume = task.annual_volume.unwrap_or_default() as f64;
        self.doc.heading(
            2,
            self.t(
                "Tâche de référence et énergie annuelle",
                "Reference task and yearly energy",
            ),
            "tache-reference",
        );
        self.doc.para(self.t(
            "Chaque soumissionnaire établit l'énergie consommée par la solution sur la même tâche de référence, définie par l'acheteur :",
            "Every tenderer establishes the energy used by the solution on the same reference task, set by the buyer:",
        ));
        let tokens = |n: u32| {
            let n = self.num(f64::from(n));
            self.t(&format!("environ {n} jetons"), &format!("about {n} tokens"))
        };
        let rows = vec![
            vec![self.t("Tâche", "Task"), self.tx_plain(&task.description)],
            vec![
                self.t("Jeu de données de référence", "Reference data set"),
                self.tx_plain(&task.dataset),
            ],
            vec![
                self.t("Longueur des entrées", "Input length"),
                tokens(task.input_tokens),
            ],
            vec![
                self.t("Longueur des sorties", "Output length"),
                tokens(task.output_tokens),
            ],
            vec![
                self.t("Périmètre de mesure", "Measurement scope"),
                self.tx_plain(&task.perimeter),
            ],
            vec![
                self.t("Volume annuel de tâches", "Yearly volume of tasks"),
                self.t(
                    &format!("{} tâches par an", self.num(volume)),
                    &format!("{} tasks a year", self.num(volume)),
                ),
            ],
        ];
        self.doc.push(Block::Table {
            header: vec![self.t("Élément", "Item"), self.t("Valeur", "Value")],
            rows,
            widths: vec![30, 70],
        });
        let v = self.num(volume);
        let example = self.num(task.annual_kwh(180.0).unwrap_or_default());
        self.doc.para(self.t(
            &format!("L'énergie annuelle d'une offre est l'énergie déclarée pour 1 000 tâches (question {ENERGY}), en wattheures, multipliée par le volume annuel de {v} tâches et divisée par 1 000 000 : elle s'exprime en kilowattheures par an (par exemple, 180 Wh pour 1 000 tâches donnent {example} kWh par an). Les énergies annuelles des offres sont comparées selon l'échelle relative annoncée pour la question {ENERGY} : l'offre dont l'énergie annuelle est la plus basse obtient tous les points de l'élément ; une autre offre, ces points multipliés par le rapport entre l'énergie annuelle la plus basse et la sienne. Le volume étant le même pour toutes les offres, ce rapport est celui des valeurs déclarées pour 1 000 tâches."),
            &format!("An offer's yearly energy is the energy stated per 1,000 tasks (question {ENERGY}), in watt-hours, multiplied by the yearly volume of {v} tasks and divided by 1,000,000: it is expressed in kilowatt-hours a year (for instance, 180 Wh per 1,000 tasks give {example} kWh a year). The offers' yearly energies are compared on the relative scale announced for question {ENERGY}: the offer with the lowest yearly energy earns all the element's points; another offer, those points multiplied by the ratio of the lowest yearly energy to its own. As the volume is the same for every offer, that ratio is the one of the values stated per 1,000 tasks."),
        ));
        self.doc.para(self.t(
            "Une valeur estimée est comparée comme une valeur mesurée, mais la méthode qui l'établit est notée à part, selon l'échelle annoncée pour la question SOB-02 : une valeur mesurée sur la tâche de référence y est mieux notée qu'une valeur estimée. Une valeur déclarée sans son fichier de mesure ou sa note de calcul n'est pas créditée ; une valeur établie sur une autre tâche rend l'offre irrégulière (question SOB-15).",
            "An estimated value is compared as a measured one, but the method that establishes it is scored separately, on the scale announced for question SOB-02: a value measured on the reference task scores better there than an estimated one. A value stated without its measurement file or calculation note is not credited; a value established on another task makes the offer irregular (question SOB-15).",
        ));
    }

    /// A buyer's text from the profile, with French typography.
    fn tx_plain(&self, s: &str) -> String {
        typography::apply(s, self.lang)
    }

    /// The levels the evaluation committee marks free-text elements against.
    fn committee(&mut self) {
        let marked: Vec<&SelectedQuestion> = self
            .sel
            .plan
            .criteria
            .iter()
            .flat_map(|c| &c.questions)
            .filter(|c| c.scale == scoring::Scale::Committee)
            .filter_map(|c| self.question(&c.question))
            .collect();
        if marked.is_empty() {
            return;
        }
        // Each question is marked against its own levels: questions sharing
        // the same levels share one table.
        let mut groups: Vec<(Vec<String>, Vec<String>)> = Vec::new();
        for q in &marked {
            let levels = scoring::descriptors(&q.descriptors, self.lang);
            match groups.iter_mut().find(|(l, _)| *l == levels) {
                Some((_, ids)) => ids.push(q.id.clone()),
                None => groups.push((levels, vec![q.id.clone()])),
            }
        }
        self.doc.heading(
            2,
            self.t(
                "Éléments notés par la commission d'évaluation",
                "Elements marked by the evaluation committee",
            ),
            "commission",
        );
        self.doc.para(self.t(
            "Les réponses rédigées sont notées de 0 à 4 par la commission d'évaluation, chaque membre appréciant la réponse et la pièce jointe au regard des niveaux suivants ; la note retenue est celle que la commission arrête collégialement et motive. Aucune réponse n'est notée sur sa longueur.",
            "Written answers are marked from 0 to 4 by the evaluation committee, each member assessing the answer and the document attached against the following levels; the mark kept is the one the committee sets collectively, with its reasons. No answer is marked on its length.",
        ));
        let several = groups.len() > 1;
        for (levels, ids) in groups {
            if several {
                let list = ids.join(", ");
                let (fr, en) = if ids.len() == 1 {
                    (
                        format!("Niveaux de la question {list} :"),
                        format!("Levels of question {list}:"),
                    )
                } else {
                    (
                        format!("Niveaux des questions {list} :"),
                        format!("Levels of questions {list}:"),
                    )
                };
                // the lead-in stays on the page of its table
                let lead = self.t(&fr, &en);
                self.doc.push(Block::KeptWithNext(vec![Span::plain(lead)]));
            }
            let rows: Vec<Vec<String>> = levels
                .into_iter()
                .enumerate()
                .map(|(mark, d)| vec![mark.to_string(), typography::apply(&d, self.lang)])
                .collect();
            self.doc.push(Block::Table {
                header: vec![self.t("Note", "Mark"), self.t("Niveau", "Level")],
                rows,
                widths: vec![10, 90],
            });
        }
    }

    fn weights_table(&mut self, c: &SelectedCriterion) {
        let Some(plan) = self.sel.plan.criteria.iter().find(|p| p.criterion == c.id) else {
            return;
        };
        let rows: Vec<Vec<String>> = plan
            .questions
            .iter()
            .filter_map(|counted| {
                let q = self.question(&counted.question)?;
                let mut scale = self.scale(counted, q);
                if let Some(cond) = &q.condition {
                    let cond = self.sel.condition_in_words(cond, self.lang);
                    let noted = self.t("Élément noté", "Element scored");
                    scale = typography::apply(&format!("{scale} {noted} {cond}."), self.lang);
                }
                Some(vec![
                    q.id.clone(),
                    self.tx(&q.text),
                    counted.weight.to_string(),
                    scale,
                ])
            })
            .collect();
        if rows.is_empty() {
            return;
        }
        let total: u32 = plan.questions.iter().map(|q| q.weight).sum();
        self.doc.para(self.t(
            &format!("Éléments d'appréciation de ce sous-critère (somme des poids : {total}) :"),
            &format!("Elements assessed under this sub-criterion (sum of weights: {total}):"),
        ));
        let header = vec![
            self.t("Question", "Question"),
            self.t("Élément d'appréciation", "Element assessed"),
            self.t("Poids", "Weight"),
            self.t("Échelle de notation", "Scoring scale"),
        ];
        self.doc.push(Block::Table {
            header,
            rows,
            widths: vec![15, 39, 8, 38],
        });
    }

    /// An element's scale in words, exactly as [`scoring::score`] applies it.
    fn scale(&self, counted: &scoring::Counted, q: &SelectedQuestion) -> String {
        let rule = q.rule_text.as_ref().map(|r| self.tx(r));
        let element = scoring::Element {
            weight: counted.weight,
            unit: q.unit.as_deref(),
            choices: &q.choices,
            rule: rule.as_deref(),
        };
        typography::apply(&counted.scale.describe(&element, self.lang), self.lang)
    }

    fn adaptations(&mut self) {
        let rows: Vec<Vec<String>> = self
            .sel
            .questions
            .iter()
            .filter_map(|q| {
                q.justification
                    .as_ref()
                    .map(|j| vec![q.id.clone(), j.clone()])
            })
            .collect();
        if rows.is_empty() {
            return;
        }
        self.doc.heading(
            2,
            self.t(
                "Adaptations propres à la consultation",
                "Adaptations for this tender",
            ),
            "adaptations",
        );
        self.doc.para(self.t(
            "L'acheteur a modifié la gravité ou le poids des questions suivantes, pour les motifs indiqués :",
            "The buyer changed the severity or weight of the following questions, for the reasons given:",
        ));
        let header = vec![
            self.t("Question", "Question"),
            self.t("Justification", "Justification"),
        ];
        self.doc.push(Block::Table {
            header,
            rows,
            widths: vec![15, 85],
        });
    }

    fn definitions(&mut self) {
        self.doc
            .heading(1, self.t("Définitions", "Definitions"), "definitions");
        let defs: Definitions = toml::from_str(DEFINITIONS).unwrap_or(Definitions {
            definition: Vec::new(),
        });
        let rows = defs
            .definition
            .iter()
            .map(|d| {
                let mut text = self.tx(&d.text);
                if let Some(s) = &d.source {
                    text = format!("{text} ({s})");
                }
                vec![self.tx(&d.term), text]
            })
            .collect();
        let header = vec![self.t("Terme", "Term"), self.t("Définition", "Definition")];
        self.doc.push(Block::Table {
            header,
            rows,
            widths: vec![28, 72],
        });
    }
}

/// Identifiers (`BIO-01`, `[BIO-C01]`) with a no-break hyphen, so that no
/// line ends inside one.
fn hold_identifiers(doc: &mut Document) {
    // Identifiers, and the articles of a code (`L. 2152-2`, `R. 2152-11`).
    let id = regex::Regex::new(
        r"\b([A-Z]{2,5}|[LRD]\.\u{a0}[0-9]{4}|[LRD]\. [0-9]{4})-([A-Z]?[0-9]{1,2})\b",
    )
    .expect("a valid pattern");
    let hold = |s: &mut String| {
        if id.is_match(s) {
            *s = id.replace_all(s, "${1}\u{2011}${2}").into_owned();
        }
    };
    for block in &mut doc.blocks {
        match block {
            Block::Heading { text, .. } => hold(text),
            Block::Paragraph(spans) => spans.iter_mut().for_each(|s| hold(&mut s.text)),
            Block::Bullets(items) => items.iter_mut().flatten().for_each(|s| hold(&mut s.text)),
            Block::Table { rows, .. } => rows.iter_mut().flatten().for_each(hold),
            Block::Note(text) => hold(text),
            _ => {}
        }
    }
}

/// Builds the annex of a tender.
pub fn build(sel: &Selection, profile: &Profile, lang: Lang) -> Document {
    let title = match lang {
        Lang::Fr => format!("Annexe boussole de l'IA — {}", profile.tender.reference),
        Lang::En => format!("AI compass annex — {}", profile.tender.reference),
    };
    let doc = Document {
        title: title.clone(),
        subject: profile.tender.title.clone(),
        author: profile.buyer.name.clone(),
        keywords: "boussole; IA; commande publique; CCTP; CCAP; RC".into(),
        description: format!(
            "{} {} ({})",
            "boussole",
            sel.library_version,
            &sel.library_hash[..12]
        ),
        date: Some(profile.dates.launch.unwrap_or(profile.dates.award_date)),
        lang,
        landscape: false,
        header: format!(
            "{} — {}",
            profile.tender.reference,
            typography::apply(
                if lang == Lang::Fr {
                    "Annexe boussole de l'IA"
                } else {
                    "AI compass annex"
                },
                lang
            )
        ),
        custom: vec![
            (
                "boussole.library_version".into(),
                sel.library_version.clone(),
            ),
            ("boussole.library_hash".into(), sel.library_hash.clone()),
            ("boussole.profile_hash".into(), sel.profile_hash.clone()),
        ],
        blocks: Vec::new(),
    };
    let mut w = Writer {
        sel,
        profile,
        lang,
        doc,
    };
    w.cover();
    let contents_at = w.doc.blocks.len();
    w.doc.push(Block::PageBreak);
    w.preamble();
    w.definitions();
    w.minimum_requirements();
    w.execution();
    w.award();
    // The parts and what stands alone; a part's criteria are the same seven in each part.
    let entries = w
        .doc
        .contents()
        .into_iter()
        .filter(|(level, _, anchor)| *level == 1 || !anchor.starts_with("partie-"))
        .collect();
    let contents = vec![
        Block::Heading {
            level: 1,
            text: w.t("Sommaire", "Contents"),
            anchor: None,
        },
        Block::Contents(entries),
    ];
    w.doc.blocks.splice(contents_at..contents_at, contents);
    hold_identifiers(&mut w.doc);
    w.doc
}
