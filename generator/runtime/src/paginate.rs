//! Walking a list operation page by page. The API description says, in its `x-pagination`
//! extension, where a page's items are and where the position of the next page comes
//! from; [`Pages`] sends one request per page, and [`Items`] hands out the items of every
//! page in turn. Both are `futures_core::Stream`s, and have `next_page`/`next_item` for
//! callers without a stream library.

#[cfg(any(feature = "page-cursor", feature = "page-next-url"))]
use std::collections::HashSet;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{DecodeError, Error};
use crate::response::SuccessResponse;

/// Where a request carries a position: a query parameter or a field of its JSON body.
#[cfg(any(feature = "page-query", feature = "page-body"))]
pub(crate) enum Target {
    #[cfg(feature = "page-query")]
    Query(&'static str),
    #[cfg(feature = "page-body")]
    Body(&'static str),
}

/// A value in a page's JSON body: at a JSON pointer from its root, or from its last item.
#[cfg(any(feature = "page-field", feature = "page-last-item"))]
pub(crate) enum Field {
    #[cfg(feature = "page-field")]
    Page(&'static str),
    #[cfg(feature = "page-last-item")]
    LastItem(&'static str),
}

/// How the request for the next page is made from the last one and its answer.
pub(crate) enum Scheme {
    /// Each target takes the value of its field (a cursor, an id and a date, a
    /// search-after list); none of them set means there is no next page.
    #[cfg(feature = "page-cursor")]
    Cursor(&'static [(Target, Field)]),
    /// The target grows by the number of items received.
    #[cfg(feature = "page-offset")]
    Offset(Target),
    /// The target grows by one, from `first` when the first request does not set it.
    #[cfg(feature = "page-number")]
    Page { target: Target, first: u64 },
    /// The field holds the URL of the next page.
    #[cfg(feature = "page-next-url")]
    NextUrl(Field),
}

/// An operation's pagination, from its `x-pagination` extension.
pub(crate) struct Plan {
    pub(crate) scheme: Scheme,
    /// The JSON pointer of the page's list of items.
    pub(crate) items: &'static str,
    /// A field that says whether more pages follow (`false` ends).
    pub(crate) has_more: Option<&'static str>,
    /// A field with the number of items in all pages.
    pub(crate) total: Option<&'static str>,
}

/// A page as it arrived: decoded, and as JSON, for reading positions and items.
pub(crate) type RawPage<T> = SuccessResponse<(T, Value)>;

type PageFuture<'a, T, E> = Pin<Box<dyn Future<Output = Result<RawPage<T>, Error<E>>> + Send + 'a>>;
type Fetch<'a, T, E> = Box<dyn FnMut(reqwest::Request) -> PageFuture<'a, T, E> + Send + 'a>;

/// The pages of a list operation, from the one its parameters ask for to the last, each
/// with its status, headers and rate limit. One request is sent per page, only when the
/// page is asked for.
///
/// The walk ends after the last page; with an error when a request fails (nothing more
/// is sent), when the server gives the same position twice (it would never end), or when
/// a next page's URL is on another server (it would get the credentials).
pub struct Pages<'a, T, E> {
    plan: &'static Plan,
    fetch: Fetch<'a, T, E>,
    /// The request for the next page, or why there is none.
    next: Option<Result<reqwest::Request, Error<E>>>,
    /// The page on its way, and a copy of its request to make the next one from.
    in_flight: Option<(PageFuture<'a, T, E>, Option<reqwest::Request>)>,
    #[cfg(any(feature = "page-cursor", feature = "page-next-url"))]
    positions: HashSet<String>,
    items_seen: u64,
    pages: u64,
    max_pages: Option<u64>,
}

impl<'a, T, E> Pages<'a, T, E> {
    /// Pages from `first` (the operation's request, or why it could not be built), each
    /// sent with `fetch`.
    pub(crate) fn new(
        plan: &'static Plan,
        first: Result<reqwest::Request, Error<E>>,
        fetch: impl FnMut(reqwest::Request) -> PageFuture<'a, T, E> + Send + 'a,
    ) -> Self {
        Pages {
            plan,
            fetch: Box::new(fetch),
            next: Some(first),
            in_flight: None,
            #[cfg(any(feature = "page-cursor", feature = "page-next-url"))]
            positions: HashSet::new(),
            items_seen: 0,
            pages: 0,
            max_pages: None,
        }
    }

    /// Stops after `max` pages, whatever the server says.
    #[must_use]
    pub fn max_pages(mut self, max: u64) -> Self {
        self.max_pages = Some(max);
        self
    }

    /// The items of every page, in order: `I` is the type of one.
    pub fn items<I: DeserializeOwned>(self) -> Items<'a, I, T, E> {
        Items {
            pages: self,
            buffer: VecDeque::new(),
            yielded: 0,
            max_items: None,
            failed: false,
        }
    }

    /// The next page, or `None` after the last.
    pub async fn next_page(&mut self) -> Option<Result<SuccessResponse<T>, Error<E>>> {
        std::future::poll_fn(|cx| self.poll_page(cx))
            .await
            .map(|page| page.map(decoded))
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<RawPage<T>, Error<E>>>> {
        if self.in_flight.is_none() {
            if self.max_pages.is_some_and(|max| self.pages >= max) {
                self.next = None;
            }
            match self.next.take() {
                None => return Poll::Ready(None),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                Some(Ok(request)) => {
                    let copy = request.try_clone();
                    self.in_flight = Some(((self.fetch)(request), copy));
                }
            }
        }
        let Some((future, _)) = self.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        let outcome = match future.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(outcome) => outcome,
        };
        let copy = self.in_flight.take().and_then(|(_, copy)| copy);
        let page = match outcome {
            Ok(page) => page,
            Err(error) => return Poll::Ready(Some(Err(error))),
        };
        self.pages += 1;
        self.next = match copy {
            Some(request) => self.after(request, &page).transpose(),
            // A request whose body could not be copied cannot be sent again.
            None => None,
        };
        Poll::Ready(Some(Ok(page)))
    }

    /// The request for the page after `page`, which answered `request`; `None` when
    /// `page` is the last.
    fn after(
        &mut self,
        mut request: reqwest::Request,
        page: &RawPage<T>,
    ) -> Result<Option<reqwest::Request>, Error<E>> {
        let json = &page.body.1;
        let items = json.pointer(self.plan.items).and_then(Value::as_array);
        let count = items.map_or(0, Vec::len) as u64;
        self.items_seen += count;
        #[cfg(feature = "page-last-item")]
        let last = items.and_then(|items| items.last());
        #[cfg(any(feature = "page-cursor", feature = "page-next-url"))]
        let read = |field: &Field| match field {
            #[cfg(feature = "page-field")]
            Field::Page(pointer) => json.pointer(pointer),
            #[cfg(feature = "page-last-item")]
            Field::LastItem(pointer) => last.and_then(|item| item.pointer(pointer)),
        };
        if let Some(pointer) = self.plan.has_more {
            if json.pointer(pointer) == Some(&Value::Bool(false)) {
                return Ok(None);
            }
        }
        let total = self
            .plan
            .total
            .and_then(|pointer| json.pointer(pointer)?.as_u64());
        if total.is_some_and(|total| self.items_seen >= total) {
            return Ok(None);
        }
        match &self.plan.scheme {
            #[cfg(feature = "page-cursor")]
            Scheme::Cursor(fields) => {
                let values: Vec<Option<&Value>> = fields
                    .iter()
                    .map(|(_, field)| read(field).filter(|v| is_set(v)))
                    .collect();
                if values.iter().all(Option::is_none) {
                    return Ok(None);
                }
                self.first_time(serde_json::to_string(&values).unwrap_or_default())?;
                for ((target, _), value) in fields.iter().zip(values) {
                    set(&mut request, target, value.cloned())?;
                }
            }
            #[cfg(feature = "page-offset")]
            Scheme::Offset(target) => {
                if count == 0 {
                    return Ok(None);
                }
                let offset = get_number(&request, target).unwrap_or(0) + count;
                set(&mut request, target, Some(Value::from(offset)))?;
            }
            #[cfg(feature = "page-number")]
            Scheme::Page { target, first } => {
                if count == 0 {
                    return Ok(None);
                }
                let number = get_number(&request, target).unwrap_or(*first) + 1;
                set(&mut request, target, Some(Value::from(number)))?;
            }
            #[cfg(feature = "page-next-url")]
            Scheme::NextUrl(field) => {
                let Some(text) = read(field)
                    .and_then(Value::as_str)
                    .filter(|t| !t.trim().is_empty())
                else {
                    return Ok(None);
                };
                let next = request.url().join(text.trim()).map_err(|error| {
                    Error::Pagination(format!(
                        "the next page's URL `{text}` is not a URL: {error}"
                    ))
                })?;
                if next.origin() != request.url().origin() {
                    return Err(Error::Pagination(format!(
                        "the next page's URL is on another server ({}), which would receive the credentials",
                        next.origin().ascii_serialization()
                    )));
                }
                self.first_time(next.to_string())?;
                *request.url_mut() = next;
            }
        }
        Ok(Some(request))
    }

    /// Fails when the server gave `position` before: the walk would go round forever.
    #[cfg(any(feature = "page-cursor", feature = "page-next-url"))]
    fn first_time(&mut self, position: String) -> Result<(), Error<E>> {
        if self.positions.insert(position.clone()) {
            return Ok(());
        }
        Err(Error::Pagination(format!(
            "the server gave the position {position} for a second time, after {} pages",
            self.pages
        )))
    }
}

// Nothing is ever pinned in place: the page on its way is boxed.
impl<T, E> Unpin for Pages<'_, T, E> {}

impl<T, E> futures_core::Stream for Pages<'_, T, E> {
    type Item = Result<SuccessResponse<T>, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.poll_page(cx)
            .map(|page| page.map(|page| page.map(decoded)))
    }
}

impl<T, E> std::fmt::Debug for Pages<'_, T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("pages", &self.pages)
            .field("items_seen", &self.items_seen)
            .field("max_pages", &self.max_pages)
            .finish_non_exhaustive()
    }
}

