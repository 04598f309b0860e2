//! The compass library: criteria, themes, clauses and questions.
//!
//! The same shape as every area of boussole: [`model`] says what the library
//! holds, [`mod@load`] reads it (embedded in the binary, or a buyer's copy given
//! with `--library DIR`) through one loader, and [`lint`] judges it, with one
//! stable code per kind of problem. [`export`] writes the JSON contract
//! other tools rely on. [`citation`] prints a clause's references as a
//! reader expects them: each text named once, its articles after it.

pub mod citation;
pub mod export;
pub mod lint;
pub mod load;
pub mod model;

pub use load::{Source, load};
pub use model::*;
