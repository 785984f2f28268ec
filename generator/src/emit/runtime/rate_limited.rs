/// A 429 the operation does not document, with the rate-limit figures read as it arrived.
pub(crate) fn rate_limited<E>(status: StatusCode, headers: HeaderMap, body: &[u8]) -> Error<E> {
    let rate_limit = RateLimit::from_headers(&headers);
    Error::RateLimited { response: Box::new(ErrorResponse { status, headers, body: body.to_vec() }), rate_limit }
}
