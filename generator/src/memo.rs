//! Printed models, remembered for the whole process: the files of one corpus share many
//! schemas (all of HighLevel's refer to the same common ones), and a model's text depends
//! on nothing but the model, so emit and format skip what any thread printed before,
//! whichever file it was for. Doc comment lines are remembered too, as the literals they
//! become: the same descriptions come back on field after field, and escaping a line
//! char by char costs far more than finding it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use proc_macro2::Literal;

use crate::ir::Model;

/// Hashed with foldhash: a model is hashed whole, docs and fields, on every look-up.
type Printed = HashMap<Model, Arc<str>, foldhash::fast::RandomState>;

static PRINTED: LazyLock<Mutex<Printed>> = LazyLock::new(Mutex::default);

/// A thread that panicked while holding the lock left the map whole: every insert is one
/// call.
fn printed() -> MutexGuard<'static, Printed> {
    PRINTED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The text of `model`, when it was printed before.
pub fn model(model: &Model) -> Option<Arc<str>> {
    printed().get(model).cloned()
}

pub fn remember_model(model: Model, text: Arc<str>) {
    printed().insert(model, text);
}

/// Bumped by [`forget`]: what a thread remembers for itself from an earlier generation
/// (doc literals here, which cannot leave their thread, and [`crate::layout`]'s layouts) is
/// dropped when it next looks something up.
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// A thread's own cache, emptied first when it was filled in an earlier generation
/// ([`GENERATION`]).
pub fn this_generation<V>(cache: &mut (u64, Memo<V>)) -> &mut Memo<V> {
    let now = GENERATION.load(Ordering::Relaxed);
    if cache.0 != now {
        cache.1.clear();
        cache.0 = now;
    }
    &mut cache.1
}

/// A map by text, hashed with foldhash: its keys are hashed whole on every look-up.
pub type Memo<V> = HashMap<String, V, foldhash::fast::RandomState>;

thread_local! {
    static DOC_LITERALS: RefCell<(u64, Memo<Literal>)> = RefCell::default();
}

/// The literal of the `#[doc]` attribute for one line of a doc comment: the line after a
/// space, or nothing for an empty line.
pub fn doc_literal(line: &str) -> Literal {
    DOC_LITERALS.with_borrow_mut(|cache| {
        let literals = this_generation(cache);
        if let Some(literal) = literals.get(line) {
            return literal.clone();
        }
        let literal = Literal::string(&doc_text(line));
        literals.insert(line.to_string(), literal.clone());
        literal
    })
}

/// A doc comment line as its attribute holds it: after a space, as `///` writes it.
fn doc_text(line: &str) -> String {
    if line.is_empty() {
        String::new()
    } else {
        format!(" {line}")
    }
}

/// Forgets everything printed so far.
pub fn forget() {
    printed().clear();
    GENERATION.fetch_add(1, Ordering::Relaxed);
}
