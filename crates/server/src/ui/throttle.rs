//! Login throttling. A few failed logins for one name, or from one address,
//! are free (typos); after that each further attempt must wait twice as long
//! as the last (1 s, 2 s, 4 s … up to a cap) and is answered 429 with
//! `Retry-After` until then. A name's failures end with a successful login;
//! any key's are forgotten once the cap passes without a new one.
//!
//! Failures, not attempts, are counted, so a reviewer who logs in many times
//! a day is never held up. Per-name throttling is also a way to hold a
//! reviewer out (an attacker can fail on their name): the cap bounds that
//! to minutes, and the per-address limit slows one attacker across names.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::Mutex,
    time::{Duration, Instant},
};

use serde::{Deserialize, Serialize};

/// Login throttling (`[api.login]` in the config).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct LoginConfig {
    /// Failed logins one name may have before each try must wait.
    pub free_failures_per_name: u32,
    /// Failed logins one address (an IPv6 /64) may have before each try
    /// must wait. Higher: a team behind one NAT shares an address.
    pub free_failures_per_address: u32,
    /// The longest wait, in seconds; failures older than this are forgotten.
    pub max_wait_secs: u64,
}

impl Default for LoginConfig {
    fn default() -> Self {
        Self {
            free_failures_per_name: 5,
            free_failures_per_address: 20,
            max_wait_secs: 900,
        }
    }
}

/// At most this many names and addresses are tracked, so a flood of
/// made-up names cannot grow the map without end.
const MAX_KEYS: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Name(String),
    Address(IpAddr),
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// The failed logins this process has seen.
#[derive(Debug)]
pub(crate) struct LoginThrottle {
    config: LoginConfig,
    failures: Mutex<HashMap<Key, Failures>>,
}

fn address_key(ip: IpAddr) -> Key {
    Key::Address(crate::client_block(ip))
}

/// Names are compared as the store compares them, capped so a long made-up
/// name costs no more memory than a real one.
fn name_key(name: &str) -> Key {
    Key::Name(name.chars().take(64).collect())
}

impl LoginThrottle {
    pub(crate) fn new(config: LoginConfig) -> Self {
        Self {
            config,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn max_wait(&self) -> Duration {
        Duration::from_secs(self.config.max_wait_secs.max(1))
    }

    fn keys(&self, name: &str, address: Option<IpAddr>) -> Vec<(Key, u32)> {
        let mut keys = vec![(name_key(name), self.config.free_failures_per_name)];
        if let Some(ip) = address {
            keys.push((address_key(ip), self.config.free_failures_per_address));
        }
        keys
    }

    /// How long one key must still wait after `f`, at `now`.
    fn wait_left(&self, f: Failures, free: u32, now: Instant) -> Duration {
        let Some(over) = f.count.checked_sub(free) else {
            return Duration::ZERO;
        };
        let wait = Duration::from_secs(1u64 << over.min(20)).min(self.max_wait());
        (f.last + wait).saturating_duration_since(now)
    }

    /// Admits one login for `name` from `address`, or `Err(wait)` when it
    /// must wait first. An admitted login counts as a failure until
    /// [`Self::succeeded`] says otherwise: counted here, under the same
    /// lock as the check, so many tries sent at once cannot all pass the
    /// check before the first failure is recorded.
    pub(crate) fn admit(&self, name: &str, address: Option<IpAddr>) -> Result<(), Duration> {
        let now = Instant::now();
        let forget = self.max_wait();
        let keys = self.keys(name, address);
        let mut failures = self.failures.lock().expect("throttle lock");
        let wait = keys
            .iter()
            .filter_map(|(key, free)| Some(self.wait_left(*failures.get(key)?, *free, now)))
            .max()
            .unwrap_or_default();
        if !wait.is_zero() {
            return Err(wait);
        }
        if failures.len() >= MAX_KEYS {
            failures.retain(|_, f| now.duration_since(f.last) < forget);
        }
        for (key, _) in keys {
            if failures.len() >= MAX_KEYS && !failures.contains_key(&key) {
                continue;
            }
            let f = failures.entry(key).or_insert(Failures {
                count: 0,
                last: now,
            });
            if now.duration_since(f.last) >= forget {
                f.count = 0;
            }
            f.count = f.count.saturating_add(1);
            f.last = now;
        }
        Ok(())
    }

    /// The admitted login succeeded: it ends the name's failures, and is no
    /// longer one of the address's (whose earlier failures stay: one account
    /// of the attacker's own must not reset its address).
    pub(crate) fn succeeded(&self, name: &str, address: Option<IpAddr>) {
        let mut failures = self.failures.lock().expect("throttle lock");
        failures.remove(&name_key(name));
        if let Some(f) = address.and_then(|ip| failures.get_mut(&address_key(ip))) {
            f.count = f.count.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle(per_name: u32, per_address: u32) -> LoginThrottle {
        LoginThrottle::new(LoginConfig {
            free_failures_per_name: per_name,
            free_failures_per_address: per_address,
            ..LoginConfig::default()
        })
    }

    #[test]
    fn free_failures_then_doubling_waits() {
        let t = throttle(3, 100);
        let ip = Some("192.0.2.7".parse().unwrap());
        for _ in 0..3 {
            assert_eq!(t.admit("ada", ip), Ok(()));
        }
        let first = t.admit("ada", ip).unwrap_err();
        assert!(first <= Duration::from_secs(1), "{first:?}");
        // A refused try adds nothing; once the wait is over the next try
        // is admitted, and a failure then doubles the wait.
        std::thread::sleep(first);
        assert_eq!(t.admit("ada", ip), Ok(()));
        let second = t.admit("ada", ip).unwrap_err();
        assert!(second > Duration::from_secs(1), "{second:?}");
        // Another name from the same address is not held up; success ends
        // the name's failures.
        assert_eq!(t.admit("grace", ip), Ok(()));
        t.succeeded("grace", ip);
        t.succeeded("ada", ip);
        assert_eq!(t.admit("ada", ip), Ok(()));
    }

    #[test]
    fn one_address_across_names_and_one_ipv6_prefix() {
        let t = throttle(100, 2);
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert_eq!(t.admit("x", Some(a)), Ok(()));
        assert_eq!(t.admit("y", Some(b)), Ok(()));
        assert!(t.admit("z", Some(a)).is_err(), "same /64");
        assert_eq!(
            t.admit("z", Some("2001:db8:1:3::1".parse().unwrap())),
            Ok(())
        );
        assert_eq!(t.admit("w", None), Ok(()));
    }

    #[test]
    fn waits_stop_at_the_cap() {
        let t = LoginThrottle::new(LoginConfig {
            free_failures_per_name: 0,
            max_wait_secs: 5,
            ..LoginConfig::default()
        });
        // Forty failures in: the doubling wait would be years.
        assert_eq!(t.admit("ada", None), Ok(()));
        t.failures
            .lock()
            .unwrap()
            .get_mut(&name_key("ada"))
            .unwrap()
            .count = 40;
        let wait = t.admit("ada", None).unwrap_err();
        assert!(wait <= Duration::from_secs(5), "{wait:?}");
    }
}
