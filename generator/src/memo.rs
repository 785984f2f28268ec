//! Printed text, remembered per thread: the files of one corpus share many schemas (all of
//! HighLevel's refer to the same common ones) and carry the same runtime modules, and that
//! text depends on nothing but the model (or the module's key), so emit and format skip
//! what they have printed before.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::ir::Model;

thread_local! {
    static MODELS: RefCell<HashMap<Model, Rc<str>>> = RefCell::default();
    static MODULES: RefCell<HashMap<String, Rc<str>>> = RefCell::default();
}

/// The text of `model`, when this thread printed it before.
pub fn model(model: &Model) -> Option<Rc<str>> {
    MODELS.with(|printed| printed.borrow().get(model).cloned())
}

pub fn remember_model(model: Model, text: Rc<str>) {
    MODELS.with(|printed| {
        printed.borrow_mut().insert(model, text);
    });
}

/// The text of the runtime module with `key`, when this thread printed it before.
pub fn module(key: &str) -> Option<Rc<str>> {
    MODULES.with(|printed| printed.borrow().get(key).cloned())
}

pub fn remember_module(key: String, text: Rc<str>) {
    MODULES.with(|printed| {
        printed.borrow_mut().insert(key, text);
    });
}

/// Forgets everything this thread printed.
pub fn forget() {
    MODELS.with(|printed| printed.borrow_mut().clear());
    MODULES.with(|printed| printed.borrow_mut().clear());
}
