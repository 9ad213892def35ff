//! Image embeddings: points in a model's vector space where pictures of the
//! same thing lie close together.

use std::sync::Arc;

/// A unit-length embedding vector (CLIP image space, 512 dimensions).
/// Cheap to clone; cosine similarity of two unit vectors is their dot
/// product.
#[derive(Debug, Clone, PartialEq)]
pub struct Embedding(Arc<[f32]>);

impl Embedding {
    /// Scales `values` to unit length (a zero vector stays zero).
    pub fn normalized(mut values: Vec<f32>) -> Self {
        let norm = values.iter().map(|v| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            values.iter_mut().for_each(|v| *v /= norm);
        }
        Self(values.into())
    }

    /// The components.
    pub fn values(&self) -> &[f32] {
        &self.0
    }

    /// Cosine similarity, −1 to 1.
    pub fn cosine(&self, other: &Embedding) -> f32 {
        self.0.iter().zip(other.0.iter()).map(|(a, b)| a * b).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::Embedding;

    #[test]
    fn unit_length_and_cosine() {
        let a = Embedding::normalized(vec![3.0, 4.0]);
        assert_eq!(a.values(), [0.6, 0.8]);
        let b = Embedding::normalized(vec![0.0, 2.0]);
        assert!((a.cosine(&b) - 0.8).abs() < 1e-6);
        assert!((a.cosine(&a) - 1.0).abs() < 1e-6);
        assert_eq!(Embedding::normalized(vec![0.0; 3]).values(), [0.0; 3]);
    }
}
