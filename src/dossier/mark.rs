//! The evaluation committee's marks on the elements of a dossier's offers
//! it marks (the free-text answers boussole never marks), kept as data:
//! each one a row appended with who recorded it and when, and an entry in
//! the audit trail; the latest on an element is the one in force, the
//! earlier ones stay. A mark of `None` withdraws the one before.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Store;
use super::db::values;
use super::db::{self, Sql};
use super::store::{Appended, existing};
use crate::Error;

/// One mark on an element of an offer, as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Marked {
    /// When it was recorded (UTC); set by [`Store::mark`].
    pub at: String,
    /// Who recorded it; set by [`Store::mark`].
    pub who: String,
    /// The offer's file name, as kept in the dossier.
    pub offer: String,
    /// The SHA-256 of the offer's version marked.
    pub sha256: String,
    /// The question of the element.
    pub question: String,
    /// The mark, 0 to 4; `None` withdraws the mark before.
    pub mark: Option<u8>,
    /// The committee's reasons, as typed.
    pub reasons: String,
}

impl Marked {
    /// The element it is on: offer, version, question.
    pub fn element(&self) -> (&str, &str, &str) {
        (&self.offer, &self.sha256, &self.question)
    }
}

/// The mark in force on each element: the latest of `all` (oldest first),
/// unless it withdrew the one before.
pub fn marks_in_force(all: &[Marked]) -> BTreeMap<(&str, &str, &str), &Marked> {
    let mut last = BTreeMap::new();
    for m in all {
        last.insert(m.element(), m);
    }
    last.retain(|_, m| m.mark.is_some());
    last
}

impl Appended for Marked {
    const ACTION: &'static str = "marked";

    fn stamped(&self, at: &str, who: &str) -> Marked {
        Marked {
            at: at.to_string(),
            who: who.to_string(),
            ..self.clone()
        }
    }

    fn insert(&self, q: &mut impl Sql, id: i64) -> Result<(), db::Failed> {
        let m = self;
        q.exec(
            "INSERT INTO marks (dossier, at, who, offer, sha256, question, mark, reasons)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            values![
                id,
                &m.at,
                &m.who,
                &m.offer,
                &m.sha256,
                &m.question,
                m.mark,
                &m.reasons
            ],
        )
        .map(drop)
    }

    fn detail(&self) -> String {
        let mark = self
            .mark
            .map_or_else(|| "—".to_string(), |v| format!("{v}/4"));
        let mut detail = format!("{} — {} — {mark}", self.offer, self.question);
        if !self.reasons.is_empty() {
            detail += &format!(" — {}", self.reasons);
        }
        detail
    }
}

impl Store {
    /// Appends `marks` to the dossier `name`, each with an entry in its
    /// trail, in one transaction; their time and who recorded them are set
    /// here. A mark outside 0 to 4 is refused, and nothing is kept.
    pub fn mark(&mut self, name: &str, marks: &[Marked]) -> Result<Vec<Marked>, Error> {
        if let Some(m) = marks.iter().find(|m| m.mark.is_some_and(|v| v > 4)) {
            return Err(Error::Usage(format!(
                "{} ({}): a mark is 0 to 4",
                m.question, m.offer
            )));
        }
        self.append_all(name, marks)
    }

    /// Every mark of the dossier `name`, oldest first.
    pub fn marks(&self, name: &str) -> Result<Vec<Marked>, Error> {
        let path = self.path.clone();
        let id = existing(&mut *self.conn.borrow_mut(), &path, name)?;
        let rows = self.read(|c| {
            c.rows(
                "SELECT at, who, offer, sha256, question, mark, reasons
                 FROM marks WHERE dossier = ?1 ORDER BY id",
                values![id],
            )
        })?;
        Ok(rows
            .into_iter()
            .map(|r| Marked {
                at: r.text(0),
                who: r.text(1),
                offer: r.text(2),
                sha256: r.text(3),
                question: r.text(4),
                mark: r.opt_int(5).and_then(|m| u8::try_from(m).ok()),
                reasons: r.text(6),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(question: &str, mark: Option<u8>) -> Marked {
        Marked {
            at: String::new(),
            who: String::new(),
            offer: "acme.xlsx".into(),
            sha256: "ab".repeat(32),
            question: question.into(),
            mark,
            reasons: String::new(),
        }
    }

    #[test]
    fn the_latest_mark_on_an_element_is_in_force_and_a_withdrawal_clears_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        store.create("d", "").unwrap();
        store.act_as("claire");
        store
            .mark("d", &[on("Q1", Some(2)), on("Q2", Some(4))])
            .unwrap();
        store
            .mark("d", &[on("Q1", Some(3)), on("Q2", None)])
            .unwrap();
        let all = store.marks("d").unwrap();
        assert_eq!(all.len(), 4, "every mark stays");
        assert!(all.iter().all(|m| m.who == "claire" && !m.at.is_empty()));
        let force = marks_in_force(&all);
        assert_eq!(force.len(), 1);
        assert_eq!(force.values().next().unwrap().mark, Some(3));
        let err = store.mark("d", &[on("Q3", Some(5))]).unwrap_err();
        assert!(err.to_string().contains("a mark is 0 to 4"), "{err}");
        assert_eq!(store.marks("d").unwrap().len(), 4, "nothing kept");
        let trail = store.dossier("d").unwrap().audit;
        assert_eq!(trail.iter().filter(|e| e.action == "marked").count(), 4);
        let changed = store
            .conn
            .borrow_mut()
            .exec("UPDATE marks SET mark = 0", &[])
            .unwrap_err();
        assert!(changed.to_string().contains("appended"), "{changed}");
    }
}
