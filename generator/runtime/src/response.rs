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
/// HighLevel limits each app in bursts (`X-RateLimit-Max` requests in every window of
/// `X-RateLimit-Interval-Milliseconds`) and per day (`X-RateLimit-Limit-Daily`), and says
/// what is left of both on every response. A field is `None` when its header is absent
/// or is not a plain number; reading never fails.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RateLimit {
    /// `X-RateLimit-Max`: requests allowed in each burst window.
    pub burst_limit: Option<u64>,
    /// `X-RateLimit-Remaining`: requests left in the current burst window.
    pub burst_remaining: Option<u64>,
    /// `X-RateLimit-Interval-Milliseconds`: the length of a burst window.
    pub burst_interval: Option<Duration>,
    /// `X-RateLimit-Limit-Daily`: requests allowed per day.
    pub daily_limit: Option<u64>,
    /// `X-RateLimit-Daily-Remaining`: requests left today.
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
        let text = |name: &str| Some(headers.get(name)?.to_str().ok()?.trim());
        let number = |name: &str| digits(text(name)?);
        RateLimit {
            burst_limit: number("x-ratelimit-max"),
            burst_remaining: number("x-ratelimit-remaining"),
            burst_interval: number("x-ratelimit-interval-milliseconds").map(Duration::from_millis),
            daily_limit: number("x-ratelimit-limit-daily"),
            daily_remaining: number("x-ratelimit-daily-remaining"),
            retry_after: text(RETRY_AFTER.as_str()).and_then(|text| retry_after(text, received)),
        }
    }

    /// How long to wait before sending the next request, as far as the headers say:
    /// `Retry-After` when the server sent it; otherwise, when the burst allowance is used
    /// up (`X-RateLimit-Remaining: 0`), the length of the burst window. `None` when
    /// nothing says to wait, and also when only the daily allowance is used up, since no
    /// header says when the day starts again.
    pub fn delay(&self) -> Option<Duration> {
        let burst_used_up = self.burst_remaining == Some(0);
        self.retry_after
            .or(self.burst_interval.filter(|_| burst_used_up))
    }
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
