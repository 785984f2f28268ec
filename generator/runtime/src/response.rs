//! What a call returns besides its body: the status, the headers, and the rate-limit
//! figures the server sent with them.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;

/// A decoded success response with everything the server sent besides the body, as
/// [`Client::execute`](crate::Client::execute) returns it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SuccessResponse<T> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The rate-limit figures of the response, read from `headers`.
    pub rate_limit: RateLimit,
    /// How many times the request was sent: 1, unless the client's
    /// [`RetryPolicy`](crate::RetryPolicy) sent it again.
    pub attempts: u32,
    /// The decoded body.
    pub body: T,
}

impl<T> SuccessResponse<T> {
    /// The decoded body, without the rest.
    pub fn into_body(self) -> T {
        self.body
    }
}

/// The rate-limit figures a response carries in its headers.
///
#[cfg_attr(
    feature = "highlevel-rate-limit",
    doc = "HighLevel limits each app in bursts (`X-RateLimit-Max` requests in every window of\n\
           `X-RateLimit-Interval-Milliseconds`) and per day (`X-RateLimit-Limit-Daily`), and says\n\
           what is left of both on every response."
)]
#[cfg_attr(
    not(feature = "highlevel-rate-limit"),
    doc = "Read from the standard headers: `RateLimit-Limit`, `RateLimit-Remaining` and\n\
           `RateLimit-Reset` (or their `X-RateLimit-` forms), the structured `RateLimit`\n\
           field (`\"default\";r=50;t=30`) and `Retry-After`."
)]
/// A field is `None` when its header is absent or is not a plain number; reading never fails.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests allowed in each window (`X-RateLimit-Max` for HighLevel, `RateLimit-Limit`
    /// otherwise).
    pub burst_limit: Option<u64>,
    /// Requests left in the current window (`X-RateLimit-Remaining`, `RateLimit-Remaining`).
    pub burst_remaining: Option<u64>,
    /// The length of a window (HighLevel's `X-RateLimit-Interval-Milliseconds`).
    pub burst_interval: Option<Duration>,
    /// How long until the current window starts again (`RateLimit-Reset`; an
    /// `X-RateLimit-Reset` that is a time since 1970 is counted from now).
    pub reset: Option<Duration>,
    /// Requests allowed per day (HighLevel's `X-RateLimit-Limit-Daily`).
    pub daily_limit: Option<u64>,
    /// Requests left today (HighLevel's `X-RateLimit-Daily-Remaining`).
    pub daily_remaining: Option<u64>,
    /// `Retry-After`: how long the server asks to wait, from when the headers were read.
    /// A date is turned into the time left until then (zero when it has passed).
    pub retry_after: Option<Duration>,
}

impl RateLimit {
    /// Reads the figures from response headers received just now.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        Self::from_headers_at(headers, SystemTime::now())
    }

    /// Reads the figures from response headers received at `received`, which is what a
    /// `Retry-After` date is measured from.
    pub fn from_headers_at(headers: &HeaderMap, received: SystemTime) -> Self {
        figures(headers, received)
    }

    /// How long to wait before sending the next request, as far as the headers say:
    /// `Retry-After` when the server sent it; otherwise, when the burst allowance is used
    /// up (`X-RateLimit-Remaining: 0`), the length of the burst window. `None` when
    /// nothing says to wait, and also when only the daily allowance is used up, since no
    /// header says when the day starts again.
    pub fn delay(&self) -> Option<Duration> {
        let burst_used_up = self.burst_remaining == Some(0);
        self.retry_after
            .or(self.reset.or(self.burst_interval).filter(|_| burst_used_up))
    }
}

/// A header's value, trimmed, when it is text.
fn text<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    Some(headers.get(name)?.to_str().ok()?.trim())
}

fn number(headers: &HeaderMap, name: &str) -> Option<u64> {
    digits(text(headers, name)?)
}

/// HighLevel's figures.
#[cfg(feature = "highlevel-rate-limit")]
fn figures(headers: &HeaderMap, received: SystemTime) -> RateLimit {
    RateLimit {
        burst_limit: number(headers, "x-ratelimit-max"),
        burst_remaining: number(headers, "x-ratelimit-remaining"),
        burst_interval: number(headers, "x-ratelimit-interval-milliseconds")
            .map(Duration::from_millis),
        reset: None,
        daily_limit: number(headers, "x-ratelimit-limit-daily"),
        daily_remaining: number(headers, "x-ratelimit-daily-remaining"),
        retry_after: text(headers, RETRY_AFTER.as_str())
            .and_then(|text| retry_after(text, received)),
    }
}

