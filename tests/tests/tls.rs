//! The generated crate's default TLS (rustls with the ring provider) over a real TLS
//! connection: a loopback server with a self-signed certificate made by the test, which
//! the client is told to trust, and which a client that was not told refuses.

use std::sync::Arc;

use codegen_tests::TOKEN;
use highlevel_contacts::{Client, CreateContactRequest, Error, RequestState};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A server on loopback that answers one request over TLS, with `certificate` for
/// `localhost`; the request it read (head and body, as text) comes out of the handle.
async fn tls_server(
    certificate: &rcgen::CertifiedKey<rcgen::KeyPair>,
) -> (u16, tokio::task::JoinHandle<Option<String>>) {
    let key =
        rustls::pki_types::PrivateKeyDer::Pkcs8(certificate.signing_key.serialize_der().into());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(vec![certificate.cert.der().clone()], key)
        .expect("a server certificate");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let port = listener.local_addr().expect("an address").port();
    let handle = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.ok()?;
        // A client that does not trust the certificate ends the handshake here.
        let mut tls = acceptor.accept(tcp).await.ok()?;
        let mut received = Vec::new();
        let mut buffer = [0u8; 4096];
        while !request_is_complete(&received) {
            let read = tls.read(&mut buffer).await.ok()?;
            if read == 0 {
                break;
            }
            received.extend_from_slice(&buffer[..read]);
        }
        let body = r#"{"contact":{"id":"over-tls"}}"#;
        let answer = format!(
            "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        tls.write_all(answer.as_bytes()).await.ok()?;
        tls.shutdown().await.ok()?;
        Some(String::from_utf8_lossy(&received).into_owned())
    });
    (port, handle)
}

/// Whether `received` holds a whole request: its head, and as many body bytes as its
/// `content-length` says.
fn request_is_complete(received: &[u8]) -> bool {
    let text = String::from_utf8_lossy(received);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    let length = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    body.len() >= length
}

fn certificate() -> rcgen::CertifiedKey<rcgen::KeyPair> {
    rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).expect("a certificate")
}

#[tokio::test]
async fn a_call_over_tls_reaches_a_server_whose_certificate_the_client_trusts() {
    let certificate = certificate();
    let (port, server) = tls_server(&certificate).await;
    let trusted = reqwest::Certificate::from_der(certificate.cert.der()).expect("DER");
    let http = Client::http_client_builder()
        .tls_certs_only([trusted])
        .build()
        .expect("an HTTP client with the default TLS backend");
    let client = Client::with_http_client(TOKEN, http)
        .expect("a client")
        .with_base_url(format!("https://localhost:{port}/").parse().unwrap());
    let created = client
        .create_contact(&CreateContactRequest::new("loc-1"))
        .await
        .expect("created over TLS");
    assert_eq!(
        created.contact.and_then(|c| c.id).as_deref(),
        Some("over-tls")
    );
    let request = server.await.unwrap().expect("the server read a request");
    assert!(
        request.starts_with("POST /contacts/ HTTP/1.1\r\n"),
        "{request}"
    );
    assert!(
        request.contains(&format!("authorization: Bearer {TOKEN}")),
        "the token went out, encrypted: {request}"
    );
    assert!(request.ends_with(r#"{"locationId":"loc-1"}"#), "{request}");
}

#[tokio::test]
async fn a_client_that_was_not_told_to_trust_a_certificate_refuses_it_before_sending() {
    let certificate = certificate();
    let (port, server) = tls_server(&certificate).await;
    let client = Client::new(TOKEN)
        .expect("a client with the platform's roots")
        .with_base_url(format!("https://localhost:{port}/").parse().unwrap());
    let error = client
        .create_contact(&CreateContactRequest::new("loc-1"))
        .await
        .expect_err("a self-signed certificate is not trusted");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(
        error.request_state(),
        RequestState::NotSent,
        "the handshake failed: {error:?}"
    );
    assert_eq!(
        server.await.unwrap(),
        None,
        "the server never read a request"
    );
}
