/// A reproducible stream of random numbers: 64-bit words from xoshiro256**, and standard
/// normals from eight interleaved xoshiro256++ lanes (`NormalSampler`), all seeded from the
/// stream's key through SplitMix64.
///
/// Every stream has a `key`, and child streams are a pure function of the parent's key and a
/// label (`child(_:)`), never of how much the parent has been used. So the randomness of trial
/// *i* of property *p* is `RandomStream(seed: root).child(p).child(i)` whatever the thread count,
/// the order of execution or the shard the trial ran in.
///
/// The words (`next()`, `uniform()`, `integer(below:)`) and the normals (`normal()`,
/// `normals(_:)`, `NormalSampler.fill`) are two sequences of one key: drawing from one does
/// not move the other. SplitMix64 from the key gives words w1, w2, ...: w1...w4 seed the word
/// generator, w5...w36 the normal lanes (word j of lane k is w(5 + 4k + j)), w37...w40 the
/// normals' slow path (docs/ENGINE.md, "Random streams").
public struct RandomStream: RandomNumberGenerator, Sendable {
    /// The 64-bit key this stream was created from; children are derived from it alone.
    public let key: UInt64
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64
    /// The normal generator's state, seeded on the first normal drawn (most streams only
    /// derive children or draw words).
    var normalState = NormalState()

    /// Creates the stream whose key is `seed`.
    public init(seed: UInt64) {
        key = seed
        var expander = SplitMix64(state: seed)
        let state = expander.nextXoshiroState()
        (s0, s1, s2, s3) = (state[0], state[1], state[2], state[3])
    }

    /// The child stream for an integer label, independent of this stream's position.
    public func child(_ index: UInt64) -> RandomStream {
        RandomStream(seed: SplitMix64.mix(key ^ SplitMix64.mix(index &+ 0x632B_E59B_D9B4_E019)))
    }

    /// The child stream for an integer label, independent of this stream's position.
    public func child(_ index: Int) -> RandomStream { child(UInt64(bitPattern: Int64(index))) }

    /// The child stream for a text label (hashed with FNV-1a, which is stable across processes,
    /// unlike Swift's `Hasher`).
    public func child(_ label: String) -> RandomStream { child(StableHash.fnv1a(label)) }

    /// The next 64 random bits (xoshiro256**).
    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let result = Self.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Self.rotl(s3, 45)
        return result
    }

    /// x rotated left by k bits. Static and inlinable: as a method it took `self` (the whole
    /// stream, normal state included) by value, and callers in other modules copied it per call.
    @inlinable @inline(__always)
    static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

    /// A uniform double in [0, 1) with 53 random bits.
    @inlinable @inline(__always)
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform double in (0, 1): never 0, so its logarithm is finite.
    @inlinable @inline(__always)
    public mutating func openUniform() -> Double { (Double(next() >> 12) + 0.5) * 0x1.0p-52 }

    /// A uniform integer in 0..<bound (Lemire's nearly-divisionless method, unbiased).
    public mutating func integer(below bound: Int) -> Int {
        precondition(bound > 0, "integer(below:) needs a positive bound")
        return Int(next(upperBound: UInt64(bound)))
    }
}

/// SplitMix64: expands a 64-bit seed into well-mixed words and mixes keys for child streams.
public struct SplitMix64: Sendable {
    /// The generator's running state.
    public var state: UInt64

    /// Creates the generator at `state`.
    public init(state: UInt64) { self.state = state }

    /// The next well-mixed word.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// The next four words as a xoshiro256 state: unchanged unless all four are zero (xoshiro's
    /// one forbidden state, probability 2^-256), which becomes (0x9E3779B97F4A7C15, 0, 0, 0).
    /// Every xoshiro generator of the package is seeded through this.
    mutating func nextXoshiroState() -> SIMD4<UInt64> {
        SIMD4(next(), next(), next(), next()).validXoshiroState
    }

    /// The SplitMix64 finaliser: a bijective avalanche mix of one word.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Process-independent hashing of labels, so stream derivation is reproducible across runs.
public enum StableHash {
    /// The 64-bit FNV-1a hash of the UTF-8 bytes of `text`.
    public static func fnv1a(_ text: String) -> UInt64 { fnv1a(bytes: text.utf8) }

    /// The 64-bit FNV-1a hash of `bytes` (checksums of journal records, shard keys).
    public static func fnv1a(bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}

extension SIMD4 where Scalar == UInt64 {
    /// These words as a xoshiro256 state: unchanged unless all are zero (the generator's one
    /// forbidden state), which becomes (0x9E3779B97F4A7C15, 0, 0, 0).
    var validXoshiroState: SIMD4<UInt64> { self == SIMD4() ? SIMD4(0x9E37_79B9_7F4A_7C15, 0, 0, 0) : self }
}
