//! Emits `models.rs`: one Rust type per IR model, with serde attributes, builders for
//! request types, open enums and tagged unions. Only `quote!`; every name and choice comes
//! from the IR.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident, type_tokens, Part};
use crate::ir::{
    Api, Enum, Field, Gate, IntegerEnum, Model, ModelKind, Piece, Presence, Struct, Tagged,
    TypeRef, Union,
};

/// `models.rs`: its imports, then one part per model, under the model's gate.
pub fn emit_models(api: &Api) -> impl Iterator<Item = Part<'_>> + '_ {
    let import = |piece: Piece, item: TokenStream| {
        api.runtime
            .has(piece)
            .then(|| Part::new(&api.runtime.gate(piece), item))
    };
    let imports = [
        import(
            Piece::Derives,
            quote!(
                use serde::{Deserialize, Serialize};
            ),
        ),
        import(
            Piece::Nullable,
            quote!(
                use crate::Nullable;
            ),
        ),
        import(
            Piece::Files,
            quote!(
                use crate::FilePart;
            ),
        ),
    ];
    let head = Part::new(
        &Gate::always(),
        quote! {
            //! Types of the request and response bodies, one per schema of the API description.
        },
    );
    std::iter::once(head)
        .chain(imports.into_iter().flatten())
        .chain(
            api.models
                .iter()
                .map(|model| match crate::memo::model(model) {
                    Some(text) => Part {
                        printed: Some(text),
                        ..Part::new(&Gate::always(), TokenStream::new())
                    },
                    None => Part {
                        model: Some(model.clone()),
                        ..Part::new(&model.gate, emit_model(model))
                    },
                }),
        )
}

