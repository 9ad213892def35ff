//! The words a task may require or forbid (`must_show`, `must_not_show`)
//! and what each means to the models: COCO categories the object detector
//! finds (by name or a common synonym) and ImageNet classes the classifier
//! names (by any WordNet lemma, or a lemma's head noun when the class's
//! definition uses it too: "cat" for "Egyptian cat, a domestic cat of
//! Egypt", not "dog" for "hot dog, a frankfurter served hot"). A word that means nothing to them is refused with the
//! nearest words that do, so a task never asks for what cannot be checked.

use std::collections::BTreeMap;

use crate::{
    Concept,
    coco::{LABELS, SYNONYMS},
};

/// What a requirement word means to the models.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Meaning {
    /// COCO category names (the object detector's labels).
    pub objects: Vec<&'static str>,
    /// ImageNet class indices (the classifier's outputs).
    pub classes: Vec<usize>,
}

/// A requirement word no model knows, with the nearest words that one does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no model knows the word {word:?}; nearest known: {}", nearest.join(", "))]
pub struct UnknownWord {
    /// The word as given.
    pub word: String,
    /// Known words closest in spelling, closest first.
    pub nearest: Vec<String>,
}

/// Every known word and its meaning.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    words: BTreeMap<String, Meaning>,
}

/// Known words offered in place of an unknown one.
const NEAREST: usize = 5;

impl Vocabulary {
    /// COCO's categories and synonyms, and the ImageNet `classes` (empty
    /// when the classifier is not installed).
    pub fn new(classes: &[Concept]) -> Self {
        let mut words: BTreeMap<String, Meaning> = BTreeMap::new();
        for label in LABELS.iter().filter(|l| !l.is_empty()) {
            push_object(&mut words, label, label);
        }
        for (label, others) in SYNONYMS {
            for other in others {
                push_object(&mut words, other, label);
            }
        }
        for (index, concept) in classes.iter().enumerate() {
            let definition = concept.definition.to_lowercase();
            for lemma in concept.lemmas.split(',').map(normalise) {
                if lemma.is_empty() {
                    continue;
                }
                let head = lemma.rsplit(' ').next().unwrap_or(&lemma).to_owned();
                push_class(&mut words, &lemma, index);
                if head != lemma && definition.contains(&head) {
                    push_class(&mut words, &head, index);
                }
            }
        }
        Self { words }
    }

    /// What `word` means (case, spacing and a plural `s` ignored), or the
    /// nearest known words.
    pub fn resolve(&self, word: &str) -> Result<&Meaning, UnknownWord> {
        let key = normalise(word);
        let singular = key.strip_suffix('s').filter(|s| !s.is_empty());
        if let Some(m) = self
            .words
            .get(&key)
            .or_else(|| singular.and_then(|s| self.words.get(s)))
        {
            return Ok(m);
        }
        let mut near: Vec<(f64, &String)> = self
            .words
            .keys()
            .map(|k| (strsim::jaro_winkler(&key, k), k))
            .collect();
        near.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        Err(UnknownWord {
            word: word.to_owned(),
            nearest: near
                .into_iter()
                .take(NEAREST)
                .map(|(_, k)| k.clone())
                .collect(),
        })
    }
}

fn push_object(words: &mut BTreeMap<String, Meaning>, word: &str, label: &'static str) {
    let m = words.entry(normalise(word)).or_default();
    if !m.objects.contains(&label) {
        m.objects.push(label);
    }
}

fn push_class(words: &mut BTreeMap<String, Meaning>, word: &str, class: usize) {
    let m = words.entry(word.to_owned()).or_default();
    if !m.classes.contains(&class) {
        m.classes.push(class);
    }
}

/// Lower case, one space between words, no surrounding spaces.
fn normalise(word: &str) -> String {
    word.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn concept(lemmas: &str, definition: &str) -> Concept {
        Concept {
            name: lemmas.split(',').next().unwrap_or_default().to_owned(),
            lemmas: lemmas.to_owned(),
            definition: definition.to_owned(),
        }
    }

    #[test]
    fn words_mean_coco_categories_and_imagenet_classes() {
        let v = Vocabulary::new(&[
            concept("Egyptian cat", "a domestic cat of Egypt"),
            concept(
                "ashcan, trash can, garbage can, wastebin, dustbin",
                "a bin that holds rubbish until it is collected",
            ),
            concept(
                "hotdog, hot dog, red hot",
                "a frankfurter served hot on a bun",
            ),
        ]);
        let cat = v.resolve("Cats").unwrap();
        assert_eq!(cat.objects, ["cat"]);
        assert_eq!(cat.classes, [0]);
        assert_eq!(v.resolve("puppy").unwrap().objects, ["dog"]);
        assert_eq!(v.resolve("trash  can").unwrap().classes, [1]);
        // A head noun the definition does not use is another thing.
        assert!(v.resolve("can").is_err());
        assert!(v.resolve("dog").unwrap().classes.is_empty());
        assert_eq!(v.resolve("hot dog").unwrap().classes, [2]);
    }

    #[test]
    fn unknown_words_come_with_the_nearest_known_ones() {
        let v = Vocabulary::new(&[]);
        let e = v.resolve("dogg").unwrap_err();
        assert_eq!(e.word, "dogg");
        assert_eq!(e.nearest.first().map(String::as_str), Some("dog"));
        assert!(v.resolve("").is_err());
    }
}
