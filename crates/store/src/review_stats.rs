//! How reviewers and the machine agree: per finding code over time, for
//! sampled automatic decisions, and between two reviewers of one item.

use sqlx::Row;

use crate::{Result, Store};

/// Reviews of uploads that carried one finding code, on one day.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CodePrecision {
    /// The finding code.
    pub code: String,
    /// Day (days since the Unix epoch, UTC).
    pub day: i64,
    /// Reviewed uploads that carried the code.
    pub reviewed: i64,
    /// Of those, how many the reviewer rejected (the finding was right to
    /// raise doubt).
    pub rejected: i64,
}

/// Agreement between pairs of decisions.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Agreement {
    /// Pairs compared.
    pub pairs: i64,
    /// Pairs that agreed.
    pub agreed: i64,
}

/// The review statistics.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReviewStats {
    /// Per finding code and day.
    pub codes: Vec<CodePrecision>,
    /// QA samples: the reviewer against the machine's accept or reject.
    pub qa: Agreement,
    /// Second opinions: the second reviewer against the first.
    pub second_opinions: Agreement,
}

const DAY_MS: i64 = 86_400_000;

impl Store {
    /// The statistics over every standing decision.
    pub async fn review_stats(&self) -> Result<ReviewStats> {
        let rows = sqlx::query(
            "SELECT f.code, d.created_at / $1 AS day, COUNT(*) AS n, \
             SUM(CASE WHEN d.decision = 'reject' THEN 1 ELSE 0 END) AS rejected \
             FROM review_decisions d JOIN review_items i ON i.id = d.item_id \
             JOIN (SELECT DISTINCT upload_id, code FROM findings) f ON f.upload_id = d.upload_id \
             WHERE d.undone_at IS NULL AND i.origin <> 'second' \
             GROUP BY f.code, d.created_at / $1 ORDER BY f.code, day",
        )
        .bind(DAY_MS)
        .fetch_all(&self.db.pool)
        .await?;
        let codes = rows
            .iter()
            .map(|r| {
                Ok(CodePrecision {
                    code: r.try_get("code")?,
                    day: r.try_get("day")?,
                    reviewed: r.try_get("n")?,
                    rejected: r.try_get::<Option<i64>, _>("rejected")?.unwrap_or(0),
                })
            })
            .collect::<Result<_>>()?;
        let qa = self
            .agreement(
                "SELECT COUNT(*) AS n, SUM(CASE WHEN d.decision = i.machine_decision THEN 1 ELSE 0 END) AS agreed \
                 FROM review_decisions d JOIN review_items i ON i.id = d.item_id \
                 WHERE d.undone_at IS NULL AND i.origin = 'qa'",
            )
            .await?;
        let second_opinions = self
            .agreement(
                "SELECT COUNT(*) AS n, SUM(CASE WHEN a.decision = b.decision THEN 1 ELSE 0 END) AS agreed \
                 FROM review_items s \
                 JOIN review_decisions b ON b.item_id = s.id AND b.undone_at IS NULL \
                 JOIN review_decisions a ON a.item_id = s.first_item AND a.undone_at IS NULL \
                 WHERE s.origin = 'second'",
            )
            .await?;
        Ok(ReviewStats {
            codes,
            qa,
            second_opinions,
        })
    }

    async fn agreement(&self, sql: &'static str) -> Result<Agreement> {
        let r = sqlx::query(sql).fetch_one(&self.db.pool).await?;
        Ok(Agreement {
            pairs: r.try_get("n")?,
            agreed: r.try_get::<Option<i64>, _>("agreed")?.unwrap_or(0),
        })
    }
}
