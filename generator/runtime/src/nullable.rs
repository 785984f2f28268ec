//! Three-state values for optional fields that the spec marks `nullable`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An optional field that may also be `null`.
///
/// Absent, `null` and a value mean different things to the server (leave as is, clear,
/// set), so they stay apart here, both when sending and when receiving: a field holding
/// [`Nullable::Absent`] is left out of the JSON, [`Nullable::Null`] is sent as `null`, and
/// [`Nullable::Value`] as the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// Not sent, or not received.
    #[default]
    Absent,
    /// Sent or received as `null`.
    Null,
    /// Sent or received as a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is left out (the default).
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the field is an explicit `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one, by value.
    pub fn into_value(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// `Some(value)` becomes a value and `None` becomes `null`.
    pub fn from_option(value: Option<T>) -> Self {
        match value {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => serializer.serialize_some(value),
            // Fields skip `Absent` themselves; standing alone it can only be `null`.
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // An absent field never reaches here: `#[serde(default)]` makes it `Absent`.
        Option::<T>::deserialize(deserializer).map(Nullable::from_option)
    }
}
