//! Printed models, remembered per thread: the files of one corpus share many schemas (all of
//! HighLevel's refer to the same common ones), and a model's text depends on nothing but
//! the model, so emit and format skip a model they have printed before.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::ir::Model;

thread_local! {
    static PRINTED: RefCell<HashMap<Model, Rc<str>>> = RefCell::default();
}

/// The text of `model`, when this thread printed it before.
pub fn printed(model: &Model) -> Option<Rc<str>> {
    PRINTED.with(|printed| printed.borrow().get(model).cloned())
}

/// Forgets what this thread printed.
pub fn forget() {
    PRINTED.with(|printed| printed.borrow_mut().clear());
}

pub fn remember(model: Model, text: Rc<str>) {
    PRINTED.with(|printed| {
        printed.borrow_mut().insert(model, text);
    });
}
