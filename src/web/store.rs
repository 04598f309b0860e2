//! Work kept in memory between pages: a bounded number of items of each
//! kind, under random ids; the oldest goes when a new one comes.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::Error;

/// Items under random ids, at most `cap` of them.
pub struct Store<T> {
    items: VecDeque<(String, Arc<T>)>,
    cap: usize,
}

impl<T> Store<T> {
    /// An empty store keeping at most `cap` items.
    pub fn new(cap: usize) -> Store<T> {
        Store {
            items: VecDeque::new(),
            cap,
        }
    }

    /// Keeps `item`; its id.
    pub fn insert(&mut self, item: T) -> Result<String, Error> {
        let id = random_id()?;
        if self.items.len() >= self.cap {
            self.items.pop_front();
        }
        self.items.push_back((id.clone(), Arc::new(item)));
        Ok(id)
    }

    /// The item under `id`, if still kept.
    pub fn get(&self, id: &str) -> Option<Arc<T>> {
        self.items
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, item)| item.clone())
    }
}

impl<T> Store<T> {
    /// Every item kept, oldest first.
    pub fn list(&self) -> Vec<(String, Arc<T>)> {
        self.items.iter().cloned().collect()
    }
}

/// 128 random bits, in hex: ids nobody can guess, and the form token.
pub fn random_id() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Usage(format!("no random source for the server: {e}")))?;
    Ok(hex::encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_item_goes_first() {
        let mut store = Store::new(2);
        let a = store.insert("a").unwrap();
        let b = store.insert("b").unwrap();
        let c = store.insert("c").unwrap();
        assert!(store.get(&a).is_none());
        assert_eq!(store.get(&b).as_deref(), Some(&"b"));
        assert_eq!(store.get(&c).as_deref(), Some(&"c"));
        assert_ne!(b, c);
        assert_eq!(c.len(), 32);
    }
}
