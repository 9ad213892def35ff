//! Rate limits: requests per API key (every authenticated route) and
//! uploads per contributor (one account flooding the pipeline is a fraud
//! pattern and a cost). Each is a GCRA bucket per key, held in this process:
//! with several `serve` processes behind a balancer the effective limit is
//! the per-process one times the processes (docs/DEPLOY.md).

use std::{
    num::NonZeroU32,
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use bonafide_engine::{LimitLabel, Metrics};
use governor::{DefaultKeyedRateLimiter, Quota, clock::Clock};

use crate::ApiConfig;
use crate::ApiError;

/// How often (in checks) idle buckets are dropped, so a limiter's memory
/// follows the active keys, not every key ever seen.
const SWEEP_EVERY: u64 = 10_000;

/// One keyed limit.
struct Limit {
    limiter: DefaultKeyedRateLimiter<String>,
    checks: AtomicU64,
    code: &'static str,
    what: &'static str,
}

impl Limit {
    fn new(quota: Option<Quota>, code: &'static str, what: &'static str) -> Option<Self> {
        Some(Self {
            limiter: DefaultKeyedRateLimiter::keyed(quota?),
            checks: AtomicU64::new(0),
            code,
            what,
        })
    }

    fn check(&self, key: &str) -> Result<(), ApiError> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&key.to_owned())
            .map_err(|not_until| {
                let wait = not_until.wait_time_from(governor::clock::DefaultClock::default().now());
                ApiError::TooManyRequests {
                    code: self.code,
                    message: format!(
                        "{} is over its rate limit; retry in {} ms",
                        self.what,
                        wait.as_millis()
                    ),
                    retry_after_secs: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
                }
            })
    }
}

impl std::fmt::Debug for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limit").field("code", &self.code).finish()
    }
}

/// The limits in force in this process.
#[derive(Debug)]
pub struct RateLimits {
    key: Option<Limit>,
    contributor: Option<Limit>,
    unauthenticated: Option<Limit>,
}

impl RateLimits {
    /// The limits `config` sets.
    pub fn new(config: &ApiConfig) -> Self {
        let quota = |rate: u32, per: Duration, burst: u32| {
            let rate = NonZeroU32::new(rate)?;
            let quota = Quota::with_period(per / rate.get())?;
            Some(quota.allow_burst(NonZeroU32::new(burst).unwrap_or(rate)))
        };
        Self {
            key: Limit::new(
                quota(
                    config.key_per_second,
                    Duration::from_secs(1),
                    config.key_burst,
                ),
                "rate_limited_key",
                "this API key",
            ),
            contributor: Limit::new(
                quota(
                    config.contributor_per_minute,
                    Duration::from_secs(60),
                    config.contributor_burst,
                ),
                "rate_limited_contributor",
                "this contributor",
            ),
            unauthenticated: Limit::new(
                quota(
                    config.unauthenticated_per_minute,
                    Duration::from_secs(60),
                    config.unauthenticated_per_minute,
                ),
                "rate_limited_address",
                "this address's requests without a valid API key",
            ),
        }
    }

    /// Counts a request from `address` that carried no valid API key; past
    /// the limit, refuses it (429) and counts that in `metrics`.
    pub(crate) fn admit_unauthenticated(
        &self,
        address: Option<std::net::IpAddr>,
        metrics: &Metrics,
    ) -> Result<(), ApiError> {
        let (Some(limit), Some(address)) = (&self.unauthenticated, address) else {
            return Ok(());
        };
        limit
            .check(&crate::client_block(address).to_string())
            .inspect_err(|_| count(metrics, "address"))
    }

    /// Lets one request of API client `client_id` through, or refuses it (429).
    pub(crate) fn key(&self, client_id: &str) -> Result<(), ApiError> {
        self.key.as_ref().map_or(Ok(()), |l| l.check(client_id))
    }

    /// Lets one upload of `contributor` (of API client `client_id`) through,
    /// or refuses it (429).
    pub(crate) fn contributor(&self, client_id: &str, contributor: &str) -> Result<(), ApiError> {
        self.contributor.as_ref().map_or(Ok(()), |l| {
            l.check(&format!("{client_id}\u{0}{contributor}"))
        })
    }

    /// [`Self::key`], counting a refusal in `metrics`.
    pub(crate) fn admit_key(&self, client_id: &str, metrics: &Metrics) -> Result<(), ApiError> {
        self.key(client_id).inspect_err(|_| count(metrics, "key"))
    }

    /// [`Self::contributor`], counting a refusal in `metrics`.
    pub(crate) fn admit_contributor(
        &self,
        client_id: &str,
        contributor: &str,
        metrics: &Metrics,
    ) -> Result<(), ApiError> {
        self.contributor(client_id, contributor)
            .inspect_err(|_| count(metrics, "contributor"))
    }
}

fn count(metrics: &Metrics, limit: &'static str) {
    metrics
        .rate_limited
        .get_or_create(&LimitLabel { limit })
        .inc();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(r: Result<(), ApiError>) -> Option<u64> {
        match r {
            Ok(()) => None,
            Err(ApiError::TooManyRequests {
                retry_after_secs, ..
            }) => Some(retry_after_secs),
            Err(e) => panic!("unexpected {e}"),
        }
    }

    #[test]
    fn a_burst_then_refusals_that_say_when_to_retry() {
        let limits = RateLimits::new(&ApiConfig {
            contributor_per_minute: 6,
            contributor_burst: 3,
            ..ApiConfig::default()
        });
        for _ in 0..3 {
            assert_eq!(refused(limits.contributor("k1", "alice")), None);
        }
        // One upload per 10 s once the burst is spent.
        let wait = refused(limits.contributor("k1", "alice")).expect("refused");
        assert!((1..=10).contains(&wait), "retry after {wait} s");
        // Other contributors, and the same id under another key, have their own.
        assert_eq!(refused(limits.contributor("k1", "bob")), None);
        assert_eq!(refused(limits.contributor("k2", "alice")), None);
    }

    #[test]
    fn zero_turns_a_limit_off() {
        let limits = RateLimits::new(&ApiConfig {
            key_per_second: 0,
            ..ApiConfig::default()
        });
        for _ in 0..5000 {
            assert_eq!(refused(limits.key("k")), None);
        }
    }
}
