//! Printed text, remembered for the whole process: the files of one corpus share many
//! schemas (all of HighLevel's refer to the same common ones) and carry the same runtime
//! modules, and that text depends on nothing but the model (or the module's key), so emit
//! and format skip what any thread printed before, whichever file it was for.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use crate::ir::Model;

#[derive(Default)]
struct Printed {
    models: HashMap<Model, Arc<str>>,
    modules: HashMap<String, Arc<str>>,
}

static PRINTED: LazyLock<Mutex<Printed>> = LazyLock::new(Mutex::default);

/// A thread that panicked while holding the lock left the maps whole: every insert is one
/// call.
fn printed() -> MutexGuard<'static, Printed> {
    PRINTED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The text of `model`, when it was printed before.
pub fn model(model: &Model) -> Option<Arc<str>> {
    printed().models.get(model).cloned()
}

pub fn remember_model(model: Model, text: Arc<str>) {
    printed().models.insert(model, text);
}

/// The text of the runtime module with `key`, when it was printed before.
pub fn module(key: &str) -> Option<Arc<str>> {
    printed().modules.get(key).cloned()
}

pub fn remember_module(key: String, text: Arc<str>) {
    printed().modules.insert(key, text);
}

/// Forgets everything printed so far.
pub fn forget() {
    *printed() = Printed::default();
}
