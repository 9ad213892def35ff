//! The item page's metadata table: what the file says about itself,
//! flattened into rows, kept for recently viewed files.

use std::sync::Arc;

use bonafide_store::UploadRecord;

use crate::AppState;

/// Metadata rows of recently viewed files, by content hash: an item page
/// is opened again and again while it is worked, and reading a file's
/// metadata means fetching it and parsing an uploader's bytes.
pub(crate) type MetadataRows = quick_cache::sync::Cache<String, Arc<Vec<(String, String)>>>;

/// How many files' rows [`MetadataRows`] keeps.
pub(crate) const METADATA_ROWS_KEPT: usize = 1024;

/// Flattens a JSON document into `(path, value)` rows for a table.
fn flatten(prefix: &str, v: &serde_json::Value, rows: &mut Vec<(String, String)>) {
    match v {
        serde_json::Value::Null => {}
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, rows);
            }
        }
        serde_json::Value::Array(items)
            if items.iter().all(|i| !i.is_object() && !i.is_array()) =>
        {
            let joined: Vec<String> = items
                .iter()
                .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                .collect();
            rows.push((prefix.to_owned(), joined.join(", ")));
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), v, rows);
            }
        }
        serde_json::Value::String(s) => rows.push((prefix.to_owned(), s.clone())),
        other => rows.push((prefix.to_owned(), other.to_string())),
    }
}

/// The upload's metadata rows (at most 200), from the cache or read now.
pub(super) async fn metadata_rows(
    state: &AppState,
    rec: &UploadRecord,
) -> Arc<Vec<(String, String)>> {
    if let Some(rows) = state.metadata_rows.get(&rec.meta.sha256) {
        return rows;
    }
    let Ok(bytes) = state.engine.store().blobs.get(&rec.blob_key).await else {
        return Arc::new(vec![(
            "error".into(),
            "the stored file could not be read".into(),
        )]);
    };
    // Parsing the uploader's bytes is CPU work: off the async threads.
    let parsed = tokio::task::spawn_blocking(move || {
        let meta = bonafide_metadata::read(&bytes);
        let mut rows = Vec::new();
        if let Ok(v) = serde_json::to_value(&meta) {
            flatten("", &v, &mut rows);
        }
        rows.truncate(200);
        rows
    })
    .await;
    let rows = Arc::new(parsed.unwrap_or_else(|_| {
        vec![(
            "error".into(),
            "the file's metadata could not be read".into(),
        )]
    }));
    state
        .metadata_rows
        .insert(rec.meta.sha256.clone(), rows.clone());
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattens_nested_metadata() {
        let v = serde_json::json!({"exif": {"make": "Canon", "gps": null}, "keywords": ["a", "b"], "n": 3});
        let mut rows = Vec::new();
        flatten("", &v, &mut rows);
        assert_eq!(
            rows,
            [
                ("exif.make".to_owned(), "Canon".to_owned()),
                ("keywords".to_owned(), "a, b".to_owned()),
                ("n".to_owned(), "3".to_owned())
            ]
        );
    }
}
