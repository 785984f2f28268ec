//! The runtime support that every generated client crate carries, as real modules: here
//! they compile and their tests run, with every piece turned on (see `Cargo.toml`). The
//! generator copies each module's text into a crate, comments and layout included, keeping
//! the items whose `cfg(feature)` gates name the pieces that crate needs and dropping the
//! rest, tests included.
//!
//! The modules refer to each other as `crate::<module>`, exactly as they do in a
//! generated crate, whose `lib.rs` declares them the same way.

// Generated crates call these items; this crate only tests them.
#![allow(dead_code)]

pub mod base64;
pub mod credentials;
pub mod error;
pub mod form;
pub mod multipart;
pub mod nullable;
pub mod oauth;
pub mod options;
pub mod paginate;
pub mod params;
pub mod response;
pub mod signatures;
pub mod stream;
pub mod transport;
pub mod upgrade;

pub use credentials::{CredentialError, Secret, TokenProvider};
pub use error::{Error, ErrorResponse, RequestState, SetupError};
pub use options::RequestOptions;
pub use response::{RateLimit, SuccessResponse};
pub use transport::RetryPolicy;
