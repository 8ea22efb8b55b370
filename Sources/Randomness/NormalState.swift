/// The normal generator's state inside a `RandomStream`: eight xoshiro256++ lanes, the slow
/// path's scalar xoshiro256** stream, and the values of the last block not yet handed out.
/// Laid out for the C generator (Sources/NormalKernels): word j of lane k at lanes[8 j + k].
struct NormalState: Sendable {
    /// The lanes' 32 words.
    var lanes = SIMD32<UInt64>()
    /// The slow path's four words.
    var slow = SIMD4<UInt64>()
    /// The last block generated; its last `pendingCount` values are not yet used.
    var pending = SIMD8<Double>()
    /// How many values of `pending` remain (0 ... 7).
    var pendingCount = 0
    /// False until the state has been seeded from the stream's key.
    var isSeeded = false

    /// Seeds from `key`: SplitMix64 from the key gives w1, w2, ...; w1...w4 are the word
    /// generator's (skipped here), w5...w36 the lanes (lane k takes w(5 + 4k) ... w(8 + 4k)),
    /// w37...w40 the slow stream. A generator whose four words are all zero (xoshiro's one
    /// forbidden state, probability 2^-256) starts from word 0x9E3779B97F4A7C15 instead
    /// (`SplitMix64.nextXoshiroState`).
    mutating func seed(key: UInt64) {
        var expander = SplitMix64(state: key)
        for _ in 0..<4 { _ = expander.next() }
        // Through a pointer: SIMD32's subscript setter cost about 5% of a short-prompt SGD step
        // (one seeding per unit of prompts, perf).
        withUnsafeMutableBytes(of: &lanes) { raw in
            let words = raw.bindMemory(to: UInt64.self)
            for k in 0..<8 {
                let state = expander.nextXoshiroState()
                for j in 0..<4 { words[8 * j + k] = state[j] }
            }
        }
        slow = expander.nextXoshiroState()
        pending = SIMD8<Double>()
        pendingCount = 0
        isSeeded = true
    }
}
