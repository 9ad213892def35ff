//! BERT's uncased WordPiece tokenizer (as `BertTokenizer` with
//! `do_lower_case`): clean, split CJK characters, lowercase, strip accents,
//! split on whitespace and punctuation, then greedy longest-match word
//! pieces from the vocabulary ("##" marks a piece inside a word).

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

/// Words longer than this (in characters) become `[UNK]`, as in BERT.
const MAX_WORD_CHARS: usize = 100;

/// A vocabulary and the special tokens' ids.
#[derive(Debug, Clone)]
pub struct WordPiece {
    ids: HashMap<String, i64>,
    unk: i64,
    cls: i64,
    sep: i64,
}

impl WordPiece {
    /// From `vocab.txt`: one token per line, the id is the line number.
    /// `None` when a special token is missing.
    pub fn new(vocab: &str) -> Option<Self> {
        let ids: HashMap<String, i64> = vocab
            .lines()
            .enumerate()
            .map(|(i, t)| (t.to_owned(), i as i64))
            .collect();
        Some(Self {
            unk: *ids.get("[UNK]")?,
            cls: *ids.get("[CLS]")?,
            sep: *ids.get("[SEP]")?,
            ids,
        })
    }

    /// `[CLS]` + the text's pieces + `[SEP]`, at most `max_len` ids.
    pub fn encode(&self, text: &str, max_len: usize) -> Vec<i64> {
        let mut out = vec![self.cls];
        for word in basic_tokens(text) {
            self.pieces(&word, &mut out);
        }
        out.truncate(max_len.saturating_sub(1).max(1));
        out.push(self.sep);
        out
    }

    fn pieces(&self, word: &str, out: &mut Vec<i64>) {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() > MAX_WORD_CHARS {
            out.push(self.unk);
            return;
        }
        let start_len = out.len();
        let mut start = 0;
        while start < chars.len() {
            let mut end = chars.len();
            let mut found = None;
            while start < end {
                let piece: String = chars[start..end].iter().collect();
                let piece = if start > 0 {
                    format!("##{piece}")
                } else {
                    piece
                };
                if let Some(&id) = self.ids.get(&piece) {
                    found = Some(id);
                    break;
                }
                end -= 1;
            }
            let Some(id) = found else {
                // One unknown piece makes the whole word unknown.
                out.truncate(start_len);
                out.push(self.unk);
                return;
            };
            out.push(id);
            start = end;
        }
    }
}

/// BERT's basic tokenisation, lowercased and without accents.
fn basic_tokens(text: &str) -> Vec<String> {
    let mut spaced = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\0' || c == '\u{fffd}' || (c.is_control() && !c.is_whitespace()) {
            continue;
        }
        if is_cjk(c) {
            spaced.push(' ');
            spaced.push(c);
            spaced.push(' ');
        } else if c.is_whitespace() {
            spaced.push(' ');
        } else {
            spaced.push(c);
        }
    }
    let mut tokens = Vec::new();
    for word in spaced.split(' ').filter(|w| !w.is_empty()) {
        let lowered: String = word
            .to_lowercase()
            .nfd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
            .collect();
        let mut current = String::new();
        for c in lowered.chars() {
            if is_punctuation(c) {
                if !current.is_empty() {
                    tokens.push(std::mem::take(&mut current));
                }
                tokens.push(c.to_string());
            } else {
                current.push(c);
            }
        }
        if !current.is_empty() {
            tokens.push(current);
        }
    }
    tokens
}

/// ASCII symbols count as punctuation in BERT, and so does Unicode's
/// general punctuation block (the common non-ASCII quotes, dashes and
/// ellipses). Other Unicode punctuation is rare in task texts.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || (('\u{2000}'..='\u{206F}').contains(&c) && !c.is_whitespace())
        || matches!(c, '¡' | '¿' | '«' | '»' | '·' | '、' | '。')
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0x2A700..=0x2B73F
        | 0x2B740..=0x2B81F | 0x2B820..=0x2CEAF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> WordPiece {
        WordPiece::new(
            "[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\ntrash\n##can\nun\n##believ\n##able\n,\n!\nhello",
        )
        .unwrap()
    }

    #[test]
    fn splits_words_into_pieces() {
        let v = vocab();
        // [CLS] hello , the trash ##can ! un ##believ ##able [SEP]
        assert_eq!(
            v.encode("Héllo, the TRASHCAN! unbelievable", 64),
            [2, 12, 10, 4, 5, 6, 11, 7, 8, 9, 3]
        );
        assert_eq!(v.encode("zzz trash", 64), [2, 1, 5, 3], "unknown word");
        assert_eq!(v.encode("the the the the", 4), [2, 4, 4, 3], "truncated");
    }
}
