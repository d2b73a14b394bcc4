//! The tree's hash: BLAKE3 (the `blake3` crate, `no_std`, default features off), with domain
//! separation by a first byte, as RFC 6962 (Certificate Transparency) does:
//! ```text
//! leaf  = H(0x00 || acc)                   acc = xor of the leaf's entry hashes
//! inner = H(0x01 || child_0 || ... || child_{b-1})
//! entry = H(0x03 || key_len:u64le || key || counter:u64le || origin:u32le || tag:u8 [|| value])
//! bucket(key) = first 8 bytes of H(0x02 || key), little endian, modulo the leaves
//! ```
//! A leaf can never be read as an inner node or an entry (the first byte differs), so a
//! second-preimage across levels is impossible, which is what a later signed root needs.
//!
//! # Why BLAKE3 (measured)
//! Speed, one hash of a buffer of the size, averaged (x86-64 release build on this project's
//! 2-core machine; `/tmp/hashbench`, both crates with default features off, as the core uses
//! them): 41 bytes (an entry) BLAKE3 79 ns, SHA-256 72 ns; 64 bytes (a binary inner node) 87
//! vs 115 ns; 1,025 bytes 980 vs 685 ns; 32 KiB (a 1,024-wide inner node) 5.4 vs 20.2 us. In
//! wasm32 (node 22, the same code in a `no_std` cdylib at `opt-level = "z"`): 41 bytes 0.65 vs
//! 1.01 us, 64 bytes 1.19 vs 0.95 us, 32 KiB 233 vs 607 us.
//! Size, the same cdylib exporting one hash call, wasm32 release, LTO, `opt-level = "z"`: 430
//! bytes without a hash, 6,573 with SHA-256 (+6.1 KiB), 15,001 with BLAKE3 (+14.6 KiB).
//! Small inputs are a tie; the wide tree's inner nodes, which every update and every build
//! rehashes, are 2.6 (wasm) to 3.7 (native) times faster with BLAKE3, for 8.4 KiB more wasm
//! than SHA-256: BLAKE3 it is. (Both are well kept `no_std` crates; `hash.rs` is the only file
//! that names one, so switching is one file and a new golden root.)

/// A 32-byte hash.
pub type Hash = [u8; 32];

/// The domain bytes.
pub const LEAF: u8 = 0x00;
/// An inner node's domain byte.
pub const INNER: u8 = 0x01;
/// A key's bucket hash's domain byte.
pub const BUCKET: u8 = 0x02;
/// An entry's domain byte.
pub const ENTRY: u8 = 0x03;

/// The hash of a leaf whose entry hashes xor to `acc`.
pub fn leaf(acc: &Hash) -> Hash {
    let mut h = blake3::Hasher::new();
    h.update(&[LEAF]);
    h.update(acc);
    *h.finalize().as_bytes()
}

/// The hash of an inner node from its children's hashes, in order.
pub fn inner(children: &[Hash]) -> Hash {
    let mut h = blake3::Hasher::new();
    h.update(&[INNER]);
    // One contiguous update, not one per child: BLAKE3 hashes whole 1 KiB chunks of a long
    // input in parallel (SIMD), which 32-byte updates would forgo (measured: a 1,024-wide node
    // took several times longer hashed child by child).
    h.update(children.as_flattened());
    *h.finalize().as_bytes()
}

/// The 64-bit bucket hash of a key.
pub fn bucket(key: &[u8]) -> u64 {
    let mut h = blake3::Hasher::new();
    h.update(&[BUCKET]);
    h.update(key);
    let b = h.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&b.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// The hash of one entry.
pub fn entry(key: &[u8], version: crate::store::Version, value: Option<&[u8]>) -> Hash {
    let mut h = blake3::Hasher::new();
    h.update(&[ENTRY]);
    h.update(&(key.len() as u64).to_le_bytes());
    h.update(key);
    h.update(&version.counter.to_le_bytes());
    h.update(&version.origin.to_le_bytes());
    match value {
        None => h.update(&[0]),
        Some(v) => h.update(&[1]).update(v),
    };
    *h.finalize().as_bytes()
}
