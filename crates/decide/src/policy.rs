use bonafide_core::{Decision, Finding, Reason, Verdict, is_rejected_bank};
use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

const DEFAULT: &str = include_str!("default_policy.toml");

/// Why a policy file was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// Not valid TOML for a policy.
    #[error("policy is not valid: {0}")]
    Parse(#[from] toml::de::Error),
    /// Parsed, but a value is out of range.
    #[error("policy is not valid: {0}")]
    Invalid(String),
    /// A rule names a code (or a `prefix.*` matching none) that no
    /// detector emits: it would never fire.
    #[error(
        "policy rule {rule} (code = {code:?}) names {pattern:?}, which no detector emits; \
         known codes: {known}"
    )]
    UnknownCode {
        /// The rule's place in the file, from 1.
        rule: usize,
        /// The rule's code.
        code: String,
        /// The unknown code or pattern (the rule's own, or one of its `with`).
        pattern: String,
        /// Every known code, comma-separated.
        known: String,
    },
}

/// Finding codes and scores → actions. Serialised, it is what the audit
/// log records when the policy in force changes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Recorded with every verdict, so a decision can be traced to its rules.
    pub version: String,
    /// Action for findings that no rule matches.
    pub unmatched: Decision,
    /// Rules, first match wins per finding.
    #[serde(rename = "rule", default)]
    pub rules: Vec<Rule>,
}

/// One rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// A finding code, or a prefix pattern such as `task.*`.
    pub code: String,
    /// The rule applies only from this score up.
    #[serde(default)]
    pub min_score: f32,
    /// For `bank.match`: the rule applies only to matches in this bank.
    #[serde(default)]
    pub bank: Option<String>,
    /// What a matching finding asks for.
    pub action: Decision,
    /// A reject this rule decides also adds the upload's photo to the
    /// `rejected` bank, so later copies of it match by hash alone. Only for
    /// rules about the content itself (a known stock image; later an AI
    /// image), never about who sent it: a stolen photo remembered as
    /// rejected would reject its owner's own next upload of it.
    #[serde(default)]
    pub remember: bool,
    /// The rule applies only when the upload also has a finding for each
    /// of these codes (or `prefix.*` patterns): two weak signals that
    /// together are hard evidence, e.g. an editor's name plus a thumbnail
    /// that no longer shows the picture.
    #[serde(default)]
    pub with: Vec<String>,
}

/// Whether `code` is `pattern`, or starts with the prefix of a `prefix.*`.
fn code_matches(pattern: &str, code: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => code.starts_with(prefix),
        None => code == pattern,
    }
}

impl Rule {
    /// Whether the rule applies to finding `f` among all the upload's
    /// `findings`.
    fn matches(&self, f: &Finding, findings: &[Finding]) -> bool {
        let bank_ok = self
            .bank
            .as_ref()
            .is_none_or(|b| f.evidence["bank"] == b.as_str());
        let with_ok = self
            .with
            .iter()
            .all(|w| findings.iter().any(|other| code_matches(w, &other.code)));
        code_matches(&self.code, &f.code) && bank_ok && f.score >= self.min_score && with_ok
    }
}

impl Default for Policy {
    fn default() -> Self {
        Self::from_toml(DEFAULT).expect("the shipped default policy is valid")
    }
}

impl Policy {
    /// Parses and validates a policy file's text.
    pub fn from_toml(text: &str) -> Result<Self, PolicyError> {
        let p: Policy = toml::from_str(text)?;
        if p.version.trim().is_empty() {
            return Err(PolicyError::Invalid("`version` must not be empty".into()));
        }
        for r in &p.rules {
            if r.code.trim().is_empty() || r.code == "*" {
                return Err(PolicyError::Invalid(
                    "a rule's `code` must name a code or a `prefix.*`".into(),
                ));
            }
            if !(0.0..=1.0).contains(&r.min_score) {
                return Err(PolicyError::Invalid(format!(
                    "rule {}: min_score must be in 0..=1",
                    r.code
                )));
            }
            if r.with.iter().any(|w| w.trim().is_empty() || w == "*") {
                return Err(PolicyError::Invalid(format!(
                    "rule {}: each `with` entry must name a code or a `prefix.*`",
                    r.code
                )));
            }
            if r.remember && r.action != Decision::Reject {
                return Err(PolicyError::Invalid(format!(
                    "rule {}: `remember` is for reject rules",
                    r.code
                )));
            }
        }
        Ok(p)
    }