/// The standard figures, in their `RateLimit-` and `X-RateLimit-` forms.
#[cfg(not(feature = "highlevel-rate-limit"))]
fn figures(headers: &HeaderMap, received: SystemTime) -> RateLimit {
    let either =
        |name: &str| number(headers, name).or_else(|| number(headers, &format!("x-{name}")));
    let (remaining, reset) = text(headers, "ratelimit")
        .map(structured)
        .unwrap_or_default();
    let reset = number(headers, "ratelimit-reset")
        .or(reset)
        .map(Duration::from_secs)
        .or_else(|| number(headers, "x-ratelimit-reset").map(|reset| reset_from(reset, received)));
    RateLimit {
        burst_limit: either("ratelimit-limit"),
        burst_remaining: either("ratelimit-remaining").or(remaining),
        burst_interval: None,
        reset,
        daily_limit: None,
        daily_remaining: None,
        retry_after: text(headers, RETRY_AFTER.as_str())
            .and_then(|text| retry_after(text, received)),
    }
}

/// The `r` (remaining) and `t` (seconds to reset) of the first item of a structured
/// `RateLimit` field (draft-ietf-httpapi-ratelimit-headers), e.g. `"default";r=50;t=30`.
#[cfg(not(feature = "highlevel-rate-limit"))]
fn structured(text: &str) -> (Option<u64>, Option<u64>) {
    let first = text.split(',').next().unwrap_or("");
    let mut out = (None, None);
    for parameter in first.split(';').skip(1) {
        match parameter.trim().split_once('=') {
            Some(("r", value)) => out.0 = digits(value.trim()),
            Some(("t", value)) => out.1 = digits(value.trim()),
            _ => {}
        }
    }
    out
}

/// An `X-RateLimit-Reset`: seconds to wait, or (GitHub's, and others') the time of the
/// reset in seconds since 1970, which is counted from `received`.
#[cfg(not(feature = "highlevel-rate-limit"))]
fn reset_from(reset: u64, received: SystemTime) -> Duration {
    const A_YEAR_OF_SECONDS: u64 = 365 * 24 * 3600;
    if reset < A_YEAR_OF_SECONDS {
        return Duration::from_secs(reset);
    }
    (UNIX_EPOCH + Duration::from_secs(reset))
        .duration_since(received)
        .unwrap_or(Duration::ZERO)
}

/// A `Retry-After` value, seconds or an HTTP date, as a delay from `received`.
fn retry_after(text: &str, received: SystemTime) -> Option<Duration> {
    match digits(text) {
        Some(seconds) => Some(Duration::from_secs(seconds)),
        None => Some(
            http_date(text)?
                .duration_since(received)
                .unwrap_or(Duration::ZERO),
        ),
    }
}

/// A number written with ASCII digits only (no sign, no spaces), as the headers carry them.
fn digits(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// An HTTP date (RFC 9110, section 5.6.7): the IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`,
/// and the obsolete `Sunday, 06-Nov-94 08:49:37 GMT` and `Sun Nov  6 08:49:37 1994` that
/// recipients must still accept. A two-digit year from 70 is in the 1900s, below in the
/// 2000s. Days are counted with Howard Hinnant's `days_from_civil`, for years from 1970 on
/// only, so that nothing can be negative.
fn http_date(text: &str) -> Option<SystemTime> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut words = text.split([' ', ',', '-']).filter(|word| !word.is_empty());
    let _weekday = words.next()?;
    let words: Vec<&str> = words.collect();
    let (day, month, year, time) = match words.as_slice() {
        [day, month, year, time, "GMT"] => (*day, *month, *year, *time),
        [month, day, time, year] => (*day, *month, *year, *time),
        _ => return None,
    };
    let day = digits(day).filter(|day| (1..=31).contains(day))?;
    let month = MONTHS.iter().position(|name| *name == month)? as u64 + 1;
    let year = match (year.len(), digits(year)?) {
        (2, short) if short >= 70 => 1900 + short,
        (2, short) => 2000 + short,
        (4, full) if full >= 1970 => full,
        _ => return None,
    };
    let mut clock = time.split(':').map(digits);
    let (hour, minute, second) = (clock.next()??, clock.next()??, clock.next()??);
    if clock.next().is_some() || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let shifted_year = if month <= 2 { year - 1 } else { year };
    let era = shifted_year / 400;
    let year_of_era = shifted_year % 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = (era * 146_097 + day_of_era).checked_sub(719_468)?;
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second;
    UNIX_EPOCH.checked_add(Duration::from_secs(seconds))
}