/// The items of every page of a list operation, in order; pages are fetched as the items
/// are asked for. Ends like [`Pages`], and with an error when a page's items do not decode.
pub struct Items<'a, I, T, E> {
    pages: Pages<'a, T, E>,
    buffer: VecDeque<I>,
    yielded: u64,
    max_items: Option<u64>,
    failed: bool,
}

impl<I: DeserializeOwned, T, E> Items<'_, I, T, E> {
    /// Stops after `max` items, without fetching a page it does not need.
    #[must_use]
    pub fn max_items(mut self, max: u64) -> Self {
        self.max_items = Some(max);
        self
    }

    /// The next item, or `None` after the last.
    pub async fn next_item(&mut self) -> Option<Result<I, Error<E>>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<I, Error<E>>>> {
        loop {
            if self.failed || self.max_items.is_some_and(|max| self.yielded >= max) {
                return Poll::Ready(None);
            }
            if let Some(item) = self.buffer.pop_front() {
                self.yielded += 1;
                return Poll::Ready(Some(Ok(item)));
            }
            let page = match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => {
                    self.failed = true;
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Ready(Some(Ok(page))) => page,
            };
            let items = page
                .body
                .1
                .pointer(self.pages.plan.items)
                .cloned()
                .unwrap_or(Value::Array(Vec::new()));
            match serde_json::from_value::<Vec<I>>(items) {
                Ok(items) => self.buffer.extend(items),
                Err(source) => {
                    self.failed = true;
                    let body = serde_json::to_vec(&page.body.1).unwrap_or_default();
                    let error = crate::error::undecodable(
                        page.status,
                        page.headers,
                        &body,
                        DecodeError::Json(source),
                    );
                    return Poll::Ready(Some(Err(error.widen())));
                }
            }
        }
    }
}