    /// Refuses the policy if a rule's `code` or `with` names a code that is
    /// not in `known` (a `prefix.*` pattern must match one of them): such a
    /// rule never fires, so it is a typo or a detector that does not exist.
    pub fn check_codes(&self, known: &BTreeSet<&str>) -> Result<(), PolicyError> {
        for (i, r) in self.rules.iter().enumerate() {
            let unknown = std::iter::once(&r.code)
                .chain(&r.with)
                .find(|pattern| !known.iter().any(|code| code_matches(pattern, code)));
            if let Some(pattern) = unknown {
                return Err(PolicyError::UnknownCode {
                    rule: i + 1,
                    code: r.code.clone(),
                    pattern: pattern.clone(),
                    known: known.iter().copied().collect::<Vec<_>>().join(", "),
                });
            }
        }
        Ok(())
    }

    /// The action one finding asks for, among all the upload's findings
    /// (rules with `with` look at the others).
    pub fn action_for(&self, f: &Finding, findings: &[Finding]) -> Decision {
        self.rules
            .iter()
            .find(|r| r.matches(f, findings))
            .map_or(self.unmatched, |r| r.action)
    }

    /// The finding of a reject `verdict` (decided on `findings`) that
    /// should be remembered in its tenant's rejected bank — its rule says
    /// `remember` — the highest-scoring if several; none when the verdict is
    /// not a reject, or when the finding is itself a match in that bank (the
    /// content is remembered already).
    pub fn remembered<'f>(
        &self,
        verdict: &Verdict,
        findings: &'f [Finding],
    ) -> Option<&'f Finding> {
        if verdict.decision != Decision::Reject {
            return None;
        }
        findings
            .iter()
            .filter(|f| !f.evidence["bank"].as_str().is_some_and(is_rejected_bank))
            .filter(|f| {
                self.rules
                    .iter()
                    .find(|r| r.matches(f, findings))
                    .is_some_and(|r| r.remember && r.action == Decision::Reject)
            })
            .max_by(|a, b| a.score.total_cmp(&b.score))
    }

    /// Decides: the most severe action any finding asks for, with the
    /// findings that asked for it as reasons (highest score first).
    pub fn decide(&self, findings: &[Finding]) -> Verdict {
        let actions: Vec<Decision> = findings
            .iter()
            .map(|f| self.action_for(f, findings))
            .collect();
        let decision = actions.iter().copied().max().unwrap_or(Decision::Accept);
        let mut reasons: Vec<Reason> = findings
            .iter()
            .zip(&actions)
            .filter(|(_, a)| decision != Decision::Accept && **a == decision)
            .map(|(f, _)| Reason {
                code: f.code.clone(),
                score: f.score,
                message: f.message.clone(),
            })
            .collect();
        reasons.sort_by(|a, b| b.score.total_cmp(&a.score));
        Verdict {
            decision,
            reasons,
            policy_version: self.version.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(code: &str, score: f32) -> Finding {
        Finding::new("t", code, score, format!("{code} happened"))
    }

    #[test]
    fn rules_must_name_known_codes() {
        let known: BTreeSet<&str> = ["duplicate.exact", "duplicate.near", "ai.generated"].into();
        let policy = |rules: &str| {
            Policy::from_toml(&format!("version = \"v\"\nunmatched = \"review\"\n{rules}")).unwrap()
        };
        let ok = policy(
            "[[rule]]\ncode = \"duplicate.*\"\naction = \"reject\"\n\
             [[rule]]\ncode = \"ai.generated\"\nwith = [\"duplicate.near\"]\naction = \"reject\"\n",
        );
        assert!(ok.check_codes(&known).is_ok());
        for (rules, rule, pattern) in [
            (
                "[[rule]]\ncode = \"ai.generatd\"\naction = \"reject\"\n",
                1,
                "ai.generatd",
            ),
            (
                "[[rule]]\ncode = \"task.*\"\naction = \"reject\"\n",
                1,
                "task.*",
            ),
            (
                "[[rule]]\ncode = \"duplicate.*\"\naction = \"accept\"\n\
                 [[rule]]\ncode = \"ai.generated\"\nwith = [\"metadata.*\"]\naction = \"reject\"\n",
                2,
                "metadata.*",
            ),
        ] {
            let err = policy(rules).check_codes(&known).unwrap_err();
            assert!(
                matches!(&err, PolicyError::UnknownCode { rule: r, pattern: p, .. } if *r == rule && p == pattern),
                "{err}"
            );
        }
    }

    #[test]
    fn default_policy_decides_by_severity() {
        let p = Policy::default();
        assert_eq!(p.decide(&[]).decision, Decision::Accept);
        assert_eq!(
            p.decide(&[f("media.type_mismatch", 0.2)]).decision,
            Decision::Accept
        );
        assert!(
            p.decide(&[f("media.type_mismatch", 0.2)])
                .reasons
                .is_empty()
        );
        let v = p.decide(&[f("media.type_mismatch", 0.2), f("duplicate.exact", 1.0)]);
        assert_eq!(v.decision, Decision::Reject);
        assert_eq!(v.reasons.len(), 1);
        assert_eq!(v.reasons[0].code, "duplicate.exact");
        assert_eq!(
            p.decide(&[f("duplicate.exact", 0.6)]).decision,
            Decision::Review
        );
        assert_eq!(
            p.decide(&[f("task.kind_not_allowed", 1.0)]).decision,
            Decision::Reject
        );
        assert_eq!(
            p.decide(&[f("something.new", 0.1)]).decision,
            Decision::Review
        );
    }

    #[test]
    fn rules_can_name_a_bank() {
        let p = Policy::from_toml(
            "version = \"x\"\nunmatched = \"review\"\n\
             [[rule]]\ncode = \"bank.match\"\nbank = \"stock\"\naction = \"reject\"\n\
             [[rule]]\ncode = \"bank.match\"\naction = \"accept\"",
        )
        .unwrap();
        let hit =
            |bank: &str| f("bank.match", 0.7).with_evidence(serde_json::json!({"bank": bank}));
        assert_eq!(p.decide(&[hit("stock")]).decision, Decision::Reject);
        assert_eq!(p.decide(&[hit("partners")]).decision, Decision::Accept);
    }

    #[test]
    fn with_rules_need_every_named_finding() {
        let p = Policy::default();
        let thumb = f("metadata.thumbnail_mismatch", 0.8);
        let editor = f("metadata.editing_software", 0.5);
        assert_eq!(
            p.decide(std::slice::from_ref(&thumb)).decision,
            Decision::Review
        );
        assert_eq!(
            p.decide(std::slice::from_ref(&editor)).decision,
            Decision::Review
        );
        let both = p.decide(&[editor, thumb]);
        assert_eq!(both.decision, Decision::Reject);
        assert_eq!(both.reasons[0].code, "metadata.thumbnail_mismatch");
        let blank = "version = \"x\"\nunmatched = \"accept\"\n[[rule]]\ncode = \"a\"\nwith = [\"\"]\naction = \"reject\"";
        assert!(matches!(
            Policy::from_toml(blank),
            Err(PolicyError::Invalid(_))
        ));
    }

    #[test]
    fn c2pa_hard_evidence_rejects_and_valid_credentials_accept() {
        let p = Policy::default();
        for (code, decision) in [
            ("c2pa.tampered", Decision::Reject),
            ("c2pa.ai_generated", Decision::Reject),
            ("c2pa.invalid", Decision::Review),
            ("c2pa.unreadable", Decision::Review),
            ("c2pa.trusted", Decision::Accept),
            ("c2pa.untrusted", Decision::Accept),
        ] {
            assert_eq!(p.decide(&[f(code, 0.5)]).decision, decision, "{code}");
        }
    }

    #[test]
    fn rejects_bad_policies() {
        assert!(Policy::from_toml("version = \"\"\nunmatched = \"accept\"").is_err());
        assert!(Policy::from_toml("version = \"x\"\nunmatched = \"maybe\"").is_err());
        let bad_score = "version = \"x\"\nunmatched = \"accept\"\n[[rule]]\ncode = \"a\"\nmin_score = 2.0\naction = \"reject\"";
        assert!(matches!(
            Policy::from_toml(bad_score),
            Err(PolicyError::Invalid(_))
        ));
    }

    #[test]
    fn rejects_by_remember_rules_are_remembered_once() {
        let p = Policy::default();
        let stock = f("bank.match", 0.9).with_evidence(serde_json::json!({"bank": "stock"}));
        let findings = [stock.clone(), f("duplicate.near", 0.95)];
        let verdict = p.decide(&findings);
        assert_eq!(p.remembered(&verdict, &findings), Some(&stock));
        // Someone else's photo is rejected, not remembered.
        let theft = [f("duplicate.near", 0.95)];
        assert_eq!(p.remembered(&p.decide(&theft), &theft), None);
        // A match in the rejected bank is remembered already.
        let again = [f("bank.match", 0.9).with_evidence(serde_json::json!({"bank": "rejected"}))];
        assert_eq!(p.decide(&again).decision, Decision::Reject);
        assert_eq!(p.remembered(&p.decide(&again), &again), None);
        // Only reject rules may remember.
        let err = Policy::from_toml(
            "version = \"t\"\nunmatched = \"review\"\n[[rule]]\ncode = \"x\"\naction = \"review\"\nremember = true\n",
        );
        assert!(err.is_err());
    }
}
