use std::{fmt, str::FromStr};

/// A 256-bit PDQ hash.
///
/// Stored as sixteen 16-bit words exactly as the reference does: bit `k`
/// (the `k`-th DCT coefficient, row-major) is bit `k % 16` of word `k / 16`,
/// and the hex form prints word 15 first.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Hash256(pub [u16; 16]);

/// Text that is not 64 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a PDQ hash is 64 hex digits")]
pub struct ParseHashError;

impl Hash256 {
    /// Number of differing bits.
    pub fn distance(&self, other: &Self) -> u32 {
        self.0
            .iter()
            .zip(other.0.iter())
            .map(|(a, b)| (a ^ b).count_ones())
            .sum()
    }

    /// Sets bit `k` (0..256).
    pub(crate) fn set(&mut self, k: usize) {
        self.0[k / 16] |= 1 << (k % 16);
    }

    /// The 32 bytes in hex order (word 15 first, big-endian words), for
    /// storage and indexing.
    pub fn to_bytes(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (i, w) in self.0.iter().rev().enumerate() {
            out[2 * i..2 * i + 2].copy_from_slice(&w.to_be_bytes());
        }
        out
    }

    /// Inverse of [`Hash256::to_bytes`].
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        let mut words = [0u16; 16];
        for (i, w) in words.iter_mut().rev().enumerate() {
            *w = u16::from_be_bytes([bytes[2 * i], bytes[2 * i + 1]]);
        }
        Self(words)
    }
}

impl fmt::Display for Hash256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for w in self.0.iter().rev() {
            write!(f, "{w:04x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Hash256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash256({self})")
    }
}

impl FromStr for Hash256 {
    type Err = ParseHashError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() != 64 || !s.is_ascii() {
            return Err(ParseHashError);
        }
        let mut words = [0u16; 16];
        for (i, w) in words.iter_mut().rev().enumerate() {
            *w = u16::from_str_radix(&s[4 * i..4 * i + 4], 16).map_err(|_| ParseHashError)?;
        }
        Ok(Self(words))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_bytes_round_trip() {
        let hex = "d8f8f0cce0f4a84f0e370a22028f67f0b36e2ed596623e1d33e6b39c4e9c9b22";
        let h: Hash256 = hex.parse().unwrap();
        assert_eq!(h.to_string(), hex);
        assert_eq!(Hash256::from_bytes(h.to_bytes()), h);
        assert_eq!(h.0[15], 0xd8f8);
        assert_eq!(h.distance(&h), 0);
        assert_eq!(
            h.distance(&Hash256([0xffff; 16])),
            256 - h.0.iter().map(|w| w.count_ones()).sum::<u32>()
        );
        assert!("xyz".parse::<Hash256>().is_err());
    }
}
