//! Independent items worked on as many at a time as the machine has cores, each worker with
//! a stack as deep as the main thread's: lowering and emitting recurse with a spec's nesting.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

const WORKER_STACK: usize = 16 * 1024 * 1024;

/// How many items are worked on at a time.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `work` on every item, the results in the items' order. This thread is one of the
/// workers, so a worker that cannot start only slows the run down; `None` is the result
/// of an item whose worker stopped before giving it.
pub fn map<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<Option<R>> {
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let worker = || loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let Some(item) = items.get(index) else {
            break;
        };
        let result = work(item);
        if let Ok(mut slot) = results[index].lock() {
            *slot = Some(result);
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads().min(items.len()) {
            let builder = std::thread::Builder::new().stack_size(WORKER_STACK);
            let _ = builder.spawn_scoped(scope, worker);
        }
        worker();
    });
    results
        .into_iter()
        .map(|slot| slot.into_inner().ok().flatten())
        .collect()
}
