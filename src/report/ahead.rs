//! Results worked out on a few threads ahead of the one that takes them,
//! in their order: the threads are started once for the whole batch, the
//! taking (writing a report) overlaps the work, and no more results wait in
//! memory than asked. [`super::in_parallel`] is the case where all may wait.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

/// Hands `consume` the results of `work` on each of `items`, in their
/// order, as an iterator: `work` runs on up to `jobs` threads (on the
/// calling thread when one is enough), at most `ahead` items beyond the
/// one `consume` waits for. When `consume` returns before the end, the
/// threads stop after the item in hand.
pub fn in_order<T: Sync, R: Send, O>(
    items: &[T],
    jobs: usize,
    ahead: usize,
    work: impl Fn(&T) -> R + Sync,
    consume: impl FnOnce(&mut dyn Iterator<Item = R>) -> O,
) -> O {
    if jobs <= 1 || items.len() <= 1 {
        return consume(&mut items.iter().map(work));
    }
    let shared = Shared {
        state: Mutex::new(State {
            ready: BTreeMap::new(),
            wanted: 0,
            stop: false,
        }),
        changed: Condvar::new(),
        ahead: ahead.max(1),
    };
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..jobs.min(items.len()) {
            s.spawn(|| {
                let _guard = StopOnPanic(&shared);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    if !shared.wait_for_room(i) {
                        break;
                    }
                    let result = work(item);
                    shared.lock().ready.insert(i, result);
                    shared.changed.notify_all();
                }
            });
        }
        let mut ordered = Ordered {
            shared: &shared,
            at: 0,
            len: items.len(),
        };
        let out = consume(&mut ordered);
        shared.lock().stop = true;
        shared.changed.notify_all();
        out
    })
}

/// What the threads and the consumer share.
struct Shared<R> {
    state: Mutex<State<R>>,
    changed: Condvar,
    ahead: usize,
}

struct State<R> {
    /// Results worked out, not yet consumed, by item.
    ready: BTreeMap<usize, R>,
    /// The item the consumer waits for.
    wanted: usize,
    /// Set when the consumer is done or a thread panicked.
    stop: bool,
}

impl<R> Shared<R> {
    fn lock(&self) -> MutexGuard<'_, State<R>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until item `i` is within `ahead` of the one wanted: whether
    /// to work on it (not when the consumer is done).
    fn wait_for_room(&self, i: usize) -> bool {
        let mut state = self.lock();
        while !state.stop && i >= state.wanted + self.ahead {
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        !state.stop
    }
}

/// The results in the items' order, each waited for.
struct Ordered<'s, R> {
    shared: &'s Shared<R>,
    at: usize,
    len: usize,
}

impl<R> Iterator for Ordered<'_, R> {
    type Item = R;

    fn next(&mut self) -> Option<R> {
        if self.at >= self.len {
            return None;
        }
        let mut state = self.shared.lock();
        let result = loop {
            if let Some(r) = state.ready.remove(&self.at) {
                break r;
            }
            if state.stop {
                return None; // a thread panicked: the scope will say so
            }
            state = (self.shared.changed.wait(state)).unwrap_or_else(|e| e.into_inner());
        };
        self.at += 1;
        state.wanted = self.at;
        drop(state);
        self.shared.changed.notify_all();
        Some(result)
    }
}

/// Stops the consumer and the other threads when a thread panics, rather
/// than leaving them waiting for its result.
struct StopOnPanic<'s, R>(&'s Shared<R>);

impl<R> Drop for StopOnPanic<'_, R> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.lock().stop = true;
            self.0.changed.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_order_whatever_the_threads() {
        let items: Vec<u64> = (0..500).collect();
        for (jobs, ahead) in [(1, 1), (2, 1), (3, 4), (8, 16)] {
            let seen = in_order(
                &items,
                jobs,
                ahead,
                |&i| {
                    // uneven work, so that threads finish out of order
                    std::hint::black_box((0..(i % 7) * 2_000).sum::<u64>());
                    i
                },
                |results| results.collect::<Vec<_>>(),
            );
            assert_eq!(seen, items, "{jobs} threads, {ahead} ahead");
        }
    }

    #[test]
    fn a_consumer_that_stops_early_stops_the_threads() {
        let items: Vec<usize> = (0..10_000).collect();
        let worked = AtomicUsize::new(0);
        let first = in_order(
            &items,
            2,
            4,
            |&i| {
                worked.fetch_add(1, Ordering::Relaxed);
                i * 2
            },
            |results| results.take(3).collect::<Vec<_>>(),
        );
        assert_eq!(first, [0, 2, 4]);
        // at most `ahead` beyond the last consumed, and the items in hand
        assert!(worked.load(Ordering::Relaxed) <= 3 + 4 + 2);
    }

    #[test]
    fn a_panicking_thread_does_not_leave_the_consumer_waiting() {
        let items: Vec<usize> = (0..100).collect();
        let outcome = std::panic::catch_unwind(|| {
            in_order(
                &items,
                2,
                4,
                |&i| {
                    assert!(i != 10, "item 10 cannot be worked out");
                    i
                },
                |results| results.count(),
            )
        });
        assert!(outcome.is_err());
    }
}