impl<I, T, E> Unpin for Items<'_, I, T, E> {}

impl<I: DeserializeOwned, T, E> futures_core::Stream for Items<'_, I, T, E> {
    type Item = Result<I, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.poll_item(cx)
    }
}

impl<I, T, E> std::fmt::Debug for Items<'_, I, T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("yielded", &self.yielded)
            .field("max_items", &self.max_items)
            .finish_non_exhaustive()
    }
}

/// `decode` that also keeps the body as JSON, for [`Pages`] to read positions from.
pub(crate) fn keeping_json<T, E>(
    decode: impl FnOnce(reqwest::StatusCode, reqwest::header::HeaderMap, &[u8]) -> Result<T, Error<E>>,
) -> impl FnOnce(reqwest::StatusCode, reqwest::header::HeaderMap, &[u8]) -> Result<(T, Value), Error<E>>
{
    move |status, headers, body| {
        let page = decode(status, headers, body)?;
        Ok((page, serde_json::from_slice(body).unwrap_or(Value::Null)))
    }
}

fn decoded<T>(page: RawPage<T>) -> SuccessResponse<T> {
    SuccessResponse {
        status: page.status,
        headers: page.headers,
        rate_limit: page.rate_limit,
        attempts: page.attempts,
        body: page.body.0,
    }
}

/// Whether a position is given: not `null`, not empty.
#[cfg(feature = "page-cursor")]
fn is_set(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => !items.is_empty(),
        _ => true,
    }
}

