//! The tender profile: what one consultation declares.
//!
//! Same shape as the library: [`model`] (what a buyer writes), [`mod@load`] (the
//! embedded default or a file, through one reader) and [`check`] (every
//! problem named by field, and the warnings a buyer should read).

pub mod check;
pub mod load;
pub mod model;

pub use load::load;
pub use model::*;
