//! A brute-force index over 256-bit codes: every query scans every code
//! with `popcount`. Exact (100 % recall within any radius) and fast enough
//! up to ~10^5 codes; multi-index hashing replaces it once measured.

/// 256-bit codes with a payload each.
#[derive(Debug)]
pub struct LinearIndex<T> {
    codes: Vec<[u64; 4]>,
    items: Vec<T>,
}

impl<T> Default for LinearIndex<T> {
    fn default() -> Self {
        Self {
            codes: Vec::new(),
            items: Vec::new(),
        }
    }
}

/// Packs 32 bytes into four words for fast `popcount`.
pub fn pack(bytes: &[u8; 32]) -> [u64; 4] {
    let mut words = [0u64; 4];
    for (w, chunk) in words.iter_mut().zip(bytes.chunks_exact(8)) {
        *w = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
    }
    words
}

/// Hamming distance of two packed codes.
pub fn distance(a: &[u64; 4], b: &[u64; 4]) -> u32 {
    (a[0] ^ b[0]).count_ones()
        + (a[1] ^ b[1]).count_ones()
        + (a[2] ^ b[2]).count_ones()
        + (a[3] ^ b[3]).count_ones()
}

impl<T> LinearIndex<T> {
    /// Adds a code.
    pub fn insert(&mut self, code: [u64; 4], item: T) {
        self.codes.push(code);
        self.items.push(item);
    }

    /// Number of codes.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Every item whose code is within `radius` of `query`, with its distance.
    pub fn within<'a>(
        &'a self,
        query: &'a [u64; 4],
        radius: u32,
    ) -> impl Iterator<Item = (u32, &'a T)> + 'a {
        self.codes
            .iter()
            .zip(&self.items)
            .map(move |(code, item)| (distance(code, query), item))
            .filter(move |(d, _)| *d <= radius)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radius_queries_are_exact() {
        let mut index = LinearIndex::default();
        let base = [0u8; 32];
        for flips in [0usize, 5, 31, 32, 200] {
            let mut code = base;
            for bit in 0..flips {
                code[bit / 8] |= 1 << (bit % 8);
            }
            index.insert(pack(&code), flips);
        }
        let found: Vec<_> = index
            .within(&pack(&base), 31)
            .map(|(d, f)| (d, *f))
            .collect();
        assert_eq!(found, [(0, 0), (5, 5), (31, 31)]);
        assert_eq!(index.len(), 5);
    }
}
