//! Printed models, remembered for the whole process: the files of one corpus share many
//! schemas (all of HighLevel's refer to the same common ones), and a model's text depends
//! on nothing but the model, so emit and format skip what any thread printed before,
//! whichever file it was for.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

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

/// Forgets everything printed so far.
pub fn forget() {
    printed().clear();
}
