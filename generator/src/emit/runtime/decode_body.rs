/// Decodes a success body.
pub(crate) fn decode_body<T: serde::de::DeserializeOwned, E>(status: StatusCode, headers: HeaderMap, body: &[u8]) -> Result<T, Error<E>> {
    serde_json::from_slice(body).map_err(|source| Error::Decode {
        response: Box::new(ErrorResponse { status, headers, body: body.to_vec() }),
        source,
    })
}
