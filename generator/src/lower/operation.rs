//! Lowering of operations: method and helper names, documentation, the path template, and
//! the pieces that other modules lower (parameters, bodies, responses, security).

use super::security::Credentials;
use super::Lowerer;
use crate::document::{PathItem, StatusKey};
use crate::ir::{Docs, Operation, PathSegment, ResponseBody};
use crate::names::{self, NameSet};

/// The methods `reqwest::Method` has a constant for.
const STANDARD_METHODS: &[&str] = &[
    "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "CONNECT",
];

impl<'a> Lowerer<'a> {
    pub(super) fn lower_operations(&mut self, credentials: &Credentials) -> Vec<Operation> {
        let mut method_names = NameSet::with_reserved(names::reserved_methods());
        let mut operations = Vec::new();
        let doc = self.doc;
        for (path, item) in &doc.paths {
            for operation in &item.operations {
                let base = match &operation.operation_id {
                    Some(id) => names::snake(id, "operation"),
                    None => names::snake(&format!("{} {path}", operation.method), "operation"),
                };
                let rust_name = method_names.claim(&base);
                operations.push(self.lower_operation(
                    rust_name,
                    path,
                    item,
                    operation,
                    credentials,
                ));
            }
        }
        // Helpers are named after every operation has its name, so an operation is never
        // renamed because another one's helper took its name first.
        let mut decode_names = NameSet::with_reserved(names::reserved_functions());
        for operation in &mut operations {
            operation.request_fn = method_names.claim(&names::request_method(&operation.rust_name));
            operation.decode_fn = decode_names.claim(&names::decode_function(&operation.rust_name));
            let upgrades = operation
                .success
                .iter()
                .any(|response| response.body == ResponseBody::Upgrade);
            if !upgrades {
                operation.with_response_fn = Some(method_names.claim(&names::snake(
                    &format!("{} with response", operation.rust_name),
                    "with_response",
                )));
            }
            let downloads = operation
                .success
                .iter()
                .any(|response| response.body == ResponseBody::Bytes);
            if downloads {
                operation.stream_fn = Some(method_names.claim(&names::snake(
                    &format!("{} stream", operation.rust_name),
                    "stream",
                )));
            }
        }
        operations
    }

    fn lower_operation(
        &mut self,
        rust_name: String,
        path: &str,
        item: &'a PathItem,
        operation: &'a crate::document::Operation,
        credentials: &Credentials,
    ) -> Operation {
        let type_stem = names::pascal(&rust_name, "Operation", "Op");
        let pointer = operation.pointer.clone();
        let method = crate::document::wire_method(&operation.method);
        let mut notes = vec![format!("`{method} {path}`")];
        let security = self.operation_security(operation, credentials, &mut notes);
        let takes_provided_token = security
            .iter()
            .flatten()
            .any(|index| credentials[*index].kind == crate::ir::CredentialKind::Bearer);
        let summary = operation.summary.clone().or_else(|| item.summary.clone());
        let description = operation
            .description
            .clone()
            .or_else(|| item.description.clone())
            .filter(|description| Some(description.trim()) != summary.as_deref().map(str::trim));
        let doc = Docs {
            summary,
            description,
            example: None,
            notes,
            deprecated: operation
                .deprecated
                .then(|| "deprecated by the API".to_string()),
        };
        let lowered = self.operation_parameters(&type_stem, &rust_name, item, operation);
        let path_segments =
            self.path_segments(path, &lowered.parameters, &pointer, &lowered.declared);
        let body = operation
            .request_body
            .as_ref()
            .and_then(|body| self.request_body(body, &type_stem));
        let responses = self.responses(operation, &type_stem);
        let success_enum = (responses.success.len() > 1)
            .then(|| self.type_names.claim(&format!("{type_stem}Success")));
        let error_enum = self.type_names.claim(&format!("{type_stem}Error"));
        let documents_429 = operation
            .responses
            .iter()
            .any(|(status, _)| matches!(status, StatusKey::Code(429) | StatusKey::Range(4)));

        let uses_deprecated = doc.deprecated.is_some()
            || lowered
                .parameters
                .iter()
                .any(|p| p.doc.deprecated.is_some());
        Operation {
            rust_name,
            request_fn: String::new(),
            decode_fn: String::new(),
            stream_fn: None,
            with_response_fn: None,
            pagination: None,
            standard_method: STANDARD_METHODS.contains(&method.as_str()),
            method,
            path: path.to_string(),
            path_segments,
            doc,
            group: operation.tags.first().cloned(),
            tags: operation.tags.clone(),
            gate: Default::default(),
            parameters: lowered.parameters,
            params_struct: lowered.params_struct,
            constant_headers: lowered.constant_headers,
            body,
            success: responses.success,
            errors: responses.errors,
            success_enum,
            error_enum,
            documents_429,
            uses_deprecated,
            accept: responses.accept,
            security,
            takes_provided_token,
            pointer,
        }
    }

    /// Splits a path template into literals and parameters. `declared` holds the names of
    /// path parameters that were declared but could not be lowered: they were reported
    /// already, and are not reported again as undeclared.
    fn path_segments(
        &mut self,
        path: &str,
        parameters: &[crate::ir::Parameter],
        pointer: &str,
        declared: &[String],
    ) -> Vec<PathSegment> {
        use crate::ir::ParameterLocation;
        let mut segments = Vec::new();
        let path_parameters: Vec<usize> = parameters
            .iter()
            .enumerate()
            .filter(|(_, p)| p.location == ParameterLocation::Path)
            .map(|(index, _)| index)
            .collect();
        let mut used = vec![false; parameters.len()];
        let mut rest = path;
        while let Some(start) = rest.find('{') {
            if start > 0 {
                segments.push(PathSegment::Literal(rest[..start].to_string()));
            }
            let Some(end) = rest[start..].find('}') else {
                self.error(
                    pointer,
                    format!("path `{path}` has an unclosed `{{`"),
                    "close the parameter name with `}`",
                );
                return segments;
            };
            let name = &rest[start + 1..start + end];
            match path_parameters
                .iter()
                .find(|index| parameters[**index].wire_name == name)
            {
                Some(index) => {
                    used[*index] = true;
                    segments.push(PathSegment::Parameter(*index));
                }
                // A parameter that could not be read or lowered was reported already.
                None if declared.iter().any(|d| d == name)
                    || self.reported_within(&crate::pointer::push(pointer, "parameters"))
                    || crate::pointer::parent(pointer).is_some_and(|item| {
                        self.reported_within(&crate::pointer::push(item, "parameters"))
                    }) => {}
                None => self.error(
                    pointer,
                    format!("path parameter `{{{name}}}` is not declared"),
                    format!("add a parameter with `name: {name}`, `in: path`, `required: true`"),
                ),
            }
            rest = &rest[start + end + 1..];
        }
        if !rest.is_empty() {
            segments.push(PathSegment::Literal(rest.to_string()));
        }
        for index in path_parameters {
            if !used[index] {
                self.error(
                    &crate::pointer::push(pointer, "parameters"),
                    format!(
                        "path parameter `{}` does not appear in the path `{path}`",
                        parameters[index].wire_name
                    ),
                    "add it to the path template or change `in: path`",
                );
            }
        }
        segments
    }
}
