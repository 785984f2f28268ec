//! Emits the `examples` test of a generated crate: every example of the spec that fits its
//! schema must decode into its generated type and encode back to the same JSON.

use proc_macro2::TokenStream;
use quote::quote;

use super::{gate_attr, ident, type_tokens_in, Part};
use crate::ir::{Api, Gate};

/// `tests/examples/main.rs`.
pub fn emit_root() -> TokenStream {
    quote! {
        //! Round trips of the API description's examples: each decodes into its type and
        //! encodes back to the same JSON.

        #[rustfmt::skip]
        mod round_trips;
    }
}

/// `tests/examples/round_trips.rs`: its helpers, then one part per test.
pub fn emit_examples<'a>(api: &'a Api, crate_ident: &str) -> impl Iterator<Item = Part<'a>> + 'a {
    let crate_ident = ident(crate_ident);
    // Built without the features of every example's type, the helpers go too.
    let helpers = gate_attr(&api.examples_gate);
    let crate_use = api.examples_import.as_ref().map(|gate| {
        let gate = gate_attr(gate);
        quote!(#gate use #crate_ident::*;)
    });
    let root = quote!(#crate_ident);
    let tests = api.examples.iter().map(move |case| {
        let gate = gate_attr(&case.gate);
        let name = ident(&case.test_name);
        let ty = type_tokens_in(&case.ty, &root);
        let json = &case.json;
        let doc = format!(" The example at `{}`.", case.pointer);
        Part::new(
            &Gate::always(),
            quote! {
                #[doc = #doc]
                #[test]
                #gate
                fn #name() {
                    round_trip::<#ty>(#json);
                }
            },
        )
    });
    let head = quote! {
        //! One test per example; see the crate root.

        #helpers
        use serde::de::DeserializeOwned;
        #helpers
        use serde::Serialize;
        #helpers
        use serde_json::Value;

        #crate_use

        #helpers
        fn round_trip<T: DeserializeOwned + Serialize>(example: &str) {
            let expected: Value = serde_json::from_str(example).expect("the example is JSON");
            let decoded: T = serde_json::from_value(expected.clone()).expect("the example decodes");
            let encoded = serde_json::to_value(&decoded).expect("the decoded value encodes");
            assert!(same(&expected, &encoded), "the example changed in the round trip:\n{expected}\n{encoded}");
        }

        /// JSON equality where `8` and `8.0` are the same number, as they are in JSON.
        #helpers
        fn same(expected: &Value, actual: &Value) -> bool {
            match (expected, actual) {
                (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
                (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b)),
                (Value::Object(a), Value::Object(b)) => {
                    a.len() == b.len() && a.iter().all(|(key, value)| b.get(key).is_some_and(|other| same(value, other)))
                }
                (a, b) => a == b,
            }
        }
    };
    std::iter::once(Part::new(&Gate::always(), head)).chain(tests)
}