/// The number `target` holds in `request`, when it holds one.
#[cfg(any(feature = "page-offset", feature = "page-number"))]
fn get_number(request: &reqwest::Request, target: &Target) -> Option<u64> {
    match target {
        #[cfg(feature = "page-query")]
        Target::Query(name) => request
            .url()
            .query_pairs()
            .find(|(key, _)| key == name)
            .and_then(|(_, value)| value.parse().ok()),
        #[cfg(feature = "page-body")]
        Target::Body(name) => json_body(request)?.get(*name)?.as_u64(),
    }
}

/// Sets `target` of `request` to `value`, or removes it.
#[cfg(any(
    feature = "page-cursor",
    feature = "page-offset",
    feature = "page-number"
))]
fn set<E>(
    request: &mut reqwest::Request,
    target: &Target,
    value: Option<Value>,
) -> Result<(), Error<E>> {
    match target {
        #[cfg(feature = "page-query")]
        Target::Query(name) => {
            let mut pairs: Vec<(String, String)> = request
                .url()
                .query_pairs()
                .filter(|(key, _)| key != name)
                .map(|(key, value)| (key.into_owned(), value.into_owned()))
                .collect();
            let values = match value {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(items)) => items,
                Some(single) => vec![single],
            };
            pairs.extend(values.into_iter().map(|value| {
                let text = match value {
                    Value::String(text) => text,
                    other => other.to_string(),
                };
                (name.to_string(), text)
            }));
            let url = request.url_mut();
            if pairs.is_empty() {
                url.set_query(None);
            } else {
                url.query_pairs_mut().clear().extend_pairs(pairs);
            }
        }
        #[cfg(feature = "page-body")]
        Target::Body(name) => {
            let mut body = json_body(request).unwrap_or_default();
            match value {
                Some(value) => body.insert(name.to_string(), value),
                None => body.remove(*name),
            };
            let bytes = serde_json::to_vec(&body).map_err(|error| {
                Error::InvalidRequest(format!(
                    "the next page's body could not be encoded: {error}"
                ))
            })?;
            *request.body_mut() = Some(bytes.into());
        }
    }
    Ok(())
}

/// The request's body as a JSON object, when it is one.
#[cfg(feature = "page-body")]
fn json_body(request: &reqwest::Request) -> Option<serde_json::Map<String, Value>> {
    let bytes = request.body()?.as_bytes()?;
    match serde_json::from_slice(bytes).ok()? {
        Value::Object(fields) => Some(fields),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str) -> reqwest::Request {
        reqwest::Request::new(reqwest::Method::GET, url.parse().unwrap())
    }

    #[test]
    fn query_positions_replace_the_old_ones_and_lists_repeat() {
        let mut get = request("https://api.test/items?limit=5&cursor=a&x=1");
        set::<()>(&mut get, &Target::Query("cursor"), Some(Value::from("b"))).unwrap();
        assert_eq!(get.url().query(), Some("limit=5&x=1&cursor=b"));
        set::<()>(
            &mut get,
            &Target::Query("after"),
            Some(serde_json::json!([1, "z"])),
        )
        .unwrap();
        assert_eq!(
            get.url().query(),
            Some("limit=5&x=1&cursor=b&after=1&after=z")
        );
        set::<()>(&mut get, &Target::Query("cursor"), None).unwrap();
        assert_eq!(get.url().query(), Some("limit=5&x=1&after=1&after=z"));
        assert_eq!(get_number(&get, &Target::Query("limit")), Some(5));
    }

    #[test]
    fn body_positions_keep_the_other_fields() {
        let mut post = request("https://api.test/search");
        *post.body_mut() = Some(br#"{"query":"q","page":2}"#.to_vec().into());
        set::<()>(
            &mut post,
            &Target::Body("searchAfter"),
            Some(serde_json::json!([3, "id"])),
        )
        .unwrap();
        let body = json_body(&post).unwrap();
        assert_eq!(body["query"], "q");
        assert_eq!(body["searchAfter"], serde_json::json!([3, "id"]));
        assert_eq!(get_number(&post, &Target::Body("page")), Some(2));
    }

    #[test]
    fn empty_positions_are_not_set() {
        assert!(
            !is_set(&Value::Null) && !is_set(&Value::from("")) && !is_set(&serde_json::json!([]))
        );
        assert!(is_set(&Value::from(0)) && is_set(&Value::from("x")));
    }
}
