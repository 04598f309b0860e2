//! Work kept in memory between pages: a bounded number of items of each
//! kind, and a bounded size, under random ids; the oldest go first when a
//! new one needs room. On a shared server each item belongs to the account
//! that made it: another account finds nothing under its id.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;

use super::access::Visitor;
use super::page::{Fail, Ui};
use crate::Error;

/// How many ids of items let go are remembered, to say why they are gone.
const REMEMBERED: usize = 1024;

/// Items under random ids: at most `count` of them, and at most `bytes`
/// bytes all together (the newest is kept even when larger on its own).
pub struct Store<T> {
    items: VecDeque<Kept<T>>,
    count: usize,
    bytes: usize,
    /// Ids of items let go to make room, newest last.
    dropped: VecDeque<String>,
}

struct Kept<T> {
    id: String,
    /// Whose it is ([`Visitor::owner`]: empty on the local page).
    owner: String,
    item: Arc<T>,
    bytes: usize,
    /// How many older items were let go to keep it.
    made_room: usize,
}

impl<T> Store<T> {
    /// An empty store keeping at most `count` items and `bytes` bytes.
    pub fn new(count: usize, bytes: usize) -> Store<T> {
        Store {
            items: VecDeque::new(),
            count,
            bytes,
            dropped: VecDeque::new(),
        }
    }

    /// Keeps `item`, whose size is `bytes`, letting the oldest go while
    /// there is no room; its id and how many items were let go.
    pub fn insert(&mut self, item: T, bytes: usize, owner: &str) -> Result<(String, usize), Error> {
        let id = random_id()?;
        let mut dropped = 0;
        while !self.items.is_empty()
            && (self.items.len() >= self.count || self.size() + bytes > self.bytes)
        {
            if let Some(old) = self.items.pop_front() {
                if self.dropped.len() >= REMEMBERED {
                    self.dropped.pop_front();
                }
                self.dropped.push_back(old.id);
                dropped += 1;
            }
        }
        self.items.push_back(Kept {
            id: id.clone(),
            owner: owner.to_string(),
            item: Arc::new(item),
            bytes,
            made_room: dropped,
        });
        Ok((id, dropped))
    }

    /// The item under `id`, if still kept and `owner`'s.
    pub fn get(&self, id: &str, owner: &str) -> Option<Arc<T>> {
        self.items
            .iter()
            .find(|k| k.id == id && k.owner == owner)
            .map(|k| k.item.clone())
    }

    /// How many older items were let go to keep the item under `id`.
    pub fn made_room(&self, id: &str) -> usize {
        self.items
            .iter()
            .find(|k| k.id == id)
            .map_or(0, |k| k.made_room)
    }

    /// Whether the item under `id` was let go to make room.
    pub fn was_dropped(&self, id: &str) -> bool {
        self.dropped.iter().any(|d| d == id)
    }

    /// The size of the items kept, in bytes.
    pub fn size(&self) -> usize {
        self.items.iter().map(|k| k.bytes).sum()
    }

    /// The most this store keeps, in bytes.
    pub fn cap(&self) -> usize {
        self.bytes
    }

    /// Every item of `owner`'s kept, oldest first.
    pub fn list(&self, owner: &str) -> Vec<(String, Arc<T>)> {
        self.items
            .iter()
            .filter(|k| k.owner == owner)
            .map(|k| (k.id.clone(), k.item.clone()))
            .collect()
    }
}

/// The item under `id` in `store`, if `who`'s, or the page saying it is
/// gone (and why).
pub fn find<T>(store: &Mutex<Store<T>>, ui: Ui, who: &Visitor, id: &str) -> Result<Arc<T>, Fail> {
    let store = store
        .lock()
        .map_err(|_| ui.fail(StatusCode::INTERNAL_SERVER_ERROR, "lock"))?;
    match store.get(id, who.owner()) {
        Some(item) => Ok(item),
        None if store.was_dropped(id) => Err(ui.forgotten(store.cap())),
        None => Err(ui.gone()),
    }
}

/// Keeps `item` of size `bytes` in `store`, as `who`'s; its id.
pub fn keep<T>(
    store: &Mutex<Store<T>>,
    ui: Ui,
    who: &Visitor,
    item: T,
    bytes: usize,
) -> Result<String, Fail> {
    let (id, _) = store
        .lock()
        .map_err(|_| ui.fail(StatusCode::INTERNAL_SERVER_ERROR, "lock"))?
        .insert(item, bytes, who.owner())
        .map_err(|e| ui.fail(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(id)
}

/// The size of `value` as JSON: what a kept item is measured by.
pub fn weight(value: &impl serde::Serialize) -> usize {
    serde_json::to_vec(value).map_or(0, |v| v.len())
}

/// 128 random bits, in hex: ids nobody can guess, the form token and the
/// page's secrets.
pub fn random_id() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Usage(format!("no random source for the server: {e}")))?;
    Ok(hex::encode(bytes))
}

/// Whether two secrets are equal, compared in constant time.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_item_goes_first() {
        let mut store = Store::new(2, 100);
        let (a, _) = store.insert("a", 1, "").unwrap();
        let (b, _) = store.insert("b", 1, "").unwrap();
        let (c, dropped) = store.insert("c", 1, "").unwrap();
        assert_eq!(dropped, 1);
        assert!(store.get(&a, "").is_none());
        assert!(store.was_dropped(&a));
        assert_eq!(store.get(&b, "").as_deref(), Some(&"b"));
        assert_eq!(store.get(&c, "").as_deref(), Some(&"c"));
        assert_ne!(b, c);
        assert_eq!(c.len(), 32);
    }

    #[test]
    fn an_item_belongs_to_whoever_kept_it() {
        let mut store = Store::new(5, 100);
        let (a, _) = store.insert("a", 1, "marie").unwrap();
        store.insert("b", 1, "paul").unwrap();
        assert_eq!(store.get(&a, "marie").as_deref(), Some(&"a"));
        assert!(
            store.get(&a, "paul").is_none(),
            "another account finds nothing"
        );
        assert!(store.get(&a, "").is_none());
        assert_eq!(store.list("paul").len(), 1);
        assert_eq!(store.list("marie")[0].0, a);
    }

    #[test]
    fn items_go_when_their_bytes_pass_the_cap() {
        let mut store = Store::new(20, 100);
        let (a, _) = store.insert("a", 40, "").unwrap();
        let (b, _) = store.insert("b", 40, "").unwrap();
        let (c, dropped) = store.insert("c", 50, "").unwrap();
        assert_eq!(dropped, 1, "a goes, b stays");
        assert_eq!(store.made_room(&c), 1);
        assert_eq!(store.made_room(&b), 0);
        assert!(
            store.was_dropped(&a) && store.get(&b, "").is_some() && store.get(&c, "").is_some()
        );
        assert_eq!(store.size(), 90);
        // Larger than the cap on its own: kept, every other one let go.
        let (d, dropped) = store.insert("d", 500, "").unwrap();
        assert_eq!(dropped, 2);
        assert_eq!(store.list("").len(), 1);
        assert!(store.get(&d, "").is_some());
    }
}
