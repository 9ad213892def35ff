//! The things a task's text names that the object detector knows: "your
//! cat or dog", "a car, a bus, a motorbike or a train", "people doing a
//! sport". A task that lists what it wants is held to its list: an upload
//! showing none of them needs a closer fit by concepts to pass
//! ([`crate::task_content`]). Only COCO's categories and their synonyms
//! count, not ImageNet's lemmas: the detector names its 80 categories far
//! more reliably than the classifier names one of its 1000 classes, and
//! everyday words ("home", "life") are lemmas of odd classes.

use bonafide_models::{Meaning, Vocabulary};

/// The object categories `text` names, each word once with its meaning,
/// in the order written. Two-word names ("potted plant", "hot dog") are
/// read before their single words.
pub(crate) fn named_things<'v>(
    text: &str,
    vocabulary: &'v Vocabulary,
) -> Vec<(String, &'v Meaning)> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let object = |word: &str| {
        vocabulary
            .resolve(word)
            .ok()
            .filter(|m| !m.objects.is_empty())
    };
    let mut named: Vec<(String, &Meaning)> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let pair = words.get(i + 1).map(|next| format!("{} {next}", words[i]));
        let (word, meaning, used) = match pair.as_deref().and_then(|p| object(p).map(|m| (p, m))) {
            Some((p, m)) => (p.to_owned(), Some(m), 2),
            None => (words[i].clone(), object(&words[i]), 1),
        };
        if let Some(m) = meaning
            && !named.iter().any(|(w, _)| *w == word)
        {
            named.push((word, m));
        }
        i += used;
    }
    named
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let vocabulary = Vocabulary::new(&[]);
        named_things(text, &vocabulary)
            .into_iter()
            .map(|(w, _)| w)
            .collect()
    }

    #[test]
    fn reads_the_object_words_of_a_task() {
        assert_eq!(
            words("Your pet. Take a photo of your cat or dog."),
            ["cat", "dog"]
        );
        assert_eq!(
            words("Photograph a vehicle: a car, a bus, a motorbike, a train, a boat or a plane."),
            [
                "vehicle",
                "car",
                "bus",
                "motorbike",
                "train",
                "boat",
                "plane"
            ]
        );
        // Plurals, two-word names, each word once.
        assert_eq!(
            words("Dogs and cats. A hot dog, a potted plant, more dogs."),
            ["dogs", "cats", "hot dog", "potted plant"]
        );
    }

    #[test]
    fn names_nothing_where_coco_has_no_word() {
        assert!(words("A landscape photo of nature: mountains, lakes or the sea.").is_empty());
        assert!(words("").is_empty());
        assert!(words("Urban life. Take a picture of a street in a town.").is_empty());
    }

    #[test]
    fn a_word_keeps_its_categories() {
        let vocabulary = Vocabulary::new(&[]);
        let named = named_things("people doing a sport", &vocabulary);
        assert_eq!(named.len(), 1);
        assert_eq!(named[0].1.objects, ["person"]);
    }
}
