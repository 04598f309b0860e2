//! Legal staff's decisions on the findings of a dossier's offers, kept as
//! data: each one a row appended with who recorded it and when, and an
//! entry in the audit trail; the latest on a finding is the one in force,
//! the earlier ones stay.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Store;
use super::db::values;
use super::db::{self, Sql};
use super::store::{Appended, existing};
use crate::Error;

/// The decision that withdraws the one before: the finding is without
/// decision again.
pub const WITHDRAWN: &str = "withdrawn";

/// One decision on a finding, as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decided {
    /// When it was recorded (UTC); set by [`Store::decide`].
    pub at: String,
    /// Who recorded it: the user name of the session; set by [`Store::decide`].
    pub who: String,
    /// The reviewer named with it.
    pub reviewer: String,
    /// The offer's file name, as kept in the dossier.
    pub offer: String,
    /// The SHA-256 of the offer's version the finding is of.
    pub sha256: String,
    /// The question of the finding.
    pub question: String,
    /// The finding's code (`rule_failed`…).
    pub code: String,
    /// `lifted`, `confirmed`, `clarification_requested`, or [`WITHDRAWN`].
    pub decision: String,
    /// Why, as typed.
    pub note: String,
}

impl Decided {
    /// The finding it is on: offer, version, question, code.
    pub fn finding(&self) -> (&str, &str, &str, &str) {
        (&self.offer, &self.sha256, &self.question, &self.code)
    }
}

/// The decision in force on each finding: the latest of `all` (oldest
/// first), unless it withdrew the one before.
pub fn in_force(all: &[Decided]) -> BTreeMap<(&str, &str, &str, &str), &Decided> {
    let mut last = BTreeMap::new();
    for d in all {
        last.insert(d.finding(), d);
    }
    last.retain(|_, d| d.decision != WITHDRAWN);
    last
}

impl Appended for Decided {
    const ACTION: &'static str = "decided";

    fn stamped(&self, at: &str, who: &str) -> Decided {
        Decided {
            at: at.to_string(),
            who: who.to_string(),
            ..self.clone()
        }
    }

    fn insert(&self, q: &mut impl Sql, id: i64) -> Result<(), db::Failed> {
        let d = self;
        q.exec(
            "INSERT INTO decisions
             (dossier, at, who, reviewer, offer, sha256, question, code, decision, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            values![
                id,
                &d.at,
                &d.who,
                &d.reviewer,
                &d.offer,
                &d.sha256,
                &d.question,
                &d.code,
                &d.decision,
                &d.note
            ],
        )
        .map(drop)
    }

    fn detail(&self) -> String {
        let d = self;
        let mut detail = format!(
            "{} — {} — {} — {}",
            d.offer, d.question, d.decision, d.reviewer
        );
        if !d.note.is_empty() {
            detail += &format!(" — {}", d.note);
        }
        detail
    }
}

impl Store {
    /// Appends `decisions` to the dossier `name`, each with an entry in its
    /// trail, in one transaction; their time and who recorded them are set
    /// here.
    pub fn decide(&mut self, name: &str, decisions: &[Decided]) -> Result<Vec<Decided>, Error> {
        self.append_all(name, decisions)
    }

    /// Every decision of the dossier `name`, oldest first.
    pub fn decisions(&self, name: &str) -> Result<Vec<Decided>, Error> {
        let path = self.path.clone();
        let id = existing(&mut *self.conn.borrow_mut(), &path, name)?;
        let rows = self.read(|c| {
            c.rows(
                "SELECT at, who, reviewer, offer, sha256, question, code, decision, note
                 FROM decisions WHERE dossier = ?1 ORDER BY id",
                values![id],
            )
        })?;
        Ok(rows
            .into_iter()
            .map(|r| Decided {
                at: r.text(0),
                who: r.text(1),
                reviewer: r.text(2),
                offer: r.text(3),
                sha256: r.text(4),
                question: r.text(5),
                code: r.text(6),
                decision: r.text(7),
                note: r.text(8),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(question: &str, decision: &str) -> Decided {
        Decided {
            at: String::new(),
            who: String::new(),
            reviewer: "Claire Martin".into(),
            offer: "acme.xlsx".into(),
            sha256: "0".repeat(64),
            question: question.into(),
            code: "rule_failed".into(),
            decision: decision.into(),
            note: String::new(),
        }
    }

    #[test]
    fn the_latest_decision_on_a_finding_is_in_force_and_the_earlier_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        store.create("d", "").unwrap();
        store
            .decide("d", &[on("Q1", "lifted"), on("Q2", "confirmed")])
            .unwrap();
        store
            .decide("d", &[on("Q1", "confirmed"), on("Q2", WITHDRAWN)])
            .unwrap();
        let all = store.decisions("d").unwrap();
        assert_eq!(all.len(), 4, "every decision kept");
        let force = in_force(&all);
        assert_eq!(force.len(), 1, "Q2's was withdrawn");
        assert_eq!(force.values().next().unwrap().decision, "confirmed");
        let trail = store.dossier("d").unwrap().audit;
        assert_eq!(trail.iter().filter(|e| e.action == "decided").count(), 4);
        // the rows cannot be changed nor deleted, nor hold another decision
        for sql in [
            "UPDATE decisions SET decision = 'lifted'",
            "DELETE FROM decisions",
            "INSERT INTO decisions (dossier, at, who, reviewer, offer, sha256, question, code, decision, note)
             VALUES (1, '', '', '', '', '', '', '', 'maybe', '')",
        ] {
            assert!(store.conn.borrow_mut().exec(sql, &[]).is_err(), "{sql}");
        }
        assert!(store.decide("inconnu", &[on("Q1", "lifted")]).is_err());
    }
}