fn emit_model(model: &Model) -> TokenStream {
    let name = ident(&model.rust_name);
    let doc = docs::attrs(&model.doc, &[]);
    match &model.kind {
        ModelKind::Struct(shape) => emit_struct(&name, doc, shape),
        ModelKind::Enum(values) => emit_enum(&name, doc, values),
        ModelKind::IntegerEnum(values) => emit_integer_enum(&name, doc, values),
        ModelKind::Union(union) => emit_union(&name, doc, union),
        ModelKind::Tagged(tagged) => emit_tagged(&name, doc, tagged),
        ModelKind::Alias(ty) => {
            let ty = type_tokens(ty);
            quote! { #doc pub type #name = #ty; }
        }
    }
}

/// The field's type as declared, with its presence wrapper.
fn field_type(field: &Field) -> TokenStream {
    let ty = type_tokens(&field.ty);
    match field.presence() {
        Presence::Required => ty,
        Presence::RequiredNullable | Presence::Optional => quote!(Option<#ty>),
        Presence::OptionalNullable => quote!(Nullable<#ty>),
    }
}

fn emit_struct(name: &proc_macro2::Ident, doc: TokenStream, shape: &Struct) -> TokenStream {
    let has_required = shape.fields.iter().any(|f| f.required);
    let derive_default = (!has_required).then(|| quote!(Default,));
    let derive_serde = shape.wire_format.then(|| quote!(Serialize, Deserialize,));
    let fields = shape.fields.iter().map(|field| {
        let field_name = ident(&field.rust_name);
        let ty = field_type(field);
        let doc = docs::attrs(&field.doc, &[]);
        let serde = shape.wire_format.then(|| field_serde(field)).flatten();
        quote! { #doc #serde pub #field_name: #ty, }
    });
    let extra = shape.extra.as_ref().map(|extra| {
        let extra_name = ident(&extra.rust_name);
        let ty = extra_map_type(&extra.value);
        let doc = " Fields the API description does not list, kept as received and sent back as they are.";
        quote! {
            #[doc = #doc]
            #[serde(flatten)]
            pub #extra_name: #ty,
        }
    });
    let builder = shape
        .builder
        .then(|| emit_builder(name, shape, has_required));
    let form = shape.multipart.then(|| emit_to_form(name, shape));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #derive_default #derive_serde)]
        pub struct #name {
            #(#fields)*
            #extra
        }
        #builder
        #form
    }
}

/// The parts of a multipart body: one per file, one per value (lists of values repeated,
/// objects as JSON parts), nothing for an unset field.
fn emit_to_form(name: &proc_macro2::Ident, shape: &Struct) -> TokenStream {
    let parts = shape.fields.iter().map(|field| {
        let field_name = ident(&field.rust_name);
        let wire = &field.wire_name;
        let file = |value: TokenStream| quote!(form = form.part(#wire, #value.to_part()?););
        match (&field.ty, field.required) {
            (TypeRef::File, true) => file(quote!(self.#field_name)),
            (TypeRef::File, false) => {
                let add = file(quote!(value));
                quote!(if let Some(value) = &self.#field_name { #add })
            }
            (TypeRef::Vec(inner), true) if **inner == TypeRef::File => {
                let add = file(quote!(value));
                quote!(for value in &self.#field_name { #add })
            }
            (TypeRef::Vec(inner), false) if **inner == TypeRef::File => {
                let add = file(quote!(value));
                quote!(for value in self.#field_name.iter().flatten() { #add })
            }
            _ => quote!(form = crate::multipart::add_value(form, #wire, &self.#field_name)?;),
        }
    });
    let deprecated = shape
        .fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    let doc = " The body's parts, as the request sends them.";
    quote! {
        impl #name {
            #[doc = #doc]
            #deprecated
            pub(crate) fn to_form<E>(&self) -> Result<reqwest::multipart::Form, crate::Error<E>> {
                let mut form = reqwest::multipart::Form::new();
                #(#parts)*
                Ok(form)
            }
        }
    }
}

fn extra_map_type(value: &TypeRef) -> TokenStream {
    match value {
        TypeRef::Json => quote!(serde_json::Map<String, serde_json::Value>),
        other => {
            let value = type_tokens(other);
            quote!(std::collections::BTreeMap<String, #value>)
        }
    }
}

fn field_serde(field: &Field) -> Option<TokenStream> {
    let mut parts = Vec::new();
    if field.rust_name != field.wire_name {
        let wire = &field.wire_name;
        parts.push(quote!(rename = #wire));
    }
    match field.presence() {
        Presence::Required | Presence::RequiredNullable => {}
        // Strings go in as values: a literal in a `quote!` template is lexed each time.
        Presence::Optional => {
            let skip = "Option::is_none";
            parts.push(quote!(default, skip_serializing_if = #skip));
        }
        Presence::OptionalNullable => {
            let skip = "Nullable::is_absent";
            parts.push(quote!(default, skip_serializing_if = #skip));
        }
    }
    (!parts.is_empty()).then(|| quote!(#[serde(#(#parts),*)]))
}

/// `new` with the required fields, and one setter per optional field.
fn emit_builder(name: &proc_macro2::Ident, shape: &Struct, has_required: bool) -> TokenStream {
    let constructor = has_required.then(|| {
        let required: Vec<&Field> = shape.fields.iter().filter(|f| f.required).collect();
        let params = required.iter().map(|field| {
            let field_name = ident(&field.rust_name);
            let ty = type_tokens(&field.ty);
            match field.presence() {
                Presence::RequiredNullable => quote!(#field_name: Option<#ty>),
                _ => quote!(#field_name: impl Into<#ty>),
            }
        });
        let inits = shape.fields.iter().map(|field| {
            let field_name = ident(&field.rust_name);
            match field.presence() {
                Presence::Required => quote!(#field_name: #field_name.into()),
                Presence::RequiredNullable => quote!(#field_name),
                Presence::Optional => quote!(#field_name: None),
                Presence::OptionalNullable => quote!(#field_name: Nullable::Absent),
            }
        });
        let extra_init = shape.extra.as_ref().map(|extra| {
            let extra_name = ident(&extra.rust_name);
            quote!(#extra_name: Default::default(),)
        });
        let too_many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        // Every field is set here, the deprecated ones too.
        let deprecated = shape
            .fields
            .iter()
            .any(|f| f.deprecated)
            .then(|| quote!(#[allow(deprecated)]));
        let doc = " Creates the value from its required fields; every optional field starts unset.";
        quote! {
            #[doc = #doc]
            #too_many
            #deprecated
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits,)* #extra_init }
            }
        }
    });
    let setters = shape.fields.iter().filter_map(|field| {
        let setter = ident(field.setter.as_ref()?);
        let field_name = ident(&field.rust_name);
        let ty = type_tokens(unboxed(&field.ty));
        let value = if matches!(field.ty, TypeRef::Box(_)) {
            quote!(Box::new(value.into()))
        } else {
            quote!(value.into())
        };
        let stored = match field.presence() {
            Presence::OptionalNullable => quote!(Nullable::Value(#value)),
            _ => quote!(Some(#value)),
        };
        let doc = format!(" Sets `{}`.", field.wire_name);
        let deprecation = field.deprecated.then(|| {
            let note = field
                .doc
                .deprecated
                .as_deref()
                .unwrap_or("deprecated by the API");
            quote!(#[deprecated(note = #note)] #[allow(deprecated)])
        });
        let null = field.null_setter.as_ref().map(|null_setter| {
            let null_setter = ident(null_setter);
            let doc = format!(
                " Sends `{}` as `null`, which clears it on the server.",
                field.wire_name
            );
            quote! {
                #[doc = #doc]
                #deprecation
                #[must_use]
                pub fn #null_setter(mut self) -> Self {
                    self.#field_name = Nullable::Null;
                    self
                }
            }
        });
        Some(quote! {
            #[doc = #doc]
            #deprecation
            #[must_use]
            pub fn #setter(mut self, value: impl Into<#ty>) -> Self {
                self.#field_name = #stored;
                self
            }
            #null
        })
    });
    quote! {
        impl #name {
            #constructor
            #(#setters)*
        }
    }
}

fn unboxed(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Box(inner) => inner,
        other => other,
    }
}

fn emit_enum(name: &proc_macro2::Ident, doc: TokenStream, values: &Enum) -> TokenStream {
    let fallback = ident(&values.fallback);
    let variants = values.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let doc = format!(" `{}`", variant.wire_value);
        quote!(#[doc = #doc] #variant_name,)
    });
    let to_str = values.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let wire = &variant.wire_value;
        quote!(#name::#variant_name => #wire,)
    });
    let from_str = values.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let wire = &variant.wire_value;
        quote!(#wire => #name::#variant_name,)
    });
    let fallback_doc = " A value the API description does not list, kept as received.";
    let as_str_doc = " The value as it is sent on the wire.";
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
            #[doc = #fallback_doc]
            #fallback(String),
        }

        impl #name {
            #[doc = #as_str_doc]
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    #name::#fallback(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => #name::#fallback(other.to_string()),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                // An unknown value keeps the string it came in.
                match #name::from(value.as_str()) {
                    #name::#fallback(_) => #name::#fallback(value),
                    known => known,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <String as serde::Deserialize>::deserialize(deserializer).map(#name::from)
            }
        }
    }
}

/// A whole-number enum: a newtype with one constant per documented value, so that any
/// other number the server sends is kept too.
fn emit_integer_enum(
    name: &proc_macro2::Ident,
    doc: TokenStream,
    values: &IntegerEnum,
) -> TokenStream {
    let constants = values.values.iter().map(|(constant, value)| {
        let constant = ident(constant);
        let doc = format!(" `{value}`");
        let value = proc_macro2::Literal::i64_unsuffixed(*value);
        quote!(#[doc = #doc] pub const #constant: #name = #name(#value);)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct #name(pub i64);

        impl #name {
            #(#constants)*
        }

        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                #name(value)
            }
        }
    }
}

fn emit_union(name: &proc_macro2::Ident, doc: TokenStream, union: &Union) -> TokenStream {
    let variants = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let ty = type_tokens(&variant.ty);
        let doc = docs::attrs(&variant.doc, &[]);
        quote!(#doc #variant_name(#ty),)
    });
    let from_impls = union
        .variants
        .iter()
        .filter(|v| v.from_impl)
        .map(|variant| {
            let variant_name = ident(&variant.rust_name);
            let (ty, value) = match &variant.ty {
                TypeRef::Box(inner) => (type_tokens(inner), quote!(Box::new(value))),
                other => (type_tokens(other), quote!(value)),
            };
            let from_str = (variant.ty == TypeRef::String).then(|| {
                quote! {
                    impl From<&str> for #name {
                        fn from(value: &str) -> Self {
                            #name::#variant_name(value.to_string())
                        }
                    }
                }
            });
            quote! {
                impl From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        #name::#variant_name(#value)
                    }
                }
                #from_str
            }
        });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#variants)*
        }
        #(#from_impls)*
    }
}

/// A union told apart by a tag property. Each variant is decoded from the whole object,
/// tag included (the variant's type usually declares it); an unknown tag is kept whole.
fn emit_tagged(name: &proc_macro2::Ident, doc: TokenStream, tagged: &Tagged) -> TokenStream {
    let property = &tagged.property;
    let fallback = ident(&tagged.fallback);
    let variants = tagged.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let ty = type_tokens(&variant.ty);
        let doc = format!(" `{property}: {}`", variant.tag);
        quote!(#[doc = #doc] #variant_name(#ty),)
    });
    let decode_arms = tagged.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let tag = &variant.tag;
        quote! {
            Some(#tag) => serde_json::from_value(value).map(#name::#variant_name).map_err(serde::de::Error::custom),
        }
    });
    let encode_arms = tagged.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let tag = &variant.tag;
        if variant.writes_tag {
            quote!(#name::#variant_name(value) => serde::Serialize::serialize(value, serializer),)
        } else {
            quote! {
                #name::#variant_name(value) => {
                    let mut encoded = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
                    if let Some(object) = encoded.as_object_mut() {
                        object.insert(#property.to_string(), serde_json::Value::from(#tag));
                    }
                    serde::Serialize::serialize(&encoded, serializer)
                }
            }
        }
    });
    let fallback_doc =
        format!(" A `{property}` the API description does not list, kept as received.");
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
            #[doc = #fallback_doc]
            #fallback(serde_json::Value),
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#encode_arms)*
                    #name::#fallback(value) => serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(serde_json::Value::as_str).map(str::to_string);
                match tag.as_deref() {
                    #(#decode_arms)*
                    _ => Ok(#name::#fallback(value)),
                }
            }
        }
    }
}
