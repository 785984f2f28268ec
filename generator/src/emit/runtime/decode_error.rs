/// Decodes a documented error body and wraps it in the operation's error enum.
pub(crate) fn decode_error<T: serde::de::DeserializeOwned, E>(
    status: StatusCode,
    headers: HeaderMap,
    body: &[u8],
    wrap: fn(T) -> E,
) -> Error<E> {
    match serde_json::from_slice(body) {
        Ok(decoded) => Error::Api(Box::new(ErrorResponse { status, headers, body: wrap(decoded) })),
        Err(source) => Error::Decode {
            response: Box::new(ErrorResponse { status, headers, body: body.to_vec() }),
            source,
        },
    }
}
