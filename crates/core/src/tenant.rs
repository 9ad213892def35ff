//! Tenants: a configured group of API clients whose uploads are matched,
//! linked and shown only among themselves. One company running Bonafide
//! for its own apps has one tenant ([`DEFAULT_TENANT`]); a deployment that
//! screens for several companies gives each its own, so no company's
//! contributors, devices, duplicates or clusters reach another's.

/// The tenant of every client created without one, and of uploads sent
/// without a client (the CLI's own scans).
pub const DEFAULT_TENANT: &str = "default";

/// Longest tenant name.
pub const MAX_TENANT_LEN: usize = 32;

/// Whether `name` is a valid tenant name: 1–32 of `a-z 0-9 _ -` (it
/// appears in bank names and URLs).
pub fn valid_tenant(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_TENANT_LEN
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// The bank of content already rejected within `tenant` (policy rules with
/// `remember`, reviewers' rejects): [`crate::REJECTED_BANK`] for the
/// default tenant, `rejected-{tenant}` for others. A tenant's rejects say
/// nothing to another tenant.
pub fn rejected_bank(tenant: &str) -> String {
    if tenant == DEFAULT_TENANT {
        crate::REJECTED_BANK.to_owned()
    } else {
        format!("{}-{tenant}", crate::REJECTED_BANK)
    }
}

/// Whether `bank` is some tenant's rejected bank ([`rejected_bank`]).
pub fn is_rejected_bank(bank: &str) -> bool {
    bank == crate::REJECTED_BANK
        || bank
            .strip_prefix(crate::REJECTED_BANK)
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(valid_tenant)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_rejected_banks() {
        assert!(valid_tenant("acme-2"));
        assert!(!valid_tenant(""));
        assert!(!valid_tenant("Acme"));
        assert!(!valid_tenant(&"a".repeat(33)));
        assert_eq!(rejected_bank(DEFAULT_TENANT), "rejected");
        assert_eq!(rejected_bank("acme"), "rejected-acme");
        assert!(is_rejected_bank("rejected") && is_rejected_bank("rejected-acme"));
        assert!(!is_rejected_bank("rejectedx") && !is_rejected_bank("stock"));
    }
}
